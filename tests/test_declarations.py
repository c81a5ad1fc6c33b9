"""A table is declared once (aidstats.dictionary): a column added to a declaration reaches
the pandera schema, datapackage.json, the workbook's headers and its data dictionary with
no other edit."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from aidstats import dictionary
from aidstats.corpus import load_corpus
from aidstats.datapackage import descriptor
from aidstats.errors import AidstatsError
from aidstats.excel import HEADER_ROW, write_workbook
from aidstats.paths import ProjectPaths
from aidstats.schemas import schema, validate
from excel_support import frames_from, handmade_articles, handmade_figures
from support import ROOT

NEW = dictionary.C(
    "reviewer",
    "string",
    "Who checked the figure against the article",
    "核对人",
    vocab=("甲", "乙"),
)


@pytest.fixture
def declared(monkeypatch: pytest.MonkeyPatch) -> dictionary.Table:
    """A copy of the figures declaration with one more column, in force for one test."""
    spec = dictionary.table("figures")
    extended = dataclasses.replace(spec, columns=(*spec.columns, NEW))
    monkeypatch.setitem(dictionary.TABLE_SPECS, "figures", extended)
    monkeypatch.setitem(dictionary.TABLES, "figures", extended.columns)
    return extended


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return handmade_figures()


def with_reviewer(figures: pd.DataFrame) -> pd.DataFrame:
    return figures.assign(reviewer=["甲" if i % 2 else "乙" for i in range(len(figures))])


def test_declaration_is_untouched_outside_the_fixture() -> None:
    assert "reviewer" not in dictionary.columns("figures")


def test_new_column_reaches_the_schema(declared: dictionary.Table, figures: pd.DataFrame) -> None:
    assert dictionary.columns("figures")[-1] == "reviewer"
    column = schema("figures").columns["reviewer"]
    assert column.nullable and column.checks  # optional, with its vocabulary
    validate("figures", with_reviewer(figures))
    with pytest.raises(AidstatsError, match="reviewer"):  # the schema now requires it
        validate("figures", figures)
    with pytest.raises(AidstatsError, match="isin"):  # and holds it to its vocabulary
        validate("figures", figures.assign(reviewer="丙"))


def test_new_column_reaches_the_datapackage(declared: dictionary.Table) -> None:
    articles = load_corpus(ProjectPaths(ROOT))
    package = descriptor(["figures"], articles, ROOT / "data" / "raw")
    (resource,) = package["resources"]
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert list(fields)[-1] == "reviewer"
    assert fields["reviewer"] == {
        "name": "reviewer",
        "type": "string",
        "description": "Who checked the figure against the article",
        "description_zh": "核对人",
    }


def test_new_column_reaches_the_workbook(
    declared: dictionary.Table, figures: pd.DataFrame, tmp_path: Path
) -> None:
    frames = frames_from(figures, handmade_articles())
    frames["figures"] = validate("figures", with_reviewer(figures))
    wb = openpyxl.load_workbook(write_workbook(frames, tmp_path / "book.xlsx"))
    heads = [str(c.value) for c in wb["Figures"][HEADER_ROW] if c.value is not None]
    assert "核对人\nreviewer" in heads  # bilingual, from the declaration
    col = heads.index("核对人\nreviewer") + 1
    values = {wb["Figures"].cell(r, col).value for r in range(HEADER_ROW + 1, 5 + len(figures))}
    assert values == {"甲", "乙"}
    about = wb["About"]
    rows = [
        tuple(c.value for c in row[:6])
        for row in about.iter_rows(min_row=HEADER_ROW + 1)
        if row[2].value == "reviewer"
    ]
    assert rows == [
        (
            "figures",
            "Figures",
            "reviewer",
            "string",
            "核对人",
            "Who checked the figure against the article",
        )
    ]
