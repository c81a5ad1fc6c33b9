"""Where things are in the workbook: the sheets, in order, and the rows of a table sheet."""

from __future__ import annotations

SUMMARY = "概览"
CHARTS = "Charts"
FIGURES = "Figures"
SPENDING = "Spending"
SALES = "Sales"
BENEFICIARIES = "Beneficiaries"
CHECKS = "Checks"
PANEL = "Panel"
SOURCES = "Sources"
ABOUT = "About"
SHEETS = (
    SUMMARY,
    CHARTS,
    FIGURES,
    SPENDING,
    SALES,
    BENEFICIARIES,
    CHECKS,
    PANEL,
    SOURCES,
    ABOUT,
)

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
    "panel": PANEL,  # a view of facts (computed from the figures when facts is not given)
}
# the tables the workbook cannot do without
REQUIRED = tuple(t for t in SHEET_OF_TABLE if t != "panel")
