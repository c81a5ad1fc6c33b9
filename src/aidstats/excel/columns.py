"""Every per-column fact of the workbook, behind one small lookup function per fact.

Facts: the Chinese header (:func:`header`), how wide a column may grow or is fixed at
(:func:`min_width`, :func:`max_width`, :func:`fixed_width`), whether it wraps
(:func:`wraps`), whether it is a collapsed detail column (:func:`is_detail`), which
columns a sheet shows in which order (:func:`shown`), and the description of the columns
that exist only in the workbook (:func:`workbook_columns`). Facts that hold for a column
name everywhere (header, widths, wrapping) come from :mod:`aidstats.headers`, beside the
table declarations; this module adds what is particular to a sheet. Sheet modules ask
these functions and never read the tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aidstats.dictionary import TABLES
from aidstats.excel.layout import (
    ABOUT,
    BENEFICIARIES,
    CHECKS,
    FIGURES,
    PANEL,
    SALES,
    SOURCES,
    SPENDING,
    SUMMARY,
)
from aidstats.headers import (
    DEFAULT_MAX_WIDTH,
    DEFAULT_MIN_WIDTH,
    MAX_WIDTH,
    MIN_WIDTH,
    NUMBERED,
    WRAP,
    header_zh,
)

# The summary sheet has its own columns, at fixed widths, with its own wrapped columns.
_SUMMARY_WIDTH = {
    "section": 14,
    "status": 8,
    "label_zh": 24,
    "label_en": 28,
    "value": 16,
    "display": 14,
    "unit": 7,
    "basis": 16,
    "arithmetic": 36,
    "quote": 24,
    "article": 24,
}
_SHEET_WRAP = {
    SUMMARY: frozenset(
        {"section", "label_zh", "label_en", "basis", "arithmetic", "quote", "article"}
    )
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
        "raw_start",
        "raw_end",
        "kind",
        "period_type",
        "exclude_reason",
        "mention_id",
        "corrected",
        "subject_zh",
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
        "metric",
        "operand_refs",
    ),
    SALES: ("region", "period_start", "figure_ids", "operand_refs", "figures_row"),
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
        "test",
        "article_id",
        "figure_ids",
        "formula",
        "expected_ref",
        "tolerance",
        "low_limit",
        "high_limit",
        "slack",
    ),
    PANEL: (
        "indicator",
        "label_en",
        "category",
        "measure",
        "period_start",
        "period_end",
        "n_articles",
        "fact_id",
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
# Table columns a sheet leaves out: the checks' operands as JSON are shown one per
# operand_N/value_N column instead.
_OMIT = {CHECKS: frozenset({"operands", "operand_refs"})}
# Table columns a sheet moves: (column, after this column).
_MOVES = {FIGURES: (("status", "figure_id"), ("confidence", "status"))}
_OWN_COLUMNS = {  # sheets that show no processed table
    ABOUT: ("table", "sheet", "column", "type", "description_zh", "description_en"),
    SUMMARY: tuple(_SUMMARY_WIDTH),
}


def header(column: str) -> str:
    """The Chinese header of a column (operand_2 → 运算数2): the short header of its name,
    else the Chinese description its table declares (a newly declared column is bilingual
    with no other edit), else the name itself."""
    short = header_zh(column)
    if short != column:
        return short
    declared = (c.zh for cols in TABLES.values() for c in cols if c.name == column)
    return next(declared, column)


_RIGHT = frozenset({"display"})  # text columns that line up with the numbers beside them


def horizontal(column: str) -> str | None:
    """The horizontal alignment of a column's cells (None: by type)."""
    return "right" if column in _RIGHT else None


def min_width(column: str) -> int:
    """The narrowest a column is shown, in characters."""
    return MIN_WIDTH.get(column, DEFAULT_MIN_WIDTH)


def max_width(column: str) -> int:
    """The widest a column grows with its content, in characters (then it wraps)."""
    return MAX_WIDTH.get(column, DEFAULT_MAX_WIDTH)


def fixed_width(column: str, *, sheet: str) -> int | None:
    """The width ``sheet`` fixes for ``column``; None where the width follows the content."""
    return _FIXED_WIDTH.get(sheet, {}).get(column)


def wraps(column: str, *, sheet: str) -> bool:
    """Whether the text of ``column`` wraps on ``sheet`` (and sets its row's height)."""
    return column in _SHEET_WRAP.get(sheet, WRAP)


def is_detail(column: str, *, sheet: str) -> bool:
    """Whether ``column`` is a detail column of ``sheet``: grouped and collapsed."""
    if sheet in _DETAIL_NUMBERED and NUMBERED.fullmatch(column):
        return True
    return column in _DETAIL.get(sheet, ())


def omitted(sheet: str) -> frozenset[str]:
    """The table columns ``sheet`` does not show (they stay in the CSV and Parquet files)."""
    return _OMIT.get(sheet, frozenset())


def operand_columns(count: int) -> list[str]:
    """The numbered operand columns of the Checks sheet: operand_1, value_1, operand_2, …"""
    return [f"{p}_{i}" for i in range(1, count + 1) for p in ("operand", "value")]


def shown(sheet: str, table_columns: Sequence[str] = (), *, operands: int = 0) -> list[str]:
    """The columns ``sheet`` shows, in order: its table's columns and the workbook's own.

    ``operands``: how many operand columns the Checks sheet needs (its widest check).
    """
    if sheet in _OWN_COLUMNS:
        return list(_OWN_COLUMNS[sheet])
    columns = [c for c in table_columns if c not in _OMIT.get(sheet, ())]
    for column, after in _MOVES.get(sheet, ()):
        if column in columns and after in columns:
            columns.remove(column)
            columns.insert(columns.index(after) + 1, column)
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
        sheets="Figures, Sales, Beneficiaries, 概览",
        type="formula",
        en="The value as a yearbook writes it, qualifier kept (超17亿元, 3.768万余人次); "
        "a formula that follows the value",
        zh="按统计年鉴写法显示的数值(保留超/余/近),随数值更新",
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
