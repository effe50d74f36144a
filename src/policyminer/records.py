"""Small typed records that cross stage boundaries (pdf → chunking → catalog → search)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


def section_mark(section: str, space: str = "") -> str:
    """A section as citations name it: "§" and its heading, unless the heading opens with a
    section sign of its own (a regulation's "§ 7.2 Torg og møteplasser")."""
    return section if section.startswith("§") else f"§{space}{section}"


@dataclass(frozen=True)
class NoteRef:
    """A footnote reference in a paragraph: where its raised mark stood, and the note it calls."""

    offset: int  # in the paragraph's text, just after the word or sign the mark followed
    label: str  # as printed: "12", "*"
    note: str = ""  # the footnote's text without its label; "" when no note was found
    note_page: int = 0  # the page the note is printed on (0: not found)

    def shifted(self, by: int) -> NoteRef:
        return NoteRef(self.offset + by, self.label, self.note, self.note_page)

    def to_dict(self) -> dict[str, object]:
        """The JSON shape: {"label", "offset", "note", "page"} (page of the note, 0 unknown)."""
        return {
            "label": self.label,
            "offset": self.offset,
            "note": self.note,
            "page": self.note_page,
        }


@dataclass(frozen=True)
class Paragraph:
    """A clean paragraph of body text, or a heading, table row block or footnote."""

    page: int  # physical page, 1-based, as a PDF viewer counts it
    text: str
    section: str = ""  # innermost heading, e.g. "4.3.2 Digitale hjemmetjenester"
    section_path: tuple[str, ...] = ()  # outermost → innermost heading
    kind: str = "body"  # body | heading | list | table | footnote | box | toc | references
    notes: tuple[NoteRef, ...] = ()  # footnote references, in text order


@dataclass
class ParsedDocument:
    """What the parser saw in one file."""

    path: Path
    sha256: str
    title: str
    publisher: str | None
    year: int | None
    page_count: int
    paragraphs: list[Paragraph] = field(default_factory=list)
    format: str = "pdf"
    # how each page was read: full (layout) | plain (layout failed, text in PDF order) | ocr
    page_layouts: dict[int, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # one line each, without the file name
    # the page number each page prints, where it prints one (cover and contents pages often
    # do not, so "12" may stand on physical page 14: the number a reader cites)
    printed_pages: dict[int, str] = field(default_factory=dict)


# Formats without printed pages: their "page" is a section's number (each heading starts the
# next; a spreadsheet's sheet), which a citation must not pass off as a page. .doc, .rtf and
# .odt are read as the .docx they convert to.
UNPAGED_FORMATS = frozenset(
    {"docx", "html", "doc", "rtf", "odt", "xlsx", "xlsm", "csv", "eml", "msg"}
)

# Slide decks: a "page" is a slide, numbered as PowerPoint numbers them, and a reader cites it as
# one ("slide 12"). .ppt, .pps and .odp are read as the .pptx they convert to.
SLIDE_FORMATS = frozenset({"pptx", "pptm", "ppsx", "ppt", "pps", "odp"})


def is_paged(fmt: str) -> bool:
    """Whether a document format has pages a reader can turn to (PDF, text with form feeds)."""
    return fmt not in UNPAGED_FORMATS


def page_unit(fmt: str) -> str:
    """What a document format's page is to a reader: "page", "slide" (a deck) or "part"."""
    if not is_paged(fmt):
        return "part"
    return "slide" if fmt in SLIDE_FORMATS else "page"


def page_ranges(pages: Iterable[int], limit: int | None = None) -> str:
    """Pages as ranges ("1–2, 4–11, 15"), the first `limit` of them and " …" where more."""
    runs: list[list[int]] = []
    for page in sorted(set(pages)):
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    shown = runs if limit is None else runs[:limit]
    text = ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in shown)
    return text + (" …" if len(shown) < len(runs) else "")


def page_mark(page: int, unit: str, section: str, printed: str = "") -> str:
    """How a citation names its page (`unit` as `page_unit` says): "p. 4", with the number the
    page prints where that differs ("p. 14 (printed 12)"); a deck's "slide 4"; for a document
    without pages nothing beside its section, or the section's bare number where it has no
    heading."""
    if unit == "part":
        return "" if section else str(page)
    word = "slide" if unit == "slide" else "p."
    return f"{word} {page}" + (f" (printed {printed})" if printed and printed != str(page) else "")


@dataclass(frozen=True)
class ParseOptions:
    """How to parse: seconds of layout per page before it is read plain, and whether to OCR."""

    page_budget: float | None = None  # None: $POLICYMINER_PAGE_BUDGET or 5 s
    ocr: bool = True


@dataclass(frozen=True)
class Chunk:
    """A retrieval unit: consecutive paragraphs of one section, with offsets into the body text."""

    ordinal: int
    text: str
    page_start: int
    page_end: int
    section: str
    section_path: tuple[str, ...]
    char_start: int  # offsets into the document's body text (see chunking.body_text)
    char_end: int
    # (offset in this chunk's text, physical page) where each page's text starts in the chunk
    page_map: tuple[tuple[int, int], ...] = ()
    kind: str = "body"  # body, or toc / references: not running text (see parse.pagekinds)

    def page_at(self, offset: int) -> int:
        """The physical page of a character offset in this chunk's text."""
        page = self.page_start
        for start, page_no in self.page_map:
            if start > offset:
                break
            page = page_no
        return page


@dataclass(frozen=True)
class Document:
    """A document as the catalog knows it."""

    id: str
    path: str
    sha256: str
    title: str
    publisher: str | None
    year: int | None
    pages: int
    chunks: int
    added_at: str
    updated_at: str
    ocr_pages: int = 0  # pages read by OCR (a scan, or pages that are only a picture of text)
    format: str = "pdf"  # pdf | docx | pptx | xlsx | csv | html | eml | md | txt | doc | …

    @property
    def paged(self) -> bool:
        return is_paged(self.format)

    @property
    def unit(self) -> str:
        """What its pages are to a reader: "page", "slide" or "part" (see `page_unit`)."""
        return page_unit(self.format)

    def to_dict(self) -> dict[str, object]:
        """The `docs --json` shape of one document."""
        return {
            "id": self.id,
            "title": self.title,
            "path": self.path,
            "pages": self.pages,
            "chunks": self.chunks,
            "sha256": self.sha256,
            "publisher": self.publisher,
            "year": self.year,
            "added_at": self.added_at,
            "updated_at": self.updated_at,
            "ocr_pages": self.ocr_pages,
            "format": self.format,
        }
