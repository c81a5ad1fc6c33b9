"""The quantity extractor: every figure in a Chinese news text, with its span and value.

``extract_quantities(text, published=...)`` returns one :class:`Quantity` per mention of an
amount (4.5亿元, 70余名), percentage (91.7%, 八成), ratio (1:1, 2倍), range (0至18岁),
duration (三年, 6个月) or date (2021年8月13日, 去年底), following the conventions of
``docs/quantity-conventions.md``: the span covers prefix qualifier, number, 多/余, unit
and trailing 以上/左右; values are in base units; bounds follow the qualifier.

Why it is built this way
------------------------
The texts are long and mostly CJK, and the extractor must stay fast and linear on any
input (it is judged on articles it has never seen), so:

* ONE compiled master regex, scanned with ``finditer``.  Its first item is a single
  character class (digits, Chinese numerals, 半, the first characters of relative years,
  opening quotes), so the regex engine skips ordinary text in C.  Every repeat is
  possessive or bounded, so nothing backtracks, and a numeral run never starts right
  after a numeral character, so a megabyte of digits or of 一 is one candidate, not a
  million.
* Cheap rejection inside the regex: a lone 一 only opens a candidate before another
  numeral, 个月/小时, 年 or 倍 (一批, 一起, 一系列 never reach Python), a bare 十/百/千/万
  only before a numeral, 余/多 or after a qualifier (上万, 逾千), and ordinal 第, idioms
  and labels are turned down on the few characters around the match.
* Names are not quantities.  The master regex swallows a short quoted span holding a
  numeral and no sentence punctuation (“122”模式, ‘万亩亿元’, “一园一校”), a book title
  (《…》) and a small lexicon of idioms (五花八门, 两个一百年) whole, so nothing inside
  them is read.  The branches are bounded: an unclosed quote stays local, and a long or
  punctuated quotation is speech, whose figures count.
* Light Python per candidate: the analysis depends only on the match and three
  characters before / two after it, so it is cached under that window (a bounded dict);
  the numeric parse (:mod:`aidstats.numerals`) is cached too; mentions are built by
  filling the slots directly.
* Context beyond one candidate is handled while the results are collected: relative
  dates (去年, 同年, 4月28日) against the publication date and the last date mentioned, a
  trailing 以上/左右 shared by a coordination (20000头和50000只以上), and bare numbers that
  take the magnitude and unit of the last member of a list (300、500和800万元).
"""

from __future__ import annotations

import calendar
import datetime as dt
import gc
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from aidstats.extract_lexicon import (
    AFTER_YEAR_WORD,
    APPROX_NOT_BEFORE,
    BARE_FOLLOWERS,
    CONNECTORS,
    IDIOMS,
    NEAR_NOT_BEFORE,
    OVER_NOT_BEFORE,
    QUAL_LONG,
    QUAL_SHORT,
    REL_YEAR_NOT_BEFORE,
    REL_YEARS,
    UNIT_NOUN_AFTER,
    UNITS,
)
from aidstats.numerals import (
    MAX_NUMERAL_CHARS,
    last_digit_unit,
    normalize_digits,
    parse_digit_string,
    parse_numeral,
    parse_plain_decimal,
    to_number,
)

__all__ = ["KINDS", "QUALIFIERS", "Quantity", "extract_quantities"]

