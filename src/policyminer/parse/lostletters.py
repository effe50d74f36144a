"""Letters a text layer lost: glyphs without a character inside words, read back by OCR.

A font whose Unicode map lacks a few of its letters (often those outside ASCII: æ, ø, å)
extracts "h�ring" for "høring": the page reads as language, every other letter is right, and
every word holding such a letter is lost to search. The lines holding such words are read by
OCR (one Tesseract call a page, on a strip of those lines) and each gap is filled with the
letter OCR reads in the word that matches the rest of it; a glyph standing alone (the word "å")
with the one-letter word OCR reads in its place. A word OCR does not read so keeps its gap
(dropped later, as before).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from policyminer.parse.layout import Glyph, Line, RawPage, build_lines
from policyminer.parse.ocr import read_lines, render_page
from policyminer.parse.textclean import LIGATURES, UNMAPPED
from policyminer.parse.textlayer import CHECK_DPI, WORD_GAP, line_box

STRIP_LINES = 60  # lines read in one Tesseract call (a page of body text has 40–50)
_OCR_WORD = re.compile(r"[^\W\d_]+")


@dataclass
class Gap:
    """A word of the text layer with glyphs that have no character."""

    glyphs: list[Glyph]

    def pattern(self, ignore_case: bool = False) -> re.Pattern[str]:
        """The word as a pattern: its letters as written, one to three letters for each gap (a
        letter or a ligature's, kept as the ligature's character; other runs are turned down by
        `_fills`)."""
        parts = [r"([^\W\d_]{1,3})" if _lost(g) else re.escape(g.text) for g in self.glyphs]
        return re.compile("".join(parts), re.IGNORECASE if ignore_case else 0)

    def capitals(self) -> bool:
        """Whether the word's letters are all capitals ("H�RING")."""
        letters = [g.text for g in self.glyphs if g.text.isalpha()]
        return all(t.isupper() for t in letters)

    def fill(self, letters: Sequence[str]) -> None:
        gaps = [g for g in self.glyphs if _lost(g)]
        for glyph, letter in zip(gaps, letters, strict=True):
            glyph.text = LIGATURES.get(letter, letter)


def _lost(glyph: Glyph) -> bool:
    """A glyph drawn without a character: U+FFFD, or a control code (a private-use character
    is a symbol font's bullet or dingbat, read as such elsewhere)."""
    return glyph.text == UNMAPPED or (
        bool(glyph.text)
        and not glyph.text.isspace()
        and unicodedata.category(glyph.text[0]) == "Cc"
    )


def has_lost_letters(page: RawPage) -> bool:
    """Whether a page draws glyphs without a character beside letters, fewer of them than
    letters (more is a layer that says nothing: `textlayer` reads such a page by OCR)."""
    glyphs = page.glyphs
    lost = [i for i, g in enumerate(glyphs) if _lost(g)]
    if not lost or len(lost) >= sum(1 for g in glyphs if g.text.isalpha()):
        return False
    return any(
        glyphs[j].text.isalpha() for i in lost for j in (i - 1, i + 1) if 0 <= j < len(glyphs)
    )


def words_of(line: Line) -> list[list[Glyph]]:
    """The line's words as runs of letters and glyphs without a character, in order."""
    words: list[list[Glyph]] = []
    word: list[Glyph] = []
    last: Glyph | None = None
    for glyph in [*line.glyphs, None]:
        parted = (
            glyph is None
            or glyph.text.isspace()
            or glyph.space_before
            or (last is not None and glyph.x0 - last.x1 > WORD_GAP * glyph.size)
            or not (glyph.text.isalpha() or _lost(glyph))
        )
        if parted and word:
            words.append(word)
            word = []
        if glyph is not None and (glyph.text.isalpha() or _lost(glyph)):
            word.append(glyph)
        last = glyph
    return words


def _gap(word: list[Glyph]) -> bool:
    """A word that holds a glyph without a character and at least one letter."""
    return any(_lost(g) for g in word) and any(g.text.isalpha() for g in word)


def _alone(word: list[Glyph]) -> bool:
    """A word that is one glyph without a character ("for � bygge": the word "å")."""
    return len(word) == 1 and _lost(word[0])


