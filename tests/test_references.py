"""A question that names a numbered part of a document quotes first the sentence naming it."""

from __future__ import annotations

from pathlib import Path

import pytest
from asking import index_note

from policyminer.answer.answer import answer_question
from policyminer.answer.references import asked_parts, names_part


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("Hva viser kolonne 7?", {("column", "7")}),
        ("What does table 2-1 show?", {("table", "2-1")}),
        ("Hva står i vedlegg 3?", {("appendix", "3")}),
        ("Hvor mange felt har vegen?", set()),
        ("Hva skjedde i 2020?", set()),
    ],
)
def test_a_question_names_a_numbered_part(question: str, parts: set) -> None:
    assert asked_parts(question) == parts


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Kol. 7 viser talet på avgangar om natta.", True),
        ("Som kolonne 7 viser, går flest bussar om morgonen.", True),
        ("Kol. 5–7 Avgangar per rute", False),  # a range starting elsewhere
        ("Kol. 6 viser talet på avgangar om dagen.", False),
    ],
)
def test_a_sentence_names_the_part_asked_for(text: str, names: bool) -> None:
    assert names_part({("column", "7")}, text) is names


NOTE = (
    "# Forklaring til kolonnane i rutetala for Nordbukta\n\n"
    "Kol. 5–7 Avgangar per rute\n\n"
    "Ei avgang er ein tur frå endestopp til endestopp. Tala gjeld for 2023.\n\n"
    "- Kol. 5 viser talet på avgangar i alt\n"
    "- Kol. 6 viser talet på avgangar med elektriske bussar\n"
    "- Kol. 7 viser talet på avgangar med rabattert billett for ungdom og studentar "
    "(skulebussar skal ikkje reknast med her)\n\n"
    "Kol. 8 Lengste ventetid mellom to avgangar på ruta\n"
)


@pytest.fixture(scope="module")
def columns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return index_note(tmp_path_factory.mktemp("columns"), "kolonnar.md", NOTE)


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("Hva viser kolonne 7 i tabellen?", "Kol. 7 viser"),
        ("Kva står i kol. 8?", "Kol. 8 Lengste"),
    ],
)
def test_what_a_numbered_column_shows_is_quoted_from_the_line_that_names_it(
    columns: Path, question: str, first: str
) -> None:
    # the lines share every word but the number
    answer = answer_question(columns, question, min_confidence=0.0)
    assert answer.citations[0].quote.startswith(first)
