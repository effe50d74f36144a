"""SQL for what enrichment derives from chunks: entity mentions and opportunity-area tags.

Functions that write take the open connection of a catalog transaction (a document's derived
rows commit with it); functions that read take a Catalog. On the PostgreSQL backend the
transaction handle and the catalog carry these operations themselves (store.pgcatalog).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from policyminer.store.catalog import Catalog

# (chunk_id, doc_id, page, section, label, text, start, end, sentence)
MentionRow = tuple[int, str, int, str, str, str, int, int, str]
# (chunk_id, taxonomy, area_id, score, evidence)
TagRow = tuple[int, str, str, float, str]


def insert_mentions(db: sqlite3.Connection, rows: Iterable[MentionRow]) -> None:
    """Store entity mentions (inside the document's transaction)."""
    if not isinstance(db, sqlite3.Connection):
        return db.insert_mentions(rows)
    db.executemany(
        "INSERT INTO mentions(chunk_id, doc_id, page, section, label, text, start, end, "
        "sentence) VALUES (?,?,?,?,?,?,?,?,?)",
        rows,
    )


def mention_rows(catalog: Catalog, doc_ids: Sequence[str] = ()) -> list[MentionRow]:
    """Stored mentions in insertion order, of some documents or all."""
    if catalog.backend != "sqlite":
        return catalog.mention_rows(doc_ids)
    sql = "SELECT chunk_id, doc_id, page, section, label, text, start, end, sentence FROM mentions"
    args: list[str] = []
    if doc_ids:
        sql += f" WHERE doc_id IN ({','.join('?' * len(doc_ids))})"
        args.extend(doc_ids)
    return [tuple(r) for r in catalog.db.execute(sql + " ORDER BY id", args)]


def meta_value(db: sqlite3.Connection, key: str) -> str | None:
    """A catalog meta value read on a raw connection (inside a transaction)."""
    if not isinstance(db, sqlite3.Connection):
        return db.meta_value(key)
    row = db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
    return row[0] if row else None


def cache_dir_of(db: sqlite3.Connection) -> Path | None:
    """The index's cache directory, from the connection's database file."""
    if not isinstance(db, sqlite3.Connection):
        return db.cache_dir()
    row = db.execute("PRAGMA database_list").fetchone()
    return Path(row[2]).parent / "cache" if row and row[2] else None


def add_tags(db: sqlite3.Connection, rows: Iterable[TagRow], meta_key: str, digest: str) -> None:
    """Store a new document's tags; the first tags written record the taxonomy version."""
    if not isinstance(db, sqlite3.Connection):
        return db.add_tags(rows, meta_key, digest)
    db.executemany(
        "INSERT OR REPLACE INTO tags(chunk_id, taxonomy, area_id, score, evidence) "
        "VALUES(?,?,?,?,?)",
        rows,
    )
    db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES(?, ?)", (meta_key, digest))


def replace_tags(
    catalog: Catalog, taxonomy: str, rows: Iterable[TagRow], meta_key: str, digest: str
) -> None:
    """Replace every tag of a taxonomy in one transaction, recording its version."""
    if catalog.backend != "sqlite":
        return catalog.replace_tags(taxonomy, rows, meta_key, digest)
    with catalog.transaction() as db:
        db.execute("DELETE FROM tags WHERE taxonomy=?", (taxonomy,))
        db.executemany(
            "INSERT INTO tags(chunk_id, taxonomy, area_id, score, evidence) VALUES(?,?,?,?,?)",
            rows,
        )
        catalog.set_meta(meta_key, digest, db)


def tagged_chunk_ids(catalog: Catalog, taxonomy: str, area_id: str) -> frozenset[int]:
    """Ids of the chunks tagged with an area."""
    if catalog.backend != "sqlite":
        return catalog.tagged_chunk_ids(taxonomy, area_id)
    rows = catalog.db.execute(
        "SELECT chunk_id FROM tags WHERE taxonomy=? AND area_id=?", (taxonomy, area_id)
    )
    return frozenset(int(r[0]) for r in rows)


def tagged_chunk_count(catalog: Catalog, taxonomy: str) -> int:
    """How many chunks carry at least one tag of a taxonomy."""
    if catalog.backend != "sqlite":
        return catalog.tagged_chunk_count(taxonomy)
    return int(
        catalog.db.execute(
            "SELECT COUNT(DISTINCT chunk_id) FROM tags WHERE taxonomy=?", (taxonomy,)
        ).fetchone()[0]
    )


def area_tags(catalog: Catalog, taxonomy: str, area_id: str) -> list[sqlite3.Row]:
    """An area's tags with their chunk's document, best first: chunk_id, score, evidence, doc_id,
    and the chunk's kind."""
    if catalog.backend != "sqlite":
        return catalog.area_tags(taxonomy, area_id)
    return catalog.db.execute(
        "SELECT t.chunk_id, t.score, t.evidence, c.doc_id, c.kind FROM tags t "
        "JOIN chunks c ON c.id=t.chunk_id WHERE t.taxonomy=? AND t.area_id=? "
        "ORDER BY t.score DESC, t.chunk_id",
        (taxonomy, area_id),
    ).fetchall()
