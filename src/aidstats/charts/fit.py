"""Fitting a chart to the width it is shown at: wrapped text, a legend above the plot,
margins in pixels.

Plotly scales the plot area to its container but never wraps text: a long title, a
legend on the right or a column of numbers right of the bars can be cut off in a narrow
notebook cell (JupyterLab at 1280 px with its file browser open leaves ~850 px). So every
chart is laid out for :data:`MIN_WIDTH` pixels and grows from there: titles, subtitles
(which carry any note) and axis labels are wrapped to that width, the legend runs in
rows under the subtitle, and text beside the marks lives in a right margin of known
width.
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
TICK_WIDTH = 170
#: The widest a row of the legend may be (px): half of :data:`MIN_WIDTH`, less a margin.
LEGEND_WIDTH = MIN_WIDTH / 2 - 20
#: The widest a panel's title may be before it wraps (px at 14 px type).
PANEL_TITLE_WIDTH = 330
_SIDE = 20  # left and right margin of the template
_TITLE_LINE, _SUB_LINE, _LEGEND_ROW = 26, 17, 28
#: What a line is never broken inside: a short bracketed note such as (推算), a Chinese
#: character, a Latin word with its trailing space, a run of spaces.
_TOKEN = re.compile(r"[((][^()()]{1,8}[))]|[\u2e80-\uffff]|[^\s\u2e80-\uffff]+\s*|\s+")
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


def entry_width(name: str, *, font: float = 12) -> float:
    """The width in px Plotly gives a legend entry: symbol, gaps and its widest line."""
    return 50 + 1.08 * max(px(line, font) for line in name.split("<br>"))


def legend_rows(entries: Sequence[tuple[str, str]], *, keys: Sequence[str]) -> list[list[str]]:
    """The legend groups packed into rows of at most :data:`LEGEND_WIDTH` px: the data
    series first, then the ``keys`` (how marks are drawn) on rows of their own.
    ``entries`` are (group, name) in drawing order."""
    rows: list[list[str]] = []
    for part in ([e for e in entries if e[0] not in keys], [e for e in entries if e[0] in keys]):
        used = LEGEND_WIDTH + 1.0
        for group, name in part:
            w = entry_width(name)
            if used + w > LEGEND_WIDTH:
                rows.append([])
                used = 0.0
            rows[-1].append(group)
            used += w
    return rows


def _legend_entries(fig: go.Figure) -> list[tuple[str, str]]:
    """(group, name) of each entry the legend shows, once per group, in drawing order."""
    seen: set[str] = set()
    entries = []
    for t in fig.data:
        if t.showlegend is False or not t.name:
            continue
        group = t.legendgroup or t.name
        if group not in seen:
            seen.add(group)
            entries.append((group, re.sub(r"&[a-z]+;", "x", t.name)))
    return entries


def _legend_id(row: int) -> str:
    return "legend" if row == 0 else f"legend{row + 1}"


def fit_top(
    fig: go.Figure, title: str, subtitle: str, *, below: int = 0, keys: Sequence[str] = ()
) -> tuple[int, list[int]]:
    """Title and subtitle wrapped to :data:`MIN_WIDTH`, and under them the legend in
    rows of at most :data:`LEGEND_WIDTH` px, one Plotly legend per row (``legend``,
    ``legend2``, …): the data series, then the ``keys`` to how marks are drawn.

    Plotly wraps a horizontal legend that starts left of the plot area at half the
    figure's width (``computeLegendDimensions`` in plotly.js), so a row that fits in
    half of :data:`MIN_WIDTH` stays one row at any larger width, and the top margin
    that holds the rows plus ``below`` px (subplot titles) is right at every width.
    Returns (top margin, each row's top in px) for :func:`place_top`."""
    width = MIN_WIDTH - 2 * _SIDE
    title_lines = wrap_lines(title, width, font=18)
    sub_lines = wrap_lines(subtitle, width, font=12) if subtitle else []
    top = 8 + _TITLE_LINE * len(title_lines) + _SUB_LINE * len(sub_lines) + 12
    entries = _legend_entries(fig)
    names = dict(entries)
    rows = legend_rows(entries, keys=keys)
    legend_of = {g: _legend_id(i) for i, row in enumerate(rows) for g in row}
    for t in fig.data:
        group = t.legendgroup or t.name
        if group in legend_of:
            t.legend = legend_of[group]
    style = {"orientation": "h", "xref": "container", "x": -0.001, "xanchor": "left"}
    style |= {"yref": "container", "yanchor": "top", "traceorder": "normal"}
    tops = []
    for i, row in enumerate(rows):
        tops.append(top)
        lines = max(names[g].count("<br>") + 1 for g in row)
        top += _LEGEND_ROW + 15 * (lines - 1)
        fig.update_layout({_legend_id(i): {**style, "font": {"size": 12}}})
    top += 10 + below
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
        margin={"t": top},
    )
    return top, tops


def place_top(fig: go.Figure, *, height: int, legend_tops: Sequence[int]) -> go.Figure:
    """Set the height and pin the title and the legend rows (their tops in px from the
    top of the figure, see :func:`fit_top`)."""
    fig.update_layout(height=height, title={"y": 1 - 8 / height})
    for i, top in enumerate(legend_tops):
        fig.update_layout({_legend_id(i): {"y": 1 - top / height}})
    return fig
