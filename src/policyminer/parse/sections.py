"""DOCX and saved HTML pages → ParsedDocument: headings give sections, and each section is a page.

Neither format has printed pages, so a citation's "page" is the section's number in the document:
a new heading starts a new page. Both read only the main text: a Word file's body paragraphs and
tables; a web page's main content, without navigation, banners, footers, scripts or forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from policyminer.parse.layout import POWER_OF_UNIT, POWERS
from policyminer.parse.pdf import (
    YEAR,
    ParseError,
    is_placeholder_author,
    sha256_file,
    year_from_date,
)
from policyminer.parse.textclean import normalize_text
from policyminer.parse.textfiles import read_text
from policyminer.records import NoteRef, Paragraph, ParsedDocument

HEADING_STYLE = re.compile(r"^(?:heading|overskrift|rubrik|überschrift)\s*(\d)$", re.IGNORECASE)
TITLE_STYLE = {"title", "tittel", "titel"}
LIST_STYLE = re.compile(r"list|liste", re.IGNORECASE)
# containers a web page wraps around its content: menus, banners, share buttons, cookie notices
BOILERPLATE_TAGS = (
    "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, button, "
    "select, [role=navigation], [role=banner], [role=contentinfo], [role=search], [hidden], "
    "[aria-hidden=true]"
)
BOILERPLATE_NAME = re.compile(
    r"(?:^|[-_ ])(?:nav|navbar|navigation|menu|breadcrumbs?|footer|header|cookies?|consent|"
    r"share|sharing|social|sidebar|skip|banner|toolbar|pagination|related)(?:$|[-_ ])",
    re.IGNORECASE,
)
BLOCK_TAGS = {"p", "li", "blockquote", "pre", "dd", "dt", "figcaption", "caption", "address"}
HEADING_TAGS = {f"h{n}": n for n in range(1, 7)}


@dataclass
class _Builder:
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
        text = " ".join(p.text for p in self.paragraphs if p.page == 1 and p.kind != "toc")
        years = set(YEAR.findall(text))
        return int(years.pop()) if len(years) == 1 else None


def _table_text(rows: list[list[str]]) -> str:
    """Rows of cell texts as lines of ' | '-separated cells, empty cells and rows left out."""
    lines = []
    for row in rows:
        cells = [normalize_text(c) for c in row]
        cells = [c for c in cells if c]
        if cells:
            lines.append(" | ".join(cells))
    return "\n".join(lines)


# ---------------------------------------------------------------- DOCX


def parse_docx(path: Path, sha256: str | None = None) -> ParsedDocument:
    """A Word document: heading styles give sections, list styles list items, tables rows."""
    import docx  # python-docx; imported here since only .docx files need it

    path = Path(path)
    try:
        document = docx.Document(str(path))
    except Exception as err:  # a zip that is not a Word document, or a damaged one
        reason = " ".join(str(err).split())[:120] or type(err).__name__
        raise ParseError(f"not a readable Word document: {reason}") from err
    builder = _Builder()
    title = ""
    notes = _WordNotes(document)
    numbering = _WordNumbering(document)
    for kind, item in _docx_blocks(document):
        if kind == "table":
            builder.add("table", _table_text(item))
            continue
        if kind in ("box", "toc"):
            builder.add(kind, notes.read(item._p)[0])
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
            kind = "list" if LIST_STYLE.search(style) or _numbered(item) else "body"
            if label and kind == "list":  # a numbered item as printed: "2." / "b)" first
                marks = [replace(m, ref=m.ref.shifted(len(label) + 1)) for m in marks]
                text = f"{label} {text}"
            _add_with_notes(builder, kind, text, marks)
    for label, note in notes.endnotes:  # printed at the end of the document
        builder.add("footnote", f"{label} {note}")
    _link_typed_notes(builder.paragraphs)
    _note_pages(builder.paragraphs)
    properties = document.core_properties
    core_title = (properties.title or "").strip()
    created = properties.created.isoformat() if properties.created else ""
    return builder.document(
        path, sha256, core_title or title, "docx", properties.author or "", created
    )


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# what a run's elements read as in python-docx's paragraph text
RUN_TEXT = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}br": "\n", f"{W}cr": "\n"}
RUN_TEXT[f"{W}noBreakHyphen"] = "-"


def _add_with_notes(builder: _Builder, kind: str, text: str, refs: list[_WordRef]) -> None:
    """A paragraph, then the footnotes it calls, on its page (as a printed page sets them at its
    foot): "1 Note text". Endnotes wait for the end of the document."""
    builder.add(kind, text, tuple(ref.ref for ref in refs))
    for ref in refs:
        if ref.kind == "footnote" and ref.ref.note:
            builder.add("footnote", f"{ref.ref.label} {ref.ref.note}")


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


def _link_typed_notes(paragraphs: list[Paragraph]) -> None:
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


def _docx_blocks(document, container=None) -> Iterator[tuple[str, object]]:
    """Body paragraphs and tables in document order; a table as rows of distinct cell texts.

    Content controls (w:sdt: a template's fields, a cover page) are read through; a table of
    contents in one gives "toc" paragraphs. A text box anchored in a paragraph (a fact box)
    gives "box" paragraphs right after it."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    body = document.element.body if container is None else container
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield "paragraph", DocxParagraph(child, document)
            for box in _text_boxes(child):
                for inner in box.iterchildren(f"{W}p"):
                    yield "box", DocxParagraph(inner, document)
        elif tag in ("sdt", "customXml"):
            content = child.find(f"{W}sdtContent") if tag == "sdt" else child
            if content is None:
                continue
            if _contents_control(child):
                for inner in content.iter(f"{W}p"):
                    yield "toc", DocxParagraph(inner, document)
            else:
                yield from _docx_blocks(document, content)
        elif tag == "tbl":
            rows = []
            for row in Table(child, document).rows:
                seen, cells = set(), []
                for cell in row.cells:  # a merged cell repeats: keep it once
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append(cell.text)
                rows.append(cells)
            yield "table", rows


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


# ---------------------------------------------------------------- HTML


def parse_html(path: Path, sha256: str | None = None) -> ParsedDocument:
    """A web page saved from a site: its main text only, h1–h6 giving sections."""
    from selectolax.lexbor import LexborHTMLParser  # imported here: only web pages need it

    path = Path(path)
    tree = LexborHTMLParser(read_text(path))
    title_node = tree.css_first("title")
    title = title_node.text(deep=True) if title_node is not None else ""
    meta = _meta_tags(tree)
    notes = _html_notes(tree)  # before the boilerplate goes: notes may stand in a <footer>
    _mark_boxes(tree)
    for node in tree.css(BOILERPLATE_TAGS):
        if node.attributes.get(BOX_MARK) is None:
            node.decompose()
    for node in tree.css("[class], [id]"):
        names = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if (
            node.tag not in ("html", "body", "main", "article")
            and node.attributes.get(BOX_MARK) is None
            and BOILERPLATE_NAME.search(names)
        ):
            node.decompose()
    main = tree.css_first("main, [role=main], article") or tree.body
    builder = _Builder()
    if main is not None:
        _walk(main, builder, notes)
    _link_typed_notes(builder.paragraphs)
    _note_pages(builder.paragraphs)
    h1 = next((p.text for p in builder.paragraphs if p.kind == "heading"), "")
    publisher, dated = _page_meta(meta)
    return builder.document(path, sha256, h1 or title, "html", publisher, dated)


# A fact box as web pages set one: an <aside> in the main text, or a block named so
BOX_NAME = re.compile(
    r"(?:^|[-_ ])(?:fakta\w*|facts?|fact-?box|info-?box|boks|box|callout|textbox)(?:$|[-_ ])",
    re.IGNORECASE,
)
BOX_MARK = "data-policyminer-box"
MIN_BOX_WORDS = 8  # a box states something: a sentence, not a row of links


def _mark_boxes(tree) -> None:
    """Mark fact boxes so that the boilerplate rules keep them: an <aside> inside the page's
    main text (outside it, an aside is the site's sidebar) or a block whose class or id names a
    box, that holds prose rather than links."""
    for node in tree.css("aside, div, section"):
        names = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        in_main = any(
            a.tag in ("main", "article") or a.attributes.get("role") == "main"
            for a in _ancestors(node)
        )
        boxed = (node.tag == "aside" and in_main) or bool(BOX_NAME.search(names))
        if boxed and _reads_as_prose(node):
            node.attrs[BOX_MARK] = "1"


def _ancestors(node) -> Iterator:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _reads_as_prose(node) -> bool:
    """More words outside links than in them, and enough of them to state something."""
    words = len(node.text(deep=True, separator=" ").split())
    linked = sum(len(a.text(deep=True, separator=" ").split()) for a in node.css("a"))
    return words - linked >= MIN_BOX_WORDS and linked * 2 < words


def _box_texts(node) -> list[str]:
    """A box's paragraphs (its title among them): its innermost text blocks, or its text."""
    selector = ", ".join(sorted(BLOCK_TAGS | set(HEADING_TAGS)))
    texts = [  # a node's css() lists the node itself among its matches
        block.text(deep=True)
        for block in node.css(selector)
        if len(block.css(selector)) == 1
    ]
    return [t for t in texts if t.strip()] or [node.text(deep=True)]


# what a saved page says of who published it and when, most specific first
PUBLISHER_META = ("dc.publisher", "dcterms.publisher", "author", "dc.creator", "og:site_name")
DATE_META = (
    "dc.date",
    "dcterms.issued",
    "dcterms.date",
    "article:published_time",
    "date",
    "dc.date.issued",
)


def _page_meta(meta: dict[str, str]) -> tuple[str, str]:
    """(publisher, date) from a page's meta tags (name or property → content, lower-cased)."""
    publisher = next((meta[k] for k in PUBLISHER_META if meta.get(k, "").strip()), "")
    dated = next((meta[k] for k in DATE_META if meta.get(k, "").strip()), "")
    return publisher, dated


def _meta_tags(tree) -> dict[str, str]:
    """A page's <meta> tags as name (or property) → content, names lower-cased."""
    found: dict[str, str] = {}
    for node in tree.css("meta"):
        name = node.attributes.get("name") or node.attributes.get("property") or ""
        content = node.attributes.get("content") or ""
        if name and content:
            found.setdefault(name.strip().lower(), content.strip())
    return found


def _note_pages(paragraphs: list[Paragraph]) -> None:
    """Each linked reference gets the page (section) its note was emitted on."""
    # a footnote paragraph reads "label text"
    page_of = {p.text.split(" ", 1)[-1]: p.page for p in paragraphs if p.kind == "footnote"}
    for i, para in enumerate(paragraphs):
        if para.notes:
            notes = tuple(replace(n, note_page=page_of.get(n.note, 0)) for n in para.notes)
            paragraphs[i] = replace(para, notes=notes)


INLINE_TAGS = ("a", "span", "strong", "em", "b", "i", "abbr", "sup", "sub", "code", "time", "br")
# a footnote mark as a page sets it: a raised label, perhaps bracketed ("¹", "[2]", "*")
NOTE_MARK = re.compile(r"^\[?(\d{1,3}|[*†‡])\]?$")
# what a note carries besides its text: its label, and links back to where it was called
NOTE_DRESS = re.compile(r"^\s*\[?\d{1,3}\]?[.)]?\s+|\s*[↩↑^]\uFE0E?\s*")


@dataclass(frozen=True)
class _WebNote:
    label: str  # as the mark that links to it prints it
    text: str


def _html_notes(tree) -> dict[str, _WebNote]:
    """Note id → its label and text, for every element that a raised mark's link points to."""
    notes: dict[str, _WebNote] = {}
    for link in tree.css('a[href^="#"]'):
        raised = link.parent is not None and link.parent.tag == "sup"
        if not (raised or link.css_first("sup") is not None):
            continue
        mark = NOTE_MARK.match(link.text(deep=True).strip())
        target = (link.attributes.get("href") or "#")[1:]
        node = tree.css_first(f'[id="{target}"]') if target and '"' not in target else None
        if mark and node is not None and node.tag not in ("html", "body", "main", "article"):
            text = normalize_text(NOTE_DRESS.sub(" ", node.text(deep=True, separator=" ")))
            notes.setdefault(target, _WebNote(mark.group(1), text))
    return notes


@dataclass
class _Inline:
    """Running text of one block, its raised marks taken out as footnote references."""

    notes: dict[str, _WebNote]
    parts: list[str] = field(default_factory=list)
    marks: list[tuple[int, str, str]] = field(default_factory=list)  # (offset, label, note)

    def add(self, node) -> None:
        if node.tag == "-text":
            self.parts.append(node.text(deep=False))
        elif node.tag == "sup":
            self._raised(node)
        elif node.tag != "br":
            for child in node.iter(include_text=True):
                self.add(child)

    def _raised(self, node) -> None:
        text = node.text(deep=True, separator="").strip()
        before = "".join(self.parts)
        mark = NOTE_MARK.match(text)
        if text in POWERS and POWER_OF_UNIT.search(before.rstrip()):
            self.parts.append(POWERS[text])
        elif mark:
            link = node.css_first('a[href^="#"]') or (
                node.parent if node.parent is not None and node.parent.tag == "a" else None
            )
            target = ((link.attributes.get("href") or "#")[1:]) if link is not None else ""
            note = self.notes.get(target)
            self.marks.append((len(before), mark.group(1), note.text if note else ""))
        else:
            self.parts.append(text)

    def flush(self, builder: _Builder, kind: str) -> None:
        raw = "".join(self.parts)
        at, label, note = self.marks[0] if self.marks else (0, "", "")
        if kind == "body" and label and not note and not raw[:at].strip() and raw[at:].strip():
            # opens with a raised label that links nowhere: a note set as a paragraph of its
            # own ("¹ Kilde: …"), found by the marks that carry its label
            builder.add("footnote", f"{label} {normalize_text(raw)}")
            self.parts.clear()
            self.marks.clear()
            return
        refs = tuple(
            NoteRef(len(normalize_text(raw[:at])), label, note, 0) for at, label, note in self.marks
        )
        builder.add(kind, raw, refs)
        self.parts.clear()
        self.marks.clear()


def _without_marks(node, notes: dict[str, _WebNote]) -> str:
    """A heading's or a cell's text, its footnote marks left out (their notes are not linked)."""
    inline = _Inline(notes)
    inline.add(node)
    return "".join(inline.parts)


MIN_CONTENTS_LINKS = 3


def _contents_list(node) -> bool:
    """A list whose every entry is only a link to a place on the same page ("#kapittel-2"): a
    table of contents, as long web editions of reports open with."""
    entries = [li for li in node.css("li") if li.css_first("ul, ol") is None]
    if len(entries) < MIN_CONTENTS_LINKS:
        return False
    for entry in entries:
        links = entry.css('a[href^="#"]')
        linked = "".join(a.text(deep=True) for a in links)
        if not links or "".join(entry.text(deep=True).split()) != "".join(linked.split()):
            return False
    return True


def _is_note(node, notes: dict[str, _WebNote]) -> bool:
    return (node.attributes.get("id") or "") in notes


def _walk(node, builder: _Builder, notes: dict[str, _WebNote]) -> None:
    """Emit headings, text blocks and tables in document order; loose text becomes a block."""
    loose = _Inline(notes)

    def flush() -> None:
        if loose.parts:
            loose.flush(builder, "body")

    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text" or tag in INLINE_TAGS:
            loose.add(child)
        elif child.attributes.get(BOX_MARK) is not None:
            flush()  # a fact box: its own paragraphs, its title no section heading
            for text in _box_texts(child):
                builder.add("box", text)
        elif tag in HEADING_TAGS:
            flush()
            builder.heading(HEADING_TAGS[tag], _without_marks(child, notes))
        elif tag == "table":
            flush()
            rows = [
                [_without_marks(cell, notes) for cell in row.css("th, td")]
                for row in child.css("tr")
            ]
            builder.add("table", _table_text(rows))
        elif tag in ("ul", "ol") and _contents_list(child):
            flush()  # the page's own table of contents: links to its sections, no text
            for item in child.css("li"):  # each entry, nested ones after their parent's
                own = "".join(n.text(deep=True) for n in item.iter(include_text=True)
                              if n.tag not in ("ul", "ol"))  # fmt: skip
                builder.add("toc", own)
        elif _is_note(child, notes):
            flush()  # a note a mark calls: its text once, as a footnote, out of the running text
            note = notes[child.attributes["id"]]
            builder.add("footnote", f"{note.label} {note.text}")
        elif tag in BLOCK_TAGS:
            flush()
            kind = "list" if tag == "li" else "body"
            if child.css_first("p, ul, ol, table, h1, h2, h3, h4, h5, h6") is not None:
                _walk(child, builder, notes)  # an item that holds blocks of its own
            else:
                block = _Inline(notes)
                block.add(child)
                block.flush(builder, kind)
        else:
            flush()
            _walk(child, builder, notes)
    flush()
