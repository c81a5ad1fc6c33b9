"""Stage 6, charts: the analysis tables as interactive Plotly figures.

Pure functions in the plotly.express manner: a tidy table in, a
:class:`plotly.graph_objects.Figure` out, keyword options, nothing written or shown.
Every chart shares one template (Noto Sans CJK SC, the Okabe-Ito colour-blind-safe
palette), marks derived numbers with a hatched fill and "(推算)/(derived)", draws the
bounds that 多/余/超/近 imply, and carries in its hover what a careful reader needs: the
figure as reported, its bounds, period, region and the source sentence with the article.
Text from articles is escaped (:func:`escape_hover`) before it reaches Plotly's
HTML-like labels. :func:`write_charts` is the only function that writes files.

>>> fig = spending_shares_chart(aidstats.spending_shares())      # doctest: +SKIP
>>> fig.show()                                                    # doctest: +SKIP
"""

from __future__ import annotations

import html
import importlib.util
import math
import os
import re
import shutil
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from aidstats.analysis import fmt_number

__all__ = [
    "FONT_FAMILY",
    "OKABE_ITO",
    "PALETTE",
    "TEMPLATE",
    "beneficiaries_chart",
    "bounds_label",
    "browser_path",
    "chart_set",
    "escape_hover",
    "figure_explorer",
    "format_value",
    "sales_growth_chart",
    "spending_shares_chart",
    "write_charts",
]

# ---------------------------------------------------------------- template and palette

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
DERIVED_PATTERN = "/"

TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": FONT_FAMILY, "size": 13, "color": "#222222"},
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
        "xaxis": {
            "gridcolor": LIGHT,
            "zerolinecolor": GREY,
            "linecolor": GREY,
            "ticks": "outside",
            "tickcolor": GREY,
            "automargin": True,
        },
        "yaxis": {
            "gridcolor": LIGHT,
            "zerolinecolor": GREY,
            "linecolor": GREY,
            "automargin": True,
        },
        "margin": {"l": 20, "r": 20, "t": 110, "b": 40},
    }
)

# ---------------------------------------------------------------- words

_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "as_reported": "原文",
        "share_key": "占比",
        "whole_key": "总数",
        "value": "数值",
        "bounds": "上下界",
        "period": "统计期",
        "region": "受援地",
        "donor": "援助方",
        "program": "项目",
        "article": "文章",
        "sentence": "原句",
        "offsets": "原文位置",
        "formula": "推算",
        "from": "所用指标",
        "basis_reported": "报道值",
        "basis_derived": "推算值",
        "note": "说明",
        "measure": "计量",
        "not_in_totals": "不计入合计",
        "no_data": "没有可画的数据",
        "derived": "推算",
        "reported": "报道",
        "other_rows": "另有{n}项指标没有可对照的总数,未画出(见指标浏览图)",
        "log": "对数刻度",
        "share": "占总数的百分比(%)",
        "whole": "总数 = 100%",
        "share_reported": "报道的占比",
        "share_derived": "推算的占比(斜线)",
        "bounds_trace": "措辞隐含的上下界",
        "of": "占",
        "shares_title": "援疆资金与项目:部分占总数的比例",
        "shares_sub": "斜线 = 由报道数字推算;线段 = 多/余/超/近隐含的上下界;"
        "各部分可能互相包含,不可相加;不同文章的年份与援助方不同,不宜直接比较",
        "sales_title": "消费帮扶销售额:按项目与年份",
        "sales_sub": "斜线 = 推算值(上年销售额由同比增长率倒推,每吨销售额 = 销售额 ÷ 销售量);"
        "箭头 = 只知下界(超…);不同援助方与年份不构成同一时间序列",
        "sales_value": "销售额",
        "previous_year_value": "上年销售额(推算)",
        "online_sales_value": "其中线上销售额",
        "sales_volume": "销售量",
        "value_per_tonne": "每吨销售额(推算)",
        "growth_rate": "同比增长(报道)",
        "growth_from_values": "同比增长(由两年数值推算)",
        "yoy": "同比",
        "benef_title": "受益人数与人次:按领域与项目",
        "benef_sub": "人数与人次分开作图、不可相加;线段与箭头 = 多/余/超/近隐含的上下界;"
        "不同文章的年份与地区不同,不宜直接比较",
        "people": "人数(人、名、位)",
        "person_times": "人次(同一人可被计多次)",
        "explorer_title": "文中的全部指标",
        "explorer_sub": "每行一项指标,按在文中出现的先后排列;悬停可见原句、上下界与出处",
        "wording": "措辞",
        "category": "分类",
    },
    "en": {
        "as_reported": "As reported",
        "share_key": "Share",
        "whole_key": "Total",
        "value": "Value",
        "bounds": "Bounds",
        "period": "Period",
        "region": "Recipient",
        "donor": "Donor",
        "program": "Programme",
        "article": "Article",
        "sentence": "Sentence",
        "offsets": "Raw offsets",
        "formula": "Derived as",
        "from": "Figures used",
        "basis_reported": "reported",
        "basis_derived": "derived",
        "note": "Note",
        "measure": "Measure",
        "not_in_totals": "not added into totals",
        "no_data": "Nothing to chart",
        "derived": "derived",
        "reported": "reported",
        "other_rows": "{n} more figure(s) have no total to compare with and are not drawn "
        "(see the figure explorer)",
        "log": "log scale",
        "share": "Share of the total (%)",
        "whole": "Total = 100%",
        "share_reported": "Reported share",
        "share_derived": "Derived share (hatched)",
        "bounds_trace": "Bounds implied by the wording",
        "of": "of",
        "shares_title": "Aid funds and projects: parts of their totals",
        "shares_sub": "Hatched = derived from reported numbers; whiskers = bounds implied by "
        "多/余/超/近;<br>parts may overlap and are not to be added; articles differ in "
        "year and donor and are not directly comparable",
        "sales_title": "Consumption-aid sales by programme and year",
        "sales_sub": "Hatched = derived (previous year from the reported growth rate, value per "
        "tonne = value ÷ volume);<br>arrow = lower bound only (超…); different donors and years "
        "are not one time series",
        "sales_value": "Sales value",
        "previous_year_value": "Previous-year sales (implied)",
        "online_sales_value": "of which online",
        "sales_volume": "Sales volume",
        "value_per_tonne": "Value per tonne (derived)",
        "growth_rate": "Year-on-year growth (reported)",
        "growth_from_values": "Growth from two reported years (derived)",
        "yoy": "y/y",
        "benef_title": "People reached, by sector and programme",
        "benef_sub": "People and person-times are charted apart and never added; whiskers and "
        "arrows = bounds implied by 多/余/超/近;<br>articles differ in year and region and are "
        "not directly comparable",
        "people": "People (人, 名, 位)",
        "person_times": "Person-times (one person may count many times)",
        "explorer_title": "Every figure in the text",
        "explorer_sub": "One row per figure, in reading order; hover for the sentence, "
        "bounds and source",
        "wording": "Wording",
        "category": "Category",
    },
}
_CATEGORIES = {
    "funds": ("资金", "Funds"),
    "projects": ("项目", "Projects"),
    "sales": ("销售", "Sales"),
    "beneficiaries": ("受益人", "Beneficiaries"),
    "infrastructure": ("基础设施", "Infrastructure"),
    "education": ("教育", "Education"),
    "health": ("医疗卫生", "Health"),
    "culture": ("文化", "Culture"),
    "employment": ("就业", "Employment"),
    "industry": ("产业", "Industry"),
}
_MEASURES = {
    "money": ("金额", "Money"),
    "people": ("人数", "People"),
    "person_times": ("人次", "Person-times"),
    "items": ("个数", "Items"),
    "share": ("占比", "Share"),
    "growth": ("增长率", "Growth"),
    "ratio": ("比例", "Ratio"),
    "area": ("面积", "Area"),
    "weight": ("重量", "Weight"),
    "events": ("场次", "Events"),
    "count": ("数量", "Count"),
    "duration": ("时长", "Duration"),
}
_QUALIFIERS = {
    # qualifier → (symbol, zh, en)
    "exact": ("circle", "精确", "exact"),
    "over": ("triangle-up", "至少(多/余/超/以上)", "at least (多/余/超/以上)"),
    "near": ("triangle-down", "至多(近)", "at most (近)"),
    "approx": ("diamond", "约数(约/左右)", "approximate (约/左右)"),
}
_QUALIFIER_COLOURS = {
    "exact": OKABE_ITO["blue"],
    "over": OKABE_ITO["vermillion"],
    "near": OKABE_ITO["bluish_green"],
    "approx": OKABE_ITO["reddish_purple"],
}
_EN_UNITS = {
    "元": " yuan",
    "吨": " t",
    "平方米": " m²",
    "人次": " person-times",
    "人": " people",
    "名": " people",
    "位": " people",
    "个": "",
    "%": "%",
    "元/吨": " yuan/t",
}


