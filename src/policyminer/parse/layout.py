"""Page layout → paragraphs: lines, columns, running headers, headings, lists, footnotes, tables.

Backends (see pdf.py) supply each page as positioned glyphs with font size and weight, plus the
straight ruling lines drawn on it. Everything here is geometry and typography, so both backends
share it and are compared on what they extract, not on how the text is assembled.
Coordinates are PDF points measured from the top-left corner of the page.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from policyminer.parse.textclean import (
    CONNECTIVES,
    UNMAPPED,
    join_lines,
    normalize_char,
    normalize_text,
    runs_on,
)
from policyminer.records import Paragraph

BULLETS = "•▪◦‣∙●○■□➢❖✓►▶–—-*·"
DASHES = "–—-"  # bullets that also stand for a dash in running text
BULLET_LINE = re.compile(rf"^[{re.escape(BULLETS)}]\s+(?=\S)")
ENUMERATED_LINE = re.compile(r"^(\(?\d{1,2}[.)]|\(?[a-zæøå][.)]|\([ivx]{1,4}\))\s+(?=\S)")
HEADING_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,5})\.?\s+(?=[^\W\d_])")
# a regulation's provision: "§ 4.2 Title", some PDFs space it "§ 4. 2 Title"
SIGNED_NUMBER = re.compile(r"^§\s?(\d{1,3}(?:\.\s?\d{1,2}){0,5})\.?\s+(?=[^\W\d_])")
# a note opens with its label: a number or a mark; "§ 10-3" opens with a law's section sign
FOOTNOTE_START = re.compile(r"^(\d{1,3}(?![\d.,=%/:-])|[*†‡]|§(?!\s*\d))\s*(?=\S)")
HYPHEN_GLYPHS = frozenset("-\u2010\u2011")
CAPTION = re.compile(r"^(tabell|figur|table|figure|kilde|source|note|merknad)\b", re.IGNORECASE)
# A form's field ("Dato: 02.05.2024", "Rev: B Rev. dato: 14.06.2024"): a short label, a colon and a
# date. Set in bold in a document's header block, it is a record of the document, not a heading.
FIELD_WITH_DATE = re.compile(
    r"^[^\W\d][\w.]*(?: [\w.]+){0,2}:\s*(?:\S.*?)?"
    r"(?<!\d)\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})(?!\d)"
)
PAGE_NUMBER = re.compile(
    r"^[-–—(\[]?\s*(side|page|s\.|p\.)?\s*#\s*(av|of|/|\|)?\s*#?\s*[-–—)\]]?$", re.IGNORECASE
)
SECTION_NUMBER = re.compile(r"^\d{1,2}(\.\d{1,2}){1,5}\.?$")  # a dotted number: no page number
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
ROMAN = re.compile(r"^[ivxlcdm]{1,7}$", re.IGNORECASE)
SENTENCE_END = (".", "!", "?", ":", ";", "»", '"', "”")
SUPERSCRIPT_DIGITS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789", strict=True))
# a raised 2 or 3 right after a unit of length is its power ("m²", "km²", "m³"), not a note
POWER_OF_UNIT = re.compile(r"(?<![^\W\d_])[kcdm]?m$")
POWERS = {"2": "²", "3": "³"}
SPAN_GAP = 0.6  # ems: wider than a word space, narrower than two cells' padding
MARGIN_ZONE = 0.12  # running headers and footers live in the outer 12 % of the page height
STACK_ZONE = 0.16  # a header box stacked on a margin line may reach this far into the page
RULE_WIDTH = 2.5  # points: the thickest stroke or filled bar that counts as a ruling
JOIN_GAP = 3.0  # points between two cells' borders drawn apart on one line (a row's rule)
# Where a ruling comes from: a line or a stroked outline; the edge of a filled area drawn without
# a stroke (where a cell's or a line's background ends, not a line the author drew); a line found
# in the pixels of a page's picture (gaps and stubs where the picture's text crosses it).
DRAWN, SHADE, PICTURE = "drawn", "shade", "picture"
# points short of a column's rules that a cell border may stop; shading set line by line inside
# a cell stops a cell margin short (about 5 pt) and draws no border
BORDER_REACH = 3.5
STACK_LINES = 3  # and add this many lines at most (a column of text is a stack too)


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


# ---------------------------------------------------------------- glyphs → lines


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


# ---------------------------------------------------------------- tables


def find_tables(page: RawPage) -> list[Grid]:
    """Ruled grids with at least 2×2 cells."""
    edges = join_segments([r for r in page.rules if r.horizontal or r.vertical])
    if len(edges) < 4:
        return []
    groups = _edge_groups(edges)
    tables = []
    for group in groups:
        x0 = min(e.x0 for e in group)
        x1 = max(e.x1 for e in group)
        top = min(e.top for e in group)
        bottom = max(e.bottom for e in group)
        # a cell border runs along a good part of the grid; a short stroke (a tab or an icon on
        # a fact box's frame) would otherwise cut every line of the box into columns
        xs = _merge_positions(
            [(e.x0 + e.x1) / 2 for e in group if e.vertical and _spans(e, bottom - top, True)]
        )
        ys = _merge_positions(
            [(e.top + e.bottom) / 2 for e in group if e.horizontal and _spans(e, x1 - x0, False)]
        )
        if len(xs) >= 3 and len(ys) >= 3:
            # a picture's lines break where its text crosses them: no telling a span from a gap
            seen = any(e.source == PICTURE for e in group)
            borders = None if seen else tuple(e for e in group if e.horizontal)
            tables.append(Grid(x0, top, x1, bottom, xs, ys, borders))
    in_grids = [t.box for t in tables]
    loose = [
        e
        for e in edges
        if e.horizontal
        and not any(
            x0 - 2 <= e.x0 and e.x1 <= x1 + 2 and top - 2 <= e.top <= bottom + 2
            for x0, top, x1, bottom in in_grids
        )
    ]
    tables.extend(rule_tables(page, loose))
    return tables


def join_segments(edges: list[Rule]) -> list[Rule]:
    """Collinear rulings that meet or nearly meet, joined into one: a table drawn cell by cell
    (each cell its own rectangle) has a row's border in as many pieces as it has columns."""
    across = _join_runs([e for e in edges if e.horizontal], vertical=False)
    down = _join_runs([e for e in edges if e.vertical and not e.horizontal], vertical=True)
    return across + down


def _join_runs(edges: list[Rule], vertical: bool) -> list[Rule]:
    """Join rulings on one line (within a point) whose ends lie within JOIN_GAP of each other."""

    def line_of(e: Rule) -> float:
        return (e.x0 + e.x1) / 2 if vertical else (e.top + e.bottom) / 2

    def start(e: Rule) -> float:
        return e.top if vertical else e.x0

    def end(e: Rule) -> float:
        return e.bottom if vertical else e.x1

    joined: list[Rule] = []
    ordered = sorted(edges, key=line_of)
    cluster: list[Rule] = []
    for edge in [*ordered, None]:
        if edge is not None and (not cluster or line_of(edge) - line_of(cluster[0]) <= 1.0):
            cluster.append(edge)
            continue
        run: Rule | None = None
        for piece in sorted(cluster, key=start):
            if run is not None and start(piece) <= end(run) + JOIN_GAP:
                run = Rule(
                    min(run.x0, piece.x0),
                    min(run.top, piece.top),
                    max(run.x1, piece.x1),
                    max(run.bottom, piece.bottom),
                    _joined_source(run.source, piece.source),
                )
                continue
            if run is not None:
                joined.append(run)
            run = Rule(piece.x0, piece.top, piece.x1, piece.bottom, piece.source)
        if run is not None:
            joined.append(run)
        cluster = [edge] if edge is not None else []
    return joined


