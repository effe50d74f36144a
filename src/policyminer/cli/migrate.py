"""`policyminer migrate`: copy an embedded evidence base into PostgreSQL."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from policyminer.cli.app import (
    DEFAULT_INDEX,
    IndexOption,
    JsonOption,
    app,
    err_console,
    handled,
    open_library,
)


@app.command()
def migrate(
    to: Annotated[
        str, typer.Option("--to", help="postgresql://… URL of the database to copy into.")
    ],
    index: IndexOption = DEFAULT_INDEX,
    as_json: JsonOption = False,
) -> None:
    """Copy the evidence base (documents, chunks, vectors, actors, tags) into PostgreSQL.

    Nothing is re-embedded; each document is copied in one transaction, and a second run
    copies only what is missing.
    """
    library = open_library(index)
    with handled():
        report = library.migrate(to)
    if as_json:
        typer.echo(json.dumps(report.to_dict()))
        return
    err_console.print(
        f"[bold]migrate:[/] {report.documents} documents copied, {report.skipped} already there "
        f"({report.chunks} chunks, {report.vectors} vectors, {report.mentions} mentions, "
        f"{report.tags} tags) → {library.where_of(to)}",
        highlight=False,
    )
