"""The corpus view: facts told by many articles, by donor, year and sector.

With many articles the unit is the *fact* (:mod:`aidstats.facts`): every report of one
number merged, with the tightest bounds its sources allow and a flag when they disagree.
These charts read the ``panel`` (indicator × donor × region × year) and the ``facts``
table. A dot is a fact, never a sum: facts of different recipients and periods overlap
(a prefecture's funds contain its counties'), so nothing is added up. Automatic facts
(no source curated by a person) are hollow and lighter, cumulative facts are squares with
their period drawn as a thin line, and a red ring marks a fact whose sources disagree.
Each chart draws at most ``limit`` facts per panel (curated and most-told first) and says
how many it left out, so a corpus of thousands of articles still gives a readable chart.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from functools import partial
from typing import Any, Unpack

import pandas as pd
import plotly.graph_objects as go

from aidstats.charts.core import Canvas, Panel, finish, make_figure, whisker_ends
from aidstats.charts.hover import ChartOptions, Context, chart_context, hover_label
from aidstats.charts.labels import (
    axis_scale,
    category_name,
    escape_hover,
    measure_name,
    paren,
    period_text,
    row_label,
    sorted_categories,
)
from aidstats.charts.theme import (
    AUTO_OPACITY,
    GREY,
    INK,
    LIGHT,
    OKABE_ITO,
    OUTLINE,
    PALETTE,
    auto_opacity,
    derived_pattern,
)
from aidstats.facts import conflicts, most_told
from aidstats.formatting import bounds_text, format_value, is_missing

#: Facts drawn per panel at most (the rest are counted in the subtitle).
LIMIT = 1000
#: Donors given a colour of their own; the others share one grey.
TOP_DONORS = 7
#: A range narrower than this share of its value gets no whisker.
TIGHT = 0.05
_RING = OKABE_ITO["vermillion"]
_PEOPLE = ("people", "person_times")


# --------------------------------------------------------------------------- text


def fact_bounds(row: pd.Series, lang: str) -> str:
    """What all sources of a fact allow: ``≥ 4.45亿元, < 4.55亿元``, ``≥ 17亿元``,
    ``≤ 800名``; the conflict word when they disagree."""
    if bool(row.get("conflict", False)):
        return "来源矛盾" if lang == "zh" else "sources disagree"
    lo, hi = row["lower"], row["upper"]
    if is_missing(lo) and is_missing(hi):
        return ""
    return bounds_text("near" if is_missing(lo) else "over", lo, hi, row["unit"], lang=lang)


def fact_hover(row: pd.Series, ctx: Context) -> str:
    """The hover of one fact: its value, bounds, sources (quotes), where and when."""
    lang = ctx.lang
    n = int(row["n_sources"])
    value = format_value(row["value"], row["unit"], lang)
    if n > 1:
        value += paren(ctx.word("median_of").format(n=n), lang)
    rows: list[tuple[str, Any]] = [
        (ctx.word("value"), value),
        (ctx.word("bounds"), fact_bounds(row, lang)),
        (ctx.word("sources"), ctx.used(row["figure_ids"], sep="\n")),
        (ctx.word("period"), period_text(row["period_start"], row["period_end"])),
        (ctx.word("region"), row["region"]),
        (ctx.word("donor"), row["donor"]),
        (ctx.word("measure"), measure_name(row["measure"], lang)),
        (ctx.word("category"), category_name(row["category"], lang)),
    ]
    text = hover_label(row_label(row, lang), rows)
    if row["status"] == "auto":
        head, _, tail = text.partition("<br>")
        text = f"{head}<br>{ctx.auto_line(None)}<br>{tail}"
    return text


# --------------------------------------------------------------------------- selection


def _with_marks(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows with what the marks need: automatic, cumulative, end and start year."""
    return rows.assign(
        _auto=(rows["status"] == "auto").to_numpy(),
        _cumulative=(rows["period_type"] == "cumulative").to_numpy(),
        _year=rows["year"].astype(int).to_numpy(),
        _start=rows["period_start"].astype(str).str[:4].astype(int).to_numpy(),
    )


