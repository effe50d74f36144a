"""PDF → ParsedDocument: open safely, extract glyphs per page (pdfium or pdfplumber), lay out.

Two backends extract the same thing, positioned glyphs with size and weight plus ruling lines;
the layout modules (layout.py and the steps after it, run by document.py) turn them into
paragraphs. pdfium (C++, via pypdfium2) is the default because it is
several times faster than pdfplumber (pure-Python pdfminer) at the same fidelity; see
BENCHMARKS.md. Every problem with the input surfaces as ParseError with a one-line reason.
"""

from __future__ import annotations

import ctypes
import hashlib
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from functools import lru_cache
from itertools import takewhile
from pathlib import Path

from policyminer.errors import DocumentError
from policyminer.parse.document import layout_document
from policyminer.parse.forms import filled_in, with_forms
from policyminer.parse.layout import (
    DRAWN,
    RULE_WIDTH,
    SHADE,
    Glyph,
    Line,
    RawPage,
    Rule,
    build_lines,
    on_page,
)
from policyminer.parse.lostletters import fill_lost_letters, has_lost_letters
from policyminer.parse.ocr import (
    MIN_DRAWING,
    MIN_LETTERS,
    OcrPage,
    OcrUnavailable,
    holds_letters,
    ink_outside,
    looks_like_paper,
    needs_ocr,
    ocr_languages,
    ocr_pdf_pages,
    restore_letters,
)
from policyminer.parse.raster import as_rules, rules_from_images
from policyminer.parse.textclean import UNMAPPED, normalize_text
from policyminer.parse.textlayer import Suspects, garbled_pages, suspects
from policyminer.records import ParsedDocument, ParseOptions, page_ranges

BACKENDS = ("pdfium", "pdfplumber")
# A scan with a stamped line: fewer letters in its layer than a short paragraph has, a picture
# over nearly all of it, most of its ink outside the layer's glyphs, and OCR reading more than
# twice the layer's letters and a line more; else the layer stands
STAMP_LETTERS = 400
STAMP_COVER = 0.9
STAMP_INK = 0.5
STAMP_GAIN = 2
MIN_STAMP_GAIN = 100
INVISIBLE = 3  # a text object's render mode: neither filled nor stroked
HIDDEN_SHARE = 0.5  # of a page's glyphs invisible: the page is a picture with a text layer
COVERING_IMAGE = 0.5  # of the page an image covers to be the picture of the page
MAX_IMAGE_PIXELS = 64_000_000  # an A3 page at 600 dpi; larger would cost seconds and gigabytes
DEFAULT_BACKEND = "pdfium"
SKIPPED = "skipped"  # page layout of a page no backend could read
A4_POINTS = (595.0, 842.0)  # size given to a page whose own size could not be read
BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demibold", "demi")
MONO_NAMES = ("courier", "mono", "consolas")  # fixed-pitch fonts a descriptor may not flag
FIXED_PITCH = 1  # bit 1 of a font descriptor's /Flags
CID = re.compile(r"^\(cid:\d+\)$")
# what tools write when nobody filled in the author or title field (ReportLab: "(anonymous)")
# what tools fill in when nobody names an author: generic roles, Office's default user names
# (English and Norwegian installs) and the library that wrote the file
PLACEHOLDER_AUTHORS = {
    "anonymous",
    "unknown",
    "user",
    "admin",
    "administrator",
    "author",
    "owner",
    "bruker",
    "microsoft office user",
    "microsoft office-bruker",
    "windows user",
    "windows-bruker",
    "python-docx",
}
PLACEHOLDER_TITLES = {"untitled", "untitled document", "unspecified", "anonymous", "no title"}
# a new file's name in an office program, or a converter's for a file type ("Dokument1",
# "Document3", "Word Document")
_DEFAULT_NAME = re.compile(r"(?:dokument|document|word document|uten tittel)\s*\d*")
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")

Progress = Callable[[int, int], None]


class ParseError(DocumentError):
    """A file that cannot be parsed; the message is one line, without the file name."""


