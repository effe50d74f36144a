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


# A noun that says what an organisation is, as a whole word or the head of a compound
# ("teknologiselskapet", "oppstartsbedrifter"): next to a mention it types that organisation;
# failing that, in most of the sentences that mention it.
_CUE_NOUNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "bedrift",
        re.compile(
            r"\w*(?:selskap|bedrift|firma|leverandør|konsern|næringsaktør|næringslivsaktør|"
            r"startup)\w{0,3}|compan(?:y|ies)|firms?|vendors?|suppliers?"
        ),
    ),
    ("forskningsinstitutt", re.compile(r"\w*forskningsinstitutt\w{0,3}")),
    (
        "universitet/høgskole",
        re.compile(r"\w*(?:universitet|høgskole|høyskole|høgskule|student|professor)\w{0,3}"),
    ),
    ("departement/direktorat/etat", re.compile(r"\w*(?:myndighet|etat|direktorat|tilsyn)\w{0,3}")),
    ("klynge/nettverk", re.compile(r"\w*(?:klynge|nettverk)\w{0,3}")),
]
# Words that may stand between a cue noun and the names it governs: "bedrifter, som X",
# "næringsaktører: X", "blant andre X", "professor ved X".
_CONNECTORS = frozenset(
    re.split(
        r"\|",
        "som|:|(|blant|andre|annet|bl.a.|f.eks.|for|eksempel|eksempelvis|inkludert|herunder|"
        "slik|ved|hos|i|fra|og|eller|samt|,|&|/|such|as|including|like",
    )
)
# words that open another clause: a noun before them governs nothing after them
_CLAUSE_OPENERS = frozenset(
    ["men", "mens", "fordi", "når", "hvis", "der", "hvor", "at", "but", "while", "where"]
)
_TOKEN = re.compile(r"[\w.-]+|[^\w\s]")
_ARTICLES = frozenset(["en", "et", "ei", "a", "an", "the"])
_APPOSITION = re.compile(r"^\s*(?:,|\(|–|\ber\b)\s*((?:\S+\s+){0,4}\S+)")


def _cue_type(word: str) -> str | None:
    lowered = word.casefold()
    for org, pattern in _CUE_NOUNS:
        if pattern.fullmatch(lowered):
            return org
    return None


def _cue_before(words: list[str]) -> str | None:
    """The cue noun governing a mention, read backwards over the list it stands in."""
    loose = 0  # lower-case words that are neither list nor connector: at most two
    start = max(0, len(words) - 16)
    for i in range(len(words) - 1, start - 1, -1):
        word = words[i]
        # a capitalised word inside the sentence is another name of the list, never its noun
        if (i == 0 or not word[:1].isupper()) and (cue := _cue_type(word)):
            return cue
        if word in ".;!?" or word.casefold() in _CLAUSE_OPENERS:
            return None
        if word.casefold() in _CONNECTORS or word[:1].isupper() or word[:1].isdigit():
            continue
        loose += 1
        if loose > 2:
            return None
    return None


def _cue_after(text: str) -> str | None:
    """The cue noun of an apposition right after a mention: "X, en leverandør", "X er et firma"."""
    found = _APPOSITION.match(text)
    if not found:
        return None
    words = _TOKEN.findall(found.group(1))
    # the noun first, or after an article and at most one adjective
    nouns = words[1:3] if words and words[0].casefold() in _ARTICLES else words[:1]
    return next((cue for word in nouns if (cue := _cue_type(word))), None)


def _mention_patterns(forms: Sequence[str]) -> list[re.Pattern[str]]:
    """The organisation's written forms as whole words ("KS" is not the start of "KSU"),
    longest first."""
    return [
        re.compile(rf"(?<!\w){re.escape(form)}(?!\w)", re.IGNORECASE)
        for form in sorted(forms, key=len, reverse=True)
    ]


def _local_cue(sentence: str, mentions: Sequence[re.Pattern[str]]) -> str | None:
    """The type a cue noun next to the organisation's mention in this sentence gives."""
    for mention in mentions:
        found = mention.search(sentence)
        if found is None:
            continue
        if cue := _cue_before(_TOKEN.findall(sentence[: found.start()])):
            return cue
        return _cue_after(sentence[found.end() :])
    return None


def typed(
    name: str, aliases: Sequence[str] = (), contexts: Sequence[str] = ()
) -> tuple[str, float]:
    """(type, confidence 0..1): a cue in the name beats one in an alias beats the context.

    In the context a cue noun next to a mention counts first: the noun the mention stands after
    ("selskapet X", "bedrifter som X, Y og Z", "professor ved X") or an apposition after it
    ("X, en leverandør", "X er et selskap"). Without one, a cue noun anywhere in at least half
    of the mentions' sentences. Context confidence scales with the share of cues that agree.
    """
    for n, form in enumerate((name, *aliases)):
        lowered = " ".join(form.casefold().split())
        for org, pattern in _TYPE_RULES:
            if pattern.search(lowered):
                return org, NAME_CONFIDENCE if n == 0 else ALIAS_CONFIDENCE
    return _type_beside_mentions(contexts, (name, *aliases)) or _type_in_sentences(contexts)


def _type_beside_mentions(
    contexts: Sequence[str], forms: Sequence[str]
) -> tuple[str, float] | None:
    mentions = _mention_patterns(forms)
    votes = Counter(cue for context in contexts if (cue := _local_cue(context, mentions)))
    if not votes:
        return None
    (org, n), *rest = votes.most_common(2)
    if rest and rest[0][1] == n:
        return None
    return org, round(CONTEXT_CONFIDENCE * n / sum(votes.values()), 2)


def _type_in_sentences(contexts: Sequence[str]) -> tuple[str, float]:
    """The type cue nouns anywhere in at least half of the mentions' sentences agree on."""
    votes: Counter[str] = Counter()
    for context in contexts:
        words = _TOKEN.findall(context)
        # a capitalised word inside the sentence is a name, another organisation's
        common = [w for i, w in enumerate(words) if i == 0 or not w[:1].isupper()]
        # one vote per type and sentence, in the order read (a set's order varies between runs)
        votes.update(list(dict.fromkeys(cue for word in common if (cue := _cue_type(word)))))
    if votes:
        org, n = votes.most_common(1)[0]
        if n * 2 >= len(contexts):
            return org, round(CONTEXT_CONFIDENCE * n / len(contexts), 2)
    return "annet", NO_CUE_CONFIDENCE
