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
# # 受益人数与人次 · Beneficiaries
#
# 报道里的人数五花八门:接诊多少人次、救治多少名患者、培训多少位教师。这本笔记本把它们按
# 领域和项目排开,并且把"人"和"人次"分开。
#
# Reports count people in many ways: patient visits, patients treated, teachers trained.
# This notebook lays the counts out by sector and programme, and keeps *people* apart from
# *person-times*.
#
# **注意 · Caveats**
#
# - 人数(人、名、位)与人次不是一回事:一个人可以就诊多次。两者分开作图,绝不相加。
#   People and person-times are different things (one person may visit many times): they are
#   charted on separate axes and never added.
# - 不同项目的受益人可能重叠,同一篇文章里的人数相加也会重复计算。
#   Beneficiaries of different programmes may overlap; adding counts double-counts.
# - "余/多/超"表示至少(例如 N余人次即至少 N 人次),"近"表示至多;图中以线段和箭头
#   画出这些上下界。余/多/超 mean *at least*, 近 *at most*; the chart draws these bounds.
# - 不同文章的年份与地区不同,不宜直接比较。Articles differ in year and region: compare with care.

# %%
from IPython.display import Markdown, display

import aidstats
from aidstats import charts
from aidstats.display import status_note, view

articles = aidstats.load_articles()
figures = aidstats.load_figures()
people = aidstats.beneficiaries()

# %% [markdown]
# ## 1 表 · The table
#
# "范围"一栏写出措辞允许读者下的结论:N余 = 至少 N、不到下一个整数位(1000余 → 1000 至 2000 以下)。
# *Bounds* states what the wording lets a reader conclude: N余 is at least N and below the
# next step of its last digit (1000余 → from 1000 to under 2000).

# %%
display(
    Markdown(
        ", ".join(
            f"**{n}** {measure} figure(s)"
            for measure, n in people["measure"].value_counts().sort_index().items()
        )
        or "No beneficiary figures."
    )
)
display(Markdown(status_note(figures[figures["figure_id"].isin(people["figure_id"])])))
view(people, figures=figures)

# %% [markdown]
# ## 2 图 · The chart
#
# 每篇文章、每种计量(人数或人次)一个面板,面板标题写明文章和统计期:不同文章的数字不放在
# 同一排名里比较。点是原文数字,颜色表示领域,空心点是自动识别的指标;线段是措辞隐含的范围
# (1000余 → 1000 至 2000 以下,近800 → 至多 800),箭头表示只知下界。数字跨几个数量级时用
# 对数刻度(轴标题会注明),从最小数字以下的整数量级开始。右侧一列是原文写法。
#
# One panel per article and measure (people or person-times), titled with the article and
# its period: counts of different articles are never ranked together. A dot is the number as
# written, its colour the sector, hollow when the figure was labelled automatically; a line
# is the range the wording implies (1000余 → 1000 to under 2000, 近800 → at most 800), an
# arrow a lower bound only. When counts span orders of magnitude the axis is logarithmic
# (its title says so) and starts at the decade below the smallest count. The column on the
# right gives each count as written.

# %% tags=["chart"]
charts.beneficiaries_chart(people, figures=figures, articles=articles)

# %% [markdown]
# ## 3 只有下界或上界的数字 · Counts known only as bounds
#
# 这些数字不是精确值,引用时应写"至少"或"至多"。These counts are not exact: quote them as
# "at least" or "at most".

# %%
view(
    people[people["qualifier"] != "exact"],
    columns=["article", "label", "quote", "bounds", "period"],
)
