"""Strong and irregular Norwegian verbs read as their infinitive ("vedtok", "vedtatt": "vedta").

A stemmer cuts endings; it cannot see that "tok", "tatt" and "tar" are one verb, nor "fikk" and
"fått". A question asks in one tense ("Hvem vedtok planen?") and the document states it in
another ("planen er vedtatt av kommunestyret"), so the answer shares no term with the question
where it matters most. The verbs below are the common strong and irregular ones of Bokmål and
Nynorsk; a verb made of a particle and one of them ("vedta", "delta", "inngå", "foreslå",
"iverksette") is read as its particle and the verb's infinitive. A noun made of a verb by "-ing"
("rygging" of "rygge", "vurderingen" of "vurdere") is read as that verb too, for the same reason:
"Er det lov å rygge …?" is answered by "rygging er ikke tillatt".
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["action_verb", "verb_lemma"]


def _words(text: str) -> list[str]:
    return text.split()


def _table(text: str) -> dict[str, str]:
    forms: dict[str, str] = {}
    for line in text.strip().splitlines():
        infinitive, _, rest = line.strip().partition(":")
        for form in (infinitive, *rest.split()):
            forms.setdefault(form, infinitive)
    return forms


# infinitive: past, participle, the present where the stemmer does not bring it to the
# infinitive's stem ("tar", "går"; not "skriver"), and the Nynorsk forms that differ. Forms that
# are as often another word are left out ("vann" water, "fart" speed, "sett" seen, "seier"
# victory, "selger" seller), and "satt" is "sette" (its particle verbs "fastsatt", "iverksatt"
# are common in public documents; "sitte" is rare there).
_FORMS = _table(
    """
    ta: tok tatt tar teke tek tekne
    gi: ga gav gitt gir gje gjev gjeve gjevne
    gå: gikk gått går gjekk
    stå: sto stod stått står
    få: fikk fått får fekk
    slå: slo slått slår
    dra: dro dratt drar drog
    skrive: skrev skreiv skrevet skrivne
    drive: drev dreiv drevet drivne
    finne: fant fann funnet funne
    vinne: vant vunnet vunne
    binde: bandt batt bundet bunde
    sette: satte satt
    legge: la lagt
    si: sa sagt sier
    gjøre: gjorde gjort gjør gjere gjer
    komme: kom kommet kome komen
    holde: holdt halde heldt
    følge: fulgte fulgt følgje følgde følgd
    velge: valgte valgt velje valde
    selge: solgte solgt selje selde seld
    spørre: spurte spurt spør spørje
    vite: visste visst vet veit
    trekke: trakk trukket trekkje
    treffe: traff truffet
    bringe: brakte brakt
    gjelde: gjaldt galdt
    ligge: lå ligget
    bryte: brøt brutt braut
    tilby: tilbød tilbudt tilbyr
    late: lot latt
    """
)
# Particles and prefixes that make new verbs of the ones above ("vedta", "deltok", "inngått",
# "foreslått", "iverksatt"), longest first so that "fore" wins over "for".
_PARTICLES = tuple(
    sorted(
        _words("""
        ved del inn ut opp av an bi til fore for fram frem over under mot på om sam gjennom
        iverk fast ned be er etter sammen tilbake igjen hen tilrette
        """),
        key=len,
        reverse=True,
    )
)
MIN_FORM = 2  # after a particle, a form longer than this ("bi" + "dro"; not "opp" + "la")
# Short forms read alone only: after a particle they as often end another word as make a verb
_NOT_AFTER_PARTICLE = frozenset({"kom", "vet", "sier"})


# A noun made of a verb by "-ing" ("rygging", "betaling", "vurderingen"): the verb's stem needs at
# least three letters before the ending ("ting", "sving" are no such nouns).
_ACTION_NOUN = re.compile(r"^(\w{3,}?)(?:ing|ingen|inga|inger|ingar|ingene|ingane)$")


def action_verb(word: str) -> str | None:
    """The verb an "-ing" noun is made of, as its infinitive ("rygging": "rygge"), or None."""
    match = _ACTION_NOUN.match(word)
    return f"{match.group(1)}e" if match else None


@lru_cache(maxsize=65536)
def verb_lemma(word: str) -> str:
    """The infinitive of a strong or irregular verb form (lower-case), or the word itself."""
    lemma = _FORMS.get(word)
    if lemma is not None:
        return lemma
    for particle in _PARTICLES:
        if not word.startswith(particle):
            continue
        rest = word[len(particle) :]
        if len(rest) <= MIN_FORM or rest in _NOT_AFTER_PARTICLE:
            continue
        lemma = _FORMS.get(rest)
        if lemma is not None:
            return particle + lemma
    return word
