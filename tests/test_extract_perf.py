"""Linear time and modest memory on adversarial input.  Run with ``pytest -s`` to see
the timings.

* Each case of ``CASES`` is about 1 MB (UTF-8) and must finish well under a second per
  MB; the assertion allows 2 s per MB so that a loaded 2-core CI box does not flake.
* Doubling any adversarial input at most doubles the time (the assertion allows 2.5x;
  a quadratic walk gives 4x): the best of several timings at two sizes.
* Peak memory grows with the mentions found, not with the text scanned.

The cases aim at the usual ways a regex-based extractor goes quadratic: a numeral run
that every later position could start again (digits, 一, 万), a quantifier that can
backtrack (多多多, decimal points, thousands separators), a quote that is never closed,
a chain of numbers joined by range marks that never closes into a range (1-1-1-…, which
once re-walked the chain from every match), and inputs where every few characters is a
mention (the Python side, not the regex).
"""

from __future__ import annotations

import time
import tracemalloc
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
    "hyphen chain 1-1-1": about_one_mb("1-"),
    "dash chain 1—1—1": about_one_mb("1—"),
    "date chain 2021-08-13-": about_one_mb("2021-08-13-"),
    "mixed marks 1－1–1～1〜1~": about_one_mb("1－1–1～1〜1~"),
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


# Units repeated to make an input; each is doubled in test_doubling_the_input.
DOUBLING_UNITS = {
    "hyphen chain": "1-",
    "em dash chain": "1—",
    "full-width hyphen chain": "1－",
    "en dash chain": "1–",
    "wave dash chains": "1～1〜1~",
    "date chain": "2021-08-13-",
    "mixed marks and units": "3万-2亿—1月～5%－",
    "range marks 至": "1至",
    "long digit run": "1234567890",
    "repeated 亿": "亿",
    "repeated 万多": "万多",
    "number + 多": "3多",
    "一 run": "一二三四五六七八九十",
    "digits, quotes and 一": "“1" * 50 + "1" * 50 + "一" * 50 + "万多" * 20,
    "a mention every 2 chars": "1、",
    "several 数十": "数十",
    "approximate pairs": "三四十人",
    "recent 近3年来": "近3年来",
    "admin units": "1县2市",
    "bare magnitude + 以上": "万人以上",
    "open measure word": "3锭。",
    "quoted couplets": "“三年援疆路，一生援疆情。”",
    "unclosed couplet-like quotes": "“三年援疆路，一生援疆情，",
    "articles": articles_text(),
}
MIN_CHARS = 20_000  # the smaller input has at least this many characters ...
MIN_SECONDS = 0.02  # ... and more if needed to take this long (stable timings)
MAX_CHARS = 4_000_000
MAX_DOUBLING_RATIO = 2.5


def run_time(text: str) -> float:
    """CPU seconds of one run (process time: other processes on a shared box do not count)."""
    t0 = time.process_time()
    extract_quantities(text)
    return time.process_time() - t0


def doubling_ratio(small: str, repeat: int) -> float:
    """Best time on ``small * 2`` over best time on ``small``, the runs interleaved so
    that a burst of load on a shared machine hits both sizes alike."""
    large = small + small
    best_small = best_large = float("inf")
    for _ in range(repeat):
        best_small = min(best_small, run_time(small))
        best_large = min(best_large, run_time(large))
    return best_large / max(best_small, 1e-6)


@pytest.mark.parametrize("name", list(DOUBLING_UNITS))
def test_doubling_the_input(name: str) -> None:
    unit = DOUBLING_UNITS[name]
    small = unit * max(1, MIN_CHARS // len(unit))
    while run_time(small) < MIN_SECONDS and 2 * len(small) <= MAX_CHARS:
        small += small
    ratio = doubling_ratio(small, 3)
    if ratio >= MAX_DOUBLING_RATIO:  # one retry: a burst of load, not a quadratic walk
        ratio = min(ratio, doubling_ratio(small, 5))
    print(f"\n{name}: 2x input ({len(small):,} chars), {ratio:.2f}x time")
    assert ratio < MAX_DOUBLING_RATIO, f"{name}: twice the input took {ratio:.2f}x the time"


def peak_memory(text: str) -> tuple[int, int]:
    """(peak bytes allocated during one run, number of mentions)."""
    tracemalloc.start()
    try:
        n = len(extract_quantities(text))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, n


@pytest.mark.parametrize("unit", ["1-", "1" * 64, "“百千万”", "1、"])
def test_memory_follows_the_mentions(unit: str) -> None:
    """A chain that never closes, a long digit run and quoted names hold no mention: the
    peak stays small whatever the size; a mention every two characters costs a few
    hundred bytes each (the Quantity objects returned)."""
    text = unit * (40_000 // len(unit))
    peak, n = peak_memory(text)
    print(f"\n{unit[:8]!r}: {peak / 1e6:.1f} MB peak for {len(text):,} chars, {n:,} mentions")
    assert peak < 2_000_000 + 600 * n
