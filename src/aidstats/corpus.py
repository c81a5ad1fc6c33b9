"""Stage 1, corpus: the raw articles, verified against the catalog and decoded robustly.

Raw files are never changed. Each is checked against the sha256 recorded in
``data/raw/catalog.yaml``, then decoded: UTF-8 with or without a BOM, or GB18030/GBK
(common in Chinese news archives). The decoded text keeps every character of the file
(CRLF line ends and full-width spaces included), so offsets into it are "raw offsets".
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aidstats.errors import AidstatsError
from aidstats.human import catalog as catalog_table
from aidstats.human.fields import ARTICLE_ID, partial_date
from aidstats.human.load import records
from aidstats.ingested import read_ingested
from aidstats.paths import ProjectPaths, project_paths

ID_PATTERN = ARTICLE_ID
INGESTED_REQUIRED = ("id", "file", "sha256", "title", "published", "published_precision")
PRECISIONS = {"year": 4, "month": 7, "day": 10}

# Share of decoded characters that must be ordinary text (letters incl. CJK, digits,
# punctuation, whitespace) for a GB18030 reading to be believed.
_PLAUSIBLE_SHARE = 0.95


@dataclass(frozen=True)
class Article:
    """One catalogued article with its decoded raw text."""

    id: str
    file: Path
    sha256: str
    title: str
    subtitle: str | None
    byline: str | None
    outlet: str | None
    outlet_note: str | None
    published: str
    published_precision: str
    published_reasoning: str | None
    donor: tuple[str, ...]
    recipient: tuple[str, ...]
    encoding: str
    text: str

    @property
    def published_date(self) -> dt.date:
        """The first day consistent with ``published`` (only its year and month are used
        to resolve 去年/今年)."""
        return parse_partial_date(self.published)


def parse_partial_date(value: str) -> dt.date:
    """``"2022"`` → 2022-01-01, ``"2023-01"`` → 2023-01-01, ``"2021-08-13"`` as is
    (ValueError unless ASCII digits give a real date)."""
    return partial_date(str(value))


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return "\x00" in text or controls > max(2, len(text) // 100)


def _plausible(text: str) -> bool:
    good = sum(1 for ch in text if ch.isprintable() or ch.isspace())
    if good < _PLAUSIBLE_SHARE * len(text):
        return False
    # GB18030 maps many byte pairs to rare characters and private-use code points;
    # real Chinese text is dominated by common CJK, ASCII and CJK punctuation.
    common = sum(
        1
        for ch in text
        if ch.isascii()
        or "\u4e00" <= ch <= "\u9fff"
        or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef"
        or ch in "“”‘’—…·"
    )
    return common >= _PLAUSIBLE_SHARE * len(text)


def _decode_gb18030(data: bytes, *, source: str) -> str:
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise AidstatsError(
            f"{source}: cannot decode as UTF-8 or GB18030 (bad byte at offset "
            f"{exc.start}); convert the file to UTF-8"
        ) from None
    if _looks_binary(text) or not _plausible(text):
        raise AidstatsError(
            f"{source}: not UTF-8, and its GB18030 reading is not plausible Chinese "
            "text; convert the file to UTF-8"
        )
    return text


def decode_text(data: bytes, *, source: str) -> tuple[str, str]:
    """Decode article bytes; return ``(text, encoding)`` or raise a one-line error.

    Accepts UTF-8 (with or without BOM) and GB18030 (a superset of GBK and GB2312).
    Refuses empty, whitespace-only, binary and undecodable files, naming ``source``.
    """
    if not data:
        raise AidstatsError(f"{source}: the file is empty; put the article text in it")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise AidstatsError(f"{source}: UTF-16 text is not supported; re-save the file as UTF-8")
    if b"\x00" in data:
        raise AidstatsError(f"{source}: looks like a binary file, not article text")
    encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text, encoding = _decode_gb18030(data, source=source), "gb18030"
    if _looks_binary(text):
        raise AidstatsError(f"{source}: looks like a binary file, not article text")
    if not text.strip():
        raise AidstatsError(f"{source}: the file holds only whitespace; put the article text in it")
    return text, encoding


def read_text_file(path: Path) -> tuple[str, str]:
    """Read and decode a text file (see :func:`decode_text`)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise AidstatsError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise AidstatsError(f"{path}: is a folder, not a text file") from None
    return decode_text(data, source=str(path))


