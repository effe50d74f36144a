"""Plain text and Markdown → ParsedDocument: a page per file or form feed, headings → sections."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from policyminer.parse.layout import HEADING_NUMBER
from policyminer.parse.pdf import ParseError, sha256_file
from policyminer.parse.textclean import join_lines, normalize_text, vocabulary_of
from policyminer.records import Paragraph, ParsedDocument

MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
MD_LIST = re.compile(r"^(\s*)([-*+•]|\d{1,3}[.)])\s+(.*)$")
MD_TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
SETEXT = re.compile(r"^(=+|-+)\s*$")
FENCE = re.compile(r"^(```|~~~)")


def parse_text(path: Path, sha256: str | None = None) -> ParsedDocument:
    """Parse a .txt or .md file; '#' headings give sections, '-'/'*' items list paragraphs."""
    path = Path(path)
    text = read_text(path)
    markdown = path.suffix.lower() in (".md", ".markdown")
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    vocabulary = vocabulary_of(pages)
    state = _Sections()
    paragraphs: list[Paragraph] = []
    for number, page in enumerate(pages, start=1):
        blocks = markdown_blocks(page) if markdown else text_blocks(page)
        for kind, lines, level in blocks:
            paragraph = state.paragraph(number, kind, lines, level, vocabulary)
            if paragraph is not None:
                paragraphs.append(paragraph)
    if not paragraphs:
        raise ParseError("no text in the file (only white space)")
    # a .txt file has no marked-up title; its numbered lines are section headings, not titles
    title = (state.first_heading if markdown else "") or path.stem
    return ParsedDocument(
        path=path,
        sha256=sha256 or sha256_file(path),
        title=title,
        publisher=None,
        year=None,
        page_count=len(pages),
        paragraphs=paragraphs,
        format="md" if markdown else "txt",
    )


def read_text(path: Path) -> str:
    """The file decoded as UTF-8 (BOM or not), UTF-16 with a BOM, or Windows-1252; else an error."""
    try:
        data = path.read_bytes()
    except IsADirectoryError as err:
        raise ParseError("cannot read: it is a folder") from err
    except OSError as err:
        raise ParseError(f"cannot read: {err.strerror or err}") from err
    if not data:
        raise ParseError("empty file (0 bytes)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _newlines(data.decode("utf-16"))
        except UnicodeDecodeError as err:
            raise ParseError("cannot decode: broken UTF-16 text") from err
    try:
        return _newlines(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    # Older Norwegian text files are often Windows-1252; binary data has NULs and control bytes.
    if b"\x00" not in data:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = ""
        if text and not re.search(r"[\x01-\x08\x0b\x0e-\x1f\x7f]", text):
            return _newlines(text)
    raise ParseError("cannot decode: not a text file (neither UTF-8 nor Windows-1252)")


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


Block = tuple[str, list[str], int]  # kind, lines, heading level


def text_blocks(page: str) -> list[Block]:
    """Paragraphs split on blank lines; a lone short numbered line is a heading.

    Runs of tab-separated lines are tables: joined like prose, their cells would run together.
    """
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", page):
        lines = [line.strip(" \f\v\r") for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        number = HEADING_NUMBER.match(lines[0].strip())
        if len(lines) == 1 and number and len(lines[0]) <= 120 and not lines[0].endswith("."):
            blocks.append(("heading", [lines[0].strip()], number.group(1).count(".") + 1))
            continue
        for is_table, run in itertools.groupby(lines, key=lambda line: "\t" in line.strip()):
            rows = [line.strip() for line in run]
            blocks.append(("table", rows, 0) if is_table else ("body", rows, 0))
    return blocks


@dataclass
class _Builder:
    blocks: list[Block] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    kind: str = "body"

    def flush(self) -> None:
        if self.current:
            self.blocks.append((self.kind, self.current, 0))
        self.current, self.kind = [], "body"

    def start(self, kind: str, line: str) -> None:
        self.flush()
        self.kind, self.current = kind, [line]


def markdown_blocks(page: str) -> list[Block]:
    """Headings, paragraphs, list items and pipe tables of a Markdown page."""
    out = _Builder()
    in_fence = False
    blank = False  # a blank line ends a paragraph; after a list item only unindented text does
    for raw in page.split("\n"):
        stripped = raw.strip()
        if FENCE.match(stripped):
            in_fence = not in_fence
            out.flush()
            continue
        if in_fence:
            if stripped:
                out.current.append(stripped)
            continue
        if not stripped:
            blank = True
            if out.kind != "list":
                out.flush()
            continue
        heading = MD_HEADING.match(stripped)
        item = MD_LIST.match(raw)
        if heading:
            out.flush()
            out.blocks.append(("heading", [heading.group(2)], len(heading.group(1))))
        elif SETEXT.match(stripped) and out.kind == "body" and len(out.current) == 1 and not blank:
            out.blocks.append(("heading", out.current, 1 if stripped.startswith("=") else 2))
            out.current = []
        elif stripped.startswith("|"):
            if out.kind == "table" and not blank:
                out.current.append(stripped)
            else:
                out.start("table", stripped)
        elif item:
            out.start("list", item.group(3))
        elif (not blank and out.kind in ("list", "body")) or (
            out.kind == "list" and raw[:1].isspace()
        ):
            out.current.append(stripped)
        else:
            out.start("body", stripped)
        blank = False
    out.flush()
    return out.blocks


def _table_text(lines: list[str]) -> str:
    rows = []
    for line in lines:
        if MD_TABLE_RULE.match(line):
            continue
        line = line.strip()
        raw_cells = line.split("\t") if "\t" in line else line.strip("|").split("|")
        cells = [normalize_text(c) for c in raw_cells]
        rows.append(" | ".join(cells))
    return "\n".join(rows)


@dataclass
class _Sections:
    """Tracks the heading path while paragraphs are emitted in order."""

    path: list[tuple[int, str]] = field(default_factory=list)
    first_heading: str = ""

    def paragraph(
        self, page: int, kind: str, lines: list[str], level: int, vocabulary: set[str]
    ) -> Paragraph | None:
        if kind == "table":
            text = _table_text(lines)
        else:
            text = normalize_text(join_lines(lines, vocabulary))
            text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)  # Markdown emphasis is not text
        if not text:
            return None
        if kind == "heading":
            self.first_heading = self.first_heading or text
            while self.path and self.path[-1][0] >= level:
                self.path.pop()
            self.path.append((level, text))
        section_path = tuple(t for _, t in self.path)
        section = section_path[-1] if section_path else ""
        return Paragraph(page, text, section, section_path, kind)