KINDS = ("amount", "percent", "ratio", "range", "duration", "date")
QUALIFIERS = ("exact", "over", "near", "approx")


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity mention: ``text == source[start:end]``; see the module docstring."""

    start: int
    end: int
    text: str
    kind: str
    value: float | str | None
    lower: float | None
    upper: float | None
    unit: str | None
    qualifier: str

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (for JSON)."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
            "value": self.value,
            "lower": self.lower,
            "upper": self.upper,
            "unit": self.unit,
            "qualifier": self.qualifier,
        }


# A frozen dataclass's __init__ goes through object.__setattr__ once per field; the
# extractor builds tens of thousands of them per megabyte, so it fills the slots
# directly (same result, a third of the cost).
_new = object.__new__
(_set_start, _set_end, _set_text, _set_kind, _set_value, _set_lower, _set_upper, _set_unit,
 _set_qualifier) = (getattr(Quantity, f).__set__ for f in Quantity.__slots__)  # fmt: skip


def _make(
    start: int,
    end: int,
    text: str,
    kind: str,
    value: float | str | None,
    lower: float | None,
    upper: float | None,
    unit: str | None,
    qualifier: str,
) -> Quantity:
    """A Quantity built by filling its slots (the fields of the dataclass, in order)."""
    q = _new(Quantity)
    _set_start(q, start)
    _set_end(q, end)
    _set_text(q, text)
    _set_kind(q, kind)
    _set_value(q, value)
    _set_lower(q, lower)
    _set_upper(q, upper)
    _set_unit(q, unit)
    _set_qualifier(q, qualifier)
    return q


# --------------------------------------------------------------------------- the regex

_D = "0-9０-９"
_CD = "一二三四五六七八九两壹贰叁肆伍陆柒捌玖"  # Chinese digits 1-9
_CZ = "〇零"
_MAG = "十百千万亿拾佰仟"
_RUN = f"[{_D}{_CD}{_CZ}{_MAG}]"
_REL_FIRST = "去今前明同次翌"
_QUOTES = '“‘「『"《'
_NP = "，。！？；：,!?;"  # sentence punctuation: a quoted span holding it is a quotation
_MAX_NAME = 30  # characters of a quoted name, page breaks included
# financial forms (壹贰叁…) are read inside a numeral but never open one: 队伍, 陆续
_START = f"[{_D}一二三四五六七八九两十百千万亿半{_REL_FIRST}{_QUOTES}]"
_DD = f"(?:[{_D}]{{1,2}}+|[一二三四五六七八九十]{{1,3}}+)"  # a month or day number
_MD = f"{_DD}月(?:{_DD}[日号])?+"


# The commonest units first: the regex engine tries the branches of an alternation in
# order (each a one-character test), so frequent units are found sooner.
_COMMON_FIRST = "个元名年月日%人家项次天户所位吨亩平万亿多余批场期台座只头节种条米公小分千周岁倍成"


def _trie_regex(words: list[str]) -> str:
    """An alternation of ``words`` as a prefix tree: longest match, no backtracking."""
    tree: dict[str, Any] = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        order = sorted((ch for ch in node if ch), key=_rank)
        branches = [re.escape(ch) + emit(node[ch]) for ch in order]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return emit(tree)


def _rank(ch: str) -> tuple[int, str]:
    """Sort key putting common unit characters first."""
    i = _COMMON_FIRST.find(ch)
    return (i if i >= 0 else len(_COMMON_FIRST), ch)


_UNIT_RE = _trie_regex(sorted(UNITS))

# Names: a short quoted span without sentence punctuation (“122”, ‘万亩亿元’, “一园一校”)
# or a book title (《…》).  The master regex matches them as a whole, so the numerals
# inside are consumed and never read as quantities.  Each branch is bounded, so an
# unclosed mark stays local; a long or punctuated quotation does not match, and the scan
# goes on inside it, where its figures count and a short nested name (‘最后一公里’) is
# found in turn.
_NUM_CHARS = f"{_D}一二三四五六七八九两十百千万亿半{_REL_FIRST}"


def _quoted(open_mark: str, close_mark: str, limit: int, extra: str = "") -> str:
    """A quoted span holding a numeral; quotes without one need no suppressing."""
    body = f"[^{open_mark}{close_mark}{extra}]"
    return (
        f"(?<={open_mark})(?={body}{{0,{limit - 1}}}?[{_NUM_CHARS}]){body}{{1,{limit}}}{close_mark}"
    )


_NAME_SRC = "|".join(
    [
        _quoted("“", "”", _MAX_NAME, _NP),
        _quoted("‘", "’", _MAX_NAME, _NP),
        _quoted("「", "」", _MAX_NAME, _NP),
        _quoted("『", "』", _MAX_NAME, _NP),
        _quoted('"', '"', _MAX_NAME, _NP + "\\n"),
        _quoted("《", "》", 80),
    ]
)


def _idiom_regex(idioms: tuple[str, ...]) -> str:
    """Idioms grouped by their first character, each behind a lookbehind on it."""
    by_first: dict[str, list[str]] = {}
    for idiom in idioms:
        by_first.setdefault(idiom[0], []).append(re.escape(idiom[1:]))
    firsts = "".join(sorted(by_first))
    seconds = "".join(sorted({idiom[1] for idiom in idioms}))
    branches = "|".join(
        f"(?<={re.escape(first)})(?:{'|'.join(sorted(rests, key=len, reverse=True))})"
        for first, rests in sorted(by_first.items())
    )
    # two one-character tests first, so that ordinary numerals pass by quickly
    return f"(?<=[{re.escape(firsts)}])(?=[{re.escape(seconds)}])(?:{branches})"


_IDIOM_SRC = _idiom_regex(IDIOMS)

_NUMBER_TAIL = f"(?:,[0-9]{{3}}+(?![0-9]))*+(?:[.．][{_D}]++[{_MAG}]*+)?+"

_MASTER_SRC = (
    # one character class first: the engine scans plain text in C
    f"{_START}"
    "(?:"
    # a quoted name or a book title, swallowed whole
    f"(?<=[{_QUOTES}])(?:{_NAME_SRC})"
    # an idiom or set phrase (五花八门, 两个一百年), swallowed whole
    f"|(?P<idiom>{_IDIOM_SRC})"
    # never start inside a numeral run
    f"|(?<!{_RUN}.)(?:"
    # 去年, 今年, 同年 ... with an optional month/day or 底/末
    f"(?<=[{_REL_FIRST}])年(?P<rd>[底末]|{_MD})?+"
    # 半年, 半个月, 半小时
    "|(?<=半)(?P<hu>个(?:小时|钟头|月)|小时|钟头|年)"
    # 百分之三十
    f"|(?<=百)分之(?P<pc>{_RUN}++(?:[.．][{_D}]++)?+)(?P<pt>以上|左右)?+"
    # a number, with a guard that drops the commonest non-numeric uses of 一 and 十百千万
    "|(?:"
    f"(?<=[{_D}二三四五六七八九两])"
    f"|(?<=一)(?=[{_CZ}二三四五六七八九十百千万亿至到]|个[多半]?(?:月|小时)|年|倍)"
    "|(?<=十)(?=年|个月|天)"
    f"|(?<=[{_MAG}])(?={_RUN}|[余多至到])"
    # 上万, 逾千, 近百: a bare magnitude after a qualifier is a count
    "|(?<=[上超逾近约过][十百千万亿])"
    ")"
    f"(?P<n1>{_RUN}*+{_NUMBER_TAIL})"
    f"(?P<s1>[余多])?+(?P<m1>[万亿]{{1,2}}+)?+(?P<u1>{_UNIT_RE})?+"
    "(?:"
    "(?P<rs>[至到~～〜—–－-]{1,2}+)"
    f"(?P<n2>[{_D}{_CD}{_MAG}]{_RUN}*+{_NUMBER_TAIL})"
    f"(?P<s2>[余多])?+(?P<m2>[万亿]{{1,2}}+)?+(?P<u2>{_UNIT_RE})?+"
    f"|(?P<ra>[:：∶][{_D}]++(?:[.．][{_D}]++)?+)"
    ")?+"
    f"(?P<dt>(?<=年)(?:[底末]|{_MD})|(?<=月){_DD}[日号])?+"
    "(?P<tr>以上|左右)?+"
    "))"
)
_MASTER = re.compile(_MASTER_SRC)
# indices into ``match.groups()`` (a group's number minus one)
(_G_IDIOM, _G_RD, _G_HU, _G_PC, _G_PT, _G_N1, _G_S1, _G_M1, _G_U1, _G_RS, _G_N2, _G_S2, _G_M2,
 _G_U2, _G_RA, _G_DT, _G_TR) = (_MASTER.groupindex[name] - 1 for name in (
    "idiom", "rd", "hu", "pc", "pt", "n1", "s1", "m1", "u1", "rs", "n2", "s2", "m2", "u2", "ra",
    "dt", "tr"))  # fmt: skip
if (_G_N1, _G_S1, _G_M1, _G_U1, _G_RS, _G_RA, _G_DT, _G_TR, len(_MASTER.groupindex)) != (
    5,
    6,
    7,
    8,
    9,
    14,
    15,
    16,
    17,
):  # _scan unpacks match.groups() in this order
    raise AssertionError("the groups of _MASTER changed order: update _scan")

# --------------------------------------------------------------------------- analysis
#
# A candidate's analysis is a "spec": (ds, de, kind, value, lower, upper, unit, qualifier,
# flags, give), with ds/de offsets from the match start.  ``give`` is (multiplier, unit,
# kind) for a number that may lend its magnitude and unit to bare numbers before it
# (300、500和800万元), else None.  flags (0 for most mentions):
_F_DATE = 1  # value is a date spec (mode, year or offset, month, day), resolved later
_F_BARE = 2  # a bare Arabic number: give holds its Decimal value
_F_TRAIL = 8  # a trailing 以上/左右 shared by a coordination (20000头和50000只以上)
_F_SPLIT = 16  # not a range after all: value is the first part's spec, give the offset
_F_SKIP = 32  # an idiom: nothing to report, but nothing inside it counts either

_ARABIC = frozenset("0123456789０１２３４５６７８９")
_MAG_CHARS = frozenset(_MAG)
_BIG = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
_ONE = Decimal(1)
_HALF = Decimal("0.5")
_TEN = Decimal(10)
_ASCII_LABEL_BEFORE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#+-_/.")
_ASCII_LABEL_AFTER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#+＋_")
_LIST_BEFORE = frozenset(
    ["", "\n", "\r", "　", " ", "\t", "。", "；", ";", "！", "？", "!", "?", "：", ":"]
)
_RANGE_MARKS = frozenset(["至", "到", "~", "～", "〜", "—", "——", "–", "－", "-"])
_LONE_ONE_NOT_BEFORE = frozenset("每这那哪同某前后第另当头上下")
_LONE_ONE_NOT_AFTER_YEAR = frozenset("一四到")
_HALF_NOT_BEFORE = frozenset("上下前后多大每")
_OVER_DROP_AFTER = frozenset("次项个种家名人位元所批")


def _has_digit(s: str) -> bool:
    """Whether a numeral has a character other than 十百千万亿 (a digit)."""
    return not _MAG_CHARS.issuperset(s)


# the last character of every prefix qualifier: a cheap test before _prefix
_QUAL_LAST = frozenset([w[-1] for w in QUAL_LONG] + list(QUAL_SHORT))


def _prefix(left: str) -> tuple[str | None, int, bool]:
    """A qualifier written just before the number: (qualifier, its length, open-ended)."""
    two = left[-2:]
    q = QUAL_LONG.get(two)
    if q is not None:
        if two == "超过" and left[-3:-2] == "不":
            return "near", 3, False
        return q, 2, q == "over"
    one = left[-1:]
    q = QUAL_SHORT.get(one)
    if q is None:
        return None, 0, False
    before = left[-2:-1]
    if one == "近" and before in NEAR_NOT_BEFORE:
        return None, 0, False
    if one == "约" and before in APPROX_NOT_BEFORE:
        return None, 0, False
    if one == "超":
        if before == "不":
            return "near", 2, False
        if before in OVER_NOT_BEFORE:
            return None, 0, False
    return q, 1, q == "over"


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
            return n, to_number(value + last_digit_unit(value))
        return n, None
    return None, n


_VALUES: dict[str, tuple[Decimal | None, int | float | None]] = {}
_VALUES_MAX = 16_384


def _value_of(n1: str, arabic: bool) -> tuple[Decimal | None, int | float | None]:
    """(value, value as int or float) of a numeral string, cached by the string."""
    if arabic:
        digits = normalize_digits(n1)
        value = parse_plain_decimal(digits)  # 2021, 4.5: no need for the full parser
        if value is None:
            value = _number_value(digits)
    else:
        value = _number_value(n1)
    if value is None:
        parsed = (None, None)
    elif arabic and len(digits) < 19 and digits.isdigit() and digits.isascii():
        parsed = (value, int(digits))  # what to_number gives, without the Decimal tests
    else:
        parsed = (value, to_number(value))
    if len(n1) <= _CACHE_SPAN:
        if len(_VALUES) >= _VALUES_MAX:
            _VALUES.clear()
        _VALUES[n1] = parsed
    return parsed


@lru_cache(maxsize=4096)  # a pure function of the value
def _plus_upper(value: Decimal) -> int | float:
    """The upper bound of 30多 / 1.5万余: one unit of the last digit more."""
    return to_number(value + last_digit_unit(value))


def _number_value(raw: str) -> Decimal | None:
    """Parse a numeral string (the regex guarantees its characters)."""
    if len(raw) > MAX_NUMERAL_CHARS:
        return None
    return parse_numeral(raw)


@lru_cache(maxsize=4096)  # a pure function of short strings / small ints
def _year_value(raw: str) -> int | None:
    """A four-digit year written in Arabic or Chinese digits, else None."""
    if len(raw) != 4:
        return None
    if raw[0] in _ARABIC:
        s = normalize_digits(raw)
        if not s.isdigit():
            return None
        y = int(s)
        return y if 1000 <= y <= 2999 else None
    return parse_digit_string(raw)


@lru_cache(maxsize=4096)  # a pure function of short strings / small ints
def _small_int(raw: str) -> int | None:
    """A month or day number (Arabic or Chinese), else None."""
    if len(raw) > 4:
        return None
    s = normalize_digits(raw)
    if s.isdigit():
        return int(s)
    v = parse_numeral(raw)
    return int(v) if v is not None and v == v.to_integral_value() else None


@lru_cache(maxsize=4096)  # a pure function of short strings / small ints
def _month_day(md: str | None) -> tuple[int | None, int | None] | None:
    """(month, day) from 8月13日 / 8月 / 底 / None; None if the numbers are impossible."""
    if not md:
        return None, None
    if md in ("底", "末"):
        return 12, None
    month_s, _, rest = md.partition("月")
    month = _small_int(month_s)
    if month is None or not 1 <= month <= 12:
        return None
    day = None
    if rest:
        day = _small_int(rest[:-1])
        if day is None or not 1 <= day <= 31:
            return None
    return month, day


def _analyse(m: re.Match[str], left: str, right: str) -> tuple | None:
    """The spec of one candidate match, from the match and its context only."""
    g = m.groups()  # a tuple indexed by the _G_* constants: cheaper than groupdict()
    n1 = g[_G_N1]
    if n1 is not None:
        n1 = m.string[m.start()] + n1
        if g[_G_RS] is None:
            return _single(n1, g[_G_S1], g[_G_M1], g[_G_U1], g[_G_RA], g[_G_DT], g[_G_TR],
                           left, right, m.end() - m.start())  # fmt: skip
        return _numeric(g, n1, left, right, m.end() - m.start())
    matched = m.group()
    if g[_G_IDIOM] is not None:
        return _skip(len(matched))
    if g[_G_PC] is not None:
        return _percent_words(g, left, len(matched))
    if g[_G_HU] is not None:
        return _half(g[_G_HU], left, right, len(matched))
    return _relative_year(matched[0] + "年", g[_G_RD], left, right, len(matched))


def _skip(length: int) -> tuple:
    """A span that holds no mention and must not be scanned again (an idiom)."""
    return (0, length, "", None, None, None, None, "", _F_SKIP, None)


def _relative_year(word: str, rd: str | None, left: str, right: str, length: int) -> tuple | None:
    """去年, 今年5月, 同年12月, 去年底: a date relative to the publication or last year."""
    if left[-1:] in REL_YEAR_NOT_BEFORE[word]:
        return None
    if rd is None and right[:1] in AFTER_YEAR_WORD:
        return None
    md = _month_day(rd)
    if md is None:
        # an impossible month: keep the bare relative year
        length = 2
        md = (None, None)
    mode, delta = REL_YEARS[word]
    value = (mode, delta, md[0], md[1])
    return (0, length, "date", value, None, None, None, "exact", _F_DATE, None)


def _half(hu: str, left: str, right: str, length: int) -> tuple | None:
    """半年, 半个月, 半小时: a duration of one half."""
    if left[-1:] in _HALF_NOT_BEFORE:
        return None
    if hu == "年" and right[:1] in AFTER_YEAR_WORD:
        return None
    unit = UNITS[hu][0] if hu in UNITS else hu
    qual, qlen, open_ended = _prefix(left)
    qual = qual or "exact"
    lower, upper = _bounds(_HALF, qual, False, open_ended)
    return (-qlen, length, "duration", 0.5, lower, upper, unit, qual, 0, None)


def _percent_words(g: tuple, left: str, length: int) -> tuple | None:
    """百分之三十: a percentage written in words."""
    value = _number_value(g[_G_PC])
    if value is None:
        return None
    qual, qlen, open_ended = _prefix(left)
    qual = qual or "exact"
    if g[_G_PT] == "以上":
        qual, open_ended = "over", True
    elif g[_G_PT] == "左右":
        qual = "approx"
    lower, upper = _bounds(value, qual, False, open_ended)
    return (-qlen, length, "percent", to_number(value), lower, upper, "%", qual, 0, None)


def _numeric(g: tuple, n1: str, left: str, right: str, length: int) -> tuple | None:
    """A number with a range mark after it: a range, or a range that splits."""
    s1, m1, u1 = g[_G_S1], g[_G_M1], g[_G_U1]
    rs = g[_G_RS]
    # the end of the first part (number, 多/余, magnitude, unit)
    end1 = len(n1) + len(s1 or "") + len(m1 or "") + len(u1 or "")
    spec = _range(g, n1, left, right, end1, length)
    if spec is not None:
        return spec
    # not a range: the first part alone, then the second part from scratch
    after = (rs + g[_G_N2])[:2]
    first_spec = _single(n1, s1, m1, u1, None, None, None, left, after, end1)
    return (0, end1, "", first_spec, None, None, None, "", _F_SPLIT, end1 + len(rs))


def _single(
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
) -> tuple | None:
    """A single number with its qualifiers and unit (not a range)."""
    arabic = n1[0] in _ARABIC
    if (
        not arabic
        and u1 is None
        and ra is None
        and not (s1 or m1)
        and "万" not in n1
        and "亿" not in n1
    ):
        return None  # 三交, 两地: a numeral without a measure word (see below)
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
    if before in _QUAL_LAST:
        qual, qlen, open_ended = _prefix(left)
    else:
        qual, qlen, open_ended = None, 0, False
    if bare_mag and not s1:
        # a bare 十/百/千/万 is a name (十城百店, 百场义诊) unless 上万, 逾千, 十年
        if before == "上" and len(n1) == 1 and n1 in "百千万亿" and left[-2:-1] != "千":
            qual, qlen, open_ended = "over", 1, True
        elif qual is None and not (n1 == "十" and u1 in ("年", "个月", "天")):
            return None
    unit = UNITS.get(u1) if u1 else None
    if unit is not None and not (dt_part or tr):
        nouns = UNIT_NOUN_AFTER.get(u1)
        if nouns is not None and right[:1] in nouns:
            return None  # 5部门, 三年级: a noun, not a measure word
        if u1 == "年多" and right[:1] in _OVER_DROP_AFTER:
            # 10年多次: 多次 is "many times"
            u1, unit, end = "年", UNITS["年"], end - 1
    if not arabic and n1[0] == "一" and len(n1) == 1:
        # a lone 一 counts only time (一年, 一个月) and 一倍
        if before in _LONE_ONE_NOT_BEFORE:
            return None
        if u1 in ("年", "年多", "年半") and right[:1] in _LONE_ONE_NOT_AFTER_YEAR:
            return None
    # Arabic 5千克 / 5千瓦 / 5百分点: the 千/百 belongs to the unit
    extra_end = 0
    if arabic and n1[-1] in "千百" and not s1 and not m1:
        if n1[-1] == "千" and u1 in ("克", "米"):
            n1, u1, unit = n1[:-1], "千" + u1, UNITS["千" + u1]
        elif n1[-1] == "千" and u1 is None and right[:1] in ("瓦", "伏"):
            extra_end = 2 if right[:2] == "瓦时" else 1
            u1 = "千" + right[:extra_end]
            n1, unit = n1[:-1], UNITS[u1]
        elif n1[-1] == "百" and u1 is None and right[:2] == "分点":
            n1, u1, unit, extra_end = n1[:-1], "百分点", UNITS["百分点"], 2
    cls = unit[1] if unit is not None else None
    if cls == "reject":
        return None
    if cls == "year":
        if right[:1] in AFTER_YEAR_WORD and not dt_part:
            return None  # 三年级, 80年代
        # dates written with a year or a month; a date's span ends with the date (a
        # trailing 左右 is left out: 2000年左右 is still the date 2000)
        year = _year_value(n1) if qual is None and not s1 and not m1 else None
        if year is not None:
            md = _month_day(dt_part)
            date_end = len(n1) + len(u1 or "")
            if md is None:
                md = (None, None)
            elif dt_part:
                date_end += len(dt_part)
            spec_value = ("abs", year, md[0], md[1])
            return (0, date_end, "date", spec_value, None, None, None, "exact", _F_DATE, None)
    elif cls == "month" or cls == "day":
        if not arabic:
            return None  # 三月, 一日: too often words (一日三餐)
        plain = qual is None and not s1 and not m1
        if plain and tr:
            end -= len(tr)
        if cls == "month":
            # 8月, 4月28日: a month of the publication year
            md = _month_day(n1 + "月" + (dt_part or "")) if plain else None
            if md is None:
                return None
            return (0, end, "date", ("md", 0, md[0], md[1]), None, None, None, "exact",
                    _F_DATE, None)  # fmt: skip
        day = _small_int(n1) if plain else None
        if day is not None and 1 <= day <= 31:
            # 13日: a day of the month last mentioned
            return (0, end, "date", ("lastym", 0, None, day), None, None, None, "exact",
                    _F_DATE, None)  # fmt: skip
        # otherwise a count of days (1000多日)
    # the value
    parsed = _VALUES.get(n1)
    if parsed is None:
        parsed = _value_of(n1, arabic)
    value, number = parsed
    if value is None:
        return None
    if m1:
        mult = _number_value(m1)
        if mult is None:
            return None
        value *= mult
        number = None
    has_mag = bool(m1) or (arabic and n1[-1] in _MAG_CHARS)
    plus = bool(s1)
    start = -qlen
    end += extra_end
    if ra is not None and unit is None and not (s1 or m1 or has_mag):
        denom = _number_value(normalize_digits(ra[1:]))
        if denom is None or denom == 0:
            return None
        ratio = float(value / denom)
        return (0, end, "ratio", ratio, ratio, ratio, None, "exact", 0, None)
    if unit is None:
        if not arabic:
            if not ((has_mag or any(ch in "万亿" for ch in n1)) or s1):
                return None  # 三交, 两地: a numeral without a measure word
            kind, label = "amount", None
        elif not (has_mag or s1 or tr or qual):
            # a bare Arabic number: a label (2.0工程, 122模式) unless a list or a sentence
            # goes on after it
            if right[:1] not in BARE_FOLLOWERS and right:
                return None
            if before in _LIST_BEFORE and right[:1] in ("、", ".", "．"):
                return None  # 1、 at the head of a line or sentence: a list number
            if before in ("(", "（") and right[:1] in (")", "）"):
                return None
            digits = normalize_digits(n1)
            if digits.isdigit() and (len(digits) >= 9 or (digits[0] == "0" and len(digits) > 1)):
                return None  # phone numbers, codes and IDs are written this way, figures not
            return (0, end, "amount", number, number, number, None, "exact", _F_BARE, value)
        else:
            kind, label = "amount", None
    else:
        label, cls, mod = unit
        if mod:
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
        kind = "duration" if cls == "year" or cls == "day" else cls
    if tr is None:
        pass
    elif tr == "以上":
        qual, open_ended = "over", True
    elif tr == "左右":
        qual = "approx"
    if plus and qual != "near" and qual != "approx":
        qual = "over"
    if number is None:
        number = to_number(value)
    # the bounds (as _bounds, on the number already converted)
    if qual is None or qual == "exact":
        qual = "exact"
        lower = upper = number
    elif qual == "over":
        if plus and not open_ended:
            lower, upper = number, _plus_upper(value)
        else:
            lower, upper = number, None
    elif qual == "approx":
        lower = upper = None
    else:
        lower, upper = None, number
    flags = _F_TRAIL if tr is not None else 0
    if has_mag or label is not None:
        mult = _magnitude(n1, m1) if (m1 or n1[-1] in _BIG) else _ONE
        give = (mult, label, kind)
    else:
        give = None
    return (start, end, kind, number, lower, upper, label, qual, flags, give)


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


def _range(g: tuple, n1: str, left: str, right: str, end1: int, length: int) -> tuple | None:
    """A range (0至18岁, 1.5万至2万名, 20%—30%), or None if it is not one."""
    rs, n2, s2, m2, u2 = g[_G_RS], g[_G_N2], g[_G_S2], g[_G_M2], g[_G_U2]
    s1, m1, u1 = g[_G_S1], g[_G_M1], g[_G_U1]
    if g[_G_DT] or left[-1:] == "第" or s1 or s2:
        return None  # a date after it, an ordinal, or 多/余 inside: not a plain range
    a1, a2 = n1[0] in _ARABIC, n2[0] in _ARABIC
    unit1 = UNITS.get(u1) if u1 else None
    unit2 = UNITS.get(u2) if u2 else None
    if unit1 is not None and unit1[1] in ("month", "day", "reject"):
        return None  # 3月至5月: two dates
    if unit2 is not None and unit2[1] in ("day", "reject"):
        return None
    if unit2 is not None and unit2[1] == "month":
        # 1至10月: a span of months of one year
        if not (a1 and a2) or m1 or m2:
            return None
        lo, hi = _small_int(n1), _small_int(n2)
        if lo is None or hi is None or not 1 <= lo < hi <= 12:
            return None
    if unit1 is not None and (unit2 is None or unit1[0] != unit2[0]):
        return None
    if unit2 is not None and unit2[1] == "year" and unit1 is not None:
        return None  # 2020年至2022年: two dates
    if unit2 is None and not (m2 or _has_mag(n2)) and rs not in ("至", "到"):
        return None  # 0997-1234567, 2021-08: codes, not ranges
    if not a1 and not a2 and _bare(n1) and _bare(n2):
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
    tr = g[_G_TR]
    if tr == "以上":
        qual = "over"
    elif tr == "左右":
        qual = "approx"
    label = unit2[0] if unit2 is not None else None
    return (-qlen, length, "range", None, to_number(v1), to_number(v2), label, qual or "exact",
            0, None)  # fmt: skip


def _has_mag(n: str) -> bool:
    """Whether a numeral ends in 万 or 亿."""
    return n[-1] in _BIG


def _bare(n: str) -> bool:
    """Whether a numeral is only magnitude characters (十, 百万)."""
    return not _has_digit(n)


# --------------------------------------------------------------------------- the scan

_MISS = object()
_QUOTE_SET = frozenset(_QUOTES)
_CACHE: dict[Any, Any] = {}
_CACHE_MAX = 65_536  # entries; each key is at most _CACHE_SPAN + 5 characters
_CACHE_SPAN = 48  # longer matches (a megabyte of digits) are analysed, not cached
_LEFT = 3
_RIGHT = 2


def _spec_for(m: re.Match[str], text: str) -> tuple | None:
    """The spec of a match, cached unless the match is overlong."""
    s, e = m.span()
    lo = max(0, s - _LEFT)
    if e - s > _CACHE_SPAN:
        return _analyse(m, text[lo:s], text[e : e + _RIGHT])
    key = (s - lo, e - s, text[lo : e + _RIGHT])
    spec = _CACHE.get(key, _MISS)
    if spec is _MISS:
        spec = _analyse(m, text[lo:s], text[e : e + _RIGHT])
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[key] = spec
    return spec


@lru_cache(maxsize=4096)  # a pure function of short strings / small ints
def _iso(year: int | None, month: int | None, day: int | None) -> str | None:
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


def extract_quantities(text: str, *, published: dt.date | None = None) -> list[Quantity]:
    """Every quantity mention in ``text``, sorted by start and non-overlapping.

    ``published`` anchors relative dates (去年, 今年5月, 4月28日); without it they keep a
    null value.  Offsets are Python string indices into ``text``.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    # The mentions hold no reference cycles; pausing the cyclic garbage collector while
    # tens of thousands of them are made saves it from rescanning them again and again.
    gc_was_enabled = gc.isenabled()
    if gc_was_enabled:
        gc.disable()
    try:
        return _scan(text, published.year if published is not None else None)
    finally:
        if gc_was_enabled:
            gc.enable()


