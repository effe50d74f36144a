"""The public facade: one object with the operations of the CLI, typed records in and out.

    from policyminer import Library

    with Library("indexes/default") as lib:
        lib.ingest(["corpus/"])
        for hit in lib.search("digital hjemmeoppfølging", k=3).hits:
            print(hit.title, hit.page, hit.chunk.section)
        print(lib.ask("Hva er budsjettet?").answer)

Every method raises a subclass of ``policyminer.errors.PolicyminerError`` with the one-line
message the CLI prints. The CLI (and the web UI) call only this class; it is also where the
stages are composed (document references resolved once, area filters handed to search, ask and
actors), so the stage modules need not import each other.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policyminer.answer.answer import Answerer
from policyminer.answer.citations import Answer
from policyminer.distributed import ingest_on_ray
from policyminer.enrich.areas import (
    AreaReport,
    Tagging,
    Taxonomy,
    area_report,
    chunk_ids_for_area,
    load_taxonomy,
    tag_texts,
)
from policyminer.enrich.calibrate import CalibrationResult, read_labelled
from policyminer.enrich.calibrate import calibrate as fit_thresholds
from policyminer.enrich.labels import LABELS, ORG_TYPES
from policyminer.errors import NoIndexError, UnknownDocumentError, UsageError
from policyminer.index.lexical import highlight_spans
from policyminer.ingest import (
    EvidenceStatus,
    IngestProgress,
    IngestReport,
    ReindexReport,
    evidence_status,
    ingest_paths,
    reindex,
    remove_documents,
)
from policyminer.records import Document, ParseOptions
from policyminer.retrieve.search import FUSIONS, MODES, Filters, Hit, Searcher
from policyminer.store.backend import (
    AnyCatalog,
    Location,
    catalog_exists,
    location_name,
    open_catalog,
)
from policyminer.store.catalog import StoredParagraph
from policyminer.store.migrate import MigrateReport
from policyminer.store.migrate import migrate as migrate_catalog
from policyminer.store.paths import default_index_dir, is_server_url, server_cache_dir

if TYPE_CHECKING:
    from policyminer.enrich.actors import Actor

INDEX_ENV = "POLICYMINER_INDEX"


def resolve_index_dir(index_dir: Path | str | None = None) -> Path | str:
    """The index to use: the one given, else $POLICYMINER_INDEX, else the default directory.

    A ``postgresql://`` URL is returned as the string it is (a Path would fold its "//").
    """
    if index_dir is not None and str(index_dir) != "":
        return str(index_dir) if is_server_url(str(index_dir)) else Path(index_dir).expanduser()
    env = os.environ.get(INDEX_ENV)
    if env:
        return env if is_server_url(env) else Path(env).expanduser()
    return default_index_dir()


# -- records the facade adds (stage records are re-exported as they are) ------------------------


@dataclass(frozen=True)
class Match:
    """A document found for a reference, and whether the reference named it exactly."""

    document: Document
    exact: bool  # the id or the path; False for a unique id prefix


@dataclass
class SearchResult:
    """The passages found for one query, best first."""

    query: str
    hits: list[Hit]
    filters: dict[str, object] = field(default_factory=dict)  # the filters the user set
    # the index's highlighter (its analyzer knows the corpus' compounds); loaded on first use
    highlighter: Callable[[str, str], list[tuple[int, int]]] | None = field(
        default=None, repr=False
    )

    def highlight_spans(self, text: str) -> list[tuple[int, int]]:
        """Spans of the words in a passage that match the query's terms (stems, compounds)."""
        if self.highlighter is None:
            return highlight_spans(text, self.query)
        return self.highlighter(text, self.query)

    def to_dict(self) -> dict[str, object]:
        """The `search --json` shape."""
        return {"query": self.query, "results": [h.as_dict() for h in self.hits]}


@dataclass
class DocumentText:
    """A document's extracted paragraphs, as the parser saw them (`policyminer show`)."""

    document: Document
    paragraphs: list[StoredParagraph]
    layouts: dict[int, str] = field(default_factory=dict)  # page → full, plain, ocr or skipped
    printed: dict[int, str] = field(default_factory=dict)  # page → the page number it prints

    def to_dict(self) -> dict[str, object]:
        """The `show --format json` shape."""
        pages: dict[int, list[dict[str, object]]] = {}
        for p in self.paragraphs:
            pages.setdefault(p.page, []).append(
                {
                    "text": p.text,
                    "section": p.section,
                    "kind": p.kind,
                    "notes": [n.to_dict() for n in p.notes],
                }
            )
        return {
            "id": self.document.id,
            "title": self.document.title,
            "pages": [
                {
                    "page": n,
                    "layout": self.layouts.get(n, "full"),
                    "printed_page": self.printed.get(n, ""),
                    "paragraphs": paras,
                }
                for n, paras in sorted(pages.items())
            ],
        }


