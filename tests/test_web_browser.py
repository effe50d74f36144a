"""The web app end to end: a real `policyminer serve` process driven by a real chromium.

Chromium is Debian's (the Makefile installs it); Playwright only drives it, nothing is
downloaded. Each test saves a screenshot of the pages it saw in its temporary folder.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from conftest import NOTE_A, REPO
from messydocs import grid_table_pdf
from pdfdocs import plain_pdf, report_pdf
from PIL import Image

from policyminer import Library

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCRIPT_NOTE = (
    "Notat om <script>alert('xss')</script> og <b>fet</b> tekst i et dokument.\n\n"
    "Fylkeskommunen vil prøve ut <img src=x onerror=alert(2)> selvkjørende busser på Voss.\n"
)

pytestmark = pytest.mark.slow
playwright_api = pytest.importorskip("playwright.sync_api")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} missing (make browser installs it)", allow_module_level=True)


def yellow_pixels(png: bytes) -> int:
    """How many pixels are the highlight's yellow (white paper under translucent yellow)."""
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    return int(((r > 230) & (g > 200) & (g < 245) & (b < 170)).sum())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`policyminer serve` in a subprocess on a free port; its output goes to a log file."""

    def __init__(self, index: Path, log: Path, *args: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), *sys.path])}
        env.pop("POLICYMINER_TOKEN", None)
        command = [sys.executable, "-m", "policyminer", "serve", "--index", str(index)]
        command += ["--port", str(self.port), *args]
        with log.open("w") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        self._wait()

    def _wait(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited: {self.log.read_text()}")
            try:
                urllib.request.urlopen(self.base + "/static/style.css", timeout=2)
                return
            except urllib.error.HTTPError:
                return  # it answers (perhaps 401 without a token): it is up
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"server did not start: {self.log.read_text()}")

    def output(self) -> str:
        return self.log.read_text()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="module")
def web_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small index: a report PDF, a Markdown note with actors, a text file with markup, and a
    plan's table of roads."""
    docs = tmp_path_factory.mktemp("webdocs")
    report_pdf(docs / "veikart.pdf")
    grid_table_pdf(
        docs / "veier.pdf",
        "Planen regulerer tre kjøreveier etter vegnormalen.",
        [["Vei", "Klasse", "Eierform"], ["V 1", "A1", "Offentlig"], ["V 2", "B4", "Privat"],
         ["V 3", "A2", "Felles for tomt 3 og 4"]],
        "Veiene skal være ferdige før boligene tas i bruk.",
    )  # fmt: skip
    (docs / "helse.md").write_text(NOTE_A, encoding="utf-8")
    (docs / "notat.txt").write_text(SCRIPT_NOTE, encoding="utf-8")
    index = tmp_path_factory.mktemp("webindex") / "index"
    with Library(index) as lib:
        report = lib.ingest([docs])
    assert report.count("added") == 4, [r.reason for r in report.failed]
    return index


@pytest.fixture(scope="module")
def server(web_index: Path, tmp_path_factory: pytest.TempPathFactory):
    running = Server(web_index, tmp_path_factory.mktemp("serve") / "server.log")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory):
    with playwright_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            locale="nb-NO",
            viewport={"width": 1200, "height": 900},
            accept_downloads=True,
        )
        yield context
        context.close()


@pytest.fixture
def page(browser_context, tmp_path: Path):
    tab = browser_context.new_page()
    dialogs: list[str] = []  # alerts: document text must never run one

    def answer(dialog) -> None:
        if dialog.type == "confirm":
            dialog.accept()  # the app's own "Remove this document?"
        else:
            dialogs.append(dialog.message)
            dialog.dismiss()

    tab.on("dialog", answer)
    tab.dialogs = dialogs
    tab.shots = tmp_path
    yield tab
    tab.close()


def shot(page, name: str) -> Path:
    path = page.shots / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def test_a_citation_opens_its_page_with_the_quote_highlighted(server: Server, page) -> None:
    page.goto(server.base + "/")
    page.fill("#q", "Hva lar digitale hjemmetjenester pasienter gjøre?")
    page.click("#ask-form button[type=submit]")
    first = page.locator("#citations .cite-link").first
    first.wait_for()
    quote = page.locator("#citations blockquote").first.inner_text().strip("«» ")
    shot(page, "ask")
    pdf_link = page.locator("#citations .pdf-link").first.get_attribute("href")
    assert pdf_link.startswith("/file/veikart#page=")
    first.click()
    page.wait_for_function(
        "() => { const i = document.getElementById('page-image'); "
        "return i && i.complete && i.naturalWidth > 0; }"
    )
    assert "yes" in page.get_attribute("#located", "class")
    assert page.locator("blockquote.quote").inner_text().strip("«» ") == quote
    highlighted = page.locator("#page-image").screenshot()
    assert yellow_pixels(highlighted) > 500
    shot(page, "cited-page")
    # The same page without a quote carries no highlight, and the PDF link serves the PDF.
    number = pdf_link.rsplit("=", 1)[1]
    unmarked = page.request.get(f"{server.base}/page/veikart/{number}.png")
    assert unmarked.ok and yellow_pixels(unmarked.body()) == 0
    pdf = page.request.get(server.base + pdf_link.split("#")[0])
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF-")


