"""Questions that ask what a term is ("Hva er plastinering?", "Hva menes med X?", "What is X?"),
and the sentences that define it ("X er …", "Med X menes …", "X (…) is …").

A sentence that says what the term is answers such a question more often than its neighbours
that use the term: on NorQuAD the answer sentence defines the term for 15 of 36 such questions,
the paragraphs' other sentences for 27 of 778 (`benchmarks/bench_kinds.py`). `ask` quotes
a close defining sentence first.
"""

from __future__ import annotations

import re

from policyminer.lang import without_source

__all__ = ["defined_term", "defines"]

MAX_TERM_WORDS = 3  # "Hva er elektrisk spenning?"; longer subjects ask about something else
# "Hva betyr ordet X?": the noun that introduces the term is not part of it
_NOUN = r"(?:(?:ordet|begrepet|uttrykket|forkortelsen|term|word|abbreviation)\s+)?"
_QUESTION = re.compile(
    r"^\W*(?:(?:hva|kva)\s+(?:er|var|betyr|tyder)|hva\s+menes\s+med|kva\s+meiner\s+ein\s+med"
    r"|what\s+(?:is|are|was|were)|what\s+does)\s+(?:en\s+|et\s+|ei\s+|a\s+|an\s+|the\s+)?"
    rf"{_NOUN}(?P<term>[^?]{{2,60}}?)(?:\s+(?:mean|stand\s+for))?\s*\?\s*$",
    re.IGNORECASE,
)
# "Hva står FKV for?": what an abbreviation is short for
_STANDS_FOR = re.compile(
    rf"^\W*(?:hva|kva)\s+står\s+{_NOUN}(?P<term>[^?]{{2,60}}?)\s+for\s*\?\s*$", re.IGNORECASE
)
# a term with a relation word asks for something about it ("navnet på …", "siktet for")
_RELATION = re.compile(
    r"\b(?:på|til|for|i|av|med|om|fra|hos|kalt|of|for|in|on|to|by|from|about)\b", re.IGNORECASE
)
_QUOTES = "\"'«»“”‘’"
# An abbreviation: two to eight letters, most of them capitals ("FKV", "KS", "NorQuAD")
_ABBREVIATION = re.compile(r"(?=(?:\w*[A-ZÆØÅ]){2})[A-Za-zÆØÅæøå]{2,8}")


def defined_term(question: str) -> str | None:
    """The term a question asks the meaning of, if it asks only that (who says it aside:
    "Hva er X ifølge kommunen?")."""
    question = without_source(question)
    match = _QUESTION.match(question) or _STANDS_FOR.match(question)
    if match is None:
        return None
    term = match.group("term").strip().strip(_QUOTES).strip()
    words = term.split()
    if not words or len(words) > MAX_TERM_WORDS or _RELATION.search(term):
        return None
    return term


def defines(term: str, text: str) -> bool:
    """Whether the text says what the term is: "X er …", "X (…) er …", "Med X menes …",
    "X is …", "X står for …", inflected forms of X's last word included; an abbreviation also
    by its long form beside it ("Felles kjørevei (FKV)", "FKV (felles kjørevei)")."""
    head = re.escape(term).replace(r"\ ", r"\s+")
    said = (
        rf"(?<!\w){head}\w*\s*(?:\([^)]{{0,80}}\)\s*)?,?\s*"
        r"(?:er|var|betyr|betegner|omfatter|angir|står\s+for|is|are|was|were|means|refers\s+to"
        r"|stands\s+for)\b"
        rf"|\b(?:med|by)\s+{head}\w*\s+(?:menes|meinast|means?|is\s+meant)\b"
    )
    if re.search(said, text, re.IGNORECASE):
        return True
    if not _ABBREVIATION.fullmatch(term):
        return False
    # "Long Name (ABBR)" or "ABBR (long name)": words spelt out beside it, case as written
    spelt = rf"[^\W\d]{{3,}}\s+\({head}\)|(?<!\w){head}\s+\((?=[^\W\d]{{3,}})[^)]{{6,80}}\)"
    return bool(re.search(spelt, text))
