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
