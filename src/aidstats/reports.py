"""Stage 7, reports: the notebooks executed and exported as HTML that works offline.

The notebooks are the jupytext percent scripts ``notebooks/*.py`` (the paired ``.ipynb``
files are local, untracked copies with outputs). Each is executed with nbclient (the
``python3`` kernel over local IPC sockets, the notebooks folder as working directory,
``AIDSTATS_ROOT`` pointing at the project) and exported with nbconvert's lab template
into ``data/processed/reports/``. Every chart becomes a ``<div>`` drawn by the one
``plotly.min.js`` written beside the reports, so four reports weigh one plotly.js, not
four. Nothing in a report loads from the network: the template's require.js, MathJax
and Mermaid CDN scripts are left out. Each file is written to a temporary name and
renamed into place.

Needs the ``notebooks`` extra (nbclient, nbconvert, ipykernel, jupytext); they are
imported only when a report is rendered, so the rest of aidstats works without them.

>>> render_reports(project_paths())            # doctest: +SKIP
[PosixPath('.../data/processed/reports/01_overview.html'), ...]
"""

from __future__ import annotations

import copy
import os
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aidstats.errors import AidstatsError
from aidstats.outputs import atomic_write_bytes
from aidstats.paths import ProjectPaths

if TYPE_CHECKING:
    from nbformat import NotebookNode

KERNEL_NAME = "python3"
#: The renderer the kernel uses: JupyterLab's JSON only; the report adds the HTML.
RENDERER = "plotly_mimetype"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
#: The one copy of plotly.js the reports of a folder load.
PLOTLY_JS = "plotly.min.js"