def sha256_file(path: Path, chunk_size: int = 1 << 20) -> str:
    """SHA-256 of a file's bytes, read in chunks so big files never sit in memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk_size):
            digest.update(block)
    return digest.hexdigest()


def parse_pdf(
    path: Path,
    progress: Progress | None = None,
    backend: str = DEFAULT_BACKEND,
    sha256: str | None = None,
    options: ParseOptions | None = None,
) -> ParsedDocument:
    """Parse a PDF into paragraphs with physical page, kind and section path.

    `sha256` is the file's digest when the caller has it already (ingest hashes before parsing).
    A page whose layout fails or overruns its time budget is read as plain text and flagged; a
    page that is only an image of text is read by OCR unless `options.ocr` is off.
    """
    path = Path(path)
    options = options or ParseOptions()
    if backend not in BACKENDS:
        raise ValueError(f"unknown PDF backend '{backend}' (use {' or '.join(BACKENDS)})")
    check_pdf_file(path)
    extract = _pdfium_pages if backend == "pdfium" else _pdfplumber_pages
    try:
        with extract(path) as (metadata, page_count, pages):
            raw_pages = []
            for page in pages:
                raw_pages.append(page)
                if progress:
                    progress(page.number, page_count)
    except ParseError:
        raise
    except MemoryError as err:
        raise ParseError("cannot read: out of memory") from err
    except Exception as err:  # a broken file can fail anywhere inside the PDF library
        raise ParseError(f"corrupt PDF: {_short_reason(err)}") from err
    if page_count == 0:
        raise ParseError("corrupt PDF: it has no pages")
    warnings: list[str] = []
    _read_back_lost_letters(path, raw_pages, options, warnings)
    scanned = restore_letters(_ocr_pages(path, raw_pages, options, warnings))
    ocr_texts = {number: page.texts for number, page in scanned.items()}
    # a scan may still carry a stamped page number or title; real text fills at least a line
    letters = max(_letters(p) for p in raw_pages)
    if letters < MIN_LETTERS and not any(ocr_texts.values()):
        raise ParseError(_no_text_reason(raw_pages, options, bool(ocr_texts)))
    # a photo reads as no text: such a page keeps what its text layer has
    read = {number: texts for number, texts in ocr_texts.items() if texts}
    places = {number: page.places for number, page in scanned.items() if page.texts}
    result = layout_document(raw_pages, options.page_budget, read, places)
    for number, reason in sorted(result.problems.items()):
        warnings.append(f"page {number}: layout failed ({reason}); read as plain text")
    for page in raw_pages:
        if page.problem:
            warnings.append(f"page {page.number}: {page.problem}")
        if page.skipped:
            result.layouts[page.number] = SKIPPED
    read_scans = {number: page for number, page in scanned.items() if page.texts}
    title, publisher, year = document_metadata(metadata, raw_pages, path, read_scans)
    return ParsedDocument(
        path=path,
        sha256=sha256 or sha256_file(path),
        title=title,
        publisher=publisher,
        year=year,
        page_count=page_count,
        paragraphs=result.paragraphs,
        format="pdf",
        page_layouts=result.layouts,
        warnings=warnings,
        printed_pages=result.printed,
    )


def _letters(page: RawPage) -> int:
    return sum(1 for g in page.glyphs if g.text.isalnum())


def _no_text_reason(pages: list[RawPage], options: ParseOptions, read: bool) -> str:
    """Why a PDF gives nothing to index: an image of text OCR did not read (or was not asked
    to), or pages that show no text at all, for which OCR would not help either."""
    if any(needs_ocr(_letters(p), p.image_cover, p.drawing) for p in pages):
        return "no text layer (needs OCR)" + ("; OCR found no text" if options.ocr and read else "")
    letters = max(_letters(p) for p in pages)
    if letters == 0:
        return "no text: its pages are blank (no text layer and no image of text)"
    return f"too little text to index ({letters} letter{'s' * (letters != 1)} on its fullest page)"


def _ocr_pages(
    path: Path, pages: list[RawPage], options: ParseOptions, warnings: list[str]
) -> dict[int, OcrPage]:
    """What OCR read on the pages that are images of text, and on those whose text layer the
    printed page contradicts (page → texts and headline; a photo page reads as no text)."""
    scanned = [p.number for p in pages if needs_ocr(_letters(p), p.image_cover, p.drawing)]
    if not options.ocr:
        return {}
    suspect = suspects([p for p in pages if p.number not in scanned])
    stamped = [p for p in pages if p.number not in scanned and _stamped_scan(p)]
    if not scanned and not suspect.pages and not stamped:
        return {}
    try:
        ocr_languages()
    except OcrUnavailable as err:
        if max(_letters(p) for p in pages) < MIN_LETTERS:
            raise ParseError(f"no text layer (needs OCR; {err})") from err
        if scanned:
            warnings.append(f"{len(scanned)} page(s) without a text layer not read: {err}")
        return {}
    garbled = _garbled(path, suspect, warnings)
    texts: dict[int, OcrPage] = {}
    paper = []
    for number in scanned:
        try:
            if holds_letters(path, number):
                paper.append(number)
            else:
                texts[number] = OcrPage([])
        except Exception as err:  # one unreadable image costs its page, not the document
            warnings.append(f"page {number}: OCR failed ({_short_reason(err)})")
    stamps = {p.number: p for p in stamped if _shows_more_than_its_text(path, p)}
    for number, read in ocr_pdf_pages(path, sorted(paper + garbled + list(stamps))):
        if isinstance(read, Exception):
            warnings.append(f"page {number}: OCR failed ({_short_reason(read)})")
        elif number not in stamps or _reads_more(read, stamps[number]):
            texts[number] = read
    return dict(sorted(texts.items()))


def _read_back_lost_letters(
    path: Path, pages: list[RawPage], options: ParseOptions, warnings: list[str]
) -> None:
    """Letters the text layer has no character for, inside words, read back by OCR; one
    warning says which pages lost letters, how many, and how many were read back."""
    losing = [p for p in pages if has_lost_letters(p)]
    if not losing:
        return
    what = "letters without a character in the text layer (a font without a full Unicode map)"
    where = _page_list([p.number for p in losing])
    if not options.ocr:
        warnings.append(f"{where}: {what}; not read back")
        return
    try:
        ocr_languages()
        report = fill_lost_letters(path, losing)
    except Exception as err:  # a precaution: failing it keeps the layer as it was
        warnings.append(f"{where}: {what}; not read back ({_short_reason(err)})")
        return
    if not report:
        return
    lost = sum(n for _, n, _ in report)
    filled = sum(f for _, _, f in report)
    warnings.append(
        f"{_page_list([n for n, _, _ in report])}: {lost} {what}; {filled} read back by OCR"
    )


def _stamped_scan(page: RawPage) -> bool:
    """A page that is a picture with a line or two of text on it: a scan an archive system
    stamped (a journal number, "Side 1 av 3"), whose text layer is the stamp alone."""
    return MIN_LETTERS <= _letters(page) < STAMP_LETTERS and page.image_cover >= STAMP_COVER


def _shows_more_than_its_text(path: Path, page: RawPage) -> bool:
    """Whether most of the ink a page shows lies outside its text layer's glyphs (a picture of
    text with a stamp on it; an invisible layer under a scan covers the ink it stands for)."""
    return looks_like_paper(path, page.number) and ink_outside(path, page) >= STAMP_INK


def _reads_more(read: OcrPage, page: RawPage) -> bool:
    """Whether OCR read well beyond the page's text layer (so the layer was only a stamp)."""
    found = sum(c.isalnum() for text in read.texts for c in text)
    return found >= STAMP_GAIN * _letters(page) + MIN_STAMP_GAIN


