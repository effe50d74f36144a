"""Lines a label opens ("Lokale aktører: A, B, C"), and questions that ask for what the label
names ("Hvilke lokale aktører nevnes …?").

Fact boxes, summaries and schedules give their content as labelled lines ("Ansvar: …",
"Tiltak: …", "Samarbeidspartnere: …"): items, or a short value, after the label. Such a line
is short on the question's words past its label, so the scorer, which learnt on running prose,
ranks it low; yet when the question asks for the thing its label names, the line is the
answer. `ask` quotes such a close line first.
"""

from __future__ import annotations

import re

from policyminer.index.lexical import same_stem, words

__all__ = ["asked_things", "labels_asked"]

# "Hvilke (lokale) aktører …", "Hva slags tiltak …", "Which local companies …": the
# words right after the question word name the things asked for
_ASKS_WHICH = re.compile(
    r"^\W*(?:hvilke[nt]?|kva\s+for\s+(?:nokre|ein|ei|eit)|hva\s+slags|kva\s+slags|which|what)"
    r"\s+((?:[^\W\d]+[\s/-]+){0,2}[^\W\d]+)",
    re.IGNORECASE,
)
# a label of one to four words and a colon opening a line: "Lokale aktører: …"
_LABEL = re.compile(r"^\W*((?:[^\W\d][\w/-]*\s+){0,3}[^\W\d][\w/-]*)\s*:\s*(?=\S)")
# what a label gives is items ("A, B og C") or a short value ("Teknisk etat"); a label before
# running prose is a heading set in the line ("HAVNA: Fiskebåtene ligger der om vinteren …")
_ITEMS = re.compile(r",|;|\s(?:og|eller|and|or)\s")
_SHORT_VALUE = 8  # words


def asked_things(question: str) -> list[str]:
    """The content words that name what a "which …?" question asks for ("lokale",
    "aktører"), or none."""
    match = _ASKS_WHICH.search(question)
    return words(match.group(1)) if match else []


def labels_asked(question: str, text: str) -> bool:
    """Whether the text opens with a label whose words all stand in the question (as words or
    stems) and name what it asks for (one of the words after its question word)."""
    label = _LABEL.match(text)
    if label is None:
        return False  # most lines: the question's words are not read for them
    rest = text[label.end() :]
    if not _ITEMS.search(rest) and len(rest.split()) > _SHORT_VALUE:
        return False
    asked = asked_things(question)
    named = words(label.group(1).replace("/", " "))
    said = words(question)
    return (
        bool(asked and named)
        and all(any(same_stem(n, q) for q in said) for n in named)
        and any(same_stem(n, a) for n in named for a in asked)
    )
