"""The Excel summary: structure, number formats, live formulas, print setup, automatic
figures, safety, determinism, atomicity.

The tests run on a small hand-made figures table (tests/data/handmade_figures.yaml: real
quotes and offsets from the two articles, analysed by the real analysis functions), so they
do not depend on the registry. The LibreOffice tests (test_excel_libreoffice.py) recalculate
the workbooks with a real spreadsheet engine.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from aidstats.dictionary import TABLES
from aidstats.errors import AidstatsError
from aidstats.excel import (
    FIRST_ROW,
    FONT_NAME,
    HEADER_ROW,
    SHEETS,
    SUMMARY,
    excel_arithmetic,
    safe_text,
    workbook_bytes,
    write_workbook,
)
from aidstats.excel import columns as facts
from excel_support import (
    columns,
    frames_from,
    handmade_articles,
    handmade_figures,
    is_formula,
    row_of,
)

TABLE_SHEETS = {
    "Figures": "figures",
    "Spending": "spending_shares",
    "Sales": "sales_growth",
    "Beneficiaries": "beneficiaries",
    "Checks": "consistency_checks",
    "Panel": "panel",
    "Sources": "articles",
}
INJECTIONS = (
    '=HYPERLINK("http://example.invalid","click")',
    "=1+1",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
)
AUTO_FILL = "00FBE5D6"  # the light orange of automatic figures' rows
OLD_FORMATS = re.compile(r"0\.0##|#,##0\.0###")  # the varying decimals of before


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return frames_from(handmade_figures(), handmade_articles())


@pytest.fixture(scope="module")
def injected_frames(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A registry quote and a user's own table cells that start with =, +, - and @."""
    out = {k: v.copy() for k, v in frames.items()}
    figs = out["figures"]
    figs.loc[0, "quote"] = INJECTIONS[0]
    figs.loc[1, "note"] = INJECTIONS[1]
    figs.loc[2, "label_zh"] = INJECTIONS[2]
    out["articles"].loc[0, "title"] = INJECTIONS[3]
    out["articles"].loc[1, "outlet"] = INJECTIONS[4]
    return out


