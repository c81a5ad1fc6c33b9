"""Stage 7, Excel summary: the processed tables as one print-ready workbook with live formulas.

Sheets: 概览 (summary), Figures, Spending, Sales, Beneficiaries, Checks, Sources, About.

Every reported number is typed once, in *Figures*. The analysis sheets look it up there by
figure id (``INDEX(fig_value, MATCH(id, fig_id, 0))`` over the workbook names ``fig_id``,
``fig_value``, ``fig_lower``, ``fig_upper``), and every derived number (shares, implied
previous-year value, value per tonne, online share, growth, check arithmetic and verdicts)
is a formula over those cells. Correct a figure in *Figures* and every cell that uses it
follows; sorting or filtering *Figures* does not break the links. Blue cells are reported,
yellow cells are derived. Percentages stay in percent points as in the tables (91.7, shown
as 91.7%), money in 元 (shown with thousands separators, plus a 万/亿 display column).

Safety: a plain ``str`` is only ever written as text (:func:`safe_text`); formulas come only
from this module, as :class:`Formula`. Text starting with =, +, - or @ stays text in Excel
and LibreOffice, also after the user edits the cell (the cell is quote-prefixed).

Reproducibility: the same frames and ``generated`` give a byte-identical file. The document
timestamps come from ``generated`` (default: the latest publication date among the
articles, so a rebuild of unchanged inputs changes nothing), the zip entries carry a fixed
1980-01-01 timestamp, in sorted order. The file is written to a temporary file beside the
target and renamed over it, so a failure leaves the previous workbook intact.

>>> write_workbook(compute_tables(project_paths()).frames, Path("summary.xlsx"))
... # doctest: +SKIP
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import json
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
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
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from aidstats._version import __version__
from aidstats.dictionary import TABLES
from aidstats.errors import AidstatsError
from aidstats.outputs import atomic_write_bytes

FONT_NAME = "Noto Sans CJK SC"
SUMMARY, FIGURES, SPENDING, SALES, BENEFICIARIES, CHECKS, SOURCES, ABOUT = (
    "概览",
    "Figures",
    "Spending",
    "Sales",
    "Beneficiaries",
    "Checks",
    "Sources",
    "About",
)
SHEETS = (SUMMARY, FIGURES, SPENDING, SALES, BENEFICIARIES, CHECKS, SOURCES, ABOUT)
HEADER_ROW = 4  # the bilingual header row of every table sheet ("中文\nname")
FIRST_ROW = HEADER_ROW + 1
REQUIRED = (
    "articles",
    "figures",
    "spending_shares",
    "sales_growth",
    "beneficiaries",
    "consistency_checks",
)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
BOUNDS_NOTE = (
    "读数边界:多/余/超/以上 = 至少(下界);近 = 至多(上界);约/左右 = 无界。"
    "Reading bounds: 多/余/超/以上 = at least (lower bound); 近 = at most (upper bound); "
    "约/左右 = approximate, no bound."
)
LEGEND = (
    "蓝色 = 报道值(在 Figures 中修改);黄色 = 公式推算,随输入自动更新;列标上方的 + 展开明细列。"
    "Blue = reported (correct it in Figures); yellow = formula, follows its inputs; "
    "the + above the column letters shows the detail columns."
)
_SCALED_UNITS = {"元", "吨", "平方米", "人次", "名", "人", ""}
_WIDE = {  # width of wrapped columns, in characters
    "quote": 18,
    "sentence": 44,
    "arithmetic": 40,
    "formula": 30,
    "note": 30,
    "outlet_note": 30,
    "published_reasoning": 40,
    "title": 22,
    "description_zh": 40,
    "description_en": 50,
    "label_zh": 16,
    "label_en": 22,
    "whole_label_zh": 14,
    "whole_label_en": 18,
    "bounds": 24,
    "sha256": 18,
    "figure_ids": 24,
    "check_id": 22,
}
_WRAP = {
    "label_zh",
    "label_en",
    "whole_label_zh",
    "whole_label_en",
    "sha256",
    "figure_ids",
    "check_id",
    "quote",
    "sentence",
    "arithmetic",
    "formula",
    "note",
    "outlet_note",
    "published_reasoning",
    "corrected",
    "exclude_reason",
    "operands",
    "description_zh",
    "description_en",
    "title",
    "bounds",
}

HEADER_ZH = {
    "article_id": "文章编号",
    "figure_id": "指标编号",
    "indicator": "指标类型",
    "period_start": "统计期起",
    "period_end": "统计期止",
    "region": "受援地区",
    "donor": "援助方",
    "recipient": "受援方",
    "quote": "原文引文",
    "title": "标题",
    "check_id": "核对编号",
    "part_lower": "部分下界",
    "part_upper": "部分上界",
    "amount_lower": "金额下界",
    "amount_upper": "金额上界",
    "file": "原始文件",
    "sha256": "SHA-256校验值",
    "encoding": "字符编码",
    "subtitle": "副题",
    "byline": "作者",
    "outlet": "刊载媒体",
    "outlet_note": "媒体说明",
    "published": "发表日期",
    "published_precision": "日期精度",
    "published_reasoning": "日期依据",
    "characters": "字符数",
    "paragraphs": "段落数",
    "mentions": "数量表述数",
    "figures": "指标数",
    "excluded": "排除数",
    "paragraph": "段落",
    "block": "文本块",
    "blocks": "文本块",
    "kind": "类别",
    "text": "文本",
    "raw_start": "原文起始",
    "raw_end": "原文结束",
    "mention_id": "数量表述",
    "clean_start": "清理后起始",
    "clean_end": "清理后结束",
    "value": "数值",
    "date": "日期",
    "lower": "下界",
    "upper": "上界",
    "unit": "单位",
    "qualifier": "精确程度",
    "sentence": "所在句子",
    "label_zh": "中文名称",
    "label_en": "英文名称",
    "category": "分类",
    "dac_code": "DAC代码",
    "measure": "计量类型",
    "program": "项目",
    "parent_figure": "所属总数",
    "include_in_totals": "计入合计",
    "period_type": "统计期类型",
    "exclude_reason": "不计入原因",
    "corrected": "更正",
    "note": "说明",
    "whole_figure": "总数指标",
    "whole_label_zh": "总数名称",
    "whole_label_en": "总数英文名称",
    "part_value": "部分数值",
    "whole_value": "总数",
    "whole_lower": "总数下界",
    "whole_upper": "总数上界",
    "share_pct": "占比%",
    "share_lower_pct": "占比下界%",
    "share_upper_pct": "占比上界%",
    "share_basis": "占比来源",
    "amount": "金额或数量",
    "amount_basis": "金额来源",
    "formula": "推算公式",
    "metric": "指标",
    "basis": "报道或推算",
    "figure_ids": "所用指标",
    "bounds": "可下结论",
    "source": "来源",
    "operands": "运算数",
    "operand_refs": "运算数出处",
    "arithmetic": "运算过程",
    "computed": "计算值",
    "expected": "报道值",
    "tolerance": "容许误差",
    "low_limit": "通过下限",
    "high_limit": "通过上限",
    "slack": "相对余量",
    "verdict": "结论",
    "display": "万/亿显示",
    "figures_row": "Figures行号",
    "whole_row": "总数行号",
    "table": "表",
    "sheet": "工作表",
    "column": "列",
    "type": "类型",
    "description_zh": "中文说明",
    "description_en": "英文说明",
}
# Detail columns: grouped and collapsed on each sheet (one click shows them).
FIGURES_DETAIL = (
    "indicator",
    "category",
    "dac_code",
    "measure",
    "parent_figure",
    "include_in_totals",
    "kind",
    "period_type",
    "exclude_reason",
    "mention_id",
)
SPENDING_DETAIL = (
    "category",
    "measure",
    "whole_figure",
    "whole_label_en",
    "part_lower",
    "part_upper",
    "whole_lower",
    "whole_upper",
    "amount_lower",
    "amount_upper",
    "period_start",
    "region",
    "donor",
    "figures_row",
    "whole_row",
)
SALES_DETAIL = ("region", "period_start", "figures_row")
BENEFICIARIES_DETAIL = (
    "indicator",
    "category",
    "dac_code",
    "period_start",
    "include_in_totals",
    "figures_row",
)
CHECKS_DETAIL = (
    "source",
    "article_id",
    "formula",
    "operands",
    "tolerance",
    "low_limit",
    "high_limit",
    "slack",
)
SOURCES_DETAIL = (
    "encoding",
    "published_precision",
    "characters",
    "paragraphs",
    "mentions",
    "figures",
    "excluded",
)
# Columns that exist only in the workbook, for the About sheet.
WORKBOOK_COLUMNS = (
    ("display", "Figures, Sales, 概览", "万/亿 display of a large value (formula)", "万/亿显示"),
    (
        "figures_row",
        "Spending, Sales, Beneficiaries",
        "Row of the figure in Figures (MATCH on figure_id): the lookup key",
        "该指标在Figures表中的行号(查找键)",
    ),
    (
        "whole_row",
        "Spending",
        "Row of the total in Figures (MATCH on whole_figure)",
        "总数指标在Figures表中的行号",
    ),
    ("whole_lower", "Spending", "Lower bound of the total", "总数的下界"),
    ("whole_upper", "Spending", "Upper bound of the total", "总数的上界"),
    (
        "operand N / value N",
        "Checks",
        "The operands of the check: a figure id (looked up in Figures) or a curated name",
        "核对的运算数:指标编号(在Figures中查找)或人工设定的名称",
    ),
    (
        "low_limit / high_limit",
        "Checks",
        "The computed value passes when low ≤ computed ≤ high (empty = unbounded)",
        "计算值在上下限之间即通过(空 = 无限)",
    ),
    (
        "slack",
        "Checks",
        "Relative slack for floating-point rounding (1e-9 for curated formulas)",
        "浮点舍入的相对余量",
    ),
)


@dataclass(frozen=True)
class Formula:
    """A spreadsheet formula written by this module (``text`` without the leading ``=``)."""

    text: str


# --------------------------------------------------------------------------- cells


_FONT = Font(name=FONT_NAME, size=10, charset=134, family=2)
_BOLD = Font(name=FONT_NAME, size=10, bold=True, charset=134, family=2)
_TITLE = Font(name=FONT_NAME, size=14, bold=True, charset=134, family=2)
_SMALL = Font(name=FONT_NAME, size=9, italic=True, color="595959", charset=134, family=2)
_REPORTED = Font(name=FONT_NAME, size=10, color="1F4E9B", charset=134, family=2)
_FILL = {
    "header": PatternFill("solid", fgColor="D9D9D9"),
    "reported": PatternFill("solid", fgColor="DDEBF7"),
    "derived": PatternFill("solid", fgColor="FFF2CC"),
    "section": PatternFill("solid", fgColor="EDEDED"),
}
_THIN = Side(style="thin", color="BFBFBF")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


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


def _zh(column: str) -> str:
    """The Chinese header of a column (operand_2 → 运算数2)."""
    numbered = re.fullmatch(r"(operand|value)_(\d+)", column)
    if numbered:
        return ("运算数" if numbered[1] == "operand" else "值") + numbered[2]
    return HEADER_ZH.get(column, column)


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and not math.isfinite(value)


def _put(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None) -> Cell:
    """Write one value: Formula as formula, str as text, numbers and booleans as such."""
    cell = ws.cell(row=row, column=col)
    cell.font = _FONT
    if isinstance(value, Formula):
        cell.value = "=" + value.text
    elif isinstance(value, str):
        safe_text(cell, value)
    elif _missing(value):
        cell.value = None
    elif isinstance(value, bool) or type(value).__name__ == "bool_":
        cell.value = bool(value)
    elif isinstance(value, int) or (hasattr(value, "dtype") and value.dtype.kind in "iu"):
        cell.value = int(value)
    elif isinstance(value, float) or (hasattr(value, "dtype") and value.dtype.kind == "f"):
        cell.value = None if not math.isfinite(float(value)) else float(value)
    else:
        safe_text(cell, str(value))
    if fmt:
        cell.number_format = fmt
    return cell


def _text(value: Any) -> str:
    return "" if _missing(value) else str(value)


def _num(value: Any) -> float:
    return math.nan if _missing(value) else float(value)


def _literal(text: str) -> str:
    """Text inside a number format (quotes and backslashes dropped)."""
    return '"' + re.sub(r'["\\]', "", text) + '"'


def number_format(unit: Any, value: Any = None) -> str:
    """The number format for a value in ``unit``: 元 with separators, % as percent."""
    unit = _text(unit)
    if unit == "%":
        return '0.0##"%"'
    v = _num(value)
    integral = math.isnan(v) or float(v).is_integer()
    if unit == "元":
        return "#,##0"  # whole yuan: fractions of a yuan in a derived amount are noise
    return "#,##0" if integral else "#,##0.0##"


def display_scale(unit: Any, value: Any) -> tuple[float, str] | None:
    """(divisor, suffix) for the 万/亿 display of a value, as :func:`analysis.fmt_number`."""
    unit, v = _text(unit), _num(value)
    if math.isnan(v) or unit == "%":
        return None
    if abs(v) >= 1e8:
        return 1e8, "亿" + unit
    if abs(v) >= 1e4 and unit in _SCALED_UNITS:
        return 1e4, "万" + unit
    return None


def _display(ref: str, unit: Any, value: Any) -> tuple[Formula | None, str | None]:
    scale = display_scale(unit, value)
    if scale is None:
        return None, None
    divisor, suffix = scale
    return Formula(f'IF({ref}="","",{ref}/{divisor:.0E})'), "#,##0.0###" + _literal(suffix)


def _width(value: Any) -> int:
    """Display width in characters (CJK counts two; numbers with separators)."""
    text = _text(value)
    if isinstance(value, bool) or _missing(value):
        pass
    elif isinstance(value, int) or (hasattr(value, "dtype") and value.dtype.kind in "iu"):
        text = f"{int(value):,}"
    elif isinstance(value, float) or (hasattr(value, "dtype") and value.dtype.kind == "f"):
        text = f"{float(value):,.2f}".removesuffix(".00")
    line = max(text.split("\n"), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


# --------------------------------------------------------------------------- tables


Spec = tuple[Any, str | None, str]  # value, number format, role ("", "reported", "derived")


class _Sheet:
    """A table sheet: title, note, bilingual header at HEADER_ROW, one row per record."""

    def __init__(
        self, wb: Workbook, name: str, title: str, note: str, columns: Sequence[str]
    ) -> None:
        self.ws = wb.create_sheet(name)
        self.name = name
        self.columns = list(columns)
        self.index = {c: i + 1 for i, c in enumerate(self.columns)}
        self.widths = {
            c: max(13 if c == "display" else 6, _width(_zh(c)) + 1, math.ceil(len(c) * 1.15) + 1)
            for c in self.columns
        }
        self.wrapped: dict[int, list[tuple[str, str]]] = {}
        _put(self.ws, 1, 1, title).font = _TITLE
        _put(self.ws, 2, 1, note).font = _SMALL
        _put(self.ws, 3, 1, LEGEND).font = _SMALL
        for c in self.columns:
            cell = _put(self.ws, HEADER_ROW, self.index[c], f"{_zh(c)}\n{c}")
            cell.font, cell.fill, cell.border = _BOLD, _FILL["header"], _BOX
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        self.ws.row_dimensions[HEADER_ROW].height = 30
        self.last_row = HEADER_ROW

    def ref(self, column: str, row: int, *, absolute: bool = False) -> str:
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
    ) -> Cell:
        """Write one cell; ``sample`` is the value a formula computes (for the width)."""
        cell = _put(self.ws, row, self.index[column], value, fmt)
        cell.border = _BOX
        wrap = column in _WRAP
        cell.alignment = Alignment(wrap_text=wrap, vertical="top")
        if role in ("reported", "derived"):
            cell.fill = _FILL[role]
            if role == "reported":
                cell.font = _REPORTED
        if isinstance(value, Formula):
            guess = 10 if _missing(sample) or isinstance(sample, str) else _width(sample) + 2
            self.widths[column] = max(self.widths[column], guess)
        elif wrap and isinstance(value, str):
            self.wrapped.setdefault(row, []).append((column, value))
            self.widths[column] = max(self.widths[column], _width(value) + 1)
        else:
            self.widths[column] = max(self.widths[column], _width(value) + 1)
        self.last_row = max(self.last_row, row)
        return cell

    def finish(
        self, *, freeze: str | None = None, autofilter: bool = True, detail: Iterable[str] = ()
    ) -> None:
        """Widths, row heights for wrapped text, frozen header, filter, print setup.

        ``detail`` columns are grouped and collapsed (the + above the columns shows them),
        so that the screen and the printed page start with the columns a reader needs.
        """
        ws = self.ws
        widths = {}
        for c, i in self.index.items():
            width = min(self.widths[c], 30)
            if c in _WRAP:
                width = min(self.widths[c], _WIDE.get(c, 30))
            widths[c] = max(width, 6)
            dim = ws.column_dimensions[get_column_letter(i)]
            dim.width = widths[c]
            if c in detail:
                dim.outlineLevel, dim.hidden = 1, True
        for row, cells in self.wrapped.items():
            lines = max(_lines(text, widths[c]) for c, text in cells)
            if lines > 1:
                ws.row_dimensions[row].height = min(lines, 12) * 14.5
        ws.freeze_panes = freeze or f"B{FIRST_ROW}"
        if autofilter and self.last_row > HEADER_ROW:
            last = get_column_letter(len(self.columns))
            ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{self.last_row}"
        _print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW}")


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` units wide (measured estimate:
    a CJK character is about 1.7 units of the 10-point font, a Latin one about 1.1)."""
    usable = max(width - 1, 1)

    def units(part: str) -> float:
        return sum(1.7 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in part)

    return sum(max(1, math.ceil(units(part) / usable)) for part in text.split("\n"))


