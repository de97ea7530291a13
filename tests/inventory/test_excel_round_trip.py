"""Inventories -> bw2io Excel layout -> edited -> back into the YAML files (validated, atomic)."""
import pytest
from openpyxl import load_workbook

from lca.inventory import read_inventory
from lca.inventory.excel import WorkbookError, export_workbook, import_workbook, read_workbook


def cell_of(sheet, text):
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell
    raise AssertionError(f"{text!r} not in sheet")


def test_unedited_round_trip_changes_nothing(mini_root, tmp_path):
    before = {p: p.read_bytes() for p in mini_root.rglob("*.yaml")}
    path = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx")
    assert import_workbook(path, read_inventory(mini_root)) == []
    assert {p: p.read_bytes() for p in mini_root.rglob("*.yaml")} == before


def test_edited_amount_and_uncertainty_come_back_in_the_written_unit(mini_root, tmp_path):
    path = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx")
    book = load_workbook(path)
    sheet = book["background"]
    number = cell_of(sheet, "Carbon dioxide, fossil").row
    header_row = max(c.row for c in sheet["A"][:number] if c.value == "name")
    header = [c.value for c in sheet[header_row]]
    row = sheet[number]
    values = dict(zip(header, row))
    assert values["amount"].value == pytest.approx(0.4) and values["unit"].value == "kilogram"
    assert values["given unit"].value == "g" and values["given amount"].value == pytest.approx(400)
    values["amount"].value = 0.45                       # analyst edits Brightway's amount (kg)
    values["maximum"].value = 0.6
    book.save(path)
    written = import_workbook(path, read_inventory(mini_root))
    assert [p.name for p in written] == ["grid.yaml"]
    text = (mini_root / "background/grid.yaml").read_text()
    assert "amount: 450" in text and "unit: g" in text   # back in grams, as the data was written
    exchange = read_inventory(mini_root).activity("background:electricity_XX").exchanges[0]
    assert exchange.amount == pytest.approx(0.45)
    assert exchange.uncertainty["high"] == pytest.approx(0.6)


def test_yaml_comments_survive_an_import(mini_root, tmp_path):
    grid = mini_root / "background/grid.yaml"
    grid.write_text(grid.read_text().replace("        amount: 400\n", "        amount: 400  # Table 1, row 3\n"))
    path = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx")
    book = load_workbook(path)
    sheet = book["background"]
    cell_of(sheet, "Methane, fossil").offset(0, 1).value = 0.002
    book.save(path)
    import_workbook(path, read_inventory(mini_root))
    assert "# Table 1, row 3" in grid.read_text()


def test_invalid_edit_is_refused_and_nothing_changes(mini_root, tmp_path):
    before = {p: p.read_bytes() for p in mini_root.rglob("*.yaml")}
    path = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx")
    book = load_workbook(path)
    sheet = book["demo"]
    source = [c for row in sheet.iter_rows() for c in row if c.value == "demo_asu"][0]
    source.value = "no_such_source"
    book.save(path)
    with pytest.raises(WorkbookError, match="unknown source id 'no_such_source'"):
        import_workbook(path, read_inventory(mini_root))
    assert {p: p.read_bytes() for p in mini_root.rglob("*.yaml")} == before


def test_text_that_looks_like_a_formula_stays_text(mini_root, tmp_path):
    lox = mini_root / "demo/lox.yaml"
    lox.write_text(lox.read_text().replace("name: liquid oxygen, test", "name: '=HYPERLINK(\"http://x\",\"y\")'"))
    path = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx")
    cell = cell_of(load_workbook(path)["demo"], '=HYPERLINK("http://x","y")')
    assert cell.data_type == "s"


def test_exported_lognormal_samples_around_the_amount(mini_root, tmp_path):
    """stats_arrays reads ``loc`` as ln(median): the sampled median must be the amount (1e-3 kg of methane)."""
    import numpy as np
    from stats_arrays import MCRandomNumberGenerator, UncertaintyBase

    path = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx")
    sheet = load_workbook(path)["background"]
    number = cell_of(sheet, "Methane, fossil").row
    header_row = max(c.row for c in sheet["A"][:number] if c.value == "name")
    values = {h.value: c.value for h, c in zip(sheet[header_row], sheet[number], strict=False)}
    assert values["uncertainty type"] == 2 and values["amount"] == pytest.approx(1e-3)
    params = UncertaintyBase.from_dicts({"uncertainty_type": 2, "loc": values["loc"], "scale": values["scale"]})
    sample = MCRandomNumberGenerator(params, seed=7).generate(20000)
    # the median of 20000 lognormal draws with ln(gsd) = ln 1.5 is within 2% of the true median (~5 standard errors)
    assert np.median(sample) == pytest.approx(values["amount"], rel=0.02)
    assert values["scale"] == pytest.approx(np.log(1.5))


def test_bw2io_excel_importer_reads_the_export(mini_root, tmp_path, bw_dir):
    from bw2io import ExcelImporter

    path = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx", ["demo"])
    importer = ExcelImporter(path)
    names = {activity["name"] for activity in importer.data}
    assert names == {"liquid oxygen, test", "rocket stage use, test"}
    stage = next(a for a in importer.data if a["name"] == "rocket stage use, test")
    lox = next(e for e in stage["exchanges"] if e["type"] == "technosphere")
    assert lox["amount"] == pytest.approx(3000.0) and lox["unit"] == "kilogram"


def test_unreadable_workbook_is_a_clear_error(tmp_path, mini_root):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(WorkbookError, match="cannot read as an xlsx workbook"):
        read_workbook(bad)