def _w(lang: str, key: str) -> str:
    return _WORDS[_check_lang(lang)][key]


def _check_lang(lang: str) -> str:
    if lang not in _WORDS:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return lang


def _p(text: str, lang: str) -> str:
    """Text in parentheses, as each language writes them."""
    return f"({text})" if lang == "zh" else f" ({text})"


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def _category_name(category: str, lang: str) -> str:
    return _pick(_CATEGORIES.get(category, (category, category)), lang)


def _measure_name(measure: str, lang: str) -> str:
    return _pick(_MEASURES.get(measure, (measure, measure)), lang)


# ---------------------------------------------------------------- text helpers


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def escape_hover(text: Any) -> str:
    """Text made safe for Plotly's HTML-like labels: ``<``/``>``/``&`` escaped,
    line breaks as ``<br>``; ``None``/NaN → "".

    >>> escape_hover('超17亿元 <b>\\n"x"')
    '超17亿元 &lt;b&gt;<br>"x"'
    """
    if _missing(text):
        return ""
    # quote=False: Plotly knows &lt; &gt; &amp; and numeric entities but not &quot;,
    # and a quote cannot start a tag once < and > are escaped.
    escaped = html.escape(str(text), quote=False)
    return re.sub(r"\r\n|\r|\n", "<br>", escaped)


def _wrap(text: str, width: int) -> list[tuple[int, int]]:
    """Line ranges of ``text``, about ``width`` wide (CJK counts 1, ASCII ½)."""
    ranges, start, used = [], 0, 0.0
    for i, ch in enumerate(text):
        used += 0.5 if ord(ch) < 128 else 1.0
        if ch == "\n" or used >= width:
            ranges.append((start, i + 1))
            start, used = i + 1, 0.0
    if start < len(text):
        ranges.append((start, len(text)))
    return ranges


def _sentence_html(sentence: Any, quote: Any, width: int = 30) -> str:
    """The sentence wrapped for a hover label, with the quote in bold."""
    if _missing(sentence):
        return ""
    text = str(sentence).replace("\n", " ")
    q = "" if _missing(quote) else str(quote)
    qs = text.find(q) if q else -1
    qe = qs + len(q) if qs >= 0 else -1
    lines = []
    for a, b in _wrap(text, width):
        if qs < 0 or qe <= a or qs >= b:
            lines.append(escape_hover(text[a:b]))
            continue
        s, e = max(a, qs), min(b, qe)
        lines.append(
            escape_hover(text[a:s])
            + "<b>"
            + escape_hover(text[s:e])
            + "</b>"
            + escape_hover(text[e:b])
        )
    if len(lines) > 8:
        lines = [*lines[:8], "…"]
    return "<br>".join(lines)


def format_value(value: Any, unit: Any = None, lang: str = "zh") -> str:
    """A number with its unit, as the language's reader writes it: 4.5亿元 / 450 million yuan."""
    if _missing(value):
        return "?"
    unit = "" if _missing(unit) else str(unit)
    if lang == "zh":
        return fmt_number(float(value), unit)
    v = float(value)
    mag = abs(v)
    if unit == "%":
        return f"{v:.4g}%"
    if mag >= 1e9:
        text = f"{v / 1e9:.4g} billion"
    elif mag >= 1e6:
        text = f"{v / 1e6:.4g} million"
    else:
        text = f"{v:,.6g}" if mag >= 1000 else f"{v:.6g}"
    return text + _EN_UNITS.get(unit, f" {unit}" if unit else "")


def bounds_label(qualifier: Any, lower: Any, upper: Any, unit: Any = None, lang: str = "zh") -> str:
    """What the wording lets a reader conclude: ``≥ 17亿元``, ``≥ 3.768万人次, < 3.769万人次``."""
    words = {
        "exact": ("精确值", "exact"),
        "approx": ("约数,未给出上下界", "approximate (no bounds stated)"),
    }
    if qualifier in words:
        return _pick(words[qualifier], lang)
    parts = []
    if not _missing(lower):
        parts.append(f"≥ {format_value(lower, unit, lang)}")
    if not _missing(upper):
        parts.append(("< " if qualifier == "over" else "≤ ") + format_value(upper, unit, lang))
    if qualifier == "over" and _missing(upper):
        parts.append("上界未知" if lang == "zh" else "no upper bound")
    return (", " if lang == "en" else ",").join(parts) or str(qualifier)


def _period(start: Any, end: Any) -> str:
    s = "" if _missing(start) else str(start)
    e = "" if _missing(end) else str(end)
    return s if s == e or not e else f"{s}–{e}"


class _Html(str):
    """A hover value that is already safe HTML (not escaped again)."""


