"""OCR for pages without a text layer: pdfium renders the page, Tesseract reads it, offline.

Tesseract (Debian's tesseract-ocr with the Norwegian data, tesseract-ocr-nor) runs as a local
program through pytesseract; nothing is downloaded. Its block/paragraph/line structure gives the
paragraphs; line-end hyphens are joined as for any other text.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import statistics
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from policyminer.parse.textclean import join_lines, normalize_text, vocabulary_of

OCR_DPI = 300
# a page needs OCR when it has fewer letters than a line of text and images cover this much of it
MIN_LETTERS = 10
MIN_IMAGE_COVER = 0.1
# … or path segments drawn: a paragraph of text as outlines has thousands; the rules, frames
# and logos of the text-poor pages of the real PDFs here 5 to 90
MIN_DRAWING = 1500
# a scan is mostly paper: this share of a thumbnail's pixels is light; a photo page is not
MIN_PAPER = 0.3
# a screen in a dark theme is one flat dark background: this share of its pixels within
# FLAT_SPREAD grey levels of the commonest one (a dark photo's tones spread far wider)
FLAT_SHARE, FLAT_SPREAD = 0.6, 6
MIN_CONFIDENCE = 60.0  # Tesseract's mean word confidence (0–100) for a paragraph to count
MIN_NUMBER_CONFIDENCE = 80.0  # for numbers alone: a photo's specks read as digits, unsurely
# what Tesseract makes of a bullet (Word's "o", a round or square bullet) when it opens a line:
# no word of Norwegian or English
READ_BULLETS = frozenset({"o", "e", "°", "•", "·", "*", "■", "▪", "©", "®", "¢"})
PAGE_MODE, SPARSE_MODE = 3, 11  # Tesseract's page segmentation: a whole page; sparse text
DARK = 160  # grey level below which a pixel is ink
MIN_LEFT_INK = 0.002  # share of ink pixels left after the first pass worth a second one
LINE_SPAN = 0.15  # below that, a band of ink this wide (share of the page) may be a lost line
MAX_BANDS = 4  # … and at most this many such lines are read again per page
PIECE_GAP = 2.5  # times the page's usual space between two lines of a paragraph: two pieces
OCR_WORKERS = 4  # pages read side by side, at most (and no more than the machine's cores)
RULE_LENGTH = 0.4  # inches: a dark run this long is a ruling, no letter's stroke
RULE_THICKNESS = 0.03  # inches: and no thicker than this (two cells' borders drawn on one)


class OcrUnavailable(Exception):
    """Tesseract is not installed."""


@lru_cache(maxsize=1)
def ocr_languages() -> str:
    """'nor+eng' where both are installed, else what is; raises OcrUnavailable without tesseract.

    Both, even for Norwegian text: Norwegian's model has no §, # or @ among its characters (a
    regulation's "§ 12-5" comes out "$ 12-5", "§§" as "88"). The price: beside English's model
    a few Norwegian words lose their æ, ø or å to a look-alike (BENCHMARKS, session 19)."""
    if shutil.which("tesseract") is None:
        raise OcrUnavailable("tesseract is not installed (apt-get install tesseract-ocr-nor)")
    import pytesseract  # optional at import time: only OCR needs it

    installed = set(pytesseract.get_languages(config=""))
    wanted = [lang for lang in ("nor", "eng") if lang in installed]
    return "+".join(wanted) or "eng"


# A headline is set this much taller than the page's other words (median word-box heights) …
HEADLINE_RATIO = 1.25
HEADLINE_WORDS = (2, 25)  # … and has this many words: no logo's one word, no paragraph
SENTENCE_ENDS = (".", ",", ";", ":", "-", "\u2010", "\u00ad")


@dataclass(frozen=True)
class Placement:
    """Where a paragraph read by OCR sits on its page: its top and bottom, and the median
    height of its lines (ascenders to descenders), each a share of the page's height."""

    top: float
    bottom: float
    height: float


@dataclass(frozen=True)
class OcrPage:
    """What OCR read on one page: its paragraph texts, the headline set in larger type, and
    where each paragraph sits (`places`, one per text; empty where not known)."""

    texts: list[str]
    headline: str = ""
    places: tuple[Placement, ...] = ()


