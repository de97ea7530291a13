"""lca compare with the ozone method and the fleet scale: units per method, the per-launch score, and the
implied annual emissions of one configuration by hand."""
from __future__ import annotations

import pytest

from lca.core.units import Q_


@pytest.fixture(scope="module")
def ozone_comparison(bw_project):
    return bw_project.compare(grids=["US"], methods=["ODP-launch"], mc=0)


def test_ozone_results_carry_their_own_unit(ozone_comparison, bw_project):
    data = ozone_comparison.to_dict()
    assert data["units"] == {"GWP100": "gCO2e/PFLOP_day", "GWP100+HA": "gCO2e/PFLOP_day",
                             "ODP-launch": "gCFC11e/PFLOP_day"}
    table = ozone_comparison.table
    assert set(table[table["method"] == "ODP-launch"]["unit"]) == {"gCFC11e/PFLOP_day"}
    orbit = ozone_comparison.orbit.name
    assert ozone_comparison.totals("ODP-launch")[orbit] > 0
    # per launch: the chosen launcher's one-launch activity scored by the same method
    per_launch = data["per_launch"]["values"]["ODP-launch"]
    assert per_launch["unit"] == "kgCFC11e/launch"
    direct = bw_project.footprint("launch:launch_starship_v3", 1, "ODP-launch").score.magnitude
    assert per_launch["value"] == pytest.approx(direct, rel=1e-6)
    # per PFLOP-day = per launch x launches per PFLOP-day (launched kg / payload) plus re-entry and the rest,
    # so at least the launch part
    launch_kg = ozone_comparison.orbit.link("launch").amount
    payload = bw_project.inventory().databases["launch"].parameters["payload_leo_ssv3"].value
    sso = bw_project.inventory().databases["launch"].parameters["sso_payload_ratio"].value
    launch_part = per_launch["value"] * launch_kg / (payload * sso) * 1000            # g per PFLOP-day
    assert ozone_comparison.totals("ODP-launch")[orbit] >= launch_part * (1 - 1e-6)


def test_fleet_rates_by_hand(ozone_comparison, bw_project):
    """Re-entry alumina of the default configuration (Starship V3: no solid motors, no alumina from the launch):
    kg re-entered per PFLOP-day x alumina per kg re-entered x PFLOP-days a year of 1 GW."""
    inventory = bw_project.inventory()
    fleet = ozone_comparison.to_dict()["fleet"]
    sizing = ozone_comparison.orbit.sizing
    per_year = (Q_(1, "GW") * sizing["mean availability"] * Q_(8766, "hour")
                / (sizing["IT power"] * sizing["accelerator time"])).m_as("")
    assert fleet["pflop_days_per_year"] == pytest.approx(per_year, rel=1e-3)       # 1 year = 365.25 days
    reentry = inventory.activity(inventory.catalogue.orbit_support["reentry"]).key
    reentered = sum(link.amount for link in ozone_comparison.orbit.links if link.provider == reentry)   # kg
    ei = inventory.databases["launch"].parameters["reentry_al2o3_ei_spacecraft"].value                    # kg/kg
    rows = {(r["species"], r["band"]): r for r in fleet["rates"]}
    alumina = rows[("alumina", "re-entry ablation")]
    assert alumina["t_per_year"] == pytest.approx(reentered * ei * per_year / 1000, rel=1e-3)
    assert alumina["global_t_per_year"] == 17
    assert alumina["stretched"] == (alumina["t_per_year"] > 10 * 17)
    assert rows[("alumina", "stratosphere")]["t_per_year"] == 0


def test_fleet_size_is_an_input_and_the_flag_follows_it(bw_project):
    small = bw_project.compare(grids=["US"], mc=0, overrides={"fleet.orbital_compute_power": "1 MW"})
    big = bw_project.compare(grids=["US"], mc=0, overrides={"fleet.orbital_compute_power": "5 GW"})
    rate = {r["band"] + r["species"]: r["t_per_year"] for r in big.extra["fleet"]["rates"]}
    low = {r["band"] + r["species"]: r["t_per_year"] for r in small.extra["fleet"]["rates"]}
    for key, value in rate.items():
        assert value == pytest.approx(5000 * low[key], rel=1e-9)
    assert big.extra["fleet"]["stretched"] and not small.extra["fleet"]["stretched"]
    assert "alumina (re-entry ablation)" in big.extra["fleet"]["note"]


def test_fleet_ozone_loss_by_hand(ozone_comparison, bw_project):
    """Chlorine-equivalent rate = the orbit's ODP-launch score per PFLOP-day / chlorine's ODP per kg x PFLOP-days a
    year (the score is the same flows weighted by the same factors); column loss = that rate [Gg/yr] x 0.009 % per
    Gg/yr (Prather et al. 1990: 0.0065 % for 725 t/yr)."""
    inventory = bw_project.inventory()
    fleet = ozone_comparison.to_dict()["fleet"]
    factors = {(inventory.flows[f.flow].name, inventory.flows[f.flow].categories[-1]): f.amount
               for f in inventory.methods["ODP-launch"].factors}
    chlorine = factors[("Chlorine, reactive", "stratosphere")]                     # kg CFC-11-eq per kg Cl
    score = ozone_comparison.totals("ODP-launch")[ozone_comparison.orbit.name] / 1000  # kg CFC-11-eq/PFLOP-day
    equivalent = score / chlorine * fleet["pflop_days_per_year"]                       # kg Cl-eq per year
    ozone = fleet["ozone"]
    assert ozone["chlorine_equivalent_t_per_year"] == pytest.approx(equivalent / 1000, rel=1e-6)
    assert ozone["column_loss_percent"] == pytest.approx(equivalent / 1e6 * 0.009, rel=1e-6)


def test_ozone_loss_per_chlorine_reproduces_the_published_models(bw_project):
    """The coefficient applied to each study's own chlorine gives its published column loss: Prather et al. 1990
    (725 t/yr -> 0.0065 %) within 5 %, and Li et al. 2026 (52 x the 2019 rocket chlorine, 0.50 Gg/yr in Brown et
    al. 2024 -> 0.23 %) within 10 % (their baseline is not read, so that one is a consistency check)."""
    p = bw_project.inventory().parameters["fleet.ozone_loss_per_chlorine"]
    coefficient = Q_(p.value, p.unit).m_as("percent*year/Gg")
    assert 0.725 * coefficient == pytest.approx(0.0065, rel=0.05)
    assert 52 * 0.50 * coefficient == pytest.approx(0.23, rel=0.10)
    low, high = p.uncertainty["low"], p.uncertainty["high"]
    assert low < 0.0065 / 0.725 < high and low < 0.23 / 26 < high
