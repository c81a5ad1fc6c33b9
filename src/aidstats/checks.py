"""Stage 5b, consistency checks: do the reported figures agree with one another?

Two sources of checks, one output table:

- automatic checks from the figures' own structure: every share ≤ 100%, every part ≤
  its total, the parts of a total add up to no more than it;
- curated checks from ``data/raw/checks.yaml`` (arithmetic between figures, the same
  figure told twice, a date told twice), whose operands point at figures or quotes.

Every check is one row: a ``formula`` over named operands (a metric of
:mod:`aidstats.metrics`; ``operand_refs`` names the figure or mention each operand is),
compared with an ``expected`` value (``expected_ref`` names its figure or mention) by its
``test``:

- ``at_most``: the least the operands allow (each at its lower bound, else its value) is
  at most the expected value's upper bound (none: no limit);
- ``within``: the computed value lies in the expected value's rounding (2.9万 stands for
  anything in [2.85万, 2.95万)) or, for 超/近 figures, in its bounds;
- ``same_value``: the same number in the same unit; ``same_date``: one date within the other.

Each row shows its arithmetic and a verdict: ``pass`` or ``flag``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from aidstats import human
from aidstats.dictionary import columns
from aidstats.errors import AidstatsError
from aidstats.metrics import Metric, Ref, Result
from aidstats.paths import ProjectPaths
from aidstats.quantities import Cells, Piece, Quantity, Written, write_quantity
from aidstats.registry import quote_positions
from aidstats.rows import records

CHECK_TYPES = ("formula", "same_value", "same_date")
_NUMBER = re.compile(r"([0-9０-９]+)(?:[.．]([0-9０-９]+))?\s*(万|亿)?")
_SLACK = 1e-9  # relative: floating-point rounding of a curated formula


def stated_step(text: str) -> float:
    """The unit of the last digit a mention states: 2.9万元 → 1000, 72.8亿元 → 1e7, 80个 → 1."""
    match = _NUMBER.search(text or "")
    if not match:
        return math.nan
    decimals = len(match.group(2) or "")
    scale = {"万": 1e4, "亿": 1e8}.get(match.group(3) or "", 1.0)
    return scale * 10.0**-decimals


@dataclass(frozen=True)
class Operand:
    """A figure or mention a check uses: its id, quantity, text as written, status."""

    id: str
    quantity: Quantity
    text: str
    article_id: str
    qualifier: str = "exact"
    date: str = ""
    status: str = "curated"

    @classmethod
    def of_row(cls, r: Mapping[str, Any], *, id_col: str, text_col: str, **extra: Any) -> Operand:
        """An operand from a table row whose id and text stand in ``id_col``, ``text_col``."""
        return cls(
            id=r[id_col],
            quantity=Quantity.of(r),
            text=r[text_col],
            article_id=r["article_id"],
            qualifier=r["qualifier"],
            **extra,
        )

    @classmethod
    def of_figure(cls, f: Mapping[str, Any]) -> Operand:
        """A figure as an operand."""
        status = f.get("status", "curated")
        return cls.of_row(f, id_col="figure_id", text_col="quote", status=status)

    def floored(self) -> Operand:
        """The operand at the least its wording allows (the lower bound, else the value)."""
        q = self.quantity
        return Operand(
            self.id,
            Quantity(q.floor, q.lower, q.upper, q.unit),
            self.text,
            self.article_id,
            self.qualifier,
            self.date,
            self.status,
        )


@dataclass(frozen=True, kw_only=True)
class Check:
    """One check before it becomes a row: what is compared, how, and what it is called."""

    check_id: str
    label_zh: str
    label_en: str
    operands: dict[str, Operand]
    source: str = "auto"
    test: str = "at_most"
    formula: str = ""
    expected: Operand | None = None
    tolerance: float = 0.0
    note: str = ""

    @property
    def metric(self) -> Metric:
        unit = self.expected.quantity.unit if self.expected else ""
        return Metric(self.check_id, self.formula, unit=unit)


def _bounds(e: Operand, tolerance: float) -> tuple[float, float]:
    """The interval a ``within`` check accepts: the rounding of an exact expected value,
    else the bounds its wording gives (NaN: unbounded)."""
    q = e.quantity
    if math.isfinite(tolerance):
        return q.value - tolerance, q.value + tolerance
    return q.lower, q.upper


def verdict(check: Check, computed: float) -> bool:
    """Whether the check passes (the rule each test states in the module docstring)."""
    e = check.expected
    if check.test == "same_date":
        a, b = (str(o.date or "") for o in check.operands.values())
        return bool(a and b) and (a.startswith(b) or b.startswith(a))
    if e is None or math.isnan(computed):
        return False
    if check.test == "at_most":
        high = e.quantity.upper if e.id else e.quantity.value
        return math.isnan(high) or computed <= high
    if check.test == "same_value":
        unit = next(iter(check.operands.values())).quantity.unit
        return computed == e.quantity.value and unit == e.quantity.unit
    lo, hi = _bounds(e, check.tolerance)
    return (math.isnan(lo) or computed >= lo - _SLACK * abs(lo)) and (
        math.isnan(hi) or computed <= hi + _SLACK * abs(hi)
    )


@dataclass(frozen=True)
class CheckCells:
    """Where a check's numbers are in the workbook, for its arithmetic written live."""

    operands: dict[str, str]
    computed: str
    expected: str
    verdict: str