PageRead = tuple[int, OcrPage | Exception]  # a page number and what was read, or why it failed


# Beside English's model a few Norwegian words lose their ring, slash or ligature to a
# look-alike ("sått" read "satt"). Such a word gets its letter back where the document itself
# writes the lettered form this many times as often (and twice at least): the document is its
# own dictionary, so a word it really uses without the letter keeps its spelling.
RESTORE_RATIO = 3
_PLAIN_FOR = (("a", "å"), ("o", "ø"), ("ae", "æ"))
_OCR_WORD = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"\S+")
_ADDRESS = re.compile(r"@|://|\w\.\w")


def restore_letters(pages: dict[int, OcrPage]) -> dict[int, OcrPage]:
    """What OCR read (page → texts and headline) with look-alikes given back their æ, ø or å
    where the pages themselves mostly write the word with it."""
    counts = Counter(
        w.lower()
        for page in pages.values()
        for text in page.texts
        for token in text.split()
        if not _ADDRESS.search(token)  # an address keeps its spelling: "kari.nordmann@…"
        for w in _OCR_WORD.findall(token)
    )

    def restored(match: re.Match) -> str:
        word = match.group()
        low = word.lower()
        if len(low) < 2 or any(ch in low for ch in "æøå"):
            return word
        found = {
            low[:i] + lettered + low[i + len(plain) :]
            for plain, lettered in _PLAIN_FOR
            for i in range(len(low))
            if low.startswith(plain, i)
        }
        wanted = [c for c in found if counts[c] >= max(2, RESTORE_RATIO * counts[low])]
        if len(wanted) != 1:
            return word
        if word.isupper():
            return wanted[0].upper()
        return wanted[0].capitalize() if word[0].isupper() else wanted[0]

    def in_token(token: re.Match) -> str:
        if _ADDRESS.search(token.group()):
            return token.group()
        return _OCR_WORD.sub(restored, token.group())

    def fixed(text: str) -> str:
        return _TOKEN.sub(in_token, text)

    return {
        n: OcrPage([fixed(text) for text in page.texts], fixed(page.headline), page.places)
        for n, page in pages.items()
    }


def needs_ocr(letters: int, image_cover: float, drawing: int = 0) -> bool:
    """A page that shows an image of text rather than text: few letters, and much image or a
    drawing of as many strokes as a page of text converted to outlines has."""
    return letters < MIN_LETTERS and (image_cover >= MIN_IMAGE_COVER or drawing >= MIN_DRAWING)


def ocr_pdf_page(path: Path, number: int, dpi: int = OCR_DPI) -> list[str]:
    """The paragraph texts Tesseract reads on one page (1-based) of a PDF."""
    return ocr_image(render_page(path, number, dpi))


def render_page(path: Path, number: int, dpi: int = OCR_DPI):
    """A page (1-based) as a PIL image at `dpi`, the resolution recorded on it."""
    import pypdfium2 as pdfium  # the PDF renderer; loaded with the PDF parser anyway

    document = pdfium.PdfDocument(str(path))
    try:
        page = document[number - 1]
        try:
            image = page.render(scale=dpi / 72).to_pil()
            image.info["dpi"] = (dpi, dpi)
        finally:
            page.close()
    finally:
        document.close()
    return image


def ocr_pdf_pages(path: Path, numbers: Sequence[int]) -> Iterator[PageRead]:
    """(page, what OCR read on it, or the error that cost it) for pages of a PDF, in order.

    Tesseract runs single-threaded (see `_one_tesseract_thread`), so pages are read side by side,
    one per core (at most OCR_WORKERS); pdfium is not thread-safe, so this thread renders them,
    one batch of that many at a time (a 300 dpi page is tens of megabytes)."""
    workers = max(1, min(OCR_WORKERS, os.cpu_count() or 1))
    with _one_tesseract_thread(), ThreadPoolExecutor(workers) as pool:
        for start in range(0, len(numbers), workers):
            batch = numbers[start : start + workers]
            futures: list[Future | Exception] = []
            for number in batch:
                try:
                    futures.append(pool.submit(read_image, render_page(path, number)))
                except Exception as err:  # a page that will not render costs that page
                    futures.append(err)
            for number, job in zip(batch, futures, strict=True):
                if isinstance(job, Exception):
                    yield number, job
                    continue
                try:
                    yield number, job.result()
                except Exception as err:  # one unreadable image costs its page
                    yield number, err


