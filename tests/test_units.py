"""Questions that ask for a value in a unit: the value is quoted first, or the answer abstains."""

from __future__ import annotations

from pathlib import Path

import pytest
from asking import ask_note, ask_report
from messydocs import grid_table_pdf
from pdfdocs import chapters_pdf
from typer.testing import CliRunner

from policyminer.answer.answer import answer_question
from policyminer.answer.units import (
    asked_units,
    asks_quantity,
    counted_noun,
    counts_in_column,
    measured_units,
    states_count_of,
    states_new_number,
    states_number,
    states_value_in,
)
from policyminer.cli.app import app
from policyminer.ingest import ingest_paths
from policyminer.lang import asked_dimensions, asks_twice, first_ask


@pytest.mark.parametrize(
    ("question", "units"),
    [
        ("Hvor mange kvadratmeter grøntareal får kvartalet?", {"area"}),
        ("Hvor mange millioner kroner koster brua?", {"money"}),
        ("What is the price per square metre of the new offices?", {"area"}),
        ("Hvor mange prosent av elevene går til skolen?", {"percent"}),
        ("How many MWh does the plant deliver each year?", {"energy"}),
        ("Hvor mange år varer avtalen?", {"duration"}),
        # a unit after a number describes what is asked about; it is not the unit asked for
        ("Hvilken kapasitet har røret på 300 mm under vegen?", set()),
        ("Hvem fikk mer enn en million kroner i tilskudd?", set()),
        ("Hvilke lag fikk tilskudd på kr 5 000 i fjor?", set()),
        ("Hvilke busser har Euro 6-motorer?", set()),
        # an amount of money asked for by its wording: what it costs, a fine, a price
        ("Hvor store bøter fikk de to sjåførene?", {"money"}),
        ("Hva kostet den nye brua over sundet?", {"money"}),
        ("Hvor mye skal kommunen betale for tomta?", {"money"}),
        ("How much did the new bridge cost?", {"money"}),
        ("How large a fine did the company pay?", {"money"}),
        # … but a share, a comparison or an amount of something else is no sum of money
        ("Hvor stor andel av budsjettet går til skolene?", set()),
        ("Hvor mye dyrere ble brua enn planlagt?", set()),
        ("Hvor mye drivstoff brukte bussene i fjor?", set()),
        ("Hvor mye snø falt i januar?", set()),
        # no unit named: "how long" is as often answered by a date
        ("Hvor lenge har anlegget vært stengt?", set()),
        ("Hvem bygde kirken rundt år 1100 f.Kr.?", set()),
        # Nynorsk asks the same way in its own words
        ("Kor mykje kostar den nye brua?", {"money"}),
        ("Kva kostar ein barnehageplass?", {"money"}),
        ("Kor store bøter fekk dei to sjåførane?", {"money"}),
        ("Kor mange år varer avtalen?", {"duration"}),
        ("Kor mykje dyrare vart brua enn planlagt?", set()),
    ],
)
def test_the_unit_a_question_asks_its_value_in(question: str, units: set[str]) -> None:
    assert asked_units(question) == units


@pytest.mark.parametrize(
    ("unit", "text", "stated"),
    [
        ("money", "Tilskuddet er på 12,5 mill. kr for hele perioden.", True),
        ("money", "Kommunen betaler kr 40 000 per år.", True),
        ("money", "Kostnadene ble vurdert som høye.", False),
        ("area", "Tomta er 3 400 m² og ligger ved stasjonen.", True),
        ("area", "Tomta ligger ved stasjonen.", False),
        ("length", "Fortauet skal være minst 2,5 meter bredt.", True),
        ("length", "I 2019 ble tre nye fortau bygd.", False),
        ("percent", "Om lag halvparten av elevene sykler.", True),
        ("percent", "Andelen som sykler øker.", False),
        ("duration", "Avtalen gjelder i fem år.", True),
    ],
)
def test_a_sentence_states_a_value_in_a_unit(unit: str, text: str, stated: bool) -> None:
    assert states_value_in(unit, text) is stated


