"""Parse the seed reports of ../shared/seeds into clean, structured documents.

Stable API (the corpus renderer and the PDF-fidelity tests rely on these names):

    load_seed(path: Path | str) -> SeedDoc
        The seed as title, publisher, year, a list of Blocks and its footnotes.
    clean_body_text(seed_path: Path | str, *, tables: bool = False, footnotes: bool = False) -> str
        The clean body text (headings with their numbers, paragraphs, list items with "1."/"a."
        labels, captions), blocks separated by a blank line ("\\n\\n"), without page numbers,
        hard wraps or footnote markers: the ground truth for word recall of a PDF parser.
        Table rows (cells joined by spaces) and footnote texts are added on request.
    SEEDS: dict[str, SeedMeta]   seed file name -> metadata and the corpus PDF name it renders to.
    seed_for_pdf(pdf: Path | str) -> str
        The seed file name a corpus PDF (path or name) was rendered from.

Block kinds: "heading" (number like "4.3.1" or "" for an unnumbered subheading, level 1..n),
"paragraph", "bullet" (label like "•", "1.", "a." and depth), "table" (rows of cells; the first row
is the header), "caption" (figure/table captions and sources). Footnote markers are removed from
the text and kept as Note(offset, label) so a renderer can put them back as superscripts.

The two seeds are different kinds of extraction: the Trondheim report (000_*) is text pulled from
a PDF (hard-wrapped lines, page numbers and footnote blocks inline, garbled tables); the Drammen
report (003_*) is a conversion with one paragraph per line, tab-separated tables and superscript
footnote markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = [
    "SEEDS",
    "Block",
    "Note",
    "SeedDoc",
    "SeedMeta",
    "clean_body_text",
    "load_seed",
    "seed_for_pdf",
]


@dataclass(frozen=True)
class SeedMeta:
    """What the seed text does not say cleanly about itself."""

    title: str
    subtitle: str
    publisher: str
    year: int
    pdf_name: str
    subject: str


SEEDS: dict[str, SeedMeta] = {
    "000_4835574da3d7928c.txt": SeedMeta(
        title="Veikart for verdiskaping i Trondheim kommune innen helse",
        subtitle="Drivere, føringer, mulighetsområder og arbeidsformer",
        publisher="SINTEF",
        year=2021,
        pdf_name="trondheim-veikart-helse.pdf",
        subject="Veikart for verdiskaping innen helse for Trondheim kommune",
    ),
    "003_dd8901a9cd81dfff.txt": SeedMeta(
        title=(
            "Hvordan kan Drammensregionen ta en strategisk riktig posisjon og bli attraktiv "
            "for helserelatert FoU, innovasjon og næringsutvikling?"
        ),
        subtitle="Menon-publikasjon, februar 2026",
        publisher="Menon Economics",
        year=2026,
        pdf_name="drammensregionen-helse-fou.pdf",
        subject="Helserelatert FoU, innovasjon og næringsutvikling i Drammensregionen",
    ),
}


@dataclass(frozen=True)
class Note:
    """A footnote marker: the note's label, placed after character `offset` of the block text."""

    offset: int
    label: str


@dataclass(frozen=True)
class Block:
    """One piece of the document body, in reading order."""

    kind: str
    text: str = ""
    number: str = ""
    level: int = 0
    label: str = ""
    depth: int = 0
    rows: tuple[tuple[str, ...], ...] = ()
    notes: tuple[Note, ...] = ()


@dataclass
class SeedDoc:
    """A seed report as a clean structured document."""

    path: Path
    title: str
    subtitle: str
    publisher: str
    year: int
    subject: str
    blocks: list[Block]
    footnotes: dict[str, str] = field(default_factory=dict)

    def headings(self) -> list[Block]:
        """The heading blocks, numbered and unnumbered."""
        return [b for b in self.blocks if b.kind == "heading"]

    def chapters(self) -> list[list[Block]]:
        """The blocks split at each level-1 heading (front matter first, if any)."""
        parts: list[list[Block]] = [[]]
        for block in self.blocks:
            if block.kind == "heading" and block.level == 1:
                parts.append([])
            parts[-1].append(block)
        return [p for p in parts if p]


