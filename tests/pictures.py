"""Pictures for the tests of OCR in office files: text drawn as a scan or a screenshot shows
it, a drawing without letters, and a tolerant check of what OCR read back."""

from __future__ import annotations

import io
import random
import re
import shutil

import pytest
from pdfdocs import DEJAVU
from PIL import Image, ImageDraw, ImageFont

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract-ocr is not installed (make install)"
)


def text_picture(
    lines: list[str],
    size: int,
    width: int,
    transparent: bool = False,
    height: int = 0,
    dark: bool = False,
) -> bytes:
    """A PNG of black lines of text (`size` pixels), as a scan or a screenshot shows them; at
    least `height` pixels tall (a scanned page's paper below its lines); `dark`: light grey
    letters on a dark blue-grey ground, as a screen in a dark theme shows them."""
    height = max(height, round(size * (1.6 * len(lines) + 1.5)))
    background = (255, 255, 255, 0) if transparent else (255, 255, 255, 255)
    image = Image.new("RGBA", (width, height), (28, 32, 40, 255) if dark else background)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(DEJAVU), size)
    ink = (225, 225, 225) if dark else "black"
    for n, line in enumerate(lines):
        draw.text((size, size + round(n * 1.6 * size)), line, font=font, fill=ink)
    return png(image)


def dark_photo() -> bytes:
    """A PNG of dark tones spread as a photo at night has them, with a few light shapes."""
    rng = random.Random(11)
    image = Image.new("L", (900, 560))
    image.putdata([min(255, max(0, round(rng.gauss(55, 22)))) for _ in range(900 * 560)])
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y, r = rng.randrange(860), rng.randrange(520), rng.randrange(10, 60)
        draw.ellipse((x, y, x + r, y + r), fill=rng.randrange(150, 256))
    return png(image.convert("RGB"))


def shapes_picture(background: str = "white") -> bytes:
    """A PNG of coloured shapes and dark specks: a drawing without letters, or on a sky blue
    background (mid-tone, as a photo is) what Tesseract would read junk in."""
    rng = random.Random(7)
    image = Image.new("RGB", (900, 560), background)
    draw = ImageDraw.Draw(image)
    for n in range(40):
        x, y, r = rng.randrange(860), rng.randrange(520), rng.randrange(12, 90)
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if n % 2 else draw.rectangle)((x, y, x + r, y + 0.7 * r), fill=colour)
    for _ in range(3000):
        draw.point((rng.randrange(900), rng.randrange(560)), fill=(20, 20, 20))
    return png(image)


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def read_back(said: str, lines: list[str]) -> bool:
    """Whether OCR's text has the distinctive words (over five letters) of some lines, all but
    one: a letter misread now and then is no failure."""
    wanted = {w for w in words(" ".join(lines)) if len(w) > 5}
    return len(wanted - words(said)) <= 1
