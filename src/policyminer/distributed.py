"""Ingest fanned out on a Ray cluster, into the PostgreSQL backend.

Each Ray actor is one worker: it loads the embedding model, the NER pipeline and the area tagger
once, then parses, chunks, embeds, enriches and writes whole documents (ingest.ingest_file, the
same code as a local ingest), each in its own database transaction. A worker that dies (a node
lost, kill -9) is restarted by Ray and its document retried; what it had not committed is not in
the database, so every document is fully in or not in. Ray schedules; there is no job queue
of our own.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from policyminer.errors import UsageError
from policyminer.ingest import (
    Enricher,
    FileResult,
    IngestProgress,
    IngestReport,
    discover,
    ingest_file,
    parse_file,
)
from policyminer.pipeline import StageTimer
from policyminer.records import ParseOptions
from policyminer.store.backend import Location, location_name
from policyminer.store.paths import is_server_url
from policyminer.store.pgcatalog import PgCatalog

LOCAL = "local"
RESTARTS = 2  # a dead worker is restarted, and its document retried, this many times


class DocumentWorker:
    """One Ray actor: models loaded once, documents ingested one at a time."""

    def __init__(self, url: str, model: str | None, options: ParseOptions | None):
        self.catalog = PgCatalog(url)
        self.timer = StageTimer()
        self.enricher = Enricher(self.catalog, model, self.timer)
        self.parse = partial(parse_file, options=options)

    def pid(self) -> int:
        return os.getpid()

    def ingest(self, path: str) -> FileResult:
        return ingest_file(
            self.catalog, self.enricher, Path(path), IngestProgress(), self.parse, self.timer
        )

    def timings(self) -> tuple[dict[str, float], dict[str, float]]:
        return self.timer.ordered(), self.timer.ordered(cpu=True)


def start_ray(address: str, workers: int | None = None):
    """Connect to a Ray cluster at `address`, or start a local one (`local`)."""
    # ray is the optional `ray` extra (and takes seconds to import): loaded only for --ray.
    try:
        import ray
    except ImportError:
        raise UsageError("--ray needs Ray: pip install 'policyminer[ray]'") from None
    if ray.is_initialized():
        return ray
    if address == LOCAL:
        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    else:
        ray.init(address=address, log_to_driver=False)
    return ray


def ingest_on_ray(
    paths: Sequence[Path],
    location: Location,
    address: str,
    workers: int | None = None,
    model: str | None = None,
    progress: IngestProgress | None = None,
    options: ParseOptions | None = None,
) -> IngestReport:
    """Ingest files on Ray workers into a PostgreSQL evidence base; a report like ingest_paths."""
    if not is_server_url(location):
        raise UsageError(
            f"--ray writes to a shared database: give --index postgresql://… "
            f"(not {location_name(location)})"
        )
    started = time.perf_counter()
    progress = progress or IngestProgress()
    skipped: list[Path] = []
    files, problems = discover(paths, skipped)
    report = IngestReport(results=list(problems), skipped=skipped)
    for result in problems:
        progress.file_done(result)
    progress.files_found(len(files))
    PgCatalog(str(location)).close()  # the schema exists before workers race to create it
    if files:
        ray = start_ray(address, workers)
        count = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        count = min(count, len(files))
        actor = ray.remote(num_cpus=1, max_restarts=RESTARTS, max_task_retries=RESTARTS)(
            DocumentWorker
        )
        pool = [actor.remote(str(location), model, options) for _ in range(count)]
        report.results += _run(ray, pool, files, progress)
        for wall, cpu in ray.get([w.timings.remote() for w in pool]):
            _add(report.timings, wall)
            _add(report.cpu_timings, cpu)
        for worker in pool:
            ray.kill(worker)
    report.seconds = time.perf_counter() - started
    return report


def _run(ray, pool: list, files: list[Path], progress: IngestProgress) -> list[FileResult]:
    """Keep every worker busy with the next file; results in the order files finish."""
    todo = list(reversed(files))
    running = {}
    for worker in pool:
        if todo:
            path = todo.pop()
            running[worker.ingest.remote(str(path))] = (worker, path)
    results = []
    while running:
        done, _ = ray.wait(list(running), num_returns=1)
        worker, path = running.pop(done[0])
        try:
            result = ray.get(done[0])
        except Exception as err:  # the worker died more often than Ray restarts it
            reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            result = FileResult(path, "failed", reason=f"worker failed: {reason}")
        results.append(result)
        progress.file_done(result)
        if todo:
            path = todo.pop()
            running[worker.ingest.remote(str(path))] = (worker, path)
    return results


def _add(total: dict[str, float], part: dict[str, float]) -> None:
    for stage, seconds in part.items():
        total[stage] = round(total.get(stage, 0.0) + seconds, 3)
