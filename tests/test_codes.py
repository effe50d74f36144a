"""Questions that name their subject by a code ("felt N2", "BK12"): the answer comes from a
passage about that code, or it abstains."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfdocs import chapters_pdf
from starlette.testclient import TestClient
from typer.testing import CliRunner

from policyminer.answer.answer import answer_question
from policyminer.answer.tables import letter_codes, named_by_code
from policyminer.cli import app
from policyminer.ingest import ingest_paths
from policyminer.web.app import create_app


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Hva er byggehøyden i felt BK12–BK14?", {"bk12", "bk14"}),
        ("Hvor skal F-35 flyene stasjoneres?", {"f35"}),
        ("Boliger (B30-31) og nettstasjoner BK12-BK14", {"b30", "bk12", "bk14"}),
        ("F35-flyene", set()),
        ("Langs E39 og E18", {"e39", "e18"}),
        ("Utslipp av CO₂ fra trafikken", {"co2"}),
        # numbers, years, decades and words with a number are no codes
        ("Planen fra 2015 gjelder på 1990-tallet for 12 boliger", set()),
        ("Hovedplan 2030-strategien", set()),
    ],
)
def test_codes_a_text_names(text: str, codes: set[str]) -> None:
    assert letter_codes(text) == codes


@pytest.mark.parametrize(
    ("question", "codes"),
    [
        ("Hva er byggehøyden i felt N2?", {"n2"}),
        ("Hvilken høyde gjelder for tomtene B1, B2 og B3?", {"b1", "b2", "b3"}),
        ("What height applies to the sites BK12–BK14?", {"bk12", "bk14"}),
        ("Hvor lang er vegen E39 gjennom kommunen?", {"e39"}),
        # a code for a kind of thing, not one field or road: a passage may say it otherwise
        ("Hvor mye CO2 slipper transporten ut?", set()),
        ("Hvordan påvirket covid-19 sykehusene?", set()),
        ("Hvor skal F-35 flyene stasjoneres?", set()),
    ],
)
def test_the_fields_and_roads_a_question_names_by_code(question: str, codes: set[str]) -> None:
    assert named_by_code(question) == codes


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A zoning plan's provisions, field by field: heights for some fields, not for all."""
    folder = tmp_path_factory.mktemp("codes")
    pdf = chapters_pdf(
        folder / "bestemmelser.pdf",
        "Reguleringsbestemmelser for Solvik",
        "Vedtatt av kommunestyret 12. mars 2024",
        [
            (
                "Næringsbebyggelse, felt N1",
                "Innenfor felt N1 tillates lager og lett industri. Maksimal byggehøyde er "
                "12 meter over gjennomsnittlig planert terreng. Utnyttelsesgraden er 60 % BYA.",
            ),
            (
                "Boligbebyggelse, felt B1",
                "Innenfor felt B1 tillates frittliggende eneboliger. Maksimal mønehøyde er "
                "9 meter. Hver bolig skal ha to parkeringsplasser.",
            ),
            (
                "Energianlegg, felt E1",
                "Området skal benyttes til nettstasjon for strømforsyning til boligene. "
                "Anlegget skal plasseres minst fire meter fra vegkanten.",
            ),
        ],
    )
    index = folder / "index"
    assert not ingest_paths([pdf], index).failed
    return index


def test_a_code_the_quotes_are_about_is_answered(plan: Path) -> None:
    answer = answer_question(plan, "Hva er maksimal byggehøyde i felt N1?", min_confidence=0.0)
    assert not answer.abstained
    assert "12 meter" in answer.citations[0].quote


def test_what_the_documents_do_not_say_of_a_code_is_not_answered_from_another(
    plan: Path,
) -> None:
    # the plan names no field N2: the heights of N1 and B1 are not its heights
    answer = answer_question(plan, "Hva er maksimal byggehøyde i felt N2?", min_confidence=0.0)
    assert answer.abstained and answer.reason == "names_other_code"
    assert answer.as_dict()["reason"] == "names_other_code"
    assert answer.leads
    # E1 is in the plan, but no height is given for it: the closest heights are other fields'
    answer = answer_question(plan, "Hva er maksimal byggehøyde i felt E1?", min_confidence=0.0)
    assert answer.abstained and answer.reason == "names_other_code"


def test_the_cli_and_the_web_page_say_why_they_did_not_answer(plan: Path) -> None:
    question = "Hva er maksimal byggehøyde i felt N2?"
    result = CliRunner().invoke(app, ["ask", question, "--index", str(plan)])
    assert result.exit_code == 0, result.output
    assert "handler om noe annet enn det spørsmålet navngir med kode" in " ".join(
        result.output.split()
    )
    with TestClient(create_app(plan, warm=False), base_url="http://127.0.0.1") as web:
        page = web.get("/", params={"q": question}).text
    assert "handler om noe annet enn det spørsmålet navngir med kode" in page
