"""The look every chart shares: the Okabe-Ito palette, Noto Sans CJK, one Plotly template,
the hatch that marks a derived number and the light, dotted fill of an automatic one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

#: The Okabe-Ito palette (Okabe & Ito 2008), safe for the common colour-vision deficiencies.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish_green": "#009E73",
    "reddish_purple": "#CC79A7",
    "sky_blue": "#56B4E9",
    "vermillion": "#D55E00",
    "yellow": "#F0E442",
    "black": "#000000",
}
#: Colour order for categorical data (yellow late: it is faint on white).
PALETTE = list(OKABE_ITO.values())
FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", sans-serif'
GREY = "#BBBBBB"
LIGHT = "#EEEEEE"
INK = "#222222"
MUTED = "#555555"
OUTLINE = {"color": "#333333", "width": 0.5}
DERIVED_PATTERN = "/"
#: An automatic figure (labelled by the build, not by a person): lighter, with dots
#: (crossed lines when it is also derived), hollow when drawn as a marker.
AUTO_PATTERN, AUTO_DERIVED_PATTERN = ".", "x"
AUTO_OPACITY = 0.45
#: The colour of each wording (qualifier) in the figure explorer.
QUALIFIER_COLOURS = {
    "exact": OKABE_ITO["blue"],
    "over": OKABE_ITO["vermillion"],
    "near": OKABE_ITO["bluish_green"],
    "approx": OKABE_ITO["reddish_purple"],
}

_AXIS = {"gridcolor": LIGHT, "zerolinecolor": GREY, "linecolor": GREY, "automargin": True}
TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": FONT_FAMILY, "size": 13, "color": INK},
        "colorway": PALETTE,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "title": {"x": 0.01, "xanchor": "left", "xref": "container", "font": {"size": 18}},
        "hoverlabel": {
            "font": {"family": FONT_FAMILY, "size": 13},
            "bgcolor": "white",
            "bordercolor": "#444444",
            "align": "left",
        },
        "legend": {"bgcolor": "rgba(255,255,255,0.9)", "font": {"size": 12}},
        "xaxis": {**_AXIS, "ticks": "outside", "tickcolor": GREY},
        "yaxis": _AXIS,
        "margin": {"l": 20, "r": 20, "t": 110, "b": 40},
    }
)


def derived_pattern(derived: Sequence[bool], auto: Sequence[bool] | None = None) -> dict[str, Any]:
    """The fill pattern of bars: a hatch for a derived number, dots for an automatic
    one, crossed lines for both, drawn dark over the bar's own colour."""
    auto = list(auto) if auto is not None else [False] * len(derived)
    shapes = {
        (False, False): "",
        (True, False): DERIVED_PATTERN,
        (False, True): AUTO_PATTERN,
        (True, True): AUTO_DERIVED_PATTERN,
    }
    return {
        "shape": [shapes[(bool(d), bool(a))] for d, a in zip(derived, auto, strict=True)],
        "fillmode": "overlay",
        "fgcolor": INK,
        "size": 8,
        "solidity": 0.25,
    }


def auto_opacity(auto: Sequence[bool]) -> list[float]:
    """Per bar or marker: lighter when the figure is automatic."""
    return [AUTO_OPACITY if a else 1.0 for a in auto]


def status_marker(
    *, color: str, size: float, symbol: str, auto: Sequence[bool], open_width: float
) -> dict[str, Any]:
    """Markers per figure: hollow, lighter and with a ``open_width`` edge when automatic."""
    return {
        "color": color,
        "size": size,
        "symbol": [f"{symbol}-open" if a else symbol for a in auto],
        "opacity": auto_opacity(auto),
        "line": {**OUTLINE, "width": [open_width if a else OUTLINE["width"] for a in auto]},
    }
