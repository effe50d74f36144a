"""PDFs with magazine and report layouts: columns next to text left beyond the page edge, notes
set in columns, a running header that is a box of several lines, letter-spaced footers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = A4
COLUMNS = (54.0, 310.0)  # left edges of a two-column page; each column 230 pt wide
MEASURE = 230.0
# letter spacing per word of a footer, one pattern per page: some words come out spaced
# ("V A N N"), others not, and no two pages alike
TRACKING = [
    (0.3, 2.0, 0.3),
    (2.0, 0.3, 2.0),
    (2.0, 2.0, 0.3),
    (0.3, 0.3, 2.0),
    (2.0, 0.3, 0.3),
    (0.3, 2.0, 2.0),
]


def wrap(pdf: canvas.Canvas, text: str, font: str, size: float, width: float) -> list[str]:
    """Words of `text` filled into lines no wider than `width`."""
    lines, line = [], ""
    for word in text.split():
        if line and pdf.stringWidth(f"{line} {word}", font, size) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def _column(pdf: canvas.Canvas, x: float, y: float, lines: Sequence[str], size: float) -> float:
    """Lines set one under the other from baseline y; returns the baseline after the last."""
    pdf.setFont("Helvetica", size)
    for line in lines:
        pdf.drawString(x, y, line)
        y -= size * 1.4
    return y


def spread_columns_pdf(path: Path, left: Sequence[str], right: Sequence[str], title: str) -> Path:
    """A two-column page as a spread export leaves it: the facing page's chapter title is still
    drawn, in large type, beyond the left edge of this page, level with the columns."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    top = HEIGHT - 120
    _column(pdf, COLUMNS[0], top, left, 10)
    _column(pdf, COLUMNS[1], top, right, 10)
    pdf.setFont("Helvetica-Bold", 36)
    pdf.drawString(-420, top - 40, title)
    pdf.showPage()
    pdf.save()
    return path


def _raised(pdf: canvas.Canvas, x: float, y: float, parts: Sequence[str], size: float) -> None:
    """One line whose odd parts are footnote references: smaller and raised."""
    text = pdf.beginText(x, y)
    for i, part in enumerate(parts):
        if i % 2:
            text.setFont("Helvetica", size * 0.6)
            text.setRise(size * 0.35)
        else:
            text.setFont("Helvetica", size)
            text.setRise(0)
        text.textOut(part)
    pdf.drawText(text)


def column_notes_pdf(
    path: Path,
    columns: Sequence[Sequence[Sequence[str]]],
    notes: Sequence[Sequence[str]],
    endnotes: Sequence[str],
) -> Path:
    """Page 1: two columns of 10 pt body text whose lines may carry raised references (a line
    is a list of parts; odd parts are references), and under each column its own notes in 7 pt
    (a list of notes per column, each "N text"). Page 2: notes only, in three columns of 7 pt
    under a heading, each wrapped over several lines; the first note's label is the character
    "¹" (a superscript one), not a raised digit."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    lowest = HEIGHT
    for x, lines in zip(COLUMNS, columns, strict=True):
        y = HEIGHT - 110
        for parts in lines:
            _raised(pdf, x, y, parts, 10)
            y -= 14
        lowest = min(lowest, y)
    for x, column_notes in zip(COLUMNS, notes, strict=True):
        y = lowest - 30
        for note in column_notes:
            y = _column(pdf, x, y, wrap(pdf, note, "Helvetica", 7, MEASURE), 7) - 3
    pdf.showPage()
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawString(54, HEIGHT - 90, "Noter")
    width = 150.0
    per_column = -(-len(endnotes) // 3)
    for c in range(3):
        y, x = HEIGHT - 130, 54 + c * (width + 20)
        for note in endnotes[c * per_column : (c + 1) * per_column]:
            y = _column(pdf, x, y, wrap(pdf, note, "Helvetica", 7, width), 7) - 4
    pdf.showPage()
    pdf.save()
    return path


def header_box_pdf(
    path: Path, box: Sequence[str], title: str, footer: str, pages: Sequence[str]
) -> Path:
    """Report pages under a running header: the report's title on the left and, on the right, a
    framed box of several lines (report no., project no., version) that reaches below the top
    margin; at the foot a letter-spaced footer whose spacing differs from page to page (set
    by hand, as layout programs track each line to fit), and the page number."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for number, text in enumerate(pages, start=1):
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawString(54, HEIGHT - 60, title)
        left, top = WIDTH - 220, HEIGHT - 54
        pdf.setLineWidth(0.6)
        pdf.rect(left, top - 18 * len(box) - 8, 170, 18 * len(box) + 8)
        pdf.setFont("Helvetica", 9)
        for i, line in enumerate(box):
            pdf.drawString(left + 8, top - 18 * (i + 1) + 2, line)
        y = HEIGHT - 150
        for line in wrap(pdf, text, "Helvetica", 10, WIDTH - 108):
            pdf.setFont("Helvetica", 10)
            pdf.drawString(54, y, line)
            y -= 14
        spaced = pdf.beginText(54, 40)
        spaced.setFont("Helvetica", 7)
        for word, tracking in zip(footer.split(), TRACKING[number % len(TRACKING)], strict=False):
            spaced.setCharSpace(tracking)
            spaced.textOut(f"{word} ")
        pdf.drawText(spaced)
        pdf.setFont("Helvetica", 8)
        pdf.drawRightString(WIDTH - 54, 26, str(number))
        pdf.showPage()
    pdf.save()
    return path


def bold_paragraph_pdf(
    path: Path, blocks: Sequence[tuple[bool, Sequence[str]]], gap: bool = True
) -> Path:
    """One page of 10 pt blocks, each (bold, lines), set one under the other with the body's
    line pitch and (`gap`) a blank line between blocks: bold headings and bold paragraphs of
    emphasis look alike line by line."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    y = HEIGHT - 120
    for bold, lines in blocks:
        pdf.setFont("Helvetica-Bold" if bold else "Helvetica", 10)
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 14
        y -= 14 if gap else 0
    pdf.showPage()
    pdf.save()
    return path


def noted_pages_pdf(
    path: Path, pages: Sequence[tuple[Sequence[Sequence[str]], Sequence[Sequence[str]], float]]
) -> Path:
    """Pages of 10 pt body lines and, at each page's foot, its notes in the size given. A line
    of either is a list of parts whose odd parts are raised references ("", "1", " Note …" is a
    note with a raised label)."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for lines, notes, note_size in pages:
        y = HEIGHT - 90
        for parts in lines:
            _raised(pdf, COLUMNS[0], y, parts, 10)
            y -= 14
        y = min(y - 30, 160)
        for parts in notes:
            _raised(pdf, COLUMNS[0], y, parts, note_size)
            y -= note_size * 1.5
        pdf.showPage()
    pdf.save()
    return path