def test_a_table_row_states_its_value_under_the_units_header() -> None:
    assert states_value_in("area", "Felt B2 | 1 250 | bolig", header="Felt | Areal (m²) | Formål")
    assert not states_value_in("area", "Felt B2 | bolig", header="Felt | Areal (m²) | Formål")


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report on a school's energy plan: its area in square metres, no price anywhere."""
    folder = tmp_path_factory.mktemp("units")
    pdf = chapters_pdf(
        folder / "energiplan.pdf",
        "Energiplan for Lindvik skole",
        "Oktober 2025",
        [
            (
                "Solceller på Lindvik skole",
                "Solcellene på taket av Lindvik skole skal monteres av kommunens "
                "eiendomsavdeling i løpet av sommeren, når skolen står tom. "
                "Anlegget vil til sammen dekke 850 kvadratmeter av takflaten. "
                "Solcellene skal gi skolen en del av strømmen den bruker om dagen.",
            ),
            (
                "Varme og ventilasjon",
                "Skolen skal varmes opp med en varmepumpe som henter varme fra fjellet under "
                "skolegården. Ventilasjonsanlegget skal skiftes ut samtidig med taket.",
            ),
            (
                "Drift og oppfølging",
                "Eiendomsavdelingen følger opp energibruken hver måned og rapporterer til "
                "kommunestyret en gang i året.",
            ),
        ],
    )
    index = folder / "index"
    assert not ingest_paths([pdf], index).failed
    return index


def test_the_value_in_the_unit_asked_is_quoted_first(school: Path) -> None:
    answer = answer_question(school, "Hvor mange kvadratmeter solceller får Lindvik skole?")
    assert not answer.abstained
    assert "850 kvadratmeter" in answer.citations[0].quote


def test_a_value_the_documents_do_not_give_is_not_answered(school: Path) -> None:
    question = "Hvor mange kroner koster solcelleanlegget på Lindvik skole?"
    answer = answer_question(school, question, min_confidence=0.0)
    # on topic, but no sentence gives a price: an honest "not in the documents", even at a bar
    # of 0, with the closest sentences as leads
    assert answer.abstained and answer.reason == "no_value_in_unit"
    assert answer.as_dict()["reason"] == "no_value_in_unit"
    assert any("Solcellene" in lead.quote for lead in answer.leads)


def test_a_price_asked_by_its_wording_is_not_answered_by_a_sentence_without_one(
    school: Path,
) -> None:
    answer = answer_question(school, "Hva kostet solcelleanlegget på Lindvik skole?")
    assert answer.abstained and answer.reason == "no_value_in_unit"


def test_the_cli_says_why_it_did_not_answer(
    school: Path,
) -> None:
    question = "Hvor mange kroner koster solcelleanlegget på Lindvik skole?"
    result = CliRunner().invoke(app, ["ask", question, "--index", str(school)])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "oppgir en verdi i enheten spørsmålet ber om" in output
    # a lower bar would not change a rule's verdict: no hint that it would
    assert "--min-confidence" not in output and "Nærmeste avsnitt" in output


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Hvor mange elever går på skolen?", True),
        ("I hvor stor del av kommunene finnes en slik plan?", True),
        ("Hvor høy kan den nye bygningen bli?", True),
        ("Hvilken gjennomsnittstrafikk har brua over sundet?", True),
        ("Hva er markedsandelen til elbiler i fylket?", True),
        ("Hva var innbyggertallet i kommunen i fjor?", True),
        ("What is the population of the county?", True),
        ("How many schools take part?", True),
        # answered in words, not by a number
        ("Hvor stor rolle spiller frivillige lag i arbeidet?", False),
        ("Hvor høyt prioritert er trafikksikkerhet i planen?", False),
        ("How large a role do volunteers play?", False),
        ("Hvilket metall brukes i rammen?", False),
        ("Hvilken kommune vedtok planen?", False),
        # kinds of a thing, not its amount
        ("Hvilke kostnader dekker tilskuddet?", False),
        ("What costs does the grant cover?", False),
        ("Hva er netthandel?", False),
        ("Hva avgjør hvor mye strøm anlegget lager?", False),
        # Nynorsk asks "kva" for "hvilken", right before the noun
        ("Kva for eit folketal har kommunen no?", True),
        ("Kva trafikk har sambandet om sommaren?", True),
        ("Kva kostnader dekkjer tilskotet?", False),
        ("Kva har kommunen sagt om trafikken?", False),
    ],
)
def test_a_question_asks_for_a_quantity_by_its_wording(question: str, asks: bool) -> None:
    assert asks_quantity(question) is asks


