"""Cells: fonts, fills and borders, the one safe way to write a value, number formats.

Safety: a plain ``str`` is only ever written as text (:func:`safe_text`), so no article text
can become a formula; formulas come only as :class:`~aidstats.excel.formulas.Formula`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from aidstats.excel.formulas import Formula, lookup
from aidstats.quantities import Quantity, Written, cell_format, write_quantity

FONT_NAME = "Noto Sans CJK SC"


def _font(size: int, **style: Any) -> Font:
    return Font(name=FONT_NAME, size=size, charset=134, family=2, **style)


FONT = _font(10)
BOLD = _font(10, bold=True)
TITLE = _font(14, bold=True)
SMALL = _font(9, italic=True, color="595959")
REPORTED = _font(10, color="1F4E9B")
AUTO = _font(10, bold=True, color="C55A11")  # the "auto" badge
FILL = {
    "header": PatternFill("solid", fgColor="D9D9D9"),
    "reported": PatternFill("solid", fgColor="DDEBF7"),
    "derived": PatternFill("solid", fgColor="FFF2CC"),
    "section": PatternFill("solid", fgColor="EDEDED"),
    "auto": PatternFill("solid", fgColor="FBE5D6"),  # rows of automatic figures
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


def write_value(cell: Cell, value: Any) -> Cell:
    """Write one value, no style: Formula as formula, str as text (:func:`safe_text`),
    numbers and booleans as such, missing values as an empty cell."""
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
    return cell


def put(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None) -> Cell:
    """Write one value (:func:`write_value`) in the workbook's font and ``fmt``."""
    cell = ws.cell(row=row, column=col)
    cell.font = FONT
    write_value(cell, value)
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


def number_format(unit: Any, value: Any, *, derived: bool = False) -> str:
    """The number format of a value in base units (元 with separators, % with a decimal),
    as :func:`aidstats.metrics.cell_format` decides it."""
    return cell_format(value, unit, derived=derived)


PERCENT = number_format("%", math.nan, derived=True)


def live_text(written: Written) -> CellSpec:
    """Written text whose numbers follow their cells: a string formula (derived, yellow);
    plain text when it holds no number."""
    if all(p.live is None for p in written.pieces):
        return CellSpec(written.text)
    return CellSpec(Formula(written.formula()), None, "derived")


def display_cell(ref: str, quantity: Quantity, *, derived: bool = False) -> CellSpec:
    """The value in cell ``ref`` as a yearbook writes it (超17亿元, 3.768万余人次, 76.3%):
    a formula, so it follows the value; the qualifier and the 万/亿 scale are fixed now."""
    if math.isnan(quantity.value):
        return EMPTY
    return live_text(write_quantity(quantity, derived=derived, cell=ref))


def lookup_cells(row_ref: str, fmt: str | None, *, prefix: str = "") -> dict[str, CellSpec]:
    """The value, lower and upper of the figure on Figures row ``row_ref`` (reported, blue),
    as the cells ``{prefix}value``, ``{prefix}lower`` and ``{prefix}upper``."""
    return {
        f"{prefix}{field}": reported(Formula(lookup(field, row_ref)), fmt)
        for field in ("value", "lower", "upper")
    }
