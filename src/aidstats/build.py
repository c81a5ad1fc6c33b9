"""The whole pipeline, from data/raw/ to data/processed/, as one function.

Each stage is a pure function in its own module; this one only runs them in order and
hands the tables to :mod:`aidstats.outputs`, which publishes them all at once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from aidstats.clean import CleanArticle, clean_article
from aidstats.corpus import Article, load_corpus
from aidstats.mentions import mentions_table
from aidstats.outputs import staged_directory, write_table
from aidstats.paths import ProjectPaths, project_paths


@dataclass
class BuildResult:
    """What a build wrote, for the report printed by the command line."""

    processed: Path
    files: list[Path] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


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


def all_mentions(articles: list[Article], cleaned: list[CleanArticle]) -> pd.DataFrame:
    """Mentions of every article, in catalog order."""
    frames = [mentions_table(c, a.published_date) for a, c in zip(articles, cleaned, strict=True)]
    return pd.concat(frames, ignore_index=True)


def build(paths: ProjectPaths | None = None) -> BuildResult:
    """Rebuild data/processed/ from data/raw/; raises AidstatsError on bad input."""
    started = time.perf_counter()
    paths = paths or project_paths()
    articles = load_corpus(paths)
    cleaned = [clean_article(a) for a in articles]
    tables = {
        "blocks": blocks_table(cleaned),
        "paragraphs": paragraphs_table(cleaned),
        "mentions": all_mentions(articles, cleaned),
    }
    result = BuildResult(paths.processed)
    with staged_directory(paths.processed) as stage:
        for name, df in tables.items():
            result.files += [paths.processed / p.name for p in write_table(df, stage, name)]
            result.rows[name] = len(df)
    result.seconds = time.perf_counter() - started
    return result
