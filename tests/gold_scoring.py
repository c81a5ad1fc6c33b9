"""Load the hand-made gold annotation (tests/gold/*.yaml) and score predictions against it.

Pure functions, no ``aidstats`` imports: the scorer must not share code with the extractor
it judges.

A gold file lists every quantity mention of one article by its ``text`` and a short
``context``: a substring of the raw article that contains ``text`` exactly once and occurs
exactly once in the raw text.  :func:`load_gold` turns each context into raw offsets
(``start = raw.find(context) + context.index(text)``), so the gold never stores offsets
that could drift.

:func:`score` compares predictions (dicts or objects with ``start``, ``end``, ``text``,
``kind``, ``value``, ``lower``, ``upper``, ``unit``, ``qualifier``; offsets into the raw
text) with the gold:

- a prediction is a true positive when its span equals a gold span and its kind, unit and
  value agree (numbers with a relative tolerance of 1e-9, dates as ISO strings, null only
  equals null);
- precision = TP / predicted, recall = TP / gold, F1 their harmonic mean;
- qualifier accuracy = share of span-matched pairs with the same qualifier;
- bounds accuracy = share of span-matched pairs whose lower and upper both agree;
- trap hits = predictions overlapping any trap span.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

KINDS = frozenset({"amount", "percent", "ratio", "range", "duration", "date"})
QUALIFIERS = frozenset({"exact", "over", "near", "approx"})
MENTION_FIELDS = ("text", "context", "kind", "value", "lower", "upper", "unit", "qualifier")
PREDICTION_FIELDS = ("start", "end", "text", "kind", "value", "lower", "upper", "unit", "qualifier")
REL_TOL = 1e-9


class GoldError(ValueError):
    """A gold file that does not fit its raw text or the format."""


@dataclass(frozen=True)
class GoldMention:
    start: int
    end: int
    text: str
    kind: str
    value: Any
    lower: Any
    upper: Any
    unit: str | None
    qualifier: str
    context: str
    note: str | None = None

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(frozen=True)
class GoldTrap:
    start: int
    end: int
    text: str
    reason: str
    context: str

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(frozen=True)
class Gold:
    article_id: str
    mentions: tuple[GoldMention, ...]
    traps: tuple[GoldTrap, ...]


@dataclass(frozen=True)
class Prediction:
    """A prediction normalised to plain values (enums to their values, dates to ISO)."""

    start: int
    end: int
    text: str | None
    kind: Any
    value: Any
    lower: Any
    upper: Any
    unit: Any
    qualifier: Any

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass
class Score:
    n_gold: int
    n_predicted: int
    true_positives: int
    span_matched: int
    precision: float
    recall: float
    f1: float
    qualifier_accuracy: float
    bounds_accuracy: float
    trap_hits: int
    false_positives: list[Prediction] = field(default_factory=list)
    false_negatives: list[GoldMention] = field(default_factory=list)
    mismatches: list[tuple[GoldMention, Prediction]] = field(default_factory=list)
    qualifier_errors: list[tuple[GoldMention, Prediction]] = field(default_factory=list)
    bounds_errors: list[tuple[GoldMention, Prediction]] = field(default_factory=list)
    trap_hit_list: list[tuple[GoldTrap, Prediction]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"precision={self.precision:.4f} recall={self.recall:.4f} f1={self.f1:.4f} "
            f"qualifier_accuracy={self.qualifier_accuracy:.4f} "
            f"bounds_accuracy={self.bounds_accuracy:.4f} trap_hits={self.trap_hits} "
            f"gold={self.n_gold} predicted={self.n_predicted} tp={self.true_positives} "
            f"span_matched={self.span_matched} fp={len(self.false_positives)} "
            f"fn={len(self.false_negatives)} mismatches={len(self.mismatches)}"
        )

    def report(self, limit: int = 30) -> str:
        """The summary plus the first ``limit`` entries of every error list."""
        lines = [self.summary()]

        def section(title: str, rows: list[str]) -> None:
            if rows:
                lines.append(f"{title} ({len(rows)}):")
                lines.extend(f"  {row}" for row in rows[:limit])
                if len(rows) > limit:
                    lines.append(f"  ... {len(rows) - limit} more")

        section("false positives", [_fmt_pred(p) for p in self.false_positives])
        section("false negatives", [_fmt_gold(g) for g in self.false_negatives])
        section(
            "mismatches (span ok; kind/unit/value differ)",
            [f"gold {_fmt_gold(g)}  !=  pred {_fmt_pred(p)}" for g, p in self.mismatches],
        )
        section(
            "qualifier errors",
            [
                f"{g.text!r}@{g.start}: gold {g.qualifier} pred {p.qualifier}"
                for g, p in self.qualifier_errors
            ],
        )
        section(
            "bounds errors",
            [
                f"{g.text!r}@{g.start}: gold [{g.lower}, {g.upper}] pred [{p.lower}, {p.upper}]"
                for g, p in self.bounds_errors
            ],
        )
        section(
            "trap hits",
            [
                f"trap {t.text!r}@{t.start} ({t.reason}) hit by {_fmt_pred(p)}"
                for t, p in self.trap_hit_list
            ],
        )
        return "\n".join(lines)


def _fmt_gold(g: GoldMention) -> str:
    return (
        f"[{g.start}:{g.end}] {g.text!r} {g.kind} value={g.value!r} unit={g.unit!r} "
        f"q={g.qualifier} [{g.lower}, {g.upper}]"
    )


def _fmt_pred(p: Prediction) -> str:
    return (
        f"[{p.start}:{p.end}] {p.text!r} {p.kind} value={p.value!r} unit={p.unit!r} "
        f"q={p.qualifier} [{p.lower}, {p.upper}]"
    )


# --------------------------------------------------------------------------- loading


def resolve_context(raw_text: str, context: str, text: str) -> tuple[int, int]:
    """Raw offsets (start, end) of ``text`` inside the unique occurrence of ``context``."""
    if not isinstance(context, str) or not context:
        raise GoldError(f"empty context for {text!r}")
    if not isinstance(text, str) or not text:
        raise GoldError(f"empty text in context {context!r}")
    if context.count(text) != 1:
        raise GoldError(
            f"context {context!r} must contain text {text!r} exactly once "
            f"(found {context.count(text)})"
        )
    first = raw_text.find(context)
    if first < 0:
        raise GoldError(f"context {context!r} (for {text!r}) not found in the raw text")
    second = raw_text.find(context, first + 1)
    if second >= 0:
        raise GoldError(
            f"context {context!r} (for {text!r}) is not unique in the raw text "
            f"(at {first} and {second})"
        )
    if "\n\n" in context or "\n \n" in context:
        raise GoldError(f"context {context!r} crosses a blank line")
    start = first + context.index(text)
    return start, start + len(text)


def load_gold(path: str | Path, raw_text: str) -> Gold:
    """Read a gold YAML file and resolve every context to offsets in ``raw_text``."""
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, Mapping):
        raise GoldError(f"{path.name}: top level must be a mapping")
    article_id = data.get("article_id")
    if not isinstance(article_id, str):
        raise GoldError(f"{path.name}: missing article_id")

    mentions: list[GoldMention] = []
    for i, entry in enumerate(data.get("mentions") or []):
        where = f"{path.name}: mentions[{i}]"
        if not isinstance(entry, Mapping):
            raise GoldError(f"{where}: not a mapping")
        missing = [k for k in MENTION_FIELDS if k not in entry]
        if missing:
            raise GoldError(f"{where} ({entry.get('text')!r}): missing {missing}")
        text, context = str(entry["text"]), str(entry["context"])
        try:
            start, end = resolve_context(raw_text, context, text)
        except GoldError as exc:
            raise GoldError(f"{where}: {exc}") from None
        kind, qualifier = entry["kind"], entry["qualifier"]
        if kind not in KINDS:
            raise GoldError(f"{where} ({text!r}): unknown kind {kind!r}")
        if qualifier not in QUALIFIERS:
            raise GoldError(f"{where} ({text!r}): unknown qualifier {qualifier!r}")
        unit = entry["unit"]
        mentions.append(
            GoldMention(
                start=start,
                end=end,
                text=text,
                kind=kind,
                value=_norm_value(entry["value"]),
                lower=_norm_value(entry["lower"]),
                upper=_norm_value(entry["upper"]),
                unit=None if unit is None else str(unit),
                qualifier=qualifier,
                context=context,
                note=entry.get("note"),
            )
        )

    traps: list[GoldTrap] = []
    for i, entry in enumerate(data.get("traps") or []):
        where = f"{path.name}: traps[{i}]"
        if not isinstance(entry, Mapping) or "text" not in entry or "context" not in entry:
            raise GoldError(f"{where}: needs text and context")
        text, context = str(entry["text"]), str(entry["context"])
        try:
            start, end = resolve_context(raw_text, context, text)
        except GoldError as exc:
            raise GoldError(f"{where}: {exc}") from None
        traps.append(
            GoldTrap(
                start=start,
                end=end,
                text=text,
                reason=str(entry.get("reason", "")),
                context=context,
            )
        )

    return Gold(article_id=article_id, mentions=tuple(mentions), traps=tuple(traps))


# --------------------------------------------------------------------------- comparing


def _norm_value(v: Any) -> Any:
    """Enums to their value, dates to ISO strings, numbers to float, None stays None."""
    if isinstance(v, enum.Enum):
        v = v.value
    if v is None:
        return None
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, bool):
        return v
    if isinstance(v, numbers.Real):
        return float(v)
    return v


def _norm_label(v: Any) -> Any:
    if isinstance(v, enum.Enum):
        v = v.value
    return v


def values_equal(a: Any, b: Any) -> bool:
    """Null == null; numbers within a relative tolerance of 1e-9; anything else by ==."""
    a, b = _norm_value(a), _norm_value(b)
    if a is None or b is None:
        return a is None and b is None
    a_num = isinstance(a, float) and not isinstance(a, bool)
    b_num = isinstance(b, float) and not isinstance(b, bool)
    if a_num and b_num:
        if math.isnan(a) or math.isnan(b):
            return False
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=0.0)
    if a_num or b_num:
        return False
    return a == b


def _get(pred: Any, key: str) -> Any:
    if isinstance(pred, Mapping):
        return pred.get(key)
    return getattr(pred, key, None)


def to_prediction(pred: Any) -> Prediction:
    """Read a dict or an object with the prediction fields into a :class:`Prediction`."""
    start, end = _get(pred, "start"), _get(pred, "end")
    if not isinstance(start, numbers.Integral) or not isinstance(end, numbers.Integral):
        raise TypeError(f"prediction without integer start/end: {pred!r}")
    return Prediction(
        start=int(start),
        end=int(end),
        text=_get(pred, "text"),
        kind=_norm_label(_get(pred, "kind")),
        value=_norm_value(_get(pred, "value")),
        lower=_norm_value(_get(pred, "lower")),
        upper=_norm_value(_get(pred, "upper")),
        unit=_norm_label(_get(pred, "unit")),
        qualifier=_norm_label(_get(pred, "qualifier")),
    )


def _ratio(num: int, den: int, *, empty: float) -> float:
    return num / den if den else empty


def score(gold: Gold, predicted: Iterable[Any]) -> Score:
    """Score predictions against the gold of one article (see the module docstring)."""
    preds = [to_prediction(p) for p in predicted]
    by_span = {g.span: g for g in gold.mentions}
    used: set[tuple[int, int]] = set()

    tp = 0
    false_positives: list[Prediction] = []
    mismatches: list[tuple[GoldMention, Prediction]] = []
    matched: list[tuple[GoldMention, Prediction]] = []
    for p in preds:
        g = by_span.get(p.span)
        if g is None or p.span in used:
            # no gold at this span, or a second prediction for an already matched span
            false_positives.append(p)
            continue
        used.add(p.span)
        matched.append((g, p))
        if g.kind == p.kind and g.unit == p.unit and values_equal(g.value, p.value):
            tp += 1
        else:
            mismatches.append((g, p))

    false_negatives = [g for g in gold.mentions if g.span not in used]
    qualifier_errors = [(g, p) for g, p in matched if g.qualifier != p.qualifier]
    bounds_errors = [
        (g, p)
        for g, p in matched
        if not (values_equal(g.lower, p.lower) and values_equal(g.upper, p.upper))
    ]
    trap_hit_list = [
        (t, p) for p in preds for t in gold.traps if p.start < t.end and t.start < p.end
    ]
    hit_preds = {id(p) for _, p in trap_hit_list}

    n_gold, n_pred = len(gold.mentions), len(preds)
    nothing_to_find = n_gold == 0 and n_pred == 0
    precision = _ratio(tp, n_pred, empty=1.0 if n_gold == 0 else 0.0)
    recall = _ratio(tp, n_gold, empty=1.0)
    f1 = (
        1.0
        if nothing_to_find
        else (2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    )
    empty_accuracy = 1.0 if n_gold == 0 else 0.0
    return Score(
        n_gold=n_gold,
        n_predicted=n_pred,
        true_positives=tp,
        span_matched=len(matched),
        precision=precision,
        recall=recall,
        f1=f1,
        qualifier_accuracy=_ratio(
            len(matched) - len(qualifier_errors), len(matched), empty=empty_accuracy
        ),
        bounds_accuracy=_ratio(
            len(matched) - len(bounds_errors), len(matched), empty=empty_accuracy
        ),
        trap_hits=len(hit_preds),
        false_positives=false_positives,
        false_negatives=false_negatives,
        mismatches=mismatches,
        qualifier_errors=qualifier_errors,
        bounds_errors=bounds_errors,
        trap_hit_list=trap_hit_list,
    )


def combine(scores: Iterable[Score]) -> Score:
    """Micro-average several per-article scores into one (counts summed, ratios recomputed)."""
    scores = list(scores)
    n_gold = sum(s.n_gold for s in scores)
    n_pred = sum(s.n_predicted for s in scores)
    tp = sum(s.true_positives for s in scores)
    matched = sum(s.span_matched for s in scores)
    q_ok = matched - sum(len(s.qualifier_errors) for s in scores)
    b_ok = matched - sum(len(s.bounds_errors) for s in scores)
    precision = _ratio(tp, n_pred, empty=1.0 if n_gold == 0 else 0.0)
    recall = _ratio(tp, n_gold, empty=1.0)
    if n_gold == 0 and n_pred == 0:
        f1 = 1.0
    else:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    empty_accuracy = 1.0 if n_gold == 0 else 0.0
    return Score(
        n_gold=n_gold,
        n_predicted=n_pred,
        true_positives=tp,
        span_matched=matched,
        precision=precision,
        recall=recall,
        f1=f1,
        qualifier_accuracy=_ratio(q_ok, matched, empty=empty_accuracy),
        bounds_accuracy=_ratio(b_ok, matched, empty=empty_accuracy),
        trap_hits=sum(s.trap_hits for s in scores),
        false_positives=[p for s in scores for p in s.false_positives],
        false_negatives=[g for s in scores for g in s.false_negatives],
        mismatches=[m for s in scores for m in s.mismatches],
        qualifier_errors=[m for s in scores for m in s.qualifier_errors],
        bounds_errors=[m for s in scores for m in s.bounds_errors],
        trap_hit_list=[t for s in scores for t in s.trap_hit_list],
    )
