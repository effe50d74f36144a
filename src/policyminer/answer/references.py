"""Questions that name a numbered part of a document ("Hva viser kolonne 4?", "What does
table 2 show?"), and the sentences that name the same part ("Kol. 4 gir …").

The number tells the parts apart: a column's description shares every other word with its
neighbours' ("Kol. 3 gir talet på avgangar …", "Kol. 4 gir talet på avgangar …"), so `ask`
quotes first a close sentence that names the part asked for.
"""

from __future__ import annotations

import re

__all__ = ["asked_parts", "names_part"]

# The nouns by which documents number their parts, with their abbreviations, in both languages
_PARTS = {
    "column": ("kolonne", "kolonnen", "kol", "column", "col"),
    "table": ("tabell", "tabellen", "tab", "table"),
    "figure": ("figur", "figuren", "fig", "figure"),
    "appendix": ("vedlegg", "vedl", "appendix", "annex"),
    "item": ("punkt", "punktet", "pkt", "item", "point"),
    "row": ("rad", "raden", "row", "linje", "line"),
    "step": ("trinn", "steg", "step", "stage"),
    "alternative": ("alternativ", "alternativet", "alt", "alternative", "option"),
}
_NOUN = {word: part for part, words in _PARTS.items() for word in words}
# a noun (or its abbreviation with a full stop) and its number: "kolonne 4", "Kol. 4", "tabell
# 2-1", "vedlegg 3b"; not a range's first number ("Kol. 2–4")
_NAMED = re.compile(
    r"(?<!\w)(?P<noun>[^\W\d_]{2,12})\.?\s?(?P<number>\d{1,3}(?:[-.]\d{1,3})?[a-z]?)(?![\w–-])",
    re.IGNORECASE,
)


def _named(text: str) -> set[tuple[str, str]]:
    return {
        (_NOUN[m.group("noun").lower()], m.group("number").lower())
        for m in _NAMED.finditer(text)
        if m.group("noun").lower() in _NOUN
    }


def asked_parts(question: str) -> set[tuple[str, str]]:
    """The numbered parts a question names: ("column", "4") for "Hva viser kolonne 4?"."""
    return _named(question)


def names_part(parts: set[tuple[str, str]], text: str) -> bool:
    """Whether the text names one of the parts ("Kol. 4 gir …" for ("column", "4"))."""
    return bool(parts & _named(text))
