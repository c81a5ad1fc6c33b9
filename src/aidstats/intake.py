"""Adding an article to the corpus: copy it verbatim, catalogue it, say what it holds.

The file is copied byte for byte (any supported encoding is kept as it is) and its
sha256 recorded in a new catalog entry. Nothing is changed when anything is wrong: the
article file and the catalog are each written to a temporary file and renamed, and the
copy is removed again if the catalog cannot be written.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from aidstats.clean import clean_text
from aidstats.corpus import (
    ID_PATTERN,
    PRECISIONS,
    catalog_entries,
    decode_text,
    parse_partial_date,
    sha256_of,
)
from aidstats.errors import AidstatsError
from aidstats.mentions import article_quantities
from aidstats.outputs import atomic_write_bytes
from aidstats.paths import ProjectPaths
from aidstats.vocab import COVERED_KINDS

PRECISION_OF_LENGTH = {v: k for k, v in PRECISIONS.items()}


@dataclass(frozen=True)
class Added:
    """What ``add_article`` did and found."""

    article_id: str
    file: Path
    sha256: str
    encoding: str
    blocks: int
    mentions_by_kind: dict[str, int]
    unaccounted: int


def slug(text: str) -> str:
    """A catalog id from a file name: lower case, a-z0-9 and '-'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def _published(value: str, *, source: str) -> str:
    value = value.strip()
    if len(value) not in PRECISION_OF_LENGTH:
        raise AidstatsError(f"{source}: --published {value!r} must be YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        parse_partial_date(value)
    except ValueError:
        raise AidstatsError(f"{source}: --published {value!r} is not a date") from None
    return value


def catalog_entry_yaml(entry: dict[str, object]) -> str:
    """One catalog entry as YAML text, indented to sit under ``articles:``."""
    text = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=88)
    return "".join("  " + line if line.strip() else line for line in text.splitlines(True))


def add_article(
    paths: ProjectPaths,
    source: Path,
    *,
    article_id: str | None = None,
    title: str | None = None,
    published: str | None = None,
    outlet: str | None = None,
    ask: Callable[[str], str] | None = None,
) -> Added:
    """Copy ``source`` into data/raw/articles/ and add its catalog entry.

    Missing title or publication date are asked for with ``ask`` (a prompt function)
    when given; without it they are an error, so scripts never hang on a prompt.
    """
    where = str(source)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise AidstatsError(f"{where}: cannot read the file ({exc.strerror})") from None
    text, encoding = decode_text(data, source=where)
    entries = catalog_entries(paths)
    digest = sha256_of(data)
    for entry in entries:
        if str(entry["sha256"]).lower() == digest:
            raise AidstatsError(
                f"{where}: already in the corpus as article {entry['id']} (same sha256); "
                "nothing added"
            )
    article_id = article_id or slug(source.stem)
    if not ID_PATTERN.match(article_id):
        raise AidstatsError(
            f"{where}: id {article_id!r} must be 2-41 chars of a-z, 0-9 and '-'; pass --id"
        )
    if any(str(e["id"]) == article_id for e in entries):
        raise AidstatsError(
            f"{where}: id {article_id!r} is already in the catalog; pass another --id"
        )
    missing = [name for name, val in (("title", title), ("published", published)) if not val]
    if missing and ask is None:
        options = " and ".join(f"--{m}" for m in missing)
        raise AidstatsError(
            f"{where}: {options} not given and there is no terminal to ask; pass {options}"
        )
    if not title and ask is not None:
        title = ask("Title as printed: ").strip()
    if not published and ask is not None:
        published = ask("Publication date (YYYY, YYYY-MM or YYYY-MM-DD): ").strip()
    if not title:
        raise AidstatsError(f"{where}: a title is needed; pass --title")
    published = _published(published or "", source=where)

    target = paths.raw / "articles" / f"{article_id}{source.suffix or '.txt'}"
    if target.exists():
        raise AidstatsError(f"{target}: a file of that name exists; pass another --id")
    entry = {
        "id": article_id,
        "file": target.relative_to(paths.raw).as_posix(),
        "sha256": digest,
        "title": title,
        "subtitle": None,
        "byline": None,
        "outlet": outlet,
        "outlet_note": None if outlet else "not given when the article was added",
        "published": published,
        "published_precision": PRECISION_OF_LENGTH[len(published)],
        "published_reasoning": "given with `aidstats add --published`",
        "donor": [],
        "recipient": [],
    }
    catalog_text = paths.catalog.read_text(encoding="utf-8")
    if not catalog_text.endswith("\n"):
        catalog_text += "\n"
    new_catalog = catalog_text + catalog_entry_yaml(entry)
    doc = yaml.safe_load(new_catalog)
    if not isinstance(doc, dict) or doc.get("articles", [])[-1].get("id") != article_id:
        raise AidstatsError(f"{paths.catalog}: could not append the entry; is the file valid?")

    atomic_write_bytes(target, data)
    try:
        atomic_write_bytes(paths.catalog, new_catalog.encode("utf-8"))
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        raise

    clean = clean_text(text, article_id=article_id, title=title)
    quantities = article_quantities(clean, parse_partial_date(published))
    by_kind: dict[str, int] = {}
    for q in quantities:
        by_kind[q.kind] = by_kind.get(q.kind, 0) + 1
    unaccounted = sum(1 for q in quantities if q.kind in COVERED_KINDS)
    return Added(article_id, target, digest, encoding, len(clean.blocks), by_kind, unaccounted)
