"""The spending-shares chart: each part as a share of its total, one panel per article."""

from __future__ import annotations

from typing import Any, Unpack

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
from aidstats.charts.hover import ChartOptions, chart_context, share_hover, whole_hover
from aidstats.charts.labels import (
    category_name,
    paren,
    row_label,
    whole_label,
    word,
)
from aidstats.charts.status import is_auto
from aidstats.charts.theme import GREY, INK, LIGHT, OKABE_ITO, auto_opacity, derived_pattern
from aidstats.formatting import format_value, is_missing

#: The widest the numbers right of the bars may be before they wrap (px).
_NUMBERS_WIDTH = 125
_SMALL = TICK_WIDTH * 13 / 11  # the small grey line under a label, in px at 11 px type
_BASIS_COLOURS = {"reported": OKABE_ITO["blue"], "derived": OKABE_ITO["sky_blue"]}
_CATEGORY_ORDER = {"funds": 0, "projects": 1}
#: The chart's fixed look (:func:`~aidstats.charts.core.make_figure`): shares from 0 to 100%.
_LOOK: dict[str, Any] = {
    "kind": "shares",
    "gap": 70,
    "subplots": {"shared_xaxes": True},
    "xaxes": {"range": [0, 100], "tickvals": [0, 20, 40, 60, 80, 100], "ticksuffix": "%"},
}


def spending_shares_chart(df: pd.DataFrame, **opts: Unpack[ChartOptions]) -> go.Figure:
    """Each part as a share of its total (the grey 100% bar), one panel per article.

    ``df`` is the ``spending_shares`` table. Reported shares are solid, derived ones
    hatched; shares of automatic figures (see :mod:`~aidstats.charts.status`) lighter
    and dotted; whiskers show the bounds of shares from 多/余/超 figures. Pass the
    figures and articles tables to show source sentences, raw offsets, article titles
    and each figure's status. Rows with no total, and shares above 100% (the part cannot
    belong to that total), are counted in a note, not drawn. The numbers sit in a right
    margin of their own, so they are never cut off however narrow the chart.
    """
    ctx = chart_context(opts)
    lang, title, figures = ctx.lang, opts.get("title"), opts.get("figures")
    every = _drawn(_with_auto(df, figures))
    drawn, left_out = top_articles(
        every, _ranks(every), limit=opts.get("max_articles", MAX_ARTICLES)
    )
    panels = [
        Panel(
            art,
            part,
            title=ctx.article(art),
            pixels=sum(_row_px(r, lang) for _, r in part.iterrows()),
        )
        for art, part in split_by(drawn, "article_id")
    ]
    widest = max(
        [
            0.0,
            *(
                wrap_widest(t, _NUMBERS_WIDTH)
                for _, r in drawn.iterrows()
                for t in _numbers(r, lang)
            ),
        ]
    )
    no_total = 0 if df.empty else int((~df["share_basis"].isin(["reported", "derived"])).sum())
    over = len(df) - no_total - len(every)
    notes = [word(lang, "other_rows").format(n=no_total)] if no_total else []
    notes += [word(lang, "over_100").format(n=over)] if over else []
    if left_out:
        kept = drawn["article_id"].nunique()
        more = word(lang, "more_articles")
        notes.append(more.format(k=kept, n=left_out, table="spending_shares"))
    return make_figure(
        panels,
        _draw_article,
        ctx=ctx,
        title=title,
        **_LOOK,
        layout={"barmode": "overlay", "bargap": 0.35, "margin": {"r": int(widest) + 28}},
        x_title=word(lang, "share"),
        note="; ".join(notes) if notes else None,
    )


def _with_auto(df: pd.DataFrame, figures: pd.DataFrame | None) -> pd.DataFrame:
    """The table with ``_auto``: the part or its total is an automatic figure."""
    if df.empty:
        return df.assign(_auto=pd.Series(dtype=bool))
    part = is_auto(df, figures)
    whole = is_auto(pd.DataFrame({"figure_id": df["whole_figure"]}, index=df.index), figures)
    return df.assign(_auto=[a or b for a, b in zip(part, whole, strict=True)])


def _ranks(drawn: pd.DataFrame) -> list[list[Any]]:
    """How articles rank when not all are drawn: any curated share first, then the
    largest total of funds, then the largest total of anything else."""
    if drawn.empty:
        return [[], [], []]
    funds = drawn["category"] == "funds"
    return [
        [not a for a in drawn["_auto"]],
        list(drawn["whole_value"].where(funds)),
        list(drawn["whole_value"]),
    ]


def _drawn(df: pd.DataFrame) -> pd.DataFrame:
    """The rows with a share of at most 100% to draw, funds before projects, largest
    share first."""
    if df.empty:
        return df
    share = df["share_basis"].isin(["reported", "derived"]) & (df["share_pct"] <= 100.0 + 1e-9)
    drawn = df[share]
    return drawn.assign(_o=drawn["category"].map(_CATEGORY_ORDER).fillna(9)).sort_values(
        ["article_id", "_o", "whole_figure", "share_pct"],
        ascending=[True, True, True, False],
        kind="stable",
    )


