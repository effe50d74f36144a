"""Page layout, first step: positioned glyphs and rulings → lines, and the records and patterns
the later steps share.

Backends (see pdf.py) supply each page as positioned glyphs with font size and weight, plus the
straight ruling lines drawn on it. Everything from here on is geometry and typography, so both
backends share it and are compared on what they extract, not on how the text is assembled.
Coordinates are PDF points measured from the top-left corner of the page. The later steps, each
a module: `tables` (grids and tables in white space), `furniture` (running headers and footers),
`columns` (reading order), `linekinds` (headings, footnotes), `blocks` (lines → paragraphs);
`document` runs them over a document's pages.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from policyminer.parse.textclean import (
    UNMAPPED,
    normalize_char,
    normalize_text,
)

BULLETS = "•▪◦‣∙●○■□➢❖✓►▶–—-*·"
BULLET_LINE = re.compile(rf"^[{re.escape(BULLETS)}]\s+(?=\S)")
ENUMERATED_LINE = re.compile(r"^(\(?\d{1,2}[.)]|\(?[a-zæøå][.)]|\([ivx]{1,4}\))\s+(?=\S)")
HEADING_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,5})\.?\s+(?=[^\W\d_])")
# a note opens with its label: a number or a mark; "§ 10-3" opens with a law's section sign
FOOTNOTE_START = re.compile(r"^(\d{1,3}(?![\d.,=%/:-])|[*†‡]|§(?!\s*\d))\s*(?=\S)")
HYPHEN_GLYPHS = frozenset("-\u2010\u2011")
# what may stand alone before a tab: a section number (a regulation's "§ 4.2", which some PDFs
# space "§ 4. 2"), a list's number or letter
LABEL = re.compile(
    r"^(§\s?\d{1,3}(-\d{1,3})?(\.\s?\d{1,2}){0,5}\.?|\d{1,2}(\.\d{1,2}){0,5}[.)]?|\(?[a-zæøå][.)])$"
)
LABEL_GAP = 4.0  # ems from a label to its text: a tab stop or two, not a column's gutter
# … from a bold number to its bold title: a heading's tab stop sits a fixed way in, so a short
# number ("§5") stands further from its title than a long one ("§ 5.12")
HEADING_LABEL_GAP = 6.0
PAGE_REF = re.compile(r"^(\d{1,4}|[ivxlc]{1,6})$", re.IGNORECASE)
LEADERS = re.compile(r"\s*(?:[.·…_]\s?){4,}\s*(\d{1,4})$")
SENTENCE_END = (".", "!", "?", ":", ";", "»", '"', "”")
SUPERSCRIPT_DIGITS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789", strict=True))
# a raised 2 or 3 right after a unit of length is its power ("m²", "km²", "m³"), not a note
POWER_OF_UNIT = re.compile(r"(?<![^\W\d_])[kcdm]?m$")
POWERS = {"2": "²", "3": "³"}
RULE_WIDTH = 2.5  # points: the thickest stroke or filled bar that counts as a ruling
# Where a ruling comes from: a line or a stroked outline; the edge of a filled area drawn without
# a stroke (where a cell's or a line's background ends, not a line the author drew); a line found
# in the pixels of a page's picture (gaps and stubs where the picture's text crosses it).
DRAWN, SHADE, PICTURE = "drawn", "shade", "picture"


class _OnBaseline:
    """Vertical extent of text set on a baseline at a font size (ascent 0.8, descent 0.2)."""

    __slots__ = ()
    baseline: float
    size: float

    @property
    def top(self) -> float:
        return self.baseline - 0.8 * self.size

    @property
    def bottom(self) -> float:
        return self.baseline + 0.2 * self.size


@dataclass(slots=True)
class Glyph(_OnBaseline):
    """One character as drawn: text, horizontal extent, baseline, font size and weight."""

    text: str
    x0: float
    x1: float
    baseline: float
    size: float
    bold: bool = False
    space_before: bool = False
    mono: bool = False  # set in a fixed-pitch font (Courier): Word draws its "o" bullets so


@dataclass(slots=True)
class Rule:
    """A straight ruling line (or a rectangle's edge) drawn on the page."""

    x0: float
    top: float
    x1: float
    bottom: float
    source: str = DRAWN  # or SHADE, PICTURE

    # a heavy border drawn as a filled bar is a ruling too, as thick as the backends keep as one
    @property
    def horizontal(self) -> bool:
        return self.bottom - self.top <= RULE_WIDTH and self.x1 - self.x0 >= 8.0

    @property
    def vertical(self) -> bool:
        return self.x1 - self.x0 <= RULE_WIDTH and self.bottom - self.top >= 6.0


@dataclass(frozen=True)
class Grid:
    """A table's frame: its box, column and row edges, and the horizontal rulings drawn in it
    (None where rows are found another way: every row edge then runs across the table)."""

    x0: float
    top: float
    x1: float
    bottom: float
    xs: list[float]
    ys: list[float]
    borders: tuple[Rule, ...] | None = None
    # columns found in white space that no line crosses: no text spans two of them
    gutters: bool = False
    # the vertical rulings drawn in it (None where not known): no cell spans one beside its row
    dividers: tuple[Rule, ...] | None = None

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)


