"""Every per-column fact of the workbook, behind one small lookup function per fact.

Facts: the Chinese header (:func:`header`), how wide a column may grow or is fixed at
(:func:`min_width`, :func:`max_width`, :func:`fixed_width`), whether it wraps
(:func:`wraps`), whether it is a collapsed detail column (:func:`is_detail`), which
columns a sheet shows in which order (:func:`shown`), and the description of the columns
that exist only in the workbook (:func:`workbook_columns`). Sheet modules ask these
functions and never read the tables below, so that the tables can later be derived from
one declaration per processed table without touching a sheet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from aidstats.excel.layout import (
    ABOUT,
    BENEFICIARIES,
    CHECKS,
    FIGURES,
    SALES,
    SOURCES,
    SPENDING,
    SUMMARY,
)

_HEADER_ZH = {
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
    "section": "分析",
    "article": "来源文章",
}
_NUMBERED = re.compile(r"(operand|value)_(\d+)")  # the operand columns of the Checks sheet
_NUMBERED_ZH = {"operand": "运算数", "value": "值"}

_MIN_WIDTH = {"display": 13}  # in characters; others at least _DEFAULT_MIN_WIDTH
_DEFAULT_MIN_WIDTH = 6
_MAX_WIDTH = {  # a column grows with its content up to this (_DEFAULT_MAX_WIDTH otherwise)
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
_DEFAULT_MAX_WIDTH = 30
_WRAP = frozenset(
    {
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
)

# The summary sheet has its own columns, at fixed widths, with its own wrapped columns.
_SUMMARY_WIDTH = {
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
_SHEET_WRAP = {
    SUMMARY: frozenset({"label_zh", "label_en", "basis", "arithmetic", "quote", "article"})
}
_FIXED_WIDTH = {SUMMARY: _SUMMARY_WIDTH}

# Detail columns: grouped and collapsed on each sheet (one click shows them).
_DETAIL = {
    FIGURES: (
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
    ),
    SPENDING: (
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
    ),
    SALES: ("region", "period_start", "figures_row"),
    BENEFICIARIES: (
        "indicator",
        "category",
        "dac_code",
        "period_start",
        "include_in_totals",
        "figures_row",
    ),
    CHECKS: (
        "source",
        "article_id",
        "formula",
        "operands",
        "tolerance",
        "low_limit",
        "high_limit",
        "slack",
    ),
    SOURCES: (
        "encoding",
        "published_precision",
        "characters",
        "paragraphs",
        "mentions",
        "figures",
        "excluded",
    ),
}
_DETAIL_NUMBERED = frozenset({CHECKS})  # sheets whose operand_N/value_N are detail


@dataclass(frozen=True)
class _Insert:
    """Workbook columns a sheet adds to its table: after ``after`` ("" = at the end)."""

    after: str
    columns: tuple[str, ...]


_OPERANDS = "operand_N/value_N"  # placeholder for the numbered operand columns
_INSERTS = {
    FIGURES: (_Insert("unit", ("display",)),),
    SPENDING: (
        _Insert("whole_value", ("whole_lower", "whole_upper")),
        _Insert("", ("figures_row", "whole_row")),
    ),
    SALES: (_Insert("unit", ("display",)), _Insert("", ("figures_row",))),
    BENEFICIARIES: (_Insert("unit", ("display",)), _Insert("", ("figures_row",))),
    CHECKS: (
        _Insert("arithmetic", (_OPERANDS,)),
        _Insert("tolerance", ("low_limit", "high_limit", "slack")),
    ),
}
_OWN_COLUMNS = {  # sheets that show no processed table
    ABOUT: ("table", "sheet", "column", "type", "description_zh", "description_en"),
    SUMMARY: tuple(_SUMMARY_WIDTH),
}


def header(column: str) -> str:
    """The Chinese header of a column (operand_2 → 运算数2); the name itself if unknown."""
    numbered = _NUMBERED.fullmatch(column)
    if numbered:
        return _NUMBERED_ZH[numbered[1]] + numbered[2]
    return _HEADER_ZH.get(column, column)


def min_width(column: str) -> int:
    """The narrowest a column is shown, in characters."""
    return _MIN_WIDTH.get(column, _DEFAULT_MIN_WIDTH)


def max_width(column: str) -> int:
    """The widest a column grows with its content, in characters (then it wraps)."""
    return _MAX_WIDTH.get(column, _DEFAULT_MAX_WIDTH)


def fixed_width(column: str, *, sheet: str) -> int | None:
    """The width ``sheet`` fixes for ``column``; None where the width follows the content."""
    return _FIXED_WIDTH.get(sheet, {}).get(column)


def wraps(column: str, *, sheet: str) -> bool:
    """Whether the text of ``column`` wraps on ``sheet`` (and sets its row's height)."""
    return column in _SHEET_WRAP.get(sheet, _WRAP)


def is_detail(column: str, *, sheet: str) -> bool:
    """Whether ``column`` is a detail column of ``sheet``: grouped and collapsed."""
    if sheet in _DETAIL_NUMBERED and _NUMBERED.fullmatch(column):
        return True
    return column in _DETAIL.get(sheet, ())


def operand_columns(count: int) -> list[str]:
    """The numbered operand columns of the Checks sheet: operand_1, value_1, operand_2, …"""
    return [f"{p}_{i}" for i in range(1, count + 1) for p in ("operand", "value")]


def shown(sheet: str, table_columns: Sequence[str] = (), *, operands: int = 0) -> list[str]:
    """The columns ``sheet`` shows, in order: its table's columns and the workbook's own.

    ``operands``: how many operand columns the Checks sheet needs (its widest check).
    """
    if sheet in _OWN_COLUMNS:
        return list(_OWN_COLUMNS[sheet])
    columns = list(table_columns)
    for insert in _INSERTS.get(sheet, ()):
        added: list[str] = []
        for c in insert.columns:
            added += operand_columns(operands) if c == _OPERANDS else [c]
        at = columns.index(insert.after) + 1 if insert.after else len(columns)
        columns[at:at] = added
    return columns


@dataclass(frozen=True)
class WorkbookColumn:
    """A column that exists only in the workbook, as the About sheet describes it."""

    name: str
    sheets: str
    type: str
    en: str
    zh: str


_WORKBOOK_COLUMNS = (
    WorkbookColumn(
        name="display",
        sheets="Figures, Sales, 概览",
        type="formula",
        en="万/亿 display of a large value (formula)",
        zh="万/亿显示",
    ),
    WorkbookColumn(
        name="figures_row",
        sheets="Spending, Sales, Beneficiaries",
        type="formula",
        en="Row of the figure in Figures (MATCH on figure_id): the lookup key",
        zh="该指标在Figures表中的行号(查找键)",
    ),
    WorkbookColumn(
        name="whole_row",
        sheets="Spending",
        type="formula",
        en="Row of the total in Figures (MATCH on whole_figure)",
        zh="总数指标在Figures表中的行号",
    ),
    WorkbookColumn(
        name="whole_lower",
        sheets="Spending",
        type="number",
        en="Lower bound of the total",
        zh="总数的下界",
    ),
    WorkbookColumn(
        name="whole_upper",
        sheets="Spending",
        type="number",
        en="Upper bound of the total",
        zh="总数的上界",
    ),
    WorkbookColumn(
        name="operand N / value N",
        sheets="Checks",
        type="number",
        en="The operands of the check: a figure id (looked up in Figures) or a curated name",
        zh="核对的运算数:指标编号(在Figures中查找)或人工设定的名称",
    ),
    WorkbookColumn(
        name="low_limit / high_limit",
        sheets="Checks",
        type="number",
        en="The computed value passes when low ≤ computed ≤ high (empty = unbounded)",
        zh="计算值在上下限之间即通过(空 = 无限)",
    ),
    WorkbookColumn(
        name="slack",
        sheets="Checks",
        type="number",
        en="Relative slack for floating-point rounding (1e-9 for curated formulas)",
        zh="浮点舍入的相对余量",
    ),
)


def workbook_columns() -> tuple[WorkbookColumn, ...]:
    """The columns that exist only in the workbook (for the About sheet's dictionary)."""
    return _WORKBOOK_COLUMNS
