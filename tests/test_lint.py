"""The code is ruff clean (lint and format), so CI catches what a reviewer would."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from support import ROOT

PATHS = ["src", "tests", "benchmarks", "notebooks"]


@pytest.mark.parametrize("args", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff(args: list[str]) -> None:
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]' installs it)")
    targets = PATHS if args == ["check"] else PATHS[:3]
    proc = subprocess.run(
        [ruff, *args, *targets], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
