"""Spreadsheets (.xlsx, .xlsm) and CSV files → ParsedDocument: a sheet is a part, its name the
section.

A sheet's rows are read as tables (cells joined by " | ", an empty cell among a table's columns
as "–", so every value stays under its column: `sections.table_text`); a blank row
parts two tables, and a row of one text cell alone (a title or a note above a table) is body
text. A long table goes in blocks of BLOCK_ROWS rows, each under the table's first row again, so
an answer quoting a row far down reads it under its columns. Values are read as Excel shows
them: whole numbers without decimals, percentages in percent, dates as dates; a formula gives
the value last computed and saved with the file. A file saved by a program that computes no
formulas (openpyxl, many report generators and business systems' exports) holds none: where a
formula cell has no value, LibreOffice Calc, where installed, computes the workbook's formulas in
a copy that is read instead; without it such cells read as empty, with a warning naming their
sheets. Hidden sheets are left out, and a sheet longer than MAX_ROWS is cut there, with a
warning for each.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import zip_longest
from pathlib import Path
from typing import TYPE_CHECKING

from policyminer.parse.libreoffice import CALC, converted_copy
from policyminer.parse.pdf import ParseError, useful_title
from policyminer.parse.sections import SectionBuilder, table_text
from policyminer.parse.textclean import normalize_text
from policyminer.parse.word import unreadable_package
from policyminer.records import ParsedDocument

if TYPE_CHECKING:
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.packaging.core import DocumentProperties
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

__all__ = ["SHEET_SUFFIXES", "parse_csv", "parse_xlsx"]

SHEET_SUFFIXES = frozenset({".xlsx", ".xlsm"})  # what openpyxl reads
BLOCK_ROWS = 25
MAX_ROWS = 5000
CSV_DELIMITERS = ";,\t|"  # Norwegian Excel writes ";" (the comma is the decimal sign)
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s/>]")  # <f>, <f t="shared" si="0"/>, <x:f>
SCAN_BYTES = 1 << 20


def parse_xlsx(path: Path, sha256: str | None = None) -> ParsedDocument:
    """A workbook: a part per visible sheet, titled by its name; its rows as tables. Formula
    cells the file holds no value for are computed by LibreOffice where it is installed, else
    read as empty, with a warning."""
    path = Path(path)
    read = _read_workbook(path, find_uncomputed=True)
    if read.uncomputed:
        read = _recalculated(path, read)
    builder, properties = read.builder, read.properties
    if not any(p.kind != "heading" for p in builder.paragraphs):
        raise ParseError("no values found in the workbook's visible sheets")
    created = properties.created.isoformat() if properties.created else ""
    parsed = builder.document(
        path, sha256, _title(properties.title or "", builder, path), path.suffix.lower()[1:],
        properties.creator or "", created,
    )  # fmt: skip
    parsed.warnings.extend(read.warnings)
    return parsed


@dataclass
class _Reading:
    """A workbook read: its visible sheets' text, warnings and properties."""

    builder: SectionBuilder
    warnings: list[str]
    properties: DocumentProperties
    uncomputed: dict[str, int]  # formula cells the file holds no value for, by sheet


def _read_workbook(path: Path, find_uncomputed: bool) -> _Reading:
    book = _opened(path, data_only=True)
    formulas: Workbook | None = None
    builder = SectionBuilder()
    warnings: list[str] = []
    uncomputed: Counter[str] = Counter()
    try:
        if find_uncomputed and _has_formulas(path):
            # openpyxl gives a cell's formula or its saved value, never both: a second reading,
            # for the formulas, tells an empty cell from a formula saved without its value
            formulas = _opened(path, data_only=False)
        for sheet in book.worksheets:
            if sheet.sheet_state != "visible":
                warnings.append(f"sheet {sheet.title!r} is hidden: left out")
                continue
            builder.heading(1, sheet.title)
            formula_sheet = formulas[sheet.title] if formulas is not None else None
            rows = _sheet_rows(sheet, formula_sheet, uncomputed)
            for kind, text in _blocks(rows):
                builder.add(kind, text)
            if rows.cut:
                warnings.append(f"sheet {sheet.title!r}: only its first {MAX_ROWS} rows read")
        properties = book.properties
    finally:
        book.close()
        if formulas is not None:
            formulas.close()
    return _Reading(builder, warnings, properties, {t: n for t, n in uncomputed.items() if n})


