"""Loading a human-layer file: parse, validate every row, and fail in one line.

A failure names the file, the line, the row (its number and id), the field and the fix:

    data/raw/registry.yaml: line 212: figure #17 (jx-sales-2022): field 'period_end':
    '2023-13' is not a real date; write a quoted date such as "2021" or "2021-08"
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, NoReturn, TypeVar

from pydantic import ValidationError

from aidstats.errors import AidstatsError
from aidstats.human.models import FILES, Row
from aidstats.yamlio import Document, read_document

R = TypeVar("R", bound=Row)

# what to do about a value pydantic rejected, by error type
_FIXES = {
    "string_type": "write it as text on one line",
    "bool_type": "write true or false",
    "int_type": "write a whole number",
    "int_from_float": "write a whole number",
    "float_type": "write a number",
    "list_type": "write a list such as [a, b]",
    "dict_type": "write a mapping of fields",
    "model_type": "write a mapping of fields",
    "model_attributes_type": "write a mapping of fields",
    "greater_than_equal": "fix the number",
    "less_than_equal": "fix the number",
    "string_too_long": "shorten it",
    "too_long": "shorten it",
    "too_short": "give at least one",
}
# a better fix for some fields
_HINTS = {
    "dac_code": "write a 3-digit OECD DAC sector code such as 121 (data/raw/README.md)",
    "include_in_totals": "write true or false",
    "all_occurrences": "write true or false",
    "period_start": 'write a quoted date such as "2021" or "2021-08"',
    "period_end": 'write a quoted date such as "2021" or "2021-08"',
    "published": 'write a quoted date such as "2022" or "2022-04-28"',
    "id": "write the id the pattern allows",
    "figure_id": "use lower-case letters, digits and '-' only",
    "parent_figure": "use lower-case letters, digits and '-' only",
}


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _field(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        elif part != "[key]":
            out += ("." if out else "") + str(part)
    return out


@dataclass(frozen=True)
class Table(Generic[R]):
    """The validated rows of one file, with what is needed to point at any of them."""

    doc: Document
    section: str
    model: type[R]
    rows: list[R]
    raw: list[Any]

    @property
    def path(self) -> Path:
        return self.doc.path

    def where(self, index: int, loc: tuple[Any, ...] = ()) -> str:
        """``file: line N: figure #i (id)`` and the field, for row ``index`` (0-based)."""
        line = self.doc.line(self.section, index, *loc)
        item = self.raw[index] if index < len(self.raw) else None
        ident = item.get(self.model.ident) if isinstance(item, dict) else None
        name = ""
        if isinstance(ident, str) and ident.strip():
            plain = ident.isprintable() and len(ident) <= 80
            name = f" ({ident})" if plain else f" ({_show(ident)})"
        text = f"{self.path}: line {line}: {self.model.label} #{index + 1}{name}"
        return text + (f": field '{_field(loc)}'" if loc else "")

    def fail(self, index: int, field: str | None, problem: str) -> NoReturn:
        """Stop at row ``index`` (and ``field``) with ``problem`` (which says the fix)."""
        raise AidstatsError(f"{self.where(index, (field,) if field else ())}: {problem}")

    def unique(self, field: str, *, fix: str) -> None:
        """Stop at the second row that repeats ``field``."""
        first: dict[Any, int] = {}
        for index, row in enumerate(self.rows):
            value = getattr(row, field)
            if value in first:
                other = first[value]
                line = self.doc.line(self.section, other)
                self.fail(
                    index,
                    field,
                    f"duplicate {field} {value!r}, already used by {self.model.label} "
                    f"#{other + 1} (line {line}); {fix}",
                )
            first[value] = index


def records(table: Table[Any]) -> list[dict[str, Any]]:
    """The rows as plain dicts, each with the ``line`` it starts on (for later messages)."""
    return [
        {**row.model_dump(), "line": table.doc.line(table.section, index)}
        for index, row in enumerate(table.rows)
    ]


