"""The *Beneficiaries* sheet: people and person-times, looked up in Figures, never added."""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook

from aidstats.excel import columns
from aidstats.excel.cells import CellSpec, display_cell, lookup_cells, missing, number_format
from aidstats.excel.formulas import match_figure
from aidstats.excel.layout import BENEFICIARIES
from aidstats.excel.native_charts import ChartEntry, ChartSeries, chart_block, chart_label
from aidstats.excel.sheet import Sheet

_CHARTS = {  # measure → chart title; one chart per measure, as they are never added
    "people": "受益人数(人) People reached",
    "person_times": "受益人次 Person-times (visits, participations)",
}

_TITLE = (
    "受益人数与人次 Beneficiaries — 人与人次分列,不可相加 / people and person-times, never added"
)
_NOTE = (
    "bounds 列说明措辞允许的结论(如 37680余人次 → ≥ 3.768万人次, < 3.769万人次)。"
    "The bounds column states what the wording lets a reader conclude."
)


def beneficiaries_sheet(wb: Workbook, df: pd.DataFrame) -> Sheet:
    """One row per count, and a chart per measure (log scale when the counts span 100×)."""
    s = Sheet.table(
        wb,
        BENEFICIARIES,
        title=_TITLE,
        note=_NOTE,
        columns=columns.shown(BENEFICIARIES, list(df.columns)),
    )
    records = df.to_dict("records")
    for i, rec in enumerate(records):
        r = s.first_row + i
        fmt = number_format(rec["unit"], rec["value"])
        cells: dict[str, CellSpec] = {
            "figures_row": CellSpec(match_figure(s.ref("figure_id", r))),
            "display": display_cell(s.ref("value", r), rec["unit"], rec["value"]),
            **lookup_cells(s.ref("figures_row", r), fmt),
        }
        s.write_row(r, rec, cells)
    s.finish()
    row = s.last_row + 2
    for measure, title in _CHARTS.items():
        picked = [
            (s.first_row + i, rec)
            for i, rec in enumerate(records)
            if rec["measure"] == measure and not missing(rec["value"]) and rec["value"] > 0
        ]
        if not picked:
            continue
        values = [rec["value"] for _, rec in picked]
        log_scale = len(values) >= 4 and max(values) / min(values) >= 100
        row = chart_block(
            s,
            title=title + (" — 对数刻度 log scale" if log_scale else ""),
            entries=[ChartEntry(chart_label(rec), {"value": r}) for r, rec in picked],
            series=[ChartSeries("value", "数值 value")],
            fmt="#,##0",
            log_scale=log_scale,
            horizontal=True,
            axis_title=measure,
            anchor_row=row,
        )
    return s
