"""The *Sales* sheet: reported consumption-aid sales and what they imply (live formulas)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from openpyxl import Workbook

from aidstats.excel import columns
from aidstats.excel.cells import CellSpec, derived, display_cell, lookup_cells, number_format, text
from aidstats.excel.formulas import SALES_FORMULAS, Operand, match_figure, qualifier
from aidstats.excel.layout import SALES
from aidstats.excel.native_charts import ChartEntry, ChartSeries, chart_block
from aidstats.excel.sheet import Sheet

_TITLE = "消费帮扶销售 Sales — 报道值与推算值 / reported sales and what they imply"
_NOTE = (
    "推算:上年销售额 = 销售额 ÷ (1 + 增长率);每吨销售额 = 销售额 ÷ 销量;"
    "线上占比 = 线上 ÷ 总额;"
    "两年增长 = 本年 ÷ 上年 − 1。Derived: previous year = value ÷ (1 + g); per tonne = "
    "value ÷ volume; online share = online ÷ total; growth = this year ÷ last year − 1."
)


def sales_sheet(wb: Workbook, df: pd.DataFrame) -> Sheet:
    """Reported rows look their figure up; derived rows are formulas over reported rows."""
    s = Sheet.table(
        wb,
        SALES,
        title=_TITLE,
        note=_NOTE,
        columns=columns.shown(SALES, list(df.columns)),
    )
    records = df.to_dict("records")
    row_of = {
        text(rec["figure_ids"]): s.first_row + i
        for i, rec in enumerate(records)
        if rec["basis"] == "reported"
    }
    for i, rec in enumerate(records):
        r = s.first_row + i
        s.write_row(r, rec, _row_cells(s, r, rec, row_of))
    s.finish()
    _sales_chart(s, records)
    return s


def _row_cells(
    s: Sheet, r: int, rec: dict[str, Any], row_of: dict[str, int]
) -> dict[str, CellSpec]:
    """The display, and the looked-up or derived value, bounds and qualifier of one row."""
    fmt = number_format(rec["unit"], rec["value"])
    cells = {"display": display_cell(s.ref("value", r), rec["unit"], rec["value"])}
    if rec["basis"] == "reported":
        cells["figures_row"] = CellSpec(match_figure(s.ref("figure_ids", r)))
        cells |= lookup_cells(s.ref("figures_row", r), fmt)
        return cells
    a, b = (
        Operand(*(s.ref(c, row_of[x]) for c in ("value", "lower", "upper")))
        for x in text(rec["figure_ids"]).split(";")[:2]
    )
    formulas = SALES_FORMULAS[rec["metric"]].formulas(a, b)
    for c, formula in zip(("value", "lower", "upper"), formulas, strict=True):
        cells[c] = derived(formula, fmt)
    cells["qualifier"] = derived(qualifier(s.ref("lower", r), s.ref("upper", r)))
    return cells


def _sales_chart(s: Sheet, records: list[dict[str, Any]]) -> None:
    """Reported sales value per programme and year beside the implied previous year."""
    values = [
        (s.first_row + i, rec) for i, rec in enumerate(records) if rec["metric"] == "sales_value"
    ]
    if not values:
        return
    prev = {
        text(rec["figure_ids"]).split(";")[0]: s.first_row + i
        for i, rec in enumerate(records)
        if rec["metric"] == "previous_year_value"
    }
    entries = []
    for r, rec in values:
        label = " ".join(
            text(rec[k]) for k in ("donor", "program", "period_end", "quote") if text(rec[k])
        )  # the quote keeps the bound in sight: 超17亿元 is at least 17亿元
        rows = {"value": r}
        if text(rec["figure_ids"]) in prev:
            rows["previous"] = prev[text(rec["figure_ids"])]
        entries.append(ChartEntry(label, rows))
    chart_block(
        s,
        title="消费帮扶销售额(亿元) Consumption-aid sales (100 million yuan)",
        entries=entries,
        series=[
            ChartSeries("value", "报道 reported", 1e8),
            ChartSeries("previous", "推算上年 implied", 1e8, column="value"),
        ],
        horizontal=False,
        axis_title="亿元",
    )
