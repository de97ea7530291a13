"""The analyst's Excel report: values against the JSON, charts, Assumptions round trip, text safety,
atomic writing, the `lca report` command and a LibreOffice conversion.

One report (orbit vs the US and French grids) is written once for the module and read back with openpyxl.
"""
from __future__ import annotations

import copy
import dataclasses
import io
import json
import math
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest
from conftest import INVENTORIES

G = "[g CO2e/PFLOP-day]"
EVIL = '=HYPERLINK("http://x","y")'


@pytest.fixture(scope="module")
def api(bw_project):
    return bw_project


@pytest.fixture(scope="module")
def comparison(us_fr_comparison):
    return us_fr_comparison


@pytest.fixture(scope="module")
def written(api, us_fr_report_data, tmp_path_factory):
    """The report of ``comparison``: the in-memory workbook (charts), the file, its PNGs and the data."""
    from lca.report import excel

    data = us_fr_report_data
    book, pngs = excel.build_workbook(data)
    path = tmp_path_factory.mktemp("report") / "us-fr.xlsx"
    excel.save(book, pngs, path)
    return SimpleNamespace(path=path, book=book, data=data, pngs=excel.png_paths(path, pngs),
                           values=openpyxl.load_workbook(path))


def records(sheet) -> list[dict]:
    """Rows of the table at A1 of ``sheet`` as dicts (header -> value), up to the first empty row."""
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    out = []
    for row in rows:
        if row[0] is None:
            break
        out.append(dict(zip(header, row)))
    return out


def test_summary_stages_and_results_match_the_json(written, comparison):
    data = comparison.to_dict()
    orbit = data["systems"][0]
    summary = {r["system"]: r for r in records(written.values["Summary"])}
    assert list(summary) == [s["name"] for s in data["systems"]]
    for system in data["systems"]:
        row = summary[system["name"]]
        for method in ("GWP100", "GWP100+HA"):
            assert row[f"central (deterministic) {method} {G}"] == pytest.approx(system["total"][method], rel=1e-12)
            assert row[f"orbit ÷ system, central (deterministic) {method} [-]"] == pytest.approx(
                orbit["total"][method] / system["total"][method], rel=1e-12)
            stats = system["monte_carlo"][method]
            assert row[f"MC median, {method} {G}"] == pytest.approx(stats["median"], rel=1e-12)
            assert row[f"MC 5th percentile, {method} {G}"] == pytest.approx(stats["p5"], rel=1e-12)
            assert row[f"MC 95th percentile, {method} {G}"] == pytest.approx(stats["p95"], rel=1e-12)
            assert row[f"P(orbit lower), {method} [-]"] == stats["p_orbit_lower"]
    assert not any(header.startswith("orbit lower-carbon?") for header in summary["terrestrial, US"])   # no yes/no
    assert list(summary["terrestrial, US"])[3].startswith("MC median")          # the distribution leads
    stages = records(written.values["By stage"])
    assert len(stages) == 2 * len(data["systems"])
    for row in stages:
        system = next(s for s in data["systems"] if s["name"] == row["system"])
        by_stage = system["by_stage"][row["method"]]
        for header, value in row.items():
            if header.endswith(G) and not header.startswith("total"):
                assert value == pytest.approx(by_stage.get(header[:-len(G) - 1], 0.0), rel=1e-12, abs=1e-12)
        assert row[f"total {G}"] == pytest.approx(system["total"][row["method"]], rel=1e-12)
    tidy = records(written.values["Results"])
    assert {r["statistic"] for r in tidy} == {"deterministic", "median", "p5", "p95", "p2_5", "p97_5",
                                               "p_orbit_lower"}
    assert sum(r["statistic"] == "deterministic" for r in tidy) == len(comparison.table)
    lookup = {(r["system"], r["method"], r["stage"]): r["value [unit]"] for r in tidy if r["statistic"] == "deterministic"}
    for system in data["systems"]:
        for method, total in system["total"].items():
            assert lookup[(system["name"], method, "total")] == pytest.approx(total, rel=1e-12)


def test_cover_states_the_answer_with_the_numbers_of_the_summary(written, comparison):
    from lca.report.text import significant

    cover = {r[0]: r[1] for r in written.values["Cover"].iter_rows(values_only=True) if r[0]}
    totals = comparison.totals("GWP100")
    orbit = comparison.systems[0].name
    answer = cover["Answer"]
    assert answer.startswith("Under this configuration")          # two grids only: not the default
    assert f"Central (deterministic) values: orbit emits {significant(totals[orbit])} g CO2e per PFLOP-day (GWP100)" \
        in answer
    assert f"{significant(totals[orbit] / totals['terrestrial, US'])}× the US grid (United States)" in answer
    assert f"{significant(totals[orbit] / totals['terrestrial, FR'])}× the FR grid (France)" in answer
    ha = comparison.totals("GWP100+HA")[orbit]
    assert f"Including high-altitude effects (GWP100+HA), orbit emits {significant(ha)}" in answer
    assert "critical review" in cover["Critical review"]
    scope = {r["field"]: r["description"] for r in records(written.values["Goal and scope"])}
    for field in ("Functional unit", "System boundary: orbit", "Cut-off criteria", "Allocation", "LCIA methods",
                  "Data quality", "Limitations", "Goal: comparative assertion"):
        assert scope[field]
    assert "§6.1" in scope["Goal: comparative assertion"] and "§5.2" in scope["Goal: comparative assertion"]


