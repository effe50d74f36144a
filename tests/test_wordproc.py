"""Word-processor and report-template PDFs: chapter titles atop the page stay headings, tabbed
section numbers stay with their titles, Word's bullets start list items, tables drawn cell by
cell are read as tables, and OCR reads a scanned ruled table whole and a scanned list by item."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from messydocs import PAGE_TEXTS, rasterised_pdf
from wordprocdocs import (
    cell_table_pdf,
    chapter_pages_pdf,
    ruled_numbers_pdf,
    tabbed_numbers_pdf,
    thick_border_table_pdf,
    word_bullets_pdf,
)

from policyminer.parse.pdf import BACKENDS, parse_pdf

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract-ocr is not installed (make install)"
)

CHAPTERS = [
    ("Innledning", PAGE_TEXTS[0]),
    ("Mål og rammer", PAGE_TEXTS[1]),
    ("Tiltak i planperioden", PAGE_TEXTS[2]),
    ("Økonomi og finansiering", PAGE_TEXTS[0]),
    ("Oppfølging og rapportering", PAGE_TEXTS[1]),
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_numbered_chapter_titles_atop_their_pages_are_headings_not_running_headers(
    tmp_path: Path, backend: str
) -> None:
    header = "Kommunedelplan for Testkommune"
    doc = parse_pdf(chapter_pages_pdf(tmp_path / "plan.pdf", header, CHAPTERS), backend=backend)
    headings = [(p.page, p.text) for p in doc.paragraphs if p.kind == "heading"]
    assert headings[1:] == [
        (page, f"{page - 1} {title}") for page, (title, _) in enumerate(CHAPTERS, start=2)
    ]
    body = [p for p in doc.paragraphs if p.kind == "body"]
    assert [p.section for p in body] == [f"{n} {title}" for n, (title, _) in enumerate(CHAPTERS, 1)]
    # the header that does repeat is still furniture, and so are the page numbers
    assert all(header not in p.text for p in doc.paragraphs if p.page > 1)
    assert all(p.text[:1].isalpha() for p in body)


ITEMS = [
    "Kommunen skal etablere et felles innbyggertorg med digitale tjenester for alle "
    "innbyggere, også de som trenger hjelp til å bruke dem.",
    "Skolene får nye nettbrett.",
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_section_number_set_apart_by_a_tab_stays_with_its_title(
    tmp_path: Path, backend: str
) -> None:
    sections = [
        ("2.3", "Mål for perioden", PAGE_TEXTS[0]),
        ("2.4", "Tiltak i bydelene", PAGE_TEXTS[1]),
    ]
    path = tabbed_numbers_pdf(tmp_path / "tab.pdf", sections, ITEMS)
    doc = parse_pdf(path, backend=backend)
    assert [(p.kind, p.text, p.section) for p in doc.paragraphs] == [
        ("heading", "2.3 Mål for perioden", "2.3 Mål for perioden"),
        ("body", PAGE_TEXTS[0], "2.3 Mål for perioden"),
        ("heading", "2.4 Tiltak i bydelene", "2.4 Tiltak i bydelene"),
        ("body", PAGE_TEXTS[1], "2.4 Tiltak i bydelene"),
        ("list", f"1. {ITEMS[0]}", "2.4 Tiltak i bydelene"),
        ("list", f"2. {ITEMS[1]}", "2.4 Tiltak i bydelene"),
    ]


BULLET_ITEMS = [
    (1, "Skolene får nye nettbrett og bedre trådløst nett i alle klasserom, også i de "
        "minste skolene i bygdene."),
    (2, "Først ungdomsskolene."),
    (2, "Deretter barneskolene."),
    (1, "Helsestasjonene får digital timebestilling."),
]  # fmt: skip
BULLET_INTRO = "Kommunen vil gjøre dette:"


@pytest.mark.parametrize("backend", BACKENDS)
def test_word_bullets_drawn_apart_or_as_a_courier_o_start_list_items(
    tmp_path: Path, backend: str
) -> None:
    items, intro = BULLET_ITEMS, BULLET_INTRO
    path = word_bullets_pdf(tmp_path / "punkter.pdf", intro, items, PAGE_TEXTS[2])
    doc = parse_pdf(path, backend=backend)
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("body", intro),
        *(("list", text) for _, text in items),
        ("body", PAGE_TEXTS[2]),
    ]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_table_drawn_cell_by_cell_is_read_row_by_row(tmp_path: Path, backend: str) -> None:
    rows = [
        ("Tiltak", "Ansvar", "Kostnad (mill.)", "Frist"),
        ("T1", "Skoleetaten", "12,5", "Vår 2026"),
        ("T2", "Helseetaten", "3,0", "Høst 2026"),
        ("T3", "Bymiljøetaten", "7,25", "Vår 2027"),
        ("T4", "Kulturetaten", "1,1", "Høst 2027"),
        ("T5", "Eiendomsetaten", "20,0", "Vår 2028"),
        ("T6", "Vannetaten", "4,4", "Høst 2028"),
        ("T7", "Sykehjemsetaten", "9,8", "Vår 2029"),
    ]
    path = cell_table_pdf(tmp_path / "celler.pdf", PAGE_TEXTS[0], rows, PAGE_TEXTS[2])
    doc = parse_pdf(path, backend=backend)
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("body", PAGE_TEXTS[0]),
        ("table", "\n".join(" | ".join(row) for row in rows)),
        ("body", PAGE_TEXTS[2]),
    ]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_heavy_column_border_drawn_as_a_bar_still_parts_the_columns(
    tmp_path: Path, backend: str
) -> None:
    rows = [
        ("Krav", "Levert", "Vedlegg"),
        ("Solforhold", "X", "Vedlegg 4 Sol og skygge"),
        ("Støy", "X", "Vedlegg 7 Støyrapport"),
        ("Parkering", "", "Sendes senere"),
    ]
    doc = parse_pdf(thick_border_table_pdf(tmp_path / "tykk.pdf", rows), backend=backend)
    tables = [p.text for p in doc.paragraphs if p.kind == "table"]
    # an unticked box keeps its column: "Parkering | – | Sendes senere"
    assert tables == ["\n".join(" | ".join(cell or "–" for cell in row) for row in rows)]


@needs_tesseract
def test_a_scanned_bullet_list_reads_one_paragraph_per_item_without_its_bullets(
    tmp_path: Path,
) -> None:
    items, intro = BULLET_ITEMS, BULLET_INTRO
    source = word_bullets_pdf(tmp_path / "kilde.pdf", intro, items, PAGE_TEXTS[2])
    doc = parse_pdf(rasterised_pdf(tmp_path / "skannet.pdf", source))
    assert doc.page_layouts == {1: "ocr"}
    texts = [p.text for p in doc.paragraphs]
    assert len(texts) == 2 + len(items)
    for text, (_, item) in zip(texts[1:-1], items, strict=True):
        assert text.split()[0] == item.split()[0]
    # Word's "o" and a round bullet read as letters are no words of the text
    assert not {"o", "e"} & {w for t in texts for w in t.split()}


@needs_tesseract
def test_a_scanned_ruled_table_of_numbers_is_read_whole_and_once(tmp_path: Path) -> None:
    rows = [
        ("Bydel", "Areal (daa)", "Trær"),
        ("Nordre", "3120,45", "912"),
        ("Søndre", "2874,08", "356"),
        ("Østre", "4409,71", "47"),
        ("Vestre", "1968,30", "1203"),
        ("Sum", "12372,54", "2518"),
    ]
    source = ruled_numbers_pdf(tmp_path / "kilde.pdf", PAGE_TEXTS[0], rows)
    doc = parse_pdf(rasterised_pdf(tmp_path / "skannet.pdf", source))
    assert doc.page_layouts == {1: "ocr"}
    tokens = " ".join(p.text for p in doc.paragraphs).split()
    # the rulings are no text, and no cell is read twice by the two passes
    assert "|" not in tokens
    for cell in [cell for row in rows for cell in row]:
        assert tokens.count(cell.split()[0]) == 1, cell
    assert PAGE_TEXTS[0] in [p.text for p in doc.paragraphs]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_regulations_section_sign_number_stays_with_its_title(
    tmp_path: Path, backend: str
) -> None:
    # planning regulations number their provisions "§ 3.1" at the margin, the title at a tab
    # stop 2 cm in: a short number ("§4") stands over 4 ems from its title
    sections = [
        ("§ 3.1", "Boliger i feltet", PAGE_TEXTS[0]),
        ("§ 3. 2", "Felles lekeareal", PAGE_TEXTS[1]),
        ("§4", "VEGER", PAGE_TEXTS[2]),
    ]
    path = tabbed_numbers_pdf(tmp_path / "bestemmelser.pdf", sections, [], tab=57)
    doc = parse_pdf(path, backend=backend)
    titles = [f"{number} {title}" for number, title, _ in sections]
    assert [(p.kind, p.text, p.section) for p in doc.paragraphs] == [
        ("heading", titles[0], titles[0]),
        ("body", PAGE_TEXTS[0], titles[0]),
        ("heading", titles[1], titles[1]),
        ("body", PAGE_TEXTS[1], titles[1]),
        ("heading", titles[2], titles[2]),
        ("body", PAGE_TEXTS[2], titles[2]),
    ]


def test_a_regulations_provisions_nest_under_their_chapter_by_number(tmp_path: Path) -> None:
    # chapter and provision headings set alike: the number's depth gives the level
    sections = [
        ("§ 3", "GENERELLE KRAV", PAGE_TEXTS[0]),
        ("§ 3. 1", "Krav til uteareal", PAGE_TEXTS[1]),
        ("§ 4", "VEGER", PAGE_TEXTS[2]),
    ]
    doc = parse_pdf(tabbed_numbers_pdf(tmp_path / "kapitler.pdf", sections, [], tab=57))
    chapter, provision, next_chapter = (f"{number} {title}" for number, title, _ in sections)
    assert [p.section_path for p in doc.paragraphs if p.kind == "body"] == [
        (chapter,),
        (chapter, provision),
        (next_chapter,),
    ]
