"""PowerPoint decks (.pptx): a slide is a page, its title the section; made with python-pptx."""

from __future__ import annotations

import copy
import io
import json
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree
from officetools import ingest_without_office, old_office_file, saved_by_libreoffice
from pdfdocs import DEJAVU, chapters_pdf
from pictures import (
    dark_photo,
    needs_tesseract,
    png,
    read_back,
    shapes_picture,
    text_picture,
    words,
)
from PIL import Image, ImageDraw, ImageFont
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.util import Emu, Inches
from starlette.testclient import TestClient
from typer.testing import CliRunner

from policyminer.answer.answer import answer_question
from policyminer.cli import app
from policyminer.ingest import ingest_paths, parse_file
from policyminer.parse.converted import CONVERTERS, office_reads, parse_converted
from policyminer.parse.ocr import ocr_languages
from policyminer.parse.pdf import ParseError
from policyminer.parse.slides import PPTX_SUFFIXES, parse_pptx, section_title
from policyminer.records import SLIDE_FORMATS, ParseOptions, page_unit
from policyminer.store.catalog import Catalog
from policyminer.web import i18n
from policyminer.web.app import create_app

DECK_TITLE = "Klimaplan for Nordvika 2026–2030"
NOTE = "Kommunedirektøren anslo at elektrifiseringen av bilparken koster 12 millioner kroner."
FOOTER = "Nordvika kommune | Klima og miljø"
CAPTION = "Bildet viser solcellene på taket av Nordvika skole."
TITLE, TITLE_AND_CONTENT, TITLE_ONLY, BLANK, PICTURE_WITH_CAPTION = 0, 1, 5, 6, 8
DECK_QUESTION = "Hva koster elektrifiseringen av bilparken?"
PDF_TITLE = "Skoleplan for Fjordvik"
PDF_QUESTION = "Hvor mange elever får Nordbukta skole plass til?"

runner = CliRunner()


def flat(text: str) -> str:
    return " ".join(text.split())


def _text_box(slide, left: float, top: float, text: str, bullet: bool = False):
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(4), Inches(1))
    box.text_frame.text = text
    if bullet:  # a bullet set on the paragraph itself, as a text box has it
        properties = box.text_frame.paragraphs[0]._p.get_or_add_pPr()
        bullet_char = properties.makeelement(
            "{http://schemas.openxmlformats.org/drawingml/2006/main}buChar", {"char": "•"}
        )
        properties.append(bullet_char)
    return box


def _smartart(slide, texts: list[str]) -> None:
    """A SmartArt graphic's frame and data part, holding one node per text (what PowerPoint
    writes; python-pptx cannot make one)."""
    dgm = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    points = "".join(
        f'<dgm:pt modelId="{{{n}}}"><dgm:prSet/><dgm:spPr/><dgm:t><a:bodyPr/>'
        f"<a:p><a:r><a:t>{text}</a:t></a:r></a:p></dgm:t></dgm:pt>"
        for n, text in enumerate(texts, 1)
    )
    xml = (
        f'<dgm:dataModel xmlns:dgm="{dgm}" xmlns:a="{a}"><dgm:ptLst>'
        f'<dgm:pt modelId="{{0}}" type="doc"><dgm:prSet/><dgm:spPr/></dgm:pt>{points}'
        "</dgm:ptLst></dgm:dataModel>"
    )
    part = Part(
        PackURI("/ppt/diagrams/data1.xml"),
        "application/vnd.openxmlformats-officedocument.drawingml.diagramData+xml",
        slide.part.package,
        xml.encode(),
    )
    rel = slide.part.relate_to(part, RT.DIAGRAM_DATA)
    frame = slide.shapes.add_table(1, 1, Inches(1), Inches(2), Inches(6), Inches(3))._element
    data = frame.find(f".//{{{a}}}graphicData")
    data.set("uri", dgm)
    for child in list(data):
        data.remove(child)
    ids = data.makeelement(
        f"{{{dgm}}}relIds",
        {
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}dm": rel,
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}lo": "",
        },
    )
    data.append(ids)


def _sections(deck, sections: dict[str, range]) -> None:
    """PowerPoint sections over the slides (by position), as PowerPoint 2010 and later write
    them: an extension of the presentation's XML."""
    p = "http://schemas.openxmlformats.org/presentationml/2006/main"
    p14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"
    ids = [slide.slide_id for slide in deck.slides]
    entries = "".join(
        f'<p14:section name="{name}" id="{{{n:08d}-0000-0000-0000-000000000000}}"><p14:sldIdLst>'
        + "".join(f'<p14:sldId id="{ids[i]}"/>' for i in positions)
        + "</p14:sldIdLst></p14:section>"
        for n, (name, positions) in enumerate(sections.items(), 1)
    )
    extension = etree.fromstring(
        f'<p:extLst xmlns:p="{p}"><p:ext uri="{{521415D9-36F7-43E2-AB2F-B90AF26B5E84}}">'
        f'<p14:sectionLst xmlns:p14="{p14}">{entries}</p14:sectionLst></p:ext></p:extLst>'
    )
    deck.part._element.append(extension)


