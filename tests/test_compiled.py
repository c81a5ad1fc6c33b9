"""The compiled extractor (aidstats.speedups, hatch_build.py): in use where it was built,
the same mentions as the plain Python, never loaded stale, and its C maker of Quantity
objects sound.

The plain-Python extractor is the reference: it runs in a subprocess with
``AIDSTATS_PURE_PYTHON=1`` over the shipped articles, every text of ``tests/data`` (own
articles in other donors' styles), the same texts with their digits redrawn, and
generated text, and its mentions must equal the compiled build's field by field, with the
type of every value.  Tests that need the compiled build skip when it was not built (no
C compiler at install); ``.ci/run`` installs one, so CI always runs them.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import pickle
import random
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import aidstats
from aidstats import cache, extract, speedups
from aidstats.extract import Quantity, extract_quantities
from aidstats.extract_spec import VALUES, plus_upper, plus_upper_of
from aidstats.numerals import to_number
from support import skip_or_fail

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(aidstats.__file__).resolve().parent


def need_compiled() -> None:
    if speedups.status() != "compiled":
        skip_or_fail(f"the compiled extractor is not in use ({speedups.status()})")


def test_the_compiled_extractor_is_in_use_where_it_was_built() -> None:
    need_compiled()
    for name in speedups.MODULES:
        origin = Path(sys.modules[f"aidstats.{name}"].__file__ or "")
        assert origin.parent == PACKAGE / speedups.FOLDER, name
        assert origin.name.endswith(EXTENSION_SUFFIXES[0]), name
    assert extract._new_quantity is not None


def _texts() -> list[tuple[str, str | None]]:
    """Texts for the comparison: real, own, redrawn and generated (seeded)."""
    rng = random.Random(20261129)
    paths = sorted((ROOT / "data" / "raw" / "articles").glob("*.txt"))
    paths += sorted((ROOT / "tests" / "data").rglob("*.txt"))
    texts = []
    for path in paths:
        raw = path.read_bytes()
        try:
            texts.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            texts.append(raw.decode("gb18030", errors="replace"))
    redrawn = [re.sub("[0-9]", lambda _: rng.choice("0123456789"), t) for t in texts]
    pieces = "0123456789一二三四五六七八九十百千万亿两半余多超近约逾达至到-～%"
    pieces += "个元名年月日人次“”《》、，。以上左右去年同年"
    generated = ["".join(rng.choice(pieces) for _ in range(2000)) for _ in range(20)]
    every = texts + redrawn + generated
    return [(t, "2022-06-15" if i % 2 else None) for i, t in enumerate(every)]


_PLAIN_RUNNER = """
import pickle, sys
import aidstats
from aidstats import cache, speedups
from aidstats.extract import extract_quantities
texts = pickle.load(open(sys.argv[1], "rb"))
out = [[q.to_dict() for q in extract_quantities(t, published=p)] for t, p in texts]
fingerprint = cache.code_fingerprint(cache.TEXT_ROOTS)
pickle.dump((speedups.status(), out, fingerprint), open(sys.argv[2], "wb"))
"""


def test_compiled_and_plain_python_give_the_same_mentions(tmp_path: Path) -> None:
    need_compiled()
    texts = _texts()
    (tmp_path / "in.pkl").write_bytes(pickle.dumps(texts))
    env = {**os.environ, speedups.ENV_OFF: "1", "PYTHONPATH": str(PACKAGE.parent)}
    subprocess.run(
        [sys.executable, "-c", _PLAIN_RUNNER, str(tmp_path / "in.pkl"), str(tmp_path / "out.pkl")],
        check=True,
        env=env,
        timeout=300,
    )
    status, plain, fingerprint = pickle.loads((tmp_path / "out.pkl").read_bytes())
    assert status.startswith("python: ")  # the reference really ran the plain Python
    compiled = [[q.to_dict() for q in extract_quantities(t, published=p)] for t, p in texts]
    assert sum(map(len, plain)) > 3_000
    for i, (a, b) in enumerate(zip(plain, compiled, strict=True)):
        typed_a = [[(k, v, type(v).__name__) for k, v in d.items()] for d in a]
        typed_b = [[(k, v, type(v).__name__) for k, v in d.items()] for d in b]
        assert typed_a == typed_b, f"text {i} differs"
    # the build cache is keyed by the sources, so both builds share its entries
    assert cache.code_fingerprint(cache.TEXT_ROOTS) == fingerprint


def _package_copy(tmp_path: Path) -> Path:
    """The compiled modules' sources in a folder, with a fresh manifest and a stand-in
    compiled file for each module (never imported: only their names are checked)."""
    package = tmp_path / "pkg"
    package.mkdir()
    for name in speedups.MODULES:
        shutil.copy2(PACKAGE / f"{name}.py", package)
        if (PACKAGE / f"{name}.pxd").is_file():
            shutil.copy2(PACKAGE / f"{name}.pxd", package)
    for name in speedups.HELPERS:
        shutil.copy2(PACKAGE / f"{name}.pyx", package)
    folder = package / speedups.FOLDER
    folder.mkdir()
    for name in (*speedups.MODULES, *speedups.HELPERS):
        (folder / f"{name}{EXTENSION_SUFFIXES[0]}").write_bytes(b"")
    manifest = {"sources": speedups.source_hashes(package)}
    (folder / speedups.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return package


def test_a_compiled_folder_is_used_only_while_every_source_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(speedups.ENV_OFF, raising=False)
    package = _package_copy(tmp_path)
    path = [str(package)]
    assert speedups.activate(path, record=False) == "compiled"
    assert path == [str(package / speedups.FOLDER), str(package)]

    # an edit to a source (or to the C types beside it) after compiling: plain Python
    with (package / "extract_quick.pxd").open("a", encoding="utf-8") as f:
        f.write("# edited\n")
    path = [str(package)]
    status = speedups.activate(path, record=False)
    assert status == "python: extract_quick changed since compiled: run `pip install -e .` again"
    assert path == [str(package)]


@pytest.mark.parametrize("case", ["no manifest", "other python", "switched off", "helper edited"])
def test_a_compiled_folder_that_cannot_be_used_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    monkeypatch.delenv(speedups.ENV_OFF, raising=False)
    package = _package_copy(tmp_path)
    folder = package / speedups.FOLDER
    if case == "no manifest":
        (folder / speedups.MANIFEST).unlink()
        expected = "not compiled at install"
    elif case == "other python":
        (folder / f"numerals{EXTENSION_SUFFIXES[0]}").unlink()
        expected = f"not compiled for this Python ({EXTENSION_SUFFIXES[0]}): numerals"
    elif case == "switched off":
        monkeypatch.setenv(speedups.ENV_OFF, "1")
        expected = f"{speedups.ENV_OFF} is set"
    else:
        (package / "_slots.pyx").write_text("# another helper\n", encoding="utf-8")
        expected = "_slots changed since compiled"
    path = [str(package)]
    assert speedups.activate(path, record=False).startswith(f"python: {expected}")
    assert path == [str(package)]


FIELDS = dict(
    start=3, end=9, text="4.5亿元", kind="amount", value=450_000_000, lower=450_000_000,
    upper=450_000_000, unit="元", qualifier="exact",
)  # fmt: skip


def test_the_c_maker_gives_the_quantity_the_class_gives() -> None:
    need_compiled()
    made = extract._new_quantity(*FIELDS.values())
    assert type(made) is Quantity
    assert made == Quantity(**FIELDS)
    assert hash(made) == hash(Quantity(**FIELDS))
    assert dataclasses.asdict(made) == FIELDS
    assert pickle.loads(pickle.dumps(made)) == made
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.value = 1  # type: ignore[misc]


def test_the_c_maker_holds_one_reference_per_field_and_frees_them() -> None:
    need_compiled()
    marker = object()  # held here and by the quantities only
    before = sys.getrefcount(marker)
    made = [extract._new_quantity(1, 2, "x", "amount", marker, marker, None, None, "exact")]
    made += [extract._new_quantity(1, 2, "x", "amount", marker, None, None, None, "exact")]
    assert sys.getrefcount(marker) == before + 3
    del made
    gc.collect()
    assert sys.getrefcount(marker) == before


def test_the_c_maker_refuses_a_class_whose_fields_are_not_slots() -> None:
    need_compiled()
    import aidstats._slots as slots  # type: ignore[import-not-found]

    @dataclasses.dataclass
    class NoSlots:
        a: int

    try:
        with pytest.raises(TypeError, match="is not a slot"):
            slots.bind(NoSlots, ("a",) * 9)
        with pytest.raises(ValueError, match="9 slots expected"):
            slots.bind(Quantity, Quantity.__slots__[:3])
    finally:
        slots.bind(Quantity, Quantity.__slots__)
    assert extract._new_quantity(*FIELDS.values()) == Quantity(**FIELDS)


_DECIMALS = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(Decimal),
    st.builds(
        lambda digits, point, mag: Decimal(digits).scaleb(-point) * Decimal(10) ** mag,
        st.integers(min_value=0, max_value=10**12),
        st.integers(min_value=0, max_value=4),
        st.sampled_from([0, 4, 8, 12]),
    ),
)


@given(_DECIMALS)
def test_plus_upper_in_integers_is_exactly_the_decimal_arithmetic(value: Decimal) -> None:
    # the reference: plus_upper's Decimal arithmetic (one unit of the last digit more)
    expected = plus_upper(value)
    got = plus_upper_of(value, to_number(value))
    assert (got, type(got)) == (expected, type(expected))


def test_plus_upper_by_hand() -> None:
    assert plus_upper_of(Decimal(37680), 37680) == 37690  # 37680余: up to 37690
    assert plus_upper_of(Decimal(6000) * 10_000, 60_000_000) == 70_000_000  # 6000多万
    assert plus_upper_of(Decimal("1.5") * 10_000, 15_000) == 16_000  # 1.5万余
    assert plus_upper_of(Decimal(0), 0) == 1


def test_clear_caches_empties_every_cache_of_the_extractor() -> None:
    extract_quantities(
        "投入援疆资金4.5亿元，民生类项目61个，2021年8月13日，接诊37680余人次", published="2022"
    )
    assert extract._CACHE and VALUES
    extract.clear_caches()
    assert not extract._CACHE and not VALUES
    from aidstats import extract_quick, numerals

    for function in (extract_quick.iso_date, numerals.month_day, numerals.parse_numeral):
        assert function.cache_info().currsize == 0


# Exact shortcuts taken for speed in both builds, each against the formula it replaced.

_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?")  # what parse_plain_decimal accepted before


@given(st.text(alphabet="0123456789.．１٣,-e万 ", max_size=12))
def test_plain_decimal_accepts_exactly_what_the_regex_did(s: str) -> None:
    from aidstats.numerals import MAX_NUMERAL_CHARS, parse_plain_decimal

    got = parse_plain_decimal(s)
    if len(s) > MAX_NUMERAL_CHARS or _PLAIN.fullmatch(s) is None:
        assert got is None
    else:
        assert got == Decimal(s)


@given(_DECIMALS)
def test_to_number_is_the_integral_test_it_replaced(value: Decimal) -> None:
    limit = Decimal(10**18)
    if -limit < value < limit and value == value.to_integral_value():
        expected: int | float = int(value)
    else:
        expected = float(value)
    got = to_number(value)
    assert (got, type(got)) == (expected, type(expected))


@pytest.mark.parametrize("n1", ["17.3万", "5亿", "5万亿", "4.5", "万", "3千万"])
@pytest.mark.parametrize("m1", [None, "", "万", "亿"])
def test_magnitude_of_one_mark_is_the_product(n1: str, m1: str | None) -> None:
    from aidstats.extract_spec import BIG, magnitude

    expected = Decimal(1)
    i = len(n1)
    while i > 0 and n1[i - 1] in BIG:
        i -= 1
    for ch in n1[i:] + (m1 or ""):
        expected *= BIG[ch]
    got = magnitude(n1, m1)
    assert (got, str(got)) == (expected, str(expected))


_PLAIN_NUMBERS = st.builds(
    lambda head, tail, mark: head + (f".{tail}" if tail is not None else "") + mark,
    st.text(alphabet="0123456789", min_size=1, max_size=12),
    st.one_of(st.none(), st.text(alphabet="0123456789", min_size=1, max_size=9)),
    st.sampled_from(["", "万", "亿"]),
)


@given(st.one_of(_PLAIN_NUMBERS, st.text(alphabet="0123456789.．,万亿千１", max_size=10)))
def test_plain_number_is_exactly_the_decimal_value(full: str) -> None:
    from aidstats.extract_quick import plain_number
    from aidstats.extract_spec import value_of

    got = plain_number(full) if full else None
    if got is None:  # not a plain number: the caller reads it with Decimals
        return
    value, expected = value_of(full, True)  # the Decimal reading (numerals.py)
    assert value is not None and (got, type(got)) == (expected, type(expected))


def test_plain_number_by_hand() -> None:
    from aidstats.extract_quick import plain_number

    assert plain_number("95.8万") == 958_000 and type(plain_number("95.8万")) is int
    assert plain_number("0.5亿") == 50_000_000
    assert plain_number("91.7") == 91.7
    assert plain_number("0.00012万") == 1.2
    assert plain_number("0067万") == 670_000
    for other in ("1,000万", "4.5万亿", "１２", "5.", ".5", "1.2.3", "1" * 19):
        assert plain_number(other) is None


@given(
    st.one_of(_PLAIN_NUMBERS, st.text(alphabet="0123456789.万亿", min_size=1, max_size=8)),
    st.sampled_from([None, "", "万", "亿", "万亿"]),
)
def test_scaled_number_is_the_decimal_one(full: str, m1: str | None) -> None:
    from aidstats.extract_quick import _scaled
    from aidstats.extract_spec import number_value, value_of

    value, number = value_of(full, True)  # the Decimal reading, as before the shortcut
    if value is not None and m1:
        mult = number_value(m1)
        value = None if mult is None else value * mult
        number = None if value is None else to_number(value)
    got = _scaled(full, m1)
    if value is None:
        assert got is None
        return
    assert got is not None
    got_value, got_number = got
    assert (got_number, type(got_number)) == (number, type(number))
    if got_value is None:  # read in ints: plus_upper_of must not need the Decimal
        assert type(number) is int and 0 < number < 10**17
        assert plus_upper_of(None, number) == plus_upper(value)
    else:
        assert got_value == value
