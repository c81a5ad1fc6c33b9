"""The specs of the quantity extractor and the helpers its rule modules share.

A candidate match of the master regex is turned (by :mod:`aidstats.extract_analysis` and
:mod:`aidstats.extract_ranges`) into a *spec*: a :class:`Found` mention, a
:class:`DateFound` date still to be resolved against the publication date and the dates
before it, a :class:`Split` (a range mark that did not make a range: the first number
alone, then the scan goes on at the second), a :class:`Skip` (an idiom: nothing inside
counts), or None (not a quantity).  Offsets in a spec are relative to the match start
(``ds`` is negative when a prefix qualifier such as 超 or 约 stands before the match).

The helpers read a prefix qualifier, turn numerals into values (cached), and give the
bounds of a qualifier.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from aidstats.extract_lexicon import PREFIX_QUALIFIERS, QUALIFIER_NOT_BEFORE
from aidstats.numerals import (
    MAX_NUMERAL_CHARS,
    last_digit_unit,
    normalize_digits,
    parse_numeral,
    parse_plain_decimal,
    to_number,
)

__all__ = [
    "ARABIC",
    "BIG",
    "CACHE_SPAN",
    "HALF",
    "MAG_CHARS",
    "NO_QUAL",
    "ONE",
    "QUAL_LAST",
    "TEN",
    "VALUES",
    "DateFound",
    "Found",
    "Skip",
    "Spec",
    "Split",
    "bounds",
    "has_digit",
    "has_mag",
    "magnitude",
    "number_value",
    "plus_upper",
    "plus_upper_of",
    "prefix_qualifier",
    "value_of",
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


ARABIC = frozenset("0123456789０１２３４５６７８９")
MAG_CHARS = frozenset("十百千万亿拾佰仟")
BIG = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
ONE = Decimal(1)
HALF = Decimal("0.5")
TEN = Decimal(10)
#: Numeral strings longer than this are analysed each time, never cached.
CACHE_SPAN = 48

# the last character of every prefix qualifier: a cheap test before prefix_qualifier
QUAL_LAST = frozenset(w[-1] for w in PREFIX_QUALIFIERS)
NO_QUAL: tuple[str | None, int, bool] = (None, 0, False)


# --------------------------------------------------------------------------- helpers


def has_digit(s: str) -> bool:
    """Whether a numeral has a character other than 十百千万亿 (a digit)."""
    return not MAG_CHARS.issuperset(s)


def prefix_qualifier(left: str) -> tuple[str | None, int, bool]:
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
                return NO_QUAL
            return q, size, q == "over"
    return NO_QUAL


def bounds(
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
            return n, plus_upper_of(value, n)
        return n, None
    return None, n


@lru_cache(maxsize=4096)  # a pure function of the value
def plus_upper(value: Decimal) -> int | float:
    """The upper bound of 30多 / 1.5万余: one unit of the last non-zero digit more."""
    return to_number(value + last_digit_unit(value))


_INT_BOUND = 10**18  # numerals.to_number's limit for an int


def plus_upper_of(value: Decimal | None, number: int | float) -> int | float:
    """:func:`plus_upper` of ``value``, given ``number == to_number(value)``: for an
    integer (the commonest case: 30多, 1.5万余) worked in Python ints, with exactly the
    result the Decimal arithmetic gives, which a value never seen would cost ~1 µs.
    ``value`` may be None when ``number`` is an int with 0 < number < 10**17 (the upper
    is then below 2 * 10**17, so the Decimal is never needed)."""
    if type(number) is int and number:
        n, unit = number, 1
        while not n % 10:
            n //= 10
            unit *= 10
        upper = number + unit
        if -_INT_BOUND < upper < _INT_BOUND:
            return upper
    assert value is not None, "plus_upper_of needs the value of this number"
    return plus_upper(value)


VALUES: dict[str, tuple[Decimal | None, int | float | None]] = {}
_VALUES_MAX = 16_384


def value_of(n1: str, arabic: bool) -> tuple[Decimal | None, int | float | None]:
    """(value, value as int or float) of a numeral string, cached by the string (the
    caller looks in ``VALUES`` first).  Plain Arabic numbers (2021, 4.5) and Arabic
    numbers with one magnitude (17.3万) skip the full parser."""
    if len(n1) > MAX_NUMERAL_CHARS:
        return (None, None)
    if arabic:
        digits = normalize_digits(n1)
        if digits.isdigit() and digits.isascii():
            parsed: tuple[Decimal | None, int | float | None] = (Decimal(digits), int(digits))
        else:
            big = BIG.get(digits[-1])
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
        if len(VALUES) >= _VALUES_MAX:
            VALUES.clear()
        VALUES[n1] = parsed
    return parsed


def number_value(raw: str) -> Decimal | None:
    """Parse a numeral string (the regex guarantees its characters)."""
    if len(raw) > MAX_NUMERAL_CHARS:
        return None
    return parse_numeral(raw)


def magnitude(n1: str, m1: str | None) -> Decimal:
    """The multiplier written after the digits: 万 in 17.3万, 亿 in 5亿, 1 otherwise."""
    if not m1 and n1[-1] in BIG and n1[-2:-1] not in BIG:
        return BIG[n1[-1]]  # one magnitude (17.3万): the product below, at once
    mult = ONE
    i = len(n1)
    while i > 0 and n1[i - 1] in BIG:
        i -= 1
    for ch in n1[i:]:
        mult *= BIG[ch]
    for ch in m1 or "":
        mult *= BIG[ch]
    return mult


def has_mag(n: str) -> bool:
    """Whether a numeral ends in 万 or 亿."""
    return n[-1] in BIG
