"""The per-article stages of a build, as pure functions a worker can run anywhere.

Everything a build does to one article on its own — decode, clean, find the quantity
mentions, label them automatically — happens here, from the article's catalog entry
and raw bytes, with no file access. The results are small picklable records
(:class:`TextWork`, :class:`~aidstats.auto.figures.LabelRows`) that the build caches per
article (:mod:`aidstats.cache`), runs in parallel (:mod:`aidstats.runners`: local
processes or Dask) and assembles into the corpus tables (:mod:`aidstats.corpuswork`).

Two stages, cached apart, so that a changed dictionary (labelling.yaml, gazetteer.yaml,
glossary.yaml) redoes the labels but not the mentions:

1. **text**: decoded text, paragraphs, blocks, mentions (depends on the bytes, the id,
   title, subtitle, byline and publication date);
2. **labels**: auto label rows of every covered mention (depends on the text stage, the
   dictionaries, and the title, date, donor and recipient of the catalog entry).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from aidstats.auto.figures import Knowledge, LabelRows, label_rows
from aidstats.clean import CleanArticle, clean_article
from aidstats.corpus import Article, article_from_entry, decode_text
from aidstats.mentions import MENTION_DTYPES, mentions_table
from aidstats.text_tables import blocks_table, paragraphs_table

Columns = dict[str, list[Any]]


@dataclass(frozen=True)
class TextWork:
    """Stage 1 of one article: its decoded and cleaned text and its row tables, each
    as columns of plain lists (compact to pickle, cheap to join across articles)."""

    text: str
    encoding: str
    clean_text: str
    paragraphs: Columns
    blocks: Columns
    mentions: Columns

    def mentions_frame(self) -> pd.DataFrame:
        """The article's mentions table, as :func:`aidstats.mentions.mentions_table` gives."""
        return frame(self.mentions, MENTION_DTYPES)


@dataclass(frozen=True)
class CleanText:
    """An article's cleaned text, all the corpus stages need of a :class:`CleanArticle`."""

    article_id: str
    text: str


@dataclass(frozen=True)
class ArticleTask:
    """What a worker needs for one article.

    ``data`` is the raw bytes when stage 1 must run; ``text`` is the cached stage 1 when
    only the labels must be redone (``labels`` says whether they are needed at all).
    """

    index: int
    entry: dict[str, Any]
    file: Path
    sha256: str
    data: bytes | None
    text: TextWork | None
    labels: bool


@dataclass(frozen=True)
class ArticleResult:
    """What a worker returns: the stages it ran (None for a stage it did not)."""

    index: int
    text: TextWork | None
    labels: LabelRows | None


def columns_of(df: pd.DataFrame) -> Columns:
    """A frame as ``{column: list}`` (the columns kept even when there are no rows)."""
    return {name: df[name].tolist() for name in df.columns}


def frame(cols: Columns, dtypes: dict[str, str] | None = None) -> pd.DataFrame:
    """A frame from ``{column: list}``, cast to ``dtypes`` when given."""
    df = pd.DataFrame(cols)
    return df.astype(dtypes) if dtypes else df


def text_stage(article: Article) -> tuple[TextWork, CleanArticle, pd.DataFrame]:
    """Stage 1: clean the article and find its mentions."""
    clean = clean_article(article)
    mentions = mentions_table(clean, article.published_date)
    work = TextWork(
        text=article.text,
        encoding=article.encoding,
        clean_text=clean.text,
        paragraphs=columns_of(paragraphs_table([clean])),
        blocks=columns_of(blocks_table([clean])),
        mentions=columns_of(mentions),
    )
    return work, clean, mentions


def label_stage(
    know: Knowledge, article: Article, clean: CleanArticle, mentions: pd.DataFrame
) -> LabelRows:
    """Stage 2: the auto label rows of every covered mention."""
    return label_rows(know, article, clean, mentions)


def run_article(task: ArticleTask, know: Knowledge | None) -> ArticleResult:
    """Run the stages ``task`` needs (raises AidstatsError for undecodable bytes)."""
    if task.text is None:
        assert task.data is not None
        text, encoding = decode_text(task.data, source=str(task.file))
        article = article_from_entry(
            task.entry, file=task.file, sha256=task.sha256, text=text, encoding=encoding
        )
        work, clean, mentions = text_stage(article)
        fresh: TextWork | None = work
    else:
        work, fresh = task.text, None
        article = article_from_entry(
            task.entry, file=task.file, sha256=task.sha256, text=work.text, encoding=work.encoding
        )
        clean, mentions = clean_article(article), work.mentions_frame()
    labels = None
    if task.labels:
        if know is None:
            raise ValueError("labels requested without the dictionaries (Knowledge)")
        labels = label_stage(know, article, clean, mentions)
    return ArticleResult(task.index, fresh, labels)


def run_batch(tasks: list[ArticleTask], know: Knowledge | None) -> list[ArticleResult]:
    """Run a batch of tasks (one call per worker round trip)."""
    return [run_article(task, know) for task in tasks]
