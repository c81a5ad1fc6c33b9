"""The form of a table declaration: a column's facts, a table's facts, and the columns
several tables share. The declarations themselves are in :mod:`aidstats.tables_core` and
:mod:`aidstats.tables_analysis`; :mod:`aidstats.dictionary` collects them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aidstats.headers import header_zh
from aidstats.vocab import (
    FIGURE_STATUSES,
    QUALIFIERS,
)

TYPES = ("string", "integer", "number", "boolean")


@dataclass(frozen=True)
class Column:
    """One column of a processed table (types are Frictionless field types)."""

    name: str
    type: str
    en: str
    zh: str
    required: bool = False
    vocab: tuple[str, ...] | None = None

    @property
    def header_zh(self) -> str:
        """The short Chinese header a table prints above the column."""
        return header_zh(self.name)


@dataclass(frozen=True)
class Table:
    """One processed table: written as ``<name>.csv`` and ``<name>.parquet``."""

    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    row_checks: tuple[str, ...] = ()
    references: tuple[tuple[str, str, str], ...] = field(default=())

    @property
    def names(self) -> list[str]:
        """The column names in order (the order every writer uses)."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """The declaration of one column."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name} has no column {name!r}")


def C(name: str, type: str, en: str, zh: str, **facts: object) -> Column:
    """Shorthand for one column declaration."""
    if type not in TYPES:
        raise ValueError(f"column {name}: type {type!r} is not one of {TYPES}")
    return Column(name, type, en, zh, **facts)  # type: ignore[arg-type]


# Columns shared by several tables, declared once.
_ARTICLE_ID = C("article_id", "string", "Article id", "文章编号", required=True)
_RAW = (
    C(
        "raw_start",
        "integer",
        "Start offset of the quote in the decoded raw article file (Python str index)",
        "引文在原始文章文本中的起始位置(字符索引)",
        required=True,
    ),
    C(
        "raw_end",
        "integer",
        "End offset (exclusive) of the quote in the raw article file",
        "引文在原始文章文本中的结束位置(不含)",
        required=True,
    ),
)
_VALUE = C(
    "value",
    "number",
    "The stated number in base units (元 not 万元; percent as 91.7)",
    "报道的数值,已换算为基本单位(元而非万元;百分比记作91.7)",
)
_BOUNDS = (
    C(
        "lower",
        "number",
        "Lower bound implied by the wording (多/余/超/以上 → at least); empty when none",
        "措辞隐含的下界(多/余/超/以上表示至少);无则为空",
    ),
    C(
        "upper",
        "number",
        "Upper bound implied by the wording (近 → at most; 多/余 → below the next unit, "
        "exclusive); empty when none",
        "措辞隐含的上界(近表示至多;多/余表示不到下一个单位);无则为空",
    ),
    C(
        "unit",
        "string",
        "Unit or measure word as written, without 万/亿",
        "原文的单位或量词(不含万/亿)",
    ),
    C(
        "qualifier",
        "string",
        "exact, over (多/余/超/以上), near (近) or approx (约/左右)",
        "精确(exact)、超过(over)、接近(near)或约数(approx)",
        required=True,
        vocab=QUALIFIERS,
    ),
)
_LABELS = (
    C("label_zh", "string", "Label in Chinese", "中文名称"),
    C("label_en", "string", "Label in English", "英文名称"),
)
# Columns of the analysis tables: whether an automatic figure is used, and the figure
# each operand of a derived number is (aidstats.metrics).
_STATUS = C(
    "status",
    "string",
    "auto when a figure used is automatic (check before citing), else curated",
    "状态:人工整理或自动标注",
    required=True,
    vocab=FIGURE_STATUSES,
)
_OPERAND_REFS = C(
    "operand_refs",
    "string",
    "The figure each operand of the metric is (JSON: name → figure id)",
    "各运算数对应的指标(JSON)",
)
_PLACE = (
    C("period_start", "string", "Start of the period", "统计期起"),
    C("period_end", "string", "End of the period", "统计期止"),
    C("region", "string", "Recipient region", "受援地区"),
    C("donor", "string", "Donor", "援助方"),
)
