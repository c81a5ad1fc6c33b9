"""Writing data/processed/: deterministic files, published so that a crash loses nothing.

Writers fix everything that could vary between runs (line ends, float formatting, JSON
key order), so the same input gives byte-identical files. Files and folders are created
with the permissions the umask gives (0644 and 0755 under the usual 0022), and text a
spreadsheet would run as a formula is neutralised in CSV as in the workbook.

**Publishing.** A build owns only the files it writes, never the folder: data/processed/
may also hold a person's notes or ``aidstats report``'s ``reports/``, and it may be a
mount point (a container volume), which cannot be renamed. So instead of swapping the
folder, a build

1. takes a cross-process lock (``data/processed/.aidstats.lock``, filelock);
2. finishes or removes what a killed build left (:func:`recover`);
3. writes every output into a staging folder *inside* data/processed/ and fsyncs it;
4. commits: writes a journal naming the staged files and the stale ones (in the previous
   build's manifest but not written now), fsynced and renamed into place in one step;
5. moves each staged file over its target with ``os.replace`` (atomic per file), removes
   the stale files, writes the new manifest and deletes the journal and the staging folder.

A crash before step 4 leaves the old outputs as they were (the next build deletes the
staging folder); a crash after it is rolled forward from the journal by the next build or
by :func:`read_table`, so data/processed/ is always the complete old or, once recovered,
the complete new output. Ctrl-C and SIGTERM are held back during steps 4-5. A symlinked
``current`` folder switched with one rename would give readers one atomic switch too, but
every output would become a symlink (breaking tools that do not follow links, zips and
Windows checkouts); per-file replacement keeps ordinary files and works on any folder.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import shutil
import signal
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
from filelock import FileLock, Timeout

from aidstats.csvtext import table_csv_parts
from aidstats.errors import AidstatsError
from aidstats.paths import JOURNAL_NAME, MANIFEST_NAME, table_filename

LOCK_NAME = ".aidstats.lock"
STAGE_PREFIX = ".aidstats-stage-"
TEMP_MARK = ".aidstats-tmp-"
LOCK_TIMEOUT = 600.0
# Text a spreadsheet reads as a formula (OWASP's list: = + - @, tab, carriage return).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_FIXES = {
    errno.ENOSPC: "the disk is full; free some space and run the command again",
    errno.EDQUOT: "the disk quota is used up; free some space and run the command again",
    errno.EROFS: "the file system is read-only; make it writable or use --root with a copy",
    errno.EACCES: "permission denied; make it writable or use --root with a writable copy",
    errno.EPERM: "not permitted; make it writable or use --root with a writable copy",
    errno.EBUSY: "it is busy (open elsewhere or a mount point); close it and try again",
    errno.ENOENT: "a folder on the way does not exist; create it first",
    errno.ENOTDIR: "a file stands where a folder is needed; move it away",
    errno.EISDIR: "a folder stands where a file is needed; move it away",
}


def os_error(exc: OSError, *, doing: str) -> AidstatsError:
    """An OSError as one line: what failed, on which file, and what to do."""
    where = f" {exc.filename}" if exc.filename else ""
    fix = _FIXES.get(exc.errno or 0, "check the path and its permissions")
    reason = exc.strerror or type(exc).__name__
    return AidstatsError(f"cannot {doing}:{where}: {reason}; {fix}")


# ---------------------------------------------------------------------------- writers


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells starting with = + - @ (or tab, CR) begin with ``'``.

    Spreadsheets run such a cell as a formula when the CSV is opened; the apostrophe is
    what Excel itself shows for text typed that way. Numbers are never touched.
    """
    out = df.copy(deep=False)  # copy-on-write: the columns replaced below are new ones
    for col in out.columns:
        values = out[col]
        if isinstance(values.dtype, pd.StringDtype):  # vectorised: every cell is text or NA
            risky = values.str.startswith(FORMULA_START).fillna(False).astype(bool)
            if risky.any():
                out[col] = values.where(~risky, "'" + values)
            continue
        if values.dtype.kind != "O":
            continue
        risky = [isinstance(v, str) and v.startswith(FORMULA_START) for v in values]
        if any(risky):
            out[col] = [f"'{v}" if r else v for v, r in zip(values, risky, strict=True)]
    return out


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """UTF-8 CSV with LF line ends and no index; formula-like text neutralised.

    The bytes are ``to_csv``'s; :func:`aidstats.csvtext.table_csv` builds them column-wise
    where it can promise that, pandas writes the rest.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    safe = neutralise_formulas(df)
    parts = table_csv_parts(safe)
    if parts is None:
        safe.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        return path
    header, rows = parts
    with open(path, "wb") as fh:
        fh.write(header)
        if rows is not None:
            fh.write(rows)  # the Arrow buffer itself: no copy into Python bytes
    return path


def write_parquet(df: pd.DataFrame, path: Path) -> Path:
    """Parquet without the pandas index (text kept verbatim)."""
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
    return [
        write_csv(df, folder / table_filename(name, "csv")),
        write_parquet(df, folder / table_filename(name, "parquet")),
    ]


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via an fsynced temporary file beside it and a rename.

    A new file gets the permissions the umask gives; a replaced file keeps its own.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    tmp = path.with_name(f".{path.name}{TEMP_MARK}{os.getpid()}-{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def remove_temp_files(folder: Path) -> None:
    """Delete the temporary files :func:`atomic_write_bytes` left when killed mid-write."""
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if entry.name.startswith(".") and TEMP_MARK in entry.name and entry.is_file():
                entry.unlink(missing_ok=True)


# ---------------------------------------------------------------------------- reading


def read_table(path: Path) -> pd.DataFrame:
    """A processed Parquet table, finishing an interrupted publish first; a missing, damaged
    or misplaced file is one line saying which file and how to rebuild it."""
    path = Path(path)
    rebuild = "run `aidstats build` to rebuild the processed tables"
    if (path.parent / JOURNAL_NAME).exists():
        with build_lock(path.parent, timeout=60.0):
            recover(path.parent)
    if path.is_dir():
        raise AidstatsError(f"{path}: is a folder, not a Parquet file; remove it and {rebuild}")
    if not path.is_file():
        raise AidstatsError(f"{path}: not found; {rebuild}")
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise AidstatsError(f"{path}: damaged Parquet file ({first}); {rebuild}") from None


# ---------------------------------------------------------------------------- publishing


def _files(folder: Path) -> list[str]:
    """Every file under ``folder`` as a sorted relative POSIX path."""
    out = []
    for dirpath, _dirs, names in os.walk(folder):
        base = Path(dirpath)
        out += [(base / n).relative_to(folder).as_posix() for n in names]
    return sorted(out)


def _fsync(path: Path) -> None:
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() and hasattr(os, "O_DIRECTORY") else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot fsync a folder; the rename still holds
        pass
    finally:
        os.close(fd)


def _safe_relative(rel: Any) -> bool:
    parts = Path(str(rel)).parts
    return (
        isinstance(rel, str) and bool(parts) and not Path(rel).is_absolute() and ".." not in parts
    )


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _manifest(target: Path) -> set[str]:
    data = _read_json(target / MANIFEST_NAME) or {}
    files = data.get("files")
    return {f for f in files if _safe_relative(f)} if isinstance(files, list) else set()


def _remove_empty_parents(path: Path, stop: Path) -> None:
    for parent in path.parents:
        if parent == stop or stop not in parent.parents:
            return
        try:
            parent.rmdir()
        except OSError:
            return


def _apply(target: Path, journal: dict[str, Any]) -> None:
    """Step 5: move the staged files into place, drop stale ones, record the manifest."""
    stage_name = str(journal.get("stage", ""))
    files = [f for f in journal.get("files", []) if _safe_relative(f)]
    stale = [f for f in journal.get("stale", []) if _safe_relative(f)]
    stage = target / stage_name if stage_name.startswith(STAGE_PREFIX) else None
    folders = {target}
    for rel in files:
        src = stage / rel if stage is not None else None
        if src is not None and src.is_file():
            dst = target / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
            folders.add(dst.parent)
    for rel in stale:
        (target / rel).unlink(missing_ok=True)
        _remove_empty_parents(target / rel, target)
    for folder in folders:
        _fsync(folder)
    atomic_write_bytes(target / MANIFEST_NAME, _json_bytes({"files": files}))
    (target / JOURNAL_NAME).unlink(missing_ok=True)
    if stage is not None:
        shutil.rmtree(stage, ignore_errors=True)


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _legacy_score(folder: Path) -> tuple[bool, int, float]:
    try:
        names = [p.name for p in folder.iterdir()]
        return table_filename("figures") in names, len(names), folder.stat().st_mtime
    except OSError:
        return False, 0, 0.0


def _clean_legacy(target: Path) -> None:
    """Leftovers of builds before per-file publishing: the swap folders beside ``target``.
    When ``target`` is missing (killed between the two renames of a swap) the fullest
    ``.old-*`` folder, the previous output, is put back first."""
    parent, name = target.parent, target.name
    try:
        olds = [p for p in parent.glob(f".{name}.old-*") if p.is_dir()]
        news = [p for p in parent.glob(f".{name}.new-*") if p.is_dir()]
    except OSError:
        return
    if olds and not target.exists():
        best = max(olds, key=_legacy_score)
        os.replace(best, target)
        olds.remove(best)
    for leftover in olds + news:
        shutil.rmtree(leftover, ignore_errors=True)


def recover(target: Path) -> None:
    """Finish a committed publish and delete any other staging folders (hold the lock)."""
    journal = _read_json(target / JOURNAL_NAME)
    if journal is not None:
        _apply(target, journal)
    elif (target / JOURNAL_NAME).exists():  # unreadable: it never finished being written
        (target / JOURNAL_NAME).unlink()
    for entry in target.iterdir():
        if entry.name.startswith(STAGE_PREFIX) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
    remove_temp_files(target)


@contextlib.contextmanager
def build_lock(target: Path, *, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the cross-process lock of the outputs folder ``target``."""
    lock = FileLock(target / LOCK_NAME, timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise AidstatsError(
            f"{target}: another aidstats build has been writing here for {timeout:.0f} s "
            f"(lock {target / LOCK_NAME}); wait for it to finish and try again"
        ) from None
    except OSError as exc:
        raise os_error(exc, doing=f"lock the outputs folder {target}") from None
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold back Ctrl-C and SIGTERM until the block ends, then deliver them."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    wanted = [signal.SIGINT] + ([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])
    previous = {s: signal.getsignal(s) for s in wanted}
    for s in wanted:
        if previous[s] is not None:
            signal.signal(s, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        for s, handler in previous.items():
            if handler is not None:
                signal.signal(s, handler)
        for s in caught:
            signal.raise_signal(s)


def _commit(target: Path, stage: Path) -> list[str]:
    """Steps 4 and 5 for a fully written staging folder; returns the published files."""
    files = _files(stage)
    for rel in files:
        _fsync(stage / rel)
    for folder in {(stage / rel).parent for rel in files}:
        _fsync(folder)
    stale = sorted(_manifest(target) - set(files))
    journal = {"stage": stage.name, "files": files, "stale": stale}
    atomic_write_bytes(target / JOURNAL_NAME, _json_bytes(journal))
    _fsync(target)
    _apply(target, journal)
    return files


def _prepare(target: Path) -> None:
    """Create ``target`` (honouring the umask); undo an older build's private 0700 mode."""
    target.mkdir(parents=True, exist_ok=True)
    if not (target / MANIFEST_NAME).exists() and stat.S_IMODE(target.stat().st_mode) == 0o700:
        # builds before per-file publishing renamed a mkdtemp() folder (0700) into place
        os.chmod(target, 0o777 & ~_umask())


@contextlib.contextmanager
def publishing(target: Path, *, timeout: float = LOCK_TIMEOUT) -> Iterator[Path]:
    """Yield an empty staging folder; when the block succeeds its files replace the
    previous build's in ``target`` (see the module docstring). Files of others in
    ``target`` are kept; on any error nothing in ``target`` changes. OS errors become one
    line saying what to do."""
    try:
        _clean_legacy(target)
        _prepare(target)
    except OSError as exc:
        raise os_error(exc, doing=f"create the outputs folder {target}") from None
    with build_lock(target, timeout=timeout):
        committed = False
        stage: Path | None = None
        try:
            recover(target)
            stage = target / f"{STAGE_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
            stage.mkdir()
            yield stage
            with signals_held():
                committed = True
                _commit(target, stage)
        except BaseException as exc:
            if stage is not None and not (committed and (target / JOURNAL_NAME).exists()):
                shutil.rmtree(stage, ignore_errors=True)
            if isinstance(exc, OSError):
                raise os_error(exc, doing=f"write the outputs in {target}") from None
            raise


def published_files(target: Path) -> list[str]:
    """The files the last build wrote into ``target`` (relative paths, from its manifest)."""
    return sorted(_manifest(target))