def _print_setup(ws: Worksheet, title_rows: str | None) -> None:
    """Landscape A4, fit to one page wide, header row repeated, page numbers in the footer."""
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


# --------------------------------------------------------------------------- lookups


def _index(field: str, row_ref: str) -> str:
    return f"INDEX(fig_{field},{row_ref})"


def _lookup(field: str, row_ref: str) -> str:
    """The Figures cell of ``field`` on row ``row_ref``, empty when it is empty."""
    x = _index(field, row_ref)
    return f'IF({x}="","",{x})'


def _lower_or_value(row_ref: str) -> str:
    lo, v = _index("lower", row_ref), _index("value", row_ref)
    return f'IF({lo}="",{v},{lo})'


def _upper_or_value(row_ref: str) -> str:
    hi, v = _index("upper", row_ref), _index("value", row_ref)
    return f'IF({hi}="",{v},{hi})'


def _guard(result: str, *refs: str) -> Formula:
    """``result``, or empty when any of ``refs`` is empty (NaN propagates as in pandas)."""
    if not refs:
        return Formula(result)
    cond = refs[0] + '=""' if len(refs) == 1 else "OR(" + ",".join(f'{r}=""' for r in refs) + ")"
    return Formula(f'IF({cond},"",{result})')


def _qualifier(lo: str, hi: str) -> Formula:
    """The qualifier of a derived value from its bounds, as ``analysis._derived`` sets it."""
    return Formula(
        f'IF(AND({lo}<>"",{hi}<>""),IF({lo}={hi},"exact","over"),'
        f'IF({lo}<>"","over",IF({hi}<>"","near","approx")))'
    )


