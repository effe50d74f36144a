"""Documents without printed pages (Word files, web pages): headings give sections, and each
section is a page.

Neither format has printed pages, so a citation's "page" is the section's number in the document:
a new heading starts a new page (citations say so: `records.is_paged`). What both readers share:
the builder of paragraphs and sections, table rows as text, and notes found by their labels.
`parse.word` reads Word files, `parse.webpage` saved web pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from policyminer.parse.pdf import (
    ParseError,
    is_placeholder_author,
    sha256_file,
    single_year,
    year_from_date,
)
from policyminer.parse.textclean import aligned_cells, normalize_text
from policyminer.records import NoteRef, Paragraph, ParsedDocument

# a footnote mark as a page sets it: a raised label, perhaps bracketed ("¹", "[2]", "*")
NOTE_MARK = re.compile(r"^\[?(\d{1,3}|[*†‡])\]?$")


@dataclass
class SectionBuilder:
    """Paragraphs with section paths; every heading opens a new page."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    path: list[tuple[int, str]] = field(default_factory=list)
    page: int = 1

    def heading(self, level: int, text: str) -> None:
        text = normalize_text(text)
        if not text:
            return
        if self.paragraphs:
            self.page += 1
        while self.path and self.path[-1][0] >= level:
            self.path.pop()
        self.path.append((level, text))
        self.add("heading", text)

    def add(self, kind: str, text: str, notes: tuple[NoteRef, ...] = ()) -> None:
        text = text if kind == "table" else normalize_text(text)
        if not text.strip():
            return
        section_path = tuple(t for _, t in self.path)
        section = section_path[-1] if section_path else ""
        self.paragraphs.append(Paragraph(self.page, text, section, section_path, kind, notes))

    def document(
        self,
        path: Path,
        sha256: str | None,
        title: str,
        fmt: str,
        publisher: str = "",
        dated: str = "",
    ) -> ParsedDocument:
        """The document read; `publisher` and `dated` (a date as the file records it, year
        first) from its properties, the year printed on its first page preferred."""
        if not self.paragraphs:
            raise ParseError("no text found in the document")
        first = next((p.text for p in self.paragraphs if p.kind == "heading"), "")
        publisher = normalize_text(publisher)
        if is_placeholder_author(publisher):
            publisher = ""
        return ParsedDocument(
            path=path,
            sha256=sha256 or sha256_file(path),
            title=normalize_text(title) or first or path.stem,
            publisher=publisher or None,
            year=self.printed_year() or year_from_date(dated),
            page_count=self.page,
            paragraphs=self.paragraphs,
            format=fmt,
            page_layouts={n: "full" for n in range(1, self.page + 1)},
        )

    def printed_year(self) -> int | None:
        """The one year the first page (the text before the second heading) prints, if one."""
        first_page = [p.text for p in self.paragraphs if p.page == 1 and p.kind != "toc"]
        return single_year(" ".join(first_page))


def table_text(rows: list[list[str]]) -> str:
    """Rows of cell texts as lines of ' | '-separated cells (see `textclean.aligned_cells`: an
    empty cell before a row's last value reads "–", so values stay under their columns); empty
    rows, and columns empty in every row, are left out."""
    cells = [[normalize_text(c) for c in row] for row in rows]
    kept = sorted({i for row in cells for i, cell in enumerate(row) if cell})
    return "\n".join(
        aligned_cells([row[i] if i < len(row) else "" for i in kept]) for row in cells if any(row)
    )


def link_typed_notes(paragraphs: list[Paragraph]) -> None:
    """References of typed marks get the text of the one note paragraph with their label;
    a label no note has that reads as consecutive labels run together ("78" where notes 7 and
    8 exist: two raised marks side by side become one run) is those references."""
    texts: dict[str, list[str]] = {}
    for para in paragraphs:
        if para.kind == "footnote" and " " in para.text:
            label, text = para.text.split(" ", 1)
            texts.setdefault(label, []).append(text)
    unique = {label: found[0] for label, found in texts.items() if len(found) == 1}
    for i, para in enumerate(paragraphs):
        linked = tuple(ref for n in para.notes for ref in _linked(n, unique))
        if linked != para.notes:
            paragraphs[i] = replace(para, notes=linked)


def _linked(ref: NoteRef, notes: dict[str, str]) -> list[NoteRef]:
    if ref.note:
        return [ref]
    if ref.label in notes:
        return [replace(ref, note=notes[ref.label])]
    run = _consecutive(ref.label, notes)
    return [replace(ref, label=label, note=notes[label]) for label in run] if run else [ref]


def _consecutive(label: str, notes: dict[str, str]) -> list[str]:
    """`label` cut into two or more consecutive note numbers that all have notes, else []."""
    for cut in range(1, len(label)):
        head, rest = label[:cut], label[cut:]
        if head not in notes or not head.isdigit():
            continue
        following = str(int(head) + 1)
        if rest == following and rest in notes:
            return [head, rest]
        tail = _consecutive(rest, notes) if rest.startswith(following) else []
        if tail and tail[0] == following:
            return [head, *tail]
    return []


def note_pages(paragraphs: list[Paragraph]) -> None:
    """Each linked reference gets the page (section) its note was emitted on."""
    # a footnote paragraph reads "label text"
    page_of = {p.text.split(" ", 1)[-1]: p.page for p in paragraphs if p.kind == "footnote"}
    for i, para in enumerate(paragraphs):
        if para.notes:
            notes = tuple(replace(n, note_page=page_of.get(n.note, 0)) for n in para.notes)
            paragraphs[i] = replace(para, notes=notes)
