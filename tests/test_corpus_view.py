"""The corpus view (issue 14): the panel's charts and its workbook sheet, on a small
hand-made figures table whose facts are worked out by hand below (never read back
from the code under test)."""

from __future__ import annotations

import math
import re

import openpyxl
import pandas as pd
import pytest

from aidstats import charts
from aidstats.dictionary import columns
from aidstats.excel import HEADER_ROW
from aidstats.excel.sheets import panel as panel_module
from aidstats.excel.sheets.panel import panel_sheet
from aidstats.facts import facts, panel
from aidstats.schemas import validate
from excel_support import columns as sheet_columns
from support import figure_row

NAN = math.nan


_fig = figure_row  # an exact, curated 2022 figure of Shanghai's aid funds to Kashgar


_PROJECTS = {
    "indicator": "projects_total",
    "label_zh": "援疆项目",
    "label_en": "aid projects",
    "category": "projects",
    "measure": "items",
    "unit": "个",
}
_SALES = {
    "indicator": "consumption_sales_value",
    "label_zh": "消费帮扶销售额",
    "label_en": "consumption-aid sales",
    "category": "sales",
    "donor": "浙江省",
    "region": "阿克苏地区",
    "period_start": "2021",
    "period_end": "2021",
}


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    rows = [
        # one fact told twice: [4.45亿, 4.55亿] ∩ [4.525亿, 4.535亿] = [4.525亿, 4.535亿]
        _fig("a-1", "4.5亿元", 4.5e8),
        _fig("b-1", "4.53亿元", 4.53e8, status="auto", confidence=0.8),
        # two sources that disagree: [79.5, 80.5] and [94.5, 95.5] do not meet
        _fig("a-2", "80个", 80.0, **_PROJECTS),
        _fig("c-1", "95个", 95.0, **_PROJECTS, status="auto", confidence=0.7),
        # automatic only, another donor and year
        _fig("d-1", "12个", 12.0, **_PROJECTS, donor="江苏省", period_start="2023",
             period_end="2023", status="auto", confidence=0.6),
        # at least 17亿元 (超): lower only
        _fig("e-1", "超17亿元", 1.7e9, **_SALES, qualifier="over", upper=NAN, status="auto",
             confidence=0.9),
        # 1000余名 (people, health) and 800人次 (person-times, education)
        _fig("f-1", "1000余名", 1000.0, indicator="patients", label_zh="患者", label_en="patients",
             category="health", measure="people", unit="名", qualifier="over", upper=2000.0),
        _fig("f-2", "800人次", 800.0, indicator="trainees", label_zh="培训", label_en="trainees",
             category="education", measure="person_times", unit="人次"),
        # a share is a fact but no panel value
        _fig("f-3", "91.7%", 91.7, indicator="share", measure="share", unit="%"),
    ]  # fmt: skip
    return validate("figures", pd.DataFrame(rows, columns=columns("figures")))


@pytest.fixture(scope="module")
def corpus(figures: pd.DataFrame) -> pd.DataFrame:
    return validate("panel", panel(facts(figures)))


# --------------------------------------------------------------------------- the panel


def test_the_panel_is_declared_once_and_holds_the_hand_worked_facts(corpus: pd.DataFrame) -> None:
    assert list(corpus.columns) == columns("panel")
    assert len(corpus) == 6  # 9 figures → 7 facts, the share is no panel value
    funds = corpus[corpus["indicator"] == "aid_funds_total"].iloc[0]
    assert funds["n_sources"] == 2 and funds["n_articles"] == 2 and not funds["conflict"]
    # by hand: 4.5亿 allows 4.45–4.55亿, 4.53亿 allows 4.525–4.535亿; only 4.53亿 lies in both
    assert funds["value"] == pytest.approx(4.53e8)
    assert funds["lower"] == pytest.approx(4.525e8) and funds["upper"] == pytest.approx(4.535e8)
    assert funds["status"] == "curated" and funds["year"] == "2022"
    clash = corpus[corpus["conflict"]]
    assert list(clash["figure_ids"]) == ["a-2;c-1"]
    assert clash["value"].iloc[0] == 87.5 and math.isnan(clash["lower"].iloc[0])


# --------------------------------------------------------------------------- charts


def _traces(fig: object, role: str) -> list[object]:
    return [t for t in fig.data if (t.meta or {}).get("role") == role]  # type: ignore[attr-defined]


