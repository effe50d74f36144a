"""PDFs as word processors and report templates make them: a chapter title at the top of every
page, section numbers set apart from their titles by a tab, Word's bullets (a Courier "o", a
bullet glyph drawn as its own text run), and tables drawn cell by cell."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = A4
LEFT = 72.0
MEASURE = WIDTH - 2 * LEFT


def _wrap(pdf: canvas.Canvas, text: str, font: str, size: float, width: float) -> list[str]:
    """Words of `text` filled into lines no wider than `width`."""
    lines, line = [], ""
    for word in text.split():
        if line and pdf.stringWidth(f"{line} {word}", font, size) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def _paragraph(pdf: canvas.Canvas, text: str, y: float, x: float = LEFT, size: float = 10) -> float:
    """Body text wrapped from baseline y down; returns the baseline below the paragraph."""
    pdf.setFont("Helvetica", size)
    for line in _wrap(pdf, text, "Helvetica", size, MEASURE - (x - LEFT)):
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
