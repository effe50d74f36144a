"""English words and the Norwegian words that stand for them."""

from __future__ import annotations

from pathlib import Path

from asking import index_note

from policyminer.answer.candidates import Terms
from policyminer.index.glossary import english_alternatives, in_norwegian, translations
from policyminer.retrieve.search import Searcher


def test_an_english_word_in_any_inflection_has_its_norwegian_translations() -> None:
    assert "tillatelse" in translations("permission")
    assert "tillatelse" in translations("Permissions")
    assert "kommune" in translations("municipalities")
    assert translations("Nordvika") == ()


def test_a_query_in_norwegian_words_keeps_names_numbers_and_codes() -> None:
    read = in_norwegian("Which municipality in Nordvika got permission for road E39 in 2024?")
    assert {"kommune", "tillatelse", "Nordvika", "E39", "2024"} <= set(read.split())
    assert not {"Which", "in", "for", "got"} & set(read.split())


def test_an_english_term_meets_the_norwegian_sentence_through_its_translation() -> None:
    sentence = "Tiltaket krever tillatelse fra kommunen."
    terms = Terms([sentence, "Who gives permission?"])
    found = english_alternatives("Who gives permission?", terms)
    assert any(alternatives & terms(sentence) for alternatives in found.values())


def test_a_norwegian_question_is_read_in_english_words_over_english_reports(
    tmp_path: Path,
) -> None:
    # two English passages; BM25 alone finds the one on permits from the Norwegian question
    text = (
        "# Harbour plan for Nordvika\n\n"
        "## Permits\n\n"
        "Every new quay needs a permit from the municipality before any building work starts "
        "in the harbour area.\n\n"
        "## Traffic\n\n"
        "Traffic to the ferry terminal will grow by a third by 2030, mostly lorries and "
        "coaches on the coastal road.\n"
    )
    index = index_note(tmp_path, "harbour.md", text)
    with Searcher(index) as searcher:
        hits = searcher.search(
            "Hva trengs før byggearbeid kan starte på nye kaier?", k=2, mode="lexical"
        )
    assert hits and "permit" in hits[0].chunk.text
