"""Rows as records: the same values and groups as pandas' own row and group iteration."""

from __future__ import annotations

import math

import pandas as pd

from aidstats.rows import grouped_records, records


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article": ["b", "a", "b", "a", "c", "a"],
            "program": ["p", None, "p", None, "q", "p"],
            "value": [1.5, float("nan"), 3.0, 4.0, 5.0, 6.0],
            "count": [1, 2, 3, 4, 5, 6],
            "used": [True, False, True, True, False, True],
        }
    )


def _same(a: object, b: object) -> bool:
    both_nan = isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)
    return both_nan or (a == b and type(a) is type(b))


def test_records_match_iterrows_values() -> None:
    df = _frame()
    got = records(df)
    assert len(got) == len(df)
    for row, (_, expected) in zip(got, df.iterrows(), strict=True):
        assert list(row) == list(df.columns)
        assert all(_same(row[c], expected[c]) for c in df.columns)
    assert records(df, ["count"])[2] == {"count": 3}
    assert records(df.iloc[0:0]) == []


def test_groups_in_groupby_order_with_missing_keys() -> None:
    df = _frame()
    keys = ["program", "article"]
    expected = [
        [r["count"] for _, r in group.iterrows()]
        for _, group in df.groupby(keys, sort=True, dropna=False)
    ]
    # by hand: (p, a) → 6; (p, b) → 1, 3; (q, c) → 5; missing program last: (NaN, a) → 2, 4
    assert expected == [[6], [1, 3], [5], [2, 4]]
    assert [[r["count"] for r in g] for g in grouped_records(df, keys)] == expected
    assert grouped_records(df.iloc[0:0], keys) == []
