"""PDFs with what real publishers produce and the shipped corpus never shows: a page that takes
layout for ever, superscript markers in the margin, pages that are only an image, hostile text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from layoutdocs import wrap
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageTemplate,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)

WIDTH, HEIGHT = A4
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

PAGE_TEXTS = [
    "Kommunen vil bygge ut digitale tjenester for innbyggerne i hele regionen. "
    "Arbeidet skjer i samarbeid med næringslivet og universitetet.",
    "Fjellstuene i dalen får nye varmepumper og solceller på taket. "
    "Tiltaket halverer strømforbruket i løpet av tre vintre.",
    "Bystyret behandler planen i juni, og tiltakene starter høsten etter. "
    "Rådmannen rapporterer på framdriften hvert kvartal.",
]


def _font(pdf: canvas.Canvas) -> str:
    if DEJAVU.exists():
        if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
        return "DejaVu"
    return "Helvetica"


def _body(
    pdf: canvas.Canvas,
    font: str,
    text: str,
    y: float = HEIGHT - 120,
    size: float = 11,
    leading: float = 15,
) -> None:
    """Text wrapped to the page's measure from y down, one line per `leading` points."""
    pdf.setFont(font, size)
    words, line = text.split(), ""
    for word in words:
        if pdf.stringWidth(f"{line} {word}", font, size) > WIDTH - 144:
            pdf.drawString(72, y, line)
            y -= leading
            line = word
        else:
            line = f"{line} {word}".strip()
    pdf.drawString(72, y, line)


def runaway_pdf(path: Path, rules: int = 8000) -> Path:
    """Three pages of text; the second also carries thousands of tiny separate strokes (a dotted
    chart drawn stroke by stroke, its dashes points apart), which makes table detection slow."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    font = _font(pdf)
    for number, text in enumerate(PAGE_TEXTS, start=1):
        _body(pdf, font, text)
        if number == 2:
            pdf.setLineWidth(0.3)
            for i in range(rules):
                x = 72 + (i % 36) * 14
                y = 60 + (i // 36) * 2.8
                pdf.line(x, y, x + 8.5, y)  # dashes a few points apart: no one ruling
        pdf.showPage()
    pdf.save()
    return path


def margin_marker_pdf(path: Path, pages: int = 4) -> Path:
    """Pages with a running footer and a superscript footnote number ("¹⁰") in the margin."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    font = _font(pdf)
    for number in range(1, pages + 1):
        _body(pdf, font, PAGE_TEXTS[(number - 1) % len(PAGE_TEXTS)])
        pdf.setFont(font, 8)
        pdf.drawString(72, 40, "Temarapport om tjenester")
        pdf.drawString(WIDTH - 90, 40, "¹⁰")
        pdf.drawString(WIDTH / 2, 28, str(number))
        pdf.showPage()
    pdf.save()
    return path


