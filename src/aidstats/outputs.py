"""Writing data/processed/: deterministic files, published all at once.

A build writes every output into a staging folder beside ``data/processed/`` and only
swaps it in when everything succeeded, so a failed or interrupted run leaves the
previous outputs intact. Writers fix everything that could vary between runs (line
ends, float formatting, JSON key order), so the same input gives byte-identical files.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """UTF-8 CSV with LF line ends and no index."""
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def write_parquet(df: pd.DataFrame, path: Path) -> Path:
    """Parquet without the pandas index."""
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_parquet(path, index=False, engine="pyarrow", compression="zstd")
    return path


def write_text(text: str, path: Path) -> Path:
    """UTF-8 text with the line ends as given (no platform translation)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def write_json(data: Any, path: Path) -> Path:
    """Pretty, key-ordered UTF-8 JSON (Chinese kept as characters)."""
    return write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n", path)


def write_table(df: pd.DataFrame, folder: Path, name: str) -> list[Path]:
    """``name.csv`` and ``name.parquet`` in ``folder``."""
    return [write_csv(df, folder / f"{name}.csv"), write_parquet(df, folder / f"{name}.parquet")]


@contextlib.contextmanager
def staged_directory(target: Path) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces ``target`` whole.

    On any exception the staging folder is removed and ``target`` is left untouched.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    keep = target / ".gitkeep"
    if keep.exists():
        shutil.copy2(keep, stage / ".gitkeep")
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        os.replace(target, old)
    os.replace(stage, target)
    shutil.rmtree(old, ignore_errors=True)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename, readable by all
    (0644, like the files written directly; the temporary file starts as 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