def load_seed(path: Path | str) -> SeedDoc:
    """Parse one seed file into a SeedDoc."""
    path = Path(path)
    meta = SEEDS.get(path.name)
    if meta is None:
        raise ValueError(f"{path}: not a known seed (expected one of {', '.join(SEEDS)})")
    text = path.read_text(encoding="utf-8")
    if "\t" in text:
        blocks, notes = _parse_converted(text)
    else:
        blocks, notes = _parse_extracted(text)
    return SeedDoc(
        path=path,
        title=meta.title,
        subtitle=meta.subtitle,
        publisher=meta.publisher,
        year=meta.year,
        subject=meta.subject,
        blocks=blocks,
        footnotes=notes,
    )


def seed_for_pdf(pdf: Path | str) -> str:
    """The seed file name the corpus PDF `pdf` was rendered from."""
    name = Path(pdf).name
    for seed, meta in SEEDS.items():
        if meta.pdf_name == name:
            return seed
    raise ValueError(
        f"{pdf}: not a corpus PDF (expected one of {', '.join(m.pdf_name for m in SEEDS.values())})"
    )


def clean_body_text(seed_path: Path | str, *, tables: bool = False, footnotes: bool = False) -> str:
    """The seed's clean body text, one block per paragraph separated by blank lines."""
    doc = load_seed(seed_path)
    parts: list[str] = []
    for block in doc.blocks:
        if block.kind == "heading":
            parts.append(f"{block.number} {block.text}".strip())
        elif block.kind == "table":
            if tables:
                parts.extend(" ".join(c for c in row if c) for row in block.rows)
        elif block.kind == "bullet" and block.label[:1].isalnum():
            parts.append(f"{block.label} {block.text}")  # "a." and "1." are printed text
        else:
            parts.append(block.text)
    if footnotes:
        parts.extend(doc.footnotes[label] for label in doc.footnotes)
    return "\n\n".join(p for p in parts if p)


# ----------------------------------------------------------------------------------------------
# Shared helpers

# Norwegian elided compounds: "helse- og omsorg" keeps its hyphen before one of these words.
_ELISION_WORDS = {"og", "eller", "samt", "til", "enn", "som", "and", "or", "to", "&"}
_SPACES = re.compile(r"[ \u00a0\u2009\u202f]+")


def _norm(text: str) -> str:
    """Collapse odd whitespace and trim."""
    return _SPACES.sub(" ", text).strip()


def _join_lines(lines: list[str]) -> str:
    """Join hard-wrapped lines, undoing end-of-line hyphenation but keeping real hyphens."""
    out = ""
    for raw in lines:
        line = _norm(raw)
        if not line:
            continue
        if not out:
            out = line
            continue
        out = _join_two(out, line)
    return out


def _join_two(left: str, right: str) -> str:
    """Join two wrapped pieces of one paragraph."""
    tail = left.rsplit(" ", 1)[-1]
    if "http" in tail or tail.startswith("www.") or ("/" in tail and left.endswith(("/", "-"))):
        return left + right  # a URL broken across lines
    if left.endswith("-") and len(left) > 1:
        before = left[-2]
        next_word = right.split(" ", 1)[0].strip(",.;:")
        if before.isalpha() and before.islower() and right[:1].islower():
            if next_word.lower() in _ELISION_WORDS:
                return f"{left} {right}"
            return left[:-1] + right
        if before.isalnum() and not right[:1].isspace() and next_word.lower() not in _ELISION_WORDS:
            return left + right  # "COVID-" + "19", "FN-" + "senteret"
        return f"{left} {right}"
    return f"{left} {right}"