# --------------------------------------------------------------------------- sheets


def _figures_sheet(wb: Workbook, figures: pd.DataFrame) -> _Sheet:
    """Every figure as typed (the inputs), and the names fig_id/value/lower/upper."""
    columns = [c.name for c in TABLES["figures"]]
    columns.insert(columns.index("unit") + 1, "display")
    sheet = _Sheet(
        wb,
        FIGURES,
        "指标 Figures — 每个报道数字及其原文引文 / every reported figure with its quote",
        "value/lower/upper 为基本单位(元;百分比记作91.7);raw_start/raw_end 为原文字符位置。"
        "Values in base units (元; percent as 91.7); raw_start/raw_end: character offsets "
        "into the raw article file. 在此更正数字,其他工作表随之更新 / correct a figure here.",
        columns,
    )
    for i, rec in enumerate(figures.to_dict("records")):
        r = FIRST_ROW + i
        display, display_fmt = _display(sheet.ref("value", r), rec["unit"], rec["value"])
        cells: dict[str, Spec] = {"display": (display, display_fmt, "derived" if display else "")}
        for c in ("value", "lower", "upper"):
            cells[c] = _reported(rec[c], number_format(rec["unit"], rec[c]))
        _write_row(sheet, r, rec, cells)
    sheet.finish(freeze=f"C{FIRST_ROW}", detail=FIGURES_DETAIL)
    for field in ("id", "value", "lower", "upper"):
        letter = get_column_letter(sheet.index["figure_id" if field == "id" else field])
        wb.defined_names[f"fig_{field}"] = DefinedName(
            f"fig_{field}", attr_text=f"{FIGURES}!${letter}:${letter}"
        )
    return sheet


def _reported(value: Any, fmt: str | None = None) -> Spec:
    return value, fmt, "reported"


def _derived_cell(value: Any, fmt: str | None = None) -> Spec:
    return value, fmt, "derived"


def _write_row(s: _Sheet, r: int, rec: dict[str, Any], cells: dict[str, Spec]) -> None:
    """Write every column of row ``r``: the computed ``cells``, else the record's value."""
    for c in s.columns:
        if c in cells:
            value, fmt, role = cells[c]
            s.put(r, c, value, fmt=fmt, role=role, sample=rec.get(c))
        else:
            s.put(r, c, rec.get(c))


def _match(ref: str) -> Formula:
    return Formula(f"MATCH({ref},fig_id,0)")


