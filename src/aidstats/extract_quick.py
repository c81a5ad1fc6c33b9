"""The forms the scan caches for a window, and the reading of a window not seen before.

The scan of :mod:`aidstats.extract` caches, per window (a match with three characters
before and two after it), the *form* it unpacks fastest: a plain tuple for a mention, an
:class:`AbsDate` or :class:`RelDate` for a date (see :func:`cached_form`), each with the
text of its mention appended, so that a window seen before costs the scan no slicing of
the text; anything else as its spec.  :func:`read_new` makes that form for a window not
in the cache, in one call: :func:`quick` and :func:`qualified` read the commonest forms
(an Arabic count with a plain unit, with 多/余, after a prefix qualifier, a number with
年) in a few direct steps (``tests/test_extract_quick.py`` holds them to the full
analysis), anything else goes to the full analysis (:mod:`aidstats.extract_analysis`).

A second cache, of window *shapes* (the window without the digits of its number, each
shape with a template filled from the digits), and reading new decimals in integers
instead of Decimals were tried and left out: exact, but on text not seen before they
cost more than they saved; only the benchmark's corpus of redrawn digits gained (see
"Extractor throughput" in ``docs/scale.md``).
"""

from __future__ import annotations

import calendar
import re
from functools import lru_cache
from typing import Any

from aidstats.extract_analysis import FAST_UNIT_INFO, HEAD_BEFORE, analyse, single
from aidstats.extract_lexicon import AFTER_YEAR_WORD, RECENT_UNITS, UNIT_NOUN_AFTER
from aidstats.extract_spec import (
    ARABIC,
    BIG,
    ONE,
    QUAL_LAST,
    VALUES,
    DateFound,
    Found,
    Spec,
    magnitude,
    number_value,
    plus_upper_of,
    prefix_qualifier,
    value_of,
)
from aidstats.numerals import MAX_NUMERAL_CHARS, month_day, to_number

__all__ = [
    "SLOW",
    "AbsDate",
    "RelDate",
    "cached_form",
    "iso_date",
    "plain_number",
    "qualified",
    "quick",
    "read_new",
    "with_text",
]

# after 年 without a month: a noun (年级, 年代), not a year or a count of years
_YEAR_NOUN = AFTER_YEAR_WORD | UNIT_NOUN_AFTER.get("年", frozenset())


@lru_cache(maxsize=4096)  # a pure function of short strings / small ints
def iso_date(year: int | None, month: int | None, day: int | None) -> str | None:
    """An ISO date string at the precision given, or None if impossible."""
    if year is None or not 1 <= year <= 9999:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    if day > calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


class AbsDate(tuple):
    """A date with its year written (2021年8月13日), as cached: (span length, ISO value,
    year and month for the dates after it, both None when the date is impossible; and,
    in the scan's cache, the text of the mention).  Its value does not depend on the
    dates before it, so it is resolved once, when cached."""

    __slots__ = ()


class RelDate(tuple):
    """A date relative to the publication year or to the last date's year (去年, 同年12月),
    as cached: (span length, 0 for the publication year or 1 for the last date's, the
    offset in years, month, day; and, in the scan's cache, the text of the mention)."""

    __slots__ = ()


def cached_form(spec: Spec | None) -> Any:
    """What the scan caches for a spec: a plain mention (a Found with no shared trailing
    qualifier) as a bare tuple of its first ten fields (_FOUND_ORDER), since CPython
    unpacks an exact tuple twice as fast as a NamedTuple; a date with its year written as
    an :class:`AbsDate`, one relative to the publication or last date as a
    :class:`RelDate`; anything else as it is."""
    cls = spec.__class__
    if cls is Found:
        return spec if spec.trail else spec[:10]  # type: ignore[union-attr]
    if cls is DateFound and spec.mode == "abs":  # type: ignore[union-attr]
        _, de, _, year, month, day = spec  # type: ignore[misc]
        value = None if month is None and day is not None else iso_date(year, month, day)
        if value is None:
            year = month = None
        return AbsDate((de, value, year, month))
    if cls is DateFound and (spec.mode == "pub" or spec.mode == "last"):  # type: ignore[union-attr]
        _, de, mode, delta, month, day = spec  # type: ignore[misc]
        if month is not None or day is None:
            return RelDate((de, 0 if mode == "pub" else 1, delta, month, day))
    return spec


SLOW = object()  # a sentinel: the match needs the full analysis

