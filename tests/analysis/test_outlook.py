"""`lca when` (lca.analysis.outlook): the year solver on a hand-built linear case, and the re-scoring of the
systems by year against the Monte Carlo engine and the cost samples of the same seed."""
from __future__ import annotations

import numpy as np
import pytest
from conftest import INVENTORIES

from lca.analysis import cost, outlook, sampling
from lca.analysis.compare import choices
from lca.analysis.montecarlo import monte_carlo
from lca.inventory import read_inventory


def test_year_solver_on_a_hand_built_linear_case():
    # orbit cost falls linearly, 100 - 5 (Y - 2026), with a symmetric spread of +/-1 over two samples; the ground
    # stays at 60. Orbit is below 60 in both samples once 100 - 5 t + 1 < 60, i.e. t > 7.8; at t = 8 (2034) the
    # samples are 59 and 61 (P = 0.5, not above it); from t = 9 (2035) both are lower (P = 1).
    years = np.arange(2026, 2046)
    t = years - 2026
    orbit = (100 - 5 * t)[:, None] + np.array([-1.0, 1.0])[None, :]          # (years, samples)
    ground = np.full_like(orbit, 60.0)
    p = outlook.share_lower(orbit, ground)
    assert p[t == 7][0] == 0.0 and p[t == 8][0] == 0.5 and p[t == 9][0] == 1.0
    assert outlook.first_year(years, p) == 2035
    assert outlook.first_year(years, np.zeros(len(years))) is None
    assert outlook.first_year([2030, 2031], [0.5, 0.51]) == 2031             # "exceeds": 0.5 itself does not count


@pytest.fixture(scope="module")
def inventory():
    return read_inventory(INVENTORIES)


def test_learning_curves_of_price_and_power(inventory):
    chosen = choices(inventory, launcher="falcon9")
    years = np.array([2024.0, 2034.0, 2100.0])
    values, elapsed = outlook.year_values(inventory, chosen, {}, years)
    assert list(elapsed) == [0, 10, 76]
    # $4,000/kg x 0.85^10 = 787.5 $/kg; by 2100 the curve is held at the $10/kg floor
    assert values["cost.launch_price_falcon9"] == pytest.approx([4000, 4000 * 0.85 ** 10, 10])
    tdp = inventory.activity("gpu:accel_h100_sxm").properties["tdp"].value
    assert values["gpu:accel_h100_sxm.tdp"] == pytest.approx([tdp, tdp / 1.25 ** 10, tdp / 1.25 ** 76])


def test_rescoring_by_year_matches_the_engine_and_the_cost_in_the_base_year(bw_project):
    """In the data year (2024) nothing has moved: the linear re-scoring must give the Monte Carlo engine's
    emissions and the cost samples of the same seed, sample by sample (through their medians and P)."""
    inv = bw_project.inventory()
    bd = bw_project.brightway()
    chosen = choices(inv, grids=["US"])
    n, seed = 64, 5
    result = outlook.when(inv, bd, chosen, None, [2024], n, seed)
    run = monte_carlo(inv, bd, chosen, None, n, seed)
    costs = cost.cost_samples(inv, chosen, {}, sampling.draw(inv, n, seed, chosen.orbit, ("GWP100", "GWP100+HA"), {}))
    orbit, ground = run.orbit, "terrestrial, US"
    for method in ("GWP100", "GWP100+HA"):
        row = result.table[result.table["method"] == method].iloc[0]
        assert row["orbit_gCO2e_median"] == pytest.approx(np.median(run.scores[(orbit, method)]), rel=1e-9)
        assert row["ground_gCO2e_median"] == pytest.approx(np.median(run.scores[(ground, method)]), rel=1e-9)
        assert row["p_orbit_lower_carbon"] == pytest.approx(np.mean(run.scores[(orbit, method)]
                                                                    < run.scores[(ground, method)]))
        assert row["orbit_USD_median"] == pytest.approx(np.median(costs[orbit]), rel=1e-9)
        assert row["p_orbit_cheaper"] == pytest.approx(np.mean(costs[orbit] < costs[ground]))


def test_a_grid_rate_for_a_grid_not_compared_is_refused(bw_project):
    with pytest.raises(outlook.OutlookError, match="--rate for grid"):
        bw_project.when(2026, 2027, grids=["US"], rates={"FR": 0.05}, mc=4)