def _hover(title: str, rows: Iterable[tuple[str, Any]]) -> str:
    """One hover label: a bold escaped title, then ``key: value`` lines (empty ones skipped)."""
    out = [f"<b>{escape_hover(title)}</b>"]
    for key, value in rows:
        if _missing(value) or value == "":
            continue
        shown = value if isinstance(value, _Html) else escape_hover(value)
        if "<br>" in shown and key:
            out.append(f"{escape_hover(key)}:<br>{shown}")
        else:
            out.append(f"{escape_hover(key)}: {shown}" if key else shown)
    return "<br>".join(out)


class _Context:
    """Lookups for hover labels: figures by id (sentence, offsets) and article titles."""

    def __init__(self, figures: pd.DataFrame | None, articles: pd.DataFrame | None) -> None:
        self.figures: dict[str, pd.Series] = {}
        if figures is not None and not figures.empty:
            self.figures = {str(r["figure_id"]): r for _, r in figures.iterrows()}
        self.titles: dict[str, str] = {}
        if articles is not None and not articles.empty and "title" in articles:
            self.titles = dict(zip(articles["article_id"], articles["title"], strict=True))

    def article(self, article_id: Any) -> str:
        title = self.titles.get(str(article_id))
        return f"{title}({article_id})" if title else str(article_id)

    def hover(
        self,
        title: str,
        figure_id: Any,
        quote: Any,
        article_id: Any,
        rows: list[tuple[str, Any]],
        lang: str,
    ) -> str:
        """A hover label: the title, the figure as reported, ``rows``, then the source
        sentence (quote in bold), raw offsets and article when the figure is known."""
        f = self.figures.get(str(figure_id)) if not _missing(figure_id) else None
        head = [(_w(lang, "as_reported"), f["quote"] if f is not None else quote)]
        tail: list[tuple[str, Any]] = []
        if f is not None:
            tail = [
                (_w(lang, "sentence"), _Html(_sentence_html(f["sentence"], f["quote"]))),
                (
                    _w(lang, "offsets"),
                    f"{f['article_id']} [{int(f['raw_start'])}:{int(f['raw_end'])}]",
                ),
            ]
        tail.append((_w(lang, "article"), self.article(article_id)))
        return _hover(title, [*head, *rows, *tail])

    def used(self, figure_ids: Any, lang: str) -> str:
        """The quotes of the figures a derived value was computed from."""
        if _missing(figure_ids):
            return ""
        out = []
        for fid in str(figure_ids).split(";"):
            f = self.figures.get(fid)
            out.append(f"{f['quote']}({fid})" if f is not None else fid)
        return (", " if lang == "en" else ";").join(out)


def _counts(include_in_totals: Any) -> bool:
    """Whether a figure may be added into totals (unknown counts as yes)."""
    return True if _missing(include_in_totals) else bool(include_in_totals)


def _label(row: pd.Series, lang: str) -> str:
    key = "label_zh" if lang == "zh" else "label_en"
    value = row.get(key)
    return str(value) if not _missing(value) else str(row.get("label_zh", ""))


# ---------------------------------------------------------------- figure scaffolding


def _finish(fig: go.Figure, title: str, subtitle: str, *, height: int) -> go.Figure:
    fig.update_layout(
        template=TEMPLATE,
        title={
            "text": escape_hover(title),
            "subtitle": {"text": subtitle, "font": {"size": 12, "color": "#555555"}},
            "automargin": True,
            "yref": "container",
            "y": 0.99,
            "yanchor": "top",
        },
        height=height,
        hovermode="closest",
    )
    return fig


def _spacing(pixels: float, height: float, rows: int) -> float:
    """Vertical spacing between subplot rows as a fraction, from pixels."""
    if rows < 2:
        return 0.0
    plot = max(height - 200, 100)
    return min(pixels / plot, 0.9 / (rows - 1))


def _pattern(derived: Sequence[bool]) -> dict[str, Any]:
    """The mark of a derived number: a dark hatch over the bar's own colour."""
    return {
        "shape": [DERIVED_PATTERN if d else "" for d in derived],
        "fillmode": "overlay",
        "fgcolor": "#222222",
        "size": 8,
        "solidity": 0.25,
    }


def _empty(title: str, lang: str) -> go.Figure:
    """A titled figure that says there is nothing to chart (no data traces)."""
    fig = go.Figure()
    fig.add_annotation(
        text=escape_hover(_w(lang, "no_data")),
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 16, "color": "#555555"},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(meta={"empty": True})
    return _finish(fig, title, "", height=320)


def _segments(
    points: Sequence[tuple[Any, float, float, bool]], *, horizontal: bool
) -> tuple[list[Any], list[Any], list[str]]:
    """Bound whiskers as one line trace: (position, low, high, open_high) per figure.

    Each whisker runs from low to high; an open upper end gets an arrow head. Whiskers
    are separated by gaps (None) so one trace draws them all.
    """
    pos, val, sym = [], [], []
    closed, arrow = (
        ("line-ns-open", "triangle-right") if horizontal else ("line-ew-open", "triangle-up")
    )
    for p, lo, hi, open_hi in points:
        pos += [p, p, None]
        val += [lo, hi, None]
        sym += [closed, arrow if open_hi else closed, closed]
    return (val, pos, sym) if horizontal else (pos, val, sym)


def _add_bounds(
    fig: go.Figure,
    x: list[Any],
    y: list[Any],
    symbols: list[str],
    *,
    lang: str,
    show: bool,
    size: int,
    row: int,
    meta: dict[str, Any],
) -> None:
    """Add bound whiskers (from :func:`_segments`) as one black line-and-marker trace."""
    fig.add_scatter(
        x=x,
        y=y,
        mode="lines+markers",
        name=_w(lang, "bounds_trace"),
        legendgroup="bounds",
        showlegend=show,
        line={"color": "#222222", "width": 2},
        marker={"symbol": symbols, "size": size, "color": "#222222"},
        hoverinfo="skip",
        meta={"role": "bounds", **meta},
        row=row,
        col=1,
    )


def _category_axis(fig: go.Figure, ids: list[Any], ticks: list[str], *, row: int) -> None:
    """A y axis of one category per figure, top to bottom in the given order."""
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=ids,
        tickvals=ids,
        ticktext=ticks,
        autorange="reversed",
        showgrid=False,
        row=row,
        col=1,
    )


def _whisker(lo: Any, hi: Any, value: Any, open_stretch: float) -> tuple[float, float, bool] | None:
    """Low/high end of a whisker, or None when the bounds add nothing (exact, approx)."""
    lo_ok, hi_ok = not _missing(lo), not _missing(hi)
    if not lo_ok and not hi_ok:
        return None
    v = float(value)
    low = float(lo) if lo_ok else 0.0
    if hi_ok:
        high, open_hi = float(hi), False
    else:
        high, open_hi = max(v, low) * open_stretch, True
    if low == high:
        return None
    return low, high, open_hi


# ---------------------------------------------------------------- spending shares

