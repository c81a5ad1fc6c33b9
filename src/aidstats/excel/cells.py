"""Cells: fonts, fills and borders, the one safe way to write a value, number formats.

Safety: a plain ``str`` is only ever written as text (:func:`safe_text`), so no article text
can become a formula; formulas come only as :class:`~aidstats.excel.formulas.Formula`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from aidstats.excel.formulas import Formula, lookup

FONT_NAME = "Noto Sans CJK SC"


def _font(size: int, **style: Any) -> Font:
    return Font(name=FONT_NAME, size=size, charset=134, family=2, **style)


FONT = _font(10)
BOLD = _font(10, bold=True)
TITLE = _font(14, bold=True)
SMALL = _font(9, italic=True, color="595959")
REPORTED = _font(10, color="1F4E9B")
FILL = {
    "header": PatternFill("solid", fgColor="D9D9D9"),
    "reported": PatternFill("solid", fgColor="DDEBF7"),
    "derived": PatternFill("solid", fgColor="FFF2CC"),
    "section": PatternFill("solid", fgColor="EDEDED"),
}
_THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

Role = Literal["", "reported", "derived"]  # blue input, yellow formula, or neither


@dataclass(frozen=True)
class CellSpec:
    """What goes into one cell: the value, its number format and its role (the colour)."""

    value: Any = None
    fmt: str | None = None
    role: Role = ""


EMPTY = CellSpec()


def reported(value: Any, fmt: str | None = None) -> CellSpec:
    """A reported number (blue): typed in Figures or looked up there."""
    return CellSpec(value, fmt, "reported")


def derived(value: Any, fmt: str | None = None) -> CellSpec:
    """A derived number (yellow): a formula over other cells."""
    return CellSpec(value, fmt, "derived")


def safe_text(cell: Cell, value: str) -> Cell:
    """Write ``value`` into ``cell`` as text, never as a formula.

    openpyxl reads any string starting with ``=`` as a formula: the data type is set back
    to string after assigning. Text starting with =, +, - or @ is also quote-prefixed (the
    hidden apostrophe of Excel, not a character in the value), so that Excel and
    LibreOffice keep it as text even after a user edits the cell. Characters XML cannot
    hold (control characters) become U+FFFD one for one, so character offsets still hold.
    """
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
    cell.value = text
    cell.data_type = "s"
    if text[:1] in ("=", "+", "-", "@"):
        cell.quotePrefix = True
    return cell


def missing(value: Any) -> bool:
    """None, pandas' NA/NaT or a non-finite float: an empty cell."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and not math.isfinite(value)


def is_int(value: Any) -> bool:
    """A Python or numpy integer."""
    return isinstance(value, int) or (hasattr(value, "dtype") and value.dtype.kind in "iu")


def is_float(value: Any) -> bool:
    """A Python or numpy float."""
    return isinstance(value, float) or (hasattr(value, "dtype") and value.dtype.kind == "f")


def put(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None) -> Cell:
    """Write one value: Formula as formula, str as text, numbers and booleans as such."""
    cell = ws.cell(row=row, column=col)
    cell.font = FONT
    if isinstance(value, Formula):
        cell.value = "=" + value.text
    elif isinstance(value, str):
        safe_text(cell, value)
    elif missing(value):
        cell.value = None
    elif isinstance(value, bool) or type(value).__name__ == "bool_":
        cell.value = bool(value)
    elif is_int(value):
        cell.value = int(value)
    elif is_float(value):
        cell.value = None if not math.isfinite(float(value)) else float(value)
    else:
        safe_text(cell, str(value))
    if fmt:
        cell.number_format = fmt
    return cell


def text(value: Any) -> str:
    """The value as text, "" when missing."""
    return "" if missing(value) else str(value)


def num(value: Any) -> float:
    """The value as a float, NaN when missing."""
    return math.nan if missing(value) else float(value)


# --------------------------------------------------------------------------- formats

_SCALED_UNITS = {"元", "吨", "平方米", "人次", "名", "人", ""}


def _literal(words: str) -> str:
    """Text inside a number format (quotes and backslashes dropped)."""
    return '"' + re.sub(r'["\\]', "", words) + '"'


def number_format(unit: Any, value: Any = None) -> str:
    """The number format for a value in ``unit``: 元 with separators, % as percent."""
    unit = text(unit)
    if unit == "%":
        return '0.0##"%"'
    v = num(value)
    integral = math.isnan(v) or float(v).is_integer()
    if unit == "元":
        return "#,##0"  # whole yuan: fractions of a yuan in a derived amount are noise
    return "#,##0" if integral else "#,##0.0##"


PERCENT = number_format("%")


def display_scale(unit: Any, value: Any) -> tuple[float, str] | None:
    """(divisor, suffix) for the 万/亿 display of a value, as :func:`analysis.fmt_number`."""
    unit, v = text(unit), num(value)
    if math.isnan(v) or unit == "%":
        return None
    if abs(v) >= 1e8:
        return 1e8, "亿" + unit
    if abs(v) >= 1e4 and unit in _SCALED_UNITS:
        return 1e4, "万" + unit
    return None


def display_cell(ref: str, unit: Any, value: Any) -> CellSpec:
    """The 万/亿 display of the value in cell ``ref`` (a formula), empty for small values."""
    scale = display_scale(unit, value)
    if scale is None:
        return EMPTY
    divisor, suffix = scale
    formula = Formula(f'IF({ref}="","",{ref}/{divisor:.0E})')
    return derived(formula, "#,##0.0###" + _literal(suffix))


def lookup_cells(row_ref: str, fmt: str | None, *, prefix: str = "") -> dict[str, CellSpec]:
    """The value, lower and upper of the figure on Figures row ``row_ref`` (reported, blue),
    as the cells ``{prefix}value``, ``{prefix}lower`` and ``{prefix}upper``."""
    return {
        f"{prefix}{field}": reported(Formula(lookup(field, row_ref)), fmt)
        for field in ("value", "lower", "upper")
    }
