"""Stage 4b, figures: registry rows linked to their mentions, as one tidy table.

Each figure takes its value, unit, qualifier and bounds from the extracted mention its
quote points at, its labels, category, DAC code and measure from the indicator
vocabulary, and its quote and raw offsets from the article file itself. The coverage
rule is enforced here: every amount/percent/ratio/range/duration mention is used by a
figure or excluded with a reason, or the build stops.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from aidstats.auto.figures import Knowledge, LabelRows, auto_figures, figures_from_rows
from aidstats.clean import CleanArticle, CleanTextLike
from aidstats.corpus import Article
from aidstats.dictionary import columns
from aidstats.errors import AidstatsError
from aidstats.paths import ProjectPaths
from aidstats.registry import (
    Indicator,
    link_rows,
    load_corrections,
    load_exclusions,
    load_indicators,
    load_registry,
)
from aidstats.vocab import COVERED_KINDS, MEASURE_KINDS


@dataclass(frozen=True)
class FigureTables:
    """The linked figures and the coverage of every mention."""

    figures: pd.DataFrame
    coverage: pd.DataFrame


def _apply_corrections(figures: pd.DataFrame, corrections: list[dict[str, Any]]) -> pd.DataFrame:
    out = figures.copy()
    for fix in corrections:
        mask = out["figure_id"] == fix["figure_id"]
        out.loc[mask, fix["field"]] = fix["value"]
        note = f"{fix['field']}: {fix['reason']} (source: {fix['source']})"
        out.loc[mask, "corrected"] = note
    return out


def figures_table(
    rows: list[dict[str, Any]],
    mention_ids: list[str],
    mentions: pd.DataFrame,
    indicators: dict[str, Indicator],
    raw_texts: dict[str, str],
) -> pd.DataFrame:
    """One row per registry figure (pure: no file access)."""
    by_id = mentions.set_index("mention_id")
    records = []
    for row, mid in zip(rows, mention_ids, strict=True):
        m = by_id.loc[mid]
        ind = indicators[row["indicator"]]
        raw_start, raw_end = int(m["raw_start"]), int(m["raw_end"])
        records.append(
            {
                "figure_id": row["figure_id"],
                "article_id": row["article_id"],
                "indicator": ind.id,
                "label_zh": ind.label_zh,
                "label_en": ind.label_en,
                "category": ind.category,
                "dac_code": ind.dac_code,
                "measure": ind.measure,
                "value": m["value"],
                "lower": m["lower"],
                "upper": m["upper"],
                "unit": m["unit"],
                "qualifier": m["qualifier"],
                "period_start": str(row["period_start"]),
                "period_end": str(row["period_end"]),
                "region": row["region"],
                "donor": row["donor"],
                "program": row.get("program"),
                "parent_figure": row.get("parent_figure"),
                "include_in_totals": bool(row["include_in_totals"]),
                "raw_start": raw_start,
                "raw_end": raw_end,
                "quote": raw_texts[row["article_id"]][raw_start:raw_end],
                "sentence": m["sentence"],
                "kind": m["kind"],
                "period_type": row["period_type"],
                "exclude_reason": row.get("exclude_reason"),
                "mention_id": mid,
                "corrected": None,
                "note": row.get("note"),
                "status": "curated",
                "confidence": 1.0,
                "subject_zh": None,
            }
        )
    df = pd.DataFrame(records, columns=columns("figures"))
    return df.astype(
        {
            "value": "float64",
            "lower": "float64",
            "upper": "float64",
            "dac_code": "int64",
            "raw_start": "int64",
            "raw_end": "int64",
            "include_in_totals": "bool",
            "confidence": "float64",
        }
    )


def coverage_table(
    mentions: pd.DataFrame,
    used: dict[str, str],
    excluded: dict[str, str],
) -> pd.DataFrame:
    """Every mention with its status: used (by which curated figure), excluded (why), date,
    or unaccounted (the build then labels it automatically)."""
    status, by = [], []
    for mid, kind in zip(mentions["mention_id"].tolist(), mentions["kind"].tolist(), strict=True):
        if mid in used:
            status.append("used")
            by.append(used[mid])
        elif mid in excluded:
            status.append("excluded")
            by.append(excluded[mid])
        elif kind not in COVERED_KINDS:
            status.append("not_required")
            by.append(f"{kind} mentions need no registry row")
        else:
            status.append("unaccounted")
            by.append("")
    cols = ["article_id", "mention_id", "raw_start", "raw_end", "text", "kind", "sentence"]
    out = mentions[cols].copy()
    out["status"] = status
    out["figure_or_reason"] = by
    return out


@dataclass(frozen=True)
class Linked:
    """Registry and exclusion rows linked to mentions, before coverage is enforced."""

    indicators: dict[str, Indicator]
    rows: list[dict[str, Any]]
    mention_ids: list[str]
    coverage: pd.DataFrame


def link_registry(
    paths: ProjectPaths,
    articles: list[Article],
    cleaned: Sequence[CleanTextLike],
    mentions: pd.DataFrame,
) -> Linked:
    """Validate the registry files and link every row; report coverage without judging."""
    ids = [a.id for a in articles]
    indicators = load_indicators(paths)
    rows = load_registry(paths, indicators, ids)
    exclusions = load_exclusions(paths, ids)
    clean_texts = {c.article_id: c.text for c in cleaned}
    allowed = {k: MEASURE_KINDS[v.measure] for k, v in indicators.items()}
    fig_links = link_rows(
        rows,
        mentions,
        clean_texts,
        file=paths.registry,
        label="figure",
        allowed_kinds=allowed,
        measures={k: v.measure for k, v in indicators.items()},
    )
    exc_links = link_rows(
        exclusions,
        mentions,
        clean_texts,
        file=paths.exclusions,
        label="exclusion",
        all_key="all_occurrences",
    )
    used: dict[str, str] = {}
    for row, (mid,) in zip(rows, fig_links, strict=True):
        if mid in used:
            raise AidstatsError(
                f"{paths.registry}: figures {used[mid]} and {row['figure_id']} point at the same "
                "mention; each mention is one figure"
            )
        used[mid] = row["figure_id"]
    excluded: dict[str, str] = {}
    for row, mids in zip(exclusions, exc_links, strict=True):
        for mid in mids:
            if mid in used:
                raise AidstatsError(
                    f"{paths.exclusions}: {row['quote']!r} ({row['article_id']}) is excluded but "
                    f"used by figure {used[mid]}; drop the exclusion or the figure"
                )
            excluded[mid] = str(row["reason"])
    coverage = coverage_table(mentions, used, excluded)
    return Linked(indicators, rows, [link[0] for link in fig_links], coverage)


def _unaccounted_error(paths: ProjectPaths, missing: pd.DataFrame) -> AidstatsError:
    listed = "; ".join(
        f"{r.article_id} {r.text!r} at raw {r.raw_start}" for r in missing.head(8).itertuples()
    )
    more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
    return AidstatsError(
        f"--strict: {len(missing)} mention(s) neither used in {paths.registry.name} nor "
        f"excluded in {paths.exclusions.name}: {listed}{more}; add a figure or an exclusion "
        "with a reason for each (`aidstats review ARTICLE_ID` drafts them)"
    )


def link_figures(
    paths: ProjectPaths,
    articles: list[Article],
    cleaned: Sequence[CleanTextLike],
    mentions: pd.DataFrame,
    *,
    strict: bool = False,
    labels: list[LabelRows] | None = None,
    know: Knowledge | None = None,
) -> FigureTables:
    """Link the registry and build the figures table: curated rows, plus an auto figure for
    every mention no row uses and no exclusion explains (``strict``: stop instead).

    ``labels``: every article's auto label rows, computed earlier (the build's per-article
    cache); without them the auto figures are labelled here. ``know``: the labeller's
    data if the caller has just loaded it (else it is loaded here)."""
    linked = link_registry(paths, articles, cleaned, mentions)
    coverage = linked.coverage
    missing = coverage[coverage["status"] == "unaccounted"]
    if strict and not missing.empty:
        raise _unaccounted_error(paths, missing)
    if know is None:  # validated on every build, used when a mention is uncurated
        know = Knowledge.load(paths)
    raw_texts = {a.id: a.text for a in articles}
    figures = figures_table(linked.rows, linked.mention_ids, mentions, linked.indicators, raw_texts)
    figures = _apply_corrections(figures, load_corrections(paths, figures["figure_id"]))
    if not missing.empty:
        only = set(missing["mention_id"])
        if labels is not None:
            auto = figures_from_rows(labels, only=only)
        else:
            full = [c for c in cleaned if isinstance(c, CleanArticle)]  # all are, without labels
            auto = auto_figures(know, articles, full, mentions, only=only)
        figures = pd.concat([figures, auto.astype(figures.dtypes.to_dict())], ignore_index=True)
        figures = figures.sort_values(["article_id", "raw_start"], kind="stable", ignore_index=True)
        auto_of = dict(zip(auto["mention_id"].tolist(), auto["figure_id"].tolist(), strict=True))
        # a dict look-up per mention: Arrow-backed isin() boxes every one of ~35,000 ids
        is_auto = np.array([m in auto_of for m in coverage["mention_id"].tolist()], dtype=bool)
        coverage.loc[is_auto, "status"] = "auto"
        coverage.loc[is_auto, "figure_or_reason"] = coverage.loc[is_auto, "mention_id"].map(auto_of)
    return FigureTables(figures, coverage)
