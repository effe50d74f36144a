"""Word 97–2003 (.doc), RTF and OpenDocument text (.odt) → ParsedDocument, through LibreOffice.

Municipal archives hold many such files. LibreOffice (Debian's libreoffice-writer-nogui) converts
one to .docx in a temporary folder, headless and offline, and the Word reader does the rest:
heading styles give sections as in a .docx, and a "page" is a section, as there. Without
LibreOffice the files are skipped with a hint (see `ingest`).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from policyminer.parse.pdf import ParseError, sha256_file
from policyminer.parse.word import parse_docx
from policyminer.records import ParsedDocument

__all__ = ["CONVERTED_SUFFIXES", "CONVERT_SECONDS", "office_converter", "parse_converted"]

CONVERTED_SUFFIXES = frozenset({".doc", ".rtf", ".odt"})
CONVERT_SECONDS = 120  # a long document converts in seconds; a hung LibreOffice must not hang


def office_converter() -> str | None:
    """The LibreOffice program that converts documents, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def parse_converted(path: Path, sha256: str | None = None) -> ParsedDocument:
    """A .doc, .rtf or .odt file read as the .docx LibreOffice converts it to."""
    path = Path(path)
    program = office_converter()
    if program is None:
        raise ParseError(
            "needs LibreOffice to read it (apt-get install libreoffice-writer-nogui), "
            "or save it as .docx or PDF"
        )
    digest = sha256 or sha256_file(path)
    with tempfile.TemporaryDirectory(prefix="policyminer-convert-") as folder:
        converted = _to_docx(program, path, Path(folder))
        parsed = parse_docx(converted, sha256=digest)
    return replace(parsed, path=path, format=path.suffix.lower().lstrip("."))


def _to_docx(program: str, path: Path, folder: Path) -> Path:
    """The file converted to .docx in `folder` (a profile of its own there: two conversions at
    once would otherwise share, and lock, the user's LibreOffice profile)."""
    out = folder / "out"
    command = [
        program,
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "docx",
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
    converted = out / f"{path.stem}.docx"
    if done.returncode != 0 or not converted.is_file():
        said = " ".join((done.stderr or done.stdout or "").split())[:120]
        raise ParseError("LibreOffice could not convert it" + (f": {said}" if said else ""))
    return converted
