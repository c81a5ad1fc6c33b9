"""The per-article cache of a build (``data/cache/``): keys, and atomic files.

A cached result is valid for exactly the inputs that made it, so each key is a sha256 of

- the article's sha256 and the catalog fields the stage reads,
- the code that made it: the package version, the Python and pandas versions, and the
  source of every aidstats module the stage imports, followed transitively
  (:func:`code_fingerprint`), so an edit to ``extract.py`` invalidates the mentions but
  an edit to ``charts/`` invalidates nothing,
- for the labels, also the content of ``labelling.yaml``, ``gazetteer.yaml`` and
  ``glossary.yaml`` and the key of the text stage.

Entries are zlib-compressed pickles under ``data/cache/<stage>/<key[:2]>/<key>.pkl``,
written to a temporary file and renamed, so an interrupted build leaves only whole
entries (a rerun starts where it stopped). Nothing ever needs to be invalidated by hand;
delete ``data/cache/`` to reclaim the space of old entries. The cache holds only what
this machine computed from data/raw/ (never load a cache folder from elsewhere: pickles
run code when read).
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
import json
import os
import pickle
import platform
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from aidstats._version import __version__
from aidstats.errors import AidstatsError
from aidstats.outputs import atomic_write_bytes
from aidstats.paths import ProjectPaths

# The modules each stage runs, and so the code its cache entries depend on.
TEXT_ROOTS = ("aidstats.corpus", "aidstats.clean", "aidstats.mentions", "aidstats.text_tables")
LABEL_ROOTS = ("aidstats.auto.figures",)
STAGE_MODULE = "aidstats.perarticle"  # how stage results are shaped: part of both keys
COMPRESSION = 1  # zlib level: fast; cache entries shrink about 4x


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ModuleNotFoundError, ValueError):
        return False


def _statements(nodes: list[Any]) -> Iterator[ast.AST]:
    """Every statement in ``nodes`` and in the blocks nested in them (an import is a
    statement, so expressions need not be walked: ~3x faster than ``ast.walk``)."""
    for node in nodes:
        yield node
        for block in ("body", "orelse", "finalbody", "handlers", "cases"):
            inner = getattr(node, block, None)
            if isinstance(inner, list):
                yield from _statements(inner)


_IMPORT_LINE = re.compile(rb"^[ \t]*(?:from|import)[ \t]+aidstats\b.*$", re.MULTILINE)


def _import_statements(source: bytes) -> list[ast.stmt]:
    """The statements of ``source`` that import aidstats modules, at any depth.

    Only the lines that start such an import are parsed (with their parenthesised
    continuation): parsing whole modules was ~0.07 s of every build. Anything the
    shortcut cannot parse is parsed in full, so nothing is missed."""
    lines = []
    for match in _IMPORT_LINE.finditer(source):
        line = match.group().strip()
        if line.endswith(b"(") or (b"(" in line and b")" not in line):
            end = source.find(b")", match.end())
            line += b" " + b" ".join(source[match.end() : end + 1].split())
        lines.append(line)
    try:
        return ast.parse(b"\n".join(lines)).body
    except SyntaxError:
        return list(_statements(ast.parse(source).body))


def _source(module: str) -> Path | None:
    """The ``.py`` file of ``module``, or None.  A module of the compiled extractor
    (aidstats.speedups) is loaded from its compiled file; its source is the ``.py`` it was
    compiled from, which aidstats.speedups has checked to be unchanged since."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return None
    origin = Path(spec.origin)
    if origin.suffix == ".py":
        return origin
    parent, _, last = module.rpartition(".")
    parent_spec = importlib.util.find_spec(parent) if parent else None
    folders = parent_spec.submodule_search_locations if parent_spec else None
    for folder in folders or ():
        candidate = Path(folder) / f"{last}.py"
        if candidate.is_file():
            return candidate
    return None


def _imports(module: str) -> set[str]:
    """The aidstats modules ``module`` imports (anywhere in its source)."""
    source = _source(module)
    if source is None:
        return set()
    found = set()
    for node in _import_statements(source.read_bytes()):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("aidstats")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("aidstats"):
            found.add(str(node.module))  # and `from aidstats.auto import figures`:
            found |= {s for a in node.names if _is_module(s := f"{node.module}.{a.name}")}
    return found


def module_closure(roots: Iterable[str]) -> list[str]:
    """``roots`` and every aidstats module they import, transitively, sorted."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += sorted(_imports(name) - seen)
    return sorted(seen)


@functools.cache
def code_fingerprint(roots: tuple[str, ...]) -> str:
    """A hash of the code the modules ``roots`` run (see the module docstring)."""
    import pandas

    digest = hashlib.sha256()
    for part in (__version__, platform.python_version(), pandas.__version__):
        digest.update(part.encode() + b"\0")
    for name in [*module_closure(roots), STAGE_MODULE]:  # the stage module alone, not its imports
        source = _source(name)
        if source is not None:
            digest.update(name.encode() + b"\0" + source.read_bytes() + b"\0")
    return digest.hexdigest()


def dictionary_fingerprint(paths: ProjectPaths) -> str:
    """A hash of the labeller's data: labelling.yaml, gazetteer.yaml, glossary.yaml."""
    digest = hashlib.sha256()
    for path in (paths.labelling, paths.gazetteer, paths.glossary):
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"(missing)")
    return digest.hexdigest()


def key(*parts: object) -> str:
    """A sha256 of JSON-able parts (order matters)."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


TEXT_FIELDS = ("id", "title", "subtitle", "byline", "published")
LABEL_FIELDS = ("id", "title", "published", "donor", "recipient")


def text_key(entry: dict[str, Any], sha256: str) -> str:
    """The key of an article's stage 1 (text, paragraphs, blocks, mentions)."""
    fields = {f: entry.get(f) for f in TEXT_FIELDS}
    return key("text", code_fingerprint(TEXT_ROOTS), sha256, fields)


def label_key(entry: dict[str, Any], text: str, dictionaries: str) -> str:
    """The key of an article's stage 2 (auto labels), given its stage-1 key."""
    fields = {f: entry.get(f) for f in LABEL_FIELDS}
    return key("labels", code_fingerprint(LABEL_ROOTS), dictionaries, text, fields)


class WorkCache:
    """Stage results by key under one folder; ``folder=None`` caches nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _path(self, stage: str, digest: str) -> Path:
        assert self.folder is not None
        # one join, not four `/`: a build asks for 2,000 entries at 1,000 articles
        return Path(os.path.join(self.folder, stage, digest[:2], f"{digest}.pkl"))

    def get(self, stage: str, digest: str) -> Any | None:
        """The stored result, or None when absent (or unreadable: it is then redone)."""
        if self.folder is None:
            return None
        # a plain str path and open(): Path objects cost ~40 µs an entry, 2,000 entries a build
        name = os.path.join(self.folder, stage, digest[:2], f"{digest}.pkl")
        try:
            with open(name, "rb") as fh:
                return pickle.loads(zlib.decompress(fh.read()))
        except FileNotFoundError:
            return None
        except Exception:  # a damaged entry is a miss, never an error
            return None

    def put(self, stage: str, digest: str, value: Any) -> None:
        """Store ``value`` atomically (a whole file or none). The cache only saves time:
        when it cannot be written (read-only or full disk) the build goes on without it,
        and the outputs' own write reports the problem if it has the same cause."""
        if self.folder is None:
            return
        data = zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), COMPRESSION)
        try:
            atomic_write_bytes(self._path(stage, digest), data)
        except (OSError, AidstatsError):
            self.folder = None  # stop trying for the rest of this build