def _tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def catalog_entries(paths: ProjectPaths) -> list[dict[str, Any]]:
    """The catalog's entries: the hand-edited catalog.yaml, validated (:mod:`aidstats.human`;
    not yet against the files), each with the ``line`` it starts on, then the entries of
    articles ingested in bulk (data/raw/catalog.jsonl)."""
    ingested = read_ingested(paths.ingested_catalog)
    entries = records(catalog_table(paths.catalog, required=not ingested))
    seen = {str(e["id"]): f"{paths.catalog.name} line {e['line']}" for e in entries}
    return entries + _ingested_entries(paths, ingested, seen)


def _ingested_entries(
    paths: ProjectPaths, ingested: list[tuple[int, dict[str, Any]]], seen: dict[str, str]
) -> list[dict[str, Any]]:
    """The entries of data/raw/catalog.jsonl, checked like the hand-edited ones (ingest
    writes them valid; this catches hand edits)."""
    out = []
    for line, entry in ingested:
        art_id = str(entry.get("id"))
        where = f"{paths.ingested_catalog}: line {line} (id {art_id})"
        missing = [key for key in INGESTED_REQUIRED if not entry.get(key)]
        if missing:
            raise AidstatsError(
                f"{where}: missing {', '.join(missing)}; add them or delete the line"
            )
        if not ARTICLE_ID.match(art_id):
            raise AidstatsError(f"{where}: id must be 2-41 chars of a-z, 0-9 and '-'")
        if art_id in seen:
            raise AidstatsError(f"{where}: duplicate id, already used by {seen[art_id]}")
        seen[art_id] = f"{paths.ingested_catalog.name} line {line}"
        published = str(entry["published"])
        if len(published) != PRECISIONS.get(str(entry["published_precision"])):
            raise AidstatsError(f"{where}: published {published!r} does not match its precision")
        out.append(entry)
    return out


def load_corpus(paths: ProjectPaths | None = None) -> list[Article]:
    """Every catalogued article, hash-verified and decoded, in catalog order."""
    paths = paths or project_paths()
    articles = []
    for number, entry in enumerate(catalog_entries(paths), start=1):
        file, data = verified_bytes(paths, number, entry)
        text, encoding = decode_text(data, source=str(file))
        articles.append(
            article_from_entry(
                entry, file=file, sha256=str(entry["sha256"]).lower(), text=text, encoding=encoding
            )
        )
    return articles


def verified_bytes(paths: ProjectPaths, number: int, entry: dict[str, Any]) -> tuple[Path, bytes]:
    """The file and bytes of catalog entry ``number``, checked against its sha256."""
    file = paths.raw / str(entry["file"])
    if not file.is_file():
        catalog = paths.ingested_catalog if "source" in entry else paths.catalog
        line = f"line {entry['line']}: " if entry.get("line") else ""
        where = f"{catalog}: {line}article #{number} ({entry['id']})"
        raise AidstatsError(f"{where}: file {file} does not exist; restore it or fix 'file'")
    data = file.read_bytes()
    digest = sha256_of(data)
    if digest != str(entry["sha256"]).lower():
        raise AidstatsError(
            f"{file}: sha256 {digest} does not match the catalog's {entry['sha256']}; "
            "raw articles must not be edited (restore the original, or if the file was "
            "replaced on purpose, update sha256 in the catalog)"
        )
    return file, data


def article_from_entry(
    entry: dict[str, Any], *, file: Path, sha256: str, text: str, encoding: str
) -> Article:
    """The :class:`Article` of a validated catalog entry and its decoded text."""
    return Article(
        id=str(entry["id"]),
        file=file,
        sha256=sha256,
        title=str(entry["title"]),
        subtitle=entry.get("subtitle"),
        byline=entry.get("byline"),
        outlet=entry.get("outlet"),
        outlet_note=entry.get("outlet_note"),
        published=str(entry["published"]),
        published_precision=str(entry["published_precision"]),
        published_reasoning=entry.get("published_reasoning"),
        donor=_tuple(entry.get("donor")),
        recipient=_tuple(entry.get("recipient")),
        encoding=encoding,
        text=text,
    )