def read_side_by_side(reads: Sequence[Callable[[], OcrPage]]) -> Iterator[OcrPage | Exception]:
    """What each of some calls reads (each loads its image and reads it with `read_image`), or
    the error that cost it, in order. The calls run side by side, one per core (at most
    OCR_WORKERS), so only that many images are in memory at once; Tesseract single-threaded."""
    workers = max(1, min(OCR_WORKERS, os.cpu_count() or 1))
    with _one_tesseract_thread(), ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(read) for read in reads]
        for future in futures:
            try:
                yield future.result()
            except Exception as err:  # one unreadable image costs that image
                yield err


def looks_like_paper(path: Path, number: int) -> bool:
    """Whether a page (1-based) looks like printed paper on a 30 dpi thumbnail: a cheap test
    that spares a photo page the seconds of OCR that would read nothing from it."""
    return is_paper(_thumbnail(path, number))


def holds_letters(path: Path, number: int) -> bool:
    """Whether a page (1-based) without a text layer is worth OCR: paper, or a screen in a dark
    theme (a slide or screenshot exported as a picture); not a photo."""
    return shows_letters(_thumbnail(path, number))


def _thumbnail(path: Path, number: int):
    """A page (1-based) in grey at 30 dpi, as a numpy array."""
    import pypdfium2 as pdfium  # the PDF renderer; loaded with the PDF parser anyway

    document = pdfium.PdfDocument(str(path))
    try:
        page = document[number - 1]
        try:
            return page.render(scale=30 / 72, grayscale=True).to_numpy()
        finally:
            page.close()
    finally:
        document.close()


def is_paper(pixels) -> bool:
    """Whether grey pixels (a numpy array) look like printed paper, not a photo: at least
    MIN_PAPER of them light."""
    import numpy as np

    return bool(np.mean(pixels >= DARK) >= MIN_PAPER)


def shows_letters(pixels) -> bool:
    """Whether grey pixels (a numpy array) are worth OCR: paper, or a screen in a dark theme;
    not a photo, whose specks and edges Tesseract would read as words."""
    return is_paper(pixels) or is_dark_screen(pixels)


def is_dark_screen(pixels) -> bool:
    """Whether grey pixels (a numpy array) look like a screen in a dark theme: light letters on
    one flat dark background."""
    import numpy as np

    counts = np.bincount(pixels.ravel(), minlength=256)
    ground = int(counts.argmax())
    near = counts[max(0, ground - FLAT_SPREAD) : ground + FLAT_SPREAD + 1].sum()
    return ground < DARK and near >= FLAT_SHARE * pixels.size


def read_lines(image, boxes: Sequence[tuple[int, int, int, int]]) -> list[str]:
    """The text Tesseract reads in some boxes of a page image (left, top, right, bottom in
    pixels), stacked into one strip and read in one call: a check costs one Tesseract run."""
    import numpy as np
    import pytesseract  # optional at import time: only OCR needs it
    from PIL import Image

    pixels = np.array(image.convert("L"))
    crops = [pixels[top:bottom, left:right] for left, top, right, bottom in boxes]
    crops = [crop for crop in crops if crop.size]
    if not crops:
        return []
    gap = max(crop.shape[0] for crop in crops) // 2
    strip = np.full(
        (sum(c.shape[0] + gap for c in crops) + gap, max(c.shape[1] for c in crops) + 2 * gap),
        255,
        dtype=pixels.dtype,
    )
    row = gap
    for crop in crops:
        strip[row : row + crop.shape[0], gap : gap + crop.shape[1]] = crop
        row += crop.shape[0] + gap
    with _one_tesseract_thread():
        text = pytesseract.image_to_string(
            Image.fromarray(strip), lang=ocr_languages(), config="--psm 6"
        )
    return [line for line in text.splitlines() if line.strip()]


