"""The whole pipeline, from data/raw/ to data/processed/, as one function.

Each stage is a pure function in its own module; this one only runs them in order and
hands the tables to :mod:`aidstats.outputs`, which publishes them so that a crash leaves
the complete old or the complete new output, and never touches files it did not write.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from aidstats.analysis import beneficiaries, sales_growth, spending_shares
from aidstats.checks import consistency_checks, load_checks
from aidstats.clean import CleanArticle
from aidstats.corpus import Article
from aidstats.corpuswork import CleanedArticles, WorkStats, corpus_work
from aidstats.datapackage import descriptor
from aidstats.facts import facts, panel
from aidstats.figures import link_figures
from aidstats.outputs import publishing, write_json, write_table
from aidstats.paths import ProjectPaths, project_paths
from aidstats.runners import RunOptions
from aidstats.schemas import validate
from aidstats.text_tables import blocks_table, paragraphs_table  # noqa: F401 (re-exported)


@dataclass
class BuildResult:
    """What a build wrote, for the report printed by the command line."""

    processed: Path
    files: list[Path] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    per_article: list[str] = field(default_factory=list)
    work: WorkStats | None = None


def _per_article(articles: pd.DataFrame, figures: pd.DataFrame) -> list[str]:
    """One line per article: curated and auto figures, and what the labeller could not
    tell (an article with no quantities, or donors and regions outside the gazetteer)."""
    fields = ("donor", "region", "period_start")
    auto = figures[figures["status"] == "auto"]
    missing = auto[list(fields)].isna().groupby(auto["article_id"]).sum().to_dict("index")
    lines = []
    for r in articles.itertuples():
        line = f"{r.article_id}: {r.figures} curated, {r.auto_figures} auto, {r.excluded} excluded"
        counts = missing.get(r.article_id, {})
        unknown = [f"{f} unknown for {n}" for f in fields if (n := int(counts.get(f, 0)))]
        if r.mentions == 0:
            unknown.append("no quantities found")
        lines.append(line + (f" ({'; '.join(unknown)})" if unknown else ""))
    return lines


def _counts(df: pd.DataFrame, **where: str) -> dict[str, int]:
    """Rows per article of ``df`` where every ``column=value`` of ``where`` holds."""
    if df.empty:
        return {}
    mask = pd.Series(True, index=df.index)
    for col, val in where.items():
        mask &= df[col] == val
    return {str(k): int(v) for k, v in df.loc[mask, "article_id"].value_counts().items()}


def articles_table(
    articles: list[Article],
    paragraphs: pd.DataFrame,
    mentions: pd.DataFrame,
    coverage: pd.DataFrame,
    raw: Path,
) -> pd.DataFrame:
    """The catalog with derived counts, one row per article."""

    counts = {
        "paragraphs": _counts(paragraphs),
        "mentions": _counts(mentions),
        "figures": _counts(coverage, status="used"),
        "excluded": _counts(coverage, status="excluded"),
        "auto_figures": _counts(coverage, status="auto"),
    }
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
            **{name: by_article.get(a.id, 0) for name, by_article in counts.items()},
        }
        for a in articles
    ]
    return pd.DataFrame(rows)


@dataclass
class Tables:
    """Every table a build produces, before anything is written."""

    articles: list[Article]
    cleaned: Sequence[CleanArticle]
    frames: dict[str, pd.DataFrame]
    work: WorkStats | None = None


def compute_tables(
    paths: ProjectPaths, *, strict: bool = False, run: RunOptions | None = None
) -> Tables:
    """Run every stage in memory and validate each table against its schema (``strict``:
    every mention must be curated or excluded; ``run``: how the per-article stages run
    and whether they are cached, see :mod:`aidstats.corpuswork`)."""
    work = corpus_work(paths, run)
    articles, cleaned = work.articles, work.cleaned
    paragraphs, mentions = work.paragraphs, work.mentions
    linked = link_figures(
        paths, articles, cleaned, mentions, strict=strict, labels=work.labels, know=work.know
    )
    work.labels = []  # rows of the figures table now: freed for the stages that follow
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
    frames["panel"] = panel(frames["facts"])
    frames["coverage"] = linked.coverage
    frames["blocks"] = work.blocks
    frames = {  # figures was validated above
        name: df if name == "figures" else validate(name, df) for name, df in frames.items()
    }
    return Tables(articles, CleanedArticles(articles), frames, work.stats)


@contextlib.contextmanager
def fewer_collections(first: int = 100_000) -> Iterator[None]:
    """Run the cyclic garbage collector less often while the tables are built.

    A build makes millions of small objects (cache entries, rows, strings) and almost no
    reference cycles; with the default threshold (700 allocations) the collector runs
    thousands of times, each full pass walking the whole, growing heap: ~5% of a build.
    Cycles are still collected, only less often; the threshold is restored afterwards.
    """
    old = gc.get_threshold()
    gc.set_threshold(max(first, old[0]), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _write_tables(frames: dict[str, pd.DataFrame], stage: Path) -> list[Path]:
    """Each table's CSV and Parquet file in ``stage``, in the order of ``frames``.

    Two at a time: most of the work (Arrow compute, Parquet encoding, file writes) runs
    without the GIL, so a second thread takes ~30% off the wall time. Each file is
    written by one thread from one table, so the bytes do not depend on the interleaving.
    """
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="aidstats-write") as pool:
        futures = [pool.submit(write_table, df, stage, name) for name, df in frames.items()]
        return [path for future in futures for path in future.result()]


def build(
    paths: ProjectPaths | None = None,
    *,
    strict: bool = False,
    run: RunOptions | None = None,
    views: bool = True,
) -> BuildResult:
    """Rebuild data/processed/ from data/raw/; raises AidstatsError on bad input and on a
    failed write (full disk, read-only folder), leaving the previous outputs in place
    (``views=False``: tables and datapackage.json only, no charts and no workbook)."""
    started = time.perf_counter()
    paths = paths or project_paths()
    with fewer_collections():
        tables = compute_tables(paths, strict=strict, run=run)
    result = BuildResult(
        paths.processed,
        per_article=_per_article(tables.frames["articles"], tables.frames["figures"]),
        work=tables.work,
    )
    with publishing(paths.processed) as stage:
        written = _write_tables(tables.frames, stage)
        result.rows.update({name: len(df) for name, df in tables.frames.items()})
        if views:  # imported here: plotly and openpyxl cost ~0.3 s a --tables-only build
            from aidstats.charts import write_charts
            from aidstats.excel import write_workbook

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
