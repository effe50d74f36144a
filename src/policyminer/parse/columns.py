"""Reading order: a page's lines split into columns at the gutters no line crosses, each column
read top to bottom before the next.
"""

from __future__ import annotations

from collections.abc import Iterator

from policyminer.parse.layout import Line


def reading_order(items: list[Line], depth: int = 0) -> list[Line]:
    """Order lines for reading: top to bottom, and column by column where the page has columns."""
    items = sorted(items, key=lambda line: (round(line.baseline, 1), line.x0))
    if len(items) < 4 or depth > 2:
        return items
    gutter = _find_gutter(items)
    if gutter is None:
        return items
    ordered: list[Line] = []
    for run, spanning in _runs(items, gutter):
        if run:
            ordered.extend(_order_band(run, gutter, depth))
        if spanning is not None:
            ordered.append(spanning)
    return ordered


def _side(line: Line, gutter: float) -> str:
    if line.x1 <= gutter - 3:
        return "L"
    if line.x0 >= gutter + 3:
        return "R"
    return "C"


def _runs(items: list[Line], gutter: float) -> Iterator[tuple[list[Line], Line | None]]:
    """Runs of lines clear of the gutter, each with the line across it that ends the run."""
    run: list[Line] = []
    for item in items:
        if _side(item, gutter) != "C":
            run.append(item)
            continue
        yield run, item
        run = []
    yield run, None


def _split(run: list[Line], gutter: float) -> tuple[list[Line], list[Line]]:
    """The lines of a run left and right of the gutter."""
    left = [ln for ln in run if _side(ln, gutter) == "L"]
    right = [ln for ln in run if _side(ln, gutter) == "R"]
    return left, right


def _order_band(run: list[Line], gutter: float, depth: int) -> list[Line]:
    left, right = _split(run, gutter)
    if _is_band(left, right):
        return reading_order(left, depth + 1) + reading_order(right, depth + 1)
    return run


def _is_band(left: list[Line], right: list[Line]) -> bool:
    if len(left) < 2 or len(right) < 2:
        return False
    overlaps = sum(
        1 for r in right if any(abs(r.baseline - ln.baseline) < 0.5 * r.size for ln in left)
    )
    return overlaps >= 2 or (len(left) >= 3 and len(right) >= 3 and overlaps >= 1)


def _find_gutter(items: list[Line]) -> float | None:
    """The x of a vertical gap that splits a run of lines into two columns, if there is one."""
    x0 = min(line.x0 for line in items)
    x1 = max(line.x1 for line in items)
    width = x1 - x0
    if width < 100:
        return None
    # a right column's lines start in the middle of the page, just right of the gutter
    starts = {
        round(line.x0) for line in items if x0 + width * 0.3 + 3 <= line.x0 <= x0 + width * 0.7
    }
    candidates = sorted(start - 3.5 for start in starts)
    best, best_score = None, 0
    for gutter in candidates:
        score = sum(len(run) for run, _ in _runs(items, gutter) if _is_band(*_split(run, gutter)))
        if score > best_score:
            best, best_score = gutter, score
    return best
