"""PDF parsing: layout features on a purpose-built report, bad files, and fidelity on the corpus."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pdfdocs import (
    DEJAVU,
    FOOTNOTE_1,
    FOOTNOTE_2,
    HEADER,
    encrypted_pdf,
    plain_pdf,
    report_pdf,
    scanned_pdf,
    truncated_pdf,
    turned_pdf,
)
from reportlab.pdfgen import canvas
from scriptload import load_script

from policyminer.parse.pdf import BACKENDS, ParseError, parse_pdf, sha256_file
from policyminer.parse.textclean import words
from policyminer.records import ParsedDocument, ParseOptions

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
BODY_KINDS = ("body", "heading", "list")


def body_text(doc: ParsedDocument) -> str:
    return "\n".join(p.text for p in doc.paragraphs if p.kind in BODY_KINDS)


def paragraph_with(doc: ParsedDocument, fragment: str):
    return next(p for p in doc.paragraphs if fragment in p.text)


def recall(truth: str, found: str) -> float:
    want, got = Counter(words(truth)), Counter(words(found))
    return sum(min(n, got[w]) for w, n in want.items()) / sum(want.values())


# ---------------------------------------------------------------- the sample report


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return report_pdf(tmp_path_factory.mktemp("pdf") / "rapport.pdf")


@pytest.fixture(scope="module", params=BACKENDS)
def report(request: pytest.FixtureRequest, report_file: Path) -> ParsedDocument:
    return parse_pdf(report_file, backend=request.param)


def test_two_column_page_is_read_column_by_column(report: ParsedDocument) -> None:
    left = paragraph_with(report, "Digitale hjemmetjenester lar")
    right = paragraph_with(report, "Helsedata fra kommunale tjenester")
    assert report.paragraphs.index(left) < report.paragraphs.index(right)
    assert left.text.endswith("like viktig som selve teknologien.")
    assert "Universitetet" not in left.text and "Sensorer" not in right.text
    assert right.text.endswith("tilgang og lagring av opplysninger.")


def test_running_header_footer_and_page_numbers_are_removed(report: ParsedDocument) -> None:
    texts = [p.text for p in report.paragraphs]
    assert not any(HEADER in t for t in texts)
    assert not any(re.search(r"\bSide \d\b", t) for t in texts)
    # the top-right header names the chapter and prints a page number two ahead of the physical
    assert not any(re.search(r"(Innledning|Mulighetsområder|finansiering) \d$", t) for t in texts)
    assert sum(t.count("Mulighetsområder") for t in texts) == 1
    assert not any(t.strip().isdigit() for t in texts)


def test_rotated_margin_text_is_left_out(report: ParsedDocument) -> None:
    assert not any("UTKAST" in p.text for p in report.paragraphs)


def test_line_end_hyphenation_is_joined_and_real_hyphens_stay(report: ParsedDocument) -> None:
    text = body_text(report)
    assert "samarbeid med helsesektoren er avgjørende" in text
    assert "dialogen med Helse- og omsorgsdepartementet" in text
    assert "om nye IKT-løsninger for hjemmetjenesten." in text
    assert "styrke helse- og omsorgstjenestene" in text
    assert "helse-sektoren" not in text and "helse- sektoren" not in text


def test_hyphenation_over_a_page_break_is_joined(report: ParsedDocument) -> None:
    before = paragraph_with(report, "Kommunen skal følge med")
    after = paragraph_with(report, "utvikler seg i årene som kommer.")
    assert (before.page, after.page) == (5, 6)
    assert before.text.endswith("hvordan behovet for hjemmetjenester")
    assert after.text == "utvikler seg i årene som kommer."


def test_headings_give_numbered_section_paths(report: ParsedDocument) -> None:
    headings = [p.text for p in report.paragraphs if p.kind == "heading"]
    for title in (
        "1 Innledning",
        "1.1 Bakgrunn",
        "2 Mulighetsområder",
        "3.1 Oppfølging",
        "2.1 Digitale hjemmetjenester",
        "2.2.1 Sekundærbruk av helsedata",
    ):
        assert title in headings
    assert paragraph_with(report, "Sekundærbruk av helsedata betyr").section_path == (
        "2 Mulighetsområder",
        "2.2 Helsedata og forskning",
        "2.2.1 Sekundærbruk av helsedata",
    )
    right = paragraph_with(report, "Helsedata fra kommunale tjenester")
    assert right.section == "2.2 Helsedata og forskning"
    follow_up = paragraph_with(report, "Kommunedirektøren rapporterer")
    assert follow_up.section_path == ("3 Tiltak og finansiering", "3.1 Oppfølging")
    assert follow_up.page == 6


def test_numbered_headings_set_like_body_text_still_make_sections(tmp_path: Path) -> None:
    doc = parse_pdf(
        plain_pdf(
            tmp_path / "notat.pdf",
            [
                [
                    "1 Innledning",
                    "Kommunen har laget en plan for digital hjemmeoppfølging.",
                    "2 Tiltak",
                    "Planen har tre tiltak:",
                    "1. Opplæring av ansatte",
                    "2. Nye nettbrett til brukerne",
                ]
            ],
        )
    )
    assert [p.text for p in doc.paragraphs if p.kind == "heading"] == ["1 Innledning", "2 Tiltak"]
    assert paragraph_with(doc, "Kommunen har laget").section == "1 Innledning"
    items = [p for p in doc.paragraphs if p.kind == "list"]
    assert [p.text for p in items] == ["1. Opplæring av ansatte", "2. Nye nettbrett til brukerne"]
    assert all(p.section == "2 Tiltak" for p in items)


def test_footnotes_are_kept_apart_from_body_text(report: ParsedDocument) -> None:
    notes = [p for p in report.paragraphs if p.kind == "footnote"]
    assert [(n.page, n.text) for n in notes] == [(2, FOOTNOTE_1), (5, FOOTNOTE_2)]
    body = body_text(report)
    assert "Meld. St. 24" not in body and "økonomiplan" not in body
    # the raised reference marks are not glued to the words they follow
    assert "løsninger for hjemmetjenesten." in body and "hjemmetjenesten.1" not in body
    assert "forslag til videre finansiering." in body and "finansiering.2" not in body


def test_bullets_become_list_paragraphs(report: ParsedDocument) -> None:
    items = [p.text for p in report.paragraphs if p.kind == "list"]
    assert len(items) == 3
    assert items[1].startswith("Medisindispensere") and items[1].endswith("følge opp samme dag")
    assert not any(item.startswith("•") for item in items)


def test_ruled_table_is_kept_as_readable_rows(report: ParsedDocument) -> None:
    tables = [p for p in report.paragraphs if p.kind == "table"]
    assert [t.page for t in tables] == [4, 4]
    assert tables[0].text.split("\n") == [
        "Tiltak | Ansvar | Budsjett (mill. kr)",
        "Digitalt tilsyn | Helse og velferd | 12",
        "Felles dataplattform | Kommunedirektøren | 8",
        "Opplæring av ansatte | Personalavdelingen | 3",
    ]
    assert "Personalavdelingen" not in body_text(report)


def test_table_with_horizontal_rules_only_keeps_rows_and_wrapped_cells(
    report: ParsedDocument,
) -> None:
    table = [p for p in report.paragraphs if p.kind == "table"][1]
    assert table.text.split("\n") == [
        "Gevinst | Beskrivelse | Innen",
        "Færre kjøreturer | Hjemmesykepleien ser målinger uten å reise hjem til brukeren | 2025",
        "Tryggere brukere | Varsler når noe er galt | 2026",
    ]
    assert "Varsler når noe er galt" not in body_text(report)


@pytest.mark.skipif(not DEJAVU.exists(), reason="needs the DejaVu font for ligature glyphs")
def test_ligatures_soft_hyphens_and_odd_spaces_are_normalised(report: ParsedDocument) -> None:
    text = paragraph_with(report, "Kommunen vil").text
    assert text.startswith("Kommunen vil finansiere flere tiltak med 12 millioner kroner")
    assert "styrke omsorgstjenestene i alle bydeler gjennom velferdsteknologi og nye" in text
    assert not re.search("[\ufb00-\ufb06\u00a0\u00ad]", body_text(report))


def test_metadata_and_physical_pages(report: ParsedDocument, report_file: Path) -> None:
    assert report.title == "Veikart for digital helse i Testkommune"
    assert report.publisher == "Testforlaget AS"
    assert report.year == 2024
    assert report.page_count == 6
    assert report.sha256 == hashlib.sha256(report_file.read_bytes()).hexdigest()
    assert paragraph_with(report, "1 Innledning").page == 2
    assert paragraph_with(report, "Tiltak | Ansvar").page == 4


def test_both_backends_extract_the_same_words(report_file: Path) -> None:
    pdfium, plumber = (parse_pdf(report_file, backend=b) for b in BACKENDS)
    assert recall(body_text(pdfium), body_text(plumber)) >= 0.99
    assert recall(body_text(plumber), body_text(pdfium)) >= 0.99
    paths = [[p.section_path for p in doc.paragraphs] for doc in (pdfium, plumber)]
    assert paths[0] == paths[1]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_turned_landscape_page_reads_upright(tmp_path: Path, backend: str) -> None:
    doc = parse_pdf(turned_pdf(tmp_path / "tvers.pdf"), backend=backend)
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("heading", "1 Bred tabell"),
        ("body", "Denne siden er satt på tvers. Teksten leses likevel fra venstre mot høyre."),
    ]


def test_title_and_year_fall_back_to_the_title_page(tmp_path: Path) -> None:
    doc = parse_pdf(report_pdf(tmp_path / "uten-metadata.pdf", metadata=False))
    assert doc.title == "Veikart for digital helse i Testkommune"
    assert doc.publisher is None
    assert doc.year == 2024


def test_a_tools_placeholder_metadata_is_no_title_or_publisher(tmp_path: Path) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    path = tmp_path / "notat.pdf"  # ReportLab writes "(anonymous)" as title and author
    big = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=20, leading=24)
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13)
    text = " ".join(["Planen beskriver nye sykkelveier langs fjorden."] * 3)
    story = [Paragraph("Plan for nye sykkelveier", big), Paragraph(text, body)]
    SimpleDocTemplate(str(path), invariant=1).build(story)
    doc = parse_pdf(path)
    assert doc.title == "Plan for nye sykkelveier"
    assert doc.publisher is None


def _cover_pdf(path: Path, metadata_title: str, cover: list[tuple[str, float, bool]]) -> Path:
    """A one-page document: the cover's lines (text, size, bold) from the top, then a body."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    if metadata_title:
        pdf.setTitle(metadata_title)
    y = 760.0
    lines = (
        cover + [("Planen beskriver nye sykkelveier langs fjorden og i sentrum.", 10, False)] * 6
    )
    for text, size, bold in lines:
        pdf.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        pdf.drawString(72, y, text)
        y -= size * 1.4
    pdf.save()
    return path


