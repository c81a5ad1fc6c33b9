"""The look every chart shares: the Okabe-Ito palette, Noto Sans CJK, one Plotly template,
and the hatch that marks a derived number."""

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


def derived_pattern(derived: Sequence[bool]) -> dict[str, Any]:
    """The mark of a derived number: a dark hatch over the bar's own colour."""
    return {
        "shape": [DERIVED_PATTERN if d else "" for d in derived],
        "fillmode": "overlay",
        "fgcolor": INK,
        "size": 8,
        "solidity": 0.25,
    }
