"""The *Panel* sheet: the corpus panel (indicator × donor × region × year), conflicts first.

One row per fact (:mod:`aidstats.facts`): every report of one number merged, its value the
median of the sources, its bounds the range all of them allow. The facts whose sources
disagree come first — the ones to look at — then the rest of the panel in its own order.
The numbers are computed from many figures, not typed once: they are plain values, not
formulas. A large corpus keeps the sheet readable: at most :data:`CONFLICT_ROWS` conflicts
and :data:`PANEL_ROWS` other rows (curated and most-told first), with a note saying so;
the whole panel is ``aidstats.facts.panel(aidstats.load_table("facts"))``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from aidstats.dictionary import columns
from aidstats.excel.cells import FONT_NAME, CellSpec, number_format
from aidstats.excel.layout import PANEL
from aidstats.excel.sheet import Sheet
from aidstats.facts import conflicts, facts, most_told, panel
from aidstats.schemas import validate

#: At most this many conflicts, then this many other panel rows, on the sheet.
CONFLICT_ROWS = 200
PANEL_ROWS = 2000
_TITLE = (
    "语料面板 Panel — 指标 × 援助方 × 地区 × 年份,来源矛盾在前 / "
    "indicator × donor × region × year, conflicts first"
)
_NOTE = (
    "每行一个事实:说同一件事的各篇报道合为一行;数值 = 各来源的中位数,下界/上界 = 所有来源"
    "共同允许的范围(来源矛盾时为空);不同地区与统计期的事实互相重叠,不可相加。前 {c} 行是来源"
    "矛盾的事实(需要核对,说明列出各来源的写法),其后是面板。"
    "One row per fact: the reports of one number merged; value = median of the sources, "
    "lower/upper = the range all sources allow (empty when they disagree); facts of different "
    "regions and periods overlap and are not to be added. The first {c} rows are facts whose "
    "sources disagree (to look at; the note gives each source's wording), then the panel."
)
_TRIMMED = (
    " 本表只列出 {shown} / {total} 行(全部矛盾中的前 {cs} 个,以及人工整理的和来源最多的"
    "事实);完整面板见 facts.csv。This sheet lists {shown} of {total} rows (the first {cs} "
    "conflicts, then curated and most-told facts); the whole panel is in facts.csv."
)
_YES_NO = '"是 yes";"是 yes";"—"'  # a boolean read as words, not 1 and 0
_CONFLICT_FONT = Font(name=FONT_NAME, size=10, bold=True, color="C00000")


def panel_rows(frames: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, int, str]:
    """The rows of the sheet (conflicts first), how many are conflicts, and a note when
    the sheet is not the whole panel. The facts table is computed from the figures when
    the frames do not hold it."""
    fact_table = frames["facts"] if "facts" in frames else facts(frames["figures"])
    table = validate("panel", panel(fact_table))
    found = conflicts(table)
    rest = table[~table["conflict"].to_numpy(dtype=bool)].reset_index(drop=True)
    shown_conflicts = found.head(CONFLICT_ROWS)
    shown_rest = most_told(rest, PANEL_ROWS)
    rows = pd.concat([shown_conflicts, shown_rest], ignore_index=True)
    note = ""
    if len(rows) < len(table):
        note = _TRIMMED.format(shown=len(rows), total=len(table), cs=len(shown_conflicts))
    return rows, len(shown_conflicts), note


def _row_cells(rec: dict[str, Any]) -> dict[str, CellSpec]:
    """A fact's numbers in readable formats (a median and bounds are derived numbers:
    about four significant digits, whole from 1,000 up)."""
    cells = {
        c: CellSpec(rec[c], number_format(rec["unit"], rec[c], derived=True))
        for c in ("value", "lower", "upper")
    }
    cells["conflict"] = CellSpec(bool(rec["conflict"]), _YES_NO)
    return cells


def panel_sheet(wb: Workbook, frames: dict[str, pd.DataFrame]) -> Sheet:
    """The panel, conflicts first, bounded for a large corpus (see the module docstring)."""
    rows, n_conflicts, trimmed = panel_rows(frames)
    s = Sheet.of_table(
        wb,
        PANEL,
        title=_TITLE,
        note=_NOTE.format(c=n_conflicts) + trimmed,
        table_columns=columns("panel"),
    )
    for i, rec in enumerate(rows.to_dict("records")):
        r = s.first_row + i
        s.write_row(r, rec, _row_cells(rec))
        if rec["conflict"]:
            s.ws.cell(r, s.index["conflict"]).font = _CONFLICT_FONT
    s.finish(freeze=f"B{s.first_row}")
    return s
