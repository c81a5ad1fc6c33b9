"""Stage 5b, consistency checks: do the reported figures agree with one another?

Two sources of checks, one output table:

- automatic checks from the figures' own structure: every share ≤ 100%, every part ≤
  its total, the parts of a total add up to no more than it, bounds in order;
- curated checks from ``data/raw/checks.yaml`` (arithmetic between figures, the same
  figure told twice, a date told twice), whose operands point at figures or quotes.

Each row shows its arithmetic and a verdict: ``pass`` or ``flag``. A reported number is
compared within its rounding (2.9万 stands for anything in [2.85万, 2.95万)).
"""

from __future__ import annotations

import ast
import json
import math
import operator
import re
from typing import Any

import pandas as pd

from aidstats import human
from aidstats.dictionary import columns
from aidstats.errors import AidstatsError
from aidstats.formatting import fmt_number
from aidstats.paths import ProjectPaths
from aidstats.registry import quote_positions

CHECK_TYPES = ("formula", "same_value", "same_date")
_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_SYMBOLS = {ast.Add: "+", ast.Sub: "−", ast.Mult: "×", ast.Div: "÷"}
_NUMBER = re.compile(r"([0-9０-９]+)(?:[.．]([0-9０-９]+))?\s*(万|亿)?")


def stated_step(text: str) -> float:
    """The unit of the last digit a mention states: 2.9万元 → 1000, 72.8亿元 → 1e7, 80个 → 1."""
    match = _NUMBER.search(text or "")
    if not match:
        return math.nan
    decimals = len(match.group(2) or "")
    scale = {"万": 1e4, "亿": 1e8}.get(match.group(3) or "", 1.0)
    return scale * 10.0**-decimals


def evaluate(expr: str, values: dict[str, float]) -> tuple[float, str]:
    """Value of an arithmetic expression over named operands, and its written form."""
    try:
        tree = ast.parse(expr, mode="eval").body
    except SyntaxError:
        raise AidstatsError(f"formula {expr!r} is not valid arithmetic") from None

    def walk(node: ast.AST) -> tuple[float, str]:
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            (a, ta), (b, tb) = walk(node.left), walk(node.right)
            return _OPS[type(node.op)](a, b), f"{ta} {_SYMBOLS[type(node.op)]} {tb}"
        if isinstance(node, ast.Name):
            if node.id not in values:
                raise AidstatsError(f"formula {expr!r} uses {node.id!r}, which is not an operand")
            return values[node.id], node.id
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value), f"{node.value:g}"
        raise AidstatsError(f"formula {expr!r}: only + − × ÷, numbers and operand names")

    return walk(tree)