@pytest.fixture(scope="module")
def book(frames: dict[str, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "summary.xlsx"
    return write_workbook(frames, path, generated="2024-05-01")


@pytest.fixture(scope="module")
def wb(book: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(book)


def cell(wb: openpyxl.Workbook, sheet: str, key_col: str, key: Any, col: str) -> Any:
    """The cell of column ``col`` on the row whose ``key_col`` is ``key``."""
    ws = wb[sheet]
    return ws.cell(row_of(ws, key_col, key), columns(ws)[col])


# --------------------------------------------------------------------------- structure


def test_sheets_in_order(wb: openpyxl.Workbook) -> None:
    assert tuple(wb.sheetnames) == SHEETS
    assert wb.active.title == SUMMARY


def test_headers_are_bilingual_and_cover_the_tables(wb: openpyxl.Workbook) -> None:
    for sheet, table in TABLE_SHEETS.items():
        ws = wb[sheet]
        heads = [c.value for c in ws[HEADER_ROW] if c.value is not None]
        assert all("\n" in h and re.search(r"[\u4e00-\u9fff]", h) for h in heads), sheet
        names = set(columns(ws))
        assert {c.name for c in TABLES[table]} - facts.omitted(sheet) <= names, sheet
    # the checks' operands are shown one per column, never as JSON
    assert facts.omitted("Checks") == {"operands", "operand_refs"}
    texts = [str(c.value) for row in wb["Checks"].iter_rows() for c in row if c.value]
    assert not [t for t in texts if t.startswith("{") or t == "{}"]


def test_figures_sheet_is_a_usable_table(
    wb: openpyxl.Workbook, frames: dict[str, pd.DataFrame]
) -> None:
    ws = wb["Figures"]
    col = columns(ws)
    figs = frames["figures"]
    assert ws.freeze_panes == f"D{FIRST_ROW}"
    assert list(col)[:3] == ["figure_id", "status", "confidence"]  # status in sight
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:{ws.cell(1, len(col)).column_letter}" + str(
        FIRST_ROW + len(figs) - 1
    )
    for name, least in (("quote", 10), ("sentence", 40)):
        assert ws.cell(FIRST_ROW, col[name]).alignment.wrap_text
        assert ws.column_dimensions[ws.cell(1, col[name]).column_letter].width >= least
    assert 8 <= ws.column_dimensions["A"].width <= 40
    assert {"fig_id", "fig_value", "fig_lower", "fig_upper"} <= set(wb.defined_names)


def test_bounds_in_figures_follow_the_value(wb: openpyxl.Workbook) -> None:
    """Bounds the wording ties to the value are formulas over it: correct the value, and
    its bounds move too (4.5亿元: both; 超17亿元: the lower; 37680余人次: value + 10)."""
    value = cell(wb, "Figures", "figure_id", "jx-funds", "value").coordinate
    assert cell(wb, "Figures", "figure_id", "jx-funds", "lower").value == f"={value}"
    assert cell(wb, "Figures", "figure_id", "jx-funds", "upper").value == f"={value}"
    value = cell(wb, "Figures", "figure_id", "jx-sales-value", "value").coordinate
    assert cell(wb, "Figures", "figure_id", "jx-sales-value", "lower").value == f"={value}"
    assert cell(wb, "Figures", "figure_id", "jx-sales-value", "upper").value is None
    value = cell(wb, "Figures", "figure_id", "jx-clinic-visits", "value").coordinate
    assert cell(wb, "Figures", "figure_id", "jx-clinic-visits", "upper").value == f"={value}+10"


def test_every_derived_cell_is_a_formula(
    wb: openpyxl.Workbook, frames: dict[str, pd.DataFrame]
) -> None:
    """Every number a reader sees follows its inputs: values, bounds, the written
    arithmetic beside them, the displays, the summary's counts."""
    ws, col = wb["Spending"], columns(wb["Spending"])
    sp = frames["spending_shares"]
    for i, rec in enumerate(sp.to_dict("records")):
        r = FIRST_ROW + i
        assert "fig_value" in ws.cell(r, col["part_value"]).value
        for basis, cols in (
            ("share_basis", ("share_pct", "share_lower_pct", "share_upper_pct")),
            ("amount_basis", ("amount", "amount_lower", "amount_upper")),
        ):
            if rec[basis] == "derived":
                for c in (*cols, "formula"):
                    assert is_formula(ws.cell(r, col[c])), (rec["figure_id"], c)
    assert set(sp["share_basis"]) >= {"reported", "derived"}

    ws, col = wb["Sales"], columns(wb["Sales"])
    sales = frames["sales_growth"]
    for i, rec in enumerate(sales.to_dict("records")):
        for c in ("value", "lower", "upper", "display"):
            c_ = ws.cell(FIRST_ROW + i, col[c])
            assert is_formula(c_), (rec["metric"], c)
        assert ("fig_" in ws.cell(FIRST_ROW + i, col["value"]).value) == (
            rec["basis"] == "reported"
        )
        if rec["basis"] == "derived":
            assert is_formula(ws.cell(FIRST_ROW + i, col["formula"])), rec["metric"]
            assert is_formula(ws.cell(FIRST_ROW + i, col["qualifier"])), rec["metric"]
    assert {"previous_year_value", "value_per_tonne", "online_share"} <= set(sales["metric"])

    ws, col = wb["Beneficiaries"], columns(wb["Beneficiaries"])
    for i, rec in enumerate(frames["beneficiaries"].to_dict("records")):
        assert is_formula(ws.cell(FIRST_ROW + i, col["display"])), rec["figure_id"]
        if rec["qualifier"] != "exact":  # "≥ 3.768万人次, < 3.769万人次" follows the bounds
            assert is_formula(ws.cell(FIRST_ROW + i, col["bounds"])), rec["figure_id"]

    ws, col = wb["Checks"], columns(wb["Checks"])
    for i, rec in enumerate(frames["consistency_checks"].to_dict("records")):
        if rec["test"] == "same_date":
            continue
        looked_up = ("expected",) if pd.notna(rec["expected_ref"]) else ()  # else a bound: 100%
        for c in ("verdict", "computed", "arithmetic", *looked_up):
            assert is_formula(ws.cell(FIRST_ROW + i, col[c])), (rec["check_id"], c)

    summary = wb[SUMMARY]
    values = [
        c
        for row in summary.iter_rows(min_row=HEADER_ROW)
        for c in row
        if c.fill.fgColor.rgb in ("00FFF2CC", "00DDEBF7")
    ]
    assert len(values) > 20 and all(is_formula(c) for c in values)
    scope = next(c for c in summary["B"] if "COUNTA" in str(c.value))
    assert "'Figures'!" in scope.value and '"auto"' in scope.value


def test_number_formats_are_a_yearbooks(wb: openpyxl.Workbook) -> None:
    """元 whole with separators, percents with one decimal, per-tonne values whole; never
    the varying decimals of a 0.0## format; the display keeps the qualifier."""
    assert cell(wb, "Figures", "figure_id", "jx-funds", "value").number_format == "#,##0"
    assert cell(wb, "Figures", "figure_id", "jx-livelihood-share", "value").number_format == (
        '#,##0.0"%"'
    )
    assert cell(wb, "Figures", "figure_id", "zj-return-rate", "value").number_format == '#,##0.0"%"'
    for metric, fmt in (("online_share", '#,##0.0"%"'), ("value_per_tonne", "#,##0")):
        ws = wb["Sales"]
        rows = [
            r
            for r in range(FIRST_ROW, ws.max_row + 1)
            if ws.cell(r, columns(ws)["metric"]).value == metric
        ]
        assert rows and {ws.cell(r, columns(ws)["value"]).number_format for r in rows} == {fmt}
    assert cell(wb, "Spending", "figure_id", "jx-health", "share_pct").number_format == (
        '#,##0.0"%"'
    )
    used = {c.number_format for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    assert not [f for f in used if OLD_FORMATS.search(f)]
    # the display writes the qualifier and the 万/亿 scale (its text: the LibreOffice tests)
    display = cell(wb, "Figures", "figure_id", "jx-sales-value", "display").value
    assert '"超"' in display and '"亿元"' in display
    assert '"万余人次"' in cell(wb, "Figures", "figure_id", "jx-clinic-visits", "display").value


def test_curated_formula_becomes_spreadsheet_arithmetic(
    wb: openpyxl.Workbook, frames: dict[str, pd.DataFrame]
) -> None:
    ws, col = wb["Checks"], columns(wb["Checks"])
    r = row_of(ws, "check_id", "dividend-per-village")
    checks = frames["consistency_checks"].set_index("check_id")
    refs = json.loads(checks.loc["dividend-per-village", "operand_refs"])
    operand = {ws.cell(r, col[f"operand_{i}"]).value: i for i in (1, 2, 3)}
    v = {
        name: ws.cell(r, col[f"value_{operand[ident]}"]).coordinate for name, ident in refs.items()
    }
    for i in (1, 2, 3):
        assert "fig_value" in str(ws.cell(r, col[f"value_{i}"]).value)
    computed = ws.cell(r, col["computed"]).value
    assert f"{v['invest']}*{v['rate']}/100/{v['villages']}" in computed
    assert f"IF({v['villages']}=0," in computed  # division by zero: empty, never #DIV/0!
    assert excel_arithmetic("a / (1 + b)", {"a": "J5", "b": "L5"}) == "J5/(1+L5)"


def test_checks_find_their_operands_in_data_not_in_ids(
    frames: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    """Renaming every check id changes no formula: operands and tests come from
    operand_refs, expected_ref and test, never from parsing check_id."""
    renamed = {k: v.copy() for k, v in frames.items()}
    checks = renamed["consistency_checks"]
    checks["check_id"] = [f"check-{i}" for i in range(len(checks))]
    books = [
        openpyxl.load_workbook(write_workbook(f, tmp_path / f"{n}.xlsx"))["Checks"]
        for n, f in (("a", frames), ("b", renamed))
    ]
    col = columns(books[0])
    for r in range(FIRST_ROW, FIRST_ROW + len(checks)):
        for name in col:
            if name != "check_id":
                assert books[0].cell(r, col[name]).value == books[1].cell(r, col[name]).value
    # a part ≤ total check reads the part's lower bound (else its value) and the total's upper
    part = cell(books[0].parent, "Checks", "check_id", "part<=total:jx-health", "value_1")
    assert "fig_lower" in part.value and "fig_value" in part.value
    high = cell(books[0].parent, "Checks", "check_id", "part<=total:jx-health", "high_limit")
    assert "fig_upper" in high.value


def test_print_setup_fonts_and_charts(wb: openpyxl.Workbook) -> None:
    for ws in wb.worksheets:
        ps = ws.page_setup
        assert ps.orientation == "landscape", ws.title
        assert (ps.fitToWidth, ps.fitToHeight) == (1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_area, ws.title
        fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
        assert fonts == {FONT_NAME}, ws.title
    for sheet in TABLE_SHEETS:  # the header row is repeated on every printed page
        assert wb[sheet].print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}", sheet
    # the charts have a sheet of their own: each on a new page, its data beside it
    charts = wb["Charts"]
    assert len(charts._charts) == 4
    assert not [ws.title for ws in wb.worksheets if ws._charts and ws.title != "Charts"]
    breaks = sorted(b.id for b in charts.row_breaks.brk)
    anchors = sorted(c.anchor._from.row for c in charts._charts)  # 0-based rows
    # a page break above every chart but the first, a title row between it and the chart
    assert [row - 1 for row in anchors[1:]] == breaks
    ws = wb["Spending"]
    col = columns(ws)

    def hidden(index: int) -> bool:
        dims = ws.column_dimensions.values()
        return any(d.hidden and d.outlineLevel == 1 and d.min <= index <= d.max for d in dims)

    assert hidden(col["part_lower"]) and hidden(col["whole_row"])  # detail, one click away
    assert not hidden(col["share_pct"]) and not hidden(col["quote"])


def test_headers_are_never_cut(wb: openpyxl.Workbook) -> None:
    """Every column is at least as wide as its English name (whole_label_zh was cut)."""
    for ws in wb.worksheets:
        for c in ws[HEADER_ROW] if ws.title != "Charts" else ():
            if c.value is None or "\n" not in str(c.value):
                continue
            name = str(c.value).split("\n")[-1]
            width = ws.column_dimensions[c.column_letter].width
            assert width >= len(name), (ws.title, name, width)


def test_automatic_figures_are_marked(wb: openpyxl.Workbook) -> None:
    """jx-cataract is an automatic figure: a light-orange row and an "auto" badge wherever
    it appears (Figures, Beneficiaries, the summary), and the legend says so."""
    for sheet in ("Figures", "Beneficiaries"):
        status = cell(wb, sheet, "figure_id", "jx-cataract", "status")
        assert status.value == "auto" and status.font.bold, sheet
        label = cell(wb, sheet, "figure_id", "jx-cataract", "label_zh")
        assert label.fill.fgColor.rgb == AUTO_FILL, sheet
        other = cell(wb, sheet, "figure_id", "jx-screened", "label_zh")
        assert other.fill.fgColor.rgb != AUTO_FILL, sheet
    summary = wb[SUMMARY]
    head = next(c.row for c in summary["A"] if str(c.value).endswith("\nsection"))
    col = {str(c.value).split("\n")[-1]: c.column for c in summary[head] if c.value}
    marked = [
        summary.cell(r, col["label_zh"]).value
        for r in range(head + 1, summary.max_row + 1)
        if summary.cell(r, col["status"]).value == "auto"
    ]
    assert marked == ["白内障患者"]
    legend = " ".join(str(c.value) for row in summary.iter_rows(max_row=head) for c in row)
    assert "auto" in legend and "自动" in legend


def test_public_names_are_pinned() -> None:
    """What other modules, notebooks and tests import from aidstats.excel, and no more."""
    import aidstats.excel as excel

    assert sorted(excel.__all__) == [
        "FIRST_ROW",
        "FONT_NAME",
        "HEADER_ROW",
        "SHEETS",
        "SUMMARY",
        "excel_arithmetic",
        "safe_text",
        "workbook_bytes",
        "write_workbook",
    ]
    assert all(hasattr(excel, name) for name in excel.__all__)


def test_column_facts() -> None:
    """Each per-column fact behind its own lookup; expected values typed by hand."""
    assert facts.header("share_pct") == "占比%"
    assert facts.header("operand_2") == "运算数2" and facts.header("value_10") == "值10"
    assert facts.header("no_such_column") == "no_such_column"
    assert facts.wraps("quote", sheet="Figures") and not facts.wraps("basis", sheet="Sales")
    assert facts.wraps("basis", sheet=SUMMARY)  # the summary wraps its own columns
    assert (facts.min_width("display"), facts.min_width("unit")) == (13, 6)
    assert (facts.max_width("description_en"), facts.max_width("unit")) == (50, 30)
    assert facts.fixed_width("unit", sheet=SUMMARY) == 7
    assert facts.fixed_width("unit", sheet="Figures") is None
    assert facts.is_detail("value_3", sheet="Checks")
    assert not facts.is_detail("value_3", sheet="Figures")
    assert not facts.is_detail("verdict", sheet="Checks")
    assert facts.horizontal("display") == "right" and facts.horizontal("quote") is None
    checks = ["check_id", "arithmetic", "operands", "operand_refs", "tolerance", "verdict"]
    assert facts.shown("Checks", checks, operands=2) == [
        "check_id",
        "arithmetic",
        "operand_1",
        "value_1",
        "operand_2",
        "value_2",
        "tolerance",
        "low_limit",
        "high_limit",
        "slack",
        "verdict",
    ]
    assert facts.shown("Sales", ["value", "unit", "quote"]) == [
        "value",
        "unit",
        "display",
        "quote",
        "figures_row",
    ]
    assert facts.shown("Figures", ["figure_id", "unit", "status"]) == [
        "figure_id",
        "status",
        "unit",
        "display",
    ]
    assert facts.shown("Sources", ["file", "title"]) == ["file", "title"]


def test_sheet_modules_ask_columns_not_its_tables() -> None:
    """Column facts are read only through columns.py's functions (so that they can later be
    derived from the table declarations without touching a sheet)."""
    package = Path(__file__).resolve().parents[1] / "src" / "aidstats" / "excel"
    offenders = [
        f"{path.name}:{n}"
        for path in package.rglob("*.py")
        if path.name != "columns.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\b(col|columns)\._[A-Za-z]", line)
        or re.search(r"from aidstats\.excel\.columns import .*\b_", line)
    ]
    assert offenders == []


def test_the_date_says_what_it_is(frames: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    """Without a build date the workbook carries the latest publication date, and says that
    it is one (not when the file was made); an explicit date is the generation date."""
    path = write_workbook(frames, tmp_path / "a.xlsx")
    props = openpyxl.load_workbook(path).properties
    assert props.created == props.modified == pd.Timestamp("2023-01-01").to_pydatetime()
    summary = openpyxl.load_workbook(path)[SUMMARY]
    assert str(summary["B2"].value).startswith("2023-01")
    assert "publication date" in summary["B2"].value and "not the date" in summary["B2"].value
    assert "资料截至" in summary["A2"].value and "生成" not in summary["A2"].value
    explicit = openpyxl.load_workbook(
        write_workbook(frames, tmp_path / "b.xlsx", generated="2024-05-01")
    )
    assert explicit.properties.modified.isoformat() == "2024-05-01T00:00:00"
    assert explicit[SUMMARY]["B2"].value == "2024-05-01"
    assert "生成日期" in explicit[SUMMARY]["A2"].value
    with pytest.raises(AidstatsError, match="not an ISO date"):
        write_workbook(frames, tmp_path / "c.xlsx", generated="May 2024")


# --------------------------------------------------------------------------- determinism


def test_same_inputs_give_identical_bytes(frames: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    first = write_workbook(frames, tmp_path / "one.xlsx").read_bytes()
    time.sleep(2.1)  # zip timestamps have a 2-second resolution
    second = write_workbook(frames, tmp_path / "two.xlsx").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "two.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert z.namelist() == sorted(z.namelist())


def test_identical_bytes_across_processes(frames: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    """Separate runs (different hash seeds, as separate builds are) give the same file."""
    pickle = tmp_path / "frames.pkl"
    pd.to_pickle(frames, pickle)
    script = (
        "import sys, pandas as pd; from pathlib import Path; "
        "from aidstats.excel import write_workbook; "
        "write_workbook(pd.read_pickle(sys.argv[1]), Path(sys.argv[2]))"
    )
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = str(tmp_path / f"seed{seed}.xlsx")
        subprocess.run([sys.executable, "-c", script, str(pickle), out], env=env, check=True)
    assert (tmp_path / "seed1.xlsx").read_bytes() == (tmp_path / "seed2.xlsx").read_bytes()


def test_failed_write_leaves_the_previous_workbook(
    frames: dict[str, pd.DataFrame], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_workbook(frames, tmp_path / "summary.xlsx")
    before = path.read_bytes()

    def boom(*_: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_workbook(frames, path, generated="2030-01-01")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["summary.xlsx"]  # no temp file left


def test_empty_tables_still_give_a_workbook(tmp_path: Path) -> None:
    empty = frames_from(handmade_figures().iloc[0:0], handmade_articles(), curated=[])
    wb = openpyxl.load_workbook(write_workbook(empty, tmp_path / "empty.xlsx"))
    assert tuple(wb.sheetnames) == SHEETS
    assert not wb["Charts"]._charts


def test_missing_table_is_a_clear_error(frames: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    partial = {k: v for k, v in frames.items() if k != "sales_growth"}
    with pytest.raises(AidstatsError, match="sales_growth"):
        write_workbook(partial, tmp_path / "x.xlsx")
    assert not list(tmp_path.iterdir())


def test_operands_json_round_trip(frames: dict[str, pd.DataFrame]) -> None:
    checks = frames["consistency_checks"]
    curated = checks[checks["check_id"] == "dividend-per-village"].iloc[0]
    assert json.loads(curated["operands"]) == {"invest": 4e6, "rate": 8.0, "villages": 11.0}


def test_workbook_bytes_is_pure(frames: dict[str, pd.DataFrame]) -> None:
    assert workbook_bytes(frames) == workbook_bytes(frames)


# --------------------------------------------------------------------------- injection


def test_safe_text_never_writes_a_formula(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    for i, text in enumerate(INJECTIONS, start=1):
        c = safe_text(wb.active.cell(i, 1), text)
        assert c.data_type == "s" and c.quotePrefix
    safe_text(wb.active.cell(9, 1), "a\x0bb")  # XML cannot hold \x0b: replaced one for one
    wb.save(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert [ws.cell(i, 1).value for i in range(1, 6)] == list(INJECTIONS)
    assert {ws.cell(i, 1).data_type for i in range(1, 6)} == {"s"}
    assert ws.cell(9, 1).value == "a\ufffdb"


def test_injected_text_is_written_as_text(
    injected_frames: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    path = write_workbook(injected_frames, tmp_path / "inj.xlsx")
    with zipfile.ZipFile(path) as z:
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    formulas = re.findall(r"<f>([^<]*)</f>", sheets)
    assert formulas and not [f for f in formulas if "HYPERLINK" in f or f == "1+1"]
    found = find_injections(openpyxl.load_workbook(path))
    assert set(found) == set(INJECTIONS)
    assert all(c.data_type == "s" for cells in found.values() for c in cells)


def find_injections(wb: openpyxl.Workbook) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value in INJECTIONS:
                    found.setdefault(c.value, []).append(c)
    return found
