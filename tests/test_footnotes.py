"""Footnote references: the raised marks taken out of the text are kept with their paragraph,
placed after the word they follow, and linked to the note they call."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from layoutdocs import column_notes_pdf, noted_pages_pdf
from starlette.testclient import TestClient
from test_pagelayout import COLUMNS, ENDNOTES, FILLER, NOTES
from typer.testing import CliRunner

from policyminer import Library
from policyminer.cli import app
from policyminer.parse.footnotes import consecutive_runs
from policyminer.parse.pdf import BACKENDS, parse_pdf
from policyminer.records import Paragraph
from policyminer.web.app import create_app

runner = CliRunner()


def _marks(para: Paragraph) -> list[tuple[str, str, str, int]]:
    """(the word before each mark, its label, the start of its note, the note's page)."""
    return [
        (para.text[: n.offset].split()[-1], n.label, n.note[:20], n.note_page) for n in para.notes
    ]


@pytest.mark.parametrize("backend", BACKENDS)
def test_references_are_linked_to_the_notes_under_their_column(
    tmp_path: Path, backend: str
) -> None:
    path = column_notes_pdf(tmp_path / "noter.pdf", COLUMNS, NOTES, ENDNOTES)
    doc = parse_pdf(path, backend=backend)
    left, right = [p for p in doc.paragraphs if p.page == 1 and p.kind == "body"]
    assert _marks(left) == [
        ("eldreomsorg", "1", "Kommunestyrets vedta", 1),
        ("sykehjem", "2", "Gjelder også avlastn", 1),
    ]
    assert _marks(right) == [
        ("fjorden", "3", "Fylkestingets vedtak", 1),
        ("avgjort", "4", "Konkurransen er utly", 1),
    ]
    # the marks stand where they were printed: after the word, before the punctuation
    at = left.notes[0].offset
    assert left.text[at - 11 : at + 1] == "eldreomsorg."


def _page(lines: list[list[str]], notes: list[list[str]], size: float = 7):
    return (lines + [[line] for line in FILLER[:12]], notes, size)


def test_endnotes_gathered_at_the_end_are_linked_by_their_label(tmp_path: Path) -> None:
    pages = [
        _page([["Bystyret vedtok planen i juni", "1", "."]], []),
        _page([["Planen følges opp av rådmannen", "2", " hvert år."]], []),
        ([], [[f"{n} Sluttnote nummer {n} om oppfølgingen."] for n in (1, 2, 3)], 7),
    ]
    doc = parse_pdf(noted_pages_pdf(tmp_path / "sluttnoter.pdf", pages))
    marked = [m for p in doc.paragraphs for m in _marks(p)]
    assert marked == [
        ("juni", "1", "Sluttnote nummer 1 o", 3),
        ("rådmannen", "2", "Sluttnote nummer 2 o", 3),
    ]


def test_marks_set_side_by_side_call_each_their_note(tmp_path: Path) -> None:
    notes = [[f"{n} Kilde nummer {n} for tallene."] for n in (1, 2, 8, 9)]
    lines = [
        ["Tallene er hentet fra to kilder", "1 2", "."],
        ["Andre tall er hentet fra to andre", "89", "."],
    ]
    doc = parse_pdf(noted_pages_pdf(tmp_path / "kilder.pdf", [_page(lines, notes)]))
    labels = [n.label for p in doc.paragraphs for n in p.notes]
    notes_found = [n.note for p in doc.paragraphs for n in p.notes]
    # a space sets "1" and "2" apart; "89" calls no note, but 8 and 9 do
    assert labels == ["1", "2", "8", "9"]
    assert all(notes_found)


def test_a_note_at_body_size_called_from_above_is_a_footnote(tmp_path: Path) -> None:
    lines = [["Fylket legger høringsnotatet til grunn", "1", " for arbeidet."]]
    notes = [["", "1", " Høringsnotat fra departementet om inntektssystemet."]]
    doc = parse_pdf(noted_pages_pdf(tmp_path / "notat.pdf", [_page(lines, notes, size=10)]))
    body = " ".join(p.text for p in doc.paragraphs if p.kind == "body")
    assert "Høringsnotat fra departementet" not in body
    footnotes = [p.text for p in doc.paragraphs if p.kind == "footnote"]
    assert footnotes == ["1 Høringsnotat fra departementet om inntektssystemet."]
    (first,) = [p for p in doc.paragraphs if p.notes]
    assert _marks(first) == [("grunn", "1", "Høringsnotat fra dep", 1)]


def test_a_note_line_opening_with_a_section_sign_goes_on_with_the_note(tmp_path: Path) -> None:
    lines = [["Plikten følger av sikkerhetsloven", "1", "."]]
    notes = [["1 Jf. sikkerhetsloven"], ["§ 10-3 første ledd."]]
    doc = parse_pdf(noted_pages_pdf(tmp_path / "lov.pdf", [_page(lines, notes)]))
    footnotes = [p.text for p in doc.paragraphs if p.kind == "footnote"]
    assert footnotes == ["1 Jf. sikkerhetsloven § 10-3 første ledd."]
    (para,) = [p for p in doc.paragraphs if p.notes]
    assert para.notes[0].note == "Jf. sikkerhetsloven § 10-3 første ledd."


def test_an_asterisk_after_a_word_calls_the_note_under_it(tmp_path: Path) -> None:
    # the sign is set on the line, not raised: only the page's note under "*" makes it a mark
    lines = [["Rapporten har kommet ut hvert år fra 2019*. Den leses av mange."]]
    notes = [["* Til og med 2015 het rapporten Nasjonalt risikobilde."]]
    doc = parse_pdf(noted_pages_pdf(tmp_path / "stjerne.pdf", [_page(lines, notes)]))
    (para,) = [p for p in doc.paragraphs if p.notes]
    assert para.text.startswith("Rapporten har kommet ut hvert år fra 2019. Den leses")
    assert _marks(para) == [("2019", "*", "Til og med 2015 het ", 1)]
    # without such a note the sign stays where it is
    plain = [["Rapporten har kommet ut hvert år fra 2019*. Den leses av mange."]]
    doc = parse_pdf(noted_pages_pdf(tmp_path / "uten.pdf", [_page(plain, [])]))
    assert any("fra 2019*." in p.text for p in doc.paragraphs)


def test_a_raised_label_no_reference_calls_stays_in_the_running_text(tmp_path: Path) -> None:
    lines = [["Fylket legger høringsnotatet til grunn for arbeidet."]]
    notes = [["", "1", " Rådmannen legger fram saken for bystyret i juni."]]
    doc = parse_pdf(noted_pages_pdf(tmp_path / "notat.pdf", [_page(lines, notes, size=10)]))
    body = " ".join(p.text for p in doc.paragraphs if p.kind == "body")
    assert "Rådmannen legger fram saken for bystyret i juni." in body
    assert not [p for p in doc.paragraphs if p.kind == "footnote"]


def test_a_raised_two_after_metres_is_a_power_not_a_note(tmp_path: Path) -> None:
    lines = [["Tomten er på 2 400 m", "2", " og ligger ved sjøen", "3", "."]]
    notes = [["3 Avstanden er målt langs veien."]]
    doc = parse_pdf(noted_pages_pdf(tmp_path / "tomt.pdf", [_page(lines, notes)]))
    (para,) = [p for p in doc.paragraphs if "Tomten" in p.text]
    assert para.text.startswith("Tomten er på 2 400 m² og ligger ved sjøen.")
    assert [n.label for n in para.notes] == ["3"]


def test_digits_read_as_consecutive_numbers() -> None:
    assert consecutive_runs("1920") == [["19", "20"]]
    assert consecutive_runs("23242526") == [["23", "24", "25", "26"]]
    assert consecutive_runs("89") == [["8", "9"]]
    assert consecutive_runs("13") == []
    assert consecutive_runs("*") == []


@pytest.mark.slow
def test_a_quote_brings_the_notes_it_calls_and_show_places_them(tmp_path: Path) -> None:
    lines = [
        ["Kommunen innførte digitalt tilsyn i hjemmetjenesten i 2022", "1", "."],
        ["Ordningen omfatter nå over 400 brukere i hele kommunen", "2", "."],
    ]
    notes = [
        ["1 Bystyrets vedtak i sak 45/2021 om velferdsteknologi."],
        ["2 Tall fra kommunens årsrapport for 2023."],
    ]
    (tmp_path / "docs").mkdir()
    path = noted_pages_pdf(tmp_path / "docs" / "tilsyn.pdf", [_page(lines, notes)])
    index = tmp_path / "index"
    with Library(index) as lib:
        assert not lib.ingest([path.parent], jobs=0).failed
        answer = lib.ask("Når innførte kommunen digitalt tilsyn i hjemmetjenesten?")
    assert not answer.abstained
    first = answer.citations[0]
    assert "digitalt tilsyn" in first.quote
    assert [(n.label, n.note) for n in first.footnotes] == [
        ("1", "Bystyrets vedtak i sak 45/2021 om velferdsteknologi.")
    ]
    assert first.quote[: first.footnotes[0].offset].endswith("2022")
    cited = json.loads(
        runner.invoke(
            app, ["ask", "Når innførte kommunen digitalt tilsyn?", "--index", str(index), "--json"]
        ).stdout
    )
    assert cited["citations"][0]["footnotes"][0]["note"].startswith("Bystyrets vedtak")
    shown = runner.invoke(app, ["show", "tilsyn", "--index", str(index)])
    assert "i 2022[1]. Ordningen" in shown.stdout
    assert "over 400 brukere i hele kommunen[2]." in shown.stdout
    page = json.loads(
        runner.invoke(app, ["show", "tilsyn", "--index", str(index), "--format", "json"]).stdout
    )["pages"][0]
    noted = [p["notes"] for p in page["paragraphs"] if p["notes"]]
    assert [[(n["label"], n["page"]) for n in notes] for notes in noted] == [[("1", 1), ("2", 1)]]
    # a passage found by search brings the notes it calls too
    found = json.loads(
        runner.invoke(app, ["search", "digitalt tilsyn", "--index", str(index), "--json"]).stdout
    )["results"][0]
    assert [(n["label"], n["note"][:17]) for n in found["footnotes"]] == [
        ("1", "Bystyrets vedtak "),
        ("2", "Tall fra kommunen"),
    ]
    first_note = found["footnotes"][0]
    assert found["text"][: first_note["offset"]].endswith("i 2022")
    shown = runner.invoke(app, ["search", "digitalt tilsyn", "--index", str(index)]).stdout
    assert "note 1, p. 1: Bystyrets vedtak i sak 45/2021" in " ".join(shown.split())
    # the web page quotes the note under the quote that calls it
    with TestClient(create_app(index, warm=False), base_url="http://127.0.0.1") as web:
        html = web.get("/", params={"q": "Når innførte kommunen digitalt tilsyn?"}).text
    assert "Fotnote 1 (s. 1): Bystyrets vedtak i sak 45/2021 om velferdsteknologi." in html
    with TestClient(create_app(index, warm=False), base_url="http://127.0.0.1") as web:
        html = web.get("/", params={"q": "digitalt tilsyn", "kind": "search"}).text
    assert "Fotnote 2 (s. 1): Tall fra kommunens årsrapport for 2023." in html
