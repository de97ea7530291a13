"""The analyst's Excel workbook: the comparison, why it comes out as it does, and everything behind it.

:func:`write_comparison_report` renders the results it is given (:class:`ReportData`: the comparison,
process contributions, break-even, one-at-a-time sensitivity, gathered by :func:`lca.api.report_data`
from :mod:`lca.analysis`), lays them out as Excel tables
with units in their headers, adds native charts and writes PNG copies of the
charts beside the workbook.

Safety: every string cell is written as text (a name like
``=HYPERLINK(...)`` in an inventory is shown, never evaluated), and the
workbook and its PNG files are written to temporary files that replace the
old ones only once everything has been written, so a failed run leaves an
earlier report intact.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lca import __version__
from lca.analysis import skew
from lca.analysis.compare import RESULT_UNIT, Comparison
from lca.core.files import append_row, atomic_paths
from lca.core.stages import STAGES
from lca.errors import InputError
from lca.inventory import provenance
from lca.report import charts, text
from lca.report.assumptions import SHEET as ASSUMPTIONS_SHEET
from lca.report.assumptions import assumption_table

G = "[g CO2e/PFLOP-day]"
TABLE_STYLE = "TableStyleMedium2"
TORNADO_BARS = 12
INPUT_FILL = "FFF2CC"

FORMATS = {"g": "#,##0.00", "ratio": "0.000", "share": "0.0%", "probability": "0.000", "sci": "0.000E+00"}


# ------------------------------------------------------------------ cells and tables

def _clean(value):
    """A value openpyxl can store: NaN/NA -> empty, numpy scalars -> Python, illegal XML characters removed."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
        if isinstance(value, float) and not math.isfinite(value):
            return None
    if isinstance(value, (list, tuple, dict, set)):
        value = ", ".join(map(str, value)) if not isinstance(value, dict) else str(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if not isinstance(value, (int, float, bool)):
        return str(value)
    return value


def _put(sheet, row: int, column: int, value):
    """Write one cell; a string always stays text (see :func:`lca.core.files.append_row`)."""
    value = _clean(value)
    cell = sheet.cell(row, column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _column_format(header: str) -> str | None:
    if G in header or "[g CO2e" in header:
        return FORMATS["g"]
    if header.startswith("share"):
        return FORMATS["share"]
    if header.startswith("P(") or "probability" in header:
        return FORMATS["probability"]
    if "÷" in header:
        return FORMATS["ratio"]
    return None


@dataclass
class Placed:
    """Where a table landed: header row, first and last data rows, and the column of each header."""

    header_row: int
    first_row: int
    last_row: int
    columns: dict[str, int] = field(default_factory=dict)


def table(sheet, frame: pd.DataFrame, name: str, widths: dict[str, int] | None = None,
          wrap: tuple[str, ...] = (), formats: dict[str, str] | None = None) -> Placed:
    """Write ``frame`` as an Excel table at A1 of the empty ``sheet``, header frozen; return where it is.

    Rows are appended with :func:`lca.core.files.append_row` so text never becomes a formula; a column's
    number format follows the unit in its header unless ``formats`` names one.
    """
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    columns = [str(c) for c in frame.columns]
    append_row(sheet, columns)
    header_row = sheet.max_row
    for values in frame.itertuples(index=False):
        append_row(sheet, [_clean(v) for v in values])
    last_row = sheet.max_row if len(frame) else header_row
    placed = Placed(header_row, header_row + 1, last_row, {c: i for i, c in enumerate(columns, start=1)})
    if len(frame):
        ref = f"A{header_row}:{get_column_letter(len(columns))}{last_row}"
        excel_table = Table(displayName=name, ref=ref)
        excel_table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
        sheet.add_table(excel_table)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sample = [len(str(v)) for v in frame.iloc[:200, index - 1] if v is not None] if len(frame) else []
        # headers wrap (row height fitted below), so a column is as wide as its longest header word or value
        width = (widths or {}).get(column) or min(max([10, max(map(len, column.split() or [""])) + 2]
                                                      + [s + 2 for s in sample]), 60)
        sheet.cell(header_row, index).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width or 0, width)
        number_format = (formats or {}).get(column) or _column_format(column)
        if number_format or column in wrap:
            for r in range(header_row + 1, last_row + 1):
                cell = sheet.cell(r, index)
                if number_format and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    cell.number_format = (supported_format(cell.value) if number_format == FORMATS["g"]
                                          else number_format)
                if column in wrap:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    fit_rows(sheet, header_row, header_row)
    sheet.freeze_panes = "A2"
    return placed


def supported_format(value, low=math.nan, high=math.nan) -> str:
    """An Excel number format that shows ``value`` to the significant figures the interval [``low``, ``high``]
    supports (:func:`lca.report.text.supported_digits`; three without an interval): decimals below one,
    thousands scaling (``#,##0,",000"``) from the thousands up, so 50,876 in [25,149, 134,143] shows '51,000'."""
    if not isinstance(value, (int, float)) or not math.isfinite(value) or value == 0:
        return "#,##0"
    digits = text.supported_digits(value, low, high)
    place = math.floor(math.log10(abs(value))) - digits + 1
    if place < 0:
        return "#,##0." + "0" * -place
    thousands = place // 3
    return "#,##0" + "," * thousands + (f'",{"000," * (thousands - 1)}000"' if thousands else "")


#: rows of a long table that are printed (the rest stays in the sheet, outside the print area)
PRINTED_ROWS = 45
#: points per line of 11-point text, and characters per unit of column width (Calibri, a little generous)
LINE_HEIGHT = 15
#: columns of width 10 (about 2 cm each) that one 24 cm wide ECDF chart takes, with a margin
ECDF_COLUMNS = 13
CHARACTERS_PER_WIDTH = 1.15
#: Excel's default column width [characters], and the shortest line a note is broken into
DEFAULT_WIDTH, NOTE_CHARACTERS = 8.43, 60


def fit_rows(sheet, first_row: int, last_row: int) -> None:
    """Row heights for the wrapped cells of rows ``first_row``..``last_row``: as many lines as the longest wrapped
    cell needs at its column width (LibreOffice, unlike Excel, does not grow rows of wrapped text by itself)."""
    import textwrap

    from openpyxl.utils import get_column_letter

    for r in range(first_row, last_row + 1):
        lines = 1
        for cell in sheet[r]:
            if not isinstance(cell.value, str) or not (cell.alignment and cell.alignment.wrap_text):
                continue
            width = sheet.column_dimensions[get_column_letter(cell.column)].width or 8.43
            chars = max(int(width * CHARACTERS_PER_WIDTH) - 1, 1)
            lines = max(lines, sum(len(textwrap.wrap(part, chars)) or 1 for part in cell.value.split("\n")))
        if lines > 1:
            sheet.row_dimensions[r].height = LINE_HEIGHT * lines


def print_setup(sheet, last_column: int | None = None, last_row: int | None = None, first_column: int = 1,
                title_rows: bool = True):
    """Landscape A4, fitted to one page wide (as many pages high as needed), the header row repeated on every
    page; ``last_row`` and ``last_column`` bound the print area (to take in charts), by default the used range
    with a long table cut to :data:`PRINTED_ROWS` rows; ``first_column`` > 1 prints only what lies right of
    it (the charts beside a wide table)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.gridLines = False
    if title_rows:
        sheet.print_title_rows = "1:1"
    rows = last_row or min(sheet.max_row, PRINTED_ROWS + 1)
    sheet.print_area = f"{get_column_letter(first_column)}1:{get_column_letter(last_column or sheet.max_column)}{rows}"


def _note(sheet, row: int, column: int, lines: list[str], width: int | None = None) -> None:
    """Lines of text from (``row``, ``column``) down, one per row, each broken at the printed width of the
    sheet's columns so far (a line of text runs across the empty cells to its right; a longer one would widen
    the printed page and shrink the table above it); ``width`` sets the column's width instead."""
    import textwrap

    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    if width:
        sheet.column_dimensions[get_column_letter(column)].width = width
    span = sum(sheet.column_dimensions[get_column_letter(c)].width or DEFAULT_WIDTH
               for c in range(column, max(sheet.max_column, column) + 1))
    characters = max(NOTE_CHARACTERS, int(span * CHARACTERS_PER_WIDTH))
    broken = [part for line in lines for part in (textwrap.wrap(line, characters) or [""])]
    for offset, line in enumerate(broken):
        _put(sheet, row + offset, column, line).alignment = Alignment(wrap_text=False, vertical="top")


