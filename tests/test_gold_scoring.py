"""The gold scorer on tiny hand-made examples, and the integrity of the gold files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from gold_scoring import (
    KINDS,
    QUALIFIERS,
    Gold,
    GoldError,
    GoldMention,
    GoldTrap,
    combine,
    load_gold,
    resolve_context,
    score,
    values_equal,
)

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "data" / "raw" / "articles"
GOLD_DIR = Path(__file__).resolve().parent / "gold"
ARTICLE_IDS = ("jx-shaya-2023", "zj-aksu-2022")

# every numeral character the gold must account for (inside a mention or a trap)
NUMERAL = re.compile(r"[0-9０-９〇零一二三四五六七八九十百千万亿两半]")

# ---------------------------------------------------------------- a tiny hand-made example

RAW = "新年伊始,投入资金4.5亿元,“十城百店”工程销售额超17亿元。2021年,同比增长103%。"
GOLD_YAML = """
article_id: tiny
mentions:
  - {text: 4.5亿元, context: 资金4.5亿元, kind: amount, value: 450000000,
     lower: 450000000, upper: 450000000, unit: 元, qualifier: exact}
  - {text: 超17亿元, context: 销售额超17亿元, kind: amount, value: 1700000000,
     lower: 1700000000, upper: null, unit: 元, qualifier: over}
  - {text: 2021年, context: 2021年, kind: date, value: "2021",
     lower: null, upper: null, unit: null, qualifier: exact}
  - {text: 103%, context: 增长103%, kind: percent, value: 103,
     lower: 103, upper: 103, unit: "%", qualifier: exact}
traps:
  - {text: 十城百店, context: “十城百店”, reason: program name}
