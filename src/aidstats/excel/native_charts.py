"""Native bar charts (openpyxl) beside a block of chart data that links into the table."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)
from openpyxl.drawing.text import Font as DrawingFont
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from aidstats.excel.cells import BOLD, FILL, FONT_NAME, put, text
from aidstats.excel.formulas import guard
from aidstats.excel.sheet import Sheet


@dataclass(frozen=True)
class ChartSeries:
    """One series: its key in :attr:`ChartEntry.rows`, its title, the divisor of the values
    and the table column they come from (the key itself by default)."""

    key: str
    title: str
    divisor: float = 1.0
    column: str = ""

    @property
    def source(self) -> str:
        """The table column the series reads."""
        return self.column or self.key


@dataclass(frozen=True)
class ChartEntry:
    """One category: its label and, per series key, the table row of its value."""

    label: str
    rows: Mapping[str, int] = field(default_factory=dict)


def chart_label(rec: Mapping[str, Any]) -> str:
    """A chart label: the Chinese label with the quote it stands for."""
    quote = text(rec.get("quote"))
    return f"{text(rec['label_zh'])}({quote})" if quote else text(rec["label_zh"])


def chart_block(
    s: Sheet,
    *,
    title: str,
    entries: Sequence[ChartEntry],
    series: Sequence[ChartSeries],
    horizontal: bool,
    axis_title: str,
    fmt: str = "#,##0.0#",
    log_scale: bool = False,
    anchor_row: int | None = None,
) -> int:
    """A chart-data block (formulas into the table) and a native bar chart beside it.

    The block starts on a new printed page (at ``anchor_row``, else two rows below the
    table), so that no chart is cut by a page break. Returns the first free row after the
    block and the chart.
    """
    top = anchor_row or s.last_row + 2
    head = top + 1
    _chart_data(s, top=top, entries=entries, series=series, fmt=fmt)
    last = head + len(entries)
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.grouping = "clustered"
    chart.title = _chart_title(title)
    chart.style = 10
    for j in range(2, len(series) + 2):
        chart.add_data(
            Reference(s.ws, min_col=j, min_row=head, max_row=last), titles_from_data=True
        )
    chart.set_categories(Reference(s.ws, min_col=1, min_row=head + 1, max_row=last))
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False
        axis.txPr = _text_props(900)
    chart.y_axis.title = _chart_title(axis_title, size=900, bold=False)
    chart.y_axis.number_format = fmt.replace(".0#", "")
    if log_scale:
        chart.y_axis.scaling.logBase = 10
    chart.legend.position = "b"
    chart.legend.txPr = _text_props(900)
    if horizontal:
        chart.x_axis.scaling.orientation = "maxMin"  # first row on top, as in the table
        chart.y_axis.crosses = "max"  # and the value axis below the bars
    chart.width = 24
    chart.height = max(7.5, 2.5 + 0.7 * len(entries)) if horizontal else 9
    s.ws.add_chart(chart, f"{get_column_letter(len(series) + 3)}{top}")
    return max(last, top + math.ceil(chart.height / 0.53)) + 2


def _chart_data(
    s: Sheet,
    *,
    top: int,
    entries: Sequence[ChartEntry],
    series: Sequence[ChartSeries],
    fmt: str,
) -> None:
    """The data block from row ``top``: a page break, a title, then one row per entry."""
    ws = s.ws
    ws.row_breaks.append(Break(id=top - 1))
    put(ws, top, 1, "图表数据 Chart data (formulas)").font = BOLD
    head = top + 1
    put(ws, head, 1, "类别 category").font = BOLD
    for j, one in enumerate(series, start=2):
        put(ws, head, j, one.title).font = BOLD
    for i, entry in enumerate(entries, start=1):
        put(ws, head + i, 1, entry.label)
        for j, one in enumerate(series, start=2):
            if one.key in entry.rows:
                src = s.ref(one.source, entry.rows[one.key])
                expr = src if one.divisor == 1 else f"{src}/{one.divisor:.0E}"
                put(ws, head + i, j, guard(expr, src), fmt).fill = FILL["derived"]


def _char_props(size: int, *, bold: bool = False) -> CharacterProperties:
    face = DrawingFont(typeface=FONT_NAME)
    return CharacterProperties(latin=face, ea=face, cs=face, sz=size, b=bold)


def _text_props(size: int) -> RichText:
    props = _char_props(size)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _chart_title(words: str, *, size: int = 1200, bold: bool = True) -> Title:
    props = _char_props(size, bold=bold)
    para = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=words)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)