_SCALE = {"万": 4, "亿": 8}
_DIGITS_MAX = 18  # digits of a number read in ints (Decimal's 28 are never reached)
# below this, plus_upper_of's integer path always answers (its upper is < 2 * 10**17)
_NO_VALUE_BELOW = 10**17


def plain_number(full: str) -> int | float | None:
    """``to_number`` of the value of ``full`` when it is a plain ASCII number with at most
    one 万 or 亿 after it (4.5, 95.8万, 0.5亿), worked in Python ints: exactly the value
    :func:`~aidstats.extract_spec.value_of` gives (an int when integral, else the same
    correctly rounded float), without its Decimals (~3x faster); None for anything else."""
    scale = _SCALE.get(full[-1], 0)
    body = full[:-1] if scale else full
    if len(body) > _DIGITS_MAX or not body.isascii():
        return None
    head, dot, tail = body.partition(".")
    if not head.isdigit() or (dot and not tail.isdigit()):
        return None
    digits = int(head + tail)
    shift = scale - len(tail)
    if shift >= 0:
        number = digits * 10**shift
        return number if number < 10**18 else None
    whole, rest = divmod(digits, 10**-shift)
    return whole if not rest else digits / 10**-shift  # int / int: correctly rounded


def _scaled(full: str, m1: str | None) -> tuple[Any, Any] | None:
    """The value of a number and its magnitude (4.5 and 亿), as a Decimal and as the number
    the mention keeps; None when either does not read.  A positive integer below 10**17
    read in ints (6000多万, 70余名: :func:`plain_number`) comes with no Decimal (None):
    :func:`~aidstats.extract_spec.plus_upper_of`, the one use of it, needs none then."""
    number = plain_number(full + m1 if m1 else full)
    if type(number) is int and 0 < number < _NO_VALUE_BELOW:
        return None, number
    value, number = VALUES.get(full) or value_of(full, True)
    if value is None:
        return None
    if m1:
        mult = number_value(m1)
        if mult is None:
            return None
        value *= mult
        number = to_number(value)
    return value, number


def quick(
    full: str,
    s1: str | None,
    m1: str | None,
    u1: str | None,
    dt_part: str | None,
    after: str,
    length: int,
    key: str,
) -> Any:
    """The form the scan keeps (the cached form with the text of the mention, taken from
    the window ``key``) of the commonest forms on unseen text, read in a few steps with
    exactly the result :func:`~aidstats.extract_analysis.single` gives them, or SLOW.

    ``full`` is an Arabic numeral with no trailing qualifier or ratio after it and no
    qualifier, ordinal or label before it; ``after`` is the character after the match.
    Read here: a count with a plain unit (80个, 4.5亿元, 91.7%), the same with 多/余
    (70余名, 6000多万元), and an integer with 年 (2021年8月13日, 30年).
    """
    fast = FAST_UNIT_INFO.get(u1)  # type: ignore[arg-type]
    if fast is not None:
        kind, label, nouns = fast
        if after in nouns:
            return SLOW  # 5部门: a noun
        if not s1:
            if m1:
                return SLOW
            if full.isdigit() and full.isascii() and len(full) <= MAX_NUMERAL_CHARS:
                number = int(full)
                said = key[3 : 3 + length]
                return (0, length, kind, number, number, number, label, "exact", ONE, None, said)
            if full[-1] in "千百":
                return SLOW  # 5千克, 5百分点
            number = plain_number(full)  # 4.5, 95.8万: in ints, the Decimals not needed
            if number is None:
                value, number = VALUES.get(full) or value_of(full, True)
                if value is None:
                    return SLOW
            lend = magnitude(full, None) if full[-1] in BIG else ONE
            said = key[3 : 3 + length]
            return (0, length, kind, number, number, number, label, "exact", lend, None, said)
        scaled = _scaled(full, m1)
        if scaled is None:
            return SLOW
        value, number = scaled
        lend = magnitude(full, m1) if (m1 or full[-1] in BIG) else ONE
        upper = plus_upper_of(value, number)
        said = key[3 : 3 + length]
        return (0, length, kind, number, number, upper, label, "over", lend, None, said)
    if u1 == "年" and not (s1 or m1) and full.isdigit() and full.isascii():
        if len(full) > MAX_NUMERAL_CHARS:
            return SLOW
        if dt_part is None and after in _YEAR_NOUN:
            return None  # 三年级, 80年代
        year: int | None = int(full)
        if len(full) != 4 or not 1000 <= year <= 2999:  # type: ignore[operator]
            # a count of years (30年)
            said = key[3 : 3 + length]
            return (0, length, "duration", year, year, year, "年", "exact", ONE, None, said)
        md = month_day(dt_part)
        if md is None:
            md, length = (None, None), 5  # an impossible month or day: the year alone
        month, day = md
        value = iso_date(year, month, day)
        if value is None:
            year = month = None
        return AbsDate((length, value, year, month, key[3 : 3 + length]))
    return SLOW


