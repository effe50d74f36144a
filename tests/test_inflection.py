"""Strong verbs read as their infinitive, so a question in one tense meets a sentence in another."""

from __future__ import annotations

from pathlib import Path

import pytest
from asking import ask_note

from policyminer.answer.candidates import Terms
from policyminer.index.inflection import action_verb, verb_lemma


@pytest.mark.parametrize(
    ("forms", "infinitive"),
    [
        (("tok", "tatt", "tar", "teke"), "ta"),
        (("fikk", "fått", "får", "fekk"), "få"),
        (("vedtok", "vedtatt", "vedtar"), "vedta"),  # a particle verb
        (("deltok", "deltatt"), "delta"),
        (("foreslo", "foreslått"), "foreslå"),  # "fore", not "for"
        (("inngikk", "inngått"), "inngå"),
        (("iverksatte", "iverksatt"), "iverksette"),
        (("skrev", "skreiv", "skrevet"), "skrive"),
        (("tillot", "tillatt"), "tillate"),
    ],
)
def test_the_forms_of_a_strong_verb_read_as_its_infinitive(
    forms: tuple[str, ...], infinitive: str
) -> None:
    assert {verb_lemma(form) for form in forms} == {infinitive}


@pytest.mark.parametrize(
    "word",
    # nouns that look like a form or a particle and a form: water, speed, an appendix, a task,
    # a measure, a decision; and a short form after a particle ("opp" + "la")
    ["vann", "fart", "vedlegg", "oppgave", "tiltak", "vedtak", "oppla", "kommune"],
)
def test_other_words_keep_their_spelling(word: str) -> None:
    assert verb_lemma(word) == word


def test_a_question_in_the_past_shares_its_verb_with_a_sentence_in_the_perfect() -> None:
    terms = Terms(["Planen er vedtatt av bystyret.", "Hvem vedtok planen?"])
    assert terms("Hvem vedtok planen?") <= terms("Planen er vedtatt av bystyret.")


def test_the_sentence_that_states_who_decided_is_quoted_first(tmp_path: Path) -> None:
    # the question asks in the past tense, the answer states it in the perfect; the other
    # sentences share the plan's name and the year, not the verb
    text = (
        "# Kommunedelplan for Nordvika havn\n\n"
        "Kommunedelplan for Nordvika havn omfatter kaiene, fyllingen og sjøarealet innenfor "
        "moloen.\n\n"
        "Kommunedelplanen for havnen ble sendt på høring våren 2024 med frist i mai.\n\n"
        "Kommunedelplanen ble vedtatt av bystyret i Nordvika i møtet 12. september 2024.\n\n"
        "Arbeidet med kommunedelplanen for havnen startet i 2022 etter et politisk oppdrag.\n"
    )
    answer = ask_note(tmp_path, "havneplan.md", text, "Hvem vedtok kommunedelplanen for havnen?")
    assert "vedtatt av bystyret" in answer.citations[0].quote


@pytest.mark.parametrize(
    ("noun", "verb"),
    [
        ("rygging", "rygge"),
        ("betalingen", "betale"),
        ("vurderinger", "vurdere"),
        ("planleggingen", "planlegge"),
        ("ting", None),  # too short a stem: no verb's noun
        ("sving", None),
        ("kommune", None),
    ],
)
def test_a_noun_made_of_a_verb_by_ing_reads_as_that_verb(noun: str, verb: str | None) -> None:
    assert action_verb(noun) == verb


def test_a_question_with_a_verb_shares_it_with_a_sentence_naming_the_act() -> None:
    terms = Terms(["Rygging med lastebil er ikke tillatt i skolegården.", "Kan lastebiler rygge?"])
    assert "rygg" in terms("Kan lastebiler rygge i skolegården?")
    assert "rygg" in terms("Rygging med lastebil er ikke tillatt i skolegården.")


def test_the_words_for_a_purpose_are_read_as_one() -> None:
    terms = Terms(["Formålet med planen er å sikre friområder."])
    asked = terms("Hva er hensikten med planen?")
    assert asked & terms("Formålet med planen er å sikre friområder.") >= {"formål"}
    assert terms("Målet er å sikre friområder.") & asked == {"formål"}
    # one word's weight, not one per synonym
    assert len(terms("hensikten")) == 1
