"""A question that asks why quotes first the close sentence that gives a cause."""

from __future__ import annotations

from pathlib import Path

import pytest
from asking import ask_note, ask_report, index_note

from policyminer.answer.answer import answer_question
from policyminer.answer.causes import asks_cause, concludes, states_cause


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Hvorfor ble brua stengt?", True),
        ("Kvifor flyttar biblioteket?", True),
        ("Why was the bridge closed?", True),
        ("Når ble brua stengt?", False),
        ("Hva er årsaken til stengingen?", False),  # asks for a cause by its noun: no lift
        ("Hva er hensikten med planen?", True),  # what for: a purpose is a cause of its kind
        ("Hva er det overordnede målet med strategien?", True),
        ("Hva skal det nye senteret bidra til?", True),
        ("What is the purpose of the plan?", True),
        ("Kva er føremålet med planen?", True),  # Nynorsk
        ("Hva er status for målet?", False),
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
        ("Formålet med planen er å sikre friområder.", True),
        ("Senteret skal bidra til økt sikkerhet i regionen.", True),
        ("Kommunen har som mål å bli klimanøytral.", True),
        ("The strategy aims to cut emissions.", True),
        ("Føremålet med planen er å sikre friområde.", True),
        ("Planen ble vedtatt i 2021.", False),
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


def test_a_purpose_clause_that_shares_no_word_with_the_question_is_not_lifted(
    tmp_path: Path,
) -> None:
    # "for å sikre at skolen kan tas i bruk" gives the purpose of another change and shares no
    # term with the question: the notes on the ball court stay first
    answer = ask_note(
        tmp_path,
        "merknader.md",
        "# Svar på merknader til reguleringsplanen for Fjordvik skole\n\n"
        "Punkt 7 Støy: Det er gjort endringer i teksten for å gjøre bestemmelsen enklere å "
        "forstå.\n\n"
        "Punkt 20 Før brukstillatelse: Det er gjort endringer i rekkefølgen for å sikre at "
        "skolen kan tas i bruk ved skolestart.\n\n"
        "Ballbinge: Naboene ba om en ballbinge, men den var ikke et krav i planprogrammet. "
        "Ønsket om ballbinge er ikke tatt med etter en ny gjennomgang.\n\n"
        "Plankartet har fått nye høydekoter og en ny avkjørsel fra Strandveien.\n",
        "Hvorfor ble kravet om ballbinge tatt ut av planforslaget?",
    )
    assert not answer.abstained
    assert "ballbinge" in answer.citations[0].quote.lower()


@pytest.mark.parametrize(
    ("text", "draws"),
    [
        ("Derfor brukes modellen med alle bruer samlet.", True),
        ("Disse kostnadene er derfor holdt utenfor.", True),
        ("Av den grunn ble planen endret.", True),
        ("The model was therefore dropped.", True),
        ("Brua ble stengt fordi bjelkene var råtne.", False),
        ("Kommunen har i mange år vært kjent for dette og er derfor valgt.", False),
    ],
)
def test_a_sentence_draws_a_conclusion_near_its_start(text: str, draws: bool) -> None:
    assert concludes(text) is draws


PLAN = (
    "# Skolebruksplan for Nordvika\n\n"
    "Skolekretsene ble først vurdert hver for seg, med egne elevtall og skoleveier. "
    "Reisetiden for elevene ble kortere når de to minste kretsene i Nordvika ble sett under "
    "ett enn når de ble vurdert hver for seg. Derfor slås de to minste skolekretsene sammen "
    "fra høsten 2026. Den største kretsen beholder dagens grenser.\n"
)
PREMISE = "Reisetiden for elevene ble kortere"
CONCLUSION = "Derfor slås de to minste skolekretsene sammen"


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return index_note(tmp_path_factory.mktemp("plan"), "plan.md", PLAN)


@pytest.mark.parametrize(
    "question",
    [
        "Hvorfor slås de to minste skolekretsene sammen?",
        # a second ask for why
        "Hvilke skolekretser slås sammen, og hvorfor?",
    ],
)
def test_why_quotes_the_premise_of_a_conclusion_first(plan: Path, question: str) -> None:
    answer = answer_question(plan, question, min_confidence=0.0)
    assert not answer.abstained
    quotes = [c.quote for c in answer.citations]
    assert quotes[0].startswith(PREMISE)
    assert quotes[1].startswith(CONCLUSION)


def test_a_purpose_question_quotes_the_sentence_stating_the_aim(tmp_path: Path) -> None:
    # the question asks for the "hensikt", the plan states its "formål"; the other sentences
    # share the plan's name, not the purpose
    text = (
        "# Reguleringsplan for Fjordvik sentrum\n\n"
        "Reguleringsplanen for Fjordvik sentrum ble vedtatt av kommunestyret i 2021.\n\n"
        "Reguleringsplanen for Fjordvik sentrum omfatter torget, kaiområdet og tre kvartaler.\n\n"
        "Formålet med planen er å legge til rette for flere boliger og et levende torg.\n\n"
        "Planarbeidet for Fjordvik sentrum ble varslet i aviser og på kommunens nettside.\n"
    )
    answer = ask_note(
        tmp_path, "sentrumsplan.md", text, "Hva er hensikten med reguleringsplanen for sentrum?"
    )
    assert "Formålet med planen" in answer.citations[0].quote
