"""Questions that ask how long ("Hvor lenge …?", "How long did …?"), and sentences that say.

A duration is answered by a length of time ("i tre år", "six months"), a period ("2018–2026",
"fra 2019 til 2031"), an end ("varer fram til 2031", "til 1. mars") or a start ("siden
mars"). On NorQuAD the answer sentence of such a question says one for 19 of 23 training
questions, the paragraphs' other sentences for 38 of 516 (`benchmarks/bench_kinds.py`). `ask`
quotes a close sentence that says one first; none is required.
"""

from __future__ import annotations

import re

from policyminer.answer.units import MONTH, YEAR

__all__ = ["asks_duration", "states_duration"]

# Norwegian keeps the two apart ("hvor lenge" asks a time, "hvor lang" a length); in English
# "how long" asks a time when a verb of being or doing follows, not "how long is the road"
_ASKS = re.compile(
    r"\b(?:hvor|kor)\s+lenge\b"
    r"|\bhow\s+long\s+(?:did|does|do|will|would|has|have|had|can|could|should|must|is\s+\w+\s+"
    r"(?:expected|going|planned|supposed)|was\s+\w+\s+(?:in|at|on|under|away))\b"
    r"|\bfor\s+how\s+long\b",
    re.IGNORECASE,
)
_COUNT = (
    r"(?:\d+(?:[.,]\d+)?|en|ett|ei|et|eitt|to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|elleve|tolv"
    r"|femten|tjue|tretti|førti|femti|hundre|noen|nokre|flere|fleire|mange|one|two|three|four"
    r"|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|a\s+few|several|many)"
)
_TIME_UNIT = (
    r"(?:år|års|århundre\w*|tiår\w*|måned\w*|månad\w*|uker?|veker?|dager?|døgn|timer?|minutt\w*"
    r"|sekund\w*|years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centur(?:y|ies))"
)
_DATE = (
    rf"(?:\d{{1,2}}\.\s*)?(?:{MONTH}\s*)?(?:{YEAR}|\d{{3,4}}-tallet\b)|(?:\d{{1,2}}\.\s*)?{MONTH}"
)
_STATES = re.compile(
    rf"\b{_COUNT}\s+(?:[^\W\d]+\s+)?{_TIME_UNIT}\b"
    rf"|\b(?:til|frem\s+til|fram\s+til|inntil|ut|until|till|through|to)\s+(?:og\s+med\s+)?"
    rf"(?:{_DATE})"
    rf"|\b{YEAR}\s*[-–]\s*(?:{YEAR}|\d\d\b)"
    rf"|\b(?:siden|sidan|since)\s+(?:{_DATE})",
    re.IGNORECASE,
)


def asks_duration(question: str) -> bool:
    """Whether the question asks how long something lasts, lasted or will last."""
    return bool(_ASKS.search(question))


def states_duration(text: str) -> bool:
    """Whether the text says how long: a length of time, a period, an end or a start."""
    return bool(_STATES.search(text))