# Words a Norwegian sentence cannot end on: a paragraph ending on one was cut by a page break.
_DANGLING = {
    "av",
    "og",
    "i",
    "på",
    "til",
    "for",
    "med",
    "som",
    "et",
    "en",
    "ei",
    "den",
    "det",
    "der",
    "om",
    "fra",
    "å",
    "at",
    "de",
    "eller",
    "samt",
    "mot",
    "ved",
}


def _continues(previous: Block, text: str) -> bool:
    """True when `text` is the rest of `previous`, cut by a page break or a column break."""
    if previous.kind not in ("paragraph", "bullet") or not text:
        return False
    if re.search(r"[.!?]\s*$", previous.text):
        return False
    last_word = previous.text.rsplit(" ", 1)[-1]
    return text[0].islower() or text[0] in "(«" or last_word in _DANGLING


def _append(previous: Block, text: str, notes: tuple[Note, ...] = ()) -> Block:
    """`previous` with `text` joined on (shifting the new notes)."""
    joined = _join_two(previous.text, text)
    shift = len(joined) - len(text)
    moved = tuple(Note(n.offset + shift, n.label) for n in notes)
    return replace(previous, text=joined, notes=previous.notes + moved)


_HEADING = re.compile(r"^(\d+(?:\.\d+)*)\s+(\S.*)$")


class _Numbering:
    """Accepts a heading number only when it follows the previous one (1 → 1.1 → 1.2 → 2 ...)."""

    def __init__(self) -> None:
        self.current: list[int] = []

    def accepts(self, number: str) -> bool:
        parts = [int(p) for p in number.split(".")]
        cur = self.current
        if not cur:
            return parts == [1]
        for depth in range(len(cur), 0, -1):
            same_parent = parts[:-1] == cur[: depth - 1]
            if len(parts) == depth and same_parent and parts[-1] == cur[depth - 1] + 1:
                return True
        return len(parts) == len(cur) + 1 and parts[:-1] == cur and parts[-1] == 1

    def take(self, number: str) -> None:
        self.current = [int(p) for p in number.split(".")]

    @property
    def level(self) -> int:
        return len(self.current)


def _looks_like_title(text: str) -> bool:
    """A heading's text: starts with a capital, reasonably short, not a URL or a sentence."""
    return (
        bool(text)
        and (text[0].isupper() or text[0].isdigit())
        and len(text) < 120
        and "http" not in text
        and not text.rstrip().endswith((".", ","))
    )


# ----------------------------------------------------------------------------------------------
# The Trondheim seed: text extracted from a PDF

_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_FOOTNOTE_DEF = re.compile(r"^\s*(\d{1,3})\s+(\S.*)$")
_CAPTION = re.compile(r"^\s*(Figur|Tabell)\s*\d+|^\s*Illustrasjon:|^\s*Kilde:")
_BULLET = re.compile(r"^\s*(•|-|–|\d{1,2}\.|[a-h]\.)\s+(\S.*)$")
_URL_LINE = re.compile(r"^\S*(https?://|www\.)|^[\w.\-/%?=&]+$")

# Regions of the Trondheim seed that are tables or figure text the PDF extraction garbled beyond
# use (cells interleaved line by line). They go into the corpus as their caption only, like a
# figure, so neither the renderer nor the fidelity ground truth pretends they are prose.
# Each entry: (first line of the region, first line after it), matched on stripped text.
_GARBLED: tuple[tuple[str, str], ...] = (
    ("Område Rødt Gult", "Tabell 1:"),
    ("Driver: Bærekraftig verdiskaping", "Vår evaluering og våre vurderinger"),
    ("Konkrete muligheter Bærekraftig", "4.3 Mulighetsområder"),
)
# Header rows of the chapter 5 tables whose cells the extraction ran together: dropped.
_TABLE_HEADER = "Metode/arbeidsform Beskrivelse"


