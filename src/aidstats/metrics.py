"""Derived quantities, each written once as an expression over named operands.

A metric such as "share of a total" is the expression ``part / whole``. Its three
renderings all come from that one expression, so they cannot disagree:

- :meth:`Metric.evaluate` — the value with its bounds and flags (the pandas tables);
- :meth:`Metric.formulas` — spreadsheet formulas for the value and both bounds over the
  cells of the operands (the workbook);
- :meth:`Metric.arithmetic` — the written arithmetic (``61个 ÷ 80个 = 76.3%``): as text,
  and, given cells, as a spreadsheet string formula whose numbers follow those cells.

The grammar (:func:`parse`): numbers, operand names, ``+ - * /`` (or ``− × ÷``),
parentheses and a postfix ``%`` (``rate%`` is rate ÷ 100: percents are stored in points).
Operands are :class:`~aidstats.quantities.Quantity` (value, bounds, unit); how their
numbers are written is :mod:`aidstats.quantities`.

Bounds (NaN = unknown, unbounded on that side): the lower bound of an expression takes each
operand at the end that makes the result smallest — lower(a − b) = lower(a) − upper(b),
lower(a ÷ b) = lower(a) ÷ upper(b). Products and quotients of operands assume non-negative
factors (counts, money, shares); a bound whose factor is negative or whose divisor is not
positive is unknown. A division by zero makes the value NaN with the flag
``division by zero``, never inf.

>>> m = Metric("share_of", "part / whole", unit="%", percent=True)
>>> r = m.evaluate({"part": Quantity(61, 61, 61, "个"), "whole": Quantity(80, 80, 80, "个")})
>>> r.value, m.arithmetic({"part": Quantity(61, 61, 61, "个"),
...                        "whole": Quantity(80, 80, 80, "个")}, r).text
(76.25, '61个 ÷ 80个 = 76.3%')
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Literal

from aidstats.errors import AidstatsError
from aidstats.quantities import (
    Cells,
    Piece,
    Quantity,
    Written,
    qualifier_of,
    quoted,
    write_quantity,
)

Side = Literal["value", "lower", "upper"]
DIVISION_BY_ZERO = "division by zero"

# --------------------------------------------------------------------------- grammar


@dataclass(frozen=True)
class Num:
    """A number as written in the expression."""

    value: float
    text: str


@dataclass(frozen=True)
class Ref:
    """An operand, by name."""

    name: str


@dataclass(frozen=True)
class Percent:
    """``x%``: x ÷ 100."""

    operand: Expr


@dataclass(frozen=True)
class Binary:
    """``left op right`` with op one of + - * /."""

    op: str
    left: Expr
    right: Expr


Expr = Num | Ref | Percent | Binary

_TOKEN = re.compile(
    r"\s*(?:(?P<num>[0-9]+(?:\.[0-9]+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>[-+*/()%×÷−]))"
)
_CANON = {"×": "*", "÷": "/", "−": "-"}
_HELP = "use numbers, operand names, + − × ÷, parentheses and %"


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text.rstrip()):
        m = _TOKEN.match(text, pos)
        if not m:
            bad = text[pos:].strip()[:1]
            raise AidstatsError(f"formula {text!r}: unexpected {bad!r}; {_HELP}")
        kind = m.lastgroup or ""
        out.append((kind, _CANON.get(m[kind], m[kind])))
        pos = m.end()
    return out


class _Parser:
    """Recursive descent: sum := product (± product)*; product := postfix (×÷ postfix)*;
    postfix := atom %*; atom := number | name | ( sum )."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.pos = 0

    def fail(self, what: str) -> AidstatsError:
        return AidstatsError(f"formula {self.text!r}: {what}; {_HELP}")

    def peek(self) -> str:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else ""

    def take(self) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise self.fail("it ends too early")
        self.pos += 1
        return self.tokens[self.pos - 1]

    def parse(self) -> Expr:
        expr = self.sum()
        if self.pos < len(self.tokens):
            raise self.fail(f"unexpected {self.peek()!r}")
        return expr

    def sum(self) -> Expr:
        return self.chain(("+", "-"), self.product)

    def product(self) -> Expr:
        return self.chain(("*", "/"), self.postfix)

    def chain(self, ops: tuple[str, ...], operand: Callable[[], Expr]) -> Expr:
        """Operands joined by any of ``ops``, left to right (one precedence level)."""
        expr = operand()
        while self.peek() in ops and self.peek():
            op = self.take()[1]
            expr = Binary(op, expr, operand())
        return expr

    def postfix(self) -> Expr:
        expr = self.atom()
        while self.peek() == "%":
            self.take()
            expr = Percent(expr)
        return expr

    def atom(self) -> Expr:
        kind, value = self.take()
        if kind == "num":
            return Num(float(value), value)
        if kind == "name":
            return Ref(value)
        if value == "(":
            expr = self.sum()
            if self.take()[1] != ")":
                raise self.fail("a parenthesis is not closed")
            return expr
        raise self.fail(f"unexpected {value!r}")


