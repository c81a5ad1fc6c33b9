"""Real-browser tests: each notebook run in JupyterLab in headless Chromium until its charts
are drawn and measured against their cells in the default layout at 1280×800 (file
browser open), and an HTML report and a chart file opened with the network disabled and
measured at common widths.

Screenshots go to ``test-artifacts/browser/`` (gitignored) to be looked at. Without
Chromium or Playwright these tests skip (and fail in CI, where .ci/run installs them).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jupytext
import pytest

from aidstats.build import build
from aidstats.paths import ProjectPaths
from support import RAW, ROOT, skip_or_fail

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
# the notebooks are tracked as jupytext scripts; JupyterLab opens them as notebooks
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.py"))
# a chart is drawn when plotly has written its x tick labels (.xtick, .x3tick, …)
TICKS = ".main-svg .xaxislayer-above text"
DRAWN = f".jp-RenderedPlotly {TICKS}"
# user settings for the test's JupyterLab: every cell attached to the page, no news pop-up,
# and a click on a .py notebook opens it as a notebook (what the README's one-time
# `jupytext-config set-default-viewer python` writes)
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {
        "defaultViewers": {"python": "Jupytext Notebook"}
    },
}
#: The default JupyterLab window the charts must fit (the file browser open).
LAB_VIEWPORT = {"width": 1280, "height": 800}
#: What is wrong with a drawn chart: drawn wider than its cell, text cut off at the
#: chart's edge, or text or marks under a legend. Takes the chart's element.
FIT_PROBLEMS = """(el) => {
  const cell = (el.closest('.jp-OutputArea-output') || el.parentElement).getBoundingClientRect();
  const svg = el.querySelector('.main-svg').getBoundingClientRect();
  const out = [];
  if (svg.left < cell.left - 1 || svg.right > cell.right + 1)
    out.push(`chart ${svg.left}–${svg.right} outside its cell ${cell.left}–${cell.right}`);
  const texts = [...el.querySelectorAll('.main-svg text')].filter(t => t.getBBox().width > 0);
  for (const t of texts) {
    const r = t.getBoundingClientRect();
    if (r.left < svg.left - 1 || r.right > svg.right + 1)
      out.push(`cut off: ${t.textContent.slice(0, 40)}`);
  }
  const legends = [...el.querySelectorAll('g')].filter(
    g => /^legend\\d*$/.test(g.getAttribute('class') || ''));
  const marks = [...el.querySelectorAll('.main-svg .point, .main-svg .bars path')];
  for (const g of legends) {
    const l = g.querySelector('.bg') ? g.querySelector('.bg').getBoundingClientRect()
                                     : g.getBoundingClientRect();
    for (const t of [...texts, ...marks]) {
      if (g.contains(t)) continue;
      const r = t.getBoundingClientRect();
      if (r.width && r.right > l.left + 1 && r.left < l.right - 1 && r.bottom > l.top + 1
          && r.top < l.bottom - 1)
        out.push(`under a legend: ${(t.textContent || 'a mark').slice(0, 40)}`);
    }
  }
  return out;
}"""


def chromium() -> str:
    """Chromium's path, or skip (fail in CI) when it or Playwright is missing."""
    path = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if path is None:
        skip_or_fail("Chromium not found (Debian package chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        skip_or_fail("Playwright for Python is not installed (pip install playwright)")
    return str(path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def chart_cells(notebook: Path) -> list[int]:
    """Indices of the cells tagged ``chart`` (each must draw at least one chart)."""
    nb = jupytext.read(notebook)
    return [i for i, c in enumerate(nb.cells) if "chart" in c.metadata.get("tags", [])]


@pytest.fixture(scope="module")
def browser_path() -> str:
    return chromium()


@pytest.fixture(scope="module")
def lab_project(tmp_path_factory: pytest.TempPathFactory, browser_path: str) -> ProjectPaths:
    """A built copy of the project, notebooks included (the real one stays untouched)."""
    root = tmp_path_factory.mktemp("lab") / "project"
    shutil.copytree(RAW, root / "data" / "raw")
    local = shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints", "__pycache__")
    shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=local)
    (root / "data" / "processed").mkdir()
    paths = ProjectPaths(root)
    build(paths)
    return paths


@pytest.fixture(scope="module")
def lab(lab_project: ProjectPaths, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """JupyterLab on loopback with a token, serving the project copy; yields its base URL."""
    home = tmp_path_factory.mktemp("lab-home")
    settings = home / "settings"
    for name, value in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value), encoding="utf-8")
    token = secrets.token_hex(16)
    port = free_port()
    env = {
        **os.environ,
        "AIDSTATS_ROOT": str(lab_project.root),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }
    env.pop("PLOTLY_RENDERER", None)  # JupyterLab renders the plotly mimetype itself
    log = (home / "lab.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={lab_project.root}",
            "--LabApp.expose_app_in_browser=True",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.close()
                    pytest.fail(f"JupyterLab did not start: {(home / 'lab.log').read_text()}")
                time.sleep(0.3)
        yield f"{base}/lab/tree/notebooks/{{name}}?reset&token={token}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def browser(browser_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_notebook_runs_in_jupyterlab(lab: str, browser: Any, notebook: Path) -> None:
    out = ARTIFACTS / notebook.stem
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    page = browser.new_page(viewport=LAB_VIEWPORT)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(lab.format(name=notebook.name))
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=60_000)
        page.wait_for_function(
            "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
            " && window.jupyterapp.shell.currentWidget.sessionContext"
            " && window.jupyterapp.shell.currentWidget.sessionContext.session"
            " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel",
            timeout=60_000,
        )
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        cells = chart_cells(notebook)
        assert cells, f"{notebook.name} has no cell tagged 'chart'"
        # every code cell ran: an execution count in each prompt, no [*] left
        page.wait_for_function(
            """() => {
              const prompts = [...document.querySelectorAll(
                '.jp-CodeCell .jp-InputArea-prompt')];
              return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
            }""",
            timeout=120_000,
        )
        failures = page.locator(".jp-OutputArea-output[data-mime-type*='error']")
        assert failures.count() == 0, failures.first.inner_text()
        # each chart cell holds a drawn chart
        all_cells = page.locator(".jp-Notebook .jp-Cell")
        for i in cells:
            cell = all_cells.nth(i)
            cell.locator(".jp-RenderedPlotly").first.wait_for(timeout=30_000)
            cell.locator(DRAWN).first.wait_for(timeout=30_000)
        charts = page.locator(".jp-RenderedPlotly")
        n = charts.count()
        assert n >= len(cells)
        page.wait_for_function(
            f"() => [...document.querySelectorAll('.jp-RenderedPlotly')]"
            f".filter(e => e.querySelector('{TICKS}')).length >= {n}",
            timeout=30_000,
        )
        charts.first.scroll_into_view_if_needed()
        page.screenshot(path=str(out / "notebook.png"))
        # every chart fits its cell in the default layout at 1280×800, nothing cut off
        assert page.locator(".jp-FileBrowser").first.is_visible()  # the file browser is open
        problems = {k: charts.nth(k).evaluate(FIT_PROBLEMS) for k in range(n)}
        assert not any(problems.values()), problems
        for k in range(n):
            chart = charts.nth(k)
            # a window tall enough for the whole chart, so Lab's toolbars do not cover it
            box = chart.bounding_box()
            assert box is not None and box["height"] > 100
            page.set_viewport_size({"width": 1280, "height": max(800, int(box["height"]) + 300)})
            chart.scroll_into_view_if_needed()
            chart.screenshot(path=str(out / f"chart-{k + 1}.png"))
        # Chinese text is laid out as text (fonts present), not as missing glyph boxes
        title = charts.first.locator(".gtitle").first.text_content() or ""
        assert any("\u4e00" <= ch <= "\u9fff" for ch in title), title
    finally:
        page.close()
    assert not errors, errors