def _auto_checks(figures: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    by_id = figures.set_index("figure_id")
    for _, f in figures.iterrows():
        lo, hi = f["lower"], f["upper"]
        if pd.notna(lo) and pd.notna(hi) and lo > hi:
            rows.append(
                _row(
                    f"bounds:{f['figure_id']}",
                    "auto",
                    "上下界有序",
                    "Bounds in order",
                    f,
                    f"{lo} ≤ {hi}",
                    lo,
                    hi,
                    0.0,
                    "flag",
                    "lower bound above upper",
                )
            )
        if f["measure"] == "share":
            top = f["upper"] if pd.notna(f["upper"]) else f["value"]
            rows.append(
                _row(
                    f"share<=100:{f['figure_id']}",
                    "auto",
                    "占比不超过100%",
                    "Share at most 100%",
                    f,
                    f"{fmt_number(top, '%')} ≤ 100%",
                    top,
                    100.0,
                    0.0,
                    "pass" if top <= 100 else "flag",
                    f["quote"],
                )
            )
        parent = f["parent_figure"]
        if pd.notna(parent) and f["measure"] == by_id.loc[parent, "measure"]:
            p = by_id.loc[parent]
            p_hi = p["upper"] if pd.notna(p["upper"]) else math.inf
            part_lo = f["lower"] if pd.notna(f["lower"]) else f["value"]
            rows.append(
                _row(
                    f"part<=total:{f['figure_id']}",
                    "auto",
                    "部分不超过总数",
                    "Part at most its total",
                    f,
                    f"{fmt_number(part_lo, f['unit'])} ≤ {fmt_number(p['value'], p['unit'])}",
                    part_lo,
                    p["value"],
                    0.0,
                    "pass" if part_lo <= p_hi else "flag",
                    f"{f['quote']} is part of {p['quote']}",
                    ids=[f["figure_id"], parent],
                )
            )
    for parent, kids in figures[figures["parent_figure"].notna()].groupby("parent_figure"):
        p = by_id.loc[parent]
        same = kids[kids["measure"] == p["measure"]]
        if len(same) < 2:
            continue
        total = float(same["lower"].fillna(same["value"]).sum())
        p_hi = p["upper"] if pd.notna(p["upper"]) else math.inf
        rows.append(
            _row(
                f"parts-sum:{parent}",
                "auto",
                "各部分之和不超过总数",
                "Parts add up to at most the total",
                p,
                " + ".join(fmt_number(v, p["unit"]) for v in same["value"])
                + f" = {fmt_number(total, p['unit'])} ≤ {fmt_number(p['value'], p['unit'])}",
                total,
                p["value"],
                0.0,
                "pass" if total <= p_hi else "flag",
                "",
                ids=[parent, *same["figure_id"]],
            )
        )
    return rows


def _row(
    check_id: str,
    source: str,
    label_zh: str,
    label_en: str,
    f: pd.Series,
    arithmetic: str,
    computed: float,
    expected: float,
    tolerance: float,
    verdict: str,
    note: str,
    ids: list[str] | None = None,
    formula: str = "",
    operands: dict[str, Any] | None = None,
    operand_refs: dict[str, str] | None = None,
) -> dict[str, Any]:
    return {
        "check_id": check_id,
        "source": source,
        "label_zh": label_zh,
        "label_en": label_en,
        "article_id": f["article_id"],
        "figure_ids": ";".join(ids or [str(f.name) if "figure_id" not in f else f["figure_id"]]),
        "formula": formula,
        "operands": json.dumps(operands or {}, ensure_ascii=False, sort_keys=True),
        "operand_refs": json.dumps(operand_refs or {}, ensure_ascii=False, sort_keys=True),
        "arithmetic": arithmetic,
        "computed": computed,
        "expected": expected,
        "tolerance": tolerance,
        "verdict": verdict,
        "note": note,
    }


def _operand(row: pd.Series, *, id_col: str, text_col: str) -> dict[str, Any]:
    """The fields a check needs from a figure or a mention row."""
    out = {k: row[k] for k in ("value", "lower", "upper", "unit", "qualifier", "article_id")}
    out.update(id=row[id_col], text=row[text_col], date=row.get("date"))
    return out


def _resolve(
    ref: dict[str, Any],
    figures: pd.DataFrame,
    mentions: pd.DataFrame,
    clean_texts: dict[str, str],
    where: str,
) -> dict[str, Any]:
    """An operand: a figure (by id) or a quoted mention (article_id, quote, context)."""
    if "figure" in ref:
        hit = figures[figures["figure_id"] == ref["figure"]]
        if hit.empty:
            raise AidstatsError(f"{where}: unknown figure {ref['figure']!r}")
        return _operand(hit.iloc[0], id_col="figure_id", text_col="quote")
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
        return _operand(hit.iloc[0], id_col="mention_id", text_col="text")
    raise AidstatsError(f"{where}: an operand needs 'figure' or 'article_id' and 'quote'")


def _curated_checks(
    spec: list[dict[str, Any]],
    figures: pd.DataFrame,
    mentions: pd.DataFrame,
    clean_texts: dict[str, str],
    file: Any,
) -> list[dict[str, Any]]:
    rows = []
    for number, check in enumerate(spec, start=1):
        where = f"{file}: check #{number} ({check.get('id', '?')})"
        missing = [
            k for k in ("id", "type", "label_zh", "label_en", "operands") if not check.get(k)
        ]
        if missing:
            raise AidstatsError(f"{where}: missing {', '.join(missing)}")
        if check["type"] not in CHECK_TYPES:
            raise AidstatsError(f"{where}: type must be one of {', '.join(CHECK_TYPES)}")
        ops = {
            name: _resolve(ref, figures, mentions, clean_texts, f"{where} operand {name}")
            for name, ref in check["operands"].items()
        }
        first = next(iter(ops.values()))
        base = pd.Series({"article_id": first["article_id"], "figure_id": first["id"]})
        ids = [o["id"] for o in ops.values()]
        if check["type"] == "formula":
            if "expected" not in check or "formula" not in check:
                raise AidstatsError(f"{where}: a formula check needs formula and expected")
            exp = _resolve(check["expected"], figures, mentions, clean_texts, f"{where} expected")
            computed, written = evaluate(check["formula"], {k: o["value"] for k, o in ops.items()})
            for name, o in ops.items():
                written = re.sub(rf"\b{re.escape(name)}\b", o["text"], written)
            step = stated_step(exp["text"])
            tol = step / 2 if exp["qualifier"] == "exact" else math.inf
            lo = exp["lower"] if pd.notna(exp["lower"]) else exp["value"] - tol
            hi = exp["upper"] if pd.notna(exp["upper"]) else exp["value"] + tol
            if exp["qualifier"] == "exact":
                lo, hi = exp["value"] - tol, exp["value"] + tol
            ok = lo - 1e-9 * abs(lo) <= computed <= hi + 1e-9 * abs(hi)
            arithmetic = f"{written} = {fmt_number(computed, exp['unit'])}; reported {exp['text']}"
            rows.append(
                _row(
                    check["id"],
                    "curated",
                    check["label_zh"],
                    check["label_en"],
                    base,
                    arithmetic,
                    computed,
                    exp["value"],
                    tol,
                    "pass" if ok else "flag",
                    check.get("note", ""),
                    ids=[*ids, exp["id"]],
                    formula=check["formula"],
                    operands={k: o["value"] for k, o in ops.items()},
                    operand_refs={k: o["id"] for k, o in ops.items()},
                )
            )
        elif check["type"] == "same_value":
            a, b = list(ops.values())[:2]
            ok = a["value"] == b["value"] and a["unit"] == b["unit"]
            rows.append(
                _row(
                    check["id"],
                    "curated",
                    check["label_zh"],
                    check["label_en"],
                    base,
                    f"{a['text']} {'=' if ok else '≠'} {b['text']}",
                    a["value"],
                    b["value"],
                    0.0,
                    "pass" if ok else "flag",
                    check.get("note", ""),
                    ids=ids,
                )
            )
        else:
            a, b = list(ops.values())[:2]
            da, db = str(a["date"] or ""), str(b["date"] or "")
            ok = bool(da and db) and (da.startswith(db) or db.startswith(da))
            rows.append(
                _row(
                    check["id"],
                    "curated",
                    check["label_zh"],
                    check["label_en"],
                    base,
                    f"{a['text']} ({da or '?'}) {'within' if ok else 'vs'} "
                    f"{b['text']} ({db or '?'})",
                    math.nan,
                    math.nan,
                    0.0,
                    "pass" if ok else "flag",
                    check.get("note", ""),
                    ids=ids,
                )
            )
    return rows


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
) -> pd.DataFrame:
    """Automatic and curated checks, one row each, with arithmetic and a verdict."""
    rows = _auto_checks(figures)
    if spec:
        if mentions is None or clean_texts is None:
            raise ValueError("curated checks need the mentions and the cleaned texts")
        rows += _curated_checks(spec, figures, mentions, clean_texts, file)
    return pd.DataFrame(rows, columns=columns("consistency_checks"))