"""


@pytest.fixture
def tiny(tmp_path: Path) -> Gold:
    path = tmp_path / "tiny.yaml"
    path.write_text(GOLD_YAML, encoding="utf-8")
    return load_gold(path, RAW)


def perfect(gold: Gold) -> list[dict]:
    return [
        {
            "start": m.start,
            "end": m.end,
            "text": m.text,
            "kind": m.kind,
            "value": m.value,
            "lower": m.lower,
            "upper": m.upper,
            "unit": m.unit,
            "qualifier": m.qualifier,
        }
        for m in gold.mentions
    ]


def test_load_gold_resolves_offsets(tiny: Gold) -> None:
    assert [RAW[m.start : m.end] for m in tiny.mentions] == [
        "4.5亿元",
        "超17亿元",
        "2021年",
        "103%",
    ]
    assert RAW[tiny.traps[0].start : tiny.traps[0].end] == "十城百店"
    assert tiny.mentions[0].start == RAW.find("资金4.5亿元") + 2


def test_perfect_prediction_scores_one(tiny: Gold) -> None:
    result = score(tiny, perfect(tiny))
    assert result.true_positives == 4
    assert result.precision == result.recall == result.f1 == 1.0
    assert result.qualifier_accuracy == result.bounds_accuracy == 1.0
    assert result.trap_hits == 0
    assert not (result.false_positives or result.false_negatives or result.mismatches)


def test_objects_enums_and_int_float_values_are_accepted(tiny: Gold) -> None:
    import enum

    class Kind(enum.Enum):
        amount = "amount"
        percent = "percent"
        date = "date"

    @dataclass
    class Q:
        start: int
        end: int
        text: str
        kind: Kind
        value: object
        lower: object
        upper: object
        unit: str | None
        qualifier: str

    preds = [
        Q(
            d["start"],
            d["end"],
            d["text"],
            Kind(d["kind"]),
            d["value"],
            d["lower"],
            d["upper"],
            d["unit"],
            d["qualifier"],
        )
        for d in perfect(tiny)
    ]
    preds[0].value = 450_000_000  # int where the gold holds a float
    preds[3].value = 103.0000000001  # within the relative tolerance
    assert score(tiny, preds).f1 == 1.0


def test_shifted_span_is_a_miss(tiny: Gold) -> None:
    preds = perfect(tiny)
    preds[1] = {**preds[1], "start": preds[1]["start"] + 1, "text": "17亿元"}  # drops 超
    result = score(tiny, preds)
    assert result.true_positives == 3
    assert result.precision == result.recall == 0.75
    assert [g.text for g in result.false_negatives] == ["超17亿元"]
    assert [p.text for p in result.false_positives] == ["17亿元"]
    assert result.span_matched == 3 and result.qualifier_accuracy == 1.0


def test_wrong_value_unit_or_kind_is_a_mismatch_not_a_hit(tiny: Gold) -> None:
    for key, bad in (("value", 45000), ("unit", None), ("kind", "ratio")):
        preds = perfect(tiny)
        preds[0] = {**preds[0], key: bad}
        result = score(tiny, preds)
        assert result.true_positives == 3, key
        assert len(result.mismatches) == 1 and result.mismatches[0][0].text == "4.5亿元"
        assert result.span_matched == 4  # still span-matched: counts for qualifier accuracy


def test_date_values_compare_as_strings(tiny: Gold) -> None:
    preds = perfect(tiny)
    preds[2] = {**preds[2], "value": 2021}
    assert score(tiny, preds).true_positives == 3
    assert values_equal(None, None) and not values_equal(None, 0) and not values_equal(0, None)
    assert values_equal("2021-08", "2021-08") and not values_equal("2021", 2021)


def test_qualifier_and_bounds_accuracy(tiny: Gold) -> None:
    preds = perfect(tiny)
    preds[1] = {**preds[1], "qualifier": "exact", "upper": 1700000000}
    result = score(tiny, preds)
    assert result.f1 == 1.0  # qualifier and bounds do not decide a true positive
    assert result.qualifier_accuracy == 0.75 and result.bounds_accuracy == 0.75
    assert len(result.qualifier_errors) == 1 and len(result.bounds_errors) == 1


def test_trap_hit_counts(tiny: Gold) -> None:
    start = RAW.find("百店")
    trap_pred = {
        "start": start,
        "end": start + 1,
        "text": "百",
        "kind": "amount",
        "value": 100,
        "lower": 100,
        "upper": 100,
        "unit": None,
        "qualifier": "exact",
    }
    result = score(tiny, [*perfect(tiny), trap_pred])
    assert result.trap_hits == 1
    assert result.precision == 4 / 5 and result.recall == 1.0
    assert "trap" in result.report()


def test_duplicate_prediction_is_a_false_positive(tiny: Gold) -> None:
    preds = perfect(tiny)
    result = score(tiny, [*preds, preds[0]])
    assert result.true_positives == 4 and len(result.false_positives) == 1


def test_empty_prediction(tiny: Gold) -> None:
    result = score(tiny, [])
    assert result.precision == result.recall == result.f1 == 0.0
    assert len(result.false_negatives) == 4
    empty = Gold("none", (), ())
    assert score(empty, []).f1 == 1.0


def test_combine_micro_averages(tiny: Gold) -> None:
    a = score(tiny, perfect(tiny))
    b = score(tiny, perfect(tiny)[:2])
    both = combine([a, b])
    assert both.n_gold == 8 and both.true_positives == 6 and both.n_predicted == 6
    assert both.precision == 1.0 and both.recall == 0.75


def test_report_lists_errors(tiny: Gold) -> None:
    report = score(tiny, perfect(tiny)[1:]).report(limit=30)
    assert "false negatives (1)" in report and "4.5亿元" in report


@pytest.mark.parametrize(
    ("context", "text", "message"),
    [
        ("资金4.6亿元", "4.6亿元", "not found"),
        ("亿元", "亿元", "not unique"),
        ("资金4.5亿元", "17亿元", "exactly once"),
    ],
)
def test_bad_contexts_raise_clear_errors(context: str, text: str, message: str) -> None:
    with pytest.raises(GoldError, match=message):
        resolve_context(RAW, context, text)


def test_context_must_not_cross_a_blank_line() -> None:
    with pytest.raises(GoldError, match="blank line"):
        resolve_context("前文\n\n三年来", "文\n\n三年", "三年")


# ---------------------------------------------------------------- the real gold files


def load(article_id: str) -> tuple[str, Gold]:
    raw = (ARTICLES / f"{article_id}.txt").read_text(encoding="utf-8")
    return raw, load_gold(GOLD_DIR / f"{article_id}.yaml", raw)


@pytest.mark.parametrize("article_id", ARTICLE_IDS)
def test_gold_contexts_resolve(article_id: str) -> None:
    raw, gold = load(article_id)  # raises GoldError on any missing / ambiguous context
    assert gold.article_id == article_id
    assert gold.mentions and gold.traps
    for item in (*gold.mentions, *gold.traps):
        assert raw[item.start : item.end] == item.text
        assert "\n\n" not in item.context


@pytest.mark.parametrize("article_id", ARTICLE_IDS)
def test_gold_mentions_are_in_text_order_and_do_not_overlap(article_id: str) -> None:
    _, gold = load(article_id)
    starts = [m.start for m in gold.mentions]
    assert starts == sorted(starts), "mentions must be listed in text order"
    for a, b in zip(gold.mentions, gold.mentions[1:], strict=False):
        assert a.end <= b.start, f"overlap: {a.text!r}@{a.start} and {b.text!r}@{b.start}"


@pytest.mark.parametrize("article_id", ARTICLE_IDS)
def test_no_gold_mention_overlaps_a_trap(article_id: str) -> None:
    _, gold = load(article_id)
    for m in gold.mentions:
        for t in gold.traps:
            assert not (m.start < t.end and t.start < m.end), (
                f"mention {m.text!r}@{m.start} overlaps trap {t.text!r}@{t.start}"
            )
    spans = sorted(t.span for t in gold.traps)
    assert len(spans) == len(set(spans)), "a trap is listed twice"


@pytest.mark.parametrize("article_id", ARTICLE_IDS)
def test_every_numeral_is_a_mention_or_a_trap(article_id: str) -> None:
    raw, gold = load(article_id)
    covered: set[int] = set()
    for item in (*gold.mentions, *gold.traps):
        covered.update(range(item.start, item.end))
    missing = [
        f"{m.group()!r}@{m.start()} in {raw[max(0, m.start() - 6) : m.end() + 6]!r}"
        for m in NUMERAL.finditer(raw)
        if m.start() not in covered
    ]
    assert not missing, "numerals in neither a mention nor a trap:\n" + "\n".join(missing)


@pytest.mark.parametrize("article_id", ARTICLE_IDS)
def test_gold_fields_follow_the_conventions(article_id: str) -> None:
    _, gold = load(article_id)
    for m in gold.mentions:
        label = f"{m.text!r}@{m.start}"
        assert m.kind in KINDS and m.qualifier in QUALIFIERS, label
        if m.kind == "date":
            assert isinstance(m.value, str) and re.fullmatch(r"\d{4}(-\d\d){0,2}", m.value), label
            assert m.lower is None and m.upper is None and m.unit is None, label
            assert m.qualifier == "exact", label
        elif m.kind == "range":
            assert m.value is None and m.lower is not None and m.upper is not None, label
            assert m.lower < m.upper and m.qualifier == "exact", label
        elif m.qualifier == "exact":
            assert m.lower == m.value == m.upper, label
        elif m.qualifier == "over":
            assert m.lower == m.value and (m.upper is None or m.upper > m.value), label
        elif m.qualifier == "near":
            assert m.lower is None and m.upper == m.value, label
        else:  # approx
            assert m.lower is None and m.upper is None, label
        if m.kind == "percent":
            assert m.unit in ("%", "百分点"), label


def test_gold_files_name_their_articles() -> None:
    for article_id in ARTICLE_IDS:
        data = yaml.safe_load((GOLD_DIR / f"{article_id}.yaml").read_text(encoding="utf-8"))
        assert data["article_id"] == article_id


def test_gold_dataclasses_expose_spans() -> None:
    m = GoldMention(1, 3, "三年", "duration", 3.0, 3.0, 3.0, "年", "exact", "三年来")
    t = GoldTrap(5, 7, "两地", "noun", "两地群众")
    assert m.span == (1, 3) and t.span == (5, 7)
