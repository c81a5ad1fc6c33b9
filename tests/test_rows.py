"""Rows as records: the same values and groups as pandas' own row and group iteration."""

from __future__ import annotations

import math

import pandas as pd
import pyarrow as pa

from aidstats.dictionary import columns
from aidstats.rows import arrow_table, grouped_records, joined, records


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


def test_joined_arrow_tables_equal_the_frame_of_the_joined_rows() -> None:
    """Per-article tables (one with a column that is empty there, one with no rows)
    joined give what pandas makes of the rows written out in one list."""
    first = pd.DataFrame({"id": ["a1", "a2"], "n": [1, 2], "x": [0.5, None], "d": [None, None]})
    second = pd.DataFrame({"id": ["b1"], "n": [3], "x": [2.0], "d": ["2021"]})
    empty = first.iloc[0:0]
    parts = [pa.Table.from_pandas(df, preserve_index=False) for df in (first, empty, second)]
    expected = pd.DataFrame(
        {"id": ["a1", "a2", "b1"], "n": [1, 2, 3], "x": [0.5, None, 2.0], "d": [None, None, "2021"]}
    )
    pd.testing.assert_frame_equal(joined(parts), expected)
    typed = joined(parts, {"n": "float64"})
    assert typed["n"].tolist() == [1.0, 2.0, 3.0]
    assert joined([]).empty


def test_arrow_table_types_columns_as_declared() -> None:
    """A figures row as Arrow: declared types, missing (None or NaN) as null."""
    names = columns("figures")
    row = {n: None for n in names}
    row.update(figure_id="x-auto-1", raw_start=3, raw_end=7, value=float("nan"), lower=5)
    table = arrow_table("figures", {n: [row[n]] for n in names})
    assert table.column_names == names
    assert table.schema.field("raw_start").type == pa.int64()
    assert table.schema.field("lower").type == pa.float64()
    assert table.column("lower").to_pylist() == [5.0]
    assert table.column("value").null_count == 1
    assert table.column("figure_id").to_pylist() == ["x-auto-1"]
