"""Stage 4a, registry: the human layer that says what each reported figure means.

Four hand-edited YAML files in ``data/raw/`` (documented in ``data/raw/README.md``):

- ``indicators.yaml``: the controlled vocabulary (bilingual labels, definition,
  category, OECD DAC sector code, measure);
- ``registry.yaml``: one row per figure, pointing at a quote in an article;
- ``exclusions.yaml``: mentions deliberately left out, each with a reason;
- ``corrections.yaml``: fixes to extracted values, each with a reason.

Values are never typed here: a registry row points at an extracted mention and takes
its value, unit, qualifier and bounds. This module validates the files and links each
row to exactly one mention, with messages that name the file, the row and the fix.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from aidstats.errors import AidstatsError
from aidstats.paths import ProjectPaths
from aidstats.vocab import CATEGORIES, MEASURE_KINDS, PERIOD_TYPES
from aidstats.yamlio import load_yaml

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
INDICATOR_ID = re.compile(r"^[a-z][a-z0-9_]*$")
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
CORRECTABLE = ("value", "lower", "upper", "unit", "qualifier")

FIGURE_FIELDS = (
    "figure_id",
    "article_id",
    "quote",
    "context",
    "indicator",
    "period_start",
    "period_end",
    "period_type",
    "region",
    "donor",
    "program",
    "parent_figure",
    "include_in_totals",
    "exclude_reason",
    "note",
)
REQUIRED_FIGURE_FIELDS = (
    "figure_id",
    "article_id",
    "quote",
    "indicator",
    "period_start",
    "period_end",
    "period_type",
    "region",
    "donor",
    "include_in_totals",
)


@dataclass(frozen=True)
class Indicator:
    """One entry of the controlled vocabulary."""

    id: str
    label_zh: str
    label_en: str
    definition: str
    category: str
    dac_code: int
    measure: str


def _rows(paths_file: Any, doc: Any, key: str) -> list[dict[str, Any]]:
    if doc is None:
        return []
    rows = doc.get(key) if isinstance(doc, dict) else None
    if rows is None:
        rows = []
    if not isinstance(rows, list):
        raise AidstatsError(f"{paths_file}: expected a top-level '{key}:' list")
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise AidstatsError(f"{paths_file}: {key} #{number}: expected a mapping, got {row!r}")
    return rows


def load_indicators(paths: ProjectPaths) -> dict[str, Indicator]:
    """The indicator vocabulary, validated."""
    file = paths.indicators
    rows = _rows(file, load_yaml(file, what="indicator vocabulary"), "indicators")
    out: dict[str, Indicator] = {}
    for number, row in enumerate(rows, start=1):
        where = f"{file}: indicator #{number} ({row.get('id', '?')})"
        fields = ("id", "label_zh", "label_en", "definition", "category", "dac_code", "measure")
        missing = [f for f in fields if row.get(f) in (None, "")]
        if missing:
            raise AidstatsError(f"{where}: missing {', '.join(missing)}; add them")
        if not INDICATOR_ID.match(str(row["id"])):
            raise AidstatsError(f"{where}: id must be snake_case (a-z, 0-9, _)")
        if row["id"] in out:
            raise AidstatsError(f"{where}: duplicate indicator id; ids must be unique")
        if row["category"] not in CATEGORIES:
            raise AidstatsError(
                f"{where}: unknown category {row['category']!r}; use one of {', '.join(CATEGORIES)}"
            )
        if row["measure"] not in MEASURE_KINDS:
            raise AidstatsError(
                f"{where}: unknown measure {row['measure']!r}; use one of "
                f"{', '.join(MEASURE_KINDS)}"
            )
        try:
            dac = int(row["dac_code"])
        except (TypeError, ValueError):
            raise AidstatsError(f"{where}: dac_code must be a number such as 121") from None
        out[str(row["id"])] = Indicator(
            str(row["id"]),
            str(row["label_zh"]),
            str(row["label_en"]),
            str(row["definition"]),
            str(row["category"]),
            dac,
            str(row["measure"]),
        )
    return out


def load_registry(
    paths: ProjectPaths, indicators: dict[str, Indicator], article_ids: Iterable[str]
) -> list[dict[str, Any]]:
    """Registry rows, validated for shape and references (not yet linked to mentions)."""
    file = paths.registry
    rows = _rows(file, load_yaml(file, what="figure registry"), "figures")
    known_articles = set(article_ids)
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        fid = row.get("figure_id")
        where = f"{file}: figure #{number} ({fid or 'no figure_id'})"
        unknown = sorted(set(row) - set(FIGURE_FIELDS))
        if unknown:
            raise AidstatsError(
                f"{where}: unknown field(s) {', '.join(unknown)}; "
                f"allowed: {', '.join(FIGURE_FIELDS)}"
            )
        missing = [f for f in REQUIRED_FIGURE_FIELDS if row.get(f) in (None, "")]
        if missing:
            raise AidstatsError(f"{where}: missing {', '.join(missing)}; add them")
        if not SLUG.match(str(fid)):
            raise AidstatsError(f"{where}: figure_id must be a slug (a-z, 0-9, '-')")
        if fid in seen:
            raise AidstatsError(
                f"{where}: duplicate figure_id, already used by figure #{seen[fid]}; "
                "give each figure its own id"
            )
        seen[fid] = number
        if row["article_id"] not in known_articles:
            raise AidstatsError(
                f"{where}: unknown article_id {row['article_id']!r}; catalogued articles: "
                f"{', '.join(sorted(known_articles))}"
            )
        if row["indicator"] not in indicators:
            close = difflib.get_close_matches(str(row["indicator"]), list(indicators), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise AidstatsError(
                f"{where}: unknown indicator {row['indicator']!r}{hint}; add it to "
                f"{paths.indicators.name} or use an existing one"
            )
        for key in ("period_start", "period_end"):
            if not PARTIAL_DATE.match(str(row[key])):
                raise AidstatsError(
                    f"{where}: {key} {row[key]!r} must be YYYY, YYYY-MM or YYYY-MM-DD (quoted)"
                )
        if str(row["period_start"]) > str(row["period_end"]):
            raise AidstatsError(f"{where}: period_start is after period_end")
        if row["period_type"] not in PERIOD_TYPES:
            raise AidstatsError(f"{where}: period_type must be one of {', '.join(PERIOD_TYPES)}")
        if not isinstance(row["include_in_totals"], bool):
            raise AidstatsError(f"{where}: include_in_totals must be true or false")
        if row["include_in_totals"] is False and not row.get("exclude_reason"):
            raise AidstatsError(
                f"{where}: include_in_totals is false but exclude_reason is empty; say why"
            )
    for number, row in enumerate(rows, start=1):
        parent = row.get("parent_figure")
        if parent and parent not in seen:
            raise AidstatsError(
                f"{file}: figure #{number} ({row['figure_id']}): parent_figure {parent!r} is not "
                "a figure_id in the registry"
            )
        if parent == row["figure_id"]:
            raise AidstatsError(f"{file}: figure #{number}: a figure cannot be its own parent")
    return rows


def load_exclusions(paths: ProjectPaths, article_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Exclusion rows: mentions deliberately not used as figures, with reasons."""
    file = paths.exclusions
    if not file.exists():
        return []
    rows = _rows(file, load_yaml(file, what="exclusions"), "exclusions")
    known = set(article_ids)
    for number, row in enumerate(rows, start=1):
        where = f"{file}: exclusion #{number} ({row.get('quote', '?')})"
        missing = [f for f in ("article_id", "quote", "reason") if not row.get(f)]
        if missing:
            raise AidstatsError(f"{where}: missing {', '.join(missing)}; add them")
        if row["article_id"] not in known:
            raise AidstatsError(f"{where}: unknown article_id {row['article_id']!r}")
        if row.get("context") and row.get("all_occurrences"):
            raise AidstatsError(f"{where}: give either context or all_occurrences, not both")
    return rows