def _garbled(path: Path, suspect: Suspects, warnings: list[str]) -> list[int]:
    """The pages whose text layer the printed page contradicts, named in one warning."""
    try:
        garbled = garbled_pages(path, suspect)
    except Exception as err:  # the check is a precaution: failing it keeps the text layers
        warnings.append(f"text layer check failed ({_short_reason(err)})")
        return []
    if garbled:
        warnings.append(
            f"{_page_list(garbled)}: the text layer does not say what the page shows "
            "(a font without a Unicode map); read by OCR"
        )
    return garbled


def _page_list(numbers: list[int]) -> str:
    """ "page 4", "pages 1–3, 7"."""
    return ("page " if len(numbers) == 1 else "pages ") + page_ranges(numbers)


def check_pdf_file(path: Path) -> None:
    """Fail early, with a precise reason, on files that are not a readable, whole PDF."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ParseError("cannot read: it is a folder")
        with open(path, "rb") as handle:
            head = handle.read(1024)
            handle.seek(max(0, size - 2048))
            tail = handle.read()
    except OSError as err:
        raise ParseError(f"cannot read: {err.strerror or err}") from err
    if size == 0:
        raise ParseError("empty file (0 bytes)")
    if b"%PDF-" not in head:
        raise ParseError(f"not a PDF (file starts with {_preview(head)})")
    if b"%%EOF" not in tail:
        raise ParseError("corrupt PDF: truncated (no end-of-file marker)")


def _preview(head: bytes) -> str:
    text = head[:16].decode("latin-1")
    shown = "".join(c if c.isprintable() else "." for c in text)
    return repr(shown)


def _short_reason(err: Exception) -> str:
    reason = " ".join(str(err).split()) or type(err).__name__
    reason = re.sub(r"^Failed to load document \(PDFium: (.*)\)\.?$", r"\1", reason)
    return (reason[:1].lower() + reason[1:])[:120]


def _is_password_error(err: BaseException | None) -> bool:
    """Whether a library error (or what it wraps) says the file needs a password."""
    seen = 0
    while err is not None and seen < 5:
        text = f"{type(err).__name__} {err} {err.args!r}".lower()
        if "password" in text or "encrypt" in text:
            return True
        err = (
            err.__cause__
            or err.__context__
            or next((a for a in err.args if isinstance(a, BaseException)), None)
        )
        seen += 1
    return False


# ---------------------------------------------------------------- pdfium backend


@contextmanager
def _pdfium_pages(path: Path) -> Iterator[tuple[dict, int, Iterator[RawPage]]]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as err:
        if _is_password_error(err):
            raise ParseError("encrypted PDF (password-protected)") from err
        if _has_no_pages(path):
            raise ParseError("corrupt PDF: it has no pages") from err
        raise ParseError(f"corrupt PDF: {_short_reason(err)}") from err
    try:
        metadata = _safely(lambda: document.get_metadata_dict(skip_empty=True))
        count = len(document)
        with_forms(document)

        def pages() -> Iterator[RawPage]:
            for index in range(count):
                yield _pdfium_page_or_fallback(path, document, index, count)

        yield metadata, count, pages()
    finally:
        document.close()


def _pdfium_page_or_fallback(path: Path, document, index: int, count: int) -> RawPage:
    """One page by pdfium; when pdfium cannot read it, by pdfplumber, else an empty flagged page."""
    try:
        page = document[index]
    except Exception as err:  # a page object pdfium cannot load (not a page, broken tree)
        return _fallback_page(path, index, count, err)
    with suppress(Exception):  # a form that will not flatten keeps the page as it is
        page = filled_in(document, index, page)
    try:
        return _pdfium_page(page, index + 1)
    except MemoryError:
        raise
    except Exception as err:  # one page's broken text or drawing spoils only that page
        return _fallback_page(path, index, count, err)
    finally:
        page.close()


def _has_no_pages(path: Path) -> bool:
    """Whether pdfminer opens the file and finds no page in it. PDFium refuses such a file
    without a reason of its own: its error code is whatever an earlier file left behind."""
    try:
        import pdfplumber

        with pdfplumber.open(str(path)) as document:
            return len(document.pages) == 0
    except Exception:  # broken for pdfminer too: PDFium's reason stands
        return False


def _fallback_page(path: Path, index: int, count: int, err: Exception) -> RawPage:
    """The page as pdfplumber reads it, or a skipped blank page when that fails too."""
    reason = f"text extraction failed ({_short_reason(err)})"
    try:
        import pdfplumber

        with pdfplumber.open(str(path)) as document:
            # a broken page tree may hide the page from pdfminer: page numbers would shift
            if len(document.pages) == count:
                raw = _pdfplumber_page(document.pages[index], index + 1)
                raw.problem = f"{reason}; read with pdfplumber"
                return raw
    except Exception:  # the page is unreadable for both libraries: skipped below
        pass
    width, height = A4_POINTS
    return RawPage(index + 1, width, height, [], problem=f"{reason}; page skipped", skipped=True)


class _Pdfium:
    """pdfium functions re-declared to pass handles as plain ints: ctypes pointer objects and
    casts per character cost more than the text extraction itself."""

    def __init__(self) -> None:
        import pypdfium2.raw as raw

        def plain(function, restype, *argtypes):
            address = ctypes.cast(function, ctypes.c_void_p).value
            return ctypes.CFUNCTYPE(restype, *argtypes)(address)

        handle, c_int = ctypes.c_void_p, ctypes.c_int
        self.raw = raw
        self.text_object = plain(raw.FPDFText_GetTextObject, handle, handle, c_int)
        self.font = plain(raw.FPDFTextObj_GetFont, handle, handle)
        self.font_name = plain(
            raw.FPDFFont_GetBaseFontName, ctypes.c_size_t, handle, ctypes.c_char_p, ctypes.c_size_t
        )
        self.font_weight = plain(raw.FPDFFont_GetWeight, c_int, handle)
        self.font_flags = plain(raw.FPDFFont_GetFlags, c_int, handle)
        self.font_size = plain(raw.FPDFText_GetFontSize, ctypes.c_double, handle, c_int)
        self.origin = plain(
            raw.FPDFText_GetCharOrigin,
            c_int,
            handle,
            c_int,
            ctypes.POINTER(ctypes.c_double),
            ctypes.POINTER(ctypes.c_double),
        )
        self.loose_box = plain(
            raw.FPDFText_GetLooseCharBox, c_int, handle, c_int, ctypes.POINTER(raw.FS_RECTF)
        )
        self.unicode = plain(raw.FPDFText_GetUnicode, ctypes.c_uint, handle, c_int)
        self.matrix = plain(
            raw.FPDFText_GetMatrix, c_int, handle, c_int, ctypes.POINTER(raw.FS_MATRIX)
        )
        self.generated = plain(raw.FPDFText_IsGenerated, c_int, handle, c_int)
        self.angle = plain(raw.FPDFText_GetCharAngle, ctypes.c_float, handle, c_int)
        self.render_mode = plain(raw.FPDFTextObj_GetTextRenderMode, c_int, handle)

    def style(self, obj: int) -> tuple[bool, bool]:
        """(bold, fixed-pitch) of a text object's font."""
        font = self.font(obj) if obj else None
        if not font:
            return False, False
        buffer = ctypes.create_string_buffer(256)
        length = self.font_name(font, buffer, 256)
        name = buffer.raw[: max(0, length - 1)].decode("latin-1", "replace").lower()
        bold = any(tag in name for tag in BOLD_NAMES) or self.font_weight(font) >= 600
        flags = self.font_flags(font)
        mono = any(tag in name for tag in MONO_NAMES) or (flags > 0 and flags & FIXED_PITCH)
        return bold, bool(mono)

    def page_text(self, tp: int, count: int) -> str | None:
        """All characters' Unicode in one call; None when it does not map 1:1 to indexes."""
        buffer = ctypes.create_string_buffer((count + 1) * 2)
        self.raw.FPDFText_GetText(
            ctypes.cast(tp, self.raw.FPDF_TEXTPAGE),
            0,
            count,
            ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)),
        )
        text = buffer.raw[: count * 2].decode("utf-16-le", "replace")
        return text if len(text) == count and "\ufffd" not in text else None


