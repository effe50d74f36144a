"""Pictures of text in Word files (a scanned letter pasted into a memo) read by OCR where they
stand; logos and drawings without letters add nothing; --no-ocr reads the file as before."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.shared import Inches
from officetools import saved_by_libreoffice
from pdfdocs import DEJAVU
from pictures import needs_tesseract, png, read_back, shapes_picture, text_picture, words
from PIL import Image, ImageDraw, ImageFont
from typer.testing import CliRunner

from policyminer.cli import app
from policyminer.ingest import ingest_paths, parse_file
from policyminer.parse.converted import office_reads
from policyminer.parse.pdf import ParseError
from policyminer.parse.word import parse_docx
from policyminer.records import ParseOptions
from policyminer.store.catalog import Catalog

LETTER = [  # a scanned letter's two sentences, pasted into the memo as a picture
    "Solvika kommune åpner et nytt bibliotek på Brøholmen i 2027.",
    "Kulturutvalget vil gi gratis lånekort til alle ungdommer.",
]
STAMP = "Arkivkopi"  # printed at the scan's foot, where the memo crops the picture
LOGO = "Bibliotektjenesten"
BEFORE = "Rådmannen har mottatt brevet nedenfor fra kulturetaten."
AFTER = "Saken legges fram for formannskapet i neste møte."
CLOSING = "Tegningen over viser lesesalen slik arkitekten ser den for seg."
CROPPED = 0.25  # the share of the scan cropped off at its foot
A = "http://schemas.openxmlformats.org/drawingml/2006/main"

runner = CliRunner()


def _scanned_letter() -> bytes:
    """The letter's lines on a scanned page's paper, an archive stamp at its foot."""
    image = Image.open(io.BytesIO(text_picture(LETTER, 28, 1100, height=520)))
    font = ImageFont.truetype(str(DEJAVU), 30)
    ImageDraw.Draw(image).text((40, 460), STAMP, font=font, fill="black")
    return png(image)


def _crop_foot(document: docx.document.Document, share: float) -> None:
    """Crops the share of the last picture's image off its foot, as Word's crop tool does (the
    picture shown that much shorter)."""
    inline = document.inline_shapes[-1]
    fill = inline._inline.graphic.graphicData.pic.blipFill
    fill.insert(1, parse_xml(f'<a:srcRect xmlns:a="{A}" b="{round(share * 100_000)}"/>'))
    inline.height = round(inline.height * (1 - share))


def make_memo(path: Path) -> Path:
    """A memo: a heading, a typed paragraph, the scanned letter as a large picture (its foot
    cropped off), another typed paragraph, a logo-sized picture of a word; a second heading
    over a drawing without letters and a closing line."""
    document = docx.Document()
    document.add_heading("Notat om biblioteket", 1)
    document.add_paragraph(BEFORE)
    document.add_picture(io.BytesIO(_scanned_letter()), width=Inches(6))
    _crop_foot(document, CROPPED)
    document.add_paragraph(AFTER)
    document.add_picture(io.BytesIO(text_picture([LOGO], 40, 600)), width=Inches(1.5))
    document.add_heading("Lesesalen", 1)
    document.add_picture(io.BytesIO(shapes_picture()), width=Inches(4))
    document.add_paragraph(CLOSING)
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def memo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_memo(tmp_path_factory.mktemp("memo") / "notat.docx")


@pytest.fixture(scope="module")
def memo_doc(memo: Path):
    return parse_docx(memo)


@needs_tesseract
def test_a_picture_of_text_is_read_where_it_stands_in_the_memo(memo_doc) -> None:
    texts = [p.text for p in memo_doc.paragraphs if p.page == 1]
    assert texts[:2] == ["Notat om biblioteket", BEFORE] and texts[-1] == AFTER
    read = memo_doc.paragraphs[2:-3]
    assert read and {p.kind for p in read} == {"body"}
    assert {p.section for p in read} == {"Notat om biblioteket"}
    said = " ".join(p.text for p in read)
    assert read_back(said, LETTER) and "brøholmen" in words(said)
    assert STAMP.lower() not in words(said)  # cropped off, as the memo shows the scan
    # the part that holds text read by OCR is marked so (a citation of it may hold misreadings)
    assert memo_doc.page_layouts == {1: "ocr", 2: "full"} and memo_doc.warnings == []


@needs_tesseract
def test_a_logo_sized_picture_is_not_read(memo_doc) -> None:
    assert not any(LOGO.lower() in words(p.text) for p in memo_doc.paragraphs)


@needs_tesseract
def test_a_picture_without_text_adds_nothing(memo_doc) -> None:
    second = [(p.kind, p.text) for p in memo_doc.paragraphs if p.page == 2]
    assert second == [("heading", "Lesesalen"), ("body", CLOSING)]


def test_with_ocr_off_a_word_file_is_read_as_before_and_says_its_pictures_were_not(
    memo: Path,
) -> None:
    doc = parse_docx(memo, options=ParseOptions(ocr=False))
    assert [p.text for p in doc.paragraphs] == [
        "Notat om biblioteket", BEFORE, AFTER, "Lesesalen", CLOSING
    ]  # fmt: skip
    assert doc.page_layouts == {1: "full", 2: "full"}
    assert doc.warnings == ["2 pictures not read: OCR is off"]  # the logo is none to read


def _only_picture(path: Path, image: bytes) -> Path:
    document = docx.Document()
    document.add_picture(io.BytesIO(image), width=Inches(6))
    document.save(str(path))
    return path


@needs_tesseract
def test_a_word_file_that_is_only_a_picture_of_text_is_read(tmp_path: Path) -> None:
    doc = parse_docx(_only_picture(tmp_path / "brev.docx", _scanned_letter()))
    assert {p.kind for p in doc.paragraphs} == {"body"}
    said = " ".join(p.text for p in doc.paragraphs)
    assert read_back(said, LETTER) and STAMP.lower() in words(said)  # uncropped: all of it
    assert doc.page_layouts == {1: "ocr"}


@needs_tesseract
def test_a_word_file_of_pictures_without_text_fails_saying_ocr_found_none(
    tmp_path: Path,
) -> None:
    path = _only_picture(tmp_path / "skisse.docx", shapes_picture())
    with pytest.raises(ParseError) as read:
        parse_docx(path)
    assert str(read.value) == "no text found in the document, nor by OCR in 1 picture"
    with pytest.raises(ParseError) as unread:
        parse_docx(path, options=ParseOptions(ocr=False))
    assert str(unread.value) == "no text found in the document; 1 picture not read: OCR is off"


def test_a_picture_is_large_or_small_for_the_page_its_section_sets(tmp_path: Path) -> None:
    document = docx.Document()
    a5 = document.sections[0]
    a5.page_width, a5.page_height = Inches(5.8), Inches(8.3)
    for side in ("left", "right", "top", "bottom"):
        setattr(a5, f"{side}_margin", Inches(0.5))
    letter = text_picture(LETTER, 28, 1100, height=470)  # 5.25 square inches at 3.5 inches wide
    document.add_paragraph(BEFORE)
    document.add_picture(io.BytesIO(letter), width=Inches(3.5))  # a seventh of A5's text area
    wide = document.add_section()
    wide.page_width, wide.page_height = Inches(8.5), Inches(11)
    wide.left_margin = wide.right_margin = Inches(1.25)  # 54 square inches of text
    document.add_paragraph(AFTER)
    document.add_picture(io.BytesIO(letter), width=Inches(3.5))  # a tenth of it, less a little
    document.save(str(tmp_path / "sider.docx"))
    doc = parse_docx(tmp_path / "sider.docx", options=ParseOptions(ocr=False))
    assert doc.warnings == ["1 picture not read: OCR is off"]


def _vml_picture(document: docx.document.Document, image: bytes, style: str) -> None:
    """A picture as Word 2003 and converters of old files write it: VML, sized by its style."""
    rel, _ = document.part.get_or_add_image(io.BytesIO(image))
    run = document.add_paragraph().add_run()
    run._r.append(
        parse_xml(
            '<w:pict xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:v="urn:schemas-microsoft-com:vml" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<v:shape style="{style}"><v:imagedata r:id="{rel}"/></v:shape></w:pict>'
        )
    )


def test_an_old_files_vml_picture_is_one_to_read_where_large(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph(BEFORE)
    letter = _scanned_letter()
    _vml_picture(document, letter, "width:432pt;height:204pt")
    _vml_picture(document, letter, "position:absolute;width:60pt;height:28pt")  # a logo's size
    document.save(str(tmp_path / "gammel.docx"))
    doc = parse_docx(tmp_path / "gammel.docx", options=ParseOptions(ocr=False))
    assert doc.warnings == ["1 picture not read: OCR is off"]


needs_writer = pytest.mark.skipif(
    not office_reads(".odt"), reason="LibreOffice Writer is not installed"
)


@pytest.fixture(scope="module")
def memo_odt(memo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return saved_by_libreoffice(memo, ".odt", tmp_path_factory.mktemp("memo-odt"))


@needs_writer
def test_a_word_file_libreoffice_converts_keeps_the_users_ocr_choice(memo_odt: Path) -> None:
    doc = parse_file(memo_odt, options=ParseOptions(ocr=False))
    assert doc.format == "odt" and set(doc.page_layouts.values()) == {"full"}
    assert doc.warnings == ["2 pictures not read: OCR is off"]


@needs_writer
@needs_tesseract
def test_a_word_file_libreoffice_converts_has_its_pictures_read(memo_odt: Path) -> None:
    doc = parse_file(memo_odt)
    said = " ".join(p.text for p in doc.paragraphs)
    assert read_back(said, LETTER) and STAMP.lower() not in words(said)
    assert doc.page_layouts == {1: "ocr", 2: "full"}


@pytest.fixture(scope="module")
def memo_index(memo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    index = tmp_path_factory.mktemp("memo-index") / "index"
    report = ingest_paths([memo.parent], index)
    assert [r.status for r in report.results] == ["added"]
    return index


@needs_tesseract
def test_a_word_only_in_a_picture_finds_the_memo(memo_index: Path) -> None:
    args = ["search", "gratis lånekort til ungdommer", "--index", str(memo_index), "-k", "1"]
    found = runner.invoke(app, [*args, "--json"])
    assert found.exit_code == 0, found.output
    (hit,) = json.loads(found.stdout)["results"]
    assert hit["unit"] == "part" and "lånekort" in hit["text"]
    with Catalog(memo_index) as catalog:
        (doc,) = catalog.documents()
    assert doc.ocr_pages == 1  # the part that got text from a picture


def test_ingest_passes_the_users_ocr_choice_to_a_word_file(memo: Path, tmp_path: Path) -> None:
    report = ingest_paths([memo], tmp_path / "index", options=ParseOptions(ocr=False))
    (result,) = report.results
    assert result.status == "added"
    assert result.warnings == ("2 pictures not read: OCR is off",)
