"""Web pages saved from a site (.html) → ParsedDocument: h1–h6 give sections (see
`parse.sections`).

Reads only the main text: no navigation, banners, footers, scripts or forms; fact boxes are kept
as boxes, the page's own contents list is marked as contents, and raised note marks link to
their notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from policyminer.parse.layout import POWER_OF_UNIT, POWERS
from policyminer.parse.sections import (
    NOTE_MARK,
    SectionBuilder,
    link_typed_notes,
    note_pages,
    table_text,
)
from policyminer.parse.textclean import normalize_text
from policyminer.parse.textfiles import read_text
from policyminer.records import NoteRef, ParsedDocument

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


def parse_html(path: Path, sha256: str | None = None) -> ParsedDocument:
    """A web page saved from a site: its main text only, h1–h6 giving sections."""
    path = Path(path)
    builder = SectionBuilder()
    title, meta = read_html(read_text(path), builder)
    h1 = next((p.text for p in builder.paragraphs if p.kind == "heading"), "")
    publisher, dated = _page_meta(meta)
    return builder.document(path, sha256, h1 or title, "html", publisher, dated)


def read_html(html: str, builder: SectionBuilder) -> tuple[str, dict[str, str]]:
    """The main text of an HTML document into `builder`; its <title> and meta tags."""
    from selectolax.lexbor import LexborHTMLParser  # imported here: only web pages need it

    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    title = title_node.text(deep=True) if title_node is not None else ""
    meta = _meta_tags(tree)
    notes = _html_notes(tree)  # before the boilerplate goes: notes may stand in a <footer>
    _mark_boxes(tree)
    for node in tree.css(BOILERPLATE_TAGS):
        if node.attributes.get(BOX_MARK) is None:
            node.decompose()
    for node in tree.css("[class], [id]"):
        names = _names(node)
        if (
            node.tag not in ("html", "body", "main", "article")
            and node.attributes.get(BOX_MARK) is None
            and BOILERPLATE_NAME.search(names)
        ):
            node.decompose()
    main = tree.css_first("main, [role=main], article") or tree.body
    if main is not None:
        _walk(main, builder, notes)
    link_typed_notes(builder.paragraphs)
    note_pages(builder.paragraphs)
    return title, meta


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
        named = bool(BOX_NAME.search(_names(node)))
        if (named or (node.tag == "aside" and _in_main(node))) and _reads_as_prose(node):
            node.attrs[BOX_MARK] = "1"


def _names(node) -> str:
    """A node's class and id, the names a site gives its parts."""
    return f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"


def _in_main(node) -> bool:
    """Whether a node stands inside the page's main text (main, article, role=main)."""
    parent = node.parent
    while parent is not None:
        if parent.tag in ("main", "article") or parent.attributes.get("role") == "main":
            return True
        parent = parent.parent
    return False


def _reads_as_prose(node) -> bool:
    """More words outside links than in them, and enough of them to state something."""
    words = len(node.text(deep=True, separator=" ").split())
    linked = sum(len(a.text(deep=True, separator=" ").split()) for a in node.css("a"))
    return words - linked >= MIN_BOX_WORDS and linked * 2 < words


def _box_texts(node) -> list[str]:
    """A box's paragraphs (its title among them): its innermost text blocks, or its text."""
    selector = ", ".join(sorted(BLOCK_TAGS | set(HEADING_TAGS)))
    texts = [  # a node's css() lists the node itself among its matches
        block.text(deep=True) for block in node.css(selector) if len(block.css(selector)) == 1
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


INLINE_TAGS = ("a", "span", "strong", "em", "b", "i", "abbr", "sup", "sub", "code", "time", "br")
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

    def flush(self, builder: SectionBuilder, kind: str) -> None:
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


def _walk(node, builder: SectionBuilder, notes: dict[str, _WebNote]) -> None:
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
            builder.add("table", table_text(rows))
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
