"""Orbit vs terrestrial per PFLOP-day: consistency of stages, linearity, parity and throughput scaling.

Brightway stores matrix values in float32 (bw_processing), so exact identities
hold to about 1e-6 relative; the tolerances below say so.
"""
import pytest

from lca.analysis.compare import choices
from lca.core.units import Q_

REL = 1e-6


@pytest.fixture(scope="module")
def api(bw_project):
    return bw_project


@pytest.fixture(scope="module")
def default(us_fr_comparison):
    return us_fr_comparison


def stage_table(result, system, method="GWP100"):
    rows = result.table[(result.table["system"] == system) & (result.table["method"] == method)]
    return {r.stage: r.value for r in rows.itertuples()}


def test_stage_sums_equal_totals(default):
    for model in default.systems:
        for method in ("GWP100", "GWP100+HA"):
            stages = stage_table(default, model.name, method)
            total = stages.pop("total")
            assert sum(stages.values()) == pytest.approx(total, rel=1e-9)


def test_json_has_kind_grid_totals_and_breakdown(default):
    data = default.to_dict()
    kinds = {s["name"]: (s["kind"], s["grid"]) for s in data["systems"]}
    assert kinds == {default.systems[0].name: ("orbit", None), "terrestrial, US": ("terrestrial", "US"),
                     "terrestrial, FR": ("terrestrial", "FR")}
    orbit = data["systems"][0]
    assert set(orbit["total"]) == {"GWP100", "GWP100+HA"}
    assert {"launch combustion CO2", "PV manufacture", "accelerator and host embodied",
            "bus and radiators"} <= set(orbit["by_stage"]["GWP100"])
    assert orbit["by_stage"]["GWP100+HA"]["launch non-CO2 at altitude"] > 0
    assert "launch non-CO2 at altitude" not in orbit["by_stage"]["GWP100"] or \
        orbit["by_stage"]["GWP100"]["launch non-CO2 at altitude"] == 0


def test_operational_part_is_energy_times_grid_intensity(api, default):
    """Hand calculation: E = TDP x node overhead x PUE x FLOP / (peak x MFU x goodput); generated at the power
    plants E / (1 - T&D loss), 5 % by default; x grid intensity."""
    inv = api.inventory()
    h100 = inv.activity("gpu:accel_h100_sxm").properties
    p = {n: q.value for n, q in inv.parameters.items()}
    hours = Q_(1, "PFLOP_day").m_as("FLOP") / (Q_(h100["peak_bf16"].value, h100["peak_bf16"].unit).m_as("FLOP/s")
                                               * p["compute.mfu"] * p["compute.goodput"]) / 3600
    kwh = Q_(h100["tdp"].value, h100["tdp"].unit).m_as("kW") * p["terrestrial.node_power_overhead"] \
        * p["terrestrial.pue"] * hours
    intensity = inv.activity("background:electricity_US").exchanges[0].amount * 1000   # g/kWh
    stages = stage_table(default, "terrestrial, US")
    assert stages["operational electricity"] == pytest.approx(kwh / (1 - p["terrestrial.grid_loss"]) * intensity,
                                                             rel=REL)


def test_onsite_gas_turbines_replace_the_grid_by_hand(api, default):
    """All electricity from on-site gas turbines at 35 % (LHV): 3.6 / 0.35 = 10.2857 MJ of gas per kWh, no T&D
    loss. GWP100 per MJ (background:heat_natural_gas): CO2 0.0561 + 0.005 upstream; methane 1e-6 burned +
    0.023 / 0.977 / 50 = 4.7083e-4 leaked, x GWP100; N2O 1e-7. The operational stage is kWh x 10.2857 x that."""
    inv = api.inventory()
    gas = api.compare(grids=["US"], overrides={"terrestrial.onsite_gas_share": 1})
    grid = stage_table(default, "terrestrial, US")["operational electricity"]
    kwh = grid * (1 - 0.05) / (inv.activity("background:electricity_US").exchanges[0].amount * 1000)
    ch4, n2o = 29.8, 273                                   # IPCC AR6 GWP100, fossil methane and N2O
    per_mj = 0.0561 + 0.005 + (1e-6 + 0.023 / 0.977 / 50.0) * ch4 + 1e-7 * n2o      # kg CO2e/MJ
    onsite = stage_table(gas, "terrestrial, US")["operational electricity"]
    assert onsite == pytest.approx(kwh * 3.6 / 0.35 * per_mj * 1000, rel=0.01)


def test_zero_carbon_grid_leaves_only_embodied_terms(api):
    result = api.compare(grids=["custom"], overrides={"background.custom_grid_intensity": 0})
    stages = stage_table(result, "terrestrial, custom")
    assert stages.get("operational electricity", 0.0) == 0.0
    embodied = stages["accelerator and host embodied"] + stages["data-centre building"]
    assert stages["total"] == pytest.approx(embodied, rel=1e-9)