@lru_cache(maxsize=1)
def _pdfium() -> _Pdfium:
    return _Pdfium()


class _View:
    """From PDF user space to the page as displayed (its /Rotate applied), top-left origin."""

    def __init__(self, page) -> None:
        left, bottom, right, top = page.get_mediabox()
        self.left, self.bottom = left, bottom
        self.user_w, self.user_h = right - left, top - bottom
        self.rotation = page.get_rotation() % 360
        self.width, self.height = (
            (self.user_h, self.user_w) if self.rotation in (90, 270) else (self.user_w, self.user_h)
        )
        # text that reads upright on screen runs at this angle in user space (pdfium's measure)
        self.upright = (2 * math.pi - math.radians(self.rotation)) % (2 * math.pi)

    def point(self, x: float, y: float) -> tuple[float, float]:
        u, v = x - self.left, y - self.bottom
        if self.rotation == 90:
            return v, u
        if self.rotation == 180:
            return self.user_w - u, v
        if self.rotation == 270:
            return self.user_h - v, self.user_w - u
        return u, self.user_h - v

    def rect(
        self, left: float, bottom: float, right: float, top: float, source: str = DRAWN
    ) -> Rule:
        (ax, ay), (bx, by) = self.point(left, bottom), self.point(right, top)
        return Rule(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by), source)

    def is_upright(self, angle: float) -> bool:
        turn = abs(angle - self.upright) % (2 * math.pi)
        return angle < 0 or min(turn, 2 * math.pi - turn) < 0.01


