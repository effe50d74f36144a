"""The web app without a browser: quote location, page rendering, access control, errors, i18n."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import numpy as np
import pytest
from asking import index_note
from messydocs import rasterised_pdf, text_pdf
from pdfdocs import plain_pdf
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from starlette.testclient import TestClient

from policyminer.library import Library
from policyminer.web import i18n
from policyminer.web.app import create_app, is_loopback
from policyminer.web.pages import locate, locate_term, render_page

TOKEN = "test-token-1234"


def yellow_pixels(png: bytes) -> int:
    """How many pixels are the highlight's yellow (white paper under translucent yellow)."""
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    return int(((r > 230) & (g > 200) & (g < 245) & (b < 170)).sum())


# -- locating a quote on a page -----------------------------------------------------------------


def test_a_quote_is_found_across_line_breaks_hyphenation_and_a_glued_footnote_marker() -> None:
    page = (
        "Kapittel 2\r\nFylket har lagt fram en ny strategi for kol-\r\nlektivtrafikk i distrik-"
        "\r\ntene7\r\n som skal gjelde fra neste år.\r\nNeste avsnitt begynner her."
    )
    quote = "Fylket har lagt fram en ny strategi for kollektivtrafikk i distriktene som skal gjelde"
    first, last = locate(page, quote)
    assert page[first:].startswith("Fylket")
    assert page[: last + 1].endswith("gjelde")


def test_a_quote_that_is_not_on_the_page_or_too_short_is_not_located() -> None:
    page = "Fylket har lagt fram en ny strategi for kollektivtrafikk i distriktene."
    assert locate(page, "Kommunen har vedtatt en plan for sykkelveier langs kysten.") is None
    assert locate(page, "Fylket") is None  # a few letters match too easily to be a citation


def test_a_name_is_marked_wherever_it_stands_as_a_whole_word() -> None:
    page = "NTNU og SINTEF samarbeider. Rapporten fra NTNU viser at NTNUs rolle og XNTNU er ulike."
    spans = locate_term(page, "NTNU")
    assert [page[a : b + 1] for a, b in spans] == ["NTNU", "NTNU"]


def test_the_rendered_page_is_highlighted_only_where_the_quote_is(tmp_path: Path) -> None:
    pdf = plain_pdf(
        tmp_path / "notat.pdf",
        [
            ["Forside"],
            [
                "Regionen satser på havvind og grønn industri de neste ti årene.",
                "Kommunene skal samarbeide om arealplaner for nye næringsområder.",
                "Dette avsnittet handler om noe helt annet enn de to første linjene.",
            ],
        ],
    )
    plain = render_page(pdf, 2)
    assert not plain.boxes and yellow_pixels(plain.png) == 0
    found = render_page(pdf, 2, "Kommunene skal samarbeide om arealplaner for nye næringsområder.")
    assert len(found.boxes) == 1 and found.located
    box = found.boxes[0]
    # The box covers the second line (baseline 88 pt down): below the first, above the third.
    assert 72 * 1.5 < box.top < 88 * 1.5 < box.bottom < 104 * 1.5
    assert yellow_pixels(found.png) > 1000
    missing = render_page(pdf, 2, "Fylket bygger en ny bro over fjorden innen utgangen av året.")
    assert not missing.located and missing.png == plain.png


def test_a_quote_in_one_of_two_columns_is_highlighted_in_its_column(tmp_path: Path) -> None:
    path = tmp_path / "spalter.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    left = ["Fylket vil bygge ut", "hurtigladere langs", "hovedveiene innen 2030."]
    right = ["Bibliotekene skal få", "lengre åpningstider", "i alle kommunene."]
    for row, (a, b) in enumerate(zip(left, right, strict=True)):
        pdf.setFont("Helvetica", 11)
        pdf.drawString(72, 700 - 16 * row, a)
        pdf.drawString(320, 700 - 16 * row, b)
    pdf.save()
    page = render_page(path, 1, "Fylket vil bygge ut hurtigladere langs hovedveiene innen 2030.")
    assert len(page.boxes) == 3
    assert all(b.left > 72 * 1.5 - 2 and b.right < 320 * 1.5 for b in page.boxes)
    other = render_page(path, 1, "Bibliotekene skal få lengre åpningstider i alle kommunene.")
    assert len(other.boxes) == 3 and all(b.left > 319 * 1.5 for b in other.boxes)