_TEMPLATE_NAME = "aidstats_report.html.j2"
# the lab template without the scripts it would fetch from a CDN, with plotly.js from
# the report's own folder instead of require.js
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}
{%- if resources.aidstats_plotlyjs -%}
<script charset="utf-8" src="{{ resources.aidstats_plotlyjs }}"></script>
{%- endif -%}
{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


def _require_notebook_tools() -> None:
    try:
        import jupytext  # noqa: F401
        import nbclient  # noqa: F401
        import nbconvert  # noqa: F401
    except ImportError as exc:
        raise AidstatsError(
            f"rendering reports needs {exc.name}: pip install -e '.[notebooks]'"
        ) from None


def notebook_files(paths: ProjectPaths) -> list[Path]:
    """The project's notebooks, in name order: each ``notebooks/*.py`` (the tracked
    jupytext scripts), and any ``.ipynb`` that has no script of its own."""
    folder = paths.notebooks
    scripts = [p for p in folder.glob("*.py") if p.is_file()]
    lone = [p for p in folder.glob("*.ipynb") if p.is_file() and not p.with_suffix(".py").exists()]
    return sorted([*scripts, *lone], key=lambda p: p.name)


def read_notebook(notebook: Path) -> NotebookNode:
    """A notebook from its ``.py`` script or ``.ipynb`` file (as JupyterLab would open it)."""
    _require_notebook_tools()
    import jupytext

    try:
        return jupytext.read(notebook)
    except Exception as exc:  # jupytext and nbformat raise many kinds
        raise AidstatsError(f"{notebook}: cannot read it as a notebook: {exc}") from None


def kernel_env(paths: ProjectPaths) -> dict[str, str]:
    """The environment a report's kernel runs in."""
    return {**os.environ, "PLOTLY_RENDERER": RENDERER, "AIDSTATS_ROOT": str(paths.root)}


def _kernel_config() -> Any:
    """Kernel manager settings: local IPC sockets where the system has them, so nothing
    listens on the network and the kernel has no reason to warn about unencrypted TCP."""
    from traitlets.config import Config

    if os.name != "posix":
        return Config()
    from jupyter_core.paths import jupyter_runtime_dir

    # an absolute socket path: the kernel runs in the notebook's folder, not ours
    runtime = Path(jupyter_runtime_dir())
    runtime.mkdir(parents=True, exist_ok=True)
    sockets = runtime / f"aidstats-kernel-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    return Config({"KernelManager": {"transport": "ipc", "ip": str(sockets)}})


def execute_notebook(notebook: Path, paths: ProjectPaths, *, timeout: int = 600) -> NotebookNode:
    """Run every cell of ``notebook`` (``.py`` or ``.ipynb``) in a fresh kernel; return
    the executed notebook.

    Raises AidstatsError naming the notebook, the cell and the error when a cell fails.
    """
    _require_notebook_tools()
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = read_notebook(notebook)
    client = NotebookClient(
        nb,
        kernel_name=KERNEL_NAME,
        config=_kernel_config(),
        timeout=timeout,
        resources={"metadata": {"path": str(notebook.parent)}},
    )
    try:
        client.execute(env=kernel_env(paths))
    except CellExecutionError as exc:
        failed = [
            i
            for i, c in enumerate(nb.cells)
            if any(o.get("output_type") == "error" for o in c.get("outputs", []))
        ]
        where = f"cell {failed[0]}" if failed else "a cell"
        raise AidstatsError(
            f"{notebook}: {where} failed: {exc.ename}: {exc.evalue}; "
            "open it in JupyterLab to see the traceback"
        ) from None
    return nb


def _chart_html(figure: dict[str, Any], div_id: str) -> str:
    """A chart output as a ``<div>`` drawn by the page's plotly.js (not embedded)."""
    import plotly.io as pio

    from aidstats.charts.export import HTML_CONFIG

    spec = {k: v for k, v in figure.items() if k in ("data", "layout", "frames")}
    return pio.to_html(
        spec,
        include_plotlyjs=False,
        full_html=False,
        div_id=div_id,
        config=HTML_CONFIG,
        validate=False,
    )


def chart_count(nb: NotebookNode) -> int:
    """How many chart outputs (Plotly's JSON) the notebook holds."""
    return sum(
        PLOTLY_MIME in output.get("data", {})
        for cell in nb.cells
        for output in cell.get("outputs", [])
    )


def with_chart_html(nb: NotebookNode) -> NotebookNode:
    """A copy of ``nb`` whose chart outputs (Plotly's JSON) also carry an HTML ``<div>``
    for the report. Div ids are numbered, so the same notebook gives the same page."""
    out = copy.deepcopy(nb)
    n = 0
    for cell in out.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if PLOTLY_MIME in data:
                n += 1
                data["text/html"] = _chart_html(data[PLOTLY_MIME], f"aidstats-chart-{n}")
    return out


def export_html(nb: NotebookNode, *, title: str) -> str:
    """A notebook as one HTML page that needs no network (lab template, light theme);
    its charts load ``plotly.min.js`` from the page's folder (see :func:`render_reports`)."""
    _require_notebook_tools()
    import jinja2
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[jinja2.DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
        template_file=_TEMPLATE_NAME,
    )
    page = with_chart_html(nb)
    page.metadata["title"] = title
    plotlyjs = PLOTLY_JS if chart_count(nb) else ""
    resources = {"metadata": {"name": title}, "aidstats_plotlyjs": plotlyjs}
    body, _ = exporter.from_notebook_node(page, resources=resources)
    return body


def render_reports(
    paths: ProjectPaths,
    out_folder: Path | None = None,
    *,
    notebooks: Iterable[Path] | None = None,
    timeout: int = 600,
) -> list[Path]:
    """Execute each notebook and write it as ``<name>.html`` into ``out_folder``, with
    one ``plotly.min.js`` beside the reports; return the reports' paths.

    ``out_folder`` defaults to ``data/processed/reports/``; ``notebooks`` to
    :func:`notebook_files`. The notebooks read the project's processed tables, so run
    this after ``aidstats build``. Each file is written atomically (temporary file, then
    rename), so an interrupted run never leaves half a report.
    """
    from plotly.offline import get_plotlyjs

    out = Path(out_folder) if out_folder is not None else paths.reports
    written: list[Path] = []
    plotlyjs_written = False
    for notebook in notebooks if notebooks is not None else notebook_files(paths):
        notebook = Path(notebook)
        nb = execute_notebook(notebook, paths, timeout=timeout)
        html = export_html(nb, title=f"aidstats · {notebook.stem}")
        if chart_count(nb) and not plotlyjs_written:
            atomic_write_bytes(out / PLOTLY_JS, get_plotlyjs().encode("utf-8"))
            plotlyjs_written = True
        path = out / f"{notebook.stem}.html"
        atomic_write_bytes(path, html.encode("utf-8"))
        written.append(path)
    return written
