"""The derived indexes follow the catalog, survive failed writes, and are repaired by reindex."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from searchdocs import ENERGI, HELSE, SKOLE, add_document, build_index
from typer.testing import CliRunner

import policyminer.cli.search  # noqa: F401  (registers the commands)
from policyminer.cli.app import app
from policyminer.index import sync as idx
from policyminer.index import vectors
from policyminer.ingest import reindex
from policyminer.models.embedding import DEFAULT_MODEL, default_model_dir
from policyminer.retrieve.search import Searcher, SearchError
from policyminer.store.catalog import Catalog

runner = CliRunner()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_index(tmp_path_factory.mktemp("pristine"), (HELSE, ENERGI))


@pytest.fixture
def index(pristine: Path, tmp_path: Path) -> Path:
    """A private copy of a two-document index, to damage at will."""
    copy = tmp_path / "index"
    shutil.copytree(pristine, copy)
    return copy


def health(index: Path) -> idx.IndexHealth:
    with Catalog(index) as catalog:
        return idx.check_indexes(catalog)


def test_sync_adds_and_removes_vectors_to_match_the_catalog(index: Path, tmp_path: Path) -> None:
    with Catalog(index) as catalog:
        add_document(catalog, tmp_path, SKOLE)
        vi = vectors.load_vector_index(index)
        assert sorted(vi.ids.tolist()) == sorted(catalog.chunk_ids())
        catalog.remove_document(catalog.resolve("energi-drammen").id)
        idx.sync_indexes(catalog)
        vi = vectors.load_vector_index(index)
        assert sorted(vi.ids.tolist()) == sorted(catalog.chunk_ids())
        report = idx.check_indexes(catalog).as_dict()
    assert report["ok"] and report["type"] == "flat" and report["problems"] == []
    assert report["vectors"] == report["chunks"] == report["lexical_chunks"]
    manifest = json.loads((index / vectors.VECTOR_MANIFEST).read_text())
    assert manifest == {"model": DEFAULT_MODEL, "dim": 384, "type": "flat", "count": vi.size}


def test_unchanged_catalog_leaves_the_files_alone(index: Path) -> None:
    files = [index / vectors.VECTOR_FILE, index / vectors.VECTOR_MANIFEST, index / "lexical.json"]
    before = [p.stat().st_mtime_ns for p in files]
    with Catalog(index) as catalog:
        idx.sync_indexes(catalog)
    assert [p.stat().st_mtime_ns for p in files] == before


def test_corrupt_vector_file_is_detected_and_repaired(index: Path) -> None:
    (index / vectors.VECTOR_FILE).write_bytes(b"\x00garbage" * 10)
    report = health(index)
    assert not report.ok and any("vector index unusable" in p for p in report.problems)
    with Searcher(index) as searcher, pytest.raises(SearchError, match="policyminer reindex"):
        searcher.search("solceller")
    result = runner.invoke(app, ["reindex", "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert health(index).ok
    with Searcher(index) as searcher:
        assert searcher.search("solceller på kommunale bygg", k=1)[0].title == ENERGI.title


def test_catalog_changes_behind_the_indexes_back_are_reported(index: Path) -> None:
    with Catalog(index) as catalog:  # a crash between the catalog commit and the index sync
        catalog.remove_document(catalog.resolve("helse-trondheim").id)
        catalog.set_meta("embedding_model", "some/other-model")
    problems = " | ".join(health(index).problems)
    assert "belong to no catalog chunk" in problems
    assert "lexical index covers" in problems
    assert "some/other-model" in problems
    with Catalog(index) as catalog:
        catalog.set_meta("embedding_model", DEFAULT_MODEL)
        idx.rebuild_indexes(catalog)
        assert idx.check_indexes(catalog).ok


def test_missing_vectors_are_embedded_by_reindex(index: Path) -> None:
    with Catalog(index) as catalog:
        victim = catalog.chunk_ids()[0]
        catalog.db.execute("DELETE FROM vectors WHERE chunk_id=?", (victim,))
    assert any("have no vector" in p for p in health(index).problems)
    report = reindex(index)
    assert report.embedded == 1 and report.health.ok


def test_failed_save_keeps_the_old_index(index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = index / vectors.VECTOR_FILE
    before = path.read_bytes()

    def crash(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    with Catalog(index) as catalog:
        catalog.remove_document(catalog.resolve("energi-drammen").id)
        monkeypatch.setattr(os, "replace", crash)
        with pytest.raises(OSError, match="No space"):
            idx.sync_indexes(catalog)
        monkeypatch.undo()
    assert path.read_bytes() == before
    assert not [p for p in index.iterdir() if p.name.endswith(".tmp")]
    old = vectors.load_vector_index(index)
    with Catalog(index) as catalog:
        assert len(old.ids) > len(catalog.chunk_ids())  # still the pre-removal index, intact
        idx.sync_indexes(catalog)
        assert idx.check_indexes(catalog).ok


def test_ivf_index_for_large_bases(index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectors, "ANN_MIN_VECTORS", 1)
    with Catalog(index) as catalog:
        idx.sync_indexes(catalog)  # the type changed: rebuilt as IVF
        assert idx.check_indexes(catalog).type == "ivf"
        catalog.remove_document(catalog.resolve("helse-trondheim").id)
        idx.sync_indexes(catalog)
        report = idx.check_indexes(catalog)
    assert report.ok and report.type == "ivf"
    with Searcher(index) as searcher:
        hits = searcher.search("solceller på skoler og sykehjem", k=2, mode="dense")
    assert hits[0].title == ENERGI.title


def test_exact_search_matches_brute_force(index: Path) -> None:
    with Catalog(index) as catalog:
        ids, matrix = catalog.vectors()
    vi = vectors.load_vector_index(index)
    query = matrix[3] + 0.1 * matrix[0]
    query /= np.linalg.norm(query)
    expected = ids[np.argsort(-(matrix @ query))][:4].tolist()
    assert [cid for cid, _ in vi.search(query, 4)] == expected
    allowed = frozenset(ids[:2].tolist())
    assert {cid for cid, _ in vi.search(query, 4, allowed)} == allowed


@pytest.mark.slow
def test_reindex_with_another_model_re_embeds_everything(index: Path, tmp_path: Path) -> None:
    # "another" model: the same weights under another directory name, so it records a new name
    other = tmp_path / "other-model"
    shutil.copytree(default_model_dir(), other, copy_function=os.symlink)
    result = runner.invoke(app, ["reindex", "--index", str(index), "--model", str(other)])
    assert result.exit_code == 0, result.output
    with Catalog(index) as catalog:
        assert catalog.get_meta("embedding_model") == str(other.resolve())
        assert catalog.counts()["vectors"] == catalog.counts()["chunks"]
        assert idx.check_indexes(catalog).ok
        # area tags follow the new vectors: the chunks are (re-)tagged from them
        assert catalog.db.execute("SELECT COUNT(DISTINCT chunk_id) FROM tags").fetchone()[0] > 0
    with Searcher(index) as searcher:
        assert searcher.search("solceller", k=1, mode="dense")[0].title == ENERGI.title
    refused = runner.invoke(
        app, ["search", "solceller", "--index", str(index), "--model", "e5-small"]
    )
    assert refused.exit_code == 1
    assert "reindex --model 'e5-small'" in " ".join(refused.stderr.split())
