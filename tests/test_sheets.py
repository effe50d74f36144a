"""Spreadsheets (.xlsx) and CSV files: a sheet is a part, its rows tables; made with openpyxl."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import openpyxl
import pytest
from officetools import old_office_file, saved_by_libreoffice
from typer.testing import CliRunner

from policyminer.answer.answer import answer_question
from policyminer.cli import app
from policyminer.ingest import ingest_paths
from policyminer.parse import sheets
from policyminer.parse.converted import office_converter, office_reads, parse_converted
from policyminer.parse.pdf import ParseError
from policyminer.parse.sheets import parse_csv, parse_xlsx
from policyminer.store.catalog import Catalog

HEADLINE = "Netto driftsutgifter per innbygger i Nordvika, kroner"


def make_workbook(path: Path) -> Path:
    """A budget sheet with a headline, a table of years and a percent row; a hidden sheet; a
    sheet of decisions with a date."""
    book = openpyxl.Workbook()
    costs = book.active
    costs.title = "Driftsutgifter"
    costs.append([HEADLINE])
    costs.append([])
    costs.append(["Tjeneste", 2022, 2023, 2024])
    costs.append(["Grunnskole", 16250.5, 17100, 18020])
    costs.append(["Pleie og omsorg", 21000, 22450, 23890])
    costs.append(["Andel av budsjettet", 0.25, 0.275, None])
    costs["B6"].number_format = "0%"
    costs["C6"].number_format = "0.0%"
    hidden = book.create_sheet("Kladd")
    hidden.append(["Et utkast ingen skal lese"])
    hidden.sheet_state = "hidden"
    decisions = book.create_sheet("Vedtak")
    decisions.append(["Vedtak", "Dato"])
    decisions.append(["Budsjett 2026 vedtatt i kommunestyret", dt.datetime(2025, 12, 11)])
    decisions.append(["Økonomiplan 2026–2029 vedtatt", dt.datetime(2025, 12, 11, 18, 30)])
    book.properties.creator = "Nordvika kommune"
    book.save(str(path))
    return path


def test_a_sheet_is_a_part_its_rows_a_table_read_as_excel_shows_them(tmp_path: Path) -> None:
    doc = parse_xlsx(make_workbook(tmp_path / "budsjett.xlsx"))
    assert doc.format == "xlsx" and doc.page_count == 2
    assert doc.title == HEADLINE  # the line above the first table, not "Driftsutgifter"
    assert doc.publisher == "Nordvika kommune"
    read = [(p.page, p.kind, p.section, p.text) for p in doc.paragraphs]
    assert read == [
        (1, "heading", "Driftsutgifter", "Driftsutgifter"),
        (1, "body", "Driftsutgifter", HEADLINE),
        (1, "table", "Driftsutgifter", "Tjeneste | 2022 | 2023 | 2024\n"
         "Grunnskole | 16250.5 | 17100 | 18020\nPleie og omsorg | 21000 | 22450 | 23890\n"
         "Andel av budsjettet | 25 % | 27.5 %"),
        (2, "heading", "Vedtak", "Vedtak"),
        (2, "table", "Vedtak", "Vedtak | Dato\nBudsjett 2026 vedtatt i kommunestyret | "
         "2025-12-11\nØkonomiplan 2026–2029 vedtatt | 2025-12-11 18:30"),
    ]  # fmt: skip
    assert doc.warnings == ["sheet 'Kladd' is hidden: left out"]


def test_a_long_table_goes_in_blocks_each_under_its_header_and_a_huge_one_is_cut(
    tmp_path: Path,
) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Skole", "Elever"])
    for n in range(1, 2 * sheets.BLOCK_ROWS + 11):
        book.active.append([f"Skole {n}", 100 + n])
    path = tmp_path / "elever.xlsx"
    book.save(str(path))
    tables = [p.text.split("\n") for p in parse_xlsx(path).paragraphs if p.kind == "table"]
    assert [rows[0] for rows in tables] == ["Skole | Elever"] * 3
    assert [len(rows) - 1 for rows in tables] == [sheets.BLOCK_ROWS, sheets.BLOCK_ROWS, 10]
    for n in range(sheets.MAX_ROWS):
        book.active.append([f"Skole {n}", n])
    book.save(str(path))
    doc = parse_xlsx(path)
    rows = [row for p in doc.paragraphs if p.kind == "table" for row in p.text.split("\n")[1:]]
    assert len(rows) + 1 == sheets.MAX_ROWS  # the header once, the rows under it
    assert doc.warnings == [f"sheet 'Sheet': only its first {sheets.MAX_ROWS} rows read"]


def test_a_norwegian_excel_csv_is_read_with_its_semicolons_and_code_page(tmp_path: Path) -> None:
    path = tmp_path / "kostra_skole.csv"
    text = "Kommune;2023;2024\nNordvika;16 250;17 100\nSørbukta;15 980;16 400\n"
    path.write_bytes(text.encode("cp1252"))  # what Excel on Windows saves as "CSV"
    doc = parse_csv(path)
    assert doc.format == "csv" and doc.title == "kostra skole"
    (table,) = [p.text for p in doc.paragraphs]
    assert table.split("\n") == ["Kommune | 2023 | 2024", "Nordvika | 16 250 | 17 100",
                                 "Sørbukta | 15 980 | 16 400"]  # fmt: skip


def test_a_broken_or_empty_workbook_is_one_clear_error(tmp_path: Path) -> None:
    old = old_office_file(tmp_path / "gammel.xlsx")  # Excel 97-2003 under a new name
    with pytest.raises(ParseError, match=r"old Excel 97–2003 file .*save it as \.xlsx"):
        parse_xlsx(old)
    empty = tmp_path / "tom.xlsx"
    openpyxl.Workbook().save(str(empty))
    with pytest.raises(ParseError, match="no values found"):
        parse_xlsx(empty)


def test_a_workbook_is_ingested_and_a_figure_is_cited_by_its_sheet(tmp_path: Path) -> None:
    make_workbook(tmp_path / "budsjett.xlsx")
    (tmp_path / "regneark.numbers").write_bytes(b"PK\x03\x04" + bytes(600))  # Apple's
    index = tmp_path / "index"
    report = ingest_paths([tmp_path], index)
    assert report.count("added") == 1
    assert report.skipped_summary().endswith("(save .numbers files as .xlsx or PDF to add them)")
    with Catalog(index) as catalog:
        (doc,) = catalog.documents()
    answer = answer_question(
        index, "Hva var netto driftsutgifter til pleie og omsorg i 2023?", docs=[doc.id]
    )
    assert not answer.abstained
    citation = answer.citations[0]
    assert citation.quote == "Pleie og omsorg | 21000 | 22450 | 23890"
    assert citation.section == "Driftsutgifter" and citation.paged is False
    assert json.loads(json.dumps(answer.to_dict()))["citations"][0]["paged"] is False
    shown = CliRunner().invoke(app, ["show", doc.id, "--index", str(index)])
    assert "--- part 2 ---" in shown.stdout and "--- page" not in shown.stdout  # a sheet


@pytest.mark.skipif(not office_reads(".ods"), reason="LibreOffice Calc is not installed")
@pytest.mark.parametrize("suffix", [".ods", ".xls"])
def test_a_workbook_saved_by_libreoffice_reads_as_the_workbook_it_was_saved_from(
    suffix: str, tmp_path: Path
) -> None:
    source = make_workbook(tmp_path / "budsjett.xlsx")
    saved = saved_by_libreoffice(source, suffix, tmp_path / "lagret")
    doc = parse_converted(saved)
    assert doc.path == saved and doc.format == suffix.lstrip(".")
    original = parse_xlsx(source)
    assert [(p.page, p.kind, p.text) for p in doc.paragraphs] == [
        (p.page, p.kind, p.text) for p in original.paragraphs
    ]


def test_a_missing_value_leaves_the_others_under_their_columns(tmp_path: Path) -> None:
    path = tmp_path / "kostra.csv"
    path.write_text(";Kommune;2022;2023;2024\n;Nordvika;120;;140\n;Sørbukta;;95;\n", "utf-8")
    (table,) = [p.text for p in parse_csv(path).paragraphs]
    assert table.split("\n") == [
        "Kommune | 2022 | 2023 | 2024", "Nordvika | 120 | – | 140", "Sørbukta | – | 95"
    ]  # fmt: skip


SOLVIKA = "Solvika kommune – budsjett 2026"
BUDGET_HEAD = "Tjeneste | Budsjett 2025 | Budsjett 2026 | Andel 2026"
TYPED_ROWS = [
    "Oppvekst | 38000 | 42000",
    "Helse og omsorg | 52000 | 52500",
    "Kultur | 10000 | 10500",
]
needs_calc = pytest.mark.skipif(
    not office_reads(".ods"), reason="LibreOffice Calc is not installed"
)


def budget_with_formulas() -> openpyxl.Workbook:
    """A budget whose sum row and shares are formulas, and an investment sheet with a sum:
    openpyxl saves formulas without values, as many report generators do."""
    book = openpyxl.Workbook()
    budget = book.active
    budget.title = "Budsjett"
    budget.append([SOLVIKA])
    budget.append([])
    budget.append(BUDGET_HEAD.split(" | "))
    for row, (service, last_year, this_year) in enumerate(
        [("Oppvekst", 38000, 42000), ("Helse og omsorg", 52000, 52500), ("Kultur", 10000, 10500)],
        start=4,
    ):
        budget.append([service, last_year, this_year, f"=C{row}/C$7"])
    budget.append(["Sum", "=SUM(B4:B6)", "=SUM(C4:C6)", "=C7/C$7"])
    for row in range(4, 8):
        budget[f"D{row}"].number_format = "0%"
    investments = book.create_sheet("Investeringer")
    investments.append(["Prosjekt", "Kostnad"])
    investments.append(["Ny barnehage på Solvikmoen", 24000])
    investments.append(["Gang- og sykkelvei til skolen", 6000])
    investments.append(["Sum", "=SUM(B2:B3)"])
    book.properties.creator = "Solvika kommune"
    return book


def test_formulas_saved_without_values_read_as_empty_with_a_warning_without_libreoffice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "budsjett.xlsx"
    budget_with_formulas().save(str(path))
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))  # no LibreOffice on it
    assert office_converter() is None
    doc = parse_xlsx(path)
    tables = [p.text for p in doc.paragraphs if p.kind == "table"]
    assert tables == [
        "\n".join([BUDGET_HEAD, *TYPED_ROWS, "Sum"]),
        "Prosjekt | Kostnad\nNy barnehage på Solvikmoen | 24000\n"
        "Gang- og sykkelvei til skolen | 6000\nSum",
    ]
    assert doc.warnings == [
        "7 formula cells on sheets 'Budsjett' (6), 'Investeringer' (1) have no computed value, "
        "so read as empty (the file was saved by a program that does not compute formulas): "
        "open and save it in Excel or LibreOffice"
    ]


@needs_calc
def test_formulas_saved_without_values_are_computed_by_libreoffice(tmp_path: Path) -> None:
    path = tmp_path / "budsjett.xlsx"
    budget_with_formulas().save(str(path))
    saved = path.read_bytes()
    doc = parse_xlsx(path)
    assert path.read_bytes() == saved  # LibreOffice computed a copy, not the user's file
    assert doc.path == path and doc.format == "xlsx"
    assert doc.title == SOLVIKA and doc.publisher == "Solvika kommune"
    tables = [p.text for p in doc.paragraphs if p.kind == "table"]
    assert tables == [
        "\n".join([BUDGET_HEAD, *(f"{row} | {share}" for row, share in
                                   zip(TYPED_ROWS, ["40 %", "50 %", "10 %"], strict=True)),
                   "Sum | 100000 | 105000 | 100 %"]),
        "Prosjekt | Kostnad\nNy barnehage på Solvikmoen | 24000\n"
        "Gang- og sykkelvei til skolen | 6000\nSum | 30000",
    ]  # fmt: skip
    assert doc.warnings == []


@needs_calc
def test_a_workbook_saved_with_its_values_is_read_as_before_without_libreoffice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = budget_with_formulas()
    book["Budsjett"]["A9"] = "Merknad"
    book["Budsjett"]["B9"] = '=IF(C7>B7*2,"Doblet","")'  # a value of empty text, not a missing one
    source = tmp_path / "kilde" / "budsjett.xlsx"
    source.parent.mkdir()
    book.save(str(source))
    saved = saved_by_libreoffice(source, ".xlsx", tmp_path / "lagret")  # with the values
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))  # no LibreOffice on it
    doc = parse_xlsx(saved)
    assert doc.warnings == []  # nothing to compute, so LibreOffice was not missed
    texts = [p.text for p in doc.paragraphs]
    assert texts[2].endswith("Kultur | 10000 | 10500 | 10 %\nSum | 100000 | 105000 | 100 %")
    assert texts[3] == "Merknad"
    assert texts[-1].endswith("Sum | 30000")