def parse(text: str) -> Expr:
    """The expression of ``text``; AidstatsError naming the formula when it is not one."""
    if not str(text).strip():
        raise AidstatsError(f"formula {text!r} is empty; {_HELP}")
    return _parsed(str(text))


@lru_cache(maxsize=4096)
def _parsed(text: str) -> Expr:
    """Parsed once per text (expressions are immutable): a corpus has thousands of checks
    over a handful of formulas (``share``, ``part``, ``part1 + part2``)."""
    return _Parser(text).parse()


def names(expr: Expr) -> list[str]:
    """The operand names of ``expr``, in order of first use."""
    if isinstance(expr, Ref):
        return [expr.name]
    if isinstance(expr, Percent):
        return names(expr.operand)
    if isinstance(expr, Binary):
        return list(dict.fromkeys(names(expr.left) + names(expr.right)))
    return []


def _prec(expr: Expr) -> int:
    if isinstance(expr, Binary):
        return 1 if expr.op in "+-" else 2
    return 3 if isinstance(expr, Percent) else 4


def _parens(parent: Expr, child: Expr, *, right: bool) -> bool:
    """Whether ``child`` needs parentheses under ``parent``: lower precedence, or the right
    operand at the same precedence (the tree is kept as written, so every rendering
    computes in the same order)."""
    p, c = _prec(parent), _prec(child)
    return c < p or (right and c == p)


_SYMBOL = {"+": " + ", "-": " − ", "*": " × ", "/": " ÷ "}

# --------------------------------------------------------------------------- metrics


@dataclass(frozen=True)
class Result:
    """A metric's value with its bounds (NaN = unknown) and why it is missing, if it is."""

    value: float
    lower: float = math.nan
    upper: float = math.nan
    flags: tuple[str, ...] = ()

    @property
    def qualifier(self) -> str:
        return qualifier_of(self.value, self.lower, self.upper)


@dataclass(frozen=True)
class Formulas:
    """Spreadsheet formulas (no leading ``=``) of a metric: value, bounds, and ``why`` (a
    string formula that says why the value is empty, "" otherwise)."""

    value: str
    lower: str
    upper: str
    why: str


@dataclass(frozen=True)
class _Guard:
    """A condition under which the result is empty: its truth now and its formula."""

    now: bool
    xl: str
    flag: str = ""


@dataclass
class _Out:
    """A compiled sub-expression: its number now and its spreadsheet text."""

    num: float
    xl: str


