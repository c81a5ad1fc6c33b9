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

SUBJECT_WEIGHT, CLAUSE_WEIGHT, SENTENCE_WEIGHT = 3.0, 1.0, 0.5
MEASURE_PRIOR = {
    "money": {"funds": 2.0},
    "area": {"infrastructure": 1.0},
    "weight": {"sales": 0.5, "industry": 0.5},
    "person_times": {"health": 0.25, "beneficiaries": 0.25},
    "people": {"beneficiaries": 0.5},
    "items": {"projects": 0.25},
    "count": {"beneficiaries": 0.25},
}
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


def _hits(words: tuple[str, ...], text: str) -> list[str]:
    """Cue words found in ``text``, a shorter word not counted inside a longer hit."""
    found: list[str] = []
    for w in sorted(words, key=len, reverse=True):
        if w and w in text and not any(w in f for f in found):
            found.append(w)
    return found


def category_of(
    rules: Rules, *, measure: str, subject: str, clause: str, sentence: str
) -> tuple[str, float, str]:
    """The best-scoring category, a 0–1 certainty from its margin, and the cue words."""
    if measure == "duration":
        return "other", 0.9, "a duration frames the story"
    scores: dict[str, float] = {}
    why: dict[str, list[str]] = {}
    for name, cues in rules.categories.items():
        in_subject = _hits(cues.subject, subject) if subject else []
        in_clause = _hits((*cues.subject, *cues.context), clause)
        in_sentence = _hits(cues.context, sentence)
        score = SUBJECT_WEIGHT * len(in_subject)
        score += CLAUSE_WEIGHT * len([w for w in in_clause if w not in in_subject])
        score += SENTENCE_WEIGHT * len([w for w in in_sentence if w not in in_clause])
        score += MEASURE_PRIOR.get(measure, {}).get(name, 0.0)
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
