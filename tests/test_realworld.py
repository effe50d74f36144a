"""Real-world PDFs: one page's problem never loses the document, scans are read by OCR, and no
text makes parsing, chunking or actor extraction run away."""

from __future__ import annotations

import io
import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from messydocs import (
    PAGE_TEXTS,
    big_initials_pdf,
    borderless_table_pdf,
    broken_page_pdf,
    columns_pdf,
    contents_beside_colophon_pdf,
    fact_box_pdf,
    figures_table_pdf,
    filled_form_pdf,
    frame_ruled_table_pdf,
    grid_table_pdf,
    large_type_pdf,
    lines_pdf,
    margin_marker_pdf,
    miscoded_font_pdf,
    numbered_pages_pdf,
    outlined_text_pdf,
    paragraph_cells_table_pdf,
    pull_quote_pdf,
    rasterised_pdf,
    repeated_heading_pdf,
    risen_marker_pdf,
    runaway_pdf,
    searchable_scan_pdf,
    shaded_lines_table_pdf,
    sparse_table_pdf,
    text_pdf,
    tight_cells_table_pdf,
    titled_pdf,
)
from pdfdocs import report_pdf
from pictures import dark_photo, read_back, text_picture
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from starlette.testclient import TestClient
from typer.testing import CliRunner

from policyminer.cli import app
from policyminer.lang import function_word_share
from policyminer.parse.document import layout_document
from policyminer.parse.layout import Glyph, RawPage
from policyminer.parse.ocr import OcrPage, restore_letters
from policyminer.parse.pdf import BACKENDS, ParseError, parse_pdf
from policyminer.parse.textclean import normalize_text, words
from policyminer.parse.textfiles import parse_text
from policyminer.records import ParseOptions
from policyminer.web.app import create_app
from policyminer.web.pages import render_page

runner = CliRunner()
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract-ocr is not installed (make install)"
)
SCAN_TEXT = (
    "Kommunestyret vedtok en ny plan for vannforsyning og avløp i bygdene langs fjorden. "
    "Planen omfatter nye ledninger, et renseanlegg og bedre beredskap ved flom."
)


def _page(number: int, extra: list[Glyph] | None = None) -> RawPage:
    glyphs, x = [], 72.0
    for word in ["Denne", "siden", "har", "en", "helt", "vanlig", "linje", "med", "tekst"]:
        for char in word:
            glyphs.append(Glyph(char, x, x + 5, 100, 10))
            x += 5
        glyphs.append(Glyph(" ", x, x + 2.5, 100, 10))
        x += 2.5
    return RawPage(number, 595, 842, glyphs + (extra or []))


def test_a_page_whose_layout_fails_is_read_plain_and_the_rest_laid_out() -> None:
    # a glyph at a position no layout rule foresees (a broken text matrix gives NaN)
    broken = Glyph("x", math.nan, math.nan, math.nan, 10)
    result = layout_document([_page(1), _page(2, [broken]), _page(3)])
    assert result.layouts == {1: "full", 2: "plain", 3: "full"}
    assert "ValueError" in result.problems[2]
    on_page = {p.page: p.text for p in result.paragraphs}
    assert set(on_page) == {1, 2, 3}
    assert "helt vanlig linje med tekst" in on_page[2]


def test_a_page_no_library_can_load_is_skipped_and_the_document_kept(tmp_path: Path) -> None:
    doc = parse_pdf(broken_page_pdf(tmp_path / "skadet.pdf", PAGE_TEXTS, broken=2))
    assert doc.page_count == 3
    assert doc.page_layouts == {1: "full", 2: "skipped", 3: "full"}
    assert len(doc.warnings) == 1
    assert doc.warnings[0].startswith("page 2: text extraction failed (")
    assert doc.warnings[0].endswith("; page skipped")
    on_page = {p.page: p.text for p in doc.paragraphs}
    assert set(on_page) == {1, 3}
    assert on_page[3].startswith("Bystyret behandler planen i juni")


def test_superscript_marker_in_the_margin_does_not_lose_the_document(tmp_path: Path) -> None:
    doc = parse_pdf(margin_marker_pdf(tmp_path / "fotnote.pdf"))
    assert set(doc.page_layouts.values()) == {"full"}
    assert not doc.warnings
    text = " ".join(p.text for p in doc.paragraphs)
    assert "Fjellstuene i dalen" in text
    # the repeated footer is furniture, not body text
    assert "Temarapport om tjenester" not in text


def test_a_runaway_page_falls_back_to_plain_text_within_its_budget(tmp_path: Path) -> None:
    path = runaway_pdf(tmp_path / "treg.pdf")
    doc = parse_pdf(path, options=ParseOptions(page_budget=0.3))
    assert doc.page_layouts == {1: "full", 2: "plain", 3: "full"}
    assert doc.warnings == [
        "page 2: layout failed (PageTimeout: layout took over 0.3 s); read as plain text"
    ]
    by_page = {p.page: p.text for p in doc.paragraphs}
    for number, text in enumerate(PAGE_TEXTS, start=1):
        assert words(text) == words(by_page[number])
    # with no limit the same page is laid out in full: the fallback came from the budget
    assert parse_pdf(path, options=ParseOptions(page_budget=0)).page_layouts[2] == "full"


@needs_tesseract
def test_a_scanned_page_is_read_by_ocr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = text_pdf(tmp_path / "kilde.pdf", [SCAN_TEXT])
    scan = rasterised_pdf(tmp_path / "skannet.pdf", source)
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    doc = parse_pdf(scan)
    assert doc.page_layouts == {1: "ocr"}
    # Tesseract ran single-threaded, and this process's own thread settings are as they were
    assert "OMP_THREAD_LIMIT" not in os.environ
    found = set(words(" ".join(p.text for p in doc.paragraphs)))
    wanted = words(SCAN_TEXT)
    assert sum(w in found for w in wanted) / len(wanted) >= 0.9
    with pytest.raises(ParseError, match=r"^no text layer \(needs OCR\)$"):
        parse_pdf(scan, options=ParseOptions(ocr=False))


DARK_SLIDE = ["Ventetid for byggesaker", "Median 31 dager i andre kvartal", "Mål: under 21 dager"]


@needs_tesseract
def test_a_slide_exported_as_a_dark_picture_is_read_and_a_dark_photo_is_not(
    tmp_path: Path,
) -> None:
    # slides exported to PDF as pictures, page by page, in a dark theme: one flat dark ground
    slide = ImageReader(io.BytesIO(text_picture(DARK_SLIDE, 40, 1600, dark=True, height=900)))
    photo = ImageReader(io.BytesIO(dark_photo()))
    path = tmp_path / "lysbilder.pdf"
    pdf = canvas.Canvas(str(path), pagesize=(800, 450), invariant=1)
    for picture in (slide, photo):
        pdf.drawImage(picture, 0, 0, width=800, height=450)
        pdf.showPage()
    pdf.save()
    doc = parse_pdf(path)
    said = " ".join(p.text for p in doc.paragraphs if p.page == 1)
    assert read_back(said, DARK_SLIDE)
    assert [p for p in doc.paragraphs if p.page == 2] == []


