"""Climate methods in the built project, a real inventory against a hand calculation, and our sampler
against Brightway's own Monte Carlo machinery."""
import json

import numpy as np
import pytest
from conftest import INVENTORIES, run_cli

from lca.analysis.sampling import random_u
from lca.core import distributions
from lca.core.flows import biosphere3_flows

REL = 1e-6      # Brightway stores matrix values in float32 (bw_processing)


def factors(bd, name) -> dict[int, float]:
    """Characterisation factors of a registered method by flow id (amounts only)."""
    return {flow: cf["amount"] if isinstance(cf, dict) else cf for flow, cf in bd.Method(name).load()}


def flow_id(bd, name, categories):
    code = biosphere3_flows()[(name, categories)].code
    return bd.get_node(database="biosphere3", code=code).id


def test_ipcc_2021_factors_as_published(bw_project):
    """IPCC AR6 WG1 Ch. 7 Table 7.15: GWP100 CH4 fossil 29.8, N2O 273; GWP20 CH4 fossil 82.5."""
    bd = bw_project.brightway()
    gwp100 = factors(bd, ("IPCC 2021", "climate change", "global warming potential (GWP100)"))
    gwp20 = factors(bd, ("IPCC 2021", "climate change", "global warming potential (GWP20)"))
    assert gwp100[flow_id(bd, "Carbon dioxide, fossil", ("air",))] == 1.0
    assert gwp100[flow_id(bd, "Methane, fossil", ("air",))] == pytest.approx(29.8)
    assert gwp100[flow_id(bd, "Dinitrogen monoxide", ("air",))] == pytest.approx(273)
    assert gwp20[flow_id(bd, "Methane, fossil", ("air",))] == pytest.approx(82.5)


def test_high_altitude_methods(bw_project):
    bd = bw_project.brightway()
    inventory = bw_project.inventory()
    black_carbon = bd.get_node(database="lca biosphere", code="black_carbon_stratosphere").id
    with_ha = factors(bd, inventory.methods["GWP100+HA"].name)
    only_ha = factors(bd, inventory.methods["HA-nonCO2"].name)
    co2 = flow_id(bd, "Carbon dioxide, fossil", ("air",))
    assert with_ha[co2] == 1.0 and co2 not in only_ha
    # derived: F 7 mW m-2 per Gg/yr = 7e-9 W m-2 yr/kg, x (1 - exp(-100/4)), / AGWP100(CO2) 8.94651e-14 = 7.824e4
    assert with_ha[black_carbon] == only_ha[black_carbon] == pytest.approx(7e-9 / 8.94651e-14)
    assert len(only_ha) == 8    # BC x 3 (stratosphere, mesosphere, re-entry), H2O x 2, alumina x 3


def test_liquid_oxygen_from_the_us_grid_by_hand(bw_project, bw_dir):
    """file -> Brightway -> `lca footprint --json`: 1 t LOX = 1000 kg x lox_electricity [kWh/kg] x US grid [kg/kWh]."""
    inventory = bw_project.inventory()
    kwh_per_kg = inventory.databases["launch"].parameters["lox_electricity"].value
    grid = inventory.activity("background:electricity_US").exchanges[0].amount
    result = run_cli("footprint", "launch:liquid_oxygen_US", "--amount", "1000", "--method", "GWP100", "--json",
                     env={"LCA_BRIGHTWAY_DIR": str(bw_dir), "LCA_INVENTORIES": str(INVENTORIES)})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)["results"][0]
    assert data["score"] == pytest.approx(1000 * kwh_per_kg * grid, rel=REL)
    assert {row["stage"]: row["score"] for row in data["by_stage"]} == {
        "launch propellant production": pytest.approx(1000 * kwh_per_kg * grid, rel=REL)}


def test_our_sampler_matches_brightways_own_monte_carlo(bw_project):
    """bw2calc with use_distributions (stats_arrays) and our inverse-CDF sampler draw the same distribution:
    the US grid's CO2 per kWh is triangular; compare means and 2.5/50/97.5 percentiles of 3,000 draws."""
    import bw2calc as bc

    bd = bw_project.brightway()
    inventory = bw_project.inventory()
    exchange = inventory.activity("background:electricity_US").exchanges[0]
    node = bd.get_node(database="background", code="electricity_US")
    _, objs, _ = bd.prepare_lca_inputs({node.id: 1}, method=inventory.methods["GWP100"].name)
    lca = bc.LCA({node.id: 1}, data_objs=objs, use_distributions=True, seed_override=12)
    lca.lci()
    lca.lcia()
    brightway = []
    for _ in range(3000):
        next(lca)
        brightway.append(lca.score)
    ours = distributions.ppf(exchange.uncertainty, exchange.amount, random_u(12, "grid", 3000))
    spread = exchange.uncertainty["high"] - exchange.uncertainty["low"]
    for q in (2.5, 50, 97.5):
        assert np.percentile(brightway, q) == pytest.approx(np.percentile(ours, q), abs=0.03 * spread)
    assert np.mean(brightway) == pytest.approx(distributions.mean(exchange.uncertainty, exchange.amount),
                                               abs=0.01 * spread)
