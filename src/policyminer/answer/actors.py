"""Questions that ask for an actor ("Hvem …?", "Hvilken etat …?", "Which agency …?").

The sentence that answers such a question names the organisation, person or public body; a
sentence close to it in wording that names no one describes the matter, not who acted. Among the
candidates close to the best, those in which the tagger found an actor go first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

__all__ = ["LIFT_MARGIN", "actor_labels", "asks_for_actor", "lift_naming"]

ACTOR_LABELS = ("ORG", "PER")  # an organisation or a person
# a place's name answers a question for a municipality, county or country (the tagger's GPE);
# for other actors a place named beside the matter is no answer ("… i Nordvika")
PLACE_ACTOR_LABELS = (*ACTOR_LABELS, "GPE")
_ASKS_PLACE_ACTOR = re.compile(
    r"\b(?:\w*kommune\w*|fylke\w*|landa?|stat(?:en|ar|er)?|municipalit\w*|countr\w*"
    r"|count(?:y|ies)|states?)\b",
    re.IGNORECASE,
)
LIFT_MARGIN = 0.5  # in the ordering logit's units: how close to the best a lifted sentence is

# The nouns a question asks an actor by, as a whole word or a compound's head ("fagetat",
# "konsulentselskap"), Bokmål, Nynorsk and English
_ACTOR_NOUNS = (
    r"\w*(?:etat|organ|organisasjon|selskap|firma|bedrift|virksomhet|verksemd|kommune|departement"
    r"|direktorat|institusjon|institutt|myndighet|styresmakt|aktør|partner|part|instans|leverandør"
    r"|entreprenør|konsulent|byrå|tjeneste|teneste|senter|utvalg|utval|råd|styre|fylke|land"
    r"|stat|forening|lag|parti|domstol|universitet|høgskole|høyskole|sykehus|sjukehus)"
    r"(?:en|et|a|ene|er|ar|ane|ne|e|s|r|rne)?"
)
_ACTOR_NOUNS_EN = (
    r"(?:body|bodies|organi[sz]ations?|compan(?:y|ies)|firms?|agenc(?:y|ies)|authorit(?:y|ies)"
    r"|ministr(?:y|ies)|directorates?|institutions?|institutes?|municipalit(?:y|ies)|partners?"
    r"|parties|party|actors?|contractors?|consultan(?:ts?|cy|cies)|countr(?:y|ies)|states?"
    r"|councils?|boards?|committees?|universit(?:y|ies)|hospitals?|services?|departments?)"
)
_ASKS_ACTOR = re.compile(
    r"\b(?:hvem|kven|who|whom|whose)\b"
    rf"|\b(?:hvilke[nt]?\s+|kva\s+for\s+(?:(?:ein|ei|eit|nokre)\s+)?){_ACTOR_NOUNS}\b"
    rf"|\bwhich\s+(?:\w+\s+)?{_ACTOR_NOUNS_EN}\b",
    re.IGNORECASE,
)


class Ranked(Protocol):
    score: float


def asks_for_actor(question: str) -> bool:
    """Whether the question asks who: an organisation, person or public body."""
    return bool(_ASKS_ACTOR.search(question))


def actor_labels(question: str) -> tuple[str, ...]:
    """The name kinds that answer an actor question: places too when it asks for one."""
    return PLACE_ACTOR_LABELS if _ASKS_PLACE_ACTOR.search(question) else ACTOR_LABELS


def lift_naming(sentences: Sequence[Ranked], naming: Sequence[Ranked]) -> None:
    """The candidates that name an actor and lie within LIFT_MARGIN of the best go first, in
    their own order."""
    if not sentences or not naming:
        return
    best = max(s.score for s in sentences)
    close = sorted((s for s in naming if s.score >= best - LIFT_MARGIN), key=lambda s: -s.score)
    for rank, s in enumerate(close):
        s.score = best + 0.01 * (len(close) - rank)
