"""Stage 3, mentions: every quantity mention of every article, at raw offsets.

Extraction runs on the cleaned text (so a page break cannot cut a mention or hide a
name), and each mention's span is mapped back to the raw file with the offset map.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from aidstats.clean import CleanArticle, clean_text
from aidstats.corpus import (
    Article,
    catalog_entries,
    decode_text,
    parse_partial_date,
    read_text_file,
)
from aidstats.dictionary import columns
from aidstats.errors import AidstatsError
from aidstats.extract import Quantity, extract_quantities
from aidstats.paths import project_paths

MENTION_DTYPES = {
    "raw_start": "int64",
    "raw_end": "int64",
    "paragraph": "int64",
    "clean_start": "int64",
    "clean_end": "int64",
    "value": "float64",
    "lower": "float64",
    "upper": "float64",
    "article_id": "str",
    "mention_id": "str",
    "text": "str",
    "kind": "str",
    "qualifier": "str",
}


def _number(value: float | str | None) -> float | None:
    return None if value is None or isinstance(value, str) else float(value)


def article_quantities(clean: CleanArticle, published: dt.date | None) -> list[Quantity]:
    """Quantities found in the cleaned text of one article (clean offsets)."""
    return extract_quantities(clean.text, published=published)


def mentions_table(clean: CleanArticle, published: dt.date | None) -> pd.DataFrame:
    """One row per mention: raw offsets, parsed fields, paragraph and sentence.

    ``value`` holds numbers (NaN for dates and ranges); ``date`` holds a date mention's
    ISO value.
    """
    rows = []
    for n, q in enumerate(article_quantities(clean, published), start=1):
        raw_start, raw_end = clean.raw_span(q.start, q.end)
        rows.append(
            {
                "article_id": clean.article_id,
                "mention_id": f"{clean.article_id}#{n:03d}",
                "raw_start": raw_start,
                "raw_end": raw_end,
                "clean_start": q.start,
                "clean_end": q.end,
                "text": q.text,
                "kind": q.kind,
                "value": _number(q.value),
                "date": q.value if q.kind == "date" else None,
                "lower": q.lower,
                "upper": q.upper,
                "unit": q.unit,
                "qualifier": q.qualifier,
                "paragraph": clean.paragraph_at(q.start).number,
                "sentence": clean.sentence_at(q.start, q.end),
            }
        )
    return pd.DataFrame(rows, columns=columns("mentions")).astype(MENTION_DTYPES)


def all_mentions(articles: list[Article], cleaned: list[CleanArticle]) -> pd.DataFrame:
    """Mentions of every article, in catalog order."""
    frames = [mentions_table(c, a.published_date) for a, c in zip(articles, cleaned, strict=True)]
    return pd.concat(frames, ignore_index=True)


def _catalog_date(path: Path, root: Path | None) -> dt.date | None:
    """The catalog's publication date of ``path`` if it is a catalogued article."""
    try:
        paths = project_paths(root)
        entries = catalog_entries(paths)
    except AidstatsError:
        return None
    resolved = path.resolve()
    for entry in entries:
        if (paths.raw / str(entry["file"])).resolve() == resolved:
            return parse_partial_date(str(entry["published"]))
    return None


def text_mentions(raw: str, *, published: dt.date | None) -> list[dict[str, object]]:
    """Mentions of one decoded text as dicts with the Quantity field names (offsets into
    ``raw``)."""
    clean = clean_text(raw)
    records = []
    for q in article_quantities(clean, published):
        start, end = clean.raw_span(q.start, q.end)
        record = q.to_dict()
        record.update(start=start, end=end, text=raw[start:end])
        records.append(record)
    return records


def file_mentions(
    path: Path, *, published: dt.date | None = None, root: Path | None = None
) -> list[dict[str, object]]:
    """Mentions of one text file as dicts with the Quantity field names.

    Offsets index the decoded file text; ``published`` defaults to the catalog date when
    the file is a catalogued article.
    """
    raw, _ = read_text_file(path)
    if published is None:
        published = _catalog_date(path, root)
    return text_mentions(raw, published=published)


def stdin_mentions(
    stream: BinaryIO, *, published: dt.date | None = None
) -> list[dict[str, object]]:
    """Mentions of text read from ``stream`` (standard input), decoded like a file."""
    raw, _ = decode_text(stream.read(), source="standard input")
    return text_mentions(raw, published=published)


def format_table(path: Path, records: list[dict[str, object]]) -> str:
    """A plain-text table of ``records`` for people."""
    lines = [f"# {path} ({len(records)} mentions)"]
    header = ("start", "end", "kind", "qualifier", "value", "lower", "upper", "unit", "text")
    lines.append("\t".join(header))
    for r in records:
        lines.append("\t".join("" if r[h] is None else str(r[h]) for h in header))
    return "\n".join(lines) + "\n"