_TEXT_COLUMN = 102.0  # x of the number labels, just right of the 100% bar


def _text_width(text: str) -> float:
    """Rough width of a label in pixels at 13px (CJK ≈ 13, other characters ≈ 7.5)."""
    return sum(13.0 if ord(ch) > 0x2E80 else 7.5 for ch in text)


def _axis_end(label_px: float, plot_px: float = 600.0) -> float:
    """The end of a 0–100% axis that leaves room for labels of ``label_px`` at 102%,
    for a plot area of about ``plot_px`` pixels."""
    room = min(label_px + 12, 0.6 * plot_px)
    return _TEXT_COLUMN / (1 - room / plot_px)


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
    _check_lang(lang)
    title = title if title is not None else _w(lang, "shares_title")
    drawn = df[df["share_basis"].isin(["reported", "derived"])] if not df.empty else df
    if drawn.empty:
        return _empty(title, lang)
    ctx = _Context(figures, articles)
    order = {"funds": 0, "projects": 1}
    drawn = drawn.assign(_o=drawn["category"].map(order).fillna(9)).sort_values(
        ["article_id", "_o", "whole_figure", "share_pct"],
        ascending=[True, True, True, False],
        kind="stable",
    )
    art_ids = list(dict.fromkeys(drawn["article_id"]))
    counts = [int((drawn["article_id"] == a).sum()) for a in art_ids]
    fig = make_subplots(
        rows=len(art_ids),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=min(0.12, 0.5 / max(1, len(art_ids))) if len(art_ids) > 1 else 0.0,
        row_heights=[c + 1.2 for c in counts],
        subplot_titles=[escape_hover(ctx.article(a)) for a in art_ids],
    )
    shown: set[str] = set()
    widest = 0.0
    for r, art in enumerate(art_ids, start=1):
        sub = drawn[drawn["article_id"] == art]
        ids = list(sub["figure_id"])
        ticks = []
        for _, row in sub.iterrows():
            whole = ""
            if not _missing(row["whole_figure"]):
                whole_label = row["whole_label_zh"] if lang == "zh" else row["whole_label_en"]
                whole = (
                    f"{_w(lang, 'of')} {whole_label} "
                    f"{format_value(row['whole_value'], row['unit'], lang)}"
                )
            ticks.append(
                f"[{escape_hover(_category_name(row['category'], lang))}] "
                f"{escape_hover(_label(row, lang))}<br>"
                f'<span style="font-size:11px;color:#555555">{escape_hover(whole)}</span>'
            )
        # the whole, as a grey 100% bar behind each part
        whole_hover = []
        for _, row in sub.iterrows():
            wf = ctx.figures.get(str(row["whole_figure"]))
            whole_label = row["whole_label_zh"] if lang == "zh" else row["whole_label_en"]
            rows = [(_w(lang, "value"), format_value(row["whole_value"], row["unit"], lang))]
            quote = wf["quote"] if wf is not None else None
            whole_hover.append(
                ctx.hover(f"{whole_label} = 100%", row["whole_figure"], quote, art, rows, lang)
            )
        fig.add_bar(
            x=[100.0] * len(sub),
            y=ids,
            orientation="h",
            name=_w(lang, "whole"),
            legendgroup="whole",
            showlegend="whole" not in shown,
            marker={"color": LIGHT, "line": {"color": GREY, "width": 1}},
            hovertext=whole_hover,
            hovertemplate="%{hovertext}<extra></extra>",
            customdata=[[float(v)] for v in sub["whole_value"]],
            meta={"role": "whole"},
            row=r,
            col=1,
        )
        shown.add("whole")
        for basis, colour in (("reported", OKABE_ITO["blue"]), ("derived", OKABE_ITO["sky_blue"])):
            part = sub[sub["share_basis"] == basis]
            if part.empty:
                continue
            texts, hovers = [], []
            for _, row in part.iterrows():
                share = format_value(row["share_pct"], "%", lang)
                if basis == "derived":
                    share = f"≈{share}{_p(_w(lang, 'derived'), lang)}"
                lines = [share]
                if row["amount_basis"] == "derived":
                    amount = format_value(row["amount"], row["unit"], lang)
                    lines.append(f"→ ≈{amount}{_p(_w(lang, 'derived'), lang)}")
                texts.append("<br>".join(escape_hover(line) for line in lines))
                widest = max(widest, *(_text_width(line) for line in lines))
                hovers.append(_shares_hover(row, lang, ctx))
            fig.add_bar(
                x=list(part["share_pct"]),
                y=list(part["figure_id"]),
                orientation="h",
                name=_w(lang, f"share_{basis}"),
                legendgroup=basis,
                showlegend=basis not in shown,
                marker={
                    "color": colour,
                    "line": {"color": OKABE_ITO["blue"], "width": 1},
                    "pattern": _pattern([basis == "derived"] * len(part)),
                },
                hovertext=hovers,
                hovertemplate="%{hovertext}<extra></extra>",
                customdata=[
                    [float(a), float(b)]
                    for a, b in zip(part["share_pct"], part["amount"], strict=True)
                ],
                meta={"role": f"share_{basis}"},
                row=r,
                col=1,
            )
            # the numbers, in a column right of the 100% bars
            fig.add_scatter(
                x=[_TEXT_COLUMN] * len(part),
                y=list(part["figure_id"]),
                mode="text",
                text=texts,
                textposition="middle right",
                textfont={"color": "#222222"},
                showlegend=False,
                cliponaxis=False,
                hovertext=hovers,
                hovertemplate="%{hovertext}<extra></extra>",
                meta={"role": f"labels_{basis}"},
                row=r,
                col=1,
            )
            shown.add(basis)
        points = []
        for _, row in sub.iterrows():
            # a share is at most 100%: an open upper bound runs to the whole
            lo, hi = row["share_lower_pct"], row["share_upper_pct"]
            w = _whisker(lo, 100.0 if _missing(hi) and not _missing(lo) else hi, 0.0, 1.0)
            if w is not None:
                points.append((row["figure_id"], w[0], min(w[1], 100.0), _missing(hi)))
        if points:
            x, y, sym = _segments(points, horizontal=True)
            _add_bounds(
                fig, x, y, sym, lang=lang, show="bounds" not in shown, size=10, row=r, meta={}
            )
            shown.add("bounds")
        _category_axis(fig, ids, ticks, row=r)
    fig.update_layout(barmode="overlay", bargap=0.35)
    fig.update_xaxes(
        range=[0, _axis_end(widest)], tickvals=[0, 20, 40, 60, 80, 100], ticksuffix="%"
    )
    fig.update_xaxes(title_text=escape_hover(_w(lang, "share")), row=len(art_ids), col=1)
    hidden = len(df) - len(drawn)
    if hidden:
        fig.add_annotation(
            text=escape_hover(_w(lang, "other_rows").format(n=hidden)),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-70,
            xanchor="left",
            yanchor="top",
            showarrow=False,
            font={"size": 11, "color": "#555555"},
        )
        fig.update_layout(margin={"b": 90})
    height = 210 + 62 * sum(counts) + 70 * len(art_ids)
    return _finish(fig, title, _w(lang, "shares_sub"), height=height)


