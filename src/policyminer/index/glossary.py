"""A question's words read in the other language ("permission": "tillatelse", and back).

A question in English over Norwegian passages (or in Norwegian over English ones) shares names
and numbers with its answer and little else, so BM25 and the term overlap cannot tell the
answering sentence from its neighbours. A general glossary of common content words
(`data/glossary-en-no.tsv`, written from knowledge of the two languages, not from any document)
gives each English word the Norwegian words that stand for it, Bokmål and Nynorsk, and read
backwards each Norwegian word its English ones: a query is put into the passages' words for
BM25, and a sentence holding a translation meets the question's word in the term overlap.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import resources

from policyminer.index.lexical import STOPWORDS, word_stems, words

__all__ = [
    "english_alternatives",
    "in_english",
    "in_norwegian",
    "norwegian_alternatives",
    "translations",
]

GLOSSARY_FILE = "glossary-en-no.tsv"
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
# question words the stopword list keeps (capitalised at a question's start, they would pass
# for names)
_QUESTION_WORDS = frozenset(("whose", "why", "when", "where", "according"))


@lru_cache(maxsize=1)
def _entries() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(English word, its Norwegian words) for each line of the shipped glossary."""
    text = (resources.files("policyminer") / "data" / GLOSSARY_FILE).read_text(encoding="utf-8")
    entries = []
    for line in text.splitlines():
        english, _, norwegian = line.partition("\t")
        found = tuple(w.strip() for w in norwegian.split(",") if w.strip())
        if english.strip() and found and not english.startswith("#"):
            entries.append((english.strip(), found))
    return tuple(entries)


@lru_cache(maxsize=1)
def _glossary() -> dict[str, tuple[str, ...]]:
    """English stem → Norwegian words."""
    return _by_stem((word_stems(english)[1], found) for english, found in _entries())


@lru_cache(maxsize=1)
def _reverse() -> dict[str, tuple[str, ...]]:
    """Norwegian stem → the English words the glossary gives it for."""
    return _by_stem(
        (word_stems(norwegian)[0], (english,))
        for english, found in _entries()
        for norwegian in found
    )


def _by_stem(pairs: Iterable[tuple[str, tuple[str, ...]]]) -> dict[str, tuple[str, ...]]:
    merged: dict[str, list[str]] = {}
    for stem, words_ in pairs:
        known = merged.setdefault(stem, [])
        known += [w for w in words_ if w not in known]
    return {stem: tuple(found) for stem, found in merged.items()}


def english_words(word: str) -> tuple[str, ...]:
    """The English words the glossary gives a Norwegian word for (any inflection), or ()."""
    return _reverse().get(word_stems(word.lower())[0], ())


def translations(word: str) -> tuple[str, ...]:
    """The Norwegian words the glossary gives for an English word (any inflection), or ()."""
    return _glossary().get(word_stems(word.lower())[1], ())


def in_norwegian(query: str, per_word: int = 2) -> str:
    """An English query put word by word into Norwegian for BM25: each word the glossary knows
    as its first translations, names, numbers and codes as written, other words left out."""
    return _word_by_word(query, translations, per_word)


def in_english(query: str, per_word: int = 2) -> str:
    """A Norwegian query put word by word into English for BM25, as `in_norwegian` does."""
    return _word_by_word(query, english_words, per_word)


def english_alternatives(question: str, terms: Callable[[str], set[str]]) -> dict[str, set[str]]:
    """Each term of the question's English words → the terms of their Norwegian translations."""
    return _alternatives(question, terms, translations)


def norwegian_alternatives(question: str, terms: Callable[[str], set[str]]) -> dict[str, set[str]]:
    """Each term of a Norwegian question's words → the terms of their English counterparts."""
    return _alternatives(question, terms, english_words)


def _word_by_word(query: str, translate: Callable[[str], tuple[str, ...]], per_word: int) -> str:
    out: list[str] = []
    for word in _WORD.findall(query):
        if word.lower() in STOPWORDS or word.lower() in _QUESTION_WORDS:
            continue
        found = translate(word)
        if found:
            out += found[:per_word]
        elif word[0].isupper() or any(c.isdigit() for c in word):
            out.append(word)  # a name, a number or a code, the same in both languages
    return " ".join(out)


def _alternatives(
    question: str, terms: Callable[[str], set[str]], translate: Callable[[str], tuple[str, ...]]
) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for word in words(question):
        translated = set().union(*(terms(t) for t in translate(word)))
        if translated:
            for term in terms(word):
                found.setdefault(term, set()).update(translated)
    return found