def test_a_citation_gives_the_page_number_the_page_prints(tmp_path: Path) -> None:
    # a cover and a contents page print no number: the PDF's page 4 prints "2", and a memo
    # citing the report cites "2"
    texts = [
        "Klimaplan for Fjordvik",
        "Innhold",
        "Kommunen skal kartlegge flomveier i alle boligområder innen 2027.",
        "Fjordvik kommune vil bygge tre nye regnbed i sentrum i løpet av planperioden.",
        "Planen rulleres hvert fjerde år etter vedtak i kommunestyret.",
    ]
    folder = tmp_path / "docs"
    folder.mkdir()
    path = numbered_pages_pdf(folder / "klimaplan.pdf", texts)
    assert parse_pdf(path).printed_pages == {3: "1", 4: "2", 5: "3"}
    index = str(tmp_path / "index")
    assert runner.invoke(app, ["ingest", str(folder), "--index", index]).exit_code == 0
    question = "Hvor mange regnbed skal bygges?"
    asked = runner.invoke(app, ["ask", question, "--index", index, "--json"])
    first = json.loads(asked.stdout)["citations"][0]
    assert (first["page"], first["printed_page"]) == (4, "2")
    shown = runner.invoke(app, ["ask", question, "--index", index])
    assert "p. 4 (printed 2)" in " ".join(shown.stdout.split())
    pages = json.loads(
        runner.invoke(app, ["show", "klimaplan", "--index", index, "--format", "json"]).stdout
    )["pages"]
    assert {p["page"]: p["printed_page"] for p in pages} == {1: "", 2: "", 3: "1", 4: "2", 5: "3"}
    text = runner.invoke(app, ["show", "klimaplan", "--index", index]).stdout
    assert "--- page 2 ---" in text and "--- page 4 (printed 2) ---" in text
    found = runner.invoke(app, ["search", "regnbed", "--index", index, "--json"])
    hit = json.loads(found.stdout)["results"][0]  # a passage may open on an earlier page
    assert hit["printed_page"] == {3: "1", 4: "2", 5: "3"}.get(hit["page"], "")
    web = TestClient(create_app(Path(index), warm=False), base_url="http://127.0.0.1")
    shown = web.get("/", params={"q": question})
    assert "s. 4 (trykt side 2)" in " ".join(shown.text.split())


def test_a_filled_in_form_keeps_its_answers_and_shows_them_highlighted(tmp_path: Path) -> None:
    answer = "Bygget skal oppnå energimerke A med solceller på hele taket"
    path = filled_form_pdf(
        tmp_path / "skjema.pdf",
        "Kvalitetsprogram for energi",
        [("Tiltakshaver:", "Fjordvik eiendom AS"), ("Energimål:", answer)],
    )
    text = " ".join(p.text for p in parse_pdf(path).paragraphs)
    assert "Fjordvik eiendom AS" in text and answer in text
    # the cited page shows the field's value, and the quote is highlighted where it shows
    assert render_page(path, 1, quote=answer).boxes


@needs_tesseract
def test_text_drawn_as_outlines_is_read_by_ocr(tmp_path: Path) -> None:
    # a print file whose text was converted to shapes: no text layer, no image, yet text
    path = outlined_text_pdf(tmp_path / "omriss.pdf", PAGE_TEXTS[:2])
    doc = parse_pdf(path)
    assert doc.page_layouts == {1: "ocr", 2: "ocr"}
    for number, text in enumerate(PAGE_TEXTS[:2], start=1):
        read = set(words(" ".join(p.text for p in doc.paragraphs if p.page == number)))
        wanted = words(text)
        assert sum(w in read for w in wanted) / len(wanted) >= 0.9, number
    with pytest.raises(ParseError, match=r"^no text layer \(needs OCR\)$"):
        parse_pdf(path, options=ParseOptions(ocr=False))


@needs_tesseract
def test_a_text_layer_that_extracts_as_other_letters_is_read_by_ocr(tmp_path: Path) -> None:
    # the font prints "Kommunen" and its Unicode map says "Nrppxqhq": search would find nothing
    pages = [" ".join([text] * 3) for text in PAGE_TEXTS]
    cover = ["Klimaplan for Fjordvik", "Handlingsdel for årene 2026 til 2030", "Fjordvik kommune"]
    path = miscoded_font_pdf(tmp_path / "feilkodet.pdf", pages, cover=cover)
    layer = parse_pdf(path, options=ParseOptions(ocr=False))
    assert "Kommunen" not in " ".join(p.text for p in layer.paragraphs)
    doc = parse_pdf(path)
    # the cover is too short to judge alone: it is checked once the document's body is found
    # garbled, and its title is read by OCR too
    assert doc.page_layouts == {n: "ocr" for n in range(1, len(pages) + 2)}
    assert doc.warnings == [
        "pages 1–4: the text layer does not say what the page shows "
        "(a font without a Unicode map); read by OCR"
    ]
    assert doc.title == "Klimaplan for Fjordvik"
    for number, text in enumerate(PAGE_TEXTS, start=2):
        read = set(words(" ".join(p.text for p in doc.paragraphs if p.page == number)))
        wanted = words(text)
        assert sum(w in read for w in wanted) / len(wanted) >= 0.9, number


@needs_tesseract
def test_a_text_layer_of_letters_without_a_character_is_read_by_ocr(tmp_path: Path) -> None:
    path = miscoded_font_pdf(
        tmp_path / "uten-tegn.pdf", [" ".join([PAGE_TEXTS[1]] * 3)], unmapped=True
    )
    doc = parse_pdf(path)
    assert doc.page_layouts == {1: "ocr"}
    assert "page 1: the text layer does not say what the page shows" in doc.warnings[0]
    assert "varmepumper" in " ".join(p.text for p in doc.paragraphs)


LOST_LETTERS_TEXT = (
    "Høringsfristen for planen er satt til første mars, og kommunen ønsker innspill fra både "
    "næringslivet og innbyggerne. Søknader om tilskudd behandles fortløpende gjennom året. "
    "Områdeplanen for Nordbukta åpner for flere boliger nær sjøen, og gangveien langs stranden "
    "skal være åpen for alle. Østsiden av bukta får ny SØKNADSFRIST. Kommunen ønsker å bygge "
    "en ny kai. "
)


