"""Stage 5, analysis: spending shares, sales growth and beneficiaries from the figures.

Pure functions: the figures table in, a tidy table out, the input never modified. Every
number is either *reported* (it is a figure, with its quote) or *derived* (computed
from figures, with its formula written out and the ids of the figures it used). Bounds
propagate: a share computed from 超17亿元 is a lower bound and says so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from aidstats.dictionary import columns
from aidstats.formatting import bounds_text, fmt_number, is_missing

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


def _nan(x: float | None) -> float:
    return math.nan if is_missing(x) else float(x)


def _ratio_bounds(part: tuple[float, float], whole: tuple[float, float]) -> tuple[float, float]:
    """Bounds of part ÷ whole from the bounds of each (NaN = unbounded)."""
    p_lo, p_hi = part
    w_lo, w_hi = whole
    lo = p_lo / w_hi if not (math.isnan(p_lo) or math.isnan(w_hi)) else math.nan
    hi = p_hi / w_lo if not (math.isnan(p_hi) or math.isnan(w_lo)) else math.nan
    return lo, hi


def _product_bounds(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """Bounds of a × b for non-negative a and b (NaN = unbounded)."""
    lo = a[0] * b[0] if not (math.isnan(a[0]) or math.isnan(b[0])) else math.nan
    hi = a[1] * b[1] if not (math.isnan(a[1]) or math.isnan(b[1])) else math.nan
    return lo, hi


def _side(lo: float, hi: float) -> str:
    """A note for a one-sided result: bounds from 超/余 or 近 figures propagate."""
    if math.isnan(lo) and math.isnan(hi):
        return " (approximate: no bounds)"
    if math.isnan(hi):
        return " (a lower bound: at least this)"
    if math.isnan(lo):
        return " (an upper bound: at most this)"
    return "" if lo == hi else f" (between {lo:.6g} and {hi:.6g})"


def _lohi(row: pd.Series) -> tuple[float, float]:
    return _nan(row["lower"]), _nan(row["upper"])


def spending_shares(figures: pd.DataFrame) -> pd.DataFrame:
    """Funds and project figures with their share of the total they are part of.

    A reported share (e.g. 民生 funds 91.7% of 4.5亿元) gives a derived amount
    (4.5亿元 × 91.7%); a part reported as an amount or count (61 of 80 projects,
    6360万元 of 4.5亿元) gives a derived share. Figures with no total keep an empty
    share and say so. ``share_basis``/``amount_basis`` say which number is reported.

    >>> spending_shares(aidstats.load_figures())[["figure_id", "share_pct", "share_basis"]]
    ... # doctest: +SKIP
    """
    figs = figures[
        figures["category"].isin(SHARE_CATEGORIES) & figures["measure"].isin(SHARE_MEASURES)
    ]
    by_id = figures.set_index("figure_id")
    rows = []
    for _, f in figs.iterrows():
        parent = by_id.loc[f["parent_figure"]] if pd.notna(f["parent_figure"]) else None
        row = {c: f.get(c) for c in columns("spending_shares") if c in f.index}
        row.update(
            whole_figure=f["parent_figure"] if parent is not None else None,
            whole_label_zh=parent["label_zh"] if parent is not None else None,
            whole_label_en=parent["label_en"] if parent is not None else None,
            whole_value=_nan(parent["value"]) if parent is not None else math.nan,
            part_value=_nan(f["value"]),
            part_lower=_nan(f["lower"]),
            part_upper=_nan(f["upper"]),
            share_pct=math.nan,
            share_lower_pct=math.nan,
            share_upper_pct=math.nan,
            amount=math.nan,
            amount_lower=math.nan,
            amount_upper=math.nan,
            share_basis="none",
            amount_basis="none",
            formula="",
        )
        if f["measure"] == "share":
            row.update(
                share_pct=f["value"],
                share_lower_pct=_nan(f["lower"]),
                share_upper_pct=_nan(f["upper"]),
                share_basis="reported",
            )
            if parent is not None:
                lo, hi = _product_bounds(
                    _lohi(parent), (_nan(f["lower"]) / 100, _nan(f["upper"]) / 100)
                )
                amount = parent["value"] * f["value"] / 100
                row.update(
                    amount=amount,
                    amount_lower=lo,
                    amount_upper=hi,
                    amount_basis="derived",
                    unit=parent["unit"],
                    formula=f"{parent['quote']} × {f['quote']} = "
                    f"{fmt_number(amount, parent['unit'])}" + _side(lo, hi),
                )
            else:
                row["formula"] = "reported share; no total in the registry to apply it to"
        else:
            row.update(
                amount=_nan(f["value"]),
                amount_lower=_nan(f["lower"]),
                amount_upper=_nan(f["upper"]),
                amount_basis="reported",
            )
            if parent is not None and parent["measure"] == f["measure"]:
                share = 100 * f["value"] / parent["value"]
                lo, hi = _ratio_bounds(_lohi(f), _lohi(parent))
                row.update(
                    share_pct=share,
                    share_lower_pct=100 * lo,
                    share_upper_pct=100 * hi,
                    share_basis="derived",
                    formula=f"{f['quote']} ÷ {parent['quote']} = {share:.4g}%" + _side(lo, hi),
                )
            else:
                row["formula"] = "no total reported for this amount"
        rows.append(row)
    return pd.DataFrame(rows, columns=columns("spending_shares"))


def _sales_row(f: pd.Series, metric: str) -> dict[str, object]:
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
        "value": _nan(f["value"]),
        "lower": _nan(f["lower"]),
        "upper": _nan(f["upper"]),
        "unit": f["unit"],
        "qualifier": f["qualifier"],
        "basis": "reported",
        "formula": "",
        "figure_ids": f["figure_id"],
        "quote": f["quote"],
    }


def _derived(
    base: dict[str, object],
    metric: str,
    label_zh: str,
    label_en: str,
    value: float,
    bounds: tuple[float, float],
    unit: str,
    formula: str,
    ids: Iterable[str],
) -> dict[str, object]:
    lo, hi = bounds
    exact = not math.isnan(lo) and not math.isnan(hi) and lo == hi
    if exact:
        qualifier = "exact"
    elif not math.isnan(lo) and math.isnan(hi):
        qualifier = "over"
    elif math.isnan(lo) and not math.isnan(hi):
        qualifier = "near"
    else:
        qualifier = "approx" if math.isnan(lo) else "over"
    return {
        **{
            k: base[k]
            for k in ("article_id", "program", "donor", "region", "period_start", "period_end")
        },
        "metric": metric,
        "label_zh": label_zh,
        "label_en": label_en,
        "value": value,
        "lower": lo,
        "upper": hi,
        "unit": unit,
        "qualifier": qualifier,
        "basis": "derived",
        "formula": formula,
        "figure_ids": ";".join(ids),
        "quote": None,
    }


def _prev_year(period: str) -> str:
    return str(int(str(period)[:4]) - 1)


def sales_growth(figures: pd.DataFrame) -> pd.DataFrame:
    """Consumption-aid sales by program, actor and year, with what they imply.

    Reported: sales value, volume, growth rate, online sales. Derived (each with its
    formula): the previous year's value implied by the growth rate (value ÷ (1 + g)),
    value per tonne (value ÷ volume), the online share (online ÷ total), and the growth
    between two reported years of the same program, donor and region.
    """
    figs = figures[figures["indicator"].isin(SALES_METRICS)].copy()
    figs["metric"] = figs["indicator"].map(SALES_METRICS)
    rows: list[dict[str, object]] = []
    keys = ["article_id", "program", "donor", "region", "period_end"]
    for _, group in figs.groupby(keys, sort=True, dropna=False):
        metrics = {m: f for _, f in group.iterrows() for m in [f["metric"]]}
        rows += [_sales_row(f, m) for m, f in metrics.items()]
        value, volume = metrics.get("sales_value"), metrics.get("sales_volume")
        growth, online = metrics.get("growth_rate"), metrics.get("online_sales_value")
        if value is not None and growth is not None:
            g = growth["value"] / 100
            lo, hi = _ratio_bounds(
                _lohi(value), (1 + _nan(growth["lower"]) / 100, 1 + _nan(growth["upper"]) / 100)
            )
            prev = value["value"] / (1 + g)
            base = _sales_row(value, "previous_year_value")
            base.update(
                period_start=_prev_year(value["period_start"]),
                period_end=_prev_year(value["period_end"]),
            )
            rows.append(
                _derived(
                    base,
                    "previous_year_value",
                    "上年销售额(推算)",
                    "Previous-year sales (implied)",
                    prev,
                    (lo, hi),
                    value["unit"],
                    f"{value['quote']} ÷ (1 + {growth['quote']}) = "
                    f"{fmt_number(prev, value['unit'])}" + _side(lo, hi),
                    [value["figure_id"], growth["figure_id"]],
                )
            )
        if value is not None and volume is not None:
            per = value["value"] / volume["value"]
            bounds = _ratio_bounds(_lohi(value), _lohi(volume))
            rows.append(
                _derived(
                    _sales_row(value, "value_per_tonne"),
                    "value_per_tonne",
                    "每吨销售额(推算)",
                    "Sales value per tonne (derived)",
                    per,
                    bounds,
                    f"{value['unit']}/{volume['unit']}",
                    f"{value['quote']} ÷ {volume['quote']} = {per:,.0f} "
                    f"{value['unit']}/{volume['unit']}" + _side(*bounds),
                    [value["figure_id"], volume["figure_id"]],
                )
            )
        if value is not None and online is not None:
            share = 100 * online["value"] / value["value"]
            lo, hi = _ratio_bounds(_lohi(online), _lohi(value))
            rows.append(
                _derived(
                    _sales_row(value, "online_share"),
                    "online_share",
                    "线上销售占比(推算)",
                    "Online share of sales (derived)",
                    share,
                    (100 * lo, 100 * hi),
                    "%",
                    f"{online['quote']} ÷ {value['quote']} = {share:.3g}%" + _side(lo, hi),
                    [online["figure_id"], value["figure_id"]],
                )
            )
    rows += _growth_between_years(figs[figs["metric"] == "sales_value"])
    out = pd.DataFrame(rows, columns=columns("sales_growth"))
    return out.sort_values(["article_id", "period_end", "metric"], kind="stable", ignore_index=True)


def _growth_between_years(values: pd.DataFrame) -> list[dict[str, object]]:
    """Growth from two reported annual sales values of the same program, donor, region."""
    rows = []
    annual = values[values["period_start"] == values["period_end"]]
    for _, group in annual.groupby(["program", "donor", "region"], sort=True, dropna=False):
        by_year = {str(f["period_end"])[:4]: f for _, f in group.iterrows()}
        for year, cur in sorted(by_year.items()):
            prev = by_year.get(str(int(year) - 1))
            if prev is None:
                continue
            growth = 100 * (cur["value"] / prev["value"] - 1)
            lo, hi = _ratio_bounds(_lohi(cur), _lohi(prev))
            rows.append(
                _derived(
                    _sales_row(cur, "growth_from_values"),
                    "growth_from_values",
                    "同比增长(由两年销售额计算)",
                    "Year-on-year growth (from two reported years)",
                    growth,
                    (100 * (lo - 1), 100 * (hi - 1)),
                    "%",
                    f"{cur['quote']} ÷ {prev['quote']} − 1 = {growth:.3g}%" + _side(lo, hi),
                    [prev["figure_id"], cur["figure_id"]],
                )
            )
    return rows


def beneficiaries(figures: pd.DataFrame) -> pd.DataFrame:
    """People and person-time counts by sector and program, with their bounds.

    People (人/名/位) and person-times (人次) stay apart in ``measure``: never add them.
    ``bounds`` states what a reader may conclude (37680余人次 → "≥ 3.768万人次, < 3.769万人次").
    """
    figs = figures[figures["measure"].isin(BENEFICIARY_MEASURES)]
    rows = []
    for _, f in figs.iterrows():
        row = {c: f[c] for c in columns("beneficiaries") if c in f.index}
        row["bounds"] = bounds_text(f["qualifier"], f["lower"], f["upper"], f["unit"])
        rows.append(row)
    out = pd.DataFrame(rows, columns=columns("beneficiaries"))
    return out.sort_values(
        ["measure", "category", "article_id", "figure_id"], kind="stable", ignore_index=True
    )
