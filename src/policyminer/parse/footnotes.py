"""Footnote references: the raised marks taken out of the text, placed in their paragraph and
linked to the note they call.

The layout drops a raised mark from its line ("(NVE)¹." reads "(NVE).") and keeps where it
stood; here each mark gets its offset in the joined paragraph text and the text of the note
printed under the same label at the foot of that page (or of the next: a note set below a page
break follows its mark), or, for notes gathered at the end, the only later note under it. A
note's sign set on the line ("2019*") counts as a mark where its page has a note under it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from policyminer.parse.layout import FOOTNOTE_START, Line
from policyminer.parse.textclean import SOFT_HYPHEN
from policyminer.records import NoteRef, Paragraph

# how many words before a mark locate it in the paragraph; one word when those are not found
ANCHOR_WORDS = 4
# a note is looked for on its mark's page, then on the pages after it
NOTE_PAGES_AFTER = 1
# a note's sign right after a word, before punctuation, a space or the end: "2019*."
SYMBOL_MARK = re.compile(r"(?<=[^\W_])([*†‡]+)(?=[\s.,;:!?)»]|$)")
RUNNING_KINDS = ("body", "list", "box", "heading")


def place_refs(lines: Sequence[Line], text: str) -> tuple[NoteRef, ...]:
    """The lines' references, placed in `text`, the paragraph those lines were joined into."""
    placed: list[NoteRef] = []
    cursor = 0
    for line in lines:
        for at, label in line.refs:
            found = _anchor(line.text[:at].replace(SOFT_HYPHEN, ""), text, cursor)
            if found is None:
                continue
            cursor, end = found
            placed.extend(NoteRef(end, part) for part in label.split(",") if part)
    return tuple(placed)


def _anchor(head: str, text: str, cursor: int) -> tuple[int, int] | None:
    """Where the last words of `head` stand in `text` (start, end), searching from `cursor`."""
    words = head.split()
    for count in dict.fromkeys((min(ANCHOR_WORDS, len(words)), 1)):
        if count == 0:
            return None
        anchor = " ".join(words[-count:])
        at = text.find(anchor, cursor)
        if at >= 0:
            return at, at + len(anchor)
    return None


def link_notes(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Each reference with the text of the note its label calls, where the note is found.

    The note is the one under the reference's label on its page or the next; else, for notes
    gathered at the end (endnotes), the only note under that label on a later page.
    """
    notes: dict[tuple[int, str], str] = {}
    for para in paragraphs:
        if para.kind == "footnote" and (label := FOOTNOTE_START.match(para.text)):
            notes.setdefault((para.page, label.group(1)), para.text[label.end() :].strip())
    if not notes:
        return paragraphs
    pages_of: dict[str, list[int]] = {}
    for page, label in notes:
        pages_of.setdefault(label, []).append(page)
    symbols = {(page, label) for page, label in notes if not label.isdecimal()}
    out = []
    for para in paragraphs:
        if symbols and para.kind in RUNNING_KINDS:
            para = _with_symbol_marks(para, {label for page, label in symbols if page == para.page})
        if para.notes:
            linked = tuple(
                found
                for ref in para.notes
                for found in _linked_run(ref, para.page, notes, pages_of)
            )
            para = replace(para, notes=linked)
        out.append(para)
    return out


def _with_symbol_marks(para: Paragraph, labels: set[str]) -> Paragraph:
    """A note's sign set on the line after a word ("fra 2019*.") marks that note when the
    page's notes hold one under that sign: the sign leaves the text and becomes a reference."""
    if not labels:
        return para
    marks = [m for m in SYMBOL_MARK.finditer(para.text) if m.group(1) in labels]
    if not marks:
        return para
    text, refs = para.text, list(para.notes)
    for mark in reversed(marks):  # from the end, so that earlier offsets hold
        at, width = mark.start(1), len(mark.group(1))
        text = text[:at] + text[at + width :]
        refs = [r.shifted(-width) if r.offset > at else r for r in refs]
        refs.append(NoteRef(at, mark.group(1)))
    return replace(para, text=text, notes=tuple(sorted(refs, key=lambda r: r.offset)))


def _linked_run(
    ref: NoteRef, page: int, notes: dict[tuple[int, str], str], pages_of: dict[str, list[int]]
) -> list[NoteRef]:
    """The reference linked; marks set side by side without a space ("⁸⁹" for notes 8 and 9)
    read as a run of consecutive numbers when the label itself calls no note."""
    linked = _linked(ref, page, notes, pages_of)
    if linked.note:
        return [linked]
    for run in consecutive_runs(ref.label):
        parts = [_linked(NoteRef(ref.offset, label), page, notes, pages_of) for label in run]
        if all(part.note for part in parts):
            return parts
    return [linked]


def consecutive_runs(label: str) -> list[list[str]]:
    """Ways to read a string of digits as consecutive numbers: "1920" → [["19", "20"]]."""
    runs = []
    if label.isdecimal():
        for width in range(1, len(label)):
            first = int(label[:width])
            run, text = [], ""
            while len(text) < len(label):
                text += str(first + len(run))
                run.append(str(first + len(run)))
            if text == label and len(run) > 1:
                runs.append(run)
    return runs


def _linked(
    ref: NoteRef, page: int, notes: dict[tuple[int, str], str], pages_of: dict[str, list[int]]
) -> NoteRef:
    """The reference with its note's text and page, or as it was when no note is found."""
    pages = list(range(page, page + NOTE_PAGES_AFTER + 1))
    later = [on for on in pages_of.get(ref.label, []) if on > page]
    if len(later) == 1:  # notes gathered at the end: the only one under this label
        pages += later
    for on in pages:
        note = notes.get((on, ref.label))
        if note:
            return NoteRef(ref.offset, ref.label, note, on)
    return ref
