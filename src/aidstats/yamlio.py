"""Reading the human layer's YAML files with one-line errors that name the file and line.

Every file of data/raw/ is small and hand-written, so anything unusual is refused before
it can cost memory or time: documents over :data:`MAX_BYTES`, YAML anchors and aliases
(``&x`` / ``*x``: an "alias bomb" of a few lines expands to gigabytes), the same key
given twice in one mapping (YAML silently keeps the last) and nesting deeper than
:data:`MAX_DEPTH`. :func:`read_document` also records the line of every entry and field,
so validation errors can point at them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from aidstats.errors import AidstatsError

MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 12
# libyaml's loader when PyYAML was built with it (it usually is): same results, faster
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# '&name' or '*name' where YAML reads an anchor or alias: after a line start, indentation,
# '- ', ': ', '? ', '[', '{' or ','. Candidates are confirmed by the parser's events, so an
# asterisk in a formula or an ampersand in a note is never refused.
_ANCHOR_CANDIDATE = re.compile(r"(?:^|[\s\[{,])[&*][^\s,\[\]{}]", re.MULTILINE)


@dataclass(frozen=True)
class Document:
    """A parsed YAML file and the 1-based line of every entry and field in it."""

    path: Path
    data: Any
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict)

    def line(self, *loc: Any) -> int | None:
        """The line of the deepest recorded part of ``loc`` (``("figures", 3, "quote")``)."""
        for end in range(len(loc), -1, -1):
            found = self.lines.get(tuple(str(p) if isinstance(p, str) else p for p in loc[:end]))
            if found is not None:
                return found
        return None


def _fail(path: Path, line: int | None, problem: str) -> AidstatsError:
    where = f" line {line}:" if line is not None else ""
    return AidstatsError(f"{path}:{where} {problem}")


def _read_text(path: Path, *, what: str) -> str:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise AidstatsError(f"{path}: is a folder, not the {what} file; move it away")
        if size > MAX_BYTES:
            raise AidstatsError(
                f"{path}: {size:,} bytes is more than a {what} file may have "
                f"({MAX_BYTES:,}); check it is the right file, or split it"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise AidstatsError(f"{path}: {what} not found") from None
    except OSError as exc:
        raise AidstatsError(f"{path}: cannot read the {what} ({exc.strerror})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AidstatsError(f"{path}: {what} is not UTF-8; re-save it as UTF-8") from None


def _refuse_anchors(path: Path, text: str) -> None:
    """Stop at the first anchor or alias, found from the parser's events (no values built)."""
    if not _ANCHOR_CANDIDATE.search(text):
        return
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            mark = f"*{event.anchor}"
        elif getattr(event, "anchor", None):
            mark = f"&{event.anchor}"
        else:
            continue
        raise _fail(
            path,
            event.start_mark.line + 1,
            f"YAML anchor or alias '{mark}' is not allowed; write the value out in full",
        )


def _walk(path: Path, root: yaml.Node) -> dict[tuple[Any, ...], int]:
    """Lines of every mapping key and list item; refuses duplicate keys and deep nesting."""
    lines: dict[tuple[Any, ...], int] = {}
    todo: list[tuple[tuple[Any, ...], yaml.Node]] = [((), root)]
    while todo:
        loc, node = todo.pop()
        if len(loc) > MAX_DEPTH:
            raise _fail(
                path,
                node.start_mark.line + 1,
                f"nested more than {MAX_DEPTH} levels deep; no aidstats file needs that",
            )
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                name = str(key.value) if isinstance(key, yaml.ScalarNode) else repr(key.value)
                line = key.start_mark.line + 1
                if name in seen:
                    raise _fail(
                        path,
                        line,
                        f"key '{name}' is given twice in one entry (first on line "
                        f"{seen[name]}); keep one",
                    )
                seen[name] = line
                lines[(*loc, name)] = line
                todo.append(((*loc, name), value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[(*loc, index)] = item.start_mark.line + 1
                todo.append(((*loc, index), item))
    return lines


def read_document(path: Path, *, what: str) -> Document:
    """Parse a human-edited YAML file with the checks of the module docstring."""
    text = _read_text(path, what=what)
    try:
        _refuse_anchors(path, text)
        loader = _LOADER(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return Document(path, None)
            lines = _walk(path, node)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        line = mark.line + 1 if mark is not None else None
        raise _fail(path, line, f"invalid YAML ({problem}); fix the syntax") from None
    except RecursionError:
        raise _fail(path, None, "nested too deeply to read; simplify it") from None
    return Document(path, data, lines)


def load_yaml(path: Path, *, what: str) -> Any:
    """Load a human-edited YAML file (see :func:`read_document`), turning every problem
    into a one-line message."""
    return read_document(path, what=what).data
