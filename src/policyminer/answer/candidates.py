"""Candidate sentences of the retrieved passages and the features the answer scorer reads."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from policyminer.answer.citations import Citation, normalise
from policyminer.answer.scorer import FEATURES
from policyminer.answer.units import (
    states_number,
)
from policyminer.index.chunking import (
    PARAGRAPH_SEP,
    column_headers,
    sentence_spans,
)
from policyminer.index.inflection import action_verb, verb_lemma
from policyminer.index.lexical import MIN_PART, Analyzer, section_refs, word_stems, words
from policyminer.index.synonyms import PURPOSE, is_purpose_word
from policyminer.store.catalog import StoredChunk

MIN_WORDS = 6  # shorter sentences are titles or fragments, unless they follow a list intro
MIN_ITEM_WORDS = 4  # … or are a lettered or bulleted item ("c) Tillatt BYA er 35 %")
# an item's label: a letter ("b)", "(c)") or a bullet; numbered lines are as often headings
_ITEM_LABEL = re.compile(r"^\s*(?:\(?[a-zæøå]\)|[•▪◦‣∙●○■□➢❖✓►▶–—*·-])\s+(?=\S)")


def _split(words: str) -> list[str]:
    return words.split()


TOKEN = re.compile(r"\w+", re.UNICODE)
STOPWORDS = frozenset(
    _split("""
    og i er det som på hva hvor hvem hvilke hvilken hvilket hvordan hvorfor når av med til fra
    om ikke kan skal vil har ble blir den de et en ei seg sin sitt sine også etter mellom over
    under mot hos innen ifølge blant disse dette denne der her noe noen mye mange flere for å
    at var være vært da så men eller enn bare alle hver hvert hvis dersom ved jeg vi du dere
    deres vår våre sitt slik mer mest nevn beskriv oppgi dag gjennom betyr tyder menes meinast
    the of and is are was were what which who whom whose how why when where does do did
    according to in on at for with from by about into than this that these those there their
    they it its many much more most should would could will can be been being has have had
    not or but a an as list name describe give
    kor frå ifølgje nemn skildr skildre
    """)
)


# Abbreviations a document writes for the word a question spells out ("Kol. 4 gir …" for
# "Hva gir kolonne 4?"): an abbreviation stands for its word's stems as well
ABBREVIATIONS = {
    "kol": "kolonne",
    "kap": "kapittel",
    "tab": "tabell",
    "fig": "figur",
    "pkt": "punkt",
    "vedl": "vedlegg",
    "avd": "avdeling",
    "mill": "millioner",
    "mrd": "milliarder",
    "col": "column",
    "chap": "chapter",
    "sect": "section",
}


class Terms:
    """Stems of content words and of their compound parts, as the lexical index makes them.

    Compounds are split on the vocabulary of the passages at hand, so "finansieringsmodeller"
    meets "modeller for finansiering"; Norwegian and English stems both, numbers kept; an
    abbreviation also stands for its word ("kap." for "kapittel"), and a strong verb's forms for
    its infinitive ("vedtok", "vedtatt": "vedta").
    """

    def __init__(self, texts: Iterable[str]):
        self._words = words
        self.analyzer = Analyzer(w for t in texts for w in words(t) if not w.isdigit())

    def __call__(self, text: str) -> set[str]:
        return {
            term
            for word in self._words(text)
            if word not in STOPWORDS
            for spelled in _read_as(word)
            for term in self.analyzer.word_terms(spelled)
        } | set(section_refs(text))

    def per_word(self, text: str) -> list[set[str]]:
        """Each content word's own stems (not its compound parts'), a set per word."""
        return [
            {t for spelled in _read_as(word) for t in word_stems(spelled)}
            for word in self._words(text)
            if word not in STOPWORDS
        ]


@lru_cache(maxsize=65536)  # every word of every candidate passage, on every question
def _read_as(word: str) -> tuple[str, ...]:
    """The words a question's or sentence's word is read as: itself or its strong verb's
    infinitive; an abbreviation's word; an "-ing" noun's verb; any word for a purpose as one."""
    if word in ABBREVIATIONS:
        return (word, ABBREVIATIONS[word])
    if is_purpose_word(word):
        return (PURPOSE,)
    verb = action_verb(word)
    return (word, verb) if verb else (verb_lemma(word),)


def _idf(df: int, n: int) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def lexical_overlap(
    question: dict[str, float],
    sentence: set[str],
    alternatives: Mapping[str, set[str]] = {},
    referred: set[str] = frozenset(),
) -> float:
    """Share of the question's IDF weight found in the sentence; half credit for compound parts
    and for the terms of the sentence a pronoun refers to (`referred`). `alternatives`: other
    terms that stand for a question's term ("høyde" for "høye"), also as the head of a
    compound ("mønehøyde")."""
    total = sum(question.values())
    if not total:
        return 0.0
    found = 0.0
    for term, weight in question.items():
        if term in sentence or _has_alternative(sentence, alternatives.get(term, ())):
            found += weight
        elif term in referred:
            found += 0.5 * weight
        elif len(term) >= 5 and any(
            term in word or (len(word) >= 5 and word in term) for word in sentence
        ):
            # Norwegian compounds: "sykehjem" in "sykehjemsplass", "helseindustri" in "industri"
            found += 0.5 * weight
    return found / total


def _has_alternative(terms: set[str], alternatives: Iterable[str]) -> bool:
    """Whether the terms hold one of the alternatives, alone or as a compound's head."""
    return any(
        t == a or (len(a) >= MIN_PART and t.endswith(a)) for a in alternatives for t in terms
    )


