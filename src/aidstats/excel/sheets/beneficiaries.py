"""The *Beneficiaries* sheet: people and person-times, looked up in Figures, never added."""

from __future__ import annotations

from typing import Any

import pandas as pd
from openpyxl import Workbook

from aidstats.excel.cells import CellSpec, display_cell, live_text, lookup_cells, number_format
from aidstats.excel.formulas import match_figure
from aidstats.excel.layout import BENEFICIARIES
from aidstats.excel.sheet import Sheet
from aidstats.quantities import Cells, Quantity, write_bounds

_TITLE = (
    "受益人数与人次 Beneficiaries — 人与人次分列,不可相加 / people and person-times, never added"
)
_NOTE = (
    "bounds 列说明措辞允许的结论(如 37680余人次 → ≥ 3.768万人次, < 3.769万人次)。"
    "The bounds column states what the wording lets a reader conclude."
)


def beneficiaries_sheet(wb: Workbook, df: pd.DataFrame) -> Sheet:
    """One row per count: looked up in Figures, written out, with what its bounds allow."""
    s = Sheet.of_table(wb, BENEFICIARIES, title=_TITLE, note=_NOTE, table_columns=list(df.columns))
    return s.write_records(df.to_dict("records"), lambda r, rec: _row_cells(s, r, rec))


def _row_cells(s: Sheet, r: int, rec: dict[str, Any]) -> dict[str, CellSpec]:
    """A count's cells: its Figures row, its display and bounds, the looked-up values."""
    q = Quantity.of(rec)
    bounds = Cells(*(s.ref(c, r) for c in ("value", "lower", "upper")))
    return {
        "figures_row": CellSpec(match_figure(s.ref("figure_id", r))),
        "display": display_cell(bounds.value, q),
        "bounds": live_text(write_bounds(q, cells=bounds)),
        **lookup_cells(s.ref("figures_row", r), number_format(rec["unit"], rec["value"])),
    }
