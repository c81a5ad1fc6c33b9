"""The spending-shares chart: each part as a share of its total, one panel per article."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from aidstats.charts.core import Canvas, Panel, make_figure, split_by, stacked_height, whisker_ends
from aidstats.charts.hover import Context, share_hover, whole_hover
from aidstats.charts.labels import (
    category_name,
    check_lang,
    escape_hover,
    paren,
    row_label,
    text_width,
    whole_label,
    word,
)
from aidstats.charts.theme import GREY, INK, LIGHT, OKABE_ITO, derived_pattern
from aidstats.formatting import format_value, is_missing

_TEXT_COLUMN = 102.0  # x of the number labels, just right of the 100% bar
_BASIS_COLOURS = {"reported": OKABE_ITO["blue"], "derived": OKABE_ITO["sky_blue"]}
_CATEGORY_ORDER = {"funds": 0, "projects": 1}


def spending_shares_chart(
    df: pd.DataFrame,
    *,
    lang: str = "zh",
    title: str | None = None,
    figures: pd.DataFrame | None = None,
    articles: pd.DataFrame | None = None,
) -> go.Figure:
    """Each part as a share of its total (the grey 100% bar), one panel per article.

    ``df`` is the ``spending_shares`` table. Reported shares are solid, derived ones
    hatched; whiskers show the bounds of shares from 多/余/超 figures. Pass the figures
    and articles tables to show source sentences, raw offsets and article titles in the
    hover. Rows with no total (no share to draw) are counted in a note, not drawn.
    """
    ctx = Context(figures, articles, lang=check_lang(lang))
    drawn = _drawn(df)
    panels = [
        Panel(art, part, title=ctx.article(art), weight=len(part) + 1.2)
        for art, part in split_by(drawn, "article_id")
    ]
    widest = max([0.0, *(text_width(t) for _, r in drawn.iterrows() for t in _numbers(r, lang))])
    hidden = len(df) - len(drawn)
    n = len(panels)
    return make_figure(
        panels,
        _draw_article,
        ctx=ctx,
        kind="shares",
        title=title,
        height=stacked_height(panels, base=210, per_row=62, per_panel=70),
        subplots={
            "shared_xaxes": True,
            "vertical_spacing": min(0.12, 0.5 / max(1, n)) if n > 1 else 0.0,
        },
        layout={"barmode": "overlay", "bargap": 0.35},
        xaxes={
            "range": [0, _axis_end(widest)],
            "tickvals": [0, 20, 40, 60, 80, 100],
            "ticksuffix": "%",
        },
        x_title=word(lang, "share"),
        note=word(lang, "other_rows").format(n=hidden) if hidden else None,
    )


def _drawn(df: pd.DataFrame) -> pd.DataFrame:
    """The rows with a share to draw, funds before projects, largest share first."""
    if df.empty:
        return df
    drawn = df[df["share_basis"].isin(["reported", "derived"])]
    return drawn.assign(_o=drawn["category"].map(_CATEGORY_ORDER).fillna(9)).sort_values(
        ["article_id", "_o", "whole_figure", "share_pct"],
        ascending=[True, True, True, False],
        kind="stable",
    )


def _axis_end(label_px: float, plot_px: float = 600.0) -> float:
    """The end of a 0–100% axis that leaves room for labels of ``label_px`` at 102%,
    for a plot area of about ``plot_px`` pixels."""
    room = min(label_px + 12, 0.6 * plot_px)
    return _TEXT_COLUMN / (1 - room / plot_px)


def _numbers(row: pd.Series, lang: str) -> list[str]:
    """The lines written right of a part's bar: its share, and the amount when derived."""
    derived = paren(word(lang, "derived"), lang)
    share = format_value(row["share_pct"], "%", lang)
    lines = [f"≈{share}{derived}" if row["share_basis"] == "derived" else share]
    if row["amount_basis"] == "derived":
        lines.append(f"→ ≈{format_value(row['amount'], row['unit'], lang)}{derived}")
    return lines


def _tick(row: pd.Series, lang: str) -> str:
    """A part's axis label: [category] label, and in small grey type the total it is of."""
    whole = ""
    if not is_missing(row["whole_figure"]):
        value = format_value(row["whole_value"], row["unit"], lang)
        whole = f"{word(lang, 'of')} {whole_label(row, lang)} {value}"
    return (
        f"[{escape_hover(category_name(row['category'], lang))}] "
        f"{escape_hover(row_label(row, lang))}<br>"
        f'<span style="font-size:11px;color:#555555">{escape_hover(whole)}</span>'
    )


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
        canvas.add(
            go.Bar,
            legend=basis,
            x=list(part["share_pct"]),
            y=list(part["figure_id"]),
            orientation="h",
            name=word(lang, f"share_{basis}"),
            marker={
                "color": _BASIS_COLOURS[basis],
                "line": {"color": OKABE_ITO["blue"], "width": 1},
                "pattern": derived_pattern([basis == "derived"] * len(part)),
            },
            hover=hover,
            customdata=[
                [float(a), float(b)] for a, b in zip(part["share_pct"], part["amount"], strict=True)
            ],
            meta={"role": f"share_{basis}"},
        )
        # the numbers, in a column right of the 100% bars
        canvas.labels(
            x=[_TEXT_COLUMN] * len(part),
            y=list(part["figure_id"]),
            text=[
                "<br>".join(escape_hover(t) for t in _numbers(row, lang))
                for _, row in part.iterrows()
            ],
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
