"""Hover labels: what a careful reader needs beside each mark.

Every label has the same shape: a bold title, the figure as reported, ``key: value``
lines, then the source sentence (quote in bold), the raw offsets and the article.
:class:`Context` looks up figures by id and article titles for it. Article text is
escaped before it reaches Plotly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypedDict

import pandas as pd

from aidstats.charts.labels import (
    category_name,
    check_lang,
    escape_hover,
    in_totals,
    measure_name,
    paren,
    period_text,
    row_label,
    whole_label,
    word,
)
from aidstats.formatting import bounds_text, format_value, is_missing

#: The hover template of every trace: the prepared ``hovertext`` and no trace name box.
HOVER_TEMPLATE = "%{hovertext}<extra></extra>"


class Html(str):
    """A hover value that is already safe HTML (not escaped again)."""


def hover_label(title: str, rows: Iterable[tuple[str, Any]]) -> str:
    """One hover label: a bold escaped title, then ``key: value`` lines (empty ones skipped)."""
    out = [f"<b>{escape_hover(title)}</b>"]
    for key, value in rows:
        if is_missing(value) or value == "":
            continue
        shown = value if isinstance(value, Html) else escape_hover(value)
        if "<br>" in shown and key:
            out.append(f"{escape_hover(key)}:<br>{shown}")
        else:
            out.append(f"{escape_hover(key)}: {shown}" if key else shown)
    return "<br>".join(out)


def _wrap(text: str, width: int) -> list[tuple[int, int]]:
    """Line ranges of ``text``, about ``width`` wide (CJK counts 1, ASCII ½)."""
    ranges, start, used = [], 0, 0.0
    for i, ch in enumerate(text):
        used += 0.5 if ord(ch) < 128 else 1.0
        if ch == "\n" or used >= width:
            ranges.append((start, i + 1))
            start, used = i + 1, 0.0
    if start < len(text):
        ranges.append((start, len(text)))
    return ranges


def sentence_html(sentence: Any, quote: Any, width: int = 30) -> str:
    """The sentence wrapped for a hover label (at most 8 lines), with the quote in bold."""
    if is_missing(sentence):
        return ""
    text = str(sentence).replace("\n", " ")
    q = "" if is_missing(quote) else str(quote)
    qs = text.find(q) if q else -1
    qe = qs + len(q) if qs >= 0 else -1
    lines = []
    for a, b in _wrap(text, width):
        if qs < 0 or qe <= a or qs >= b:
            lines.append(escape_hover(text[a:b]))
            continue
        s, e = max(a, qs), min(b, qe)
        bold = f"<b>{escape_hover(text[s:e])}</b>"
        lines.append(escape_hover(text[a:s]) + bold + escape_hover(text[e:b]))
    if len(lines) > 8:
        lines = [*lines[:8], "…"]
    return "<br>".join(lines)


class FigureRows(Mapping[str, pd.Series]):
    """The figures table by figure id, each row read when first looked up: a chart of a
    few hundred marks over a corpus of tens of thousands of figures reads only those."""

    def __init__(self, figures: pd.DataFrame | None) -> None:
        self._figures = figures if figures is not None else pd.DataFrame()
        ids = [] if self._figures.empty else self._figures["figure_id"]
        self._at = {str(f): i for i, f in enumerate(ids)}  # the last row of an id wins
        self._rows: dict[str, pd.Series] = {}

    def __getitem__(self, key: str) -> pd.Series:
        if key not in self._rows:
            # a one-row frame's iterrows: the same values and types as the whole table's
            at = self._at[key]
            one = self._figures.iloc[at : at + 1]
            self._rows[key] = next(one.iterrows())[1]
        return self._rows[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


class Context:
    """What hover labels look up, in one language: figures by id and article titles."""

    def __init__(
        self, figures: pd.DataFrame | None, articles: pd.DataFrame | None, *, lang: str
    ) -> None:
        self.lang = lang
        self.figures = FigureRows(figures)
        self.titles: dict[str, str] = {}
        if articles is not None and not articles.empty and "title" in articles:
            self.titles = dict(zip(articles["article_id"], articles["title"], strict=True))

    def word(self, key: str) -> str:
        return word(self.lang, key)

    def article(self, article_id: Any) -> str:
        """An article as its title with the id, or the id alone when the title is unknown."""
        title = self.titles.get(str(article_id))
        return f"{title}({article_id})" if title else str(article_id)

    def hover(
        self,
        title: str,
        rows: list[tuple[str, Any]],
        *,
        figure_id: Any,
        quote: Any,
        article_id: Any,
        auto: bool = False,
    ) -> str:
        """A hover label: the title, whether the figure is automatic, the figure as
        reported, ``rows``, then the source sentence (quote in bold), raw offsets and
        article when the figure is known."""
        f = self.figures.get(str(figure_id)) if not is_missing(figure_id) else None
        head = [(self.word("as_reported"), f["quote"] if f is not None else quote)]
        if auto or (f is not None and f.get("status") == "auto"):
            head.insert(0, ("", Html(self.auto_line(f))))
        tail: list[tuple[str, Any]] = []
        if f is not None:
            span = f"{f['article_id']} [{int(f['raw_start'])}:{int(f['raw_end'])}]"
            tail = [
                (self.word("sentence"), Html(sentence_html(f["sentence"], f["quote"]))),
                (self.word("offsets"), span),
            ]
        tail.append((self.word("article"), self.article(article_id)))
        return hover_label(title, [*head, *rows, *tail])

    def auto_line(self, f: pd.Series | None) -> str:
        """The hover line of an automatic figure: not reviewed, with its confidence."""
        text = self.word("auto_line")
        conf = f.get("confidence") if f is not None else None
        if not is_missing(conf):
            text += paren(f"{self.word('confidence')} {float(conf):.2f}", self.lang)
        return f'<span style="color:#8A5A00"><b>⚠ {escape_hover(text)}</b></span>'

    def row_hover(self, row: pd.Series, rows: list[tuple[str, Any]], *, figure_id: Any) -> str:
        """:meth:`hover` for a table row titled by its label, with its quote and article."""
        return self.hover(
            row_label(row, self.lang),
            rows,
            figure_id=figure_id,
            quote=row["quote"],
            article_id=row["article_id"],
            auto=bool(row.get("_auto", False)),
        )

    def used(self, figure_ids: Any, *, sep: str | None = None) -> str:
        """The quotes of the figures ``figure_ids`` names (a derived value's operands, a
        fact's sources), each with its id, joined by ``sep`` (default: the language's
        list separator)."""
        if is_missing(figure_ids):
            return ""
        out = []
        for fid in str(figure_ids).split(";"):
            f = self.figures.get(fid)
            out.append(f"{f['quote']}({fid})" if f is not None else fid)
        return (sep if sep is not None else ", " if self.lang == "en" else ";").join(out)


def _value(ctx: Context, value: Any, unit: Any) -> str:
    return format_value(value, unit, ctx.lang)


def _where(ctx: Context, row: pd.Series) -> list[tuple[str, Any]]:
    """The period, recipient and donor lines every hover ends its own rows with."""
    return [
        (ctx.word("period"), period_text(row["period_start"], row["period_end"])),
        (ctx.word("region"), row["region"]),
        (ctx.word("donor"), row["donor"]),
    ]


def figure_hover(row: pd.Series, ctx: Context) -> str:
    """The hover of one figure (a figures or beneficiaries row): value, bounds, kind, where."""
    lang = ctx.lang
    rows: list[tuple[str, Any]] = [
        (ctx.word("value"), _value(ctx, row["value"], row["unit"])),
        (
            ctx.word("bounds"),
            bounds_text(row["qualifier"], row["lower"], row["upper"], row["unit"], lang=lang),
        ),
        (ctx.word("measure"), measure_name(row["measure"], lang)),
        (ctx.word("category"), category_name(row["category"], lang)),
        (ctx.word("program"), row.get("program")),
        *_where(ctx, row),
        ("", "" if in_totals(row["include_in_totals"]) else ctx.word("not_in_totals")),
        (ctx.word("note"), row.get("note")),
    ]
    return ctx.row_hover(row, rows, figure_id=row["figure_id"])


def share_hover(row: pd.Series, ctx: Context) -> str:
    """The hover of a part in the spending-shares chart: its share, amount and total."""
    lang = ctx.lang
    share = _value(ctx, row["share_pct"], "%")
    lo, hi = row["share_lower_pct"], row["share_upper_pct"]
    bounds_share = ""
    if not (is_missing(lo) and is_missing(hi)) and (is_missing(lo) or is_missing(hi) or lo != hi):
        bounds_share = bounds_text("over" if is_missing(hi) else "near", lo, hi, "%", lang=lang)
    amount = _value(ctx, row["amount"], row["unit"])
    amount_basis = ctx.word(f"basis_{row['amount_basis']}") if row["amount_basis"] != "none" else ""
    whole = f"{whole_label(row, lang)} {_value(ctx, row['whole_value'], row['unit'])}"
    rows: list[tuple[str, Any]] = [
        (ctx.word("share_key"), share + paren(ctx.word(f"basis_{row['share_basis']}"), lang)),
        (ctx.word("bounds"), bounds_share),
        (ctx.word("value"), f"{amount}{paren(amount_basis, lang)}" if amount_basis else ""),
        (ctx.word("whole_key"), whole),
        (ctx.word("formula"), row["formula"]),
        *_where(ctx, row),
    ]
    return ctx.row_hover(row, rows, figure_id=row["figure_id"])


def whole_hover(row: pd.Series, ctx: Context) -> str:
    """The hover of the grey 100% bar: the total a part is a share of."""
    wf = ctx.figures.get(str(row["whole_figure"]))
    return ctx.hover(
        f"{whole_label(row, ctx.lang)} = 100%",
        [(ctx.word("value"), _value(ctx, row["whole_value"], row["unit"]))],
        figure_id=row["whole_figure"],
        quote=wf["quote"] if wf is not None else None,
        article_id=row["article_id"],
    )


def sales_hover(row: pd.Series, ctx: Context) -> str:
    """The hover of a sales value, volume or growth rate, with the formula when derived."""
    lang = ctx.lang
    derived = row["basis"] == "derived"
    basis = paren(ctx.word(f"basis_{row['basis']}"), lang)
    rows: list[tuple[str, Any]] = [
        (ctx.word("value"), _value(ctx, row["value"], row["unit"]) + basis),
        (
            ctx.word("bounds"),
            bounds_text(row["qualifier"], row["lower"], row["upper"], row["unit"], lang=lang),
        ),
        (ctx.word("formula"), row["formula"] if derived else ""),
        (ctx.word("from"), ctx.used(row["figure_ids"]) if derived else ""),
        (ctx.word("program"), row["program"]),
        *_where(ctx, row),
    ]
    reported = row["basis"] == "reported"
    return ctx.row_hover(row, rows, figure_id=row["figure_ids"] if reported else None)


class ChartOptions(TypedDict, total=False):
    """The keywords every table chart takes (all optional): ``lang`` ("zh", the default,
    or "en"), a ``title``, and the ``figures`` and ``articles`` tables, for source
    sentences, article titles and each figure's status in the hover labels;
    ``max_articles``, the most articles drawn (default
    :data:`~aidstats.charts.core.MAX_ARTICLES`, ``None``: all)."""

    lang: str
    title: str | None
    figures: pd.DataFrame | None
    articles: pd.DataFrame | None
    max_articles: int | None


def chart_context(opts: ChartOptions) -> Context:
    """The hover context of a chart's keywords (:class:`ChartOptions`), in a checked
    language; a TypeError for a keyword that is not one of them."""
    unknown = sorted(set(opts) - set(ChartOptions.__annotations__))
    if unknown:
        raise TypeError(f"unexpected keyword argument(s): {', '.join(unknown)}")
    lang = check_lang(opts.get("lang", "zh"))
    return Context(opts.get("figures"), opts.get("articles"), lang=lang)
