"""PDFs as word processors and report templates make them: a chapter title at the top of every
page, section numbers set apart from their titles by a tab, Word's bullets (a Courier "o", a
bullet glyph drawn as its own text run), and tables drawn cell by cell."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from layoutdocs import wrap
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = A4
LEFT = 72.0
MEASURE = WIDTH - 2 * LEFT


def _paragraph(pdf: canvas.Canvas, text: str, y: float, x: float = LEFT, size: float = 10) -> float:
    """Body text wrapped from baseline y down; returns the baseline below the paragraph."""
    pdf.setFont("Helvetica", size)
    for line in wrap(pdf, text, "Helvetica", size, MEASURE - (x - LEFT)):
        pdf.drawString(x, y, line)
        y -= size * 1.3
    return y - size * 0.7


def chapter_pages_pdf(path: Path, header: str, chapters: Sequence[tuple[str, str]]) -> Path:
    """A title page, then one page per chapter (title, text): each opens at the very top with
    its numbered title ("2 Title", number and title in one run, the number running one behind
    the physical page) under a running header, and carries its page number in the footer."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawString(LEFT, HEIGHT - 300, header)
    pdf.showPage()
    for number, (title, text) in enumerate(chapters, start=1):
        pdf.setFont("Helvetica", 8)
        pdf.drawString(LEFT, HEIGHT - 36, header)
        pdf.setFont("Helvetica-Bold", 16)
        pdf.drawString(LEFT, HEIGHT - 72, f"{number} {title}")
        _paragraph(pdf, text, HEIGHT - 110)
        pdf.setFont("Helvetica", 8)
        pdf.drawCentredString(WIDTH / 2, 30, str(number + 1))
        pdf.showPage()
    pdf.save()
    return path


def tabbed_numbers_pdf(
    path: Path, sections: Sequence[tuple[str, str, str]], items: Sequence[str], tab: float = 42
) -> Path:
    """Sections (number, title, text) whose bold heading sets the number at the margin and the
    title at a tab stop `tab` points on (1.5 cm by default), as Word's numbered headings do; then
    a numbered list whose numbers stand at the margin and whose items, wrapped, hang at a tab."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    y = HEIGHT - 100
    for number, title, text in sections:
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawString(LEFT, y, number)
        pdf.drawString(LEFT + tab, y, title)
        y = _paragraph(pdf, text, y - 20)
    for n, item in enumerate(items, start=1):
        pdf.setFont("Helvetica", 10)
        pdf.drawString(LEFT, y, f"{n}.")
        y = _paragraph(pdf, item, y, x=LEFT + 28) + 7
    pdf.showPage()
    pdf.save()
    return path


def word_bullets_pdf(path: Path, intro: str, items: Sequence[tuple[int, str]], after: str) -> Path:
    """An intro paragraph, a bulleted list as Word exports it, and a closing paragraph. Items
    are (level, text): level 1 has a "•" from the Symbol font drawn as its own run after the
    item's text (exporters write list labels apart), level 2 a Courier "o" set before its text
    at a tab stop; wrapped item lines hang at the text's indent."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    y = _paragraph(pdf, intro, HEIGHT - 100)
    for level, text in items:
        bullet_x = LEFT + 18 * (2 * level - 1)
        text_x = bullet_x + 18
        top = y
        y = _paragraph(pdf, text, y, x=text_x) + 7
        if level == 1:
            pdf.setFont("Symbol", 10)
            pdf.drawString(bullet_x, top, "•")
        else:
            pdf.setFont("Courier", 10)
            pdf.drawString(bullet_x, top, "o")
    _paragraph(pdf, after, y - 7)
    pdf.showPage()
    pdf.save()
    return path


def cell_table_pdf(path: Path, before: str, rows: Sequence[Sequence[str]], after: str) -> Path:
    """Body text, a table whose every cell is its own rectangle, a point inside the cell's slot
    so that no border touches its neighbour's (as some word processors and PDF printers draw
    tables), and more body text."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    y = _paragraph(pdf, before, HEIGHT - 100)
    widths = [90.0, 150.0, 90.0, 110.0]
    height = 18.0
    top = y + 4
    pdf.setLineWidth(0.5)
    for r, row in enumerate(rows):
        x = LEFT
        for width, cell in zip(widths, row, strict=True):
            pdf.rect(x + 1, top - (r + 1) * height + 1, width - 2, height - 2)
            pdf.setFont("Helvetica-Bold" if r == 0 else "Helvetica", 9)
            pdf.drawString(x + 5, top - (r + 1) * height + 6, cell)
            x += width
    _paragraph(pdf, after, top - len(rows) * height - 24)
    pdf.showPage()
    pdf.save()
    return path


def thick_border_table_pdf(path: Path, rows: Sequence[Sequence[str]]) -> Path:
    """A ruled table whose second column border is a thick bar (a filled rectangle 2.2 pt wide,
    as word processors draw a heavy border), the other borders hairlines."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    widths = [150.0, 40.0, 200.0]
    height, top = 20.0, HEIGHT - 150
    bottom = top - height * len(rows)
    pdf.setLineWidth(0.5)
    xs = [LEFT + sum(widths[:i]) for i in range(len(widths) + 1)]
    for x in xs:
        if x == xs[1]:
            pdf.rect(x - 1.1, bottom, 2.2, top - bottom, stroke=0, fill=1)
        else:
            pdf.line(x, top, x, bottom)
    for r in range(len(rows) + 1):
        pdf.line(xs[0], top - r * height, xs[-1], top - r * height)
    pdf.setFont("Helvetica", 9)
    for r, row in enumerate(rows):
        for x, cell in zip(xs, row, strict=False):
            pdf.drawString(x + 5, top - (r + 1) * height + 6, cell)
    _paragraph(pdf, "Tabellen viser hvilke krav søknaden har svart på.", bottom - 30)
    pdf.showPage()
    pdf.save()
    return path


def ruled_numbers_pdf(path: Path, before: str, rows: Sequence[Sequence[str]]) -> Path:
    """Body text and a table ruled on every side of every cell, whose cells below the header
    are mostly numbers (the table a scanned report's OCR must read whole)."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    y = _paragraph(pdf, before, HEIGHT - 100, size=12)
    widths = [150.0, 110.0, 110.0]
    height = 24.0
    top = y - 10
    pdf.setLineWidth(1.2)
    for r, row in enumerate(rows):
        x = LEFT
        for width, cell in zip(widths, row, strict=True):
            pdf.rect(x, top - (r + 1) * height, width, height)
            pdf.setFont("Helvetica", 12)
            pdf.drawString(x + 8, top - (r + 1) * height + 8, cell)
            x += width
    pdf.showPage()
    pdf.save()
    return path