def ink_outside(path: Path, page) -> float:
    """Share of a page's ink (on a 50 dpi thumbnail) that no glyph of its text layer covers."""
    import numpy as np

    scale = 50 / 72
    pixels = np.array(render_page(path, page.number, 50).convert("L"))
    dark = pixels < DARK
    if not dark.any():
        return 0.0
    covered = np.zeros_like(dark)
    for glyph in page.glyphs:
        top = max(0, int((glyph.baseline - glyph.size) * scale) - 1)
        bottom = int((glyph.baseline + 0.3 * glyph.size) * scale) + 2
        covered[top:bottom, max(0, int(glyph.x0 * scale) - 1) : int(glyph.x1 * scale) + 2] = True
    return float((dark & ~covered).sum() / dark.sum())


def ocr_image(image) -> list[str]:
    """Paragraph texts of a PIL image (see `read_image`)."""
    return read_image(image).texts


def read_image(image) -> OcrPage:
    """Paragraph texts and headline of a PIL image (a screen in a dark theme inverted first):
    ruling lines painted out, a full-page pass in Tesseract's reading order, then a sparse-text
    pass over what the first left unread (table cells, labels beside pictures), its paragraphs
    placed by height among the first's."""
    import numpy as np

    pixels = np.array(image.convert("L"))
    if is_dark_screen(pixels):
        pixels = 255 - pixels  # Tesseract reads dark letters on a light ground
    pixels = paint_out_rules(pixels, dpi_of(image))
    found = _read(pixels, PAGE_MODE)
    rest = pixels.copy()
    for para in found:
        for left, top, right, bottom in para.boxes:
            rest[max(0, top - 2) : bottom + 2, max(0, left - 2) : right + 2] = 255
    # most pages are read whole by the first pass: a second costs as much again for nothing;
    # and where the first reads no word at all the page is a picture (a map, a photo)
    if found and np.mean(rest < DARK) >= MIN_LEFT_INK:
        extra = _read(rest, SPARSE_MODE)
        found = _placed(found, extra)
    elif found:
        # too little is left for a second page pass, but a whole line of text may be among it
        # (the page pass sometimes skips one, e.g. a line that ends in an underlined link)
        found = _placed(found, _read_bands(rest, dpi_of(image)))
    kept = [para for para in found if para.kept()]
    pieces = _pieces(kept, pixels.shape[0])
    vocabulary = vocabulary_of(line for lines, _ in pieces for line in lines)
    joined = [(normalize_text(join_lines(lines, vocabulary)), place) for lines, place in pieces]
    read = [(text, place) for text, place in joined if text]
    return OcrPage([t for t, _ in read], _headline(kept), tuple(p for _, p in read))


def _pieces(paragraphs: list[_Paragraph], height: int) -> list[tuple[list[str], Placement]]:
    """Each paragraph's lines cut into its list items, and apart where more white space parts
    two lines than the page's lines usually leave (Tesseract joins a running header to the line
    under it), each piece with its place on the page."""
    gaps = [
        below[0] - above[1]
        for para in paragraphs
        for above, below in itertools.pairwise(para.spans)
    ]
    usual = statistics.median(gaps) if gaps else 0.0
    pieces: list[tuple[list[str], Placement]] = []
    for para in paragraphs:
        lines = [bottom - top for top, bottom in para.spans]
        size = statistics.median(lines) if lines else 0.0
        starts = set(para.items) | {
            i + 1
            for i, (above, below) in enumerate(itertools.pairwise(para.spans))
            if below[0] - above[1] > max(PIECE_GAP * usual, 0.5 * size)
        }
        for first, last in _runs_from(starts, len(para.lines)):
            top, bottom = para.spans[first][0], para.spans[last - 1][1]
            tall = statistics.median(lines[first:last])
            pieces.append(
                (para.lines[first:last], Placement(top / height, bottom / height, tall / height))
            )
    return pieces


def _runs_from(starts: set[int], count: int) -> list[tuple[int, int]]:
    """(first, end) line ranges of a paragraph of `count` lines cut before each of `starts`."""
    cuts = sorted({0, *(i for i in starts if 0 < i < count), count})
    return list(itertools.pairwise(cuts))


