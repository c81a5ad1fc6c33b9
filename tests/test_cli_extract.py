"""`aidstats extract`: JSON lines with the contract's field names, offsets into the file."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import aidstats
from aidstats.cli import main
from support import ARTICLES, ROOT

FIELDS = ["start", "end", "text", "kind", "value", "lower", "upper", "unit", "qualifier"]


def _jsonl(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    assert main(["--root", str(ROOT), "extract", *args]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_catalogued_article_uses_its_publication_date(capsys: pytest.CaptureFixture[str]) -> None:
    path = ARTICLES / "zj-aksu-2022.txt"
    rows = _jsonl(capsys, str(path))
    text = path.read_text(encoding="utf-8")
    assert rows and all(list(r) == FIELDS for r in rows)
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)
    # 去年8月 in an article of 2022 (catalog date) is August 2021
    last_aug = [r for r in rows if r["text"] == "去年8月"]
    assert last_aug and {r["value"] for r in last_aug} == {"2021-08"}
    sales = next(r for r in rows if r["text"] == "72.8亿元")
    assert (sales["value"], sales["unit"], sales["qualifier"]) == (7.28e9, "元", "exact")


def test_published_option_and_gbk_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "note.txt"
    text = "\u3000\u3000去年底,投入资金6000多万元。\r\n\r\n接诊37680余人次。\r\n"
    path.write_bytes(text.encode("gbk"))
    rows = _jsonl(capsys, str(path), "--published", "2022-06-01")
    assert [r["text"] for r in rows] == ["去年底", "6000多万元", "37680余人次"]
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)
    assert rows[0]["value"] == "2021-12"
    assert (rows[1]["lower"], rows[1]["upper"]) == (6.0e7, 7.0e7)
    # without a publication date a relative date stays unresolved
    rows = _jsonl(capsys, str(path))
    assert rows[0]["value"] is None


def test_table_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "--root",
                str(ROOT),
                "extract",
                "--format",
                "table",
                str(ARTICLES / "jx-shaya-2023.txt"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("# ") and "\tover\t" in out and "超17亿元" in out


def test_unreadable_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bin.txt"
    path.write_bytes(b"\x00\x01\x02binary")
    assert main(["extract", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("aidstats: error: ") and "bin.txt" in err and "\n" not in err


def test_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "去年底,投入资金6000多万元。\r\n"
    stdin = io.TextIOWrapper(io.BytesIO(text.encode("gb18030")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    rows = _jsonl(capsys, "-", "--published", "2022-06-01")
    assert [r["text"] for r in rows] == ["去年底", "6000多万元"]
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)


def test_closed_pipe_ends_quietly() -> None:
    """`aidstats extract … | head -1`: no BrokenPipeError traceback."""
    src = str(Path(aidstats.__file__).resolve().parents[1])
    paths = [str(p) for p in sorted(ARTICLES.iterdir())] * 10  # more than a pipe holds
    proc = subprocess.Popen(
        [sys.executable, "-m", "aidstats.cli", "extract", *paths],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin"},
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert json.loads(proc.stdout.readline())["text"]
    proc.stdout.close()  # what `head -1` does after its line
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) in (141, -13) and err == ""


def test_root_may_follow_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    path = ARTICLES / "zj-aksu-2022.txt"
    assert main(["extract", str(path), "--root", str(ROOT)]) == 0
    after = capsys.readouterr().out
    assert main(["--root", str(ROOT), "extract", str(path)]) == 0
    assert capsys.readouterr().out == after and "2021-08" in after


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("build", ["Rebuild data/processed/", "--strict", "--root"]),
        ("report", ["Execute every notebook", "data/processed/reports/", "--root"]),
        ("export", ["--xlsx PATH", "where to write the workbook", "--generated"]),
        ("extract", ["--format", "jsonl: one JSON object per mention", "standard input"]),
        ("add", ["Copy a text file verbatim", "--published"]),
    ],
)
def test_every_command_explains_itself(
    capsys: pytest.CaptureFixture[str], command: str, words: list[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main([command, "-h"])
    assert exc.value.code == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    for word in words:
        assert word in out, word
