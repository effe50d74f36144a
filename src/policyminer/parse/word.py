"""Word files (.docx) → ParsedDocument: heading styles give sections (see `parse.sections`).

Reads the body's paragraphs and tables, content controls and text boxes, Word's footnotes and
endnotes and note labels typed as raised text, and the numbers Word prints before numbered
headings and items.

A picture in the body that covers at least a tenth of its page's text area (a scanned letter or
an attachment pasted in, a screenshot of a table, an infographic) is read by OCR, as a slide's
picture is (see `parse.pictures`), unless ParseOptions.ocr is off: its paragraphs stand where
the picture stands in the text, as kind "body", and their part counts as read by OCR. Logos,
icons and photos are not read, nor pictures in headers and footers (which are not read at all).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from policyminer.parse.layout import POWER_OF_UNIT, POWERS
from policyminer.parse.pdf import ParseError, title_printed, useful_title
from policyminer.parse.pictures import (
    EMU_PER_INCH,
    Picture,
    PictureReading,
    covers_enough,
    enough_pixels,
    read_pictures,
)
from policyminer.parse.sections import (
    NOTE_MARK,
    SectionBuilder,
    link_typed_notes,
    note_pages,
    table_text,
)
from policyminer.parse.textclean import normalize_text
from policyminer.records import NoteRef, ParsedDocument, ParseOptions

if TYPE_CHECKING:
    from docx.parts.document import DocumentPart

# An OLE compound file: what Word 97–2003 wrote (.doc), and what Word writes for a .docx with
# a password to open it
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def unreadable_package(
    path: Path, err: Exception, program: str = "Word", suffix: str = ".docx", holds: str = ""
) -> str:
    """Why python-docx (or python-pptx) could not open an Office file, in the user's terms
    (their own messages name a "package" and repeat the path). `holds`: what the package
    should hold ("Word document")."""
    with open(path, "rb") as file:
        head = file.read(len(_OLE_MAGIC))
    if head == _OLE_MAGIC:
        return (
            f"an old {program} 97–2003 file or a password-protected one "
            f"(save it as {suffix} or PDF)"
        )
    if not zipfile.is_zipfile(path):
        return f"not a zip package, as every {suffix} file is"
    if isinstance(err, KeyError):  # a zip without the parts such a document is made of
        return f"a zip package with no {holds or program + ' document'} in it"
    reason = re.sub(r"\s+at\s+'[^']*'", "", " ".join(str(err).split()))
    return reason[:120] or type(err).__name__


HEADING_STYLE = re.compile(r"^(?:heading|overskrift|rubrik|überschrift)\s*(\d)$", re.IGNORECASE)
TITLE_STYLE = {"title", "tittel", "titel"}
LIST_STYLE = re.compile(r"list|liste", re.IGNORECASE)


def parse_docx(
    path: Path, sha256: str | None = None, options: ParseOptions | None = None
) -> ParsedDocument:
    """A Word document: heading styles give sections, list styles list items, tables rows;
    pictures of text read by OCR unless `options.ocr` is off."""
    import docx  # python-docx; imported here since only .docx files need it

    path = Path(path)
    try:
        document = docx.Document(str(path))
    except Exception as err:  # a zip that is not a Word document, or a damaged one
        raise ParseError(f"not a readable Word document: {unreadable_package(path, err)}") from err
    found = _Pictures(_text_areas(document.element.body), document.part)
    blocks = list(_docx_blocks(document, found))
    shown = sum(kind == PICTURE for kind, _ in blocks)
    pictures = read_pictures(found.found, options or ParseOptions(), shown)
    builder, title = _read_blocks(document, blocks, pictures)
    if not builder.paragraphs:
        raise ParseError(pictures.no_text_reason("no text found in the document"))
    properties = document.core_properties
    core_title = (properties.title or "").strip()
    created = properties.created.isoformat() if properties.created else ""
    front = [title, *(p.text for p in builder.paragraphs[:FRONT_PARAGRAPHS])]
    parsed = builder.document(
        path, sha256, chosen_title(core_title, title, front, path), "docx", properties.author or "",
        created,
    )  # fmt: skip
    parsed.warnings += pictures.skipped_warnings()
    parsed.warnings += [f"a picture not read by OCR ({why})" for why in pictures.failures.values()]
    parsed.page_layouts.update(dict.fromkeys(pictures.read_on, "ocr"))
    return parsed


def _read_blocks(
    document, blocks: list[tuple[str, object]], pictures: PictureReading
) -> tuple[SectionBuilder, str]:
    """The body's blocks as paragraphs under their headings, with the notes they call and what
    OCR read in their pictures; and the title-styled line."""
    builder = SectionBuilder()
    title = ""
    notes = _WordNotes(document)
    numbering = _WordNumbering(document)
    for kind, item in blocks:
        if kind == PICTURE:
            pictures.place(builder, item)
            continue
        if kind == "table":  # the notes its cells call under it, as under a paragraph
            text, refs = _table_cells(item, notes)
            builder.add("table", text)
            _add_footnotes(builder, refs)
            continue
        if kind in ("box", "toc"):
            text, refs = notes.read(item._p)
            builder.add(kind, text)
            _add_footnotes(builder, refs)
            continue
        style = (item.style.name if item.style is not None else "").strip()
        text, marks = notes.read(item._p)
        label = numbering.label(item._p)
        heading = HEADING_STYLE.match(style)
        if heading:
            builder.heading(int(heading.group(1)), _numbered_text(label, text))
        elif style.lower() in TITLE_STYLE:
            title = title or normalize_text(text)
        elif _opens_note(text, marks):
            builder.add("footnote", f"{marks[0].ref.label} {text}")
        else:
            numbered = label or _numbered(item)  # its own numbering or its style's
            kind = "list" if LIST_STYLE.search(style) or numbered else "body"
            if label and kind == "list":  # a numbered item as printed: "2." / "b)" first
                marks = [replace(m, ref=m.ref.shifted(len(label) + 1)) for m in marks]
                text = f"{label} {text}"
            _add_with_notes(builder, kind, text, marks)
    for label, note in notes.endnotes:  # printed at the end of the document
        builder.add("footnote", f"{label} {note}")
    link_typed_notes(builder.paragraphs)
    note_pages(builder.paragraphs)
    return builder, title


FRONT_PARAGRAPHS = 30  # where a document prints its title, if anywhere


def chosen_title(core: str, styled: str, front: list[str], path: Path) -> str:
    """The title in the file's properties where the document prints it (or shows no title of
    its own); else the title-styled line (a slide deck: its first slide's title). Templates and
    converters leave titles of their own in the properties ("Mal for rapport", "Word Document")."""
    if not useful_title(core, path):
        return styled
    return core if not styled or title_printed(core, front) else styled


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# what a run's elements read as in python-docx's paragraph text
RUN_TEXT = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}br": "\n", f"{W}cr": "\n"}
RUN_TEXT[f"{W}noBreakHyphen"] = "-"


def _add_with_notes(builder: SectionBuilder, kind: str, text: str, refs: list[_WordRef]) -> None:
    """A paragraph, then the footnotes it calls, on its page (as a printed page sets them at its
    foot): "1 Note text". Endnotes wait for the end of the document."""
    builder.add(kind, text, tuple(ref.ref for ref in refs))
    _add_footnotes(builder, refs)


def _add_footnotes(builder: SectionBuilder, refs: list[_WordRef]) -> None:
    for ref in refs:
        if ref.kind == "footnote" and ref.ref.note:
            builder.add("footnote", f"{ref.ref.label} {ref.ref.note}")


def _table_cells(rows: list[list[list]], notes: _WordNotes) -> tuple[str, list[_WordRef]]:
    """A table's text (rows of cells, each cell its paragraphs' w:p elements) and the note
    references in its cells, read as paragraphs are: Word counts a cell's notes in document
    order, and a label typed as raised text leaves the cell's words."""
    refs: list[_WordRef] = []
    texts = []
    for row in rows:
        cells = []
        for paragraphs in row:
            read = [notes.read(paragraph) for paragraph in paragraphs]
            refs += [ref for _, marks in read for ref in marks]
            cells.append("\n".join(text for text, _ in read))
        texts.append(cells)
    return table_text(texts), refs


