"""Keep the vector and lexical indexes in line with the catalog, and check that they are."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from policyminer.index import lexical
from policyminer.index.lexical import LexicalIndex
from policyminer.index.vectors import (
    VECTOR_MANIFEST,
    VectorIndex,
    _first_line,
    catalog_model,
    catalog_vector_ids,
    load_vector_index,
    sync_vector_index,
)
from policyminer.store.catalog import Catalog
from policyminer.store.files import ids_fingerprint

EMBED_BATCH = 64


# -- the lexical index ----------------------------------------------------------------------------


def catalog_chunk_texts(catalog: Catalog) -> tuple[list[int], list[str]]:
    return catalog.chunk_texts()


def sync_lexical_index(catalog: Catalog, force: bool = False) -> None:
    """Rebuild the BM25 index when the catalog's chunks changed (idf depends on all of them)."""
    ids = catalog.chunk_ids()
    manifest = lexical.read_manifest(catalog.index_dir)
    if (
        not force
        and manifest
        and manifest.get("version") == lexical.FORMAT_VERSION
        and manifest.get("fingerprint") == ids_fingerprint(ids)
        and (catalog.index_dir / manifest.get("dir", "-") / "scores.npz").exists()
    ):
        return
    chunk_ids, texts = catalog_chunk_texts(catalog)
    lexical.save(lexical.build(chunk_ids, texts), catalog.index_dir)


# -- both -----------------------------------------------------------------------------------------


def sync_indexes(catalog: Catalog) -> None:
    """Bring the FAISS and BM25 files in line with the catalog, touching only what changed."""
    if catalog.backend != "sqlite":
        return  # the database keeps its indexes in each document's transaction
    sync_vector_index(catalog)
    sync_lexical_index(catalog)


def rebuild_indexes(catalog: Catalog) -> None:
    """Rebuild both indexes from the catalog, whatever state the files are in."""
    if catalog.backend != "sqlite":
        return
    sync_vector_index(catalog, force=True)
    sync_lexical_index(catalog, force=True)


@dataclass
class IndexHealth:
    """Whether the derived indexes agree with the catalog, and what is wrong if not."""

    ok: bool
    type: str | None
    vectors: int
    chunks: int
    catalog_vectors: int
    model: str | None
    lexical_chunks: int
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def vector_problems(
    catalog_ids: np.ndarray, model: str | None, dim: int, vi: VectorIndex
) -> list[str]:
    """How a loaded vector index differs from the catalog's vectors and model."""
    problems = []
    have = vi.ids
    missing = len(np.setdiff1d(catalog_ids, have))
    extra = len(np.setdiff1d(have, catalog_ids))
    if missing:
        problems.append(f"{missing} catalog vectors are not in the vector index")
    if extra:
        problems.append(f"{extra} vectors in the vector index belong to no catalog chunk")
    if model and vi.model != model:
        problems.append(
            f"vector index was built for model '{vi.model}', the catalog holds '{model}'"
        )
    if dim and vi.dim != dim:
        problems.append(f"vector index has dimension {vi.dim}, the catalog's vectors {dim}")
    return problems


def lexical_problems(catalog_chunk_ids: Sequence[int], lx: LexicalIndex) -> list[str]:
    """How a loaded lexical index differs from the catalog's chunks."""
    if lx.fingerprint != ids_fingerprint(catalog_chunk_ids):
        return [
            f"lexical index covers {lx.size} chunks, not the catalog's {len(catalog_chunk_ids)}"
        ]
    return []


def check_indexes(catalog: Catalog) -> IndexHealth:
    """Compare the FAISS and BM25 files with the catalog: ids, model, dimension, readability."""
    if catalog.backend != "sqlite":
        return check_server_indexes(catalog)
    index_dir = catalog.index_dir
    ids = catalog_vector_ids(catalog)
    chunk_ids = catalog.chunk_ids()
    model, dim = catalog_model(catalog)
    problems: list[str] = []
    if len(chunk_ids) > len(ids):
        problems.append(f"{len(chunk_ids) - len(ids)} chunks have no vector")
    unsentenced = catalog.count_chunks_without_sentence_vectors()
    if unsentenced:
        # made by a version before sentence vectors: answers read whole passages instead
        problems.append(f"{unsentenced} chunks have no sentence vectors (run: policyminer reindex)")
    vi = None
    if len(ids) or (index_dir / VECTOR_MANIFEST).exists():
        try:
            vi = load_vector_index(index_dir)
        except (OSError, ValueError, KeyError) as err:
            problems.append(f"vector index unusable: {_first_line(err)}")
    if vi is not None:
        problems += vector_problems(ids, model, dim, vi)
    lexical_size = 0
    if chunk_ids or lexical.read_manifest(index_dir):
        try:
            lx = lexical.load(index_dir)
            lexical_size = lx.size
            problems += lexical_problems(chunk_ids, lx)
        except (OSError, ValueError, KeyError) as err:
            problems.append(f"lexical index unusable: {_first_line(err)}")
    return IndexHealth(
        ok=not problems,
        type=vi.kind if vi else None,
        vectors=vi.size if vi else 0,
        chunks=len(chunk_ids),
        catalog_vectors=len(ids),
        model=model,
        lexical_chunks=lexical_size,
        problems=problems,
    )


def check_server_indexes(catalog) -> IndexHealth:
    """`status` for the database backend: counts, model, chunks without a vector."""
    counts = catalog.counts()
    problems = []
    if counts["chunks"] > counts["vectors"]:
        problems.append(f"{counts['chunks'] - counts['vectors']} chunks have no vector")
    dim = int(catalog.get_meta("embedding_dim") or 0)
    if counts["vectors"] and dim and catalog.vector_dim() != dim:
        problems.append(f"vector column has dimension {catalog.vector_dim()}, the model's {dim}")
    return IndexHealth(
        ok=not problems,
        type="hnsw" if counts["vectors"] else None,
        vectors=counts["vectors"],
        chunks=counts["chunks"],
        catalog_vectors=counts["vectors"],
        model=catalog.get_meta("embedding_model"),
        lexical_chunks=counts["chunks"],
        problems=problems,
    )


def embed_in_batches(
    embedder, texts: Sequence[str], progress: Callable[[int, int], None] | None = None
) -> np.ndarray:
    """Passage vectors for many texts, reporting progress after each batch."""
    parts = []
    for start in range(0, len(texts), EMBED_BATCH):
        parts.append(embedder.embed_passages(list(texts[start : start + EMBED_BATCH])))
        if progress:
            progress(min(start + EMBED_BATCH, len(texts)), len(texts))
    return np.vstack(parts).astype(np.float32)


def embed_with_sentences_in_batches(
    embedder,
    texts: Sequence[str],
    spans: Sequence[Sequence[tuple[int, int]]],
    progress: Callable[[int, int], None] | None = None,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Passage vectors and per-span sentence vectors for many texts, with progress per batch."""
    parts: list[np.ndarray] = []
    sentences: list[np.ndarray] = []
    for start in range(0, len(texts), EMBED_BATCH):
        end = start + EMBED_BATCH
        vectors, per_text = embedder.embed_passages_with_spans(texts[start:end], spans[start:end])
        parts.append(vectors)
        sentences.extend(per_text)
        if progress:
            progress(min(end, len(texts)), len(texts))
    return np.vstack(parts).astype(np.float32), sentences