def _parse_extracted(text: str) -> tuple[list[Block], dict[str, str]]:
    """Parse the hard-wrapped, page-broken text of the Trondheim seed."""
    lines = text.replace("\f", "\n").split("\n")
    events = _trondheim_events(lines)
    blocks, anchors, notes = _trondheim_blocks(events)
    blocks = _place_markers(blocks, anchors, notes)
    return blocks, notes


def _trondheim_events(lines: list[str]) -> list[tuple[str, object]]:
    """Classify lines: ('heading', (number, text)), ('text', line), ('bullet', (label, line)),
    ('caption', line), ('note', (label, text)), ('break', None) for blanks and page breaks."""
    events: list[tuple[str, object]] = []
    numbering = _Numbering()
    next_note = 1
    in_note = False
    in_caption = False
    skip_until: str | None = None
    for raw in lines:
        stripped = _norm(raw.replace("\ufffc", ""))  # U+FFFC: where a figure was
        if skip_until is not None:
            if not stripped.startswith(skip_until):
                continue
            skip_until = None
        if stripped.startswith(_TABLE_HEADER):
            stripped = stripped[len(_TABLE_HEADER) :].strip()
            raw = stripped
        if not stripped:
            events.append(("break", None))
            in_note = in_caption = False
            continue
        page_start = raw.startswith(" ")
        if in_caption and not page_start and not _CAPTION.match(stripped):
            events.append(("caption+", stripped))  # a caption wrapped over several lines
            continue
        in_caption = False
        if _PAGE_NUMBER.match(raw):
            events.append(("break", None))
            in_note = False
            continue
        garbled = next((end for start, end in _GARBLED if stripped.startswith(start)), None)
        if garbled is not None:
            skip_until = garbled
            events.append(("break", None))
            continue
        match = _HEADING.match(stripped)
        if match and numbering.accepts(match.group(1)) and _looks_like_title(match.group(2)):
            numbering.take(match.group(1))
            events.append(("heading", (match.group(1), match.group(2))))
            in_note = False
            continue
        if page_start and not in_note:
            events.append(("break", None))  # a new page: the text may continue, see _continues
        match = _FOOTNOTE_DEF.match(stripped)
        if match and int(match.group(1)) == next_note:
            events.append(("note", (match.group(1), match.group(2))))
            next_note += 1
            in_note = True
            continue
        if in_note and not page_start:
            events.append(("note+", stripped))
            continue
        if in_note:
            events.append(("break", None))
        in_note = False
        if _CAPTION.match(stripped):
            events.append(("caption", stripped))
            in_caption = True
            continue
        match = _BULLET.match(stripped)
        if match:
            events.append(("bullet", (match.group(1), match.group(2))))
            continue
        events.append(("text", stripped))
    return events


def _trondheim_blocks(
    events: list[tuple[str, object]],
) -> tuple[list[Block], dict[str, int], dict[str, str]]:
    """Group events into blocks; remember after which block each footnote was defined."""
    blocks: list[Block] = []
    anchors: dict[str, int] = {}
    notes: dict[str, str] = {}
    group: list[str] = []
    group_kind = "paragraph"
    group_label = ""
    level = 0

    def flush() -> None:
        nonlocal group, group_kind, group_label
        if not group:
            return
        lines, kind, label = group, group_kind, group_label
        group, group_kind, group_label = [], "paragraph", ""
        if kind == "paragraph" and _is_subheading(lines):
            blocks.append(Block("heading", _norm(lines[0]), "", level + 1))
            lines = lines[1:]
            if not lines:
                return
        text = _join_lines(lines)
        last = _last_body(blocks)
        if last is not None and _continues(blocks[last], text) and kind == "paragraph":
            blocks[last] = _append(blocks[last], text)
            return
        depth = 1 if label[:1].isalpha() or label in ("-", "–") else 0
        blocks.append(Block(kind, text, label=label, depth=depth))

    last_note: str | None = None
    for kind, value in events:
        if kind == "break":
            flush()
        elif kind == "heading":
            flush()
            number, title = value  # type: ignore[misc]
            level = number.count(".") + 1
            blocks.append(Block("heading", title, number, level))
        elif kind == "note":
            flush()
            label, body = value  # type: ignore[misc]
            notes[label] = body
            anchors[label] = len(blocks)
            last_note = label
        elif kind == "note+":
            if last_note is not None:
                notes[last_note] = _join_two(notes[last_note], str(value))
        elif kind == "caption":
            flush()
            blocks.append(Block("caption", str(value)))
        elif kind == "caption+":
            blocks[-1] = replace(blocks[-1], text=_join_two(blocks[-1].text, str(value)))
        elif kind == "bullet":
            flush()
            label, body = value  # type: ignore[misc]
            group, group_kind, group_label = [body], "bullet", label
        else:
            group.append(str(value))
    flush()
    for label, body in notes.items():
        notes[label] = body.replace(f"wp-{label}content", "wp-content")
    return blocks, anchors, notes


