"""The workbook recalculated by a real spreadsheet engine (LibreOffice) and printed.

Every formula result is compared with the pandas table it mirrors — numbers, and the
written arithmetic, displays and bounds as text — and with numbers worked out by hand.
A colleague's correction in Figures must reach every derived number and every written
line that shows it. The printed PDF must show whole headers and a chart a page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from aidstats.build import compute_tables
from aidstats.excel import FIRST_ROW, SHEETS, SUMMARY, write_workbook
from aidstats.paths import ProjectPaths
from aidstats.quantities import Quantity, write_quantity
from aidstats.schemas import validate
from excel_support import (
    columns,
    convert,
    edit_inputs,
    frames_from,
    handmade_articles,
    handmade_figures,
    is_formula,
    row_of,
    same,
    skip_or_fail,
    soffice,
)
from support import ROOT
from test_excel import INJECTIONS, find_injections

pytestmark = pytest.mark.libreoffice

# What each sheet's formulas mirror: sheet → (table, columns)
MIRRORED = {
    "Spending": (
        "spending_shares",
        [
            "part_value",
            "part_lower",
            "part_upper",
            "whole_value",
            "share_pct",
            "share_lower_pct",
            "share_upper_pct",
            "amount",
            "amount_lower",
            "amount_upper",
            "formula",
        ],
    ),
    "Sales": ("sales_growth", ["value", "lower", "upper", "qualifier", "formula"]),
    "Beneficiaries": ("beneficiaries", ["value", "lower", "upper", "bounds"]),
    "Checks": ("consistency_checks", ["computed", "expected", "verdict", "arithmetic"]),
}
# A colleague corrects two reported inputs in the Figures sheet (values in base units).
EDITS = {"jx-aid-funds-total": 5.0e8, "zj-village-investment": 4.4e6}
STALE = {"jx-projects-total": 100.0}  # 80 → 100: 61个 of them is 61.0%, not 76.25%


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return frames_from(handmade_figures(), handmade_articles())


@pytest.fixture(scope="module")
def synthetic_frames() -> dict[str, pd.DataFrame]:
    """The hand-made figures plus an invented 2020 sales value (quote marked synthetic), so
    that the growth between two reported years is derived too."""
    figs = handmade_figures()
    extra = figs[figs["figure_id"] == "zj-sales-value"].copy()
    extra["figure_id"] = "zj-sales-value-2020-synthetic"
    extra[["value", "lower", "upper"]] = 3.6e9
    extra[["period_start", "period_end"]] = "2020"
    extra["quote"] = "(synthetic, not in the article) 36亿元"
    figs = validate("figures", pd.concat([figs, extra], ignore_index=True))
    return frames_from(figs, handmade_articles())


@pytest.fixture(scope="module")
def injected_frames(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    out = {k: v.copy() for k, v in frames.items()}
    out["figures"].loc[0, "quote"] = INJECTIONS[0]
    out["figures"].loc[1, "note"] = INJECTIONS[1]
    out["figures"].loc[2, "label_zh"] = INJECTIONS[2]
    out["articles"].loc[0, "title"] = INJECTIONS[3]
    out["articles"].loc[1, "outlet"] = INJECTIONS[4]
    return out


@pytest.fixture(scope="module")
def real_build() -> dict[str, pd.DataFrame] | str:
    """The real build's tables, or why the build failed (the real-data tests then fail)."""
    try:
        return compute_tables(ProjectPaths(ROOT)).frames
    except Exception as exc:  # reported by the tests that need it, not hidden
        return f"{type(exc).__name__}: {exc}"


def need_real(real_build: dict[str, pd.DataFrame] | str) -> dict[str, pd.DataFrame]:
    if isinstance(real_build, str):
        pytest.fail(f"the real build failed, so its workbook cannot be checked: {real_build}")
    return real_build


@pytest.fixture(scope="module")
def lo_books(
    frames: dict[str, pd.DataFrame],
    injected_frames: dict[str, pd.DataFrame],
    synthetic_frames: dict[str, pd.DataFrame],
    real_build: dict[str, pd.DataFrame] | str,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[Path, Path]]:
    """name → (the openpyxl workbook, LibreOffice's recalculated copy): one soffice run."""
    soffice()
    base = tmp_path_factory.mktemp("lo")
    made = {
        "handmade": write_workbook(frames, base / "handmade.xlsx", generated="2024-05-01"),
        "injected": write_workbook(injected_frames, base / "injected.xlsx"),
        "synthetic": write_workbook(synthetic_frames, base / "synthetic.xlsx"),
    }
    if not isinstance(real_build, str):
        made["real"] = write_workbook(real_build, base / "real.xlsx")
        made["edited"] = edit_inputs(made["real"], base / "edited.xlsx", EDITS)
        made["stale"] = edit_inputs(made["real"], base / "stale.xlsx", STALE)
    (base / "out").mkdir()
    convert(list(made.values()), "xlsx", base / "out", base / "profile")
    return {k: (p, base / "out" / p.name) for k, p in made.items()}


