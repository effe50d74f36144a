"""The shipped corpus PDFs look like real reports and are what scripts/render_corpus.py makes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest
from scriptload import load_script
from seedtext import SEEDS, load_seed

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"

A4 = (595.28, 841.89)
PDFS = {meta.pdf_name: (seed, meta) for seed, meta in SEEDS.items()}


@pytest.fixture(scope="module")
def opened() -> Iterator[dict[str, pdfplumber.PDF]]:
    pdfs = {name: pdfplumber.open(CORPUS / name) for name in PDFS}
    yield pdfs
    for pdf in pdfs.values():
        pdf.close()


@pytest.fixture(scope="module")
def words(opened: dict[str, pdfplumber.PDF]) -> dict[str, list[list[dict]]]:
    """Every page's words with font size and name, per PDF."""
    return {
        name: [page.extract_words(extra_attrs=["size", "fontname"]) for page in pdf.pages]
        for name, pdf in opened.items()
    }


def _body_size(pages: list[list[dict]]) -> float:
    sizes: dict[float, int] = {}
    for page in pages:
        for word in page:
            sizes[round(word["size"], 1)] = sizes.get(round(word["size"], 1), 0) + 1
    return max(sizes, key=sizes.__getitem__)


def test_corpus_is_shipped_small() -> None:
    for name in PDFS:
        path = CORPUS / name
        assert path.exists(), f"{path} missing: run scripts/render_corpus.py"
        assert path.read_bytes().startswith(b"%PDF-")
        assert path.stat().st_size < 2 * 1024 * 1024


@pytest.mark.parametrize("name", sorted(PDFS))
def test_a4_pages_and_sane_length(opened: dict[str, pdfplumber.PDF], name: str) -> None:
    pdf = opened[name]
    assert 25 <= len(pdf.pages) <= 150
    for page in pdf.pages:
        assert (page.width, page.height) == pytest.approx(A4, abs=0.5)


@pytest.mark.parametrize("name", sorted(PDFS))
def test_metadata(opened: dict[str, pdfplumber.PDF], name: str) -> None:
    _, meta = PDFS[name]
    info = opened[name].metadata
    assert info["Title"] == meta.title
    assert info["Author"] == meta.publisher
    assert info["Subject"]
    assert info["CreationDate"].startswith(f"D:{meta.year}")


@pytest.mark.parametrize("name", sorted(PDFS))
def test_footer_page_numbers_and_running_header(
    opened: dict[str, pdfplumber.PDF], words: dict[str, list[list[dict]]], name: str
) -> None:
    pdf = opened[name]
    height = pdf.pages[0].height
    headers = set()
    for number, page_words in enumerate(words[name][1:], start=2):
        footer = [w["text"] for w in page_words if w["top"] > height - 60]
        assert str(number) in footer, f"page {number}: footer {footer}"
        header = " ".join(w["text"] for w in page_words if w["bottom"] < 50)
        headers.add(header)
    assert len(headers) == 1 and headers.pop()  # the same title line on every page
    title_page = " ".join(w["text"] for w in words[name][0])
    assert PDFS[name][1].publisher in title_page


@pytest.mark.parametrize("name", sorted(PDFS))
def test_a_chapter_is_set_in_two_columns(
    opened: dict[str, pdfplumber.PDF], words: dict[str, list[list[dict]]], name: str
) -> None:
    width = opened[name].pages[0].width
    body = _body_size(words[name])
    mid = width / 2

    def columns(page_words: list[dict]) -> tuple[int, int, int]:
        text = [w for w in page_words if abs(w["size"] - body) < 0.3]
        left = sum(w["x1"] < mid for w in text)
        right = sum(w["x0"] > mid for w in text)
        across = sum(w["x0"] < mid < w["x1"] for w in text)
        return left, right, across

    shapes = [columns(page) for page in words[name]]
    two = [
        i
        for i, (left, right, across) in enumerate(shapes)
        if left > 150 and right > 150 and across == 0
    ]
    one = [i for i, (left, right, across) in enumerate(shapes) if across > 10]
    assert len(two) >= 3, "no run of two-column pages"
    assert len(one) > len(two)  # the rest of the report is one column


def test_headings_are_numbered_bold_and_larger(words: dict[str, list[list[dict]]]) -> None:
    for name, (seed, _) in PDFS.items():
        pages = words[name]
        body = _body_size(pages)
        numbers = {"4.3.2"} if seed.startswith("000") else {"6.2"}
        found = [
            w
            for page in pages[2:]
            for w in page
            if w["text"] in numbers and "Bold" in w["fontname"]
        ]
        assert found, f"{name}: no bold heading {numbers}"
        assert all(w["size"] > body for w in found)


