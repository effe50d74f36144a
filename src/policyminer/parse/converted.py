"""Older and OpenDocument office files → ParsedDocument, through LibreOffice: Word 97–2003
(.doc), RTF and .odt text read as .docx; PowerPoint 97–2003 (.ppt, .pps) and .odp slides as
.pptx; Excel 97–2003 (.xls) and .ods sheets as .xlsx.

Municipal archives hold many such files. LibreOffice (see `libreoffice`) converts one in a
temporary folder, and the Word, PowerPoint or Excel reader does the rest. Without LibreOffice,
or without the part a file needs, such files are skipped with a hint (see `ingest`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from policyminer.parse.libreoffice import (
    CALC,
    CONVERT_SECONDS,
    IMPRESS,
    WRITER,
    OfficePart,
    converted_copy,
    office_converter,
    office_has,
)
from policyminer.parse.pdf import ParseError, sha256_file
from policyminer.parse.sheets import parse_xlsx
from policyminer.parse.slides import parse_pptx
from policyminer.parse.word import parse_docx
from policyminer.records import ParsedDocument, ParseOptions

__all__ = [
    "CONVERTED_SUFFIXES",
    "CONVERTERS",
    "CONVERT_SECONDS",
    "Converter",
    "converted_suffixes",
    "converter_for",
    "office_converter",
    "office_has",
    "office_reads",
    "parse_converted",
]


@dataclass(frozen=True)
class Converter:
    """A family of files LibreOffice converts to one format our readers read."""

    office: OfficePart  # the part that reads them and the format it saves them in
    suffixes: frozenset[str]
    read: Callable[..., ParsedDocument]
    reads_pictures: bool = False  # its reader OCRs pictures, so takes the user's ParseOptions

    @property
    def target(self) -> str:
        return self.office.target


CONVERTERS = (
    Converter(WRITER, frozenset({".doc", ".rtf", ".odt"}), parse_docx, reads_pictures=True),
    Converter(IMPRESS, frozenset({".ppt", ".pps", ".odp"}), parse_pptx, reads_pictures=True),
    Converter(CALC, frozenset({".xls", ".ods"}), parse_xlsx),
)
CONVERTED_SUFFIXES = frozenset().union(*(c.suffixes for c in CONVERTERS))


def converter_for(suffix: str) -> Converter | None:
    return next((c for c in CONVERTERS if suffix.lower() in c.suffixes), None)


def office_reads(suffix: str) -> bool:
    """Whether this machine reads files of this type through LibreOffice (".odp")."""
    converter = converter_for(suffix)
    return converter is not None and office_has(converter.office)


def converted_suffixes() -> frozenset[str]:
    """The file types this machine reads through LibreOffice."""
    return frozenset().union(*(c.suffixes for c in CONVERTERS if office_has(c.office)))


def parse_converted(
    path: Path, sha256: str | None = None, options: ParseOptions | None = None
) -> ParsedDocument:
    """A file read as the format LibreOffice converts it to (.doc as .docx, .odp as .pptx, …);
    `options` say whether the pictures in a document or a deck are read by OCR."""
    path = Path(path)
    converter = converter_for(path.suffix)
    if converter is None:
        raise ParseError(f"LibreOffice is not used for {path.suffix} files")
    digest = sha256 or sha256_file(path)
    with converted_copy(path, converter.office) as converted:
        given = {"options": options} if converter.reads_pictures else {}
        parsed = converter.read(converted, sha256=digest, **given)
    return replace(parsed, path=path, format=path.suffix.lower().lstrip("."))
