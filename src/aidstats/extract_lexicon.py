"""Word lists for the quantity extractor: units and measure words, qualifiers, idioms.

Kept apart from :mod:`aidstats.extract` so that the rules there read as rules and the
vocabulary can grow without touching them.  Everything here is general Chinese usage;
nothing is taken from a particular article.
"""

from __future__ import annotations

__all__ = [
    "AFTER_YEAR_WORD",
    "BARE_FOLLOWERS",
    "CLAUSE_START",
    "CONNECTORS",
    "IDIOMS",
    "OPEN_UNIT_STOP",
    "PREFIX_QUALIFIERS",
    "QUALIFIER_NOT_BEFORE",
    "RECENT_AFTER",
    "RECENT_UNITS",
    "REL_YEARS",
    "REL_YEAR_NOT_BEFORE",
    "SEVERAL_NOT_BEFORE",
    "TRAILING_QUALIFIERS",
    "UNITS",
    "UNIT_NOUN_AFTER",
    "UPDOWN_NOT_AFTER",
    "Unit",
]

# A unit entry: (unit as reported, class, modifier).
#   class: amount | admin | percent | ratio | duration | year | month | day | reject
#   (admin: an administrative division counted without a measure word, 12县市, 1市2县;
#   read only after Arabic digits, since 一县一品 and 两市 are names and set phrases)
#   modifier: "" | "half" (+0.5) | "over" (多 after the unit: 3年多) | "x10" (成 = 10 %)
Unit = tuple[str, str, str]


def _entries() -> dict[str, Unit]:
    units: dict[str, Unit] = {}

    def add(cls: str, *words: str, mod: str = "", label: str | None = None) -> None:
        for w in words:
            units[w] = (label if label is not None else w, cls, mod)

    # amounts: money, mass, length, area, volume, energy
    add("amount", "元", "美元", "欧元", "港元", "英镑", "块")
    add("amount", "吨", "公斤", "千克", "克", "斤")
    add("amount", "公里", "千米", "米", "厘米", "毫米")
    add("amount", "平方米", "平米", "平方公里", "平方千米", "立方米", "亩", "公顷")
    add("amount", "升", "毫升", "千瓦", "千瓦时", "兆瓦", "千伏", "度")
    # measure words for people, places, things, events
    add("amount", "名", "人", "人次", "位", "户", "家", "所", "座", "栋", "幢", "间", "套")
    add("amount", "台", "台次", "辆", "架", "架次", "艘", "列", "趟", "车次", "班次")
    add("amount", "条", "根", "支", "只", "头", "匹", "羽", "株", "棵", "项", "个", "种")
    # 届 is left out: after a numeral it is mostly an ordinal (十九届, 2021届)
    add("amount", "类", "批", "批次", "期", "场", "场次", "次", "轮", "节", "课时")
    add("amount", "学时", "门", "篇", "部", "本", "册", "份", "张", "件", "箱", "袋", "盒")
    add("amount", "包", "瓶", "桶", "字", "首", "幅", "集", "处", "片", "层", "款", "笔")
    add("amount", "宗", "例", "床", "组", "道", "标箱", "分", "岁", "周岁")
    add("amount", "台套", "盏", "眼", "口", "尾", "孔", "亩次", "户次", "人天", "人月")
    # administrative divisions (团 and 师 are left out: 168团, 十四师 are names)
    add("admin", "县", "市", "区", "乡", "镇", "村", "州", "省", "盟", "社区")
    add("admin", "县市", "县区", "区县", "市县", "县市区", "乡镇", "地州", "地市", "省市")
    add("admin", "省区", "省区市", "盟市", "地州市", "区市")
    # percentages and ratios
    add("percent", "%", "％", label="%")
    add("percent", "百分点", "个百分点", label="百分点")
    add("percent", "成", label="%", mod="x10")
    add("ratio", "倍")
    add("ratio", "倍多", label="倍", mod="over")
    # time
    add("year", "年")
    add("duration", "年半", label="年", mod="half")
    add("duration", "年多", label="年", mod="over")
    add("month", "月")
    add("duration", "个月", label="月")
    add("duration", "个半月", label="月", mod="half")
    add("duration", "个多月", label="月", mod="over")
    add("day", "日")
    add("duration", "日日夜夜", "个日日夜夜", "个日夜", label="日")
    add("duration", "天")
    add("duration", "小时", "个小时", label="小时")
    add("duration", "个半小时", label="小时", mod="half")
    add("duration", "个多小时", label="小时", mod="over")
    add("duration", "钟头", "个钟头", label="钟头")
    add("duration", "分钟")
    add("duration", "秒")
    add("duration", "周")
    add("duration", "星期", "个星期", label="星期")
    add("duration", "个季度", label="季度")
    add("duration", "工作日", "个工作日", label="工作日")
    add("duration", "昼夜", "个昼夜", label="昼夜")
    # anniversaries are labels, never counts
    add("reject", "周年")
    return units


