"""The ingest pipeline: files → parse → chunk → embed → enrich → one catalog transaction each.

A file that fails never touches what was indexed before; a document is written whole in one
transaction or not at all, so an interrupted ingest leaves every document fully in or not in and
the next run completes the rest. Derived search indexes are synced from the catalog at the end.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache, partial
from pathlib import Path

import numpy as np

from policyminer.enrich.areas import retag, tag_writer
from policyminer.errors import IngestError
from policyminer.index.chunking import CHUNKER_VERSION, body_text, make_chunks, sentence_spans
from policyminer.index.sync import (
    IndexHealth,
    check_indexes,
    embed_with_sentences_in_batches,
    rebuild_indexes,
    sync_indexes,
)
from policyminer.index.vectors import catalog_model
from policyminer.models.embedders import load_passage_embedder
from policyminer.parse.converted import (
    CONVERTED_SUFFIXES,
    CONVERTERS,
    converted_suffixes,
    converter_for,
    office_converter,
    parse_converted,
)
from policyminer.parse.mail import parse_eml
from policyminer.parse.outlook import parse_msg
from policyminer.parse.pagekinds import mark_page_kinds
from policyminer.parse.pdf import ParseError, parse_pdf, sha256_file
from policyminer.parse.sheets import SHEET_SUFFIXES, parse_csv, parse_xlsx
from policyminer.parse.slides import PPTX_SUFFIXES, parse_pptx
from policyminer.parse.textfiles import parse_text
from policyminer.parse.webpage import parse_html
from policyminer.parse.word import parse_docx
from policyminer.pipeline import ParseAhead, RunClock, StageTimer, default_jobs, estimate_pages
from policyminer.records import Chunk, ParsedDocument, ParseOptions
from policyminer.store.backend import AnyCatalog, Location, existing_catalog, open_catalog
from policyminer.store.catalog import Catalog, DerivedWriter
from policyminer.store.paths import is_server_url

# the reader of each file type but PDF (which also takes progress and options) and the types
# LibreOffice converts (parse.converted); a deck's and a Word file's reader also take options
# (whether to OCR their pictures)
READERS: dict[str, Callable[..., ParsedDocument]] = {
    ".txt": parse_text,
    ".md": parse_text,
    ".docx": parse_docx,
    **dict.fromkeys(sorted(PPTX_SUFFIXES), parse_pptx),
    **dict.fromkeys(sorted(SHEET_SUFFIXES), parse_xlsx),
    ".csv": parse_csv,
    ".html": parse_html,
    ".htm": parse_html,
    ".eml": parse_eml,
    ".msg": parse_msg,
}
SUPPORTED_SUFFIXES = {".pdf", *READERS}
PICTURE_READERS = frozenset({".docx", *PPTX_SUFFIXES})
# files a user can save in a supported format from the program that made them, and that
# format: those LibreOffice reads (where it is installed, see parse.converted), and
# WordPerfect, Keynote and Numbers files, which nothing here reads
SAVE_AS = {
    **{suffix: f".{c.target}" for c in CONVERTERS for suffix in sorted(c.suffixes)},
    ".wpd": ".docx",
    ".key": ".pptx",
    ".numbers": ".xlsx",
}


# hidden files, and the owner files Word and LibreOffice keep beside a document while it is
# open ("~$notat.docx", 162 bytes: no document), which shared folders are full of
TEMPORARY_PREFIXES = (".", "~$")


def _how_to_add(kinds: Iterable[str]) -> str:
    """A hint for skipped office files: how to get them in ("" for other files)."""
    targets: dict[str, list[str]] = {}
    for kind in kinds:
        if kind in SAVE_AS:
            targets.setdefault(SAVE_AS[kind], []).append(kind)
    if not targets:
        return ""
    missing = {kind for kind in kinds if kind in CONVERTED_SUFFIXES} - converted_suffixes()
    install = f"install {_missing_office(missing)}, or " if missing else ""
    saves = ", ".join(f"{', '.join(found)} files as {to} or PDF" for to, found in targets.items())
    return f" ({install}save {saves} to add them)"


def _missing_office(kinds: Iterable[str]) -> str:
    """What to install for files LibreOffice would read: itself, or the parts it lacks here."""
    if office_converter() is None:
        return "LibreOffice"
    parts = sorted({c.office.name for kind in kinds if (c := converter_for(kind)) is not None})
    return f"LibreOffice {' and '.join(parts)}"


def supported_suffixes() -> set[str]:
    """The file types ingest reads here: those LibreOffice converts too where it is installed
    with the part each needs (.doc with Writer, .ppt with Impress, .xls with Calc, …)."""
    return SUPPORTED_SUFFIXES | set(converted_suffixes())


@dataclass(frozen=True)
class FileResult:
    """What happened to one input file."""

    path: Path
    status: str  # added | updated | unchanged | moved | duplicate | failed
    doc_id: str | None = None
    reason: str = ""
    pages: int = 0
    chunks: int = 0
    warnings: tuple[str, ...] = ()  # pages read plain, pages OCR could not read


@dataclass
class IngestReport:
    """The outcome of one ingest run."""

    results: list[FileResult] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # files in folders of unsupported types
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage (pipeline.STAGES)
    cpu_timings: dict[str, float] = field(default_factory=dict)  # CPU seconds, same stages
    seconds: float = 0.0  # wall clock of the whole run

    @property
    def pages(self) -> int:
        """Pages of the files that were parsed and indexed in this run."""
        return sum(r.pages for r in self.results if r.status in ("added", "updated"))

    @property
    def pages_per_second(self) -> float | None:
        """Indexed pages per second of the whole run, or None when nothing was indexed."""
        return self.pages / self.seconds if self.pages and self.seconds > 0 else None

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    def skipped_summary(self) -> str:
        """One line, e.g. "skipped 3 files: .xlsx 2, .csv 1" ("" when nothing was skipped)."""
        if not self.skipped:
            return ""
        kinds = Counter(p.suffix.lower() or "(no extension)" for p in self.skipped)
        counts = ", ".join(f"{kind} {n}" for kind, n in kinds.most_common())
        noun = "file" if len(self.skipped) == 1 else "files"
        return f"skipped {len(self.skipped)} {noun}: {counts}{_how_to_add(kinds)}"

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def exit_code(self) -> int:
        """2 when a file failed or nothing supported was found, else 0."""
        return 2 if self.failed or not self.results else 0


class IngestProgress:
    """Callbacks for a progress display; the default does nothing."""

    def files_found(self, total: int) -> None: ...
    def file_started(self, path: Path) -> None: ...
    def page_parsed(self, page: int, total: int) -> None: ...
    def stage(self, name: str) -> None: ...
    def file_done(self, result: FileResult) -> None: ...
    def clock(self, clock: RunClock) -> None: ...  # pages/s and ETAs, read while the run goes


def discover(
    paths: Iterable[Path], skipped: list[Path] | None = None
) -> tuple[list[Path], list[FileResult]]:
    """Supported files under the given files and folders (recursive), and unusable paths.

    Files of other types found in folders are appended to `skipped` (hidden ones are not).
    """
    found: list[Path] = []
    problems: list[FileResult] = []
    supported = supported_suffixes()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path, onerror=None):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith(TEMPORARY_PREFIXES):
                        continue
                    if Path(name).suffix.lower() in supported:
                        found.append(Path(root) / name)
                    elif skipped is not None:
                        skipped.append(Path(root) / name)
        elif path.is_file():
            readable = SUPPORTED_SUFFIXES | CONVERTED_SUFFIXES
            if path.suffix.lower() in readable:
                found.append(path)  # named on its own: without LibreOffice, the reader says so
            else:
                kinds = ", ".join(sorted(readable))
                reason = f"unsupported file type '{path.suffix}' (use {kinds})"
                problems.append(FileResult(path, "failed", reason=reason))
        elif path.is_symlink():
            problems.append(FileResult(path, "failed", reason="broken symbolic link"))
        else:
            problems.append(FileResult(path, "failed", reason="no such file or folder"))
    # Deduplicate by the real file, but keep the name the user sees (a symlink stays itself).
    unique: dict[Path, Path] = {}
    for file in found:
        # ".." folded away (without following links), so `show PATH` finds what was stored
        unique.setdefault(file.resolve(), Path(os.path.normpath(file.absolute())))
    return list(unique.values()), problems


def parse_file(
    path: Path,
    progress: Callable[[int, int], None] | None = None,
    sha256: str | None = None,
    options: ParseOptions | None = None,
) -> ParsedDocument:
    """Parse a supported file into paragraphs with pages and sections."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        parsed = parse_pdf(path, progress=progress, sha256=sha256, options=options)
    elif suffix in CONVERTED_SUFFIXES:
        parsed = parse_converted(path, sha256=sha256, options=options)
    elif suffix in PICTURE_READERS:  # its pictures are read by OCR as the user chose
        parsed = READERS[suffix](path, sha256=sha256, options=options)
    else:
        parsed = READERS.get(suffix, parse_text)(path, sha256=sha256)
    # contents pages and reference lists are chunked apart so that search can leave them out
    parsed.paragraphs = mark_page_kinds(parsed.paragraphs)
    return parsed


