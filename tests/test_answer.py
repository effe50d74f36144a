"""`policyminer ask`: cited answers from the shipped corpus, verifiable quotes, abstention."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from asking import ask_note, index_note
from messydocs import grid_table_pdf, text_pdf
from pdfdocs import report_pdf
from scriptload import load_script
from typer.testing import CliRunner

from policyminer.answer.answer import (
    LOOKUP_CONFIDENCE,
    TOPIC_CONFIDENCE,
    Answerer,
    answer_question,
    answer_questions,
)
from policyminer.answer.candidates import Terms, enumeration, is_caption, refers_back
from policyminer.answer.citations import Answer, Citation, CitationChecker, normalise
from policyminer.ingest import ingest_paths
from policyminer.lang import detect_language, is_list_question
from policyminer.retrieve.search import Searcher
from policyminer.store.catalog import Catalog

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
QA_DEV = REPO.parent / "shared" / "eval" / "qa-dev.json"
DRAMMEN = CORPUS / "drammensregionen-helse-fou.pdf"

pytestmark = pytest.mark.slow


CLIMATE_NOTE = """# Klimaplan for Eksempelby

## 1 Mål

Eksempelby kommune skal redusere klimagassutslippene med 80 prosent innen 2030.
Solceller på alle kommunale bygg er det viktigste tiltaket i planen.

## 2 Tiltaksområder

Klimaplanen foreslår følgende sju tiltaksområder for kommunen:

- Utslippsfri kollektivtrafikk
- Fjernvarme i sentrum
- Solceller på skoler
- Sykkelveier langs fjorden
- Grønne innkjøp
- Klimatilpasning av havna
- Matavfall til biogass
"""
AREAS = [
    "Utslippsfri kollektivtrafikk",
    "Fjernvarme i sentrum",
    "Solceller på skoler",
    "Sykkelveier langs fjorden",
    "Grønne innkjøp",
    "Klimatilpasning av havna",
    "Matavfall til biogass",
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real index (PDF parsing, embeddings, FAISS, BM25) of the shipped Drammen report."""

    if not DRAMMEN.exists():
        pytest.skip(f"{DRAMMEN} is not present")
    index_dir = tmp_path_factory.mktemp("answer-index")
    notes = tmp_path_factory.mktemp("answer-notes") / "klima.md"
    notes.write_text(CLIMATE_NOTE, encoding="utf-8")
    report = ingest_paths([DRAMMEN, notes], index_dir)
    assert not report.failed, report.failed
    return index_dir


def page_text(index_dir: Path, doc_id: str, page: int) -> str:
    """The catalog text of one page, read independently of the answer module."""
    with Catalog(index_dir) as catalog:
        texts = [p.text for p in catalog.paragraphs(doc_id) if p.page == page]
    return " ".join(" ".join(texts).split())


def assert_verifiable(index_dir: Path, answer: Answer) -> None:
    for c in [*answer.citations, *answer.leads]:
        quote = " ".join(c.quote.split())
        assert quote and quote in page_text(index_dir, c.doc_id, c.page), (answer.question, c)


def test_question_language_and_kind() -> None:
    assert detect_language("Hvor mange studenter har praksis i Vestre Viken?") == "nb"
    assert detect_language("budsjett helse- og omsorgstjenester Trondheim kommune 2020") == "nb"
    assert detect_language("How many students train at Vestre Viken each year?") == "en"
    assert is_list_question("Hvilke fire drivere brukes til å evaluere mulighetsområdene?")
    assert is_list_question("What are the four thematic areas?")
    assert is_list_question("Nevn aktørene i helseklyngen")
    assert not is_list_question("Hvor mange innbyggere har regionen?")
    assert not is_list_question("How much did health care cost in 2020?")
    # what a thing must hold is a list of its parts
    assert is_list_question("Hva skal kartet vise?")
    assert is_list_question("Hva må søknaden inneholde ifølge planen?")
    assert is_list_question("What must the harbour plan include?")
    assert not is_list_question("Hva viser figuren?")
    assert is_list_question("Kva for nokre tiltak foreslår planen?")  # Nynorsk
    assert is_list_question("Nemn aktørane i klynga")
    assert not is_list_question("Kva for ein jobb fekk han?")


def test_a_list_is_told_by_its_items_not_by_its_commas() -> None:
    # the list feature lifts sentences that enumerate, for "which …?" questions
    assert (
        enumeration("Planen peker ut fire satsinger: skole, helse, samferdsel og kultur.") >= 0.75
    )
    assert enumeration("Kommunen tilbyr svømming, fotball, sjakk og korps for barn.") > 0
    # dates and decimal figures are no items of a list
    assert enumeration("Vedtatt: 14.03.2019 Revidert: 02.05.2020, 11.11.21, 03.02.22.") == 0
    assert enumeration("Skråningen er 1,5 meter høy og 2,5 meter bred.") == 0


def test_a_citation_names_a_regulations_section_with_one_section_sign() -> None:
    def cited(section: str) -> str:
        quote = "Det tillates BYA 30 %."
        return Citation("plan", "Reguleringsplan", 9, section, quote, 1.0).label()

    assert cited("§ 7.3 Skolegård") == "[Reguleringsplan, p. 9, § 7.3 Skolegård]"
    assert cited("Skolegård") == "[Reguleringsplan, p. 9, §Skolegård]"
    assert cited("") == "[Reguleringsplan, p. 9]"


def test_a_citation_names_its_page_by_the_documents_unit() -> None:
    def cited(unit: str, printed: str = "") -> str:
        return Citation(
            "plan", "Plan", 9, "Mål", "Det tillates BYA 30 %.", 1.0, unit=unit,
            printed_page=printed,
        ).label()  # fmt: skip

    assert cited("page", "7") == "[Plan, p. 9 (printed 7), §Mål]"
    assert cited("slide") == "[Plan, slide 9, §Mål]"  # a deck's page is a slide
    assert cited("part") == "[Plan, §Mål]"  # a Word file's part: its section alone


def test_norwegian_question_is_answered_with_a_quote_from_the_right_page(index: Path) -> None:
    answer = answer_question(
        index, "Hvor mange innbyggere og kommuner leverer Vestre Viken HF tjenester til?"
    )
    assert not answer.abstained and answer.lang == "nb"
    assert 1 <= len(answer.citations) <= 5
    assert any("550 000" in normalise(c.quote) for c in answer.citations[:3])
    first = answer.citations[0]
    assert first.title and first.page >= 1 and first.label().startswith(f"[{first.title}, p. ")
    assert_verifiable(index, answer)


def test_english_question_gets_the_norwegian_sentence_quoted_as_written(index: Path) -> None:
    answer = answer_question(
        index, "How many USN students do their practical training at Vestre Viken each year?"
    )
    assert not answer.abstained and answer.lang == "en"
    hits = [c for c in answer.citations if "700" in c.quote]
    assert hits, answer.citations
    assert "praksis" in hits[0].quote  # quoted in Norwegian, as the document has it
    assert_verifiable(index, answer)


