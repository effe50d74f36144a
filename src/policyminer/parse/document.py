"""Whole-document layout with per-page fault isolation: pages → paragraphs and per-page layout.

Each page's layout steps run under the page's time budget and catch their own failures; a page
that fails or runs out of time is read as plain text (see guard.py) and flagged, and the rest of
the document is laid out as usual. Pages read by OCR come in as paragraph texts with their
places on the page, which tell their running headers, footers and headings (scanlayout.py).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from policyminer.parse.blocks import (
    Block,
    block_text,
    group_blocks,
    join_across_pages,
    join_broken_sentences,
    pull_quotes,
    settle_large_type,
)
from policyminer.parse.columns import reading_order
from policyminer.parse.footnotes import link_notes, place_refs
from policyminer.parse.furniture import Furniture, margin_furniture
from policyminer.parse.guard import page_budget, plain_paragraphs, time_limit
from policyminer.parse.layout import Glyph, Grid, Line, RawPage
from policyminer.parse.linekinds import (
    Typography,
    body_size_of,
    demote_bold_paragraphs,
    heading_levels,
    is_heading,
    line_pitch,
    mark_footnotes,
    mark_heading_continuations,
    mark_plain_numbered_headings,
    numbering_depth,
)
from policyminer.parse.ocr import Placement
from policyminer.parse.scanlayout import ocr_line, scan_headings
from policyminer.parse.tables import find_boxes, split_tables, table_line
from policyminer.parse.textclean import normalize_text, vocabulary_of
from policyminer.records import NoteRef, Paragraph

FULL, PLAIN, OCR = "full", "plain", "ocr"
T = TypeVar("T")


@dataclass
class LayoutResult:
    """Paragraphs in reading order, how each page was read, and what went wrong where."""

    paragraphs: list[Paragraph]
    layouts: dict[int, str] = field(default_factory=dict)  # page → full | plain | ocr
    problems: dict[int, str] = field(default_factory=dict)  # page → why it was read plain
    printed: dict[int, str] = field(default_factory=dict)  # page → the page number it prints


class _PageRunner:
    """Runs a page's layout steps within the page's budget; remembers the pages that failed."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.spent: dict[int, float] = {}
        self.failed: dict[int, str] = {}

    def run(self, page: int, step: Callable[..., T], *args: object) -> T | None:
        if page in self.failed:
            return None
        left = self.budget - self.spent.get(page, 0.0) if self.budget > 0 else 0.0
        if self.budget > 0 and left <= 0:
            self.failed[page] = f"layout took over {self.budget:g} s"
            return None
        started = time.process_time()
        try:
            with time_limit(left):
                return step(*args)
        except Exception as err:  # any rule can meet glyph data it never foresaw
            reason = " ".join(str(err).split())[:100]
            self.failed[page] = f"{type(err).__name__}: {reason}" if reason else type(err).__name__
            return None
        finally:
            self.spent[page] = self.spent.get(page, 0.0) + time.process_time() - started


