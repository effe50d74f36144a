"""Render a PDF page as a PNG, with the rectangles of a quoted sentence highlighted.

The quote is located on the page through pypdfium2's text page: the page's characters and the
quote are both reduced to their letters and digits (case-folded, NFKC), so line breaks, hyphenation
at line ends, ligatures and typographic quotes never stop a match. A quote that is not found leaves
the page unmarked: a highlight is only drawn where the quoted characters really are.
"""

from __future__ import annotations

import io
import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from policyminer.parse.forms import filled_in, with_forms
from policyminer.parse.textclean import LIGATURES, UNMAPPED, without_character

SCALE = 1.5  # 108 dpi: a page fits a laptop screen and the text stays legible
MIN_QUOTE_CHARS = 12  # fewer letters than this match too easily by chance to be a citation
HIGHLIGHT = (255, 221, 0, 110)  # translucent yellow over the text
CACHE_SIZE = 64
CLOSING = ".,;:!?»”’)\"'"

# pdfium is not thread-safe: every call into it goes through this lock.
_PDFIUM = threading.Lock()


class PageError(Exception):
    """A page that cannot be rendered: not a PDF, page out of range, unreadable file."""


@dataclass(frozen=True)
class Box:
    """A rectangle in image pixels (origin top left)."""

    left: float
    top: float
    right: float
    bottom: float


@dataclass
class RenderedPage:
    """A rendered page: PNG bytes, its size, and the highlight boxes drawn on it."""

    png: bytes
    width: int
    height: int
    boxes: list[Box] = field(default_factory=list)

    @property
    def located(self) -> bool:
        """Whether the quote was found (and so highlighted) on the page."""
        return bool(self.boxes)


def _fold(text: str) -> list[str]:
    """Each character as the letters/digits it contributes to matching (often none); a glyph
    without a character stays, to stand for the letter the quote has there."""
    out = []
    for ch in text:
        if without_character(ch):  # U+FFFD or a font's own code: one letter, unknown
            out.append(UNMAPPED)
            continue
        folded = unicodedata.normalize("NFKC", ch).casefold()
        out.append("".join(c for c in folded if c.isalnum()))
    return out


def fold_text(text: str) -> str:
    """The matching key of a text: its letters and digits, case-folded."""
    return "".join(_fold(text))


def locate(page_chars: str, quote: str) -> tuple[int, int] | None:
    """The [first, last] character indices of `quote` in the page text, or None if absent."""
    key = fold_text(quote)
    if len(key) < MIN_QUOTE_CHARS:
        return None
    owner: list[int] = []  # owner[j]: the page character that produced key letter j
    pieces = []
    for index, piece in enumerate(_fold(page_chars)):
        pieces.append(piece)
        owner.extend([index] * len(piece))
    text = "".join(pieces)
    found = _exact_or_gapped(text, key)
    if found is None:
        return None
    return owner[found[0]], owner[found[1]]


def locate_term(page_chars: str, term: str) -> list[tuple[int, int]]:
    """Every whole-word occurrence of a name (e.g. an actor) in the page text, as char spans."""
    key = fold_text(term)
    if len(key) < 2:
        return []
    folded = _fold(page_chars)
    owner: list[int] = []
    for index, piece in enumerate(folded):
        owner.extend([index] * len(piece))
    text = "".join(folded)
    spans = []
    start = text.find(key)
    while start >= 0:
        first, last = owner[start], owner[start + len(key) - 1]
        before = page_chars[first - 1] if first > 0 else " "
        after = page_chars[last + 1] if last + 1 < len(page_chars) else " "
        if not before.isalnum() and not after.isalnum():
            spans.append((first, last))
        start = text.find(key, start + len(key))
    return spans


