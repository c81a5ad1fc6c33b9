"""Where things are in the workbook: the sheets, in order, and the rows of a table sheet."""

from __future__ import annotations

SUMMARY = "概览"
CHARTS = "Charts"
FIGURES = "Figures"
SPENDING = "Spending"
SALES = "Sales"
BENEFICIARIES = "Beneficiaries"
CHECKS = "Checks"
SOURCES = "Sources"
ABOUT = "About"
SHEETS = (SUMMARY, CHARTS, FIGURES, SPENDING, SALES, BENEFICIARIES, CHECKS, SOURCES, ABOUT)

HEADER_ROW = 4  # the bilingual header row of every table sheet ("中文\nname")
FIRST_ROW = HEADER_ROW + 1

# The processed table each table sheet shows (the About sheet lists the rest as CSV/Parquet).
SHEET_OF_TABLE = {
    "articles": SOURCES,
    "figures": FIGURES,
    "spending_shares": SPENDING,
    "sales_growth": SALES,
    "beneficiaries": BENEFICIARIES,
    "consistency_checks": CHECKS,
}
REQUIRED = tuple(SHEET_OF_TABLE)  # the tables the workbook cannot do without
