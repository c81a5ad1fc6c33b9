"""What one candidate match of the master regex says, from the match and its context.

:func:`analyse` turns a match (plus three characters before and two after it) into a
*spec*: a :class:`Found` mention, a :class:`DateFound` date still to be resolved against
the publication date and the dates before it, a :class:`Split` (a range mark that did
not make a range: the first number alone, then the scan goes on at the second), a
:class:`Skip` (an idiom: nothing inside counts), or None (not a quantity).

A spec depends only on the match and that small window, so the scan caches it; offsets
in a spec are relative to the match start (``ds`` is negative when a prefix qualifier
such as 超 or 约 stands before the match).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from aidstats.extract_lexicon import (
    AFTER_YEAR_WORD,
    BARE_FOLLOWERS,
    CLAUSE_START,
    PREFIX_QUALIFIERS,
    QUALIFIER_NOT_BEFORE,
    RECENT_AFTER,
    RECENT_UNITS,
    REL_YEAR_NOT_BEFORE,
    REL_YEARS,
    SEVERAL_NOT_BEFORE,
    TRAILING_QUALIFIERS,
    UNIT_NOUN_AFTER,
    UNITS,
    UPDOWN_NOT_AFTER,
    Unit,
)
from aidstats.extract_regex import Groups
from aidstats.numerals import (
    MAX_NUMERAL_CHARS,
    last_digit_unit,
    month_day,
    normalize_digits,
    parse_numeral,
    parse_pair,
    parse_plain_decimal,
    small_int,
    to_number,
    year_value,
)

__all__ = [
    "CACHE_SPAN",
    "DateFound",
    "Found",
    "Skip",
    "Spec",
    "Split",
    "analyse",
    "single",
]


class Found(NamedTuple):
    """A mention read off one match; offsets relative to the match start.

    Built with ``tuple.__new__(Found, (...))`` on the hot path (a third of the cost of
    ``Found(...)``); the fields are in the order of :class:`~aidstats.extract.Quantity`.
    """

    ds: int
    de: int
    kind: str
    value: int | float | None
    lower: int | float | None
    upper: int | float | None
    unit: str | None
    qualifier: str
    lend: Decimal | None  # the magnitude it lends, with its unit and kind, to bare
    # numbers listed before it (300、500和800万元: 800万元 lends 10000, 元, amount)
    bare: Decimal | None  # a bare Arabic number's value: it may borrow a unit later
    trail: bool  # a trailing 以上/左右 that a coordination before it shares


class DateFound(NamedTuple):
    """A date whose ISO value depends on the publication date or the dates before it.

    ``mode``: ``abs`` (``year`` is the year), ``pub`` (``year`` is an offset from the
    publication year: 去年 = -1), ``last`` (an offset from the year of the last date: 同年,
    次年), ``md`` (a month/day of the publication year) or ``lastym`` (a bare day: the year
    and month of the last date).
    """

    ds: int
    de: int
    mode: str
    year: int
    month: int | None
    day: int | None


class Split(NamedTuple):
    """A range mark that made no range: the first number, then a fresh match later."""

    first: Found | DateFound | None  # the first number alone (None: not a quantity)
    offset: int  # where the second number starts, from the match start


class Skip(NamedTuple):
    """An idiom: no mention, and nothing inside it may be read either."""

    length: int


Spec = Found | DateFound | Split | Skip

_tuple_new = tuple.__new__

_ARABIC = frozenset("0123456789０１２３４５６７８９")
_MAG_CHARS = frozenset("十百千万亿拾佰仟")
_BIG = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
_ONE = Decimal(1)
_HALF = Decimal("0.5")
_TEN = Decimal(10)
_ASCII_LABEL_BEFORE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#+-_/.")
_ASCII_LABEL_AFTER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#+＋_")
_LIST_BEFORE = frozenset(
    ["", "\n", "\r", "　", " ", "\t", "。", "；", ";", "！", "？", "!", "?", "：", ":"]
)
_LONE_ONE_NOT_BEFORE = frozenset("每这那哪同某前后第另当头上下")
_LONE_ONE_NOT_AFTER_YEAR = frozenset("一四到")
_HALF_NOT_BEFORE = frozenset("上下前后多大每")
_OVER_DROP_AFTER = frozenset("次项个种家名人位元所批")
#: Numeral strings longer than this are analysed each time, never cached.
CACHE_SPAN = 48

# the last character of every prefix qualifier: a cheap test before _prefix
_QUAL_LAST = frozenset(w[-1] for w in PREFIX_QUALIFIERS)
_NO_QUAL: tuple[str | None, int, bool] = (None, 0, False)
# units that need no check by _measure (no noun may follow them, not admin, not 年多)
_PLAIN_UNITS = frozenset(
    w
    for w, u in UNITS.items()
    if w not in UNIT_NOUN_AFTER and w != "年多" and u[1] not in ("admin", "reject")
)
# a character before the number that _head must look at
_HEAD_BEFORE = _QUAL_LAST | {"第"} | _ASCII_LABEL_BEFORE


# --------------------------------------------------------------------------- helpers


def _has_digit(s: str) -> bool:
    """Whether a numeral has a character other than 十百千万亿 (a digit)."""
    return not _MAG_CHARS.issuperset(s)


def _prefix(left: str) -> tuple[str | None, int, bool]:
    """A qualifier written just before the number: (qualifier, its length, open-ended).
    The longest word of PREFIX_QUALIFIERS that ends ``left`` wins (不超过 over 超过),
    unless the character before it makes it part of another word (最近, 节约)."""
    for size in (3, 2, 1):
        if len(left) < size:
            continue
        word = left[-size:]
        q = PREFIX_QUALIFIERS.get(word)
        if q is not None:
            not_before = QUALIFIER_NOT_BEFORE.get(word)
            if not_before is not None and left[-size - 1 : -size] in not_before:
                return _NO_QUAL
            return q, size, q == "over"
    return _NO_QUAL


def _bounds(
    value: Decimal, qualifier: str, plus: bool, open_ended: bool
) -> tuple[int | float | None, int | float | None]:
    """(lower, upper) for a value and its qualifier; ``plus`` marks 多/余."""
    if qualifier == "approx":
        return None, None
    n = to_number(value)
    if qualifier == "exact":
        return n, n
    if qualifier == "over":
        if plus and not open_ended:
            return n, plus_upper(value)
        return n, None
    return None, n


@lru_cache(maxsize=4096)  # a pure function of the value
def plus_upper(value: Decimal) -> int | float:
    """The upper bound of 30多 / 1.5万余: one unit of the last non-zero digit more."""
    return to_number(value + last_digit_unit(value))


_VALUES: dict[str, tuple[Decimal | None, int | float | None]] = {}
_VALUES_MAX = 16_384


def _value_of(n1: str, arabic: bool) -> tuple[Decimal | None, int | float | None]:
    """(value, value as int or float) of a numeral string, cached by the string (the
    caller looks in ``_VALUES`` first).  Plain Arabic numbers (2021, 4.5) and Arabic
    numbers with one magnitude (17.3万) skip the full parser."""
    if len(n1) > MAX_NUMERAL_CHARS:
        return (None, None)
    if arabic:
        digits = normalize_digits(n1)
        if digits.isdigit() and digits.isascii():
            parsed: tuple[Decimal | None, int | float | None] = (Decimal(digits), int(digits))
        else:
            big = _BIG.get(digits[-1])
            value = parse_plain_decimal(digits[:-1] if big is not None else digits)
            if value is not None and big is not None:
                value *= big
            elif value is None:
                value = parse_numeral(digits)
            parsed = (value, to_number(value) if value is not None else None)
    else:
        value = parse_numeral(n1)
        parsed = (value, to_number(value) if value is not None else None)
    if len(n1) <= CACHE_SPAN:
        if len(_VALUES) >= _VALUES_MAX:
            _VALUES.clear()
        _VALUES[n1] = parsed
    return parsed


def _number_value(raw: str) -> Decimal | None:
    """Parse a numeral string (the regex guarantees its characters)."""
    if len(raw) > MAX_NUMERAL_CHARS:
        return None
    return parse_numeral(raw)


def _magnitude(n1: str, m1: str | None) -> Decimal:
    """The multiplier written after the digits: 万 in 17.3万, 亿 in 5亿, 1 otherwise."""
    mult = _ONE
    i = len(n1)
    while i > 0 and n1[i - 1] in _BIG:
        i -= 1
    for ch in n1[i:]:
        mult *= _BIG[ch]
    for ch in m1 or "":
        mult *= _BIG[ch]
    return mult


def _has_mag(n: str) -> bool:
    """Whether a numeral ends in 万 or 亿."""
    return n[-1] in _BIG


# --------------------------------------------------------------------------- dispatch


def analyse(m: re.Match[str], left: str, right: str) -> Spec | None:
    """The spec of one candidate match, from the match and its context only."""
    g = Groups._make(m.groups())
    length = m.end() - m.start()
    if g.n1 is not None:
        n1 = m.string[m.start()] + g.n1
        if g.rs is None:
            return single(n1, g.s1, g.m1, g.u1, g.ra, g.dt, g.tr, left, right, length)
        return _numeric(g, n1, left, right, length)
    if g.idiom is not None:
        return Skip(length)
    if g.pc is not None:
        return _percent_words(g.pc, g.pt, left, length)
    if g.hu is not None:
        return _half(g.hu, left, right, length)
    return _relative_year(m.string[m.start()] + "年", g.rd, left, right, length)


def _relative_year(word: str, rd: str | None, left: str, right: str, length: int) -> Spec | None:
    """去年, 今年5月, 同年12月, 去年底: a date relative to the publication or last year."""
    if left[-1:] in REL_YEAR_NOT_BEFORE[word]:
        return None
    if rd is None and right[:1] in AFTER_YEAR_WORD:
        return None
    md = month_day(rd)
    if md is None:
        # an impossible month: keep the bare relative year
        length = 2
        md = (None, None)
    mode, delta = REL_YEARS[word]
    return DateFound(0, length, mode, delta, md[0], md[1])


def _half(hu: str, left: str, right: str, length: int) -> Spec | None:
    """半年, 半个月, 半小时: a duration of one half."""
    if left[-1:] in _HALF_NOT_BEFORE:
        return None
    if hu == "年" and right[:1] in AFTER_YEAR_WORD:
        return None
    unit = UNITS[hu][0] if hu in UNITS else hu
    qual, qlen, open_ended = _prefix(left)
    qual = qual or "exact"
    lower, upper = _bounds(_HALF, qual, False, open_ended)
    return Found(-qlen, length, "duration", 0.5, lower, upper, unit, qual, None, None, False)


def _percent_words(pc: str, pt: str | None, left: str, length: int) -> Spec | None:
    """百分之三十: a percentage written in words."""
    value = _number_value(pc)
    if value is None:
        return None
    qual, qlen, open_ended = _prefix(left)
    qual = qual or "exact"
    if pt == "以上":
        qual, open_ended = "over", True
    elif pt == "左右":
        qual = "approx"
    lower, upper = _bounds(value, qual, False, open_ended)
    number = to_number(value)
    return Found(-qlen, length, "percent", number, lower, upper, "%", qual, None, None, False)


def _numeric(g: Groups, n1: str, left: str, right: str, length: int) -> Spec | None:
    """A number with a range mark after it: a range, or a range that splits."""
    # the end of the first part (number, 多/余, magnitude, unit)
    end1 = len(n1) + len(g.s1 or "") + len(g.m1 or "") + len(g.u1 or "")
    spec = _range(g, n1, left, length)
    if spec is not None:
        return spec
    # not a range: the first part alone, then the second part from scratch
    after = (g.rs + g.n2)[:2]
    first = single(n1, g.s1, g.m1, g.u1, None, None, None, left, after, end1)
    assert not isinstance(first, (Split, Skip))
    return Split(first, end1 + len(g.rs))


# --------------------------------------------------------------------------- one number


def single(
    n1: str,
    s1: str | None,
    m1: str | None,
    u1: str | None,
    ra: str | None,
    dt_part: str | None,
    tr: str | None,
    left: str,
    right: str,
    end: int,
) -> Found | DateFound | None:
    """A single number with its qualifiers and unit (not a range); ``end`` is the length
    of the match."""
    arabic = n1[0] in _ARABIC
    if (
        not arabic
        and u1 is None
        and ra is None
        and not (s1 or m1 or tr)
        and "万" not in n1
        and "亿" not in n1
    ):
        return None  # 三交, 两地: a numeral without a measure word (see _unitless)
    if tr == "上下" and right[:1] in UPDOWN_NOT_AFTER:
        tr, end = None, end - 2  # 100人上下游: 上下 starts another word
    if n1[0] == "数":
        if left[-1:] in SEVERAL_NOT_BEFORE:
            # 人数百余人: 数 ends the noun 人数, and the number after it counts
            rest = single(n1[1:], s1, m1, u1, ra, dt_part, tr, (left + "数")[-3:], right, end - 1)
            return rest._replace(ds=rest.ds + 1, de=rest.de + 1) if rest is not None else None
        return _several(n1, s1, u1, left, end)
    before = left[-1:]
    if (
        before in _HEAD_BEFORE
        or (arabic and right[:1] in _ASCII_LABEL_AFTER)
        or (not arabic and _MAG_CHARS.issuperset(n1))
    ):
        head = _head(n1, s1, m1, u1, dt_part, tr, left, right, arabic)
        if head is None:
            return None
        qual, qlen, open_ended = head
    else:
        qual, qlen, open_ended = _NO_QUAL
    if u1 in _PLAIN_UNITS and n1 != "一" and n1[-1] not in "千百":
        unit = UNITS[u1]  # nothing for _measure to check
    elif u1 is None and n1 != "一" and n1[-1] not in "千百":
        unit = None
    else:
        measured = _measure(n1, s1, m1, u1, dt_part, tr, left, right, end)
        if measured is None:
            return None
        n1, u1, unit, end = measured
    cls = unit[1] if unit is not None else None
    if qual == "near" and qlen == 1 and cls is not None and _recent(unit[0], left, right):
        qual, qlen, cls = None, 0, "duration"  # 近三年来: "the recent three years"
    if cls == "year" or cls == "month" or cls == "day":
        plain = qual is None and not s1 and not m1
        dated = _dated(n1, u1, cls, dt_part, tr, right, end, plain, arabic)
        if dated is not _NOT_A_DATE:
            return dated
    parsed = _VALUES.get(n1)
    if parsed is None:
        parsed = _value_of(n1, arabic)
    value, number = parsed
    if value is None:
        if arabic or s1 or m1 or (unit is None and "万" not in n1 and "亿" not in n1):
            return None
        return _pair(n1, unit, qual, qlen, end)  # 三四十人, 七八万元: x or y
    if m1:
        value *= _number_value(m1) or _ONE
        number = None
    has_mag = bool(m1) or (arabic and n1[-1] in _MAG_CHARS)
    if ra is not None and unit is None and not (s1 or m1 or has_mag):
        denom = _number_value(normalize_digits(ra[1:]))
        if denom is None or denom == 0:
            return None
        ratio = float(value / denom)
        return Found(0, end, "ratio", ratio, ratio, ratio, None, "exact", None, None, False)
    if unit is None:
        return _unitless(n1, value, number, s1, m1, tr, qual, qlen, open_ended, left, right, end)
    return _finish(n1, value, number, s1, m1, unit, tr, qual, qlen, open_ended, end, has_mag)


def _recent(label: str, left: str, right: str) -> bool:
    """Whether 近 before a time count means "the recent …": 近三年来, 近5年间, 近3年内, or
    近 opening a clause (。近五年, 在近3年); else it means "nearly" (历时近3年)."""
    if label not in RECENT_UNITS:
        return False
    return right.startswith(RECENT_AFTER) or left[-2:-1] in CLAUSE_START


def _head(
    n1: str,
    s1: str | None,
    m1: str | None,
    u1: str | None,
    dt_part: str | None,
    tr: str | None,
    left: str,
    right: str,
    arabic: bool,
) -> tuple[str | None, int, bool] | None:
    """The prefix qualifier of a number (qualifier, length, open-ended), or None when
    the context says it is no quantity (an ordinal, a label, a bare 十/百 name)."""
    before = left[-1:]
    if before == "第":
        return None  # ordinal: 第十批, 第10名
    if arabic:
        if before in _ASCII_LABEL_BEFORE:
            return None  # G30, COVID-19, v2
        if not (u1 or s1 or m1 or tr or dt_part) and right[:1] in _ASCII_LABEL_AFTER:
            return None  # 5G, 3A, 4+X
        bare_mag = False  # an Arabic numeral starts with a digit
    else:
        # magnitude chars in the run (17.3万) or after 多/余 (6000多万)
        bare_mag = _MAG_CHARS.issuperset(n1)
    qual = _prefix(left) if before in _QUAL_LAST else _NO_QUAL
    if bare_mag and not s1:
        # a bare 十/百/千/万 is a name (十城百店, 百场义诊) unless 上万, 逾千, 万人以上, 十年
        if before == "上" and len(n1) == 1 and n1 in "百千万亿" and left[-2:-1] != "千":
            return ("over", 1, True)
        if qual[0] is None and tr is None and not (n1 == "十" and u1 in ("年", "个月", "天")):
            return None
    return qual


def _measure(
    n1: str,
    s1: str | None,
    m1: str | None,
    u1: str | None,
    dt_part: str | None,
    tr: str | None,
    left: str,
    right: str,
    end: int,
) -> tuple[str, str | None, Unit | None, int] | None:
    """(numeral, unit word, unit entry, end) after the unit checks, or None when the
    measure word is the start of a noun (5部门, 三年级), 一 is an article, or the unit
    may not follow this numeral (an administrative or open unit after Chinese digits)."""
    arabic = n1[0] in _ARABIC
    unit = UNITS.get(u1) if u1 else None
    if u1 is not None and unit is None:
        # an open measure word (160万锭, 打井20眼): after Chinese digits only with a
        # magnitude or 多/余, since 三交 and 两地 are words
        if not (arabic or s1 or m1 or "万" in n1 or "亿" in n1):
            return None
        unit = (u1, "amount", "")
    elif unit is not None and not (dt_part or tr):
        nouns = UNIT_NOUN_AFTER.get(u1)
        if nouns is not None and right[:1] in nouns:
            return None  # 5部门, 三年级: a noun, not a measure word
        if u1 == "年多" and right[:1] in _OVER_DROP_AFTER:
            # 10年多次: 多次 is "many times"
            u1, unit, end = "年", UNITS["年"], end - 1
    if unit is not None and unit[1] == "admin":
        if not arabic:
            return None  # 一县一品, 两市: names and set phrases
        unit = (unit[0], "amount", "")
    if n1 == "一":
        # a lone 一 counts only time (一年, 一个月) and 一倍
        if left[-1:] in _LONE_ONE_NOT_BEFORE:
            return None
        if u1 in ("年", "年多", "年半") and right[:1] in _LONE_ONE_NOT_AFTER_YEAR:
            return None
    if unit is not None and unit[1] == "reject":
        return None
    if arabic and not (s1 or m1) and n1[-1] in "千百":
        return _kilo(n1, u1, unit, right, end)
    return n1, u1, unit, end


_KILO_WORDS = ("千瓦时", "千瓦", "千伏", "千克", "千米", "百分点")


def _kilo(
    n1: str, u1: str | None, unit: Unit | None, right: str, end: int
) -> tuple[str, str | None, Unit | None, int]:
    """Arabic 5千克, 5千瓦(时), 5百分点: the 千 or 百 after the digits starts the unit."""
    after = n1[-1] + (u1 or "") + right
    for word in _KILO_WORDS:
        if after.startswith(word):
            return n1[:-1], word, UNITS[word], end + len(word) - 1 - len(u1 or "")
    return n1, u1, unit, end


_NOT_A_DATE = Skip(0)  # a sentinel: read the number as a count after all


def _dated(
    n1: str,
    u1: str | None,
    cls: str,
    dt_part: str | None,
    tr: str | None,
    right: str,
    end: int,
    plain: bool,
    arabic: bool,
) -> DateFound | Skip | None:
    """A number with 年, 月 or 日: a date, None (no quantity), or ``_NOT_A_DATE`` (a
    count of years or days: 三年, 1000多日)."""
    if cls == "year":
        if right[:1] in AFTER_YEAR_WORD and not dt_part:
            return None  # 三年级, 80年代
        # dates written with a year or a month; a date's span ends with the date (a
        # trailing 左右 is left out: 2000年左右 is still the date 2000)
        year = year_value(n1) if plain else None
        if year is None:
            return _NOT_A_DATE
        md = month_day(dt_part)
        date_end = len(n1) + len(u1 or "")
        if md is None:
            md = (None, None)
        elif dt_part:
            date_end += len(dt_part)
        return DateFound(0, date_end, "abs", year, md[0], md[1])
    if not arabic:
        return None  # 三月, 一日: too often words (一日三餐)
    if plain and tr:
        end -= len(tr)
    if cls == "month":
        # 8月, 4月28日: a month of the publication year
        md = month_day(n1 + "月" + (dt_part or "")) if plain else None
        if md is None:
            return None
        return DateFound(0, end, "md", 0, md[0], md[1])
    day = small_int(n1) if plain else None
    if day is not None and 1 <= day <= 31:
        # 13日: a day of the month last mentioned
        return DateFound(0, end, "lastym", 0, None, day)
    return _NOT_A_DATE  # a count of days (1000多日)


def _unitless(
    n1: str,
    value: Decimal,
    number: int | float | None,
    s1: str | None,
    m1: str | None,
    tr: str | None,
    qual: str | None,
    qlen: int,
    open_ended: bool,
    left: str,
    right: str,
    end: int,
) -> Found | None:
    """A number with no unit: a count with a magnitude, 多/余 or a trailing qualifier
    (400万, 1000多, 五十开外), a bare Arabic number that may borrow a list's unit
    (300、500和800万元), or nothing (a label: 2.0工程, 122模式)."""
    arabic = n1[0] in _ARABIC
    has_mag = bool(m1) or (arabic and n1[-1] in _MAG_CHARS)
    if not arabic:
        # 三交, 两地: a numeral without a measure word; but 五十开外, 六十左右 count
        counted = has_mag or "万" in n1 or "亿" in n1 or s1
        if not counted and (tr is None or not any(ch in "十百千" for ch in n1)):
            return None
    elif not (has_mag or s1 or tr or qual):
        # a bare Arabic number: a label (2.0工程, 122模式) unless a list or a sentence
        # goes on after it
        if right[:1] not in BARE_FOLLOWERS and right:
            return None
        before = left[-1:]
        if before in _LIST_BEFORE and right[:1] in ("、", ".", "．"):
            return None  # 1、 at the head of a line or sentence: a list number
        if before in ("(", "（") and right[:1] in (")", "）"):
            return None
        digits = normalize_digits(n1)
        if digits.isdigit() and (len(digits) >= 9 or (digits[0] == "0" and len(digits) > 1)):
            return None  # phone numbers, codes and IDs are written this way, figures not
        if number is None:
            number = to_number(value)
        return _tuple_new(
            Found, (0, end, "amount", number, number, number, None, "exact", None, value, False)
        )
    return _finish(n1, value, number, s1, m1, None, tr, qual, qlen, open_ended, end, has_mag)


def _finish(
    n1: str,
    value: Decimal,
    number: int | float | None,
    s1: str | None,
    m1: str | None,
    unit: Unit | None,
    tr: str | None,
    qual: str | None,
    qlen: int,
    open_ended: bool,
    end: int,
    has_mag: bool,
) -> Found | None:
    """The value, qualifier and bounds of a count, and what it lends to a list before it
    (4.5亿元, 3年多, 八成, 70余名, 超17亿元, 50000只以上)."""
    plus = bool(s1)
    if unit is None:
        label, kind = None, "amount"
    else:
        label, cls, mod = unit
        kind = "duration" if cls == "year" or cls == "day" else cls
        if mod == "half":
            value += _HALF
            number = None
        elif mod == "over":
            plus = True
        elif mod == "x10":
            if value > 10:
                return None
            value *= _TEN
            number = None
    if tr is not None:
        qual = TRAILING_QUALIFIERS[tr]
        open_ended = qual == "over"
    if plus and qual != "near" and qual != "approx":
        qual = "over"
    if number is None:
        number = to_number(value)
    if qual is None or qual == "exact":
        qual = "exact"
        lower = upper = number
    elif qual == "over":
        lower, upper = number, (plus_upper(value) if plus and not open_ended else None)
    elif qual == "approx":
        lower = upper = None
    else:
        lower, upper = None, number
    if has_mag or label is not None:
        lend = _magnitude(n1, m1) if (m1 or n1[-1] in _BIG) else _ONE
    else:
        lend = None
    return _tuple_new(
        Found,
        (-qlen, end, kind, number, lower, upper, label, qual, lend, None, tr is not None),
    )


# --------------------------------------------------------------------------- approximate


def _approx_span(qual: str | None, qlen: int) -> int:
    """How far before the match an approximate form's span starts: a prefix 约/大约 is
    part of it; another qualifier (超, 近) cannot qualify a guess and stays out."""
    return qlen if qual == "approx" else 0


def _pair(n1: str, unit: Unit | None, qual: str | None, qlen: int, end: int) -> Found | None:
    """三四十人, 七八万元, 十一二岁: "x or y", an approximate range of the two readings."""
    bounds = parse_pair(n1)
    if bounds is None:
        return None
    label, cls, mod = unit if unit is not None else (None, "amount", "")
    lower, upper = bounds
    if cls == "month" or cls == "day" or mod == "half" or mod == "over":
        return None  # 三四月, 七八日: months and days, not counts
    if mod == "x10":
        lower, upper = lower * _TEN, upper * _TEN  # 七八成
    ds = -_approx_span(qual, qlen)
    return Found(ds, end, "range", None, to_number(lower), to_number(upper), label, "approx",
                 None, None, False)  # fmt: skip


def _several(n1: str, s1: str | None, u1: str | None, left: str, end: int) -> Found | None:
    """数十, 数百, 数万元: "several" of a magnitude, from 2 to 9 of it; the upper bound is
    exclusive like 多/余's (数万 → [20000, 100000))."""
    if s1:
        return None  # 数百余: not a form of "several"
    mag = parse_numeral(n1[1:])
    if mag is None or not _MAG_CHARS.issuperset(n1[1:]):
        return None
    unit = UNITS.get(u1) if u1 else None
    if u1 is not None and unit is None:
        unit = (u1, "amount", "")  # an open measure word (数万锭)
    if unit is not None and (unit[1] in ("month", "day", "reject") or unit[2]):
        return None
    qual, qlen, _ = _prefix(left) if left[-1:] in _QUAL_LAST else _NO_QUAL
    label = unit[0] if unit is not None else None
    lower, upper = to_number(2 * mag), to_number(10 * mag)
    ds = -_approx_span(qual, qlen)
    return Found(ds, end, "range", None, lower, upper, label, "approx", None, None, False)


