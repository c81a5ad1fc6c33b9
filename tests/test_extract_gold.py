"""The extractor against the hand-made gold annotation of both articles (tests/gold/).

Each test prints its scores (run with ``pytest -s`` to see them) and fails with the first
false positives, false negatives and mismatches.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

from gold_scoring import Gold, Score, combine, load_gold, score

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "data" / "raw" / "articles"
CATALOG = ROOT / "data" / "raw" / "catalog.yaml"
GOLD_DIR = Path(__file__).resolve().parent / "gold"
ARTICLE_IDS = ("jx-shaya-2023", "zj-aksu-2022")

MIN_F1 = 0.97
MIN_QUALIFIER_ACCURACY = 0.97


def published_year(article_id: str) -> int:
    """The publication year from the catalog (relative dates resolve against it)."""
    catalog = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))
    for entry in catalog["articles"]:
        if entry["id"] == article_id:
            return int(str(entry["published"])[:4])
    raise KeyError(f"{article_id} not in {CATALOG}")


def raw_text(article_id: str) -> str:
    return (ARTICLES / f"{article_id}.txt").read_text(encoding="utf-8")


def gold_for(article_id: str) -> Gold:
    return load_gold(GOLD_DIR / f"{article_id}.yaml", raw_text(article_id))


def score_article(article_id: str) -> Score:
    from aidstats import extract_quantities

    raw = raw_text(article_id)
    year = published_year(article_id)
    predicted = list(extract_quantities(raw, published=datetime.date(year, 1, 1)))
    return score(gold_for(article_id), predicted)


def check(result: Score, label: str) -> None:
    print(f"\n[{label}] {result.summary()}")
    problems = []
    if result.f1 < MIN_F1:
        problems.append(f"F1 {result.f1:.4f} < {MIN_F1}")
    if result.qualifier_accuracy < MIN_QUALIFIER_ACCURACY:
        problems.append(
            f"qualifier accuracy {result.qualifier_accuracy:.4f} < {MIN_QUALIFIER_ACCURACY}"
        )
    if result.trap_hits:
        problems.append(f"{result.trap_hits} trap hit(s)")
    assert not problems, f"{label}: {'; '.join(problems)}\n{result.report(limit=30)}"


def test_published_years_come_from_the_catalog() -> None:
    assert published_year("jx-shaya-2023") == 2023
    assert published_year("zj-aksu-2022") == 2022


@pytest.mark.parametrize("article_id", ARTICLE_IDS)
def test_extractor_matches_gold(article_id: str) -> None:
    check(score_article(article_id), article_id)


def test_extractor_matches_gold_over_both_articles() -> None:
    results = [score_article(a) for a in ARTICLE_IDS]
    for article_id, result in zip(ARTICLE_IDS, results, strict=True):
        print(f"\n[{article_id}] {result.summary()}")
    check(combine(results), "both articles")
