"""Inventories -> bw2io Excel layout -> edited -> back into the YAML files (validated, atomic)."""
import textwrap

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
    paths = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx")
    assert [p.name for p in paths] == ["inv-background.xlsx", "inv-demo.xlsx"]     # one workbook per database
    assert import_workbook(paths, read_inventory(mini_root)) == []
    assert {p: p.read_bytes() for p in mini_root.rglob("*.yaml")} == before


def test_edited_amount_and_uncertainty_come_back_in_the_written_unit(mini_root, tmp_path):
    path, = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx", ["background"])
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
    path, = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx", ["background"])
    book = load_workbook(path)
    sheet = book["background"]
    cell_of(sheet, "Methane, fossil").offset(0, 1).value = 0.002
    book.save(path)
    import_workbook(path, read_inventory(mini_root))
    assert "# Table 1, row 3" in grid.read_text()


def test_invalid_edit_is_refused_and_nothing_changes(mini_root, tmp_path):
    before = {p: p.read_bytes() for p in mini_root.rglob("*.yaml")}
    path, = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx", ["demo"])
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
    path, = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx", ["demo"])
    cell = cell_of(load_workbook(path)["demo"], '=HYPERLINK("http://x","y")')
    assert cell.data_type == "s"


def test_exported_lognormal_samples_around_the_amount(mini_root, tmp_path):
    """stats_arrays reads ``loc`` as ln(median): the sampled median must be the amount (1e-3 kg of methane)."""
    import numpy as np
    from stats_arrays import MCRandomNumberGenerator, UncertaintyBase

    path, = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx", ["background"])
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


#: An analyst's import into a fresh Brightway project with bw2io alone (plus the tool's own flow list).
BW2IO_IMPORT = """
import functools, json, math, sys
import bw2calc, bw2data, bw2io
from bw2io.strategies import link_iterable_by_fields
from lca.brightway.methods import shipped_method_data
from lca.brightway.writer import write_our_biosphere
from lca.core.flows import OUR_BIOSPHERE
from lca.inventory import read_inventory

bw2data.projects.set_current("analyst")
bw2io.create_default_biosphere3()
write_our_biosphere(bw2data, read_inventory(sys.argv[1]))        # the tool's own elementary flows
method = ("IPCC 2021", "climate change", "global warming potential (GWP100)")
bw2data.Method(method).write([(bw2data.get_node(database="biosphere3", code=code).id, factor)
                              for code, factor in shipped_method_data()[method]])
for path in sys.argv[2:]:
    importer = bw2io.ExcelImporter(path)
    importer.apply_strategies()
    importer.apply_strategy(functools.partial(link_iterable_by_fields, other=bw2data.Database(OUR_BIOSPHERE),
                                              edge_kinds=["biosphere"]))
    for other in [name for name in bw2data.databases if name not in ("biosphere3", OUR_BIOSPHERE)]:
        importer.match_database(other, fields=("name", "reference product", "unit", "location"))
    assert not list(importer.unlinked), list(importer.unlinked)
    importer.write_database()
lca = bw2calc.LCA({bw2data.get_node(database="demo", code="stage"): 1}, method)
lca.lci()
lca.lcia()
methane = next(e for e in bw2data.get_node(database="background", code="electricity_XX").biosphere()
               if e.input["name"] == "Methane, fossil")
print(json.dumps({"score": lca.score, "methane_loc": methane["loc"], "methane_amount": methane["amount"]}))
"""


def test_bw2io_excel_importer_reads_the_export_into_a_fresh_project(mini_root, tmp_path):
    """bw2io's ExcelImporter reads every exported workbook; after linking, the score is ours and the hand value."""
    import json
    import math
    import os
    import subprocess
    import sys

    from tests.conftest import run_cli

    paths = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx")      # background, then demo
    analyst = tmp_path / "analyst-brightway"
    analyst.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LCA_", "BRIGHTWAY"))}
    done = subprocess.run([sys.executable, "-c", BW2IO_IMPORT, str(mini_root), *map(str, paths)], capture_output=True,
                          text=True, env=env | {"BRIGHTWAY2_DIR": str(analyst)}, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    theirs = json.loads(done.stdout.strip().splitlines()[-1])
    ours = run_cli("footprint", "demo:stage", "--inventories", str(mini_root), "--brightway-dir",
                   str(tmp_path / "our-brightway"), "--json")
    assert ours.returncode == 0, ours.stderr[-3000:]
    our_score = json.loads(ours.stdout)["results"][0]["score"]
    assert theirs["score"] == pytest.approx(our_score, rel=1e-9)
    # by hand: 2000 kg / 10 reuses of CO2, plus 3 t of LOX x 0.8 MJ/kg / 3.6 MJ/kWh x (0.4 kg CO2 + 1e-3 kg CH4
    # x 29.8, the IPCC AR6 GWP100 of fossil methane) per kWh
    assert our_score == pytest.approx(200 + 3000 * 0.8 / 3.6 * (0.4 + 1e-3 * 29.8), rel=1e-6)
    assert theirs["methane_loc"] == pytest.approx(math.log(theirs["methane_amount"]), rel=1e-12)


def test_unreadable_workbook_is_a_clear_error(tmp_path, mini_root):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(WorkbookError, match="cannot read as an xlsx workbook"):
        read_workbook(bad)


# --- edits that never vanish silently (issue 19, item 4) --------------------------------------------------

def _edit(path, sheet_name: str, activity_code: str, flow_or_name: str, **cells):
    """Set ``cells`` (column name -> value; underscores for spaces) in the exchange row of an activity."""
    book = load_workbook(path)
    sheet = book[sheet_name]
    rows = list(sheet.iter_rows())
    start = next(i for i, r in enumerate(rows) if r[0].value == "code" and r[1].value == activity_code)
    header_index = next(i for i in range(start, len(rows)) if rows[i][0].value == "name")
    header = [c.value for c in rows[header_index]]
    row = next(r for r in rows[header_index + 2:] if r[0].value == flow_or_name)   # after the production row
    for column, value in cells.items():
        row[header.index(column.replace("_", " "))].value = value
    book.save(path)


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """(removed, added) lines of a line diff, as `git diff` counts them."""
    import difflib

    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))
    removed = [d[1:] for d in diff if d.startswith("-") and not d.startswith("---")]
    added = [d[1:] for d in diff if d.startswith("+") and not d.startswith("+++")]
    return removed, added