# --------------------------------------------------------------------------- ranges


def _range(g: Groups, n1: str, left: str, length: int) -> Found | None:
    """A range (0至18岁, 1.5万至2万名, 20%—30%), or None if it is not one."""
    rs, n2, m1, m2 = g.rs, g.n2, g.m1, g.m2
    assert rs is not None and n2 is not None
    if g.dt or left[-1:] == "第" or g.s1 or g.s2:
        return None  # a date after it, an ordinal, or 多/余 inside: not a plain range
    a1, a2 = n1[0] in _ARABIC, n2[0] in _ARABIC
    if n1[0] == "数" or (g.u1 is not None and g.u1 not in UNITS):
        return None  # 数十至数百, 3眼至5眼: read each part on its own
    unit1 = UNITS.get(g.u1) if g.u1 else None
    unit2 = UNITS.get(g.u2) if g.u2 else None
    if not _range_units(unit1, unit2, n1, n2, a1, a2, m1, m2, rs):
        return None
    if not a1 and not a2 and not _has_digit(n1) and not _has_digit(n2):
        return None
    v1 = _number_value(normalize_digits(n1) if a1 else n1)
    v2 = _number_value(normalize_digits(n2) if a2 else n2)
    if v1 is None or v2 is None:
        return None
    mult2 = _magnitude(n2, m2)
    v2 *= _number_value(m2) if m2 else _ONE
    if m1:
        v1 *= _number_value(m1)
    elif mult2 != _ONE and not _has_mag(n1):
        v1 *= mult2  # 1.5至2万 = 15000 to 20000
    mod = unit2[2] if unit2 is not None else ""
    if mod == "x10":
        if v1 > 10 or v2 > 10:
            return None
        v1, v2 = v1 * _TEN, v2 * _TEN
    elif mod in ("half", "over"):
        return None
    if v1 > v2:
        return None
    qual, qlen, _ = _prefix(left)
    if g.tr is not None:
        qual = TRAILING_QUALIFIERS[g.tr]
    label = unit2[0] if unit2 is not None else None
    lower, upper = to_number(v1), to_number(v2)
    return Found(-qlen, length, "range", None, lower, upper, label, qual or "exact", None,
                 None, False)  # fmt: skip