def _bounded(rows: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, int]:
    """At most ``limit`` rows (curated and most-told first) and how many were left out."""
    if len(rows) <= limit:
        return rows, 0
    return most_told(rows, limit), len(rows) - limit


def _donor_groups(rows: pd.DataFrame, top: int, lang: str) -> tuple[dict[str, str], list[str]]:
    """Each donor's legend group (the ``top`` donors with most facts have their own, the
    rest share one) and the groups in legend order."""
    counts = rows["donor"].fillna("?").value_counts()
    ranked = sorted(counts.index, key=lambda d: (-counts[d], str(d)))
    own = ranked[:top]
    group = {d: d for d in own}
    rest = ranked[top:]
    other = (
        ("其他援助方({n}个)" if lang == "zh" else "Other donors ({n})").format(n=len(rest))
        if rest
        else ""
    )
    group |= dict.fromkeys(rest, other)
    return group, [*own, *([other] if rest else [])]


def _name_bounds(canvas: Canvas) -> None:
    """The whiskers' legend entry says what a fact's whisker is: the range all sources
    allow (the core's words describe one figure's wording)."""
    for trace in canvas.fig.data:
        if (trace.meta or {}).get("role") == "bounds":
            trace.name = canvas.ctx.word("fact_bounds")  # words of ours: <br> stays a break


def _fact_whisker(row: pd.Series, *, stretch: float) -> tuple[float, float, bool] | None:
    """The whisker of a fact, or None when its range is narrower than :data:`TIGHT` of its
    value (exact figures rounded alike: a whisker under the dot would only hide it)."""
    ends = whisker_ends(row["lower"], row["upper"], value=row["value"], stretch=stretch)
    if ends is None or ends[2] or is_missing(row["lower"]):
        return ends
    return None if ends[1] - ends[0] < TIGHT * abs(float(row["value"])) else ends


def _note(ctx: Context, left_out: int) -> str | None:
    return ctx.word("not_drawn").format(n=left_out) if left_out else None


# --------------------------------------------------------------------------- by year


def funds_projects_chart(
    panel: pd.DataFrame,
    *,
    indicators: Sequence[str] = ("aid_funds_total", "projects_total"),
    top: int = TOP_DONORS,
    limit: int = LIMIT,
    **opts: Unpack[ChartOptions],
) -> go.Figure:
    """Aid funds and projects by donor and year: one panel per indicator, a dot per fact
    at the year its period ends, coloured by donor (the ``top`` donors with most facts;
    the rest grey), whiskers for the bounds all sources allow.

    ``panel`` is :func:`aidstats.facts.panel` of the facts table. Pass the ``figures``
    table to show each source's quote in the hover.
    """
    return _by_year(
        panel, indicators=indicators, title_key="years_title", top=top, limit=limit, opts=opts
    )


def corpus_sales_chart(
    panel: pd.DataFrame,
    *,
    indicators: Sequence[str] = ("consumption_sales_value", "online_sales_value"),
    top: int = TOP_DONORS,
    limit: int = LIMIT,
    **opts: Unpack[ChartOptions],
) -> go.Figure:
    """Consumption-aid sales over time, by donor: :func:`funds_projects_chart` of the
    sales indicators."""
    return _by_year(
        panel,
        indicators=indicators,
        title_key="corpus_sales_title",
        top=top,
        limit=limit,
        opts=opts,
    )


