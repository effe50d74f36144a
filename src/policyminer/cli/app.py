"""The typer application object and options shared by every command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from policyminer.errors import PolicyminerError
from policyminer.library import INDEX_ENV, Library

app = typer.Typer(
    name="policyminer",
    help="Search, cite, map actors and tag opportunity areas in policy PDFs. Offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # markdown: a docstring's lines flow into paragraphs (rich mode keeps each line break and
    # then wraps again, folding sentences mid-line)
    rich_markup_mode="markdown",
)
models_app = typer.Typer(help="Build and inspect the local models.", no_args_is_help=True)
evaluate_app = typer.Typer(help="Evaluate models on annotated data.", no_args_is_help=True)
app.add_typer(models_app, name="models")
app.add_typer(evaluate_app, name="evaluate")

console = Console()
# soft_wrap: an error stays one line however narrow the terminal (scripts grep these lines).
err_console = Console(stderr=True, soft_wrap=True)

# str, not Path: a postgresql:// URL names the database backend, and a Path would fold its "//".
IndexOption = Annotated[
    str | None,
    typer.Option(
        "--index",
        envvar=INDEX_ENV,
        help=(
            "Index directory (catalog and search indexes), or a postgresql://… URL of a shared "
            "evidence base. Default: indexes/default of the checkout policyminer runs from, else "
            "a per-user data directory; `policyminer status` shows which."
        ),
        show_default=False,
    ),
]
DEFAULT_INDEX = None  # resolved by Library: --index, else $POLICYMINER_INDEX, else the default
TaxonomyOption = Annotated[
    Path | None,
    typer.Option("--taxonomy", help="Taxonomy file (TOML or YAML); default: the shipped one."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a one-line error and return the Exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


@contextmanager
def handled() -> Iterator[None]:
    """Turn a library error into its one-line message and exit code."""
    try:
        yield
    except PolicyminerError as err:
        raise fail(str(err), err.exit_code) from None


def filters_text(filters: dict[str, object]) -> str:
    """ " (filters: doc=energi, year=2023)" for an empty-result message; "" when none were set."""
    if not filters:
        return ""
    parts = [
        f"{name}={','.join(map(str, value)) if isinstance(value, list) else value}"
        for name, value in filters.items()
    ]
    return f" (filters: {', '.join(parts)})"


def open_library(index: Path | str | None, model: str | None = None) -> Library:
    """The Library for an --index option (None: $POLICYMINER_INDEX or the default)."""
    return Library(index, model=model)


def read_batch(path: Path, what: str = "lines") -> list[str]:
    """The non-empty lines of a --batch file, or a one-line error naming the file (exit 2)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise fail(f"{path}: no such file", 2) from None
    except UnicodeDecodeError:
        raise fail(f"{path}: not UTF-8 text", 2) from None
    except OSError as err:
        raise fail(f"{path}: cannot read ({err.strerror or err})", 2) from None
    items = [line.strip() for line in lines if line.strip()]
    if not items:
        raise fail(f"{path}: no {what} (one per line)", 2)
    return items
