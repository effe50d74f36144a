"""A "which …?" question quotes first the close line a label opens with what it asks for."""

from __future__ import annotations

from pathlib import Path

import pytest
from asking import ask_report

from policyminer.answer.labels import asked_things, labels_asked


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Hvilke lokale aktører nevnes for havbruk?", ["lokale", "aktører", "nevnes"]),
        ("Hva slags tiltak foreslås?", ["tiltak", "foreslås"]),
        ("Which local companies are named?", ["local", "companies"]),
        ("Hvor mange aktører nevnes?", []),
    ],
)
# the three words after the question word, less function words
def test_a_which_question_names_what_it_asks_for(question: str, asked: list[str]) -> None:
    assert asked_things(question) == asked


@pytest.mark.parametrize(
    ("text", "labelled"),
    [
        ("Lokale aktører: Fjordvik Havbruk, Nordbukta Energi og Støtteriet AS.", True),
        ("Aktører: Fjordvik Havbruk", True),  # a short value
        # a label that names something else, or a word the question does not ask for
        ("Fagmiljøer: Fjordvik forskningssenter, Nordbukta fagskole.", False),
        ("Kilde: Fjordvik kommune, Nordbukta Energi.", False),
        # a label set before running prose is a heading in the line, not a list of answers
        ("AKTØRER: Kommunen har i flere år samarbeidet tett med næringslivet i regionen.", False),
        ("Det finnes mange lokale aktører i Fjordvik.", False),  # no label
    ],
)
def test_a_line_opens_with_the_label_asked_for(text: str, labelled: bool) -> None:
    assert labels_asked("Hvilke lokale aktører nevnes for havbruk i Fjordvik?", text) is labelled


def test_which_is_answered_first_by_the_line_its_label_names(tmp_path: Path) -> None:
    answer = ask_report(
        tmp_path,
        "Næringsplan for Fjordvik",
        [
            (
                "Havbruk",
                "Kommunen ønsker at lokale aktører i havbruksnæringen i Fjordvik skal ta "
                "større del i utviklingen av kysten. Lokale aktører innen havbruk i Fjordvik "
                "nevnes ofte som viktige for sysselsettingen i kommunen. Næringsplanen for "
                "Fjordvik legger vekt på havbruk og på lokale aktører i hele regionen. "
                "Lokale aktører: Nordbukta Energi, Støtteriet AS og Kystbygg.",
            ),
        ],
        "Hvilke lokale aktører nevnes for havbruk i Fjordvik?",
    )
    assert not answer.abstained
    assert answer.citations[0].quote.startswith("Lokale aktører:")
