"""The summary sheet (概览): what the build found, each number linked to the sheet it is on.

Sections: every derived spending share and amount, the sales, the three largest counts per
beneficiary measure, and the checks (how many pass, which are flagged). Every number,
count and written arithmetic is a formula linked to its sheet, so it follows the inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment

from aidstats._version import __version__
from aidstats.excel import columns, scale
from aidstats.excel.cells import CellSpec, display_cell, number_format, text
from aidstats.excel.formulas import Formula
from aidstats.excel.layout import BENEFICIARIES, CHECKS, FIGURES, SALES, SOURCES, SPENDING, SUMMARY
from aidstats.excel.scale import curated, top_rows
from aidstats.excel.sheet import LEGEND, Sheet, wrapped_lines
from aidstats.quantities import Quantity

Frames = dict[str, pd.DataFrame]
BOUNDS_NOTE = (
    "读数边界:多/余/超/以上 = 至少(下界);近 = 至多(上界);约/左右 = 无界。"
    "Reading bounds: 多/余/超/以上 = at least (lower bound); 近 = at most (upper bound); "
    "约/左右 = approximate, no bound."
)
_SALES_ROWS = 12  # with more sales rows, the summary shows only sales values and derived rows
_TOP_BENEFICIARIES = 3  # the largest counts shown per measure


@dataclass(frozen=True, kw_only=True)
class Headline:
    """One row of the summary: a number linked to its sheet, with where it comes from."""

    section: str
    label_zh: str
    label_en: str
    value: Formula
    quantity: Quantity  # the number now, with its bounds and unit (format, display)
    basis: str  # "reported", "derived" or "flag"; sets the colour
    arithmetic: Formula | str
    quote: str
    article: str
    status: str = "curated"

    def cells(self, display_ref: str) -> dict[str, CellSpec]:
        """The cells of the row; ``display_ref`` is the value cell the display writes."""
        role = {"derived": "derived", "flag": ""}.get(self.basis, "reported")
        derived = self.basis == "derived"
        q = self.quantity
        return {
            "section": CellSpec(self.section),
            "status": CellSpec(self.status),
            "label_zh": CellSpec(self.label_zh),
            "label_en": CellSpec(self.label_en),
            "value": CellSpec(self.value, number_format(q.unit, q.value, derived=derived), role),
            "display": display_cell(display_ref, q, derived=derived)
            if self.basis != "flag"  # a flagged check's number has no unit to write
            else CellSpec(),
            "unit": CellSpec(q.unit),
            "basis": CellSpec(self.basis),
            "arithmetic": CellSpec(
                self.arithmetic, None, "derived" if isinstance(self.arithmetic, Formula) else ""
            ),
            "quote": CellSpec(self.quote),
            "article": CellSpec(self.article),
        }


class _Links:
    """Quotes, article titles and links into the other sheets, for the headlines."""

    def __init__(self, frames: Frames, sheets: dict[str, Sheet]) -> None:
        figures, articles = frames["figures"], frames["articles"]
        self.quote_of = dict(zip(figures["figure_id"], figures["quote"], strict=True))
        self.titles = dict(zip(articles["article_id"], articles["title"], strict=True))
        self.sheets = sheets
        self.left_out: dict[str, int] = {}  # section → records not shown (a large corpus)

    def select(
        self,
        section: str,
        df: pd.DataFrame,
        wanted: list[bool],
        ranks: Callable[[pd.DataFrame], list[list[Any]]],
    ) -> set[int]:
        """The positions of the ``wanted`` records of ``df`` that a section shows: all of
        them up to :data:`~aidstats.excel.scale.SUMMARY_SECTION_MAX`, else those that
        rank highest by ``ranks`` (per-row keys of the wanted rows)."""
        positions = [p for p, keep in enumerate(wanted) if keep]
        if len(positions) <= scale.SUMMARY_SECTION_MAX:
            return set(positions)
        rows = df[wanted].reset_index(drop=True)
        kept = top_rows(rows, ranks(rows), limit=scale.SUMMARY_SECTION_MAX)
        if len(kept) < len(rows):
            self.left_out[section] = len(rows) - len(kept)
        return {positions[j] for j in kept.index}

    def article(self, aid: Any) -> str:
        """The title of an article with its id."""
        return f"{text(self.titles.get(aid))}({text(aid)})"

    def quote(self, figure_id: Any) -> str:
        """The quote of a figure, "" when unknown."""
        return text(self.quote_of.get(figure_id))

    def link(self, sheet: str, column: str, i: int) -> Formula:
        """The cell of ``column`` in record ``i`` of ``sheet``, empty when it is empty."""
        s = self.sheets[sheet]
        x = s.xref(column, s.first_row + i)
        return Formula(f'IF({x}="","",{x})')

    def headline(
        self,
        sheet: str,
        i: int,
        rec: Mapping[str, Any],
        *,
        columns: tuple[str, str, str] = ("value", "lower", "upper"),
        arithmetic: str = "",
        **fields: Any,
    ) -> Headline:
        """The headline of record ``i`` (``rec``) of ``sheet``: its value cell linked, its
        ``arithmetic`` cell linked when given, with the record's article and status."""
        value, lower, upper = columns
        return Headline(
            value=self.link(sheet, value, i),
            quantity=Quantity(rec[value], rec[lower], rec[upper], fields.pop("unit", "")),
            arithmetic=self.link(sheet, arithmetic, i) if arithmetic else "",
            article=self.article(rec["article_id"]),
            status=text(rec.get("status")) or "curated",
            **fields,
        )


