"""Retrieval on real layouts: fact boxes, big-type lines, tables, English questions (real index)."""

from __future__ import annotations

from pathlib import Path

import pytest
from retrievaldocs import BIG_LINES, FACT_BOX, SECTIONS, magazine_pdf, sections_pdf

from policyminer import Library
from policyminer.index.chunking import CHUNKER_VERSION
from policyminer.store.catalog import Catalog


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("retrieval")
    lib = Library(folder / "index")
    lib.ingest([magazine_pdf(folder / "magasin.pdf"), sections_pdf(folder / "kommune.pdf")])
    yield lib
    lib.close()


def top(library: Library, query: str, k: int = 1, **kw) -> list:
    return library.search(query, k=k, **kw).hits


def test_a_fact_box_is_found_by_its_own_words(library: Library) -> None:
    hits = top(library, "oljefyrer i kjelleren klimautslipp")
    assert " ".join(FACT_BOX) in hits[0].chunk.text.replace("\n", " ")
    assert hits[0].page == 1


def test_big_type_lines_with_nothing_under_them_are_searchable(library: Library) -> None:
    hits = top(library, "anbefalte grep mot løsepengevirus sikkerhetskopier")
    assert BIG_LINES[0] in hits[0].chunk.text and BIG_LINES[1] in hits[0].chunk.text
    assert hits[0].page == 2


def test_a_table_is_found_by_a_word_in_one_cell(library: Library) -> None:
    hits = top(library, "svømmehallen")
    row = "Varmepumpe i svømmehallen | 4 mill. | Eiendom"
    assert row in hits[0].chunk.text
    assert hits[0].chunk.page_at(hits[0].chunk.text.index(row)) == 3


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("How much drinking water leaks out of old pipes before it reaches the tap?", "5"),
        ("How will home care follow up elderly patients with sensors?", "4"),
        ("Has traffic on the ferry connections across the fjord grown?", "1"),
    ],
)
def test_english_question_finds_the_norwegian_passage_in_a_pdf(
    library: Library, question: str, section: str
) -> None:
    hits = top(library, question, k=1)
    assert hits[0].chunk.section.startswith(section + " ")
    # BM25 alone has nothing to go on in another language: the dense side carries it
    assert hits[0].chunk.doc_id.startswith("kommune")


def test_a_document_chunked_by_an_older_version_is_redone_by_ingest(tmp_path: Path) -> None:
    pdf = sections_pdf(tmp_path / "plan.pdf", SECTIONS[:2])
    with Library(tmp_path / "index") as lib:
        (first,) = lib.ingest([pdf]).results
        assert first.status == "added" and lib.status().stale == []
        (again,) = lib.ingest([pdf]).results
        assert again.status == "unchanged"
        # an index made before this chunker: its chunks lack what the chunker now keeps
        with Catalog(tmp_path / "index") as catalog:
            catalog.set_meta(f"chunker_version:{first.doc_id}", str(CHUNKER_VERSION - 1))
        assert [(s.id, s.state) for s in lib.status().stale] == [(first.doc_id, "rechunk")]
        (redone,) = lib.ingest([pdf]).results
        assert redone.status == "updated" and redone.doc_id == first.doc_id
        assert lib.status().stale == []
        assert lib.search("ferjesambandene", k=1).hits[0].chunk.doc_id == first.doc_id
