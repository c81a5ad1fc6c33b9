"""Check that the extractor gives exactly what a reference commit gives, field by field.

Run as ``python benchmarks/check_extract_identical.py [--ref c64f771] [--mb 3]``.  The
reference tree's ``src/`` is exported with ``git archive`` into a temporary directory and
run in a subprocess; this tree runs in this process.  Both extract every text of

* ``data/raw/articles/*.txt`` and ``tests/data/**/*.txt`` (with and without a publication
  date),
* the same texts with their Arabic digits redrawn at random, and
* about ``--mb`` MB of generated text: a seeded random mix of the extractor's vocabulary
  (digits, Chinese numerals, units, qualifiers, range marks, quotes, relative years,
  idioms, punctuation) and pieces of the articles, cut and spliced at random,

and the lists of mentions are compared field by field, with the type of every value (an
``int`` is not a ``float``).  Exit status 0 when nothing differs; otherwise the first
differences are printed.  It is a check of a refactoring, not a test: it needs git and
takes a minute or so.
"""

from __future__ import annotations

import argparse
import pickle
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ("2022-06-15", None)

_RUNNER = """
import pickle, sys
sys.path.insert(0, sys.argv[1])
from aidstats.extract import extract_quantities
texts = pickle.load(open(sys.argv[2], "rb"))
out = []
for text, published in texts:
    qs = extract_quantities(text, published=published)
    out.append([tuple((type(v).__name__, v) for v in q.to_dict().values()) for q in qs])
pickle.dump(out, open(sys.argv[3], "wb"))
"""


def _vocabulary() -> list[str]:
    """Pieces of text the extractor reacts to, from its own word lists."""
    sys.path.insert(0, str(ROOT / "src"))
    from aidstats import extract_lexicon as lex

    pieces = sorted(lex.UNITS) + sorted(lex.PREFIX_QUALIFIERS) + sorted(lex.TRAILING_QUALIFIERS)
    pieces += sorted(lex.IDIOMS) + sorted(lex.REL_YEARS) + sorted(lex.CONNECTORS)
    pieces += list("0123456789０１２３４５６７８９一二三四五六七八九十百千万亿两半数〇零第")
    pieces += list('至到~～〜—–－-:：.．,、，。；！？“”‘’「」『』《》"()（）\n 　')
    pieces += list("年月日号底末余多个以上左右近约超逾达共计ABCGXv#+_/的和与及或等是在为")
    pieces += ["1.5", "12.08", "2021年8月13日", "3,000", "百分之", "去年", "同年", "第十"]
    return pieces


def _read(path: Path) -> str:
    """A text file in UTF-8, or else GB18030 (some test files are)."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def _digits_redrawn(text: str, rng: random.Random) -> str:
    return re.sub("[0-9]", lambda _: rng.choice("0123456789"), text)


def build_texts(mb: float, seed: int = 7) -> list[tuple[str, str | None]]:
    """The texts to compare (see the module docstring), each with a publication date."""
    sources = sorted((ROOT / "data" / "raw" / "articles").glob("*.txt"))
    sources += sorted((ROOT / "tests" / "data").rglob("*.txt"))
    real = [_read(p) for p in sources]
    rng = random.Random(seed)
    texts = [(t, pub) for t in real for pub in PUBLISHED]
    texts += [(_digits_redrawn(t, rng), "2023") for t in real for _ in range(3)]
    vocab = _vocabulary()
    joined = "\n".join(real)
    size = 0
    while size < mb * 1_000_000:
        parts = []
        for _ in range(rng.randint(20, 400)):
            r = rng.random()
            if r < 0.5:
                parts.append(rng.choice(vocab))
            elif r < 0.8:
                i = rng.randrange(len(joined))
                parts.append(joined[i : i + rng.randint(1, 40)])
            else:
                parts.append(str(rng.randint(0, 10 ** rng.randint(1, 12))))
        text = "".join(parts)
        texts.append((text, rng.choice(PUBLISHED)))
        size += len(text.encode("utf-8"))
    return texts


def _rows(texts: list[tuple[str, str | None]]) -> list[list[tuple]]:
    from aidstats.extract import extract_quantities

    return [
        [tuple((type(v).__name__, v) for v in q.to_dict().values()) for q in qs]
        for qs in (extract_quantities(t, published=p) for t, p in texts)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default="c64f771", help="reference commit")
    parser.add_argument("--mb", type=float, default=3.0, help="MB of generated text")
    args = parser.parse_args(argv)
    texts = build_texts(args.mb)
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.ref, "src"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        inp, out = Path(tmp) / "in.pkl", Path(tmp) / "out.pkl"
        inp.write_bytes(pickle.dumps(texts))
        subprocess.run(
            [sys.executable, "-c", _RUNNER, str(Path(tmp) / "src"), str(inp), str(out)],
            check=True,
        )
        expected = pickle.loads(out.read_bytes())
    got = _rows(texts)
    chars = sum(len(t) for t, _ in texts)
    mentions = sum(len(r) for r in expected)
    bad = [i for i, (a, b) in enumerate(zip(expected, got, strict=True)) if a != b]
    print(f"{len(texts)} texts, {chars:,} characters, {mentions:,} mentions (reference)")
    for i in bad[:5]:
        a, b = expected[i], got[i]
        j = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
        print(f"text {i}: mention {j}: reference {a[j : j + 1]} != this tree {b[j : j + 1]}")
    print(f"{len(bad)} texts differ" if bad else "identical")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