def arithmetic(
    check: Check, result: Result, ok: bool, *, cells: CheckCells | None = None
) -> Written:
    """The check written out from its metric: as text, or live over ``cells``."""
    if check.test == "same_date":
        a, b = check.operands.values()
        return Written() + (
            f"{a.text} ({a.date or '?'}) {'within' if ok else 'vs'} {b.text} ({b.date or '?'})"
        )
    ops = {k: o.quantity for k, o in check.operands.items()}
    refs = cells.operands if cells else None
    e = check.expected
    expected = (
        write_quantity(e.quantity, derived=False, cell=cells.expected if cells else None)
        if e
        else Written()
    )
    if check.test == "same_value":
        name, q = next(iter(ops.items()))
        first = write_quantity(q, derived=False, cell=refs[name] if refs else None)
        live = f'IF({cells.verdict}="pass"," = "," ≠ ")' if cells else None
        return first + Written((Piece(" = " if ok else " ≠ ", live),)) + expected
    metric = check.metric
    full = {k: Cells(v) for k, v in refs.items()} if refs else None
    done = Cells(cells.computed) if cells else None
    if check.test == "at_most":
        single = isinstance(metric.expr, Ref)  # the operand itself: nothing to compute
        left = (
            metric.written(ops, refs)
            if single
            else metric.arithmetic(ops, result, cells=full, result_cells=done)
        )
        return left + " ≤ " + expected
    written = metric.arithmetic(ops, result, cells=full, result_cells=done)
    return written + "; reported " + expected


def check_from_row(
    rec: Mapping[str, Any], figures: pd.DataFrame, mentions: pd.DataFrame | None = None
) -> Check:
    """The check a table row records, rebuilt from its data (operand_refs, expected_ref,
    formula, test, tolerance) and the figures and mentions it names."""
    rows = {f["figure_id"]: Operand.of_figure(f) for f in records(figures)}

    def operand(ident: str) -> Operand:
        if ident in rows:
            return rows[ident]
        hit = mentions[mentions["mention_id"] == ident] if mentions is not None else []
        if len(hit) == 0:
            raise AidstatsError(f"check {rec['check_id']}: unknown figure or mention {ident!r}")
        return _mention(hit.iloc[0])

    refs = json.loads(_text(rec["operand_refs"]) or "{}")
    ops = {k: operand(v) for k, v in refs.items()}
    if rec["test"] == "at_most":
        ops = {k: o.floored() for k, o in ops.items()}
    expected = None
    if _text(rec.get("expected_ref")):
        expected = operand(_text(rec["expected_ref"]))
    elif not pd.isna(rec["expected"]):
        unit = next(iter(ops.values())).quantity.unit if ops else ""
        value = float(rec["expected"])
        expected = Operand("", Quantity(value, value, value, unit), f"{value:g}{unit}", "")
    return Check(
        check_id=rec["check_id"],
        label_zh=rec["label_zh"],
        label_en=rec["label_en"],
        operands=ops,
        source=rec["source"],
        test=rec["test"],
        formula=_text(rec["formula"]),
        expected=expected,
        tolerance=float(rec["tolerance"]),
        note=_text(rec["note"]),
    )


def result_of(check: Check) -> Result:
    """The check's formula over its operands (value and bounds); NaN without a formula."""
    if not check.formula:
        return Result(math.nan)
    return check.metric.evaluate({k: o.quantity for k, o in check.operands.items()})