def headlines(frames: Frames, sheets: dict[str, Sheet]) -> tuple[list[Headline], dict[str, int]]:
    """What the summary shows: every derived number, the sales, the largest counts, checks;
    and per section how many records it left out (a large corpus, see
    :data:`~aidstats.excel.scale.SUMMARY_SECTION_MAX`)."""
    links = _Links(frames, sheets)
    shown = [
        *_spending(frames["spending_shares"], links),
        *_sales(frames["sales_growth"], links),
        *_beneficiaries(frames["beneficiaries"], links),
        *_checks(frames["consistency_checks"], links),
    ]
    return shown, links.left_out


def _selection(left_out: dict[str, int], notes: Sequence[str]) -> str:
    """What the summary and the sheets leave out of a large corpus ("" when nothing)."""
    if not left_out and not notes:
        return ""
    parts = [
        f"{section}:另有 {n} 项未列出 / {n} more not listed" for section, n in left_out.items()
    ]
    head = (
        f"概览每节最多列出 {scale.SUMMARY_SECTION_MAX} 项(人工整理的优先,其次数值最大的)。"
        f"Each section lists at most {scale.SUMMARY_SECTION_MAX} records (curated first, then "
        "the largest)."
    )
    return "\n".join([head, *parts, *notes]) if parts else "\n".join(notes)


def _spending(df: pd.DataFrame, links: _Links) -> Iterator[Headline]:
    """Each derived share and each amount a reported share implies (curated first, then
    the largest totals of funds, when there are too many to show)."""
    derived = list((df["share_basis"] == "derived") | (df["amount_basis"] == "derived"))
    shown = links.select(
        "资金 Spending",
        df,
        derived,
        lambda rows: [curated(rows), list(rows["whole_value"].where(rows["category"] == "funds"))],
    )
    for i, rec in enumerate(df.to_dict("records")):
        if i not in shown:
            continue
        quotes = (text(rec["quote"]), links.quote(rec["whole_figure"]))
        common = {
            "section": "资金 Spending",
            "basis": "derived",
            "arithmetic": "formula",
            "quote": " / ".join(q for q in quotes if q),
        }
        label_zh, label_en = text(rec["label_zh"]), text(rec["label_en"])
        derived = {  # basis column → the headline's columns, labels (zh, en) and unit
            "share_basis": (
                ("share_pct", "share_lower_pct", "share_upper_pct"),
                f"{label_zh} 占 {text(rec['whole_label_zh'])}",
                f"{label_en} as a share of {text(rec['whole_label_en'])}",
                "%",
            ),
            "amount_basis": (
                ("amount", "amount_lower", "amount_upper"),
                f"{label_zh}对应金额(推算)",
                f"Amount implied by {label_en}",
                text(rec["unit"]),
            ),
        }
        for basis, (cols, zh, en, unit) in derived.items():
            if rec[basis] == "derived":
                yield links.headline(
                    SPENDING, i, rec, columns=cols, label_zh=zh, label_en=en, unit=unit, **common
                )


def _sales(df: pd.DataFrame, links: _Links) -> Iterator[Headline]:
    """Every sales row (only values and derived rows when there are many; curated first,
    then the largest values, when there are too many to show)."""
    many = len(df) > _SALES_ROWS
    wanted = [
        not many or basis == "derived" or metric == "sales_value"
        for basis, metric in zip(df["basis"], df["metric"], strict=True)
    ]
    shown = links.select(
        "消费 Sales", df, wanted, lambda rows: [curated(rows), list(rows["value"])]
    )
    for i, rec in enumerate(df.to_dict("records")):
        if i not in shown:
            continue
        quotes = " / ".join(links.quote(x) for x in text(rec["figure_ids"]).split(";") if x)
        program = " ".join(text(rec[k]) for k in ("program", "period_end") if text(rec[k]))
        yield links.headline(
            SALES,
            i,
            rec,
            section="消费 Sales",
            label_zh=f"{text(rec['label_zh'])}({program})",
            label_en=f"{text(rec['label_en'])} ({program})",
            unit=text(rec["unit"]),
            basis=text(rec["basis"]),
            arithmetic="formula" if rec["basis"] == "derived" else "",
            quote=quotes,
        )


