"""Table rulings read from the picture of a page whose text layer is invisible.

A scan with an OCR text layer, or a PDF "printed" to page images with the text laid over them
invisibly, draws its table grids only as pixels: the backends find no ruling to build a table
from, and a grid's cells are read column block by column block. Here the page-covering image is
decoded and its long thin lines (the same test as OCR's ruling removal) become rulings in page
points, so the page's tables are found as on any other page.
"""

from __future__ import annotations

from collections.abc import Iterable

from policyminer.parse.layout import PICTURE, Rule
from policyminer.parse.ocr import RULE_LENGTH, RULE_THICKNESS

WORK_DPI = 100  # the image is reduced to about this first: a ruling survives, the cost falls
INK_CONTRAST = 96  # grey levels from the paper's that make a pixel ink (masks are 0/255)
MIN_INK = 0.001  # share of an image's pixels that are ink for it to hold the page's print


def rules_from_images(
    images: Iterable[tuple[object, tuple[float, float, float, float]]],
) -> list[tuple[float, float, float, float]]:
    """Rulings (left, bottom, right, top in page space) of the first image, smallest first,
    that shows print at all: each image is (grey pixel array, its box on the page). A layered
    scan keeps a blank background beside the layer that holds the print; one image is enough
    otherwise, and the larger layers cost the most to decode."""
    for pixels, box in images:
        ink = image_ink(pixels, box)
        if ink is not None and ink[0].mean() >= MIN_INK:
            return ink_rules(*ink, box)
    return []


def image_ink(pixels, box: tuple[float, float, float, float]) -> tuple[object, float] | None:
    """The image's ink reduced to about WORK_DPI, and that resolution; None when empty."""
    left, bottom, right, top = box
    height, width = pixels.shape
    if not height or not width or right <= left or top <= bottom:
        return None
    dpi = width / ((right - left) / 72)
    factor = max(1, round(dpi / WORK_DPI))
    return _ink(pixels, factor), dpi / factor


def ink_rules(ink, dpi: float, box: tuple[float, float, float, float]) -> list[tuple[float, ...]]:
    """Long thin lines of a page-covering ink mask at `dpi`, in page space."""
    left, bottom, right, top = box
    longest = max(8, round(RULE_LENGTH * dpi))
    thickest = max(2, round(RULE_THICKNESS * dpi))
    rows, cols = ink.shape
    scale_x, scale_y = (right - left) / cols, (top - bottom) / rows
    found: list[tuple[float, ...]] = []
    for along, turned in ((ink, False), (ink.T, True)):
        if turned and len(found) < 2:
            return []  # a grid, a ruled table or a frame has two across at least
        for first, last, start, end in _thin(runs(along, longest), thickest):
            # x0, y0, x1, y1 in pixels (ends exclusive); the turned image's rows are columns
            x0, y0, x1, y1 = (
                (first, start, last + 1, end) if turned else (start, first, end, last + 1)
            )
            found.append(
                (left + x0 * scale_x, top - y1 * scale_y, left + x1 * scale_x, top - y0 * scale_y)
            )
    return found


def _thin(lines, thickest: int) -> list[tuple[int, int, int, int]]:
    """The long runs' lines no thicker than `thickest` rows: thick ink is a picture, shading or
    a word. A line that touches thick ink keeps its thin stretches."""
    kept = []
    for first, last, start, end in _segments(lines):
        if last - first < thickest:
            kept.append((first, last, start, end))
            continue
        patch = lines[first : last + 1, start:end]
        patch = patch & ~runs(patch.T, thickest + 1).T
        kept.extend(
            (first + a, first + b, start + c, start + d)
            for a, b, c, d in _segments(patch)
            if b - a < thickest
        )
    return kept


def _ink(pixels, factor: int):
    """Pixels far from the paper's grey (its commonest level), in blocks of factor × factor that
    hold any: dark print on light paper, or a mask's set bits, whichever way round the image
    stores them; a hairline survives the reduction."""
    import numpy as np

    sample = pixels[:: max(1, pixels.shape[0] // 64), :: max(1, pixels.shape[1] // 64)]
    paper = int(np.median(sample))
    rows, cols = pixels.shape[0] // factor, pixels.shape[1] // factor
    ink = np.zeros((rows, cols), dtype=bool)
    for dy in range(factor):
        for dx in range(factor):
            block = pixels[dy : rows * factor : factor, dx : cols * factor : factor]
            # ink lies on the far side of the paper from the middle grey
            ink |= block < paper - INK_CONTRAST if paper >= 128 else block > paper + INK_CONTRAST
    return ink


def _segments(lines) -> list[tuple[int, int, int, int]]:
    """Runs of set pixels along rows, runs on neighbouring rows that overlap merged: (first row,
    last row, start column, end column) of each line."""
    import numpy as np

    used = np.flatnonzero(lines.any(axis=1))  # rulings are few: look at their rows only
    if not len(used):
        return []
    band = lines[used]
    padded = np.zeros((band.shape[0], band.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = band
    steps = np.diff(padded, axis=1)
    starts = np.argwhere(steps == 1)
    ends = np.argwhere(steps == -1)[:, 1]
    starts[:, 0] = used[starts[:, 0]]
    lines_open: list[list[int]] = []  # [first row, last row, start, end], last row recent
    done: list[tuple[int, int, int, int]] = []
    for (row, start), end in sorted(zip(starts.tolist(), ends.tolist(), strict=True)):
        done.extend(tuple(seg) for seg in lines_open if seg[1] < row - 1)
        lines_open = [seg for seg in lines_open if seg[1] >= row - 1]
        seg = next((s for s in lines_open if s[1] == row - 1 and start < s[3] and s[2] < end), None)
        if seg is None:
            lines_open.append([row, row, start, end])
        else:
            seg[1], seg[2], seg[3] = row, min(seg[2], start), max(seg[3], end)
    done.extend(tuple(seg) for seg in lines_open)
    return done


def runs(mask, length: int):
    """Where `mask` has a run of at least `length` True pixels along a row: the windows of
    `length` that are all True, then every pixel such a window covers, each found by doubling
    shifted ANDs and ORs (a few passes over the image whatever the length)."""
    import numpy as np

    width = mask.shape[1]
    if width < length:
        return np.zeros(mask.shape, dtype=bool)
    full, span = mask, 1  # full[:, i]: mask[:, i : i + span] all True
    while 2 * span <= length:
        full, span = full[:, :-span] & full[:, span:], 2 * span
    if span < length:
        full = full[:, : full.shape[1] - (length - span)] & full[:, length - span :]
    out = np.zeros(mask.shape, dtype=bool)
    out[:, : full.shape[1]] = full
    span = 1  # out[:, j]: a full window starts in j - span + 1 … j
    while 2 * span <= length:
        out[:, span:] |= out[:, :-span]
        span *= 2
    if span < length:
        out[:, length - span :] |= out[:, : width - (length - span)]
    return out


def as_rules(found, view) -> list[Rule]:
    """The lines as rulings on the page as displayed (`view` maps page space to it)."""
    return [view.rect(*line, source=PICTURE) for line in found]
