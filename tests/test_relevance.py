"""The --relevant-only rule on short texts written for it (expected answers by hand)."""

from __future__ import annotations

import pytest

from aidstats.auto.figures import Knowledge
from aidstats.paths import project_paths
from aidstats.relevance import relevance
from support import ROOT

GAZ = Knowledge.load(project_paths(ROOT)).gazetteer


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("辽宁援疆十年", "辽宁省对口支援塔城地区以来，累计投入资金30亿元。", True),
        ("湖北援建博州学校投用", "湖北援建的博乐市第五中学新校区正式投入使用。", True),
        # a donor and a cooperation word in a Xinjiang place, without the word 援疆
        ("深圳企业结对喀什", "深圳市20家企业与喀什市乡村结对帮扶，带动就业。", True),
        # Xinjiang, but tourism with no aid
        ("喀什古城迎来旅游旺季", "国庆假期，喀什古城接待游客30万人次，同比增长20%。", False),
        # paired aid, but not to Xinjiang
        ("上海对口支援云南", "上海市对口支援云南省文山州，援建学校12所。", False),
        # neither
        ("全市运动会开幕", "第十届全市运动会今天开幕，参赛运动员3000余名。", False),
        # a melon named after 哈密 is no place in Xinjiang for this rule
        ("哈密瓜上市", "今年哈密瓜产量增加，价格稳定，市民可在超市买到。", False),
    ],
)
def test_relevance(title: str, text: str, expected: bool) -> None:
    result = relevance(text, GAZ, title=title)
    assert result.relevant is expected, result.reason


def test_the_shipped_and_test_articles_are_relevant() -> None:
    from aidstats.corpus import load_corpus

    for article in load_corpus(project_paths(ROOT)):
        assert relevance(article.text, GAZ, title=article.title).relevant, article.id
    for path in sorted((ROOT / "tests" / "data" / "auto").glob("*.txt")):
        assert relevance(path.read_text(encoding="utf-8"), GAZ).relevant, path.name
