"""The *Sales* sheet: reported consumption-aid sales and what they imply (live formulas).

Reported rows look their figure up in Figures; a derived row is its metric (from
:mod:`aidstats.metrics`) over the cells of the reported rows its ``operand_refs`` name.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from openpyxl import Workbook

from aidstats.excel.cells import (
    CellSpec,
    derived,
    display_cell,
    live_text,
    lookup_cells,
    number_format,
    text,
)
from aidstats.excel.formulas import Formula, match_figure
from aidstats.excel.layout import SALES
from aidstats.excel.sheet import Sheet
from aidstats.excel.sheets.spending import readable_refs
from aidstats.metrics import METRICS, Result
from aidstats.quantities import Cells, Quantity, qualifier_formula

_TITLE = "消费帮扶销售 Sales — 报道值与推算值 / reported sales and what they imply"
_NOTE = (
    "推算:上年销售额 = 销售额 ÷ (1 + 增长率);每吨销售额 = 销售额 ÷ 销量;"
    "线上占比 = 线上 ÷ 总额;"
    "两年增长 = 本年 ÷ 上年 − 1。Derived: previous year = value ÷ (1 + g); per tonne = "
    "value ÷ volume; online share = online ÷ total; growth = this year ÷ last year − 1."
)


def sales_sheet(wb: Workbook, df: pd.DataFrame) -> Sheet:
    """Reported rows look their figure up; derived rows are formulas over reported rows."""
    s = Sheet.of_table(wb, SALES, title=_TITLE, note=_NOTE, table_columns=list(df.columns))
    records = df.to_dict("records")
    reported_rows = {
        text(rec["figure_ids"]): (s.first_row + i, rec)
        for i, rec in enumerate(records)
        if rec["basis"] == "reported"
    }
    return s.write_records(records, lambda r, rec: _row_cells(s, r, rec, reported_rows))


def _row_cells(
    s: Sheet, r: int, rec: dict[str, Any], reported_rows: dict[str, tuple[int, dict[str, Any]]]
) -> dict[str, CellSpec]:
    """The display, and the looked-up or derived value, bounds and qualifier of one row."""
    derived_row = rec["basis"] == "derived"
    fmt = number_format(rec["unit"], rec["value"], derived=derived_row)
    q = Quantity.of(rec)
    cells = {"display": display_cell(s.ref("value", r), q, derived=derived_row)}
    if not derived_row:
        cells["figures_row"] = CellSpec(match_figure(s.ref("figure_ids", r)))
        cells |= lookup_cells(s.ref("figures_row", r), fmt)
        return cells
    metric = METRICS[rec["metric"]]
    refs = json.loads(rec["operand_refs"])
    cells_of = {
        name: Cells(*(s.ref(c, reported_rows[ident][0]) for c in ("value", "lower", "upper")))
        for name, ident in refs.items()
    }
    formulas = metric.formulas(cells_of)
    for c, formula in zip(
        ("value", "lower", "upper"), (formulas.value, formulas.lower, formulas.upper), strict=True
    ):
        cells[c] = derived(Formula(formula), fmt)
    value, lower, upper = (s.ref(c, r) for c in ("value", "lower", "upper"))
    cells["qualifier"] = derived(Formula(qualifier_formula(value, lower, upper)))
    ops = {name: Quantity.of(reported_rows[ident][1]) for name, ident in refs.items()}
    result = Result(q.value, q.lower, q.upper)
    written = metric.arithmetic(ops, result, cells=cells_of, result_cells=Cells(value))
    cells["formula"] = live_text(written)
    cells["operand_refs"] = CellSpec(readable_refs(rec["operand_refs"]))
    return cells
