"""Word documents and saved web pages: headings give sections (a section is a page), only the
main text goes in, and they are searched and cited like PDFs."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyminer.answer.answer import answer_question
from policyminer.cli import app
from policyminer.ingest import ingest_paths
from policyminer.parse.pdf import ParseError
from policyminer.parse.webpage import parse_html
from policyminer.parse.word import note_label, parse_docx

runner = CliRunner()

HTML = """<!DOCTYPE html>
<html lang="no"><head><title>Handlingsplan for grønn skipsfart – regjeringen.no</title>
<script>var tracking = "skriptet skal aldri bli tekst"; window.dataLayer = [];</script>
<style>.meny { color: red }</style></head>
<body>
<header class="site-header"><a href="/">Regjeringen.no</a> <a href="/sok">Søk</a></header>
<nav class="main-menu"><ul><li><a href="/tema">Tema</a></li><li><a href="/dep">Departementene</a>
</li></ul></nav>
<div class="breadcrumbs"><a href="/">Forsiden</a> › <a href="/tema">Tema</a></div>
<main>
  <h1>Handlingsplan for grønn skipsfart</h1>
  <p>Regjeringen vil halvere utslippene fra innenriks sjøfart og fiske innen 2030.</p>
  <h2>Tiltak for ferjer</h2>
  <p>Alle nye riksvegferjer skal bruke <strong>null</strong>- eller lavutslippsteknologi.</p>
  <ul><li>Krav i anbud for fylkeskommunale ferjesamband</li>
  <li>Støtte til ladeinfrastruktur i havnene</li></ul>
  <table><tr><th>Samband</th><th>År</th><th></th></tr>
  <tr><td>Bastø–Moss</td><td>2024</td><td></td></tr></table>
  <h2>Tiltak for havbruk</h2>
  <p>Servicefartøy i havbruksnæringen skal over på batteri og hydrogen.</p>
  <div class="share-buttons">Del på Facebook</div>
