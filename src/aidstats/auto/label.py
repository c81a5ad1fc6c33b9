"""Measure, category, indicator and confidence of an automatic figure.

The measure comes from the unit first (元 is money, 人次 person-times, 户 a count), from
the subject where the unit is ambiguous (个 of 项目 are items, 个 of 村 a count) and, for
a percentage, from its cue (增长 makes a growth rate, 占/占比/率 a share). The category is
scored from cue words of ``labelling.yaml``: words in the subject weigh most, words in the
clause less, words elsewhere in the sentence least; the measure adds a small prior.
The confidence multiplies how sure the measure is by how clear the category's win was.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from aidstats.auto.rules import Rules
from aidstats.auto.subject import Subject

SUBJECT_WEIGHT, CLAUSE_WEIGHT, SENTENCE_WEIGHT, HEAD_BONUS = 3.0, 1.0, 0.5, 1.5
PARAGRAPH_WEIGHT, PARAGRAPH_CAP = 0.2, 4  # a tie-breaker: at most 0.8, under one clause cue
MEASURE_PRIOR = {
    "money": {"funds": 1.5},
    "area": {"infrastructure": 1.0},
    "weight": {"sales": 0.5, "industry": 0.5},
    "person_times": {"health": 0.25, "beneficiaries": 0.25},
    "people": {"beneficiaries": 0.5},
    "items": {"projects": 0.25},
    "count": {"beneficiaries": 0.25},
}
# households are reached by aid: a count of 户 leans to beneficiaries
UNIT_PRIOR = {"户": {"beneficiaries": 1.5}}
NON_ADDITIVE = {
    "share": "share, not an amount",
    "growth": "growth rate, not an amount",
    "ratio": "ratio, not an amount",
    "duration": "a duration, not an aid result",
    "other": "not an aid result",
}


@dataclass(frozen=True)
class Labels:
    measure: str
    category: str
    indicator: str
    label_zh: str
    label_en: str
    dac_code: int
    confidence: float
    evidence: tuple[str, ...]


def measure_of(
    rules: Rules, *, kind: str, unit: str | None, subject: Subject
) -> tuple[str, float, str]:
    """The measure of a mention, how sure (0–1) and why."""
    if kind == "duration":
        return "duration", 0.95, "a duration"
    if unit == "百分点":
        return "growth", 0.9, "unit 百分点"
    if kind in ("percent", "ratio"):
        if subject.where == "level":
            return "share", 0.8, "a level reached (提高到)"
        if subject.cue in rules.growth_cues:
            return "growth", 0.95, f"cue {subject.cue}"
        if subject.cue:
            return "share", 0.9, f"cue {subject.cue}"
        if kind == "ratio":
            return "ratio", 0.8, "a ratio"
        return "share", 0.55, "a percentage with no cue"
    measure, how = rules.unit_measure(unit, subject.text)
    if measure is None:
        return "count", 0.5, f"no known unit ({unit or 'none'})"
    sure = 0.97 if how == "unit" else 0.9
    return measure, sure, f"unit {unit}"


def _spans(words: tuple[str, ...], text: str) -> list[tuple[int, int, str]]:
    """Every occurrence of every cue word in ``text``."""
    found = []
    for w in words:
        at = text.find(w) if w else -1
        while at >= 0:
            found.append((at, at + len(w), w))
            at = text.find(w, at + 1)
    return found


def _hits(cues: dict[str, tuple[str, ...]], text: str) -> dict[str, list[str]]:
    """Cue words per category found in ``text``; a word inside a longer cue word of any
    category does not count (到位资金 is industry, not also 资金 of funds)."""
    spans = {name: _spans(words, text) for name, words in cues.items()}
    every = [s for found in spans.values() for s in found]
    out: dict[str, list[str]] = {}
    for name, found in spans.items():
        kept = [
            w
            for a, b, w in found
            if not any(a2 <= a and b <= b2 and (b2 - a2) > (b - a) for a2, b2, _ in every)
        ]
        out[name] = list(dict.fromkeys(kept))
    return out


def category_of(
    rules: Rules,
    *,
    measure: str,
    subject: str,
    clause: str,
    sentence: str,
    unit: str | None = None,
    paragraph: str = "",
) -> tuple[str, float, str]:
    """The best-scoring category, a 0–1 certainty from its margin, and the cue words."""
    if measure == "duration":
        return "other", 0.9, "a duration frames the story"
    scores: dict[str, float] = {}
    why: dict[str, list[str]] = {}
    cats = rules.categories
    subject_hits = _hits({n: c.subject for n, c in cats.items()}, subject)
    clause_hits = _hits({n: (*c.subject, *c.context) for n, c in cats.items()}, clause)
    sentence_hits = _hits({n: c.context for n, c in cats.items()}, sentence)
    paragraph_hits = _hits({n: (*c.subject, *c.context) for n, c in cats.items()}, paragraph)
    for name in cats:
        in_subject = subject_hits[name] if subject else []
        in_clause, in_sentence = clause_hits[name], sentence_hits[name]
        score = SUBJECT_WEIGHT * len(in_subject)
        if any(subject.endswith(w) for w in in_subject):
            score += HEAD_BONUS  # the head noun of a Chinese phrase comes last
        score += CLAUSE_WEIGHT * len([w for w in in_clause if w not in in_subject])
        score += SENTENCE_WEIGHT * len([w for w in in_sentence if w not in in_clause])
        # the paragraph's topic: a tie-breaker for a vague subject (活动, 项目) only
        score += PARAGRAPH_WEIGHT * min(len(set(paragraph_hits[name])), PARAGRAPH_CAP)
        score += MEASURE_PRIOR.get(measure, {}).get(name, 0.0)
        score += UNIT_PRIOR.get(unit or "", {}).get(name, 0.0)
        scores[name], why[name] = score, in_subject + in_clause
    order = list(rules.categories)
    ranked = sorted(scores, key=lambda c: (-scores[c], order.index(c)))
    best, runner = ranked[0], ranked[1]
    top, margin = scores[best], scores[best] - scores[runner]
    if top == 0:
        return ("other" if measure == "other" else "beneficiaries"), 0.3, "no cue word"
    if top >= SUBJECT_WEIGHT and margin >= SUBJECT_WEIGHT:
        sure = 0.95
    elif top >= SUBJECT_WEIGHT and margin >= 1:
        sure = 0.85
    elif margin >= 1:
        sure = 0.7
    else:
        sure = 0.5
    return best, sure, "cues " + "/".join(list(dict.fromkeys(why[best]))[:4] or ["prior"])


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40]


def indicator_of(
    rules: Rules, *, subject: str, measure: str, category: str, english: str | None
) -> tuple[str, bool]:
    """An existing vocabulary id when the figure clearly is one, else a new auto id."""
    for rule in rules.indicators:
        if subject in rule.subjects and measure == rule.measure:
            return rule.id, True
    if english:
        return f"auto_{_slug(english)}_{measure}", False
    digest = hashlib.sha1(subject.encode("utf-8")).hexdigest()[:8] if subject else "none"
    return f"auto_{category}_{measure}_{digest}", False