# -- sentences --------------------------------------------------------------------------------


@dataclass
class Sentence:
    """A candidate evidence sentence inside a retrieved passage."""

    chunk: StoredChunk
    title: str
    retrieval: float  # the passage's retrieval score relative to the best passage (0–1]
    start: int  # offsets in the chunk text
    end: int
    terms: set[str]
    follows_intro: bool = False  # comes right after a sentence that introduces a list
    rank: int = 0  # the passage's rank in retrieval (0 = first)
    dense: float = 0.0
    # cosine with the sentence embedded on its own, for a question in another language (else None)
    alone: float | None = None
    passage_dense: float = 0.0
    lexical: float = 0.0
    section: float = 0.0  # overlap of the question with the passage's section headings
    enumeration: float = 0.0  # how much the sentence reads like a list of items (0–1)
    score: float = 0.0  # the ordering logit (the scorer's order model, else its confidence model)
    answer_logit: float = 0.0  # the confidence model's logit: decides abstention
    probability: float = 0.0  # answer_logit calibrated as the answer's confidence is
    header: str = ""  # a table row's column headers, read with it (never quoted)
    # terms of the sentence before, when this one refers to it by a pronoun ("Den skal …")
    referred: set[str] = field(default_factory=set)
    restates: bool = False  # says nothing an open question does not already say (echoes.py)

    @property
    def text(self) -> str:
        return self.chunk.text[self.start : self.end]

    @property
    def read(self) -> str:
        """The sentence as the scorer reads it: a table row under its column headers."""
        return f"{self.header}\n{self.text}" if self.header else self.text

    def citation(self) -> Citation:
        return Citation(
            doc_id=self.chunk.doc_id,
            title=self.title,
            page=self.chunk.page_at(self.start),
            section=self.chunk.section,
            quote=self.text,
            score=self.score,
            chunk_id=self.chunk.id,
            confidence=self.probability,
            columns=self.header,
        )


def passage_sentences(chunk: StoredChunk) -> list[tuple[int, int]]:
    """Sentence spans of a chunk (table rows one each): the units an answer quotes."""
    return sentence_spans(chunk.text)


