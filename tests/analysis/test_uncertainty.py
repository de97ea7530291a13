"""Monte Carlo, the batched engine, Sobol indices and Dask sweeps."""
import numpy as np
import pytest

from lca.analysis import engine, sampling
from lca.analysis.compare import choices
from lca.analysis.montecarlo import monte_carlo
from lca.core import distributions


@pytest.fixture(scope="module")
def setup(bw_project):
    return bw_project, bw_project.inventory(), bw_project.brightway()


@pytest.mark.parametrize("spec, central, expected_mean", [
    ({"distribution": "triangular", "low": 1.0, "high": 7.0}, 4.0, 4.0),
    ({"distribution": "triangular", "low": 0.0, "high": 9.0}, 0.0, 3.0),
    ({"distribution": "uniform", "low": 2.0, "high": 4.0}, 3.0, 3.0),
    ({"distribution": "lognormal", "gsd": 1.5}, 2.0, 2.0 * np.exp(np.log(1.5) ** 2 / 2)),
    ({"distribution": "normal", "sd": 0.5}, 10.0, 10.0),
])
def test_sampled_means_match_analytic_means(spec, central, expected_mean):
    values = distributions.ppf(spec, central, sampling.random_u(3, "x", 200_000))
    assert distributions.mean(spec, central) == pytest.approx(expected_mean, rel=1e-12)
    assert values.mean() == pytest.approx(expected_mean, rel=5e-3)


def test_monte_carlo_mean_of_a_linear_case_matches_the_analytic_mean(setup):
    """Custom grid intensity ~ uniform(0, 1.2) kg/kWh, everything else fixed at its data value:
    the terrestrial result is linear in it, so its Monte Carlo mean is the result at the mean intensity."""
    api, inventory, bd = setup
    chosen = choices(inventory, grids=["custom"])
    spec = inventory.databases["background"].parameters["custom_grid_intensity"].uncertainty
    samples = sampling.Samples(20_000, 5)
    samples.parameters["background.custom_grid_intensity"] = distributions.ppf(
        spec, 0.4, sampling.random_u(5, "background.custom_grid_intensity", 20_000))
    model = engine.assemble(inventory, bd, chosen, None, samples, ["GWP100"])
    scores = engine.batched_scores(model, ["GWP100"])[("terrestrial, custom", "GWP100")]
    at_mean = api.compare(grids=["custom"], overrides={"background.custom_grid_intensity": 0.6})
    analytic = at_mean.totals()["terrestrial, custom"] / 1000                      # mean of U(0, 1.2) = 0.6
    assert scores.mean() == pytest.approx(analytic, rel=0.01)          # sampling error of 20,000 draws


def test_engine_at_central_values_equals_the_deterministic_comparison(setup):
    api, inventory, bd = setup
    chosen = choices(inventory, grids=["US", "FR"])
    model = engine.assemble(inventory, bd, chosen, None, sampling.Samples(2, None), ["GWP100", "GWP100+HA"])
    scores = engine.batched_scores(model, ["GWP100", "GWP100+HA"])
    result = api.compare(grids=["US", "FR"])
    for method in ("GWP100", "GWP100+HA"):
        for system, value in result.totals(method).items():
            assert scores[(system, method)][0] * 1000 == pytest.approx(value, rel=1e-6)   # float32 in Brightway


def test_batched_engine_agrees_with_the_bw2calc_loop_on_the_same_samples(setup):
    _, inventory, bd = setup
    chosen = choices(inventory, grids=["US"])
    methods = ["GWP100", "GWP100+HA"]
    samples = sampling.draw(inventory, 30, 11, chosen.orbit, methods)
    model = engine.assemble(inventory, bd, chosen, None, samples, methods)
    batched = engine.batched_scores(model, methods)
    reference = engine.bw2calc_scores(model, methods)
    for key, values in reference.items():
        np.testing.assert_allclose(batched[key], values, rtol=1e-9, atol=0)
    assert np.std(reference[(model.systems[0], "GWP100")]) > 0          # the samples did vary


