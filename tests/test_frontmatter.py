"""`ask` about who made a document: answered from its title page, not from passages."""

from __future__ import annotations

from pathlib import Path

import pytest
from asking import ask_note
from pdfdocs import Report, chapters_pdf, report_pdf

from policyminer.answer.answer import answer_question
from policyminer.answer.citations import Answer
from policyminer.answer.frontmatter import (
    asks_about_the_document,
    asks_commissioner,
    asks_organisation,
    asks_when_made,
    is_authorship_question,
)
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
        "Hvilket konsulentselskap har laget rapporten?",
        "Which firm prepared the strategy?",
        "Which research institute wrote the report?",
        "Kven har skrive rapporten?",  # Nynorsk
        "Kven har utarbeidd planen?",
        "Kva for eit konsulentselskap har laga utgreiinga?",
        "Kven er oppdragsgjevar for utgreiinga?",
    ):
        assert is_authorship_question(question), question
    for question in (
        "Kven har ansvar for helsedata i kommunen?",
        "Hvem har ansvar for helsedata i kommunen?",
        "Hvor mange har skrevet under på oppropet?",
        "Who is responsible for home care?",
        "Hvilke kommuner har laget planer for havna?",
    ):
        assert not is_authorship_question(question), question


def test_a_question_for_a_firm_asks_an_organisation_in_either_written_standard() -> None:
    for question in (
        "Hvilket firma har skrevet rapporten?",
        "Kva for eit konsulentselskap har laga utgreiinga?",
        "Which consultancy prepared the plan?",
    ):
        assert asks_organisation(question), question
    assert not asks_organisation("Hvem har skrevet rapporten?")


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


@pytest.mark.parametrize(
    "question",
    ["Hvem har skrevet rapporten?", "Who wrote the report?", "Kven har skrive rapporten?"],
)
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


def test_commissioner_questions_are_told_from_authorship_questions() -> None:
    for question in (
        "Hvem har bestilt rapporten?",
        "Hvem er oppdragsgiver for utredningen?",
        "Who commissioned the study?",
    ):
        assert is_authorship_question(question) and asks_commissioner(question), question
    for question in ("Hvem har skrevet rapporten?", "Who wrote the study?"):
        assert is_authorship_question(question) and not asks_commissioner(question), question


def _commissioned_report(
    path: Path, topic: str, place: str, client: str, detail: str, colophon: bool
) -> Path:
    """A five-page report by a consultancy whose client is named in its introduction (p. 4),
    and with ``colophon`` also below a label on page 2 ("Oppdragsgiver:" over the name)."""
    doc = Report(path, metadata=False, header=False)
    doc.heading(f"Utredning om {topic} i {place}", 22)
    doc.lines(["Rapport utarbeidet av Analysebyrå Vest AS", "Oktober 2025"], size=13)
    doc.new_page()
    if colophon:
        doc.heading("Oppdragsgiver:", 10)
        doc.lines([client])
        doc.heading("Utført av:", 10)
        doc.lines(["Analysebyrå Vest AS"])
    doc.heading("Forord", 16)
    doc.paragraph(f"Vi takker oppdragsgiver for et godt samarbeid om {topic} i {place}.")
    for page in (3, 4, 5):
        doc.new_page()
        doc.heading(f"{page - 2} Om {topic}", 16)
        text = f"Denne delen beskriver {topic} i {place}. {detail} "
        if page == 4:
            text += (
                f"Utredningen er gjort på oppdrag fra {client}, som ønsket et samlet "
                f"kunnskapsgrunnlag om {topic} før neste planperiode. "
            )
        doc.paragraph(text + detail)
    doc.save()
    return path


