"""Commands that manage the evidence base: ingest, remove, status, docs, show."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from policyminer.cli.app import (
    DEFAULT_INDEX,
    IndexOption,
    JsonOption,
    app,
    console,
    err_console,
    fail,
    handled,
    open_library,
)
from policyminer.ingest import FileResult, IngestProgress, supported_suffixes
from policyminer.records import Document, ParseOptions

if TYPE_CHECKING:
    from rich.progress import Task

    from policyminer.ingest import IngestReport
    from policyminer.pipeline import RunClock

STATUS_STYLE = {
    "added": "green",
    "updated": "yellow",
    "unchanged": "dim",
    "moved": "cyan",
    "duplicate": "dim",
    "failed": "bold red",
}


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    minutes, secs = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ThroughputColumn(ProgressColumn):
    """Pages/s of the run so far and the ETA: the file's on its row, the run's on the files row."""

    def __init__(self) -> None:
        super().__init__()
        self.clock: RunClock | None = None
        self.files_task: int | None = None

    def render(self, task: Task) -> Text:
        clock = self.clock
        if clock is None:
            return Text("")
        if task.id == self.files_task:
            rate = f"{clock.rate:.2f} pages/s" if clock.rate else "– pages/s"
            return Text(f"{rate}  run ETA {_duration(clock.run_eta())}", style="cyan")
        return Text(f"file ETA {_duration(clock.file_eta())}", style="cyan")


class RichIngestProgress:
    """Per-file and per-page progress bars on stderr, and one line per finished file."""

    def __init__(self, progress: Progress, throughput: ThroughputColumn | None = None):
        self.progress = progress
        self.throughput = throughput
        self.files = progress.add_task("files", total=None)
        self.pages = progress.add_task("", total=None, visible=False)
        if throughput is not None:
            throughput.files_task = self.files

    def clock(self, clock: RunClock) -> None:
        if self.throughput is not None:
            self.throughput.clock = clock

    def files_found(self, total: int) -> None:
        self.progress.update(self.files, total=total)

    def file_started(self, path: Path) -> None:
        self.progress.update(
            self.pages, description=path.name, completed=0, total=None, visible=True
        )

    def page_parsed(self, page: int, total: int) -> None:
        self.progress.update(self.pages, completed=page, total=total)

    def stage(self, name: str) -> None:
        self.progress.update(self.pages, description=name)

    def file_done(self, result: FileResult) -> None:
        style = STATUS_STYLE.get(result.status, "")
        detail = result.reason or (
            f"{result.pages} pages, {result.chunks} chunks" if result.pages else ""
        )
        self.progress.console.print(
            f"[{style}]{result.status:>9}[/] {result.path}"
            + (f"  [dim]{detail}[/]" if detail else ""),
            highlight=False,
        )
        if result.status != "failed" or result.doc_id:
            self.progress.advance(self.files)


@app.command()
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="PDF, Word (.docx), PowerPoint (.pptx), Excel (.xlsx) or CSV, saved web pages "
            "(.html), e-mails (.eml, .msg), .txt or .md files, or folders."
        ),
    ],
    index: IndexOption = DEFAULT_INDEX,
    model: Annotated[
        str | None, typer.Option(help="sentence-transformers model name or path.")
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only errors and the summary.")
    ] = False,
    no_ocr: Annotated[
        bool,
        typer.Option(
            "--no-ocr",
            help="Do not OCR scanned pages (a scan is reported instead) or pictures in decks and "
            "Word files.",
        ),
    ] = False,
    page_budget: Annotated[
        float | None,
        typer.Option(
            help="Seconds of layout per page before the page is read as plain text "
            "(default 5, or $POLICYMINER_PAGE_BUDGET; 0 = no limit).",
            min=0,
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            help="Worker processes that parse the next files while the current one is "
            "embedded (0: parse in the main process; default: 1 on up to 4 cores).",
        ),
    ] = None,
    ray: Annotated[
        str | None,
        typer.Option(
            "--ray",
            metavar="ADDRESS",
            help="Fan documents out to a Ray cluster (its address, or 'local' to start one "
            "here); needs --index postgresql://….",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", min=1, help="Ray workers (one model load each; default: cluster CPUs)."
        ),
    ] = None,
) -> None:
    """Add new and changed documents to the evidence base; unchanged files are skipped."""
    library = open_library(index, model)
    options = ParseOptions(page_budget=page_budget, ocr=not no_ocr)
    with handled():
        if quiet:
            report = library.ingest(
                paths,
                progress=IngestProgress(),
                options=options,
                jobs=jobs,
                ray=ray,
                workers=workers,
            )
        else:
            throughput = ThroughputColumn()
            columns = (
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                throughput,
            )
            with Progress(*columns, console=err_console, transient=True) as bar:
                progress = RichIngestProgress(bar, throughput)
                report = library.ingest(
                    paths, progress=progress, options=options, jobs=jobs, ray=ray, workers=workers
                )
    for result in report.results:
        for warning in result.warnings:
            err_console.print(f"[bold yellow]warning:[/] {result.path}: {warning}", highlight=False)
    for result in report.failed:
        err_console.print(f"[bold red]error:[/] {result.path}: {result.reason}", highlight=False)
    if report.skipped:
        err_console.print(f"[yellow]{report.skipped_summary()}[/]", highlight=False)
    summary = ", ".join(
        f"{report.count(s)} {s}"
        for s in ("added", "updated", "unchanged", "moved", "duplicate", "failed")
        if report.count(s)
    )
    if not report.results:
        summary = f"no supported files ({', '.join(sorted(supported_suffixes()))}) found"
    err_console.print(
        f"[bold]ingest:[/] {summary or 'nothing to do'} → {library.where}", highlight=False
    )
    if report.pages:
        err_console.print(_time_summary(report), highlight=False)
    raise typer.Exit(report.exit_code)


def _time_summary(report: IngestReport) -> str:
    """One line: pages/s of the run and where the time went, biggest stage first."""
    total = report.seconds or 1.0
    stages = sorted(report.timings.items(), key=lambda kv: -kv[1])
    where = ", ".join(f"{name} {secs:.1f} s ({secs / total:.0%})" for name, secs in stages)
    return (
        f"[bold]time:[/] {report.pages} pages in {report.seconds:.1f} s = "
        f"{report.pages_per_second or 0:.2f} pages/s; {where}"
    )


@app.command()
def remove(
    docs: Annotated[
        list[str], typer.Argument(help="Document ids (see `policyminer docs`) or paths.")
    ],
    yes: Annotated[
        bool,
        typer.Option(
            "--yes", "-y", help="Do not ask (for scripts); an id prefix is still refused."
        ),
    ] = False,
    index: IndexOption = DEFAULT_INDEX,
) -> None:
    """Remove documents and everything derived from them (asks first on a terminal)."""
    library = open_library(index)
    with handled():
        library.require()
    if not yes and not sys.stdin.isatty():
        raise fail("remove asks before deleting; pass --yes to remove without asking", 2)
    with handled():
        report = library.remove(docs, confirm=None if yes else _ask_remove)
    for doc_id in report.removed:
        console.print(f"removed {doc_id}")
    for ref in report.missing:
        err_console.print(
            f"[bold red]error:[/] {ref}: no such document in {library.where}",
            highlight=False,
        )
    for ref in report.declined:
        err_console.print(
            f"[bold red]error:[/] {ref}: not removed (give the full id, see `policyminer docs`)",
            highlight=False,
        )
    raise typer.Exit(report.exit_code)


def _ask_remove(ref: str, doc: Document, exact: bool) -> bool:
    """Ask on the terminal before removing one document."""
    how = "" if exact else f" (matched by the prefix '{ref}')"
    return typer.confirm(f"remove {doc.id} — {doc.title}{how}?", default=False, err=True)


@app.command()
def status(index: IndexOption = DEFAULT_INDEX, as_json: JsonOption = False) -> None:
    """Counts, documents changed or missing on disk, and index consistency."""
    library = open_library(index)
    with handled():
        report = library.status()
    if as_json:
        where = library.where if library.is_server else str(library.index_dir.absolute())
        payload = {**report.to_dict(), "index": where}
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    counts = report.counts
    console.print(
        f"[bold]{library.where}[/]: {counts['documents']} documents, {counts['pages']} pages, "
        f"{counts['chunks']} chunks, {counts['vectors']} vectors "
        f"([dim]{report.embedding_model or 'no embeddings yet'}[/])",
        highlight=False,
    )
    for doc in report.stale:
        if doc.state == "rechunk":
            console.print(
                f"[yellow]stale[/] {doc.id}: chunked by an older policyminer ({doc.path}); "
                "run ingest on it again to re-chunk it"
            )
            continue
        console.print(
            f"[yellow]stale[/] {doc.id}: file {doc.state} ({doc.path}); run ingest or remove"
        )
    if not report.indexes.get("ok", True):
        console.print(f"[bold red]index mismatch:[/] {report.indexes}; run `policyminer reindex`")
    elif not report.stale:
        console.print("[green]up to date[/]")


@app.command()
def docs(index: IndexOption = DEFAULT_INDEX, as_json: JsonOption = False) -> None:
    """List the documents in the evidence base."""
    with handled():
        documents = open_library(index).documents()
    if as_json:
        typer.echo(json.dumps([d.to_dict() for d in documents], ensure_ascii=False))
        return
    id_width = max((len(d.id) for d in documents), default=2)
    if console.width < id_width + DOCS_TABLE_REST:
        _print_documents_as_lines(documents)
        return
    table = Table()
    # The id is what users type into --doc, remove and show: never cut it; the title gives way.
    table.add_column("id", no_wrap=True, min_width=id_width)
    for name in ("title", "publisher", "year", "pages", "chunks"):
        table.add_column(name, justify="left" if name in ("title", "publisher") else "right")
    for d in documents:
        title = d.title if len(d.title) <= 48 else d.title[:47] + "…"
        table.add_row(d.id, title, d.publisher or "", str(d.year or ""), _pages(d), str(d.chunks))
    console.print(table)


def _pages(d: Document) -> str:
    """Page count, saying how many of the pages OCR read (their text may hold misreadings)."""
    return f"{d.pages} ({d.ocr_pages} OCR)" if d.ocr_pages else str(d.pages)


# columns the docs table needs beside the id: a readable title, the short columns, the borders
DOCS_TABLE_REST = 64


def _print_documents_as_lines(documents: Sequence[Document]) -> None:
    """Each document as its id on a line of its own and the rest below: a terminal too narrow
    for the table would squeeze every other column to nothing beside the whole ids."""
    for d in documents:
        facts = [
            d.title,
            d.publisher or "",
            str(d.year or ""),
            f"{d.pages} pages" + (f" ({d.ocr_pages} read by OCR)" if d.ocr_pages else ""),
            f"{d.chunks} chunks",
        ]
        console.print(f"[bold]{escape(d.id)}[/]", highlight=False)
        console.print("  " + escape(" · ".join(f for f in facts if f)), highlight=False)


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def show(
    doc: Annotated[str, typer.Argument(help="Document id or path.")],
    index: IndexOption = DEFAULT_INDEX,
    fmt: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = ShowFormat.text,
) -> None:
    """Print a document's extracted text, page by page, as the parser saw it."""
    with handled():
        shown = open_library(index).show(doc)
    if fmt is ShowFormat.json:
        typer.echo(json.dumps(shown.to_dict(), ensure_ascii=False))
        return
    current = None
    unit = shown.document.unit  # a deck's slide; a Word file's or a sheet's part
    for p in shown.paragraphs:
        if p.page != current:
            current = p.page
            printed = shown.printed.get(p.page, "")
            note = f" (printed {printed})" if printed and printed != str(p.page) else ""
            typer.echo(f"\n--- {unit} {p.page}{note} ---\n")
        text = p.marked_text()
        typer.echo(f"[{p.kind}] {text}" if p.kind in ("footnote", "table") else text)
        typer.echo("")
