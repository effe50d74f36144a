"""Shared fixtures: paths to the repo, ../shared, the shipped corpus, and a small text corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from searchdocs import build_index

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = REPO / "corpus"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

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
