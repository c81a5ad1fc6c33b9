"""Linear time on adversarial input: each case is about 1 MB (UTF-8) and must finish well
under a second per MB; the assertion allows 2 s per MB so that a loaded 2-core CI box
does not flake.  Run with ``pytest -s`` to see the timings.

The cases aim at the usual ways a regex-based extractor goes quadratic: a numeral run
that every later position could start again (digits, 一, 万), a quantifier that can
backtrack (多多多, decimal points, thousands separators), a quote that is never closed,
and inputs where every few characters is a mention (the Python side, not the regex).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from aidstats import extract_quantities

MAX_SECONDS_PER_MB = 2.0
MB = 1_000_000
ARTICLES = Path(__file__).resolve().parents[1] / "data" / "raw" / "articles"


def about_one_mb(unit: str) -> str:
    """``unit`` repeated to about 1 MB of UTF-8."""
    return unit * max(1, MB // len(unit.encode("utf-8")))


def articles_text() -> str:
    return "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt")))


CASES = {
    "1 MB of digits": about_one_mb("1"),
    "digits with a unit at the end": about_one_mb("7")[:-1] + "元",
    "万 repeated": about_one_mb("万"),
    "多多多 after a number": "1" + about_one_mb("多"),
    "number + 多, repeated": about_one_mb("3多"),
    "unbalanced “ without closing": about_one_mb("“"),
    "“ then text with figures": "“" + about_one_mb("投入资金3亿元，近百家企业，"),
    "“ before every digit": about_one_mb("“1"),
    "unclosed 《 then digits": "《" + about_one_mb("2"),
    "1 MB of 一": about_one_mb("一"),
    "一二三 run": about_one_mb("一二三四五六七八九十"),
    "long run of 、": about_one_mb("、"),
    "1、 repeated (a mention every 2 chars)": about_one_mb("1、"),
    "decimal points 1.1.1": about_one_mb("1.1"),
    "thousands separators 1,000,000": "1" + about_one_mb(",000"),
    "range marks 1至1至1": about_one_mb("1至"),
    "month range chain 1月至2月至": about_one_mb("1月至"),
    "ratio chain 1:1:1": about_one_mb("1:"),
    "去年 repeated": about_one_mb("去年"),
    "quoted names repeated": about_one_mb("“百千万”"),
    "the two articles repeated": about_one_mb(articles_text()),
}


def seconds_per_mb(text: str) -> float:
    t0 = time.perf_counter()
    extract_quantities(text)
    return (time.perf_counter() - t0) / (len(text.encode("utf-8")) / MB)


@pytest.mark.parametrize("name", list(CASES))
def test_adversarial_input_is_linear(name: str) -> None:
    text = CASES[name]
    rate = seconds_per_mb(text)
    if rate >= MAX_SECONDS_PER_MB:
        rate = min(rate, seconds_per_mb(text))  # one retry: a busy machine, not a bug
    print(f"\n{name}: {rate:.3f} s/MB")
    assert rate < MAX_SECONDS_PER_MB, f"{name}: {rate:.2f} s per MB"


def test_time_grows_linearly_with_size() -> None:
    """Four times the digits-and-quotes text takes about four times as long, not sixteen."""
    unit = "“1" * 50 + "1" * 50 + "一" * 50 + "万多" * 20
    small = unit * 500
    large = unit * 2000

    def best(text: str) -> float:
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            extract_quantities(text)
            times.append(time.perf_counter() - t0)
        return min(times)

    ratio = best(large) / max(best(small), 1e-6)
    print(f"\n4x input: {ratio:.2f}x time")
    assert ratio < 10
