"""``ton`` (pint's short ton, 907 kg) is refused with the same message by every path that reads a unit."""
import pytest
from openpyxl import Workbook

from lca.core.units import AmbiguousUnitError, conversion_factor, parse_unit
from lca.inventory import read_inventory
from lca.inventory.overrides import OverrideError, normalise
from lca.inventory.read import InventoryError
from tests.conftest import make_mini_inventory

#: parse_unit's own words for the unit text 'ton'; every path must show them.
MESSAGE = "'ton': 'ton' is ambiguous; write 't' (metric tonne) or 'short_ton'"


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    return read_inventory(make_mini_inventory(tmp_path_factory.mktemp("guard") / "inventories"))


@pytest.mark.parametrize("text", ["ton", "tons", "ton*km", "kg/ton", "ton^2", "(ton)", "ton ** 2"])
def test_parse_unit_refuses_ton_in_any_spelling(text):
    with pytest.raises(AmbiguousUnitError, match="'ton' is ambiguous"):
        parse_unit(text)


@pytest.mark.parametrize("text, kg", [("t", 1000.0), ("tonne", 1000.0), ("metric_ton", 1000.0),
                                      ("short_ton", 907.18474)])   # short ton = 2000 lb of 0.45359237 kg
def test_unambiguous_masses_still_read(text, kg):
    assert conversion_factor(text, "kg") == pytest.approx(kg, rel=1e-12)


def test_yaml_loader_refuses_ton(tmp_path):
    root = make_mini_inventory(tmp_path / "inventories")
    lox = root / "demo/lox.yaml"
    lox.write_text(lox.read_text().replace("        amount: 3\n        unit: t\n", "        amount: 3\n        unit: ton\n"))
    with pytest.raises(InventoryError) as err:
        read_inventory(root)
    assert f"field 'unit': {MESSAGE}" in str(err.value)


def test_set_refuses_ton(mini):
    with pytest.raises(OverrideError) as err:
        normalise(mini, {"demo:stage.dry_mass": "5 ton"})
    assert str(err.value) == f"demo:stage.dry_mass: {MESSAGE}"
    assert normalise(mini, {"demo:stage.dry_mass": "5 t"}) == {"demo:stage.dry_mass": pytest.approx(5000.0)}


def test_assumptions_sheet_refuses_ton(mini, tmp_path):
    from lca.report import AssumptionsError, read_assumptions

    book = Workbook()
    sheet = book.active
    sheet.title = "Assumptions"
    sheet.append(["parameter", "value", "unit", "default"])
    sheet.append(["demo:stage.dry_mass", 5, "ton", 2000])
    path = tmp_path / "assumptions.xlsx"
    book.save(path)
    with pytest.raises(AssumptionsError) as err:
        read_assumptions(path, mini)
    assert str(err.value) == f"{path}: sheet 'Assumptions', row 2, column 'unit' (C2): {MESSAGE}"
    sheet["C2"] = "t"
    book.save(path)
    assert read_assumptions(path, mini).overrides == {"demo:stage.dry_mass": pytest.approx(5000.0)}
