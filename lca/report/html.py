"""The HTML companion of the workbook: one self-contained, offline file to share the result.

:func:`write_html` renders the same :class:`lca.report.ReportData` as the workbook: the answer of the cover,
the Summary and By stage tables, and interactive plotly charts (totals per system with their Monte Carlo
5-95 % intervals, on a log axis where they span more than a factor of 10; the stage breakdown; the orbit's
tornado per method; a Sankey diagram of each system's contribution tree). plotly.js and the styles are
inlined, and a Content-Security-Policy lets the page load nothing from anywhere (``default-src 'none'``),
so it opens the same offline, from an e-mail or a USB stick.

A small script, first in the page, records script errors, failed loads, policy violations and
``console.error`` calls and writes them into the page (``#page-status``, ``data-errors``) once it has
loaded, so a headless browser's DOM dump shows whether the page rendered cleanly.
"""
from __future__ import annotations

import html
import math
import os
from pathlib import Path

import pandas as pd

from lca import __version__
from lca.analysis.skew import SUMMARY_MEANING
from lca.core.files import atomic_path
from lca.errors import InputError
from lca.report import charts, text
from lca.report.excel import (
    CENTRAL,
    TORNADO_BARS,
    G,
    ReportData,
    answer_sentence,
    configuration,
    interval_frame,
    median_summary,
    median_table,
    stage_matrix,
    summary_table,
)

#: Everything the page may load: nothing; inline scripts and styles, and data: images (plotly's icons).
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'unsafe-inline'; "
                           "style-src 'unsafe-inline'; img-src data:; font-src data:")
PLOT_CONFIG = {"displaylogo": False, "responsive": True,
               "toImageButtonOptions": {"format": "png", "scale": 2}}
STATUS_ID = "page-status"
COLOURS = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c", "#ccb974",
           "#64b5cd"]

SENTINEL = """
(function () {
  var errors = [];
  window.__pageErrors = errors;
  window.addEventListener('error', function (event) {
    var target = event.target;
    if (target && target !== window && (target.src || target.href)) {
      errors.push('failed to load ' + (target.src || target.href));
    } else {
      errors.push('script error: ' + event.message + ' (line ' + event.lineno + ')');
    }
  }, true);
  window.addEventListener('unhandledrejection', function (event) {
    errors.push('unhandled rejection: ' + event.reason);
  });
  document.addEventListener('securitypolicyviolation', function (event) {
    errors.push('blocked by the page policy: ' + event.blockedURI);
  });
  var consoleError = console.error;
  console.error = function () {
    errors.push('console.error: ' + Array.prototype.join.call(arguments, ' '));
    return consoleError.apply(console, arguments);
  };
  window.addEventListener('load', function () {
    var status = document.getElementById('STATUS_ID');
    var plots = document.querySelectorAll('.chart');
    var drawn = document.querySelectorAll('.chart .plot-container').length;
    status.setAttribute('data-errors', String(errors.length));
    status.setAttribute('data-charts', String(plots.length));
    status.setAttribute('data-drawn', String(drawn));
    status.textContent = errors.length ? errors.join('\\n') : 'rendered: ' + drawn + ' of ' + plots.length +
      ' charts, no errors';
  });
})();
""".replace("STATUS_ID", STATUS_ID)

STYLE = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
       margin: 0 auto; max-width: 1200px; padding: 1.5em; color: #222; line-height: 1.45; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
