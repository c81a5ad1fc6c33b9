"""Automatic figures: rule tests on sentences written for them, scores on annotated articles.

The sentences below are new (Fujian, Hunan, Anhui, Liaoning, Hubei, Shenzhen styles), and
each expected label was written down by reading the sentence before the labeller ran on
it. The scores compare the labeller with the hand annotation of tests/gold/figures/ (six
articles written for this purpose, see tests/data/auto/) and with the curated registry of
the two shipped articles (what the labeller would have said had nobody curated them).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from aidstats.auto.figures import Knowledge
from aidstats.auto.label import category_of, measure_of
from aidstats.auto.period import PeriodFinder
from aidstats.auto.place import PlaceFinder, Scope
from aidstats.auto.subject import SubjectFinder, masked
from aidstats.build import build, compute_tables
from aidstats.clean import clean_article
from aidstats.cli import main
from aidstats.extract import extract_quantities
from aidstats.paths import ProjectPaths, project_paths
from auto_scoring import FIELDS, FieldScore, compare, score_test_article
from support import ROOT

KNOW = Knowledge.load(project_paths(ROOT))
PLACES = PlaceFinder(KNOW.gazetteer)
SUBJECTS = SubjectFinder(KNOW.rules, PLACES.spans)


def _subject(sentence: str, quote: str, kind: str = "amount") -> str:
    at = sentence.index(quote)
    spans = [(q.start, q.end) for q in extract_quantities(sentence)]
    text = masked(sentence, spans, (at, at + len(quote)))
    return SUBJECTS.find(text, at, at + len(quote), kind=kind).text


@pytest.mark.parametrize(
    ("sentence", "quote", "kind", "expected"),
    [
        # the thing counted before the number, after a verb
        ("福建省累计投入援疆资金31.2亿元，实施项目286个。", "31.2亿元", "amount", "援疆资金"),
        ("福建省累计投入援疆资金31.2亿元，实施项目286个。", "286个", "amount", "项目"),
        ("昌吉州特色农产品销售额达9.6亿元。", "9.6亿元", "amount", "特色农产品销售额"),
        # … after the number and its measure word
        ("湖南援疆新建18所乡村学校，惠及学生1.1万名。", "18所", "amount", "乡村学校"),
        ("湖南援疆新建18所乡村学校，惠及学生1.1万名。", "1.1万名", "amount", "学生"),
        ("深圳援疆带动2600余户农牧民增收。", "2600余户", "amount", "农牧民"),
        ("安徽援疆帮助1.5万人实现稳定就业。", "1.5万人", "amount", "稳定就业"),
        # percentages: what they are a growth or share of
        ("皮山县一般公共预算收入同比增长12.4%。", "12.4%", "percent", "一般公共预算收入增长"),
        ("湖北援疆项目中，民生领域资金占比达85%。", "85%", "percent", "民生领域资金占比"),
        ("2023年博州旅游收入9.7亿元，同比增长36%。", "36%", "percent", "旅游收入增长"),
        # a coordination shares its subject
        ("牛羊存栏分别达1.2万头和3.5万只。", "3.5万只", "amount", "牛羊存栏"),
    ],
)
def test_subject_from_clause_structure(sentence: str, quote: str, kind: str, expected: str) -> None:
    assert _subject(sentence, quote, kind) == expected


@pytest.mark.parametrize(
    ("subject", "kind", "unit", "clause", "measure", "category"),
    [
        ("援疆资金", "amount", "元", "累计投入援疆资金", "money", "funds"),
        ("项目", "amount", "个", "实施援疆项目", "items", "projects"),
        ("乡村学校", "amount", "所", "新建18所乡村学校", "items", "education"),
        ("患者", "amount", "人次", "义诊接诊患者", "person_times", "health"),
        ("农牧民", "amount", "户", "带动农牧民增收", "count", "beneficiaries"),
        ("企业", "amount", "家", "引进企业", "count", "industry"),
        ("一般公共预算收入增长", "percent", "%", "一般公共预算收入同比增长", "growth", "economy"),
        ("冷库", "amount", "平方米", "建成冷库", "area", "infrastructure"),
        ("游客", "amount", "人次", "接待游客", "person_times", "culture"),
        ("特色农产品", "amount", "吨", "销售特色农产品", "weight", "sales"),
        ("转移就业", "amount", "人", "转移就业", "people", "employment"),
    ],
)
def test_measure_and_category(
    subject: str, kind: str, unit: str, clause: str, measure: str, category: str
) -> None:
    from aidstats.auto.subject import Subject

    cue = "同比增长" if "增长" in subject else ""
    got, _, _ = measure_of(KNOW.rules, kind=kind, unit=unit, subject=Subject(subject, "x", cue))
    assert got == measure
    cat, _, _ = category_of(
        KNOW.rules, measure=got, subject=subject, clause=clause, sentence=clause, unit=unit
    )
    assert cat == category


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        ("2024-02", "五年来，福建累计投入", ("2019", "2023", "cumulative")),
        ("2024-10-08", "五年来，福建累计投入", ("2020", "2024", "cumulative")),
        ("2024-10-08", "今年1至8月，销售额", ("2024-01", "2024-08", "cumulative")),
        ("2024-10-08", "去年，湖南援疆", ("2023", "2023", "annual")),
        ("2024-10-08", "自2017年第三批援疆以来，累计", ("2017", "2024", "cumulative")),
        ("2021-05", "“十三五”期间，深圳共投入", ("2016", "2020", "cumulative")),
        ("2024-10-08", "截至目前，园区已有企业", ("2024", "2024", "point")),
        ("2024-10-08", "截至2024年6月底，累计", ("2024-06", "2024-06", "point")),
        ("2023-12", "2022年，博州旅游收入", ("2022", "2022", "annual")),
        # parts of a year, cumulative from January (or the quarter alone)
        ("2024-11-02", "今年前三季度，昌吉州接待游客", ("2024-01", "2024-09", "cumulative")),
        ("2024-11-02", "今年前9个月，安徽援疆", ("2024-01", "2024-09", "cumulative")),
        ("2024-11-02", "去年上半年，皮山县", ("2023-01", "2023-06", "cumulative")),
        ("2024-11-02", "2023年下半年，哈密市", ("2023-07", "2023-12", "cumulative")),
        ("2024-11-02", "二季度，园区产值", ("2024-04", "2024-06", "cumulative")),
        # 全年 told in January is the year just ended; 今年 in December is still the year so far
        ("2024-01-15", "全年安排援疆资金", ("2023", "2023", "annual")),
        ("2024-12-28", "今年组织研学", ("2024", "2024", "cumulative")),
        # a long clause between the year and 以来
        (
            "2024-11-02",
            "2017年江西省第九批援疆干部进驻阿克陶县开展工作以来，累计",
            ("2017", "2024", "cumulative"),
        ),
    ],
)
def test_period_resolution(published: str, text: str, expected: tuple[str, str, str]) -> None:
    got = PeriodFinder(published).nearest(text, len(text))
    assert got is not None and (got.start, got.end, got.type) == expected


def test_event_dates_do_not_reach_past_a_semicolon() -> None:
    text = "2022年8月，该模式在全地区推广；援疆医生为1000余名患者手术"
    assert PeriodFinder("2023-01").nearest(text, text.index("1000")) is None


@pytest.mark.parametrize(
    ("sentence", "quote", "expected"),
    [
        ("湖北援疆在博乐市、精河县新建幼儿园6所", "6所", "博乐市和精河县"),
        ("在策勒县、于田县、民丰县3个县投入资金", "资金", "和田地区"),
        ("兵团第四师可克达拉市新增就业岗位800个", "800个", "兵团第四师"),
        ("新疆农副产品销售额达3亿元", "3亿元", None),  # the region as a whole names no figure
    ],
)
def test_region_in_the_sentence(sentence: str, quote: str, expected: str | None) -> None:
    found = PLACES.region([Scope("sentence", sentence, sentence.index(quote))], ())
    assert found.value == expected


CHANGJI = ("昌吉回族自治州", "兵团第六师")
HOTAN = ("和田地区", "墨玉县", "皮山县", "兵团第十四师")


@pytest.mark.parametrize(
    ("sentence", "quote", "recipients", "expected"),
    [
        # 全州/全地区 is the local government's area: a 兵团 division reports its own
        ("前三季度，全州规模以上工业增加值增长7.4%", "7.4%", CHANGJI, "昌吉回族自治州"),
        ("今年以来，全地区新增市场主体1.2万户", "1.2万户", HOTAN, "和田地区"),
        # places paired with numbers in an enumeration: each number its own place
        (
            "其中兵团第十四师2.6亿元、墨玉县3.1亿元、皮山县2.2亿元",
            "3.1亿元",
            HOTAN,
            "墨玉县",
        ),
        # two counties as examples in another clause stand for the declared prefecture …
        (
            "北京援建墨玉县职业高中、皮山县第二中学等学校，培训本地教师520名",
            "520名",
            HOTAN,
            "和田地区",
        ),
        # … but counties that qualify the number directly stay
        ("帮助墨玉县、皮山县3400户农户发展庭院经济", "3400户", HOTAN, "墨玉县和皮山县"),
        # a prefecture named with its counties is the region of all of them
        ("对口支援和田地区墨玉县、皮山县2个县", "2个", (), "和田地区"),
    ],
)
def test_region_rules_with_a_declared_scope(
    sentence: str, quote: str, recipients: tuple[str, ...], expected: str
) -> None:
    found = PLACES.region([Scope("sentence", sentence, sentence.index(quote))], recipients)
    assert found.value == expected


@pytest.mark.parametrize(
    ("sentence", "donor", "expected"),
    [
        ("京和两地共结对学校86对", "北京市", "北京市和和田地区"),
        ("闽昌协作产业园新落地企业14家", "福建省", "福建省和昌吉回族自治州"),
        ("嘉沙两地青少年开展手拉手活动", "嘉兴市", "嘉兴市和沙雅县"),
        ("全市新增就业岗位3000个", "北京市", None),  # no pair word
        ("沪喀两地合作", "北京市", None),  # the pair word of another donor
        ("“京和”电商中心培训学员500人", "北京市", None),  # a quoted name, not both sides
    ],
)
def test_pair_word_names_both_sides(sentence: str, donor: str, expected: str | None) -> None:
    assert PLACES.pair_word(sentence, donor).value == expected


def test_a_site_placed_once_places_its_figures_later() -> None:
    text = (
        "阿克陶县城南的江西产业园内机器轰鸣。园区已入驻企业43家。"
        "在阿图什市人民医院和阿克陶县人民医院，专家开展手术。"
    )
    sites = PLACES.anchored_sites(text)
    assert sites == {"江西产业园": "阿克陶县"}  # 人民医院 is every county's: no place
    recipients = ("克孜勒苏柯尔克孜自治州", "阿克陶县", "阿图什市")
    later = "截至目前，江西产业园吸纳就业3800余人"
    found = PLACES.region([Scope("sentence", later, later.index("3800"))], recipients, sites)
    assert found.value == "阿克陶县"
    park = "园区已入驻企业43家"  # 园区 refers back to the article's one park
    found = PLACES.region([Scope("sentence", park, park.index("43"))], recipients, sites)
    assert found.value == "阿克陶县"
    named = "阿图什市新增就业1200人，江西产业园…"  # a place in the sentence still wins
    found = PLACES.region([Scope("sentence", named, named.index("1200"))], recipients, sites)
    assert found.value == "阿图什市"


def test_donor_cities_act_in_a_provinces_article() -> None:
    sentence = "无锡援建的霍城县江苏医院新增床位600张"  # 江苏医院 is a name, 无锡 acts
    at = Scope("sentence", sentence, sentence.index("600"))
    assert PLACES.donor(at, "江苏省").value == "无锡市"
    paragraph = "盐城市援疆工作组把产业放在首位。察布查尔县新增就业2600多人"
    found = PLACES.donor(
        Scope("sentence", "察布查尔县新增就业2600多人", 9),
        "江苏省",
        paragraph=Scope("paragraph", paragraph, paragraph.index("2600"), before_only=True),
    )
    assert found.value == "盐城市"
    for place in ("克州距南京约4300公里", "在福州、厦门等地开设门店16家", "新梅运到广州市民的餐桌"):
        scope = Scope("sentence", place, len(place) - 2)  # a city as a place, not an actor
        province = "江苏省" if "南京" in place else "福建省" if "福州" in place else "广东省"
        assert PLACES.donor(scope, province).value == province


def test_a_review_of_several_donors() -> None:
    donors = ("北京市", "上海市", "广东省")
    assert PLACES.is_summary("2024年全国对口援疆工作综述", donors)
    assert not PLACES.is_summary("北京援疆这一年", donors)
    assert not PLACES.is_summary("嘉兴援疆", ("浙江省", "嘉兴市"))  # one province
    text = "全国19个援疆省市全年安排援疆资金186.4亿元"
    at = Scope("sentence", text, text.index("186"))
    paragraph = Scope("paragraph", text, text.index("186"), before_only=True)
    assert PLACES.summary_donor(at, paragraph).value == "19个援疆省市"
    text = "上海市今年帮助销售农副产品28.6亿元"
    at = Scope("sentence", text, text.index("28"))
    assert PLACES.summary_donor(at, at).value == "上海市"
    text = "广东省援建的疏附县广州新城纺织服装产业园已吸纳就业1.2万人"  # the subject's donor
    at = Scope("sentence", text, text.index("1.2"))
    assert PLACES.summary_donor(at, at).value == "广东省"


def test_a_place_of_a_breakdown_is_not_the_paragraphs_topic() -> None:
    paragraph = "全年安排资金13亿元，其中巴州10亿元、第二师3亿元。民生领域投入资金9亿元"
    scopes = [
        Scope("sentence", "民生领域投入资金9亿元", 8),
        Scope("paragraph", paragraph, paragraph.index("9亿"), before_only=True),
    ]
    found = PLACES.region(scopes, ("巴音郭楞蒙古自治州", "兵团第二师"))
    assert found.value == "巴音郭楞蒙古自治州和兵团第二师"


def test_article_donor_and_catalog_region() -> None:
    assert PLACES.article_donor("辽宁援疆助力塔城发展", ()) == "辽宁省"
    assert PLACES.article_donor("", ("浙江省", "嘉兴市")) == "嘉兴市"
    assert PLACES.article_region(("新疆维吾尔自治区", "阿克苏地区", "沙雅县")) == "沙雅县"
    counties = ("喀什地区", "莎车县", "泽普县", "叶城县", "巴楚县")
    assert PLACES.article_region(counties) == "喀什地区"
    assert PLACES.article_region(("阿克苏地区", "兵团第一师")) == "阿克苏地区和兵团第一师"


def _labels_of(text: str, published: str) -> dict[str, dict[str, object]]:
    """Auto labels of a one-paragraph article, by quote."""
    from aidstats.auto.figures import label_mentions
    from aidstats.corpus import Article
    from aidstats.mentions import all_mentions

    article = Article(
        id="t-rule", file=ROOT / "t.txt", sha256="0" * 64, title="河南援疆", subtitle=None,
        byline=None, outlet=None, outlet_note=None, published=published,
        published_precision="day", published_reasoning=None, donor=("河南省",),
        recipient=("哈密市", "兵团第十三师"), encoding="utf-8", text=text,
    )  # fmt: skip
    clean = clean_article(article)
    labels = label_mentions(KNOW, article, clean, all_mentions([article], [clean]))
    return {str(r["quote"]): r for r in labels.to_dict("records")}


def test_counts_of_places_are_a_stock_and_rates_are_the_years() -> None:
    text = (
        "河南援疆\n三年来，河南对口支援哈密市伊州区、巴里坤县、伊吾县3个县区，累计投入资金"
        "21.6亿元，新建村级卫生室45个。今年，哈密市高中毛入学率达到96.2%。"
        "2020年以来，伊州区纺织园区吸纳当地群众就业3100人。"
    )
    got = _labels_of(text, "2022-08-30")
    scope = got["3个"]  # the places the aid covers: a stock at publication
    assert (scope["period_start"], scope["period_end"], scope["period_type"]) == (
        "2022",
        "2022",
        "point",
    )
    assert scope["category"] == "other"  # the aid's scope, not a result
    built = got["45个"]  # built over the three years: the frame's span
    assert (built["period_start"], built["period_type"]) == ("2020", "cumulative")
    rate = got["96.2%"]  # a rate reached this year is the year's level, not a running sum
    assert (rate["period_start"], rate["period_type"]) == ("2022", "annual")
    employed = got["3100人"]  # 吸纳就业: the people employed now, not a sum over the years
    assert (employed["period_start"], employed["period_end"], employed["period_type"]) == (
        "2022",
        "2022",
        "point",
    )


def test_a_part_named_by_its_place_keeps_the_totals_subject() -> None:
    text = (
        "河南援疆\n今年，河南安排援疆资金3.2亿元。其中兵团第十三师1.1亿元。"
        "哈密市获得援疆资金2.1亿元，其中伊吾县0.6亿元。"
    )
    got = _labels_of(text, "2022-08-30")
    # by hand: each part is 援疆资金 of the place that names it, not a subject "兵团第十三师"
    assert (got["1.1亿元"]["subject_zh"], got["1.1亿元"]["region"]) == ("援疆资金", "兵团第十三师")
    assert (got["0.6亿元"]["subject_zh"], got["0.6亿元"]["region"]) == ("援疆资金", "伊吾县")
    assert got["2.1亿元"]["subject_zh"] == "援疆资金"  # 获得 is a verb, not part of it


@pytest.mark.parametrize(
    ("paragraph", "quote", "expected"),
    [
        ("“以前在家放羊，现在每个月能挣4200元。”牧民说。", "4200元", True),
        ("“我家去年卖杏子收入3万元。”", "3万元", True),
        ("依托“百校十万”工程投入资金3000万元", "3000万元", False),  # a quoted name, closed
        ("“十四五”以来投入资金12亿元", "12亿元", False),
        ("他说：“扶持资金", "资金", False),  # too short to be speech, no 我
    ],
)
def test_numbers_in_a_persons_own_words(paragraph: str, quote: str, expected: bool) -> None:
    from aidstats.auto.figures import in_speech

    assert in_speech(paragraph, paragraph.index(quote)) is expected


def test_the_paragraph_topic_breaks_a_tie_of_a_vague_subject() -> None:
    paragraph = "湖南援疆医疗队在吐鲁番市人民医院开展义诊和健康讲座，今年举办活动20余场。"
    args = {"measure": "events", "subject": "活动", "clause": "今年举办活动", "unit": "场"}
    alone, _, _ = category_of(KNOW.rules, sentence="今年举办活动20余场", **args)
    with_topic, _, _ = category_of(
        KNOW.rules, sentence="今年举办活动20余场", paragraph=paragraph, **args
    )
    assert with_topic == "health"
    assert alone != "health"  # the sentence alone has no health cue
    # a clear subject is not overruled by the paragraph's topic
    clear, _, _ = category_of(
        KNOW.rules,
        measure="money",
        subject="援疆资金",
        clause="投入援疆资金",
        sentence="投入援疆资金3亿元",
        unit="元",
        paragraph=paragraph,
    )
    assert clear == "funds"


# ------------------------------------------------------------------ scores

# Floors measured on 2026-11-29 (docs/auto-figures.md records the numbers and the method);
# the evaluation set is never tuned on beyond the four development articles.
DEVELOPMENT = ("sh-kashgar-2023", "js-kizilsu-2024", "gd-bingtuan3-2022", "bj-hotan-2023")
# first held out (scores on first contact in docs/auto-figures.md), then used for development
SECOND_PAIR = ("tj-cele-2024", "sd-shule-2022")
FLOORS = {"measure": 0.97, "category": 0.88, "period": 0.83, "donor": 0.97, "region": 0.89}
PAIR_FLOORS = {"measure": 0.95, "category": 0.85, "period": 0.76, "donor": 0.96, "region": 0.88}
# written after the labeller by a session that never saw its rules (tests/data/heldout/)
HELD_OUT = ("ln-tacheng-2023", "sz-kashgar-2024", "hb-bozhou-2022")
HELD_FLOORS = {"measure": 0.96, "category": 0.86, "period": 0.93, "donor": 0.97, "region": 0.86}
# a second held-out set (tests/data/heldout2/), written by another session after the rules
# changed on the first; scored on first contact, then one rule changed (docs/auto-figures.md)
HELD_OUT_2 = ("ah-pishan-2023", "fj-changji-2024", "hn-hami-2022", "gan-akto-2025")
HELD2_FLOORS = {"measure": 0.96, "category": 0.92, "period": 0.84, "donor": 0.97, "region": 0.89}
# a third (tests/data/heldout3/), written after the second was scored: first contact and
# the rules changed after it are in docs/auto-figures.md
HELD_OUT_3 = ("hlj-altay-2023", "heb-bazhou-2024", "js-ili-2021", "xj-multi-2024")
HELD3_FLOORS = {"measure": 0.95, "category": 0.90, "period": 0.83, "donor": 0.96, "region": 0.90}
SEED_FLOORS = {"measure": 0.97, "category": 0.86, "period": 0.78, "donor": 0.98, "region": 0.78}
CALIBRATION = 0.85  # of labels with confidence ≥ 0.8, this share has measure and category right


def _check(result: FieldScore, floors: dict[str, float], label: str) -> None:
    print(f"\n[{label}] {result.summary()}")
    low = [
        f"{f} {result.accuracy(f):.3f} < {floors[f]}"
        for f in FIELDS
        if result.accuracy(f) < floors[f]
    ]
    assert not low, f"{label}: " + "; ".join(low) + "\n" + "\n".join(result.wrong[:15])
    assert result.calibration >= CALIBRATION, f"{label}: calibration {result.calibration:.3f}"


SCORED_SETS = {  # label: (articles, set of tests/auto_scoring.SETS, floors)
    "development": (DEVELOPMENT, "auto", FLOORS),
    "second pair": (SECOND_PAIR, "auto", PAIR_FLOORS),
    "held out": (HELD_OUT, "heldout", HELD_FLOORS),
    "held out, second set": (HELD_OUT_2, "heldout2", HELD2_FLOORS),
    "held out, third set": (HELD_OUT_3, "heldout3", HELD3_FLOORS),
}


@pytest.mark.parametrize("label", list(SCORED_SETS))
def test_scores_on_an_annotated_set(label: str) -> None:
    articles, kind, floors = SCORED_SETS[label]
    total = FieldScore()
    for article_id in articles:
        total.add(score_test_article(article_id, project_paths(ROOT), kind=kind))
    _check(total, floors, label)


def test_scores_against_the_curated_seeds() -> None:
    """Label every curated mention of the shipped articles as if nobody had curated it."""
    from aidstats.auto.figures import label_mentions

    tables = compute_tables(project_paths(ROOT))
    curated = tables.frames["figures"]
    mentions = tables.frames["mentions"]
    result = FieldScore()
    cleaned = [clean_article(a) for a in tables.articles]  # the build keeps only the text
    for article, clean in zip(tables.articles, cleaned, strict=True):
        labels = label_mentions(KNOW, article, clean, mentions).set_index("mention_id")
        for _, fig in curated[curated["article_id"] == article.id].iterrows():
            got = labels.loc[fig["mention_id"]]
            ok = compare(fig.to_dict(), got, KNOW.gazetteer)
            result.total += 1
            for f in FIELDS:
                result.right[f] += ok[f]
            if got["confidence"] >= 0.8:
                result.confident += 1
                result.confident_right += ok["measure"] and ok["category"]
    _check(result, SEED_FLOORS, "seeds")


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("no-numbers", "援疆情深\n\n各族群众心连心，共建美好家园。\n"),
        ("only-dates", "援疆纪事\n\n2023年5月，考察团抵达喀什。去年，双方签署协议。\n"),
        ("english", "Aid report\n\nThe province invested heavily in local schools this year.\n"),
        ("unknown-place", "某地援建纪实\n\n某市向某县投入资金300万元，建成学校2所。\n"),
    ],
)
def test_odd_articles_still_build(
    project: ProjectPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str
) -> None:
    source = tmp_path / f"{name}.txt"
    source.write_text(text * 3, encoding="utf-8")
    args = ["--root", str(project.root), "add", str(source), "--id", name]
    assert main([*args, "--title", text.splitlines()[0], "--published", "2023-06"]) in (0, 1)
    capsys.readouterr()
    catalogued = name in (project.raw / "catalog.yaml").read_text(encoding="utf-8")
    if not catalogued:
        pytest.skip(f"{name}: `aidstats add` refuses this text (tested in test_byo)")
    tables = compute_tables(project)
    figures = tables.frames["figures"]
    mine = figures[figures["article_id"] == name]
    if name == "unknown-place":
        assert set(mine["quote"]) >= {"300万元", "2所"}
        assert mine["region"].isna().all() and mine["donor"].isna().all()
        assert (mine["confidence"] < 0.8).all()  # unknown places lower the confidence
        lines = [line for line in build(project).per_article if line.startswith(name)]
        # the text is added three times over: 2 quantities × 3
        assert lines == [f"{name}: 0 curated, 6 auto, 0 excluded (donor unknown for 6; "
                         "region unknown for 6)"]  # fmt: skip
    else:
        assert mine.empty
    arts = tables.frames["articles"].set_index("article_id")
    assert arts.loc[name, "auto_figures"] == len(mine)


def test_parts_after_qizhong_take_the_nearest_total_of_their_measure() -> None:
    text = (
        "河南援疆\n今年，河南安排援疆资金3.2亿元，实施项目80个。"
        "其中兵团第十三师1.1亿元、哈密市2.1亿元，民生项目61个。"
        "其中伊吾县5亿元。"
    )
    got = _labels_of(text, "2022-08-30")
    total = got["3.2亿元"]["figure_id"]
    # by hand: both amounts after 其中 are parts of 3.2亿元 (same measure and unit, no larger);
    # 61个 is a part of the 80 projects; 5亿元 is larger than every earlier total: no parent
    for part in ("1.1亿元", "2.1亿元"):
        assert got[part]["parent_figure"] == total
        assert got[part]["include_in_totals"] is False
        assert got[part]["exclude_reason"] == f"part of {total}"
    assert got["61个"]["parent_figure"] == got["80个"]["figure_id"]
    assert all(pd.isna(got[q]["parent_figure"]) for q in ("5亿元", "3.2亿元", "80个"))
