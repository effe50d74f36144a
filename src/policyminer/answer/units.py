"""Units of measure a question asks its value in, and whether a sentence states such a value.

"Hvor mange kvadratmeter …?", "… i millioner kroner?", "What price per square metre …?": the
question names the unit its answer is given in. A sentence that states no number in that unit
does not answer it however close its topic, which is what a question about a detail the
documents leave out looks like. A unit right after a number in the question ("røret på
300 mm", "tilskudd på kr 5 000") describes what is asked about and is not the unit asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policyminer.index.chunking import TABLE_CELL_SEP
from policyminer.index.lexical import STOPWORDS, same_stem
from policyminer.lang import EN, detect_language

__all__ = [
    "MONTH",
    "UNIT_CLASSES",
    "YEAR",
    "asked_units",
    "asks_quantity",
    "counted_noun",
    "measured_units",
    "states_count_of",
    "states_new_number",
    "states_number",
    "states_value_in",
]


@dataclass(frozen=True)
class UnitClass:
    """A kind of quantity: the unit words a question names it by, the forms a value takes."""

    name: str
    asked: str  # unit words in a question (regex alternatives, whole words)
    stated: str  # unit forms after a number in an answer
    bare: str = ""  # forms that state a value without a number ("halvparten")
    before: str = ""  # unit forms written before the number ("kr 200", "NOK 5 mill.")


# Area before length: "square metre" names an area, not a length.
UNIT_CLASSES: tuple[UnitClass, ...] = (
    UnitClass(
        "area",
        r"kvadratmeter\w*|kvm|m2|m²|dekar|daa|hektar|km2|km²|hectares?|acres?"
        r"|square\s+(?:metre|meter|kilometre|kilometer|foot|feet)s?",
        r"kvadratmeter\w*|kvm|m2|m²|dekar|daa|mål|hektar|ha|km2|km²|hectares?|acres?"
        r"|square\s+\w+|sq\.?\s*m",
    ),
    UnitClass(
        "money",
        r"kroner|kr|nok|euro|euros|eur|dollars?|usd|pund|pounds?\s+sterling",
        r"kroner|kr|nok|øre|mill\w*|mrd|milliard\w*|billions?|euros?|eur|€|dollars?|usd|pund|£",
        before=r"kr|nok|eur|usd|€|\$|£",
    ),
    UnitClass(
        "percent",
        r"prosent\w*|percent\w*|per\s+cent|percentage\s+points?",
        r"%|prosent\w*|percent\w*|per\s+cent",
        bare=r"halvpart\w*|tredjedel\w*|fjerdedel\w*|flertall\w*|mindretall\w*|majority|half|"
        r"one\s+third|a\s+quarter",
    ),
    UnitClass(
        "length",
        r"meter|metre|meters|metres|kilometer\w*|kilometres?|km|centimeter\w*|centimetres?|cm"
        r"|millimeter\w*|millimetres?|mm|miles?",
        r"meter\w*|metres?|m|km|cm|mm|kilometer\w*|kilometres?|mil|miles?|moh|m\.o\.h\.?",
    ),
    UnitClass(
        "mass",
        r"tonn|tonnes?|tons|kilo|kilogram\w*|kg",
        r"tonn|tonnes?|tons?|kilo\w*|kg|gram|g",
    ),
    UnitClass(
        "energy",
        r"[kmgt]wh|[kmg]w|kilowatt\w*|megawatt\w*|gigawatt\w*|terawatt\w*",
        r"[kmgt]wh|[kmg]w|kilowatt\w*|megawatt\w*|gigawatt\w*|terawatt\w*",
    ),
    UnitClass(
        "volume",
        r"liter|litres?|liters|m3|m³|kubikkmeter\w*|cubic\s+met(?:re|er)s?",
        r"liter\w*|litres?|l|m3|m³|kubikkmeter\w*|cubic\s+\w+",
    ),
    UnitClass(
        "duration",
        # only as the counted unit: "hvor lenge" is as often answered "siden 2016"
        r"(?<=hvor mange )(?:år|måneder|uker|dager|døgn|timer|minutter|sekunder)"
        r"|(?<=kor mange )(?:år|månader|veker|dagar|døgn|timar|minutt|sekund)"
        r"|(?<=how many )(?:years|months|weeks|days|hours|minutes|seconds)",
        r"år|års|måned\w*|månad\w*|uker?|veke|veker|dager?|dagar|døgn|timer?|timar|minutt\w*"
        r"|sekund\w*|years?|months?|weeks?"
        r"|days?|hours?|minutes?|seconds?",
    ),
)

_NUMBER_WORDS = (
    "en|ett|ei|to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|elleve|tolv|femten|tjue|tretti|førti"
    "|femti|hundre|tusen|halv|halvannen|one|two|three|four|five|six|seven|eight|nine|ten"
    "|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand"
)
# A number: digits with thousands spaces, points or decimal commas, or a number word.
# A digit right after a letter belongs to a code ("B2", "E18"), not a number.
_DIGITS = r"(?<![^\W\d])\d(?:[\d.,]|\s(?=\d))*"
_NUMBER = rf"(?:{_DIGITS}|\b(?:{_NUMBER_WORDS})\b)"
# One or two words may stand between a number and its unit ("12 mill. kr", "3 hele meter").
_BETWEEN = r"\s*(?:[^\W\d]+\.?\s+){0,2}?"


def _word(alternatives: str) -> str:
    """Alternatives as whole words (a unit in "f.Kr." or "Oslo-kr" is no unit)."""
    return rf"(?<![\w.-])(?:{alternatives})(?![\w-])"


_ASKED = {u.name: re.compile(_word(u.asked), re.IGNORECASE) for u in UNIT_CLASSES}
# a number, perhaps with its magnitude ("en million kroner"), right before a unit: a given value
_GIVEN = re.compile(
    rf"{_NUMBER}(?:\s+(?:mill\w*|milliard\w*|billions?|tusen|thousands?|hundre|hundred))?\s*$",
    re.IGNORECASE,
)
_STATED = {
    u.name: re.compile(
        rf"{_NUMBER}{_BETWEEN}{_word(u.stated)}"
        + (rf"|{_word(u.before)}\s*{_NUMBER}" if u.before else "")
        + (rf"|{_word(u.bare)}" if u.bare else ""),
        re.IGNORECASE,
    )
    for u in UNIT_CLASSES
}
# "kr 5 000", "Euro 6": a unit word followed by a number is a given value or a name
_NUMBER_NEXT = re.compile(r"\s*-?\d")
_UNIT_ONLY = {u.name: re.compile(_word(u.stated), re.IGNORECASE) for u in UNIT_CLASSES}
_STANDALONE_NUMBER = re.compile(rf"{_DIGITS}(?!\w)")


# An amount of money asked for without naming the currency: how much a thing costs, pays or
# earns, or how large a fine, fee, price, wage or budget is. Shares and counts of such things
# ("hvor stor andel av budsjettet") ask for another unit and stay out, and so do comparisons
# ("hvor mye dyrere"), often answered by a share.
_ASKS_MONEY = re.compile(
    r"\b(?:hvor|kor)\s+(?:mye|my(?:kje|cket))\b"
    r"(?!\s+(?:mer|meir|mindre|dyrere|dyrare|billigere|billegare)\b)[^?]*?"
    r"\b(?:kost|tjen|betal|sel[dg]|solgt|kjøpt|tap)\w*"
    r"|\b(?:hva|kva)\s+(?:kost|koster|kostet|kostar|kosta)\b"
    r"|\b(?:hvor|kor)\s+(?:stor|store|stort|høy|høye|høyt|høg|høge|høgt)\s+(?:bøter|bot|bota"
    r"|boten|gebyr\w*|erstatning\w*|lønn\w*|løn|løna|pris\w*|beløp\w*|budsjett\w*|honorar\w*)\b"
    r"|\bhow\s+much\b[^?]*?\b(?:cost|costs|costing|pay|paid|pays|earn\w*|spen[dt]\w*|charge\w*"
    r"|sold|bought|lost)\b"
    r"|\bhow\s+(?:large|big|high)\s+(?:a\s+|the\s+|were\s+the\s+|was\s+the\s+|is\s+the\s+)?"
    r"(?:fines?|fees?|prices?|salar(?:y|ies)|wages?|budgets?|sums?)\b",
    re.IGNORECASE,
)


def asked_units(question: str) -> frozenset[str]:
    """The kinds of quantity the question asks its value in (none for most questions)."""
    found: set[str] = {"money"} if _ASKS_MONEY.search(question) else set()
    text = question
    for unit in UNIT_CLASSES:
        for match in _ASKED[unit.name].finditer(text):
            given = _GIVEN.search(text[: match.start()]) or _NUMBER_NEXT.match(text, match.end())
            if not given:
                found.add(unit.name)
        # a phrase taken by one class is not read again by the next ("square metre")
        text = _ASKED[unit.name].sub(lambda m: " " * len(m.group()), text)
    return frozenset(found)


def states_value_in(unit: str, text: str, header: str = "") -> bool:
    """Whether the text states a value in this kind of unit; `header`: its table columns."""
    if _STATED[unit].search(text):
        return True
    # a table row: the unit in its column header ("Areal (m²)"), the number in the row
    return bool(header and _UNIT_ONLY[unit].search(header) and _STANDALONE_NUMBER.search(text))


# A question asking for a quantity without naming its unit: how many, how large, how high, or
# a measure by its noun in the singular ("Hvilket innbyggertall …", "What is the population …";
# "Hvilke kostnader …" asks for kinds). Uses that are answered in words stay out: "hvor stor
# rolle/betydning", "hvor høyt prioritert", "hvor langt har arbeidet kommet".
_LEADING = r"^\W*(?:(?:i|in|på|med|til|for|at|by|to|of)\s+)?"
_MEASURE_HEADS = (
    r"antall|(?<!h)andel|\w{3,}tall|beløp|sum|høgde|høyde|lengde|bredde|breidd|dybde|djupn"
    r"|størrelse|storleik|mengde|volum|trafikk|omsetning|kapasitet|hastighet|fartsgrense"
    r"|temperatur|befolkning|folketal|kostnad|budsjett|rente|alder|areal"
)
_MEASURE_HEADS_EN = (
    r"number|share|proportion|percentage|amount|height|length|width|size|volume|traffic"
    r"|turnover|capacity|speed|temperature|population|cost|budget|rate|age|area|count|total"
)
_QUANTITY_WORDING = (
    r"(?:(?:hvor|kor)\s+(?:mange|mye|mykje|stor|store|stort|høy|høye|høg|høge|lang|lange"
    r"|bred|bredt|brede|brei|breitt|dyp|dypt|djup|tung|tungt|gammel|gammelt|gamle|gamal)\b"
    r"(?!\s+(?:rolle|betydning|grad|vekt|innflytelse|påvirkning|interesse)\b)"
    r"|how\s+(?:many|much|large|big|high|tall|wide|deep|heavy|old)\b"
    r"(?!\s+(?:a\s+)?(?:role|part|impact|influence|weight|interest)\b)"
    rf"|(?:hvilke[nt]|(?:hva|kva)\s+(?:er|var|blir|ble|vart|vil\s+være))\s+(?:[^\W\d]+\s+)??"
    rf"[^\W\d]*(?:{_MEASURE_HEADS})(?:en|et|a|ene|er|i)?\b"
    # Nynorsk's "kva" as "hvilken", right before its noun in the singular ("Kva (for eit)
    # folketal …"; "Kva kostnader …" asks for kinds, as "Hvilke kostnader …" does)
    rf"|kva\s+(?:for\s+(?:ein|ei|eit)\s+)?[^\W\d]*(?:{_MEASURE_HEADS})(?:en|et|a|i)?\b"
    rf"|what\s+(?:is|was|will\s+be)\s+(?:the\s+)?(?:[^\W\d]+\s+)??"
    rf"(?:{_MEASURE_HEADS_EN})\b)"
)
_ASKS_QUANTITY = re.compile(_LEADING + _QUANTITY_WORDING, re.IGNORECASE)
# A count stated in words ("tolv", "halvparten"), and the words that answer "how many" with
# none or all. Articles ("en", "ei", "et", "a") are not counted, or every sentence would state a
# number; nor is "alle"/"all", which quantifies in passing ("i alle aldre", "all our love") far
# more often than it answers (NorQuAD: no answer sentence needs it; BENCHMARKS, session 19).
_CARDINALS = (
    r"én|ett|to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|elleve|tolv|tretten|fjorten|femten|seksten"
    r"|sytten|atten|nitten|tjue|tretti|tredve|førti|femti|seksti|sytti|åtti|nitti|hundre\w*"
    r"|tusen\w*|million\w*|milliard\w*|\w+talls?|dobbelt\w*|halvpart\w*|tredjedel\w*"
    r"|fjerdedel\w*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty"
    r"|forty|fifty|hundreds?|thousands?|millions?|billions?|half|twice|double"
)
_NONE_OR_ALL = r"ingen|inga|ingen ting|aldri|samtlige|flertall\w*|none|no\s+one"
# An article before a unit counts one of it: "en time", "et år", "a week"
_ONE_UNIT = (
    r"(?:en|ei|et|eit|one|a|an)\s+(?:halv\s+|half\s+(?:an?\s+)?)?(?:time|dag|døgn|uke|veke"
    r"|måned|månad|år|tiår|hour|day|week|month|year|decade|meter|kilometer|mile)\b"
)
_CARDINAL = re.compile(rf"{_DIGITS}|\b(?:{_CARDINALS})\b", re.IGNORECASE)
_A_NUMBER = re.compile(rf"{_DIGITS}|\b(?:{_CARDINALS}|{_NONE_OR_ALL}|{_ONE_UNIT})\b", re.IGNORECASE)


# A count or a measure is no point in time: a year after a word of time ("i 2027", "fra og
# med 2030", "since 2019"), a month or a season ("i oktober 2018", "3. mars 2021", "våren
# 2017", "autumn of 2019") or a date does not answer "how many", though it may answer "how old".
_ASKS_COUNT = re.compile(
    _LEADING + r"(?:(?:hvor|kor)\s+mange|how\s+many|hvilke[nt]?|kva|hva|what)\b", re.IGNORECASE
)
YEAR = r"(?:1[89]\d\d|20\d\d)\b"  # a year of the last two centuries, as a pattern
MONTH = (  # a month by its name, Norwegian or English
    r"(?:januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember"
    r"|january|february|march|may|june|july|october|december"
    r"|(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|oct|nov|des|dec)\.)"
)
_SEASON = r"(?:våren|vår|sommeren|høsten|hausten|vinteren|spring|summer|autumn|fall|winter)"
_POINT_IN_TIME = re.compile(
    r"\b(?:i|fra|frå|til|innen|innan|siden|sidan|før|etter|år|året|in|since|by|from|until|before"
    rf"|after|during)\s+(?:og\s+med\s+|the\s+year\s+)?{YEAR}"
    rf"|(?:\b\d{{1,2}}\.?\s*)?\b{MONTH}\s*{YEAR}"
    rf"|\b{_SEASON}\s+(?:of\s+)?{YEAR}"
    r"|\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b",
    re.IGNORECASE,
)


# A number that points into the text is no quantity: a page ("(s. 20)", "side 12", "p. 5"), a
# chapter, figure, table, appendix, item or provision ("kap. 4", "figur 3-7", "§ 12-7", "nr. 71");
# nor is one that labels a step or a level ("trinn 1", "fase 2", "nivå 3").
_REFERENCE = re.compile(
    r"(?<![\w.])(?:(?:s|p|pp|kap|fig|tab|pkt|nr|no)\.|side|sida|sidene|page|pages|kapittel"
    r"|kapitlene|chapter|figur|figure|tabell|table|vedlegg|appendix|punkt|avsnitt|section|§§?"
    r"|trinn|fase|nivå|steg|etappe|step|phase|level|stage)\s*"
    r"\d+(?:[.,-]\d+)*(?:\s*(?:-|–|og|and)\s*\d+(?:[.,-]\d+)*)?",
    re.IGNORECASE,
)


# A magnitude that names the unit figures are given in ("omsetning i millioner kroner", "in
# thousands") states no figure itself.
_MAGNITUDE_UNIT = re.compile(
    r"\b(?:i|in)\s+(?:hundre|tusen|thousands|million\w*|milliard\w*|billions)\b", re.IGNORECASE
)


# A measure asked for by its noun names its unit's kind: "Hvilken høyde …", "Hva er
# byggehøyden …", "What is the width …" ask for a length, "Hvilket areal …" for an area.
# English writes apart what Norwegian compounds ("the maximum ridge height", "maksimal
# mønehøyde"): two words may stand before an English noun, one before a Norwegian one (a
# Norwegian question's second word is often its verb: "Hvilken båt målte dybden …" asks which
# boat).
_MEASURE_NOUNS = {
    "length": r"høyde|høgde|lengde|bredde|breidd|dybde|djupn|avstand|height|length|width|depth"
    r"|distance",
    "area": r"areal|area",
    "volume": r"volum|volume",
}
_ASKS_MEASURE = {
    unit: re.compile(
        rf"\b(?:(?:hvilke[nt]?|kva|hva\s+(?:er|var|blir|skal\s+være))\s+(?:(?:en|et|den|det)\s+)?"
        rf"(?:[^\W\d]+\s+)??|what(?:\s+(?:is|was|will\s+be))?\s+(?:the\s+)?"
        rf"(?:[^\W\d]+\s+){{0,2}}?)[^\W\d]*(?:{nouns})"
        r"(?:n|en|et)?\b",  # the singular: "Hvilke arealer …" asks for kinds
        re.IGNORECASE,
    )
    for unit, nouns in _MEASURE_NOUNS.items()
}


def measured_units(question: str) -> frozenset[str]:
    """The kinds of unit a question asks for by a measure's noun ("Hvilken høyde …?")."""
    return frozenset(unit for unit, asks in _ASKS_MEASURE.items() if asks.search(question))


