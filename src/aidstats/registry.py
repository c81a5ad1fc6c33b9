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
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from aidstats import human
from aidstats.errors import AidstatsError
from aidstats.human.load import Table, records
from aidstats.human.models import FigureRow
from aidstats.paths import ProjectPaths

CORRECTABLE = ("value", "lower", "upper", "unit", "qualifier")
FIGURE_FIELDS = tuple(FigureRow.model_fields)
REQUIRED_FIGURE_FIELDS = tuple(k for k, f in FigureRow.model_fields.items() if f.is_required())
# A money figure must point at an amount of money, and nothing else may.
MONEY_UNITS = ("元", "美元", "欧元", "港元", "英镑", "块")


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


def load_indicators(paths: ProjectPaths) -> dict[str, Indicator]:
    """The indicator vocabulary, validated (:mod:`aidstats.human`)."""
    return {
        row.id: Indicator(**row.model_dump()) for row in human.indicators(paths.indicators).rows
    }


def load_registry(
    paths: ProjectPaths, indicators: dict[str, Indicator], article_ids: Iterable[str]
) -> list[dict[str, Any]]:
    """Registry rows, validated for types, shape and references (not yet linked to
    mentions), as plain dicts in file order, each with the ``line`` it starts on."""
    table = human.registry(paths.registry)
    known_articles = set(article_ids)
    for index, row in enumerate(table.rows):
        if row.article_id not in known_articles:
            table.fail(
                index,
                "article_id",
                f"unknown article {row.article_id!r}; catalogued articles: "
                f"{', '.join(sorted(known_articles))}",
            )
        if row.indicator not in indicators:
            close = difflib.get_close_matches(row.indicator, list(indicators), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            table.fail(
                index,
                "indicator",
                f"unknown indicator {row.indicator!r}{hint}; add it to "
                f"{paths.indicators.name} or use an existing one",
            )
    return records(table)


def _check_known(table: Table[Any], known: set[str], *, field: str, what: str, fix: str) -> None:
    """Fail each row of ``table`` whose ``field`` is not in ``known``, naming the fix."""
    for index, row in enumerate(table.rows):
        value = getattr(row, field)
        if value not in known:
            table.fail(index, field, f"unknown {what} {value!r}; {fix}")


def load_exclusions(paths: ProjectPaths, article_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Exclusion rows: mentions deliberately not used as figures, with reasons."""
    table = human.exclusions(paths.exclusions)
    fix = f"use an id from {paths.catalog.name}"
    _check_known(table, set(article_ids), field="article_id", what="article", fix=fix)
    return records(table)


def load_corrections(paths: ProjectPaths, figure_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Corrections to linked figure values, each with a reason and a source."""
    table = human.corrections(paths.corrections)
    fix = f"use a figure_id from {paths.registry.name}"
    _check_known(table, set(figure_ids), field="figure_id", what="figure", fix=fix)
    return [row.model_dump() for row in table.rows]


def unit_problem(measure: str, unit: str | None) -> str | None:
    """Why a mention with ``unit`` cannot be a figure of ``measure``, or None if it can."""
    unit = unit if isinstance(unit, str) and unit else None
    money = unit in MONEY_UNITS
    if measure == "money" and not money:
        return f"is not an amount of money (unit {unit or 'none'})"
    if measure != "money" and money and unit != "块":
        return f"is an amount of money ({unit}), not {measure}"
    if measure == "person_times" and unit != "人次":
        return f"counts {unit or 'no unit'}, not 人次 (person-times)"
    if measure == "people" and unit == "人次":
        return "counts 人次 (person-times), not distinct people"
    return None


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
    measures: dict[str, str] | None = None,
    all_key: str | None = None,
) -> list[list[str]]:
    """For each row, the mention_ids it points at (exactly one unless ``all_key`` is set).

    Raises with the figure id, the article and the nearest candidates when a quote is
    missing, ambiguous, not an extracted mention, of the wrong kind, or (``measures``:
    indicator → measure) of a unit the indicator's measure cannot have.
    """
    named = mentions[mentions["article_id"].isin({row["article_id"] for row in rows})]
    by_article = {a: m for a, m in named.groupby("article_id", sort=False)}  # only these
    linked: list[list[str]] = []
    for number, row in enumerate(rows, start=1):
        ident = row.get("figure_id") or row.get("quote")
        article = row["article_id"]
        line = f" line {row['line']}:" if row.get("line") else ""
        where = f"{file}:{line} {label} #{number} ({ident}, article {article})"
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
            if measures is not None:
                measure = measures[row["indicator"]]
                problem = unit_problem(measure, mention["unit"])
                if problem is not None:
                    raise AidstatsError(
                        f"{where}: quote {quote!r} {problem}, but indicator {row['indicator']} "
                        f"measures {measure}; point at another mention or change the indicator"
                    )
            ids.append(str(mention["mention_id"]))
        linked.append(ids)
    return linked
