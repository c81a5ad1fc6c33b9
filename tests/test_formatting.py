"""Numbers and bounds as text, and the missing-value test, shared by tables, checks and
charts. Expected strings are written by hand from how a reader writes the figure."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest

from aidstats import analysis, checks, formatting
from aidstats.formatting import bounds_text, fmt_number, format_value, is_missing

NAN = math.nan


@pytest.mark.parametrize("value", [None, NAN, np.nan, pd.NA, pd.NaT, np.float64("nan")])
def test_missing_values(value: object) -> None:
    assert is_missing(value)


@pytest.mark.parametrize("value", [0, 0.0, "", "nan", False, [1, None], (None,), "超17亿元"])
def test_present_values(value: object) -> None:
    assert not is_missing(value)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (4.5e8, "元", "4.5亿元"),
        (6360e4, "元", "6360万元"),
        (37680, "人次", "3.768万人次"),
        (12345, "个", "12345个"),  # 万 only for the units the articles write it with
        (91.7, "%", "91.7%"),
        (80, None, "80"),
        (72.8e8, NAN, "72.8亿"),  # a missing unit is no unit
        (None, "元", "?"),
        (NAN, "元", "?"),
    ],
)
def test_fmt_number(value: object, unit: object, text: str) -> None:
    assert fmt_number(value, unit) == text
    assert format_value(value, unit) == text  # Chinese is the default language


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1.7e9, "元", "1.7 billion yuan"),
        (6360e4, "元", "63.6 million yuan"),
        (37680, "人次", "37,680 person-times"),
        (800, "名", "800 people"),
        (80, "个", "80"),
        (103, "%", "103%"),
        (5, "场", "5 场"),  # a unit with no English form is kept
        (None, "元", "?"),
    ],
)
def test_format_value_in_english(value: object, unit: str, text: str) -> None:
    assert format_value(value, unit, "en") == text


@pytest.mark.parametrize(
    ("args", "table", "zh", "en"),
    [
        (
            ("over", 37680, 37690, "人次"),
            "≥ 3.768万人次, < 3.769万人次",
            "≥ 3.768万人次,< 3.769万人次",
            "≥ 37,680 person-times, < 37,690 person-times",
        ),
        (
            ("over", 1.7e9, NAN, "元"),
            "≥ 17亿元",
            "≥ 17亿元,上界未知",
            "≥ 1.7 billion yuan, no upper bound",
        ),
        (("near", None, 800, "名"), "≤ 800名", "≤ 800名", "≤ 800 people"),
        (("exact", 80, 80, "个"), "exact", "精确值", "exact"),
        (
            ("approx", NAN, NAN, "元"),
            "approximate (no bounds stated)",
            "约数,未给出上下界",
            "approximate (no bounds stated)",
        ),
        (("over", NAN, NAN, "元"), "over", "上界未知", "no upper bound"),
    ],
)
def test_bounds_text_in_each_form(args: tuple, table: str, zh: str, en: str) -> None:
    assert bounds_text(*args) == table
    assert bounds_text(*args, lang="zh") == zh
    assert bounds_text(*args, lang="en") == en


def test_bounds_text_refuses_an_unknown_language() -> None:
    with pytest.raises(ValueError, match="lang"):
        bounds_text("over", 1, None, "元", lang="fr")


def test_one_definition_serves_tables_checks_and_charts() -> None:
    """Tables, checks and the workbook write numbers through aidstats.quantities (its
    arithmetic through aidstats.metrics); the charts through formatting, with the same
    万/亿 rule."""
    from aidstats import charts, quantities

    assert analysis.write_bounds is quantities.write_bounds
    assert checks.write_quantity is quantities.write_quantity
    assert formatting._WAN_UNITS is quantities.SCALED_UNITS
    assert charts.format_value is formatting.format_value


def test_the_docstring_examples_hold() -> None:
    result = doctest.testmod(formatting, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 4 and result.failed == 0
