"""`ask` about who made a document: answered from its title page, not from passages."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfdocs import report_pdf

from policyminer.answer.answer import answer_question
from policyminer.answer.frontmatter import is_authorship_question
from policyminer.ingest import ingest_paths


def test_authorship_questions_are_recognised() -> None:
    for question in (
        "Hvem har skrevet rapporten?",
        "Hvem har utarbeidet veikartet for kommunen?",
        "Hvem står bak planen?",
        "Hvem er oppdragsgiver for utredningen?",
        "Who wrote this report?",
        "Who prepared the roadmap?",
        "Who are the authors of the strategy?",
    ):
        assert is_authorship_question(question), question
    for question in (
        "Hvem har ansvar for helsedata i kommunen?",
        "Hvor mange har skrevet under på oppropet?",
        "Who is responsible for home care?",
    ):
        assert not is_authorship_question(question), question


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two indexes of the sample report: with its PDF metadata (author recorded), and without."""
    folder = tmp_path_factory.mktemp("frontmatter")
    out = {}
    for name, metadata in (("with", True), ("without", False)):
        pdf = report_pdf(folder / f"rapport-{name}.pdf", metadata=metadata)
        index = folder / f"index-{name}"
        assert not ingest_paths([pdf], index).failed
        out[name] = index
    return out


@pytest.mark.parametrize("question", ["Hvem har skrevet rapporten?", "Who wrote the report?"])
def test_who_wrote_it_is_quoted_from_the_title_page(
    reports: dict[str, Path], question: str
) -> None:
    answer = answer_question(reports["with"], question)
    assert not answer.abstained
    first = answer.citations[0]
    assert first.page == 1 and "Testforlaget AS" in first.quote
    assert answer.confidence == 1.0  # the line names the author the PDF records


def test_without_a_recorded_author_the_cue_line_is_offered_with_less_confidence(
    reports: dict[str, Path],
) -> None:
    answer = answer_question(reports["without"], "Hvem har utarbeidet rapporten?")
    assert not answer.abstained and answer.confidence == 0.5
    assert "utarbeidet av Testforlaget AS" in answer.citations[0].quote
    strict = answer_question(
        reports["without"], "Hvem har utarbeidet rapporten?", min_confidence=0.8
    )
    assert strict.abstained and strict.leads
