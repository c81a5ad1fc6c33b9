"""The quantity extractor: every figure in a Chinese news text, with its span and value.

``extract_quantities(text, published=...)`` returns one :class:`Quantity` per mention of an
amount (4.5亿元, 70余名), percentage (91.7%, 八成), ratio (1:1, 2倍), range (0至18岁),
duration (三年, 6个月) or date (2021年8月13日, 去年底), following the conventions of
``docs/quantity-conventions.md``: the span covers prefix qualifier, number, 多/余, unit
and trailing 以上/左右/上下/开外; values are in base units; bounds follow the qualifier.

The work is split by stage: :mod:`aidstats.extract_regex` builds the master regex from
the word lists of :mod:`aidstats.extract_lexicon`; :mod:`aidstats.extract_analysis` (one
number) and :mod:`aidstats.extract_ranges` (ranges, 三四十人, 数万元) turn one match into a
spec (:mod:`aidstats.extract_spec`); this module scans the text and resolves the context
between mentions.

Why it is built this way
------------------------
The texts are long and mostly CJK, and the extractor must stay fast and linear on any
input (it is judged on articles it has never seen), so:

* ONE compiled master regex, scanned with ``finditer``.  Its first item is a single
  character class (digits, Chinese numerals, 半, 数, the first characters of relative
  years, opening quotes), so the regex engine skips ordinary text in C.  Every repeat is
  possessive or bounded, so nothing backtracks, and a numeral run never starts right
  after a numeral character, so a megabyte of digits or of 一 is one candidate, not a
  million.
* Cheap rejection inside the regex: a lone 一 only opens a candidate before another
  numeral, 个月/小时, 年 or 倍 (一批, 一起, 一系列 never reach Python), a bare 十/百/千/万
  only before a numeral, 余/多, after a qualifier (上万, 逾千) or before a trailing one
  (万人以上), and ordinal 第, idioms and labels are turned down on the few characters
  around the match.
* A range mark that makes no range (1-2-3-…, 2021-08-13-…) yields the first number and
  the scan starts again at the second, so a chain of any length is scanned once.
* Names are not quantities.  The master regex swallows a short quoted span holding a
  numeral and no sentence punctuation (“122”模式, ‘万亩亿元’, “一园一校”), a book title
  (《…》) and a small lexicon of idioms (五花八门, 两个一百年) whole, so nothing inside
  them is read.  The branches are bounded: an unclosed quote stays local, and a long or
  punctuated quotation is speech, whose figures count.  A name is the one match whose
  last group is the first (``m.lastindex == 1``), so the scan passes it by at once, and
  a quotation that is no name is turned away by one test, not a dozen.
* Light Python per candidate: the analysis depends only on the match and three
  characters before / two after it, so it is cached under that window (a bounded dict)
  in the form the scan unpacks fastest (:mod:`aidstats.extract_quick`: a plain tuple, a
  written date already resolved, each with the text of its mention, so that a window
  seen before costs no slicing); the numeric parse (:mod:`aidstats.numerals`) is cached
  too.  A window not seen before that holds one of the commonest forms (an Arabic count
  with a plain unit, with 多/余 or after a qualifier, a year) is read by a few direct
  steps (:func:`~aidstats.extract_quick.quick`) that give exactly what the full analysis
  gives (``tests/test_extract_quick.py`` holds them to it); mentions are built as a
  plain twin of :class:`Quantity` whose class is then set.
* Compiled where a C compiler is there: ``pip install`` compiles this module and its
  helpers, the same files, with Cython (:mod:`aidstats.speedups`, ``hatch_build.py``;
  ~1.3x on text never seen), and the compiled modules load only while every source is
  unchanged; ``_slots.pyx`` then makes the Quantity objects.  The plain Python is the
  reference (``tests/test_compiled.py``).
* Context beyond one candidate is handled while the results are collected: relative
  dates (去年, 同年, 4月28日) against the publication date and the last date mentioned, a
  trailing 以上/左右 shared by a coordination (20000头和50000只以上), and bare numbers that
  take the magnitude and unit of the last member of a list (300、500和800万元).
"""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from aidstats.extract_analysis import analyse
from aidstats.extract_lexicon import CONNECTORS
from aidstats.extract_quick import AbsDate, RelDate, cached_form, iso_date, read_new, with_text
from aidstats.extract_regex import MASTER
from aidstats.extract_spec import CACHE_SPAN, VALUES, DateFound, Found, Skip, Spec, Split
from aidstats.numerals import to_number
from aidstats.speedups import MODULES

__all__ = ["KINDS", "QUALIFIERS", "Quantity", "clear_caches", "extract_quantities"]

