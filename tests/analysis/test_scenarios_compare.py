"""``lca compare --scenario``: the scenario's values applied, scenarios side by side."""
from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli


def orbit_total(result, method="GWP100"):
    return next(s["total"][method] for s in result.to_dict()["systems"] if s["kind"] == "orbit")


def test_scenario_is_the_same_as_its_values_given_by_hand(bw_project):
    """demonstrated = Falcon 9, 17.5 t, 30 booster flights, space-grade, 59 W/kg, 10 kg/m2, written out here."""
    by_hand = bw_project.compare(grids=["US"], launcher="falcon9", overrides={
        "launch.payload_leo_f9": "17.5 t/item", "launch.reuses_f9_booster": 30, "launch.space_grade_inventory": 1,
        "pv:space_array_iii_v_flex.specific_power": "59 Wp/kg", "orbit.radiator_areal_mass": "10 kg/m^2"})
    scenario = bw_project.compare(grids=["US"], scenario="demonstrated")
    assert orbit_total(scenario) == pytest.approx(orbit_total(by_hand), rel=1e-12)
    assert scenario.choices.launcher == "falcon9"
    assert scenario.extra["scenario"]["name"] == "demonstrated"


def test_arguments_win_over_the_scenario(bw_project):
    mine = bw_project.compare(grids=["US"], scenario="target", overrides={"launch.reuses_ss_ship": 20})
    assert mine.overrides["launch.reuses_ss_ship"] == 20
    assert mine.overrides["launch.payload_leo_ssv3"] == 100_000


def test_side_by_side_end_to_end(bw_dir, bw_project):
    env = {"LCA_BRIGHTWAY_DIR": str(bw_dir)}
    text = run_cli("compare", "--scenario", "target", "--scenario", "demonstrated", "--grid", "US", "--quiet",
                   env=env)
    assert text.returncode == 0, text.stderr
    header = next(line for line in text.stdout.splitlines() if line.strip().startswith("system"))
    assert header.split()[:3] == ["system", "method", "target"]
    for label in ("target", "demonstrated"):      # central value, then the Monte Carlo median and interval
        assert f"{label} median" in header and f"{label} 5%" in header and f"{label} 95%" in header
    assert header.index("target median") < header.index("demonstrated median")
    assert "target P(orbit lower)" in header and "demonstrated P(orbit lower)" in header
    result = run_cli("compare", "--scenario", "target", "--scenario", "demonstrated", "--grid", "US", "--json",
                     env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)["scenarios"]
    assert list(data) == ["target", "demonstrated"]
    assert data["demonstrated"]["launcher"] == "falcon9" and data["target"]["launcher"] == "starship-v3"
    orbit = {name: next(s["total"]["GWP100"] for s in d["systems"] if s["kind"] == "orbit") for name, d in data.items()}
    ground = {name: next(s["total"]["GWP100"] for s in d["systems"] if s["kind"] != "orbit") for name, d in data.items()}
    assert ground["target"] == pytest.approx(ground["demonstrated"])          # the scenarios change only orbit
    assert orbit["demonstrated"] > 2 * orbit["target"]        # space-grade parts and a 59 W/kg array cost more
    medians = {name: next(m["median"] for m in d["monte_carlo"] if m["system"].startswith("orbit")
                          and m["method"] == "GWP100") for name, d in data.items()}
    assert medians["demonstrated"] > medians["target"]


def test_list_scenarios_and_a_bad_scenario_exit_2(bw_dir, bw_project):
    env = {"LCA_BRIGHTWAY_DIR": str(bw_dir)}
    listed = run_cli("list", "scenarios", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    assert {row["name"] for row in json.loads(listed.stdout)} >= {"target", "demonstrated"}
    bad = run_cli("compare", "--scenario", "optimistic", "--grid", "US", env=env)
    assert bad.returncode == 2 and "unknown scenario 'optimistic'" in bad.stderr
