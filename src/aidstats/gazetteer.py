"""Gazetteer and glossary: who gives, who receives, which programme, and what a term means.

Two hand-edited reference files in ``data/raw/`` (documented in ``data/raw/README.md``):

- ``gazetteer.yaml``: the donor provinces and cities of paired aid to Xinjiang, Xinjiang's
  regions, prefectures, counties and XPCC divisions, who aids whom, and named programmes;
- ``glossary.yaml``: Chinese aid and statistics terms with their English table headers.

Both are validated on load by pydantic models (unknown fields, missing fields, wrong types,
duplicate names, an alias claimed by two entries and YAML anchors are errors, reported in
one line naming the file, the entry, the field and the fix). ``Gazetteer.find`` locates
every donor, recipient and programme named in a text, leftmost-longest, with one compiled
trie-shaped regex; ``Glossary.english`` labels a term, composing it from whole entries when
it is not listed itself.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, ClassVar, Literal, NoReturn

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from aidstats.errors import AidstatsError

Kind = Literal["donor", "recipient", "programme"]
SECTIONS = ("donors", "donor_cities", "recipients", "pairings", "programmes")
# Built-in exceptions (regex fragments that may not follow a name), by the name's last
# character: 市场 (market), 区域 (region), 师范 (teacher-training college), 师傅 (master).
SUFFIX_NOT_BEFORE = {"市": ("场",), "区": ("域",), "师": ("范", "傅")}
# A county's bare name (莎车, 阿瓦提: no 县/市) is not matched before 乡 or 镇, where it names
# a township (阿瓦提乡 is in 伽师县); 乡村 and 乡镇 still count (沙雅乡村振兴).
ADMIN_SUFFIXES = frozenset("省市县区州师盟旗团")
BARE_COUNTY_NOT_BEFORE = ("乡(?![村镇])", "镇")
# Quotation marks of every style match each other: names are matched on folded text.
_QUOTES = re.compile("[“”‘’「」『』＂＇']")
_CJK = re.compile(r"[\u3400-\u9fff]")
# Which parent levels each recipient level may have.
PARENT_LEVELS = {
    "region": ("region",),
    "prefecture": ("region", "prefecture"),
    "county": ("prefecture",),
    "division": ("region",),
}


# libyaml's loader when PyYAML was built with it (it usually is); same results, ~10x faster
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _fold(text: str) -> str:
    # one character for one, so offsets into the folded text are offsets into the text
    return _QUOTES.sub('"', text)


# ---------------------------------------------------------------------------- models


def _clean_text(value: str) -> str:
    if not value or value != value.strip():
        raise ValueError("must be non-empty text without leading or trailing spaces")
    return value


Text = Annotated[str, AfterValidator(_clean_text)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class _Named(_Strict):
    """Fields every gazetteer entry with a name shares."""

    min_alias_length: ClassVar[int] = 2

    name: Text
    en: Text
    aliases: list[Text] = Field(default_factory=list)
    not_before: list[Text] = Field(default_factory=list)
    note: Text | None = None

    @field_validator("name")
    @classmethod
    def _no_inner_space(cls, value: str) -> str:
        if any(ch.isspace() for ch in value):
            raise ValueError(f"'{value}' contains a space; write the name without spaces")
        return value

    @field_validator("aliases")
    @classmethod
    def _alias_length(cls, value: list[str]) -> list[str]:
        for alias in value:
            if len(alias) < cls.min_alias_length:
                raise ValueError(
                    f"alias '{alias}' is shorter than {cls.min_alias_length} characters; "
                    "single characters match inside ordinary words, so remove it"
                )
        return value


class DonorEntry(_Named):
    """A donor province, municipality or city of 对口援疆 (the 19 of the programme)."""

    min_alias_length: ClassVar[int] = 1

    level: Literal["province", "municipality", "city"]
    abbreviation: Text | None = None


class DonorCityEntry(_Named):
    """A city inside a donor province that runs paired aid of its own."""

    province: Text


class RecipientEntry(_Named):
    """A recipient area: region, prefecture-level unit, county-level unit or XPCC division."""

    level: Literal["region", "prefecture", "county", "division"]
    parent: Text | None = None
    area: Literal["南疆", "北疆", "东疆"] | None = None
    city: Text | None = None


class PairingEntry(_Strict):
    """Who aids whom: one donor (or donor city) and the recipients it is paired with."""

    donor: Text
    recipients: list[Text] = Field(min_length=1)
    note: Text | None = None


class ProgrammeEntry(_Named):
    """A named aid programme."""

    description: Text
    donor: Text | None = None
    part_of: Text | None = None


class GazetteerFile(_Strict):
    """The whole of ``gazetteer.yaml``."""

    donors: list[DonorEntry]
    donor_cities: list[DonorCityEntry] = Field(default_factory=list)
    recipients: list[RecipientEntry]
    pairings: list[PairingEntry] = Field(default_factory=list)
    programmes: list[ProgrammeEntry] = Field(default_factory=list)


def _check_term_zh(value: str) -> str:
    if len(value) < 2 or any(ch.isspace() for ch in value):
        raise ValueError(
            "a term must be at least two characters without spaces "
            "(single characters would let compound labels turn to gibberish)"
        )
    return value


def _check_term_en(value: str) -> str:
    _clean_text(value)
    if _CJK.search(value):
        raise ValueError("the English contains Chinese characters; translate them")
    return value


class GlossaryFile(_Strict):
    """The whole of ``glossary.yaml``: a ``terms:`` mapping of Chinese to English."""

    terms: dict[
        Annotated[str, AfterValidator(_check_term_zh)],
        Annotated[str, AfterValidator(_check_term_en)],
    ]


Entry = DonorEntry | DonorCityEntry | RecipientEntry | ProgrammeEntry


# ---------------------------------------------------------------------------- YAML reading


def _read_yaml(path: Path) -> Any:
    """Parse a reference file strictly: no anchors or aliases, no key given twice."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise AidstatsError(f"{path}: file not found; check the path") from None
    except UnicodeDecodeError:
        raise AidstatsError(f"{path}: not UTF-8; re-save it as UTF-8") from None
    try:
        root = yaml.compose(text, Loader=_YAML_LOADER)
        anchor = next(_anchors(text), None)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}:" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise AidstatsError(f"{path}:{where} invalid YAML ({problem}); fix the syntax") from None
    if root is None:
        return None
    if anchor is not None:
        line, mark = anchor
        raise AidstatsError(
            f"{path}: {_locate(root, line)}: YAML anchor or alias '{mark}' (line {line + 1}) "
            "is not allowed; write the value out in full"
        )
    duplicate = _duplicate_key(root)
    if duplicate is not None:
        key, first, second = duplicate
        raise AidstatsError(
            f"{path}: {_locate(root, second)}: '{key}' is given twice (lines {first + 1} "
            f"and {second + 1}); keep one"
        )
    return yaml.load(text, Loader=_YAML_LOADER)  # a safe loader: plain data only


