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
# # 消费帮扶销售额 · Consumption-aid sales
#
# 消费帮扶把受援地的农产品卖到援助方的城市。报道通常给出一年的销售额、销售量和同比增长率。
# 这本笔记本把它们按项目、援助方和年份排开,并写出它们隐含的数字。
#
# Consumption aid sells the recipient's farm products in the donor's cities. Reports usually
# give a year's sales value, volume and growth rate. This notebook lays them out by
# programme, donor and year, and writes out what they imply.
#
# **推算 · What is derived, and how**
#
# - 上年销售额 = 本年销售额 ÷ (1 + 同比增长率)。Previous-year sales = this year's ÷ (1 + growth).
# - 每吨销售额 = 销售额 ÷ 销售量。Value per tonne = value ÷ volume.
# - 线上占比 = 线上销售额 ÷ 销售额。Online share = online sales ÷ sales.
#
# **注意 · Caveats**
#
# - 不同援助方、不同年份的数字不是同一条时间序列:市级项目可能包含在省级项目里,口径也可能不同,
#   不能相加,也不宜直接比较。Figures of different donors and years are not one time series: a
#   city's programme may be part of its province's, and definitions may differ. Never add
#   them; compare with care.
# - "超N亿元"这样的数字只给出下界,由它推算出的每吨销售额也只是下界。
#   A figure such as 超N亿元 ("over N") is only a lower bound, and so is anything derived
#   from it.
# - 推算的上年销售额假定增长率与销售额口径相同;文章并未给出上年数字。
#   The implied previous year assumes the growth rate refers to the same scope as the sales
#   value; the article does not state the previous year's figure.
# - 每吨销售额混合了不同产品,只是一个粗略的平均值。Value per tonne mixes products: it is a
#   rough average.

# %%
from IPython.display import Markdown, display

import aidstats
from aidstats import charts
from aidstats.display import status_note, view

articles = aidstats.load_articles()
figures = aidstats.load_figures()
sales = aidstats.sales_growth()

# %% [markdown]
# ## 1 表 · The table
#
# 有原文的行是报道的数字;有"推算过程"的行由库推算。"范围"写出措辞(超/多/余/近)允许的结论。
#
# Rows with a quote are numbers from the text; rows with a derivation were computed by the
# library. *Bounds* says what the wording (超/多/余/近) lets a reader conclude.

# %%
display(
    Markdown(
        f"**{int((sales['basis'] == 'reported').sum())}** reported and "
        f"**{int((sales['basis'] == 'derived').sum())}** derived rows across "
        f"**{sales['article_id'].nunique()}** article(s).\n\n"
        + status_note(figures[figures["category"] == "sales"])
    )
)
view(sales, figures=figures)

# %% [markdown]
# ## 2 图 · The chart
#
# 三个面板共用横轴:每个"项目 · 援助方"一组,组内按年份排列。上:销售额(斜线为推算的上年值,
# 橙色窄条为其中线上销售额,虚线标出报道的同比增长率);中:销售量;下:每吨销售额(推算)。
# 箭头表示只知下界。
#
# Three panels share the horizontal axis: one block per programme · donor, years inside it.
# Top: sales value (hatched: the implied previous year; narrow orange bar: of which online;
# dashed line: the reported growth rate). Middle: volume. Bottom: value per tonne (derived).
# An arrow marks a value known only from below.

# %% tags=["chart"]
charts.sales_growth_chart(sales, figures=figures, articles=articles)

# %% [markdown]
# ## 3 推算过程 · The derivations written out
#
# 每个推算值的公式与所用指标,便于逐一核对。Each derived number with its formula and the
# figures it used, to check by hand.

# %%
view(
    sales[sales["basis"] == "derived"],
    columns=["article", "label", "value", "bounds", "formula", "figure_ids"],
    figures=figures,
)
