"""The one-line Python API: the processed tables as DataFrames.

Each function reads its table from ``data/processed/`` (Parquet, so types survive). A
missing table is an error that says to run ``aidstats build``; ``rebuild=True`` runs the
build first (seconds for the shipped articles), so no call rebuilds anything unasked.

>>> import aidstats
>>> figures = aidstats.load_figures()                       # doctest: +SKIP
>>> figures.loc[figures.qualifier == "over", ["quote", "lower"]]   # doctest: +SKIP
"""

from __future__ import annotations

import os

import pandas as pd

from aidstats.dictionary import TABLE_SPECS
from aidstats.errors import AidstatsError
from aidstats.paths import ProjectPaths, project_paths


def load_table(
    name: str, *, root: str | os.PathLike[str] | None = None, rebuild: bool = False
) -> pd.DataFrame:
    """A processed table by name (``figures``, ``mentions``, ``articles`` …).

    ``rebuild=True`` rebuilds ``data/processed/`` from ``data/raw/`` first; without it a
    missing table raises :class:`AidstatsError` ("… missing; run `aidstats build`").
    """
    if name not in TABLE_SPECS:
        raise AidstatsError(f"no processed table {name!r}; tables: {', '.join(TABLE_SPECS)}")
    paths: ProjectPaths = project_paths(root)
    path = paths.table(name)
    if rebuild:
        from aidstats.build import build

        build(paths)
    elif not path.exists():
        raise AidstatsError(f"{path} is missing; run `aidstats build` (or pass rebuild=True)")
    return pd.read_parquet(path)


def load_figures(
    *, root: str | os.PathLike[str] | None = None, rebuild: bool = False
) -> pd.DataFrame:
    """Every figure (curated, or automatic: see ``status``) with its value, bounds, period,
    quote and raw offsets.

    >>> aidstats.load_figures().query("indicator == 'aid_funds_total'")[["quote", "value"]]
    ... # doctest: +SKIP
    """
    return load_table("figures", root=root, rebuild=rebuild)


def load_mentions(
    *, root: str | os.PathLike[str] | None = None, rebuild: bool = False
) -> pd.DataFrame:
    """Every quantity mention of every article, at raw offsets."""
    return load_table("mentions", root=root, rebuild=rebuild)


def load_articles(
    *, root: str | os.PathLike[str] | None = None, rebuild: bool = False
) -> pd.DataFrame:
    """The article catalog with derived counts."""
    return load_table("articles", root=root, rebuild=rebuild)


def spending_shares(
    *, root: str | os.PathLike[str] | None = None, rebuild: bool = False
) -> pd.DataFrame:
    """Funds and projects with their shares of their totals (reported vs derived).

    >>> aidstats.spending_shares()[["label_en", "share_pct", "share_basis"]]  # doctest: +SKIP
    """
    return load_table("spending_shares", root=root, rebuild=rebuild)


def sales_growth(
    *, root: str | os.PathLike[str] | None = None, rebuild: bool = False
) -> pd.DataFrame:
    """Consumption-aid sales by programme and year, with implied previous-year values.

    >>> aidstats.sales_growth().query("basis == 'derived'")[["metric", "value", "formula"]]
    ... # doctest: +SKIP
    """
    return load_table("sales_growth", root=root, rebuild=rebuild)


def beneficiaries(
    *, root: str | os.PathLike[str] | None = None, rebuild: bool = False
) -> pd.DataFrame:
    """People and person-time counts, kept apart, with bounds.

    >>> aidstats.beneficiaries().groupby("measure")["lower"].sum()  # doctest: +SKIP
    """
    return load_table("beneficiaries", root=root, rebuild=rebuild)


def consistency_checks(
    *, root: str | os.PathLike[str] | None = None, rebuild: bool = False
) -> pd.DataFrame:
    """Cross-figure checks with their arithmetic and a pass/flag verdict.

    >>> aidstats.consistency_checks()[["check_id", "arithmetic", "verdict"]]  # doctest: +SKIP
    """
    return load_table("consistency_checks", root=root, rebuild=rebuild)