def _row_error(table: Table[Any], index: int, exc: ValidationError) -> AidstatsError:
    err = exc.errors(include_url=False)[0]
    loc, kind = tuple(err["loc"]), err["type"]
    msg = str(err["msg"]).removeprefix("Value error, ")
    got = err.get("input")
    if kind == "extra_forbidden":
        allowed = ", ".join(table.model.model_fields)
        problem = f"unknown field; remove it or use one of: {allowed}"
    elif kind == "missing" and len(loc) == 1:
        return AidstatsError(f"{table.where(index)}: missing {loc[0]}; add it")
    elif kind == "missing":
        problem = "is missing; add it"
    elif kind == "value_error":
        name = next((p for p in reversed(loc) if isinstance(p, str)), "")
        problem = msg if "; " in msg else f"{msg}; {_HINTS.get(name, 'fix the value')}"
    elif kind == "literal_error":
        options = msg.removeprefix("Input should be ")
        problem = f"{_show(got)} is not one of {options}; use one of those"
    else:
        name = next((p for p in reversed(loc) if isinstance(p, str)), "")
        fix = _HINTS.get(name) or _FIXES.get(kind, "fix the value")
        problem = f"{msg[:1].lower()}{msg[1:]}, got {_show(got)}; {fix}"
    if not loc and kind == "value_error":
        return AidstatsError(f"{table.where(index)}: {problem}")
    return AidstatsError(f"{table.where(index, loc)}: {problem}")


def _no_entries(problem: str, required: bool) -> list[Any]:
    """No entries: none for an optional file; for a required one, stop with ``problem``."""
    if required:
        raise AidstatsError(problem)
    return []


def _top_level(doc: Document, section: str, *, required: bool) -> list[Any]:
    path, data = doc.path, doc.data
    if data is None:
        return _no_entries(f"{path}: is empty; it needs a top-level '{section}:' list", required)
    if not isinstance(data, dict):
        raise AidstatsError(
            f"{path}: line 1: expected a top-level '{section}:' list, got a "
            f"{type(data).__name__}; start the file with '{section}:'"
        )
    for key in data:
        if key != section:
            raise AidstatsError(
                f"{path}: line {doc.line(str(key))}: unknown top-level key {key!r}; the file "
                f"holds one '{section}:' list"
            )
    items = data.get(section)
    if items is None:
        return _no_entries(f"{path}: '{section}:' is empty; add at least one entry", required)
    if not isinstance(items, list):
        raise AidstatsError(
            f"{path}: line {doc.line(section)}: '{section}:' must be a list of entries, each "
            "starting with '- '"
        )
    return items


def load_rows(path: Path, kind: str, *, what: str, required: bool = False) -> Table[Any]:
    """Parse and validate every row of one human-layer file (``kind`` as in ``FILES``)."""
    section, model = FILES[kind]
    doc = read_document(path, what=what)
    items = _top_level(doc, section, required=required)
    table: Table[Any] = Table(doc, section, model, [], items)
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise AidstatsError(
                f"{table.where(index)}: must be a mapping of fields, got {_show(item)}; "
                f"write it as '- {next(iter(model.model_fields))}: …' with one field a line"
            )
        bad = next((k for k in item if not isinstance(k, str)), None)
        if bad is not None:
            table.fail(index, str(bad), "field names are text; fix the name")
        try:
            table.rows.append(model.model_validate(item))
        except ValidationError as exc:
            raise _row_error(table, index, exc) from None
    return table


def empty_table(path: Path, kind: str) -> Table[Any]:
    """The table of an optional file that does not exist: no rows."""
    section, model = FILES[kind]
    return Table(Document(path, None), section, model, [], [])


def find_cycle(parents: dict[str, str | None], start: str) -> list[str] | None:
    """The cycle of ``parents`` links reached from ``start``, if any (as a path)."""
    chain, node = [start], parents.get(start)
    while node is not None:
        if node in chain:
            return [*chain[chain.index(node) :], node]
        chain.append(node)
        node = parents.get(node)
    return None