def qualified(
    full: str,
    s1: str | None,
    m1: str | None,
    u1: str | None,
    left: str,
    after: str,
    length: int,
    key: str,
) -> Any:
    """Like :func:`quick`, for a count with a plain unit after a prefix qualifier (超80个,
    近3000名, 约4.5亿元, 逾70余名): the cached form that
    :func:`~aidstats.extract_analysis.single` gives, with the text of the mention, or
    SLOW."""
    fast = FAST_UNIT_INFO.get(u1)  # type: ignore[arg-type]
    if fast is None or (m1 and not s1) or (not s1 and full[-1] in "千百"):
        return SLOW
    kind, label, nouns = fast
    if after in nouns:
        return SLOW
    qual, qlen, open_ended = prefix_qualifier(left)
    if qual is None or (qual == "near" and qlen == 1 and label in RECENT_UNITS):
        return SLOW  # no qualifier after all; or 近三年来, "the recent three years"
    scaled = _scaled(full, m1)
    if scaled is None:
        return SLOW
    value, number = scaled
    if s1 and qual != "near" and qual != "approx":
        qual = "over"
    if qual == "over":
        lower, upper = number, (plus_upper_of(value, number) if s1 and not open_ended else None)
    elif qual == "approx":
        lower = upper = None
    else:
        lower, upper = None, number
    lend = magnitude(full, m1) if (m1 or full[-1] in BIG) else ONE
    said = key[3 - qlen : 3 + length]
    return (-qlen, length, kind, number, lower, upper, label, qual, lend, None, said)


def read_new(m: re.Match[str], text: str, key: str, s: int, e: int) -> Any:
    """The form the scan keeps for a match whose window ``key`` (``text[s - 3 : e + 2]``,
    so s >= 3 and e + 2 <= len(text)) is not in the cache: the cached form of its spec
    (:func:`cached_form`, or what :func:`quick` or :func:`qualified` give), with the
    text of the mention appended to a plain mention or a date.  One function, since it
    runs for every window not seen before (most windows of a text never seen)."""
    # the groups in MASTER's order (Groups checks it at import)
    _, _, _, _, _, _, n1, s1, m1, u1, rs, _, _, _, _, ra, dt_part, tr = m.groups()
    if n1 is None or rs is not None:
        form = cached_form(analyse(m, text[s - 3 : s], text[e : e + 2]))
    else:
        full = text[s] + n1
        form = SLOW
        if not (tr or ra) and text[s] in ARABIC:
            before = text[s - 1]
            if before not in HEAD_BEFORE:
                form = quick(full, s1, m1, u1, dt_part, text[e], e - s, key)
            elif before in QUAL_LAST:
                form = qualified(full, s1, m1, u1, text[s - 3 : s], text[e], e - s, key)
            if form is not SLOW:
                return form  # with the text of the mention already
        left, right = text[s - 3 : s], text[e : e + 2]
        form = cached_form(single(full, s1, m1, u1, ra, dt_part, tr, left, right, e - s))
    cls = form.__class__  # with_text(form, key, 3), inlined
    if cls is tuple:
        return form + (key[3 + form[0] : 3 + form[1]],)  # noqa: RUF005 (faster)
    if cls is AbsDate or cls is RelDate:
        return cls(form + (key[3 : 3 + form[0]],))  # noqa: RUF005
    return form


def with_text(form: Any, text: str, at: int) -> Any:
    """The form the scan keeps: a plain mention or a date with the text of its mention
    appended (``text[at + ds : at + de]``, ``at`` being where the match starts in
    ``text``), so that a window seen before costs the scan no slicing of the text."""
    cls = form.__class__
    if cls is tuple:
        return form + (text[at + form[0] : at + form[1]],)  # noqa: RUF005 (faster)
    if cls is AbsDate or cls is RelDate:
        return cls(form + (text[at : at + form[0]],))  # noqa: RUF005
    return form
