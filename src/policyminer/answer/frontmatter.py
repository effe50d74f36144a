"""Questions about a document itself ("who wrote this report?"), answered from its front matter.

Authorship is stated on the title page, in the foreword or in the colophon, in lines that are
headings or boxes rather than sentences, and that share few words with the question; passage
retrieval and the sentence scorer look past them. So for such a question the first pages and the
last page of the documents at hand are read directly: lines naming the publisher the parser
recorded, or carrying an authorship cue ("utarbeidet av", "på oppdrag fra", "prepared by").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from policyminer.store.catalog import Catalog, StoredParagraph

_AUTHORSHIP = re.compile(
    r"\bhvem\s+(har\s+|som\s+)?(skrevet|skrev|utarbeidet|utarbeidde|laget|lagde|forfattet|"
    r"utgitt|ga\s+ut|gitt\s+ut|bestilt|bestilte|står\s+bak)\b"
    r"|\bhvem\s+er\s+(forfatter\w*|oppdragsgiver\w*|utgiver\w*)"
    r"|\bhvilke[nt]?\s+(forfatter\w*|oppdragsgiver\w*|utgiver\w*|konsulent\w*)"
    r"|\bwho\s+(wrote|authored|prepared|produced|published|commissioned|is\s+behind)\b"
    r"|\bwho\s+(is|are|was|were)\s+the\s+(authors?|publishers?)\b"
    r"|\bauthors?\s+of\b",
    re.IGNORECASE,
)
_CUE = re.compile(
    r"\b(utarbeidet|skrevet|forfatter\w*|oppdragsgiver\w*|på\s+oppdrag|prosjektleder|utgitt|"
    r"utgiver|publikasjon|rapport\s*nr|prepared\s+by|written\s+by|authors?\b|published\s+by|"
    r"commissioned\s+by)",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://|www\.")  # a link names a site, not who wrote the document
FRONT_PAGES = 3  # the title page, its back and the foreword's first page
LINES = 3  # lines quoted per document
MAX_LINE_WORDS = 60  # longer paragraphs are running text, not front matter


def is_authorship_question(question: str) -> bool:
    """Whether the question asks who wrote, published or commissioned a document."""
    return bool(_AUTHORSHIP.search(question))


@dataclass(frozen=True)
class FrontMatterLine:
    """A line of a document's front matter that says who made it."""

    paragraph: StoredParagraph
    names_publisher: bool  # the line holds the publisher the parser recorded for the document


def authorship_lines(catalog: Catalog, doc_id: str) -> list[FrontMatterLine]:
    """The document's lines that say who made it, title page first (at most LINES)."""
    doc = catalog.document(doc_id)
    if doc is None:
        return []
    publisher = (doc.publisher or "").strip().lower()
    found: list[FrontMatterLine] = []
    seen: set[str] = set()
    for para in _front_and_back(catalog.paragraphs(doc_id), doc.pages):
        text = " ".join(para.text.split())
        key = text.lower()
        if key in seen or not text or len(text.split()) > MAX_LINE_WORDS or _URL.search(text):
            continue
        names = bool(publisher) and len(publisher) >= 3 and publisher in key
        if names or _CUE.search(text):
            seen.add(key)
            found.append(FrontMatterLine(para, names))
    found.sort(key=lambda line: (not line.names_publisher, line.paragraph.ordinal))
    return found[:LINES]


def _front_and_back(paragraphs: Sequence[StoredParagraph], pages: int) -> list[StoredParagraph]:
    return [
        p
        for p in paragraphs
        if p.kind not in ("toc", "references", "footnote")
        and (p.page <= FRONT_PAGES or p.page >= pages)
    ]
