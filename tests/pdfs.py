"""Make small real PDFs for tests: normal, encrypted, scanned (image only), corrupt."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def text_pdf(
    path: Path, pages: list[list[str]], title: str = "Testrapport", encrypt: str | None = None
) -> Path:
    """A PDF with one text line per list item, one list per page."""
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt, invariant=1)
    pdf.setTitle(title)
    pdf.setAuthor("Testforlaget")
    for lines in pages:
        y = 780
        for line in lines:
            pdf.setFont("Helvetica", 11)
            pdf.drawString(72, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return path


def scanned_pdf(path: Path) -> Path:
    """A PDF whose page is only a picture of text, as a scanner makes it."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (800, 300), 255)
    ImageDraw.Draw(image).text((40, 120), "Skannet side uten tekstlag", fill=0)
    png = path.with_suffix(".png")
    image.save(png)
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.drawImage(str(png), 50, 400, width=500, height=190)
    pdf.showPage()
    pdf.save()
    png.unlink()
    return path


def corrupt_pdf(path: Path, source: Path) -> Path:
    """The first third of a real PDF: a truncated download."""
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path