def make_deck(path: Path) -> Path:
    """Seven slides in two PowerPoint sections: a title slide, bullets with speaker notes, two
    columns typed right one first, a table, an untitled slide with a caption, a group and a
    SmartArt process; a footer line typed on every slide."""
    deck = Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[TITLE])
    first.shapes.title.text = DECK_TITLE
    first.placeholders[1].text = "Kommunestyret 12. mars 2026"

    goals = deck.slides.add_slide(deck.slide_layouts[TITLE_AND_CONTENT])
    goals.shapes.title.text = "Mål for perioden"
    body = goals.placeholders[1].text_frame
    body.text = "Kutte klimagassutslippene med 55 prosent innen 2030"
    item = body.add_paragraph()
    item.text = "Elektrifisere hele kommunens bilpark"
    deeper = body.add_paragraph()
    deeper.text = "Først hjemmetjenestens biler"
    deeper.level = 1
    goals.notes_slide.notes_text_frame.text = NOTE

    columns = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    columns.shapes.title.text = "To spor"
    _text_box(columns, 5.2, 2.1, "Høyre spor: Kommunen kjøper fornybar energi.")  # typed first
    _text_box(columns, 0.5, 2.0, "Venstre spor: Kommunen bygger solcelleanlegg på skolene.")

    table_slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    table_slide.shapes.title.text = "Kostnader"
    shape = table_slide.shapes.add_table(3, 2, Inches(1), Inches(2), Inches(6), Inches(2))
    for r, row in enumerate([["Tiltak", "Kostnad"], ["Solceller", "8 mill. kr"],
                             ["Elbiler", "12 mill. kr"]]):  # fmt: skip
        for c, text in enumerate(row):
            shape.table.cell(r, c).text = text

    picture = deck.slides.add_slide(deck.slide_layouts[BLANK])  # a picture and its caption
    _text_box(picture, 1.0, 6.0, CAPTION)

    grouped = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    grouped.shapes.title.text = "Samarbeid"
    group = grouped.shapes.add_group_shape()
    box = group.shapes.add_textbox(Inches(1), Inches(2), Inches(4), Inches(1))
    box.text_frame.text = "Nordvika kommune samarbeider med Kystfylket om ladepunkter."

    process = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    process.shapes.title.text = "Prosess"
    _smartart(process, ["Kartlegge utslipp", "Vedta tiltak", "Rapportere årlig"])

    for slide in deck.slides:
        _text_box(slide, 0.3, 7.0, FOOTER)
    _sections(deck, {"Innledning": range(0, 2), "Tiltak": range(2, 7)})
    deck.core_properties.title = "PowerPoint Presentation"  # the template's own
    deck.core_properties.author = "Nordvika kommune"
    deck.core_properties.created = datetime(2026, 2, 20)
    deck.save(str(path))
    return path


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_deck(tmp_path_factory.mktemp("deck") / "klimaplan.pptx")


def test_a_slide_is_a_page_titled_by_its_slide_title(deck: Path) -> None:
    doc = parse_pptx(deck)
    assert doc.format == "pptx" and doc.page_count == 7
    assert doc.title == DECK_TITLE  # the first slide's title, not the template's
    assert doc.publisher == "Nordvika kommune" and doc.year == 2026
    headings = [(p.page, p.text) for p in doc.paragraphs if p.kind == "heading"]
    assert headings == [
        (1, DECK_TITLE), (2, "Mål for perioden"), (3, "To spor"), (4, "Kostnader"),
        (6, "Samarbeid"), (7, "Prosess"),
    ]  # fmt: skip
    goal = next(p for p in doc.paragraphs if p.text.startswith("Kutte"))
    assert goal.page == 2 and goal.section == "Mål for perioden" and goal.kind == "list"
    assert goal.section_path == ("Innledning", "Mål for perioden")  # its PowerPoint section
    # an untitled slide goes on under the title before it
    caption = next(p for p in doc.paragraphs if p.text == CAPTION)
    assert caption.page == 5 and caption.section_path == ("Tiltak", "Kostnader")