def _shares_hover(row: pd.Series, lang: str, ctx: _Context) -> str:
    basis = _w(lang, f"basis_{row['share_basis']}")
    share = format_value(row["share_pct"], "%", lang)
    bounds_share = ""
    if not (_missing(row["share_lower_pct"]) and _missing(row["share_upper_pct"])):
        lo, hi = row["share_lower_pct"], row["share_upper_pct"]
        if _missing(lo) or _missing(hi) or lo != hi:
            bounds_share = bounds_label("over" if _missing(hi) else "near", lo, hi, "%", lang)
    amount = format_value(row["amount"], row["unit"], lang)
    amount_basis = _w(lang, f"basis_{row['amount_basis']}") if row["amount_basis"] != "none" else ""
    whole_label = row["whole_label_zh"] if lang == "zh" else row["whole_label_en"]
    rows: list[tuple[str, Any]] = [
        (_w(lang, "share_key"), f"{share}{_p(basis, lang)}"),
        (_w(lang, "bounds"), bounds_share),
        (_w(lang, "value"), f"{amount}{_p(amount_basis, lang)}" if amount_basis else ""),
        (
            _w(lang, "whole_key"),
            f"{whole_label} {format_value(row['whole_value'], row['unit'], lang)}",
        ),
        (_w(lang, "formula"), row["formula"]),
        (_w(lang, "period"), _period(row["period_start"], row["period_end"])),
        (_w(lang, "region"), row["region"]),
        (_w(lang, "donor"), row["donor"]),
    ]
    return ctx.hover(
        _label(row, lang), row["figure_id"], row["quote"], row["article_id"], rows, lang
    )


# ---------------------------------------------------------------- sales growth

_SCALES = {
    # unit → (divisor, axis unit zh, divisor, axis unit en)
    "元": (1e8, "亿元", 1e9, "billion yuan"),
    "吨": (1e4, "万吨", 1e3, "thousand t"),
    "元/吨": (1.0, "元/吨", 1.0, "yuan per t"),
}


def _scale(unit: Any, lang: str) -> tuple[float, str]:
    unit = "" if _missing(unit) else str(unit)
    if unit in _SCALES:
        zd, zu, ed, eu = _SCALES[unit]
        return (zd, zu) if lang == "zh" else (ed, eu)
    return 1.0, unit


_AXIS_NAMES = {
    "sales_value": ("销售额", "Sales value"),
    "sales_volume": ("销售量", "Sales volume"),
    "value_per_tonne": ("每吨销售额", "Value per tonne"),
}


def _series_label(row: pd.Series, lang: str) -> str:
    parts = [row.get("program"), row.get("donor")]
    text = " · ".join(str(p) for p in parts if not _missing(p))
    return text or str(row["article_id"])


def sales_growth_chart(
    df: pd.DataFrame,
    *,
    lang: str = "zh",
    title: str | None = None,
    figures: pd.DataFrame | None = None,
    articles: pd.DataFrame | None = None,
) -> go.Figure:
    """Sales value, volume and value per tonne by programme and year, in three panels.

    ``df`` is the ``sales_growth`` table. Columns are (programme · donor, year): each
    series keeps its own block so different actors do not read as one time series.
    Reported values are solid; derived ones (the previous year implied by a reported
    growth rate, value per tonne) are hatched. A dashed connector carries the growth
    rate; an arrow marks a value known only from below (超17亿元).
    """
    _check_lang(lang)
    title = title if title is not None else _w(lang, "sales_title")
    if df.empty:
        return _empty(title, lang)
    ctx = _Context(figures, articles)
    data = df.copy()
    data["_series"] = [_series_label(r, lang) for _, r in data.iterrows()]
    data["_year"] = data["period_end"].astype(str).str[:4]
    series_order = list(dict.fromkeys(data.sort_values(["article_id", "_year"])["_series"]))
    data["_s"] = data["_series"].map({s: i for i, s in enumerate(series_order)})
    data = data.sort_values(["_s", "_year"], kind="stable")
    cats = list(dict.fromkeys(zip(data["_series"], data["_year"], strict=True)))
    panels = [
        ("sales_value", ["previous_year_value", "sales_value", "online_sales_value"]),
        ("sales_volume", ["sales_volume"]),
        ("value_per_tonne", ["value_per_tonne"]),
    ]
    present = [(k, ms) for k, ms in panels if data["metric"].isin(ms).any()]
    if not present:
        return _empty(title, lang)
    units = {k: data.loc[data["metric"].isin(ms), "unit"].iloc[0] for k, ms in present}
    fig = make_subplots(
        rows=len(present),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.09,
        row_heights=[1.6 if k == "sales_value" else 1.0 for k, _ in present],
    )
    colours = {
        "sales_value": OKABE_ITO["blue"],
        "previous_year_value": OKABE_ITO["sky_blue"],
        "online_sales_value": OKABE_ITO["orange"],
        "sales_volume": OKABE_ITO["bluish_green"],
        "value_per_tonne": OKABE_ITO["reddish_purple"],
    }
    # an invisible trace fixes the order of the (series, year) columns
    fig.add_scatter(
        x=[[c[0] for c in cats], [c[1] for c in cats]],
        y=[None] * len(cats),
        mode="markers",
        showlegend=False,
        hoverinfo="skip",
        meta={"role": "axis"},
        row=1,
        col=1,
    )
    bound_points: dict[int, list[tuple[Any, float, float, bool]]] = {}
    for r, (key, metrics) in enumerate(present, start=1):
        div, unit_label = _scale(units[key], lang)
        for metric in metrics:
            rows = data[data["metric"] == metric]
            if rows.empty:
                continue
            derived = (rows["basis"] == "derived").tolist()
            texts, hovers = [], []
            for _, row in rows.iterrows():
                text = _sales_bar_text(row, lang)
                texts.append(escape_hover(text))
                hovers.append(_sales_hover(row, lang, ctx))
                w = _whisker(row["lower"], row["upper"], row["value"], 1.18)
                if w is not None:
                    lo, hi, open_hi = w
                    bound_points.setdefault(r, []).append(
                        ((row["_series"], row["_year"]), lo / div, hi / div, open_hi)
                    )
            online = metric == "online_sales_value"
            fig.add_bar(
                x=[list(rows["_series"]), list(rows["_year"])],
                y=[v / div for v in rows["value"]],
                name=_w(lang, metric),
                legendgroup=metric,
                marker={
                    "color": colours[metric],
                    "line": {"color": "#333333", "width": 1},
                    "pattern": _pattern(derived),
                },
                width=0.32 if online else 0.7,
                offset=0.0 if online else None,
                text=texts,
                textposition="inside" if not online else "outside",
                insidetextanchor="middle",
                textfont={"color": "#111111"},
                cliponaxis=False,
                hovertext=hovers,
                hovertemplate="%{hovertext}<extra></extra>",
                customdata=[[float(v)] for v in rows["value"]],
                meta={"role": metric, "derived": derived},
                row=r,
                col=1,
            )
        fig.update_yaxes(
            title_text=escape_hover(f"{_pick(_AXIS_NAMES[key], lang)}{_p(unit_label, lang)}"),
            rangemode="tozero",
            separatethousands=True,
            exponentformat="none",
            row=r,
            col=1,
        )
    # growth: a dashed connector from the previous year to the year it describes
    value_row = next((r for r, (k, _) in enumerate(present, start=1) if k == "sales_value"), None)
    if value_row is not None:
        div, _ = _scale(units["sales_value"], lang)
        _growth_connectors(fig, data, value_row, div, lang, ctx)
    for r, points in bound_points.items():
        x, y, sym = _segments(points, horizontal=False)
        xs = [[p[0] if p else None for p in x], [p[1] if p else None for p in x]]
        _add_bounds(
            fig, xs, y, sym, lang=lang, show=r == min(bound_points), size=11, row=r, meta={}
        )
    fig.update_layout(barmode="overlay", bargap=0.25, legend={"traceorder": "normal"})
    fig.update_xaxes(type="multicategory")
    height = 260 + 230 * len(present) + (100 if len(present) == 3 else 0)
    return _finish(fig, title, _w(lang, "sales_sub"), height=height)


