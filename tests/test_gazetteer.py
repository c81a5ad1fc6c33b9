"""The gazetteer and glossary: matching on sentences written for these tests, lookups,
the shipped data's integrity, and one-line errors for broken files."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml

from aidstats.errors import AidstatsError
from aidstats.gazetteer import Gazetteer, Glossary, load_gazetteer, load_glossary
from support import RAW

GAZETTEER = RAW / "gazetteer.yaml"
GLOSSARY = RAW / "glossary.yaml"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer(GAZETTEER)


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(GLOSSARY)


@pytest.fixture(scope="module")
def raw_doc() -> dict:
    """The gazetteer as plain YAML, read without aidstats, for independent checks."""
    return yaml.safe_load(GAZETTEER.read_text(encoding="utf-8"))


def found(gaz: Gazetteer, text: str) -> list[tuple[str, str, str]]:
    matches = gaz.find(text)
    for m in matches:
        assert text[m.start : m.end] == m.text
    return [(m.text, m.canonical, m.kind) for m in matches]


# ---------------------------------------------------------------------------- matching

SENTENCES = [
    # Shanghai's style: a command and its four counties
    (
        "上海援疆前方指挥部今年在莎车县、泽普县和叶城县新建幼儿园12所。",
        [
            ("上海", "上海市", "donor"),
            ("莎车县", "莎车县", "recipient"),
            ("泽普县", "泽普县", "recipient"),
            ("叶城县", "叶城县", "recipient"),
        ],
    ),
    # Jiangsu's style: province, prefecture short form, a donor city, a bare county name
    (
        "江苏省对口支援伊犁州前方指挥部会同苏州援疆工作组在霍尔果斯举办招商推介会。",
        [
            ("江苏省", "江苏省", "donor"),
            ("伊犁州", "伊犁哈萨克自治州", "recipient"),
            ("苏州", "苏州市", "donor"),
            ("霍尔果斯", "霍尔果斯市", "recipient"),
        ],
    ),
    # Guangdong's style: an XPCC division and its city, a donor city
    (
        "广东援疆驻兵团第三师工作队引进佛山企业落户图木舒克市,带动就业300人。",
        [
            ("广东", "广东省", "donor"),
            ("兵团第三师", "兵团第三师", "recipient"),
            ("佛山", "佛山市", "donor"),
            ("图木舒克市", "兵团第三师", "recipient"),
        ],
    ),
    # Beijing's style: the prefecture short form before 指挥部, the full prefecture, a county
    (
        "北京市援疆和田指挥部在和田地区洛浦县建成安居房800套。",
        [
            ("北京市", "北京市", "donor"),
            ("和田", "和田地区", "recipient"),
            ("和田地区", "和田地区", "recipient"),
            ("洛浦县", "洛浦县", "recipient"),
        ],
    ),
    # Zhejiang's style: one-character donor, two-place phrase, programme in quotes
    (
        "浙阿两地“十城百店”销售额再创新高,覆盖阿克苏地区和兵团一师。",
        [
            ("浙", "浙江省", "donor"),
            ("十城百店", "十城百店", "programme"),
            ("阿克苏地区", "阿克苏地区", "recipient"),
            ("兵团一师", "兵团第一师", "recipient"),
        ],
    ),
    # Fujian's style: county in full, then a township that must not count as a county
    (
        "福州援疆分指挥部在奇台县坎尔孜乡开展义诊。",
        [("福州", "福州市", "donor"), ("奇台县", "奇台县", "recipient")],
    ),
]


@pytest.mark.parametrize("text,expected", SENTENCES, ids=[s[0][:6] for s in SENTENCES])
def test_find_on_donor_styles(gaz: Gazetteer, text: str, expected: list) -> None:
    assert found(gaz, text) == expected


def test_leftmost_longest(gaz: Gazetteer) -> None:
    assert found(gaz, "喀什地区") == [("喀什地区", "喀什地区", "recipient")]
    assert found(gaz, "新疆生产建设兵团第三师") == [
        ("新疆生产建设兵团第三师", "兵团第三师", "recipient")
    ]
    # the longer form wins at the same start; the shorter one still counts alone
    assert found(gaz, "新疆维吾尔自治区和新疆") == [
        ("新疆维吾尔自治区", "新疆维吾尔自治区", "recipient"),
        ("新疆", "新疆维吾尔自治区", "recipient"),
    ]
    # leftmost first: 浙江西部 is 浙江 + 西部, not 江西
    assert found(gaz, "浙江西部") == [("浙江", "浙江省", "donor")]


def test_aliases_resolve_to_canonical(gaz: Gazetteer) -> None:
    assert found(gaz, "克州阿图什") == [
        ("克州", "克孜勒苏柯尔克孜自治州", "recipient"),
        ("阿图什", "阿图什市", "recipient"),
    ]
    assert found(gaz, "巴州库尔勒") == [
        ("巴州", "巴音郭楞蒙古自治州", "recipient"),
        ("库尔勒", "库尔勒市", "recipient"),
    ]
    # former names
    assert found(gaz, "库车县") == [("库车县", "库车市", "recipient")]
    assert found(gaz, "哈密地区") == [("哈密地区", "哈密市", "recipient")]
    assert gaz.resolve("博州") == "博尔塔拉蒙古自治州"
    assert gaz.resolve("塔县") == "塔什库尔干塔吉克自治县"
    assert gaz.resolve("没有这个地方") is None


@pytest.mark.parametrize(
    "text",
    [
        "兵团第三师",
        "第三师",
        "兵团三师",
        "农三师",
        "新疆兵团第三师",
        "图木舒克市",
        "三师图木舒克市",
    ],
)
def test_xpcc_forms_of_the_third_division(gaz: Gazetteer, text: str) -> None:
    assert found(gaz, text) == [(text, "兵团第三师", "recipient")]
    (match,) = gaz.find(text)
    assert (match.level, match.parent) == ("division", "新疆生产建设兵团")


@pytest.mark.parametrize("text", ["168团", "一师一策", "三师", "湖州师范学院", "第一师范学院"])
def test_not_divisions(gaz: Gazetteer, text: str) -> None:
    assert [m for m in gaz.find(text) if m.level == "division"] == []


def test_division_cities(gaz: Gazetteer) -> None:
    expected = {
        "兵团第一师": "阿拉尔市",
        "兵团第二师": "铁门关市",
        "兵团第三师": "图木舒克市",
        "兵团第四师": "可克达拉市",
        "兵团第五师": "双河市",
        "兵团第六师": "五家渠市",
        "兵团第七师": "胡杨河市",
        "兵团第八师": "石河子市",
        "兵团第九师": "白杨市",
        "兵团第十师": "北屯市",
        "兵团第十三师": "新星市",
        "兵团第十四师": "昆玉市",
    }
    for division, city in expected.items():
        assert gaz.entry(division).city == city
        assert gaz.resolve(city) == division
    for division in ("兵团第十一师", "兵团第十二师"):
        assert gaz.entry(division).city is None


def test_ordinary_words_are_not_places(gaz: Gazetteer) -> None:
    # melon, jade, time zone, organisation, market, region, township, recovery, JD.com
    for text in ["哈密瓜", "和田玉", "北京时间", "上海合作组织", "经济复苏", "京东平台"]:
        assert gaz.find(text) == [], text
    assert found(gaz, "阿克苏市场") == [("阿克苏", "阿克苏地区", "recipient")]
    assert found(gaz, "天山区域") == []
    assert found(gaz, "阿瓦提乡和阿瓦提县") == [("阿瓦提县", "阿瓦提县", "recipient")]
    assert found(gaz, "南疆乡村振兴") == [("南疆", "南疆", "recipient")]
    assert found(gaz, "沙雅乡村振兴") == [("沙雅", "沙雅县", "recipient")]
    assert found(gaz, "创新和发展") == []


def test_programmes(gaz: Gazetteer) -> None:
    for text in ["百校十万“石榴籽”青少年融情工程", "百校十万‘石榴籽’青少年融情工程"]:
        assert found(gaz, text) == [(text, "百校十万石榴籽", "programme")]
    assert found(gaz, "像石榴籽一样紧紧抱在一起") == []
    (sub,) = gaz.find("千名老人复光明")
    assert (sub.canonical, sub.parent) == ("千名老人复光明", "百千万")
    assert found(gaz, "“百千万”暖心惠民项目") == [("“百千万”暖心惠民", "百千万", "programme")]
    assert found(gaz, "百千万工程") == []
    assert found(gaz, "“组团式”教育援疆") == [("组团式", "组团式援疆", "programme")]
    assert found(gaz, "组团式医疗援疆") == [("组团式医疗援疆", "组团式医疗援疆", "programme")]


def test_match_fields(gaz: Gazetteer) -> None:
    text = "嘉兴援疆指挥部助力沙雅"
    jx, shaya = gaz.find(text)
    assert (jx.start, jx.end, jx.level, jx.parent) == (0, 2, "city", "浙江省")
    assert (shaya.start, shaya.end, shaya.level, shaya.parent) == (9, 11, "county", "阿克苏地区")


def test_find_one_megabyte_fast(gaz: Gazetteer) -> None:
    unit = "2023年,浙江援疆在阿克苏地区新建学校3所,兵团第一师阿拉尔市受益群众1.2万人次。"
    text = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        matches = gaz.find(text)
        best = min(best, time.perf_counter() - start)
    assert len(matches) >= 3 * (1_000_000 // len(unit))
    assert best < 1.0, f"find took {best:.2f} s on 1 MB"


# ---------------------------------------------------------------------------- lookups


def test_prefecture_of(gaz: Gazetteer) -> None:
    assert gaz.prefecture_of("莎车县") == "喀什地区"
    assert gaz.prefecture_of("莎车") == "喀什地区"
    assert gaz.prefecture_of("沙湾市") == "塔城地区"
    assert gaz.prefecture_of("喀什地区") == "喀什地区"
    assert gaz.prefecture_of("兵团第一师") is None
    assert gaz.prefecture_of("嘉兴市") is None
    (county,) = gaz.find("泽普县")
    assert county.parent == "喀什地区"


def test_donor_of_city(gaz: Gazetteer) -> None:
    assert gaz.donor_of_city("嘉兴市") == "浙江省"
    assert gaz.donor_of_city("苏州") == "江苏省"
    assert gaz.donor_of_city("江阴市") == "江苏省"
    assert gaz.donor_of_city("浙江省") == "浙江省"
    assert gaz.donor_of_city("深圳市") == "深圳市"  # a donor in its own right
    assert gaz.donor_of_city("喀什地区") is None


def test_pairings(gaz: Gazetteer) -> None:
    assert set(gaz.recipients_of("上海市")) == {"巴楚县", "莎车县", "泽普县", "叶城县"}
    assert gaz.recipients_of("嘉兴") == ["沙雅县"]
    assert set(gaz.recipients_of("浙江省")) == {"阿克苏地区", "兵团第一师"}
    assert set(gaz.recipients_of("深圳")) == {"喀什市", "塔什库尔干塔吉克自治县"}
    assert set(gaz.recipients_of("广东省")) == {"疏附县", "伽师县", "兵团第三师"}
    assert gaz.recipients_of("舟山市") == []  # not established, so not guessed
    assert gaz.donors_of("沙雅县") == ["嘉兴市", "浙江省"]
    assert gaz.donors_of("图木舒克市") == ["广东省"]
    assert gaz.donors_of("乌鲁木齐市") == []


# ---------------------------------------------------------------------------- the shipped data


def test_counts(raw_doc: dict) -> None:
    recipients = raw_doc["recipients"]
    assert len(raw_doc["donors"]) == 19
    prefectures = {r["name"] for r in recipients if r["level"] == "prefecture"}
    assert prefectures == {
        "喀什地区",
        "和田地区",
        "阿克苏地区",
        "克孜勒苏柯尔克孜自治州",
        "伊犁哈萨克自治州",
        "博尔塔拉蒙古自治州",
        "昌吉回族自治州",
        "巴音郭楞蒙古自治州",
        "哈密市",
        "吐鲁番市",
        "阿勒泰地区",
        "塔城地区",
        "乌鲁木齐市",
        "克拉玛依市",
    }
    divisions = [r["name"] for r in recipients if r["level"] == "division"]
    numerals = [*"一二三四五六七八九十", "十一", "十二", "十三", "十四"]
    assert divisions == [f"兵团第{n}师" for n in numerals]
    assert len([r for r in recipients if r["level"] == "county"]) >= 95


def test_every_alias_maps_to_exactly_one_entry(raw_doc: dict) -> None:
    owners: dict[str, list[str]] = {}
    for section in ("donors", "donor_cities", "recipients", "programmes"):
        for entry in raw_doc[section]:
            forms = [entry["name"], *entry.get("aliases", [])]
            if entry.get("city"):
                forms.append(entry["city"])
            for form in forms:
                owners.setdefault(form, []).append(entry["name"])
    shared = {form: names for form, names in owners.items() if len(names) > 1}
    assert shared == {}
    assert len(owners) > 500


def test_every_pairing_references_existing_names(raw_doc: dict, gaz: Gazetteer) -> None:
    donors = {e["name"] for e in raw_doc["donors"] + raw_doc["donor_cities"]}
    recipients = {e["name"] for e in raw_doc["recipients"]}
    assert raw_doc["pairings"]
    for row in raw_doc["pairings"]:
        assert row["donor"] in donors
        assert set(row["recipients"]) <= recipients, row
        assert gaz.recipients_of(row["donor"]) == row["recipients"]
    # every donor has a pairing row; every programme's donor exists
    assert {e["name"] for e in raw_doc["donors"]} <= {r["donor"] for r in raw_doc["pairings"]}
    for programme in raw_doc["programmes"]:
        assert programme.get("donor") is None or programme["donor"] in donors


def test_parents_are_consistent(raw_doc: dict) -> None:
    level = {r["name"]: r["level"] for r in raw_doc["recipients"]}
    for r in raw_doc["recipients"]:
        if r["level"] == "county":
            assert level[r["parent"]] == "prefecture", r["name"]
        if r["level"] in ("prefecture", "division"):
            assert r.get("area") in ("南疆", "北疆", "东疆"), r["name"]


# ---------------------------------------------------------------------------- glossary


def test_glossary_exact_compound_and_none(glossary: Glossary) -> None:
    assert len(glossary) >= 250
    assert glossary.english("援疆资金") == "aid funds"
    assert glossary.english("受益群众") == "beneficiaries"
    assert glossary.english("消费帮扶销售额") == "consumption aid sales"
    assert glossary.english("转移就业人数") == "transferred employment number of people"
    # two two-part covers (援疆教师+培训, 援疆+教师培训): the longer first part wins
    assert glossary.english("援疆教师培训") == "aid teachers training"
    assert glossary.english("消费帮扶销售额度") is None  # 度 is not covered
    assert glossary.english("量子纠缠") is None
    assert glossary.english("") is None


def test_glossary_segmentation_covers_the_whole_term() -> None:
    # longest-first from the left would take 销售额 and strand 度
    small = Glossary({"销售额": "sales", "销售": "selling", "额度": "quota"})
    assert small.english("销售额度") == "selling quota"
    # fewest parts wins over a longer first part: 甲乙+丙丁戊己庚辛, not 甲乙丙+丁戊+己庚辛
    parts = {"甲乙丙": "abc", "丁戊": "de", "己庚辛": "fgh", "甲乙": "ab", "丙丁戊己庚辛": "cdefgh"}
    assert Glossary(parts).english("甲乙丙丁戊己庚辛") == "ab cdefgh"


def test_glossary_english_style(glossary: Glossary) -> None:
    for zh, en in glossary.terms.items():
        assert en == en.strip() and "  " not in en, zh
        assert en[0].islower() or en.split()[0] in {"Xinjiang", "XPCC"}, (zh, en)


# ---------------------------------------------------------------------------- broken files

MINIMAL = """\
donors:
  - name: 浙江省
    en: Zhejiang
    level: province
    aliases: [浙江]
