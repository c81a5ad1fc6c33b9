"""The long tail of quantity forms (docs/quantity-conventions.md, "The long tail").

One section per class of forms: approximate pairs (三四十人), administrative units (12县市),
open measure words (160万锭), bare magnitudes and 数 (万人次以上, 数万元), the qualifier
vocabulary (突破, 不足, 上下, 开外), 近 = "recent" (近三年来) and the bounds of 多/余.

Every sentence here is made up for the purpose and every expected value worked out by
hand from the conventions; the property tests compute their expectations with plain
integer arithmetic, independent of the extractor.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidstats import Quantity, extract_quantities
from aidstats.extract_lexicon import UNITS

PUB = dt.date(2023, 3, 1)


def mention(text: str, span: str) -> Quantity:
    """The one mention whose text is ``span``; fails if there is none or several."""
    found = [q for q in extract_quantities(text, published=PUB) if q.text == span]
    assert len(found) == 1, (span, extract_quantities(text, published=PUB))
    q = found[0]
    assert text[q.start : q.end] == span
    return q


def fields(q: Quantity) -> tuple:
    return (q.kind, q.value, q.lower, q.upper, q.unit, q.qualifier)


def overlapping(text: str, part: str) -> list[Quantity]:
    """The mentions that overlap ``part`` of ``text`` (a trap: there must be none)."""
    start = text.index(part)
    end = start + len(part)
    return [q for q in extract_quantities(text, published=PUB) if q.start < end and start < q.end]


# --------------------------------------------------------------------------- 1. pairs

# (sentence, mention, lower, upper, unit): kind range, value null, qualifier approx
PAIRS = [
    ("招收了五六十个学员。", "五六十个", 50, 60, "个"),
    ("每户收入增加两三千元。", "两三千元", 2000, 3000, "元"),
    ("培训四五百人次。", "四五百人次", 400, 500, "人次"),
    ("户均增收一两万元。", "一两万元", 10_000, 20_000, "元"),
    ("孩子们只有十三四岁。", "十三四岁", 13, 14, "岁"),
    ("一共来了一百二三十人。", "一百二三十人", 120, 130, "人"),
    ("前后用了三四个月。", "三四个月", 3, 4, "月"),
    ("改造了八九百亩果园。", "八九百亩", 800, 900, "亩"),
    ("粉丝已有六七万。", "六七万", 60_000, 70_000, None),
    ("产值达二三十亿元。", "二三十亿元", 2_000_000_000, 3_000_000_000, "元"),
]


@pytest.mark.parametrize(("sentence", "span", "lower", "upper", "unit"), PAIRS)
def test_approximate_pairs(sentence, span, lower, upper, unit) -> None:
    assert fields(mention(sentence, span)) == ("range", None, lower, upper, unit, "approx")


def test_pair_keeps_a_preceding_approx_word_in_its_span() -> None:
    q = mention("大约七八成的农户参加。", "大约七八成")
    assert fields(q) == ("range", None, 70, 80, "%", "approx")


PAIR_TRAPS = [
    ("编制十四五规划。", "十四五"),
    ("心里七上八下。", "七上八下"),
    ("游客三五成群。", "三五成群"),
    ("一五一十地说。", "一五一十"),
    ("村民三三两两地来了。", "三三两两"),
    ("结果八九不离十。", "八九不离十"),
    ("十之八九能成。", "十之八九"),
    ("屋里乱七八糟。", "乱七八糟"),
    ("上世纪五六十年代。", "五六十年代"),
    ("每年三四月份。", "三四月"),
    ("第三四批干部。", "第三四批"),
    ("数着一二三四。", "一二三四"),
]


@pytest.mark.parametrize(("sentence", "trap"), PAIR_TRAPS)
def test_idioms_and_names_are_no_pairs(sentence, trap) -> None:
    assert overlapping(sentence, trap) == []


DIGITS = "一二三四五六七八九"
MAGS = {"十": 10, "百": 100, "千": 1000, "万": 10_000}


@settings(max_examples=150, deadline=None)
@given(
    a=st.integers(min_value=1, max_value=8),
    mag=st.sampled_from(list(MAGS)),
    unit=st.sampled_from(["人", "元", "亩", "个", "名", "吨"]),
)
def test_any_ascending_pair_before_a_magnitude_is_an_approx_range(a, mag, unit) -> None:
    numeral = DIGITS[a - 1] + DIGITS[a] + mag
    (q,) = extract_quantities(f"共有{numeral}{unit}。")
    assert (q.text, q.kind, q.value, q.unit, q.qualifier) == (
        numeral + unit,
        "range",
        None,
        unit,
        "approx",
    )
    # the bounds bracket both readings (a and a+1 of the magnitude), and are exactly them
    assert q.lower <= a * MAGS[mag] and q.upper >= (a + 1) * MAGS[mag]
    assert (q.lower, q.upper) == (a * MAGS[mag], (a + 1) * MAGS[mag])


@settings(max_examples=60, deadline=None)
@given(a=st.integers(min_value=1, max_value=8))
def test_pair_after_ten_is_in_the_teens(a) -> None:
    (q,) = extract_quantities(f"孩子们十{DIGITS[a - 1]}{DIGITS[a]}岁。")
    assert (q.kind, q.lower, q.upper, q.unit) == ("range", 10 + a, 11 + a, "岁")


# --------------------------------------------------------------------------- 2. admin units


ADMIN = [
    ("辐射5县市。", "5县市", 5, "县市"),
    ("惠及14乡镇。", "14乡镇", 14, "乡镇"),
    ("覆盖全区7县区，", "7县区", 7, "县区"),
    ("在全州9地市推广。", "9地市", 9, "地市"),
    ("全市8个县区参加。", "8个", 8, "个"),  # with 个 the span ends at the measure word
    ("兵团共有14个师。", "14个", 14, "个"),
    ("新建5个团场。", "5个", 5, "个"),
]


@pytest.mark.parametrize(("sentence", "span", "value", "unit"), ADMIN)
def test_administrative_units(sentence, span, value, unit) -> None:
    assert fields(mention(sentence, span)) == ("amount", value, value, value, unit, "exact")


def test_one_city_two_counties_are_two_mentions() -> None:
    qs = extract_quantities("试点在3乡2镇展开。")
    assert [(q.text, q.value, q.unit) for q in qs] == [("3乡", 3, "乡"), ("2镇", 2, "镇")]


ADMIN_TRAPS = [
    ("兵团第二师开展活动。", "第二师"),
    ("兵团十三师的职工。", "十三师"),
    ("农八师石河子市。", "八师"),
    ("170团的职工。", "170团"),
    ("一市两县联动。", "一市两县"),
    ("推进一县一品。", "一县一品"),
    ("该市市民参与。", "市民"),
]


@pytest.mark.parametrize(("sentence", "trap"), ADMIN_TRAPS)
def test_unit_names_and_chinese_counts_of_divisions_stay_out(sentence, trap) -> None:
    assert overlapping(sentence, trap) == []


# --------------------------------------------------------------------------- 3. open units


OPEN = [
    ("发放帐篷800顶。", "800顶", 800, "顶"),
    ("捐赠口罩5万枚、消毒液2000瓶。", "5万枚", 50_000, "枚"),
    ("新装防盗门300扇和路灯。", "300扇", 300, "扇"),
    ("出土文物12尊。", "12尊", 12, "尊"),
    ("新增纱锭20万锭，", "20万锭", 200_000, "锭"),
    ("发放种子三万颗。", "三万颗", 30_000, "颗"),
]


@pytest.mark.parametrize(("sentence", "span", "value", "unit"), OPEN)
def test_open_measure_words(sentence, span, value, unit) -> None:
    assert unit not in UNITS, "the test must exercise a word the lexicon lacks"
    assert fields(mention(sentence, span)) == ("amount", value, value, value, unit, "exact")


def test_open_measure_word_takes_a_trailing_qualifier() -> None:
    q = mention("发放帐篷800顶以上。", "800顶以上")
    assert fields(q) == ("amount", 800, 800, None, "顶", "over")


OPEN_TRAPS = [
    ("升级为2.0版。", "2.0版"),
    ("跻身500强，", "500强"),
    ("80后，返乡创业。", "80后"),
    ("住在3号，", "3号"),
    ("乘坐8路。", "8路"),
    ("全部打5折。", "5折"),
    ("促进三交。", "三交"),
    ("考上985高校。", "985高校"),
]


@pytest.mark.parametrize(("sentence", "trap"), OPEN_TRAPS)
def test_function_words_and_labels_are_no_units(sentence, trap) -> None:
    assert overlapping(sentence, trap) == []


def test_a_noun_after_a_magnitude_is_no_unit() -> None:
    # the first character of a noun does not end the phrase: unit null, span 300万
    q = mention("账号有300万粉丝。", "300万")
    assert fields(q) == ("amount", 3_000_000, 3_000_000, 3_000_000, None, "exact")


# --------------------------------------------------------------------------- 4. magnitudes


BARE = [
    # (sentence, mention, value, lower, upper, unit, qualifier)
    ("受益群众千人以上。", "千人以上", 1000, 1000, None, "人", "over"),
    ("种植万亩以上。", "万亩以上", 10_000, 10_000, None, "亩", "over"),
    ("吸引上千名游客。", "上千名", 1000, 1000, None, "名", "over"),
    ("帮扶万余户。", "万余户", 10_000, 10_000, 20_000, "户", "over"),
    ("培训百余场。", "百余场", 100, 100, 200, "场", "over"),
    ("参加人数百余人。", "百余人", 100, 100, 200, "人", "over"),  # 人数 is a noun
]


@pytest.mark.parametrize(("sentence", "span", "value", "lower", "upper", "unit", "qualifier"), BARE)
def test_bare_magnitudes(sentence, span, value, lower, upper, unit, qualifier) -> None:
    assert fields(mention(sentence, span)) == ("amount", value, lower, upper, unit, qualifier)


SEVERAL = [
    ("引进数十家企业。", "数十家", 20, 100, "家"),
    ("投入数百万元。", "数百万元", 2_000_000, 10_000_000, "元"),
    ("开垦数千亩荒地。", "数千亩", 2000, 10_000, "亩"),
    ("带动数亿元投资。", "数亿元", 200_000_000, 1_000_000_000, "元"),
    ("吸引游客数万人次。", "数万人次", 20_000, 100_000, "人次"),
    ("约数百家商户入驻。", "约数百家", 200, 1000, "家"),  # 约 goes with the guess
]


@pytest.mark.parametrize(("sentence", "span", "lower", "upper", "unit"), SEVERAL)
def test_several_of_a_magnitude(sentence, span, lower, upper, unit) -> None:
    assert fields(mention(sentence, span)) == ("range", None, lower, upper, unit, "approx")


@pytest.mark.parametrize(
    ("sentence", "trap"),
    [("数以万计的群众。", "数以万计"), ("参加人数十万", "人数十万"), ("十城百店", "十城百店")],
)
def test_several_traps(sentence, trap) -> None:
    assert overlapping(sentence, trap) == []


# --------------------------------------------------------------------------- 5. qualifiers


QUALIFIERS = [
    # (sentence, mention, value, lower, upper, unit, qualifier)
    ("投资突破3亿元。", "突破3亿元", 300_000_000, 300_000_000, None, "元", "over"),
    ("每村至少两个项目。", "至少两个", 2, 2, None, "个", "over"),
    ("覆盖率不低于60%。", "不低于60%", 60, 60, None, "%", "over"),
    ("培训不少于20天。", "不少于20天", 20, 20, None, "天", "over"),
    ("库存不足三成。", "不足三成", 30, None, 30, "%", "near"),
    ("不到1万人报名。", "不到1万人", 10_000, None, 10_000, "人", "near"),
    ("合格率近乎90%。", "近乎90%", 90, None, 90, "%", "near"),
    ("每次不高于500元。", "不高于500元", 500, None, 500, "元", "near"),
    ("每批30吨上下。", "30吨上下", 30, None, None, "吨", "approx"),
    ("老人六十开外。", "六十开外", 60, 60, None, None, "over"),
    ("老人们70岁开外。", "70岁开外", 70, 70, None, "岁", "over"),
    # verbs are not in the span
    ("收入达到500万元。", "500万元", 5_000_000, 5_000_000, 5_000_000, "元", "exact"),
    ("累计达1.2亿元。", "1.2亿元", 120_000_000, 120_000_000, 120_000_000, "元", "exact"),
    ("累计超3万人次。", "超3万人次", 30_000, 30_000, None, "人次", "over"),
]


@pytest.mark.parametrize(
    ("sentence", "span", "value", "lower", "upper", "unit", "qualifier"), QUALIFIERS
)
def test_qualifier_vocabulary(sentence, span, value, lower, upper, unit, qualifier) -> None:
    q = mention(sentence, span)
    assert (q.value, q.lower, q.upper, q.unit, q.qualifier) == (
        value,
        lower,
        upper,
        unit,
        qualifier,
    )


@pytest.mark.parametrize(
    ("sentence", "span"),
    [("带动300家上下游企业。", "300家"), ("真是意想不到3个人都来了。", "3个")],
)
def test_qualifier_words_inside_other_words(sentence, span) -> None:
    assert mention(sentence, span).qualifier == "exact"


# --------------------------------------------------------------------------- 6. recent


RECENT = [
    ("近两年来，村里变了。", "两年", 2, "年"),
    ("近10年间，人口翻番。", "10年", 10, "年"),
    ("近5年内完成。", "5年", 5, "年"),
    ("近三个月以来，销量上升。", "三个月", 3, "月"),
    ("全县上下，近4年累计投入。", "4年", 4, "年"),  # 近 opens the clause
    ("在近3年的工作中。", "3年", 3, "年"),
]


@pytest.mark.parametrize(("sentence", "span", "value", "unit"), RECENT)
def test_recent_is_no_qualifier(sentence, span, value, unit) -> None:
    assert fields(mention(sentence, span)) == ("duration", value, value, value, unit, "exact")


NEARLY = [
    ("工程持续近3年。", "近3年", 3, "年", "duration"),
    ("新增近3000人。", "近3000人", 3000, "人", "amount"),
    ("新增近百家。", "近百家", 100, "家", "amount"),
]


@pytest.mark.parametrize(("sentence", "span", "value", "unit", "kind"), NEARLY)
def test_nearly_keeps_its_qualifier(sentence, span, value, unit, kind) -> None:
    assert fields(mention(sentence, span)) == (kind, value, None, value, unit, "near")


@pytest.mark.parametrize("sentence", ["近年来，变化很大。", "近期将开工。", "近日，记者获悉。"])
def test_recent_words_without_a_number_are_nothing(sentence) -> None:
    assert extract_quantities(sentence, published=PUB) == []


# --------------------------------------------------------------------------- from the evaluation


@pytest.mark.parametrize(
    ("sentence", "span", "iso"),
    [
        ("金秋十月，硕果累累。", "十月", "2023-10"),
        ("四月的喀什。", "四月", "2023-04"),
        ("十二月五日开幕。", "十二月五日", "2023-12-05"),
        ("2022年十一月竣工。", "2022年十一月", "2022-11"),
    ],
)
def test_months_in_chinese_numerals_are_dates(sentence, span, iso) -> None:
    assert fields(mention(sentence, span)) == ("date", iso, None, None, None, "exact")


@pytest.mark.parametrize(
    ("sentence", "trap"),
    [
        ("一日三餐。", "一日"),
        ("休整两月。", "两月"),
        ("用了一月。", "一月"),
        ("七八月份。", "七八月"),
    ],
)
def test_chinese_days_and_ambiguous_months_are_no_dates(sentence, trap) -> None:
    assert [q for q in overlapping(sentence, trap) if q.kind == "date"] == []


@pytest.mark.parametrize(
    ("sentence", "span", "unit"),
    [
        ("结成帮扶对子45对，", "45对", "对"),
        ("发生事故3起。", "3起", "起"),
        ("提出建议5点；", "5点", "点"),
    ],
)
def test_counters_that_are_also_function_words(sentence, span, unit) -> None:
    q = mention(sentence, span)
    assert (q.kind, q.unit, q.qualifier) == ("amount", unit, "exact")


def test_one_to_one_is_no_count() -> None:
    assert overlapping("开展1对1帮扶。", "1对1") == []


@pytest.mark.parametrize(
    ("sentence", "quote"),
    [
        ("“两年援疆路，一世天山情。”这是干部们的心声。", "两年援疆路，一世天山情。"),
        ("「一户一策，一村一品，三年见效」的思路。", "一户一策，一村一品，三年见效"),
        ("“一人援疆，全家援疆。”", "一人援疆，全家援疆。"),
    ],
)
def test_quoted_couplets_are_slogans(sentence, quote) -> None:
    assert overlapping(sentence, quote) == []


@pytest.mark.parametrize(
    ("sentence", "spans"),
    [
        ("他说：“两年援疆路，一世天山情。”", ["两年"]),  # after a colon: speech
        ("“种植3000亩，增收20万。”", ["3000亩", "20万"]),  # clauses of unequal length
    ],
)
def test_speech_keeps_its_figures(sentence, spans) -> None:
    assert [q.text for q in extract_quantities(sentence, published=PUB)] == spans


# --------------------------------------------------------------------------- 7. 多/余


PLUS = [
    # (sentence, mention, lower, upper): one unit of the last non-zero digit
    ("接待三十余批。", "三十余批", 30, 40),
    ("培训三百余人。", "三百余人", 300, 400),
    ("建成3百余座。", "3百余座", 300, 400),
    ("引进两千多名。", "两千多名", 2000, 3000),
    ("救治三万余人。", "三万余人", 30_000, 40_000),
    ("救治3万余人。", "3万余人", 30_000, 40_000),
    ("救治12万余人。", "12万余人", 120_000, 130_000),
    ("服务2.3万余人次。", "2.3万余人次", 23_000, 24_000),
    ("完成3亿余元。", "3亿余元", 300_000_000, 400_000_000),
    ("完成1.25亿多元。", "1.25亿多元", 125_000_000, 126_000_000),
    ("投入20多万元。", "20多万元", 200_000, 300_000),
    ("投入二十多万元。", "二十多万元", 200_000, 300_000),
    ("接待十余万人次。", "十余万人次", 100_000, 200_000),
]


@pytest.mark.parametrize(("sentence", "span", "lower", "upper"), PLUS)
def test_duo_yu_bounds_at_every_magnitude(sentence, span, lower, upper) -> None:
    q = mention(sentence, span)
    assert (q.kind, q.value, q.lower, q.upper, q.qualifier) == (
        "amount",
        lower,
        lower,
        upper,
        "over",
    )


def last_digit_step(n: int) -> int:
    """10 to the power of the trailing zeros of n (test oracle: integer arithmetic)."""
    step = 1
    while n % (step * 10) == 0:
        step *= 10
    return step


@settings(max_examples=200, deadline=None)
@given(
    digits=st.integers(min_value=1, max_value=9999),
    mag=st.sampled_from([("", 1), ("万", 10_000), ("亿", 100_000_000)]),
    plus=st.sampled_from(["多", "余"]),
    where=st.sampled_from(["before", "after"]),
)
def test_duo_yu_upper_is_the_same_rule_for_every_magnitude(digits, mag, plus, where) -> None:
    """N多万 and N万多 alike: upper = value + one unit of the last non-zero digit."""
    word, scale = mag
    numeral = f"{digits}{plus}{word}" if where == "before" else f"{digits}{word}{plus}"
    (q,) = extract_quantities(f"共计{numeral}名。")
    value = digits * scale
    assert (q.text, q.value, q.lower, q.upper, q.qualifier) == (
        numeral + "名",
        value,
        value,
        value + last_digit_step(value),
        "over",
    )