def text_pdf(path: Path, pages: Sequence[str], size: float = 13) -> Path:
    """Plain pages of body text in one font size."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    font = _font(pdf)
    for text in pages:
        _body(pdf, font, text, HEIGHT - 110, size, size * 1.4)
        pdf.showPage()
    pdf.save()
    return path


def miscoded_font_pdf(
    path: Path,
    pages: Sequence[str],
    shift: int = 3,
    unmapped: bool = False,
    cover: Sequence[str] = (),
    only: str = "",
    font: Path = DEJAVU,
    private: bool = False,
) -> Path:
    """Plain pages whose embedded font prints the right letters and maps them to others in its
    ToUnicode table (each letter `shift` letters on, or with `unmapped` to U+FFFD, "no
    character"): the page reads well and extracts as nonsense, as a font embedded without a
    faithful Unicode map does. `cover`: a title page's lines
    before them (the title, then lines in small type). `only`: just these letters are mapped to
    U+FFFD, the rest right (a map that lacks the letters outside ASCII: "h�ring"); with
    `private`, each to a private-use code of its own (U+E000 + its code point: Latin letters),
    as a font without a map that numbers its glyphs gives them. `font`: the TrueType file."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=0)
    name = "DejaVu" if font == DEJAVU else f"Embedded-{font.stem}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(font)))
    if cover:  # a title page: its first line large, the rest in small type, the same font
        y = _lines(pdf, name, cover[:1], HEIGHT - 250, 26, 40)
        _lines(pdf, name, cover[1:], y, 12, 17)
        pdf.showPage()
    for text in pages:
        _body(pdf, name, text, HEIGHT - 110, 12, 17)
        pdf.showPage()
    pdf.save()
    data = path.read_bytes()

    def shifted(match: re.Match[bytes]) -> bytes:
        char = chr(int(match.group(2), 16))
        if only:
            lost = chr(0xE000 + ord(char)) if private else "\ufffd"
            moved = lost if char in only else char
            return match.group(1) + f"{ord(moved):04X}".encode() + b">"
        if not (char.isascii() and char.isalpha()):
            return match.group(0)
        base = ord("a") if char.islower() else ord("A")
        moved = "\ufffd" if unmapped else chr(base + (ord(char) - base + shift) % 26)
        return match.group(1) + f"{ord(moved):04X}".encode() + b">"

    start, end = data.index(b"beginbfchar"), data.index(b"endbfchar")
    table = re.sub(rb"(<[0-9A-Fa-f]{2}> <)([0-9A-Fa-f]{4})>", shifted, data[start:end])
    path.write_bytes(data[:start] + table + data[end:])
    return path


def numbered_pages_pdf(path: Path, pages: Sequence[str], unnumbered: int = 2) -> Path:
    """Pages of body text whose footer prints a page number from the first page after the
    `unnumbered` front pages (a cover and a contents page print none): physical page n prints
    n - unnumbered."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    font = _font(pdf)
    for number, text in enumerate(pages, start=1):
        _body(pdf, font, text, HEIGHT - 110, 12, 17)
        if number > unnumbered:
            pdf.setFont(font, 9)
            pdf.drawCentredString(WIDTH / 2, 36, str(number - unnumbered))
        pdf.showPage()
    pdf.save()
    return path


def filled_form_pdf(path: Path, title: str, fields: Sequence[tuple[str, str]]) -> Path:
    """A fillable form filled in: each label printed on the page, its answer in a text field
    (the answers live in the fields, as in a municipal template filled in by an applicant)."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(72, HEIGHT - 80, title)
    y = HEIGHT - 130
    for number, (label, answer) in enumerate(fields):
        pdf.setFont("Helvetica", 11)
        pdf.drawString(72, y, label)
        pdf.acroForm.textfield(
            name=f"felt{number}", value=answer, x=190, y=y - 6, width=340, height=20,
            borderWidth=0, fontSize=11,
        )  # fmt: skip
        y -= 40
    pdf.showPage()
    pdf.save()
    return path


def outlined_text_pdf(path: Path, pages: Sequence[str], dpi: int = 150) -> Path:
    """Pages whose text is drawn as shapes, not set in a font (as "convert text to outlines"
    leaves a print file): each line's letters filled as runs of dark pixels, one path a line,
    so the page shows text and has neither a text layer nor an image."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    scale = 72 / dpi
    font = ImageFont.truetype(str(DEJAVU), round(12 / scale))
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for text in pages:
        lines = wrap(pdf, text, "Helvetica", 12, WIDTH - 144)
        y = HEIGHT - 110
        for line in lines:
            box = font.getbbox(line)
            image = Image.new("L", (box[2] + 4, round(18 / scale)), 255)
            ImageDraw.Draw(image).text((2, 2), line, fill=0, font=font)
            dark = np.array(image) < 128
            shape = pdf.beginPath()
            for row in range(dark.shape[0]):
                edges = np.flatnonzero(np.diff(np.concatenate(([0], dark[row], [0])).astype(int)))
                for start, end in zip(edges[::2], edges[1::2], strict=True):
                    top = y + 12 - row * scale
                    shape.rect(72 + start * scale, top - scale, (end - start) * scale, scale)
            pdf.drawPath(shape, stroke=0, fill=1)
            y -= 17
        pdf.showPage()
    pdf.save()
    return path


def _lines(
    pdf: canvas.Canvas, font: str, lines: Sequence[str], y: float, size: float, leading: float
) -> float:
    """Lines one under the other from y down, left-aligned; the y below the last."""
    pdf.setFont(font, size)
    for line in lines:
        pdf.drawString(72, y, line)
        y -= leading
    return y


def titled_pdf(path: Path, heading: Sequence[str], text: str, heading_size: float = 24) -> Path:
    """One page: lines set large at the top (a cover's title, or a logo's word), then body
    text at 11 pt, with a page number stamped at the foot."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    font = _font(pdf)
    y = _lines(pdf, font, heading, HEIGHT - 100, heading_size, heading_size * 1.3)
    _body(pdf, font, text, y - 30, 11, 15)
    pdf.setFont(font, 8)
    pdf.drawCentredString(WIDTH / 2, 30, "1")
    pdf.showPage()
    pdf.save()
    return path


def rasterised_pdf(path: Path, source: Path, dpi: int = 200, stamp: str = "") -> Path:
    """Every page of `source` rendered to a picture and placed as the whole page: a scan; with
    `stamp`, a line of real text set over each page's top margin, as an archive system stamps a
    journal number on the scans it files."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(source))
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    try:
        for index in range(len(document)):
            page = document[index]
            image = page.render(scale=dpi / 72).to_pil().convert("L")
            page.close()
            png = path.with_name(f"{path.stem}-{index}.png")
            image.save(png)
            pdf.drawImage(str(png), 0, 0, width=WIDTH, height=HEIGHT)
            if stamp:
                pdf.setFont("Helvetica", 8)
                pdf.drawString(40, HEIGHT - 24, f"{stamp} – side {index + 1}")
            pdf.showPage()
            png.unlink()
    finally:
        document.close()
    pdf.save()
    return path


def lines_pdf(path: Path, lines: Sequence[str], size: float = 11) -> Path:
    """One page with the given lines, one under the other, left-aligned: hard line breaks as a
    typesetter leaves them."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    _lines(pdf, _font(pdf), lines, HEIGHT - 110, size, size * 1.35)
    pdf.showPage()
    pdf.save()
    return path


def big_initials_pdf(path: Path, title: str, body: str) -> Path:
    """A title page whose largest text is a pair of big initials (a gazette's masthead letters),
    with the real title set smaller below, and no title in the metadata."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    font = _font(pdf)
    pdf.setFont(font, 60)
    pdf.drawString(72, HEIGHT - 120, "N")
    pdf.drawString(WIDTH - 120, HEIGHT - 120, "L")
    pdf.setFont(font, 20)
    pdf.drawString(72, HEIGHT - 200, title)
    _body(pdf, font, body, y=HEIGHT - 260)
    pdf.showPage()
    pdf.save()
    return path


def fact_box_pdf(path: Path, box_lines: Sequence[str], body: str) -> Path:
    """Body text and a framed fact box with a small tab drawn on its top edge (as magazine
    layouts mark a box), whose short strokes are not column borders."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    font = _font(pdf)
    _body(pdf, font, body)
    top, left, right = HEIGHT - 300, 72.0, 400.0
    bottom = top - 30 - 15 * len(box_lines)
    pdf.setLineWidth(0.8)
    pdf.rect(left, bottom, right - left, top - bottom)
    pdf.rect(180, top - 14, 20, 14)  # the tab: a little square on the frame
    pdf.setFont(font, 10)
    y = top - 30
    for line in box_lines:
        pdf.drawString(left + 8, y, line)
        y -= 15
    pdf.showPage()
    pdf.save()
    return path


def broken_page_pdf(path: Path, pages: Sequence[str], broken: int) -> Path:
    """Pages of text where the page object of page `broken` (1-based) is overwritten by null, as a
    damaged page tree leaves it: the page is counted but no library can load it."""
    text_pdf(path, pages)
    data = path.read_bytes()
    kids = re.search(rb"/Kids \[([^\]]*)\]", data)
    assert kids is not None
    number = kids.group(1).split(b"R")[broken - 1].split()[0]
    body = re.search(rb"\n" + number + rb" 0 obj\n(.*?)endobj", data, re.S)
    assert body is not None
    # same length keeps the cross-reference table's offsets valid
    blank = b"null" + b" " * (len(body.group(1)) - 5) + b"\n"
    path.write_bytes(data[: body.start(1)] + blank + data[body.end(1) :])
    return path


def sparse_table_pdf(path: Path, rows: Sequence[Sequence[str]], span_row: int) -> Path:
    """Body text, a ruled table with empty cells whose row `span_row` is one cell spanning all
    columns (no inner rules drawn there), and more body text."""
    style = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13)
    table = Table([list(r) for r in rows], colWidths=[120, 140, 60, 110])
    width = len(rows[0]) - 1
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("SPAN", (0, span_row), (width, span_row)),
            ]
        )
    )
    story = [
        Paragraph(" ".join([PAGE_TEXTS[0]] * 2), style),
        table,
        Paragraph(PAGE_TEXTS[2], style),
    ]
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story)
    return path


