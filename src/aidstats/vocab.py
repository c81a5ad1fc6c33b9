"""Controlled vocabularies shared by the human layer, the stages and the table declarations.

Each vocabulary is written here once; the YAML validation, the pandera schemas and the
data dictionary all import it from here.
"""

from __future__ import annotations

from aidstats.extract import KINDS as MENTION_KINDS
from aidstats.extract import QUALIFIERS

__all__ = [
    "AUTO_CATEGORIES",
    "AUTO_MEASURES",
    "BASES",
    "BLOCK_KINDS",
    "CATEGORIES",
    "CHECK_TESTS",
    "COVERAGE_STATUSES",
    "COVERED_KINDS",
    "FIGURE_STATUSES",
    "HEADCOUNT_MEASURES",
    "MEASURES",
    "MEASURE_KINDS",
    "MENTION_KINDS",
    "PERIOD_TYPES",
    "QUALIFIERS",
    "SHARE_BASES",
    "VERDICTS",
]

BLOCK_KINDS = ("title", "subtitle", "byline", "heading", "paragraph", "caption", "credit")
CATEGORIES = (
    "funds",
    "projects",
    "sales",
    "beneficiaries",
    "infrastructure",
    "education",
    "health",
    "culture",
    "employment",
    "industry",
    "economy",
    "other",
)
# measure → the mention kinds a figure of that measure may point at
MEASURE_KINDS: dict[str, tuple[str, ...]] = {
    "money": ("amount", "range"),
    "people": ("amount", "range"),
    "person_times": ("amount", "range"),
    "items": ("amount", "range"),
    "area": ("amount", "range"),
    "weight": ("amount", "range"),
    "events": ("amount", "range"),
    "count": ("amount", "range"),
    "share": ("percent", "ratio"),
    "growth": ("percent", "ratio"),
    "ratio": ("ratio", "percent"),
    "duration": ("duration", "range"),
    "other": ("amount", "range", "percent", "ratio", "duration"),
}
MEASURES = tuple(MEASURE_KINDS)
# kept as names of their own: auto figures use every category and measure
AUTO_CATEGORIES = CATEGORIES
AUTO_MEASURES = MEASURES
FIGURE_STATUSES = ("curated", "auto")
PERIOD_TYPES = ("cumulative", "annual", "point")
# mention kinds that must be used by a figure or excluded (dates need no row)
COVERED_KINDS = ("amount", "percent", "ratio", "range", "duration")
HEADCOUNT_MEASURES = ("people", "person_times")
SHARE_BASES = ("reported", "derived", "none")
BASES = ("reported", "derived")
VERDICTS = ("pass", "flag")
# how a consistency check compares its computed value with the expected one
CHECK_TESTS = ("at_most", "within", "same_value", "same_date")
COVERAGE_STATUSES = ("used", "excluded", "auto", "not_required", "unaccounted")
