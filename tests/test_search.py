"""Search finds the right passage in Norwegian and English, honours filters, explains errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from searchdocs import ENERGI, HELSE, SKOLE, build_index
from typer.testing import CliRunner

import policyminer.cli.search  # noqa: F401  (registers the commands)
from policyminer.cli.app import app
from policyminer.index.sync import sync_indexes
from policyminer.retrieve.search import (
    Filters,
    Searcher,
    SearchError,
    reciprocal_rank_fusion,
    score_fusion,
)
from policyminer.store.catalog import Catalog

runner = CliRunner()
MODES = ("dense", "lexical", "hybrid")


@pytest.fixture(scope="module")
def index(search_index: Path) -> Path:
    return search_index


@pytest.fixture(scope="module")
def searcher(index: Path):
    with Searcher(index) as s:
        yield s


def flat(text: str) -> str:
    """Terminal output with rich's line wrapping undone."""
    return " ".join(text.split())


def doc_id_of(searcher: Searcher, title: str) -> str:
    return next(d.id for d in searcher.catalog.documents() if d.title == title)


@pytest.mark.parametrize("mode", MODES)
def test_norwegian_question_finds_the_passage(searcher: Searcher, mode: str) -> None:
    hits = searcher.search(
        "Hvor mye penger settes av til solcellepaneler på skolene?", k=3, mode=mode
    )
    top = hits[0]
    assert top.title == ENERGI.title
    assert "15 millioner kroner" in top.chunk.text
    assert top.chunk.section == "2 Solenergi" and top.page == 1


@pytest.mark.parametrize("mode", ["dense", "hybrid"])
def test_english_question_finds_the_norwegian_passage(searcher: Searcher, mode: str) -> None:
    hits = searcher.search("How much money goes to solar panels on schools?", k=3, mode=mode)
    assert hits[0].title == ENERGI.title
    assert "15 millioner kroner" in hits[0].chunk.text


def test_page_and_section_come_from_the_document(searcher: Searcher) -> None:
    hit = searcher.search("omsetning i helsenæringen 2019", k=1)[0]
    assert hit.title == HELSE.title
    assert hit.chunk.section == "2 Helsenæringen i regionen"
    assert hit.page == 2  # after the form feed
    assert hit.as_dict()["page"] == 2


def test_compound_query_matches_lexically(searcher: Searcher) -> None:
    hits = searcher.search("næring", k=5, mode="lexical")
    sections = {h.chunk.section for h in hits}
    assert {"2 Helsenæringen i regionen", "3 Næring"} <= sections


def test_hybrid_keeps_both_signals(searcher: Searcher) -> None:
    hits = searcher.search("klimagassutslipp 2030", k=5)
    assert hits[0].title == ENERGI.title
    assert hits[0].dense_score is not None and hits[0].lexical_score is not None
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_filters_restrict_results(searcher: Searcher) -> None:
    helse = doc_id_of(searcher, HELSE.title)
    for mode in MODES:
        hits = searcher.search("kommunen", k=5, mode=mode, filters=Filters(doc_ids=(helse,)))
        assert hits and {h.chunk.doc_id for h in hits} == {helse}
    by_year = searcher.search("kommunen", k=10, filters=Filters(year=2023))
    assert by_year and {h.title for h in by_year} == {ENERGI.title, SKOLE.title}
    by_publisher = searcher.search("kommunen", k=10, filters=Filters(publisher="menon"))
    assert by_publisher and {h.title for h in by_publisher} == {ENERGI.title}
    assert searcher.search("kommunen", filters=Filters(year=1999)) == []
    some = frozenset(c.id for c in searcher.catalog.chunks(doc_id=helse)[:1])
    only = searcher.search("solceller", k=5, filters=Filters(chunk_ids=some))
    assert [h.chunk.id for h in only] == list(some)


def test_filtered_search_returns_the_best_allowed_passages(searcher: Searcher) -> None:
    # the Bergen document ranks far down for this query, but a --doc filter must still fill k
    skole = doc_id_of(searcher, SKOLE.title)
    hits = searcher.search("solceller på kommunale bygg", k=2, filters=Filters(doc_ids=(skole,)))
    assert len(hits) == 2 and {h.chunk.doc_id for h in hits} == {skole}


def test_removed_document_is_never_returned(tmp_path: Path) -> None:
    index = build_index(tmp_path, (HELSE, ENERGI))
    with Catalog(index) as catalog:
        energi = catalog.resolve("energi-drammen")
        catalog.remove_document(energi.id)
        sync_indexes(catalog)
    with Searcher(index) as searcher:
        for mode in MODES:
            hits = searcher.search("Solceller på kommunale bygg", k=10, mode=mode)
            assert energi.id not in {h.chunk.doc_id for h in hits}