def test_funds_and_projects_by_donor_and_year(corpus: pd.DataFrame, figures: pd.DataFrame) -> None:
    fig = charts.funds_projects_chart(corpus, figures=figures)
    dots = _traces(fig, "facts")
    by_panel = {(t.meta["indicator"], t.meta["group"]): t for t in dots}
    assert set(by_panel) == {
        ("aid_funds_total", "上海市"),
        ("projects_total", "上海市"),
        ("projects_total", "江苏省"),
    }
    funds = by_panel[("aid_funds_total", "上海市")]
    assert list(funds.y) == pytest.approx([4.53])  # 亿元: the value both sources allow
    assert list(funds.x) == [2022]  # one donor in the panel: no offset
    assert list(funds.marker.symbol) == ["circle"]  # curated, annual
    jiangsu = by_panel[("projects_total", "江苏省")]
    assert list(jiangsu.marker.symbol) == ["circle-open"]  # automatic
    assert jiangsu.marker.opacity[0] < 1
    (rings,) = _traces(fig, "conflicts")
    assert list(rings.y) == [87.5]
    assert "80个(a-2)" in rings.hovertext[0] and "95个(c-1)" in rings.hovertext[0]
    # the funds' 0.2% wide range draws no whisker (the legend says why); 12个 allows
    # [11.5, 12.5], 8% of it: drawn, beside 上海市's dot in that year (dodged by 0.06)
    (bounds,) = _traces(fig, "bounds")
    assert list(bounds.y)[:2] == pytest.approx([11.5, 12.5])
    assert list(bounds.x)[:2] == pytest.approx([2023.06, 2023.06])
    assert "5%" in bounds.name
    assert "援疆资金" in fig.layout.annotations[0].text and "亿元" in fig.layout.annotations[0].text


def test_a_large_panel_is_bounded_and_says_so(corpus: pd.DataFrame) -> None:
    fig = charts.funds_projects_chart(corpus, limit=1, lang="en")
    drawn = sum(len(t.x) for t in _traces(fig, "facts"))
    assert drawn == 2  # one a panel
    assert "1 more fact(s) not drawn" in fig.layout.title.subtitle.text


def test_sales_over_time_draws_an_arrow_for_at_least(corpus: pd.DataFrame) -> None:
    fig = charts.corpus_sales_chart(corpus, lang="en")
    assert fig.layout.title.text.startswith("Consumption-aid sales")
    (dots,) = _traces(fig, "facts")
    assert list(dots.y) == pytest.approx([1.7])  # billion yuan
    (bounds,) = _traces(fig, "bounds")
    assert list(bounds.y)[:2] == pytest.approx([1.7, 1.7 * 1.15])  # open upper end
    assert bounds.marker.symbol[1] == "triangle-up"


def test_beneficiaries_by_sector_keep_people_and_person_times_apart(
    corpus: pd.DataFrame,
) -> None:
    fig = charts.beneficiaries_by_sector_chart(corpus)
    dots = _traces(fig, "facts")
    assert [(t.meta["group"], list(t.x)) for t in dots] == [
        ("health", [1000.0]),
        ("education", [800.0]),
    ]
    assert fig.layout.yaxis.ticktext == ("医疗卫生 (1)",)
    assert fig.layout.yaxis2.ticktext == ("教育 (1)",)
    assert fig.layout.xaxis.type == "log" and fig.layout.xaxis2.type == "log"
    (bounds,) = _traces(fig, "bounds")  # 1000余: from 1000 to under 2000
    assert list(bounds.x)[:2] == [1000.0, 2000.0]


def test_sources_per_fact_counted_by_hand(figures: pd.DataFrame) -> None:
    fig = charts.sources_chart(facts(figures))
    bars = {
        (t.meta["conflict"], t.meta["auto"]): (list(t.x), list(t.y))
        for t in _traces(fig, "sources")
    }
    # one source: d-1, e-1 automatic; f-1, f-2, f-3 curated; two sources: the funds
    # (curated, agree), the projects (curated, conflict)
    assert bars == {
        (False, False): (["1", "2"], [3, 1]),
        (False, True): (["1", "2"], [2, 0]),
        (True, False): (["1", "2"], [0, 1]),
    }


def test_conflicts_table_lists_every_source(figures: pd.DataFrame) -> None:
    fig = charts.conflicts_table(facts(figures), figures=figures)
    (table,) = fig.data
    cells = table.cells.values
    assert list(cells[0]) == ["援疆项目"] and list(cells[4]) == ["2 / 2"]
    assert list(cells[5]) == ["80个(a-2)<br>95个(c-1)"]
    empty = charts.conflicts_table(facts(figures.iloc[:2]))
    assert empty.layout.meta["empty"] and "没有" in empty.layout.title.subtitle.text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_corpus_charts_are_laid_out_for_a_narrow_cell(
    corpus: pd.DataFrame, figures: pd.DataFrame, lang: str
) -> None:
    from aidstats.charts.fit import MIN_WIDTH, px

    table = facts(figures)
    for fig in (
        charts.funds_projects_chart(corpus, lang=lang),
        charts.corpus_sales_chart(corpus, lang=lang),
        charts.beneficiaries_by_sector_chart(corpus, lang=lang),
        charts.sources_chart(table, lang=lang),
        charts.conflicts_table(table, lang=lang),
    ):
        layout = fig.layout
        assert layout.width is None
        for text, font in ((layout.title.text, 18), (layout.title.subtitle.text, 12)):
            for line in re.split(r"<br>", text or ""):
                plain = re.sub(r"<[^>]+>|&[a-z]+;", "x", line)
                assert px(plain, font) <= MIN_WIDTH - 40, plain


