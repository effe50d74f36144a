"""Whether a page's text layer says what the page shows.

A font embedded without a faithful map from its codes to Unicode prints the right letters and
extracts other ones: the page looks fine, and its text is nonsense that no search will find. Such
a text reads as no language (hardly a function word among many words, or mostly characters
without a letter behind them). Tables and lists of names read so too, so a suspect page is
checked by its picture: a few of its lines are read by OCR and compared with what the layer says
on them. Only a layer that OCR contradicts is replaced (the whole page then read by OCR).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from policyminer.lang import function_word_share
from policyminer.parse.layout import Glyph, Line, RawPage, build_lines
from policyminer.parse.ocr import read_lines, render_page
from policyminer.parse.textclean import UNMAPPED

MIN_WORDS = 30  # fewer words than this say too little about a layer
MAX_FUNCTION_SHARE = 0.08  # prose has 0.12 or more; tables and lists of names 0.01 and up
MAX_UNMAPPED = 0.5  # share of a page's glyphs without a character behind them: garbled
SAMPLE_LINES = 6  # lines of a suspect page read by OCR to check it
MIN_SAMPLE_WORDS = 8  # OCR must read this many words on them to decide
MIN_SHORT_WORDS = 3  # … on a short page of a document found garbled
MIN_SHORT_LETTERS = 12  # a page with fewer glyphs than this has nothing to check
MIN_AGREEMENT = 0.3  # share of those words the layer has on the same lines: below, it is garbled
CHECK_DPI = 200  # enough for body text; a third of the pixels of OCR's own rendering
CHECKED_CLEAN = 2  # suspect pages found clean after which a document's others go unchecked

WORD_GAP = 0.15  # a gap this wide (times the type size) between two glyphs parts two words
# words of letters or digits: the longest lines of a table hold more numbers than words
_WORD = re.compile(r"[^\W_]{2,}")


@dataclass
class Suspects:
    """A document's pages whose text layer may not say what they show."""

    pages: list[tuple[RawPage, list[Line]]]  # read as no language (with their lines)
    short: list[RawPage]  # too few words to tell: checked only in a document found garbled


def suspects(pages: Sequence[RawPage]) -> Suspects:
    """The pages whose text layer fails to read as language, and those too short to tell (no
    rendering)."""
    found = Suspects([], [])
    for page in pages:
        verdict = _unreadable(page.glyphs)
        if verdict:
            found.pages.append((page, build_lines(page.glyphs)))
        elif verdict is None:
            found.short.append(page)
    return found


def _unreadable(glyphs: Sequence[Glyph]) -> bool | None:
    """True for a layer that reads as no language, False for one that does, None for a page
    with some text but too little to tell."""
    drawn = [g.text for g in glyphs if not g.text.isspace()]
    if len(drawn) >= MIN_WORDS * 3:
        unmapped = sum(1 for t in drawn if t == UNMAPPED or not t.isprintable()) / len(drawn)
        if unmapped > MAX_UNMAPPED:
            return True
    count, share = function_word_share(_spaced_text(glyphs))
    if count < MIN_WORDS:
        return None if len(drawn) >= MIN_SHORT_LETTERS else False
    return share < MAX_FUNCTION_SHARE


def _spaced_text(glyphs: Sequence[Glyph]) -> str:
    """The glyphs' text in drawing order, a space where one is drawn or a gap or a new line
    parts two glyphs (cheaper than building lines, and enough to count words)."""
    out: list[str] = []
    last: Glyph | None = None
    for glyph in glyphs:
        if glyph.text.isspace():
            out.append(" ")
            last = None
            continue
        if last is not None and (
            glyph.x0 - last.x1 > WORD_GAP * glyph.size
            or abs(glyph.baseline - last.baseline) > glyph.size / 2
        ):
            out.append(" ")
        out.append(glyph.text)
        last = glyph
    return "".join(out)


def garbled_pages(path: Path, suspect: Suspects) -> list[int]:
    """Numbers of the suspect pages whose text layer OCR contradicts; where there are any, the
    short pages are checked too (a cover's title is set in the same font).

    Once CHECKED_CLEAN suspect pages are found clean or undecided (and none garbled), the rest
    are taken as clean too: a document's tables cost a few line reads, not one per page."""
    garbled: list[int] = []
    clean = 0
    for page, lines in suspect.pages:
        if not garbled and clean >= CHECKED_CLEAN:
            break
        agreement = layer_agreement(path, page.number, lines)
        if agreement is not None and agreement < MIN_AGREEMENT:
            garbled.append(page.number)
        else:  # a page whose lines OCR reads as too few words counts as clean too
            clean += 1
    if garbled:
        for page in suspect.short:
            lines = build_lines(page.glyphs)
            agreement = layer_agreement(path, page.number, lines, MIN_SHORT_WORDS)
            if agreement is not None and agreement < MIN_AGREEMENT:
                garbled.append(page.number)
    return sorted(garbled)


def layer_agreement(
    path: Path, number: int, lines: Sequence[Line], least: int = MIN_SAMPLE_WORDS
) -> float | None:
    """Share of the words OCR reads on a page's longest lines that its layer has on them; None
    when OCR reads fewer than `least` words there."""
    longest = sorted((ln for ln in lines if len(ln.glyphs) >= 4), key=lambda ln: -len(ln.glyphs))
    sample = longest[:SAMPLE_LINES]
    if not sample:
        return None
    image = render_page(path, number, CHECK_DPI)
    scale = image.info["dpi"][0] / 72
    boxes = [line_box(line, scale, image.size) for line in sample]
    read = Counter(w.lower() for text in read_lines(image, boxes) for w in _WORD.findall(text))
    if sum(read.values()) < least:
        return None
    layer = Counter(w.lower() for line in sample for w in _WORD.findall(line.text))
    return sum((read & layer).values()) / sum(read.values())


def line_box(line: Line, scale: float, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """A line's box in pixels (left, top, right, bottom), with room for ascenders and descenders."""
    height = max(g.size for g in line.glyphs)
    left = max(0, int((line.x0 - height / 2) * scale))
    right = min(size[0], int((line.x1 + height / 2) * scale))
    top = max(0, int((line.baseline - 1.1 * height) * scale))
    bottom = min(size[1], int((line.baseline + 0.4 * height) * scale))
    return left, top, right, bottom
