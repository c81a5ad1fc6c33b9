"""Quantities as a reader sees them: a value with its bounds, its qualifier, and the number
written as a Chinese statistical yearbook writes it — as text now, or as a spreadsheet
string formula whose number follows its cell.

One rule for each fact, used by the pandas tables and the workbook alike:

- the qualifier from the bounds (:func:`qualifier_of`, :func:`qualifier_formula`): exact,
  over (at least), near (at most) or approx;
- the marks that keep it beside the number (:func:`marks`): 超17亿元, 3.768万余人次, 近5000节;
- the style (:func:`style_of`): 万/亿 from 1万/1亿 up, every stated digit of a reported
  number, four significant digits of a derived one (percents one decimal, numbers from
  1,000 up whole), rounded half away from zero as a spreadsheet rounds;
- the cell format of a value in base units (:func:`cell_format`).

>>> write_quantity(Quantity(1.7e9, 1.7e9, float("nan"), "元"), derived=False).text
'超17亿元'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any


@dataclass(frozen=True)
class Cells:
    """The cells of one operand in the workbook: its value, lower and upper bound."""

    value: str
    lower: str = ""
    upper: str = ""


def _float(x: Any) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return math.nan
    return v if math.isfinite(v) else math.nan


@dataclass(frozen=True)
class Quantity:
    """An operand: a value with its bounds (NaN = unknown) and unit."""

    value: float
    lower: float = math.nan
    upper: float = math.nan
    unit: str = ""

    def __post_init__(self) -> None:
        for name in ("value", "lower", "upper"):  # plain floats: no numpy warnings
            object.__setattr__(self, name, _float(getattr(self, name)))

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Quantity:
        """From a figure or mention row (value, lower, upper, unit)."""
        unit = row.get("unit")
        return cls(  # __post_init__ makes value, lower and upper plain floats
            row.get("value"),
            row.get("lower"),
            row.get("upper"),
            "" if unit is None or (isinstance(unit, float) and math.isnan(unit)) else str(unit),
        )

    @property
    def floor(self) -> float:
        """The least the wording allows as stated: the lower bound, else the value."""
        return self.value if math.isnan(self.lower) else self.lower


# The qualifier of a value from its bounds, as an ordered list of rules (the first that
# holds wins; none: approx), each a list of alternatives, each a list of atoms that must
# all hold. One table, rendered for pandas and as a spreadsheet formula.
_APPROX = "approx"
_RULES: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("exact", (("lo", "hi", "lo=hi"),)),
    ("over", (("lo", "!hi"), ("lo", "v=lo"))),
    ("near", (("hi", "!lo"), ("hi", "v=hi"))),
)
_ATOMS: dict[str, tuple[Callable[[float, float, float], bool], str]] = {
    "lo": (lambda v, lo, hi: not math.isnan(lo), '{lo}<>""'),
    "hi": (lambda v, lo, hi: not math.isnan(hi), '{hi}<>""'),
    "!lo": (lambda v, lo, hi: math.isnan(lo), '{lo}=""'),
    "!hi": (lambda v, lo, hi: math.isnan(hi), '{hi}=""'),
    "lo=hi": (lambda v, lo, hi: lo == hi, "{lo}={hi}"),
    "v=lo": (lambda v, lo, hi: v == lo, "{v}={lo}"),
    "v=hi": (lambda v, lo, hi: v == hi, "{v}={hi}"),
}
# How a qualifier is written beside the number: (before the number, after 万/亿).
_MARKS = {"exact": ("", ""), "over": ("超", ""), "over_bounded": ("", "余"), "near": ("近", "")}
_MARKS[_APPROX] = ("约", "")


def qualifier_of(value: Any, lower: Any, upper: Any) -> str:
    """exact, over (at least), near (at most) or approx, from a value and its bounds."""
    v, lo, hi = _float(value), _float(lower), _float(upper)
    for qualifier, alternatives in _RULES:
        if any(all(_ATOMS[a][0](v, lo, hi) for a in alt) for alt in alternatives):
            return qualifier
    return _APPROX


def qualifier_formula(value: str, lower: str, upper: str) -> str:
    """:func:`qualifier_of` as a spreadsheet formula over the cells."""
    text = f'"{_APPROX}"'
    for qualifier, alternatives in reversed(_RULES):
        ands = [
            "AND(" + ",".join(_ATOMS[a][1].format(v=value, lo=lower, hi=upper) for a in alt) + ")"
            for alt in alternatives
        ]
        cond = ands[0] if len(ands) == 1 else "OR(" + ",".join(ands) + ")"
        text = f'IF({cond},"{qualifier}",{text})'
    return text


def marks(q: Quantity) -> tuple[str, str]:
    """The qualifier written beside a number: 超17亿元, 3.768万余人次, 近5000节, 约3万."""
    qual = qualifier_of(q.value, q.lower, q.upper)
    if qual == "over" and not math.isnan(q.upper) and q.unit != "%":
        return _MARKS["over_bounded"]
    return _MARKS[qual]


# Units written in 万 from 1万 up (everything except % is in 亿 from 1亿 up), as
# formatting.fmt_number writes them.
SCALED_UNITS = frozenset({"元", "吨", "平方米", "人次", "名", "人", ""})
_DERIVED_DIGITS = 4  # significant digits of a derived number (money, weight, counts)
_MAX_DECIMALS = 6
_CONTEXT = Context(prec=60)


def _decimal(x: float, decimals: int) -> Decimal:
    """``x`` rounded half away from zero after 15 significant digits, as a spreadsheet
    does (so that the text here and TEXT() in the workbook agree)."""
    step = Decimal(1).scaleb(-decimals)
    return Decimal(f"{x:.15g}").quantize(step, rounding=ROUND_HALF_UP, context=_CONTEXT)


def _fewest_decimals(x: float, most: int) -> int:
    """The fewest decimals (≤ most) that show ``x`` as it shows with ``most`` decimals."""
    target = _decimal(x, most)
    return next(d for d in range(most + 1) if _decimal(x, d) == target)


@dataclass(frozen=True)
class Style:
    """How a number is written: divided into 万/亿 or not, with a fixed number of decimals,
    thousands separators from 1万 up. Chosen once from the value at build time."""

    divisor: float = 1.0
    scale: str = ""
    decimals: int = 0
    grouped: bool = False

    @property
    def code(self) -> str:
        """The spreadsheet number format of the shown number (without unit)."""
        whole = "#,##0" if self.grouped else "0"
        return whole + ("." + "0" * self.decimals if self.decimals else "")

    def text(self, value: float) -> str:
        """The number as written, "—" when missing."""
        if math.isnan(_float(value)):
            return "—"
        shown = _decimal(float(value) / self.divisor, self.decimals)
        return f"{shown:{',' if self.grouped else ''}.{self.decimals}f}"

    def live(self, cell: str, *, before: str = "", after: str = "") -> str:
        """The same as a spreadsheet string expression over ``cell``, with the words
        written ``before`` and ``after`` the number ("—" alone when the cell is empty)."""
        scaled = cell if self.divisor == 1 else f"{cell}/{self.divisor:.0E}"
        number = f'TEXT({scaled},"{self.code}")'
        words = [quoted(before)] * bool(before) + [number] + [quoted(after)] * bool(after)
        return f'IF({cell}="","—",{"&".join(words)})'


def style_of(value: Any, unit: str, *, derived: bool, scaled: bool = True) -> Style:
    """The style of a number: stated numbers keep every stated digit; derived ones get
    4 significant digits (percents one decimal, numbers from 1,000 up whole)."""
    v = _float(value)
    divisor, scale = 1.0, ""
    if scaled and not math.isnan(v) and unit != "%":
        if abs(v) >= 1e8:
            divisor, scale = 1e8, "亿"
        elif abs(v) >= 1e4 and unit in SCALED_UNITS:
            divisor, scale = 1e4, "万"
    shown = 0.0 if math.isnan(v) else v / divisor
    if not derived:
        decimals = _fewest_decimals(shown, _MAX_DECIMALS)
    elif unit == "%":
        decimals = 1
    elif shown == 0 or abs(shown) >= 1000:
        decimals = 0
    else:
        most = max(0, _DERIVED_DIGITS - 1 - math.floor(math.log10(abs(shown))))
        decimals = _fewest_decimals(shown, most)
    return Style(divisor, scale, decimals, grouped=abs(shown) >= 1e4)


def cell_format(value: Any, unit: Any, *, derived: bool) -> str:
    """The number format of a cell holding a value in base units (元, not 万元):
    separators always, the decimals of :func:`style_of`, percents with at least one."""
    unit = "" if unit is None or (isinstance(unit, float) and math.isnan(unit)) else str(unit)
    style = style_of(value, unit, derived=derived, scaled=False)
    if unit == "%":
        return Style(decimals=max(style.decimals, 1), grouped=True).code + '"%"'
    return Style(decimals=style.decimals, grouped=True).code  # a column lines up


# --------------------------------------------------------------------------- written text


@dataclass(frozen=True)
class Piece:
    """A piece of written text: what it reads now and, for a number, the spreadsheet string
    expression that writes it from its cell (None: the piece is literal text)."""

    text: str
    live: str | None = None


@dataclass(frozen=True)
class Written:
    """Text a reader sees, as pieces; :attr:`text` now, :meth:`formula` live."""

    pieces: tuple[Piece, ...] = ()

    def __add__(self, other: Written | str) -> Written:
        more = (Piece(other),) if isinstance(other, str) else other.pieces
        return Written(self.pieces + more)

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)

    def formula(self) -> str:
        """A spreadsheet string formula (no leading ``=``): literals joined with the live
        pieces by ``&``."""
        parts: list[str] = []
        literal = ""
        for p in self.pieces:
            if p.live is None:
                literal += p.text
                continue
            if literal:
                parts.append('"' + literal.replace('"', '""') + '"')
                literal = ""
            parts.append(p.live)
        if literal or not parts:
            parts.append('"' + literal.replace('"', '""') + '"')
        return "&".join(parts)


def write_quantity(
    q: Quantity, *, derived: bool, cell: str | None = None, with_marks: bool = True
) -> Written:
    """A quantity as written: 超17亿元, 3.768万余人次, 76.3%, 11,002元/吨.

    ``cell``: the cell holding the value, for a live number (the qualifier marks and the
    万/亿 scale are fixed from the value now)."""
    style = style_of(q.value, q.unit, derived=derived)
    before, after = marks(q) if with_marks and not math.isnan(q.value) else ("", "")
    tail = style.scale + after + q.unit
    text = "—" if math.isnan(q.value) else before + style.text(q.value) + tail
    return Written((Piece(text, style.live(cell, before=before, after=tail) if cell else None),))


def write_bounds(q: Quantity, *, cells: Cells | None = None) -> Written:
    """What the wording lets a reader conclude: ``≥ 3.768万人次, < 3.769万人次``."""
    qual = qualifier_of(q.value, q.lower, q.upper)
    if qual == "exact":
        return Written((Piece("exact"),))
    if qual == _APPROX:
        return Written((Piece("approximate (no bounds stated)"),))

    def bound(value: float, cell: str | None) -> Written:
        return write_quantity(
            Quantity(value, unit=q.unit), derived=False, cell=cell, with_marks=False
        )

    out = Written()
    if not math.isnan(q.lower):
        out = out + "≥ " + bound(q.lower, cells.lower if cells else None)
    if not math.isnan(q.upper):
        sign = "< " if qual == "over" else "≤ "
        out = (
            out
            + (", " if out.pieces else "")
            + sign
            + bound(q.upper, cells.upper if cells else None)
        )
    return out


def quoted(words: str) -> str:
    """Text as a spreadsheet string literal."""
    return '"' + words.replace('"', '""') + '"'
