"""The beneficiaries chart: people and person-times, one panel per measure and article.

Counts from different articles describe different years, places and programmes, so they
are never ranked against each other: each article has its own panel, titled with the
article and its period. People and person-times never share an axis. A dot is the
number as written; a line is the range the wording implies (1000余名: from 1000 to
under 2000; 近800名: at most 800). Dots rather than bars, because on a log axis a bar's
length depends on where the axis happens to start.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import Unpack

import pandas as pd
import plotly.graph_objects as go

from aidstats.charts.core import (
    MAX_ARTICLES,
    Canvas,
    Panel,
    make_figure,
    split_by,
    top_articles,
    whisker_ends,
)
from aidstats.charts.fit import TICK_WIDTH, wrap, wrap_lines, wrap_widest
from aidstats.charts.hover import ChartOptions, Context, chart_context, figure_hover
from aidstats.charts.labels import (
    CATEGORY_RANK,
    category_name,
    escape_hover,
    measure_name,
    paren,
    period_text,
    row_label,
    sorted_categories,
    word,
)
from aidstats.charts.status import is_auto
from aidstats.charts.theme import OUTLINE, PALETTE, status_marker
from aidstats.formatting import format_value, is_missing

_MEASURES = ("people", "person_times")
_ROW_PX, _LINE_PX = 26.0, 15.0
_COUNT_WIDTH = 120  # the column of counts as written, in px


@dataclass(frozen=True)
class Scale:
    """One measure's count axis, shared by its panels: log or linear, and its range
    (in decades on a log axis)."""

    log: bool
    start: float
    end: float

    @property
    def left(self) -> float:
        """The axis start in data units (where an "at most" line begins)."""
        return 10.0**self.start if self.log else 0.0

    @property
    def right(self) -> float:
        """The axis end in data units (where the column of counts begins)."""
        return 10.0**self.end if self.log else self.end


def beneficiaries_chart(
    df: pd.DataFrame, *, log: bool | None = None, **opts: Unpack[ChartOptions]
) -> go.Figure:
    """People and person-times, one panel per measure and article, never on one axis.

    ``df`` is the ``beneficiaries`` table. Dots are coloured by sector (hollow and
    lighter for automatic figures), lines show the range 多/余/超/近 imply, with an arrow
    where only a lower bound is known, and the count as written stands in a column at
    the right. ``log`` (default: when a measure's counts span more than two orders of
    magnitude) puts the counts on a log axis starting at the decade below the smallest.
    """
    ctx = chart_context(opts)
    lang, title, figures = ctx.lang, opts.get("title"), opts.get("figures")
    data = df.assign(_auto=is_auto(df, figures)) if not df.empty else df
    limit = opts.get("max_articles", MAX_ARTICLES)
    data, left_out = _top_per_measure(data, limit)
    note = word(lang, "more_panels").format(k=limit, n=left_out, table="beneficiaries")
    panels = _panels(data, ctx) if not data.empty else []
    categories = [] if data.empty else sorted_categories(data["category"])
    colours = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(categories)}
    scales = {
        m: _scale(data[data["measure"] == m], log) for m in dict.fromkeys(data.get("measure", []))
    }
    counts = [0.0, *(wrap_widest(_count_text(r, lang), _COUNT_WIDTH) for _, r in data.iterrows())]
    return make_figure(
        panels,
        partial(_draw_counts, colours=colours, scales=scales),
        ctx=ctx,
        kind="benef",
        title=title,
        gap=118,
        subplots={"shared_xaxes": False},
        layout={"margin": {"r": int(max(counts)) + 26}},
        whiskers={"size": 9},
        note=note if left_out else None,
    )


def _top_per_measure(data: pd.DataFrame, limit: int | None) -> tuple[pd.DataFrame, int]:
    """The rows of the top ``limit`` articles of each measure (any curated count first,
    then the largest count), and how many (measure, article) panels were left out."""
    if data.empty or limit is None:
        return data, 0
    kept: set[tuple[str, str]] = set()
    left_out = 0
    for m in dict.fromkeys(data["measure"]):
        part = data[data["measure"] == m]
        top, more = top_articles(
            part, [[not a for a in part["_auto"]], list(part["value"])], limit=limit
        )
        kept |= {(m, a) for a in top["article_id"]}
        left_out += more
    if not left_out:
        return data, 0
    pairs = zip(data["measure"], data["article_id"], strict=True)
    return data[[pair in kept for pair in pairs]], left_out


def _panels(df: pd.DataFrame, ctx: Context) -> list[Panel]:
    """One panel per measure (people, person-times, then others) and article."""
    measures = [m for m in _MEASURES if (df["measure"] == m).any()]
    measures += sorted(set(df["measure"]) - set(measures))
    panels = []
    for m in measures:
        for art, rows in split_by(df[df["measure"] == m].sort_values("article_id"), "article_id"):
            rows = _in_order(rows)
            periods = _periods(rows)
            title = f"{measure_name(m, ctx.lang)} · {ctx.article(art)}"
            if len(periods) == 1:
                title += f" · {next(iter(periods))}"
            lines = sum(len(_tick_lines(r, ctx.lang, len(periods) > 1)) for _, r in rows.iterrows())
            pixels = _ROW_PX * len(rows) + _LINE_PX * (lines - len(rows)) + 16
            panels.append(Panel(m, rows, title=title, pixels=pixels, meta={"measure": m}))
    return panels


def _periods(rows: pd.DataFrame) -> set[str]:
    """The distinct periods of the rows, as text."""
    return {
        period_text(s, e) for s, e in zip(rows["period_start"], rows["period_end"], strict=True)
    }


def _in_order(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows by sector (in chart order), then largest count first."""
    rows = rows.assign(_c=rows["category"].map(CATEGORY_RANK).fillna(99))
    return rows.sort_values(
        ["_c", "category", "value"], ascending=[True, True, False], kind="stable"
    )