def _spending_sheet(wb: Workbook, df: pd.DataFrame, figures: pd.DataFrame) -> _Sheet:
    columns = list(df.columns)
    at = columns.index("whole_value") + 1
    columns[at:at] = ["whole_lower", "whole_upper"]
    columns += ["figures_row", "whole_row"]
    s = _Sheet(
        wb,
        SPENDING,
        "资金与项目占比 Spending — 部分占总数的比例 / parts and their share of the total",
        "报道的占比推算金额(总数 × 占比),报道的金额或个数推算占比(部分 ÷ 总数);上下界随之传递。"
        "A reported share gives an amount (total × share); a reported part gives a share "
        "(part ÷ total); bounds propagate. Inputs are looked up in Figures by figure id.",
        columns,
    )
    units = dict(zip(figures["figure_id"], figures["unit"], strict=True))
    pct = number_format("%")
    for i, rec in enumerate(df.to_dict("records")):
        r = FIRST_ROW + i
        ref = {c: s.ref(c, r) for c in columns}
        fr, wr = ref["figures_row"], ref["whole_row"]
        has_whole = _text(rec["whole_figure"]) != ""
        part_fmt = number_format(units.get(rec["figure_id"], rec["unit"]), rec["part_value"])
        whole_fmt = number_format(units.get(rec["whole_figure"], rec["unit"]), rec["whole_value"])
        amount_fmt = number_format(rec["unit"], rec["amount"])
        cells: dict[str, Spec] = {"figures_row": (_match(ref["figure_id"]), None, "")}
        for field in ("value", "lower", "upper"):
            cells[f"part_{field}"] = _reported(Formula(_lookup(field, fr)), part_fmt)
        if has_whole:
            cells["whole_row"] = (_match(ref["whole_figure"]), None, "")
            for field in ("value", "lower", "upper"):
                cells[f"whole_{field}"] = _reported(Formula(_lookup(field, wr)), whole_fmt)
        pv, plo, phi = ref["part_value"], ref["part_lower"], ref["part_upper"]
        wv, wlo, whi = ref["whole_value"], ref["whole_lower"], ref["whole_upper"]
        share = ("share_pct", "share_lower_pct", "share_upper_pct")
        amount = ("amount", "amount_lower", "amount_upper")
        if rec["share_basis"] == "reported":
            for c, src in zip(share, (pv, plo, phi), strict=True):
                cells[c] = _reported(_guard(src, src), pct)
        elif rec["share_basis"] == "derived":
            cells["share_pct"] = _derived_cell(Formula(f"100*{pv}/{wv}"), pct)
            cells["share_lower_pct"] = _derived_cell(_guard(f"100*({plo}/{whi})", plo, whi), pct)
            cells["share_upper_pct"] = _derived_cell(_guard(f"100*({phi}/{wlo})", phi, wlo), pct)
        if rec["amount_basis"] == "reported":
            for c, src in zip(amount, (pv, plo, phi), strict=True):
                cells[c] = _reported(_guard(src, src), amount_fmt)
        elif rec["amount_basis"] == "derived":
            cells["amount"] = _derived_cell(Formula(f"{wv}*{pv}/100"), amount_fmt)
            cells["amount_lower"] = _derived_cell(
                _guard(f"{wlo}*({plo}/100)", wlo, plo), amount_fmt
            )
            cells["amount_upper"] = _derived_cell(
                _guard(f"{whi}*({phi}/100)", whi, phi), amount_fmt
            )
        for c in (*share, *amount, "whole_value", "whole_lower", "whole_upper"):
            cells.setdefault(c, (None, None, ""))
        _write_row(s, r, rec, cells)
    s.finish(detail=SPENDING_DETAIL)
    rows = [FIRST_ROW + i for i, v in enumerate(df["share_pct"]) if not _missing(v)]
    if rows:
        _chart_block(
            s,
            "占总数的比例(%) Share of the total (%)",
            [(f"{_chart_label(df.iloc[r - FIRST_ROW])}", {"share_pct": r}) for r in rows],
            [("share_pct", "占比 share (%)", 1.0)],
            horizontal=True,
            axis_title="%",
        )
    return s


def _chart_label(rec: pd.Series | dict[str, Any]) -> str:
    """A chart label: the Chinese label with the quote it stands for."""
    return (
        f"{_text(rec['label_zh'])}({_text(rec.get('quote'))})"
        if _text(rec.get("quote"))
        else _text(rec["label_zh"])
    )


_SALES_FORMULAS = {
    # metric → (value, lower, upper) over the cells of operands a and b (value, lo, hi)
    "previous_year_value": (
        "{av}/(1+{bv}/100)",
        ("{alo}/(1+{bhi}/100)", "alo", "bhi"),
        ("{ahi}/(1+{blo}/100)", "ahi", "blo"),
    ),
    "value_per_tonne": (
        "{av}/{bv}",
        ("{alo}/{bhi}", "alo", "bhi"),
        ("{ahi}/{blo}", "ahi", "blo"),
    ),
    "online_share": (
        "100*{av}/{bv}",
        ("100*({alo}/{bhi})", "alo", "bhi"),
        ("100*({ahi}/{blo})", "ahi", "blo"),
    ),
    "growth_from_values": (
        "100*({bv}/{av}-1)",
        ("100*({blo}/{ahi}-1)", "blo", "ahi"),
        ("100*({bhi}/{alo}-1)", "bhi", "alo"),
    ),
}


def _sales_sheet(wb: Workbook, df: pd.DataFrame) -> _Sheet:
    columns = list(df.columns)
    columns.insert(columns.index("unit") + 1, "display")
    columns.append("figures_row")
    s = _Sheet(
        wb,
        SALES,
        "消费帮扶销售 Sales — 报道值与推算值 / reported sales and what they imply",
        "推算:上年销售额 = 销售额 ÷ (1 + 增长率);每吨销售额 = 销售额 ÷ 销量;线上占比 = 线上 ÷ 总额;"
        "两年增长 = 本年 ÷ 上年 − 1。Derived: previous year = value ÷ (1 + g); per tonne = "
        "value ÷ volume; online share = online ÷ total; growth = this year ÷ last year − 1.",
        columns,
    )
    records = df.to_dict("records")
    row_of = {
        _text(rec["figure_ids"]): FIRST_ROW + i
        for i, rec in enumerate(records)
        if rec["basis"] == "reported"
    }
    for i, rec in enumerate(records):
        r = FIRST_ROW + i
        fmt = number_format(rec["unit"], rec["value"])
        disp, disp_fmt = _display(s.ref("value", r), rec["unit"], rec["value"])
        cells: dict[str, Spec] = {
            "display": _derived_cell(disp, disp_fmt) if disp else (None, None, "")
        }
        if rec["basis"] == "reported":
            fr = s.ref("figures_row", r)
            cells["figures_row"] = (_match(s.ref("figure_ids", r)), None, "")
            for field in ("value", "lower", "upper"):
                cells[field] = _reported(Formula(_lookup(field, fr)), fmt)
        else:
            a, b = (row_of[x] for x in _text(rec["figure_ids"]).split(";")[:2])
            names = {
                f"{k}{suffix}": s.ref(col, row)
                for k, row in (("a", a), ("b", b))
                for suffix, col in (("v", "value"), ("lo", "lower"), ("hi", "upper"))
            }
            value, lower, upper = _SALES_FORMULAS[rec["metric"]]
            cells["value"] = _derived_cell(Formula(value.format(**names)), fmt)
            for c, (expr, *deps) in (("lower", lower), ("upper", upper)):
                formula = _guard(expr.format(**names), *(names[d] for d in deps))
                cells[c] = _derived_cell(formula, fmt)
            cells["qualifier"] = _derived_cell(_qualifier(s.ref("lower", r), s.ref("upper", r)))
        _write_row(s, r, rec, cells)
    s.finish(detail=SALES_DETAIL)
    _sales_chart(s, records, row_of)
    return s


