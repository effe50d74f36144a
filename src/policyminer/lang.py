"""Question language (Bokmål, Nynorsk or English), question kinds, and user-facing messages."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

NB = "nb"
NN = "nn"
EN = "en"

_WORD = re.compile(r"[a-zæøåéèü]+", re.IGNORECASE)


def _split(words: str) -> list[str]:
    return words.split()


# Short function words that tell the two languages apart; words shared by both ("i", "a", "to",
# "for") are left out so they cannot tip the balance.
_NB_WORDS = frozenset(
    _split("""
    og er det som på hva hvor hvem hvilke hvilken hvilket hvordan hvorfor når av med til fra
    om ikke kan skal vil har ble blir den de et en ei seg sin sitt sine også etter mellom
    over under mot hos innen ifølge blant disse dette denne der her noe noen mange mye flere
    nevn beskriv forklar oppgi gjelder finnes foreslås foreslår brukes inngår står ved eller
    men så enn bare alle hver hvert hvis dersom
    """)
)
_EN_WORDS = frozenset(
    _split("""
    the of and is are was were what which who whom whose how why when where does do did
    according with from by about into than this that these those there their they it its
    many much more most should would could will can be been being has have had not or but
    list name describe explain give proposed propose report reports an
    """)
)
_FUNCTION_WORDS = _NB_WORDS | _EN_WORDS | frozenset(_split("ikkje dei eit ein for to in on at as"))


def function_word_share(text: str) -> tuple[int, float]:
    """A text's words of two letters or more, and the share of them that are function words of
    either language: prose in either has one in five or more, a table or a list of names a few,
    letters that extract as other letters (a font without a faithful Unicode map) about none."""
    words = [w.lower() for w in _WORD.findall(text) if len(w) > 1]
    if not words:
        return 0, 0.0
    return len(words), sum(w in _FUNCTION_WORDS for w in words) / len(words)


def detect_language(text: str) -> str:
    """'nb' or 'en' for a question, by function words and Norwegian letters; 'nb' when unsure."""
    words = [w.lower() for w in _WORD.findall(text)]
    nb = sum(w in _NB_WORDS for w in words) + 2 * sum(1 for c in text.lower() if c in "æøå")
    en = sum(w in _EN_WORDS for w in words)
    return EN if en > nb else NB


# Function words of one written Norwegian and not the other (shared ones, "og", "i", "som", left
# out): Nynorsk "ikkje", "kva", "frå" where Bokmål writes "ikke", "hva", "fra".
_NN_ONLY = frozenset(
    _split("""
    ikkje ein eit dei kva korleis kvifor kven kvar kor frå berre òg mykje ho meir noko nokon nokre
    vere vore vart eg dykk sjølv fleire heile heilt då medan utan difor sidan kring anna
    innan innanfor utanfor dessutan
    """)
)
_NB_ONLY = frozenset(
    _split("""
    ikke en et de hva hvordan hvorfor hvem hvor fra bare også mye hun mer noe noen være vært ble
    jeg dere selv flere hele helt da nå mens uten derfor siden rundt annet innen innenfor
    utenfor dessuten
    """)
)
# … and endings: Nynorsk "-leg", "-ingar", "-asjonar" where Bokmål writes "-lig", "-inger",
# "-asjoner"
_NORWEGIAN_WORD = re.compile(r"[a-zæøåéèüòô]+", re.IGNORECASE)  # with Nynorsk's "òg"
_NN_ENDING = re.compile(r"\w{3,}(?:leg|lege|ingar|ingane|asjonar|asjonane|tenester|tenesta)$")
_NB_ENDING = re.compile(r"\w{3,}(?:lig|lige|inger|ingene|asjoner|asjonene|tjenester|tjenesten)$")


def passage_language(text: str) -> str:
    """'nb', 'nn' or 'en' for a passage: English by detect_language, Nynorsk where more of its
    function words and endings are Nynorsk's own than Bokmål's."""
    if detect_language(text) == EN:
        return EN
    words = [w.lower() for w in _NORWEGIAN_WORD.findall(text)]
    nynorsk = sum(w in _NN_ONLY or bool(_NN_ENDING.match(w)) for w in words)
    bokmal = sum(w in _NB_ONLY or bool(_NB_ENDING.match(w)) for w in words)
    return NN if nynorsk > bokmal else NB


def passage_standard(texts: Iterable[str]) -> str | None:
    """The language (Bokmål, Nynorsk or English) more than half of some passages are written in,
    each read from its first 1 000 characters; None when none is, or there are no passages."""
    return _majority(passage_language(text[:1000]) for text in texts)


def evidence_language(texts: Iterable[str]) -> str | None:
    """The language more than half of some passages are written in (each read from its first
    1 000 characters); None when none is, or there are no passages."""
    return _majority(detect_language(text[:1000]) for text in texts)


def _majority(langs: Iterable[str]) -> str | None:
    found = Counter(langs)
    if not found:
        return None
    lang, count = found.most_common(1)[0]
    return lang if count * 2 > found.total() else None


# Questions that ask for several items: "hvilke …", "nevn …", "which actors …", "what are the
# four …", a question that names a count of things ("fire drivere", "five elements"), or what
# a thing must hold ("Hva skal planen inneholde?", "What must the report include?").
_NUMBERS = (
    r"tre|fire|fem|seks|sju|syv|åtte|ni|ti|two|three|four|five|six|seven|eight|nine|ten|\d{1,2}"
)
_LIST_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^\s*(hvilke|hvem|nevn|list|liste|oppgi|ramse|nemn)\b",
        r"^\s*kva\s+for\s+nokre\b",  # Nynorsk's plural "which"
        r"^\s*(hva|kva)\s+(er|var|blir|vert)\s+(de|disse|dei|desse)\b",
        r"^\s*(which|who|name|list|enumerate)\b",
        r"^\s*what\s+(are|were)\s+(the|some|all)\b",
        rf"\b({_NUMBERS})\s+\w+(er|ene|s)\b",
        r"\b(oversikt|overview|eksempler|examples)\b",
        r"^\s*(hva|kva|what)\b[^?]*\b(inneholde|omfatte|inkludere|vise|dekke|include|contain"
        r"|cover)(\s+(ifølge|etter|i|på|according|in|under)\b[^?]*)?\s*\??\s*$",
    )
]


def is_list_question(question: str) -> bool:
    """Whether a question asks for several items gathered across passages."""
    return any(p.search(question) for p in _LIST_PATTERNS)


# A second ask joined to the first by "og"/"and" before a question word ("Hvor mange felt har
# vegen, og hvem eier den?"): the quotes may answer either ask first.
_SECOND_ASK = re.compile(
    r",?\s+(?:og|and|samt)\s+(?:(?:på|i|under|for|til|in|on|at|for)\s+)?"
    r"(?:hva|hvem|hvor\w*|hvordan|når|hvilke[nt]?|kva|kven|kor\w*|korleis|what|who|why|how"
    r"|when|which|where)\b",
    re.IGNORECASE,
)


def asks_twice(question: str) -> bool:
    """Whether a question joins a second ask to its first ("…, og hvem …?")."""
    return bool(_SECOND_ASK.search(question))


def first_ask(question: str) -> str | None:
    """The first of two asks as a question of its own ("Hvor mange felt har vegen?"), None when
    the question asks one thing. The second ask usually points back to the first's subject
    ("hvem eier den?") and means little alone."""
    match = _SECOND_ASK.search(question)
    if match is None:
        return None
    first = question[: match.start()].rstrip(" ,;")
    return f"{first}?" if first else None


# Who says it ("… ifølge kommunen?", "According to the report, what …?"): it points to the
# documents, and the sentence that answers need not name its source.
_SOURCE = r"(?:ifølge|ifølgje|i\s+følgje?|according\s+to)\s+"
_SOURCE_FIRST = re.compile(rf"^\W*{_SOURCE}[^,?]{{1,60}},\s*", re.IGNORECASE)
# at the end: after a whole ask (three words or more), a source of a few words
_SOURCE_LAST = re.compile(
    rf"^(?P<ask>\W*(?:\w+\W+){{3,}}?)(?:,\s*)?{_SOURCE}(?:[\w'’.-]+\s*){{1,5}}\?\s*$",
    re.IGNORECASE,
)


def without_source(question: str) -> str:
    """The question less a source it names at its start or end ("Hva er en nærmiljøkontakt
    ifølge kommunen?" → "Hva er en nærmiljøkontakt?"), or the question itself when nothing
    else is left."""
    left = _SOURCE_FIRST.sub("", question)
    last = _SOURCE_LAST.match(left)
    if last is not None:
        left = last.group("ask").rstrip(" ,") + "?"
    return left if any(c.isalnum() for c in left) else question


def second_ask(question: str) -> str | None:
    """The second of two asks with the word that joins it ("og hvorfor ble den flyttet?"),
    None when the question asks one thing."""
    match = _SECOND_ASK.search(question)
    return question[match.start() :].lstrip(" ,") if match else None


# "Hvor høy kan garasjen være?" asks a dimension that documents state by its noun
# ("Mønehøyden skal ikke overstige 9 meter", "bredde") or by a value: the adjective shares no
# word with them. "hvor lang tid" asks a duration, "how long" as often; "hvor langt" how far.
_DIMENSION_NOUNS = {
    "høy": "høyde", "høg": "høgde", "lang": "lengde", "bred": "bredde", "brei": "breidd",
    "dyp": "dybde", "djup": "djupn", "tykk": "tykkelse", "high": "height", "tall": "height",
    "wide": "width", "broad": "breadth", "deep": "depth", "thick": "thickness",
}  # fmt: skip
_ASKS_DIMENSION = re.compile(
    r"\b(?:hvor|kor|how)\s+(høy|høg|lang|bred|brei|dyp|djup|tykk|high|tall|wide|broad|deep"
    r"|thick)(?:e|t|tt)?\b(?<!\blangt)(?!\s+tid\b)",
    re.IGNORECASE,
)


def asked_dimensions(question: str) -> dict[str, str]:
    """The dimensions a question asks by their adjective, as written → the dimension's noun
    ("Hvor høye …?": {"høye": "høyde"})."""
    return {
        m.group(0).split()[-1].lower(): _DIMENSION_NOUNS[m.group(1).lower()]
        for m in _ASKS_DIMENSION.finditer(question)
    }


def with_dimension_nouns(question: str) -> str:
    """The question with the nouns of the dimensions it asks for, as words to search for."""
    return " ".join([question, *asked_dimensions(question).values()])


MESSAGES: dict[str, dict[str, str]] = {
    NB: {
        "no_answer": "Fant ikke noe svar i dokumentene",
        "leads": "Nærmeste avsnitt",
        "answer": "Svar",
        "sources": "Kilder",
        "columns": "kolonner",
        "footnote": "fotnote",
        "page": "s.",
        "slide": "lysbilde",  # what a deck's page is called
        "no_value_in_unit": "Ingen av de nærmeste setningene oppgir en verdi i enheten spørsmålet"
        " ber om",
        "no_number": "De nærmeste setningene oppgir ikke tallet spørsmålet ber om",
        "names_no_maker": "Dokumentene navngir ingen som har laget dem",
        "names_other_code": "De nærmeste avsnittene handler om noe annet enn det spørsmålet"
        " navngir med kode",
        "restates_question": "De nærmeste setningene sier bare det spørsmålet selv sier",
        "named_documents": "Leste bare dokumentene spørsmålet nevner",
        "confidence": "sikkerhet",
        "answers_anyway": "--min-confidence svarer likevel",
        "from_sections": "Fra avsnittene",
        "method_front_matter": "etter regel: tittelside og kolofon",
        "method_section": "etter regel: avsnittet spørsmålet nevner",
        "method_topic_sections": "etter regel: avsnittene med temaet i overskriften",
        "method_table_lookup": "etter regel: raden og kolonnen spørsmålet nevner",
        "method_definition": "etter regel: setningen som sier hva det er",
    },
    # Nynorsk for a question asked in Nynorsk: public bodies answer in the user's written standard
    NN: {
        "no_answer": "Fann ikkje noko svar i dokumenta",
        "leads": "Næraste avsnitt",
        "answer": "Svar",
        "sources": "Kjelder",
        "columns": "kolonnar",
        "footnote": "fotnote",
        "page": "s.",
        "slide": "lysbilete",
        "no_value_in_unit": "Ingen av dei næraste setningane oppgir ein verdi i eininga spørsmålet"
        " ber om",
        "no_number": "Dei næraste setningane oppgir ikkje talet spørsmålet ber om",
        "names_no_maker": "Dokumenta namngir ingen som har laga dei",
        "names_other_code": "Dei næraste avsnitta handlar om noko anna enn det spørsmålet"
        " namngir med kode",
        "restates_question": "Dei næraste setningane seier berre det spørsmålet sjølv seier",
        "named_documents": "Las berre dokumenta spørsmålet nemner",
        "confidence": "tryggleik",
        "answers_anyway": "--min-confidence svarer likevel",
        "from_sections": "Frå avsnitta",
        "method_front_matter": "etter regel: tittelside og kolofon",
        "method_section": "etter regel: avsnittet spørsmålet nemner",
        "method_topic_sections": "etter regel: avsnitta med temaet i overskrifta",
        "method_table_lookup": "etter regel: rada og kolonnen spørsmålet nemner",
        "method_definition": "etter regel: setninga som seier kva det er",
    },
    EN: {
        "no_answer": "No answer found in the documents",
        "leads": "Closest passages",
        "answer": "Answer",
        "sources": "Sources",
        "columns": "columns",
        "footnote": "note",
        "page": "p.",
        "slide": "slide",
        "no_value_in_unit": "None of the closest sentences states a value in the unit asked for",
        "no_number": "The closest sentences do not state the figure asked for",
        "names_no_maker": "The documents name no one who made them",
        "names_other_code": "The closest passages are about other things than the one the"
        " question names by its code",
        "restates_question": "The closest sentences only say what the question itself says",
        "named_documents": "Read only the documents the question names",
        "confidence": "confidence",
        "answers_anyway": "--min-confidence answers anyway",
        "from_sections": "From the sections",
        "method_front_matter": "by rule: title page and colophon",
        "method_section": "by rule: the section the question names",
        "method_topic_sections": "by rule: the sections headed by the topic",
        "method_table_lookup": "by rule: the row and column the question names",
        "method_definition": "by rule: the sentence that says what it is",
    },
}


def message(key: str, lang: str) -> str:
    """A user-facing message in the question's language."""
    return MESSAGES.get(lang, MESSAGES[NB])[key]
