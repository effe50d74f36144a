"""Sentences that only say again what an open question already says.

An open question ("Hva er hensikten med kravet om X?", "When will Y open?") asks for something
it does not state, so its answer sentence holds at least one content word the question lacks:
on NorQuAD that is so for 1 667 of 1 671 training questions and 470 of 470 validation ones
(`benchmarks/bench_echoes.py`; the four others answer with a function word: "Alle", "nå").
A sentence whose every content word the question already has ("Kravet om X gjelder.") restates
the premise; quoted first, it passes for an answer to a detail the documents do not give.

A question that asks yes or no ("Er X tillatt?") is answered by restating it, and so is one
that offers alternatives ("… i vest eller i øst?"): neither is open.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["asks_open", "says_nothing_new"]

# a question word anywhere: "I hvilket år …", "Under the plan, what …" are open too
_QUESTION_WORD = re.compile(
    r"\b(?:hva|hvem|hvilke|hvilken|hvilket|hvor|hvordan|hvorfor|når|kva|kven|kvifor|korleis"
    r"|kor|what|which|who|whom|whose|where|when|why|how)\b",
    re.IGNORECASE,
)
_ALTERNATIVES = re.compile(r"\b(?:eller|or)\b", re.IGNORECASE)
# a word and the compound of the question it is part of ("skole" / "skolebygg") count as one from
# this length on
_PART = 5


def asks_open(question: str) -> bool:
    """Whether the question asks for something it does not state: a question word, no choice."""
    return bool(_QUESTION_WORD.search(question)) and not _ALTERNATIVES.search(question)


def says_nothing_new(given: set[str], sentence_words: Iterable[set[str]]) -> bool:
    """Whether every content word of a sentence (each as the set of its own stems) is one the
    question gives: the same stem, or a part of a compound the question has ("kraft" in
    "kraftproduksjonen"). A compound of the sentence around a word of the question tells more
    ("vannkraft"): it is new."""
    return all(_given(stems, given) for stems in sentence_words)


def _given(stems: set[str], given: set[str]) -> bool:
    if stems & given:
        return True
    return any(len(stem) >= _PART and any(stem in g for g in given) for stem in stems)
