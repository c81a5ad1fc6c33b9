"""Table contracts: pandera schemas derived from the table declarations, checked before writing.

Every fact comes from :mod:`aidstats.dictionary`: column types, what may not be empty,
controlled vocabularies, the primary key (unique) and the named row checks defined here.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from aidstats.dictionary import TABLE_SPECS, Table
from aidstats.errors import AidstatsError

_STR = pd.StringDtype(na_value=float("nan"))  # pandas' default ``str`` dtype
_DTYPES = {"string": str, "integer": "int64", "number": "float64", "boolean": bool}


def _bounds_ordered(df: pd.DataFrame) -> pd.Series:
    lo, hi, v = df["lower"], df["upper"], df["value"]
    return (lo.isna() | v.isna() | (lo <= v)) & (hi.isna() | v.isna() | (v <= hi))


def _offsets_ordered(df: pd.DataFrame) -> pd.Series:
    return df["raw_start"] < df["raw_end"]


def _period_ordered(df: pd.DataFrame) -> pd.Series:
    unknown = df["period_start"].isna() | df["period_end"].isna()
    return unknown | (df["period_start"] <= df["period_end"])


def _curated_complete(df: pd.DataFrame) -> pd.Series:
    curated = df["status"] == "curated"
    needed = ["label_en", "period_start", "period_end", "region", "donor"]
    return ~curated | df[needed].notna().all(axis=1)


# the row checks a declaration may name
ROW_CHECKS = {
    "offsets_ordered": pa.Check(_offsets_ordered, error="raw_start < raw_end"),
    "bounds_ordered": pa.Check(_bounds_ordered, error="lower ≤ value ≤ upper"),
    "period_ordered": pa.Check(_period_ordered, error="period_start ≤ period_end"),
    "curated_complete": pa.Check(
        _curated_complete, error="curated figures have label_en, period, region and donor"
    ),
}


def schema_of(spec: Table) -> pa.DataFrameSchema:
    """The pandera schema of a declared table."""
    columns = {
        col.name: pa.Column(
            _DTYPES[col.type],
            checks=[pa.Check.isin(col.vocab)] if col.vocab else [],
            nullable=not col.required,
            coerce=col.type != "string",
        )
        for col in spec.columns
    }
    return pa.DataFrameSchema(
        columns,
        checks=[ROW_CHECKS[name] for name in spec.row_checks],
        strict=True,
        ordered=True,
        unique=list(spec.key) or None,
        name=spec.name,
    )


def schema(table: str) -> pa.DataFrameSchema:
    """The pandera schema of a processed table."""
    return schema_of(TABLE_SPECS[table])


def conform(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with string columns as pandas ``str`` (missing stays missing), so that
    empty columns still have their declared type."""
    out = df.copy(deep=False)  # copy-on-write: only the replaced columns are new
    for col in TABLE_SPECS[table].columns:
        if col.name in out.columns and col.type == "string":
            if out[col.name].dtype == _STR:  # already str: the cast would change nothing
                continue
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
