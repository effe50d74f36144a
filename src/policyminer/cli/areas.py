"""Commands for opportunity areas: tag (free text) and areas (per-area evidence report)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

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
from policyminer.formats import areas_markdown, counted
from policyminer.library import calibrate_taxonomy

if TYPE_CHECKING:
    from policyminer.enrich.areas import AreaReport


class Format(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"


@app.command()
def tag(
    passage: Annotated[
        str | None, typer.Argument(help="Passage to tag (or --text; default: read stdin).")
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="Passage to tag (default: read stdin).")
    ] = None,
    batch: Annotated[
        Path | None,
        typer.Option(help="Tag each line of FILE; prints one JSON object per line with --json."),
    ] = None,
    taxonomy: TaxonomyOption = None,
    show_all: Annotated[
        bool,
        typer.Option("--all", help="Also list areas below their threshold, after the tagged ones."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Tag a passage with opportunity areas (score 0.5 and up = tagged).

    Areas are listed by how well they match (raw score), tagged ones first; the first is the
    passage's primary area.
    """
    if passage is not None and text is not None:
        raise fail("give the passage once: as an argument or with --text", 2)
    texts = _passages(text if passage is None else passage, batch)
    with handled():
        results = open_library(None).tag(texts, taxonomy=taxonomy, all_areas=show_all)
    for passage, result in zip(texts, results, strict=True):
        if as_json:
            typer.echo(json.dumps(result.as_dict(), ensure_ascii=False))
            continue
        if batch is not None:
            console.print(f"[bold]{passage[:100]}[/]", highlight=False)
        if not result.tags:
            p = result.primary
            console.print(
                f"no area (every score is below its threshold); closest: {p.area_id} {p.name} "
                f"({p.score:.2f})",
                highlight=False,
            )
            continue
        table = Table(show_header=True, header_style="bold")
        table.add_column("id")
        table.add_column("area")
        table.add_column("score", justify="right")
        table.add_column("evidence", overflow="fold")
        for t in result.tags:
            score = f"{t.score:.2f}" if t.tagged else f"[dim]{t.score:.2f}[/]"
            table.add_row(t.area_id, t.name, score, t.evidence)
        console.print(table)


def _passages(text: str | None, batch: Path | None) -> list[str]:
    if batch is not None:
        return read_batch(batch, "passages")
    if text is None:
        if sys.stdin.isatty():
            raise fail("give --text, --batch FILE, or a passage on stdin", 2)
        text = sys.stdin.read()
    if not text.strip():
        raise fail("no text to tag", 2)
    return [text]


areas_app = typer.Typer(
    help="Per opportunity area: passages per document, top passages with citations, top actors. "
    "`areas calibrate FILE` fits a taxonomy's thresholds on labelled passages."
)
app.add_typer(areas_app, name="areas")


@areas_app.callback(invoke_without_command=True)
def areas(
    ctx: typer.Context,
    area: Annotated[str | None, typer.Option("--area", help="Only this area id, e.g. T2.")] = None,
    fmt: Annotated[
        Format, typer.Option("--format", help="table, markdown or json.")
    ] = Format.table,
    top: Annotated[int, typer.Option("--top", min=1, help="Passages shown per area.")] = 5,
    taxonomy: TaxonomyOption = None,
    retag: Annotated[
        bool, typer.Option("--retag", help="Re-tag every passage from its stored vector first.")
    ] = False,
    index: IndexOption = DEFAULT_INDEX,
) -> None:
    """Per opportunity area: passages per document, top passages with citations, top actors."""
    if ctx.invoked_subcommand is not None:
        return
    with handled():
        report = open_library(index).areas(area, top=top, taxonomy=taxonomy, retag=retag)
    if fmt is Format.json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    elif fmt is Format.markdown:
        typer.echo(areas_markdown(report), nl=False)
    else:
        _render(report)


def _render(report: AreaReport) -> None:
    if report.retagged:
        r = report.retagged
        console.print(f"re-tagged {r.chunks} passages ({r.tags} tags) with '{r.taxonomy}'")
    console.print(
        f"[bold]{report.taxonomy_name}[/]: {counted(report.chunks, 'passage')}, "
        f"{report.chunks - report.untagged} tagged, {report.untagged} without an area",
        highlight=False,
    )
    for summary in report.areas:
        a = summary.area
        console.rule(f"[bold]{a.id}[/] {a.name} · {counted(summary.passages, 'passage')}")
        if not summary.passages:
            continue
        docs = ", ".join(f"{d.title} ({d.passages})" for d in summary.documents)
        console.print(f"documents: {docs}", highlight=False)
        table = Table(show_header=True, header_style="bold", expand=True)
        table.add_column("score", justify="right", width=5)
        table.add_column("evidence", ratio=3, overflow="fold")
        table.add_column("citation", ratio=2, overflow="fold")
        for p in summary.top:
            table.add_row(f"{p.score:.2f}", p.evidence, p.citation)
        console.print(table)
        if summary.actors:
            names = ", ".join(f"{x['name']} ({x['mentions']})" for x in summary.actors)
            console.print(f"actors: {names}", highlight=False)


@areas_app.command()
def calibrate(
    passages: Annotated[
        Path,
        typer.Argument(
            help='Labelled passages: JSON list or JSON Lines of {"text": …, "areas": [ids]}.'
        ),
    ],
    taxonomy: TaxonomyOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the calibrated taxonomy here (default: update the --taxonomy file).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Fit and report, write nothing.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Fit a taxonomy's thresholds on your labelled passages and write them into the file.

    Each passage is embedded as ingest does and scored against every area; the shared threshold
    maximises micro-F1, each area's own is shrunk towards it by how many passages it has. Stored
    tags are re-tagged on the next `policyminer areas` run because the file changed.
    """
    with handled():
        result = calibrate_taxonomy(passages, taxonomy, output, dry_run)
    if as_json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    cv = result.micro_f1_cv
    console.print(
        f"{result.passages} passages; shared threshold {result.calibration.threshold:.4f} "
        f"(per-area shrinkage {result.calibration.prior:g} passages); "
        f"micro-F1 in-sample {result.micro_f1:.3f}, "
        + (
            f"{5}-fold cross-validated {cv:.3f}"
            if cv is not None
            else "too few passages to cross-validate"
        ),
        highlight=False,
    )
    table = Table(show_header=True, header_style="bold")
    table.add_column("area")
    table.add_column("passages", justify="right")
    table.add_column("threshold", justify="right")
    for area_id, n, t in zip(
        result.area_ids, result.positives, result.calibration.per_area, strict=True
    ):
        table.add_row(area_id, str(n), f"{t:.4f}")
    console.print(table)
    if result.written:
        console.print(f"wrote thresholds to {result.written}", highlight=False)
