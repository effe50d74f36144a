"""Bokmål and Nynorsk spellings of one word read as one term ("meiner" and "mener").

A question in Nynorsk over a report in Bokmål (or the other way) shares few exact terms with the
sentence that answers it, though most words differ only by the two standards' regular sound
correspondences: the diphthongs ("ei"/"e", "au"/"ø", "øy"/"ø"), a "j" after k/g/sk or t
("kyrkje"/"kyrke", "teneste"/"tjeneste"), "g" for "i"/"y" after a vowel ("veg"/"vei",
"høg"/"høy"), "e" for "æ", "kn" for "gn" ("rekne"/"regne"), "føre-" for "fore-"
("føreslå"/"foreslå"), "-ing" for "-ning", double and single consonants, and the inflection
endings ("-ar"/"-er", "-a"/"-en"). A term's spelling key
undoes them; two terms with one key are one word spelled by either standard. Common words the
standards choose differently ("verksemd"/"virksomhet") are read as one by a word list first.

The same keys put a question into the evidence's standard for the dense model, which reads a
Nynorsk question as a little farther from a Bokmål sentence than the same question in Bokmål:
function words by a table, every other word as the evidence itself spells it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from policyminer.index.lexical import word_stems
from policyminer.lang import NB, NN

__all__ = ["in_standard", "spelling_alternatives", "spelling_key"]

_VOWELS = "aeiouyæøå"
_J_AFTER_STOP = re.compile(rf"(?<=[kg])j(?=[{_VOWELS}]|$)")
_CORRESPONDENCES = (("ei", "e"), ("au", "ø"), ("øy", "ø"), ("tj", "t"), ("æ", "e"))
_K_BEFORE_N = re.compile(rf"(?<=[{_VOWELS}])kn")  # "rekne", "teikn": Bokmål "regne", "tegn"
_FORE = re.compile(r"^føre(?=\w{3})")  # "føreslå", "førebygging": Bokmål "foreslå", "forebygging"
_NING = re.compile(r"ning$")  # "løysing": Bokmål "løsning"
_DOUBLE = re.compile(r"([bdfgklmnprstv])\1")
_G_AFTER_VOWEL = re.compile(rf"(?<=[eø])g(?=[^{_VOWELS}]|$)")
_ENDING = re.compile(r"(?:ane|ene|ar|er|en|et|a|e)$")
MIN_KEYED = 3  # shorter terms keep their spelling
MIN_TAIL = 4  # a compound's last part found in the word list ("grunnskule": "skule")
MIN_HEAD = 4  # … or its first part ("skulebygg": "skule"; not "bru" in "brukar")


def _pairs(text: str) -> dict[str, str]:
    return dict(pair.split(":") for pair in text.split())


# Words the two standards choose differently (Nynorsk: Bokmål), common in public documents and
# in everyday questions; the key cannot bring them together, so a list does.
_WORD_LIST = _pairs(
    """
    arbeidsløyse:arbeidsledighet arbeidslaus:arbeidsledig verksemd:virksomhet tilsett:ansatt
    skule:skole bustad:bolig busetjing:bosetting busette:bosette kyrkje:kirke sjukehus:sykehus
    sjukeheim:sykehjem sjuk:syk sjukdom:sykdom sjukepleiar:sykepleier heim:hjem heime:hjemme
    tilskot:tilskudd løyve:tillatelse utgreiing:utredning tilråding:anbefaling tilrå:anbefale
    rettleiing:veiledning rettleiar:veileder styresmakt:myndighet føresegn:bestemmelse
    eigedom:eiendom døme:eksempel saman:sammen samanlikne:sammenligne framleis:fortsatt
    mogleg:mulig moglegheit:mulighet naudsynt:nødvendig forsking:forskning tryggleik:sikkerhet
    utslepp:utslipp vatn:vann minke:minske gong:gang byrje:begynne byrja:begynte born:barn
    bru:bro hamn:havn oppgåve:oppgave verknad:virkning berekraft:bærekraft
    berekraftig:bærekraftig heilskap:helhet heilskapleg:helhetlig einskild:enkelt utval:utvalg
    val:valg velje:velge vald:valgt røynsle:erfaring undersøking:undersøkelse avgjerd:avgjørelse
    hending:hendelse oppleving:opplevelse kjensle:følelse fråsegn:uttalelse spreiing:spredning
    fekk:fikk gjekk:gikk heldt:holdt halde:holde gjev:gir gav:ga seier:sier gjer:gjør kjem:kommer
    fann:fant tek:tar sjå:se såg:så ålmenn:allmenn ålmenta:allmennheten
    """
)


@lru_cache(maxsize=1)
def _word_list() -> dict[str, str]:
    """Every form the word list's words take as terms (words and their stems) → the Bokmål word's
    Norwegian stem."""
    found: dict[str, str] = {}
    for nynorsk, bokmal in _WORD_LIST.items():
        common = word_stems(bokmal)[0]
        for word in (nynorsk, bokmal):
            for form in (word, *word_stems(word)):
                found.setdefault(form, common)
    return found


@lru_cache(maxsize=1)
def _heads() -> dict[str, str]:
    """The word list's words (either standard's, as written) → the Bokmål word, for a
    compound's first part ("skulebygg": "skolebygg", "heimeteneste": "hjemmetjeneste")."""
    return {word: bokmal for nynorsk, bokmal in _WORD_LIST.items() for word in (nynorsk, bokmal)}


