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
    frame = api.sobol(grids=["US"], n=512, seed=1, method=method)
    # upper end of the 95 % interval: an input that may be material at this sample size counts
    material = set(frame.loc[frame["ST_high"] > MATERIAL_ST, "input"])
    main = set(main_parameters(inventory, choices(inventory, grids=["US"])))
    factors = {name for name in material if name.startswith("cf:")}
    assert material - factors <= main, f"add to defaults: drivers in inventories/systems.yaml: {material - main}"


def test_tornado_labels_name_the_driver_in_words_with_unit_and_range(api, us_fr_comparison):
    frame = api.sensitivity(us_fr_comparison, parameters=["launch.reuses_ss_ship", "launch.payload_leo_ssv3"],
                            methods=["GWP100"])
    labels = dict(zip(frame["parameter"], frame["label"]))
    assert labels["launch.reuses_ss_ship"] == "Flights per Starship ship [dimensionless], 5 to 100"
    assert labels["launch.payload_leo_ssv3"] == ("Starship V3 payload to LEO with both stages recovered [kg/item], "
                                                 "50,000 to 150,000")
