"""Shared fixtures: the real project, and throw-away copies of its data to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aidstats.paths import ProjectPaths
from support import RAW, ROOT


@pytest.fixture
def real_paths() -> ProjectPaths:
    return ProjectPaths(ROOT)


@pytest.fixture
def project(tmp_path: Path) -> ProjectPaths:
    """A copy of the project's data/raw in a temporary folder (safe to break)."""
    root = tmp_path / "project"
    shutil.copytree(RAW, root / "data" / "raw")
    (root / "data" / "processed").mkdir()
    return ProjectPaths(root)
