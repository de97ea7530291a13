"""Scenario files (inventories/scenarios/) and study presets: loading, validation, sources."""
from __future__ import annotations

import pytest

from lca.errors import InputError
from lca.inventory import read_inventory
from lca.inventory.scenarios import ScenarioError, available, read_scenario
from tests.conftest import INVENTORIES


@pytest.fixture(scope="module")
def inventory():
    return read_inventory(INVENTORIES)


def write(tmp_path, text: str):
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
scenario: mine
description: my own edit
choices: {launcher: falcon9}
parameters:
  orbit.lifetime:
    value: 84
    unit: month
    source: aguerayarcas2025_suncatcher
    description: seven years
"""


def test_shipped_scenarios_are_target_and_demonstrated(inventory):
    assert {"target", "demonstrated"} <= set(available("scenario", INVENTORIES))


@pytest.mark.parametrize("kind", ["scenario", "preset"])
def test_every_shipped_value_resolves_to_a_source_with_a_citation(inventory, kind):
    for name in available(kind, INVENTORIES):
        file = read_scenario(name, inventory, kind, INVENTORIES)
        assert file.entries, name
        for entry in file.entries:
            source = inventory.sources[entry.source]
            assert source.title and (source.url or source.doi or source.reliability == "assumption"), (name, entry)
            assert entry.description, (name, entry.name)


def test_units_are_converted_to_the_parameter_unit(inventory, tmp_path):
    file = read_scenario(write(tmp_path, GOOD), inventory, root=INVENTORIES)
    assert file.overrides == {"orbit.lifetime": pytest.approx(7.0)}      # 84 month = 7 year
    assert file.choices == {"launcher": "falcon9"}


def test_target_and_demonstrated_values(inventory):
    """The values as documented: Starship V3 100 t and 100 reuses vs Falcon 9 30 reuses, iROSA 59 W/kg."""
    target = read_scenario("target", inventory, root=INVENTORIES).overrides
    demonstrated = read_scenario("demonstrated", inventory, root=INVENTORIES).overrides
    assert target["launch.payload_leo_ssv3"] == 100_000          # kg per launch
    assert target["launch.reuses_ss_ship"] == 100
    assert target["launch.space_grade_inventory"] == 0
    assert demonstrated["launch.space_grade_inventory"] == 1
    assert demonstrated["pv:space_array_iii_v_flex.specific_power"] == pytest.approx(20_000 / 340, abs=0.5)
    assert demonstrated["launch.reuses_f9_booster"] == 30


@pytest.mark.parametrize("edit, expected", [
    (("    source: aguerayarcas2025_suncatcher\n", "    source: nobody2099\n"),
     "parameters.orbit.lifetime.source: unknown source id 'nobody2099'"),
    (("    unit: month\n", "    unit: kg\n"), "parameters.orbit.lifetime: '84 kg' has the wrong dimension"),
    (("    value: 84\n", "    value: 84000\n"), "parameters.orbit.lifetime: 7000 year is outside the allowed range"),
    (("  orbit.lifetime:\n", "  orbit.lifetimes:\n"), "parameters.orbit.lifetimes: unknown parameter"),
    (("    description: seven years\n", ""), "parameters.orbit.lifetime.description: missing"),
    (("description: my own edit\n", ""), "field 'description': missing"),
    (("choices: {launcher: falcon9}\n", "choices: {rocket: falcon9}\n"), "choices.rocket: unknown choice"),
    (("    value: 84\n", "    value: [84]\n"), "field 'parameters.orbit.lifetime.value': expected a number"),
    (("scenario: mine\n", "scenario: mine\nscenario: again\n"), "duplicate key 'scenario'"),
    (("    description: seven years\n", "    description: seven years\n    colour: red\n"),
     "parameters.orbit.lifetime.colour: unknown field"),
])
def test_bad_files_name_file_and_field(inventory, tmp_path, edit, expected):
    path = write(tmp_path, GOOD.replace(*edit))
    with pytest.raises(ScenarioError) as err:
        read_scenario(path, inventory, root=INVENTORIES)
    assert isinstance(err.value, InputError)
    assert str(path) in str(err.value) and expected in str(err.value)


def test_unknown_name_lists_the_shipped_ones(inventory):
    with pytest.raises(ScenarioError, match="unknown scenario 'optimistic'.*demonstrated, target"):
        read_scenario("optimistic", inventory, root=INVENTORIES)


PRESET = GOOD + ("published: {value: 10, unit: ratio, functional_unit: same workload, scope: [launch combustion CO2], "
                 "source: aguerayarcas2025_suncatcher, locator: abstract}\n")


@pytest.mark.parametrize("edit, expected", [
    (("unit: ratio", "unit: tCO2e/yr"), "published.unit: 'tCO2e/yr' cannot be converted"),
    (("scope: [launch combustion CO2]", "scope: [rocket]"), "published.scope: unknown stage 'rocket'"),
    (("locator: abstract", "locator: ''"), "published.locator: missing"),
    (("source: aguerayarcas2025_suncatcher, locator", "source: nobody, locator"), "published.source: unknown"),
    (("    description: seven years\n", "    description: seven years\n    group: rocket\n"),
     "parameters.orbit.lifetime.group: unknown group 'rocket'"),
])
def test_bad_preset_published_block(inventory, tmp_path, edit, expected):
    with pytest.raises(ScenarioError, match=expected):
        read_scenario(write(tmp_path, PRESET.replace(*edit)), inventory, "preset", INVENTORIES)


def test_published_block_only_in_presets(inventory, tmp_path):
    text = GOOD + ("published: {value: 1, unit: gCO2e/kWh, functional_unit: kWh, scope: [launch], "
                   "source: aguerayarcas2025_suncatcher, locator: p. 1}\n")
    with pytest.raises(ScenarioError, match="only a study preset"):
        read_scenario(write(tmp_path, text), inventory, root=INVENTORIES)
