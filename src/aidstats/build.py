"""The whole pipeline, from data/raw/ to data/processed/, as one function.

Each stage is a pure function in its own module; this one only runs them in order and
hands the tables to :mod:`aidstats.outputs`, which publishes them so that a crash leaves
the complete old or the complete new output, and never touches files it did not write.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from aidstats.analysis import beneficiaries, sales_growth, spending_shares
from aidstats.charts import write_charts
from aidstats.checks import consistency_checks, load_checks
from aidstats.clean import CleanArticle, clean_article
from aidstats.corpus import Article, load_corpus
from aidstats.datapackage import descriptor
from aidstats.excel import write_workbook
from aidstats.facts import facts
from aidstats.figures import link_figures
from aidstats.mentions import all_mentions
from aidstats.outputs import publishing, write_json, write_table
from aidstats.paths import ProjectPaths, project_paths
from aidstats.schemas import validate


@dataclass
class BuildResult:
    """What a build wrote, for the report printed by the command line."""

    processed: Path
    files: list[Path] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    per_article: list[str] = field(default_factory=list)


def _per_article(articles: pd.DataFrame, figures: pd.DataFrame) -> list[str]:
    """One line per article: curated and auto figures, and what the labeller could not
    tell (an article with no quantities, or donors and regions outside the gazetteer)."""
    lines = []
    for r in articles.itertuples():
        line = f"{r.article_id}: {r.figures} curated, {r.auto_figures} auto, {r.excluded} excluded"
        auto = figures[(figures["article_id"] == r.article_id) & (figures["status"] == "auto")]
        unknown = [
            f"{field} unknown for {n}"
            for field in ("donor", "region", "period_start")
            if (n := int(auto[field].isna().sum()))
        ]
        if r.mentions == 0:
            unknown.append("no quantities found")
        lines.append(line + (f" ({'; '.join(unknown)})" if unknown else ""))
    return lines


def paragraphs_table(cleaned: list[CleanArticle]) -> pd.DataFrame:
    """One row per cleaned paragraph (blocks joined across page breaks)."""
    rows = [
        {
            "article_id": c.article_id,
            "paragraph": p.number,
            "block": p.blocks[0],
            "blocks": ";".join(str(b) for b in p.blocks),
            "kind": p.kind,
            "text": p.text,
            "raw_start": p.body.raw_start,
            "raw_end": p.body.raw_end,
        }
        for c in cleaned
        for p in c.paragraphs
    ]
    return pd.DataFrame(rows)


def blocks_table(cleaned: list[CleanArticle]) -> pd.DataFrame:
    """One row per raw block with its kind (the classification, before joining)."""
    rows = [
        {
            "article_id": c.article_id,
            "block": b.number,
            "kind": b.kind,
            "blank_lines_before": b.gap,
            "text": b.text,
            "raw_start": b.body.raw_start,
            "raw_end": b.body.raw_end,
        }
        for c in cleaned
        for b in c.blocks
    ]
    return pd.DataFrame(rows)


def articles_table(
    articles: list[Article],
    paragraphs: pd.DataFrame,
    mentions: pd.DataFrame,
    coverage: pd.DataFrame,
    raw: Path,
) -> pd.DataFrame:
    """The catalog with derived counts, one row per article."""

    def count(df: pd.DataFrame, art: str, **where: str) -> int:
        mask = df["article_id"] == art
        for col, val in where.items():
            mask &= df[col] == val
        return int(mask.sum())

    rows = [
        {
            "article_id": a.id,
            "file": a.file.relative_to(raw).as_posix(),
            "sha256": a.sha256,
            "encoding": a.encoding,
            "title": a.title,
            "subtitle": a.subtitle,
            "byline": a.byline,
            "outlet": a.outlet,
            "outlet_note": a.outlet_note,
            "published": a.published,
            "published_precision": a.published_precision,
            "published_reasoning": a.published_reasoning,
            "donor": ";".join(a.donor),
            "recipient": ";".join(a.recipient),
            "characters": len(a.text),
            "paragraphs": count(paragraphs, a.id),
            "mentions": count(mentions, a.id),
            "figures": count(coverage, a.id, status="used"),
            "excluded": count(coverage, a.id, status="excluded"),
            "auto_figures": count(coverage, a.id, status="auto"),
        }
        for a in articles
    ]
    return pd.DataFrame(rows)


@dataclass
class Tables:
    """Every table a build produces, before anything is written."""

    articles: list[Article]
    cleaned: list[CleanArticle]
    frames: dict[str, pd.DataFrame]


def compute_tables(paths: ProjectPaths, *, strict: bool = False) -> Tables:
    """Run every stage in memory and validate each table against its schema (``strict``:
    every mention must be curated or excluded)."""
    articles = load_corpus(paths)
    cleaned = [clean_article(a) for a in articles]
    paragraphs = paragraphs_table(cleaned)
    mentions = all_mentions(articles, cleaned)
    linked = link_figures(paths, articles, cleaned, mentions, strict=strict)
    figures = validate("figures", linked.figures)
    clean_texts = {c.article_id: c.text for c in cleaned}
    frames = {
        "articles": articles_table(articles, paragraphs, mentions, linked.coverage, paths.raw),
        "paragraphs": paragraphs,
        "mentions": mentions,
        "figures": figures,
        "spending_shares": spending_shares(figures),
        "sales_growth": sales_growth(figures),
        "beneficiaries": beneficiaries(figures),
        "facts": facts(figures),
        "consistency_checks": consistency_checks(
            figures, mentions, clean_texts, load_checks(paths), file=paths.checks
        ),
    }
    frames["coverage"] = linked.coverage
    frames["blocks"] = blocks_table(cleaned)
    frames = {name: validate(name, df) for name, df in frames.items()}
    return Tables(articles, cleaned, frames)


def build(paths: ProjectPaths | None = None, *, strict: bool = False) -> BuildResult:
    """Rebuild data/processed/ from data/raw/; raises AidstatsError on bad input and on a
    failed write (full disk, read-only folder), leaving the previous outputs in place."""
    started = time.perf_counter()
    paths = paths or project_paths()
    tables = compute_tables(paths, strict=strict)
    result = BuildResult(
        paths.processed,
        per_article=_per_article(tables.frames["articles"], tables.frames["figures"]),
    )
    with publishing(paths.processed) as stage:
        written: list[Path] = []
        for name, df in tables.frames.items():
            written += write_table(df, stage, name)
            result.rows[name] = len(df)
        written += write_charts(tables.frames, stage / paths.charts.name)
        written.append(write_workbook(tables.frames, stage / paths.workbook.name))
        written.append(
            write_json(
                descriptor(list(tables.frames), tables.articles, paths.raw),
                stage / paths.datapackage.name,
            )
        )
        result.files = [paths.processed / p.relative_to(stage) for p in written]
    result.seconds = time.perf_counter() - started
    return result