@pytest.fixture(scope="module")
def commissioned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index of two reports by the same consultancy for two different clients."""
    folder = tmp_path_factory.mktemp("commissioned")
    water = (
        "Drikkevannet kommer fra to vannverk, og ledningsnettet lekker mye. Et nytt "
        "høydebasseng og reservevann fra innsjøen skal sikre leveransen i tørre somre."
    )
    schools = (
        "Elevtallet stiger, klasserommene er for små og flere skolegårder er slitt. "
        "Rehabilitering av de eldste byggene og nye spesialrom for realfag er foreslått."
    )
    pdfs = [
        _commissioned_report(
            folder / "vann.pdf", "vannforsyning", "Fjellvik", "Fjellvik kommune", water, False
        ),
        _commissioned_report(
            folder / "skole.pdf", "skolebygg", "Elvdal", "Elvdal fylkeskommune", schools, True
        ),
    ]
    index = folder / "index"
    assert not ingest_paths(pdfs, index).failed
    return index


@pytest.mark.parametrize(
    ("question", "page", "quoted", "other"),
    [
        (
            "Hvem har bestilt utredningen om vannforsyning i Fjellvik?",
            4,
            "på oppdrag fra Fjellvik kommune",
            "Elvdal",
        ),
        (
            "Who commissioned the study of school buildings (skolebygg) in Elvdal?",
            2,
            "Elvdal fylkeskommune",
            "Fjell",
        ),
    ],
)
def test_who_commissioned_it_is_the_client_named_inside_not_the_author(
    commissioned: Path, question: str, page: int, quoted: str, other: str
) -> None:
    answer = answer_question(commissioned, question)
    assert not answer.abstained
    first = answer.citations[0]
    # the colophon's client, else the introduction's sentence naming it; never the title page's
    # author line, the foreword's thanks to an unnamed client, or the other report's client
    assert first.page == page and quoted in first.quote
    assert all("Analysebyrå Vest" not in c.quote for c in answer.citations)
    assert all(other not in c.quote for c in answer.citations)


def _chapters(doc: Report, title: str, text: str, count: int = 2) -> None:
    """Body pages after the front matter, one numbered chapter each, and save."""
    doc.chapters([(title, text)] * count)
    doc.save()


def _asked_after_chapters(doc: Report, pdf: Path, title: str, text: str, question: str) -> Answer:
    """Body pages after the front matter, the document ingested alone, and the answer."""
    _chapters(doc, title, text)
    index = pdf.parent / "index"
    assert not ingest_paths([pdf], index).failed
    return answer_question(index, question)


@pytest.fixture(scope="module")
def plan_form(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plan document whose front page is a form: who made it stands beside role labels."""
    folder = tmp_path_factory.mktemp("planform")
    pdf = folder / "planprogram.pdf"
    doc = Report(pdf, metadata=False, header=False)
    doc.heading("Planprogram for sentrumsplan i Fjellvik", 20)
    doc.lines(["Fagansvarlig planprogram: Kari Nordmann, Fjordplan AS   Saksnummer: 2024/117"])
    doc.heading("Utført av:", 10)
    doc.lines(["Fjordplan AS"])
    doc.new_page()
    doc.heading("Kommunens kommentar", 16)
    doc.paragraph(
        "Fylles ut av kommunen. Her kan saksbehandler gjerne bruke samme tekst som i "
        "planbeskrivelsens vurdering av virkningene for sentrum og omgivelsene."
    )
    _chapters(
        doc,
        "Mål for sentrum",
        "Sentrum skal få flere boliger, bedre plass for gående og syklende og nye "
        "møteplasser ved elva. Planen skal avklare høyder, grøntstruktur og parkering.",
    )
    index = folder / "index"
    assert not ingest_paths([pdf], index).failed
    return index


def test_a_plan_forms_role_labels_say_who_made_it(plan_form: Path) -> None:
    answer = answer_question(plan_form, "Hvem har utarbeidet planprogrammet for sentrum?")
    assert not answer.abstained
    quotes = [c.quote for c in answer.citations]
    assert "Kari Nordmann, Fjordplan AS" in quotes[0]
    # a label alone on its line is quoted by the name below it, never bare
    assert "Fjordplan AS" in quotes and "Utført av:" not in quotes
    # the role's word in running text is no label
    assert all("saksbehandler" not in quote for quote in quotes)


def test_a_column_of_labels_lends_none_of_them_the_line_below(tmp_path: Path) -> None:
    # a two-column colophon read column by column: the labels first, then their values
    pdf = tmp_path / "notat.pdf"
    doc = Report(pdf, metadata=False, header=False)
    doc.heading("Notat om skoleskyss i Elvdal", 20)
    for label in ("Dokumenttype:", "Utarbeidet av:", "Kontrollert av:"):
        doc.heading(label, 10)
    doc.lines(["Arbeidsnotat", "Per Hansen", "Ola Berg"])
    answer = _asked_after_chapters(
        doc,
        pdf,
        "Skoleskyss",
        "Elever som bor mer enn fire kilometer fra skolen har rett til gratis skoleskyss. "
        "Kommunen vurderer nye holdeplasser langs fylkesvegen.",
        "Hvem har utarbeidet notatet om skoleskyss?",
    )
    # "Utarbeidet av:" is not the author "Kontrollert av:", nor the document type below it
    assert all(c.quote not in ("Kontrollert av:", "Arbeidsnotat") for c in answer.citations)


