"""policyminer: document mining and cited retrieval for Norwegian public-policy PDFs.

The Python API is one object, :class:`Library`, with the operations of the CLI::

    from policyminer import Library

    with Library("indexes/default") as lib:
        lib.ingest(["corpus/"])
        result = lib.search("digital hjemmeoppfølging", k=3)
        answer = lib.ask("Hvilke satsingsområder foreslås?")

Records returned (Document, SearchResult, Hit, Answer, Citation, Actor, AreaReport, Tagging,
...) are dataclasses with ``to_dict()`` giving the CLI's ``--json`` shapes. Every error is a
:class:`PolicyminerError` whose message is one line for the user.
"""

from __future__ import annotations

import os
from importlib import import_module
from typing import TYPE_CHECKING

# Must be set before torch (pulled in by spaCy/thinc or sentence-transformers) starts OpenMP:
# busy-waiting threads run 3-10x slower on a shared 2-core machine.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"

# Public name → module. Resolved on first access, so `import policyminer` stays cheap (no numpy,
# FAISS, torch or spaCy until a name is used); `Actor`/`Example` come from the spaCy-backed module.
_EXPORTS = {
    "Library": "policyminer.library",
    "Match": "policyminer.library",
    "SearchResult": "policyminer.library",
    "DocumentText": "policyminer.library",
    "RemoveReport": "policyminer.library",
    "resolve_index_dir": "policyminer.library",
    "calibrate_taxonomy": "policyminer.library",
    "CalibrationResult": "policyminer.enrich.calibrate",
    "Document": "policyminer.records",
    "Paragraph": "policyminer.records",
    "Chunk": "policyminer.records",
    "ParsedDocument": "policyminer.records",
    "StoredChunk": "policyminer.store.catalog",
    "StoredParagraph": "policyminer.store.catalog",
    "IngestReport": "policyminer.ingest",
    "FileResult": "policyminer.ingest",
    "IngestProgress": "policyminer.ingest",
    "EvidenceStatus": "policyminer.ingest",
    "StaleDocument": "policyminer.ingest",
    "ReindexReport": "policyminer.ingest",
    "Hit": "policyminer.retrieve.search",
    "Filters": "policyminer.retrieve.search",
    "Answer": "policyminer.answer.answer",
    "Citation": "policyminer.answer.answer",
    "Actor": "policyminer.enrich.actors",
    "Example": "policyminer.enrich.actors",
    "AreaReport": "policyminer.enrich.areas",
    "AreaSummary": "policyminer.enrich.areas",
    "Passage": "policyminer.enrich.areas",
    "Tag": "policyminer.enrich.areas",
    "Tagging": "policyminer.enrich.areas",
    "Taxonomy": "policyminer.enrich.areas",
    "Area": "policyminer.enrich.areas",
    "PolicyminerError": "policyminer.errors",
    "UsageError": "policyminer.errors",
    "NoIndexError": "policyminer.errors",
    "UnknownDocumentError": "policyminer.errors",
    "IngestError": "policyminer.errors",
    "DocumentError": "policyminer.errors",
    "SearchError": "policyminer.errors",
    "AnswerError": "policyminer.errors",
    "ModelError": "policyminer.errors",
    "TaxonomyError": "policyminer.errors",
}

__all__ = [
    "Actor",
    "Answer",
    "AnswerError",
    "Area",
    "AreaReport",
    "AreaSummary",
    "CalibrationResult",
    "Chunk",
    "Citation",
    "Document",
    "DocumentError",
    "DocumentText",
    "EvidenceStatus",
    "Example",
    "FileResult",
    "Filters",
    "Hit",
    "IngestError",
    "IngestProgress",
    "IngestReport",
    "Library",
    "Match",
    "ModelError",
    "NoIndexError",
    "Paragraph",
    "ParsedDocument",
    "Passage",
    "PolicyminerError",
    "ReindexReport",
    "RemoveReport",
    "SearchError",
    "SearchResult",
    "StaleDocument",
    "StoredChunk",
    "StoredParagraph",
    "Tag",
    "Tagging",
    "Taxonomy",
    "TaxonomyError",
    "UnknownDocumentError",
    "UsageError",
    "__version__",
    "calibrate_taxonomy",
    "resolve_index_dir",
]

if TYPE_CHECKING:
    from policyminer.answer.citations import Answer, Citation
    from policyminer.enrich.actors import Actor, Example
    from policyminer.enrich.areas import (
        Area,
        AreaReport,
        AreaSummary,
        Passage,
        Tag,
        Tagging,
        Taxonomy,
    )
    from policyminer.errors import (
        AnswerError,
        DocumentError,
        IngestError,
        ModelError,
        NoIndexError,
        PolicyminerError,
        SearchError,
        TaxonomyError,
        UnknownDocumentError,
        UsageError,
    )
    from policyminer.ingest import (
        EvidenceStatus,
        FileResult,
        IngestProgress,
        IngestReport,
        ReindexReport,
        StaleDocument,
    )
    from policyminer.library import (
        DocumentText,
        Library,
        Match,
        RemoveReport,
        SearchResult,
        resolve_index_dir,
    )
    from policyminer.records import Chunk, Document, Paragraph, ParsedDocument
    from policyminer.retrieve.search import Filters, Hit
    from policyminer.store.catalog import StoredChunk, StoredParagraph


def __getattr__(name: str) -> object:
    """Import a public name's module on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'policyminer' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
