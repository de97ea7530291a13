"""Charts: native Excel charts (openpyxl, they stay live in the workbook) and PNG files for slides
(matplotlib's Agg canvas, no display and no global backend change)."""
from __future__ import annotations

import os

import pandas as pd

UNIT_LABEL = "g CO2e per PFLOP-day"


# ------------------------------------------------------------------ native Excel charts

def _axes_visible(chart) -> None:
    # openpyxl >= 3.1 writes <c:delete val="1"/> unless told otherwise; recent Excel then hides the axes
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False


def stacked_bar(sheet, anchor: str, data_sheet, category_col: int, first_row: int, last_row: int,
                series: list[tuple[int, str]], title: str, y_title: str = UNIT_LABEL):
    """A stacked column chart: one bar per row ``first_row``..``last_row`` of ``data_sheet`` (its name in
    ``category_col``), one segment per (column, title) of ``series``; placed on ``sheet`` at ``anchor``."""
    from openpyxl.chart import BarChart, Reference, Series

    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = title
    chart.y_axis.title = y_title
    chart.y_axis.number_format = "#,##0"
    chart.height, chart.width = 10, 24
    for column, name in series:
        values = Reference(data_sheet, min_col=column, min_row=first_row, max_row=last_row)
        chart.series.append(Series(values, title=name))
    chart.set_categories(Reference(data_sheet, min_col=category_col, min_row=first_row, max_row=last_row))
    chart.legend.position = "r"
    _axes_visible(chart)
    sheet.add_chart(chart, anchor)
    return chart


def tornado(sheet, anchor: str, data_sheet, category_col: int, low_col: int, high_col: int, first_row: int,
            last_row: int, title: str):
    """A tornado chart: horizontal bars of the change at the low and at the high value of each parameter."""
    from openpyxl.chart import BarChart, Reference, Series

    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.overlap = 100
    chart.gapWidth = 40
    chart.title = title
    chart.x_axis.title = "parameter"
    chart.y_axis.title = f"change from the configured result [{UNIT_LABEL}]"
    chart.x_axis.scaling.orientation = "maxMin"        # largest swing on top
    chart.y_axis.number_format = "#,##0"
    chart.height, chart.width = 12, 24
    for column, name in ((low_col, "at the low value"), (high_col, "at the high value")):
        chart.series.append(Series(Reference(data_sheet, min_col=column, min_row=first_row, max_row=last_row),
                                   title=name))
    chart.x_axis.tickLblPos = "low"                     # parameter names left of the bars, not on them
    chart.set_categories(Reference(data_sheet, min_col=category_col, min_row=first_row, max_row=last_row))
    chart.legend.position = "b"
    _axes_visible(chart)
    sheet.add_chart(chart, anchor)
    return chart


#: a value axis is logarithmic when the largest plotted value exceeds the smallest positive one by this factor
LOG_SPAN = 10.0
#: half-width of the linear part of the ECDF's symmetric log axis [g CO2e per PFLOP-day]
SYMLOG_LINEAR = 1000.0


def needs_log(values) -> bool:
    """Whether positive ``values`` span more than :data:`LOG_SPAN` (a linear axis would make the small ones
    slivers); False when any is zero or negative (a log axis cannot show them)."""
    values = [float(v) for v in values if v is not None]
    return bool(values) and min(values) > 0 and max(values) / min(values) > LOG_SPAN


def clustered_bar(sheet, anchor: str, data_sheet, category_col: int, first_row: int, last_row: int,
                  series: list[tuple[int, str]], title: str, y_title: str, log: bool):
    """Side-by-side columns: one group per row ``first_row``..``last_row`` of ``data_sheet`` (its name in
    ``category_col``), one column per (column, title) of ``series``; a log value axis when ``log``."""
    from openpyxl.chart import BarChart, Reference, Series

    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = title
    chart.y_axis.title = y_title + (" (log scale)" if log else "")
    chart.y_axis.number_format = "#,##0"
    if log:
        chart.y_axis.scaling.logBase = 10
    chart.height, chart.width = 10, 24
    for column, name in series:
        chart.series.append(Series(Reference(data_sheet, min_col=column, min_row=first_row, max_row=last_row),
                                   title=name))
    chart.set_categories(Reference(data_sheet, min_col=category_col, min_row=first_row, max_row=last_row))
    chart.legend.position = "b"
    _axes_visible(chart)
    sheet.add_chart(chart, anchor)
    return chart


