"""Each class of bad inventory input gives an error naming the file, line, activity/exchange, field and problem."""
import re

import pytest

from lca.inventory import InventoryError, read_inventory


def edit(path, old, new, count=1):
    text = path.read_text()
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, count))


def problems(root) -> str:
    with pytest.raises(InventoryError) as info:
        read_inventory(root)
    return str(info.value)


def test_mini_inventory_is_valid(mini_root):
    inventory = read_inventory(mini_root)
    stage = inventory.activity("demo:stage")
    lox = stage.exchanges[0]
    assert lox.input == ("demo", "lox")
    assert lox.amount == pytest.approx(3000.0)            # 3 t written, provider unit kg
    electricity = inventory.activity("demo:lox").exchanges[0]
    assert electricity.amount == pytest.approx(0.8 / 3.6)  # 0.8 MJ/kg as kWh per kg
    co2 = inventory.activity("background:electricity_XX").exchanges[0]
    assert co2.amount == pytest.approx(0.4)                # 400 g -> 0.4 kg
    assert co2.uncertainty == {"distribution": "triangular", "low": pytest.approx(0.3), "high": pytest.approx(0.5)}


def test_unknown_unit(mini_root):
    edit(mini_root / "background/grid.yaml", "unit: g\n", "unit: grams_of_stuff\n")
    message = problems(mini_root)
    assert re.search(r"background/grid\.yaml:\d+: activity 'electricity_XX' exchange 1 \(Carbon dioxide, fossil\): "
                     r"field 'unit': unknown unit 'grams_of_stuff'", message), message


def test_wrong_dimension(mini_root):
    edit(mini_root / "demo/lox.yaml", "        unit: t\n", "        unit: kWh\n")
    message = problems(mini_root)
    assert "demo/lox.yaml" in message and "activity 'stage' exchange 1 (demo:lox)" in message
    assert "field 'unit': wrong dimension" in message and "[mass]" in message, message


def test_unknown_source_id_suggests_a_close_one(mini_root):
    edit(mini_root / "background/grid.yaml", "source: demo_grid", "source: demo_gird")
    message = problems(mini_root)
    assert "field 'source': unknown source id 'demo_gird' (did you mean 'demo_grid'?)" in message


def test_missing_provider(mini_root):
    edit(mini_root / "demo/lox.yaml", "input: background:electricity_XX", "input: background:electricity_XY")
    message = problems(mini_root)
    assert ("activity 'lox' exchange 1 (background:electricity_XY): field 'input': missing provider: "
            "no activity 'electricity_XY' in database 'background' (did you mean 'electricity_XX'?)") in message


def test_negative_amount_not_allowed(mini_root):
    edit(mini_root / "demo/lox.yaml", "amount: 0.5\n", "amount: -0.5\n")
    edit(mini_root / "demo/lox.yaml", "{distribution: triangular, low: 0.25, high: 1}",
         "{distribution: triangular, low: -1, high: 0}")
    message = problems(mini_root)
    assert "activity 'stage' exchange 3 (Black carbon): negative amount -0.5 not allowed" in message


def test_nan_amount(mini_root):
    edit(mini_root / "background/grid.yaml", "amount: 400", "amount: .nan")
    assert "field 'amount': must be finite, got nan" in problems(mini_root)


def test_duplicate_code(mini_root):
    edit(mini_root / "demo/lox.yaml", "  - code: stage\n", "  - code: lox\n")
    assert re.search(r"demo/lox\.yaml:\d+: activity 'lox': duplicate code", problems(mini_root))


def test_duplicate_yaml_key_and_syntax_error(mini_root):
    edit(mini_root / "background/grid.yaml", "    unit: kWh\n", "    unit: kWh\n    unit: MJ\n")
    assert re.search(r"background/grid\.yaml:\d+: not valid YAML: duplicate key 'unit'", problems(mini_root))


def test_uncertainty_must_bracket_the_value(mini_root):
    edit(mini_root / "background/grid.yaml", "low: 300, high: 500", "low: 450, high: 500")
    assert "field 'uncertainty': triangular: need low <= value <= high, got 450.0 <= 400.0 <= 500.0" in \
        problems(mini_root)


def test_missing_uncertainty(mini_root):
    edit(mini_root / "background/grid.yaml", "        uncertainty: {distribution: lognormal, gsd: 1.5}\n", "")
    assert "exchange 2 (Methane, fossil): field 'uncertainty': missing" in problems(mini_root)


def test_formula_with_unknown_parameter_and_wrong_dimension(mini_root):
    edit(mini_root / "demo/lox.yaml", "formula: dry_mass / reuses", "formula: dry_mass / reuse")
    assert "field 'formula': unknown parameter(s) reuse" in problems(mini_root)
    edit(mini_root / "demo/lox.yaml", "formula: dry_mass / reuse", "formula: asu_electricity")
    message = problems(mini_root)
    assert "field 'formula': formula 'asu_electricity' gives" in message and "expected kg" in message


def test_parameter_outside_its_limits(mini_root):
    edit(mini_root / "demo/lox.yaml", "    value: 10\n", "    value: 0.5\n")
    edit(mini_root / "demo/lox.yaml", "low: 5, high: 20", "low: 0.4, high: 20")
    assert "parameter 'reuses': value 0.5 dimensionless outside its limits [1, inf)" in problems(mini_root)


def test_unknown_flow_lists_known_categories(mini_root):
    edit(mini_root / "demo/lox.yaml", "categories: air::stratosphere", "categories: air::thermosphere")
    message = problems(mini_root)
    assert "unknown flow 'Black carbon' in 'air::thermosphere'" in message
    assert "air::stratosphere" in message


def test_source_without_doi_or_url(mini_root):
    edit(mini_root / "sources/demo.yaml", "    url: https://example.org/grid\n", "")
    assert "source 'demo_grid': needs a 'doi' or 'url'" in problems(mini_root)


def test_all_problems_are_reported_together(mini_root):
    edit(mini_root / "background/grid.yaml", "source: demo_grid", "source: nope")
    edit(mini_root / "demo/lox.yaml", "        unit: t\n", "        unit: kWh\n")
    message = problems(mini_root)
    assert message.startswith("2 problem(s)"), message
    assert "unknown source id 'nope'" in message and "wrong dimension" in message


def test_systems_choices_file_is_validated(tmp_path):
    """inventories/systems.yaml: wrong types and dangling references are reported, not raised."""
    import shutil

    from conftest import INVENTORIES

    root = tmp_path / "inventories"
    shutil.copytree(INVENTORIES, root)
    systems = root / "systems.yaml"
    text = systems.read_text()
    systems.write_text(text.replace("H100-SXM: gpu:accel_h100_sxm", "H100-SXM: gpu:accel_h100_sxmm")
                       .replace("leo-550-53: {launch: leo}", "leo-550-53: {launch: gto}"))
    message = problems(root)
    assert "accelerator 'H100-SXM': no activity 'gpu:accel_h100_sxmm'" in message
    assert "orbit 'leo-550-53': expected {launch: leo} or {launch: sso}" in message
    systems.write_text(text.replace("launchers:\n", "launchers: 5\nunused:\n", 1))
    line = text[:text.index("launchers:\n")].count("\n") + 1           # the line of 'launchers:'
    assert f"systems.yaml:{line}: field 'launchers': expected a mapping of named entries, got int" in problems(root)
    systems.write_text(text.replace("drivers: [", "drivers: [orbit.no_such_driver, ", 1))
    assert "defaults 'drivers': unknown parameter 'orbit.no_such_driver'" in problems(root)