def _sales_bar_text(row: pd.Series, lang: str) -> str:
    if row["basis"] == "reported" and not _missing(row["quote"]) and lang == "zh":
        return str(row["quote"])
    text = format_value(row["value"], row["unit"], lang)
    if row["qualifier"] == "over":
        text = "≥" + text
    elif row["qualifier"] == "near":
        text = "≤" + text
    if row["basis"] == "derived":
        approx = "≈" if row["qualifier"] == "exact" else ""
        return f"{approx}{text}{_p(_w(lang, 'derived'), lang)}"
    return text


def _sales_hover(row: pd.Series, lang: str, ctx: _Context) -> str:
    basis = _w(lang, f"basis_{row['basis']}")
    rows: list[tuple[str, Any]] = [
        (_w(lang, "value"), f"{format_value(row['value'], row['unit'], lang)}{_p(basis, lang)}"),
        (
            _w(lang, "bounds"),
            bounds_label(row["qualifier"], row["lower"], row["upper"], row["unit"], lang),
        ),
        (_w(lang, "formula"), row["formula"] if row["basis"] == "derived" else ""),
        (_w(lang, "from"), ctx.used(row["figure_ids"], lang) if row["basis"] == "derived" else ""),
        (_w(lang, "program"), row["program"]),
        (_w(lang, "period"), _period(row["period_start"], row["period_end"])),
        (_w(lang, "region"), row["region"]),
        (_w(lang, "donor"), row["donor"]),
    ]
    fid = row["figure_ids"] if row["basis"] == "reported" else None
    return ctx.hover(_label(row, lang), fid, row["quote"], row["article_id"], rows, lang)


def _growth_connectors(
    fig: go.Figure,
    data: pd.DataFrame,
    row_no: int,
    div: float,
    lang: str,
    ctx: _Context,
) -> None:
    """Dashed lines from the previous year's value to the year a growth rate describes."""
    values = data[data["metric"].isin(["sales_value", "previous_year_value"])]
    shown: set[str] = set()
    for metric in ("growth_rate", "growth_from_values"):
        for _, g in data[data["metric"] == metric].iterrows():
            same = values[
                (values["_series"] == g["_series"]) & (values["article_id"] == g["article_id"])
            ]
            cur = same[same["_year"] == g["_year"]]
            prev = same[same["_year"] == str(int(g["_year"]) - 1)]
            sign = "+" if g["value"] >= 0 else ""
            label = f"{_w(lang, 'yoy')} {sign}{format_value(g['value'], '%', lang)}"
            if metric == "growth_from_values":
                label += _p(_w(lang, "derived"), lang)
            cur_y = float(cur["value"].iloc[0]) / div if not cur.empty else 0.0
            if prev.empty:
                xs = [[g["_series"]], [g["_year"]]]
                ys = [cur_y]
                texts = [escape_hover(label)]
            else:
                xs = [[g["_series"], g["_series"]], [prev["_year"].iloc[0], g["_year"]]]
                ys = [float(prev["value"].iloc[0]) / div, cur_y]
                texts = ["", escape_hover(label)]
            hover = _sales_hover(g, lang, ctx)
            fig.add_scatter(
                x=xs,
                y=ys,
                mode="lines+markers+text",
                text=texts,
                textposition="top center",
                textfont={"size": 13, "color": OKABE_ITO["vermillion"]},
                name=_w(lang, metric),
                legendgroup=metric,
                showlegend=metric not in shown,
                line={"color": OKABE_ITO["vermillion"], "width": 2, "dash": "dash"},
                marker={"size": 8, "color": OKABE_ITO["vermillion"]},
                cliponaxis=False,
                hovertext=[hover] * len(ys),
                hovertemplate="%{hovertext}<extra></extra>",
                customdata=[[float(g["value"])]] * len(ys),
                meta={"role": metric},
                row=row_no,
                col=1,
            )
            shown.add(metric)


# ---------------------------------------------------------------- beneficiaries


