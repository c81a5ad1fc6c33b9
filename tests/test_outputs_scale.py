"""Outputs of a large corpus: bounded workbook sheets and charts, formulas that still resolve.

A corpus of thousands of articles is imitated by copies of the hand-made figures (each copy
an article of its own, its figures automatic and its values scaled up a little, so that
the later copies hold the largest values); the limits of :mod:`aidstats.excel.scale` are
lowered for the workbook tests so that they stay quick, and one test keeps the real
Figures limit with 20,000 figures. Expected selections are worked out here from how the
copies were made, not from the code under test.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest

from aidstats.charts import beneficiaries_chart, sales_growth_chart, spending_shares_chart
from aidstats.charts.core import MAX_ARTICLES
from aidstats.excel import scale, write_workbook
from aidstats.schemas import validate
from excel_support import (
    columns,
    convert,
    frames_from,
    handmade_articles,
    handmade_figures,
    soffice,
)

COPIES = 40
LIMITS = {"TABLE_SHEET_MAX_ROWS": 30, "SUMMARY_SECTION_MAX": 4, "CHART_MAX_ENTRIES": 6}
ORIGINALS = {"jx-shaya-2023", "zj-aksu-2022"}  # the curated articles of the hand-made figures


def _suffix(value: Any, tag: str) -> Any:
    return value if pd.isna(value) else f"{value}{tag}"


def copies(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The hand-made figures and articles plus ``n`` copies: copy ``c`` has ids ending in
    ``-c<c>``, automatic figures, and values × (1 + c/100)."""
    figs, arts = handmade_figures(), handmade_articles()
    fig_parts, art_parts = [figs], [arts]
    for c in range(1, n + 1):
        tag, grow = f"-c{c}", 1 + c / 100
        f = figs.copy()
        for col in ("figure_id", "article_id", "parent_figure"):
            f[col] = [_suffix(v, tag) for v in f[col]]
        f["mention_id"] = [m.replace("#", f"{tag}#") for m in f["mention_id"]]
        money = f["unit"] == "元"  # only amounts grow: counts and shares keep their sense
        for col in ("value", "lower", "upper"):
            f.loc[money, col] = f.loc[money, col] * grow
        f["status"], f["confidence"] = "auto", 0.5
        fig_parts.append(f)
        a = arts.copy()
        a["article_id"] = [f"{v}{tag}" for v in a["article_id"]]
        art_parts.append(a)
    figures = validate("figures", pd.concat(fig_parts, ignore_index=True))
    return figures, pd.concat(art_parts, ignore_index=True)


@pytest.fixture(scope="module")
def big_frames() -> dict[str, pd.DataFrame]:
    return frames_from(*copies(COPIES))


