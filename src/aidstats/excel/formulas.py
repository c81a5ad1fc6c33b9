"""Formula builders: figure lookups, guards and verdicts.

A plain ``str`` is always written as text; a formula is a :class:`Formula` (its text from
here or from :mod:`aidstats.metrics`, where every derived number is one expression).
Reported numbers are looked up in *Figures* through the workbook names ``fig_id``,
``fig_value``, ``fig_lower`` and ``fig_upper`` (see :func:`figure_name`), so sorting or
filtering *Figures* does not break the links.
"""

from __future__ import annotations

from dataclasses import dataclass

from aidstats.metrics import excel_formula

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


def verdict(*, computed: str, low: str, high: str, slack: str, extra: str = "") -> Formula:
    """pass when low − slack·|low| ≤ computed ≤ high + slack·|high| (an empty limit: none).

    ``extra`` is one more condition of the AND, with its leading comma (",FALSE"). Each
    limit is tested only when it is there (IF, not OR: an empty string has no ABS).
    """
    return Formula(
        f'IF(AND(IF({low}="",TRUE,{computed}>={low}-{slack}*ABS({low})),'
        f'IF({high}="",TRUE,{computed}<={high}+{slack}*ABS({high})){extra}),"pass","flag")'
    )


def excel_arithmetic(expr: str, refs: dict[str, str]) -> str:
    """A checks.yaml formula as spreadsheet arithmetic over ``refs`` (one grammar, in
    :mod:`aidstats.metrics`).

    >>> excel_arithmetic("a / (1 + b)", {"a": "J5", "b": "L5"})
    'J5/(1+L5)'
    """
    return excel_formula(expr, refs)
