"""Spreadsheets (.xlsx, .xlsm) and CSV files → ParsedDocument: a sheet is a part, its name the
section.

A sheet's rows are read as tables (cells joined by " | ", an empty cell among a table's columns
as "–", so every value stays under its column: `sections.table_text`); a blank row
parts two tables, and a row of one text cell alone (a title or a note above a table) is body
text. A long table goes in blocks of BLOCK_ROWS rows, each under the table's first row again, so
an answer quoting a row far down reads it under its columns. Values are read as Excel shows
them: whole numbers without decimals, percentages in percent, dates as dates; a formula gives
the value Excel last computed. Hidden sheets are left out, and a sheet longer than MAX_ROWS is
cut there, with a warning for each.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from policyminer.parse.pdf import ParseError, useful_title
from policyminer.parse.sections import SectionBuilder, table_text
from policyminer.parse.textclean import normalize_text
from policyminer.parse.word import unreadable_package
from policyminer.records import ParsedDocument

__all__ = ["SHEET_SUFFIXES", "parse_csv", "parse_xlsx"]

SHEET_SUFFIXES = frozenset({".xlsx", ".xlsm"})  # what openpyxl reads
BLOCK_ROWS = 25
MAX_ROWS = 5000
CSV_DELIMITERS = ";,\t|"  # Norwegian Excel writes ";" (the comma is the decimal sign)


def parse_xlsx(path: Path, sha256: str | None = None) -> ParsedDocument:
    """A workbook: a part per visible sheet, titled by its name; its rows as tables."""
    import openpyxl  # imported here since only spreadsheets need it

    path = Path(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # a zip that is no workbook, or a damaged one
        problem = unreadable_package(path, err, "Excel", ".xlsx", "workbook")
        raise ParseError(f"not a readable Excel file: {problem}") from err
    builder = SectionBuilder()
    warnings = []
    try:
        for sheet in book.worksheets:
            if sheet.sheet_state != "visible":
                warnings.append(f"sheet {sheet.title!r} is hidden: left out")
                continue
            builder.heading(1, sheet.title)
            rows = _sheet_rows(sheet)
            for kind, text in _blocks(rows):
                builder.add(kind, text)
            if rows.cut:
                warnings.append(f"sheet {sheet.title!r}: only its first {MAX_ROWS} rows read")
        properties = book.properties
    finally:
        book.close()
    if not any(p.kind != "heading" for p in builder.paragraphs):
        raise ParseError("no values found in the workbook's visible sheets")
    created = properties.created.isoformat() if properties.created else ""
    parsed = builder.document(
        path, sha256, _title(properties.title or "", builder, path), path.suffix.lower()[1:],
        properties.creator or "", created,
    )  # fmt: skip
    parsed.warnings.extend(warnings)
    return parsed


def parse_csv(path: Path, sha256: str | None = None) -> ParsedDocument:
    """A CSV file (comma, semicolon or tab separated; UTF-8 or Windows' Western encoding) as one
    part of tables, titled by its file name."""
    path = Path(path)
    text = _decoded(path.read_bytes())
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=CSV_DELIMITERS)
        delimiter = dialect.delimiter
    except csv.Error:  # one column, or too little to tell
        delimiter = ","
    rows = _Rows(
        [normalize_text(cell) for cell in row]
        for row in csv.reader(io.StringIO(text), delimiter=delimiter)
    )
    builder = SectionBuilder()
    for kind, block in _blocks(rows):
        builder.add(kind, block)
    if not builder.paragraphs:
        raise ParseError("no values found in the file")
    parsed = builder.document(path, sha256, path.stem.replace("_", " "), "csv")
    if rows.cut:
        parsed.warnings.append(f"only its first {MAX_ROWS} rows read")
    return parsed


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:  # Excel's "CSV" on Windows: the Western code page
        return data.decode("cp1252", errors="replace")


class _Rows:
    """Rows of cell texts, at most MAX_ROWS; `cut` tells whether more were left."""

    def __init__(self, rows: Iterable[list[str]]) -> None:
        self._rows = iter(rows)
        self.cut = False

    def __iter__(self) -> Iterator[list[str]]:
        for n, row in enumerate(self._rows):
            if n >= MAX_ROWS:
                self.cut = True
                return
            yield row


def _sheet_rows(sheet) -> _Rows:
    return _Rows([_cell_text(c.value, c.number_format) for c in row] for row in sheet.iter_rows())


def _blocks(rows: Iterable[list[str]]) -> Iterator[tuple[str, str]]:
    """(kind, text) of a sheet: tables parted by blank rows, in blocks of BLOCK_ROWS rows under
    the table's first row; a lone text cell as body text."""
    table: list[list[str]] = []
    for row in rows:
        cells = [c for c in row if c]
        if not cells:
            yield from _table_blocks(table)
            table = []
        elif len(cells) == 1 and not table and not _is_number(cells[0]):
            yield "body", cells[0]
        else:
            table.append(row)
    yield from _table_blocks(table)


def _table_blocks(table: list[list[str]]) -> Iterator[tuple[str, str]]:
    if not table:
        return
    head, rest = table[0], table[1:]
    if len(rest) <= BLOCK_ROWS:
        yield "table", table_text(table)
        return
    for start in range(0, len(rest), BLOCK_ROWS):
        yield "table", table_text([head, *rest[start : start + BLOCK_ROWS]])


def _is_number(text: str) -> bool:
    return text.replace(" ", "").replace(",", "").replace(".", "").lstrip("-").isdigit()


def _cell_text(value: object, number_format: str = "General") -> str:
    """A cell's value as Excel shows it, near enough: 0.25 under a percent format as "25 %",
    1250.0 as "1250", a date as 2026-03-12."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return (
            value.date().isoformat()
            if value.time() == dt.time()
            else value.isoformat(" ", "minutes")
        )
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float):
        number = float(value)
        if "%" in (number_format or ""):
            return f"{_plain(number * 100)} %"
        return _plain(number)
    return normalize_text(str(value))


def _plain(number: float) -> str:
    """A number without a float's noise: 1250.0 → "1250", 0.1 + 0.2 → "0.3"."""
    if number.is_integer():
        return str(int(number))
    return f"{number:.6f}".rstrip("0").rstrip(".")


def _title(core: str, builder: SectionBuilder, path: Path) -> str:
    """The workbook's title in its properties, else the first line of text above a table, else
    the file's name (a sheet's name, "Ark1", names no workbook)."""
    if useful_title(core.strip(), path):
        return core.strip()
    first = next((p.text for p in builder.paragraphs if p.kind == "body"), "")
    return first if 0 < len(first.split()) <= 20 else path.stem.replace("_", " ")
