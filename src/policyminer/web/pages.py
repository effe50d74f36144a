"""Render a PDF page as a PNG, with the rectangles of a quoted sentence highlighted.

The quote is located on the page through pypdfium2's text page: the page's characters and the
quote are both reduced to their letters and digits (case-folded, NFKC), so line breaks, hyphenation
at line ends, ligatures and typographic quotes never stop a match. A quote that is not found leaves
the page unmarked: a highlight is only drawn where the quoted characters really are.
"""

from __future__ import annotations

import io
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

SCALE = 1.5  # 108 dpi: a page fits a laptop screen and the text stays legible
MIN_QUOTE_CHARS = 12  # fewer letters than this match too easily by chance to be a citation
HIGHLIGHT = (255, 221, 0, 110)  # translucent yellow over the text
CACHE_SIZE = 64

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
    """Each character as the letters/digits it contributes to matching (often none)."""
    out = []
    for ch in text:
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
    budget = max(2, len(key) // 40)
    anchor = key[:MIN_QUOTE_CHARS]
    start = text.find(anchor)
    while start >= 0:
        end = _walk(text, key, start, budget)
        if end is not None:
            return start, end
        start = text.find(anchor, start + 1)
    return None


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


def _boxes(
    textpage: pdfium.PdfTextPage, span: tuple[int, int], page_height: float, origin: tuple
) -> list[Box]:
    """The line rectangles pdfium reports for a character span, in image pixels."""
    first, last = span
    x0, y0 = origin
    boxes = []
    for i in range(textpage.count_rects(first, last - first + 1)):
        left, bottom, right, top = textpage.get_rect(i)
        boxes.append(
            Box(
                left=(left - x0) * SCALE,
                top=(page_height - (top - y0)) * SCALE,
                right=(right - x0) * SCALE,
                bottom=(page_height - (bottom - y0)) * SCALE,
            )
        )
    return boxes


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
            pdf_page = pdf[page - 1]
            image = pdf_page.render(scale=SCALE).to_pil()
            boxes: list[Box] = []
            if (quote.strip() or term.strip()) and pdf_page.get_rotation() == 0:
                textpage = pdf_page.get_textpage()
                chars = _page_text(textpage)
                spans = [s for s in [locate(chars, quote)] if s] if quote.strip() else []
                if term.strip():
                    spans += locate_term(chars, term)
                left, bottom, _, top = pdf_page.get_cropbox()
                for span in spans:
                    boxes += _boxes(textpage, span, top - bottom, (left, bottom))
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
