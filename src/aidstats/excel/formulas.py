"""Formula builders: the only place spreadsheet formulas are written.

A plain ``str`` is always written as text; a formula is a :class:`Formula`. Reported numbers
are looked up in *Figures* through the workbook names ``fig_id``, ``fig_value``,
``fig_lower`` and ``fig_upper`` (see :func:`figure_name`), so sorting or filtering *Figures*
does not break the links.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from aidstats.errors import AidstatsError

FIGURE_FIELDS = ("id", "value", "lower", "upper")  # the columns of Figures given a name


@dataclass(frozen=True)
class Formula:
    """A spreadsheet formula written by this package (``text`` without the leading ``=``)."""

    text: str


def figure_name(field: str) -> str:
    """The workbook name of a Figures column (``value`` → ``fig_value``)."""
    return f"fig_{field}"


def figure_row(id_ref: str) -> str:
    """The Figures row of the figure whose id is in cell ``id_ref`` (the lookup key)."""
    return f"MATCH({id_ref},{figure_name('id')},0)"


def match_figure(id_ref: str) -> Formula:
    """:func:`figure_row` as a cell's formula."""
    return Formula(figure_row(id_ref))


def _index(field: str, row_ref: str) -> str:
    return f"INDEX({figure_name(field)},{row_ref})"


def lookup(field: str, row_ref: str) -> str:
    """The Figures cell of ``field`` on row ``row_ref``, empty when it is empty."""
    x = _index(field, row_ref)
    return f'IF({x}="","",{x})'


def lower_or_value(row_ref: str) -> str:
    """The lower bound of a figure, or its value when it has none."""
    lo, v = _index("lower", row_ref), _index("value", row_ref)
    return f'IF({lo}="",{v},{lo})'


def upper_or_value(row_ref: str) -> str:
    """The upper bound of a figure, or its value when it has none."""
    hi, v = _index("upper", row_ref), _index("value", row_ref)
    return f'IF({hi}="",{v},{hi})'


def guard(result: str, *refs: str) -> Formula:
    """``result``, or empty when any of ``refs`` is empty (NaN propagates as in pandas)."""
    if not refs:
        return Formula(result)
    cond = refs[0] + '=""' if len(refs) == 1 else "OR(" + ",".join(f'{r}=""' for r in refs) + ")"
    return Formula(f'IF({cond},"",{result})')


def qualifier(lo: str, hi: str) -> Formula:
    """The qualifier of a derived value from its bounds, as ``analysis._derived`` sets it."""
    return Formula(
        f'IF(AND({lo}<>"",{hi}<>""),IF({lo}={hi},"exact","over"),'
        f'IF({lo}<>"","over",IF({hi}<>"","near","approx")))'
    )


def verdict(*, computed: str, low: str, high: str, slack: str, extra: str = "") -> Formula:
    """pass when low − slack·|low| ≤ computed ≤ high + slack·|high| (an empty limit: none).

    ``extra`` is one more condition of the AND, with its leading comma (",FALSE").
    """
    return Formula(
        f'IF(AND(OR({low}="",{computed}>={low}-{slack}*ABS({low})),'
        f'OR({high}="",{computed}<={high}+{slack}*ABS({high})){extra}),"pass","flag")'
    )


# --------------------------------------------------------------------------- derived


@dataclass(frozen=True)
class Operand:
    """The cells of one operand: its value, lower and upper bound."""

    value: str
    lower: str
    upper: str


@dataclass(frozen=True)
class Bound:
    """One bound of a derived number: a formula and the operand cells it needs."""

    expr: str
    needs: tuple[str, ...]


@dataclass(frozen=True)
class Derivation:
    """A number derived from operands a and b, with its lower and upper bound.

    The placeholders are ``{av}``, ``{alo}``, ``{ahi}`` (value, lower, upper of a) and the
    same for b; a bound is empty when one of the cells it ``needs`` is empty.
    """

    value: str
    lower: Bound
    upper: Bound

    def formulas(self, a: Operand, b: Operand) -> tuple[Formula, Formula, Formula]:
        """(value, lower, upper) over the cells of ``a`` and ``b``."""
        names = {
            f"{key}{suffix}": ref
            for key, op in (("a", a), ("b", b))
            for suffix, ref in (("v", op.value), ("lo", op.lower), ("hi", op.upper))
        }

        def bound(b: Bound) -> Formula:
            return guard(b.expr.format(**names), *(names[n] for n in b.needs))

        return Formula(self.value.format(**names)), bound(self.lower), bound(self.upper)


PERCENT_OF = Derivation(  # a as a percentage of b
    value="100*{av}/{bv}",
    lower=Bound("100*({alo}/{bhi})", ("alo", "bhi")),
    upper=Bound("100*({ahi}/{blo})", ("ahi", "blo")),
)
AMOUNT_OF_PERCENT = Derivation(  # a percent of the amount b
    value="{bv}*{av}/100",
    lower=Bound("{blo}*({alo}/100)", ("blo", "alo")),
    upper=Bound("{bhi}*({ahi}/100)", ("bhi", "ahi")),
)
SALES_FORMULAS = {  # derived sales metric → its derivation from figure_ids a;b
    "previous_year_value": Derivation(
        value="{av}/(1+{bv}/100)",
        lower=Bound("{alo}/(1+{bhi}/100)", ("alo", "bhi")),
        upper=Bound("{ahi}/(1+{blo}/100)", ("ahi", "blo")),
    ),
    "value_per_tonne": Derivation(
        value="{av}/{bv}",
        lower=Bound("{alo}/{bhi}", ("alo", "bhi")),
        upper=Bound("{ahi}/{blo}", ("ahi", "blo")),
    ),
    "online_share": PERCENT_OF,
    "growth_from_values": Derivation(
        value="100*({bv}/{av}-1)",
        lower=Bound("100*({blo}/{ahi}-1)", ("blo", "ahi")),
        upper=Bound("100*({bhi}/{alo}-1)", ("bhi", "alo")),
    ),
}


# --------------------------------------------------------------------------- checks.yaml

_XL_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


def excel_arithmetic(expr: str, refs: dict[str, str]) -> str:
    """A checks.yaml formula (names, numbers, + − × ÷) as spreadsheet arithmetic over ``refs``.

    >>> excel_arithmetic("a / (1 + b)", {"a": "J5", "b": "L5"})
    'J5/(1+L5)'
    """

    def walk(node: ast.AST) -> tuple[str, int]:
        """(text, precedence): parentheses only where Python's grouping needs them."""
        if isinstance(node, ast.BinOp) and type(node.op) in _XL_OPS:
            prec = 1 if isinstance(node.op, ast.Add | ast.Sub) else 2
            (left, lp), (right, rp) = walk(node.left), walk(node.right)
            if lp < prec:
                left = f"({left})"
            if rp < prec or (rp == prec and isinstance(node.op, ast.Sub | ast.Div)):
                right = f"({right})"
            return left + _XL_OPS[type(node.op)] + right, prec
        if isinstance(node, ast.Name) and node.id in refs:
            return refs[node.id], 3
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            if isinstance(node.value, bool):
                raise AidstatsError(f"formula {expr!r}: booleans are not numbers")
            return repr(node.value).upper(), 3
        raise AidstatsError(f"formula {expr!r}: only + − × ÷, numbers and operand names")

    try:
        tree = ast.parse(expr, mode="eval").body
    except SyntaxError:
        raise AidstatsError(f"formula {expr!r} is not valid arithmetic") from None
    return walk(tree)[0]