def _headline(paragraphs: list[_Paragraph]) -> str:
    """The tallest paragraphs' text when it is set well above the rest of the page and is a
    few words: a cover's or a letter's title. A logo's one word or a page without smaller text
    gives none."""
    heights = [statistics.median(p.heights()) for p in paragraphs]
    if not heights:
        return ""
    tallest = max(heights)
    top = [p for p, h in zip(paragraphs, heights, strict=True) if h >= 0.9 * tallest]
    rest = [h for p in paragraphs if p not in top for h in p.heights()]
    text = normalize_text(" ".join(line for p in top for line in p.lines))
    words = [w for w in text.split() if any(c.isalpha() for c in w)]
    if not rest or tallest < HEADLINE_RATIO * statistics.median(rest):
        return ""
    # a lead sentence set large, or one that runs on in smaller type, is no title
    if text.endswith(SENTENCE_ENDS):
        return ""
    return text if HEADLINE_WORDS[0] <= len(words) <= HEADLINE_WORDS[1] else ""


def dpi_of(image) -> float:
    """The resolution an image was rendered at, OCR_DPI when it does not say."""
    dpi = image.info.get("dpi")
    return float(dpi[0]) if dpi and dpi[0] else float(OCR_DPI)


@dataclass
class _Paragraph:
    """One paragraph as Tesseract read it: lines of words, word boxes and confidences."""

    top: int
    lines: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # each line's top and bottom
    boxes: list[tuple[int, int, int, int]] = field(default_factory=list)
    confidence: list[float] = field(default_factory=list)
    items: set[int] = field(default_factory=set)  # lines that opened with a bullet

    def heights(self) -> list[int]:
        return [bottom - top for _, top, _, bottom in self.boxes]

    def kept(self) -> bool:
        """Printed text reads as sure words; photos and drawings as scattered, unsure fragments.
        Numbers alone (a table's cells) count when Tesseract is surer still."""
        mean = sum(self.confidence) / len(self.confidence) if self.confidence else 0.0
        tokens = " ".join(self.lines).split()
        if any(sum(c.isalpha() for c in w) >= 3 for w in tokens):
            return mean >= MIN_CONFIDENCE
        return mean >= MIN_NUMBER_CONFIDENCE and any(c.isdigit() for w in tokens for c in w)


def _read(pixels, mode: int) -> list[_Paragraph]:
    """Tesseract's paragraphs of a grey image in one page segmentation mode."""
    import pytesseract  # optional at import time: only OCR needs it
    from PIL import Image

    with _one_tesseract_thread():
        data = pytesseract.image_to_data(
            Image.fromarray(pixels),
            lang=ocr_languages(),
            config=f"--psm {mode}",
            output_type=pytesseract.Output.DICT,
        )
    paragraphs: dict[tuple[int, int], _Paragraph] = {}
    lines: dict[tuple[int, int], dict[int, list[tuple[str, int, int]]]] = {}
    for i, word in enumerate(data["text"]):
        word = word.strip()
        if not word or float(data["conf"][i]) < 0:
            continue
        key = (data["block_num"][i], data["par_num"][i])
        left, top, bottom = data["left"][i], data["top"][i], data["top"][i] + data["height"][i]
        para = paragraphs.setdefault(key, _Paragraph(top))
        para.top = min(para.top, top)
        para.boxes.append((left, top, left + data["width"][i], bottom))
        para.confidence.append(float(data["conf"][i]))
        lines.setdefault(key, {}).setdefault(data["line_num"][i], []).append((word, top, bottom))
    for key, para in paragraphs.items():
        for read in lines[key].values():
            words = [word for word, _, _ in read]
            if len(words) > 1 and words[0] in READ_BULLETS:
                para.items.add(len(para.lines))
                words = words[1:]
            para.lines.append(" ".join(words))
            para.spans.append((min(t for _, t, _ in read), max(b for _, _, b in read)))
    return list(paragraphs.values())


