"""Running the CLI as on a machine without LibreOffice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def ingest_without_office(path: Path, index: Path) -> tuple[int, str]:
    """`policyminer ingest PATH` with a PATH that holds the venv's own scripts only (no
    LibreOffice on it): its exit code and what it said on stderr, spaces folded."""
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    done = subprocess.run(
        [sys.executable, "-m", "policyminer", "ingest", str(path), "--index", str(index), "-q"],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    return done.returncode, " ".join(done.stderr.split())
