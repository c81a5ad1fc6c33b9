"""The per-article stages on a real Dask cluster give the tables of a local build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from aidstats.build import compute_tables
from aidstats.paths import ProjectPaths
from aidstats.runners import RunOptions
from support import ROOT

distributed = pytest.importorskip(
    "dask.distributed", reason="Dask is not installed: pip install 'aidstats[cluster]'"
)


def test_dask_cluster_build_equals_the_local_build(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    auto = ROOT / "tests" / "data" / "auto"
    from aidstats.intake import add_article

    paths = ProjectPaths(root)
    add_article(paths, auto / "sd-shule-2022.txt", title="鲁疏同心", published="2022-11")
    local = compute_tables(paths, run=RunOptions(jobs=1, cache=False))
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        assert len(cluster.workers) == 2
        on_dask = compute_tables(
            paths, run=RunOptions(scheduler=cluster.scheduler_address, cache=False)
        )
        assert on_dask.work is not None and on_dask.work.mode == "dask"
        assert on_dask.work.text_runs == 3
    for name, df in local.frames.items():
        pd.testing.assert_frame_equal(on_dask.frames[name], df, check_exact=True, obj=name)


def test_a_batch_whose_worker_dies_is_run_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker process that dies mid-batch loses nothing: Dask reschedules its batch on a
    live worker, and the build's tables equal a local build's."""
    import aidstats.runners
    from dask_faults import dies_once

    root = tmp_path / "project"
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    paths = ProjectPaths(root)
    local = compute_tables(paths, run=RunOptions(jobs=1, cache=False))
    marker = tmp_path / "died"
    monkeypatch.setenv("AIDSTATS_DIE_ONCE", str(marker))  # before the workers start
    monkeypatch.setattr(aidstats.runners, "run_batch", dies_once)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        on_dask = compute_tables(
            paths, run=RunOptions(scheduler=cluster.scheduler_address, cache=False)
        )
    assert marker.exists(), "no worker died: the test tested nothing"
    assert on_dask.work is not None and on_dask.work.mode == "dask"
    for name, df in local.frames.items():
        pd.testing.assert_frame_equal(on_dask.frames[name], df, check_exact=True, obj=name)