donor_cities:
  - name: 嘉兴市
    en: Jiaxing
    province: 浙江省
    aliases: [嘉兴]
recipients:
  - name: 新疆维吾尔自治区
    en: Xinjiang
    level: region
  - name: 阿克苏地区
    en: Aksu Prefecture
    level: prefecture
    parent: 新疆维吾尔自治区
  - name: 沙雅县
    en: Shaya County
    level: county
    parent: 阿克苏地区
    aliases: [沙雅]
pairings:
  - donor: 嘉兴市
    recipients: [沙雅县]
"""

BROKEN = {
    "missing field": (
        MINIMAL.replace("    en: Shaya County\n", ""),
        ["recipients #3 (沙雅县)", "'en'", "missing", "add it"],
    ),
    "unknown key": (
        MINIMAL.replace("    en: Shaya County\n", "    en: Shaya County\n    enn: x\n"),
        ["recipients #3 (沙雅县)", "unknown field 'enn'", "remove it"],
    ),
    "duplicate alias": (
        MINIMAL.replace("aliases: [沙雅]", "aliases: [沙雅, 嘉兴]"),
        ["recipients #3 (沙雅县)", "'aliases'", "'嘉兴'", "donor_cities #1 (嘉兴市)", "remove"],
    ),
    "wrong type": (
        MINIMAL.replace("aliases: [沙雅]", "aliases: 沙雅"),
        ["recipients #3 (沙雅县)", "'aliases'", "list"],
    ),
    "YAML alias": (
        MINIMAL.replace("    en: Jiaxing\n", "    en: &j Jiaxing\n").replace(
            "en: Shaya County", "en: *j"
        ),
        ["donor_cities #1 (嘉兴市)", "'en'", "anchor", "write the value out"],
    ),
    "unknown parent": (
        MINIMAL.replace("parent: 阿克苏地区", "parent: 喀什地区"),
        ["recipients #3 (沙雅县)", "'parent'", "'喀什地区'", "canonical name"],
    ),
    "pairing to nowhere": (
        MINIMAL.replace("recipients: [沙雅县]", "recipients: [莎车县]"),
        ["pairings #1 (嘉兴市)", "'recipients'", "'莎车县'"],
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_gazetteer_one_line(tmp_path: Path, case: str) -> None:
    text, expected = BROKEN[case]
    path = tmp_path / "gazetteer.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AidstatsError) as info:
        load_gazetteer(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    for part in expected:
        assert part in message, (part, message)


def test_minimal_gazetteer_loads(tmp_path: Path) -> None:
    path = tmp_path / "gazetteer.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    gaz = load_gazetteer(path)
    assert gaz.recipients_of("嘉兴市") == ["沙雅县"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("terms:\n  销售额: sales\n  销售额: sale\n", ["terms #2 (销售额)", "twice", "keep one"]),
        ("terms:\n  销售额: sales\n  接诊: 12\n", ["terms #2 (接诊)", "'en'", "text"]),
        ("terms:\n  销售额: &s sales\n  销量: *s\n", ["terms #1 (销售额)", "anchor"]),
        ("terms:\n  元: yuan\n", ["terms #1 (元)", "'zh'", "two characters"]),
        ("terms:\n  - 销售额\n", ["'terms:' mapping"]),
    ],
    ids=["duplicate", "wrong type", "YAML alias", "single character", "not a mapping"],
)
def test_broken_glossary_one_line(tmp_path: Path, text: str, expected: list[str]) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AidstatsError) as info:
        load_glossary(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    for part in expected:
        assert part in message, (part, message)


def test_loads_are_cached_until_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "gazetteer.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    first = load_gazetteer(path)
    assert load_gazetteer(path) is first
    path.write_text(MINIMAL.replace("aliases: [沙雅]", "aliases: [沙雅, 沙雅地方]"), "utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = load_gazetteer(path)
    assert second is not first
    assert second.resolve("沙雅地方") == "沙雅县"