@needs_tesseract
def test_letters_a_font_has_no_character_for_are_read_back_by_ocr(tmp_path: Path) -> None:
    # the font's Unicode map lacks æ, ø and å: "Høringsfristen" extracts as "H�ringsfristen"
    path = miscoded_font_pdf(tmp_path / "uten-æøå.pdf", [LOST_LETTERS_TEXT * 4] * 2, only="æøåÆØÅ")
    lost = parse_pdf(path, options=ParseOptions(ocr=False))
    assert "Høringsfristen" not in lost.paragraphs[0].text  # read as "H ringsfristen"
    assert lost.warnings[0].startswith("pages 1–2: letters without a character")
    doc = parse_pdf(path)
    assert doc.page_layouts == {1: "full", 2: "full"}  # the layer stays: only its gaps are read
    (warning,) = doc.warnings
    assert re.fullmatch(
        r"pages 1–2: (\d+) letters without a character in the text layer \(a font without a "
        r"full Unicode map\); \1 read back by OCR",
        warning,
    ), warning
    text = " ".join(p.text for p in doc.paragraphs)
    # "får" is read back though OCR also read "for" there: the font maps "o", so "o" is not lost
    # and a glyph standing alone, the word "å", where OCR reads it between the same words
    for word in ("Høringsfristen", "næringslivet", "Søknader", "sjøen", "Østsiden", "får",
                 "SØKNADSFRIST", "ønsker å bygge"):  # fmt: skip
        assert text.count(word) == 8, word
    assert "\ufffd" not in text
    # the web app's page view highlights such a quote on the page as drawn
    assert render_page(path, 1, quote=LOST_LETTERS_TEXT.split(". ")[0]).boxes


@needs_tesseract
def test_letters_a_font_gives_codes_of_its_own_are_learnt_from_what_ocr_reads(
    tmp_path: Path,
) -> None:
    # each of æ, ø, å drawn with a private-use code of its own ("H\ue0f8ringsfristen")
    path = miscoded_font_pdf(
        tmp_path / "koder.pdf", [LOST_LETTERS_TEXT * 4] * 3, only="æøåÆØÅ", private=True
    )
    lost = parse_pdf(path, options=ParseOptions(ocr=False))
    assert "Høringsfristen" not in lost.paragraphs[0].text
    assert lost.warnings[0].startswith("pages 1–3: letters without a character")
    doc = parse_pdf(path)
    (warning,) = doc.warnings
    assert re.fullmatch(
        r"pages 1–3: (\d+) letters without a character in the text layer \(a font without a "
        r"full Unicode map\); \1 read back by OCR",
        warning,
    ), warning
    text = " ".join(p.text for p in doc.paragraphs)
    # the word "å" alone takes the letter its code stands for inside "både" and "får"
    for word in ("Høringsfristen", "næringslivet", "Søknader", "Østsiden", "får",
                 "SØKNADSFRIST", "ønsker å bygge"):  # fmt: skip
        assert text.count(word) == 12, word
    assert not any("\ue000" <= c <= "\uf8ff" for c in text)
    assert render_page(path, 3, quote=LOST_LETTERS_TEXT.split(". ")[0]).boxes


@needs_tesseract
def test_ligatures_a_font_has_no_character_for_are_read_back_as_their_letters(
    tmp_path: Path,
) -> None:
    # a typesetter's "ﬁ", "ﬂ", "ﬀ", "ﬃ" glyphs are the ones fonts most often leave unmapped
    text = (
        "Kommunen har en oﬀentlig proﬁl og ﬂere oﬃsielle planer for ﬁskeri og ﬂyplass, "
        "og ﬂyktninger får tilbud i ﬁre bydeler. "
    ) * 6
    path = miscoded_font_pdf(tmp_path / "ligaturer.pdf", [text], only="\ufb00\ufb01\ufb02\ufb03")
    doc = parse_pdf(path)
    assert doc.warnings[0].startswith("page 1: 48 letters without a character"), doc.warnings
    assert doc.warnings[0].endswith("; 48 read back by OCR"), doc.warnings
    read = " ".join(p.text for p in doc.paragraphs)
    for word in ("offentlig", "profil", "flere", "offisielle", "fiskeri", "flyktninger", "fire"):
        assert read.count(word) == 6, word
    # the web app's page view finds the quote where one glyph stands for "fi"
    assert render_page(path, 1, quote="og flyktninger får tilbud i fire bydeler").boxes


@needs_tesseract
def test_a_list_of_names_keeps_its_text_layer_though_it_has_few_function_words(
    tmp_path: Path,
) -> None:
    names = [
        f"{first} {last}    {place} {kind}"
        for first, last, place, kind in [
            ("Kari", "Nordmann", "Fjordvik", "kommune"),
            ("Ola", "Berg", "Nordbukta", "helseforetak"),
            ("Ingrid", "Solberg", "Nordvika", "næringshage"),
            ("Per", "Lunde", "Fjordvik", "sykehus"),
            ("Anne", "Dahl", "Nordbukta", "kommune"),
            ("Jon", "Haugen", "Nordvika", "universitet"),
            ("Liv", "Strand", "Fjordvik", "innovasjonsselskap"),
            ("Nils", "Moen", "Nordbukta", "fylkeskommune"),
            ("Siri", "Aas", "Nordvika", "helseklynge"),
        ]
    ]
    text = " ".join(names)
    assert function_word_share(text)[1] < 0.08  # as few as a garbled layer: the picture decides
    doc = parse_pdf(lines_pdf(tmp_path / "informanter.pdf", ["Informanter", *names]))
    assert doc.page_layouts == {1: "full"}
    assert doc.warnings == []
    assert "Ingrid Solberg" in " ".join(p.text for p in doc.paragraphs)


def test_text_printed_in_mojibake_is_read_as_it_was_written(tmp_path: Path) -> None:
    # a page saved or converted with the wrong encoding prints UTF-8 read as Windows-1252
    garbled = "Kommunen Ã¸nsker Ã¥ bygge flere boliger â€“ og NÃ¦ringslivet stÃ¸tter planen."
    doc = parse_pdf(text_pdf(tmp_path / "feilkoding.pdf", [garbled]))
    assert [p.text for p in doc.paragraphs] == [
        "Kommunen ønsker å bygge flere boliger – og Næringslivet støtter planen."
    ]
    (tmp_path / "notat.txt").write_text("Temperaturen var 20 Â°C i Ã…sgÃ¥rdstrand.", "utf-8")
    assert "20 °C i Åsgårdstrand" in parse_text(tmp_path / "notat.txt").paragraphs[0].text
    # accented text that is what it says stays as it is
    for genuine in ("Crème brûlée i São Paulo", "på «nett» og Ærlig", "nå»\u00a0neste", "Ã"):
        assert normalize_text(genuine) == genuine.replace("\u00a0", " ")