# ------------------------------------------------------------------ data gathering

#: Monte Carlo statistics of the results table, with their labels on the Summary sheet.
MC_STATISTICS = {"median": "MC median", "p5": "MC 5th percentile", "p95": "MC 95th percentile",
                 "p2_5": "MC 2.5th percentile", "p97_5": "MC 97.5th percentile"}
CENTRAL = "central (deterministic)"


def results_table(comparison: Comparison) -> pd.DataFrame:
    """Tidy results: one row per system x method x stage x statistic.

    ``statistic`` is ``deterministic`` for the solved configuration (the central values) and, when
    ``comparison.extra['monte_carlo']`` is present, ``median``, ``p5``, ``p95``, ``p2_5``, ``p97_5`` (of the
    total) and ``p_orbit_lower`` (probability that orbit is lower than that system).
    """
    frame = comparison.table.assign(statistic="deterministic")[
        ["system", "kind", "grid", "method", "stage", "statistic", "value", "unit"]]
    mc = comparison.extra.get("monte_carlo")
    if isinstance(mc, pd.DataFrame) and len(mc):
        kinds = {m.name: (m.kind, m.grid) for m in comparison.systems}
        rows = []
        for r in mc.itertuples(index=False):
            kind, grid = kinds.get(r.system, ("", None))
            base = {"system": r.system, "kind": kind, "grid": grid, "method": r.method, "stage": "total"}
            for statistic in MC_STATISTICS:
                value = getattr(r, statistic, None)
                if value is not None and not (isinstance(value, float) and math.isnan(value)):
                    rows.append(base | {"statistic": statistic, "value": float(value),
                                        "unit": getattr(r, "unit", RESULT_UNIT)})
            p = getattr(r, "p_orbit_lower", None)
            if p is not None and not (isinstance(p, float) and math.isnan(p)):
                rows.append(base | {"statistic": "p_orbit_lower", "value": float(p), "unit": "probability"})
        frame = pd.concat([frame, pd.DataFrame(rows, columns=frame.columns)], ignore_index=True)
    return frame


#: The sheets of the methods whose unit is not CO2e (ozone), and of the fleet scale.
OZONE_SHEET, FLEET_SHEET = "Ozone", "Fleet scale"
MEDIAN_SHEET = "Central vs median"
#: Inputs per system and method on the Central vs median sheet (the largest shifts at the median).
MEDIAN_ROWS = 15


def median_table(shifts: pd.DataFrame, methods: list[str]) -> pd.DataFrame:
    """The inputs that move each system's total most when alone at their median, per climate method
    [g CO2e per PFLOP-day]."""
    frame = shifts[shifts["method"].isin(methods)].groupby(["method", "system"], sort=False).head(MEDIAN_ROWS)
    return frame.drop(columns=["at input mean"]).rename(columns={
        "central": f"central total {G}", "at input median": f"total at input median {G}",
        "shift at median": f"shift at median {G}", "shift at mean": f"shift at mean {G}"}).reset_index(drop=True)


def median_summary(shifts: pd.DataFrame, methods: list[str]) -> list[str]:
    """One sentence per climate method and system (:func:`lca.report.text.median_words`)."""
    return [text.median_words(shifts, method, system) for (method, system) in shifts.attrs["summary"]
            if method in methods]


def ozone_table(results: pd.DataFrame, comparison: Comparison) -> pd.DataFrame:
    """Per system and non-CO2e method (ozone): the central total, Monte Carlo median and 5-95 % where computed,
    per PFLOP-day in the method's own unit; and one launch of the chosen launcher."""
    rows = []
    other = [m for m, unit in comparison.units.items() if unit != RESULT_UNIT]
    totals = results[(results["stage"] == "total") & results["method"].isin(other)]
    for (system, method), group in totals.groupby(["system", "method"], sort=False):
        values = dict(zip(group["statistic"], group["value"]))
        rows.append({"system": system, "method": method, "per": "PFLOP-day", "central": values["deterministic"],
                     "median": values.get("median"), "p5": values.get("p5"), "p95": values.get("p95"),
                     "unit": comparison.units[method]})
    launch = comparison.extra.get("per_launch")
    for method in other:
        if launch:
            rows.append({"system": launch["activity"], "method": method, "per": "launch",
                         "central": launch["values"][method]["value"], "median": None, "p5": None, "p95": None,
                         "unit": launch["values"][method]["unit"]})
    return pd.DataFrame(rows, columns=["system", "method", "per", "central", "median", "p5", "p95", "unit"])


def fleet_table(comparison: Comparison) -> pd.DataFrame:
    """The fleet's implied annual black-carbon and alumina emissions by band beside today's global totals."""
    fleet = comparison.extra["fleet"]
    rows = [{"fleet [GW]": fleet["fleet_power"]["value"], "PFLOP-days a year": fleet["pflop_days_per_year"],
             "species": r["species"], "band": r["band"], "fleet [t/year]": r["t_per_year"],
             "today's global [t/year]": r["global_t_per_year"], "source": r["global_source"],
             "x today": r["multiple_of_global"], "linear stretched": "yes" if r["stretched"] else "",
             "flag above [x today]": fleet["linear_limit_multiple"], "note": fleet["note"] if i == 0 else ""}
            for i, r in enumerate(fleet["rates"])]
    return pd.DataFrame(rows)