def _numbers(row: pd.Series, lang: str) -> list[str]:
    """The lines written right of a part's bar: its share, and the amount when derived."""
    derived = paren(word(lang, "derived"), lang)
    share = format_value(row["share_pct"], "%", lang)
    lines = [f"≈{share}{derived}" if row["share_basis"] == "derived" else share]
    if row["amount_basis"] == "derived":
        lines.append(f"→ ≈{format_value(row['amount'], row['unit'], lang)}{derived}")
    return lines


def _number_text(row: pd.Series, lang: str) -> str:
    """The numbers right of a part's bar, wrapped, each line after a thin space (off an
    arrow that ends at 100%)."""
    lines = [line for t in _numbers(row, lang) for line in wrap(t, _NUMBERS_WIDTH).split("<br>")]
    return "<br>".join("\u2009" + line for line in lines)


def _tick_parts(row: pd.Series, lang: str) -> tuple[str, str]:
    """A part's axis label: [category] label, and the total it is of."""
    whole = ""
    if not is_missing(row["whole_figure"]):
        value = format_value(row["whole_value"], row["unit"], lang)
        whole = f"{word(lang, 'of')} {whole_label(row, lang)} {value}"
    return f"[{category_name(row['category'], lang)}] {row_label(row, lang)}", whole


def _row_px(row: pd.Series, lang: str) -> float:
    """The height a part's row needs for its wrapped label and numbers."""
    head, whole = _tick_parts(row, lang)
    label = len(wrap_lines(head, TICK_WIDTH)) * 16 + len(wrap_lines(whole, _SMALL, font=11)) * 14
    numbers = 16 * sum(len(wrap_lines(t, _NUMBERS_WIDTH)) for t in _numbers(row, lang))
    return max(48.0, label + 16, numbers + 16)


def _tick(row: pd.Series, lang: str) -> str:
    """A part's axis label, wrapped: [category] label, and in small grey type the total
    it is of."""
    head, whole = _tick_parts(row, lang)
    small = wrap(whole, _SMALL, font=11).replace(
        "<br>", '</span><br><span style="font-size:11px;color:#555555">'
    )
    return f'{wrap(head, TICK_WIDTH)}<br><span style="font-size:11px;color:#555555">{small}</span>'


def _draw_article(canvas: Canvas, panel: Panel) -> None:
    """One article: the totals as grey 100% bars, the shares over them, numbers beside."""
    rows, lang, ctx = panel.rows, canvas.lang, canvas.ctx
    ids = list(rows["figure_id"])
    canvas.add(
        go.Bar,
        legend="whole",
        x=[100.0] * len(rows),
        y=ids,
        orientation="h",
        name=word(lang, "whole"),
        marker={"color": LIGHT, "line": {"color": GREY, "width": 1}},
        hover=[whole_hover(row, ctx) for _, row in rows.iterrows()],
        customdata=[[float(v)] for v in rows["whole_value"]],
        meta={"role": "whole"},
    )
    for basis, part in canvas.groups(rows, "share_basis", list(_BASIS_COLOURS)):
        hover = [share_hover(row, ctx) for _, row in part.iterrows()]
        auto = list(part["_auto"])
        canvas.add(
            go.Bar,
            legend=basis,
            x=list(part["share_pct"]),
            y=list(part["figure_id"]),
            orientation="h",
            name=word(lang, f"share_{basis}"),
            marker={
                "color": _BASIS_COLOURS[basis],
                "opacity": auto_opacity(auto),
                "line": {"color": OKABE_ITO["blue"], "width": 1},
                "pattern": derived_pattern([basis == "derived"] * len(part), auto),
            },
            hover=hover,
            customdata=[
                [float(a), float(b)] for a, b in zip(part["share_pct"], part["amount"], strict=True)
            ],
            meta={"role": f"share_{basis}"},
        )
        # the numbers, in the right margin beside the 100% bars
        canvas.labels(
            x=[100.0] * len(part),
            y=list(part["figure_id"]),
            text=[_number_text(row, lang) for _, row in part.iterrows()],
            textfont={"color": INK},
            hover=hover,
            meta={"role": f"labels_{basis}"},
        )
    for _, row in rows.iterrows():
        # a share is at most 100%: an open upper bound runs to the whole
        lo, hi = row["share_lower_pct"], row["share_upper_pct"]
        high = 100.0 if is_missing(hi) and not is_missing(lo) else hi
        ends = whisker_ends(lo, high, value=0.0, stretch=1.0)
        if ends is not None:
            canvas.whisker(row["figure_id"], (ends[0], min(ends[1], 100.0), is_missing(hi)))
    canvas.category_axis(ids, [_tick(row, lang) for _, row in rows.iterrows()])
    if any(rows["_auto"]):
        canvas.auto_key()