def test_query_with_another_model_is_refused_with_the_fix(index: Path) -> None:
    other = "sentence-transformers/all-MiniLM-L6-v2"
    with Searcher(index, model=other) as searcher, pytest.raises(SearchError, match="reindex"):
        searcher.search("solceller")
    with Searcher(index, model="e5-small") as searcher:  # an alias of the index's model
        assert searcher.search("solceller", k=1)


def test_empty_index_and_bad_input_give_clear_errors(tmp_path: Path, searcher: Searcher) -> None:
    with pytest.raises(SearchError, match="no index here"):
        Searcher(tmp_path / "nothing")
    Catalog(tmp_path / "empty").close()
    with Searcher(tmp_path / "empty") as empty, pytest.raises(SearchError, match="empty"):
        empty.search("solceller")
    with pytest.raises(SearchError, match="mode"):
        searcher.search("solceller", mode="fuzzy")
    with pytest.raises(SearchError, match="no such document"):
        searcher.make_filters(docs=("finnes-ikke",))


def test_fusion_rewards_agreement() -> None:
    dense, lexical = [(1, 0.9), (2, 0.8), (3, 0.7)], [(3, 9.0), (1, 5.0)]
    assert [item for item, _ in reciprocal_rank_fusion([dense, lexical])] == [1, 3, 2]
    assert [item for item, _ in score_fusion(dense, lexical, 0.5)] == [1, 3, 2]
    assert [item for item, _ in score_fusion(dense, lexical, 0.1)] == [3, 1, 2]  # BM25 leads
    assert [item for item, _ in score_fusion(dense, [], 0.5)] == [1, 2, 3]


def test_hybrid_fusions_agree_on_a_clear_case(searcher: Searcher) -> None:
    for fusion in ("score", "rrf"):
        hits = searcher.search("solceller på kommunale bygg", k=1, fusion=fusion)
        assert hits[0].title == ENERGI.title