def _anchors(text: str) -> Iterator[tuple[int, str]]:
    for event in yaml.parse(text, Loader=_YAML_LOADER):
        if isinstance(event, yaml.AliasEvent):
            yield event.start_mark.line, f"*{event.anchor}"
        elif getattr(event, "anchor", None):
            yield event.start_mark.line, f"&{event.anchor}"


def _duplicate_key(node: yaml.Node) -> tuple[str, int, int] | None:
    """The first key given twice in one mapping: (key, first line, second line)."""
    seen: dict[str, int] = {}
    for child in node.value if isinstance(node, yaml.CollectionNode) else []:
        if isinstance(node, yaml.MappingNode):
            key, child = child
            if isinstance(key, yaml.ScalarNode) and key.value in seen:
                return key.value, seen[key.value], key.start_mark.line
            seen[getattr(key, "value", "")] = key.start_mark.line
        if found := _duplicate_key(child):
            return found
    return None


def _child_at(node: yaml.Node, line: int) -> tuple[int, str | None, yaml.Node] | None:
    """(position, key or None, child) of the mapping pair or list item holding ``line``."""
    if isinstance(node, yaml.MappingNode):
        items = [(k.start_mark.line, k.value, v) for k, v in node.value]
    elif isinstance(node, yaml.SequenceNode):
        items = [(v.start_mark.line, None, v) for v in node.value]
    else:
        return None
    hits = [(i, key, child) for i, (start, key, child) in enumerate(items) if start <= line]
    return hits[-1] if hits else None


