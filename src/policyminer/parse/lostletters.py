"""Letters a text layer lost: glyphs without a character inside words, read back by OCR.

A font whose Unicode map lacks a few of its letters (often those outside ASCII: æ, ø, å)
extracts "h�ring" for "høring": the page reads as language, every other letter is right, and
every word holding such a letter is lost to search. The lines holding such words are read by
OCR (one Tesseract call a page, on a strip of those lines) and each gap is filled with the
letter OCR reads in the word that matches the rest of it; a glyph standing alone (the word "å")
with the one-letter word OCR reads in its place. A word OCR does not read so keeps its gap
(dropped later, as before).

A font without a map may also give each such glyph a code of its own: a private-use character
(a symbolic font's U+F0xx) or a control code. Such a code stands for one letter throughout the
document, so the letters OCR reads back for it are learnt: once a code has been read the same
way often enough, every glyph with it takes that letter (a lone "å", a word OCR misread), and a
page whose codes are all learnt is not read by OCR at all. A private-use glyph standing alone
whose code no word taught is left alone: symbol fonts' bullets are private-use characters too.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from policyminer.parse.layout import Glyph, Line, RawPage, build_lines
from policyminer.parse.ocr import read_lines, render_page
from policyminer.parse.textclean import LIGATURES, UNMAPPED, without_character
from policyminer.parse.textlayer import CHECK_DPI, WORD_GAP, line_box

STRIP_LINES = 60  # lines read in one Tesseract call (a page of body text has 40–50)
LEARNT_READS = 3  # reads of a code, all but a few agreeing, before its letter is taken as known
LEARNT_AGREEMENT = 0.8
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
    """A glyph drawn without a character: U+FFFD, or a code of its own (`_coded`)."""
    return without_character(glyph.text)


def _coded(glyph: Glyph) -> bool:
    """A glyph drawn with a code for a character rather than the character: a control code, or
    a private-use character other than the symbol fonts' bullets (read as bullets elsewhere)."""
    return glyph.text != UNMAPPED and without_character(glyph.text)


def has_lost_letters(page: RawPage) -> bool:
    """Whether a page draws glyphs without a character beside letters, fewer of them than
    letters (more is a layer that says nothing: `textlayer` reads such a page by OCR)."""
    glyphs = page.glyphs
    lost = [i for i, g in enumerate(glyphs) if _lost(g)]
    if not lost or len(lost) >= sum(1 for g in glyphs if g.text.isalpha()):
        return False
    if not any(
        glyphs[j].text.isalpha() for i in lost for j in (i - 1, i + 1) if 0 <= j < len(glyphs)
    ):
        return False
    # beside a letter in drawing order may still be apart on the page (a bullet, then a gap)
    return any(_gap(w) for line in build_lines(glyphs) for w in words_of(line))


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
    """A word that is one glyph without a character ("for � bygge": the word "å"); not a
    private-use glyph, which is as likely a bullet (`Codes` fills those it has learnt)."""
    return len(word) == 1 and _lost(word[0]) and unicodedata.category(word[0].text) != "Co"


class Codes:
    """The letters OCR read back for each code a document's font gives its unmapped glyphs."""

    def __init__(self) -> None:
        self.reads: dict[str, Counter[str]] = defaultdict(Counter)

    def learn(self, before: dict[int, str], gaps: Sequence[Gap]) -> None:
        """Count what each coded glyph (`before`: its code by id) inside a word, between two
        of its letters, was filled with (a glyph opening a word may be a bullet glued to it)."""
        for gap in gaps:
            for glyph in gap.glyphs[1:-1]:
                code = before.get(id(glyph))
                if code is not None and glyph.text != code:
                    self.reads[code][glyph.text] += 1

    def known(self) -> dict[str, str]:
        """Codes read often enough, nearly always as the same letter: code → letter."""
        out = {}
        for code, reads in self.reads.items():
            (letter, count), total = reads.most_common(1)[0], sum(reads.values())
            if total >= LEARNT_READS and count >= LEARNT_AGREEMENT * total:
                out[code] = letter
        return out

    def fill(self, glyphs: Sequence[Glyph]) -> int:
        """Give every glyph whose code is known its letter; how many were given."""
        known = self.known()
        filled = 0
        for glyph in glyphs:
            letter = known.get(glyph.text) if _coded(glyph) else None
            if letter is not None:
                glyph.text = letter
                filled += 1
        return filled


def fill_lost_letters(path: Path, pages: Sequence[RawPage]) -> list[tuple[int, int, int]]:
    """Fill the lost letters of the pages' words (pages `has_lost_letters` found) from what OCR
    reads on their lines.

    Returns (page, letters lost, letters read back) for each page whose words lost letters."""
    report = []
    codes = Codes()
    for page in pages:
        lines = [(ln, words_of(ln)) for ln in build_lines(page.glyphs)]
        lines = [(ln, words) for ln, words in lines if any(_gap(w) or _alone(w) for w in words)]
        gaps = [Gap(w) for _, words in lines for w in words if _gap(w)]
        if not gaps:  # only glyphs standing alone: bullets of a symbol font as likely as letters
            continue
        alone = sum(_alone(w) for _, words in lines for w in words)
        lost = sum(_lost(g) for gap in gaps for g in gap.glyphs) + alone
        # other coded glyphs (standing alone, or apart from any line's words) take a letter
        # only where words teach their code
        counted = {id(g) for gap in gaps for g in gap.glyphs}
        counted |= {id(w[0]) for _, words in lines for w in words if _alone(w)}
        others = [g for g in page.glyphs if _coded(g) and id(g) not in counted]
        known = codes.known()
        if all(g.text in known for gap in gaps for g in gap.glyphs if _lost(g)):
            # every gap a code OCR has read back often enough: the page needs no picture
            lost += sum(g.text in known for g in others)
            report.append((page.number, lost, codes.fill(page.glyphs)))
            continue
        coded = {id(g): g.text for g in page.glyphs if _coded(g)}
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
        codes.learn(coded, gaps)
        lost += sum(g.text in codes.known() for g in others)
        filled += codes.fill(page.glyphs)  # what OCR missed, where the page taught its code
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
