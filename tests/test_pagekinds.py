"""Contents pages and reference lists are marked apart from the text they point to."""

from __future__ import annotations

import json
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from typer.testing import CliRunner

from policyminer.cli import app
from policyminer.index.chunking import body_text, make_chunks
from policyminer.parse.pagekinds import is_reference_entry, is_toc_entry, mark_page_kinds
from policyminer.records import Paragraph

runner = CliRunner()


def _page(page: int, texts: list[str], section: str = "", kind: str = "body") -> list[Paragraph]:
    path = (section,) if section else ()
    return [Paragraph(page, t, section, path, kind) for t in texts]


CONTENTS = [
    "Forord 3",
    "Sammendrag 4",
    "1 Innledning 6",
    "1.1 Bakgrunn for arbeidet med klimatilpasning 6",
    "2 Kystsonen og havnene 9",
    "2.1 Havnene i fylket ....................... 11",
    "fylkeskommunens ansvar",  # a wrapped entry
    "3 Anbefalinger 17",
]
TEXT = [
    "Fylket har elleve havner som tar imot gods, og tre av dem står for det meste av trafikken.",
    "Klimatilpasning av kaiene vil koste om lag 400 millioner kroner fram mot 2035, "
    "anslår havnevesenet i sin rapport 12",
]
REFERENCES = [
    "Berg, K. og Lie, M. (2019). Havner i endring. Oslo: Fagbokforlaget.",
    "Kystverket (2021). Nasjonal havnestrategi. Ålesund.",
    "Smith, J., Olsen, P. (2020). Port resilience in cold climates. Marine Policy 12, 33–41.",
    "Statistisk sentralbyrå (2022). Godstransport på kysten 2021.",
]


def test_contents_entries_are_recognised_by_their_trailing_page_numbers() -> None:
    assert is_toc_entry("1.1 Bakgrunn for arbeidet 6") == 6
    assert is_toc_entry("2.1 Havnene i fylket ............ 11") == 11
    assert is_toc_entry("Kostnaden er 400 millioner kroner i 2035") is None  # a year, not a page
    assert is_toc_entry(TEXT[0]) is None


def test_reference_entries_need_authors_and_a_year() -> None:
    assert all(is_reference_entry(r) for r in REFERENCES)
    assert not is_reference_entry(TEXT[0])
    assert not is_reference_entry("Havnene (se figur 3) er viktige for fylket.")


def test_a_contents_page_is_marked_and_the_text_pages_are_not() -> None:
    paragraphs = [
        *_page(2, ["Innhold"], "Innhold", "heading"),
        *_page(2, CONTENTS, "Innhold"),
        *_page(6, ["1 Innledning"], "1 Innledning", "heading"),
        *_page(6, TEXT, "1 Innledning"),
    ]
    marked = mark_page_kinds(paragraphs)
    kinds = {p.text: p.kind for p in marked}
    assert all(kinds[t] == "toc" for t in CONTENTS)
    assert all(kinds[t] == "body" for t in TEXT)
    assert kinds["Innhold"] == "heading"


def test_reference_lists_are_marked_by_heading_or_by_their_entries() -> None:
    under_heading = _page(20, [*REFERENCES[:2], "Se også nettsidene til Kystverket."], "Kilder")
    bare_page = _page(21, REFERENCES, "5 Vedlegg")
    text_page = _page(5, [*TEXT, REFERENCES[0]], "1 Innledning")  # one citation is not a list
    marked = mark_page_kinds([*text_page, *under_heading, *bare_page])
    assert [p.kind for p in marked[:3]] == ["body", "body", "body"]
    assert [p.kind for p in marked[3:6]] == ["references"] * 3
    assert [p.kind for p in marked[6:]] == ["references"] * 4