def test_trondheim_opportunity_areas_are_headings(words: dict[str, list[list[dict]]]) -> None:
    pages = words["trondheim-veikart-helse.pdf"]
    bold = {w["text"] for page in pages[2:] for w in page if "Bold" in w["fontname"]}
    assert {f"4.3.{i}" for i in range(1, 8)} <= bold


def test_drammen_tables_are_ruled_tables(
    opened: dict[str, pdfplumber.PDF], shared_dir: Path
) -> None:
    doc = load_seed(shared_dir / "seeds" / "003_dd8901a9cd81dfff.txt")
    expected = [b.rows for b in doc.blocks if b.kind == "table"]
    pdf = opened["drammensregionen-helse-fou.pdf"]
    found: list[list[list[str]]] = []
    for page in pdf.pages:
        for table in page.find_tables():
            found.append([[" ".join((c or "").split()) for c in row] for row in table.extract()])
    headers = {tuple(t[0]) for t in found if t}
    for rows in expected:
        assert tuple(rows[0]) in headers, f"table {rows[0]} not found as a ruled table"
    key = next(t for t in found if t[0][1:3] == ["Drammen", "Kongsberg"] and len(t) > 5)
    assert ["Befolkning", "104 487", "28 848", "28 470", "20 779", "5 550 203", "2024"] in key


def test_trondheim_has_no_tables(opened: dict[str, pdfplumber.PDF]) -> None:
    pdf = opened["trondheim-veikart-helse.pdf"]
    assert not any(page.find_tables() for page in pdf.pages)


def test_footnotes_sit_at_the_bottom_of_the_referencing_page(
    opened: dict[str, pdfplumber.PDF], words: dict[str, list[list[dict]]]
) -> None:
    pages = words["trondheim-veikart-helse.pdf"]
    doc_notes = {"4": "https://www.regjeringen.no/no/dokumenter/horing-forslag-til-ny-lov"}
    for label, start in doc_notes.items():
        hits = [(i, w) for i, page in enumerate(pages) for w in page if w["text"].startswith(start)]
        assert len(hits) == 1
        index, note = hits[0]
        page = pages[index]
        marker = next(w for w in page if w["text"].startswith("regelverket"))
        # the marker is a small superscript right after the word, on the same page as the note
        sup = [w for w in page if w["text"] == label and w["size"] < marker["size"]]
        assert sup and note["top"] > marker["top"]
        body = _body_size(pages)
        assert note["size"] < body
        text_bottom = max(w["bottom"] for w in page if abs(w["size"] - body) < 0.3)
        assert note["top"] > text_bottom  # below all body text


def test_render_reproduces_the_shipped_pdfs(tmp_path: Path, shared_dir: Path) -> None:
    pytest.importorskip("pyphen")  # hyphenation is part of the layout
    import reportlab

    render_corpus = load_script("render_corpus")
    REPORTLAB, main = render_corpus.REPORTLAB, render_corpus.main

    if reportlab.Version != REPORTLAB:
        pytest.skip(f"the corpus was set with reportlab {REPORTLAB}, not {reportlab.Version}")

    assert main(["--seeds", str(shared_dir / "seeds"), "--out", str(tmp_path)]) == 0
    for name in PDFS:
        assert (tmp_path / name).read_bytes() == (CORPUS / name).read_bytes(), (
            f"{name} differs from a fresh render: re-run scripts/render_corpus.py and commit"
        )


@pytest.mark.parametrize("name", sorted(PDFS))
def test_no_text_runs_into_the_margins(
    opened: dict[str, pdfplumber.PDF], words: dict[str, list[list[dict]]], name: str
) -> None:
    width = opened[name].pages[0].width
    for number, page in enumerate(words[name], start=1):
        outside = [w["text"] for w in page if w["x0"] < 50 or w["x1"] > width - 50]
        assert not outside, f"page {number}: {outside[:3]}"


@pytest.mark.parametrize("name", sorted(PDFS))
def test_every_footnote_is_printed_once(
    opened: dict[str, pdfplumber.PDF],
    words: dict[str, list[list[dict]]],
    shared_dir: Path,
    name: str,
) -> None:
    notes = load_seed(shared_dir / "seeds" / PDFS[name][0]).footnotes
    height = opened[name].pages[0].height
    body = _body_size(words[name])
    labels = [
        w["text"]
        for page in words[name][2:]
        for w in page
        # a note's number: small, at the left margin, in the lower part of the page
        if w["text"].isdigit() and w["size"] < 0.7 * body and w["x0"] < 70 and w["top"] > height / 3
    ]
    assert sorted(labels, key=int) == sorted(notes, key=int)
