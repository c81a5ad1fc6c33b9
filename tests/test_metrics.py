"""Metrics: one expression, three renderings (value with bounds, spreadsheet formula, written
arithmetic) — checked against numbers worked out by hand, and against LibreOffice."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from aidstats.errors import AidstatsError
from aidstats.metrics import METRICS, Metric, Result, excel_formula, parse
from aidstats.quantities import (
    Cells,
    Quantity,
    cell_format,
    qualifier_formula,
    qualifier_of,
    write_bounds,
    write_quantity,
)

NAN = math.nan


def exact(value: float, unit: str = "") -> Quantity:
    return Quantity(value, value, value, unit)


def same(got: float, want: float) -> bool:
    return (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want, rel=1e-12)


# --------------------------------------------------------------------------- grammar


@pytest.mark.parametrize(
    ("expression", "written"),
    [
        ("a*b/(50+50)/c", "1 × 2 ÷ (50 + 50) ÷ 3"),
        ("a - (b - c)", "1 − (2 − 3)"),
        ("(a + b) * c", "(1 + 2) × 3"),
        ("a + b * c", "1 + 2 × 3"),
        ("a × b ÷ c − 1", "1 × 2 ÷ 3 − 1"),
        ("a / (b / c)", "1 ÷ (2 ÷ 3)"),
    ],
)
def test_written_arithmetic_keeps_the_parentheses(expression: str, written: str) -> None:
    ops = {"a": exact(1), "b": exact(2), "c": exact(3)}
    assert Metric("m", expression).written(ops, None).text == written


def test_parse_follows_precedence_and_left_to_right() -> None:
    ops = {"a": exact(8), "b": exact(4), "c": exact(2)}
    # by hand: 8 − 4 − 2 = 2; 8 ÷ 4 ÷ 2 = 1; 8 − 4 × 2 = 0; (8 − 4) × 2 = 8; 8 × 50% = 4
    for expression, want in [
        ("a - b - c", 2),
        ("a / b / c", 1),
        ("a - b * c", 0),
        ("(a - b) * c", 8),
        ("a * 50%", 4),
        ("a * b% * 100", 32),
    ]:
        assert Metric("m", expression).evaluate(ops).value == pytest.approx(want), expression


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("a +", "ends too early"),
        ("a $ b", "unexpected '$'"),
        ("(a + b", "ends too early"),
        ("a b", "unexpected 'b'"),
        ("", "empty"),
        ("__import__('os')", "unexpected"),
    ],
)
def test_bad_formulas_are_one_line_errors(expression: str, message: str) -> None:
    with pytest.raises(AidstatsError, match=re.escape(message)) as exc:
        parse(expression)
    assert "\n" not in str(exc.value) and "+ − × ÷" in str(exc.value)


def test_unknown_operand_is_named() -> None:
    with pytest.raises(AidstatsError, match="uses 'c', which is not an operand"):
        Metric("m", "a / c").evaluate({"a": exact(1), "b": exact(2)})


# --------------------------------------------------------------------------- values and bounds


def test_share_of_a_lower_bound_is_one_sided() -> None:
    # 超17亿元 ÷ 16万吨: at least 17e8 / 16e4 = 10,625 元/吨, no upper bound
    r = METRICS["value_per_tonne"].evaluate(
        {"value": Quantity(17e8, 17e8, NAN, "元"), "volume": exact(16e4, "吨")}
    )
    assert (r.value, r.lower) == (10625, 10625) and math.isnan(r.upper)
    assert r.qualifier == "over" and r.flags == ()


def test_bounds_take_each_operand_at_the_right_end() -> None:
    # 37680余人次 (37680 ≤ x < 37690) of 近40000 (≤ 40000, no lower bound):
    # lower = 37680 / upper(40000) = 94.2%; upper needs lower(whole): unknown
    r = METRICS["share_of"].evaluate(
        {"part": Quantity(37680, 37680, 37690), "whole": Quantity(40000, NAN, 40000)}
    )
    assert r.value == pytest.approx(94.2) and r.lower == pytest.approx(94.2)
    assert math.isnan(r.upper) and r.qualifier == "over"
    # subtraction flips the right operand: [10, 12] − [3, 5] = [5, 9]
    r = Metric("m", "a - b").evaluate({"a": Quantity(11, 10, 12), "b": Quantity(4, 3, 5)})
    assert (r.value, r.lower, r.upper) == (7, 5, 9)
    # 72.8亿元 ÷ (1 + g) with g in [100%, 110%]: [72.8亿 / 2.1, 72.8亿 / 2.0]
    r = METRICS["previous_year_value"].evaluate(
        {"value": exact(72.8e8, "元"), "growth": Quantity(103, 100, 110, "%")}
    )
    assert r.lower == pytest.approx(72.8e8 / 2.1) and r.upper == pytest.approx(72.8e8 / 2.0)
    assert r.value == pytest.approx(72.8e8 / 2.03)
    # a negative constant factor swaps the ends: (0 − 2) × [1, 3] = [−6, −2]
    r = Metric("m", "(0 - 2) * a").evaluate({"a": Quantity(2, 1, 3)})
    assert (r.value, r.lower, r.upper) == (-4, -6, -2)


def test_growth_between_two_years_by_hand() -> None:
    # 72.8亿 this year, 36亿 last year: 72.8 / 36 − 1 = 102.2%
    r = METRICS["growth_from_values"].evaluate(
        {"current": exact(72.8e8, "元"), "previous": exact(36e8, "元")}
    )
    assert r.value == pytest.approx(100 * (72.8 / 36 - 1), rel=1e-12)
    assert r.lower == r.value == r.upper


def test_negative_factor_gives_no_bounds() -> None:
    # a × b with a ∈ [−2, 1]: lower(a) × lower(b) would not be the least product
    r = Metric("m", "a * b").evaluate({"a": Quantity(-1, -2, 1), "b": Quantity(3, 3, 4)})
    assert r.value == -3 and math.isnan(r.lower) and r.upper == 4


def test_division_by_zero_is_a_flag_not_inf() -> None:
    # numpy floats, as pandas rows hand them over, would warn and give inf; warnings are
    # errors in this test suite
    zero = Quantity(np.float64(0), np.float64(0), np.float64(0), "个")
    r = METRICS["share_of"].evaluate({"part": exact(61, "个"), "whole": zero})
    assert math.isnan(r.value) and math.isnan(r.lower) and math.isnan(r.upper)
    assert r.flags == ("division by zero",)
    written = METRICS["share_of"].arithmetic({"part": exact(61, "个"), "whole": zero}, r)
    assert written.text == "61个 ÷ 0个 = — (division by zero)"
    # a missing operand is missing, not a division by zero
    r = METRICS["share_of"].evaluate({"part": exact(61), "whole": Quantity(NAN)})
    assert math.isnan(r.value) and r.flags == ()


# --------------------------------------------------------------------------- written numbers


@pytest.mark.parametrize(
    ("quantity", "derived", "written"),
    [
        (Quantity(17e8, 17e8, NAN, "元"), False, "超17亿元"),
        (Quantity(37680, 37680, 37690, "人次"), False, "3.768万余人次"),
        (Quantity(5000, NAN, 5000, "节"), False, "近5000节"),
        (Quantity(30000, NAN, NAN, "元"), False, "约3万元"),
        (exact(11896, "名"), False, "1.1896万名"),
        (exact(66.17e4, "吨"), False, "66.17万吨"),
        (exact(8, "%"), False, "8%"),
        (exact(76.25, "%"), True, "76.3%"),  # half up, as a spreadsheet rounds (not 76.2)
        (exact(412_650_000, "元"), True, "4.127亿元"),
        (exact(72.8e8 / 2.03, "元"), True, "35.86亿元"),
        (exact(72.8e8 / 66.17e4, "元/吨"), True, "11,002元/吨"),
        (exact(320_000, "元"), True, "32万元"),
        (Quantity(10625, 10625, NAN, "元/吨"), True, "超10,625元/吨"),
    ],
)
def test_numbers_are_written_as_a_yearbook_would(
    quantity: Quantity, derived: bool, written: str
) -> None:
    assert write_quantity(quantity, derived=derived).text == written


def test_bounds_are_written_out() -> None:
    assert write_bounds(Quantity(37680, 37680, 37690, "人次")).text == (
        "≥ 3.768万人次, < 3.769万人次"
    )
    assert write_bounds(Quantity(800, NAN, 800, "名")).text == "≤ 800名"
    assert write_bounds(exact(5, "名")).text == "exact"


def test_cell_formats() -> None:
    assert cell_format(4.5e8, "元", derived=False) == "#,##0"
    assert cell_format(8, "%", derived=False) == '#,##0.0"%"'
    assert cell_format(14.13, "%", derived=False) == '#,##0.00"%"'
    assert cell_format(76.25, "%", derived=True) == '#,##0.0"%"'
    assert cell_format(72.8e8 / 66.17e4, "元/吨", derived=True) == "#,##0"
    assert cell_format(2.5, "吨", derived=False) == "#,##0.0"
    assert cell_format(80, "个", derived=False) == "#,##0"


def test_qualifier_from_bounds() -> None:
    assert qualifier_of(1, 1, 1) == "exact" and qualifier_of(1, 1, 2) == "over"
    assert qualifier_of(2, 1, 2) == "near" and qualifier_of(1.5, 1, 2) == "approx"
    assert qualifier_of(1, 1, NAN) == "over" and qualifier_of(2, NAN, 2) == "near"
    assert qualifier_of(3, NAN, None) == "approx"


# --------------------------------------------------------------------------- spreadsheet


def test_formulas_name_the_cells_and_guard_them() -> None:
    f = METRICS["share_of"].formulas(
        {"part": Cells("B2", "C2", "D2"), "whole": Cells("B3", "C3", "D3")}
    )
    assert f.value == 'IF(OR(B2="",B3=""),"",IF(B3=0,"",100*(B2/B3)))'
    assert f.lower == 'IF(OR(C2="",D3=""),"",IF(D3<=0,"",IF(C2<0,"",100*(C2/D3))))'
    assert excel_formula("a / (1 + b)", {"a": "J5", "b": "L5"}) == "J5/(1+L5)"
    assert excel_formula("a * b% / c", {"a": "A1", "b": "B1", "c": "C1"}) == "A1*(B1/100)/C1"


CASES: dict[str, tuple[Metric, dict[str, Quantity]]] = {
    "share": (
        METRICS["share_of"],
        {"part": exact(61, "个"), "whole": Quantity(80, 80, 90, "个")},
    ),
    "per_tonne": (
        METRICS["value_per_tonne"],
        {"value": Quantity(17e8, 17e8, NAN, "元"), "volume": exact(16e4, "吨")},
    ),
    "previous": (
        METRICS["previous_year_value"],
        {"value": exact(72.8e8, "元"), "growth": Quantity(103, 100, 110, "%")},
    ),
    "amount": (
        METRICS["amount_from_share"],
        {"whole": exact(4.5e8, "元"), "share": exact(91.7, "%")},
    ),
    "dividend": (
        Metric("dividend", "investment * rate / (50 + 50) / villages", unit="元"),
        {
            "investment": exact(4e6, "元"),
            "rate": exact(8, "%"),
            "villages": exact(11, "个"),
        },
    ),
    "zero": (
        METRICS["share_of"],
        {"part": exact(61, "个"), "whole": exact(0, "个")},
    ),
}


def _sheet(path: Path) -> dict[str, tuple[int, Result, str]]:
    """Each case on its own rows: operands (value, lower, upper), then the metric's value,
    bounds and live arithmetic. Returns case → (result row, pandas result, pandas text)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    out = {}
    row = 1
    for name, (metric, ops) in CASES.items():
        cells = {}
        for op, q in ops.items():
            for col, x in zip("ABC", (q.value, q.lower, q.upper), strict=True):
                ws[f"{col}{row}"] = None if math.isnan(x) else x
            cells[op] = Cells(f"A{row}", f"B{row}", f"C{row}")
            row += 1
        f = metric.formulas(cells)
        for col, text in zip("ABC", (f.value, f.lower, f.upper), strict=True):
            ws[f"{col}{row}"] = "=" + text
        result = metric.evaluate(ops)
        written = metric.arithmetic(ops, result, cells=cells, result_cells=Cells(f"A{row}"))
        ws[f"D{row}"] = "=" + written.formula()
        ws[f"E{row}"] = "=" + qualifier_formula(f"A{row}", f"B{row}", f"C{row}")
        out[name] = (row, result, metric.arithmetic(ops, result).text)
        row += 2
    for i, (v, lo, hi) in enumerate(QUALIFIED, start=100):
        for col, x in zip("ABC", (v, lo, hi), strict=True):
            ws[f"{col}{i}"] = None if math.isnan(x) else x
        ws[f"E{i}"] = "=" + qualifier_formula(f"A{i}", f"B{i}", f"C{i}")
    wb.save(path)
    return out