def _exact_or_gapped(text: str, key: str) -> tuple[int, int] | None:
    """[first, last] positions of `key` in `text`, allowing a few short gaps on either side.

    The gaps absorb what the parser cleaned away or added (footnote markers glued to a word,
    a stray character) without letting an unrelated passage match.
    """
    start = text.find(key)
    if start >= 0:
        return start, start + len(key) - 1
    if UNMAPPED in text:  # a font without a character for some letters ("h�ring", "pro�l")
        found = re.search(_unmapped_pattern(key), text)
        if found:
            return found.start(), found.end() - 1
    budget = max(2, len(key) // 40)
    anchor = key[:MIN_QUOTE_CHARS]
    start = text.find(anchor)
    while start >= 0:
        end = _walk(text, key, start, budget)
        if end is not None:
            return start, end
        start = text.find(anchor, start + 1)
    return None


# letters a ligature glyph stands for, the longest first; a glyph without a character may be one
_LIGATURE_LETTERS = tuple(sorted(LIGATURES, key=len, reverse=True))
MAX_LIGATURES = 8  # each is an alternative the search may try both ways: keep that bounded


def _unmapped_pattern(key: str) -> str:
    """A pattern for `key` in which a glyph without a character stands for any one letter, or
    for the letters of a ligature ("fi")."""
    parts: list[str] = []
    ligatures = 0
    i = 0
    while i < len(key):
        seq = next((s for s in _LIGATURE_LETTERS if key.startswith(s, i)), "")
        if seq and ligatures < MAX_LIGATURES:
            letters = "".join(f"[{c}{UNMAPPED}]" for c in seq)
            parts.append(f"(?:{letters}|{UNMAPPED})")
            ligatures += 1
            i += len(seq)
        else:
            parts.append(f"[{re.escape(key[i])}{UNMAPPED}]")
            i += 1
    return "".join(parts)


def _walk(text: str, key: str, start: int, budget: int) -> int | None:
    """Match `key` from text[start], skipping up to `budget` gaps of at most 3 characters."""
    i, j = start, 0
    while j < len(key):
        if i < len(text) and text[i] == key[j]:
            i, j = i + 1, j + 1
            continue
        if budget == 0:
            return None
        budget -= 1
        step = _resync(text, key, i, j)
        if step is None:
            return None
        i, j = i + step[0], j + step[1]
    return i - 1


def _resync(text: str, key: str, i: int, j: int) -> tuple[int, int] | None:
    """The smallest skip (page chars, quote chars) after which 6 characters agree again."""
    probe = 6
    for total in range(1, 4):
        for skip_text in range(total, -1, -1):
            skip_key = total - skip_text
            ahead = key[j + skip_key : j + skip_key + probe]
            if ahead and text[i + skip_text : i + skip_text + len(ahead)] == ahead:
                return skip_text, skip_key
    return None


def _page_text(textpage: pdfium.PdfTextPage) -> str:
    """The page's characters, one string position per pdfium character index."""
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count)
    if len(text) == count:
        return text
    # Characters outside the BMP come back as two UTF-16 units: fall back to one call per char.
    return "".join((textpage.get_text_range(i, 1) or " ")[:1] for i in range(count))


Rect = tuple[float, float, float, float]  # left, bottom, right, top in PDF points


@dataclass
class Glyphs:
    """A page's characters with their boxes, cut into runs that sit side by side on one line.

    pdfium reads a line straight across the page, so on a page set in columns a sentence of
    the left column is interleaved with the right one. Runs split at wide gaps (the gutter)
    and re-ordered column by column give a second reading order to search in.
    """

    text: str
    boxes: list[Rect | None]  # None for whitespace and characters pdfium generated
    run: list[int]  # the run each character belongs to (-1 between runs)
    runs: list[list[int]]

    @classmethod
    def of(cls, textpage: pdfium.PdfTextPage) -> Glyphs:
        """The glyphs of a pdfium text page."""
        text = _page_text(textpage)
        boxes: list[Rect | None] = []
        for i, ch in enumerate(text):
            boxes.append(None if ch.isspace() else tuple(textpage.get_charbox(i, loose=True)))
        return cls.build(text, boxes)

    @classmethod
    def build(cls, text: str, boxes: list[Rect | None]) -> Glyphs:
        """Cut characters (with boxes) into runs: a new run at each line end and wide gap."""
        run = [-1] * len(text)
        runs: list[list[int]] = []
        last: Rect | None = None
        for i, (ch, box) in enumerate(zip(text, boxes, strict=True)):
            if ch in "\r\n":
                last = None
                continue
            if box is None:
                if runs and last is not None:
                    runs[-1].append(i)  # a space inside a run keeps words apart
                    run[i] = len(runs) - 1
                continue
            if last is None or _breaks(last, box):
                runs.append([])
            runs[-1].append(i)
            run[i] = len(runs) - 1
            last = box
        return cls(text, boxes, run, runs)

    def orders(self, page_width: float) -> list[list[int]]:
        """Character orders to search: pdfium's own, then column by column (-1: run break)."""
        natural = list(range(len(self.text)))
        columns = _columns(self.runs, self.boxes, page_width)
        if len(columns) < 2:
            return [natural]
        ordered: list[int] = []
        for column in columns:
            for r in column:
                ordered += [*self.runs[r], -1]
        return [natural, ordered]

    def rects(self, indices: list[int]) -> list[Rect]:
        """One rectangle per run over the given characters (in reading order)."""
        out: list[Rect] = []
        current = -2
        for i in indices:
            box = self.boxes[i] if i >= 0 else None
            if box is None:
                continue
            if self.run[i] != current or not out:
                out.append(box)
                current = self.run[i]
            else:
                x0, y0, x1, y1 = out[-1]
                out[-1] = (min(x0, box[0]), min(y0, box[1]), max(x1, box[2]), max(y1, box[3]))
        return out