KINDS = ("amount", "percent", "ratio", "range", "duration", "date")
QUALIFIERS = ("exact", "over", "near", "approx")


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity mention: ``text == source[start:end]``; see the module docstring."""

    start: int
    end: int
    text: str
    kind: str
    value: float | str | None
    lower: float | None
    upper: float | None
    unit: str | None
    qualifier: str

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (for JSON)."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
            "value": self.value,
            "lower": self.lower,
            "upper": self.upper,
            "unit": self.unit,
            "qualifier": self.qualifier,
        }


# A frozen dataclass's __init__ goes through object.__setattr__ once per field; the
# extractor builds tens of thousands of them per megabyte.  It builds each one as a
# _Draft, a plain class with the same slots (so each field is one fast attribute store),
# then assigns its __class__: CPython allows that between classes of the same layout, and
# the result is an ordinary Quantity (a third of the cost of __init__).
class _Draft:
    """A mutable twin of :class:`Quantity` with the same slots, never returned."""

    __slots__ = Quantity.__slots__


def _make(
    start: int,
    end: int,
    text: str,
    kind: str,
    value: float | str | None,
    lower: float | None,
    upper: float | None,
    unit: str | None,
    qualifier: str,
) -> Quantity:
    """A Quantity built by filling its slots (the fields of the dataclass, in order)."""
    q = _Draft()
    q.start = start
    q.end = end
    q.text = text
    q.kind = kind
    q.value = value
    q.lower = lower
    q.upper = upper
    q.unit = unit
    q.qualifier = qualifier
    q.__class__ = Quantity  # type: ignore[assignment]
    return q  # type: ignore[return-value]


# Compiled by Cython (aidstats.speedups), the stores of _make would go through the generic
# attribute protocol, three times the cost of the interpreter's; the compiled build has a
# C maker that writes the slots directly (aidstats/_slots.pyx), which the scan then uses.
try:  # (a plain import: ``from aidstats import`` would put the whole package in the
    # import closure that keys the build cache, see cache.module_closure)
    import aidstats._slots as _slots  # type: ignore[import-not-found]
except ImportError:  # the plain-Python build
    _new_quantity = None
else:
    _slots.bind(Quantity, Quantity.__slots__)
    _new_quantity = _slots.make


# --------------------------------------------------------------------------- publication


def _publication_year(published: dt.date | str | None) -> int | None:
    """The year of ``published``: a date (or datetime), an ISO string at year, month or
    day precision ("2023", "2023-05", "2023-05-01"), or None."""
    if published is None:
        return None
    if isinstance(published, dt.date):
        return published.year
    if isinstance(published, str):
        parts = published.split("-")
        if (
            1 <= len(parts) <= 3
            and [len(p) for p in parts] == [4, 2, 2][: len(parts)]
            and all(p.isascii() and p.isdigit() for p in parts)
        ):
            month, day = (int(p) for p in [*parts[1:], "01", "01"][:2])
            try:
                return dt.date(int(parts[0]), month, day).year
            except ValueError:
                pass  # an impossible month or day: the message below
        raise ValueError(
            f"published={published!r} is not an ISO date: write YYYY, YYYY-MM or YYYY-MM-DD"
            " (e.g. '2023-05-01') or pass a datetime.date"
        )
    raise TypeError(
        f"published must be a datetime.date, an ISO date string or None, "
        f"not {type(published).__name__}"
    )


# --------------------------------------------------------------------------- the scan

_MISS = object()
_CACHE: dict[Any, Any] = {}
_CACHE_MAX = 65_536  # entries; each key is at most CACHE_SPAN + 5 characters
_LEFT = 3  # characters of context before a match that its analysis may read
_RIGHT = 2  # ... and after it
_RANGE_MARKS = frozenset(["至", "到", "~", "～", "〜", "—", "——", "–", "－", "-"])
_FOUND_ORDER = ("ds", "de", "kind", "value", "lower", "upper", "unit", "qualifier", "lend", "bare")
# _scan unpacks a plain Found in this order (then the text of the mention: with_text)
if Found._fields != (*_FOUND_ORDER, "trail"):
    raise AssertionError("the fields of Found changed: update _scan")


def clear_caches() -> None:
    """Empty every cache of the extractor: the windows, the numeral values and the
    memoised helpers of its modules, so that the next text is read as if none had been
    read before (benchmarks on unseen text; the results never depend on the caches)."""
    _CACHE.clear()
    VALUES.clear()
    for name in MODULES:
        module = importlib.import_module(f"aidstats.{name}")
        for attr in vars(module).values():
            if callable(getattr(attr, "cache_clear", None)):
                attr.cache_clear()


def _spec_for(m: re.Match[str], text: str) -> Spec | None:
    """The spec of a match, cached unless the match is overlong."""
    s, e = m.span()
    lo = max(0, s - _LEFT)
    if e - s > CACHE_SPAN:
        return analyse(m, text[lo:s], text[e : e + _RIGHT])
    key = (s - lo, e - s, text[lo : e + _RIGHT])
    spec = _CACHE.get(key, _MISS)
    if spec is _MISS:
        spec = analyse(m, text[lo:s], text[e : e + _RIGHT])
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[key] = spec
    return spec


def extract_quantities(text: str, *, published: dt.date | str | None = None) -> list[Quantity]:
    """Every quantity mention in ``text``, sorted by start and non-overlapping.

    ``published`` anchors relative dates (去年, 今年5月, 4月28日): a ``datetime.date`` or
    an ISO string at year, month or day precision ("2023", "2023-05", "2023-05-01"); a
    malformed string raises ValueError.  Without it relative dates keep a null value.
    Offsets are Python string indices into ``text``.  Time and memory are linear in the
    length of ``text``.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    pub_year = _publication_year(published)
    # The mentions hold no reference cycles; pausing the cyclic garbage collector while
    # tens of thousands of them are made saves it from rescanning them again and again.
    gc_was_enabled = gc.isenabled()
    if gc_was_enabled:
        gc.disable()
    try:
        return _scan(text, pub_year)
    finally:
        if gc_was_enabled:
            gc.enable()