def _locate(root: yaml.Node, line: int) -> str:
    """Name the section, entry and field that hold ``line`` of a composed document."""
    section = _child_at(root, line)
    if section is None:
        return f"line {line + 1}"
    entry = _child_at(section[2], line)
    if entry is None:
        return str(section[1])
    index, term, item = entry
    fields = {k.value: v for k, v in item.value} if isinstance(item, yaml.MappingNode) else {}
    label = term or getattr(fields.get("name") or fields.get("donor"), "value", None)
    where = f"{section[1]} #{index + 1}" + (f" ({label})" if label else "")
    field = _child_at(item, line) if term is None else None
    return where + (f": field '{field[1]}'" if field else "")


# ---------------------------------------------------------------------------- error lines

_FIXES = {
    "missing": "add it",
    "string_type": "write it as text",
    "list_type": "write it as a list, e.g. [a, b]",
    "dict_type": "write it as a mapping of fields",
    "model_type": "write it as a mapping of fields",
    "too_short": "give at least one",
    "literal_error": "use one of those",
}


def _entry_label(doc: Any, section: str, index: Any) -> str:
    items = doc.get(section) if isinstance(doc, dict) else None
    label = f"{section} #{index + 1}" if isinstance(index, int) else section
    if isinstance(items, list) and isinstance(index, int) and index < len(items):
        item = items[index]
        name = item.get("name") or item.get("donor") if isinstance(item, dict) else None
        if name:
            label += f" ({name})"
    return label


def _error_line(path: Path, exc: ValidationError, doc: Any, allowed: Iterable[str]) -> str:
    """Turn the first pydantic error into one line: file, entry, field, fix."""
    err = exc.errors(include_url=False)[0]
    loc, kind = err["loc"], err["type"]
    msg = str(err["msg"]).removeprefix("Value error, ")
    if len(loc) == 1:
        if kind == "extra_forbidden":
            return f"{path}: unknown top-level key '{loc[0]}'; use {', '.join(SECTIONS)}"
        if kind == "missing":
            return f"{path}: missing top-level '{loc[0]}:' list; add it"
        return f"{path}: top-level '{loc[0]}': {msg}; {_FIXES.get(kind, 'fix it')}"
    section, index = str(loc[0]), loc[1]
    if section == "terms":
        where = f"{path}: terms #{_term_index(doc, index)} ({index})"
        field = "zh" if loc[-1] == "[key]" else "en"
    elif len(loc) == 2:
        return f"{path}: {_entry_label(doc, section, index)}: {msg}; write it as a mapping"
    else:
        where = f"{path}: {_entry_label(doc, section, index)}"
        field = str(loc[2]) + "".join(f"[{p + 1}]" for p in loc[3:] if isinstance(p, int))
    if kind == "extra_forbidden":
        fields = ", ".join(allowed)
        return f"{where}: unknown field '{field}'; remove it or use one of: {fields}"
    if kind == "missing":
        return f"{where}: field '{field}' is missing; add it"
    if kind == "value_error":
        return f"{where}: field '{field}': {msg}"
    got = err.get("input")
    return f"{where}: field '{field}': {msg}, got {got!r}; {_FIXES.get(kind, 'fix the value')}"


def _term_index(doc: Any, term: Any) -> int:
    terms = doc.get("terms") if isinstance(doc, dict) else None
    keys = list(terms) if isinstance(terms, dict) else []
    return keys.index(term) + 1 if term in keys else 0


def _allowed_fields(section: str) -> list[str]:
    model = GazetteerFile.model_fields[section].annotation.__args__[0]  # type: ignore[union-attr]
    return list(model.model_fields)


# ---------------------------------------------------------------------------- references


@dataclass(frozen=True, slots=True)
class _Row:
    section: str
    index: int
    entry: Any

    def fail(self, path: Path, field: str, problem: str) -> NoReturn:
        name = getattr(self.entry, "name", None) or getattr(self.entry, "donor", "")
        where = f"{path}: {self.section} #{self.index + 1} ({name})"
        raise AidstatsError(f"{where}: field '{field}': {problem}")

    def require(self, path: Path, field: str, value: str, known: Mapping[str, Any]) -> None:
        if value not in known:
            self.fail(path, field, f"'{value}' is not a known name; use an entry's canonical name")


def _rows(data: GazetteerFile, *sections: str) -> Iterator[_Row]:
    for section in sections:
        for index, entry in enumerate(getattr(data, section)):
            yield _Row(section, index, entry)


