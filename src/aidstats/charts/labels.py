"""Bilingual labels and small text helpers: every word a chart shows, in Chinese and English.

Text from articles goes through :func:`escape_hover` before it reaches Plotly's HTML-like
labels; numbers and bounds are written by :mod:`aidstats.formatting`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from aidstats.formatting import bounds_text, is_missing

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "as_reported": "原文",
        "share_key": "占比",
        "whole_key": "总数",
        "value": "数值",
        "bounds": "上下界",
        "period": "统计期",
        "region": "受援地",
        "donor": "援助方",
        "program": "项目",
        "article": "文章",
        "sentence": "原句",
        "offsets": "原文位置",
        "formula": "推算",
        "from": "所用指标",
        "basis_reported": "报道值",
        "basis_derived": "推算值",
        "note": "说明",
        "measure": "计量",
        "not_in_totals": "不计入合计",
        "no_data": "没有可画的数据",
        "derived": "推算",
        "reported": "报道",
        "other_rows": "另有{n}项指标没有可对照的总数,未画出(见指标浏览图)",
        "log": "对数刻度",
        "share": "占总数的百分比(%)",
        "whole": "总数 = 100%",
        "share_reported": "报道的占比",
        "share_derived": "推算的占比(斜线)",
        "bounds_trace": "线段 = 措辞隐含的范围<br>1000余 → 1000至2000以下<br>近800 → 至多800",
        "of": "占",
        "shares_title": "援疆资金与项目:部分占总数的比例",
        "shares_sub": "斜线 = 由报道数字推算;线段 = 多/余/超/近隐含的上下界;"
        "各部分可能互相包含,不可相加;不同文章的年份与援助方不同,不宜直接比较",
        "sales_title": "消费帮扶销售额:按项目与年份",
        "sales_sub": "斜线 = 推算值(上年销售额由同比增长率倒推,每吨销售额 = 销售额 ÷ 销售量);"
        "箭头 = 只知下界(超…);不同援助方与年份不构成同一时间序列",
        "sales_value": "销售额",
        "previous_year_value": "上年销售额(推算)",
        "online_sales_value": "其中线上销售额",
        "sales_volume": "销售量",
        "value_per_tonne": "每吨销售额(推算)",
        "growth_rate": "同比增长(报道)",
        "growth_from_values": "同比增长(由两年数值推算)",
        "yoy": "同比",
        "benef_title": "受益人数与人次:按领域与项目",
        "benef_sub": "人数与人次分开作图、不可相加;每篇文章一个面板:不同文章的年份、地区与项目不同,"
        "不宜相互比较;点 = 原文数字,线段与箭头 = 多/余/超/近隐含的范围",
        "people": "人数(人、名、位)",
        "person_times": "人次(同一人可被计多次)",
        "explorer_title": "文中的全部指标",
        "explorer_sub": "每行一项指标,按在文中出现的先后排列;悬停可见原句、上下界与出处",
        "wording": "措辞",
        "category": "分类",
        "auto_line": "自动识别,未经人工核对",
        "confidence": "置信度",
        "auto_legend": "自动识别(未经人工核对)",
        "over_100": "另有{n}项占比超过100%,不是该总数的一部分(多为自动配对),未画出,见表",
        # the corpus view (charts/corpus.py)
        "years_title": "援疆资金与项目:按援助方与年份",
        "years_sub": "每点一个事实(各篇报道对同一数字的说法合而为一),横轴为统计期末年;方块 = 累计数"
        "(细线为统计期);不同受援地与统计期的事实互相重叠,不可相加;红圈 = 来源矛盾",
        "corpus_sales_title": "消费帮扶销售额:按援助方与年份",
        "sectors_title": "受益人数与人次:按领域",
        "sectors_sub": "每点一个事实,人数与人次分开作图;各点可能互相包含,不可相加;"
        "线段 = 各来源共同允许的范围;红圈 = 来源矛盾",
        "sources_title": "每个事实有几个来源",
        "sources_sub": "同一指标、援助方、受援地与统计期,且数值在舍入范围内一致的报道合为一个事实;"
        "红色 = 来源之间的矛盾超出舍入,需要核对",
        "conflicts_title": "需要核对的矛盾",
        "conflicts_sub": "各来源的数值超出舍入范围;按来源文章数与来源数排列",
        "other_donors": "其他援助方({n}个)",
        "not_drawn": "另有{n}项事实未画出(先画人工整理的与来源最多的),见表",
        "cumulative": "累计",
        "conflict": "来源矛盾",
        "agree": "来源一致",
        "n_sources": "来源数",
        "n_facts": "事实数",
        "sources": "来源",
        "median_of": "{n}个来源的中位数",
        "year": "年份",
        "no_conflicts": "没有来源矛盾",
        "fact_bounds": "线段 = 各来源共同允许的范围<br>(窄于数值5%的不画)",
        "more_articles": "只画出{k}篇文章(先人工整理的,再数值最大的),另有{n}篇未画出,"
        "全部数据见 {table}.csv",
        "more_panels": "每种计量只画出{k}篇文章(先人工整理的,再数值最大的),另有{n}个面板未画出,"
        "全部数据见 {table}.csv",
    },
    "en": {
        "as_reported": "As reported",
        "share_key": "Share",
        "whole_key": "Total",
        "value": "Value",
        "bounds": "Bounds",
        "period": "Period",
        "region": "Recipient",
        "donor": "Donor",
        "program": "Programme",
        "article": "Article",
        "sentence": "Sentence",
        "offsets": "Raw offsets",
        "formula": "Derived as",
        "from": "Figures used",
        "basis_reported": "reported",
        "basis_derived": "derived",
        "note": "Note",
        "measure": "Measure",
        "not_in_totals": "not added into totals",
        "no_data": "Nothing to chart",
        "derived": "derived",
        "reported": "reported",
        "other_rows": "{n} more figure(s) have no total to compare with and are not drawn "
        "(see the figure explorer)",
        "log": "log scale",
        "share": "Share of the total (%)",
        "whole": "Total = 100%",
        "share_reported": "Reported share",
        "share_derived": "Derived share (hatched)",
        "bounds_trace": "Range implied by the wording<br>1000余 → 1000 to under 2000<br>"
        "近800 → at most 800",
        "of": "of",
        "shares_title": "Aid funds and projects: parts of their totals",
        "shares_sub": "Hatched = derived from reported numbers; whiskers = bounds implied by "
        "多/余/超/近; parts may overlap and are not to be added; articles differ in "
        "year and donor and are not directly comparable",
        "sales_title": "Consumption-aid sales by programme and year",
        "sales_sub": "Hatched = derived (previous year from the reported growth rate, value per "
        "tonne = value ÷ volume); arrow = lower bound only (超…); different donors and years "
        "are not one time series",
        "sales_value": "Sales value",
        "previous_year_value": "Previous-year sales (implied)",
        "online_sales_value": "of which online",
        "sales_volume": "Sales volume",
        "value_per_tonne": "Value per tonne (derived)",
        "growth_rate": "Year-on-year growth (reported)",
        "growth_from_values": "Growth from two reported years (derived)",
        "yoy": "y/y",
        "benef_title": "People reached, by sector and programme",
        "benef_sub": "People and person-times are charted apart and never added; one panel per "
        "article: articles differ in year, place and programme and are not to be ranked "
        "against each other; dot = the number as written, line and arrow = the range "
        "多/余/超/近 imply",
        "people": "People (人, 名, 位)",
        "person_times": "Person-times (one person may count many times)",
        "explorer_title": "Every figure in the text",
        "explorer_sub": "One row per figure, in reading order; hover for the sentence, "
        "bounds and source",
        "wording": "Wording",
        "category": "Category",
        "auto_line": "Labelled automatically, not reviewed by a person",
        "confidence": "confidence",
        "auto_legend": "Automatic (not reviewed)",
        "over_100": "{n} more share(s) above 100% are not parts of that total (mostly automatic "
        "pairings) and are not drawn: see the table",
        # the corpus view (charts/corpus.py)
        "years_title": "Aid funds and projects by donor and year",
        "years_sub": "One dot per fact (every report of one number merged), at the year its "
        "period ends; square = cumulative (thin line: its period); facts of different "
        "recipients and periods overlap and are not to be added; red ring = sources disagree",
        "corpus_sales_title": "Consumption-aid sales by donor and year",
        "sectors_title": "People reached, by sector",
        "sectors_sub": "One dot per fact, people and person-times apart; facts may contain "
        "each other and are not to be added; line = the range all sources allow; red ring = "
        "sources disagree",
        "sources_title": "How many sources tell each fact",
        "sources_sub": "Reports agreeing on indicator, donor, recipient and period, with values "
        "within rounding, are one fact; red = sources disagree beyond rounding, to be checked",
        "conflicts_title": "Conflicts to look at",
        "conflicts_sub": "The sources' values differ beyond rounding; most articles and sources "
        "first",
        "other_donors": "Other donors ({n})",
        "not_drawn": "{n} more fact(s) not drawn (curated and most-told first): see the table",
        "cumulative": "cumulative",
        "conflict": "Sources disagree",
        "agree": "Sources agree",
        "n_sources": "Sources",
        "n_facts": "Facts",
        "sources": "Sources",
        "median_of": "median of {n} sources",
        "year": "Year",
        "no_conflicts": "No conflicts between sources",
        "fact_bounds": "Line = the range all sources allow<br>(none when narrower than 5%)",
        "more_articles": "{k} articles are drawn (curated first, then the largest values); "
        "{n} more are not: every row is in {table}.csv",
        "more_panels": "{k} articles are drawn per measure (curated first, then the largest "
        "values); {n} more panels are not: every row is in {table}.csv",
    },
}
CATEGORIES = {
    "funds": ("资金", "Funds"),
    "projects": ("项目", "Projects"),
    "sales": ("销售", "Sales"),
    "beneficiaries": ("受益人", "Beneficiaries"),
    "infrastructure": ("基础设施", "Infrastructure"),
    "education": ("教育", "Education"),
    "health": ("医疗卫生", "Health"),
    "culture": ("文化", "Culture"),
    "employment": ("就业", "Employment"),
    "industry": ("产业", "Industry"),
    "economy": ("经济", "Economy"),
    "other": ("其他", "Other"),
}
MEASURES = {
    "money": ("金额", "Money"),
    "people": ("人数", "People"),
    "person_times": ("人次", "Person-times"),
    "items": ("个数", "Items"),
    "share": ("占比", "Share"),
    "growth": ("增长率", "Growth"),
    "ratio": ("比例", "Ratio"),
    "area": ("面积", "Area"),
    "weight": ("重量", "Weight"),
    "events": ("场次", "Events"),
    "count": ("数量", "Count"),
    "duration": ("时长", "Duration"),
    "other": ("其他", "Other"),
}
QUALIFIERS = {
    # qualifier → (symbol, zh, en)
    "exact": ("circle", "精确", "exact"),
    "over": ("triangle-up", "至少(多/余/超/以上)", "at least (多/余/超/以上)"),
    "near": ("triangle-down", "至多(近)", "at most (近)"),
    "approx": ("diamond", "约数(约/左右)", "approximate (约/左右)"),
}
#: Where each category sorts (unknown ones after these, alphabetically).
CATEGORY_RANK = {c: i for i, c in enumerate(CATEGORIES)}
#: The three panels of the sales chart: axis names.
AXIS_NAMES = {
    "sales_value": ("销售额", "Sales value"),
    "sales_volume": ("销售量", "Sales volume"),
    "value_per_tonne": ("每吨销售额", "Value per tonne"),
}
_SCALES = {
    # unit → (divisor, axis unit zh, divisor, axis unit en)
    "元": (1e8, "亿元", 1e9, "billion yuan"),
    "吨": (1e4, "万吨", 1e3, "thousand t"),
    "元/吨": (1.0, "元/吨", 1.0, "yuan per t"),
}


def check_lang(lang: str) -> str:
    """``lang`` itself, or a ValueError unless it is "zh" or "en"."""
    if lang not in WORDS:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return lang


def word(lang: str, key: str) -> str:
    """One of the charts' words (:data:`WORDS`) in ``lang``."""
    return WORDS[check_lang(lang)][key]