def test_a_metadata_title_the_document_never_prints_gives_way_to_the_cover(
    tmp_path: Path,
) -> None:
    cover = [("Plan for nye sykkelveier i Fjordvik", 20, True)]
    doc = parse_pdf(_cover_pdf(tmp_path / "plan.pdf", "Dokumentmal versjon 3 fra IT", cover))
    assert doc.title == "Plan for nye sykkelveier i Fjordvik"
    # a title the cover prints (in capitals, with more words) is kept as the metadata gives it
    cover = [("PLAN FOR SYKKELVEIER I FJORDVIK 2025–2030", 20, True)]
    doc = parse_pdf(_cover_pdf(tmp_path / "plan2.pdf", "Plan for sykkelveier i Fjordvik", cover))
    assert doc.title == "Plan for sykkelveier i Fjordvik"


def test_a_title_set_in_bold_at_the_texts_size_is_its_opening_bold_lines(tmp_path: Path) -> None:
    cover = [("REGULERINGSBESTEMMELSER FOR", 10, True), ("SENTRUM NORD I FJORDVIK", 10, True)]
    doc = parse_pdf(_cover_pdf(tmp_path / "bestemmelser.pdf", "", cover))
    assert doc.title == "REGULERINGSBESTEMMELSER FOR SENTRUM NORD I FJORDVIK"