@pytest.fixture(scope="module")
def rendered(lo_books: dict[str, tuple[Path, Path]]) -> dict[str, tuple[list[str], list[Path]]]:
    """The hand-made and real workbooks as PDF: the text of each page, and PNG pages."""
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        skip_or_fail("poppler (pdftoppm, pdftotext) is not installed: apt install poppler-utils")
    books = {k: lo_books[k][0] for k in ("handmade", "real") if k in lo_books}
    out = books["handmade"].parent / "pdf"
    out.mkdir(exist_ok=True)
    convert(list(books.values()), "pdf", out, out.parent / "profile")
    result = {}
    for name in books:
        pdf = out / f"{name}.pdf"
        prefix = str(out / f"{name}-page")
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), prefix], check=True)
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        result[name] = (text.split("\f")[:-1], sorted(out.glob(f"{name}-page-*.png")))
    return result


def value_of(book: Path, recalc: Path, sheet: str, key_col: str, key: Any, col: str) -> Any:
    """The recalculated value of ``col`` on the row whose ``key_col`` is ``key``."""
    ws = openpyxl.load_workbook(book)[sheet]
    r = row_of(ws, key_col, key)
    return openpyxl.load_workbook(recalc, data_only=True)[sheet].cell(r, columns(ws)[col]).value


def recalculated_matches(frames: dict[str, pd.DataFrame], book: Path, recalc: Path) -> int:
    """Compare every formula result with the pandas table it mirrors (numbers, and the
    written text); count comparisons."""
    formulas = openpyxl.load_workbook(book)
    values = openpyxl.load_workbook(recalc, data_only=True)
    compared = 0
    for sheet, (table, cols) in MIRRORED.items():
        df, ws, fs = frames[table], values[sheet], formulas[sheet]
        col = columns(fs)
        for i, rec in enumerate(df.to_dict("records")):
            for c in cols:
                if not is_formula(fs.cell(FIRST_ROW + i, col[c])):
                    continue
                got = ws.cell(FIRST_ROW + i, col[c]).value
                assert same(got, rec[c]), (sheet, i, c, got, rec[c])
                compared += 1
    # Figures' display column: the value written as a yearbook writes it
    ws, fs = values["Figures"], formulas["Figures"]
    col = columns(fs)
    for i, rec in enumerate(frames["figures"].to_dict("records")):
        if is_formula(fs.cell(FIRST_ROW + i, col["display"])):
            want = write_quantity(Quantity.of(rec), derived=False).text
            assert ws.cell(FIRST_ROW + i, col["display"]).value == want, rec["figure_id"]
            compared += 1
    # every summary cell against the cell it links to
    link = re.compile(r"^=IF\('?(\w+)'?!\$([A-Z]+)\$(\d+)=")
    for row in formulas[SUMMARY].iter_rows():
        for c in row:
            m = link.match(str(c.value)) if is_formula(c) else None
            if m:
                want = values[m[1]][f"{m[2]}{m[3]}"].value
                assert same(values[SUMMARY][c.coordinate].value, want), c.coordinate
                compared += 1
            elif is_formula(c) and str(c.value).startswith("=COUNTIF("):
                word = re.search(r'"(pass|flag)"', c.value)[1]
                want = int((frames["consistency_checks"]["verdict"] == word).sum())
                assert values[SUMMARY][c.coordinate].value == want
                compared += 1
    return compared


def test_libreoffice_recalculates_the_pandas_values(
    frames: dict[str, pd.DataFrame], lo_books: dict[str, tuple[Path, Path]]
) -> None:
    assert recalculated_matches(frames, *lo_books["handmade"]) > 100


def test_libreoffice_recalculates_growth_between_two_years(
    synthetic_frames: dict[str, pd.DataFrame], lo_books: dict[str, tuple[Path, Path]]
) -> None:
    sales = synthetic_frames["sales_growth"]
    assert "growth_from_values" in set(sales["metric"])
    assert recalculated_matches(synthetic_frames, *lo_books["synthetic"]) > 100
    book, recalc = lo_books["synthetic"]
    got = value_of(book, recalc, "Sales", "metric", "growth_from_values", "value")
    assert got == pytest.approx(100 * (72.8 / 36 - 1), rel=1e-9)
    text = value_of(book, recalc, "Sales", "metric", "growth_from_values", "formula")
    assert text == "72.8亿元 ÷ 36亿元 − 1 = 102.2%"