def _by_year(
    panel: pd.DataFrame,
    *,
    indicators: Sequence[str],
    title_key: str,
    top: int,
    limit: int,
    opts: ChartOptions,
) -> go.Figure:
    """The one by-year chart: a panel per indicator, a dot per fact, colour by donor."""
    ctx = chart_context(opts)
    rows = panel[panel["indicator"].isin(indicators)] if not panel.empty else panel
    groups, order = _donor_groups(rows, top, ctx.lang) if not rows.empty else ({}, [])
    colours = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(order)}
    if len(order) > top:
        colours[order[-1]] = GREY
    panels, left_out = [], 0
    for ind in indicators:
        part, dropped = _bounded(rows[rows["indicator"] == ind], limit)
        left_out += dropped
        if part.empty:
            continue
        part = _with_marks(part).assign(_group=lambda d: d["donor"].fillna("?").map(groups))
        _, unit = axis_scale(part["unit"].iloc[0], ctx.lang)
        title = f"{row_label(part.iloc[0], ctx.lang)}{paren(unit, ctx.lang) if unit else ''}"
        panels.append(Panel(ind, part, title=title, pixels=240.0, meta={"indicator": ind}))
    return make_figure(
        panels,
        partial(_draw_years, colours=colours, order=order),
        ctx=ctx,
        kind="years",
        title=opts.get("title") or ctx.word(title_key),
        gap=70,
        subplots={"shared_xaxes": True},
        layout={"margin": {"r": 30}},
        whiskers={"size": 8, "horizontal": False},
        xaxes=_year_axis(rows),
        x_title=ctx.word("year"),
        note=_note(ctx, left_out),
        after=_name_bounds,
    )


def _year_axis(rows: pd.DataFrame) -> dict[str, Any]:
    """Whole years on the x axis, one tick a year when they fit (a dozen or fewer)."""
    axis: dict[str, Any] = {"tickformat": "d", "showgrid": True, "gridcolor": LIGHT}
    if rows.empty:
        return axis
    years = rows["year"].astype(int)
    starts = rows["period_start"].astype(str).str[:4].astype(int)
    low, high = int(starts.min()), int(years.max())
    if high - low <= 12:
        axis |= {"dtick": 1, "range": [low - 0.6, high + 0.6]}
    return axis


def _dodge(order: list[str], present: list[str]) -> dict[str, float]:
    """A small horizontal offset per donor group, so that one year's dots sit side by side."""
    shown = [g for g in order if g in present]
    step = min(0.12, 0.7 / max(len(shown), 1))
    return {g: (i - (len(shown) - 1) / 2) * step for i, g in enumerate(shown)}


def _draw_years(canvas: Canvas, panel: Panel, *, colours: dict[str, str], order: list[str]) -> None:
    """One indicator: per donor group, its facts as dots (squares when cumulative), the
    periods of cumulative facts as thin lines, the bounds as whiskers, conflicts ringed."""
    rows, ctx = panel.rows, canvas.ctx
    div, _ = axis_scale(rows["unit"].iloc[0], ctx.lang)
    offsets = _dodge(order, list(dict.fromkeys(rows["_group"])))
    rows = rows.assign(_x=rows["_year"] + rows["_group"].map(offsets), _y=rows["value"] / div)
    for group, part in canvas.groups(rows, "_group", order):
        name = escape_hover(group)
        colour = colours[group]
        canvas.legend_marker(
            group, name=name, marker={"color": colour, "size": 10, "line": OUTLINE}
        )
        spans = part[part["_cumulative"] & (part["_start"] < part["_year"])]
        if not spans.empty:
            xs: list[Any] = []
            ys: list[Any] = []
            for _, r in spans.iterrows():
                xs += [r["_start"] + offsets[group], r["_x"], None]
                ys += [r["_y"], r["_y"], None]
            canvas.add(
                go.Scatter,
                x=xs,
                y=ys,
                mode="lines",
                line={"color": colour, "width": 1.5, "dash": "dot"},
                showlegend=False,
                hoverinfo="skip",
                meta={"role": "period", **panel.meta},
            )
        _fact_markers(canvas, part, colour=colour, legend=group, name=name, meta=panel.meta)
        for _, r in part.iterrows():
            ends = _fact_whisker(r, stretch=1.15)
            if ends is not None:
                canvas.whisker(r["_x"], (ends[0] / div, ends[1] / div, ends[2]))
    _rings(canvas, rows, x="_x", y="_y", meta=panel.meta)
    if rows["_auto"].any():
        canvas.auto_key(marker=True)
    canvas.yaxis(rangemode="tozero", separatethousands=True, exponentformat="none")


