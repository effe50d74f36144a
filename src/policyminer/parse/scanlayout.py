"""Structure of pages read by OCR: running headers and footers, and headings.

OCR gives paragraph texts with their place on the page (`ocr.Placement`), not glyphs. Each is
made a line of the page (its extent, its words' height as its size) so that the text layer's
furniture rule (`furniture.margin_furniture`: margin lines that repeat, page numbers) reads scans
too; headings are told by their lines' height and their section numbers.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

from policyminer.parse.layout import HEADING_NUMBER, Line
from policyminer.parse.linekinds import numbering_depth
from policyminer.parse.ocr import SENTENCE_ENDS, Placement

# a heading's lines stand this much taller than the running text's (median line heights)
HEADING_RATIO = 1.2
HEADING_TOP_RATIO = 1.6  # … and this much for a top-level heading, when it has no number
HEADING_MAX_RATIO = 4.0  # taller still is no line of type (a stamp set across the lines)
HEADING_WORDS = 15
PLAIN_HEADING_WORDS = 10  # a numbered heading at the running text's size: a short line


def ocr_line(text: str, place: Placement, page_height: float) -> Line:
    """A paragraph read by OCR as one line of its page (points from the page's top)."""
    top, bottom = place.top * page_height, place.bottom * page_height
    size = max(bottom - top, 0.1)
    return Line(glyphs=[], text=text, size=size, baseline=top + 0.8 * size)


def scan_headings(
    pages: Mapping[int, Sequence[tuple[str, Placement]]],
) -> dict[tuple[int, int], int]:
    """(page, paragraph index) → level, for the paragraphs OCR read (in reading order, page by
    page) that are headings: a few words without a sentence's end, set in lines well taller
    than the scan's running text, or numbered as a section ("2.1 Metode"; a number without a
    point, "2 Metode", only after a finished paragraph, as a list's item may be numbered so).
    """
    body = _body_height(pages)
    if body <= 0:
        return {}
    found: dict[tuple[int, int], int] = {}
    before = ""  # the paragraph before, in reading order
    for number, read in pages.items():
        for i, (text, place) in enumerate(read):
            if level := _heading_level(text, place, body, before, (number, i - 1) in found):
                found[(number, i)] = level
            before = text
    return found


def _heading_level(
    text: str, place: Placement, body: float, before: str, after_heading: bool
) -> int | None:
    words = text.split()
    if (
        not 0 < len(words) <= HEADING_WORDS
        or not any(c.isalpha() for c in text)
        or text.rstrip().endswith(SENTENCE_ENDS)
    ):
        return None
    depth = numbering_depth(text)
    if HEADING_RATIO * body <= place.height <= HEADING_MAX_RATIO * body:
        return depth or (1 if place.height >= HEADING_TOP_RATIO * body else 2)
    number = HEADING_NUMBER.match(text)
    if (
        number is None
        or len(words) > PLAIN_HEADING_WORDS
        or (number.group(0).rstrip().endswith(".") and "." not in number.group(1))
        or not text[number.end() :][:1].isupper()
    ):
        return None
    # a section number with a point in it ("4.3 Mål") opens a heading wherever it stands
    # alone; a plain number ("4 Mål") only after a finished paragraph (else a list's item)
    finished = not before or before.rstrip().endswith((".", "!", "?", "»", "”"))
    return depth if (depth or 0) >= 2 or finished or after_heading else None


def _body_height(pages: Mapping[int, Sequence[tuple[str, Placement]]]) -> float:
    """The line height of the scan's running text: the paragraphs' median, once per word."""
    heights = [
        place.height for read in pages.values() for text, place in read for _ in text.split()
    ]
    return statistics.median(heights) if heights else 0.0
