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
# # 资金与项目的构成 · Spending shares
#
# 援疆报道常说"其中××类项目N个""投入资金占比达x%":一个部分,一个总数。这本笔记本把
# 每个部分放回它的总数旁边,看它占多少。
#
# Aid reports often name a part and its total ("of which N livelihood projects", "x% of the
# funds"). This notebook puts each part next to its total and shows its share.
#
# **报道值与推算值 · Reported and derived.** 有时文章给出占比,金额由库推算(总额 × 占比);
# 有时文章给出金额或个数,占比由库推算(部分 ÷ 总数)。推算值在表里标为 `derived`,在图里用
# 斜线填充,并附上公式。
# Sometimes the article states the share and the library derives the amount (total × share);
# sometimes it states the amount or count and the library derives the share (part ÷ total).
# Derived numbers are marked `derived` in the table, hatched in the chart, and come with
# their formula.
#
# **注意 · Caveats**
#
# - 各部分可能相互包含(例如医疗投入可能也算在民生类里),所以部分之间不能相加。
#   Parts may overlap (health spending may also count as livelihood spending): never add them.
# - 推算值继承报道数字的舍入误差;由"超…"推出的占比只是下界。
#   A derived number inherits the rounding of the reported ones; a share computed from an
#   "over …" figure is only a bound.
# - 不同文章的年份与援助方不同,不能直接比较。
#   Articles differ in year and donor: their shares are not directly comparable.
# - 自动识别的指标(未经人工核对)在表中"来源"一栏标为 auto,在图中颜色较浅、加点;
#   由它们配对出的占比尤其要核对原文。Automatically labelled figures (not reviewed) are
#   marked *auto* in the table and drawn lighter, with dots: check any share built on them
#   against the text.

# %%
from IPython.display import Markdown, display

import aidstats
from aidstats import charts
from aidstats.display import status_note, view

articles = aidstats.load_articles()
figures = aidstats.load_figures()
shares = aidstats.spending_shares()

# %% [markdown]
# ## 1 表 · The table
#
# 占比与金额后的括号说明哪个数是报道的、哪个是推算的;"推算过程"写出算式。
#
# The brackets after each share and amount say which number is reported and which derived;
# *derivation* writes out the arithmetic.

# %%
with_total = shares[shares["share_basis"] != "none"]
display(
    Markdown(
        f"**{len(shares)}** funds and project figures; **{len(with_total)}** of them have a "
        f"total to compare with ({int((with_total['share_basis'] == 'derived').sum())} "
        f"derived shares, {int((with_total['share_basis'] == 'reported').sum())} reported).\n\n"
        + status_note(figures[figures["category"].isin(["funds", "projects"])])
    )
)
view(with_total, figures=figures)

# %% [markdown]
# ## 2 图 · The chart
#
# 每篇文章一个面板;灰色长条是总数(100%),蓝色是部分:实心为报道的占比,斜线为推算的占比,
# 颜色较浅、加点的是自动识别的指标。右侧写出占比,以及由占比推算出的金额。占比超过 100% 的
# "部分"不可能属于该总数(多为自动配对),不画出,只在副标题中计数。悬停可见原文引文、统计期、
# 地区与原句。
#
# One panel per article; the grey bar is the total (100%), the blue bar the part — solid
# when the article states the share, hatched when the library derived it, lighter and dotted
# when the figure was labelled automatically. The numbers on the right give the share and any
# amount derived from it. A "part" above 100% cannot belong to that total (mostly an
# automatic pairing): it is counted in the subtitle, not drawn. Hover for the quote, period,
# region and sentence.

# %% tags=["chart"]
charts.spending_shares_chart(shares, figures=figures, articles=articles)

# %% [markdown]
# ## 3 没有总数的部分 · Parts with no total
#
# 有些资金或项目数字在文中没有对应的总数,无法算占比;它们只出现在表中和指标浏览图里。
#
# Some funds and project figures have no total in the text, so no share can be computed;
# they appear in the table and in the figure explorer only.

# %%
view(
    shares[shares["share_basis"] == "none"],
    columns=["article", "label", "quote", "amount", "status"],
    figures=figures,
)

# %% [markdown]
# ## 4 English version
#
# The same chart with English labels (`lang="en"`); quotes stay in Chinese, as written.

# %% tags=["chart"]
charts.spending_shares_chart(shares, lang="en", figures=figures, articles=articles)
