"""The Excel reports.

- :func:`write_comparison_report`: the analyst's workbook for one comparison (``lca compare --out``,
  and ``lca report`` for the default configuration): cover with the answer, ISO 14044 goal and scope,
  results by system, stage and process, break-even, sensitivity, an editable Assumptions sheet, the
  grids, inventories, parameters, sources and provenance behind them; native Excel charts, and PNG
  copies of the charts beside the workbook.

- :func:`lca.report.html.write_html`: its HTML companion (``--html``), one offline file with the answer,
  tables and interactive plotly charts, the Sankey diagrams of the contribution trees among them.

Modules: :mod:`.excel` (the workbook), :mod:`.html` (the HTML companion), :mod:`.charts` (Excel and PNG
charts), :mod:`.assumptions` (the Assumptions sheet, written and read back), :mod:`.text` (the answer and goal-and-scope text).
"""
from lca.report.assumptions import AssumptionsError, read_assumptions
from lca.report.excel import ReportData, results_table, write_comparison_report

__all__ = ["AssumptionsError", "ReportData", "read_assumptions", "results_table", "write_comparison_report"]
