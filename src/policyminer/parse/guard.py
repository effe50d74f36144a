"""Per-page fault isolation: a time budget for a page's layout and a plain-text fallback.

A page whose layout fails (glyph data no rule foresaw) or runs past its time budget is read as
plain text in the order the PDF draws it, so one odd page never costs the whole document.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from policyminer.parse.layout import Glyph, RawPage
from policyminer.parse.textclean import join_lines, normalize_text
from policyminer.records import Paragraph

# CPU seconds of layout one page may take before it is read plain; CPU time, not wall time, so a
# busy machine never turns good pages into plain ones
DEFAULT_PAGE_BUDGET = 5.0
BUDGET_ENV = "POLICYMINER_PAGE_BUDGET"


class PageTimeout(Exception):
    """A page's layout ran past its time budget."""


def page_budget(value: float | None = None) -> float:
    """The page budget in seconds: the given value, else $POLICYMINER_PAGE_BUDGET, else 5 s."""
    if value is not None:
        return float(value)
    raw = os.environ.get(BUDGET_ENV, "").strip()
    try:
        return float(raw) if raw else DEFAULT_PAGE_BUDGET
    except ValueError:
        return DEFAULT_PAGE_BUDGET


@dataclass
class Deadline:
    """When a page's layout must be done; checked between steps and, where possible, by alarm."""

    seconds: float
    start: float = 0.0

    def __post_init__(self) -> None:
        self.start = time.process_time()

    @property
    def expired(self) -> bool:
        return self.seconds > 0 and time.process_time() - self.start > self.seconds

    def check(self) -> None:
        if self.expired:
            raise PageTimeout(f"layout took over {self.seconds:g} s")


@contextmanager
def time_limit(seconds: float) -> Iterator[Deadline]:
    """Interrupt the block with PageTimeout after `seconds` of CPU time (0 or less: no limit).

    The profiling timer interrupts a runaway loop anywhere in Python code; it works only in the
    main thread, so elsewhere the deadline is checked between layout steps instead.
    """
    deadline = Deadline(seconds)
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)  # never steal a caller's timer
    )
    if not usable:
        yield deadline
        return

    def expire(signum, frame) -> None:
        raise PageTimeout(f"layout took over {seconds:g} s")

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield deadline
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def plain_lines(glyphs: Sequence[Glyph]) -> list[tuple[float, float, str]]:
    """(baseline, size, text) of each line, in the order the PDF draws the glyphs."""
    lines: list[tuple[float, float, str]] = []
    parts: list[str] = []
    last: Glyph | None = None
    for glyph in glyphs:
        if last is not None:
            size = max(last.size, glyph.size, 1.0)
            if abs(glyph.baseline - last.baseline) > 0.5 * size or glyph.x0 < last.x0 - size:
                lines.append((last.baseline, size, "".join(parts)))
                parts = []
            elif glyph.x0 - last.x1 > 0.2 * size and glyph.text.strip() and parts[-1:] != [" "]:
                parts.append(" ")
        parts.append(glyph.text)
        last = glyph
    if last is not None:
        lines.append((last.baseline, max(last.size, 1.0), "".join(parts)))
    return [(b, s, " ".join(t.split())) for b, s, t in lines if t.strip()]


def plain_paragraphs(page: RawPage, section_path: tuple[str, ...] = ()) -> list[Paragraph]:
    """A page's text as the PDF orders it, cut into paragraphs at wide vertical gaps."""
    blocks: list[list[str]] = []
    previous: tuple[float, float] | None = None
    for baseline, size, text in plain_lines(page.glyphs):
        gap = abs(baseline - previous[0]) if previous else 0.0
        if previous is None or gap > 1.8 * max(size, previous[1]):
            blocks.append([])
        blocks[-1].append(text)
        previous = (baseline, size)
    section = section_path[-1] if section_path else ""
    paragraphs = []
    for block in blocks:
        text = normalize_text(join_lines(block))
        if text:
            paragraphs.append(Paragraph(page.number, text, section, section_path, "body"))
    return paragraphs
