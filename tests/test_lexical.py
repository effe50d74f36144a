"""BM25 with Norwegian stemming and compounds: what a keyword search finds, and persistence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from policyminer.index import lexical

TEXTS = {
    11: "Helsenæringen i Trondheimsregionen vokser raskt, og flere bedrifter etableres.",
    12: "Kommunene i regionen samarbeider om velferdsteknologi for eldre.",
    13: "Næring og industri skal kutte utslipp. Lokal næring får støtte til omstilling.",
    14: "Solceller på kommunale bygg reduserer strømkostnadene.",
    15: "The municipality funds health innovation and welfare technology projects.",
    16: "Barnehagen i sentrum får nye lokaler, og helse er et satsingsområde.",
}


@pytest.fixture(scope="module")
def index() -> lexical.LexicalIndex:
    return lexical.build(list(TEXTS), list(TEXTS.values()))


def top_ids(index: lexical.LexicalIndex, query: str, k: int = 3) -> list[int]:
    return [cid for cid, _ in index.search(query, k)]


def test_inflected_forms_match_through_the_norwegian_stemmer(index: lexical.LexicalIndex) -> None:
    assert top_ids(index, "kommunen samarbeid")[0] == 12
    assert top_ids(index, "solcelle")[0] == 14


def test_compound_parts_are_searchable(index: lexical.LexicalIndex) -> None:
    # "helsenæringen" is indexed under "helse" and "næring" too
    assert 11 in top_ids(index, "næringen", k=3)
    assert 11 in top_ids(index, "helse", k=3)
    analyzer = lexical.Analyzer(["omsorg", "tjenester", "helse", "næring"])
    for compound, parts in (
        ("omsorgstjenestene", ("omsorg", "tjeneste")),
        ("helsenæringen", ("helse", "næring")),
    ):
        terms = analyzer.word_terms(compound)
        assert all(set(analyzer.word_terms(part)) & set(terms) for part in parts)
    assert lexical.split_compound("tiltak", {"til", "tak"}) == []  # parts too short to trust


def test_query_compounds_are_split_on_the_index_vocabulary(index: lexical.LexicalIndex) -> None:
    # no chunk says "industrinæringen", but its parts are indexed words
    assert top_ids(index, "industrinæringen")[0] == 13


def test_english_queries_are_stemmed_as_english(index: lexical.LexicalIndex) -> None:
    assert top_ids(index, "municipalities funding")[0] == 15


def test_stopwords_and_punctuation_alone_find_nothing(index: lexical.LexicalIndex) -> None:
    assert index.search("og i på, det!", 5) == []
    assert index.search("the of and", 5) == []


def test_allowed_ids_restrict_the_ranking(index: lexical.LexicalIndex) -> None:
    hits = index.search("næring helse", 5, allowed=frozenset({12, 16}))
    assert [cid for cid, _ in hits] == [16]


def test_saved_index_scores_the_same_and_replaces_the_old_one(
    index: lexical.LexicalIndex, tmp_path: Path
) -> None:
    lexical.save(index, tmp_path)
    loaded = lexical.load(tmp_path)
    for query in ("helsenæring", "kommunene samarbeider", "welfare technology"):
        assert np.allclose(loaded.scores(query), index.scores(query))
    smaller = lexical.build([12, 14], [TEXTS[12], TEXTS[14]])
    lexical.save(smaller, tmp_path)
    assert lexical.load(tmp_path).size == 2
    assert len([p for p in tmp_path.iterdir() if p.is_dir()]) == 1  # the old folder is gone


def test_damaged_lexical_index_is_reported(index: lexical.LexicalIndex, tmp_path: Path) -> None:
    lexical.save(index, tmp_path)
    manifest = lexical.read_manifest(tmp_path)
    (tmp_path / manifest["dir"] / "scores.npz").write_bytes(b"not numpy")
    with pytest.raises((OSError, ValueError)):
        lexical.load(tmp_path)


def test_highlight_spans_mark_words_that_match_the_query() -> None:
    text = "Kommunene satser på helsenæringen og solceller."
    spans = lexical.highlight_spans(text, "kommune solcelle")
    assert [text[a:b] for a, b in spans] == ["Kommunene", "solceller"]


def test_bm25_is_trusted_less_for_queries_in_the_other_language(
    index: lexical.LexicalIndex,
) -> None:
    assert index.english_share == pytest.approx(1 / 6)  # one of the six chunks is English
    norwegian = index.confidence("Hvordan samarbeider kommunene om velferdsteknologi?")
    english = index.confidence("How do the municipalities cooperate on welfare technology?")
    assert norwegian > 0.5 > english > 0


def test_a_provision_is_found_by_its_section_sign_and_number() -> None:
    provisions = {
        1: "§ 7. 1 Fjernvarme. Byggene kobles til fjernvarme innen 7 år etter 3 vintre.",
        2: "§ 7.2 Torg. Torget skal ha 7 trær og 3 benker for 3 familier.",
        3: "§ 7. 3 Skolegård. Skolegården skal være åpen for alle etter skoletid.",
        4: "§ 3.7 Småbåthavn. Brygga blir 7 meter bred, jf. plan- og bygningsloven § 12-5.",
    }
    index = lexical.build(list(provisions), list(provisions.values()))
    # "§ 7. 3" as some PDFs space it and "§7.3" as a user types it are one term
    assert lexical.section_refs("jf. § 7. 3 og § 12-5.") == ["§7.3", "7.3", "§12-5"]
    assert top_ids(index, "§ 7.3")[0] == 3
    assert top_ids(index, "Hva sier § 12-5?")[0] == 4


def test_a_chapter_is_found_by_its_dotted_number() -> None:
    chapters = {
        1: "2.1 Bakgrunn. Dette kapittelet beskriver bakgrunnen, og kapitlene etter det målene.",
        2: "2.2 Mål. Kommunen vil kutte 2 av 3 tonn utslipp innen 2030, se kapittelet om tiltak.",
        3: "2.3 Tiltak. Skolene får solceller, og bussene går på strøm.",
    }
    index = lexical.build(list(chapters), list(chapters.values()))
    # a dotted number is one term; a date is not a section number
    assert lexical.section_refs("Se 4.3.3 og tabell 2.1. Vedtatt 17.12.2015.") == ["4.3.3", "2.1"]
    # the noun that introduces the number asks for nothing itself
    for query in ("kapittel 2.3", "Hva står i kapittel 2.3?", "What does section 2.3 say?"):
        assert top_ids(index, query)[0] == 3, query
    assert "kapittel" in lexical.Analyzer().query_terms("Hva står i kapittel 2?")
