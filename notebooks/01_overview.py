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
# # 语料概览 · Corpus overview
#
# 这本笔记本回答三个问题:语料里有哪些文章?文中的每个数字是否都有着落?整理出的指标表长什么样?
#
# This notebook answers three questions: which articles are in the corpus, is every number
# in them accounted for, and what does the figures table hold?
#
# Everything here is read through the `aidstats` library (`aidstats.load_articles()`,
# `aidstats.load_figures()`, …), which reads `data/processed/` or builds it from `data/raw/`.
# Nothing is computed in the notebook that the library does not already compute.
#
# **注意 · Caveats**
#
# - 数字来自新闻报道,是报道者的说法,不是审计过的统计。
#   The figures are what newspapers reported, not audited statistics.
# - 不同文章的年份、援助方和受援地不同,不能直接比较或相加。
#   Articles differ in year, donor and recipient: their figures are not directly comparable
#   and must not be added up.
# - 多/余/超 表示"至少",近 表示"至多":这些数字是区间,不是点。
#   多/余/超 mean *at least* and 近 *at most*: such figures are ranges, not points.
# - 指标分两种:人工整理的(curated),和构建时自动识别、未经人工核对的(auto,附置信度)。
#   表中"来源"一栏标出后者;图中它们颜色较浅(条形加点,标记空心)。
#   Figures are either curated by a person or labelled automatically by the build (*auto*,
#   with a confidence, not reviewed): the *status* column marks them, and the charts draw
#   them lighter (dotted bars, hollow markers).

# %%
import html

import pandas as pd
from IPython.display import Markdown, display

import aidstats
from aidstats import charts
from aidstats.display import status_note, view
from aidstats.paths import project_paths

paths = project_paths()
articles = aidstats.load_articles()
figures = aidstats.load_figures()
coverage = aidstats.load_table("coverage")
checks = aidstats.consistency_checks()

# %% [markdown]
# ## 1 文章 · Articles
#
# 每篇文章一行:标题、发表时间(按可确定的精度)、援助方与受援地,以及文中识别出的数量表述、
# 登记为指标的和有理由排除的数量。
#
# One row per article: title, publication date (at the precision the text allows), donor and
# recipient, and how many quantity mentions were found, curated as figures, labelled
# automatically, or excluded with a reason.

# %%
display(
    Markdown(
        f"The corpus in `{paths.raw.relative_to(paths.root)}` holds **{len(articles)}** "
        f"article(s) with **{int(articles['characters'].sum()):,}** characters.\n\n"
        + status_note(figures)
    )
)
view(articles)

# %% [markdown]
# ## 2 覆盖情况 · Coverage
#
# 每个数额、百分比、比例、区间或时长表述都有着落:人工登记为指标(used)、写明理由排除
# (excluded),或者在有人核对之前由构建自动识别为指标(auto);日期等不需要登记(not_required)。
# auto 一栏不为零的文章,还没有人核对过(`aidstats review` 生成核对草稿)。
#
# Every amount, percent, ratio, range or duration mention is accounted for: curated as a
# figure (*used*), excluded with a reason (*excluded*), or — until a person has looked at
# it — labelled automatically by the build (*auto*); dates need no registry row
# (*not_required*). An article with *auto* mentions has not been reviewed yet
# (`aidstats review` drafts the rows).

# %%
coverage.pivot_table(
    index="article_id", columns="status", values="mention_id", aggfunc="count", fill_value=0
)

# %% [markdown]
# 排除的表述及其理由(每篇文章前几条)· Excluded mentions and why (first few per article):

# %%
excluded = coverage[coverage["status"] == "excluded"]
view(excluded.groupby("article_id").head(5))

# %% [markdown]
# ## 3 指标表 · The figures table
#
# 每个指标带着它的原文引文(`quote`)和在原始文件中的字符位置(`raw_start`、`raw_end`),
# 所以任何数字都能追溯到原文。下表按分类、文章和来源计数,再列出每篇文章的前几个指标。
#
# Each figure carries its quote and its character offsets in the raw file, so every number
# can be traced back to the text. First the count by category, article and status, then the
# first figures of each article.

# %%
pd.crosstab(figures["category"], [figures["article_id"], figures["status"]], margins=True)

# %%
view(figures.groupby("article_id").head(8))

# %% [markdown]
# ## 4 逐篇浏览 · Every figure, article by article
#
# 每篇文章一张图:每行一个指标,按在文中出现的先后排列;列是分类,颜色和形状表示措辞
# (● 精确,▲ 至少,▼ 至多,◆ 约数),空心标记是自动识别的指标,点旁写着原文。把鼠标停在点上,
# 可以看到原句、上下界、统计期和出处。
#
# One chart per article: one row per figure in reading order; columns are categories,
# colour and shape show the wording (● exact, ▲ at least, ▼ at most, ◆ approximate), a
# hollow marker an automatic figure, and each point is labelled with the figure as written.
# Hover over a point for the sentence, bounds, period and source.

# %% tags=["chart"]
for article_id in articles["article_id"]:
    charts.figure_explorer(figures, article_id=article_id, articles=articles).show()

# %% [markdown]
# ## 5 一致性核对 · Consistency checks
#
# 库会自动核对:占比不超过 100%、部分不超过总数、各部分之和不超过总数;再加上人工设定的
# 算术核对。"flag" 不一定是错误,可能是口径不同,需要读说明。
#
# The library checks that shares are at most 100%, parts at most their total and parts add
# up to no more than the total, plus curated arithmetic checks. A *flag* is not necessarily
# an error (the two numbers may be measured differently): read the note.

# %%
display(
    Markdown(
        f"**{int((checks['verdict'] == 'pass').sum())}** check(s) pass and "
        f"**{int((checks['verdict'] == 'flag').sum())}** are flagged."
    )
)
view(checks)

# %% [markdown]
# ## 6 文章来源 · Where the articles come from
#
# 发表日期与刊载媒体是按文本推断的;依据如下。Publication dates and outlets are inferred from
# the text; the reasoning:

# %%
for row in articles.itertuples():
    display(
        Markdown(
            f"**{html.escape(str(row.title))}** (`{row.article_id}`): published "
            f"{row.published} — {html.escape(str(row.published_reasoning))}"
        )
    )
