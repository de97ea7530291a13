"""The sweep workbook (``lca sweep --out FILE.xlsx``): the sweep's rows as one pivot-ready Excel table, a chart
of orbit against the ground per grid, and the provenance of the run.

The ``Sweep`` sheet holds one row per configuration x system x method (deterministic sweeps: the total
``value``; Monte Carlo sweeps: mean, median, percentiles and P(orbit lower)), the unit in the headers of the
numeric columns, as an Excel table named ``Sweep`` that a pivot table can take whole. The ``Chart`` sheet plots,
for the first method and the first configuration of everything but the grid, orbit and the ground system of each
grid side by side (the median for Monte Carlo sweeps), on a log axis where the values span more than a factor
of :data:`lca.report.charts.LOG_SPAN`. Text is written as text (never a formula); the file is written atomically.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from lca.core.files import atomic_path
from lca.errors import InputError
from lca.inventory import provenance
from lca.report import charts
from lca.report.excel import print_setup, table

#: Columns that say which configuration a row belongs to, in the sheet's order.
KEYS = ["accelerator", "launcher", "orbit", "grid", "year", "system", "kind", "method"]
#: Statistic columns of a sweep that carry the result unit.
VALUES = ["value", "mean", "median", "p5", "p95", "p2_5", "p97_5"]


def sweep_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The sweep's rows for the sheet: keys first, the numeric columns with the unit in their header."""
    if "unit" in frame.columns and frame["unit"].nunique() > 1:
        raise InputError(f"sweep rows in several units ({', '.join(map(str, frame['unit'].unique()))}); "
                         "expected one")
    unit = str(frame["unit"].iloc[0]).replace("PFLOP_day", "PFLOP-day") if "unit" in frame.columns and len(
        frame) else ""
    keys = [c for c in KEYS if c in frame.columns]
    rest = [c for c in frame.columns if c not in keys and c != "unit"]
    out = frame[keys + rest].copy()
    return out.rename(columns={c: f"{c} [{unit}]" for c in rest if c in VALUES and unit})


def chart_table(frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Orbit and ground per grid for the chart (first method, first configuration but the grid); its title."""
    column = "value" if "value" in frame.columns else "median"
    method = frame["method"].iloc[0]
    part = frame[frame["method"] == method]
    fixed = {c: part[c].iloc[0] for c in ("accelerator", "launcher", "orbit", "year") if c in part.columns}
    for name, value in fixed.items():
        part = part[part[name].isna()] if pd.isna(value) else part[part[name] == value]
    is_orbit = (part["kind"] == "orbit") if "kind" in part.columns else part["p_orbit_lower"].isna()
    rows = []
    for grid, rows_ in part.groupby("grid", sort=False):
        orbit, ground = rows_[is_orbit.loc[rows_.index]], rows_[~is_orbit.loc[rows_.index]]
        if len(orbit) and len(ground):
            rows.append({"grid": grid, "orbit": float(orbit[column].iloc[0]), "ground": float(ground[column].iloc[0]),
                         "ground system": ground["system"].iloc[0]})
    where = ", ".join(f"{k} {v}" for k, v in fixed.items() if not pd.isna(v))
    return pd.DataFrame(rows), f"{method}: orbit and ground per grid ({where}; {column})"


def sweep_workbook(frame: pd.DataFrame, inventory, argv: list[str] | None = None, seed: int | None = None):
    """The workbook of a sweep result ``frame`` (:func:`lca.analysis.sweep.sweep`)."""
    from openpyxl import Workbook

    if frame.empty:
        raise InputError("the sweep has no rows to write")
    book = Workbook()
    sheet = book.active
    sheet.title = "Sweep"
    rows = sweep_table(frame)
    table(sheet, rows, "Sweep")
    print_setup(sheet)
    bars, title = chart_table(frame)
    chart_sheet = book.create_sheet("Chart")
    unit_header = next((c for c in rows.columns if c.startswith(("value [", "median ["))), "value")
    if len(bars):
        placed = table(chart_sheet, bars.rename(columns={"orbit": f"orbit {unit_header[unit_header.find('['):]}",
                                                         "ground": f"ground {unit_header[unit_header.find('['):]}"}),
                       "SweepChart")
        charts.clustered_bar(chart_sheet, "F2", chart_sheet, 1, placed.first_row, placed.last_row,
                             [(2, "orbit"), (3, "ground")], title, charts.UNIT_LABEL,
                             charts.needs_log(pd.concat([bars["orbit"], bars["ground"]])))
        print_setup(chart_sheet, last_column=20, last_row=max(25, placed.last_row))
    else:
        from lca.core.files import append_row

        append_row(chart_sheet, ["no grid has both an orbit and a ground row to chart"])
    meta = book.create_sheet("Provenance")
    record = provenance.record(inventory, argv, seed) + [("rows", str(len(frame)))]
    table(meta, pd.DataFrame(record, columns=["item", "value"]), "Provenance", widths={"item": 45, "value": 100})
    return book


def write_sweep(frame: pd.DataFrame, inventory, path: str | os.PathLike, argv: list[str] | None = None,
                seed: int | None = None) -> Path:
    """Write the sweep workbook to ``path`` (an .xlsx file), atomically; return the path."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"the sweep workbook must be an .xlsx file, got '{path}'")
    book = sweep_workbook(frame, inventory, argv, seed)
    with atomic_path(path) as tmp:
        book.save(tmp)
    return path
