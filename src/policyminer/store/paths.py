"""Where things live on disk: the source checkout, the default index directory, file names."""

from __future__ import annotations

import hashlib
import re
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


SERVER_SCHEMES = ("postgresql://", "postgres://")


def is_server_url(location: object) -> bool:
    """Whether an --index value names a PostgreSQL database rather than a directory."""
    return isinstance(location, str) and location.startswith(SERVER_SCHEMES)


def display_url(url: str) -> str:
    """A database URL with its password left out, for messages and `status`."""
    return re.sub(r"^(\w+://[^:/@]*):[^@]*@", r"\1@", url)


def server_cache_dir(url: str) -> Path:
    """This machine's folder for caches of a database evidence base (sentence vectors, areas)."""
    digest = hashlib.sha1(display_url(url).encode()).hexdigest()[:16]
    return Path(platformdirs.user_cache_dir(APP_NAME)) / "servers" / digest
