"""Field types of the human layer: each says what it accepts and how to fix a wrong value.

Patterns are anchored with ``\\A…\\Z`` and use ASCII classes, so a trailing newline, an
Arabic-Indic or full-width digit never passes for an id or a date. Numbers are finite and
of sensible size; text is one line unless it is prose (notes, reasons, definitions).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

PARTIAL_DATE = re.compile(r"\A([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")
ARTICLE_ID = re.compile(r"\A[a-z0-9][a-z0-9-]{1,40}\Z")
SLUG = re.compile(r"\A[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?\Z")
INDICATOR_ID = re.compile(r"\A[a-z][a-z0-9_]{0,63}\Z")
OPERAND_NAME = re.compile(r"\A[A-Za-z_][A-Za-z0-9_]{0,39}\Z")
SHA256 = re.compile(r"\A[0-9a-fA-F]{64}\Z")
RELATIVE_FILE = re.compile(r"\A(?!/)(?!.*(?:^|/)\.\.(?:/|\Z))[^\x00-\x1f\x7f\\:]{1,200}\Z")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
LARGEST = 1e15  # no reported figure comes near 10^15 (yuan, people or anything else)
MAX_LINE = 500
MAX_PROSE = 4000
MAX_FORMULA = 500


def _pattern(regex: re.Pattern[str], what: str) -> AfterValidator:
    def check(value: str) -> str:
        if not regex.match(value):
            raise ValueError(f"{value!r} is not {what}")
        return value

    return AfterValidator(check)


def one_line(value: str) -> str:
    """``value`` if it is non-empty text on one line without surrounding spaces."""
    if not value.strip():
        raise ValueError("is empty; write the text or remove the field")
    if "\n" in value or "\r" in value or "\t" in value or _CONTROL.search(value):
        raise ValueError(
            f"{value[:40]!r} holds a line break or control character; keep it on one line"
        )
    if value != value.strip():
        raise ValueError(f"{value!r} starts or ends with spaces; remove them")
    return value


def _prose(value: str) -> str:
    if not value.strip():
        raise ValueError("is empty; write the text or remove the field")
    if _CONTROL.search(value):
        raise ValueError(f"{value[:40]!r} holds a control character; remove it")
    return value


def partial_date(value: str) -> dt.date:
    """The first day of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (ValueError if not real)."""
    match = PARTIAL_DATE.match(value)
    if not match:
        raise ValueError(f"{value!r} is not YYYY, YYYY-MM or YYYY-MM-DD (ASCII digits)")
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date") from None


def last_day(value: str) -> dt.date:
    """The last day of a partial date (``2020`` → 2020-12-31)."""
    first = partial_date(value)
    if len(value) == 4:
        return dt.date(first.year, 12, 31)
    if len(value) == 7:
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return first


def _date_text(value: Any) -> Any:
    """YAML reads an unquoted 2021-08-13 as a date and 2020 as a number: take both."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    return value


def _check_date(value: str) -> str:
    partial_date(value)
    return value


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number; write the number")
    if abs(value) > LARGEST:
        raise ValueError(f"{value:g} is larger than any reported figure; check the zeros")
    return float(value)


def magnitude(value: float) -> float:
    """A finite, non-negative number of sensible size: figures are magnitudes as printed."""
    value = _finite(value)
    if value < 0:
        raise ValueError(
            f"{value:g} is negative; figures are magnitudes as the text prints them, so give "
            "the number without '-'"
        )
    return value


def _single_as_list(value: Any) -> Any:
    if value is None:
        return []
    return [value] if isinstance(value, str) else value


Line = Annotated[str, Field(max_length=MAX_LINE), AfterValidator(one_line)]
Prose = Annotated[str, Field(max_length=MAX_PROSE), AfterValidator(_prose)]
ArticleId = Annotated[
    str, _pattern(ARTICLE_ID, "an article id: 2-41 characters of a-z, 0-9 and '-'")
]
FigureId = Annotated[
    str, _pattern(SLUG, "a slug: a-z, 0-9 and '-', not starting or ending with '-'")
]
IndicatorId = Annotated[str, _pattern(INDICATOR_ID, "an indicator id in snake_case (a-z, 0-9, _)")]
OperandName = Annotated[str, _pattern(OPERAND_NAME, "a name of letters, digits and _")]
Sha256 = Annotated[str, _pattern(SHA256, "a sha256 hex digest (64 characters 0-9, a-f)")]
RelativeFile = Annotated[
    str, _pattern(RELATIVE_FILE, "a path relative to data/raw/ such as articles/x.txt")
]
PartialDate = Annotated[str, BeforeValidator(_date_text), AfterValidator(_check_date)]
Number = Annotated[float, AfterValidator(_finite)]
NonNegative = Annotated[float, AfterValidator(magnitude)]
LineList = Annotated[list[Line], BeforeValidator(_single_as_list), Field(max_length=50)]
Formula = Annotated[str, Field(max_length=MAX_FORMULA), AfterValidator(one_line)]
