"""A question that asks how long quotes first the close sentence that says how long."""

from __future__ import annotations

from pathlib import Path

import pytest
from asking import ask_report

from policyminer.answer.durations import asks_duration, states_duration


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Hvor lenge skal avtalen gjelde?", True),
        ("Kor lenge varer prosjektet?", True),
        ("How long did the trial run?", True),
        ("For how long will the ferry be replaced?", True),
        ("Hvor lang er tunnelen?", False),  # a length, not a time
        ("How long is the tunnel?", False),
        ("Når ble avtalen inngått?", False),
    ],
)
def test_a_question_asks_how_long(question: str, asks: bool) -> None:
    assert asks_duration(question) is asks


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Avtalen gjelder i tre år.", True),
        ("Prøveordningen varte i seks måneder.", True),
        ("Samarbeidet startet i 2019 og varer fram til 2027.", True),
        ("Ordningen gjelder til 30. juni.", True),
        ("Planen gjelder for perioden 2022–2030.", True),
        ("Brua har vært stengt siden mars 2024.", True),
        ("The trial ran for two years.", True),
        ("Skolen har to klasser og 40 elever.", False),
        ("Bussen går til sentrum hver time.", False),
        ("Avtalen ble signert i 2021.", False),
    ],
)
def test_a_sentence_says_how_long(text: str, says: bool) -> None:
    assert states_duration(text) is says


def test_how_long_is_answered_first_by_the_close_sentence_that_says_how_long(
    tmp_path: Path,
) -> None:
    answer = ask_report(
        tmp_path,
        "Samarbeidsavtale for Fjordvik skole",
        [
            (
                "Avtalen",
                "Avtalen om Fjordvik skole ble signert av kommunen og tre bedrifter i 2021. "
                "Avtalen om Fjordvik skole skal styrke samarbeidet mellom skolen og "
                "næringslivet i Fjordvik. Partnerne møtes to ganger i året for å følge opp "
                "avtalen. Samarbeidet varer til og med 2027, da det skal evalueres.",
            ),
        ],
        "Hvor lenge skal avtalen om Fjordvik skole gjelde?",
    )
    assert not answer.abstained
    assert "til og med 2027" in answer.citations[0].quote
