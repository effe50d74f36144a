"""Slide decks: the two seed reports as .pptx decks, and saved by LibreOffice as .odp and .ppt.

Each seed report becomes a deck as a presenter would make one (python-pptx): a title slide; per
numbered heading a slide titled by it, the section's sentences as bullets, six to a slide (more
go on a continuation slide, "… (forts.)"), each section's last sentence in the speaker notes;
every slide carries the same footer line in a text box, as decks typed by hand do. Where
LibreOffice Impress is installed the deck is also saved as .odp and .ppt (another program's
writing of the same slides: its own placeholders, bullets and notes pages). Every file is read
as ingest reads it (`parse_pptx`; `parse_converted` for the other two, conversion included) and
compared with what was put in the deck: word recall and precision (multiset), the share of
sentences found on their own slide, in their section (the slide's title; "… (forts.)" in "…")
and of their kind (bullet "list",
note "box"), footer lines left in the text, and seconds per file (median of --repeat runs); the
same report as a Word file (`bench_converted.seed_docx`) is read beside it for scale.

    .venv/bin/python benchmarks/bench_slides.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.util import Inches

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_converted import HEADING, SEEDS, saved_as, seed_docx

from policyminer.parse.converted import office_reads, parse_converted
from policyminer.parse.slides import parse_pptx
from policyminer.parse.word import parse_docx

WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ0-9«])")
PER_SLIDE = 6
FOOTER = "Seedrapport | policyminer"
TITLE_SLIDE, TITLE_AND_CONTENT = 0, 1


@dataclass(frozen=True)
class Placed:
    slide: int
    title: str  # the section it stands in: its slide's title, a continuation's mark left off
    kind: str  # list | box
    text: str


def seed_sections(seed: Path) -> list[tuple[str, list[str]]]:
    """The seed's (heading, sentences) sections, headings as bench_converted reads them."""
    lines = seed.read_text(encoding="utf-8").splitlines()
    sections: list[tuple[str, list[str]]] = []
    block: list[str] = []
    for line in lines:
        heading = HEADING.match(line)
        if heading and len(line.strip()) < 90 and not line.strip().endswith("."):
            sections.append((" ".join(line.split()), []))
        elif line.strip() and sections:
            block = sections[-1][1]
            block.append(line.strip())
    return [(head, SENTENCE_END.split(" ".join(" ".join(body).split()))) for head, body in sections]


def seed_deck(seed: Path, out: Path) -> tuple[Path, list[Placed]]:
    """The seed as a deck, and where each sentence was put."""
    deck = Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[TITLE_SLIDE])
    first.shapes.title.text = f"Seedrapport {seed.stem}"
    placed: list[Placed] = []
    for heading, sentences in seed_sections(seed):
        sentences = [s for s in sentences if s]
        if not sentences:
            continue
        shown, noted = (sentences[:-1], sentences[-1]) if len(sentences) > 1 else (sentences, "")
        for start in range(0, max(len(shown), 1), PER_SLIDE):
            slide = deck.slides.add_slide(deck.slide_layouts[TITLE_AND_CONTENT])
            number = len(deck.slides)
            name = heading if start == 0 else f"{heading} (forts.)"
            slide.shapes.title.text = name
            frame = slide.placeholders[1].text_frame
            for i, sentence in enumerate(shown[start : start + PER_SLIDE]):
                paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
                paragraph.text = sentence
                placed.append(Placed(number, heading, "list", sentence))
            if noted and start + PER_SLIDE >= len(shown):
                slide.notes_slide.notes_text_frame.text = noted
                placed.append(Placed(number, heading, "box", noted))
    for slide in deck.slides:
        box = slide.shapes.add_textbox(Inches(0.3), Inches(7.0), Inches(5), Inches(0.4))
        box.text_frame.text = FOOTER
    deck.save(str(out))
    return out, placed


def words(texts: list[str]) -> Counter:
    return Counter(w.lower() for t in texts for w in WORD.findall(t))


def timed(read, path: Path, repeat: int) -> tuple[float, object]:
    times, doc = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        doc = read(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times), doc


def measure(doc, placed: list[Placed]) -> dict[str, float]:
    """What the reading kept of the sentences put in the deck."""
    texts = [p.text for p in doc.paragraphs if p.kind != "heading"]
    found, truth = words(texts), words([p.text for p in placed])
    read = {(p.page, p.text): p for p in doc.paragraphs}
    pairs = [(read.get((p.slide, p.text)), p) for p in placed]
    return {
        "recall": sum((found & truth).values()) / max(sum(truth.values()), 1),
        "precision": sum((found & truth).values()) / max(sum(found.values()), 1),
        "slide": sum(r is not None for r, _ in pairs) / len(placed),
        "title": sum(r is not None and r.section == p.title for r, p in pairs) / len(placed),
        "kind": sum(r is not None and r.kind == p.kind for r, p in pairs) / len(placed),
        "footer": sum(FOOTER in t for t in texts),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'seed':22} {'format':6} {'slides':>6} {'recall':>7} {'prec':>6} {'slide':>6} "
        f"{'title':>6} {'kind':>6} {'footer':>6} {'s/file':>7} {'docx s':>7}"
    )
    formats = [".odp", ".ppt"] if office_reads(".odp") else []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for seed in sorted(SEEDS.glob("*.txt")):
            deck, placed = seed_deck(seed, folder / f"{seed.stem}.pptx")
            docx_seconds, _ = timed(parse_docx, seed_docx(seed, folder / "s.docx"), args.repeat)
            files = [deck, *(saved_as(deck, suffix, folder) for suffix in formats)]
            for path in files:
                read = parse_pptx if path.suffix == ".pptx" else parse_converted
                seconds, doc = timed(read, path, args.repeat)
                m = measure(doc, placed)
                print(
                    f"{seed.stem[:22]:22} {path.suffix[1:]:6} {doc.page_count:6d} "
                    f"{m['recall']:7.4f} {m['precision']:6.4f} {m['slide']:6.3f} "
                    f"{m['title']:6.3f} {m['kind']:6.3f} {m['footer']:6d} {seconds:7.3f} "
                    f"{docx_seconds:7.3f}"
                )
    if not formats:
        print("(LibreOffice Impress is not installed: .odp and .ppt left out)")
    print(
        "recall, prec: words (multiset) of the text read (headings aside) against the sentences "
        "put in the deck;\nslide: share of sentences read whole on their own slide; title: … "
        "in their slide's section (its title; a continuation's mark left off);\nkind: … as a "
        "bullet (list) or a note (box); footer: footer lines left in the text;\ns/file: median "
        "of --repeat reads (LibreOffice's conversion included for .odp, .ppt); docx s: the same "
        "report as a Word file read, seconds."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