def _fact_markers(
    canvas: Canvas,
    part: pd.DataFrame,
    *,
    colour: str,
    legend: str,
    name: str,
    meta: dict[str, Any],
    x: str = "_x",
    y: str = "_y",
) -> None:
    """The facts of one group as markers: circles, squares when cumulative, hollow and
    lighter when automatic."""
    symbols = [
        ("square" if c else "circle") + ("-open" if a else "")
        for c, a in zip(part["_cumulative"], part["_auto"], strict=True)
    ]
    auto = list(part["_auto"])
    canvas.add(
        go.Scatter,
        legend=legend,
        x=list(part[x]),
        y=list(part[y]),
        mode="markers",
        name=name,
        marker={
            "color": colour,
            "size": 10,
            "symbol": symbols,
            "opacity": auto_opacity(auto),
            "line": {**OUTLINE, "width": [2.0 if a else OUTLINE["width"] for a in auto]},
        },
        hover=[fact_hover(r, canvas.ctx) for _, r in part.iterrows()],
        customdata=[[float(v)] for v in part["value"]],
        meta={"role": "facts", "group": legend, "auto": auto, **meta},
    )


def _rings(canvas: Canvas, rows: pd.DataFrame, *, x: str, y: str, meta: dict[str, Any]) -> None:
    """A red ring around each fact whose sources disagree (one legend entry)."""
    bad = rows[rows["conflict"]]
    if bad.empty:
        return
    canvas.add(
        go.Scatter,
        legend="conflict",
        x=list(bad[x]),
        y=list(bad[y]),
        mode="markers",
        name=escape_hover(canvas.ctx.word("conflict")),
        marker={"symbol": "circle-open", "size": 18, "color": _RING, "line": {"width": 2}},
        hover=[fact_hover(r, canvas.ctx) for _, r in bad.iterrows()],
        meta={"role": "conflicts", **meta},
    )


# --------------------------------------------------------------------------- by sector


def beneficiaries_by_sector_chart(
    panel: pd.DataFrame, *, limit: int = LIMIT, **opts: Unpack[ChartOptions]
) -> go.Figure:
    """People and person-times by sector: one panel per measure, a row per sector, a dot
    per fact on a log axis (counts span orders of magnitude), spread a little within the
    row so that dots do not hide each other. Nothing is added up."""
    ctx = chart_context(opts)
    rows = panel[panel["measure"].isin(_PEOPLE)] if not panel.empty else panel
    sectors = sorted_categories(rows["category"]) if not rows.empty else []
    colours = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(sectors)}
    panels, left_out = [], 0
    for measure in _PEOPLE:
        part, dropped = _bounded(rows[rows["measure"] == measure], limit)
        left_out += dropped
        if part.empty:
            continue
        part = _with_marks(part)
        shown = [s for s in sectors if (part["category"] == s).any()]
        title = measure_name(measure, ctx.lang)
        panels.append(Panel(measure, part, title=title, pixels=34.0 * len(shown) + 24))
    return make_figure(
        panels,
        partial(_draw_sectors, colours=colours),
        ctx=ctx,
        kind="sectors",
        title=opts.get("title"),
        gap=90,
        subplots={"shared_xaxes": False},
        layout={"margin": {"r": 30}},
        whiskers={"size": 7},
        note=_note(ctx, left_out),
        after=_name_bounds,
    )


def _jitter(fact_id: str) -> float:
    """A stable offset in [-0.3, 0.3] from the fact's id (the same chart every time)."""
    h = int(hashlib.sha1(str(fact_id).encode("utf-8")).hexdigest()[:8], 16)
    return (h / 0xFFFFFFFF - 0.5) * 0.6


