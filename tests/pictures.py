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
    lines: list[str], size: int, width: int, transparent: bool = False, height: int = 0
) -> bytes:
    """A PNG of black lines of text (`size` pixels), as a scan or a screenshot shows them; at
    least `height` pixels tall (a scanned page's paper below its lines)."""
    height = max(height, round(size * (1.6 * len(lines) + 1.5)))
    background = (255, 255, 255, 0) if transparent else (255, 255, 255, 255)
    image = Image.new("RGBA", (width, height), background)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(DEJAVU), size)
    for n, line in enumerate(lines):
        draw.text((size, size + round(n * 1.6 * size)), line, font=font, fill="black")
    return png(image)


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