#: Every unit or measure word the extractor reads after a number.
UNITS: dict[str, Unit] = _entries()

#: A unit followed by this character is the start of a noun, not a measure word.
UNIT_NOUN_AFTER: dict[str, frozenset[str]] = {
    "部": frozenset("门署位"),
    "条": frozenset("件例"),
    "年": frozenset("级代龄轻纪华货鉴画"),
    "成": frozenset("员立功果本效长熟交绩品型都片套规就分形"),
    "度": frozenset("假过"),
    "门": frozenset("户类"),
    "家": frozenset("庭乡长属渠"),  # 五家渠 is a city
    "人": frozenset("民才工"),
    "节": frozenset("期日假庆气"),  # 两节期间, 二十四节气
    "期": frozenset("间"),  # 十一期间
    "分": frozenset("之"),  # 三分之一
    "口": frozenset("岸径号罩"),
    "眼": frozenset("光睛科"),
    "市": frozenset("民场委长级值政容属"),  # 市民, 市场, 市委
    "县": frozenset("城委长级域"),
    "区": frozenset("域别委长级划"),
    "乡": frozenset("亲土愁音村"),
    "镇": frozenset("长委政"),
    "村": frozenset("民委庄落级"),
    "州": frozenset("长委府"),
    "省": frozenset("委长级份内外"),
}

#: Prefix qualifiers written just before the number, up to three characters; the
#: longest match wins.  over: at least the value (lower = value); near: at most (upper =
#: value); approx: about.  达到, 达, 累计 and 最低 are verbs or adverbs, not qualifiers.
PREFIX_QUALIFIERS: dict[str, str] = {
    "超": "over",
    "逾": "over",
    "超过": "over",
    "突破": "over",
    "至少": "over",
    "不低于": "over",
    "不少于": "over",
    "近": "near",
    "将近": "near",
    "接近": "near",
    "近乎": "near",
    "不足": "near",
    "不到": "near",
    "不超": "near",
    "不超过": "near",
    "不高于": "near",
    "不多于": "near",
    "约": "approx",
    "大约": "approx",
}

#: Trailing qualifiers written after the unit: 50000只以上, 300吨左右, 100人上下, 五十开外.
TRAILING_QUALIFIERS: dict[str, str] = {
    "以上": "over",
    "开外": "over",
    "左右": "approx",
    "上下": "approx",
}
#: A character after 上下 that makes it part of another word (上下游, 上下班, 上下级).
UPDOWN_NOT_AFTER = frozenset("班楼车游级文册联半两一功齐心午")

#: The character before a prefix qualifier that makes it part of another word (最近,
#: 附近, 节约, 签约, 赶超, 高超, 意想不到 ...).
QUALIFIER_NOT_BEFORE: dict[str, frozenset[str]] = {
    "近": frozenset("最附邻靠亲临贴就远逼走将接"),
    "约": frozenset("节制签预合公条相邀特隐婉简契履违失如赴和规集践誓守毁解缔草大"),
    "超": frozenset("赶高彩BＢ"),
    "不到": frozenset("想料"),
}

#: 近 + a time unit means "the recent ..." (近三年来, 近5年间, 近3年内), not "nearly", when
#: one of these follows the unit, or when 近 opens a clause (see CLAUSE_START).
RECENT_UNITS = frozenset(["年", "月", "天", "周", "星期"])
RECENT_AFTER = ("来", "以来", "间", "内", "中", "里")
#: Characters before 近 that open a clause: punctuation, or a preposition (在近三年, 从近五年).
CLAUSE_START = frozenset("，。；：！？、,.;:!?\n\r \t　（(“「『‘在从自于据") | {""}

