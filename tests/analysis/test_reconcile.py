"""Study presets and the reconciliation table (issue 16)."""
from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli

STUDIES = ["ascend2024", "ohs2025", "starcloud", "suncatcher", "turyshev2026"]


@pytest.fixture(scope="module")
def rows(bw_project):
    return {row["study"]: row for row in bw_project.reconcile()}


@pytest.mark.parametrize("name", STUDIES)
def test_compare_with_each_preset(bw_project, name):
    result = bw_project.compare(preset=name)
    preset = bw_project.read_scenario(name, "preset")
    assert result.extra["preset"]["name"] == name
    for key, value in preset.overrides.items():
        assert result.overrides[key] == value
    if "launcher" in preset.choices:
        assert result.choices.launcher == preset.choices["launcher"]


def test_reconcile_covers_the_five_studies_with_sources_that_resolve(bw_project, rows):
    inventory = bw_project.inventory()
    assert sorted(rows) == STUDIES
    for row in rows.values():
        assert row["sources"] and all(source in inventory.sources for source in row["sources"])


def test_starcloud_conversion_by_hand(bw_project, rows):
    """0.1 x the US operational electricity of one PFLOP-day: intensity x grid kWh generated (site kWh / (1 - T&D
    loss)); per kWh IT: / (IT kW x hours)."""
    row = rows["starcloud"]
    us = bw_project.grids().set_index("code").loc["US", "intensity_kgCO2e_per_kWh"] * 1000     # g/kWh
    result = bw_project.compare(preset="starcloud")
    ground = result.terrestrial[0].sizing
    electricity = ground["electricity"].m_as("kWh") / (1 - bw_project.inventory().parameters["terrestrial.grid_loss"].value)
    assert row["published"]["g_per_PFLOP_day"] == pytest.approx(0.1 * us * electricity, rel=1e-6)
    it_kwh = (result.orbit.sizing["IT power"] * result.orbit.sizing["accelerator time"]).m_as("kWh")
    assert row["it_energy_kWh_per_PFLOP_day"] == pytest.approx(it_kwh)
    assert row["published"]["per_kwh_it"] == pytest.approx(0.1 * us * electricity / it_kwh, rel=1e-6)


def test_causes_start_at_default_and_end_at_the_study(rows):
    """Default + each swap + scope + interaction = ours under the study's assumptions; a swap alone is a real
    comparison (the lifetime swap of Starcloud, 5 -> 10 years, lowers orbit)."""
    for row in rows.values():
        total = row["ours_default"]["orbit"] + sum(c["delta"] for c in row["causes"] if c["in_sum"])
        assert total == pytest.approx(row["ours_study"]["orbit"], rel=1e-9)
    lifetime = next(c for c in rows["starcloud"]["causes"] if c["cause"].startswith("lifetime"))
    assert lifetime["delta"] < 0


XFAIL_OHS = pytest.mark.xfail(strict=True, reason=(
    "Ohs et al. publish 'up to an order of magnitude' (orbit/ground = 10); ours under its assumptions (Falcon 9, "
    "LEO 550 km, space-grade launcher inventory, German grid, launch + re-entry + operation) is about 1.5. Their satellite mass, "
    "lifetime and per-kg launch factors were not obtained; the gap is mostly the launch footprint per unit of "
    "compute, i.e. ESpaS's mass per unit of compute and mission length, not reproducible from the abstract."))
XFAIL_ASCEND = pytest.mark.xfail(strict=True, reason=(
    "ASCEND/Carbone 4 break even at 370 kg CO2/kg of payload; ours on the EU27 grid with Ariane 64 and the "
    "space-grade launcher inventory is about 150 kg CO2e/kg (factor 2.4): the low-carbon EU27 baseline (213 g/kWh) "
    "and ASCEND's unpublished spacecraft mass per kW, lifetime and compute hardware are the likely causes "
    "(the break-even itself is not decomposed)."))


@pytest.mark.parametrize("name", [pytest.param("ohs2025", marks=XFAIL_OHS),
                                  pytest.param("ascend2024", marks=XFAIL_ASCEND), "starcloud"])
def test_published_headline_reproduced_within_its_tolerance(rows, name):
    """Ours under the study's assumptions and scope, in the study's own unit, within the preset's stated factor."""
    published = rows[name]["published"]
    factor = published["value"] / published["ours_in_published_unit"]
    assert 1 / published["tolerance"] <= factor <= published["tolerance"]


def test_lca_reconcile_json_end_to_end(bw_dir, bw_project):
    result = run_cli("reconcile", "--json", "--preset", "starcloud", env={"LCA_BRIGHTWAY_DIR": str(bw_dir)})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [row["study"] for row in data["studies"]] == ["starcloud"]
    assert data["studies"][0]["published"]["unit"] == "ratio"
