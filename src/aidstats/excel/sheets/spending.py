"""The *Spending* sheet: parts of a total and their share, reported or derived (live)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from openpyxl import Workbook

from aidstats.excel import columns
from aidstats.excel.cells import (
    EMPTY,
    PERCENT,
    CellSpec,
    derived,
    lookup_cells,
    missing,
    number_format,
    reported,
    text,
)
from aidstats.excel.formulas import (
    AMOUNT_OF_PERCENT,
    PERCENT_OF,
    Derivation,
    Operand,
    guard,
    match_figure,
)
from aidstats.excel.layout import SPENDING
from aidstats.excel.native_charts import ChartEntry, ChartSeries, chart_block, chart_label
from aidstats.excel.sheet import Sheet

_SHARE = ("share_pct", "share_lower_pct", "share_upper_pct")
_AMOUNT = ("amount", "amount_lower", "amount_upper")

_TITLE = "资金与项目占比 Spending — 部分占总数的比例 / parts and their share of the total"
_NOTE = (
    "报道的占比推算金额(总数 × 占比),报道的金额或个数推算占比(部分 ÷ 总数);"
    "上下界随之传递。"
    "A reported share gives an amount (total × share); a reported part gives a share "
    "(part ÷ total); bounds propagate. Inputs are looked up in Figures by figure id."
)


def spending_sheet(wb: Workbook, df: pd.DataFrame, figures: pd.DataFrame) -> Sheet:
    """One row per part: looked-up part and total, the share and the amount it implies."""
    s = Sheet.table(
        wb,
        SPENDING,
        title=_TITLE,
        note=_NOTE,
        columns=columns.shown(SPENDING, list(df.columns)),
    )
    units = dict(zip(figures["figure_id"], figures["unit"], strict=True))
    records = df.to_dict("records")
    for i, rec in enumerate(records):
        r = s.first_row + i
        s.write_row(r, rec, _row_cells(s, r, rec, units))
    s.finish()
    picked = [
        (s.first_row + i, rec) for i, rec in enumerate(records) if not missing(rec["share_pct"])
    ]
    if picked:
        chart_block(
            s,
            title="占总数的比例(%) Share of the total (%)",
            entries=[ChartEntry(chart_label(rec), {"share_pct": r}) for r, rec in picked],
            series=[ChartSeries("share_pct", "占比 share (%)")],
            horizontal=True,
            axis_title="%",
        )
    return s


def _row_cells(s: Sheet, r: int, rec: dict[str, Any], units: dict[str, str]) -> dict[str, CellSpec]:
    """The looked-up part and total, and the share and amount cells of one row."""
    part = Operand(*(s.ref(f"part_{f}", r) for f in ("value", "lower", "upper")))
    whole = Operand(*(s.ref(f"whole_{f}", r) for f in ("value", "lower", "upper")))
    part_fmt = number_format(units.get(rec["figure_id"], rec["unit"]), rec["part_value"])
    whole_fmt = number_format(units.get(rec["whole_figure"], rec["unit"]), rec["whole_value"])
    amount_fmt = number_format(rec["unit"], rec["amount"])
    cells = {c: EMPTY for c in (*_SHARE, *_AMOUNT, "whole_value", "whole_lower", "whole_upper")}
    cells["figures_row"] = CellSpec(match_figure(s.ref("figure_id", r)))
    cells |= lookup_cells(s.ref("figures_row", r), part_fmt, prefix="part_")
    if text(rec["whole_figure"]) != "":
        cells["whole_row"] = CellSpec(match_figure(s.ref("whole_figure", r)))
        cells |= lookup_cells(s.ref("whole_row", r), whole_fmt, prefix="whole_")
    operands = {"part": part, "whole": whole}
    cells |= _basis_cells(_SHARE, rec["share_basis"], PERCENT_OF, fmt=PERCENT, **operands)
    cells |= _basis_cells(
        _AMOUNT, rec["amount_basis"], AMOUNT_OF_PERCENT, fmt=amount_fmt, **operands
    )
    return cells


def _basis_cells(
    targets: tuple[str, str, str],
    basis: str,
    derivation: Derivation,
    *,
    part: Operand,
    whole: Operand,
    fmt: str,
) -> dict[str, CellSpec]:
    """A share or amount (value, lower, upper): the part itself when it is what the
    article reports, derived from part and total when ``basis`` says "derived"."""
    if basis == "reported":
        sources = (part.value, part.lower, part.upper)
        return {c: reported(guard(src, src), fmt) for c, src in zip(targets, sources, strict=True)}
    if basis == "derived":
        formulas = derivation.formulas(part, whole)
        return {c: derived(f, fmt) for c, f in zip(targets, formulas, strict=True)}
    return {}