MOBILITY_NOTE = """# Mobilitetsplan for Fjordvik

## 1 Bakgrunn

Fjordvik kommune har vokst raskt det siste tiåret, og flere innbyggere pendler til nabobyene.
Kommunestyret ba administrasjonen om en plan for hvordan folk skal reise i årene som kommer.

## 2 Tiltak

Bussene skal gå hvert kvarter mellom sentrum og ferjekaia fra høsten 2027.
Alle nye boligfelt skal ha trygg gang- og sykkelvei til nærmeste skole.
Parkeringsavgiften i sentrum økes for å få flere til å la bilen stå.
Kommunen vil kjøpe inn tolv elektriske bysykler til de ansatte.
Det gamle jernbanesporet gjøres om til turvei langs fjorden.

## 3 Økonomi

Tiltakene koster til sammen 48 millioner kroner over fire år.
Staten dekker halvparten gjennom byvekstavtalen, resten tas fra investeringsbudsjettet.
"""


def note_index(factory: pytest.TempPathFactory, name: str, text: str) -> Path:
    """An index of one Markdown note."""
    note = factory.mktemp(f"{name}-note") / f"{name}.md"
    note.write_text(text, encoding="utf-8")
    index_dir = factory.mktemp(f"{name}-index")
    report = ingest_paths([note], index_dir)
    assert not report.failed, report.failed
    return index_dir


@pytest.fixture(scope="module")
def mobility(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of one invented Norwegian plan whose sentences share no word with English."""
    return note_index(tmp_path_factory, "mobilitet", MOBILITY_NOTE)


@pytest.mark.parametrize(
    ("question", "answering"),
    [
        ("Why is the parking fee in the centre being raised?", "Parkeringsavgiften i sentrum"),
        ("What will the municipality buy for its employees?", "elektriske bysykler"),
    ],
)
def test_english_question_is_answered_by_what_the_norwegian_sentence_says(
    mobility: Path, question: str, answering: str
) -> None:
    # pooled token vectors carry the passage's language; the sentence read alone meets English
    answer = answer_question(mobility, question)
    assert not answer.abstained, answer.confidence
    assert answering in answer.citations[0].quote
    assert_verifiable(mobility, answer)


HOUSING_PLAN_NN = """# Bustadplan for Nordvika

## 1 Bakgrunn

Nordvika kommune har fått fleire innbyggjarar dei siste åra, og mange unge manglar ein stad å bu.
Kommunestyret bad rådmannen om ein plan for korleis kommunen skal skaffe fleire bustader.

## 2 Tiltak

Kommunen skal byggje tretti utleigebustader ved skulen innan hausten 2028.
Unge i etableringsfasen kan få startlån frå kommunen når dei kjøper sin første bustad.
Tomteprisane i det nye bustadfeltet vert haldne låge for å trekkje til seg barnefamiliar.
Den gamle meieritomta skal regulerast til leilegheiter med felles uteområde.

## 3 Økonomi

Tiltaka kostar til saman 95 millionar kroner over fem år.
Husbanken dekkjer ein tredjedel gjennom tilskot, resten kjem frå investeringsbudsjettet.
"""


@pytest.fixture(scope="module")
def housing_nn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of one invented plan written in Nynorsk."""
    return note_index(tmp_path_factory, "bustadplan", HOUSING_PLAN_NN)


@pytest.mark.parametrize(
    ("plan", "question", "answering", "lang"),
    [
        ("mobility", "Kor mykje kostar tiltaka til saman?", "48 millioner", "nn"),
        ("mobility", "Kven dekkjer halvparten av kostnadene til tiltaka?", "Staten dekker", "nn"),
        ("housing_nn", "Hvem dekker en tredjedel av kostnadene?", "Husbanken dekkjer", "nb"),
    ],
)
def test_a_question_in_one_written_standard_is_answered_from_the_other(
    request: pytest.FixtureRequest, plan: str, question: str, answering: str, lang: str
) -> None:
    # "kostar"/"koster", "dekkjer"/"dekker": one word in Nynorsk and Bokmål spelling
    index_dir = request.getfixturevalue(plan)
    answer = answer_question(index_dir, question)
    assert not answer.abstained and answer.lang == lang, answer.confidence
    assert answering in answer.citations[0].quote
    assert_verifiable(index_dir, answer)


def test_a_nynorsk_question_is_told_in_nynorsk_that_the_documents_lack_the_answer(
    mobility: Path,
) -> None:
    answer = answer_question(mobility, "Kven vann fotball-VM for herrar i 2018?")
    assert answer.abstained and answer.lang == "nn"
    assert answer.answer == "Fann ikkje noko svar i dokumenta"


def test_list_question_gathers_several_distinct_items(index: Path) -> None:
    answer = answer_question(
        index, "Hvilke modeller for organisering av en regional helseklynge beskrives i rapporten?"
    )
    assert not answer.abstained
    assert 2 <= len(answer.citations) <= 5
    quotes = [normalise(c.quote).lower() for c in answer.citations]
    assert len(set(quotes)) == len(quotes)
    for i, a in enumerate(quotes):
        for b in quotes[i + 1 :]:
            assert a not in b and b not in a
    joined = " ".join(quotes)
    assert "nettverksorganisering" in joined and "klyngeorganisasjon" in joined
    assert_verifiable(index, answer)


def test_list_question_quotes_the_whole_list(index: Path) -> None:
    answer = answer_question(index, "Hvilke tiltaksområder foreslår klimaplanen for kommunen?")
    assert not answer.abstained
    quoted = " ".join(c.quote for c in answer.citations)
    assert all(area in quoted for area in AREAS), answer.citations
    assert_verifiable(index, answer)


def test_contents_and_reference_pages_stay_out_unless_asked_for(index: Path) -> None:
    from policyminer.retrieve.search import Filters, Searcher

    with Searcher(index) as searcher:
        default = searcher.search("helseinnovasjon", k=10)
        everything = searcher.search("helseinnovasjon", k=10, filters=Filters(all_pages=True))
    assert default and all(h.chunk.kind == "body" for h in default)
    assert {h.chunk.kind for h in everything} & {"toc", "references"}


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("Hvem vant fotball-VM for herrer i 2018?", "Fant ikke noe svar i dokumentene"),
        ("What is the boiling point of water at sea level?", "No answer found in the documents"),
    ],
)
def test_off_topic_question_abstains_in_its_own_language(
    index: Path, question: str, message: str
) -> None:
    answer = answer_question(index, question)
    assert answer.abstained and answer.reason == "low_confidence"
    assert answer.answer == message
    assert answer.citations == []
    assert answer.leads  # the closest passages are offered, with verifiable citations
    assert_verifiable(index, answer)


