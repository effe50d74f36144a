"""Office files for tests: old binary ones, LibreOffice's saves, and the CLI without LibreOffice."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from policyminer.parse.converted import office_converter

# what Office 97–2003 files (.doc, .xls, .ppt, .msg) and password-protected ones open with
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def old_office_file(path: Path) -> Path:
    """A file that opens as an Office 97–2003 one does, and holds nothing more."""
    path.write_bytes(OLE_MAGIC + bytes(600))
    return path


def saved_by_libreoffice(source: Path, suffix: str, folder: Path) -> Path:
    """The file saved by LibreOffice in another format (".odt", ".ppt", ".ods", …), in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [office_converter(), f"-env:UserInstallation={(folder / 'profile').as_uri()}",
         "--headless", "--convert-to", suffix.lstrip("."), "--outdir", str(folder), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    shutil.rmtree(folder / "profile", ignore_errors=True)
    return folder / f"{source.stem}{suffix}"


def ingest_without_office(path: Path, index: Path) -> tuple[int, str]:
    """`policyminer ingest PATH` with a PATH that holds the venv's own scripts only (no
    LibreOffice on it): its exit code and what it said on stderr, spaces folded."""
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    done = subprocess.run(
        [sys.executable, "-m", "policyminer", "ingest", str(path), "--index", str(index), "-q"],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    return done.returncode, " ".join(done.stderr.split())