def _offline_page(browser: Any, width: int = 1400) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(offline=True, viewport={"width": width, "height": 1000})
    remote: list[str] = []

    def block(route: Any) -> None:
        if route.request.url.startswith(("http://", "https://")):
            remote.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", block)
    return context, context.new_page(), remote


@pytest.mark.parametrize("width", [1280, 1024, 768])
def test_report_draws_its_charts_offline(
    lab_project: ProjectPaths, browser: Any, tmp_path_factory: pytest.TempPathFactory, width: int
) -> None:
    from aidstats.reports import render_reports

    notebook = next(n for n in NOTEBOOKS if "spending" in n.stem)
    folder = tmp_path_factory.getbasetemp() / "report"
    report = folder / f"{notebook.stem}.html"
    if not report.exists():
        render_reports(lab_project, folder, notebooks=[lab_project.notebooks / notebook.name])
    assert (folder / "plotly.min.js").exists()  # beside the report, loaded from there
    out = ARTIFACTS / "reports"
    out.mkdir(parents=True, exist_ok=True)
    context, page, remote = _offline_page(browser, width)
    try:
        page.goto(report.as_uri())
        plots = page.locator(".js-plotly-plot")
        page.wait_for_selector(f".js-plotly-plot {TICKS}", timeout=30_000)
        n = plots.count()
        assert n == len(chart_cells(notebook))
        page.wait_for_function(
            "() => [...document.querySelectorAll('.js-plotly-plot')]"
            f".filter(e => e.querySelector('{TICKS}')).length >= {n}",
            timeout=30_000,
        )
        problems = {k: plots.nth(k).evaluate(FIT_PROBLEMS) for k in range(n)}
        assert not any(problems.values()), problems
        widest = page.evaluate("document.documentElement.scrollWidth")
        assert widest <= width, f"the report scrolls sideways at {width} px ({widest} px)"
        for k in range(n):
            plots.nth(k).scroll_into_view_if_needed()
            plots.nth(k).screenshot(path=str(out / f"{report.stem}-{width}-chart-{k + 1}.png"))
        page.screenshot(path=str(out / f"{report.stem}-{width}.png"), full_page=False)
    finally:
        context.close()
    assert remote == [], f"the report asked the network for {remote}"


