"""csvtext writes exactly the bytes pandas' to_csv writes, or declines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from aidstats.csvtext import table_csv
from aidstats.outputs import write_csv


def _pandas(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8")


def test_awkward_cells_match_to_csv() -> None:
    df = pd.DataFrame(
        {
            "text": pd.Series(
                ["援疆资金4.5亿元", "a,b", 'say "hi"', "two\nlines", None, ""], dtype="str"
            ),
            "value": [4.5e8, np.nan, 0.1 + 0.2, 1e16, -0.0, 2.0],
            "n": [1, -2, 3, 0, 5, 6],
            "ok": [True, False, True, True, False, True],
        }
    )
    assert table_csv(df) == _pandas(df)
    assert table_csv(df.iloc[:0]) == b"text,value,n,ok\n"


def test_quotes_by_hand() -> None:
    df = pd.DataFrame({"a": pd.Series(['x"y', "p,q"], dtype="str"), "b": [1, 2]})
    assert table_csv(df) == b'a,b\n"x""y",1\n"p,q",2\n'


def test_declines_what_it_cannot_promise() -> None:
    assert table_csv(pd.DataFrame({"only": [1, 2]})) is None  # one column: "" rows differ
    assert table_csv(pd.DataFrame({"o": [object(), None], "b": [1, 2]})) is None
    when = pd.DataFrame({"d": pd.to_datetime(["2024-01-01", None]), "b": [1, 2]})
    assert table_csv(when) is None


def test_written_file_has_to_csvs_bytes(tmp_path: Path) -> None:
    """write_csv puts the header and the Arrow rows buffer in the file as they are."""
    df = pd.DataFrame(
        {
            "t": pd.Series(["a,b", None, "中文"], dtype="str"),
            "v": [1.5, np.nan, 3.0],
            "n": [1, 2, 3],
        }
    )
    assert write_csv(df, tmp_path / "t.csv").read_bytes() == _pandas(df)
    assert write_csv(df.iloc[:0], tmp_path / "e.csv").read_bytes() == _pandas(df.iloc[:0])
