"""The period a figure covers, from the time expressions around it.

Time expressions are read in the sentence of the number (the nearest one before it, else
the first after it), then in its paragraph, then in the article's frame (title and first
two paragraphs), and resolved against the publication date at its precision, the way
``data/raw/README.md`` tells a person to: 三年来 in an article of January 2023 is
2020–2022 cumulative; 去年 is the previous year; 今年1—9月 is months 1 to 9 of the
publication year; 截至目前, 现有, 存栏 are a point at publication; "十三五"期间 is
2016–2020.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from aidstats.numerals import parse_numeral

_N = r"[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3}"
_SEP = r"[—\-－–~～至到]"
FIVE_YEAR_PLANS = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}
POINT_CUES = (
    "截至目前",
    "截至",
    "目前",
    "现在",
    "现有",
    "已有",
    "至今",
    "存栏",
    "现存",
    "在建",
    "在岗",
    "已入驻",
    "已投产",
    "已建成",
    "已开通",
)


@dataclass(frozen=True)
class Period:
    start: str | None  # None: a distance, an age — no period at all
    end: str | None
    type: str  # cumulative | annual | point
    evidence: str


@dataclass(frozen=True)
class Published:
    """A publication date at its precision (year, month or day)."""

    iso: str

    @property
    def year(self) -> int:
        return int(self.iso[:4])

    @property
    def month(self) -> int | None:
        return int(self.iso[5:7]) if len(self.iso) >= 7 else None

    def frame_end(self) -> int:
        """Last full year of an "N years so far" frame: the year before when published
        in January or February (三年来 in Jan 2023 ends with 2022)."""
        month = self.month
        return self.year - 1 if month is not None and month <= 2 else self.year


def _num(text: str) -> int | None:
    value = parse_numeral(text)
    return int(value) if value is not None else None


def _part_of_year(m: re.Match[str], *, pub: Published) -> Period | None:
    """前10个月, 上半年, 前三季度, 二季度: months of one year, cumulative."""
    y = pub.year
    year = int(m["y"]) if m["y"] else (y - 1 if m["rel"] == "去年" else y)
    if m["half"]:
        a, b = (1, 6) if m["half"] == "上" else (7, 12)
    elif m["q"]:
        q = _num(m["q"])
        if not q or q > 4:
            return None
        a, b = (1 if m["first"] else 3 * q - 2), 3 * q
    else:
        n = _num(m["n"])
        if not n or n > 12:
            return None
        a, b = 1, n
    return Period(f"{year}-{a:02d}", f"{year}-{b:02d}", "cumulative", m[0])


def _patterns(pub: Published) -> list[tuple[re.Pattern[str], object]]:
    y = pub.year

    def months(m: re.Match[str]) -> Period | None:
        year = int(m["y"]) if m["y"] else (y - 1 if m["rel"] == "去年" else y)
        a, b = _num(m["a"]), _num(m["b"])
        if not a or not b or not 1 <= a <= b <= 12:
            return None
        return Period(f"{year}-{a:02d}", f"{year}-{b:02d}", "cumulative", m[0])

    def span_years(m: re.Match[str]) -> Period | None:
        a, b = int(m["a"]), int(m["b"])
        return Period(str(a), str(b), "cumulative", m[0]) if a <= b else None

    def n_years(m: re.Match[str]) -> Period | None:
        n = _num(m["n"])
        if not n or n > 30:
            return None
        end = pub.frame_end()
        return Period(str(end - n + 1), str(end), "cumulative", m[0])

    def plan(m: re.Match[str]) -> Period:
        first = FIVE_YEAR_PLANS[m["p"]]
        if m["s"] in ("以来", "来"):
            return Period(str(first), str(max(first, pub.frame_end())), "cumulative", m[0])
        return Period(str(first), str(first + 4), "cumulative", m[0])

    def year(m: re.Match[str]) -> Period:
        iso = m["y"]
        if m["m"]:
            iso += f"-{int(m['m']):02d}" + (f"-{int(m['d']):02d}" if m["d"] else "")
        if m["s"] in ("以来", "来"):
            end = pub.iso if m["m"] else str(max(pub.frame_end(), int(m["y"])))
            return Period(iso, end, "cumulative", m[0])
        if m["s"] in ("底", "末") or m["d"]:
            return Period(iso, iso, "point", m[0])
        return Period(iso, iso, "cumulative" if m["m"] else "annual", m[0])

    def relative(m: re.Match[str]) -> Period:
        word = m["r"]
        # 全年 told in January or February is the year just ended (a year-end review)
        whole = pub.frame_end()
        base = {"今年": y, "去年": y - 1, "前年": y - 2, "当年": y, "本年": y, "全年": whole}[word]
        if m["s"] == "以来":
            return Period(str(base), str(y), "cumulative", m[0])
        if m["s"] in ("底", "末"):
            return Period(f"{base}-12", f"{base}-12", "point", m[0])
        if word in ("今年", "本年") and pub.month is not None:
            # the year so far, even in December: a review of 28 December is not the year's
            return Period(str(base), str(base), "cumulative", m[0])
        return Period(str(base), str(base), "annual", m[0])

    def point(m: re.Match[str]) -> Period:
        return Period(str(pub.year), str(pub.year), "point", m[0])

    def since(m: re.Match[str]) -> Period:
        return Period(m["y"], str(max(pub.frame_end(), int(m["y"]))), "cumulative", m[0])

    return [
        (re.compile(r"(?:自|从)?(?P<y>(?:19|20)\d{2})年[^，,。；;！？\d]{1,30}?以来"), since),
        (
            re.compile(
                rf"(?:(?P<y>(?:19|20)\d{{2}})年|(?P<rel>今年|去年))?"
                rf"(?:前(?P<n>{_N})个?月|(?P<half>[上下])半年"
                rf"|(?P<first>前)?第?(?P<q>[一二三四1-4])季度)"
            ),
            functools.partial(_part_of_year, pub=pub),
        ),
        (
            re.compile(
                rf"(?:(?P<y>\d{{4}})年|(?P<rel>今年|去年))?(?P<a>{_N})月?{_SEP}(?P<b>{_N})月"
            ),
            months,
        ),
        (re.compile(rf"(?P<a>\d{{4}})年?{_SEP}(?P<b>\d{{4}})年"), span_years),
        (re.compile(r"[“\"]?(?P<p>十[一二三四五]五)[”\"]?(?P<s>期间|以来|时期|来)"), plan),
        (
            re.compile(
                r"(?P<y>(?:19|20)\d{2})年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?)?"
                r"(?P<s>以来|来|底|末)?"
            ),
            year,
        ),
        (
            re.compile(
                rf"(?<![0-9０-９])(?:近|这|过去)?(?P<n>{_N}|两)(?:个)?年(?:多)?(?:来|以来|间|中)"
            ),
            n_years,
        ),
        (re.compile(r"(?P<r>今年|去年|前年|当年|本年|全年)(?P<s>以来|底|末)?"), relative),
        (re.compile("|".join(POINT_CUES)), point),
    ]


def _event(period: Period) -> bool:
    """A single month or day (an event's date) or a point cue, as opposed to a statistical
    period: its reach ends at a semicolon."""
    single = period.start == period.end and len(period.start or "") >= 7
    return single or period.evidence in POINT_CUES


def _same_clause(text: str, a: int, b: int) -> bool:
    lo, hi = sorted((a, b))
    return not CLAUSE.search(text, lo, hi)


CLAUSE = re.compile(r"[，,；;。！？!?]")
SEMICOLON = re.compile(r"[；;]")
COMPARED = frozenset("比较与")


class PeriodFinder:
    """Resolves time expressions against one article's publication date."""

    def __init__(self, published: str) -> None:
        self.published = Published(published)
        self._patterns = _patterns(self.published)

    def expressions(self, text: str) -> list[tuple[int, int, Period]]:
        """Every time expression in ``text`` (leftmost, longest, non-overlapping)."""
        found: list[tuple[int, int, Period]] = []
        taken: list[tuple[int, int]] = []
        for pattern, make in self._patterns:
            for m in pattern.finditer(text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                if m.start() > 0 and text[m.start() - 1] in COMPARED:
                    continue  # 比去年提高: the base of a comparison, not the figure's time
                period = make(m)  # type: ignore[operator]
                if period is not None:
                    found.append((m.start(), m.end(), period))
                    taken.append((m.start(), m.end()))
        return sorted(found, key=lambda f: f[0])

    def frame(self, text: str, *, last: bool = False, spans_only: bool = False) -> Period | None:
        """The frame a passage sets for the figures after it: its first (or ``last``)
        cumulative or annual expression (an event's date or a stock frames nothing);
        ``spans_only``: only a span of time (1—10月, 三年来), as 同期 refers back to one."""
        kinds = ("cumulative",) if spans_only else ("cumulative", "annual")
        frames = [p for _, _, p in self.expressions(text) if p.type in kinds and not _event(p)]
        if not frames:
            return None
        return frames[-1] if last else frames[0]

    def nearest(self, text: str, pos: int) -> Period | None:
        """The time expression that governs position ``pos`` of ``text``: one that covers
        ``pos`` (the number is itself a time span, 1—9月), else the nearest before it, else
        the first after it in its clause. A semicolon ends the reach of an event's date. A
        point cue (目前, 存栏) governs only its own clause, or all when it opens the text;
        with a date in its clause (截至2023年5月底) it makes that date a point."""
        found = [
            f
            for f in self.expressions(text)
            if not (_event(f[2]) and SEMICOLON.search(text, f[1], max(pos, f[1])))
            and (f[2].evidence not in POINT_CUES or f[0] < pos)
        ]
        inside = [p for s, e, p in found if s <= pos < e]
        if inside:
            return inside[0]
        before = [(s, p) for s, e, p in found if e <= pos]
        if before:
            at, last = before[-1]
            dates = [(s, p) for s, p in before[:-1] if p.evidence not in POINT_CUES]
            if last.evidence in POINT_CUES and dates and _same_clause(text, dates[-1][0], at):
                date = dates[-1][1]
                return Period(date.end, date.end, "point", f"{date.evidence}…{last.evidence}")
            return last
        after = [p for s, e, p in found if s >= pos and _same_clause(text, pos, s)]
        return after[0] if after else None

    def fallback(self) -> Period:
        """No time anywhere: a stock or running total as of publication."""
        year = str(self.published.year)
        return Period(year, year, "point", "publication date")
