"""The Excel summary: structure, formats, live formulas, safety, determinism, atomicity.

Most tests run on a small hand-made figures table (real quotes and offsets from the two
articles, analysed by the real analysis functions), so they do not depend on the registry.
The LibreOffice tests recalculate the workbook of the hand-made table and of the real
build with a real spreadsheet engine and compare every formula result with pandas.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from aidstats.analysis import beneficiaries, sales_growth, spending_shares
from aidstats.build import articles_table, compute_tables
from aidstats.checks import consistency_checks
from aidstats.corpus import load_corpus
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
from aidstats.paths import ProjectPaths
from aidstats.schemas import validate
from support import ROOT, skip_or_fail

TABLE_SHEETS = {
    "Figures": "figures",
    "Spending": "spending_shares",
    "Sales": "sales_growth",
    "Beneficiaries": "beneficiaries",
    "Checks": "consistency_checks",
    "Sources": "articles",
}
INJECTIONS = (
    '=HYPERLINK("http://example.invalid","click")',
    "=1+1",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
)


# --------------------------------------------------------------------------- data


def _figure(
    raw: dict[str, str],
    figure_id: str,
    article_id: str,
    quote: str,
    indicator: str,
    measure: str,
    category: str,
    value: float,
    lower: float | None,
    upper: float | None,
    unit: str,
    qualifier: str,
    *,
    period: str = "2022",
    parent: str | None = None,
    program: str | None = None,
    context: str | None = None,
    label_zh: str | None = None,
) -> dict[str, Any]:
    text = raw[article_id]
    anchor = context or quote
    assert text.count(anchor) == 1, f"{anchor!r} is not unique in {article_id}"
    start = text.index(anchor) + anchor.index(quote)
    left = max(text.rfind("。", 0, start), text.rfind("\n", 0, start)) + 1
    right = text.find("。", start)
    return {
        "figure_id": figure_id,
        "article_id": article_id,
        "indicator": indicator,
        "label_zh": label_zh or indicator,
        "label_en": indicator.replace("_", " "),
        "category": category,
        "dac_code": 15110,
        "measure": measure,
        "value": value,
        "lower": math.nan if lower is None else lower,
        "upper": math.nan if upper is None else upper,
        "unit": unit,
        "qualifier": qualifier,
        "period_start": period,
        "period_end": period,
        "region": "阿克苏地区" if article_id.startswith("zj") else "沙雅县",
        "donor": "浙江省" if article_id.startswith("zj") else "嘉兴市",
        "program": program,
        "parent_figure": parent,
        "include_in_totals": parent is None,
        "raw_start": start,
        "raw_end": start + len(quote),
        "quote": text[start : start + len(quote)],
        "sentence": text[left : right + 1].strip(),
        "kind": "percent" if unit == "%" else "amount",
        "period_type": "annual",
        "exclude_reason": None if parent is None else "part of a total",
        "mention_id": f"{article_id}#{start}",
        "corrected": None,
        "note": None,
        "status": "curated",
        "confidence": 1.0,
        "subject_zh": None,
    }


def handmade_figures() -> pd.DataFrame:
    """Figures of the two articles, typed by hand from the text (conventions' bounds)."""
    raw = {a.id: a.text for a in load_corpus(ProjectPaths(ROOT))}
    jx, zj, ten = "jx-shaya-2023", "zj-aksu-2022", "十城百店"
    rows = [
        _figure(
            raw,
            "jx-funds",
            jx,
            "4.5亿元",
            "aid_funds_total",
            "money",
            "funds",
            4.5e8,
            4.5e8,
            4.5e8,
            "元",
            "exact",
            label_zh="援疆资金",
        ),
        _figure(
            raw,
            "jx-livelihood-share",
            jx,
            "91.7%",
            "livelihood_funds_share",
            "share",
            "funds",
            91.7,
            91.7,
            91.7,
            "%",
            "exact",
            parent="jx-funds",
            label_zh="民生资金占比",
        ),
        _figure(
            raw,
            "jx-health",
            jx,
            "6360万元",
            "health_funds",
            "money",
            "funds",
            6.36e7,
            6.36e7,
            6.36e7,
            "元",
            "exact",
            parent="jx-funds",
            label_zh="医疗卫生资金",
        ),
        _figure(
            raw,
            "jx-projects",
            jx,
            "80个",
            "projects_total",
            "items",
            "projects",
            80,
            80,
            80,
            "个",
            "exact",
            context="项目80个",
            label_zh="援疆项目",
        ),
        _figure(
            raw,
            "jx-livelihood-projects",
            jx,
            "61个",
            "projects_livelihood",
            "items",
            "projects",
            61,
            61,
            61,
            "个",
            "exact",
            parent="jx-projects",
            label_zh="民生类项目",
        ),
        _figure(
            raw,
            "jx-sales-value",
            jx,
            "超17亿元",
            "consumption_sales_value",
            "money",
            "sales",
            1.7e9,
            1.7e9,
            None,
            "元",
            "over",
            program=ten,
            label_zh="消费帮扶销售额",
        ),
        _figure(
            raw,
            "jx-sales-volume",
            jx,
            "16万吨",
            "consumption_sales_volume",
            "weight",
            "sales",
            1.6e5,
            1.6e5,
            1.6e5,
            "吨",
            "exact",
            program=ten,
            label_zh="消费帮扶销量",
        ),
        _figure(
            raw,
            "jx-clinic-visits",
            jx,
            "37680余人次",
            "clinic_visits",
            "person_times",
            "beneficiaries",
            37680,
            37680,
            37690,
            "人次",
            "over",
            label_zh="义诊接诊",
        ),
        _figure(
            raw,
            "jx-cataract",
            jx,
            "1000余名",
            "cataract_patients",
            "people",
            "beneficiaries",
            1000,
            1000,
            2000,
            "名",
            "over",
            label_zh="白内障患者",
        ),
        _figure(
            raw,
            "jx-screened",
            jx,
            "11896名",
            "children_screened",
            "people",
            "beneficiaries",
            11896,
            11896,
            11896,
            "名",
            "exact",
            label_zh="筛查幼儿",
        ),
        _figure(
            raw,
            "zj-sales-value",
            zj,
            "72.8亿元",
            "consumption_sales_value",
            "money",
            "sales",
            7.28e9,
            7.28e9,
            7.28e9,
            "元",
            "exact",
            period="2021",
            program=ten,
            label_zh="消费帮扶销售额",
        ),
        _figure(
            raw,
            "zj-sales-volume",
            zj,
            "66.17万吨",
            "consumption_sales_volume",
            "weight",
            "sales",
            6.617e5,
            6.617e5,
            6.617e5,
            "吨",
            "exact",
            period="2021",
            program=ten,
            label_zh="消费帮扶销量",
        ),
        _figure(
            raw,
            "zj-sales-growth",
            zj,
            "103%",
            "consumption_sales_growth",
            "growth",
            "sales",
            103,
            103,
            103,
            "%",
            "exact",
            period="2021",
            program=ten,
            label_zh="销售额同比增长",
        ),
        _figure(
            raw,
            "zj-online-sales",
            zj,
            "10.5亿元",
            "online_sales_value",
            "money",
            "sales",
            1.05e9,
            1.05e9,
            1.05e9,
            "元",
            "exact",
            period="2021",
            program=ten,
            label_zh="线上销售额",
        ),
        _figure(
            raw,
            "zj-rescued",
            zj,
            "209名",
            "children_rescued",
            "people",
            "beneficiaries",
            209,
            209,
            209,
            "名",
            "exact",
            period="2021",
            label_zh="救助儿童",
        ),
        _figure(
            raw,
            "zj-village-funds",
            zj,
            "400万元",
            "village_investment",
            "money",
            "industry",
            4e6,
            4e6,
            4e6,
            "元",
            "exact",
            period="2021",
            label_zh="入股援疆资金",
        ),
        _figure(
            raw,
            "zj-return-rate",
            zj,
            "8%",
            "village_return_rate",
            "ratio",
            "industry",
            8,
            8,
            8,
            "%",
            "exact",
            period="2021",
            label_zh="最低收益率",
        ),
        _figure(
            raw,
            "zj-villages",
            zj,
            "11个",
            "villages",
            "items",
            "industry",
            11,
            11,
            11,
            "个",
            "exact",
            period="2021",
            context="11个村作为",
            label_zh="试点村",
        ),
        _figure(
            raw,
            "zj-dividend",
            zj,
            "2.9万元",
            "village_dividend",
            "money",
            "industry",
            2.9e4,
            2.9e4,
            2.9e4,
            "元",
            "exact",
            period="2021",
            label_zh="每村分红",
        ),
    ]
    return validate("figures", pd.DataFrame(rows))


CURATED = [
    {
        "id": "dividend-per-village",
        "type": "formula",
        "label_zh": "每村分红 = 投入 × 收益率 ÷ 村数",
        "label_en": "Dividend per village = investment × rate ÷ villages",
        "operands": {
            "invest": {"figure": "zj-village-funds"},
            "rate": {"figure": "zj-return-rate"},
            "villages": {"figure": "zj-villages"},
        },
        "formula": "invest * rate / 100 / villages",
        "expected": {"figure": "zj-dividend"},
    },
    {
        "id": "sales-per-tonne-plausible",
        "type": "formula",
        "label_zh": "嘉兴每吨销售额不低于一万元",
        "label_en": "Jiaxing sales per tonne at least 10,000 yuan",
        "operands": {"v": {"figure": "jx-sales-value"}, "t": {"figure": "jx-sales-volume"}},
        "formula": "v / t * 1.0",
        "expected": {"figure": "jx-sales-value"},
        "note": "deliberately flags: compares 元/吨 with 元, to show a flag",
    },
    {
        "id": "two-sales-values",
        "type": "same_value",
        "label_zh": "两篇文章的销售额相同",
        "label_en": "The two articles report the same sales value",
        "operands": {"a": {"figure": "jx-sales-value"}, "b": {"figure": "zj-sales-value"}},
    },
]


def frames_from(
    figures: pd.DataFrame, articles: pd.DataFrame, curated: list[dict[str, Any]] = CURATED
) -> dict[str, pd.DataFrame]:
    """Every table the workbook needs, computed by the package's analysis functions."""
    return {
        "articles": articles,
        "figures": figures,
        "spending_shares": validate("spending_shares", spending_shares(figures)),
        "sales_growth": validate("sales_growth", sales_growth(figures)),
        "beneficiaries": validate("beneficiaries", beneficiaries(figures)),
        "consistency_checks": validate(
            "consistency_checks",
            consistency_checks(figures, pd.DataFrame(), {}, curated),
        ),
    }


def handmade_articles() -> pd.DataFrame:
    arts = load_corpus(ProjectPaths(ROOT))
    empty = pd.DataFrame({"article_id": pd.Series(dtype=str), "status": pd.Series(dtype=str)})
    return validate("articles", articles_table(arts, empty, empty, empty, ROOT / "data" / "raw"))


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
def book(frames: dict[str, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "summary.xlsx"
    return write_workbook(frames, path, generated="2024-05-01")


@pytest.fixture(scope="module")
def wb(book: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(book)


# --------------------------------------------------------------------------- helpers


def columns(ws: Any) -> dict[str, int]:
    """English column name → column number, from the bilingual header ("中文\\nname")."""
    return {str(c.value).split("\n")[-1]: c.column for c in ws[HEADER_ROW] if c.value is not None}


def is_formula(cell: Any) -> bool:
    return cell.data_type == "f" and str(cell.value).startswith("=")


def empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def same(got: Any, want: Any) -> bool:
    if empty(want):
        return empty(got)
    if isinstance(want, str):
        return got == want
    return isinstance(got, int | float) and math.isclose(got, float(want), rel_tol=1e-9)


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
        assert {c.name for c in TABLES[table]} <= names, sheet


def test_figures_sheet_is_a_usable_table(
    wb: openpyxl.Workbook, frames: dict[str, pd.DataFrame]
) -> None:
    ws = wb["Figures"]
    col = columns(ws)
    figs = frames["figures"]
    assert ws.freeze_panes == f"C{FIRST_ROW}"
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:{ws.cell(1, len(col)).column_letter}" + str(
        FIRST_ROW + len(figs) - 1
    )
    row = {fid: FIRST_ROW + i for i, fid in enumerate(figs["figure_id"])}
    funds = ws.cell(row["jx-funds"], col["value"])
    assert funds.value == 4.5e8 and funds.number_format == "#,##0"
    assert ws.cell(row["jx-livelihood-share"], col["value"]).number_format == '0.0##"%"'
    display = ws.cell(row["jx-funds"], col["display"])
    assert is_formula(display) and "亿元" in display.number_format
    assert "万元" in ws.cell(row["jx-health"], col["display"]).number_format
    assert ws.cell(row["jx-projects"], col["display"]).value is None  # 80个: no display
    for name, least in (("quote", 10), ("sentence", 40)):
        assert ws.cell(FIRST_ROW, col[name]).alignment.wrap_text
        assert ws.column_dimensions[ws.cell(1, col[name]).column_letter].width >= least
    assert 8 <= ws.column_dimensions["A"].width <= 40
    assert {"fig_id", "fig_value", "fig_lower", "fig_upper"} <= set(wb.defined_names)


def test_every_derived_cell_is_a_formula(
    wb: openpyxl.Workbook, frames: dict[str, pd.DataFrame]
) -> None:
    ws, col = wb["Spending"], columns(wb["Spending"])
    sp = frames["spending_shares"]
    for i, rec in enumerate(sp.to_dict("records")):
        r = FIRST_ROW + i
        assert "fig_value" in ws.cell(r, col["part_value"]).value
        if rec["share_basis"] == "derived":
            for c in ("share_pct", "share_lower_pct", "share_upper_pct"):
                assert is_formula(ws.cell(r, col[c])), (rec["figure_id"], c)
        if rec["amount_basis"] == "derived":
            for c in ("amount", "amount_lower", "amount_upper"):
                assert is_formula(ws.cell(r, col[c])), (rec["figure_id"], c)
    assert set(sp["share_basis"]) >= {"reported", "derived"}
    assert "derived" in set(sp["amount_basis"])

    ws, col = wb["Sales"], columns(wb["Sales"])
    sales = frames["sales_growth"]
    for i, rec in enumerate(sales.to_dict("records")):
        for c in ("value", "lower", "upper"):
            cell = ws.cell(FIRST_ROW + i, col[c])
            assert is_formula(cell), (rec["metric"], c)
            assert ("fig_" in cell.value) == (rec["basis"] == "reported")
    assert {"previous_year_value", "value_per_tonne", "online_share"} <= set(sales["metric"])

    ws, col = wb["Checks"], columns(wb["Checks"])
    checks = frames["consistency_checks"]
    for i, rec in enumerate(checks.to_dict("records")):
        assert is_formula(ws.cell(FIRST_ROW + i, col["verdict"])), rec["check_id"]
        if rec["source"] == "auto" or rec["formula"]:
            assert is_formula(ws.cell(FIRST_ROW + i, col["computed"])), rec["check_id"]

    values = [
        ws_cell
        for row in wb[SUMMARY].iter_rows()
        for ws_cell in row
        if ws_cell.number_format and ws_cell.fill.fgColor.rgb in ("00FFF2CC", "00DDEBF7")
    ]
    assert values and all(is_formula(c) for c in values)


def test_curated_formula_becomes_spreadsheet_arithmetic(wb: openpyxl.Workbook) -> None:
    ws, col = wb["Checks"], columns(wb["Checks"])
    ids = [ws.cell(r, col["check_id"]).value for r in range(FIRST_ROW, ws.max_row + 1)]
    r = FIRST_ROW + ids.index("dividend-per-village")
    # figure operands show their figure id (looked up in Figures); map ids back to names
    name_of = {ref: name for name, ref in json.loads(ws.cell(r, col["operand_refs"]).value).items()}
    operand = {ws.cell(r, col[f"operand_{i}"]).value: i for i in (1, 2, 3)}
    v = {name_of.get(o, o): ws.cell(r, col[f"value_{i}"]).coordinate for o, i in operand.items()}
    for i in (1, 2, 3):
        assert "fig_value" in str(ws.cell(r, col[f"value_{i}"]).value)
    assert ws.cell(r, col["computed"]).value == f"={v['invest']}*{v['rate']}/100/{v['villages']}"
    assert excel_arithmetic("a / (1 + b)", {"a": "J5", "b": "L5"}) == "J5/(1+L5)"


def test_print_setup_fonts_and_charts(wb: openpyxl.Workbook) -> None:
    for ws in wb.worksheets:
        ps = ws.page_setup
        assert ps.orientation == "landscape", ws.title
        assert (ps.fitToWidth, ps.fitToHeight) == (1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
        assert fonts == {FONT_NAME}, ws.title
    for name in ("Spending", "Sales", "Beneficiaries"):
        assert wb[name]._charts, name
    ws = wb["Spending"]
    col = columns(ws)

    def hidden(index: int) -> bool:
        dims = ws.column_dimensions.values()
        return any(d.hidden and d.outlineLevel == 1 and d.min <= index <= d.max for d in dims)

    assert hidden(col["part_lower"]) and hidden(col["whole_row"])  # detail, one click away
    assert not hidden(col["share_pct"]) and not hidden(col["quote"])


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
    from aidstats.excel import columns as facts

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
    checks = ["check_id", "arithmetic", "tolerance", "verdict"]
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


def test_generation_date_comes_from_the_inputs(
    frames: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    path = write_workbook(frames, tmp_path / "a.xlsx")
    props = openpyxl.load_workbook(path).properties
    assert props.created == props.modified == pd.Timestamp("2023-01-01").to_pydatetime()
    summary = openpyxl.load_workbook(path)[SUMMARY]
    assert str(summary["B2"].value).startswith("2023-01")
    explicit = openpyxl.load_workbook(
        write_workbook(frames, tmp_path / "b.xlsx", generated="2024-05-01")
    )
    assert explicit.properties.modified.isoformat() == "2024-05-01T00:00:00"
    assert explicit[SUMMARY]["B2"].value == "2024-05-01"
    with pytest.raises(AidstatsError, match="not an ISO date"):
        write_workbook(frames, tmp_path / "c.xlsx", generated="May 2024")


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
    assert not wb["Sales"]._charts


def test_missing_table_is_a_clear_error(frames: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    partial = {k: v for k, v in frames.items() if k != "sales_growth"}
    with pytest.raises(AidstatsError, match="sales_growth"):
        write_workbook(partial, tmp_path / "x.xlsx")
    assert not list(tmp_path.iterdir())


# --------------------------------------------------------------------------- injection


def test_safe_text_never_writes_a_formula(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    for i, text in enumerate(INJECTIONS, start=1):
        cell = safe_text(wb.active.cell(i, 1), text)
        assert cell.data_type == "s" and cell.quotePrefix
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
    found = _find_injections(openpyxl.load_workbook(path))
    assert set(found) == set(INJECTIONS)
    assert all(cell.data_type == "s" for cells in found.values() for cell in cells)


def _find_injections(wb: openpyxl.Workbook) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in INJECTIONS:
                    found.setdefault(cell.value, []).append(cell)
    return found


# --------------------------------------------------------------------------- LibreOffice


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        skip_or_fail("LibreOffice (soffice) is not installed: apt install libreoffice-calc-nogui")
    return str(exe)


def convert(files: list[Path], fmt: str, out: Path, profile: Path) -> None:
    """One headless LibreOffice run converting ``files``, with its own user profile."""
    cmd = [
        _soffice(),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        fmt,
        "--outdir",
        str(out),
        *map(str, files),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=240, check=False)
    missing = [f for f in files if not (out / f"{f.stem}.{fmt}").exists()]
    assert not missing, f"soffice did not convert {missing}: {done.stdout} {done.stderr}"


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


# A colleague corrects two reported inputs in the Figures sheet (values in base units).
EDITS = {"jx-aid-funds-total": 5.0e8, "zj-village-investment": 4.4e6}


def _edit_inputs(book: Path, out: Path, edits: dict[str, float]) -> Path:
    """A copy of ``book`` with some Figures values overwritten, as a user would type them."""
    wb = openpyxl.load_workbook(book)
    ws = wb["Figures"]
    col = columns(ws)
    found = set()
    for r in range(FIRST_ROW, ws.max_row + 1):
        fid = ws.cell(r, col["figure_id"]).value
        if fid in edits:
            ws.cell(r, col["value"]).value = edits[fid]
            found.add(fid)
    assert found == set(edits)
    wb.save(out)
    return out


@pytest.fixture(scope="module")
def lo_books(
    frames: dict[str, pd.DataFrame],
    injected_frames: dict[str, pd.DataFrame],
    synthetic_frames: dict[str, pd.DataFrame],
    real_build: dict[str, pd.DataFrame] | str,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[Path, Path]]:
    """name → (the openpyxl workbook, LibreOffice's recalculated copy): one soffice run."""
    _soffice()
    base = tmp_path_factory.mktemp("lo")
    made = {
        "handmade": write_workbook(frames, base / "handmade.xlsx", generated="2024-05-01"),
        "injected": write_workbook(injected_frames, base / "injected.xlsx"),
        "synthetic": write_workbook(synthetic_frames, base / "synthetic.xlsx"),
    }
    if not isinstance(real_build, str):
        made["real"] = write_workbook(real_build, base / "real.xlsx")
        made["edited"] = _edit_inputs(made["real"], base / "edited.xlsx", EDITS)
    (base / "out").mkdir()
    convert(list(made.values()), "xlsx", base / "out", base / "profile")
    return {k: (p, base / "out" / p.name) for k, p in made.items()}


@pytest.fixture(scope="module")
def rendered(lo_books: dict[str, tuple[Path, Path]]) -> dict[str, tuple[str, list[Path]]]:
    """The hand-made and real workbooks as PDF (their text) and PNG pages: one soffice run."""
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
        result[name] = (text, sorted(out.glob(f"{name}-page-*.png")))
    return result


def _recalculated_matches(frames: dict[str, pd.DataFrame], book: Path, recalc: Path) -> int:
    """Compare every formula result with the pandas table it mirrors; count comparisons."""
    formulas = openpyxl.load_workbook(book)
    values = openpyxl.load_workbook(recalc, data_only=True)
    numeric = {
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
            ],
        ),
        "Sales": ("sales_growth", ["value", "lower", "upper", "qualifier"]),
        "Beneficiaries": ("beneficiaries", ["value", "lower", "upper"]),
        "Checks": ("consistency_checks", ["computed", "expected", "verdict"]),
    }
    compared = 0
    for sheet, (table, cols) in numeric.items():
        df, ws, fs = frames[table], values[sheet], formulas[sheet]
        col = columns(fs)
        for i, rec in enumerate(df.to_dict("records")):
            for c in cols:
                cell = fs.cell(FIRST_ROW + i, col[c])
                if not is_formula(cell):
                    continue
                got = ws.cell(FIRST_ROW + i, col[c]).value
                assert same(got, rec[c]), (sheet, i, c, got, rec[c], cell.value)
                compared += 1
    # Figures' 万/亿 display column, and every summary cell against the cell it links to
    ws, fs = values["Figures"], formulas["Figures"]
    col = columns(fs)
    for i, rec in enumerate(frames["figures"].to_dict("records")):
        cell = fs.cell(FIRST_ROW + i, col["display"])
        if is_formula(cell):
            scale = 1e8 if abs(rec["value"]) >= 1e8 else 1e4
            assert same(ws.cell(FIRST_ROW + i, col["display"]).value, rec["value"] / scale)
            compared += 1
    link = re.compile(r"^=IF\((\w+)!\$([A-Z]+)\$(\d+)=")
    for row in formulas[SUMMARY].iter_rows():
        for cell in row:
            m = link.match(str(cell.value)) if is_formula(cell) else None
            if m:
                want = values[m[1]][f"{m[2]}{m[3]}"].value
                assert same(values[SUMMARY][cell.coordinate].value, want), cell.coordinate
                compared += 1
            elif is_formula(cell) and "COUNTIF" in str(cell.value):
                word = re.search(r'"(pass|flag)"', cell.value)[1]
                want = int((frames["consistency_checks"]["verdict"] == word).sum())
                assert values[SUMMARY][cell.coordinate].value == want
                compared += 1
    return compared


@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_pandas_values(
    frames: dict[str, pd.DataFrame], lo_books: dict[str, tuple[Path, Path]]
) -> None:
    assert _recalculated_matches(frames, *lo_books["handmade"]) > 60


@pytest.mark.libreoffice
def test_libreoffice_recalculates_growth_between_two_years(
    synthetic_frames: dict[str, pd.DataFrame], lo_books: dict[str, tuple[Path, Path]]
) -> None:
    sales = synthetic_frames["sales_growth"]
    assert "growth_from_values" in set(sales["metric"])
    assert _recalculated_matches(synthetic_frames, *lo_books["synthetic"]) > 60
    book, recalc = lo_books["synthetic"]
    ws, col = (
        openpyxl.load_workbook(recalc, data_only=True)["Sales"],
        columns(openpyxl.load_workbook(book)["Sales"]),
    )
    row = FIRST_ROW + int(sales.index[sales["metric"] == "growth_from_values"][0])
    assert ws.cell(row, col["value"]).value == pytest.approx(100 * (72.8 / 36 - 1), rel=1e-9)


@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_real_build(
    real_build: dict[str, pd.DataFrame] | str, lo_books: dict[str, tuple[Path, Path]]
) -> None:
    real = need_real(real_build)
    assert _recalculated_matches(real, *lo_books["real"]) > 20


@pytest.mark.libreoffice
def test_corrected_inputs_flow_into_derived_cells(
    real_build: dict[str, pd.DataFrame] | str, lo_books: dict[str, tuple[Path, Path]]
) -> None:
    """Typing a new value into Figures changes every derived cell that uses it."""
    need_real(real_build)
    book, recalc = lo_books["edited"]
    f, v = openpyxl.load_workbook(book), openpyxl.load_workbook(recalc, data_only=True)

    def value(sheet: str, key_col: str, key: str, col: str) -> Any:
        c = columns(f[sheet])
        rows = [
            r
            for r in range(FIRST_ROW, f[sheet].max_row + 1)
            if f[sheet].cell(r, c[key_col]).value == key
        ]
        assert len(rows) == 1, (sheet, key)
        return v[sheet].cell(rows[0], c[col]).value

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


@pytest.mark.libreoffice
def test_recalculated_values_match_hand_arithmetic(
    lo_books: dict[str, tuple[Path, Path]],
) -> None:
    """Numbers worked out by hand from the article text, not from the analysis code."""
    book, recalc = lo_books["handmade"]
    f, v = openpyxl.load_workbook(book), openpyxl.load_workbook(recalc, data_only=True)

    def cell(sheet: str, key_col: str, key: str, col: str, metric: str | None = None) -> Any:
        c = columns(f[sheet])
        for r in range(FIRST_ROW, f[sheet].max_row + 1):
            if f[sheet].cell(r, c[key_col]).value == key and (
                metric is None or f[sheet].cell(r, c["metric"]).value == metric
            ):
                return v[sheet].cell(r, c[col]).value
        raise AssertionError(f"{key} not in {sheet}")

    # 2021: 销售额72.8亿元, 同比增长103% → 2020 ≈ 72.8亿 ÷ 2.03 = 35.862…亿元
    prev = cell("Sales", "figure_ids", "zj-sales-value;zj-sales-growth", "value")
    assert prev == pytest.approx(35.862068965517e8, rel=1e-9)
    # 线上 10.5亿元 of 72.8亿元 = 14.4231%; 72.8亿元 ÷ 66.17万吨 = 11,001.96 元/吨
    assert cell("Sales", "figure_ids", "zj-online-sales;zj-sales-value", "value") == (
        pytest.approx(14.423076923077, rel=1e-9)
    )
    assert cell("Sales", "figure_ids", "zj-sales-value;zj-sales-volume", "value") == (
        pytest.approx(11001.964636542240, rel=1e-9)
    )
    # 超17亿元 over 16万吨: at least 10,625 元/吨, no upper bound
    assert cell("Sales", "figure_ids", "jx-sales-value;jx-sales-volume", "lower") == 10625
    assert cell("Sales", "figure_ids", "jx-sales-value;jx-sales-volume", "upper") in ("", None)
    # 民生类项目61个 of 80个 = 76.25%; 6360万元 of 4.5亿元 = 14.1333%; 91.7% of 4.5亿 = 4.1265亿
    assert cell("Spending", "figure_id", "jx-livelihood-projects", "share_pct") == 76.25
    assert cell("Spending", "figure_id", "jx-health", "share_pct") == pytest.approx(
        14.133333333333, rel=1e-9
    )
    assert cell("Spending", "figure_id", "jx-livelihood-share", "amount") == pytest.approx(
        412_650_000, rel=1e-12
    )
    # 400万元 × 8% ÷ 11个村 = 29,090.9元 vs 2.9万元 (± 500): pass
    assert cell("Checks", "check_id", "dividend-per-village", "computed") == pytest.approx(
        4e6 * 0.08 / 11, rel=1e-12
    )
    assert cell("Checks", "check_id", "dividend-per-village", "verdict") == "pass"
    assert cell("Checks", "check_id", "sales-per-tonne-plausible", "verdict") == "flag"
    assert cell("Checks", "check_id", "two-sales-values", "verdict") == "flag"


@pytest.mark.libreoffice
def test_injected_text_stays_text_after_libreoffice(
    lo_books: dict[str, tuple[Path, Path]],
) -> None:
    recalc = lo_books["injected"][1]
    found = _find_injections(openpyxl.load_workbook(recalc))
    assert set(found) == set(INJECTIONS)
    assert all(cell.data_type == "s" for cells in found.values() for cell in cells)
    values = _find_injections(openpyxl.load_workbook(recalc, data_only=True))
    assert set(values) == set(INJECTIONS)  # no formula result replaced the text


@pytest.mark.libreoffice
def test_renders_to_pdf_and_png_with_charts(
    rendered: dict[str, tuple[str, list[Path]]],
) -> None:
    text, pages = rendered["handmade"]
    assert len(pages) >= len(SHEETS)
    assert all(p.stat().st_size > 5_000 for p in pages)
    for title in ("Consumption-aid sales", "Share of the total", "People reached"):
        assert title in text, f"chart {title!r} missing from the PDF"
    assert "对口援疆数据概览" in text and "民生" in text  # CJK text rendered as text


@pytest.mark.libreoffice
def test_real_workbook_renders_with_charts(
    real_build: dict[str, pd.DataFrame] | str, rendered: dict[str, tuple[str, list[Path]]]
) -> None:
    need_real(real_build)
    text, pages = rendered["real"]
    assert len(pages) >= len(SHEETS)
    for title in ("Consumption-aid sales", "Share of the total"):
        assert title in text, f"chart {title!r} missing from the PDF"


def test_operands_json_round_trip(frames: dict[str, pd.DataFrame]) -> None:
    checks = frames["consistency_checks"]
    curated = checks[checks["check_id"] == "dividend-per-village"].iloc[0]
    assert json.loads(curated["operands"]) == {"invest": 4e6, "rate": 8.0, "villages": 11.0}


def test_workbook_bytes_is_pure(frames: dict[str, pd.DataFrame]) -> None:
    assert workbook_bytes(frames) == workbook_bytes(frames)
