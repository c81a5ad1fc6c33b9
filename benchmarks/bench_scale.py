"""How aidstats scales with the number of articles: ingest, build, incremental build.

Run as ``python benchmarks/bench_scale.py --sizes 100 1000 [10000] [--jobs N]``. For each
size N it

1. generates a synthetic archive of N articles (JSON Lines) by recombining paragraphs of
   the shipped articles (data/raw/articles) and the test articles (tests/data/auto,
   tests/data/heldout), with numbers, years, publication dates, donors and regions
   perturbed (seeded, so the same N gives the same archive);
2. copies data/raw/ into a fresh project and times ``aidstats ingest ARCHIVE``;
3. times a full ``aidstats build`` (empty cache);
4. ingests one more article and times ``aidstats build`` again (incremental);

and prints wall time, CPU time, the peak memory of the process tree (psutil, sampled every 0.1 s:
the build and its worker processes added up) and the size of data/processed/. Each
command runs in its own process, as a person would run it. ``--breakdown`` also times
the stages of the last build in one process (tables, charts, workbook) to show what
dominates at scale. Record the numbers in docs/scale.md; no test times anything.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (
    (ROOT / "data" / "raw" / "catalog.yaml", ROOT / "data" / "raw"),
    (ROOT / "tests" / "data" / "auto" / "catalog.yaml", ROOT / "tests" / "data" / "auto"),
    (ROOT / "tests" / "data" / "heldout" / "catalog.yaml", ROOT / "tests" / "data" / "heldout"),
)
NUMBER = re.compile(r"\d+(?:\.\d+)?")
KEEP_AFTER = ("月", "日", "号", "时", "点", "届", "期", "批", "轮", "师", "团")
SUFFIXES = ("维吾尔自治区", "自治州", "自治县", "地区", "省", "市", "县")
PHRASES = ("援疆工作综述", "对口支援成效显著", "携手共建新家园", "产业援疆结硕果", "民生援疆暖人心")


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph of a source article and the places that article names as its own."""

    text: str
    names: tuple[str, ...]


def _names(value: object) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(";")
    return [str(v).strip() for v in items if str(v).strip()]


