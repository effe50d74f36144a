"""Commands for actors and initiatives: `actors` and `evaluate ner`."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.table import Table

from policyminer.cli.app import (
    DEFAULT_INDEX,
    IndexOption,
    JsonOption,
    TaxonomyOption,
    app,
    console,
    evaluate_app,
    fail,
    filters_text,
    handled,
    open_library,
)
from policyminer.formats import actors_csv, graph_text, pages_text
from policyminer.records import page_ranges

if TYPE_CHECKING:
    from policyminer.enrich.actors import Actor


class ActorFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    graphml = "graphml"
    gexf = "gexf"


@app.command("actors")
def actors(
    doc: Annotated[
        list[str] | None, typer.Option("--doc", help="Only this document (repeatable).")
    ] = None,
    label: Annotated[str | None, typer.Option(help="ORG, PER, GPE, LOC or INITIATIVE.")] = None,
    org_type: Annotated[
        str | None, typer.Option("--type", help="Organisation type, e.g. kommune.")
    ] = None,
    min_mentions: Annotated[int, typer.Option("--min-mentions", min=1)] = 1,
    top: Annotated[
        int, typer.Option("--top", "-n", min=0, help="Only the N most mentioned (0: all).")
    ] = 0,
    area: Annotated[
        str | None, typer.Option(help="Only passages tagged with this area id.")
    ] = None,
    taxonomy: TaxonomyOption = None,
    fmt: Annotated[
        ActorFormat, typer.Option("--format", help="table, csv, json, graphml or gexf.")
    ] = ActorFormat.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    index: IndexOption = DEFAULT_INDEX,
) -> None:
    """Organisations, people, places and initiatives with merged aliases, most mentioned first."""
    with handled():
        found = open_library(index).actors(
            doc or (), label, org_type, min_mentions, area, taxonomy=taxonomy, top=top
        )
    if fmt is ActorFormat.table:
        _print_table(found, _applied(doc, label, org_type, min_mentions, area))
        if top and len(found) == top:
            console.print(f"[dim]The {top} most mentioned; --top 0 lists all.[/]")
        return
    if fmt is ActorFormat.json:
        text = json.dumps([a.to_dict() for a in found], ensure_ascii=False, indent=1) + "\n"
    elif fmt is ActorFormat.csv:
        text = actors_csv(found)
    else:
        text = graph_text(found, fmt.value)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=False)


def _applied(
    doc: list[str] | None, label: str | None, org_type: str | None, min_mentions: int, area
) -> dict[str, object]:
    """The filters set on the command line, for the empty-result message."""
    applied: dict[str, object] = {"doc": doc, "label": label, "type": org_type, "area": area}
    if min_mentions > 1:
        applied["min-mentions"] = min_mentions
    return {k: v for k, v in applied.items() if v}


WIDE_TABLE = 160  # terminal columns from which the table shows an example sentence
ALIASES_TABLE = 96  # … and from which it shows the aliases
# the name column: at least as wide as its longest word (within NAME_MIN..NAME_MAX), at most
# NAME_WIDEST
NAME_MIN, NAME_MAX, NAME_WIDEST = 12, 26, 32
TYPE_MIN, TYPE_MAX = 8, 19  # 19: the longest word of a type ("forskningsinstitutt")


def _print_table(found: list[Actor], applied: dict[str, object]) -> None:
    if not found:
        console.print(f"No actors found.{filters_text(applied)}", highlight=False)
        return
    # a narrow terminal leaves the example (and, narrower still, the aliases) out rather than
    # crop every row; csv and json hold them all
    width = console.width
    console.print(_actor_table(found, width >= WIDE_TABLE, width >= ALIASES_TABLE))


def _actor_table(found: list[Actor], with_example: bool, with_aliases: bool = True) -> Table:
    """The actors as a table; short columns keep their width, the others share the rest."""
    narrow = {"box": box.SIMPLE_HEAD, "pad_edge": False, "collapse_padding": True}
    table = Table(show_lines=True) if with_example else Table(**narrow)
    # wide enough for the longest word of a name: names wrap between words, not inside one
    longest = max((len(word) for a in found for word in a.name.split()), default=0)
    width = min(max(longest, NAME_MIN), NAME_MAX)
    table.add_column("name", min_width=width, max_width=NAME_WIDEST, style="bold", overflow="fold")
    table.add_column("label", no_wrap=True)
    # the type column: as wide as its longest piece between slashes, so a type breaks after
    # a slash rather than inside a word
    pieces = [len(piece) for a in found for piece in (a.type or "").replace("/", "/ ").split()]
    type_width = min(max([TYPE_MIN, *pieces]), TYPE_MAX)
    table.add_column("type", min_width=type_width, max_width=type_width, overflow="fold")
    table.add_column("mentions", justify="right", no_wrap=True)
    if with_example:
        table.add_column("docs", justify="right", no_wrap=True)
    table.add_column("pages", max_width=24 if with_example else 14, overflow="fold")
    if with_aliases:
        table.add_column("aliases", ratio=1, min_width=10, overflow="fold")
    if with_example:
        table.add_column("example (citation)", ratio=4, min_width=24, overflow="fold")
    for a in found:
        row = [
            a.name,
            a.label,
            _type_text(a.type or "", type_width),
            str(a.mentions),
            *([str(len(a.documents))] if with_example else []),
            pages_text(a) if with_example else _pages_brief(a),
        ]
        if with_aliases:
            row.append("; ".join(a.aliases) if with_example else _aliases_brief(a))
        if with_example:
            row.append(_example_text(a))
        table.add_row(*row)
    return table


def _type_text(kind: str, width: int) -> str:
    """A type in lines no wider than its column, broken after a slash ("departement/",
    "direktorat/etat"), not inside a word."""
    lines: list[str] = []
    for piece in kind.replace("/", "/ ").split():
        if lines and len(lines[-1]) + len(piece) <= width:
            lines[-1] += piece
        else:
            lines.append(piece)
    return "\n".join(lines)


def _aliases_brief(actor: Actor, shown: int = 2) -> str:
    """A few aliases and how many more, for a narrow table; all of them in csv/json."""
    more = len(actor.aliases) - shown
    return "; ".join(actor.aliases[:shown]) + (f" (+{more})" if more > 0 else "")


def _pages_brief(actor: Actor, ranges: int = 3) -> str:
    """Pages as a few ranges ("1–2, 4–11, 15 …"), for a narrow table; all of them in csv/json."""
    return page_ranges((p for doc_pages in actor.pages.values() for p in doc_pages), ranges)


def _example_text(actor: Actor) -> str:
    if not actor.example:
        return ""
    context = actor.example.context
    example = context[:200] + "…" if len(context) > 200 else context
    return example + f" [dim]({actor.example.citation})[/]"


@evaluate_app.command("ner")
def evaluate_ner(
    file: Annotated[Path, typer.Argument(help="NorNE-style CoNLL-U file (name=B-ORG in MISC).")],
    pipeline: Annotated[Path | None, typer.Option(help="spaCy pipeline directory.")] = None,
    context: Annotated[
        int,
        typer.Option(
            min=1,
            help="Sentences fed together as running text, in file order (1: each on its own).",
        ),
    ] = 1,
    as_json: JsonOption = False,
) -> None:
    """Entity precision, recall and F1 (exact spans, micro-averaged) per label and overall."""
    from policyminer.enrich.ner import NerError, evaluate_conllu, load_pipeline

    if not file.is_file():
        raise fail(f"{file}: no such file", 2)
    try:
        result = evaluate_conllu(file, load_pipeline(pipeline), context)
    except NerError as exc:
        raise fail(str(exc), 2) from exc
    if as_json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False))
        return
    table = Table(
        "label",
        "precision",
        "recall",
        "f1",
        "support",
        title=f"{file.name}: {result.sentences} sentences",
    )
    rows = [*sorted(result.labels.items()), ("overall", result.overall)]
    for name, prf in rows:
        table.add_row(
            name, f"{prf.precision:.3f}", f"{prf.recall:.3f}", f"{prf.f1:.3f}", str(prf.tp + prf.fn)
        )
    console.print(table)
