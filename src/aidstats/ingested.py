"""The ingested catalog: ``data/raw/catalog.jsonl``, one JSON object per article.

``aidstats ingest`` appends here; ``catalog.yaml`` stays the hand-edited catalog and
:func:`aidstats.corpus.catalog_entries` reads both. JSON Lines is a table that can grow
by appending: adding an article writes one line in one system call after its file is in
place, so an interrupted ingest leaves every complete line valid. A last line cut short
by a crash (power loss, ``kill -9``) is dropped by the next ingest, which then adds that
article again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from aidstats.errors import AidstatsError

# Field order of a written line (the catalog.yaml fields, then where the row came from).
FIELDS = (
    "id",
    "file",
    "sha256",
    "title",
    "subtitle",
    "byline",
    "outlet",
    "outlet_note",
    "url",
    "published",
    "published_precision",
    "published_reasoning",
    "donor",
    "recipient",
    "source",
)


def read_ingested(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """``(line number, entry)`` for every line of the ingested catalog ([] if none)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    lines = data.split(b"\n")
    out = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError as exc:
            cut = number == len(lines) and not data.endswith(b"\n")
            fix = (
                "the last write was interrupted: run `aidstats ingest` again to repair it"
                if cut
                else "fix or delete the line"
            )
            raise AidstatsError(f"{path}: line {number}: not valid JSON ({exc}); {fix}") from None
        if not isinstance(entry, dict):
            raise AidstatsError(
                f"{path}: line {number}: expected a JSON object of catalog fields; "
                "fix or delete the line"
            )
        out.append((number, entry))
    return out


def repair_tail(path: Path) -> int:
    """Drop a last line without its newline (an interrupted append); bytes dropped."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return 0
    if not data or data.endswith(b"\n"):
        return 0
    keep = data.rfind(b"\n") + 1
    with path.open("r+b") as fh:
        fh.truncate(keep)
    return len(data) - keep


def entry_line(entry: dict[str, Any]) -> bytes:
    """One catalog entry as a JSON line (fields in :data:`FIELDS` order, Chinese kept)."""
    ordered = {key: entry.get(key) for key in FIELDS}
    return (json.dumps(ordered, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


class CatalogAppender:
    """Appends entries to the ingested catalog, one ``write`` per line."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def append(self, entry: dict[str, Any]) -> None:
        """Write one entry; the line is complete on disk or absent."""
        line = entry_line(entry)
        written = os.write(self._fd, line)
        if written != len(line):  # a full disk: undo the partial line
            os.ftruncate(self._fd, os.lseek(self._fd, 0, os.SEEK_END) - written)
            raise AidstatsError(f"{self.path}: could not append a whole line (disk full?)")

    def close(self) -> None:
        """Flush to disk and close."""
        if self._fd >= 0:
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> CatalogAppender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
