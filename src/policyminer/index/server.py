"""The search indexes of the PostgreSQL backend: pgvector HNSW and full-text search.

They answer the same calls as the FAISS VectorIndex and the BM25 LexicalIndex (search with an
optional set of allowed chunk ids, the lexical side's confidence and highlighter), so retrieval
fuses their rankings exactly as it fuses the embedded ones. The database maintains both indexes
in each document's transaction, so they always agree with the catalog.

The lexical score is BM25-like: for each query term, idf (from its chunk frequency, counted on
the GIN index) times PostgreSQL's ts_rank of the term in the chunk (term frequency, normalised by
chunk length), summed over the terms.
"""

from __future__ import annotations

import math

import numpy as np

from policyminer.index.lexical import (
    DOTTED_NUMBER,
    REFERENCE_NOUN,
    Analyzer,
    same_language_share,
    section_refs,
    words,
)
from policyminer.store.pgcatalog import PgCatalog

# Candidates an HNSW scan keeps (pgvector's default is 40), or the depth asked for if larger.
# 100k real-mix vectors (BENCHMARKS.md, issue 16): recall@10 0.84 at 100, 0.90 at 200 (p50
# 2.4 → 4.7 ms), 0.93 at 400 (10 ms).
EF_SEARCH = 200
MAX_EF_SEARCH = 1000  # pgvector's upper bound
# Below this many allowed chunks a filtered search ranks them exactly instead of walking the graph.
EXACT_FILTER_MAX = 20_000


class ServerVectors:
    """Nearest chunks by cosine similarity, from the pgvector HNSW index."""

    kind = "hnsw"

    def __init__(self, catalog: PgCatalog):
        self.catalog = catalog

    def search(
        self, vector: np.ndarray, k: int, allowed: frozenset[int] | None = None
    ) -> list[tuple[int, float]]:
        """Top-k (chunk id, cosine) for a normalised query vector, optionally among allowed ids."""
        if k <= 0 or (allowed is not None and not allowed):
            return []
        literal = "[" + ",".join(f"{x:.8g}" for x in np.asarray(vector, dtype=np.float32)) + "]"
        conn = self.catalog.conn
        with self.catalog.lock, conn.transaction():
            conn.execute(f"SET LOCAL hnsw.ef_search = {min(MAX_EF_SEARCH, max(EF_SEARCH, k))}")
            sql = "SELECT chunk_id, 1 - (embedding <=> %s::vector) AS score FROM vectors"
            args: list[object] = [literal]
            if allowed is not None:
                if len(allowed) <= EXACT_FILTER_MAX:
                    # exact: the allowed rows fetched by primary key (a bitmap scan) and sorted
                    # beat walking the graph past every row the filter rejects
                    conn.execute("SET LOCAL enable_indexscan = off")
                else:
                    conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
                sql += " WHERE chunk_id = ANY(%s)"
                args.append(sorted(allowed))
            sql += " ORDER BY embedding <=> %s::vector LIMIT %s"
            rows = conn.execute(sql, [*args, literal, k]).fetchall()
        ranked = [(int(r["chunk_id"]), float(r["score"])) for r in rows]
        return sorted(ranked, key=lambda pair: (-pair[1], pair[0]))


class ServerLexical:
    """Full-text ranking of chunks (norwegian configuration, GIN index), BM25-like."""

    def __init__(self, catalog: PgCatalog):
        self.catalog = catalog
        self.analyzer = Analyzer()  # highlighting: stems and the query's own compounds
        self._english_share: float | None = None
        self._chunk_count: int | None = None
        self._terms: tuple[str, list[tuple[str, float]], float] | None = None

    @property
    def english_share(self) -> float:
        if self._english_share is None:
            self._english_share = self.catalog.english_share()
        return self._english_share

    @property
    def chunk_count(self) -> int:
        if self._chunk_count is None:
            self._chunk_count = max(1, self.catalog.counts()["chunks"])
        return self._chunk_count

    def term_weights(self, query: str) -> tuple[list[tuple[str, float]], float]:
        """The query's distinct lexemes with their idf, and the share of them the chunks hold."""
        if self._terms is not None and self._terms[0] == query:
            return self._terms[1], self._terms[2]
        conn = self.catalog.conn
        rows = conn.execute(
            "SELECT DISTINCT q::text AS lexeme FROM unnest(%s::text[]) AS w, "
            "LATERAL plainto_tsquery('norwegian', w) AS q WHERE numnode(q) > 0",
            (query_words(query),),
        ).fetchall()
        total = self.chunk_count
        weights = []
        for row in rows:
            df = conn.execute(
                "SELECT COUNT(*) AS n FROM chunks WHERE tsv @@ %s::tsquery", (row["lexeme"],)
            ).fetchone()["n"]
            if df:
                weights.append((row["lexeme"], math.log(1 + (total - df + 0.5) / (df + 0.5))))
        coverage = len(weights) / len(rows) if rows else 0.0
        self._terms = (query, weights, coverage)
        return weights, coverage

    def confidence(self, query: str, language: str | None = None) -> float:
        """How far to trust the lexical side (as LexicalIndex.confidence): coverage × language."""
        _, coverage = self.term_weights(query)
        return coverage * same_language_share(self.english_share, query, language)

    def search(
        self, query: str, k: int, allowed: frozenset[int] | None = None
    ) -> list[tuple[int, float]]:
        """Top-k (chunk id, score) with a positive score, optionally only among allowed ids."""
        weights, _ = self.term_weights(query)
        if k <= 0 or not weights or (allowed is not None and not allowed):
            return []
        sql = (
            "SELECT c.id, SUM(t.idf * ts_rank(c.tsv, t.q::tsquery, 1)) AS score "
            "FROM unnest(%s::text[], %s::float8[]) AS t(q, idf) "
            "JOIN chunks c ON c.tsv @@ t.q::tsquery"
        )
        args: list[object] = [[w for w, _ in weights], [idf for _, idf in weights]]
        if allowed is not None:
            sql += " WHERE c.id = ANY(%s)"
            args.append(sorted(allowed))
        sql += " GROUP BY c.id ORDER BY score DESC, c.id LIMIT %s"
        rows = self.catalog.conn.execute(sql, [*args, k]).fetchall()
        return [(int(r["id"]), float(r["score"])) for r in rows if r["score"] > 0]


def query_words(query: str) -> list[str]:
    """The words a query is searched by: as the BM25 index reads them (less a noun that only
    introduces a section number), and its dotted section numbers whole ("4.3.3"), which is how
    PostgreSQL's parser indexes them."""
    dotted = [ref.lstrip("§") for ref in section_refs(query) if "." in ref]
    rest = DOTTED_NUMBER.sub(" ", REFERENCE_NOUN.sub(" ", query))
    return words(rest) + list(dict.fromkeys(dotted))


def server_indexes(catalog: PgCatalog) -> tuple[ServerVectors, ServerLexical]:
    """The vector and lexical sides of a PostgreSQL evidence base."""
    return ServerVectors(catalog), ServerLexical(catalog)