class Enricher:
    """Loads the embedding model (and the NER pipeline and area tagger) once, on first need."""

    def __init__(self, catalog: AnyCatalog, model: str | None, timer: StageTimer | None = None):
        self.catalog = catalog
        self.model = model
        self.timer = timer or StageTimer()
        self._embedder = None

    @property
    def embedder(self):
        if self._embedder is None:
            with self.timer.stage("load"):
                self._embedder = _passage_embedder(self.model)
            check_model(self.catalog, self._embedder.name, self._embedder.dim)
        return self._embedder

    def meta(self) -> dict[str, str]:
        return {"embedding_model": self.embedder.name, "embedding_dim": str(self.embedder.dim)}

    def derived(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> list[DerivedWriter]:
        """Writers for what the enrichment stages derive from the chunks (actors, areas)."""
        # enrich.actors imports spaCy (seconds): loaded when a document is first enriched.
        from policyminer.enrich.actors import mention_writer
        from policyminer.enrich.ner import load_pipeline

        with self.timer.stage("load"):
            load_pipeline()  # once per process; timed apart from the NER pass itself
        with self.timer.stage("ner"):
            mentions = mention_writer(chunks)  # runs the NER now, outside the transaction
        return [mentions, self.timer.timed("tag", tag_writer(chunks, vectors))]


@lru_cache(maxsize=2)
def _passage_embedder(model: str | None):
    """One loaded model per process: loading costs seconds, ingest may run many times."""
    return load_passage_embedder(model)


def check_model(catalog: AnyCatalog, name: str, dim: int) -> None:
    """Refuse to mix vectors of two embedding models in one index."""
    stored = catalog.get_meta("embedding_model")
    if stored and stored != name and catalog.counts()["vectors"]:
        raise IngestError(
            f"this index was embedded with '{stored}', not '{name}'; use --model '{stored}', "
            f"or re-embed everything with: policyminer reindex --model '{name}'"
        )
    stored_dim = catalog.get_meta("embedding_dim")
    if stored_dim and int(stored_dim) != dim and catalog.counts()["vectors"]:
        raise IngestError(f"this index holds {stored_dim}-d vectors; '{name}' gives {dim}-d")


def ingest_paths(
    paths: Sequence[Path],
    index_dir: Location,
    model: str | None = None,
    progress: IngestProgress | None = None,
    options: ParseOptions | None = None,
    jobs: int | None = None,
) -> IngestReport:
    """Add new and changed files to the index; skip unchanged ones; report every failure.

    `options` sets the per-page layout time budget and whether scanned pages are read by OCR.
    ``jobs``: worker processes that parse the next files while this one embeds and tags the
    current one (0: parse inline; default: :func:`pipeline.default_jobs`).
    """
    started = time.perf_counter()
    progress = progress or IngestProgress()
    skipped: list[Path] = []
    files, problems = discover(paths, skipped)
    report = IngestReport(results=list(problems), skipped=skipped)
    timer = StageTimer()
    for result in problems:
        progress.file_done(result)
    progress.files_found(len(files))
    planned = {path: estimate_pages(path) for path in files}
    clock = RunClock(planned, one_off=lambda: timer.seconds.get("load", 0.0))
    if hasattr(progress, "clock"):  # progress displays written before ETAs had no such hook
        progress.clock(clock)
    jobs = (default_jobs() if jobs is None else jobs) if len(files) > 1 else 0
    parse = partial(parse_file, options=options)  # picklable: workers get it by module name
    with (
        open_catalog(index_dir) as catalog,
        ParseAhead(parse, jobs) as ahead,
    ):
        enricher = Enricher(catalog, model, timer)
        for n, path in enumerate(files):
            ahead.prefetch(files[n + 1 :], lambda p: _needs_parse(catalog, p))
            progress.file_started(path)
            clock.file_started(path)
            result = ingest_file(catalog, enricher, path, progress, ahead.parser(path), timer)
            report.results.append(result)
            clock.file_done(path, result.pages, result.status in ("added", "updated"))
            progress.file_done(result)
        progress.stage("indexes")
        with timer.stage("index"):
            sync_indexes(catalog)
    _drop_legacy_sentence_cache(index_dir)
    report.timings, report.cpu_timings = timer.ordered(), timer.ordered(cpu=True)
    report.seconds = time.perf_counter() - started
    return report


# Versions before 0.6 embedded every sentence a second time into this file; sentence vectors
# now come from the passage pass and live in the catalog.
_LEGACY_SENTENCE_CACHE = "answer-sentences.sqlite"


def _drop_legacy_sentence_cache(location: Location) -> None:
    if is_server_url(location):
        return  # a database never had the file
    with contextlib.suppress(OSError):  # a stale cache file costs disk space only
        (Path(location) / _LEGACY_SENTENCE_CACHE).unlink(missing_ok=True)


def _needs_parse(catalog: AnyCatalog, path: Path) -> bool:
    """False when the file is indexed unchanged under this path (so parsing it is wasted)."""
    existing = catalog.document_by_path(path)
    try:
        return (
            not existing
            or existing.sha256 != sha256_file(path)
            or not chunked_now(catalog, existing.id)
        )
    except OSError:
        return False


def _chunker_key(doc_id: str) -> str:
    return f"chunker_version:{doc_id}"


def chunked_now(catalog: Catalog, doc_id: str) -> bool:
    """Whether a document's chunks were made by this version of the chunker."""
    return catalog.get_meta(_chunker_key(doc_id)) == str(CHUNKER_VERSION)


def ingest_file(
    catalog: AnyCatalog,
    enricher: Enricher,
    path: Path,
    progress: IngestProgress,
    parse: Callable[..., ParsedDocument] = parse_file,
    timer: StageTimer | None = None,
) -> FileResult:
    """Ingest one file; any failure is reported, never raised, and changes nothing."""
    with catalog.file_lock(path):  # a second ingest of this file waits, then finds it unchanged
        return _ingest_file(catalog, enricher, path, progress, parse, timer)


def _ingest_file(
    catalog: AnyCatalog,
    enricher: Enricher,
    path: Path,
    progress: IngestProgress,
    parse: Callable[..., ParsedDocument],
    timer: StageTimer | None,
) -> FileResult:
    """ingest_file under its file lock."""
    timer = timer or enricher.timer
    try:
        digest = sha256_file(path)
    except OSError as err:
        return FileResult(path, "failed", reason=f"cannot read: {err.strerror or err}")
    existing = catalog.document_by_path(path)
    # a document chunked by an older chunker is done again, as if its file had changed
    if existing and existing.sha256 == digest and chunked_now(catalog, existing.id):
        return FileResult(
            path, "unchanged", existing.id, pages=existing.pages, chunks=existing.chunks
        )
    if not existing:
        same = _document_with_sha(catalog, digest)
        if same and not Path(same.path).exists():
            catalog.move_document(same.id, path)
            return FileResult(path, "moved", same.id, pages=same.pages, chunks=same.chunks)
        if same:
            return FileResult(path, "duplicate", same.id, reason=f"same content as {same.path}")
    try:
        with timer.stage("parse"):
            parsed = parse(path, progress=progress.page_parsed, sha256=digest)
    except ParseError as err:
        return FileResult(path, "failed", reason=str(err))
    progress.stage("chunks")
    with timer.stage("chunk"):
        body = body_text(parsed.paragraphs)
        chunks = make_chunks(parsed.paragraphs, body)
    if not chunks:
        return FileResult(path, "failed", reason="no text found to index")
    progress.stage("embeddings")
    texts = [c.text for c in chunks]
    spans = [sentence_spans(t) for t in texts]
    embedder = enricher.embedder
    with timer.stage("embed"):
        vectors, sentence_vectors = embedder.embed_passages_with_spans(texts, spans)
    progress.stage("entities")
    derived = [
        sentence_writer(spans, sentence_vectors),
        chunker_version_writer(),
        *enricher.derived(chunks, vectors),
    ]
    progress.stage("writing")
    with timer.stage("write"):
        doc_id, _ = catalog.put_document(
            parsed, body.offsets, chunks, vectors, meta=enricher.meta(), derived=derived
        )
    status = "updated" if existing else "added"
    return FileResult(
        path,
        status,
        doc_id,
        pages=parsed.page_count,
        chunks=len(chunks),
        warnings=tuple(parsed.warnings),
    )


def sentence_writer(
    spans: Sequence[Sequence[tuple[int, int]]], vectors: Sequence[np.ndarray]
) -> DerivedWriter:
    """Writes each chunk's sentence vectors in the document's transaction (either backend)."""

    def write(db, doc_id: str, chunk_ids: list[int]) -> None:
        if isinstance(db, sqlite3.Connection):
            Catalog._put_sentence_vectors(db, chunk_ids, spans, vectors)
        else:  # the PostgreSQL backend's transaction
            db.put_sentence_vectors(chunk_ids, spans, vectors)

    return write


def chunker_version_writer() -> DerivedWriter:
    """Records which chunker made the document's chunks, in the document's transaction: a kill
    between the two would leave a whole document that the next ingest redoes for nothing."""

    def write(db, doc_id: str, chunk_ids: list[int]) -> None:
        if isinstance(db, sqlite3.Connection):
            Catalog.put_meta(db, _chunker_key(doc_id), str(CHUNKER_VERSION))
        else:  # the PostgreSQL backend's transaction
            db.set_meta(_chunker_key(doc_id), str(CHUNKER_VERSION))

    return write


def _document_with_sha(catalog: AnyCatalog, digest: str):
    return catalog.document_by_sha(digest)


def remove_documents(refs: Sequence[str], index_dir: Location) -> tuple[list[str], list[str]]:
    """Remove documents by id or path; returns (removed ids, refs not found)."""
    removed, missing = [], []
    with open_catalog(index_dir) as catalog:
        for ref in refs:
            doc = catalog.resolve(ref)
            if doc and catalog.remove_document(doc.id):
                removed.append(doc.id)
            else:
                missing.append(ref)
        if removed:
            sync_indexes(catalog)
    return removed, missing


@dataclass(frozen=True)
class StaleDocument:
    """A document whose file changed or disappeared since it was ingested."""

    id: str
    path: str
    state: str  # changed | missing | rechunk (chunked by an older version: ingest it again)


@dataclass
class EvidenceStatus:
    """Counts, stale documents and index health for `policyminer status`."""

    counts: dict[str, int]
    schema_version: int
    embedding_model: str | None
    stale: list[StaleDocument]
    indexes: dict[str, object]

    @property
    def ok(self) -> bool:
        return not self.stale and bool(self.indexes.get("ok", True))

    def to_dict(self) -> dict[str, object]:
        """The `status --json` shape."""
        return {
            **self.counts,
            "schema_version": self.schema_version,
            "embedding_model": self.embedding_model,
            "stale": [asdict(s) for s in self.stale],
            "indexes": self.indexes,
        }


def evidence_status(index_dir: Location) -> EvidenceStatus:
    """What the index holds, which files changed on disk since, and whether indexes agree.

    Raises NoIndexError (and creates nothing) when there is no index at ``index_dir``.
    """
    with existing_catalog(index_dir) as catalog:
        stale = []
        for doc in catalog.documents():
            path = Path(doc.path)
            if not path.exists():
                stale.append(StaleDocument(doc.id, doc.path, "missing"))
            elif sha256_file(path) != doc.sha256:
                stale.append(StaleDocument(doc.id, doc.path, "changed"))
            elif not chunked_now(catalog, doc.id):
                stale.append(StaleDocument(doc.id, doc.path, "rechunk"))

        health = check_indexes(catalog)
        return EvidenceStatus(
            counts=catalog.counts(),
            schema_version=catalog.schema_version,
            embedding_model=catalog.get_meta("embedding_model"),
            stale=stale,
            indexes=health.as_dict(),
        )


@dataclass
class ReindexReport:
    """What `policyminer reindex` did."""

    embedded: int
    model: str | None
    health: IndexHealth


def reindex(
    index_dir: Location,
    model: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ReindexReport:
    """Repair the indexes from the catalog; with a model, re-embed every chunk with it first.

    Without a model, chunks that lack a vector or sentence vectors (indexes made before
    sentence vectors were stored) are embedded with the catalog's model. The new vectors
    replace the old ones in one catalog transaction, so an interrupted re-embedding leaves the
    previous model's vectors in place.
    """
    with open_catalog(index_dir) as catalog:
        stored_model, _ = catalog_model(catalog)
        chunks = catalog.chunks() if model else _chunks_to_complete(catalog)
        embedded = 0
        if chunks:
            embedder = load_passage_embedder(model or stored_model)
            texts = [c.text for c in chunks]
            spans = [sentence_spans(t) for t in texts]
            vectors, sentence_vectors = embed_with_sentences_in_batches(
                embedder, texts, spans, progress
            )
            meta = {"embedding_model": embedder.name, "embedding_dim": str(embedder.dim)}
            ids = [c.id for c in chunks]
            catalog.put_vectors(ids, vectors, meta, sentences=(spans, sentence_vectors))
            embedded = len(chunks)
        rebuild_indexes(catalog)
        if model and embedded:
            # Area tags were scored against the old vectors; re-tag from the new ones.
            retag(catalog)
        return ReindexReport(embedded, catalog.get_meta("embedding_model"), check_indexes(catalog))


def _chunks_to_complete(catalog: AnyCatalog) -> list:
    """Chunks that lack their passage vector or their sentence vectors, in id order."""
    by_id = {c.id: c for c in catalog.chunks_without_vectors()}
    by_id.update((c.id, c) for c in catalog.chunks_without_sentence_vectors())
    return [by_id[i] for i in sorted(by_id)]
