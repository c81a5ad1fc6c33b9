"""Every processed table, declared once: its name, key, description and columns.

Each column says its type, both descriptions (en, zh), whether it may be empty, its
controlled vocabulary and how the workbook shows it (short zh header, width, wrap).
Everything else is derived from these declarations: the pandera schemas
(:mod:`aidstats.schemas`), ``datapackage.json`` (:mod:`aidstats.datapackage`), the column
order of every writer, the Excel headers and the workbook's data-dictionary sheet. To add
a column, add one ``C(...)`` line here and compute it in its stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aidstats.headers import header_zh
from aidstats.vocab import (
    AUTO_CATEGORIES,
    AUTO_MEASURES,
    BASES,
    BLOCK_KINDS,
    CHECK_TESTS,
    COVERAGE_STATUSES,
    FIGURE_STATUSES,
    HEADCOUNT_MEASURES,
    MENTION_KINDS,
    PERIOD_TYPES,
    QUALIFIERS,
    SHARE_BASES,
    VERDICTS,
)

TYPES = ("string", "integer", "number", "boolean")


@dataclass(frozen=True)
class Column:
    """One column of a processed table (types are Frictionless field types)."""

    name: str
    type: str
    en: str
    zh: str
    required: bool = False
    vocab: tuple[str, ...] | None = None

    @property
    def header_zh(self) -> str:
        """The short Chinese header a table prints above the column."""
        return header_zh(self.name)


@dataclass(frozen=True)
class Table:
    """One processed table: written as ``<name>.csv`` and ``<name>.parquet``."""

    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    row_checks: tuple[str, ...] = ()
    references: tuple[tuple[str, str, str], ...] = field(default=())

    @property
    def names(self) -> list[str]:
        """The column names in order (the order every writer uses)."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """The declaration of one column."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name} has no column {name!r}")


def C(name: str, type: str, en: str, zh: str, **facts: object) -> Column:
    """Shorthand for one column declaration."""
    if type not in TYPES:
        raise ValueError(f"column {name}: type {type!r} is not one of {TYPES}")
    return Column(name, type, en, zh, **facts)  # type: ignore[arg-type]


# Columns shared by several tables, declared once.
_ARTICLE_ID = C("article_id", "string", "Article id", "文章编号", required=True)
_RAW = (
    C(
        "raw_start",
        "integer",
        "Start offset of the quote in the decoded raw article file (Python str index)",
        "引文在原始文章文本中的起始位置(字符索引)",
        required=True,
    ),
    C(
        "raw_end",
        "integer",
        "End offset (exclusive) of the quote in the raw article file",
        "引文在原始文章文本中的结束位置(不含)",
        required=True,
    ),
)
_VALUE = C(
    "value",
    "number",
    "The stated number in base units (元 not 万元; percent as 91.7)",
    "报道的数值,已换算为基本单位(元而非万元;百分比记作91.7)",
)
_BOUNDS = (
    C(
        "lower",
        "number",
        "Lower bound implied by the wording (多/余/超/以上 → at least); empty when none",
        "措辞隐含的下界(多/余/超/以上表示至少);无则为空",
    ),
    C(
        "upper",
        "number",
        "Upper bound implied by the wording (近 → at most; 多/余 → below the next unit, "
        "exclusive); empty when none",
        "措辞隐含的上界(近表示至多;多/余表示不到下一个单位);无则为空",
    ),
    C(
        "unit",
        "string",
        "Unit or measure word as written, without 万/亿",
        "原文的单位或量词(不含万/亿)",
    ),
    C(
        "qualifier",
        "string",
        "exact, over (多/余/超/以上), near (近) or approx (约/左右)",
        "精确(exact)、超过(over)、接近(near)或约数(approx)",
        required=True,
        vocab=QUALIFIERS,
    ),
)
_LABELS = (
    C("label_zh", "string", "Label in Chinese", "中文名称"),
    C("label_en", "string", "Label in English", "英文名称"),
)
# Columns of the analysis tables: whether an automatic figure is used, and the figure
# each operand of a derived number is (aidstats.metrics).
_STATUS = C(
    "status",
    "string",
    "auto when a figure used is automatic (check before citing), else curated",
    "状态:人工整理或自动标注",
    required=True,
    vocab=FIGURE_STATUSES,
)
_OPERAND_REFS = C(
    "operand_refs",
    "string",
    "The figure each operand of the metric is (JSON: name → figure id)",
    "各运算数对应的指标(JSON)",
)
_PLACE = (
    C("period_start", "string", "Start of the period", "统计期起"),
    C("period_end", "string", "End of the period", "统计期止"),
    C("region", "string", "Recipient region", "受援地区"),
    C("donor", "string", "Donor", "援助方"),
)

