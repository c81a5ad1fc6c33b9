"""Review: turn an article's automatic figures into curated rows.

``draft_review`` writes a YAML draft with every field of every auto figure filled, its
confidence and evidence beside it, so a person only corrects. ``accept_review`` merges the
edited draft into ``registry.yaml``, ``exclusions.yaml`` and ``indicators.yaml`` with a
round-trip YAML editor (ruamel.yaml) that keeps each file's layout and comments, checks
the result by linking it, and restores the files when that fails. Nothing ever overwrites
an existing file without ``force``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from aidstats.build import compute_tables
from aidstats.errors import AidstatsError
from aidstats.intake import raw_lock
from aidstats.outputs import atomic_write_bytes
from aidstats.paths import ProjectPaths
from aidstats.registry import FIGURE_FIELDS
from aidstats.yamlio import load_yaml

INDICATOR_FIELDS = ("id", "label_zh", "label_en", "definition", "category", "dac_code", "measure")


@dataclass(frozen=True)
class Review:
    """The auto figures of one article and the draft written for them."""

    article_id: str
    figures: pd.DataFrame
    draft: Path | None


def _yaml() -> YAML:
    y = YAML()
    y.indent(mapping=4, sequence=4, offset=2)
    y.width = 100
    y.allow_unicode = True
    y.preserve_quotes = True  # "1:1" unquoted is the number 61 to PyYAML (YAML 1.1)
    return y


def _safe(value: Any) -> Any:
    """A string that a YAML 1.1 reader (PyYAML) would take for a number, date or bool is
    written in double quotes (1:1 reads as 61 otherwise)."""
    if isinstance(value, str) and not isinstance(yaml.safe_load(value), str):
        return DoubleQuotedScalarString(value)
    return value


def _context(text: str, quote: str, sentence: str) -> str | None:
    """A substring of the sentence holding the quote once and unique in the article."""
    if text.count(quote) <= 1:
        return None
    at = sentence.find(quote)
    for w in range(1, 12):
        window = sentence[max(0, at - w) : at + len(quote) + w]
        if text.count(window) == 1:
            return window
    return sentence


def _row(f: pd.Series, text: str) -> CommentedMap:
    row = CommentedMap()
    values = {
        "figure_id": f["figure_id"],
        "article_id": f["article_id"],
        "quote": f["quote"],
        "context": _context(text, str(f["quote"]), str(f["sentence"])),
        "indicator": f["indicator"],
        "period_start": f["period_start"],
        "period_end": f["period_end"],
        "period_type": f["period_type"],
        "region": f["region"],
        "donor": f["donor"],
        "program": f["program"],
        "parent_figure": f["parent_figure"],
        "include_in_totals": bool(f["include_in_totals"]),
        "exclude_reason": f["exclude_reason"],
        "note": None,
    }
    for key in FIGURE_FIELDS:
        value = values.get(key)
        missing = value is None or (isinstance(value, float) and pd.isna(value))
        row[key] = None if missing else _safe(value)
    row.yaml_set_start_comment(
        f"confidence {f['confidence']:.2f} · {f['category']}/{f['measure']} · {f['note']}",
        indent=2,
    )
    return row


def _indicator(f: pd.Series) -> CommentedMap:
    entry = CommentedMap()
    entry.update(
        id=f["indicator"],
        label_zh=f["label_zh"],
        label_en=f["label_en"] or "",
        definition=f"{f['subject_zh'] or f['label_zh']} as reported (drafted from an auto figure)",
        category=f["category"],
        dac_code=int(f["dac_code"]),
        measure=f["measure"],
    )
    return entry


def draft_review(
    paths: ProjectPaths, article_id: str, *, draft: Path | None = None, force: bool = False
) -> Review:
    """Write the review draft of ``article_id`` (default data/interim/ID-review.yaml)."""
    tables = compute_tables(paths)
    known = {a.id: a for a in tables.articles}
    if article_id not in known:
        raise AidstatsError(f"no article {article_id!r} in the catalog; known: {', '.join(known)}")
    figures = tables.frames["figures"]
    auto = figures[(figures["article_id"] == article_id) & (figures["status"] == "auto")]
    target = draft or paths.review_draft(article_id)
    if target.resolve().is_relative_to(paths.raw.resolve()):
        raise AidstatsError(
            f"{target}: a draft never goes into data/raw/ (it would replace the human layer); "
            f"write it elsewhere and merge it with `aidstats review {article_id} --accept DRAFT`"
        )
    if auto.empty:
        return Review(article_id, auto, None)
    if target.exists() and not force:
        raise AidstatsError(
            f"{target} exists; pass --force to overwrite it, or --draft another path"
        )
    text = next(c.text for c in tables.cleaned if c.article_id == article_id)
    indicators = {i for i in auto["indicator"] if i.startswith("auto_")}
    doc = CommentedMap()
    doc["figures"] = CommentedSeq([_row(f, text) for _, f in auto.iterrows()])
    doc["exclusions"] = CommentedSeq()
    doc["indicators"] = CommentedSeq(
        [
            _indicator(f)
            for _, f in auto.drop_duplicates("indicator").iterrows()
            if f["indicator"] in indicators
        ]
    )
    doc.yaml_set_start_comment(
        f"Review draft for {article_id} (aidstats review). Every field is filled from the text;\n"
        "check each row against its comment (confidence, evidence), correct what is wrong,\n"
        "move a row that is not a figure to `exclusions:` (article_id, quote, context,\n"
        "reason),\n"
        "rename auto_* indicators if you like (fill label_en), then run\n"
        f"  aidstats review {article_id} --accept {target}"
    )
    buf = io.StringIO()
    _yaml().dump(doc, buf)
    atomic_write_bytes(target, buf.getvalue().encode("utf-8"))
    return Review(article_id, auto.reset_index(drop=True), target)


def _load_rt(path: Path, key: str) -> tuple[Any, CommentedSeq]:
    doc = _yaml().load(path.read_text(encoding="utf-8")) if path.exists() else None
    if doc is None:
        doc = CommentedMap({key: CommentedSeq()})
    if not isinstance(doc, dict) or not isinstance(doc.get(key), list):
        raise AidstatsError(f"{path}: expected a mapping with a `{key}:` list")
    return doc, doc[key]


def _dump(doc: Any) -> bytes:
    buf = io.StringIO()
    _yaml().dump(doc, buf)
    return buf.getvalue().encode("utf-8")


def accept_review(paths: ProjectPaths, article_id: str, draft: Path) -> dict[str, int]:
    """Merge an edited review draft into the human layer; return rows added per file."""
    if not draft.is_file():
        raise AidstatsError(
            f"{draft}: no such draft; write one with `aidstats review {article_id}`"
        )
    load_yaml(draft, what="review draft")  # one-line errors; no anchors, aliases or bombs
    edited = _yaml().load(draft.read_text(encoding="utf-8")) or {}
    if not isinstance(edited, dict):
        raise AidstatsError(f"{draft}: expected figures:, exclusions: and indicators: lists")
    with raw_lock(paths):  # one editor of data/raw/ at a time (aidstats add takes it too)
        return _merge(paths, article_id, draft, edited)


def _merge(paths: ProjectPaths, article_id: str, draft: Path, edited: Any) -> dict[str, int]:
    """Append the draft's rows to the human layer, check it builds, else restore it."""
    targets = {
        "figures": (paths.registry, "figure_id"),
        "exclusions": (paths.exclusions, None),
        "indicators": (paths.indicators, "id"),
    }
    before = {key: path.read_bytes() for key, (path, _) in targets.items() if path.exists()}
    added: dict[str, int] = {}
    docs = {}
    for key, (path, id_key) in targets.items():
        doc, rows = _load_rt(path, key)
        existing = {str(r.get(id_key)) for r in rows} if id_key else set()
        new = list(edited.get(key) or [])
        for i, row in enumerate(new, start=1):
            if not isinstance(row, dict):
                raise AidstatsError(f"{draft}: {key} row {i} is not a mapping of fields")
            if key != "indicators" and row.get("article_id") != article_id:
                raise AidstatsError(f"{draft}: {key} row {i} is not of article {article_id}")
            if id_key and str(row.get(id_key)) in existing:
                raise AidstatsError(
                    f"{draft}: {key} row {i}: {id_key} {row.get(id_key)!r} is already in "
                    f"{path.name}; rename it in the draft"
                )
            if key == "indicators" and not row.get("label_en"):
                raise AidstatsError(f"{draft}: indicators row {i} ({row.get('id')}): fill label_en")
            for field, value in list(row.items()):
                row[field] = _safe(value)
            rows.append(row)
        docs[key], added[key] = doc, len(new)
    for key, (path, _) in targets.items():
        atomic_write_bytes(path, _dump(docs[key]))
    try:
        compute_tables(paths)
    except AidstatsError as exc:
        for key, (path, _) in targets.items():
            if key in before:
                atomic_write_bytes(path, before[key])
        raise AidstatsError(f"{draft}: not merged, the result would not build: {exc}") from None
    return added