def asks_quantity(question: str) -> bool:
    """Whether the question asks for a quantity (a count, a size, a measure) by its wording."""
    return bool(_ASKS_QUANTITY.search(question))


# Norwegian number words that are everyday English words: no number in an English sentence
_ENGLISH_LOOKALIKES = frozenset({"to"})


def _numbers(text: str) -> set[str]:
    found = {re.sub(r"\W", "", m.group()).lower() for m in _A_NUMBER.finditer(text)} - {""}
    return found - _ENGLISH_LOOKALIKES if detect_language(text) == EN else found


def states_number(text: str) -> bool:
    """Whether the text states a number, in digits or in words ("fem", "halvparten")."""
    if detect_language(text) == EN:
        return any(m.group().lower() not in _ENGLISH_LOOKALIKES for m in _CARDINAL.finditer(text))
    return bool(_CARDINAL.search(text))


def states_new_number(question: str, text: str) -> bool:
    """Whether the text states a number the question does not already give ("i 2030").

    For a count or a measure, years and dates are not such numbers; nor, for any question, a
    number that points to a page, chapter, figure or provision, nor a magnitude that only names
    the unit ("i millioner kroner").
    """
    text = _MAGNITUDE_UNIT.sub(" ", _REFERENCE.sub(" ", text))
    if _ASKS_COUNT.search(question):
        text = _POINT_IN_TIME.sub(" ", text)
    return bool(_numbers(text) - _numbers(question))


