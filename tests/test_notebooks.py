"""Notebooks: tracked as jupytext scripts only (a save in JupyterLab leaves git clean),
free of hard-coded articles and paths; each one executed (nbclient) to the end with its
charts; reports rendered as HTML that shares one plotly.js and works offline."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import jupytext
import nbformat
import pytest

from aidstats.build import build
from aidstats.paths import ProjectPaths
from aidstats.reports import (
    PLOTLY_MIME,
    execute_notebook,
    export_html,
    notebook_files,
    render_reports,
)
from aidstats.yamlio import load_yaml
from support import RAW, ROOT

FOLDER = ROOT / "notebooks"
NOTEBOOKS = sorted(FOLDER.glob("*.py"))
IDS = [n.stem for n in NOTEBOOKS]


def chart_cells(nb: nbformat.NotebookNode) -> list[int]:
    return [i for i, c in enumerate(nb.cells) if "chart" in c.metadata.get("tags", [])]


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


# ---------------------------------------------------------------- as committed


def test_the_notebooks_are_there() -> None:
    stems = " ".join(IDS)
    for topic in ("overview", "spending_shares", "sales_growth", "beneficiaries", "corpus"):
        assert topic in stems, f"no notebook about {topic} in {FOLDER}"


def test_jupytext_pairing_is_configured() -> None:
    config = tomllib.loads((FOLDER / "jupytext.toml").read_text(encoding="utf-8"))
    assert config["formats"] == "ipynb,py:percent"


def test_only_the_scripts_are_tracked() -> None:
    tracked = git(ROOT, "ls-files", "notebooks").split()
    assert sorted(t for t in tracked if t.endswith(".py")) == [
        f"notebooks/{n.name}" for n in NOTEBOOKS
    ]
    assert not [t for t in tracked if t.endswith(".ipynb")], tracked
    # the .ipynb JupyterLab writes beside a script is ignored
    assert git(ROOT, "check-ignore", "--no-index", "notebooks/01_x.ipynb").strip()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_script_is_what_a_save_writes(notebook: Path) -> None:
    """Reading a script as a notebook and writing it back (what JupyterLab's jupytext
    pairing does on save) gives the same bytes: a save never dirties the script."""
    text = notebook.read_text(encoding="utf-8")
    nb = jupytext.reads(text, fmt="py:percent")
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert jupytext.writes(nb, fmt="py:percent") == text


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_no_hard_coded_articles_or_paths(notebook: Path) -> None:
    catalog = load_yaml(RAW / "catalog.yaml", what="catalog")
    ids = [a["id"] for a in catalog["articles"]]
    nb = jupytext.read(notebook)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for article_id in ids:
        assert article_id not in code, f"{notebook.name} names article {article_id}"
    assert not re.search(r"[\"'](/|[A-Za-z]:\\\\)|data/(raw|processed)", code), (
        f"{notebook.name} has a hard-coded path: take paths from aidstats.paths"
    )
    assert chart_cells(nb), f"{notebook.name} has no cell tagged 'chart'"


def _tracked_copy(tmp_path: Path) -> Path:
    """A git repository holding what the project tracks in notebooks/, and its .gitignore."""
    repo = tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    shutil.copy2(ROOT / ".gitignore", repo / ".gitignore")
    for name in git(ROOT, "ls-files", "notebooks").split():
        shutil.copy2(ROOT / name, repo / name)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "notebooks")
    return repo


def save_as_jupyterlab(repo: Path, path: str, nb: nbformat.NotebookNode) -> None:
    """Save ``nb`` at ``path`` through the contents manager JupyterLab's server uses
    when jupytext is installed (its pairing writes the script and the .ipynb)."""
    from jupyter_server.services.contents.largefilemanager import LargeFileManager
    from jupytext.sync_contentsmanager import build_sync_jupytext_contents_manager_class

    manager = build_sync_jupytext_contents_manager_class(LargeFileManager)(root_dir=str(repo))
    manager.save({"type": "notebook", "format": "json", "content": nb}, path)


def _ran(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` as a kernel leaves it: counts, outputs, language_info."""
    out = nbformat.from_dict(nb)
    for i, cell in enumerate(out.cells):
        if cell.cell_type == "code":
            cell.execution_count = i + 1
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"{i}\n")]
    out.metadata["language_info"] = {"name": "python", "version": "3.11.2"}
    return out


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=IDS)
def test_open_run_save_leaves_git_clean(notebook: Path, tmp_path: Path) -> None:
    from jupyter_server.services.contents.largefilemanager import LargeFileManager
    from jupytext.sync_contentsmanager import build_sync_jupytext_contents_manager_class

    repo = _tracked_copy(tmp_path)
    path = f"notebooks/{notebook.name}"
    manager = build_sync_jupytext_contents_manager_class(LargeFileManager)(root_dir=str(repo))
    opened = nbformat.from_dict(manager.get(path)["content"])  # JupyterLab opens the script
    save_as_jupyterlab(repo, path, _ran(opened))
    # the outputs were saved, in the paired .ipynb, which git ignores
    saved = nbformat.read(repo / path.replace(".py", ".ipynb"), as_version=4)
    assert any(c.get("outputs") for c in saved.cells)
    assert git(repo, "status", "--porcelain") == ""


