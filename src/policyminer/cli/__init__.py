"""Command-line interface: thin wrappers that parse options, call the library and render."""

# Importing a command module registers its commands on `app`, in this order in `--help`:
# the evidence base first, then the questions asked of it.
# ruff: noqa: I001, F401
from policyminer.cli import documents
from policyminer.cli import search
from policyminer.cli import ask
from policyminer.cli import actors
from policyminer.cli import areas
from policyminer.cli import models
from policyminer.cli import serve
from policyminer.cli import migrate
from policyminer.cli.app import app

__all__ = ["app"]