</main>
<aside class="related">Les også: Statsbudsjettet</aside>
<footer class="site-footer">Kontakt oss · Personvern · Informasjonskapsler</footer>
</body></html>
"""


def _docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = "Strategi for digital samhandling"
    document.add_heading("Strategi for digital samhandling", level=1)
    document.add_paragraph(
        "Kommunen vil dele pasientopplysninger trygt mellom sykehus og hjemmetjeneste."
    )
    document.add_heading("Mål for 2026", level=2)
    document.add_paragraph("Alle fastleger skal bruke pasientens journaldokumenter.")
    document.add_paragraph("Felles kjernejournal for alle", style="List Bullet")
    table = document.add_table(rows=2, cols=4)  # the fourth column stays empty
    table.rows[0].cells[0].text = "Tiltak"
    table.rows[0].cells[1].text = "Ansvar"
    table.rows[1].cells[0].text = "Meldingsløftet"
    table.rows[1].cells[1].text = "Helseetaten"
    merged = table.rows[0].cells[2].merge(table.rows[1].cells[2])
    merged.text = "Frist 2026"
    document.add_heading("Personvern", level=2)
    document.add_paragraph("Tilgang gis bare til helsepersonell som yter helsehjelp.")
    document.save(str(path))
    return path


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _noted_docx(path: Path, notes: dict[str, str], table: bool = False) -> Path:
    """A Word file whose paragraphs call footnotes by id (Word numbers them as called); with
    `table`, a table after the first paragraph whose cell calls note 5 and sets "m" with a
    raised 2."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def call(paragraph, note_id: str) -> None:
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), note_id)
        paragraph.add_run()._r.append(reference)

    document = docx.Document()
    document.add_heading("Velferdsteknologi", level=1)
    first = document.add_paragraph("Kommunen innførte  digitalt tilsyn i 2022")
    call(first, "7")
    first.add_run(", og ordningen omfatter nå 400 brukere.")
    call(first, "3")
    if table:
        grid = document.add_table(rows=2, cols=2)
        grid.rows[0].cells[0].text, grid.rows[0].cells[1].text = "Tiltak", "Areal"
        grid.rows[1].cells[0].text = "Nytt sykehjem"
        cell = grid.rows[1].cells[1].paragraphs[0]
        cell.add_run("4 500 m")
        cell.add_run("2").font.superscript = True
        call(cell, "5")
    document.add_heading("Økonomi", level=1)
    second = document.add_paragraph("Tiltaket er finansiert over driftsbudsjettet.")
    call(second, "9")  # an id the notes part lacks
    separator = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>—</w:t></w:r></w:p></w:footnote>'
    )
    body = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote>'
        for i, text in notes.items()
    )
    xml = f'<w:footnotes xmlns:w="{W}">{separator}{body}</w:footnotes>'
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    part = Part(PackURI("/word/footnotes.xml"), content_type, xml.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    document.save(str(path))
    return path


def _endnoted_docx(path: Path, endnote_format: str = "") -> Path:
    """A Word file in two sections whose paragraphs call endnotes (and one a footnote)."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import qn

    def call(paragraph, tag: str, note_id: str) -> None:
        reference = OxmlElement(tag)
        reference.set(qn("w:id"), note_id)
        paragraph.add_run()._r.append(reference)

    def part(name: str, kind: str, notes: dict[str, str]):
        body = "".join(
            f'<w:{kind} w:id="{i}"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:{kind}>'
            for i, text in notes.items()
        )
        xml = f'<w:{kind}s xmlns:w="{W}">{body}</w:{kind}s>'
        content = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml"
        return Part(PackURI(f"/word/{name}"), content, xml.encode(), document.part.package)

    document = docx.Document()
    document.add_heading("Innledning", level=1)
    first = document.add_paragraph("Planen bygger på meldingen")
    call(first, "w:endnoteReference", "2")
    first.add_run(" og på høringen.")
    call(first, "w:footnoteReference", "5")
    document.add_heading("Tiltak", level=1)
    second = document.add_paragraph("Tiltakene følges opp årlig.")
    call(second, "w:endnoteReference", "3")
    notes = {"2": "Meld. St. 9 (2023–2024).", "3": "Se handlingsplanen."}
    document.part.relate_to(part("endnotes.xml", "endnote", notes), RT.ENDNOTES)
    footnotes = part("footnotes.xml", "footnote", {"5": "Høringen ble holdt i 2024."})
    document.part.relate_to(footnotes, RT.FOOTNOTES)
    if endnote_format:
        settings = document.settings.element
        settings.append(
            parse_xml(
                f'<w:endnotePr xmlns:w="{W}"><w:numFmt w:val="{endnote_format}"/></w:endnotePr>'
            )
        )
    document.save(str(path))
    return path


def test_docx_endnotes_are_labelled_as_word_numbers_them_and_gathered_at_the_end(
    tmp_path: Path,
) -> None:
    doc = parse_docx(_endnoted_docx(tmp_path / "plan.docx"))
    marks = [(n.label, n.note, n.note_page) for p in doc.paragraphs for n in p.notes]
    # endnotes count i, ii as Word's default prints them; footnotes 1, 2 on their own count
    assert marks == [
        ("i", "Meld. St. 9 (2023–2024).", 2),
        ("1", "Høringen ble holdt i 2024.", 1),
        ("ii", "Se handlingsplanen.", 2),
    ]
    notes = [(p.page, p.text) for p in doc.paragraphs if p.kind == "footnote"]
    assert notes == [
        (1, "1 Høringen ble holdt i 2024."),
        (2, "i Meld. St. 9 (2023–2024)."),
        (2, "ii Se handlingsplanen."),
    ]
    # a document that numbers its endnotes 1, 2, 3 gets those labels
    decimal = parse_docx(_endnoted_docx(tmp_path / "tall.docx", endnote_format="decimal"))
    assert [n.label for p in decimal.paragraphs for n in p.notes] == ["1", "1", "2"]


@pytest.mark.parametrize(
    ("number", "style", "label"),
    [(4, "decimal", "4"), (4, "lowerRoman", "iv"), (14, "upperRoman", "XIV"),
     (2, "lowerLetter", "b"), (28, "upperLetter", "BB"), (5, "chicago", "**")],
)  # fmt: skip
def test_word_note_labels(number: int, style: str, label: str) -> None:
    assert note_label(number, style) == label


def test_docx_footnotes_are_linked_where_they_are_called(tmp_path: Path) -> None:
    notes = {"7": "Bystyrets vedtak i sak 45/2021.", "3": "Kommunens årsrapport for 2023."}
    doc = parse_docx(_noted_docx(tmp_path / "tilsyn.docx", notes))
    (first,) = [p for p in doc.paragraphs if p.text.startswith("Kommunen")]
    assert [(first.text[: n.offset][-8:], n.label, n.note, n.note_page) for n in first.notes] == [
        ("n i 2022", "1", "Bystyrets vedtak i sak 45/2021.", 1),
        ("brukere.", "2", "Kommunens årsrapport for 2023.", 1),
    ]
    (second,) = [p for p in doc.paragraphs if p.text.startswith("Tiltaket")]
    assert [(n.label, n.note, n.note_page) for n in second.notes] == [("3", "", 0)]
    # the notes are footnotes of the page that calls them, out of the running text
    assert [(p.page, p.text) for p in doc.paragraphs if p.kind == "footnote"] == [
        (1, "1 Bystyrets vedtak i sak 45/2021."),
        (1, "2 Kommunens årsrapport for 2023."),
    ]
    # a file without notes reads as before
    plain = parse_docx(_docx(tmp_path / "strategi.docx"))
    assert not any(p.notes for p in plain.paragraphs)


def _typed_notes_docx(path: Path) -> Path:
    """A Word file whose note labels are typed as raised text, not made with Word's footnotes
    (as a web page converted to Word has them): one superscript, one raised by a position, one
    in a raised character style, and the notes as paragraphs at the end."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    mark_style = document.styles.add_style("Notemerke", WD_STYLE_TYPE.CHARACTER)
    mark_style.font.superscript = True

    def raised(run, how: str) -> None:
        if how == "superscript":
            run.font.superscript = True
        elif how == "position":
            position = OxmlElement("w:position")
            position.set(qn("w:val"), "6")
            run._r.get_or_add_rPr().append(position)
        else:
            run.style = mark_style

    document.add_heading("Fjordvik havn", level=1)
    body = document.add_paragraph("Havna ble utvidet i 2019")
    raised(body.add_run("1"), "superscript")
    body.add_run(", og kaia er 1 200 m")
    raised(body.add_run("2"), "superscript")
    body.add_run(" stor. Trafikken økte med 40 prosent")
    raised(body.add_run("2"), "position")
    body.add_run(".")
    second = document.add_paragraph("Fergene går hver time")
    raised(second.add_run("3"), "style")
    second.add_run(".")
    third = document.add_paragraph("Ruten ble lagt om i 2021")
    raised(third.add_run("45"), "superscript")  # two labels side by side, run together
    third.add_run(".")
    document.add_heading("Noter", level=2)
    for label, text in (
        ("1", "Havneplan for Fjordvik 2018."),
        ("2", "Havnestatistikk 2023."),
        ("4", "Rutetabell 2021."),
        ("5", "Fylkets vedtak om ruter."),
    ):
        note = document.add_paragraph()
        raised(note.add_run(label), "superscript")
        note.add_run(f" {text}")
    document.save(str(path))
    return path


def test_docx_note_labels_typed_as_raised_text_leave_the_words(tmp_path: Path) -> None:
    doc = parse_docx(_typed_notes_docx(tmp_path / "havn.docx"))
    body = {p.text: p for p in doc.paragraphs if p.kind == "body"}
    # the year stays a year ("i 20191" before), the power a power, the percentage its own
    first = body[
        "Havna ble utvidet i 2019, og kaia er 1 200 m² stor. Trafikken økte med 40 prosent."
    ]
    assert [(first.text[: n.offset].split()[-1], n.label, n.note) for n in first.notes] == [
        ("2019", "1", "Havneplan for Fjordvik 2018."),
        ("prosent", "2", "Havnestatistikk 2023."),
    ]
    # a label in a raised character style; no note carries it
    assert [(n.label, n.note) for n in body["Fergene går hver time."].notes] == [("3", "")]
    # two labels run together are read apart where both notes exist
    assert [(n.label, n.note) for n in body["Ruten ble lagt om i 2021."].notes] == [
        ("4", "Rutetabell 2021."),
        ("5", "Fylkets vedtak om ruter."),
    ]
    # the notes at the end are footnotes, out of the running text
    assert [p.text for p in doc.paragraphs if p.kind == "footnote"] == [
        "1 Havneplan for Fjordvik 2018.",
        "2 Havnestatistikk 2023.",
        "4 Rutetabell 2021.",
        "5 Fylkets vedtak om ruter.",
    ]


def test_html_notes_without_links_are_found_by_their_labels(tmp_path: Path) -> None:
    page = tmp_path / "havn.html"
    page.write_text(
        "<html><body><h1>Fjordvik havn</h1><p>Havna ble utvidet i 2019<sup>1</sup>.</p>"
        "<p><sup>1</sup> Havneplan for Fjordvik 2018.</p></body></html>",
        encoding="utf-8",
    )
    doc = parse_html(page)
    (body,) = [p for p in doc.paragraphs if p.kind == "body"]
    assert body.text == "Havna ble utvidet i 2019."
    assert [(n.label, n.note) for n in body.notes] == [("1", "Havneplan for Fjordvik 2018.")]
    assert [p.text for p in doc.paragraphs if p.kind == "footnote"] == [
        "1 Havneplan for Fjordvik 2018."
    ]


def _numbered_docx(path: Path) -> Path:
    """A Word file whose heading styles are linked to a multilevel list (Word prints "1",
    "1.1" before them; the text holds only the titles) and with a numbered and a bullet list."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    list_number = document.styles["List Number"].element.pPr.numPr.numId.val
    numbering.append(
        parse_xml(
            f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            '<w:pStyle w:val="Heading1"/><w:lvlText w:val="%1"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            '<w:pStyle w:val="Heading2"/><w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum>'
        )
    )
    numbering.append(
        parse_xml(f'<w:num xmlns:w="{W}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    # as Word writes a heading style linked to a list: the first level without its number
    for style, level in (("Heading 1", ""), ("Heading 2", '<w:ilvl w:val="1"/>')):
        properties = document.styles[style].element.get_or_add_pPr()
        properties.append(
            parse_xml(f'<w:numPr xmlns:w="{W}">{level}<w:numId w:val="90"/></w:numPr>')
        )
    document.add_heading("Innledning", 1)
    document.add_paragraph("Kommunen vurderer å slå sammen to skoler i Fjordvik.")
    document.add_heading("Bakgrunn", 2)
    document.add_paragraph("Elevtallet i Fjordvik har falt med 15 prosent siden 2015.")
    document.add_heading("Mandat", 2)
    document.add_paragraph("Utvalget skal vurdere tre spørsmål:")
    document.add_paragraph("Hvor mange skoler trengs i 2035?", style="List Number")
    document.add_paragraph("Hvordan skal elevene reise til skolen?", style="List Number")
    # a style of the writer's own, numbered by the list that numbers "List Number"
    own = document.styles.add_style("Vedtakspunkt", WD_STYLE_TYPE.PARAGRAPH)
    own.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr xmlns:w="{W}"><w:numId w:val="{list_number}"/></w:numPr>')
    )
    document.add_paragraph("Hvilke skoler skal bestå?", style="Vedtakspunkt")
    document.add_heading("Forslag", 1)
    document.add_heading("Skolestruktur", 2)
    document.add_paragraph("Nordbukta skole legges ned fra høsten 2027.")
    document.add_paragraph("Elevene flytter til Fjordvik skole", style="List Bullet")
    document.save(str(path))
    return path


def test_docx_headings_and_items_carry_the_numbers_word_prints(tmp_path: Path) -> None:
    doc = parse_docx(_numbered_docx(tmp_path / "skoler.docx"))
    headings = [p.text for p in doc.paragraphs if p.kind == "heading"]
    assert headings == [
        "1 Innledning",
        "1.1 Bakgrunn",
        "1.2 Mandat",
        "2 Forslag",
        "2.1 Skolestruktur",
    ]
    items = [p.text for p in doc.paragraphs if p.kind == "list"]
    assert items == [
        "1. Hvor mange skoler trengs i 2035?",
        "2. Hvordan skal elevene reise til skolen?",
        "3. Hvilke skoler skal bestå?",  # numbered by its own style, in the same list
        "Elevene flytter til Fjordvik skole",  # a bullet has no number
    ]
    (closing,) = [p for p in doc.paragraphs if p.text.startswith("Nordbukta")]
    assert closing.section_path == ("2 Forslag", "2.1 Skolestruktur")


def test_a_numbered_word_section_is_found_by_its_number(tmp_path: Path) -> None:
    _numbered_docx(tmp_path / "skoler.docx")
    index = tmp_path / "index"
    assert not ingest_paths([tmp_path / "skoler.docx"], index).failed
    answer = answer_question(index, "Hva står i kapittel 2.1?")
    assert answer.citations[0].quote == "Nordbukta skole legges ned fra høsten 2027."


MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
VML_NS = "urn:schemas-microsoft-com:vml"


def _boxed_docx(path: Path) -> Path:
    """A Word file as a municipal template makes it: a cover page and a table of contents in
    content controls, and a fact box (a text box, written twice as Word writes it: for new
    readers and as a fallback) anchored in a body paragraph."""
    import docx
    from docx.oxml import parse_xml

    def runs(text: str) -> str:
        return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"

    box = runs("Fakta: Fjordvik har 4 200 innbyggere og fem skoler.")
    anchored = parse_xml(
        f'<w:p xmlns:w="{W}" xmlns:mc="{MC_NS}" xmlns:wps="{WPS_NS}" xmlns:v="{VML_NS}">'
        "<w:r><w:t>Kommunen har lagt fram en ny skoleplan.</w:t></w:r>"
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>'
        f"<w:txbxContent>{box}</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><v:shape><v:textbox>"
        f"<w:txbxContent>{box}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
    )
    cover = parse_xml(
        f'<w:sdt xmlns:w="{W}"><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Cover Pages"/>'
        f"</w:docPartObj></w:sdtPr><w:sdtContent>{runs('Saksnummer 24/118')}</w:sdtContent>"
        "</w:sdt>"
    )
    contents = parse_xml(
        f'<w:sdt xmlns:w="{W}"><w:sdtPr><w:docPartObj>'
        '<w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr><w:sdtContent>'
        f"{runs('Innhold')}{runs('1 Skoleplan 2')}{runs('2 Økonomi 3')}</w:sdtContent></w:sdt>"
    )
    document = docx.Document()
    body = document.element.body
    body.insert(0, contents)
    body.insert(0, cover)
    document.add_heading("Skoleplan", 1)
    body.insert(len(body) - 1, anchored)  # before the section properties that close the body
    document.add_paragraph("Planen gjelder fra 2026.")
    document.save(str(path))
    return path


def test_docx_content_controls_and_fact_boxes_are_read(tmp_path: Path) -> None:
    doc = parse_docx(_boxed_docx(tmp_path / "skoleplan.docx"))
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("body", "Saksnummer 24/118"),  # a cover page's field is text like any other
        ("toc", "Innhold"),
        ("toc", "1 Skoleplan 2"),
        ("toc", "2 Økonomi 3"),
        ("heading", "Skoleplan"),
        ("body", "Kommunen har lagt fram en ny skoleplan."),
        # the fact box once, after the paragraph it is anchored in, as a box of its own
        ("box", "Fakta: Fjordvik har 4 200 innbyggere og fem skoler."),
        ("body", "Planen gjelder fra 2026."),
    ]


def test_a_fact_box_libreoffice_wrote_is_read_once() -> None:
    # made by LibreOffice Writer 7.4 (soffice --convert-to docx) from a web page with a floated
    # box: a real drawing with its fallback copy, as Word files carry text boxes
    doc = parse_docx(Path(__file__).parent / "fixtures" / "faktaboks-libreoffice.docx")
    boxes = [p.text for p in doc.paragraphs if p.kind == "box"]
    assert boxes == ["Fakta: Fjordvik har 4 200 innbyggere og fem skoler."]
    assert not any("Fakta" in p.text for p in doc.paragraphs if p.kind == "body")


CONTENTS_PAGE = """<html><body><main><h1>Fjordvik skoleplan</h1>
<h2>Innhold</h2>
<ol><li><a href="#k1">1 Innledning</a><ol><li><a href="#k11">1.1 Bakgrunn</a></li></ol></li>
<li><a href="#k2">2 Tiltak</a></li><li><a href="#k3">3 Økonomi</a></li></ol>
<h2 id="k1">1 Innledning</h2><p>Kommunen legger fram en plan for skolene.</p>
<ul><li><a href="#k2">Kapittel 2</a> handler om nye skolebygg.</li><li>Skoler</li>
<li>Barnehager</li></ul>
<h2 id="k2">2 Tiltak</h2><ul><li><a href="#a">Flere lærere</a></li><li>Nye bygg</li>
<li>Mer digitalisering</li></ul></main></body></html>
"""


def test_a_web_pages_own_contents_list_is_marked_as_contents(tmp_path: Path) -> None:
    page = tmp_path / "skoleplan.html"
    page.write_text(CONTENTS_PAGE, encoding="utf-8")
    doc = parse_html(page)
    # every entry only a link to a place on the page: a table of contents, kept aside
    assert [p.text for p in doc.paragraphs if p.kind == "toc"] == [
        "1 Innledning",
        "1.1 Bakgrunn",
        "2 Tiltak",
        "3 Økonomi",
    ]
    # lists whose entries say more than a link are running text
    assert [p.text for p in doc.paragraphs if p.kind == "list"] == [
        "Kapittel 2 handler om nye skolebygg.",
        "Skoler",
        "Barnehager",
        "Flere lærere",
        "Nye bygg",
        "Mer digitalisering",
    ]


def test_word_files_and_web_pages_say_who_published_them_and_when(tmp_path: Path) -> None:
    import datetime

    import docx

    document = docx.Document()
    document.core_properties.author = "Fjordvik kommune"
    document.core_properties.created = datetime.datetime(2019, 5, 2)  # the template's date
    document.add_paragraph("Skolebruksplan for Fjordvik")
    document.add_paragraph("Mars 2024")  # the year the cover prints wins
    document.add_heading("Innledning", 1)
    document.add_paragraph("Planen gjelder skolene i kommunen fra 2025 til 2035.")
    document.save(str(tmp_path / "plan.docx"))
    plan = parse_docx(tmp_path / "plan.docx")
    assert (plan.publisher, plan.year) == ("Fjordvik kommune", 2024)

    document.core_properties.author = "Microsoft Office-bruker"  # Office's placeholder
    document.paragraphs[1].text = "Utkast"
    document.save(str(tmp_path / "utkast.docx"))
    draft = parse_docx(tmp_path / "utkast.docx")
    assert (draft.publisher, draft.year) == (None, 2019)

    page = tmp_path / "melding.html"
    page.write_text(
        '<html><head><meta name="DC.publisher" content="Kunnskapsdepartementet">'
        '<meta property="article:published_time" content="2023-11-17T09:00:00+01:00">'
        '<meta property="og:site_name" content="Regjeringen.no"></head>'
        "<body><main><h1>Skolemelding</h1><p>Meldingen handler om skolen.</p></main></body>"
        "</html>",
        encoding="utf-8",
    )
    web = parse_html(page)
    assert (web.publisher, web.year) == ("Kunnskapsdepartementet", 2023)


BOXED_PAGE = """<html><body><aside class="site-menu"><p>Dette er nettstedets meny med mange
ord, utenfor hovedteksten.</p></aside>
<main><h1>Skoleplan</h1><p>Kommunen legger fram en plan for skolene.</p>
<aside class="faktaboks"><h3>Fakta om Fjord<b>vik</b></h3><div><p>Fjordvik har 4 200
innbyggere og fem skoler med til sammen 510 elever.</p></div></aside>
<div class="info-box"><p>Elevtallet har falt med 15 prosent siden 2015 i hele kommunen.</p></div>
<aside class="related"><ul><li><a href="/a">Les også: statsbudsjettet for 2024</a></li>
<li><a href="/b">Skolebruksplan for kommunen</a></li></ul></aside>
<h2>Tiltak</h2><p>Nordbukta skole legges ned.</p></main></body></html>
"""


def test_a_web_pages_fact_boxes_are_kept_as_boxes(tmp_path: Path) -> None:
    page = tmp_path / "skoleplan.html"
    page.write_text(BOXED_PAGE, encoding="utf-8")
    doc = parse_html(page)
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("heading", "Skoleplan"),
        ("body", "Kommunen legger fram en plan for skolene."),
        # an aside in the main text and a block named a box: text, kept as boxes, their
        # titles no section headings
        ("box", "Fakta om Fjordvik"),
        ("box", "Fjordvik har 4 200 innbyggere og fem skoler med til sammen 510 elever."),
        ("box", "Elevtallet har falt med 15 prosent siden 2015 i hele kommunen."),
        # the site's menu and a box of links are not the page's text
        ("heading", "Tiltak"),
        ("body", "Nordbukta skole legges ned."),
    ]


def test_docx_notes_called_in_a_table_are_counted_and_given(tmp_path: Path) -> None:
    notes = {"7": "Vedtak 45/2021.", "3": "Årsrapport 2023.", "5": "Byggeprogram 2024."}
    doc = parse_docx(_noted_docx(tmp_path / "tilsyn.docx", notes, table=True))
    (table,) = [p.text for p in doc.paragraphs if p.kind == "table"]
    assert table == "Tiltak | Areal\nNytt sykehjem | 4 500 m²"  # no mark left in the cell
    # Word counts the table's note as the third; the note under the table
    assert [p.text for p in doc.paragraphs if p.kind == "footnote"] == [
        "1 Vedtak 45/2021.",
        "2 Årsrapport 2023.",
        "3 Byggeprogram 2024.",
    ]
    (later,) = [p for p in doc.paragraphs if p.text.startswith("Tiltaket")]
    assert [n.label for n in later.notes] == ["4"]  # not "3": the table's call counts


NOTED_PAGE = """<!doctype html><html><head><title>Melding</title></head><body>
<nav><a href="/">Forsiden</a></nav>
<main><h1>Helse i hele landet</h1>
<p>Regjeringen la fram meldingen i 2023<sup><a href="#fn1" id="ref1">1</a></sup>, og tomten
er 400 m<sup>2</sup> stor.</p>
<h2>Samarbeid<sup>4</sup></h2>
<p>Kommunene skal samarbeide om tjenestene<a href="#fn2" class="ref"><sup>[2]</sup></a>. Det
gjelder fra 1<sup>st</sup> januar<sup>3</sup>.</p>
<section class="notes"><ol>
<li id="fn1">Meld. St. 9 (2023–2024) Nasjonal helse- og samhandlingsplan. <a href="#ref1">↩</a></li>
</ol></section>
</main>
<footer><ol class="notes"><li id="fn2"><p>Kommuneloven § 17-1.</p></li></ol></footer>
</body></html>
"""


def test_html_footnote_marks_leave_the_words_and_link_to_their_notes(tmp_path: Path) -> None:
    page = tmp_path / "melding.html"
    page.write_text(NOTED_PAGE, encoding="utf-8")
    doc = parse_html(page)
    body = {p.text: p for p in doc.paragraphs if p.kind == "body"}
    # the year stays a year ("i 20231" before), a power stays a power, an ordinal its letters
    first = body["Regjeringen la fram meldingen i 2023, og tomten er 400 m² stor."]
    second = body["Kommunene skal samarbeide om tjenestene. Det gjelder fra 1st januar."]
    assert [(first.text[: n.offset][-6:], n.label, n.note, n.note_page) for n in first.notes] == [
        ("i 2023", "1", "Meld. St. 9 (2023–2024) Nasjonal helse- og samhandlingsplan.", 2)
    ]
    # the note in the main text is a footnote (out of the running text), without its back link
    assert [p.text for p in doc.paragraphs if p.kind == "heading"][1] == "Samarbeid"
    notes = [(p.page, p.text) for p in doc.paragraphs if p.kind == "footnote"]
    assert notes == [(2, "1 Meld. St. 9 (2023–2024) Nasjonal helse- og samhandlingsplan.")]
    # a bracketed mark links like any other, its note taken from the page's footer; a mark
    # without a link is kept with no note
    assert [(second.text[: n.offset][-10:], n.label, n.note) for n in second.notes] == [
        ("tjenestene", "2", "Kommuneloven § 17-1."),
        ("1st januar", "3", ""),
    ]
    # the footer's notes are not running text: the one in the main text would be a footnote
    assert not [p for p in doc.paragraphs if "Kommuneloven" in p.text]


def test_a_line_break_in_word_or_a_web_page_ends_a_word(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph("Tiltakene gjelder for første")
    paragraph.add_run().add_break()
    paragraph.add_run("halvår i øvrige kommuner.")
    document.save(str(tmp_path / "brudd.docx"))
    (para,) = parse_docx(tmp_path / "brudd.docx").paragraphs
    assert para.text == "Tiltakene gjelder for første halvår i øvrige kommuner."
    page = tmp_path / "brudd.html"
    page.write_text("<main><p>Tiltakene gjelder for første\nhalvår i øvrige kommuner.</p></main>")
    (para,) = parse_html(page).paragraphs
    assert para.text == "Tiltakene gjelder for første halvår i øvrige kommuner."


def test_docx_headings_give_sections_and_pages(tmp_path: Path) -> None:
    doc = parse_docx(_docx(tmp_path / "strategi.docx"))
    assert doc.format == "docx" and doc.title == "Strategi for digital samhandling"
    by_text = {p.text: p for p in doc.paragraphs}
    goal = by_text["Alle fastleger skal bruke pasientens journaldokumenter."]
    assert goal.section_path == ("Strategi for digital samhandling", "Mål for 2026")
    assert goal.page == 2 and doc.page_count == 3
    assert by_text["Felles kjernejournal for alle"].kind == "list"
    table = next(p for p in doc.paragraphs if p.kind == "table")
    # a cell merged down both rows reads in each; empty cells leave no " |  | "
    assert table.text == "Tiltak | Ansvar | Frist 2026\nMeldingsløftet | Helseetaten | Frist 2026"
    privacy = by_text["Tilgang gis bare til helsepersonell som yter helsehjelp."]
    assert privacy.section_path == ("Strategi for digital samhandling", "Personvern")


def test_html_keeps_main_text_and_drops_boilerplate(tmp_path: Path) -> None:
    page = tmp_path / "skipsfart.html"
    page.write_text(HTML, encoding="utf-8")
    doc = parse_html(page)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.title == "Handlingsplan for grønn skipsfart"
    for boilerplate in (
        "skriptet",
        "tracking",
        "Departementene",
        "Forsiden",
        "Del på Facebook",
        "Personvern",
        "Les også",
        "color",
    ):
        assert boilerplate not in text
    assert "halvere utslippene fra innenriks sjøfart" in text
    ferries = next(p for p in doc.paragraphs if p.text.startswith("Alle nye riksvegferjer"))
    assert ferries.section_path == ("Handlingsplan for grønn skipsfart", "Tiltak for ferjer")
    assert "null - eller" not in ferries.text
    items = [p.text for p in doc.paragraphs if p.kind == "list"]
    assert items == [
        "Krav i anbud for fylkeskommunale ferjesamband",
        "Støtte til ladeinfrastruktur i havnene",
    ]
    table = next(p for p in doc.paragraphs if p.kind == "table")
    assert table.text == "Samband | År\nBastø–Moss | 2024"
    assert [p.page for p in doc.paragraphs if p.kind == "heading"] == [1, 2, 3]


def test_a_broken_docx_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "skadet.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ParseError, match=r"^not a readable Word document"):
        parse_docx(bad)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "an old Word 97–2003 file"),
        (b"Dette er bare tekst.", "not a zip package"),
        (None, "a zip package with no Word document in it"),
    ],
)
def test_a_file_that_is_no_docx_says_what_it_is_instead(
    tmp_path: Path, content: bytes | None, reason: str
) -> None:
    bad = tmp_path / "notat.docx"
    if content is None:
        with zipfile.ZipFile(bad, "w") as package:
            package.writestr("notat.txt", "Bare tekst i en zip.")
    else:
        bad.write_bytes(content)
    with pytest.raises(ParseError) as caught:
        parse_docx(bad)
    message = str(caught.value)
    assert message.startswith(f"not a readable Word document: {reason}")
    assert str(tmp_path) not in message  # the caller names the file once


@pytest.mark.slow
def test_docx_and_html_are_ingested_searched_and_cited(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    _docx(folder / "strategi.docx")
    (folder / "skipsfart.htm").write_text(HTML, encoding="utf-8")
    index = tmp_path / "index"
    report = ingest_paths([folder], index)
    assert {r.path.name: r.status for r in report.results} == {
        "strategi.docx": "added",
        "skipsfart.htm": "added",
    }
    found = runner.invoke(
        app, ["search", "servicefartøy i havbruk på batteri", "--index", str(index), "--json"]
    )
    top = json.loads(found.stdout)["results"][0]
    assert top["doc_id"] == "skipsfart" and top["page"] == 3
    shown = runner.invoke(app, ["show", "strategi", "--index", str(index), "--format", "json"])
    pages = json.loads(shown.stdout)["pages"]
    assert [p["page"] for p in pages] == [1, 2, 3]
    assert all(p["layout"] == "full" for p in pages)


def test_a_word_file_is_cited_by_its_section_not_a_page(tmp_path: Path) -> None:
    # a Word file has no pages the tool can know: "p. 3" would send a reader to the wrong page
    _numbered_docx(tmp_path / "skoler.docx")
    index = tmp_path / "index"
    assert not ingest_paths([tmp_path / "skoler.docx"], index).failed
    answer = answer_question(index, "Hvor mye har elevtallet i Fjordvik falt siden 2015?")
    first = answer.citations[0]
    assert first.quote == "Elevtallet i Fjordvik har falt med 15 prosent siden 2015."
    assert first.paged is False and first.as_dict()["paged"] is False
    assert first.unit == "part" and first.as_dict()["unit"] == "part"
    assert first.label() == "[1 Innledning, §1.1 Bakgrunn]"  # the file has no title
    found = runner.invoke(app, ["search", "elevtallet", "--index", str(index), "--json"])
    hit = json.loads(found.stdout)["results"][0]
    assert hit["paged"] is False and hit["unit"] == "part"
    listed = runner.invoke(app, ["docs", "--index", str(index), "--json"])
    assert [d["format"] for d in json.loads(listed.stdout)] == ["docx"]


def test_actor_examples_from_a_word_file_cite_its_section(tmp_path: Path) -> None:
    _numbered_docx(tmp_path / "skoler.docx")
    index = tmp_path / "index"
    assert not ingest_paths([tmp_path / "skoler.docx"], index).failed
    listed = runner.invoke(app, ["actors", "--index", str(index), "--format", "json"])
    examples = [a["example"] for a in json.loads(listed.stdout) if a["example"]]
    assert examples and all(e["paged"] is False and e["unit"] == "part" for e in examples)
    assert not any(", p. " in e["citation"] for e in examples)