def test_title_lines_far_apart_are_parts_of_the_title(tmp_path: Path) -> None:
    # a template's title, wrapped, and further down the cover the project it is filled in for
    cover = [
        ("Miljøoppfølging i bygg- og", 20, True),
        ("anleggsprosjekter", 20, True),
        ("", 20, False),
        ("", 20, False),
        ("Miljøplan for Nordvik skole", 20, True),
    ]
    doc = parse_pdf(_cover_pdf(tmp_path / "program.pdf", "", cover))
    assert doc.title == (
        "Miljøoppfølging i bygg- og anleggsprosjekter – Miljøplan for Nordvik skole"
    )


def test_year_falls_back_to_the_creation_date(tmp_path: Path) -> None:
    doc = parse_pdf(plain_pdf(tmp_path / "notat.pdf", [["Et kort notat om helse og omsorg."]]))
    assert doc.title == "Et kort notat om helse og omsorg."
    assert doc.year == 2000  # reportlab's invariant mode stamps 2000-01-01


def test_progress_reports_every_page(report_file: Path) -> None:
    seen: list[tuple[int, int]] = []
    parse_pdf(report_file, progress=lambda page, total: seen.append((page, total)))
    assert seen == [(page, 6) for page in range(1, 7)]


def test_sha256_file_streams_the_bytes(tmp_path: Path) -> None:
    data = bytes(range(256)) * 9000  # bigger than one read
    path = tmp_path / "data.bin"
    path.write_bytes(data)
    assert sha256_file(path) == hashlib.sha256(data).hexdigest()


