"""Figures with provenance: the registry against the raw text, coverage, and analyses
checked against hand computations from the article text."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from aidstats.analysis import beneficiaries, sales_growth, spending_shares
from aidstats.build import Tables, compute_tables
from aidstats.errors import AidstatsError
from aidstats.paths import ProjectPaths
from support import ARTICLES


@pytest.fixture(scope="module")
def tables() -> Tables:
    from support import ROOT

    return compute_tables(ProjectPaths(ROOT))


@pytest.fixture(scope="module")
def figures(tables: Tables) -> pd.DataFrame:
    return tables.frames["figures"]


def raw(article_id: str) -> str:
    return (ARTICLES / f"{article_id}.txt").read_text(encoding="utf-8")


def one(df: pd.DataFrame, **where: object) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    for col, val in where.items():
        mask &= df[col] == val
    hit = df[mask]
    assert len(hit) == 1, f"expected one row for {where}, got {len(hit)}"
    return hit.iloc[0]


def test_every_quote_is_at_its_raw_offsets(figures: pd.DataFrame) -> None:
    assert len(figures) >= 40
    for f in figures.itertuples():
        text = raw(f.article_id)
        assert text[f.raw_start : f.raw_end] == f.quote
        # the sentence is the cleaned text around it, so it holds the quote too
        assert f.quote in f.sentence


def test_required_columns_in_order(figures: pd.DataFrame) -> None:
    required = [
        "figure_id",
        "article_id",
        "indicator",
        "label_zh",
        "label_en",
        "category",
        "dac_code",
        "measure",
        "value",
        "lower",
        "upper",
        "unit",
        "qualifier",
        "period_start",
        "period_end",
        "region",
        "donor",
        "program",
        "parent_figure",
        "include_in_totals",
        "raw_start",
        "raw_end",
        "quote",
        "sentence",
    ]
    assert list(figures.columns[: len(required)]) == required


def test_values_come_from_the_text(figures: pd.DataFrame) -> None:
    # read off the article by hand: 投入援疆资金4.5亿元 → 450 000 000 元
    f = one(figures, article_id="jx-shaya-2023", quote="4.5亿元")
    assert (f.value, f.unit, f.qualifier) == (450_000_000, "元", "exact")
    f = one(figures, article_id="jx-shaya-2023", quote="超17亿元")
    assert f.lower == 1.7e9 and math.isnan(f.upper) and f.qualifier == "over"
    f = one(figures, article_id="jx-shaya-2023", quote="37680余人次")
    assert (f.lower, f.upper, f.measure) == (37680, 37690, "person_times")


def test_coverage_every_mention_accounted(tables: Tables) -> None:
    cov = tables.frames["coverage"]
    assert not (cov["status"] == "unaccounted").any()
    required = cov[cov["kind"].isin(["amount", "percent", "ratio", "range", "duration"])]
    assert set(required["status"]) <= {"used", "excluded"}
    assert (cov["status"] == "used").sum() == len(tables.frames["figures"])


# ---------------------------------------------------------------- analyses, by hand


def test_spending_shares_by_hand(tables: Tables) -> None:
    shares = tables.frames["spending_shares"]
    livelihood = one(shares, article_id="jx-shaya-2023", quote="91.7%")
    assert livelihood.share_basis == "reported" and livelihood.amount_basis == "derived"
    assert livelihood.amount == pytest.approx(4.5e8 * 0.917)  # ≈ 4.13亿元
    projects = one(shares, article_id="jx-shaya-2023", quote="61个")
    assert projects.share_basis == "derived"
    assert projects.share_pct == pytest.approx(100 * 61 / 80)
    health = one(shares, article_id="jx-shaya-2023", quote="6360万元")
    assert health.share_pct == pytest.approx(100 * 6360e4 / 4.5e8)
    village = one(shares, article_id="zj-aksu-2022", quote="400万元")
    assert village.amount == 4e6


def test_sales_growth_by_hand(tables: Tables) -> None:
    sales = tables.frames["sales_growth"]
    zj = sales[sales["article_id"] == "zj-aksu-2022"]
    prev = one(zj, metric="previous_year_value")
    assert prev.basis == "derived" and prev.period_end == "2020"
    assert prev.value == pytest.approx(72.8e8 / 2.03)  # ≈ 35.9亿元
    assert "÷" in prev.formula
    per_tonne = one(zj, metric="value_per_tonne")
    assert per_tonne.value == pytest.approx(72.8e8 / 66.17e4)
    online = one(zj, metric="online_share")
    assert online.value == pytest.approx(100 * 10.5 / 72.8)
    # 超17亿元 over 16万吨: a lower bound only, and it says so
    jx = one(sales[sales["article_id"] == "jx-shaya-2023"], metric="value_per_tonne")
    assert jx.lower == pytest.approx(17e8 / 16e4) and math.isnan(jx.upper)
    assert jx.qualifier == "over"


def test_derived_rows_carry_their_operands_as_data(tables: Tables) -> None:
    """Each derived number names its metric and the figure each operand is; its written
    arithmetic is worked out by hand here."""
    shares = tables.frames["spending_shares"]
    projects = one(shares, article_id="jx-shaya-2023", quote="61个")
    assert projects.metric == "share_of"
    refs = json.loads(projects.operand_refs)
    assert set(refs) == {"part", "whole"} and refs["part"] == projects.figure_id
    assert refs["whole"] == projects.whole_figure
    assert projects.formula == "61个 ÷ 80个 = 76.3%"  # 61 / 80 = 76.25%, one decimal
    sales = tables.frames["sales_growth"]
    prev = one(sales[sales["article_id"] == "zj-aksu-2022"], metric="previous_year_value")
    figures = tables.frames["figures"].set_index("figure_id")
    refs = json.loads(prev.operand_refs)
    assert figures.loc[refs["value"], "quote"] == "72.8亿元"
    assert figures.loc[refs["growth"], "quote"] == "103%"
    assert prev.formula == "72.8亿元 ÷ (1 + 103%) = 35.86亿元"  # 72.8 / 2.03 = 35.862…


def test_auto_figures_are_marked_and_can_be_left_out(figures: pd.DataFrame) -> None:
    """An automatic figure makes every row that uses it ``auto``; curated_only leaves it out."""
    value = one(figures, article_id="jx-shaya-2023", quote="超17亿元")
    online = value.copy()
    online["figure_id"], online["indicator"] = "jx-online-auto", "online_sales_value"
    online[["value", "lower", "upper"]] = 5e8
    online["status"], online["confidence"] = "auto", 0.5
    figs = pd.concat([figures, online.to_frame().T], ignore_index=True).astype(figures.dtypes)
    sales = sales_growth(figs)
    share = one(sales[sales["article_id"] == "jx-shaya-2023"], metric="online_share")
    # 5亿 of more than 17亿: at most 5 / 17 = 29.4%, no lower bound
    assert share.status == "auto" and share.qualifier == "near"
    assert share.upper == pytest.approx(100 * 5 / 17) and math.isnan(share.lower)
    assert share.formula == "5亿元 ÷ 超17亿元 = 近29.4%"
    assert one(sales, figure_ids="jx-online-auto").status == "auto"
    curated = sales_growth(figs, curated_only=True)
    assert "jx-online-auto" not in set(curated["figure_ids"])
    assert set(curated["status"]) == {"curated"}
    for fn in (spending_shares, beneficiaries):
        assert len(fn(figs, curated_only=True)) == len(fn(figures))


def test_beneficiaries_keep_people_and_person_times_apart(tables: Tables) -> None:
    ben = tables.frames["beneficiaries"]
    assert set(ben["measure"]) == {"people", "person_times"}
    visits = one(ben, quote="37680余人次")
    assert visits.measure == "person_times" and visits.lower == 37680
    assert "≥" in visits.bounds and "<" in visits.bounds
    assert (ben.loc[ben["unit"] == "人次", "measure"] == "person_times").all()
    assert not (ben.loc[ben["unit"].isin(["人", "名", "位"]), "measure"] == "person_times").any()
    kids = one(ben, quote="209名")
    assert (kids.value, kids.qualifier) == (209, "exact")


def test_consistency_checks_by_hand(tables: Tables) -> None:
    checks = tables.frames["consistency_checks"]
    assert {"pass", "flag"} >= set(checks["verdict"])
    dividend = checks[checks["arithmetic"].str.contains("2.9万元")]
    assert len(dividend) == 1
    row = dividend.iloc[0]
    assert row.computed == pytest.approx(400e4 * 0.08 / 11)  # 29 090.9 元
    assert row.verdict == "pass"  # within the rounding of 2.9万
    subjects = checks[
        checks["arithmetic"].str.contains("21个") & checks["arithmetic"].str.contains("20个")
    ]
    assert list(subjects["verdict"]) == ["flag"]
    dates = checks[checks["arithmetic"].str.contains("2021年8月13日")]
    assert list(dates["verdict"]) == ["pass"]
    shares = checks[checks["check_id"].str.startswith("share<=100")]
    assert len(shares) >= 1 and (shares["verdict"] == "pass").all()
    parts = checks[checks["check_id"].str.startswith("part<=total")]
    assert len(parts) >= 1 and (parts["verdict"] == "pass").all()


# ---------------------------------------------------------------- bad registry rows


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _first_figure(project: ProjectPaths) -> tuple[str, str, str]:
    text = project.registry.read_text(encoding="utf-8")
    fid = re.search(r"figure_id: (\S+)", text).group(1)
    quote = re.search(r"quote: (\S+)", text).group(1)
    indicator = re.search(r"indicator: (\S+)", text).group(1)
    return fid, quote, indicator


def _error(project: ProjectPaths, *, strict: bool = False) -> str:
    with pytest.raises(AidstatsError) as exc:
        compute_tables(project, strict=strict)
    message = str(exc.value)
    assert "\n" not in message
    return message


def test_unknown_indicator(project: ProjectPaths) -> None:
    fid, _, indicator = _first_figure(project)
    _edit(project.registry, f"indicator: {indicator}", f"indicator: {indicator}x")
    message = _error(project)
    assert f"({fid})" in message and "unknown indicator" in message and "did you mean" in message


def test_quote_not_in_text(project: ProjectPaths) -> None:
    fid, quote, _ = _first_figure(project)
    _edit(project.registry, f"quote: {quote}", "quote: 9.99亿元")
    message = _error(project)
    assert fid in message and "not in the article" in message and "nearest" in message


def test_duplicate_figure_id(project: ProjectPaths) -> None:
    text = project.registry.read_text(encoding="utf-8")
    ids = re.findall(r"figure_id: (\S+)", text)
    _edit(project.registry, f"figure_id: {ids[1]}", f"figure_id: {ids[0]}")
    assert "duplicate figure_id" in _error(project)


def test_wrong_kind(project: ProjectPaths) -> None:
    # point a money figure at a percent mention: 91.7% is a percent
    text = project.registry.read_text(encoding="utf-8")
    block = re.search(r"- figure_id: (\S+)\n(?:    .*\n)*?    quote: 4\.5亿元\n", text)
    assert block
    _edit(
        project.registry, block.group(0), block.group(0).replace("quote: 4.5亿元", "quote: 91.7%")
    )
    message = _error(project)
    assert "percent mention" in message and "needs amount" in message


def test_unaccounted_mention_is_an_auto_figure_unless_strict(project: ProjectPaths) -> None:
    text = project.exclusions.read_text(encoding="utf-8")
    first = re.search(r"  - article_id: .*\n(?:    .*\n)*", text).group(0)
    _edit(project.exclusions, first, "")
    message = _error(project, strict=True)
    assert "neither used" in message and "nor excluded" in message


def test_unaccounted_mention_becomes_an_auto_figure(project: ProjectPaths) -> None:
    text = project.exclusions.read_text(encoding="utf-8")
    first = re.search(r"  - article_id: (.*)\n    quote: (.*)\n(?:    .*\n)*", text)
    _edit(project.exclusions, first.group(0), "")
    tables = compute_tables(project)
    figures, coverage = tables.frames["figures"], tables.frames["coverage"]
    auto = figures[figures["status"] == "auto"]
    quote = first.group(2).strip().strip('"')
    assert quote in set(auto["quote"])  # the freed mention, and nothing else, is labelled
    assert (coverage["status"] == "auto").sum() == len(auto)
    assert figures["figure_id"].is_unique and (figures["status"] == "curated").sum() == 78


def test_missing_quote_field(project: ProjectPaths) -> None:
    fid, quote, _ = _first_figure(project)
    _edit(project.registry, f"    quote: {quote}\n", "")
    message = _error(project)
    assert fid in message and "missing quote" in message


def test_schema_violation_is_caught() -> None:
    from aidstats.dictionary import columns
    from aidstats.schemas import validate

    good = {
        "check_id": "x",
        "status": "curated",
        "test": "at_most",
        "source": "auto",
        "label_zh": "甲",
        "label_en": "a",
        "article_id": "a",
        "figure_ids": "f",
        "formula": "part",
        "operands": '{"part": 1.0}',
        "operand_refs": '{"part": "f"}',
        "arithmetic": "1 ≤ 2",
        "computed": 1.0,
        "expected": 2.0,
        "expected_ref": "g",
        "tolerance": 0.0,
        "verdict": "pass",
        "note": "",
    }
    assert list(good) == columns("consistency_checks")
    validate("consistency_checks", pd.DataFrame([good]))
    with pytest.raises(AidstatsError, match=r"consistency_checks breaks its schema.*verdict"):
        validate("consistency_checks", pd.DataFrame([{**good, "verdict": "maybe"}]))
    with pytest.raises(AidstatsError, match=r"consistency_checks breaks its schema.*test"):
        validate("consistency_checks", pd.DataFrame([{**good, "test": "roughly"}]))
