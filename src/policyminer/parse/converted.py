"""Word 97–2003 (.doc), RTF and OpenDocument text (.odt) → ParsedDocument, through LibreOffice;
PowerPoint 97–2003 (.ppt, .pps) and OpenDocument slides (.odp) likewise, through its Impress.

Municipal archives hold many such files. LibreOffice (Debian's libreoffice-writer-nogui, and
libreoffice-impress-nogui for slides) converts one to .docx or .pptx in a temporary folder,
headless and offline, and the Word or PowerPoint reader does the rest: heading styles give
sections as in a .docx, where a "page" is a section; a slide is a page, as in a .pptx. Without
LibreOffice (or its Impress) the files are skipped with a hint (see `ingest`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from policyminer.parse.pdf import ParseError, sha256_file
from policyminer.parse.slides import parse_pptx
from policyminer.parse.word import parse_docx
from policyminer.records import ParsedDocument

__all__ = [
    "CONVERTED_SUFFIXES",
    "CONVERT_SECONDS",
    "DECK_SUFFIXES",
    "WORD_SUFFIXES",
    "converted_suffixes",
    "office_converter",
    "office_reads_decks",
    "parse_converted",
]

WORD_SUFFIXES = frozenset({".doc", ".rtf", ".odt"})  # read as the .docx they convert to
DECK_SUFFIXES = frozenset({".ppt", ".pps", ".odp"})  # read as the .pptx they convert to
CONVERTED_SUFFIXES = WORD_SUFFIXES | DECK_SUFFIXES
CONVERT_SECONDS = 120  # a long document converts in seconds; a hung LibreOffice must not hang
# LibreOffice's presentation module (Impress and Draw share it), beside its program
IMPRESS_LIBRARIES = ("libsdlo.so", "libsdlo.dylib", "sdlo.dll")


def office_converter() -> str | None:
    """The LibreOffice program that converts documents, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def office_reads_decks() -> bool:
    """Whether the LibreOffice here has its presentation module (Debian packages it apart)."""
    program = office_converter()
    if program is None:
        return False
    folder = Path(os.path.realpath(program)).parent
    return any((folder / name).exists() for name in IMPRESS_LIBRARIES)


def converted_suffixes() -> frozenset[str]:
    """The file types this machine reads through LibreOffice."""
    if office_converter() is None:
        return frozenset()
    return CONVERTED_SUFFIXES if office_reads_decks() else WORD_SUFFIXES


def parse_converted(path: Path, sha256: str | None = None) -> ParsedDocument:
    """A .doc, .rtf or .odt file read as the .docx LibreOffice converts it to; a .ppt, .pps or
    .odp deck as the .pptx."""
    path = Path(path)
    deck = path.suffix.lower() in DECK_SUFFIXES
    program = office_converter()
    if program is None:
        saved = ".pptx" if deck else ".docx"
        raise ParseError(
            f"needs LibreOffice to read it (apt-get install libreoffice-"
            f"{'impress' if deck else 'writer'}-nogui), or save it as {saved} or PDF"
        )
    if deck and not office_reads_decks():
        raise ParseError(
            "needs LibreOffice Impress to read slides (apt-get install "
            "libreoffice-impress-nogui), or save it as .pptx or PDF"
        )
    digest = sha256 or sha256_file(path)
    with tempfile.TemporaryDirectory(prefix="policyminer-convert-") as folder:
        if deck:
            parsed = parse_pptx(_converted(program, path, Path(folder), "pptx"), sha256=digest)
        else:
            parsed = parse_docx(_converted(program, path, Path(folder), "docx"), sha256=digest)
    return replace(parsed, path=path, format=path.suffix.lower().lstrip("."))


def _converted(program: str, path: Path, folder: Path, target: str) -> Path:
    """The file converted to `target` (docx, pptx) in `folder` (a profile of its own there: two
    conversions at once would otherwise share, and lock, the user's LibreOffice profile)."""
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
