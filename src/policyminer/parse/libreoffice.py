"""LibreOffice, headless and offline: which of its parts this machine has, and a file saved by
it in another format in a temporary folder.

Debian packages the parts apart (libreoffice-writer-nogui, -impress-nogui, -calc-nogui); a file
needs the part that reads it. The readers of older files (`converted`) and the Excel reader, to
compute formulas a file was saved without (`sheets`), both run it here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from policyminer.parse.pdf import ParseError

__all__ = [
    "CALC",
    "CONVERT_SECONDS",
    "IMPRESS",
    "OFFICE_PARTS",
    "WRITER",
    "OfficePart",
    "converted_copy",
    "office_converter",
    "office_has",
]

CONVERT_SECONDS = 120  # a long document converts in seconds; a hung LibreOffice must not hang


@dataclass(frozen=True)
class OfficePart:
    """A part of LibreOffice and the format it saves the files it reads in."""

    name: str  # "Writer"
    package: str  # Debian's package of that part
    target: str  # the format it saves them in for our readers ("docx")
    libraries: tuple[str, ...]  # the part's library beside the program, on Linux, macOS, Windows


WRITER = OfficePart(
    "Writer", "libreoffice-writer-nogui", "docx", ("libswlo.so", "libswlo.dylib", "swlo.dll")
)
IMPRESS = OfficePart(
    "Impress", "libreoffice-impress-nogui", "pptx", ("libsdlo.so", "libsdlo.dylib", "sdlo.dll")
)
CALC = OfficePart(
    "Calc", "libreoffice-calc-nogui", "xlsx", ("libsclo.so", "libsclo.dylib", "sclo.dll")
)
OFFICE_PARTS = (WRITER, IMPRESS, CALC)


def office_converter() -> str | None:
    """The LibreOffice program that converts documents, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def office_has(part: OfficePart) -> bool:
    """Whether the LibreOffice here has a part. Where its program's folder shows none of the
    parts' libraries (a layout not known here), it is taken to have them all, and a conversion
    that fails says so."""
    program = office_converter()
    if program is None:
        return False
    folder = Path(os.path.realpath(program)).parent
    known = [name for p in OFFICE_PARTS for name in p.libraries]
    if not any((folder / name).exists() for name in known):
        return True
    return any((folder / name).exists() for name in part.libraries)


@contextmanager
def converted_copy(path: Path, part: OfficePart) -> Iterator[Path]:
    """The file as LibreOffice's part saves it in its target format, in a temporary folder while
    in use. ParseError where LibreOffice, or the part, is missing, or where it fails."""
    program = office_converter()
    if program is None or not office_has(part):
        needs = "LibreOffice" if program is None else f"LibreOffice {part.name}"
        raise ParseError(
            f"needs {needs} to read it (apt-get install {part.package}), or save it as "
            f".{part.target} or PDF"
        )
    with tempfile.TemporaryDirectory(prefix="policyminer-convert-") as folder:
        yield _converted(program, Path(path), Path(folder), part.target)


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