def _sales_chart(s: _Sheet, records: list[dict[str, Any]], row_of: dict[str, int]) -> None:
    """Reported sales value per programme and year beside the implied previous year."""
    values = [
        (FIRST_ROW + i, rec) for i, rec in enumerate(records) if rec["metric"] == "sales_value"
    ]
    if not values:
        return
    prev = {
        _text(rec["figure_ids"]).split(";")[0]: FIRST_ROW + i
        for i, rec in enumerate(records)
        if rec["metric"] == "previous_year_value"
    }
    entries = []
    for r, rec in values:
        label = " ".join(
            _text(rec[k]) for k in ("donor", "program", "period_end", "quote") if _text(rec[k])
        )  # the quote keeps the bound in sight: 超17亿元 is at least 17亿元
        refs = {"value": r}
        if _text(rec["figure_ids"]) in prev:
            refs["previous"] = prev[_text(rec["figure_ids"])]
        entries.append((label, refs))
    _chart_block(
        s,
        "消费帮扶销售额(亿元) Consumption-aid sales (100 million yuan)",
        entries,
        [
            ("value", "报道 reported", 1e8),
            ("previous", "推算上年 implied", 1e8),
        ],
        horizontal=False,
        axis_title="亿元",
        source_column={"value": "value", "previous": "value"},
    )


def _chart_block(
    s: _Sheet,
    title: str,
    entries: list[tuple[str, dict[str, int]]],
    series: list[tuple[str, str, float]],
    *,
    horizontal: bool,
    axis_title: str,
    fmt: str = "#,##0.0#",
    log_scale: bool = False,
    source_column: dict[str, str] | None = None,
    anchor_row: int | None = None,
) -> int:
    """A chart-data block (formulas into the table) and a native bar chart beside it.

    The block starts on a new printed page, so that no chart is cut by a page break.
    ``entries``: (category label, {series key: table row}); ``series``: (key, title,
    divisor). Returns the first free row after the block and the chart.
    """
    ws = s.ws
    top = anchor_row or s.last_row + 2
    ws.row_breaks.append(Break(id=top - 1))
    _put(ws, top, 1, "图表数据 Chart data (formulas)").font = _BOLD
    head = top + 1
    _put(ws, head, 1, "类别 category").font = _BOLD
    for j, (_, name, _) in enumerate(series, start=2):
        _put(ws, head, j, name).font = _BOLD
    for i, (label, refs) in enumerate(entries, start=1):
        _put(ws, head + i, 1, label)
        for j, (key, _, divisor) in enumerate(series, start=2):
            if key in refs:
                src = s.ref((source_column or {}).get(key, key), refs[key])
                expr = src if divisor == 1 else f"{src}/{divisor:.0E}"
                _put(ws, head + i, j, _guard(expr, src), fmt).fill = _FILL["derived"]
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
    ws.add_chart(chart, f"{get_column_letter(len(series) + 3)}{top}")
    return max(last, top + math.ceil(chart.height / 0.53)) + 2


def _char_props(size: int, bold: bool = False) -> CharacterProperties:
    face = DrawingFont(typeface=FONT_NAME)
    return CharacterProperties(latin=face, ea=face, cs=face, sz=size, b=bold)


def _text_props(size: int) -> RichText:
    props = _char_props(size)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _chart_title(text: str, *, size: int = 1200, bold: bool = True) -> Title:
    props = _char_props(size, bold)
    para = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=text)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def _beneficiaries_sheet(wb: Workbook, df: pd.DataFrame) -> _Sheet:
    columns = list(df.columns)
    columns.insert(columns.index("unit") + 1, "display")
    columns.append("figures_row")
    s = _Sheet(
        wb,
        BENEFICIARIES,
        "受益人数与人次 Beneficiaries — 人与人次分列,不可相加 / "
        "people and person-times, never added",
        "bounds 列说明措辞允许的结论(如 37680余人次 → ≥ 3.768万人次, < 3.769万人次)。"
        "The bounds column states what the wording lets a reader conclude.",
        columns,
    )
    records = df.to_dict("records")
    for i, rec in enumerate(records):
        r = FIRST_ROW + i
        fr = s.ref("figures_row", r)
        fmt = number_format(rec["unit"], rec["value"])
        disp, disp_fmt = _display(s.ref("value", r), rec["unit"], rec["value"])
        cells: dict[str, Spec] = {
            "figures_row": (_match(s.ref("figure_id", r)), None, ""),
            "display": _derived_cell(disp, disp_fmt) if disp else (None, None, ""),
        }
        for field in ("value", "lower", "upper"):
            cells[field] = _reported(Formula(_lookup(field, fr)), fmt)
        _write_row(s, r, rec, cells)
    s.finish(detail=BENEFICIARIES_DETAIL)
    row = s.last_row + 2
    for measure, title in (
        ("people", "受益人数(人) People reached"),
        ("person_times", "受益人次 Person-times (visits, participations)"),
    ):
        picked = [
            (i, rec)
            for i, rec in enumerate(records)
            if rec["measure"] == measure and not _missing(rec["value"]) and rec["value"] > 0
        ]
        if not picked:
            continue
        values = [rec["value"] for _, rec in picked]
        log_scale = len(values) >= 4 and max(values) / min(values) >= 100
        row = _chart_block(
            s,
            title + (" — 对数刻度 log scale" if log_scale else ""),
            [(_chart_label(rec), {"value": FIRST_ROW + i}) for i, rec in picked],
            [("value", "数值 value", 1.0)],
            fmt="#,##0",
            log_scale=log_scale,
            horizontal=True,
            axis_title=measure,
            anchor_row=row,
        )
    return s


_XL_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


def excel_arithmetic(expr: str, refs: dict[str, str]) -> str:
    """A checks.yaml formula (names, numbers, + − × ÷) as spreadsheet arithmetic over ``refs``.

    >>> excel_arithmetic("a / (1 + b)", {"a": "J5", "b": "L5"})
    'J5/(1+L5)'
    """

    def walk(node: ast.AST) -> tuple[str, int]:
        """(text, precedence): parentheses only where Python's grouping needs them."""
        if isinstance(node, ast.BinOp) and type(node.op) in _XL_OPS:
            prec = 1 if isinstance(node.op, ast.Add | ast.Sub) else 2
            (left, lp), (right, rp) = walk(node.left), walk(node.right)
            if lp < prec:
                left = f"({left})"
            if rp < prec or (rp == prec and isinstance(node.op, ast.Sub | ast.Div)):
                right = f"({right})"
            return left + _XL_OPS[type(node.op)] + right, prec
        if isinstance(node, ast.Name) and node.id in refs:
            return refs[node.id], 3
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            if isinstance(node.value, bool):
                raise AidstatsError(f"formula {expr!r}: booleans are not numbers")
            return repr(node.value).upper(), 3
        raise AidstatsError(f"formula {expr!r}: only + − × ÷, numbers and operand names")

    try:
        tree = ast.parse(expr, mode="eval").body
    except SyntaxError:
        raise AidstatsError(f"formula {expr!r} is not valid arithmetic") from None
    return walk(tree)[0]


def _bounds_of(ident: str, frames: dict[str, pd.DataFrame]) -> tuple[float, float, str]:
    """(lower, upper, unit) of a figure or mention id, NaN/"" when unknown."""
    for table, key in (("figures", "figure_id"), ("mentions", "mention_id")):
        df = frames.get(table)
        if df is None or key not in df.columns:
            continue
        hit = df[df[key] == ident]
        if len(hit):
            h = hit.iloc[0]
            return _num(h["lower"]), _num(h["upper"]), _text(h["unit"])
    return math.nan, math.nan, ""


