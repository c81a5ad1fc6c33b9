"""Fixtures and helpers shared by the workbook tests (imported as ``excel_support``).

The hand-made figures (tests/data/handmade_figures.yaml, typed from the two articles) are
analysed by the package's own analysis functions; LibreOffice helpers convert workbooks
(recalculation, PDF).
"""

from __future__ import annotations

import math
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from aidstats.analysis import beneficiaries, sales_growth, spending_shares
from aidstats.build import articles_table
from aidstats.checks import consistency_checks
from aidstats.corpus import load_corpus
from aidstats.excel import HEADER_ROW
from aidstats.paths import ProjectPaths
from aidstats.schemas import validate
from support import ROOT, skip_or_fail

HANDMADE = Path(__file__).parent / "data" / "handmade_figures.yaml"
_DEFAULT_BOUNDS = {  # qualifier → (lower is the value, upper is the value)
    "exact": (True, True),
    "over": (True, False),
    "near": (False, True),
    "approx": (False, False),
}


def figure(
    raw: dict[str, str],
    *,
    figure_id: str,
    article_id: str,
    quote: str,
    indicator: str,
    measure: str,
    category: str,
    value: float | str,
    unit: str,
    label_zh: str,
    qualifier: str = "exact",
    upper: float | None = None,
    period: str = "2022",
    parent: str | None = None,
    program: str | None = None,
    context: str | None = None,
    status: str = "curated",
    confidence: float = 1.0,
) -> dict[str, Any]:
    """A figures row, its quote found in the raw text (offsets, sentence) by hand."""
    text = raw[article_id]
    anchor = context or quote
    assert text.count(anchor) == 1, f"{anchor!r} is not unique in {article_id}"
    start = text.index(anchor) + anchor.index(quote)
    left = max(text.rfind("。", 0, start), text.rfind("\n", 0, start)) + 1
    right = text.find("。", start)
    v = float(value)
    low_is_value, high_is_value = _DEFAULT_BOUNDS[qualifier]
    return {
        "figure_id": figure_id,
        "article_id": article_id,
        "indicator": indicator,
        "label_zh": label_zh,
        "label_en": indicator.replace("_", " "),
        "category": category,
        "dac_code": 15110,
        "measure": measure,
        "value": v,
        "lower": v if low_is_value else math.nan,
        "upper": float(upper) if upper is not None else (v if high_is_value else math.nan),
        "unit": unit,
        "qualifier": qualifier,
        "period_start": str(period),
        "period_end": str(period),
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
        "status": status,
        "confidence": confidence,
        "subject_zh": None,
    }


def handmade_figures() -> pd.DataFrame:
    """The figures of tests/data/handmade_figures.yaml, as the figures table."""
    raw = {a.id: a.text for a in load_corpus(ProjectPaths(ROOT))}
    rows = yaml.safe_load(HANDMADE.read_text(encoding="utf-8"))
    return validate("figures", pd.DataFrame([figure(raw, **row) for row in rows]))


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


# --------------------------------------------------------------------------- LibreOffice


def soffice() -> str:
    """The LibreOffice executable (skip, or fail in CI, when it is missing)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        skip_or_fail("LibreOffice (soffice) is not installed: apt install libreoffice-calc-nogui")
    return str(exe)


def convert(files: list[Path], fmt: str, out: Path, profile: Path) -> None:
    """One headless LibreOffice run converting ``files``, with its own user profile."""
    cmd = [
        soffice(),
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


def row_of(ws: Any, column: str, key: Any, *, where: dict[str, Any] | None = None) -> int:
    """The one table row of sheet ``ws`` whose ``column`` is ``key`` (and ``where`` holds)."""
    col = columns(ws)
    rows = [
        r
        for r in range(HEADER_ROW + 1, ws.max_row + 1)
        if ws.cell(r, col[column]).value == key
        and all(ws.cell(r, col[k]).value == v for k, v in (where or {}).items())
    ]
    assert len(rows) == 1, (ws.title, column, key, rows)
    return rows[0]


def edit_inputs(book: Path, out: Path, edits: dict[str, float]) -> Path:
    """A copy of ``book`` with some Figures values overwritten, as a user would type them."""
    import openpyxl

    wb = openpyxl.load_workbook(book)
    ws = wb["Figures"]
    for fid, value in edits.items():
        ws.cell(row_of(ws, "figure_id", fid), columns(ws)["value"]).value = value
    wb.save(out)
    return out
