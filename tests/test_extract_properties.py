"""Property tests of the quantity extractor (hypothesis).

For any string: no exception; offsets valid with ``text[start:end] == q.text``; mentions
sorted and non-overlapping; fields from the fixed vocabularies; bounds consistent with
the qualifier.  Text is drawn both from all of Unicode and from an alphabet dense in the
characters the extractor reacts to (digits, Chinese numerals, units, qualifiers, quotes,
range marks), where the rules interact most.
"""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aidstats import Quantity, extract_quantities

KINDS = {"amount", "percent", "ratio", "range", "duration", "date"}
QUALIFIERS = {"exact", "over", "near", "approx"}

PIECES = [
    *"0123456789０１２３４５６７８９.,．:：",
    *"〇零一二三四五六七八九两十百千万亿半壹伍",
    "多",
    "余",
    "以上",
    "左右",
    "超",
    "超过",
    "近",
    "将近",
    "约",
    "大约",
    "逾",
    "上",
    "不",
    "第",
    "首",
    "数",
    "突破",
    "至少",
    "不足",
    "不到",
    "不低于",
    "近乎",
    "上下",
    "开外",
    "来",
    "以来",
    "县",
    "市",
    "乡镇",
    "锭",
    "盏",
    "团",
    "师",
    *"元吨亩名人个家所户头只座台项场次节期张套字年月日天岁倍成",
    "%",
    "％",
    "小时",
    "平方米",
    "人次",
    "批次",
    "个月",
    "百分点",
    "周年",
    "日日夜夜",
    "百分之",
    "去年",
    "今年",
    "同年",
    "前年",
    "明年",
    "次年",
    "底",
    "号",
    *"至到—-~和、及与或",
    *'“”‘’《》「」"',
    *"，。；！？,;\n ",
    *"的了是在地城店校区大中师G+X",
]

dense_text = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
any_text = st.text(max_size=200)
published = st.one_of(
    st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
)


def check_invariants(text: str, qs: list[Quantity]) -> None:
    assert isinstance(qs, list)
    prev_end = 0
    for q in qs:
        assert isinstance(q, Quantity)
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == q.text
        assert q.start >= prev_end, "mentions overlap or are out of order"
        prev_end = q.end
        assert q.kind in KINDS
        assert q.qualifier in QUALIFIERS
        assert q.unit is None or (isinstance(q.unit, str) and q.unit)
        for bound in (q.lower, q.upper):
            assert bound is None or (isinstance(bound, int | float) and math.isfinite(bound))
        if q.kind == "date":
            assert q.value is None or isinstance(q.value, str)
            assert q.lower is None and q.upper is None and q.unit is None
            assert q.qualifier == "exact"
        elif q.kind == "range":
            assert q.value is None
            assert q.lower is not None and q.upper is not None and q.lower <= q.upper
        else:
            assert isinstance(q.value, int | float) and math.isfinite(q.value)
            if q.qualifier == "exact":
                assert q.lower == q.value == q.upper
            elif q.qualifier == "over":
                assert q.lower == q.value and (q.upper is None or q.upper > q.value)
            elif q.qualifier == "near":
                assert q.lower is None and q.upper == q.value
            else:
                assert q.lower is None and q.upper is None
        assert set(q.to_dict()) == {
            "start",
            "end",
            "text",
            "kind",
            "value",
            "lower",
            "upper",
            "unit",
            "qualifier",
        }


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=any_text, pub=published)
def test_any_string(text: str, pub: dt.date | None) -> None:
    check_invariants(text, extract_quantities(text, published=pub))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=dense_text, pub=published)
def test_dense_numeric_text(text: str, pub: dt.date | None) -> None:
    check_invariants(text, extract_quantities(text, published=pub))


