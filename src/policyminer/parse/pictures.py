"""Pictures of text in office files (a screenshot of a table, a scanned letter, an infographic)
read by OCR, as a scanned PDF page is: what slide decks and Word files share.

A reader finds the pictures large enough to hold text where they stand (`covers_enough`,
`enough_pixels`), keyed by their image's id (its sha1), and `read_pictures` reads each image
once, side by side on the machine's cores, unless ParseOptions.ocr is off or Tesseract is
missing. A low-resolution picture is scaled up to read as if scanned at 300 dpi at the size the
document shows it; a photo (mostly dark or mid-tone, as a PDF's photo pages are) is not read.
The reader then places what was read where each picture stands (`PictureReading.place`).
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial

from policyminer.parse.ocr import (
    OCR_DPI,
    OcrPage,
    OcrUnavailable,
    ocr_languages,
    read_image,
    read_side_by_side,
    restore_letters,
    shows_letters,
)
from policyminer.parse.sections import SectionBuilder
from policyminer.records import ParseOptions

__all__ = [
    "EMU_PER_INCH",
    "MAX_OCR_PIXELS",
    "MAX_UPSCALE",
    "MIN_PICTURE_PIXELS",
    "MIN_PICTURE_SHARE",
    "MIN_PICTURE_SIDE",
    "Picture",
    "PictureReading",
    "covers_enough",
    "enough_pixels",
    "pictures_said",
    "read_pictures",
    "short_reason",
    "why_unread",
]

# a picture is read by OCR where it covers this share of its slide (or its page's text area)
# and has this many pixels, and this many on its shorter side: a screenshot or a scanned page
# does, a logo or an icon does not
MIN_PICTURE_SHARE = 0.1
MIN_PICTURE_PIXELS = 20_000
MIN_PICTURE_SIDE = 20
# Tesseract misreads letters under about 20 pixels tall: a low-resolution picture is scaled up
# to read as if scanned at OCR_DPI at the size its document shows it, by at most MAX_UPSCALE,
# and to no more than MAX_OCR_PIXELS (a whole 16:9 slide at 300 dpi is 9 million)
MAX_UPSCALE = 4.0
MAX_OCR_PIXELS = 16_000_000
EMU_PER_INCH = 914_400  # Office's unit of length (English Metric Units)


@dataclass(frozen=True)
class Picture:
    """A picture worth OCR: its image's bytes, the inches its document shows it at (width,
    height) and the shares of the image cropped off (left, top, right, bottom; a negative one
    pads, hiding nothing)."""

    blob: bytes
    shown: tuple[float, float]
    crop: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


def covers_enough(area: float, whole: float) -> bool:
    """Whether a picture shown at `area` covers enough of its slide or page (`whole`, in the
    same unit) to be a picture of text, no logo or icon."""
    return area >= MIN_PICTURE_SHARE * whole


def enough_pixels(pixels: tuple[int, int]) -> bool:
    """Whether an image of this size (width, height) has the pixels to hold readable text."""
    return min(pixels) >= MIN_PICTURE_SIDE and pixels[0] * pixels[1] >= MIN_PICTURE_PIXELS


@dataclass
class PictureReading:
    """What OCR read in a document's pictures worth it: paragraphs by image id, how many places
    show such a picture (one shown twice counts twice), why an image could not be read (by its
    id), why none was tried ("" where they were: OCR off, Tesseract missing), and the pages
    (slides, a Word file's parts) that got text from them."""

    texts: dict[str, list[str]] = field(default_factory=dict)
    shown: int = 0
    failures: dict[str, str] = field(default_factory=dict)
    skipped: str = ""
    read_on: set[int] = field(default_factory=set)

    @property
    def unread(self) -> str:
        """Why no picture gave text: OCR was not tried, or every image failed (the last
        failure); "" where some were read."""
        if self.skipped or not self.failures or len(self.failures) < len(self.texts):
            return self.skipped
        return list(self.failures.values())[-1]

    def skipped_warnings(self, where: str = "") -> list[str]:
        """ "3 pictures on slides 2–4 not read: OCR is off" where OCR was not tried (`where`
        names their places, "on slides 2–4"); else none."""
        if not self.skipped:
            return []
        placed = f" {where}" if where else ""
        return [f"{pictures_said(self.shown)}{placed} not read: {self.skipped}"]

    def no_text_reason(self, said: str) -> str:
        """Why a document gives nothing to index, after `said` ("no text found in the
        slides"): and no picture OCR read any in, or could read."""
        if not self.shown:
            return said
        if self.unread:
            return f"{said}; {pictures_said(self.shown)} not read: {self.unread}"
        return f"{said}, nor by OCR in {pictures_said(self.shown)}"

    def place(self, builder: SectionBuilder, image: str) -> None:
        """What OCR read in an image, as body paragraphs where its picture stands; the page
        counts as read by OCR."""
        for text in self.texts.get(image, []):
            builder.add("body", text)
            self.read_on.add(builder.page)


def read_pictures(
    pictures: Mapping[str, Picture], options: ParseOptions, shown: int | None = None
) -> PictureReading:
    """What OCR reads in pictures (image id → picture; `shown`: how many places show them,
    one each by default), each once, side by side; nothing where OCR is off or missing."""
    counted = len(pictures) if shown is None else shown
    reading = PictureReading({image: [] for image in pictures}, counted)
    if not pictures:
        return reading
    reading.skipped = why_unread(options)
    if reading.skipped:
        return reading
    images = list(pictures)
    read: dict[int, OcrPage] = {}
    results = read_side_by_side([partial(_read_picture, p) for p in pictures.values()])
    for i, result in enumerate(results):
        if isinstance(result, Exception):
            reading.failures[images[i]] = short_reason(result)
        else:
            read[i] = result
    # the document's other pictures give a misread word back its æ, ø or å, as a scanned
    # PDF's pages do
    for i, page in restore_letters(read).items():
        reading.texts[images[i]] = page.texts
    return reading


def why_unread(options: ParseOptions) -> str:
    """Why pictures are not read by OCR here ("" where they are)."""
    if not options.ocr:
        return "OCR is off"
    try:
        ocr_languages()
    except OcrUnavailable as err:
        return str(err)
    return ""


def pictures_said(count: int) -> str:
    """ "1 picture", "3 pictures"."""
    return f"{count} picture{'s' * (count != 1)}"


def short_reason(err: Exception) -> str:
    """An error's message on one line, short enough for a warning."""
    return " ".join(str(err).split())[:120] or type(err).__name__


def _read_picture(picture: Picture) -> OcrPage:
    """What OCR reads in a picture as its document shows it (a screenshot in a dark theme too);
    nothing in a photo (mostly mid-tones or dark, as a PDF's photo page is), whose
    specks and edges Tesseract would read as words."""
    import numpy as np

    image = _cropped(_grey(picture.blob), picture.crop)
    if not shows_letters(np.asarray(image)):
        return OcrPage([])
    return read_image(_scaled(image, picture.shown))


def _scaled(image, shown: tuple[float, float]):
    """A grey image scaled for OCR (see MAX_UPSCALE), the resolution it is read at recorded."""
    from PIL import Image

    dpi = min(image.width / shown[0], image.height / shown[1])
    factor = _scale(dpi, image.width * image.height)
    if factor != 1.0:
        size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
        image = image.resize(size, Image.Resampling.LANCZOS)
    image.info["dpi"] = (dpi * factor, dpi * factor)
    return image


def _grey(blob: bytes):
    """An image's first frame in grey, its transparent parts white (the slide or page behind
    them is most often white, and a transparent pixel's own colour is often black)."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(blob))
        image.load()
    except (UnidentifiedImageError, OSError) as err:  # a vector drawing (EMF, WMF), a damaged file
        raise ValueError("its image format cannot be opened") from err
    if image.mode in ("RGBA", "LA", "PA", "P") or "transparency" in image.info:
        image = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image)
    return image.convert("L")


def _cropped(image, crop: tuple[float, float, float, float]):
    """The part of an image its document shows."""
    left, top, right, bottom = (min(max(side, 0.0), 1.0) for side in crop)
    box = (
        round(image.width * left),
        round(image.height * top),
        round(image.width * (1 - right)),
        round(image.height * (1 - bottom)),
    )
    if box == (0, 0, image.width, image.height) or box[2] <= box[0] or box[3] <= box[1]:
        return image
    return image.crop(box)


def _scale(dpi: float, pixels: int) -> float:
    """How much to scale a picture shown at `dpi` for OCR: up to OCR_DPI, by at most
    MAX_UPSCALE, and to no more than MAX_OCR_PIXELS."""
    wanted = min(max(OCR_DPI / dpi, 1.0), MAX_UPSCALE) if dpi > 0 else 1.0
    return min(wanted, math.sqrt(MAX_OCR_PIXELS / max(pixels, 1)))
