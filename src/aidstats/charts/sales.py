"""The sales-growth chart: sales value, volume and value per tonne by programme and year."""

from __future__ import annotations

from functools import partial
from typing import Any, Unpack

import pandas as pd
import plotly.graph_objects as go

from aidstats.charts.core import (
    MAX_ARTICLES,
    Canvas,
    Panel,
    make_figure,
    top_articles,
    whisker_ends,
)
from aidstats.charts.hover import ChartOptions, chart_context, sales_hover
from aidstats.charts.labels import (
    AXIS_NAMES,
    axis_scale,
    escape_hover,
    paren,
    pick,
    series_label,
    word,
)
from aidstats.charts.status import is_auto
from aidstats.charts.theme import OKABE_ITO, auto_opacity, derived_pattern
from aidstats.formatting import format_value, is_missing

#: The panels, top to bottom, and the metrics each one draws (in drawing order).
_PANELS = {
    "sales_value": ("previous_year_value", "sales_value", "online_sales_value"),
    "sales_volume": ("sales_volume",),
    "value_per_tonne": ("value_per_tonne",),
}
_GROWTH = ("growth_rate", "growth_from_values")
_COLOURS = {
    "sales_value": OKABE_ITO["blue"],
    "previous_year_value": OKABE_ITO["sky_blue"],
    "online_sales_value": OKABE_ITO["orange"],
    "sales_volume": OKABE_ITO["bluish_green"],
    "value_per_tonne": OKABE_ITO["reddish_purple"],
}
_GROWTH_COLOUR = OKABE_ITO["vermillion"]
#: The chart's fixed look (:func:`~aidstats.charts.core.make_figure`); the right margin
#: leaves room for the growth label above the last column.
_LOOK: dict[str, Any] = {
    "kind": "sales",
    "gap": 40,
    "subplots": {"shared_xaxes": True},
    "bottom": 70,
    "layout": {"barmode": "overlay", "bargap": 0.25, "margin": {"r": 50}},
    "whiskers": {"size": 11, "horizontal": False, "last": True},
}


def sales_growth_chart(df: pd.DataFrame, **opts: Unpack[ChartOptions]) -> go.Figure:
    """Sales value, volume and value per tonne by programme and year, in three panels.

    ``df`` is the ``sales_growth`` table. Columns are (programme · donor, year): each
    series keeps its own block so different actors do not read as one time series.
    Reported values are solid; derived ones (the previous year implied by a reported
    growth rate, value per tonne) are hatched. A dashed connector carries the growth
    rate; an arrow marks a value known only from below (超17亿元).
    """
    ctx = chart_context(opts)
    title, figures = opts.get("title"), opts.get("figures")
    data, left_out = _top(_series(df, figures), opts.get("max_articles", MAX_ARTICLES))
    more = word(ctx.lang, "more_articles")
    panels = [
        Panel(key, rows, pixels=330.0 if key == "sales_value" else 200.0)
        for key, metrics in _PANELS.items()
        if not (rows := data[data["metric"].isin(metrics)]).empty
    ]
    return make_figure(
        panels,
        _draw_metrics,
        ctx=ctx,
        title=title,
        **_LOOK,
        x_categories=list(dict.fromkeys(zip(data["_series"], data["_year"], strict=True))),
        after=partial(_growth_connectors, data=data),
        note=more.format(k=data["article_id"].nunique(), n=left_out, table="sales_growth")
        if left_out
        else None,
    )


def _top(data: pd.DataFrame, limit: int | None) -> tuple[pd.DataFrame, int]:
    """The rows of the top ``limit`` articles (any curated row first, then the largest
    sales value), and how many articles were left out."""
    if data.empty:
        return data, 0
    value = data["value"].where(data["metric"] == "sales_value")
    return top_articles(data, [[not a for a in data["_auto"]], list(value)], limit=limit)


def _series(df: pd.DataFrame, figures: pd.DataFrame | None) -> pd.DataFrame:
    """The table with its series (programme · donor), year and status (``_auto``), in
    series then year order."""
    if df.empty:
        return pd.DataFrame(columns=["metric", "_series", "_year"])
    data = df.copy()
    data["_auto"] = is_auto(df, figures)
    # programme and donor on two lines: a narrow chart has little room under each block
    data["_series"] = [
        escape_hover(series_label(r)).replace(" · ", "<br>") for _, r in data.iterrows()
    ]
    data["_year"] = data["period_end"].astype(str).str[:4]
    series_order = list(dict.fromkeys(data.sort_values(["article_id", "_year"])["_series"]))
    data["_s"] = data["_series"].map({s: i for i, s in enumerate(series_order)})
    return data.sort_values(["_s", "_year"], kind="stable")


