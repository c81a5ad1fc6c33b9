"""The subject of a number: the noun phrase of its clause that names what it counts.

Chinese statistical prose puts the thing counted in one of three places, and the rules
follow that structure rather than any list of phrases:

- before the number, after a verb: 投入 **援疆资金** 4.5亿元, **销售额** 超17亿元;
- after the number and its measure word: 建成12所 **学校**, 惠及10万户 **群众**;
- for a percentage, before its cue word: **地区生产总值** 增长7%, **民生资金** 占比91.7%,
  or in the clause before when the cue opens the clause (销售额17亿元，同比增长103%).

A subject is cut at clause punctuation, stripped of the verbs, qualifiers, times and place
names around it (:class:`~aidstats.auto.rules.Rules` lists the words), and kept to CJK
characters. It stays empty when nothing noun-like is left.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from aidstats.auto.rules import Rules

CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?、（）()—]")
CJK = re.compile(r"[\u4e00-\u9fffA-Za-z“”‘’\"《》]+")
QUOTES = str.maketrans("", "", '“”‘’"《》')
JOINED = re.compile(r"^[\u4e00-\u9fff]{0,2}[和及与或、]$")
# a noun after a number ends where a preposition or linking verb starts
STOP_AFTER = frozenset("到在于向从与和及把被对为以赴")
PER_UNIT = re.compile(r"每[\u4e00-\u9fff]{1,2}$")  # 零售价在每公斤30元: the rate's unit
LEVEL = re.compile(r"(?:到|至)$")  # 由20%提高到46.5%: the new level, not the change
# other quantities of the sentence are masked with this character before the rules read
# it (so that 一般 or 统一 never split a phrase the way a number does)
MASK = "#"
NUMERAL = re.compile(rf"{MASK}+|[0-9０-９][0-9０-９.．%％]*")
MAX_SUBJECT = 12


@dataclass(frozen=True)
class Subject:
    """What a number counts, where it was found, and the cue that made a % a rate."""

    text: str
    where: str  # before | after | cue | previous-clause | none
    cue: str = ""  # the growth or share cue word, for percentages
    verb: str = ""  # what the counted do (带动3000人就业: 就业), a clue to the category


def clause_parts(sentence: str, start: int, end: int) -> tuple[str, str, str]:
    """The clause text before the mention, after it, and the whole previous clause."""
    left_breaks = [m.end() for m in CLAUSE_BREAK.finditer(sentence, 0, start)]
    lo = left_breaks[-1] if left_breaks else 0
    nxt = CLAUSE_BREAK.search(sentence, end)
    hi = nxt.start() if nxt else len(sentence)
    prev_lo = left_breaks[-2] if len(left_breaks) > 1 else 0
    previous = sentence[prev_lo : max(lo - 1, prev_lo)] if left_breaks else ""
    return sentence[lo:start], sentence[end:hi], previous


def _strip(text: str, words: tuple[str, ...], *, at_end: bool) -> str:
    """Drop ``words`` repeatedly from one end of ``text`` (longest word first)."""
    ordered = sorted(words, key=len, reverse=True)
    changed = True
    while changed and text:
        changed = False
        for w in ordered:
            if at_end and text.endswith(w) and len(text) > 0:
                text, changed = text[: -len(w)], True
                break
            if not at_end and text.startswith(w) and len(text) >= len(w) + 2:
                text, changed = text[len(w) :], True
                break
    return text


def masked(sentence: str, spans: list[tuple[int, int]], keep: tuple[int, int]) -> str:
    """``sentence`` with every quantity span but ``keep`` replaced by MASK characters (same
    length, so offsets hold)."""
    chars = list(sentence)
    for a, b in spans:
        if (a, b) != keep:
            chars[a:b] = MASK * (b - a)
    return "".join(chars)


class SubjectFinder:
    """Finds subjects with one set of rules and a function that locates place names."""

    def __init__(self, rules: Rules, places: Callable[[str], list[tuple[int, int]]]) -> None:
        self.rules = rules
        self.places = places
        self._cues = sorted((*rules.growth_cues, *rules.share_cues), key=len, reverse=True)

    def noun_before(self, text: str) -> str:
        """The noun phrase that ends ``text`` (the clause left of a number or a cue); in a
        coordination (达20000头和50000只) the subject of the first number."""
        numbers = list(NUMERAL.finditer(text))
        if numbers:
            tail = text[numbers[-1].end() :]
            if JOINED.match(tail):
                return self.noun_before(text[: numbers[-1].start()])
            text = tail
        runs = [r.translate(QUOTES) for r in CJK.findall(text)]
        if not runs:
            return ""
        phrase = _strip(PER_UNIT.sub("", runs[-1]), self.rules.strip_before, at_end=True)
        if "的" in phrase:
            head, tail = phrase.rsplit("的", 1)
            phrase = head + tail if len(tail) <= 2 else tail
        return self._tidy(phrase)

    def noun_before_number(self, clause: str) -> str:
        """The noun phrase before the last number of a clause (销售额 of 销售额超17亿元)."""
        numbers = list(NUMERAL.finditer(clause))
        return self.noun_before(clause[: numbers[-1].start()]) if numbers else ""

    def noun_after(self, text: str) -> str:
        """The noun phrase that opens ``text`` (the clause right of a measure word)."""
        runs = CJK.findall(NUMERAL.split(text)[0]) if text else []
        if not runs or not text.startswith(runs[0]):
            return ""
        first = runs[0].translate(QUOTES)
        if any(first.startswith(v) for v in self.rules.lead_verbs if len(v) > 1):
            # a verb phrase follows the number: 帮助1.5万人 实现稳定就业 counts what they
            # achieve, 投入6360万元 用于… names nothing counted
            rest = _strip(first, self.rules.lead_verbs, at_end=False)
            result = next((v for v in self.rules.result_verbs if v in rest), None)
            return rest[: rest.index(result) + len(result)] if result else ""
        cuts = [at for at, char in enumerate(first) if at >= 2 and char in STOP_AFTER]
        for verb in (*self.rules.lead_verbs, *self.rules.after_verbs):
            at = first.find(verb, 1) if len(verb) > 1 else -1
            if at >= 1:
                cuts.append(at)
        phrase = first[: min(cuts)] if cuts else first
        for verb in self.rules.after_verbs:
            if phrase == verb:
                return verb
        if "的" in phrase[1:]:
            phrase = phrase.split("的", 1)[0]
        return self._tidy(phrase)

    def _cut_at_verb(self, phrase: str) -> str:
        """Drop everything up to the last two-character verb that still leaves a noun of
        two characters or more (援疆医生开展新技术 → 新技术; 销售额 stays whole)."""
        best = 0
        for verb in self.rules.lead_verbs:
            if len(verb) < 2:
                continue
            at = phrase.rfind(verb)
            while at >= 0 and len(phrase) - (at + len(verb)) < 2:
                at = phrase.rfind(verb, 0, at)
            if at >= 0:
                best = max(best, at + len(verb))
        return phrase[best:]

    def _tidy(self, phrase: str) -> str:
        """Strip leading verbs, times and place names; keep a short noun phrase."""
        if phrase in self.rules.lead_verbs or phrase in self.rules.strip_before:
            return ""
        for _ in range(4):
            before = phrase
            spans = [s for s in self.places(phrase) if s[0] == 0]
            if spans and spans[0][1] < len(phrase):
                phrase = phrase[spans[0][1] :]
            phrase = _strip(phrase, self.rules.lead_verbs, at_end=False)
            if phrase == before:
                break
        phrase = self._cut_at_verb(phrase)
        if phrase in self.rules.lead_verbs or phrase in self.rules.strip_before:
            return ""
        return phrase[-MAX_SUBJECT:]

    def _percent(self, left: str, previous: str) -> Subject:
        for cue in self._cues:
            at = left.rfind(cue)
            if at < 0:
                continue
            head = self.noun_before(left[:at])
            if not head and previous:
                head = self.noun_before_number(previous)
            if cue in self.rules.growth_cues and LEVEL.search(left):
                return Subject(head, "level", "")  # 提高到46.5%: a level, read as its head
            if cue in self.rules.growth_cues:
                grown = head if head.endswith("增长") else head + "增长"
                return Subject(grown if head else "", "cue", cue)
            if cue == "占" and len(left) > at + len(cue):
                whole = self.noun_before(left[at + len(cue) :])
                label = f"{head}占{whole}比重" if head and whole else head or whole
                return Subject(label, "cue", cue)
            return Subject(head + cue if head and cue != "占" else head, "cue", cue)
        head = self.noun_before(left)
        return Subject(head, "before" if head else "none")

    def find(self, sentence: str, start: int, end: int, *, kind: str) -> Subject:
        """The subject of the mention at ``sentence[start:end]``."""
        left, right, previous = clause_parts(sentence, start, end)
        if kind in ("percent", "ratio"):
            return self._percent(left, previous)
        if kind == "duration":
            tail = right[:2] if right[:1] in "来内间前后中" else ""
            return Subject(sentence[start:end] + tail, "frame")
        after = self.noun_after(right)
        before = self.noun_before(left)
        if after:
            rest = right[right.find(after) + len(after) :] if after in right else ""
            verb = next((v for v in self.rules.result_verbs if v in rest[:8]), "")
            return Subject(after, "after", verb=verb)
        if before:
            return Subject(before, "before")
        if after:
            return Subject(after, "after")
        verbs = CJK.findall(left)
        if verbs and verbs[-1][-2:] in self.rules.lead_verbs:
            return Subject(verbs[-1][-2:], "verb")
        return Subject("", "none")
