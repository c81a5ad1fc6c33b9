"""Tables for people: a compact view of any aidstats table, for notebooks and reports.

The tidy tables keep every number as a float and every fact in its own column, which is
right for analysis and wrong for reading: ``3,586,206,896.55`` where the source says
35.86亿元, a value, lower, upper, unit and qualifier in five columns, article text
right-aligned and cut with "…". :func:`view` shows a table the way a reader needs it:
numbers with their units (:mod:`aidstats.formatting`), the bounds 多/余/超/近 imply in
words, one period column, quotes kept short, long text wrapped, and whether each figure
was curated by a person or labelled automatically. :func:`compact` is the same view as
a DataFrame of strings.

>>> from aidstats.display import view
>>> view(aidstats.load_figures())                       # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from aidstats.charts.corpus import fact_bounds
from aidstats.charts.labels import category_name, measure_name, period_text, row_label
from aidstats.charts.status import figure_status
from aidstats.formatting import bounds_text, format_value, is_missing

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

__all__ = ["PRESETS", "compact", "figure_status", "status_note", "view"]

#: How long a quote may be before it is shortened (the full text stays in the table).
QUOTE_CHARS = 24
_DASH = "—"


def _text(value: Any) -> str:
    return _DASH if is_missing(value) or value == "" else str(value)


def _label(row: pd.Series, lang: str) -> str:
    return _text(row_label(row, lang) or None)


def _quote(row: pd.Series, lang: str) -> str:
    q = _text(row.get("quote"))
    return q if len(q) <= QUOTE_CHARS else q[: QUOTE_CHARS - 1] + "…"


def _number(value: Any, unit: Any, lang: str) -> str:
    return _DASH if is_missing(value) else format_value(value, unit, lang)


def _basis(basis: Any, lang: str) -> str:
    words = {"reported": ("报道", "reported"), "derived": ("推算", "derived")}
    pair = words.get(str(basis))
    return "" if pair is None else (f"({pair[0]})" if lang == "zh" else f" ({pair[1]})")


def _status(row: pd.Series, lang: str) -> str:
    status = row.get("status")
    if is_missing(status):
        return _DASH
    if status == "auto":
        conf = row.get("confidence")
        tail = "" if is_missing(conf) else f" · {float(conf):.2f}"
        return ("自动 auto" if lang == "zh" else "auto") + tail
    return "人工 curated" if lang == "zh" else str(status)


def _count(value: Any) -> str:
    return _DASH if is_missing(value) else f"{int(value):,}"


@dataclass(frozen=True)
class Column:
    """One column of the view: its bilingual header, the table columns it needs, how a
    cell is written, and how it is laid out (``text``, ``wrap``, ``number``, ``code``)."""

    zh: str
    en: str
    needs: tuple[str, ...]
    cell: Callable[[pd.Series, str], str]
    layout: str = "text"


def _plain(name: str, zh: str, en: str, layout: str = "text") -> Column:
    return Column(zh, en, (name,), lambda r, _lang: _text(r[name]), layout)


def _list(name: str, zh: str, en: str) -> Column:
    return Column(zh, en, (name,), lambda r, _l: _text(r[name]).replace(";", "; "), "wrap")


def _counted(name: str, zh: str, en: str) -> Column:
    return Column(zh, en, (name,), lambda r, _l: _count(r[name]), "number")


def _value(r: pd.Series, lang: str) -> str:
    return _number(r["value"], r["unit"], lang)


def _bounds(r: pd.Series, lang: str) -> str:
    return bounds_text(r["qualifier"], r["lower"], r["upper"], r["unit"], lang=lang)


def _period(r: pd.Series, _lang: str) -> str:
    return _text(period_text(r["period_start"], r["period_end"]) or None)


def _offsets(r: pd.Series, _lang: str) -> str:
    return f"[{int(r['raw_start'])}:{int(r['raw_end'])}]"


def _share(r: pd.Series, lang: str) -> str:
    return _number(r["share_pct"], "%", lang) + _basis(r["share_basis"], lang)


def _whole(r: pd.Series, lang: str) -> str:
    if is_missing(r["whole_value"]):
        return _DASH
    label = r["whole_label_zh"] if lang == "zh" else r["whole_label_en"]
    return f"{label} {_number(r['whole_value'], r['unit'], lang)}"


def _amount(r: pd.Series, lang: str) -> str:
    return _number(r["amount"], r["unit"], lang) + _basis(r["amount_basis"], lang)


COLUMNS: dict[str, Column] = {
    "article": _plain("article_id", "文章", "article", "code"),
    "figure": _plain("figure_id", "指标编号", "figure id", "code"),
    "title": _plain("title", "标题", "title", "wrap"),
    "label": Column("指标", "figure", ("label_zh",), _label, "wrap"),
    "quote": Column("原文", "as written", ("quote",), _quote, "short"),
    "value": Column("数值", "value", ("value", "unit"), _value, "number"),
    "bounds": Column("范围", "bounds", ("qualifier", "lower", "upper", "unit"), _bounds, "wrap"),
    "period": Column("统计期", "period", ("period_start", "period_end"), _period, "code"),
    "region": _plain("region", "受援地", "recipient"),
    "donor": _list("donor", "援助方", "donor"),
    "recipient": _list("recipient", "受援地", "recipient"),
    "program": _plain("program", "项目", "programme"),
    "category": Column("领域", "sector", ("category",), lambda r, g: category_name(r.category, g)),
    "measure": Column("计量", "measure", ("measure",), lambda r, g: measure_name(r["measure"], g)),
    "status": Column("来源", "status", ("status",), _status, "status"),
    "offsets": Column("原文位置", "raw offsets", ("raw_start", "raw_end"), _offsets, "code"),
    "share": Column("占比", "share", ("share_pct", "share_basis"), _share, "number"),
    "whole": Column("总数", "total", ("whole_label_zh", "whole_value", "unit"), _whole, "wrap"),
    "amount": Column("金额/个数", "amount", ("amount", "unit", "amount_basis"), _amount, "number"),
    "basis": Column("报道/推算", "basis", ("basis",), lambda r, g: _basis(r.basis, g).strip(" ()")),
    "formula": _plain("formula", "推算过程", "derivation", "wrap"),
    "figure_ids": _list("figure_ids", "所用指标", "figures used"),
    "published": _plain("published", "发表", "published", "code"),
    "characters": _counted("characters", "字数", "characters"),
    "mentions": _counted("mentions", "数量表述", "mentions"),
    "figures": _counted("figures", "人工指标", "curated"),
    "auto_figures": _counted("auto_figures", "自动指标", "auto"),
    "excluded": _counted("excluded", "排除", "excluded"),
    "check": _plain("check_id", "核对编号", "check id", "code"),
    "check_label": Column("核对", "check", ("label_zh",), _label, "wrap"),
    "arithmetic": _plain("arithmetic", "算式", "arithmetic", "wrap"),
    "verdict": _plain("verdict", "结论", "verdict", "status"),
    "note": _plain("note", "说明", "note", "wrap"),
    "mention": _plain("text", "表述", "mention"),
    "coverage": _plain("status", "登记情况", "status"),
    "reason": _plain("figure_or_reason", "指标或排除理由", "figure or reason", "wrap"),
    "fact_bounds": Column("范围", "bounds", ("lower", "upper", "unit", "conflict"),
                          lambda r, g: fact_bounds(r, g) or _DASH, "wrap"),
    "n_sources": _counted("n_sources", "来源数", "sources"),
    "n_articles": _counted("n_articles", "文章数", "articles"),
    "conflict": Column("矛盾", "conflict", ("conflict",),
                       lambda r, _g: "⚠ 矛盾 conflict" if r["conflict"] else _DASH, "short"),
    "sources": _list("figure_ids", "来源指标", "sources"),
}  # fmt: skip

#: The columns each table is shown with, by the columns that identify the table.
PRESETS: dict[str, list[str]] = {
    "spending_shares": [
        "article", "label", "quote", "share", "whole", "amount", "formula", "status",
    ],
    "sales_growth": [
        "article", "program", "donor", "period", "label", "value", "bounds", "quote", "status",
    ],
    "consistency_checks": ["article", "check_label", "arithmetic", "verdict", "note"],
    "coverage": ["article", "mention", "coverage", "reason"],
    "articles": [
        "article", "title", "published", "donor", "recipient", "characters", "mentions",
        "figures", "auto_figures", "excluded",
    ],
    "beneficiaries": [
        "article", "label", "program", "category", "measure", "quote", "bounds", "period",
        "region", "status",
    ],
    "figures": [
        "article", "label", "quote", "value", "bounds", "period", "region", "status", "offsets",
    ],
    "panel": [
        "label", "donor", "region", "period", "value", "fact_bounds", "n_sources", "conflict",
        "status",
    ],
}  # fmt: skip
PRESETS["facts"] = PRESETS["panel"]
_SIGNATURES = {
    "spending_shares": {"share_basis"},
    "sales_growth": {"metric", "basis"},
    "consistency_checks": {"verdict"},
    "coverage": {"figure_or_reason"},
    "articles": {"characters", "title"},
    "beneficiaries": {"bounds", "measure"},
    "figures": {"raw_start", "sentence", "value"},
    "panel": {"fact_id", "year"},
    "facts": {"fact_id", "n_sources"},
}


def table_kind(table: pd.DataFrame) -> str | None:
    """Which aidstats table ``table`` is (a key of :data:`PRESETS`), from its columns."""
    cols = set(table.columns)
    return next((k for k, sig in _SIGNATURES.items() if sig <= cols), None)


def status_note(figures: pd.DataFrame, *, lang: str = "zh") -> str:
    """One line (Markdown) saying how many figures a person curated and how many were
    labelled automatically."""
    status = figure_status(figures)
    n, auto = len(figures), int((status == "auto").sum())
    curated = int((status == "curated").sum())
    if lang == "en":
        return (
            f"**{n}** figures: **{curated}** curated by a person, **{auto}** labelled "
            "automatically (not reviewed; drawn lighter in the charts: dotted bars, hollow "
            "markers)."
        )
    return (
        f"共 **{n}** 项指标:人工整理 **{curated}** 项,自动识别 **{auto}** 项"
        f"(未经人工核对;图中颜色较浅,条形加点、标记空心)。 **{n}** figures: "
        f"**{curated}** curated, **{auto}** automatic (not reviewed; lighter in the charts: "
        "dotted bars, hollow markers)."
    )


def compact(
    table: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    lang: str = "zh",
    figures: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``table`` as strings for reading: one column per key of ``columns`` (default: the
    preset of the table's kind, see :data:`PRESETS`), headed ``中文\\nEnglish``.

    Keys are those of :data:`COLUMNS` or any column of the table (shown as it is, floats
    to four significant digits). Keys whose columns are missing are left out. A table
    without a ``status`` column gets it from ``figures`` (see :func:`figure_status`).
    """
    data = table
    status = figure_status(table, figures)
    if status.notna().any():
        data = data.assign(status=status)
    keys = list(columns) if columns is not None else PRESETS.get(table_kind(table) or "", [])
    if not keys:
        keys = list(table.columns)
    out: dict[str, list[str]] = {}
    for key in keys:
        col = COLUMNS.get(key)
        if col is not None and all(n in data.columns for n in col.needs):
            out[f"{col.zh}\n{col.en}"] = [col.cell(r, lang) for _, r in data.iterrows()]
        elif key in data.columns:
            out[key] = [_raw(v) for v in data[key]]
    return pd.DataFrame(out, index=table.index)