def _surfaces(entry: Entry) -> list[tuple[str, str]]:
    """(field, surface form) for the name, every alias and a division's city."""
    forms = [("name", entry.name)] + [("aliases", alias) for alias in entry.aliases]
    if isinstance(entry, RecipientEntry) and entry.city:
        forms.append(("city", entry.city))
    return forms


def _check_names(data: GazetteerFile, path: Path) -> None:
    """Every canonical name once, every surface form claimed by exactly one entry."""
    names: dict[str, _Row] = {}
    claimed: dict[str, _Row] = {}
    for row in _rows(data, "donors", "donor_cities", "recipients", "programmes"):
        if (other := names.setdefault(row.entry.name, row)) is not row:
            where = f"{other.section} #{other.index + 1}"
            row.fail(path, "name", f"'{row.entry.name}' is already the name of {where}; merge")
        surfaces = _surfaces(row.entry)
        for field, form in surfaces:
            if (other := claimed.setdefault(_fold(form), row)) is not row:
                where = f"{other.section} #{other.index + 1} ({other.entry.name})"
                row.fail(path, field, f"'{form}' is already claimed by {where}; an alias may "
                         "belong to one entry only, so remove it from one of them")  # fmt: skip
        if len({_fold(form) for _, form in surfaces}) < len(surfaces):
            row.fail(path, "aliases", "a form is listed twice or repeats the name; keep one")


def _check_references(data: GazetteerFile, path: Path) -> None:
    """Parents, provinces, pairings and programme donors point at existing entries."""
    _check_names(data, path)
    donors = {d.name: d for d in data.donors}
    donor_like = {**donors, **{c.name: c for c in data.donor_cities}}
    recipients = {r.name: r for r in data.recipients}
    for row in _rows(data, "donor_cities"):
        row.require(path, "province", row.entry.province, donors)
        if donors[row.entry.province].level == "city":
            row.fail(path, "province", f"'{row.entry.province}' is a city; name the province")
    for row in _rows(data, "recipients"):
        _check_recipient(row, path, recipients)
    seen_donors: set[str] = set()
    for row in _rows(data, "pairings"):
        row.require(path, "donor", row.entry.donor, donor_like)
        if row.entry.donor in seen_donors:
            row.fail(path, "donor", "this donor has a pairing row already; merge the two rows")
        seen_donors.add(row.entry.donor)
        for recipient in row.entry.recipients:
            row.require(path, "recipients", recipient, recipients)
        if len(set(row.entry.recipients)) != len(row.entry.recipients):
            row.fail(path, "recipients", "a recipient is listed twice; keep one")
    programmes = {p.name: p for p in data.programmes}
    for row in _rows(data, "programmes"):
        if row.entry.donor is not None:
            row.require(path, "donor", row.entry.donor, donor_like)
        if row.entry.part_of is not None:
            row.require(path, "part_of", row.entry.part_of, programmes)
            if row.entry.part_of == row.entry.name:
                row.fail(path, "part_of", "the programme names itself; remove it")


def _check_recipient(row: _Row, path: Path, recipients: Mapping[str, RecipientEntry]) -> None:
    entry: RecipientEntry = row.entry
    if entry.city is not None and entry.level != "division":
        row.fail(path, "city", "only XPCC divisions have a city; make it a county entry")
    if entry.parent is None:
        if entry.level != "region":
            row.fail(path, "parent", f"is missing; every {entry.level} needs one, so add it")
        return
    row.require(path, "parent", entry.parent, recipients)
    allowed = PARENT_LEVELS[entry.level]
    if (parent_level := recipients[entry.parent].level) not in allowed:
        row.fail(path, "parent", f"'{entry.parent}' is a {parent_level}; a {entry.level}'s "
                 f"parent must be a {' or '.join(allowed)}")  # fmt: skip
    seen = {entry.name}
    step: RecipientEntry | None = recipients[entry.parent]
    while step is not None:
        if step.name in seen:
            row.fail(path, "parent", "the parents form a loop; fix one of them")
        seen.add(step.name)
        step = recipients.get(step.parent) if step.parent else None


# ---------------------------------------------------------------------------- matching


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """One donor, recipient or programme named in a text, at ``text[start:end]``."""

    start: int
    end: int
    text: str
    canonical: str
    kind: Kind
    level: str
    parent: str | None