def grid_table_pdf(
    path: Path,
    before: str,
    rows: Sequence[Sequence[str]],
    after: str,
    widths: Sequence[float] = (80, 130, 180),
) -> Path:
    """Body text, a table ruled cell by cell (its first row a header), and more body text.
    Cells do not wrap: a text longer than its column runs on past the column's rule."""
    style = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13)
    table = Table([list(r) for r in rows], colWidths=list(widths))
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story = [Paragraph(before, style), table, Paragraph(after, style)]
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story)
    return path


def pull_quote_pdf(path: Path, body: str, quote: str, lede: str) -> Path:
    """A page with a large-type lede under the heading, body text in a narrow column and, beside
    it, a pull-quote in large italic type that repeats a sentence of the body."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawString(72, HEIGHT - 90, "Nye tjenester")
    y = HEIGHT - 125
    for text, font, size, x, width in (
        (lede, "Helvetica", 14, 72, WIDTH - 144),
        (body, "Helvetica", 10, 72, 280),
    ):
        line = ""
        for word in text.split():
            if pdf.stringWidth(f"{line} {word}", font, size) > width:
                pdf.setFont(font, size)
                pdf.drawString(x, y, line)
                y -= size * 1.35
                line = word
            else:
                line = f"{line} {word}".strip()
        pdf.setFont(font, size)
        pdf.drawString(x, y, line)
        y -= size * 2.5
    y, line = HEIGHT - 260, ""
    for word in f"«{quote}»".split():
        if pdf.stringWidth(f"{line} {word}", "Helvetica-Oblique", 15) > 170:
            pdf.setFont("Helvetica-Oblique", 15)
            pdf.drawString(375, y, line)
            y -= 20
            line = word
        else:
            line = f"{line} {word}".strip()
    pdf.setFont("Helvetica-Oblique", 15)
    pdf.drawString(375, y, line)
    pdf.showPage()
    pdf.save()
    return path


def repeated_heading_pdf(path: Path, header: str, title: str, pages: Sequence[str]) -> Path:
    """Pages that each open, high in the top margin, with a numbered heading of the same title
    ("1.3", "2.3", ...; number and title set apart by a tab), under a running header."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for number, text in enumerate(pages, start=1):
        pdf.setFont("Helvetica", 8)
        pdf.drawString(72, HEIGHT - 40, header)
        pdf.setFont("Helvetica-Bold", 14)
        pdf.drawString(72, HEIGHT - 80, f"{number}.3")
        pdf.drawString(110, HEIGHT - 80, title)
        _body(pdf, "Helvetica", text, HEIGHT - 115, 10, 13)
        pdf.showPage()
    pdf.save()
    return path