def layout_document(
    pages: Sequence[RawPage],
    budget: float | None = None,
    ocr_texts: Mapping[int, list[str]] | None = None,
    ocr_places: Mapping[int, Sequence[Placement]] | None = None,
) -> LayoutResult:
    """Lay out every page; a page that fails or overruns `budget` seconds is read plain.

    `ocr_texts` holds the paragraph texts of pages read by OCR (page number → texts), and
    `ocr_places` where each sits on its page, where known: their running headers, footers and
    page numbers are dropped as on other pages, and their headings found by size.
    """
    ocr_texts = ocr_texts or {}
    runner = _PageRunner(page_budget(budget))
    laid = [p for p in pages if p.number not in ocr_texts]
    lines: dict[int, list[Line]] = {}
    grids: dict[int, list[tuple[list[Glyph], Grid]]] = {}
    for page in laid:
        split = runner.run(page.number, split_tables, page)
        if split is not None:
            lines[page.number], grids[page.number] = split
    ok = [p for p in laid if p.number not in runner.failed]
    vocabulary = vocabulary_of(ln.text for p in ok for ln in lines[p.number])
    ocr_places = ocr_places or {}
    scanned = _placed_scans(pages, ocr_texts, ocr_places)
    try:
        margin = margin_furniture(
            [(p, lines[p.number]) for p in ok] + [(p, read) for p, read in scanned.values()]
        )
    except Exception:  # furniture stays in the text rather than losing the pages
        margin = Furniture(set())
    running = margin.lines
    ocr_read = {n: list(zip(ocr_texts[n], ocr_places[n], strict=True)) for n in scanned}
    furniture = {
        (n, i) for n, (_, read) in scanned.items() for i, ln in enumerate(read) if id(ln) in running
    }
    headings = scan_headings(
        {
            n: [r for i, r in enumerate(read) if (n, i) not in furniture]
            for n, read in ocr_read.items()
        }
    )
    try:
        quotes = pull_quotes([(p.number, lines[p.number]) for p in ok])
    except Exception:  # a repeated quote costs less than the pages
        quotes = set()
    # drop furniture on every page before any new line exists: ids of freed lines get reused
    for page in ok:
        lines[page.number] = [
            ln for ln in lines[page.number] if id(ln) not in running and id(ln) not in quotes
        ]
        runner.run(page.number, _mark_boxes, page, lines[page.number], grids[page.number])
    for page in ok:
        kept = runner.run(
            page.number, _with_tables, lines[page.number], grids[page.number], vocabulary
        )
        if kept is not None:
            lines[page.number] = kept
    typo = _classify(runner, [p for p in laid if p.number not in runner.failed], lines)
    paragraphs: list[Paragraph] = []
    path: list[tuple[int, str]] = []
    for page in pages:
        if page.number in ocr_read:
            kept = [
                text
                for i, (text, _) in enumerate(ocr_read[page.number])
                if (page.number, i) not in furniture
            ]
            levels = {i: level for (n, i), level in headings.items() if n == page.number}
            paragraphs.extend(_ready(page.number, kept, path, levels))
            continue
        if page.number in ocr_texts:
            paragraphs.extend(_ready(page.number, ocr_texts[page.number], path))
            continue
        saved = list(path)
        found = runner.run(
            page.number, _page_paragraphs, page, lines.get(page.number), typo, path, vocabulary
        )
        if found is None:
            path[:] = saved
            found = plain_paragraphs(page, tuple(t for _, t in path))
        paragraphs.extend(found)
    # an unjoined word split over a page break costs less than the pages
    with contextlib.suppress(Exception):
        paragraphs = join_across_pages(paragraphs, vocabulary)
    with contextlib.suppress(Exception):
        paragraphs = join_broken_sentences(paragraphs)
    with contextlib.suppress(Exception):  # a note left unlinked costs less than the document
        paragraphs = link_notes(paragraphs)
    layouts = {p.number: FULL for p in pages}
    layouts.update({n: PLAIN for n in runner.failed})
    layouts.update({n: OCR for n in ocr_texts})
    return LayoutResult(paragraphs, layouts, dict(runner.failed), margin.printed)


def _mark_boxes(
    page: RawPage, lines: list[Line], page_grids: list[tuple[list[Glyph], Grid]]
) -> None:
    """Lines inside a framed sidebar or fact box (not a table) are of kind 'box'."""
    tables = [grid.box for _, grid in page_grids]
    for x0, top, x1, bottom in find_boxes(page):
        if any(a < x1 and x0 < c and b < bottom and top < d for a, b, c, d in tables):
            continue
        for line in lines:
            if x0 - 1 <= line.x0 and line.x1 <= x1 + 1 and top - 1 <= line.top <= bottom + 1:
                line.kind = "box"


def _with_tables(
    lines: list[Line], page_grids: list[tuple[list[Glyph], Grid]], vocabulary: set[str]
) -> list[Line]:
    kept = list(lines)
    for glyphs, grid in page_grids:
        table = table_line(glyphs, grid, vocabulary)
        if table is not None:
            kept.append(table)
    return kept


