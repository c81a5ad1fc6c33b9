"""Stage 5c, facts: one fact per many sources, and the corpus panel built on them.

With many articles the same fact is told again and again (one donor's aid funds of one
year in five reports, rounded differently). Figures that agree on indicator, measure,
unit, donor, region and period are one *fact*. Each source says the true value lies in
an interval: an exact figure within half its last stated digit (4.5亿元 → [4.45亿, 4.55亿]),
多/余 from the value up to the next unit, 超/以上 at least, 近 at most, 约 within ±10%
(a convention: the text gives no bound). The fact keeps the tightest interval all its
sources imply (their intersection); when the intersection is empty the sources disagree
beyond rounding and the fact is flagged as a conflict, with every source's value listed
(the triangulation AidData's TUFF method does by hand). Framing numbers (category
``other``) are not facts.

Pure functions: the figures table in, a tidy table out.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from aidstats.checks import stated_step
from aidstats.dictionary import columns
from aidstats.formatting import fmt_number, is_missing
from aidstats.rows import records

KEY = (
    "indicator",
    "measure",
    "unit",
    "donor",
    "region",
    "period_start",
    "period_end",
    "period_type",
)
# The columns of a figure that a fact reads besides its key.
_SOURCE_COLUMNS = (
    "figure_id", "article_id", "quote", "value", "lower", "upper", "qualifier", "status",
    "label_zh", "label_en", "category",
)  # fmt: skip
APPROX = 0.10  # 约/左右: ±10% (the text states no bound; documented above)


def _bound(pick: object, a: float, b: float) -> float:
    """``pick`` (max or min) of two bounds where NaN means unbounded."""
    if math.isnan(a):
        return b
    if math.isnan(b):
        return a
    return pick(a, b)  # type: ignore[operator]


@dataclass(frozen=True)
class Interval:
    """Where one source says the true value lies (NaN = unbounded)."""

    lo: float
    hi: float

    def meet(self, other: Interval) -> Interval:
        """The values both intervals allow."""
        return Interval(_bound(max, self.lo, other.lo), _bound(min, self.hi, other.hi))

    @property
    def empty(self) -> bool:
        return not (math.isnan(self.lo) or math.isnan(self.hi)) and self.lo > self.hi


def _number(x: Any) -> float:
    """A cell as a float, NaN when missing (a plain float, the usual case, as it is)."""
    if type(x) is float:
        return x
    return math.nan if is_missing(x) else float(x)


def interval(fig: Mapping[str, Any]) -> Interval:
    """The interval one figure's wording allows (see the module docstring)."""
    value = _number(fig["value"])
    qualifier = fig["qualifier"]
    if qualifier == "exact" and not math.isnan(value):
        step = stated_step(str(fig["quote"]))
        # half a step each side, open at the ends: 20 and 21 do not agree
        half = 0.0 if math.isnan(step) or fig["unit"] == "%" else step / 2 * (1 - 1e-9)
        return Interval(value - half, value + half)
    if qualifier == "approx" and not math.isnan(value):
        return Interval(value * (1 - APPROX), value * (1 + APPROX))
    return Interval(_number(fig["lower"]), _number(fig["upper"]))


def _fact_id(key: tuple[object, ...]) -> str:
    parts = [k if type(k) is str else "" if is_missing(k) else str(k) for k in key]
    return "fact-" + hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:10]


def _median(values: list[float]) -> float:
    """The median (NaN for none), as ``np.median`` gives it (the mean of the two middle
    values of an even count), without numpy's per-call cost: most facts have one source
    and a corpus has tens of thousands."""
    if len(values) <= 1:
        return values[0] if values else math.nan
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _value(values: list[float], meet: Interval, *, conflict: bool) -> float:
    """The fact's value: the median of the stated values its bounds allow (超过8049元,
    超过6255元 and 2.3万元 are 2.3万元), never a value outside the bounds; with a conflict,
    the median of them all."""
    if conflict or not values:
        return _median(values)
    lo = -math.inf if math.isnan(meet.lo) else meet.lo
    hi = math.inf if math.isnan(meet.hi) else meet.hi
    inside = [v for v in values if lo <= v <= hi]
    return _median(inside) if inside else min(max(_median(values), lo), hi)


def _one_fact(key: tuple[object, ...], group: list[Mapping[str, Any]]) -> tuple[object, ...]:
    """The fact told by ``group``, the figures (as records) that share ``key``; one
    source (most facts) is never a conflict and needs no note."""
    first = group[0]
    meet = interval(first)
    for fig in group[1:]:
        meet = meet.meet(interval(fig))
    conflict = len(group) > 1 and meet.empty
    values = [float(f["value"]) for f in group if not is_missing(f["value"])]
    return _fact_row(
        key,
        first,
        value=_value(values, meet, conflict=conflict),
        meet=meet,
        conflict=conflict,
        figure_ids=";".join(f["figure_id"] for f in group),
        article_ids=[f["article_id"] for f in group],
        curated=any(f["status"] == "curated" for f in group),
        note=_told(group, conflict=conflict),
    )