def _short(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def paragraph_pool() -> list[Paragraph]:
    """Body paragraphs (30+ characters) of every source article."""
    pool = []
    for catalog, folder in SOURCES:
        for entry in yaml.safe_load(catalog.read_text(encoding="utf-8"))["articles"]:
            text = (folder / entry["file"]).read_bytes().decode("utf-8-sig")
            names = tuple(_names(entry.get("donor")) + _names(entry.get("recipient")))
            blocks = re.split(r"\r?\n\s*\n", text.replace("\r\n", "\n"))
            pool += [Paragraph(b.strip(), names) for b in blocks[1:] if len(b.strip()) >= 30]
    return pool


def pairings() -> list[tuple[str, list[str]]]:
    """(donor, recipients) of the gazetteer's pairings."""
    doc = yaml.safe_load((ROOT / "data" / "raw" / "gazetteer.yaml").read_text(encoding="utf-8"))
    return [(p["donor"], list(p["recipients"])) for p in doc["pairings"]]


def _perturb_numbers(text: str, rng: random.Random, shift: int) -> str:
    def swap(m: re.Match[str]) -> str:
        raw, after = m.group(), text[m.end() : m.end() + 1]
        if after in KEEP_AFTER:
            return raw
        if len(raw) == 4 and raw.isdigit() and 1990 <= int(raw) <= 2030:
            return str(min(int(raw) + shift, 2025))
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        value = max(float(raw) * rng.uniform(0.5, 2.0), 1.0)
        return f"{value:.{decimals}f}" if decimals else str(round(value))

    return NUMBER.sub(swap, text)


def _perturb_places(text: str, old: tuple[str, ...], donor: str, regions: list[str]) -> str:
    swaps: dict[str, str] = {}
    for i, name in enumerate(old):
        new = donor if i == 0 else regions[(i - 1) % len(regions)]
        swaps[name] = new
        swaps.setdefault(_short(name), _short(new))
    for name in sorted(swaps, key=len, reverse=True):
        text = text.replace(name, swaps[name])
    return text


def synthetic_rows(n: int, *, seed: int = 14, start: int = 0) -> list[dict[str, object]]:
    """``n`` synthetic articles as ingest rows (id, title, published, text, outlet, …)."""
    pool, pairs = paragraph_pool(), pairings()
    rows = []
    for i in range(start, start + n):
        rng = random.Random(seed * 1_000_003 + i)
        donor, regions = rng.choice(pairs)
        year = rng.randint(2016, 2025)
        paragraphs = [
            _perturb_numbers(_perturb_places(p.text, p.names, donor, regions), rng, year - 2023)
            for p in rng.sample(pool, rng.randint(6, 16))
        ]
        title = f"{_short(donor)}援{_short(regions[0])}{rng.choice(PHRASES)}"
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        published = f"{year}-{month:02d}" + (f"-{day:02d}" if rng.random() < 0.8 else "")
        rows.append(
            {
                "id": f"synth-{i:06d}",
                "title": title,
                "published": published,
                "text": title + "\n\n" + "\n\n".join(paragraphs) + "\n",
                "outlet": rng.choice(["援疆时报", "天山日报", None]),
                "donor": donor,
                "recipient": ";".join(regions[:2]),
            }
        )
    return rows


def write_jsonl(rows: list[dict[str, object]], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


# ------------------------------------------------------------------------- measuring


@dataclass
class Run:
    """One timed command."""

    seconds: float
    peak_mb: float
    output: str
    cpu_seconds: float = 0.0


def _tree_rss(proc: object) -> int:
    import psutil

    total = 0
    for p in [proc, *proc.children(recursive=True)]:  # type: ignore[attr-defined]
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def timed(cmd: list[str], *, env: dict[str, str]) -> Run:
    """Run ``cmd``, sampling the RSS of its process tree every 0.1 s; its CPU time (user
    and system, with the children it waits for: not the workers a forkserver starts) is
    measured too, as wall time depends on the machine's load."""
    import psutil

    before = os.times()
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    handle, peak, out = psutil.Process(proc.pid), [0], []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.read()))  # type: ignore[union-attr]
    reader.start()
    while proc.poll() is None:
        with contextlib.suppress(psutil.Error):
            peak[0] = max(peak[0], _tree_rss(handle))
        time.sleep(0.1)
    reader.join()
    seconds = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{''.join(out)[-3000:]}")
    return Run(seconds, peak[0] / 1e6, "".join(out), cpu)


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def bench(
    n: int, *, jobs: int | None, workdir: Path, breakdown: bool, tables_only: bool = False
) -> dict[str, float]:
    """Ingest, build and rebuild one project of ``n`` synthetic articles."""
    project = workdir / f"project-{n}"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(ROOT / "data" / "raw", project / "data" / "raw")
    archive = write_jsonl(synthetic_rows(n), workdir / f"archive-{n}.jsonl")
    extra = write_jsonl(synthetic_rows(1, start=n), workdir / f"extra-{n}.jsonl")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cli = [sys.executable, "-m", "aidstats.cli", "--root", str(project)]
    jobs_opt = (["--jobs", str(jobs)] if jobs else []) + (["--tables-only"] if tables_only else [])
    ingest = timed([*cli, "ingest", str(archive)], env=env)
    full = timed([*cli, "build", *jobs_opt], env=env)
    timed([*cli, "ingest", str(extra)], env=env)
    again = timed([*cli, "build", *jobs_opt], env=env)
    result = {
        "articles": n,
        "tables_only": tables_only,
        "ingest_s": ingest.seconds,
        "ingest_peak_mb": ingest.peak_mb,
        "build_s": full.seconds,
        "build_cpu_s": full.cpu_seconds,
        "build_peak_mb": full.peak_mb,
        "incremental_s": again.seconds,
        "incremental_cpu_s": again.cpu_seconds,
        "incremental_peak_mb": again.peak_mb,
        "processed_mb": _size_mb(project / "data" / "processed"),
        "cache_mb": _size_mb(project / "data" / "cache"),
    }
    if breakdown:
        run = timed([sys.executable, __file__, "--stages", str(project)], env=env)
        result.update(json.loads(run.output.strip().splitlines()[-1]))
    return result


def stage_seconds(root: Path) -> dict[str, float]:
    """Seconds of each part of a build of ``root`` whose per-article cache is warm."""
    from aidstats.build import compute_tables
    from aidstats.charts import write_charts
    from aidstats.excel import write_workbook
    from aidstats.outputs import write_table
    from aidstats.paths import ProjectPaths

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        tables = compute_tables(ProjectPaths(root))
        out["stage_tables_s"] = time.perf_counter() - started
        started = time.perf_counter()
        for name, df in tables.frames.items():
            write_table(df, Path(tmp), name)
        out["stage_csv_parquet_s"] = time.perf_counter() - started
        started = time.perf_counter()
        write_charts(tables.frames, Path(tmp) / "charts")
        out["stage_charts_s"] = time.perf_counter() - started
        started = time.perf_counter()
        write_workbook(tables.frames, Path(tmp) / "summary.xlsx")
        out["stage_workbook_s"] = time.perf_counter() - started
    out["figures"] = len(tables.frames["figures"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--jobs", type=int, default=None, help="passed to aidstats build")
    parser.add_argument("--workdir", type=Path, default=None, help="default: a temporary folder")
    parser.add_argument("--breakdown", action="store_true", help="time the build's stages too")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    parser.add_argument(
        "--tables-only", action="store_true", help="build with --tables-only (no charts, workbook)"
    )
    parser.add_argument("--stages", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stages is not None:
        print(json.dumps(stage_seconds(args.stages)))
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="aidstats-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        for n in args.sizes:
            result = bench(
                n,
                jobs=args.jobs,
                workdir=workdir,
                breakdown=args.breakdown,
                tables_only=args.tables_only,
            )
            print(json.dumps(result), flush=True)
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
