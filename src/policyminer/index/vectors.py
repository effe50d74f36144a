"""Derived search indexes under the index directory, kept in line with the catalog.

The catalog (SQLite) is the source of truth; the FAISS vector index and the BM25 lexical index
are derived from it and can always be rebuilt. Every file is saved atomically (write a temporary
file, fsync, rename, fsync the folder), so a crash leaves the previous index, never half a new one.
A small JSON manifest beside the FAISS file records the model, dimension, index type and count.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from policyminer.store.files import (
    atomic_write_bytes,
    atomic_write_json,
    fsync_dir,
)

if TYPE_CHECKING:
    import faiss

    from policyminer.store.catalog import Catalog

VECTOR_FILE = "vectors.faiss"
VECTOR_MANIFEST = "vectors.json"

# Exact inner-product search (IndexIDMap2 over IndexFlatIP) below this many vectors, an
# inverted-file index (IndexIVFFlat) from here on. Exact search grows linearly (p50 ~10 ms per
# query at 100k and ~95 ms at 1M on the 2-core machine, 2-3x that under load); IVF scans
# NPROBE of NLIST lists: ~2 ms at 1M with recall@10 0.96 on vectors mixed from real ones.
# IVF, not HNSW: on 2 cores HNSW took ~10 minutes to build 100k vectors (hours at 1M) and cannot
# remove vectors, while IVF trains in seconds and removes in place (BENCHMARKS.md).
ANN_MIN_VECTORS = 200_000
IVF_NLIST = 1024
IVF_NPROBE = 32
IVF_TRAIN_PER_LIST = 64


# -- the vector index -----------------------------------------------------------------------------


def index_type_for(count: int) -> str:
    """flat (exact) for small bases, ivf (approximate) for large ones."""
    return "ivf" if count >= ANN_MIN_VECTORS else "flat"


def new_faiss_index(dim: int, kind: str, train: np.ndarray | None = None) -> faiss.Index:
    """An empty inner-product index whose ids are chunk ids (ivf: trained on `train`)."""
    import faiss

    if kind == "ivf":
        if train is None or not len(train):
            raise ValueError("an IVF index needs training vectors")
        nlist = max(1, min(IVF_NLIST, len(train) // IVF_TRAIN_PER_LIST))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
        index.train(np.ascontiguousarray(train, dtype=np.float32))
        index.nprobe = min(IVF_NPROBE, nlist)
        return index
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


@dataclass
class VectorIndex:
    """A FAISS index over chunk vectors, and the model that made them."""

    index: faiss.Index
    model: str | None
    dim: int
    kind: str

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    @property
    def ids(self) -> np.ndarray:
        import faiss

        if self.kind != "ivf":
            return faiss.vector_to_array(self.index.id_map).astype(np.int64)
        lists = self.index.invlists
        parts = [
            faiss.rev_swig_ptr(lists.get_ids(i), lists.list_size(i)).copy()
            for i in range(lists.nlist)
            if lists.list_size(i)
        ]
        return np.sort(np.concatenate(parts)).astype(np.int64) if parts else np.zeros(0, np.int64)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)

    def remove(self, ids: np.ndarray) -> None:
        import faiss

        self.index.remove_ids(faiss.IDSelectorBatch(np.ascontiguousarray(ids, dtype=np.int64)))

    def search(
        self, vector: np.ndarray, k: int, allowed: frozenset[int] | None = None
    ) -> list[tuple[int, float]]:
        """Top-k (chunk id, cosine) for a normalised query vector, optionally among allowed ids."""
        import faiss

        if self.size == 0 or k <= 0:
            return []
        query = np.ascontiguousarray(vector, dtype=np.float32).reshape(1, -1)
        params = None
        if allowed is not None:
            if not allowed:
                return []
            selector = faiss.IDSelectorBatch(np.fromiter(allowed, dtype=np.int64))
            if self.kind == "ivf":
                # a restrictive filter needs more lists scanned to still find k allowed vectors
                nprobe = min(self.index.nlist, max(self.index.nprobe, 8 * IVF_NPROBE))
                params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)
            else:
                params = faiss.SearchParameters(sel=selector)
        # One query: OpenMP threads cost more than they save, badly so on a busy machine
        # (flat, 20k vectors: 1 ms on one thread, 18 ms on two; BENCHMARKS.md).
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            scores, ids = self.index.search(query, min(k, self.size), params=params)
        finally:
            faiss.omp_set_num_threads(threads)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]


def read_vector_manifest(index_dir: Path) -> dict | None:
    try:
        return json.loads((index_dir / VECTOR_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load_vector_index(index_dir: Path) -> VectorIndex:
    """Load the FAISS index and its manifest; OSError or ValueError when missing or damaged."""
    import faiss

    path = index_dir / VECTOR_FILE
    manifest = read_vector_manifest(index_dir)
    if manifest is None:
        raise FileNotFoundError(f"{index_dir / VECTOR_MANIFEST}: no vector index manifest")
    try:
        index = faiss.read_index(str(path))
    except (OSError, RuntimeError) as err:
        raise ValueError(f"{path}: cannot read the vector index ({_first_line(err)})") from None
    if not isinstance(index, faiss.IndexIDMap2 | faiss.IndexIVFFlat):
        raise ValueError(f"{path}: not an index of chunk ids")
    vi = VectorIndex(index, manifest.get("model"), int(manifest.get("dim", 0)), manifest["type"])
    if vi.size != manifest.get("count") or index.d != vi.dim:
        raise ValueError(
            f"{path}: holds {vi.size} vectors of dimension {index.d}, its manifest says "
            f"{manifest.get('count')} of dimension {vi.dim}"
        )
    return vi


def save_vector_index(vi: VectorIndex, index_dir: Path) -> None:
    """Write the FAISS file, then its manifest, each atomically."""
    import faiss

    atomic_write_bytes(index_dir / VECTOR_FILE, faiss.serialize_index(vi.index).tobytes())
    manifest = {"model": vi.model, "dim": vi.dim, "type": vi.kind, "count": vi.size}
    atomic_write_json(index_dir / VECTOR_MANIFEST, manifest)


def catalog_vector_ids(catalog: Catalog) -> np.ndarray:
    return np.array(catalog.vector_ids(), dtype=np.int64)


def catalog_model(catalog: Catalog) -> tuple[str | None, int]:
    """The embedding model and dimension the catalog's vectors were made with."""
    return catalog.get_meta("embedding_model"), int(catalog.get_meta("embedding_dim") or 0)