def _told(group: list[Mapping[str, Any]], *, conflict: bool) -> str:
    """What a fact's sources say, when it has more than one."""
    if len(group) == 1:
        return ""
    told = "; ".join(f"{f['figure_id']} {f['quote']}" for f in group)
    if conflict:
        return f"sources disagree beyond rounding: {told}"
    return f"told {len(group)}×: {told}"


# The facts table's columns, in the order _fact_row gives them (checked at import).
_ROW = (
    "fact_id", *KEY, "label_zh", "label_en", "category", "value", "lower", "upper",
    "n_sources", "n_articles", "figure_ids", "article_ids", "status", "conflict", "note",
)  # fmt: skip
if tuple(columns("facts")) != _ROW:
    raise AssertionError("the facts declaration changed: update facts._fact_row")


def _fact_row(
    key: tuple[object, ...],
    first: Mapping[str, Any],
    *,
    value: float,
    meet: Interval,
    conflict: bool,
    figure_ids: str,
    article_ids: list[str],
    curated: bool,
    note: str,
) -> tuple[object, ...]:
    """The row of one fact, in the columns' order: its key, the first source's labels and
    what its sources say (a tuple: a frame is built from 25,000 of them a corpus)."""
    return (
        _fact_id(key),
        *key,
        first["label_zh"],
        first["label_en"],
        first["category"],
        value,
        math.nan if conflict else meet.lo,
        math.nan if conflict else meet.hi,
        len(article_ids),
        len(set(article_ids)),
        figure_ids,
        ";".join(dict.fromkeys(article_ids)),
        "curated" if curated else "auto",
        conflict,
        note,
    )


def facts(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per fact: the figures that tell it, the tightest bounds, conflicts flagged."""
    usable = figures[(figures["category"] != "other") & figures["period_start"].notna()]
    # plain records and group positions: a pandas frame per group costs ~100x more
    figs = records(usable, [*KEY, *_SOURCE_COLUMNS])
    grouped = usable.groupby(list(KEY), sort=True, dropna=False).indices
    rows = [_one_fact(key, [figs[i] for i in pos]) for key, pos in grouped.items()]
    out = pd.DataFrame(rows, columns=columns("facts"))
    return out.sort_values(
        ["indicator", "donor", "region", "period_end"], kind="stable", ignore_index=True
    )


PANEL_MEASURES = ("money", "people", "person_times", "items", "count", "events", "area", "weight")


def panel(fact_table: pd.DataFrame) -> pd.DataFrame:
    """The corpus panel: indicator × donor × region × year of the additive facts, one
    row each (the year is the period's last; cumulative facts say so in period_type),
    in the columns the ``panel`` declaration lists."""
    usable = fact_table[fact_table["measure"].isin(PANEL_MEASURES)].copy()
    usable["year"] = usable["period_end"].astype(str).str[:4]
    return usable[columns("panel")].sort_values(
        ["indicator", "donor", "region", "year"], ignore_index=True
    )


def _most_told_first(fact_table: pd.DataFrame) -> pd.DataFrame:
    """Curated facts first, then those told by most articles, then by most sources
    (ties keep the table's order)."""
    rank = pd.DataFrame(
        {
            "auto": (fact_table["status"] != "curated").to_numpy(),
            "articles": -fact_table["n_articles"].to_numpy(),
            "sources": -fact_table["n_sources"].to_numpy(),
        },
        index=fact_table.index,
    )
    order = rank.sort_values(["auto", "articles", "sources"], kind="stable").index
    return fact_table.loc[order]


def conflicts(fact_table: pd.DataFrame) -> pd.DataFrame:
    """The facts (or panel rows) whose sources disagree, the ones to look at first on top."""
    flagged = fact_table["conflict"].astype(bool).to_numpy()
    return _most_told_first(fact_table[flagged]).reset_index(drop=True)


def most_told(fact_table: pd.DataFrame, limit: int) -> pd.DataFrame:
    """At most ``limit`` rows of a facts or panel table, in its own order: the curated
    ones and those told by most articles and sources (a readable part of a large corpus)."""
    keep = _most_told_first(fact_table).index[:limit]
    return fact_table.loc[fact_table.index.isin(keep)].reset_index(drop=True)


def describe(fact: pd.Series) -> str:
    """A fact as a reader would say it: 援疆资金 4.5亿元 (3 sources)."""
    amount = fmt_number(fact["value"], fact["unit"])
    return f"{fact['label_zh']} {amount} ({fact['n_sources']} sources)"
