"""Text from inputs stays text in every sheet of every workbook the tool writes: strings starting with ``=``, ``+``,
``-``, ``@`` or a tab (what spreadsheet programs read as formulas) are string cells, never formulas."""
import copy
import dataclasses
import zipfile

import openpyxl
import pytest

#: Each starts with a character a spreadsheet may read as the start of a formula.
HOSTILE = {"activity name": '=HYPERLINK("http://x","y")', "source title": "+1+1", "source authors": "-2+3",
           "parameter description": "@SUM(A1:A2)", "source note": "\t=1+1", "location": "=cmd|' /C calc'!A0"}


def hostile_inventory(inventory):
    inventory = copy.deepcopy(inventory)
    activity = inventory.databases["gpu"].activities["accel_h100_sxm"]
    activity.name = HOSTILE["activity name"]
    activity.location = HOSTILE["location"]
    source = inventory.parameters["compute.mfu"].source
    inventory.sources[source] = dataclasses.replace(
        inventory.sources[source], title=HOSTILE["source title"], authors=HOSTILE["source authors"],
        note=HOSTILE["source note"])
    inventory.parameters["compute.mfu"] = dataclasses.replace(inventory.parameters["compute.mfu"],
                                                              description=HOSTILE["parameter description"])
    return inventory


def cells_holding_hostile_text(path):
    """(sheet, value) of every cell holding one of the hostile strings; fails on any formula cell."""
    book = openpyxl.load_workbook(path)
    found = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{path.name} {sheet.title}!{cell.coordinate} is a formula: {cell.value}"
                if isinstance(cell.value, str) and any(text in cell.value for text in HOSTILE.values()):
                    assert cell.data_type == "s"
                    found.add((sheet.title, cell.value))
    with zipfile.ZipFile(path) as archive:
        assert not any("<f>" in archive.read(name).decode("utf-8", "replace")
                       for name in archive.namelist() if name.startswith("xl/worksheets/"))
    return found


def test_the_report_keeps_hostile_text_as_text_in_every_sheet(bw_project, monkeypatch, tmp_path):
    from lca import api

    inventory = hostile_inventory(api.inventory())
    result = api.compare(grids=["FR"])
    monkeypatch.setattr(api, "inventory", lambda: inventory)
    found = cells_holding_hostile_text(api.write_report(result, tmp_path / "hostile.xlsx"))
    values = {value for _, value in found}
    for what, text in HOSTILE.items():
        assert any(text in value for value in values), f"the {what} ({text!r}) is missing from the report"


@pytest.mark.parametrize("database", ["gpu"])
def test_the_inventory_export_keeps_hostile_text_as_text(bw_project, tmp_path, database):
    from lca import api
    from lca.inventory.excel import export_workbook

    inventory = hostile_inventory(api.inventory())
    written = export_workbook(inventory, tmp_path / "export.xlsx", [database])
    paths = written if isinstance(written, list) else [written]
    found = set().union(*(cells_holding_hostile_text(path) for path in paths))
    assert any(HOSTILE["activity name"] in value for _, value in found)
    assert any(HOSTILE["location"] in value for _, value in found)
