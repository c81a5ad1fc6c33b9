"""What the workbook shows of a large corpus: bounded sheets, every row still in the tables.

A workbook is read by a person and written cell by cell, so its size must not grow with
the corpus. Up to the limits below it shows every row (the shipped corpus is far below
them); above them each sheet shows a documented selection, says so in *About* (and the
summary in its header), and the full tables are the CSV/Parquet files beside it:

- *Spending*, *Sales*, *Beneficiaries*, *Checks*, *Sources*: at most
  :data:`TABLE_SHEET_MAX_ROWS` rows each — curated rows first, then the rows that matter
  most to each sheet (a share to show, a flagged check, the largest count, an article
  with figures on the sheets), kept in table order;
- *Figures*: up to :data:`FIGURES_SHEET_MAX_ROWS` every figure, above it the curated
  figures and every figure another sheet looks up, so every formula still resolves;
- the summary (概览): at most :data:`SUMMARY_SECTION_MAX` records per section;
- *Charts*: at most :data:`CHART_MAX_ENTRIES` bars per chart.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from aidstats.excel.cells import missing, text

Frames = dict[str, pd.DataFrame]

#: The most rows of each table sheet (Spending, Sales, Beneficiaries, Checks, Sources).
TABLE_SHEET_MAX_ROWS = 1000
#: Up to this many figures the Figures sheet holds them all.
FIGURES_SHEET_MAX_ROWS = 5000
#: The most records of one section of the summary (derived shares, sales, flagged checks).
SUMMARY_SECTION_MAX = 20
#: The most bars of one chart of the Charts sheet.
CHART_MAX_ENTRIES = 30

# The sheets, the table each shows (by its name in the build's frames), and how to say it.
_TABLES = {
    "Spending": "spending_shares",
    "Sales": "sales_growth",
    "Beneficiaries": "beneficiaries",
    "Checks": "consistency_checks",
}


@dataclass(frozen=True)
class Shown:
    """The frames the workbook writes (trimmed where the corpus is large) and the notes
    that say what was left out (empty for a corpus within the limits)."""

    frames: Frames
    notes: tuple[str, ...]


def curated(df: pd.DataFrame) -> list[bool]:
    """Per row: is its ``status`` curated (a person checked it)?"""
    if "status" not in df.columns:
        return [False] * len(df)
    return [s == "curated" for s in df["status"]]


def top_rows(df: pd.DataFrame, ranks: Sequence[Sequence[Any]], *, limit: int) -> pd.DataFrame:
    """The ``limit`` rows that rank highest, in table order.

    ``ranks`` are per-row keys, most important first (larger ranks higher; missing
    values lowest); ties keep table order. Up to ``limit`` rows the table comes back whole.
    """
    if len(df) <= limit:
        return df
    order = pd.DataFrame({"_pos": range(len(df))})
    keys = [f"_k{i}" for i in range(len(ranks))]
    for key, rank in zip(keys, ranks, strict=True):
        values = pd.to_numeric(pd.Series(list(rank)), errors="coerce").astype("float64")
        order[key] = values.fillna(float("-inf"))
    order = order.sort_values([*keys, "_pos"], ascending=[*([False] * len(keys)), True])
    return df.iloc[sorted(order["_pos"].head(limit))]


def _spending(df: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Curated parts, then parts with a share to show, then the largest totals of funds."""
    share = df["share_basis"].isin(["reported", "derived"])
    funds = df["whole_value"].where(df["category"] == "funds")
    return top_rows(df, [curated(df), list(share), list(funds)], limit=limit)