def test_libreoffice_recalculates_the_real_build(
    real_build: dict[str, pd.DataFrame] | str, lo_books: dict[str, tuple[Path, Path]]
) -> None:
    real = need_real(real_build)
    assert recalculated_matches(real, *lo_books["real"]) > 40


def test_corrected_inputs_flow_into_derived_cells(
    real_build: dict[str, pd.DataFrame] | str, lo_books: dict[str, tuple[Path, Path]]
) -> None:
    """Typing a new value into Figures changes every derived cell that uses it."""
    need_real(real_build)
    book, recalc = lo_books["edited"]

    def value(sheet: str, key_col: str, key: str, col: str) -> Any:
        return value_of(book, recalc, sheet, key_col, key, col)

    # 民生 share 91.7% of the corrected total 5亿元; health 6360万元 of 5亿元
    assert value("Spending", "figure_id", "jx-livelihood-funds-share", "amount") == (
        pytest.approx(5.0e8 * 0.917, rel=1e-9)
    )
    assert value("Spending", "figure_id", "jx-health-funds", "share_pct") == (
        pytest.approx(100 * 6360e4 / 5.0e8, rel=1e-9)
    )
    # the curated dividend check reads the corrected 440万元: 440万 × 8% ÷ 11 = 3.2万元
    computed = value("Checks", "check_id", "village-dividend-per-village", "computed")
    assert computed == pytest.approx(440e4 * 0.08 / 11, rel=1e-9)
    assert value("Checks", "check_id", "village-dividend-per-village", "verdict") == "flag"
    assert value("Checks", "check_id", "village-dividend-per-village", "arithmetic") == (
        "440万元 × 8% ÷ 11个 = 3.200万元; reported 2.9万元"  # decimals fixed at build time
    )


def test_written_text_never_goes_stale(
    real_build: dict[str, pd.DataFrame] | str, lo_books: dict[str, tuple[Path, Path]]
) -> None:
    """jx-projects-total 80 → 100 in Figures: the share, its bounds, the arithmetic beside
    it, the display and the summary all say 61个 ÷ 100个 = 61.0% (by hand: 61 / 100)."""
    need_real(real_build)
    book, recalc = lo_books["stale"]

    def value(sheet: str, col: str, key: str = "jx-projects-livelihood") -> Any:
        return value_of(book, recalc, sheet, "figure_id", key, col)

    for col in ("share_pct", "share_lower_pct", "share_upper_pct"):
        assert value("Spending", col) == pytest.approx(61.0), col
    assert value("Spending", "formula") == "61个 ÷ 100个 = 61.0%"
    assert value("Figures", "display", "jx-projects-total") == "100个"
    assert value("Figures", "lower", "jx-projects-total") == 100
    checks = value_of(
        book, recalc, "Checks", "check_id", "part<=total:jx-projects-livelihood", "arithmetic"
    )
    assert checks == "61个 ≤ 100个"
    summary = openpyxl.load_workbook(recalc, data_only=True)[SUMMARY]
    texts = [str(c.value) for row in summary.iter_rows() for c in row if c.value]
    assert "61个 ÷ 100个 = 61.0%" in texts and "61个 ÷ 80个 = 76.3%" not in texts


