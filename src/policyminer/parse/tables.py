"""Tables on a page: ruled grids, framed boxes and tables set in white space alone, read
row by row, each cell's lines joined as its text.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence

from policyminer.parse.layout import (
    BULLET_LINE,
    DRAWN,
    ENUMERATED_LINE,
    PICTURE,
    SENTENCE_END,
    SHADE,
    Glyph,
    Grid,
    Line,
    RawPage,
    Rule,
    build_lines,
    merge_fragments,
)
from policyminer.parse.textclean import (
    aligned_cells,
    join_lines,
)

DASHES = "–—-"  # bullets that also stand for a dash in running text
SPAN_GAP = 0.6  # ems: wider than a word space, narrower than two cells' padding
RULE_CLEAR = 0.2  # points: a glyph drawn through a rule reaches this far past it on both sides
JOIN_GAP = 3.0  # points between two cells' borders drawn apart on one line (a row's rule)
# points short of a column's rules that a cell border may stop; shading set line by line inside
# a cell stops a cell margin short (about 5 pt) and draws no border
BORDER_REACH = 3.5


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
            dividers = None if seen else tuple(e for e in group if e.vertical)
            tables.append(Grid(x0, top, x1, bottom, xs, ys, borders, dividers=dividers))
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
        if grid.gutters:
            groups = [[c] for c in range(len(parts))]
        else:
            groups = _spanned_columns(parts, _divided(grid, ys[r], ys[r + 1]), grid.xs)
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
    line.text = rows_text(rows, len(xs) - 1)
    return line


def rows_text(rows: list[list[str]], width: int) -> str:
    """A ruled table's rows as lines of ' | '-separated cells. In a row of every column, an
    empty cell before the row's last value is written EMPTY_CELL, so its values stay under their
    columns (a row is read under its header); the empty cells after it, a row with spanning cells
    (fewer cells than columns) and columns empty in every row are left out: a blank run
    (" |  | ") is noise."""
    kept = sorted({i for row in rows if len(row) == width for i, cell in enumerate(row) if cell})
    return "\n".join(
        aligned_cells([row[i] for i in kept])
        if len(row) == width
        else " | ".join(c for c in row if c)
        for row in rows
    )


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


def _divided(grid: Grid, top: float, bottom: float) -> set[int]:
    """The inner column edges (1, 2, …) with a ruling drawn beside the row from `top` to
    `bottom`: no cell spans them there."""
    if grid.dividers is None:
        return set()
    middle = (top + bottom) / 2
    return {
        c
        for c in range(1, len(grid.xs) - 1)
        if any(
            abs((e.x0 + e.x1) / 2 - grid.xs[c]) <= 3.0 and e.top <= middle <= e.bottom
            for e in grid.dividers
        )
    }


def _spanned_columns(
    cells: list[list[Glyph]], divided: set[int] = frozenset(), xs: Sequence[float] = ()
) -> list[list[int]]:
    """One row's columns grouped into cells: text running across a column edge without the
    gap that cell padding leaves (a spanning cell, its inner rule not drawn) joins them. Across
    a `divided` edge (`xs[c]`), where the rule is drawn beside the row, the text must also be
    drawn through the rule (a spreadsheet's text overflowing its cell): words that end and
    start at the rule are two cells' ("… skal vurdere" | "Det er gjort …")."""
    groups = [[0]]
    for c in range(1, len(cells)):
        left = [g for g in cells[c - 1] if g.text.strip()]
        right = [g for g in cells[c] if g.text.strip()]
        joined = bool(left and right) and _runs_across(left, right)
        if joined and c in divided:
            through = xs[c] - RULE_CLEAR, xs[c] + RULE_CLEAR
            joined = any(g.x0 < through[0] and through[1] < g.x1 for g in left + right)
        if joined:
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