def _scale(rows: pd.DataFrame, log: bool | None) -> Scale:
    """The count axis of one measure: log when asked, or when the counts (and the
    bounds they imply) span more than two orders of magnitude."""
    lows = [float(v) for v in rows["value"]] + [
        float(v) for v in rows["lower"] if not is_missing(v)
    ]
    highs = [
        max(float(h), float(v)) if not is_missing(h) else float(v) * 1.4
        for h, v in zip(rows["upper"], rows["value"], strict=True)
    ]
    low, high = max(min(lows), 1.0), max(highs)
    use_log = log if log is not None else high / low > 100
    if use_log:
        # the decade below the smallest count, so no dot sits on the axis edge
        start = math.floor(math.log10(low * 0.9))
        return Scale(True, float(start), float(math.ceil(math.log10(high * 1.05))))
    return Scale(False, 0.0, high * 1.08)


def _count_text(row: pd.Series, lang: str) -> str:
    """A count as written: the quote in Chinese, else the value with ≥/≤/~."""
    if lang == "zh" and not is_missing(row["quote"]):
        return str(row["quote"])
    if is_missing(row["value"]):  # a range with no single value (三四十人): its bounds
        lo, hi = (format_value(row[k], row["unit"], lang) for k in ("lower", "upper"))
        if not (is_missing(row["lower"]) or is_missing(row["upper"])):
            return f"{format_value(row['lower'], None, lang)}–{hi}"  # 30–40 people
        return f"≥{lo}" if not is_missing(row["lower"]) else f"≤{hi}"
    text = format_value(row["value"], row["unit"], lang)
    return {"over": "≥", "near": "≤", "approx": "~"}.get(row["qualifier"], "") + text


