"""Letters a font has no character for, read back by OCR: any document's text, any font.

    .venv/bin/python benchmarks/bench_lost_letters.py --pdf PDF [--font TTF ...] [--pages 12]
        [--ligatures] [--private]

The body text of PDF (as the parser reads it) is flowed over plain pages, 330 words a page, in
each font given, with a Unicode map that lacks æ, ø and å (`tests/messydocs.miscoded_font_pdf`),
and parsed again. Printed per font: the parser's warning (letters lost inside words and read
back), the words holding æ, ø or å found as written (a lone "å" stays a gap by design), and the
parse time. The mechanism was built on the seed reports in DejaVu Sans; other documents and
fonts are held out for it. `--ligatures` sets "ff", "fi", "fl", "ffi", "ffl" as ligatures, as a
typesetter does, and the map lacks those instead (the glyphs fonts most often leave unmapped).
`--private` gives each lost letter a private-use code of its own instead of U+FFFD (a font
without a map that numbers its glyphs); the words then teach the codes, the lone "å" included,
and a page whose codes are all learnt is not read by OCR (the pages that were are printed).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import messydocs  # noqa: E402

from policyminer.parse import lostletters  # noqa: E402
from policyminer.parse.pdf import parse_pdf  # noqa: E402
from policyminer.parse.textclean import LIGATURES  # noqa: E402
from policyminer.records import ParseOptions  # noqa: E402

FONTS = Path("/usr/share/fonts/truetype")
WORDS_PER_PAGE = 330
LOST = "æøåÆØÅ"
_LIGATURE = re.compile("|".join(sorted(LIGATURES, key=len, reverse=True)))  # "ffi" before "ff"


def flowed_pages(pdf: Path, pages: int) -> list[str]:
    """The document's body text, WORDS_PER_PAGE words to a page, at most `pages` pages."""
    parsed = parse_pdf(pdf, options=ParseOptions(ocr=False))
    words = " ".join(p.text for p in parsed.paragraphs if p.kind == "body").split()
    return [" ".join(words[i : i + WORDS_PER_PAGE]) for i in range(0, len(words), WORDS_PER_PAGE)][
        :pages
    ]


def measure(
    pages: list[str], font: Path, folder: Path, ligatures: bool = False, private: bool = False
) -> str:
    lost = "".join(LIGATURES.values()) if ligatures else LOST
    set_in = (
        [_LIGATURE.sub(lambda m: LIGATURES[m.group(0)], p) for p in pages] if ligatures else pages
    )
    made = messydocs.miscoded_font_pdf(
        folder / f"{font.stem}.pdf", set_in, only=lost, font=font, private=private
    )
    rendered = []
    render = lostletters.render_page
    lostletters.render_page = lambda path, number, dpi: (
        rendered.append(number) or render(path, number, dpi)
    )
    start = time.perf_counter()
    try:
        doc = parse_pdf(made)
    finally:
        lostletters.render_page = render
    seconds = time.perf_counter() - start
    asked = _LIGATURE.pattern if ligatures else f"[{LOST}]"
    wanted = [w for w in " ".join(pages).split() if re.search(asked, w)]
    found = set(" ".join(p.text for p in doc.paragraphs).split())
    alone = sum(w.strip(".,;:") in ("å", "Å") for w in wanted)
    what = "ff/fi/fl" if ligatures else "æ/ø/å"
    return (
        f"{font.stem}: {' | '.join(doc.warnings) or 'no warning'}; words with {what} as written "
        f"{sum(w in found for w in wanted)} of {len(wanted)} ({alone} are a lone 'å'); "
        f"parse {seconds:.1f} s for {len(pages)} pages, {len(rendered)} of them read by OCR"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", type=Path, required=True)
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument(
        "--font",
        type=Path,
        nargs="+",
        default=[
            FONTS / "dejavu" / "DejaVuSans.ttf",
            FONTS / "liberation" / "LiberationSerif-Regular.ttf",
            FONTS / "liberation" / "LiberationSans-Regular.ttf",
            FONTS / "dejavu" / "DejaVuSerifCondensed.ttf",
        ],
    )
    parser.add_argument("--ligatures", action="store_true")
    parser.add_argument("--private", action="store_true", help="a private-use code per letter")
    args = parser.parse_args()
    pages = flowed_pages(args.pdf, args.pages)
    with tempfile.TemporaryDirectory() as tmp:
        for font in args.font:
            print(measure(pages, font, Path(tmp), args.ligatures, args.private), flush=True)


if __name__ == "__main__":
    main()
