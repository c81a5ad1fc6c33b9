"""Ranges for the quantity extractor: written ranges (0至18岁, 1.5万至2万名, 20%—30%),
approximate pairs (三四十人 = "thirty or forty people") and 数 + magnitude (数万元 =
"several ten-thousand yuan").  Each gives a :class:`~aidstats.extract_spec.Found` of kind
``range`` with both bounds, or None.
"""

from __future__ import annotations

from aidstats.extract_lexicon import TRAILING_QUALIFIERS, UNITS, Unit
from aidstats.extract_regex import Groups
from aidstats.extract_spec import (
    ARABIC,
    NO_QUAL,
    ONE,
    QUAL_LAST,
    TEN,
    Found,
    has_digit,
    has_mag,
    magnitude,
    number_value,
    prefix_qualifier,
)
from aidstats.numerals import normalize_digits, parse_numeral, parse_pair, small_int, to_number

__all__ = ["pair_spec", "range_spec", "several_spec"]


# --------------------------------------------------------------------------- approximate


def _approx_span(qual: str | None, qlen: int) -> int:
    """How far before the match an approximate form's span starts: a prefix 约/大约 is
    part of it; another qualifier (超, 近) cannot qualify a guess and stays out."""
    return qlen if qual == "approx" else 0


def pair_spec(n1: str, unit: Unit | None, qual: str | None, qlen: int, end: int) -> Found | None:
    """三四十人, 七八万元, 十一二岁: "x or y", an approximate range of the two readings."""
    bounds = parse_pair(n1)
    if bounds is None:
        return None
    label, cls, mod = unit if unit is not None else (None, "amount", "")
    lower, upper = bounds
    if cls == "month" or cls == "day" or mod == "half" or mod == "over":
        return None  # 三四月, 七八日: months and days, not counts
    if mod == "x10":
        lower, upper = lower * TEN, upper * TEN  # 七八成
    ds = -_approx_span(qual, qlen)
    return Found(ds, end, "range", None, to_number(lower), to_number(upper), label, "approx",
                 None, None, False)  # fmt: skip


def several_spec(n1: str, u1: str | None, left: str, end: int) -> Found | None:
    """数十, 数百, 数万元: "several" of a magnitude, from 2 to 9 of it; the upper bound is
    exclusive like 多/余's (数万 → [20000, 100000)).  ``n1`` is the magnitude after 数 and
    ``left`` the text before 数; the span starts at 数 (or at a 约 before it)."""
    mag = parse_numeral(n1)
    if mag is None:
        return None
    unit = UNITS.get(u1) if u1 else None
    if u1 is not None and unit is None:
        unit = (u1, "amount", "")  # an open measure word (数万锭)
    if unit is not None and (unit[1] in ("month", "day", "admin", "reject") or unit[2]):
        return None
    qual, qlen, _ = prefix_qualifier(left) if left[-1:] in QUAL_LAST else NO_QUAL
    label = unit[0] if unit is not None else None
    lower, upper = to_number(2 * mag), to_number(10 * mag)
    ds = -1 - _approx_span(qual, qlen)
    return Found(ds, end, "range", None, lower, upper, label, "approx", None, None, False)


# --------------------------------------------------------------------------- ranges


def range_spec(g: Groups, n1: str, left: str, length: int) -> Found | None:
    """A range (0至18岁, 1.5万至2万名, 20%—30%), or None if it is not one."""
    rs, n2, m1, m2 = g.rs, g.n2, g.m1, g.m2
    assert rs is not None and n2 is not None
    if g.dt or left[-1:] == "第" or g.s1 or g.s2:
        return None  # a date after it, an ordinal, or 多/余 inside: not a plain range
    a1, a2 = n1[0] in ARABIC, n2[0] in ARABIC
    if left[-1:] == "数" or (g.u1 is not None and g.u1 not in UNITS):
        return None  # 数十至数百, 3眼至5眼: read each part on its own
    unit1 = UNITS.get(g.u1) if g.u1 else None
    unit2 = UNITS.get(g.u2) if g.u2 else None
    if not _range_units(unit1, unit2, n1, n2, a1, a2, m1, m2, rs):
        return None
    if not a1 and not a2 and not has_digit(n1) and not has_digit(n2):
        return None
    v1 = number_value(normalize_digits(n1) if a1 else n1)
    v2 = number_value(normalize_digits(n2) if a2 else n2)
    if v1 is None or v2 is None:
        return None
    mult2 = magnitude(n2, m2)
    v2 *= number_value(m2) if m2 else ONE
    if m1:
        v1 *= number_value(m1)
    elif mult2 != ONE and not has_mag(n1):
        v1 *= mult2  # 1.5至2万 = 15000 to 20000
    mod = unit2[2] if unit2 is not None else ""
    if mod == "x10":
        if v1 > 10 or v2 > 10:
            return None
        v1, v2 = v1 * TEN, v2 * TEN
    elif mod in ("half", "over"):
        return None
    if v1 > v2:
        return None
    qual, qlen, _ = prefix_qualifier(left)
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
    return unit2 is not None or bool(m2) or has_mag(n2) or rs in ("至", "到")
