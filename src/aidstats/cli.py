"""The ``aidstats`` command line: a thin layer over the package's functions."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aidstats._version import __version__
from aidstats.errors import AidstatsError

SHOW_ARTICLES = 50  # per-article lines printed by `aidstats build` (all are in articles.csv)
SHOW_SKIPPED = 20  # duplicate and irrelevant rows listed by `aidstats ingest` (all rejects are)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in YYYY-MM-DD form") from None


def _root_option(parser: argparse.ArgumentParser, *, default: object) -> None:
    parser.add_argument(
        "--root",
        type=Path,
        default=default,
        help="project folder holding data/raw/catalog.yaml (default: found from the "
        "current folder, or $AIDSTATS_ROOT); may come before or after the command",
    )


def _command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, summary: str, text: str
) -> argparse.ArgumentParser:
    """A subcommand with a one-line summary (in ``aidstats -h``), a description (in its
    own ``-h``) and ``--root`` (so it may follow the command too)."""
    cmd = sub.add_parser(name, help=summary, description=text)
    _root_option(cmd, default=argparse.SUPPRESS)
    return cmd


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aidstats",
        description="Figures from Chinese paired-aid news reports as tidy, traceable tables.",
    )
    parser.add_argument("--version", action="version", version=f"aidstats {__version__}")
    _root_option(parser, default=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    for add_command in (_build_command, _extract_command, _intake_commands, _export_commands):
        add_command(sub)
    return parser


def _build_command(sub: Any) -> None:
    """The build command and its options."""
    bld = _command(
        sub,
        "build",
        "rebuild data/processed/ from data/raw/",
        "Rebuild data/processed/ from data/raw/: curated figures from the registry, "
        "automatic figures for every other quantity mention, analyses, charts, workbook. "
        "Only the build's own files are replaced (others in data/processed/ are kept), "
        "and an interrupted build leaves the complete previous outputs.",
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


def _extract_command(sub: Any) -> None:
    """The extract command."""
    ext = _command(
        sub,
        "extract",
        "list every quantity mention in text files (JSON lines or a table)",
        "List every quantity mention of text files (UTF-8 or GB18030), with offsets into "
        "the decoded file text. PATH - reads standard input.",
    )
    ext.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ext.add_argument(
        "--published",
        type=_date,
        default=None,
        help="publication date for 去年/今年 (default: the catalog date for catalogued "
        "articles, none otherwise)",
    )
    ext.add_argument(
        "--format",
        choices=["jsonl", "table"],
        default="jsonl",
        help="jsonl: one JSON object per mention (default); table: tab-separated, for people",
    )


def _intake_commands(sub: Any) -> None:
    """The add and ingest commands (articles into data/raw/)."""
    add = _command(
        sub,
        "add",
        "copy a new article into data/raw/ and catalogue it",
        "Copy a text file verbatim into data/raw/articles/, append its catalog entry and "
        "report what it holds. Safe to run concurrently and to retry after a failure.",
    )
    add.add_argument("path", type=Path, metavar="PATH")
    add.add_argument("--id", dest="article_id", default=None, help="article id (a-z, 0-9, -)")
    add.add_argument("--title", default=None, help="title as printed")
    add.add_argument("--published", default=None, help="YYYY, YYYY-MM or YYYY-MM-DD")
    add.add_argument("--outlet", default=None, help="newspaper, if known")

    ing = _command(
        sub,
        "ingest",
        "add many articles at once from a folder (.txt + catalog.csv) or a "
        ".jsonl/.csv/.parquet file",
        "Add every good row of SOURCE to the corpus: texts kept byte for byte under "
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


def _export_commands(sub: Any) -> None:
    """The export, report and review (triage) commands."""
    exp = _command(
        sub,
        "export",
        "write the Excel summary workbook to a path",
        "Build the tables in memory and write the Excel summary workbook to PATH "
        "(data/processed/ is not touched).",
    )
    exp.add_argument(
        "--xlsx",
        type=Path,
        required=True,
        metavar="PATH",
        help="where to write the workbook (.xlsx); its folder must exist",
    )
    exp.add_argument(
        "--generated",
        default=None,
        metavar="YYYY-MM-DD",
        help="date printed and stamped in the workbook (default: the latest publication date, "
        "so the same data gives the same file)",
    )

    _command(
        sub,
        "report",
        "execute the notebooks and write offline HTML reports to data/processed/reports/",
        "Execute every notebook in notebooks/ against the processed tables (building them "
        "first if missing) and write self-contained HTML reports, plotly.js embedded, to "
        "data/processed/reports/.",
    )

    for name in ("review", "triage"):
        rev = _command(
            sub,
            name,
            "draft curated rows from an article's automatic figures, or merge an edited draft"
            + (" (old name of review)" if name == "triage" else ""),
            "Write a YAML draft of curated registry rows for an article's automatic figures, "
            "or with --accept merge an edited draft into the human layer.",
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
    from aidstats.mentions import file_mentions, format_table, stdin_mentions

    for path in args.paths:
        if str(path) == "-":
            records = stdin_mentions(sys.stdin.buffer, published=args.published)
        else:
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

    target: Path = args.xlsx
    if target.is_dir():
        raise AidstatsError(
            f"{target}: is a folder; give a file name such as {target}/summary.xlsx"
        )
    if not target.parent.is_dir():
        raise AidstatsError(
            f"{target}: folder {target.parent} does not exist; create it first or pick another"
        )
    tables = compute_tables(project_paths(args.root))
    path = write_workbook(tables.frames, target, generated=args.generated)
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from aidstats.paths import project_paths
    from aidstats.reports import render_reports

    paths = project_paths(args.root)
    if not paths.table("figures").exists():
        from aidstats.build import build

        build(paths)
    for path in render_reports(paths):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


def _shown(value: object) -> str:
    """A field as the review listing prints it: ? when unknown (None, NaN, empty)."""
    from aidstats.formatting import is_missing

    return "?" if is_missing(value) or value == "" else str(value)


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
            f"- {r.quote} → {_shown(r.subject_zh)} [{r.category}/{r.measure}, "
            f"{_shown(r.period_start)}–{_shown(r.period_end)} {r.period_type}, "
            f"{_shown(r.region)}, {_shown(r.donor)}] confidence {r.confidence:.2f}"
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


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that clean-up code runs."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def _quiet_stdout() -> None:
    """After a closed pipe (``aidstats extract … | head -1``): no more writes, no warning."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    return _main(argv)[0]


