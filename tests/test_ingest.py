"""`aidstats ingest`: every source shape, duplicates, bad rows by number, --relevant-only,
and a consistent catalog after an interruption (expected outcomes worked out by hand)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import signal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from aidstats import ingest as ingest_module
from aidstats.cli import main
from aidstats.corpus import catalog_entries, load_corpus
from aidstats.errors import AidstatsError
from aidstats.ingest import ingest, normalise_date
from aidstats.intake import add_article
from aidstats.paths import ProjectPaths

AKSU = "浙江省对口支援阿克苏地区，今年投入援疆资金12亿元，援建学校5所。\n"
KASHGAR = "上海市对口支援喀什地区三年来，累计实施援疆项目300个，带动就业2万人。\n"
HOTAN = "北京援疆和田，今年安排资金8.5亿元，其中民生项目占80%。\n"
TOURISM = "国庆假期，喀什古城接待游客30万人次，同比增长20%。\n"  # Xinjiang, but no aid


def _rows() -> list[dict[str, object]]:
    return [
        {"id": "zj-aksu-x1", "title": "浙阿携手", "published": "2023-05-06", "text": AKSU},
        {"id": "sh-kashgar-x1", "title": "沪喀同心", "published": "2023/5", "text": KASHGAR},
        {
            "id": "bj-hotan-x1",
            "title": "京和同心",
            "published": "2024年3月2日",
            "text": HOTAN,
            "outlet": "和田日报",
            "url": "https://example.org/a",
            "donor": "北京市",
            "recipient": "和田市;墨玉县",
        },
    ]


def _jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def _ingested(paths: ProjectPaths) -> list[dict[str, object]]:
    return [json.loads(line) for line in paths.ingested_catalog.read_text("utf-8").splitlines()]


def _consistent(paths: ProjectPaths) -> None:
    """Every catalogued file exists and matches its sha256 (load_corpus checks both)."""
    for entry in catalog_entries(paths):
        data = (paths.raw / str(entry["file"])).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]


def test_jsonl_rows_are_kept_byte_for_byte_and_catalogued(
    project: ProjectPaths, tmp_path: Path
) -> None:
    report = ingest(project, _jsonl(tmp_path / "a.jsonl", _rows()))
    assert report.counts == {"added": 3, "duplicate": 0, "irrelevant": 0, "rejected": 0}
    entries = {e["id"]: e for e in _ingested(project)}
    hotan = entries["bj-hotan-x1"]
    stored = (project.raw / str(hotan["file"])).read_bytes()
    assert stored == HOTAN.encode("utf-8")
    assert hotan["sha256"] == hashlib.sha256(HOTAN.encode()).hexdigest()
    assert str(hotan["file"]).startswith(f"articles/ingested/{hotan['sha256'][:2]}/")
    assert (hotan["published"], hotan["published_precision"]) == ("2024-03-02", "day")
    assert (hotan["donor"], hotan["recipient"]) == (["北京市"], ["和田市", "墨玉县"])
    assert (hotan["outlet"], hotan["url"]) == ("和田日报", "https://example.org/a")
    assert entries["sh-kashgar-x1"]["published"] == "2023-05"
    ids = [a.id for a in load_corpus(project)]
    assert ids == ["jx-shaya-2023", "zj-aksu-2022", "zj-aksu-x1", "sh-kashgar-x1", "bj-hotan-x1"]


def test_csv_source(project: ProjectPaths, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "title", "published", "text", "outlet"])
        writer.writerow(["zj-aksu-x1", "浙阿携手", "2023-05-06", AKSU, ""])
        writer.writerow(["sh-kashgar-x1", "沪喀同心", "2023", KASHGAR, "沪疆时报", "extra"])
    report = ingest(project, path)
    assert report.counts["added"] == 1
    (bad,) = report.skipped
    assert (bad.number, bad.status) == (2, "rejected")
    assert "6 fields where the header has 5" in bad.reason
    assert (project.raw / str(_ingested(project)[0]["file"])).read_bytes() == AKSU.encode()


def test_parquet_source_with_date_values(project: ProjectPaths, tmp_path: Path) -> None:
    table = pa.table(
        {
            "id": ["zj-aksu-x1", "sh-kashgar-x1"],
            "title": ["浙阿携手", "沪喀同心"],
            "published": [dt.date(2023, 5, 6), dt.date(2022, 12, 31)],
            "text": [AKSU, KASHGAR],
        }
    )
    pq.write_table(table, tmp_path / "a.parquet")
    report = ingest(project, tmp_path / "a.parquet")
    assert report.counts["added"] == 2
    assert [e["published"] for e in _ingested(project)] == ["2023-05-06", "2022-12-31"]


def test_folder_source_keeps_each_files_encoding(project: ProjectPaths, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "a.txt").write_bytes(AKSU.encode("gb18030"))
    (folder / "sh-kashgar-x1.txt").write_bytes(KASHGAR.replace("\n", "\r\n").encode("utf-8"))
    (folder / "c.txt").write_bytes(HOTAN.encode("utf-16"))  # UTF-16: refused
    (folder / "stray.txt").write_bytes(AKSU.encode())  # not in catalog.csv
    (folder / "catalog.csv").write_text(
        "id,title,published,file\n"
        "zj-aksu-x1,浙阿携手,2023-05-06,a.txt\n"
        "sh-kashgar-x1,沪喀同心,2023-05,\n"
        "bj-hotan-x1,京和同心,2024-03-02,c.txt\n"
        "xj-missing,缺文件,2024-03-02,nothing.txt\n",
        encoding="utf-8",
    )
    report = ingest(project, folder)
    assert report.counts["added"] == 2
    assert [(o.number, o.status) for o in report.skipped] == [(3, "rejected"), (4, "rejected")]
    assert "UTF-16" in report.skipped[0].reason
    assert "nothing.txt not found" in report.skipped[1].reason
    assert report.unlisted == ["stray.txt"]
    by_id = {e["id"]: e for e in _ingested(project)}
    stored = (project.raw / str(by_id["zj-aksu-x1"]["file"])).read_bytes()
    assert stored == AKSU.encode("gb18030")
    articles = {a.id: a for a in load_corpus(project)}
    assert articles["zj-aksu-x1"].encoding == "gb18030"
    assert articles["sh-kashgar-x1"].text == KASHGAR.replace("\n", "\r\n")


def test_bad_rows_are_reported_by_number_and_never_stop_the_batch(
    project: ProjectPaths, tmp_path: Path
) -> None:
    good = _rows()
    path = tmp_path / "a.jsonl"
    lines = [
        json.dumps(good[0], ensure_ascii=False).encode(),  # 1 added
        b'{"id": "broken", "title": ',  # 2 malformed JSON
        json.dumps({**good[1], "text": ""}).encode(),  # 3 empty text
        json.dumps({**good[1], "published": None}).encode(),  # 4 missing date
        json.dumps({**good[1], "published": "2023-13-40"}).encode(),  # 5 no such day
        json.dumps({**good[1], "published": "next spring"}).encode(),  # 6 odd date
        json.dumps(good[1], ensure_ascii=False).encode().replace("沪".encode(), b"\xff\xfe"),  # 7
        json.dumps({**good[1], "title": "  "}).encode(),  # 8 missing title
        json.dumps({**good[1], "id": "Bad Id!"}).encode(),  # 9 id
        json.dumps(["not", "an", "object"]).encode(),  # 10
        json.dumps({**good[1], "text": "   \n  "}).encode(),  # 11 whitespace only
        json.dumps(good[2], ensure_ascii=False).encode(),  # 12 added
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    report = ingest(project, path)
    assert report.counts == {"added": 2, "duplicate": 0, "irrelevant": 0, "rejected": 10}
    reasons = {o.number: o.reason for o in report.skipped}
    assert list(reasons) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert reasons[2].startswith("malformed JSON")
    assert reasons[3] == "empty text"
    assert reasons[4].startswith("missing date")
    assert "no such day" in reasons[5]
    assert reasons[6].startswith("odd date 'next spring'")
    assert reasons[7].startswith("not UTF-8")
    assert reasons[8] == "missing title"
    assert "'Bad Id!'" in reasons[9]
    assert reasons[10] == "not a JSON object of columns"
    assert "only whitespace" in reasons[11]
    _consistent(project)


def test_duplicates_by_text_and_by_id(project: ProjectPaths, tmp_path: Path) -> None:
    rows = _rows()
    rows.append({**rows[0], "id": "zj-aksu-x2"})  # same text, other id
    rows.append({**rows[1], "text": HOTAN + "又及。\n"})  # same id, other text
    shipped = (project.raw / "articles" / "zj-aksu-2022.txt").read_text("utf-8")
    rows.append({"id": "zj-again", "title": "t", "published": "2022", "text": shipped})
    report = ingest(project, _jsonl(tmp_path / "a.jsonl", rows))
    assert report.counts["added"] == 3
    dups = {o.number: o.reason for o in report.skipped if o.status == "duplicate"}
    assert dups == {
        4: "same text (sha256) as article zj-aksu-x1",
        5: "id sh-kashgar-x1 is already in the corpus",
        6: "same text (sha256) as article zj-aksu-2022",
    }


def test_relevant_only_drops_and_counts(project: ProjectPaths, tmp_path: Path) -> None:
    tour = {"id": "kashgar-tour", "title": "古城旺季", "published": "2023", "text": TOURISM}
    rows = [*_rows(), tour]
    path = _jsonl(tmp_path / "a.jsonl", rows)
    report = ingest(project, path, relevant_only=True)
    assert report.counts == {"added": 3, "duplicate": 0, "irrelevant": 1, "rejected": 0}
    (dropped,) = report.skipped
    assert (dropped.number, dropped.article_id) == (4, "kashgar-tour")
    assert "no aid or cooperation cue" in dropped.reason


def test_interrupted_ingest_leaves_a_consistent_catalog_and_resumes(
    project: ProjectPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _jsonl(tmp_path / "a.jsonl", _rows())
    real, calls = ingest_module.atomic_write_bytes, []

    def ctrl_c_on_third(target: Path, data: bytes) -> None:
        calls.append(target)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real(target, data)

    monkeypatch.setattr(ingest_module, "atomic_write_bytes", ctrl_c_on_third)
    first = ingest(project, path)
    assert first.interrupted and first.counts["added"] == 2
    _consistent(project)
    monkeypatch.setattr(ingest_module, "atomic_write_bytes", real)
    again = ingest(project, path)
    assert not again.interrupted
    assert (again.counts["added"], again.counts["duplicate"]) == (1, 2)
    assert [e["id"] for e in _ingested(project)] == ["zj-aksu-x1", "sh-kashgar-x1", "bj-hotan-x1"]


def test_ctrl_c_while_writing_a_row_finishes_that_row(
    project: ProjectPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = ingest_module.atomic_write_bytes

    def signalled(target: Path, data: bytes) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C between the file and its catalog line
        real(target, data)

    monkeypatch.setattr(ingest_module, "atomic_write_bytes", signalled)
    report = ingest(project, _jsonl(tmp_path / "a.jsonl", _rows()))
    assert report.interrupted and report.counts["added"] == 1
    assert [e["id"] for e in _ingested(project)] == ["zj-aksu-x1"]
    _consistent(project)


def test_a_cut_off_last_catalog_line_is_repaired(project: ProjectPaths, tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "a.jsonl", _rows())
    ingest(project, path)
    whole = project.ingested_catalog.read_bytes()
    project.ingested_catalog.write_bytes(whole[:-40])  # a crash in the middle of line 3
    with pytest.raises(AidstatsError, match=r"line 3: not valid JSON.*run `aidstats ingest` again"):
        catalog_entries(project)
    report = ingest(project, path)
    assert report.repaired_bytes == len(whole.splitlines(keepends=True)[-1]) - 40
    assert (report.counts["added"], report.counts["duplicate"]) == (1, 2)
    assert project.ingested_catalog.read_bytes() == whole


def test_add_still_works_beside_ingested_articles(project: ProjectPaths, tmp_path: Path) -> None:
    ingest(project, _jsonl(tmp_path / "a.jsonl", _rows()))
    same = tmp_path / "same.txt"
    same.write_text(AKSU, encoding="utf-8")
    with pytest.raises(AidstatsError, match="already in the corpus as article zj-aksu-x1"):
        add_article(project, same, title="t", published="2023")
    other = tmp_path / "new.txt"
    other.write_text(AKSU + "再见。\n", encoding="utf-8")
    add_article(project, other, article_id="zj-new", title="t", published="2023")
    assert [a.id for a in load_corpus(project)][-1] == "bj-hotan-x1"  # YAML first, then JSONL
    assert "zj-new" in {a.id for a in load_corpus(project)}


def test_cli_reports_rows_and_counts(
    project: ProjectPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [*_rows(), {"id": "x-bad", "title": "t", "published": "2999-01-01", "text": AKSU}]
    path = _jsonl(tmp_path / "a.jsonl", rows)
    assert main(["--root", str(project.root), "ingest", str(path), "--relevant-only"]) == 0
    out = capsys.readouterr().out
    assert "row 4: rejected: odd date '2999-01-01': before 1949 or in the future" in out
    assert out.strip().endswith(
        "4 rows of " + str(path) + ": 3 added, 0 skipped as duplicates, "
        "0 dropped as not relevant, 1 rejected"
    )


def test_unknown_source_and_missing_columns_stop_with_one_line(
    project: ProjectPaths, tmp_path: Path
) -> None:
    odd = tmp_path / "a.xml"
    odd.write_text("<a/>")
    with pytest.raises(AidstatsError, match=r"unknown source type \.xml"):
        ingest(project, odd)
    no_text = tmp_path / "a.csv"
    no_text.write_text("id,title,published\nx1,t,2023\n", encoding="utf-8")
    with pytest.raises(AidstatsError, match="no column text"):
        ingest(project, no_text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023", ("2023", "year")),
        ("2023年", ("2023", "year")),
        ("2023-7", ("2023-07", "month")),
        ("2023年7月", ("2023-07", "month")),
        ("2023.07.09", ("2023-07-09", "day")),
        ("2023-07-09T08:30:00+08:00", ("2023-07-09", "day")),
        (dt.datetime(2021, 1, 2, 3, 4), ("2021-01-02", "day")),
        (2020, ("2020", "year")),
    ],
)
def test_dates_are_normalised(value: object, expected: tuple[str, str]) -> None:
    assert normalise_date(value) == expected


@pytest.mark.parametrize("value", ["", None, "1900-01-01", "2023-02-30", "07/09/2023", "soon"])
def test_odd_dates_are_refused(value: object) -> None:
    with pytest.raises(ValueError):
        normalise_date(value)
