"""Stage 2, clean: rebuild paragraphs from newspaper pages flattened to text.

The raw texts are split into *blocks* (runs of non-blank lines). Page breaks cut
sentences across blocks (一栋栋 / 新房拔地而起), so one general rule rebuilds them: a body
block that does not end a sentence continues in the next body block. Every block is
classified (title, subtitle, byline, heading, paragraph, caption, credit).

Nothing is lost on the way: every character of the cleaned text carries the offset of
the raw character it came from, so a span found in clean text can be quoted from the
raw file (:meth:`CleanArticle.raw_span`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from aidstats.corpus import Article

SENTENCE_END = frozenset("。！？!?；;…")
CLOSERS = frozenset("”’」』）)》〉]】\"'")
CLAUSE_PUNCT = re.compile(r"[，,。；;：:！？!?、]")
SENTENCE_SPLIT = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)")
CREDIT = re.compile(r"^[（(].*(图片|摄|供图|提供|来源).*[）)]$|^(本报记者|记者|通讯员|摄影)")
NAME_LIKE = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
BYLINE_LIKE = re.compile(r"^[\u4e00-\u9fff]{1,4}(?:[\s\u3000、，,]+[\u4e00-\u9fff]{1,4}){0,5}$")
HEADING_MAX = 30


@dataclass(frozen=True)
class Mapped:
    """Text with, for each character, its offset in the raw article text."""

    text: str
    offsets: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.text) != len(self.offsets):
            raise ValueError("text and offsets differ in length")

    def __add__(self, other: Mapped) -> Mapped:
        return Mapped(self.text + other.text, self.offsets + other.offsets)

    @property
    def raw_start(self) -> int:
        return self.offsets[0]

    @property
    def raw_end(self) -> int:
        return self.offsets[-1] + 1


@dataclass(frozen=True)
class Block:
    """A run of non-blank raw lines; ``gap`` is the number of blank lines before it."""

    number: int
    gap: int
    body: Mapped
    kind: str = "paragraph"

    @property
    def text(self) -> str:
        return self.body.text


@dataclass(frozen=True)
class Paragraph:
    """A cleaned unit of text: one block, or several body blocks joined across page breaks."""

    number: int
    kind: str
    blocks: tuple[int, ...]
    body: Mapped

    @property
    def text(self) -> str:
        return self.body.text


class CleanTextLike(Protocol):
    """What the corpus stages read of a cleaned article: its id and cleaned text (a
    :class:`CleanArticle`, or the build's cached :class:`aidstats.perarticle.CleanText`)."""

    @property
    def article_id(self) -> str: ...

    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class CleanArticle:
    """The cleaned article: its blocks, paragraphs and one text with a raw offset map.

    ``text`` is the paragraphs joined by ``"\\n"``; each separator maps to the raw
    whitespace right before the next paragraph, every other character is identical to
    the raw character it maps to.
    """

    article_id: str
    raw: str
    blocks: tuple[Block, ...]
    paragraphs: tuple[Paragraph, ...]
    text: str = field(init=False)
    offsets: tuple[int, ...] = field(init=False)
    para_starts: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        parts: list[str] = []
        offsets: list[int] = []
        starts: list[int] = []
        for i, para in enumerate(self.paragraphs):
            if i:
                parts.append("\n")
                offsets.append(para.body.raw_start - 1)
            starts.append(len(offsets))
            parts.append(para.text)
            offsets.extend(para.body.offsets)
        object.__setattr__(self, "text", "".join(parts))
        object.__setattr__(self, "offsets", tuple(offsets))
        object.__setattr__(self, "para_starts", tuple(starts))

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw ``(start, end)`` covering clean ``text[start:end]`` (end exclusive)."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"bad clean span {start}:{end}")
        return self.offsets[start], self.offsets[end - 1] + 1

    def paragraph_at(self, pos: int) -> Paragraph:
        """The paragraph holding clean offset ``pos``."""
        lo, hi = 0, len(self.para_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.para_starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return self.paragraphs[lo]

    def sentence_at(self, start: int, end: int) -> str:
        """The full cleaned sentence(s) around clean ``text[start:end]``."""
        para = self.paragraph_at(start)
        base = self.para_starts[para.number - 1]
        rel_start, rel_end = start - base, end - base
        spans = [m.span() for m in SENTENCE_SPLIT.finditer(para.text) if m.end() > m.start()]
        first = next((a for a, b in spans if b > rel_start), 0)
        last = next((b for a, b in spans if b >= rel_end), len(para.text))
        return para.text[first:last].strip()


def split_blocks(raw: str) -> list[Block]:
    """Split raw text into blocks of non-blank lines, stripping each line's edges.

    Lines inside a block are joined without a separator (Chinese needs none); leading and
    trailing whitespace, including the full-width space U+3000, is dropped.
    """
    blocks: list[Block] = []
    chars: list[str] = []
    offsets: list[int] = []
    gap = 0
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", raw):
        line = match.group()
        if not line:
            continue
        content = line.rstrip("\r\n")
        stripped = content.strip()
        if not stripped:
            if chars:
                blocks.append(Block(len(blocks) + 1, gap, Mapped("".join(chars), tuple(offsets))))
                chars, offsets, gap = [], [], 0
            gap += 1
            continue
        lead = len(content) - len(content.lstrip())
        base = match.start() + lead
        chars.append(stripped)
        offsets.extend(range(base, base + len(stripped)))
    if chars:
        blocks.append(Block(len(blocks) + 1, gap, Mapped("".join(chars), tuple(offsets))))
    return blocks


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends a sentence (after any closing quotes or brackets)."""
    stripped = text.rstrip()
    while stripped and stripped[-1] in CLOSERS:
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in SENTENCE_END


def _squash(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def _is_label(text: str) -> bool:
    """Short and without clause punctuation: a heading or caption shape."""
    return len(text) <= HEADING_MAX and not CLAUSE_PUNCT.search(text)


def classify_blocks(
    blocks: Sequence[Block],
    *,
    title: str | None = None,
    subtitle: str | None = None,
    byline: str | None = None,
) -> list[str]:
    """Kind of each block, from its shape, its gap and its neighbours.

    - header: before the first body text, blocks matching the catalog's title, subtitle
      and byline (or, without them, the first block as title, name-like lines as
      byline, other short lines as subtitle);
    - a block right after an unfinished paragraph, with a single blank line between,
      continues that paragraph whatever its shape;
    - credit: a bracketed photo/source note, or a bare name right after a caption;
    - caption: a block set off by two or more blank lines, or a short line following a
      caption that does not lead into body text;
    - heading: a short line with no clause punctuation whose run of short lines leads
      into a paragraph;
    - paragraph: everything else.
    """
    kinds: list[str] = [""] * len(blocks)
    texts = [b.text for b in blocks]
    header = {"title": _squash(title), "subtitle": _squash(subtitle), "byline": _squash(byline)}

    i = 0
    while i < len(blocks):  # header zone
        squashed = _squash(texts[i])
        matched = next((k for k, v in header.items() if v and v == squashed), None)
        if matched:
            kinds[i] = matched
        elif i == 0 and not CLAUSE_PUNCT.search(texts[i]) and len(texts[i]) <= 40:
            kinds[i] = "title"
        elif (
            i > 0
            and blocks[i].gap <= 1
            and _is_label(texts[i])
            and not header["byline"]
            and (BYLINE_LIKE.match(texts[i]) and len(squashed) <= 12)
        ):
            kinds[i] = "byline"
        elif i > 0 and blocks[i].gap <= 1 and _is_label(texts[i]) and kinds[i - 1] == "title":
            kinds[i] = "subtitle"
        else:
            break
        i += 1

    def leads_into_paragraph(j: int) -> bool:
        while j < len(blocks) and blocks[j].gap <= 1 and _is_label(texts[j]):
            j += 1
        return j < len(blocks) and blocks[j].gap <= 1 and not _is_label(texts[j])

    open_paragraph = False
    for j in range(i, len(blocks)):
        text, gap = texts[j], blocks[j].gap
        prev = kinds[j - 1] if j else ""
        if open_paragraph and gap <= 1:
            kind = "paragraph"
        elif CREDIT.search(text) or (prev == "caption" and gap <= 1 and NAME_LIKE.match(text)):
            kind = "credit"
        elif gap >= 2 and (not open_paragraph or _is_label(text)):
            kind = "caption"
        elif gap <= 1 and _is_label(text) and leads_into_paragraph(j + 1):
            kind = "heading"
        elif prev in {"caption", "credit"} and gap <= 1 and _is_label(text):
            kind = "caption"
        else:
            kind = "paragraph"
        kinds[j] = kind
        if kind == "paragraph":
            open_paragraph = not ends_sentence(text)
    return kinds


def clean_article(article: Article) -> CleanArticle:
    """Blocks, classified and joined into paragraphs, for one article."""
    return clean_text(
        article.text,
        article_id=article.id,
        title=article.title,
        subtitle=article.subtitle,
        byline=article.byline,
    )


def clean_text(
    raw: str,
    *,
    article_id: str = "",
    title: str | None = None,
    subtitle: str | None = None,
    byline: str | None = None,
) -> CleanArticle:
    """Clean any raw text (see the module docstring)."""
    blocks = split_blocks(raw)
    kinds = classify_blocks(blocks, title=title, subtitle=subtitle, byline=byline)
    blocks = [Block(b.number, b.gap, b.body, k) for b, k in zip(blocks, kinds, strict=True)]
    paragraphs: list[Paragraph] = []
    pending: Paragraph | None = None
    for block in blocks:
        if block.kind == "paragraph" and pending is not None:
            pending = Paragraph(
                pending.number,
                "paragraph",
                (*pending.blocks, block.number),
                pending.body + block.body,
            )
            if ends_sentence(block.text):
                paragraphs.append(pending)
                pending = None
            continue
        para = Paragraph(0, block.kind, (block.number,), block.body)
        if block.kind == "paragraph" and not ends_sentence(block.text):
            pending = para
            continue
        paragraphs.append(para)
    if pending is not None:
        paragraphs.append(pending)
    paragraphs.sort(key=lambda p: p.body.raw_start)
    numbered = tuple(
        Paragraph(n, p.kind, p.blocks, p.body) for n, p in enumerate(paragraphs, start=1)
    )
    return CleanArticle(article_id, raw, tuple(blocks), numbered)
