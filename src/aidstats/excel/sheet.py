"""The sheet writer: a bilingual header row, one styled row per record, print setup.

Every sheet of the workbook, the summary included, is written through :class:`Sheet`, so
the header style, cell borders, colours, wrapping, column widths and row heights are the
same everywhere. What a column looks like comes from :mod:`aidstats.excel.columns`.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from copy import copy
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from aidstats.excel import columns as col
from aidstats.excel.cells import (
    AUTO,
    BOLD,
    BOX,
    FILL,
    FONT,
    FONT_NAME,
    REPORTED,
    SMALL,
    TITLE,
    CellSpec,
    is_float,
    is_int,
    missing,
    put,
    text,
    write_value,
)
from aidstats.excel.formulas import Formula
from aidstats.excel.layout import HEADER_ROW

LEGEND = (
    "蓝色 = 报道值(在 Figures 中修改);黄色 = 公式推算,随输入自动更新;浅橙色行、状态 auto = "
    "自动标注的指标,引用前请核对;列标上方的 + 展开明细列。"
    "Blue = reported (correct it in Figures); yellow = formula, follows its inputs; "
    "light-orange rows, status auto = labelled automatically, check before citing; "
    "the + above the column letters shows the detail columns."
)
_LINE_HEIGHT = 14.5  # points per line of wrapped 10-point text
_MAX_LINES = 12  # a wrapped row grows to this many lines at most


def display_width(value: Any) -> int:
    """Display width in characters (CJK counts two; numbers with separators)."""
    shown = text(value)
    if isinstance(value, bool) or missing(value):
        pass
    elif is_int(value):
        shown = f"{int(value):,}"
    elif is_float(value):
        shown = f"{float(value):,.2f}".removesuffix(".00")
    line = max(shown.split("\n"), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def wrapped_lines(words: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` units wide (measured estimate:
    a CJK character is about 1.7 units of the 10-point font, a Latin one about 1.1)."""
    usable = max(width - 1, 1)

    def units(part: str) -> float:
        return sum(1.7 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in part)

    return sum(max(1, math.ceil(units(part) / usable)) for part in words.split("\n"))


