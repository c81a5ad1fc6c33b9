"""One typed model per row of each human-layer file of data/raw/.

Every model is strict (a list is never read as text, a string never as a number or a
boolean) and forbids unknown fields, so a typo stops the build instead of passing
silently. What a row means on its own is checked here (real dates, periods in order,
a reason when a figure is left out of totals); what rows mean together (unique ids,
references, parent cycles) is checked by :mod:`aidstats.human.load`.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from aidstats.extract_lexicon import UNITS
from aidstats.human.fields import (
    ArticleId,
    FigureId,
    Formula,
    IndicatorId,
    Line,
    LineList,
    OperandName,
    PartialDate,
    Prose,
    RelativeFile,
    Sha256,
    last_day,
    magnitude,
    partial_date,
)
from aidstats.vocab import CATEGORIES, MEASURES, PERIOD_TYPES, QUALIFIERS

PRECISIONS = {"year": 4, "month": 7, "day": 10}
CHECK_TYPES = ("formula", "same_value", "same_date")
CORRECTABLE = ("value", "lower", "upper", "unit", "qualifier")
# the units the extractor reports (a correction may only set one of these)
REPORTED_UNITS = tuple(
    sorted({label for label, cls, _ in UNITS.values() if cls in ("amount", "percent", "ratio")})
    + sorted({label for label, cls, _ in UNITS.values() if cls == "duration"})
)


def _one_of(value: Any, allowed: tuple[str, ...], what: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        shown = ", ".join(allowed) if len(allowed) <= 16 else ", ".join(allowed[:16]) + " …"
        raise ValueError(f"{value!r} is not a known {what}; use one of {shown}")
    return value


class Row(BaseModel):
    """Strict, closed, immutable; ``label`` and ``ident`` name a row in messages."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    label: ClassVar[str] = "row"
    ident: ClassVar[str] = "id"


class CatalogEntry(Row):
    """One article of ``catalog.yaml``."""

    label: ClassVar[str] = "article"

    id: ArticleId
    file: RelativeFile
    sha256: Sha256
    title: Line
    subtitle: Line | None = None
    byline: Line | None = None
    outlet: Line | None = None
    outlet_note: Prose | None = None
    published: PartialDate
    published_precision: Literal["year", "month", "day"]
    published_reasoning: Prose | None = None
    donor: LineList = Field(default_factory=list)
    recipient: LineList = Field(default_factory=list)

    @model_validator(mode="after")
    def _precision_matches(self) -> CatalogEntry:
        if len(self.published) != PRECISIONS[self.published_precision]:
            raise ValueError(
                f"published {self.published!r} does not match published_precision "
                f"{self.published_precision!r}; use YYYY (year), YYYY-MM (month) or "
                "YYYY-MM-DD (day)"
            )
        return self


class IndicatorEntry(Row):
    """One indicator of the controlled vocabulary (``indicators.yaml``)."""

    label: ClassVar[str] = "indicator"

    id: IndicatorId
    label_zh: Line
    label_en: Line
    definition: Prose
    category: Literal[CATEGORIES]  # type: ignore[valid-type]
    dac_code: int = Field(ge=100, le=999)
    measure: Literal[MEASURES]  # type: ignore[valid-type]


class FigureRow(Row):
    """One figure of ``registry.yaml``: a quote in an article and what it means."""

    label: ClassVar[str] = "figure"
    ident: ClassVar[str] = "figure_id"

    figure_id: FigureId
    article_id: ArticleId
    quote: Line
    context: Line | None = None
    indicator: IndicatorId
    period_start: PartialDate
    period_end: PartialDate
    period_type: Literal[PERIOD_TYPES]  # type: ignore[valid-type]
    region: Line
    donor: Line
    program: Line | None = None
    parent_figure: FigureId | None = None
    include_in_totals: bool
    exclude_reason: Prose | None = None
    note: Prose | None = None

    @model_validator(mode="after")
    def _coherent(self) -> FigureRow:
        if partial_date(self.period_start) > last_day(self.period_end):
            raise ValueError(
                f"period_start {self.period_start} is after period_end {self.period_end}; swap them"
            )
        if not self.include_in_totals and not self.exclude_reason:
            raise ValueError("include_in_totals is false but exclude_reason is empty; say why")
        if self.context is not None and self.quote not in self.context:
            raise ValueError(f"context {self.context!r} does not contain the quote; fix one")
        if self.parent_figure == self.figure_id:
            raise ValueError("parent_figure is the figure itself; name its total instead")
        return self