def risen_marker_pdf(path: Path, before: str, marker: str, after: str, note: str) -> Path:
    """One sentence with a footnote reference set at full size and lifted by text rise alone
    (0.3 em, as some exporters do), and its footnote at the foot of the page."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    text = pdf.beginText(72, HEIGHT - 300)  # clear of the top margin, where "27" is a folio
    text.setFont("Helvetica", 10)
    text.textOut(before)
    text.setRise(3)
    text.textOut(marker)
    text.setRise(0)
    text.textOut(after)
    pdf.drawText(text)
    pdf.setFont("Helvetica", 8)
    pdf.drawString(72, 80, f"{marker} {note}")
    pdf.showPage()
    pdf.save()
    return path


def searchable_scan_pdf(
    path: Path,
    body: str,
    rows: Sequence[Sequence[str]] = (),
    widen: float = 100.0,
    dpi: int = 200,
) -> Path:
    """A scan with a text layer, as scanners and archive systems make them: the page is a
    picture (body text and, when `rows` are given, a table ruled in a grid whose columns after
    the first are set flush right, as numbers are) and the same text is laid over it invisibly.
    `widen` (per cent) sets the table's invisible text wider than the print, as such layers
    often are, so that it runs past the cells' right edges."""
    import pypdfium2 as pdfium

    printed = path.with_name(f"{path.stem}-print.pdf")
    pdf = canvas.Canvas(str(printed), pagesize=A4, invariant=1)
    _scan_page(pdf, body, rows, ruled=True, mode=0, widen=100.0)
    pdf.save()
    document = pdfium.PdfDocument(str(printed))
    try:
        page = document[0]
        image = page.render(scale=dpi / 72).to_pil().convert("L")
        page.close()
    finally:
        document.close()
    png = path.with_name(f"{path.stem}-scan.png")
    image.save(png)
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.drawImage(str(png), 0, 0, width=WIDTH, height=HEIGHT)
    _scan_page(pdf, body, rows, ruled=False, mode=3, widen=widen)
    pdf.save()
    png.unlink()
    printed.unlink()
    return path