def _scan(text: str, pub_year: int | None) -> list[Quantity]:
    """The body of :func:`extract_quantities`: one pass of the master regex."""
    out: list[Quantity] = []
    bare: dict[int, Decimal] = {}  # index in out -> value, for bare numbers
    # [publication year, year of the last date, month of the last date]
    state: list[int | None] = [pub_year, None, None]
    last_end = 0
    # local names for the hot loop
    cache = _CACHE
    cache_get = cache.get
    miss = _MISS
    quotes = _QUOTE_SET
    new = _new
    set_start, set_end, set_text, set_kind = _set_start, _set_end, _set_text, _set_kind
    set_value, set_lower, set_upper = _set_value, _set_lower, _set_upper
    set_unit, set_qualifier = _set_unit, _set_qualifier
    append = out.append
    single = _single
    cache_max = _CACHE_MAX
    f_bare = _F_BARE
    quantity = Quantity
    n = len(text)
    for m in _MASTER.finditer(text):
        s, e = m.span()
        if s < last_end:
            continue
        if text[s] in quotes:
            last_end = e  # a quoted name or a title: nothing inside it counts
            continue
        # the analysis depends only on the match and 3/2 characters around it
        if s >= 3 and e + 2 <= n and e - s <= 48:
            key = text[s - 3 : e + 2]
            spec = cache_get(key, miss)
            if spec is miss:
                # the groups in _MASTER's order (checked where the _G_* indices are made)
                _, _, _, _, _, n1, s1, m1, u1, rs, _, _, _, _, ra, dt_part, tr = m.groups()
                if n1 is not None and rs is None:
                    # the commonest candidate, a single number: _analyse without the detour
                    spec = single(text[s] + n1, s1, m1, u1, ra, dt_part, tr, text[s - 3 : s],
                                  text[e : e + 2], e - s)  # fmt: skip
                else:
                    spec = _analyse(m, text[s - 3 : s], text[e : e + 2])
                if len(cache) >= cache_max:
                    cache.clear()
                cache[key] = spec
        else:
            spec = _spec_for(m, text)
        if spec is None:
            continue
        ds, de, kind, value, lower, upper, unit, qual, flags, give = spec
        if flags and flags != f_bare:
            last_end = _emit(text, s, spec, out, bare, state, last_end)
            continue
        start = s + ds
        if start < last_end:
            if s < last_end:
                continue
            start = s  # the qualifier belongs to the previous mention
        end = s + de
        q = new(quantity)
        set_start(q, start)
        set_end(q, end)
        set_text(q, text[start:end])
        set_kind(q, kind)
        set_value(q, value)
        set_lower(q, lower)
        set_upper(q, upper)
        set_unit(q, unit)
        set_qualifier(q, qual)
        if give is not None:
            if flags:  # _F_BARE: give is the bare value
                bare[len(out)] = give
            elif bare and len(out) - 1 in bare:  # _lend's own first test, without the call
                _lend(text, out, bare, start, give)
        append(q)
        last_end = end
    return out


