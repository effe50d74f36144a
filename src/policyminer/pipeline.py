"""Ingest plumbing: where the time goes (stage timings), throughput and ETA, parse-ahead workers.

Kept out of ingest.py so the pipeline's steps stay readable there: this module only measures
and schedules. Parsing the next files in worker processes overlaps the cheap, single-threaded
parse with the encoders of the current file; nothing here writes to the catalog, so the
every-document-fully-in-or-not-in guarantee stays with the catalog transaction.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Stage names in pipeline order, as the end summary and the benchmark print them.
STAGES = ("load", "parse", "chunk", "embed", "ner", "tag", "write", "index")


@dataclass
class StageTimer:
    """Wall-clock and CPU seconds spent in each stage of an ingest run (main process).

    Stages nest (area tagging runs inside the catalog write): an inner stage's time counts
    for it alone, so the stages add up to the time measured. CPU time (all threads of this
    process) is kept beside wall time because on a shared machine wall time also measures
    the neighbours.
    """

    seconds: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    _inner: list[list[float]] = field(default_factory=list, repr=False)  # nested wall, cpu

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Add the time spent inside the block, less nested stages, to stage ``name``."""
        wall, cpu = time.perf_counter(), time.process_time()
        self._inner.append([0.0, 0.0])
        try:
            yield
        finally:
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            nested_wall, nested_cpu = self._inner.pop()
            self.seconds[name] = self.seconds.get(name, 0.0) + wall - nested_wall
            self.cpu[name] = self.cpu.get(name, 0.0) + cpu - nested_cpu
            if self._inner:
                self._inner[-1][0] += wall
                self._inner[-1][1] += cpu

    def timed(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        """``fn`` with its calls counted towards stage ``name``."""

        def run(*args: Any, **kwargs: Any) -> Any:
            with self.stage(name):
                return fn(*args, **kwargs)

        return run

    def ordered(self, cpu: bool = False) -> dict[str, float]:
        """Seconds per stage (wall, or CPU) in pipeline order, unknown stages last, to the ms."""
        source = self.cpu if cpu else self.seconds
        names = [s for s in STAGES if s in source]
        names += sorted(set(source) - set(STAGES))
        return {name: round(source[name], 3) for name in names}


def estimate_pages(path: Path) -> int:
    """Page count of a file without parsing it (PDF page tree; text files count 1); 0 if unknown."""
    if path.suffix.lower() != ".pdf":
        return 1
    try:
        import pypdfium2  # the parser's own PDF library; opening reads only the page tree

        pdf = pypdfium2.PdfDocument(str(path))
        try:
            return len(pdf)
        finally:
            pdf.close()
    except Exception:  # a broken or locked file: its parse will say why
        return 0


@dataclass
class RunClock:
    """Pages per second and ETAs, from the pages of files actually processed so far.

    Unchanged and duplicate files cost next to nothing, so only files that were parsed and
    enriched feed the rate; their planned pages drop out of the remaining work as they are met.
    ``one_off`` reports the seconds spent so far on once-per-run work (model loads), which
    would otherwise make the first file's rate, and every ETA after it, far too slow.
    """

    planned: dict[Path, int] = field(default_factory=dict)
    one_off: Callable[[], float] = lambda: 0.0
    started: float = field(default_factory=time.monotonic)
    pages_done: int = 0
    work_seconds: float = 0.0
    current: Path | None = None
    current_started: float = 0.0
    current_one_off: float = 0.0
    finished: set[Path] = field(default_factory=set)

    def file_started(self, path: Path) -> None:
        self.current, self.current_started = path, time.monotonic()
        self.current_one_off = self.one_off()

    def file_done(self, path: Path, pages: int, worked: bool) -> None:
        """Record a finished file; ``worked`` when it was parsed and enriched (not skipped)."""
        if worked and self.current == path:
            self.pages_done += pages
            loading = self.one_off() - self.current_one_off
            self.work_seconds += max(0.0, time.monotonic() - self.current_started - loading)
        self.finished.add(path)
        self.current = None

    @property
    def rate(self) -> float | None:
        """Pages per second over the processed files, or None before the first one is done."""
        if not self.pages_done or self.work_seconds <= 0:
            return None
        return self.pages_done / self.work_seconds

    def file_eta(self) -> float | None:
        """Seconds left on the current file, at the run's rate so far."""
        rate = self.rate
        if rate is None or self.current is None:
            return None
        elapsed = time.monotonic() - self.current_started
        return max(0.0, self.planned.get(self.current, 0) / rate - elapsed)

    def run_eta(self) -> float | None:
        """Seconds left on the whole run: the current file plus the pages not yet started."""
        rate = self.rate
        if rate is None:
            return None
        waiting = sum(
            pages
            for path, pages in self.planned.items()
            if path not in self.finished and path != self.current
        )
        return (self.file_eta() or 0.0) + waiting / rate


def default_jobs() -> int:
    """Parse workers when none are asked for: 1 up to 4 cores, then one per 4 cores (≤ 4).

    Parsing is a few per cent of ingest time, so one worker already hides it behind the
    encoders on small machines; more would only take cores from them.
    """
    cores = len(os.sched_getaffinity(0))
    return 1 if cores <= 4 else min(4, cores // 4)


def _exit_with_parent(parent: int) -> None:
    """Worker initialiser: leave when the ingest process is gone (even after kill -9)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


class ParseAhead:
    """Parses upcoming files in worker processes while the main process enriches the current one.

    ``parse`` must be a module-level function (it is pickled by name) with the signature of
    ``ingest.parse_file``. With ``jobs`` 0 nothing runs ahead and every file is parsed inline,
    with page-by-page progress.
    """

    def __init__(self, parse: Callable[..., Any], jobs: int, lookahead: int | None = None):
        self.parse = parse
        self.jobs = max(0, jobs)
        self.lookahead = lookahead if lookahead is not None else self.jobs
        self._pool: ProcessPoolExecutor | None = None
        self._futures: dict[Path, Future] = {}

    def __enter__(self) -> ParseAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        self._futures.clear()

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn: the main process runs torch's thread pools, which must not be forked
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_exit_with_parent,
                initargs=(os.getpid(),),
            )
        return self._pool

    def prefetch(self, upcoming: Sequence[Path], wanted: Callable[[Path], bool]) -> None:
        """Start parsing the next ``lookahead`` files of ``upcoming`` that ``wanted`` accepts."""
        if not self.jobs:
            return
        for path in upcoming[: self.lookahead]:
            if path not in self._futures and wanted(path):
                self._futures[path] = self._executor().submit(self.parse, path)

    def parser(self, path: Path) -> Callable[..., Any]:
        """A ``parse_file``-compatible callable: the prefetched result, else an inline parse."""
        future = self._futures.pop(path, None)

        def parse(
            file: Path,
            progress: Callable[[int, int], None] | None = None,
            sha256: str | None = None,
        ) -> Any:
            parsed = None
            if future is not None:
                try:
                    parsed = future.result()  # re-raises the worker's ParseError as is
                except BrokenProcessPool:  # a worker died (out of memory, killed): parse here
                    parsed = None
            # the file may have changed between the worker's read and the caller's hash
            if parsed is not None and (sha256 is None or parsed.sha256 == sha256):
                if progress:
                    progress(parsed.page_count, parsed.page_count)
                return parsed
            return self.parse(file, progress=progress, sha256=sha256)

        return parse
