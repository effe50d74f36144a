"""Mark the paragraphs that are not running text: tables of contents and reference lists.

A contents page is a run of short entries that end in page numbers ("1.1 Problemstillinger 8",
"Forord ........ 4") which mostly rise down the page. A reference list sits under a heading
such as "Referanser", "Litteratur", "Kjelder" or "References", or is a page that is mostly
author–year entries ("Hansen, K. (2019). Tittel …"). Such paragraphs get the kind `toc` or
`references`: chunked apart from the text, and left out of search and answers by default.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from itertools import groupby, pairwise

from policyminer.records import Paragraph

TOC = "toc"
REFERENCES = "references"
ASIDE_KINDS = frozenset({TOC, REFERENCES})
_TEXT_KINDS = frozenset({"body", "list"})

# "1.2 Tittel .... 12", "Forord 4", "Vedlegg 3 Tabeller 61": words, then leaders or space, a number
_TOC_ENTRY = re.compile(r"^(?=.*[^\W\d_]{3}).{1,120}?[^\d\s.,:;%)–-][\s.·…_]*\s(\d{1,3})\s*$")
_LEADERS = re.compile(r"(\.\s?){4,}|…{2,}|_{4,}")
_TOC_HEADING = re.compile(
    r"\s*(innhold|innholdsfortegnelse|innhald|innhaldsliste|contents|table of contents)\s*",
    re.IGNORECASE,
)
_REFERENCE_HEADING = re.compile(
    r"\s*([\d.]+\s+)?(referanser|referanseliste|litteratur|litteraturliste|kilder|kildeliste"
    r"|kjelder|kjeldeliste|bibliografi|references|bibliography|works cited|literature)\s*",
    re.IGNORECASE,
)
_YEAR = r"\(?(19|20)\d{2}[a-z]?\)?"
# "Hansen, K. og Berg, L. (2019).", "Helsedirektoratet (2020). Tittel", "Smith J, Lee K. 2018."
_AUTHOR_YEAR = re.compile(
    rf"^\s*(\[\d+\]\s*)?[A-ZÆØÅ][\w'’\-]+(,\s*[A-ZÆØÅ]|\s+[A-ZÆØÅ]{{1,3}}[,.]|[^.]{{0,80}}\s{_YEAR}[.,:])"
)
_HAS_YEAR = re.compile(rf"{_YEAR}")
MIN_TOC_ENTRIES = 4
MIN_REFERENCE_ENTRIES = 3
PAGE_SHARE = 0.5  # share of a page's text paragraphs that must be entries
SHORT_WORDS = 15  # a wrapped contents entry ("Norge") is short; a real paragraph is not


def is_toc_entry(text: str) -> int | None:
    """The page number a contents entry points to, or None when the text is not one."""
    text = " ".join(text.split())
    if len(text.split()) > 20:
        return None
    match = _TOC_ENTRY.match(text)
    if match:
        return int(match.group(1))
    return None


def is_reference_entry(text: str) -> bool:
    """Whether a paragraph reads as a bibliography entry: authors, then a year."""
    return bool(_AUTHOR_YEAR.match(text)) and bool(_HAS_YEAR.search(text))


def _toc_page(paras: Sequence[Paragraph]) -> bool:
    text = [p for p in paras if p.kind in _TEXT_KINDS]
    numbers = [n for p in text if (n := is_toc_entry(p.text)) is not None]
    leaders = sum(bool(_LEADERS.search(p.text)) for p in text)
    titled = any(_TOC_HEADING.fullmatch(h) for p in paras for h in (p.section, *p.section_path))
    if len(numbers) < MIN_TOC_ENTRIES or not text:
        return False
    rising = sum(a <= b for a, b in pairwise(numbers)) / max(1, len(numbers) - 1)
    share = len(numbers) / len(text)
    return (share >= PAGE_SHARE and rising >= 0.7) or ((titled or leaders >= 3) and share >= 0.3)


def _reference_page(paras: Sequence[Paragraph]) -> bool:
    text = [p for p in paras if p.kind in _TEXT_KINDS]
    entries = sum(is_reference_entry(p.text) for p in text)
    return entries >= MIN_REFERENCE_ENTRIES and entries >= PAGE_SHARE * len(text)


def _under_reference_heading(para: Paragraph) -> bool:
    return any(_REFERENCE_HEADING.fullmatch(h) for h in (para.section, *para.section_path) if h)


def mark_page_kinds(paragraphs: Sequence[Paragraph]) -> list[Paragraph]:
    """The paragraphs with `toc` / `references` kinds set where their page or section is one."""
    out: list[Paragraph] = []
    for _, group in groupby(paragraphs, key=lambda p: p.page):
        page = list(group)
        toc, refs = _toc_page(page), _reference_page(page)
        for p in page:
            if p.kind not in _TEXT_KINDS:
                out.append(p)
            elif toc and (is_toc_entry(p.text) is not None or len(p.text.split()) <= SHORT_WORDS):
                out.append(replace(p, kind=TOC))
            elif _under_reference_heading(p) or (refs and is_reference_entry(p.text)):
                out.append(replace(p, kind=REFERENCES))
            else:
                out.append(p)
    return out