def _tick_lines(row: pd.Series, lang: str, with_period: bool) -> list[str]:
    """A count's axis label, wrapped: label · programme, and its period when the panel's
    counts are not all of one period."""
    text = row_label(row, lang)
    if not is_missing(row.get("program")):
        text += f" · {row['program']}"
    if with_period:
        text += paren(period_text(row["period_start"], row["period_end"]), lang)
    return wrap_lines(text, TICK_WIDTH)


def _draw_counts(
    canvas: Canvas, panel: Panel, *, colours: dict[str, str], scales: dict[str, Scale]
) -> None:
    """One measure of one article: a dot per count coloured by sector, the ranges the
    wording implies, the counts as written at the right."""
    rows, lang, ctx = panel.rows, canvas.lang, canvas.ctx
    scale = scales[panel.key]
    for cat, part in canvas.groups(rows, "category", list(colours)):
        auto = list(part["_auto"])
        name = escape_hover(category_name(cat, lang))
        canvas.legend_marker(
            cat, name=name, marker={"color": colours[cat], "size": 12, "line": OUTLINE}
        )
        canvas.add(
            go.Scatter,
            legend=cat,
            x=list(part["value"]),
            y=list(part["figure_id"]),
            mode="markers",
            name=name,
            marker=status_marker(
                color=colours[cat], size=12, symbol="circle", auto=auto, open_width=2.5
            ),
            hover=[figure_hover(row, ctx) for _, row in part.iterrows()],
            customdata=[[float(v)] for v in part["value"]],
            meta={"role": "count", **panel.meta, "category": cat},
        )
    for _, row in rows.iterrows():
        open_low = is_missing(row["lower"]) and not is_missing(row["upper"])
        whisker = whisker_ends(
            scale.left if open_low else row["lower"],
            row["upper"],
            value=row["value"],
            stretch=1.35 if scale.log else 1.15,
        )
        if whisker is not None:
            canvas.whisker(row["figure_id"], whisker)
    if any(rows["_auto"]):
        canvas.auto_key(marker=True)
    # the counts as written, in a column in the right margin
    canvas.labels(
        x=[scale.right] * len(rows),
        y=list(rows["figure_id"]),
        text=[wrap(_count_text(row, lang), _COUNT_WIDTH) for _, row in rows.iterrows()],
        hover=[figure_hover(row, ctx) for _, row in rows.iterrows()],
        meta={"role": "labels", **panel.meta},
    )
    _count_axis(canvas, panel, scale)
    with_period = len(_periods(rows)) > 1
    ticks = [
        "<br>".join(escape_hover(t) for t in _tick_lines(r, lang, with_period))
        for _, r in rows.iterrows()
    ]
    canvas.category_axis(list(rows["figure_id"]), ticks, showgrid=True, gridcolor="#F4F4F4")


def _decade(k: int, lang: str) -> str:
    """A power of ten as a short tick label: 1万, 100万 / 10k, 1M."""
    if lang == "zh":
        return (
            f"{10**k:,}" if k < 4 else (f"{10 ** (k - 4):g}万" if k < 8 else f"{10 ** (k - 8):g}亿")
        )
    names = {3: "k", 6: "M", 9: "B"}
    unit = max((u for u in names if u <= k), default=0)
    return f"{10 ** (k - unit):g}{names.get(unit, '')}"


def _count_axis(canvas: Canvas, panel: Panel, scale: Scale) -> None:
    """The panel's count axis, linear or log, titled with its measure."""
    lang = canvas.lang
    axis_title = measure_name(panel.key, lang)
    if scale.log:
        axis_title += paren(word(lang, "log"), lang)
        decades = range(int(scale.start), int(scale.end) + 1)
        canvas.xaxis(
            type="log",
            range=[scale.start, scale.end],
            tickvals=[10.0**k for k in decades],
            ticktext=[_decade(k, lang) for k in decades],
        )
    else:
        canvas.xaxis(range=[0, scale.end], separatethousands=True)
    canvas.xaxis(title_text=escape_hover(axis_title), title_standoff=6)