def paren(text: str, lang: str) -> str:
    """Text in parentheses, as each language writes them."""
    return f"({text})" if lang == "zh" else f" ({text})"


def pick(pair: tuple[str, str], lang: str) -> str:
    """The Chinese or English half of a (zh, en) pair."""
    return pair[0] if lang == "zh" else pair[1]


def category_name(category: str, lang: str) -> str:
    return pick(CATEGORIES.get(category, (category, category)), lang)


def measure_name(measure: str, lang: str) -> str:
    return pick(MEASURES.get(measure, (measure, measure)), lang)


def sorted_categories(categories: Iterable[str]) -> list[str]:
    """The distinct categories in chart order: known ones as listed, then the rest."""
    return sorted(set(categories), key=lambda c: (CATEGORY_RANK.get(c, 99), c))


def row_label(row: pd.Series, lang: str) -> str:
    """A table row's label in ``lang`` (Chinese when there is no English one)."""
    value = row.get("label_zh" if lang == "zh" else "label_en")
    if is_missing(value) or not str(value).strip():
        value = row.get("label_zh", "")
    if is_missing(value) or not str(value).strip():
        # an automatic figure whose subject was not found: its words, not an empty tick
        value = row.get("quote", "")
    return "" if is_missing(value) else str(value)


def whole_label(row: pd.Series, lang: str) -> str:
    """The label of the total a spending-shares row is a part of."""
    return row["whole_label_zh"] if lang == "zh" else row["whole_label_en"]