def _pdfium_page(page, number: int) -> RawPage:
    api = _pdfium()
    view = _View(page)
    textpage = page.get_textpage()
    glyphs: list[Glyph] = []
    try:
        tp = ctypes.cast(textpage.raw, ctypes.c_void_p).value
        count = api.raw.FPDFText_CountChars(textpage.raw)
        text = api.page_text(tp, count) if count > 0 else ""
        x, y = ctypes.c_double(), ctypes.c_double()
        px, py = ctypes.byref(x), ctypes.byref(y)
        box = api.raw.FS_RECTF()
        pbox = ctypes.byref(box)
        matrix = api.raw.FS_MATRIX()
        pmatrix = ctypes.byref(matrix)
        fonts: dict[int, tuple[bool, bool]] = {}
        last_obj, size, bold, mono, drop, upright = -1, 1.0, False, False, 0.0, True
        hidden, invisible = 0, False  # glyphs of an invisible text layer (a scan's OCR text)
        turned = view.rotation != 0 or view.left != 0 or view.bottom != 0
        for i in range(count):
            code = ord(text[i]) if text is not None else api.unicode(tp, i)
            # pdfium marks a hyphen that ends a line (hard or soft) as U+0002 (U+FFFE in bulk)
            if code < 0x20 or code == 0xFFFE:
                if code not in (2, 0xFFFE):
                    continue
                char = "-"
            elif 0xD800 <= code < 0xE000 or code > 0x10FFFF:
                continue
            else:
                char = chr(code)
                if char == " " and api.generated(tp, i):
                    continue
            obj = api.text_object(tp, i) or 0
            api.loose_box(tp, i, pbox)
            if obj != last_obj:
                # size, weight and baseline offset are the same for all of a text object's chars
                last_obj = obj
                # text turned against the page (chart axes, margin stamps) is not read
                upright = view.is_upright(api.angle(tp, i))
                size = api.font_size(tp, i) or 1.0
                # the size as set (Tf) ignores the text matrix: InDesign exports often set 1 pt
                # type scaled up by the matrix, so the drawn size is Tf times its vertical scale
                if api.matrix(tp, i, pmatrix):
                    size *= math.hypot(matrix.c, matrix.d) or 1.0
                if obj not in fonts:
                    fonts[obj] = api.style(obj)
                bold, mono = fonts[obj]
                invisible = bool(obj) and api.render_mode(obj) == INVISIBLE
                api.origin(tp, i, px, py)
                drop = y.value - box.bottom
            if not upright:
                continue
            hidden += invisible
            if turned:  # a rotated or offset page: the exact origin of every character
                api.origin(tp, i, px, py)
                edges = view.rect(box.left, box.bottom, box.right, box.top)
                x0, x1, baseline = edges.x0, edges.x1, view.point(x.value, y.value)[1]
            else:
                x0, x1, baseline = box.left, box.right, view.user_h - box.bottom - drop
            x1 = max(x1, x0 + (0.25 * size if char == " " else 0.0))
            glyphs.append(Glyph(char, x0, x1, baseline, size, bold, mono=mono))
    finally:
        textpage.close()
    glyphs = on_page(glyphs, view.width, view.height)
    rules = _pdfium_rules(page, view)
    if glyphs and hidden >= HIDDEN_SHARE * len(glyphs):
        # an odd image costs the page its picture's rulings, never its text
        with suppress(Exception):
            rules += _image_rules(page, view)
    raw = RawPage(number, view.width, view.height, glyphs, rules)
    letters = sum(1 for g in glyphs if g.text.isalnum())
    if letters < STAMP_LETTERS:
        raw.image_cover = _pdfium_image_cover(page, view)
    if letters < MIN_LETTERS:
        raw.drawing = _pdfium_drawing(page)
    return raw


