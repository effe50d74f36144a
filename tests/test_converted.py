"""Word 97–2003, RTF and OpenDocument files: read through LibreOffice, cited like Word files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from officetools import ingest_without_office, saved_by_libreoffice

from policyminer.answer.answer import answer_question
from policyminer.ingest import ingest_paths
from policyminer.parse.converted import office_converter, office_reads, parse_converted
from policyminer.parse.pdf import ParseError
from policyminer.parse.word import parse_docx
from policyminer.store.catalog import Catalog

pytestmark = pytest.mark.skipif(
    office_converter() is None, reason="LibreOffice is not installed (make install adds it)"
)

PLAN = "Plan for Nordvika skole"
DECISION = "Kommunestyret vedtok planen for Nordvika skole 12. mars 2025 i sak 14/25."


def _source_docx(path: Path) -> Path:
    """A Word file with a title, two numbered chapters and a decision sentence."""
    document = docx.Document()
    document.add_heading(PLAN, 0)
    document.add_heading("1 Bakgrunn", 1)
    document.add_paragraph(
        "Kommunen skal bygge en ny skole i Nordvika innen 2030. Skolen skal ha plass til "
        "400 elever og et bibliotek som er åpent for alle."
    )
    document.add_heading("2 Vedtak", 1)
    document.add_paragraph(DECISION)
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def old_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("gamle")
    (folder / "kilde").mkdir()
    source = _source_docx(folder / "kilde" / "skoleplan.docx")
    return {s: saved_by_libreoffice(source, s, folder / "saker") for s in (".doc", ".rtf", ".odt")}


@pytest.mark.parametrize("suffix", [".doc", ".rtf", ".odt"])
def test_an_old_word_file_reads_as_the_word_file_it_was_saved_from(
    old_files: dict[str, Path], suffix: str
) -> None:
    doc = parse_converted(old_files[suffix])
    assert doc.path == old_files[suffix] and doc.format == suffix.lstrip(".")
    assert doc.title == PLAN  # the title-styled line, not a converter's "Word Document"
    assert [p.text for p in doc.paragraphs if p.kind == "heading"] == ["1 Bakgrunn", "2 Vedtak"]
    decision = next(p for p in doc.paragraphs if "vedtok" in p.text)
    assert decision.text == DECISION and decision.section == "2 Vedtak"


def test_old_word_files_are_ingested_and_answer_with_a_section_not_a_page(
    old_files: dict[str, Path], tmp_path: Path
) -> None:
    index = tmp_path / "index"
    report = ingest_paths([old_files[".doc"].parent], index)
    assert sorted(r.path.suffix for r in report.results if r.status == "added") == [
        ".doc", ".odt", ".rtf"
    ]  # fmt: skip
    assert not report.skipped
    with Catalog(index) as catalog:
        doc = next(d for d in catalog.documents() if d.path.endswith(".doc"))
    answer = answer_question(
        index, "Når vedtok kommunestyret planen for Nordvika skole?", docs=[doc.id]
    )
    assert not answer.abstained
    citation = answer.citations[0]
    assert citation.quote == DECISION and citation.section == "2 Vedtak"
    # a section stands for the page, and the citation says so: no page number is made up
    assert citation.paged is False
    assert "p. " not in citation.label() and "2 Vedtak" in citation.label()
    assert json.loads(json.dumps(answer.to_dict()))["citations"][0]["paged"] is False


def test_a_file_libreoffice_cannot_convert_is_one_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "vedtak.odt"
    broken.write_bytes(b"PK\x03\x04" + bytes(300))  # a zip header and nothing of a document
    with pytest.raises(ParseError) as caught:
        parse_converted(broken)
    message = str(caught.value)
    assert message.startswith(("LibreOffice could not convert it", "not a readable Word document"))
    assert "\n" not in message


def test_without_libreoffice_old_word_files_are_skipped_with_a_hint(
    old_files: dict[str, Path], tmp_path: Path
) -> None:
    code, said = ingest_without_office(old_files[".doc"].parent, tmp_path / "index")
    assert "skipped 3 files" in said
    assert "install LibreOffice, or save" in said and ".docx or PDF to add them" in said
    code, said = ingest_without_office(old_files[".doc"], tmp_path / "index")
    assert code == 2 and "needs LibreOffice to read it" in said


def test_a_converters_placeholder_title_yields_to_the_title_the_document_prints(
    tmp_path: Path,
) -> None:
    path = _source_docx(tmp_path / "plan.docx")
    document = docx.Document(str(path))
    document.core_properties.title = "Word Document"
    document.save(str(path))
    assert parse_docx(path).title == PLAN
    document.core_properties.title = "Skoleplan for Nordvika 2025–2030"  # printed nowhere
    document.save(str(path))
    assert parse_docx(path).title == PLAN
    document.core_properties.title = "Nordvika skole: plan"  # its words are printed
    document.save(str(path))
    assert parse_docx(path).title == "Nordvika skole: plan"


def test_models_info_says_which_readers_this_machine_has() -> None:
    here = subprocess.run(
        [sys.executable, "-m", "policyminer", "models", "info", "--json"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    readers = json.loads(here.stdout)["readers"]
    assert readers["office"] == office_converter()
    assert readers["slides"] == (office_converter() if office_reads(".odp") else "")
    assert readers["sheets"] == (office_converter() if office_reads(".ods") else "")
    bare = {**os.environ, "PATH": str(Path(sys.executable).parent)}  # neither program on it
    without = subprocess.run(
        [sys.executable, "-m", "policyminer", "models", "info"],
        capture_output=True, text=True, env=bare, timeout=300,
    )  # fmt: skip
    said = " ".join(without.stdout.split())
    assert ".doc, .rtf, .odt not installed: skipped" in said
    assert ".ppt, .pps, .odp not installed: skipped" in said
    assert ".xls, .ods not installed: skipped" in said
    assert "OCR (scans) not installed: scans are refused" in said
