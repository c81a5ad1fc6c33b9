"""Donor, region and programme of a figure, from the gazetteer (``data/raw/gazetteer.yaml``).

- **Region** (the recipient the figure is about) is looked for in the sentence of the
  number (a whole-area word, 全州, is the local area without its 兵团 division; a group
  word, 受援县, the declared scope), then a site the article placed earlier
  (喀什市的深圳产业园), then the paragraph when it narrows the declared scope, then the
  catalog entry (the article's declared scope), then the title; the first that names one
  decides. Within a scope the name nearest before the number wins, and names joined by
  和/及/与/、 are one region (喀什地区和兵团第三师), unless each has its own number
  (兵团第三师7.2亿元、疏附县6.1亿元). Counties stand for their prefecture when three or
  more are named, or two with the prefecture named or declared (see :meth:`PlaceFinder._in`).
  From the catalog, broad areas (新疆, 南疆) are dropped, a county wins over the prefecture
  that contains it (two or more counties stand for it again when it is listed too, three
  or more always), and parallel units are joined. A pair word (浙阿, 鄂博) names both sides.
- **Donor**: an article speaks for one donor (the title's, else the most specific of the
  catalog's). A sentence overrides it with a donor outside that donor's province, and in a
  province's article with one of its cities acting as the giver (无锡援建); never with the
  province above it. A review of several provinces has no donor of its own: each sentence
  takes the donor it names first, else the whole programme (援疆省市 → 19个援疆省市), else
  the paragraph's.
- **Programme**: only a programme named in the sentence itself.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from aidstats.gazetteer import Gazetteer

JOINERS = ("和", "及", "与", "、")
MAX_JOINED_GAP = 6
# words that stand for the article's own group of recipients: 受援县, 三县, 各县市, and
# "<a county>等4县" (a county named as the first of a group)
GROUP_WORDS = re.compile(
    r"受援县市?|受援地区?|各受援地|各县市?|(?:[两三四五六七八九十]|\d{1,2})个?县市?(?![城长委级])"
)
# words for the whole prefecture-level area (全地区, 全州): the prefecture or
# county government's statistics, which never include a 兵团 division (the Corps reports
# its own)
WHOLE_AREA_WORDS = re.compile(r"全(?:地区|州)(?![长委级])")
CLAUSE_PUNCT = re.compile(r"[，,；;。！？!?：:]")
DIGIT = re.compile(r"[0-9０-９]")
OWN_NUMBER = re.compile(r"[^，,；;。！？!?：:、]{0,4}[0-9０-９]")
# the autonomous region as a whole: the backdrop of every article, never a figure's region
# by itself being named (新疆农副产品 are products of the article's recipient)
WHOLE_REGION = frozenset({"新疆维吾尔自治区"})
# counties of one prefecture named together that stand for the prefecture: in a sentence
# (莎车县、泽普县、叶城县、巴楚县), and among an article's catalogued recipients
GROUP_IN_TEXT, GROUP_IN_CATALOG = 3, 2


# a named site (深圳产业园, 塔县人民医院): a short run of Chinese ending in a kind of site
SITE = re.compile(
    r"[\u4e00-\u9fff]{1,10}?(?:产业园区|工业园区|产业园|工业园|科技园|园区|人民医院|医院|中学|小学"
    r"|学校|幼儿园|基地|物流中心|加工厂|工厂|景区|合作社)"
)
# the programme as a whole (全国19个援疆省市, 各援疆省市, 全国援疆力量): in an article about
# several donors, figures of the whole programme have this collective donor
COLLECTIVE_DONOR = "19个援疆省市"
COLLECTIVE = re.compile(r"(?:全国)?(?:19|十九)个(?:对口)?援疆省市|(?:对口)?援疆省市|全国援疆力量")
WHOLE = "新疆维吾尔自治区"
# what follows a donor city that acts as the giver of aid (无锡援建, 盐城市援疆工作组)
AID_ACTOR = re.compile(r"(?:市)?(?:援疆|援建|援助|对口支援|对口援|帮扶|投入|安排|选派|累计|前方)")
PARKS = ("园", "园区")  # 园区 alone refers back to the article's one park
# names that every county has (人民医院, 第七中学, 实验中学) or that are no name at all
# (一所新建学校, 两三百名中小学) place nothing
GENERIC_SITE = re.compile(
    r"^(?:第?[一二三四五六七八九十]+|人民|中心|实验|高级|初级|职业|新建|一所|一家)|[和的名所家个]"
)


@dataclass(frozen=True)
class Scope:
    """A piece of text the number sits in, and where the number is in it."""

    name: str  # sentence | paragraph | title
    text: str
    pos: int
    before_only: bool = False


@dataclass(frozen=True)
class Found:
    value: str | None
    scope: str  # sentence | paragraph | title | catalog | none


def _joined(text: str, a: Any, b: Any) -> bool:
    """Whether two names are one coordination: 和/及/与/、 between them, or a short run
    ending in one (塔城地区7个县市和兵团第九师, 塔城地区人民医院和第九师医院)."""
    between = text[a.end : b.start]
    return between in ("", *JOINERS) or (  # "": 喀什地区疏附县, a place qualifying the next
        0 < len(between) <= MAX_JOINED_GAP
        and between[-1] in JOINERS
        and not CLAUSE_PUNCT.search(between)
        # 兵团第三师7.2亿元、疏附县6.1亿元: places paired with numbers, not one region
        and not (between[-1] == "、" and DIGIT.search(between))
    )


def _nearest(matches: list[Any], text: str, pos: int, *, before_only: bool) -> list[Any]:
    """The match nearest before ``pos`` with those joined to it (else, unless
    ``before_only``, the first match after ``pos`` with those joined to it)."""
    before = [m for m in matches if m.end <= pos]
    if not before:
        if before_only or not matches:
            return []
        group = [m for m in matches if m.start >= pos][:1]
        for m in matches:
            if group and m.start > group[-1].end and _joined(text, group[-1], m):
                group.append(m)
        return group
    group = [before[-1]]
    for m in reversed(before[:-1]):
        if _joined(text, m, group[0]):
            group.insert(0, m)
        else:
            break
    return group


class PlaceFinder:
    """Finds donors, regions and programmes with one gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        # every rule asks for the names of the same sentence and paragraph again and again
        self._find = functools.lru_cache(maxsize=256)(lambda text: tuple(gazetteer.find(text)))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where any known place or programme name is in ``text``."""
        return [(m.start, m.end) for m in self._find(text)]

    def _in(self, scope: Scope, kind: str, declared: str | None = None) -> list[str]:
        matches = [
            m
            for m in self._find(scope.text)
            if m.kind == kind
            and m.canonical not in WHOLE_REGION
            # in a paragraph, a place followed by its own number (第二师资金2.85亿元) is one
            # part of a breakdown, not what the paragraph is about
            and not (scope.name == "paragraph" and OWN_NUMBER.match(scope.text, m.end))
        ]
        group = _nearest(matches, scope.text, scope.pos, before_only=scope.before_only)
        names = list(dict.fromkeys(m.canonical for m in group))
        if kind != "recipient":
            return names
        # two counties stand for their prefecture when it is named with them (喀什地区疏附县、
        # 伽师县), or when it is the article's declared scope and the counties are named in
        # another clause, as examples (帮扶博乐市第七中学、精河县高级中学等学校，带教…);
        # counties that qualify the number directly (阿合奇县、乌恰县2.1万户) stay
        known = {m.canonical for m in group}
        if group and CLAUSE_PUNCT.search(scope.text, group[-1].end, max(scope.pos, 0)):
            known |= set(self.parts(declared))
        names = self.collapse(names, at_least=GROUP_IN_CATALOG, parents=known)
        names = self.collapse(names, at_least=GROUP_IN_TEXT)
        return [n for n in names if not any(self._contains(o, n) for o in names if o != n)]

    def collapse(
        self, names: list[str], *, at_least: int, parents: set[str] | None = None
    ) -> list[str]:
        """A list of ``at_least`` or more counties of one prefecture is that prefecture (a
        donor's paired counties named together stand for its whole area); with
        ``parents``, only for a prefecture among them."""
        by_prefecture: dict[str, list[str]] = {}
        for n in names:
            entry = self.gazetteer.entry(n)
            if getattr(entry, "level", None) == "county" and entry.parent:  # type: ignore[union-attr]
                by_prefecture.setdefault(entry.parent, []).append(n)  # type: ignore[union-attr]
        out: list[str] = []
        for n in names:
            entry = self.gazetteer.entry(n)
            parent = getattr(entry, "parent", None)
            many = parent in by_prefecture and len(by_prefecture[parent]) >= at_least
            if many and (parents is None or parent in parents):
                if parent not in out:
                    out.append(parent)
            elif n not in out:
                out.append(n)
        return out

    def parts(self, joined: str | None) -> list[str]:
        """The places of a joined region (和田地区和兵团第十四师: split by the gazetteer, since
        a name may itself begin with 和)."""
        if not joined:
            return []
        found = [m.canonical for m in self._find(joined)]
        return list(dict.fromkeys(found)) or [joined]

    def _level(self, name: str) -> str:
        entry = self.gazetteer.entry(name)
        return str(getattr(entry, "level", ""))

    def _contains(self, outer: str, inner: str) -> bool:
        entry = self.gazetteer.entry(inner)
        while entry is not None and getattr(entry, "parent", None):
            if entry.parent == outer:
                return True
            entry = self.gazetteer.entry(entry.parent)
        return False

    @staticmethod
    def _word_at(scope: Scope, words: re.Pattern[str]) -> int | None:
        """Where the last of ``words`` before the number starts, if any."""
        found = [m.start() for m in words.finditer(scope.text, 0, scope.pos)]
        return found[-1] if found else None

    def _last_end(self, scope: Scope) -> int:
        """Where the last recipient name before the number ends (-1: none)."""
        ends = [
            m.end
            for m in self._find(scope.text[: scope.pos])
            if m.kind == "recipient" and m.canonical not in WHOLE_REGION
        ]
        return max(ends, default=-1)

    def _within(self, names: list[str], declared: str) -> bool:
        """Whether every name is one of the declared units or inside one, and narrower."""
        units = self.parts(declared)
        inside = all(n in units or any(self._contains(u, n) for u in units) for n in names)
        return inside and set(names) != set(units)

    def article_region(self, recipients: tuple[str, ...]) -> str | None:
        """One region for the whole article from the catalog's recipients."""
        names = [self.gazetteer.resolve(r) or r for r in recipients]
        names = [n for n in dict.fromkeys(names) if self._level(n) != "region"]
        specific = [n for n in names if not any(self._contains(n, o) for o in names if o != n)]
        listed = [n for n in names if self._level(n) == "prefecture"]
        # counties stand for their prefecture when the catalog lists it, or when many
        specific = self.collapse(specific, at_least=GROUP_IN_CATALOG if listed else GROUP_IN_TEXT)
        specific = [n for n in specific if not any(self._contains(o, n) for o in specific)]
        return "和".join(specific) if specific else None

    def article_donor(self, title: str, donors: tuple[str, ...]) -> str | None:
        """The donor an article speaks for: the title's, else the most specific catalog one."""
        in_title = [m.canonical for m in self._find(title) if m.kind == "donor"]
        if in_title:
            return in_title[0]
        names = [self.gazetteer.resolve(d) or d for d in donors]
        cities = [n for n in names if self.gazetteer.donor_of_city(n) not in (None, n)]
        return (cities or names or [None])[0]

    def region(
        self,
        scopes: list[Scope],
        recipients: tuple[str, ...],
        sites: dict[str, str] | None = None,
    ) -> Found:
        """The region governing the number (see the module docstring): the sentence, else
        a site of the sentence placed earlier (``sites``), else the paragraph when it
        narrows the catalog's recipients, else those (the article's declared scope), else
        the title."""
        first, *rest = scopes
        declared = self.article_region(recipients)
        names = self._in(first, "recipient", declared)
        whole = self._word_at(first, WHOLE_AREA_WORDS)
        if whole is not None and declared and (not names or whole > self._last_end(first)):
            local = [n for n in self.parts(declared) if self._level(n) != "division"]
            return Found("和".join(local or [declared]), "a whole-area word (全地区, 全州)")
        group = self._word_at(first, GROUP_WORDS)
        if group is not None and declared and (not names or group > self._last_end(first)):
            return Found(declared, "a group word (受援县, 三县, 等4县)")
        if names:
            return Found("和".join(names), first.name)
        site = self.site_region(first.text, sites or {})
        if site.value and (not declared or self._within([site.value], declared)):
            return site
        paragraph = [sc for sc in rest if sc.name == "paragraph"]
        if paragraph:
            names = self._in(paragraph[0], "recipient", declared)
            if names and (not declared or self._within(names, declared)):
                return Found("和".join(names), "paragraph")  # narrows the declared scope
        if declared:
            return Found(declared, "catalog")
        for scope in rest:
            names = self._in(scope, "recipient")
            if names:
                return Found("和".join(names), scope.name)
        return Found(None, "none")

    def anchored_sites(self, text: str) -> dict[str, str]:
        """Sites the text places by naming them after a recipient (喀什市的深圳产业园 →
        深圳产业园: 喀什市); a site placed in two different recipients is left out."""
        found: dict[str, set[str]] = {}
        for m in self._find(text):
            if m.kind != "recipient" or m.canonical in WHOLE_REGION:
                continue
            start = m.end + (text[m.end : m.end + 1] == "的")
            site = SITE.match(text, start)
            name = site[0].rsplit("的", 1)[-1] if site else ""  # 城南的江西产业园
            if len(name) >= 3 and not GENERIC_SITE.search(name):
                found.setdefault(name, set()).add(m.canonical)
        return {name: next(iter(at)) for name, at in found.items() if len(at) == 1}

    def site_region(self, sentence: str, sites: dict[str, str]) -> Found:
        """The recipient of a placed site the sentence names (the longest), or of the
        article's one park when the sentence says only 园区."""
        named = sorted((n for n in sites if n in sentence), key=len, reverse=True)
        if named:
            return Found(sites[named[0]], f"the site {named[0]}")
        parks = {sites[n] for n in sites if n.endswith(PARKS)}
        if "园区" in sentence and len(parks) == 1:
            return Found(next(iter(parks)), "the article's park (园区)")
        return Found(None, "none")

    def pair_word(self, sentence: str, donor: str | None) -> Found:
        """Both sides when the sentence names the pairing by its two initials (浙阿, 鄂博,
        沪喀: the donor's 简称, or a donor city's first character, then the first character
        of one of its paired recipients): ``donor和recipient``, else nothing."""
        if not donor:
            return Found(None, "none")
        entry = self.gazetteer.entry(donor)
        first = getattr(entry, "abbreviation", None) or donor[0]
        for initial, side in self._pair_sides(donor).items():
            # not inside a quoted name (“津和”直播基地 is a base in the recipient area)
            word = re.compile(rf"(?<![“‘「\"']){first}{initial}(?![”’」\"'])")
            if word.search(sentence):
                return Found(f"{donor}和{side}", f"the pair word {first}{initial}")
        return Found(None, "none")

    def _pair_sides(self, donor: str) -> dict[str, str]:
        """The recipient each initial stands for in a donor's pair words: a prefecture when
        the donor aids it or two or more of its units (京和 = 和田地区), else the one unit."""
        mine = [r for r in self.gazetteer.recipients_of(donor) if self._level(r) != "division"]
        by_prefecture: dict[str, list[str]] = {}
        for r in mine:
            by_prefecture.setdefault(self.gazetteer.prefecture_of(r) or r, []).append(r)
        sides: dict[str, list[str]] = {}
        for prefecture, units in by_prefecture.items():
            whole = prefecture in units or len(units) >= GROUP_IN_CATALOG
            for name in [prefecture] if whole else units:
                sides.setdefault(name[0], []).append(name)
        return {initial: names[0] for initial, names in sides.items() if len(names) == 1}

    def paired(self, donor: str | None) -> Found:
        """The recipient a donor is paired with, when it has exactly one."""
        mine = self.gazetteer.recipients_of(donor) if donor else []
        return Found(mine[0], "pairing") if len(mine) == 1 else Found(None, "none")

    def is_summary(self, title: str, donors: tuple[str, ...]) -> bool:
        """Whether an article speaks for several donor provinces (a review of the whole
        programme): the catalog names two or more and the title none."""
        if any(m.kind == "donor" for m in self._find(title)):
            return False
        provinces = {self.gazetteer.donor_of_city(self.gazetteer.resolve(d) or d) for d in donors}
        return len(provinces - {None}) >= 2

    def donor(
        self, sentence: Scope, article_donor: str | None, *, paragraph: Scope | None = None
    ) -> Found:
        """The donor governing the number (see the module docstring)."""
        names = self._in(sentence, "donor")
        if names and article_donor:
            home = self.gazetteer.donor_of_city(article_donor)
            if all(self.gazetteer.donor_of_city(n) != home for n in names):
                return Found(names[-1], "sentence")
        province = article_donor and self.gazetteer.donor_of_city(article_donor) == article_donor
        if province and not self.pair_word(sentence.text, article_donor).value:
            # a province's article: a paragraph about one of its cities' aid is that city's
            for scope in (sentence, paragraph):
                city = self._acting_city(scope, article_donor) if scope else None
                if city:
                    return Found(city, f"{scope.name}: {city} as the aid's actor")  # type: ignore[union-attr]
        if article_donor:
            return Found(article_donor, "article")
        return Found(names[-1], "sentence") if names else Found(None, "none")

    def _acting_city(self, scope: Scope, province: str | None) -> str | None:
        """The city of ``province`` that acts in ``scope`` (无锡援建, 盐城市援疆工作组), nearest
        before the number (else, in a sentence, the first after); a city named as a place
        (距南京, 广州市民, 在福州等地) is not an actor."""
        acting = [
            m
            for m in self._find(scope.text)
            if m.kind == "donor"
            and m.canonical != province
            and self.gazetteer.donor_of_city(m.canonical) == province
            and AID_ACTOR.match(scope.text, m.end)
        ]
        before = [m for m in acting if m.end <= scope.pos]
        if before:
            return before[-1].canonical
        after = [] if scope.before_only else [m for m in acting if m.start >= scope.pos]
        return after[0].canonical if after else None

    def summary_donor(self, sentence: Scope, paragraph: Scope) -> Found:
        """The donor of a number in a review of several donors: one the sentence names,
        the whole programme when it speaks of it (援疆省市), else the paragraph's."""
        # the sentence's subject comes first: 广东省援建的疏附县广州新城… is 广东省's
        named = [m for m in self._find(sentence.text) if m.kind == "donor"]
        before = [m for m in named if m.end <= sentence.pos]
        if named:
            return Found((before or named)[0].canonical, "sentence")
        if COLLECTIVE.search(sentence.text):
            return Found(COLLECTIVE_DONOR, "a programme-wide word (援疆省市)")
        names = self._in(paragraph, "donor")
        if names:
            return Found(names[-1], "paragraph")
        if COLLECTIVE.search(paragraph.text, 0, paragraph.pos):
            return Found(COLLECTIVE_DONOR, "a programme-wide word in the paragraph")
        return Found(None, "none")

    def programme(self, sentence: Scope) -> Found:
        """A programme named in the sentence, or none."""
        names = self._in(sentence, "programme")
        return Found(names[-1], "sentence") if names else Found(None, "none")