def _joined_source(a: str, b: str) -> str:
    """The source of two rulings joined into one: a picture's stays doubtful, a line wins."""
    if a == b:
        return a
    return PICTURE if PICTURE in (a, b) else DRAWN


def _edge_groups(edges: list[Rule]) -> list[list[Rule]]:
    """Rulings that touch or cross each other, grouped (one group per grid or frame)."""
    parent = list(range(len(edges)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(edges):
        for j in range(i + 1, len(edges)):
            b = edges[j]
            if (
                a.x0 - 2 <= b.x1
                and b.x0 - 2 <= a.x1
                and a.top - 2 <= b.bottom
                and b.top - 2 <= a.bottom
            ):
                parent[root(i)] = root(j)
    groups: dict[int, list[Rule]] = {}
    for i, edge in enumerate(edges):
        groups.setdefault(root(i), []).append(edge)
    return list(groups.values())


def find_boxes(page: RawPage) -> list[tuple[float, float, float, float]]:
    """Frames around a sidebar or fact box: a closed rectangle of rulings (x0, top, x1, bottom)
    that is no grid, no bigger than half the page, and big enough to hold a few lines."""
    edges = join_segments([r for r in page.rules if r.horizontal or r.vertical])
    boxes = []
    for group in _edge_groups(edges) if len(edges) >= 4 else []:
        x0, x1 = min(e.x0 for e in group), max(e.x1 for e in group)
        top, bottom = min(e.top for e in group), max(e.bottom for e in group)
        width, height = x1 - x0, bottom - top
        sides = [
            any(
                e.vertical and abs(e.x0 - x0) < 3 and e.bottom - e.top > 0.8 * height for e in group
            ),
            any(
                e.vertical and abs(e.x1 - x1) < 3 and e.bottom - e.top > 0.8 * height for e in group
            ),
            any(e.horizontal and abs(e.top - top) < 3 and e.x1 - e.x0 > 0.8 * width for e in group),
            any(
                e.horizontal and abs(e.bottom - bottom) < 3 and e.x1 - e.x0 > 0.8 * width
                for e in group
            ),
        ]
        if (
            all(sides)
            and width >= 80
            and height >= 30
            and width * height <= 0.5 * page.width * page.height
        ):
            boxes.append((x0, top, x1, bottom))
    return boxes


def _spans(edge: Rule, extent: float, vertical: bool) -> bool:
    """Whether a ruling runs along at least a fifth of the grid's height (or width)."""
    length = edge.bottom - edge.top if vertical else edge.x1 - edge.x0
    return length >= 0.2 * extent


def rule_tables(page: RawPage, rules: list[Rule]) -> list[Grid]:
    """Tables drawn with horizontal rules only (top, under the header, bottom): columns come from
    the white space between the cells' words, rows from the lines that start in column one."""
    rules = sorted(rules, key=lambda r: r.top)
    groups: list[list[Rule]] = []
    for rule in rules:
        group = next(
            (g for g in groups if abs(g[0].x0 - rule.x0) <= 6 and abs(g[0].x1 - rule.x1) <= 6),
            None,
        )
        if group is None:
            groups.append([rule])
        elif rule.top - group[-1].top > 2:
            group.append(rule)
    tables = []
    for group in groups:
        if len(group) < 3 or group[-1].top - group[0].top > 0.8 * page.height:
            continue
        if group[0].top < 0.06 * page.height or group[-1].bottom > 0.94 * page.height:
            continue  # a frame around the page, not a table
        table = _rule_table(page, group)
        if table is not None:
            tables.append(table)
    return tables


def _rule_table(page: RawPage, group: list[Rule]) -> Grid | None:
    x0, x1 = min(r.x0 for r in group), max(r.x1 for r in group)
    top, bottom = group[0].top, group[-1].bottom
    inside = [
        g
        for g in page.glyphs
        if g.text.strip()
        and x0 - 2 <= (g.x0 + g.x1) / 2 <= x1 + 2
        and top <= g.baseline - 0.3 * g.size <= bottom
    ]
    if len(inside) < 6:
        return None
    size = Counter(round(g.size) for g in inside).most_common(1)[0][0]
    # the header row sits between the first two rules
    if group[1].top - group[0].top > 4.5 * size:
        return None
    words: list[list[float]] = []
    for glyph in sorted(inside, key=lambda g: (round(g.baseline), g.x0)):
        last = words[-1] if words else None
        if last and abs(last[2] - glyph.baseline) < 0.3 * size and glyph.x0 - last[1] < 0.25 * size:
            last[1] = max(last[1], glyph.x1)
        else:
            words.append([glyph.x0, glyph.x1, glyph.baseline])
    spans: list[list[float]] = []
    for start, end, _ in sorted(words):
        if spans and start - spans[-1][1] < 0.7 * size:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    if not 2 <= len(spans) <= 12:
        return None
    xs = [x0] + [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(spans)] + [x1]
    baselines = _merge_positions((g.baseline for g in inside), tolerance=0.4 * size)
    first_column = [g for g in inside if (g.x0 + g.x1) / 2 < xs[1]]
    starts = [
        b - 0.85 * size
        for b in baselines
        if any(abs(g.baseline - b) < 0.4 * size for g in first_column)
    ]
    ys = _merge_positions([r.top for r in group] + starts, tolerance=0.6 * size)
    ys = [y for y in ys if top - 1 <= y <= bottom + 1]
    if len(ys) < 3:
        return None
    return Grid(x0, top, x1, bottom, xs, ys)


def _merge_positions(values: Iterable[float], tolerance: float = 2.5) -> list[float]:
    merged: list[float] = []
    for value in sorted(values):
        if merged and value - merged[-1] <= tolerance:
            continue
        merged.append(value)
    return merged


def table_line(glyphs: Sequence[Glyph], grid: Grid, vocabulary: set[str]) -> Line | None:
    """The glyphs inside one ruled grid as rows of cell texts."""
    xs = grid.xs
    cuts = _unruled_rows(glyphs, xs, grid.ys)
    ys = sorted(grid.ys + cuts)
    open_edges = _undrawn_edges(grid, ys, cuts)
    cells: dict[tuple[int, int], list[Glyph]] = {}
    last: tuple[Glyph, tuple[int, int]] | None = None
    for glyph in glyphs:
        if last is not None and _same_word(last[0], glyph):
            cell = last[1]  # a word lies in the cell where it starts, however far it runs
        else:
            cx = (glyph.x0 + glyph.x1) / 2
            cy = glyph.baseline - 0.3 * glyph.size
            column = _interval(xs, cx)
            cell = (_first_row_of_cell(_interval(ys, cy), column, open_edges), column)
        cells.setdefault(cell, []).append(glyph)
        last = (glyph, cell)
    rows: list[list[str]] = []
    for r in range(len(ys) - 1):
        row = []
        parts = [cells.get((r, c), []) for c in range(len(xs) - 1)]
        groups = [[c] for c in range(len(parts))] if grid.gutters else _spanned_columns(parts)
        for group in groups:
            lines = build_lines([g for c in group for g in cells.get((r, c), [])])
            lines.sort(key=lambda line: (round(line.baseline), line.x0))
            row.append(cell_text(lines, vocabulary))
        if any(row):
            rows.append(row)
    if not rows:
        return None
    x0, top, x1 = grid.x0, grid.top, grid.x1
    size = Counter(round(g.size * 2) / 2 for g in glyphs).most_common(1)[0][0]
    line = Line(glyphs=list(glyphs), size=size, baseline=top + 0.8 * size, x0=x0, x1=x1)
    line.kind = "table"
    line.rows = rows
    # an empty cell says nothing a reader or a search needs: " |  | " is noise
    line.text = "\n".join(" | ".join(cell for cell in row if cell) for row in rows)
    return line


def cell_text(lines: Sequence[Line], vocabulary: set[str]) -> str:
    """A cell's lines as text: the lines of one paragraph joined, a new line where the author
    broke one (a list item, or a paragraph's end), so each is read and quoted on its own."""
    if not lines:
        return ""
    right = max(line.x1 for line in lines)
    # lines set side by side on one baseline (a spanned cell's pieces) are no step down
    steps = sorted(
        b.baseline - a.baseline
        for a, b in itertools.pairwise(lines)
        if b.baseline - a.baseline > 0.5 * b.size
    )
    pitch = steps[len(steps) // 2] if steps else 0.0
    pieces: list[list[str]] = [[lines[0].text]]
    for before, line in itertools.pairwise(lines):
        # space between paragraphs: more than the cell's usual line pitch
        spaced = line.baseline - before.baseline > 1.4 * pitch
        if spaced or _deliberate_break(before, line, right):
            pieces.append([line.text])
        else:
            pieces[-1].append(line.text)
    return "\n".join(join_lines(piece, vocabulary) for piece in pieces)


def _deliberate_break(before: Line, line: Line, right: float) -> bool:
    """Whether a cell's line starts anew: a list item, or a left-aligned line whose first word
    would have fitted in the room the line before left (wrapping would have put it there)."""
    dash = line.text.lstrip()[:1] in DASHES
    if (BULLET_LINE.match(line.text) and not dash) or ENUMERATED_LINE.match(line.text):
        return True
    if dash and BULLET_LINE.match(line.text) and before.text.rstrip().endswith(SENTENCE_END):
        return True
    if abs(line.x0 - before.x0) > 0.5 * line.size:  # centred or indented: no telling
        return False
    # a dash may be a bullet or a wrapped dash ("2015 - Smart"): the word after it decides
    words = _leading_words(line, 2 if dash else 1)
    if not words:
        return False
    width = words[-1][1] - words[0][0]
    return right - before.x1 > width + 0.3 * line.size


def _leading_words(line: Line, count: int) -> list[tuple[float, float]]:
    """The extents of a line's first `count` words: a space, or a gap of a fifth of an em,
    parts them; kerned letters may overlap ("f" over "e"), which is no gap."""
    words: list[list[float]] = []
    spaced = True
    for glyph in line.glyphs:
        if not glyph.text.strip():
            spaced = True
            continue
        if spaced or glyph.x0 - words[-1][1] > 0.2 * line.size:
            if len(words) == count:
                break
            words.append([glyph.x0, glyph.x1])
        words[-1][1] = max(words[-1][1], glyph.x1)
        spaced = False
    return [(a, b) for a, b in words]


def _undrawn_edges(grid: Grid, ys: list[float], cuts: list[float]) -> set[tuple[int, int]]:
    """(row edge, column) pairs where no border runs across the column: the cell above goes
    on below. A cell spanning rows has its border drawn only beside it; shading marks a row
    only when it runs across the whole table (a banded row), not a cell's or a line's."""
    if grid.borders is None:
        return set()
    undrawn = set()
    for i in range(1, len(ys) - 1):
        if ys[i] in cuts:
            continue
        # a row edge is the first of the rulings merged within 2.5 pt, half a stroke more
        across = [e for e in grid.borders if abs((e.top + e.bottom) / 2 - ys[i]) <= 3.0]
        across = [e for e in across if e.source != SHADE or _reaches(e, grid.xs[0], grid.xs[-1])]
        for c in range(len(grid.xs) - 1):
            if not any(_reaches(e, grid.xs[c], grid.xs[c + 1]) for e in across):
                undrawn.add((i, c))
    return undrawn


def _reaches(edge: Rule, left: float, right: float) -> bool:
    """Whether a horizontal edge runs from `left` to `right`, give or take BORDER_REACH."""
    return edge.x0 <= left + BORDER_REACH and right - BORDER_REACH <= edge.x1


def _first_row_of_cell(row: int, column: int, undrawn: set[tuple[int, int]]) -> int:
    """The row a cell starts in: up past every row edge not drawn across its column."""
    while row > 0 and (row, column) in undrawn:
        row -= 1
    return row


def _unruled_rows(glyphs: Sequence[Glyph], xs: list[float], ys: list[float]) -> list[float]:
    """Row edges the grid leaves undrawn: where every filled column of a ruled row holds the same
    number (three or more) of lines on the same baselines, each line is a row of its own (a
    table ruled only around its body), not one cell of stacked values. Cells that wrap differ
    in their number of lines, which keeps them whole."""
    rows: dict[int, list[Glyph]] = {}
    for glyph in glyphs:
        if glyph.text.strip():
            rows.setdefault(_interval(ys, glyph.baseline - 0.3 * glyph.size), []).append(glyph)
    cuts = []
    for inside in rows.values():
        size = sorted(g.size for g in inside)[len(inside) // 2]
        columns: dict[int, list[Glyph]] = {}
        for glyph in inside:
            columns.setdefault(_interval(xs, (glyph.x0 + glyph.x1) / 2), []).append(glyph)
        stacks = [
            _merge_positions((g.baseline for g in col), 0.4 * size) for col in columns.values()
        ]
        first = stacks[0]
        if (
            len(stacks) < 2
            or len(first) < 3
            or any(len(stack) != len(first) for stack in stacks)
            or any(
                abs(a - b) > 0.4 * size
                for stack in stacks
                for a, b in zip(stack, first, strict=True)
            )
        ):
            continue
        # a cut halfway between baselines, where the next line's ascenders have not begun
        cuts += [(a + b) / 2 - 0.3 * size for a, b in itertools.pairwise(first)]
    return cuts


def _spanned_columns(cells: list[list[Glyph]]) -> list[list[int]]:
    """One row's columns grouped into cells: text running across a column edge without the
    gap that cell padding leaves (a spanning cell, its inner rule not drawn) joins them."""
    groups = [[0]]
    for c in range(1, len(cells)):
        left = [g for g in cells[c - 1] if g.text.strip()]
        right = [g for g in cells[c] if g.text.strip()]
        if left and right and _runs_across(left, right):
            groups[-1].append(c)
        else:
            groups.append([c])
    return groups


def _runs_across(left: list[Glyph], right: list[Glyph]) -> bool:
    """Whether a line of `left` continues into `right` at a word or letter gap."""
    ends: dict[int, Glyph] = {}  # the last glyph of each of left's lines
    for g in left:
        key = round(g.baseline)
        if key not in ends or g.x1 > ends[key].x1:
            ends[key] = g
    for b in right:
        for key in (round(b.baseline) - 1, round(b.baseline), round(b.baseline) + 1):
            a = ends.get(key)
            if a and -0.1 * a.size < b.x0 - a.x1 < SPAN_GAP * a.size:
                return True
    return False


def _interval(bounds: list[float], value: float) -> int:
    for i in range(len(bounds) - 1):
        if value < bounds[i + 1]:
            return i
    return len(bounds) - 2


# ---------------------------------------------------------------- running headers and footers


def margin_key(text: str) -> str:
    """A line's text with numbers masked and spaces taken out, so 'Side 3' and 'Side 4' repeat
    as the same line, and so does a letter-spaced footer however its letters were tracked."""
    masked = re.sub(r"\d+", "#", text.lower())
    tokens = masked.split()
    # in letter-spaced text a lone "i" or "v" is a letter of a word, not a roman page number
    if not _letter_spaced(tokens):
        tokens = ["#" if ROMAN.match(w) else w for w in tokens]
    return re.sub(r"#+", "#", "".join(tokens))


def _letter_spaced(tokens: Sequence[str]) -> bool:
    """Most of a line's tokens single letters: its words were set with wide tracking."""
    single = [t for t in tokens if len(t) == 1]  # "V A N N 2 0 3 0": letters and digits
    return sum(1 for t in single if t.isalpha()) >= 3 and len(single) >= 0.5 * len(tokens)


@dataclass
class Furniture:
    """A document's running headers, footers and page numbers, and the numbers pages print."""

    lines: set[int]  # ids of the margin lines that are furniture
    # page → the page number printed on it, where it prints one that runs with the document's
    # numbering ("12" on physical page 14: the number a reader cites)
    printed: dict[int, str] = field(default_factory=dict)


def margin_furniture(pages: Sequence[tuple[RawPage, list[Line]]]) -> Furniture:
    """Margin lines that are running headers, footers or page numbers, and printed page numbers.

    A line in the top or bottom margin is one when its text (numbers masked) repeats on other
    pages, when it is only a page number, or when it starts or ends with the printed page number,
    i.e. a number that keeps the same distance from the physical page number across the
    document ("Chapter 2: Results 17" on page 20). That catches chapter-specific headers too.
    """
    candidates: list[tuple[Line, int, str, str]] = []
    stacked: set[int] = set()
    for page, lines in pages:
        ordered = sorted(lines, key=lambda line: line.baseline)
        top = [ln for ln in ordered[:4] if ln.bottom <= page.height * MARGIN_ZONE]
        bottom = [ln for ln in ordered[-4:] if ln.top >= page.height * (1 - MARGIN_ZONE)]
        numbered = _numbered_headings(top + bottom)
        for zone, chosen, inwards in (("top", top, ordered), ("bottom", bottom, ordered[::-1])):
            extra = _stacked_on(chosen, inwards, page.height)
            stacked.update(id(line) for line in extra)
            for line in chosen + extra:
                key = margin_key(line.text)
                if id(line) in numbered:  # "2.3 | Goals" and "3.3 | Goals" are two headings
                    key = f"{key} {numbered[id(line)]}"
                candidates.append((line, page.number, zone, key))
    per_key: dict[tuple[str, str], set[int]] = {}
    for _line, number, zone, key in candidates:
        per_key.setdefault((zone, key), set()).add(number)
    # a number opening a line whose text no other page repeats is a chapter's number ("3
    # Results" atop page 4, "4 Discussion" atop page 5), not a page number, however it runs
    printed = {
        id(line): _printed_offsets(line.text, number, len(per_key[(zone, key)]) > 1)
        for line, number, zone, key in candidates
    }
    offsets: dict[int, set[int]] = {}
    for line, number, _zone, _key in candidates:
        if id(line) not in stacked:
            for offset in printed[id(line)]:
                offsets.setdefault(offset, set()).add(number)
    threshold = 2 if len(pages) <= 6 else 3
    needed = max(threshold, 0.3 * len(pages))
    page_offsets = {o for o, found in offsets.items() if len(found) >= needed}
    printed_on: dict[int, str] = {}
    for line, number, _zone, _key in candidates:
        if id(line) in stacked:
            continue
        runs = [o for o in printed[id(line)] if o in page_offsets]
        if runs and number not in printed_on:
            printed_on[number] = str(number + max(runs, key=lambda o: len(offsets[o])))
    # a line stacked on the margin (it may be a table's or a list's) counts on repetition alone
    lines = {
        id(line)
        for line, number, zone, key in candidates
        if (
            id(line) in stacked
            and any(c.isalpha() for c in key)
            and len(per_key[(zone, key)]) >= max(3, needed)
        )
        or (
            id(line) not in stacked
            and (
                len(per_key[(zone, key)]) >= threshold
                or PAGE_NUMBER.match(key)
                or page_offsets.intersection(printed[id(line)])
            )
        )
    }
    return Furniture(lines, printed_on)


def _stacked_on(margin: list[Line], inwards: Sequence[Line], height: float) -> list[Line]:
    """Lines stacked on the margin lines, away from the page's edge: a header box of several
    lines (report no., project no., version) may reach out of the margin zone.

    `inwards` runs from the page's edge towards its middle. A stacked line keeps a margin
    line's left edge and size at a line's distance from it.
    """
    found = list(margin)
    seen = {id(line) for line in margin}
    for line in inwards:
        if not found or len(found) - len(margin) >= STACK_LINES:
            break
        if min(line.top, height - line.bottom) > height * STACK_ZONE:
            break
        if id(line) in seen:
            continue
        if any(
            abs(line.x0 - above.x0) <= 2
            and abs(line.size - above.size) < 1
            and 0 < abs(line.baseline - above.baseline) <= 2.5 * above.size
            for above in found
        ):
            found.append(line)
            seen.add(id(line))
    return found[len(margin) :]


def _numbered_headings(lines: list[Line]) -> dict[int, str]:
    """Section numbers ("2.3") set apart from their heading on its baseline, and those headings:
    line id → the number, which is kept unmasked when margin lines are compared."""
    found: dict[int, str] = {}
    for number in lines:
        opening = number.text.split(" ", 1)[0]
        if SECTION_NUMBER.match(opening) and opening != number.text:  # "2.3 Goals", one line
            found[id(number)] = opening.rstrip(".")
        if not SECTION_NUMBER.match(number.text):
            continue
        for title in lines:
            gap = title.x0 - number.x1
            same_line = abs(title.baseline - number.baseline) < 0.3 * number.size
            if title is not number and same_line and 0 <= gap <= 4 * number.size:
                found[id(number)] = found[id(title)] = number.text
    return found


def _printed_offsets(text: str, page: int, repeated: bool = True) -> list[int]:
    """Printed number minus physical page, for a number at either end of a margin line; at its
    start only when the line is the number alone or its text recurs on other pages."""
    tokens = text.split()
    ends = {tokens[-1]} if tokens else set()
    if tokens and (repeated or len(tokens) == 1):
        ends.add(tokens[0])
    # isdecimal, not isdigit: a superscript "¹⁰" is a digit that int() cannot read
    return [int(t) - page for t in ends if t.isdecimal() and len(t) <= 4]


# ---------------------------------------------------------------- columns and reading order


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


# ---------------------------------------------------------------- line kinds


@dataclass
class Typography:
    """Document-wide measures: body font size, normal line pitch, heading levels by style."""

    body_size: float
    pitch: float
    levels: dict[tuple[float, bool], int]


def body_size_of(lines: Iterable[Line]) -> float:
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def line_pitch(pages: Sequence[list[Line]], body_size: float) -> float:
    """The usual baseline-to-baseline distance inside a body paragraph."""
    steps: Counter[float] = Counter()
    for lines in pages:
        body = [ln for ln in lines if ln.size == body_size and ln.kind == "body"]
        for a, b in itertools.pairwise(body):
            step = b.baseline - a.baseline
            if 0 < step < 3 * body_size:
                steps[round(step * 2) / 2] += 1
    return steps.most_common(1)[0][0] if steps else body_size * 1.2


def is_heading(line: Line, body_size: float) -> bool:
    """Larger or bold, short, and not a sentence fragment or a caption."""
    text = line.text
    if line.toc or not any(c.isalpha() for c in text) or len(text) > 160:
        return False
    if len(text.split()) > 18:
        return False
    if CAPTION.match(text) or BULLET_LINE.match(text) or text.endswith((",", ";")):
        return False
    if FIELD_WITH_DATE.match(text):
        return False
    if line.size >= body_size * 1.12:
        return True
    if line.bold and line.size >= body_size * 0.9:
        first = text.lstrip("0123456789. ")
        return (
            bool(first)
            and not first[0].islower()
            and (not text.endswith(".") or bool(HEADING_NUMBER.match(text)))
        )
    return False


def mark_plain_numbered_headings(lines: list[Line], body_size: float) -> list[Line]:
    """Numbered headings set like body text ("2.1 Metode" alone on a short line after a finished
    paragraph), as plain word processors and text-to-PDF tools make them."""
    body = [ln for ln in lines if ln.kind == "body"]
    if not body:
        return []
    width = max(ln.x1 for ln in body) - min(ln.x0 for ln in body)
    ordered = sorted(body, key=lambda ln: ln.baseline)
    found = []
    for i, line in enumerate(ordered):
        number = HEADING_NUMBER.match(line.text)
        if not number or line.toc or abs(line.size - body_size) > 1.5:
            continue
        rest = line.text[number.end() :]
        if (
            (number.group(0).rstrip().endswith(".") and "." not in number.group(1))
            or len(line.text.split()) > 10
            or line.text.endswith((".", ",", ";", ":"))
            or not rest[:1].isupper()
            or line.x1 - line.x0 > 0.65 * width
        ):
            continue
        above = next(
            (ln for ln in reversed(ordered[:i]) if ln.x0 <= line.x1 and line.x0 <= ln.x1), None
        )
        if (
            above is None
            or above.kind == "heading"
            or (above.text.endswith((".", "!", "?", "»", "”")) and not above.text.endswith(":"))
        ):
            line.kind = "heading"
            found.append(line)
    return found


def mark_heading_continuations(lines: list[Line], body_size: float) -> None:
    """A heading wrapped over two lines: the second line has the style, not the capital."""
    ordered = sorted(lines, key=lambda ln: ln.baseline)
    for i, line in enumerate(ordered):
        above = next(
            (ln for ln in reversed(ordered[:i]) if ln.x0 <= line.x1 and line.x0 <= ln.x1), None
        )
        if (
            above is not None
            and above.kind == "heading"
            and (above.bold or above.size >= body_size * 1.12)
            and line.kind == "body"
            and line.style == above.style
            and abs(line.x0 - above.x0) < 2
            and 0 < line.baseline - above.baseline <= 1.6 * line.size
            and len(line.text.split()) <= 12
            and not line.text.endswith(".")
        ):
            line.kind = "heading"
            line.level = above.level


def demote_bold_paragraphs(lines: list[Line], body_size: float) -> set[int]:
    """Bold paragraphs set at body size are emphasis, not headings: a stack of bold lines that
    runs on like a paragraph (a line broken at a hyphen, or a run of lines that ends a sentence)
    goes back to body text. Returns the ids of the lines it demoted."""
    ordered = sorted(lines, key=lambda ln: ln.baseline)
    demoted: set[int] = set()
    for i, line in enumerate(ordered):
        if id(line) in demoted or not _bold_body_heading(line, body_size):
            continue
        run = [line]
        for below in ordered[i + 1 :]:
            last = run[-1]
            if below.baseline - last.baseline > 1.6 * last.size:
                break
            if below.x1 < last.x0 or below.x0 > last.x1 or below.baseline <= last.baseline:
                continue  # another column's line on this baseline
            if not (below.bold and below.style == last.style and below.kind in ("heading", "body")):
                break
            run.append(below)
        # "helse-" | "og omsorg" is a suspended compound, which a wrapped heading may have
        hyphen_break = (
            len(run) > 1
            and run[0].text.endswith("-")
            and run[1].text[:1].islower()
            and run[1].text.split()[0] not in CONNECTIVES
        )
        sentence = len(run) > 2 and run[-1].text.endswith((".", "!", "?"))
        if (hyphen_break or sentence) and not HEADING_NUMBER.match(line.text):
            for member in run:
                member.kind = "body"
                demoted.add(id(member))
    return demoted


def _bold_body_heading(line: Line, body_size: float) -> bool:
    """A line marked heading only for being bold, at about the body's size."""
    return line.kind == "heading" and line.bold and line.size < body_size * 1.12


def numbering_depth(text: str) -> int | None:
    """How deep a heading's number goes ("2" 1, "2.1" 2, "§ 4. 2" 2), None if it has none."""
    number = HEADING_NUMBER.match(text) or SIGNED_NUMBER.match(text)
    return number.group(1).count(".") + 1 if number else None


def heading_levels(headings: Sequence[Line]) -> dict[tuple[float, bool], int]:
    """A level per heading style: from the numbering where there is one, else by size."""
    votes: dict[tuple[float, bool], Counter[int]] = {}
    for line in headings:
        depth = numbering_depth(line.text)
        if depth is not None:
            votes.setdefault(line.style, Counter())[depth] += 1
    levels = {style: counts.most_common(1)[0][0] for style, counts in votes.items()}
    styles = sorted({line.style for line in headings}, key=lambda s: (-s[0], not s[1]))
    for rank, style in enumerate(styles):
        if style in levels:
            continue
        if not votes:
            levels[style] = rank + 1
            continue
        above = [
            lvl
            for (size, bold), lvl in levels.items()
            if (size, bold) in votes
            and (size > style[0] or (size == style[0] and bold and not style[1]))
        ]
        levels[style] = max(above) + 1 if above else 1
    return levels


def mark_footnotes(lines: list[Line], body_size: float) -> None:
    """Small-print lines below the last body line of a page, starting with a marker."""
    main = [ln for ln in lines if ln.size > body_size * 0.9 or ln.kind == "table"]
    lowest = max((ln.bottom for ln in main), default=0.0)
    below = sorted(
        (
            ln
            for ln in lines
            if ln.top >= lowest - 1 and ln.size <= body_size * 0.9 and ln.kind != "table"
        ),
        key=lambda ln: ln.baseline,
    )
    # small print may start with a caption; the notes begin at the first numbered line
    start = next(
        (i for i, ln in enumerate(below) if ln.marker or FOOTNOTE_START.match(ln.text)), None
    )
    if start is not None:
        for line in below[start:]:
            line.kind = "footnote"
    _mark_called_notes(lines)


def _mark_called_notes(lines: list[Line]) -> None:
    """A line opening with a raised label that a reference higher on the page calls is a note,
    set at body size too, and so are the lines below it in its column, in its type or smaller."""
    called = {label: ln.baseline for ln in lines for _, label in ln.refs}
    notes = [
        ln
        for ln in lines
        if ln.kind == "body" and ln.marker in called and called[ln.marker] < ln.baseline
    ]
    if not notes:
        return
    first = min(notes, key=lambda ln: ln.baseline)
    for line in lines:
        if (
            line.kind == "body"
            and line.baseline >= first.baseline
            and line.size <= first.size
            and line.x0 < first.x1
            and line.x1 > first.x0
        ):
            line.kind = "footnote"


# ---------------------------------------------------------------- paragraphs


@dataclass
class Block:
    """Consecutive lines that form one paragraph."""

    kind: str
    lines: list[Line]
    level: int = 0


def group_blocks(lines: Sequence[Line], typo: Typography) -> list[Block]:
    """Cut ordered lines into headings, body paragraphs, list items, footnotes and tables."""
    blocks: list[Block] = []
    for line in lines:
        kind = line.kind
        if kind == "body" and (BULLET_LINE.match(line.text) or ENUMERATED_LINE.match(line.text)):
            kind = "list"
        previous = blocks[-1] if blocks else None
        if previous is not None and _same_block(previous, line, kind, typo):
            previous.lines.append(line)
            continue
        blocks.append(Block(kind=kind, lines=[line], level=line.level))
    return blocks


def _same_block(block: Block, line: Line, kind: str, typo: Typography) -> bool:
    last = block.lines[-1]
    step = line.baseline - last.baseline
    if block.kind == "table" or kind == "table":
        return False
    if block.kind == "heading":
        return (
            kind == "heading"
            and line.style == last.style
            and 0 < step <= 1.6 * line.size
            and not HEADING_NUMBER.match(line.text)
            and len(block.lines) < 3
        )
    if block.kind == "footnote":
        return kind == "footnote" and not line.marker and not FOOTNOTE_START.match(line.text)
    if block.kind == "box" or kind == "box":
        return kind == block.kind and 0 < step <= typo.pitch * 1.6 + 0.5
    if block.kind == "list":
        if kind != "body":
            return False
        if step <= 0 or abs(line.x0 - last.x0) > 40:  # the item goes on in the next column
            return not last.text.endswith(SENTENCE_END) and abs(line.size - last.size) < 1.0
        indent = min(_text_start(block.lines[0]) - 0.6 * line.size, block.lines[0].x0 + 2)
        return line.x0 >= indent and 0 < step <= typo.pitch * 1.3 + 0.5
    if kind != "body" or block.kind != "body" or line.toc or last.toc:
        return False
    if 0 < step <= typo.pitch * 1.3 + 0.5:
        indented = line.x0 > last.x0 + 0.8 * line.size and last.text.endswith(SENTENCE_END)
        return not indented and abs(line.size - last.size) < 1.0
    if step <= 0 or abs(line.x0 - last.x0) > 20:  # a jump to the next column
        return not last.text.endswith(SENTENCE_END) and abs(line.size - last.size) < 1.0
    return False


# a heading this long that ends a sentence, or one that holds two, is a lede or a highlighted
# statement set in large type, not the title of what follows
LEDE_WORDS = 10
# a sentence ends after a word, not after a number ("§ 4.2. Boliger") or an abbreviation ("jf. K")
_INNER_SENTENCE_END = re.compile(r"(?<=[a-zæøå]{4})[.!?] +[A-ZÆØÅ]")
# numbered headings ("2.1", "§ 4", "3 . Metode") are headings whatever their wording
_NUMBERED = re.compile(r"^\s*(?:§\s*)?\d")


def settle_large_type(blocks: list[Block], body_size: float) -> list[Block]:
    """Large type that reads as running text is body text, not a heading.

    A heading block that ends mid-sentence and is followed by lower-case text runs on into it:
    into a body paragraph they become one paragraph, into more large type one block, kept as a
    heading only if it does not read as running text. A heading reads as running text when it
    starts in lower case, holds two sentences or is one long sentence (a lede or a highlighted
    statement). Numbered headings and questions stay headings.
    """
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if previous is not None and _runs_on(previous, block, body_size):
            previous.lines.extend(block.lines)
            if "body" in (previous.kind, block.kind) or _reads_as_running_text(previous):
                previous.kind = "body"
            continue
        if block.kind == "heading" and _reads_as_running_text(block):
            block.kind = "body"
        out.append(block)
    return out


def _starts_lower(text: str) -> bool:
    """Text that opens with a lower-case letter (after quotes and brackets), not with a digit."""
    return text.lstrip(" «\"'(“‘–-")[:1].islower()


def _runs_on(block: Block, following: Block, body_size: float) -> bool:
    """Large type ending mid-sentence, then text that starts in lower case: one sentence.

    Into body text only from type set larger than the body, or when the body's first line goes
    on in the heading's own type (a bold lead-in): a bold heading at body size over regular text
    that happens to start in lower case stays a heading.
    """
    kinds = (block.kind, following.kind)
    if "heading" not in kinds or not set(kinds) <= {"heading", "body"}:
        return False
    if following.kind == "body" and (
        _NUMBERED.match(block.lines[0].text)
        or (
            min(line.size for line in block.lines) < body_size * 1.12
            and following.lines[0].style != block.lines[-1].style
        )
    ):
        return False
    ends_open = not block.lines[-1].text.rstrip().endswith((*SENTENCE_END, ")"))
    return ends_open and _starts_lower(following.lines[0].text)


def _reads_as_running_text(block: Block) -> bool:
    text = " ".join(line.text.strip() for line in block.lines)
    if _NUMBERED.match(text) or text.endswith("?"):
        return False
    if _starts_lower(text):
        return True
    long_sentence = text.endswith((".", "!")) and len(text.split()) >= LEDE_WORDS
    return long_sentence or bool(_INNER_SENTENCE_END.search(text.rstrip(".!")))


def _text_start(line: Line) -> float:
    """Where the text of a list item starts, after its bullet or number."""
    marker = BULLET_LINE.match(line.text) or ENUMERATED_LINE.match(line.text)
    if not marker:
        return line.x0
    count = len(marker.group(0).replace(" ", ""))
    visible = [g for g in line.glyphs if g.text.strip()]
    return visible[min(count, len(visible) - 1)].x0 if visible else line.x0


def block_text(block: Block, vocabulary: set[str]) -> str:
    if block.kind == "table":
        return block.lines[0].text
    texts = [line.text for line in block.lines]
    if block.kind == "footnote" and block.lines[0].marker:
        texts[0] = f"{block.lines[0].marker} {texts[0]}"
    if block.kind == "list":
        texts[0] = BULLET_LINE.sub("", texts[0])
    return normalize_text(join_lines(texts, vocabulary))


# ---------------------------------------------------------------- whole document


def split_tables(page: RawPage) -> tuple[list[Line], list[tuple[list[Glyph], Grid]]]:
    """The page's text lines outside tables, and the glyphs inside each table: ruled tables,
    then tables set in white space alone (`gap_tables`)."""
    lines, grids = _split_ruled_tables(page)
    unruled = gap_tables(lines)
    if not unruled:  # most pages
        return merge_fragments(lines), grids
    cells = [{id(g) for ln in lines if _in_box(ln, grid) for g in ln.glyphs} for grid in unruled]
    taken = set().union(*cells)
    # glyphs in the order the page draws them, as the ruled tables' and the lines' are
    for grid, ids in zip(unruled, cells, strict=True):
        grids.append(([g for g in page.glyphs if id(g) in ids], grid))
    free = [g for g in page.glyphs if id(g) not in taken]
    return merge_fragments(build_lines(free)), grids


def _in_box(line: Line, grid: Grid) -> bool:
    middle = (line.top + line.bottom) / 2
    return grid.top <= middle <= grid.bottom and grid.x0 - 1 <= line.x0 and line.x1 <= grid.x1 + 1


# Tables without rules: rows are bands of lines parted by more white space than a paragraph's
# lines leave between them, columns the x ranges no line crosses. A band holds a row's cells
# side by side (each wrapped over lines of its own, often centred in the row), so a table is a
# run of bands that all fall in the same three or more columns; running text, in one or two
# columns, never does.
GAP_ROW_SPACE = 0.6  # ems of white space between two lines that parts them into two bands
GAP_COLUMN_SPACE = 0.35  # ems of white space no line crosses: a gutter (wider than a word space)
GAP_MIN_ROWS = 3  # bands, the header's included
GAP_MIN_COLUMNS = 3
GAP_MAX_ROW_SPACE = 4.0  # ems between two bands of one table
GAP_SHORT_ENTRY = 3  # words on a line of a table's column of short entries (median)


def gap_tables(lines: Sequence[Line]) -> list[Grid]:
    """Tables set in white space alone, found in a page's lines (a cell's line is a line)."""
    if len(lines) < 2 * GAP_MIN_ROWS:
        return []
    bands = _bands([ln for ln in lines if ln.text.strip()])
    tables: list[Grid] = []
    run: list[list[Line]] = []
    i = 0
    while i <= len(bands):
        band = bands[i] if i < len(bands) else []
        i += 1
        if len(run) >= 2 and band:
            # a paragraph set close below the last row joins its band: it ends the table
            head = _before_stray(run, band)
            if head and len(head) < len(band):
                kept = {id(ln) for ln in head}
                bands.insert(i, [ln for ln in band if id(ln) not in kept])
                band = head
        if band and _columns_of(band) >= 2 and (not run or _close(run[-1], band)):
            run.append(band)
            continue
        grid = _gap_grid(run)
        if grid is not None:
            tables.append(grid)
        run = [band] if band and _columns_of(band) >= 2 else []
    return tables


def _bands(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped top to bottom where their extents lie closer than GAP_ROW_SPACE."""
    bands: list[list[Line]] = []
    bottom = -math.inf
    for line in sorted(lines, key=lambda ln: ln.top):
        if bands and line.top - bottom < GAP_ROW_SPACE * line.size:
            bands[-1].append(line)
        else:
            bands.append([line])
            bottom = -math.inf
        bottom = max(bottom, line.bottom)
    return bands


def _x_spans(lines: Iterable[Line]) -> list[list[float]]:
    """The x ranges the lines cover, merged where less than a gutter apart."""
    spans: list[list[float]] = []
    for line in sorted(lines, key=lambda ln: ln.x0):
        if spans and line.x0 - spans[-1][1] < GAP_COLUMN_SPACE * line.size:
            spans[-1][1] = max(spans[-1][1], line.x1)
        else:
            spans.append([line.x0, line.x1])
    return spans


def _columns_of(band: list[Line]) -> int:
    return len(_x_spans(band))


def _close(above: list[Line], below: list[Line]) -> bool:
    size = max(ln.size for ln in below)
    return min(ln.top for ln in below) - max(ln.bottom for ln in above) < GAP_MAX_ROW_SPACE * size


def _gap_grid(run: list[list[Line]]) -> Grid | None:
    """A run of bands as a table: three or more columns across them all, every band in two or
    more of them, every column in half the bands or more, one of short entries; None for
    anything else."""
    run = [band for band in _trim_ends(run) if band]
    if len(run) < GAP_MIN_ROWS:
        return None
    spans = _x_spans(ln for band in run for ln in band)
    if len(spans) < GAP_MIN_COLUMNS:
        return None
    xs = [spans[0][0] - 1] + [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(spans)]
    xs.append(spans[-1][1] + 1)
    filled = [{_interval(xs, (ln.x0 + ln.x1) / 2) for ln in band} for band in run]
    if any(len(columns) < 2 for columns in filled):
        return None
    # a table's columns run through its rows; text beside a list (a colophon by a contents
    # list) fills a few
    if any(2 * sum(c in columns for columns in filled) < len(run) for c in range(len(spans))):
        return None
    # a table has a column of short entries (labels, names, figures); running text set in
    # columns has none, its lines as long as the column is wide
    words: list[list[int]] = [[] for _ in spans]
    for line in (ln for band in run for ln in band):
        words[_interval(xs, (line.x0 + line.x1) / 2)].append(len(line.text.split()))
    if min(sorted(counts)[len(counts) // 2] for counts in words) > GAP_SHORT_ENTRY:
        return None
    tops = [min(ln.top for ln in band) for band in run]
    bottoms = [max(ln.bottom for ln in band) for band in run]
    ys = [tops[0] - 1] + [(b + t) / 2 for b, t in zip(bottoms, tops[1:], strict=False)]
    ys.append(bottoms[-1] + 1)
    return Grid(xs[0], ys[0], xs[-1], ys[-1], xs, ys, gutters=True)


def _strays(line: Line, spans: list[list[float]]) -> bool:
    """Whether a line keeps out of the columns: it starts left of them, or runs across two."""
    if line.x0 < spans[0][0] - 0.5 * line.size:
        return True
    return sum(line.x0 < b and a < line.x1 for a, b in spans) > 1


def _before_stray(run: list[list[Line]], band: list[Line]) -> list[Line]:
    """The band's lines above its first line that keeps out of the run's columns (all of them
    where none does)."""
    spans = _x_spans(ln for rows in run for ln in rows)
    ordered = sorted(band, key=lambda ln: ln.top)
    stray = next((ln for ln in ordered if _strays(ln, spans)), None)
    if stray is None:
        return band
    return [ln for ln in ordered if ln.bottom <= stray.top]


def _trim_ends(run: list[list[Line]]) -> list[list[Line]]:
    """The run with its first and last bands rid of lines that stray from the columns of the
    bands between: a paragraph's line set close above or below the table stays text."""
    if len(run) < GAP_MIN_ROWS:
        return run
    core = _x_spans(ln for band in run[1:-1] for ln in band)
    first = [ln for ln in run[0] if not _strays(ln, core)]
    last = [ln for ln in run[-1] if not _strays(ln, core)]
    return [first, *run[1:-1], last]


def _split_ruled_tables(page: RawPage) -> tuple[list[Line], list[tuple[list[Glyph], Grid]]]:
    """The page's text lines outside ruled tables, and the glyphs inside each table."""
    tables = find_tables(page)
    if not tables:  # most pages: no per-glyph work
        return build_lines(page.glyphs), []
    inside: list[list[Glyph]] = [[] for _ in tables]
    free: list[Glyph] = []
    previous: Glyph | None = None  # the glyph before, when it went into table `at`
    at = -1
    for glyph in page.glyphs:
        cx, cy = (glyph.x0 + glyph.x1) / 2, glyph.baseline - 0.3 * glyph.size
        for i, grid in enumerate(tables):
            if grid.x0 <= cx <= grid.x1 and grid.top <= cy <= grid.bottom:
                at = i
                break
        else:
            # a word that runs over the grid's edge stays whole, in its cell, and so do the
            # words of a cell's line that run on past the table's border (text no one wrapped)
            if previous is None or not _carries_line_on(previous, glyph):
                free.append(glyph)
                previous = None
                continue
        inside[at].append(glyph)
        previous = glyph
    grids = [(glyphs, grid) for grid, glyphs in zip(tables, inside, strict=True) if glyphs]
    return build_lines(free), grids


def _same_word(before: Glyph, glyph: Glyph) -> bool:
    """Whether `glyph` carries on the word of the glyph drawn before it: same line, no gap.
    An invisible text layer (a scan's OCR text) is often set wider than the print under it."""
    return (
        bool(before.text.strip() and glyph.text.strip())
        and abs(glyph.baseline - before.baseline) < 0.2 * before.size
        and -0.1 * before.size < glyph.x0 - before.x1 < 0.1 * before.size
    )


# the widest gap inside a line of text: a word space, even justified; a column gutter is wider
WORD_GAP = 0.5


def _carries_line_on(before: Glyph, glyph: Glyph) -> bool:
    """Whether `glyph` carries on the line of the glyph drawn before it: the same word, a space,
    or the next word after at most a word space, on the same baseline."""
    return (
        abs(glyph.baseline - before.baseline) < 0.2 * before.size
        and -0.1 * before.size < glyph.x0 - before.x1 < WORD_GAP * before.size
    )


def join_across_pages(paragraphs: list[Paragraph], vocabulary: set[str]) -> list[Paragraph]:
    """Undo a hyphenation split over a page break: 'helse-' | 'sektoren' → 'helsesektoren'."""
    out = list(paragraphs)
    for i, para in enumerate(out):
        if para.kind not in ("body", "list") or not para.text.endswith("-"):
            continue
        if not para.text[-2:-1].isalpha():
            continue
        nxt = next((j for j in range(i + 1, len(out)) if out[j].kind in ("body", "list")), None)
        # only the last paragraph of a page continues at the top of the next one
        if nxt is None or out[nxt].page != para.page + 1 or out[nxt].kind != "body":
            continue
        if not out[nxt].text[:1].islower():
            continue
        following = out[nxt]
        joined = join_lines([para.text, following.text], vocabulary)
        head = following.text.split(" ", 1)
        carried = joined[: len(joined) - len(head[1]) - 1] if len(head) > 1 else joined
        rest = head[1] if len(head) > 1 else ""
        # a mark after the carried word goes with it; the rest's marks move with their words
        moved = len(following.text) - len(rest)
        out[i] = replace(
            para,
            text=carried,
            notes=para.notes
            + tuple(replace(r, offset=len(carried)) for r in following.notes if r.offset < moved),
        )
        out[nxt] = replace(
            following,
            text=rest,
            notes=tuple(r.shifted(-moved) for r in following.notes if r.offset >= moved),
        )
    return [p for p in out if p.text]


def join_broken_sentences(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Join a body paragraph cut mid-sentence to its rest on the same page, as where the type
    changes inside a paragraph (a bold lead-in whose last line ends with the first word of the
    next sentence): "… For" | "private eiere …" is one paragraph. A sentence running on to the
    next page stays cut, as a paragraph (and a quote) keeps to its page."""
    out: list[Paragraph] = []
    for para in paragraphs:
        last = out[-1] if out else None
        if last is not None and _sentence_runs_on(last, para):
            shift = len(last.text) + 1
            out[-1] = replace(
                last,
                text=f"{last.text} {para.text}",
                notes=last.notes + tuple(r.shifted(shift) for r in para.notes),
            )
        else:
            out.append(para)
    return out


def _sentence_runs_on(first: Paragraph, second: Paragraph) -> bool:
    same_place = first.page == second.page and first.section_path == second.section_path
    return first.kind == second.kind == "body" and same_place and runs_on(first.text, second.text)


PULL_QUOTE_SIZE = (1.2, 2.5)  # a pull-quote's size over body text: larger, yet no cover title
PULL_QUOTE_LETTERS = 40  # shorter large text (a heading) may well repeat words of the body
PULL_QUOTE_SHARE = 0.8  # of the quote's letter runs found in nearby body text (quotes get trimmed)
_RUN = 16  # letters per compared run


def pull_quotes(pages: Sequence[tuple[int, list[Line]]]) -> set[int]:
    """ids of lines of pull-quotes: large type whose text repeats body text of the same or an
    adjacent page (the magazine device of quoting a sentence of the article beside it)."""
    body_size = body_size_of(ln for _, lines in pages for ln in lines if ln.kind == "body")
    letters = {
        number: _letters_of(ln.text for ln in lines if abs(ln.size - body_size) < 0.5)
        for number, lines in pages
    }
    found: set[int] = set()
    for number, lines in pages:
        nearby = " ".join(letters.get(n, "") for n in (number - 1, number, number + 1))
        low, high = PULL_QUOTE_SIZE
        # headings are set bold and fit a line or two; a pull-quote is a regular-weight block
        big = [
            ln
            for ln in lines
            if low * body_size <= ln.size <= high * body_size and ln.kind == "body" and not ln.bold
        ]
        for run in _stacked_runs(big):
            quote = _letters_of(ln.text for ln in run)
            if len(run) >= 2 and len(quote) >= PULL_QUOTE_LETTERS and _repeats(quote, nearby):
                found.update(id(ln) for ln in run)
    return found


def _letters_of(texts: Iterable[str]) -> str:
    """Lower-case letters and digits only: line-end hyphens, quote marks and spacing vanish."""
    return "".join(ch for text in texts for ch in text.lower() if ch.isalnum())


def _stacked_runs(lines: list[Line]) -> list[list[Line]]:
    """Lines of one size stacked at a steady pitch, overlapping horizontally: one block each."""
    runs: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: ln.baseline):
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and abs(line.size - last.size) < 0.5
            and line.baseline - last.baseline < 1.8 * line.size
            and line.x0 < last.x1
            and last.x0 < line.x1
        ):
            runs[-1].append(line)
        else:
            runs.append([line])
    return runs


def _repeats(quote: str, body: str) -> bool:
    starts = range(0, max(1, len(quote) - _RUN + 1), _RUN // 2)
    hits = sum(1 for i in starts if quote[i : i + _RUN] in body)
    return hits >= PULL_QUOTE_SHARE * len(starts)
