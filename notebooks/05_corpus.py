# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     notebook_metadata_filter: kernelspec,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 语料全貌:一个事实,多个来源 · The corpus: one fact, many sources
#
# 文章一多,同一个数字会被反复报道:某援助方某年的援疆资金,五篇报道,五种取整。这本笔记本
# 不再逐篇看,而是看整个语料:把说的是同一件事的数字合并成一个**事实**,再按援助方、年份和
# 领域排开,并列出来源之间对不上的地方。
#
# With many articles the same number is told again and again: one donor's aid funds of one
# year in five reports, rounded five ways. This notebook reads the whole corpus rather than
# one article at a time: figures that tell the same thing are merged into one **fact**, laid
# out by donor, year and sector, and the places where sources disagree are listed.
#
# **怎样算同一个事实 · What counts as one fact**
#
# - 指标、计量、单位、援助方、受援地和统计期都相同的数字,是同一事实的不同说法。
#   Figures agreeing on indicator, measure, unit, donor, recipient and period tell one fact.
# - 每个说法给出一个范围:精确数在末位的半个单位之内(4.5亿元 → 4.45亿至4.55亿),多/余/超
#   表示至少,近表示至多,约为 ±10%(我们的约定,原文没有给出)。事实取所有来源共同允许的
#   范围;范围为空,说明来源之间的差异超出了舍入,标为**矛盾**。
#   Each wording gives a range: an exact figure is within half its last digit, 多/余/超 mean
#   at least, 近 at most, 约 ±10% (our convention: the text gives none). A fact keeps the range
#   all its sources allow; when there is none, the sources disagree beyond rounding: a
#   **conflict**.
#
# **注意 · Caveats**
#
# - 不同受援地、不同统计期的事实互相重叠(地区的资金包含其下各县的),绝不相加。
#   Facts of different recipients and periods overlap (a prefecture's funds contain its
#   counties'): they are never added up.
# - 没有任何来源经过人工整理的事实是**自动**的:表中标为 auto,图中为空心、较浅的点。
#   A fact none of whose sources a person curated is **automatic**: marked auto in the
#   tables, hollow and lighter in the charts.

# %%
from IPython.display import Markdown, display

import aidstats
from aidstats import charts
from aidstats.display import view
from aidstats.facts import conflicts, panel

articles = aidstats.load_articles()
figures = aidstats.load_figures()
facts = aidstats.load_table("facts")
corpus = panel(facts)
context = {"figures": figures, "articles": articles}

# %%
told = facts[facts["n_sources"] > 1]
display(
    Markdown(
        f"**{len(articles):,}** 篇文章 articles · **{len(figures):,}** 项指标 figures → "
        f"**{len(facts):,}** 个事实 facts,其中 of which **{len(told):,}** 由两个以上来源"
        f"讲述 told by two or more sources, **{int(facts['conflict'].sum()):,}** 个来源"
        f"矛盾 conflicts, **{int((facts['status'] == 'auto').sum()):,}** 个自动事实 "
        f"automatic. 面板 The panel: **{len(corpus):,}** 行 rows (indicator × donor × "
        f"region × year), **{corpus['donor'].nunique():,}** 个援助方 donors, "
        f"**{corpus['year'].nunique():,}** 个年份 years."
    )
)

# %% [markdown]
# ## 1 面板 · The panel
#
# 面板每行一个事实:指标 × 援助方 × 受援地 × 年份(统计期末年;累计数的统计期写在"统计期"
# 一栏)。只收可以计数的量(金额、人数、个数、面积、重量),占比与增长率不在其中。"数值"是各
# 来源的中位数,"范围"是所有来源共同允许的范围,"来源数"是讲述它的指标数。先列出来源最多的。
#
# One row per fact: indicator × donor × recipient × year (the year the period ends; a
# cumulative fact's period is in *period*). Only quantities that can be counted (money,
# people, items, area, weight); shares and growth rates are not panel values. *Value* is the
# median of the sources, *bounds* the range all of them allow, *sources* how many figures
# tell it. The most-told facts first.

