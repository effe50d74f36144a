"""A question that names a document by its title is answered from that document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pdfdocs import chapters_pdf
from starlette.testclient import TestClient
from typer.testing import CliRunner

from policyminer.answer.answer import Answerer, answer_question
from policyminer.cli.app import app
from policyminer.ingest import ingest_paths
from policyminer.retrieve.naming import NamedDocument, documents_named, without_names
from policyminer.retrieve.search import Filters, Searcher
from policyminer.web.app import create_app

DOCS = [
    NamedDocument("a", "Reguleringsbestemmelser for Nordvika"),
    NamedDocument("b", "RISIKO 2023"),
    NamedDocument("c", "RISIKO 2024 – sikring av kommunale tjenester"),
    NamedDocument("d", "Kvalitetsprogram for miljø og energi i plan- og byggesak"),
]


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("Hvilke krav gjelder for parkering i Nordvika-planen?", ("a",)),
        ("Hvilke trusler beskriver Risiko 2024?", ("c",)),
        ("Hva sier Risiko om innsidere?", ("b", "c")),
        # a title's first word is capitalised as any title's is: no name
        ("Hva sier Kvalitetsprogrammet om energi?", ()),
        # a common word of a title, and names no title carries, name nothing
        ("Hva sier Plan- og bygningsloven om støy?", ()),
        ("Hvor mange bor i Oslo?", ()),
        # the question's own first word is no name either
        ("Nordvika har hvor mange innbyggere?", ()),
    ],
)
def test_a_question_names_the_documents_whose_titles_carry_its_names(
    question: str, named: tuple[str, ...]
) -> None:
    assert documents_named(question, DOCS) == named


def test_the_words_that_point_to_a_named_document_go_with_its_name() -> None:
    # "ifølgje" is Nynorsk's "ifølge": neither is left behind as a word of the question
    for question, asked in (
        ("Hvor mange tiltak er det ifølge Nordvika-planen?", "Hvor mange tiltak er det?"),
        ("Kor mange tiltak er det ifølgje Nordvika-planen?", "Kor mange tiltak er det?"),
    ):
        assert without_names(question, ["Nordvika"]) == asked


def test_a_name_every_document_carries_restricts_nothing() -> None:
    docs = [NamedDocument("x", "RISIKO 2023"), NamedDocument("y", "RISIKO 2024")]
    assert documents_named("Hva sier Risiko om droner?", docs) == ()


@pytest.fixture(scope="module")
def two_plans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two plans that both set parking rules, each for its own place."""
    folder = tmp_path_factory.mktemp("plans")
    north = chapters_pdf(
        folder / "nordvika.pdf",
        "Reguleringsplan for Nordvika",
        "Vedtatt 2024",
        [
            (
                "Parkering",
                "Boligene i planområdet skal ha to parkeringsplasser per boenhet, og minst én "
                "av dem skal ligge i garasje. Gjesteparkering legges ved inngangen til feltet.",
            ),
            (
                "Grønne områder",
                "Strandsonen skal være åpen for allmennheten, og stier langs sjøen skal holdes "
                "ved like av kommunen.",
            ),
        ],
    )
    south = chapters_pdf(
        folder / "sorbyen.pdf",
        "Kvalitetsprogram for Sørbyen",
        "Mai 2024",
        [
            (
                "Parkering og mobilitet",
                "Krav til parkering i Sørbyen: høyst 0,5 parkeringsplasser for bil per bolig, "
                "og to sykkelplasser per bolig under tak. Parkeringsplassene samles i anlegg "
                "under bakken.",
            ),
            (
                "Energi",
                "Byggene i Sørbyen skal varmes med fjernvarme, og takene får solceller.",
            ),
        ],
    )
    traffic = chapters_pdf(
        folder / "trafikk.pdf",
        "Trafikkanalyse for regionen",
        "Juni 2024",
        [
            (
                "Trafikk",
                "Trafikken fra Nordvika til sentrum er 4 000 biler i døgnet, og den ventes å "
                "øke med en tredjedel innen 2035.",
            )
        ],
    )
    index = folder / "index"
    assert not ingest_paths([north, south, traffic], index).failed
    return index