def test_reports_read_the_scripts() -> None:
    found = notebook_files(ProjectPaths(ROOT))
    assert [p.name for p in found] == [n.name for n in NOTEBOOKS]


# ---------------------------------------------------------------- executed


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> ProjectPaths:
    """A built copy of the project with its notebooks (the real one stays untouched)."""
    root = tmp_path_factory.mktemp("notebooks") / "project"
    shutil.copytree(RAW, root / "data" / "raw")
    local = shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints", "__pycache__")
    shutil.copytree(FOLDER, root / "notebooks", ignore=local)
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
        for o in plots:
            assert o["data"][PLOTLY_MIME]["data"], f"chart cell {i} drew an empty chart"
            # JupyterLab's JSON only: no copy of plotly.js in the notebook's outputs
            assert "text/html" not in o["data"]


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
def test_exported_html_loads_plotlyjs_from_its_folder(
    executed: dict[str, nbformat.NotebookNode],
) -> None:
    stem = next(s for s in IDS if "sales" in s)
    nb = executed[stem]
    html = export_html(nb, title=stem)
    charts = sum(
        PLOTLY_MIME in o.get("data", {}) for i in chart_cells(nb) for o in nb.cells[i].outputs
    )
    assert html.count("Plotly.newPlot(") == charts > 0
    assert re.findall(r"<script[^>]*\ssrc=\"([^\"]*)\"", html) == ["plotly.min.js"]
    assert len(html) < 1_000_000  # plotly.js is not embedded
    assert "require.min.js" not in html and "mathjax@" not in html.lower()
    assert f"<title>{stem}</title>" in html
    assert export_html(nb, title=stem) == html  # the same notebook, the same page


@pytest.mark.slow
def test_render_reports_writes_atomically_with_one_plotlyjs(project: ProjectPaths) -> None:
    from plotly.offline import get_plotlyjs

    stems = [s for s in IDS if "beneficiaries" in s or "sales" in s]
    written = render_reports(project, notebooks=[project.notebooks / f"{s}.py" for s in stems])
    assert written == [project.reports / f"{s}.html" for s in stems]
    listing = sorted(p.name for p in project.reports.iterdir())
    assert listing == sorted([*(f"{s}.html" for s in stems), "plotly.min.js"])  # no temp files
    assert (project.reports / "plotly.min.js").read_text(encoding="utf-8") == get_plotlyjs()
    for path in written:
        assert path.stat().st_size < 1_000_000
        assert path.stat().st_mode & 0o044 == 0o044  # readable like the other outputs


@pytest.mark.slow
def test_executed_notebook_saved_in_jupyterlab_leaves_git_clean(
    executed: dict[str, nbformat.NotebookNode], tmp_path: Path
) -> None:
    stem = IDS[0]
    repo = _tracked_copy(tmp_path)
    save_as_jupyterlab(repo, f"notebooks/{stem}.py", executed[stem])
    assert (repo / "notebooks" / f"{stem}.ipynb").stat().st_size > 10_000  # outputs kept
    assert git(repo, "status", "--porcelain") == ""


def _tiny_notebook(folder: Path, name: str, cells: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(c) for c in cells],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    nbformat.write(nb, folder / name)
    return folder / name


def test_a_failing_notebook_names_itself(tmp_path: Path) -> None:
    from aidstats.errors import AidstatsError

    root = tmp_path / "project"
    shutil.copytree(RAW, root / "data" / "raw")
    _tiny_notebook(root / "notebooks", "broken.ipynb", ["x = 1", "1 / 0"])
    with pytest.raises(AidstatsError, match=r"broken\.ipynb: cell 1 failed: ZeroDivisionError"):
        render_reports(ProjectPaths(root), tmp_path / "out")
    assert not (tmp_path / "out" / "broken.html").exists()


def test_the_kernel_does_not_warn_about_tcp(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """`aidstats report` used to print the kernel's "running over TCP without
    encryption" warning once per notebook."""
    notebook = _tiny_notebook(tmp_path / "notebooks", "tiny.ipynb", ["print(6 * 7)"])
    nb = execute_notebook(notebook, ProjectPaths(tmp_path))
    assert nb.cells[0].outputs[0]["text"] == "42\n"
    captured = capfd.readouterr()
    assert "without encryption" not in captured.err + captured.out