def test_function_words_tell_prose_from_lists_and_from_letters_shifted() -> None:
    prose = "Kommunen skal lage en plan for klimatilpasning, og den skal vedtas av bystyret."
    listed = "Kari Nordmann Fjordvik kommune Ola Berg Nordbukta helseforetak Per Lunde sykehus"
    shifted = "Nrppxqhq vndo odjh hq sodq iru nolpdwlosdvqlqj, rj ghq vndo yhgwdv dy ebvwbuhw."
    assert function_word_share(prose)[1] >= 0.3
    assert function_word_share(listed)[1] == 0.0
    assert function_word_share(shifted) == (13, 0.0)


@needs_tesseract
def test_a_scan_stamped_with_a_line_of_text_is_still_read_by_ocr(tmp_path: Path) -> None:
    # an archive system stamped a journal number on each scanned page: the stamp is text, the
    # letter is a picture; the stamp alone once passed for the page's text
    pages = [" ".join([text] * 3) for text in PAGE_TEXTS]
    source = text_pdf(tmp_path / "kilde.pdf", pages)
    stamp = "Journalpost 2024/01234 Fjordvik kommune, arkivert 12.03.2024"
    doc = parse_pdf(rasterised_pdf(tmp_path / "stemplet.pdf", source, stamp=stamp))
    assert doc.page_layouts == {n: "ocr" for n in range(1, len(pages) + 1)}
    for number, text in enumerate(PAGE_TEXTS, start=1):
        read = set(words(" ".join(p.text for p in doc.paragraphs if p.page == number)))
        wanted = words(text)
        assert sum(w in read for w in wanted) / len(wanted) >= 0.9, number


@needs_tesseract
def test_a_scanned_report_drops_its_running_header_and_page_numbers_and_keeps_its_sections(
    tmp_path: Path,
) -> None:
    # the sample report (running header with chapter and page number, "Side n" footer,
    # numbered headings, a stamp set across the margin) as a scan without a text layer
    doc = parse_pdf(rasterised_pdf(tmp_path / "skannet.pdf", report_pdf(tmp_path / "rapport.pdf")))
    assert set(doc.page_layouts.values()) == {"ocr"}
    assert not [p.text for p in doc.paragraphs if re.fullmatch(r"Side \d+", p.text)]
    assert not [
        p.text
        for p in doc.paragraphs
        if p.page in (2, 3, 4, 6) and p.text.startswith("Veikart for digital helse")
    ]
    headings = {p.text: p for p in doc.paragraphs if p.kind == "heading"}
    assert {"1 Innledning", "1.1 Bakgrunn", "2 Mulighetsområder"} <= set(headings)
    assert not any(t.startswith("UTKAST") for t in headings)  # a stamp is no heading
    background = next(p for p in doc.paragraphs if p.text.startswith("Andelen eldre"))
    assert background.section == "1.1 Bakgrunn"
    assert background.section_path[-2:] == ("1 Innledning", "1.1 Bakgrunn")


@needs_tesseract
def test_a_scan_of_several_pages_keeps_each_page_s_text_on_its_page(tmp_path: Path) -> None:
    # pages are read side by side: each text must still land on its own page, in order
    source = text_pdf(tmp_path / "kilde.pdf", PAGE_TEXTS)
    doc = parse_pdf(rasterised_pdf(tmp_path / "skannet.pdf", source))
    assert doc.page_layouts == {n: "ocr" for n in range(1, len(PAGE_TEXTS) + 1)}
    for number, text in enumerate(PAGE_TEXTS, start=1):
        read = " ".join(p.text for p in doc.paragraphs if p.page == number)
        wanted = words(text)
        assert sum(w in set(words(read)) for w in wanted) / len(wanted) >= 0.9, number


@needs_tesseract
def test_a_line_the_page_pass_of_ocr_skips_is_read_again(tmp_path: Path, shared_dir: Path) -> None:
    # a genuine page, scanned: a line of black words ending in an underlined coloured link,
    # which Tesseract's page segmentation leaves out; it is read again in a band of its own
    source = shared_dir / "realpdfs" / "vianova_kdd_fylkesveg_kriterium_2021.pdf"
    scan = _scanned_pages(source, [35], tmp_path / "skannet.pdf")
    text = " ".join(p.text for p in parse_pdf(scan).paragraphs)
    assert "NVDB rapporter https://www.veg" in text
    assert "Uthenting av mengdegrunnlag" in text


def _scanned_pages(source: Path, indexes: list[int], path: Path) -> Path:
    """Pages of a real PDF rendered at 200 dpi and placed as an image-only PDF: a scan."""
    document = pdfium.PdfDocument(str(source))
    pdf = canvas.Canvas(str(path), invariant=1)
    for index in indexes:
        page = document[index]
        width, height = page.get_size()
        pdf.setPageSize((width, height))
        picture = page.render(scale=200 / 72).to_pil().convert("L")
        pdf.drawImage(ImageReader(picture), 0, 0, width=width, height=height)
        pdf.showPage()
    pdf.save()
    return path


@needs_tesseract
def test_a_scanned_regulation_keeps_its_section_signs(tmp_path: Path, shared_dir: Path) -> None:
    # Norwegian's OCR model alone has no "§": a regulation's "§ 12-5" would read "$ 12-5"
    source = (
        shared_dir / "realpdfs" / "sogne_omraderegulering_ausviga_reguleringsbestemmelser_2015.pdf"
    )
    truth = pdfium.PdfDocument(str(source))[1].get_textpage().get_text_range().count("§")
    doc = parse_pdf(_scanned_pages(source, [1], tmp_path / "skannet.pdf"))
    text = " ".join(p.text for p in doc.paragraphs)
    assert truth >= 5 and text.count("§") >= truth - 1
    assert "$" not in text


def test_ocr_look_alikes_get_their_letter_back_where_the_document_writes_it() -> None:
    first = ["Møtet på rådhuset ble holdt på tirsdag, og saken ble lagt fram på nytt."]
    second = [
        "Vedtaket ble sendt pa høring. KOMMUNEN HAR SATT OPP GJERDER AV STAL.",
        "Kontakt: kari.pa@kommune.no eller www.pa.no",
        "Stål og stål og stål i bruene; far og far i huset får nytt tak.",
    ]
    fixed = restore_letters({1: OcrPage(first, "Stal pa broene"), 2: OcrPage(second)})
    assert fixed[1].texts == first
    assert fixed[1].headline == "Stål på broene"  # a scan's title reads as its text does
    assert (
        fixed[2].texts[0] == "Vedtaket ble sendt på høring. KOMMUNEN HAR SATT OPP GJERDER AV STÅL."
    )
    # addresses keep their spelling; a word the document uses as written keeps it too
    assert fixed[2].texts[1:] == second[1:]


