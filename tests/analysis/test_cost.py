"""Cost of a comparison (lca.analysis.cost): the cost of carbon avoided in its four sign cases, the pairing of
cost and carbon samples, the unit check of the prices, and `compare --cost` end to end."""
from __future__ import annotations

import math
import shutil

import numpy as np
import pytest
from conftest import INVENTORIES

from lca.analysis import cost, sampling
from lca.analysis.compare import COMPARE_METHODS, build_systems, choices
from lca.inventory import read_inventory


@pytest.fixture(scope="module")
def inventory():
    return read_inventory(INVENTORIES)


# costs [USD per PFLOP-day] and emissions [g CO2e per PFLOP-day]: ground 100 USD and 3 t; orbit 80 or 120 USD, 1 or 3 t
@pytest.mark.parametrize("orbit_cost, orbit_g, ground_g, ratio, key, words", [
    (80, 1e6, 3e6, (80 - 100) / 2, (False, True), "cheaper and cleaner"),     # -10 USD/t: avoided at a saving
    (120, 1e6, 3e6, (120 - 100) / 2, (True, True), "dearer and cleaner"),     # +10 USD/t: the abatement cost
    (80, 3e6, 1e6, (80 - 100) / -2, (False, False), "cheaper and dirtier"),   # +10 too: a saving per tonne added
    (120, 3e6, 1e6, (120 - 100) / -2, (True, False), "dearer and dirtier"),   # -10: nothing avoided
])
def test_cost_of_carbon_avoided_in_its_four_sign_cases(orbit_cost, orbit_g, ground_g, ratio, key, words):
    assert cost.abatement_cost(orbit_cost, 100, orbit_g, ground_g) == pytest.approx(ratio)
    assert abs(ratio) == 10
    assert cost.quadrant(orbit_cost, 100, orbit_g, ground_g) == key
    assert cost.QUADRANT_NAMES[key] == words
    assert cost.QUADRANTS[key].startswith(f"orbit {words}")


def test_the_sign_alone_does_not_tell_the_cases_apart_but_the_quadrant_does():
    dearer_cleaner = cost.abatement_cost(120, 100, 1e6, 3e6)
    cheaper_dirtier = cost.abatement_cost(80, 100, 3e6, 1e6)
    assert dearer_cleaner == cheaper_dirtier == pytest.approx(10)
    assert cost.quadrant(120, 100, 1e6, 3e6) != cost.quadrant(80, 100, 3e6, 1e6)


def test_equal_emissions_give_no_ratio():
    assert math.isnan(cost.abatement_cost(120, 100, 2e6, 2e6))
    ratios = cost.abatement_cost(np.array([120, 120]), np.array([100, 100]), np.array([2e6, 1e6]), np.array([2e6, 3e6]))
    assert math.isnan(ratios[0]) and ratios[1] == pytest.approx(10)


def test_a_price_with_a_non_currency_unit_names_the_file_and_field(tmp_path):
    root = tmp_path / "inventories"
    shutil.copytree(INVENTORIES, root)
    path = root / "parameters" / "cost.yaml"
    text = path.read_text()
    block = text.index("name: cost.launch_price_falcon9\n")
    path.write_text(text[:block] + text[block:].replace("unit: USD_2024/kg", "unit: kg", 1))
    with pytest.raises(cost.CostError) as raised:
        cost.check_units(read_inventory(root))
    message = str(raised.value)
    assert "parameters/cost.yaml" in message and "'cost.launch_price_falcon9'" in message
    assert "field 'unit'" in message and "'kg'" in message and "USD_2024/kg" in message


def test_a_launcher_without_a_price_says_which_parameter_to_add(inventory):
    chosen = choices(inventory, launcher="falcon9")
    chosen.launcher = "balloon"
    with pytest.raises(cost.CostError, match=r"cost\.launch_price_balloon.*inventories/parameters/cost\.yaml"):
        cost.price_names(inventory, chosen)


def test_the_carbon_sampling_leaves_the_prices_out_and_the_cost_draws_them(inventory):
    carbon = sampling.uncertain_parameters(inventory, "sso-dawn-dusk")
    economic = sampling.uncertain_parameters(inventory, "sso-dawn-dusk", economic=True)
    assert carbon and economic and not set(carbon) & set(economic)
    assert all(name.startswith(("cost.", "outlook.")) for name in economic)
    assert "cost.launch_price_starship_v3" in economic and "orbit.lifetime" in carbon


def test_cost_samples_are_the_systems_of_the_carbon_samples(inventory):
    """Sample i of the cost is the deterministic cost of the system built from sample i of every input."""
    chosen = choices(inventory, grids=["US", "FR"])
    samples = sampling.draw(inventory, 16, 7, chosen.orbit, COMPARE_METHODS, {})
    totals = cost.cost_samples(inventory, chosen, {}, samples)
    prices = sampling.draw_economic(inventory, 16, 7)
    i = 11
    values = {name: float(v[i]) for name, v in {**samples.parameters, **prices}.items()}
    one = cost.system_costs(inventory, chosen, values, build_systems(inventory, chosen, values))
    for name, stages in one.items():
        assert totals[name][i] == pytest.approx(sum(stages.values()), rel=1e-12)
    orbit = next(name for name in totals if name.startswith("orbit"))
    assert np.std(totals[orbit]) > 0                        # prices and sizing vary from sample to sample
    # the orbital service life is an input of both results: the cost samples follow it (shorter life, dearer)
    life = samples.parameters["orbit.lifetime"]
    assert np.corrcoef(life, totals[orbit])[0, 1] < 0


def test_compare_with_cost_end_to_end(bw_project):
    result = bw_project.compare(grids=["US", "FR"], mc=200, seed=3, cost=True)
    data = result.to_dict()["cost"]
    assert data["unit"] == "USD_2024/PFLOP_day" and data["n"] == 200 and data["seed"] == 3
    summary = result.extra["cost"].summary().set_index("system")
    stages = result.extra["cost"].table.groupby("system")["value"].sum()
    for system in summary.index:
        assert summary.loc[system, "central"] == pytest.approx(stages[system])
        assert summary.loc[system, "p5"] <= summary.loc[system, "median"] <= summary.loc[system, "p95"]
    abatement = result.extra["cost"].abatement
    assert len(abatement) == 2 * 2                          # two grids x GWP100, GWP100+HA
    totals = result.totals("GWP100")
    row = abatement[(abatement["grid"] == "US") & (abatement["method"] == "GWP100")].iloc[0]
    orbit, ground = result.orbit.name, "terrestrial, US"
    expected = (stages[orbit] - stages[ground]) / ((totals[ground] - totals[orbit]) / 1e6)
    assert row["central"] == pytest.approx(expected)
    shares = [row[f"share {name}"] for name in cost.QUADRANT_NAMES.values()]
    assert sum(shares) == pytest.approx(1.0)
