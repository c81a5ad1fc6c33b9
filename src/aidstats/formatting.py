"""Numbers and bounds as text, and the one test for a missing value.

Pure functions shared by the analysis tables, the consistency checks and the charts, so
that a figure reads the same everywhere: 4.5亿元 in Chinese, 450 million yuan in English,
``≥ 17亿元`` for what 超17亿元 lets a reader conclude. No plotting or spreadsheet code here.

>>> fmt_number(4.5e8, "元"), format_value(4.5e8, "元", "en")
('4.5亿元', '450 million yuan')
>>> bounds_text("over", 1.7e9, None, "元", lang="zh")
'≥ 17亿元,上界未知'
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from aidstats.quantities import SCALED_UNITS

__all__ = ["bounds_text", "fmt_number", "format_value", "is_missing"]

#: Chinese units and how an English reader writes them after a number.
EN_UNITS = {
    "元": " yuan",
    "吨": " t",
    "平方米": " m²",
    "人次": " person-times",
    "人": " people",
    "名": " people",
    "位": " people",
    "个": "",
    "%": "%",
    "元/吨": " yuan/t",
}
#: Units whose values from 1万 up are written in 万 (everything from 1亿 up is in 亿): the
#: one rule, shared with the tables and the workbook (aidstats.quantities).
_WAN_UNITS = SCALED_UNITS

#: Per language (None = the form the tables store): how exact and approximate figures
#: are described, what is said of an "over" figure with no upper bound, the separator,
#: and the language the numbers are written in.
_BOUND_WORDS: dict[str | None, tuple[str, str, str, str, str]] = {
    None: ("exact", "approximate (no bounds stated)", "", ", ", "zh"),
    "zh": ("精确值", "约数,未给出上下界", "上界未知", ",", "zh"),
    "en": ("exact", "approximate (no bounds stated)", "no upper bound", ", ", "en"),
}


def is_missing(value: Any) -> bool:
    """Whether a scalar is absent: None, NaN, ``pd.NA`` or ``pd.NaT`` (anything else,
    including lists and strings, is present).

    >>> [is_missing(v) for v in (None, float("nan"), pd.NA, 0, "", "x")]
    [True, True, True, False, False, False]
    """
    if value is None or value is pd.NA:
        return True
    if isinstance(value, str):  # the common cases first: pd.isna costs ~1 µs a call
        return False
    if type(value) is float:
        return value != value
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-likes: pd.isna gives an array
        return False


def _percent(value: float) -> str:
    """A percentage to four significant digits, never in e-notation (3.987e+07%)."""
    return f"{value:.4g}%" if abs(value) < 1e4 else f"{value:,.0f}%"


def fmt_number(value: Any, unit: Any = None) -> str:
    """A number as a Chinese reader writes it: 4.5亿, 6360万, 80, 91.7 (with unit); "?" if none."""
    if is_missing(value):
        return "?"
    value = float(value)
    unit = "" if is_missing(unit) else str(unit)
    if unit == "%":
        return _percent(value)
    mag = abs(value)
    if mag >= 1e8:
        text = f"{value / 1e8:.4g}亿"
    elif mag >= 1e4 and unit in _WAN_UNITS:
        text = f"{value / 1e4:.4g}万"
    else:
        text = f"{value:.6g}"
    return text + unit


def format_value(value: Any, unit: Any = None, lang: str = "zh") -> str:
    """A number with its unit, as the language's reader writes it: 4.5亿元 / 450 million yuan."""
    if lang == "zh" or is_missing(value):
        return fmt_number(value, unit)
    unit = "" if is_missing(unit) else str(unit)
    v = float(value)
    mag = abs(v)
    if unit == "%":
        return _percent(v)
    if mag >= 1e9:
        text = f"{v / 1e9:.4g} billion"
    elif mag >= 1e6:
        text = f"{v / 1e6:.4g} million"
    else:
        text = f"{v:,.6g}" if mag >= 1000 else f"{v:.6g}"
    return text + EN_UNITS.get(unit, f" {unit}" if unit else "")


def bounds_text(
    qualifier: Any, lower: Any, upper: Any, unit: Any = None, *, lang: str | None = None
) -> str:
    """What the wording lets a reader conclude: ``≥ 17亿元``, ``≥ 3.768万人次, < 3.769万人次``.

    ``lang`` ``"zh"`` or ``"en"`` writes everything in that language and says when an
    "at least" figure has no upper bound (for charts). ``None`` gives the form stored in
    the tables: English words, the numbers as the Chinese source writes them, nothing
    said about a missing upper bound.

    >>> bounds_text("over", 37680, 37690, "人次")
    '≥ 3.768万人次, < 3.769万人次'
    >>> bounds_text("near", None, 800, "名", lang="en")
    '≤ 800 people'
    """
    if lang not in _BOUND_WORDS:
        raise ValueError(f"lang must be None, 'zh' or 'en', not {lang!r}")
    exact, approx, no_upper, sep, numbers = _BOUND_WORDS[lang]
    if qualifier == "exact":
        return exact
    if qualifier == "approx":
        return approx
    parts = []
    if not is_missing(lower):
        parts.append(f"≥ {format_value(lower, unit, numbers)}")
    if not is_missing(upper):
        parts.append(("< " if qualifier == "over" else "≤ ") + format_value(upper, unit, numbers))
    elif qualifier == "over" and no_upper:
        parts.append(no_upper)
    return sep.join(parts) or str(qualifier)