def test_cover_sentence_states_the_probabilities_of_the_json(written, comparison):
    """The one-sentence answer is the Monte Carlo distribution of the JSON (median, 5-95 %, P(orbit lower)),
    rounded as the interval allows, and no yes/no."""
    from lca.report.text import probability, with_interval

    data = comparison.to_dict()
    cover = {r[0]: r[1] for r in written.values["Cover"].iter_rows(values_only=True) if r[0]}
    sentence = cover["Answer"].split(" Central (deterministic) values:")[0]
    orbit, us, fr = data["systems"]
    for method, label in (("GWP100", "GWP100"), ("GWP100+HA", "GWP100+HA, with high-altitude effects")):
        stats = orbit["monte_carlo"][method]
        assert f"median {with_interval(stats['median'], stats['p5'], stats['p95'])} g CO2e per PFLOP-day " \
               f"({label}), probability that orbit is lower-carbon " \
               f"{probability(us['monte_carlo'][method]['p_orbit_lower'])} against the US grid (United States) and " \
               f"{probability(fr['monte_carlo'][method]['p_orbit_lower'])} against the FR grid (France)" in sentence
    assert f"over {orbit['monte_carlo']['GWP100']['n']:,} Monte Carlo samples" in sentence
    assert not re.search(r"\b(yes|no)\b", sentence)


def test_process_contributions_add_up_and_match_footprints(written, comparison, api):
    rows = pd.DataFrame(records(written.values["By process"]))
    totals = comparison.table[comparison.table["stage"] == "total"].set_index(["system", "method"])["value"]
    sums = rows.groupby(["system", "method"])[f"contribution {G}"].sum()
    assert set(sums.index) == set(totals.index)
    for key, value in sums.items():
        assert value == pytest.approx(totals[key], rel=1e-9)
    stages = comparison.table[comparison.table["stage"] != "total"].set_index(["system", "method", "stage"])["value"]
    for key, value in rows.groupby(["system", "method", "stage"])[f"contribution {G}"].sum().items():
        assert value == pytest.approx(stages[key], rel=1e-9, abs=1e-6)
    # one contribution by hand: amount x an independent footprint of one unit of the provider
    launch = rows[(rows["kind"] == "orbit") & (rows["method"] == "GWP100") & rows["provider"].str.startswith("launch:")
                  & rows["exchange"].str.startswith("launch,")]
    provider = launch["provider"].iloc[0]
    unit = api.footprint(provider, method="GWP100").score.magnitude * 1000
    assert len(launch) > 1                   # the launch exchange is split over the stages of its supply chain
    assert launch["score of one unit, all stages [g CO2e per amount unit]"].iloc[0] == pytest.approx(unit, rel=1e-9)
    this_stage = "score of one unit, this stage [g CO2e per amount unit]"
    assert launch[this_stage].sum() == pytest.approx(unit, rel=1e-9)
    assert launch[f"contribution {G}"].sum() == pytest.approx(launch["amount per PFLOP-day"].iloc[0] * unit, rel=1e-9)
    # line by line, on every row: amount x score of one unit (this stage) = contribution
    products = rows["amount per PFLOP-day"] * rows[this_stage]
    assert products.to_numpy() == pytest.approx(rows[f"contribution {G}"].to_numpy(), rel=1e-12)


def test_contribution_tree_sheet_is_the_traversal_indented_and_adds_up(written, comparison):
    rows = records(written.values["Contribution tree"])
    trees = written.data.trees
    assert len(rows) == sum(len(t.nodes) for t in trees)
    sheet = written.values["Contribution tree"]
    header = [c.value for c in sheet[1]]
    activity = header.index("activity") + 1
    for offset, row in enumerate(rows, start=2):
        assert sheet.cell(offset, activity).alignment.indent == row["level"]
    roots = [r for r in rows if r["level"] == 0]
    assert [(r["system"], r["method"]) for r in roots] == [(t.label, t.method) for t in trees]
    for root in roots:
        assert root[f"cumulative score {G}"] == pytest.approx(comparison.totals(root["method"])[root["system"]],
                                                              rel=1e-9)
    # a row's cumulative score = its direct emissions + the rows one level below it + the inputs under the cut-off
    for index, row in enumerate(rows):
        below, level = [], row["level"]
        for later in rows[index + 1:]:
            if later["level"] <= level:
                break
            if later["level"] == level + 1:
                below.append(later[f"cumulative score {G}"])
        total = comparison.totals(row["method"])[row["system"]]
        assert row[f"cumulative score {G}"] == pytest.approx(
            row[f"direct emissions {G}"] + sum(below) + row[f"inputs under the cut-off {G}"], abs=1e-9 * total)
        if level:
            assert abs(row[f"cumulative score {G}"]) >= 0.01 * abs(total)


def test_breakeven_sheet_is_the_api_breakeven(written, api):
    sheet = [r for r in records(written.values["Break-even"]) if r["method"] == "GWP100"]
    frame = api.breakeven(grids=["US", "FR"])
    assert len(sheet) == len(frame)
    for row, expected in zip(sheet, frame.itertuples()):
        assert (row["grid"], row["quantity"], row["unit"]) == (expected.grid, expected.quantity, expected.unit)
        if expected.parity is None or (isinstance(expected.parity, float) and math.isnan(expected.parity)):
            assert row["value at parity"] is None
        else:
            assert row["value at parity"] == pytest.approx(expected.parity, rel=1e-9)


