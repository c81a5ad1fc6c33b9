"""The quick paths of the scan agree with the full analysis of a match.

:func:`aidstats.extract_quick.read_new` reads the commonest forms of a window not seen before
(an Arabic count with a plain unit, with 多/余 or after a qualifier, a year with 年) in a
few direct steps instead of calling :func:`aidstats.extract_analysis.analyse`.  Here every
match of the master regex over a grid of such forms, with the characters around them
that the rules look at (qualifiers, 第, labels, nouns after the unit, 年级, 近…来), is read
both ways and the cached forms (with the text of the mention the scan keeps) must be
equal, field by field and type by type.  The expected side is the general analysis, an
independent code path.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from aidstats import extract_quick as ex
from aidstats.extract_analysis import analyse
from aidstats.extract_regex import MASTER

NUMBERS = ["8", "80", "2021", "0735", "3000", "4.5", "17.3万", "5千", "1,250", "３０", "7" * 40]
# zeros, trailing zeros, 18 and 19 digits
NUMBERS += ["0.0", "4.50", "000万", "0.05亿", "9" * 17 + ".5", "9" * 18 + ".5", "1" + "0" * 17]
AFTER_NUMBER = ["", "多", "余亿", "万", "余万亿"]
UNITS = [*"个人名元%年天部家节周吨克县锭", ""]
BEFORE = ["，共", "投入", "超过", "不超过", "近", "，近", "最近", "约", "节约", "逾", "第", "G"]
BEFORE += ["数"]
AFTER = ["，", "以上", "门", "级", "来", "8月13日", "13月", "a"]


def _typed(form: object) -> object:
    """A cached form with the type of every field, so that 80 and 80.0 differ."""
    if isinstance(form, tuple):
        return (type(form).__name__, [(type(v).__name__, v) for v in form])
    return form


def test_quick_paths_agree_with_the_full_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    taken = {"quick": 0}

    def counting(name: str) -> Any:
        inner = getattr(ex, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            form = inner(*args, **kwargs)
            taken["quick"] += form is not ex.SLOW
            return form

        return wrapper

    for name in ("quick", "qualified"):
        monkeypatch.setattr(ex, name, counting(name))
    checked = 0
    for before, number, extra, unit, after in itertools.product(
        BEFORE, NUMBERS, AFTER_NUMBER, UNITS, AFTER
    ):
        text = f"资金{before}{number}{extra}{unit}{after}。。"
        for m in MASTER.finditer(text):
            s, e = m.span()
            if s < 3 or e + 2 > len(text) or m.group("n1") is None:
                continue
            expected = ex.with_text(
                ex.cached_form(analyse(m, text[s - 3 : s], text[e : e + 2])), text, s
            )
            got = ex.read_new(m, text, text[s - 3 : e + 2], s, e)
            assert _typed(got) == _typed(expected), (text, m.group())
            checked += 1
    # the grid reaches the quick paths often, and the full analysis too
    assert checked > 20_000
    assert 0.1 < taken["quick"] / checked < 0.9