@dataclass
class RemoveReport:
    """What `remove` did: ids removed, references not found, prefix matches not confirmed."""

    removed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    declined: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 2 if self.missing or self.declined else 0

    def to_dict(self) -> dict[str, object]:
        return {"removed": self.removed, "missing": self.missing, "declined": self.declined}


# Asked before `remove` deletes a document: (what the user typed, the document, exact match?).
Confirm = Callable[[str, Document, bool], bool]


class Library:
    """One evidence base (an index directory): ingest, search, ask, actors, areas, tag."""

    def __init__(self, index_dir: Path | str | None = None, model: str | None = None):
        # an index directory, or a postgresql:// URL (the database backend)
        self.location: Location = resolve_index_dir(index_dir)
        # the directory of the embedded backend; for a database, this machine's cache folder
        self.index_dir: Path = (
            server_cache_dir(str(self.location)) if self.is_server else Path(self.location)
        )
        self.model = model  # embedding model for queries/ingest; None: the index's own
        self._searcher: Searcher | None = None
        self._answerer: Answerer | None = None

    def __repr__(self) -> str:
        return f"Library({self.where!r})"

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the open catalog and loaded indexes (the Library can be used again)."""
        if self._answerer is not None:
            self._answerer.close()
            self._answerer = None
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    # -- the evidence base ----------------------------------------------------------------------

    @property
    def exists(self) -> bool:
        """Whether the index directory (or database) holds an index."""
        return catalog_exists(self.location)

    @property
    def is_server(self) -> bool:
        """Whether the evidence base is a PostgreSQL database (not an index directory)."""
        return is_server_url(self.location)

    @property
    def where(self) -> str:
        """The index directory or database URL (without its password), for messages."""
        return location_name(self.location)

    def require(self) -> None:
        """Raise NoIndexError (creating nothing) unless the index directory holds an index."""
        if not self.exists:
            raise NoIndexError.at(self.where)

    def _catalog(self) -> AnyCatalog:
        self.require()
        return open_catalog(self.location)

    def ingest(
        self,
        paths: Iterable[Path | str],
        model: str | None = None,
        progress: IngestProgress | None = None,
        options: ParseOptions | None = None,
        jobs: int | None = None,
        ray: str | None = None,
        workers: int | None = None,
    ) -> IngestReport:
        """Add new and changed files (PDF, DOCX, HTML, .txt, .md; folders recursively).

        With `ray` (a Ray cluster address, or "local" for a cluster on this machine), documents
        are parsed, embedded and enriched by `workers` Ray actors writing to the database.
        """
        self.close()  # the indexes change under an open searcher
        if ray:
            return ingest_on_ray(
                [Path(p) for p in paths],
                self.location,
                ray,
                workers=workers,
                model=model or self.model,
                progress=progress,
                options=options,
            )
        return ingest_paths(
            [Path(p) for p in paths],
            self.location,
            model=model or self.model,
            progress=progress,
            options=options,
            jobs=jobs,
        )

    def remove(self, refs: Sequence[str], confirm: Confirm | None = None) -> RemoveReport:
        """Remove documents by exact id or path; with `confirm`, each one only if it says yes.

        Without `confirm` (scripts), a reference that matches only by id prefix is declined.
        """
        report = RemoveReport()
        ids: list[str] = []
        for ref in refs:
            try:
                match = self.match(ref)
            except UnknownDocumentError:
                report.missing.append(ref)
                continue
            if confirm(ref, match.document, match.exact) if confirm else match.exact:
                ids.append(match.document.id)
            else:
                report.declined.append(ref)
        if ids:
            self.close()
            removed, missing = remove_documents(list(dict.fromkeys(ids)), self.location)
            report.removed += removed
            report.missing += missing
        return report

    def status(self) -> EvidenceStatus:
        """Counts, files changed or missing since ingest, and whether the indexes agree."""
        self.require()
        return evidence_status(self.location)

    def documents(self) -> list[Document]:
        """The documents in the evidence base."""
        with self._catalog() as catalog:
            return catalog.documents()

    def match(self, ref: str) -> Match:
        """The document a reference names: exact id, exact path, or a unique id prefix."""
        with self._catalog() as catalog:
            doc = catalog.document(ref) or catalog.document_by_path(Path(ref).resolve())
            if doc:
                return Match(doc, True)
            doc = catalog.resolve(ref)
        if doc is None:
            raise UnknownDocumentError(ref, self.where)
        return Match(doc, False)

    def resolve(self, ref: str) -> Document:
        """The document a reference names (UnknownDocumentError when none or several)."""
        return self.match(ref).document

    def show(self, ref: str) -> DocumentText:
        """A document's extracted text, paragraph by paragraph with pages and sections."""
        doc = self.resolve(ref)
        with self._catalog() as catalog:
            return DocumentText(
                doc,
                catalog.paragraphs(doc.id),
                catalog.page_layouts(doc.id),
                catalog.printed_pages(doc.id),
            )

    def reindex(
        self, model: str | None = None, progress: Callable[[int, int], None] | None = None
    ) -> ReindexReport:
        """Rebuild the search indexes from the catalog; with a model, re-embed everything."""
        self.require()
        self.close()
        return reindex(self.location, model=model, progress=progress)

    def migrate(self, to: str) -> MigrateReport:
        """Copy this embedded evidence base into a PostgreSQL database, without re-embedding."""
        if not is_server_url(to):
            raise UsageError(f"{to}: --to takes a postgresql://… URL")
        if self.is_server:
            raise UsageError(f"{self.where} is already a database; migrate copies an index folder")
        self.require()
        self.close()
        return migrate_catalog(self.index_dir, to)

    @staticmethod
    def where_of(location: str) -> str:
        """A location as messages show it (a URL without its password)."""
        return location_name(location)

    # -- questions ------------------------------------------------------------------------------

    def _searcher_for(self, model: str | None) -> Searcher:
        self.require()
        model = model or self.model
        if self._searcher is None or self._searcher.model != model:
            self.close()
            self._searcher = Searcher(self.location, model=model)
        return self._searcher

    def filters(
        self,
        docs: Sequence[str] = (),
        year: int | None = None,
        publisher: str | None = None,
        area: str | None = None,
        taxonomy: Path | str | None = None,
        all_pages: bool = False,
    ) -> Filters:
        """Search filters from what a user typed: document references, an area id, --all-pages."""
        doc_ids = tuple(self.resolve(ref).id for ref in docs)
        chunk_ids = self.area_chunks(area, taxonomy) if area else None
        return Filters(doc_ids, year, publisher, chunk_ids, all_pages)

    def area_chunks(self, area: str, taxonomy: Path | str | None = None) -> frozenset[int]:
        """Ids of the passages tagged with an area of the taxonomy (TaxonomyError if unknown)."""
        with self._catalog() as catalog:
            return chunk_ids_for_area(
                catalog, area, Path(taxonomy) if taxonomy is not None else None
            )

    def search(
        self,
        query: str,
        k: int = 10,
        mode: str = "hybrid",
        fusion: str = "score",
        docs: Sequence[str] = (),
        year: int | None = None,
        publisher: str | None = None,
        area: str | None = None,
        model: str | None = None,
        taxonomy: Path | str | None = None,
        all_pages: bool = False,
    ) -> SearchResult:
        """The k passages that best answer a query, with document, page and section.

        Contents pages and reference lists are left out unless `all_pages`.
        """
        return next(
            self.search_many(
                [query], k, mode, fusion, docs, year, publisher, area, model, taxonomy, all_pages
            )
        )

    def search_many(
        self,
        queries: Iterable[str],
        k: int = 10,
        mode: str = "hybrid",
        fusion: str = "score",
        docs: Sequence[str] = (),
        year: int | None = None,
        publisher: str | None = None,
        area: str | None = None,
        model: str | None = None,
        taxonomy: Path | str | None = None,
        all_pages: bool = False,
    ) -> Iterator[SearchResult]:
        """Results for many queries with one loaded index and model."""
        _choice("mode", mode, MODES)
        _choice("fusion", fusion, FUSIONS)
        if k < 1:
            raise UsageError("k must be at least 1")
        searcher = self._searcher_for(model)
        filters = self.filters(docs, year, publisher, area, taxonomy, all_pages)
        applied = _applied(docs=list(docs), year=year, publisher=publisher, area=area)
        for query in queries:
            hits = searcher.search(query, k=k, mode=mode, filters=filters, fusion=fusion)
            yield SearchResult(
                query, searcher.with_footnotes(hits), applied, searcher.highlight_spans
            )

    def ask(
        self,
        question: str,
        k: int | None = None,
        docs: Sequence[str] = (),
        area: str | None = None,
        model: str | None = None,
        taxonomy: Path | str | None = None,
        all_pages: bool = False,
        min_confidence: float | None = None,
    ) -> Answer:
        """An answer quoted from the documents with verified citations, or an abstention.

        Contents pages and reference lists are not read unless `all_pages`. The answer abstains
        when its calibrated confidence is below `min_confidence` (default: the scorer's own
        threshold; 0 always answers from the closest sentences).
        """
        return next(
            self.ask_many([question], k, docs, area, model, taxonomy, all_pages, min_confidence)
        )

    def ask_many(
        self,
        questions: Iterable[str],
        k: int | None = None,
        docs: Sequence[str] = (),
        area: str | None = None,
        model: str | None = None,
        taxonomy: Path | str | None = None,
        all_pages: bool = False,
        min_confidence: float | None = None,
    ) -> Iterator[Answer]:
        """Answers for many questions with one loaded index and model."""
        if k is not None and k < 1:
            raise UsageError("-k must be at least 1")
        if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
            raise UsageError("--min-confidence must be between 0 and 1")
        searcher = self._searcher_for(model)
        filters = (
            self.filters(docs, area=area, taxonomy=taxonomy, all_pages=all_pages)
            if docs or area or all_pages
            else None
        )
        if self._answerer is None:
            self._answerer = Answerer(searcher)
        for question in questions:
            if not question.strip():
                raise UsageError("empty question")
            yield self._answerer.answer(
                question, k=k, filters=filters, min_confidence=min_confidence
            )

    # -- enrichment -----------------------------------------------------------------------------

    def actors(
        self,
        docs: Sequence[str] = (),
        label: str | None = None,
        org_type: str | None = None,
        min_mentions: int = 1,
        area: str | None = None,
        taxonomy: Path | str | None = None,
        top: int = 0,
    ) -> list[Actor]:
        """Organisations, people, places and initiatives, aliases merged, most mentioned first
        (only the `top` most mentioned when it is above 0)."""
        if label and label.upper() not in LABELS:
            raise UsageError(f"unknown label {label!r} (choose from {', '.join(LABELS)})")
        if org_type and org_type not in ORG_TYPES:
            raise UsageError(f"unknown type {org_type!r} (choose from {', '.join(ORG_TYPES)})")
        filters = self.filters(docs, area=area, taxonomy=taxonomy)
        # enrich.actors imports spaCy (seconds): loaded only when actors are asked for.
        from policyminer.enrich.actors import list_actors

        with self._catalog() as catalog:
            found = list_actors(
                catalog, filters.doc_ids, label, org_type, min_mentions, filters.chunk_ids
            )
        return found[:top] if top > 0 else found

    def areas(
        self,
        area: str | None = None,
        top: int = 5,
        taxonomy: Path | str | None = None,
        retag: bool = False,
    ) -> AreaReport:
        """Per opportunity area: passages per document, top passages with citations, actors."""
        tax = Path(taxonomy) if taxonomy is not None else None
        if area:
            load_taxonomy(tax).area(area)  # an unknown id fails before any work
        self.require()
        return area_report(
            self.location,
            area_id=area,
            top=top,
            taxonomy=tax,
            force_retag=retag,
            actors_of=_actors_of,
        )

    def taxonomy(self, taxonomy: Path | str | None = None) -> Taxonomy:
        """The opportunity-area taxonomy in use (the shipped one unless a file is given)."""
        return load_taxonomy(Path(taxonomy) if taxonomy is not None else None)

    def tag(
        self, texts: Sequence[str], taxonomy: Path | str | None = None, all_areas: bool = False
    ) -> list[Tagging]:
        """Opportunity areas for free texts (no index needed)."""
        tax = load_taxonomy(Path(taxonomy) if taxonomy is not None else None)
        return tag_texts(list(texts), tax, model=self.model, all_areas=all_areas)


