"""Broken human-layer YAML: `aidstats build` stops with one line naming file, line, field, fix.

Each case breaks one thing in a copy of data/raw/ the way a person editing by hand might
(a list where text belongs, an impossible date, an alias bomb) and runs the command line.
The build must exit with status 1, print exactly one line on stderr and no traceback,
leave data/raw/ as it was and write nothing to data/processed/.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

import aidstats
from aidstats.build import build
from aidstats.cli import main
from aidstats.paths import ProjectPaths

SRC = str(Path(aidstats.__file__).resolve().parents[1])
FIRST = "  - figure_id: jx-aid-funds-total\n"  # the registry's first row
TOTAL_ROW_TAIL = (
    "    parent_figure: null\n    include_in_totals: true\n    exclude_reason: null\n"
    "    note: 三年来…谋划实施项目80个\n"
)
BOMB = "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9) if a else ', '.join(['lol'] * 9)}]\n"
    for a, b in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)
CORRECTION = (
    "corrections:\n  - figure_id: jx-aid-funds-total\n    field: {field}\n    value: {value}\n"
    "    reason: test\n    source: test\n"
)


@dataclass(frozen=True)
class Case:
    """One way to break one file: replace ``old`` by ``new`` (``old=None``: the whole file)."""

    file: str
    old: str | None
    new: str
    expect: str  # regex the error line must match (after the file name)
    line: bool = True  # whether the message points at a line


CASES = {
    # registry.yaml: types, dates, ids, references
    "indicator-list": Case(
        "registry",
        "    indicator: aid_funds_total\n",
        "    indicator: [a, b]\n",
        r"figure #1 \(jx-aid-funds-total\): field 'indicator': .*valid string.*write it as text",
    ),
    "period-impossible-date": Case(
        "registry",
        '    period_start: "2020"\n',
        '    period_start: "2023-13-45"\n',
        r"field 'period_start': '2023-13-45' is not a real date",
    ),
    "period-arabic-indic-digits": Case(
        "registry",
        '    period_start: "2020"\n',
        '    period_start: "٢٠٢٠"\n',
        r"field 'period_start': '٢٠٢٠' is not YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    "period-trailing-newline": Case(
        "registry",
        '    period_start: "2020"\n',
        '    period_start: "2020\\n"\n',
        r"field 'period_start': '2020\\n' is not YYYY",
    ),
    "period-order": Case(
        "registry",
        '    period_start: "2020"\n',
        '    period_start: "2023-02"\n',
        r"figure #1 .*period_start 2023-02 is after period_end 2022",
    ),
    "region-list": Case(
        "registry",
        "    region: 沙雅县\n",
        "    region: [沙雅县, 阿克苏地区]\n",
        r"field 'region': .*valid string.*got \['沙雅县', '阿克苏地区'\]",
    ),
    "donor-mapping": Case(
        "registry", "    donor: 嘉兴市\n", "    donor: {name: 嘉兴市}\n", r"field 'donor': .*string"
    ),
    "id-trailing-newline": Case(
        "registry",
        FIRST,
        '  - figure_id: "jx-aid-funds-total\\n"\n',
        r"field 'figure_id': 'jx-aid-funds-total\\n' is not a slug",
    ),
    "include-as-text": Case(
        "registry",
        "    include_in_totals: true\n",
        '    include_in_totals: "true"\n',
        r"field 'include_in_totals': .*write true or false",
    ),
    "unknown-field": Case(
        "registry",
        "    region: 沙雅县\n",
        "    region: 沙雅县\n    colour: red\n",
        r"field 'colour': unknown field; remove it or use one of: figure_id",
    ),
    "duplicate-key": Case(
        "registry",
        "    region: 沙雅县\n",
        "    region: 沙雅县\n    region: 阿克苏地区\n",
        r"key 'region' is given twice in one entry \(first on line \d+\); keep one",
    ),
    "money-indicator-at-a-count": Case(
        "registry",
        "    quote: 4.5亿元\n",
        "    quote: 80个\n",
        r"figure #1 .*quote '80个' is not an amount of money.*measures money",
    ),
    "parent-cycle": Case(
        "registry",
        TOTAL_ROW_TAIL,
        TOTAL_ROW_TAIL.replace("parent_figure: null", "parent_figure: jx-projects-livelihood"),
        r"figure #2 \(jx-projects-total\): field 'parent_figure': the parents form a cycle "
        r"\(jx-projects-total → jx-projects-livelihood → jx-projects-total\)",
    ),
    "parent-unknown": Case(
        "registry",
        TOTAL_ROW_TAIL,
        TOTAL_ROW_TAIL.replace("parent_figure: null", "parent_figure: jx-nothing"),
        r"field 'parent_figure': 'jx-nothing' is not a figure_id in the registry",
    ),
    "alias-bomb": Case(
        "registry", None, BOMB + "figures: [*i]\n", r"YAML anchor or alias '&a' is not allowed"
    ),
    "oversized": Case(
        "registry",
        "    note: 三年来 in an article of January 2023\n",
        "    note: " + "很" * 2_000_000 + "\n",
        r"bytes is more than a figure registry file may have",
        line=False,
    ),
    "syntax-error": Case(
        "registry", "    region: 沙雅县\n", "    region: [沙雅县\n", r"invalid YAML .*fix the"
    ),
    "top-level-typo": Case(
        "registry", "figures:\n", "figuers:\n", r"unknown top-level key 'figuers'; the file holds"
    ),
    # indicators.yaml
    "dac-infinite": Case(
        "indicators",
        "    dac_code: 430\n",
        "    dac_code: .inf\n",
        r"indicator #1 \(aid_funds_total\): field 'dac_code': .*integer.*3-digit OECD DAC",
    ),
    "dac-negative": Case(
        "indicators",
        "    dac_code: 430\n",
        "    dac_code: -121\n",
        r"field 'dac_code': .*greater than or equal to 100, got -121; write a 3-digit",
    ),
    "dac-fraction": Case(
        "indicators",
        "    dac_code: 430\n",
        "    dac_code: 121.9\n",
        r"field 'dac_code': .*integer.*got 121.9",
    ),
    "category-unknown": Case(
        "indicators",
        "    category: funds\n",
        "    category: money\n",
        r"field 'category': 'money' is not one of 'funds', 'projects'",
    ),
    "indicator-id-newline": Case(
        "indicators",
        "  - id: aid_funds_total\n",
        '  - id: "aid_funds_total\\n"\n',
        r"field 'id': 'aid_funds_total\\n' is not an indicator id",
    ),
    # checks.yaml: shape and types (formulas themselves are parsed by the checks)
    "checks-a-list": Case(
        "checks", None, "- a\n- b\n", r"expected a top-level 'checks:' list, got a list"
    ),
    "checks-of-strings": Case(
        "checks", None, "checks:\n  - just a string\n", r"check #1: must be a mapping of fields"
    ),
    "formula-a-number": Case(
        "checks",
        "    formula: investment * rate% / villages\n",
        "    formula: 42\n",
        r"check #1 \(village-dividend-per-village\): field 'formula': .*string.*got 42",
    ),
    "formula-20k-terms": Case(
        "checks",
        "    formula: investment * rate% / villages\n",
        "    formula: " + " + ".join(["investment"] * 20_000) + "\n",
        r"field 'formula': .*at most 500 characters.*shorten it",
    ),
    "check-duplicate-id": Case(
        "checks",
        "  - id: alliance-subjects-caption-vs-body\n",
        "  - id: village-dividend-per-village\n",
        r"check #2 \(village-dividend-per-village\): field 'id': .*already used by check #1",
    ),
    # corrections.yaml: values fit their field
    "correction-text": Case(
        "corrections",
        None,
        CORRECTION.format(field="value", value="abc"),
        r"correction #1 \(jx-aid-funds-total\): value 'abc' must be a number in base units",
    ),
    "correction-9e99": Case(
        "corrections",
        None,
        CORRECTION.format(field="value", value="9e99"),
        r"value '9e99' must be a number",
    ),
    "correction-list": Case(
        "corrections",
        None,
        CORRECTION.format(field="value", value="[1, 2]"),
        r"value \[1, 2\] must be a number",
    ),
    "correction-nan": Case(
        "corrections",
        None,
        CORRECTION.format(field="value", value=".nan"),
        r"nan is not a finite number",
    ),
    "correction-negative": Case(
        "corrections",
        None,
        CORRECTION.format(field="lower", value="-1"),
        r"correction #1 \(jx-aid-funds-total\): -1 is negative",
    ),
    "correction-unit": Case(
        "corrections",
        None,
        CORRECTION.format(field="unit", value="bananas"),
        r"'bananas' is not a known unit; use one of",
    ),
    "correction-twice": Case(
        "corrections",
        None,
        CORRECTION.format(field="value", value="1")
        + CORRECTION.format(field="value", value="2").removeprefix("corrections:\n"),
        r"correction #2 .*field 'field': value of jx-aid-funds-total is already corrected",
    ),
    # catalog.yaml
    "published-impossible": Case(
        "catalog",
        '    published: "2023-01"\n',
        '    published: "2023-13"\n',
        r"article #1 \(jx-shaya-2023\): field 'published': '2023-13' is not a real date",
    ),
    "published-full-width": Case(
        "catalog",
        '    published: "2022"\n',
        '    published: "２０２２"\n',
        r"article #2 \(zj-aksu-2022\): field 'published': '２０２２' is not YYYY",
    ),
    "title-list": Case(
        "catalog",
        "    title: 从东海之滨到天山南麓\n",
        "    title: [从东海之滨, 天山南麓]\n",
        r"article #1 \(jx-shaya-2023\): field 'title': .*string",
    ),
    "article-id-newline": Case(
        "catalog",
        "  - id: jx-shaya-2023\n",
        '  - id: "jx-shaya-2023\\n"\n',
        r"field 'id': 'jx-shaya-2023\\n' is not an article id",
    ),
    # exclusions.yaml
    "exclusion-both": Case(
        "exclusions",
        "    all_occurrences: true\n",
        "    all_occurrences: true\n    context: 三年来\n",
        r"exclusion #2 \(三年\): give either context or all_occurrences",
    ),
    "exclusion-reason-list": Case(
        "exclusions",
        "    quote: 1000多个日日夜夜\n    reason: ",
        "    quote: 1000多个日日夜夜\n    reason: [a, b]\n    note: ",
        r"exclusion #1 \(1000多个日日夜夜\): field 'reason': .*string",
    ),
}


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _break(project: ProjectPaths, case: Case) -> Path:
    path = project.raw / f"{case.file}.yaml"
    text = path.read_text(encoding="utf-8")
    if case.old is None:
        text = case.new
    else:
        assert case.old in text, case.old
        text = text.replace(case.old, case.new, 1)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", list(CASES))
def test_broken_yaml_is_one_line_naming_file_line_field_and_fix(
    project: ProjectPaths, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    case = CASES[name]
    path = _break(project, case)
    before = _snapshot(project.raw)
    assert main(["build", "--root", str(project.root)]) == 1
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    line = lines[0]
    assert line.startswith(f"aidstats: error: {path}: "), line
    if case.line:
        assert re.match(rf"aidstats: error: {re.escape(str(path))}: line \d+: ", line), line
    assert re.search(case.expect, line), line
    assert len(line) < 600 and "Traceback" not in captured.err
    assert _snapshot(project.raw) == before
    assert not any(project.processed.iterdir())


@pytest.mark.parametrize("name", ["alias-bomb", "parent-cycle"])
def test_a_broken_build_process_prints_one_line(project: ProjectPaths, name: str) -> None:
    path = _break(project, CASES[name])
    proc = subprocess.run(
        [sys.executable, "-m", "aidstats.cli", "build", "--root", str(project.root)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and str(path) in proc.stderr
    assert "Traceback" not in proc.stderr


def test_error_line_points_at_the_right_line(
    project: ProjectPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _break(project, CASES["region-list"])
    broken = [n for n, t in enumerate(path.read_text("utf-8").splitlines(), 1) if "[沙雅县" in t]
    assert main(["build", "--root", str(project.root)]) == 1
    assert f": line {broken[0]}: " in capsys.readouterr().err


def test_asterisks_and_ampersands_in_text_are_not_anchors(project: ProjectPaths) -> None:
    """A formula's `*` and a note's `&` are text, not YAML anchors: the build runs."""
    path = project.registry
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("    note: 三年来 in an article of January 2023\n", "    note: R&D * 2, &c\n"),
        encoding="utf-8",
    )
    build(project)
    figures = pd.read_parquet(project.table("figures"))
    assert "R&D * 2, &c" in set(figures["note"])


def test_csv_neutralises_formulas_and_parquet_keeps_the_text(project: ProjectPaths) -> None:
    path = project.registry
    text = path.read_text(encoding="utf-8")
    note = '=HYPERLINK("http://x","y")'
    path.write_text(
        text.replace("    note: 三年来 in an article of January 2023\n", f"    note: '{note}'\n"),
        encoding="utf-8",
    )
    build(project)
    csv = pd.read_csv(project.table("figures", "csv"), keep_default_na=False)
    parquet = pd.read_parquet(project.table("figures"))
    row = csv["figure_id"] == "jx-aid-funds-total"
    assert csv.loc[row, "note"].item() == "'" + note
    assert parquet.loc[parquet["figure_id"] == "jx-aid-funds-total", "note"].item() == note
    assert csv["value"].dtype.kind == "f"  # numbers are never prefixed
