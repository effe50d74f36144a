"""Running headers and footers: lines in the page margins that repeat from page to page (page
numbers, a report's title, letter-spaced and stacked header boxes), left out of the body text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from policyminer.parse.layout import Line, RawPage

PAGE_NUMBER = re.compile(
    r"^[-–—(\[]?\s*(side|page|s\.|p\.)?\s*#\s*(av|of|/|\|)?\s*#?\s*[-–—)\]]?$", re.IGNORECASE
)
SECTION_NUMBER = re.compile(r"^\d{1,2}(\.\d{1,2}){1,5}\.?$")  # a dotted number: no page number
ROMAN = re.compile(r"^[ivxlcdm]{1,7}$", re.IGNORECASE)
MARGIN_ZONE = 0.12  # running headers and footers live in the outer 12 % of the page height
STACK_ZONE = 0.16  # a header box stacked on a margin line may reach this far into the page
STACK_LINES = 3  # and add this many lines at most (a column of text is a stack too)


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
