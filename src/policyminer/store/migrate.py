"""Copy an embedded evidence base (SQLite catalog) into a PostgreSQL one, without re-embedding.

Documents, paragraphs, page layouts, chunks with their stored vectors, entity mentions and
area tags are copied as they are, one document per transaction: an interrupted migration
leaves every document fully copied or not at all, and running it again copies the rest
(documents already there with the same content are skipped).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from policyminer.errors import IngestError
from policyminer.store.catalog import Catalog
from policyminer.store.pgcatalog import PgCatalog

# meta keys that describe the target database itself, never copied
_OWN_KEYS = {"pg_schema_version"}


@dataclass
class MigrateReport:
    """What `policyminer migrate` copied."""

    documents: int = 0
    skipped: int = 0  # already in the target with the same content
    chunks: int = 0
    vectors: int = 0
    mentions: int = 0
    tags: int = 0
    sentence_vectors: int = 0  # chunks whose sentence vectors were copied

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def migrate(
    source: Path, target_url: str, progress: Callable[[int, int], None] | None = None
) -> MigrateReport:
    """Copy every document of the index directory `source` into the database at `target_url`."""
    report = MigrateReport()
    with Catalog.existing(source) as src, PgCatalog(target_url) as dst:
        _check_models(src, dst)
        meta = {
            r["key"]: r["value"]
            for r in src.db.execute("SELECT key, value FROM meta")
            if r["key"] not in _OWN_KEYS
        }
        documents = src.documents()
        for n, doc in enumerate(documents, start=1):
            there = dst.document_by_path(doc.path)
            if there and there.sha256 == doc.sha256:
                report.skipped += 1
            else:
                _copy_document(src, dst, doc.id, meta, report)
            if progress:
                progress(n, len(documents))
        if not documents:
            with dst.transaction():
                for key, value in meta.items():
                    dst.set_meta(key, value)
    return report


def _check_models(src: Catalog, dst: PgCatalog) -> None:
    """Refuse to mix two embedding models' vectors in the target."""
    ours, theirs = src.get_meta("embedding_model"), dst.get_meta("embedding_model")
    if ours and theirs and ours != theirs and dst.counts()["vectors"]:
        raise IngestError(
            f"{dst.location} holds vectors of '{theirs}', {src.index_dir} of '{ours}'; "
            f"re-embed one of them first (policyminer reindex --model)"
        )


def _copy_document(
    src: Catalog, dst: PgCatalog, doc_id: str, meta: dict[str, str], report: MigrateReport
) -> None:
    db = src.db
    row = dict(db.execute("SELECT * FROM documents WHERE id=?", (doc_id,)).fetchone())
    paragraphs = [
        tuple(r)
        for r in db.execute(
            "SELECT page, kind, section, section_path, text, char_start, char_end, notes "
            "FROM paragraphs WHERE doc_id=? ORDER BY ordinal",
            (doc_id,),
        )
    ]
    layouts = [
        tuple(r)
        for r in db.execute(
            "SELECT page, layout, printed FROM page_layouts WHERE doc_id=? ORDER BY page",
            (doc_id,),
        )
    ]
    chunks = src.chunks(doc_id)
    old_ids = [c.id for c in chunks]
    vec_ids, matrix = src.vectors(ids=old_ids)
    marks = ",".join("?" * len(old_ids))
    sentences = db.execute(
        f"SELECT chunk_id, spans, vectors FROM sentence_vectors WHERE chunk_id IN ({marks})",
        old_ids,
    ).fetchall()
    mentions = db.execute(
        "SELECT chunk_id, page, section, label, text, start, end, sentence FROM mentions "
        "WHERE doc_id=? ORDER BY id",
        (doc_id,),
    ).fetchall()
    tags = db.execute(
        "SELECT t.chunk_id, t.taxonomy, t.area_id, t.score, t.evidence FROM tags t "
        "JOIN chunks c ON c.id = t.chunk_id WHERE c.doc_id=?",
        (doc_id,),
    ).fetchall()
    with dst.transaction() as tx:
        new_id, new_ids = dst.put_rows(row, paragraphs, layouts, chunks)
        mapping = dict(zip(old_ids, new_ids, strict=True))
        if len(vec_ids):
            dst.put_vector_rows([mapping[int(i)] for i in vec_ids], np.asarray(matrix))
        tx.insert_mentions(
            (mapping[r[0]], new_id, *tuple(r)[1:]) for r in mentions if r[0] in mapping
        )
        dst.copy_tags([(mapping[r[0]], *tuple(r)[1:]) for r in tags if r[0] in mapping])
        dst.copy_sentence_vectors(
            [(mapping[r[0]], r[1], bytes(r[2])) for r in sentences if r[0] in mapping]
        )
        for key, value in meta.items():
            dst.set_meta(key, value)
    report.documents += 1
    report.chunks += len(chunks)
    report.vectors += len(vec_ids)
    report.mentions += len(mentions)
    report.tags += len(tags)
    report.sentence_vectors += len(sentences)
