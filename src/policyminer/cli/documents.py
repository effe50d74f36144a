"""Commands that manage the evidence base: ingest, remove, status, docs, show."""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
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
)

if TYPE_CHECKING:
    from rich.progress import Task

    from policyminer.ingest import IngestReport
    from policyminer.pipeline import RunClock
    from policyminer.store.catalog import Catalog

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

    def file_done(self, result) -> None:
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
        list[Path], typer.Argument(help="PDF, .txt or .md files, or folders (recursive).")
    ],
    index: IndexOption = DEFAULT_INDEX,
    model: Annotated[
        str | None, typer.Option(help="sentence-transformers model name or path.")
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only errors and the summary.")
    ] = False,
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
) -> None:
    """Add new and changed documents to the evidence base; unchanged files are skipped."""
    from policyminer.ingest import IngestError, IngestProgress, ingest_paths

    try:
        if quiet:
            report = ingest_paths(paths, index, model=model, progress=IngestProgress(), jobs=jobs)
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
                report = ingest_paths(paths, index, model=model, progress=progress, jobs=jobs)
    except IngestError as err:
        raise fail(str(err)) from None
    for result in report.failed:
        err_console.print(f"[bold red]error:[/] {result.path}: {result.reason}", highlight=False)
    summary = ", ".join(
        f"{report.count(s)} {s}"
        for s in ("added", "updated", "unchanged", "moved", "duplicate", "failed")
        if report.count(s)
    )
    err_console.print(f"[bold]ingest:[/] {summary or 'nothing to do'} → {index}", highlight=False)
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
    index: IndexOption = DEFAULT_INDEX,
) -> None:
    """Remove documents and everything derived from them."""
    from policyminer.ingest import remove_documents

    _existing(index).close()
    removed, missing = remove_documents(docs, index)
    for doc_id in removed:
        console.print(f"removed {doc_id}")
    for ref in missing:
        err_console.print(
            f"[bold red]error:[/] {ref}: no such document in {index}", highlight=False
        )
    raise typer.Exit(2 if missing else 0)


@app.command()
def status(index: IndexOption = DEFAULT_INDEX, as_json: JsonOption = False) -> None:
    """Counts, documents changed or missing on disk, and index consistency."""
    from policyminer.ingest import evidence_status
    from policyminer.store.catalog import NoIndexError

    try:
        report = evidence_status(index)
    except NoIndexError as err:
        raise fail(str(err)) from None
    if as_json:
        payload = {
            **report.counts,
            "schema_version": report.schema_version,
            "embedding_model": report.embedding_model,
            "stale": [asdict(s) for s in report.stale],
            "indexes": report.indexes,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    counts = report.counts
    console.print(
        f"[bold]{index}[/]: {counts['documents']} documents, {counts['pages']} pages, "
        f"{counts['chunks']} chunks, {counts['vectors']} vectors "
        f"([dim]{report.embedding_model or 'no embeddings yet'}[/])",
        highlight=False,
    )
    for doc in report.stale:
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
    with _existing(index) as catalog:
        documents = catalog.documents()
    if as_json:
        rows = [
            {
                "id": d.id,
                "title": d.title,
                "path": d.path,
                "pages": d.pages,
                "chunks": d.chunks,
                "sha256": d.sha256,
                "publisher": d.publisher,
                "year": d.year,
                "added_at": d.added_at,
                "updated_at": d.updated_at,
            }
            for d in documents
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table()
    # The id is what users type into --doc, remove and show: never cut it; the title gives way.
    table.add_column("id", no_wrap=True, min_width=max((len(d.id) for d in documents), default=2))
    for name in ("title", "publisher", "year", "pages", "chunks"):
        table.add_column(name, justify="left" if name in ("title", "publisher") else "right")
    for d in documents:
        title = d.title if len(d.title) <= 48 else d.title[:47] + "…"
        table.add_row(
            d.id, title, d.publisher or "", str(d.year or ""), str(d.pages), str(d.chunks)
        )
    console.print(table)


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
    with _existing(index) as catalog:
        found = catalog.resolve(doc)
        if not found:
            raise fail(f"{doc}: no such document in {index} (see `policyminer docs`)")
        paragraphs = catalog.paragraphs(found.id)
    if fmt is ShowFormat.json:
        pages: dict[int, list[dict[str, str]]] = {}
        for p in paragraphs:
            pages.setdefault(p.page, []).append(
                {"text": p.text, "section": p.section, "kind": p.kind}
            )
        payload = {
            "id": found.id,
            "title": found.title,
            "pages": [{"page": n, "paragraphs": paras} for n, paras in sorted(pages.items())],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    current = None
    for p in paragraphs:
        if p.page != current:
            current = p.page
            typer.echo(f"\n--- page {p.page} ---\n")
        typer.echo(f"[{p.kind}] {p.text}" if p.kind in ("footnote", "table") else p.text)
        typer.echo("")


def _existing(index: Path) -> Catalog:
    """The index's catalog, or a one-line error if there is no index (nothing is created)."""
    from policyminer.store.catalog import Catalog, NoIndexError

    try:
        return Catalog.existing(index)
    except NoIndexError as err:
        raise fail(str(err)) from None
