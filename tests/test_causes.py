"""A question that asks why quotes first the close sentence that gives a cause."""

from __future__ import annotations

from pathlib import Path

import pytest
from asking import ask_report

from policyminer.answer.causes import asks_cause, states_cause


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Hvorfor ble brua stengt?", True),
        ("Kvifor flyttar biblioteket?", True),
        ("Why was the bridge closed?", True),
        ("Når ble brua stengt?", False),
        ("Hva er årsaken til stengingen?", False),  # asks for a cause by its noun: no lift
    ],
)
def test_a_question_asks_why(question: str, asks: bool) -> None:
    assert asks_cause(question) is asks


@pytest.mark.parametrize(
    ("text", "gives"),
    [
        ("Brua ble stengt fordi bjelkene var råtne.", True),
        ("Biblioteket flyttes på grunn av fuktskader.", True),
        ("Stengingen er begrunnet med en ny inspeksjon.", True),
        ("Den enkleste forklaringen er at bjelkene var råtne.", True),
        ("The bridge was closed because of rot.", True),
        ("Brua ble stengt i mars 2024.", False),
    ],
)
def test_a_sentence_gives_a_cause_by_a_connective(text: str, gives: bool) -> None:
    assert states_cause(text) is gives


def test_why_is_answered_first_by_the_close_sentence_that_gives_a_cause(tmp_path: Path) -> None:
    answer = ask_report(
        tmp_path,
        "Tiltaksplan for Nordvika",
        [
            (
                "Gangbrua",
                "Gangbrua over Nordvikelva ble stengt i mars 2024. Gangbrua over Nordvikelva "
                "ble bygget i 1985 og har vært mye brukt av skolebarn. Gangbrua ble stengt "
                "fordi en inspeksjon fant råte i bærebjelkene.",
            ),
        ],
        "Hvorfor ble gangbrua over Nordvikelva stengt?",
    )
    assert not answer.abstained
    assert "fordi en inspeksjon" in answer.citations[0].quote


def test_a_purpose_clause_about_something_else_does_not_pass_the_likelier_answer(
    tmp_path: Path,
) -> None:
    # "for å" is a weak sign of a cause: the lift must not put a sentence about another
    # closure ahead of the one the scorer finds far likelier to answer
    answer = ask_report(
        tmp_path,
        "Tiltaksplan for Nordvika",
        [
            (
                "Gangbrua",
                "Gangbrua over Nordvikelva ble stengt i mars 2024 etter at en inspeksjon fant "
                "råte i bærebjelkene. Kommunen stengte også veien langs elva for å reparere "
                "rekkverket. Gangbrua ble bygget i 1985 og har vært mye brukt av skolebarn.",
            ),
        ],
        "Hvorfor ble gangbrua over Nordvikelva stengt?",
    )
    assert not answer.abstained
    assert "inspeksjon fant råte" in answer.citations[0].quote
