"""What every request shares: the index, one reading Library, the page cache and the writer."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from policyminer.library import Library
from policyminer.web.jobs import Writer
from policyminer.web.pages import PageCache

log = logging.getLogger("policyminer.web")
T = TypeVar("T")


class WebState:
    """What every request shares: the index, one reading Library, the page cache, the writer."""

    def __init__(self, index_dir: Path, token: str | None, max_upload_mb: int):
        self.index_dir = Path(index_dir)
        self.token = token
        self.max_upload = max_upload_mb * 1024 * 1024
        self.max_upload_mb = max_upload_mb
        self.pages = PageCache()
        self._lib: Library | None = None
        self._generation = 0
        self._opened = -1
        # One reader at a time: the Library's search indexes and models are shared, not copied.
        self._lock = threading.RLock()
        # ...and always on the same thread: stage modules open SQLite connections of their own,
        # which may only be used by the thread that opened them.
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="policyminer-reader")
        self.writer = Writer(on_change=self.changed)

    @property
    def upload_dir(self) -> Path:
        """Where uploaded files are kept (under the index, with generated names)."""
        return self.index_dir / "uploads"

    def changed(self) -> None:
        """The index was written: the next read reopens the Library to see it."""
        self._generation += 1

    @contextmanager
    def library(self) -> Iterator[Library]:
        """The reading Library, reopened when a write job has finished since it was opened."""
        with self._lock:
            if self._lib is None or self._opened != self._generation:
                if self._lib is not None:
                    self._lib.close()
                self._opened = self._generation
                self._lib = Library(self.index_dir)
            yield self._lib

    @contextmanager
    def writing(self) -> Iterator[Library]:
        """A Library of its own for one write job (the writer thread is the only writer)."""
        lib = Library(self.index_dir)
        try:
            yield lib
        finally:
            lib.close()

    async def read(self, work: Callable[[Library], T]) -> T:
        """Run `work(library)` on the reader thread, without blocking the event loop."""

        def call() -> T:
            with self.library() as lib:
                return work(lib)

        return await asyncio.wrap_future(self._reader.submit(call))

    def start_warming(self) -> None:
        """Warm up on the reader thread (the first request waits for it, if it comes early)."""
        self._reader.submit(self.warm)

    def warm(self) -> None:
        """Load the search indexes and the query model now, so the first question is quick."""
        try:
            with self.library() as lib:
                if lib.documents():
                    lib.search("helse", k=1)
        except Exception as err:  # warming is a courtesy: the first real request reports errors
            log.info("warm-up skipped: %s", err)

    def close(self) -> None:
        """Stop the writer after its current job and close the Library on its own thread."""
        self.writer.stop()
        self._reader.submit(self._close_library).result(timeout=30)
        self._reader.shutdown(wait=False)

    def _close_library(self) -> None:
        with self._lock:
            if self._lib is not None:
                self._lib.close()
                self._lib = None
