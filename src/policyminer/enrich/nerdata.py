"""Read NorNE-style CoNLL-U files (names in the MISC column as ``name=B-ORG``) into spaCy Docs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc
from spacy.training import biluo_tags_to_spans, iob_to_biluo
from spacy.vocab import Vocab

from policyminer.errors import UsageError


class ConlluError(UsageError, ValueError):
    """A CoNLL-U file that cannot be read as NorNE-style annotations."""


@dataclass
class Sentence:
    """One annotated sentence: tokens, whether each is followed by a space, and IOB tags."""

    words: list[str] = field(default_factory=list)
    spaces: list[bool] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def read_sentences(path: Path) -> Iterator[Sentence]:
    """Yield the sentences of a CoNLL-U file; raises ConlluError naming the file and line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConlluError(f"{path}: cannot read ({exc})") from exc
    sent = Sentence()
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            if sent.words:
                sent.spaces[-1] = False
                yield sent
            sent = Sentence()
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise ConlluError(f"{path}:{lineno}: expected 10 columns, got {len(cols)}")
        # multi-word token ranges ("1-2") and empty nodes ("1.1") are not surface tokens
        if "-" in cols[0] or "." in cols[0]:
            continue
        misc = dict(
            item.split("=", 1) if "=" in item else (item, "") for item in cols[9].split("|")
        )
        tag = misc.get("name", "O")
        if tag != "O" and not (tag[:2] in ("B-", "I-") and len(tag) > 2):
            raise ConlluError(f"{path}:{lineno}: bad name tag {tag!r} (want O, B-X or I-X)")
        sent.words.append(cols[1])
        sent.spaces.append(misc.get("SpaceAfter") != "No")
        sent.tags.append(tag)
    if sent.words:
        sent.spaces[-1] = False
        yield sent


def sentence_doc(vocab: Vocab, sent: Sentence) -> Doc:
    """Turn one sentence into a Doc with its gold entities set."""
    doc = Doc(vocab, words=sent.words, spaces=sent.spaces)
    doc.ents = biluo_tags_to_spans(doc, iob_to_biluo(repair_iob(sent.tags)))
    return doc


def repair_iob(tags: list[str]) -> list[str]:
    """Make an I- tag that continues no entity of its type a B- tag (rare annotation slips)."""
    fixed: list[str] = []
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        fixed.append(tag)
        prev = tag
    return fixed


# NorNE's train file keeps its sentences in document order but carries no document ids, so
# contiguous blocks stand in for documents: a held-out block shares few names with its
# neighbours, which a sentence-level random split would leak into training.
HOLDOUT_BLOCK = 100
HOLDOUT_EVERY = 10


def is_held_out(index: int, block: int = HOLDOUT_BLOCK, every: int = HOLDOUT_EVERY) -> bool:
    """Whether sentence ``index`` of a file falls in the untouched split (every n-th block)."""
    return (index // block) % every == every - 1


def split_untouched(sentences: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """Split a file's sentences into (trainable, untouched) by contiguous blocks."""
    kept = [s for i, s in enumerate(sentences) if not is_held_out(i)]
    held = [s for i, s in enumerate(sentences) if is_held_out(i)]
    return kept, held
