"""Every processed table, declared once: its name, key, description and columns.

Each column says its type, both descriptions (en, zh), whether it may be empty, its
controlled vocabulary and how the workbook shows it (short zh header, width, wrap).
Everything else is derived from these declarations: the pandera schemas
(:mod:`aidstats.schemas`), ``datapackage.json`` (:mod:`aidstats.datapackage`), the column
order of every writer, the Excel headers and the workbook's data-dictionary sheet. To add
a column, add one ``C(...)`` line to its table in :mod:`aidstats.tables_core` or
:mod:`aidstats.tables_analysis` and compute it in its stage; this module collects them.
"""

from __future__ import annotations

from aidstats.declare import C, Column, Table
from aidstats.tables_analysis import ANALYSES, FACTS, PANEL
from aidstats.tables_core import CORE

__all__ = ["DECLARATIONS", "TABLES", "TABLE_SPECS", "C", "Column", "Table", "columns", "table"]

# the order of the About sheet and datapackage.json
_ORDER = (
    "articles",
    "paragraphs",
    "mentions",
    "figures",
    "spending_shares",
    "sales_growth",
    "beneficiaries",
    "consistency_checks",
    "blocks",
    "coverage",
    "facts",
    "panel",
)
_ALL = {t.name: t for t in (*CORE, *ANALYSES, FACTS, PANEL)}
if set(_ALL) != set(_ORDER):
    raise RuntimeError(f"declared tables {sorted(_ALL)} differ from their order {_ORDER}")
DECLARATIONS: tuple[Table, ...] = tuple(_ALL[name] for name in _ORDER)
TABLE_SPECS: dict[str, Table] = {t.name: t for t in DECLARATIONS}
# table → its columns (the form most callers need)
TABLES: dict[str, tuple[Column, ...]] = {t.name: t.columns for t in DECLARATIONS}


def table(name: str) -> Table:
    """The declaration of a processed table."""
    try:
        return TABLE_SPECS[name]
    except KeyError:
        raise KeyError(f"no processed table {name!r}; tables: {', '.join(TABLE_SPECS)}") from None


def columns(name: str) -> list[str]:
    """Column names of a table, in the order every writer uses."""
    return table(name).names
