"""OCR for pages without a text layer: pdfium renders the page, Tesseract reads it, offline.

Tesseract (Debian's tesseract-ocr with the Norwegian data, tesseract-ocr-nor) runs as a local
program through pytesseract; nothing is downloaded. Its block/paragraph/line structure gives the
paragraphs; line-end hyphens are joined as for any other text.
"""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

from policyminer.parse.textclean import join_lines, normalize_text, vocabulary_of

OCR_DPI = 300
# a page needs OCR when it has fewer letters than a line of text and images cover this much of it
MIN_LETTERS = 10
MIN_IMAGE_COVER = 0.1
# a scan is mostly paper: this share of a thumbnail's pixels is light; a photo page is not
MIN_PAPER = 0.3
MIN_CONFIDENCE = 60.0  # Tesseract's mean word confidence (0–100) for a paragraph to count


class OcrUnavailable(Exception):
    """Tesseract is not installed."""


@lru_cache(maxsize=1)
def ocr_languages() -> str:
    """'nor+eng' where both are installed, else what is; raises OcrUnavailable without tesseract."""
    if shutil.which("tesseract") is None:
        raise OcrUnavailable("tesseract is not installed (apt-get install tesseract-ocr-nor)")
    import pytesseract  # optional at import time: only OCR needs it

    installed = set(pytesseract.get_languages(config=""))
    wanted = [lang for lang in ("nor", "eng") if lang in installed]
    return "+".join(wanted) or "eng"


def needs_ocr(letters: int, image_cover: float) -> bool:
    """A page that shows an image of text rather than text: few letters, much image."""
    return letters < MIN_LETTERS and image_cover >= MIN_IMAGE_COVER


def ocr_pdf_page(path: Path, number: int, dpi: int = OCR_DPI) -> list[str]:
    """The paragraph texts Tesseract reads on one page (1-based) of a PDF."""
    import pypdfium2 as pdfium  # the PDF renderer; loaded with the PDF parser anyway

    document = pdfium.PdfDocument(str(path))
    try:
        page = document[number - 1]
        try:
            image = page.render(scale=dpi / 72).to_pil()
        finally:
            page.close()
    finally:
        document.close()
    return ocr_image(image)


def looks_like_paper(path: Path, number: int) -> bool:
    """Whether a page (1-based) looks like printed paper on a 30 dpi thumbnail: a cheap test
    that spares a photo page the seconds of OCR that would read nothing from it."""
    import numpy as np
    import pypdfium2 as pdfium  # the PDF renderer; loaded with the PDF parser anyway

    document = pdfium.PdfDocument(str(path))
    try:
        page = document[number - 1]
        try:
            thumbnail = page.render(scale=30 / 72, grayscale=True).to_numpy()
        finally:
            page.close()
    finally:
        document.close()
    return bool(np.mean(thumbnail >= 160) >= MIN_PAPER)


def ocr_image(image) -> list[str]:
    """Paragraph texts of a PIL image, in Tesseract's reading order."""
    import pytesseract  # optional at import time: only OCR needs it

    languages = ocr_languages()
    data = pytesseract.image_to_data(
        image.convert("L"), lang=languages, output_type=pytesseract.Output.DICT
    )
    paragraphs: dict[tuple[int, int], dict[int, list[str]]] = {}
    confidence: dict[tuple[int, int], list[float]] = {}
    for i, word in enumerate(data["text"]):
        word = word.strip()
        if not word or float(data["conf"][i]) < 0:
            continue
        key = (data["block_num"][i], data["par_num"][i])
        paragraphs.setdefault(key, {}).setdefault(data["line_num"][i], []).append(word)
        confidence.setdefault(key, []).append(float(data["conf"][i]))
    # photos and drawings read as scattered, unsure fragments; printed text reads as words
    texts = [
        [" ".join(words) for words in lines.values()]
        for key, lines in paragraphs.items()
        if sum(confidence[key]) / len(confidence[key]) >= MIN_CONFIDENCE
        and any(sum(c.isalpha() for c in w) >= 3 for ws in lines.values() for w in ws)
    ]
    vocabulary = vocabulary_of(line for lines in texts for line in lines)
    joined = (normalize_text(join_lines(lines, vocabulary)) for lines in texts)
    return [text for text in joined if text]