def test_editing_an_amount_that_a_formula_sets_is_an_error_naming_formula_and_parameters(mini_root, tmp_path):
    before = {p: p.read_bytes() for p in mini_root.rglob("*.yaml")}
    path, = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx", ["demo"])
    _edit(path, "demo", "stage", "Carbon dioxide, fossil", amount=100)      # was dry_mass / reuses = 200 kg
    with pytest.raises(WorkbookError) as info:
        import_workbook(path, read_inventory(mini_root))
    text = str(info.value)
    assert "nothing was changed" in text and "'dry_mass / reuses'" in text and "would win on import" in text
    assert "demo:stage.dry_mass = 2000 kg (demo/lox.yaml)" in text and "demo.reuses = 10 (demo/lox.yaml)" in text
    assert "column 'amount' 200 -> 100" in text
    assert {p: p.read_bytes() for p in mini_root.rglob("*.yaml")} == before


def test_the_formula_edit_error_exits_2_on_the_command_line(mini_root, tmp_path):
    from lca.cli import main

    path, = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx", ["demo"])
    _edit(path, "demo", "stage", "Carbon dioxide, fossil", given_amount=100)
    assert main(["inventory", "import", str(path), "--inventories", str(mini_root), "--brightway-dir",
                 str(tmp_path / "bw")]) == 2


def test_emptying_the_formula_cell_makes_the_typed_amount_a_user_edit_with_history(mini_root, tmp_path):
    path, = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx", ["demo"])
    _edit(path, "demo", "stage", "Carbon dioxide, fossil", formula=None, amount=150, uncertainty_type=1)
    notes = []
    import_workbook(path, read_inventory(mini_root), notes=notes)
    assert notes == ["demo/lox.yaml: activity 'stage' exchange 2 (Carbon dioxide, fossil): formula dry_mass / "
                     "reuses -> 150 kg; source user_edit (was demo_assumption; previous value in 'history')"]
    inventory = read_inventory(mini_root)
    exchange = inventory.activity("demo:stage").exchanges[1]
    assert exchange.amount == 150 and not exchange.is_formula and exchange.source == "user_edit"
    assert inventory.sources["user_edit"].reliability == "assumption"
    import yaml
    stored = yaml.safe_load((mini_root / "demo/lox.yaml").read_text())["activities"][1]["exchanges"][1]
    assert stored["history"] == [{"date": stored["history"][0]["date"], "formula": "dry_mass / reuses",
                                  "unit": "kg", "source": "demo_assumption"}]


def test_one_edited_value_changes_only_its_own_lines(mini_root, tmp_path):
    """One amount edited in the workbook: in the YAML, the amount line and the source line change (the source
    becomes user_edit), the comment line moves into the new history entry, and the history lines are added:
    nothing else changes (indentation, quotes, comments, the other activities)."""
    grid = mini_root / "background/grid.yaml"
    grid.write_text(grid.read_text().replace(
        "        source: demo_grid\n      - flow: Methane",
        "        source: demo_grid\n        comment: \"Table 1, row 3: 400 g/kWh\"  # checked 2024\n      - flow: Methane")
        .replace("description: Test grid", "description: 'Test grid'   # quoted on purpose"))
    before = grid.read_text()
    path, = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx", ["background"])
    _edit(path, "background", "electricity_XX", "Carbon dioxide, fossil", amount=0.45)
    import_workbook(path, read_inventory(mini_root))
    removed, added = _changed_lines(before, grid.read_text())
    assert removed == ["        amount: 400", "        source: demo_grid",
                       "        comment: \"Table 1, row 3: 400 g/kWh\"  # checked 2024"]
    date = added[3].split("'")[1]
    assert added == ["        amount: 450", "        source: user_edit", "        history:",
                     f"          - date: '{date}'", "            amount: 400", "            unit: g",
                     "            source: demo_grid", "            comment: \"Table 1, row 3: 400 g/kWh\""]
    assert read_inventory(mini_root).activity("background:electricity_XX").exchanges[0].amount == pytest.approx(0.45)


