"""Older and OpenDocument office files → ParsedDocument, through LibreOffice: Word 97–2003
(.doc), RTF and .odt text read as .docx; PowerPoint 97–2003 (.ppt, .pps) and .odp slides as
.pptx; Excel 97–2003 (.xls) and .ods sheets as .xlsx.

Municipal archives hold many such files. LibreOffice (headless, offline; Debian packages its
parts apart: libreoffice-writer-nogui, -impress-nogui, -calc-nogui) converts one in a temporary
folder, and the Word, PowerPoint or Excel reader does the rest. Without LibreOffice, or without
the part a file needs, such files are skipped with a hint (see `ingest`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

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

CONVERT_SECONDS = 120  # a long document converts in seconds; a hung LibreOffice must not hang


@dataclass(frozen=True)
class Converter:
    """A family of files LibreOffice converts to one format our readers read."""

    part: str  # LibreOffice's part that reads them ("Writer")
    package: str  # Debian's package of that part
    suffixes: frozenset[str]
    target: str  # what it converts them to ("docx")
    read: Callable[..., ParsedDocument]
    libraries: tuple[str, ...]  # the part's library beside the program, on Linux, macOS, Windows
    reads_pictures: bool = False  # its reader OCRs pictures, so takes the user's ParseOptions


CONVERTERS = (
    Converter("Writer", "libreoffice-writer-nogui", frozenset({".doc", ".rtf", ".odt"}), "docx",
              parse_docx, ("libswlo.so", "libswlo.dylib", "swlo.dll"), True),
    Converter("Impress", "libreoffice-impress-nogui", frozenset({".ppt", ".pps", ".odp"}),
              "pptx", parse_pptx, ("libsdlo.so", "libsdlo.dylib", "sdlo.dll"), True),
    Converter("Calc", "libreoffice-calc-nogui", frozenset({".xls", ".ods"}), "xlsx", parse_xlsx,
              ("libsclo.so", "libsclo.dylib", "sclo.dll")),
)  # fmt: skip
CONVERTED_SUFFIXES = frozenset().union(*(c.suffixes for c in CONVERTERS))


def office_converter() -> str | None:
    """The LibreOffice program that converts documents, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def converter_for(suffix: str) -> Converter | None:
    return next((c for c in CONVERTERS if suffix.lower() in c.suffixes), None)


def office_has(converter: Converter) -> bool:
    """Whether the LibreOffice here has the part a family of files needs. Where its program's
    folder shows none of the parts' libraries (a layout not known here), it is taken to have
    them all, and a conversion that fails says so."""
    program = office_converter()
    if program is None:
        return False
    folder = Path(os.path.realpath(program)).parent
    known = [name for c in CONVERTERS for name in c.libraries]
    if not any((folder / name).exists() for name in known):
        return True
    return any((folder / name).exists() for name in converter.libraries)


def office_reads(suffix: str) -> bool:
    """Whether this machine reads files of this type through LibreOffice (".odp")."""
    converter = converter_for(suffix)
    return converter is not None and office_has(converter)


def converted_suffixes() -> frozenset[str]:
    """The file types this machine reads through LibreOffice."""
    return frozenset().union(*(c.suffixes for c in CONVERTERS if office_has(c)))


def parse_converted(
    path: Path, sha256: str | None = None, options: ParseOptions | None = None
) -> ParsedDocument:
    """A file read as the format LibreOffice converts it to (.doc as .docx, .odp as .pptx, …);
    `options` say whether the pictures in a document or a deck are read by OCR."""
    path = Path(path)
    converter = converter_for(path.suffix)
    if converter is None:
        raise ParseError(f"LibreOffice is not used for {path.suffix} files")
    program = office_converter()
    if program is None or not office_has(converter):
        needs = "LibreOffice" if program is None else f"LibreOffice {converter.part}"
        raise ParseError(
            f"needs {needs} to read it (apt-get install {converter.package}), or save it as "
            f".{converter.target} or PDF"
        )
    digest = sha256 or sha256_file(path)
    with tempfile.TemporaryDirectory(prefix="policyminer-convert-") as folder:
        converted = _converted(program, path, Path(folder), converter.target)
        given = {"options": options} if converter.reads_pictures else {}
        parsed = converter.read(converted, sha256=digest, **given)
    return replace(parsed, path=path, format=path.suffix.lower().lstrip("."))


def _converted(program: str, path: Path, folder: Path, target: str) -> Path:
    """The file converted to `target` (docx, pptx, xlsx) in `folder` (a profile of its own
    there: two conversions at once would otherwise share, and lock, the user's profile)."""
    out = folder / "out"
    command = [
        program,
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        target,
        "--outdir",
        str(out),
        str(path.absolute()),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=CONVERT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as err:
        raise ParseError(f"LibreOffice did not convert it within {CONVERT_SECONDS} s") from err
    converted = out / f"{path.stem}.{target}"
    if done.returncode != 0 or not converted.is_file():
        said = " ".join((done.stderr or done.stdout or "").split())[:120]
        raise ParseError("LibreOffice could not convert it" + (f": {said}" if said else ""))
    return converted