@dataclass
class RawPage:
    """What a backend extracted from one page."""

    number: int  # physical page, 1-based
    width: float
    height: float
    glyphs: list[Glyph]
    rules: list[Rule] = field(default_factory=list)
    image_cover: float = 0.0  # share of the page under images (measured on text-poor pages only)
    # path segments drawn (text-poor pages only, counted up to a cap): text set as outlines
    drawing: int = 0
    problem: str = ""  # why the main backend could not read it (then read another way or skipped)
    skipped: bool = False  # no backend could read the page: it has no text


@dataclass
class Line(_OnBaseline):
    """Glyphs on one baseline that belong together (a column's line, a heading, a table cell)."""

    glyphs: list[Glyph]
    text: str = ""
    size: float = 0.0
    bold: bool = False
    baseline: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    kind: str = "body"  # body | heading | list | footnote | table | box
    level: int = 0
    rows: list[list[str]] = field(default_factory=list)  # tables only
    marker: str = ""  # a raised footnote label the line starts with
    toc: bool = False  # a contents entry ("2.1 Metode ..... 24")
    # raised footnote references taken out of the text: (offset in `text` where the mark stood,
    # its label); the paragraph keeps them to link each to its note
    refs: list[tuple[int, str]] = field(default_factory=list)

    @property
    def style(self) -> tuple[float, bool]:
        return (round(self.size * 2) / 2, self.bold)


def build_lines(glyphs: Sequence[Glyph]) -> list[Line]:
    """Group glyphs (in drawing order) into lines; a big gap or a jump starts a new line."""
    lines: list[Line] = []
    current: list[Glyph] = []
    pending_space = False
    for glyph in glyphs:
        if not glyph.text.strip():
            pending_space = bool(current)
            continue
        last = current[-1] if current else None
        if last is not None and _continues(current, last, glyph, pending_space):
            if (
                glyph.text == last.text
                and abs(glyph.x0 - last.x0) < 1
                and abs(glyph.baseline - last.baseline) < 1
                # one ligature glyph ("ﬀ" mapped to "ff") gives its letters the very same box
                and (glyph.x0, glyph.x1) != (last.x0, last.x1)
            ):
                continue  # drawn twice for a bold effect
            glyph.space_before = pending_space
            current.append(glyph)
        else:
            if current:
                lines.append(finish_line(current))
            glyph.space_before = False
            current = [glyph]
        pending_space = False
    if current:
        lines.append(finish_line(current))
    return [line for line in lines if line.text]