def test_every_citation_is_verifiable_across_many_questions(index: Path) -> None:
    qa = json.loads(QA_DEV.read_text(encoding="utf-8")) if QA_DEV.exists() else []
    questions = [q["question"] for q in qa]
    with Catalog(index) as catalog:  # plus questions made from the document's own sentences
        chunks = catalog.chunks()
    for chunk in chunks[:: max(1, len(chunks) // 15)]:
        words = chunk.text.split()
        questions.append(" ".join(words[len(words) // 2 : len(words) // 2 + 9]) + "?")
    answers = list(answer_questions(index, questions, min_confidence=0.0))
    assert len(answers) == len(questions) >= 20
    cited = sum(len(a.citations) for a in answers)
    assert cited >= len(questions)
    for answer in answers:
        assert_verifiable(index, answer)


def test_a_citation_that_fails_the_check_is_repaired_or_dropped(index: Path) -> None:
    with Catalog(index) as catalog:
        doc = catalog.documents()[0]
        para = next(p for p in catalog.paragraphs(doc.id) if p.kind == "body" and p.page > 3)
        checker = CitationChecker(catalog)
        right = Citation(doc.id, doc.title, para.page, para.section, para.text, 1.0)
        assert checker.verify(right)
        wrong_page = Citation(doc.id, doc.title, para.page + 1, para.section, para.text, 1.0)
        assert not checker.verify(wrong_page)
        repaired = checker.repair(wrong_page)
        assert repaired is not None and repaired.page == para.page
        invented = Citation(doc.id, doc.title, para.page, "", "Dette står ikke i rapporten.", 1.0)
        assert checker.repair(invented) is None


def test_doc_filter_limits_citations_to_that_document(index: Path) -> None:
    question = "Hvor mye skal klimagassutslippene reduseres innen 2030?"
    unfiltered = answer_question(index, question, min_confidence=0.0)
    assert "klima" in unfiltered.citations[0].doc_id
    with Catalog(index) as catalog:
        drammen = next(d.id for d in catalog.documents() if "klima" not in d.id)
    filtered = answer_question(index, question, docs=[drammen], min_confidence=0.0)
    assert filtered.citations
    assert all(c.doc_id == drammen for c in [*filtered.citations, *filtered.leads])


def test_confidence_is_a_probability_on_the_answer_and_on_each_citation(index: Path) -> None:
    from policyminer.answer.scorer import shipped_scorer

    answer = answer_question(index, "Hvor mye skal klimagassutslippene reduseres innen 2030?")
    assert not answer.abstained
    assert shipped_scorer().threshold <= answer.confidence <= 1.0
    assert "80 prosent" in answer.citations[0].quote
    assert all(0.0 < c.confidence <= 1.0 for c in answer.citations)
    assert answer.citations[0].confidence == max(c.confidence for c in answer.citations)
    # one scale for both: the quote the answer's confidence comes from shows the same number,
    # so a script that keeps citations above the answer threshold keeps the answer's quote
    assert answer.citations[0].confidence == pytest.approx(answer.confidence, abs=1e-6)
    off_topic = answer_question(index, "Hvem vant fotball-VM for herrer i 2018?")
    assert off_topic.abstained and off_topic.confidence < answer.confidence


def test_min_confidence_lets_the_user_choose_between_answers_and_abstentions(
    index: Path,
) -> None:
    question = "Hvem vant fotball-VM for herrer i 2018?"
    assert answer_question(index, question).abstained
    anyway = answer_question(index, question, min_confidence=0.0)
    assert not anyway.abstained and anyway.citations  # the closest sentences, as asked
    assert_verifiable(index, anyway)
    strict = answer_question(
        index, "Hvor mye skal klimagassutslippene reduseres innen 2030?", min_confidence=1.0
    )
    assert strict.abstained and strict.leads


@pytest.fixture(scope="module")
def cli():
    import policyminer.cli.ask  # noqa: F401  (registers the command)
    from policyminer.cli.app import app

    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["ask", *args])


def test_ask_json_shape(index: Path, cli) -> None:
    result = cli(
        "Hvor mange USN-studenter har praksis i Vestre Viken?", "--json", "--index", str(index)
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"question", "answer", "abstained", "citations"} <= data.keys()
    assert data["abstained"] is False and data["citations"] and data["reason"] == ""
    assert 0.0 <= data["confidence"] <= 1.0
    for c in data["citations"]:
        assert {"doc_id", "title", "page", "section", "quote", "score", "confidence"} <= c.keys()
        assert isinstance(c["page"], int) and isinstance(c["score"], float)
        assert 0.0 <= c["confidence"] <= 1.0


def test_ask_min_confidence_option(index: Path, cli) -> None:
    question = "What is the boiling point of water at sea level?"
    anyway = cli(question, "--json", "--min-confidence", "0", "--index", str(index))
    assert anyway.exit_code == 0, anyway.output
    assert json.loads(anyway.stdout)["abstained"] is False
    wrong = cli(question, "--min-confidence", "1.5", "--index", str(index))
    assert wrong.exit_code == 2 and "between 0 and 1" in wrong.output


def test_ask_batch_prints_one_json_object_per_question(index: Path, cli, tmp_path: Path) -> None:
    batch = tmp_path / "questions.txt"
    batch.write_text(
        "Hvor mange USN-studenter har praksis i Vestre Viken?\n\n"
        "What is the boiling point of water at sea level?\n",
        encoding="utf-8",
    )
    result = cli("--batch", str(batch), "--index", str(index))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [d["question"] for d in lines] == [
        "Hvor mange USN-studenter har praksis i Vestre Viken?",
        "What is the boiling point of water at sea level?",
    ]
    assert [d["abstained"] for d in lines] == [False, True]
    assert lines[1]["answer"] == "No answer found in the documents" and lines[1]["leads"]


def test_ask_rich_output_and_errors(index: Path, cli, tmp_path: Path) -> None:
    result = cli("Hvor mange USN-studenter har praksis i Vestre Viken?", "--index", str(index))
    assert result.exit_code == 0 and "Svar" in result.stdout and ", p. " in result.stdout
    # the words around the figures speak the question's language
    assert "(sikkerhet " in result.stdout and "confidence" not in result.stdout
    english = cli("What is the boiling point of water at sea level?", "--index", str(index))
    told = " ".join(english.stdout.split())
    assert "No answer found" in told and "confidence 0." in told
    assert "--min-confidence answers anyway" in told
    norsk = cli("Hvem vant fotball-VM for herrer i 2018?", "--index", str(index))
    said = " ".join(norsk.stdout.split())
    assert "sikkerhet 0." in said and "--min-confidence svarer likevel" in said
    missing = cli("--batch", str(tmp_path / "nope.txt"), "--index", str(index))
    assert missing.exit_code == 2 and "nope.txt" in missing.output
    unknown = cli("Hva?", "--doc", "no-such-doc", "--index", str(index))
    assert unknown.exit_code != 0 and "no-such-doc" in unknown.output
    empty = cli("Hva?", "--index", str(tmp_path / "empty"))
    assert empty.exit_code != 0 and "no index" in empty.output
    neither = cli("--index", str(index))
    assert neither.exit_code == 2


def test_answerer_scores_sentences_not_headings(index: Path) -> None:
    from policyminer.retrieve.search import Searcher

    with Searcher(index) as searcher:
        answerer = Answerer(searcher)
        answer = answerer.answer("Finansieringsmodeller for regionale helsesatsinger")
        answerer.close()
        headings = {
            normalise(p.text)
            for d in searcher.catalog.documents()
            for p in searcher.catalog.paragraphs(d.id)
            if p.kind == "heading"
        }
    assert all(normalise(c.quote) not in headings for c in answer.citations)


FERRY_PARAGRAPH = (
    "Fergesambandet Nordvik–Sørhamn ble åpnet i 1998.\n"
    "Sambandet trafikkeres av to ferjer gjennom hele året. "
    "I 2021 hadde sambandet en årsdøgntrafikk på 1 240 kjøretøy. "
    "Kommunen ønsker en fast vegforbindelse på sikt."
)


def test_near_miss_keeps_the_topic_and_drops_the_asked_figure() -> None:
    script = load_script("train_answer_scorer")
    answer = "1 240 kjøretøy"
    start = FERRY_PARAGRAPH.index(answer)
    near = script.without_answer(FERRY_PARAGRAPH, [answer], [(start, start + len(answer))])
    assert "1 240" not in near and "årsdøgntrafikk" not in near  # the whole sentence is gone
    assert "Sambandet trafikkeres av to ferjer" in near  # the rest of the topic stays
    assert near.startswith("Fergesambandet Nordvik–Sørhamn ble åpnet i 1998.\n")  # lines kept
    # an answer found in no sentence gives no near miss (nothing to take away)
    assert script.without_answer(FERRY_PARAGRAPH, ["Bergen"], []) == ""


def test_a_candidate_is_positive_only_from_its_own_paragraph_and_holding_the_answer() -> None:
    script = load_script("train_answer_scorer")

    def candidate(doc_id: str, text: str) -> SimpleNamespace:
        return SimpleNamespace(chunk=SimpleNamespace(doc_id=doc_id), text=text)

    paragraphs = {"own": 3, "other": 7}
    sentences = [
        candidate("own", "I 2021 hadde sambandet en årsdøgntrafikk på 1 240\nkjøretøy."),
        candidate("own", "Sambandet trafikkeres av to ferjer."),
        candidate("other", "Et annet samband hadde 1 240 kjøretøy."),
    ]
    labels = script.answer_labels(sentences, ["1 240 kjøretøy"], 3, paragraphs)
    # a line break inside the answer does not hide it; the same words elsewhere do not count
    assert labels == [True, False, False]


def test_two_questions_on_one_paragraph_join_into_one_that_asks_both() -> None:
    script = load_script("train_answer_scorer")
    questions = [
        ("Når ble sambandet åpnet?", ["1998"], 0),
        ("Hvor mange ferjer går i sambandet?", ["to ferjer"], 0),
        ("Hva ønsker kommunen?", ["en fast vegforbindelse"], 0),
        ("Hvem eier brua?", ["fylket"], 1),
    ]
    joined = script.compound_questions(questions)
    # one pair from the paragraph of three (its third question has no partner), none across
    assert len(joined) == 1
    asked, answers, paragraph = joined[0]
    assert paragraph == 0 and ", og " in asked and asked.count("?") == 1
    second = asked.split(", og ", 1)[1]
    assert second[0].islower()  # "…, og hvor mange …?"
    assert len(answers) == 2 and all(
        a in {"1998", "to ferjer", "en fast vegforbindelse"} for a in answers
    )


def test_reworded_questions_keep_their_answers_and_paragraph(tmp_path: Path) -> None:
    script = load_script("train_answer_scorer")
    table = tmp_path / "reworded.tsv"
    table.write_text(
        "split\tn\tparaphrase\n"
        "train\t1\tHvor mange ferjer trafikkerer strekningen?\n"
        "validation\t0\tHvem står som eier av brua?\n",
        encoding="utf-8",
    )
    questions = [
        ("Når ble sambandet åpnet?", ["1998"], 0),
        ("Hvor mange ferjer går i sambandet?", ["to ferjer"], 0),
        ("Hvem eier brua?", ["fylket"], 1),
    ]
    train = script.reworded_questions(questions, script.read_reworded(table, "train"))
    # only the reworded question, asked in its new words, with the original's answer and paragraph
    assert train == [("Hvor mange ferjer trafikkerer strekningen?", ["to ferjer"], 0)]
    assert script.read_reworded(table, "validation") == {0: "Hvem står som eier av brua?"}


def test_an_order_model_orders_the_quotes_and_the_confidence_model_decides_abstention(
    index: Path, tmp_path: Path
) -> None:
    from dataclasses import replace

    import numpy as np

    from policyminer.answer.scorer import FEATURES, read_scorer, shipped_scorer
    from policyminer.retrieve.search import Searcher

    def vector(**weights: float) -> np.ndarray:
        return np.array([weights.get(f, 0.0) for f in FEATURES])

    # invented models: the confidence model trusts term overlap only; the order model prefers
    # short sentences (the climate note's list items), something the other would never do
    plain = replace(
        shipped_scorer(),
        mean=vector(),
        scale=vector() + 1.0,
        weights=vector(lexical=4.0),
        bias=-2.0,
        calibration=(1.0, 0.0),
        threshold=0.5,
    )
    ordered = replace(
        plain, order_mean=vector(), order_scale=vector() + 1.0, order_weights=vector(length=-5.0)
    )
    level = replace(ordered, order_bias=100.0)  # the order logits' level says nothing
    paths = []
    for n, scorer in enumerate((plain, ordered, level)):
        paths.append(tmp_path / f"scorer-{n}.json")
        paths[-1].write_text(json.dumps(scorer.to_json()), encoding="utf-8")
    # not a "how much" question: the quantity rule would refuse the order model's list items
    asked = "Hva er kommunens mål for klimagassutslippene innen 2030?"
    off_topic = "Hvem vant fotball-VM for herrer i 2018?"
    with Searcher(index) as searcher:
        note = next(d.id for d in searcher.catalog.documents() if "klima" in d.id)
        only = searcher.make_filters((note,))
        answers = [
            [
                Answerer(searcher, scorer=read_scorer(path)).answer(q, filters=only)
                for q in (asked, off_topic)
            ]
            for path in paths
        ]
    (a_plain, off_plain), (a_ordered, off_ordered), (a_level, off_level) = answers
    assert "80 prosent" in a_plain.citations[0].quote
    assert a_ordered.citations[0].quote in AREAS  # the order model chose what comes first
    assert not a_ordered.abstained and not a_level.abstained
    assert a_ordered.confidence == a_plain.confidence == a_level.confidence > 0.5
    assert_verifiable(index, a_ordered)
    # the off-topic question abstains whatever the order model says, with the same confidence
    assert off_plain.abstained and off_ordered.abstained and off_level.abstained
    assert off_plain.confidence == off_ordered.confidence == off_level.confidence < 0.5


ROADS = [
    ["Vei", "Dimensjoneringsklasse", "Eierform"],
    *[[f"V {n}", klasse, eier] for n, klasse, eier in (
        (1, "A1", "Offentlig"), (2, "A2", "Offentlig"), (3, "B4", "Privat"),
        (4, "A2", "Felles for tomt 3, 4 og 8"), (5, "C7", "Privat"),
        (6, "A1", "Felles for tomt 11, 12 og 15"), (7, "A1", "Felles for tomt 20 til 24"),
        (8, "B4", "Eksisterende vei, privat"), (9, "A2", "Offentlig"),
        (10, "A1", "Felles for tomt 30, 31 og 33"),
    )],
]  # fmt: skip


def test_a_short_table_row_answers_a_question_that_names_its_row_and_columns(
    tmp_path: Path, cli
) -> None:

    pdf = grid_table_pdf(
        tmp_path / "veier.pdf",
        "Planen regulerer ti kjøreveier. Veiene skal bygges etter vegnormalen, og klassen "
        "avgjør bredden på kjørebanen og fortauet langs den.",
        ROADS,
        "Alle veiene skal være ferdige før de første boligene tas i bruk. Private veier "
        "vedlikeholdes av eierne.",
    )
    index_dir = tmp_path / "index"
    assert not ingest_paths([pdf], index_dir).failed
    question = "Hvilken dimensjoneringsklasse og eierform har veien V 5 i reguleringsplanen?"
    answer = answer_question(index_dir, question, min_confidence=0.0)
    # the row is four words: quoted, read with the header that says what its cells are, and
    # put before its longer neighbours because it holds the road the question names
    assert answer.citations[0].quote == "V 5 | C7 | Privat", answer.citations
    assert answer.citations[0].columns == "Vei | Dimensjoneringsklasse | Eierform"
    assert_verifiable(index_dir, answer)
    other = answer_question(
        index_dir, "Hvilken dimensjoneringsklasse har kjørevegen V 9?", min_confidence=0.0
    )
    assert other.citations[0].quote == "V 9 | A2 | Offentlig", other.citations
    # "V 8" is the road, not the lot 8 in the row of road 4
    eighth = answer_question(index_dir, "Hvem eier veien V 8?", min_confidence=0.0)
    assert eighth.citations[0].quote == "V 8 | B4 | Eksisterende vei, privat", eighth.citations
    # a lookup naming the row and a column is answered at the shipped threshold, as sure as a
    # rule; asking for a column the table lacks is no lookup and keeps the scorer's doubt
    looked_up = answer_question(index_dir, question)
    assert not looked_up.abstained and looked_up.confidence >= LOOKUP_CONFIDENCE
    assert looked_up.citations[0].quote == "V 5 | C7 | Privat"
    missing = answer_question(index_dir, "Hvor mange parkeringsplasser har veien V 5?")
    assert missing.confidence < LOOKUP_CONFIDENCE
    # "klasse" names the column "Dimensjoneringsklasse" (a part of the compound)
    part = answer_question(index_dir, "Hvilken klasse har veien V 6?")
    assert not part.abstained and part.confidence >= LOOKUP_CONFIDENCE
    assert part.citations[0].quote == "V 6 | A1 | Felles for tomt 11, 12 og 15"
    shown = cli(question, "--index", str(index_dir), "--min-confidence", "0", "--json")
    first = json.loads(shown.stdout)["citations"][0]
    assert first["columns"] == "Vei | Dimensjoneringsklasse | Eierform"
    text = cli(question, "--index", str(index_dir), "--min-confidence", "0").stdout
    assert "kolonner: Vei | Dimensjoneringsklasse | Eierform" in text


CULTURE_BUDGET = """# Kulturbudsjett for Eksempelby

Tabellen viser budsjettet for kulturtiltakene i kommunen, i tusen kroner.

| Tiltak | 2024 | 2025 | Endring |
|---|---|---|---|
| Bibliotek | 12 400 | 13 100 | 5,6 % |
| Kulturskole | 8 200 | 8 900 | 8,5 % |
| Fritidsklubber | 3 100 | 2 900 | -6,5 % |

## Ansatte

Tabellen viser årsverkene i kulturtiltakene.

| Tiltak | Årsverk | Endring |
|---|---|---|
| Bibliotek | 14 | 1 |
| Kulturskole | 22 | 2 |
| Fritidsklubber | 6 | -1 |
"""


def test_a_table_lookup_names_its_row_by_label_and_picks_the_table_whose_columns_it_names(
    tmp_path: Path,
) -> None:

    note = tmp_path / "kultur.md"
    note.write_text(CULTURE_BUDGET, encoding="utf-8")
    index_dir = tmp_path / "index"
    assert not ingest_paths([note], index_dir).failed
    # "Bibliotek" names the row in both tables; "endring", "2024" and "2025" name three columns
    # of the budget, one of the staff table: the budget's row is the answer
    budget = answer_question(index_dir, "Hvor stor endring fikk Bibliotek fra 2024 til 2025?")
    assert not budget.abstained and budget.confidence >= LOOKUP_CONFIDENCE
    assert budget.citations[0].quote == "Bibliotek | 12 400 | 13 100 | 5,6 %"
    # each table names one column: no lookup, but the named rows still come first
    tie = answer_question(index_dir, "Hva er endringen for Bibliotek?", min_confidence=0.0)
    assert tie.confidence < LOOKUP_CONFIDENCE
    assert tie.citations[0].quote.startswith("Bibliotek | ")
    # a column neither table has: no lookup
    users = answer_question(index_dir, "Hvor mange brukere har Fritidsklubber?")
    assert users.confidence < LOOKUP_CONFIDENCE


SPORTS_GRANTS = """# Idrettsanlegg i Eksempelby

Tabellen viser tilskuddene til idrettsanleggene i kommunen.

| Anlegg | Tilskudd i 2024 (tusen kroner) | Tilskudd i 2025 (tusen kroner) | Endring i prosent |
|---|---|---|---|
| Svømmehallen | 4 100 | 4 300 | 4,9 % |
| Kunstgressbanen | 900 | 1 200 | 33 % |
| Ishallen | 2 600 | 2 500 | -3,8 % |

Kommunen vil vurdere nye tilskudd når anleggene er rehabilitert.
"""


def test_a_tables_header_row_is_never_quoted_as_an_answer(tmp_path: Path) -> None:

    note = tmp_path / "idrett.md"
    note.write_text(SPORTS_GRANTS, encoding="utf-8")
    index_dir = tmp_path / "index"
    assert not ingest_paths([note], index_dir).failed
    # the header shares every word with the question, and states nothing: the rows answer
    answer = answer_question(
        index_dir, "Hvordan endret tilskuddene seg fra 2024 til 2025?", min_confidence=0.0
    )
    quotes = [c.quote for c in answer.citations]
    assert quotes and all(not q.startswith("Anlegg | ") for q in quotes), quotes
    assert quotes[0].split(" | ")[0] in {"Svømmehallen", "Kunstgressbanen", "Ishallen"}


BUS_NOTE = """# Busstilbud i Fjordvik

## 1 Rutetilbudet

Rutetabellen for 2025 er den samme som rutetabellen for 2024, med følgende endring:

- Linje 12 kjører nå hver halvtime også på søndager.

Fylkeskommunen vurderer flere endringer når passasjertallene for våren er klare.
Busstilbudet i Fjordvik finansieres av fylkeskommunen og kommunen sammen.

## 2 Holdeplasser

Tre holdeplasser langs fjorden får nye leskur og sanntidsskilt i løpet av året.
"""


def test_a_quoted_sentence_ending_in_a_colon_brings_what_it_announces(tmp_path: Path) -> None:
    answer = ask_note(
        tmp_path,
        "buss.md",
        BUS_NOTE,
        "Hvilken endring er gjort i rutetabellen for 2025?",
        min_confidence=None,
    )
    quotes = [c.quote for c in answer.citations]
    intro = next(i for i, q in enumerate(quotes) if q.endswith("følgende endring:"))
    # the colon announces the content: it is quoted right after, not left dangling
    following = quotes[intro + 1 : intro + 2]
    assert following and following[0].startswith("Linje 12 kjører nå hver halvtime")


def test_a_sentence_cut_by_a_page_break_is_quoted_with_its_rest(tmp_path: Path) -> None:
    pages = [
        "Fjordvik kommune har vedtatt en ny plan for sykkelveier i sentrum og langs kysten. "
        "Planen ble utarbeidet sammen med fylket og innbyggerne i bydelene. "
        "Innen utgangen av 2030 skal kommunen bygge en sammenhengende sykkelvei fra "
        "jernbanestasjonen til",
        "fergekaia i Nordbukta, slik at pendlerne kan sykle hele veien. "
        "Arbeidet med reguleringsplanen starter neste år.",
    ]
    pdf = text_pdf(tmp_path / "sykkelplan.pdf", pages)
    assert not ingest_paths([pdf], tmp_path / "index").failed
    answer = answer_question(
        tmp_path / "index", "Hva skal Fjordvik kommune bygge innen utgangen av 2030?"
    )
    cited = [(c.page, c.quote) for c in answer.citations]
    first = next(i for i, (_, quote) in enumerate(cited) if quote.startswith("Innen utgangen"))
    # the quote keeps to its page; its rest follows it, cited on the next page
    assert cited[first][0] == 1 and cited[first][1].endswith("fra jernbanestasjonen til")
    assert cited[first + 1 : first + 2] == [
        (2, "fergekaia i Nordbukta, slik at pendlerne kan sykle hele veien.")
    ]
    # asked about the rest, the answer quotes the head before it, cited on the first page
    answer = answer_question(tmp_path / "index", "Hvor skal pendlerne kunne sykle hele veien?")
    cited = [(c.page, c.quote) for c in answer.citations]
    rest = next(i for i, (_, quote) in enumerate(cited) if quote.startswith("fergekaia"))
    assert rest > 0 and cited[rest - 1][0] == 1
    assert cited[rest - 1][1].startswith("Innen utgangen av 2030")


def test_asking_what_a_numbered_section_says_quotes_the_section() -> None:
    from policyminer.retrieve.sections import asked_section

    assert asked_section("Hva sier § 4.6?") == "§4.6"
    assert asked_section("Hva står det i kapittel 4.3?") == "4.3"
    assert asked_section("What does section 2.1 say?") == "2.1"
    # a question about something in the section is an ordinary question
    assert asked_section("Hva sier § 4.6 om parkering?") is None
    assert asked_section("Hvor mange boliger tillates etter § 4.1?") is None
    # a plain number is a section's only after a noun that makes it one
    assert asked_section("Hva står i kapittel 3?") == "3"
    assert asked_section("Hva sier kapittel 3 om helse?") is None
    assert asked_section("Hva skjedde i 2020?") is None


def test_a_provision_asked_by_its_number_is_quoted_from_its_start(tmp_path: Path) -> None:
    from wordprocdocs import tabbed_numbers_pdf

    provisions = [
        ("§ 3", "GENERELLE KRAV", ""),
        ("§ 3.1", "Uteareal", "Hver bolig skal ha minst 50 kvadratmeter uteareal på bakken."),
        ("§ 3.2", "Parkering", "Det skal være to plasser per bolig. Plassene skal ligge inne."),
        ("§ 4", "VEGER", "Veiene i feltet skal være offentlige."),
    ]
    index = tmp_path / "index"
    ingest_paths([tabbed_numbers_pdf(tmp_path / "bestemmelser.pdf", provisions, [])], index)
    provision = answer_question(index, "Hva sier § 3.2?")
    assert not provision.abstained and provision.confidence == 1.0
    assert provision.method == "section" and provision.from_sections == ("§ 3.2 Parkering",)
    assert [c.quote for c in provision.citations] == [
        "Det skal være to plasser per bolig.",
        "Plassene skal ligge inne.",
    ]
    assert {c.section for c in provision.citations} == {"§ 3.2 Parkering"}
    # a chapter with no text of its own is read on into its provisions, not into the next one
    chapter = answer_question(index, "Hva sier § 3?")
    sections = [c.section for c in chapter.citations]
    assert sections[0] == "§ 3.1 Uteareal" and "§ 4 VEGER" not in sections
    assert_verifiable(index, provision)
    assert_verifiable(index, chapter)


def test_a_chapter_asked_by_its_number_is_quoted_from_its_start(tmp_path: Path) -> None:
    from wordprocdocs import tabbed_numbers_pdf

    chapters = [
        ("1", "Innledning", "Planen gjelder for hele kommunen. Den rulleres hvert fjerde år."),
        ("2", "Mål", "Kommunen har tre mål for perioden. Det første er færre utslipp."),
        ("2.1", "Utslipp", "Utslippene skal ned med 40 prosent fra 2019 til 2030."),
        ("3", "Tiltak", "Tiltakene er delt i tre pakker."),
    ]
    index = tmp_path / "index"
    ingest_paths([tabbed_numbers_pdf(tmp_path / "plan.pdf", chapters, [])], index)
    for question in ("Hva står i kapittel 2?", "What does chapter 2 say?"):
        answer = answer_question(index, question)
        assert not answer.abstained and answer.confidence == 1.0, question
        assert [c.quote for c in answer.citations] == [
            "Kommunen har tre mål for perioden.",
            "Det første er færre utslipp.",
            "Utslippene skal ned med 40 prosent fra 2019 til 2030.",
        ]
        assert_verifiable(index, answer)


def test_a_question_about_a_topic_is_told_from_one_about_something_in_particular() -> None:
    from policyminer.answer.topics import asked_topic

    assert asked_topic("Hva sier planen om lekeplasser?") == "lekeplasser"
    assert asked_topic("Hva står det om støy i planen?") == "støy"
    assert asked_topic("Kva seier planen om parkering?") == "parkering"
    assert asked_topic("Hva skriver kommunen om bredbånd og mobildekning?") == (
        "bredbånd og mobildekning"
    )
    assert asked_topic("What does the plan say about parking?") == "parking"
    assert asked_topic("What is said about noise in the plan?") == "noise"
    # … or asks what rules the documents set for it
    assert asked_topic("Hvilke krav gjelder for lekeplasser i planen?") == "lekeplasser"
    assert asked_topic("Hvilke krav stiller planen til uteareal?") == "uteareal"
    assert asked_topic("Hva er kravene til parkering?") == "parkering"
    assert asked_topic("What are the requirements for playgrounds?") == "playgrounds"
    assert asked_topic("Hvilket krav stiller planen om tilknytning?") is None  # one: a detail
    # a clause, or a phrase of many words, asks something in particular
    assert asked_topic("Hva sier planen om hvor høye byggene kan bli?") is None
    assert asked_topic("Hva sier rapporten om at kommunen bør samarbeide?") is None
    assert asked_topic("Hva sier planen om høyden på nye bygg langs sjøen i sentrum?") is None
    assert asked_topic("Hvor mange parkeringsplasser skal det være?") is None
    # … and so does one about something in a numbered section
    assert asked_topic("Hva sier § 4.6 om parkering?") is None
    assert asked_topic("Hva står det i kapittel 3 om parkering?") is None


NORDVIKA_PROVISIONS = [
    ("§ 2", "REKKEFØLGEKRAV", ""),
    (
        "§ 2.1",
        "Lekeplasser",
        "Før det gis brukstillatelse til boligene i felt B1, skal nærlekeplassen L1 være ferdig. "
        "Lekeplassen skal ha sandkasse og benker. Den skal ligge skjermet fra veien.",
    ),
    ("§ 2.2", "Støyskjerming", "Langs Fjordveien skal det settes opp en skjerm før innflytting."),
    (
        "§ 3",
        "FELLESBESTEMMELSER",
        "Bebyggelsen skal ha saltak med takvinkel mellom 22 og 36 grader.",
    ),
    ("§ 4", "BEBYGGELSE OG ANLEGG", ""),
    (
        "§ 4.1",
        "Lekeplass, L1-L3",
        "Arealene L1 til L3 skal være offentlige. De skal opparbeides med ulike lekeapparater. "
        "Vedlikehold er kommunens ansvar.",
    ),
]


def test_a_question_about_a_topic_is_answered_from_the_sections_headed_by_it(
    tmp_path: Path,
) -> None:
    from wordprocdocs import tabbed_numbers_pdf

    index = tmp_path / "index"
    ingest_paths([tabbed_numbers_pdf(tmp_path / "nordvika.pdf", NORDVIKA_PROVISIONS, [])], index)
    answer = answer_question(index, "Hva sier planen om lekeplasser?")
    assert not answer.abstained and answer.confidence == TOPIC_CONFIDENCE
    assert answer.method == "topic_sections" and answer.as_dict()["method"] == "topic_sections"
    assert answer.from_sections == ("§ 2.1 Lekeplasser", "§ 4.1 Lekeplass, L1-L3")
    cited = [(c.section, c.quote) for c in answer.citations]
    # the section the topic alone heads first, from its start; then the narrower one
    assert cited == [
        ("§ 2.1 Lekeplasser", "Før det gis brukstillatelse til boligene i felt B1, skal "
         "nærlekeplassen L1 være ferdig."),
        ("§ 2.1 Lekeplasser", "Lekeplassen skal ha sandkasse og benker."),
        ("§ 2.1 Lekeplasser", "Den skal ligge skjermet fra veien."),
        ("§ 4.1 Lekeplass, L1-L3", "Arealene L1 til L3 skal være offentlige."),
        ("§ 4.1 Lekeplass, L1-L3", "De skal opparbeides med ulike lekeapparater."),
    ]  # fmt: skip
    assert_verifiable(index, answer)
    # asked for the rules on a topic: the same sections
    rules = answer_question(index, "Hvilke krav gjelder for lekeplasser?")
    assert [(c.section, c.quote) for c in rules.citations] == cited
    # a compound heading names its first part: the noise barrier section is about noise
    noise = answer_question(index, "Hva står det om støy i planen?")
    assert [c.section for c in noise.citations] == ["§ 2.2 Støyskjerming"]
    # no heading names roofs: the question is answered sentence by sentence as any other
    roofs = answer_question(index, "Hva sier planen om takvinkel?", min_confidence=0.0)
    assert roofs.method == "scorer" and roofs.confidence != TOPIC_CONFIDENCE
    assert roofs.citations[0].quote.startswith("Bebyggelsen skal ha saltak")
    # the CLI and the web app say that a rule chose the quotes, and which
    from starlette.testclient import TestClient

    from policyminer.cli.app import app
    from policyminer.web.app import create_app

    shown = CliRunner().invoke(
        app, ["ask", "Hva sier planen om lekeplasser?", "--index", str(index)]
    )
    printed = " ".join(shown.output.split())
    assert "etter regel: avsnittene med temaet i overskriften" in printed
    assert "Fra avsnittene: § 2.1 Lekeplasser; § 4.1 Lekeplass, L1-L3" in printed
    web = TestClient(create_app(index, warm=False), base_url="http://127.0.0.1")
    page = web.get("/", params={"q": "What does the plan say about playgrounds?"})
    assert 'id="method"' not in page.text  # an English topic meets no Norwegian heading
    page = web.get("/", params={"q": "Hva sier planen om lekeplasser?", "lang": "en"})
    assert "by rule: the sections headed by the topic" in page.text
    assert "From the sections: § 2.1 Lekeplasser; § 4.1 Lekeplass, L1-L3" in page.text


FJORDVIK_PROVISIONS = [
    (
        "§ 1",
        "FORMÅL",
        "Disse reguleringsbestemmelsene gjelder for boligfeltet på Fjordvik. "
        "Reguleringsbestemmelsene skal sikre gode bomiljøer og trygge skoleveier.",
    ),
    (
        "§ 2",
        "FELLESBESTEMMELSER",
        "Bebyggelsen skal ha saltak. Hver bolig skal ha to parkeringsplasser på egen tomt. "
        "Avfallsbeholdere skal stå skjermet fra veien.",
    ),
    ("§ 3", "VEGER", "Veiene i feltet skal være offentlige og ha fortau på én side."),
]


def test_a_question_about_a_topic_no_heading_names_is_answered_by_the_topic_alone(
    tmp_path: Path,
) -> None:
    from wordprocdocs import tabbed_numbers_pdf

    index = tmp_path / "index"
    ingest_paths([tabbed_numbers_pdf(tmp_path / "fjordvik.pdf", FJORDVIK_PROVISIONS, [])], index)
    # "reguleringsbestemmelsene" frames the question (the document asked): missing from the
    # sentence on parking, it no longer counts against it, and the answer quotes it
    answer = answer_question(index, "Hva sier reguleringsbestemmelsene om parkering?")
    assert not answer.abstained, answer.confidence
    quotes = [c.quote for c in answer.citations]
    assert "Hver bolig skal ha to parkeringsplasser på egen tomt." in quotes
    assert_verifiable(index, answer)


FERRY_NOTE = """# Utredning om ferjedrift i Nordvika

## 1 Oppdraget

Utredningen beskriver driftsformer for ferjesambandet over Nordvikfjorden i tre deler:

1) beskrive driftsformer for ferjesambandet over Nordvikfjorden
2) anslå hva ferjesambandet koster å drive de neste ti årene
3) foreslå hvem som bør eie ferjekaiene

## 2 Driftsformer

Utredningen beskriver fire driftsformer for ferjesambandet over Nordvikfjorden: egen drift, \
anbud, konsesjon og et felles selskap.
Valget avhenger av hvor mye fylket vil styre rutene selv.
"""


def test_a_sentence_that_lists_the_items_itself_is_not_passed_for_a_list_below_it(
    tmp_path: Path,
) -> None:
    answer = ask_note(
        tmp_path, "ferje.md", FERRY_NOTE, "Hvilke driftsformer for ferjesambandet beskrives?"
    )
    # the best sentence names the four forms; the assignment's task list ranked below it
    # must not take its place as "the whole list"
    assert answer.citations[0].quote.startswith("Utredningen beskriver fire driftsformer")


def test_what_a_thing_must_hold_is_quoted_as_the_whole_list(tmp_path: Path) -> None:
    # a short line announcing a list ("Søknaden skal inneholde:") is a candidate, though under
    # the length of a sentence, and a question for what the plan must hold gets every item
    text = (
        "# Retningslinjer for Nordbukta havn\n\n"
        "## Søknad om båtplass\n\n"
        "Den som vil leie båtplass i Nordbukta havn, sender en søknad til havnekontoret, "
        "som behandler den innen en måned.\n\n"
        "Søknaden skal inneholde:\n\n"
        "1. Båtens lengde og bredde.\n"
        "2. Forsikringsbevis for båten.\n"
        "3. Ønsket periode for leien.\n"
        "4. Kontaktinformasjon til eieren.\n"
    )
    answer = ask_note(tmp_path, "nordbukta.md", text, "Hva skal søknaden inneholde?")
    quotes = [c.quote for c in answer.citations]
    assert quotes[0] == "Søknaden skal inneholde:"
    assert [q.split()[0] for q in quotes[1:]] == [
        "Båtens",
        "Forsikringsbevis",
        "Ønsket",
        "Kontaktinformasjon",
    ]


def test_a_row_named_by_its_code_alone_is_looked_up(tmp_path: Path) -> None:
    # "felt B2" in the question, "B2" in the row's cell: the code names the row
    text = (
        "# Områderegulering for Fjordvik\n\n"
        "Lekeplassen skal være ferdig før boligene i feltene B1, B2 og B3 tas i bruk, og den "
        "skal ha plass til 50 boliger.\n\n"
        "| Felt | Antall boliger | Boligtype |\n"
        "|---|---|---|\n"
        "| B1 | 31 | Småhus |\n"
        "| B2 | 42 | Småhus og lavblokk |\n"
        "| B3 | 25 | Småhus |\n"
    )
    answer = ask_note(
        tmp_path, "fjordvik.md", text, "Hvor mange boliger kan bygges i felt B2?", None
    )
    assert not answer.abstained and answer.method == "table_lookup"
    assert answer.citations[0].quote == "B2 | 42 | Småhus og lavblokk"


def test_an_abbreviation_meets_the_word_a_question_spells_out() -> None:
    # "Kol. 4 gir …" shares "kolonne" with "Hva gir kolonne 4?": the abbreviation stands for
    # the word in the term overlap that ranks and scores the quotes
    terms = Terms(["Kol. 4 gir antall avganger", "Se kap. 4 og vedl. 2"])
    asked = terms("Hva gir kolonne 4 i kapittel 4 og vedlegg 2?")
    assert terms("kolonne") <= terms("Kol. 4 gir antall avganger")
    assert {"4", *terms("kolonne")} <= asked & terms("Kol. 4 gir antall avganger")
    assert terms("kapittel") | terms("vedlegg") <= terms("Se kap. 4 og vedl. 2")


def test_a_footnote_that_states_something_is_searched_and_quoted(tmp_path: Path) -> None:
    # the sample report's page 5 note says where its figures come from: found by search, and
    # quoted with its page (a note citing a source, page 2's, stays out of the chunks)
    index_dir = tmp_path / "index"
    assert not ingest_paths([report_pdf(tmp_path / "rapport.pdf")], index_dir).failed
    with Searcher(index_dir) as searcher:
        hits = searcher.search("økonomiplan", k=3)
    assert hits and "økonomiplan" in hits[0].chunk.text and hits[0].chunk.kind == "note"
    answer = answer_question(index_dir, "Hvor er tallene hentet fra?", min_confidence=0.0)
    first = answer.citations[0]
    assert "hentet fra kommunens økonomiplan" in first.quote and first.page == 5
    assert_verifiable(index_dir, answer)


@pytest.mark.parametrize(
    ("text", "caption"),
    [
        ("Figur 4-2 Andel ansatte i helsenæringen i Nordvika 2023.", True),
        ("Tabell 3: Boliger og høyder per bydel i Fjordvik.", True),
        ("Kilde 2 Statistisk sentralbyrå", True),
        ("Figur 4-2 er fjernet fordi den viste de samme tallene som figur 5-1.", False),
        ("Tabell 2-1 viser nøkkeltall for kommunene i Nordvika.", False),
        ("Figure 3 shows the growth in jobs since 2015.", False),
        ("Figur 6 og 7 samt teksten er justert.", False),
    ],
)
def test_a_caption_is_told_from_a_statement_about_a_figure(text: str, caption: bool) -> None:
    assert is_caption(text) is caption


def test_a_statement_about_a_figure_answers(tmp_path: Path) -> None:
    answer = ask_note(
        tmp_path,
        "merknader.md",
        "# Merknader til planbeskrivelsen for Fjordvik\n\n"
        "Planbeskrivelsen er justert etter merknadene fra etaten. "
        "Figur 4-2 er fjernet fordi den viste de samme tallene som figur 5-1. "
        "Kapittel 6 om trafikk er skrevet om og har fått nye tall.\n",
        "Hvorfor er figur 4-2 fjernet fra planbeskrivelsen?",
    )
    assert not answer.abstained
    assert answer.citations[0].quote.startswith("Figur 4-2 er fjernet")


def test_a_sentence_that_refers_back_by_a_pronoun_meets_the_words_of_the_one_before(
    tmp_path: Path,
) -> None:
    # "Den skal …" is about the tunnel the sentence before names: it answers the second ask
    # before a sentence about the bridge that shares the question's verb
    answer = ask_note(
        tmp_path,
        "samferdsel.md",
        "# Samferdselsplan for Nordbukta\n\n"
        "Nordbukta-tunnelen er en del av den nye riksveien langs fjorden og blir fire kilometer "
        "lang. Den skal etter planen åpne høsten 2027.\n\n"
        "Arbeidet med den nye fjordbrua starter i 2026, og brua skal etter planen åpne for "
        "trafikk i 2029. Gang- og sykkelveien langs brua skal åpne samtidig.\n",
        "Hvor lang blir Nordbukta-tunnelen, og når skal den åpne?",
    )
    quotes = [c.quote for c in answer.citations]
    assert quotes[1] == "Den skal etter planen åpne høsten 2027."


@pytest.mark.parametrize(
    ("text", "refers"),
    [
        ("Den skal etter planen åpne høsten 2027.", True),
        ("Hun var ordfører i Fjordvik fra 2011.", True),
        ("They were built in 1990.", True),
        ("Den nye brua åpner i 2029.", False),  # a determiner, not a pronoun
        ("Det er behov for flere lærere.", False),  # "det" as often refers to nothing
    ],
)
def test_a_sentence_refers_back_by_a_pronoun_and_a_verb(text: str, refers: bool) -> None:
    assert refers_back(text) is refers


def test_a_short_lettered_provision_is_quoted(tmp_path: Path) -> None:
    # "b) Tillatt BYA er 35 %" is five words: too short for a sentence, whole as an item
    answer = ask_note(
        tmp_path,
        "bestemmelser.md",
        "# Reguleringsbestemmelser for Nordbukta\n\n"
        "## § 5.2 Idrettsanlegg\n\n"
        "a) Området skal brukes til idrettshall og ballbinge. Det skal lages en plan for "
        "uteområdet før byggestart.\n\n"
        "b) Tillatt BYA er 35 %\n\n"
        "c) Parkering for besøkende og ansatte skal løses innenfor området.\n",
        "Hvor stor BYA tillates for idrettsanlegget?",
    )
    assert "b) Tillatt BYA er 35 %" in [c.quote for c in answer.citations]


ENGLISH_STRATEGY = """# Fjordvik Innovation Strategy 2030

## 1 Summary

The strategy sets out how the county council, the university and local industry will work
together on innovation. The council will invest NOK 45 million over four years through the new
Fjordvik Innovation Fund, which opens for applications in September.

## 2 Green shipping

The port authority and a local shipyard will lead a pilot project for battery-electric ferries
on the route between Fjordvik and Nordbukta. The pilot is expected to cut emissions from the
route by 80 percent.

## 3 Health services

The municipalities will introduce remote monitoring of elderly patients at home, and the
university hospital will evaluate the results.
"""


def test_a_norwegian_question_over_an_english_report_is_answered(tmp_path: Path) -> None:
    # the confidence's floor is the question's closeness to unrelated text in the report's
    # language, not in its own: a Norwegian question is farther from any English sentence
    index = index_note(tmp_path, "strategy.md", ENGLISH_STRATEGY)
    answer = answer_question(index, "Når åpner innovasjonsfondet for søknader?")
    assert (
        not answer.abstained and "opens for applications in September" in answer.citations[0].quote
    )
    # what the report does not say is not in it, asked in either language: an English question
    # comes closer to any English text, and its floor rises with it
    for question in ("Hvem er fylkets kulturdirektør?", "When will the new hospital open?"):
        assert answer_question(index, question).abstained, question