def _scan(text: str, pub_year: int | None) -> list[Quantity]:
    """The body of :func:`extract_quantities`: one pass of the master regex.

    The common cases (a plain mention, a written or relative date, analysed from the
    cache) are inlined; a month or day without its year (4月28日, 13日: read against the
    dates before it), idioms and shared trailing qualifiers go through :func:`_emit`.  A
    range mark that made no range (1-2-3-…) yields its first number, then the scan starts
    again at the second number, so every character is scanned about once however long
    the chain.
    """
    out: list[Quantity] = []
    bare: dict[int, Decimal] = {}  # index in out -> value, for bare numbers
    # [publication year, year of the last date, month of the last date]
    state: list[int | None] = [pub_year, None, None]
    last_end = 0  # end of the last mention (or swallowed name)
    # local names for the hot loop
    cache, cache_get, cache_max, miss = _CACHE, _CACHE.get, _CACHE_MAX, _MISS
    split_cls, plain, abs_date, rel_date = Split, tuple, AbsDate, RelDate
    iso = iso_date
    draft, quantity, append, read, new = _Draft, Quantity, out.append, read_new, _new_quantity
    n_right = len(text) - _RIGHT
    pos = 0
    while pos >= 0:
        resume, pos = pos, -1
        for m in MASTER.finditer(text, resume):
            if m.lastindex == 1:
                # a quoted name or a title: nothing inside it counts, and the regex goes
                # on after it (no qualifier before a later match reaches back across
                # its closing mark, so the end of the last mention may stay where it is)
                continue
            s, e = m.span()
            if s < last_end:
                continue
            # the analysis depends only on the match and 3/2 characters around it (an
            # overlong match is looked up in vain, then analysed by _spec_for uncached)
            if s >= 3 and e <= n_right:
                key = text[s - 3 : e + 2]
                spec = cache_get(key, miss)
                if spec is miss:
                    if e - s > CACHE_SPAN:
                        spec = with_text(cached_form(_spec_for(m, text)), text, s)
                    else:
                        spec = read(m, text, key, s, e)
                        if len(cache) >= cache_max:
                            cache.clear()
                        cache[key] = spec
            else:
                spec = with_text(cached_form(_spec_for(m, text)), text, s)
            if type(spec) is plain:
                ds, de, kind, value, lower, upper, unit, qual, lend, bare_value, said = spec
                start = s + ds
                end = s + de
                if start < last_end:
                    start = s  # the qualifier belongs to the previous mention
                    said = text[s:end]
                if bare_value is not None:
                    bare[len(out)] = bare_value
                elif bare and lend is not None and len(out) - 1 in bare:
                    _lend(text, out, bare, start, lend, unit, kind)
            elif type(spec) is abs_date:
                de, value, state[1], state[2], said = spec
                start, end = s, s + de
                kind, lower, upper, unit, qual = "date", None, None, None, "exact"
            elif type(spec) is rel_date:
                de, base, delta, month, day, said = spec
                year = state[base]
                value = None if year is None else iso(year + delta, month, day)
                if value is None:
                    state[1] = state[2] = None
                else:
                    state[1], state[2] = year + delta, month  # type: ignore[operator]
                start, end = s, s + de
                kind, lower, upper, unit, qual = "date", None, None, None, "exact"
            elif spec is None:
                continue
            elif type(spec) is split_cls:
                if spec.first is not None:
                    last_end = _emit(text, s, spec.first, out, bare, state, last_end)
                pos = s + spec.offset  # start again at the second number
                break
            else:
                last_end = _emit(text, s, spec, out, bare, state, last_end)
                continue
            if new is not None:  # the compiled build's maker
                q = new(start, end, said, kind, value, lower, upper, unit, qual)
            else:  # _make, inlined
                q = draft()
                q.start = start
                q.end = end
                q.text = said
                q.kind = kind
                q.value = value
                q.lower = lower
                q.upper = upper
                q.unit = unit
                q.qualifier = qual
                q.__class__ = quantity
            append(q)
            last_end = end
    return out


