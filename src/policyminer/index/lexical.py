"""The lexical index: BM25 over chunk texts with Norwegian (and English) stemming and compounds.

Scores are precomputed per (term, chunk) by bm25s at build time and stored as a CSC matrix of
our own (npz + json), so a query needs only numpy: no scipy import on the search path, which
keeps a cold `policyminer search` fast. The index is rebuilt from the catalog's chunk texts when
the set of chunk ids changes (BM25's idf depends on every chunk, so "incremental" means: skip
when the fingerprint is unchanged, rebuild otherwise; see BENCHMARKS.md for the cost).
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from policyminer.lang import EN, detect_language, with_dimension_nouns
from policyminer.store.files import atomic_write_json, fsync_dir, fsync_file, ids_fingerprint

MANIFEST = "lexical.json"
FORMAT_VERSION = 4  # 4: section numbers ("§4.6", "4.3.3") are terms too
# Older indexes still answer queries (without the newer terms) until the next ingest or reindex
# rebuilds them.
READABLE_VERSIONS = (3, FORMAT_VERSION)
MIN_PART = 4  # shortest compound part we trust ("helse", "næring"; not "til", "by")
MIN_COMPOUND = 2 * MIN_PART

# Letters and digits; hyphens, slashes and punctuation split words ("helse- og omsorg", "e-helse").
WORD = re.compile(r"[^\W_]+")

# A section sign and its number ("§ 4.6", "§ 12-5"; some PDFs space it "§ 4. 6"), and a dotted
# section number ("4.3.3"): one term too, so that a query for a provision or a chapter finds it,
# not every passage that holds a 4 and a 3. Not a date ("17.12.2015": a part of four digits).
SECTION_REF = re.compile(r"§\s?(\d{1,3}(?:-\d{1,3})?(?:\.\s?\d{1,3}(?!\d))*)")
DOTTED_NUMBER = re.compile(r"(?<![\d.,])\d{1,2}(?:\.\d{1,2}){1,4}(?![\d]|[.,]\d)")
# "kapittel 4.3", "section 2.1": in a query the number is what is asked for; the noun would
# match every passage that speaks of its chapters ("Dette kapittelet …") and outweigh it.
REFERENCE_NOUN = re.compile(
    r"\b(?:kapit(?:t)?el\w*|kap|avsnitt\w*|punkt\w*|seksjon\w*|paragraf\w*|section|chapter"
    r"|paragraph)\.?\s+(?=§|\d{1,2}(?:\.\d{1,2}){1,4}(?![\d]|[.,]\d))",
    re.IGNORECASE,
)

# "Hva betyr FoU?": the verb asks what the term means, and would rank passages that say "betyr"
# in passing ("det betyr at …") above those that spell the term out
_MEANING_VERB = re.compile(r"\b(?:betyr|tyder|menes|meinast)\b", re.IGNORECASE)

# bm25s' Norwegian list, and a short English one without words that are Norwegian content words
# ("by" is a city, "be" a verb).
_NORWEGIAN_STOP = (
    "alle at av bare begge ble blei bli blir blitt både båe da de deg dei deim deira deires "
    "dem den denne der dere deres det dette di din disse ditt du dykk dykkar då eg ein eit "
    "eitt eller elles en enn er et ett etter for fordi fra før ha hadde han hans har hennar "
    "henne hennes her hjå ho hoe honom hoss hossen hun hva hvem hver hvilke hvilken hvis hvor "
    "hvordan hvorfor i ikke ikkje ingen ingi inkje inn inni ja jeg kan kom korleis korso kun "
    "kunne kva kvar kvarhelst kven kvi kvifor man mange me med medan meg meget mellom men mi "
    "min mine mitt mot mykje ned no noe noen noka noko nokon nokor nokre nå når og også om "
    "opp oss over på samme seg selv si sia sidan siden sin sine sitt sjøl skal skulle slik so "
    "som somme somt så sånn til um upp ut uten var vart varte ved vere verte vi vil ville "
    "vore vors vort vår være vært å ifølge"
)
_ENGLISH_STOP = (
    "a an and are as at but for if in into is it no not of on or such that the their then there "
    "these they this to was will with what which who whom how does do did has have had were from "
    "about its our we you your can would should been being than"
)
STOPWORDS = frozenset(_NORWEGIAN_STOP.split()) | frozenset(_ENGLISH_STOP.split())


@lru_cache(maxsize=1)
def _stemmers():
    import Stemmer

    return Stemmer.Stemmer("norwegian"), Stemmer.Stemmer("english")


def word_stems(word: str) -> tuple[str, str]:
    """A word's Norwegian and English stems."""
    norwegian, english = _stemmers()
    return norwegian.stemWord(word), english.stemWord(word)