@dataclass
class _Compiler:
    """Compiles an expression for one side (value, lower or upper) into a number now and a
    spreadsheet formula, collecting the guards that make the result empty."""

    leaf: Callable[[str, Side], tuple[float, str]]
    empties: list[_Guard] = field(default_factory=list)
    guards: list[_Guard] = field(default_factory=list)

    def run(self, expr: Expr, side: Side) -> _Out:
        if isinstance(expr, Num):
            return _Out(expr.value, expr.text)
        if isinstance(expr, Ref):
            num, xl = self.leaf(expr.name, side)
            self.empties.append(_Guard(math.isnan(num), f'{xl}=""'))
            return _Out(num, xl)
        if isinstance(expr, Percent):
            inner = self.wrap(expr, expr.operand, self.run(expr.operand, side), right=False)
            return _Out(inner.num / 100, f"({inner.xl}/100)")  # a quotient: kept whole
        return self.binary(expr, side)

    def wrap(self, parent: Expr, child: Expr, out: _Out, *, right: bool) -> _Out:
        return _Out(out.num, f"({out.xl})") if _parens(parent, child, right=right) else out

    def binary(self, expr: Binary, side: Side) -> _Out:
        flip: Side = {"lower": "upper", "upper": "lower"}.get(side, "value")  # type: ignore[assignment]
        const_l, const_r = not names(expr.left), not names(expr.right)
        if expr.op in "+-":
            sides = (side, side if expr.op == "+" else flip)
        elif side == "value":
            sides = (side, side)
        elif expr.op == "*":
            sides = self._product_sides(expr, side, flip, const_l, const_r)
        else:
            sides = self._quotient_sides(expr, side, flip, const_l, const_r)
        left = self.wrap(expr, expr.left, self.run(expr.left, sides[0]), right=False)
        right = self.wrap(expr, expr.right, self.run(expr.right, sides[1]), right=True)
        xl = left.xl + expr.op + right.xl
        if expr.op == "+":
            return _Out(left.num + right.num, xl)
        if expr.op == "-":
            return _Out(left.num - right.num, xl)
        if expr.op == "*":
            if side != "value" and not (const_l or const_r):
                self.guards.append(_Guard(left.num < 0, f"{left.xl}<0"))
                self.guards.append(_Guard(right.num < 0, f"{right.xl}<0"))
            return _Out(left.num * right.num, xl)
        return self._divide(left, right, xl, side=side, const_l=const_l, const_r=const_r)

    def _product_sides(
        self, expr: Binary, side: Side, flip: Side, const_l: bool, const_r: bool
    ) -> tuple[Side, Side]:
        if const_l:
            return "value", side if _constant(expr.left) >= 0 else flip
        if const_r:
            return side if _constant(expr.right) >= 0 else flip, "value"
        return side, side

    def _quotient_sides(
        self, expr: Binary, side: Side, flip: Side, const_l: bool, const_r: bool
    ) -> tuple[Side, Side]:
        if const_r:
            return side if _constant(expr.right) >= 0 else flip, "value"
        if const_l:
            return "value", flip if _constant(expr.left) >= 0 else side
        return side, flip

    def _divide(
        self, left: _Out, right: _Out, xl: str, *, side: Side, const_l: bool, const_r: bool
    ) -> _Out:
        if side == "value":
            if not const_r or right.num == 0:
                self.guards.append(
                    _Guard(right.num == 0, "TRUE" if const_r else f"{right.xl}=0", DIVISION_BY_ZERO)
                )
        elif const_r:
            if right.num == 0:
                self.guards.append(_Guard(True, "TRUE"))
        else:
            self.guards.append(_Guard(right.num <= 0, f"{right.xl}<=0"))
            if not const_l:
                self.guards.append(_Guard(left.num < 0, f"{left.xl}<0"))
        num = left.num / right.num if right.num != 0 else math.nan
        return _Out(num, xl)

    def result(self, out: _Out) -> tuple[float, str, tuple[str, ...]]:
        """The number now (NaN when a guard holds), the guarded formula, the flags."""
        fired = next((g for g in self.guards if g.now), None)
        if any(g.now for g in self.empties):
            num, flags = math.nan, ()
        elif fired is not None:
            num, flags = math.nan, (fired.flag,) if fired.flag else ()
        else:
            num, flags = out.num, ()
        return num, self.guarded(out.xl, '""'), flags

    def guarded(self, body: str, empty: str, *, why: bool = False) -> str:
        """``body`` inside the guards: the structural ones nested innermost-last (a guard
        is only evaluated once the ones before it hold false), the empty cells first."""
        text = body
        for g in reversed(self.guards):
            text = f"IF({g.xl},{quoted(' (' + g.flag + ')') if why and g.flag else empty},{text})"
        cells = list(dict.fromkeys(g.xl for g in self.empties))
        if cells:
            cond = cells[0] if len(cells) == 1 else "OR(" + ",".join(cells) + ")"
            text = f"IF({cond},{empty},{text})"
        return text


def _constant(expr: Expr) -> float:
    """The value of an expression without operands."""
    out = _Compiler(lambda name, side: (math.nan, name)).run(expr, "value")
    return out.num


