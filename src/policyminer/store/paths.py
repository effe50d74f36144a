"""Where things live on disk: the source checkout, the default index directory, file names."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import platformdirs

CATALOG_FILE = "catalog.sqlite"
APP_NAME = "policyminer"
CACHE_ENV = "POLICYMINER_CACHE_DIR"  # caches somewhere else than the user's cache folder


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


def user_cache_dir() -> Path:
    """This machine's cache folder: $POLICYMINER_CACHE_DIR, else the user's cache folder."""
    return Path(os.environ.get(CACHE_ENV) or platformdirs.user_cache_dir(APP_NAME))


def server_cache_dir(url: str) -> Path:
    """This machine's folder for caches of a database evidence base (sentence vectors, areas)."""
    digest = hashlib.sha1(display_url(url).encode()).hexdigest()[:16]
    return user_cache_dir() / "servers" / digest