# -- the app: access, errors, languages, uploads ------------------------------------------------


@pytest.fixture
def empty_index(tmp_path: Path) -> Path:
    return tmp_path / "index"


def client(index: Path, **options) -> TestClient:
    app = create_app(index, warm=False, **options)
    return TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract-ocr")
def test_the_document_list_says_which_pages_ocr_read(tmp_path: Path) -> None:
    text = "Kommunestyret vedtok en ny plan for vannforsyning og avløp i bygdene langs fjorden."
    source = text_pdf(tmp_path / "kilde.pdf", [text])
    (tmp_path / "docs").mkdir()
    scan = rasterised_pdf(tmp_path / "docs" / "skannet.pdf", source)
    index = tmp_path / "index"
    with Library(index) as library:
        library.ingest([scan])
    page = client(index).get("/documents")
    assert page.status_code == 200
    assert "1 (1 OCR)" in " ".join(page.text.split())


def test_the_areas_page_names_the_areas_in_the_page_language(tmp_path: Path) -> None:
    text = (
        "# Helse\n\nKommunen tar i bruk velferdsteknologi som trygghetsalarmer og sensorer, "
        "slik at eldre kan bo trygt lenger hjemme.\n"
    )
    index = index_note(tmp_path, "notat.md", text)
    with client(index) as web:
        norwegian = web.get("/areas", headers={"Accept-Language": "nb"}).text
        english = web.get("/areas", headers={"Accept-Language": "en"}).text
        nynorsk = web.get("/areas", headers={"Accept-Language": "nn"}).text
    assert "T2 Digitale hjemmetjenester" in norwegian and "T2 Digital home services" in english
    assert "Digitale hjemmetjenester" not in english  # neither in the report nor the area list
    assert "T2 Digitale heimetenester" in nynorsk and "Moglegheitsområde" in nynorsk


def test_a_token_is_checked_on_every_request_and_traded_for_a_cookie(empty_index: Path) -> None:
    with client(empty_index, token=TOKEN) as web:
        refused = web.get("/")
        assert refused.status_code == 401 and "access token" in refused.text
        assert web.get("/api/documents").status_code == 401
        assert web.get("/?token=wrong-token-0000").status_code == 401
        entry = web.get("/documents?token=" + TOKEN)
        assert entry.status_code == 303 and entry.headers["location"] == "/documents"
        assert web.get("/documents").status_code == 200  # the cookie now carries the token
    with client(empty_index, token=TOKEN) as api:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        assert api.get("/api/documents", headers=headers).json() == []


def test_without_a_token_only_loopback_hosts_and_same_origin_posts_are_served(
    empty_index: Path,
) -> None:
    with client(empty_index) as web:
        assert web.get("/").status_code == 200
        foreign = web.get("/", headers={"Host": "attacker.example"})
        assert foreign.status_code == 403 and "unexpected host" in foreign.text
        cross = web.post(
            "/documents/folder", data={"folder": "/tmp"}, headers={"Origin": "http://evil.test"}
        )
        assert cross.status_code == 403 and "cross-site" in cross.text
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")


def test_errors_are_one_line_pages_and_json_for_the_api(empty_index: Path) -> None:
    with client(empty_index) as web:
        page = web.get("/no/such/page")
        assert page.status_code == 404
        assert '<p class="error" id="error">not found</p>' in page.text
        assert "Traceback" not in page.text
        api = web.get("/api/search?q=")
        assert api.status_code == 400 and api.json() == {"error": "give ?q= (it is empty)"}
        assert (
            web.get("/api/search?q=helse&mode=fuzzy")
            .json()["error"]
            .startswith("unknown mode 'fuzzy'")
        )
        missing = web.get("/file/anything")
        assert missing.status_code == 404 and "no such document" in missing.text