@pytest.fixture(scope="module")
def unsigned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two reports whose front and back pages name no maker: one names it inside, one nowhere."""
    folder = tmp_path_factory.mktemp("unsigned")
    pdfs = []
    for name, topic, maker in (
        ("havn.pdf", "havneutvikling i Nordvik", "Rapporten er skrevet av Kystanalyse AS. "),
        ("sykkel.pdf", "sykkelveier i Sørdal", ""),
    ):
        pdfs.append(folder / name)
        doc = Report(pdfs[-1], metadata=False, header=False)
        doc.heading(f"Rapport om {topic}", 20)
        doc.lines(["Mars 2025"])
        for chapter in range(1, 6):  # the maker only on page 4, past the front pages
            doc.new_page()
            doc.heading(f"{chapter} Om {topic}", 16)
            doc.paragraph(
                f"Denne delen handler om {topic}. "
                + (maker if chapter == 3 else "")
                + "Arbeidet bygger på registreringer, intervjuer og kart fra de siste fem årene."
            )
        doc.save()
    index = folder / "index"
    assert not ingest_paths(pdfs, index).failed
    return index


def test_who_wrote_it_without_front_matter_is_a_sentence_naming_someone_or_none(
    unsigned: Path,
) -> None:
    named = answer_question(unsigned, "Hvem har skrevet rapporten om havneutvikling i Nordvik?")
    assert not named.abstained and "Kystanalyse AS" in named.citations[0].quote
    assert all("Kystanalyse AS" in c.quote for c in named.citations)
    # a report that names no maker anywhere: no sentence about the topic passes for its author
    nobody = answer_question(unsigned, "Hvem har skrevet rapporten om sykkelveier i Sørdal?")
    assert nobody.abstained and nobody.leads


def test_which_firm_made_it_quotes_the_line_naming_the_firm_first(tmp_path: Path) -> None:
    pdf = tmp_path / "planprogram.pdf"
    doc = Report(pdf, metadata=False, header=False)
    doc.heading("Planprogram for havneområdet i Elvdal", 20)
    doc.lines(["Utarbeidet av: Kari Nordmann og Per Hansen"])
    doc.new_page()  # the colophon on the title page's back
    doc.lines(["Utgitt av Fjordplan AS, mars 2025"])
    _chapters(
        doc,
        "Mål for havna",
        "Havneområdet skal få nye boliger, en gangbro over elva og plass for småbåter. "
        "Planen skal avklare høyder, grøntstruktur og parkering langs kaia.",
    )
    index = tmp_path / "index"
    assert not ingest_paths([pdf], index).failed
    for question in (
        "Hvilket firma har utarbeidet planprogrammet for havna?",
        "Which consultancy prepared the plan programme?",
    ):
        answer = answer_question(index, question)
        assert not answer.abstained, question
        assert "Fjordplan AS" in answer.citations[0].quote, question
    # asked who, the title page's order stands: the people first
    people = answer_question(index, "Hvem har utarbeidet planprogrammet for havna?")
    assert "Kari Nordmann" in people.citations[0].quote


def test_a_logo_line_is_not_quoted_beside_the_line_that_credits_the_same_maker(
    tmp_path: Path,
) -> None:
    pdf = tmp_path / "rapport.pdf"
    doc = Report(pdf, header=False)  # the PDF records "Testforlaget AS" as its author
    doc.heading("Testforlaget AS", 14)  # the maker's logo over the title
    doc.heading("Rapport om sykkelveier i Sørdal", 20)
    doc.lines(["Rapport utarbeidet av Testforlaget AS"])
    answer = _asked_after_chapters(
        doc,
        pdf,
        "Sykkelveier",
        "Kommunen vil bygge sammenhengende sykkelveier mellom skolene og sentrum. "
        "Arbeidet starter med strekningen langs elva.",
        "Hvem har skrevet rapporten?",
    )
    assert [c.quote for c in answer.citations] == ["Rapport utarbeidet av Testforlaget AS"]


def test_a_nynorsk_report_names_its_client_and_a_nynorsk_question_finds_it(tmp_path: Path) -> None:
    doc = Report(tmp_path / "utgreiing.pdf", metadata=False, header=False)
    doc.heading("Utgreiing om hamnelageret i Nordbukta", 22)
    doc.lines(["Rapport utarbeidd av Analysebyrå Vest AS", "Oktober 2025"], size=13)
    for page in (2, 3):
        doc.new_page()
        doc.heading(f"{page - 1} Om hamnelageret", 16)
        text = "Lageret ved kaia er gammalt, og taket lek når det regnar mykje. "
        if page == 3:
            text += (
                "Utgreiinga er gjord på oppdrag frå Nordbukta hamnevesen, som ønskte eit samla "
                "kunnskapsgrunnlag før neste planperiode. "
            )
        doc.paragraph(text + "Eit nytt lager kan stå ferdig om tre år.")
    doc.save()
    index = tmp_path / "index"
    assert not ingest_paths([tmp_path / "utgreiing.pdf"], index).failed
    answer = answer_question(index, "Kven har tinga utgreiinga?")
    assert not answer.abstained and answer.lang == "nn"
    assert "på oppdrag frå Nordbukta hamnevesen" in answer.citations[0].quote
    assert all("Analysebyrå Vest" not in c.quote for c in answer.citations)


def test_who_made_something_the_document_tells_of_is_no_question_about_the_document() -> None:
    for question in (
        "Hvem har skrevet rapporten?",
        "Hvem står bak veikartet for kommunen?",
        "Who wrote it?",
        "Kven har utarbeidd planen?",
        # correspondence: a consultation response, a letter, an e-mail, and who sent it
        "Hvem har skrevet høringsinnspillet?",
        "Hvem sendte brevet?",
        "Who sent the e-mail?",
    ):
        assert asks_about_the_document(question), question
    for question in (
        # a model, a brochure, a law the document tells of: answered from its sentences
        "Hvilken etat står bak kostnadsmodellen som brukes i dag?",
        "Hvem har gitt ut brosjyren om sikkerhet på arbeidsplassen?",
        "Who prepared the new funding formula for the counties?",
        "Hvem sendte søknaden om tilskudd til ladepunkter?",  # an application it tells of
        # plans and reports in general, not the one at hand
        "Hvem har laget planer for havna?",
        "Hvilke konsulenter har skrevet rapporter om ferjene?",
        "Which consultants wrote reports on road safety?",
    ):
        assert is_authorship_question(question) and not asks_about_the_document(question), question


def test_a_title_makes_the_document_the_object_only_where_the_object_stands() -> None:
    title = ["Havet og oss 2031"]
    assert asks_about_the_document("Hvem har skrevet Havet og oss 2031?", title)
    assert not asks_about_the_document("Hvem har skrevet Havet og oss 2031?")
    # the title names what the initiative is about, after the object
    initiative = "Hvem står bak initiativet til å kartlegge mulighetene i Havet og oss 2031?"
    assert is_authorship_question(initiative)
    assert not asks_about_the_document(initiative, title)


def test_who_stands_behind_a_model_the_report_describes_is_quoted_from_its_text(
    tmp_path: Path,
) -> None:
    text = (
        "# Vedlikehold av fylkesveger\n\n"
        "Rapporten er utarbeidet av Nordplan AS på oppdrag fra departementet.\n\n"
        "I dag beregnes behovet for vedlikehold med Fjordvik vegetats kostnadsmodell VEMOD.\n\n"
        "Modellen fordeler kostnadene etter veglengde, trafikk og klima i hvert fylke.\n"
    )
    answer = ask_note(
        tmp_path, "vedlikehold.md", text, "Hvilken etat står bak kostnadsmodellen som brukes i dag?"
    )
    # not the colophon's author: the sentence about the model is among the quotes
    assert answer.method != "front_matter"
    assert "Nordplan" not in answer.citations[0].quote
    assert any("kostnadsmodell VEMOD" in c.quote for c in answer.citations)


@pytest.mark.parametrize(
    ("question", "about_it"),
    [
        ("Når ble rapporten publisert?", True),
        ("Når ble innspillet sendt?", True),
        ("Når sendte Kystlaget høringsuttalelsen?", True),
        ("Kva tid vart planen vedteken?", False),  # "vedteken": not a form the rule reads
        ("Kva tid vart planen vedteke?", True),
        ("When was the report published?", True),
        ("When was it sent?", True),
        ("Hvilken dato har brevet?", True),
        # when something the document tells of was done: an ordinary question
        ("Når ble brua over sundet åpnet?", False),
        ("Når ble loven vedtatt?", False),
        ("Når ble det vedtatt en ny lov om havner?", False),
        ("Når ble det sendt til kommunen?", True),
        ("Når skal skolen stå ferdig?", False),
        ("When were the plans for new harbours published?", False),  # plans in general
    ],
)
def test_questions_for_when_the_document_was_made(question: str, about_it: bool) -> None:
    assert asks_when_made(question) is about_it


def test_when_it_was_published_is_quoted_from_the_dated_line_of_its_front_matter(
    tmp_path: Path,
) -> None:
    pdf = chapters_pdf(
        tmp_path / "havn.pdf",
        "Havneplan for Sørbukta",
        "Utarbeidet av Nordplan AS. Publisert 12. mars 2025.",
        [
            ("Bakgrunn", "Havna ble bygd i 1962 og har 140 båtplasser i dag."),
            (
                "Tiltak",
                "Molo og flytebrygger skal fornyes innen 2030, etter at havna ble utvidet i 2011.",
            ),
        ],
    )
    index = tmp_path / "index"
    assert not ingest_paths([pdf], index).failed
    answer = answer_question(index, "Når ble havneplanen publisert?")
    assert not answer.abstained and answer.method == "front_matter"
    assert "12. mars 2025" in answer.citations[0].quote and answer.citations[0].page == 1
    # when something in it happened is read from its text, not from its front matter
    answer = answer_question(index, "Når ble havna utvidet?", min_confidence=0.0)
    assert answer.method == "scorer" and "2011" in answer.citations[0].quote
