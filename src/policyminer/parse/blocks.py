"""Lines → paragraphs: runs of lines of one kind grouped into blocks, large type that reads as
running text settled, paragraphs joined across page breaks and pull-quotes found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from policyminer.parse.layout import (
    BULLET_LINE,
    ENUMERATED_LINE,
    FOOTNOTE_START,
    HEADING_NUMBER,
    SENTENCE_END,
    Line,
)
from policyminer.parse.linekinds import Typography, body_size_of
from policyminer.parse.textclean import (
    join_lines,
    normalize_text,
    runs_on,
)
from policyminer.records import Paragraph


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