def _classify(runner: _PageRunner, pages: Sequence[RawPage], lines: dict[int, list[Line]]):
    """Footnotes and headings (with levels) page by page; the document's typography."""
    body_size = body_size_of(ln for p in pages for ln in lines[p.number] if ln.kind == "body")
    headings: list[Line] = []
    for page in pages:
        headings.extend(runner.run(page.number, _mark_page, lines[page.number], body_size) or [])
    for page in pages:
        found = runner.run(page.number, mark_plain_numbered_headings, lines[page.number], body_size)
        headings.extend(found or [])
    levels = heading_levels(headings)
    for line in headings:
        depth = numbering_depth(line.text)
        line.level = depth if depth is not None else levels.get(line.style, 1)
    for page in pages:
        runner.run(page.number, mark_heading_continuations, lines[page.number], body_size)
    good = [lines[p.number] for p in pages if p.number not in runner.failed]
    return Typography(body_size, line_pitch(good, body_size), levels)


def _mark_page(lines: list[Line], body_size: float) -> list[Line]:
    mark_footnotes(lines, body_size)
    headings = []
    for line in lines:
        if line.kind == "body" and is_heading(line, body_size):
            line.kind = "heading"
            headings.append(line)
    demoted = demote_bold_paragraphs(lines, body_size)
    return [line for line in headings if id(line) not in demoted]


def _page_paragraphs(
    page: RawPage,
    lines: list[Line],
    typo: Typography,
    path: list[tuple[int, str]],
    vocabulary: set[str],
) -> list[Paragraph]:
    """One laid-out page's paragraphs; `path` (the open headings) is carried across pages."""
    # a sidebar or fact box follows the body text it stands beside; footnotes come last
    ordered = reading_order([ln for ln in lines if ln.kind not in ("footnote", "box")])
    ordered += reading_order([ln for ln in lines if ln.kind == "box"])
    ordered += reading_order([ln for ln in lines if ln.kind == "footnote"])
    out: list[Paragraph] = []
    for block in settle_large_type(group_blocks(ordered, typo), typo.body_size):
        text = block_text(block, vocabulary)
        if not text:
            continue
        if block.kind == "heading":
            level = block.lines[0].level
            while path and path[-1][0] >= level:
                path.pop()
            path.append((level, text))
        section_path = tuple(t for _, t in path)
        section = section_path[-1] if section_path else ""
        refs = _refs(block, text)
        out.append(Paragraph(page.number, text, section, section_path, block.kind, refs))
    return out


def _refs(block: Block, text: str) -> tuple[NoteRef, ...]:
    """The block's footnote references; a reference that cannot be placed never costs the page."""
    if block.kind in ("table", "footnote"):
        return ()
    try:
        return place_refs(block.lines, text)
    except Exception:  # marks met in glyph data no rule foresaw: the text stands without them
        return ()


def _placed_scans(
    pages: Sequence[RawPage],
    ocr_texts: Mapping[int, list[str]],
    ocr_places: Mapping[int, Sequence[Placement]],
) -> dict[int, tuple[RawPage, list[Line]]]:
    """The pages read by OCR whose paragraphs' places are known, each paragraph a line."""
    return {
        page.number: (
            page,
            [ocr_line(t, place, page.height) for t, place in zip(texts, places, strict=True)],
        )
        for page in pages
        if (texts := ocr_texts.get(page.number))
        and len(places := ocr_places.get(page.number, ())) == len(texts)
    }


def _ready(
    page: int,
    texts: list[str],
    path: list[tuple[int, str]],
    levels: Mapping[int, int] | None = None,
) -> list[Paragraph]:
    """Paragraphs of a page read by OCR; those `levels` marks (index → level) are headings,
    which open sections as on other pages."""
    out: list[Paragraph] = []
    for i, raw in enumerate(texts):
        text = normalize_text(raw)
        if not text:
            continue
        level = (levels or {}).get(i)
        if level is not None:
            while path and path[-1][0] >= level:
                path.pop()
            path.append((level, text))
        section_path = tuple(t for _, t in path)
        section = section_path[-1] if section_path else ""
        kind = "body" if level is None else "heading"
        out.append(Paragraph(page, text, section, section_path, kind))
    return out
