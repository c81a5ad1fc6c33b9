"""Charts: structure of the figures (traces, values, hover, derived marks), on a small
hand-made figures table and on the real build; deterministic self-contained HTML."""

from __future__ import annotations

import doctest
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest

from aidstats import charts
from aidstats.analysis import beneficiaries, sales_growth, spending_shares
from aidstats.dictionary import columns
from aidstats.schemas import validate

NAN = math.nan
A, B = "aa-city-2023", "bb-prov-2022"


def _fig(
    fid: str,
    art: str,
    quote: str,
    indicator: str,
    labels: tuple[str, str],
    category: str,
    measure: str,
    value: float,
    unit: str,
    *,
    qualifier: str = "exact",
    lower: float | None = None,
    upper: float | None = None,
    period: tuple[str, str] = ("2020", "2022"),
    program: str | None = None,
    parent: str | None = None,
    start: int = 0,
    sentence: str | None = None,
    include: bool = True,
) -> dict[str, Any]:
    if qualifier == "exact":
        lower = value if lower is None else lower
        upper = value if upper is None else upper
    return {
        "figure_id": fid,
        "article_id": art,
        "indicator": indicator,
        "label_zh": labels[0],
        "label_en": labels[1],
        "category": category,
        "dac_code": 998,
        "measure": measure,
        "value": float(value),
        "lower": NAN if lower is None else float(lower),
        "upper": NAN if upper is None else float(upper),
        "unit": unit,
        "qualifier": qualifier,
        "period_start": period[0],
        "period_end": period[1],
        "region": "甲县" if art == A else "乙地区",
        "donor": "甲市" if art == A else "乙省",
        "program": program,
        "parent_figure": parent,
        "include_in_totals": include,
        "raw_start": start,
        "raw_end": start + len(quote),
        "quote": quote,
        "sentence": sentence or f"前文,共{quote},后文。",
        "kind": "percent" if unit == "%" else "amount",
        "period_type": "cumulative",
        "exclude_reason": None,
        "mention_id": f"{art}#{start}",
        "corrected": None,
        "note": None,
        "status": "curated",
        "confidence": 1.0,
        "subject_zh": None,
    }


ROWS = [
    _fig("a-projects", A, "80个", "projects", ("项目数", "Projects"), "projects", "items", 80, "个",
         start=10),
    _fig("a-funds", A, "4.5亿元", "funds", ("援助资金", "Aid funds"), "funds", "money", 4.5e8, "元",
         start=20),
    _fig("a-liv-projects", A, "61个", "liv_projects", ("民生项目数", "Livelihood projects"),
         "projects", "items", 61, "个", parent="a-projects", start=30),
    _fig("a-liv-share", A, "91.7%", "liv_share", ("民生资金占比", "Livelihood share"), "funds",
         "share", 91.7, "%", parent="a-funds", start=40),
    _fig("a-health", A, "6360万元", "health_funds", ("医疗投入", "Health funds"), "funds", "money",
         6360e4, "元", parent="a-funds", start=50),
    _fig("a-volume", A, "16万吨", "consumption_sales_volume", ("销售量", "Sales volume"), "sales",
         "weight", 16e4, "吨", period=("2022", "2022"), program="十城", start=60),
    _fig("a-value", A, "超17亿元", "consumption_sales_value", ("销售额", "Sales value"), "sales",
         "money", 17e8, "元", qualifier="over", lower=17e8, period=("2022", "2022"),
         program="十城", start=70),
    _fig("a-visits", A, "37680余人次", "visits", ("接诊人次", "Clinic visits"), "health",
         "person_times", 37680, "人次", qualifier="over", lower=37680, upper=37690, start=80,
         sentence='义诊<b>接诊37680余人次</b> & "更多"\n下一行'),
    _fig("a-patients", A, "1000余名", "patients", ("白内障患者", "Cataract patients"), "health",
         "people", 1000, "名", qualifier="over", lower=1000, upper=2000, start=90),
    _fig("a-teachers", A, "近800名", "teachers", ("教师", "Teachers"), "education", "people", 800,
         "名", qualifier="near", upper=800, start=100, include=False),
    _fig("b-volume", B, "66.17万吨", "consumption_sales_volume", ("销售量", "Sales volume"),
         "sales", "weight", 66.17e4, "吨", period=("2021", "2021"), program="十城2.0", start=10),
    _fig("b-value", B, "72.8亿元", "consumption_sales_value", ("销售额", "Sales value"), "sales",
         "money", 72.8e8, "元", period=("2021", "2021"), program="十城2.0", start=20),
    _fig("b-growth", B, "103%", "consumption_sales_growth", ("销售额增长", "Sales growth"),
         "sales", "growth", 103, "%", period=("2021", "2021"), program="十城2.0", start=30),
    _fig("b-online", B, "10.5亿元", "online_sales_value", ("线上销售额", "Online sales"), "sales",
         "money", 10.5e8, "元", period=("2021", "2021"), program="十城2.0", start=40),
    _fig("b-children", B, "209名", "children", ("救助儿童", "Children helped"), "health", "people",
         209, "名", period=("2021", "2022"), program="启明", start=50),
    _fig("b-village", B, "400万元", "village_funds", ("入股资金", "Village equity"), "funds",
         "money", 400e4, "元", period=("2021", "2021"), start=60),
]  # fmt: skip


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    figures = validate("figures", pd.DataFrame(ROWS, columns=columns("figures")))
    articles = pd.DataFrame({"article_id": [A, B], "title": ["甲市援疆<记>", "乙省援疆"]})
    return {
        "figures": figures,
        "articles": articles,
        "spending_shares": spending_shares(figures).drop(columns="status"),
        "sales_growth": sales_growth(figures).drop(columns="status"),
        "beneficiaries": beneficiaries(figures).drop(columns="status"),
    }