def test_an_abstention_shows_the_closest_passages_as_leads(server: Server, page) -> None:
    page.goto(server.base + "/?q=Hvor+mange+fly+lander+p%C3%A5+Gardermoen+hver+dag%3F")
    assert page.locator("#abstained").inner_text() == "Fant ikke noe svar i dokumentene"
    leads = page.locator("#leads .cite-link")
    assert leads.count() >= 1
    assert page.locator("#citations").count() == 0
    assert page.locator("#reason").count() == 0  # a low confidence is told by its number
    href = leads.first.get_attribute("href")
    assert href.startswith("/view/") and "?quote=" in href
    shot(page, "abstained")


def test_a_value_in_a_unit_no_passage_states_is_an_abstention_that_says_why(
    server: Server, page
) -> None:
    page.goto(
        server.base + "/?q=Hvor+mange+kvadratmeter+f%C3%A5r+helsehuset+i+Testkommune%3F"
        "&min_confidence=0"
    )
    assert page.locator("#abstained").inner_text() == "Fant ikke noe svar i dokumentene"
    assert "enheten spørsmålet ber om" in page.locator("#reason").inner_text()
    assert page.locator("#leads .cite-link").count() >= 1


def test_a_table_row_is_quoted_with_its_column_headers(server: Server, page) -> None:
    page.goto(server.base + "/?q=Hvilken+klasse+har+veien+V+2%3F&min_confidence=0")
    page.locator("#citations blockquote").first.wait_for()
    assert page.locator("#citations blockquote").first.inner_text() == "«V 2 | B4 | Privat»"
    columns = page.locator("#citations .columns").first.inner_text()
    assert columns == "Kolonner: Vei | Klasse | Eierform"
    shot(page, "table-row")


def test_a_quote_not_on_the_page_shows_the_page_unmarked(server: Server, page) -> None:
    page.goto(
        server.base
        + "/view/veikart/2?quote=Denne+setningen+finnes+ikke+i+rapporten+i+det+hele+tatt"
    )
    page.wait_for_function("() => document.getElementById('page-image').complete")
    assert "no" in page.get_attribute("#located", "class")
    assert yellow_pixels(page.locator("#page-image").screenshot()) == 0


def test_document_text_with_markup_shows_as_text(server: Server, page) -> None:
    page.goto(server.base + "/?kind=search&q=selvkj%C3%B8rende+busser+Voss")
    page.locator("#results .passage").first.wait_for()
    passage = page.locator("#results .passage").first.inner_text()
    assert "<img src=x onerror=alert(2)>" in passage
    page.goto(server.base + "/view/notat/1?quote=Fylkeskommunen+vil+pr%C3%B8ve+ut")
    text = page.locator("#page-text").inner_text()
    assert "<script>alert('xss')</script>" in text and "<b>fet</b>" in text
    assert page.locator("#page-text script, #page-text b, #page-text img").count() == 0
    assert page.locator("mark.highlight").count() == 1
    shot(page, "script-text")
    assert page.dialogs == []


def test_actors_filter_and_download_as_csv(server: Server, page) -> None:
    page.goto(server.base + "/actors")
    page.locator("#actors").wait_for()
    everything = page.locator("#actors tr.actor").count()
    page.select_option("#actor-label", "ORG")
    page.click("#actor-filters button[type=submit]")
    page.wait_for_url("**/actors?*label=ORG*")
    rows = page.locator("#actors tr.actor")
    labels = rows.locator("td:nth-child(2)").all_inner_texts()
    assert labels and set(labels) == {"ORG"} and len(labels) < everything
    names = rows.locator("summary.name").all_inner_texts()
    assert "NTNU" in names
    shot(page, "actors")
    with page.expect_download() as info:
        page.click("#csv-link")
    table = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8"))))
    assert [r["name"] for r in table] == names and {r["label"] for r in table} == {"ORG"}
    # A mention opens its page with the name marked.
    page.locator("#actors tr.actor a.mention").first.click()
    page.locator("#located").wait_for()
    assert "yes" in page.get_attribute("#located", "class")


def test_areas_overview_and_markdown_report(server: Server, page) -> None:
    page.goto(server.base + "/areas")
    page.locator("section.area").first.wait_for()
    shot(page, "areas")
    with page.expect_download() as info:
        page.click("#markdown-link")
    assert Path(info.value.path()).read_text("utf-8").startswith("# Opportunity areas")


