"""The public facade: one Library object does what the CLI does, with typed records and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import policyminer
from policyminer import (
    Library,
    NoIndexError,
    PolicyminerError,
    UnknownDocumentError,
    UsageError,
)
from policyminer.cli import app
from policyminer.cli.app import console

runner = CliRunner()


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """A Library over the two small notes of conftest, ingested once for the module."""
    from conftest import NOTE_A, NOTE_B

    folder = tmp_path_factory.mktemp("notes")
    (folder / "helse.md").write_text(NOTE_A, encoding="utf-8")
    (folder / "energi.md").write_text(NOTE_B, encoding="utf-8")
    lib = Library(tmp_path_factory.mktemp("lib") / "index")
    report = lib.ingest([folder])
    assert report.count("added") == 2 and not report.failed
    yield lib
    lib.close()


def test_a_missing_index_is_an_error_naming_where_it_looked_and_creates_nothing(
    tmp_path: Path,
) -> None:
    lib = Library(tmp_path / "nowhere")
    for call in (lib.status, lib.documents, lambda: lib.search("helse"), lambda: lib.show("x")):
        with pytest.raises(NoIndexError) as err:
            call()
        message = str(err.value)
        assert str(tmp_path / "nowhere") in message and "POLICYMINER_INDEX" in message
        assert "\n" not in message and err.value.exit_code == 1
    assert not (tmp_path / "nowhere").exists()


def test_documents_show_and_status_give_the_cli_json_shapes(library: Library) -> None:
    docs = library.documents()
    assert {d.id for d in docs} == {"helse", "energi"}
    cli = json.loads(
        runner.invoke(app, ["docs", "--json", "--index", str(library.index_dir)]).stdout
    )
    assert [d.to_dict() for d in docs] == cli
    shown = library.show("helse").to_dict()
    assert shown["id"] == "helse" and shown["pages"][0]["page"] == 1
    assert any("hjemmeoppfølging av eldre" in p["text"] for p in shown["pages"][0]["paragraphs"])
    status = library.status().to_dict()
    assert status["documents"] == 2 and status["indexes"]["ok"]


@pytest.mark.parametrize("width", [60, 200])
def test_docs_fits_the_terminal_and_never_cuts_an_id(
    library: Library, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setattr(console, "width", width)
    out = runner.invoke(app, ["docs", "--index", str(library.index_dir)]).output
    lines = out.splitlines()
    assert all(len(line) <= width for line in lines)
    for doc in library.documents():
        # too narrow for the table: each id on a line of its own, its facts below it
        assert any(doc.id in line.split() or line.strip() == doc.id for line in lines)
        assert doc.title.split()[0] in out
    assert ("┃ id" in out) is (width == 200)


def test_search_finds_the_passage_and_filters_by_document(library: Library) -> None:
    result = library.search("Hva er budsjettet for digital hjemmeoppfølging?", k=1)
    hit = result.hits[0]
    assert hit.chunk.doc_id == "helse" and "12 millioner" in hit.chunk.text
    assert result.to_dict()["results"][0]["doc_id"] == "helse"
    only = library.search("budsjett", k=5, docs=["energi"])
    assert only.hits and {h.chunk.doc_id for h in only.hits} == {"energi"}
    with pytest.raises(UnknownDocumentError) as err:
        library.search("budsjett", docs=["finnes-ikke"])
    assert err.value.exit_code == 2 and "finnes-ikke: no such document" in str(err.value)
    with pytest.raises(UsageError):
        library.search("budsjett", mode="fuzzy")


def test_ask_quotes_the_documents(library: Library) -> None:
    answer = library.ask("Hvor mye er budsjettet for tiltaket i 2024?")
    quoted = answer.citations or answer.leads
    assert quoted and quoted[0].doc_id == "helse"
    assert set(answer.to_dict()) >= {"question", "answer", "abstained", "citations"}


def test_tag_needs_no_index(tmp_path: Path) -> None:
    taggings = Library(tmp_path / "none").tag(
        ["Kommunen vil teste velferdsteknologi i hjemmetjenesten"], all_areas=True
    )
    labels = taggings[0].to_dict()["labels"]
    assert labels and {"id", "name", "score"} <= set(labels[0])
    assert not (tmp_path / "none").exists()


def test_remove_takes_exact_ids_and_a_prefix_only_when_confirmed(
    library: Library, tmp_path: Path
) -> None:
    from conftest import NOTE_B

    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "energiplan.md").write_text(NOTE_B.replace("80 prosent", "70 prosent"), "utf-8")
    library.ingest([folder])
    refused = library.remove(["energip"])
    assert refused.declined == ["energip"] and not refused.removed
    asked: list[str] = []
    confirmed = library.remove(
        ["energip"], confirm=lambda ref, doc, exact: asked.append(doc.id) or True
    )
    assert asked == ["energiplan"] and confirmed.removed == ["energiplan"]
    missing = library.remove(["nope"])
    assert missing.missing == ["nope"] and missing.exit_code == 2
    assert {d.id for d in library.documents()} == {"helse", "energi"}


def test_every_error_is_a_policyminer_error_and_the_package_exports_the_facade() -> None:
    from policyminer.enrich.areas import AreaError
    from policyminer.ingest import IngestError
    from policyminer.retrieve.search import SearchError
    from policyminer.store.catalog import NoIndexError as CatalogNoIndex

    for cls in (AreaError, IngestError, SearchError, CatalogNoIndex):
        assert issubclass(cls, PolicyminerError)
    assert {"Library", "SearchResult", "Answer", "Actor", "PolicyminerError"} <= set(
        policyminer.__all__
    )
