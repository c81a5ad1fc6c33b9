"""Notebooks: kept without outputs, in sync with their percent scripts, free of hard-coded
articles and paths; each one executed (nbclient) to the end with its charts; reports
rendered as self-contained HTML."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import jupytext
import nbformat
import pytest

from aidstats.build import build
from aidstats.paths import ProjectPaths
from aidstats.reports import PLOTLY_MIME, execute_notebook, export_html, render_reports
from aidstats.yamlio import load_yaml
from support import RAW, ROOT

FOLDER = ROOT / "notebooks"
NOTEBOOKS = sorted(FOLDER.glob("*.ipynb"))
IDS = [n.stem for n in NOTEBOOKS]


def chart_cells(nb: nbformat.NotebookNode) -> list[int]:
    return [i for i, c in enumerate(nb.cells) if "chart" in c.metadata.get("tags", [])]


# ---------------------------------------------------------------- as committed


def test_the_four_notebooks_are_there() -> None:
    stems = " ".join(IDS)
    for topic in ("overview", "spending_shares", "sales_growth", "beneficiaries"):
        assert topic in stems, f"no notebook about {topic} in {FOLDER}"


def test_jupytext_pairing_is_configured() -> None:
    config = tomllib.loads((FOLDER / "jupytext.toml").read_text(encoding="utf-8"))
    assert config["formats"] == "ipynb,py:percent"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_committed_without_outputs(notebook: Path) -> None:
    nb = nbformat.read(notebook, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{notebook.name} cell {i} has outputs"
            assert cell.execution_count is None, f"{notebook.name} cell {i} has a count"
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert "widgets" not in nb.metadata


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_pair_in_sync(notebook: Path) -> None:
    script = notebook.with_suffix(".py")
    assert script.exists(), f"{script.name} is missing: run `jupytext --sync {notebook.name}`"
    text = jupytext.read(script)
    nb = nbformat.read(notebook, as_version=4)

    def cells(n: nbformat.NotebookNode) -> list[tuple[str, str, list[str]]]:
        return [(c.cell_type, c.source, c.metadata.get("tags", [])) for c in n.cells]

    assert cells(text) == cells(nb), (
        f"{notebook.name} and {script.name} differ: run `jupytext --sync {script.name}`"
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_no_hard_coded_articles_or_paths(notebook: Path) -> None:
    catalog = load_yaml(RAW / "catalog.yaml", what="catalog")
    ids = [a["id"] for a in catalog["articles"]]
    nb = nbformat.read(notebook, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for article_id in ids:
        assert article_id not in code, f"{notebook.name} names article {article_id}"
    assert not re.search(r"[\"'](/|[A-Za-z]:\\\\)|data/(raw|processed)", code), (
        f"{notebook.name} has a hard-coded path: take paths from aidstats.paths"
    )
    assert chart_cells(nb), f"{notebook.name} has no cell tagged 'chart'"


# ---------------------------------------------------------------- executed


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> ProjectPaths:
    """A built copy of the project with its notebooks (the real one stays untouched)."""
    root = tmp_path_factory.mktemp("notebooks") / "project"
    shutil.copytree(RAW, root / "data" / "raw")
    shutil.copytree(FOLDER, root / "notebooks")
    (root / "data" / "processed").mkdir()
    paths = ProjectPaths(root)
    build(paths)
    return paths


@pytest.fixture(scope="module")
def executed(project: ProjectPaths) -> dict[str, nbformat.NotebookNode]:
    return {n.stem: execute_notebook(project.notebooks / n.name, project) for n in NOTEBOOKS}


@pytest.mark.slow
@pytest.mark.parametrize("stem", IDS)
def test_notebook_executes_with_every_chart(
    executed: dict[str, nbformat.NotebookNode], stem: str
) -> None:
    nb = executed[stem]
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, f"cell {i} did not run"
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"cell {i}: {errors[0].ename}: {errors[0].evalue}"
        streams = [o.text for o in cell.outputs if o.output_type == "stream"]
        assert not any("Warning" in s for s in streams), f"cell {i} warns: {streams}"
    for i in chart_cells(nb):
        outputs = nb.cells[i].outputs
        plots = [o for o in outputs if PLOTLY_MIME in o.get("data", {})]
        assert plots, f"chart cell {i} drew no chart"
        # plotly_mimetype+notebook: JupyterLab's JSON and an HTML copy for the report
        assert all("text/html" in o["data"] for o in plots)
        for o in plots:
            assert o["data"][PLOTLY_MIME]["data"], f"chart cell {i} drew an empty chart"


@pytest.mark.slow
def test_overview_draws_one_explorer_per_article(
    executed: dict[str, nbformat.NotebookNode], project: ProjectPaths
) -> None:
    import pandas as pd

    articles = pd.read_parquet(project.processed / "articles.parquet")
    nb = executed[next(s for s in IDS if "overview" in s)]
    plots = [
        o for i in chart_cells(nb) for o in nb.cells[i].outputs if PLOTLY_MIME in o.get("data", {})
    ]
    assert len(plots) == len(articles)


@pytest.mark.slow
def test_exported_html_is_self_contained(executed: dict[str, nbformat.NotebookNode]) -> None:
    stem = next(s for s in IDS if "sales" in s)
    html = export_html(executed[stem], title=stem)
    assert "Plotly.newPlot" in html and len(html) > 3_000_000  # plotly.js embedded
    assert not re.search(r"<script[^>]*\ssrc=\"https?:", html)  # nothing from a CDN
    assert "require.min.js" not in html and "mathjax@" not in html.lower()
    assert f"<title>{stem}</title>" in html


@pytest.mark.slow
def test_render_reports_writes_atomically(project: ProjectPaths) -> None:
    stem = next(s for s in IDS if "beneficiaries" in s)
    written = render_reports(project, notebooks=[project.notebooks / f"{stem}.ipynb"])
    assert written == [project.reports / f"{stem}.html"]
    assert written[0].stat().st_size > 3_000_000
    assert [p.name for p in project.reports.iterdir()] == [f"{stem}.html"]  # no temp files
    assert written[0].stat().st_mode & 0o044 == 0o044  # readable like the other outputs


def test_a_failing_notebook_names_itself(tmp_path: Path) -> None:
    from aidstats.errors import AidstatsError

    root = tmp_path / "project"
    shutil.copytree(RAW, root / "data" / "raw")
    (root / "notebooks").mkdir(parents=True)
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("1 / 0")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    nbformat.write(nb, root / "notebooks" / "broken.ipynb")
    with pytest.raises(AidstatsError, match=r"broken\.ipynb: cell 1 failed: ZeroDivisionError"):
        render_reports(ProjectPaths(root), tmp_path / "out")
    assert not (tmp_path / "out" / "broken.html").exists()