def test_results_are_linear_in_grid_intensity(api):
    totals = []
    for intensity in (0.0, 0.2, 0.6):
        result = api.compare(grids=["custom"], overrides={"background.custom_grid_intensity": intensity})
        totals.append(result.totals()["terrestrial, custom"])
    slope = (totals[1] - totals[0]) / 0.2
    assert totals[2] == pytest.approx(totals[0] + 0.6 * slope, rel=REL)


def test_more_reuse_and_lower_specific_mass_lower_the_orbit(api, default):
    base = default.totals()[default.systems[0].name]
    reused = api.compare(grids=["US"], overrides={"launch.reuses_ss_booster": 50, "launch.reuses_ss_ship": 50})
    assert reused.totals()[reused.systems[0].name] < base
    lighter = api.compare(grids=["US"], overrides={"orbit.bus_structure_specific_mass": "1 kg/kW"})
    assert lighter.systems[0].sizing["specific mass"] < default.systems[0].sizing["specific mass"]
    assert lighter.totals()[lighter.systems[0].name] < base


def test_fp8_scales_the_result_by_the_ratio_of_peak_throughputs(api, default):
    inv = api.inventory()
    h100 = inv.activity("gpu:accel_h100_sxm").properties
    ratio = h100["peak_bf16"].value / h100["peak_fp8"].value
    fp8 = api.compare(grids=["US", "FR"], precision="fp8")
    for name, value in default.totals().items():
        assert fp8.totals()[name] == pytest.approx(value * ratio, rel=REL)


def test_workload_totals(api):
    result = api.compare(grids=["US"], workload_flop=8.64e21)        # 100 PFLOP-days
    entry = result.to_dict()["systems"][1]
    assert entry["workload"]["total"]["GWP100"] == pytest.approx(entry["total"]["GWP100"] * 100 / 1e6, rel=1e-12)


def test_breakeven_values_reproduce_equality(api):
    frame = api.breakeven(grids=["US"])
    parity = {r.quantity: (None if r.parity != r.parity else r.parity) for r in frame.itertuples()}   # NaN: none
    orbit_total = frame["orbit_total_gCO2e"].iloc[0]
    # grid intensity: the custom grid at the parity intensity equals the orbit
    at_grid = api.compare(grids=["custom"],
                          overrides={"background.custom_grid_intensity": parity["grid_intensity"] / 1000})
    assert at_grid.totals()["terrestrial, custom"] == pytest.approx(orbit_total, rel=1e-3)
    ground = frame["terrestrial_total_gCO2e"].iloc[0]
    for quantity, name in (("lifetime", "orbit.lifetime"),):
        if parity[quantity] is not None:
            result = api.compare(grids=["US"], overrides={name: parity[quantity]})
            assert result.totals()[result.orbit.name] == pytest.approx(ground, rel=1e-3)
    if parity["specific_mass"] is not None:
        current = frame.set_index("quantity").loc["specific_mass", "current"]
        bus = api.inventory().parameters["orbit.bus_structure_specific_mass"].value
        result = api.compare(grids=["US"], overrides={
            "orbit.bus_structure_specific_mass": bus + parity["specific_mass"] - current})
        assert result.totals()[result.orbit.name] == pytest.approx(ground, rel=1e-3)
    assert parity["grid_intensity"] is not None
    if parity.get("launcher_reuses") is not None:
        n = parity["launcher_reuses"]
        result = api.compare(grids=["US"], overrides={"launch.reuses_ss_booster": n, "launch.reuses_ss_ship": n})
        assert result.totals()[result.orbit.name] == pytest.approx(ground, rel=1e-3)


@pytest.mark.parametrize("method", ["GWP100", "GWP100+HA"])
def test_a_parity_grid_dirtier_than_every_real_grid_says_so(api, method):
    row = api.breakeven(grids=["US"], method=method).set_index("quantity").loc["grid_intensity"]
    grids = api.grids().dropna(subset=["intensity_kgCO2e_per_kWh"])
    dirtiest = grids.loc[grids["intensity_kgCO2e_per_kWh"].idxmax()]
    said = "no real grid comes close" in row["note"]
    assert said == (row["parity"] > dirtiest["intensity_kgCO2e_per_kWh"] * 1000)
    if said:
        assert f"the most carbon-intensive, {dirtiest['code']}, is" in row["note"]


def test_unknown_choices_suggest_close_matches(api):
    from lca.analysis.compare import ChoiceError

    with pytest.raises(ChoiceError, match="unknown grid code 'USA'; did you mean US"):
        choices(api.inventory(), grids=["USA"])
    with pytest.raises(ChoiceError, match="unknown launcher 'starship'"):
        choices(api.inventory(), launcher="starship")
    with pytest.raises(ChoiceError, match="orbit 'geo' has no launch inventory"):
        choices(api.inventory(), orbit="geo")
    with pytest.raises(ChoiceError, match="unknown precision for V100 'fp8'"):
        choices(api.inventory(), accelerator="V100", precision="fp8")


