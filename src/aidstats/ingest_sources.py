"""Reading a bulk source for ``aidstats ingest``: one :class:`SourceRow` per article.

Four shapes are read, each streamed so that a source of any size needs little memory:

- a folder of ``.txt`` files with a ``catalog.csv`` beside them (columns ``id``, ``title``,
  ``published`` and optionally ``file``, default ``<id>.txt``, plus the optional columns);
- a JSON Lines file (``.jsonl``/``.ndjson``), one object per line;
- a CSV file (``.csv``), one row per article, with a header;
- a Parquet file (``.parquet``), one row per article.

Tables have the columns ``id``, ``title``, ``published``, ``text`` and optionally
``outlet``, ``url``, ``byline``, ``donor``, ``recipient``. A source without a required
column stops with one line; a row that cannot be read (malformed JSON, a CSV row with the
wrong number of fields, bytes that are not UTF-8, a missing file) becomes a row with a
``problem`` and is reported, never stopping the batch.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aidstats.errors import AidstatsError

REQUIRED_COLUMNS = ("id", "title", "published", "text")
OPTIONAL_COLUMNS = ("outlet", "url", "byline", "donor", "recipient")
FOLDER_CATALOG = "catalog.csv"
PARQUET_BATCH = 1000


@dataclass(frozen=True)
class SourceRow:
    """One article as read from a source, before any check.

    ``number`` counts data rows from 1 (for JSON Lines it is the line number; for a CSV
    it is the row after the header, ``line`` its first line); ``text`` is a string from a
    table or the raw bytes of a ``.txt`` file.
    """

    number: int
    fields: dict[str, Any]
    text: str | bytes | None
    problem: str | None = None
    line: int | None = None


def _missing_columns(have: list[str], need: tuple[str, ...], *, source: Path) -> None:
    missing = [c for c in need if c not in have]
    if missing:
        raise AidstatsError(
            f"{source}: no column {', '.join(missing)} (found {', '.join(have) or 'none'}); "
            f"a source needs the columns {', '.join(need)}"
        )


def _csv_rows(path: Path, need: tuple[str, ...]) -> Iterator[SourceRow]:
    """Rows of a UTF-8 CSV; undecodable bytes are kept as surrogates and reported per row."""
    text = path.read_bytes().decode("utf-8-sig", errors="surrogateescape")
    csv.field_size_limit(2**31 - 1)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise AidstatsError(f"{path}: empty file; a source needs a header row")
    header = [h.strip() for h in header]
    _missing_columns(header, need, source=path)
    line = reader.line_num + 1
    for number, values in enumerate(reader, start=1):
        first, line = line, reader.line_num + 1
        problem = None
        if len(values) != len(header):
            problem = f"malformed row: {len(values)} fields where the header has {len(header)}"
        elif any(_has_surrogates(v) for v in values):
            problem = "not UTF-8: re-save the source as UTF-8"
        fields = dict(zip(header, values, strict=False)) if problem is None else {}
        text = fields.pop("text", None)
        yield SourceRow(number, fields, text, problem, line=first)


def _has_surrogates(value: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def _jsonl_rows(path: Path) -> Iterator[SourceRow]:
    with path.open("rb") as fh:
        first = True
        for number, raw in enumerate(fh, start=1):
            if first and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            first = False
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                yield SourceRow(number, {}, None, f"not UTF-8 (byte {exc.start} of the line)")
                continue
            except ValueError as exc:
                yield SourceRow(number, {}, None, f"malformed JSON ({exc})")
                continue
            if not isinstance(obj, dict):
                yield SourceRow(number, {}, None, "not a JSON object of columns")
                continue
            text = obj.pop("text", None)
            yield SourceRow(number, obj, text)


def _parquet_rows(path: Path) -> Iterator[SourceRow]:
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a broken file
        raise AidstatsError(f"{path}: not a readable Parquet file ({exc})") from None
    names = handle.schema_arrow.names
    _missing_columns(names, REQUIRED_COLUMNS, source=path)
    wanted = [c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in names]
    number = 0
    for batch in handle.iter_batches(batch_size=PARQUET_BATCH, columns=wanted):
        for record in batch.to_pylist():
            number += 1
            text = record.pop("text", None)
            yield SourceRow(number, record, text)


def _folder_rows(folder: Path) -> Iterator[SourceRow]:
    catalog = folder / FOLDER_CATALOG
    if not catalog.is_file():
        raise AidstatsError(
            f"{folder}: no {FOLDER_CATALOG} in the folder; list each .txt file with its id, "
            "title and published date there"
        )
    for row in _csv_rows(catalog, ("id", "title", "published")):
        if row.problem is not None:
            yield row
            continue
        fields = dict(row.fields)
        name = (fields.pop("file", None) or f"{fields.get('id', '')}.txt").strip()
        path = folder / name
        if Path(name).is_absolute() or ".." in Path(name).parts:
            yield SourceRow(row.number, fields, None, f"file {name!r} is outside the folder")
        elif not path.is_file():
            yield SourceRow(row.number, fields, None, f"file {name} not found in {folder}")
        else:
            yield SourceRow(row.number, fields, path.read_bytes(), line=row.line)


def unlisted_files(folder: Path) -> list[str]:
    """``.txt`` files of a folder source that its catalog.csv does not name."""
    listed = set()
    for row in _csv_rows(folder / FOLDER_CATALOG, ("id", "title", "published")):
        if row.problem is None:
            listed.add((row.fields.get("file") or f"{row.fields.get('id', '')}.txt").strip())
    return sorted(p.name for p in folder.glob("*.txt") if p.name not in listed)


def source_rows(source: Path) -> Iterator[SourceRow]:
    """Every row of ``source`` (see the module docstring for the shapes)."""
    if source.is_dir():
        return _folder_rows(source)
    if not source.is_file():
        raise AidstatsError(f"{source}: not found; give a folder, .jsonl, .csv or .parquet file")
    suffix = source.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return _jsonl_rows(source)
    if suffix == ".csv":
        return _csv_rows(source, REQUIRED_COLUMNS)
    if suffix == ".parquet":
        return _parquet_rows(source)
    raise AidstatsError(
        f"{source}: unknown source type {suffix or '(none)'}; give a folder of .txt files "
        "with catalog.csv, or a .jsonl, .csv or .parquet file"
    )


def row_count(source: Path) -> int | None:
    """How many rows ``source`` holds when cheap to tell (for the progress bar)."""
    if source.is_file() and source.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        try:
            return int(pq.ParquetFile(source).metadata.num_rows)
        except Exception:
            return None
    if source.is_file() and source.suffix.lower() in (".jsonl", ".ndjson"):
        with source.open("rb") as fh:
            return sum(1 for line in fh if line.strip())
    return None