def _last_body(blocks: list[Block]) -> int | None:
    """Index of the last paragraph or list item, skipping captions laid out between them."""
    for i in range(len(blocks) - 1, -1, -1):
        if blocks[i].kind in ("paragraph", "bullet"):
            return i
        if blocks[i].kind in ("heading", "table"):
            return None
    return None


def _is_subheading(lines: list[str]) -> bool:
    """A short unpunctuated first line over longer prose: an unnumbered subheading."""
    first = _norm(lines[0])
    if not first or len(first) > 85 or not (first[0].isupper() or first[0] == "+"):
        return False
    if re.search(r"[.,:;!?]$", first) or _CAPTION.match(first) or " som " in first:
        return False
    _, colon, rest = first.partition(":")
    if colon and not rest.strip()[:1].islower():
        return False  # "Lokale næringsaktører: Nordiq, ..." is a run-in label, not a heading
    if len(lines) == 1:
        return True
    return len(_norm(lines[1])) > len(first) + 20


_MARK_PATTERNS = (
    # glued to a word or closing punctuation: "regelverket4", "(2019)20", "U4SSC)11'"
    r"(?<=[A-Za-zÆØÅæøåé\)\]'’”\".,:;])({n})(?=[\s.,;:)'’”\"]|$)",
    # glued to a year: "Perspektivmelding 20216"
    r"(?<=\d{{4}})({n})(?=[\s.,;:)'’”\"]|$)",
    # glued to a version number: "TRD 3.021"
    r"(?<=\d\.\d)({n})(?=[\s.,;:)'’”\"]|$)",
)
# last resort, only when nothing glued is found: "til rett tid 42." / "i Norge 56)"
_LOOSE_MARK = r"(?<=\S )({n})(?=[.)])"


def _place_markers(
    blocks: list[Block], anchors: dict[str, int], notes: dict[str, str]
) -> list[Block]:
    """Find each footnote's marker in the text before its definition and turn it into a Note."""
    texts = [b.text for b in blocks]
    found: dict[int, list[Note]] = {}
    cursor = (0, 0)  # (block, offset) after the previous marker
    for label in notes:
        end = anchors[label]
        hit = _find_marker(blocks, texts, label, cursor, end, _MARK_PATTERNS)
        if hit is None:
            hit = _find_marker(blocks, texts, label, cursor, end, (_LOOSE_MARK,))
        if hit is None:
            # no marker survived the extraction: the note belongs to the text just before it
            index = _last_body(blocks[:end])
            if index is None:
                continue
            hit = (index, len(texts[index]))
            texts[index] += label
        index, start = hit
        text = texts[index][:start] + texts[index][start + len(label) :]
        at_word_end = start == len(text) or not text[start].isalnum()
        if start > 0 and text[start - 1] == " " and at_word_end:
            text = text[: start - 1] + text[start:]  # "rapporter7 8 hvor": the gap goes too
            start -= 1
        if text[start - 1 : start + 1] == "..":
            text = text[:start] + text[start + 1 :]  # "pilot. 47." left "pilot.."
        texts[index] = text
        found.setdefault(index, []).append(Note(start, label))
        cursor = (index, start)
    out: list[Block] = []
    for i, block in enumerate(blocks):
        if i in found:
            marks = tuple(sorted(found[i], key=lambda n: n.offset))
            out.append(replace(block, text=texts[i], notes=marks))
        else:
            out.append(block)
    return out


