"""The outside programs some files need, and whether this machine has them."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from policyminer.parse.libreoffice import OFFICE_PARTS, office_converter, office_has
from policyminer.parse.ocr import OcrUnavailable, ocr_languages

__all__ = ["Readers", "available_readers"]


@dataclass(frozen=True)
class Readers:
    """What reads pages without a text layer (OCR), and older word-processor files, decks and
    spreadsheets."""

    ocr: str  # Tesseract's languages ("nor+eng"); "" where Tesseract is not installed
    office: str  # the LibreOffice program that converts .doc, .rtf, .odt; "" where missing
    slides: str = ""  # the same program where it converts .ppt, .pps, .odp (has Impress)
    sheets: str = ""  # the same program where it converts .xls, .ods (has Calc)

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def available_readers() -> Readers:
    """The readers installed here."""
    try:
        ocr = ocr_languages()
    except OcrUnavailable:
        ocr = ""
    office = office_converter() or ""
    writer, impress, calc = (office if office_has(p) else "" for p in OFFICE_PARTS)
    return Readers(ocr=ocr, office=writer, slides=impress, sheets=calc)
