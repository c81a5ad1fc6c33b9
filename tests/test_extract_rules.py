"""Rule-by-rule tests of the quantity extractor (docs/quantity-conventions.md).

Every expected value below is worked out by hand from the conventions, mostly on
sentences made up for the purpose, not copied from the extractor's output.  A case names
the mention by its text (unique in the sentence) and gives kind, value, lower, upper,
unit and qualifier.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from aidstats import Quantity, extract_quantities

PUB = dt.date(2022, 6, 15)  # relative dates below resolve against 2022


def mention(text: str, span: str, published: dt.date | None = PUB) -> Quantity:
    """The one mention whose text is ``span``; fails if there is none or several."""
    found = [q for q in extract_quantities(text, published=published) if q.text == span]
    assert len(found) == 1, (span, extract_quantities(text, published=published))
    q = found[0]
    assert text[q.start : q.end] == span
    return q


def fields(q: Quantity) -> tuple:
    return (q.kind, q.value, q.lower, q.upper, q.unit, q.qualifier)


def texts(text: str, published: dt.date | None = PUB) -> list[str]:
    return [q.text for q in extract_quantities(text, published=published)]


# exact amounts: (sentence, mention, value, unit); lower = upper = value
AMOUNTS = [
    # Arabic numerals, decimals, thousands separators, full-width digits
    ("项目总投资1,250万元，当年完工。", "1,250万元", 12_500_000, "元"),
    ("全校共有１２３名学生。", "１２３名", 123, "名"),
    ("新建校舍3.5万平方米。", "3.5万平方米", 35_000, "平方米"),
    ("投入援疆资金4.5亿元。", "4.5亿元", 450_000_000, "元"),
    ("培育19.35万名学员。", "19.35万名", 193_500, "名"),
    ("年产棉花16万吨。", "16万吨", 160_000, "吨"),
    ("种植红枣3000亩。", "3000亩", 3000, "亩"),
    ("完成手术1827台。", "1827台", 1827, "台"),
    ("惠及群众3.6万人次。", "3.6万人次", 36_000, "人次"),
    ("先后组织6批次培训。", "6批次", 6, "批次"),
    ("分红2.9万元。", "2.9万元", 29_000, "元"),
    ("装机110千伏。", "110千伏", 110, "千伏"),
    # Chinese numerals
    ("全县共有三十五所学校。", "三十五所", 35, "所"),
    ("招收一万二千名学生。", "一万二千名", 12_000, "名"),
    ("落实两亿元资金。", "两亿元", 200_000_000, "元"),
    ("活动已进行三期。", "三期", 3, "期"),
    ("建成一百零五座大棚。", "一百零五座", 105, "座"),
    ("组建两支服务队。", "两支", 2, "支"),
    ("三亿五千万元用于建设。", "三亿五千万元", 350_000_000, "元"),
    # a measure word followed by a noun: the noun is not in the span
    ("建成17个重大民生项目。", "17个", 17, "个"),
    ("在全县11个村试点。", "11个", 11, "个"),
    # a repeated or bracketed unit is not in the span
    ("共有116人次(次)获奖。", "116人次", 116, "人次"),
    # a bare number at the end of a clause: no unit
    ("增长到1000，", "1000", 1000, None),
]

OVER_WITH_PLUS = [
    # 多/余: lower = value, upper = value + one unit of the last non-zero digit
    ("选派70余名干部。", "70余名", 70, 80, "名"),
    ("满载6000多万元货物。", "6000多万元", 60_000_000, 70_000_000, "元"),
    ("共接诊37680余人次。", "37680余人次", 37_680, 37_690, "人次"),
    ("新增1万多个岗位。", "1万多个", 10_000, 20_000, "个"),
    ("产量5亿多斤。", "5亿多斤", 500_000_000, 600_000_000, "斤"),
    ("减免费用250余万元。", "250余万元", 2_500_000, 2_600_000, "元"),
    ("建成冷库2万余平方米。", "2万余平方米", 20_000, 30_000, "平方米"),
    ("招引十余家企业。", "十余家", 10, 20, "家"),
    ("结亲百余户。", "百余户", 100, 200, "户"),
    ("选派140多名教师。", "140多名", 140, 150, "名"),
    ("奔赴10多个省市。", "10多个", 10, 20, "个"),
    ("编写十余万字的教材。", "十余万字", 100_000, 200_000, "字"),
    ("招募3千余名志愿者。", "3千余名", 3000, 4000, "名"),
    ("投入1.5万多元。", "1.5万多元", 15_000, 16_000, "元"),
]

PERCENTS = [
    ("占比达91.7%。", "91.7%", "percent", 91.7, 91.7, 91.7, "%", "exact"),
    ("同比增长103%。", "103%", "percent", 103, 103, 103, "%", "exact"),
    ("八成群众表示满意。", "八成", "percent", 80, 80, 80, "%", "exact"),
    ("六成以上的农户增收。", "六成以上", "percent", 60, 60, None, "%", "over"),
    ("高出5个百分点。", "5个百分点", "percent", 5, 5, 5, "百分点", "exact"),
    ("百分之三十的学生参加。", "百分之三十", "percent", 30, 30, 30, "%", "exact"),
    ("全角符号３５％也能读。", "３５％", "percent", 35, 35, 35, "%", "exact"),
    # 最低 is not a qualifier
    ("每年最低获得8%的收益。", "8%", "percent", 8, 8, 8, "%", "exact"),
]

RATIOS = [
    ("按1:1配套资金。", "1:1", "ratio", 1.0, 1.0, 1.0, None, "exact"),
    ("按3:2的比例分配。", "3:2", "ratio", 1.5, 1.5, 1.5, None, "exact"),
    ("收入增长了2倍。", "2倍", "ratio", 2, 2, 2, "倍", "exact"),
    ("产值提高1.5倍。", "1.5倍", "ratio", 1.5, 1.5, 1.5, "倍", "exact"),
    ("效率提高两倍。", "两倍", "ratio", 2, 2, 2, "倍", "exact"),
    ("游客是去年同期的2倍多。", "2倍多", "ratio", 2, 2, 3, "倍", "over"),
    ("增长了3倍多次", "3倍", "ratio", 3, 3, 3, "倍", "exact"),  # 多次: many times
]

RANGES = [
    ("为0至18岁的儿童筛查。", "0至18岁", 0, 18, "岁"),
    ("受益人数在1.5万至2万名之间。", "1.5万至2万名", 15_000, 20_000, "名"),
    ("单价1.5至2万元。", "1.5至2万元", 15_000, 20_000, "元"),
    ("比例为20%—30%。", "20%—30%", 20, 30, "%"),
    ("工期3-5年。", "3-5年", 3, 5, "年"),
    ("需要三至五年。", "三至五年", 3, 5, "年"),
    ("1至10月，销售额增长。", "1至10月", 1, 10, "月"),
]

DURATIONS = [
    ("三年来，成效显著。", "三年", 3, 3, 3, "年", "exact"),
    ("这里10年前还是荒地。", "10年", 10, 10, 10, "年", "exact"),
    ("实现6个月建成。", "6个月", 6, 6, 6, "月", "exact"),
    ("21天全部点亮。", "21天", 21, 21, 21, "天", "exact"),
    ("运输时效缩短36小时。", "36小时", 36, 36, 36, "小时", "exact"),
    ("用半年时间编写。", "半年", 0.5, 0.5, 0.5, "年", "exact"),
    ("历时三年半。", "三年半", 3.5, 3.5, 3.5, "年", "exact"),
    ("计划用3年时间。", "3年", 3, 3, 3, "年", "exact"),
    ("奋斗了1000多个日日夜夜。", "1000多个日日夜夜", 1000, 1000, 2000, "日", "over"),
    ("休整了一个多月。", "一个多月", 1, 1, 2, "月", "over"),
    ("讨论了两个半小时。", "两个半小时", 2.5, 2.5, 2.5, "小时", "exact"),
    ("坚守了3年多。", "3年多", 3, 3, 4, "年", "over"),
    ("近十年来变化很大。", "十年", 10, 10, 10, "年", "exact"),  # 近 = "recent"
    ("十年来坚持不懈。", "十年", 10, 10, 10, "年", "exact"),
    ("用一年时间完成。", "一年", 1, 1, 1, "年", "exact"),
]

# (sentence, mention, ISO value) with publication date PUB (2022-06-15)
DATES = [
    ("2021年8月13日，班列抵达。", "2021年8月13日", "2021-08-13"),
    ("从2020年9月开始办学。", "2020年9月", "2020-09"),
    ("2021年秋，选派教研员。", "2021年", "2021"),
    ("2020年以来，成效显著。", "2020年", "2020"),
    ("截至2023年底，全部完工。", "2023年底", "2023-12"),
    ("二〇二一年三月启动。", "二〇二一年三月", "2021-03"),
    ("该地区2021年电子商务行动方案。", "2021年", "2021"),
    ("去年8月开通班列。", "去年8月", "2021-08"),
    ("今年5月起实行。", "今年5月", "2022-05"),
    ("去年底每个村分红。", "去年底", "2021-12"),
    ("今年以来，开展活动。", "今年", "2022"),
    ("仅去年就完成了。", "去年", "2021"),
    ("前年启动，明年完工。", "前年", "2020"),
    ("前年启动，明年完工。", "明年", "2023"),
    ("4月28日，联盟走进拜城。", "4月28日", "2022-04-28"),
    ("2019年3月开工，同年12月竣工。", "同年12月", "2019-12"),
    ("2019年开工，次年投产。", "次年", "2020"),
    ("2021年8月1日至10月5日举办。", "10月5日", "2021-10-05"),
    ("8月1日开幕，15日闭幕。", "15日", "2022-08-15"),
]

QUALIFIERS = [
    # (sentence, mention, value, lower, upper, unit, qualifier)
    ("销售额超17亿元。", "超17亿元", 1_700_000_000, 1_700_000_000, None, "元", "over"),
    ("播放量超2.2亿次。", "超2.2亿次", 220_000_000, 220_000_000, None, "次", "over"),
    ("超过一万人参加。", "超过一万人", 10_000, 10_000, None, "人", "over"),
    ("逾千名群众到场。", "逾千名", 1000, 1000, None, "名", "over"),
    ("上万名群众参与。", "上万名", 10_000, 10_000, None, "名", "over"),
    ("存栏50000只以上。", "50000只以上", 50_000, 50_000, None, "只", "over"),
    ("听课评课近5000节。", "近5000节", 5000, None, 5000, "节", "near"),
    ("将近100名教师。", "将近100名", 100, None, 100, "名", "near"),
    ("接近50%的农户。", "接近50%", 50, None, 50, "%", "near"),
    ("新增近百家企业。", "近百家", 100, None, 100, "家", "near"),
    ("约3000人受益。", "约3000人", 3000, None, None, "人", "approx"),
    ("大约20吨物资。", "大约20吨", 20, None, None, "吨", "approx"),
    ("运来300吨左右。", "300吨左右", 300, None, None, "吨", "approx"),
    # not qualifiers: 最近, 节约 (the 近/约 belong to another word)
    ("最近3年变化大。", "3年", 3, 3, 3, "年", "exact"),
    ("节约3000元开支。", "3000元", 3000, 3000, 3000, "元", "exact"),
]

# Not quantities: nothing may overlap the marked part of the sentence.
TRAPS = [
    # names and slogans in quotation marks or book-title marks
    ("形成“122”援疆项目管理模式。", "122"),
    ("推出“4+X”师训新模式。", "4+X"),
    ("形成“611工作法”等做法。", "611工作法"),
    ("“一园一校”从去年开始办学。", "一园一校"),
    ("争做“三讲三有”干部。", "三讲三有"),
    ("增强“两个维护”的自觉。", "两个维护"),
    ("实施“百千万”工程。", "百千万"),
    ("盯牢‘万亩亿元’工程。", "万亩亿元"),
    ("出版《一点一点，教你读书》一书。", "一点一点"),
    ("产生了“救助一人、帮扶一家、影响一片”的效应。", "救助一人、帮扶一家、影响一片"),
    ("开展“百万图书\n\n进基层”活动。", "百万图书"),  # split by a page break
    ("打通农村电商‘最后一公里’。", "最后一公里"),
    # program names from bare round numerals
    ("推进十城百店工程。", "十城百店"),
    ("开展百村千厂试点。", "百村千厂"),
    ("依托百校十万石榴籽工程。", "百校十万石榴籽"),
    ("开展百场义诊活动。", "百场义诊"),
    ("实施千名老人复光明行动。", "千名老人"),
    ("开展万名幼儿筛查。", "万名幼儿"),
    ("以文润百年为主题。", "文润百年"),
    # numeral + noun without a measure word
    ("拉近两地群众距离。", "两地"),
    ("实现双方共赢。", "双方"),
    ("促进三交工作。", "三交"),
    ("推进三大项目。", "三大项目"),
    ("实施八大工程。", "八大工程"),
    ("创新双体系五示范模式。", "双体系五示范"),
    ("推进一县一品一链建设。", "一县一品一链"),
    ("建设一园三区。", "一园三区"),
    ("产品进入长三角。", "长三角"),
    ("轻工五金城开园。", "五金城"),
    ("党的十九大报告提出。", "十九大"),
    # 一 + measure word as an article or idiom
    ("谋划实施一批项目。", "一批"),
    ("培养一支干部队伍。", "一支"),
    ("开展一系列活动。", "一系列"),
    ("作为一项工程来抓。", "一项"),
    ("原来一名援疆教师托管一个班。", "一名"),
    ("大家一起努力。", "一起"),
    ("刮起了一阵子风。", "一阵子"),
    ("开展了一轮又一轮支援。", "一轮又一轮"),
    ("众多手机一族。", "一族"),
    ("还是一大片危旧房。", "一大片"),
    ("一栋栋新房拔地而起。", "一栋栋"),
    ("文化是一个民族的灵魂。", "一个"),
    # ordinals, anniversaries, labels
    ("嘉兴市第十批援疆干部。", "第十批"),
    ("兵团第一师全面推广。", "第一师"),
    ("阿克苏和兵团一师的产品。", "兵团一师"),
    ("在一师阿拉尔市开展活动。", "一师"),
    ("作为首批试点村。", "首批"),
    ("这还是第一次。", "第一次"),
    ("以建党100周年为主题。", "100周年"),
    ("完成I类和II类项目。", "I类和II类"),
    ("“十城百店”2.0工程助力销售。", "2.0"),
    ("编制十四五规划。", "十四五"),
    ("党的十九届五中全会。", "十九届"),
    # words
    ("为进一步推动发展。", "进一步"),
    ("受援地百姓受益。", "百姓"),
    ("受援地单一学科。", "单一"),
    ("像石榴籽一样紧紧抱在一起。", "一样"),
    ("又一精彩注脚。", "又一"),
    ("也是一派喜庆祥和。", "一派"),
    ("嘉禾大地万象更新。", "万象更新"),
    ("不远万里来此耕耘。", "不远万里"),
    ("沙雅二中建成。", "二中"),
    ("五花八门的活动。", "五花八门"),
    ("三天两头开会。", "三天两头"),
    ("一年四季都有游客。", "一年四季"),
    ("三年级学生。", "三年级"),
    ("支持兵团第六师五家渠市建设产业园。", "五家"),  # 五家渠 is a city
    ("上世纪80年代。", "80年代"),
    ("如今年轻人返乡。", "今年"),
    ("过去年份的数据。", "去年"),
    ("不同年龄段的学生。", "同年"),
    ("二十四节气歌。", "二十四节"),
    ("占三分之一。", "三分之一"),
    ("成千上万的人。", "成千上万"),
    # codes and labels written with digits
    ("建成5G基站。", "5G"),
    ("做好COVID-19防控。", "19"),
    ("创建3A级景区。", "3A"),
    ("联系电话13800138000。", "13800138000"),
    ("拨打0997-1234567咨询。", "0997-1234567"),
    ("1、加强组织领导。2、落实资金。", "1、加强组织领导。2"),
]


@pytest.mark.parametrize(("sentence", "span", "value", "unit"), AMOUNTS)
def test_exact_amounts(sentence, span, value, unit) -> None:
    assert fields(mention(sentence, span)) == ("amount", value, value, value, unit, "exact")


def test_magnitude_without_unit_is_null_unit() -> None:
    q = mention("粉丝量超过400万，", "超过400万")
    assert fields(q) == ("amount", 4_000_000, 4_000_000, None, None, "over")


@pytest.mark.parametrize(("sentence", "span", "lower", "upper", "unit"), OVER_WITH_PLUS)
def test_duo_yu_bounds(sentence, span, lower, upper, unit) -> None:
    q = mention(sentence, span)
    assert (q.value, q.lower, q.upper, q.unit, q.qualifier) == (lower, lower, upper, unit, "over")


def test_duo_without_unit() -> None:
    q = mention("点赞1000多，", "1000多")
    assert fields(q) == ("amount", 1000, 1000, 2000, None, "over")


@pytest.mark.parametrize(
    ("sentence", "span", "kind", "value", "lower", "upper", "unit", "qualifier"), PERCENTS
)
def test_percents(sentence, span, kind, value, lower, upper, unit, qualifier) -> None:
    assert fields(mention(sentence, span)) == (kind, value, lower, upper, unit, qualifier)


@pytest.mark.parametrize(
    ("sentence", "span", "kind", "value", "lower", "upper", "unit", "qualifier"), RATIOS
)
def test_ratios(sentence, span, kind, value, lower, upper, unit, qualifier) -> None:
    assert fields(mention(sentence, span)) == (kind, value, lower, upper, unit, qualifier)


@pytest.mark.parametrize(("sentence", "span", "lower", "upper", "unit"), RANGES)
def test_ranges(sentence, span, lower, upper, unit) -> None:
    assert fields(mention(sentence, span)) == ("range", None, lower, upper, unit, "exact")


@pytest.mark.parametrize(
    ("sentence", "span", "value", "lower", "upper", "unit", "qualifier"), DURATIONS
)
def test_durations(sentence, span, value, lower, upper, unit, qualifier) -> None:
    q = mention(sentence, span)
    assert fields(q) == ("duration", value, lower, upper, unit, qualifier)


@pytest.mark.parametrize(("sentence", "span", "iso"), DATES)
def test_dates(sentence, span, iso) -> None:
    assert fields(mention(sentence, span)) == ("date", iso, None, None, None, "exact")


def test_date_span_leaves_out_following_words() -> None:
    assert texts("今年5月起实行，2021年秋选派，2020年以来。") == ["今年5月", "2021年", "2020年"]


def test_relative_dates_without_an_anchor_stay_null() -> None:
    qs = extract_quantities("去年8月开通，同年12月扩建，4月28日开幕。", published=None)
    assert [(q.text, q.kind, q.value) for q in qs] == [
        ("去年8月", "date", None),
        ("同年12月", "date", None),
        ("4月28日", "date", None),
    ]


def test_same_year_before_any_year_is_null() -> None:
    q = mention("同年8月，轻工五金城开园。", "同年8月")
    assert q.value is None


def test_same_year_takes_the_last_year_mentioned() -> None:
    text = "2019年启动，2021年秋扩建。同年8月开园；去年完工。同年12月验收。"
    values = {q.text: q.value for q in extract_quantities(text, published=PUB)}
    assert values["同年8月"] == "2021-08"
    assert values["同年12月"] == "2021-12"  # 去年 = 2021 is the last date before it


@pytest.mark.parametrize(
    ("sentence", "span", "value", "lower", "upper", "unit", "qualifier"), QUALIFIERS
)
def test_qualifiers(sentence, span, value, lower, upper, unit, qualifier) -> None:
    q = mention(sentence, span)
    assert (q.value, q.lower, q.upper, q.unit, q.qualifier) == (
        value,
        lower,
        upper,
        unit,
        qualifier,
    )


def test_not_more_than_is_near() -> None:
    q = mention("每户补助不超过5000元。", "不超过5000元")
    assert (q.value, q.lower, q.upper, q.qualifier) == (5000, None, 5000, "near")


def test_shared_trailing_qualifier_over_coordination() -> None:
    qs = extract_quantities("牛羊存栏分别达20000头和50000只以上。")
    assert [(q.text, q.value, q.lower, q.upper, q.unit, q.qualifier) for q in qs] == [
        ("20000头", 20_000, 20_000, None, "头", "over"),
        ("50000只以上", 50_000, 50_000, None, "只", "over"),
    ]


def test_shared_trailing_approx_over_a_list() -> None:
    qs = extract_quantities("比例分别为30%、40%和50%左右。")
    assert [(q.text, q.qualifier, q.lower, q.upper) for q in qs] == [
        ("30%", "approx", None, None),
        ("40%", "approx", None, None),
        ("50%左右", "approx", None, None),
    ]


def test_trailing_qualifier_does_not_cross_a_clause() -> None:
    qs = extract_quantities("建成9座养殖场，存栏50000只以上。")
    assert [(q.text, q.qualifier) for q in qs] == [("9座", "exact"), ("50000只以上", "over")]


def test_bare_numbers_take_the_unit_of_the_list() -> None:
    qs = extract_quantities("三个项目分别投资300、500和800万元。")
    assert [(q.text, q.value, q.unit) for q in qs] == [
        ("三个", 3, "个"),
        ("300", 3_000_000, "元"),
        ("500", 5_000_000, "元"),
        ("800万元", 8_000_000, "元"),
    ]


def test_years_joined_by_a_range_mark_are_two_dates() -> None:
    qs = extract_quantities("2020年至2022年，持续推进。", published=PUB)
    assert [(q.text, q.kind, q.value) for q in qs] == [
        ("2020年", "date", "2020"),
        ("2022年", "date", "2022"),
    ]


@pytest.mark.parametrize(("sentence", "trap"), TRAPS)
def test_traps_are_not_quantities(sentence, trap) -> None:
    start = sentence.index(trap)
    end = start + len(trap)
    hits = [
        q for q in extract_quantities(sentence, published=PUB) if q.start < end and start < q.end
    ]
    assert hits == []


def test_quotation_figures_still_count() -> None:
    # a long quotation with sentence punctuation is speech, not a name
    text = "他说：“我们今年种了3000亩棉花，收入增长了20%。”"
    assert texts(text) == ["今年", "3000亩", "20%"]


def test_unclosed_quote_stays_local() -> None:
    text = "他说“" + "援疆工作很重要" * 10 + "，投入资金3亿元。"
    assert texts(text) == ["3亿元"]


def test_offsets_and_order_on_a_paragraph() -> None:
    text = "三年来，谋划实施项目80个，投入援疆资金4.5亿元。其中，民生类项目61个，占比达91.7%。"
    qs = extract_quantities(text)
    assert [q.text for q in qs] == ["三年", "80个", "4.5亿元", "61个", "91.7%"]
    assert all(text[q.start : q.end] == q.text for q in qs)
    assert [q.start for q in qs] == sorted(q.start for q in qs)


def test_quantity_is_a_frozen_slotted_dataclass_with_to_dict() -> None:
    q = mention("投入援疆资金4.5亿元。", "4.5亿元")
    assert dataclasses.is_dataclass(q)
    assert not hasattr(q, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.value = 1  # type: ignore[misc]
    d = q.to_dict()
    assert list(d) == [
        "start",
        "end",
        "text",
        "kind",
        "value",
        "lower",
        "upper",
        "unit",
        "qualifier",
    ]
    assert d == {
        "start": 6,
        "end": 11,
        "text": "4.5亿元",
        "kind": "amount",
        "value": 450_000_000,
        "lower": 450_000_000,
        "upper": 450_000_000,
        "unit": "元",
        "qualifier": "exact",
    }
    json.dumps(d, ensure_ascii=False)
    assert q == Quantity(**d)


def test_published_may_be_a_datetime() -> None:
    q = mention("去年8月开通。", "去年8月", published=dt.datetime(2022, 3, 1, 12, 0))
    assert q.value == "2021-08"


@pytest.mark.parametrize(
    ("published", "iso"),
    [
        ("2023", "2022-08"),
        ("2023-05", "2022-08"),
        ("2023-05-01", "2022-08"),
        (dt.date(2023, 5, 1), "2022-08"),
        ("1999-12-31", "1998-08"),
    ],
)
def test_published_may_be_an_iso_string(published, iso) -> None:
    assert mention("去年8月开通。", "去年8月", published=published).value == iso


@pytest.mark.parametrize(
    "published",
    ["2023/05/01", "2023-5-1", "23", "2023-13", "2023-02-30", "2023-05-01T10:00", "", "２０２３"],
)
def test_malformed_published_is_a_value_error(published) -> None:
    with pytest.raises(ValueError, match="YYYY, YYYY-MM or YYYY-MM-DD"):
        extract_quantities("去年8月开通。", published=published)


def test_published_of_another_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="published"):
        extract_quantities("去年8月开通。", published=2023)  # type: ignore[arg-type]


def test_non_str_input_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        extract_quantities(b"123")  # type: ignore[arg-type]


def test_empty_and_plain_text() -> None:
    assert extract_quantities("") == []
    assert extract_quantities("援疆工作取得明显成效。") == []
