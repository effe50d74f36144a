"""One exception hierarchy: every error a user can meet, with its one-line message and exit code.

The message is what the CLI prints after ``error:``; ``exit_code`` is what the CLI exits with.
Stage modules raise these (or their own subclasses of them), so a caller of the library can catch
``PolicyminerError`` alone.
"""

from __future__ import annotations


class PolicyminerError(Exception):
    """Base of every policyminer error; ``str(err)`` is the one-line message for the user."""

    exit_code: int = 1

    def __init__(self, message: str = "", exit_code: int | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    @property
    def code(self) -> int:
        """The exit code (older name)."""
        return self.exit_code


class UsageError(PolicyminerError):
    """An argument or option value that cannot be used (unknown label, area, format, ...)."""

    exit_code = 2


class NoIndexError(PolicyminerError):
    """A reading command was pointed at a directory that holds no index."""

    @classmethod
    def at(cls, index_dir: object) -> NoIndexError:
        """The error for `index_dir`: where it looked, how to fill it, how to point elsewhere."""
        return cls(
            f"{index_dir}: no index here; add documents with: "
            f"policyminer ingest PATH --index {index_dir} "
            "(or point at an existing index with --index DIR or POLICYMINER_INDEX)"
        )


class UnknownDocumentError(UsageError):
    """A document reference (id, path or id prefix) that matches no document in the index."""

    def __init__(self, ref: str, index_dir: object, hint: str = " (see `policyminer docs`)"):
        super().__init__(f"{ref}: no such document in {index_dir}{hint}")
        self.ref = ref


class IngestError(PolicyminerError):
    """A problem that stops a whole ingest (not one file), e.g. an embedding-model mismatch."""


class DocumentError(PolicyminerError):
    """One file that cannot be read as a document; the message names the reason."""

    exit_code = 2


class SearchError(PolicyminerError):
    """A search that cannot run; the message is meant for the user."""


class AnswerError(PolicyminerError):
    """A problem with a question, its filters or the index, worded for the user."""


class ModelError(PolicyminerError):
    """A model cannot be built or loaded; the message says what to do."""


class EmbeddingError(ModelError):
    """An embedding model cannot be built or loaded; the message says what to do."""


class TaxonomyError(UsageError):
    """An opportunity-area taxonomy or area id that cannot be used."""


__all__ = [
    "AnswerError",
    "DocumentError",
    "EmbeddingError",
    "IngestError",
    "ModelError",
    "NoIndexError",
    "PolicyminerError",
    "SearchError",
    "TaxonomyError",
    "UnknownDocumentError",
    "UsageError",
]