def on_page(glyphs: Iterable[Glyph], width: float, height: float) -> list[Glyph]:
    """The glyphs drawn on the visible page: exports of spreads keep the facing page's text
    beyond the edge, where no reader sees it and where it would widen every column search."""
    return [
        g
        for g in glyphs
        if 0 <= (g.x0 + g.x1) / 2 <= width and 0 <= g.baseline - 0.3 * g.size <= height
    ]


def merge_fragments(lines: list[Line]) -> list[Line]:
    """Rejoin pieces of one line drawn out of order, and drop footnote markers drawn apart."""
    lines = sorted(lines, key=lambda ln: (round(ln.baseline), ln.x0))
    merged: list[Line] = []
    for line in lines:
        host = next(
            (
                other
                for other in reversed(merged[-6:])
                if abs(other.baseline - line.baseline) <= 0.15 * line.size
                and other.size == line.size
                and -0.5 < line.x0 - other.x1 <= 0.35 * line.size
            ),
            None,
        )
        if host is not None:
            merged[merged.index(host)] = finish_line(host.glyphs + line.glyphs)
        else:
            merged.append(line)
    kept = []
    for line in merged:
        host = _marker_host(line, merged)
        if host is None:
            kept.append(line)
        elif line.text in POWERS and POWER_OF_UNIT.search(host.text):
            host.text += POWERS[line.text]
        elif label := line.text.strip(","):
            host.refs.append((len(host.text), label))
    return attach_page_refs(join_labels(kept))


def join_labels(lines: list[Line]) -> list[Line]:
    """Put a section number or list label set apart by a tab ("2.3<tab>Title", "1.<tab>Item")
    back on the line of the text it labels, the nearest line to its right on its baseline."""
    labels = [ln for ln in lines if LABEL.match(ln.text) or _bullet_alone(ln)]
    if not labels:
        return lines
    by_baseline = sorted(lines, key=lambda ln: ln.baseline)
    baselines = [ln.baseline for ln in by_baseline]
    joined: dict[int, Line] = {}
    dropped: set[int] = set()
    for label in labels:
        if id(label) in dropped or id(label) in joined:
            continue
        # a bullet from a symbol font sits higher or lower than the letters beside it
        rise = (0.4 if _bullet_alone(label) else 0.2) * label.size
        low = bisect.bisect_left(baselines, label.baseline - rise)
        high = bisect.bisect_right(baselines, label.baseline + rise)
        right = [
            ln
            for ln in by_baseline[low:high]
            if ln is not label
            and id(ln) not in dropped
            and abs(ln.baseline - label.baseline) <= rise
            and abs(ln.size - label.size) <= 0.2 * label.size
            and 0 < ln.x0 - label.x1 <= _label_gap(label, ln) * label.size
        ]
        if not right:
            continue
        text = min(right, key=lambda ln: ln.x0)
        if not text.text[:1].isalpha():
            continue
        mark = label.text
        if _bullet_alone(label):
            if not _is_bullet(label.glyphs[0], text.glyphs[0]):
                continue
            mark = "◦" if mark == "o" else mark
        whole = finish_line(label.glyphs + text.glyphs)
        whole.text = f"{mark} {text.text}"  # the tab reads as one space
        whole.refs = [(at + len(mark) + 1, label) for at, label in text.refs]
        whole.toc = text.toc
        joined[id(label)] = whole
        dropped.add(id(text))
    return [joined.get(id(ln), ln) for ln in lines if id(ln) not in dropped]


def _label_gap(label: Line, text: Line) -> float:
    return HEADING_LABEL_GAP if label.bold and text.bold else LABEL_GAP


