"""Where things live on disk: the source checkout, the default index directory, file names."""

from __future__ import annotations

from pathlib import Path

import platformdirs

CATALOG_FILE = "catalog.sqlite"
APP_NAME = "policyminer"


def repo_root() -> Path | None:
    """The source checkout this package runs from, if any (editable install or src on the path)."""
    root = Path(__file__).resolve().parents[3]
    return root if (root / "pyproject.toml").is_file() else None


def default_index_dir() -> Path:
    """`indexes/default` of the checkout the package runs from, else a per-user data directory.

    Neither depends on the working directory, so every command finds the same index wherever
    it is run from.
    """
    root = repo_root()
    if root is not None:
        return root / "indexes" / "default"
    return Path(platformdirs.user_data_dir(APP_NAME)) / "indexes" / "default"