def test_tornado_points_equal_a_full_recalculation(written, api, comparison):
    rows = records(written.values["Sensitivity"])
    orbit = comparison.systems[0].name
    point = {(r["parameter"], r["system"], r["method"]): r for r in rows}
    lifetime = point[("orbit.lifetime", orbit, "GWP100")]
    assert lifetime["solved by"] == "system model"
    high = api.compare(grids=["US", "FR"], overrides={"orbit.lifetime": lifetime["high value"]})
    assert lifetime[f"result at high {G}"] == pytest.approx(high.totals()[orbit], rel=1e-9)
    reuse = point[("launch.reuses_ss_booster", orbit, "GWP100+HA")]
    assert reuse["solved by"] == "full"
    low = api.compare(grids=["US", "FR"], overrides={"launch.reuses_ss_booster": reuse["low value"]})
    assert reuse[f"result at low {G}"] == pytest.approx(low.totals("GWP100+HA")[orbit], rel=1e-9)
    pue = point[("terrestrial.pue", "terrestrial, US", "GWP100")]
    at = api.compare(grids=["US", "FR"], overrides={"terrestrial.pue": pue["high value"]})
    assert pue[f"result at high {G}"] == pytest.approx(at.totals()["terrestrial, US"], rel=1e-9)
    assert point[("terrestrial.pue", orbit, "GWP100")][f"swing {G}"] == pytest.approx(0.0, abs=1e-6)
    # bounds are the distribution's: triangular low/high of orbit.lifetime
    spec = api.inventory().parameters["orbit.lifetime"].uncertainty
    assert (lifetime["low value"], lifetime["high value"]) == (spec["low"], spec["high"])
    # sorted by swing within the orbit's GWP100 rows, as the chart takes the first rows
    swings = [r[f"swing {G}"] for r in rows if r["system"] == orbit and r["method"] == "GWP100"]
    # the largest swing: space-hardware fabrication electricity (a catalogue driver, 11.6-861 kWh/kg), as in Sobol
    assert swings == sorted(swings, reverse=True) and rows[0]["parameter"] == "systems_support.spacehw_fab_electricity"
    fab = rows[0]
    at_high = api.compare(grids=["US", "FR"], overrides={fab["parameter"]: fab["high value"]}, mc=0)
    assert fab[f"result at high {G}"] == pytest.approx(at_high.totals()[orbit], rel=1e-9)
    assert fab["label"].endswith("[kWh/kg], 11.6 to 861")


