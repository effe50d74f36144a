"""Magazine and report layouts: columns stay apart, notes stay whole and out of the body, and
running headers set as boxes or with letter spacing stay out of the text."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from layoutdocs import bold_paragraph_pdf, column_notes_pdf, header_box_pdf, spread_columns_pdf
from messydocs import PAGE_TEXTS
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from policyminer.parse.furniture import margin_key
from policyminer.parse.pdf import BACKENDS, parse_pdf

LEFT = [
    "Kommunen vil bygge ut digitale tjenester",
    "for innbyggerne i hele regionen, og",
    "arbeidet skjer i samarbeid med nærings-",
    "livet og universitetet i byen.",
]
RIGHT = [
    "Fjellstuene i dalen får nye varmepumper",
    "og solceller på taket. Tiltaket halverer",
    "strømforbruket i løpet av tre vintre, og",
    "bystyret følger opp hvert kvartal.",
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_columns_are_read_apart_when_text_lies_beyond_the_page_edge(
    tmp_path: Path, backend: str
) -> None:
    path = spread_columns_pdf(tmp_path / "oppslag.pdf", LEFT, RIGHT, "Risikobildet i dalen")
    doc = parse_pdf(path, backend=backend)
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("body", "Kommunen vil bygge ut digitale tjenester for innbyggerne i hele regionen, og "
         "arbeidet skjer i samarbeid med næringslivet og universitetet i byen."),
        ("body", " ".join(RIGHT)),
    ]  # fmt: skip


# body text enough to outweigh the notes' small print, as on any real page
FILLER = textwrap.wrap(" ".join(PAGE_TEXTS * 3), 42, break_on_hyphens=False)
COLUMNS = [
    [
        ["Kommunen har vedtatt en plan for eldreomsorg", "1", "."],
        ["Planen gjelder fra neste år og omfatter"],
        ["hjemmetjenester og sykehjem", "2", " i hele kommunen."],
        *([line] for line in FILLER),
    ],
    [
        ["Fylket bygger ny vei langs fjorden", "3", ", og"],
        ["arbeidet starter til våren etter at"],
        ["anbudet er avgjort", "4", " av fylkestinget."],
        *([line] for line in FILLER),
    ],
]
NOTES = [
    [
        "1 Kommunestyrets vedtak i sak 12/2024 om plan for helse og omsorg i kommunen.",
        "2 Gjelder også avlastning og dagtilbud for personer med demens.",
    ],
    [
        "3 Fylkestingets vedtak om prioriteringer i handlingsprogrammet for fylkesveiene.",
        "4 Konkurransen er utlyst etter reglene om offentlige anskaffelser.",
    ],
]
ENDNOTES = [
    f"{n} Rapporten fra arbeidsgruppen for tiltak nummer {n} beskriver hvordan kommunene i "
    f"regionen samarbeider om tjenestene, og hva som gjenstår før planen kan vedtas."
    for n in range(1, 10)
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_notes_set_in_columns_stay_whole_and_apart_from_the_body(
    tmp_path: Path, backend: str
) -> None:
    # the first note's label is the character "¹", not a raised "1"
    endnotes = [f"¹ {ENDNOTES[0].split(' ', 1)[1]}", *ENDNOTES[1:]]
    path = column_notes_pdf(tmp_path / "noter.pdf", COLUMNS, NOTES, endnotes)
    doc = parse_pdf(path, backend=backend)
    body = [p.text for p in doc.paragraphs if p.page == 1 and p.kind == "body"]
    # the body reads clean: references gone, each column's sentences whole
    assert body == [
        "Kommunen har vedtatt en plan for eldreomsorg. Planen gjelder fra neste år og omfatter "
        "hjemmetjenester og sykehjem i hele kommunen. " + " ".join(FILLER),
        "Fylket bygger ny vei langs fjorden, og arbeidet starter til våren etter at anbudet er "
        "avgjort av fylkestinget. " + " ".join(FILLER),
    ]
    # and each note is one footnote paragraph, column by column
    notes = [p.text for p in doc.paragraphs if p.page == 1 and p.kind == "footnote"]
    assert notes == NOTES[0] + NOTES[1]
    endnote_texts = [p.text for p in doc.paragraphs if p.page == 2 and p.kind == "footnote"]
    assert endnote_texts == ENDNOTES
    assert [p.text for p in doc.paragraphs if p.page == 2 and p.kind != "footnote"] == ["Noter"]


BOX = ["Rapport nr.: R-2024-117", "Prosjekt nr.: 10234567", "Versjon: 03"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_header_box_and_a_letter_spaced_footer_stay_out_of_the_body(
    tmp_path: Path, backend: str
) -> None:
    pages = PAGE_TEXTS * 3
    path = header_box_pdf(
        tmp_path / "rapport.pdf", BOX, "Vannforsyning i Testdalen", "TEMAPLAN VANN 2030", pages
    )
    doc = parse_pdf(path, backend=backend)
    assert [(p.page, p.text) for p in doc.paragraphs] == [
        (number, text) for number, text in enumerate(pages, start=1)
    ]


def test_margin_lines_compare_alike_however_their_letters_were_spaced() -> None:
    spaced = ["N S M R I S I KO 20 2 1", "NSM RISIKO 2021", "N S M R I S I K O 2 0 2 1"]
    assert len({margin_key(line) for line in spaced}) == 1
    # a lone roman page number in an ordinary margin line is still a number
    assert margin_key("Side iv") == margin_key("Side 12")
    assert margin_key("Kapittel 3 Mål") != margin_key("Kapittel 3 Tiltak")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_bold_paragraph_at_body_size_is_text_and_a_bold_heading_stays_a_heading(
    tmp_path: Path, backend: str
) -> None:
    emphasis = [
        "Direktoratet anbefaler at alle kommuner følger grunn-",
        "prinsippene for digital sikkerhet. Prinsippene er et godt",
        "utgangspunkt for å oppnå forsvarlig sikkerhet i tjenestene.",
    ]
    blocks = [
        (True, ["Digital sikkerhet i kommunene"]),
        (False, FILLER[:6]),
        (True, emphasis),
        (False, FILLER[6:12]),
        (True, ["Tiltak for helse-", "og omsorgstjenestene"]),  # a heading, wrapped
        (False, FILLER[12:16]),
    ]
    doc = parse_pdf(bold_paragraph_pdf(tmp_path / "uthevet.pdf", blocks), backend=backend)
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("heading", "Digital sikkerhet i kommunene"),
        ("body", " ".join(FILLER[:6])),
        ("body", "Direktoratet anbefaler at alle kommuner følger grunnprinsippene for digital "
         "sikkerhet. Prinsippene er et godt utgangspunkt for å oppnå forsvarlig sikkerhet i "
         "tjenestene."),
        ("body", " ".join(FILLER[6:12])),
        ("heading", "Tiltak for helse- og omsorgstjenestene"),
        ("body", " ".join(FILLER[12:16])),
    ]  # fmt: skip
    assert all(p.section == "Digital sikkerhet i kommunene" for p in doc.paragraphs[1:4])


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_bold_form_field_with_a_date_is_no_heading(tmp_path: Path, backend: str) -> None:
    # a case document's header block: revision lines set in bold at body size
    blocks = [
        (True, ["Vurdering av planforslaget for Nordvik skole"]),
        (False, FILLER[:3]),
        (True, ["Rev: C Rev. dato: 15.01.2024, ABC"]),
        (False, FILLER[3:6]),
        (True, ["Dato: 02.05.2024"]),
        (False, FILLER[6:9]),
        (True, ["Trafikk og parkering"]),
        (False, FILLER[9:12]),
    ]
    doc = parse_pdf(bold_paragraph_pdf(tmp_path / "skjema.pdf", blocks), backend=backend)
    headings = [p.text for p in doc.paragraphs if p.kind == "heading"]
    assert headings == ["Vurdering av planforslaget for Nordvik skole", "Trafikk og parkering"]
    assert {p.section for p in doc.paragraphs} == set(headings)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_suspended_compound_keeps_its_space_where_the_pdf_draws_none(
    tmp_path: Path, backend: str
) -> None:
    # word processors place words without space glyphs; after "plan-" a narrow word space
    # (0.15 em here) parts "og", while a compound's hyphen is followed at once
    path = tmp_path / "tittel.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setFont("Helvetica-Bold", 20)
    x = 72.0
    for word in ["Veileder", "for", "plan-", "og", "byggesak"]:
        pdf.drawString(x, 760, word)
        x += pdf.stringWidth(word, "Helvetica-Bold", 20) + (3.0 if word == "plan-" else 6.0)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(72, 700, "Hoff-prosjektet skal bygge en ny skole med idrettshall og bibliotek.")
    pdf.save()
    texts = [p.text for p in parse_pdf(path, backend=backend).paragraphs]
    assert texts[0] == "Veileder for plan- og byggesak"
    assert texts[1].startswith("Hoff-prosjektet skal")


LEAD_IN = ["Kommunene kan be fylket om en test av", "sikringen av egne bygg og anlegg. For"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_sentence_that_runs_on_from_a_bold_lead_in_is_one_paragraph(
    tmp_path: Path, backend: str
) -> None:
    rest = ["private eiere lager fylket en veileder", "som kommer til høsten."]
    blocks = [(False, FILLER[:6]), (True, LEAD_IN), (False, rest)]
    path = bold_paragraph_pdf(tmp_path / "uthevet.pdf", blocks, gap=False)
    texts = [p.text for p in parse_pdf(path, backend=backend).paragraphs]
    assert texts[-1] == " ".join(LEAD_IN + rest)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_paragraph_that_opens_with_an_address_is_no_run_on(tmp_path: Path, backend: str) -> None:
    rest = ["www.fylket.no/beredskap har veilederen", "som kommer til høsten."]
    blocks = [(False, FILLER[:6]), (True, LEAD_IN), (False, rest)]
    path = bold_paragraph_pdf(tmp_path / "uthevet.pdf", blocks, gap=False)
    texts = [p.text for p in parse_pdf(path, backend=backend).paragraphs]
    assert texts[-2:] == [" ".join(LEAD_IN), " ".join(rest)]
