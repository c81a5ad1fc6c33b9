"""A Frictionless Data Package descriptor (``datapackage.json``) for the CSV outputs.

Fields, keys and descriptions come from the table declarations (:mod:`aidstats.dictionary`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aidstats._version import __version__
from aidstats.corpus import Article
from aidstats.dictionary import TABLE_SPECS
from aidstats.paths import table_filename


def _resource_name(table: str) -> str:
    return table.replace("_", "-")


def descriptor(tables: list[str], articles: list[Article], raw: Path) -> dict[str, Any]:
    """The data package descriptor for ``tables`` (CSV files named after them)."""
    resources = []
    for name in tables:
        spec = TABLE_SPECS[name]
        schema: dict[str, Any] = {
            "fields": [
                {"name": c.name, "type": c.type, "description": c.en, "description_zh": c.zh}
                for c in spec.columns
            ],
            "missingValues": [""],
        }
        if spec.key:
            schema["primaryKey"] = list(spec.key)
        keys = [
            {"fields": col, "reference": {"resource": _resource_name(ref), "fields": ref_col}}
            for col, ref, ref_col in spec.references
            if ref in tables
        ]
        if keys:
            schema["foreignKeys"] = keys
        resources.append(
            {
                "name": _resource_name(name),
                "path": table_filename(name, "csv"),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": spec.description,
                "schema": schema,
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "aidstats",
        "title": "Figures from Chinese paired-aid (对口援疆) news reports",
        "version": __version__,
        "licenses": [{"name": "other-at", "title": "Article texts: copyright of their publishers"}],
        "sources": [
            {
                "title": f"{a.title} ({a.id})",
                "path": f"data/raw/{a.file.relative_to(raw).as_posix()}",
                "published": a.published,
                "sha256": a.sha256,
            }
            for a in articles
        ],
        "resources": resources,
    }
