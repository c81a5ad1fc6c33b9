"""Bring your own article: add, build (auto figures), review, accept, build --strict — and bad
or concurrent adds."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook
from ruamel.yaml import YAML

import aidstats
from aidstats.build import build, compute_tables
from aidstats.cli import main
from aidstats.corpus import catalog_entries
from aidstats.errors import AidstatsError
from aidstats.paths import ProjectPaths
from support import ROOT

SRC = str(Path(aidstats.__file__).resolve().parents[1])
BYO = ROOT / "tests" / "data" / "byo"
ARTICLE = BYO / "jx-sales-2023.txt"
ANNOTATION = yaml.safe_load((BYO / "annotation.yaml").read_text(encoding="utf-8"))
ART_ID = ANNOTATION["article"]["id"]


def _add_args(project: ProjectPaths, path: Path = ARTICLE, **over: str) -> list[str]:
    opts = {
        "--id": ART_ID,
        "--title": ANNOTATION["article"]["title"],
        "--published": ANNOTATION["article"]["published"],
        **over,
    }
    args = ["--root", str(project.root), "add", str(path)]
    for key, val in opts.items():
        if val:
            args += [key, val]
    return args


def test_add_build_review_accept(
    project: ProjectPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_add_args(project)) == 0
    out = capsys.readouterr().out
    assert f"added {ART_ID}" in out and "gb18030" in out and "not yet curated: 11" in out
    copied = project.raw / "articles" / f"{ART_ID}.txt"
    assert copied.read_bytes() == ARTICLE.read_bytes()  # verbatim, encoding kept

    # the build labels every uncurated mention automatically; --strict keeps the old rule
    with pytest.raises(AidstatsError, match="neither used"):
        compute_tables(project, strict=True)
    auto = compute_tables(project).frames["figures"]
    auto = auto[auto["article_id"] == ART_ID]
    raw = ARTICLE.read_bytes().decode("gb18030")
    wanted = {a["quote"]: a for a in ANNOTATION["figures"]}
    excluded = {e["quote"]: e for e in ANNOTATION["exclusions"]}
    assert set(auto["quote"]) == set(wanted) | set(excluded)
    assert (auto["status"] == "auto").all() and auto["confidence"].between(0, 1).all()
    assert all(raw[r.raw_start : r.raw_end] == r.quote for r in auto.itertuples())

    draft_path = tmp_path / "draft.yaml"
    review = ["--root", str(project.root), "review", ART_ID, "--draft", str(draft_path)]
    assert main(review) == 0
    assert "21.5亿元" in capsys.readouterr().out
    assert main(review) == 1  # an existing draft is never overwritten without --force
    assert "--force" in capsys.readouterr().err
    assert main([*review, "--force"]) == 0
    into_raw = [*review[:-1], str(project.registry), "--force"]
    before = project.registry.read_bytes()
    assert main(into_raw) == 1  # not even --force writes a draft over the human layer
    assert "never goes into data/raw" in capsys.readouterr().err
    assert project.registry.read_bytes() == before
    text = draft_path.read_text(encoding="utf-8")
    assert "confidence" in text  # every row says how sure the labels are
    draft = YAML().load(text)
    assert {r["quote"] for r in draft["figures"]} == set(wanted) | set(excluded)
    assert project.registry.read_text(encoding="utf-8").count(ART_ID) == 0  # never written

    # the person's corrections: indicators from the annotation, the programme and period
    # the registry already uses for the 2022 十城百店 figures, and four exclusions
    ref = _reference_sales_row()
    rows = {r["quote"]: r for r in draft["figures"]}
    draft["figures"] = [rows[q] for q in wanted]
    for quote, ann in wanted.items():
        rows[quote].update(
            figure_id=f"{ART_ID}-{ann['indicator'].replace('_', '-')}",
            indicator=ann["indicator"],
            period_start="2023",
            period_end="2023",
            period_type="annual",
            region=ref["region"],
            donor=ref["donor"],
            program=ref["program"]
            if ann["indicator"].startswith(("consumption", "online"))
            else None,
            parent_figure=None,
            include_in_totals=True,
            exclude_reason=None,
            note="accepted from the review draft",
        )
    draft["exclusions"] = [
        {
            "article_id": ART_ID,
            "quote": q,
            "context": rows[q]["context"],
            "reason": e["reason"],
        }
        for q, e in excluded.items()
    ]
    draft["indicators"] = []
    with draft_path.open("w", encoding="utf-8") as fh:
        YAML().dump(draft, fh)
    header = project.registry.read_text(encoding="utf-8").split("figures:")[0]
    assert main(["--root", str(project.root), "review", ART_ID, "--accept", str(draft_path)]) == 0
    assert "7 figure(s)" in capsys.readouterr().out
    merged = project.registry.read_text(encoding="utf-8")
    assert merged.startswith(header)  # the file's comments and layout are kept
    assert f"{ART_ID}-consumption-sales-value" in merged

    build(project, strict=True)
    figs = pd.read_csv(project.processed / "figures.csv")
    new = figs[figs["article_id"] == ART_ID].set_index("quote")
    assert set(new.index) == set(wanted)
    raw = ARTICLE.read_bytes().decode("gb18030")
    for quote, ann in wanted.items():
        f = new.loc[quote]
        assert raw[f.raw_start : f.raw_end] == quote
        assert f.value == pytest.approx(ann["value"]) and f.unit == ann["unit"]
        assert f.qualifier == ann["qualifier"]
        if "lower" in ann:
            assert (f.lower, f.upper) == (ann["lower"], ann["upper"])

    sales = pd.read_csv(project.processed / "sales_growth.csv")
    mine = sales[sales["article_id"] == ART_ID]
    prev = mine[mine["metric"] == "previous_year_value"].iloc[0]
    assert prev.value == pytest.approx(21.5e8 / 1.26)
    online = mine[mine["metric"] == "online_share"].iloc[0]
    assert online.value == pytest.approx(100 * 3.6 / 21.5)
    # a second reported year of the same programme: growth from the two values
    between = sales[(sales["metric"] == "growth_from_values") & (sales["period_end"] == 2023)]
    assert len(between) == 1
    # 2022 was 超17亿元 (at least 17亿), so the growth is at most 21.5/17 − 1
    assert between.iloc[0].upper == pytest.approx(100 * (21.5 / 17 - 1))
    ben = pd.read_csv(project.processed / "beneficiaries.csv")
    assert "1.2万余人次" in set(ben["quote"])
    # … and in the workbook a colleague is mailed
    wb = load_workbook(project.workbook, read_only=True)
    cells = {
        c
        for ws in (wb["Figures"], wb["Sources"])
        for row in ws.iter_rows(values_only=True)
        for c in row
    }
    wb.close()
    assert f"{ART_ID}-consumption-sales-value" in cells and "1.2万余人次" in cells
    assert ANNOTATION["article"]["title"] in cells
    arts = pd.read_csv(project.processed / "articles.csv").set_index("article_id")
    assert arts.loc[ART_ID, "encoding"] == "gb18030" and arts.loc[ART_ID, "figures"] == 7


def _reference_sales_row() -> dict[str, str]:
    figs = compute_tables(ProjectPaths(ROOT)).frames["figures"]
    ref = figs[
        (figs["article_id"] == "jx-shaya-2023") & (figs["indicator"] == "consumption_sales_value")
    ].iloc[0]
    return {"region": ref["region"], "donor": ref["donor"], "program": ref["program"]}


def _snapshot(project: ProjectPaths) -> dict[str, str]:
    return {
        str(p.relative_to(project.raw)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(project.raw.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ("same", {}, "already in the corpus as article jx-shaya-2023"),
        ("byo", {"--id": "zj-aksu-2022"}, "already in the catalog"),
        ("empty", {}, "the file is empty"),
        ("latin", {}, "not plausible Chinese text|cannot decode"),
        ("byo", {"--title": ""}, "--title not given and there is no terminal"),
        ("byo", {"--published": "2023-13"}, "'2023-13' is not a real date"),
        ("byo", {"--published": "2023-02-30"}, "'2023-02-30' is not a real date"),
        ("byo", {"--published": "２０２３"}, "'２０２３' is not YYYY, YYYY-MM or YYYY-MM-DD"),
        ("byo", {"--id": "ab\n"}, r"id 'ab\\n' must be 2-41 characters"),
        ("byo", {"--id": "Ab"}, "id 'Ab' must be 2-41 characters"),
        ("byo", {"--title": "标题\n第二行"}, "--title .* must be one line of text"),
        ("byo", {"--outlet": "报\x07"}, "--outlet .* must be one line of text"),
    ],
)
def test_bad_adds_leave_the_corpus_unchanged(
    project: ProjectPaths,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    setup: str,
    args: dict[str, str],
    message: str,
) -> None:
    source = {"same": project.raw / "articles" / "jx-shaya-2023.txt", "byo": ARTICLE}.get(setup)
    if setup == "empty":
        source = tmp_path / "empty.txt"
        source.write_bytes(b"")
    elif setup == "latin":
        source = tmp_path / "latin.txt"
        source.write_bytes("Café Zürich — ½ price, naïve façade. ".encode("cp1252") * 20)
    before = _snapshot(project)
    assert main(_add_args(project, source, **args)) == 1
    err = capsys.readouterr().err
    assert err.startswith("aidstats: error: ") and len(err.strip().splitlines()) == 1
    import re

    assert re.search(message, err)
    assert _snapshot(project) == before


def _article(n: int) -> bytes:
    """A short, distinct article (the tests' own text)."""
    return (
        f"援疆简讯第{n}期\n\n2023年，嘉兴援疆投入资金{n + 1}亿元，帮扶{n * 10 + 3}户。\n"
    ).encode()


def _catalogued(project: ProjectPaths) -> dict[str, str]:
    doc = yaml.safe_load(project.catalog.read_text(encoding="utf-8"))
    return {a["id"]: a["file"] for a in doc["articles"]}


# `aidstats add` in a process that has imported everything, then waits for a start file:
# all adds then read, extend and write the catalog at the same moment.
RACER = """
import sys, time
from pathlib import Path
import aidstats.intake
from aidstats.cli import main
go = Path(sys.argv[1])
Path(sys.argv[2]).touch()
while not go.exists():
    time.sleep(0.005)
sys.exit(main(sys.argv[3:]))
"""


@pytest.mark.slow
def test_concurrent_adds_all_land(project: ProjectPaths, tmp_path: Path) -> None:
    go = tmp_path / "go"
    procs = []
    for n in range(8):
        source = tmp_path / f"brief-{n}.txt"
        source.write_bytes(_article(n))
        args = ["--root", str(project.root), "add", str(source), "--title", f"简讯{n}"]
        args += ["--published", "2023-06"]
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", RACER, str(go), str(tmp_path / f"ready-{n}"), *args],
                env={**os.environ, "PYTHONPATH": SRC},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("ready-*"))) < 8 and time.monotonic() < deadline:
        time.sleep(0.05)
    go.touch()
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    catalogued = _catalogued(project)
    assert {f"brief-{n}" for n in range(8)} <= set(catalogued)
    on_disk = {p.name for p in (project.raw / "articles").iterdir()}
    assert on_disk == {Path(f).name for f in catalogued.values()}  # no orphans
    assert len(catalog_entries(project)) == 10  # and the catalog is still valid