def test_bullets_columns_tables_groups_and_smartart_read_in_order(deck: Path) -> None:
    doc = parse_pptx(deck)
    on = {n: [(p.kind, p.text) for p in doc.paragraphs if p.page == n] for n in range(1, 8)}
    assert on[1] == [("heading", DECK_TITLE), ("body", "Kommunestyret 12. mars 2026")]
    assert [k for k, t in on[2] if t.startswith(("Kutte", "Elektrifisere", "Først"))] == [
        "list", "list", "list"
    ]  # fmt: skip
    texts = [t for _, t in on[3]]
    assert texts.index("Venstre spor: Kommunen bygger solcelleanlegg på skolene.") < texts.index(
        "Høyre spor: Kommunen kjøper fornybar energi."
    )  # left before right, whatever order they were typed in
    assert ("table", "Tiltak | Kostnad\nSolceller | 8 mill. kr\nElbiler | 12 mill. kr") in on[4]
    assert on[5] == [("body", CAPTION)]  # an untitled slide keeps its number
    assert ("body", "Nordvika kommune samarbeider med Kystfylket om ladepunkter.") in on[6]
    assert [t for k, t in on[7] if k == "list"] == [
        "Kartlegge utslipp", "Vedta tiltak", "Rapportere årlig"
    ]  # fmt: skip


def test_speaker_notes_are_a_box_on_their_slide_and_a_repeated_footer_is_left_out(
    deck: Path,
) -> None:
    doc = parse_pptx(deck)
    note = next(p for p in doc.paragraphs if p.text == NOTE)
    assert note.kind == "box" and note.page == 2 and note.section == "Mål for perioden"
    assert not any(FOOTER in p.text for p in doc.paragraphs)


