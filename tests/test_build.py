"""`aidstats build`: atomic, idempotent, and clear about bad input."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from aidstats.api import load_table, spending_shares
from aidstats.build import build
from aidstats.cli import main
from aidstats.errors import AidstatsError
from aidstats.paths import ProjectPaths
from support import ROOT


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_builds_are_byte_identical(project: ProjectPaths) -> None:
    build(project)
    first = _digests(project.processed)
    build(project)
    assert _digests(project.processed) == first
    names = {
        project.table(t, x).name for t in ("paragraphs", "mentions") for x in ("csv", "parquet")
    }
    assert names <= set(first)


def test_paragraphs_csv_quotes_the_raw_file(project: ProjectPaths) -> None:
    build(project)
    df = pd.read_csv(project.table("paragraphs", "csv"))
    assert list(df.columns[:8]) == [
        "article_id",
        "paragraph",
        "block",
        "blocks",
        "kind",
        "text",
        "raw_start",
        "raw_end",
    ]
    for row in df.itertuples():
        raw = (project.raw / "articles" / f"{row.article_id}.txt").read_text(encoding="utf-8")
        span = raw[row.raw_start : row.raw_end]
        if ";" not in str(row.blocks):
            assert span == row.text
        else:  # joined across a page break: the raw span holds the blank lines too
            assert "".join(span.split()) == "".join(row.text.split())


def test_failed_build_leaves_previous_outputs_intact(project: ProjectPaths) -> None:
    build(project)
    before = _digests(project.processed)
    article = project.raw / "articles" / "jx-shaya-2023.txt"
    article.write_bytes(article.read_bytes() + b"\n")
    assert main(["--root", str(project.root), "build"]) == 1
    assert _digests(project.processed) == before
    leftovers = [p.name for p in project.processed.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_cli_error_is_one_line_without_traceback(project: ProjectPaths) -> None:
    (project.raw / "articles" / "zj-aksu-2022.txt").unlink()
    proc = subprocess.run(
        [sys.executable, "-m", "aidstats.cli", "--root", str(project.root), "build"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aidstats: error: ")
    assert "zj-aksu-2022" in lines[0] and "Traceback" not in proc.stderr
    assert not any(project.processed.iterdir())


def test_console_script_prints_everything_before_its_fast_exit(project: ProjectPaths) -> None:
    """``aidstats build`` ends with os._exit (cli.console): every line reaches a pipe, the
    status is the command's, and the outputs are complete."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "aidstats.cli",
            "--root",
            str(project.root),
            "build",
            "--tables-only",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("aidstats build: wrote ") and lines[-1].startswith("done in ")
    assert json.loads(project.datapackage.read_text(encoding="utf-8"))["resources"]
    assert not list(project.processed.glob(".*stage*"))


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for command in ("build", "extract"):
        assert command in out


def test_datapackage_describes_every_csv(project: ProjectPaths) -> None:
    import json

    build(project)
    package = json.loads((project.processed / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    csvs = sorted(p.name for p in project.processed.glob("*.csv"))
    assert sorted(r["path"] for r in resources.values()) == csvs
    for res in resources.values():
        df = pd.read_csv(project.processed / res["path"], keep_default_na=False)
        fields = [f["name"] for f in res["schema"]["fields"]]
        assert list(df.columns) == fields
        assert all(f["description"] and f["description_zh"] for f in res["schema"]["fields"])
        key = res["schema"].get("primaryKey")
        if key:
            assert not df.duplicated(key).any(), res["name"]
        for fk in res["schema"].get("foreignKeys", []):
            target = resources[fk["reference"]["resource"]]
            ref = pd.read_csv(project.processed / target["path"], keep_default_na=False)
            assert set(df[fk["fields"]]) <= set(ref[fk["reference"]["fields"]])
    assert {s["sha256"] for s in package["sources"]} == {
        hashlib.sha256(p.read_bytes()).hexdigest() for p in (project.raw / "articles").iterdir()
    }


def test_api_never_builds_unasked(project: ProjectPaths) -> None:
    """A missing table is a one-line error that says what to run; rebuild=True builds."""
    with pytest.raises(AidstatsError) as exc:
        load_table("figures", root=project.root)
    message = str(exc.value)
    assert "\n" not in message and "missing; run `aidstats build`" in message
    assert not any(project.processed.iterdir())  # nothing was built behind the user's back
    shares = spending_shares(root=project.root, rebuild=True)
    assert project.table("spending_shares").exists() and len(shares) > 0
    assert len(load_table("figures", root=project.root)) > 0  # now it is there
    with pytest.raises(AidstatsError, match="no processed table 'figure'"):
        load_table("figure", root=project.root)


# Modules outside this branch's area that still name a processed file (cli.py, build.py's
# write step, outputs.py: the hardening branch; datapackage.py's resource paths). Remove
# each once it asks paths.py (paths.table(name, suffix)).
# ingest_sources.py names the formats of the files a user ingests, not processed files;
# speedups.py the manifest of the compiled extractor (aidstats/_compiled/manifest.json)
KNOWN_NAMERS = {"ingest_sources.py", "speedups.py"}


def test_only_paths_names_processed_files() -> None:
    """Every processed file is named in paths.py (paths.table(name)); no other module
    writes "figures.parquet" or processed / "…" (examples in docstrings aside)."""
    naming = re.compile(r"processed\s*/\s*f?[\"']|[\"'][\w{}-]*\.(?:csv|parquet|xlsx|json)[\"']")
    source = ROOT / "src" / "aidstats"
    offenders = {
        path.name
        for path in source.rglob("*.py")
        if path.name != "paths.py"
        for line in path.read_text(encoding="utf-8").splitlines()
        if naming.search(line) and not line.lstrip().startswith((">>>", "..."))
    }
    assert offenders <= KNOWN_NAMERS, sorted(offenders - KNOWN_NAMERS)
    assert "api.py" not in offenders


def test_the_shipped_corpus_builds_strict(project: ProjectPaths) -> None:
    """CI's rule for the shipped articles: every mention curated or excluded, no auto figure."""
    from aidstats.build import compute_tables

    figures = compute_tables(project, strict=True).frames["figures"]
    assert len(figures) == 78 and (figures["status"] == "curated").all()
    assert figures["figure_id"].is_unique  # a curated row replaces the auto one of its mention
