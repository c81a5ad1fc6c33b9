"""Incremental and parallel builds: what the per-article cache redoes, counted (not timed),
and parallel results identical to serial ones."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pandas as pd
import pytest

from aidstats.build import Tables, compute_tables
from aidstats.cache import LABEL_ROOTS, TEXT_ROOTS, _import_statements, module_closure
from aidstats.ingest import ingest
from aidstats.paths import ProjectPaths
from aidstats.runners import RunOptions
from support import ROOT

AUTO = ROOT / "tests" / "data" / "auto"
SERIAL = RunOptions(jobs=1)


def _ingest_test_articles(project: ProjectPaths, names: list[str], tmp_path: Path) -> None:
    """Ingest articles of tests/data/auto (their catalog gives title and date)."""
    import yaml

    catalog = yaml.safe_load((AUTO / "catalog.yaml").read_text(encoding="utf-8"))["articles"]
    rows = [
        {
            "id": e["id"],
            "title": e["title"],
            "published": str(e["published"]),
            "text": (AUTO / e["file"]).read_text(encoding="utf-8"),
            "donor": e["donor"],
            "recipient": e["recipient"],
        }
        for e in catalog
        if e["id"] in names
    ]
    source = tmp_path / f"{names[0]}.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    assert ingest(project, source).counts["added"] == len(rows)


def _runs(tables: Tables) -> tuple[int, int]:
    assert tables.work is not None
    return tables.work.text_runs, tables.work.label_runs


def _assert_same(a: Tables, b: Tables) -> None:
    assert list(a.frames) == list(b.frames)
    for name in a.frames:
        pd.testing.assert_frame_equal(a.frames[name], b.frames[name], check_exact=True, obj=name)


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> tuple[ProjectPaths, Tables]:
    """The shipped project plus three test articles no registry row curates, built once
    (serially, every article computed): the project with its cache, and the tables."""
    import shutil

    root = tmp_path_factory.mktemp("warm") / "project"
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    paths = ProjectPaths(root)
    names = ["sh-kashgar-2023", "js-kizilsu-2024", "bj-hotan-2023"]
    _ingest_test_articles(paths, names, root.parent)
    return paths, compute_tables(paths, run=SERIAL)


@pytest.fixture
def grown(warm: tuple[ProjectPaths, Tables], tmp_path: Path) -> ProjectPaths:
    """A copy of the warm project, cache included, to change."""
    import shutil

    shutil.copytree(warm[0].root, tmp_path / "grown")
    return ProjectPaths(tmp_path / "grown")


def test_a_rebuild_redoes_only_what_changed(
    warm: tuple[ProjectPaths, Tables], grown: ProjectPaths, tmp_path: Path
) -> None:
    first = warm[1]
    assert _runs(first) == (5, 5)
    assert (first.frames["figures"]["status"] == "auto").sum() > 0
    again = compute_tables(grown, run=SERIAL)
    assert _runs(again) == (0, 0)
    _assert_same(first, again)

    _ingest_test_articles(grown, ["tj-cele-2024"], tmp_path)  # one more article
    more = compute_tables(grown, run=SERIAL)
    assert _runs(more) == (1, 1)
    assert more.work is not None and more.work.text_hits == 5
    assert "tj-cele-2024" in set(more.frames["figures"]["article_id"])


def test_a_changed_dictionary_redoes_the_labels_but_not_the_mentions(grown: ProjectPaths) -> None:
    with grown.glossary.open("a", encoding="utf-8") as fh:
        fh.write("\n# a comment changes the content, so the labels are redone\n")
    after = compute_tables(grown, run=SERIAL)
    assert _runs(after) == (0, 5)
    fresh = compute_tables(grown, run=RunOptions(jobs=1, cache=False))
    _assert_same(after, fresh)


def test_a_changed_catalog_entry_redoes_that_article(grown: ProjectPaths) -> None:
    lines = grown.ingested_catalog.read_text(encoding="utf-8").splitlines(keepends=True)
    entry = json.loads(lines[0])
    entry["published"] = "2024-01-05"  # 去年/今年 resolve differently: mentions and labels
    lines[0] = json.dumps(entry, ensure_ascii=False) + "\n"
    grown.ingested_catalog.write_text("".join(lines), encoding="utf-8")
    assert _runs(compute_tables(grown, run=SERIAL)) == (1, 1)


def test_a_damaged_cache_entry_is_recomputed(
    warm: tuple[ProjectPaths, Tables], grown: ProjectPaths
) -> None:
    entries = sorted((grown.cache / "text").rglob("*.pkl"))
    assert len(entries) == 5
    assert not [p for p in grown.cache.rglob(".*") if p.is_file()]  # no temporary files left
    entries[0].write_bytes(b"not a cache entry")
    again = compute_tables(grown, run=SERIAL)
    assert _runs(again) == (1, 0)
    _assert_same(warm[1], again)


def test_parallel_equals_serial(warm: tuple[ProjectPaths, Tables]) -> None:
    paths, serial = warm
    parallel = compute_tables(paths, run=RunOptions(jobs=2, min_parallel=0, cache=False))
    assert parallel.work is not None and parallel.work.mode == "processes"
    assert serial.work is not None and serial.work.mode == "serial"
    _assert_same(serial, parallel)


def test_the_cached_build_equals_the_stage_by_stage_pipeline(
    warm: tuple[ProjectPaths, Tables],
) -> None:
    """The per-article path gives the tables the stages give when called one by one
    (auto figures labelled from scratch by link_figures)."""
    from aidstats.clean import clean_article
    from aidstats.corpus import load_corpus
    from aidstats.figures import link_figures
    from aidstats.mentions import all_mentions
    from aidstats.schemas import validate
    from aidstats.text_tables import blocks_table, paragraphs_table

    paths, tables = warm
    articles = load_corpus(paths)
    cleaned = [clean_article(a) for a in articles]
    mentions = all_mentions(articles, cleaned)
    linked = link_figures(paths, articles, cleaned, mentions)
    direct = {
        "paragraphs": paragraphs_table(cleaned),
        "blocks": blocks_table(cleaned),
        "mentions": mentions,
        "figures": linked.figures,
        "coverage": linked.coverage,
    }
    for name, df in direct.items():
        pd.testing.assert_frame_equal(tables.frames[name], validate(name, df), check_exact=True)


def test_each_stage_key_follows_only_the_code_it_runs() -> None:
    text, labels = module_closure(TEXT_ROOTS), module_closure(LABEL_ROOTS)
    assert {"aidstats.extract", "aidstats.clean", "aidstats.mentions"} <= set(text)
    assert not [m for m in text if m.startswith("aidstats.auto")]  # a labeller edit keeps mentions
    assert {"aidstats.auto.label", "aidstats.auto.period", "aidstats.gazetteer"} <= set(labels)
    for name in ("aidstats.charts", "aidstats.excel", "aidstats.analysis", "aidstats.build"):
        assert name not in text and name not in labels


def _names(nodes: list[ast.stmt] | list[ast.AST]) -> set[tuple[str, ...]]:
    """The aidstats imports among ``nodes``, as (module, names...)."""
    out = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            out |= {(a.name,) for a in node.names if a.name.startswith("aidstats")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("aidstats"):
            out.add((str(node.module), *sorted(a.name for a in node.names)))
    return out


@pytest.mark.parametrize(
    "module", sorted(p for p in (ROOT / "src" / "aidstats").rglob("*.py")), ids=lambda p: p.stem
)
def test_the_import_lines_are_every_aidstats_import(module: Path) -> None:
    """The key's import closure reads only import lines; a full parse of each module
    (every node, at any depth) finds the same aidstats imports."""
    source = module.read_bytes()
    assert _names(_import_statements(source)) == _names(list(ast.walk(ast.parse(source))))


def test_an_interrupted_build_resumes_from_what_it_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C after some articles: their results are in the cache, and the next build
    computes only the others."""
    import shutil

    import aidstats.perarticle

    project = ProjectPaths(tmp_path / "project")
    shutil.copytree(ROOT / "data" / "raw", project.raw)
    names = ["sh-kashgar-2023", "js-kizilsu-2024", "gd-bingtuan3-2022", "bj-hotan-2023"]
    _ingest_test_articles(project, [*names, "tj-cele-2024", "sd-shule-2022"], tmp_path)
    real, calls = aidstats.perarticle.run_article, []

    def interrupted(task, know):  # type: ignore[no-untyped-def]
        calls.append(task.index)
        if len(calls) == 5:
            raise KeyboardInterrupt
        return real(task, know)

    monkeypatch.setattr(aidstats.perarticle, "run_article", interrupted)
    with pytest.raises(KeyboardInterrupt):
        compute_tables(project, run=SERIAL)
    monkeypatch.setattr(aidstats.perarticle, "run_article", real)
    # serial batches of 2 (8 articles, a quarter each): two whole batches were stored
    resumed = compute_tables(project, run=SERIAL)
    assert _runs(resumed) == (4, 4)
    _assert_same(resumed, compute_tables(project, run=RunOptions(jobs=1, cache=False)))