class Sheet:
    """One worksheet with named columns: a header row, then one row per record.

    Write the lines above the table (:meth:`title`, :meth:`line`), then :meth:`header`,
    the rows (:meth:`put`, :meth:`write_row`), and :meth:`finish` for widths, heights,
    frozen header, filter and print setup.
    """

    def __init__(
        self, wb: Workbook, name: str, columns: Sequence[str], *, position: int | None = None
    ) -> None:
        self.ws = wb.create_sheet(name, position)
        self.name = name
        self.columns = list(columns)
        self.index = {c: i + 1 for i, c in enumerate(self.columns)}
        self.headers = {  # the width each header needs, never cut
            c: max(col.min_width(c), display_width(col.header(c)) + 1, math.ceil(len(c) * 1.1) + 1)
            for c in self.columns
        }
        self.widths = dict(self.headers)
        self.wrapped: dict[int, list[tuple[str, str]]] = {}
        self.notes: dict[int, str] = {}  # row → small print above the table
        self.header_row = self.last_row = HEADER_ROW
        # the finished style of each kind of record cell, set once and then copied: openpyxl
        # hashes every font, fill, border and alignment assigned, which at thousands of
        # rows took most of the time of a workbook (same styles, same file, either way)
        self._styles: dict[tuple[Any, ...], StyleArray] = {}

    @classmethod
    def table(
        cls, wb: Workbook, name: str, *, title: str, note: str, columns: Sequence[str]
    ) -> Sheet:
        """A table sheet: title, note and legend, the header at HEADER_ROW."""
        sheet = cls(wb, name, columns)
        sheet.title(title)
        sheet.line(2, note)
        sheet.line(3, LEGEND)
        sheet.header(HEADER_ROW)
        return sheet

    @classmethod
    def of_table(
        cls,
        wb: Workbook,
        name: str,
        *,
        title: str,
        note: str,
        table_columns: Sequence[str],
        operands: int = 0,
    ) -> Sheet:
        """A table sheet showing the columns ``name`` shows of a table's ``table_columns``
        (:func:`aidstats.excel.columns.shown`)."""
        shown = col.shown(name, table_columns, operands=operands)
        return cls.table(wb, name, title=title, note=note, columns=shown)

    def write_records(
        self,
        records: Iterable[dict[str, Any]],
        cells: Callable[[int, dict[str, Any]], Mapping[str, CellSpec]] | None = None,
        *,
        freeze: str | None = None,
    ) -> Sheet:
        """One row per record from :attr:`first_row` (``cells(row, rec)``: the cells that
        are not the record's plain value), then :meth:`finish`; the sheet itself."""
        for i, rec in enumerate(records):
            row = self.first_row + i
            self.write_row(row, rec, cells(row, rec) if cells else None)
        self.finish(freeze=freeze)
        return self

    def title(self, words: str) -> None:
        """The sheet's title, in the first cell."""
        put(self.ws, 1, 1, words).font = TITLE

    def line(self, row: int, words: str) -> None:
        """A line of small print above the table, wrapped across the table's width (the
        row's height is set by :meth:`finish`)."""
        put(self.ws, row, 1, words).font = SMALL
        self.notes[row] = words

    def pair(self, row: int, key: str, value: str) -> None:
        """A bold key and its value above the table."""
        put(self.ws, row, 1, key).font = BOLD
        put(self.ws, row, 2, value)

    def header(self, row: int) -> None:
        """The bilingual header row ("中文\\nname"); the records follow below it."""
        for c in self.columns:
            cell = put(self.ws, row, self.index[c], f"{col.header(c)}\n{c}")
            cell.font, cell.fill, cell.border = BOLD, FILL["header"], BOX
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        self.ws.row_dimensions[row].height = 30
        self.header_row = self.last_row = row

    @property
    def first_row(self) -> int:
        """The row of the first record."""
        return self.header_row + 1

    def section(self, row: int, words: str) -> None:
        """A shaded row across the table that starts a section."""
        for j in range(1, len(self.columns) + 1):
            self.ws.cell(row=row, column=j).fill = FILL["section"]
        put(self.ws, row, 1, words).font = BOLD
        self.ws.cell(row=row, column=1).fill = FILL["section"]
        self.last_row = max(self.last_row, row)

    def ref(self, column: str, row: int, *, absolute: bool = False) -> str:
        """The A1 reference of ``column`` on ``row``."""
        letter = get_column_letter(self.index[column])
        return f"${letter}${row}" if absolute else f"{letter}{row}"

    def xref(self, column: str, row: int) -> str:
        """A reference from another sheet."""
        return f"{quote_sheetname(self.name)}!{self.ref(column, row, absolute=True)}"

    def put(
        self,
        row: int,
        column: str,
        value: Any,
        *,
        fmt: str | None = None,
        role: str = "",
        sample: Any = None,
        auto: bool = False,
    ) -> Cell:
        """Write one cell; ``sample`` is the value a formula computes (for the width);
        ``auto``: the record is an automatic figure (a light-orange fill unless the cell
        has a role, and an orange badge on its status)."""
        cell = write_value(self.ws.cell(row=row, column=self.index[column]), value)
        wrap = col.wraps(column, sheet=self.name)
        key = (column, fmt, role, auto, cell.quotePrefix)
        style = self._styles.get(key)
        if style is not None:
            cell._style = copy(style)  # as openpyxl's own worksheet copy does
        else:
            self._style(cell, column, fmt=fmt, role=role, auto=auto)
            self._styles[key] = copy(cell._style)
        if isinstance(value, Formula) and isinstance(sample, str):  # text now, live
            if wrap:
                self.wrapped.setdefault(row, []).append((column, sample))
            self.widths[column] = max(self.widths[column], display_width(sample) + 1)
        elif isinstance(value, Formula):
            guess = 10 if missing(sample) else display_width(sample) + 2
            self.widths[column] = max(self.widths[column], guess)
        else:
            if wrap and isinstance(value, str):
                self.wrapped.setdefault(row, []).append((column, value))
            self.widths[column] = max(self.widths[column], display_width(value) + 1)
        self.last_row = max(self.last_row, row)
        return cell

    def _style(self, cell: Cell, column: str, *, fmt: str | None, role: str, auto: bool) -> None:
        """The look of a record cell: font, number format, border, alignment, role colour."""
        cell.font = FONT
        if fmt:
            cell.number_format = fmt
        cell.border = BOX
        cell.alignment = Alignment(
            wrap_text=col.wraps(column, sheet=self.name),
            vertical="top",
            horizontal=col.horizontal(column),
        )
        if role in ("reported", "derived"):
            cell.fill = FILL[role]
            if role == "reported":
                cell.font = REPORTED
        if auto and not role:
            cell.fill = FILL["auto"]
        if auto and column == "status":
            cell.font = AUTO

    def write_row(
        self, row: int, rec: Mapping[str, Any], cells: Mapping[str, CellSpec] | None = None
    ) -> None:
        """Write every column of ``row``: the given ``cells``, else the record's value.

        A record of an automatic figure (``status`` auto) is marked: its plain cells get a
        light-orange fill and its status an orange badge."""
        cells = cells or {}
        auto = rec.get("status") == "auto"
        for c in self.columns:
            spec = cells.get(c, CellSpec(rec.get(c)))
            sample = rec.get(c) if c in cells else None
            self.put(row, c, spec.value, fmt=spec.fmt, role=spec.role, sample=sample, auto=auto)

    def _column_width(self, column: str) -> float:
        fixed = col.fixed_width(column, sheet=self.name)
        if fixed is not None:
            return fixed
        return max(min(self.widths[column], col.max_width(column)), self.headers[column])

    def finish(self, *, freeze: str | None = None, autofilter: bool = True) -> None:
        """Widths, row heights for wrapped text, frozen header, filter, print setup.

        Detail columns are grouped and collapsed (the + above the columns shows them), so
        that the screen and the printed page start with the columns a reader needs.
        """
        ws = self.ws
        widths = {}
        for c, i in self.index.items():
            widths[c] = self._column_width(c)
            dim = ws.column_dimensions[get_column_letter(i)]
            dim.width = widths[c]
            if col.is_detail(c, sheet=self.name):
                dim.outlineLevel, dim.hidden = 1, True
        for row, cells in self.wrapped.items():
            lines = max(wrapped_lines(words, widths[c]) for c, words in cells)
            if lines > 1:
                ws.row_dimensions[row].height = min(lines, _MAX_LINES) * _LINE_HEIGHT
        shown = sum(w for c, w in widths.items() if not col.is_detail(c, sheet=self.name))
        self._spread_notes(shown)
        ws.freeze_panes = freeze or f"B{self.first_row}"
        last = get_column_letter(len(self.columns))
        if autofilter and self.last_row > self.header_row:
            ws.auto_filter.ref = f"A{self.header_row}:{last}{self.last_row}"
        print_setup(
            ws,
            area=f"A1:{last}{self.last_row}",
            title_rows=f"{self.header_row}:{self.header_row}",
        )

    def _spread_notes(self, width: float) -> None:
        """Merge each line of small print across the table and wrap it, so that the printed
        page shows all of it."""
        last = len(self.columns)
        for row, words in self.notes.items():
            if last > 1:
                self.ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
            self.ws.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
            lines = wrapped_lines(words, width * 1.1)  # small print: 9 points
            self.ws.row_dimensions[row].height = max(1, lines) * 13.5 + 2


def print_setup(ws: Worksheet, *, area: str, title_rows: str | None = None) -> None:
    """Landscape A4, fit to one page wide, the print area, the header row repeated on
    every page, page numbers in the footer."""
    ws.print_area = area
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "&A — &P / &N"
    ws.oddFooter.center.font = f"{FONT_NAME},Regular"