def attach_page_refs(lines: list[Line]) -> list[Line]:
    """Put a contents page's right-aligned page numbers back on their entries' lines."""
    if not lines:
        return lines
    right = max(ln.x1 for ln in lines)
    refs = [ln for ln in lines if PAGE_REF.match(ln.text) and ln.x1 >= right - 2 * ln.size]
    for ref in refs:
        hosts = [
            ln
            for ln in lines
            if ln is not ref
            and abs(ln.baseline - ref.baseline) <= 0.25 * ref.size
            and ln.x1 < ref.x0 - 2 * ref.size
        ]
        if hosts:
            host = max(hosts, key=lambda ln: ln.x1)
            host.text = f"{host.text} {ref.text}"
            host.x1 = ref.x1
            host.toc = True
            lines.remove(ref)
    return lines


def _bullet_alone(line: Line) -> bool:
    """A line that is one bullet glyph (drawn as its own run, apart from its item's text)."""
    return len(line.glyphs) == 1 and (line.text in BULLETS or line.text == "o")


def _marker_host(line: Line, lines: list[Line]) -> Line | None:
    """The line of bigger text a lone raised number stands just after, if `line` is one."""
    if len(line.text) > 3 or not all(_is_marker_text(g.text) for g in line.glyphs):
        return None
    return next(
        (
            other
            for other in lines
            if other.size * 0.85 >= line.size
            and 0 < other.baseline - line.baseline <= 0.7 * other.size
            and -1 <= line.x0 - other.x1 <= 2 * other.size
        ),
        None,
    )


def _is_marker_text(text: str) -> bool:
    return text.isdigit() or text in "*†‡,"


def _continues(current: list[Glyph], last: Glyph, glyph: Glyph, space: bool) -> bool:
    size = last.size if last.size >= glyph.size else glyph.size
    gap = glyph.x0 - last.x1
    if glyph.x0 < last.x0 - 0.5 * size:  # drawing jumped back: a new line or column
        return False
    rise = abs(glyph.baseline - last.baseline)
    # a reference mark is raised by a smaller size or by text rise alone, at full size
    raised = (
        glyph.size < 0.85 * last.size
        or last.size < 0.85 * glyph.size
        or ((_is_marker_text(glyph.text) or _is_marker_text(last.text)) and gap <= 0.3 * size)
    )
    if rise > 0.25 * size and not (raised and rise <= 0.6 * size):
        return False
    if len(current) == 1 and _is_bullet(last, glyph):
        return gap <= 4 * size  # a bullet is often set apart from its text by a tab stop
    return gap <= (3.0 if space else 1.0) * size


def _is_bullet(glyph: Glyph, following: Glyph | None) -> bool:
    """A bullet glyph, from a symbol font too, or an "o" in a fixed-pitch font before text in
    another font (Word's second-level bullet is a Courier "o")."""
    if glyph.text == UNMAPPED or glyph.text in BULLETS:
        return True
    # one character: a ligature's glyph may carry several ("ff")
    if len(glyph.text) == 1 and normalize_char(glyph.text) in BULLETS:
        return True
    return glyph.text == "o" and glyph.mono and following is not None and not following.mono


