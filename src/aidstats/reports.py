"""Stage 7, reports: the notebooks executed and exported as self-contained HTML.

Each notebook in ``notebooks/`` is executed with nbclient (the ``python3`` kernel, the
notebooks folder as working directory, ``AIDSTATS_ROOT`` pointing at the project and
``PLOTLY_RENDERER=plotly_mimetype+notebook`` so that plotly.js is embedded once per
report) and exported with nbconvert's lab template into ``data/processed/reports/``.
Nothing in a report loads from the network: the template's require.js, MathJax and
Mermaid CDN scripts are left out and CDN ``<script src>`` tags are removed from the
outputs. Each file is written to a temporary name and renamed into place.

Needs the ``notebooks`` extra (nbclient, nbconvert, ipykernel); they are imported only
when a report is rendered, so the rest of aidstats works without them.

>>> render_reports(project_paths())            # doctest: +SKIP
[PosixPath('.../data/processed/reports/01_overview.html'), ...]
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from aidstats.errors import AidstatsError
from aidstats.outputs import atomic_write_bytes
from aidstats.paths import ProjectPaths

if TYPE_CHECKING:
    from nbformat import NotebookNode

KERNEL_NAME = "python3"
RENDERER = "plotly_mimetype+notebook"
PLOTLY_MIME = "application/vnd.plotly.v1+json"

_TEMPLATE_NAME = "aidstats_report.html.j2"
# the lab template without the scripts it would fetch from a CDN
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""
_REMOTE_SCRIPT = re.compile(r"<script[^>]*\ssrc=\"https?://[^\"]*\"[^>]*>\s*</script>")


def _require_notebook_tools() -> None:
    try:
        import nbclient  # noqa: F401
        import nbconvert  # noqa: F401
    except ImportError as exc:
        raise AidstatsError(
            f"rendering reports needs {exc.name}: pip install -e '.[notebooks]'"
        ) from None


def notebook_files(paths: ProjectPaths) -> list[Path]:
    """The project's notebooks (``notebooks/*.ipynb``), in name order."""
    return sorted(p for p in paths.notebooks.glob("*.ipynb") if p.is_file())


def kernel_env(paths: ProjectPaths) -> dict[str, str]:
    """The environment a report's kernel runs in."""
    return {**os.environ, "PLOTLY_RENDERER": RENDERER, "AIDSTATS_ROOT": str(paths.root)}


def execute_notebook(notebook: Path, paths: ProjectPaths, *, timeout: int = 600) -> NotebookNode:
    """Run every cell of ``notebook`` in a fresh kernel; return the executed notebook.

    Raises AidstatsError naming the notebook, the cell and the error when a cell fails.
    """
    _require_notebook_tools()
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=KERNEL_NAME,
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


def _drop_remote_scripts(nb: NotebookNode) -> NotebookNode:
    """A copy of ``nb`` without ``<script src="http…">`` tags in its HTML outputs
    (Plotly's notebook renderer adds one for MathJax from a CDN)."""
    out = copy.deepcopy(nb)
    for cell in out.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                html = data["text/html"]
                text = "".join(html) if isinstance(html, list) else html
                data["text/html"] = _REMOTE_SCRIPT.sub("", text)
    return out


def export_html(nb: NotebookNode, *, title: str) -> str:
    """A notebook as one HTML page that needs no network (lab template, light theme)."""
    _require_notebook_tools()
    import jinja2
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[jinja2.DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
        template_file=_TEMPLATE_NAME,
    )
    clean = _drop_remote_scripts(nb)
    clean.metadata["title"] = title
    body, _ = exporter.from_notebook_node(clean, resources={"metadata": {"name": title}})
    return body


def render_reports(
    paths: ProjectPaths,
    out_folder: Path | None = None,
    *,
    notebooks: Iterable[Path] | None = None,
    timeout: int = 600,
) -> list[Path]:
    """Execute each notebook and write it as ``<name>.html`` into ``out_folder``.

    ``out_folder`` defaults to ``data/processed/reports/``; ``notebooks`` to every
    ``notebooks/*.ipynb``. The notebooks read the project's processed tables, so run
    this after ``aidstats build``. Each report is written atomically (temporary file,
    then rename), so an interrupted run never leaves half a report.
    """
    out = Path(out_folder) if out_folder is not None else paths.reports
    written = []
    for notebook in notebooks if notebooks is not None else notebook_files(paths):
        notebook = Path(notebook)
        nb = execute_notebook(notebook, paths, timeout=timeout)
        html = export_html(nb, title=f"aidstats · {notebook.stem}")
        path = out / f"{notebook.stem}.html"
        atomic_write_bytes(path, html.encode("utf-8"))
        written.append(path)
    return written
