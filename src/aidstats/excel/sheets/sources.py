"""The *Sources* sheet (the article catalog) and the *About* sheet (the data dictionary)."""

from __future__ import annotations

from typing import Protocol

import pandas as pd
from openpyxl import Workbook

from aidstats.dictionary import TABLES
from aidstats.excel import columns
from aidstats.excel.layout import ABOUT, SHEET_OF_TABLE, SOURCES
from aidstats.excel.sheet import Sheet

_TITLE = "来源 Sources — 文章目录 / the article catalog"
_NOTE = (
    "sha256 为原始文件字节的校验值:文件一字未改。outlet 为空表示原文未载明(不作猜测)。"
    "sha256 of the raw file's bytes (never edited); an empty outlet means the text "
    "does not name it (never guessed)."
)


class _Described(Protocol):
    """A column as the dictionary describes it."""

    @property
    def name(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def zh(self) -> str: ...
    @property
    def en(self) -> str: ...


def sources_sheet(wb: Workbook, articles: pd.DataFrame) -> Sheet:
    """One row per article, as in the articles table."""
    s = Sheet.of_table(wb, SOURCES, title=_TITLE, note=_NOTE, table_columns=list(articles.columns))
    return s.write_records(articles.to_dict("records"))


def about_sheet(wb: Workbook, generated_note: str) -> Sheet:
    """Every column of every table, and the workbook's own columns, in Chinese and English."""
    s = Sheet.table(
        wb,
        ABOUT,
        title="说明 About — 数据字典(中英文)/ data dictionary, bilingual",
        note=generated_note,
        columns=columns.shown(ABOUT),
    )
    rows = [
        _entry(table, _sheet_of(table, col.name), col)
        for table, cols in TABLES.items()
        for col in cols
    ]
    rows += [_entry("(workbook)", col.sheets, col) for col in columns.workbook_columns()]
    for i, rec in enumerate(rows):
        s.write_row(s.first_row + i, rec)
    s.finish(freeze=f"D{s.first_row}")
    return s


def _sheet_of(table: str, column: str) -> str:
    """The sheet that shows a table's column ("CSV/Parquet" when no sheet does)."""
    sheet = SHEET_OF_TABLE.get(table)
    if sheet is None or column in columns.omitted(sheet):
        return "CSV/Parquet"
    return sheet


def _entry(table: str, sheet: str, col: _Described) -> dict[str, str]:
    """One row of the dictionary: a column (name, type, zh, en) and where it is shown."""
    return {
        "table": table,
        "sheet": sheet,
        "column": col.name,
        "type": col.type,
        "description_zh": col.zh,
        "description_en": col.en,
    }