def _range_units(
    unit1: tuple[str, str, str] | None,
    unit2: tuple[str, str, str] | None,
    n1: str,
    n2: str,
    a1: bool,
    a2: bool,
    m1: str | None,
    m2: str | None,
    rs: str,
) -> bool:
    """Whether the units around a range mark allow a range (3月至5月 and 2020年至2022年
    are two dates; 0997-1234567 and 2021-08 are codes)."""
    if unit1 is not None and unit1[1] in ("month", "day", "reject"):
        return False  # 3月至5月: two dates
    if unit2 is not None and unit2[1] == "admin" and not (a1 and a2):
        return False  # 三至五县: administrative units count only after Arabic digits
    if unit2 is not None and unit2[1] in ("day", "reject"):
        return False
    if unit2 is not None and unit2[1] == "month":
        # 1至10月: a span of months of one year
        if not (a1 and a2) or m1 or m2:
            return False
        lo, hi = small_int(n1), small_int(n2)
        if lo is None or hi is None or not 1 <= lo < hi <= 12:
            return False
    if unit1 is not None and (unit2 is None or unit1[0] != unit2[0]):
        return False
    if unit2 is not None and unit2[1] == "year" and unit1 is not None:
        return False  # 2020年至2022年: two dates
    # 0997-1234567, 2021-08: codes, not ranges
    return unit2 is not None or bool(m2) or _has_mag(n2) or rs in ("至", "到")