def test_a_question_naming_a_plan_is_answered_from_that_plan(two_plans: Path) -> None:
    question = "Hvilke krav til parkering gjelder i Nordvika-planen?"
    answer = answer_question(two_plans, question, min_confidence=0.0)
    assert answer.named_documents == ("nordvika",)
    assert answer.citations and {c.doc_id for c in answer.citations} == {"nordvika"}
    assert "to parkeringsplasser per boenhet" in answer.answer
    # the same question about the other plan quotes the other plan
    other = answer_question(
        two_plans, "Hvilke krav til parkering gjelder i Sørbyen?", min_confidence=0.0
    )
    assert {c.doc_id for c in other.citations} == {"sorbyen"}


def test_a_place_named_in_passing_does_not_narrow_the_answer(two_plans: Path) -> None:
    # "Nordvika" is in a plan's title, but the figure asked for is in the traffic analysis
    question = "Hvor mange biler kjører fra Nordvika til sentrum i døgnet?"
    answer = answer_question(two_plans, question, min_confidence=0.0)
    assert answer.named_documents == ()
    assert "4 000 biler" in answer.citations[0].quote


def test_the_json_says_which_documents_the_question_named(two_plans: Path) -> None:
    question = "Hvilke krav til parkering gjelder i Nordvika-planen?"
    result = CliRunner().invoke(app, ["ask", question, "--json", "--index", str(two_plans)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["named_documents"] == ["nordvika"]
    assert json.loads(result.output)["named_titles"] == ["Reguleringsplan for Nordvika"]
    # a question that names no document reads them all
    result = CliRunner().invoke(
        app, ["ask", "Hvor mange parkeringsplasser kreves?", "--json", "--index", str(two_plans)]
    )
    assert json.loads(result.output)["named_documents"] == []


def test_the_cli_names_the_documents_it_read_by_their_titles(two_plans: Path) -> None:
    question = "Hvilke krav til parkering gjelder i Nordvika-planen?"
    options = ["--min-confidence", "0", "--index", str(two_plans)]
    result = CliRunner().invoke(app, ["ask", question, *options])
    assert result.exit_code == 0, result.output
    first = " ".join(result.output.split()).split("Svar")[0]
    assert "nevner: Reguleringsplan for Nordvika" in first


def test_documents_chosen_by_the_caller_are_kept(two_plans: Path) -> None:
    question = "Hvilke krav til parkering gjelder i Nordvika-planen?"
    options = ["--json", "--doc", "sorbyen", "--min-confidence", "0", "--index", str(two_plans)]
    result = CliRunner().invoke(app, ["ask", question, *options])
    answer = json.loads(result.output)
    assert answer["named_documents"] == []
    assert {c["doc_id"] for c in answer["citations"] + answer["leads"]} == {"sorbyen"}


def test_the_web_page_says_which_documents_it_read(two_plans: Path) -> None:
    web = TestClient(create_app(two_plans, warm=False), base_url="http://127.0.0.1")
    page = web.get("/", params={"q": "Hvilke krav til parkering gjelder i Nordvika-planen?"})
    assert page.status_code == 200
    named = page.text.split('id="named-documents">')[1].split("</p>")[0]
    assert "Reguleringsplan for Nordvika" in named and "Sørbyen" not in named


def test_a_name_only_its_document_writes_narrows_wherever_the_best_passage_is(
    tmp_path: Path,
) -> None:
    # the other document says more about playgrounds, but only the plan writes "Nordvika":
    # a question about Nordvika is not answered by another place's rules
    plan = chapters_pdf(
        tmp_path / "nordvika.pdf",
        "Reguleringsbestemmelser for Nordvika",
        "Vedtatt 2024",
        [
            (
                "Fellesområder",
                "Nordvika skal ha en felles sandlekeplass for hvert tiende boligtomt. "
                "Sandlekeplassen skal være opparbeidet før de første boligene tas i bruk.",
            ),
            (
                "Veier",
                "Adkomstveien til Nordvika skal ha fortau på den ene siden. Avkjørsler skal "
                "ha frisikt på 4 x 45 meter.",
            ),
        ],
    )
    school = chapters_pdf(
        tmp_path / "sordal.pdf",
        "Kvalitetsprogram for Sørdal skole",
        "Rapport 2023",
        [
            (
                "Uteområder",
                "Lekeplassen ved skolen skal ha lekeapparater for alle aldre. Kravene til "
                "lekeplasser og uteoppholdsareal følger kommunens norm. Lekeplassene skal ha "
                "sol minst fem timer midt på dagen.",
            ),
            (
                "Lekeplasser",
                "Lekeplasser skal skjermes mot støy og trafikk. Kravet til lekeplasser er "
                "25 m2 per boenhet.",
            ),
        ],
    )
    index = tmp_path / "index"
    assert not ingest_paths([plan, school], index).failed
    answer = answer_question(
        index, "Hvilke krav gjelder for lekeplasser i Nordvika?", min_confidence=0.0
    )
    assert answer.named_documents == ("nordvika",)
    assert {c.doc_id for c in answer.citations} == {"nordvika"}
    assert "sandlekeplass" in answer.citations[0].quote


def test_within_the_named_document_its_name_does_not_pick_the_quote(tmp_path: Path) -> None:
    # every passage read is the plan's: a sentence that repeats the plan's name is no likelier
    # to answer for it
    plan = chapters_pdf(
        tmp_path / "nordvika.pdf",
        "Reguleringsbestemmelser for Nordvika",
        "Vedtatt 2024",
        [
            (
                "Rekkefølge",
                "Før det gis tillatelse til nye boliger skal veien til Nordvika være bygget. "
                "Gatelys skal settes opp langs hele veien.",
            ),
            (
                "Boliger",
                "Krav til parkering for boliger er to plasser per bolig. Parkering skal skje "
                "på egen tomt.",
            ),
            (
                "Næring",
                "Krav til parkering for næring er én plass per ansatt. Parkering for "
                "besøkende skal skje i felles anlegg.",
            ),
            (
                "Barnehage",
                "Krav til parkering for barnehagen er fem plasser. Parkering for levering "
                "skal ligge ved inngangen.",
            ),
        ],
    )
    index = _beside_a_traffic_analysis(tmp_path, plan)
    answer = answer_question(index, "Hva gjelder for boligparkering i Nordvika?", min_confidence=0)
    assert answer.named_documents == ("nordvika",)
    assert "to plasser per bolig" in answer.citations[0].quote


@pytest.fixture
def roof_plan(tmp_path: Path) -> Path:
    """A plan whose name one passage repeats and whose purpose another words as "planen", and a
    traffic analysis of another place."""
    plan = chapters_pdf(
        tmp_path / "nordvika.pdf",
        "Reguleringsbestemmelser for Nordvika",
        "Vedtatt 2024",
        [
            (
                "Formål",
                "Formålet med planen er nye boliger. Planen erstatter den eldre planen, og "
                "planen gjelder til en ny plan er vedtatt.",
            ),
            (
                "Adkomst",
                "Veien til Nordvika skal ha fortau. Bussen til Nordvika skal ha lomme ved "
                "Nordvika skole. Avkjørsler fra veien til Nordvika skal ha frisikt.",
            ),
            (
                "Tak",
                "Boligene skal ha saltak med takvinkel mellom 22 og 40 grader, og takene skal "
                "tekkes med mørk takstein.",
            ),
        ],
    )
    return _beside_a_traffic_analysis(tmp_path, plan)


def test_within_the_named_document_its_name_does_not_rank_the_passages(roof_plan: Path) -> None:
    # BM25 weighs a plan's name as a rare word: a passage that repeats it (the access road
    # "to Nordvika") would come first for any question about the plan
    question = "Hvilken takvinkel skal husene i Nordvika ha?"
    with Searcher(roof_plan) as searcher:
        hits, named = Answerer(searcher).read_passages(question)
        assert named == ("nordvika",)
        assert "takvinkel" in hits[0].chunk.text
        # the same search with the name as a term of its own ranks the name's passage first
        filters = Filters(doc_ids=named)
        assert "Nordvika skole" in searcher.search(question, k=3, filters=filters)[0].chunk.text


def test_a_name_hyphened_to_its_kind_names_the_document_not_a_passage(roof_plan: Path) -> None:
    # "i Nordvika-planen": "planen" is the document asked about, not a word to look for in it
    with Searcher(roof_plan) as searcher:
        hits, named = Answerer(searcher).read_passages("Hva sier Nordvika-planen om tak?")
        assert named == ("nordvika",)
        assert "takvinkel" in hits[0].chunk.text


def _beside_a_traffic_analysis(folder: Path, plan: Path) -> Path:
    """An evidence base of the plan and a traffic analysis of another place."""
    other = chapters_pdf(
        folder / "sordal.pdf",
        "Trafikkanalyse for Sørdal",
        "Juni 2024",
        [("Trafikk", "Trafikken i Sørdal sentrum er 3 000 biler i døgnet.")],
    )
    index = folder / "index"
    assert not ingest_paths([plan, other], index).failed
    return index
