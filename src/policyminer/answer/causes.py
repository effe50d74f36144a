"""Questions that ask why ("Hvorfor …?", "Why …?") or what for ("Hva er hensikten med …?"),
and sentences that give a cause or purpose.

On NorQuAD the answer sentence of a "hvorfor" question gives a cause or purpose by a connective
("fordi", "på grunn av", "for å", "because") for 91 of 140 questions, the paragraphs' other
sentences for 197 of 3 167 (`benchmarks/bench_kinds.py`). `ask` quotes a close sentence that
gives one first; none is required (a cause may be stated without a connective).
"""

from __future__ import annotations

import re

from policyminer.index.synonyms import PURPOSE_WORDS

__all__ = ["asks_cause", "concludes", "states_cause"]

_ASKS = re.compile(r"^\W*(?:(?:og|and|men|but)\s+)?(?:hvorfor|kvifor|why)\b", re.IGNORECASE)
# What something is for: "Hva er hensikten/formålet/målet med …?", "Hva skal X bidra til?",
# "What is the purpose of …?" — a purpose is a cause of its own kind
_ASKS_PURPOSE = re.compile(
    r"^\W*(?:hva|kva|what)\s+(?:er|var|is|was|are|were)\s+(?:the\s+|det\s+)?(?:\w+\s+)?"
    rf"(?:{PURPOSE_WORDS}|purpose|aim|goal|objective)\w*"
    r"\s+(?:med|for|of|behind)\b"
    r"|^\W*(?:hva|kva|what)\s+(?:skal|skulle|is|are)\s+(?:\S+\s+){1,8}?"
    r"(?:bidra\s+til|oppnå|meant\s+to|intended\s+to)\b",
    re.IGNORECASE,
)
_STATES = re.compile(
    r"\b(?:fordi|på\s+grunn\s+av|pga\.?|derfor|skyldes|skyldtes|ettersom|som\s+følge\s+av"
    r"|grunnet|årsaken|grunnen|på\s+bakgrunn\s+av|for\s+å|slik\s+at|med\s+tanke\s+på"
    r"|begrunn\w*|forklares\s+med|forklaring(?:en|a)?|henger\s+sammen\s+med|given\s+that"
    r"|because|due\s+to|owing\s+to|as\s+a\s+result|therefore|in\s+order\s+to|so\s+that"
    r"|the\s+reason"
    # a purpose stated: "Formålet med planen er …", "skal bidra til", "har som mål", "aims to"
    rf"|(?:{PURPOSE_WORDS})(?:et|en|a)\s+(?:med\s+[^.]{{1,80}}?\s+)?"
    r"(?:er|var|blir)|skal\s+bidra\s+til|har\s+som\s+(?:mål|formål|hensikt)|tar\s+sikte\s+på"
    r"|the\s+(?:purpose|aim|goal|objective)|aims?\s+to|intended\s+to|meant\s+to)\b",
    re.IGNORECASE,
)

# A conclusion drawn from what the sentence before says: "Derfor …", "Det er dermed …",
# "Therefore …": the connective within the first four words.
_CONCLUDES = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:derfor|difor|dermed|følgelig|therefore|thus|hence|consequently)\b"
    r"|^\W*(?:av\s+(?:den|denne)\s+grunn(?:en)?|for\s+this\s+reason)\b",
    re.IGNORECASE,
)


def asks_cause(question: str) -> bool:
    """Whether the question asks why, or what something is for."""
    return bool(_ASKS.search(question) or _ASKS_PURPOSE.search(question))


def states_cause(text: str) -> bool:
    """Whether the text gives a cause or a purpose by a connective ("fordi", "for å", …)."""
    return bool(_STATES.search(text))


def concludes(text: str) -> bool:
    """Whether the sentence draws a conclusion from the one before it ("Derfor …", "X er
    dermed …"): quoted alone, it leaves out why."""
    return bool(_CONCLUDES.search(text))
