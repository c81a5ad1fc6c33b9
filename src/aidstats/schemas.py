"""Table contracts: pandera schemas for every processed table, checked before writing.

The columns and their types come from :mod:`aidstats.dictionary` (one source for the
schema, the data package and the Excel data dictionary); this module adds what may not
be empty, the controlled vocabularies, and the rules across columns.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from aidstats.dictionary import TABLES
from aidstats.errors import AidstatsError
from aidstats.registry import CATEGORIES, MEASURE_KINDS, PERIOD_TYPES

QUALIFIERS = ("exact", "over", "near", "approx")
KINDS = ("amount", "percent", "ratio", "range", "duration", "date")
_DTYPES = {"string": str, "integer": "int64", "number": "float64", "boolean": bool}

NOT_NULL = {
    "articles": {"article_id", "file", "sha256", "title", "published"},
    "paragraphs": {"article_id", "paragraph", "kind", "text", "raw_start", "raw_end"},
    "mentions": {"article_id", "mention_id", "raw_start", "raw_end", "text", "kind", "qualifier"},
    "figures": {
        "figure_id",
        "article_id",
        "indicator",
        "label_zh",
        "label_en",
        "category",
        "dac_code",
        "measure",
        "qualifier",
        "period_start",
        "period_end",
        "region",
        "donor",
        "raw_start",
        "raw_end",
        "quote",
        "sentence",
        "include_in_totals",
    },
    "spending_shares": {"article_id", "figure_id", "share_basis", "amount_basis"},
    "sales_growth": {"article_id", "metric", "basis"},
    "beneficiaries": {"article_id", "figure_id", "measure"},
    "consistency_checks": {"check_id", "source", "verdict", "arithmetic"},
    "blocks": {"article_id", "block", "kind", "text", "raw_start", "raw_end"},
    "coverage": {"article_id", "mention_id", "status"},
}
UNIQUE = {
    "articles": ["article_id"],
    "paragraphs": ["article_id", "paragraph"],
    "mentions": ["mention_id"],
    "figures": ["figure_id"],
    "spending_shares": ["figure_id"],
    "beneficiaries": ["figure_id"],
    "consistency_checks": ["check_id"],
}
VOCAB = {
    ("mentions", "kind"): KINDS,
    ("mentions", "qualifier"): QUALIFIERS,
    ("figures", "qualifier"): QUALIFIERS,
    ("figures", "kind"): KINDS,
    ("figures", "measure"): tuple(MEASURE_KINDS),
    ("figures", "category"): CATEGORIES,
    ("figures", "period_type"): PERIOD_TYPES,
    ("paragraphs", "kind"): (
        "title",
        "subtitle",
        "byline",
        "heading",
        "paragraph",
        "caption",
        "credit",
    ),
    ("spending_shares", "share_basis"): ("reported", "derived", "none"),
    ("spending_shares", "amount_basis"): ("reported", "derived", "none"),
    ("sales_growth", "basis"): ("reported", "derived"),
    ("beneficiaries", "measure"): ("people", "person_times"),
    ("consistency_checks", "verdict"): ("pass", "flag"),
    ("coverage", "status"): ("used", "excluded", "not_required", "unaccounted"),
}


def _bounds_ordered(df: pd.DataFrame) -> pd.Series:
    lo, hi, v = df["lower"], df["upper"], df["value"]
    return (lo.isna() | v.isna() | (lo <= v)) & (hi.isna() | v.isna() | (v <= hi))


def _offsets_ordered(df: pd.DataFrame) -> pd.Series:
    return df["raw_start"] < df["raw_end"]


ROW_CHECKS = {
    "mentions": [
        pa.Check(_offsets_ordered, error="raw_start < raw_end"),
        pa.Check(_bounds_ordered, error="lower ≤ value ≤ upper"),
    ],
    "figures": [
        pa.Check(_offsets_ordered, error="raw_start < raw_end"),
        pa.Check(_bounds_ordered, error="lower ≤ value ≤ upper"),
        pa.Check(
            lambda df: df["period_start"] <= df["period_end"], error="period_start ≤ period_end"
        ),
    ],
    "paragraphs": [pa.Check(_offsets_ordered, error="raw_start < raw_end")],
}


def schema(table: str) -> pa.DataFrameSchema:
    """The pandera schema of a processed table."""
    columns = {}
    for col in TABLES[table]:
        checks = []
        vocab = VOCAB.get((table, col.name))
        if vocab:
            checks.append(pa.Check.isin(vocab))
        columns[col.name] = pa.Column(
            _DTYPES[col.type],
            checks=checks,
            nullable=col.name not in NOT_NULL[table],
            coerce=col.type != "string",
        )
    return pa.DataFrameSchema(
        columns,
        checks=ROW_CHECKS.get(table, []),
        strict=True,
        ordered=True,
        unique=UNIQUE.get(table),
        name=table,
    )


def conform(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with the table's columns in order and string columns as pandas ``str``
    (missing stays missing), so that empty columns still have their declared type."""
    out = df.copy()
    for col in TABLES[table]:
        if col.name in out.columns and col.type == "string":
            out[col.name] = out[col.name].astype("str").where(out[col.name].notna())
    return out


def validate(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Validate ``df`` against its schema; raise a one-line AidstatsError listing failures."""
    try:
        return schema(table).validate(conform(table, df), lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        shown = "; ".join(
            f"{r.column or 'row'} {r.check} failed at index {r.index} ({r.failure_case!r})"
            for r in cases.head(5).itertuples()
        )
        raise AidstatsError(
            f"table {table} breaks its schema ({len(cases)} failure(s)): {shown}"
        ) from None
