"""One fact, many sources: grouping, tightest bounds and conflicts, worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aidstats.dictionary import columns
from aidstats.facts import _median, facts, interval, panel
from aidstats.schemas import validate
from support import figure_row


def _fig(fid: str, quote: str, value: float, **over: object) -> dict[str, object]:
    """An automatic figure (see :func:`support.figure_row`)."""
    return figure_row(fid, quote, value, **{"status": "auto", "confidence": 0.9, **over})


def _table(*rows: dict[str, object]) -> pd.DataFrame:
    return validate("figures", pd.DataFrame(list(rows), columns=columns("figures")))


def test_interval_of_each_wording() -> None:
    exact = interval(pd.Series(_fig("a-1", "4.5亿元", 4.5e8)))
    assert exact.lo == pytest.approx(4.45e8) and exact.hi == pytest.approx(4.55e8)
    over = interval(
        pd.Series(_fig("a-2", "6000多万元", 6e7, lower=6e7, upper=7e7, qualifier="over"))
    )
    assert (over.lo, over.hi) == (6e7, 7e7)
    near = interval(
        pd.Series(_fig("a-3", "近50万元", 5e5, lower=math.nan, upper=5e5, qualifier="near"))
    )
    assert math.isnan(near.lo) and near.hi == 5e5
    approx = interval(
        pd.Series(_fig("a-4", "约200万元", 2e6, lower=math.nan, upper=math.nan, qualifier="approx"))
    )
    assert (approx.lo, approx.hi) == pytest.approx((1.8e6, 2.2e6))


def test_three_reports_of_one_fact_are_one_row_with_the_tightest_bounds() -> None:
    table = _table(
        _fig("a-1", "4.5亿元", 4.5e8),  # [4.45亿, 4.55亿]
        _fig("b-1", "4.53亿元", 4.53e8),  # [4.525亿, 4.535亿]
        _fig("c-1", "超4.5亿元", 4.5e8, upper=math.nan, qualifier="over"),  # [4.5亿, ∞)
    )
    out = facts(table)
    assert len(out) == 1
    fact = out.iloc[0]
    assert fact["n_sources"] == 3 and fact["n_articles"] == 3 and not fact["conflict"]
    assert fact["lower"] == pytest.approx(4.525e8) and fact["upper"] == pytest.approx(4.535e8)
    assert fact["figure_ids"] == "a-1;b-1;c-1"
    validate("facts", out)


def test_the_value_of_a_fact_lies_within_its_bounds() -> None:
    at_least = {"qualifier": "over", "upper": math.nan, "measure": "money"}
    table = _table(
        _fig("a-1", "超过8049元", 8049, lower=8049, **at_least),
        _fig("b-1", "超过6255元", 6255, lower=6255, **at_least),
        _fig("c-1", "2.3万元", 23000),
    )
    (row,) = facts(table).to_dict("records")
    # by hand: 2.3万元 is 22,500–23,500 (half its last digit), 超过 adds no upper bound
    assert (row["lower"], row["upper"]) == (pytest.approx(22500), pytest.approx(23500))
    assert row["value"] == 23000  # the median of the values inside: not 8049
    assert not row["conflict"]


def test_sources_that_disagree_beyond_rounding_are_flagged() -> None:
    out = facts(_table(_fig("a-1", "4.5亿元", 4.5e8), _fig("b-1", "4.8亿元", 4.8e8)))
    fact = out.iloc[0]
    assert fact["conflict"] and math.isnan(fact["lower"]) and math.isnan(fact["upper"])
    assert "a-1 4.5亿元" in fact["note"] and "b-1 4.8亿元" in fact["note"]


def test_different_years_donors_or_measures_are_different_facts() -> None:
    out = facts(
        _table(
            _fig("a-1", "4.5亿元", 4.5e8),
            _fig("a-2", "5亿元", 5e8, period_start="2023", period_end="2023"),
            _fig("a-3", "4.5亿元", 4.5e8, donor="江苏省"),
            _fig("a-4", "三年来", 3, category="other", measure="duration", unit="年"),
        )
    )
    assert len(out) == 3  # the framing number is no fact
    assert out["fact_id"].is_unique


def test_panel_has_one_row_per_indicator_donor_region_year() -> None:
    out = panel(
        facts(
            _table(
                _fig("a-1", "4.5亿元", 4.5e8),
                _fig("a-2", "5亿元", 5e8, period_start="2023", period_end="2023"),
                _fig("a-3", "91.7%", 91.7, measure="share", unit="%"),
            )
        )
    )
    assert list(out["year"]) == ["2022", "2023"]  # shares are not panel values
    assert list(out["value"]) == [4.5e8, 5e8]


@given(st.lists(st.floats(min_value=-1e15, max_value=1e15), max_size=9))
def test_median_is_numpys(values: list[float]) -> None:
    """The fact value's median is exactly numpy's (the mean of the two middle values of
    an even count), so replacing np.median changed no fact."""
    expected = float(np.median(values)) if values else math.nan
    got = _median(values)
    assert (math.isnan(got) and math.isnan(expected)) or got == expected
