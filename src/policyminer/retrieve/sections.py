"""Queries that name a section by its number ("§ 4.6", "kapittel 4.3", "kapittel 3") and
nothing more, and the headings that carry such a number.

Such a query names where to read: search puts the opening passage of that section first (in
each document at hand that has one), and `ask` quotes the section from its start.
"""

from __future__ import annotations

import re

from policyminer.index.lexical import REFERENCE_NOUN, section_refs, words
from policyminer.parse.layout import HEADING_NUMBER
from policyminer.store.catalog import Catalog, StoredChunk

__all__ = ["asked_section", "carries", "names_section", "numbered_heading", "section_opening"]

# What such a query says besides the number: asking words, the noun that introduces it.
_ASKING = frozenset(
    {"sier", "står", "stå", "handler", "inneholder", "gjelder", "bestemmer", "seier"}
    | {"say", "says", "said", "contain", "contains", "cover", "covers", "about", "read", "reads"}
)
# a plain number made a section's by its noun: "kapittel 3", "kap. 3", "chapter 3"
_CHAPTER = re.compile(
    r"\b(?:kapit(?:t)?el\w*|kap|chapter|del|part)\.?\s+(\d{1,2})\b(?![.,]\d)", re.IGNORECASE
)


def asked_section(question: str) -> str | None:
    """The section number a query asks the contents of ("§4.6", "4.3", "3" of "kapittel 3"),
    None for any other query. A number asked with "§" is a provision's; without, any
    section's; a plain number only after a noun that makes it one ("kapittel 3", "chapter 3")."""
    found = section_refs(question)
    signed = {ref for ref in found if ref.startswith("§")}
    refs = signed or set(found) or {m.group(1) for m in _CHAPTER.finditer(question)}
    if len(refs) != 1:
        return None
    rest = _CHAPTER.sub(" ", REFERENCE_NOUN.sub(" ", question))
    rest = re.sub(r"§\s?[\d.\s-]*\d|\d+(?:[.-]\d+)*", " ", rest)
    if any(w not in _ASKING and not w.isdigit() for w in words(rest)):
        return None  # "Hva sier § 4.6 om parkering?" asks about something in it
    return refs.pop()


def names_section(question: str) -> bool:
    """Whether a question names a section by its number ("§ 4.6", "kapittel 3")."""
    return bool(section_refs(question)) or _CHAPTER.search(question) is not None


def carries(heading: str, number: str) -> bool:
    """Whether a heading is numbered so ("§ 7. 3 Skolegård" carries "§7.3" and "7.3", "7.3 Mål"
    only "7.3", "3 Metode" "3")."""
    if number.isdigit():
        plain = HEADING_NUMBER.match(heading)
        return plain is not None and plain.group(1) == number
    return number in section_refs(heading[:20])


def numbered_heading(catalog: Catalog, doc_id: str, number: str) -> str | None:
    """The document's first heading numbered so."""
    headings = (p.text for p in catalog.paragraphs(doc_id) if p.kind == "heading")
    return next((text for text in headings if carries(text, number)), None)


def section_opening(catalog: Catalog, doc_id: str, number: str) -> StoredChunk | None:
    """The first passage of the document's section so numbered (or of its first subsection,
    when the section has no text of its own)."""
    heading = numbered_heading(catalog, doc_id, number)
    if heading is None:
        return None
    return next((c for c in catalog.chunks(doc_id) if heading in c.section_path), None)
