"""Table views for notebooks: numbers with units instead of false precision, bounds in
words, short quotes, wrapped text, left-aligned Chinese, and each figure's status."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from aidstats.display import PRESETS, compact, status_note, table_kind, view

NAN = math.nan


def _figures() -> pd.DataFrame:
    base = {
        "article_id": "aa-city-2023",
        "category": "sales",
        "measure": "money",
        "unit": "元",
        "period_start": "2021",
        "period_end": "2022",
        "region": "甲县",
        "sentence": "句子。",
        "status": "curated",
        "confidence": 1.0,
    }
    rows = [
        {"figure_id": "f1", "label_zh": "销售额", "label_en": "Sales", "quote": "超17亿元",
         "value": 1.7e9, "lower": 1.7e9, "upper": NAN, "qualifier": "over",
         "raw_start": 70, "raw_end": 75},
        {"figure_id": "f2", "label_zh": "上年销售额", "label_en": "", "quote": "72.8亿元",
         "value": 3586206896.551724, "lower": 3586206896.551724, "upper": 3586206896.551724,
         "qualifier": "exact", "raw_start": 80, "raw_end": 86, "status": "auto",
         "confidence": 0.6142},
        {"figure_id": "f3", "label_zh": "一个很长的指标名称", "label_en": "Long",
         "quote": "这是一段超过二十四个字的很长很长很长很长很长很长的原文引文啊",
         "value": 800.0, "lower": NAN, "upper": 800.0, "qualifier": "near", "unit": "名",
         "period_start": "2022", "period_end": "2022", "raw_start": 90, "raw_end": 120},
    ]  # fmt: skip
    return pd.DataFrame([{**base, **r} for r in rows])


def test_figures_read_as_written() -> None:
    shown = compact(_figures())
    assert list(shown.columns) == [
        "文章\narticle",
        "指标\nfigure",
        "原文\nas written",
        "数值\nvalue",
        "范围\nbounds",
        "统计期\nperiod",
        "受援地\nrecipient",
        "来源\nstatus",
        "原文位置\nraw offsets",
    ]
    f1, f2, f3 = (shown.iloc[i] for i in range(3))
    # no false precision: 3,586,206,896.55 is 35.86亿元
    assert f2["数值\nvalue"] == "35.86亿元" and f1["数值\nvalue"] == "17亿元"
    assert f1["范围\nbounds"] == "≥ 17亿元,上界未知" and f3["范围\nbounds"] == "≤ 800名"
    assert f1["统计期\nperiod"] == "2021–2022" and f3["统计期\nperiod"] == "2022"
    assert f1["原文位置\nraw offsets"] == "[70:75]"
    # who says so: a person, or the build with a confidence
    assert f1["来源\nstatus"] == "人工 curated" and f2["来源\nstatus"] == "自动 auto · 0.61"
    # a long quote is shortened to 24 characters, the last one "…"
    assert len(f3["原文\nas written"]) == 24 and f3["原文\nas written"].endswith("…")


def test_english_view_and_chosen_columns() -> None:
    shown = compact(_figures(), columns=["label", "value", "bounds", "note"], lang="en")
    assert list(shown.columns) == ["指标\nfigure", "数值\nvalue", "范围\nbounds"]  # no note
    assert list(shown["数值\nvalue"]) == ["1.7 billion yuan", "3.586 billion yuan", "800 people"]
    # an empty English label falls back to the Chinese one
    assert list(shown["指标\nfigure"]) == ["Sales", "上年销售额", "Long"]


def test_status_of_analysis_rows_comes_from_the_figures() -> None:
    figures = _figures()
    sales = pd.DataFrame(
        {
            "article_id": ["aa-city-2023"] * 2,
            "metric": ["sales_value", "previous_year_value"],
            "basis": ["reported", "derived"],
            "figure_ids": ["f1", "f1;f2"],
            "label_zh": ["销售额", "上年销售额"],
            "value": [1.7e9, 3586206896.551724],
            "unit": ["元", "元"],
        }
    )
    shown = compact(sales, columns=["label", "value", "status"], figures=figures)
    assert list(shown["来源\nstatus"]) == ["人工 curated", "自动 auto"]
    assert "来源\nstatus" not in compact(sales, columns=["label", "status"])  # unknown


def test_view_is_a_left_aligned_styled_table() -> None:
    styler = view(_figures(), max_rows=2)
    html = styler.to_html()
    assert "text-align: left" in html and "white-space: pre-line" in html
    assert "first 2 of 3 rows" in html  # a caption instead of a silent cut
    assert "background-color: #FFF1CC" in html  # the automatic figure is tinted
    assert html == view(_figures(), max_rows=2).to_html()  # same table, same HTML
    assert "&lt;" in view(_figures().assign(region="<b>")).to_html()  # text is escaped


def test_status_note_counts_curated_and_auto() -> None:
    note = status_note(_figures(), lang="en")
    assert note.startswith("**3** figures: **2** curated by a person, **1** labelled")
    assert "人工整理 **2** 项,自动识别 **1** 项" in status_note(_figures())


@pytest.fixture(scope="module")
def real() -> dict[str, pd.DataFrame]:
    from aidstats.build import compute_tables
    from aidstats.paths import ProjectPaths
    from support import ROOT

    return compute_tables(ProjectPaths(ROOT)).frames


def test_every_table_of_a_build_has_its_view(real: dict[str, pd.DataFrame]) -> None:
    for name in PRESETS:
        assert table_kind(real[name]) == name
        shown = compact(real[name], figures=real["figures"])
        assert len(shown) == len(real[name]) and len(shown.columns) == len(PRESETS[name])
        # no decimal printed with more than five significant digits (3,586,206,896.55)
        for column in shown.columns:
            for text in shown[column]:
                for number in re.findall(r"\d[\d,]*\.\d+", text):
                    digits = number.replace(",", "").replace(".", "").lstrip("0")
                    assert len(digits) <= 5, f"{name}/{column}: {text}"