def test_recalculated_values_match_hand_arithmetic(
    lo_books: dict[str, tuple[Path, Path]],
) -> None:
    """Numbers worked out by hand from the article text, not from the analysis code."""
    book, recalc = lo_books["handmade"]

    def cell(sheet: str, key_col: str, key: str, col: str) -> Any:
        return value_of(book, recalc, sheet, key_col, key, col)

    # 2021: 销售额72.8亿元, 同比增长103% → 2020 ≈ 72.8亿 ÷ 2.03 = 35.862…亿元
    prev = "zj-sales-value;zj-sales-growth"
    assert cell("Sales", "figure_ids", prev, "value") == pytest.approx(35.862068965517e8)
    assert cell("Sales", "figure_ids", prev, "formula") == "72.8亿元 ÷ (1 + 103%) = 35.86亿元"
    assert cell("Sales", "figure_ids", prev, "display") == "35.86亿元"
    # 线上 10.5亿元 of 72.8亿元 = 14.4231%; 72.8亿元 ÷ 66.17万吨 = 11,001.96 元/吨
    online = "zj-online-sales;zj-sales-value"
    assert cell("Sales", "figure_ids", online, "value") == pytest.approx(14.423076923077)
    per_tonne = "zj-sales-value;zj-sales-volume"
    assert cell("Sales", "figure_ids", per_tonne, "value") == pytest.approx(11001.96463654224)
    assert cell("Sales", "figure_ids", per_tonne, "display") == "11,002元/吨"
    # 超17亿元 over 16万吨: at least 10,625 元/吨, no upper bound, and it says so
    jx = "jx-sales-value;jx-sales-volume"
    assert cell("Sales", "figure_ids", jx, "lower") == 10625
    assert cell("Sales", "figure_ids", jx, "upper") in ("", None)
    assert cell("Sales", "figure_ids", jx, "qualifier") == "over"
    assert cell("Sales", "figure_ids", jx, "formula") == "超17亿元 ÷ 16万吨 = 超10,625元/吨"
    # the reported figures keep their qualifier: 超17亿元, 37680余人次 → 3.768万余人次
    assert cell("Figures", "figure_id", "jx-sales-value", "display") == "超17亿元"
    assert cell("Figures", "figure_id", "jx-clinic-visits", "display") == "3.768万余人次"
    assert cell("Beneficiaries", "figure_id", "jx-clinic-visits", "bounds") == (
        "≥ 3.768万人次, < 3.769万人次"
    )
    # 民生类项目61个 of 80个 = 76.25%; 6360万元 of 4.5亿元 = 14.13%; 91.7% of 4.5亿 = 4.1265亿
    assert cell("Spending", "figure_id", "jx-livelihood-projects", "share_pct") == 76.25
    assert cell("Spending", "figure_id", "jx-livelihood-projects", "formula") == (
        "61个 ÷ 80个 = 76.3%"
    )
    assert cell("Spending", "figure_id", "jx-health", "share_pct") == pytest.approx(14.133333333333)
    assert cell("Spending", "figure_id", "jx-livelihood-share", "amount") == pytest.approx(
        412_650_000, rel=1e-12
    )
    assert cell("Spending", "figure_id", "jx-livelihood-share", "formula") == (
        "4.5亿元 × 91.7% = 4.127亿元"
    )
    # 400万元 × 8% ÷ 11个村 = 29,090.9元 vs 2.9万元 (± 500): pass
    assert cell("Checks", "check_id", "dividend-per-village", "computed") == pytest.approx(
        4e6 * 0.08 / 11, rel=1e-12
    )
    assert cell("Checks", "check_id", "dividend-per-village", "verdict") == "pass"
    assert cell("Checks", "check_id", "sales-per-tonne-plausible", "verdict") == "flag"
    assert cell("Checks", "check_id", "two-sales-values", "verdict") == "flag"
    assert cell("Checks", "check_id", "two-sales-values", "arithmetic") == "超17亿元 ≠ 72.8亿元"


def test_injected_text_stays_text_after_libreoffice(
    lo_books: dict[str, tuple[Path, Path]],
) -> None:
    recalc = lo_books["injected"][1]
    found = find_injections(openpyxl.load_workbook(recalc))
    assert set(found) == set(INJECTIONS)
    assert all(cell.data_type == "s" for cells in found.values() for cell in cells)
    values = find_injections(openpyxl.load_workbook(recalc, data_only=True))
    assert set(values) == set(INJECTIONS)  # no formula result replaced the text


def _pages_read_well(pages: list[str], *, dated: tuple[str, str]) -> None:
    """Whole headers, the date labelled, and no page that is only a repeated header."""
    text = "\n".join(pages)
    for whole in ("whole_label_zh", "share_lower_pct", *dated):
        assert whole in text, f"{whole!r} is cut or missing in the PDF"
    for number, page in enumerate(pages, start=1):
        lines = [line for line in page.splitlines() if line.strip()]
        assert len(lines) > 3, f"page {number} holds almost nothing: {lines}"


def test_renders_to_pdf_and_png_with_charts(
    rendered: dict[str, tuple[list[str], list[Path]]],
) -> None:
    pages, pngs = rendered["handmade"]
    assert len(pngs) == len(pages) >= len(SHEETS)
    assert all(p.stat().st_size > 5_000 for p in pngs)
    titles = (
        "Share of the total (%)",
        "Consumption-aid sales (100 million yuan)",
        "People reached",
        "Person-times (visits",
    )
    charts = [p for p in pages if "chart data" in p]
    assert len(charts) == len(titles)  # each chart on a page of its own, its data beside it
    for title, page in zip(titles, charts, strict=True):
        assert title in page and not [t for t in titles if t != title and t in page]
    assert "对口援疆数据概览" in pages[0] and "民生" in pages[0]  # CJK text rendered as text
    _pages_read_well(pages, dated=("生成日期", "Generated on"))


def test_real_workbook_renders_with_charts(
    real_build: dict[str, pd.DataFrame] | str,
    rendered: dict[str, tuple[list[str], list[Path]]],
) -> None:
    need_real(real_build)
    pages, pngs = rendered["real"]
    assert len(pngs) >= len(SHEETS)
    text = "\n".join(pages)
    for title in ("Consumption-aid sales", "Share of the total"):
        assert title in text, f"chart {title!r} missing from the PDF"
    _pages_read_well(pages, dated=("资料截至", "Sources up to"))