SCAN_COLUMNS = (72.0, 232.0, 322.0, 412.0, 512.0)  # the ruled table's column edges


def _scan_page(
    pdf: canvas.Canvas,
    body: str,
    rows: Sequence[Sequence[str]],
    ruled: bool,
    mode: int,
    widen: float,
) -> None:
    """One page: body text, then the table; its grid drawn when `ruled`, all text set in text
    render mode `mode` (3: invisible), the table's at `widen` per cent of its width."""
    font, size = "Helvetica", 10.0
    text = pdf.beginText()
    text.setTextRenderMode(mode)
    y = HEIGHT - 100
    for line in wrap(pdf, body, font, size, WIDTH - 144):
        text.setFont(font, size)
        text.setTextOrigin(72, y)
        text.textOut(line)
        y -= 14
    top = y - 10
    text.setHorizScale(widen)
    for r, row in enumerate(rows):
        baseline = top - 18 * r - 13
        for c, cell in enumerate(row):
            left, right = SCAN_COLUMNS[c], SCAN_COLUMNS[c + 1]
            x = right - 4 - pdf.stringWidth(cell, font, size) if c else left + 4
            text.setTextOrigin(x, baseline)
            text.textOut(cell)
    pdf.drawText(text)
    if ruled and rows:
        pdf.setLineWidth(0.6)
        bottom = top - 18 * len(rows)
        for r in range(len(rows) + 1):
            pdf.line(SCAN_COLUMNS[0], top - 18 * r, SCAN_COLUMNS[-1], top - 18 * r)
        for x in SCAN_COLUMNS:
            pdf.line(x, top, x, bottom)
    pdf.showPage()


def frame_ruled_table_pdf(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    """Body text and a table as spreadsheets print them: a frame, a rule under the header and
    between the columns, but none between the body's rows; the header's cells wrap."""
    style = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13)
    cell = ParagraphStyle("cell", fontName="Helvetica", fontSize=9, leading=11)
    data = [[Paragraph(text, cell) for text in header], *[list(row) for row in rows]]
    table = Table(data, colWidths=[150, 80, 80, 80])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEAFTER", (0, 0), (-2, -1), 0.5, colors.black),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
                ("TOPPADDING", (0, 1), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 1),
            ]
        )
    )
    story = [Paragraph(PAGE_TEXTS[0], style), table, Paragraph(PAGE_TEXTS[2], style)]
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story)
    return path


