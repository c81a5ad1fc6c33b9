"""The *Checks* sheet: each consistency check as live arithmetic with a live verdict.

Operands that are figures are looked up in *Figures*, so a corrected input changes the
computed value and the verdict; a check passes when low_limit ≤ computed ≤ high_limit.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill

from aidstats.excel import columns
from aidstats.excel.cells import CellSpec, derived, missing, num, number_format, reported, text
from aidstats.excel.formulas import (
    Formula,
    excel_arithmetic,
    figure_row,
    lookup,
    lower_or_value,
    upper_or_value,
    verdict,
)
from aidstats.excel.layout import CHECKS
from aidstats.excel.sheet import Sheet

Frames = dict[str, pd.DataFrame]

# What an operand's value cell holds, over the Figures row of the operand's id; a
# "constant" operand (a quoted mention in a curated check) holds its number instead.
_OPERAND_VALUE: dict[str, Callable[[str], str]] = {
    "lower": partial(lookup, "lower"),
    "upper": partial(lookup, "upper"),
    "value": partial(lookup, "value"),
    "figure": partial(lookup, "value"),
    "upper_or_value": upper_or_value,
    "lower_or_value": lower_or_value,
}
_VERDICT_FILL = {"pass": "C6EFCE", "flag": "FFC7CE"}

_TITLE = "一致性核对 Checks — 数字之间是否相符 / do the reported figures agree?"
_NOTE = (
    "运算数为指标编号时,其值在 Figures 中查找;计算值在上下限之间即为 pass。"
    "Operands that are figure ids are looked up in Figures; a check passes when "
    "low_limit ≤ computed ≤ high_limit (empty = unbounded)."
)


def checks_sheet(wb: Workbook, df: pd.DataFrame, frames: Frames) -> Sheet:
    """One row per check: operands, computed and expected value, limits, verdict."""
    records = df.to_dict("records")
    figure_ids = _figure_ids(frames)
    width = max([len(check_operands(rec, figure_ids)) for rec in records] + [1])
    s = Sheet.table(
        wb,
        CHECKS,
        title=_TITLE,
        note=_NOTE,
        columns=columns.shown(CHECKS, list(df.columns), operands=width),
    )
    for i, rec in enumerate(records):
        r = s.first_row + i
        s.write_row(r, rec, _check_cells(s, r, rec, frames))
    s.finish()
    if records:
        verdicts = f"{s.ref('verdict', s.first_row)}:{s.ref('verdict', s.last_row)}"
        for word, color in _VERDICT_FILL.items():
            s.ws.conditional_formatting.add(
                verdicts,
                CellIsRule(
                    operator="equal",
                    formula=[f'"{word}"'],
                    fill=PatternFill("solid", fgColor=color, bgColor=color),
                ),
            )
    return s


def _figure_ids(frames: Frames) -> frozenset[str]:
    return frozenset(frames["figures"]["figure_id"]) if "figures" in frames else frozenset()


@dataclass(frozen=True)
class _Known:
    """What the tables know of a figure or mention id (NaN/"" when nothing)."""

    lower: float = math.nan
    upper: float = math.nan
    unit: str = ""


def _known(ident: str, frames: Frames) -> _Known:
    """The bounds and unit of a figure or mention id."""
    for table, key in (("figures", "figure_id"), ("mentions", "mention_id")):
        df = frames.get(table)
        if df is None or key not in df.columns:
            continue
        hit = df[df[key] == ident]
        if len(hit):
            h = hit.iloc[0]
            return _Known(lower=num(h["lower"]), upper=num(h["upper"]), unit=text(h["unit"]))
    return _Known()


def check_operands(
    rec: dict[str, Any], figure_ids: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """(operand text, what its value cell holds) for one check row, before cell refs.

    A curated operand that is a figure ("figure") is looked up in Figures by its id, so a
    corrected input flows into the check; a quoted mention stays a constant.
    """
    kind, _, target = text(rec["check_id"]).partition(":")
    ids = [x for x in text(rec["figure_ids"]).split(";") if x]
    if rec["source"] == "auto":
        if kind == "bounds":
            return [(target, "lower"), (target, "upper")]
        if kind == "share<=100":
            return [(target, "upper_or_value")]
        if kind == "part<=total" and len(ids) == 2:
            return [(ids[0], "lower_or_value"), (ids[1], "value")]
        if kind == "parts-sum" and len(ids) >= 2:
            return [(ids[0], "value"), *((k, "lower_or_value") for k in ids[1:])]
        return []
    if text(rec["formula"]):
        refs = json.loads(text(rec.get("operand_refs")) or "{}")
        return [
            (name, "figure" if refs.get(name) in figure_ids else "constant")
            for name in json.loads(text(rec["operands"]) or "{}")
        ]
    return []


@dataclass(frozen=True)
class _Test:
    """How one check is tested: computed against limits, with a relative slack."""

    computed: CellSpec
    expected: CellSpec
    low: Any = None
    high: Any = None
    slack: float = 0.0
    extra: str = ""  # one more condition of the verdict (",FALSE": never passes)


@dataclass(frozen=True)
class _Row:
    """The cells of one check row that its test refers to."""

    rec: dict[str, Any]
    operands: list[tuple[str, str]]
    operand: list[str]  # the operand_N cells
    value: list[str]  # the value_N cells
    expected: str  # the expected cell
    tolerance: str  # the tolerance cell
    fmt: str


def _check_cells(s: Sheet, r: int, rec: dict[str, Any], frames: Frames) -> dict[str, CellSpec]:
    """The operand, computed, limit and verdict cells of one check."""
    ops = check_operands(rec, _figure_ids(frames))
    n = range(1, len(ops) + 1)
    row = _Row(
        rec=rec,
        operands=ops,
        operand=[s.ref(f"operand_{i}", r) for i in n],
        value=[s.ref(f"value_{i}", r) for i in n],
        expected=s.ref("expected", r),
        tolerance=s.ref("tolerance", r),
        fmt=number_format(None, rec["computed"]),
    )
    cells = _operand_cells(row)
    tol = num(rec["tolerance"])
    cells["tolerance"] = CellSpec("∞" if math.isinf(tol) else tol, row.fmt)
    if rec["source"] == "auto" and ops:
        test = _auto_test(row)
    elif ops:
        test = _curated_test(row, frames)
    elif not missing(rec["computed"]):
        test = _same_value_test(row, frames)
    else:  # a date check or an unknown kind: no arithmetic, the verdict as computed
        cells["verdict"] = CellSpec(rec["verdict"])
        return cells
    cells["computed"], cells["expected"] = test.computed, test.expected
    for column, limit in (("low_limit", test.low), ("high_limit", test.high)):
        cells[column] = (
            derived(limit, row.fmt) if isinstance(limit, Formula) else CellSpec(limit, row.fmt)
        )
    cells["slack"] = CellSpec(test.slack, "0E+00")
    cells["verdict"] = derived(
        verdict(
            computed=s.ref("computed", r),
            low=s.ref("low_limit", r),
            high=s.ref("high_limit", r),
            slack=s.ref("slack", r),
            extra=test.extra,
        )
    )
    return cells


def _operand_cells(row: _Row) -> dict[str, CellSpec]:
    """operand_N (the id or name shown) and value_N (looked up, or the curated number)."""
    refs_of = json.loads(text(row.rec.get("operand_refs")) or "{}")
    constants = json.loads(text(row.rec["operands"]) or "{}")
    cells: dict[str, CellSpec] = {}
    for i, (name, what) in enumerate(row.operands):
        cells[f"operand_{i + 1}"] = CellSpec(refs_of[name] if what == "figure" else name)
        if what == "constant":
            value: Any = constants.get(name)
        else:
            value = Formula(_OPERAND_VALUE[what](figure_row(row.operand[i])))
        cells[f"value_{i + 1}"] = reported(value, row.fmt)
    return cells


def _auto_test(row: _Row) -> _Test:
    """The automatic checks: bounds, share ≤ 100, part ≤ total, parts sum to the total."""
    kind = text(row.rec["check_id"]).partition(":")[0]
    val, fmt = row.value, row.fmt
    if kind == "share<=100":
        return _Test(
            computed=derived(Formula(val[0]), fmt),
            expected=CellSpec(row.rec["expected"], fmt),
            high=Formula(row.expected),
        )
    if kind == "bounds":
        computed, expected = Formula(val[0]), Formula(val[1])
        high = Formula(row.expected)
    elif kind == "part<=total":
        computed, expected = Formula(val[0]), Formula(val[1])
        high = Formula(lookup("upper", figure_row(row.operand[1])))
    else:  # parts-sum
        computed, expected = Formula("+".join(val[1:])), Formula(val[0])
        high = Formula(lookup("upper", figure_row(row.operand[0])))
    return _Test(computed=derived(computed, fmt), expected=reported(expected, fmt), high=high)


def _curated_test(row: _Row, frames: Frames) -> _Test:
    """A checks.yaml formula: expected ± tolerance, or the bounds the wording allows."""
    refs = {name: row.value[i] for i, (name, _) in enumerate(row.operands)}
    formula = excel_arithmetic(text(row.rec["formula"]), refs)
    if math.isfinite(num(row.rec["tolerance"])):
        low: Any = Formula(f"{row.expected}-{row.tolerance}")
        high: Any = Formula(f"{row.expected}+{row.tolerance}")
    else:
        known = _known(text(row.rec["figure_ids"]).split(";")[-1], frames)
        low, high = known.lower, known.upper
    return _Test(
        computed=derived(Formula(formula), row.fmt),
        expected=reported(row.rec["expected"], row.fmt),
        low=low,
        high=high,
        slack=1e-9,
    )


def _same_value_test(row: _Row, frames: Frames) -> _Test:
    """Two reported values must agree (and be in the same unit)."""
    ids = text(row.rec["figure_ids"]).split(";")
    extra = ""
    if len(ids) >= 2 and _known(ids[0], frames).unit != _known(ids[1], frames).unit:
        extra = ",FALSE"  # different units never agree
    return _Test(
        computed=reported(row.rec["computed"], row.fmt),
        expected=reported(row.rec["expected"], row.fmt),
        low=Formula(row.expected),
        high=Formula(row.expected),
        extra=extra,
    )
