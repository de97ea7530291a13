"""Every material driver (Sobol total index above 0.05) is on the Assumptions sheet and in the tornado,
labelled in words with unit and range."""
from __future__ import annotations

import pytest

from lca.analysis.sobol import MATERIAL_ST


@pytest.fixture(scope="module")
def api(bw_project):
    return bw_project


@pytest.mark.parametrize("method", ["GWP100", "GWP100+HA"])
def test_every_input_whose_total_index_may_exceed_005_is_a_main_parameter(api, method):
    from lca.analysis.compare import choices
    from lca.analysis.sensitivity import main_parameters

    inventory = api.inventory()
    # GWP100+HA reaches net surface cooling at the low end (negative orbital totals): the log ratio is undefined
    # there, so that method is analysed on the gap orbit - terrestrial
    frame = api.sobol(grids=["US"], n=512, seed=1, method=method)          # auto: gap for GWP100+HA
    # upper end of the 95 % interval: an input that may be material at this sample size counts
    material = set(frame.loc[frame["ST_high"] > MATERIAL_ST, "input"])
    main = set(main_parameters(inventory, choices(inventory, grids=["US"])))
    assert material <= main, f"add to defaults: drivers in inventories/systems.yaml: {material - main}"


def test_tornado_labels_name_the_driver_in_words_with_unit_and_range(api, us_fr_comparison):
    frame = api.sensitivity(us_fr_comparison, parameters=["launch.reuses_ss_ship", "launch.payload_leo_ssv3"],
                            methods=["GWP100"])
    labels = dict(zip(frame["parameter"], frame["label"]))
    assert labels["launch.reuses_ss_ship"] == "Flights per Starship ship [dimensionless], 5 to 100"
    assert labels["launch.payload_leo_ssv3"] == ("Starship V3 payload to LEO with both stages recovered [kg/item], "
                                                 "50,000 to 150,000")


def test_a_factor_that_sobol_names_can_be_set_and_moves_the_result_by_hand(api):
    """Halving the black-carbon factors of every band (7.82e4 -> 3.91e4) removes half of the black-carbon part."""
    bands = ("stratosphere", "mesosphere", "reentry")
    names = {band: f"cf:GWP100+HA:lca biosphere:black_carbon_{band}" for band in bands}
    bc = 7e-9 / 8.94651e-14     # the derived GWP100 factor by hand (docs/methods/high-altitude.md)
    halved = {name: bc / 2 for name in names.values()}
    base = api.compare(grids=["US"], mc=0)
    half = api.compare(grids=["US"], mc=0, overrides=halved)
    factor = api.inventory().methods["GWP100+HA"].factors
    centrals = [f.amount for f in factor if f.flow in {("lca biosphere", f"black_carbon_{b}") for b in bands}]
    orbit = base.orbit.name
    ha = base.totals("GWP100+HA")[orbit] - base.totals("GWP100")[orbit]     # high-altitude part, mostly BC
    assert centrals == pytest.approx([bc] * 3)
    assert half.totals("GWP100")[orbit] == pytest.approx(base.totals("GWP100")[orbit], rel=1e-12)
    # the drop is half of the black-carbon part, which is most (above 80 %) of the high-altitude part
    drop = base.totals("GWP100+HA")[orbit] - half.totals("GWP100+HA")[orbit]
    assert 0.40 * ha < drop <= 0.5 * ha
    sampled = api.compare(grids=["US"], mc=50, overrides=halved).extra["monte_carlo"]
    assert sampled.set_index(["system", "method"]).loc[(orbit, "GWP100+HA"), "median"] < 0.75 * api.compare(
        grids=["US"], mc=50).extra["monte_carlo"].set_index(["system", "method"]).loc[(orbit, "GWP100+HA"), "median"]