def _not_before(form: str, *, county: bool, extra: Iterable[str]) -> list[str]:
    """Regex fragments that may not follow ``form``: the entry's own and the built-in ones."""
    guards = [re.escape(g) for g in extra] + list(SUFFIX_NOT_BEFORE.get(form[-1], ()))
    if county and form[-1] not in ADMIN_SUFFIXES:
        guards += BARE_COUNTY_NOT_BEFORE
    return guards


def _trie_regex(forms: Mapping[str, list[str]]) -> re.Pattern[str]:
    """One regex for every surface form, shaped as a trie so a match is the longest form.

    Each node tries its children before ending, so the first match found at a position is
    the longest form there whose guard (negative lookahead) passes.
    """
    trie: dict[str, Any] = {}
    for form, guards in forms.items():
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        ahead = "|".join(sorted(set(guards), key=lambda g: (-len(g), g)))
        node[""] = f"(?!{ahead})" if ahead else ""

    def pattern(node: dict[str, Any]) -> str:
        alternatives = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            alternatives.append(node[""])
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"

    return re.compile(pattern(trie) if trie else r"(?!)")


class Gazetteer:
    """Donors, recipient areas, pairings and programmes, with a fast name finder."""

    def __init__(self, data: GazetteerFile) -> None:
        self.data = data
        self._entries: dict[str, Entry] = {}
        self._targets: dict[str, dict[str, Any]] = {}  # folded form → PlaceMatch fields
        forms: dict[str, list[str]] = {}
        for entry, fields in self._targets_of(data):
            self._entries[entry.name] = entry
            county = fields["level"] == "county"
            for _, form in _surfaces(entry):
                folded = _fold(form)
                self._targets[folded] = {"canonical": entry.name, **fields}
                forms[folded] = _not_before(folded, county=county, extra=entry.not_before)
        self._pattern = _trie_regex(forms)
        self._pairings = {p.donor: tuple(p.recipients) for p in data.pairings}

    @staticmethod
    def _targets_of(data: GazetteerFile) -> Iterator[tuple[Entry, dict[str, Any]]]:
        """Each entry with the PlaceMatch fields it gives."""
        for d in data.donors:
            yield d, {"kind": "donor", "level": d.level, "parent": None}
        for c in data.donor_cities:
            yield c, {"kind": "donor", "level": "city", "parent": c.province}
        for r in data.recipients:
            yield r, {"kind": "recipient", "level": r.level, "parent": r.parent}
        for p in data.programmes:
            yield p, {"kind": "programme", "level": "programme", "parent": p.part_of}

    def find(self, text: str) -> list[PlaceMatch]:
        """Every donor, recipient and programme named in ``text``, leftmost-longest."""
        return [
            PlaceMatch(start=m.start(), end=m.end(), text=text[m.start() : m.end()], **target)
            for m in self._pattern.finditer(_fold(text))
            for target in (self._targets[m.group()],)
        ]

    def resolve(self, name: str) -> str | None:
        """The canonical name for a canonical name, alias or division city; else None."""
        target = self._targets.get(_fold(name))
        return target["canonical"] if target else None

    def entry(self, canonical: str) -> Entry | None:
        """The entry behind a canonical name (an alias works too)."""
        resolved = self.resolve(canonical)
        return self._entries.get(resolved) if resolved else None

    def donor_of_city(self, name: str) -> str | None:
        """The programme-level donor of a donor city (嘉兴市 → 浙江省); a donor is its own."""
        entry = self.entry(name)
        if isinstance(entry, DonorCityEntry):
            return entry.province
        if isinstance(entry, DonorEntry):
            return entry.name
        return None

    def recipients_of(self, donor: str) -> list[str]:
        """The recipients a donor or donor city is paired with, as listed in pairings."""
        resolved = self.resolve(donor)
        return list(self._pairings.get(resolved, ())) if resolved else []

    def donors_of(self, recipient: str) -> list[str]:
        """Donors paired with a recipient or with a unit containing it, nearest first."""
        found: list[str] = []
        for unit in self._ancestry(recipient):
            direct = [d for d, rs in self._pairings.items() if unit in rs and d not in found]
            direct.sort(key=lambda d: not isinstance(self._entries[d], DonorCityEntry))
            found.extend(direct)
        return found

    def prefecture_of(self, county: str) -> str | None:
        """The prefecture of a county-level unit; a prefecture is its own; else None."""
        for unit in self._ancestry(county):
            if self._entries[unit].level == "prefecture":  # type: ignore[union-attr]
                return unit
        return None

    def _ancestry(self, name: str) -> list[str]:
        entry = self.entry(name)
        chain: list[str] = []
        while isinstance(entry, RecipientEntry):
            chain.append(entry.name)
            entry = self._entries.get(entry.parent) if entry.parent else None
        return chain

    @property
    def entries(self) -> Mapping[str, Entry]:
        """Every entry by canonical name."""
        return MappingProxyType(self._entries)

    @property
    def surface_forms(self) -> Mapping[str, str]:
        """Every matched form (quotes folded to '"') → its canonical name."""
        return MappingProxyType({form: t["canonical"] for form, t in self._targets.items()})