@pytest.fixture(scope="module")
def deck_index(deck: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    index = tmp_path_factory.mktemp("deck-index") / "index"
    report = ingest_paths([deck.parent], index)
    assert [r.status for r in report.results] == ["added"] and not report.skipped
    return index


def test_a_deck_is_ingested_and_answers_cite_the_slide(deck_index: Path) -> None:
    index = deck_index
    with Catalog(index) as catalog:
        (doc,) = catalog.documents()
    assert doc.title == DECK_TITLE
    answer = answer_question(index, "Hva koster elektrifiseringen av bilparken?", docs=[doc.id])
    assert not answer.abstained
    citation = answer.citations[0]
    assert citation.quote == NOTE and citation.page == 2 and citation.paged is True
    assert citation.unit == "slide" and citation.label().startswith(f"[{DECK_TITLE}, slide 2,")
    cited = json.loads(json.dumps(answer.to_dict()))["citations"][0]
    assert cited["page"] == 2 and cited["paged"] is True and cited["unit"] == "slide"


def test_every_deck_format_is_cited_by_slide() -> None:
    # a deck read directly or through LibreOffice: a format left out would be cited "p. N"
    converted = {s for c in CONVERTERS if c.target == "pptx" for s in c.suffixes}
    assert {s.lstrip(".") for s in PPTX_SUFFIXES | converted} == SLIDE_FORMATS
    assert [page_unit(f) for f in ("pptx", "odp", "pdf", "txt", "docx", "xlsx")] == [
        "slide", "slide", "page", "page", "part", "part"
    ]  # fmt: skip


@pytest.fixture(scope="module")
def mixed_index(deck: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The deck beside a PDF report, ingested into one index."""
    folder = tmp_path_factory.mktemp("deck-and-pdf")
    shutil.copy(deck, folder / deck.name)
    chapters_pdf(folder / "skoleplan.pdf", PDF_TITLE, "Vedtatt 2024", [
        ("Skolebygg", "Nordbukta skole får nytt bygg med plass til 240 elever i 2027."),
        ("Skoleskyss", "Kommunen gir gratis skoleskyss til elever som bor langt fra skolen."),
    ])  # fmt: skip
    index = folder / "index"
    report = ingest_paths([folder], index)
    assert [r.status for r in report.results] == ["added", "added"]
    return index


def test_ask_cites_a_decks_slide_and_a_pdfs_page(mixed_index: Path) -> None:
    for question, doc, cited, unit in [
        (DECK_QUESTION, "klimaplan", f"[{DECK_TITLE}, slide 2, §Mål for perioden]", "slide"),
        (PDF_QUESTION, "skoleplan", f"[{PDF_TITLE}, p. 2, §1 Skolebygg]", "page"),
    ]:
        args = ["ask", question, "--doc", doc, "--index", str(mixed_index)]
        said = runner.invoke(app, args)
        assert said.exit_code == 0, said.output
        assert cited in flat(said.stdout)
        first = json.loads(runner.invoke(app, [*args, "--json"]).stdout)["citations"][0]
        assert (first["page"], first["paged"], first["unit"]) == (2, True, unit)
    deck_said = runner.invoke(app, ["ask", DECK_QUESTION, "--index", str(mixed_index)])
    assert "p. 2" not in deck_said.stdout  # a slide is never passed off as a page


def test_search_hits_carry_the_unit_of_their_document(mixed_index: Path) -> None:
    args = ["search", "elektrifisere bilparken", "--index", str(mixed_index), "-k", "1"]
    found = runner.invoke(app, [*args, "--doc", "klimaplan", "--json"])
    (hit,) = json.loads(found.stdout)["results"]
    assert (hit["page"], hit["paged"], hit["unit"]) == (2, True, "slide")
    shown = flat(runner.invoke(app, [*args, "--doc", "klimaplan"]).stdout)
    assert f"{DECK_TITLE} slide 2 § Mål for perioden" in shown and "p. 2" not in shown
    found = runner.invoke(app, [*args, "--doc", "skoleplan", "--json"])
    assert json.loads(found.stdout)["results"][0]["unit"] == "page"


def test_actor_examples_from_a_deck_cite_the_slide(mixed_index: Path) -> None:
    listed = runner.invoke(app, ["actors", "--index", str(mixed_index), "--format", "json"])
    examples = [a["example"] for a in json.loads(listed.stdout) if a["example"]]
    from_deck = [e for e in examples if e["doc_id"] == "klimaplan"]
    assert from_deck and all(e["unit"] == "slide" and e["paged"] is True for e in from_deck)
    assert all(f", slide {e['page']}" in e["citation"] for e in from_deck)
    assert all(e["unit"] == "page" for e in examples if e["doc_id"] == "skoleplan")


def test_show_heads_a_decks_parts_by_slide(deck_index: Path) -> None:
    shown = runner.invoke(app, ["show", "klimaplan", "--index", str(deck_index)])
    assert shown.exit_code == 0, shown.output
    assert "--- slide 2 ---" in shown.stdout and "--- page" not in shown.stdout


def test_a_broken_or_old_deck_is_one_clear_error(tmp_path: Path) -> None:
    old = old_office_file(tmp_path / "gammel.pptx")  # PowerPoint 97-2003 under a new name
    with pytest.raises(ParseError, match=r"old PowerPoint 97–2003 file .*save it as \.pptx"):
        parse_pptx(old)
    empty = tmp_path / "bilder.pptx"
    deck = Presentation()
    deck.slides.add_slide(deck.slide_layouts[BLANK])
    deck.save(str(empty))
    with pytest.raises(ParseError, match="no text found in the slides"):
        parse_pptx(empty)


def test_decks_no_reader_here_takes_are_skipped_with_a_hint_to_save_them_as_pptx(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "saker"
    folder.mkdir()
    (folder / "innspill.key").write_bytes(b"PK\x03\x04" + bytes(600))  # Keynote
    report = ingest_paths([folder], tmp_path / "index")
    assert report.skipped_summary() == (
        "skipped 1 file: .key 1 (save .key files as .pptx or PDF to add them)"
    )
    (folder / "brev.wpd").write_bytes(b"\xffWPC" + bytes(500))  # WordPerfect beside it
    summary = ingest_paths([folder], tmp_path / "index").skipped_summary()
    assert summary.endswith(
        "(save .wpd files as .docx or PDF, .key files as .pptx or PDF to add them)"
    )


def test_without_libreoffice_old_decks_are_skipped_with_a_hint(tmp_path: Path) -> None:
    folder = tmp_path / "saker"
    folder.mkdir()
    old_office_file(folder / "gammel.ppt")
    _, said = ingest_without_office(folder, tmp_path / "index")
    assert "skipped 1 file: .ppt 1 (install LibreOffice, or save .ppt files as .pptx or PDF" in said


@pytest.mark.skipif(not office_reads(".odp"), reason="LibreOffice Impress is not installed")
@pytest.mark.parametrize("suffix", [".odp", ".ppt"])
def test_a_deck_saved_by_libreoffice_reads_as_the_deck_it_was_saved_from(
    deck: Path, suffix: str, tmp_path: Path
) -> None:
    saved = saved_by_libreoffice(deck, suffix, tmp_path)
    doc = parse_converted(saved)
    assert doc.path == saved and doc.format == suffix.lstrip(".") and doc.page_count == 7
    assert doc.title == DECK_TITLE
    original = parse_pptx(deck)
    headings = [(p.page, p.text) for p in original.paragraphs if p.kind == "heading"]
    assert [(p.page, p.text) for p in doc.paragraphs if p.kind == "heading"] == headings
    note = next(p for p in doc.paragraphs if p.text == NOTE)
    assert note.kind == "box" and note.page == 2
    goals = [p.text for p in doc.paragraphs if p.page == 2 and p.kind == "list"]
    assert goals[:2] == [
        "Kutte klimagassutslippene med 55 prosent innen 2030",
        "Elektrifisere hele kommunens bilpark",
    ]
    assert not any(FOOTER in p.text for p in doc.paragraphs)


def test_a_placeholder_that_repeats_the_masters_footer_is_left_out(tmp_path: Path) -> None:
    deck = Presentation()
    layout = deck.slide_layouts[TITLE_AND_CONTENT]
    slide = deck.slides.add_slide(layout)
    slide.shapes.title.text = "Budsjett"
    slide.placeholders[1].text = "Kommunen setter av 20 millioner kroner til klimatiltak."
    footer = next(p for p in layout.placeholders if p.placeholder_format.idx == 11)
    copied = copy.deepcopy(footer._element)  # the layout's footer placeholder on the slide, as
    slide.shapes._spTree.append(copied)  # PowerPoint puts it there when footers are switched on
    slide.shapes[-1].text_frame.text = "Nordvika kommune – Budsjett 2026"
    slide.shapes[-1].left, slide.shapes[-1].top = Emu(0), Inches(7)
    path = tmp_path / "budsjett.pptx"
    deck.save(str(path))
    texts = [p.text for p in parse_pptx(path).paragraphs]
    assert texts == ["Budsjett", "Kommunen setter av 20 millioner kroner til klimatiltak."]


def test_the_web_app_cites_the_slide_and_offers_the_deck_not_a_pdf(deck_index: Path) -> None:
    web = TestClient(create_app(deck_index, warm=False), base_url="http://127.0.0.1")
    page = web.get("/", params={"q": DECK_QUESTION})
    text = " ".join(page.text.split())
    t = i18n.translator("nb")
    assert f"{DECK_TITLE}, {t('ask.slide')} 2" in text  # "lysbilde 2", as PowerPoint says
    assert f"{t('ask.page')} 2" not in text
    assert t("ask.open_file") in text and t("ask.open_pdf") not in text
    found = web.get("/", params={"q": "elektrifisere bilparken", "kind": "search"}).text
    assert f"{DECK_TITLE}, {t('ask.slide')} 2" in " ".join(found.split())
    view = " ".join(web.get("/view/klimaplan/2").text.split())
    assert "Kutte klimagassutslippene med 55 prosent innen 2030" in view
    assert f"{t('view.slide')} 2 {t('view.of')} 7" in view
    # a deck turns by slide, as a report turns by page
    assert f"← {t('view.prev_slide')}" in view and f"{t('view.next_slide')} →" in view
    assert t("view.next") not in view and t("view.next_part") not in view
    # a table is shown as a table, the quoted row marked, cell by cell
    table = web.get("/view/klimaplan/4", params={"quote": "Elbiler | 12 mill. kr"}).text
    assert '<table class="cells">' in table
    assert '<td><mark class="highlight">Elbiler</mark></td>' in table
    assert "<td>Solceller</td>" in table
    assert '<h2 class="part-heading">Kostnader</h2>' in table
    # in Nynorsk too (last: the chosen language stays with the client)
    nynorsk = web.get("/", params={"q": DECK_QUESTION, "lang": "nn"}).text
    assert f"{DECK_TITLE}, lysbilete 2" in " ".join(nynorsk.split())


def test_a_damaged_slide_is_left_out_with_a_warning_and_the_rest_is_read(tmp_path: Path) -> None:
    deck = Presentation()
    for title, text in [("Bakgrunn", "Kommunen vil kutte utslippene."),
                        ("Tiltak", "Kommunen bygger ladepunkter ved rådhuset.")]:  # fmt: skip
        slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
        slide.shapes.title.text = title
        _text_box(slide, 1.0, 2.0, text)
    offset = (
        deck.slides[0]
        .shapes[1]
        ._element.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}off")
    )
    offset.set("x", "langt til venstre")  # a position no reader can take
    path = tmp_path / "skadet.pptx"
    deck.save(str(path))
    doc = parse_pptx(path)
    assert doc.page_count == 2
    assert [p.text for p in doc.paragraphs] == [
        "Tiltak",
        "Kommunen bygger ladepunkter ved rådhuset.",
    ]
    (warning,) = doc.warnings
    assert warning.startswith("slide 1: could not be read, left out (")


def test_a_charts_title_and_data_are_read_as_a_table_a_row_per_category(tmp_path: Path) -> None:
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    slide.shapes.title.text = "Utslipp"
    data = CategoryChartData()
    data.categories = ["Transport", "Bygg", "Avfall"]
    data.add_series("2020", (120.5, 80, 30))
    data.add_series("2030", (60, 40, None))
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(2), Inches(6), Inches(4), data
    )
    chart = frame.chart
    chart.has_title = True
    chart.chart_title.text_frame.text = "Utslipp per sektor, tonn CO2"
    chart.category_axis.has_title = True
    chart.category_axis.axis_title.text_frame.text = "Sektor"
    pie = CategoryChartData()
    pie.categories = ["Fornybar", "Fossil"]
    pie.add_series("Andel", (0.7, 0.3))
    slide.shapes.add_chart(XL_CHART_TYPE.PIE, Inches(7), Inches(2), Inches(3), Inches(3), pie)
    path = tmp_path / "utslipp.pptx"
    deck.save(str(path))
    read = [(p.kind, p.text) for p in parse_pptx(path).paragraphs]
    assert read == [
        ("heading", "Utslipp"),
        ("body", "Utslipp per sektor, tonn CO2"),
        ("table", "Sektor | 2020 | 2030\nTransport | 120.5 | 60\nBygg | 80 | 40\nAvfall | 30"),
        ("table", "Fornybar | Andel 0.7\nFossil | Andel 0.3"),  # no title: values named
    ]


@pytest.mark.parametrize(
    "title",
    ["Tiltak (forts.)", "Tiltak – fortsettelse", "Tiltak (fortsetjing)", "Tiltak (cont.)",
     "Tiltak, continued", "Tiltak (2/3)", "Tiltak 2 av 3", "Tiltak [forts]"],
)  # fmt: skip
def test_a_continued_slides_title_names_the_section_it_goes_on_with(title: str) -> None:
    assert section_title(title) == "Tiltak"


def test_a_title_that_only_ends_in_a_number_keeps_it() -> None:
    assert section_title("Klimaplan 2026–2030") == "Klimaplan 2026–2030"
    assert section_title("Mål 3") == "Mål 3"
    assert section_title("Discont") == "Discont"  # a word's end is no mark
    assert section_title("(forts.)") == "(forts.)"  # nothing else to name the section


OOXML = "application/vnd.openxmlformats-officedocument.presentationml"


@pytest.mark.parametrize(
    ("suffix", "main"),
    [
        (".ppsx", f"{OOXML}.slideshow.main+xml"),
        (".pptm", "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"),
    ],
)
def test_a_show_and_a_macro_enabled_deck_are_read_as_decks(
    deck: Path, suffix: str, main: str, tmp_path: Path
) -> None:
    saved = tmp_path / f"klimaplan{suffix}"
    with zipfile.ZipFile(deck) as source, zipfile.ZipFile(saved, "w") as out:
        for item in source.infolist():  # what PowerPoint's "save as show" changes: one type
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(f"{OOXML}.presentation.main+xml".encode(), main.encode())
            out.writestr(item, data)
    doc = parse_pptx(saved)
    assert doc.format == suffix.lstrip(".") and doc.title == DECK_TITLE and doc.page_count == 7
    assert next(p for p in doc.paragraphs if p.text == NOTE).page == 2


# ---------------------------------------------------------------- pictures read by OCR

LETTER = [  # a scanned letter's two sentences, shown as a picture
    "Solvika kommune åpner et nytt bibliotek på Brøholmen i 2027.",
    "Kulturutvalget vil gi gratis lånekort til alle ungdommer.",
]
SCREENSHOT = [  # a small, coarse one
    "Byggestart for biblioteket er planlagt høsten 2026.",
    "Anbudet lyses ut i januar.",
    "Innflytting skjer etter sommerferien 2027.",
]
PLAN_TITLE = "Bibliotekplan for Solvika"
INTRO = "Kulturetaten legger fram planen for kommunestyret."
SKETCH_CAPTION = "Skissen viser biblioteket sett fra torget."
ABOVE = "Tidsplanen er vedtatt av formannskapet."
BELOW = "Endringer meldes til kulturetaten."
READING_ROOM = ["Lesesalen på Brøholmen holder", "åpent hver kveld til klokken tjue."]


def _picture(slide, image: bytes, left: float, top: float, width: float) -> None:
    slide.shapes.add_picture(io.BytesIO(image), Inches(left), Inches(top), Inches(width))


def make_picture_deck(path: Path) -> Path:
    """Four slides: typed text with the letter's picture as a small logo in the corner; the
    letter's picture alone; a photo and a drawing without letters over a caption; a coarse
    screenshot, grouped, between two lines of text."""
    letter = text_picture(LETTER, 28, 1100)
    deck = Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    first.shapes.title.text = PLAN_TITLE
    _text_box(first, 1.0, 2.0, INTRO)
    _picture(first, letter, 8.3, 6.8, 1.4)  # a logo's size: under a tenth of the slide
    alone = deck.slides.add_slide(deck.slide_layouts[BLANK])
    _picture(alone, letter, 0.5, 2.0, 9.0)
    sketch = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    sketch.shapes.title.text = "Nytt bibliotek"
    _picture(sketch, shapes_picture("#6ea0d7"), 0.8, 1.8, 4.0)
    _picture(sketch, shapes_picture(), 5.2, 1.8, 4.0)
    _text_box(sketch, 1.5, 6.3, SKETCH_CAPTION)
    plan = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    plan.shapes.title.text = "Tidsplan"
    _text_box(plan, 0.5, 1.7, ABOVE)
    # 8-pixel letters shown 9 inches wide (45 dpi): Tesseract reads them only scaled up
    screenshot = io.BytesIO(text_picture(SCREENSHOT, 8, 420, transparent=True))
    plan.shapes.add_group_shape().shapes.add_picture(
        screenshot, Inches(0.5), Inches(2.8), Inches(9.0)
    )
    _text_box(plan, 0.5, 5.8, BELOW)
    deck.save(str(path))
    return path


@pytest.fixture(scope="module")
def picture_deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_picture_deck(tmp_path_factory.mktemp("picture-deck") / "bibliotek.pptx")


@pytest.fixture(scope="module")
def picture_doc(picture_deck: Path):
    return parse_pptx(picture_deck)


@needs_tesseract
def test_a_slide_that_is_a_picture_of_text_is_read_by_ocr(picture_doc) -> None:
    on = {n: [p for p in picture_doc.paragraphs if p.page == n] for n in range(1, 5)}
    assert [p.kind for p in on[2]] == ["body"]
    assert read_back(" ".join(p.text for p in on[2]), LETTER)
    assert on[2][0].section == PLAN_TITLE  # an untitled slide goes on under the one before
    assert picture_doc.page_layouts == {1: "full", 2: "ocr", 3: "full", 4: "ocr"}
    assert picture_doc.warnings == []


@needs_tesseract
def test_a_logo_sized_picture_is_not_read(picture_doc) -> None:
    # the same picture is read on slide 2, where it fills the slide
    first = [(p.kind, p.text) for p in picture_doc.paragraphs if p.page == 1]
    assert first == [("heading", PLAN_TITLE), ("body", INTRO)]


@needs_tesseract
def test_a_picture_without_text_adds_nothing(picture_doc) -> None:
    sketch = [(p.kind, p.text) for p in picture_doc.paragraphs if p.page == 3]
    assert sketch == [("heading", "Nytt bibliotek"), ("body", SKETCH_CAPTION)]


@needs_tesseract
def test_a_coarse_screenshot_is_scaled_up_and_read_where_it_stands(picture_doc) -> None:
    texts = [p.text for p in picture_doc.paragraphs if p.page == 4]
    assert len(texts) == 4 and texts[0] == "Tidsplan"
    assert texts[1] == ABOVE and texts[3] == BELOW  # the picture's text between, as it stands
    assert read_back(texts[2], SCREENSHOT)


DASHBOARD = ["Ventetid på byggesak i uke 12", "Median 31 dager, lengste sak 94 dager"]
NIGHT_CAPTION = "Havna i Brøholmen en vinterkveld."


@needs_tesseract
def test_a_screenshot_in_a_dark_theme_is_read_and_a_dark_photo_is_not(tmp_path: Path) -> None:
    deck = Presentation()
    screen = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    screen.shapes.title.text = "Saksbehandling"
    _picture(screen, text_picture(DASHBOARD, 28, 1100, dark=True), 0.5, 2.0, 9.0)
    night = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    night.shapes.title.text = "Havna"
    _picture(night, dark_photo(), 1.0, 1.6, 8.0)
    _text_box(night, 1.0, 6.6, NIGHT_CAPTION)
    deck.save(str(tmp_path / "saker.pptx"))
    doc = parse_pptx(tmp_path / "saker.pptx")
    on = {n: [p.text for p in doc.paragraphs if p.page == n] for n in (1, 2)}
    assert on[1][0] == "Saksbehandling" and read_back(" ".join(on[1][1:]), DASHBOARD)
    assert on[2] == ["Havna", NIGHT_CAPTION]
    assert doc.page_layouts == {1: "ocr", 2: "full"}


@needs_tesseract
def test_a_picture_placeholder_is_read_as_its_slide_crops_it(tmp_path: Path) -> None:
    image = Image.new("RGB", (1200, 600), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(DEJAVU), 26)
    draw.text((10, 540), "Utklipp", font=font, fill="black")  # where the 4:3 frame cuts
    for n, line in enumerate(READING_ROOM):
        draw.text((230, 240 + 45 * n), line, font=font, fill="black")
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[PICTURE_WITH_CAPTION])
    slide.shapes.title.text = "Lesesal"
    slide.placeholders[1].insert_picture(io.BytesIO(png(image)))  # cropped to fill its frame
    path = tmp_path / "lesesal.pptx"
    deck.save(str(path))
    doc = parse_pptx(path)
    heading, *read = doc.paragraphs
    assert heading.text == "Lesesal" and {p.kind for p in read} == {"body"}
    said = " ".join(p.text for p in read)
    assert read_back(said, READING_ROOM) and "utklipp" not in words(said)
    assert doc.page_layouts == {1: "ocr"}


@pytest.fixture
def without_tesseract(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """No Tesseract on the PATH, as on a machine without it."""
    ocr_languages.cache_clear()
    monkeypatch.setenv("PATH", str(tmp_path))
    yield
    ocr_languages.cache_clear()


def test_with_ocr_off_a_deck_is_read_as_before_and_says_its_pictures_were_not(
    picture_deck: Path,
) -> None:
    doc = parse_pptx(picture_deck, options=ParseOptions(ocr=False))
    assert [p.text for p in doc.paragraphs] == [
        PLAN_TITLE, INTRO, "Nytt bibliotek", SKETCH_CAPTION, "Tidsplan", ABOVE, BELOW
    ]  # fmt: skip
    assert set(doc.page_layouts.values()) == {"full"}
    assert doc.warnings == ["4 pictures on slides 2–4 not read: OCR is off"]


@pytest.mark.skipif(not office_reads(".odp"), reason="LibreOffice Impress is not installed")
def test_a_deck_libreoffice_converts_keeps_the_users_ocr_choice(
    picture_deck: Path, tmp_path: Path
) -> None:
    saved = saved_by_libreoffice(picture_deck, ".odp", tmp_path)
    doc = parse_file(saved, options=ParseOptions(ocr=False))
    assert doc.format == "odp" and set(doc.page_layouts.values()) == {"full"}
    assert len(doc.warnings) == 1 and doc.warnings[0].endswith("not read: OCR is off")


def test_without_tesseract_a_deck_is_read_as_before_and_says_why(
    picture_deck: Path, without_tesseract: None
) -> None:
    doc = parse_pptx(picture_deck)
    assert len(doc.paragraphs) == 7
    assert doc.warnings == [
        "4 pictures on slides 2–4 not read: tesseract is not installed "
        "(apt-get install tesseract-ocr-nor)"
    ]


def test_a_picture_on_most_slides_is_furniture_and_not_read(tmp_path: Path) -> None:
    banner = text_picture(["Solvika kommune – Kulturetaten"], 40, 1000)

    def deck_with_banner(on: int) -> Path:
        deck = Presentation()
        for n, title in enumerate(("Bakgrunn", "Mål", "Tiltak")):
            slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
            slide.shapes.title.text = title
            _text_box(slide, 1.0, 2.0, f"{title}: kommunen vil styrke biblioteket.")
            if n < on:  # a footer band pasted on slide after slide
                _picture(slide, banner, 0.0, 6.3, 10.0)
        path = tmp_path / f"mal-{on}.pptx"
        deck.save(str(path))
        return path

    doc = parse_pptx(deck_with_banner(3))
    assert not any("Kulturetaten" in p.text for p in doc.paragraphs)
    assert doc.warnings == [] and set(doc.page_layouts.values()) == {"full"}
    # on one slide it is a picture to read: large enough, and no furniture
    alone = parse_pptx(deck_with_banner(1), options=ParseOptions(ocr=False))
    assert alone.warnings == ["1 picture on slide 1 not read: OCR is off"]


@needs_tesseract
def test_a_deck_of_pictures_without_text_fails_saying_ocr_found_none(tmp_path: Path) -> None:
    deck = Presentation()
    _picture(deck.slides.add_slide(deck.slide_layouts[BLANK]), shapes_picture(), 1.0, 1.0, 4.0)
    path = tmp_path / "skisse.pptx"
    deck.save(str(path))
    with pytest.raises(ParseError) as read:
        parse_pptx(path)
    assert str(read.value) == "no text found in the slides, nor by OCR in 1 picture"
    with pytest.raises(ParseError) as unread:
        parse_pptx(path, options=ParseOptions(ocr=False))
    assert str(unread.value) == "no text found in the slides; 1 picture not read: OCR is off"


@pytest.fixture(scope="module")
def picture_index(picture_deck: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    index = tmp_path_factory.mktemp("picture-index") / "index"
    report = ingest_paths([picture_deck.parent], index)
    assert [r.status for r in report.results] == ["added"]
    return index


@needs_tesseract
def test_a_word_only_in_a_picture_finds_its_slide(picture_index: Path) -> None:
    args = ["search", "innflytting etter sommerferien", "--index", str(picture_index), "-k", "1"]
    found = runner.invoke(app, [*args, "--json"])
    assert found.exit_code == 0, found.output
    (hit,) = json.loads(found.stdout)["results"]
    assert hit["page"] == 4 and hit["unit"] == "slide" and "sommerferien" in hit["text"]
    with Catalog(picture_index) as catalog:
        (doc,) = catalog.documents()
        # the untitled picture slide shares a chunk with slide 1, but its text stays on slide 2
        pages = {p.page for p in catalog.paragraphs(doc.id) if "lånekort" in p.text}
    assert pages == {2}
    assert doc.ocr_pages == 2  # the slides that got text from a picture


def test_ingest_passes_the_users_ocr_choice_to_a_deck(picture_deck: Path, tmp_path: Path) -> None:
    report = ingest_paths([picture_deck], tmp_path / "index", options=ParseOptions(ocr=False))
    (result,) = report.results
    assert result.status == "added"
    assert result.warnings == ("4 pictures on slides 2–4 not read: OCR is off",)
