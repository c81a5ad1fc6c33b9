"""Stage 5, analysis: spending shares, sales growth and beneficiaries from the figures.

Pure functions: the figures table in, a tidy table out, the input never modified. Every
number is either *reported* (it is a figure, with its quote) or *derived* (computed
from figures by a metric of :mod:`aidstats.metrics`, with its arithmetic written out, the
metric's name and the figure each operand is, in ``operand_refs``). Bounds propagate: a
share computed from 超17亿元 is a lower bound and says so.

``status`` is ``auto`` when any figure a row uses was labelled automatically (check it
before citing), ``curated`` otherwise; ``curated_only=True`` leaves automatic figures out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from aidstats.dictionary import columns
from aidstats.metrics import METRICS, Metric
from aidstats.quantities import Quantity, write_bounds
from aidstats.rows import grouped_records, records

SHARE_CATEGORIES = ("funds", "projects")
SHARE_MEASURES = ("money", "items", "share")
SALES_METRICS = {
    # indicator id → metric name in sales_growth
    "consumption_sales_value": "sales_value",
    "consumption_sales_volume": "sales_volume",
    "consumption_sales_growth": "growth_rate",
    "online_sales_value": "online_sales_value",
}
BENEFICIARY_MEASURES = ("people", "person_times")
CURATED, AUTO = "curated", "auto"


def curated(figures: pd.DataFrame, curated_only: bool) -> pd.DataFrame:
    """The figures an analysis uses: all of them, or only the curated ones."""
    return figures[figures["status"] == CURATED] if curated_only else figures


def status_of(*rows: Mapping[str, Any] | None) -> str:
    """auto when any of the figures used is automatic, curated otherwise."""
    return AUTO if any(r is not None and r.get("status") == AUTO for r in rows) else CURATED


def derive(
    metric: Metric, operands: Mapping[str, Mapping[str, Any]]
) -> tuple[Any, dict[str, Quantity], str]:
    """Evaluate ``metric`` over figure rows: (result, quantities, operand_refs as JSON)."""
    quantities = {name: Quantity.of(row) for name, row in operands.items()}
    refs = json.dumps({n: row["figure_id"] for n, row in operands.items()}, ensure_ascii=False)
    return metric.evaluate(quantities), quantities, refs


# The columns of a total that a spending row reads.
_WHOLE_COLUMNS = (
    "figure_id", "label_zh", "label_en", "measure", "value", "lower", "upper", "unit", "status",
)  # fmt: skip


def spending_shares(figures: pd.DataFrame, *, curated_only: bool = False) -> pd.DataFrame:
    """Funds and project figures with their share of the total they are part of.

    A reported share (e.g. 民生 funds 91.7% of 4.5亿元) gives a derived amount
    (``amount_from_share``: 4.5亿元 × 91.7%); a part reported as an amount or count (61 of
    80 projects) gives a derived share (``share_of``). Figures with no total keep an empty
    share and say so. ``share_basis``/``amount_basis`` say which number is reported.

    >>> spending_shares(aidstats.load_figures())[["figure_id", "share_pct", "share_basis"]]
    ... # doctest: +SKIP
    """
    figures = curated(figures, curated_only)
    figs = figures[
        figures["category"].isin(SHARE_CATEGORIES) & figures["measure"].isin(SHARE_MEASURES)
    ]
    # records of the figures some part names as its total (not of all ~35,000 figures)
    wanted = set(figs["parent_figure"].dropna().tolist())
    wholes = figures[np.array([i in wanted for i in figures["figure_id"].tolist()], dtype=bool)]
    by_id: dict[str, dict[str, Any]] = {}
    for p in records(wholes, [c for c in _WHOLE_COLUMNS if c in figures.columns]):
        by_id.setdefault(p["figure_id"], p)
    names = columns("spending_shares")
    rows = []
    for f in records(figs):
        parent = by_id.get(f["parent_figure"]) if pd.notna(f["parent_figure"]) else None
        rows.append(_share_row(f, parent, names=names))
    return pd.DataFrame(rows, columns=names)


def _share_row(
    f: Mapping[str, Any], parent: Mapping[str, Any] | None, *, names: list[str]
) -> dict[str, Any]:
    """One spending row: the part, its total, the reported number and the derived one."""
    nan = float("nan")
    part = Quantity.of(f)
    row = {c: f.get(c) for c in names if c in f}
    row.update(
        whole_figure=parent["figure_id"] if parent is not None else None,
        whole_label_zh=parent["label_zh"] if parent is not None else None,
        whole_label_en=parent["label_en"] if parent is not None else None,
        whole_value=Quantity.of(parent).value if parent is not None else nan,
        part_value=part.value,
        part_lower=part.lower,
        part_upper=part.upper,
        share_pct=nan,
        share_lower_pct=nan,
        share_upper_pct=nan,
        amount=nan,
        amount_lower=nan,
        amount_upper=nan,
        share_basis="none",
        amount_basis="none",
        metric=None,
        operand_refs=None,
        status=status_of(f, parent),
    )
    if f["measure"] == "share":
        row.update(
            **_bounded("share", part, basis="reported"),
            formula="reported share; no total in the registry to apply it to",
        )
        if parent is not None:
            metric = METRICS["amount_from_share"]
            result, ops, refs = derive(metric, {"whole": parent, "share": f})
            row.update(
                **_bounded("amount", result, basis="derived"),
                unit=parent["unit"],
                formula=metric.arithmetic(ops, result).text,
                metric=metric.name,
                operand_refs=refs,
            )
        return row
    row.update(
        **_bounded("amount", part, basis="reported"),
        formula="no total reported for this amount",
    )
    if parent is not None and parent["measure"] == f["measure"]:
        metric = METRICS["share_of"]
        result, ops, refs = derive(metric, {"part": f, "whole": parent})
        row.update(
            **_bounded("share", result, basis="derived"),
            formula=metric.arithmetic(ops, result).text,
            metric=metric.name,
            operand_refs=refs,
        )
    return row


# The columns that hold a share or an amount: value, lower bound, upper bound, basis.
_BOUNDED_COLUMNS = {
    "share": ("share_pct", "share_lower_pct", "share_upper_pct", "share_basis"),
    "amount": ("amount", "amount_lower", "amount_upper", "amount_basis"),
}


def _bounded(kind: str, q: Any, *, basis: str) -> dict[str, Any]:
    """The ``kind`` columns (share or amount) of a row from quantity ``q`` and its basis."""
    return dict(zip(_BOUNDED_COLUMNS[kind], (q.value, q.lower, q.upper, basis), strict=True))


def _sales_row(f: Mapping[str, Any], metric: str) -> dict[str, object]:
    q = Quantity.of(f)
    return {
        "article_id": f["article_id"],
        "program": f["program"],
        "donor": f["donor"],
        "region": f["region"],
        "period_start": f["period_start"],
        "period_end": f["period_end"],
        "metric": metric,
        "label_zh": f["label_zh"],
        "label_en": f["label_en"],
        "value": q.value,
        "lower": q.lower,
        "upper": q.upper,
        "unit": f["unit"],
        "qualifier": f["qualifier"],
        "basis": "reported",
        "formula": "",
        "figure_ids": f["figure_id"],
        "operand_refs": None,
        "quote": f["quote"],
        "status": status_of(f),
    }


def _derived(
    base: Mapping[str, Any], metric: Metric, operands: dict[str, Mapping[str, Any]]
) -> dict[str, object]:
    """A derived sales row: ``metric`` over the figure rows ``operands``; its place (article,
    programme, donor, region, period) from ``base``."""
    result, ops, refs = derive(metric, operands)
    row = _sales_row(base, metric.name)
    row.update(
        label_zh=metric.label_zh,
        label_en=metric.label_en,
        value=result.value,
        lower=result.lower,
        upper=result.upper,
        unit=metric.result_unit({k: q.unit for k, q in ops.items()}),
        qualifier=result.qualifier,
        basis="derived",
        formula=metric.arithmetic(ops, result).text,
        figure_ids=";".join(r["figure_id"] for r in operands.values()),
        operand_refs=refs,
        quote=None,
        status=status_of(*operands.values()),
    )
    return row


def _prev_year(period: str) -> str:
    return str(int(str(period)[:4]) - 1)


def sales_growth(figures: pd.DataFrame, *, curated_only: bool = False) -> pd.DataFrame:
    """Consumption-aid sales by program, actor and year, with what they imply.

    Reported: sales value, volume, growth rate, online sales. Derived (each a metric of
    :mod:`aidstats.metrics`, with its arithmetic): the previous year's value implied by the
    growth rate (value ÷ (1 + g)), value per tonne (value ÷ volume), the online share
    (online ÷ total), and the growth between two reported years of the same program,
    donor and region.
    """
    figures = curated(figures, curated_only)
    figs = figures[figures["indicator"].isin(SALES_METRICS)].copy()
    figs["metric"] = figs["indicator"].map(SALES_METRICS)
    rows: list[dict[str, object]] = []
    keys = ["article_id", "program", "donor", "region", "period_end"]
    for group in grouped_records(figs, keys):
        found = {f["metric"]: f for f in group}
        rows += [_sales_row(f, m) for m, f in found.items()]
        value, volume = found.get("sales_value"), found.get("sales_volume")
        growth, online = found.get("growth_rate"), found.get("online_sales_value")
        if value is not None and growth is not None:
            row = _derived(
                value, METRICS["previous_year_value"], {"value": value, "growth": growth}
            )
            row["period_start"] = _prev_year(value["period_start"])
            row["period_end"] = _prev_year(value["period_end"])
            rows.append(row)
        if value is not None and volume is not None:
            rows.append(
                _derived(value, METRICS["value_per_tonne"], {"value": value, "volume": volume})
            )
        if value is not None and online is not None:
            rows.append(
                _derived(value, METRICS["online_share"], {"online": online, "total": value})
            )
    rows += _growth_between_years(figs[figs["metric"] == "sales_value"])
    out = pd.DataFrame(rows, columns=columns("sales_growth"))
    return out.sort_values(["article_id", "period_end", "metric"], kind="stable", ignore_index=True)


def _growth_between_years(values: pd.DataFrame) -> list[dict[str, object]]:
    """Growth from two reported annual sales values of the same program, donor, region."""
    rows = []
    annual = values[values["period_start"] == values["period_end"]]
    for group in grouped_records(annual, ["program", "donor", "region"]):
        by_year = {str(f["period_end"])[:4]: f for f in group}
        for year, cur in sorted(by_year.items()):
            prev = by_year.get(str(int(year) - 1))
            if prev is not None:
                metric = METRICS["growth_from_values"]
                rows.append(_derived(cur, metric, {"current": cur, "previous": prev}))
    return rows


def beneficiaries(figures: pd.DataFrame, *, curated_only: bool = False) -> pd.DataFrame:
    """People and person-time counts by sector and program, with their bounds.

    People (人/名/位) and person-times (人次) stay apart in ``measure``: never add them.
    ``bounds`` states what a reader may conclude (37680余人次 → "≥ 3.768万人次, < 3.769万人次").
    """
    figures = curated(figures, curated_only)
    figs = figures[figures["measure"].isin(BENEFICIARY_MEASURES)]
    names = columns("beneficiaries")
    rows = []
    for f in records(figs):
        row = {c: f[c] for c in names if c in f}
        row["bounds"] = write_bounds(Quantity.of(f)).text
        row["status"] = status_of(f)
        rows.append(row)
    out = pd.DataFrame(rows, columns=columns("beneficiaries"))
    return out.sort_values(
        ["measure", "category", "article_id", "figure_id"], kind="stable", ignore_index=True
    )