QUALIFIED = [(1, 1, 1), (1, 1, 2), (2, 1, 2), (1.5, 1, 2), (1, 1, NAN), (2, NAN, 2), (3, NAN, NAN)]


@pytest.mark.libreoffice
def test_three_renderings_agree_after_libreoffice(tmp_path: Path) -> None:
    from excel_support import convert

    expected = _sheet(tmp_path / "metrics.xlsx")
    (tmp_path / "out").mkdir()
    convert([tmp_path / "metrics.xlsx"], "xlsx", tmp_path / "out", tmp_path / "profile")
    ws = openpyxl.load_workbook(tmp_path / "out" / "metrics.xlsx", data_only=True).active
    for name, (row, result, text) in expected.items():
        got = [ws[f"{c}{row}"].value for c in "ABC"]
        got = [NAN if g in (None, "") else g for g in got]
        for g, want in zip(got, (result.value, result.lower, result.upper), strict=True):
            assert same(g, want), (name, got, result)
        assert ws[f"D{row}"].value == text, name
        assert ws[f"E{row}"].value == result.qualifier, name
    for i, (v, lo, hi) in enumerate(QUALIFIED, start=100):
        assert ws[f"E{i}"].value == qualifier_of(v, lo, hi), (v, lo, hi)
    # and by hand: 61 of [80, 90] → 76.25%, between 67.78% and 76.25%
    row, result, text = expected["share"]
    assert text == "61个 ÷ 80余个 = 近76.3%"  # 80余 → at most 76.25%
    assert result.lower == pytest.approx(100 * 61 / 90) and result.upper == 76.25
    assert expected["dividend"][2] == "400万元 × 8% ÷ (50 + 50) ÷ 11个 = 2.909万元"
    assert expected["zero"][2] == "61个 ÷ 0个 = — (division by zero)"
