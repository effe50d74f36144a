"""Strong verbs read as their infinitive, so a question in one tense meets a sentence in another."""

from __future__ import annotations

from pathlib import Path

import pytest
from asking import ask_note

from policyminer.answer.candidates import Terms
from policyminer.index.inflection import verb_lemma


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
