"""The figure explorer: every figure of an article, one row each in reading order."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from aidstats.charts.core import Canvas, Panel, make_figure, split_by
from aidstats.charts.fit import px
from aidstats.charts.hover import Context, figure_hover
from aidstats.charts.labels import (
    QUALIFIERS,
    category_name,
    check_lang,
    escape_hover,
    pick,
    row_label,
    sorted_categories,
    word,
)
from aidstats.charts.status import is_auto
from aidstats.charts.theme import OUTLINE, QUALIFIER_COLOURS, status_marker


def figure_explorer(
    figures: pd.DataFrame,
    *,
    article_id: str | None = None,
    category: str | None = None,
    lang: str = "zh",
    title: str | None = None,
    articles: pd.DataFrame | None = None,
) -> go.Figure:
    """Every figure of an article (or a category), one row each in reading order.

    Columns are categories; colour and marker shape both show the wording (● exact,
    ▲ at least, ▼ at most, ◆ approximate), a hollow, lighter marker an automatic figure
    (not reviewed by a person); the quote is written beside its marker and the hover
    holds the sentence, bounds, period, region and raw offsets. One panel per article.
    ``article_id`` and ``category`` filter (both optional).
    """
    ctx = Context(figures, articles, lang=check_lang(lang))
    sel = figures
    if article_id is not None:
        sel = sel[sel["article_id"] == article_id]
    if category is not None:
        sel = sel[sel["category"] == category]
    columns: list[str] = []
    if not sel.empty:
        sel = sel.sort_values(["article_id", "raw_start"], kind="stable")
        sel = sel.assign(_auto=is_auto(sel))
        columns = [category_name(c, lang) for c in sorted_categories(sel["category"])]
    panels = [
        Panel(
            art,
            part,
            title=None if article_id else ctx.article(art),
            pixels=26.0 * len(part) + 20,
        )
        for art, part in split_by(sel, "article_id")
    ]
    return make_figure(
        panels,
        _draw_article,
        ctx=ctx,
        kind="explorer",
        title=title if title is not None else _title(ctx, article_id, category),
        gap=90,
        subplots={},
        # subplot titles sit above the category headers of their panel
        annotations={"yshift": 30},
        below=(28 + 30 if article_id is None else 0) + 26,
        bottom=10,
        # the quotes of the last column run into a right margin of their own
        layout={"margin": {"r": _last_column_text(sel, columns, lang) + 24}},
        xaxes={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": columns,
            "range": [-0.5, len(columns) - 0.5],
            "side": "top",
            "showgrid": True,
            "showticklabels": True,
        },
    )


def _last_column_text(sel: pd.DataFrame, columns: list[str], lang: str) -> int:
    """The width in px of the widest quote written in the rightmost column."""
    if sel.empty:
        return 0
    last = sel[[category_name(c, lang) == columns[-1] for c in sel["category"]]]
    return round(max([0.0, *(px(str(q), 12) for q in last["quote"])]))


def _title(ctx: Context, article_id: str | None, category: str | None) -> str:
    """The explorer's title, with the article and category it is limited to."""
    lang = ctx.lang
    scope = [
        ctx.article(article_id) if article_id else "",
        category_name(category, lang) if category else "",
    ]
    scope = [s for s in scope if s]
    title = word(lang, "explorer_title")
    if scope:
        title += (":" if lang == "zh" else ": ") + " · ".join(scope)
    return title


def _draw_article(canvas: Canvas, panel: Panel) -> None:
    """One article: a marker per figure in its category's column, the quote beside it."""
    rows, lang = panel.rows, canvas.lang
    # the wording, in colour and shape at once (readable without colour vision)
    for q, part in canvas.groups(rows, "qualifier", list(QUALIFIERS)):
        symbol, zh, en = QUALIFIERS[q]
        auto = list(part["_auto"])
        name = escape_hover(pick((zh, en), lang))
        solid = {"color": QUALIFIER_COLOURS[q], "size": 11, "symbol": symbol, "line": OUTLINE}
        canvas.legend_marker(q, name=name, marker=solid)
        canvas.add(
            go.Scatter,
            legend=q,
            x=[category_name(c, lang) for c in part["category"]],
            y=list(part["figure_id"]),
            mode="markers+text",
            name=name,
            marker=status_marker(
                color=QUALIFIER_COLOURS[q], size=11, symbol=symbol, auto=auto, open_width=2.0
            ),
            text=[escape_hover(t) for t in part["quote"]],
            textposition="middle right",
            textfont={"size": 12},
            cliponaxis=False,
            hover=[figure_hover(f, canvas.ctx) for _, f in part.iterrows()],
            customdata=[[float(v)] for v in part["value"]],
            meta={"role": "figures", "qualifier": q, "article_id": panel.key},
        )
    if any(rows["_auto"]):
        canvas.auto_key(marker=True)
    canvas.category_axis(
        list(rows["figure_id"]),
        [escape_hover(row_label(f, lang)) for _, f in rows.iterrows()],
        showgrid=True,
        tickfont={"size": 11},
    )