#: The character before 数 that makes 数 part of a noun (人数, 总数, 次数, 户数, 岁数, 倍数,
#: 多数 ...), so that 人数十万 is not read as "several hundred thousand".
SEVERAL_NOT_BEFORE = frozenset(
    "人总次户件个岁倍分指基少多无半系函参位台条名天年步票页字场笔家点度股常变实虚整奇偶"
    "质序码读计算术理心识礼架车班期课单复定余差均对积乘除加减小整"
)

#: Characters that never serve as an open measure word (a unit not in UNITS, read after a
#: number when it ends the phrase: 160万锭, 打井20眼): function words, verbs and nouns
#: that follow numbers without counting them (80后, 3号, 8路, 168团, 2.0版, 500强, 8折).
OPEN_UNIT_STOP = frozenset(
    "的和与及或了在是为等也都还又就才已均并而且但则即亦被将比从向至到由以于之其各每"
    "这那此该本共合计达超逾近约占增减降升涨跌加乘除来去上下中内外前后左右止时号路"
    "线楼室团师旅营连班队届版型级代强佳优大小高低新老好多余整半折者第底末初地"
    "不没未非无仅再更最很太越较"
)

#: Relative years: the year offset from the publication year (或 from the last year
#: mentioned, for the "same" kind).
REL_YEARS: dict[str, tuple[str, int]] = {
    "去年": ("pub", -1),
    "今年": ("pub", 0),
    "前年": ("pub", -2),
    "明年": ("pub", 1),
    "同年": ("last", 0),
    "次年": ("last", 1),
    "翌年": ("last", 1),
}
#: The character before a relative year that makes it part of another word
#: (过去年代, 如今年轻, 不同年龄, 文明年 ...).
REL_YEAR_NOT_BEFORE: dict[str, frozenset[str]] = {
    "去年": frozenset("过失除离回死上下出进归老远逝淡拿送带看听想说走跑飞夺划扣减抹省剔删略"),
    "今年": frozenset("如迄当"),
    "前年": frozenset("提目当此空之以超年日月天周生前史从向面门眼跟事会"),
    "明年": frozenset("文光聪说证表透鲜简英开清昌黎发阐申声标注失高精神"),
    "同年": frozenset("不相共等协认赞大如雷混视会连合胡陪随伙"),
    "次年": frozenset("每一二两三四五六七八九十几多首层名初档批"),
    "翌年": frozenset(),
}
#: The character after 年 that makes it part of another word (年级, 年代, 年龄 ...).
AFTER_YEAR_WORD = frozenset("级代龄轻纪华货鉴画")

#: Characters that join the numbers of a coordination (A和B以上, A、B和C万元).
CONNECTORS = frozenset(["和", "、", "及", "与", "或", "以及", "、和"])

#: Characters that may follow a bare Arabic number (no unit) without making it a label
#: (2.0工程, 122模式 and 985高校 are labels; 增长到1000的 is a number).
BARE_FOLLOWERS = frozenset(
    "的了和与及或至到等是为之以左上下间内、,，。；;:：!！?？)）」』”’》 \t\r\n"
)

#: Idioms and set phrases in which a numeral and a measure word count nothing.  The
#: extractor reads each as a whole (like a quoted name), so no part of it is a mention;
#: each starts with a numeral character.
IDIOMS: tuple[str, ...] = (
    "五花八门",
    "三头六臂",
    "三天两头",
    "三天打鱼",
    "两天晒网",
    "三位一体",
    "五位一体",
    "三年五载",
    "三座大山",
    "七年之痒",
    "十年树木",
    "百年树人",
    "十年如一日",
    "三个代表",
    "四个全面",
    "四个意识",
    "四个自信",
    "四个不摘",
    "两个维护",
    "两个确立",
    "两个务必",
    "三个务必",
    "两个一百年",
    "五个认同",
    "三个离不开",
    "三个有利于",
    "八项规定",
    "两条腿走路",
)