def test_cli_json_shape(index: Path) -> None:
    result = runner.invoke(
        app, ["search", "solceller på skoler", "--index", str(index), "-k", "2", "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["query"] == "solceller på skoler"
    assert len(payload["results"]) == 2
    first = payload["results"][0]
    assert set(first) == {
        "chunk_id", "doc_id", "title", "page", "section", "score", "text", "kind", "footnotes",
        "paged", "printed_page", "unit",
    }  # fmt: skip
    assert first["paged"] is True and first["unit"] == "page"  # a PDF: its page is a page
    assert first["kind"] == "body"  # contents pages and reference lists only with --all-pages
    assert first["title"] == ENERGI.title and "Solceller" in first["text"]


def test_cli_batch_prints_one_json_object_per_query(index: Path, tmp_path: Path) -> None:
    queries = tmp_path / "queries.txt"
    queries.write_text("solceller på skoler\n\nHow many new schools in Bergen?\n", encoding="utf-8")
    result = runner.invoke(
        app, ["search", "--batch", str(queries), "--index", str(index), "-k", "1"]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["query"] for line in lines] == [
        "solceller på skoler",
        "How many new schools in Bergen?",
    ]
    assert [line["results"][0]["title"] for line in lines] == [ENERGI.title, SKOLE.title]


def test_cli_table_and_errors(index: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["search", "solceller", "--index", str(index), "-k", "1", "--doc", "energi"]
    )
    assert result.exit_code == 0, result.output
    assert (
        ENERGI.title in result.stdout and "p. 1" in result.stdout and "Solenergi" in result.stdout
    )
    missing = runner.invoke(
        app, ["search", "--batch", str(tmp_path / "nope.txt"), "--index", str(index)]
    )
    assert missing.exit_code == 2 and "nope.txt: no such file" in flat(missing.stderr)
    unknown = runner.invoke(app, ["search", "x", "--doc", "finnes-ikke", "--index", str(index)])
    assert unknown.exit_code == 2 and "finnes-ikke: no such document" in flat(unknown.stderr)
    empty = runner.invoke(app, ["search", "x", "--index", str(tmp_path / "none")])
    assert empty.exit_code == 1 and "policyminer ingest" in flat(empty.stderr)


def test_cli_area_filter_keeps_only_tagged_passages(index: Path) -> None:
    from policyminer.enrich.areas import chunk_ids_for_area

    with Catalog(index) as catalog:
        tagged = chunk_ids_for_area(catalog, "T1")
    result = runner.invoke(
        app, ["search", "helse", "--area", "T1", "--index", str(index), "--json"]
    )
    assert result.exit_code == 0, result.output
    returned = {r["chunk_id"] for r in json.loads(result.stdout)["results"]}
    assert returned <= tagged and bool(returned) == bool(tagged)
    unknown = runner.invoke(app, ["search", "helse", "--area", "X9", "--index", str(index)])
    assert unknown.exit_code == 2 and "X9" in flat(unknown.stderr)


def test_ingested_documents_are_searchable_and_removal_is_final(
    notes: Path, tmp_path: Path
) -> None:
    from policyminer.ingest import ingest_paths, remove_documents

    index = tmp_path / "index"
    ingest_paths([notes], index)
    with Searcher(index) as searcher:
        hit = searcher.search("Hva er budsjettet for digital hjemmeoppfølging?", k=1)[0]
        assert hit.chunk.doc_id == "helse" and "12 millioner" in hit.chunk.text
        assert hit.chunk.section == "2 Tiltak"
    remove_documents(["energi"], index)
    with Searcher(index) as searcher:
        for mode in MODES:
            hits = searcher.search("Solceller på kommunale bygg", k=5, mode=mode)
            assert "energi" not in {h.chunk.doc_id for h in hits}


def test_a_lexical_index_of_the_previous_version_serves_until_the_next_sync(
    tmp_path: Path,
) -> None:
    from policyminer.index import lexical
    from policyminer.store.files import atomic_write_json

    index = build_index(tmp_path, (HELSE, ENERGI))
    manifest = lexical.read_manifest(index)
    atomic_write_json(index / lexical.MANIFEST, {**manifest, "version": 3})
    with Searcher(index) as searcher:  # no "repair with reindex" for an upgrade
        assert searcher.search("Solceller på kommunale bygg", k=1, mode="lexical")
    with Catalog(index) as catalog:
        sync_indexes(catalog)
    assert lexical.read_manifest(index)["version"] == lexical.FORMAT_VERSION


# Numbers that also stand in the other sections' text, and chapters that speak of "kapittel"
PROVISIONS = [
    ("§ 7.1", "Fjernvarme", "Byggene skal kobles til fjernvarme innen 7 år etter 3 vintre."),
    ("§ 7.2", "Torg", "Torget skal ha 7 trær og benker for 3 familier om gangen."),
    ("§ 7. 3", "Skolegård", "Skolegården skal være åpen for alle etter skoletid."),
    ("§ 3.7", "Småbåthavn", "Havna får 3 brygger, og hver brygge blir 7 meter bred."),
]
CHAPTERS = [
    ("2.1", "Bakgrunn", "Dette kapittelet beskriver bakgrunnen, og kapitlene etter målene."),
    ("2.2", "Mål", "Kommunen skal halvere utslippene innen 2030, se kapittelet om tiltak."),
    ("2.3", "Tiltak", "Skolene får solceller på taket, og bussene går på strøm."),
]
PLAIN_CHAPTERS = [
    ("1", "Innledning", "Dette kapittelet forklarer planen, og kapittel 2 gir 2 mål for 2030."),
    ("2", "Mål", "Kommunen har tre mål for perioden."),
    ("3", "Tiltak", "Tiltakene i kapittel 2 og 3 er delt i to pakker."),
]


@pytest.mark.parametrize(
    ("sections", "queries", "wanted"),
    [
        (PROVISIONS, ("§ 7.3", "Hva sier § 7.3?"), "§ 7. 3 Skolegård"),
        (CHAPTERS, ("kapittel 2.3", "Hva står i kapittel 2.3?"), "2.3 Tiltak"),
        # a plain number shares no rare term with its chapter: the chapter's opening comes first
        (PLAIN_CHAPTERS, ("kapittel 2", "Hva står i kapittel 2?"), "2 Mål"),
    ],
)
def test_a_section_is_found_by_its_number(
    tmp_path: Path, sections: list, queries: tuple[str, str], wanted: str
) -> None:
    from wordprocdocs import tabbed_numbers_pdf

    from policyminer.ingest import ingest_paths

    index = tmp_path / "index"
    ingest_paths([tabbed_numbers_pdf(tmp_path / "bestemmelser.pdf", sections, [])], index)
    with Searcher(index) as searcher:
        for query in queries:
            assert searcher.search(query, k=1)[0].chunk.section == wanted, query


def test_english_question_is_read_in_norwegian_words_by_bm25(searcher: Searcher) -> None:
    # the lexical ranking alone: the English words meet the passage through the glossary
    hits = searcher.search("How much money goes to solar panels on schools?", k=3, mode="lexical")
    assert hits and hits[0].title == ENERGI.title