def _emit(
    text: str,
    s: int,
    spec: Found | DateFound | Skip,
    out: list[Quantity],
    bare: dict[int, Decimal],
    state: list[int | None],
    last_end: int,
) -> int:
    """Append the mention of a spec that is not a plain mention (a date, an idiom, a
    shared trailing qualifier) to ``out``; return the new end of the last mention."""
    if isinstance(spec, Skip):
        return max(last_end, s + spec.length)
    start = s + spec.ds
    if start < last_end:
        if s < last_end:
            return last_end
        start = s
    end = s + spec.de
    if spec.__class__ is DateFound:
        if spec.mode == "md" and out:
            spec = _anchor_after_range(text, spec, out, start)
        value = _resolve_date(spec, state)
        out.append(_make(start, end, text[start:end], "date", value, None, None, None, "exact"))
        return end
    q = _make(start, end, text[start:end], spec.kind, spec.value, spec.lower, spec.upper,
              spec.unit, spec.qualifier)  # fmt: skip
    if spec.bare is not None:
        bare[len(out)] = spec.bare
    elif spec.lend is not None and bare:
        _lend(text, out, bare, start, spec.lend, spec.unit, spec.kind)
    if spec.trail:
        _share_trailing(text, out, start, spec.qualifier)
    out.append(q)
    return end


def _anchor_after_range(text: str, spec: DateFound, out: list[Quantity], start: int) -> DateFound:
    """2021年8月1日至10月5日: a month after a range mark keeps the year of the date before
    (``spec`` is a month/day of the publication year, ``out`` not empty)."""
    prev = out[-1]
    if (
        prev.kind == "date"
        and isinstance(prev.value, str)
        and text[prev.end : start] in _RANGE_MARKS
    ):
        return spec._replace(mode="abs", year=int(prev.value[:4]))
    return spec


def _resolve_date(spec: DateFound, state: list[int | None]) -> str | None:
    """The ISO value of a date spec; updates the last-date state (for 同年, 13日)."""
    pub_year, last_year, last_month = state
    _, _, mode, year, month, day = spec
    if mode == "abs":
        pass
    elif mode == "pub" or mode == "md":
        year = pub_year + year if pub_year is not None else None
    elif mode == "last":
        year = last_year + year if last_year is not None else None
    else:  # a bare day (13日): the year and month of the last date
        year, month = last_year, last_month
    value = None if month is None and day is not None else iso_date(year, month, day)
    if value is None:
        state[1] = state[2] = None
    else:
        state[1], state[2] = year, month
    return value


def _connected(text: str, prev: Quantity, start: int) -> bool:
    """Whether only a coordinating word (和, 、, 及 ...) separates two mentions."""
    return text[prev.end : start] in CONNECTORS


def _lend(
    text: str,
    out: list[Quantity],
    bare: dict[int, Decimal],
    start: int,
    mult: Decimal,
    unit: str | None,
    kind: str,
) -> None:
    """300、500和800万元: the bare numbers before take the magnitude, unit and kind."""
    i = len(out) - 1
    while i >= 0 and i in bare and _connected(text, out[i], start):
        p = out[i]
        v = to_number(bare.pop(i) * mult)
        out[i] = _make(p.start, p.end, p.text, kind, v, v, v, unit, "exact")
        start = p.start
        i -= 1


def _share_trailing(text: str, out: list[Quantity], start: int, qual: str) -> None:
    """A以及B以上: a trailing 以上/左右 qualifies every number of the coordination."""
    i = len(out) - 1
    while i >= 0 and _connected(text, out[i], start):
        p = out[i]
        if p.kind not in ("amount", "percent", "duration") or p.qualifier != "exact":
            break
        v = p.value
        lower, upper = (v, None) if qual == "over" else (None, None)
        out[i] = _make(p.start, p.end, p.text, p.kind, v, lower, upper, p.unit, qual)
        start = p.start
        i -= 1
