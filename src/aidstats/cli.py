"""The ``aidstats`` command line: a thin layer over the package's functions."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from aidstats._version import __version__
from aidstats.errors import AidstatsError

SHOW_ARTICLES = 50  # per-article lines printed by `aidstats build` (all are in articles.csv)
SHOW_SKIPPED = 20  # duplicate and irrelevant rows listed by `aidstats ingest` (all rejects are)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in YYYY-MM-DD form") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aidstats",
        description="Figures from Chinese paired-aid news reports as tidy, traceable tables.",
    )
    parser.add_argument("--version", action="version", version=f"aidstats {__version__}")
    parser.add_argument(
        "--root",
        type=Path,
        default=None,
        help="project folder holding data/raw/catalog.yaml (default: found from the "
        "current folder, or $AIDSTATS_ROOT)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    bld = sub.add_parser(
        "build",
        help="rebuild data/processed/ from data/raw/",
        description="Rebuild data/processed/ from data/raw/: curated figures from the registry, "
        "automatic figures for every other quantity mention, analyses, charts, workbook.",
    )
    bld.add_argument(
        "--strict",
        action="store_true",
        help="fail unless every mention is curated in registry.yaml or excluded (no auto figures)",
    )
    bld.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="worker processes for the per-article work (default: every core; 1: none)",
    )
    bld.add_argument(
        "--dask", action="store_true", help="run the per-article work on a local Dask cluster"
    )
    bld.add_argument(
        "--scheduler",
        default=None,
        metavar="tcp://HOST:PORT",
        help="run the per-article work on a running Dask cluster",
    )
    bld.add_argument(
        "--no-cache", action="store_true", help="redo every article's work (data/cache/ unused)"
    )
    bld.add_argument(
        "--tables-only",
        action="store_true",
        help="write the tables and datapackage.json only, no charts and no workbook (quick "
        "rebuilds of a large corpus)",
    )

    ext = sub.add_parser(
        "extract", help="list every quantity mention in text files (JSON lines or a table)"
    )
    ext.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ext.add_argument(
        "--published",
        type=_date,
        default=None,
        help="publication date for 去年/今年 (default: the catalog date for catalogued "
        "articles, none otherwise)",
    )
    ext.add_argument("--format", choices=["jsonl", "table"], default="jsonl")

    add = sub.add_parser("add", help="copy a new article into data/raw/ and catalogue it")
    add.add_argument("path", type=Path, metavar="PATH")
    add.add_argument("--id", dest="article_id", default=None, help="article id (a-z, 0-9, -)")
    add.add_argument("--title", default=None, help="title as printed")
    add.add_argument("--published", default=None, help="YYYY, YYYY-MM or YYYY-MM-DD")
    add.add_argument("--outlet", default=None, help="newspaper, if known")

    ing = sub.add_parser(
        "ingest",
        help="add many articles at once from a folder (.txt + catalog.csv) or a "
        ".jsonl/.csv/.parquet file",
        description="Add every good row of SOURCE to the corpus: texts kept byte for byte under "
        "data/raw/articles/ingested/, entries appended to data/raw/catalog.jsonl. Each row is "
        "added, skipped as a duplicate, dropped as not relevant, or rejected with the reason; "
        "run it again after an interruption to add the rest.",
    )
    ing.add_argument("source", type=Path, metavar="SOURCE")
    ing.add_argument(
        "--relevant-only",
        action="store_true",
        help="keep only articles about paired aid to Xinjiang (aidstats.relevance)",
    )

    exp = sub.add_parser("export", help="write the Excel summary workbook to a path")
    exp.add_argument("--xlsx", type=Path, required=True, metavar="PATH")
    exp.add_argument(
        "--generated",
        default=None,
        metavar="YYYY-MM-DD",
        help="date printed and stamped in the workbook (default: the latest publication date, "
        "so the same data gives the same file)",
    )

    sub.add_parser(
        "report",
        help="execute the notebooks and write offline HTML reports to data/processed/reports/",
    )

    for name in ("review", "triage"):
        rev = sub.add_parser(
            name,
            help="draft curated rows from an article's automatic figures, or merge an edited draft"
            + (" (old name of review)" if name == "triage" else ""),
        )
        rev.add_argument("article_id", metavar="ARTICLE_ID")
        rev.add_argument(
            "--draft",
            type=Path,
            default=None,
            help="where to write the draft (default data/interim/ID-review.yaml)",
        )
        rev.add_argument(
            "--accept",
            type=Path,
            default=None,
            metavar="DRAFT",
            help="merge an edited draft into registry.yaml, exclusions.yaml and indicators.yaml",
        )
        rev.add_argument("--force", action="store_true", help="overwrite an existing draft file")
    return parser


def _cmd_build(args: argparse.Namespace) -> int:
    from aidstats.build import build
    from aidstats.paths import project_paths
    from aidstats.runners import RunOptions

    if args.jobs is not None and args.jobs < 1:
        raise AidstatsError(f"--jobs {args.jobs}: give 1 or more worker processes")
    run = RunOptions(
        jobs=args.jobs, dask=args.dask, scheduler=args.scheduler, cache=not args.no_cache
    )
    result = build(
        project_paths(args.root), strict=args.strict, run=run, views=not args.tables_only
    )
    print(f"aidstats build: wrote {len(result.files)} files to {result.processed}")
    if result.work is not None:
        print(f"  {result.work.line()}")
    for line in result.per_article[:SHOW_ARTICLES]:
        print(f"  {line}")
    if len(result.per_article) > SHOW_ARTICLES:
        more = len(result.per_article) - SHOW_ARTICLES
        print(f"  … and {more} more articles (see data/processed/articles.csv)")
    for path in result.files:
        size = path.stat().st_size
        print(f"  {path.relative_to(result.processed.parent.parent)}  ({size:,} bytes)")
    for name, rows in result.rows.items():
        print(f"  {name}: {rows} rows")
    print(f"done in {result.seconds:.2f} s")
    return 0


def _cmd_extract(args: argparse.Namespace) -> int:
    from aidstats.mentions import file_mentions, format_table

    for path in args.paths:
        records = file_mentions(path, published=args.published, root=args.root)
        if args.format == "table":
            sys.stdout.write(format_table(path, records))
        else:
            for record in records:
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


def _cmd_add(args: argparse.Namespace) -> int:
    from aidstats.intake import add_article
    from aidstats.paths import project_paths

    ask = input if sys.stdin is not None and sys.stdin.isatty() else None
    added = add_article(
        project_paths(args.root),
        args.path,
        article_id=args.article_id,
        title=args.title,
        published=args.published,
        outlet=args.outlet,
        ask=ask,
    )
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(added.mentions_by_kind.items())) or "none"
    print(f"added {added.article_id}: {added.file} ({added.encoding}, sha256 {added.sha256[:12]}…)")
    print(f"  blocks: {added.blocks}; mentions: {kinds}")
    print(
        f"  not yet curated: {added.unaccounted} (labelled automatically by the build; "
        f"`aidstats review {added.article_id}` drafts curated rows)"
    )
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    from aidstats.ingest import ingest
    from aidstats.paths import project_paths

    report = ingest(project_paths(args.root), args.source, relevant_only=args.relevant_only)
    for outcome in report.skipped:
        if outcome.status == "rejected":
            print(f"  {outcome.where}: rejected: {outcome.reason}")
    shown = [o for o in report.skipped if o.status != "rejected"]
    for outcome in shown[:SHOW_SKIPPED]:
        print(f"  {outcome.where}: {outcome.status} ({outcome.article_id}): {outcome.reason}")
    if len(shown) > SHOW_SKIPPED:
        print(f"  … and {len(shown) - SHOW_SKIPPED} more duplicate or irrelevant rows")
    for name in report.unlisted:
        print(f"  {name}: not in catalog.csv, not read")
    if report.repaired_bytes:
        print(
            f"  repaired catalog.jsonl: dropped a cut-off last line ({report.repaired_bytes} bytes)"
        )
    c = report.counts
    dropped = f", {c['irrelevant']} dropped as not relevant" if args.relevant_only else ""
    print(
        f"aidstats ingest: {report.rows} rows of {args.source}: {c['added']} added, "
        f"{c['duplicate']} skipped as duplicates{dropped}, {c['rejected']} rejected"
    )
    if report.interrupted:
        print(
            "interrupted: every article added so far is catalogued; run the same command "
            "again to add the rest",
            file=sys.stderr,
        )
        return 130
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from aidstats.build import compute_tables
    from aidstats.excel import write_workbook
    from aidstats.paths import project_paths

    path = write_workbook(
        compute_tables(project_paths(args.root)).frames, args.xlsx, generated=args.generated
    )
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from aidstats.paths import project_paths
    from aidstats.reports import render_reports

    paths = project_paths(args.root)
    if not (paths.processed / "figures.parquet").exists():
        from aidstats.build import build

        build(paths)
    for path in render_reports(paths):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


def _cmd_review(args: argparse.Namespace) -> int:
    from aidstats.paths import project_paths
    from aidstats.review import accept_review, draft_review

    paths = project_paths(args.root)
    if args.accept is not None:
        added = accept_review(paths, args.article_id, args.accept)
        print(
            f"merged {args.accept}: {added['figures']} figure(s) into {paths.registry.name}, "
            f"{added['exclusions']} exclusion(s), {added['indicators']} indicator(s); "
            "run `aidstats build`"
        )
        return 0
    result = draft_review(paths, args.article_id, draft=args.draft, force=args.force)
    print(f"{args.article_id}: {len(result.figures)} automatic figure(s) to review")
    for r in result.figures.itertuples():
        print(
            f"- {r.quote} → {r.subject_zh or '?'} [{r.category}/{r.measure}, "
            f"{r.period_start}–{r.period_end} {r.period_type}, {r.region or '?'}, "
            f"{r.donor or '?'}] confidence {r.confidence:.2f}"
        )
    if result.draft is not None:
        print(
            f"draft written to {result.draft}: correct it, then "
            f"`aidstats review {args.article_id} --accept {result.draft}`"
        )
    return 0


COMMANDS = {
    "build": _cmd_build,
    "extract": _cmd_extract,
    "add": _cmd_add,
    "ingest": _cmd_ingest,
    "export": _cmd_export,
    "report": _cmd_report,
    "review": _cmd_review,
    "triage": _cmd_review,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``aidstats`` console script."""
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except AidstatsError as exc:
        print(f"aidstats: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("aidstats: interrupted; data/processed/ was left as it was", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
