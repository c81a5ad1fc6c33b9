"""The *Checks* sheet: each consistency check as live arithmetic with a live verdict.

A row's operands are the figures and mentions its ``operand_refs`` name (figures are looked
up in *Figures*, so a corrected input changes the computed value and the verdict), its
computed value is its formula (:mod:`aidstats.metrics`), its expected value the figure
``expected_ref`` names; ``test`` says how they are compared. A check passes when
low_limit ≤ computed ≤ high_limit (an empty limit: none).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill

from aidstats.checks import Check, CheckCells, arithmetic, check_from_row, result_of
from aidstats.excel.cells import CellSpec, derived, live_text, missing, num, number_format, reported
from aidstats.excel.formulas import (
    Formula,
    figure_row,
    lookup,
    lower_or_value,
    verdict,
)
from aidstats.excel.layout import CHECKS
from aidstats.excel.sheet import Sheet
from aidstats.quantities import Cells

Frames = dict[str, pd.DataFrame]
_VERDICT_FILL = {"pass": "C6EFCE", "flag": "FFC7CE"}
_SLACK = {"within": 1e-9}  # relative slack of the verdict (floating-point rounding)

_TITLE = "一致性核对 Checks — 数字之间是否相符 / do the reported figures agree?"
_NOTE = (
    "运算数为指标编号时,其值在 Figures 中查找;计算值在上下限之间即为 pass。"
    "Operands that are figure ids are looked up in Figures; a check passes when "
    "low_limit ≤ computed ≤ high_limit (empty = unbounded). at_most: the operands at their "
    "lower bound; within: the reported value's rounding or bounds."
)


def checks_sheet(wb: Workbook, df: pd.DataFrame, frames: Frames) -> Sheet:
    """One row per check: operands, computed and expected value, limits, verdict."""
    records = df.to_dict("records")
    width = max([len(json.loads(rec["operand_refs"] or "{}")) for rec in records] + [1])
    s = Sheet.of_table(
        wb, CHECKS, title=_TITLE, note=_NOTE, table_columns=list(df.columns), operands=width
    )
    known = _Known.of(frames, records)
    s.write_records(records, lambda r, rec: _check_cells(s, r, rec, known))
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


@dataclass(frozen=True)
class _Known:
    """The figures and mentions the checks name, indexed by id once: a check is rebuilt
    from the few rows it names, not from the whole corpus (thousands of checks over tens
    of thousands of figures). The rows are held as plain objects, the values a row of
    the full tables gives (``iterrows``), so that picking a few is quick."""

    figures: pd.DataFrame
    mentions: pd.DataFrame | None
    figure_at: dict[str, int]
    mention_at: dict[str, int]

    @classmethod
    def of(cls, frames: Frames, records: list[dict[str, Any]]) -> _Known:
        named = {x for rec in records for x in _named(rec)}
        figures = _rows_named(frames["figures"], "figure_id", named, last=True)
        figure_at = {str(f): i for i, f in enumerate(figures["figure_id"])}
        mentions = frames.get("mentions")
        mention_at: dict[str, int] = {}
        if mentions is not None:
            mentions = _rows_named(mentions, "mention_id", named, last=False)
            for i, m in enumerate(mentions["mention_id"]):
                mention_at.setdefault(str(m), i)
        return cls(figures, mentions, figure_at, mention_at)

    def is_figure(self, ident: str) -> bool:
        return ident in self.figure_at

    def check(self, rec: dict[str, Any]) -> Check:
        """The check ``rec`` records (:func:`aidstats.checks.check_from_row`), given only
        the figures and mentions it names."""
        idents = _named(rec)
        at = sorted(self.figure_at[i] for i in idents if i in self.figure_at)
        mentions = self.mentions
        if mentions is not None:
            hits = {self.mention_at[i] for i in idents if i in self.mention_at}
            mentions = mentions.iloc[sorted(hits)]
        return check_from_row(rec, self.figures.iloc[at], mentions)


def _named(rec: dict[str, Any]) -> set[str]:
    """The ids of the figures and mentions a check names."""
    named = [*json.loads(rec["operand_refs"] or "{}").values(), rec.get("expected_ref")]
    return {str(x) for x in named if not missing(x) and str(x)}


def _rows_named(df: pd.DataFrame, column: str, named: set[str], *, last: bool) -> pd.DataFrame:
    """The rows of ``df`` whose ``column`` is in ``named`` (of an id held twice, the
    ``last`` or the first row), as Python objects."""
    ids = df[column].astype(str)
    picked = df[ids.isin(named) & ~ids.duplicated(keep="last" if last else "first")]
    return picked.astype(object)


def _check_cells(s: Sheet, r: int, rec: dict[str, Any], known: _Known) -> dict[str, CellSpec]:
    """The operand, computed, limit and verdict cells of one check, and its arithmetic."""
    check = known.check(rec)
    unit = check.expected.quantity.unit if check.expected else ""
    fmt = number_format(unit, rec["computed"], derived=True)
    cells: dict[str, CellSpec] = {}
    refs: dict[str, str] = {}
    for i, (name, op) in enumerate(check.operands.items(), start=1):
        ident, value = s.ref(f"operand_{i}", r), s.ref(f"value_{i}", r)
        cells[f"operand_{i}"] = CellSpec(op.id)
        op_fmt = number_format(op.quantity.unit, op.quantity.value)
        if known.is_figure(op.id):  # at_most reads the least the wording allows
            read = lower_or_value if check.test == "at_most" else _value
            cells[f"value_{i}"] = reported(Formula(read(figure_row(ident))), op_fmt)
        else:
            cells[f"value_{i}"] = reported(op.quantity.value, op_fmt)
        refs[name] = value
    tol = num(rec["tolerance"])
    cells["tolerance"] = CellSpec("∞" if math.isinf(tol) else tol, fmt)
    if check.test == "same_date":
        cells["verdict"] = CellSpec(rec["verdict"])
        return cells
    at = {c: s.ref(c, r) for c in ("computed", "expected", "expected_ref", "tolerance", "verdict")}
    figure = bool(check.expected and known.is_figure(check.expected.id))
    expected_row = figure_row(at["expected_ref"])
    if figure:
        cells["expected"] = reported(Formula(_value(expected_row)), fmt)
    elif check.expected and check.expected.id:  # a quoted mention: a reported constant
        cells["expected"] = reported(rec["expected"], fmt)
    else:  # a bound such as 100%
        cells["expected"] = CellSpec(rec["expected"], fmt)
    if check.formula:
        formula = check.metric.formulas({k: Cells(v) for k, v in refs.items()}).value
        cells["computed"] = derived(Formula(formula), fmt)
    low, high, extra = _limits(check, at, expected_row if figure else None)
    for column, limit in (("low_limit", low), ("high_limit", high)):
        cells[column] = derived(limit, fmt) if isinstance(limit, Formula) else CellSpec(limit, fmt)
    slack = _SLACK.get(check.test, 0.0)
    cells["slack"] = CellSpec(slack, "0E+00")
    cells["verdict"] = derived(
        verdict(
            computed=at["computed"],
            low=s.ref("low_limit", r),
            high=s.ref("high_limit", r),
            slack=s.ref("slack", r),
            extra=extra,
        )
    )
    ok = rec["verdict"] == "pass"
    where = CheckCells(refs, at["computed"], at["expected"], at["verdict"])
    written = arithmetic(check, result_of(check), ok, cells=where)
    cells["arithmetic"] = live_text(written)
    return cells


def _value(row_ref: str) -> str:
    return lookup("value", row_ref)


def _limits(check: Any, at: dict[str, str], expected_row: str | None) -> tuple[Any, Any, str]:
    """(low, high, extra condition) of a check's verdict, by its test."""
    if check.test == "at_most":  # at most the expected value's upper bound (none: no limit)
        high = Formula(lookup("upper", expected_row)) if expected_row else Formula(at["expected"])
        return None, high, ""
    if check.test == "same_value":  # the same number, and never across units
        first = next(iter(check.operands.values())).quantity.unit
        extra = "" if first == check.expected.quantity.unit else ",FALSE"
        return Formula(at["expected"]), Formula(at["expected"]), extra
    if math.isfinite(check.tolerance):  # within: the rounding of the reported value
        e, tol = at["expected"], at["tolerance"]
        return Formula(f"{e}-{tol}"), Formula(f"{e}+{tol}"), ""
    if expected_row:  # within the bounds of a 超/近 figure
        return Formula(lookup("lower", expected_row)), Formula(lookup("upper", expected_row)), ""
    q = check.expected.quantity
    return (None if missing(q.lower) else q.lower), (None if missing(q.upper) else q.upper), ""