def test_retry_after_an_interrupted_add_takes_over_the_copy(
    project: ProjectPaths, tmp_path: Path
) -> None:
    source = tmp_path / "brief.txt"
    source.write_bytes(_article(1))
    orphan = project.raw / "articles" / "brief.txt"
    orphan.write_bytes(_article(1))  # copied, then killed before the catalog was written
    (project.raw / ".catalog.yaml.aidstats-tmp-1-ab").write_text("half", encoding="utf-8")
    args = ["--root", str(project.root), "add", str(source), "--title", "简讯"]
    assert main([*args, "--published", "2023"]) == 0
    assert _catalogued(project)["brief"] == "articles/brief.txt"
    assert not list(project.raw.glob(".*aidstats-tmp*"))


def test_a_different_orphan_is_refused(
    project: ProjectPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "brief.txt"
    source.write_bytes(_article(1))
    (project.raw / "articles" / "brief.txt").write_bytes(_article(2))
    before = _snapshot(project)
    args = ["--root", str(project.root), "add", str(source), "--title", "简讯"]
    assert main([*args, "--published", "2023"]) == 1
    assert "is not in the catalog" in capsys.readouterr().err
    assert _snapshot(project) == before


@pytest.mark.parametrize("layout", ["crlf", "indent4", "bom"])
def test_add_keeps_the_catalog_layout(project: ProjectPaths, tmp_path: Path, layout: str) -> None:
    text = project.catalog.read_text(encoding="utf-8")
    if layout == "indent4":  # list items at 4 spaces, their keys at 6
        text = re.sub(r"(?m)^(?=  )", "  ", text)
    data = text.encode("utf-8")
    if layout == "crlf":
        data = data.replace(b"\n", b"\r\n")
    if layout == "bom":
        data = b"\xef\xbb\xbf" + data
    project.catalog.write_bytes(data)
    source = tmp_path / "brief.txt"
    source.write_bytes(_article(1))
    args = ["--root", str(project.root), "add", str(source), "--title", "简讯: 第1期"]
    assert main([*args, "--published", "2023-06"]) == 0
    after = project.catalog.read_bytes()
    assert after.startswith(data)  # nothing before the new entry changed
    added = after[len(data) :].decode("utf-8")
    if layout == "crlf":
        assert added.count("\r\n") == added.count("\n") == 13
    if layout == "indent4":
        assert added.startswith("    - id: brief\n      file: ")
    assert [a.id for a in compute_tables(project).articles][-1] == "brief"


def test_a_flow_style_catalog_is_refused(
    project: ProjectPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = yaml.safe_load(project.catalog.read_text(encoding="utf-8"))
    project.catalog.write_text(yaml.safe_dump(doc, default_flow_style=True), encoding="utf-8")
    before = _snapshot(project)
    source = tmp_path / "brief.txt"
    source.write_bytes(_article(1))
    args = ["--root", str(project.root), "add", str(source), "--title", "简讯"]
    assert main([*args, "--published", "2023"]) == 1
    assert "add the entry by hand" in capsys.readouterr().err
    assert _snapshot(project) == before
