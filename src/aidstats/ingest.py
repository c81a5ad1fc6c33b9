"""Bulk ingest: many articles at once, each kept byte for byte and catalogued.

``aidstats ingest SOURCE`` reads a folder of ``.txt`` files with a ``catalog.csv``, or a
JSON Lines, CSV or Parquet file (:mod:`aidstats.ingest_sources`). Every row is checked on
its own and ends in one of four outcomes, never stopping the batch:

- **added**: its text is stored under ``data/raw/articles/ingested/<sha[:2]>/<id>.txt``
  (the bytes of a ``.txt`` file as they are; a table's text as UTF-8) and one line is
  appended to ``data/raw/catalog.jsonl``;
- **duplicate**: its text (same sha256) or its id is already in the corpus or earlier in
  the batch;
- **irrelevant** (``relevant_only``): :func:`aidstats.relevance.relevance` says it is not
  about paired aid to Xinjiang;
- **rejected**, with the reason: a malformed row, a missing id or title, an empty text, a
  text in another encoding, a missing or odd date.

An article's file is written before its catalog line, and Ctrl-C is held back while the
two are written, so an interrupted ingest leaves a consistent catalog; running it again
skips what is in (as duplicates) and adds the rest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aidstats.corpus import ID_PATTERN, PRECISIONS, catalog_entries, decode_text, sha256_of
from aidstats.errors import AidstatsError
from aidstats.ingest_sources import SourceRow, row_count, source_rows, unlisted_files
from aidstats.ingested import CatalogAppender, repair_tail
from aidstats.outputs import atomic_write_bytes
from aidstats.paths import ProjectPaths

EARLIEST_YEAR = 1949
STATUSES = ("added", "duplicate", "irrelevant", "rejected")
_DAY = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T ][\d:.+\-Z ]*)?$")
_MONTH = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")
_YEAR = re.compile(r"^(\d{4})年?$")
_LIST_SEP = re.compile(r"[;；]")


@dataclass(frozen=True)
class Outcome:
    """What happened to one source row."""

    number: int
    status: str
    article_id: str | None
    reason: str
    line: int | None = None

    @property
    def where(self) -> str:
        """``row 7`` (``row 7 (line 9)`` for a CSV row that starts on another line)."""
        extra = f" (line {self.line})" if self.line not in (None, self.number + 1) else ""
        return f"row {self.number}{extra}"


@dataclass
class IngestReport:
    """Counts and per-row outcomes of one ingest (added rows are counted, not listed)."""

    source: Path
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    added_ids: list[str] = field(default_factory=list)
    skipped: list[Outcome] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)
    repaired_bytes: int = 0
    interrupted: bool = False

    def record(self, outcome: Outcome) -> None:
        self.counts[outcome.status] += 1
        if outcome.status == "added":
            self.added_ids.append(str(outcome.article_id))
        else:
            self.skipped.append(outcome)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def normalise_date(value: Any) -> tuple[str, str]:
    """``(published, precision)`` from a date, datetime or string; ValueError with the
    reason for anything else (a date before 1949 or in the future is odd)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("missing date: give published as YYYY, YYYY-MM or YYYY-MM-DD")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        parts = (value.year, value.month, value.day)
    elif isinstance(value, int) and not isinstance(value, bool):
        parts = (value,)
    else:
        text = str(value).strip()
        match = _DAY.match(text) or _MONTH.match(text) or _YEAR.match(text)
        if match is None:
            raise ValueError(f"odd date {text!r}: give published as YYYY, YYYY-MM or YYYY-MM-DD")
        parts = tuple(int(g) for g in match.groups())
    try:
        first = dt.date(*parts, *(1,) * (3 - len(parts)))
    except (TypeError, ValueError):
        raise ValueError(f"odd date {value!r}: no such day") from None
    if first.year < EARLIEST_YEAR or first > dt.date.today():
        raise ValueError(f"odd date {value!r}: before {EARLIEST_YEAR} or in the future")
    precision = ("year", "month", "day")[len(parts) - 1]
    return first.isoformat()[: PRECISIONS[precision]], precision