DECLARATIONS: tuple[Table, ...] = (
    Table(
        name="articles",
        description="The article catalog with derived counts.",
        key=("article_id",),
        columns=(
            C("article_id", "string", "Stable short id of the article", "文章编号", required=True),
            C(
                "file",
                "string",
                "Raw file, relative to data/raw/",
                "原始文件(相对 data/raw/)",
                required=True,
            ),
            C(
                "sha256",
                "string",
                "SHA-256 of the raw file's bytes",
                "原始文件的SHA-256校验值",
                required=True,
            ),
            C("encoding", "string", "Encoding the raw file was decoded with", "原始文件的字符编码"),
            C("title", "string", "Title as printed", "标题", required=True),
            C("subtitle", "string", "Deck or kicker line as printed", "副题或引题"),
            C(
                "byline",
                "string",
                "Authors as printed; empty when none is printed",
                "作者署名(原文无则为空)",
            ),
            C(
                "outlet",
                "string",
                "Newspaper; empty when the text does not say",
                "刊载媒体(原文未载则为空)",
            ),
            C("outlet_note", "string", "What is known about the outlet", "关于刊载媒体的说明"),
            C(
                "published",
                "string",
                "Publication date at its precision (YYYY, YYYY-MM, YYYY-MM-DD)",
                "发表日期(按可确定的精度)",
                required=True,
            ),
            C("published_precision", "string", "year, month or day", "日期精度:年、月或日"),
            C("published_reasoning", "string", "Why the text dates to that", "确定发表日期的依据"),
            C("donor", "string", "Donor regions covered (; separated)", "援助方"),
            C("recipient", "string", "Recipient regions covered (; separated)", "受援方"),
            C("characters", "integer", "Characters in the decoded raw text", "原文字符数"),
            C("paragraphs", "integer", "Cleaned paragraphs (all kinds)", "清理后的段落数"),
            C("mentions", "integer", "Quantity mentions found", "识别出的数量表述数"),
            C("figures", "integer", "Figures in the registry", "登记的指标数"),
            C("excluded", "integer", "Mentions excluded with a reason", "已说明理由排除的表述数"),
            C(
                "auto_figures",
                "integer",
                "Mentions labelled automatically (not yet curated)",
                "自动标注的指标数(尚未人工整理)",
            ),
        ),
    ),
    Table(
        name="paragraphs",
        references=(("article_id", "articles", "article_id"),),
        row_checks=("offsets_ordered",),
        description="Cleaned paragraphs (page-break splits joined) with raw offsets.",
        key=("article_id", "paragraph"),
        columns=(
            _ARTICLE_ID,
            C(
                "paragraph",
                "integer",
                "Paragraph number in reading order",
                "段落序号",
                required=True,
            ),
            C("block", "integer", "First raw block of the paragraph", "段落的第一个原始文本块"),
            C(
                "blocks",
                "string",
                "Raw blocks joined into it across page breaks (; separated)",
                "跨页合并的原始文本块",
            ),
            C(
                "kind",
                "string",
                "title, subtitle, byline, heading, paragraph, caption or credit",
                "类型:标题、副题、署名、小标题、正文、图片说明或图片来源",
                required=True,
                vocab=BLOCK_KINDS,
            ),
            C("text", "string", "Cleaned text", "清理后的文本", required=True),
            *_RAW,
        ),
    ),
    Table(
        name="mentions",
        references=(("article_id", "articles", "article_id"),),
        row_checks=("offsets_ordered", "bounds_ordered"),
        description="Every quantity mention found in the articles, at raw offsets.",
        key=("mention_id",),
        columns=(
            _ARTICLE_ID,
            C(
                "mention_id",
                "string",
                "Id of the mention: article id # number in text order",
                "数量表述编号",
                required=True,
            ),
            *_RAW,
            C(
                "clean_start",
                "integer",
                "Start offset in the cleaned text",
                "在清理后文本中的起始位置",
            ),
            C("clean_end", "integer", "End offset in the cleaned text", "在清理后文本中的结束位置"),
            C("text", "string", "The mention as written", "原文表述", required=True),
            C(
                "kind",
                "string",
                "amount, percent, ratio, range, duration or date",
                "类别:数额、百分比、比例、区间、时长或日期",
                required=True,
                vocab=MENTION_KINDS,
            ),
            _VALUE,
            C(
                "date",
                "string",
                "ISO value of a date mention (relative dates resolved)",
                "日期表述的ISO值(相对日期已换算)",
            ),
            *_BOUNDS,
            C("paragraph", "integer", "Paragraph holding the mention", "所在段落"),
            C("sentence", "string", "The cleaned sentence around the mention", "所在句子"),
        ),
    ),
    Table(
        name="figures",
        references=(
            ("article_id", "articles", "article_id"),
            ("mention_id", "mentions", "mention_id"),
        ),
        row_checks=(
            "offsets_ordered",
            "bounds_ordered",
            "period_ordered",
            "curated_complete",
        ),
        description=(
            "Every figure: curated registry rows and automatic labels of the other mentions, "
            "each linked to its mention, with provenance."
        ),
        key=("figure_id",),
        columns=(
            C("figure_id", "string", "Stable id of the figure", "指标编号", required=True),
            C(
                "article_id",
                "string",
                "Article the figure is quoted from",
                "来源文章",
                required=True,
            ),
            C(
                "indicator",
                "string",
                "Indicator from the controlled vocabulary",
                "指标类型",
                required=True,
            ),
            C("label_zh", "string", "Indicator label in Chinese", "指标中文名称", required=True),
            C(
                "label_en",
                "string",
                "Indicator label in English (auto: from the glossary; empty when unknown)",
                "指标英文名称",
            ),
            C(
                "category",
                "string",
                "aidstats category (funds, projects, sales, beneficiaries, …)",
                "aidstats分类",
                required=True,
                vocab=AUTO_CATEGORIES,
            ),
            C(
                "dac_code",
                "integer",
                "OECD DAC sector code",
                "经合组织发展援助委员会(DAC)部门代码",
                required=True,
            ),
            C(
                "measure",
                "string",
                "money, people, person_times, items, share, growth, …: figures of different "
                "measures are never added",
                "计量类型(人与人次等不可相加)",
                required=True,
                vocab=AUTO_MEASURES,
            ),
            _VALUE,
            *_BOUNDS,
            C(
                "period_start",
                "string",
                "Start of the period the figure covers (auto: empty when unknown)",
                "统计期起",
            ),
            C(
                "period_end",
                "string",
                "End of the period the figure covers (auto: empty when unknown)",
                "统计期止",
            ),
            C("region", "string", "Recipient region (auto: empty when unknown)", "受援地区"),
            C("donor", "string", "Donor (auto: empty when unknown)", "援助方"),
            C("program", "string", "Named programme, if any", "所属项目或工程"),
            C("parent_figure", "string", "The total this figure is part of", "所属总数指标"),
            C(
                "include_in_totals",
                "boolean",
                "Whether the figure may be added into totals",
                "是否计入合计",
                required=True,
            ),
            *_RAW,
            C(
                "quote",
                "string",
                "The figure as written, raw[raw_start:raw_end]",
                "原文引文",
                required=True,
            ),
            C(
                "sentence",
                "string",
                "The full cleaned sentence around the quote",
                "引文所在完整句子",
                required=True,
            ),
            C("kind", "string", "Kind of the mention", "表述类别", vocab=MENTION_KINDS),
            C(
                "period_type",
                "string",
                "cumulative, annual or point",
                "累计、年度或时点",
                vocab=PERIOD_TYPES,
            ),
            C(
                "exclude_reason",
                "string",
                "Why the figure is not included in totals",
                "不计入合计的原因",
            ),
            C(
                "mention_id",
                "string",
                "The extracted mention the figure points at",
                "对应的数量表述",
            ),
            C(
                "corrected",
                "string",
                "Correction applied, with reason and source",
                "所作更正及其理由和出处",
            ),
            C(
                "note",
                "string",
                "Curator's note on the reading chosen; for auto figures the evidence used",
                "整理者说明;自动指标为判断依据",
            ),
            C(
                "status",
                "string",
                "curated (a registry row) or auto (labelled by rules; check before citing)",
                "人工整理(curated)或自动标注(auto)",
                required=True,
                vocab=FIGURE_STATUSES,
            ),
            C(
                "confidence",
                "number",
                "How sure the labels are, 0–1 (1 for curated figures)",
                "标注置信度(0–1;人工整理为1)",
                required=True,
            ),
            C(
                "subject_zh",
                "string",
                "What the number counts, as the text names it",
                "数字所指对象(原文用语)",
            ),
        ),
    ),
    Table(
        name="spending_shares",
        references=(("article_id", "articles", "article_id"),),
        description="Funds and projects with their shares of the totals they belong to.",
        key=("figure_id",),
        columns=(
            _ARTICLE_ID,
            C("figure_id", "string", "Figure id", "指标编号", required=True),
            _STATUS,
            *_LABELS,
            C("category", "string", "funds or projects", "资金或项目"),
            C("measure", "string", "Measure of the part", "计量类型"),
            C("whole_figure", "string", "The total the share is of", "作为分母的总数指标"),
            C("whole_label_zh", "string", "Label of the total (zh)", "总数指标名称"),
            C("whole_label_en", "string", "Label of the total (en)", "总数指标英文名称"),
            C(
                "part_value",
                "number",
                "The part as reported (percent for reported shares)",
                "报道的部分数值",
            ),
            C("part_lower", "number", "Lower bound of the part", "部分的下界"),
            C("part_upper", "number", "Upper bound of the part", "部分的上界"),
            C("whole_value", "number", "The total as reported", "报道的总数"),
            C("unit", "string", "Unit of the amount", "单位"),
            C("share_pct", "number", "Share of the total, percent", "占总数的百分比"),
            C("share_lower_pct", "number", "Lower bound of the share", "占比下界"),
            C("share_upper_pct", "number", "Upper bound of the share", "占比上界"),
            C(
                "share_basis",
                "string",
                "reported, derived or none",
                "占比来源:报道、推算或无",
                required=True,
                vocab=SHARE_BASES,
            ),
            C(
                "amount",
                "number",
                "Amount (reported, or derived from a reported share)",
                "金额或数量",
            ),
            C("amount_lower", "number", "Lower bound of the amount", "金额下界"),
            C("amount_upper", "number", "Upper bound of the amount", "金额上界"),
            C(
                "amount_basis",
                "string",
                "reported, derived or none",
                "金额来源:报道、推算或无",
                required=True,
                vocab=SHARE_BASES,
            ),
            C("formula", "string", "How the derived number was computed", "推算公式"),
            C(
                "metric",
                "string",
                "The metric that derives it: share_of or amount_from_share",
                "推算方法",
            ),
            _OPERAND_REFS,
            *_PLACE,
            C("quote", "string", "The part as written in the article", "原文引文"),
        ),
    ),
    Table(
        name="sales_growth",
        references=(("article_id", "articles", "article_id"),),
        description="Consumption-aid sales by programme and year, reported and derived.",
        key=(),
        columns=(
            _ARTICLE_ID,
            C("program", "string", "Consumption-aid programme", "消费帮扶项目"),
            C("donor", "string", "Donor", "援助方"),
            C("region", "string", "Recipient region", "受援地区"),
            C("period_start", "string", "Start of the period", "统计期起"),
            C("period_end", "string", "End of the period", "统计期止"),
            C(
                "metric",
                "string",
                "sales_value, sales_volume, growth_rate, online_sales_value, "
                "previous_year_value, value_per_tonne, online_share or growth_from_values",
                "指标",
                required=True,
            ),
            _STATUS,
            *_LABELS,
            C("value", "number", "Value (base units; percent as 103)", "数值"),
            C("lower", "number", "Lower bound", "下界"),
            C("upper", "number", "Upper bound", "上界"),
            C("unit", "string", "Unit", "单位"),
            C("qualifier", "string", "exact, over, near or approx", "精确程度"),
            C("basis", "string", "reported or derived", "报道或推算", required=True, vocab=BASES),
            C("formula", "string", "How a derived value was computed", "推算公式"),
            C("figure_ids", "string", "Figures used (; separated)", "所用指标"),
            _OPERAND_REFS,
            C("quote", "string", "The figure as written (reported rows)", "原文引文"),
        ),
    ),
    Table(
        name="beneficiaries",
        references=(("article_id", "articles", "article_id"),),
        description="People and person-time counts by sector and programme, with bounds.",
        key=("figure_id",),
        columns=(
            _ARTICLE_ID,
            C("figure_id", "string", "Figure id", "指标编号", required=True),
            _STATUS,
            C("indicator", "string", "Indicator", "指标类型"),
            *_LABELS,
            C("category", "string", "aidstats category", "分类"),
            C("dac_code", "integer", "OECD DAC sector code", "DAC部门代码"),
            C("program", "string", "Programme", "项目"),
            C(
                "measure",
                "string",
                "people or person_times (never added together)",
                "人数或人次",
                required=True,
                vocab=HEADCOUNT_MEASURES,
            ),
            C("value", "number", "Count as reported", "报道的数量"),
            C("lower", "number", "Lower bound", "下界"),
            C("upper", "number", "Upper bound", "上界"),
            C("unit", "string", "Measure word", "量词"),
            C("qualifier", "string", "exact, over, near or approx", "精确程度"),
            C("bounds", "string", "What the wording lets a reader conclude", "可下的结论(上下界)"),
            *_PLACE,
            C("include_in_totals", "boolean", "May be added into totals", "是否计入合计"),
            C("quote", "string", "The figure as written", "原文引文"),
        ),
    ),
    Table(
        name="consistency_checks",
        references=(("article_id", "articles", "article_id"),),
        description="Cross-figure checks with their arithmetic and a verdict.",
        key=("check_id",),
        columns=(
            C("check_id", "string", "Id of the check", "核对编号", required=True),
            _STATUS,
            C(
                "test",
                "string",
                "How computed is compared with expected: at_most, within, same_value or same_date",
                "核对方式",
                required=True,
                vocab=CHECK_TESTS,
            ),
            C(
                "source",
                "string",
                "auto (from the figures' structure) or curated (checks.yaml)",
                "自动或人工设定",
                required=True,
            ),
            *_LABELS,
            C("article_id", "string", "Article id", "文章编号"),
            C("figure_ids", "string", "Figures or mentions compared (; separated)", "涉及的指标"),
            C("formula", "string", "Arithmetic over named operands", "公式"),
            C("operands", "string", "Operand values as JSON", "运算数(JSON)"),
            C(
                "operand_refs",
                "string",
                "The figure or mention each operand is, as JSON",
                "各运算数对应的指标或表述(JSON)",
            ),
            C("arithmetic", "string", "The arithmetic written out", "运算过程", required=True),
            C("computed", "number", "Computed value", "计算值"),
            C("expected", "number", "Reported value compared against", "报道值"),
            C(
                "expected_ref",
                "string",
                "The figure or mention the expected value is (empty: a constant)",
                "报道值出处",
            ),
            C("tolerance", "number", "Allowed difference (half the last stated digit)", "容许误差"),
            C(
                "verdict",
                "string",
                "pass or flag",
                "结论:通过或存疑",
                required=True,
                vocab=VERDICTS,
            ),
            C("note", "string", "Explanation", "说明"),
        ),
    ),
    Table(
        name="blocks",
        references=(("article_id", "articles", "article_id"),),
        description=(
            "Raw blocks (runs of non-blank lines) with their kind, before page-break joins."
        ),
        key=("article_id", "block"),
        columns=(
            _ARTICLE_ID,
            C(
                "block",
                "integer",
                "Raw block number (a run of non-blank lines)",
                "原始文本块序号",
                required=True,
            ),
            C(
                "kind",
                "string",
                "title, subtitle, byline, heading, paragraph, caption or credit",
                "类型",
                required=True,
            ),
            C(
                "blank_lines_before",
                "integer",
                "Blank lines before the block (page-break gaps are wider)",
                "文本块前的空行数",
            ),
            C(
                "text",
                "string",
                "The block's text, line edges stripped",
                "文本块内容",
                required=True,
            ),
            *_RAW,
        ),
    ),
    Table(
        name="coverage",
        references=(("article_id", "articles", "article_id"),),
        description="Every mention with its status: used by a figure, excluded (why), or a date.",
        key=("mention_id",),
        columns=(
            _ARTICLE_ID,
            C("mention_id", "string", "Mention", "数量表述编号", required=True),
            *_RAW,
            C("text", "string", "The mention as written", "原文表述"),
            C("kind", "string", "Kind of the mention", "表述类别"),
            C("sentence", "string", "Sentence around the mention", "所在句子"),
            C(
                "status",
                "string",
                "used (curated figure), excluded, auto (automatic figure), not_required (dates) "
                "or unaccounted",
                "状态:已使用、已排除、无需登记(日期)或未处理",
                required=True,
                vocab=COVERAGE_STATUSES,
            ),
            C(
                "figure_or_reason",
                "string",
                "The figure using it, or why it is excluded",
                "使用它的指标或排除理由",
            ),
        ),
    ),
)

