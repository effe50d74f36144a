"""Table rows a question names by a code or a row label, and the column it asks for."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from policyminer.answer.candidates import TOKEN, Sentence
from policyminer.index.chunking import (
    TABLE_CELL_SEP,
)
from policyminer.index.lexical import StemSet, words


def codes_around(sentence: Sentence) -> set[str]:
    """The codes named in a sentence's passage and its section headings."""
    return letter_codes(" ".join([sentence.chunk.text, *sentence.chunk.section_path]))


def _spaced_words(text: str) -> str:
    """A text's lower-cased words, one space apart and one around: " troms og finnmark "."""
    return f" {' '.join(TOKEN.findall(text.lower()))} "


# A code names one thing among its like: a plan's field ("B3", "BK12"), a road ("E39"), a
# model ("F-35"); letters, then digits, written with or without a hyphen.
_CODE = re.compile(r"(?<![\w-])([^\W\d_]{1,6})-?(\d{1,5}[^\W\d_]?)(?![\w-])")
# a dash between a number and a code or number is a range: "B3-5", "BK12–BK14"
_RANGE_DASH = re.compile(r"(?<=\d)[-–](?=[^\W\d_]{0,6}\d)")
# What a question names by a code: a field, plot, road or site ("felt N2", "sites BK12"). Other
# codes ("CO2", "covid-19") name a kind of thing that a passage may call by another name.
_CODE_KIND = re.compile(
    r"(?:del)?(?:felt|område|tomt|kvartal|sone|vei|veg|kjørevei|kjøreveg|rute|linje|anlegg"
    r"|bygg|stasjon)(?:et|en|a|ene|er)?|fields?|areas?|plots?|lots?|zones?|sites?|roads?"
    r"|routes?|lines?|blocks?|buildings?|stations?"
)


def _as_codes_read(text: str) -> str:
    """Lower-cased, compatibility forms composed ("CO₂" → "co2"), ranges split at their dash."""
    return _RANGE_DASH.sub(" ", unicodedata.normalize("NFKC", text).lower())


def letter_codes(text: str) -> set[str]:
    """The codes a text names, lower-cased and without their hyphen ("F-35" → "f35")."""
    return {f"{m.group(1)}{m.group(2)}" for m in _CODE.finditer(_as_codes_read(text))}


def named_by_code(question: str) -> set[str]:
    """The codes by which a question names a field, plot, road or site: a code right after a
    word for such a thing, and the codes that follow it in a list or range ("felt B1 og B2")."""
    text = _as_codes_read(question)
    named: set[str] = set()
    previous_end, listed = 0, False
    for match in _CODE.finditer(text):
        between = TOKEN.findall(text[previous_end : match.start()])
        after_kind = bool(between) and _CODE_KIND.fullmatch(between[-1]) is not None
        listed = after_kind or (listed and between in ([], ["og"], ["eller"], ["and"], ["or"]))
        if listed:
            named.add(f"{match.group(1)}{match.group(2)}")
        previous_end = match.end()
    return named


def _codes(text: str) -> set[str]:
    """Tokens holding a digit (a number, a code: "B12", "E39"), alone and with the word before
    them ("road 7", "SKV 101"): "V 8" is not the 8 of "lots 3 and 8"."""
    tokens = TOKEN.findall(text.lower())
    found: set[str] = set()
    for i, token in enumerate(tokens):
        if any(c.isdigit() for c in token):
            found.add(token)
            if i:
                found.add(f"{tokens[i - 1]} {token}")
    return found


def prefer_rows_naming(question: str, sentences: Sequence[Sentence]) -> None:
    """Rows of one table that hold the codes and numbers the question names, or else whose
    label (first cell) it writes whole, go first among that table's rows.

    Read in their table, rows are near-duplicates to the dense model, whose scores then
    differ by noise; the cell values are what tell "road 7" from "road 17". The rows holding
    every code that the question names and some row holds take the rank of the table's best row.
    """
    asked = _codes(question)
    lowered = _spaced_words(question)
    for rows in _table_rows(sentences):
        held = [_codes(r.text) for r in rows]
        named = asked & set().union(*held)
        chosen = [r for r, codes in zip(rows, held, strict=True) if named and named <= codes]
        if not chosen:
            chosen = [r for r in rows if 0 in _named_columns(r, set(), lowered)]
        if not chosen or len(chosen) == len(rows):
            continue
        best = max(r.score for r in rows)
        for r in chosen:
            r.score = max(r.score, best + 0.01)


def _table_rows(sentences: Sequence[Sentence]) -> list[list[Sentence]]:
    """Candidate rows grouped by table (passage and header)."""
    tables: dict[tuple[int, str], list[Sentence]] = {}
    for s in sentences:
        if s.header:
            tables.setdefault((s.chunk.id, s.header), []).append(s)
    return list(tables.values())


def table_lookup(question: str, sentences: Sequence[Sentence]) -> Sentence | None:
    """The one table row a question looks up, or None.

    The question names the row, by a code with the word before it ("SKV 101", "felt B3"), by a
    code of letters and digits alone ("B3": a cell "B3" names the row of "felt B3"), or by the
    row's label (its first cell, written whole), and exactly one row of the table is so named;
    it also names another column of that table by a word or a number of its header. When
    several tables fit, the one whose columns the question names most wins (a tie: none). A
    question for a column the table lacks (a near miss) finds none.
    """
    codes = _codes(question)
    keys = {code for code in codes if " " in code} | letter_codes(question)
    asked = StemSet(w for w in words(question) if not w.isdigit())
    lowered = _spaced_words(question)
    found: list[tuple[int, Sentence]] = []  # (columns named, row)
    for rows in _table_rows(sentences):
        keyed = [(r, columns) for r in rows if (columns := _named_columns(r, keys, lowered))]
        if len(keyed) != 1:
            continue
        row, key_columns = keyed[0]
        names = row.header.split(TABLE_CELL_SEP)
        named = sum(
            _names_column(name, asked, codes)
            for j, name in enumerate(names)
            if j not in key_columns
        )
        if named:
            found.append((named, row))
    found.sort(key=lambda f: -f[0])
    if not found or (len(found) > 1 and found[1][0] == found[0][0]):
        return None
    return found[0][1]


def _names_column(name: str, asked: StemSet, codes: set[str]) -> bool:
    """Whether a question names a column: a word of its header, or a part of one ("klasse" in
    "dimensjoneringsklasse", 5 letters or more, as `lexical_overlap` credits compounds), or a
    number in it ("2025")."""
    return any(
        w in asked or any(len(a) >= 5 and a in w for a in asked.words)
        for w in words(name)
        if not w.isdigit()
    ) or bool(codes & _codes(name))


def _named_columns(row: Sentence, keys: set[str], question: str) -> set[int]:
    """The columns by which a question names a table row: cells holding one of its codes, and
    the first cell (the row's label) when the question writes it whole (`question`: its
    lower-cased words, space-separated and padded)."""
    cells = row.text.split(TABLE_CELL_SEP)
    if len(cells) != len(row.header.split(TABLE_CELL_SEP)):
        return set()  # a cell's sentence, not a whole row
    named = {j for j, cell in enumerate(cells) if keys & _codes(cell)}
    label = _spaced_words(cells[0])
    if sum(c.isalpha() for c in label) >= 4 and label in question:
        named.add(0)
    return named