def beneficiaries_chart(
    df: pd.DataFrame,
    *,
    lang: str = "zh",
    title: str | None = None,
    figures: pd.DataFrame | None = None,
    articles: pd.DataFrame | None = None,
    log: bool | None = None,
) -> go.Figure:
    """People and person-times by sector and programme, in separate panels and axes.

    ``df`` is the ``beneficiaries`` table. People and person-times never share an
    axis. Bars are coloured by sector; whiskers show the bounds 多/余/超/近 imply, with
    an arrow where only a lower bound is known. ``log`` (default: when the counts span
    more than two orders of magnitude) puts the counts on a log scale.
    """
    _check_lang(lang)
    title = title if title is not None else _w(lang, "benef_title")
    if df.empty:
        return _empty(title, lang)
    ctx = _Context(figures, articles)
    measures = [m for m in ("people", "person_times") if (df["measure"] == m).any()]
    measures += sorted(set(df["measure"]) - set(measures))
    counts = [int((df["measure"] == m).sum()) for m in measures]
    height = 230 + 30 * sum(counts) + 120 * len(measures)
    fig = make_subplots(
        rows=len(measures),
        cols=1,
        shared_xaxes=False,
        vertical_spacing=_spacing(130, height, len(measures)),
        row_heights=[c + 2.5 for c in counts],
        subplot_titles=[escape_hover(_w(lang, m) if m in _WORDS[lang] else m) for m in measures],
    )
    cats_order = {c: i for i, c in enumerate(_CATEGORIES)}
    all_cats = sorted(set(df["category"]), key=lambda c: (cats_order.get(c, 99), c))
    colour = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(all_cats)}
    shown: set[str] = set()
    for r, measure in enumerate(measures, start=1):
        sub = df[df["measure"] == measure].copy()
        sub["_c"] = sub["category"].map(cats_order).fillna(99)
        sub = sub.sort_values(
            ["_c", "category", "value"], ascending=[True, True, False], kind="stable"
        )
        ids = list(sub["figure_id"])
        ticks = []
        for _, row in sub.iterrows():
            prog = "" if _missing(row["program"]) else f" · {row['program']}"
            ticks.append(escape_hover(_label(row, lang) + prog))
        values = [float(v) for v in sub["value"]]
        highs = [
            float(h) if not _missing(h) else v * 1.4
            for h, v in zip(sub["upper"], values, strict=True)
        ]
        use_log = log if log is not None else (max(values) / max(min(values), 1.0) > 100)
        for cat in [c for c in all_cats if (sub["category"] == c).any()]:
            part = sub[sub["category"] == cat]
            fig.add_bar(
                x=list(part["value"]),
                y=list(part["figure_id"]),
                orientation="h",
                name=escape_hover(_category_name(cat, lang)),
                legendgroup=cat,
                legendgrouptitle_text=escape_hover(_w(lang, "category")) if not shown else None,
                showlegend=cat not in shown,
                marker={"color": colour[cat], "line": {"color": "#333333", "width": 0.5}},
                hovertext=[_benef_hover(row, lang, ctx) for _, row in part.iterrows()],
                hovertemplate="%{hovertext}<extra></extra>",
                customdata=[[float(v)] for v in part["value"]],
                meta={"role": "count", "measure": measure, "category": cat},
                row=r,
                col=1,
            )
            shown.add(cat)
        # the axis start: a "近" (at most) whisker with no lower bound starts there
        log_start = math.floor(math.log10(max(min(values), 1.0) / 2))
        start = 10.0**log_start if use_log else 0.0
        points, ends = [], []
        stretch = 1.35 if use_log else 1.15
        for _, row in sub.iterrows():
            lower = start if _missing(row["lower"]) and not _missing(row["upper"]) else row["lower"]
            w = _whisker(lower, row["upper"], row["value"], stretch)
            if w is not None:
                points.append((row["figure_id"], *w))
            ends.append(max(float(row["value"]), w[1] if w is not None else 0.0))
        # the counts as written, in text just right of each bar or whisker
        far = max(ends)
        fig.add_scatter(
            x=[e * 1.12 if use_log else e + 0.015 * far for e in ends],
            y=ids,
            mode="text",
            text=[escape_hover(_count_text(row, lang)) for _, row in sub.iterrows()],
            textposition="middle right",
            showlegend=False,
            cliponaxis=False,
            hovertext=[_benef_hover(row, lang, ctx) for _, row in sub.iterrows()],
            hovertemplate="%{hovertext}<extra></extra>",
            meta={"role": "labels", "measure": measure},
            row=r,
            col=1,
        )
        if points:
            x, y, sym = _segments(points, horizontal=True)
            _add_bounds(
                fig,
                x,
                y,
                sym,
                lang=lang,
                show="bounds" not in shown,
                size=9,
                row=r,
                meta={"measure": measure},
            )
            shown.add("bounds")
        axis_title = _measure_name(measure, lang)
        if use_log:
            axis_title += _p(_w(lang, "log"), lang)
            hi = math.log10(max(highs) * 12)
            fig.update_xaxes(
                type="log", range=[log_start, hi], dtick=1, tickformat=",", row=r, col=1
            )
        else:
            fig.update_xaxes(range=[0, max(highs) * 1.35], separatethousands=True, row=r, col=1)
        fig.update_xaxes(title_text=escape_hover(axis_title), row=r, col=1)
        _category_axis(fig, ids, ticks, row=r)
    fig.update_layout(barmode="overlay", bargap=0.3)
    return _finish(fig, title, _w(lang, "benef_sub"), height=height)


def _count_text(row: pd.Series, lang: str) -> str:
    if lang == "zh" and not _missing(row["quote"]):
        return str(row["quote"])
    text = format_value(row["value"], row["unit"], lang)
    return {"over": "≥", "near": "≤", "approx": "~"}.get(row["qualifier"], "") + text


def _benef_hover(row: pd.Series, lang: str, ctx: _Context) -> str:
    rows: list[tuple[str, Any]] = [
        (_w(lang, "value"), format_value(row["value"], row["unit"], lang)),
        (
            _w(lang, "bounds"),
            bounds_label(row["qualifier"], row["lower"], row["upper"], row["unit"], lang),
        ),
        (_w(lang, "measure"), _measure_name(row["measure"], lang)),
        (_w(lang, "category"), _category_name(row["category"], lang)),
        (_w(lang, "program"), row["program"]),
        (_w(lang, "period"), _period(row["period_start"], row["period_end"])),
        (_w(lang, "region"), row["region"]),
        (_w(lang, "donor"), row["donor"]),
        ("", "" if _counts(row["include_in_totals"]) else _w(lang, "not_in_totals")),
    ]
    return ctx.hover(
        _label(row, lang), row["figure_id"], row["quote"], row["article_id"], rows, lang
    )


