"""Bokmål and Nynorsk: one word's two spellings share a key; answers speak Nynorsk too."""

from __future__ import annotations

import pytest

from policyminer.answer.spelling import in_standard, spelling_alternatives, spelling_key
from policyminer.lang import MESSAGES, NB, NN


@pytest.mark.parametrize(
    ("nynorsk", "bokmal"),
    [
        ("meiner", "mener"),  # diphthong
        ("haust", "høst"),
        ("øydelagt", "ødelagt"),
        ("dekkjer", "dekker"),  # j after k
        ("tenestene", "tjenestene"),  # … and after t, the other way
        ("vegen", "veien"),  # g for i after a vowel
        ("høgda", "høyden"),
        ("samarbeidar", "samarbeider"),  # endings
        ("kommunane", "kommunene"),
        ("løysingane", "løsningene"),  # -ing / -ning
        ("berekninga", "beregningen"),  # k / g before n
        ("skjeringar", "skjæringer"),  # e / æ
        ("føreslått", "foreslått"),  # føre- / fore-
        ("førebygginga", "forebyggingen"),
        # words the standards choose differently, by the word list, also as a compound's end
        ("verksemda", "virksomheten"),
        ("tilsette", "ansatte"),
        ("grunnskulen", "grunnskolen"),
        # … or as its first part
        ("skulebygget", "skolebygget"),
        ("bustadområda", "boligområdene"),
        ("heimetenesta", "hjemmetjenesten"),
    ],
)
def test_one_word_in_either_standard_has_one_key(nynorsk: str, bokmal: str) -> None:
    assert spelling_key(nynorsk) == spelling_key(bokmal)


@pytest.mark.parametrize(
    ("a", "b"),
    [("veien", "viken"), ("bygd", "bygg"), ("haust", "hast"), ("brukar", "brokar")],
)
def test_different_words_keep_apart(a: str, b: str) -> None:
    assert spelling_key(a) != spelling_key(b)


def test_an_asked_term_gets_the_vocabulary_spelled_otherwise() -> None:
    found = spelling_alternatives(["meiner", "tiltak"], {"mener", "tiltak", "kommunen"})
    assert found == {"meiner": {"mener"}}


def test_every_answer_message_is_written_in_nynorsk_too() -> None:
    assert MESSAGES[NN].keys() == MESSAGES[NB].keys()
    assert all(MESSAGES[NN][key] for key in MESSAGES[NB])


@pytest.mark.parametrize(
    ("question", "evidence", "standard", "read"),
    [
        (
            "Kva meiner Fjordvik om vegen?",
            "Kommunen mener at veien er for smal.",
            "nb",
            "Hva mener Fjordvik om veien?",
        ),
        (
            "Hvem dekker en tredjedel av kostnadene?",
            "Husbanken dekkjer ein tredjedel av kostnadene gjennom tilskot.",
            "nn",
            "Kven dekkjer ein tredjedel av kostnadene?",
        ),
    ],
)
def test_a_question_is_read_in_the_evidences_written_standard(
    question: str, evidence: str, standard: str, read: str
) -> None:
    # function words by their table; "meiner", "vegen" as the evidence spells them; a name and a
    # word the evidence writes as the question does stay
    assert in_standard(question, [evidence], standard) == read
