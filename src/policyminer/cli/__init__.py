"""Command-line interface: thin wrappers that parse options, call the library and render."""

import importlib

from policyminer.cli.app import app

# TEMPORARY while the stage modules land in parallel: register the ones present.
for _name in ("documents", "models", "search", "ask", "actors", "areas"):
    try:
        importlib.import_module(f"policyminer.cli.{_name}")
    except ModuleNotFoundError as _err:
        if _err.name != f"policyminer.cli.{_name}":
            raise

__all__ = ["app"]
