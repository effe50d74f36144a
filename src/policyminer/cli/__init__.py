"""Command-line interface: thin wrappers that parse options, call the library and render."""

from policyminer.cli import documents  # noqa: F401  (registers commands)
from policyminer.cli.app import app

__all__ = ["app"]