def check_row(check: Check) -> dict[str, Any]:
    """The table row of a check: arithmetic, computed and expected value, verdict."""
    ops = {k: o.quantity for k, o in check.operands.items()}
    result = result_of(check)
    ok = verdict(check, result.value)
    e = check.expected
    ids = [o.id for o in check.operands.values()] + ([e.id] if e and e.id else [])
    used = [*check.operands.values(), *([e] if e else [])]
    return {
        "check_id": check.check_id,
        "status": "auto" if any(o.status == "auto" for o in used) else "curated",
        "test": check.test,
        "source": check.source,
        "label_zh": check.label_zh,
        "label_en": check.label_en,
        "article_id": next(iter(check.operands.values())).article_id,
        "figure_ids": ";".join(dict.fromkeys(ids)),
        "formula": check.formula,
        "operands": json.dumps({k: q.value for k, q in ops.items()}, ensure_ascii=False),
        "operand_refs": json.dumps(
            {k: o.id for k, o in check.operands.items()}, ensure_ascii=False
        ),
        "arithmetic": arithmetic(check, result, ok).text,
        "computed": result.value,
        "expected": e.quantity.value if e else math.nan,
        "expected_ref": e.id if e and e.id else None,
        "tolerance": check.tolerance,
        "verdict": "pass" if ok else "flag",
        "note": check.note,
    }


def _text(x: Any) -> str:
    return "" if x is None or pd.isna(x) else str(x)


def _mention(m: pd.Series) -> Operand:
    """A mention as an operand (a quoted number or date no figure stands for)."""
    date = "" if pd.isna(m.get("date")) else str(m.get("date"))
    return Operand.of_row(m, id_col="mention_id", text_col="text", date=date)


def _hundred() -> Operand:
    return Operand("", Quantity(100.0, 100.0, 100.0, "%"), "100%", "")


# The structural checks, by kind: their labels (zh, en). Each compares its operands' sum
# with an expected upper bound.
_AUTO_LABELS = {
    "share<=100": ("占比不超过100%", "Share at most 100%"),
    "part<=total": ("部分不超过总数", "Part at most its total"),
    "parts-sum": ("各部分之和不超过总数", "Parts add up to at most the total"),
}


def _auto(
    kind: str, key: str, operands: dict[str, Operand], expected: Operand, note: str = ""
) -> Check:
    """A structural check of ``kind``: the sum of ``operands`` at most ``expected``."""
    label_zh, label_en = _AUTO_LABELS[kind]
    return Check(
        check_id=f"{kind}:{key}",
        label_zh=label_zh,
        label_en=label_en,
        operands=operands,
        formula=" + ".join(operands),
        expected=expected,
        note=note,
    )


# The figure columns an operand and the structural checks read.
_OPERAND_COLUMNS = (
    "figure_id", "quote", "article_id", "qualifier", "value", "lower", "upper", "unit",
    "measure", "parent_figure",
)  # fmt: skip


def auto_checks(figures: pd.DataFrame) -> list[Check]:
    """Checks from the figures' structure: share ≤ 100%, part ≤ total, parts ≤ total."""
    names = [*_OPERAND_COLUMNS, *(["status"] if "status" in figures.columns else [])]
    figs = records(figures, names)
    by_id: dict[str, dict[str, Any]] = {}
    for f in figs:
        by_id.setdefault(f["figure_id"], f)
    checks = []
    kids: dict[str, list[dict[str, Any]]] = {}
    for f in figs:  # the operand is built only for the few figures a check uses
        key = f["figure_id"]
        if f["measure"] == "share":
            op = Operand.of_figure(f).floored()
            checks.append(_auto("share<=100", key, {"share": op}, _hundred(), f["quote"]))
        parent = f["parent_figure"]
        if pd.isna(parent):
            continue
        kids.setdefault(parent, []).append(f)
        p = by_id.get(parent)
        if p is not None and f["measure"] == p["measure"]:
            op = Operand.of_figure(f).floored()
            note = f"{f['quote']} is part of {p['quote']}"
            checks.append(_auto("part<=total", key, {"part": op}, Operand.of_figure(p), note))
    for parent in sorted(kids):
        p = by_id.get(parent)
        same = [k for k in kids[parent] if p is not None and k["measure"] == p["measure"]]
        if p is None or len(same) < 2:
            continue
        parts = {f"part{i}": Operand.of_figure(k).floored() for i, k in enumerate(same, start=1)}
        checks.append(_auto("parts-sum", str(parent), parts, Operand.of_figure(p)))
    return checks


