"""`python -m policyminer` runs the CLI."""

from policyminer.cli import app

app()