def summary_table(results: pd.DataFrame, comparison: Comparison) -> pd.DataFrame:
    """One row per system: Monte Carlo statistics first where present (median, 5-95 %, P(orbit lower)), then
    the central (deterministic) totals per method and orbit ÷ system; without Monte Carlo, whether the central
    orbit value is lower."""
    methods = list(dict.fromkeys(results["method"]))
    det = results[(results["statistic"] == "deterministic") & (results["stage"] == "total")]
    mc = results[results["statistic"] != "deterministic"]
    orbit = comparison.orbit.name
    frame = pd.DataFrame([{"system": m.name, "kind": m.kind, "grid": m.grid or ""} for m in comparison.systems])
    for method in methods:
        for statistic, label in MC_STATISTICS.items():
            part = mc[(mc["method"] == method) & (mc["statistic"] == statistic)].set_index("system")["value"]
            if len(part):
                frame[f"{label}, {method} {G}"] = frame["system"].map(part)
        part = mc[(mc["method"] == method) & (mc["statistic"] == "p_orbit_lower")].set_index("system")["value"]
        if len(part):
            frame[f"P(orbit lower), {method} [-]"] = frame["system"].map(part)
    for method in methods:
        central = det[det["method"] == method].set_index("system")["value"]
        frame[f"{CENTRAL} {method} {G}"] = frame["system"].map(central)
    for method in methods:
        central = det[det["method"] == method].set_index("system")["value"]
        frame[f"orbit ÷ system, {CENTRAL} {method} [-]"] = [
            central[orbit] / central[s] if central[s] else None for s in frame["system"]]
    if not len(mc):
        for method in methods:
            central = det[det["method"] == method].set_index("system")["value"]
            frame[f"orbit lower-carbon? {CENTRAL} {method}"] = [
                "(orbit)" if s == orbit else "yes" if central[orbit] < central[s] else "no" for s in frame["system"]]
    return frame


def stage_matrix(results: pd.DataFrame, comparison: Comparison) -> pd.DataFrame:
    """Systems x stages per method (deterministic) with a total column [g CO2e per PFLOP-day]."""
    det = results[(results["statistic"] == "deterministic")]
    present = set(det.loc[det["stage"] != "total", "stage"])
    stages = [s for s in STAGES if s in present] + sorted(present - set(STAGES))
    rows = []
    for method in dict.fromkeys(det["method"]):
        for model in comparison.systems:
            part = det[(det["system"] == model.name) & (det["method"] == method)].set_index("stage")["value"]
            row = {"system": model.name, "method": method}
            row |= {f"{stage} {G}": float(part.get(stage, 0.0)) for stage in stages}
            row[f"total {G}"] = float(part["total"])
            rows.append(row)
    return pd.DataFrame(rows)


def _used_databases(inventory, comparison: Comparison) -> list[str]:
    """Databases reachable from the systems' providers through technosphere exchanges."""
    seen_keys, stack = set(), [link.provider for model in comparison.systems for link in model.links]
    while stack:
        key = stack.pop()
        database = inventory.databases.get(key[0])
        if key in seen_keys or database is None or key[1] not in database.activities:
            continue
        seen_keys.add(key)
        stack += [e.input for e in inventory.databases[key[0]].activities[key[1]].exchanges if e.kind == "technosphere"]
    used = {key[0] for key in seen_keys}
    return [name for name in inventory.databases if name in used]


def inventory_table(inventory, databases: list[str]) -> pd.DataFrame:
    """One row per exchange of ``databases`` with amount, unit, uncertainty and source id."""
    from lca.brightway.calculation import activity_name, flow_label

    rows = []
    for name in databases:
        for activity in inventory.databases[name].activities.values():
            for exchange in activity.exchanges:
                spec = exchange.uncertainty or {}
                if exchange.kind == "technosphere":
                    input_name = activity_name(inventory, exchange.input)
                else:
                    flow, categories = flow_label(inventory, exchange.input)
                    input_name = f"{flow} ({categories})" if categories else flow
                rows.append({
                    "database": activity.database, "activity code": activity.code, "activity": activity.name,
                    "per": f"1 {activity.unit}", "location": activity.location, "activity stage": activity.stage,
                    "kind": exchange.kind, "input": f"{exchange.input[0]}:{exchange.input[1]}",
                    "input name": input_name, "amount": exchange.amount, "unit": exchange.unit,
                    "formula": exchange.formula, "distribution": spec.get("distribution", "formula" if
                                                                          exchange.is_formula else ""),
                    "low": spec.get("low"), "high": spec.get("high"), "sd": spec.get("sd"), "gsd": spec.get("gsd"),
                    "source": exchange.source,
                    "reliability": inventory.sources[exchange.source].reliability
                    if exchange.source in inventory.sources else "",
                    "exchange stage": exchange.stage, "comment": " ".join(str(exchange.comment or "").split()),
                    "file": activity.file, "line": exchange.line or None})
    return pd.DataFrame(rows)


def _sizing_table(comparison: Comparison) -> pd.DataFrame:
    rows = []
    for model in comparison.systems:
        for quantity, value in model.sizing.items():
            rows.append({"system": model.name, "quantity": quantity, "value": float(value.magnitude),
                         "unit": f"{value.units:~}" or "-"})
    return pd.DataFrame(rows, columns=["system", "quantity", "value", "unit"])


@dataclass
class ReportData:
    """Everything the workbook shows; computed by :func:`gather`."""

    comparison: Comparison
    inventory: object
    results: pd.DataFrame
    contributions: pd.DataFrame
    breakeven: pd.DataFrame
    tornado: pd.DataFrame
    grids: pd.DataFrame
    parameters: pd.DataFrame
    sources: pd.DataFrame
    argv: list[str] | None = None
    activity_footprints: pd.DataFrame | None = None
    reconciliation: pd.DataFrame | None = None       # lca.analysis.reconcile.reconciliation_table
    trees: list | None = None                        # lca.analysis.tree.Tree per system and method
    launch_drivers: pd.DataFrame | None = None       # lca.analysis.launch.launch_drivers (per kg payload, GWP100)
    launch_explanation: str = ""                     # lca.analysis.launch.explain: why the chosen launcher
    median_shifts: pd.DataFrame | None = None        # lca.analysis.skew.median_shifts (with a Monte Carlo)


# ------------------------------------------------------------------ the workbook

def _is_default(inventory, comparison: Comparison) -> bool:
    defaults, chosen = inventory.catalogue.defaults, comparison.choices
    return (chosen.accelerator == defaults.accelerator and chosen.precision == defaults.precision
            and list(chosen.grids) == list(defaults.grids) and chosen.launcher == defaults.launcher
            and chosen.orbit == defaults.orbit and not chosen.trajectory and not getattr(chosen, "year", None)
            and not comparison.overrides)


