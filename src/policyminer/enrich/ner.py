"""Named entities: the shipped NorNE spaCy pipeline, the INITIATIVE recogniser, evaluation."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from policyminer.enrich.labels import INITIATIVE
from policyminer.enrich.nerdata import ConlluError, Sentence, read_sentences, sentence_doc
from policyminer.enrich.nertagger import TaggerError
from policyminer.errors import UsageError
from policyminer.models.paths import ner_pipeline_dir

REPO = Path(__file__).resolve().parents[3]
PIPELINE_DIR = REPO / "models" / "ner" / "pipeline"  # the shipped pipeline
INITIATIVES = "policyminer_initiatives"
SPANS_KEY = "initiatives"

# NorNE labels as actor labels; PROD, EVT, DRV and MISC are not actors and are dropped.
ACTOR_LABELS = {
    "PER": "PER",
    "ORG": "ORG",
    "GPE_LOC": "GPE",
    "GPE_ORG": "GPE",
    "GPE": "GPE",
    "LOC": "LOC",
    INITIATIVE: INITIATIVE,
}


class NerError(UsageError):
    """The NER pipeline or an evaluation file cannot be used."""


@lru_cache(maxsize=2)
def load_pipeline(path: Path | None = None) -> Language:
    """Load the shipped pipeline (NER + initiatives) once per process, offline."""
    path = Path(path) if path else ner_pipeline_dir()
    if not (path / "config.cfg").exists():
        raise NerError(f"{path}: no spaCy pipeline here (train one with scripts/train_ner.py)")
    try:
        nlp = spacy.load(path)
    except TaggerError as exc:
        raise NerError(str(exc)) from exc
    if INITIATIVES not in nlp.pipe_names:
        nlp.add_pipe(INITIATIVES, last=True)
    return nlp


# ---------------------------------------------------------------- initiatives

_UP = "A-ZÆØÅÉÄÖÜ"
_LO = "a-zæøåéäöüß"
_W = f"{_UP}{_LO}0-9"
# Nouns that make a capitalised name an initiative: Norwegian cues as compound heads
# ("Datahavnen", "Havbruksreformen") with their definite forms.
_STRONG_NB = (
    "program|programmet|prosjekt|prosjektet|satsing|satsingen|satsning|satsningen|"
    "plattform|plattformen|reform|reformen|plan|planen|strategi|strategien|lab|laben|labben|"
    "laboratorium|laboratoriet|testbed|testbeden|hub|huben|arena|arenaen|initiativ|initiativet|"
    "ordning|ordningen|melding|meldingen|løft|løftet|konferanse|konferansen|portalen|"
    "loven|lova|forskrift|forskriften|direktiv|direktivet|forordning|forordningen|"
    "regelverk|regelverket|instruks|instruksen|rundskriv|rundskrivet|avtale|avtalen"
)
# Laws, regulations, white papers and reforms are named by a definite compound even in lower
# case ("havbruksloven", "plan- og bygningsloven", "kystmeldingen"); other heads in lower
# case are descriptions ("handlingsplanen", "prosjektet").
LOWER_CASE_HEADS = "loven|lova|forskriften|direktivet|forordningen|meldingen|reformen|instruksen"
# everyday nouns with those heads: feedback, registrations, error or text messages
_EVERYDAY = (
    "tilbake|på|inn|ut|av|bekymrings|avviks|hendelses|feil|tekst|varsel|skade|stortings|"
    "stortinget|regjerings|lov"
)
# Indefinite cues name what follows ("Testbed Nordre Dal", "Prosjekt X"); a definite one
# only introduces it ("Stortingsmeldingen Havbruksreformen").
_INDEFINITE_NB = (
    "program|prosjekt|satsing|satsning|plattform|reform|plan|strategi|lab|testbed|hub|arena|"
    "initiativ|ordning|melding|løft|konferanse|portal"
)
_LEGAL_FORM = r"(?:AS|ASA|SA|AB|HF|RHF|KF|IKS|SF)\b"
# Cues that also head organisation names ("Beredskapssenteret", "Havklyngen"): the NER wins.
_WEAK_NB = (
    "senter|senteret|sentret|klynge|klyngen|nettverk|nettverket|campus|modell|modellen|"
    "bydel|bydelen"
)
_STRONG_EN = (
    "Program|Programme|Project|Platform|Hub|Lab|Labs|Living Lab|Initiative|Arena|Testbed|"
    "Strategy|Plan|Reform|Challenge|Accelerator|Incubator|Agenda|Roadmap|Mission|Partnership|"
    # acts, directives and strategies of the EU and other bodies: "Ocean Data Act"
    "Act|Directive|Regulation|Framework|Convention|Treaty|Compass|Deal|Pact"
)
# Guidance documents named by a title: "Retningslinjer for IKT-sikring", "Veileder om …"
_GUIDE = (
    "Grunnprinsipper|Grunnprinsipp|Prinsipper|Retningslinjer|Veileder|Veiledning|Håndbok|"
    "Rammeverk|Anbefalinger|Guidelines|Principles"
)
_WEAK_EN = "Centre|Center|Cluster|Network|Campus|Valley"
_YEAR = r"(?:\s+(?:\d{4}\s*[–-]\s*\d{2,4}|\d{4}|\d\.\d))?"
_CAPWORD = f"[{_UP}][{_W}]*(?:-[{_W}]+)*"
# Titles of plans and strategies start with an adjective: "Nasjonal", "Regional", "Digital".
_ADJECTIVE = f"[{_UP}][{_LO}]+(?:al|alt|ale|ig|ige|lig|lige|sk|ske|isk|iske|ell|elle|iv|ive)"
# Words inside such a title: lower-case content words and "helse-" style suspended compounds,
# never the verbs, pronouns and articles of a running sentence.
_STOP = (
    "har|er|var|blir|ble|skal|vil|kan|må|bør|som|det|den|de|en|et|ei|at|ikke|også|seg|sin|sitt|"
    "sine|vi|han|hun|man|der|her|nå|da|så|men|eller|fra|ved|om|under|etter|mot|mellom|hos|"
    "gjennom|bare|alle|andre|flere|mange|nye|ny|nytt|sammen|"
    # finite verbs that open the predicate after a title ("Regional plan for havbruk beskriver")
    "gir|sier|viser|omtaler|beskriver|peker|legger|understreker|definerer|anbefaler|krever|"
    "stiller|fastslår|slår|trådte|gjelder|omfatter|inneholder|handler|tar|setter|bygger"
)
# ("IKT-sikring": an acronym opens a compound of the title; a verb with its reflexive
# pronoun, "forholder seg", or in the passive, "vurderes", is no title word)
_TIME_WORD = r"(?:år|fjor|dag|morgen|høst|vår|sommer|vinter)(?![\w-])"
_TITLEWORD = (
    f"(?:(?!(?:{_STOP})(?![{_W}])|[{_LO}]+er\\s+seg(?![{_W}])|[{_LO}]{{3,}}es(?![{_W}])|"
    f"i\\s{_TIME_WORD})"
    f"[{_LO}][{_LO}0-9]*-?|"
    f"[{_UP}]{{2,}}-[{_LO}]+|og|i(?!\\s{_TIME_WORD})|for|på|til|med|av|ved|om|mot)"
)
_YEAR_REQ = r"(?=\s+\d{4}|\s*[,.;:()]|\s*$)"
# a place a plan is for, capitalised inside its title: "Sjøplan for Fjordvik 2020",
# "Klimaplan for Elvik mot 2040" (the year that follows shows it is a title)
_PLACE_BEFORE_YEAR = rf"[{_UP}][{_LO}]+(?=(?:\s+(?:mot|til))?\s+\d{{4}}(?![{_W}]))"
_TITLE_OR_PLACE = rf"(?:{_TITLEWORD}|{_PLACE_BEFORE_YEAR})"
_ADJECTIVE_LOWER = f"[{_LO}]+(?:ende|al|ale|ig|ige|lig|lige|sk|ske|isk|iske|ell|elle|iv|ive)"
# an owner in the genitive that opens a title: a name or an acronym ("Havrådets", "KDs")
_OWNER = rf"(?<![{_W}-])(?:[{_UP}]{{2,}}|[{_UP}][{_LO}]{{2,}})s\s"
# policies an owner names: strategies, action plans, taxonomies, directives, goals
_POLICY_HEADS = (
    "strategi|strategien|handlingsplan|handlingsplanen|taksonomi|taksonomien|direktiv|"
    "direktivet|forordning|forordningen|[a-zæøå]{4,}mål|løft|løftet"
)
# guidance a publisher names in the genitive; its "anbefalinger" (advice) are no title
_OWNED_GUIDE = "|".join(g for g in _GUIDE.lower().split("|") if g != "anbefalinger")
# indefinite kinds a name is defined as ("… er et forskningsprogram"); a partnership or a
# network is an organisation, not an initiative
_DEFINED_KINDS = (
    "program|prosjekt|strategi|handlingsplan|satsing|satsning|plattform|initiativ|ordning|"
    "reform|testbed|lab|laboratorium"
)
# definite kind nouns that introduce a name ("temaheftet Trygg havdrift"); reports and
# analyses are publications, not initiatives, and are left out
_KIND_NOUNS = (
    "temaheftet|heftet|veilederen|veiledningen|håndboken|håndboka|strategien|planen|"
    "handlingsplanen|programmet|prosjektet|satsingen|satsningen|plattformen|ordningen|"
    "initiativet|rammeverket|retningslinjene|reformen|stortingsmeldingen|meldingen"
)
# where a title in running text ends: punctuation, a spaced dash before a subtitle, a year,
# a pronoun, a verb (a passive in -es too, which no title word is), a time ("i år") ...
_TITLE_END_WORDS = (
    rf"(?=\s*[,.;:()«»]|\s*$|\s+[–—-]\s|\s+\d{{4}}|"
    rf"\s+(?:{_STOP}|før|når|fordi|slik)(?![{_W}])|\s+[{_LO}]+er\s+seg(?![{_W}])|"
    rf"\s+[{_LO}]{{3,}}es(?![{_W}])|"
    rf"\s+i\s{_TIME_WORD})"
)
# ... or a capital, where titles run together in a list ("Veileder for A Veileder for B")
_TITLE_END = rf"(?:{_TITLE_END_WORDS}|(?=\s+[{_UP}]))"
# a title never ends on a link word: "Veileder for sikring ved" is cut before "ved"
_TRAILING_LINK = re.compile(r"(?:\s+(?:og|i|for|på|til|med|av|ved|om|mot))+$")


# a guide's series identifier: a capital and two to four digits ("Håndbok N123")
_SERIES_ID = r"[A-ZÆØÅ]\d{2,4}[a-z]?(?![\w-])"
_SERIES = rf"(?:Håndbok|Handbok|Håndboken|Veileder|Rettleiar)\s{_SERIES_ID}"


# a zoning plan named by its kind and the place it is for: "Områderegulering for Fjordvik",
# "DETALJREGULERING FOR ELVIK", "Områdeplan for Elvik nord"; in lower case the kind is only
# described ("forslag til områderegulering for …"), and a field code is no place ("for AB12")
_PLAN_KIND = (
    "Områderegulering|Detaljregulering|Reguleringsplan|Områdeplan|Kommunedelplan|"
    "OMRÅDEREGULERING|DETALJREGULERING|REGULERINGSPLAN|OMRÅDEPLAN|KOMMUNEDELPLAN"
)
_PLAN_PLACE = rf"[{_UP}](?:[{_LO}]+|[{_UP}]+)(?:-[{_UP}]?[{_LO}]+)*"
_ZONING_PLAN = (
    rf"(?:{_PLAN_KIND})(?:\s(?:for|FOR))?\s{_PLAN_PLACE}(?:\s{_PLAN_PLACE})*"
    rf"(?:\s(?:nord|sør|syd|øst|vest|NORD|SØR|SYD|ØST|VEST))?(?![{_W}-])"
)


# a guideline or circular by its code after a reference cue: "iht. T-9999", "vedlegg 3 i
# T-9999/21", "jf. H-123"; roads are numbered with two digits or without the dash
_REFERENCE_CUE = r"(?:iht\.|jf\.?|jfr\.|i henhold til|etter|ifølge|se|i)"
_GUIDELINE_CODE = re.compile(
    rf"(?<![{_W}-]){_REFERENCE_CUE}\s([{_UP}]-\d{{3,4}}(?:/\d{{2,4}})?)(?![{_W}-])"
)


# a regulation by its title in lower case after a reference cue: "jf. forskrift om
# havnevakt.", "i henhold til forskrift om sikring av fartøy ved kai." (up to the punctuation)
_CITED_REGULATION = re.compile(
    rf"(?<![{_W}-]){_REFERENCE_CUE}\s(forskrift(?:a|en)?\som(?:\s[{_LO}][{_LO}-]*){{1,10}}?)"
    rf"(?=\s*[.,;:()]|\s*$)"
)


def _capitalised(cues: str) -> str:
    """The cue alternatives written with a capital first letter ("Arena", "Prosjekt")."""
    return "|".join(c[:1].upper() + c[1:] for c in cues.split("|"))


def _compound(cues: str) -> re.Pattern[str]:
    """A capitalised word whose head is a cue noun, with at least three letters before it."""
    return re.compile(
        rf"(?<![{_W}-])[{_UP}][{_W}]{{2,}}(?:-[{_W}]+)*-?(?:{cues})(?![{_W}-]){_YEAR}"
    )


_PATTERNS: list[tuple[str, re.Pattern[str], bool]] = [
    # white papers, NOUs and propositions by their identifiers
    ("identifier", re.compile(r"Meld\.\s?St\.\s?\d+\s?\(\d{4}\s?[–-]\s?\d{4}\)"), True),
    ("identifier", re.compile(r"NOU\s\d{4}\s?:\s?\d+"), True),
    ("identifier", re.compile(r"Prop\.\s?\d+\s?[LS]\s?\(\d{4}\s?[–-]\s?\d{4}\)"), True),
    # standards by their identifiers: NS 1234, NS-EN ISO 12345-2, ISO/IEC 27001:2022
    (
        "identifier",
        re.compile(
            r"(?<![\w-])(?:NS-EN\sISO|NS-ISO|NS-EN|NS|ISO/IEC|ISO)\s\d{3,5}(?:-\d{1,2})*"
            r"(?::\d{4})?(?![\w-])"
        ),
        True,
    ),
    ("identifier", re.compile(rf"(?<![{_W}-]){_ZONING_PLAN}"), True),
    # handbooks and guides named by a series identifier: "Håndbok N123", "Veileder V45"
    ("identifier", re.compile(rf"(?<![{_W}-]){_SERIES}"), True),
    # +CityxChange, MedHub, GreenGrid, EU4Seas: CamelCase or leading "+"
    ("camel", re.compile(rf"(?<![{_W}])\+[{_W}]+"), True),
    ("camel", re.compile(rf"(?<![{_W}-])[{_UP}]{{2,}}[0-9]+[{_UP}][{_LO}]+(?![{_W}])"), True),
    (
        "camel",
        re.compile(
            rf"(?<![{_W}+-])(?:[{_UP}][{_LO}]+|[{_UP}]{{2,}})(?:[{_UP}0-9][{_LO}0-9]+)+"
            rf"(?:[{_UP}][{_LO}]*)?(?![{_W}]){_YEAR}"
        ),
        False,
    ),
    # havbruksloven, plan- og bygningsloven, kystmeldingen: lower-case laws and white papers;
    # the first part of the pair may open a sentence ("Plan- og bygningsloven")
    (
        "law",
        re.compile(
            rf"(?<![{_W}-])(?:[{_UP}]?[{_LO}]+-\s(?:og|eller)\s)?(?!(?:{_EVERYDAY})(?:{LOWER_CASE_HEADS}))"
            rf"[{_LO}]{{4,}}-?(?:{LOWER_CASE_HEADS})(?![{_W}-])"
        ),
        True,
    ),
    # Lov om kystsoneforvaltning, Forskrift om fartøysikkerhet: a law by its title
    (
        "law",
        re.compile(
            rf"(?<![{_W}-])(?:Lov|Forskrift)\som(?:\s{_TITLEWORD}){{1,6}}?"
            rf"(?:{_TITLE_END}|(?=\s+(?:pålegger|regulerer)(?![{_W}])))"
        ),
        True,
    ),
    # Havbruksreformen, Datahavnen, Kyst-Nord-konferansen
    ("compound", _compound(_STRONG_NB), True),
    ("compound", _compound(_WEAK_NB), False),
    # Testbed Nordre Dal, Prosjekt X, Arena Havinnovasjon, Samarbeidsarena Fjellby
    (
        "cue-first",
        re.compile(
            rf"(?<![{_W}-])(?:[{_UP}][{_LO}]*(?:{_INDEFINITE_NB})|{_capitalised(_INDEFINITE_NB)}|"
            rf"Campus)(?:\s(?!{_LEGAL_FORM})(?:[{_UP}][{_W}]*(?:-[{_W}]+)*|[{_UP}0-9]))+(?![{_W}])"
        ),
        True,
    ),
    # Sandøya Living Lab, Nordic Ocean Hub
    (
        "english",
        re.compile(rf"(?<![{_W}-])(?:{_CAPWORD}\s){{1,4}}(?:{_STRONG_EN})(?![{_W}]){_YEAR}"),
        True,
    ),
    ("english", re.compile(rf"(?<![{_W}-])(?:{_CAPWORD}\s){{1,4}}(?:{_WEAK_EN})(?![{_W}])"), False),
    # Nasjonal transport- og logistikkplan 2030–2035, Handlingsplanen for grønn skipsfart
    (
        "title",
        re.compile(
            rf"(?<![{_W}-]){_ADJECTIVE}(?:\s{_TITLEWORD}){{0,4}}\s[{_LO}-]*"
            rf"(?:{_STRONG_NB})(?![{_W}])(?:\sfor(?:\s{_TITLEWORD}){{1,4}}?{_TITLE_END})?{_YEAR}"
        ),
        True,
    ),
    (
        "title",
        re.compile(
            rf"(?<![{_W}-])[{_UP}][{_LO}]+(?:{_STRONG_NB})\sfor(?:\s{_TITLE_OR_PLACE}){{1,5}}{_YEAR}"
            rf"(?:{_TITLE_END_WORDS}|(?=\s+(?:og|i|til)\s))"
        ),
        True,
    ),
    # Strategi for kystvern i Fjordvik 2020–2030: the bare kind noun titles a plan when a
    # year or period closes the title (without one it is a heading: "Plan for arbeidet")
    (
        "title",
        re.compile(
            rf"(?<![{_W}-])(?:{_capitalised(_INDEFINITE_NB)})\s(?:for|om)"
            rf"(?:\s{_TITLE_OR_PLACE}){{1,6}}?\s\d{{4}}(?:\s*[–-]\s*\d{{2,4}})?(?![{_W}])"
        ),
        True,
    ),
    (
        "title",
        re.compile(
            rf"(?<![{_W}-])(?:{_GUIDE})\s(?:for|om|til|on|i|ved)(?:\s{_TITLEWORD}){{1,6}}?{_YEAR}"
            rf"(?:{_TITLE_END}|(?=\s+(?:i|til)\s))"
        ),
        True,
    ),
    # Havtilsynets retningslinjer for sikring, KDs grunnleggende designprinsipper: guidance
    # named by its publisher in the genitive (the owner is part of the name)
    (
        "owned",
        re.compile(
            rf"{_OWNER}(?:{_ADJECTIVE_LOWER}\s)?"
            rf"[{_LO}]*(?:{_OWNED_GUIDE})(?:\s(?:for|om|til|i|ved)(?:\s{_TITLEWORD}){{1,6}}?)?"
            rf"(?:{_TITLE_END}|(?=\s+(?:i|til)\s))"
        ),
        True,
    ),
    # NKRs klimamål, Havrådets handlingsplan for kysten: a policy named by its owner in
    # the genitive (a name, not "kommunens"; a capital opening a sentence is checked below)
    (
        "owned",
        re.compile(
            rf"{_OWNER}[{_LO}]*(?:{_POLICY_HEADS})"
            rf"(?:\s(?:for|om|til)(?:\s{_TITLEWORD}){{1,6}}?)?"
            rf"(?:{_TITLE_END}|(?=\s+(?:og|i|til)\s))"
        ),
        True,
    ),
    # temaheftet Trygg havdrift, programmet Havlys, forskningsprosjektet Grønn Kyst,
    # HAV-prosjektet KYSTNETT: a capitalised name after a kind noun or a compound of one
    (
        "introduced",
        re.compile(
            rf"(?<![{_W}-])(?:[{_LO}]{{3,}}|[{_UP}]{{2,}}-)?(?:{_KIND_NOUNS})\s"
            rf"([{_UP}][{_W}]*(?:-[{_W}]+)*(?:\s[{_UP}][{_W}]*(?:-[{_W}]+)*){{0,2}}"
            rf"(?:\s{_TITLEWORD}){{0,6}}){_TITLE_END}"
        ),
        False,
    ),
    # "Havlys er et forskningsprogram som …": a name defined as a kind of initiative
    (
        "defined",
        re.compile(
            rf"(?<![{_W}-])({_CAPWORD}(?:\s{_CAPWORD}){{0,3}})\s(?:er|var|blir|ble)\s"
            rf"(?:et|en|ei)\s(?:[{_LO}]+\s){{0,2}}?[{_LO}]*(?:{_DEFINED_KINDS})(?![{_W}])"
        ),
        True,
    ),
    # «Ett land – ett register»: capitalised quoted names (long ones need a head or an
    # introducing noun, below); single quotes too, an apostrophe inside a word is none
    ("quoted", re.compile(rf"[«“\"]([{_UP}][^«»“”\"\n.!?]{{1,100}})[»”\"]"), False),
    ("quoted", re.compile(rf"(?<![{_W}])[‘']([{_UP}][^‘’'\n.!?]{{1,100}})[’'](?![{_W}])"), False),
]
_ADJECTIVE_START = re.compile(rf"[{_UP}][{_LO}]+(?:al|alt|ale|ig|ige|sk|ske|isk|iske|ell|elle)$")
_LEADING_GENERIC = re.compile(
    r"(?:Prosjektet|Programmet|Satsingen|Satsningen|Plattformen|Initiativet|Nettverket|"
    r"Senteret|Arenaen|Klyngen|Selskapet|Kommunen|Fylket|Regionen|Byen|Labben|Reformen|"
    r"Planen|Strategien|Ordningen|Konferansen)\s+(?=[A-ZÆØÅ+])"
)
# Capitalised function words open sentences, not names ("Med Fjordby Living Lab kan …").
_LEADING_FUNCTION = re.compile(
    r"(?:Med|I|På|For|Til|Av|Og|Men|Den|Det|De|En|Et|Ei|Når|Da|Som|Om|Etter|Under|Fra|Ved|Hos|"
    r"Gjennom|Mellom|Dette|Disse|Denne|Vi|Han|Hun|Der|Her|Både|Også|Nå|Slik|Hvis|Mens|The|"
    r"In|At|With|By|And|Of)\s+(?=[A-ZÆØÅ+])"
)
# the noun that introduces a quoted name: "reformen «…»", "stortingsmeldingen «…»"
_INTRODUCED = re.compile(
    rf"(?:{_STRONG_NB}|kampanje|kampanjen|tiltak|tiltaket|konsept|konseptet|visjon|visjonen|"
    r"tittel|tittelen|navn|navnet)"
    r"\s*[«“\"‘']$",
    re.IGNORECASE,
)
_HEAD_WORD = re.compile(rf"(?:{_STRONG_NB}|{_GUIDE.lower()}|{LOWER_CASE_HEADS})$")


def _quote_too_long(name: str, introduced: bool = False) -> bool:
    """A quoted name runs to eight words and 60 characters; a title with the head of an
    initiative ("… – strategi for …") or one a noun introduces as a title ("med tittelen
    '…'") to fourteen words and 100 characters."""
    if has_initiative_head(name) or introduced:
        return len(name.split()) > 14
    return len(name.split()) > 8 or len(name) > 60


def has_initiative_head(name: str) -> bool:
    """True when a word of the name ends in a noun that names a kind of initiative."""
    return any(_HEAD_WORD.search(w.casefold()) for w in name.split())


_EVERYDAY_COMPOUND = re.compile(rf"(?:{_EVERYDAY})-?(?:{LOWER_CASE_HEADS})")
_CUE_END = re.compile(rf"(?:{_capitalised(_STRONG_NB)}|{_STRONG_EN}|{_capitalised(_WEAK_NB)})$")
# a capital after a small letter, a "+" name, or letters around digits ("EU4Seas")
_REAL_CAMEL = re.compile(rf"[{_LO}][{_UP}](?![{_UP}]*(?:s|er|ene|en|ens)$)|^\+|[{_W}]\d+[{_UP}]")
_STOP_WORD = re.compile(rf"\s(?:{_STOP})(?![{_W}])")
# a sentence, list item, table cell or numbered heading ("4.2.1 Havbrukssatsing", "2.1b …")
# starts here
_SENTENCE_END = re.compile(
    r"(?:^|[.!?:;•▪●\n\t|¹²³⁴⁵⁶⁷⁸⁹⁰]|\s[-–]\s?)[\s«“\"(\[*]*(?:\d+(?:\.\d+)*[a-z]?[.)]?\s+)?$"
)
# publications (reports, assessments, surveys, articles) are named in quotes too
_PUBLICATION_WORDS = (
    r"rapport\w*|vurdering\w*|publikasjon\w*|analyse\w*|undersøkelse\w*|artikkel\w*|"
    r"artikler\w*|notat\w*|bok(?:en)?|boka|kronikk\w*|veileder\w*|evaluering\w*|"
    r"kartlegging\w*|utredning\w*|report|survey|article|assessment"
)
_PUBLICATION_BEFORE = re.compile(rf"(?i)\b(?:{_PUBLICATION_WORDS})\b[^.!?\n]{{0,25}}[«“\"‘']?\s*$")
_PUBLICATION = re.compile(rf"(?i)(?:{_PUBLICATION_WORDS})\b")
# a capitalised adjective before a definite head noun is a description ("Viktige tiltak i
# programmet", "Mulige endringer i planen"): titles of plans take the indefinite head
_DESCRIBED = re.compile(
    rf"{_ADJECTIVE}(?:\s\S+){{0,4}}?\s[{_LO}-]*(?:programmet|prosjektet|satsingen|"
    r"satsningen|plattformen|reformen|planen|strategien|laben|labben|laboratoriet|testbeden|"
    r"huben|arenaen|initiativet|ordningen|løftet|konferansen|portalen)(?:\s|$)"
)
_COMPANY_SUFFIX = re.compile(r"^\s+(?:AS|ASA|SA|AB|HF|RHF|KF|IKS|Ltd|Inc|GmbH)\b")


@dataclass(frozen=True)
class Candidate:
    """A possible initiative name found by one rule."""

    start: int
    end: int
    rule: str
    strong: bool


# the next guides of a list after one named by its identifier: "Håndbok N123 og N124"
_SERIES_LIST = re.compile(rf"(?<![{_W}-]){_SERIES}((?:(?:,\s|\s(?:og|eller)\s){_SERIES_ID})+)")


def _series_members(text: str) -> list[Candidate]:
    """ "N124" of "Håndbok N123 og N124": an identifier listed after a named guide is one."""
    found = []
    for match in _SERIES_LIST.finditer(text):
        offset = match.start(1)
        for member in re.finditer(_SERIES_ID, match.group(1)):
            found.append(
                Candidate(offset + member.start(), offset + member.end(), "identifier", True)
            )
    return found


def _guideline_codes(text: str) -> list[Candidate]:
    """ "T-9999" of "iht. T-9999": a code a reference cue points to names a guideline."""
    return [Candidate(*m.span(1), "identifier", True) for m in _GUIDELINE_CODE.finditer(text)]


def _cited_regulations(text: str) -> list[Candidate]:
    """ "forskrift om havnevakt" after "jf.": a reference names the regulation, lower case."""
    return [Candidate(*m.span(1), "law", True) for m in _CITED_REGULATION.finditer(text)]


def find_initiatives(text: str) -> list[Candidate]:
    """Character spans in `text` that look like named initiatives (generic cues, no name lists)."""
    found: list[Candidate] = _series_members(text) + _guideline_codes(text)
    found += _cited_regulations(text)
    for rule, pattern, strong in _PATTERNS:
        for match in pattern.finditer(text):
            grouped = rule in ("quoted", "introduced", "defined")
            start, end = match.span(1) if grouped else match.span()
            if rule in ("title", "owned", "introduced", "law"):
                end = start + len(_TRAILING_LINK.sub("", text[start:end]))
            name = text[start:end]
            if _COMPANY_SUFFIX.match(text[end:]):
                continue
            if rule == "title" and _DESCRIBED.match(name):
                continue
            if rule == "compound" and _EVERYDAY_COMPOUND.fullmatch(name.casefold()):
                continue  # "Stortingsmeldingen «Trygg kyst»", "Tilbakemeldingen": a common noun
            if rule == "defined" and _LEADING_FUNCTION.match(name + " X"):
                continue  # "Dette er et prosjekt …": a pronoun, no name
            if rule == "camel" and not _REAL_CAMEL.search(name):
                continue  # "OECDs", "Europa25" (a footnote mark), "COVID19"
            introduced = rule == "quoted" and bool(
                _INTRODUCED.search(text[max(0, start - 40) : start])
            )
            if rule == "quoted" and (_quote_too_long(name, introduced) or _STOP_WORD.search(name)):
                continue  # a slogan or a sentence, not a name
            if rule == "quoted" and (
                _PUBLICATION_BEFORE.search(text[max(0, start - 50) : start])
                or _PUBLICATION.match(name)
            ):
                continue  # «…» after "rapporten", "Analyse av …": a publication, not an initiative
            if rule == "quoted" and name[:1].lower() + name[1:] in text:
                continue  # «Smarte havner» beside «smarte havner»: a term, no name
            if rule == "quoted" and not (has_initiative_head(name) or introduced):
                continue  # «Big Ocean»: quotes mark terms too; a name is introduced as one
            if rule in ("compound", "title", "camel", "owned") and _sentence_initial(text, start):
                first = name.split()[0]
                if not (
                    _seen_inside_sentence(text, first)
                    or _seen_in_lower_case(text, first)
                    or _ADJECTIVE_START.match(first)
                    or re.search(r"\d", name)
                    or rule == "camel"
                    or (rule == "owned" and first[:2].isupper())  # "KDs …": an acronym
                ):
                    continue
            # "Prosjektet Testbed Fjellby": a definite generic noun only introduces the name
            for leading in (_LEADING_FUNCTION, _LEADING_GENERIC):
                first = leading.match(text, start, end)
                if first and first.end() < end:
                    start = first.end()
            cue = rule == "camel" and bool(_CUE_END.search(text[start:end]))
            # quotes give a title its bounds, and the head or the noun that introduces it its
            # kind: a place or an organisation inside is part of it
            cue = cue or (rule == "quoted" and (has_initiative_head(text[start:end]) or introduced))
            found.append(Candidate(start, end, rule, strong or cue))
    # "HAV-prosjektet KYSTNETT": a kind noun that introduces a name is no name itself
    named_at = {c.start for c in found if c.rule == "introduced"}
    return [c for c in found if not (c.rule == "compound" and c.end + 1 in named_at)]


def _sentence_initial(text: str, start: int) -> bool:
    """Capitals at the start of a sentence or list item say nothing about names; the full
    stop of an abbreviation ("jf.", "bl.a.") ends no sentence."""
    before = text[max(0, start - 40) : start]
    return bool(_SENTENCE_END.search(before)) and not _ABBREVIATION_END.search(before)


# common Norwegian abbreviations with a full stop, right before a word
_ABBREVIATION_END = re.compile(
    r"(?<![\w.])(?:jf|jfr|bl\.a|f\.eks|ca|dvs|mv|iht|ifm|inkl|evt|nr|kap|pkt|mht|vs|St)\.\s+$"
)


def _seen_in_lower_case(text: str, word: str) -> bool:
    """True for a law or white paper ("Havbruksloven") the text also writes in lower case."""
    lower = word.lower()
    return bool(re.search(rf"(?:{LOWER_CASE_HEADS})$", lower)) and bool(
        re.search(rf"(?<![{_W}-]){re.escape(lower)}(?![{_W}])", text)
    )


def _seen_inside_sentence(text: str, word: str) -> bool:
    """True if `word` also occurs capitalised in the middle of a sentence in `text`."""
    for match in re.finditer(rf"(?<![{_W}-]){re.escape(word)}(?![{_W}])", text):
        if not _sentence_initial(text, match.start()):
            return True
    return False


def _modifier_only(text: str, cand: Candidate, token_end: int) -> bool:
    """True when the name only opens a hyphen compound whose head names no initiative:
    "Havlys-saken" is a case, "Havlys-angrepet" an event, "Havlys-prosjektet" a project."""
    if token_end <= cand.end or text[cand.end : cand.end + 1] != "-":
        return False
    return not has_initiative_head(text[cand.end + 1 : token_end])


class InitiativeRecognizer:
    """Adds INITIATIVE entities for named projects, programmes, plans, reforms, labs and arenas.

    Strong cues override overlapping NER entities; weak cues (centre, cluster, network) only
    fill gaps the NER left. All candidates are also kept in doc.spans["initiatives"].
    """

    def __init__(self, name: str = INITIATIVES, spans_key: str = SPANS_KEY):
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        strong: list[Span] = []
        weak: list[Span] = []
        for cand in find_initiatives(doc.text):
            span = doc.char_span(cand.start, cand.end, label=INITIATIVE, alignment_mode="expand")
            if span is None or not span.text.strip():
                continue
            if _modifier_only(doc.text, cand, span.end_char):
                continue
            (strong if cand.strong else weak).append(span)
        doc.spans[self.spans_key] = filter_spans(strong + weak)
        ents = list(doc.ents)
        taken = {i for span in filter_spans(strong) for i in range(span.start, span.end)}
        kept = [e for e in ents if not taken.intersection(range(e.start, e.end))]
        # weak cues lose to actor entities but beat non-actor NER labels (PROD, EVT, MISC)
        actor_tokens = {
            i
            for e in kept
            if e.label_ in ("PER", "ORG", "GPE_LOC", "GPE_ORG", "LOC")
            for i in range(e.start, e.end)
        }
        weak = [s for s in weak if not actor_tokens.intersection(range(s.start, s.end))]
        weak_tokens = {i for s in weak for i in range(s.start, s.end)}
        kept = [e for e in kept if not weak_tokens.intersection(range(e.start, e.end))]
        doc.ents = filter_spans(kept + filter_spans(strong) + weak)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    # rules have nothing to save or load
    def to_disk(self, path: Path, exclude: Sequence[str] = ()) -> None:
        return None

    def from_disk(self, path: Path, exclude: Sequence[str] = ()) -> InitiativeRecognizer:
        return self

    def to_bytes(self, exclude: Sequence[str] = ()) -> bytes:
        return b""

    def from_bytes(self, data: bytes, exclude: Sequence[str] = ()) -> InitiativeRecognizer:
        return self


@Language.factory(INITIATIVES, default_config={"spans_key": SPANS_KEY})
def make_initiatives(nlp: Language, name: str, spans_key: str) -> InitiativeRecognizer:
    """spaCy factory for the INITIATIVE recogniser (also exposed as an entry point)."""
    return InitiativeRecognizer(name, spans_key)


# ---------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 with the counts they come from."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.tp + self.fn,
        }