def test_the_language_follows_the_browser_and_the_switch(empty_index: Path) -> None:
    with client(empty_index) as web:
        assert "Ask the documents" in web.get("/", headers={"Accept-Language": "en-GB"}).text
        assert "Spør dokumentene" in web.get("/", headers={"Accept-Language": "no,en"}).text
        assert "Spør dokumenta" in web.get("/", headers={"Accept-Language": "nn-NO,en"}).text
        switched = web.get("/?lang=en", headers={"Accept-Language": "nb"})
        assert "Ask the documents" in switched.text
        assert "Ask the documents" in web.get("/", headers={"Accept-Language": "nb"}).text
        nynorsk = web.get("/?lang=nn").text  # the cookie keeps it
        assert "Spør dokumenta" in nynorsk and 'id="standard-switch"' in nynorsk
        assert "<h1>Dokument</h1>" in web.get("/documents").text
    assert i18n.from_accept_language("de-DE, en;q=0.5, nb;q=0.8") == "nb"
    assert i18n.from_accept_language("fr") == i18n.DEFAULT_LANG


def test_every_word_of_the_pages_is_written_in_nynorsk_too() -> None:
    assert i18n.NYNORSK.keys() == i18n.MESSAGES.keys()
    t = i18n.translator("nn")
    assert t("docs.upload_help", mb=50) == "PDF, tekst eller Markdown; høgst 50 MB per fil."
    assert t("ask.abstained") == "Fann ikkje noko svar i dokumenta."


def test_a_folder_to_add_must_be_an_absolute_folder_on_the_server(
    empty_index: Path, tmp_path: Path
) -> None:
    with client(empty_index) as web:
        for folder, reason in [
            ("docs", "give an absolute path on the server"),
            (str(tmp_path / "nowhere"), "no such folder on the server"),
            ("", "give a folder path"),
        ]:
            reply = web.post("/documents/folder", data={"folder": folder})
            assert reply.status_code == 400 and reason in reply.text, folder
        assert web.get("/api/jobs").json() == {"jobs": []}


def test_uploads_of_the_wrong_type_size_or_content_are_refused_and_not_kept(
    empty_index: Path,
) -> None:
    with client(empty_index, max_upload_mb=1) as web:
        cases = [
            (("run.exe", b"MZ\x90\x00", "application/octet-stream"), "unsupported file type"),
            (("report.pdf", b"<html>not a pdf</html>", "application/pdf"), "not a PDF"),
            (("big.txt", b"x" * (1024 * 1024 + 10), "text/plain"), "larger than 1 MB"),
            (("../../escape.txt", b"", "text/plain"), "empty file"),
        ]
        for upload, reason in cases:
            reply = web.post("/documents/upload", files={"files": upload})
            assert reply.status_code == 400, upload[0]
            assert reason in reply.text
        assert not list((empty_index / "uploads").glob("*"))
        assert not (empty_index.parent / "escape.txt").exists()


def test_a_word_file_is_cited_by_its_section_and_its_file_offered(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Skoleplan for Fjordvik", 1)
    document.add_paragraph("Kommunen legger fram en plan for skolene i bygdene.")
    document.add_heading("Skolebygg", 2)
    document.add_paragraph("Nordbukta skole får nytt bygg med plass til 240 elever i 2027.")
    document.save(str(tmp_path / "skoleplan.docx"))
    index = tmp_path / "index"
    with Library(index) as library:
        library.ingest([tmp_path / "skoleplan.docx"])
    web = client(index)
    page = web.get("/", params={"q": "Hvor mange elever får Nordbukta skole plass til?"})
    text = " ".join(page.text.split())
    # no page number a reader could turn to in Word: the section, and the file, not "PDF"
    assert "Skoleplan for Fjordvik, §Skolebygg" in text
    t = i18n.translator("nb")
    assert "s. 2" not in text and t("ask.open_pdf") not in text
    assert t("ask.open_file") in text
    view = " ".join(web.get("/view/skoleplan/2").text.split())
    assert f"{t('view.section')} 2" in view
    # its neighbours are parts too, not pages
    assert f"← {t('view.prev_part')}" in view and t("view.prev") not in view