def test_unknown_backend_is_refused(report_file: Path) -> None:
    with pytest.raises(ValueError, match="unknown PDF backend"):
        parse_pdf(report_file, backend="ocr")


# ---------------------------------------------------------------- bad input


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory, report_file: Path) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad")
    (folder / "tom.pdf").write_bytes(b"")
    (folder / "tekst.pdf").write_text("Dette er bare tekst, ikke en PDF.\n", encoding="utf-8")
    truncated_pdf(folder / "avkuttet.pdf", report_file)
    data = report_file.read_bytes()
    (folder / "skadet.pdf").write_bytes(data[:2000] + b"\x00" * 5000 + data[-600:])
    encrypted_pdf(folder / "passord.pdf")
    scanned_pdf(folder / "skannet.pdf")
    (folder / "mappe.pdf").mkdir()
    (folder / "lenke.pdf").symlink_to(folder / "finnes-ikke.pdf")
    _one_page_pdf(folder / "blank.pdf", "")
    _one_page_pdf(folder / "ett-tegn.pdf", "x")
    empty = pdfium.PdfDocument.new()  # a page tree with no page in it
    empty.save(str(folder / "ingen-sider.pdf"))
    empty.close()
    return {p.name: p for p in folder.iterdir()}


def _one_page_pdf(path: Path, text: str) -> None:
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()


