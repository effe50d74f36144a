"""Organisation types from general cues in the name (kommune, direktorat, AS …) or its context."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

_TYPE_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("fylkeskommune", re.compile(r"fylkeskommune")),
    (
        "internasjonal organisasjon",
        re.compile(
            r"^(?:eu|fn|un|oecd|who|nato|unesco|unicef|wto|imf|eøs|efta|esa|iea)$|"
            r"\b(?:world|united nations|european|europeiske|international|verdens|nordisk "
            r"ministerråd|nordic council)\b"
        ),
    ),
    # a municipal enterprise (KF) or an inter-municipal company (IKS) is the municipalities'
    ("kommune", re.compile(r"(?<!fylkes)kommune\b|\bbydel|interkommunal|\b(?:kf|iks)$")),
    (
        "departement/direktorat/etat",
        re.compile(
            r"departement|direktorat|tilsyn|\betat|regjering|storting|forskningsråd|utvalg|"
            r"myndighet|\bpoliti|"
            r"kommisjon|^statens |verket$|registr|\bnav\b|\bombud|byrå\b|\bsf$|rådet$"
        ),
    ),
    (
        "helseforetak/sykehus",
        re.compile(
            r"\b(?:hf|rhf)$|sykehus|sjukehus|sjukestugu|helseforetak|^helse |^klinikk for|"
            r"\bhospital|\bclinic|legevakt|avdeling"
        ),
    ),
    (
        "universitet/høgskole",
        re.compile(
            r"universitet(?!ssykehus)|university|høgskole|høgskule|høyskole|\bcollege|fagskole|"
            r"handelshøyskole|^ui[a-zø]$|\bfakultet"
        ),
    ),
    ("forskningsinstitutt", re.compile(r"forskning|institutt|\bresearch|\blaborator")),
    (
        "klynge/nettverk",
        re.compile(
            r"klynge|cluster|nettverk|network|\bvalley\b|fellesskap|samarbeid|allianse|alliance"
        ),
    ),
    (
        "bedrift",
        re.compile(
            r"\b(?:as|asa|ab|ltd|inc|gmbh|plc|group|gruppen|konsern|holding|invest|eiendom"
            r"\w*|consulting|economics|pharma|capital)\b|sparebank(?!stiftelse)|"
            # private clinics carry a brand: "Lyng Klinikken", "Solklinikken", "Klinikk Bakkevik"
            r"klinikken\b|^klinikk \w"
        ),
    ),
    # associations, foundations, schools and museums fall through to "annet"
]
_CONTEXT_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "bedrift",
        re.compile(
            r"\b(?:selskap\w*|bedrift\w*|firma\w*|leverandør\w*|konsern\w*|"
            r"aksjeselskap\w*|oppstartsselskap\w*|startup\w*)\b"
        ),
    ),
    ("forskningsinstitutt", re.compile(r"\bforskningsinstitutt\w*")),
    (
        "universitet/høgskole",
        re.compile(r"\b(?:universitet\w*|høgskole\w*|høyskole\w*|student\w*|professor\w*)\b"),
    ),
    (
        "departement/direktorat/etat",
        re.compile(r"\b(?:myndighet\w*|etat\w*|direktorat\w*|tilsyn\w*|statlig\w*)\b"),
    ),
    ("klynge/nettverk", re.compile(r"\b(?:klynge\w*|nettverk\w*)\b")),
]


# Nouns that head organisation names, as the last part of a compound ("kompetansesenter",
# "tilsynsmyndighet"), indefinite or definite.
_ORG_HEAD = re.compile(
    r"(?:senter|senteret|sentret|center|myndighet|myndigheten|tilsyn|"
    r"tilsynet|direktorat|direktoratet|etat|etaten|verk|verket|råd|rådet|institutt|instituttet|"
    r"forbund|forbundet|forening|foreningen|byrå|byrået|departement|departementet|kommisjon|"
    r"kommisjonen|nemnd|nemnda|ombud|ombudet|universitet|universitetet|høgskole|høgskolen|"
    r"høyskole|høyskolen|sykehus|sykehuset|politi|politiet|selskap|selskapet|stiftelse|"
    r"stiftelsen|fond|fondet|akademi|akademiet|organisasjon|organisasjonen|sekretariat|"
    r"sekretariatet|styre|styret|utvalg|utvalget|forum|forumet|allianse|alliansen|agency|"
    r"authority|council|institute|office)$"
)


def has_org_head(name: str) -> bool:
    """True when the name's last word ends in a noun that heads organisation names."""
    words = name.split()
    return bool(words) and bool(_ORG_HEAD.search(words[-1].casefold()))


# How sure a type is, by where its cue was found: the name itself, another written form of it,
# or only the words around its mentions (scaled by the share of mentions that agree).
NAME_CONFIDENCE = 0.9
ALIAS_CONFIDENCE = 0.8
CONTEXT_CONFIDENCE = 0.6
NO_CUE_CONFIDENCE = 0.3


def org_type(name: str, aliases: Sequence[str] = (), contexts: Sequence[str] = ()) -> str:
    """Organisation type from the name and its aliases, else from words around its mentions."""
    return typed(name, aliases, contexts)[0]


def typed(
    name: str, aliases: Sequence[str] = (), contexts: Sequence[str] = ()
) -> tuple[str, float]:
    """(type, confidence 0..1): a cue in the name beats one in an alias beats the context."""
    for n, form in enumerate((name, *aliases)):
        lowered = " ".join(form.casefold().split())
        for org, pattern in _TYPE_RULES:
            if pattern.search(lowered):
                return org, NAME_CONFIDENCE if n == 0 else ALIAS_CONFIDENCE
    votes: Counter[str] = Counter()
    for context in contexts:
        lowered = context.casefold()
        for org, pattern in _CONTEXT_RULES:
            if pattern.search(lowered):
                votes[org] += 1
    if votes:
        org, n = votes.most_common(1)[0]
        if n * 2 >= len(contexts):
            return org, round(CONTEXT_CONFIDENCE * n / len(contexts), 2)
    return "annet", NO_CUE_CONFIDENCE
