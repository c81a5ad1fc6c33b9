"""What one candidate match of the master regex says, from the match and its context.

:func:`analyse` turns a match (plus three characters before and two after it) into a
spec (:mod:`aidstats.extract_spec`); :func:`single` reads a single number with its
qualifiers and unit, the commonest candidate.  A spec depends only on the match and that
small window, so the scan caches it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from aidstats.extract_lexicon import (
    AFTER_YEAR_WORD,
    BARE_FOLLOWERS,
    CLAUSE_START,
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
from aidstats.extract_ranges import pair_spec, range_spec, several_spec
from aidstats.extract_regex import Groups
from aidstats.extract_spec import (
    ARABIC,
    BIG,
    HALF,
    MAG_CHARS,
    NO_QUAL,
    ONE,
    QUAL_LAST,
    TEN,
    VALUES,
    DateFound,
    Found,
    Skip,
    Spec,
    Split,
    bounds,
    magnitude,
    number_value,
    plus_upper,
    prefix_qualifier,
    value_of,
)
from aidstats.numerals import month_day, normalize_digits, small_int, to_number, year_value

__all__ = ["FAST_UNIT_INFO", "HEAD_BEFORE", "analyse", "single"]

_tuple_new = tuple.__new__
_ASCII_LABEL_BEFORE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#+-_/.")
_ASCII_LABEL_AFTER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#+＋_")
_LIST_BEFORE = frozenset(
    ["", "\n", "\r", "　", " ", "\t", "。", "；", ";", "！", "？", "!", "?", "：", ":"]
)
_LONE_ONE_NOT_BEFORE = frozenset("每这那哪同某前后第另当头上下")
_LONE_ONE_NOT_AFTER_YEAR = frozenset("一四到")
_HALF_NOT_BEFORE = frozenset("上下前后多大每")
_OVER_DROP_AFTER = frozenset("次项个种家名人位元所批")
# units ending in 多 that give way to 多次, 多项 … (10年多次, 3倍多个)
_OVER_UNITS = {"年多": "年", "倍多": "倍"}
# units that need no check by _measure (no noun may follow them, not admin, not 年多)
_PLAIN_UNITS = frozenset(
    w
    for w, u in UNITS.items()
    if w not in UNIT_NOUN_AFTER and w not in _OVER_UNITS and u[1] not in ("admin", "reject")
)
# units of counts, percentages and ratios with no modifier (not 年, 月, 日, 成, 年半, admin)
_FAST_UNITS = frozenset(
    w
    for w, (_, cls, mod) in UNITS.items()
    if cls in ("amount", "percent", "ratio", "duration") and not mod and w not in _OVER_UNITS
)
# a character before the number that _head must look at
_HEAD_BEFORE = QUAL_LAST | {"第"} | _ASCII_LABEL_BEFORE
#: The characters before a number that need a look at its head (a qualifier, 第, a
#: label); the quick paths of :mod:`aidstats.extract` leave such numbers to one side.
HEAD_BEFORE = _HEAD_BEFORE
#: The units of the fast path of :func:`single` (plain count units): (kind, label, the
#: characters after it that make it a noun).  :func:`aidstats.extract._quick` reads
#: the commonest forms with them in a few steps and must agree with :func:`single`.
FAST_UNIT_INFO: dict[str, tuple[str, str, frozenset[str]]] = {
    w: (UNITS[w][1], UNITS[w][0], UNIT_NOUN_AFTER.get(w, frozenset())) for w in _FAST_UNITS
}


# --------------------------------------------------------------------------- dispatch


class _Parts(NamedTuple):
    """The regex groups of a number and its context that the checks below read."""

    n1: str
    s1: str | None
    m1: str | None
    u1: str | None
    dt_part: str | None
    tr: str | None
    left: str
    right: str


def analyse(m: re.Match[str], left: str, right: str) -> Spec | None:
    """The spec of one candidate match, from the match and its context only."""
    g = _tuple_new(Groups, m.groups())  # Groups._make without its length check
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
    return _tuple_new(DateFound, (0, length, mode, delta, md[0], md[1]))


def _half(hu: str, left: str, right: str, length: int) -> Spec | None:
    """半年, 半个月, 半小时: a duration of one half."""
    if left[-1:] in _HALF_NOT_BEFORE:
        return None
    if hu == "年" and right[:1] in AFTER_YEAR_WORD:
        return None
    unit = UNITS[hu][0] if hu in UNITS else hu
    qual, qlen, open_ended = prefix_qualifier(left)
    qual = qual or "exact"
    lower, upper = bounds(HALF, qual, False, open_ended)
    return Found(-qlen, length, "duration", 0.5, lower, upper, unit, qual, None, None, False)


def _percent_words(pc: str, pt: str | None, left: str, length: int) -> Spec | None:
    """百分之三十: a percentage written in words."""
    value = number_value(pc)
    if value is None:
        return None
    qual, qlen, open_ended = prefix_qualifier(left)
    qual = qual or "exact"
    if pt == "以上":
        qual, open_ended = "over", True
    elif pt == "左右":
        qual = "approx"
    lower, upper = bounds(value, qual, False, open_ended)
    number = to_number(value)
    return Found(-qlen, length, "percent", number, lower, upper, "%", qual, None, None, False)


def _numeric(g: Groups, n1: str, left: str, right: str, length: int) -> Spec | None:
    """A number with a range mark after it: a range, or a range that splits."""
    # the end of the first part (number, 多/余, magnitude, unit)
    end1 = len(n1) + len(g.s1 or "") + len(g.m1 or "") + len(g.u1 or "")
    spec = range_spec(g, n1, left, length)
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
    arabic = n1[0] in ARABIC
    if (
        arabic
        and u1 in _FAST_UNITS
        and not (s1 or m1 or tr or ra)
        and n1[-1] not in "千百"
        and left[-1:] not in _HEAD_BEFORE
        and right[:1] not in UNIT_NOUN_AFTER.get(u1, "")
    ):
        # the commonest count (80个, 4.5亿元, 91.7%, 30人): what the general path below
        # gives for Arabic digits with a plain unit and nothing around them, in a few steps
        value, number = VALUES.get(n1) or value_of(n1, True)
        if value is not None:
            label, kind, _ = UNITS[u1]
            lend = magnitude(n1, None) if n1[-1] in BIG else ONE
            return _tuple_new(
                Found, (0, end, kind, number, number, number, label, "exact", lend, None, False)
            )
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
    before = left[-1:]
    # 数十, 数万元: "several"; but 人数百余人 reads 百余人 (数 ends the noun 人数)
    if (
        before == "数"
        and not s1
        and MAG_CHARS.issuperset(n1)
        and left[-2:-1] not in SEVERAL_NOT_BEFORE
    ):
        return several_spec(n1, u1, left[:-1], end)
    parts = _Parts(n1, s1, m1, u1, dt_part, tr, left, right)
    if (
        before in _HEAD_BEFORE
        or (arabic and right[:1] in _ASCII_LABEL_AFTER)
        or (not arabic and MAG_CHARS.issuperset(n1))
    ):
        head = _head(parts, arabic=arabic)
        if head is None:
            return None
        qual, qlen, open_ended = head
    else:
        qual, qlen, open_ended = NO_QUAL
    if (u1 is None or u1 in _PLAIN_UNITS) and n1 != "一" and n1[-1] not in "千百":
        unit = UNITS[u1] if u1 is not None else None  # nothing for _measure to check
    else:
        measured = _measure(parts, end=end)
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
    parsed = VALUES.get(n1)
    if parsed is None:
        parsed = value_of(n1, arabic)
    value, number = parsed
    if value is None:
        if arabic or s1 or m1 or (unit is None and "万" not in n1 and "亿" not in n1):
            return None
        return pair_spec(n1, unit, qual, qlen, end)  # 三四十人, 七八万元: x or y
    if m1:
        mult = number_value(m1)
        if mult is None:
            return None  # 万万: no magnitude
        value *= mult
        number = None
    has_mag = bool(m1) or (arabic and n1[-1] in MAG_CHARS)
    if ra is not None and unit is None and not (s1 or m1 or has_mag):
        return _ratio(value, ra, end)
    if unit is None:
        return _unitless(n1, value, number, s1, m1, tr, qual, qlen, open_ended, left, right, end)
    return _finish(n1, value, number, s1, m1, unit, tr, qual, qlen, open_ended, end, has_mag)


def _ratio(value: Decimal, ra: str, end: int) -> Found | None:
    """1:1, 3:2: a ratio a ÷ b (``ra`` is the colon and b)."""
    denom = number_value(normalize_digits(ra[1:]))
    if denom is None or denom == 0:
        return None
    ratio = float(value / denom)
    return Found(0, end, "ratio", ratio, ratio, ratio, None, "exact", None, None, False)


def _recent(label: str, left: str, right: str) -> bool:
    """Whether 近 before a time count means "the recent …": 近三年来, 近5年间, 近3年内, or
    近 opening a clause (。近五年, 在近3年); else it means "nearly" (历时近3年)."""
    if label not in RECENT_UNITS:
        return False
    return right.startswith(RECENT_AFTER) or left[-2:-1] in CLAUSE_START


def _head(parts: _Parts, *, arabic: bool) -> tuple[str | None, int, bool] | None:
    """The prefix qualifier of a number (qualifier, length, open-ended), or None when
    the context says it is no quantity (an ordinal, a label, a bare 十/百 name)."""
    n1, s1, m1, u1, dt_part, tr, left, right = parts
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
        bare_mag = MAG_CHARS.issuperset(n1)
    qual = prefix_qualifier(left) if before in QUAL_LAST else NO_QUAL
    if bare_mag and not s1:
        # a bare 十/百/千/万 is a name (十城百店, 百场义诊) unless 上万, 逾千, 万人以上, 十年
        if before == "上" and len(n1) == 1 and n1 in "百千万亿" and left[-2:-1] != "千":
            return ("over", 1, True)
        if qual[0] is None and tr is None and not (n1 == "十" and u1 in ("年", "个月", "天", "月")):
            return None
    return qual


def _measure(parts: _Parts, *, end: int) -> tuple[str, str | None, Unit | None, int] | None:
    """(numeral, unit word, unit entry, end) after the unit checks, or None when the
    measure word is the start of a noun (5部门, 三年级), 一 is an article, or the unit
    may not follow this numeral (an administrative or open unit after Chinese digits)."""
    n1, s1, m1, u1, dt_part, tr, left, right = parts
    arabic = n1[0] in ARABIC
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
        if u1 in _OVER_UNITS and right[:1] in _OVER_DROP_AFTER:
            # 10年多次: 多次 is "many times"
            u1 = _OVER_UNITS[u1]
            unit, end = UNITS[u1], end - 1
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
# month names in Chinese numerals (六月, 十二月): a date like 6月; 两月 is "two months"
_CHINESE_MONTHS = frozenset("一二三四五六七八九十") | {"十一", "十二"}


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
        return _tuple_new(DateFound, (0, date_end, "abs", year, md[0], md[1]))
    if not arabic and (cls == "day" or n1 not in _CHINESE_MONTHS):
        return None  # 一日, 两月: too often words (一日三餐, "two months")
    if plain and tr:
        end -= len(tr)
    if cls == "month":
        # 8月, 4月28日: a month of the publication year
        md = month_day(n1 + "月" + (dt_part or "")) if plain else None
        if md is None:
            return None
        return _tuple_new(DateFound, (0, end, "md", 0, md[0], md[1]))
    day = small_int(n1) if plain else None
    if day is not None and 1 <= day <= 31:
        # 13日: a day of the month last mentioned
        return _tuple_new(DateFound, (0, end, "lastym", 0, None, day))
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
    arabic = n1[0] in ARABIC
    has_mag = bool(m1) or (arabic and n1[-1] in MAG_CHARS)
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
            value += HALF
            number = None
        elif mod == "over":
            plus = True
        elif mod == "x10":
            if value > 10:
                return None
            value *= TEN
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
        lend = magnitude(n1, m1) if (m1 or n1[-1] in BIG) else ONE
    else:
        lend = None
    return _tuple_new(
        Found,
        (-qlen, end, kind, number, lower, upper, label, qual, lend, None, tr is not None),
    )