def _resolve(
    ref: dict[str, Any],
    figures: pd.DataFrame,
    mentions: pd.DataFrame,
    clean_texts: dict[str, str],
    where: str,
) -> Operand:
    """An operand: a figure (by id) or a quoted mention (article_id, quote, context)."""
    if "figure" in ref:
        hit = figures[figures["figure_id"] == ref["figure"]]
        if hit.empty:
            raise AidstatsError(f"{where}: unknown figure {ref['figure']!r}")
        return Operand.of_figure(hit.iloc[0])
    if "quote" in ref and "article_id" in ref:
        ments = mentions[mentions["article_id"] == ref["article_id"]]
        if ref["article_id"] not in clean_texts:
            raise AidstatsError(f"{where}: unknown article_id {ref['article_id']!r}")
        starts = quote_positions(ref, clean_texts[ref["article_id"]], where=where, mentions=ments)
        if len(starts) != 1:
            raise AidstatsError(
                f"{where}: quote {ref['quote']!r} occurs {len(starts)} times; add a context"
            )
        hit = ments[ments["clean_start"] == starts[0]]
        if hit.empty:
            raise AidstatsError(f"{where}: quote {ref['quote']!r} is not an extracted mention")
        return _mention(hit.iloc[0])
    raise AidstatsError(f"{where}: an operand needs 'figure' or 'article_id' and 'quote'")


def curated_checks(
    spec: list[dict[str, Any]],
    figures: pd.DataFrame,
    mentions: pd.DataFrame,
    clean_texts: dict[str, str],
    file: Any,
) -> list[Check]:
    """The checks of checks.yaml, their operands resolved to figures or mentions."""
    checks = []
    for number, item in enumerate(spec, start=1):
        where = f"{file}: check #{number} ({item.get('id', '?')})"
        missing = [k for k in ("id", "type", "label_zh", "label_en", "operands") if not item.get(k)]
        if missing:
            raise AidstatsError(f"{where}: missing {', '.join(missing)}")
        if item["type"] not in CHECK_TYPES:
            raise AidstatsError(f"{where}: type must be one of {', '.join(CHECK_TYPES)}")
        ops = {
            name: _resolve(ref, figures, mentions, clean_texts, f"{where} operand {name}")
            for name, ref in item["operands"].items()
        }
        common = {
            "check_id": item["id"],
            "source": "curated",
            "label_zh": item["label_zh"],
            "label_en": item["label_en"],
            "note": item.get("note", ""),
        }
        if item["type"] == "formula":
            if "expected" not in item or "formula" not in item:
                raise AidstatsError(f"{where}: a formula check needs formula and expected")
            exp = _resolve(item["expected"], figures, mentions, clean_texts, f"{where} expected")
            step = stated_step(exp.text)
            tol = step / 2 if exp.qualifier == "exact" else math.inf
            check = Check(
                test="within", operands=ops, formula=str(item["formula"]), expected=exp,
                tolerance=tol, **common,
            )  # fmt: skip
            try:
                check.metric.evaluate({k: o.quantity for k, o in ops.items()})
            except AidstatsError as exc:
                raise AidstatsError(f"{where}: {exc}") from None
        elif item["type"] == "same_value":
            (name, first), (_, second) = list(ops.items())[:2]
            check = Check(
                test="same_value", operands={name: first}, formula=name, expected=second, **common
            )
        else:
            check = Check(test="same_date", operands=ops, **common)
        checks.append(check)
    return checks


def load_checks(paths: ProjectPaths) -> list[dict[str, Any]]:
    """The curated checks of ``data/raw/checks.yaml`` (none if the file is absent), validated
    for shape and types by :func:`aidstats.human.checks`."""
    return [check.model_dump(exclude_none=True) for check in human.checks(paths.checks).rows]


def consistency_checks(
    figures: pd.DataFrame,
    mentions: pd.DataFrame | None = None,
    clean_texts: dict[str, str] | None = None,
    spec: list[dict[str, Any]] | None = None,
    *,
    file: Any = "checks.yaml",
    curated_only: bool = False,
) -> pd.DataFrame:
    """Automatic and curated checks, one row each, with arithmetic and a verdict
    (``curated_only``: automatic figures are left out)."""
    if curated_only:
        figures = figures[figures["status"] == "curated"]
    checks = auto_checks(figures)
    if spec:
        if mentions is None or clean_texts is None:
            raise ValueError("curated checks need the mentions and the cleaned texts")
        checks += curated_checks(spec, figures, mentions, clean_texts, file)
    return pd.DataFrame([check_row(c) for c in checks], columns=columns("consistency_checks"))
