"""Cleaning: page-break joins, block kinds, and an exact map back to raw offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidstats.clean import CleanArticle, clean_article, clean_text, ends_sentence
from aidstats.corpus import load_corpus
from aidstats.paths import ProjectPaths


@pytest.fixture(scope="module")
def cleaned() -> dict[str, CleanArticle]:
    from support import ROOT

    return {a.id: clean_article(a) for a in load_corpus(ProjectPaths(ROOT))}


# The joins the issue lists, written as the text reads once the page break is gone.
JOINS = {
    "jx-shaya-2023": [
        "一栋栋新房拔地而起",
        "谋划实施“百场义诊",
        "政治自觉",
        "手机一族",
        "优质课",
        "百万图书进基层",
        "作风,走遍沙雅的乡镇",
    ],
    "zj-aksu-2022": ["组长蓝邓骏说", "小小“石榴籽”", "高校等", "聚起来", "1:1配套,把人和企业"],
}


@pytest.mark.parametrize(("article_id", "joined"), [(a, j) for a, js in JOINS.items() for j in js])
def test_page_break_joins(cleaned: dict[str, CleanArticle], article_id: str, joined: str) -> None:
    clean = cleaned[article_id]
    assert joined not in clean.raw  # really split in the raw file
    paragraphs = [p for p in clean.paragraphs if joined in p.text]
    assert len(paragraphs) == 1 and paragraphs[0].kind == "paragraph"
    assert len(paragraphs[0].blocks) >= 2


# Kinds read off the articles by hand: (article, start of the block, kind).
KINDS = [
    ("jx-shaya-2023", "从东海之滨到天山南麓", "title"),
    ("jx-shaya-2023", "产业援疆 科技援疆", "subtitle"),
    ("jx-shaya-2023", "聚焦民生福祉 狠抓援疆项目建设", "heading"),
    ("jx-shaya-2023", "坚持引育并举 高质量推进产业援疆", "heading"),
    ("jx-shaya-2023", "“人间至味是新疆”专卖店", "caption"),
    ("jx-shaya-2023", "深化组团帮扶 智力援助再谱新篇", "heading"),
    ("jx-shaya-2023", "“幼儿心肺健康百园行”惠民义诊活动", "caption"),
    ("jx-shaya-2023", "傅静之", "credit"),
    ("jx-shaya-2023", "推进文化浸润", "heading"),
    ("jx-shaya-2023", "嘉沙连心共未来", "heading"),
    ("jx-shaya-2023", "嘉沙文化走亲,传承非遗之美", "caption"),
    ("jx-shaya-2023", "强化使命担当 锤炼援疆红船铁军", "heading"),
    ("jx-shaya-2023", "2021年沙雅县旅游基础设施建设项目", "caption"),
    ("jx-shaya-2023", "浙阿基础教育大联盟教学活动", "caption"),
    ("jx-shaya-2023", "新年伊始", "paragraph"),
    ("zj-aksu-2022", "携手共进 高质量发展", "subtitle"),
    ("zj-aksu-2022", "浙江援疆谱写交流合作新篇章", "title"),
    ("zj-aksu-2022", "钱 祎 叶锡挺", "byline"),
    ("zj-aksu-2022", "浙江宁波援疆在库车", "caption"),
    ("zj-aksu-2022", "浙阿共同建立覆盖学前到高中", "caption"),
    ("zj-aksu-2022", "2021年8月13日,满载", "caption"),
    ("zj-aksu-2022", "强强联合促消费 产业协作拓新路", "heading"),
    ("zj-aksu-2022", "浙江世界冠军来到阿克苏", "caption"),
    ("zj-aksu-2022", "组建联盟增互通 教育医疗大提升", "heading"),
    ("zj-aksu-2022", "浙江援疆“启明行动”已经产生了", "caption"),
    ("zj-aksu-2022", "文化润疆促“三交” 乡村振兴惠民生", "heading"),
    ("zj-aksu-2022", "(本版图片由浙江省援疆指挥部提供)", "credit"),
    ("zj-aksu-2022", "2021年,浙江市场援疆", "paragraph"),
]


@pytest.mark.parametrize(("article_id", "start", "kind"), KINDS)
def test_block_kinds(
    cleaned: dict[str, CleanArticle], article_id: str, start: str, kind: str
) -> None:
    blocks = [b for b in cleaned[article_id].blocks if b.text.startswith(start)]
    assert len(blocks) == 1
    assert blocks[0].kind == kind


def test_no_heading_or_caption_glued_to_a_paragraph(cleaned: dict[str, CleanArticle]) -> None:
    for clean in cleaned.values():
        kind_of = {b.number: b.kind for b in clean.blocks}
        for para in clean.paragraphs:
            assert {kind_of[n] for n in para.blocks} == {para.kind}
            if len(para.blocks) > 1:
                assert para.kind == "paragraph"


def test_every_body_paragraph_ends_a_sentence(cleaned: dict[str, CleanArticle]) -> None:
    for clean in cleaned.values():
        for para in clean.paragraphs:
            if para.kind == "paragraph":
                assert ends_sentence(para.text), para.text


def _check_map(clean: CleanArticle) -> None:
    raw = clean.raw
    separators = {clean.para_starts[i] - 1 for i in range(1, len(clean.para_starts))}
    assert len(clean.text) == len(clean.offsets)
    assert len(set(clean.offsets)) == len(clean.offsets)  # no raw character used twice
    for para in clean.paragraphs:  # in reading order within a paragraph
        assert list(para.body.offsets) == sorted(para.body.offsets)
    for i, (ch, off) in enumerate(zip(clean.text, clean.offsets, strict=True)):
        if i in separators:
            assert ch == "\n" and raw[off].isspace()
        else:
            assert raw[off] == ch
    # nothing lost: every non-space raw character is in the cleaned text
    kept = set(clean.offsets)
    assert all(i in kept for i, ch in enumerate(raw) if not ch.isspace())
    # blocks tile the raw text: between them only whitespace
    pos = 0
    for block in clean.blocks:
        assert raw[pos : block.body.raw_start].strip() == ""
        assert "".join(raw[o] for o in block.body.offsets) == block.text
        pos = block.body.raw_end
    assert raw[pos:].strip() == ""


def test_offset_map_on_the_articles(cleaned: dict[str, CleanArticle]) -> None:
    for clean in cleaned.values():
        _check_map(clean)
        # a span found in clean text quotes the raw file
        start = clean.text.index("4.5亿元") if "4.5亿元" in clean.text else clean.text.index("72.8")
        raw_start, raw_end = clean.raw_span(start, start + 4)
        assert clean.raw[raw_start:raw_end] == clean.text[start : start + 4]


def test_crlf_and_fullwidth_indent_give_the_same_paragraphs(
    cleaned: dict[str, CleanArticle],
) -> None:
    clean = cleaned["jx-shaya-2023"]
    variant = clean.raw.replace("\n", "\r\n").replace("新年伊始", "\u3000\u3000新年伊始")
    other = clean_text(
        variant, title="从东海之滨到天山南麓", subtitle="产业援疆 科技援疆 倾情援疆 勇立潮头"
    )
    assert [p.text for p in other.paragraphs] == [p.text for p in clean.paragraphs]
    assert [p.kind for p in other.paragraphs] == [p.kind for p in clean.paragraphs]
    _check_map(other)


PIECES = st.sampled_from(
    [
        "援疆资金",
        "4.5亿元",
        "。",
        ",",
        "“",
        "”",
        "\n",
        "\n\n",
        "\n\n\n\n",
        "\r\n",
        "\r\n\r\n",
        "\u3000",
        " ",
        "\t",
        "项目",
        "其中",
        "(图片提供)",
        "……",
        "A",
        "１２３",
        "\ufeff",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=40).map("".join))
def test_offset_map_property(raw: str) -> None:
    _check_map(clean_text(raw))


@settings(deadline=None)
@given(st.text(max_size=200))
def test_clean_never_raises(raw: str) -> None:
    clean = clean_text(raw)
    for start in range(0, len(clean.text), 7):
        clean.paragraph_at(start)