# %%
most_told = corpus.sort_values(["n_sources", "n_articles"], ascending=False, kind="stable")
view(most_told, max_rows=20)

# %% [markdown]
# ## 2 援疆资金与项目 · Aid funds and projects by donor and year
#
# 每点一个事实,横轴是统计期末年,颜色是援助方(事实最多的几个援助方各有颜色,其余为灰色)。
# 方块是累计数,细虚线画出它的统计期:三年累计的4.5亿元不是每年4.5亿元。线段是所有来源共同
# 允许的范围,红圈是来源矛盾。同一援助方同一年的几个点来自不同受援地或统计期,不可相加。
#
# A dot per fact at the year its period ends, coloured by donor (the donors with most facts
# have a colour each, the rest are grey). Squares are cumulative figures, the thin dotted
# line their period: 4.5亿元 over three years is not 4.5亿元 a year. Whiskers show the
# range all sources allow; a red ring marks a conflict. Several dots of one donor in one
# year come from different recipients or periods and are not to be added.

# %% tags=["chart"]
charts.funds_projects_chart(corpus, **context)

# %% [markdown]
# ## 3 消费帮扶销售额 · Consumption-aid sales over time
#
# 同一画法:消费帮扶销售额(及其中的线上销售额)按援助方与年份。只知下界的数字(超17亿元)
# 画成向上的箭头。
#
# The same layout for consumption-aid sales (and the online part of them) by donor and
# year. A figure known only from below (超17亿元) gets an arrow.

# %% tags=["chart"]
charts.corpus_sales_chart(corpus, **context)

# %% [markdown]
# ## 4 受益人数与人次 · People reached, by sector
#
# 人数与人次分开作图。每个领域一行(括号里是事实数),每点一个事实,横轴为对数刻度(不同报道
# 的人数相差几个数量级)。点在行内上下略微错开,只是为了不互相遮挡。
#
# People and person-times are charted apart. A row per sector (its number of facts in
# brackets), a dot per fact, on a log axis (counts differ by orders of magnitude). Dots are
# spread a little within their row only so that they do not hide each other.

# %% tags=["chart"]
charts.beneficiaries_by_sector_chart(corpus, **context)

# %% [markdown]
# ## 5 每个事实有几个来源 · Sources per fact
#
# 多数事实只有一个来源;由几个来源讲述、且彼此一致的事实最可靠。红色部分是来源矛盾的事实。
#
# Most facts have a single source; facts told by several sources that agree are the most
# reliable. The red part are facts whose sources disagree.

# %% tags=["chart"]
charts.sources_chart(facts, **context)

# %%
counts = facts.groupby("n_sources").agg(
    facts=("fact_id", "size"),
    conflicts=("conflict", "sum"),
    automatic=("status", lambda s: int((s == "auto").sum())),
)
counts.index.name = "来源数 sources"
counts.columns = ["事实 facts", "矛盾 conflicts", "自动 automatic"]
display(counts)

# %% [markdown]
# ## 6 需要核对的矛盾 · Conflicts to look at
#
# 这些事实的各个来源相差超出了舍入范围。排在前面的是人工整理过的,以及由最多文章、最多来源
# 讲述的。"说明"一栏列出每个来源的指标编号和原文写法,可据此回到原文核对:也许是不同的口径
# (如图注与正文),也许是笔误,也许其实是两个不同的事实。
#
# The sources of these facts differ beyond rounding. Curated facts come first, then those
# told by most articles and sources. *Note* lists each source's figure id and wording, to go
# back to the texts: a different scope (a caption against the body), a misprint, or two
# different facts after all.

# %%
to_check = conflicts(facts)
display(
    Markdown(
        f"**{len(to_check):,}** 个矛盾 conflicts"
        + (",显示前 20 个 · the first 20 shown" if len(to_check) > 20 else "")
    )
)
view(
    to_check,
    columns=["label", "donor", "region", "period", "n_sources", "note", "status"],
    max_rows=20,
)
