"""The master regex of the quantity extractor, built once from the lexicon.

One compiled pattern finds every candidate (a number with its qualifiers and unit, a
relative year, 半年, 百分之三十, a quoted name or an idiom to swallow whole).  Its first item
is a single character class, so the regex engine skips ordinary text in C; every repeat
is possessive or bounded, so nothing backtracks; and a numeral run never starts right
after a numeral character, so a megabyte of digits is one candidate, not a million.

:class:`Groups` names the capture groups in the pattern's order: the scan unpacks
``match.groups()`` straight into those names, and an import-time check keeps the two in
step.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from aidstats.extract_lexicon import (
    IDIOMS,
    OPEN_UNIT_STOP,
    PREFIX_QUALIFIERS,
    TRAILING_QUALIFIERS,
    UNITS,
)

__all__ = ["MASTER", "MD_SRC", "NUM_START_CHARS", "QUOTES", "Groups"]

_D = "0-9０-９"
_CD = "一二三四五六七八九两壹贰叁肆伍陆柒捌玖"  # Chinese digits 1-9
_CZ = "〇零"
_MAG = "十百千万亿拾佰仟"
_RUN = f"[{_D}{_CD}{_CZ}{_MAG}]"
_REL_FIRST = "去今前明同次翌"
QUOTES = '“‘「『"《'
_NP = "，。！？；：,!?;"  # sentence punctuation: a quoted span holding it is a quotation
_MAX_NAME = 30  # characters of a quoted name, page breaks included
#: Characters that may open a number (financial forms 壹贰叁… are read inside a numeral
#: but never open one: 队伍, 陆续).
NUM_START_CHARS = "一二三四五六七八九两十百千万亿半"
_START = f"[{_D}{NUM_START_CHARS}{_REL_FIRST}{QUOTES}]"
_DD = f"(?:[{_D}]{{1,2}}+|[一二三四五六七八九十]{{1,3}}+)"  # a month or day number
MD_SRC = f"{_DD}月(?:{_DD}[日号])?+"

# The commonest units first: the regex engine tries the branches of an alternation in
# order (each a one-character test), so frequent units are found sooner.
_COMMON_FIRST = "个元名年月日%人家项次天户所位吨亩平万亿多余批场期台座只头节种条米公小分千周岁倍成"


def _rank(ch: str) -> tuple[int, str]:
    """Sort key putting common unit characters first."""
    i = _COMMON_FIRST.find(ch)
    return (i if i >= 0 else len(_COMMON_FIRST), ch)


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


_UNIT_RE = _trie_regex(sorted(UNITS))

# An open measure word (160万锭): one CJK character that is not in the lexicon, not a
# numeral or a function word, and ends the phrase (punctuation, the end, 的/和/、 or a
# trailing 以上/左右 follows), so that the first character of a noun (400万粉丝, 2.0工程)
# is never taken for one.  The Python side decides whether the number may take it.
_OPEN_STOP = "".join(sorted(set(OPEN_UNIT_STOP) | set(NUM_START_CHARS) | set(_REL_FIRST)))
_PHRASE_END = "[，。、；：！？,.;:!?）)」』”’》\\s]|$|[的和与及或等]|" + "|".join(
    TRAILING_QUALIFIERS
)
# the CJK test first: most characters after a number without a unit are punctuation
_OPEN_UNIT_RE = f"[\u3400-\u9fff](?<![{re.escape(_OPEN_STOP)}])(?={_PHRASE_END})"

# Names: a short quoted span without sentence punctuation (“122”, ‘万亩亿元’, “一园一校”),
# a quoted couplet (a slogan: see _couplet) or a book title (《…》).  The master regex
# matches them as a whole, so the numerals inside are consumed and never read as
# quantities.  Each branch is bounded, so an unclosed mark stays local; a long or
# punctuated quotation that is no couplet does not match, and the scan goes on inside it,
# where its figures count and a short nested name (‘最后一公里’) is found in turn.
_NUM_CHARS = f"{_D}一二三四五六七八九两十百千万亿半{_REL_FIRST}"


def _quoted(open_mark: str, close_mark: str, limit: int, extra: str = "") -> str:
    """A quoted span holding a numeral; quotes without one need no suppressing."""
    body = f"[^{open_mark}{close_mark}{extra}]"
    # the body cannot hold the closing mark, so giving back a character never lets it
    # close: the possessive repeat fails at once instead of backing off ``limit`` times
    # a numeral before any mark or punctuation: the characters up to it, possessively
    ahead = f"(?=[^{open_mark}{close_mark}{extra}{_NUM_CHARS}]{{0,{limit - 1}}}+[{_NUM_CHARS}])"
    return f"(?<={open_mark}){ahead}{body}{{1,{limit}}}+{close_mark}"


def _couplet(open_mark: str, close_mark: str) -> str:
    """A quoted slogan: two to four clauses of the same length (3 to 9 characters) joined
    by ，；、 and perhaps closed by 。！ — “三年援疆路，一生援疆情。”.  Parallel clauses
    of equal length (对仗) mark a slogan or couplet, not speech; a quotation introduced by
    a colon (他说：“…”) is speech whatever its shape."""
    clause = f"[^{open_mark}{close_mark}{_NP}\\s]"
    shapes = "|".join(f"{clause}{{{n}}}(?:[，；、,;]{clause}{{{n}}}){{1,3}}" for n in range(3, 10))
    # every shape opens with a clause of 3 to 9 characters and a separator: one test of
    # that first turns most quotations down before the seven shapes are tried (the
    # same matches, with ~5% less time in the master regex on the articles)
    first = f"(?={clause}{{3,9}}[，；、,;])"
    return (
        f"(?<={open_mark})(?<![：:]{open_mark}){first}"
        f"(?=[^{close_mark}{_NUM_CHARS}]{{0,40}}+[{_NUM_CHARS}])"
        f"(?:{shapes})[。！!]?{close_mark}"
    )


_NAME_SRC = "|".join(
    [
        _quoted("“", "”", _MAX_NAME, _NP),
        _couplet("“", "”"),
        _couplet("「", "」"),
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


_RANGE_MARKS = "至到~～〜—–－-"  # "-" last: it stays a literal in a character class
_RATIO_MARKS = ":：∶"
# every character that may start what follows a number's unit: a range mark, a ratio
# mark, a month or day (after 年 or 月), 底/末, or a trailing qualifier
_TAIL_FIRST = (
    f"[{_RANGE_MARKS[:-1]}{_RATIO_MARKS}{_D}一二三四五六七八九十底末"
    f"{''.join(sorted({w[0] for w in TRAILING_QUALIFIERS}))}-]"
)
_NUMBER_TAIL = f"(?:,[0-9]{{3}}+(?![0-9]))*+(?:[.．][{_D}]++[{_MAG}]*+)?+"
_TRAIL = "|".join(TRAILING_QUALIFIERS)
# the last character of every prefix qualifier, 上 (上万) and 数 (数十, 数百万: several)
_QUAL_ENDS = "".join(sorted({w[-1] for w in PREFIX_QUALIFIERS} | {"上", "数"}))

# Where a number may start: a guard that drops the commonest non-numeric uses of 一 and
# of a bare 十百千万 (一批, 十城百店) before any Python runs.
_GUARD = (
    "(?:"
    f"(?<=[{_D}二三四五六七八九两])"
    f"|(?<=一)(?=[{_CZ}二三四五六七八九两十百千万亿至到]|个[多半]?(?:月|小时)|年|倍)"
    "|(?<=十)(?=年|个月|天|月)"
    f"|(?<=[{_MAG}])(?={_RUN}|[余多至到])"
    # 上万, 逾千, 近百: a bare magnitude after a qualifier is a count; 数万: several
    f"|(?<=[{_QUAL_ENDS}][十百千万亿])"
    # 万人次以上, 五十开外: a bare magnitude with a trailing qualifier is a count
    f"|(?<=[百千万亿])(?=(?:{_UNIT_RE})?+(?:{_TRAIL}))"
    ")"
)

_MASTER_SRC = (
    # one character class first: the engine scans plain text in C
    f"{_START}"
    "(?:"
    # a quoted name or a book title, swallowed whole; group 1, so that the scan knows it
    # by ``m.lastindex == 1`` (the one match whose last group is the first)
    f"(?<=[{QUOTES}])(?P<name>{_NAME_SRC})"
    # nothing below starts at a quote: one test turns a quotation that is no name away
    # instead of the dozen that each branch would make (the same matches, faster)
    f"|(?<![{QUOTES}])(?:"
    # an idiom or set phrase (五花八门, 两个一百年), swallowed whole
    f"(?P<idiom>{_idiom_regex(IDIOMS)})"
    # never start inside a numeral run
    f"|(?<!{_RUN}.)(?:"
    # 去年, 今年, 同年 ... with an optional month/day or 底/末
    f"(?<=[{_REL_FIRST}])年(?P<rd>[底末]|{MD_SRC})?+"
    # 半年, 半个月, 半小时
    "|(?<=半)(?P<hu>个(?:小时|钟头|月)|小时|钟头|年)"
    # 百分之三十
    f"|(?<=百)分之(?P<pc>{_RUN}++(?:[.．][{_D}]++)?+)(?P<pt>以上|左右)?+"
    # a number
    f"|{_GUARD}"
    f"(?P<n1>{_RUN}*+{_NUMBER_TAIL})"
    # each run of optional parts behind a one-character test of what may start it, so
    # that a number with nothing after it skips them at once (the same matches, faster)
    "(?:(?=[余多万亿])(?P<s1>[余多])?+(?P<m1>[万亿]{1,2}+)?+)?+"
    f"(?P<u1>{_UNIT_RE}|{_OPEN_UNIT_RE})?+"
    f"(?:(?={_TAIL_FIRST})"
    "(?:"
    f"(?P<rs>[{_RANGE_MARKS}]{{1,2}}+)"
    f"(?P<n2>[{_D}{_CD}{_MAG}]{_RUN}*+{_NUMBER_TAIL})"
    f"(?P<s2>[余多])?+(?P<m2>[万亿]{{1,2}}+)?+(?P<u2>{_UNIT_RE})?+"
    f"|(?P<ra>[{_RATIO_MARKS}][{_D}]++(?:[.．][{_D}]++)?+)"
    ")?+"
    f"(?P<dt>(?<=年)(?:[底末]|{MD_SRC})|(?<=月){_DD}[日号])?+"
    f"(?P<tr>{_TRAIL})?+"
    ")?+"
    ")))"
)

#: The master pattern (see the module docstring).
MASTER = re.compile(_MASTER_SRC)


class Groups(NamedTuple):
    """The capture groups of :data:`MASTER`, in the pattern's order."""

    name: str | None  # a quoted name or a book title (without its opening mark)
    idiom: str | None  # an idiom swallowed whole
    rd: str | None  # month/day or 底 after a relative year (去年8月)
    hu: str | None  # the unit after 半 (半年, 半个月)
    pc: str | None  # the numeral of 百分之三十
    pt: str | None  # 以上/左右 after 百分之…
    n1: str | None  # the first number, without its first character
    s1: str | None  # 多/余 after it
    m1: str | None  # 万/亿 after 多/余
    u1: str | None  # its unit or measure word
    rs: str | None  # a range mark (至, 到, -, —, ～)
    n2: str | None  # the second number of a range
    s2: str | None
    m2: str | None
    u2: str | None
    ra: str | None  # :3 of a ratio 1:3
    dt: str | None  # the month/day of a date after 年 or 月
    tr: str | None  # a trailing qualifier (以上, 左右, 上下, 开外)


if Groups._fields != tuple(MASTER.groupindex) or MASTER.groupindex["name"] != 1:
    raise AssertionError("the groups of MASTER changed: update Groups")