def _breaks(last: Rect, box: Rect) -> bool:
    """Whether `box` starts a new run after `last`: a wide gap, a step back or another line."""
    height = max(last[3] - last[1], box[3] - box[1], 1.0)
    gap = box[0] - last[2]
    middle_last, middle = (last[1] + last[3]) / 2, (box[1] + box[3]) / 2
    return gap > 1.5 * height or gap < -height or abs(middle - middle_last) > 0.7 * height


def _columns(runs: list[list[int]], boxes: list[Rect | None], width: float) -> list[list[int]]:
    """Runs grouped by where they start across the page, each group top to bottom."""
    starts = []
    for r, members in enumerate(runs):
        inked = [boxes[i] for i in members if boxes[i] is not None]
        starts.append((min(b[0] for b in inked), -max(b[3] for b in inked), r))
    columns: list[list[tuple[float, float, int]]] = []
    for start in sorted(starts):
        # A paragraph indent is a few points; a column starts a good part of the page further.
        if columns and start[0] - columns[-1][0][0] < 0.15 * width:
            columns[-1].append(start)
        else:
            columns.append([start])
    return [[r for _, _, r in sorted(column, key=lambda s: s[1])] for column in columns]


def find_rects(glyphs: Glyphs, page_width: float, quote: str, term: str) -> list[Rect]:
    """Rectangles over the quote (first reading order that holds it) or every term occurrence."""
    for order in glyphs.orders(page_width):
        text = "".join(glyphs.text[i] if i >= 0 else "\n" for i in order)
        if quote.strip():
            span = locate(text, quote)
            spans = [span] if span else []
        else:
            spans = locate_term(text, term)
        if spans:
            rects: list[Rect] = []
            for first, last in spans:
                # The key ends at the last letter: take the closing punctuation along.
                while last + 1 < len(text) and text[last + 1] in CLOSING:
                    last += 1
                rects += glyphs.rects(order[first : last + 1])
            return rects
    return []


def _to_image(rect: Rect, crop: Rect) -> Box:
    """A rectangle in PDF points as pixels on the rendered image."""
    left, bottom, right, top = rect
    x0, _, _, y1 = crop
    return Box(
        left=(left - x0) * SCALE,
        top=(y1 - top) * SCALE,
        right=(right - x0) * SCALE,
        bottom=(y1 - bottom) * SCALE,
    )


def _draw(image: Image.Image, boxes: list[Box]) -> Image.Image:
    """The image with translucent boxes (padded a little) over the quoted text."""
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for b in boxes:
        draw.rectangle((b.left - 1, b.top - 2, b.right + 1, b.bottom + 2), fill=HIGHLIGHT)
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")


def render_page(path: Path, page: int, quote: str = "", term: str = "") -> RenderedPage:
    """Render physical page `page` (1-based) of a PDF; highlight `quote` or each `term` found."""
    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(str(path))
        except (pdfium.PdfiumError, OSError) as err:
            raise PageError(f"{path.name}: cannot open as PDF ({err})") from None
        try:
            if not 1 <= page <= len(pdf):
                raise PageError(f"{path.name}: no page {page} (the document has {len(pdf)})")
            with_forms(pdf)
            pdf_page = filled_in(pdf, page - 1, pdf[page - 1])
            image = pdf_page.render(scale=SCALE).to_pil()
            boxes: list[Box] = []
            if (quote.strip() or term.strip()) and pdf_page.get_rotation() == 0:
                glyphs = Glyphs.of(pdf_page.get_textpage())
                crop = tuple(pdf_page.get_cropbox())
                rects = find_rects(glyphs, crop[2] - crop[0], quote, term)
                boxes = [_to_image(r, crop) for r in rects]
        finally:
            pdf.close()
    if boxes:
        image = _draw(image, boxes)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return RenderedPage(out.getvalue(), image.width, image.height, boxes)


class PageCache:
    """Rendered pages by (path, file version, page, quote): re-opening a citation is instant."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._items: OrderedDict[tuple, RenderedPage] = OrderedDict()
        self._lock = threading.Lock()

    def get(
        self, path: Path, version: str, page: int, quote: str = "", term: str = ""
    ) -> RenderedPage:
        """The rendered page, from the cache or freshly rendered."""
        key = (str(path), version, page, " ".join(quote.split()), " ".join(term.split()))
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        rendered = render_page(path, page, quote, term)
        with self._lock:
            self._items[key] = rendered
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return rendered