FACTS = Table(
    name="facts",
    description=(
        "One fact per many sources: figures agreeing on indicator, measure, unit, donor, "
        "region and period, with the tightest bounds they imply and conflicts flagged."
    ),
    key=("fact_id",),
    columns=(
        C(
            "fact_id",
            "string",
            "Stable id of the fact (hash of its key)",
            "事实编号",
            required=True,
        ),
        C("indicator", "string", "Indicator", "指标类型", required=True),
        C("measure", "string", "Measure", "计量类型", required=True, vocab=AUTO_MEASURES),
        C("unit", "string", "Unit", "单位"),
        C("donor", "string", "Donor", "援助方"),
        C("region", "string", "Recipient region", "受援地区"),
        C("period_start", "string", "Start of the period", "统计期起", required=True),
        C("period_end", "string", "End of the period", "统计期止", required=True),
        C("period_type", "string", "cumulative, annual or point", "统计期类型", vocab=PERIOD_TYPES),
        *_LABELS,
        C("category", "string", "aidstats category", "分类", vocab=AUTO_CATEGORIES),
        C("value", "number", "Median of the sources' values", "各来源数值的中位数"),
        C(
            "lower",
            "number",
            "Tightest lower bound all sources allow (empty: unbounded or conflict)",
            "各来源共同允许的最紧下界",
        ),
        C(
            "upper",
            "number",
            "Tightest upper bound all sources allow (empty: unbounded or conflict)",
            "各来源共同允许的最紧上界",
        ),
        C("n_sources", "integer", "Figures telling the fact", "来源指标数", required=True),
        C("n_articles", "integer", "Articles telling the fact", "来源文章数", required=True),
        C("figure_ids", "string", "The figures (; separated)", "来源指标", required=True),
        C("article_ids", "string", "The articles (; separated)", "来源文章", required=True),
        C(
            "status",
            "string",
            "curated when any source is curated, else auto",
            "整理状态",
            required=True,
            vocab=FIGURE_STATUSES,
        ),
        C(
            "conflict",
            "boolean",
            "Sources disagree beyond rounding",
            "来源之间存在超出舍入的矛盾",
            required=True,
        ),
        C("note", "string", "The sources as told, and the conflict if any", "说明"),
    ),
)
DECLARATIONS = (*DECLARATIONS, FACTS)

TABLE_SPECS: dict[str, Table] = {t.name: t for t in DECLARATIONS}
# table → its columns (the form most callers need)
TABLES: dict[str, tuple[Column, ...]] = {t.name: t.columns for t in DECLARATIONS}


def table(name: str) -> Table:
    """The declaration of a processed table."""
    try:
        return TABLE_SPECS[name]
    except KeyError:
        raise KeyError(f"no processed table {name!r}; tables: {', '.join(TABLE_SPECS)}") from None


def columns(name: str) -> list[str]:
    """Column names of a table, in the order every writer uses."""
    return table(name).names