def test_a_file_with_lists_at_the_left_margin_keeps_that_style(mini_root, tmp_path):
    """The launch files put list dashes under their key (``exchanges:`` / ``- input:``); an edit keeps that."""
    grid = mini_root / "background/grid.yaml"
    grid.write_text(textwrap.dedent("""\
        database: background
        description: Test grid
        activities:
        - code: electricity_XX
          name: electricity, test grid XX
          unit: kWh
          location: XX
          exchanges:
          - flow: Carbon dioxide, fossil
            categories: air
            amount: 400
            unit: g
            uncertainty: {distribution: triangular, low: 300, high: 500}
            source: demo_grid
          - flow: Methane, fossil
            categories: air
            amount: 1.0e-3
            unit: kg
            uncertainty: {distribution: lognormal, gsd: 1.5}
            source: demo_grid
        """))
    before = grid.read_text()
    assert "activities:\n- code: electricity_XX\n" in before and "  exchanges:\n  - flow:" in before
    path, = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx", ["background"])
    _edit(path, "background", "electricity_XX", "Methane, fossil", amount=0.002)
    import_workbook(path, read_inventory(mini_root))
    removed, added = _changed_lines(before, grid.read_text())
    assert removed == ["    amount: 1.0e-3", "    source: demo_grid"]
    assert added[:3] == ["    amount: 0.002", "    source: user_edit", "    history:"]
    assert added[3].startswith("    - date: '") and added[4:] == ["      amount: 0.001", "      unit: kg",
                                                                  "      source: demo_grid"]


def test_an_edited_given_amount_is_applied_and_an_edited_comment_is_kept(mini_root, tmp_path):
    path, = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx", ["background"])
    _edit(path, "background", "electricity_XX", "Carbon dioxide, fossil", given_amount=420,
          comment="new measurement", source="demo_grid_2024")
    sources = mini_root / "sources/demo.yaml"
    sources.write_text(sources.read_text() + "  demo_grid_2024:\n    authors: Test\n    title: Grid 2024\n"
                       "    year: 2024\n    reliability: assumption\n")
    import_workbook(path, read_inventory(mini_root))
    exchange = read_inventory(mini_root).activity("background:electricity_XX").exchanges[0]
    assert exchange.amount == pytest.approx(0.42) and exchange.comment == "new measurement"
    assert exchange.source == "demo_grid_2024"        # the analyst's own source id is kept, not user_edit
    import yaml
    stored = yaml.safe_load((mini_root / "background/grid.yaml").read_text())["activities"][0]["exchanges"][0]
    assert stored["history"][0]["amount"] == 400 and stored["history"][0]["source"] == "demo_grid"


def test_a_second_edit_adds_to_the_history(mini_root, tmp_path):
    for amount in (0.45, 0.5):
        path, = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx", ["background"])
        _edit(path, "background", "electricity_XX", "Carbon dioxide, fossil", amount=amount)
        import_workbook(path, read_inventory(mini_root))
    import yaml
    stored = yaml.safe_load((mini_root / "background/grid.yaml").read_text())["activities"][0]["exchanges"][0]
    assert stored["amount"] == 500 and stored["source"] == "user_edit"
    assert [(h["amount"], h["source"]) for h in stored["history"]] == [(400, "demo_grid"), (450, "user_edit")]


@pytest.mark.parametrize("cells, message", [
    ({"loc": 5.0}, "column 'loc' was edited"),
    ({"amount": 0.5, "given_amount": 300},
     "columns 'amount' (0.5 kilogram) and 'given amount' (300 g) were both edited and disagree"),
])
def test_an_edit_import_cannot_apply_is_refused(mini_root, tmp_path, cells, message):
    before = {p: p.read_bytes() for p in mini_root.rglob("*.yaml")}
    path, = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx", ["background"])
    _edit(path, "background", "electricity_XX", "Carbon dioxide, fossil", **cells)
    with pytest.raises(WorkbookError, match="nothing was changed") as info:
        import_workbook(path, read_inventory(mini_root))
    assert message in str(info.value)
    assert {p: p.read_bytes() for p in mini_root.rglob("*.yaml")} == before


def test_a_technosphere_name_is_the_providers(mini_root, tmp_path):
    path, = export_workbook(read_inventory(mini_root), tmp_path / "inv.xlsx", ["demo"])
    _edit(path, "demo", "stage", "liquid oxygen, test", name="liquid oxygen, renamed")
    with pytest.raises(WorkbookError, match="column 'name' was edited .* comes from the provider activity"):
        import_workbook(path, read_inventory(mini_root))