def _text(value: object) -> str | None:
    """A stripped optional string; empty, None and NaN are None."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def _names(value: object) -> list[str]:
    if isinstance(value, list | tuple):
        return [t for v in value if (t := _text(v))]
    text = _text(value)
    return [t for part in _LIST_SEP.split(text) if (t := part.strip())] if text else []


@dataclass(frozen=True)
class Candidate:
    """A row that passed every check: its bytes and its catalog entry."""

    data: bytes
    text: str
    entry: dict[str, Any]


def check_row(row: SourceRow, *, source: str) -> Candidate:
    """The row as a catalog entry, or ValueError with the reason it is rejected."""
    if row.problem is not None:
        raise ValueError(row.problem)
    fields = row.fields
    art_id = _text(fields.get("id"))
    if art_id is None:
        raise ValueError("missing id")
    if not ID_PATTERN.match(art_id):
        raise ValueError(f"id {art_id!r} must be 2-41 chars of a-z, 0-9 and '-'")
    title = _text(fields.get("title"))
    if title is None:
        raise ValueError("missing title")
    published, precision = normalise_date(fields.get("published"))
    if row.text is None or (isinstance(row.text, str) and not row.text):
        raise ValueError("empty text")
    data = row.text if isinstance(row.text, bytes) else row.text.encode("utf-8")
    try:
        text, _ = decode_text(data, source="text")
    except AidstatsError as exc:
        raise ValueError(str(exc)) from None
    outlet = _text(fields.get("outlet"))
    entry = {
        "id": art_id,
        "sha256": sha256_of(data),
        "title": title,
        "subtitle": None,
        "byline": _text(fields.get("byline")),
        "outlet": outlet,
        "outlet_note": None if outlet else f"not given in {source}",
        "url": _text(fields.get("url")),
        "published": published,
        "published_precision": precision,
        "published_reasoning": f"given in {source} row {row.number}",
        "donor": _names(fields.get("donor")),
        "recipient": _names(fields.get("recipient")),
        "source": f"{source} row {row.number}",
    }
    return Candidate(data, text, entry)


@contextlib.contextmanager
def held_interrupt(received: list[int]) -> Iterator[None]:
    """Hold back Ctrl-C (SIGINT) until the block is done, noting it in ``received`` (the
    caller stops once its bookkeeping is done)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class Ingester:
    """Adds checked rows to one project, remembering what is in."""

    def __init__(self, paths: ProjectPaths, *, relevant_only: bool = False) -> None:
        self.paths = paths
        entries = catalog_entries(paths)
        self.by_sha = {str(e["sha256"]).lower(): str(e["id"]) for e in entries}
        self.ids = {str(e["id"]) for e in entries}
        self.interrupts: list[int] = []  # Ctrl-C received while a row was being written
        self.gazetteer = None
        if relevant_only:
            from aidstats.gazetteer import load_gazetteer

            self.gazetteer = load_gazetteer(paths.gazetteer)

    def outcome(self, row: SourceRow, *, source: str, appender: CatalogAppender) -> Outcome:
        """Check one row and add it when it passes."""

        def done(status: str, art_id: str | None, reason: str) -> Outcome:
            return Outcome(row.number, status, art_id, reason, row.line)

        try:
            cand = check_row(row, source=source)
        except ValueError as exc:
            return done("rejected", _text(row.fields.get("id")), str(exc))
        art_id, sha = cand.entry["id"], cand.entry["sha256"]
        if sha in self.by_sha:
            same = self.by_sha[sha]
            return done("duplicate", art_id, f"same text (sha256) as article {same}")
        if art_id in self.ids:
            return done("duplicate", art_id, f"id {art_id} is already in the corpus")
        if self.gazetteer is not None:
            from aidstats.relevance import relevance

            found = relevance(cand.text, self.gazetteer, title=cand.entry["title"])
            if not found.relevant:
                return done("irrelevant", art_id, found.reason)
        target = self.paths.ingested_articles / sha[:2] / f"{art_id}.txt"
        cand.entry["file"] = target.relative_to(self.paths.raw).as_posix()
        with held_interrupt(self.interrupts):
            atomic_write_bytes(target, cand.data)
            appender.append(cand.entry)
        self.by_sha[sha] = art_id
        self.ids.add(art_id)
        return done("added", art_id, "")


def ingest(
    paths: ProjectPaths,
    source: Path,
    *,
    relevant_only: bool = False,
    progress: bool | None = None,
) -> IngestReport:
    """Add every good row of ``source`` to the corpus (see the module docstring).

    ``progress``: show a progress bar (None: only on a terminal). Ctrl-C stops after the
    row being written; the report then says ``interrupted``.
    """
    from tqdm import tqdm

    report = IngestReport(source)
    rows = source_rows(source)
    if source.is_dir():
        report.unlisted = unlisted_files(source)
    report.repaired_bytes = repair_tail(paths.ingested_catalog)
    ingester = Ingester(paths, relevant_only=relevant_only)
    name = source.name
    disable = None if progress is None else not progress  # None: tqdm's own tty test
    bar = tqdm(total=row_count(source), unit="article", desc="ingest", disable=disable)
    with bar, CatalogAppender(paths.ingested_catalog) as appender:
        try:
            for row in rows:
                report.record(ingester.outcome(row, source=name, appender=appender))
                bar.update()
                if ingester.interrupts:
                    raise KeyboardInterrupt
        except KeyboardInterrupt:
            report.interrupted = True
    return report