@dataclass
class NerEvaluation:
    """Exact-span, micro-averaged entity scores, overall and per label."""

    overall: PRF
    labels: dict[str, PRF] = field(default_factory=dict)
    sentences: int = 0

    def as_dict(self) -> dict:
        return {
            "overall": self.overall.as_dict(),
            "labels": {k: v.as_dict() for k, v in sorted(self.labels.items())},
            "sentences": self.sentences,
        }


Entity = tuple[int, int, str]


def score_entities(gold: Sequence[set[Entity]], pred: Sequence[set[Entity]]) -> NerEvaluation:
    """Compare gold and predicted (start, end, label) sets sentence by sentence."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        for ent in g & p:
            tp[ent[2]] += 1
        for ent in p - g:
            fp[ent[2]] += 1
        for ent in g - p:
            fn[ent[2]] += 1
    labels = {lab: PRF(tp[lab], fp[lab], fn[lab]) for lab in set(tp) | set(fp) | set(fn)}
    overall = PRF(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return NerEvaluation(overall, labels, len(gold))


def evaluate_conllu(path: Path, nlp: Language | None = None, context: int = 1) -> NerEvaluation:
    """Score the NER on a NorNE-style CoNLL-U file (gold tokenisation; initiatives switched off).

    ``context`` sentences are fed to the pipeline together, in file order, as running text
    (as at ingest); 1 scores each sentence on its own, the usual NorNE protocol.
    """
    try:
        sentences = list(read_sentences(Path(path)))
    except ConlluError as exc:
        raise NerError(str(exc)) from exc
    if not sentences:
        raise NerError(f"{path}: no annotated sentences")
    return evaluate_sentences(sentences, nlp, context)


def evaluate_sentences(
    sentences: list[Sentence], nlp: Language | None = None, context: int = 1
) -> NerEvaluation:
    """Score the NER on annotated sentences, as `evaluate_conllu` does for a file."""
    nlp = nlp or load_pipeline()
    gold_docs = [sentence_doc(nlp.vocab, s) for s in sentences]
    gold = [{(e.start, e.end, e.label_) for e in d.ents} for d in gold_docs]
    inputs = [
        Doc(
            nlp.vocab,
            words=s.words,
            spaces=s.spaces,
            sent_starts=[i == 0 for i in range(len(s.words))],
        )
        for s in sentences
    ]
    step = max(1, context)
    groups = [inputs[i : i + step] for i in range(0, len(inputs), step)]
    texts = [Doc.from_docs(g) if len(g) > 1 else g[0] for g in groups]
    disable = [n for n in nlp.pipe_names if n == INITIATIVES]
    pred: list[set[Entity]] = []
    with nlp.select_pipes(disable=disable):
        for group, doc in zip(groups, nlp.pipe(texts), strict=True):
            offset = 0
            for sent in group:
                end = offset + len(sent)
                pred.append(
                    {
                        (e.start - offset, e.end - offset, e.label_)
                        for e in doc.ents
                        if offset <= e.start < end
                    }
                )
                offset = end
    return score_entities(gold, pred)