def _listed(term: str) -> str:
    """The term as the word list has it: itself, its stem, its last or its first compound part
    listed (the longest first part: "heime" before "heim")."""
    listed = _word_list()
    for form in (term, word_stems(term)[0]):
        if form in listed:
            return listed[form]
        for start in range(MIN_KEYED, len(form) - MIN_TAIL + 1):
            if form[start:] in listed:
                return form[:start] + listed[form[start:]]
    heads = _heads()
    for end in range(len(term) - MIN_TAIL, MIN_HEAD - 1, -1):
        if term[:end] in heads:
            return heads[term[:end]] + term[end:]
    return term


@lru_cache(maxsize=65536)
def spelling_key(term: str) -> str:
    """The term with the spelling differences of Bokmål and Nynorsk undone."""
    if len(term) < MIN_KEYED or not term.isalpha():
        return term
    key = _FORE.sub("fore", _J_AFTER_STOP.sub("", _listed(term)))
    for written, common in _CORRESPONDENCES:
        key = key.replace(written, common)
    key = _K_BEFORE_N.sub("gn", _DOUBLE.sub(r"\1", key))
    stripped = _ENDING.sub("", key)
    return _G_AFTER_VOWEL.sub("", _NING.sub("ing", stripped if len(stripped) >= 2 else key))


def spelling_alternatives(asked: Iterable[str], vocabulary: Iterable[str]) -> dict[str, set[str]]:
    """Each asked term → the vocabulary's terms spelled otherwise with its key (none: left out)."""
    by_key: dict[str, set[str]] = defaultdict(set)
    for term in vocabulary:
        by_key[spelling_key(term)].add(term)
    found = {}
    for term in asked:
        others = by_key.get(spelling_key(term), set()) - {term}
        if others:
            found[term] = others
    return found


# Function words that differ between the standards (Nynorsk: Bokmål); a closed class, so a table
_NN_NB = _pairs(
    """
    kva:hva kven:hvem kor:hvor korleis:hvordan kvifor:hvorfor kvar:hvor ikkje:ikke eg:jeg
    dei:de ein:en eit:et frå:fra berre:bare mykje:mye noko:noe nokon:noen nokre:noen vere:være
    vore:vært vart:ble blei:ble òg:også sjølv:selv fleire:flere heile:hele heilt:helt meir:mer
    då:da medan:mens utan:uten difor:derfor sidan:siden ho:hun kvarandre:hverandre
    ifølgje:ifølge desse:disse
    """
)
# Bokmål → Nynorsk: where two Nynorsk words share a Bokmål one ("kor", "kvar": "hvor"), the one
# listed first
_FUNCTION_WORDS = {NB: _NN_NB, NN: {nb: nn for nn, nb in reversed(_NN_NB.items())}}
_WORD = re.compile(r"\w+")


def in_standard(text: str, evidence: Iterable[str], standard: str) -> str:
    """The text with its words as `standard` writes them: function words by the table, other
    words as the evidence spells them where one of its words has their spelling key (a word the
    evidence holds as written, or none of its words match, stays)."""
    table = _FUNCTION_WORDS.get(standard, {})
    spelled: dict[str, Counter[str]] = defaultdict(Counter)
    for passage in evidence:
        for word in _WORD.findall(passage.lower()):
            spelled[spelling_key(word)][word] += 1
    held = {word for forms in spelled.values() for word in forms}

    def respelled(match: re.Match[str]) -> str:
        word = match.group()
        low = word.lower()
        if low in table:
            out = table[low]
        elif low in held or len(low) < MIN_KEYED or not spelled.get(spelling_key(low)):
            return word
        else:
            out = spelled[spelling_key(low)].most_common(1)[0][0]
        return out[0].upper() + out[1:] if word[0].isupper() else out

    return _WORD.sub(respelled, text)
