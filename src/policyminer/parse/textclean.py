"""Character clean-up and line joining for extracted text (ligatures, odd spaces, hyphenation)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

# what a table cell without a value reads, as statistics tables mark one: it keeps the values
# after it under their columns
EMPTY_CELL = "–"


def aligned_cells(cells: Sequence[str]) -> str:
    """A table row's cells joined by " | ": an empty cell before the row's last value reads
    EMPTY_CELL, so the values after it stay under their columns; empty cells after it are left
    out (a cell spanning the rest of the row leaves them)."""
    last = max((i for i, cell in enumerate(cells) if cell), default=-1)
    return " | ".join(cell or EMPTY_CELL for cell in cells[: last + 1])


SOFT_HYPHEN = "\u00ad"
# Words that follow a suspended compound ("helse- og omsorg"): the hyphen before them is real.
# Only coordinators: "som", "til", "enn" also end ordinary hyphenated words ("Der-som").
CONNECTIVES = frozenset(["og", "eller", "samt", "and", "or", "nor", "&", "/"])
# Bullet glyphs from symbol fonts land in the Private Use Area (Word's Symbol/Wingdings bullets).
PUA_BULLETS = {
    "\uf0b7": "•",
    "\uf0a7": "▪",
    "\uf076": "❖",
    "\uf0d8": "➢",
    "\uf0fc": "✓",
    "\uf0a8": "◦",
    "\uf02d": "–",
    "\uf0be": "—",
}
ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
# Compatibility decompositions that only change how a character looks, never what it means;
# <super>, <sub>, <fraction> and <circle> are left alone (m², ½ and ① keep their meaning).
SAFE_COMPAT = ("<compat>", "<noBreak>", "<wide>", "<narrow>", "<font>", "<small>", "<vertical>")
# line breaks are spaces too: a line of a web page's source or a Word line break ends a word
ODD_SPACES = frozenset(
    "\t\n\r\x0b\x0c\x85\u2028\u2029\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
# characters that need a look: controls, odd spaces, format and private-use characters, and
# compatibility forms; plain Latin letters, punctuation, dashes and quotes pass straight through
ODD = re.compile(r"[^\x20-\x7e\u00a1-\u00ac\u00ae-\u024f\u2012-\u2027\u2030-\u205e\u20ac]")
# U+2010 HYPHEN and U+2011 NON-BREAKING HYPHEN mean what '-' means; as '-' a line-end hyphen
# joins like any other and a compound is found by a search typed with the keyboard's hyphen
HYPHENS = {"\u2010": "-", "\u2011": "-"}
UNMAPPED = "\ufffd"  # a glyph without a Unicode mapping (pdfminer's "(cid:N)")
# A ligature is one glyph for several letters (its letters → its character), and the glyph fonts
# most often leave without a character.
LIGATURES = {"ffi": "\ufb03", "ffl": "\ufb04", "ff": "\ufb00", "fi": "\ufb01", "fl": "\ufb02"}
WORD = re.compile(r"[^\W_][\w'’.-]*[^\W_]|[^\W_]", re.UNICODE)


def without_character(char: str) -> bool:
    """Whether a glyph's text is no character but stands for one: U+FFFD, a control code, or a
    private-use code (a font without a map numbering its glyphs) other than a symbol font's
    bullets."""
    if char == UNMAPPED:
        return True
    if len(char) != 1 or char.isspace():
        return False
    category = unicodedata.category(char)
    return category == "Cc" or (category == "Co" and char not in PUA_BULLETS)


@lru_cache(maxsize=4096)
def normalize_char(char: str) -> str:
    """One character as clean text: ligatures split, odd spaces to ' ', invisible ones dropped."""
    if char in PUA_BULLETS:
        return PUA_BULLETS[char]
    if char in HYPHENS:
        return HYPHENS[char]
    if char in ZERO_WIDTH or char == UNMAPPED:
        return ""
    if char in ODD_SPACES:
        return " "
    category = unicodedata.category(char)
    if category in ("Cc", "Cf", "Co", "Cs", "Cn"):
        return ""
    decomposition = unicodedata.decomposition(char)
    if decomposition.startswith(SAFE_COMPAT):
        return unicodedata.normalize("NFKC", char)
    return char


# UTF-8 read back as Windows-1252 ("mojibake": "Ã¸" for "ø", "Ã¥" for "å", "â€“" for "–"), as a
# page saved or converted with the wrong encoding prints it: a UTF-8 lead byte's character
# followed by as many continuation bytes' characters as it announces
_CONTINUATION = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc" + (
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
MOJIBAKE = re.compile(
    f"[\u00c2-\u00df][{_CONTINUATION}]|[\u00e0-\u00ef][{_CONTINUATION}]{{2}}"
    f"|[\u00f0-\u00f4][{_CONTINUATION}]{{3}}"
)
_LEADS = frozenset(chr(c) for c in range(0xC2, 0xF5))


def repair_mojibake(text: str) -> str:
    """Text whose UTF-8 was read as Windows-1252 read right again ("Ã¸nsker" → "ønsker"); a
    sequence is repaired only where it decodes to a letter, a sign or punctuation of the Latin
    scripts, so genuine accented text stays as it is."""
    if text.isascii() or _LEADS.isdisjoint(text):
        return text
    return MOJIBAKE.sub(_redecoded, text)


def _redecoded(match: re.Match[str]) -> str:
    seen = match.group()
    try:
        raw = b"".join(c.encode("cp1252") if ord(c) > 0xFF else c.encode("latin-1") for c in seen)
        char = raw.decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return seen
    latin = 0x80 <= ord(char) <= 0x24F or 0x2000 <= ord(char) <= 0x206F
    return char if latin or char in "€™" else seen


def normalize_text(text: str, keep_soft_hyphens: bool = False) -> str:
    """NFC, mojibake repaired, safe compatibility forms (NFKC where it keeps meaning), odd
    spaces squeezed."""
    text = unicodedata.normalize("NFC", repair_mojibake(text))
    if not text.isascii() and ODD.search(text):
        text = "".join(
            c if keep_soft_hyphens and c == SOFT_HYPHEN else normalize_char(c) for c in text
        )
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """Lower-cased words of a text, as the hyphenation vocabulary and fidelity checks count them."""
    return [w.lower() for w in WORD.findall(text)]


def join_lines(lines: Sequence[str], vocabulary: set[str] | frozenset[str] = frozenset()) -> str:
    """Join the lines of one paragraph, undoing end-of-line hyphenation but keeping real hyphens."""
    text = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not text:
            text = line
        elif _continues_url(text, line):
            text += line
        elif text.endswith("-") and line.startswith("-") and line[1:2].isalpha():
            text += line[1:]  # a hyphen repeated on the next line: "Helse-" "-Viken"
        elif text.endswith(SOFT_HYPHEN):
            text = text[:-1] + line
        elif text.endswith("-") and len(text) > 1 and text[-2].isalpha():
            text = join_hyphenated(text, line, vocabulary)
        else:
            text = f"{text} {line}"
    return text.replace(SOFT_HYPHEN, "")


def _continues_url(text: str, line: str) -> bool:
    """A web address broken over two lines is one token: no space, and its hyphens are real."""
    last = text.rsplit(" ", 1)[-1]
    if "://" not in last and not last.startswith("www."):
        return False
    return last.endswith(("/", "-", ".", "_", "=", "&", "?", "#")) or line.startswith(
        (".", "/", "-", "_", "=", "&", "?", "#")
    )


def join_hyphenated(left: str, right: str, vocabulary: set[str] | frozenset[str]) -> str:
    """Join 'helse-' + 'sektoren …' → 'helsesektoren …', but 'helse-' + 'og …' → 'helse- og …'."""
    prefix = left[:-1].rsplit(" ", 1)[-1]
    first = right.split(" ", 1)[0]
    head = re.sub(r"\W+$", "", first)
    stem = prefix.lstrip("(«\"'“")
    joined = (stem + head).lower()
    hyphened = f"{stem}-{head}".lower()
    if head and joined in vocabulary and hyphened not in vocabulary:
        return left[:-1] + right  # the whole word is used elsewhere: "Dram-" + "men"
    if not head or first.lower() in CONNECTIVES or head.lower() in CONNECTIVES:
        return f"{left} {right}"
    part = stem.rsplit("-", 1)[-1]  # "FoU-pro-" + "sjekter": judge the last part only
    if not head[0].islower() or not part.isalpha() or part.isupper() or hyphened in vocabulary:
        # Nord-Norge, covid-19, IKT-løsninger: the hyphen belongs to the word
        return left + right
    return left[:-1] + right


def vocabulary_of(texts: Iterable[str]) -> set[str]:
    """All lower-cased words of a document, for deciding whether a line-end hyphen is real."""
    vocab: set[str] = set()
    for text in texts:
        vocab.update(words(text))
    return vocab


def runs_on(first: str, second: str) -> bool:
    """Whether `second` goes on with a sentence `first` left open: `first` ends without closing
    punctuation and `second` opens with a plain lower-case word (no name, address or code)."""
    open_end = first[-1:].isalpha() or first.endswith(",")
    word = _PLAIN_WORD.match(second)
    return open_end and word is not None and word.group(1).islower()


_PLAIN_WORD = re.compile(r"([^\W\d_]+)[ ,]")
