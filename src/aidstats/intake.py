"""Adding an article to the corpus: copy it verbatim, catalogue it, say what it holds.

The file is copied byte for byte (any supported encoding is kept as it is) and its
sha256 recorded in a new catalog entry. Every option is validated first (ids and dates
by anchored ASCII patterns, titles on one line). The catalog is then read, extended and
written under a cross-process lock (``data/.raw.lock``), so concurrent ``aidstats add``
runs queue instead of overwriting each other's entries. The catalog write is the commit
point: the article is copied first, and removed again if the catalog cannot be written;
a copy left by a run killed in between is taken over by the retry when its bytes match.

The entry is appended as text in the catalog's own layout (indentation, line ends, BOM),
so no other line of the file changes; the result is parsed back and compared, and a
catalog laid out in a way this cannot follow (a flow-style list) is refused with a
message saying how to add the entry by hand.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from filelock import FileLock, Timeout

from aidstats.clean import clean_text
from aidstats.corpus import ID_PATTERN, catalog_entries, decode_text, sha256_of
from aidstats.errors import AidstatsError
from aidstats.human.fields import MAX_LINE, one_line, partial_date
from aidstats.human.models import PRECISIONS
from aidstats.mentions import article_quantities
from aidstats.outputs import atomic_write_bytes, os_error, remove_temp_files
from aidstats.paths import ProjectPaths
from aidstats.vocab import COVERED_KINDS

PRECISION_OF_LENGTH = {v: k for k, v in PRECISIONS.items()}
LOCK_TIMEOUT = 60.0
_SUFFIX = re.compile(r"\A\.[A-Za-z0-9]{1,8}\Z")
_ARTICLES_KEY = re.compile(r"^articles:[ \t]*(?:#.*)?$", re.MULTILINE)
_FIRST_ITEM = re.compile(r"^( *)-( +)[^\s#]", re.MULTILINE)
_NEXT_TOP_KEY = re.compile(r"^[^\s#-]", re.MULTILINE)


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
    try:
        partial_date(value)
    except ValueError as exc:
        raise AidstatsError(
            f"{source}: --published {exc}; give YYYY, YYYY-MM or YYYY-MM-DD in ASCII digits"
        ) from None
    return value


def _one_line(value: str | None, *, option: str, source: str) -> str | None:
    """A title or outlet: one line of text (None stays None)."""
    if value is None:
        return None
    value = value.strip()
    try:
        if len(value) > MAX_LINE:
            raise ValueError(value)
        return one_line(value)
    except ValueError:
        raise AidstatsError(
            f"{source}: {option} {value[:40]!r} must be one line of text (at most {MAX_LINE} "
            "characters, no line breaks or control characters); pass it again"
        ) from None


def _entry_lines(entry: dict[str, Any], *, item: int, key: int) -> list[str]:
    """The entry as YAML lines: ``- `` at column ``item``, keys at column ``key``."""
    lines = []
    for name, value in entry.items():
        text = yaml.safe_dump(
            {name: value}, allow_unicode=True, default_flow_style=False, width=10**6
        )
        lines += [" " * key + line for line in text.splitlines()]
    lines[0] = " " * item + "-" + " " * (key - item - 1) + lines[0][key:]
    return lines


def append_entry(text: str, entry: dict[str, Any], *, where: Path) -> str:
    """``text`` (a catalog) with ``entry`` appended to its ``articles:`` list, in the
    file's own indentation and line ends; refuses what it cannot append safely."""
    newline = "\r\n" if "\r\n" in text else "\n"
    by_hand = (
        "add the entry by hand (the fields of the catalog's header), or re-indent the list "
        "in block style ('  - id: …')"
    )
    body = text.replace("\r\n", "\n")
    key_match = _ARTICLES_KEY.search(body)
    item_match = _FIRST_ITEM.search(body, key_match.end()) if key_match else None
    if key_match is None or item_match is None:
        raise AidstatsError(f"{where}: no block-style 'articles:' list to append to; {by_hand}")
    item = len(item_match.group(1))
    key = item + 1 + len(item_match.group(2))
    following = _NEXT_TOP_KEY.search(body, key_match.end())
    cut = following.start() if following else len(body)
    head, tail = body[:cut], body[cut:]
    if head and not head.endswith("\n"):
        head += "\n"
    new = head + "\n".join(_entry_lines(entry, item=item, key=key)) + "\n" + tail
    try:
        before, after = yaml.safe_load(body), yaml.safe_load(new)
    except yaml.YAMLError:
        after = None
    if not isinstance(after, dict) or after != {
        **before,
        "articles": [*before["articles"], entry],
    }:
        raise AidstatsError(f"{where}: the new entry would not read back as written; {by_hand}")
    return new.replace("\n", newline) if newline != "\n" else new


