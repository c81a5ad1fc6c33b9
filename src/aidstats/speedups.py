"""The extractor's compiled build: which modules, where they live, when they are used.

The quantity extractor is plain Python.  When the package is installed, ``hatch_build.py``
also compiles the same files (:data:`MODULES`) with Cython, if a C compiler is there, into
``aidstats/_compiled/`` with a manifest of the sha256 of every source it compiled.  On
import, :func:`activate` puts that folder first on the package's ``__path__``, so that
``aidstats.extract`` and its helpers load compiled, but only when every source still has
the hash recorded at compile time and every compiled file is for this interpreter: an edit
to one of those ``.py`` files is never hidden by a stale compiled module (the plain Python
runs until the package is installed again).  The compiled modules are the same code, so
they give the same mentions (``tests/test_compiled.py``); on text never seen they are
~1.3x faster (``docs/scale.md``).  ``AIDSTATS_PURE_PYTHON=1`` turns them off.

This module is read by the build hook as a file, so it imports nothing from aidstats.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

__all__ = [
    "ENV_OFF",
    "FOLDER",
    "HELPERS",
    "MANIFEST",
    "MODULES",
    "activate",
    "source_hashes",
    "status",
]

#: The modules compiled, in the order the extractor imports them.
MODULES = (
    "numerals",
    "extract_spec",
    "extract_analysis",
    "extract_ranges",
    "extract_quick",
    "extract",
)
#: Modules written for the compiled build alone (``.pyx``, no plain-Python twin): the
#: plain-Python code does without them (``extract._scan`` makes Quantity objects itself).
HELPERS = ("_slots",)
FOLDER = "_compiled"  # beside this file
MANIFEST = "manifest.json"  # {"sources": {module: sha256 of its .py}}
ENV_OFF = "AIDSTATS_PURE_PYTHON"

_STATUS: list[str] = ["python: not activated"]


def source_hashes(package_dir: Path) -> dict[str, str]:
    """The sha256 of each compiled module's source in ``package_dir``: its ``.py`` and,
    if there is one, the ``.pxd`` beside it that gives Cython C types; a helper's ``.pyx``."""
    hashes = {}
    for name in MODULES:
        digest = hashlib.sha256((package_dir / f"{name}.py").read_bytes())
        pxd = package_dir / f"{name}.pxd"
        if pxd.is_file():
            digest.update(b"\0" + pxd.read_bytes())
        hashes[name] = digest.hexdigest()
    for name in HELPERS:
        hashes[name] = hashlib.sha256((package_dir / f"{name}.pyx").read_bytes()).hexdigest()
    return hashes


def _why_not(package_dir: Path) -> str | None:
    """Why the compiled folder of ``package_dir`` must not be used, or None if it may."""
    if os.environ.get(ENV_OFF, "") not in ("", "0"):
        return f"{ENV_OFF} is set"
    folder = package_dir / FOLDER
    try:
        recorded = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["sources"]
    except (OSError, ValueError, KeyError, TypeError):
        return "not compiled at install (no C compiler, or built without it)"
    try:
        current = source_hashes(package_dir)
    except OSError as exc:
        return f"a source is missing: {exc}"
    changed = sorted(name for name in current if recorded.get(name) != current[name])
    if changed:
        return f"{', '.join(changed)} changed since compiled: run `pip install -e .` again"
    suffix = EXTENSION_SUFFIXES[0]  # e.g. .cpython-311-x86_64-linux-gnu.so
    missing = [n for n in (*MODULES, *HELPERS) if not (folder / f"{n}{suffix}").is_file()]
    if missing:
        return f"not compiled for this Python ({suffix}): {', '.join(missing)}"
    return None


def activate(package_path: list[str], *, record: bool = True) -> str:
    """Put the compiled folder first on ``package_path`` (the package's ``__path__``) if
    it may be used; return the status ("compiled" or "python: why"), and remember it as
    this process's (:func:`status`) unless ``record`` is false."""
    package_dir = Path(package_path[0])
    why = _why_not(package_dir)
    if why is None:
        package_path.insert(0, str(package_dir / FOLDER))
    found = "compiled" if why is None else f"python: {why}"
    if record:
        _STATUS[0] = found
    return found


def status() -> str:
    """How the extractor runs in this process: "compiled", or "python: " and why."""
    return _STATUS[0]
