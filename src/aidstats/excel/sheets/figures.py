"""The *Figures* sheet: every reported figure as typed, the one place to correct a number.

It also defines the workbook names ``fig_id``, ``fig_value``, ``fig_lower`` and
``fig_upper`` over its columns, through which every other sheet looks figures up. A bound
the wording ties to the value (超17亿元: lower = value; 37680余人次: upper = value + 10) is a
formula over the value, so correcting the value moves its bounds too.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from aidstats.dictionary import TABLES
from aidstats.excel.cells import CellSpec, derived, display_cell, number_format, reported
from aidstats.excel.formulas import FIGURE_FIELDS, Formula, figure_name
from aidstats.excel.layout import FIGURES
from aidstats.excel.sheet import Sheet
from aidstats.quantities import Quantity

_TITLE = "指标 Figures — 每个报道数字及其原文引文 / every reported figure with its quote"
_NOTE = (
    "value 为基本单位(元;百分比记作91.7),在此更正数字,其他工作表随之更新;措辞决定的上下界"
    "(黄色)随数值变化。Values in base units (元; percent as 91.7): correct a figure here "
    "and every sheet follows; bounds set by the wording (yellow) follow the value."
)


def _bound_cell(value_ref: str, q: Quantity, bound: float) -> CellSpec:
    """A bound: a formula over the value when the wording ties it to the value (equal, or
    the next unit up), the typed number otherwise (a range has no value)."""
    fmt = number_format(q.unit, bound)
    if math.isnan(bound) or math.isnan(q.value):
        return reported(bound, fmt)
    offset = bound - q.value
    if offset == 0:
        return derived(Formula(value_ref), fmt)
    if offset > 0 and q.lower == q.value:  # 余/多: below the next unit
        return derived(Formula(f"{value_ref}+{offset:.15g}"), fmt)
    return reported(bound, fmt)


def _row_cells(s: Sheet, r: int, rec: dict[str, Any]) -> dict[str, CellSpec]:
    """A figure's display cell, its value and the bounds its wording gives."""
    q = Quantity.of(rec)
    value = s.ref("value", r)
    return {
        "display": display_cell(value, q),
        "value": reported(q.value, number_format(q.unit, q.value)),
        "lower": _bound_cell(value, q, q.lower),
        "upper": _bound_cell(value, q, q.upper),
    }


def figures_sheet(wb: Workbook, figures: pd.DataFrame) -> Sheet:
    """Every figure as typed (the inputs), and the names fig_id/value/lower/upper."""
    shown = [c.name for c in TABLES["figures"]]
    s = Sheet.of_table(wb, FIGURES, title=_TITLE, note=_NOTE, table_columns=shown)
    records = figures.to_dict("records")
    s.write_records(records, lambda r, rec: _row_cells(s, r, rec), freeze=f"D{s.first_row}")
    for field in FIGURE_FIELDS:
        letter = get_column_letter(s.index["figure_id" if field == "id" else field])
        name = figure_name(field)
        wb.defined_names[name] = DefinedName(name, attr_text=f"{FIGURES}!${letter}:${letter}")
    return s
