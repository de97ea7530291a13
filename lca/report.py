"""The default Excel report: footprints of every inventory activity, with sources and provenance.

One tidy sheet (activity x method x stage) is the source of the other views.
The workbook is written to a temporary file and renamed, so a failed run
leaves an earlier report intact; text from inputs is always written as text.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from . import __version__, api, provenance
from .calculation import Calculator
from .files import append_row, atomic_path

REPORT_METHODS = ("GWP100", "GWP100+HA", "HA-nonCO2", "GWP20")
REPORT_DATABASES = ("launch", "pv", "gpu", "systems_support", "systems")


def footprint_table(progress=None) -> pd.DataFrame:
    """Tidy footprints: one row per activity x method x stage [kg CO2e per reference unit]."""
    inventory = api.inventory()
    bd = api._bd(progress)
    activities = [a for a in inventory.activities() if a.database in REPORT_DATABASES] or list(inventory.activities())
    rows = []
    for method in REPORT_METHODS:
        if progress:
            progress(f"footprints of {len(activities)} activities, {method}")
        calculator = Calculator(inventory, bd, method)
        for activity in activities:
            result = calculator.footprint(f"{activity.database}:{activity.code}")
            base = {"database": activity.database, "code": activity.code, "activity": activity.name,
                    "per": f"1 {activity.unit}", "method": method}
            rows.append(base | {"stage": "total", "score_kgCO2e": result.score.magnitude})
            rows += [base | {"stage": r.stage, "score_kgCO2e": r.score} for r in result.by_stage.itertuples()]
    return pd.DataFrame(rows)


def _sheet(book, title: str, frame: pd.DataFrame, widths: dict[str, int] | None = None):
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    sheet = book.create_sheet(title)
    append_row(sheet, list(frame.columns))
    for row in frame.itertuples(index=False):
        append_row(sheet, [None if isinstance(v, float) and v != v else v for v in row])
    if len(frame):
        ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
        table = Table(displayName=title.replace(" ", "_"), ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        sheet.add_table(table)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(frame.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = (widths or {}).get(column, 18)
        if column.startswith("score") or column in ("value", "low", "high"):
            for cell in sheet[get_column_letter(index)][1:]:
                cell.number_format = "0.000E+00"
    return sheet


def write_footprint_report(path: str | os.PathLike = "reports/lca-report.xlsx", progress=None,
                           argv: list[str] | None = None) -> Path:
    """Compute and write the default report; return its path."""
    from openpyxl import Workbook

    inventory = api.inventory()
    table = footprint_table(progress)
    totals = table[table["stage"] == "total"].pivot_table(index=["database", "code", "activity", "per"],
                                                          columns="method", values="score_kgCO2e").reset_index()
    totals.columns = [c if c in ("database", "code", "activity", "per") else f"score_kgCO2e {c}" for c in totals.columns]
    book = Workbook()
    cover = book.active
    cover.title = "Cover"
    for row in [["Lifecycle carbon footprints of the inventory activities"],
                ["Question", "Counting the rockets, the solar panels and the chips, is a PFLOP-day computed in orbit "
                 "lower- or higher-carbon than one computed on a terrestrial grid?"],
                ["This report", "Cradle-to-gate footprints per reference unit of every launch, PV, GPU and system "
                 "activity, by life-cycle stage, for the IPCC 2021 GWP100 and GWP20 methods and for the tool's "
                 "high-altitude methods (GWP100+HA adds stratospheric black carbon, water vapour and alumina; "
                 "HA-nonCO2 shows those terms alone)."],
                ["How to read", "'Totals' has one row per activity; 'Footprints' is the tidy table behind it "
                 "(activity x method x stage); 'Sources' and 'Parameters' cite every input; 'Provenance' records "
                 "versions and input hashes."],
                ["Units", "kg CO2e per reference unit of the activity (column 'per')."],
                ["Tool version", __version__]]:
        append_row(cover, row)
    cover.column_dimensions["A"].width = 16
    cover.column_dimensions["B"].width = 120
    _sheet(book, "Totals", totals, {"activity": 50})
    _sheet(book, "Footprints", table, {"activity": 50, "stage": 30})
    _sheet(book, "Parameters", api.parameters(), {"name": 40, "description": 60, "file": 30})
    _sheet(book, "Sources", api.sources()[["id", "reliability", "citation", "note"]], {"citation": 100, "note": 80})
    _sheet(book, "Provenance", pd.DataFrame(provenance.record(inventory, argv), columns=["item", "value"]),
           {"item": 45, "value": 100})
    with atomic_path(path) as tmp:
        book.save(tmp)
    return Path(path)