def totals_bar(sheet, anchor: str, data_sheet, category_col: int, value_col: int, minus_col: int, plus_col: int,
               first_row: int, last_row: int, title: str, log: bool):
    """Columns of the Monte Carlo median per system with its 5-95 % interval as error bars (``minus_col``: median
    minus the 5th percentile, ``plus_col``: the 95th minus the median); a log value axis when ``log``."""
    from openpyxl.chart import BarChart, Reference, Series
    from openpyxl.chart.data_source import NumDataSource, NumRef
    from openpyxl.chart.error_bar import ErrorBars

    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = f"{UNIT_LABEL}, median and 5-95 % interval" + (" (log scale)" if log else "")
    chart.y_axis.number_format = "#,##0"
    if log:
        chart.y_axis.scaling.logBase = 10
    chart.height, chart.width = 10, 24
    series = Series(Reference(data_sheet, min_col=value_col, min_row=first_row, max_row=last_row),
                    title="Monte Carlo median")

    def ref(column):
        return NumDataSource(numRef=NumRef(f=Reference(data_sheet, min_col=column, min_row=first_row,
                                                       max_row=last_row)))
    series.errBars = ErrorBars(errDir="y", errBarType="both", errValType="cust", noEndCap=False,
                               minus=ref(minus_col), plus=ref(plus_col))
    chart.series.append(series)
    chart.set_categories(Reference(data_sheet, min_col=category_col, min_row=first_row, max_row=last_row))
    chart.legend = None
    _axes_visible(chart)
    sheet.add_chart(chart, anchor)
    return chart


def ecdf(sheet, anchor: str, data_sheet, probability_col: int, difference_cols: list[tuple[int, str]],
         first_row: int, last_row: int, title: str):
    """Cumulative distribution (ECDF) of orbit minus each grid: x = the difference at each percentile
    (columns ``difference_cols``, titled with P(orbit lower)), y = the percentile (``probability_col``); where a
    curve crosses zero its height is P(orbit lower)."""
    from openpyxl.chart import Reference, ScatterChart, Series

    chart = ScatterChart()
    chart.scatterStyle = "line"
    chart.title = title
    chart.x_axis.title = f"orbit minus grid [{UNIT_LABEL}] (negative: orbit lower)"
    chart.y_axis.title = "share of Monte Carlo runs at or below [-]"
    chart.x_axis.number_format = "#,##0"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.height, chart.width = 12, 24
    y = Reference(data_sheet, min_col=probability_col, min_row=first_row, max_row=last_row)
    for column, name in difference_cols:
        x = Reference(data_sheet, min_col=column, min_row=first_row, max_row=last_row)
        line = Series(y, x, title=name)
        line.marker.symbol = "none"
        line.smooth = False
        chart.series.append(line)
    chart.legend.position = "r"
    _axes_visible(chart)
    sheet.add_chart(chart, anchor)
    return chart


# ------------------------------------------------------------------ PNG files

def _thousands(axes) -> None:
    from matplotlib.ticker import FuncFormatter

    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=150, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def stages_png(matrix: pd.DataFrame, path: str | os.PathLike, title: str, unit_label: str = UNIT_LABEL) -> None:
    """Stacked horizontal bars: rows of ``matrix`` are systems, columns stages [``unit_label``, default g CO2e per
    PFLOP-day]."""
    from matplotlib import colormaps

    figure = _figure(12, 0.45 * len(matrix) + 2.2)
    axes = figure.add_subplot()
    colours = colormaps["tab20"]
    left_pos = pd.Series(0.0, index=matrix.index)
    left_neg = pd.Series(0.0, index=matrix.index)
    labels = [str(s) for s in matrix.index]
    for i, stage in enumerate(matrix.columns):
        values = matrix[stage].fillna(0.0)
        left = left_pos.where(values >= 0, left_neg)
        axes.barh(labels, values, left=left, label=str(stage), color=colours(i % 20))
        left_pos += values.clip(lower=0)
        left_neg += values.clip(upper=0)
    axes.invert_yaxis()
    _thousands(axes)
    axes.set_xlabel(unit_label)
    axes.set_title(title)
    figure.legend(fontsize=7, loc="outside right upper")
    axes.grid(axis="x", alpha=0.3)
    figure.savefig(path, format="png")


def tornado_png(frame: pd.DataFrame, path: str | os.PathLike, title: str) -> None:
    """Tornado: ``frame`` has columns label (the parameter in words, unit and range), delta_low, delta_high
    (largest swing first)."""
    figure = _figure(10, 0.35 * len(frame) + 1.8)
    axes = figure.add_subplot()
    names = list(frame["label"])
    axes.barh(names, frame["delta_low"], color="#4c72b0", label="at the low value")
    axes.barh(names, frame["delta_high"], color="#dd8452", label="at the high value")
    axes.axvline(0, color="black", linewidth=0.8)
    axes.invert_yaxis()
    _thousands(axes)
    axes.set_xlabel(f"change from the configured result [{UNIT_LABEL}]")
    axes.set_title(title)
    axes.legend(fontsize=8)
    axes.grid(axis="x", alpha=0.3)
    figure.savefig(path, format="png")