LETTER_TEXT = (
    "Kommunestyret behandlet saken i møte 14. mars og vedtok å utvide ordningen med gratis "
    "kollektivtransport for elever i videregående skole. Vedtaket gjelder fra høsten, og "
    "kostnadene dekkes innenfor rammen for samferdsel. Administrasjonen skal legge fram en "
    "evaluering etter ett år, med tall for bruk, kostnader og virkninger for trafikken rundt "
    "skolene. Saken sendes fylkeskommunen til orientering."
)


@needs_tesseract
def test_a_scanned_document_is_titled_by_its_headline(tmp_path: Path) -> None:
    text = LETTER_TEXT + " Vedtatt i kommunestyret 14.03.2019."
    source = titled_pdf(tmp_path / "kilde.pdf", ["Gratis skolereiser", "for elever"], text)
    doc = parse_pdf(rasterised_pdf(tmp_path / "SKM_C250i24031412040.pdf", source))
    assert doc.page_layouts == {1: "ocr"}
    assert doc.title == "Gratis skolereiser for elever"
    assert doc.year == 2019  # printed on the page; the file itself was made by the scanner


@needs_tesseract
def test_a_scan_s_logo_or_lead_sentence_is_no_title(tmp_path: Path) -> None:
    # a logo's one word set large, and a lead sentence set large: the file name stays the title
    logo = titled_pdf(tmp_path / "logo.pdf", ["KOMMUNE"], LETTER_TEXT, heading_size=36)
    lead = titled_pdf(
        tmp_path / "lead.pdf", ["Saken gjelder gratis reiser for elever."], LETTER_TEXT, 18
    )
    for source in (logo, lead):
        scan = rasterised_pdf(tmp_path / f"skannet-{source.stem}.pdf", source)
        assert parse_pdf(scan).title == scan.stem


