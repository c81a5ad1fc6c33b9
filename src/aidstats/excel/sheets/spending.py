"""The *Spending* sheet: parts of a total and their share, reported or derived (live).

A derived share or amount is the metric the table names (``share_of``,
``amount_from_share`` in :mod:`aidstats.metrics`) over the cells of the figures its
``operand_refs`` name; its arithmetic is written live beside it.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from openpyxl import Workbook

from aidstats.excel.cells import (
    EMPTY,
    CellSpec,
    derived,
    live_text,
    lookup_cells,
    number_format,
    reported,
    text,
)
from aidstats.excel.formulas import Formula, guard, match_figure
from aidstats.excel.layout import SPENDING
from aidstats.excel.sheet import Sheet
from aidstats.metrics import METRICS, Result
from aidstats.quantities import Cells, Quantity

_SHARE = ("share_pct", "share_lower_pct", "share_upper_pct")
_AMOUNT = ("amount", "amount_lower", "amount_upper")
_TARGETS = {"share_of": _SHARE, "amount_from_share": _AMOUNT}  # metric → its cells

_TITLE = "资金与项目占比 Spending — 部分占总数的比例 / parts and their share of the total"
_NOTE = (
    "报道的占比推算金额(总数 × 占比),报道的金额或个数推算占比(部分 ÷ 总数);"
    "上下界随之传递。"
    "A reported share gives an amount (total × share); a reported part gives a share "
    "(part ÷ total); bounds propagate. Inputs are looked up in Figures by figure id."
)


def readable_refs(refs: Any) -> str:
    """operand_refs (JSON) as a person reads it: one "name = figure" a line."""
    pairs = json.loads(text(refs) or "{}")
    return "\n".join(f"{name} = {ident}" for name, ident in pairs.items())


def spending_sheet(wb: Workbook, df: pd.DataFrame, figures: pd.DataFrame) -> Sheet:
    """One row per part: looked-up part and total, the share and the amount it implies."""
    s = Sheet.of_table(wb, SPENDING, title=_TITLE, note=_NOTE, table_columns=list(df.columns))
    by_id = {rec["figure_id"]: rec for rec in figures.to_dict("records")}
    s.write_records(df.to_dict("records"), lambda r, rec: _row_cells(s, r, rec, by_id))
    return s


def _row_cells(
    s: Sheet, r: int, rec: dict[str, Any], by_id: dict[str, dict[str, Any]]
) -> dict[str, CellSpec]:
    """The looked-up part and total, and the share and amount cells of one row."""
    part = by_id.get(rec["figure_id"], {})
    whole = by_id.get(rec["whole_figure"], {})
    part_fmt = number_format(part.get("unit", rec["unit"]), rec["part_value"])
    whole_fmt = number_format(whole.get("unit", rec["unit"]), rec["whole_value"])
    cells = {c: EMPTY for c in (*_SHARE, *_AMOUNT, "whole_value", "whole_lower", "whole_upper")}
    cells["figures_row"] = CellSpec(match_figure(s.ref("figure_id", r)))
    cells |= lookup_cells(s.ref("figures_row", r), part_fmt, prefix="part_")
    if text(rec["whole_figure"]) != "":
        cells["whole_row"] = CellSpec(match_figure(s.ref("whole_figure", r)))
        cells |= lookup_cells(s.ref("whole_row", r), whole_fmt, prefix="whole_")
    part_cells = Cells(*(s.ref(f"part_{f}", r) for f in ("value", "lower", "upper")))
    for targets, basis in ((_SHARE, rec["share_basis"]), (_AMOUNT, rec["amount_basis"])):
        fmt = number_format("%" if targets == _SHARE else rec["unit"], rec[targets[0]])
        if basis == "reported":  # the part itself is what the article reports
            sources = (part_cells.value, part_cells.lower, part_cells.upper)
            cells |= {c: reported(guard(x, x), fmt) for c, x in zip(targets, sources, strict=True)}
    if text(rec["metric"]):
        cells |= _derived_cells(s, r, rec, by_id)
    if text(rec["operand_refs"]):
        cells["operand_refs"] = CellSpec(readable_refs(rec["operand_refs"]))
    return cells


def _derived_cells(
    s: Sheet, r: int, rec: dict[str, Any], by_id: dict[str, dict[str, Any]]
) -> dict[str, CellSpec]:
    """The metric's value and bounds as formulas, and its arithmetic written live."""
    metric = METRICS[rec["metric"]]
    targets = _TARGETS[metric.name]
    place = {
        rec["figure_id"]: "part_",
        rec["whole_figure"]: "whole_",
    }  # the cells on this row that hold each figure
    refs = json.loads(rec["operand_refs"])
    cells_of = {
        name: Cells(*(s.ref(f"{place[ident]}{f}", r) for f in ("value", "lower", "upper")))
        for name, ident in refs.items()
    }
    formulas = metric.formulas(cells_of)
    fmt = number_format("%" if metric.percent else rec["unit"], rec[targets[0]], derived=True)
    out = {
        c: derived(Formula(f), fmt)
        for c, f in zip(targets, (formulas.value, formulas.lower, formulas.upper), strict=True)
    }
    result = Result(*(rec[c] for c in targets))
    ops = {name: Quantity.of(by_id[ident]) for name, ident in refs.items()}
    result_cells = Cells(*(s.ref(c, r) for c in targets))
    written = metric.arithmetic(ops, result, cells=cells_of, result_cells=result_cells)
    out["formula"] = live_text(written)
    return out
