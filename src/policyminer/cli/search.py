"""Commands that search the evidence base and repair its indexes: search, reindex."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from policyminer.cli.app import (
    DEFAULT_INDEX,
    IndexOption,
    JsonOption,
    TaxonomyOption,
    app,
    console,
    err_console,
    fail,
    filters_text,
    handled,
    open_library,
    read_batch,
)
from policyminer.library import SearchResult
from policyminer.records import page_mark, section_mark

PASSAGE_CHARS = 480  # how much of a passage the table shows, around the first matches


class Fusion(StrEnum):
    score = "score"
    rrf = "rrf"


class Mode(StrEnum):
    hybrid = "hybrid"
    dense = "dense"
    lexical = "lexical"


@app.command()
def search(
    query: Annotated[
        str | None, typer.Argument(help="Question or keywords (Norwegian or English).")
    ] = None,
    k: Annotated[int, typer.Option("-k", "--top", min=1, help="Number of passages.")] = 10,
    doc: Annotated[
        list[str] | None, typer.Option("--doc", help="Only this document (id or path); repeatable.")
    ] = None,
    year: Annotated[int | None, typer.Option(help="Only documents from this year.")] = None,
    publisher: Annotated[
        str | None, typer.Option(help="Only documents whose publisher contains this.")
    ] = None,
    mode: Annotated[Mode, typer.Option(help="Ranking: hybrid, dense or lexical.")] = Mode.hybrid,
    fusion: Annotated[
        Fusion, typer.Option(help="How hybrid mode fuses: normalised scores, or reciprocal rank.")
    ] = Fusion.score,
    area: Annotated[
        str | None, typer.Option(help="Only passages tagged with this opportunity area id.")
    ] = None,
    taxonomy: TaxonomyOption = None,
    batch: Annotated[
        Path | None,
        typer.Option(help="Read one query per line; print one JSON object per line."),
    ] = None,
    model: Annotated[
        str | None, typer.Option(help="Embedding model the index must have been built with.")
    ] = None,
    all_pages: Annotated[
        bool,
        typer.Option("--all-pages", help="Also return contents pages and reference lists."),
    ] = False,
    index: IndexOption = DEFAULT_INDEX,
    as_json: JsonOption = False,
) -> None:
    """Find the passages that best answer a query, with document, page and section."""
    queries = _queries(query, batch)
    with handled(), open_library(index, model) as library:
        results = library.search_many(
            queries,
            k=k,
            mode=mode.value,
            fusion=fusion.value,
            docs=doc or (),
            year=year,
            publisher=publisher,
            area=area,
            taxonomy=taxonomy,
            all_pages=all_pages,
        )
        for result in results:
            if batch is not None or as_json:
                typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
            else:
                _render(result)


def _queries(query: str | None, batch: Path | None) -> list[str]:
    if batch is None:
        if not query or not query.strip():
            raise fail("give a QUERY, or --batch FILE with one query per line", 2)
        return [query]
    if query:
        raise fail("give either a QUERY or --batch FILE, not both", 2)
    return read_batch(batch, "queries")


def _render(result: SearchResult) -> None:
    query, hits = result.query, result.hits
    if not hits:
        err_console.print(
            f"no passages match: {query}{filters_text(result.filters)}", highlight=False
        )
        return
    for rank, hit in enumerate(hits, start=1):
        head = Text(f"{rank:>2}. ", style="bold")
        head.append(hit.title, style="bold cyan")
        if page := page_mark(hit.page, hit.unit, hit.chunk.section, hit.printed_page):
            head.append(f"  {page}", style="green")
        if hit.chunk.section:
            head.append(f"  {section_mark(hit.chunk.section, ' ')}", style="magenta")
        head.append(f"  {hit.score:.4f}", style="dim")
        head.append(f"  [{hit.chunk.doc_id}]", style="dim")
        console.print(head)
        console.print(_passage(result, hit.chunk.text), highlight=False)
        for note in hit.footnotes:
            if note.note:
                console.print(
                    Text(f"    note {note.label}, p. {note.note_page}: {note.note}", style="dim"),
                    highlight=False,
                )
        console.print()


def _passage(result: SearchResult, text: str) -> Text:
    """The passage (a window around the first matches) with query terms highlighted."""
    flat = " ".join(text.split())
    spans = result.highlight_spans(flat)
    start = 0
    if spans and len(flat) > PASSAGE_CHARS:
        start = max(0, min(spans[0][0] - 80, len(flat) - PASSAGE_CHARS))
        start = flat.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(flat), start + PASSAGE_CHARS)
    shown = Text("    " + ("…" if start else ""))
    offset = len(shown.plain) - start
    shown.append(flat[start:end] + ("…" if end < len(flat) else ""))
    for a, b in spans:
        if a >= start and b <= end:
            shown.stylize("bold yellow", a + offset, b + offset)
    return shown


@app.command()
def reindex(
    index: IndexOption = DEFAULT_INDEX,
    model: Annotated[
        str | None,
        typer.Option(help="Re-embed every chunk with this sentence-transformers model first."),
    ] = None,
) -> None:
    """Rebuild the search indexes from the catalog; with --model, re-embed everything first."""
    library = open_library(index)
    with handled(), err_console.status("re-embedding and rebuilding indexes…"):
        report = library.reindex(model=model)
    health = report.health
    if report.embedded:
        console.print(f"embedded {report.embedded} chunks with {report.model}", highlight=False)
    console.print(
        f"rebuilt indexes in {library.where}: {health.type or 'no'} vector index with "
        f"{health.vectors} vectors, lexical index with {health.lexical_chunks} chunks",
        highlight=False,
    )
    if not health.ok:
        raise fail("; ".join(health.problems))