p.answer { font-size: 1.05em; background: #f4f7fb; border-left: 4px solid #4c72b0; padding: 0.8em 1em; }
p.meta, p.note { color: #555; font-size: 0.9em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0 1em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.5em; vertical-align: top; }
th { background: #f0f0f0; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.table-wrap { overflow-x: auto; }
.chart { width: 100%; min-height: 360px; }
#page-status { color: #888; font-size: 0.75em; margin-top: 3em; white-space: pre-wrap; }
details summary { cursor: pointer; color: #4c72b0; }
@media print { .chart { page-break-inside: avoid; } }
"""


def _number(column: str, value) -> str:
    """A table cell: g CO2e to three significant figures, shares and ratios as such, text escaped."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return html.escape(str(value))
    if column.startswith("P("):
        return text.probability(value)
    if column.startswith("share"):
        return f"{value:.1%}"
    return text.significant(float(value), 3)


def table_html(frame: pd.DataFrame, caption: str | None = None) -> str:
    """``frame`` as an HTML table (header escaped, numbers right-aligned and rounded)."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, values):
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            opening = '<td class="number">' if numeric else "<td>"
            cells.append(f"{opening}{_number(str(column), value)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    caption_html = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (f'<div class="table-wrap"><table>{caption_html}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


# ------------------------------------------------------------------ figures

def _layout(figure, title: str, height: int) -> None:
    figure.update_layout(title={"text": html.escape(title), "x": 0.01}, height=height, template="plotly_white",
                         margin={"l": 10, "r": 20, "t": 60, "b": 90},
                         legend={"orientation": "h", "y": -0.12, "yanchor": "top"})


def totals_figure(data: ReportData, method: str):
    """Per system: the central (deterministic) total and, with Monte Carlo, the median with its 5-95 %
    interval as error bars; a log axis where the values span more than :data:`lca.report.charts.LOG_SPAN`."""
    import plotly.graph_objects as go

    comparison = data.comparison
    summary = summary_table(data.results, comparison)
    labels = [m.label or m.name for m in comparison.systems]
    central = summary[f"{CENTRAL} {method} {G}"].astype(float).tolist()
    figure = go.Figure()
    figure.add_bar(y=labels, x=central, orientation="h", name="central (deterministic)", marker_color="#9fb7d9",
                   hovertemplate="%{y}: %{x:,.4r} g CO2e/PFLOP-day<extra>central</extra>")
    values = list(central)
    intervals = interval_frame(summary, [method])
    if len(intervals):
        median, p5, p95 = (intervals[c].astype(float).tolist() for c in ("median", "p5", "p95"))
        figure.add_scatter(y=labels, x=median, mode="markers", name="Monte Carlo median, 5-95 % interval",
                           marker={"color": "#222", "size": 9},
                           error_x={"type": "data", "symmetric": False, "array": [h - m for h, m in zip(p95, median)],
                                    "arrayminus": [m - lo for m, lo in zip(median, p5)], "thickness": 1.5},
                           customdata=list(zip(p5, p95)),
                           hovertemplate="%{y}: median %{x:,.4r} [%{customdata[0]:,.4r}-%{customdata[1]:,.4r}]"
                                         "<extra>Monte Carlo</extra>")
        values += p5 + p95
    log = charts.needs_log(values)
    _layout(figure, f"{method}: total per system" + (", Monte Carlo median and 5-95 % interval"
                                                     if len(intervals) else ""), 200 + 60 * len(labels))
    figure.update_xaxes(type="log" if log else "linear", title=f"{charts.UNIT_LABEL}" + (" (log scale)" if log else ""))
    figure.update_yaxes(autorange="reversed")
    return figure


def stages_figure(data: ReportData, method: str):
    """Stacked horizontal bars: each system's central result by life-cycle stage."""
    import plotly.graph_objects as go

    comparison = data.comparison
    matrix = stage_matrix(data.results, comparison)
    part = matrix[matrix["method"] == method]
    labels = {m.name: m.label or m.name for m in comparison.systems}
    figure = go.Figure()
    stages = [c for c in part.columns if c not in ("system", "method", f"total {G}")]
    for index, column in enumerate(stages):
        stage = column.replace(f" {G}", "")
        figure.add_bar(y=[labels[s] for s in part["system"]], x=part[column], orientation="h", name=stage,
                       marker_color=COLOURS[index % len(COLOURS)],
                       hovertemplate=f"%{{y}}: {html.escape(stage)} %{{x:,.4r}} g CO2e/PFLOP-day<extra></extra>")
    figure.update_layout(barmode="relative")
    _layout(figure, f"{method} by life-cycle stage", 200 + 60 * len(part))
    figure.update_xaxes(title=charts.UNIT_LABEL)
    figure.update_yaxes(autorange="reversed")
    return figure


def tornado_figure(data: ReportData, method: str):
    """The orbit's one-at-a-time sensitivity: change from the configured result at each parameter's low and
    high value, largest swing first (None when the method has no tornado rows)."""
    import plotly.graph_objects as go

    frame = data.tornado
    if frame.empty:
        return None
    rows = frame[(frame["system"] == data.comparison.orbit.name) & (frame["method"] == method) & (frame["swing"] > 0)]
    rows = rows.sort_values("swing", ascending=False).head(TORNADO_BARS)
    if not len(rows):
        return None
    figure = go.Figure()
    names = [html.escape(str(label)) for label in rows["label"]]
    figure.add_bar(y=names, x=rows["delta_low"], orientation="h", name="at the low value", marker_color="#4c72b0",
                   hovertemplate="%{y}<br>at the low value: %{x:+,.4r} g CO2e/PFLOP-day<extra></extra>")
    figure.add_bar(y=names, x=rows["delta_high"], orientation="h", name="at the high value", marker_color="#dd8452",
                   hovertemplate="%{y}<br>at the high value: %{x:+,.4r} g CO2e/PFLOP-day<extra></extra>")
    base = float(rows["base"].iloc[0])
    figure.update_layout(barmode="overlay")
    _layout(figure, f"Orbit, {method}: one parameter at a time, from its low to its high value "
                    f"(configured result {text.significant(base)} {charts.UNIT_LABEL})", 160 + 34 * len(rows))
    figure.update_xaxes(title=f"change from the configured result [{charts.UNIT_LABEL}]", zeroline=True,
                        zerolinecolor="#222")
    figure.update_yaxes(autorange="reversed", automargin=True)
    return figure


def sankey_figure(tree):
    """A Sankey diagram of one contribution tree (:class:`lca.analysis.tree.Tree`): suppliers flow into their
    consumers, ending in the system; widths are the magnitudes of the cumulative scores (a negative one, an
    avoided or removed part, in red); each consumer also receives its direct emissions and its inputs under
    the cut-off, so what flows into a box is its cumulative score."""
    import plotly.graph_objects as go

    labels, colours, sources, targets, values, link_colours, hover, depths = [], [], [], [], [], [], [], []
    index = {}
    for node in tree.nodes.values():
        index[node.id] = len(labels)
        labels.append(f"{node.name}: {text.significant(node.score)}")
        colours.append("#4c72b0" if node.depth == 0 else "#c44e52" if node.score < 0 else "#8fa9cf")
        depths.append(node.depth)

    def link(source: int, target: int, value: float, what: str) -> None:
        sources.append(source)
        targets.append(target)
        values.append(abs(value))
        link_colours.append("rgba(196,78,82,0.45)" if value < 0 else "rgba(76,114,176,0.30)")
        hover.append(f"{html.escape(what)}: {text.significant(value, 4)} g CO2e/PFLOP-day")

    for node in tree.nodes.values():
        for child in node.children:
            link(index[child], index[node.id], tree.nodes[child].score, tree.nodes[child].name)
        if not node.children:
            continue
        for value, what in ((node.direct, "direct emissions"),
                            (node.rest, f"{node.rest_inputs} input(s) under the cut-off")):
            if value and abs(value) > 1e-9 * abs(tree.total):
                labels.append(f"{what}: {text.significant(value)}")
                colours.append("#bbbbbb")
                depths.append(node.depth + 1)
                link(len(labels) - 1, index[node.id], value, f"{node.name}, {what}")
    # columns by depth, the system on the right; within a column, depth-first order from the top
    deepest = max(depths) or 1
    x = [0.001 + 0.998 * (deepest - d) / deepest for d in depths]
    order = {d: [i for i, depth in enumerate(depths) if depth == d] for d in set(depths)}
    y = [0.0] * len(depths)
    for members in order.values():
        for rank, i in enumerate(members):
            y[i] = 0.001 + 0.998 * (rank + 0.5) / len(members)
    figure = go.Figure(go.Sankey(
        arrangement="snap", valueformat=",.4r", valuesuffix=" g CO2e/PFLOP-day",
        node={"label": [html.escape(label) for label in labels], "color": colours, "pad": 12, "thickness": 14,
              "x": x, "y": y},
        link={"source": sources, "target": targets, "value": values, "color": link_colours,
              "customdata": hover, "hovertemplate": "%{customdata}<extra></extra>"}))
    _layout(figure, f"{tree.label}, {tree.method}: where the {text.significant(tree.total)} {charts.UNIT_LABEL} "
                    f"sit (inputs under {tree.cutoff:.0%} of the total summed)", max(420, 26 * len(labels)))
    return figure


def _tree_rows(tree) -> pd.DataFrame:
    """The indented table of a contribution tree (names indented by three non-breaking spaces a level)."""
    frame = tree.frame()
    return pd.DataFrame({
        "activity": ["\u00a0" * 3 * level + name.strip() for level, name in zip(frame["level"], frame["activity"])],
        "amount": [f"{v:.4g}" for v in frame["amount"]], "unit": frame["unit"],
        "cumulative [g CO2e/PFLOP-day]": frame["score"], "direct [g CO2e/PFLOP-day]": frame["direct"],
        "inputs under the cut-off [g CO2e/PFLOP-day]": frame["rest"], "share of the system total": frame["share"]})


def chart_div(figure, div_id: str) -> str:
    """A figure as a div and its inline script (plotly.js itself is inlined once in the page head)."""
    return figure.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config=PLOT_CONFIG,
                          default_width="100%").replace("<div>", '<div class="chart-wrap">', 1).replace(
        f'<div id="{div_id}"', f'<div id="{div_id}" class="chart"', 1)


# ------------------------------------------------------------------ the page

def render_html(data: ReportData) -> str:
    """The whole page as a string (see the module docstring)."""
    from plotly.offline import get_plotlyjs

    comparison = data.comparison
    methods = list(dict.fromkeys(data.results["method"]))
    summary = summary_table(data.results, comparison)
    matrix = stage_matrix(data.results, comparison)
    answer = answer_sentence(data)
    sections = []
    charts_html = [chart_div(totals_figure(data, m), f"totals-{i}") for i, m in enumerate(methods)]
    sections.append(f"<h2>Summary</h2>{''.join(charts_html)}"
                    + table_html(summary.rename(columns=lambda c: c.replace(G, "[g CO2e/PFLOP-day]")))
                    + '<p class="note">Totals in g CO2e per PFLOP-day. "orbit ÷ system" &gt; 1: orbit emits more '
                      "than that system. P(orbit lower): share of Monte Carlo runs in which orbit is lower. "
                      "GWP100+HA adds the high-altitude non-CO2 effects of launch and re-entry (factors uncertain "
                      "by about an order of magnitude).</p>")
    if data.median_shifts is not None:
        climate = comparison.climate_methods
        orbit_rows = median_table(data.median_shifts, climate)
        orbit_rows = orbit_rows[orbit_rows["system"] == comparison.orbit.name].groupby("method").head(8)
        sections.append("<h2>Central value vs Monte Carlo median</h2>"
                        + "".join(f"<p>{html.escape(line)}.</p>" for line in median_summary(data.median_shifts, climate))
                        + table_html(orbit_rows.drop(columns=["system"]))
                        + f'<p class="note">{html.escape(SUMMARY_MEANING)} (workbook sheet \'Central vs median\').</p>')
    stage_charts = [chart_div(stages_figure(data, m), f"stages-{i}") for i, m in enumerate(methods)]
    sections.append(f"<h2>By life-cycle stage</h2>{''.join(stage_charts)}{table_html(matrix)}")
    tornado_charts = [chart_div(figure, f"tornado-{i}") for i, m in enumerate(methods)
                      if (figure := tornado_figure(data, m)) is not None]
    if tornado_charts:
        sections.append("<h2>Sensitivity (one parameter at a time)</h2>" + "".join(tornado_charts)
                        + '<p class="note">Each main parameter set to the low and the high end of its distribution, '
                          "all others as configured (workbook sheet 'Sensitivity').</p>")
    if data.trees:
        sankeys = [chart_div(sankey_figure(tree), f"sankey-{i}") for i, tree in enumerate(data.trees)]
        tables = "".join(
            f"<details><summary>Contribution tree: {html.escape(tree.label)}, {html.escape(tree.method)}</summary>"
            f"{table_html(_tree_rows(tree))}</details>" for tree in data.trees)
        sections.append("<h2>Where the impact sits (contribution trees)</h2>"
                        '<p class="note">Brightway graph traversal (bw_graph_tools, as in Activity Browser) from one '
                        "PFLOP-day of each system; inputs under the cut-off are summed on their consumer. "
                        "Hover for values; drag boxes to rearrange.</p>" + "".join(sankeys) + tables)
    title = "Orbit vs terrestrial compute: life-cycle greenhouse-gas emissions per PFLOP-day"
    meta = (f"Configuration: {html.escape(configuration(comparison))}; grids: "
            f"{html.escape(', '.join(comparison.choices.grids))}. lca-orbit-compute {html.escape(__version__)}. "
            "Companion of the Excel workbook (lca report / lca compare --out), which holds the inventories, "
            "parameters, sources and provenance.")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<script>{SENTINEL}</script>
<style>{STYLE}</style>
<script>{get_plotlyjs()}</script>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p class="meta">{meta}</p>
<h2>Question</h2>
<p>{html.escape(text.QUESTION)}</p>
<h2>Answer</h2>
<p class="answer" id="answer">{html.escape(answer)}</p>
{''.join(sections)}
<div id="{STATUS_ID}" data-errors="" data-charts="" data-drawn="">not loaded</div>
</body>
</html>
"""


def write_html(data: ReportData, path: str | os.PathLike) -> Path:
    """Write the HTML companion of the results in ``data`` to ``path`` (atomically); return the path."""
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"the HTML report must be an .html file, got '{path}'")
    page = render_html(data)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(page, encoding="utf-8")
    return path
