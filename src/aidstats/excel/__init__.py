"""Stage 7, Excel summary: the processed tables as one print-ready workbook with live formulas.

Sheets: 概览 (summary), Charts, Figures, Spending, Sales, Beneficiaries, Checks, Panel (the
corpus panel of facts, conflicts first), Sources, About.

Every reported number is typed once, in *Figures*. The analysis sheets look it up there by
figure id (``INDEX(fig_value, MATCH(id, fig_id, 0))`` over the workbook names ``fig_id``,
``fig_value``, ``fig_lower``, ``fig_upper``), and every derived number (shares, implied
previous-year value, value per tonne, online share, growth, check arithmetic and verdicts)
is a formula over those cells, written by the same metric (:mod:`aidstats.metrics`) that
computed it in pandas — as is the written arithmetic beside it (``61个 ÷ 80个 = 76.3%``),
a string formula whose numbers follow their cells. Correct a figure in *Figures* and every
cell and line that uses it follows (its bounds too, where the wording ties them to the
value); sorting or filtering *Figures* does not break the links. Blue cells are reported,
yellow cells are formulas, light-orange rows are automatic figures (status ``auto``).
Numbers read as a statistical yearbook writes them: 元 whole with separators, percents with
one decimal, a display column with 万/亿 and the qualifier kept (超17亿元, 3.768万余人次).
Printing: landscape, one page wide, the header row repeated, each chart on its own page
beside its data.

Safety: a plain ``str`` is only ever written as text (:func:`safe_text`); formulas come only
from this package, as :class:`~aidstats.excel.formulas.Formula`. Text starting with =, +, -
or @ stays text in Excel and LibreOffice, also after the user edits the cell (the cell is
quote-prefixed).

Reproducibility: the same frames and ``generated`` give a byte-identical file. The document
timestamps come from ``generated`` (default: the latest publication date among the
articles, so a rebuild of unchanged inputs changes nothing), the zip entries carry a fixed
1980-01-01 timestamp, in sorted order. The file is written to a temporary file beside the
target and renamed over it, so a failure leaves the previous workbook intact.

Modules: :mod:`~aidstats.excel.layout` (sheets and rows), :mod:`~aidstats.excel.columns`
(every per-column fact), :mod:`~aidstats.excel.cells` (styles, safe writing, number
formats), :mod:`~aidstats.excel.formulas` (lookups, guards, verdicts),
:mod:`~aidstats.excel.sheet` (the writer and print setup), ``sheets/`` (one module per
sheet), :mod:`~aidstats.excel.native_charts` and :mod:`~aidstats.excel.package` (the
workbook and its bytes).

>>> write_workbook(compute_tables(project_paths()).frames, Path("summary.xlsx"))
... # doctest: +SKIP
"""

from __future__ import annotations

from aidstats.excel.cells import FONT_NAME, safe_text
from aidstats.excel.formulas import excel_arithmetic
from aidstats.excel.layout import FIRST_ROW, HEADER_ROW, SHEETS, SUMMARY
from aidstats.excel.package import workbook_bytes, write_workbook

__all__ = [
    "FIRST_ROW",
    "FONT_NAME",
    "HEADER_ROW",
    "SHEETS",
    "SUMMARY",
    "excel_arithmetic",
    "safe_text",
    "workbook_bytes",
    "write_workbook",
]