def load_corrections(paths: ProjectPaths, figure_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Corrections to linked figure values, each with a reason and a source."""
    file = paths.corrections
    if not file.exists():
        return []
    rows = _rows(file, load_yaml(file, what="corrections"), "corrections")
    known = set(figure_ids)
    for number, row in enumerate(rows, start=1):
        where = f"{file}: correction #{number} ({row.get('figure_id', '?')})"
        missing = [f for f in ("figure_id", "field", "reason", "source") if not row.get(f)]
        if missing or "value" not in row:
            raise AidstatsError(f"{where}: needs figure_id, field, value, reason and source")
        if row["figure_id"] not in known:
            raise AidstatsError(f"{where}: unknown figure_id {row['figure_id']!r}")
        if row["field"] not in CORRECTABLE:
            raise AidstatsError(f"{where}: field must be one of {', '.join(CORRECTABLE)}")
    return rows


# --------------------------------------------------------------------------- linking


def _occurrences(text: str, needle: str) -> list[int]:
    out, pos = [], text.find(needle)
    while pos != -1:
        out.append(pos)
        pos = text.find(needle, pos + 1)
    return out


def _nearest(quote: str, mentions: pd.DataFrame, n: int = 5) -> str:
    texts = list(dict.fromkeys(mentions["text"]))
    close = difflib.get_close_matches(quote, texts, n=n, cutoff=0.3)
    return ", ".join(close) if close else "none"


def quote_positions(
    row: dict[str, Any], clean_text: str, *, where: str, mentions: pd.DataFrame
) -> list[int]:
    """Clean-text start offsets the row's quote (with its context, if any) points at."""
    quote, context = str(row["quote"]), row.get("context")
    if context:
        context = str(context)
        if quote not in context:
            raise AidstatsError(
                f"{where}: context {context!r} does not contain the quote {quote!r}"
            )
        found = _occurrences(clean_text, context)
        if len(found) != 1:
            state = "is not in the article" if not found else f"occurs {len(found)} times"
            raise AidstatsError(
                f"{where}: context {context!r} {state}; copy a context that occurs exactly "
                "once in the article (within one paragraph)"
            )
        inner = _occurrences(context, quote)
        if len(inner) != 1:
            raise AidstatsError(f"{where}: the quote occurs {len(inner)} times in its context")
        return [found[0] + inner[0]]
    found = _occurrences(clean_text, quote)
    if not found:
        raise AidstatsError(
            f"{where}: quote {quote!r} is not in the article; nearest mentions: "
            f"{_nearest(quote, mentions)}"
        )
    return found


def link_rows(
    rows: list[dict[str, Any]],
    mentions: pd.DataFrame,
    clean_texts: dict[str, str],
    *,
    file: Any,
    label: str,
    allowed_kinds: dict[str, tuple[str, ...]] | None = None,
    all_key: str | None = None,
) -> list[list[str]]:
    """For each row, the mention_ids it points at (exactly one unless ``all_key`` is set).

    Raises with the figure id, the article and the nearest candidates when a quote is
    missing, ambiguous, not an extracted mention, or of the wrong kind.
    """
    by_article = {a: m for a, m in mentions.groupby("article_id", sort=False)}
    linked: list[list[str]] = []
    for number, row in enumerate(rows, start=1):
        ident = row.get("figure_id") or row.get("quote")
        article = row["article_id"]
        where = f"{file}: {label} #{number} ({ident}, article {article})"
        ments = by_article.get(article, mentions.iloc[0:0])
        starts = quote_positions(row, clean_texts[article], where=where, mentions=ments)
        quote = str(row["quote"])
        if len(starts) > 1 and not (all_key and row.get(all_key)):
            raise AidstatsError(
                f"{where}: quote {quote!r} occurs {len(starts)} times in the article; add a "
                "context that picks one"
            )
        ids = []
        for start in starts:
            hit = ments[
                (ments["clean_start"] == start) & (ments["clean_end"] == start + len(quote))
            ]
            if hit.empty:
                overlapping = ments[
                    (ments["clean_start"] < start + len(quote)) & (ments["clean_end"] > start)
                ]
                near = ", ".join(overlapping["text"]) or _nearest(quote, ments)
                raise AidstatsError(
                    f"{where}: quote {quote!r} is not an extracted mention (the quote must be "
                    f"a whole mention); mentions there or nearest: {near}"
                )
            mention = hit.iloc[0]
            if allowed_kinds is not None:
                kinds = allowed_kinds[row["indicator"]]
                if mention["kind"] not in kinds:
                    raise AidstatsError(
                        f"{where}: quote {quote!r} is a {mention['kind']} mention but indicator "
                        f"{row['indicator']} needs {' or '.join(kinds)}; point at another "
                        f"mention (nearest: {_nearest(quote, ments)}) or change the indicator"
                    )
            ids.append(str(mention["mention_id"]))
        linked.append(ids)
    return linked
