"""`aidstats extract`: JSON lines with the contract's field names, offsets into the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