def finish_line(glyphs: list[Glyph]) -> Line:
    """Measure a line and assemble its text, dropping raised footnote markers."""
    first = glyphs[0].size
    if all(g.size == first for g in glyphs):
        size, baseline = round(first * 2) / 2, glyphs[0].baseline
    else:
        sizes = Counter(round(g.size * 2) / 2 for g in glyphs)
        size = sizes.most_common(1)[0][0]
        baseline = next(g.baseline for g in glyphs if round(g.size * 2) / 2 == size)
    parts: list[str] = []
    previous: Glyph | None = None
    visible = []
    lead = ""
    refs: list[tuple[int, str]] = []
    for glyph in glyphs:
        if not visible and glyph.text in SUPERSCRIPT_DIGITS:
            # a note's label set as the character "¹" rather than as a raised "1"
            lead += SUPERSCRIPT_DIGITS[glyph.text]
            continue
        raised = _is_marker(glyph, size, baseline)
        if raised and _is_power(glyph, previous, parts):
            glyph = replace(glyph, text=POWERS[glyph.text])
        elif raised:
            if not visible:
                lead += glyph.text
            elif previous is not None:
                at = sum(map(len, parts))
                # "1" "0" is one mark, "10"; "1" " " "2" are two (a space sets marks apart)
                if refs and refs[-1][0] == at and not glyph.space_before:
                    refs[-1] = (at, refs[-1][1] + glyph.text)
                else:
                    refs.append((at, glyph.text))
                # the text goes on where the marker ends: "(NVE)¹." is "(NVE)."
                previous = Glyph(
                    previous.text,
                    previous.x0,
                    glyph.x1,
                    previous.baseline,
                    previous.size,
                    previous.bold,
                )
            continue
        if glyph.text == UNMAPPED:
            if previous is not None or len(glyphs) == 1:
                continue
            glyph = Glyph("•", glyph.x0, glyph.x1, glyph.baseline, glyph.size, glyph.bold)
        elif previous is None and glyph.text == "o" and glyph.mono:
            following = next((g for g in glyphs if g.x0 > glyph.x1 and g.text.strip()), None)
            if _is_bullet(glyph, following):
                glyph = Glyph("◦", glyph.x0, glyph.x1, glyph.baseline, glyph.size, glyph.bold)
        if previous is not None and (
            glyph.space_before
            or glyph.x0 - previous.x1 > _space_gap(previous) * max(size, glyph.size)
        ):
            parts.append(" ")
        parts.append(glyph.text)
        previous = glyph
        visible.append(glyph)
    bold = sum(g.bold for g in visible) >= 0.8 * max(1, len(visible))
    text = normalize_text("".join(parts), keep_soft_hyphens=True)
    # only a line ending in a page number has leaders; searching its tail alone keeps a long
    # run of dots from costing quadratic time
    leaders = LEADERS.search(text, max(0, len(text) - 300)) if text[-1:].isdigit() else None
    if leaders:
        text = text[: leaders.start()] + " " + leaders.group(1)
    raw = "".join(parts)
    return Line(
        glyphs=glyphs,
        text=text,
        size=size,
        bold=bold,
        baseline=baseline,
        x0=min(g.x0 for g in glyphs),
        x1=max(g.x1 for g in glyphs),
        marker=lead,
        toc=bool(leaders),
        refs=[] if leaders else _refs_in(raw, text, refs),
    )


def _refs_in(raw: str, text: str, refs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """References placed in the normalised text (normalising may change the length before them)."""
    placed = []
    for at, label in refs:
        label = label.strip(",")
        if label:
            placed.append(
                (min(len(normalize_text(raw[:at], keep_soft_hyphens=True)), len(text)), label)
            )
    return placed


def _space_gap(previous: Glyph) -> float:
    """The gap, in ems, after a glyph that makes a word space where the PDF draws none.

    A hyphen's box ends where its advance does and a compound's next letter follows at once
    (gap about 0), so after a hyphen a narrow font's word space counts from 0.1 em: "plan- og"
    stays a suspended compound. Elsewhere 0.18 em, wider than letter spacing.
    """
    return 0.1 if previous.text in HYPHEN_GLYPHS else 0.18


def _is_power(glyph: Glyph, previous: Glyph | None, parts: list[str]) -> bool:
    """A raised 2 or 3 set right after a unit of length ("m", "km"): it squares or cubes it."""
    if glyph.text not in POWERS or previous is None or glyph.space_before:
        return False
    return bool(POWER_OF_UNIT.search("".join(parts[-4:])))


def _is_marker(glyph: Glyph, size: float, baseline: float) -> bool:
    """A raised, smaller digit or symbol after a word: a footnote reference, not text."""
    smaller = glyph.size <= 0.85 * size and glyph.baseline < baseline - 0.2 * size
    # at full size only a clear rise tells a reference from a digit of the text
    risen = glyph.size <= size and glyph.baseline < baseline - 0.25 * size
    return (smaller or risen) and _is_marker_text(glyph.text)