def configuration(comparison: Comparison) -> str:
    c = comparison.choices
    text_ = f"{c.accelerator}, {c.precision}, {c.launcher} to {c.orbit}"
    if comparison.overrides:
        text_ += f", {len(comparison.overrides)} parameter override(s)"
    if getattr(c, "year", None):
        text_ += f", grids in {c.year}"
    return text_ + (", grid trajectory" if c.trajectory else "")


def _orbit_tornado(data: ReportData) -> pd.DataFrame:
    frame = data.tornado
    if frame.empty:
        return frame
    orbit = data.comparison.orbit.name
    return frame[(frame["system"] == orbit) & (frame["method"] == "GWP100")]


def interval_frame(summary: pd.DataFrame, methods: list[str]) -> pd.DataFrame:
    """system, method, median, p5, p95 per row of the summary with Monte Carlo statistics (empty without)."""
    parts = []
    for method in methods:
        names = {f"{MC_STATISTICS[s]}, {method} {G}": s for s in ("median", "p5", "p95")}
        if set(names) <= set(summary.columns):
            parts.append(summary[["system", *names]].rename(columns=names).assign(method=method))
    columns = ["system", "method", "median", "p5", "p95"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def ecdf_table(comparison: Comparison, methods: list[str], points: int = 101) -> tuple[pd.DataFrame, dict]:
    """Percentiles of orbit minus each terrestrial system per method [g CO2e per PFLOP-day], one row per
    percentile 0..100 % (``points`` rows), and the samples themselves ((method, system) -> Series) for the PNG;
    empty without Monte Carlo samples."""
    import numpy as np

    samples = comparison.samples
    if samples is None:
        return pd.DataFrame(), {}
    orbit = comparison.orbit.name
    levels = np.linspace(0, 1, points)
    frame, differences = {"share of runs at or below [-]": levels}, {}
    for method in methods:
        for model in comparison.systems:
            if model.name == orbit or (orbit, method) not in samples or (model.name, method) not in samples:
                continue
            difference = samples[(orbit, method)] - samples[(model.name, method)]
            differences[(method, model.name)] = difference
            frame[f"orbit minus {model.name}, {method} {G}"] = np.quantile(difference, levels)
    return pd.DataFrame(frame), differences


COST = "[USD 2024/PFLOP-day]"
COST_LABEL = "USD of 2024 per PFLOP-day"


def _cost_sheet(sheet, cost, chart_extent: dict) -> pd.DataFrame:
    """The Cost sheet: totals with their Monte Carlo statistics, the cost by stage with a stacked bar chart, and the
    cost of the carbon avoided; returns the stage matrix (systems x stages) for the PNG."""

    summary = cost.summary().rename(columns={
        "central": f"central (deterministic) {COST}", "median": f"MC median {COST}", "p5": f"MC 5 % {COST}",
        "p95": f"MC 95 % {COST}", "p_orbit_cheaper": "P(orbit cheaper)"}).drop(columns="unit")
    money = {c: "#,##0.00" for c in summary.columns if COST in c}
    table(sheet, summary, "CostSummary", widths={"system": 36}, formats=money)
    matrix = cost.stage_matrix()
    frame = matrix.reset_index()
    frame.columns = ["system"] + [f"{c} {COST}" for c in matrix.columns]
    sheet.append([])
    placed = table(sheet, frame, "CostByStage", widths={"system": 36}, formats={c: "#,##0.00" for c in frame.columns[1:]})
    series = [(placed.columns[f"{c} {COST}"], c) for c in matrix.columns]
    from openpyxl.utils import get_column_letter

    chart_col = len(frame.columns) + 2
    charts.stacked_bar(sheet, f"{get_column_letter(chart_col)}1", sheet, placed.columns["system"], placed.first_row,
                       placed.last_row, series, "Levelised cost per PFLOP-day by cost stage (central)", COST_LABEL)
    abatement = cost.abatement.rename(columns={
        "cost_difference": f"cost orbit - ground {COST}", "emissions_avoided": "emissions avoided [t CO2e/PFLOP-day]",
        "central": "central [USD 2024/t CO2e]", "median": "MC median [USD 2024/t CO2e]",
        "p5": "MC 5 % [USD 2024/t CO2e]", "p95": "MC 95 % [USD 2024/t CO2e]"}).drop(columns="unit")
    sheet.append([])
    placed_abatement = table(sheet, abatement, "CostOfCarbonAvoided", widths={"system": 30, "meaning": 80},
                             formats={c: "#,##0" for c in abatement.columns if "[USD" in c})
    _note(sheet, placed_abatement.last_row + 2, 1, [
        "Levelised cost: capital (hardware, launch, insurance, building) recovered with the capital recovery factor at "
        "cost.discount_rate over each life; electricity and operations as paid. Prices: inventories/parameters/cost.yaml "
        "(sheet Parameters), their sources on sheet Sources; many space prices are assumptions with wide ranges.",
        "Cost of carbon avoided = (cost orbit - cost ground) / (emissions ground - emissions orbit) [USD 2024 per t CO2e]; "
        "'sign' says which quadrant the central values fall in, the 'share' columns how the Monte Carlo samples split.",
        "A negative ratio means either orbit cheaper and cleaner (a saving per tonne avoided) or dearer and dirtier "
        "(nothing avoided): read it with 'sign'."])
    chart_extent["Cost"] = (chart_col + 14, max(22, placed_abatement.last_row + 5))
    return matrix


TREE_SHEET = "Contribution tree"


def tree_table(trees: list) -> pd.DataFrame:
    """The contribution trees as one table, depth first per system and method, names not indented (the sheet
    indents them by level) [g CO2e per PFLOP-day]."""
    frames = [tree.frame() for tree in trees]
    frame = pd.concat(frames, ignore_index=True)
    frame["activity"] = frame["activity"].str.strip()
    return frame.rename(columns={
        "score": f"cumulative score {G}", "direct": f"direct emissions {G}",
        "rest": f"inputs under the cut-off {G}", "rest_inputs": "inputs under the cut-off [count]",
        "share": "share of system total [-]", "key": "activity key"})[
        ["system", "method", "level", "activity", "amount", "unit", f"cumulative score {G}",
         f"direct emissions {G}", f"inputs under the cut-off {G}", "inputs under the cut-off [count]",
         "share of system total [-]", "activity key"]]


def tree_sheet(sheet, trees: list) -> None:
    """The indented contribution-tree table (activity cells indented by level) and a note on how it adds up."""
    from openpyxl.styles import Alignment

    frame = tree_table(trees)
    placed = table(sheet, frame, "ContributionTree", widths={"system": 36, "activity": 80, "activity key": 40},
                   formats={"amount": "0.000E+00", "share of system total [-]": FORMATS["share"]})
    column = placed.columns["activity"]
    for offset, level in enumerate(frame["level"]):
        sheet.cell(placed.first_row + offset, column).alignment = Alignment(indent=int(level))
    cutoffs = sorted({tree.cutoff for tree in trees})
    _note(sheet, placed.last_row + 2, 1, [
        "Where in the supply chain each system's impact sits: Brightway's graph traversal (bw_graph_tools, "
        "NewNodeEachVisitGraphTraversal, as in Activity Browser), from one PFLOP-day of each system.",
        f"Inputs under {', '.join(f'{c:.0%}' for c in cutoffs)} of the system's total are not followed; their sum "
        "is in 'inputs under the cut-off'. An activity reached along two paths appears twice.",
        "Each row adds up: cumulative score = direct emissions + the cumulative scores of the rows one level "
        "below it + inputs under the cut-off.",
        "The Sankey diagram of these trees is in the HTML companion (lca report --html FILE.html)."])


def answer_sentence(data: ReportData) -> str:
    """The answer of the cover (:func:`lca.report.text.answer`) for the results in ``data``."""
    comparison = data.comparison
    methods = list(dict.fromkeys(data.results["method"]))
    summary = summary_table(data.results, comparison)
    orbit_tornado = _orbit_tornado(data)
    tornado_range = None
    if len(orbit_tornado):
        ends = pd.concat([orbit_tornado["at_low"], orbit_tornado["at_high"]]).dropna()
        tornado_range = (float(ends.min()), float(ends.max())) if len(ends) else None
    mc = comparison.extra.get("monte_carlo")
    grid_names = dict(zip(data.grids["code"], data.grids["name"]))
    answer_frame = summary.rename(columns={f"{CENTRAL} {m} {G}": m for m in methods})
    return text.answer(answer_frame, comparison.orbit.name, grid_names, configuration(comparison),
                       _is_default(data.inventory, comparison), tornado_range,
                       mc if isinstance(mc, pd.DataFrame) else None)


def build_workbook(data: ReportData):
    """The workbook and the PNG charts to write beside it (name suffix -> function of a path)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    comparison, inventory = data.comparison, data.inventory
    orbit = comparison.orbit.name
    # the climate sheets take the CO2e methods; others (ozone, g CFC-11-eq) go to the Ozone sheet
    methods = comparison.climate_methods
    climate_results = data.results[data.results["method"].isin(methods)]
    summary = summary_table(climate_results, comparison)
    matrix = stage_matrix(climate_results, comparison)
    orbit_tornado = _orbit_tornado(data)
    mc = comparison.extra.get("monte_carlo")
    sobol = comparison.extra.get("sobol")
    answer = answer_sentence(data)

    sheets = ["Cover", "Goal and scope", "Summary", "By stage", "By process"]
    if data.trees:
        sheets.append(TREE_SHEET)
    sheets.append("Break-even")
    if data.launch_drivers is not None:
        sheets.append("Launch")
    sheets.append("Sensitivity")
    if comparison.samples is not None:
        sheets.append("Monte Carlo")
    if data.median_shifts is not None:
        sheets.append(MEDIAN_SHEET)
    if sobol is not None:
        sheets.append("Sobol")
    cost = comparison.extra.get("cost")          # lca.analysis.cost.CostResult, when computed
    if cost is not None:
        sheets.append("Cost")
    has_ozone = any(unit != RESULT_UNIT for unit in comparison.units.values())
    has_fleet = "fleet" in comparison.extra
    sheets += [ASSUMPTIONS_SHEET, "Grids", "Sizing", *([OZONE_SHEET] if has_ozone else []),
               *([FLEET_SHEET] if has_fleet else []), "Inventories", "Parameters", "Sources", "Results"]
    if data.activity_footprints is not None:
        sheets.append("Activity footprints")
    if data.reconciliation is not None:
        sheets.append("Reconciliation")
    sheets.append("Provenance")

    book = Workbook()
    cover = book.active
    cover.title = "Cover"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    rows = [("Orbit vs terrestrial compute: life-cycle greenhouse-gas emissions per PFLOP-day", ""),
            ("Question", text.QUESTION),
            ("Answer", answer),
            ("Unit", "g CO2e per PFLOP-day (1 PFLOP-day = 8.64e19 FLOP of delivered compute); GWP100 = IPCC 2021 "
                     "100-year GWP; GWP100+HA adds the high-altitude non-CO2 effects of launch and re-entry"),
            ("Configuration", f"{configuration(comparison)}; grids: {', '.join(comparison.choices.grids)}"),
            ("Critical review", "Not critically reviewed. A comparative assertion disclosed to the public needs a "
                                "critical review under ISO 14044 (see 'Goal and scope')."),
            ("Tool version", f"lca-orbit-compute {__version__}"),
            ("", ""),
            ("How to read", "Sheets, in order:")]
    rows += text.how_to_read(sheets)
    rows += [("", ""), ("Editing", "Change values in column 'value' of the Assumptions sheet, save, and run "
                                   "`lca compare --assumptions THIS_FILE.xlsx --out reports/NEW.xlsx`. Every other "
                                   "sheet is output: edits there are not read back.")]
    for item, value in rows:
        append_row(cover, [item, value])
    for row in cover.iter_rows(min_row=2, max_row=cover.max_row):
        row[0].font = bold
        row[0].alignment = wrap
        row[1].alignment = wrap
    cover["A1"].font = Font(bold=True, size=14)
    cover["B1"].value = None                             # the title runs on over the empty cell beside it
    cover.row_dimensions[1].height = 24
    cover.column_dimensions["A"].width = 22
    cover.column_dimensions["B"].width = 120

    sheet = book.create_sheet("Goal and scope")
    inventories = inventory_table(inventory, _used_databases(inventory, comparison))
    scope_rows = text.goal_and_scope(inventory, comparison, methods, data.contributions, inventories["source"])
    table(sheet, pd.DataFrame(scope_rows, columns=["field", "description"]), "GoalAndScope",
          widths={"field": 30, "description": 120}, wrap=("field", "description"))

    # print areas that reach the charts: sheet -> (last column, last row[, first column]); a 24 x 10 cm chart
    # covers about 14 default-width columns and 22 rows
    chart_extent: dict[str, tuple] = {}

    # By stage first (the summary chart refers to it), then the summary in front of it
    by_stage = book.create_sheet("By stage")
    placed_stage = table(by_stage, matrix, "ByStage", widths={"system": 36, "method": 12})
    stage_columns = [c for c in matrix.columns if c not in ("system", "method", f"total {G}")]
    n = len(comparison.systems)
    chart_col = len(matrix.columns) + 2
    from openpyxl.utils import get_column_letter

    def stage_chart(sheet_, anchor, method_index, method):
        first = placed_stage.first_row + method_index * n
        series = [(placed_stage.columns[c], c.replace(f" {G}", "")) for c in stage_columns]
        return charts.stacked_bar(sheet_, anchor, by_stage, placed_stage.columns["system"], first, first + n - 1,
                                  series, f"{method} by life-cycle stage")

    for index, method in enumerate(methods):
        stage_chart(by_stage, f"{get_column_letter(chart_col)}{1 + index * 22}", index, method)
    chart_extent["By stage"] = (chart_col + 14, 22 * len(methods))

    sheet = book.create_sheet("Summary", index=2)
    placed = table(sheet, summary, "Summary", widths={"system": 36})
    for method in methods:           # Monte Carlo and central values to the figures the 5-95 % interval supports
        low, high = f"{MC_STATISTICS['p5']}, {method} {G}", f"{MC_STATISTICS['p95']}, {method} {G}"
        if low not in placed.columns:
            continue
        shown = [f"{label}, {method} {G}" for label in MC_STATISTICS.values()] + [f"{CENTRAL} {method} {G}"]
        for r in range(placed.first_row, placed.last_row + 1):
            interval = sheet.cell(r, placed.columns[low]).value, sheet.cell(r, placed.columns[high]).value
            for column in (placed.columns[c] for c in shown if c in placed.columns):
                cell = sheet.cell(r, column)
                if isinstance(cell.value, float) and None not in interval:
                    cell.number_format = supported_format(cell.value, *interval)
    note_row = placed.last_row + 2
    _note(sheet, note_row, 1, [
        "Totals in g CO2e per PFLOP-day. 'orbit ÷ system' > 1: orbit emits more than that system.",
        "GWP100+HA adds the high-altitude non-CO2 effects of launch and re-entry, with factors derived from forcing, "
        "residence time and surface efficacy (docs/methods/high-altitude.md); their range reaches net surface "
        "cooling, and the dominant assumption is the surface efficacy of soot above the tropopause.",
        "No Monte Carlo columns: this comparison was run deterministically (--mc 0); central values only."
        if not isinstance(mc, pd.DataFrame) else
        "MC: Monte Carlo median, 5-95 % and 2.5-97.5 % intervals"
        + (f" of {int(mc['n'].iloc[0])} runs" if "n" in mc.columns else "")
        + (f", seed {int(mc['seed'].iloc[0])}" if "seed" in mc.columns else "")
        + "; P(orbit lower): share of runs in which orbit is lower than that system."])
    intervals = interval_frame(summary, methods)
    row = note_row + 4
    if len(intervals):      # Monte Carlo medians with 5-95 % error bars, log axis where they span more than 10x
        _put(sheet, row, 1, "Chart data: Monte Carlo median and its distance to the 5th and 95th percentiles "
                            f"{G}").font = Font(bold=True)
        columns = ["system", "method", "median", "median minus 5th percentile", "95th percentile minus median"]
        for c, name in enumerate(columns, start=1):
            _put(sheet, row + 1, c, name).font = Font(bold=True)
        for offset, r in enumerate(intervals.itertuples(index=False), start=row + 2):
            for c, value in enumerate((r.system, r.method, r.median, r.median - r.p5, r.p95 - r.median), start=1):
                _put(sheet, offset, c, value).number_format = "General" if c < 3 else supported_format(value)
        anchor = row + len(intervals) + 3
        for method in methods:
            part = intervals[intervals["method"] == method]
            if not len(part):
                continue
            first = row + 2 + int(part.index[0])
            charts.totals_bar(sheet, f"A{anchor}", sheet, 1, 3, 4, 5, first, first + len(part) - 1,
                              f"{method}: Monte Carlo median and 5-95 % interval per system",
                              charts.needs_log(pd.concat([part["p5"], part["p95"]])))
            anchor += 22
        chart_extent["Summary"] = (None, anchor)
    else:
        stage_chart(sheet, f"A{row}", 0, methods[0])
        chart_extent["Summary"] = (None, row + 22)

    sheet = book.create_sheet("By process")
    contributions = data.contributions.copy()
    totals = comparison.table[comparison.table["stage"] == "total"].set_index(["system", "method"])["value"]
    contributions["share"] = [score / totals[(s, m)] if totals[(s, m)] else None
                              for s, m, score in zip(contributions["system"], contributions["method"],
                                                     contributions["score"])]
    # one exchange whose provider's footprint spans several stages is one row per stage: the row's unit score is
    # that stage's part of one unit's footprint, so amount x unit score = contribution on every row
    contributions["stage_unit_score"] = [score / amount if amount else None for score, amount in
                                         zip(contributions["score"], contributions["amount"])]
    unit_score = "score of one unit, this stage [g CO2e per amount unit]"
    whole = "score of one unit, all stages [g CO2e per amount unit]"
    contributions = contributions.rename(columns={
        "label": "exchange", "provider_name": "provider name", "amount": "amount per PFLOP-day",
        "amount_unit": "amount unit", "stage_unit_score": unit_score, "unit_score": whole,
        "score": f"contribution {G}", "share": "share of system total [-]"}).drop(columns=["unit"])
    contributions = contributions[["system", "kind", "grid", "method", "stage", "exchange", "provider",
                                   "provider name", "amount per PFLOP-day", "amount unit", unit_score,
                                   f"contribution {G}", "share of system total [-]", whole]]
    table(sheet, contributions, "ByProcess", widths={"system": 36, "provider name": 50, "exchange": 40},
          formats={"share of system total [-]": FORMATS["share"], unit_score: FORMATS["sci"],
                   whole: FORMATS["sci"]})

    if data.trees:
        tree_sheet(book.create_sheet(TREE_SHEET), data.trees)

    sheet = book.create_sheet("Break-even")
    breakeven = data.breakeven.rename(columns={"orbit_total_gCO2e": f"orbit total {G}",
                                               "terrestrial_total_gCO2e": f"terrestrial total {G}",
                                               "current": "current value", "parity": "value at parity"})
    order = ["grid", "method", "quantity", "current value", "value at parity", "unit", f"orbit total {G}",
             f"terrestrial total {G}", "note"]
    table(sheet, breakeven[[c for c in order if c in breakeven.columns]], "BreakEven",
          widths={"note": 90})
    _note(sheet, len(breakeven) + 3, 1, [
        "value at parity: the value of that quantity alone at which orbit and the grid are equal (all else as "
        "configured); empty when no physical value reaches parity (see note)."])

    if data.launch_drivers is not None:
        sheet = book.create_sheet("Launch")
        drivers = data.launch_drivers.drop(columns=["method"]).rename(columns={
            "total": "total [kg CO2e/kg payload]", "combustion": "combustion [kg CO2e/kg payload]",
            "propellant production": "propellant production [kg CO2e/kg payload]",
            "manufacture": "manufacture and ground operations [kg CO2e/kg payload]",
            "other stages": "other stages [kg CO2e/kg payload]", "payload_kg": "payload [kg]",
            "propellant_per_launch_kg": "propellant per launch [kg]",
            "propellant_per_kg_payload": "propellant per kg payload [kg/kg]",
            "combustion_per_kg_propellant": "combustion per kg propellant [kg CO2e/kg]",
            "production_per_kg_propellant": "production per kg propellant [kg CO2e/kg]", "reuses": "reuse counts"})
        numbers = {c: "#,##0" if c.startswith(("payload", "propellant per launch")) else "#,##0.000"
                   for c in drivers.columns if pd.api.types.is_numeric_dtype(drivers[c])}
        table(sheet, drivers, "Launch", widths={"activity": 34, "propellants": 24, "reuse counts": 60,
                                                **{c: 14 for c in numbers}}, formats=numbers)
        _note(sheet, len(drivers) + 3, 1, [line for line in (data.launch_explanation, (
            "GWP100 per kg of payload to the chosen orbit's launch class, every launcher of the catalogue; "
            "propellant masses, payloads and reuse counts are the inventory's values (inventories/launch/).")) if line])

    sheet = book.create_sheet("Sensitivity")
    tornado = data.tornado.rename(columns={
        "value": "configured value", "low": "low value", "high": "high value", "base": f"configured result {G}",
        "at_low": f"result at low {G}", "at_high": f"result at high {G}", "delta_low": f"change at low {G}",
        "delta_high": f"change at high {G}", "swing": f"swing {G}", "path": "solved by"})
    placed_tornado = table(sheet, tornado, "Sensitivity", widths={"system": 36, "parameter": 38, "label": 60,
                                                                   "note": 40})
    tornado_bars = {}            # method -> the orbit's rows with the largest swings (a block sorted by swing)
    for index, method in enumerate(methods):
        rows_ = data.tornado.reset_index(drop=True)
        rows_ = rows_[(rows_["system"] == orbit) & (rows_["method"] == method) & (rows_["swing"] > 0)]
        bars_ = rows_.head(TORNADO_BARS)
        if not len(bars_):
            continue
        tornado_bars[method] = bars_
        first = placed_tornado.first_row + int(bars_.index[0])
        charts.tornado(sheet, f"{get_column_letter(len(tornado.columns) + 2)}{1 + index * 26}", sheet,
                       placed_tornado.columns["label"], placed_tornado.columns[f"change at low {G}"],
                       placed_tornado.columns[f"change at high {G}"], first, first + len(bars_) - 1,
                       f"Orbit, {method}: one parameter at a time, from its low to its high value")
    chart_extent["Sensitivity"] = (len(tornado.columns) + 16, max(26 * len(tornado_bars), PRINTED_ROWS))
    _note(sheet, placed_tornado.last_row + 2, 1, [
        "Each main parameter is set to the low and the high end of its distribution (range of a triangular or "
        "uniform, central 95 % of a normal or lognormal), all others as configured.",
        "'solved by': 'system model' = systems rebuilt with the same unit scores (exact, the results are linear "
        "in the system exchanges); 'full' = the whole comparison solved again (parameters used by inventory "
        "formulas)."])

    ecdf, differences = ecdf_table(comparison, methods)
    if len(ecdf):
        sheet = book.create_sheet("Monte Carlo")
        placed_ecdf = table(sheet, ecdf, "MonteCarlo", formats={c: "#,##0" for c in ecdf.columns[1:]}
                            | {ecdf.columns[0]: "0%"})
        p_lower = {key: float((values < 0).mean()) for key, values in differences.items()}
        for column in range(len(ecdf.columns) + 2, len(ecdf.columns) + 2 + ECDF_COLUMNS * len(methods)):
            sheet.column_dimensions[get_column_letter(column)].width = 10
        for index, method in enumerate(methods):
            lines = [(placed_ecdf.columns[f"orbit minus {system}, {method} {G}"],
                      f"{system}: P(orbit lower) = {p_lower[(m, system)]:.2f}")
                     for (m, system) in differences if m == method]
            if lines:
                charts.ecdf(sheet, f"{get_column_letter(len(ecdf.columns) + 2 + index * ECDF_COLUMNS)}1", sheet, 1, lines,
                            placed_ecdf.first_row, placed_ecdf.last_row,
                            f"{method}: orbit minus each grid, cumulative share of Monte Carlo runs "
                            "(height at zero = P(orbit lower))")
        # printed: the charts, side by side (the percentile table, 101 rows by grids x methods, stays on screen)
        chart_extent["Monte Carlo"] = (len(ecdf.columns) + 1 + ECDF_COLUMNS * len(methods), 26, len(ecdf.columns) + 2)

    if data.median_shifts is not None:
        sheet = book.create_sheet(MEDIAN_SHEET)
        shifts = median_table(data.median_shifts, methods)
        table(sheet, shifts, "CentralMedian", widths={"system": 30, "input": 34, "distribution": 36},
              formats={c: "#,##0" for c in shifts.columns if c.endswith(G)}
              | {c: FORMATS["g"] for c in ("configured", "input median", "input mean")})
        _note(sheet, len(shifts) + 3, 1, median_summary(data.median_shifts, methods) + [skew.SUMMARY_MEANING])

    if sobol is not None:
        sheet = book.create_sheet("Sobol")
        frame = sobol if isinstance(sobol, pd.DataFrame) else pd.DataFrame(sobol)
        table(sheet, frame.reset_index(drop=True), "Sobol")

    cost_matrix = None
    if cost is not None:
        cost_matrix = _cost_sheet(book.create_sheet("Cost"), cost, chart_extent)

    sheet = book.create_sheet(ASSUMPTIONS_SHEET)
    assumptions = assumption_table(inventory, comparison)
    swing = orbit_tornado.set_index("parameter")["swing"] if len(orbit_tornado) else pd.Series(dtype=float)
    assumptions[f"swing, orbit GWP100 {G}"] = assumptions["parameter"].map(swing)
    placed_assumptions = table(sheet, assumptions, "Assumptions",
                               widths={"parameter": 38, "value": 16, "description": 80, "source": 28},
                               formats={"value": "General", "default": "General"})
    fill = PatternFill("solid", fgColor=INPUT_FILL)
    for r in range(placed_assumptions.first_row, placed_assumptions.last_row + 1):
        sheet.cell(r, placed_assumptions.columns["value"]).fill = fill
        sheet.cell(r, placed_assumptions.columns["unit"]).fill = fill
    _note(sheet, 1, len(assumptions.columns) + 2, [
        "Edit the yellow cells: 'value' (and 'unit' to give a value in another unit).",
        "Then run: lca compare --assumptions THIS_FILE.xlsx --out reports/NEW.xlsx",
        "A row is applied as an override when its value differs from 'default'; add a row to set any other "
        "parameter (`lca list parameters`).",
        "Choices: grids separated by commas; grid_trajectory yes or no. Options given on the command line win.",
        "low/high: the range of the parameter's distribution (sheet 'Sensitivity').",
    ], width=100)

    sheet = book.create_sheet("Grids")
    grids = data.grids.rename(columns={"intensity_kgCO2e_per_kWh": "intensity [kg CO2e/kWh]"})
    table(sheet, grids, "Grids", widths={"name": 40, "basis": 50})

    sheet = book.create_sheet("Sizing")
    table(sheet, _sizing_table(comparison), "Sizing", widths={"system": 36, "quantity": 34})

    if has_ozone:
        sheet = book.create_sheet(OZONE_SHEET)
        ozone = ozone_table(data.results, comparison)
        table(sheet, ozone, "Ozone", widths={"system": 36, "method": 14, "unit": 26},
              formats={c: FORMATS["sci"] for c in ("central", "median", "p5", "p95")})
        _note(sheet, len(ozone) + 3, 1, [text.OZONE_COVERAGE])
    if has_fleet:
        sheet = book.create_sheet(FLEET_SHEET)
        fleet = fleet_table(comparison)
        table(sheet, fleet, "Fleet", widths={"species": 14, "band": 18, "note": 80})
        _note(sheet, len(fleet) + 3, 1, [text.fleet_ozone_words(comparison.extra["fleet"]["ozone"])])

    sheet = book.create_sheet("Inventories")
    table(sheet, inventories, "Inventories", widths={"activity": 50, "input name": 50, "comment": 60,
                                                            "formula": 30})

    sheet = book.create_sheet("Parameters")
    parameters = data.parameters.copy()
    parameters["description"] = parameters["description"].map(lambda s: " ".join(str(s).split()))
    table(sheet, parameters, "Parameters", widths={"name": 44, "description": 80, "file": 30})

    sheet = book.create_sheet("Sources")
    sources = data.sources[["id", "reliability", "citation", "authors", "title", "year", "doi", "url", "publisher",
                       "locator", "note", "file"]]
    table(sheet, sources, "Sources", widths={"citation": 100, "note": 80, "title": 60, "authors": 40,
                                                   "locator": 50, "url": 40})

    sheet = book.create_sheet("Results")
    results = data.results.rename(columns={"value": "value [unit]"})
    table(sheet, results, "Results", widths={"system": 36, "stage": 30},
          formats={"value [unit]": "General"})

    if data.activity_footprints is not None:
        sheet = book.create_sheet("Activity footprints")
        footprints = data.activity_footprints.rename(columns={"score_kgCO2e": "score [kg CO2e per reference unit]"})
        table(sheet, footprints, "ActivityFootprints", widths={"activity": 50, "stage": 30},
              formats={"score [kg CO2e per reference unit]": FORMATS["sci"]})

    if data.reconciliation is not None:
        sheet = book.create_sheet("Reconciliation")
        table(sheet, data.reconciliation, "Reconciliation", widths={"study": 16, "item": 60, "note": 80,
                                                                     "sources": 40},
              formats={"value": FORMATS["sci"]})

    sheet = book.create_sheet("Provenance")
    seed = comparison.extra.get("seed")
    if seed is None and isinstance(mc, pd.DataFrame) and "seed" in mc.columns and len(mc):
        seed = int(mc["seed"].iloc[0])
    record = provenance.record(inventory, data.argv, seed)
    record += [("configuration", configuration(comparison)), ("grids", ", ".join(comparison.choices.grids))]
    record += [(f"override: {k}", f"{v:g}") for k, v in comparison.overrides.items()]
    table(sheet, pd.DataFrame(record, columns=["item", "value"]), "Provenance",
          widths={"item": 45, "value": 100})

    book._sheets.sort(key=lambda s: sheets.index(s.title))
    book.active = 0
    fit_rows(cover, 2, cover.max_row)
    fit_rows(book["Goal and scope"], 2, book["Goal and scope"].max_row)
    for sheet in book.worksheets:
        print_setup(sheet, *chart_extent.get(sheet.title, (None, None)), title_rows=sheet.title != "Cover")

    # PNG charts for slides, keyed by file-name suffix
    pngs = {}
    for method in methods:
        part = matrix[matrix["method"] == method].set_index("system")[stage_columns]
        part.columns = [c.replace(f" {G}", "") for c in part.columns]
        pngs[f"stages-{method.replace('+', '-')}"] = (lambda p, part=part, method=method: charts.stages_png(
            part, p, f"{method} by life-cycle stage"))
    if cost_matrix is not None:
        pngs["cost-stages"] = (lambda p, m=cost_matrix: charts.stages_png(
            m, p, "Levelised cost per PFLOP-day by cost stage (central values)", COST_LABEL))
    for method, bars_ in tornado_bars.items():
        pngs[f"tornado-orbit-{method.replace('+', '-')}"] = (lambda p, bars_=bars_, method=method: charts.tornado_png(
            bars_, p, f"Orbit, {method}: one parameter at a time, from its low to its high value"))
    for method in methods:
        part = intervals[intervals["method"] == method]
        if len(part):
            pngs[f"totals-{method.replace('+', '-')}"] = (lambda p, part=part, method=method: charts.totals_png(
                part, p, f"{method}: Monte Carlo median and 5-95 % interval per system"))
        lines = {f"orbit minus {system}": values for (m, system), values in differences.items() if m == method}
        if lines:
            pngs[f"ecdf-{method.replace('+', '-')}"] = (lambda p, lines=lines, method=method: charts.ecdf_png(
                lines, p, f"{method}: orbit minus each grid over the Monte Carlo runs"))
    return book, pngs


def png_paths(path: str | os.PathLike, names) -> dict[str, Path]:
    """Where the PNG charts of the workbook ``path`` go: ``<stem>-<name>.png`` beside it."""
    path = Path(path)
    return {name: path.with_name(f"{path.stem}-{name}.png") for name in names}


def save(book, pngs: dict, path: str | os.PathLike) -> Path:
    """Write the workbook and its PNG charts; nothing is replaced unless everything was written."""
    path = Path(path)
    targets = png_paths(path, pngs)
    with atomic_paths([path, *targets.values()]) as (book_tmp, *png_tmps):
        for draw, tmp in zip(pngs.values(), png_tmps):
            draw(tmp)
        book.save(book_tmp)
    return path


def write_comparison_report(data: ReportData, path: str | os.PathLike = "reports/lca-report.xlsx",
                            progress=None) -> Path:
    """Write the analyst's workbook for the results in ``data`` (and its PNG charts beside it); return its path."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"the report must be an .xlsx file, got '{path}'")
    book, pngs = build_workbook(data)
    if progress:
        progress(f"report: writing {path}")
    return save(book, pngs, path)
