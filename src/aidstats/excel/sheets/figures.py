"""The *Figures* sheet: every reported figure as typed, the one place to correct a number.

It also defines the workbook names ``fig_id``, ``fig_value``, ``fig_lower`` and
``fig_upper`` over its columns, through which every other sheet looks figures up.
"""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from aidstats.dictionary import TABLES
from aidstats.excel import columns
from aidstats.excel.cells import CellSpec, display_cell, number_format, reported
from aidstats.excel.formulas import FIGURE_FIELDS, figure_name
from aidstats.excel.layout import FIGURES
from aidstats.excel.sheet import Sheet

_TITLE = "指标 Figures — 每个报道数字及其原文引文 / every reported figure with its quote"
_NOTE = (
    "value/lower/upper 为基本单位(元;百分比记作91.7);raw_start/raw_end 为原文字符位置。"
    "Values in base units (元; percent as 91.7); raw_start/raw_end: character offsets "
    "into the raw article file. 在此更正数字,其他工作表随之更新 / correct a figure here."
)


def figures_sheet(wb: Workbook, figures: pd.DataFrame) -> Sheet:
    """Every figure as typed (the inputs), and the names fig_id/value/lower/upper."""
    s = Sheet.table(
        wb,
        FIGURES,
        title=_TITLE,
        note=_NOTE,
        columns=columns.shown(FIGURES, [c.name for c in TABLES["figures"]]),
    )
    for i, rec in enumerate(figures.to_dict("records")):
        r = s.first_row + i
        cells: dict[str, CellSpec] = {
            "display": display_cell(s.ref("value", r), rec["unit"], rec["value"])
        }
        for c in ("value", "lower", "upper"):
            cells[c] = reported(rec[c], number_format(rec["unit"], rec[c]))
        s.write_row(r, rec, cells)
    s.finish(freeze=f"C{s.first_row}")
    for field in FIGURE_FIELDS:
        letter = get_column_letter(s.index["figure_id" if field == "id" else field])
        name = figure_name(field)
        wb.defined_names[name] = DefinedName(name, attr_text=f"{FIGURES}!${letter}:${letter}")
    return s