# "Hvor mange elever …?", "How many students …?": the thing counted. A sentence that puts a
# number right before it ("120 elever", "tolv nye boliger") states the count asked for; on
# NorQuAD the answer sentence does so for 52 of 84 such questions, the paragraph's other
# sentences for 45 of 1 731 (`benchmarks/bench_units.py`).
_COUNTED = re.compile(
    r"\b(?:(?:hvor|kor)\s+mange|how\s+many)\s+(?:av\s+|of\s+(?:the\s+)?)?([^\W\d]{3,})",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d]+")
_COMPARATIVES = frozenset({"flere", "fleire", "færre", "more", "fewer"})
_COUNT_BEFORE = re.compile(rf"{_NUMBER}\s+(?:[^\W\d]+\s+)?$", re.IGNORECASE)


def counted_noun(question: str) -> str | None:
    """The noun a "how many" question counts ("elever" in "Hvor mange elever …?"), if any."""
    match = _COUNTED.search(question)
    if match is None or match.group(1).lower() in STOPWORDS | _COMPARATIVES:
        return None  # "Hvor mange er …", "How many of them …", "Hvor mange flere …"
    return match.group(1).lower()


def states_count_of(noun: str, text: str) -> bool:
    """Whether the text puts a number right before the noun, or before a compound ending in it
    ("120 elever", "tre nye skoleelever"), one word between at most."""
    for match in _WORD.finditer(text):
        word = match.group().lower()
        if same_stem(word, noun, compound=True) and _COUNT_BEFORE.search(
            text[max(0, match.start() - 40) : match.start()]
        ):
            return True
    return False


# a cell that holds a count alone: "100", "1 136", "12 500"
_COUNT_CELL = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+")


def counts_in_column(noun: str, header: str, row: str) -> bool:
    """Whether a table row gives a count in a column whose header names the noun: "100" under
    "Nye studenter i alt" counts students (the header's cells and the row's pair
    up; `header` is the row's column headers as the chunker gives them)."""
    heads, cells = header.split(TABLE_CELL_SEP), row.split(TABLE_CELL_SEP)
    return len(heads) == len(cells) and any(
        _COUNT_CELL.fullmatch(cell.strip())
        and any(same_stem(w.lower(), noun, compound=True) for w in _WORD.findall(head))
        for head, cell in zip(heads, cells, strict=True)
    )
