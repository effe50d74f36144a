"""Questions that ask what a numbered section says ("Hva sier § 4.6?", "Hva står i kapittel
4.3?", "What does section 2.1 say?"), answered with the section's own opening sentences.

Such a question names where to read and nothing else to look for: the sentence scorer has no
words to weigh and abstains, though the section is there. So when the question's only content is
a section number, the section is found among the retrieved passages (its heading, or one of its
ancestors' in the passage's section path, carries that number) and its text is quoted from the
start, in document order; a chapter with no text of its own is read on into its subsections.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from policyminer.index.chunking import split_sentences
from policyminer.retrieve.sections import carries, numbered_heading
from policyminer.store.catalog import Catalog, StoredParagraph

__all__ = ["SectionQuote", "find_section", "has_section", "section_quotes"]

MAX_SENTENCES = 5  # quoted from the section's start
_QUOTED_KINDS = ("body", "list", "table", "box")


@dataclass(frozen=True)
class SectionQuote:
    """A sentence (or table row) of the section, where it stands."""

    page: int
    section: str
    quote: str


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