def traces(fig: go.Figure, role: str) -> list[Any]:
    return [t for t in fig.data if (t.meta or {}).get("role") == role]


def one_trace(fig: go.Figure, role: str) -> Any:
    found = traces(fig, role)
    assert len(found) == 1, f"expected one {role} trace, got {len(found)}"
    return found[0]


def ctx(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {"figures": frames["figures"], "articles": frames["articles"]}


# ---------------------------------------------------------------- shared pieces


def test_public_names_are_pinned() -> None:
    assert charts.__all__ == [
        "FONT_FAMILY",
        "OKABE_ITO",
        "PALETTE",
        "TEMPLATE",
        "beneficiaries_by_sector_chart",
        "beneficiaries_chart",
        "bounds_label",
        "browser_path",
        "chart_set",
        "conflicts_table",
        "corpus_sales_chart",
        "escape_hover",
        "figure_explorer",
        "format_value",
        "funds_projects_chart",
        "sales_growth_chart",
        "sources_chart",
        "spending_shares_chart",
        "write_charts",
    ]
    assert all(getattr(charts, name) is not None for name in charts.__all__)


def test_the_docstring_examples_hold() -> None:
    from aidstats.charts import labels

    result = doctest.testmod(labels)
    assert result.attempted >= 2 and result.failed == 0


def _core_figure(*, last: bool, open_high: bool = False) -> go.Figure:
    """Two panels through the figure core: a bar and a whisker each, a category axis."""
    from aidstats.charts.core import Panel, make_figure
    from aidstats.charts.hover import Context

    def draw(canvas: Any, panel: Any) -> None:
        ids = list(panel.rows["id"])
        canvas.add(
            go.Bar,
            legend="v",
            x=list(panel.rows["v"]),
            y=ids,
            orientation="h",
            name="v",
            hover=[f"h{i}" for i in ids],
            meta={"role": "v"},
        )
        canvas.whisker(ids[0], (0.5, 1.5, open_high))
        canvas.category_axis(ids, [i.upper() for i in ids])

    panels = [
        Panel("a", pd.DataFrame({"id": ["x", "y"], "v": [1.0, 2.0]}), title="A<1>", pixels=100),
        Panel("b", pd.DataFrame({"id": ["z"], "v": [3.0]}), title="B", pixels=50),
    ]
    return make_figure(
        panels,
        draw,
        ctx=Context(None, None, lang="en"),
        kind="explorer",
        title="T",
        gap=40,
        subplots={},
        layout={"barmode": "overlay"},
        whiskers={"last": last},
        note="n",
    )


def test_figure_core_panels_legend_whiskers_and_axes() -> None:
    fig = _core_figure(last=False)
    assert [t.meta["role"] for t in fig.data] == ["v", "bounds", "v", "bounds"]
    assert [t.showlegend for t in fig.data] == [True, True, False, False]  # each entry once
    # the series in the first legend row, the key to the bounds on a row of its own
    assert [t.legend for t in fig.data] == ["legend", "legend2", "legend", "legend2"]
    assert [t.yaxis for t in fig.data] == ["y", "y", "y2", "y2"]
    bar, bounds = fig.data[0], fig.data[1]
    assert list(bar.hovertext) == ["hx", "hy"]
    assert bar.hovertemplate == "%{hovertext}<extra></extra>"
    assert list(bounds.x) == [0.5, 1.5, None] and list(bounds.y) == ["x", "x", None]
    assert list(bounds.marker.symbol) == ["line-ns-open"] * 3  # closed at both ends
    assert fig.layout.yaxis.categoryarray == ("x", "y")
    assert fig.layout.yaxis.ticktext == ("X", "Y") and fig.layout.yaxis.autorange == "reversed"
    assert [a.text for a in fig.layout.annotations] == ["A&lt;1&gt;", "B"]
    assert fig.layout.title.text == "T"
    subtitle = fig.layout.title.subtitle.text
    assert subtitle.startswith("One row per figure") and subtitle.endswith("<br>n")  # the note
    # panels as tall as asked, 40 px apart: the figure holds them and its top and bottom
    assert fig.layout.yaxis.domain[1] - fig.layout.yaxis.domain[0] == pytest.approx(100 / 190)
    assert fig.layout.height == fig.layout.margin.t + 190 + 40 + 60
    assert fig.layout.barmode == "overlay"
    # the legend runs horizontally under the title, the key to the bounds under it
    assert fig.layout.legend.orientation == "h" and fig.layout.legend2.orientation == "h"
    assert fig.layout.title.y > fig.layout.legend.y > fig.layout.legend2.y
    assert fig.layout.legend.x < 0  # left of the plot: Plotly wraps it at half the width


def test_figure_core_whiskers_last_and_open_ends() -> None:
    fig = _core_figure(last=True, open_high=True)
    assert [t.meta["role"] for t in fig.data] == ["v", "v", "bounds", "bounds"]
    assert list(fig.data[2].marker.symbol) == ["line-ns-open", "triangle-right", "line-ns-open"]


def test_figure_core_with_no_panels_is_empty() -> None:
    from aidstats.charts.core import make_figure
    from aidstats.charts.hover import Context

    ctx = Context(None, None, lang="zh")
    fig = make_figure([], print, ctx=ctx, kind="sales", title=None, gap=1, subplots={}, layout={})
    assert len(fig.data) == 0 and fig.layout.meta == {"empty": True}
    assert fig.layout.title.text == "消费帮扶销售额:按项目与年份"
    assert fig.layout.annotations[0].text == "没有可画的数据" and fig.layout.height < 400


def test_template_palette_and_font() -> None:
    layout = charts.TEMPLATE.layout
    assert "Noto Sans CJK SC" in layout.font.family and "sans-serif" in layout.font.family
    assert list(layout.colorway) == charts.PALETTE
    assert charts.PALETTE[:3] == ["#0072B2", "#E69F00", "#009E73"]  # Okabe-Ito


def test_escape_hover() -> None:
    assert charts.escape_hover('a<b>&"c"\nd\r\ne') == 'a&lt;b&gt;&amp;"c"<br>d<br>e'
    assert charts.escape_hover(None) == "" and charts.escape_hover(NAN) == ""
    assert charts.escape_hover(12) == "12"


def test_format_and_bounds_labels() -> None:
    assert charts.format_value(1.7e9, "元") == "17亿元"
    assert charts.format_value(1.7e9, "元", "en") == "1.7 billion yuan"
    assert charts.bounds_label("over", 1.7e9, NAN, "元") == "≥ 17亿元,上界未知"
    assert charts.bounds_label("over", 37680, 37690, "人次", "en") == (
        "≥ 37,680 person-times, < 37,690 person-times"
    )
    assert charts.bounds_label("near", NAN, 800, "名") == "≤ 800名"
    assert charts.bounds_label("exact", 1, 1, "个", "en") == "exact"


def test_bad_lang_is_refused(frames: dict[str, pd.DataFrame]) -> None:
    with pytest.raises(ValueError, match="lang"):
        charts.beneficiaries_chart(frames["beneficiaries"], lang="fr")


@pytest.mark.parametrize("name", ["sales_growth", "spending_shares", "beneficiaries"])
def test_an_unknown_keyword_is_refused(frames: dict[str, pd.DataFrame], name: str) -> None:
    chart = getattr(charts, f"{name}_chart")
    with pytest.raises(TypeError, match="titel"):
        chart(frames[name], titel="typo")


def test_inputs_are_not_modified(frames: dict[str, pd.DataFrame]) -> None:
    before = {k: v.copy() for k, v in frames.items()}
    charts.chart_set(frames)
    for name, df in frames.items():
        pd.testing.assert_frame_equal(df, before[name])


# ---------------------------------------------------------------- spending shares


def test_spending_shares_structure(frames: dict[str, pd.DataFrame]) -> None:
    table = frames["spending_shares"]
    fig = charts.spending_shares_chart(table, **ctx(frames))
    assert isinstance(fig, go.Figure)
    reported, derived = one_trace(fig, "share_reported"), one_trace(fig, "share_derived")
    # values equal the table, by figure id
    by_id = table.set_index("figure_id")
    for trace, basis in ((reported, "reported"), (derived, "derived")):
        for fid, x in zip(trace.y, trace.x, strict=True):
            assert by_id.loc[fid, "share_basis"] == basis
            assert x == pytest.approx(by_id.loc[fid, "share_pct"])
    assert set(derived.y) == {"a-liv-projects", "a-health"}
    assert set(reported.y) == {"a-liv-share"}
    # derived marks: a hatch on the bars, "推算" in the labels and the legend
    assert set(derived.marker.pattern.shape) == {"/"}
    assert set(reported.marker.pattern.shape) == {""}
    assert "推算" in derived.name
    labels = one_trace(fig, "labels_derived")
    assert all("推算" in t for t in labels.text)
    # 91.7% of 4.5亿 → a derived amount, shown and marked
    (text,) = one_trace(fig, "labels_reported").text
    assert "91.7%" in text and "4.127亿元" in text and "推算" in text
    # the grey whole: one 100% bar per part, carrying the total's value
    whole = one_trace(fig, "whole")
    assert list(whole.x) == [100.0] * 3
    assert [c[0] for c in whole.customdata] == [4.5e8, 4.5e8, 80.0]
    # hover: quote, formula, period, region, article title (escaped), sentence in bold
    hover = dict(zip(derived.y, derived.hovertext, strict=True))["a-health"]
    for part in ("6360万元", "6360万元 ÷ 4.5亿元", "2020–2022", "甲县", "甲市援疆&lt;记&gt;"):
        assert part in hover
    assert "<b>6360万元</b>" in hover
    # rows with no total are counted in a note (in the subtitle), not drawn
    assert "另有3项指标没有可对照的总数" in fig.layout.title.subtitle.text.replace("<br>", "")


def test_spending_shares_bounds_are_drawn() -> None:
    shares = pd.DataFrame(
        [
            {
                "article_id": A,
                "figure_id": "x",
                "label_zh": "部分",
                "label_en": "Part",
                "category": "funds",
                "share_basis": "derived",
                "share_pct": 40.0,
                "share_lower_pct": 40.0,
                "share_upper_pct": NAN,
                "amount": 4e8,
                "amount_basis": "reported",
                "whole_figure": "w",
                "whole_label_zh": "总",
                "whole_label_en": "Total",
                "whole_value": 1e9,
                "unit": "元",
                "formula": "超4亿元 ÷ 10亿元",
                "period_start": "2022",
                "period_end": "2022",
                "region": "r",
                "donor": "d",
                "quote": "超4亿元",
            }
        ]
    )
    bounds = one_trace(charts.spending_shares_chart(shares), "bounds")
    assert list(bounds.x[:2]) == [40.0, 100.0]  # at least 40%, open up to the whole
    assert bounds.marker.symbol[1] == "triangle-right"


# ---------------------------------------------------------------- sales growth


def test_sales_growth_structure(frames: dict[str, pd.DataFrame]) -> None:
    table = frames["sales_growth"]
    fig = charts.sales_growth_chart(table, **ctx(frames))
    value = one_trace(fig, "sales_value")
    # y is in 亿元; customdata keeps the value in 元, equal to the table and the figures
    assert [c[0] for c in value.customdata] == [17e8, 72.8e8]
    assert list(value.y) == pytest.approx([17.0, 72.8])
    assert list(value.x[1]) == ["2022", "2021"]
    # the previous year implied by the growth rate: derived, hatched, in its own year
    prev = one_trace(fig, "previous_year_value")
    assert list(prev.x[1]) == ["2020"]
    assert prev.customdata[0][0] == pytest.approx(72.8e8 / 2.03)
    assert list(prev.marker.pattern.shape) == ["/"]
    assert "推算" in prev.text[0] and "推算" in prev.name
    assert "÷ (1 + 103%)" in prev.hovertext[0] and "72.8亿元(b-value)" in prev.hovertext[0]
    # the reported growth, annotated on a connector from 2020 to 2021
    growth = one_trace(fig, "growth_rate")
    assert list(growth.x[1]) == ["2020", "2021"] and "+103%" in growth.text[1]
    # value per tonne: derived, and only a lower bound for 超17亿元 ÷ 16万吨
    per_tonne = one_trace(fig, "value_per_tonne")
    assert [c[0] for c in per_tonne.customdata] == pytest.approx([17e8 / 16e4, 72.8e8 / 66.17e4])
    assert set(per_tonne.marker.pattern.shape) == {"/"}
    assert per_tonne.text[0].startswith("≥")
    bounds = traces(fig, "bounds")
    assert bounds and any("triangle-up" in b.marker.symbol for b in bounds)
    # reported rows carry their quote and sentence
    assert "超17亿元" in value.hovertext[0] and "<b>超17亿元</b>" in value.hovertext[0]
    # actors are kept in separate column blocks (programme · donor)
    assert list(value.x[0]) == ["十城<br>甲市", "十城2.0<br>乙省"]


def test_sales_growth_axes_in_english(frames: dict[str, pd.DataFrame]) -> None:
    fig = charts.sales_growth_chart(frames["sales_growth"], lang="en")
    titles = [fig.layout[a].title.text for a in ("yaxis", "yaxis2", "yaxis3")]
    assert titles == [
        "Sales value (billion yuan)",
        "Sales volume (thousand t)",
        "Value per tonne (yuan per t)",
    ]
    assert one_trace(fig, "previous_year_value").name == "Previous-year sales (implied)"
    assert list(one_trace(fig, "sales_value").y) == pytest.approx([1.7, 7.28])


# ---------------------------------------------------------------- beneficiaries


def test_beneficiaries_never_share_an_axis(frames: dict[str, pd.DataFrame]) -> None:
    table = frames["beneficiaries"]
    fig = charts.beneficiaries_chart(table, **ctx(frames))
    counts = traces(fig, "count")
    axis_of: dict[str, set[str]] = {}
    for t in counts:
        axis_of.setdefault(t.meta["measure"], set()).add(t.xaxis)
    assert set(axis_of) == {"people", "person_times"}
    assert axis_of["people"].isdisjoint(axis_of["person_times"])
    # values equal the figures table, by figure id
    figures = frames["figures"].set_index("figure_id")
    seen = {}
    for t in counts:
        for fid, x, c in zip(t.y, t.x, t.customdata, strict=True):
            assert x == c[0] == figures.loc[fid, "value"]
            assert figures.loc[fid, "measure"] == t.meta["measure"]
            seen[fid] = t
    assert set(seen) == set(table["figure_id"])
    # bounds for 余 and 近 figures: whiskers from lower to upper
    whiskers = {}
    for b in traces(fig, "bounds"):
        xs, ys = list(b.x), list(b.y)
        for i in range(0, len(xs), 3):
            whiskers[ys[i]] = (xs[i], xs[i + 1])
    assert whiskers["a-visits"] == (37680, 37690)
    assert whiskers["a-patients"] == (1000, 2000)
    assert whiskers["a-teachers"] == (0.0, 800)
    assert "b-children" not in whiskers  # exact: nothing to draw
    # the legend says what a whisker means, with the 余 convention
    (key,) = [t for t in traces(fig, "bounds") if t.showlegend is not False]
    assert "1000余 → 1000至2000以下" in key.name and key.legend == "legend2"
    # hover: quote, bounds, escaped sentence with the quote in bold, not-in-totals note
    hover = dict(zip(seen["a-visits"].y, seen["a-visits"].hovertext, strict=True))["a-visits"]
    assert "37680余人次" in hover and "≥ 3.768万人次" in hover
    assert "&lt;b&gt;" in hover and "<b>37680余人次</b>" in hover and "<br>" in hover
    assert "&amp;" in hover and "&lt;b&gt;接诊" in hover
    teachers = dict(zip(seen["a-teachers"].y, seen["a-teachers"].hovertext, strict=True))
    assert "不计入合计" in teachers["a-teachers"]
    # the counts as written, in a column at the end of the axis
    labels = next(t for t in traces(fig, "labels") if t.meta["measure"] == "people")
    assert "1000余名" in labels.text
    axis = fig.layout[labels.xaxis.replace("x", "xaxis")]
    assert set(labels.x) == {axis.range[1]}


def test_beneficiaries_one_panel_per_article_with_its_period(
    frames: dict[str, pd.DataFrame],
) -> None:
    """Counts of different articles (years, places) are never ranked on one axis."""
    fig = charts.beneficiaries_chart(frames["beneficiaries"], **ctx(frames))
    article_of = {
        f: a
        for f, a in zip(
            frames["figures"]["figure_id"], frames["figures"]["article_id"], strict=True
        )
    }
    per_axis: dict[str, set[str]] = {}
    for t in traces(fig, "count"):
        per_axis.setdefault(t.yaxis, set()).update(article_of[f] for f in t.y)
    assert sorted(len(arts) for arts in per_axis.values()) == [1, 1, 1]  # people A, B; visits A
    titles = [a.text for a in fig.layout.annotations]
    assert any("甲市援疆&lt;记&gt;" in t and "2020–2022" in t for t in titles)
    assert any("乙省援疆" in t and "2021–2022" in t for t in titles)
    # dots, not bars: a bar's length on a log axis depends on where the axis starts
    assert {t.type for t in traces(fig, "count")} == {"scatter"}
    assert all(t.mode == "markers" for t in traces(fig, "count"))


def test_beneficiaries_log_scale_when_counts_span_orders(frames: dict[str, pd.DataFrame]) -> None:
    fig = charts.beneficiaries_chart(frames["beneficiaries"])
    assert fig.layout.xaxis.type is None  # 209 … 2000: linear
    assert "人数" in fig.layout.xaxis.title.text
    wide = frames["beneficiaries"].copy()
    wide.loc[wide["figure_id"] == "b-children", ["value", "lower", "upper"]] = 2e5
    wide.loc[wide["figure_id"] == "a-patients", ["value", "lower", "upper"]] = [35, 35, 35]
    fig = charts.beneficiaries_chart(wide, lang="en")
    assert fig.layout.xaxis.type == "log" and "log scale" in fig.layout.xaxis.title.text
    # the axis starts at the decade below the smallest count (35 → 10), not at 1
    assert fig.layout.xaxis.range[0] == 1 and fig.layout.xaxis.range[1] == 6
    assert list(fig.layout.xaxis.ticktext) == ["10", "100", "1k", "10k", "100k", "1M"]
    # both panels of one measure share the range
    assert fig.layout.xaxis2.range == fig.layout.xaxis.range
    # on a log axis an "at most" whisker starts at the axis start, not at 0
    (bounds,) = [b for b in traces(fig, "bounds") if b.meta["measure"] == "people"]
    i = list(bounds.y).index("a-teachers")
    assert bounds.x[i] == 10.0 ** fig.layout.xaxis.range[0] > 0 and bounds.x[i + 1] == 800


# ---------------------------------------------------------------- explorer


def test_figure_explorer_shows_every_figure_once(frames: dict[str, pd.DataFrame]) -> None:
    figures = frames["figures"]
    fig = charts.figure_explorer(figures, article_id=A, articles=frames["articles"])
    shown = [fid for t in traces(fig, "figures") for fid in t.y]
    expected = figures.loc[figures["article_id"] == A, "figure_id"]
    assert sorted(shown) == sorted(expected)
    # text beside each point: the quote as written; marker shape and colour: the wording
    by_id = figures.set_index("figure_id")
    symbols = {"exact": "circle", "over": "triangle-up", "near": "triangle-down"}
    for t in traces(fig, "figures"):
        assert set(t.marker.symbol) == {symbols[t.meta["qualifier"]]}  # all curated
        for fid, text, c in zip(t.y, t.text, t.customdata, strict=True):
            assert text == charts.escape_hover(by_id.loc[fid, "quote"])
            assert c[0] == by_id.loc[fid, "value"]
            assert by_id.loc[fid, "qualifier"] == t.meta["qualifier"]
    assert len({t.marker.color for t in traces(fig, "figures")}) == 3
    # reading order top to bottom
    assert list(fig.layout.yaxis.categoryarray) == list(expected)
    assert list(fig.layout.yaxis.tickvals) == list(expected)
    assert fig.layout.yaxis.autorange == "reversed"
    assert "甲市援疆&lt;记&gt;" in fig.layout.title.text


def test_figure_explorer_by_category_across_articles(frames: dict[str, pd.DataFrame]) -> None:
    fig = charts.figure_explorer(frames["figures"], category="sales", lang="en")
    arts = {t.meta["article_id"] for t in traces(fig, "figures")}
    assert arts == {A, B}
    assert all(set(t.x) == {"Sales"} for t in traces(fig, "figures"))
    assert "Sales" in fig.layout.title.text


# ---------------------------------------------------------------- empty and English


@pytest.mark.parametrize(
    ("chart", "table"),
    [
        (charts.spending_shares_chart, "spending_shares"),
        (charts.sales_growth_chart, "sales_growth"),
        (charts.beneficiaries_chart, "beneficiaries"),
        (charts.figure_explorer, "figures"),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_empty_tables_give_an_empty_chart(
    frames: dict[str, pd.DataFrame], chart: Any, table: str, lang: str
) -> None:
    fig = chart(frames[table].iloc[0:0], lang=lang)
    assert len(fig.data) == 0 and fig.layout.meta == {"empty": True}
    assert fig.layout.annotations[0].text in {"没有可画的数据", "Nothing to chart"}
    fig.to_html(include_plotlyjs=False)  # still a valid figure


def test_article_with_no_sales_figures(frames: dict[str, pd.DataFrame]) -> None:
    figures = frames["figures"]
    only_b = figures[~figures["category"].eq("sales") | figures["article_id"].eq(B)]
    sales = sales_growth(only_b[only_b["article_id"] == A])
    assert sales.empty
    assert charts.sales_growth_chart(sales).layout.meta == {"empty": True}


def test_english_labels_come_from_label_en(frames: dict[str, pd.DataFrame]) -> None:
    fig = charts.beneficiaries_chart(frames["beneficiaries"], lang="en", title="People")
    assert fig.layout.title.text == "People"
    ticks = [t for a in ("yaxis", "yaxis2", "yaxis3") for t in fig.layout[a].ticktext]
    assert "Clinic visits" in ticks and "Cataract patients" in ticks
    assert not any("接诊" in t for t in ticks)


# ---------------------------------------------------------------- writing HTML


def test_write_charts_is_deterministic_and_shares_one_plotlyjs(
    frames: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    first = charts.write_charts(frames, tmp_path / "one", langs=("zh",))
    second = charts.write_charts(frames, tmp_path / "two", langs=("zh",))
    names = [p.name for p in first]
    assert names == [
        "spending_shares.html",
        "sales_growth.html",
        "beneficiaries.html",
        f"figures_{A}.html",
        f"figures_{B}.html",
        "plotly.min.js",
    ]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs between two runs"
    pages = [p for p in first if p.suffix == ".html"]
    text = pages[0].read_text(encoding="utf-8")
    assert 'id="aidstats-spending-shares"' in text
    assert "91.7%" in text
    # one copy of plotly.js beside the pages, loaded by a relative src: offline still works
    js = (tmp_path / "one" / "plotly.min.js").read_text(encoding="utf-8")
    assert js.lstrip().startswith("/**") and "plotly.js" in js[:200] and len(js) > 3_000_000
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert re.findall(r"<script[^>]*\ssrc=\"([^\"]*)\"", html) == ["plotly.min.js"]
        assert js[:2000] not in html and len(html) < 300_000, f"{page.name} embeds plotly.js"


def test_chart_files_grow_with_data_not_with_files(
    frames: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    """Twice the charts (zh + en) cost far less than a second copy of plotly.js."""
    one = charts.write_charts(frames, tmp_path / "zh", langs=("zh",))
    two = charts.write_charts(frames, tmp_path / "both", langs=("zh", "en"))
    size_one = sum(p.stat().st_size for p in one)
    size_two = sum(p.stat().st_size for p in two)
    js = (tmp_path / "zh" / "plotly.min.js").stat().st_size
    assert len(two) == 2 * len(one) - 1  # the pages doubled, plotly.js did not
    assert size_two - size_one < 0.2 * js


def test_write_charts_english_files(frames: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    paths = charts.write_charts(frames, tmp_path, langs=("en",))
    assert [p.name for p in paths][:3] == [
        "spending_shares.en.html",
        "sales_growth.en.html",
        "beneficiaries.en.html",
    ]
    assert 'id="aidstats-beneficiaries-en"' in paths[2].read_text(encoding="utf-8")


# ---------------------------------------------------------------- the real build


@pytest.fixture(scope="module")
def real() -> dict[str, pd.DataFrame]:
    from aidstats.build import compute_tables
    from aidstats.paths import ProjectPaths
    from support import ROOT

    return compute_tables(ProjectPaths(ROOT)).frames


def test_real_charts_match_the_tables(real: dict[str, pd.DataFrame]) -> None:
    figures = real["figures"].set_index("figure_id")
    built = charts.chart_set(real)
    assert set(built) >= {"spending_shares", "sales_growth", "beneficiaries"}
    assert {f"figures_{a}" for a in real["articles"]["article_id"]} <= set(built)
    # beneficiaries: every row drawn once, at the figures table's value
    seen = {}
    for t in traces(built["beneficiaries"], "count"):
        for fid, x in zip(t.y, t.x, strict=True):
            assert x == figures.loc[fid, "value"]
            seen[fid] = t.meta["measure"]
    assert set(seen) == set(real["beneficiaries"]["figure_id"])
    # spending shares: every share with a total drawn, reported vs derived as in the table
    shares = real["spending_shares"].set_index("figure_id")
    for basis in ("reported", "derived"):
        for t in traces(built["spending_shares"], f"share_{basis}"):
            for fid, x in zip(t.y, t.x, strict=True):
                assert shares.loc[fid, "share_basis"] == basis
                assert x == pytest.approx(shares.loc[fid, "share_pct"])
    # sales: every reported value's hover carries its quote
    sales = real["sales_growth"]
    for t in traces(built["sales_growth"], "sales_value"):
        for c, hover in zip(t.customdata, t.hovertext, strict=True):
            quotes = sales.loc[
                (sales["metric"] == "sales_value") & (sales["value"] == c[0]), "quote"
            ]
            assert any(charts.escape_hover(q) in hover for q in quotes)
    # explorer: every figure of every article, once
    for art, group in real["figures"].groupby("article_id"):
        shown = [fid for t in traces(built[f"figures_{art}"], "figures") for fid in t.y]
        assert sorted(shown) == sorted(group["figure_id"])


# ---------------------------------------------------------------- automatic figures


@pytest.fixture(scope="module")
def mixed(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The same figures, three of them labelled automatically (not by a person), and the
    analysis tables computed from them with their own status column dropped, so that the
    charts must look each row's status up in the figures."""
    figures = frames["figures"].copy()
    auto = figures["figure_id"].isin(["a-health", "a-patients", "b-value"])
    figures.loc[auto, "status"] = "auto"
    figures.loc[auto, "confidence"] = 0.61
    return {
        **frames,
        "figures": figures,
        "spending_shares": spending_shares(figures).drop(columns="status"),
        "sales_growth": sales_growth(figures).drop(columns="status"),
        "beneficiaries": beneficiaries(figures).drop(columns="status"),
    }


def test_auto_figures_are_lighter_and_dotted_in_the_shares(
    mixed: dict[str, pd.DataFrame],
) -> None:
    fig = charts.spending_shares_chart(mixed["spending_shares"], **ctx(mixed))
    derived = one_trace(fig, "share_derived")
    look = {
        fid: (op, shape)
        for fid, op, shape in zip(
            derived.y, derived.marker.opacity, derived.marker.pattern.shape, strict=True
        )
    }
    assert look["a-health"] == (0.45, "x")  # automatic and derived: light, crossed
    assert look["a-liv-projects"] == (1.0, "/")  # curated and derived: the usual hatch
    hover = dict(zip(derived.y, derived.hovertext, strict=True))
    assert "自动识别,未经人工核对" in hover["a-health"] and "置信度 0.61" in hover["a-health"]
    assert "自动识别" not in hover["a-liv-projects"]
    (key,) = traces(fig, "auto_key")
    assert key.name == "自动识别(未经人工核对)" and key.showlegend is not False
    assert list(key.marker.pattern.shape) == ["."]
    # no automatic figure, no key
    assert not traces(charts.spending_shares_chart(mixed["spending_shares"]), "auto_key")


def test_auto_figures_are_hollow_in_beneficiaries_and_explorer(
    mixed: dict[str, pd.DataFrame],
) -> None:
    fig = charts.beneficiaries_chart(mixed["beneficiaries"], lang="en", **ctx(mixed))
    symbol = {
        fid: sym
        for t in traces(fig, "count")
        for fid, sym in zip(t.y, t.marker.symbol, strict=True)
    }
    assert symbol["a-patients"] == "circle-open" and symbol["a-teachers"] == "circle"
    # the sector's legend swatch stays solid whichever point comes first
    legend = [t for t in traces(fig, "legend") if t.showlegend is not False]
    assert legend and all(t.marker.symbol is None for t in legend)
    assert [t.name for t in traces(fig, "auto_key")] == ["Automatic (not reviewed)"]
    explorer = charts.figure_explorer(mixed["figures"], article_id=A)
    shapes = {
        fid: sym
        for t in traces(explorer, "figures")
        for fid, sym in zip(t.y, t.marker.symbol, strict=True)
    }
    assert shapes["a-health"] == "circle-open" and shapes["a-patients"] == "triangle-up-open"
    assert shapes["a-funds"] == "circle"


def test_auto_figures_in_sales_follow_the_figures_they_come_from(
    mixed: dict[str, pd.DataFrame],
) -> None:
    fig = charts.sales_growth_chart(mixed["sales_growth"], **ctx(mixed))
    value = one_trace(fig, "sales_value")
    by_year = dict(zip(value.x[1], value.marker.pattern.shape, strict=True))
    assert by_year == {"2022": "", "2021": "."}  # b-value (72.8亿元) is automatic
    # the previous year is derived from b-value: derived and automatic
    assert list(one_trace(fig, "previous_year_value").marker.pattern.shape) == ["x"]


def test_status_from_the_table_itself_wins(mixed: dict[str, pd.DataFrame]) -> None:
    from aidstats.charts.status import figure_status

    shares = mixed["spending_shares"].assign(status="curated")
    assert set(figure_status(shares, mixed["figures"])) == {"curated"}
    sales = mixed["sales_growth"]
    status = dict(zip(sales["figure_ids"], figure_status(sales, mixed["figures"]), strict=True))
    assert status["b-value"] == "auto" and status["b-value;b-growth"] == "auto"
    assert status["a-value"] == "curated"
    assert figure_status(sales).isna().all()  # no figures, no status: unknown


def test_shares_above_100_percent_are_not_drawn(frames: dict[str, pd.DataFrame]) -> None:
    shares = frames["spending_shares"].copy()
    bad = shares["figure_id"] == "a-health"
    shares.loc[bad, "share_pct"] = 3.987e7  # a part that cannot belong to this total
    fig = charts.spending_shares_chart(shares, lang="en")
    drawn = [
        fid for t in fig.data if (t.meta or {}).get("role", "").startswith("share_") for fid in t.y
    ]
    assert "a-health" not in drawn and "a-liv-projects" in drawn
    assert "1 more share(s) above 100%" in fig.layout.title.subtitle.text.replace("<br>", " ")
    assert fig.layout.xaxis.range == (0, 100)


# ---------------------------------------------------------------- fitting a narrow cell


def test_wrap_keeps_words_and_punctuation() -> None:
    from aidstats.charts.fit import px, wrap, wrap_lines

    # at 13 px a Latin character is ~7.5 px: 150 px hold 20 of them
    lines = wrap_lines("Hatched = derived from reported numbers; whiskers = bounds", 150)
    assert lines == ["Hatched = derived", "from reported", "numbers; whiskers =", "bounds"]
    zh = wrap_lines("斜线 = 由报道数字推算;线段 = 多/余/超/近隐含的上下界;各部分可能互相包含", 130)
    assert all(px(line) <= 130 for line in zh) and "".join(zh).replace(" ", "") == (
        "斜线=由报道数字推算;线段=多/余/超/近隐含的上下界;各部分可能互相包含"
    )
    assert not any(line.startswith((";", ",", "。", ")")) for line in zh)
    assert wrap("a <b> c", 20) == "a<br>&lt;b&gt;<br>c"


def test_legend_rows_fit_half_the_narrowest_chart() -> None:
    from aidstats.charts.fit import LEGEND_WIDTH, entry_width, legend_rows

    entries = [("a", "字" * 6), ("b", "字" * 6), ("auto", "自动"), ("c", "字" * 20)]
    assert entry_width("字" * 6) == pytest.approx(50 + 1.08 * 72)  # 12 px a character
    rows = legend_rows(entries, keys=["auto"])
    # two short series share a row; the long one has its own; the key comes last
    assert rows == [["a", "b"], ["c"], ["auto"]]
    assert sum(entry_width(dict(entries)[g]) for g in rows[0]) <= LEGEND_WIDTH


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_is_laid_out_for_a_narrow_cell(
    real: dict[str, pd.DataFrame], lang: str
) -> None:
    from aidstats.charts.fit import MIN_WIDTH, px

    for name, fig in charts.chart_set(real, lang=lang).items():
        layout = fig.layout
        assert layout.width is None, f"{name} has a fixed width"
        assert layout.legend.orientation == "h", f"{name}: the legend takes the plot's width"
        for text, font in ((layout.title.text, 18), (layout.title.subtitle.text, 12)):
            for line in re.split(r"<br>", text or ""):
                plain = re.sub(r"<[^>]+>|&[a-z]+;", "x", line)
                assert px(plain, font) <= MIN_WIDTH - 40, f"{name}: {plain!r} is too wide"


def test_a_count_with_no_single_value_is_shown_by_its_bounds() -> None:
    """三四十人 has bounds but no value: the chart writes 30–40, never a question mark."""
    from aidstats.charts.beneficiaries import _count_text

    row = {"quote": None, "value": math.nan, "lower": 30.0, "upper": 40.0, "unit": "人"}
    row["qualifier"] = "approx"
    assert _count_text(pd.Series(row), "en") == "30–40 people"
    assert _count_text(pd.Series(row), "zh") == "30–40人"
    assert _count_text(pd.Series({**row, "upper": math.nan}), "en") == "≥30 people"


def test_a_row_with_no_label_is_named_by_its_quote() -> None:
    from aidstats.charts.labels import row_label

    row = pd.Series({"label_zh": "", "label_en": "", "quote": "三四十人"})
    assert row_label(row, "en") == row_label(row, "zh") == "三四十人"
    assert row_label(pd.Series({"label_zh": "援疆资金", "label_en": ""}), "en") == "援疆资金"
