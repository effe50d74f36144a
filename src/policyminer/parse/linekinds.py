"""What each line is: a heading (by size, weight and numbering, with its level), a footnote or
body text; the page's body type size and line pitch that these are judged by.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from policyminer.parse.layout import BULLET_LINE, FOOTNOTE_START, HEADING_NUMBER, Line
from policyminer.parse.textclean import (
    CONNECTIVES,
)

# a regulation's provision: "§ 4.2 Title", some PDFs space it "§ 4. 2 Title"
SIGNED_NUMBER = re.compile(r"^§\s?(\d{1,3}(?:\.\s?\d{1,2}){0,5})\.?\s+(?=[^\W\d_])")
CAPTION = re.compile(r"^(tabell|figur|table|figure|kilde|source|note|merknad)\b", re.IGNORECASE)
# A form's field ("Dato: 02.05.2024", "Rev: B Rev. dato: 14.06.2024"): a short label, a colon and a
# date. Set in bold in a document's header block, it is a record of the document, not a heading.
FIELD_WITH_DATE = re.compile(
    r"^[^\W\d][\w.]*(?: [\w.]+){0,2}:\s*(?:\S.*?)?"
    r"(?<!\d)\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})(?!\d)"
)


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