def processed(paths: ProjectPaths) -> dict[str, Any]:
    """The tables the charts are drawn from, as the build wrote them."""
    import pandas as pd

    names = ("figures", "articles", "spending_shares", "sales_growth", "beneficiaries")
    return {name: pd.read_parquet(paths.processed / f"{name}.parquet") for name in names}


def test_chart_file_draws_offline_with_hover(
    lab_project: ProjectPaths, browser: Any, tmp_path: Path
) -> None:
    from aidstats.charts import write_charts

    files = {p.stem: p for p in write_charts(processed(lab_project), tmp_path)}
    out = ARTIFACTS / "charts"
    out.mkdir(parents=True, exist_ok=True)
    assert (tmp_path / "plotly.min.js").exists()
    context, page, remote = _offline_page(browser, 900)
    try:
        for stem in ("spending_shares", "sales_growth", "beneficiaries", "beneficiaries.en"):
            page.goto(files[stem].as_uri())
            page.wait_for_selector(f".js-plotly-plot {TICKS}", timeout=30_000)
            problems = page.locator(".js-plotly-plot").first.evaluate(FIT_PROBLEMS)
            assert not problems, (stem, problems)
            page.screenshot(path=str(out / f"{stem}.png"), full_page=True)
        # hover a count's dot: the label shows the quote as written
        page.goto(files["beneficiaries"].as_uri())
        page.wait_for_selector(f".js-plotly-plot {TICKS}", timeout=30_000)
        dot = page.locator(".scatterlayer path.point").first
        box = dot.bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_selector(".hoverlayer .hovertext", timeout=10_000)
        hover = page.locator(".hoverlayer .hovertext").first.text_content() or ""
        page.screenshot(path=str(out / "beneficiaries-hover.png"))
        assert "原文" in hover and "文章" in hover
    finally:
        context.close()
    assert remote == []


def test_write_charts_also_writes_png(lab_project: ProjectPaths, tmp_path: Path) -> None:
    from aidstats.charts import write_charts

    try:
        import kaleido  # noqa: F401
    except ImportError:
        skip_or_fail("kaleido is not installed (pip install kaleido)")

    written = write_charts(processed(lab_project), tmp_path, langs=("zh",), png=True)
    pages = [p for p in written if p.suffix == ".html"]
    images = [p for p in written if p.suffix == ".png"]
    assert [p.stem for p in images] == [p.stem for p in pages]
    out = ARTIFACTS / "png"
    out.mkdir(parents=True, exist_ok=True)
    for image in images:
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        shutil.copy2(image, out / image.name)
