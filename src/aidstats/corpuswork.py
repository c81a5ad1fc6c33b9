"""The per-article part of a build, cached and parallel: data/raw/ in, corpus tables out.

For every catalogued article (catalog.yaml and catalog.jsonl) the raw bytes are read
and checked against their sha256 here, in this process; the cache
(:mod:`aidstats.cache`) is asked for the article's text stage and label stage; only
the stages it does not hold are run (:mod:`aidstats.runners`: here, on local worker
processes or on Dask) and stored as they complete. The results are then joined, in
catalog order, into the paragraphs, blocks and mentions tables and the auto label rows
the corpus stages need. A build after adding one article to a thousand runs that one
article's stages; a changed labelling.yaml reruns the labels of every article but none
of its mentions.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

import pandas as pd

from aidstats.auto.figures import Knowledge, LabelRows
from aidstats.cache import WorkCache, dictionary_fingerprint, label_key, text_key
from aidstats.clean import CleanArticle, clean_article
from aidstats.corpus import Article, article_from_entry, catalog_entries, verified_bytes
from aidstats.mentions import MENTION_DTYPES
from aidstats.paths import ProjectPaths
from aidstats.perarticle import ArticleTask, CleanText, Columns, TextWork, frame
from aidstats.runners import RunOptions, run_tasks


@dataclass
class WorkStats:
    """How much per-article work a build did and how much it found in the cache."""

    articles: int = 0
    text_runs: int = 0
    text_hits: int = 0
    label_runs: int = 0
    label_hits: int = 0
    mode: str = "serial"
    seconds: float = 0.0

    def line(self) -> str:
        """One line for the build report."""
        return (
            f"per-article work ({self.mode}): {self.articles} articles; text stage run "
            f"{self.text_runs}, cached {self.text_hits}; labels run {self.label_runs}, "
            f"cached {self.label_hits}; {self.seconds:.1f} s"
        )


@dataclass
class CorpusWork:
    """The per-article results of every article, joined in catalog order."""

    articles: list[Article]
    cleaned: list[CleanText]
    paragraphs: pd.DataFrame
    blocks: pd.DataFrame
    mentions: pd.DataFrame
    labels: list[LabelRows]
    stats: WorkStats = field(default_factory=WorkStats)
    know: Knowledge | None = None  # the labeller's data, when some article was labelled


@dataclass
class _Slot:
    """One article on its way through the cache and the workers."""

    entry: dict[str, Any]
    file: Path
    sha256: str
    data: bytes | None
    text_key: str
    label_key: str
    text: TextWork | None = None
    labels: LabelRows | None = None


def _join(parts: list[Columns]) -> Columns:
    """Per-article ``{column: list}`` joined into one (columns of the first that has any)."""
    names = next((list(p) for p in parts if p), [])
    return {name: [v for p in parts for v in p.get(name, [])] for name in names}


def _slots(paths: ProjectPaths, cache: WorkCache) -> list[_Slot]:
    dictionaries = dictionary_fingerprint(paths)
    slots = []
    for number, entry in enumerate(catalog_entries(paths), start=1):
        file, data = verified_bytes(paths, number, entry)
        sha = str(entry["sha256"]).lower()
        tkey = text_key(entry, sha)
        lkey = label_key(entry, tkey, dictionaries)
        slot = _Slot(entry, file, sha, None, tkey, lkey)
        slot.text = cache.get("text", tkey)
        slot.labels = cache.get("labels", lkey)
        slot.data = data if slot.text is None else None  # bytes only for what must be read
        slots.append(slot)
    return slots


def _run_missing(
    slots: list[_Slot], paths: ProjectPaths, cache: WorkCache, options: RunOptions
) -> tuple[WorkStats, Knowledge | None]:
    """Run the stages the cache did not hold; store each result as it arrives. Returns
    the counts and the labeller's data when it was loaded."""
    from tqdm import tqdm

    stats = WorkStats(articles=len(slots))
    tasks = [
        ArticleTask(
            index=i,
            entry=s.entry,
            file=s.file,
            sha256=s.sha256,
            data=s.data,
            text=s.text,
            labels=s.labels is None,
        )
        for i, s in enumerate(slots)
        if s.text is None or s.labels is None
    ]
    stats.text_runs = sum(t.text is None for t in tasks)
    stats.label_runs = sum(t.labels for t in tasks)
    stats.text_hits = len(slots) - stats.text_runs
    stats.label_hits = len(slots) - stats.label_runs
    stats.mode = options.mode(len(tasks))
    know = Knowledge.load(paths) if stats.label_runs else None
    disable = None if options.progress is None else not options.progress
    with tqdm(total=len(tasks), unit="article", desc="build", disable=disable) as bar:
        for results in run_tasks(tasks, know, options):
            for result in results:
                slot = slots[result.index]
                if result.text is not None:
                    slot.text = result.text
                    cache.put("text", slot.text_key, result.text)
                if result.labels is not None:
                    slot.labels = result.labels
                    cache.put("labels", slot.label_key, result.labels)
            bar.update(len(results))
    return stats, know


def corpus_work(paths: ProjectPaths, options: RunOptions | None = None) -> CorpusWork:
    """Every article's per-article results, from the cache or computed (see the module)."""
    started = time.perf_counter()
    options = options or RunOptions()
    cache = WorkCache(paths.cache if options.cache else None)
    slots = _slots(paths, cache)
    stats, know = _run_missing(slots, paths, cache, options)
    texts = [s.text for s in slots if s.text is not None]
    labels = [s.labels for s in slots if s.labels is not None]
    if len(texts) != len(slots) or len(labels) != len(slots):
        raise RuntimeError("a worker returned no result for some article")  # a bug, not input
    articles = [
        article_from_entry(s.entry, file=s.file, sha256=s.sha256, text=t.text, encoding=t.encoding)
        for s, t in zip(slots, texts, strict=True)
    ]
    work = CorpusWork(
        articles=articles,
        cleaned=[CleanText(a.id, t.clean_text) for a, t in zip(articles, texts, strict=True)],
        paragraphs=frame(_join([t.paragraphs for t in texts])),
        blocks=frame(_join([t.blocks for t in texts])),
        mentions=frame(_join([t.mentions for t in texts]), MENTION_DTYPES),
        labels=labels,
        stats=stats,
        know=know,
    )
    stats.seconds = time.perf_counter() - started
    return work


class CleanedArticles(Sequence[CleanArticle]):
    """Every article's :class:`CleanArticle`, cleaned again when asked for: a build keeps
    only the cleaned text (the offset maps of 10,000 articles would take gigabytes)."""

    def __init__(self, articles: list[Article]) -> None:
        self._articles = articles

    def __len__(self) -> int:
        return len(self._articles)

    @overload
    def __getitem__(self, index: int) -> CleanArticle: ...

    @overload
    def __getitem__(self, index: slice) -> list[CleanArticle]: ...

    def __getitem__(self, index: int | slice) -> CleanArticle | list[CleanArticle]:
        if isinstance(index, slice):
            return [clean_article(a) for a in self._articles[index]]
        return clean_article(self._articles[index])