def large_type_pdf(path: Path, blocks: Sequence[tuple]) -> Path:
    """One page of (text, font, size[, gap]) blocks set one under the other, each wrapped to the
    measure, `gap` line pitches below (2.4 by default; 1.3 goes on as the same paragraph):
    large-type headings, ledes and statements among body text."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    y = HEIGHT - 90
    for text, font, size, *gap in blocks:
        line = ""
        for word in text.split():
            if pdf.stringWidth(f"{line} {word}", font, size) > WIDTH - 144:
                pdf.setFont(font, size)
                pdf.drawString(72, y, line)
                y -= size * 1.3
                line = word
            else:
                line = f"{line} {word}".strip()
        pdf.setFont(font, size)
        pdf.drawString(72, y, line)
        y -= size * (gap[0] if gap else 2.4)
    pdf.showPage()
    pdf.save()
    return path


def shaded_lines_table_pdf(path: Path, rows: Sequence[Sequence[str]], spans: int) -> Path:
    """Body text and a ruled grid of three columns whose cells hold paragraphs, as word processors
    export review forms: the last column's cells are shaded, and each of their lines again (a
    filled rectangle per line, from the cell's top, a cell margin short of its sides); the first
    column's cell of the last `spans` rows is one cell, its label set halfway down (the rules
    between those rows cross only the other columns)."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    font, size, leading = "Helvetica", 9, 11
    _body(pdf, font, PAGE_TEXTS[0])
    xs = [72.0, 172.0, 332.0, 522.0]
    cells = [
        [
            wrap(pdf, text, font, size, b - a - 10)
            for text, a, b in zip(row, xs, xs[1:], strict=False)
        ]
        for row in rows
    ]
    tops = _row_tops(cells, leading)
    first_spanned = len(rows) - spans
    pdf.setFont(font, size)
    for r, row in enumerate(cells):
        if r > 0:
            pdf.setFillColorRGB(0.99, 0.91, 0.85)
            pdf.rect(xs[2], tops[r + 1], xs[3] - xs[2], tops[r] - tops[r + 1], stroke=0, fill=1)
            for k in range(len(row[2])):
                top = tops[r] - k * leading
                pdf.rect(xs[2] + 5, top - leading, xs[3] - xs[2] - 10, leading, stroke=0, fill=1)
            pdf.setFillColorRGB(0, 0, 0)
        for c, lines in enumerate(row):
            baseline = tops[r] - 8.5
            if c == 0 and r == first_spanned:
                baseline = (tops[r] + tops[-1]) / 2 - size / 2
            for line in lines:
                pdf.drawString(xs[c] + 5, baseline, line)
                baseline -= leading
    _grid(pdf, xs, tops, spanned=range(first_spanned + 1, len(rows)))
    _body(pdf, font, PAGE_TEXTS[2], y=tops[-1] - 30)
    pdf.save()
    return path


def paragraph_cells_table_pdf(path: Path, rows: Sequence[Sequence[Sequence[str]]]) -> Path:
    """A ruled grid whose cells hold several paragraphs or list items each (a cell is a list of
    paragraphs, each wrapped to the column, or broken where it holds a newline), set line
    after line with no space between them."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    font, size, leading = "Helvetica", 9, 11
    _body(pdf, font, PAGE_TEXTS[0])
    xs = [72.0, 172.0, 522.0]
    cells = [
        [
            [
                line
                for para in cell
                for line in (
                    para.split("\n") if "\n" in para else wrap(pdf, para, font, size, b - a - 10)
                )
            ]
            for cell, a, b in zip(row, xs, xs[1:], strict=False)
        ]
        for row in rows
    ]
    tops = _row_tops(cells, leading)
    pdf.setFont(font, size)
    for r, row in enumerate(cells):
        for c, lines in enumerate(row):
            baseline = tops[r] - 8.5
            for line in lines:
                pdf.drawString(xs[c] + 5, baseline, line)
                baseline -= leading
    _grid(pdf, xs, tops)
    _body(pdf, font, PAGE_TEXTS[2], y=tops[-1] - 30)
    pdf.save()
    return path


def tight_cells_table_pdf(
    path: Path, rows: Sequence[tuple[Sequence[str], Sequence[str]]], overflow: str = ""
) -> Path:
    """A ruled two-column grid whose first column's lines end close against the rule and whose
    second column's start close after it (a narrow padding), each cell several lines; with
    `overflow`, a last row whose one line of text is drawn on through the rule (as a
    spreadsheet prints text longer than its cell)."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    font, size, leading = "Helvetica", 9, 11
    _body(pdf, font, PAGE_TEXTS[0])
    xs = [72.0, 232.0, 522.0]
    cells = [[list(left), list(right)] for left, right in rows]
    if overflow:
        cells.append([[overflow], []])
    tops = _row_tops(cells, leading)
    pdf.setFont(font, size)
    for r, (left, right) in enumerate(cells):
        baseline = tops[r] - 8.5
        for line in left:
            if overflow and r == len(cells) - 1:
                pdf.drawString(xs[1] - 40, baseline, line)  # starts in the cell, runs on through
            else:
                pdf.drawRightString(xs[1] - 1.5, baseline, line)
            baseline -= leading
        baseline = tops[r] - 8.5
        for line in right:
            pdf.drawString(xs[1] + 1.5, baseline, line)
            baseline -= leading
    _grid(pdf, xs, tops)
    _body(pdf, font, PAGE_TEXTS[2], y=tops[-1] - 30)
    pdf.save()
    return path


