"""One background writer: ingest and remove jobs run one at a time, with progress to show."""

from __future__ import annotations

import itertools
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

KEEP_FINISHED = 20  # finished jobs still listed on the documents page


@dataclass
class Job:
    """A queued or running write to the index, and what it has done so far."""

    id: int
    kind: str  # "ingest" | "remove"
    label: str  # what the user asked for: file names, a folder, a document id
    state: str = "queued"  # queued | running | done | failed
    files_total: int = 0
    files_done: int = 0
    current: str = ""
    stage: str = ""
    page: int = 0
    pages: int = 0
    lines: list[str] = field(default_factory=list)  # one line per result or failure
    error: str = ""
    started: float = 0.0
    finished: float = 0.0

    def as_dict(self) -> dict[str, object]:
        """The job as /api/jobs returns it."""
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "state": self.state,
            "files_total": self.files_total,
            "files_done": self.files_done,
            "current": self.current,
            "stage": self.stage,
            "page": self.page,
            "pages": self.pages,
            "lines": list(self.lines),
            "error": self.error,
        }


class JobProgress:
    """Receives the ingest's progress callbacks and writes them onto the job."""

    def __init__(self, job: Job):
        self.job = job

    def files_found(self, total: int) -> None:
        self.job.files_total = total

    def file_started(self, path: Path) -> None:
        self.job.current = Path(path).name
        self.job.stage = "parse"
        self.job.page = self.job.pages = 0

    def page_parsed(self, page: int, total: int) -> None:
        self.job.page, self.job.pages = page, total

    def stage(self, name: str) -> None:
        self.job.stage = name

    def file_done(self, result) -> None:
        self.job.files_done += 1
        reason = getattr(result, "reason", "") or ""
        name = Path(getattr(result, "path", "")).name
        status = getattr(result, "status", "")
        self.job.lines.append(f"{name}: {status}" + (f" ({reason})" if reason else ""))


Work = Callable[[Job, JobProgress], None]


class Writer:
    """A single thread that runs write jobs in order; `on_change` runs after each finished job."""

    def __init__(self, on_change: Callable[[], None]):
        self._queue: queue.Queue[tuple[Job, Work] | None] = queue.Queue()
        self._jobs: list[Job] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._on_change = on_change
        self._thread = threading.Thread(target=self._loop, name="policyminer-writer", daemon=True)
        self._thread.start()

    def submit(self, kind: str, label: str, work: Work) -> Job:
        """Queue a job; it runs after the ones before it."""
        job = Job(id=next(self._ids), kind=kind, label=label)
        with self._lock:
            self._jobs.append(job)
        self._queue.put((job, work))
        return job

    def jobs(self) -> list[Job]:
        """Running and queued jobs, then the most recent finished ones, newest first."""
        with self._lock:
            return list(reversed(self._jobs))

    def busy(self) -> bool:
        """Whether a job is queued or running."""
        return any(j.state in ("queued", "running") for j in self.jobs())

    def wait(self, timeout: float = 60.0) -> None:
        """Block until every queued job has finished (for scripts and shutdown)."""
        deadline = time.monotonic() + timeout
        while self.busy() and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        """Let the current job finish, then end the thread."""
        self._queue.put(None)

    def _loop(self) -> None:
        while (item := self._queue.get()) is not None:
            job, work = item
            job.state, job.started = "running", time.time()
            try:
                work(job, JobProgress(job))
                job.state = "done"
            except Exception as err:  # a job's failure is shown on its row, the writer goes on
                job.state, job.error = "failed", str(err).splitlines()[0] if str(err) else repr(err)
            finally:
                job.finished = time.time()
                job.current, job.stage = "", ""
                self._on_change()
                self._trim()

    def _trim(self) -> None:
        with self._lock:
            finished = [j for j in self._jobs if j.state in ("done", "failed")]
            for old in finished[:-KEEP_FINISHED]:
                self._jobs.remove(old)