@pytest.fixture(scope="module")
def big_book(big_frames: dict[str, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        for name, value in LIMITS.items():
            mp.setattr(scale, name, value)
        mp.setattr(scale, "FIGURES_SHEET_MAX_ROWS", 100)
        return write_workbook(big_frames, tmp_path_factory.mktemp("big") / "big.xlsx")


@pytest.fixture(scope="module")
def big_wb(big_book: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(big_book)


def records(ws: Any) -> list[dict[str, Any]]:
    """The records of a table sheet by English column name."""
    cols = columns(ws)
    out = []
    for row in ws.iter_rows(min_row=5, values_only=True):
        if row[0] is None:
            continue
        out.append({name: row[i - 1] for name, i in cols.items()})
    return out


def test_table_sheets_are_bounded_and_keep_curated_rows_first(
    big_frames: dict[str, pd.DataFrame], big_wb: openpyxl.Workbook
) -> None:
    limit = LIMITS["TABLE_SHEET_MAX_ROWS"]
    for sheet, table in (
        ("Spending", "spending_shares"),
        ("Sales", "sales_growth"),
        ("Beneficiaries", "beneficiaries"),
        ("Checks", "consistency_checks"),
    ):
        full = big_frames[table]
        assert len(full) > limit  # the copies make every table too long to show whole
        rows = records(big_wb[sheet])
        assert 0 < len(rows) <= limit, sheet
        curated = full[full["status"] == "curated"]
        key = "check_id" if sheet == "Checks" else "figure_id" if sheet != "Sales" else None
        if key:  # every curated row is shown
            assert set(curated[key]) <= {r[key] for r in rows}, sheet
    sources = {r["article_id"] for r in records(big_wb["Sources"])}
    assert len(big_frames["articles"]) > limit >= len(sources) and sources >= ORIGINALS
    # beneficiaries: after the curated counts come the largest, the last copies' (c = 40,
    # 39, …): the value of every shown automatic count is at least that of any left out
    ben = big_frames["beneficiaries"].set_index("figure_id")
    shown = {r["figure_id"] for r in records(big_wb["Beneficiaries"])}
    auto = ben[ben["status"] == "auto"]
    kept, left = auto[auto.index.isin(shown)], auto[~auto.index.isin(shown)]
    assert len(kept) and len(left)
    assert kept["value"].min() >= left["value"].max()


def test_every_lookup_finds_its_figure(big_wb: openpyxl.Workbook) -> None:
    """Every figure another sheet looks up is in the (trimmed) Figures sheet, so that no
    formula gives #N/A."""
    ids = {r["figure_id"] for r in records(big_wb["Figures"])}
    assert len(ids) < COPIES * 19  # trimmed
    wanted: set[str] = set()
    for r in records(big_wb["Spending"]):
        wanted |= {r["figure_id"], *([r["whole_figure"]] if r["whole_figure"] else [])}
    for r in records(big_wb["Beneficiaries"]):
        wanted.add(r["figure_id"])
    sales = records(big_wb["Sales"])
    reported = {r["figure_ids"] for r in sales if r["basis"] == "reported"}
    wanted |= reported
    for r in records(big_wb["Checks"]):
        wanted |= {v for k, v in r.items() if k.startswith("operand_") and v}
        wanted |= {r["expected_ref"]} if r["expected_ref"] else set()
    assert wanted <= ids
    # a derived sales row is computed from reported rows that are on the sheet (its
    # operands written one "name = figure" a line)
    derived = [r for r in sales if r["basis"] == "derived"]
    assert derived
    for r in derived:
        named = {line.split(" = ")[1] for line in r["operand_refs"].split("\n")}
        assert named <= reported, r["operand_refs"]


def test_summary_and_about_say_what_is_left_out(
    big_frames: dict[str, pd.DataFrame], big_wb: openpyxl.Workbook
) -> None:
    summary = big_wb["概览"]
    keys = {summary.cell(r, 1).value: r for r in range(1, 12)}
    selection = summary.cell(keys["节选 Selection"], 2).value
    n_spending = len(big_frames["spending_shares"])
    assert f"lists {LIMITS['TABLE_SHEET_MAX_ROWS']} of {n_spending} rows" in selection
    sections: dict[str, int] = {}
    for row in summary.iter_rows(min_row=keys["节选 Selection"] + 3, values_only=True):
        if row[0] and row[1]:  # a headline (a section's shaded first row has no status)
            sections[row[0]] = sections.get(row[0], 0) + 1
    # at most SUMMARY_SECTION_MAX records a section (a spending record gives up to two
    # headlines: a derived share and a derived amount); checks: 2 counts + flagged ones
    assert sections["资金 Spending"] <= 2 * LIMITS["SUMMARY_SECTION_MAX"]
    assert sections["核对 Checks"] <= 2 + LIMITS["SUMMARY_SECTION_MAX"]
    about = big_wb["About"].cell(2, 1).value
    assert "every row is in spending_shares.csv" in about
    assert "every figure is in figures.csv" in about


def test_native_charts_are_bounded(big_wb: openpyxl.Workbook) -> None:
    ws = big_wb["Charts"]
    titles = [c.value for c in ws["A"] if c.value and "top" in str(c.value)]
    most = LIMITS["CHART_MAX_ENTRIES"]
    assert len(titles) >= 3  # shares, sales, a beneficiaries measure
    assert all(f"top {most} of" in t for t in titles)
    for chart in ws._charts:
        for series in chart.series:
            ref = series.val.numRef.f  # e.g. 'Charts'!$B$5:$B$11
            first, last = (int(x.split("$")[-1]) for x in ref.split(":"))
            assert last - first + 1 <= most


def test_trimmed_workbook_recalculates_without_errors(big_book: Path, tmp_path: Path) -> None:
    """LibreOffice recalculates every formula of the trimmed workbook: no #N/A, #REF!."""
    soffice()
    convert([big_book], "xlsx", tmp_path / "out", tmp_path / "profile")
    recalc = openpyxl.load_workbook(tmp_path / "out" / big_book.name, data_only=True)
    errors = [
        (ws.title, c.coordinate, c.value)
        for ws in recalc
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith(("#N/A", "#REF", "#VALUE", "Err:"))
    ]
    assert errors == []
    derived = [r for r in records(recalc["Spending"]) if r["share_basis"] == "derived"]
    assert derived and all(isinstance(r["share_pct"], float) for r in derived)


def test_twenty_thousand_figures_at_the_real_limits(tmp_path: Path) -> None:
    """20,000 figures nobody looks up: the Figures sheet keeps the curated and used ones
    (the hand-made 19), About says so, and the other sheets are whole."""
    figs, arts = handmade_figures(), handmade_articles()
    frames = frames_from(figs, arts)
    extra = figs.iloc[[8] * 20_000].reset_index(drop=True)  # an automatic count, repeated
    extra["figure_id"] = [f"noise-{i}" for i in range(len(extra))]
    frames["figures"] = pd.concat([figs, extra], ignore_index=True)
    wb = openpyxl.load_workbook(write_workbook(frames, tmp_path / "noise.xlsx"))
    ids = {r["figure_id"] for r in records(wb["Figures"])}
    assert ids == set(figs["figure_id"])
    assert "lists 19 of 20019 figures" in wb["About"].cell(2, 1).value
    assert len(records(wb["Spending"])) == len(frames["spending_shares"])


# --------------------------------------------------------------------------- charts


def panel_articles(fig: go.Figure) -> list[str]:
    """The article ids of a chart's panels, from the subplot titles ("title(id)")."""
    titles = [a.text.replace("<br>", "") for a in fig.layout.annotations]
    return [t.rsplit("(", 1)[-1].rstrip(")") for t in titles if t.endswith(")")]


def test_spending_chart_draws_the_top_articles_and_says_so(
    big_frames: dict[str, pd.DataFrame],
) -> None:
    opts = {"figures": big_frames["figures"], "articles": big_frames["articles"]}
    fig = spending_shares_chart(big_frames["spending_shares"], lang="en", **opts)
    drawn = set(panel_articles(fig))
    # only jx-shaya-2023 and its copies have shares; the curated original first, then
    # the copies with the largest totals of funds: c = 40, 39, …
    expected = {"jx-shaya-2023"} | {f"jx-shaya-2023-c{c}" for c in range(40, 40 - 11, -1)}
    assert len(drawn) == MAX_ARTICLES == 12
    assert drawn == expected
    assert (
        f"12 articles are drawn (curated first, then the largest values); {COPIES - 11} more"
        in fig.layout.title.subtitle.text.replace("<br>", " ")
    )
    every = spending_shares_chart(big_frames["spending_shares"], max_articles=None, **opts)
    assert len(set(panel_articles(every))) == COPIES + 1


def test_beneficiaries_and_sales_charts_are_bounded(big_frames: dict[str, pd.DataFrame]) -> None:
    opts = {"figures": big_frames["figures"], "articles": big_frames["articles"], "lang": "en"}
    ben = beneficiaries_chart(big_frames["beneficiaries"], max_articles=5, **opts)
    titles = [a.text for a in ben.layout.annotations if "·" in a.text]
    measures = big_frames["beneficiaries"]["measure"].nunique()
    assert len(titles) == 5 * measures
    assert "5 articles are drawn per measure" in ben.layout.title.subtitle.text.replace("<br>", " ")
    sales = sales_growth_chart(big_frames["sales_growth"], max_articles=4, **opts)
    hovers = " ".join(h for t in sales.data if t.hovertext is not None for h in t.hovertext)
    drawn = set(re.findall(r"\((\w+-\w+-\d{4}(?:-c\d+)?)\)", hovers))
    # the two curated originals, then the largest sales values: zj-aksu-2022's copies
    # (72.8亿元 × 1.40, × 1.39 beat jx-shaya-2023's 17亿元 × 1.40)
    assert drawn == {"jx-shaya-2023", "zj-aksu-2022", "zj-aksu-2022-c40", "zj-aksu-2022-c39"}
    assert "4 articles are drawn" in sales.layout.title.subtitle.text.replace("<br>", " ")


def test_a_small_corpus_is_drawn_whole(big_frames: dict[str, pd.DataFrame]) -> None:
    """Within the limit nothing is left out and no note is added."""
    figs, arts = copies(3)
    small = frames_from(figs, arts)
    fig = spending_shares_chart(small["spending_shares"], figures=figs, articles=arts, lang="en")
    assert len(set(panel_articles(fig))) == 4
    assert "articles are drawn" not in fig.layout.title.subtitle.text.replace("<br>", " ")