def _add_from_catalog(catalog: Catalog, vi: VectorIndex, ids: np.ndarray) -> None:
    """Add the catalog's vectors for these chunk ids, a slice at a time to bound memory."""
    for start in range(0, len(ids), 20_000):
        part, matrix = catalog.vectors(ids=[int(i) for i in ids[start : start + 20_000]])
        if len(part):
            vi.add(part, matrix)


def build_vector_index(catalog: Catalog) -> VectorIndex:
    """A fresh vector index over every vector in the catalog."""
    ids = catalog_vector_ids(catalog)
    model, dim = catalog_model(catalog)
    if len(ids) and not dim:
        dim = int(catalog.vectors(ids=[int(ids[0])])[1].shape[1])
    kind = index_type_for(len(ids))
    train = None
    if kind == "ivf":
        rng = np.random.default_rng(0)
        size = min(len(ids), IVF_NLIST * IVF_TRAIN_PER_LIST)
        sample = np.sort(rng.choice(ids, size=size, replace=False))
        train = catalog.vectors(ids=[int(i) for i in sample])[1]
    vi = VectorIndex(new_faiss_index(dim, kind, train), model, dim, kind)
    _add_from_catalog(catalog, vi, ids)
    return vi


def sync_vector_index(catalog: Catalog, force: bool = False) -> None:
    """Add and remove vectors so the FAISS index holds exactly the catalog's vectors."""
    index_dir = catalog.index_dir
    ids = catalog_vector_ids(catalog)
    model, dim = catalog_model(catalog)
    if not len(ids):
        _remove_vector_files(index_dir)
        return
    current = None
    if not force:
        with contextlib.suppress(OSError, ValueError, KeyError):
            current = load_vector_index(index_dir)
    if (
        current is None
        or current.model != model
        or (dim and current.dim != dim)
        or current.kind != index_type_for(len(ids))
    ):
        save_vector_index(build_vector_index(catalog), index_dir)
        return
    have = current.ids
    stale = np.setdiff1d(have, ids, assume_unique=True)
    new = np.setdiff1d(ids, have, assume_unique=True)
    if not len(stale) and not len(new):
        return
    if len(stale):
        current.remove(stale)
    _add_from_catalog(catalog, current, new)
    save_vector_index(current, index_dir)


def _remove_vector_files(index_dir: Path) -> None:
    for name in (VECTOR_MANIFEST, VECTOR_FILE):  # manifest first: a file without one is ignored
        (index_dir / name).unlink(missing_ok=True)
    fsync_dir(index_dir)


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__