# ---------------------------------------------------------------- figure explorer


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
    ▲ at least, ▼ at most, ◆ approximate); the quote is written beside its marker and
    the hover holds the sentence, bounds, period, region and raw offsets. One panel per
    article. ``article_id`` and ``category`` filter (both optional).
    """
    _check_lang(lang)
    sel = figures
    if article_id is not None:
        sel = sel[sel["article_id"] == article_id]
    if category is not None:
        sel = sel[sel["category"] == category]
    ctx = _Context(figures, articles)
    if title is None:
        title = _w(lang, "explorer_title")
        scope = [
            ctx.article(article_id) if article_id else "",
            _category_name(category, lang) if category else "",
        ]
        scope = [s for s in scope if s]
        if scope:
            title += ":" + " · ".join(scope) if lang == "zh" else ": " + " · ".join(scope)
    if sel.empty:
        return _empty(title, lang)
    sel = sel.sort_values(["article_id", "raw_start"], kind="stable")
    art_ids = list(dict.fromkeys(sel["article_id"]))
    counts = [int((sel["article_id"] == a).sum()) for a in art_ids]
    cat_rank = {c: i for i, c in enumerate(_CATEGORIES)}
    cats = sorted(set(sel["category"]), key=lambda c: (cat_rank.get(c, 99), c))
    cat_names = [_category_name(c, lang) for c in cats]
    height = 240 + 26 * sum(counts) + 110 * len(art_ids)
    fig = make_subplots(
        rows=len(art_ids),
        cols=1,
        vertical_spacing=_spacing(110, height, len(art_ids)),
        row_heights=[c + 2 for c in counts],
        subplot_titles=None if article_id else [escape_hover(ctx.article(a)) for a in art_ids],
    )
    # subplot titles sit above the category headers of their panel
    fig.update_annotations(yshift=30)
    shown: set[str] = set()
    for r, art in enumerate(art_ids, start=1):
        sub = sel[sel["article_id"] == art]
        # the wording, in colour and shape at once (readable without colour vision)
        for q, (symbol, zh, en) in _QUALIFIERS.items():
            part = sub[sub["qualifier"] == q]
            if part.empty:
                continue
            fig.add_scatter(
                x=[_category_name(c, lang) for c in part["category"]],
                y=list(part["figure_id"]),
                mode="markers+text",
                name=escape_hover(zh if lang == "zh" else en),
                legendgroup=q,
                legendgrouptitle_text=escape_hover(_w(lang, "wording")) if not shown else None,
                showlegend=q not in shown,
                marker={
                    "color": _QUALIFIER_COLOURS[q],
                    "size": 11,
                    "symbol": symbol,
                    "line": {"color": "#333333", "width": 0.5},
                },
                text=[escape_hover(t) for t in part["quote"]],
                textposition="middle right",
                textfont={"size": 12},
                cliponaxis=False,
                hovertext=[_figure_hover(f, lang, ctx) for _, f in part.iterrows()],
                hovertemplate="%{hovertext}<extra></extra>",
                customdata=[[float(v)] for v in part["value"]],
                meta={"role": "figures", "qualifier": q, "article_id": art},
                row=r,
                col=1,
            )
            shown.add(q)
        ids = list(sub["figure_id"])
        fig.update_yaxes(
            type="category",
            categoryorder="array",
            categoryarray=ids,
            tickvals=ids,
            ticktext=[escape_hover(_label(f, lang)) for _, f in sub.iterrows()],
            autorange="reversed",
            showgrid=True,
            tickfont={"size": 11},
            row=r,
            col=1,
        )
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=cat_names,
        range=[-0.5, len(cat_names) - 0.5 + 0.6],
        side="top",
        showgrid=True,
        showticklabels=True,
    )
    fig.update_layout(legend={"groupclick": "toggleitem", "tracegroupgap": 14})
    return _finish(fig, title, _w(lang, "explorer_sub"), height=height)


def _figure_hover(f: pd.Series, lang: str, ctx: _Context) -> str:
    rows: list[tuple[str, Any]] = [
        (_w(lang, "value"), format_value(f["value"], f["unit"], lang)),
        (_w(lang, "bounds"), bounds_label(f["qualifier"], f["lower"], f["upper"], f["unit"], lang)),
        (_w(lang, "measure"), _measure_name(f["measure"], lang)),
        (_w(lang, "category"), _category_name(f["category"], lang)),
        (_w(lang, "program"), f.get("program")),
        (_w(lang, "period"), _period(f["period_start"], f["period_end"])),
        (_w(lang, "region"), f["region"]),
        (_w(lang, "donor"), f["donor"]),
        ("", "" if _counts(f["include_in_totals"]) else _w(lang, "not_in_totals")),
    ]
    rows.append((_w(lang, "note"), f.get("note")))
    return ctx.hover(_label(f, lang), f["figure_id"], f["quote"], f["article_id"], rows, lang)


# ---------------------------------------------------------------- writing

HTML_CONFIG = {"displaylogo": False, "responsive": True}


def _write_html(fig: go.Figure, path: Path, div_id: str) -> Path:
    """A self-contained HTML file (plotly.js embedded) with nothing random in it."""
    text = fig.to_html(
        include_plotlyjs=True,
        full_html=True,
        div_id=div_id,
        config=HTML_CONFIG,
        validate=True,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def chart_set(frames: dict[str, pd.DataFrame], *, lang: str = "zh") -> dict[str, go.Figure]:
    """Every chart of a build by file stem: the three analyses and one explorer per article."""
    empty = pd.DataFrame()
    figures = frames.get("figures", empty)
    articles = frames.get("articles")
    ctx = {"figures": figures, "articles": articles, "lang": lang}
    charts = {
        "spending_shares": spending_shares_chart(frames["spending_shares"], **ctx),
        "sales_growth": sales_growth_chart(frames["sales_growth"], **ctx),
        "beneficiaries": beneficiaries_chart(frames["beneficiaries"], **ctx),
    }
    ids = (
        list(articles["article_id"])
        if articles is not None
        else list(dict.fromkeys(figures["article_id"]))
    )
    for art in ids:
        charts[f"figures_{art}"] = figure_explorer(
            figures, article_id=art, lang=lang, articles=articles
        )
    return charts


def write_charts(
    frames: dict[str, pd.DataFrame],
    folder: Path,
    *,
    langs: Sequence[str] = ("zh", "en"),
    png: bool = False,
) -> list[Path]:
    """Write every chart as self-contained HTML into ``folder``; return the paths.

    Files are ``<chart>.html`` (Chinese) and ``<chart>.en.html`` (English): the three
    analyses and ``figures_<article_id>``. Each has plotly.js embedded and a fixed
    ``div_id``, so the same tables give byte-identical files. With ``png=True`` a PNG
    is also written for each Chinese chart when kaleido is installed and finds a
    Chromium; otherwise the PNGs are skipped (the returned list shows what was written).
    """
    folder = Path(folder)
    written: list[Path] = []
    images: list[tuple[go.Figure, Path]] = []
    for lang in langs:
        suffix = "" if lang == "zh" else f".{lang}"
        for stem, fig in chart_set(frames, lang=lang).items():
            div_id = f"aidstats-{stem}{suffix.replace('.', '-')}".replace("_", "-")
            written.append(_write_html(fig, folder / f"{stem}{suffix}.html", div_id))
            if lang == "zh":
                images.append((fig, folder / f"{stem}.png"))
    if png and browser_path() is not None and importlib.util.find_spec("kaleido"):
        written += _write_pngs(images)
    return written


def browser_path() -> str | None:
    """The Chromium/Chrome kaleido would render PNGs with, or None."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env if Path(env).exists() else None
    names = ("chromium", "chromium-browser", "google-chrome", "chrome")
    return next((found for b in names if (found := shutil.which(b))), None)


def _write_pngs(images: list[tuple[go.Figure, Path]]) -> list[Path]:
    """PNG files through one kaleido browser session (about 0.2 s an image)."""
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)
    try:
        with warnings.catch_warnings():
            # plotly notes that per-call options are ignored by a running server
            warnings.simplefilter("ignore", UserWarning)
            for fig, path in images:
                fig.write_image(path, width=1100, height=fig.layout.height or 600, scale=1.5)
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
    return [path for _, path in images]
