"""The one figure core every chart is drawn by, in the manner of plotly.express.

A chart factory turns its table into :class:`Panel` s (one subplot row each) and hands
them to :func:`make_figure` with a function that draws one panel and a few keyword
patches for what differs between charts (subplot spacing, bar mode, axes, whiskers).
The core does the rest, always the same way: the empty case, the subplots and their
titles, legend entries shown once, hover labels, the bound whiskers 多/余/超/近 imply,
one category per figure on an axis, a footnote, and the finish (template, title,
subtitle, height).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from aidstats.charts.fit import PANEL_TITLE_WIDTH, fit_top, place_top, wrap, wrap_lines
from aidstats.charts.hover import HOVER_TEMPLATE, Context
from aidstats.charts.labels import escape_hover
from aidstats.charts.theme import AUTO_OPACITY, GREY, INK, MUTED, TEMPLATE, derived_pattern
from aidstats.formatting import is_missing

#: How whiskers are drawn unless a chart says otherwise (see :func:`make_figure`).
_WHISKERS = {"size": 10, "horizontal": True, "last": False}
#: Legend groups that are keys to how marks are drawn (automatic figures, bound
#: whiskers), not data series: the legend shows them after the series, on rows of
#: their own.
KEYS = ("auto", "bounds")
#: A bound whisker: (position on the category axis, low end, high end, open upper end).
Whisker = tuple[Any, float, float, bool]


@dataclass
class Panel:
    """One subplot row: what it shows (``key``), the table rows it draws, its title,
    the height of its plot area in pixels, and what to add to the ``meta`` of its
    whisker trace."""

    key: Any
    rows: pd.DataFrame
    title: str | None = None
    pixels: float = 200.0
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Canvas:
    """The figure as a panel-drawing function sees it: traces go to the current row."""

    fig: go.Figure
    ctx: Context
    panels: Sequence[Panel]
    whisker_style: dict[str, Any]
    row: int = 1
    shown: set[str] = field(default_factory=set)
    whiskers: dict[int, list[Whisker]] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.ctx.lang

    def add(
        self,
        trace: type[go.Bar] | type[go.Scatter],
        *,
        legend: str | None = None,
        hover: list[str] | None = None,
        **props: Any,
    ) -> None:
        """Add one trace to the current row.

        ``legend`` names its legend group, shown the first time only; ``hover`` is the
        trace's list of hover labels.
        """
        if legend is not None:
            props.update(legendgroup=legend, showlegend=legend not in self.shown)
            self.shown.add(legend)
        if hover is not None:
            props.update(hovertext=hover, hovertemplate=HOVER_TEMPLATE)
        self.fig.add_trace(trace(**props), row=self.row, col=1)

    def legend_marker(self, legend: str, *, name: str, marker: dict[str, Any]) -> None:
        """A legend entry drawn as a solid ``marker`` (once per legend group), so that
        the group's look does not depend on whether its first point is automatic."""
        if legend in self.shown:
            return
        self.add(
            go.Scatter,
            legend=legend,
            x=[None],
            y=[None],
            mode="markers",
            name=name,
            marker=marker,
            hoverinfo="skip",
            meta={"role": "legend"},
        )

    def auto_key(self, *, marker: bool = False) -> None:
        """The legend entry of automatic figures (once): a light dotted bar, or a hollow
        marker for charts of markers. It draws nothing on the plot."""
        if "auto" in self.shown:
            return
        look: dict[str, Any]
        if marker:
            look = {
                "mode": "markers",
                "marker": {"symbol": "circle-open", "size": 11, "color": INK},
            }
        else:
            look = {
                "marker": {
                    "color": GREY,
                    "opacity": AUTO_OPACITY,
                    "line": {"color": INK, "width": 1},
                    "pattern": derived_pattern([False], [True]),
                }
            }
        self.add(
            go.Scatter if marker else go.Bar,
            legend="auto",
            x=[None],
            y=[None],
            name=escape_hover(self.ctx.word("auto_legend")),
            hoverinfo="skip",
            meta={"role": "auto_key"},
            **look,
        )

    def labels(self, **props: Any) -> None:
        """Text beside the marks (``x``, ``y``, ``text``, ``hover``, ``meta``; no legend)."""
        self.add(
            go.Scatter,
            mode="text",
            textposition="middle right",
            showlegend=False,
            cliponaxis=False,
            **props,
        )

    def whisker(self, position: Any, ends: tuple[float, float, bool]) -> None:
        """A bound whisker of the current row: (low, high, open upper end) at ``position``.
        The core draws a row's whiskers together (see ``whiskers=`` of :func:`make_figure`)."""
        self.whiskers.setdefault(self.row, []).append((position, *ends))

    def xaxis(self, **patch: Any) -> None:
        """Update the current row's x axis."""
        self.fig.update_xaxes(**patch, row=self.row, col=1)

    def yaxis(self, **patch: Any) -> None:
        """Update the current row's y axis."""
        self.fig.update_yaxes(**patch, row=self.row, col=1)

    def category_axis(self, ids: list[Any], ticks: list[str], **patch: Any) -> None:
        """A y axis of one category per figure, top to bottom in the given order."""
        self.yaxis(
            type="category",
            categoryorder="array",
            categoryarray=ids,
            tickvals=ids,
            ticktext=ticks,
            autorange="reversed",
            **{"showgrid": False, **patch},
        )

    def groups(self, rows: pd.DataFrame, column: str, keys: Sequence[Any]) -> Iterator[Any]:
        """(key, rows with that ``column`` value) for each key that has rows."""
        for key in keys:
            part = rows[rows[column] == key]
            if not part.empty:
                yield key, part

    def draw_whiskers(self, row: int) -> None:
        """All whiskers of ``row`` as one black line-and-marker trace, gaps between them;
        an open upper end gets an arrow head."""
        points = self.whiskers.pop(row, [])
        if not points:
            return
        horizontal = self.whisker_style["horizontal"]
        closed, arrow = (
            ("line-ns-open", "triangle-right") if horizontal else ("line-ew-open", "triangle-up")
        )
        pos: list[Any] = []
        val: list[Any] = []
        symbols: list[str] = []
        for p, low, high, open_high in points:
            pos += [p, p, None]
            val += [low, high, None]
            symbols += [closed, arrow if open_high else closed, closed]
        if isinstance(points[0][0], tuple):  # a multicategory axis: (group, item)
            pos = [[p[0] if p else None for p in pos], [p[1] if p else None for p in pos]]
        self.row = row
        self.add(
            go.Scatter,
            legend="bounds",
            x=val if horizontal else pos,
            y=pos if horizontal else val,
            mode="lines+markers",
            name=self.ctx.word("bounds_trace"),
            line={"color": INK, "width": 2},
            marker={"symbol": symbols, "size": self.whisker_style["size"], "color": INK},
            hoverinfo="skip",
            meta={"role": "bounds", **self.panels[row - 1].meta},
        )