def _read_bands(pixels, dpi: float) -> list[_Paragraph]:
    """Paragraphs of the bands of a page that look like unread lines of text: rows of ink as
    tall as a line of 6–30 pt type, with ink across at least LINE_SPAN of the page's width.
    Each is read alone (a few at most, so a speckled page costs little)."""
    import numpy as np

    dark = pixels < DARK
    low, high = round(6 / 72 * dpi), round(30 / 72 * dpi)
    bands = [
        (top, bottom)
        for top, bottom in _true_runs(dark.any(axis=1))
        if low <= bottom - top <= high and _span(dark[top:bottom]) >= LINE_SPAN * dark.shape[1]
    ]
    found: list[_Paragraph] = []
    for top, bottom in bands[:MAX_BANDS]:
        pad = max(2, (bottom - top) // 2)
        band = np.full((bottom - top + 2 * pad, pixels.shape[1]), 255, dtype=pixels.dtype)
        band[pad : pad + bottom - top] = pixels[top:bottom]
        for para in _read(band, SPARSE_MODE):
            para.top += top - pad
            para.boxes = [(a, b + top - pad, c, d + top - pad) for a, b, c, d in para.boxes]
            para.spans = [(a + top - pad, b + top - pad) for a, b in para.spans]
            found.append(para)
    return found


def _span(dark) -> int:
    """Pixels from the first to the last inked column of a band."""
    import numpy as np

    columns = np.flatnonzero(dark.any(axis=0))
    return int(columns[-1] - columns[0]) if columns.size else 0


def _true_runs(mask) -> list[tuple[int, int]]:
    """(start, end) of the runs of True in a 1-d mask."""
    import numpy as np

    steps = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(steps == 1).tolist(), np.flatnonzero(steps == -1).tolist()
    return list(zip(starts, ends, strict=True))


@contextmanager
def _one_tesseract_thread() -> Iterator[None]:
    """Tesseract run single-threaded unless the user set OMP_THREAD_LIMIT: its OpenMP threads
    spin-wait for each other, and on a 2-core machine a page took about four times longer
    (BENCHMARKS, session 11). The variable is set only around the call, for the Tesseract child
    it starts to inherit, and removed again: this process's own OpenMP (torch) keeps its
    threads."""
    if "OMP_THREAD_LIMIT" in os.environ:
        yield
        return
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        yield
    finally:
        os.environ.pop("OMP_THREAD_LIMIT", None)


def _placed(first: list[_Paragraph], extra: list[_Paragraph]) -> list[_Paragraph]:
    """The first pass's paragraphs in their order, each extra one after the last that starts
    above it."""
    out = list(first)
    for para in sorted(extra, key=lambda p: p.top):
        at = next((i for i, p in enumerate(out) if p.top > para.top), len(out))
        out.insert(at, para)
    return out


def paint_out_rules(pixels, dpi: float):
    """The grey image with long thin dark lines (table rulings, frames, underlines) painted
    white: Tesseract reads a ruling as a row of "—" or "|" and cuts cells' text into blocks."""
    import numpy as np

    dark = pixels < DARK
    longest = max(8, round(RULE_LENGTH * dpi))
    thickest = max(2, round(RULE_THICKNESS * dpi))
    rules = np.zeros_like(dark)
    for along in (dark, dark.T):
        lines = _runs(along, longest)
        lines &= ~_runs(lines.T, thickest + 1).T  # thick dark areas are pictures or shading
        rules |= lines if along is dark else lines.T
    if not rules.any():
        return pixels
    # take the lines' anti-aliased edges too
    grown = rules.copy()
    grown[1:, :] |= rules[:-1, :]
    grown[:-1, :] |= rules[1:, :]
    grown[:, 1:] |= rules[:, :-1]
    grown[:, :-1] |= rules[:, 1:]
    out = pixels.copy()
    out[grown] = 255
    return out


def _runs(mask, length: int):
    """Where `mask` has a run of at least `length` True pixels along a row."""
    import numpy as np

    rows, width = mask.shape
    padded = np.zeros((rows, width + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    steps = np.diff(padded, axis=1)
    starts = np.argwhere(steps == 1)
    ends = np.argwhere(steps == -1)[:, 1]
    long = ends - starts[:, 1] >= length
    out = np.zeros(mask.shape, dtype=bool)
    for (row, start), end in zip(starts[long], ends[long], strict=True):
        out[row, start:end] = True
    return out
