"""The catalog stores documents atomically and migrates its schema forward."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from policyminer.index.chunking import body_text, make_chunks
from policyminer.records import Paragraph, ParsedDocument
from policyminer.store.catalog import MIGRATIONS, Catalog


def parsed(path: Path, text: str, sha: str = "a" * 64) -> ParsedDocument:
    paragraphs = [
        Paragraph(1, "1 Innledning", "1 Innledning", ("1 Innledning",), "heading"),
        Paragraph(1, text, "1 Innledning", ("1 Innledning",)),
        Paragraph(2, "Fortsettelse på neste side.", "1 Innledning", ("1 Innledning",)),
    ]
    return ParsedDocument(path, sha, "Tittel", "Utgiver", 2024, 2, paragraphs)


def store(catalog: Catalog, doc: ParsedDocument, **kwargs) -> tuple[str, list[int]]:
    body = body_text(doc.paragraphs)
    chunks = make_chunks(doc.paragraphs, body)
    vectors = np.ones((len(chunks), 4), dtype=np.float32)
    return catalog.put_document(doc, body.offsets, chunks, vectors, **kwargs)


def test_new_catalog_is_at_latest_schema_and_reopens(tmp_path: Path) -> None:
    with Catalog(tmp_path) as catalog:
        assert catalog.schema_version == len(MIGRATIONS)
    with Catalog(tmp_path) as catalog:
        assert catalog.schema_version == len(MIGRATIONS)
        assert catalog.counts()["documents"] == 0


def test_newer_schema_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    Catalog(tmp_path).close()
    db = sqlite3.connect(tmp_path / "catalog.sqlite")
    db.execute(f"PRAGMA user_version={len(MIGRATIONS) + 5}")
    db.close()
    with pytest.raises(RuntimeError, match="newer than this policyminer"):
        Catalog(tmp_path)


def test_replacing_a_document_keeps_its_id_and_drops_old_chunks(tmp_path: Path) -> None:
    with Catalog(tmp_path) as catalog:
        doc_id, first_ids = store(catalog, parsed(tmp_path / "rapport.pdf", "Første versjon."))
        doc_id2, second_ids = store(
            catalog, parsed(tmp_path / "rapport.pdf", "Andre versjon.", "b" * 64)
        )
        assert doc_id == doc_id2 == "rapport"
        assert not set(first_ids) & set(second_ids)  # chunk ids are never reused
        chunks = catalog.chunks(doc_id)
        assert [c.id for c in chunks] == second_ids
        assert "Andre versjon." in chunks[0].text
        assert catalog.counts()["vectors"] == len(second_ids)


def test_a_failing_derived_writer_leaves_the_previous_version_intact(tmp_path: Path) -> None:
    with Catalog(tmp_path) as catalog:
        store(catalog, parsed(tmp_path / "rapport.pdf", "Første versjon."))
        before = catalog.counts()

        def broken_writer(db, doc_id, chunk_ids):
            raise RuntimeError("disk full")

        with pytest.raises(RuntimeError):
            store(
                catalog,
                parsed(tmp_path / "rapport.pdf", "Andre.", "b" * 64),
                derived=[broken_writer],
            )
        assert catalog.counts() == before
        assert "Første versjon." in catalog.chunks("rapport")[0].text


def test_removal_cascades_to_chunks_vectors_and_paragraphs(tmp_path: Path) -> None:
    with Catalog(tmp_path) as catalog:
        store(catalog, parsed(tmp_path / "a.pdf", "Tekst A."))
        store(catalog, parsed(tmp_path / "b.pdf", "Tekst B.", "c" * 64))
        assert catalog.remove_document("a")
        counts = catalog.counts()
        assert counts["documents"] == 1
        assert counts["chunks"] == counts["vectors"] == len(catalog.chunks("b"))
        assert catalog.paragraphs("a") == []


def test_documents_resolve_by_id_path_and_unique_prefix(tmp_path: Path) -> None:
    with Catalog(tmp_path) as catalog:
        store(catalog, parsed(tmp_path / "Veikart Trondheim.pdf", "Tekst."))
        assert catalog.resolve("veikart-trondheim").id == "veikart-trondheim"
        assert catalog.resolve(str(tmp_path / "Veikart Trondheim.pdf")).id == "veikart-trondheim"
        assert catalog.resolve("veikart").id == "veikart-trondheim"
        assert catalog.resolve("nope") is None


def test_chunk_pages_come_back_from_storage(tmp_path: Path) -> None:
    with Catalog(tmp_path) as catalog:
        doc_id, _ = store(catalog, parsed(tmp_path / "a.pdf", "Tekst på side én."))
        chunk = catalog.chunks(doc_id)[0]
        assert (chunk.page_start, chunk.page_end) == (1, 2)
        assert chunk.page_at(chunk.text.index("Fortsettelse")) == 2
        assert chunk.page_at(0) == 1


def test_an_index_from_before_chunk_kinds_opens_and_reads_its_chunks_as_body(
    tmp_path: Path,
) -> None:
    db = sqlite3.connect(tmp_path / "catalog.sqlite")
    for script in MIGRATIONS[:4]:  # the schema of the release before chunk kinds
        db.executescript(script)
    db.execute(
        "INSERT INTO documents(id, path, sha256, title, publisher, year, pages, format, added_at, "
        "updated_at) VALUES('gammel', 'gammel.pdf', ?, 'Gammel', NULL, 2020, 1, 'pdf', "
        "'2024-01-01', '2024-01-01')",
        ("c" * 64,),
    )
    db.execute(
        "INSERT INTO chunks(doc_id, ordinal, text, page_start, page_end, section, section_path, "
        "char_start, char_end, page_map) VALUES('gammel', 0, 'Gammel tekst.', 1, 1, '', '[]', "
        "0, 13, '[[0, 1]]')"
    )
    db.execute("PRAGMA user_version=4")
    db.commit()
    db.close()
    with Catalog(tmp_path) as catalog:
        assert catalog.schema_version == len(MIGRATIONS)
        [chunk] = catalog.chunks("gammel")
        assert chunk.text == "Gammel tekst." and chunk.kind == "body"
        assert catalog.aside_chunk_ids() == frozenset()