def whisker_ends(
    low: Any, high: Any, *, value: Any, stretch: float
) -> tuple[float, float, bool] | None:
    """(low, high, open upper end) of a whisker, or None when the bounds add nothing
    (exact or approximate figures). An open upper end reaches ``stretch`` × the value."""
    low_ok, high_ok = not is_missing(low), not is_missing(high)
    if not low_ok and not high_ok:
        return None
    lo = float(low) if low_ok else 0.0
    if high_ok:
        hi, open_high = float(high), False
    else:
        hi, open_high = max(float(value), lo) * stretch, True
    if lo == hi:
        return None
    return lo, hi, open_high


#: The most articles a table chart draws (per measure, in the beneficiaries chart): a
#: chart of a panel per article stays readable, and quick to draw, for a corpus of any
#: size. Above it the chart draws the highest-ranked articles and says in its subtitle
#: how many it left out; every row is in the table (CSV/Parquet). ``max_articles=None``
#: draws them all.
MAX_ARTICLES = 12


def top_articles(
    df: pd.DataFrame, ranks: Sequence[Sequence[Any]], *, limit: int | None
) -> tuple[pd.DataFrame, int]:
    """The rows of the ``limit`` articles that rank highest, in their order, and how many
    articles were left out.

    ``ranks`` are per-row keys, most important first (e.g. "a person curated it", then
    the value); an article ranks by the largest of each key among its rows, ties by
    article id. Up to ``limit`` articles (or with no limit) the table comes back whole.
    """
    if df.empty or limit is None or df["article_id"].nunique() <= limit:
        return df, 0
    keys = [f"_k{i}" for i in range(len(ranks))]
    scores = pd.DataFrame({"article_id": list(df["article_id"])})
    for key, rank in zip(keys, ranks, strict=True):
        scores[key] = pd.to_numeric(pd.Series(list(rank)), errors="coerce").astype("float64")
    best = scores.groupby("article_id", sort=True).max().fillna(float("-inf")).reset_index()
    best = best.sort_values(
        [*keys, "article_id"], ascending=[*([False] * len(keys)), True], kind="stable"
    )
    kept = set(best["article_id"].head(limit))
    return df[df["article_id"].isin(kept)], len(best) - len(kept)


def split_by(df: pd.DataFrame, column: str) -> list[tuple[Any, pd.DataFrame]]:
    """(value, rows) for each value of ``column``, in order of first appearance."""
    if df.empty:
        return []
    return [(key, df[df[column] == key]) for key in dict.fromkeys(df[column])]


