"""The raw corpus: catalog, hashes, and robust decoding with one-line errors."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from aidstats.corpus import decode_text, load_corpus
from aidstats.errors import AidstatsError
from aidstats.paths import ProjectPaths
from support import ARTICLES, SEEDS

SEED_FOR = {"jx-shaya-2023": "000_b159e9f3102ea6b6.txt", "zj-aksu-2022": "002_2d178804f929af6f.txt"}


def test_raw_articles_are_the_seeds_byte_for_byte(real_paths: ProjectPaths) -> None:
    for art_id, seed in SEED_FOR.items():
        raw = (ARTICLES / f"{art_id}.txt").read_bytes()
        if SEEDS.is_dir():
            assert raw == (SEEDS / seed).read_bytes()
        # the digests the seeds were published with (by hand from `sha256sum`)
        expected = {
            "jx-shaya-2023": "560c00069f06438275126156fcaf38afcf3fe8cc2f12448480d67b6bd040d042",
            "zj-aksu-2022": "aeeb8bb24dd5c337ad5b3d6bf8305a77100c6384faddd7acc033d8ef630b70ed",
        }[art_id]
        assert hashlib.sha256(raw).hexdigest() == expected


def test_catalog_loads_both_articles_with_metadata(real_paths: ProjectPaths) -> None:
    arts = {a.id: a for a in load_corpus(real_paths)}
    assert set(arts) == {"jx-shaya-2023", "zj-aksu-2022"}
    jx, zj = arts["jx-shaya-2023"], arts["zj-aksu-2022"]
    assert jx.title in jx.text and jx.subtitle in jx.text
    assert zj.title in zj.text and zj.subtitle in zj.text and zj.byline in zj.text
    assert jx.outlet is None and "not printed" in jx.outlet_note.lower()
    assert jx.published_date.year == 2023 and zj.published_date.year == 2022
    assert "新年伊始" in jx.published_reasoning and "去年8月" in zj.published_reasoning
    assert "嘉兴市" in jx.donor and "沙雅县" in jx.recipient


def _only_line(exc: pytest.ExceptionInfo[AidstatsError]) -> str:
    message = str(exc.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("data", "pattern"),
    [
        (b"", r"empty"),
        (b"  \n\r\n\xe3\x80\x80\n", r"only whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"binary"),
        (bytes(range(0x80, 0x100)) * 8, r"(cannot decode|not plausible)"),
        ("援疆".encode("utf-16"), r"UTF-16"),
    ],
)
def test_bad_bytes_give_one_line_errors_naming_the_file(data: bytes, pattern: str) -> None:
    with pytest.raises(AidstatsError) as exc:
        decode_text(data, source="some/file.txt")
    message = _only_line(exc)
    assert message.startswith("some/file.txt: ")
    assert re.search(pattern, message)


def test_utf8_bom_gbk_crlf_and_fullwidth_space_are_read() -> None:
    text = "\u3000\u3000投入援疆资金4.5亿元。\r\n\r\n民生类项目61个。\r\n"
    assert decode_text(text.encode("utf-8"), source="x") == (text, "utf-8")
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8"), source="x") == (text, "utf-8-sig")
    assert decode_text(text.encode("gbk"), source="x") == (text, "gb18030")
    assert decode_text(text.encode("gb18030"), source="x") == (text, "gb18030")


def test_a_real_article_in_gbk_decodes_to_the_same_text() -> None:
    text = (ARTICLES / "jx-shaya-2023.txt").read_text(encoding="utf-8")
    assert decode_text(text.encode("gb18030"), source="x")[0] == text


def _edit_catalog(project: ProjectPaths, old: str, new: str) -> None:
    text = project.catalog.read_text(encoding="utf-8")
    assert old in text
    project.catalog.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_hash_mismatch_names_the_file(project: ProjectPaths) -> None:
    path = project.raw / "articles" / "zj-aksu-2022.txt"
    path.write_bytes(path.read_bytes().replace(b"72.8", b"82.7"))
    with pytest.raises(AidstatsError) as exc:
        load_corpus(project)
    message = _only_line(exc)
    assert "zj-aksu-2022.txt" in message and "sha256" in message and "must not be edited" in message


def test_missing_file_names_the_row(project: ProjectPaths) -> None:
    (project.raw / "articles" / "jx-shaya-2023.txt").unlink()
    with pytest.raises(AidstatsError) as exc:
        load_corpus(project)
    assert re.search(
        r"catalog.yaml: line \d+: article #1 \(jx-shaya-2023\): file .* does not exist",
        _only_line(exc),
    )


def test_duplicate_id_names_both_rows(project: ProjectPaths) -> None:
    _edit_catalog(project, "id: zj-aksu-2022", "id: jx-shaya-2023")
    with pytest.raises(AidstatsError) as exc:
        load_corpus(project)
    assert re.search(
        r"catalog.yaml: line \d+: article #2 \(jx-shaya-2023\): field 'id': duplicate id "
        r"'jx-shaya-2023', already used by article #1 \(line \d+\)",
        _only_line(exc),
    )


def test_empty_article_file_is_refused(project: ProjectPaths) -> None:
    path = project.raw / "articles" / "jx-shaya-2023.txt"
    path.write_bytes(b"")
    _edit_catalog(
        project,
        "560c00069f06438275126156fcaf38afcf3fe8cc2f12448480d67b6bd040d042",
        hashlib.sha256(b"").hexdigest(),
    )
    with pytest.raises(AidstatsError) as exc:
        load_corpus(project)
    assert "jx-shaya-2023.txt: the file is empty" in _only_line(exc)


def test_invalid_yaml_and_missing_fields(project: ProjectPaths) -> None:
    _edit_catalog(project, "  - id: zj-aksu-2022", "  - id: [zj-aksu-2022")
    with pytest.raises(AidstatsError) as exc:
        load_corpus(project)
    assert re.search(r"catalog.yaml: line \d+: invalid YAML", _only_line(exc))


def test_missing_required_field(project: ProjectPaths) -> None:
    _edit_catalog(project, '    published: "2022"\n', "")
    with pytest.raises(AidstatsError) as exc:
        load_corpus(project)
    assert "article #2 (zj-aksu-2022): missing published; add it" in _only_line(exc)


def test_bad_precision(project: ProjectPaths) -> None:
    _edit_catalog(project, "published_precision: year", "published_precision: day")
    with pytest.raises(AidstatsError) as exc:
        load_corpus(project)
    assert "published '2022' does not match published_precision 'day'" in _only_line(exc)


def test_gbk_article_in_catalog_keeps_its_bytes(project: ProjectPaths) -> None:
    path = project.raw / "articles" / "jx-shaya-2023.txt"
    text = path.read_text(encoding="utf-8")
    data = text.encode("gbk")
    path.write_bytes(data)
    _edit_catalog(
        project,
        "560c00069f06438275126156fcaf38afcf3fe8cc2f12448480d67b6bd040d042",
        hashlib.sha256(data).hexdigest(),
    )
    art = next(a for a in load_corpus(project) if a.id == "jx-shaya-2023")
    assert art.encoding == "gb18030" and art.text == text
    assert Path(art.file).read_bytes() == data