def _row_tops(cells: Sequence[Sequence[Sequence[str]]], leading: float) -> list[float]:
    """The top of each row and the grid's bottom: each row as tall as its longest cell."""
    tops = [HEIGHT - 170.0]
    for row in cells:
        tops.append(tops[-1] - max(len(c) for c in row) * leading - 4)
    return tops


def _grid(pdf: canvas.Canvas, xs: Sequence[float], tops: Sequence[float], spanned=()) -> None:
    """Rules around every cell; the row edges in `spanned` leave the first column open."""
    pdf.setLineWidth(0.5)
    for x in xs:
        pdf.line(x, tops[0], x, tops[-1])
    for r, y in enumerate(tops):
        pdf.line(xs[1] if r in spanned else xs[0], y, xs[-1], y)


def borderless_table_pdf(
    path: Path,
    before: str,
    rows: Sequence[Sequence[str]],
    after: str,
    widths: Sequence[float] = (90, 140, 120, 110),
) -> Path:
    """Body text, a table drawn without any rule (its first row a bold header), its cells
    wrapped to their column and centred in their row, as a word processor exports a borderless
    table, and more body text."""
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13)
    head = ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=10, leading=13)
    cells = [
        [Paragraph(text, head if r == 0 else body) for text in row] for r, row in enumerate(rows)
    ]
    table = Table(cells, colWidths=list(widths))
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    story = [Paragraph(before, body), table, Paragraph(after, body)]
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story)
    return path


def columns_pdf(path: Path, paragraphs: Sequence[str], columns: int = 3) -> Path:
    """Running text set in `columns` columns side by side on each page, paragraphs spaced."""
    style = ParagraphStyle("body", fontName="Helvetica", fontSize=9, leading=12, spaceAfter=12)
    gutter, margin = 14, 50
    width = (WIDTH - 2 * margin - (columns - 1) * gutter) / columns
    frames = [
        Frame(margin + i * (width + gutter), margin, width, HEIGHT - 2 * margin, id=f"c{i}")
        for i in range(columns)
    ]
    doc = BaseDocTemplate(str(path), pagesize=A4, invariant=1)
    doc.addPageTemplates([PageTemplate(id="columns", frames=frames)])
    doc.build([Paragraph(text, style) for text in paragraphs])
    return path


def contents_beside_colophon_pdf(path: Path, entries: Sequence[tuple[str, str]]) -> Path:
    """A contents page: page numbers set right-aligned before the titles, and beside the list,
    in small type, a colophon of three lines."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(72, HEIGHT - 80, "Innhold")
    y = HEIGHT - 120
    for number, title in entries:
        pdf.setFont("Helvetica", 11)
        pdf.drawRightString(90, y, number)
        pdf.drawString(110, y, title)
        y -= 30
    pdf.setFont("Helvetica", 8)
    for i, text in enumerate(["Design:", "Studio Nordvik", "Trykk: Fjordtrykk AS"]):
        pdf.drawString(430, HEIGHT - 200 - 11 * i, text)
    pdf.showPage()
    pdf.save()
    return path


def figures_table_pdf(
    path: Path, before: str, rows: Sequence[Sequence[str]], after: str, indent: bool
) -> Path:
    """Body text, a table of figures without rules (one line a row, the figures right-aligned,
    the header bold) set close to the text around it, indented or at the margin."""
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13)
    table = Table(
        [list(r) for r in rows],
        colWidths=[110, 100, 100, 70],
        hAlign="CENTER" if indent else "LEFT",
    )
    table.setStyle(
        TableStyle(
            [("FONT", (0, 0), (-1, 0), "Helvetica-Bold"), ("ALIGN", (1, 0), (-1, -1), "RIGHT")]
        )
    )
    story = [Paragraph(before, body), table, Paragraph(after, body)]
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story)
    return path