def _draw_sectors(canvas: Canvas, panel: Panel, *, colours: dict[str, str]) -> None:
    """One measure: a row per sector (with its number of facts), a dot per fact."""
    lang = canvas.lang
    shown = [s for s in colours if (panel.rows["category"] == s).any()]
    pos = {s: i for i, s in enumerate(shown)}
    rows = panel.rows.assign(
        _x=panel.rows["value"].astype(float).clip(lower=1.0),
        _y=[
            pos[c] + _jitter(f)
            for c, f in zip(panel.rows["category"], panel.rows["fact_id"], strict=True)
        ],
    )
    # the axis runs from the decade below the smallest count
    left = max(1.0, 10.0 ** math.floor(math.log10(float(rows["_x"].min()) * 0.9)))
    right = float(rows["_x"].max())
    for sector, part in canvas.groups(rows, "category", shown):
        name = escape_hover(category_name(sector, lang))
        colour = colours[sector]
        canvas.legend_marker(
            sector, name=name, marker={"color": colour, "size": 10, "line": OUTLINE}
        )
        _fact_markers(canvas, part, colour=colour, legend=sector, name=name, meta=panel.meta)
        for _, r in part.iterrows():
            ends = _fact_whisker(r, stretch=1.4)
            if ends is not None:  # an "at most" line starts where the axis does
                canvas.whisker(r["_y"], (max(ends[0], left), ends[1], ends[2]))
                right = max(right, ends[1])
    _rings(canvas, rows, x="_x", y="_y", meta=panel.meta)
    if rows["_auto"].any():
        canvas.auto_key(marker=True)
    counts = rows["category"].value_counts()
    ticks = [f"{category_name(s, lang)} ({counts[s]})" for s in shown]
    canvas.yaxis(
        tickvals=list(range(len(shown))),
        ticktext=[escape_hover(t) for t in ticks],
        range=[len(shown) - 0.5, -0.5],
        showgrid=False,
        zeroline=False,
    )
    title = measure_name(str(panel.key), lang) + paren(canvas.ctx.word("log"), lang)
    canvas.xaxis(
        type="log",
        dtick=1,
        range=[math.log10(left), math.log10(right * 1.3)],
        title_text=escape_hover(title),
        title_standoff=6,
    )


# --------------------------------------------------------------------------- sources


def sources_chart(facts: pd.DataFrame, **opts: Unpack[ChartOptions]) -> go.Figure:
    """How many sources tell each fact: a bar per number of sources, stacked by whether
    the sources agree (blue) or disagree beyond rounding (red); automatic facts lighter
    and dotted. Each bar is labelled with its count (small bars stay readable).

    ``facts`` is the ``facts`` table (or the panel)."""
    ctx = chart_context(opts)
    panels = [] if facts.empty else [Panel("sources", facts, pixels=260.0)]
    return make_figure(
        panels,
        _draw_sources,
        ctx=ctx,
        kind="sources",
        title=opts.get("title"),
        gap=40,
        subplots={},
        layout={"barmode": "stack", "bargap": 0.3},
        x_title=ctx.word("n_sources"),
    )


def _draw_sources(canvas: Canvas, panel: Panel) -> None:
    """The stacked bars: (agree, conflict) × (curated, automatic)."""
    rows = panel.rows
    ns = sorted(int(n) for n in rows["n_sources"].unique())
    ticks = [str(n) for n in ns]
    colours = {False: OKABE_ITO["blue"], True: _RING}
    for conflict in (False, True):
        for auto in (False, True):
            part = rows[(rows["conflict"] == conflict) & ((rows["status"] == "auto") == auto)]
            if part.empty:
                continue
            counts = part["n_sources"].astype(int).value_counts()
            y = [int(counts.get(n, 0)) for n in ns]
            legend = "conflict" if conflict else "agree"
            canvas.add(
                go.Bar,
                legend=legend,
                x=ticks,
                y=y,
                name=escape_hover(canvas.ctx.word(legend)),
                marker={
                    "color": colours[conflict],
                    "opacity": AUTO_OPACITY if auto else 1.0,
                    "line": {"color": INK, "width": 1},
                    "pattern": derived_pattern([False] * len(ns), [auto] * len(ns)),
                },
                text=[f"{v:,}" if v else "" for v in y],
                textposition="outside" if conflict else "inside",
                cliponaxis=False,
                hover=[
                    _sources_hover(canvas.ctx, n, v, conflict, auto)
                    for n, v in zip(ns, y, strict=True)
                ],
                meta={"role": "sources", "conflict": conflict, "auto": auto},
            )
            if auto:
                canvas.auto_key()
    canvas.xaxis(type="category", categoryorder="array", categoryarray=ticks)
    canvas.yaxis(title_text=escape_hover(canvas.ctx.word("n_facts")), separatethousands=True)


