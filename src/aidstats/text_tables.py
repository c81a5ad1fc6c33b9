"""The cleaned text as tables: one row per paragraph and one per raw block.

Row builders of the clean stage (:mod:`aidstats.clean`), used per article by the build
(:mod:`aidstats.perarticle`) and re-exported by :mod:`aidstats.build`.
"""

from __future__ import annotations

import pandas as pd

from aidstats.clean import CleanArticle, Mapped


def paragraphs_table(cleaned: list[CleanArticle]) -> pd.DataFrame:
    """One row per cleaned paragraph (blocks joined across page breaks)."""
    rows = [
        {
            "article_id": c.article_id,
            "paragraph": p.number,
            "block": p.blocks[0],
            "blocks": ";".join(str(b) for b in p.blocks),
            "kind": p.kind,
            "text": p.text,
            **_raw_span(p.body),
        }
        for c in cleaned
        for p in c.paragraphs
    ]
    return pd.DataFrame(rows)


def blocks_table(cleaned: list[CleanArticle]) -> pd.DataFrame:
    """One row per raw block with its kind (the classification, before joining)."""
    rows = [
        {
            "article_id": c.article_id,
            "block": b.number,
            "kind": b.kind,
            "blank_lines_before": b.gap,
            "text": b.text,
            **_raw_span(b.body),
        }
        for c in cleaned
        for b in c.blocks
    ]
    return pd.DataFrame(rows)


def _raw_span(body: Mapped) -> dict[str, int]:
    """Where a paragraph or block stands in the raw file (raw_start, raw_end)."""
    return {"raw_start": body.raw_start, "raw_end": body.raw_end}
