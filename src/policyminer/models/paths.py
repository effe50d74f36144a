"""Where the models live: the default model's names, the models directory, the NER pipeline."""

from __future__ import annotations

import os
from pathlib import Path

from policyminer.store.paths import repo_root

DEFAULT_MODEL = "intfloat/multilingual-e5-small"
DEFAULT_MODEL_DIRNAME = "e5-small"
NER_PIPELINE_SUBDIR = Path("ner") / "pipeline"
# Names a user may type for the default model besides DEFAULT_MODEL itself.
DEFAULT_ALIASES = frozenset({DEFAULT_MODEL, "multilingual-e5-small", "e5-small", "default"})
E5_QUERY_PREFIX = "query: "
E5_PASSAGE_PREFIX = "passage: "
NOT_BUILT = "embedding model not built; run: policyminer models build"


# ----------------------------------------------------------------------------- locations


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