def _pdfium_drawing(page) -> int:
    """Path segments drawn on a page, counted up to MIN_DRAWING (a page of text converted to
    outlines is all paths: one per glyph or per line, each of many curves)."""
    import pypdfium2.raw as raw

    segments = 0
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=3):
        segments += max(0, raw.FPDFPath_CountSegments(obj.raw))
        if segments >= MIN_DRAWING:
            break
    return segments


def _image_rules(page, view: _View) -> list[Rule]:
    """Rulings drawn in the page's picture: under an invisible text layer the grid a reader
    sees is pixels only. The images that cover most of the page, smallest first."""
    import pypdfium2.raw as raw

    covering = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        matrix = obj.get_matrix()
        area = (right - left) * (top - bottom)
        if matrix.b or matrix.c or area < COVERING_IMAGE * view.user_w * view.user_h:
            continue  # a turned image, or a picture on the page rather than the page
        width, height = obj.get_px_size()
        if width * height <= MAX_IMAGE_PIXELS:
            covering.append((width * height, obj, matrix))
    covering.sort(key=lambda item: item[0])
    return as_rules(rules_from_images(_grey_images(covering)), view)


def _grey_images(covering: list) -> Iterator[tuple[object, tuple[float, float, float, float]]]:
    """Each image's grey pixels (row 0 on top, as on the page) and its box in page space;
    decoded only when asked for, so that the first image that shows print spares the rest."""
    for _, obj, matrix in covering:
        try:
            pixels = obj.get_bitmap(render=False).to_numpy()
        except Exception:  # an image pdfium cannot decode has no rulings to give
            continue
        if pixels.ndim == 3:  # colour: the green channel is close enough to luminance
            pixels = pixels[..., 1]
        if matrix.d < 0:
            pixels = pixels[::-1]
        if matrix.a < 0:
            pixels = pixels[:, ::-1]
        yield pixels, obj.get_bounds()


def _pdfium_image_cover(page, view: _View) -> float:
    """The share of the page that images cover (overlaps counted twice, capped at 1)."""
    import pypdfium2.raw as raw

    area = 0.0
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        box = view.rect(*obj.get_bounds())
        area += max(0.0, min(box.x1, view.width) - max(box.x0, 0.0)) * max(
            0.0, min(box.bottom, view.height) - max(box.top, 0.0)
        )
    return min(1.0, area / max(1.0, view.width * view.height))


def _pdfium_rules(page, view: _View) -> list[Rule]:
    """Straight horizontal and vertical strokes and rectangle edges: candidate table rulings."""
    import pypdfium2.raw as raw

    rules: list[Rule] = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=1):
        left, bottom, right, top = obj.get_bounds()
        w, h = right - left, top - bottom
        if w <= 2.5 or h <= 2.5:  # a line or a thin filled bar
            rules.append(view.rect(left, bottom, right, top))
            continue
        segments = raw.FPDFPath_CountSegments(obj.raw)
        if segments == 5 or (segments == 4 and w > 3 and h > 3):  # a rectangle: keep its edges
            source = SHADE if _filled_only(raw, obj) else DRAWN
            rules.extend(
                [
                    view.rect(left, top, right, top, source),
                    view.rect(left, bottom, right, bottom, source),
                    view.rect(left, bottom, left, top, source),
                    view.rect(right, bottom, right, top, source),
                ]
            )
        elif segments <= 400:
            rules.extend(_path_rules(raw, obj, view))
    return rules


