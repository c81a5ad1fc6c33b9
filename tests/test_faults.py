"""Publishing data/processed/ survives kills, full disks, mount points and other people's files.

The kill tests start a build in a subprocess, kill it (SIGKILL or SIGTERM) at a random
moment and check that data/processed/ holds the complete old or the complete new output
(after the recovery any next build runs first), that foreign files are untouched and that
the next build leaves no staging folder, journal or temporary file behind.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import aidstats
from aidstats import outputs
from aidstats.build import build
from aidstats.cli import main
from aidstats.errors import AidstatsError
from aidstats.paths import ProjectPaths

SRC = str(Path(aidstats.__file__).resolve().parents[1])
ENV = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
FOREIGN = {"mynotes/notes.txt": b"my own notes\n", "reports/01_overview.html": b"<html></html>\n"}
BOOKKEEPING = {outputs.LOCK_NAME, outputs.MANIFEST_NAME}

# A stand-in build: the real publishing code with small files and a slowed os.replace,
# so that a kill lands inside the commit as often as inside the writing.
PUBLISHER = """
import os, signal, sys, time
from pathlib import Path
from aidstats import outputs

def terminate(signum, frame):
    raise KeyboardInterrupt  # as the command line does

signal.signal(signal.SIGTERM, terminate)
real_replace = os.replace
def slow_replace(src, dst):
    time.sleep(0.003)
    real_replace(src, dst)
os.replace = slow_replace
target, version = Path(sys.argv[1]), sys.argv[2]
names = [f"t{i:02d}.csv" for i in range(30 if version == "B" else 40)]
names += [f"charts/c{i}.html" for i in range(10)]
names += [f"u{i}.csv" for i in range(10)] if version == "B" else []
print("ready", flush=True)
try:
    with outputs.publishing(target) as stage:
        for name in names:
            (stage / name).parent.mkdir(exist_ok=True)
            (stage / name).write_text(f"{version} {name}\\n" * 50)
            time.sleep(0.002)
        print("staged", flush=True)
except KeyboardInterrupt:
    sys.exit(143)
"""


def _digests(folder: Path) -> dict[str, str]:
    """Digest of every file except the lock and the manifest (which a kill may leave)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in BOOKKEEPING
    }


def _visible(digests: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in digests.items() if not k.startswith(".")}


def _leftovers(processed: Path) -> list[str]:
    names = [p.name for p in processed.iterdir() if p.name.startswith(".")]
    names += [p.name for p in processed.parent.iterdir() if p.name.startswith(".")]
    return sorted(set(names) - BOOKKEEPING)


def _add_foreign(processed: Path) -> None:
    for rel, data in FOREIGN.items():
        (processed / rel).parent.mkdir(parents=True, exist_ok=True)
        (processed / rel).write_bytes(data)


def _check_after_kill(processed: Path, old: dict[str, str], new: dict[str, str]) -> str:
    """The state a kill left: the old or new output, or a committed journal that recovery
    completes. Returns which, after recovery."""
    if not (processed / outputs.JOURNAL_NAME).exists():
        assert _visible(_digests(processed)) in (_visible(old), _visible(new))
    with outputs.build_lock(processed):
        outputs.recover(processed)
    state = _digests(processed)
    assert state in (old, new), sorted(set(state.items()) ^ set(new.items()))[:6]
    assert _leftovers(processed) == []
    for rel, data in FOREIGN.items():
        assert (processed / rel).read_bytes() == data
    return "old" if state == old else "new"


def _kill_at(proc: subprocess.Popen[str], sig: int, delay: float) -> None:
    time.sleep(delay)
    if proc.poll() is None:
        proc.send_signal(sig)
    proc.wait(timeout=60)


@pytest.fixture(scope="module")
def versions(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Path, Path, Path, float]]:
    """A project whose processed/ holds version A (saved aside) while raw/ gives version B,
    and how long a build took."""
    root = tmp_path_factory.mktemp("faults") / "project"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "raw", root / "data" / "raw")
    paths = ProjectPaths(root)
    _add_foreign(paths.processed)
    build(paths)
    saved_a = root.parent / "A"
    shutil.copytree(paths.processed, saved_a, symlinks=True)
    registry = paths.registry.read_text(encoding="utf-8")
    paths.registry.write_text(
        registry.replace("note: ", "note: (B) ", 1), encoding="utf-8", newline=""
    )
    seconds = build(paths).seconds
    saved_b = root.parent / "B"
    shutil.copytree(paths.processed, saved_b, symlinks=True)
    yield root, saved_a, saved_b, seconds


def _restore(processed: Path, saved: Path) -> None:
    shutil.rmtree(processed)
    shutil.copytree(saved, processed, symlinks=True)


