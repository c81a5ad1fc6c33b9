"""A Frictionless Data Package descriptor (``datapackage.json``) for the CSV outputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aidstats._version import __version__
from aidstats.corpus import Article
from aidstats.dictionary import TABLES

DESCRIPTIONS = {
    "articles": "The article catalog with derived counts.",
    "paragraphs": "Cleaned paragraphs (page-break splits joined) with raw offsets.",
    "mentions": "Every quantity mention found in the articles, at raw offsets.",
    "figures": "Curated figures: each registry row linked to its mention, with provenance.",
    "spending_shares": "Funds and projects with their shares of the totals they belong to.",
    "sales_growth": "Consumption-aid sales by programme and year, reported and derived.",
    "beneficiaries": "People and person-time counts by sector and programme, with bounds.",
    "consistency_checks": "Cross-figure checks with their arithmetic and a verdict.",
    "blocks": "Raw blocks (runs of non-blank lines) with their kind, before page-break joins.",
    "coverage": "Every mention with its status: used by a figure, excluded (why), or a date.",
}
PRIMARY_KEYS = {
    "articles": ["article_id"],
    "paragraphs": ["article_id", "paragraph"],
    "mentions": ["mention_id"],
    "figures": ["figure_id"],
    "beneficiaries": ["figure_id"],
    "spending_shares": ["figure_id"],
    "consistency_checks": ["check_id"],
    "blocks": ["article_id", "block"],
    "coverage": ["mention_id"],
}
# table → (column, referenced table, referenced column)
FOREIGN_KEYS = {
    **{t: [("article_id", "articles", "article_id")] for t in TABLES if t != "articles"},
    "figures": [("article_id", "articles", "article_id"), ("mention_id", "mentions", "mention_id")],
}


def _resource_name(table: str) -> str:
    return table.replace("_", "-")


def descriptor(tables: list[str], articles: list[Article], raw: Path) -> dict[str, Any]:
    """The data package descriptor for ``tables`` (CSV files named after them)."""
    resources = []
    for name in tables:
        schema: dict[str, Any] = {
            "fields": [
                {"name": c.name, "type": c.type, "description": c.en, "description_zh": c.zh}
                for c in TABLES[name]
            ],
            "missingValues": [""],
        }
        if name in PRIMARY_KEYS:
            schema["primaryKey"] = PRIMARY_KEYS[name]
        keys = [
            {"fields": col, "reference": {"resource": _resource_name(ref), "fields": ref_col}}
            for col, ref, ref_col in FOREIGN_KEYS.get(name, [])
            if ref in tables
        ]
        if keys:
            schema["foreignKeys"] = keys
        resources.append(
            {
                "name": _resource_name(name),
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": DESCRIPTIONS[name],
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
