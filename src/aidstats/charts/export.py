"""Writing charts: an HTML page for every chart of a build, all sharing one copy of
plotly.js beside them, and PNGs when a browser is at hand. The only part of
:mod:`aidstats.charts` that writes files.

The pages work offline: each loads ``plotly.min.js`` from its own folder (a relative
``<script src>``, which browsers allow for ``file://`` pages), so a build's charts weigh
one plotly.js (~4.8 MB) plus a few tens of kB per chart, not 4.8 MB per chart."""

from __future__ import annotations

import importlib.util
import os
import shutil
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from aidstats.charts.beneficiaries import beneficiaries_chart
from aidstats.charts.explorer import figure_explorer
from aidstats.charts.sales import sales_growth_chart
from aidstats.charts.shares import spending_shares_chart
from aidstats.outputs import write_text

HTML_CONFIG = {"displaylogo": False, "responsive": True}
#: The one copy of plotly.js that the pages of a folder load (``<script src=…>``).
PLOTLY_JS = "plotly.min.js"


def write_plotlyjs(folder: Path) -> Path:
    """``plotly.min.js`` (the version plotly.py ships) in ``folder``, for pages beside it."""
    from plotly.offline import get_plotlyjs

    return write_text(get_plotlyjs(), Path(folder) / PLOTLY_JS)


# Per-article explorers are written up to this many articles; a larger corpus gets the
# three analysis charts only (aidstats.charts.figure_explorer draws any article's).
EXPLORER_LIMIT = 50


def write_html(fig: go.Figure, path: Path, *, div_id: str) -> Path:
    """An HTML page of one chart that loads ``plotly.min.js`` from its own folder
    (see :func:`write_plotlyjs`), with nothing random in it."""
    text = fig.to_html(
        include_plotlyjs="directory",
        full_html=True,
        div_id=div_id,
        config=HTML_CONFIG,
        validate=True,
    )
    return write_text(text, path)


def chart_set(frames: dict[str, pd.DataFrame], *, lang: str = "zh") -> dict[str, go.Figure]:
    """Every chart of a build by file stem: the three analyses and one explorer per article
    (up to :data:`EXPLORER_LIMIT` articles)."""
    figures = frames.get("figures", pd.DataFrame())
    articles = frames.get("articles")
    ctx = {"figures": figures, "articles": articles, "lang": lang}
    charts = {
        "spending_shares": spending_shares_chart(frames["spending_shares"], **ctx),
        "sales_growth": sales_growth_chart(frames["sales_growth"], **ctx),
        "beneficiaries": beneficiaries_chart(frames["beneficiaries"], **ctx),
    }
    ids = (
        list(articles["article_id"])
        if articles is not None
        else list(dict.fromkeys(figures["article_id"]))
    )
    if len(ids) > EXPLORER_LIMIT:  # two ~5 MB files an article: draw one on demand instead
        ids = []
    for art in ids:
        charts[f"figures_{art}"] = figure_explorer(
            figures, article_id=art, lang=lang, articles=articles
        )
    return charts


def write_charts(
    frames: dict[str, pd.DataFrame],
    folder: Path,
    *,
    langs: Sequence[str] = ("zh", "en"),
    png: bool = False,
) -> list[Path]:
    """Write every chart as an HTML page into ``folder``; return the paths.

    Files are ``<chart>.html`` (Chinese) and ``<chart>.en.html`` (English): the three
    analyses and ``figures_<article_id>``, and last ``plotly.min.js``, the one copy of
    plotly.js they all load (offline). Each page has a fixed ``div_id``, so the same
    tables give byte-identical files. With ``png=True`` a PNG
    is also written for each Chinese chart when kaleido is installed and finds a
    Chromium; otherwise the PNGs are skipped (the returned list shows what was written).
    """
    folder = Path(folder)
    written: list[Path] = []
    images: list[tuple[go.Figure, Path]] = []
    for lang in langs:
        suffix = "" if lang == "zh" else f".{lang}"
        for stem, fig in chart_set(frames, lang=lang).items():
            div_id = f"aidstats-{stem}{suffix.replace('.', '-')}".replace("_", "-")
            written.append(write_html(fig, folder / f"{stem}{suffix}.html", div_id=div_id))
            if lang == "zh":
                images.append((fig, folder / f"{stem}.png"))
    written.append(write_plotlyjs(folder))
    if png and browser_path() is not None and importlib.util.find_spec("kaleido"):
        written += write_pngs(images)
    return written


def browser_path() -> str | None:
    """The Chromium/Chrome kaleido would render PNGs with, or None."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env if Path(env).exists() else None
    names = ("chromium", "chromium-browser", "google-chrome", "chrome")
    return next((found for b in names if (found := shutil.which(b))), None)


def write_pngs(images: list[tuple[go.Figure, Path]]) -> list[Path]:
    """PNG files through one kaleido browser session (about 0.2 s an image)."""
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)
    try:
        with warnings.catch_warnings():
            # plotly notes that per-call options are ignored by a running server
            warnings.simplefilter("ignore", UserWarning)
            for fig, path in images:
                fig.write_image(path, width=1100, height=fig.layout.height or 600, scale=1.5)
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
    return [path for _, path in images]