# Reference lists hold titles, not findings (and English titles lure English questions).
_REFERENCES = re.compile(
    r"\s*([\d.]+\s+)?(referanser|referanseliste|litteratur|litteraturliste|kilder|kildeliste"
    r"|bibliografi|references|bibliography)\s*",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://|www\.")
# Figure and table captions name what a figure shows; they do not state findings.
_CAPTION = re.compile(r"^\s*(figur|figure|fig\.|tabell|table|kilde|source)\s*\d", re.IGNORECASE)
# … unless the figure is the subject of a statement: a verb follows its number within a few
# words, before any colon ("Figur 4 er fjernet fordi …", "Tabell 2 viser at …", "Figure 3
# shows …"); a caption is a title ("Figur 4 Elever per skole …", "Tabell 2: Boliger per bydel").
# The finite verbs are also those after a pronoun that opens a sentence ("Den skal …").
_FINITE = frozenset(
    _split("""
    er var ble blir har hadde skal skulle vil ville kan kunne må måtte bør gir ga gav gjelder
    omfatter innebærer betyr viser viste inneholder består ligger får fikk illustrerer
    illustrerte beskriver beskrev oppsummerer sammenligner angir presenterer
    is was are were has had will would can could must should shows showed includes means gives
    gave illustrates describes summarises summarizes compares presents lists contains
    """)
)
_CAPTION_SUBJECT_WORDS = 5


def is_caption(text: str) -> bool:
    """Whether a sentence is a figure's or table's caption (or a source line), not a statement
    about the figure."""
    match = _CAPTION.match(text)
    if not match:
        return False
    head = text[match.end() :].split(":", 1)[0]
    words = [w for w in TOKEN.findall(head.lower()) if not any(c.isdigit() for c in w)]
    return not any(w in _FINITE for w in words[:_CAPTION_SUBJECT_WORDS])


_INTRO = re.compile(r":\s*$|\b(følgende|following)\b", re.IGNORECASE)


ANNOUNCES = re.compile(r":\s*$")


def is_intro(text: str) -> bool:
    return bool(_INTRO.search(text))


# Items are words: a decimal comma ("1,5 meter") or a run of dates or figures ("02.05.2020,
# 11.11.21") separates no items of a list.
_ITEMS_AFTER_COLON = re.compile(
    r":\s*(?=[^\W\d])[^,:]{2,80},\s*(?=[^\W\d])[^,]{2,80}(,| og | and | eller | or )"
)
_ITEM_SEPARATOR = re.compile(r"[,;]\s+(?=[^\W\d])")


def lists_inline(text: str) -> bool:
    """Whether a sentence gives its items after a colon: "fire modeller: a, b, c og d"."""
    return bool(_ITEMS_AFTER_COLON.search(text))


def enumeration(text: str) -> float:
    """How much a sentence reads like a list of items: "fire modeller: a, b, c og d" → 1."""
    commas = min(len(_ITEM_SEPARATOR.findall(text)), 4) / 4
    return min(1.0, 0.5 * commas + (0.5 if _ITEMS_AFTER_COLON.search(text) else 0.0))


def word_count(text: str) -> int:
    return len(TOKEN.findall(text))


# -- features ---------------------------------------------------------------------------------

# Questions that ask for a quantity or a time: answers to them hold a number.
_ASKS_NUMBER = re.compile(  # Nynorsk too: "kor mange", "kor mykje", "kva år"
    r"\b((?:hvor|kor) (mange|mye|mykje|stor|store|høy|høyt|høg|høgt|lang|lenge|gammel|gammal"
    r"|ofte)|hvilket år|kva år|når|antall"
    r"|andel|prosent|how (many|much|large|big|high|long|old|often)|what year|when|number of"
    r"|share of|percent)\b",
    re.IGNORECASE,
)


def feature_rows(
    question: str,
    sentences: Sequence[Sentence],
    listing: bool,
    background: float,
    lexical_floor: float = 0.0,
    order: bool = False,
) -> np.ndarray:
    """The scorer's features (FEATURES order) for each candidate sentence.

    A sentence also read on its own (`alone`, questions across languages) gives the confidence
    model that cosine and the order model the mean of both readings: the pooled cosine knows
    the passage, the sentence's own embedding what the sentence says in any language.

    `lexical_floor`: term overlap below it counts as the floor. A question asked in another
    language than its passages shares few words with any of them, so missing overlap there is
    no evidence against a sentence (the scorer learnt overlap on questions in the text's own
    language); names and numbers that do match still count above the floor.
    """
    if not sentences:
        return np.zeros((0, len(FEATURES)))
    lexical = [max(s.lexical, lexical_floor) for s in sentences]
    dense = [_dense_read(s, order) for s in sentences]
    best_dense = max(dense)
    best_lexical = max(lexical)
    asks_number = bool(_ASKS_NUMBER.search(question))
    rows = [
        (
            cosine,
            cosine - best_dense,
            cosine - background,
            s.passage_dense,
            overlap,
            overlap - best_lexical,
            s.section,
            s.retrieval,
            1.0 / (1.0 + s.rank),
            s.enumeration if listing else 0.0,
            float(s.follows_intro),
            math.log1p(word_count(s.read)),
            float(asks_number and states_number(s.text)),
        )
        for s, overlap, cosine in zip(sentences, lexical, dense, strict=True)
    ]
    return np.asarray(rows, dtype=np.float64)


def _dense_read(sentence: Sentence, order: bool) -> float:
    """The question's cosine with a sentence as the confidence or the order model reads it."""
    if sentence.alone is None:
        return sentence.dense
    return (sentence.dense + sentence.alone) / 2 if order else sentence.alone


# A sentence that opens with a pronoun and a verb goes on about what the sentence before named
# ("Nordbukta-tunnelen … . Den skal åpne i 2027."); "det"/"it" are left out: as often
# they refer to nothing ("Det er …").
_PRONOUNS = frozenset(_split("den denne dette disse han hun ho he she they this these"))


def refers_back(text: str) -> bool:
    """Whether a sentence opens with a pronoun and a verb ("Den skal …", "She was …")."""
    first = TOKEN.findall(text[:40].lower())[:2]
    return len(first) == 2 and first[0] in _PRONOUNS and first[1] in _FINITE


def sentence_before(
    text: str, spans: Sequence[tuple[int, int]], start: int
) -> tuple[int, int] | None:
    """The span of the sentence before the one at `start`, when both are in one paragraph."""
    span = max((span for span in spans if span[1] <= start), default=None)
    if span is None or PARAGRAPH_SEP in text[span[1] : start]:
        return None
    return span


def _referred_terms(
    text: str, spans: Sequence[tuple[int, int]], start: int, terms: Terms
) -> set[str]:
    """The terms of the sentence before, which a sentence opening with a pronoun refers to."""
    span = sentence_before(text, spans, start)
    return terms(text[span[0] : span[1]]) if span else set()


def candidate_sentences(
    hits: Sequence, terms: Terms, headings: Callable[[str], set[str]]
) -> list[Sentence]:
    """The sentences of the hits an answer may quote, in passage order: not a reference list's,
    a caption, a link, a heading (`headings` gives a document's, lower-cased) or the document's
    own question, nor a fragment unless it follows a list intro; table rows under their headers."""
    top = max((h.score for h in hits), default=0.0) or 1.0
    seen: set[str] = set()
    out: list[Sentence] = []
    for rank, hit in enumerate(hits):
        if any(_REFERENCES.fullmatch(h) for h in (*hit.chunk.section_path, hit.chunk.section)):
            continue
        in_list = False  # inside the items that follow a list intro ("… fire modeller:")
        spans = passage_sentences(hit.chunk)
        # a table row is read under its column headers: "B2" answers "which class?"
        headers = column_headers(hit.chunk.text, [start for start, _ in spans])
        for (start, end), header in zip(spans, headers, strict=True):
            text = hit.chunk.text[start:end]
            if text in headers:
                continue  # a header row names the columns and states nothing
            key = normalise(text).lower()
            read = f"{header}\n{text}" if header else text  # as Sentence.read gives it
            words = word_count(read)
            follows, in_list = in_list, is_intro(text) or (in_list and words < 40)
            if (
                key in seen
                or (
                    words < MIN_WORDS
                    and not follows
                    and not ANNOUNCES.search(text)
                    and not (words >= MIN_ITEM_WORDS and _ITEM_LABEL.match(text))
                )
                or is_caption(text)
                or _URL.search(text)
                or text.rstrip("»”\"') ").endswith("?")  # the document's own questions
                or key in headings(hit.chunk.doc_id)
            ):
                continue
            seen.add(key)  # overlapping chunks repeat sentences; keep the better-ranked one
            out.append(
                Sentence(
                    chunk=hit.chunk,
                    title=hit.title,
                    retrieval=max(0.0, hit.score / top),
                    start=start,
                    end=end,
                    terms=terms(read),
                    follows_intro=follows,
                    rank=rank,
                    header=header,
                    referred=_referred_terms(hit.chunk.text, spans, start, terms)
                    if refers_back(text)
                    else set(),
                )
            )
    return out


def measure_overlap(
    asked: set[str],
    hits: Sequence,
    sentences: Sequence[Sentence],
    terms: Terms,
    alternatives: Mapping[str, set[str]],
) -> None:
    """Each sentence's IDF-weighted overlap with the asked terms (IDF over the hits), and its
    section headings' overlap."""
    df = dict.fromkeys(asked, 0)
    for hit in hits:
        held = terms(hit.chunk.text)
        for t in asked:
            df[t] += t in held or _has_alternative(held, alternatives.get(t, ()))
    weights = {t: _idf(df[t], len(hits)) for t in asked}
    sections: dict[int, float] = {}
    for s in sentences:
        path = " ".join(s.chunk.section_path) or s.chunk.section
        # a sentence of "§ 7.3 Skolegård" is in § 7.3: the number stands in its heading only
        s.terms |= set(section_refs(path))
        s.lexical = lexical_overlap(weights, s.terms, alternatives, s.referred)
        if s.chunk.id not in sections:
            sections[s.chunk.id] = lexical_overlap(weights, terms(path), alternatives)
        s.section = sections[s.chunk.id]
