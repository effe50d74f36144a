"""Ingest plumbing: stage timings add up, and ETAs follow the pages still to do."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from policyminer.pipeline import RunClock, StageTimer


def test_nested_stages_count_once() -> None:
    timer = StageTimer()
    started = time.perf_counter()
    with timer.stage("write"):
        time.sleep(0.01)
        with timer.stage("tag"):
            time.sleep(0.02)
    total = time.perf_counter() - started
    # the tag time is the tag's alone, and write plus tag is the time the block took
    assert timer.seconds["tag"] >= 0.02
    assert 0.03 <= timer.seconds["write"] + timer.seconds["tag"] <= total
    assert timer.seconds["write"] < total - 0.02
    assert list(timer.ordered()) == ["tag", "write"]  # pipeline order, not insertion order


def test_eta_counts_only_the_pages_still_to_do() -> None:
    a, b, c = Path("a.pdf"), Path("b.pdf"), Path("c.pdf")
    clock = RunClock({a: 10, b: 30, c: 5})
    assert clock.rate is None and clock.run_eta() is None  # nothing measured yet: no guess
    clock.file_started(a)
    time.sleep(0.02)
    clock.file_done(a, 10, worked=True)
    rate = clock.rate
    assert rate and rate > 0
    assert clock.run_eta() == pytest.approx(35 / rate)
    # an unchanged file costs nothing: it leaves the rate alone and drops out of the ETA
    clock.file_started(c)
    clock.file_done(c, 0, worked=False)
    assert clock.rate == rate
    assert clock.run_eta() == pytest.approx(30 / rate)


def test_model_loading_does_not_count_as_page_time() -> None:
    loaded = [0.0]
    clock = RunClock({Path("a.pdf"): 10}, one_off=lambda: loaded[0])
    clock.file_started(Path("a.pdf"))
    loaded[0] = 60.0  # a minute of model loading happened inside the first file
    clock.file_done(Path("a.pdf"), 10, worked=True)
    assert clock.work_seconds == 0.0 and clock.rate is None
