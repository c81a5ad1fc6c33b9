"""The beneficiaries chart: people and person-times by sector and programme, kept apart."""

from __future__ import annotations

import math
from functools import partial

import pandas as pd
import plotly.graph_objects as go

from aidstats.charts.core import (
    Canvas,
    Panel,
    make_figure,
    spacing,
    stacked_height,
    whisker_ends,
)
from aidstats.charts.hover import Context, figure_hover
from aidstats.charts.labels import (
    CATEGORY_RANK,
    WORDS,
    category_name,
    check_lang,
    escape_hover,
    measure_name,
    paren,
    row_label,
    sorted_categories,
    word,
)
from aidstats.charts.theme import OUTLINE, PALETTE
from aidstats.formatting import format_value, is_missing

_MEASURES = ("people", "person_times")


def beneficiaries_chart(
    df: pd.DataFrame,
    *,
    lang: str = "zh",
    title: str | None = None,
    figures: pd.DataFrame | None = None,
    articles: pd.DataFrame | None = None,
    log: bool | None = None,
) -> go.Figure:
    """People and person-times by sector and programme, in separate panels and axes.

    ``df`` is the ``beneficiaries`` table. People and person-times never share an
    axis. Bars are coloured by sector; whiskers show the bounds 多/余/超/近 imply, with
    an arrow where only a lower bound is known. ``log`` (default: when the counts span
    more than two orders of magnitude) puts the counts on a log scale.
    """
    ctx = Context(figures, articles, lang=check_lang(lang))
    panels = _panels(df, lang) if not df.empty else []
    categories = [] if df.empty else sorted_categories(df["category"])
    colours = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(categories)}
    height = stacked_height(panels, base=230, per_row=30, per_panel=120)
    return make_figure(
        panels,
        partial(_draw_counts, colours=colours, log=log),
        ctx=ctx,
        kind="benef",
        title=title,
        height=height,
        subplots={"shared_xaxes": False, "vertical_spacing": spacing(130, height, len(panels))},
        layout={"barmode": "overlay", "bargap": 0.3},
        whiskers={"size": 9},
    )


def _panels(df: pd.DataFrame, lang: str) -> list[Panel]:
    """One panel per measure: people, person-times, then any other measure by name."""
    measures = [m for m in _MEASURES if (df["measure"] == m).any()]
    measures += sorted(set(df["measure"]) - set(measures))
    panels = []
    for m in measures:
        rows = df[df["measure"] == m]
        title = WORDS[lang].get(m, m)
        panels.append(
            Panel(m, _in_order(rows), title=title, weight=len(rows) + 2.5, meta={"measure": m})
        )
    return panels


def _in_order(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows by sector (in chart order), then largest count first."""
    rows = rows.assign(_c=rows["category"].map(CATEGORY_RANK).fillna(99))
    return rows.sort_values(
        ["_c", "category", "value"], ascending=[True, True, False], kind="stable"
    )


def _count_text(row: pd.Series, lang: str) -> str:
    """A count as written: the quote in Chinese, else the value with ≥/≤/~."""
    if lang == "zh" and not is_missing(row["quote"]):
        return str(row["quote"])
    text = format_value(row["value"], row["unit"], lang)
    return {"over": "≥", "near": "≤", "approx": "~"}.get(row["qualifier"], "") + text


def _draw_counts(
    canvas: Canvas, panel: Panel, *, colours: dict[str, str], log: bool | None
) -> None:
    """One measure: a bar per figure coloured by sector, its count beside it, whiskers."""
    rows, lang, ctx = panel.rows, canvas.lang, canvas.ctx
    for cat, part in canvas.groups(rows, "category", list(colours)):
        canvas.add(
            go.Bar,
            legend=cat,
            legend_title=word(lang, "category"),
            x=list(part["value"]),
            y=list(part["figure_id"]),
            orientation="h",
            name=escape_hover(category_name(cat, lang)),
            marker={"color": colours[cat], "line": OUTLINE},
            hover=[figure_hover(row, ctx) for _, row in part.iterrows()],
            customdata=[[float(v)] for v in part["value"]],
            meta={"role": "count", **panel.meta, "category": cat},
        )
    values = [float(v) for v in rows["value"]]
    use_log = log if log is not None else (max(values) / max(min(values), 1.0) > 100)
    # the axis start: a "近" (at most) whisker with no lower bound starts there
    log_start = math.floor(math.log10(max(min(values), 1.0) / 2))
    start = 10.0**log_start if use_log else 0.0
    ends = []
    for _, row in rows.iterrows():
        open_low = is_missing(row["lower"]) and not is_missing(row["upper"])
        whisker = whisker_ends(
            start if open_low else row["lower"],
            row["upper"],
            value=row["value"],
            stretch=1.35 if use_log else 1.15,
        )
        if whisker is not None:
            canvas.whisker(row["figure_id"], whisker)
        ends.append(max(float(row["value"]), whisker[1] if whisker is not None else 0.0))
    # the counts as written, in text just right of each bar or whisker
    far = max(ends)
    canvas.labels(
        x=[e * 1.12 if use_log else e + 0.015 * far for e in ends],
        y=list(rows["figure_id"]),
        text=[escape_hover(_count_text(row, lang)) for _, row in rows.iterrows()],
        hover=[figure_hover(row, ctx) for _, row in rows.iterrows()],
        meta={"role": "labels", **panel.meta},
    )
    highs = [
        float(h) if not is_missing(h) else v * 1.4
        for h, v in zip(rows["upper"], values, strict=True)
    ]
    _count_axis(canvas, panel, use_log=use_log, log_start=log_start, top=max(highs))
    ticks = [
        escape_hover(row_label(row, lang) + ("" if is_missing(p) else f" · {p}"))
        for (_, row), p in zip(rows.iterrows(), rows["program"], strict=True)
    ]
    canvas.category_axis(list(rows["figure_id"]), ticks)


def _count_axis(canvas: Canvas, panel: Panel, *, use_log: bool, log_start: int, top: float) -> None:
    """The panel's count axis, linear or log, titled with its measure."""
    lang = canvas.lang
    axis_title = measure_name(panel.key, lang)
    if use_log:
        axis_title += paren(word(lang, "log"), lang)
        top_decade = math.log10(top * 12)
        canvas.xaxis(type="log", range=[log_start, top_decade], dtick=1, tickformat=",")
    else:
        canvas.xaxis(range=[0, top * 1.35], separatethousands=True)
    canvas.xaxis(title_text=escape_hover(axis_title))