def series_label(row: pd.Series) -> str:
    """A sales series: programme · donor (the article when neither is known)."""
    parts = [row.get("program"), row.get("donor")]
    text = " · ".join(str(p) for p in parts if not is_missing(p))
    return text or str(row["article_id"])


def in_totals(include_in_totals: Any) -> bool:
    """Whether a figure may be added into totals (unknown counts as yes)."""
    return True if is_missing(include_in_totals) else bool(include_in_totals)


def period_text(start: Any, end: Any) -> str:
    """A period as ``2020–2022``, or one date when start and end agree."""
    s = "" if is_missing(start) else str(start)
    e = "" if is_missing(end) else str(end)
    return s if s == e or not e else f"{s}–{e}"


def axis_scale(unit: Any, lang: str) -> tuple[float, str]:
    """(divisor, axis unit) that puts values of ``unit`` on a readable axis: 亿元, billion yuan."""
    unit = "" if is_missing(unit) else str(unit)
    if unit in _SCALES:
        zd, zu, ed, eu = _SCALES[unit]
        return (zd, zu) if lang == "zh" else (ed, eu)
    return 1.0, unit


def escape_hover(text: Any) -> str:
    """Text made safe for Plotly's HTML-like labels: ``<``/``>``/``&`` escaped,
    line breaks as ``<br>``; ``None``/NaN → "".

    >>> escape_hover('超17亿元 <b>\\n"x"')
    '超17亿元 &lt;b&gt;<br>"x"'
    """
    if is_missing(text):
        return ""
    # quote=False: Plotly knows &lt; &gt; &amp; and numeric entities but not &quot;,
    # and a quote cannot start a tag once < and > are escaped.
    escaped = html.escape(str(text), quote=False)
    return re.sub(r"\r\n|\r|\n", "<br>", escaped)


def text_width(text: str) -> float:
    """Rough width of a label in pixels at 13px (CJK ≈ 13, other characters ≈ 7.5)."""
    return sum(13.0 if ord(ch) > 0x2E80 else 7.5 for ch in text)


def bounds_label(qualifier: Any, lower: Any, upper: Any, unit: Any = None, lang: str = "zh") -> str:
    """:func:`aidstats.formatting.bounds_text` in ``lang`` (the name charts has always exported).

    >>> bounds_label("over", 1.7e9, None, "元")
    '≥ 17亿元,上界未知'
    """
    return bounds_text(qualifier, lower, upper, unit, lang=check_lang(lang))