@dataclass(frozen=True)
class Metric:
    """A derived quantity: an expression over named operands, its unit and labels.

    ``unit``: a template over operand names (``"{value}/{volume}"``, ``"{whole}"``) or a
    unit; ``percent``: the result is stored in percent points (100 × the expression).
    """

    name: str
    expression: str
    unit: str = ""
    percent: bool = False
    label_zh: str = ""
    label_en: str = ""

    @cached_property
    def expr(self) -> Expr:
        """The parsed expression."""
        return parse(self.expression)

    @cached_property
    def stored(self) -> Expr:
        """The expression of the stored number (× 100 for a percent)."""
        return Binary("*", Num(100.0, "100"), self.expr) if self.percent else self.expr

    @property
    def operands(self) -> list[str]:
        """The operand names, in order of first use."""
        return names(self.expr)

    def result_unit(self, units: Mapping[str, str]) -> str:
        """The unit of the result, from the operands' units."""
        return "%" if self.percent else self.unit.format_map({k: units[k] for k in units})

    def _check(self, given: Mapping[str, object]) -> None:
        missing = [n for n in self.operands if n not in given]
        if missing:
            raise AidstatsError(
                f"formula {self.expression!r} uses {missing[0]!r}, which is not an operand "
                f"(operands: {', '.join(given) or 'none'})"
            )

    def evaluate(self, operands: Mapping[str, Quantity]) -> Result:
        """The value and bounds from the operands' values and bounds."""
        self._check(operands)

        def leaf(name: str, side: Side) -> tuple[float, str]:
            return getattr(operands[name], side), name

        out: dict[str, float] = {}
        flags: tuple[str, ...] = ()
        for side in ("value", "lower", "upper"):
            c = _Compiler(leaf)
            out[side], _, why = c.result(c.run(self.stored, side))  # type: ignore[arg-type]
            flags = why if side == "value" else flags
        return Result(out["value"], out["lower"], out["upper"], flags)

    def formulas(self, cells: Mapping[str, Cells]) -> Formulas:
        """The value, lower and upper bound as spreadsheet formulas over ``cells`` (the
        bounds are empty when an operand has no bound cells)."""
        self._check(cells)

        def leaf(name: str, side: Side) -> tuple[float, str]:
            return 1.0, getattr(cells[name], side)

        bounded = all(cells[n].lower and cells[n].upper for n in self.operands)
        texts: dict[str, str] = {}
        why = '""'
        for side in ("value", "lower", "upper") if bounded else ("value",):
            c = _Compiler(leaf)
            out = c.run(self.stored, side)  # type: ignore[arg-type]
            texts[side] = c.guarded(out.xl, '""')
            if side == "value":
                why = c.guarded('""', '""', why=True)
        return Formulas(texts["value"], texts.get("lower", '""'), texts.get("upper", '""'), why)

    def written(self, operands: Mapping[str, Quantity], cells: Mapping[str, str] | None) -> Written:
        """The expression with each operand written as a quantity (live over ``cells``)."""

        def walk(expr: Expr) -> Written:
            if isinstance(expr, Num):
                return Written((Piece(expr.text),))
            if isinstance(expr, Ref):
                cell = cells.get(expr.name) if cells else None
                return write_quantity(operands[expr.name], derived=False, cell=cell)
            if isinstance(expr, Percent):
                inner = sub(expr, expr.operand, right=False)
                return inner if inner.text.endswith("%") else inner + "%"
            return (
                sub(expr, expr.left, right=False)
                + _SYMBOL[expr.op]
                + sub(expr, expr.right, right=True)
            )

        def sub(parent: Expr, child: Expr, *, right: bool) -> Written:
            inner = walk(child)
            return (
                Written((Piece("("),)) + inner + ")"
                if _parens(parent, child, right=right)
                else inner
            )

        return walk(self.expr)

    def arithmetic(
        self,
        operands: Mapping[str, Quantity],
        result: Result,
        *,
        cells: Mapping[str, Cells] | None = None,
        result_cells: Cells | None = None,
    ) -> Written:
        """``61个 ÷ 80个 = 76.3%``: the written expression, ``=`` and the result (live when
        cells are given, with the reason when the result is missing)."""
        self._check(operands)
        units = {k: q.unit for k, q in operands.items()}
        value = Quantity(result.value, result.lower, result.upper, self.result_unit(units))
        refs = {k: c.value for k, c in cells.items()} if cells else None
        out = self.written(operands, refs) + " = "
        out += write_quantity(
            value, derived=True, cell=result_cells.value if result_cells else None
        )
        flag = "".join(f" ({f})" for f in result.flags)
        live = self.formulas(cells).why if cells else None
        if live == '""' or (live is None and not flag):
            return out
        return out + Written((Piece(flag, live),))


# The metrics of the analysis tables (the checks of checks.yaml are metrics too).
METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric(
            "share_of",
            "part / whole",
            percent=True,
            label_zh="占总数的比例",
            label_en="Share of the total",
        ),
        Metric(
            "amount_from_share",
            "whole * share%",
            unit="{whole}",
            label_zh="占比对应的金额(推算)",
            label_en="Amount implied by a reported share",
        ),
        Metric(
            "previous_year_value",
            "value / (1 + growth%)",
            unit="{value}",
            label_zh="上年销售额(推算)",
            label_en="Previous-year sales (implied)",
        ),
        Metric(
            "value_per_tonne",
            "value / volume",
            unit="{value}/{volume}",
            label_zh="每吨销售额(推算)",
            label_en="Sales value per tonne (derived)",
        ),
        Metric(
            "online_share",
            "online / total",
            percent=True,
            label_zh="线上销售占比(推算)",
            label_en="Online share of sales (derived)",
        ),
        Metric(
            "growth_from_values",
            "current / previous - 1",
            percent=True,
            label_zh="同比增长(由两年销售额计算)",
            label_en="Year-on-year growth (from two reported years)",
        ),
    )
}


def excel_formula(expression: str, refs: Mapping[str, str]) -> str:
    """A formula of checks.yaml as spreadsheet arithmetic over ``refs`` (no guards).

    >>> excel_formula("a / (1 + b)", {"a": "J5", "b": "L5"})
    'J5/(1+L5)'
    """
    metric = Metric("formula", expression)
    metric._check(refs)
    return _Compiler(lambda name, side: (1.0, refs[name])).run(metric.expr, "value").xl
