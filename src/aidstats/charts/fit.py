"""Fitting a chart to the width it is shown at: wrapped text, a legend above the plot,
margins in pixels.

Plotly scales the plot area to its container but never wraps text: a long title, a
legend on the right or a column of numbers right of the bars can be cut off in a narrow
notebook cell (JupyterLab at 1280 px with its file browser open leaves ~850 px). So every
chart is laid out for :data:`MIN_WIDTH` pixels and grows from there: titles, subtitles
(which carry any note) and axis labels are wrapped to that width, the legend runs
horizontally under the subtitle, and text beside the marks lives in a right margin of
known width.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import plotly.graph_objects as go

from aidstats.charts.labels import escape_hover, text_width
from aidstats.charts.theme import MUTED

#: The narrowest drawing width (px) every chart is laid out for.
MIN_WIDTH = 600
#: The widest an axis label may be before it wraps (px at 13 px type).
TICK_WIDTH = 210
#: The widest a panel's title may be before it wraps (px at 14 px type).
PANEL_TITLE_WIDTH = 330
_SIDE = 20  # left and right margin of the template
_TITLE_LINE, _SUB_LINE, _LEGEND_ROW = 25, 17, 27
_TOKEN = re.compile(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+\s*|\s+")
#: Punctuation that never starts a line (it stays with the text before it).
_NO_START = set(",.;:!?)]}%、,。;:!?)》」』】")


def px(text: str, font: float = 13) -> float:
    """Rough width of ``text`` in pixels at ``font`` px."""
    return text_width(text) * font / 13.0


def wrap_lines(text: str, width: float, *, font: float = 13) -> list[str]:
    """``text`` (plain, unescaped) in lines of at most ``width`` px: Latin words kept
    whole, Chinese broken between any two characters, existing line breaks kept."""
    lines: list[str] = []
    for para in re.split(r"<br>|\n", text):
        line, used = "", 0.0
        for token in _tokens(para):
            w = px(token, font)
            if line and used + px(token.rstrip(), font) > width and not token.isspace():
                lines.append(line.rstrip())
                line, used = "", 0.0
            if not line and token.isspace():
                continue
            line += token
            used += w
        lines.append(line.rstrip())
    return lines


def _tokens(text: str) -> list[str]:
    """Words, single Chinese characters and spaces, punctuation joined to what precedes."""
    out: list[str] = []
    for token in _TOKEN.findall(text):
        if out and token[0] in _NO_START and not out[-1].isspace():
            out[-1] += token
        else:
            out.append(token)
    return out


def wrap(text: str, width: float, *, font: float = 13) -> str:
    """:func:`wrap_lines` escaped for Plotly and joined with ``<br>``."""
    return "<br>".join(escape_hover(line) for line in wrap_lines(text, width, font=font))


def wrap_widest(text: str, width: float, *, font: float = 13) -> float:
    """The width in px of the widest line of ``text`` wrapped to ``width``."""
    return max([0.0, *(px(line, font) for line in wrap_lines(text, width, font=font))])


def legend_height(names: Sequence[str], width: float, *, font: float = 12) -> float:
    """The height in px of a horizontal Plotly legend of these entries (``<br>`` for a
    line break) ``width`` px wide. Plotly puts them in one row when they fit, else in
    columns as wide as the widest entry."""
    if not names:
        return 0.0
    sizes = [
        (46 + max(px(line, font) for line in n.split("<br>")), n.count("<br>") + 1) for n in names
    ]
    if sum(w for w, _ in sizes) <= width:
        return _LEGEND_ROW + 15 * (max(n for _, n in sizes) - 1)
    cols = max(1, int(width // max(w for w, _ in sizes)))
    rows = [sizes[i : i + cols] for i in range(0, len(sizes), cols)]
    return sum(_LEGEND_ROW + 15 * (max(n for _, n in row) - 1) for row in rows)


def _legend_names(fig: go.Figure, legend: str) -> list[str]:
    """The names a legend shows: one per legend group, of traces with ``showlegend``."""
    seen: set[str] = set()
    names = []
    for t in fig.data:
        if t.showlegend is False or not t.name or (t.legend or "legend") != legend:
            continue
        key = t.legendgroup or t.name
        if key not in seen:
            seen.add(key)
            names.append(re.sub(r"&[a-z]+;", "x", t.name))
    return names


def fit_top(fig: go.Figure, title: str, subtitle: str, *, below: int = 0) -> tuple[int, list[int]]:
    """Title and subtitle wrapped to :data:`MIN_WIDTH`, under them the legend in rows
    and then ``legend2`` (the key to the bound whiskers); sets the top
    margin that holds all of them plus ``below`` px (subplot titles). A horizontal
    legend that starts left of the plot area (x < 0) and sits inside it vertically
    wraps at half the figure's width (plotly.js ``computeLegendDimensions``), so its
    rows are known for :data:`MIN_WIDTH` and never more at any larger width.
    Returns (top margin, each legend's top) for :func:`place_top`."""
    width = MIN_WIDTH - 2 * _SIDE
    title_lines = wrap_lines(title, width, font=18)
    sub_lines = wrap_lines(subtitle, width, font=12) if subtitle else []
    top = 8 + _TITLE_LINE * len(title_lines) + _SUB_LINE * len(sub_lines) + 10
    tops = []
    for legend in ("legend", "legend2"):
        tops.append(top)
        height = legend_height(_legend_names(fig, legend), MIN_WIDTH / 2)
        top += round(height) + (6 if height else 0)
    top += 8 + below
    legend = {"orientation": "h", "xref": "container", "x": -0.001}
    legend |= {"xanchor": "left", "yref": "container", "yanchor": "top"}
    fig.update_layout(
        title={
            "text": "<br>".join(escape_hover(t) for t in title_lines),
            "subtitle": {
                "text": "<br>".join(escape_hover(t) for t in sub_lines),
                "font": {"size": 12, "color": MUTED},
            },
            "automargin": False,
            "yref": "container",
            "yanchor": "top",
        },
        legend=legend,
        legend2={**legend, "bgcolor": "rgba(255,255,255,0.9)", "font": {"size": 12}},
        margin={"t": top},
    )
    return top, tops


def place_top(fig: go.Figure, *, height: int, legend_tops: Sequence[int]) -> go.Figure:
    """Set the height and pin the title and the legends (their tops in px from the top
    of the figure, see :func:`fit_top`)."""
    fig.update_layout(
        height=height,
        title={"y": 1 - 8 / height},
        legend={"y": 1 - legend_tops[0] / height},
        legend2={"y": 1 - legend_tops[1] / height},
    )
    return fig