@pytest.mark.slow
@needs_tesseract
def test_ingest_reports_fallbacks_flags_pages_and_cites_ocr(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    runaway_pdf(folder / "treg.pdf")
    source = text_pdf(tmp_path / "kilde.pdf", [SCAN_TEXT])
    rasterised_pdf(folder / "skannet.pdf", source)
    index = str(tmp_path / "index")

    result = runner.invoke(app, ["ingest", str(folder), "--index", index, "--page-budget", "0.3"])
    assert result.exit_code == 0, result.output
    warning = f"warning: {folder / 'treg.pdf'}: page 2: layout failed"
    assert warning in " ".join(result.stderr.split())

    shown = runner.invoke(app, ["show", "treg", "--index", index, "--format", "json"])
    layouts = {p["page"]: p["layout"] for p in json.loads(shown.stdout)["pages"]}
    assert layouts == {1: "full", 2: "plain", 3: "full"}
    shown = runner.invoke(app, ["show", "skannet", "--index", index, "--format", "json"])
    pages = json.loads(shown.stdout)["pages"]
    assert [p["layout"] for p in pages] == ["ocr"]
    # the document list says which documents OCR read, and how much of them
    listed = json.loads(runner.invoke(app, ["docs", "--index", index, "--json"]).stdout)
    assert {d["id"]: d["ocr_pages"] for d in listed} == {"skannet": 1, "treg": 0}
    table = runner.invoke(app, ["docs", "--index", index], env={"COLUMNS": "200"})
    assert "1 (1 OCR)" in table.stdout

    found = runner.invoke(app, ["search", "renseanlegg og beredskap ved flom", "--index", index])
    assert "skannet" in found.stdout
    asked = runner.invoke(
        app, ["ask", "Hva omfatter planen for vannforsyning?", "--index", index, "--json"]
    )
    answer = json.loads(asked.stdout)
    # an answer cites; an abstention lists leads: both say which quotes come from OCR
    cited = answer["citations"] + answer.get("leads", [])
    assert cited and all(c["ocr"] is (c["doc_id"] == "skannet") for c in cited)
    assert any(c["ocr"] for c in cited)

    # --no-ocr keeps the old behaviour: the scan is reported as needing OCR
    other = runner.invoke(app, ["ingest", str(folder), "--index", str(tmp_path / "b"), "--no-ocr"])
    assert other.exit_code == 2
    assert "skannet.pdf: no text layer (needs OCR)" in " ".join(other.stderr.split())


ADVERSARIAL = r"""
import sys, spacy
from pathlib import Path
from policyminer.enrich.actors import extract_mentions
from policyminer.index.chunking import body_text, make_chunks
from policyminer.parse.pdf import parse_pdf
from policyminer.records import Paragraph, ParseOptions

caps = "ABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ" * 400
numbers = " ".join(f"{i * 37 % 1000}.{i % 10}" for i in range(2500))
texts = [
    "Hansen " + caps[:5000],
    "Tabellen fra Hansen " + numbers,
    "NTNU " + "." * 10000,
    "Hansen " + ",;:-!?" * 2000,
    "Hansen (" + "Ab, " * 2500,
    ("Helse og omsorg i kommunen med NTNU og Hansen " * 250)[:10000],
    "Hansen " + "\t".join(f"{i} %" for i in range(3000)),
]
doc = parse_pdf(Path(sys.argv[1]), options=ParseOptions(page_budget=0))
paragraphs = doc.paragraphs + [
    Paragraph(1, t, "1 Tabeller", ("1 Tabeller",), "table" if "\t" in t else "body") for t in texts
]
chunks = make_chunks(paragraphs, body_text(paragraphs))
nlp = spacy.blank("nb")
nlp.add_pipe("entity_ruler").add_patterns(
    [{"label": "PER", "pattern": "Hansen"}, {"label": "ORG", "pattern": "NTNU"}]
)
mentions = extract_mentions(chunks, nlp)
# the answer's checks read quotes as long as these: a figure's references, a title's names
from policyminer.answer.units import states_new_number
from policyminer.retrieve.naming import NamedDocument, documents_named
titles = [NamedDocument(str(i), t[:300]) for i, t in enumerate(texts)]
for t in texts:
    states_new_number("Hvor mange elever går på skolen?", t)
    documents_named("Hva sier Hansen om " + t[:2000] + "?", titles)
print(len(doc.paragraphs), len(chunks), len(mentions))
"""


def _hostile_pdf(path: Path) -> Path:
    """Pages of what makes regular expressions backtrack: number tables, punctuation runs,
    capitals, long unbroken lines."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    rows = [" ".join(f"{(r * 31 + c * 7) % 997:>5}" for c in range(14)) + "  12" for r in range(70)]
    filler = [
        "." * 400 + " 7",
        ",;:-!?" * 60,
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 15,
        "Hansen " + "x" * 3000,
    ]
    for lines, size in ((rows, 6), (filler * 15, 5)):
        pdf.setFont("Helvetica", size)
        y = 800
        for line in lines:
            pdf.drawString(20, y, line)
            y -= size * 1.6
        pdf.showPage()
    pdf.save()
    return path


def test_hostile_text_passes_parse_chunk_and_actors_in_bounded_time(tmp_path: Path) -> None:
    pdf = _hostile_pdf(tmp_path / "fiendtlig.pdf")
    # a generous wall-clock bound in a child process: a backtracking regex hangs for minutes
    done = subprocess.run(
        [sys.executable, "-c", ADVERSARIAL, str(pdf)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    paragraphs, chunks, mentions = map(int, done.stdout.split())
    assert paragraphs > 0 and chunks > 7 and mentions > 0


def test_unicode_and_soft_hyphens_at_line_end_join_but_compounds_keep_theirs(
    tmp_path: Path,
) -> None:
    lines = [
        "Rapporten bygger på ny samfunns\u2010",
        "forskning om covid\u201019 i kommunene og på helse\u2010",
        "og omsorgstjenester som kommune\u00ad",
        "direktøren har bestilt til bystyret.",
    ]
    doc = parse_pdf(lines_pdf(tmp_path / "bindestrek.pdf", lines))
    text = " ".join(p.text for p in doc.paragraphs)
    assert "samfunnsforskning" in text
    assert "covid-19" in text
    assert "helse- og omsorgstjenester" in text
    assert "kommunedirektøren" in text
    assert "\u2010" not in text and "\u00ad" not in text


def test_title_passes_over_big_initials_to_the_real_title(tmp_path: Path) -> None:
    title = "Forskrift om kommunale planer for vannforsyning"
    doc = parse_pdf(big_initials_pdf(tmp_path / "lovtidend.pdf", title, PAGE_TEXTS[0]))
    assert doc.title == title


def test_a_framed_fact_box_is_text_not_a_table_cut_into_columns(tmp_path: Path) -> None:
    box = [
        "En innsider er en nåværende eller tidligere ansatt,",
        "konsulent eller innleid som har tilgang til systemer",
        "og informasjon i virksomheten.",
    ]
    doc = parse_pdf(fact_box_pdf(tmp_path / "faktaboks.pdf", box, PAGE_TEXTS[1]))
    assert not [p for p in doc.paragraphs if p.kind == "table"]
    # the box is one paragraph of its own, after the body text it stands beside
    assert [p.kind for p in doc.paragraphs] == ["body", "box"]
    assert doc.paragraphs[1].text == " ".join(box)
    assert doc.paragraphs[0].text.startswith("Fjellstuene i dalen")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_table_cell_of_shaded_lines_is_one_cell_and_a_cell_spanning_rows_reads_once(
    tmp_path: Path, backend: str
) -> None:
    # shading behind each line of a cell drew an edge on every line: the other columns' cells
    # were cut line by line and read interleaved with it
    done = (
        "Kravet om minst tre meter bred gangvei langs skolen er nå tatt inn i bestemmelsene, "
        "og snuplassen er flyttet slik at bussen kan vende uten å rygge."
    )
    comment = (
        "Bredden er sikret, men bestemmelsen sier ikke hvem som skal bekoste gangveien. "
        "Det må avklares før planen sendes på høring."
    )
    rows = [
        ("Tema", "Hva er gjort", "Etatens kommentar"),
        ("Gangvei", done, comment),
        (
            "Overvann og flom",
            "Fordrøyning på taket er beregnet på nytt.",
            "Beregningen er godkjent.",
        ),
        (
            "",
            "Flomveien går nå i gaten, ikke over skoleplassen.",
            "Flomveien må vises på plankartet.",
        ),
    ]
    doc = parse_pdf(shaded_lines_table_pdf(tmp_path / "skjema.pdf", rows, spans=2), backend=backend)
    tables = [p.text for p in doc.paragraphs if p.kind == "table"]
    assert tables == [
        "Tema | Hva er gjort | Etatens kommentar\n"
        f"Gangvei | {done} | {comment}\n"
        "Overvann og flom | Fordrøyning på taket er beregnet på nytt. | Beregningen er godkjent.\n"
        # the cell the row above spans over it: its place kept, so the row lines up
        "– | Flomveien går nå i gaten, ikke over skoleplassen. | Flomveien må vises på plankartet."
    ]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_table_cells_paragraphs_and_list_items_keep_their_own_lines(
    tmp_path: Path, backend: str
) -> None:
    wrapped = (
        "Fordrøyningen på taket er beregnet på nytt etter den nye veilederen for overvann, og "
        "resultatet er lagt inn i kapittel fem av planbeskrivelsen sammen med en ny figur."
    )
    rows = [
        (["Tema"], ["Hva er gjort"]),
        (["Overvann"], ["Dokument 11", "Figurene er justert.", wrapped]),
        (["Tiltak"], ["Tre tiltak følger planen:", "• Ny gangvei", "• Ny busslomme", "- Nye trær"]),
        (
            ["Grønt"],
            # the line before is full, so the dash that opens the next one is a wrapped phrase
            ["Planen bygger på kommuneplanen for Fjordvik og Elvik fra 2015\n- Smart by."],
        ),
    ]
    doc = parse_pdf(paragraph_cells_table_pdf(tmp_path / "celler.pdf", rows), backend=backend)
    tables = [p.text for p in doc.paragraphs if p.kind == "table"]
    assert tables == [
        "Tema | Hva er gjort\n"
        f"Overvann | Dokument 11\nFigurene er justert.\n{wrapped}\n"
        "Tiltak | Tre tiltak følger planen:\n• Ny gangvei\n• Ny busslomme\n- Nye trær\n"
        "Grønt | Planen bygger på kommuneplanen for Fjordvik og Elvik fra 2015 - Smart by."
    ]


@pytest.mark.parametrize("backend", BACKENDS)
def test_cells_set_close_to_a_drawn_rule_stay_apart(tmp_path: Path, backend: str) -> None:
    # a cell's lines end just before the rule and the next cell's start just after it: the
    # rule is drawn, so the two are never read as one spanning cell, line by line interleaved
    rows = [
        (
            ["Vurdere om skolegården", "får nok sol om vinteren"],
            ["Det er laget skyggekart", "for hele tomten ved", "Fjordvik skole."],
        ),
        (["Vurdere felles", "løsninger for avfall"], ["Det er planlagt felles", "avfallsrom."]),
    ]
    doc = parse_pdf(
        tight_cells_table_pdf(tmp_path / "tett.pdf", rows, overflow="Beregnet sum for Fjordvik"),
        backend=backend,
    )
    tables = [p.text for p in doc.paragraphs if p.kind == "table"]
    assert tables == [
        "Vurdere om skolegården får nok sol om vinteren | Det er laget skyggekart for hele "
        "tomten ved Fjordvik skole.\n"
        "Vurdere felles løsninger for avfall | Det er planlagt felles avfallsrom.\n"
        # text drawn on through the rule is one cell's, not cut at the rule
        "Beregnet sum for Fjordvik"
    ]


@pytest.mark.parametrize("backend", BACKENDS)
def test_table_rows_keep_their_columns_and_read_a_spanning_cell_once(
    tmp_path: Path, backend: str
) -> None:
    rows = [
        ("Område", "Tiltak", "Frist", "Merknad"),
        ("Skole", "Nye nettbrett", "", ""),
        ("Helse", "", "2026", ""),
        ("Felles for alle sektorer i kommunen", "", "", ""),
        ("Vei", "Ny gang- og sykkelvei", "2027", "Statlig tilskudd"),
    ]
    doc = parse_pdf(sparse_table_pdf(tmp_path / "tabell.pdf", rows, span_row=3), backend=backend)
    tables = [p.text for p in doc.paragraphs if p.kind == "table"]
    assert tables == [
        "Område | Tiltak | Frist | Merknad\n"
        "Skole | Nye nettbrett\n"  # empty cells at a row's end: left out
        "Helse | – | 2026\n"  # one before a value: "–", so 2026 stays under "Frist"
        "Felles for alle sektorer i kommunen\n"
        "Vei | Ny gang- og sykkelvei | 2027 | Statlig tilskudd"
    ]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_cells_text_running_past_the_tables_border_stays_in_its_cell(
    tmp_path: Path, backend: str
) -> None:
    rows = [
        ("Vei", "Klasse", "Eierform"),
        ("V 1", "A1", "Offentlig"),
        ("V 10", "A1", "Felles for tomt 30, 31 og 33"),  # longer than its column
        ("V 11", "B2", "Privat"),
    ]
    pdf = grid_table_pdf(
        tmp_path / "veier.pdf", "Planen regulerer veier.", rows, "Veiene bygges i 2027.",
        widths=(90, 140, 110),
    )  # fmt: skip
    doc = parse_pdf(pdf, backend=backend)
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("body", "Planen regulerer veier."),
        ("table", "Vei | Klasse | Eierform\nV 1 | A1 | Offentlig\n"
         "V 10 | A1 | Felles for tomt 30, 31 og 33\nV 11 | B2 | Privat"),
        ("body", "Veiene bygges i 2027."),
    ]  # fmt: skip


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_pull_quote_repeating_the_body_is_dropped_and_a_lede_kept(
    tmp_path: Path, backend: str
) -> None:
    quote = "Tiltaket halverer strømforbruket i løpet av tre vintre, og pengene går til skolene."
    body = " ".join([PAGE_TEXTS[0], quote, PAGE_TEXTS[2], PAGE_TEXTS[1]])
    lede = "Kommunen satser på energi og digitalisering de neste årene, med bred medvirkning."
    doc = parse_pdf(pull_quote_pdf(tmp_path / "sitat.pdf", body, quote, lede), backend=backend)
    texts = [p.text for p in doc.paragraphs]
    everything = " ".join(texts)
    assert everything.count("og pengene går til skolene") == 1
    assert "«" not in everything
    assert lede in texts
    assert any(t.startswith(PAGE_TEXTS[0]) and t.endswith(PAGE_TEXTS[1]) for t in texts)


def test_a_numbered_heading_repeated_at_the_top_of_pages_is_no_running_header(
    tmp_path: Path,
) -> None:
    path = repeated_heading_pdf(
        tmp_path / "mal.pdf", "Plan for Testkommune", "Mål og tiltak", PAGE_TEXTS
    )
    doc = parse_pdf(path)
    everything = " ".join(p.text for p in doc.paragraphs)
    assert "Plan for Testkommune" not in everything  # the running header still goes
    headings = [(p.page, p.text) for p in doc.paragraphs if p.kind == "heading"]
    # the number set apart by a tab stays with its title
    assert headings == [(n, f"{n}.3 Mål og tiltak") for n in (1, 2, 3)]
    body = [p for p in doc.paragraphs if p.kind == "body" and p.text in PAGE_TEXTS]
    assert [p.section for p in body] == [f"{n}.3 Mål og tiltak" for n in (1, 2, 3)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_full_size_reference_lifted_by_rise_leaves_the_sentence_whole(
    tmp_path: Path, backend: str
) -> None:
    before, after = (
        "Kommunen har vedtatt en plan for omsorgstjenestene",
        " som gjelder fra neste år.",
    )
    note = "Kommunestyrets vedtak i sak 12/2024."
    doc = parse_pdf(
        risen_marker_pdf(tmp_path / "hevet.pdf", before, "27", after, note), backend=backend
    )
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("body", before + after),
        ("footnote", f"27 {note}"),
    ]


SCAN_ROWS = [
    ("Område", "Kilde", "Oppdatert", "Lengde (km)"),
    ("Nedre Dal og Ås", "Register", "Ja", "18 402"),
    ("Strandvik", "Telling", "Nei", "240 115"),
    ("Fjellbygd", "Register", "Ja", "97 336"),
]


@pytest.mark.parametrize("widen", [100.0, 125.0])
def test_a_searchable_scan_reads_its_ruled_table_row_by_row(tmp_path: Path, widen: float) -> None:
    # the grid is in the page's picture only; the invisible text layer, set wider than the
    # print at 125 %, runs past the cells' right edges and the table's
    body = " ".join(PAGE_TEXTS[:2])
    pdf = searchable_scan_pdf(tmp_path / "skannet.pdf", body, SCAN_ROWS, widen=widen)
    doc = parse_pdf(pdf)
    assert [p.kind for p in doc.paragraphs] == ["body", "table"]
    assert doc.paragraphs[0].text == body
    assert doc.paragraphs[1].text == "\n".join(" | ".join(row) for row in SCAN_ROWS)
    assert doc.page_layouts == {1: "full"}


def test_a_searchable_scan_of_running_text_has_no_table(tmp_path: Path) -> None:
    # the printed words under the invisible text are ink too, and must not pass for rulings
    body = " ".join(PAGE_TEXTS * 3)
    doc = parse_pdf(searchable_scan_pdf(tmp_path / "brev.pdf", body))
    assert [p.kind for p in doc.paragraphs] == ["body"]
    assert doc.paragraphs[0].text == body


@pytest.mark.parametrize("backend", BACKENDS)
def test_rows_a_grid_leaves_unruled_are_rows_and_a_wrapped_header_one_row(
    tmp_path: Path, backend: str
) -> None:
    header = ("Kommune", "Budsjett, justert etter vedtak (1000 kr)", "Regnskap (1000 kr)", "Avvik")
    rows = [
        ("Fjellbygd", "2 310 455", "2 298 120", "0,5 %"),
        ("Strandvik", "815 002", "820 417", "-0,7 %"),
        ("Nedre Dal og Ås", "96 740", "95 310", "1,5 %"),
        ("Holmen", "402 118", "402 118", "0,0 %"),
    ]
    pdf = frame_ruled_table_pdf(tmp_path / "regneark.pdf", header, rows)
    tables = [p.text for p in parse_pdf(pdf, backend=backend).paragraphs if p.kind == "table"]
    assert tables == ["\n".join(" | ".join(row) for row in [header, *rows])]


LEDE = (
    "Kommunen har fått en ny plan for vann og avløp som skal gjelde i ti år. "
    "Planen gir retning for alle investeringer i ledningsnettet."
)


@pytest.mark.parametrize("backend", BACKENDS)
def test_large_type_that_reads_as_running_text_is_no_heading(tmp_path: Path, backend: str) -> None:
    path = large_type_pdf(
        tmp_path / "ingress.pdf",
        [
            ("Vann og avløp", "Helvetica-Bold", 20),
            (LEDE, "Helvetica", 15),
            (PAGE_TEXTS[0], "Helvetica", 10),
            ("Kommunen anbefaler alle innbyggere å være", "Helvetica", 15),
            ("varsomme med vannforbruket i tørre somre. " + PAGE_TEXTS[1], "Helvetica", 10),
            ("Spar vann.", "Helvetica-Bold", 15),
            (PAGE_TEXTS[2], "Helvetica", 10),
        ],
    )
    doc = parse_pdf(path, backend=backend)
    kinds = {p.text: p.kind for p in doc.paragraphs}
    # the two-sentence lede is text of the section its heading opens, not a section of its own
    assert kinds[LEDE] == "body"
    # large type that runs on in small type is one paragraph, the start of a sentence
    assert any(
        t.startswith("Kommunen anbefaler alle innbyggere å være varsomme med vannforbruket")
        and k == "body"
        for t, k in kinds.items()
    )
    # a short heading stays a heading even when it ends in a full stop
    assert kinds["Spar vann."] == "heading"
    sections = {p.section for p in doc.paragraphs}
    assert sections == {"Vann og avløp", "Spar vann."}


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_bold_lead_in_that_runs_on_is_the_start_of_its_paragraph(
    tmp_path: Path, backend: str
) -> None:
    path = large_type_pdf(
        tmp_path / "innledning.pdf",
        [
            ("Vann og avløp", "Helvetica-Bold", 20),
            (PAGE_TEXTS[0], "Helvetica", 10),
            ("Kommunen ber alle hytteeiere være", "Helvetica-Bold", 10, 1.3),
            ("oppmerksomme på lekkasjer i vannrør om vinteren.", "Helvetica-Bold", 10, 1.3),
            (PAGE_TEXTS[1], "Helvetica", 10),
        ],
    )
    doc = parse_pdf(path, backend=backend)
    assert {p.section for p in doc.paragraphs} == {"Vann og avløp"}
    assert any(
        p.text.startswith("Kommunen ber alle hytteeiere være oppmerksomme på lekkasjer")
        and p.kind == "body"
        for p in doc.paragraphs
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_table_drawn_without_rules_is_read_row_by_row(tmp_path: Path, backend: str) -> None:
    rows = [
        ("Tiltak", "Beskrivelse", "Kostnad", "Ansvar"),
        (
            "Gatelys",
            "Nye lamper langs hovedveien gjennom sentrum av Fjordvik",
            "2,1 mill.",
            "Bydrift",
        ),
        (
            "Brygge",
            "Ny flytebrygge ved fergekaia med plass til tolv båter",
            "Om lag 900 000 kr",
            "Havnevesenet",
        ),
        ("Sykkelvei", "Sammenhengende vei fra stasjonen til skolen", "6 mill.", "Fylket"),
    ]
    pdf = borderless_table_pdf(
        tmp_path / "tiltak.pdf",
        "Kommunen har valgt ut tre tiltak for sentrum av Fjordvik.",
        rows,
        "Bystyret vedtar rekkefølgen i juni.",
    )
    doc = parse_pdf(pdf, backend=backend)
    # columns found in the white space alone, each wrapped cell whole in its row, and the text
    # after the table its own paragraph
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("body", "Kommunen har valgt ut tre tiltak for sentrum av Fjordvik."),
        ("table", "\n".join(" | ".join(row) for row in rows)),
        ("body", "Bystyret vedtar rekkefølgen i juni."),
    ]


def test_running_text_in_three_columns_is_no_table(tmp_path: Path) -> None:
    # paragraphs of one length end on the same lines in every column: bands of text side by
    # side, as a table's rows, but with no column of short entries
    text = "Kommunen i Nordvika vil bygge ut digitale tjenester for innbyggerne i regionen. " * 2
    paragraphs = [f"Avsnitt {i}. {text[:150]}" for i in range(30)]
    doc = parse_pdf(columns_pdf(tmp_path / "spalter.pdf", paragraphs))
    assert not [p for p in doc.paragraphs if p.kind == "table"]
    assert sum(p.text.startswith("Avsnitt") for p in doc.paragraphs) >= 25


def test_a_contents_list_beside_a_colophon_is_no_table(tmp_path: Path) -> None:
    entries = [("5", "Forord"), ("7", "Risikobildet"), ("9", "Trusler mot kommunene")]
    entries += [("15", "Verdier"), ("19", "Sårbarheter"), ("26", "Nordområdene"), ("30", "Tiltak")]
    doc = parse_pdf(contents_beside_colophon_pdf(tmp_path / "innhold.pdf", entries))
    assert not [p for p in doc.paragraphs if p.kind == "table"]


@pytest.mark.parametrize("indent", [True, False])
def test_a_table_of_figures_without_rules_keeps_the_text_set_close_to_it_apart(
    tmp_path: Path, indent: bool
) -> None:
    rows = [
        ("Kommune", "Innbyggere 2020", "Innbyggere 2025", "Endring"),
        ("Fjordvik", "48 210", "50 935", "5,7 %"),
        ("Elvik", "12 004", "12 390", "3,2 %"),
        ("Nordvika", "7 815", "8 102", "3,7 %"),
    ]
    after = (
        "Veksten er størst i Elvik, der nye boligfelt langs fjorden og jernbanen har gitt mange"
        " nye innbyggere de siste fem årene."
    )
    pdf = figures_table_pdf(
        tmp_path / "folketall.pdf", "Befolkningen vokser i alle kommunene.", rows, after, indent
    )
    doc = parse_pdf(pdf)
    # the paragraph under the last row, whether it starts left of the table or runs across
    # its columns, is no part of the row
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("body", "Befolkningen vokser i alle kommunene."),
        ("table", "\n".join(" | ".join(row) for row in rows)),
        ("body", after),
    ]
