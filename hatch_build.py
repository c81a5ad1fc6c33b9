"""Build hook: compile the quantity extractor with Cython when a C compiler is there.

The extractor's modules (``aidstats.speedups.MODULES``) are plain Python; this hook
compiles the same files into ``aidstats/_compiled/`` with a manifest of their sources'
sha256, which ``aidstats.speedups`` checks before loading them (see its docstring).  In
an editable install the folder is written into ``src/aidstats/`` (git ignores it); in a
wheel it is packed beside the sources.  If compiling fails (no compiler, no Python
headers) the install goes on with a warning and the pure-Python extractor runs, so the
package installs anywhere.  ``AIDSTATS_PURE_PYTHON=1`` skips compiling.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

ROOT = Path(__file__).resolve().parent
PACKAGE = ROOT / "src" / "aidstats"
# Cython directives: the annotations are documentation, not C types (so a dict
# subclass passes where ``dict`` is annotated, exactly as in Python).
DIRECTIVES = {"language_level": 3, "annotation_typing": False, "binding": True}


def _speedups() -> ModuleType:
    """aidstats.speedups, loaded from its file (the package is not importable here)."""
    spec = importlib.util.spec_from_file_location("_aidstats_speedups", PACKAGE / "speedups.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def compile_extractor(speed: ModuleType, out: Path) -> list[Path]:
    """Compile the extractor's modules (``speed`` is aidstats.speedups) into the folder
    ``out`` (made afresh), with the manifest; return the files written."""
    from Cython.Build import cythonize
    from setuptools import Distribution, Extension

    hashes = speed.source_hashes(PACKAGE)  # before compiling: what was compiled
    with tempfile.TemporaryDirectory(prefix="aidstats-cython-") as tmp:
        work = Path(tmp)
        modules = [
            Extension(f"aidstats.{name}", [str(PACKAGE / f"{name}.py")]) for name in speed.MODULES
        ] + [
            Extension(f"aidstats.{name}", [str(PACKAGE / f"{name}.pyx")]) for name in speed.HELPERS
        ]
        jobs = max(1, min(len(modules), os.cpu_count() or 1))
        extensions = cythonize(
            modules, build_dir=str(work / "c"), compiler_directives=DIRECTIVES, quiet=True
        )
        dist = Distribution({"name": "aidstats-compiled", "ext_modules": extensions})
        command: Any = dist.get_command_obj("build_ext")
        command.build_lib = str(work / "lib")
        command.build_temp = str(work / "obj")
        command.parallel = jobs
        command.ensure_finalized()
        command.run()
        staged = work / "staged"
        staged.mkdir()
        for built in (work / "lib" / "aidstats").iterdir():
            shutil.copy2(built, staged / built.name)
        manifest = {"sources": hashes}
        (staged / speed.MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", "utf-8")
        _replace_folder(staged, out)
    return sorted(out.iterdir())


def _replace_folder(staged: Path, out: Path) -> None:
    """Make ``out`` a copy of ``staged`` at once: the copy is made beside the project
    (``build/``, same file system) and renamed into place, so that an interrupted install
    or a process importing aidstats meanwhile never sees a half-written folder (at worst
    none, and then the plain Python runs)."""
    spare = ROOT / "build"
    spare.mkdir(exist_ok=True)
    new, old = spare / f"compiled-new-{os.getpid()}", spare / f"compiled-old-{os.getpid()}"
    for leftover in (new, old):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(staged, new)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.rename(old)
    new.rename(out)
    shutil.rmtree(old, ignore_errors=True)


class CustomBuildHook(BuildHookInterface):
    """Compiles the extractor into the wheel (or into ``src/`` for an editable install)."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        speed = _speedups()
        if os.environ.get(speed.ENV_OFF, "") not in ("", "0"):
            self.app.display_info(f"aidstats: {speed.ENV_OFF} is set, extractor not compiled")
            return
        editable = version == "editable"
        out = PACKAGE / speed.FOLDER if editable else ROOT / "build" / "compiled"
        try:
            files = compile_extractor(speed, out)
        except Exception as exc:  # any failure: install the pure-Python extractor
            self.app.display_warning(
                f"aidstats: the extractor was not compiled ({type(exc).__name__}: {exc}); "
                "the pure-Python extractor runs (slower on text never seen)"
            )
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if not editable:
            for path in files:
                build_data["force_include"][str(path)] = f"aidstats/{speed.FOLDER}/{path.name}"
        self.app.display_info(f"aidstats: extractor compiled ({len(files) - 1} modules)")
