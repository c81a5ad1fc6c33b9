"""Chinese and Arabic numeral parsing for the quantity extractor.

News texts write numbers as Arabic digits (``4.5``, ``1,250``, full-width ``１２３``), as
Chinese numerals (``三``, ``一万二千``, ``两亿``, ``二〇二一``) and as mixtures of both
(``4.5亿``, ``1万2千``).  :func:`parse_numeral` turns any of these into an exact
:class:`~decimal.Decimal`, or ``None`` when the string is not a well-formed numeral
(``十四五``, ``百千万``, ``一一``): such strings are names, not numbers, and the extractor
relies on that refusal.

Results are cached: a corpus repeats the same number strings again and again.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

__all__ = [
    "ARABIC_DIGITS",
    "CHINESE_DIGITS",
    "MAGNITUDES",
    "last_digit_unit",
    "month_day",
    "normalize_digits",
    "parse_digit_string",
    "parse_numeral",
    "parse_pair",
    "parse_plain_decimal",
    "small_int",
    "to_number",
    "year_value",
]

#: Full-width digits and separators to their ASCII forms.
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")

ARABIC_DIGITS = frozenset("0123456789０１２３４５６７８９")

#: Chinese digit characters (including financial forms and 两).
CHINESE_DIGITS: dict[str, int] = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}

#: Small units (within a 万 section) and large magnitudes.
_SMALL: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_LARGE: dict[str, int] = {"万": 10_000, "亿": 100_000_000}
MAGNITUDES: dict[str, int] = {**_SMALL, **_LARGE}

#: Longest numeral string worth parsing; anything longer is not a figure in a text.
MAX_NUMERAL_CHARS = 32


def normalize_digits(s: str) -> str:
    """Full-width digits, point and comma to ASCII."""
    return s if s.isascii() else s.translate(_FULLWIDTH)


@lru_cache(maxsize=8192)
def parse_digit_string(s: str) -> int | None:
    """A string of Chinese digits read digit by digit (``二〇二一`` -> 2021), else None."""
    if not s or len(s) > 8:
        return None
    n = 0
    for ch in s:
        d = CHINESE_DIGITS.get(ch)
        if d is None or ch == "两":
            return None
        n = n * 10 + d
    return n


def _arabic_prefix(s: str) -> tuple[Decimal | None, int]:
    """Parse a leading Arabic number (ASCII after normalisation); return (value, length)."""
    i, n = 0, len(s)
    while i < n and ((s[i].isascii() and s[i].isdigit()) or s[i] in ",."):
        i += 1
    if i == 0:
        return None, 0
    body = s[:i]
    if "," in body:
        head, *groups = body.split(",")
        last = groups[-1]
        if "." in last:
            last, _, frac = last.partition(".")
            groups[-1] = last
            if not frac.isdigit():
                return None, 0
        if not (1 <= len(head) <= 3 and head.isdigit()) or (len(head) > 1 and head[0] == "0"):
            return None, 0
        if any(len(g) != 3 or not g.isdigit() for g in groups):
            return None, 0
        body = body.replace(",", "")
    if body.count(".") > 1 or body.startswith(".") or body.endswith("."):
        return None, 0
    return Decimal(body), i


_ZERO = Decimal(0)


def parse_plain_decimal(s: str) -> Decimal | None:
    """The value of a plain ASCII number (``2021``, ``4.5``), exactly as
    :func:`parse_numeral` gives it, or None if ``s`` is anything else (or too long)."""
    if len(s) > MAX_NUMERAL_CHARS or not s.isascii():
        return None
    # [0-9]+(?:\.[0-9]+)? in string tests (ASCII, so isdigit means 0-9): ~2x a regex
    head, dot, tail = s.partition(".")
    if not head.isdigit() or (dot and not tail.isdigit()):
        return None
    value = Decimal(s)
    # the same arithmetic as parse_numeral's result (0 + value, or 0 for a zero)
    return _ZERO + value if value else _ZERO


@lru_cache(maxsize=16384)
def parse_numeral(raw: str) -> Decimal | None:
    """The value of an Arabic, Chinese or mixed numeral, or None if it is not well formed.

    >>> parse_numeral("4.5亿"), parse_numeral("一万二千"), parse_numeral("十四五")
    (Decimal('450000000.0'), Decimal('12000'), None)
    """
    if not raw or len(raw) > MAX_NUMERAL_CHARS:
        return None
    s = normalize_digits(raw)
    plain = parse_plain_decimal(s)
    if plain is not None:
        return plain
    return _parse_mixed(s)


class _Large:
    """The state a 万 or 亿 closes: everything above the current 亿 group (``total``), the
    万 group of the current 亿 group (``wan``) and the magnitudes seen in it."""

    __slots__ = ("seen", "total", "wan")

    def __init__(self) -> None:
        self.total = Decimal(0)
        self.wan = Decimal(0)
        self.seen: set[int] = set()

    def close(self, unit: int, group: Decimal, pending: bool, any_digit: bool) -> bool:
        """Apply 万 or 亿 to ``group`` (the section below it); False if ill-formed.
        ``pending``: a digit stands right before the magnitude."""
        if unit == 10_000:
            if 10_000 in self.seen:
                return False
            if group == 0:
                if self.wan != 0 or self.total != 0 or any_digit:
                    return False
                group = Decimal(1)  # a bare 万 (万余)
            self.wan = group * unit
            self.seen.add(10_000)
            return True
        if 100_000_000 in self.seen and self.wan == 0 and group == 0 and not pending:
            return False
        group = self.wan + group
        if group == 0:
            if self.total != 0 or any_digit:
                return False
            group = Decimal(1)  # a bare 亿
        self.total = (self.total + group) * unit
        self.wan = Decimal(0)
        self.seen = {100_000_000}
        return True


def _parse_mixed(s: str) -> Decimal | None:
    """The value of a Chinese or mixed numeral (ASCII digits already normalised)."""
    large = _Large()
    section = Decimal(0)  # the part below 万
    number: Decimal | None = None  # the pending digit(s)
    last_small = 10_000  # small units must decrease within a section
    last_unit = 0  # the last unit seen, for 一万二 (= 12000)
    last_explicit = False  # whether that unit had a digit of its own
    zero_pending = any_digit = False
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        if ch.isascii() and ch.isdigit():
            if number is not None:
                return None
            number, used = _arabic_prefix(s[i:])
            if number is None:
                return None
            any_digit = True
            i += used
            continue
        d = CHINESE_DIGITS.get(ch)
        if d == 0:
            if number is not None and number != 0:
                return None
            zero_pending, number = True, None
        elif d is not None:
            if number is not None:
                return None
            number, any_digit = Decimal(d), True
        elif ch in _SMALL:
            unit = _SMALL[ch]
            if unit >= last_small:
                return None
            last_explicit = number is not None
            if number is None:
                # a bare 十/百/千 (十五, 百余) only at the very head of the numeral
                if section != 0 or zero_pending or large.wan != 0 or large.total != 0:
                    return None
                if any_digit:
                    return None
                number = Decimal(1)
            section += number * unit
            number, last_small, last_unit, zero_pending = None, unit, unit, False
        elif ch in _LARGE:
            unit = _LARGE[ch]
            group = section + (number or 0)
            last_explicit = number is not None or group != 0
            if not large.close(unit, group, number is not None, any_digit):
                return None
            section, number, last_small, last_unit, zero_pending = _ZERO, None, 10_000, unit, False
        else:
            return None
        i += 1
    if number is not None and last_unit and not zero_pending and number == number.to_integral():
        # abbreviated tail: 一万二 = 12000, 三百五 = 350
        if 1 <= number <= 9 and last_unit >= 100 and last_explicit:
            number = number * (last_unit // 10)
        elif last_unit != 10:  # 十五 = 15: the digit is the ones place
            return None
    return large.total + large.wan + section + (number or 0)


#: A digit's value in an approximate pair (两 counts as 2: 两三天, 一两个).
_PAIR_DIGITS = {ch: d for ch, d in CHINESE_DIGITS.items() if ch in "一二两三四五六七八九"}


@lru_cache(maxsize=4096)
def parse_pair(raw: str) -> tuple[Decimal, Decimal] | None:
    """The two readings of an approximate "x or y" numeral, or None if it is not one.

    Two adjacent Chinese digits a, a+1 (两 = 2) stand for "a or a+1" at the magnitude
    that follows them; anything before them must be a numeral ending in a magnitude
    (十一二 = 11 or 12, 一百五六十 = 150 or 160), anything after them only magnitudes.

    >>> parse_pair("三四十"), parse_pair("十一二")
    ((Decimal('30'), Decimal('40')), (Decimal('11'), Decimal('12')))
    """
    if len(raw) > MAX_NUMERAL_CHARS:
        return None
    pairs = [
        i
        for i in range(len(raw) - 1)
        if raw[i] in _PAIR_DIGITS
        and raw[i + 1] in _PAIR_DIGITS
        and _PAIR_DIGITS[raw[i + 1]] == _PAIR_DIGITS[raw[i]] + 1
    ]
    if len(pairs) != 1:
        return None
    i = pairs[0]
    head, tail = raw[:i], raw[i + 2 :]
    if (head and head[-1] not in MAGNITUDES) or not all(ch in MAGNITUDES for ch in tail):
        return None  # 一二三, 二三四十: a longer run of digits is no pair
    lower = parse_numeral(head + raw[i] + tail)
    upper = parse_numeral(head + raw[i + 1] + tail)
    if lower is None or upper is None or not lower < upper:
        return None
    return lower, upper


# --------------------------------------------------------------------------- dates


@lru_cache(maxsize=4096)
def year_value(raw: str) -> int | None:
    """A four-digit year written in Arabic or Chinese digits, else None."""
    if len(raw) != 4:
        return None
    if raw[0] in ARABIC_DIGITS:
        s = normalize_digits(raw)
        if not s.isdigit():
            return None
        y = int(s)
        return y if 1000 <= y <= 2999 else None
    return parse_digit_string(raw)


@lru_cache(maxsize=4096)
def small_int(raw: str) -> int | None:
    """A month or day number (Arabic or Chinese), else None."""
    if len(raw) > 4:
        return None
    s = normalize_digits(raw)
    if s.isdigit():
        return int(s)
    v = parse_numeral(raw)
    return int(v) if v is not None and v == v.to_integral_value() else None


@lru_cache(maxsize=4096)
def month_day(md: str | None) -> tuple[int | None, int | None] | None:
    """(month, day) from 8月13日 / 8月 / 底 / None; None if the numbers are impossible."""
    if not md:
        return None, None
    if md in ("底", "末"):
        return 12, None
    month_s, _, rest = md.partition("月")
    month = small_int(month_s)
    if month is None or not 1 <= month <= 12:
        return None
    day = None
    if rest:
        day = small_int(rest[:-1])
        if day is None or not 1 <= day <= 31:
            return None
    return month, day


def last_digit_unit(value: Decimal) -> Decimal:
    """One unit of the last non-zero digit: 37680 -> 10, 6.0e7 -> 1e7, 1.5e4 -> 1e3."""
    if value == 0:
        return Decimal(1)
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(1).scaleb(exponent)


_INT_LIMIT = Decimal(10**18)


def to_number(value: Decimal) -> int | float:
    """An int when the value is integral (and not huge), else a float."""
    if -_INT_LIMIT < value < _INT_LIMIT:
        numerator, denominator = value.as_integer_ratio()  # one call: is it integral
        if denominator == 1:
            return numerator
    return float(value)
