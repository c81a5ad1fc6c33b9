"""The workbook as a file: the sheets in order, document properties, deterministic bytes.

The same frames and ``generated`` give a byte-identical file: the document timestamps come
from ``generated`` (default: the latest publication date among the articles), the zip
entries carry a fixed 1980-01-01 timestamp, in sorted order. The file is written to a
temporary file beside the target and renamed over it.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from aidstats.errors import AidstatsError
from aidstats.excel.cells import text
from aidstats.excel.layout import (
    ABOUT,
    BENEFICIARIES,
    CHARTS,
    CHECKS,
    FIGURES,
    PANEL,
    REQUIRED,
    SALES,
    SOURCES,
    SPENDING,
)
from aidstats.excel.scale import shown_frames
from aidstats.excel.sheet import Sheet
from aidstats.excel.sheets.beneficiaries import beneficiaries_sheet
from aidstats.excel.sheets.charts import charts_sheet
from aidstats.excel.sheets.checks import checks_sheet
from aidstats.excel.sheets.figures import figures_sheet
from aidstats.excel.sheets.panel import panel_sheet
from aidstats.excel.sheets.sales import sales_sheet
from aidstats.excel.sheets.sources import about_sheet, sources_sheet
from aidstats.excel.sheets.spending import spending_sheet
from aidstats.excel.sheets.summary import summary_sheet
from aidstats.outputs import atomic_write_bytes

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _as_datetime(given: str) -> dt.datetime:
    """YYYY, YYYY-MM, YYYY-MM-DD or a full ISO timestamp, as a naive UTC datetime."""
    value = given.strip()
    padded = {4: value + "-01-01", 7: value + "-01"}.get(len(value), value)
    try:
        stamp = dt.datetime.fromisoformat(padded)
    except ValueError:
        raise AidstatsError(
            f"generation date {given!r} is not an ISO date (YYYY-MM-DD); pass e.g. 2024-05-01"
        ) from None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
    return stamp


@dataclass(frozen=True)
class Generation:
    """The date the workbook carries: what it is (label), as shown, as a timestamp, why."""

    label: str
    shown: str
    stamp: dt.datetime
    note: str


def generation_date(articles: pd.DataFrame, generated: str | None = None) -> Generation:
    """The date of the workbook.

    An explicit ``generated`` is the date it was made. Otherwise the date comes from the
    inputs — the latest publication date among the articles, labelled as such (it is not
    when the file was made) — so that the same inputs give the same bytes.
    """
    if generated:
        return Generation(
            label="生成日期 Generated on",
            shown=generated,
            stamp=_as_datetime(generated),
            note="生成日期由调用方给定。The generation date was passed in by the caller.",
        )
    dates = sorted(text(d) for d in articles.get("published", pd.Series(dtype=str)) if text(d))
    latest = dates[-1] if dates else "1980-01-01"
    return Generation(
        label="资料截至 Sources up to",
        shown=f"{latest}(各文章中最晚的发表日期,并非文件生成日期 / the latest publication "
        "date among the articles, not the date this file was made)",
        stamp=_as_datetime(latest),
        note="未给定生成日期时,文件日期取各文章中最晚的发表日期,使相同输入生成逐字节相同的文件。"
        "No build date was given: the file's date is the latest publication date among the "
        "articles, so the same inputs give a byte-identical workbook.",
    )


def build_workbook(frames: dict[str, pd.DataFrame], *, generated: str | None = None) -> Workbook:
    """The summary workbook in memory (see :mod:`aidstats.excel` for its layout)."""
    missing = [name for name in REQUIRED if name not in frames]
    if missing:
        raise AidstatsError(f"the Excel summary needs the tables: {', '.join(missing)}")
    when = generation_date(frames["articles"], generated)
    wb = Workbook()
    wb.remove(wb.active)
    props = wb.properties
    props.creator = props.lastModifiedBy = "aidstats"
    props.title = "aidstats summary — 对口援疆数据概览"
    props.created = props.modified = when.stamp
    wb.calculation.fullCalcOnLoad = True
    shown = shown_frames(frames)  # every row up to the limits of aidstats.excel.scale
    figures = shown.frames["figures"]
    sheets: dict[str, Sheet] = {
        FIGURES: figures_sheet(wb, figures),
        SPENDING: spending_sheet(wb, shown.frames["spending_shares"], figures),
        SALES: sales_sheet(wb, shown.frames["sales_growth"]),
        BENEFICIARIES: beneficiaries_sheet(wb, shown.frames["beneficiaries"]),
        # a check is rebuilt from the whole figures and mentions tables
        CHECKS: checks_sheet(wb, shown.frames["consistency_checks"], frames),
        PANEL: panel_sheet(wb, frames),
        SOURCES: sources_sheet(wb, shown.frames["articles"]),
        ABOUT: about_sheet(wb, " ".join([when.note, *shown.notes])),
    }
    charts_sheet(wb, shown.frames, sheets)
    wb.move_sheet(CHARTS, offset=-(len(wb.sheetnames) - 1))
    summary_sheet(
        wb,
        {**shown.frames, "articles": frames["articles"]},  # every title, for the headlines
        sheets,
        dated=(when.label, when.shown),
        date_note=when.note,
        selection=shown.notes,
    )
    wb.active = 0
    return wb


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed entry timestamps and attributes, entries in sorted order."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for name in sorted(src.namelist()):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, src.read(name), compresslevel=6)
    return out.getvalue()


def workbook_bytes(frames: dict[str, pd.DataFrame], *, generated: str | None = None) -> bytes:
    """The workbook as deterministic .xlsx bytes."""
    wb = build_workbook(frames, generated=generated)
    raw = io.BytesIO()
    # ExcelWriter directly: openpyxl's save() would stamp "modified" with the clock.
    archive = zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()
    return _fixed_zip(raw.getvalue())


def write_workbook(
    frames: dict[str, pd.DataFrame], path: Path, *, generated: str | None = None
) -> Path:
    """Write the Excel summary to ``path`` atomically; same inputs, same bytes.

    ``frames``: the build's tables (articles, figures, spending_shares, sales_growth,
    beneficiaries, consistency_checks; mentions if present, for curated checks' bounds).
    ``generated``: the date shown and stamped in the file (ISO); by default the latest
    publication date among the articles.
    """
    path = Path(path)
    atomic_write_bytes(path, workbook_bytes(frames, generated=generated))
    return path
