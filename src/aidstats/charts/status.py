"""Curated or automatic: whether a person checked a figure, for every row of any table.

A build writes an automatic figure for every quantity mention no person curated
(``status`` ``auto``, with a ``confidence``). The analysis tables may not carry the
status themselves, so it is looked up in the figures table by ``figure_id`` or, for a
derived row, by the ``figure_ids`` it was computed from (auto when any of them is).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from aidstats.formatting import is_missing

CURATED, AUTO = "curated", "auto"


def figure_status(table: pd.DataFrame, figures: pd.DataFrame | None = None) -> pd.Series:
    """Each row's status, ``curated`` or ``auto`` (NA when it cannot be known).

    The table's own ``status`` column wins when it holds these values; otherwise the
    status is looked up in ``figures`` by ``figure_id``, or by ``figure_ids`` (``a;b``).
    """
    own = table.get("status")
    if own is not None and own.isin([CURATED, AUTO]).any():
        return own.astype("object")
    missing = pd.Series([pd.NA] * len(table), index=table.index, dtype="object")
    if figures is None or figures.empty or "status" not in figures.columns:
        return missing
    by_id = dict(zip(figures["figure_id"].astype(str), figures["status"], strict=True))
    if "figure_id" in table.columns:
        return table["figure_id"].map(lambda f: by_id.get(str(f), pd.NA)).astype("object")
    if "figure_ids" in table.columns:

        def combined(ids: Any) -> Any:
            known = [
                by_id[i] for i in ("" if is_missing(ids) else str(ids)).split(";") if i in by_id
            ]
            return (AUTO if AUTO in known else CURATED) if known else pd.NA

        return table["figure_ids"].map(combined).astype("object")
    return missing


def is_auto(table: pd.DataFrame, figures: pd.DataFrame | None = None) -> list[bool]:
    """Per row: is it (or was it computed from) an automatic figure?"""
    return [not is_missing(s) and s == AUTO for s in figure_status(table, figures)]