def test_file_routes_serve_only_catalogued_documents(server: Server, page) -> None:
    get = page.request.get
    assert get(server.base + "/file/veikart").headers["content-type"] == "application/pdf"
    for path in ("/file/..%2Fveikart.pdf", "/file/%2Fetc%2Fpasswd", "/file/veikart.pdf"):
        reply = get(server.base + path)
        assert reply.status == 404, path
        assert '<p class="error" id="error">' in reply.text()
    not_pdf = get(server.base + "/page/notat/1.png")
    assert not_pdf.status == 404 and "not a PDF" in not_pdf.json()["error"]
    beyond = get(server.base + "/page/veikart/99.png")
    assert beyond.status == 404 and "no page 99" in beyond.json()["error"]


def test_the_page_language_follows_the_browser_and_switches(server: Server, page) -> None:
    page.goto(server.base + "/documents")
    assert page.locator("h1").inner_text() == "Dokumenter"
    page.click("#lang-switch")
    assert page.locator("h1").inner_text() == "Documents"
    page.goto(server.base + "/")
    assert page.locator("h1").inner_text() == "Ask the documents"
    page.click("#lang-switch")
    assert page.locator("h1").inner_text() == "Spør dokumentene"
    page.click("#standard-switch")  # Nynorsk, the other written standard
    assert page.locator("h1").inner_text() == "Spør dokumenta"
    page.goto(server.base + "/documents")  # the choice is kept
    assert page.locator("h1").inner_text() == "Dokument"
    page.click("#standard-switch")
    assert page.locator("h1").inner_text() == "Dokumenter"


def test_an_uploaded_pdf_is_listed_and_becomes_searchable(
    web_index: Path, tmp_path: Path, page
) -> None:
    index = tmp_path / "index"
    shutil.copytree(web_index, index)
    upload = plain_pdf(
        tmp_path / "Havvind rapport (utkast).pdf",
        [
            ["Havvind i Nordsjøen"],
            [
                "Utbyggingen av flytende havvind utenfor Utsira skal gi nye arbeidsplasser.",
                "Verftene på Vestlandet kan levere understell til vindturbinene.",
            ],
        ],
    )
    server = Server(index, tmp_path / "server.log")
    try:
        page.goto(server.base + "/documents")
        before = page.locator("#documents tbody tr").count()
        page.set_input_files("#upload-files", str(upload))
        page.click("#upload-form button[type=submit]")
        page.locator("#jobs li.job").first.wait_for()
        shot(page, "documents-ingesting")
        # The page follows the writer's progress and reloads when the job has finished.
        page.wait_for_function(
            f"() => document.querySelectorAll('#documents tbody tr').length > {before}",
            timeout=240_000,
        )
        assert page.locator("#jobs li.job.done").count() == 1
        shot(page, "documents")
        stored = list((index / "uploads").iterdir())
        assert len(stored) == 1 and stored[0].name.startswith("havvind-rapport-utkast-")
        page.goto(server.base + "/?kind=search&q=flytende+havvind+Utsira")
        first = page.locator("#results .hit").first
        first.wait_for()
        assert "Utsira" in first.locator(".passage").inner_text()
        doc_id = stored[0].stem
        assert first.locator(".cite-link").get_attribute("href").startswith(f"/view/{doc_id}/")
        # Removing it deletes the stored upload too.
        page.goto(server.base + "/documents")
        page.locator(f"tr[data-doc='{doc_id}'] form.remove button").click()
        page.wait_for_function(
            f"() => document.querySelectorAll('#documents tbody tr').length === {before}",
            timeout=120_000,
        )
        # The writer deletes the file just after the catalog forgets the document.
        deadline = time.monotonic() + 30
        while stored[0].exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not stored[0].exists()
    finally:
        server.stop()


def test_a_server_beyond_loopback_refuses_requests_without_its_token(
    web_index: Path, tmp_path: Path, page
) -> None:
    server = Server(web_index, tmp_path / "server.log", "--host", "0.0.0.0")
    try:
        lines = [x for x in server.output().splitlines() if x.startswith("token: ")]
        assert lines, server.output()
        token = lines[0].removeprefix("token: ")
        refused = page.goto(server.base + "/")
        assert refused.status == 401
        assert "access token" in page.locator("#error").inner_text()
        assert page.request.get(server.base + "/api/documents").status == 401
        assert page.goto(server.base + "/documents?token=not-the-token").status == 401
        page.goto(f"{server.base}/documents?token={token}")
        assert page.url == server.base + "/documents"  # the token left the address bar
        assert page.locator("#documents tbody tr").count() == 4
        ok = page.request.get(
            server.base + "/api/documents", headers={"Authorization": f"Bearer {token}"}
        )
        assert ok.ok and len(ok.json()) == 4
    finally:
        server.stop()
