"""Rows of a frame as plain dicts, for the stages that walk a table row by row.

``DataFrame.iterrows`` builds a Series per row and ``to_dict("records")`` boxes every
cell on its own (slow on Arrow-backed text columns); reading each column once with
``tolist`` and zipping gives the same Python values (str, float, int, bool, NaN for a
missing text) 10–50× faster. A corpus of 1,000 articles has ~35,000 figures, so this is
the difference between seconds and a fraction of one in every corpus-level stage.

>>> import pandas as pd
>>> records(pd.DataFrame({"a": [1, 2], "b": ["x", None]}))[0]
{'a': 1, 'b': 'x'}
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd


def records(df: pd.DataFrame, names: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Each row of ``df`` as a dict of the columns ``names`` (default: all, in order)."""
    keep = list(df.columns if names is None else names)
    values = [df[name].tolist() for name in keep]
    return [dict(zip(keep, row, strict=True)) for row in zip(*values, strict=True)]


def grouped_records(df: pd.DataFrame, keys: list[str]) -> list[list[dict[str, Any]]]:
    """The rows of ``df`` as records, grouped as ``df.groupby(keys, sort=True,
    dropna=False)`` iterates (groups in key order, rows in frame order), without a
    frame per group."""
    if df.empty:
        return []
    grouping = df.groupby(keys, sort=True, dropna=False)
    groups: list[list[dict[str, Any]]] = [[] for _ in range(grouping.ngroups)]
    numbers = grouping.ngroup().tolist()
    for number, row in zip(numbers, records(df), strict=True):
        groups[number].append(row)
    return groups