def _opened(path: Path, data_only: bool) -> Workbook:
    import openpyxl  # imported here since only spreadsheets need it

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except Exception as err:  # a zip that is no workbook, or a damaged one
        problem = unreadable_package(path, err, "Excel", ".xlsx", "workbook")
        raise ParseError(f"not a readable Excel file: {problem}") from err


def _has_formulas(path: Path) -> bool:
    """Whether a worksheet of the file holds a formula, in about the rows that are read, as its
    XML shows: a scan far cheaper than openpyxl's second reading, which most workbooks (exports
    of values alone) are thus spared."""
    with zipfile.ZipFile(path) as package:
        parts = [n for n in package.namelist() if "worksheets/" in n and n.endswith(".xml")]
        return any(_part_has_formula(package, name) for name in parts)


def _part_has_formula(package: zipfile.ZipFile, name: str) -> bool:
    rows, tail = 0, b""
    with package.open(name) as part:
        while chunk := part.read(SCAN_BYTES):
            if FORMULA_TAG.search(tail + chunk):
                return True
            rows += chunk.count(b"<row")
            if rows > MAX_ROWS:  # a huge export's rows past those read need no unpacking
                return False
            tail = chunk[-8:]  # a tag cut between two chunks
    return False


def _recalculated(path: Path, read: _Reading) -> _Reading:
    """The workbook read from LibreOffice's copy with its formulas computed, its properties
    (author, date) the user's file's; without LibreOffice, `read` with a warning."""
    try:
        # Calc computes, as it opens a workbook, each formula the file holds no value for, and
        # saves the values (those the file holds it keeps)
        with converted_copy(path, CALC) as copy:
            computed = _read_workbook(copy, find_uncomputed=False)
    except ParseError:
        read.warnings.append(_uncomputed_warning(read.uncomputed))
        return read
    return replace(computed, properties=read.properties)


def _uncomputed_warning(uncomputed: dict[str, int]) -> str:
    """One line: "12 formula cells on sheet 'Budsjett' have no computed value, …"."""
    total = sum(uncomputed.values())
    if len(uncomputed) == 1:
        where = f"sheet {next(iter(uncomputed))!r}"
    else:
        where = "sheets " + ", ".join(f"{title!r} ({n})" for title, n in uncomputed.items())
    cells = "1 formula cell" if total == 1 else f"{total} formula cells"
    have = "has" if total == 1 else "have"
    return (
        f"{cells} on {where} {have} no computed value, so read as empty (the file was saved by "
        "a program that does not compute formulas): open and save it in Excel or LibreOffice"
    )


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


def _sheet_rows(
    sheet: ReadOnlyWorksheet, formulas: ReadOnlyWorksheet | None, uncomputed: Counter[str]
) -> _Rows:
    """The sheet's rows as cell texts; with `formulas`, the sheet read for its formulas, the
    formula cells with no value counted in `uncomputed` under the sheet's name."""
    formula_rows = formulas.iter_rows() if formulas is not None else ()
    return _Rows(_row_texts(sheet, formula_rows, uncomputed))


def _row_texts(
    sheet: ReadOnlyWorksheet, formula_rows: Iterable[tuple], uncomputed: Counter[str]
) -> Iterator[list[str]]:
    for row, formula_row in zip_longest(sheet.iter_rows(), formula_rows, fillvalue=()):
        yield [_cell_text(c.value, c.number_format) for c in row]
        # counted once the next row is asked for, so not for the row past MAX_ROWS that is
        # read only to tell that the sheet is cut
        uncomputed[sheet.title] += sum(map(_has_no_value, row, formula_row))


def _has_no_value(cell: ReadOnlyCell, formula_cell: ReadOnlyCell) -> bool:
    # a formula's saved empty text ("") reads as None too, but typed "str"
    return formula_cell.data_type == "f" and cell.value is None and cell.data_type != "str"


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