def _beneficiaries(df: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Curated counts, then the largest."""
    return top_rows(df, [curated(df), list(df["value"])], limit=limit)


def _checks(df: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Curated checks, then flagged ones, then the rest in table order."""
    return top_rows(df, [curated(df), list(df["verdict"] == "flag")], limit=limit)


def _sales(df: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Curated rows, then the largest sales values; a derived row stays only with the
    reported rows it is computed from (the sheet's formulas point at them)."""
    value = df["value"].where(df["metric"] == "sales_value")
    kept = top_rows(df, [curated(df), list(df["basis"] == "reported"), list(value)], limit=limit)
    ids = {
        text(f) for f, b in zip(kept["figure_ids"], kept["basis"], strict=True) if b != "derived"
    }

    def complete(rec: dict[str, Any]) -> bool:
        if rec["basis"] != "derived":
            return True
        return set(json.loads(text(rec["operand_refs"]) or "{}").values()) <= ids

    return kept[[complete(rec) for rec in kept.to_dict("records")]]


_SELECT = {
    "spending_shares": _spending,
    "sales_growth": _sales,
    "beneficiaries": _beneficiaries,
    "consistency_checks": _checks,
}


def figures_used(frames: Frames) -> set[str]:
    """The figure ids the Spending, Sales, Beneficiaries and Checks sheets look up."""
    spending = frames["spending_shares"]
    used = set(spending["figure_id"]) | set(spending["whole_figure"].dropna())
    used |= set(frames["beneficiaries"]["figure_id"].dropna())
    sales = frames["sales_growth"]
    used |= {
        text(f) for f, b in zip(sales["figure_ids"], sales["basis"], strict=True) if b != "derived"
    }
    for ids in frames["consistency_checks"]["figure_ids"].dropna():
        used |= set(str(ids).split(";"))
    for refs in frames["consistency_checks"]["expected_ref"]:
        if not missing(refs) and text(refs):
            used.add(text(refs))
    return {u for u in used if not missing(u)}


def _figures_note(kept: int, total: int) -> str:
    return (
        f"Figures 表只列出 {kept} / {total} 个指标(人工整理的及其他表引用的);"
        f"全部指标见 figures.csv。The Figures sheet lists {kept} of {total} "
        "figures (curated, and those other sheets use); every figure is in figures.csv."
    )


def _table_note(sheet: str, table: str, kept: int, total: int) -> str:
    return (
        f"{sheet} 表只列出 {kept} / {total} 行(人工整理的优先,其余按重要性);"
        f"全部见 {table}.csv。The {sheet} sheet lists {kept} of {total} rows (curated "
        f"first, then the most telling); every row is in {table}.csv."
    )


def shown_frames(frames: Frames, *, limit: int | None = None) -> Shown:
    """The frames the workbook writes: each table sheet's rows within ``limit`` (default
    :data:`TABLE_SHEET_MAX_ROWS`; see the module docstring), the Figures sheet's rows, and
    the notes saying what was left out."""
    limit = TABLE_SHEET_MAX_ROWS if limit is None else limit
    out = dict(frames)
    notes: list[str] = []
    for sheet, table in _TABLES.items():
        df = frames[table]
        if len(df) > limit:
            out[table] = _SELECT[table](df, limit)
            notes.append(_table_note(sheet, table, len(out[table]), len(df)))
    figures = frames["figures"]
    if len(figures) > FIGURES_SHEET_MAX_ROWS:
        used = figures_used(out)
        keep = figures[(figures["status"] == "curated") | figures["figure_id"].isin(used)]
        out["figures"] = keep
        notes.append(_figures_note(len(keep), len(figures)))
    articles = frames["articles"]
    if len(articles) > limit:
        out["articles"] = _sources(articles, set(out["figures"]["article_id"]), limit)
        notes.append(_table_note("Sources", "articles", len(out["articles"]), len(articles)))
    return Shown(out, tuple(notes))


def _sources(articles: pd.DataFrame, shown: set[str], limit: int) -> pd.DataFrame:
    """Articles with curated figures first (the most first), then those a figure on the
    Figures sheet comes from, then those with the most automatic figures."""
    ranks = [
        list(articles.get("figures", pd.Series(0, index=articles.index))),
        [a in shown for a in articles["article_id"]],
        list(articles.get("auto_figures", pd.Series(0, index=articles.index))),
    ]
    return top_rows(articles, ranks, limit=limit)