def same_stem(a: str, b: str, compound: bool = False) -> bool:
    """Whether two words share their Norwegian or English stem ("elever", "elev"); with
    `compound`, also when a's Norwegian stem ends in b's ("skoleelever", "elev")."""
    norwegian, english = _stemmers()
    stem_a, stem_b = norwegian.stemWord(a), norwegian.stemWord(b)
    if stem_a == stem_b or english.stemWord(a) == english.stemWord(b):
        return True
    return compound and len(stem_b) >= 4 and stem_a.endswith(stem_b)


def words(text: str) -> list[str]:
    """Lower-cased content words of a text (no stopwords, no single letters)."""
    text = unicodedata.normalize("NFKC", text).lower()
    return [w for w in WORD.findall(text) if (len(w) > 1 or w.isdigit()) and w not in STOPWORDS]


def section_refs(text: str) -> list[str]:
    """The section references of a text as terms: "§ 4. 6" and "§4.6" both give "§4.6" (and
    "4.6", as "kapittel 4.6" would ask for it); "4.3.3" gives "4.3.3"."""
    refs = []
    signed = set()  # where a signed number starts: its dotted form is given with it
    for m in SECTION_REF.finditer(text):
        number = re.sub(r"\s", "", m.group(1))
        refs += ["§" + number, number] if "." in number else ["§" + number]
        signed.add(m.start(1))
    refs += [m.group() for m in DOTTED_NUMBER.finditer(text) if m.start() not in signed]
    return refs


def split_compound(word: str, vocabulary: Iterable[str], depth: int = 2) -> list[str]:
    """Known parts of a Norwegian compound ("helsenæringen" → ["helse", "næringen"]), or [].

    A part is known when its Norwegian stem is the stem of a vocabulary word, so inflected
    parts count ("næringen" for "næring"). Tries the longest last part first; the first part may
    end in a linking s or e ("omsorgstjenester", "barnehage") and is split again.
    """
    stems = vocabulary if isinstance(vocabulary, StemSet) else StemSet(vocabulary)
    if depth == 0 or len(word) < MIN_COMPOUND:
        return []
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        head, tail = word[:cut], word[cut:]
        if tail not in stems:
            continue
        for first in (head, head[:-1] if head[-1] in "se" else ""):
            if len(first) >= MIN_PART and first in stems:
                return [*(split_compound(first, stems, depth - 1) or [first]), tail]
    return []


class StemSet:
    """Words known by their Norwegian stem: "næringen" is in it when "næring" is."""

    def __init__(self, words: Iterable[str], stems: Iterable[str] | None = None):
        self.words = frozenset(w for w in words if len(w) >= MIN_PART)
        if stems is None:  # stored indexes pass their stems: loading stays cheap
            stems = _stemmers()[0].stemWords(list(self.words))
        self.stems = frozenset(stems)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or len(word) < MIN_PART:
            return False
        return word in self.words or _stemmers()[0].stemWord(word) in self.stems