def _check_operands(
    rec: dict[str, Any], figure_ids: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """(operand text, what its value cell holds) for one check row, before cell refs.

    A curated operand that is a figure ("figure") is looked up in Figures by its id, so a
    corrected input flows into the check; a quoted mention stays a constant.
    """
    kind, _, target = _text(rec["check_id"]).partition(":")
    ids = [x for x in _text(rec["figure_ids"]).split(";") if x]
    if rec["source"] == "auto":
        if kind == "bounds":
            return [(target, "lower"), (target, "upper")]
        if kind == "share<=100":
            return [(target, "upper_or_value")]
        if kind == "part<=total" and len(ids) == 2:
            return [(ids[0], "lower_or_value"), (ids[1], "value")]
        if kind == "parts-sum" and len(ids) >= 2:
            return [(ids[0], "value"), *((k, "lower_or_value") for k in ids[1:])]
        return []
    if _text(rec["formula"]):
        refs = json.loads(_text(rec.get("operand_refs")) or "{}")
        return [
            (name, "figure" if refs.get(name) in figure_ids else "constant")
            for name in json.loads(_text(rec["operands"]) or "{}")
        ]
    return []


def _checks_sheet(wb: Workbook, df: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> _Sheet:
    records = df.to_dict("records")
    figure_ids = frozenset(frames["figures"]["figure_id"]) if "figures" in frames else frozenset()
    width = max([len(_check_operands(rec, figure_ids)) for rec in records] + [1])
    operand_cols = [f"{p}_{i}" for i in range(1, width + 1) for p in ("operand", "value")]
    columns = list(df.columns)
    at = columns.index("arithmetic") + 1
    columns[at:at] = operand_cols
    at = columns.index("tolerance") + 1
    columns[at:at] = ["low_limit", "high_limit", "slack"]
    s = _Sheet(
        wb,
        CHECKS,
        "一致性核对 Checks — 数字之间是否相符 / do the reported figures agree?",
        "运算数为指标编号时,其值在 Figures 中查找;计算值在上下限之间即为 pass。"
        "Operands that are figure ids are looked up in Figures; a check passes when "
        "low_limit ≤ computed ≤ high_limit (empty = unbounded).",
        columns,
    )
    for i, rec in enumerate(records):
        r = FIRST_ROW + i
        cells = _check_cells(s, r, rec, frames)
        _write_row(s, r, rec, cells)
    s.finish(detail=[*CHECKS_DETAIL, *operand_cols])
    if records:
        verdicts = f"{s.ref('verdict', FIRST_ROW)}:{s.ref('verdict', s.last_row)}"
        for word, color in (("pass", "C6EFCE"), ("flag", "FFC7CE")):
            s.ws.conditional_formatting.add(
                verdicts,
                CellIsRule(
                    operator="equal",
                    formula=[f'"{word}"'],
                    fill=PatternFill("solid", fgColor=color, bgColor=color),
                ),
            )
    return s


def _check_cells(
    s: _Sheet, r: int, rec: dict[str, Any], frames: dict[str, pd.DataFrame]
) -> dict[str, Spec]:
    """The operand, computed, limit and verdict cells of one check."""
    kind = _text(rec["check_id"]).partition(":")[0]
    figure_ids = frozenset(frames["figures"]["figure_id"]) if "figures" in frames else frozenset()
    ops = _check_operands(rec, figure_ids)
    refs_of = json.loads(_text(rec.get("operand_refs")) or "{}")
    op_ref = [s.ref(f"operand_{i}", r) for i in range(1, len(ops) + 1)]
    val = [s.ref(f"value_{i}", r) for i in range(1, len(ops) + 1)]
    comp, exp = s.ref("computed", r), s.ref("expected", r)
    fmt = number_format(None, rec["computed"])
    cells: dict[str, Spec] = {}
    operands = json.loads(_text(rec["operands"]) or "{}")
    for i, (text, what) in enumerate(ops):
        shown = refs_of[text] if what == "figure" else text
        cells[f"operand_{i + 1}"] = (shown, None, "")
        match = f"MATCH({op_ref[i]},fig_id,0)"
        value: Any = {
            "lower": lambda m=match: Formula(_lookup("lower", m)),
            "upper": lambda m=match: Formula(_lookup("upper", m)),
            "value": lambda m=match: Formula(_lookup("value", m)),
            "upper_or_value": lambda m=match: Formula(_upper_or_value(m)),
            "lower_or_value": lambda m=match: Formula(_lower_or_value(m)),
            "figure": lambda m=match: Formula(_lookup("value", m)),
            "constant": lambda t=text: operands.get(t),
        }[what]()
        cells[f"value_{i + 1}"] = _reported(value, fmt)
    low: Any = None
    high: Any = None
    slack = 0.0
    extra = ""
    tol = _num(rec["tolerance"])
    cells["tolerance"] = ("∞" if math.isinf(tol) else tol, fmt, "")
    if rec["source"] == "auto" and ops:
        if kind == "share<=100":
            computed, expected = Formula(val[0]), rec["expected"]
            high = Formula(exp)
        elif kind == "bounds":
            computed, expected, high = Formula(val[0]), Formula(val[1]), Formula(exp)
        elif kind == "part<=total":
            computed, expected = Formula(val[0]), Formula(val[1])
            high = Formula(_lookup("upper", f"MATCH({op_ref[1]},fig_id,0)"))
        else:  # parts-sum
            computed, expected = Formula("+".join(val[1:])), Formula(val[0])
            high = Formula(_lookup("upper", f"MATCH({op_ref[0]},fig_id,0)"))
        cells["computed"] = _derived_cell(computed, fmt)
        cells["expected"] = (
            _reported(expected, fmt) if isinstance(expected, Formula) else (expected, fmt, "")
        )
    elif ops:  # a curated formula check
        refs = {text: val[i] for i, (text, _) in enumerate(ops)}
        formula = excel_arithmetic(_text(rec["formula"]), refs)
        cells["computed"] = _derived_cell(Formula(formula), fmt)
        cells["expected"] = _reported(rec["expected"], fmt)
        slack = 1e-9
        if math.isfinite(tol):
            tref = s.ref("tolerance", r)
            low, high = Formula(f"{exp}-{tref}"), Formula(f"{exp}+{tref}")
        else:
            ident = _text(rec["figure_ids"]).split(";")[-1]
            lo, hi, _ = _bounds_of(ident, frames)
            low, high = lo, hi
    elif not _missing(rec["computed"]):  # same_value: the two reported values must agree
        ids = _text(rec["figure_ids"]).split(";")
        cells["computed"] = _reported(rec["computed"], fmt)
        cells["expected"] = _reported(rec["expected"], fmt)
        low = high = Formula(exp)
        if len(ids) >= 2:
            unit_a, unit_b = _bounds_of(ids[0], frames)[2], _bounds_of(ids[1], frames)[2]
            if unit_a != unit_b:
                extra = ",FALSE"  # different units never agree
    else:  # a date check or an unknown kind: no arithmetic, the verdict as computed
        cells["verdict"] = (rec["verdict"], None, "")
        return cells
    lref, href = s.ref("low_limit", r), s.ref("high_limit", r)
    cells["low_limit"] = _derived_cell(low, fmt) if isinstance(low, Formula) else (low, fmt, "")
    cells["high_limit"] = _derived_cell(high, fmt) if isinstance(high, Formula) else (high, fmt, "")
    cells["slack"] = (slack, "0E+00", "")
    sref = s.ref("slack", r)
    verdict = (
        f'IF(AND(OR({lref}="",{comp}>={lref}-{sref}*ABS({lref})),'
        f'OR({href}="",{comp}<={href}+{sref}*ABS({href})){extra}),"pass","flag")'
    )
    cells["verdict"] = _derived_cell(Formula(verdict))
    return cells


def _sources_sheet(wb: Workbook, articles: pd.DataFrame) -> _Sheet:
    s = _Sheet(
        wb,
        SOURCES,
        "来源 Sources — 文章目录 / the article catalog",
        "sha256 为原始文件字节的校验值:文件一字未改。outlet 为空表示原文未载明(不作猜测)。"
        "sha256 of the raw file's bytes (never edited); an empty outlet means the text "
        "does not name it (never guessed).",
        list(articles.columns),
    )
    for i, rec in enumerate(articles.to_dict("records")):
        _write_row(s, FIRST_ROW + i, rec, {})
    s.finish(detail=SOURCES_DETAIL)
    return s


def _about_sheet(wb: Workbook, generated_note: str) -> _Sheet:
    s = _Sheet(
        wb,
        ABOUT,
        "说明 About — 数据字典(中英文)/ data dictionary, bilingual",
        generated_note,
        ["table", "sheet", "column", "type", "description_zh", "description_en"],
    )
    where = {
        "articles": SOURCES,
        "figures": FIGURES,
        "spending_shares": SPENDING,
        "sales_growth": SALES,
        "beneficiaries": BENEFICIARIES,
        "consistency_checks": CHECKS,
    }
    r = FIRST_ROW
    for table, cols in TABLES.items():
        for col in cols:
            rec = {
                "table": table,
                "sheet": where.get(table, "CSV/Parquet"),
                "column": col.name,
                "type": col.type,
                "description_zh": col.zh,
                "description_en": col.en,
            }
            _write_row(s, r, rec, {})
            r += 1
    for name, sheets, en, zh in WORKBOOK_COLUMNS:
        rec = {
            "table": "(workbook)",
            "sheet": sheets,
            "column": name,
            "type": "formula" if name in ("display", "figures_row", "whole_row") else "number",
            "description_zh": zh,
            "description_en": en,
        }
        _write_row(s, r, rec, {})
        r += 1
    s.finish(freeze=f"D{FIRST_ROW}")
    return s


SUMMARY_COLUMNS = [
    "section",
    "label_zh",
    "label_en",
    "value",
    "display",
    "unit",
    "basis",
    "arithmetic",
    "quote",
    "article",
]
SUMMARY_WIDTHS = {
    "section": 16,
    "label_zh": 26,
    "label_en": 30,
    "value": 16,
    "display": 13,
    "unit": 7,
    "basis": 16,
    "arithmetic": 34,
    "quote": 26,
    "article": 26,
}
SUMMARY_WRAP = {"label_zh", "label_en", "basis", "arithmetic", "quote", "article"}
HEADER_ZH.update({"section": "分析", "article": "来源文章"})


@dataclass
class _Headline:
    section: str
    label_zh: str
    label_en: str
    value: Formula
    unit: str
    basis: str
    arithmetic: str
    quote: str
    article: str
    sample: Any = None


def _headlines(frames: dict[str, pd.DataFrame], sheets: dict[str, _Sheet]) -> list[_Headline]:
    """What the summary shows: every derived number, the sales, the largest counts, checks."""
    figures = frames["figures"]
    quote_of = dict(zip(figures["figure_id"], figures["quote"], strict=True))
    titles = dict(zip(frames["articles"]["article_id"], frames["articles"]["title"], strict=True))

    def article(aid: Any) -> str:
        return f"{_text(titles.get(aid))}({_text(aid)})"

    def link(sheet: str, column: str, row: int) -> Formula:
        x = sheets[sheet].xref(column, row)
        return Formula(f'IF({x}="","",{x})')

    out: list[_Headline] = []
    sp = frames["spending_shares"]
    for i, rec in enumerate(sp.to_dict("records")):
        quotes = " / ".join(
            q for q in (_text(rec["quote"]), _text(quote_of.get(rec["whole_figure"]))) if q
        )
        if rec["share_basis"] == "derived":
            out.append(
                _Headline(
                    "资金 Spending",
                    f"{_text(rec['label_zh'])} 占 {_text(rec['whole_label_zh'])}",
                    f"{_text(rec['label_en'])} as a share of {_text(rec['whole_label_en'])}",
                    link(SPENDING, "share_pct", FIRST_ROW + i),
                    "%",
                    "derived",
                    _text(rec["formula"]),
                    quotes,
                    article(rec["article_id"]),
                    rec["share_pct"],
                )
            )
        if rec["amount_basis"] == "derived":
            out.append(
                _Headline(
                    "资金 Spending",
                    f"{_text(rec['label_zh'])}对应金额(推算)",
                    f"Amount implied by {_text(rec['label_en'])}",
                    link(SPENDING, "amount", FIRST_ROW + i),
                    _text(rec["unit"]),
                    "derived",
                    _text(rec["formula"]),
                    quotes,
                    article(rec["article_id"]),
                    rec["amount"],
                )
            )
    sales = frames["sales_growth"]
    for i, rec in enumerate(sales.to_dict("records")):
        if len(sales) > 12 and rec["basis"] != "derived" and rec["metric"] != "sales_value":
            continue
        quotes = " / ".join(
            _text(quote_of.get(x)) for x in _text(rec["figure_ids"]).split(";") if x
        )
        program = " ".join(_text(rec[k]) for k in ("program", "period_end") if _text(rec[k]))
        out.append(
            _Headline(
                "消费 Sales",
                f"{_text(rec['label_zh'])}({program})",
                f"{_text(rec['label_en'])} ({program})",
                link(SALES, "value", FIRST_ROW + i),
                _text(rec["unit"]),
                _text(rec["basis"]),
                _text(rec["formula"]),
                quotes,
                article(rec["article_id"]),
                rec["value"],
            )
        )
    ben = frames["beneficiaries"].reset_index(drop=True)
    for _, group in ben.groupby("measure", sort=True):
        for i, rec in group.sort_values("value", ascending=False, kind="stable").head(3).iterrows():
            out.append(
                _Headline(
                    "受益 Beneficiaries",
                    _text(rec["label_zh"]),
                    _text(rec["label_en"]),
                    link(BENEFICIARIES, "value", FIRST_ROW + int(i)),
                    _text(rec["unit"]),
                    f"reported; {_text(rec['bounds'])}",
                    "",
                    _text(rec["quote"]),
                    article(rec["article_id"]),
                    rec["value"],
                )
            )
    checks = frames["consistency_checks"]
    first = sheets[CHECKS].ref("verdict", FIRST_ROW, absolute=True)
    last = sheets[CHECKS].ref("verdict", max(FIRST_ROW, FIRST_ROW + len(checks) - 1), absolute=True)
    span = f"{CHECKS}!{first}:{last}"
    for word, zh in (("pass", "通过"), ("flag", "存疑")):
        out.append(
            _Headline(
                "核对 Checks",
                f"核对结论:{zh}",
                f"Checks: {word}",
                Formula(f'COUNTIF({span},"{word}")'),
                "项",
                "derived",
                f'COUNTIF(verdict, "{word}")',
                "",
                "",
                int((checks["verdict"] == word).sum()),
            )
        )
    for i, rec in enumerate(checks.to_dict("records")):
        if rec["verdict"] == "flag":
            out.append(
                _Headline(
                    "核对 Checks",
                    f"存疑:{_text(rec['label_zh'])}",
                    f"Flagged: {_text(rec['label_en'])} ({_text(rec['check_id'])})",
                    link(CHECKS, "computed", FIRST_ROW + i),
                    "",
                    "flag",
                    _text(rec["arithmetic"]),
                    _text(rec["note"]),
                    article(rec["article_id"]),
                    rec["computed"],
                )
            )
    return out


def _summary_sheet(
    wb: Workbook,
    frames: dict[str, pd.DataFrame],
    sheets: dict[str, _Sheet],
    generated: str,
    generated_note: str,
) -> Worksheet:
    ws = wb.create_sheet(SUMMARY, 0)
    arts, figs = frames["articles"], frames["figures"]
    checks = frames["consistency_checks"]
    _put(ws, 1, 1, "对口援疆数据概览 aidstats summary").font = _TITLE
    info = [
        ("生成日期 Generated", generated),
        ("版本 Version", f"aidstats {__version__}"),
        (
            "范围 Scope",
            f"{len(arts)} 篇文章 articles · {len(figs)} 个指标 figures · "
            f"{len(checks)} 项核对 checks",
        ),
        ("读数边界 Bounds", BOUNDS_NOTE),
        ("日期说明 Date", generated_note),
        ("颜色 Colours", LEGEND),
    ]
    for i, (key, value) in enumerate(info, start=2):
        _put(ws, i, 1, key).font = _BOLD
        _put(ws, i, 2, value)
    header = len(info) + 3
    for j, c in enumerate(SUMMARY_COLUMNS, start=1):
        cell = _put(ws, header, j, f"{_zh(c)}\n{c}")
        cell.font, cell.fill, cell.border = _BOLD, _FILL["header"], _BOX
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[header].height = 30
    r = header
    section = None
    col = {c: j for j, c in enumerate(SUMMARY_COLUMNS, start=1)}
    for h in _headlines(frames, sheets):
        r += 1
        if h.section != section:
            section = h.section
            for j in range(1, len(SUMMARY_COLUMNS) + 1):
                ws.cell(row=r, column=j).fill = _FILL["section"]
            _put(ws, r, 1, section).font = _BOLD
            ws.cell(row=r, column=1).fill = _FILL["section"]
            r += 1
        ref = f"{get_column_letter(col['value'])}{r}"
        disp, disp_fmt = _display(ref, h.unit, h.sample)
        role = {"derived": "derived", "flag": ""}.get(h.basis, "reported")
        values: dict[str, Spec] = {
            "section": (h.section, None, ""),
            "label_zh": (h.label_zh, None, ""),
            "label_en": (h.label_en, None, ""),
            "value": (h.value, number_format(h.unit, h.sample), role),
            "display": (disp, disp_fmt, "derived") if disp else (None, None, ""),
            "unit": (h.unit, None, ""),
            "basis": (h.basis, None, ""),
            "arithmetic": (h.arithmetic, None, ""),
            "quote": (h.quote, None, ""),
            "article": (h.article, None, ""),
        }
        lines = max(
            _lines(_text(v[0]), SUMMARY_WIDTHS[c]) for c, v in values.items() if c in SUMMARY_WRAP
        )
        if lines > 1:
            ws.row_dimensions[r].height = min(lines, 12) * 14.5
        for c, (value, fmt, cell_role) in values.items():
            cell = _put(ws, r, col[c], value, fmt)
            cell.border = _BOX
            cell.alignment = Alignment(
                wrap_text=c in SUMMARY_WRAP,
                vertical="top",
            )
            if cell_role:
                cell.fill = _FILL[cell_role]
                if cell_role == "reported":
                    cell.font = _REPORTED
    for c, w in SUMMARY_WIDTHS.items():
        ws.column_dimensions[get_column_letter(col[c])].width = w
    ws.freeze_panes = f"A{header + 1}"
    _print_setup(ws, f"{header}:{header}")
    return ws


# --------------------------------------------------------------------------- workbook


def _as_datetime(text: str) -> dt.datetime:
    """YYYY, YYYY-MM, YYYY-MM-DD or a full ISO timestamp, as a naive UTC datetime."""
    value = text.strip()
    padded = {4: value + "-01-01", 7: value + "-01"}.get(len(value), value)
    try:
        stamp = dt.datetime.fromisoformat(padded)
    except ValueError:
        raise AidstatsError(
            f"generation date {text!r} is not an ISO date (YYYY-MM-DD); pass e.g. 2024-05-01"
        ) from None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
    return stamp


def generation_date(
    articles: pd.DataFrame, generated: str | None = None
) -> tuple[str, dt.datetime, str]:
    """(date shown, document timestamp, explanation) for the workbook.

    An explicit ``generated`` wins. Otherwise the date comes from the inputs: the latest
    publication date among the articles, so that the same inputs give the same bytes.
    """
    if generated:
        return (
            generated,
            _as_datetime(generated),
            "生成日期由调用方给定。The generation date was passed in by the caller.",
        )
    dates = sorted(_text(d) for d in articles.get("published", pd.Series(dtype=str)) if _text(d))
    latest = dates[-1] if dates else "1980-01-01"
    return (
        f"{latest}(最新发表日期 latest publication date)",
        _as_datetime(latest),
        "未给定生成日期时,取各文章中最晚的发表日期,使相同输入生成逐字节相同的文件。"
        "No build date was given: the date is the latest publication date among the "
        "articles, so the same inputs give a byte-identical workbook.",
    )


def build_workbook(frames: dict[str, pd.DataFrame], *, generated: str | None = None) -> Workbook:
    """The summary workbook in memory (see the module docstring for its layout)."""
    missing = [name for name in REQUIRED if name not in frames]
    if missing:
        raise AidstatsError(f"the Excel summary needs the tables: {', '.join(missing)}")
    shown, stamp, note = generation_date(frames["articles"], generated)
    wb = Workbook()
    wb.remove(wb.active)
    props = wb.properties
    props.creator = props.lastModifiedBy = "aidstats"
    props.title = "aidstats summary — 对口援疆数据概览"
    props.created = props.modified = stamp
    wb.calculation.fullCalcOnLoad = True
    figures = frames["figures"]
    sheets: dict[str, _Sheet] = {}
    sheets[FIGURES] = _figures_sheet(wb, figures)
    sheets[SPENDING] = _spending_sheet(wb, frames["spending_shares"], figures)
    sheets[SALES] = _sales_sheet(wb, frames["sales_growth"])
    sheets[BENEFICIARIES] = _beneficiaries_sheet(wb, frames["beneficiaries"])
    sheets[CHECKS] = _checks_sheet(wb, frames["consistency_checks"], frames)
    sheets[SOURCES] = _sources_sheet(wb, frames["articles"])
    sheets[ABOUT] = _about_sheet(wb, note)
    _summary_sheet(wb, frames, sheets, shown, note)
    wb.active = 0
    return wb


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed entry timestamps and attributes, entries in sorted order."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for name in sorted(src.namelist()):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, src.read(name), compresslevel=6)
    return out.getvalue()


def workbook_bytes(frames: dict[str, pd.DataFrame], *, generated: str | None = None) -> bytes:
    """The workbook as deterministic .xlsx bytes."""
    wb = build_workbook(frames, generated=generated)
    raw = io.BytesIO()
    # ExcelWriter directly: openpyxl's save() would stamp "modified" with the clock.
    archive = zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()
    return _fixed_zip(raw.getvalue())


def write_workbook(
    frames: dict[str, pd.DataFrame], path: Path, *, generated: str | None = None
) -> Path:
    """Write the Excel summary to ``path`` atomically; same inputs, same bytes.

    ``frames``: the build's tables (articles, figures, spending_shares, sales_growth,
    beneficiaries, consistency_checks; mentions if present, for curated checks' bounds).
    ``generated``: the date shown and stamped in the file (ISO); by default the latest
    publication date among the articles.
    """
    path = Path(path)
    atomic_write_bytes(path, workbook_bytes(frames, generated=generated))
    return path
