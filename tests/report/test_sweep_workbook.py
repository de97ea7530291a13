"""`lca sweep --out`: the sweep's rows as one Excel table, a chart of orbit and ground per grid, provenance."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from lca.report.sweep import write_sweep


@pytest.fixture(scope="module")
def sweep_frame(bw_project):
    return bw_project.sweep(grids=["US", "FR", "NO"], launchers=["falcon9"], serial=True)


def test_sheet_rows_equal_the_sweep_and_the_table_chart_and_provenance_exist(bw_project, sweep_frame, tmp_path):
    path = write_sweep(sweep_frame, bw_project.inventory(), tmp_path / "sweep.xlsx", argv=["lca", "sweep"])
    book = load_workbook(path)
    sheet = book["Sweep"]
    header = [c.value for c in sheet[1]]
    unit = sweep_frame["unit"].iloc[0].replace("PFLOP_day", "PFLOP-day")
    assert header[:7] == ["accelerator", "launcher", "orbit", "grid", "year", "system", "kind"]
    assert f"value [{unit}]" in header and "unit" not in header
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == len(sweep_frame)
    for row, expected in zip(rows, sweep_frame.to_dict(orient="records"), strict=True):
        got = dict(zip(header, row))
        for key in ("accelerator", "launcher", "orbit", "grid", "system", "kind", "method"):
            assert got[key] == expected[key]
        assert got[f"value [{unit}]"] == pytest.approx(expected["value"], rel=1e-12)
    assert list(sheet.tables) == ["Sweep"]
    assert sheet.tables["Sweep"].ref == f"A1:{sheet.cell(1, len(header)).column_letter}{len(sweep_frame) + 1}"
    chart_sheet = book["Chart"]
    assert len(chart_sheet._charts) == 1                    # openpyxl keeps charts it reads back on the sheet
    grids = [chart_sheet.cell(r, 1).value for r in range(2, chart_sheet.max_row + 1)]
    assert grids == ["US", "FR", "NO"]
    assert book["Provenance"].cell(2, 1).value == "tool version"
    assert not list(tmp_path.glob("*.tmp*"))


def test_chart_uses_a_log_axis_when_grids_span_more_than_tenfold(bw_project, sweep_frame, tmp_path):
    from lca.report.sweep import chart_table, sweep_workbook

    bars, _ = chart_table(sweep_frame)
    values = list(bars["orbit"]) + list(bars["ground"])
    book = sweep_workbook(sweep_frame, bw_project.inventory())
    chart, = book["Chart"]._charts
    assert (chart.y_axis.scaling.logBase == 10) == (max(values) / min(values) > 10)
    ground = sweep_frame[(sweep_frame.kind != "orbit") & (sweep_frame.method == sweep_frame.method.iloc[0])]
    assert bars.set_index("grid")["ground"].to_dict() == pytest.approx(ground.set_index("grid")["value"].to_dict())


def test_text_that_looks_like_a_formula_stays_text(bw_project, sweep_frame, tmp_path):
    frame = sweep_frame.copy()
    frame["system"] = "=1+1"
    path = write_sweep(frame, bw_project.inventory(), tmp_path / "formula.xlsx")
    cell = load_workbook(path)["Sweep"]["F2"]
    assert cell.value == "=1+1" and cell.data_type == "s"


def test_monte_carlo_sweep_charts_the_median_and_keeps_every_statistic(bw_project, tmp_path):
    frame = bw_project.sweep(grids=["US", "FR"], launchers=["falcon9"], mc=20, seed=3, serial=True)
    path = write_sweep(frame, bw_project.inventory(), tmp_path / "mc.xlsx", seed=3)
    book = load_workbook(path)
    header = [c.value for c in book["Sweep"][1]]
    assert {"median [gCO2e/PFLOP-day]", "p5 [gCO2e/PFLOP-day]", "p95 [gCO2e/PFLOP-day]", "p_orbit_lower"} <= set(header)
    assert book["Sweep"].max_row == len(frame) + 1
    method = frame["method"].iloc[0]
    ground = frame[frame["p_orbit_lower"].notna() & (frame["method"] == method)].set_index("grid")["median"]
    charted = {row[0].value: row[2].value for row in book["Chart"].iter_rows(min_row=2)}
    assert charted == pytest.approx(ground.to_dict())
    assert ("seed", "3") in [(r[0].value, r[1].value) for r in book["Provenance"].iter_rows(min_row=2)]