def test_contents_and_references_are_chunked_apart_from_text() -> None:
    paragraphs = mark_page_kinds(
        [
            *_page(2, CONTENTS, "Innhold"),
            *_page(3, TEXT, "Innhold"),  # same section name, but running text
            *_page(9, REFERENCES, "Referanser"),
        ]
    )
    chunks = make_chunks(paragraphs, body_text(paragraphs))
    by_kind = {c.kind: c.text for c in chunks}
    assert set(by_kind) == {"toc", "body", "references"}
    assert "Havnene i fylket" in by_kind["toc"] and "elleve havner" not in by_kind["toc"]
    assert "elleve havner" in by_kind["body"]
    assert "Kystverket (2021)" in by_kind["references"]


def _report_with_contents(path: Path) -> Path:
    """A report whose contents page names the topic in every entry, as real contents pages do."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawString(72, 600, "Helseinnovasjon i Testkommune")
    pdf.showPage()
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(72, 770, "Innhold")
    y = 740.0
    for title, page in SEARCH_CONTENTS:
        pdf.setFont("Helvetica", 11)
        pdf.drawString(72, y, f"{title} {'.' * 40}")  # dot leaders, page number flush right
        pdf.drawRightString(520, y, str(page))
        y -= 18
    pdf.showPage()
    for heading, text in SEARCH_BODY:
        pdf.setFont("Helvetica-Bold", 14)
        pdf.drawString(72, 760, heading)
        pdf.setFont("Helvetica", 10)
        for i, line in enumerate(text):
            pdf.drawString(72, 730 - 14 * i, line)
        pdf.showPage()
    pdf.save()
    return path


SEARCH_CONTENTS = [
    ("Forord", 3),
    ("1 Helseinnovasjon i kommunen", 3),
    ("1.1 Helseinnovasjon og velferdsteknologi", 3),
    ("2 Samarbeid om helseinnovasjon", 4),
    ("2.1 Finansiering av helseinnovasjon", 4),
    ("3 Helseinnovasjon videre", 4),
]
SEARCH_BODY = [
    (
        "1 Helseinnovasjon i kommunen",
        [
            "Helseinnovasjon i kommunen handler om trygghetsalarmer i hjemmetjenesten: tjue",
            "sykehjem tester sensorer som varsler pleierne ved fall om natten.",
        ],
    ),
    (
        "2 Samarbeid om helseinnovasjon",
        [
            "Kommunen samarbeider med sykehuset og to bedrifter, og setter av fire millioner",
            "kroner i året til felles prosjekter fram mot 2027.",
        ],
    ),
]


def test_search_ranks_body_text_above_a_contents_page(tmp_path: Path) -> None:
    pdf = _report_with_contents(tmp_path / "helse.pdf")
    index = tmp_path / "index"
    added = runner.invoke(app, ["ingest", str(pdf), "--index", str(index), "-q"])
    assert added.exit_code == 0, added.output

    def results(*extra: str) -> list[dict]:
        args = ["search", "helseinnovasjon", "--json", "--index", str(index), *extra]
        out = runner.invoke(app, args)
        assert out.exit_code == 0, out.output
        return json.loads(out.stdout)["results"]

    default = results()
    assert default and all(r["kind"] == "body" for r in default)
    assert "trygghetsalarmer" in default[0]["text"] or "samarbeider" in default[0]["text"]
    everything = results("--all-pages")
    contents = [r for r in everything if r["kind"] == "toc"]
    assert contents and "Finansiering av helseinnovasjon" in contents[0]["text"]
    assert contents[0]["page"] == 2


def test_area_evidence_leaves_the_contents_page_out(tmp_path: Path) -> None:
    pdf = _report_with_contents(tmp_path / "helse.pdf")
    index = tmp_path / "index"
    added = runner.invoke(app, ["ingest", str(pdf), "--index", str(index), "-q"])
    assert added.exit_code == 0, added.output
    out = runner.invoke(app, ["areas", "--format", "json", "--index", str(index)])
    assert out.exit_code == 0, out.output
    areas = json.loads(out.stdout)["areas"]
    passages = [p for a in areas for p in a["top_passages"]]
    # the body pages are evidence; the contents page (p. 2) names topics and states nothing
    assert passages and {p["page"] for p in passages} <= {3, 4}
    assert all(d["passages"] <= 2 for a in areas for d in a["documents"])
