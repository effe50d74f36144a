"""Questions that ask what a numbered section says ("Hva sier § 4.6?", "Hva står i kapittel
4.3?", "What does section 2.1 say?"), answered with the section's own opening sentences.

Such a question names where to read and nothing else to look for: the sentence scorer has no
words to weigh and abstains, though the section is there. So when the question's only content is
a section number, the section is found among the retrieved passages (its heading, or one of its
ancestors' in the passage's section path, carries that number) and its text is quoted from the
start, in document order; a chapter with no text of its own is read on into its subsections.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from policyminer.index.chunking import split_sentences
from policyminer.index.lexical import REFERENCE_NOUN, section_refs, words
from policyminer.parse.layout import HEADING_NUMBER
from policyminer.store.catalog import Catalog, StoredParagraph

__all__ = ["SectionQuote", "asked_section", "find_section", "has_section", "section_quotes"]

# What such a question says besides the number: asking words, the noun that introduces it.
_ASKING = frozenset(
    {"sier", "står", "stå", "handler", "inneholder", "gjelder", "bestemmer", "seier"}
    | {"say", "says", "said", "contain", "contains", "cover", "covers", "about", "read", "reads"}
)
MAX_SENTENCES = 5  # quoted from the section's start
# a plain number made a section's by its noun: "kapittel 3", "kap. 3", "chapter 3"
_CHAPTER = re.compile(
    r"\b(?:kapit(?:t)?el\w*|kap|chapter|del|part)\.?\s+(\d{1,2})\b(?![.,]\d)", re.IGNORECASE
)
_QUOTED_KINDS = ("body", "list", "table", "box")


@dataclass(frozen=True)
class SectionQuote:
    """A sentence (or table row) of the section, where it stands."""

    page: int
    section: str
    quote: str


def asked_section(question: str) -> str | None:
    """The section number a question asks the contents of ("§4.6", "4.3", "3" of "kapittel 3"),
    None for any other question. A number asked with "§" is a provision's; without, any
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


def carries(heading: str, number: str) -> bool:
    """Whether a heading is numbered so ("§ 7. 3 Skolegård" carries "§7.3" and "7.3", "7.3 Mål"
    only "7.3", "3 Metode" "3")."""
    if number.isdigit():
        plain = HEADING_NUMBER.match(heading)
        return plain is not None and plain.group(1) == number
    return number in section_refs(heading[:20])


def find_section(catalog: Catalog, hits: Sequence, number: str) -> tuple[str, str] | None:
    """(document, heading) of the best-ranked passage inside a section with that number, else
    the first heading so numbered in the documents of the passages, best-ranked first."""
    for hit in hits:
        chunk = hit.chunk
        for heading in reversed(chunk.section_path or (chunk.section,)):
            if carries(heading, number):
                return chunk.doc_id, heading
    # "kapittel 3" shares no rare term with chapter 3's passages: read the headings
    for doc_id in dict.fromkeys(hit.chunk.doc_id for hit in hits):
        heading = numbered_heading(catalog, doc_id, number)
        if heading is not None:
            return doc_id, heading
    return None


def numbered_heading(catalog: Catalog, doc_id: str, number: str) -> str | None:
    """The document's first heading numbered so."""
    headings = (p.text for p in catalog.paragraphs(doc_id) if p.kind == "heading")
    return next((text for text in headings if carries(text, number)), None)


def has_section(catalog: Catalog, doc_id: str, number: str) -> bool:
    return numbered_heading(catalog, doc_id, number) is not None


def section_quotes(catalog: Catalog, doc_id: str, heading: str) -> list[SectionQuote]:
    """The section's first sentences in document order (read on into its subsections)."""
    # the sections inside it, numbered or not, as the passages' section paths nest them
    inside = {heading} | {c.section for c in catalog.chunks(doc_id) if heading in c.section_path}
    paragraphs = catalog.paragraphs(doc_id)
    start = next(
        (i for i, p in enumerate(paragraphs) if p.kind == "heading" and p.text == heading), None
    )
    if start is None:
        return []
    quotes: list[SectionQuote] = []
    for p in paragraphs[start + 1 :]:
        if p.section not in inside or len(quotes) >= MAX_SENTENCES:
            break
        if p.kind in _QUOTED_KINDS:
            quotes += [SectionQuote(p.page, p.section, q) for q in _units(p)]
    return quotes[:MAX_SENTENCES]


def _units(paragraph: StoredParagraph) -> list[str]:
    """A paragraph's sentences, or a table's rows."""
    text = paragraph.text
    if paragraph.kind == "table":
        return [row for row in text.split("\n") if row.strip()]
    return [text[a:b].strip() for a, b in split_sentences(text) if text[a:b].strip()]