def _find_marker(
    blocks: list[Block],
    texts: list[str],
    label: str,
    cursor: tuple[int, int],
    end: int,
    patterns: tuple[str, ...],
) -> tuple[int, int] | None:
    """The first plausible marker for `label` between the cursor and block `end`."""
    start_block, start_offset = cursor
    for index in range(start_block, min(end, len(blocks))):
        text = texts[index]
        offset = start_offset if index == start_block else 0
        best: int | None = None
        for pattern in patterns:
            match = re.compile(pattern.format(n=re.escape(label))).search(text, offset)
            if match and (best is None or match.start(1) < best):
                best = match.start(1)
        # "rapporter7 8": the second marker follows the first after a space
        follows = text[offset : offset + 1 + len(label)] == f" {label}"
        if patterns is _MARK_PATTERNS and index == start_block and follows:
            tail = text[offset + 1 + len(label) : offset + 2 + len(label)]
            if not tail or not tail.isalnum():
                best = offset + 1
        if best is not None:
            return index, best
    return None


# ----------------------------------------------------------------------------------------------
# The Drammen seed: a conversion with one paragraph per line


_SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_DIGIT = str.maketrans(_SUPERSCRIPT, "0123456789")
_SUP_RUN = re.compile(f"(?<=\\S)([{_SUPERSCRIPT}]+)")
_NOTE_DEF = re.compile(f"^([{_SUPERSCRIPT}]+)\\s*(.*)$")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_EMPH = re.compile(r"(?<![\w*])\*{1,2}([^*\n]+?)\*{1,2}(?![\w*])")
_MD_URL = re.compile(r"<(https?://[^>]+)>")
_CAPTION_D = re.compile(r"^(Figur|Tabell)\s*\d+(-\d+)?:?\s+[A-ZÆØÅ]|^Kilder?:|^Foto:")
_MONTH_YEAR = re.compile(
    r"^(januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)"
    r"\s+\d{4}$",
    re.IGNORECASE,
)


def _markdown(text: str) -> str:
    """Plain text from the converter's Markdown leftovers."""
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_URL.sub(r"\1", text)
    text = text.replace("**", "")
    text = _MD_EMPH.sub(r"\1", text)
    return _norm(text)


def _parse_converted(text: str) -> tuple[list[Block], dict[str, str]]:
    """Parse the one-paragraph-per-line Drammen seed."""
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    lines = _join_short_runs(_drop_contents(lines))
    blocks: list[Block] = []
    notes: dict[str, str] = {}
    numbering = _Numbering()
    level = 0
    next_note = 1
    pending_note: str | None = None
    table: list[tuple[str, ...]] = []
    seen_title = False

    def flush_table() -> None:
        nonlocal table
        if table:
            _add_table(blocks, table)
            table = []

    for raw in lines:
        line = raw.strip(" \u00a0")
        if not line.strip():
            flush_table()
            continue
        cells = [c for c in line.split("\t") if c.strip()]
        if "\t" in line and (len(cells) >= 2 or (table and cells)):
            table.append(tuple(_markdown(c) for c in line.split("\t")))
            continue
        flush_table()
        line = _markdown(line.replace("\t", " "))
        if not seen_title:
            seen_title = True  # the title line: it goes on the title page
            continue
        if pending_note is not None:
            notes[pending_note] = line
            pending_note = None
            continue
        match = _NOTE_DEF.match(line)
        if match:
            label = match.group(1).translate(_SUP_TO_DIGIT)
            if match.group(2):
                notes[label] = match.group(2)
            else:
                pending_note = label
            continue
        match = _HEADING.match(line)
        if match and numbering.accepts(match.group(1)) and _looks_like_title(match.group(2)):
            numbering.take(match.group(1))
            level = numbering.level
            blocks.append(Block("heading", match.group(2), match.group(1), level))
            continue
        body, marks, next_note = _take_markers(line, next_note)
        if _CAPTION_D.match(body):
            blocks.append(Block("caption", body, notes=marks))
            continue
        if body.startswith(("- ", "• ")):
            blocks.append(Block("bullet", body[2:].strip(), label="•", notes=_shift(marks, -2)))
            continue
        if body in ("Forord", "Sammendrag") or body.startswith("Vedlegg "):
            level = 1
            numbering_level = 1
            blocks.append(Block("heading", body, "", numbering_level))
            continue
        last = _last_body(blocks)
        if last is not None and _continues(blocks[last], body):
            blocks[last] = _append(blocks[last], body, marks)
            continue
        if (
            _is_subheading([body])
            and len(body) < 70
            and "\n" not in body
            and not _MONTH_YEAR.match(body)
        ):
            blocks.append(Block("heading", body, "", max(level, 1) + 1))
            continue
        blocks.append(Block("paragraph", body, notes=marks))
    flush_table()
    return blocks, notes


