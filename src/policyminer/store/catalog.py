"""The SQLite catalog: documents, paragraphs, chunks and their vectors; the source of truth.

Derived indexes (FAISS, BM25) can always be rebuilt from it. Every change to one document happens
in a single transaction, so a crash leaves a document either fully in or not in.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from policyminer.errors import NoIndexError
from policyminer.records import Chunk, Document, NoteRef, ParsedDocument
from policyminer.store.paths import CATALOG_FILE

# Numbered migrations: append, never edit a released one.
MIGRATIONS: list[str] = [
    # 1: documents, paragraphs, chunks, vectors
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        sha256 TEXT NOT NULL,
        title TEXT NOT NULL,
        publisher TEXT,
        year INTEGER,
        pages INTEGER NOT NULL,
        format TEXT NOT NULL,
        added_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE paragraphs (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        page INTEGER NOT NULL,
        kind TEXT NOT NULL,
        section TEXT NOT NULL,
        section_path TEXT NOT NULL,
        text TEXT NOT NULL,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL,
        PRIMARY KEY (doc_id, ordinal)
    );
    CREATE TABLE chunks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        text TEXT NOT NULL,
        page_start INTEGER NOT NULL,
        page_end INTEGER NOT NULL,
        section TEXT NOT NULL,
        section_path TEXT NOT NULL,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL,
        page_map TEXT NOT NULL
    );
    CREATE INDEX chunks_doc ON chunks(doc_id, ordinal);
    CREATE TABLE vectors (
        chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
        vector BLOB NOT NULL
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: entity mentions (actors and initiatives); actors are merged from these at query time
    """
    CREATE TABLE mentions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        page INTEGER NOT NULL,
        section TEXT NOT NULL,
        label TEXT NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        sentence TEXT NOT NULL
    );
    CREATE INDEX mentions_chunk ON mentions(chunk_id);
    CREATE INDEX mentions_doc ON mentions(doc_id);
    """,
    # 3: opportunity-area tags per chunk, per taxonomy
    """
    CREATE TABLE tags (
        chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
        taxonomy TEXT NOT NULL,
        area_id TEXT NOT NULL,
        score REAL NOT NULL,
        evidence TEXT NOT NULL,
        PRIMARY KEY (chunk_id, taxonomy, area_id)
    );
    CREATE INDEX tags_area ON tags(taxonomy, area_id);
    """,
    # 4: how each page was read: full (layout) | plain (layout failed) | ocr
    """
    CREATE TABLE page_layouts (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        page INTEGER NOT NULL,
        layout TEXT NOT NULL,
        PRIMARY KEY (doc_id, page)
    );
    """,
    # 5: chunk kind: body, or toc / references (not running text; out of search by default)
    """
    ALTER TABLE chunks ADD COLUMN kind TEXT NOT NULL DEFAULT 'body';
    """,
    # 6: one vector per answer-candidate sentence of a chunk, pooled from the passage pass
    """
    CREATE TABLE sentence_vectors (
        chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
        spans TEXT NOT NULL,
        vectors BLOB NOT NULL
    );
    """,
    # 7: footnote references per paragraph (JSON: offset, label, note, note page)
    """
    ALTER TABLE paragraphs ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';
    """,
    # 8: the page number a page prints ('' where it prints none, or was read before)
    """
    ALTER TABLE page_layouts ADD COLUMN printed TEXT NOT NULL DEFAULT '';
    """,
]


def page_rows(doc_id: str, parsed: ParsedDocument) -> list[tuple[str, int, str, str]]:
    """(doc, page, layout, printed number) for each page read other than fully or printing a
    number; a page printing one but read fully gets "full"."""
    pages = sorted(set(parsed.page_layouts) | set(parsed.printed_pages))
    return [
        (doc_id, page, parsed.page_layouts.get(page, "full"), parsed.printed_pages.get(page, ""))
        for page in pages
    ]


SECTION_SEP = " › "
# A document row's counts, as both backends select them beside d.*
DOCUMENT_COUNTS = (
    "(SELECT COUNT(*) FROM chunks c WHERE c.doc_id=d.id) AS n_chunks, "
    "(SELECT COUNT(*) FROM page_layouts l WHERE l.doc_id=d.id AND l.layout='ocr') AS n_ocr"
)

# Writes rows derived from a document's chunks: (connection, doc id, chunk ids in chunk order).
DerivedWriter = Callable[[sqlite3.Connection, str, list[int]], None]


@dataclass(frozen=True)
class StoredChunk(Chunk):
    """A chunk as stored, with its catalog id and document."""

    id: int = 0
    doc_id: str = ""


@dataclass(frozen=True)
class StoredParagraph:
    """A paragraph as stored."""

    doc_id: str
    ordinal: int
    page: int
    kind: str
    section: str
    text: str
    char_start: int
    char_end: int
    notes: tuple[NoteRef, ...] = ()  # footnote references, offsets into `text`

    def marked_text(self) -> str:
        """The text with each footnote reference back in place, as "[label]"."""
        text = self.text
        # from the end, so that earlier offsets hold; marks at one place keep their order
        for _, note in sorted(
            enumerate(self.notes), key=lambda x: (x[1].offset, x[0]), reverse=True
        ):
            text = f"{text[: note.offset]}[{note.label}]{text[note.offset :]}"
        return text

    def notes_of(self, part: str) -> list[NoteRef] | None:
        """The references whose marks stand in (or right after) a part of this paragraph's
        text, offsets moved into the part; None when the text does not hold the part."""
        at = self.text.find(part)
        if at < 0:
            return None
        return [n.shifted(-at) for n in self.notes if at < n.offset <= at + len(part) + 1]

    def notes_in(self, text: str) -> list[NoteRef]:
        """The references placed in a longer text that holds this paragraph whole."""
        at = text.find(self.text)
        return [n.shifted(at) for n in self.notes] if at >= 0 else []


def encode_notes(notes: Sequence[NoteRef]) -> str:
    return json.dumps([[n.offset, n.label, n.note, n.note_page] for n in notes], ensure_ascii=False)


def decode_notes(stored: str | None) -> tuple[NoteRef, ...]:
    return tuple(NoteRef(*row) for row in json.loads(stored or "[]"))


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def slugify(text: str) -> str:
    """A short, readable, ASCII document id from a file stem."""
    ascii_text = (
        unicodedata.normalize("NFKD", text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae"))
        .encode("ascii", "ignore")
        .decode()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].strip("-") or "doc"


class Catalog:
    """Access to one index directory's catalog database."""

    backend = "sqlite"  # store.pgcatalog.PgCatalog offers the same operations on PostgreSQL

    @classmethod
    def existing(cls, index_dir: Path) -> Catalog:
        """Open an index that must already exist (reading commands never create one)."""
        if not (Path(index_dir) / CATALOG_FILE).exists():
            raise NoIndexError.at(index_dir)
        return cls(index_dir)

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.index_dir / CATALOG_FILE
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA busy_timeout=30000")
        self._migrate()

    def close(self) -> None:
        self.db.close()

    @property
    def location(self) -> str:
        """Where the evidence base lives, for messages."""
        return str(self.index_dir)

    @contextmanager
    def file_lock(self, path: Path | str) -> Iterator[None]:
        """One writer per file: SQLite's write transactions already serialise ingests."""
        yield

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema -------------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self.schema_version
        if version > len(MIGRATIONS):
            raise RuntimeError(
                f"{self.path}: catalog schema {version} is newer than this policyminer "
                f"({len(MIGRATIONS)}); upgrade policyminer"
            )
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                for statement in script.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={number}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One all-or-nothing unit of work."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- meta ---------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str, db: sqlite3.Connection | None = None) -> None:
        self.put_meta(db or self.db, key, value)

    @staticmethod
    def put_meta(db: sqlite3.Connection, key: str, value: str) -> None:
        """Sets a meta value on a given connection (e.g. inside a document's transaction)."""
        db.execute(
            "INSERT INTO meta(key, value) VALUES(?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            (key, value),
        )

    # -- documents ----------------------------------------------------------------------------

    def documents(self) -> list[Document]:
        rows = self.db.execute(
            f"SELECT d.*, {DOCUMENT_COUNTS} FROM documents d ORDER BY d.id"
        ).fetchall()
        return [_document(row) for row in rows]

    def document(self, doc_id: str) -> Document | None:
        row = self.db.execute(
            f"SELECT d.*, {DOCUMENT_COUNTS} FROM documents d WHERE d.id=?",
            (doc_id,),
        ).fetchone()
        return _document(row) if row else None

    def document_by_path(self, path: Path | str) -> Document | None:
        row = self.db.execute("SELECT id FROM documents WHERE path=?", (str(path),)).fetchone()
        return self.document(row[0]) if row else None

    def document_by_sha(self, digest: str) -> Document | None:
        """A document with this content, if any (the first by id)."""
        row = self.db.execute(
            "SELECT id FROM documents WHERE sha256=? ORDER BY id LIMIT 1", (digest,)
        ).fetchone()
        return self.document(row[0]) if row else None

    def resolve(self, ref: str) -> Document | None:
        """A document by id, by path, or by a unique id prefix."""
        absolute = Path(ref).absolute()
        doc = (
            self.document(ref)
            or self.document_by_path(Path(os.path.normpath(absolute)))
            or self.document_by_path(absolute.resolve())
        )
        if doc:
            return doc
        ids = [
            r[0] for r in self.db.execute("SELECT id FROM documents WHERE id LIKE ?", (ref + "%",))
        ]
        return self.document(ids[0]) if len(ids) == 1 else None

    def _new_doc_id(self, path: Path) -> str:
        base = slugify(path.stem)
        candidate, n = base, 2
        while self.db.execute("SELECT 1 FROM documents WHERE id=?", (candidate,)).fetchone():
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def put_document(
        self,
        parsed: ParsedDocument,
        body_offsets: Sequence[tuple[int, int]],
        chunks: Sequence[Chunk],
        vectors: np.ndarray | None = None,
        meta: dict[str, str] | None = None,
        derived: Sequence[DerivedWriter] = (),
    ) -> tuple[str, list[int]]:
        """Insert or replace one document with everything derived from it, atomically.

        `derived` writers (mentions, tags) run inside the same transaction with the new document
        id and chunk ids, so a crash never leaves a document without them.
        Returns the document id and the new chunk ids (in chunk order).
        """
        path = str(parsed.path)
        with self.transaction() as db:
            old = db.execute("SELECT id, added_at FROM documents WHERE path=?", (path,)).fetchone()
            stamp = now_iso()
            if old:
                doc_id, added_at = old["id"], old["added_at"]
                db.execute("DELETE FROM documents WHERE id=?", (doc_id,))
            else:
                doc_id, added_at = self._new_doc_id(parsed.path), stamp
            db.execute(
                "INSERT INTO documents(id, path, sha256, title, publisher, year, pages, format, "
                "added_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?)",
                (
                    doc_id,
                    path,
                    parsed.sha256,
                    parsed.title,
                    parsed.publisher,
                    parsed.year,
                    parsed.page_count,
                    parsed.format,
                    added_at,
                    stamp,
                ),
            )
            db.executemany(
                "INSERT INTO paragraphs(doc_id, ordinal, page, kind, section, section_path, text, "
                "char_start, char_end, notes) VALUES(?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        doc_id,
                        i,
                        p.page,
                        p.kind,
                        p.section,
                        SECTION_SEP.join(p.section_path),
                        p.text,
                        start,
                        end,
                        encode_notes(p.notes),
                    )
                    for i, (p, (start, end)) in enumerate(
                        zip(parsed.paragraphs, body_offsets, strict=True)
                    )
                ],
            )
            db.executemany(
                "INSERT INTO page_layouts(doc_id, page, layout, printed) VALUES(?,?,?,?)",
                page_rows(doc_id, parsed),
            )
            chunk_ids = []
            for c in chunks:
                cur = db.execute(
                    "INSERT INTO chunks(doc_id, ordinal, text, page_start, page_end, section, "
                    "section_path, char_start, char_end, page_map, kind) "
                    "VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        doc_id,
                        c.ordinal,
                        c.text,
                        c.page_start,
                        c.page_end,
                        c.section,
                        SECTION_SEP.join(c.section_path),
                        c.char_start,
                        c.char_end,
                        json.dumps(c.page_map),
                        c.kind,
                    ),
                )
                chunk_ids.append(int(cur.lastrowid or 0))
            if vectors is not None:
                self._put_vectors(db, chunk_ids, vectors)
            for key, value in (meta or {}).items():
                self.set_meta(key, value, db)
            for write in derived:
                write(db, doc_id, chunk_ids)
        return doc_id, chunk_ids

    def move_document(self, doc_id: str, new_path: Path) -> None:
        """Record that a document's unchanged file now lives elsewhere."""
        with self.transaction() as db:
            db.execute(
                "UPDATE documents SET path=?, updated_at=? WHERE id=?",
                (str(new_path), now_iso(), doc_id),
            )

    def remove_document(self, doc_id: str) -> bool:
        with self.transaction() as db:
            return db.execute("DELETE FROM documents WHERE id=?", (doc_id,)).rowcount > 0

    # -- paragraphs and chunks ----------------------------------------------------------------

    def paragraphs(self, doc_id: str) -> list[StoredParagraph]:
        rows = self.db.execute(
            "SELECT doc_id, ordinal, page, kind, section, text, char_start, char_end, notes "
            "FROM paragraphs WHERE doc_id=? ORDER BY ordinal",
            (doc_id,),
        )
        return [
            StoredParagraph(**{**dict(row), "notes": decode_notes(row["notes"])}) for row in rows
        ]

    def noted_paragraphs(self, doc_id: str, start: int, end: int) -> list[StoredParagraph]:
        """Paragraphs calling footnotes within a stretch of the document's body text."""
        rows = self.db.execute(
            "SELECT doc_id, ordinal, page, kind, section, text, char_start, char_end, notes "
            "FROM paragraphs WHERE doc_id=? AND notes != '[]' AND char_start >= ? "
            "AND char_end <= ? ORDER BY ordinal",
            (doc_id, start, end),
        )
        return [
            StoredParagraph(**{**dict(row), "notes": decode_notes(row["notes"])}) for row in rows
        ]

    def page_layouts(self, doc_id: str) -> dict[int, str]:
        """How each page was read (full | plain | ocr); pages not recorded were laid out fully."""
        rows = self.db.execute(
            "SELECT page, layout FROM page_layouts WHERE doc_id=? ORDER BY page", (doc_id,)
        )
        return {int(page): layout for page, layout in rows}

    def printed_pages(self, doc_id: str) -> dict[int, str]:
        """The page number each page prints, for the pages that print one."""
        rows = self.db.execute(
            "SELECT page, printed FROM page_layouts WHERE doc_id=? AND printed != '' ORDER BY page",
            (doc_id,),
        )
        return {int(page): printed for page, printed in rows}

    def chunks(
        self, doc_id: str | None = None, ids: Sequence[int] | None = None
    ) -> list[StoredChunk]:
        sql, args = "SELECT * FROM chunks", []
        if doc_id is not None:
            sql, args = sql + " WHERE doc_id=?", [doc_id]
        elif ids is not None:
            by_id = {c.id: c for c in self._chunks_by_ids(ids)}
            return [by_id[i] for i in ids if i in by_id]
        rows = self.db.execute(sql + " ORDER BY doc_id, ordinal", args)
        return [_chunk(row) for row in rows]

    def _chunks_by_ids(self, ids: Sequence[int]) -> list[StoredChunk]:
        out: list[StoredChunk] = []
        for start in range(0, len(ids), 900):
            part = list(ids[start : start + 900])
            marks = ",".join("?" * len(part))
            rows = self.db.execute(f"SELECT * FROM chunks WHERE id IN ({marks})", part)
            out.extend(_chunk(row) for row in rows)
        return out

    def chunk_texts(self) -> tuple[list[int], list[str]]:
        """Every chunk's id and text, by id."""
        rows = self.db.execute("SELECT id, text FROM chunks ORDER BY id").fetchall()
        return [r[0] for r in rows], [r[1] for r in rows]

    def vector_ids(self) -> list[int]:
        """Ids of the chunks that have a stored vector, ascending."""
        return [r[0] for r in self.db.execute("SELECT chunk_id FROM vectors ORDER BY chunk_id")]

    def chunk_ids_where(
        self, doc_ids: Sequence[str] = (), year: int | None = None
    ) -> frozenset[int]:
        """Ids of the chunks of some documents and/or of documents from a year."""
        sql = "SELECT c.id FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE 1=1"
        args: list[object] = []
        if doc_ids:
            sql += f" AND d.id IN ({','.join('?' * len(doc_ids))})"
            args += list(doc_ids)
        if year is not None:
            sql += " AND d.year = ?"
            args.append(year)
        return frozenset(r[0] for r in self.db.execute(sql, args))

    def aside_chunk_ids(self) -> frozenset[int]:
        """Chunks of contents pages and reference lists (kind toc / references)."""
        rows = self.db.execute("SELECT id FROM chunks WHERE kind IN ('toc', 'references')")
        return frozenset(r[0] for r in rows)

    def chunk_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM chunks ORDER BY id")]

    def counts(self) -> dict[str, int]:
        one = self.db.execute
        return {
            "documents": one("SELECT COUNT(*) FROM documents").fetchone()[0],
            "pages": one("SELECT COALESCE(SUM(pages), 0) FROM documents").fetchone()[0],
            "paragraphs": one("SELECT COUNT(*) FROM paragraphs").fetchone()[0],
            "chunks": one("SELECT COUNT(*) FROM chunks").fetchone()[0],
            "vectors": one("SELECT COUNT(*) FROM vectors").fetchone()[0],
        }

    # -- vectors ------------------------------------------------------------------------------

    @staticmethod
    def _put_vectors(db: sqlite3.Connection, chunk_ids: Sequence[int], vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if len(chunk_ids) != len(vectors):
            raise ValueError(f"{len(chunk_ids)} chunks but {len(vectors)} vectors")
        db.executemany(
            "INSERT OR REPLACE INTO vectors(chunk_id, vector) VALUES(?, ?)",
            [(cid, vec.tobytes()) for cid, vec in zip(chunk_ids, vectors, strict=True)],
        )

    def put_vectors(
        self,
        chunk_ids: Sequence[int],
        vectors: np.ndarray,
        meta: dict[str, str],
        sentences: tuple[Sequence[Sequence[tuple[int, int]]], Sequence[np.ndarray]] | None = None,
    ) -> None:
        """Store vectors (and sentence vectors) for existing chunks (re-embedding), atomically."""
        with self.transaction() as db:
            self._put_vectors(db, chunk_ids, vectors)
            if sentences is not None:
                self._put_sentence_vectors(db, chunk_ids, *sentences)
            for key, value in meta.items():
                self.set_meta(key, value, db)

    def clear_vectors(self) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM vectors")

    def vectors(self, ids: Sequence[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(chunk ids, float32 matrix) for all stored vectors, or for the given chunk ids."""
        if ids is None:
            rows = self.db.execute(
                "SELECT chunk_id, vector FROM vectors ORDER BY chunk_id"
            ).fetchall()
        else:
            rows = []
            for start in range(0, len(ids), 900):
                part = list(ids[start : start + 900])
                marks = ",".join("?" * len(part))
                rows += self.db.execute(
                    f"SELECT chunk_id, vector FROM vectors WHERE chunk_id IN ({marks}) "
                    "ORDER BY chunk_id",
                    part,
                ).fetchall()
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        chunk_ids = np.array([r[0] for r in rows], dtype=np.int64)
        matrix = np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows])
        return chunk_ids, matrix

    @staticmethod
    def _put_sentence_vectors(
        db: sqlite3.Connection,
        chunk_ids: Sequence[int],
        spans: Sequence[Sequence[tuple[int, int]]],
        vectors: Sequence[np.ndarray],
    ) -> None:
        db.executemany(
            "INSERT OR REPLACE INTO sentence_vectors(chunk_id, spans, vectors) VALUES(?, ?, ?)",
            [
                (cid, *encode_sentence_vectors(sp, v))
                for cid, sp, v in zip(chunk_ids, spans, vectors, strict=True)
            ],
        )

    def put_sentence_vectors(
        self,
        chunk_ids: Sequence[int],
        spans: Sequence[Sequence[tuple[int, int]]],
        vectors: Sequence[np.ndarray],
    ) -> None:
        """Store the sentence vectors of existing chunks (re-embedding), atomically."""
        with self.transaction() as db:
            self._put_sentence_vectors(db, chunk_ids, spans, vectors)

    def sentence_vectors(
        self, chunk_ids: Sequence[int]
    ) -> dict[int, dict[tuple[int, int], np.ndarray]]:
        """Per chunk id: each stored sentence span's vector (float32, normalised)."""
        out: dict[int, dict[tuple[int, int], np.ndarray]] = {}
        ids = list(dict.fromkeys(chunk_ids))
        for start in range(0, len(ids), 900):
            part = ids[start : start + 900]
            marks = ",".join("?" * len(part))
            rows = self.db.execute(
                "SELECT chunk_id, spans, vectors FROM sentence_vectors "
                f"WHERE chunk_id IN ({marks})",
                part,
            )
            for chunk_id, spans, blob in rows:
                out[int(chunk_id)] = decode_sentence_vectors(spans, blob)
        return out

    def count_chunks_without_sentence_vectors(self) -> int:
        return self.db.execute(
            "SELECT COUNT(*) FROM chunks c LEFT JOIN sentence_vectors s ON s.chunk_id=c.id "
            "WHERE s.chunk_id IS NULL"
        ).fetchone()[0]

    def chunks_without_sentence_vectors(self) -> list[StoredChunk]:
        return self._chunks_missing_from("sentence_vectors")

    def chunks_without_vectors(self) -> list[StoredChunk]:
        return self._chunks_missing_from("vectors")

    def _chunks_missing_from(self, table: str) -> list[StoredChunk]:
        """Chunks with no row in a per-chunk table (vectors, sentence_vectors), in id order."""
        rows = self.db.execute(
            f"SELECT c.* FROM chunks c LEFT JOIN {table} t ON t.chunk_id=c.id "
            "WHERE t.chunk_id IS NULL ORDER BY c.id"
        )
        return [_chunk(row) for row in rows]


def encode_sentence_vectors(
    spans: Sequence[tuple[int, int]], vectors: np.ndarray
) -> tuple[str, bytes]:
    """A chunk's sentence spans (JSON) and vectors (float16 bytes), as both backends store them."""
    # float16: answer scoring needs ~3 significant digits of a cosine, at half the space
    return json.dumps([list(s) for s in spans]), np.asarray(vectors, np.float16).tobytes()


def decode_sentence_vectors(spans: str, blob: bytes) -> dict[tuple[int, int], np.ndarray]:
    """Each stored sentence span's vector (float32), from encode_sentence_vectors' output."""
    pairs = [(int(s[0]), int(s[1])) for s in json.loads(spans)]
    if not pairs:
        return {}
    matrix = np.frombuffer(blob, dtype=np.float16).astype(np.float32).reshape(len(pairs), -1)
    return dict(zip(pairs, matrix, strict=True))


def _document(row: sqlite3.Row) -> Document:
    return Document(
        id=row["id"],
        path=row["path"],
        sha256=row["sha256"],
        title=row["title"],
        publisher=row["publisher"],
        year=row["year"],
        pages=row["pages"],
        chunks=row["n_chunks"],
        added_at=row["added_at"],
        updated_at=row["updated_at"],
        ocr_pages=row["n_ocr"],
        format=row["format"],
    )


def _chunk(row: sqlite3.Row) -> StoredChunk:
    path = row["section_path"]
    return StoredChunk(
        id=row["id"],
        doc_id=row["doc_id"],
        ordinal=row["ordinal"],
        text=row["text"],
        page_start=row["page_start"],
        page_end=row["page_end"],
        section=row["section"],
        section_path=tuple(path.split(SECTION_SEP)) if path else (),
        char_start=row["char_start"],
        char_end=row["char_end"],
        page_map=tuple(tuple(pair) for pair in json.loads(row["page_map"])),
        kind=row["kind"],
    )