class Analyzer:
    """Text → BM25 terms: Norwegian and English stems of each word and of its compound parts."""

    def __init__(self, vocabulary: Iterable[str] = (), stems: Iterable[str] | None = None):
        self.known = StemSet(vocabulary, stems)
        self.vocabulary = self.known.words
        self._cache: dict[str, tuple[str, ...]] = {}

    def word_terms(self, word: str) -> tuple[str, ...]:
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        norwegian, english = _stemmers()
        parts = [word, *split_compound(word, self.known)]
        terms: list[str] = []
        for part in parts:
            for stem in (norwegian.stemWord(part), english.stemWord(part)):
                if stem not in terms:
                    terms.append(stem)
        result = tuple(terms)
        self._cache[word] = result
        return result

    def query_terms(self, query: str) -> list[str]:
        """A query's terms: as a text's, less a noun that only introduces a section number and
        the verb that asks what a term means, and with the noun of a dimension it asks by its
        adjective ("hvor høy": "høyde")."""
        asked = _MEANING_VERB.sub(" ", REFERENCE_NOUN.sub(" ", query))
        return self.terms(with_dimension_nouns(asked))

    def terms(self, text: str) -> list[str]:
        """All terms of a text, in order, with repeats (BM25 counts them); section references
        last."""
        return [t for w in words(text) for t in self.word_terms(w)] + section_refs(text)


@dataclass
class LexicalIndex:
    """BM25 scores per (term, chunk) and the analyzer that made the terms."""

    chunk_ids: np.ndarray  # int64, position → chunk id
    vocab: dict[str, int]
    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    analyzer: Analyzer
    fingerprint: str
    english_share: float = 0.0  # share of chunks written in English (the rest: Norwegian)

    @property
    def size(self) -> int:
        return len(self.chunk_ids)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk (aligned with chunk_ids) for a query."""
        out = np.zeros(self.size, dtype=np.float32)
        term_ids = {self.vocab[t] for t in self.analyzer.query_terms(query) if t in self.vocab}
        for tid in term_ids:
            start, end = self.indptr[tid], self.indptr[tid + 1]
            np.add.at(out, self.indices[start:end], self.data[start:end])
        return out

    def coverage(self, query: str) -> float:
        """Share of the query's terms that occur in the index (low for a foreign-language query)."""
        terms = set(self.analyzer.query_terms(query))
        return sum(t in self.vocab for t in terms) / len(terms) if terms else 0.0

    def confidence(self, query: str, language: str | None = None) -> float:
        """How far to trust BM25 for a query (0–1): term coverage × share of same-language chunks.

        An English question over Norwegian reports shares only names, numbers and loan words
        with them; its BM25 ranking is noise (qa-dev in English: evidence recall@5 0.50 with
        BM25 fused at full weight, 0.65 dense only).
        """
        return self.coverage(query) * same_language_share(self.english_share, query, language)

    def search(
        self, query: str, k: int, allowed: frozenset[int] | None = None
    ) -> list[tuple[int, float]]:
        """Top-k (chunk id, score) with a positive score, optionally only among allowed ids."""
        scores = self.scores(query)
        if allowed is not None:
            scores[~np.isin(self.chunk_ids, np.fromiter(allowed, dtype=np.int64))] = 0
        positive = np.flatnonzero(scores > 0)
        if len(positive) > k:
            positive = positive[np.argpartition(-scores[positive], k - 1)[:k]]
        order = positive[np.argsort(-scores[positive], kind="stable")]
        return [(int(self.chunk_ids[i]), float(scores[i])) for i in order]


def same_language_share(english_share: float, query: str, language: str | None = None) -> float:
    """The share of an index's chunks written in the query's language (`language`, else the
    query's own)."""
    language = language or detect_language(query)
    return english_share if language == EN else 1 - english_share


def build(chunk_ids: Sequence[int], texts: Sequence[str]) -> LexicalIndex:
    """A BM25 index over the given chunk texts; compounds split on the texts' own vocabulary."""
    import bm25s

    chunk_words = [words(t) for t in texts]
    unique = {w for ws in chunk_words for w in ws}
    analyzer = Analyzer(w for w in unique if not w.isdigit())
    terms = {w: analyzer.word_terms(w) for w in unique}
    corpus = [
        [t for w in ws for t in terms[w]] + section_refs(text)
        for ws, text in zip(chunk_words, texts, strict=True)
    ]
    model = bm25s.BM25()
    if corpus:
        model.index(corpus, show_progress=False)
        scores, vocab = model.scores, model.vocab_dict
    else:
        scores = {"data": np.zeros(0), "indices": np.zeros(0), "indptr": np.zeros(1)}
        vocab = {}
    ids = np.asarray(chunk_ids, dtype=np.int64)
    english = sum(detect_language(t) == EN for t in texts) / len(texts) if texts else 0.0
    return LexicalIndex(
        chunk_ids=ids,
        vocab={str(t): int(i) for t, i in vocab.items()},
        data=np.asarray(scores["data"], dtype=np.float32),
        indices=np.asarray(scores["indices"], dtype=np.int32),
        indptr=np.asarray(scores["indptr"], dtype=np.int64),
        analyzer=analyzer,
        fingerprint=ids_fingerprint(ids),
        english_share=english,
    )