def _sources_hover(ctx: Context, n: int, count: int, conflict: bool, auto: bool) -> str:
    status = ctx.word("auto_legend") if auto else ("人工整理" if ctx.lang == "zh" else "Curated")
    return hover_label(
        ctx.word("conflict" if conflict else "agree"),
        [(ctx.word("n_sources"), n), (ctx.word("n_facts"), f"{count:,}"), ("", status)],
    )


# --------------------------------------------------------------------------- conflicts


def conflicts_table(
    facts: pd.DataFrame, *, top: int = 15, **opts: Unpack[ChartOptions]
) -> go.Figure:
    """The conflicts to look at, as a table: the ``top`` facts whose sources disagree
    (most articles and sources first, see :func:`aidstats.facts.conflicts`), each with
    every source's quote and figure id (pass ``figures``) so a reader can open them."""
    ctx = chart_context(opts)
    lang = ctx.lang
    title = opts.get("title") or ctx.word("conflicts_title")
    found = conflicts(facts) if not facts.empty else facts
    shown = found.head(top)
    heads = (
        ("指标", "援助方", "受援地", "统计期", "来源数", "各来源的说法")
        if lang == "zh"
        else ("Indicator", "Donor", "Recipient", "Period", "Sources", "What each source says")
    )
    cells = [
        [row_label(r, lang) for _, r in shown.iterrows()],
        [str(d) for d in shown["donor"].fillna("")],
        [str(d) for d in shown["region"].fillna("")],
        [
            period_text(s, e)
            for s, e in zip(shown["period_start"], shown["period_end"], strict=True)
        ],
        [
            f"{int(n)} / {int(a)}"
            for n, a in zip(shown["n_sources"], shown["n_articles"], strict=True)
        ],
        [ctx.used(f, sep="\n") for f in shown["figure_ids"]],
    ]
    cells = [[escape_hover(c) for c in col] for col in cells]
    lines = [max(1, c.count("<br>") + 1) for c in cells[-1]]
    table = go.Table(
        columnwidth=[150, 70, 140, 80, 50, 240],
        header={
            "values": [f"<b>{escape_hover(h)}</b>" for h in heads],
            "fill": {"color": LIGHT},
            "align": "left",
            "font": {"size": 12, "color": INK},
        },
        cells={
            "values": cells,
            "align": "left",
            "font": {"size": 12, "color": INK},
            "height": 24,
            "line": {"color": LIGHT},
        },
        meta={"role": "conflicts", "fact_ids": list(shown["fact_id"])},
    )
    sub = ctx.word("conflicts_sub")
    if found.empty:
        sub = ctx.word("no_conflicts")
    elif len(found) > top:
        sub += f"\n{len(shown)} / {len(found)}"
    sub += "\n" + ("来源数 = 指标数 / 文章数" if lang == "zh" else "Sources = figures / articles")
    plot = 30 + sum(22 * n + 8 for n in lines) if lines else 60
    # the title and subtitle are laid out first: fit_top reads legend entries, a table has none
    fig = finish(go.Figure(), title, sub, plot=plot, bottom=10)
    fig.add_trace(table)
    fig.update_layout(meta={"empty": bool(found.empty)})
    return fig