def test_empty_panel_gives_empty_charts(corpus: pd.DataFrame) -> None:
    none = corpus.iloc[0:0]
    for fig in (
        charts.funds_projects_chart(none),
        charts.beneficiaries_by_sector_chart(none),
        charts.sources_chart(none),
    ):
        assert fig.layout.meta["empty"]


# --------------------------------------------------------------------------- the sheet


def _sheet_rows(ws: object) -> list[dict[str, object]]:
    col = sheet_columns(ws)
    rows = []
    for r in range(HEADER_ROW + 1, ws.max_row + 1):  # type: ignore[attr-defined]
        rows.append({name: ws.cell(r, c).value for name, c in col.items()})  # type: ignore[attr-defined]
    return rows


def test_panel_sheet_matches_the_hand_computation(figures: pd.DataFrame) -> None:
    wb = openpyxl.Workbook()
    ws = panel_sheet(wb, {"figures": figures}).ws
    heads = [str(c.value) for c in ws[HEADER_ROW] if c.value is not None]
    assert "年份(统计期末年)\nyear" in heads and "存在矛盾\nconflict" in heads  # declared zh
    rows = _sheet_rows(ws)
    got = [
        (r["indicator"], r["donor"], r["year"], r["value"], r["lower"], r["upper"],
         r["n_sources"], r["conflict"], r["status"], r["figure_ids"])
        for r in rows
    ]  # fmt: skip
    assert got == [
        # the conflict first
        ("projects_total", "上海市", "2022", 87.5, None, None, 2, True, "curated", "a-2;c-1"),
        # then the panel by indicator, donor, region, year
        ("aid_funds_total", "上海市", "2022", pytest.approx(4.53e8), pytest.approx(4.525e8),
         pytest.approx(4.535e8), 2, False, "curated", "a-1;b-1"),
        ("consumption_sales_value", "浙江省", "2021", 1.7e9, 1.7e9, None, 1, False, "auto",
         "e-1"),
        ("patients", "上海市", "2022", 1000.0, 1000.0, 2000.0, 1, False, "curated", "f-1"),
        ("projects_total", "江苏省", "2023", 12.0, pytest.approx(11.5), pytest.approx(12.5), 1,
         False, "auto", "d-1"),
        ("trainees", "上海市", "2022", 800.0, pytest.approx(799.5), pytest.approx(800.5), 1,
         False, "curated", "f-2"),
    ]  # fmt: skip
    assert "95个" in rows[0]["note"] and "80个" in rows[0]["note"]
    col = sheet_columns(ws)
    assert ws.cell(HEADER_ROW + 2, col["value"]).number_format == "#,##0"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$4:$4"
    assert ws.cell(1, 1).value.startswith("语料面板 Panel")  # the title is in sight
    assert not ws.column_dimensions["A"].hidden


def test_panel_sheet_is_bounded_at_scale(
    figures: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(panel_module, "CONFLICT_ROWS", 1)
    monkeypatch.setattr(panel_module, "PANEL_ROWS", 2)
    ws = panel_sheet(openpyxl.Workbook(), {"figures": figures}).ws
    rows = _sheet_rows(ws)
    # the conflict, then the two curated facts told by most articles: the funds (2
    # articles), then the first other curated one in panel order (patients)
    assert [r["figure_ids"] for r in rows] == ["a-2;c-1", "a-1;b-1", "f-1"]
    assert "3 / 6" in ws.cell(2, 1).value


def test_workbook_has_the_panel_sheet_and_its_dictionary(
    figures: pd.DataFrame, tmp_path: object
) -> None:
    from pathlib import Path

    from aidstats.excel import SHEETS, write_workbook
    from excel_support import frames_from, handmade_articles

    frames = frames_from(figures, handmade_articles(), curated=[])
    book = write_workbook(frames, Path(str(tmp_path)) / "book.xlsx", generated="2024-05-01")
    wb = openpyxl.load_workbook(book)
    assert tuple(wb.sheetnames) == SHEETS and "Panel" in SHEETS
    about = wb["About"]
    panel_rows = [
        (row[1].value, row[2].value)
        for row in about.iter_rows(min_row=HEADER_ROW + 1)
        if row[0].value == "panel"
    ]
    assert ("Panel", "year") in panel_rows and ("Panel", "conflict") in panel_rows
    assert len(panel_rows) == len(columns("panel"))
