"""Render the seed reports of ../shared/seeds as the report PDFs shipped in corpus/.

    python scripts/render_corpus.py [--out corpus] [--seeds ../shared/seeds]

Each PDF looks like a real report: A4, a title page, a contents page, a running header with the
report title, page numbers in the footer, numbered bold headings, bullet lists, the Drammen tables
as ruled tables, footnotes at the bottom of the page that references them, one chapter set in two
columns, and PDF metadata (title, author = publisher, subject, creation date in the report's year).
Output is deterministic (reportlab invariant mode): re-rendering gives identical bytes.

Footnotes need the page a marker lands on before the page is laid out, so each report is built a
few times: every pass records which notes landed on which page, and the next pass reserves that
much room at the bottom of those pages, until every page has the room its notes need.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

# seedtext (the seeds' ground truth) lives with the tests that check the corpus against it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from seedtext import SEEDS, Block, SeedDoc, load_seed

REPO = Path(__file__).resolve().parents[1]
PAGE_W, PAGE_H = A4
MARGIN_X = 2.2 * cm
MARGIN_TOP = 2.6 * cm
MARGIN_BOTTOM = 2.3 * cm
GUTTER = 0.8 * cm
TEXT_W = PAGE_W - 2 * MARGIN_X
MAX_PASSES = 12
PYPHEN = "0.18.1"  # the hyphenation dictionaries the committed PDFs were set with
REPORTLAB = "5.1.0"  # the reportlab that set them: another version may lay out differently


@dataclass(frozen=True)
class Look:
    """Per-report typography and layout choices."""

    running_title: str
    body_font: str
    bold_font: str
    italic_font: str
    body_size: float
    leading: float
    accent: colors.Color
    two_column_chapter: str  # number of the chapter set in two columns
    footer_left: str


LOOKS: dict[str, Look] = {
    "000_4835574da3d7928c.txt": Look(
        running_title="Veikart for verdiskaping i Trondheim kommune innen helse",
        body_font="Helvetica",
        bold_font="Helvetica-Bold",
        italic_font="Helvetica-Oblique",
        body_size=10,
        leading=13.6,
        accent=colors.HexColor("#003c65"),
        two_column_chapter="2",
        footer_left="",
    ),
    "003_dd8901a9cd81dfff.txt": Look(
        running_title="Drammensregionen: helserelatert FoU, innovasjon og næringsutvikling",
        body_font="Times-Roman",
        bold_font="Times-Bold",
        italic_font="Times-Italic",
        body_size=10.5,
        leading=14,
        accent=colors.HexColor("#7a1f3d"),
        two_column_chapter="3",
        footer_left="Menon Economics",
    ),
}


class Styles:
    """Paragraph styles for one report."""

    def __init__(self, look: Look) -> None:
        base = ParagraphStyle(
            "body",
            fontName=look.body_font,
            fontSize=look.body_size,
            leading=look.leading,
            alignment=TA_JUSTIFY,
            spaceAfter=look.body_size * 0.7,
            # real end-of-line hyphenation ("helse-" / "sektoren"), as in typeset reports
            hyphenationLang="nb_NO",
            embeddedHyphenation=1,
            uriWasteReduce=0.3,
        )
        self.body = base
        self.body_ragged = ParagraphStyle(
            "body_ragged", parent=base, alignment=TA_LEFT, hyphenationLang=""
        )
        self.bullet = ParagraphStyle(
            "bullet", parent=base, leftIndent=16, bulletIndent=4, spaceAfter=3
        )
        self.bullet2 = ParagraphStyle(
            "bullet2", parent=base, leftIndent=32, bulletIndent=20, spaceAfter=3
        )
        self.caption = ParagraphStyle(
            "caption",
            parent=base,
            hyphenationLang="",
            fontName=look.italic_font,
            fontSize=look.body_size - 1.5,
            leading=look.leading - 2,
            alignment=TA_LEFT,
            spaceBefore=4,
            spaceAfter=8,
        )
        sizes = {1: 17, 2: 13.5, 3: 11.5, 4: look.body_size + 0.5, 5: look.body_size}
        self.caption_before_table = ParagraphStyle(
            "caption_table", parent=self.caption, keepWithNext=1
        )
        self.headings = {
            level: ParagraphStyle(
                f"h{level}",
                fontName="Helvetica-Bold",
                fontSize=size,
                leading=size * 1.25,
                textColor=look.accent if level <= 3 else colors.black,
                spaceBefore=size * (1.2 if level > 1 else 0.2),
                spaceAfter=size * 0.55,
                keepWithNext=1,
                alignment=TA_LEFT,
            )
            for level, size in sizes.items()
        }
        self.note = ParagraphStyle(
            "note",
            fontName=look.body_font,
            fontSize=7.5,
            leading=9,
            leftIndent=10,
            firstLineIndent=-10,
            alignment=TA_LEFT,
        )
        self.cell = ParagraphStyle(
            "cell", fontName=look.body_font, fontSize=8.2, leading=10, alignment=TA_LEFT
        )
        self.head_cell = ParagraphStyle("headcell", parent=self.cell, fontName=look.bold_font)
        self.toc = ParagraphStyle(
            "toc",
            parent=base,
            alignment=TA_LEFT,
            fontSize=look.body_size,
            spaceAfter=2,
            hyphenationLang="",
        )
        self.title = ParagraphStyle(
            "title", fontName="Helvetica-Bold", fontSize=24, leading=30, textColor=look.accent
        )
        self.subtitle = ParagraphStyle(
            "subtitle", fontName="Helvetica", fontSize=13, leading=17, textColor=colors.black
        )
        self.front = ParagraphStyle(
            "front", fontName="Helvetica", fontSize=10, leading=13, alignment=TA_LEFT
        )


class RoomLookup:
    """The footnote room of the page being laid out; shared, never copied (frames get copied)."""

    def __init__(self, doc: BaseDocTemplate, rooms: dict[int, float]) -> None:
        self.doc = doc
        self.rooms = rooms

    def __call__(self) -> float:
        return self.rooms.get(getattr(self.doc, "page", 0), 0.0)

    def __deepcopy__(self, memo: dict) -> RoomLookup:
        return self


class NoteFrame(Frame):
    """A frame whose bottom rises by the footnote room its page needs."""

    def __init__(self, room: RoomLookup, *args: object, **kwargs: object) -> None:
        self.__dict__["_room"] = room  # Frame.__init__ calls _reset before we could set it
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def _reset(self) -> None:
        super()._reset()
        self._y1p = self._y1 + self._bottomPadding + self._room()


class ReportDoc(BaseDocTemplate):
    """One layout pass of a report: records where footnotes and headings land."""

    def __init__(
        self, target: io.BytesIO, seed: SeedDoc, look: Look, styles: Styles, rooms: dict[int, float]
    ) -> None:
        super().__init__(
            target,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=seed.title,
            author=seed.publisher,
            subject=seed.subject,
            creator=f"{seed.publisher} (policyminer corpus renderer)",
            keywords=f"{seed.publisher}, {seed.year}",
            producer="ReportLab",
            invariant=1,
        )
        self.seed = seed
        self.look = look
        self.styles = styles
        self.rooms = rooms
        self.note_pages: dict[str, int] = {}
        self.heading_pages: dict[str, int] = {}
        self._page_notes: list[str] = []
        room = RoomLookup(self, rooms)
        body_h = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
        one = NoteFrame(
            room,
            MARGIN_X,
            MARGIN_BOTTOM,
            TEXT_W,
            body_h,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        col_w = (TEXT_W - GUTTER) / 2
        left = NoteFrame(
            room,
            MARGIN_X,
            MARGIN_BOTTOM,
            col_w,
            body_h,
            id="left",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        right = NoteFrame(
            room,
            MARGIN_X + col_w + GUTTER,
            MARGIN_BOTTOM,
            col_w,
            body_h,
            id="right",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        title = Frame(MARGIN_X, MARGIN_BOTTOM, TEXT_W, body_h, id="title")
        self.addPageTemplates(
            [
                PageTemplate("title", [title], onPage=self._title_page),
                PageTemplate("one", [one], onPage=self._page_begin, onPageEnd=self._page_end),
                PageTemplate(
                    "two", [left, right], onPage=self._page_begin, onPageEnd=self._page_end
                ),
            ]
        )

    def beforeDocument(self) -> None:
        self.canv.setNamedCB("note", self._note_drawn)
        year = self.seed.year
        # reportlab's invariant mode stamps 2000-01-01; the report's own year is more truthful
        self.canv.setDateFormatter(lambda *_: f"D:{year}0101120000+00'00'")

    def _note_drawn(self, canvas: object, kind: str, label: str | None) -> None:
        if label is not None and label not in self.note_pages:
            self.note_pages[label] = self.page
            self._page_notes.append(label)

    def afterFlowable(self, flowable: Flowable) -> None:
        key = getattr(flowable, "heading_key", None)
        if key is not None and key not in self.heading_pages:
            self.heading_pages[key] = self.page

    def _title_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFillColor(self.look.accent)
        canvas.rect(0, PAGE_H - 5.2 * cm, PAGE_W, 5.2 * cm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont("Helvetica-Bold", 15)
        canvas.drawString(MARGIN_X, PAGE_H - 2.2 * cm, self.seed.publisher.upper())
        canvas.restoreState()

    def _page_begin(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        self._page_notes = []
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        y = PAGE_H - 1.5 * cm
        canvas.drawString(MARGIN_X, y, self.look.running_title)
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN_X, y - 4, PAGE_W - MARGIN_X, y - 4)
        foot = 1.2 * cm
        if self.look.footer_left:
            canvas.drawString(MARGIN_X, foot, self.look.footer_left)
            canvas.drawRightString(PAGE_W - MARGIN_X, foot, str(self.page))
        else:
            canvas.drawCentredString(PAGE_W / 2, foot, str(self.page))
        canvas.restoreState()

    def _page_end(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        if not self._page_notes:
            return
        paras = [
            note_paragraph(label, self.seed.footnotes[label], self.styles)
            for label in self._page_notes
        ]
        heights = [p.wrap(TEXT_W, PAGE_H)[1] for p in paras]
        y = MARGIN_BOTTOM
        top = y + sum(heights) + 2 * (len(paras) - 1)
        canvas.saveState()
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, top + 5, MARGIN_X + 5 * cm, top + 5)
        cursor = top
        for para, height in zip(paras, heights, strict=True):
            cursor -= height
            para.drawOn(canvas, MARGIN_X, cursor)
            cursor -= 2
        canvas.restoreState()


def note_paragraph(label: str, text: str, styles: Styles) -> Paragraph:
    """A footnote as set at the bottom of a page."""
    text = break_long_words(text, styles.note, TEXT_W - styles.note.leftIndent)
    body = escape(text).replace("\n", "<br/>")
    return Paragraph(f"<super>{escape(label)}</super>\u00a0{body}", styles.note)


def break_long_words(text: str, style: ParagraphStyle, width: float) -> str:
    """Line-break URLs too wide for the column after a slash or hyphen, as typesetters do.

    reportlab's own long-word splitting ignores paragraph indents, so an indented URL would
    run into the margin.
    """
    limit = width * 0.92

    def fits(piece: str) -> bool:
        return stringWidth(piece, style.fontName, style.fontSize) <= limit

    words = []
    for word in text.split(" "):
        if fits(word):
            words.append(word)
            continue
        lines, current = [], ""
        for part in re.findall(r"[^/\-]*[/\-]?", word):
            if current and not fits(current + part):
                lines.append(current)
                current = ""
            current += part
        lines.append(current)
        words.append("\n".join(line for line in lines if line))
    return " ".join(words)


def note_room(labels: list[str], seed: SeedDoc, styles: Styles) -> float:
    """The height the bottom-of-page block for these notes takes, rule and gaps included."""
    if not labels:
        return 0.0
    heights = [
        note_paragraph(lb, seed.footnotes[lb], styles).wrap(TEXT_W, PAGE_H)[1] for lb in labels
    ]
    return sum(heights) + 2 * (len(labels) - 1) + 12


def marked_up(block: Block, style: ParagraphStyle | None = None, width: float = TEXT_W) -> str:
    """Block text as Paragraph markup, footnote markers back in as superscripts."""
    pieces: list[str] = []
    pos = 0

    def text(piece: str) -> str:
        if style is not None:
            piece = break_long_words(piece, style, width - style.leftIndent)
        return escape(piece)

    for note in sorted(block.notes, key=lambda n: n.offset):
        pieces.append(text(block.text[pos : note.offset]))
        pieces.append(f'<super>{note.label}</super><onDraw name="note" label="{note.label}"/>')
        pos = note.offset
    pieces.append(text(block.text[pos:]))
    return "".join(pieces).replace("\n", "<br/>")


class Heading(Paragraph):
    """A heading paragraph that reports its key so the contents page can find its page."""

    heading_key: str | None = None


def heading_flowable(block: Block, styles: Styles, key: str) -> Paragraph:
    """A numbered (or unnumbered) bold heading."""
    level = min(block.level, 5)
    text = escape(block.text)
    label = f"{block.number}\u2003{text}" if block.number else text
    para = Heading(label, styles.headings[level])
    para.heading_key = key
    return para


def table_flowable(block: Block, styles: Styles, width: float) -> Table:
    """A ruled table with a shaded header row that repeats on each page."""
    rows = block.rows
    ncols = len(rows[0])
    pad = 9.0
    # every column at least as wide as its longest word; the rest shared by text length
    floors = [
        max(
            stringWidth(word, styles.head_cell.fontName, styles.cell.fontSize) + pad
            for row in rows
            for word in (row[c].split() or [""])
        )
        for c in range(ncols)
    ]
    lengths = [min(max(len(r[c]) for r in rows), 60) for c in range(ncols)]
    spare = max(width - sum(floors), 0.0)
    share = max(sum(lengths), 1)
    col_widths = [f + spare * n / share for f, n in zip(floors, lengths, strict=True)]
    if sum(col_widths) > width:
        col_widths = [w * width / sum(col_widths) for w in col_widths]
    data = [
        [Paragraph(escape(cell), styles.head_cell if i == 0 else styles.cell) for cell in row]
        for i, row in enumerate(rows)
    ]
    table = Table(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#444444")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4e4e4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def block_flowables(
    block: Block, styles: Styles, key: str, width: float, before_table: bool = False
) -> list[Flowable]:
    """The flowables one block becomes."""
    if block.kind == "heading":
        return [heading_flowable(block, styles, key)]
    if block.kind == "table":
        return [Spacer(1, 4), table_flowable(block, styles, width), Spacer(1, 8)]
    if block.kind == "caption":
        style = styles.caption_before_table if before_table else styles.caption
        return [Paragraph(marked_up(block), style)]
    ragged = max((len(w) for w in block.text.split()), default=0) > 35  # long URLs
    if block.kind == "bullet":
        style = styles.bullet2 if block.depth else styles.bullet
        if ragged:
            style = ParagraphStyle(
                f"{style.name}-ragged", parent=style, alignment=TA_LEFT, hyphenationLang=""
            )
        label = block.label if block.label not in ("-", "•") else ("–" if block.depth else "•")
        return [Paragraph(marked_up(block, style, width), style, bulletText=label)]
    style = styles.body_ragged if ragged else styles.body
    return [Paragraph(marked_up(block, style, width), style)]


def contents(seed: SeedDoc, styles: Styles, pages: dict[str, int]) -> list[Flowable]:
    """A contents page listing chapters and sections with the pages of the previous pass."""
    rows = []
    for i, block in enumerate(seed.blocks):
        if block.kind != "heading" or block.level > 2 or (block.level == 2 and not block.number):
            continue
        page = pages.get(str(i), 0)
        indent = 0 if block.level == 1 else 14
        style = ParagraphStyle(
            f"toc{block.level}",
            parent=styles.toc,
            leftIndent=indent,
            fontName="Helvetica-Bold" if block.level == 1 else "Helvetica",
        )
        label = f"{block.number}\u2002{block.text}" if block.number else block.text
        rows.append(
            [
                Paragraph(escape(label), style),
                Paragraph(str(page or ""), ParagraphStyle("pg", parent=style, alignment=2)),
            ]
        )
    table = Table(rows, colWidths=[TEXT_W - 1.5 * cm, 1.5 * cm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return [Paragraph("Innhold", styles.headings[1]), Spacer(1, 6), table]


def story(seed: SeedDoc, look: Look, styles: Styles, pages: dict[str, int]) -> list[Flowable]:
    """Title page, contents, then the chapters, each starting on a new page."""
    flow: list[Flowable] = [
        Spacer(1, 4.5 * cm),
        Paragraph(escape(seed.title), styles.title),
        Spacer(1, 14),
        Paragraph(escape(seed.subtitle), styles.subtitle),
        Spacer(1, 0.6 * cm),
    ]
    chapters = seed.chapters()
    index = 0
    if chapters and chapters[0][0].kind != "heading":
        front = chapters.pop(0)
        flow += [Paragraph(marked_up(b), styles.front) for b in front]
        index += len(front)
    flow += [
        Spacer(1, 9 * cm),
        Paragraph(f"{escape(seed.publisher)}<br/>{seed.year}", styles.subtitle),
    ]
    flow += [NextPageTemplate("one"), PageBreak()]
    flow += contents(seed, styles, pages)
    col_w = (TEXT_W - GUTTER) / 2
    for chapter in chapters:
        two = chapter[0].number == look.two_column_chapter
        flow.append(NextPageTemplate("two" if two else "one"))
        flow.append(PageBreak())
        width = col_w if two else TEXT_W
        for n, block in enumerate(chapter):
            following = chapter[n + 1] if n + 1 < len(chapter) else None
            before_table = following is not None and following.kind == "table"
            parts = block_flowables(block, styles, str(index), width, before_table)
            if block.kind == "heading" and block.level > 1:
                flow.append(CondPageBreak(3 * cm))
            if block.kind == "caption" and len(flow) > 1 and isinstance(flow[-2], Table):
                flow[-2] = KeepTogether([flow[-2], *parts])  # a table and its source line
            else:
                flow.extend(parts)
            index += 1
    return flow


def render(seed_path: Path, out: Path) -> Path:
    """Render one seed to a PDF at `out`; returns `out`."""
    seed = load_seed(seed_path)
    look = LOOKS[seed_path.name]
    styles = Styles(look)
    rooms: dict[int, float] = {}
    pages: dict[str, int] = {}
    data = b""
    for _ in range(MAX_PASSES):
        buffer = io.BytesIO()
        doc = ReportDoc(buffer, seed, look, styles, rooms)
        doc.build(story(seed, look, styles, pages))
        data = buffer.getvalue()
        needed: dict[int, list[str]] = {}
        for label, page in doc.note_pages.items():
            needed.setdefault(page, []).append(label)
        grown = False
        for page, labels in needed.items():
            room = note_room(labels, seed, styles)
            if room > rooms.get(page, 0.0) + 0.01:
                rooms[page] = room
                grown = True
        stable_toc = doc.heading_pages == pages
        pages = doc.heading_pages
        if not grown and stable_toc:
            break
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out


def main(argv: list[str] | None = None) -> int:
    """Render every known seed into the corpus folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    parser.add_argument("--out", type=Path, default=REPO / "corpus")
    args = parser.parse_args(argv)
    try:
        import pyphen
    except ImportError:
        print(
            f"render_corpus: pyphen=={PYPHEN} is needed for the layout's hyphenation",
            file=sys.stderr,
        )
        return 2
    if getattr(pyphen, "__version__", PYPHEN) != PYPHEN:
        # another dictionary version may hyphenate differently: the PDFs would not match
        print(
            f"render_corpus: warning: pyphen {pyphen.__version__} is not the pinned {PYPHEN}",
            file=sys.stderr,
        )
    for name, meta in SEEDS.items():
        source = args.seeds / name
        if not source.exists():
            print(f"{source}: seed file not found", file=sys.stderr)
            return 2
        path = render(source, args.out / meta.pdf_name)
        print(f"{path} ({path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
