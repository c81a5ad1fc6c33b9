"""Where aidstats finds its data: every project path is defined here and nowhere else.

The project root is, in order: the ``root`` argument, the ``AIDSTATS_ROOT`` environment
variable, the nearest folder above the current directory that holds
``data/raw/catalog.yaml``, or the source checkout this package was installed from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from aidstats.errors import AidstatsError

CATALOG_NAME = "catalog.yaml"
DATAPACKAGE_NAME = "datapackage.json"
# the build's own bookkeeping beside its outputs (which files it wrote; a move in progress)
MANIFEST_NAME = ".aidstats-manifest.json"
JOURNAL_NAME = ".aidstats-journal.json"
INGESTED_NAME = "catalog.jsonl"


def table_filename(name: str, suffix: str = "parquet") -> str:
    """The file name of a processed table (``figures`` → figures.parquet)."""
    return f"{name}.{suffix}"


ENV_VAR = "AIDSTATS_ROOT"


@dataclass(frozen=True)
class ProjectPaths:
    """The folders and files of one aidstats project (a checkout or a copy of its data)."""

    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def catalog(self) -> Path:
        return self.raw / CATALOG_NAME

    @property
    def ingested_catalog(self) -> Path:
        """The catalog `aidstats ingest` appends to (JSON Lines, beside catalog.yaml)."""
        return self.raw / INGESTED_NAME

    @property
    def ingested_articles(self) -> Path:
        """Where `aidstats ingest` keeps article files, sharded by sha256 prefix."""
        return self.raw / "articles" / "ingested"

    @property
    def cache(self) -> Path:
        """Per-article work of earlier builds (not in git; safe to delete)."""
        return self.root / "data" / "cache"

    @property
    def indicators(self) -> Path:
        return self.raw / "indicators.yaml"

    @property
    def registry(self) -> Path:
        return self.raw / "registry.yaml"

    @property
    def exclusions(self) -> Path:
        return self.raw / "exclusions.yaml"

    @property
    def corrections(self) -> Path:
        return self.raw / "corrections.yaml"

    @property
    def checks(self) -> Path:
        return self.raw / "checks.yaml"

    @property
    def gazetteer(self) -> Path:
        return self.raw / "gazetteer.yaml"

    @property
    def glossary(self) -> Path:
        return self.raw / "glossary.yaml"

    @property
    def labelling(self) -> Path:
        return self.raw / "labelling.yaml"

    @property
    def articles(self) -> Path:
        return self.raw / "articles"

    @property
    def raw_lock(self) -> Path:
        """Lock file held while a command edits the human layer (``aidstats add``)."""
        return self.root / "data" / ".raw.lock"

    @property
    def interim(self) -> Path:
        return self.root / "data" / "interim"

    def review_draft(self, article_id: str) -> Path:
        """Default draft file of ``aidstats review ARTICLE_ID``."""
        return self.interim / f"{article_id}-review.yaml"

    def table(self, name: str, suffix: str = "parquet") -> Path:
        """A processed table's file (``figures`` → data/processed/figures.parquet)."""
        return self.processed / table_filename(name, suffix)

    @property
    def datapackage(self) -> Path:
        return self.processed / DATAPACKAGE_NAME

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def charts(self) -> Path:
        return self.processed / "charts"

    @property
    def reports(self) -> Path:
        return self.processed / "reports"

    @property
    def workbook(self) -> Path:
        return self.processed / "aidstats_summary.xlsx"


def _has_catalog(folder: Path) -> bool:
    return (folder / "data" / "raw" / CATALOG_NAME).is_file()


def find_root(start: Path | None = None) -> Path:
    """Locate the project root (see the module docstring for the search order)."""
    env = os.environ.get(ENV_VAR)
    if env:
        root = Path(env).expanduser().resolve()
        if not _has_catalog(root):
            raise AidstatsError(
                f"{ENV_VAR}={env} has no data/raw/{CATALOG_NAME}; "
                "point it at an aidstats checkout or unset it"
            )
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _has_catalog(folder):
            return folder
    checkout = Path(__file__).resolve().parents[2]
    if _has_catalog(checkout):
        return checkout
    raise AidstatsError(
        f"no aidstats project found: no data/raw/{CATALOG_NAME} in {here} or above; "
        f"run aidstats inside a checkout, pass --root, or set {ENV_VAR}"
    )


def project_paths(root: str | os.PathLike[str] | None = None) -> ProjectPaths:
    """The paths of the project at ``root`` (found automatically when omitted)."""
    if root is None:
        return ProjectPaths(find_root())
    path = Path(root).expanduser().resolve()
    if not _has_catalog(path):
        raise AidstatsError(
            f"{path} is not an aidstats project: data/raw/{CATALOG_NAME} is missing"
        )
    return ProjectPaths(path)