def _raw(value: Any) -> str:
    if is_missing(value):
        return _DASH
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e15 else f"{value:.4g}"
    return str(value)


def _layout_of(header: str) -> str:
    zh = header.split("\n", 1)[0]
    return next((c.layout for c in COLUMNS.values() if c.zh == zh), "text")


#: Each layout's cell style (set per cell: it must outrank the table's own rules).
_CSS = {
    "text": "text-align: left; white-space: normal; min-width: 4.5em; max-width: 9em;",
    "short": "text-align: left; white-space: nowrap;",
    "wrap": "text-align: left; white-space: normal; min-width: 7em; max-width: 13em;",
    "number": "text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums;",
    "code": "text-align: left; white-space: nowrap; font-size: 11px; color: #444;",
    "status": "text-align: left; white-space: nowrap;",
}


def view(
    table: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    lang: str = "zh",
    figures: pd.DataFrame | None = None,
    max_rows: int = 40,
) -> Styler:
    """``table`` as a styled HTML table for a notebook (see :func:`compact`): text left
    aligned and wrapped, numbers right aligned with units, automatic figures tinted,
    flagged checks marked, at most ``max_rows`` rows (a caption says how many more)."""
    shown = compact(table, columns=columns, lang=lang, figures=figures)
    caption = ""
    if len(shown) > max_rows:
        caption = f"前 {max_rows} 行,共 {len(shown)} 行 · first {max_rows} of {len(shown)} rows"
        shown = shown.head(max_rows)
    key = hashlib.sha1(repr((list(shown.columns), len(shown), lang)).encode("utf-8")).hexdigest()[
        :10
    ]
    styler = shown.style.hide(axis="index").set_uuid(f"aidstats-{key}").format(escape="html")
    styles: list[dict[str, Any]] = [
        {"selector": "", "props": "border-collapse: collapse; font-size: 12.5px;"},
        {
            "selector": "th",
            "props": "white-space: pre-line; text-align: left; vertical-align: bottom; "
            "font-weight: 600; padding: 4px 8px; border-bottom: 1px solid #999;",
        },
        {
            "selector": "td",
            "props": "vertical-align: top; padding: 3px 8px; "
            "line-height: 1.35; border-bottom: 1px solid #eee;",
        },
        {"selector": "caption", "props": "caption-side: bottom; color: #555; text-align: left;"},
    ]
    styler = styler.set_table_styles(styles)
    right = {"selector": "th", "props": "text-align: right;"}
    styler = styler.set_table_styles(
        {h: [right] for h in shown.columns if _layout_of(h) == "number"}, overwrite=False
    )
    for header in shown.columns:
        layout = _layout_of(header)
        styler = styler.set_properties(subset=[header], **_props(_CSS[layout]))
        if layout == "status":
            styler = styler.map(_status_colour, subset=[header])
    return styler.set_caption(caption) if caption else styler


def _props(css: str) -> dict[str, str]:
    pairs = (p.split(":", 1) for p in css.split(";") if p.strip())
    return {k.strip(): v.strip() for k, v in pairs}


def _status_colour(text: str) -> str:
    """Automatic figures on pale amber, flagged checks on pale red."""
    if text.startswith(("自动", "auto")):
        return "background-color: #FFF1CC; color: #6B4E00;"
    if text == "flag":
        return "background-color: #FBE3DC; color: #8A2A0A; font-weight: 600;"
    return ""