class ExclusionRow(Row):
    """One mention of ``exclusions.yaml`` deliberately not used as a figure."""

    label: ClassVar[str] = "exclusion"
    ident: ClassVar[str] = "quote"

    article_id: ArticleId
    quote: Line
    context: Line | None = None
    all_occurrences: bool = False
    reason: Prose

    @model_validator(mode="after")
    def _coherent(self) -> ExclusionRow:
        if self.context is not None and self.all_occurrences:
            raise ValueError("give either context or all_occurrences: true, not both")
        if self.context is not None and self.quote not in self.context:
            raise ValueError(f"context {self.context!r} does not contain the quote; fix one")
        return self


class CorrectionRow(Row):
    """One fix of ``corrections.yaml``: a new value for one field of one figure."""

    label: ClassVar[str] = "correction"
    ident: ClassVar[str] = "figure_id"

    figure_id: FigureId
    field: Literal[CORRECTABLE]  # type: ignore[valid-type]
    value: Any
    reason: Prose
    source: Prose

    @model_validator(mode="before")
    @classmethod
    def _value_present(cls, data: Any) -> Any:
        if isinstance(data, dict) and "value" not in data:
            raise ValueError("value is missing; give the corrected value (null clears a bound)")
        return data

    @model_validator(mode="after")
    def _value_fits_field(self) -> CorrectionRow:
        value = self.value
        if self.field == "unit":
            _one_of(value, REPORTED_UNITS, "unit")
        elif self.field == "qualifier":
            _one_of(value, QUALIFIERS, "qualifier")
        elif value is None:
            if self.field == "value":
                raise ValueError("value cannot be null for field value; give the number")
        elif isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(
                f"value {value!r} must be a number in base units (元, not 万元) such as 29000"
            )
        else:
            magnitude(value)
        return self


class Operand(Row):
    """A check operand: a figure, or a quoted mention of an article."""

    label: ClassVar[str] = "operand"

    figure: FigureId | None = None
    article_id: ArticleId | None = None
    quote: Line | None = None
    context: Line | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Operand:
        by_quote = self.article_id is not None or self.quote is not None
        if self.figure is not None and (by_quote or self.context is not None):
            raise ValueError("an operand is either {figure: ID} or {article_id, quote}")
        if self.figure is None and (self.article_id is None or self.quote is None):
            raise ValueError("an operand needs figure, or article_id and quote")
        return self


class CheckEntry(Row):
    """One curated consistency check of ``checks.yaml`` (formulas are parsed elsewhere)."""

    label: ClassVar[str] = "check"

    id: FigureId
    type: Literal[CHECK_TYPES]  # type: ignore[valid-type]
    label_zh: Line
    label_en: Line
    operands: dict[OperandName, Operand] = Field(min_length=1, max_length=20)
    formula: Formula | None = None
    expected: Operand | None = None
    note: Prose | None = None

    @model_validator(mode="after")
    def _fits_type(self) -> CheckEntry:
        if self.type == "formula" and (self.formula is None or self.expected is None):
            raise ValueError("a formula check needs formula and expected; add them")
        if self.type != "formula":
            if self.formula is not None or self.expected is not None:
                raise ValueError(f"a {self.type} check takes no formula or expected; remove them")
            if len(self.operands) != 2:
                raise ValueError(f"a {self.type} check compares exactly two operands")
        return self


FILES: dict[str, tuple[str, type[Row]]] = {
    "catalog": ("articles", CatalogEntry),
    "indicators": ("indicators", IndicatorEntry),
    "registry": ("figures", FigureRow),
    "exclusions": ("exclusions", ExclusionRow),
    "corrections": ("corrections", CorrectionRow),
    "checks": ("checks", CheckEntry),
}
