"""Triage: the mentions of an article that no figure uses and no exclusion explains.

For each, the sentence, the parsed value and a *suggested* indicator where a simple rule
fits (元 near 投入/资金 → funds; 人次 near 接诊 → patients …). The suggestions go to a
draft YAML file for a person to edit and merge into ``registry.yaml`` and
``exclusions.yaml``; triage never writes to the registry itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from aidstats.clean import clean_article
from aidstats.corpus import load_corpus
from aidstats.errors import AidstatsError
from aidstats.figures import link_registry
from aidstats.mentions import all_mentions
from aidstats.outputs import atomic_write_bytes
from aidstats.paths import ProjectPaths

# (units, keywords in the sentence, suggested indicator) — first match wins; only
# indicators present in indicators.yaml are suggested.
RULES: tuple[tuple[frozenset[str], str, str], ...] = (
    (frozenset({"元"}), r"线上|电商|网络", "online_sales_value"),
    (frozenset({"元"}), r"销售", "consumption_sales_value"),
    (frozenset({"吨", "公斤"}), r"销售", "consumption_sales_volume"),
    (frozenset({"%"}), r"增长|同比", "consumption_sales_growth"),
    (frozenset({"%"}), r"占比|占", "livelihood_funds_share"),
    (frozenset({"元"}), r"医疗|卫生|健康", "health_funds"),
    (frozenset({"元"}), r"分红|收益", "village_dividend"),
    (frozenset({"元"}), r"入股|村", "village_investment"),
    (frozenset({"元"}), r"投入|资金|投资", "aid_funds_total"),
    (frozenset({"人次"}), r"接诊|义诊|诊疗|就诊", "patients_treated"),
    (frozenset({"台", "例"}), r"手术", "surgeries"),
    (frozenset({"名", "人"}), r"筛查", "children_screened"),
    (frozenset({"名", "人"}), r"白内障", "cataract_patients"),
    (frozenset({"名", "人"}), r"康复|救助", "rehab_children"),
    (frozenset({"名", "人", "位"}), r"教师|老师|徒弟", "teachers_paired"),
    (frozenset({"名", "人"}), r"学生|青少年|儿童", "students_paired"),
    (frozenset({"个", "项"}), r"项目", "projects_total"),
)


@dataclass(frozen=True)
class Triage:
    """Unaccounted mentions of one article and the draft written for them."""

    article_id: str
    items: pd.DataFrame
    draft: Path | None


def suggest(unit: str | None, sentence: str, known: set[str]) -> str | None:
    """The first rule's indicator that fits the unit and the sentence, if it exists."""
    for units, pattern, indicator in RULES:
        if (unit or "") in units and re.search(pattern, sentence) and indicator in known:
            return indicator
    return None


def _draft_rows(items: pd.DataFrame, article_id: str, published: str) -> dict[str, Any]:
    figures, exclusions = [], []
    year = published[:4]
    for n, r in enumerate(items.itertuples(), start=1):
        context = r.context if r.occurrences > 1 else None
        if isinstance(r.suggested_indicator, str):
            figures.append(
                {
                    "figure_id": f"{article_id}-{r.suggested_indicator.replace('_', '-')}-{n}",
                    "article_id": article_id,
                    "quote": r.text,
                    "context": context,
                    "indicator": r.suggested_indicator,
                    "period_start": year,
                    "period_end": year,
                    "period_type": "annual",
                    "region": "TODO",
                    "donor": "TODO",
                    "program": None,
                    "parent_figure": None,
                    "include_in_totals": True,
                    "exclude_reason": None,
                    "note": f"SUGGESTION by rule from: {r.sentence}",
                }
            )
        else:
            exclusions.append(
                {
                    "article_id": article_id,
                    "quote": r.text,
                    "context": context,
                    "reason": f"TODO: no rule fits ({r.kind}, unit {r.unit}); say why it is not "
                    "a figure, or move it to figures",
                }
            )
    return {"figures": figures, "exclusions": exclusions}


def _context(text: str, start: int, end: int, width: int = 6) -> str:
    """The shortest window around ``text[start:end]`` (up to ``width`` each side, within the
    paragraph) that occurs once in ``text``."""
    for w in range(1, width + 1):
        a = max(text.rfind("\n", 0, start) + 1, start - w)
        b = min(len(text) if text.find("\n", end) == -1 else text.find("\n", end), end + w)
        window = text[a:b]
        if text.count(window) == 1:
            return window
    return text[max(0, start - width) : end + width]


def triage(paths: ProjectPaths, article_id: str, *, draft: Path | None = None) -> Triage:
    """List the unaccounted mentions of ``article_id`` and write a draft YAML for them."""
    articles = load_corpus(paths)
    if article_id not in {a.id for a in articles}:
        raise AidstatsError(
            f"no article {article_id!r} in the catalog; known: {', '.join(a.id for a in articles)}"
        )
    cleaned = [clean_article(a) for a in articles]
    mentions = all_mentions(articles, cleaned)
    linked = link_registry(paths, articles, cleaned, mentions)
    cov = linked.coverage
    todo = mentions[
        mentions["mention_id"].isin(
            cov.loc[
                (cov["status"] == "unaccounted") & (cov["article_id"] == article_id), "mention_id"
            ]
        )
    ].copy()
    text = next(c.text for c in cleaned if c.article_id == article_id)
    known = set(linked.indicators)
    suggestions = [
        suggest(u if isinstance(u, str) else None, s, known)
        for u, s in zip(todo["unit"], todo["sentence"], strict=True)
    ]
    todo["suggested_indicator"] = suggestions
    todo["suggested_category"] = [linked.indicators[i].category if i else None for i in suggestions]
    todo["occurrences"] = [text.count(t) for t in todo["text"]]
    todo["context"] = [
        _context(text, s, e) for s, e in zip(todo["clean_start"], todo["clean_end"], strict=True)
    ]
    published = next(a.published for a in articles if a.id == article_id)
    written = None
    if not todo.empty:
        written = draft or paths.root / "data" / "interim" / f"{article_id}-triage.yaml"
        header = (
            f"# Draft registry and exclusion rows for {article_id}, written by `aidstats triage`.\n"
            "# Every row is a SUGGESTION: check indicator, period, region, donor and program,\n"
            "# fill the TODOs, then move `figures:` rows into data/raw/registry.yaml and\n"
            "# `exclusions:` rows into data/raw/exclusions.yaml.\n"
        )
        body = yaml.safe_dump(
            _draft_rows(todo, article_id, published), allow_unicode=True, sort_keys=False, width=100
        )
        atomic_write_bytes(written, (header + body).encode("utf-8"))
    return Triage(article_id, todo.reset_index(drop=True), written)