def _bar_text(row: pd.Series, lang: str) -> str:
    """A bar's label: the quote for a reported Chinese value, else the value with ≥/≤/≈."""
    if row["basis"] == "reported" and not is_missing(row["quote"]) and lang == "zh":
        return str(row["quote"])
    text = format_value(row["value"], row["unit"], lang)
    text = {"over": "≥", "near": "≤"}.get(row["qualifier"], "") + text
    if row["basis"] == "derived":
        approx = "≈" if row["qualifier"] == "exact" else ""
        return f"{approx}{text}{paren(word(lang, 'derived'), lang)}"
    return text


def _draw_metrics(canvas: Canvas, panel: Panel) -> None:
    """One panel: a bar per (series, year) and metric, on an axis scaled to its unit."""
    lang = canvas.lang
    div, unit_label = axis_scale(panel.rows["unit"].iloc[0], lang)
    for metric, rows in canvas.groups(panel.rows, "metric", _PANELS[panel.key]):
        for _, row in rows.iterrows():
            ends = whisker_ends(row["lower"], row["upper"], value=row["value"], stretch=1.18)
            if ends is not None:
                lo, hi, open_hi = ends
                canvas.whisker((row["_series"], row["_year"]), (lo / div, hi / div, open_hi))
        online = metric == "online_sales_value"
        derived = (rows["basis"] == "derived").tolist()
        auto = list(rows["_auto"])
        canvas.add(
            go.Bar,
            x=[list(rows["_series"]), list(rows["_year"])],
            y=[v / div for v in rows["value"]],
            name=word(lang, metric),
            legendgroup=metric,
            marker={
                "color": _COLOURS[metric],
                "opacity": auto_opacity(auto),
                "line": {"color": "#333333", "width": 1},
                "pattern": derived_pattern(derived, auto),
            },
            width=0.32 if online else 0.7,
            offset=0.0 if online else None,
            text=[escape_hover(_bar_text(row, lang)) for _, row in rows.iterrows()],
            textposition="inside" if not online else "outside",
            insidetextanchor="middle",
            textfont={"color": "#111111"},
            cliponaxis=False,
            hover=[sales_hover(row, canvas.ctx) for _, row in rows.iterrows()],
            customdata=[[float(v)] for v in rows["value"]],
            meta={"role": metric, "derived": derived},
        )
        if any(auto):
            canvas.auto_key()
    canvas.yaxis(
        title_text=escape_hover(f"{pick(AXIS_NAMES[panel.key], lang)}{paren(unit_label, lang)}"),
        rangemode="tozero",
        separatethousands=True,
        exponentformat="none",
    )


def _growth_connectors(canvas: Canvas, *, data: pd.DataFrame) -> None:
    """Dashed lines from the previous year's value to the year a growth rate describes."""
    panel_rows = [r for r, p in enumerate(canvas.panels, start=1) if p.key == "sales_value"]
    if not panel_rows:
        return
    canvas.row = panel_rows[0]
    div, _ = axis_scale(canvas.panels[canvas.row - 1].rows["unit"].iloc[0], canvas.lang)
    values = data[data["metric"].isin(["sales_value", "previous_year_value"])]
    for metric in _GROWTH:
        for _, g in data[data["metric"] == metric].iterrows():
            same = values[
                (values["_series"] == g["_series"]) & (values["article_id"] == g["article_id"])
            ]
            cur = same[same["_year"] == g["_year"]]
            prev = same[same["_year"] == str(int(g["_year"]) - 1)]
            cur_y = float(cur["value"].iloc[0]) / div if not cur.empty else 0.0
            if prev.empty:
                xs, ys, texts = [[g["_series"]], [g["_year"]]], [cur_y], [_growth_text(g, canvas)]
            else:
                xs = [[g["_series"], g["_series"]], [prev["_year"].iloc[0], g["_year"]]]
                ys = [float(prev["value"].iloc[0]) / div, cur_y]
                texts = ["", _growth_text(g, canvas)]
            canvas.add(
                go.Scatter,
                legend=metric,
                x=xs,
                y=ys,
                mode="lines+markers+text",
                text=texts,
                textposition="top center",
                textfont={"size": 13, "color": _GROWTH_COLOUR},
                name=word(canvas.lang, metric),
                line={"color": _GROWTH_COLOUR, "width": 2, "dash": "dash"},
                marker={"size": 8, "color": _GROWTH_COLOUR},
                cliponaxis=False,
                hover=[sales_hover(g, canvas.ctx)] * len(ys),
                customdata=[[float(g["value"])]] * len(ys),
                meta={"role": metric},
            )


def _growth_text(g: pd.Series, canvas: Canvas) -> str:
    """A growth connector's label: y/y +103%, marked when derived."""
    lang = canvas.lang
    sign = "+" if g["value"] >= 0 else ""
    label = f"{word(lang, 'yoy')} {sign}{format_value(g['value'], '%', lang)}"
    if g["metric"] == "growth_from_values":
        label += paren(word(lang, "derived"), lang)
    return escape_hover(label)