def _shift(marks: tuple[Note, ...], by: int) -> tuple[Note, ...]:
    return tuple(Note(max(0, n.offset + by), n.label) for n in marks)


def _take_markers(line: str, next_note: int) -> tuple[str, tuple[Note, ...], int]:
    """Remove superscript footnote markers from a body line, splitting runs like "⁸⁹"."""
    out = ""
    marks: list[Note] = []
    pos = 0
    for match in _SUP_RUN.finditer(line):
        out += line[pos : match.start()]
        digits = match.group(1).translate(_SUP_TO_DIGIT)
        while digits:
            label = str(next_note)
            if digits.startswith(label):
                marks.append(Note(len(out), label))
                digits = digits[len(label) :]
                next_note += 1
            else:  # not the next note: keep it as text (a table note like "¹")
                out += match.group(1)
                break
        pos = match.end()
    out += line[pos:]
    return out, tuple(marks), next_note


def _join_short_runs(lines: list[str]) -> list[str]:
    """Keep runs of short lines (a signature: name, role, firm) together, line breaks kept."""
    out: list[str] = []
    for line in lines:
        prev = out[-1] if out else ""
        short = 0 < len(line.strip()) < 40 and "\t" not in line and not line.startswith("-")
        prev_short = 0 < len(prev.split("\n")[-1].strip()) < 40 and "\t" not in prev
        if short and prev_short and not prev.startswith("-"):
            out[-1] = prev + "\n" + line.strip()
        else:
            out.append(line)
    return out


def _drop_contents(lines: list[str]) -> list[str]:
    """Drop the seed's table of contents (its page numbers belong to another layout)."""
    try:
        start = next(i for i, ln in enumerate(lines) if ln.strip() == "Innholdsfortegnelse")
    except StopIteration:
        return lines
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].strip() == "Sammendrag"), start + 1
    )
    return lines[:start] + lines[end:]


def _add_table(blocks: list[Block], rows: list[tuple[str, ...]]) -> None:
    """Add a table; a repeated header right after a table continues it (a page-split table)."""
    width = max(len(r) for r in rows)
    rows = [tuple(list(r) + [""] * (width - len(r))) for r in rows]
    if blocks and blocks[-1].kind == "table" and blocks[-1].rows[0] == rows[0]:
        merged = list(blocks[-1].rows)
        for row in rows[1:]:
            if not row[0] and merged:
                merged[-1] = tuple(_norm(f"{a} {b}") for a, b in zip(merged[-1], row, strict=True))
            else:
                merged.append(row)
        blocks[-1] = replace(blocks[-1], rows=tuple(merged))
        return
    blocks.append(Block("table", rows=tuple(rows)))