def totals_png(frame: pd.DataFrame, path: str | os.PathLike, title: str) -> None:
    """Monte Carlo median per system (``frame``: columns system, median, p5, p95) with 5-95 % error bars; log
    axis where the values span more than :data:`LOG_SPAN`."""
    figure = _figure(12, 0.45 * len(frame) + 2.2)
    axes = figure.add_subplot()
    names = list(frame["system"])
    errors = [frame["median"] - frame["p5"], frame["p95"] - frame["median"]]
    axes.barh(names, frame["median"], xerr=errors, color="#4c72b0", capsize=3, ecolor="black")
    axes.invert_yaxis()
    log = needs_log(pd.concat([frame["p5"], frame["p95"]]))
    if log:
        axes.set_xscale("log")
    else:
        _thousands(axes)
    axes.set_xlabel(f"{UNIT_LABEL}, median and 5-95 % interval" + (" (log scale)" if log else ""))
    axes.set_title(title)
    axes.grid(axis="x", alpha=0.3, which="both")
    figure.savefig(path, format="png")


def ecdf_png(differences: dict[str, pd.Series], path: str | os.PathLike, title: str) -> None:
    """ECDF of orbit minus each grid (name -> samples [g CO2e per PFLOP-day]), P(orbit lower) marked at zero."""
    import numpy as np

    figure = _figure(13, 5)
    axes = figure.add_subplot()
    for name, values in differences.items():
        x = np.sort(np.asarray(values, dtype=float))
        y = np.arange(1, len(x) + 1) / len(x)
        lower = float(np.mean(x < 0))
        line, = axes.step(x, y, where="post", label=f"{name}: P(orbit lower) = {lower:.2f}")
        axes.plot([0], [lower], "o", color=line.get_color())
    axes.axvline(0, color="black", linewidth=0.8)
    axes.set_xscale("symlog", linthresh=SYMLOG_LINEAR)
    ends = max(abs(v) for values in differences.values() for v in (min(values), max(values)))
    decades = [10.0 ** k for k in range(int(np.log10(SYMLOG_LINEAR)), int(np.ceil(np.log10(max(ends, 1)))) + 1)]
    axes.set_xticks([-d for d in reversed(decades)] + [0] + decades)     # no crowded labels inside the linear part
    axes.set_xlabel(f"orbit minus grid [{UNIT_LABEL}] (negative: orbit lower; symmetric log scale)")
    axes.set_ylabel("share of Monte Carlo runs at or below")
    axes.set_ylim(0, 1)
    axes.set_title(title)
    figure.legend(fontsize=7, loc="outside right upper")
    axes.grid(alpha=0.3)
    figure.savefig(path, format="png")


def when_png(table: pd.DataFrame, path: str | os.PathLike, title: str) -> None:
    """``lca when``: P(orbit lower-carbon) per grid and method (left) and P(orbit cheaper) per grid (right) by year;
    ``table`` has columns grid, method, year, p_orbit_lower_carbon, p_orbit_cheaper."""
    figure = _figure(13, 5)
    carbon, money = figure.subplots(1, 2, sharey=True)
    styles = {method: style for method, style in zip(dict.fromkeys(table["method"]), ("-", "--", ":", "-."))}
    for (grid, method), part in table.groupby(["grid", "method"], sort=False):
        carbon.plot(part["year"], part["p_orbit_lower_carbon"], styles[method], marker=".", label=f"{grid}, {method}")
    for grid, part in table.drop_duplicates(["grid", "year"]).groupby("grid", sort=False):
        money.plot(part["year"], part["p_orbit_cheaper"], marker=".", label=grid)
    from matplotlib.ticker import MaxNLocator

    for axes, what in ((carbon, "P(orbit lower-carbon)"), (money, "P(orbit cheaper)")):
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.axhline(0.5, color="black", linewidth=0.8)
        axes.set_ylim(0, 1)
        axes.set_xlabel("year the system is installed")
        axes.set_title(what)
        axes.grid(alpha=0.3)
        axes.legend(fontsize=7)
    carbon.set_ylabel("share of Monte Carlo samples")
    figure.suptitle(title)
    figure.savefig(path, format="png")