def _main(argv: Sequence[str] | None) -> tuple[int, str]:
    """:func:`main`, also saying which command ran."""
    args = _parser().parse_args(argv)
    handle_term = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if handle_term else None
    try:
        return _run(args), args.command
    finally:
        if handle_term and previous is not None:
            signal.signal(signal.SIGTERM, previous)


# Commands that leave nothing for the interpreter's own shutdown to do: every file, lock,
# worker pool and Dask cluster they use is closed by its ``with`` block before they return.
FAST_EXIT = frozenset({"build", "ingest"})


def console() -> None:
    """Entry point of the ``aidstats`` console script: :func:`main`, then exit.

    After the commands of :data:`FAST_EXIT` the process ends at once (``os._exit``, output
    flushed first) instead of through the interpreter's shutdown, which frees the module
    state of pandas, Arrow and pandera one object at a time: ~0.2 s, 4% of an incremental
    build of 1,000 articles, spent after the work is done. Other commands (notebook
    kernels, say) exit the ordinary way."""
    code, command = _main(None)
    if command in FAST_EXIT:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(code)
    sys.exit(code)


def _run(args: argparse.Namespace) -> int:
    """Run one command; every failure becomes one line on stderr and an exit status."""
    from aidstats.outputs import os_error

    try:
        code = COMMANDS[args.command](args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _quiet_stdout()
        return 141  # what a shell reports for a command stopped by SIGPIPE
    except AidstatsError as exc:
        print(f"aidstats: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"aidstats: error: {os_error(exc, doing=args.command)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        what = "terminated" if isinstance(exc, Terminated) else "interrupted"
        print(f"aidstats: {what}; no file was left half-written", file=sys.stderr)
        return 143 if isinstance(exc, Terminated) else 130


if __name__ == "__main__":
    console()