@contextlib.contextmanager
def raw_lock(paths: ProjectPaths) -> Any:
    lock = FileLock(paths.raw_lock, timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except Timeout:
        raise AidstatsError(
            f"{paths.raw_lock}: another aidstats command has been editing data/raw/ for "
            f"{LOCK_TIMEOUT:.0f} s; wait for it to finish and try again"
        ) from None
    except OSError as exc:
        raise os_error(exc, doing="lock data/raw/ for editing") from None
    try:
        yield
    finally:
        lock.release()


def _target(paths: ProjectPaths, source: Path, article_id: str) -> Path:
    suffix = source.suffix if _SUFFIX.match(source.suffix) else ".txt"
    return paths.articles / f"{article_id}{suffix.lower()}"


def _check_new(
    paths: ProjectPaths, *, where: str, digest: str, article_id: str, target: Path
) -> None:
    """Refuse an article already catalogued (same bytes, id or file)."""
    entries = catalog_entries(paths)
    for entry in entries:
        if str(entry["sha256"]).lower() == digest:
            raise AidstatsError(
                f"{where}: already in the corpus as article {entry['id']} (same sha256); "
                "nothing added"
            )
        if entry["id"] == article_id:
            raise AidstatsError(
                f"{where}: id {article_id!r} is already in the catalog; pass another --id"
            )
        if (paths.raw / str(entry["file"])).resolve() == target.resolve():
            raise AidstatsError(
                f"{target}: a file of that name belongs to article {entry['id']}; pass another --id"
            )


def _commit(paths: ProjectPaths, target: Path, data: bytes, catalog: bytes) -> None:
    """Copy the article (unless an identical orphan copy is there), then write the catalog;
    remove a copy this call made if the catalog cannot be written."""
    made = False
    if target.exists():
        if target.read_bytes() != data:
            raise AidstatsError(
                f"{target}: exists, is not in the catalog (left by an interrupted add?) and "
                "differs from this file; remove it or pass another --id"
            )
    else:
        atomic_write_bytes(target, data)
        made = True
    try:
        atomic_write_bytes(paths.catalog, catalog)
    except BaseException:
        if made:
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
        raise


def _entry(
    paths: ProjectPaths, *, article_id: str, target: Path, digest: str, fields: dict[str, Any]
) -> dict[str, Any]:
    published = fields["published"]
    return {
        "id": article_id,
        "file": target.relative_to(paths.raw).as_posix(),
        "sha256": digest,
        "title": fields["title"],
        "subtitle": None,
        "byline": None,
        "outlet": fields["outlet"],
        "outlet_note": None if fields["outlet"] else "not given when the article was added",
        "published": published,
        "published_precision": PRECISION_OF_LENGTH[len(published)],
        "published_reasoning": "given with `aidstats add --published`",
        "donor": [],
        "recipient": [],
    }


def _options(
    where: str,
    *,
    title: str | None,
    published: str | None,
    outlet: str | None,
    ask: Callable[[str], str] | None,
) -> dict[str, Any]:
    """Title, publication date and outlet, asked for when missing and a prompt is given."""
    missing = [name for name, val in (("title", title), ("published", published)) if not val]
    if missing and ask is None:
        options = " and ".join(f"--{m}" for m in missing)
        raise AidstatsError(
            f"{where}: {options} not given and there is no terminal to ask; pass {options}"
        )
    if not title and ask is not None:
        title = ask("Title as printed: ")
    if not published and ask is not None:
        published = ask("Publication date (YYYY, YYYY-MM or YYYY-MM-DD): ")
    title = _one_line(title, option="--title", source=where)
    if not title:
        raise AidstatsError(f"{where}: a title is needed; pass --title")
    return {
        "title": title,
        "published": _published(published or "", source=where),
        "outlet": _one_line(outlet, option="--outlet", source=where),
    }


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
    digest = sha256_of(data)
    article_id = article_id if article_id is not None else slug(source.stem)
    if not ID_PATTERN.match(article_id):
        raise AidstatsError(
            f"{where}: id {article_id!r} must be 2-41 characters of a-z, 0-9 and '-', starting "
            "with a letter or digit; pass --id"
        )
    fields = _options(where, title=title, published=published, outlet=outlet, ask=ask)
    target = _target(paths, source, article_id)
    try:
        with raw_lock(paths):
            remove_temp_files(paths.raw)
            remove_temp_files(paths.articles)
            _check_new(paths, where=where, digest=digest, article_id=article_id, target=target)
            raw_catalog = paths.catalog.read_bytes()
            bom = codecs.BOM_UTF8 if raw_catalog.startswith(codecs.BOM_UTF8) else b""
            new_catalog = append_entry(
                raw_catalog[len(bom) :].decode("utf-8"),
                _entry(paths, article_id=article_id, target=target, digest=digest, fields=fields),
                where=paths.catalog,
            )
            _commit(paths, target, data, bom + new_catalog.encode("utf-8"))
    except OSError as exc:
        raise os_error(exc, doing=f"add {source.name} to data/raw/") from None
    clean = clean_text(text, article_id=article_id, title=fields["title"])
    quantities = article_quantities(clean, partial_date(fields["published"]))
    by_kind: dict[str, int] = {}
    for q in quantities:
        by_kind[q.kind] = by_kind.get(q.kind, 0) + 1
    unaccounted = sum(1 for q in quantities if q.kind in COVERED_KINDS)
    return Added(article_id, target, digest, encoding, len(clean.blocks), by_kind, unaccounted)
