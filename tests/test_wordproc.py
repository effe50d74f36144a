"""Word-processor and report-template PDFs: chapter titles atop the page stay headings, tabbed
section numbers stay with their titles, Word's bullets start list items, and tables drawn cell
by cell are read as tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from messydocs import PAGE_TEXTS
from wordprocdocs import chapter_pages_pdf

from policyminer.parse.pdf import BACKENDS, parse_pdf

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