def calibrate_taxonomy(
    passages: Path | str,
    taxonomy: Path | str | None = None,
    output: Path | str | None = None,
    dry_run: bool = False,
) -> CalibrationResult:
    """Fit a taxonomy's thresholds on labelled passages; write them to `output` or the taxonomy.

    The shipped taxonomy is never changed: without a taxonomy file, an output file is required.
    """
    if taxonomy is None and output is None and not dry_run:
        raise UsageError(
            "give --taxonomy FILE to update your taxonomy, or --output FILE for a calibrated "
            "copy of the shipped one (the shipped file is never changed)"
        )
    tax = load_taxonomy(Path(taxonomy) if taxonomy else None)
    labelled = read_labelled(Path(passages), tax)
    target = None if dry_run else Path(output or taxonomy)  # type: ignore[arg-type]
    return fit_thresholds(tax, labelled, target)


def _actors_of(catalog: AnyCatalog, chunk_ids: frozenset[int]) -> list[Actor]:
    """The actors of some passages: how the area report meets the actor stage."""
    # enrich.actors imports spaCy (seconds): loaded only when a report has tagged passages.
    from policyminer.enrich.actors import list_actors

    return list_actors(catalog, chunk_ids=chunk_ids)


def _choice(name: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise UsageError(f"unknown {name} {value!r} (choose from {', '.join(allowed)})")


def _applied(**filters: Any) -> dict[str, object]:
    """The filters a user set, for messages such as "no passages match (filters: ...)"."""
    return {k: v for k, v in filters.items() if v not in (None, "", [], ())}
