"""The human layer of data/raw/ as typed, validated rows.

Each hand-edited YAML file has a pydantic model per row (:mod:`aidstats.human.models`):
real dates, finite numbers, vocabularies from :mod:`aidstats.vocab`, anchored patterns for
ids. The loaders here add what rows mean together within one file (unique ids, parents
that exist, in the same article and without cycles); references between files (a
figure's article or indicator) are checked by the stage that joins them. Every failure
is one line naming the file, the line, the row, the field and the fix
(:mod:`aidstats.human.load`). The gazetteer, glossary and labelling rules have models of
their own in :mod:`aidstats.gazetteer` and :mod:`aidstats.auto.rules`.
"""

from __future__ import annotations

from pathlib import Path

from aidstats.human.load import Table, empty_table, find_cycle, load_rows
from aidstats.human.models import (
    CatalogEntry,
    CheckEntry,
    CorrectionRow,
    ExclusionRow,
    FigureRow,
    IndicatorEntry,
)

__all__ = [
    "CatalogEntry",
    "CheckEntry",
    "CorrectionRow",
    "ExclusionRow",
    "FigureRow",
    "IndicatorEntry",
    "Table",
    "catalog",
    "checks",
    "corrections",
    "exclusions",
    "indicators",
    "registry",
]


def catalog(path: Path, *, required: bool = True) -> Table[CatalogEntry]:
    """``catalog.yaml``: at least one article (unless articles were ingested in bulk); ids,
    files and texts each used once."""
    table: Table[CatalogEntry] = load_rows(path, "catalog", what="catalog", required=required)
    table.unique("id", fix="give each article its own id")
    table.unique("file", fix="each article has its own file")
    table.unique("sha256", fix="the same text is catalogued twice; keep one entry")
    return table


def indicators(path: Path) -> Table[IndicatorEntry]:
    """``indicators.yaml``: unique ids."""
    table: Table[IndicatorEntry] = load_rows(path, "indicators", what="indicator vocabulary")
    table.unique("id", fix="ids must be unique; merge the two or rename one")
    return table


def registry(path: Path) -> Table[FigureRow]:
    """``registry.yaml``: unique figure ids; every parent a figure of the same article,
    and no chain of parents that comes back to where it started."""
    table: Table[FigureRow] = load_rows(path, "registry", what="figure registry")
    table.unique("figure_id", fix="give each figure its own id")
    by_id = {row.figure_id: row for row in table.rows}
    parents = {row.figure_id: row.parent_figure for row in table.rows}
    for index, row in enumerate(table.rows):
        parent = row.parent_figure
        if parent is None:
            continue
        if parent not in by_id:
            table.fail(index, "parent_figure", f"{parent!r} is not a figure_id in the registry")
        if by_id[parent].article_id != row.article_id:
            table.fail(
                index,
                "parent_figure",
                f"{parent!r} is a figure of {by_id[parent].article_id}; a parent must be in "
                "the same article",
            )
        cycle = find_cycle(parents, row.figure_id)
        if cycle is not None:
            table.fail(
                index,
                "parent_figure",
                f"the parents form a cycle ({' → '.join(cycle)}); a total cannot be part of "
                "its own part, so break the chain",
            )
    return table


def exclusions(path: Path) -> Table[ExclusionRow]:
    """``exclusions.yaml`` (absent: none)."""
    if not path.exists():
        return empty_table(path, "exclusions")
    return load_rows(path, "exclusions", what="exclusions")


def corrections(path: Path) -> Table[CorrectionRow]:
    """``corrections.yaml`` (absent: none); one correction per figure and field."""
    if not path.exists():
        return empty_table(path, "corrections")
    table: Table[CorrectionRow] = load_rows(path, "corrections", what="corrections")
    seen: dict[tuple[str, str], int] = {}
    for index, row in enumerate(table.rows):
        key = (row.figure_id, row.field)
        if key in seen:
            table.fail(
                index,
                "field",
                f"{row.field} of {row.figure_id} is already corrected by correction "
                f"#{seen[key] + 1}; keep one",
            )
        seen[key] = index
    return table


def checks(path: Path) -> Table[CheckEntry]:
    """``checks.yaml`` (absent: none): unique ids. Formulas are parsed by the checks."""
    if not path.exists():
        return empty_table(path, "checks")
    table: Table[CheckEntry] = load_rows(path, "checks", what="checks")
    table.unique("id", fix="give each check its own id")
    return table