def test_native_charts_and_pngs_exist(written):
    book = written.book
    assert len(book["By stage"]._charts) == 2
    assert len(book["Sensitivity"]._charts) == 2             # a tornado per method
    for chart in book["By stage"]._charts:
        assert (chart.grouping, chart.overlap, chart.type) == ("stacked", 100, "col")
        assert len(chart.series) == sum(1 for c in records(written.values["By stage"])[0]
                                        if c.endswith(G) and not c.startswith("total"))
    for tornado in book["Sensitivity"]._charts:
        assert tornado.type == "bar" and len(tornado.series) == 2
    with zipfile.ZipFile(written.path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 8
        xml = [archive.read(n).decode() for n in charts]
        assert any(re.search(r"<(c:)?barChart>", x) and 'grouping val="stacked"' in x and 'overlap val="100"' in x
                   for x in xml)
    assert set(written.pngs) == {f"{kind}-{method}" for kind in ("stages", "tornado-orbit", "totals", "ecdf")
                                 for method in ("GWP100", "GWP100-HA")}
    from matplotlib.image import imread

    for path in written.pngs.values():
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        height, width = imread(path).shape[:2]
        assert width >= 1000 and height >= 200


def test_charts_tell_the_truth_log_axes_intervals_and_ecdf(written, comparison):
    """Log axis where a chart's values span more than 10x, 5-95 % error bars from the Monte Carlo percentiles,
    an ECDF of orbit minus each grid whose legend gives P(orbit lower) of the JSON."""
    summary = written.book["Summary"]
    stats = {(s["name"], m): v for s in comparison.to_dict()["systems"] for m, v in s["monte_carlo"].items()}
    assert len(summary._charts) == 2
    for chart, method in zip(summary._charts, ("GWP100", "GWP100+HA")):
        values = [stats[(m.name, method)][k] for m in comparison.systems for k in ("p5", "p95")]
        span = max(values) / min(values)
        assert (chart.y_axis.scaling.logBase == 10) == (span > 10), (method, span)
        bars = chart.series[0].errBars
        assert bars.errBarType == "both" and bars.errValType == "cust"
        # the error bars read the cells median - p5 and p95 - median of the JSON's percentiles
        minus, plus = (openpyxl.utils.cell.range_to_tuple(f.numRef.f) for f in (bars.minus, bars.plus))
        for r, model in zip(range(minus[1][1], minus[1][3] + 1), comparison.systems):
            s = stats[(model.name, method)]
            assert summary.cell(r, minus[1][0]).value == pytest.approx(s["median"] - s["p5"], rel=1e-9)
            assert summary.cell(r, plus[1][0]).value == pytest.approx(s["p95"] - s["median"], rel=1e-9)
    # GWP100+HA: orbit is ~10^6, the grids ~10^4: the log axis is needed there
    assert summary._charts[1].y_axis.scaling.logBase == 10
    ecdf = written.book["Monte Carlo"]._charts
    assert len(ecdf) == 2 and all(c.tagname == "scatterChart" for c in ecdf)
    for chart, method in zip(ecdf, ("GWP100", "GWP100+HA")):
        titles = [series.tx.strRef.f if series.tx.strRef else series.tx.v for series in chart.series]
        assert len(titles) == len(comparison.systems) - 1
        for title, model in zip(titles, comparison.systems[1:]):
            p = stats[(model.name, method)]["p_orbit_lower"]
            assert title == f"{model.name}: P(orbit lower) = {p:.2f}"
    rows = records(written.values["Monte Carlo"])
    us = [r[f"orbit minus terrestrial, US, GWP100 {G}"] for r in rows]
    assert us == sorted(us) and len(rows) == 101
    assert rows[50][f"orbit minus terrestrial, US, GWP100 {G}"] == pytest.approx(float(
        (comparison.samples[(comparison.orbit.name, "GWP100")] - comparison.samples[("terrestrial, US", "GWP100")])
        .median()), rel=1e-9)


def test_print_setup_row_heights_and_print_areas(written):
    book = written.values
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_area
        if sheet.title != "Cover":
            assert sheet.print_title_rows == "$1:$1"
    # a long table prints its first 45 rows (header repeated), the rest stays in the sheet
    inventories = book["Inventories"]
    assert inventories.max_row > 100 and inventories.print_area.endswith("$46")
    # wrapped text gets the lines it needs: the answer on the cover runs over several lines at width 120
    cover = book["Cover"]
    answer = next(r for r in range(1, cover.max_row + 1) if cover.cell(r, 1).value == "Answer")
    lines = math.ceil(len(cover.cell(answer, 2).value) / (120 * 1.15))
    assert cover.row_dimensions[answer].height >= 15 * lines > 15


def test_sheets_are_excel_tables_with_units_frozen_and_no_merged_cells(written):
    expected = ["Cover", "Goal and scope", "Summary", "By stage", "By process", "Contribution tree", "Break-even",
                "Launch", "Sensitivity", "Monte Carlo", "Central vs median", "Assumptions", "Grids", "Sizing",
                "Fleet scale", "Inventories", "Parameters", "Sources", "Results", "Reconciliation", "Provenance"]
    book = written.values
    assert book.sheetnames == expected
    for sheet in book.worksheets[1:]:
        assert len(sheet.tables) == 1, sheet.title
        table = next(iter(sheet.tables.values()))
        assert table.ref.startswith("A1:")
        assert sheet.freeze_panes == "A2"
        assert not sheet.merged_cells.ranges
    summary = book["Summary"]
    header = [c.value for c in summary[1]]
    # shown to the figures the 5-95 % interval supports (two figures of its half-width), as in the cover sentence
    row = records(summary)[0]
    median, low, high = (row[f"MC {s}, GWP100 {G}"] for s in ("median", "5th percentile", "95th percentile"))
    digits = max(1, min(3, math.floor(math.log10(median)) - (math.floor(math.log10((high - low) / 2)) - 1) + 1))
    place = math.floor(math.log10(median)) - digits + 1
    expected = '#,##0,",000"' if 3 <= place < 6 else "#,##0" if 0 <= place < 3 else None
    for name in (f"MC median, GWP100 {G}", f"central (deterministic) GWP100 {G}"):
        cell = summary.cell(2, header.index(name) + 1)
        assert cell.number_format == expected, (name, median, low, high)
    inventories = records(book["Inventories"])
    assert {r["database"] for r in inventories} >= {"gpu", "launch", "pv", "systems_support", "background"}
    assert all(r["source"] for r in inventories)
    sources = {r["id"] for r in records(book["Sources"])}
    assert {r["source"] for r in inventories} <= sources
    provenance = {r["item"]: r["value"] for r in records(book["Provenance"])}
    assert provenance["command line"] == "lca compare --grid US --grid FR --out us-fr.xlsx"
    assert any(k.startswith("input sha256: ") for k in provenance)
    grids = records(book["Grids"])
    assert [g["code"] for g in grids] == ["US", "FR"]


@pytest.mark.parametrize("value, low, high, expected", [
    (50876, 25149, 134143, '#,##0,",000"'),           # half-width 54,497: thousands -> 51,000
    (1.9e6, 1.0e6, 3.0e6, '#,##0,",000"'),            # half-width 1e6: 2 figures, 1,900,000 (the thousands shown)
    (4.2e7, 1.0e7, 9.0e7, '#,##0,,",000,000"'),        # half-width 4e7: 2 figures -> 42,000,000
    (27834.7, math.nan, math.nan, "#,##0"),           # no interval: 3 figures, 27,800 (27,835 shown)
    (0.1234, math.nan, math.nan, "#,##0.000"),        # no interval: 3 figures, 0.123
    (0.1234, 0.10, 0.15, "#,##0.000"),               # half-width 0.025: to 0.001
])
def test_number_formats_show_the_supported_figures(value, low, high, expected):
    from lca.report.excel import supported_format

    assert supported_format(value, low, high) == expected


def test_reconciliation_sheet_is_the_api_reconciliation(written, api):
    """One block per study preset; the values are those of `lca reconcile` (the Starcloud conversion: 0.1 x ours)."""
    rows = records(written.values["Reconciliation"])
    assert {r["study"] for r in rows} == {"ascend2024", "ohs2025", "starcloud", "suncatcher", "turyshev2026"}
    starcloud = next(row for row in api.reconcile(["starcloud"]))
    converted = next(r for r in rows if r["study"] == "starcloud" and r["item"] == "published, converted"
                     and r["unit"] == "gCO2e/PFLOP_day")
    assert converted["value"] == pytest.approx(starcloud["published"]["g_per_PFLOP_day"], rel=1e-9)
    assert converted["value"] == pytest.approx(0.1 * starcloud["ours_study"]["terrestrial"], rel=1e-9)
    sources = {r["id"] for r in records(written.values["Sources"])}
    assert {s for r in rows for s in r["sources"].split(", ")} <= sources


def _set(path: Path, edits: dict[str, dict[str, object]], out: Path, add: list | None = None) -> dict[str, int]:
    """Edit the Assumptions sheet of ``path`` ({parameter: {column: value}}); return each parameter's row."""
    book = openpyxl.load_workbook(path)
    sheet = book["Assumptions"]
    header = [c.value for c in sheet[1]]
    rows = {}
    for row in range(2, sheet.max_row + 1):
        name = sheet.cell(row, 1).value
        rows[name] = row
        for column, value in edits.get(name, {}).items():
            sheet.cell(row, header.index(column) + 1).value = value
    for values in add or []:
        sheet.append(values)
        rows[values[0]] = sheet.max_row
    book.save(out)
    return rows


@pytest.fixture(scope="module")
def assumptions_only(written, tmp_path_factory) -> Path:
    """The report with only its Assumptions sheet (quick to edit and read)."""
    book = openpyxl.load_workbook(written.path)
    for name in book.sheetnames:
        if name != "Assumptions":
            del book[name]
    path = tmp_path_factory.mktemp("assumptions") / "assumptions.xlsx"
    book.save(path)
    return path


def test_assumptions_sheet_lists_choices_and_parameters(written, comparison, api):
    rows = {r["parameter"]: r for r in records(written.values["Assumptions"])}
    assert rows["grids"]["value"] == "US, FR" and rows["orbit"]["value"] == comparison.choices.orbit
    mfu = api.inventory().parameters["compute.mfu"]
    assert (rows["compute.mfu"]["value"], rows["compute.mfu"]["unit"], rows["compute.mfu"]["low"],
            rows["compute.mfu"]["high"], rows["compute.mfu"]["source"]) == (
        mfu.value, mfu.unit, mfu.uncertainty["low"], mfu.uncertainty["high"], mfu.source)
    assert rows["launch.reuses_ss_booster"]["default"] == 20


def test_assumptions_round_trip_reruns_with_the_edited_value(written, assumptions_only, comparison, api, bw_dir,
                                                            tmp_path, capsys):
    from lca import cli
    from lca.report import read_assumptions

    unchanged = read_assumptions(assumptions_only, api.inventory())
    assert unchanged.overrides == {} and unchanged.choices["grids"] == ["US", "FR"]
    edited = tmp_path / "edited.xlsx"
    _set(assumptions_only, {"orbit.lifetime": {"value": 84, "unit": "month"}, "grids": {"value": "US"}}, edited)
    assumptions = read_assumptions(edited, api.inventory())
    assert assumptions.overrides == {"orbit.lifetime": pytest.approx(7.0, rel=1e-12)}
    assert cli.main(["compare", "--brightway-dir", str(bw_dir), "--inventories", str(INVENTORIES),
                     "--assumptions", str(edited), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overrides"] == {"orbit.lifetime": pytest.approx(7.0, rel=1e-12)}
    assert [s["name"] for s in data["systems"]] == [comparison.systems[0].name, "terrestrial, US"]
    expected = api.compare(grids=["US"], overrides={"orbit.lifetime": 7}).totals()
    before = comparison.totals()
    orbit = comparison.systems[0].name
    assert data["systems"][0]["total"]["GWP100"] == pytest.approx(expected[orbit], rel=1e-12)
    assert data["systems"][0]["total"]["GWP100"] < before[orbit]            # longer life, less per PFLOP-day
    assert data["systems"][1]["total"]["GWP100"] == pytest.approx(before["terrestrial, US"], rel=1e-12)
    # an option on the command line wins over the sheet
    assert cli.main(["compare", "--brightway-dir", str(bw_dir), "--inventories", str(INVENTORIES),
                     "--assumptions", str(edited), "--set", "orbit.lifetime=3 year", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["overrides"] == {"orbit.lifetime": 3.0}


@pytest.mark.parametrize("edits, add, parameter, column, message", [
    ({"orbit.pue": {"value": "1.1 ish"}}, None, "orbit.pue", "value", "expected a number"),
    ({"orbit.lifetime": {"unit": "kg"}}, None, "orbit.lifetime", "unit", "wrong dimension"),
    ({"orbit.lifetime": {"unit": "fortnightz"}}, None, "orbit.lifetime", "unit", "cannot read 'fortnightz'"),
    ({"compute.mfu": {"value": 1.5}}, None, "compute.mfu", "value", "outside the allowed range"),
    ({}, [["orbit.lifetme", 3]], "orbit.lifetme", "parameter", "unknown parameter 'orbit.lifetme'; did you mean"),
    ({"orbit": {"value": "mars"}}, None, "orbit", "value", "unknown orbit 'mars'"),
    ({"grids": {"value": "US, USA"}}, None, "grids", "value", "unknown grid code 'USA'"),
])
def test_bad_assumptions_name_sheet_row_and_column(assumptions_only, api, tmp_path, edits, add, parameter, column,
                                                   message):
    from lca.report import AssumptionsError, read_assumptions

    path = tmp_path / "bad.xlsx"
    rows = _set(assumptions_only, edits, path, add)
    letter = {"parameter": "A", "value": "B", "unit": "C"}[column]
    with pytest.raises(AssumptionsError) as err:
        read_assumptions(path, api.inventory())
    text = str(err.value)
    assert f"sheet 'Assumptions', row {rows[parameter]}, column '{column}' ({letter}{rows[parameter]})" in text
    assert message in text


def test_bad_assumptions_exit_2_on_the_command_line(assumptions_only, bw_dir, tmp_path, capsys):
    from lca import cli

    path = tmp_path / "bad.xlsx"
    rows = _set(assumptions_only, {"compute.goodput": {"value": "most"}}, path)
    code = cli.main(["compare", "--brightway-dir", str(bw_dir), "--inventories", str(INVENTORIES),
                     "--assumptions", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert err.startswith("error: ") and f"row {rows['compute.goodput']}, column 'value'" in err


def test_text_from_inputs_never_becomes_a_formula(api, monkeypatch, tmp_path):
    """An activity and a source whose titles are formulas, through the whole report: they stay text."""
    from lca import api as api_module

    inventory = copy.deepcopy(api.inventory())
    inventory.databases["gpu"].activities["accel_h100_sxm"].name = EVIL
    source = inventory.parameters["compute.mfu"].source
    inventory.sources[source] = dataclasses.replace(inventory.sources[source], title=EVIL, authors="=1+1")
    result = api.compare(grids=["FR"])
    monkeypatch.setattr(api_module, "inventory", lambda: inventory)
    path = api_module.write_report(result, tmp_path / "evil.xlsx")
    book = openpyxl.load_workbook(path)
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value}"
                if cell.value in (EVIL, "=1+1"):
                    assert cell.data_type == "s"
                    found.append(sheet.title)
    assert {"By process", "Inventories", "Sources"} <= set(found)
    with zipfile.ZipFile(path) as archive:
        assert not any("<f>" in archive.read(n).decode("utf-8", "replace")
                       for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_a_failed_write_leaves_the_earlier_report_and_charts_intact(written, comparison, monkeypatch, tmp_path):
    from openpyxl.workbook.workbook import Workbook

    from lca.report import excel, write_comparison_report

    path = tmp_path / "report.xlsx"
    path.write_bytes(b"the earlier report")
    pngs = excel.png_paths(path, written.pngs)
    for png in pngs.values():
        png.write_bytes(b"an earlier chart")
    before = sorted(os.listdir(tmp_path))

    def broken_save(self, filename):
        Path(filename).write_bytes(b"half a workbook")      # what a crash in the middle leaves behind
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        write_comparison_report(written.data, path)
    assert path.read_bytes() == b"the earlier report"
    assert all(png.read_bytes() == b"an earlier chart" for png in pngs.values())
    assert sorted(os.listdir(tmp_path)) == before                      # no temporary files left


def test_lca_report_writes_the_default_comparison(api, bw_dir, tmp_path, monkeypatch, capsys):
    from lca import cli
    from lca.analysis import footprints
    from lca.report import excel

    monkeypatch.setattr(footprints, "FOOTPRINT_METHODS", ("GWP100",))   # the activity sheet, quicker
    out = tmp_path / "reports" / "lca-report.xlsx"
    companion = tmp_path / "reports" / "lca-report.html"
    assert cli.main(["report", "--brightway-dir", str(bw_dir), "--inventories", str(INVENTORIES),
                     "--out", str(out), "--html", str(companion), "--quiet"]) == 0
    assert capsys.readouterr().out.strip().splitlines() == [f"wrote {out}", f"wrote {companion}"]
    book = openpyxl.load_workbook(out)
    defaults = api.inventory().catalogue.defaults
    systems = [r["system"] for r in records(book["Summary"])]
    assert systems[1:] == [f"terrestrial, {g}" for g in defaults.grids]
    answer = next(r[1] for r in book["Cover"].iter_rows(values_only=True) if r[0] == "Answer")
    assert answer.startswith("Under the default configuration")
    import html

    assert f'<p class="answer" id="answer">{html.escape(answer)}</p>' in companion.read_text(encoding="utf-8")
    footprints = records(book["Activity footprints"])
    h100 = next(r for r in footprints if r["code"] == "accel_h100_sxm" and r["stage"] == "total")
    assert h100["score [kg CO2e per reference unit]"] == pytest.approx(
        api.footprint("gpu:accel_h100_sxm", method="GWP100").score.magnitude, rel=1e-9)
    assert all(p.exists() for p in excel.png_paths(out, ["stages-GWP100", "tornado-orbit-GWP100"]).values())


def test_monte_carlo_and_sobol_results_are_shown_when_present(written, comparison):
    from lca.report import excel

    orbit = comparison.systems[0].name
    mc = pd.DataFrame([{"system": s, "method": m, "median": 1000.0 + i, "p2_5": 500.0 + i, "p97_5": 2000.0 + i,
                        "p5": 600.0 + i, "p95": 1800.0 + i, "p_orbit_lower": None if s == orbit else 0.25, "seed": 7}
                       for i, (s, m) in enumerate((s.name, m) for s in comparison.systems
                                                  for m in ("GWP100", "GWP100+HA"))])
    sobol = pd.DataFrame({"input": ["orbit.lifetime"], "S1": [0.5], "ST": [0.6]})
    extended = dataclasses.replace(comparison, extra={"monte_carlo": mc, "sobol": sobol})
    data = dataclasses.replace(written.data, comparison=extended, results=excel.results_table(extended))
    book, _ = excel.build_workbook(data)
    buffer = io.BytesIO()
    book.save(buffer)
    values = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    summary = {r["system"]: r for r in records(values["Summary"])}
    assert summary[orbit][f"MC median, GWP100 {G}"] == 1000.0
    assert summary["terrestrial, US"][f"MC 97.5th percentile, GWP100+HA {G}"] == 2003.0
    assert summary["terrestrial, US"]["P(orbit lower), GWP100 [-]"] == 0.25
    assert summary[orbit]["P(orbit lower), GWP100 [-]"] is None
    tidy = records(values["Results"])
    assert {r["statistic"] for r in tidy} == {"deterministic", "median", "p5", "p95", "p2_5", "p97_5",
                                               "p_orbit_lower"}
    assert "Sobol" in values.sheetnames and records(values["Sobol"])[0]["input"] == "orbit.lifetime"
    answer = next(r[1] for r in values["Cover"].iter_rows(values_only=True) if r[0] == "Answer")
    assert answer.startswith("Under this configuration (H100-SXM, bf16, starship-v3 to sso-dawn-dusk), a PFLOP-day "
                             "in orbit emits median 1,000 [600-1,800] g CO2e per PFLOP-day (GWP100), probability "
                             "that orbit is lower-carbon 0.25 against the US grid (United States) and 0.25 against "
                             "the FR grid (France); and median 1,000 [600-1,800]")
    provenance = {r["item"]: r["value"] for r in records(values["Provenance"])}
    assert provenance["seed"] == "7"


# ------------------------------------------------------------------ LibreOffice

def _install_libreoffice() -> str:
    """Try to install LibreOffice Calc with apt-get; return why not, or '' on success."""
    if shutil.which("apt-get") is None:
        return "apt-get is not available"
    prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if prefix is None:
        return "not root and no sudo"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        subprocess.run(prefix + ["apt-get", "update"], capture_output=True, timeout=300, env=env)
        for package in ("libreoffice-calc-nogui", "libreoffice-calc"):
            result = subprocess.run(prefix + ["apt-get", "install", "-y", "--no-install-recommends", package],
                                    capture_output=True, text=True, timeout=900, env=env)
            if result.returncode == 0 and shutil.which("soffice"):
                return ""
        return f"apt-get install failed: {result.stderr.strip().splitlines()[-1:] or result.returncode}"
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"apt-get did not finish: {err}"


@pytest.fixture(scope="module")
def soffice() -> str:
    if not shutil.which("soffice"):
        why = _install_libreoffice()
        if not shutil.which("soffice"):
            pytest.skip(f"LibreOffice (soffice) is not installed and could not be installed: {why}")
    return shutil.which("soffice")


def test_libreoffice_opens_recalculates_and_saves_the_workbook(soffice, written, api, tmp_path):
    from lca.report import read_assumptions

    home = tmp_path / "home"          # LibreOffice (GTK/dconf) writes ~/.cache and ~/.config: keep them here
    env = os.environ | {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
                        "XDG_CONFIG_HOME": str(home / ".config")}
    result = subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                             "--norestore", "--convert-to", "xlsx", "--outdir", str(tmp_path / "out"),
                             str(written.path)], capture_output=True, text=True, timeout=300, env=env)
    converted = tmp_path / "out" / written.path.name
    assert result.returncode == 0 and converted.exists(), result.stdout + result.stderr
    assert "Error" not in result.stderr and "error" not in result.stdout.lower()
    book = openpyxl.load_workbook(converted)
    assert book.sheetnames == written.values.sheetnames
    original = records(written.values["Summary"])
    again = records(book["Summary"])
    assert [r["system"] for r in again] == [r["system"] for r in original]
    for a, b in zip(again, original):
        assert a[f"central (deterministic) GWP100 {G}"] == pytest.approx(b[f"central (deterministic) GWP100 {G}"],
                                                                       rel=1e-12)
    with zipfile.ZipFile(converted) as archive:
        assert len([n for n in archive.namelist() if n.startswith("xl/charts/chart")]) == 8
    # printed to PDF: under 60 pages (738 before print setup), rendered pages for a look
    result = subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                             "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"),
                             str(written.path)], capture_output=True, text=True, timeout=300, env=env)
    pdf = tmp_path / "pdf" / written.path.with_suffix(".pdf").name
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) < 60
    else:
        assert pdf.read_bytes().count(b"/Type /Page") - pdf.read_bytes().count(b"/Type /Pages") < 60
    # nothing printed on top of anything on the cover, Goal and scope and Summary (the pages before By stage)
    pages = _text_pages(pdf)
    first_sheets = pages[:next(i for i, (text, _) in enumerate(pages) if text.startswith("system method"))]
    assert len(first_sheets) >= 3
    overlapping = [(number, a, b) for number, (_, words) in enumerate(first_sheets, start=1)
                   for a, b in _overlapping_words(words)]
    assert not overlapping, overlapping[:10]
    shown = _render_pages(pdf, [1, 3, len(first_sheets)], tmp_path / "pages")     # cover, Goal and scope, Summary
    print("rendered pages:", *shown)
    # an analyst who saves the workbook from LibreOffice can still feed it back
    assumptions = read_assumptions(converted, api.inventory())
    assert assumptions.overrides == {} and assumptions.choices["grids"] == ["US", "FR"]


def test_launch_sheet_numbers_carry_a_number_format(written):
    """Every number on the Launch sheet shows a fixed number of decimals (no 16-digit floats in print)."""
    sheet = written.values["Launch"]
    numbers = [cell for row in sheet.iter_rows(min_row=2) for cell in row
               if isinstance(cell.value, float)]
    assert numbers
    assert all(cell.number_format in ("#,##0", "#,##0.000") for cell in numbers), \
        {cell.coordinate: cell.number_format for cell in numbers if cell.number_format not in ("#,##0", "#,##0.000")}


def test_sensitivity_note_is_on_the_sensitivity_sheet(written):
    """The note explaining the tornado sits under the tornado table, not on the sheet written after it."""
    book = written.values
    def texts(name):
        return [c for row in book[name].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any(t.startswith("Each main parameter is set to the low") for t in texts("Sensitivity"))
    assert not any(t.startswith("Each main parameter is set to the low") for t in texts("Monte Carlo"))


def test_launch_sheet_note_leaves_the_table_columns_alone(written):
    """The note under the Launch table runs across the empty cells to its right instead of widening the first
    column (a 120-character column A printed the whole table at a fraction of its size)."""
    sheet = written.values["Launch"]
    assert sheet["A1"].value == "launcher"
    longest = max(len(str(row[0].value)) for row in sheet.iter_rows(min_row=2, max_col=1) if row[0].value
                  and sheet.cell(row[0].row, 2).value)          # table rows only (the note has column B empty)
    assert sheet.column_dimensions["A"].width == max(10, longest + 2)


def _text_pages(pdf) -> list[tuple[str, list[dict]]]:
    """Each PDF page's text and its horizontal words with their boxes [pt] (pdfplumber; rotated chart labels left
    out)."""
    pdfplumber = pytest.importorskip("pdfplumber")
    out = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            flat = page.filter(lambda o: o.get("object_type") != "char"
                               or (abs(o["matrix"][1]) < 1e-3 and abs(o["matrix"][2]) < 1e-3))
            out.append(((page.extract_text() or "").strip(), flat.extract_words()))
    return out


def _render_pages(pdf, numbers: list[int], folder) -> list:
    """PNG images of the given PDF pages (1-based) in ``folder``, for a look; their paths."""
    pdfplumber = pytest.importorskip("pdfplumber")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with pdfplumber.open(pdf) as document:
        for number in numbers:
            path = folder / f"page-{number}.png"
            document.pages[number - 1].to_image(resolution=100).save(path)
            paths.append(path)
    assert all(path.stat().st_size > 0 for path in paths)
    return paths


def _overlapping_words(words: list[dict], share: float = 0.3) -> list[tuple[str, str]]:
    """Pairs of words whose boxes overlap by more than ``share`` of the smaller box: lines printed on top of each
    other."""
    found = []
    ordered = sorted(words, key=lambda w: w["top"])
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b["top"] >= a["bottom"]:
                break
            width = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            smaller = min((w["x1"] - w["x0"]) * (w["bottom"] - w["top"]) for w in (a, b))
            if width > 0 and height > 0 and smaller > 0 and width * height / smaller > share:
                found.append((a["text"], b["text"]))
    return found


def test_the_overlap_check_finds_lines_printed_on_top_of_each_other():
    """The check itself: two words sharing a box overlap, words side by side or on successive lines do not."""
    word = {"x0": 10.0, "x1": 50.0, "top": 100.0, "bottom": 110.0, "text": "Goal:"}
    assert _overlapping_words([word, word | {"x0": 20.0, "x1": 60.0, "top": 103.0, "bottom": 113.0, "text": "Scope"}])
    assert not _overlapping_words([word, word | {"x0": 55.0, "x1": 90.0, "text": "next"},
                                   word | {"top": 111.0, "bottom": 121.0, "text": "below"}])


def test_a_note_breaks_at_the_printed_width_of_the_columns():
    """A note wider than the sheet's columns is broken into rows that fit them (at least 60 characters), words
    kept whole and in order."""
    from openpyxl import Workbook

    from lca.report import excel

    sheet = Workbook().active
    for letter in "ABCDEFGH":
        sheet.column_dimensions[letter].width = 10
    sheet["H1"] = "last column"
    line = " ".join(f"word{i:03d}" for i in range(40))                     # 319 characters
    excel._note(sheet, 3, 1, [line, "short"])
    rows = [sheet.cell(r, 1).value for r in range(3, sheet.max_row + 1)]
    width = int(8 * 10 * excel.CHARACTERS_PER_WIDTH)                       # 92 characters
    assert all(len(r) <= width for r in rows) and len(rows) == 1 + math.ceil(len(line) / width)
    assert " ".join(rows[:-1]) == line and rows[-1] == "short"
