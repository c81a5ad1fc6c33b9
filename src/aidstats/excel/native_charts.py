"""Native bar charts (openpyxl), each on a page of its own above the data it draws, which
links into the tables by formula."""

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
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from aidstats.excel.cells import BOLD, FILL, FONT_NAME, put, text
from aidstats.excel.formulas import guard


@dataclass(frozen=True)
class ChartSeries:
    """One series: its key in :attr:`ChartEntry.cells`, its title, the divisor of the
    values (1e8: shown in 亿)."""

    key: str
    title: str
    divisor: float = 1.0


@dataclass(frozen=True)
class ChartEntry:
    """One category: its label and, per series key, the cell (on any sheet) of its value."""

    label: str
    cells: Mapping[str, str] = field(default_factory=dict)


def chart_label(rec: Mapping[str, Any]) -> str:
    """A chart label: the Chinese label with the quote it stands for; [auto] for a figure
    labelled automatically."""
    quote = text(rec.get("quote"))
    label = f"{text(rec['label_zh'])}({quote})" if quote else text(rec["label_zh"])
    return label + (" [auto]" if rec.get("status") == "auto" else "")


_ROW_CM = 0.53  # the height of a default row, in centimetres
CHART_WIDTH_CM = 17.0
CHART_COLUMN = "E"  # the chart stands right of its data (columns A to C)


def chart_block(
    ws: Worksheet,
    *,
    top: int,
    title: str,
    entries: Sequence[ChartEntry],
    series: Sequence[ChartSeries],
    horizontal: bool,
    axis_title: str,
    fmt: str = "0.00",
    log_scale: bool = False,
    new_page: bool = True,
) -> int:
    """The chart's data from row ``top`` (formulas into the tables) and a native bar chart
    beside it, on a new printed page unless ``new_page`` is false. Returns the next free
    row."""
    if new_page:
        ws.row_breaks.append(Break(id=top - 1))
    height = max(7.5, 2.5 + 0.6 * len(entries)) if horizontal else 9.0
    put(ws, top, 1, title).font = BOLD  # the page's first row: the chart stays off the break
    head = top + 1
    _chart_data(ws, head=head, entries=entries, series=series, fmt=fmt)
    last = head + len(entries)
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.grouping = "clustered"
    chart.title = _chart_title(title)
    chart.style = 10
    for j in range(2, len(series) + 2):
        chart.add_data(Reference(ws, min_col=j, min_row=head, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=last))
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False
        axis.txPr = _text_props(900)
    chart.y_axis.title = _chart_title(axis_title, size=900, bold=False)
    chart.y_axis.number_format = "#,##0"
    if log_scale:
        chart.y_axis.scaling.logBase = 10
    chart.legend.position = "b"
    chart.legend.txPr = _text_props(900)
    if horizontal:
        chart.x_axis.scaling.orientation = "maxMin"  # first row on top, as in the table
        chart.y_axis.crosses = "max"  # and the value axis below the bars
    chart.width, chart.height = CHART_WIDTH_CM, height
    ws.add_chart(chart, f"{CHART_COLUMN}{head}")
    return max(last, head + math.ceil(height / _ROW_CM)) + 2


def _chart_data(
    ws: Worksheet,
    *,
    head: int,
    entries: Sequence[ChartEntry],
    series: Sequence[ChartSeries],
    fmt: str,
) -> None:
    """The data block: a header row at ``head``, then one row per entry (formulas)."""
    put(ws, head, 1, "图表数据 chart data (formulas)").font = BOLD
    for j, one in enumerate(series, start=2):
        put(ws, head, j, one.title).font = BOLD
    for i, entry in enumerate(entries, start=1):
        put(ws, head + i, 1, entry.label)
        for j, one in enumerate(series, start=2):
            if one.key in entry.cells:
                src = entry.cells[one.key]
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