def test_same_seed_same_numbers_and_shared_inputs_are_correlated(setup):
    _, inventory, bd = setup
    chosen = choices(inventory, grids=["US"])
    a = monte_carlo(inventory, bd, chosen, None, 50, 3)
    b = monte_carlo(inventory, bd, chosen, None, 50, 3)
    c = monte_carlo(inventory, bd, chosen, None, 50, 4)
    for key in a.scores:
        np.testing.assert_array_equal(a.scores[key], b.scores[key])
    assert not np.array_equal(a.scores[(a.orbit, "GWP100")], c.scores[(c.orbit, "GWP100")])
    # the same input draws the same values whatever else is sampled with it
    one = sampling.draw(inventory, 10, 3, chosen.orbit, ["GWP100"])
    other = sampling.draw(inventory, 10, 3, "leo-550-53", ["GWP100", "GWP100+HA"])
    np.testing.assert_array_equal(one.parameters["compute.mfu"], other.parameters["compute.mfu"])


def test_monte_carlo_summary_from_the_api(setup):
    api, _, _ = setup
    result = api.compare(grids=["US", "FR"], mc=40, seed=2)
    summary = result.extra["monte_carlo"]
    france = summary[(summary.system == "terrestrial, FR") & (summary.method == "GWP100")].iloc[0]
    assert france["p2_5"] <= france["median"] <= france["p97_5"]
    assert 0.0 <= france["p_orbit_lower"] <= 1.0
    assert result.to_dict()["monte_carlo"][0]["p_orbit_lower"] is None          # orbit vs itself: none


def test_sobol_indices_name_the_drivers_of_the_gap(setup):
    api, _, _ = setup
    frame = api.sobol(grids=["custom"], n=16, seed=1)
    assert {"input", "S1", "ST", "S1_conf", "ST_conf"} <= set(frame.columns)
    assert frame["input"].is_unique and len(frame) > 10
    assert frame["ST"].iloc[0] == frame["ST"].max()
    assert "background.custom_grid_intensity" in set(frame["input"])


def test_dask_sweep_equals_the_serial_sweep(setup, bw_dir):
    api, _, _ = setup
    kwargs = {"grids": ["US", "FR"], "launchers": ["starship-v3", "falcon9"], "years": [2024, 2030]}
    serial = api.sweep(serial=True, **kwargs)
    on_dask = api.sweep(serial=False, **kwargs)        # a LocalCluster with two worker processes
    assert len(serial) == 2 * 2 * 2 * 2 * 2            # grids x launchers x years x (orbit, ground) x methods
    assert serial.equals(on_dask)
    us = serial[(serial.system == "terrestrial, US") & (serial.method == "GWP100")
                & (serial.launcher == "falcon9")].set_index("year")["value"]
    rate = api.inventory().parameters["terrestrial.grid_decarbonisation_rate"].value
    # only electricity falls with the year: the difference is the electricity term times (1 - (1 - r)^6)
    base = api.compare(grids=["US"]).table
    electricity = base[(base.system == "terrestrial, US") & (base.method == "GWP100")
                       & (base.stage == "operational electricity")]["value"].iloc[0]
    assert us[2024] - us[2030] == pytest.approx(electricity * (1 - (1 - rate) ** 6), rel=1e-6)


def test_loop_fallback_solves_the_same_samples(setup):
    """Technospheres with loops are solved sample by sample; on the shipped (acyclic) one it must agree."""
    _, inventory, bd = setup
    chosen = choices(inventory, grids=["US"])
    samples = sampling.draw(inventory, 4, 21, chosen.orbit, ["GWP100"])
    model = engine.assemble(inventory, bd, chosen, None, samples, ["GWP100"])
    swept = engine.batched_scores(model, ["GWP100"])
    looped = engine._looped_scores(model, ["GWP100"])
    for key, values in looped.items():
        np.testing.assert_allclose(swept[key], values, rtol=1e-9)
