"""The data dictionary: every column of every processed table, described in zh and en.

One source for the Frictionless ``datapackage.json``, the Excel *About* sheet and the
docs. Types are Frictionless field types (string, integer, number, boolean).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    en: str
    zh: str


def _cols(*rows: tuple[str, str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*r) for r in rows)


_RAW = (
    (
        "raw_start",
        "integer",
        "Start offset of the quote in the decoded raw article file (Python str index)",
        "引文在原始文章文本中的起始位置(字符索引)",
    ),
    (
        "raw_end",
        "integer",
        "End offset (exclusive) of the quote in the raw article file",
        "引文在原始文章文本中的结束位置(不含)",
    ),
)
_BOUNDS = (
    (
        "value",
        "number",
        "The stated number in base units (元 not 万元; percent as 91.7)",
        "报道的数值,已换算为基本单位(元而非万元;百分比记作91.7)",
    ),
    (
        "lower",
        "number",
        "Lower bound implied by the wording (多/余/超/以上 → at least); empty when none",
        "措辞隐含的下界(多/余/超/以上表示至少);无则为空",
    ),
    (
        "upper",
        "number",
        "Upper bound implied by the wording (近 → at most; 多/余 → below the "
        "next unit, exclusive); empty when none",
        "措辞隐含的上界(近表示至多;多/余表示不到下一个单位);无则为空",
    ),
    (
        "unit",
        "string",
        "Unit or measure word as written, without 万/亿",
        "原文的单位或量词(不含万/亿)",
    ),
    (
        "qualifier",
        "string",
        "exact, over (多/余/超/以上), near (近) or approx (约/左右)",
        "精确(exact)、超过(over)、接近(near)或约数(approx)",
    ),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "articles": _cols(
        ("article_id", "string", "Stable short id of the article", "文章编号"),
        ("file", "string", "Raw file, relative to data/raw/", "原始文件(相对 data/raw/)"),
        ("sha256", "string", "SHA-256 of the raw file's bytes", "原始文件的SHA-256校验值"),
        ("encoding", "string", "Encoding the raw file was decoded with", "原始文件的字符编码"),
        ("title", "string", "Title as printed", "标题"),
        ("subtitle", "string", "Deck or kicker line as printed", "副题或引题"),
        (
            "byline",
            "string",
            "Authors as printed; empty when none is printed",
            "作者署名(原文无则为空)",
        ),
        (
            "outlet",
            "string",
            "Newspaper; empty when the text does not say",
            "刊载媒体(原文未载则为空)",
        ),
        ("outlet_note", "string", "What is known about the outlet", "关于刊载媒体的说明"),
        (
            "published",
            "string",
            "Publication date at its precision (YYYY, YYYY-MM, YYYY-MM-DD)",
            "发表日期(按可确定的精度)",
        ),
        ("published_precision", "string", "year, month or day", "日期精度:年、月或日"),
        ("published_reasoning", "string", "Why the text dates to that", "确定发表日期的依据"),
        ("donor", "string", "Donor regions covered (; separated)", "援助方"),
        ("recipient", "string", "Recipient regions covered (; separated)", "受援方"),
        ("characters", "integer", "Characters in the decoded raw text", "原文字符数"),
        ("paragraphs", "integer", "Cleaned paragraphs (all kinds)", "清理后的段落数"),
        ("mentions", "integer", "Quantity mentions found", "识别出的数量表述数"),
        ("figures", "integer", "Figures in the registry", "登记的指标数"),
        ("excluded", "integer", "Mentions excluded with a reason", "已说明理由排除的表述数"),
    ),
    "paragraphs": _cols(
        ("article_id", "string", "Article id", "文章编号"),
        ("paragraph", "integer", "Paragraph number in reading order", "段落序号"),
        ("block", "integer", "First raw block of the paragraph", "段落的第一个原始文本块"),
        (
            "blocks",
            "string",
            "Raw blocks joined into it across page breaks (; separated)",
            "跨页合并的原始文本块",
        ),
        (
            "kind",
            "string",
            "title, subtitle, byline, heading, paragraph, caption or credit",
            "类型:标题、副题、署名、小标题、正文、图片说明或图片来源",
        ),
        ("text", "string", "Cleaned text", "清理后的文本"),
        *_RAW,
    ),
    "mentions": _cols(
        ("article_id", "string", "Article id", "文章编号"),
        (
            "mention_id",
            "string",
            "Id of the mention: article id # number in text order",
            "数量表述编号",
        ),
        *_RAW,
        ("clean_start", "integer", "Start offset in the cleaned text", "在清理后文本中的起始位置"),
        ("clean_end", "integer", "End offset in the cleaned text", "在清理后文本中的结束位置"),
        ("text", "string", "The mention as written", "原文表述"),
        (
            "kind",
            "string",
            "amount, percent, ratio, range, duration or date",
            "类别:数额、百分比、比例、区间、时长或日期",
        ),
        *_BOUNDS[:1],
        (
            "date",
            "string",
            "ISO value of a date mention (relative dates resolved)",
            "日期表述的ISO值(相对日期已换算)",
        ),
        *_BOUNDS[1:],
        ("paragraph", "integer", "Paragraph holding the mention", "所在段落"),
        ("sentence", "string", "The cleaned sentence around the mention", "所在句子"),
    ),
    "figures": _cols(
        ("figure_id", "string", "Stable id of the figure", "指标编号"),
        ("article_id", "string", "Article the figure is quoted from", "来源文章"),
        ("indicator", "string", "Indicator from the controlled vocabulary", "指标类型"),
        ("label_zh", "string", "Indicator label in Chinese", "指标中文名称"),
        ("label_en", "string", "Indicator label in English", "指标英文名称"),
        (
            "category",
            "string",
            "aidstats category (funds, projects, sales, beneficiaries, …)",
            "aidstats分类",
        ),
        ("dac_code", "integer", "OECD DAC sector code", "经合组织发展援助委员会(DAC)部门代码"),
        (
            "measure",
            "string",
            "money, people, person_times, items, share, growth, …: figures of "
            "different measures are never added",
            "计量类型(人与人次等不可相加)",
        ),
        *_BOUNDS,
        ("period_start", "string", "Start of the period the figure covers", "统计期起"),
        ("period_end", "string", "End of the period the figure covers", "统计期止"),
        ("region", "string", "Recipient region", "受援地区"),
        ("donor", "string", "Donor", "援助方"),
        ("program", "string", "Named programme, if any", "所属项目或工程"),
        ("parent_figure", "string", "The total this figure is part of", "所属总数指标"),
        (
            "include_in_totals",
            "boolean",
            "Whether the figure may be added into totals",
            "是否计入合计",
        ),
        *_RAW,
        ("quote", "string", "The figure as written, raw[raw_start:raw_end]", "原文引文"),
        ("sentence", "string", "The full cleaned sentence around the quote", "引文所在完整句子"),
        ("kind", "string", "Kind of the mention", "表述类别"),
        ("period_type", "string", "cumulative, annual or point", "累计、年度或时点"),
        (
            "exclude_reason",
            "string",
            "Why the figure is not included in totals",
            "不计入合计的原因",
        ),
        ("mention_id", "string", "The extracted mention the figure points at", "对应的数量表述"),
        (
            "corrected",
            "string",
            "Correction applied, with reason and source",
            "所作更正及其理由和出处",
        ),
        ("note", "string", "Curator's note on the reading chosen", "整理者说明"),
    ),
}

_ID = ("article_id", "string", "Article id", "文章编号")
_FIG = ("figure_id", "string", "Figure id", "指标编号")
_LABELS = (
    ("label_zh", "string", "Label in Chinese", "中文名称"),
    ("label_en", "string", "Label in English", "英文名称"),
)
_PLACE = (
    ("period_start", "string", "Start of the period", "统计期起"),
    ("period_end", "string", "End of the period", "统计期止"),
    ("region", "string", "Recipient region", "受援地区"),
    ("donor", "string", "Donor", "援助方"),
)
TABLES.update(
    {
        "spending_shares": _cols(
            _ID,
            _FIG,
            *_LABELS,
            ("category", "string", "funds or projects", "资金或项目"),
            ("measure", "string", "Measure of the part", "计量类型"),
            ("whole_figure", "string", "The total the share is of", "作为分母的总数指标"),
            ("whole_label_zh", "string", "Label of the total (zh)", "总数指标名称"),
            ("whole_label_en", "string", "Label of the total (en)", "总数指标英文名称"),
            (
                "part_value",
                "number",
                "The part as reported (percent for reported shares)",
                "报道的部分数值",
            ),
            ("part_lower", "number", "Lower bound of the part", "部分的下界"),
            ("part_upper", "number", "Upper bound of the part", "部分的上界"),
            ("whole_value", "number", "The total as reported", "报道的总数"),
            ("unit", "string", "Unit of the amount", "单位"),
            ("share_pct", "number", "Share of the total, percent", "占总数的百分比"),
            ("share_lower_pct", "number", "Lower bound of the share", "占比下界"),
            ("share_upper_pct", "number", "Upper bound of the share", "占比上界"),
            ("share_basis", "string", "reported, derived or none", "占比来源:报道、推算或无"),
            (
                "amount",
                "number",
                "Amount (reported, or derived from a reported share)",
                "金额或数量",
            ),
            ("amount_lower", "number", "Lower bound of the amount", "金额下界"),
            ("amount_upper", "number", "Upper bound of the amount", "金额上界"),
            ("amount_basis", "string", "reported, derived or none", "金额来源:报道、推算或无"),
            ("formula", "string", "How the derived number was computed", "推算公式"),
            *_PLACE,
            ("quote", "string", "The part as written in the article", "原文引文"),
        ),
        "sales_growth": _cols(
            _ID,
            ("program", "string", "Consumption-aid programme", "消费帮扶项目"),
            ("donor", "string", "Donor", "援助方"),
            ("region", "string", "Recipient region", "受援地区"),
            ("period_start", "string", "Start of the period", "统计期起"),
            ("period_end", "string", "End of the period", "统计期止"),
            (
                "metric",
                "string",
                "sales_value, sales_volume, growth_rate, online_sales_value, "
                "previous_year_value, value_per_tonne, online_share or growth_from_values",
                "指标",
            ),
            *_LABELS,
            ("value", "number", "Value (base units; percent as 103)", "数值"),
            ("lower", "number", "Lower bound", "下界"),
            ("upper", "number", "Upper bound", "上界"),
            ("unit", "string", "Unit", "单位"),
            ("qualifier", "string", "exact, over, near or approx", "精确程度"),
            ("basis", "string", "reported or derived", "报道或推算"),
            ("formula", "string", "How a derived value was computed", "推算公式"),
            ("figure_ids", "string", "Figures used (; separated)", "所用指标"),
            ("quote", "string", "The figure as written (reported rows)", "原文引文"),
        ),
        "beneficiaries": _cols(
            _ID,
            _FIG,
            ("indicator", "string", "Indicator", "指标类型"),
            *_LABELS,
            ("category", "string", "aidstats category", "分类"),
            ("dac_code", "integer", "OECD DAC sector code", "DAC部门代码"),
            ("program", "string", "Programme", "项目"),
            ("measure", "string", "people or person_times (never added together)", "人数或人次"),
            ("value", "number", "Count as reported", "报道的数量"),
            ("lower", "number", "Lower bound", "下界"),
            ("upper", "number", "Upper bound", "上界"),
            ("unit", "string", "Measure word", "量词"),
            ("qualifier", "string", "exact, over, near or approx", "精确程度"),
            ("bounds", "string", "What the wording lets a reader conclude", "可下的结论(上下界)"),
            *_PLACE,
            ("include_in_totals", "boolean", "May be added into totals", "是否计入合计"),
            ("quote", "string", "The figure as written", "原文引文"),
        ),
        "consistency_checks": _cols(
            ("check_id", "string", "Id of the check", "核对编号"),
            (
                "source",
                "string",
                "auto (from the figures' structure) or curated (checks.yaml)",
                "自动或人工设定",
            ),
            *_LABELS,
            _ID,
            ("figure_ids", "string", "Figures or mentions compared (; separated)", "涉及的指标"),
            ("formula", "string", "Arithmetic over named operands", "公式"),
            ("operands", "string", "Operand values as JSON", "运算数(JSON)"),
            (
                "operand_refs",
                "string",
                "The figure or mention each operand is, as JSON",
                "各运算数对应的指标或表述(JSON)",
            ),
            ("arithmetic", "string", "The arithmetic written out", "运算过程"),
            ("computed", "number", "Computed value", "计算值"),
            ("expected", "number", "Reported value compared against", "报道值"),
            ("tolerance", "number", "Allowed difference (half the last stated digit)", "容许误差"),
            ("verdict", "string", "pass or flag", "结论:通过或存疑"),
            ("note", "string", "Explanation", "说明"),
        ),
    }
)

TABLES.update(
    {
        "blocks": _cols(
            _ID,
            ("block", "integer", "Raw block number (a run of non-blank lines)", "原始文本块序号"),
            (
                "kind",
                "string",
                "title, subtitle, byline, heading, paragraph, caption or credit",
                "类型",
            ),
            (
                "blank_lines_before",
                "integer",
                "Blank lines before the block (page-break gaps are wider)",
                "文本块前的空行数",
            ),
            ("text", "string", "The block's text, line edges stripped", "文本块内容"),
            *_RAW,
        ),
        "coverage": _cols(
            _ID,
            ("mention_id", "string", "Mention", "数量表述编号"),
            *_RAW,
            ("text", "string", "The mention as written", "原文表述"),
            ("kind", "string", "Kind of the mention", "表述类别"),
            ("sentence", "string", "Sentence around the mention", "所在句子"),
            (
                "status",
                "string",
                "used, excluded, not_required (dates) or unaccounted",
                "状态:已使用、已排除、无需登记(日期)或未处理",
            ),
            (
                "figure_or_reason",
                "string",
                "The figure using it, or why it is excluded",
                "使用它的指标或排除理由",
            ),
        ),
    }
)