@dataclass(frozen=True)
class _WordRef:
    kind: str  # footnote | endnote | mark (a raised label typed as text: no Word note)
    ref: NoteRef


def _numbered_text(label: str, text: str) -> str:
    """A heading's text with the number Word prints before it, unless the text has it already."""
    if not label or text.lstrip().startswith(label.rstrip(".")):
        return text
    return f"{label} {text}"


class _WordNumbering:
    """The numbers Word prints before numbered paragraphs ("2.3", "b)", "IV."), counted as
    Word counts them: per list (w:num), a level's count restarting under a higher level.

    Numbering may come from the paragraph (w:numPr) or its style, as a heading style linked to
    a multilevel list has it; bullets and lists Word does not number give no label."""

    def __init__(self, document) -> None:
        self.styles = {
            style.get(f"{W}styleId"): style
            for style in document.styles.element.iter(f"{W}style")
            if style.get(f"{W}type") == "paragraph"
        }
        self.default_style = next(
            (sid for sid, st in self.styles.items() if st.get(f"{W}default") == "1"), None
        )
        self.levels: dict[str, dict[int, object]] = {}  # numId → ilvl → w:lvl
        self.starts: dict[str, dict[int, int]] = {}  # numId → ilvl → start override
        self.counts: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):  # a document without numbering
            return
        abstract = {
            a.get(f"{W}abstractNumId"): {
                int(lvl.get(f"{W}ilvl", "0")): lvl for lvl in a.iter(f"{W}lvl")
            }
            for a in root.iter(f"{W}abstractNum")
        }
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is None or ref.get(f"{W}val") not in abstract:
                continue
            num_id = num.get(f"{W}numId")
            self.levels[num_id] = abstract[ref.get(f"{W}val")]
            self.starts[num_id] = {
                int(o.get(f"{W}ilvl", "0")): int(start.get(f"{W}val", "1"))
                for o in num.iter(f"{W}lvlOverride")
                if (start := o.find(f"{W}startOverride")) is not None
            }

    def label(self, paragraph) -> str:
        """The number printed before this paragraph (its w:p element), "" when none; each call
        counts the paragraph, so call it once per paragraph, in document order."""
        found = self._numbering(paragraph)
        if found is None:
            return ""
        num_id, level = found
        levels = self.levels[num_id]
        if level not in levels:
            return ""
        counts = self.counts.setdefault(num_id, [0] * 9)
        starts = [self._start(num_id, k) for k in range(9)]
        if counts[level] == 0:
            counts[level] = starts[level]
        else:
            counts[level] += 1
        for deeper in range(level + 1, 9):
            counts[deeper] = 0
        return self._text(levels, level, counts, starts)

    def _start(self, num_id: str, level: int) -> int:
        if level in self.starts[num_id]:
            return self.starts[num_id][level]
        lvl = self.levels[num_id].get(level)
        start = lvl.find(f"{W}start") if lvl is not None else None
        return int(start.get(f"{W}val", "1")) if start is not None else 1

    def _text(self, levels: dict, level: int, counts: list[int], starts: list[int]) -> str:
        lvl = levels[level]
        fmt = _val(lvl, "numFmt") or "decimal"
        if fmt in ("bullet", "none"):
            return ""
        legal = lvl.find(f"{W}isLgl") is not None
        text = _val(lvl, "lvlText") or ""

        def number(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            if k > level or k not in levels:
                return ""
            shown = _val(levels[k], "numFmt") or "decimal"
            value = counts[k] or starts[k]  # a level never reached prints its start
            return str(value) if legal or shown in ("bullet", "none") else note_label(value, shown)

        return normalize_text(re.sub(r"%([1-9])", number, text))

    def _numbering(self, paragraph) -> tuple[str, int] | None:
        """(numId, level) of a paragraph's own numbering or its style's, None when unnumbered."""
        props = paragraph.find(f"{W}pPr")
        num_pr = props.find(f"{W}numPr") if props is not None else None
        style_ref = props.find(f"{W}pStyle") if props is not None else None
        style_id = style_ref.get(f"{W}val") if style_ref is not None else self.default_style
        num_id, level = _num_pr(num_pr)
        seen: set[str] = set()
        while (
            (num_id is None or level is None) and style_id in self.styles and style_id not in seen
        ):
            seen.add(style_id)
            style = self.styles[style_id]
            style_props = style.find(f"{W}pPr")
            inherited = _num_pr(style_props.find(f"{W}numPr") if style_props is not None else None)
            num_id = num_id if num_id is not None else inherited[0]
            if level is None and inherited[1] is not None:
                level = inherited[1]
            based = style.find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else None
        if num_id is None or num_id == "0" or num_id not in self.levels:
            return None
        if level is None:  # a style linked to a level of a multilevel list names that level
            linked = style_ref.get(f"{W}val") if style_ref is not None else None
            level = next(
                (k for k, lvl in self.levels[num_id].items() if _val(lvl, "pStyle") == linked), 0
            )
        return num_id, level


def _num_pr(num_pr) -> tuple[str | None, int | None]:
    if num_pr is None:
        return None, None
    num_id, level = num_pr.find(f"{W}numId"), num_pr.find(f"{W}ilvl")
    return (
        num_id.get(f"{W}val") if num_id is not None else None,
        int(level.get(f"{W}val", "0")) if level is not None else None,
    )


def _val(element, tag: str) -> str | None:
    found = element.find(f"{W}{tag}")
    return found.get(f"{W}val") if found is not None else None


def _opens_note(text: str, marks: list[_WordRef]) -> bool:
    """A paragraph that opens with a raised label typed as text and goes on: a note set as a
    paragraph of its own ("¹ Kilde: …"), as a document converted from a web page has them."""
    return bool(marks) and marks[0].kind == "mark" and marks[0].ref.offset == 0 and bool(text)


# Word's number formats for note labels (w:numFmt); footnotes default to 1, 2, 3 and endnotes
# to i, ii, iii
NOTE_FORMATS = {"footnote": "decimal", "endnote": "lowerRoman"}


class _WordNotes:
    """A Word file's footnotes and endnotes, and the references to them in its paragraphs. Word
    numbers each kind in the order they are called, in the format its settings give."""

    def __init__(self, document) -> None:
        self.texts: dict[str, dict[str, str]] = {"footnote": {}, "endnote": {}}
        self.called = {"footnote": 0, "endnote": 0}
        self.endnotes: list[tuple[str, str]] = []  # (label, text) as called
        for rel in document.part.rels.values():
            kind = rel.reltype.rsplit("/", 1)[-1][:-1]  # ".../footnotes" → "footnote"
            if kind in self.texts and not rel.is_external:
                self.texts[kind] = _note_texts(rel.target_part.blob, kind)
        self.raised_styles = {
            style.get(f"{W}styleId")
            for style in document.styles.element.iter(f"{W}style")
            if style.get(f"{W}type") == "character"
            and (properties := style.find(f"{W}rPr")) is not None
            and _raised_properties(properties)
        }
        self.formats = dict(NOTE_FORMATS)
        settings = document.settings.element
        for kind in self.formats:
            found = settings.find(f"{W}{kind}Pr/{W}numFmt")
            if found is not None and found.get(f"{W}val"):
                self.formats[kind] = found.get(f"{W}val")

    def read(self, paragraph) -> tuple[str, list[_WordRef]]:
        """A paragraph's (its w:p element's) text and the note references in it, placed in its
        normalised text: Word's own notes, and labels typed as raised text ("…regionen¹"),
        which leave the text as a printed page's raised marks do. A raised 2 or 3 after a unit
        is its power ("m²")."""
        found: list[_WordRef] = []
        before = ""
        for run in paragraph.iter(f"{W}r"):
            if next(run.iterancestors(f"{W}p"), None) is not paragraph:
                continue  # a text box's paragraph inside this one
            text = ""
            for element in run:
                if element.tag == f"{W}t":
                    text += element.text or ""
                elif element.tag in RUN_TEXT:
                    text += RUN_TEXT[element.tag]
                elif element.tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
                    found.append(self._called(element, len(normalize_text(before + text))))
            mark = NOTE_MARK.match(text.strip()) if self._raised(run) else None
            if mark and text.strip() in POWERS and POWER_OF_UNIT.search(before.rstrip()):
                before += POWERS[text.strip()]
            elif mark and before[-1:].strip():  # raised right after a word or sign
                found.append(_WordRef("mark", NoteRef(len(normalize_text(before)), mark[1])))
            elif mark and not before.strip():  # a note's own label, at its start
                found.append(_WordRef("mark", NoteRef(0, mark[1])))
            else:
                before += text
        return before, found

    def _called(self, element, offset: int) -> _WordRef:
        kind = "footnote" if element.tag == f"{W}footnoteReference" else "endnote"
        self.called[kind] += 1
        label = note_label(self.called[kind], self.formats[kind])
        note = self.texts[kind].get(element.get(f"{W}id", ""), "")
        if kind == "endnote" and note:
            self.endnotes.append((label, note))
        return _WordRef(kind, NoteRef(offset, label, note))

    def _raised(self, run) -> bool:
        """Whether a run is set above the line: superscript, or raised by a position, directly
        or by its character style."""
        properties = run.find(f"{W}rPr")
        if properties is None:
            return False
        style = properties.find(f"{W}rStyle")
        if style is not None and style.get(f"{W}val") in self.raised_styles:
            return True
        return _raised_properties(properties)


def _raised_properties(properties) -> bool:
    """Run properties (w:rPr) that set text above the line: superscript, or a raised position."""
    align = properties.find(f"{W}vertAlign")
    if align is not None and align.get(f"{W}val") == "superscript":
        return True
    position = properties.find(f"{W}position")
    value = position.get(f"{W}val", "0") if position is not None else "0"
    return value.lstrip("-").isdigit() and int(value) > 0


def note_label(number: int, style: str) -> str:
    """A note's number as Word prints it in a number format: 4 → "4", "iv", "IV", "d", "D"."""
    if style in ("lowerRoman", "upperRoman"):
        roman = _roman(number)
        return roman.lower() if style == "lowerRoman" else roman
    if style in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letter if style == "lowerLetter" else letter.upper()
    if style == "chicago":
        return "*†‡§"[(number - 1) % 4] * ((number - 1) // 4 + 1)
    return str(number)


def _roman(number: int) -> str:
    out = ""
    for value, numeral in zip(
        (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1),
        ("M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"),
        strict=True,
    ):
        count, number = divmod(number, value)
        out += numeral * count
    return out


def _note_texts(xml: bytes, kind: str) -> dict[str, str]:
    """Note id → its text (paragraphs joined); Word's separator notes left out."""
    from lxml import etree  # python-docx's own XML library

    root = etree.fromstring(xml)
    texts = {}
    for note in root.iter(f"{W}{kind}"):
        if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        paragraphs = ("".join(t.text or "" for t in p.iter(f"{W}t")) for p in note.iter(f"{W}p"))
        texts[note.get(f"{W}id", "")] = normalize_text(" ".join(paragraphs))
    return texts


def _numbered(paragraph) -> bool:
    """A paragraph with Word numbering of its own (a list item without a list style)."""
    properties = paragraph._p.pPr
    return properties is not None and properties.numPr is not None


MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


def _docx_blocks(document, pictures: _Pictures, container=None) -> Iterator[tuple[str, object]]:
    """Body paragraphs and tables in document order; a table as rows of distinct cells, each
    its paragraphs (w:p elements).

    Content controls (w:sdt: a template's fields, a cover page) are read through; a table of
    contents in one gives "toc" paragraphs. A text box anchored in a paragraph (a fact box)
    gives "box" paragraphs right after it. A picture worth OCR gives a PICTURE block, its
    image's sha1, after the paragraph it stands in (after a table, where it stands in one)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    body = document.element.body if container is None else container
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield "paragraph", DocxParagraph(child, document)
            yield from _picture_blocks([child], pictures)
            for box in _text_boxes(child):
                for inner in box.iterchildren(f"{W}p"):
                    yield "box", DocxParagraph(inner, document)
                    yield from _picture_blocks([inner], pictures)
        elif tag in ("sdt", "customXml"):
            content = child.find(f"{W}sdtContent") if tag == "sdt" else child
            if content is None:
                continue
            if _contents_control(child):
                for inner in content.iter(f"{W}p"):
                    yield "toc", DocxParagraph(inner, document)
            else:
                yield from _docx_blocks(document, pictures, content)
        elif tag == "tbl":
            rows = []
            for row in Table(child, document).rows:
                seen, cells = set(), []
                for cell in row.cells:  # a merged cell repeats: keep it once
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append([paragraph._p for paragraph in cell.paragraphs])
                rows.append(cells)
            yield "table", rows
            yield from _picture_blocks(child.iter(f"{W}p"), pictures)


def _text_boxes(paragraph) -> list:
    """The text boxes (w:txbxContent) anchored in a paragraph, each once: Word writes a box
    twice, for new readers (mc:Choice) and old ones (mc:Fallback); the fallback copy is left."""
    return [
        box
        for box in paragraph.iter(f"{W}txbxContent")
        if not any(a.tag == f"{MC}Fallback" for a in box.iterancestors())
        and next(box.iterancestors(f"{W}txbxContent"), None) is None
    ]


def _contents_control(sdt) -> bool:
    """A content control that holds a table of contents (Word's "Table of Contents" gallery)."""
    gallery = sdt.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
    return gallery is not None and "contents" in (gallery.get(f"{W}val") or "").lower()


# a block that is a picture worth OCR, its image's sha1 the item
PICTURE = "picture"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
V = "{urn:schemas-microsoft-com:vml}"
# where a file does not say, a page is A4 with Word's 2.5 cm margins (EMU)
A4 = (7_560_310, 10_692_130)
MARGIN = 900_000
# a picture in these is not shown: Word's copy for old readers, a tracked deletion or move
LEFT_OUT = frozenset({f"{MC}Fallback", f"{W}del", f"{W}moveFrom"})
CROP_WHOLE = 100_000  # a:srcRect gives the shares cropped off in thousandths of a percent
# the lengths an old file's VML picture gives its size in (EMU per unit); a bare number is pixels
VML_UNITS = {"pt": 12_700, "in": EMU_PER_INCH, "cm": 360_000, "mm": 36_000, "px": 9_525, "": 9_525}
_VML_SIZE = re.compile(
    r"(?:^|;)\s*(width|height)\s*:\s*([\d.]+)\s*(pt|in|cm|mm|px)?", re.IGNORECASE
)


@dataclass(frozen=True)
class _Drawn:
    """A picture as the body shows it: its image's relationship id, its size (EMU, width and
    height) and the shares of the image cropped off (left, top, right, bottom)."""

    rel: str
    size: tuple[int, int]
    crop: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True)
class _Pictures:
    """The pictures worth OCR found in a Word body, by their image's sha1; the text area
    (EMU²) of the page each top-level body element stands on, and the part that holds the
    images."""

    areas: dict[object, float]
    part: DocumentPart
    found: dict[str, Picture] = field(default_factory=dict)

    def worth_ocr(self, element) -> str | None:
        """The sha1 of a picture's image (a w:drawing or an old file's w:pict), noted, where it
        is large enough on its page to hold text; else None."""
        drawn = _drawing(element) if element.tag == f"{W}drawing" else _vml_picture(element)
        if drawn is None or not covers_enough(drawn.size[0] * drawn.size[1], self._area(element)):
            return None
        try:
            image_part = self.part.related_parts[drawn.rel]
            image = image_part.image
            pixels = (image.px_width, image.px_height)
        except Exception:  # a linked picture has no image in the file, a damaged one no size
            return None
        if not enough_pixels(pixels):
            return None
        shown = (drawn.size[0] / EMU_PER_INCH, drawn.size[1] / EMU_PER_INCH)
        self.found.setdefault(image_part.sha1, Picture(image_part.blob, shown, drawn.crop))
        return image_part.sha1

    def _area(self, element) -> float:
        top = next((a for a in element.iterancestors() if a in self.areas), None)
        return self.areas[top] if top is not None else _text_area(None)


def _picture_blocks(paragraphs, pictures: _Pictures) -> Iterator[tuple[str, str]]:
    """A PICTURE block for each picture worth OCR standing in these paragraphs (w:p elements)
    themselves: not in a text box in them, nor in the copy Word writes for old readers, nor
    deleted with changes tracked (as deleted text is not read)."""
    for paragraph in paragraphs:
        for element in paragraph.iter(f"{W}drawing", f"{W}pict"):
            if next(element.iterancestors(f"{W}p"), None) is not paragraph:
                continue
            if any(a.tag in LEFT_OUT for a in element.iterancestors()):
                continue
            image = pictures.worth_ocr(element)
            if image is not None:
                yield PICTURE, image


def _drawing(drawing) -> _Drawn | None:
    """A DrawingML picture, inline or anchored; None for a drawing of another kind (a text box,
    a shape, a chart, a group) or a linked picture."""
    frame = drawing.find(f"{WP}inline")
    frame = drawing.find(f"{WP}anchor") if frame is None else frame
    if frame is None:
        return None
    extent = frame.find(f"{WP}extent")
    fill = frame.find(f"{A}graphic/{A}graphicData/{PIC}pic/{PIC}blipFill")
    blip = fill.find(f"{A}blip") if fill is not None else None
    if extent is None or blip is None or not blip.get(f"{R}embed"):
        return None
    rel, size = blip.get(f"{R}embed"), (_number(extent.get("cx")), _number(extent.get("cy")))
    cropped = fill.find(f"{A}srcRect")
    if cropped is None:
        return _Drawn(rel, size)
    left, top, right, bottom = (_number(cropped.get(side)) / CROP_WHOLE for side in "ltrb")
    return _Drawn(rel, size, (left, top, right, bottom))


def _vml_picture(pict) -> _Drawn | None:
    """An old file's VML picture (v:imagedata in a v:shape, sized by its style); None for a VML
    text box or shape."""
    shape = pict.find(f"{V}shape")
    data = shape.find(f"{V}imagedata") if shape is not None else None
    if data is None or not data.get(f"{R}id"):
        return None
    size = {"width": 0, "height": 0}
    for side, value, unit in _VML_SIZE.findall(shape.get("style") or ""):
        size[side.lower()] = round(float(value) * VML_UNITS[unit.lower()])
    return _Drawn(data.get(f"{R}id"), (size["width"], size["height"]))


def _number(value: str | None) -> int:
    """An integer attribute, 0 where it is missing or no integer."""
    try:
        return int(value or 0)
    except ValueError:
        return 0


def _text_areas(body) -> dict[object, float]:
    """Each top-level body element → the text area (EMU²) of the page its section sets: a
    section's properties (w:sectPr) stand in its last paragraph, the last section's at the
    body's end."""
    areas: dict[object, float] = {}
    waiting = []
    for child in body.iterchildren():
        waiting.append(child)
        closing = child.find(f"{W}pPr/{W}sectPr")
        if closing is not None:
            areas.update(dict.fromkeys(waiting, _text_area(closing)))
            waiting = []
    areas.update(dict.fromkeys(waiting, _text_area(body.find(f"{W}sectPr"))))
    return areas


def _text_area(section) -> float:
    """The area (EMU²) a section's page gives text: the page less its margins (A4 and Word's
    margins where the file does not say)."""

    def length(name: str, default: int) -> int:
        try:
            value = getattr(section, name, None)
        except ValueError:  # a value python-docx cannot read
            value = None
        return abs(int(value)) if value is not None else default

    width = length("page_width", A4[0]) - length("left_margin", MARGIN)
    width -= length("right_margin", MARGIN)
    height = length("page_height", A4[1]) - length("top_margin", MARGIN)
    height -= length("bottom_margin", MARGIN)
    if width <= 0 or height <= 0:
        return (A4[0] - 2 * MARGIN) * (A4[1] - 2 * MARGIN)
    return width * height
