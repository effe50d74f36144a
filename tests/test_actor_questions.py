"""A question for an actor quotes first the close sentence that names one."""

from __future__ import annotations

from pathlib import Path

import pytest
from asking import ask_note

from policyminer.answer.actors import actor_labels, asks_for_actor


@pytest.mark.parametrize(
    "question",
    [
        "Hvem har ansvar for vedlikeholdet?",
        "Hvilken etat registrerer trafikktallene?",
        "Hvilke kommuner deltar i samarbeidet?",
        "Kven eig hamna?",
        "Which agency found the fault?",
        "Whose permission is needed?",
    ],
)
def test_questions_for_an_actor_are_recognised(question: str) -> None:
    assert asks_for_actor(question)


@pytest.mark.parametrize(
    "question",
    ["Hvor mange ansatte har etaten?", "Hva koster tiltaket?", "Which year was it built?"],
)
def test_other_questions_are_not(question: str) -> None:
    assert not asks_for_actor(question)


def test_a_place_answers_a_question_for_a_municipality_only() -> None:
    assert "GPE" in actor_labels("Hvilken kommune ble rammet?")
    assert "GPE" not in actor_labels("Hvilken etat oppdaget feilen?")


def test_the_sentence_naming_who_found_it_is_quoted_before_the_one_describing_it(
    tmp_path: Path,
) -> None:
    # both sentences are about the outage; only the second says who found its cause
    text = (
        "# Forstyrrelser i navigasjonen\n\n"
        "Ved flere anledninger i 2023 ble navigasjonssignalene i Nordvika slått ut i flere "
        "timer.\n\n"
        "Statens kartverk avdekket at det var utenlandsk aktivitet som førte til forstyrrelsene i "
        "Nordvika.\n\n"
        "Fiskebåtene i området måtte navigere etter kart og kompass mens signalene var borte.\n"
    )
    answer = ask_note(
        tmp_path,
        "navigasjon.md",
        text,
        "Hvilken etat fant ut hva som slo ut navigasjonssignalene i Nordvika?",
    )
    assert "Statens kartverk avdekket" in answer.citations[0].quote
