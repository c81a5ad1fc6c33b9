"""The one-line Python API: the processed tables as DataFrames.

Each function reads its table from ``data/processed/`` (Parquet, so types survive),
running ``aidstats build`` first when the file is missing.

>>> import aidstats
>>> figures = aidstats.load_figures()                       # doctest: +SKIP
>>> figures.loc[figures.qualifier == "over", ["quote", "lower"]]   # doctest: +SKIP
"""

from __future__ import annotations

import os

import pandas as pd

from aidstats.paths import ProjectPaths, project_paths


def load_table(
    name: str, *, root: str | os.PathLike[str] | None = None, rebuild: bool = False
) -> pd.DataFrame:
    """A processed table by name (``figures``, ``mentions``, ``articles`` …)."""
    paths: ProjectPaths = project_paths(root)
    path = paths.processed / f"{name}.parquet"
    if rebuild or not path.exists():
        from aidstats.build import build

        build(paths)
    return pd.read_parquet(path)


def load_figures(*, root: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Every curated figure with its value, bounds, period, quote and raw offsets.

    >>> aidstats.load_figures().query("indicator == 'aid_funds_total'")[["quote", "value"]]
    ... # doctest: +SKIP
    """
    return load_table("figures", root=root)


def load_mentions(*, root: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Every quantity mention of every article, at raw offsets."""
    return load_table("mentions", root=root)


def load_articles(*, root: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The article catalog with derived counts."""
    return load_table("articles", root=root)


def spending_shares(*, root: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Funds and projects with their shares of their totals (reported vs derived).

    >>> aidstats.spending_shares()[["label_en", "share_pct", "share_basis"]]  # doctest: +SKIP
    """
    return load_table("spending_shares", root=root)


def sales_growth(*, root: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Consumption-aid sales by programme and year, with implied previous-year values.

    >>> aidstats.sales_growth().query("basis == 'derived'")[["metric", "value", "formula"]]
    ... # doctest: +SKIP
    """
    return load_table("sales_growth", root=root)


def beneficiaries(*, root: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """People and person-time counts, kept apart, with bounds.

    >>> aidstats.beneficiaries().groupby("measure")["lower"].sum()  # doctest: +SKIP
    """
    return load_table("beneficiaries", root=root)


def consistency_checks(*, root: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Cross-figure checks with their arithmetic and a pass/flag verdict.

    >>> aidstats.consistency_checks()[["check_id", "arithmetic", "verdict"]]  # doctest: +SKIP
    """
    return load_table("consistency_checks", root=root)