def _beneficiaries(df: pd.DataFrame, links: _Links) -> Iterator[Headline]:
    """The largest counts of each measure (people and person-times are never added)."""
    ben = df.reset_index(drop=True)
    for _, group in ben.groupby("measure", sort=True):
        top = group.sort_values("value", ascending=False, kind="stable").head(_TOP_BENEFICIARIES)
        for i, rec in top.iterrows():
            yield links.headline(
                BENEFICIARIES,
                int(i),
                rec.to_dict(),
                section="受益 Beneficiaries",
                label_zh=text(rec["label_zh"]),
                label_en=text(rec["label_en"]),
                unit=text(rec["unit"]),
                basis="reported",
                arithmetic="bounds",
                quote=text(rec["quote"]),
            )


def _checks(df: pd.DataFrame, links: _Links) -> Iterator[Headline]:
    """How many checks pass and how many are flagged, then each flagged check."""
    section = "核对 Checks"
    s = links.sheets[CHECKS]
    first = s.ref("verdict", s.first_row, absolute=True)
    last = s.ref("verdict", max(s.first_row, s.first_row + len(df) - 1), absolute=True)
    span = f"{CHECKS}!{first}:{last}"
    for word, zh in (("pass", "通过"), ("flag", "存疑")):
        count = float((df["verdict"] == word).sum())
        yield Headline(
            section=section,
            label_zh=f"核对结论:{zh}",
            label_en=f"Checks: {word}",
            value=Formula(f'COUNTIF({span},"{word}")'),
            quantity=Quantity(count, count, count, "项"),
            basis="derived",
            arithmetic=f'COUNTIF(verdict, "{word}")',
            quote="",
            article="",
        )
    flagged = list(df["verdict"] == "flag")
    shown = links.select(section, df, flagged, lambda rows: [curated(rows)])
    for i, rec in enumerate(df.to_dict("records")):
        if i in shown:
            yield links.headline(
                CHECKS,
                i,
                rec,
                columns=("computed", "computed", "computed"),
                section=section,
                label_zh=f"存疑:{text(rec['label_zh'])}",
                label_en=f"Flagged: {text(rec['label_en'])} ({text(rec['check_id'])})",
                basis="flag",
                arithmetic="arithmetic",
                quote=text(rec["note"]),
            )


def _count(sheet: Sheet, column: str, *, when: str | None = None) -> str:
    """A formula counting the records of ``sheet`` (those whose ``column`` is ``when``)."""
    last = max(sheet.last_row, sheet.first_row)
    span = f"{sheet.xref(column, sheet.first_row)}:{sheet.ref(column, last, absolute=True)}"
    return f'COUNTIF({span},"{when}")' if when else f"COUNTA({span})"


def _scope(sheets: dict[str, Sheet]) -> Formula:
    """How many articles, figures (automatic ones among them) and checks: live counts."""
    figures = sheets[FIGURES]
    return Formula(
        f'{_count(sheets[SOURCES], "article_id")}&" 篇文章 articles · "&'
        f'{_count(figures, "figure_id")}&" 个指标 figures(其中自动标注 auto: "&'
        f'{_count(figures, "status", when="auto")}&") · "&'
        f'{_count(sheets[CHECKS], "check_id")}&" 项核对 checks"'
    )


def summary_sheet(
    wb: Workbook,
    frames: Frames,
    sheets: dict[str, Sheet],
    *,
    dated: tuple[str, str],
    date_note: str,
    selection: Sequence[str] = (),
) -> Sheet:
    """The first sheet: what the workbook holds, then the headlines section by section.
    ``selection``: notes on the rows the sheets leave out of a large corpus."""
    s = Sheet(wb, SUMMARY, columns.shown(SUMMARY), position=0)
    s.title("对口援疆数据概览 aidstats summary")
    info: dict[str, Any] = {
        dated[0]: dated[1],
        "版本 Version": f"aidstats {__version__}",
        "范围 Scope": _scope(sheets),
        "读数边界 Bounds": BOUNDS_NOTE,
        "日期说明 Date": date_note,
        "颜色 Colours": LEGEND,
    }
    shown, left_out = headlines(frames, sheets)
    if chosen := _selection(left_out, selection):
        info["节选 Selection"] = chosen
    span = sum(columns.fixed_width(c, sheet=SUMMARY) or 10 for c in s.columns[1:])
    for row, (key, value) in enumerate(info.items(), start=2):
        s.pair(row, key, value)
        s.ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=len(s.columns))
        s.ws.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        s.ws.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        lines = 1 if isinstance(value, Formula) else wrapped_lines(value, span)
        s.ws.row_dimensions[row].height = max(2, lines) * 14.5
    s.header(len(info) + 3)
    r = s.header_row
    section = None
    for h in shown:
        r += 1
        if h.section != section:
            section = h.section
            s.section(r, section)
            r += 1
        s.write_row(r, {"status": h.status}, h.cells(s.ref("value", r)))
    s.finish(freeze=f"A{s.first_row}", autofilter=False)
    return s