@pytest.mark.parametrize(
    ("question", "text", "states"),
    [
        ("Hvor mange elever går på skolen?", "Skolen har 412 elever fordelt på ti trinn.", True),
        ("Hvor mange elever går på skolen?", "Skolen har tolv klasser.", True),
        ("Hvor mange elever går på skolen?", "Ingen elever går på skolen om sommeren.", True),
        # an article before a unit counts one of it
        ("Hvor lang tid tar turen?", "Turen tar en time med buss.", True),
        # an article is no count otherwise, and a year or a date is no count either
        ("Hvor mange elever går på skolen?", "Skolen har en lang historie.", False),
        ("Hvor mange elever går på skolen?", "Skolen ble pusset opp i 2019.", False),
        ("Hvor mange elever går på skolen?", "Planen ble vedtatt 12.03.2024.", False),
        # "all" quantifies in passing far more often than it answers how many
        ("Hvor mange elever går på skolen?", "Skolen er åpen for elever i alle aldre.", False),
        ("How many pupils attend the school?", "The school welcomes pupils of all ages.", False),
        # "to" is two in Norwegian, a preposition in English
        ("How many pupils attend the school?", "Pupils come to the school by bus.", False),
        ("How many pupils attend the school?", "It has two classes per year.", True),
        ("Hvor mange elever går på skolen?", "Skolen har to klasser.", True),
        # the question's own number is no answer to it
        ("Hvor mange elever gikk på skolen i 2019?", "I 2019 fikk skolen nytt tak.", False),
        # a year with its month or season is a point in time, not a count
        ("Hvor mange ansatte har senteret?", "Senteret åpnet i oktober 2018.", False),
        ("Hvor mange ansatte har senteret?", "Senteret åpnet 17. mai 2021.", False),
        ("Hvor mange ansatte har senteret?", "Senteret ble flyttet våren 2017.", False),
        ("How many staff does the centre have?", "The centre opened in March 2019.", False),
        ("How many staff does the centre have?", "It moved in the autumn of 2020.", False),
        ("Hvor mange ansatte har senteret?", "Senteret åpnet i mai 2019 med 40 ansatte.", True),
        # … but a year does answer how old something is
        ("Hvor gammel er skolen?", "Skolen ble bygd i 1962.", True),
        # a number that points to a page, chapter, figure or provision is no quantity
        ("Hvor mye energi sparer skolen?", "• Skolen får solceller på taket (s. 20)", False),
        ("Hvor mye energi sparer skolen?", "Tiltakene står i kap. 4.3 og figur 3-7.", False),
        ("Hvor mange elever går på skolen?", "Se § 12-5 og vedlegg 3.", False),
        # … nor one that labels a step or a level
        ("Hvor mye overvann fordrøyes?", "Overvann som overstiger trinn 1 ledes til elva.", False),
        ("How many pupils attend the school?", "The school is in phase 2 of the plan.", False),
        ("Hvor mye energi sparer skolen?", "Skolen sparer 40 prosent (side 12-13).", True),
        ("How many pupils attend the school?", "There are 412 pupils (p. 5).", True),
        # a magnitude that names the unit of a table or figure states no figure
        ("Hvor mange ansatte har næringen?", "Omsetning i millioner kroner per fylke.", False),
        ("How many staff does the sector employ?", "Turnover in thousands of euros.", False),
        ("Hvor mye omsetter næringen?", "Næringen omsatte for 3 millioner kroner.", True),
        ("Hvor mange bor i byen?", "Byen har en halv million innbyggere.", True),
    ],
)
def test_a_sentence_states_a_number_the_question_does_not_give(
    question: str, text: str, states: bool
) -> None:
    assert states_new_number(question, text) is states


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library plan: a year and a few counts, but no number of visitors or borrowers."""
    folder = tmp_path_factory.mktemp("counts")
    pdf = chapters_pdf(
        folder / "bibliotekplan.pdf",
        "Bibliotekplan for Nordvik",
        "Mai 2025",
        [
            (
                "Oppussing av biblioteket",
                "Biblioteket i Nordvik skal pusses opp i 2027, og arbeidet skal gjøres mens "
                "biblioteket holder åpent. Lånerne har lenge bedt om lengre åpningstider og "
                "flere arbeidsplasser for studenter. Kommunen vil derfor bygge om første etasje "
                "til et åpent læringssenter.",
            ),
            (
                "Bygget",
                "Biblioteket holder til i det gamle rådhuset, som ble tatt i bruk som bibliotek "
                "i 1962. Bygget er fredet, og fasaden skal ikke endres når biblioteket pusses opp.",
            ),
            (
                "Ansatte",
                "Biblioteket har i dag elleve ansatte, og to av dem arbeider mest med skolene. "
                "Bibliotekarene holder kurs i kildekritikk for elevene.",
            ),
        ],
    )
    index = folder / "index"
    assert not ingest_paths([pdf], index).failed
    return index


def test_a_count_the_documents_give_is_quoted(library: Path) -> None:
    answer = answer_question(library, "Hvor mange ansatte har biblioteket i Nordvik?")
    assert not answer.abstained
    assert any("elleve ansatte" in c.quote for c in answer.citations)


@pytest.mark.parametrize(
    "question",
    [
        "Hvor mange besøkende hadde biblioteket i Nordvik i 2027?",
        "Hvor mange lånere har biblioteket i Nordvik?",
    ],
)
def test_a_count_the_documents_do_not_give_is_not_answered(library: Path, question: str) -> None:
    # the closest sentences are on topic, yet state no number but a year: not in the documents
    answer = answer_question(library, question, min_confidence=0.0)
    assert answer.abstained and answer.reason == "no_number"
    assert answer.leads


def test_an_abstention_offers_the_closest_sentences_even_of_one_passage(tmp_path: Path) -> None:
    answer = ask_report(
        tmp_path,
        "Leseplan for Nordvik",
        [
            (
                "Lånere",
                "Lånerne i Nordvik låner mest skjønnlitteratur. Lånerne ønsker seg lengre "
                "åpningstider om kvelden. Mange lånere bruker også bibliotekets lesesal.",
            )
        ],
        "Hvor mange lånere har biblioteket i Nordvik?",
        min_confidence=None,
    )
    assert answer.abstained and answer.reason == "no_number"
    # the best sentences, not one per passage: here all three stand in one passage
    assert len(answer.leads) == 3 and len({c.chunk_id for c in answer.leads}) == 1


def test_the_cli_says_the_figure_asked_for_is_not_given(library: Path) -> None:
    question = "Hvor mange lånere har biblioteket i Nordvik?"
    result = CliRunner().invoke(app, ["ask", question, "--index", str(library)])
    assert result.exit_code == 0, result.output
    assert "oppgir ikke tallet spørsmålet ber om" in " ".join(result.output.split())


@pytest.mark.parametrize(
    ("text", "states"),
    [
        ("Kommunen er delt inn i fem skolekretser.", True),
        ("Om lag halvparten av elevene sykler til skolen.", True),
        ("Anlegget dekker 850 kvadratmeter.", True),
        # quantifiers and articles are no numbers
        ("Helse er viktig for innbyggere i alle aldre.", False),
        ("Det er en viktig plan for kommunen.", False),
        ("Kode B2 gjelder for feltet.", False),
    ],
)
def test_a_sentence_states_a_number_in_digits_or_words(text: str, states: bool) -> None:
    assert states_number(text) is states


def test_the_scorer_reads_a_number_in_words_as_a_number() -> None:
    """The number feature of "how many" questions: "fem" counts like "5"."""
    from policyminer.answer.candidates import Sentence, feature_rows
    from policyminer.answer.scorer import FEATURES
    from policyminer.store.catalog import StoredChunk

    text = "Kommunen er delt inn i fem skolekretser. Skolekretsene følger gamle sognegrenser."
    chunk = StoredChunk(0, text, 1, 1, "Skolekretser", ("Skolekretser",), 0, len(text))
    end = text.index(".") + 1
    sentences = [
        Sentence(chunk, "Skoleplan", 1.0, 0, end, set()),
        Sentence(chunk, "Skoleplan", 1.0, end + 1, len(text), set()),
    ]
    number = FEATURES.index("number_match")
    for question in (
        "Hvor mange skolekretser har kommunen?",
        "Kor mange skulekrinsar har kommunen?",
    ):
        rows = feature_rows(question, sentences, False, 0.0)
        assert rows[:, number].tolist() == [1.0, 0.0]


@pytest.mark.parametrize(
    ("question", "twice"),
    [
        ("Hvor mange felt har vegen, og hvem eier den?", True),
        ("Hvilket organ vedtok planen, og på hvilken dato skjedde det?", True),
        ("How many lanes does the road have, and who owns it?", True),
        ("Hvor mange elever og lærere har skolen?", False),
        ("Hvor mange busser og båter kjøper fylket?", False),
    ],
)
def test_a_question_that_asks_two_things(question: str, twice: bool) -> None:
    # the quantity rule reads the first quote of a one-ask question, any quote of a two-ask one
    assert asks_twice(question) is twice


@pytest.mark.parametrize(
    ("question", "units"),
    [
        ("Hvilken høyde kan bebyggelsen ha?", {"length"}),
        ("Hva er byggehøyden i feltet?", {"length"}),
        ("What is the width of the pavement?", {"length"}),
        # English writes the words apart that Norwegian compounds
        ("What is the maximum ridge height for garages?", {"length"}),
        ("Hva er maksimal mønehøyde?", {"length"}),
        # a Norwegian question's second word is often its verb
        ("Hvilken båt målte dybden av vannet?", set()),
        ("What is the total floor area of the school?", {"area"}),
        ("Hvilket fylke har størst areal?", set()),
        ("Hva er arealet av tomta?", {"area"}),
        # kinds, not a value; and "how high" is as often a rate
        ("Hvilke arealer omfattes av planen?", set()),
        ("Hvor høy er arbeidsledigheten?", set()),
        ("Hvilken arealplan gjelder?", set()),
    ],
)
def test_a_measure_asked_by_its_noun_names_its_kind_of_unit(question: str, units: set) -> None:
    assert measured_units(question) == units


@pytest.mark.parametrize(
    "question",
    [
        "Hvilken høyde kan bebyggelsen ha?",
        # by its adjective: "Hvor høy …?" shares no word with "Mønehøyden …"
        "Hvor høy kan bebyggelsen være?",
    ],
)
def test_a_height_asked_by_its_noun_or_adjective_is_quoted_from_the_sentence_that_gives_it(
    tmp_path: Path, question: str
) -> None:
    answer = ask_report(
        tmp_path,
        "Reguleringsplan for Nordvika",
        [
            (
                "Bebyggelse",
                "Bebyggelsen kan ha en form som passer med nabobebyggelsen. "
                "Bebyggelsen skal ha saltak og plasseres innenfor byggegrensene. Mønehøyden "
                "skal ikke overstige 8,5 meter over gjennomsnittlig planert terreng.",
            ),
        ],
        question,
    )
    assert not answer.abstained
    assert "8,5 meter" in answer.citations[0].quote


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("Hvor mange elever skal skolen ha plass til?", "elever"),
        ("Kor mange bustader blir bygde i feltet?", "bustader"),
        ("How many students will the school take?", "students"),
        ("How many of the buses run on electricity?", "buses"),
        # no noun counted: a verb, a pronoun, a comparison
        ("Hvor mange er det som bor i Nordvika?", None),
        ("Hvor mange av dem fikk plass?", None),
        ("Hvor mange flere må jobbe i omsorgen?", None),
        ("Hvilken høyde kan bebyggelsen ha?", None),
    ],
)
def test_a_how_many_question_names_what_it_counts(question: str, noun: str | None) -> None:
    assert counted_noun(question) == noun


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("Skolen bygges for 840 elever og 90 ansatte.", True),
        ("Det blir plass til tre nye skoleelever i hver klasse.", True),
        ("Skolen dimensjoneres for maksimum 840 elevar.", True),
        # a number that counts something else, or the noun with no number before it
        ("Skolen har 12 klasserom, og alle elever får egen pult.", False),
        ("Elevene skal ha 8 m² uteareal hver.", False),
    ],
)
def test_a_count_is_a_number_right_before_the_noun_counted(text: str, stated: bool) -> None:
    assert states_count_of("elever", text) is stated


def test_a_count_asked_by_its_noun_is_quoted_from_the_sentence_that_gives_it(
    tmp_path: Path,
) -> None:
    answer = ask_report(
        tmp_path,
        "Planprogram for Nordvika skole",
        [
            (
                "Skolen",
                "Nordvika skole skal gi elevene et godt læringsmiljø med 12 klasserom og en "
                "flerbrukshall. Skolen dimensjoneres for 540 elever fordelt på sju trinn. "
                "Uteområdet skal gi alle elever minst 8 m² hver.",
            ),
        ],
        "Hvor mange elever skal Nordvika skole ha?",
    )
    assert not answer.abstained
    assert "540 elever" in answer.citations[0].quote


@pytest.mark.parametrize(
    ("header", "row", "counts"),
    [
        (
            "Fag | Sted | Nye studenter i alt",
            "Jordbruk | Fjordvik | 60",
            True,
        ),
        ("Fag | Sted | Studenter", "Sykepleie | Elvik | 1 136", True),
        # the figure stands under another column, or the row lacks a cell (no pairing)
        ("Fag | Studenter | Studiepoeng", "Jordbruk | Fjordvik | 180", False),
        ("Fag | Sted | Nye studenter i alt", "Jordbruk | 60", False),
    ],
)
def test_a_table_row_counts_the_noun_its_column_header_names(
    header: str, row: str, counts: bool
) -> None:
    assert counts_in_column("studenter", header, row) is counts


def test_a_count_in_a_table_is_quoted_before_a_sentence_counting_something_else(
    tmp_path: Path,
) -> None:
    rows = [
        ("Fag", "Sted", "Nye studenter i alt"),
        ("Jordbruk", "Fjordvik", "60"),
        ("Fiskehelse", "Elvik", "45"),
        ("Sykepleie", "Nordvika", "240"),
    ]
    pdf = grid_table_pdf(
        tmp_path / "opptak.pdf",
        "Høgskolen i Nordvika tok opp 512 studenter i fjor, fordelt på tre steder og mange fag.",
        rows,
        "Tabellen viser nye studenter per fag og sted.",
        widths=(90, 90, 200),
    )
    assert not ingest_paths([pdf], tmp_path / "index").failed
    answer = answer_question(
        tmp_path / "index", "Hvor mange studenter tas opp på jordbruk i Fjordvik?"
    )
    assert not answer.abstained
    assert answer.citations[0].quote == "Jordbruk | Fjordvik | 60"


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("Hvor mange felt har vegen, og hvem eier den?", "Hvor mange felt har vegen?"),
        (
            "Hvilket organ vedtok planen, og på hvilken dato skjedde det?",
            "Hvilket organ vedtok planen?",
        ),
        (
            "How many lanes does the road have and who owns it?",
            "How many lanes does the road have?",
        ),
        ("Hvor mange elever og lærere har skolen?", None),
    ],
)
def test_the_first_of_two_asks_is_a_question_of_its_own(question: str, first: str | None) -> None:
    assert first_ask(question) == first


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Hvor høye kan husene bygges?", {"høye": "høyde"}),
        ("Kor høgt kan bygget bli?", {"høgt": "høgde"}),
        ("Hvor bred skal gangveien være?", {"bred": "bredde"}),
        ("How tall may the tower be?", {"tall": "height"}),
        # a duration, a distance or progress, not a dimension
        ("Hvor lang tid tar byggingen?", {}),
        ("Hvor langt har arbeidet kommet?", {}),
        ("How long did the works take?", {}),
        # the adjective as an attribute asks nothing of the dimension
        ("Hvilke krav gjelder for høye murer?", {}),
    ],
)
def test_a_dimension_asked_by_its_adjective_names_its_noun(question: str, asked: dict) -> None:
    assert asked_dimensions(question) == asked


def test_a_provisions_quote_is_the_whole_item_that_names_what_it_rules(tmp_path: Path) -> None:
    # "Mønehøyden …" alone would not say whose ridge: the item's first sentence does
    answer = ask_note(
        tmp_path,
        "fjordvik.md",
        "# Reguleringsbestemmelser for Fjordvik\n\n## § 4 Garasjer og uthus\n\n"
        "a) Garasjer skal plasseres minst 1 meter fra nabogrensen.\n\n"
        "b) Garasjer skal ha saltak som boligen. Mønehøyden skal ikke overstige 5,5 meter.\n\n"
        "c) Uthus skal ikke ha større bebygd areal enn 15 m2.\n",
        "Hvor høy kan en garasje i Fjordvik være?",
    )
    assert not answer.abstained
    first = answer.citations[0].quote
    assert "Garasjer skal ha saltak" in first and "5,5 meter" in first
