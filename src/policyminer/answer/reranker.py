"""A cross-encoder that reads a question and a candidate sentence together, run in numpy.

The answer scorer compares a question and a sentence through separate vectors and shared terms,
so a sentence on the question's topic that does not say what is asked can outrank the one that
does. This encoder (e5-small's first layers fine-tuned on NorQuAD by
`scripts/train_answer_reranker.py`, a linear head over the mean-pooled output) reads the pair as
one text. It runs in numpy so that `ask` never imports torch (a 6 s import on these machines):
the fine-tuned layers come from `models/reranker/weights.safetensors` (int8, one scale per row),
the frozen embedding rows from the built `models/e5-small`, memory-mapped, so only the rows of
the words at hand are read.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from policyminer.errors import AnswerError
from policyminer.models.paths import default_model_dir, models_root

RERANKER_SUBDIR = Path("reranker")
WEIGHTS_FILE = "weights.safetensors"
MAX_LEN = 128  # subword tokens per pair; the sentence is cut, never the question
_DTYPES = {"F32": np.float32, "F16": np.float16, "I8": np.int8, "I64": np.int64}


def reranker_dir() -> Path:
    return models_root() / RERANKER_SUBDIR


def _read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a safetensors file as a read-only memory map (nothing read yet)."""
    try:
        with path.open("rb") as handle:
            size = int.from_bytes(handle.read(8), "little")
            header = json.loads(handle.read(size))
    except (OSError, ValueError) as err:
        raise AnswerError(f"{path}: cannot read model weights: {err}") from None
    header.pop("__metadata__", None)
    raw = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + size)
    out = {}
    for name, meta in header.items():
        start, end = meta["data_offsets"]
        dtype = _DTYPES[meta["dtype"]]
        out[name] = raw[start:end].view(dtype).reshape(meta["shape"])
    return out


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU in its tanh form: within 1e-3 of the exact one the encoder was trained with."""
    return 0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x * x * x)))


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gain + bias


@dataclass
class _Layer:
    qkv: np.ndarray  # (hidden, 3 * hidden): query, key and value projections side by side
    qkv_bias: np.ndarray
    out: np.ndarray
    out_bias: np.ndarray
    norm1: tuple[np.ndarray, np.ndarray]
    up: np.ndarray
    up_bias: np.ndarray
    down: np.ndarray
    down_bias: np.ndarray
    norm2: tuple[np.ndarray, np.ndarray]


class CrossEncoder:
    """One logit per (question, sentence) pair: higher means the sentence answers."""

    def __init__(self, weights: Path, base: Path):
        from tokenizers import Tokenizer

        config = json.loads((base / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=MAX_LEN, strategy="only_second")
        embed = _read_safetensors(base / "model.safetensors")
        self.words = embed["embeddings.word_embeddings.weight"]  # memory-mapped
        self.positions = np.asarray(embed["embeddings.position_embeddings.weight"], np.float32)
        self.type0 = np.asarray(embed["embeddings.token_type_embeddings.weight"][0], np.float32)
        self.embed_norm = (
            np.asarray(embed["embeddings.LayerNorm.weight"], np.float32),
            np.asarray(embed["embeddings.LayerNorm.bias"], np.float32),
        )
        state = _dequantised(_read_safetensors(weights))
        count = 1 + max(int(k.split(".")[2]) for k in state if k.startswith("encoder.layer."))
        self.layers = [_layer(state, f"encoder.layer.{i}.") for i in range(count)]
        self.head = state["head.weight"].reshape(-1)
        self.head_bias = float(state["head.bias"].reshape(-1)[0])

    def score(self, question: str, sentences: list[str], batch: int = 8) -> np.ndarray:
        """The logit of every sentence as an answer to the question."""
        pairs = [(f"query: {question}", f"passage: {s}") for s in sentences]
        encoded = [e.ids for e in self.tokenizer.encode_batch(pairs)]
        out = np.zeros(len(encoded), dtype=np.float32)
        # pairs of like length together: padding costs as much as text
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
        for at in range(0, len(order), batch):
            part = order[at : at + batch]
            out[part] = self._logits([encoded[i] for i in part])
        return out

    @staticmethod
    def _padded(encoded: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        width = max(len(e) for e in encoded)
        ids = np.full((len(encoded), width), 1, dtype=np.int64)  # 1 = <pad>
        mask = np.zeros((len(encoded), width), dtype=np.float32)
        for row, e in enumerate(encoded):
            ids[row, : len(e)] = e
            mask[row, : len(e)] = 1.0
        return ids, mask

    def _logits(self, encoded: list[list[int]]) -> np.ndarray:
        ids, mask = self._padded(encoded)
        batch, width = ids.shape
        x = np.asarray(self.words[ids.ravel()], np.float32).reshape(batch, width, -1)
        x = x + self.positions[:width] + self.type0
        x = _layer_norm(x, *self.embed_norm, self.eps)
        blocked = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in self.layers:
            x = self._layer(x, blocked, layer)
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled @ self.head + self.head_bias

    def _layer(self, x: np.ndarray, blocked: np.ndarray, layer: _Layer) -> np.ndarray:
        batch, width, hidden = x.shape
        size = hidden // self.heads
        flat = x.reshape(batch * width, hidden)  # one 2-D product per weight: BLAS at full speed
        qkv = (flat @ layer.qkv + layer.qkv_bias).reshape(batch, width, 3, self.heads, size)
        q, k, v = (qkv[:, :, i].transpose(0, 2, 1, 3) for i in range(3))
        scores = q @ k.transpose(0, 1, 3, 2) * (1.0 / math.sqrt(size)) + blocked
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * width, hidden)
        flat = _layer_norm(flat + context @ layer.out + layer.out_bias, *layer.norm1, self.eps)
        inner = _gelu(flat @ layer.up + layer.up_bias)
        flat = _layer_norm(flat + inner @ layer.down + layer.down_bias, *layer.norm2, self.eps)
        return flat.reshape(batch, width, hidden)


def _dequantised(raw: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """int8 rows times their scales (save_weights' format), everything else as float32."""
    out = {}
    for name, tensor in raw.items():
        if name.endswith(".scale"):
            continue
        if name.endswith(".q8"):
            base = name[: -len(".q8")]
            out[base] = tensor.astype(np.float32) * np.asarray(raw[base + ".scale"])[:, None]
        else:
            out[name] = np.asarray(tensor, np.float32)
    return out


def _layer(state: dict[str, np.ndarray], p: str) -> _Layer:
    def w(name: str) -> np.ndarray:  # torch Linear stores (out, in); numpy wants x @ (in, out)
        return np.ascontiguousarray(state[p + name + ".weight"].T)

    def b(name: str) -> np.ndarray:
        return state[p + name + ".bias"]

    att = "attention.self."
    return _Layer(
        qkv=np.concatenate([w(att + "query"), w(att + "key"), w(att + "value")], axis=1),
        qkv_bias=np.concatenate([b(att + "query"), b(att + "key"), b(att + "value")]),
        out=w("attention.output.dense"),
        out_bias=b("attention.output.dense"),
        norm1=(state[p + "attention.output.LayerNorm.weight"], b("attention.output.LayerNorm")),
        up=w("intermediate.dense"),
        up_bias=b("intermediate.dense"),
        down=w("output.dense"),
        down_bias=b("output.dense"),
        norm2=(state[p + "output.LayerNorm.weight"], b("output.LayerNorm")),
    )


@lru_cache(maxsize=1)
def shipped_reranker() -> CrossEncoder | None:
    """The cross-encoder under models/reranker, or None when it is not there."""
    weights = reranker_dir() / WEIGHTS_FILE
    base = default_model_dir()
    if not weights.is_file() or not (base / "model.safetensors").is_file():
        return None
    return CrossEncoder(weights, base)
