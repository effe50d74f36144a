"""Documents a question names: "i Nordvika-planen", "ifølge Trusselbildet 2024", "according to SSB".

A question that names a document by a name its title carries may ask about that document:
`ask` reads only the documents so named when its best passage is from one of them (a name in
passing, "… i Norge", is carried by other titles too). A name is a word the question writes
with a capital letter (not its first word, which any question capitalises), matched in a title
only where the title writes it as a name too: in capitals, or capitalised after the title's
first word (a file name is left out: its words, "oslo-…", name a publisher or place as often as
the document). A year beside a name tells editions apart ("Trusselbildet 2024"). Names that every
document carries, or none, restrict nothing. A name that no other document's text uses either
("Nordvika" in a plan for Nordvika) is no name in passing: the question is about those documents
wherever its best passage is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["NamedDocument", "asked_names", "documents_named", "same_word"]

_WORD = re.compile(r"[^\W\d_]+|(?<!\d)(?:19|20)\d\d(?!\d)")
STEM = 5  # letters two forms of one name share ("Veikartet", "Veikart")


@dataclass(frozen=True)
class NamedDocument:
    """A document as a question may name it: its id (the file name's stem) and title."""

    id: str
    title: str


def _question_names(question: str) -> tuple[set[str], set[str]]:
    """(names, years) the question writes: capitalised words after its first, and years."""
    names: set[str] = set()
    years: set[str] = set()
    for i, match in enumerate(_WORD.finditer(question)):
        word = match.group()
        if word.isdigit():
            years.add(word)
        elif i > 0 and word[0].isupper() and (len(word) >= 3 or word.isupper()):
            names.add(word.lower())
    return names, years


def _title_names(title: str) -> set[str]:
    """The words a title writes as names: in capitals, or capitalised after its first word
    (which any title capitalises)."""
    words = [m.group() for m in _WORD.finditer(title) if not m.group().isdigit()]
    return {w.lower() for i, w in enumerate(words) if w.isupper() or (i and w[0].isupper())}


def _document_names(doc: NamedDocument) -> tuple[set[str], set[str]]:
    years = {m.group() for m in _WORD.finditer(doc.title) if m.group().isdigit()}
    return _title_names(doc.title), years


def same_word(asked: str, written: str) -> bool:
    """Whether two lower-cased words are forms of one ("veikartet", "veikart")."""
    if asked == written:
        return True
    return min(len(asked), len(written)) >= STEM and (
        asked.startswith(written) or written.startswith(asked)
    )


def asked_names(question: str, title: str) -> set[str]:
    """The names (lower-cased, as the question writes them) by which it names this title."""
    names, _ = _question_names(question)
    written = _title_names(title)
    return {n for n in names if any(same_word(n, w) for w in written)}


def documents_named(question: str, documents: Iterable[NamedDocument]) -> tuple[str, ...]:
    """The ids of the documents the question names, most names first; () when it names none
    or names them all."""
    names, years = _question_names(question)
    if not names:
        return ()
    docs: Sequence[NamedDocument] = list(documents)
    scores: dict[str, int] = {}
    for doc in docs:
        written, written_years = _document_names(doc)
        matched = sum(any(same_word(n, w) for w in written) for n in names)
        if matched:
            scores[doc.id] = matched + len(years & written_years)
    if not scores:
        return ()
    best = max(scores.values())
    named = tuple(doc.id for doc in docs if scores.get(doc.id) == best)
    return named if len(named) < len(docs) else ()


def without_names(text: str, names: Iterable[str]) -> str:
    """The text less the names by which it named documents (whole words, any case), each with
    the words hyphened to it ("Nordvika-planen": the plan it names) and the preposition that
    points to it ("Hva betyr FKV i Nordvika-planen?" asks what FKV means), or the text itself
    when nothing else would be left."""
    left = text
    for name in names:
        named = rf"(?:\b{_POINTING}\s+)?(?<!\w){re.escape(name)}(?:-\w+)*(?!\w)"
        left = re.sub(named, " ", left, flags=re.IGNORECASE)
    left = re.sub(r"\s+(?=[?.!]?\s*$)", "", left)
    return left if any(c.isalnum() for c in left) else text


# prepositions by which a question points to the document it asks ("ifølge Risiko 2021")
_POINTING = r"(?:i|ifølge|ifølgje|etter|in|according\s+to)"