EXPECTED = {
    "tom.pdf": "empty file (0 bytes)",
    "tekst.pdf": "not a PDF (file starts with 'Dette er bare te')",
    "avkuttet.pdf": "corrupt PDF: ",
    "skadet.pdf": "corrupt PDF: ",
    "passord.pdf": "encrypted PDF (password-protected)",
    "skannet.pdf": "no text layer (needs OCR)",
    "mappe.pdf": "cannot read: ",
    "lenke.pdf": "cannot read: ",
    # nothing for OCR to read either: said so, not sent to OCR
    "blank.pdf": "no text: its pages are blank",
    "ett-tegn.pdf": "too little text to index (1 letter on its fullest page)",
    "ingen-sider.pdf": "corrupt PDF: it has no pages",
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_gives_one_line_reason(
    bad_files: dict[str, Path], name: str, backend: str
) -> None:
    # without OCR, as `ingest --no-ocr` runs: a scan is reported, not read
    with pytest.raises(ParseError) as caught:
        parse_pdf(bad_files[name], backend=backend, options=ParseOptions(ocr=False))
    message = str(caught.value)
    assert message.startswith(EXPECTED[name])
    assert "\n" not in message and len(message) < 160


@pytest.mark.parametrize("name", ["blank.pdf", "ett-tegn.pdf", "ingen-sider.pdf"])
def test_a_pdf_with_nothing_to_read_says_what_is_missing_with_ocr_on(
    bad_files: dict[str, Path], name: str
) -> None:
    with pytest.raises(ParseError) as caught:
        parse_pdf(bad_files[name])
    message = str(caught.value)
    assert message.startswith(EXPECTED[name])
    assert "OCR" not in message and "success" not in message.lower()
    assert "page" in message


def test_owner_only_protection_still_parses(tmp_path: Path) -> None:
    """A PDF with only an owner password (print/copy limits) opens without one."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    path = tmp_path / "begrenset.pdf"
    pdf = canvas.Canvas(str(path), encrypt=StandardEncryption("", ownerPassword="eier"))
    pdf.drawString(72, 700, "Offentlig rapport om helse og omsorg i kommunen.")
    pdf.save()
    assert "Offentlig rapport" in parse_pdf(path).paragraphs[0].text


# ---------------------------------------------------------------- the shipped corpus


def corpus_cases() -> list[tuple[str, str]]:
    return [
        ("000_4835574da3d7928c.txt", "trondheim-veikart-helse.pdf"),
        ("003_dd8901a9cd81dfff.txt", "drammensregionen-helse-fou.pdf"),
    ]


@pytest.fixture(scope="module")
def corpus() -> dict[tuple[str, str], ParsedDocument]:
    """Each corpus PDF parsed once per backend."""
    missing = [pdf for _, pdf in corpus_cases() if not (REPO / "corpus" / pdf).exists()]
    if missing or not SEEDS.exists():
        pytest.skip(f"corpus or seeds missing: {missing or SEEDS}")
    return {
        (pdf, backend): parse_pdf(REPO / "corpus" / pdf, backend=backend)
        for _, pdf in corpus_cases()
        for backend in BACKENDS
    }


@pytest.fixture(scope="module")
def seedtext():
    import seedtext

    return seedtext


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("seed", "pdf"), corpus_cases())
def test_corpus_body_text_recall(corpus, seedtext, seed: str, pdf: str, backend: str) -> None:
    truth = seedtext.clean_body_text(SEEDS / seed)
    assert recall(truth, body_text(corpus[(pdf, backend)])) >= 0.98


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("seed", "pdf"), corpus_cases())
def test_corpus_reading_order_follows_the_seed(
    corpus, seedtext, seed: str, pdf: str, backend: str
) -> None:
    """Each seed block's opening words appear after the previous block's, two-column pages too."""
    doc = corpus[(pdf, backend)]
    body = body_text(doc)
    blocks = seedtext.clean_body_text(SEEDS / seed).split("\n\n")
    position, in_order = body.find(blocks[0][:40]), 0
    for block in blocks:
        found = body.find(block[:40], max(position, 0))
        if found >= 0:
            position, in_order = found, in_order + 1
    assert in_order / len(blocks) >= 0.99


@pytest.mark.parametrize(("seed", "pdf"), corpus_cases())
def test_corpus_margins_do_not_leak_into_body(corpus, seedtext, seed: str, pdf: str) -> None:
    look = load_script("render_corpus").LOOKS[seed]
    doc = corpus[(pdf, "pdfium")]
    truth = seedtext.clean_body_text(SEEDS / seed, tables=True, footnotes=True)
    body = [p for p in doc.paragraphs if p.kind in BODY_KINDS and p.page > 1]
    for phrase in filter(None, (look.running_title, look.footer_left)):
        assert sum(p.text.count(phrase) for p in body) <= truth.count(phrase), phrase
    pages: dict[int, list[str]] = {}
    for p in body:
        pages.setdefault(p.page, []).append(p.text)
    for page, texts in pages.items():
        # a leaked page number would be a paragraph of its own or stick to the page's first or
        # last paragraph
        assert str(page) not in texts
        if texts[0].split()[0] == str(page):
            assert texts[0] in truth, texts[0]
        if texts[-1].split()[-1] == str(page):
            assert texts[-1] in truth, texts[-1]


@pytest.mark.parametrize(
    ("seed", "pdf", "chapter"),
    [
        ("000_4835574da3d7928c.txt", "trondheim-veikart-helse.pdf", "4.3."),
        ("003_dd8901a9cd81dfff.txt", "drammensregionen-helse-fou.pdf", "6."),
    ],
)
def test_corpus_section_paths(corpus, seedtext, seed: str, pdf: str, chapter: str) -> None:
    seed_doc = seedtext.load_seed(SEEDS / seed)
    doc = corpus[(pdf, "pdfium")]
    numbered = {f"{b.number} {b.text}": b.number for b in seed_doc.headings() if b.number}
    wanted = [title for title, number in numbered.items() if number.startswith(chapter)]
    assert len(wanted) >= 4
    parents = {number: title for title, number in numbered.items()}
    for title in wanted:
        heading = next(p for p in doc.paragraphs if p.kind == "heading" and p.text == title)
        after = doc.paragraphs[doc.paragraphs.index(heading) + 1]
        number = numbered[title]
        outer = [parents[".".join(number.split(".")[:i])] for i in range(1, number.count(".") + 1)]
        assert after.kind == "body" or after.kind == "heading"
        assert after.section_path[: len(outer) + 1] == (*outer, title)


def test_corpus_tables_keep_their_rows(corpus, seedtext) -> None:
    seed_doc = seedtext.load_seed(SEEDS / "003_dd8901a9cd81dfff.txt")
    rows = [
        " | ".join(cell for cell in row if cell)
        for b in seed_doc.blocks
        if b.kind == "table"
        for row in b.rows
    ]
    assert len(rows) > 20
    for backend in BACKENDS:
        doc = corpus[("drammensregionen-helse-fou.pdf", backend)]
        tables = "\n".join(p.text for p in doc.paragraphs if p.kind == "table")
        found = sum(1 for row in rows if row in tables)
        assert found / len(rows) >= 0.95, backend


@pytest.mark.parametrize(("seed", "pdf"), corpus_cases())
def test_corpus_footnotes_are_apart(corpus, seedtext, seed: str, pdf: str) -> None:
    seed_doc = seedtext.load_seed(SEEDS / seed)
    doc = corpus[(pdf, "pdfium")]
    notes = "\n".join(p.text for p in doc.paragraphs if p.kind == "footnote")
    assert recall("\n".join(seed_doc.footnotes.values()), notes) >= 0.95
    body = body_text(doc)
    for note in seed_doc.footnotes.values():
        if len(note) > 40:
            assert note not in body


def test_corpus_metadata(corpus, seedtext) -> None:
    for seed, pdf in corpus_cases():
        meta = seedtext.SEEDS[seed]
        doc = corpus[(pdf, "pdfium")]
        assert (doc.title, doc.publisher, doc.year) == (meta.title, meta.publisher, meta.year)


def test_line_end_hyphens_before_a_subordinator_are_joined_but_suspended_compounds_stay() -> None:
    from policyminer.parse.textclean import join_lines

    assert join_lines(["Der-", "som kommunen vil"]) == "Dersom kommunen vil"
    joined = join_lines(["styrke helse-", "og omsorgstjenestene"])
    assert joined == "styrke helse- og omsorgstjenestene"
    assert join_lines(["inn-", "eller utland"]) == "inn- eller utland"
