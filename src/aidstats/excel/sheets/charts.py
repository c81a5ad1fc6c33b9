"""The *Charts* sheet: each chart on a printed page of its own, above the data it draws.

The chart data are formulas into the Spending, Sales and Beneficiaries sheets, so a
corrected figure redraws its bar. Entries of automatic figures are labelled [auto].
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from aidstats.excel import scale
from aidstats.excel.cells import TITLE, missing, put, text
from aidstats.excel.layout import BENEFICIARIES, CHARTS, SALES, SPENDING
from aidstats.excel.native_charts import (
    ChartEntry,
    ChartSeries,
    chart_block,
    chart_label,
)
from aidstats.excel.sheet import Sheet, print_setup

Frames = dict[str, pd.DataFrame]
_FIRST = 3  # the row of the first chart, under the title, on the first page
_WIDTHS = {"A": 40, "B": 13, "C": 13, "D": 2}  # the data block, then the chart from E
_LAST_COLUMN = "N"  # the print area: the data and the chart beside it
_TITLE = "图表 Charts — 每页一图,数据以公式链接至各表 / one chart a page, linked to the tables"
_PEOPLE = {  # measure → chart title; one chart per measure, as they are never added
    "people": "受益人数(人) People reached",
    "person_times": "受益人次 Person-times (visits, participations)",
}


def charts_sheet(wb: Workbook, frames: Frames, sheets: dict[str, Sheet]) -> None:
    """The shares, sales and beneficiaries charts, one a page."""
    ws = wb.create_sheet(CHARTS)
    put(ws, 1, 1, _TITLE).font = TITLE
    for letter, width in _WIDTHS.items():
        ws.column_dimensions[letter].width = width
    row = _shares(ws, _FIRST, frames["spending_shares"], sheets[SPENDING])
    row = _sales(ws, row, frames["sales_growth"], sheets[SALES])
    _beneficiaries(ws, row, frames["beneficiaries"], sheets[BENEFICIARIES])
    ws.sheet_view.showGridLines = False
    print_setup(ws, area=f"A1:{_LAST_COLUMN}{max(ws.max_row, 2)}")


def _top(picked: list[tuple[int, dict[str, Any]]], value: str) -> tuple[list[Any], str]:
    """The (row, record) pairs a chart draws: all up to
    :data:`~aidstats.excel.scale.CHART_MAX_ENTRIES`, else
    the curated ones and then those with the largest ``value``, in table order; and the
    words that say so after the chart's title."""
    most = scale.CHART_MAX_ENTRIES
    if len(picked) <= most:
        return picked, ""

    def rank(j: int) -> tuple[bool, float, int]:
        rec = picked[j][1]
        number = float("-inf") if missing(rec[value]) else float(rec[value])
        return (rec.get("status") != "curated", -number, j)

    kept = sorted(sorted(range(len(picked)), key=rank)[:most])
    note = (
        f" — 前 {most} 项(共 {len(picked)} 项,人工整理的优先,其次数值最大的) / "
        f"top {most} of {len(picked)} (curated first, then the largest)"
    )
    return [picked[j] for j in kept], note


def _shares(ws: Worksheet, row: int, df: pd.DataFrame, s: Sheet) -> int:
    """Each part's share of its total (reported or derived); the curated and largest
    totals when there are too many to draw."""
    records = df.to_dict("records")
    picked, more = _top(
        [(i, rec) for i, rec in enumerate(records) if not missing(rec["share_pct"])],
        "whole_value",
    )
    entries = [
        ChartEntry(chart_label(rec), {"share_pct": s.xref("share_pct", s.first_row + i)})
        for i, rec in picked
    ]
    return _block(
        ws,
        row,
        entries,
        title="占总数的比例(%) Share of the total (%)" + more,
        series=[ChartSeries("share_pct", "占比 share (%)")],
        fmt="0.0",
        horizontal=True,
        axis_title="%",
    )


def _sales(ws: Worksheet, row: int, df: pd.DataFrame, s: Sheet) -> int:
    """Reported sales value per programme and year beside the implied previous year."""
    records = df.to_dict("records")
    previous = {  # the sales value a previous-year row is implied from → that row
        json.loads(rec["operand_refs"])["value"]: s.first_row + i
        for i, rec in enumerate(records)
        if rec["metric"] == "previous_year_value"
    }
    entries = []
    picked, more = _top(
        [(i, rec) for i, rec in enumerate(records) if rec["metric"] == "sales_value"], "value"
    )
    for i, rec in picked:
        label = " ".join(
            text(rec[k]) for k in ("donor", "program", "period_end", "quote") if text(rec[k])
        )  # the quote keeps the bound in sight: 超17亿元 is at least 17亿元
        cells = {"value": s.xref("value", s.first_row + i)}
        if rec["figure_ids"] in previous:
            cells["previous"] = s.xref("value", previous[rec["figure_ids"]])
        entries.append(ChartEntry(label + (" [auto]" if rec["status"] == "auto" else ""), cells))
    return _block(
        ws,
        row,
        entries,
        title="消费帮扶销售额(亿元) Consumption-aid sales (100 million yuan)" + more,
        series=[
            ChartSeries("value", "报道 reported", 1e8),
            ChartSeries("previous", "推算上年 implied", 1e8),
        ],
        horizontal=False,
        axis_title="亿元",
    )


def _beneficiaries(ws: Worksheet, row: int, df: pd.DataFrame, s: Sheet) -> int:
    """A chart per measure (log scale when the counts span 100×)."""
    records = df.to_dict("records")
    for measure, title in _PEOPLE.items():
        picked = [
            (s.first_row + i, rec)
            for i, rec in enumerate(records)
            if rec["measure"] == measure and not missing(rec["value"]) and rec["value"] > 0
        ]
        picked, more = _top(picked, "value")
        values = [rec["value"] for _, rec in picked]
        log_scale = len(values) >= 4 and max(values) / min(values) >= 100
        row = _block(
            ws,
            row,
            [ChartEntry(chart_label(rec), {"value": s.xref("value", r)}) for r, rec in picked],
            title=title + (" — 对数刻度 log scale" if log_scale else "") + more,
            series=[ChartSeries("value", "数值 value")],
            fmt="#,##0",
            log_scale=log_scale,
            horizontal=True,
            axis_title=measure,
        )
    return row


def _block(ws: Worksheet, row: int, entries: list[ChartEntry], **chart: Any) -> int:
    """A chart of ``entries`` from ``row`` (:func:`chart_block`, a new printed page after
    the first chart) and the next free row; nothing when there are no entries."""
    if not entries:
        return row
    return chart_block(ws, top=row, new_page=row > _FIRST, entries=entries, **chart)