def _filled_only(raw, obj) -> bool:
    """Whether a path is filled and not stroked: its edges are shading's, not drawn lines."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj.raw, fill, stroke):
        return False
    return bool(fill.value) and not stroke.value


def _path_rules(raw, obj, view: _View) -> list[Rule]:
    """Axis-parallel straight segments of a multi-segment path (a grid drawn as one path)."""
    matrix = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj.raw, matrix):
        return []
    a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
    rules: list[Rule] = []
    px, py = ctypes.c_float(), ctypes.c_float()
    start = current = None
    for i in range(raw.FPDFPath_CountSegments(obj.raw)):
        segment = raw.FPDFPath_GetPathSegment(obj.raw, i)
        raw.FPDFPathSegment_GetPoint(segment, px, py)
        point = (a * px.value + c * py.value + e, b * px.value + d * py.value + f)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = current = point
            continue
        if kind == raw.FPDF_SEGMENT_LINETO and current is not None:
            rules.append(_segment_rule(current, point, view))
        current = point
        if raw.FPDFPathSegment_GetClose(segment) and start is not None:
            rules.append(_segment_rule(current, start, view))
            current = start
    return [r for r in rules if r.horizontal or r.vertical]


def _segment_rule(p: tuple[float, float], q: tuple[float, float], view: _View) -> Rule:
    return view.rect(min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1]))


# ---------------------------------------------------------------- pdfplumber backend


@contextmanager
def _pdfplumber_pages(path: Path) -> Iterator[tuple[dict, int, Iterator[RawPage]]]:
    import pdfplumber

    try:
        document = pdfplumber.open(str(path))
        count = len(document.pages)
    except Exception as err:
        if _is_password_error(err):
            raise ParseError("encrypted PDF (password-protected)") from err
        raise ParseError(f"corrupt PDF: {_short_reason(err)}") from err
    try:
        metadata = _safely(lambda: {k: _plain(v) for k, v in (document.metadata or {}).items()})

        def pages() -> Iterator[RawPage]:
            for index, page in enumerate(document.pages):
                try:
                    raw = _pdfplumber_page(page, index + 1)
                except MemoryError:
                    raise
                except Exception as err:  # one page's broken text spoils only that page
                    reason = f"text extraction failed ({_short_reason(err)}); page skipped"
                    raw = RawPage(index + 1, *A4_POINTS, [], problem=reason, skipped=True)
                finally:
                    page.close()
                yield raw

        yield metadata, count, pages()
    finally:
        document.close()


def _safely(read: Callable[[], dict]) -> dict:
    """Document metadata, or none when it is malformed: a bad Info dictionary spoils no text."""
    try:
        return dict(read())
    except Exception:
        return {}


def _plain(value: object) -> str:
    if isinstance(value, bytes):
        for encoding in ("utf-16", "utf-8", "latin-1"):
            try:
                return value.decode(encoding)
            except UnicodeDecodeError:
                continue
    return str(value)


def _pdfplumber_page(page, number: int) -> RawPage:
    glyphs = []
    for char in page.chars:
        if not char.get("upright", True):
            continue
        size = float(char.get("size") or 1.0)
        name = str(char.get("fontname", "")).lower()
        # The text matrix's origin is the exact baseline, but it ignores text rise (how
        # superscripts are often set); the glyph box sees the rise, give or take the descent.
        estimate = char["bottom"] - 0.21 * size
        baseline = estimate
        if "matrix" in char:
            exact = page.height - (char["matrix"][5] - page.bbox[1])
            baseline = exact if abs(exact - estimate) < 0.15 * size else estimate
        text = UNMAPPED if CID.match(char["text"]) else char["text"]
        bold = any(tag in name for tag in BOLD_NAMES)
        mono = any(tag in name for tag in MONO_NAMES)
        glyphs.append(Glyph(text, char["x0"], char["x1"], baseline, size, bold, mono=mono))
    rules = _pdfplumber_rules(page)
    glyphs = on_page(glyphs, float(page.width), float(page.height))
    raw = RawPage(number, float(page.width), float(page.height), glyphs, rules)
    if sum(1 for g in glyphs if g.text.isalnum()) < MIN_LETTERS:
        area = sum(
            max(0.0, float(i["x1"] - i["x0"])) * max(0.0, float(i["bottom"] - i["top"]))
            for i in page.images
        )
        raw.image_cover = min(1.0, area / max(1.0, raw.width * raw.height))
        raw.drawing = sum(len(c.get("pts") or ()) for c in page.curves) + 5 * len(page.rects)
    return raw


def _pdfplumber_rules(page) -> list[Rule]:
    """As pdfium's: lines and thin bars as they are, a rectangle's four edges (shading's when
    it is filled and not stroked)."""
    rules = [
        Rule(e["x0"], e["top"], e["x1"], e["bottom"])
        for e in page.edges
        if e.get("object_type") != "rect_edge"
    ]
    for r in page.rects:
        x0, top, x1, bottom = r["x0"], r["top"], r["x1"], r["bottom"]
        if x1 - x0 <= RULE_WIDTH or bottom - top <= RULE_WIDTH:
            rules.append(Rule(x0, top, x1, bottom))
            continue
        source = SHADE if r.get("fill") and not r.get("stroke") else DRAWN
        rules += [
            Rule(x0, top, x1, top, source),
            Rule(x0, bottom, x1, bottom, source),
            Rule(x0, top, x0, bottom, source),
            Rule(x1, top, x1, bottom, source),
        ]
    return rules


# ---------------------------------------------------------------- metadata


def document_metadata(
    metadata: dict, pages: list[RawPage], path: Path, scanned: Mapping[int, OcrPage] | None = None
) -> tuple[str, str | None, int | None]:
    """Title, publisher and year: PDF metadata first, then the title page, then the file name.
    `scanned` holds what OCR read on pages without a text layer (page → texts and headline)."""
    scanned = scanned or {}
    title = normalize_text(str(metadata.get("Title", "")))
    useful = useful_title(title, path)
    if not useful or not _printed_in(title, pages[:3]):
        headlines = {number: page.headline for number, page in scanned.items()}
        title = title_from_first_page(pages, headlines) or (title if useful else path.stem)
    publisher = normalize_text(str(metadata.get("Author", ""))) or None
    if publisher and is_placeholder_author(publisher):
        publisher = None
    first = scanned.get(pages[0].number) if pages else None
    year = year_from_title_page(pages, first.texts if first else None) or year_from_date(
        str(metadata.get("CreationDate", ""))
    )
    return title, publisher, year


def is_placeholder_author(value: str) -> bool:
    """An author a tool fills in when nobody does ("Unknown", "(admin)")."""
    return _bare(value) in PLACEHOLDER_AUTHORS


def _bare(value: str) -> str:
    """A metadata value lower-cased, without the brackets a tool puts round a placeholder."""
    return value.strip("()[]<> ").lower()


def useful_title(title: str, path: Path) -> bool:
    """Whether a title from a file's properties may be a title: not a placeholder, a default
    name or the file's own name."""
    lowered = title.lower()
    return (
        bool(title)
        and _bare(title) not in PLACEHOLDER_TITLES
        and not _DEFAULT_NAME.fullmatch(_bare(title))
        and lowered != path.stem.lower()
        and (not lowered.endswith((".doc", ".docx", ".indd", ".pdf")))
    )