@settings(max_examples=300, deadline=None)
@given(text=dense_text, prefix=any_text, suffix=any_text)
def test_deterministic_and_local(text: str, prefix: str, suffix: str) -> None:
    """The same call gives the same answer (the analysis cache keeps no state between
    calls), and a text set between other paragraphs keeps its mentions: same spans
    (shifted), kinds, units, qualifiers and, dates aside, values."""
    assume("《" not in prefix)  # an unclosed title mark may run on into the next paragraph
    pub = dt.date(2022, 1, 1)
    alone = extract_quantities(text, published=pub)
    assert alone == extract_quantities(text, published=pub)
    joined = prefix + "。\n\n" + text + "。\n\n" + suffix
    shift = len(prefix) + 3
    inside = [
        q
        for q in extract_quantities(joined, published=pub)
        if shift <= q.start and q.end <= shift + len(text)
    ]
    check_invariants(joined, inside)

    def key(q: Quantity, offset: int) -> tuple:
        value = None if q.kind == "date" else q.value
        return (q.start - offset, q.end - offset, q.kind, q.unit, q.qualifier, value)

    assert [key(q, shift) for q in inside] == [key(q, 0) for q in alone]


@settings(max_examples=300, deadline=None)
@given(text=dense_text, others=st.lists(dense_text, max_size=5))
def test_analysis_cache_is_invisible(text: str, others: list[str]) -> None:
    """The per-window analysis cache never changes a result: a cold cache and a cache
    warmed on other texts give the same mentions."""
    from aidstats import extract as extract_module

    pub = dt.date(2022, 1, 1)
    extract_module._CACHE.clear()
    cold = extract_quantities(text, published=pub)
    extract_module._CACHE.clear()
    for other in others:
        extract_quantities(other, published=pub)
        extract_quantities(other + text + other, published=pub)
    assert extract_quantities(text, published=pub) == cold


@settings(max_examples=200, deadline=None)
@given(
    number=st.integers(min_value=1, max_value=10**12),
    unit=st.sampled_from(["元", "吨", "名", "个", "亩", "人次", "平方米"]),
)
def test_plain_arabic_counts_read_back(number: int, unit: str) -> None:
    text = f"共计{number}{unit}。"
    qs = extract_quantities(text)
    assert len(qs) == 1
    q = qs[0]
    assert (q.text, q.kind, q.value, q.unit, q.qualifier) == (
        f"{number}{unit}",
        "amount",
        number,
        unit,
        "exact",
    )


@settings(max_examples=200, deadline=None)
@given(number=st.integers(min_value=1, max_value=99_999), plus=st.sampled_from(["多", "余"]))
def test_duo_yu_upper_is_one_unit_of_the_last_nonzero_digit(number: int, plus: str) -> None:
    text = f"共计{number}{plus}名。"
    (q,) = extract_quantities(text)
    digits = str(number).rstrip("0")
    step = 10 ** (len(str(number)) - len(digits))
    assert (q.value, q.lower, q.upper, q.qualifier) == (number, number, number + step, "over")


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_read_back(n: int) -> None:
    numeral = to_chinese(n)
    # a lone 一 is the indefinite article (一座); a bare 十 or 十万 is a name
    assume(numeral != "一" and any(ch not in "十百千万" for ch in numeral))
    text = f"建成{numeral}座大棚。"
    (q,) = extract_quantities(text)
    assert (q.value, q.unit) == (n, "座")


def to_chinese(n: int) -> str:
    """A standard Chinese numeral for 1 <= n < 10**8 (test oracle, written separately)."""
    digits = "零一二三四五六七八九"

    def below_10000(x: int, leading: bool) -> str:
        out = []
        zero = False
        for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // value
            x %= value
            if d:
                if zero:
                    out.append("零")
                    zero = False
                if not (value == 10 and d == 1 and not out and leading):
                    out.append(digits[d])
                out.append(name)
            elif out:
                zero = True
        return "".join(out)

    high, low = divmod(n, 10_000)
    if not high:
        return below_10000(low, True)
    s = below_10000(high, True) + "万"
    if low:
        if low < 1000:
            s += "零"
        s += below_10000(low, False)
    return s
