"""Reading the human layer's YAML files with one-line errors that name the file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from aidstats.errors import AidstatsError


def load_yaml(path: Path, *, what: str) -> Any:
    """Load a human-edited YAML file, turning syntax errors into a one-line message."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise AidstatsError(f"{path}: {what} not found") from None
    try:
        return yaml.safe_load(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise AidstatsError(f"{path}: {what} is not UTF-8; re-save it as UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise AidstatsError(f"{path}:{where}: invalid YAML ({problem}); fix the syntax") from None
