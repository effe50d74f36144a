"""A sentence that only says again what an open question says is its premise, not its answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from asking import ask_note, index_note
from typer.testing import CliRunner

from policyminer.answer.answer import answer_question
from policyminer.answer.candidates import Terms
from policyminer.answer.echoes import asks_open, says_nothing_new
from policyminer.cli import app


@pytest.mark.parametrize(
    ("question", "open_"),
    [
        ("Hva er hensikten med kravet om saltak i Solvika?", True),
        ("I hvilket år ble brua over sundet åpnet?", True),
        ("Kva er føremålet med planen?", True),
        ("When will the new school in Solvika open?", True),
        ("Under the plan, which roofs are allowed?", True),
        # yes or no: answered by a sentence that states it
        ("Skal husene i Solvika ha saltak?", False),
        ("Is the ferry free for passengers?", False),
        # a choice between what the question names: answered by naming one
        ("Hvor skal de høyeste husene stå, i vest eller i øst?", False),
        ("Which is larger, the school or the library?", False),
    ],
)
def test_which_questions_ask_for_something_they_do_not_state(question: str, open_: bool) -> None:
    assert asks_open(question) is open_


QUESTION = "Hva er hensikten med at husene på tomtene 4–9 i Solvika skal ha saltak og tegltak?"


@pytest.mark.parametrize(
    ("sentence", "restates"),
    [
        ("Husene på tomt 4-9 i Solvika skal ha saltak og tegltak.", True),
        # the same words inflected, in another order
        ("Tegltak og saltak skal husene i Solvika på tomtene 4 til 9 ha.", True),
        # a reason, a figure, or a compound that tells more than the question's word
        ("Saltak og tegltak skal gi husene et enhetlig preg mot sjøen.", False),
        ("Husene på tomtene 4-9 skal ha saltak med takvinkel 35 grader.", False),
        ("Husene på tomtene 4-9 i Solvika skal ha rødt tegltak og saltak.", False),
        ("Naustene på tomtene 4-9 i Solvika skal ha saltak og tegltak.", False),
    ],
)
def test_a_sentence_that_says_nothing_the_question_does_not(sentence: str, restates: bool) -> None:
    terms = Terms([QUESTION, sentence])
    assert says_nothing_new(terms(QUESTION), terms.per_word(sentence)) is restates


def test_a_word_of_a_question_compound_is_given_a_compound_around_one_is_new() -> None:
    question = "Hva står for rundt 90 prosent av kraftproduksjonen i Solvika?"
    terms = Terms([question, "Vannkraft kraft produksjonen"])
    given = terms(question)
    assert says_nothing_new(given, terms.per_word("Kraft og produksjonen i Solvika, 90 prosent."))
    assert not says_nothing_new(given, terms.per_word("Vannkraft står for 90 prosent."))


PLAN = """# Reguleringsbestemmelser for Solvika

## Utforming av bebyggelsen

Husene på tomtene 4–9 i Solvika skal ha saltak og tegltak.
Garasjer skal plasseres minst to meter fra tomtegrensen mot vegen.
Uteoppholdsarealet skal være minst 150 kvadratmeter for hver bolig.

## Grønnstruktur

Turvegen langs sjøen skal være åpen for allmennheten hele året.
"""


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return index_note(tmp_path_factory.mktemp("echoes"), "solvika.md", PLAN)


def test_a_purpose_the_plan_does_not_give_is_not_answered_by_the_requirement(
    plan: Path,
) -> None:
    answer = answer_question(plan, QUESTION, min_confidence=0.0)
    # the requirement is what the question says already: never a citation
    assert answer.citations or answer.leads
    assert not any("saltak" in c.quote for c in answer.citations)


def test_a_yes_no_question_is_answered_by_the_sentence_that_states_it(plan: Path) -> None:
    answer = answer_question(
        plan, "Skal husene på tomtene 4–9 i Solvika ha saltak og tegltak?", min_confidence=0.0
    )
    assert not answer.abstained
    assert "saltak og tegltak" in answer.citations[0].quote


def test_an_open_question_answered_by_more_than_it_says(plan: Path) -> None:
    answer = answer_question(
        plan, "Hvor langt fra tomtegrensen skal garasjer plasseres?", min_confidence=0.0
    )
    assert "minst to meter" in answer.citations[0].quote


NOTE = """# Solvika

Husene på tomtene 4–9 i Solvika skal ha saltak og tegltak.
"""


def test_when_every_close_sentence_restates_it_says_so(tmp_path: Path) -> None:
    answer = ask_note(tmp_path, "solvika.md", NOTE, QUESTION)
    assert answer.abstained and answer.reason == "restates_question"
    assert answer.as_dict()["reason"] == "restates_question"
    assert any("saltak" in lead.quote for lead in answer.leads)
    result = CliRunner().invoke(app, ["ask", QUESTION, "--index", str(tmp_path / "index")])
    assert result.exit_code == 0, result.output
    assert "sier bare det spørsmålet selv sier" in " ".join(result.output.split())


def test_a_line_that_announces_the_list_asked_for_is_no_restatement(tmp_path: Path) -> None:
    text = (
        "# Retningslinjer for Solvika havn\n\n"
        "Søknaden om båtplass skal inneholde:\n\n"
        "1. Båtens lengde og bredde.\n"
        "2. Forsikringsbevis for båten.\n"
    )
    answer = ask_note(tmp_path, "havn.md", text, "Hva skal søknaden om båtplass inneholde?")
    quoted = [c.quote.split()[0] for c in answer.citations]
    assert quoted == ["Søknaden", "Båtens", "Forsikringsbevis"]
