"""`policyminer ask`: answers with verifiable citations, or an honest "not found"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from policyminer.answer.citations import TOLD_REASONS, Answer, Citation
from policyminer.cli.app import (
    DEFAULT_INDEX,
    IndexOption,
    JsonOption,
    TaxonomyOption,
    app,
    console,
    fail,
    handled,
    open_library,
    read_batch,
)
from policyminer.lang import message


@app.command()
def ask(
    question: Annotated[
        str | None, typer.Argument(help="The question, in Norwegian or English.")
    ] = None,
    k: Annotated[int | None, typer.Option("-k", help="Passages to read for the answer.")] = None,
    doc: Annotated[
        list[str] | None, typer.Option("--doc", help="Only this document (id); repeatable.")
    ] = None,
    area: Annotated[
        str | None, typer.Option("--area", help="Only passages tagged with this area.")
    ] = None,
    taxonomy: TaxonomyOption = None,
    all_pages: Annotated[
        bool,
        typer.Option("--all-pages", help="Also read contents pages and reference lists."),
    ] = False,
    min_confidence: Annotated[
        float | None,
        typer.Option(
            "--min-confidence",
            help="Answer only when the confidence (0–1) reaches this; lower answers more "
            "often, 0 always answers. Default: the calibrated threshold.",
        ),
    ] = None,
    as_json: JsonOption = False,
    batch: Annotated[
        Path | None,
        typer.Option("--batch", help="Questions, one a line; prints one JSON object per line."),
    ] = None,
    index: IndexOption = DEFAULT_INDEX,
) -> None:
    """Answer a question from the documents, quoting the sentences that answer it."""
    if (question is None) == (batch is None):
        raise fail("give a QUESTION or --batch FILE (not both)", 2)
    if k is not None and k < 1:
        raise fail("-k must be at least 1", 2)
    questions = read_batch(batch, "questions") if batch else [question or ""]
    with handled(), open_library(index) as library:
        answers = library.ask_many(
            questions,
            k=k,
            docs=doc or (),
            area=area,
            taxonomy=taxonomy,
            all_pages=all_pages,
            min_confidence=min_confidence,
        )
        for answer in answers:
            if batch or as_json:
                print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
            else:
                render(answer)


# How to have the closest sentences quoted all the same: only a low confidence yields to
# a lower bar; a rule's abstention (its leads are those sentences) and an empty or unverifiable
# candidate list do not
ANYWAY = frozenset({"low_confidence"})


def render(answer: Answer) -> None:
    """The answer as a careful analyst writes it: quotes, each with its citation."""
    if answer.named_documents:
        read = "; ".join(answer.named_titles or answer.named_documents)
        console.print(f"[dim]{message('named_documents', answer.lang)}: {escape(read)}[/]")
    if answer.abstained:
        console.print(f"[bold yellow]{escape(answer.answer)}[/]")
        if answer.reason in TOLD_REASONS:
            console.print(f"[yellow]{escape(message(answer.reason, answer.lang))}[/]")
        hint = f"; {message('answers_anyway', answer.lang)}" if answer.reason in ANYWAY else ""
        sure = message("confidence", answer.lang)
        console.print(f"[dim]{sure} {answer.confidence:.2f}{hint}[/]")
        if answer.leads:
            console.print(f"\n[bold]{message('leads', answer.lang)}[/]")
            for lead in answer.leads:
                console.print(f"  [dim]{escape(lead.label())}[/]\n    «{escape(lead.quote)}»")
                _print_columns(lead, answer.lang, "    ")
        return
    how = (
        "" if answer.method == "scorer" else f", {message('method_' + answer.method, answer.lang)}"
    )
    console.print(
        f"[bold]{message('answer', answer.lang)}[/] "
        f"[dim]({message('confidence', answer.lang)} {answer.confidence:.2f}"
        f"{escape(how)})[/]"
    )
    if answer.from_sections:
        read = "; ".join(answer.from_sections)
        console.print(f"[dim]{message('from_sections', answer.lang)}: {escape(read)}[/]")
    for i, citation in enumerate(answer.citations, 1):
        quote = " ".join(citation.quote.split())
        console.print(f"  [cyan][{i}][/] «{escape(quote)}»")
        _print_columns(citation, answer.lang, "      ")
        console.print(f"      [dim]{escape(citation.label())}[/]")
        _print_footnotes(citation, answer.lang, "      ")


def _print_footnotes(citation: Citation, lang: str, indent: str) -> None:
    """The notes the quote calls: often the source a claim rests on."""
    for note in citation.footnotes:
        if note.note:
            unit = message("slide" if citation.unit == "slide" else "page", lang)
            where = f"{message('footnote', lang)} {note.label}, {unit}"
            line = f"{where} {note.note_page}: {note.note}"
            console.print(f"{indent}[dim]{escape(line)}[/]")


def _print_columns(citation: Citation, lang: str, indent: str) -> None:
    """A quoted table row's column headers: what its cells are."""
    if citation.columns:
        columns = message("columns", lang)
        console.print(f"{indent}[dim]{columns}: {escape(citation.columns)}[/]")