def _emit(
    text: str,
    s: int,
    spec: tuple,
    out: list[Quantity],
    bare: dict[int, Decimal],
    state: list[int | None],
    last_end: int,
) -> int:
    """Append the mention(s) of a spec with flags (dates, bare numbers, shared 以上, split
    ranges) to ``out``; return the new end of the last mention."""
    while spec[8] & _F_SPLIT:
        # a failed range: the first part, then a fresh match at the second number (a
        # loop, not recursion: 1月至2月至3月… chains)
        first, offset = spec[3], spec[9]
        if first is not None:
            last_end = _emit_one(text, s, first, out, bare, state, last_end)
        s += offset
        nxt = _MASTER.match(text, s)
        if nxt is None or s < last_end:
            return last_end
        spec = _spec_for(nxt, text)
        if spec is None:
            return last_end
    return _emit_one(text, s, spec, out, bare, state, last_end)


def _emit_one(
    text: str,
    s: int,
    spec: tuple,
    out: list[Quantity],
    bare: dict[int, Decimal],
    state: list[int | None],
    last_end: int,
) -> int:
    """Append the mention of one (non-split) spec; return the new last end."""
    ds, de, kind, value, lower, upper, unit, qual, flags, give = spec
    if flags & _F_SKIP:
        return max(last_end, s + de)
    start = s + ds
    if start < last_end:
        if s < last_end:
            return last_end
        start = s
    end = s + de
    if flags & _F_DATE:
        if value[0] == "md" and out:
            # 2021年8月1日至10月5日: the month after a range mark keeps the first year
            prev = out[-1]
            if (
                prev.kind == "date"
                and isinstance(prev.value, str)
                and text[prev.end : start] in _RANGE_MARKS
            ):
                value = ("abs", int(prev.value[:4]), value[2], value[3])
        value = _resolve_date(value, state)
    q = _make(start, end, text[start:end], kind, value, lower, upper, unit, qual)
    if flags & _F_BARE:
        bare[len(out)] = give
    elif give is not None and bare:
        _lend(text, out, bare, start, give)
    if flags & _F_TRAIL:
        _share_trailing(text, out, start, qual)
    out.append(q)
    return end


