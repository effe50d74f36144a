"""Plain-text and Markdown files: pages, sections, lists, tables and clear errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policyminer.parse.pdf import ParseError
from policyminer.parse.textfiles import parse_text

MARKDOWN = """# Veikart for helse

Kommunen vil styrke samarbeidet med helse-
sektoren og utvikle helse- og omsorgstjenestene
sammen med næringslivet.

## 4.3 Mulighetsområder

### 4.3.2 Digitale hjemmetjenester

- Trygghetsalarmer for personer
  med demens
- Digitalt tilsyn om natten
* Medisindispensere

Etter lista kommer et vanlig avsnitt.

| Tiltak | Ansvar |
|---|---|
| Digitalt tilsyn | Helse og velferd |

## 5 Oppfølging

Rapportering hvert halvår.
"""

TEXT = (
    "Kommunen har en plan for helse.\nPlanen gjelder fram til 2030.\n\n"
    "Andre avsnitt på første side.\n\f"
    "1 Bakgrunn\n\nTeksten på andre side\nhar harde linjeskift.\n\f"
)


def test_markdown_headings_become_numbered_section_paths(tmp_path: Path) -> None:
    path = tmp_path / "veikart.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    doc = parse_text(path)
    assert (doc.title, doc.page_count, doc.format) == ("Veikart for helse", 1, "md")
    item = next(p for p in doc.paragraphs if p.text.startswith("Trygghetsalarmer"))
    assert item.section_path == (
        "Veikart for helse",
        "4.3 Mulighetsområder",
        "4.3.2 Digitale hjemmetjenester",
    )
    last = doc.paragraphs[-1]
    assert (last.text, last.section_path) == (
        "Rapportering hvert halvår.",
        ("Veikart for helse", "5 Oppfølging"),
    )


def test_markdown_lists_tables_and_wrapped_lines(tmp_path: Path) -> None:
    path = tmp_path / "veikart.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    doc = parse_text(path)
    assert [p.text for p in doc.paragraphs if p.kind == "list"] == [
        "Trygghetsalarmer for personer med demens",
        "Digitalt tilsyn om natten",
        "Medisindispensere",
    ]
    body = [p.text for p in doc.paragraphs if p.kind == "body"]
    assert body[0] == (
        "Kommunen vil styrke samarbeidet med helsesektoren og utvikle helse- og "
        "omsorgstjenestene sammen med næringslivet."
    )
    assert "Etter lista kommer et vanlig avsnitt." in body
    tables = [p.text for p in doc.paragraphs if p.kind == "table"]
    assert tables == ["Tiltak | Ansvar\nDigitalt tilsyn | Helse og velferd"]


def test_text_pages_split_on_form_feeds(tmp_path: Path) -> None:
    path = tmp_path / "plan-2030.txt"
    path.write_text(TEXT, encoding="utf-8")
    doc = parse_text(path)
    assert (doc.title, doc.page_count, doc.format) == ("plan-2030", 2, "txt")
    assert [(p.page, p.text) for p in doc.paragraphs] == [
        (1, "Kommunen har en plan for helse. Planen gjelder fram til 2030."),
        (1, "Andre avsnitt på første side."),
        (2, "1 Bakgrunn"),
        (2, "Teksten på andre side har harde linjeskift."),
    ]
    assert doc.paragraphs[-1].section_path == ("1 Bakgrunn",)


def test_windows_1252_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "gammel.txt"
    path.write_bytes("Blåbær og æøå i en eldre fil.\n".encode("cp1252"))
    assert parse_text(path).paragraphs[0].text == "Blåbær og æøå i en eldre fil."


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file (0 bytes)"),
        (b"\x00\x01\x02\xff\xfe binary", "cannot decode"),
        (b"  \n\n \t\n", "no text"),
    ],
)
def test_unusable_text_files_raise_parse_error(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "notat.txt"
    path.write_bytes(content)
    with pytest.raises(ParseError, match=re.escape(reason)):
        parse_text(path)


def test_a_folder_named_like_a_text_file_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "mappe.md").mkdir()
    with pytest.raises(ParseError, match="cannot read"):
        parse_text(tmp_path / "mappe.md")


def test_tab_separated_lines_in_a_text_file_are_table_rows_not_run_together(
    tmp_path: Path,
) -> None:
    path = tmp_path / "aktorer.txt"
    path.write_text(
        "1 Aktører\n\nTabellen viser aktørene.\nPerson\tVirksomhet\n"
        "Marte R. Syvertsen\tVestre Viken HF\nAnders Debes\tDrammen kommune\n\nEtter tabellen.\n",
        encoding="utf-8",
    )
    paragraphs = parse_text(path).paragraphs
    tables = [p for p in paragraphs if p.kind == "table"]
    assert [t.text.split("\n") for t in tables] == [
        [
            "Person | Virksomhet",
            "Marte R. Syvertsen | Vestre Viken HF",
            "Anders Debes | Drammen kommune",
        ]
    ]
    assert tables[0].section == "1 Aktører"
    bodies = [p.text for p in paragraphs if p.kind == "body"]
    assert bodies == ["Tabellen viser aktørene.", "Etter tabellen."]