def read_manifest(index_dir: Path) -> dict | None:
    """The lexical manifest, or None when there is none or it is unreadable."""
    try:
        return json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def save(index: LexicalIndex, index_dir: Path) -> None:
    """Write a new index folder, then switch the manifest to it atomically; drop old folders."""
    name = f"lexical-{index.fingerprint[:16]}"
    final = index_dir / name
    temp = index_dir / f"{name}.tmp"
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(parents=True)
    with open(temp / "scores.npz", "wb") as fh:
        np.savez(
            fh,
            chunk_ids=index.chunk_ids,
            data=index.data,
            indices=index.indices,
            indptr=index.indptr,
        )
    fsync_file(temp / "scores.npz")
    known = index.analyzer.known
    terms = {
        "vocab": index.vocab,
        "words": sorted(known.words),
        "stems": sorted(known.stems),
        "english_share": index.english_share,
    }
    (temp / "terms.json").write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
    fsync_file(temp / "terms.json")
    fsync_dir(temp)
    shutil.rmtree(final, ignore_errors=True)
    temp.rename(final)
    fsync_dir(index_dir)
    manifest = {
        "version": FORMAT_VERSION,
        "dir": name,
        "chunks": index.size,
        "fingerprint": index.fingerprint,
    }
    atomic_write_json(index_dir / MANIFEST, manifest)
    for old in index_dir.glob("lexical-*"):
        if old.is_dir() and old.name != name:
            shutil.rmtree(old, ignore_errors=True)


def load(index_dir: Path) -> LexicalIndex:
    """Load the current lexical index; raises OSError or ValueError when missing or damaged."""
    manifest = read_manifest(index_dir)
    if manifest is None:
        raise FileNotFoundError(f"{index_dir / MANIFEST}: no lexical index")
    if manifest.get("version") not in READABLE_VERSIONS:
        raise ValueError(f"{index_dir / MANIFEST}: unknown lexical index version")
    folder = index_dir / manifest["dir"]
    with np.load(folder / "scores.npz") as arrays:
        chunk_ids, data = arrays["chunk_ids"], arrays["data"]
        indices, indptr = arrays["indices"], arrays["indptr"]
    terms = json.loads((folder / "terms.json").read_text(encoding="utf-8"))
    if len(chunk_ids) != manifest["chunks"] or len(data) != len(indices):
        raise ValueError(f"{folder}: lexical index is damaged")
    return LexicalIndex(
        chunk_ids=chunk_ids,
        vocab=terms["vocab"],
        data=data,
        indices=indices,
        indptr=indptr,
        analyzer=Analyzer(terms["words"], terms["stems"]),
        fingerprint=ids_fingerprint(chunk_ids),
        english_share=float(terms["english_share"]),
    )


def highlight_spans(
    text: str, query: str, analyzer: Analyzer | None = None
) -> list[tuple[int, int]]:
    """Character spans of the words in text that share a term with the query (for display)."""
    analyzer = analyzer or Analyzer()
    wanted = set(analyzer.terms(query))
    if not wanted:
        return []
    spans = []
    folded = unicodedata.normalize("NFKC", text)
    for match in WORD.finditer(folded):
        word = match.group().lower()
        if word in STOPWORDS or len(word) < 2:
            continue
        if wanted.intersection(analyzer.word_terms(word)):
            spans.append(match.span())
    return spans