def _resolve_date(spec: tuple, state: list[int | None]) -> str | None:
    """The ISO value of a date spec; updates the last-date state (for 同年, 13日)."""
    mode, a, month, day = spec
    pub_year, last_year, last_month = state
    if mode == "abs":
        year = a
    elif mode in ("pub", "md"):
        year = pub_year + a if pub_year is not None else None
    elif mode == "last":
        year = last_year + a if last_year is not None else None
    else:  # a bare day (13日): the year and month of the last date
        year, month = last_year, last_month
    value = None if month is None and day is not None else _iso(year, month, day)
    if value is None:
        state[1] = state[2] = None
    else:
        state[1], state[2] = year, month
    return value


def _connected(text: str, prev: Quantity, start: int) -> bool:
    """Whether only a coordinating word (和, 、, 及 ...) separates two mentions."""
    return text[prev.end : start] in CONNECTORS


def _lend(
    text: str, out: list[Quantity], bare: dict[int, Decimal], start: int, give: tuple
) -> None:
    """300、500和800万元: the bare numbers before take the magnitude and unit."""
    mult, unit, kind = give
    i = len(out) - 1
    while i >= 0 and i in bare and _connected(text, out[i], start):
        p = out[i]
        v = to_number(bare.pop(i) * mult)
        out[i] = _make(p.start, p.end, p.text, kind, v, v, v, unit, "exact")
        start = p.start
        i -= 1


def _share_trailing(text: str, out: list[Quantity], start: int, qual: str) -> None:
    """A以及B以上: a trailing 以上/左右 qualifies every number of the coordination."""
    i = len(out) - 1
    while i >= 0 and _connected(text, out[i], start):
        p = out[i]
        if p.kind not in ("amount", "percent", "duration") or p.qualifier != "exact":
            break
        v = p.value
        lower, upper = (v, None) if qual == "over" else (None, None)
        out[i] = _make(p.start, p.end, p.text, p.kind, v, lower, upper, p.unit, qual)
        start = p.start
        i -= 1
