"""Constants and helpers shared by the tests (imported as ``support``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
ARTICLES = RAW / "articles"
SEEDS = ROOT.parent / "shared" / "seeds"


def require_real_components() -> bool:
    """In CI a missing browser or spreadsheet engine is a failure, not a skip."""
    return os.environ.get("AIDSTATS_REQUIRE_REAL_COMPONENTS") == "1"


def skip_or_fail(reason: str) -> None:
    if require_real_components():
        pytest.fail(f"{reason} (AIDSTATS_REQUIRE_REAL_COMPONENTS=1: .ci/run installs it)")
    pytest.skip(reason)


def figure_row(fid: str, quote: str, value: float, **over: object) -> dict[str, object]:
    """One row of a hand-made figures table: an exact, curated 2022 figure of Shanghai's aid
    funds to Kashgar unless ``over`` says else (the article id is ``fid`` up to its dash)."""
    from aidstats.dictionary import columns

    row: dict[str, object] = dict.fromkeys(columns("figures"))
    row.update(
        figure_id=fid,
        article_id=fid.split("-")[0],
        indicator="aid_funds_total",
        label_zh="援疆资金",
        label_en="aid funds",
        category="funds",
        dac_code=430,
        measure="money",
        value=value,
        lower=value,
        upper=value,
        unit="元",
        qualifier="exact",
        period_start="2022",
        period_end="2022",
        period_type="annual",
        region="喀什地区",
        donor="上海市",
        include_in_totals=True,
        raw_start=0,
        raw_end=len(quote),
        quote=quote,
        sentence=quote,
        kind="amount",
        mention_id=f"{fid}#001",
        status="curated",
        confidence=1.0,
    )
    row.update(over)
    return row