# ---------------------------------------------------------------------------- glossary


class Glossary:
    """Chinese aid and statistics terms → English table headers."""

    def __init__(self, terms: Mapping[str, str]) -> None:
        self._terms = dict(terms)
        self._longest = max((len(t) for t in self._terms), default=0)

    def __len__(self) -> int:
        return len(self._terms)

    def __contains__(self, term: object) -> bool:
        return term in self._terms

    @property
    def terms(self) -> Mapping[str, str]:
        return MappingProxyType(self._terms)

    def english(self, term_zh: str) -> str | None:
        """English for a term: the entry itself, else its entries in order, else None.

        A term not listed is split into as few listed terms as possible that together
        spell it exactly (longest first among equals), and their English is joined in
        the same order: 消费帮扶销售额 → "consumption aid sales". None when any part of
        the term is not covered.
        """
        if term_zh in self._terms:
            return self._terms[term_zh]
        parts = self.segment(term_zh)
        return " ".join(self._terms[p] for p in parts) if parts else None

    def segment(self, text: str) -> list[str] | None:
        """The fewest glossary terms that spell ``text`` exactly, or None.

        Among covers with equally few terms, the one whose first term is longest wins.
        """
        n = len(text)
        best: list[list[str] | None] = [None] * n + [[]]  # best[i]: a cover of text[i:]
        for i in range(n - 1, -1, -1):
            covers = [
                [text[i:j], *rest]
                for j in range(min(n, i + self._longest), i + 1, -1)
                if text[i:j] in self._terms and (rest := best[j]) is not None
            ]
            best[i] = min(covers, key=len) if covers else None
        return best[0] or None


# ---------------------------------------------------------------------------- loading


def _mtime_key(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise AidstatsError(f"{path}: file not found; check the path") from None
    return str(path.resolve()), stat.st_mtime_ns, stat.st_size


def load_gazetteer(path: Path | str) -> Gazetteer:
    """Load and validate ``gazetteer.yaml`` (cached per path and modification time)."""
    return _load_gazetteer(*_mtime_key(Path(path)))


def load_glossary(path: Path | str) -> Glossary:
    """Load and validate ``glossary.yaml`` (cached per path and modification time)."""
    return _load_glossary(*_mtime_key(Path(path)))


@functools.lru_cache(maxsize=8)
def _load_gazetteer(path_str: str, _mtime: int, _size: int) -> Gazetteer:
    path = Path(path_str)
    doc = _read_yaml(path)
    if not isinstance(doc, dict):
        raise AidstatsError(f"{path}: expected top-level keys {', '.join(SECTIONS)}; add them")
    for section in SECTIONS:
        if section in doc and doc[section] is None:
            doc[section] = []
    try:
        data = GazetteerFile.model_validate(doc)
    except ValidationError as exc:
        loc = exc.errors()[0]["loc"]
        section = str(loc[0]) if loc and loc[0] in SECTIONS else "donors"
        raise AidstatsError(_error_line(path, exc, doc, _allowed_fields(section))) from None
    _check_references(data, path)
    return Gazetteer(data)


@functools.lru_cache(maxsize=8)
def _load_glossary(path_str: str, _mtime: int, _size: int) -> Glossary:
    path = Path(path_str)
    doc = _read_yaml(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("terms"), dict):
        raise AidstatsError(f"{path}: expected a top-level 'terms:' mapping of zh: en; add it")
    try:
        data = GlossaryFile.model_validate(doc)
    except ValidationError as exc:
        raise AidstatsError(_error_line(path, exc, doc, ["terms"])) from None
    return Glossary(data.terms)