def finish(
    fig: go.Figure,
    title: str,
    subtitle: str,
    *,
    plot: float,
    below: int = 0,
    bottom: int = 60,
) -> go.Figure:
    """The template, the title with its subtitle and the legends above the plot
    (wrapped to fit, see :func:`~aidstats.charts.fit.fit_top`), and a height that
    holds them, ``plot`` px of plot area and ``bottom`` px for the bottom axis."""
    fig.update_layout(template=TEMPLATE, hovermode="closest")
    top, legend_tops = fit_top(fig, title, subtitle, below=below, keys=KEYS)
    height = round(top + plot + fig.layout.template.layout.margin.b + bottom)
    return place_top(fig, height=height, legend_tops=legend_tops)


def empty_figure(title: str, ctx: Context) -> go.Figure:
    """A titled figure that says there is nothing to chart (no data traces)."""
    fig = go.Figure()
    fig.add_annotation(
        text=escape_hover(ctx.word("no_data")),
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 16, "color": MUTED},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(meta={"empty": True})
    return finish(fig, title, "", plot=200)


def make_figure(
    panels: Sequence[Panel],
    draw: Callable[[Canvas, Panel], None],
    *,
    ctx: Context,
    kind: str,
    title: str | None,
    gap: float,
    subplots: dict[str, Any],
    layout: dict[str, Any],
    whiskers: dict[str, Any] | None = None,
    xaxes: dict[str, Any] | None = None,
    x_title: str | None = None,
    x_categories: list[tuple[str, str]] | None = None,
    annotations: dict[str, Any] | None = None,
    note: str | None = None,
    after: Callable[[Canvas], None] | None = None,
    below: int | None = None,
    bottom: int = 60,
) -> go.Figure:
    """A figure of stacked ``panels``, each drawn by ``draw``; empty when there are none.

    ``kind`` names the chart in the words of :mod:`~aidstats.charts.labels`: its
    subtitle is ``<kind>_sub`` and, unless ``title`` is given, its title ``<kind>_title``.
    Each panel is as tall as its ``pixels``, with ``gap`` px between panels (for a
    panel's title and the axis above it); the figure is as tall as all that plus its
    title, subtitle and legend. Patches: ``subplots`` for
    :func:`plotly.subplots.make_subplots` (shared axes), ``layout`` and ``xaxes``
    applied after the panels, ``annotations`` to the
    subplot titles; ``whiskers`` = ``{"size", "horizontal", "last"}`` (``last``: draw
    them after ``after`` rather than with each panel). ``x_title`` titles the bottom
    x axis; ``x_categories`` makes the x axis multicategory with these (group, item)
    columns in this order; ``note`` is a line added to the subtitle; ``after`` draws
    what spans panels; ``below`` is the room (px) between the legend and the plot
    (default: room for the first panel's title when panels have titles), ``bottom``
    the room under the plot for the bottom axis.
    """
    title = title if title is not None else ctx.word(f"{kind}_title")
    if not panels:
        return empty_figure(title, ctx)
    title_lines = [
        len(wrap_lines(p.title, PANEL_TITLE_WIDTH, font=14)) if p.title is not None else 0
        for p in panels
    ]
    gap += 18 * max(0, max(title_lines) - 1)
    plot = sum(p.pixels for p in panels) + gap * (len(panels) - 1)
    fig = make_subplots(
        rows=len(panels),
        cols=1,
        row_heights=[p.pixels for p in panels],
        vertical_spacing=gap / plot if len(panels) > 1 else 0.0,
        subplot_titles=(
            [wrap(p.title, PANEL_TITLE_WIDTH, font=14) for p in panels]
            if panels[0].title is not None
            else None
        ),
        **subplots,
    )
    fig.update_annotations(font={"size": 14})
    if annotations:
        fig.update_annotations(**annotations)
    canvas = Canvas(fig, ctx, panels, {**_WHISKERS, **(whiskers or {})})
    if x_categories is not None:
        # an invisible trace fixes the order of the (group, item) columns
        canvas.add(
            go.Scatter,
            x=[[c[0] for c in x_categories], [c[1] for c in x_categories]],
            y=[None] * len(x_categories),
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            meta={"role": "axis"},
        )
        xaxes = {"type": "multicategory", **(xaxes or {})}
    for row, panel in enumerate(panels, start=1):
        canvas.row = row
        draw(canvas, panel)
        if not canvas.whisker_style["last"]:
            canvas.draw_whiskers(row)
    fig.update_layout(**layout)
    if xaxes:
        fig.update_xaxes(**xaxes)
    if x_title is not None:
        fig.update_xaxes(title_text=escape_hover(x_title), row=len(panels), col=1)
    if after is not None:
        after(canvas)
    for row in sorted(canvas.whiskers):
        canvas.draw_whiskers(row)
    subtitle = ctx.word(f"{kind}_sub") + (f"\n{note}" if note else "")
    if below is None:
        below = 10 + 18 * title_lines[0] if title_lines[0] else 0
    return finish(fig, title, subtitle, plot=plot, below=below, bottom=bottom)