def test_tidy_stages_sum_to_the_totals_frame(default):
    stages, totals = default.stages, default.totals_frame
    assert "total" not in set(stages["stage"])
    assert len(totals) == len(default.systems) * 2                       # systems x (GWP100, GWP100+HA)
    summed = stages.groupby(["system", "method"])["value"].sum()
    for row in totals.itertuples():
        assert summed[(row.system, row.method)] == pytest.approx(row.value, rel=1e-9)


def test_monte_carlo_samples_as_a_frame_match_the_summary(api):
    import numpy as np

    result = api.compare(grids=["US"], mc=64, seed=3)
    samples = result.samples
    assert samples.shape == (64, 4) and samples.index.name == "sample"
    summary = result.extra["monte_carlo"].set_index(["system", "method"])
    orbit = result.orbit.name
    for (system, method), values in samples.items():
        assert np.median(values) == pytest.approx(summary.loc[(system, method), "median"], rel=1e-12)
    us = samples[("terrestrial, US", "GWP100")]
    share = float(np.mean(samples[(orbit, "GWP100")] < us))
    assert summary.loc[("terrestrial, US", "GWP100"), "p_orbit_lower"] == pytest.approx(share, abs=1e-12)
    assert api.compare(grids=["US"], mc=0).samples is None


def test_samples_csv_holds_the_inputs_and_totals_of_the_summary(api, tmp_path):
    import numpy as np
    import pandas as pd

    result = api.compare(grids=["US"], mc=80, seed=5)
    path = api.write_samples(result, tmp_path / "samples.csv")
    frame = pd.read_csv(path, index_col="sample")
    assert len(frame) == 80
    summary = result.extra["monte_carlo"].set_index(["system", "method"])
    column = f"{result.orbit.name} | GWP100 [g CO2e/PFLOP-day]"
    assert np.median(frame[column]) == pytest.approx(summary.loc[(result.orbit.name, "GWP100"), "median"], rel=1e-12)
    mfu = api.inventory().parameters["compute.mfu"]
    low, high = mfu.uncertainty["low"], mfu.uncertainty["high"]          # triangular 0.25-0.55
    assert frame["compute.mfu"].between(low, high).all() and frame["compute.mfu"].nunique() == 80
    with pytest.raises(ValueError, match="--samples needs Monte Carlo samples"):
        api.write_samples(api.compare(grids=["US"], mc=0), tmp_path / "none.csv")
    assert not (tmp_path / "none.csv").exists()


def test_terrestrial_hardware_end_of_life_by_hand(api, default):
    """Hand calculation: accelerator-hours per PFLOP-day / service life [h] = hardware share; x 16.3 kg of server
    hardware per accelerator slot (DGX H100 of about 130 kg / 8) x 1.5062 kg CO2e per kg treated (BoaviztAPI
    WEEE factor), carried as fossil CO2 so the same under both methods. Removing the mass removes exactly that."""
    inv = api.inventory()
    h100 = inv.activity("gpu:accel_h100_sxm").properties
    p = {n: q.value for n, q in inv.parameters.items()}
    hours = Q_(1, "PFLOP_day").m_as("FLOP") / (Q_(h100["peak_bf16"].value, h100["peak_bf16"].unit).m_as("FLOP/s")
                                               * p["compute.mfu"] * p["compute.goodput"]) / 3600
    share = hours / (p["terrestrial.hardware_lifetime"] * 8766)            # Julian year = 8766 h
    assert p["terrestrial.hardware_mass_per_accelerator"] == 16.3
    factor = inv.activity("systems_support:hardware_end_of_life").exchanges[0].amount
    assert factor == 1.5062
    expected = share * 16.3 * factor * 1000                                  # g CO2e/PFLOP-day
    without = api.compare(grids=["US"], overrides={"terrestrial.hardware_mass_per_accelerator": 0})
    for method in ("GWP100", "GWP100+HA"):
        embodied = stage_table(default, "terrestrial, US", method)["accelerator and host embodied"]
        bare = stage_table(without, "terrestrial, US", method)["accelerator and host embodied"]
        assert embodied - bare == pytest.approx(expected, rel=1e-5)


def test_a_terrestrial_system_on_another_grid_differs_only_in_its_grid_link(api):
    """Built once and moved to each grid (lca.models.terrestrial.on_grid): the links, amounts and sizing equal those
    of the system built for that grid directly."""
    from lca.analysis.compare import build_systems, choices, grid_codes
    from lca.models import terrestrial

    inv = api.inventory()
    _, us, fr = build_systems(inv, choices(inv, grids=["US", "FR"]), {})
    alone = build_systems(inv, choices(inv, grids=["FR"]), {})[1]
    assert fr.links == alone.links and fr.name == alone.name == "terrestrial, FR" and fr.grid == "FR"
    assert fr.sizing.keys() == alone.sizing.keys()
    moved = terrestrial.on_grid(us, grid_codes(inv)["FR"], "FR")
    assert moved.links == alone.links
    assert [link.provider for link in us.links if link.role == "grid"] == [grid_codes(inv)["US"]]