def fill_lost_letters(path: Path, pages: Sequence[RawPage]) -> list[tuple[int, int, int]]:
    """Fill the lost letters of the pages' words (pages `has_lost_letters` found) from what OCR
    reads on their lines.

    Returns (page, letters lost, letters read back) for each page whose words lost letters."""
    report = []
    for page in pages:
        lines = [(ln, words_of(ln)) for ln in build_lines(page.glyphs)]
        lines = [(ln, words) for ln, words in lines if any(_gap(w) or _alone(w) for w in words)]
        gaps = [Gap(w) for _, words in lines for w in words if _gap(w)]
        if not gaps:  # only glyphs standing alone: bullets of a symbol font as likely as letters
            continue
        alone = sum(_alone(w) for _, words in lines for w in words)
        lost = sum(_lost(g) for gap in gaps for g in gap.glyphs) + alone
        shown = {g.text for g in page.glyphs if g.text.isalpha()}
        image = render_page(path, page.number, CHECK_DPI)
        strips = [lines[i : i + STRIP_LINES] for i in range(0, len(lines), STRIP_LINES)]
        read = [(strip, _ocr_lines(image, [ln for ln, _ in strip])) for strip in strips]
        found = {w for _, texts in read for text in texts for w in _OCR_WORD.findall(text)}
        filled = sum(_fill(gap, found, shown) for gap in gaps)
        # the words filled, a glyph standing alone is the one place where a line and OCR differ
        for strip, texts in read:
            if len(texts) == len(strip):  # each line read as one: words stand in their places
                pairs = zip(strip, texts, strict=True)
                filled += sum(_fill_alone(words, text, shown) for (_, words), text in pairs)
        report.append((page.number, lost, filled))
    return report


def _ocr_lines(image, lines: Sequence[Line]) -> list[str]:
    """What OCR reads on the lines of a page image, one text a line where it reads each as one."""
    scale = image.info["dpi"][0] / 72
    return read_lines(image, [line_box(line, scale, image.size) for line in lines])


def _fill_alone(words: list[list[Glyph]], text: str, shown: set[str]) -> int:
    """Fill a line's glyphs standing alone (its `words`) where OCR reads a one-letter word in
    their place, between the same words, that the page's layer never shows (the font lacks it)."""
    layer = ["".join(g.text for g in w) for w in words]
    read = _OCR_WORD.findall(text)
    filled = 0
    matcher = SequenceMatcher(None, layer, read, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace" or i2 - i1 != 1 or j2 - j1 != 1 or not _alone(words[i1]):
            continue
        letter = read[j1]
        if len(letter) == 1 and letter.isalpha() and letter not in shown:
            words[i1][0].text = letter
            filled += 1
    return filled


def _fill(gap: Gap, read: set[str], shown: set[str]) -> int:
    """Fill a word's gaps when the words OCR read that match it agree on the letters: matched
    with the layer's capitals first, then in any case (the gaps then in the word's case).

    Where OCR read several matching words ("for" and "får" for "f�r"), letters the page's layer
    shows elsewhere are not the lost ones (the font maps them): the others decide."""
    fills = _fills(gap.pattern(), read)
    if not fills:
        capitals = gap.capitals()
        fills = {
            tuple(t.upper() if capitals and len(t) == 1 else t.lower() for t in letters)
            for letters in _fills(gap.pattern(ignore_case=True), read)
        }
    if len(fills) > 1:  # a letter or ligature the layer shows elsewhere has its character
        fills = {f for f in fills if not any(LIGATURES.get(t, t) in shown for t in f)}
    if len(fills) != 1:
        return 0
    (letters,) = fills
    gap.fill(letters)
    return len(letters)


def _fills(pattern: re.Pattern[str], read: set[str]) -> set[tuple[str, ...]]:
    """The letters OCR's words give the gaps: one letter, or the letters of a ligature."""
    fills = {m.groups() for word in read if (m := pattern.fullmatch(word))}
    return {f for f in fills if all(len(t) == 1 or t in LIGATURES for t in f)}