def _printed_in(title: str, pages: list[RawPage]) -> bool:
    """Whether the first pages print the title's words, or print no text.

    A metadata title the document never prints is a template's or a file's name ("Mal for
    rapport", "Dokument1"); pages without a text layer cannot say.
    """
    lines = [line.text for page in pages for line in build_lines(page.glyphs)]
    return not lines or title_printed(title, lines)


def title_printed(title: str, texts: Iterable[str]) -> bool:
    """Whether the texts hold the title's words (four in five); a title without words, yes."""
    words = set(_LETTERS.findall(title.lower()))
    printed = set(_LETTERS.findall(" ".join(texts).lower()))
    return not words or len(words & printed) >= TITLE_PRINTED * len(words)


_LETTERS = re.compile(r"[^\W\d_]+")
TITLE_PRINTED = 0.8
TITLE_LINES = 4  # more lines at the body text's size are text, not a title


def title_from_first_page(pages: list[RawPage], headlines: Mapping[int, str] | None = None) -> str:
    """The largest text on the first page with text that reads as a title, lines joined in
    reading order: initials, drop caps or a big page number are passed over for the next size.
    A page read by OCR gives its headline (see `ocr._headline`), not the text a scanner
    stamped on it, and only the first page does: a scan's later pages set lead sentences and
    labels large, and OCR cannot tell those from a title by their words."""
    headlines = headlines or {}
    for page in pages[:3]:
        if page.number in headlines:
            headline = headlines[page.number]
            return headline if page is pages[0] and _reads_as_title(headline) else ""
        glyphs = [g for g in page.glyphs if g.text.strip()]
        if not glyphs:
            continue
        body = Counter(round(g.size, 1) for g in glyphs).most_common(1)[0][0]
        for size in sorted({round(g.size, 1) for g in glyphs}, reverse=True)[:6]:
            top = [g for g in page.glyphs if size * 0.95 <= g.size < size * 1.05]
            lines = sorted(build_lines(top), key=lambda ln: (round(ln.baseline), ln.x0))
            if size == body and len(lines) > TITLE_LINES:
                # no larger type: a title set at the text's size is its opening bold lines
                lines = list(takewhile(lambda ln: ln.bold, lines))
            title = normalize_text(" – ".join(_title_parts(lines, size)))[:300]
            if _reads_as_title(title):
                return title
        return ""
    return ""


def _title_parts(lines: Sequence[Line], size: float) -> list[str]:
    """Title lines in runs: a line set more than two lines below the one before it starts a
    part of its own (a title and, further down the page, the project it is for)."""
    parts: list[list[str]] = []
    last = None
    for line in lines:
        if last is None or line.baseline - last > 2.0 * size:
            parts.append([])
        parts[-1].append(line.text)
        last = line.baseline
    return [" ".join(part) for part in parts]


def _reads_as_title(text: str) -> bool:
    """At least one real word: three letters in a row, and more letters than other characters."""
    letters = sum(c.isalpha() for c in text)
    return any(sum(c.isalpha() for c in w) >= 3 for w in text.split()) and letters * 2 > len(
        text.replace(" ", "")
    )


def year_from_title_page(pages: list[RawPage], read: list[str] | None = None) -> int | None:
    """The one publication year printed on the title page, if it prints exactly one; `read` is
    the title page's text where OCR read it."""
    if not pages:
        return None
    if read is not None:
        text = " ".join(read)
    else:
        text = " ".join(line.text for line in build_lines(pages[0].glyphs))
    return single_year(text)


def single_year(text: str) -> int | None:
    """The year a text prints, when it prints exactly one."""
    years = set(YEAR.findall(text))
    return int(years.pop()) if len(years) == 1 else None


def year_from_date(value: str) -> int | None:
    """The year of a PDF date string like D:20240131120000+01'00'."""
    match = re.match(r"^(?:D:)?(\d{4})", value.strip())
    if not match:
        return None
    year = int(match.group(1))
    return year if 1990 <= year <= 2100 else None
