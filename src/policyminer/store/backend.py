"""Which storage backend an --index value names, and opening its catalog.

Two backends offer the same catalog operations (documents, paragraphs, chunks, vectors, meta,
mentions and tags through store.enrichment, one transaction per document):

- a directory: SQLite catalog + FAISS and BM25 files beside it (store.catalog; the default);
- a ``postgresql://`` URL: PostgreSQL with pgvector and full-text search (store.pgcatalog).

Search reads the vector and lexical sides through index.server for the database backend; every
other stage sees only the catalog.
"""

from __future__ import annotations

from pathlib import Path

from policyminer.errors import NoIndexError
from policyminer.store.catalog import Catalog
from policyminer.store.paths import CATALOG_FILE, display_url, is_server_url
from policyminer.store.pgcatalog import PgCatalog, server_has_catalog

AnyCatalog = Catalog | PgCatalog
Location = Path | str  # an index directory, or a postgresql:// URL


def open_catalog(location: Location) -> AnyCatalog:
    """The catalog at a location, created (and migrated) if need be."""
    if is_server_url(location):
        return PgCatalog(str(location))
    return Catalog(Path(location))


def existing_catalog(location: Location) -> AnyCatalog:
    """The catalog at a location; NoIndexError (creating nothing) when there is none."""
    if is_server_url(location):
        return PgCatalog.existing(str(location))
    return Catalog.existing(Path(location))


def catalog_exists(location: Location) -> bool:
    """Whether the location holds an evidence base (a connection failure raises NoIndexError)."""
    if is_server_url(location):
        return server_has_catalog(str(location))
    return (Path(location) / CATALOG_FILE).exists()


def location_name(location: Location) -> str:
    """The location as messages show it (a URL without its password)."""
    return display_url(location) if is_server_url(location) else str(location)


def require(location: Location) -> None:
    """Raise NoIndexError unless the location holds an evidence base."""
    if not catalog_exists(location):
        raise NoIndexError.at(location_name(location))