@pytest.mark.slow
def test_killed_real_builds_leave_old_or_new_outputs(
    versions: tuple[Path, Path, Path, float],
) -> None:
    root, saved_a, saved_b, seconds = versions
    duration = seconds + 2.0  # a build in a fresh process also imports pandas, plotly …
    processed = root / "data" / "processed"
    old, new = _digests(saved_a), _digests(saved_b)
    assert _visible(old) != _visible(new)
    rng = random.Random(20261129)
    for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGKILL):
        _restore(processed, saved_a)
        proc = subprocess.Popen(
            [sys.executable, "-m", "aidstats.cli", "build", "--root", str(root)],
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        _kill_at(proc, sig, rng.uniform(0.3, duration))
        if sig == signal.SIGTERM:  # a terminated build cleans up after itself
            assert "Traceback" not in (proc.stderr.read() if proc.stderr else "")
            assert not [p for p in processed.iterdir() if p.name.startswith(".aidstats-stage")]
        if proc.stderr:
            proc.stderr.close()
        _check_after_kill(processed, old, new)
    _restore(processed, saved_a)
    assert main(["build", "--root", str(root)]) == 0
    assert _digests(processed) == new and _leftovers(processed) == []


def _publisher(target: Path, version: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", PUBLISHER, str(target), version],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _publish(target: Path, version: str) -> dict[str, str]:
    proc = _publisher(target, version)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    return _digests(target)


@pytest.mark.slow
def test_kills_inside_the_commit_leave_old_or_new_outputs(tmp_path: Path) -> None:
    target = tmp_path / "processed"
    _add_foreign(target)
    new = _publish(target, "B")
    old = _publish(target, "A")
    saved = tmp_path / "A"
    shutil.copytree(target, saved)
    rng = random.Random(7)
    seen = set()
    for trial in range(12):
        _restore(target, saved)
        sig = signal.SIGKILL if trial % 2 else signal.SIGTERM
        proc = _publisher(target, "B")
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
        if trial % 3:  # wait for the staged files, then kill inside the commit
            assert proc.stdout.readline() == "staged\n"
            _kill_at(proc, sig, rng.uniform(0.0, 0.25))
        else:  # kill while the files are being written
            _kill_at(proc, sig, rng.uniform(0.0, 0.15))
        err = proc.stderr.read() if proc.stderr else ""
        proc.stdout.close()
        if proc.stderr:
            proc.stderr.close()
        if sig == signal.SIGTERM:
            # handled (143), or arrived after the publish, while Python was exiting (-15)
            assert "Traceback" not in err and proc.returncode in (0, 143, -sig), err
            assert (target / outputs.JOURNAL_NAME).exists() is False
            assert not [p for p in target.iterdir() if p.name.startswith(".aidstats-stage")]
        seen.add(_check_after_kill(target, old, new))
    assert seen == {"old", "new"}  # the kills hit both sides of the commit
    assert _publish(target, "B") == new and _leftovers(target) == []


def test_concurrent_builds_publish_one_after_the_other(tmp_path: Path) -> None:
    target = tmp_path / "processed"
    first = _publish(target, "A")
    procs = [_publisher(target, v) for v in ("B", "A")]
    for proc in procs:
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    assert _digests(target) in (first, _publish(tmp_path / "other", "B"))
    assert _leftovers(target) == []


# ---------------------------------------------------------------------------- in process


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build's outputs, copied into each test that needs a built project."""
    root = tmp_path_factory.mktemp("built") / "project"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "raw", root / "data" / "raw")
    build(ProjectPaths(root))
    return root / "data" / "processed"


@pytest.fixture
def done(project: ProjectPaths, built: Path) -> ProjectPaths:
    """A project copy with its outputs built."""
    shutil.rmtree(project.processed)
    shutil.copytree(built, project.processed)
    return project


def test_build_keeps_files_it_did_not_write_and_drops_its_stale_ones(done: ProjectPaths) -> None:
    _add_foreign(done.processed)
    (done.processed / "old_table.csv").write_text("a\n1\n", encoding="utf-8")
    manifest = done.processed / outputs.MANIFEST_NAME
    listed = outputs.published_files(done.processed)
    manifest.write_text(json.dumps({"files": [*listed, "old_table.csv"]}), encoding="utf-8")
    build(done)
    for rel, data in FOREIGN.items():
        assert (done.processed / rel).read_bytes() == data
    assert not (done.processed / "old_table.csv").exists()
    assert outputs.published_files(done.processed) == listed


def test_leftovers_of_killed_old_style_builds_are_cleaned(done: ProjectPaths) -> None:
    """Builds before per-file publishing swapped folders beside data/processed/: a kill
    between the two renames left no data/processed/ (the old one waits as .processed.old-PID),
    and a stale .processed.old-<this PID> made every later build fail."""
    _add_foreign(done.processed)
    data = done.processed.parent
    os.replace(done.processed, data / ".processed.old-4242")
    (data / ".processed.new-abc123").mkdir()
    (data / ".processed.new-abc123" / "figures.csv").write_text("half", encoding="utf-8")
    stale_old = data / f".processed.old-{os.getpid()}"  # the same PID as this build
    stale_old.mkdir()
    (stale_old / "figures.csv").write_text("old", encoding="utf-8")
    assert main(["--root", str(done.root), "build"]) == 0
    for rel, content in FOREIGN.items():  # the old folder came back, with its foreign files
        assert (done.processed / rel).read_bytes() == content
    assert _leftovers(done.processed) == []
    (done.processed / f"{outputs.STAGE_PREFIX}99-deadbeef").mkdir()  # a killed new-style build
    assert main(["--root", str(done.root), "build"]) == 0
    assert _leftovers(done.processed) == []


def test_build_works_when_processed_is_a_mount_point(
    done: ProjectPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace, real_rename = os.replace, os.rename
    target = str(done.processed)

    def refuse_mount_point(real):  # type: ignore[no-untyped-def]
        def call(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
            if target in (os.fspath(src), os.fspath(dst)):
                raise OSError(errno.EBUSY, "Device or resource busy", os.fspath(src))
            return real(src, dst, *args, **kwargs)

        return call

    monkeypatch.setattr(os, "replace", refuse_mount_point(real_replace))
    monkeypatch.setattr(os, "rename", refuse_mount_point(real_rename))
    _add_foreign(done.processed)
    before = _digests(done.processed)
    assert main(["--root", str(done.root), "build"]) == 0
    assert _digests(done.processed) == before  # same input: same files, foreign ones kept


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aidstats: error: "), err
    return lines[0]


def test_full_disk_is_one_line_and_keeps_the_old_outputs(
    done: ProjectPaths, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _digests(done.processed)
    real = outputs.write_parquet
    calls = []

    def full(df: pd.DataFrame, path: Path) -> Path:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(df, path)

    monkeypatch.setattr(outputs, "write_parquet", full)
    assert main(["--root", str(done.root), "build"]) == 1
    line = _one_error_line(capsys)
    assert "disk is full" in line and "free some space" in line
    assert _digests(done.processed) == before and _leftovers(done.processed) == []


def test_read_only_data_folder_is_one_line(
    project: ProjectPaths, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(project.processed)
    data = str(project.root / "data")
    real_mkdir = os.mkdir

    def read_only(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.fspath(path).startswith(data):
            raise OSError(errno.EROFS, "Read-only file system", os.fspath(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", read_only)
    assert main(["--root", str(project.root), "build"]) == 1
    line = _one_error_line(capsys)
    assert "read-only" in line and "processed" in line


def test_outputs_honour_the_umask(project: ProjectPaths, tmp_path: Path) -> None:
    shutil.rmtree(project.processed)
    previous = os.umask(0o027)
    try:
        assert main(["--root", str(project.root), "build"]) == 0
        xlsx = tmp_path / "copy.xlsx"
        assert main(["--root", str(project.root), "export", "--xlsx", str(xlsx)]) == 0
    finally:
        os.umask(previous)
    modes = {p.name: p.stat().st_mode & 0o777 for p in [project.processed, project.charts]}
    assert set(modes.values()) == {0o750}, modes
    files = [project.workbook, project.table("figures"), project.table("figures", "csv"), xlsx]
    files += list(project.charts.glob("*.html"))[:2]
    assert {p.stat().st_mode & 0o777 for p in files} == {0o640}


def test_export_refuses_a_missing_folder(
    project: ProjectPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "nonexistent" / "dir" / "x.xlsx"
    assert main(["--root", str(project.root), "export", "--xlsx", str(target)]) == 1
    assert "does not exist" in _one_error_line(capsys)
    assert not (tmp_path / "nonexistent").exists()


# ---------------------------------------------------------------------------- reading


def test_read_table_names_a_damaged_file(done: ProjectPaths) -> None:
    path = done.table("figures")
    frame = outputs.read_table(path)
    assert len(frame) == len(pd.read_csv(done.table("figures", "csv")))
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(AidstatsError, match=r"figures\.parquet: damaged Parquet.*aidstats build"):
        outputs.read_table(path)
    path.unlink()
    path.mkdir()
    with pytest.raises(AidstatsError, match=r"is a folder, not a Parquet file.*aidstats build"):
        outputs.read_table(path)
    path.rmdir()
    with pytest.raises(AidstatsError, match=r"not found; run `aidstats build`"):
        outputs.read_table(path)


def test_read_table_finishes_an_interrupted_publish(tmp_path: Path) -> None:
    target = tmp_path / "processed"
    stage = target / f"{outputs.STAGE_PREFIX}1-ab"
    stage.mkdir(parents=True)
    pd.DataFrame({"a": [1, 2]}).to_parquet(stage / "t.parquet")
    journal = json.dumps({"stage": stage.name, "files": ["t.parquet"], "stale": []})
    (target / outputs.JOURNAL_NAME).write_text(journal, encoding="utf-8")
    assert outputs.read_table(target / "t.parquet")["a"].tolist() == [1, 2]
    assert not stage.exists() and not (target / outputs.JOURNAL_NAME).exists()
