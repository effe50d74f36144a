"""Render the seed reports with other tools than the corpus's: Chromium or LibreOffice.

    .venv/bin/python benchmarks/render_other_tool.py --out DIR [--tool chromium|libreoffice|
        docx|html|scan|miscoded|lostletters|outlined]

The corpus PDFs are set with reportlab (`scripts/render_corpus.py`); users bring PDFs made by
other tools. This writes the same two reports from one HTML page each (headings, paragraphs,
lists, tables, the notes gathered at the end) in the other tool's fonts, line breaking and page
breaks: as a browser prints a saved web page (`chromium`: ragged text, the browser's header with
date and title and its footer with the file address and "n/N" on every page), or as a word
processor exports it (`libreoffice`: Writer's PDF export, `make` installs no LibreOffice; apt
package libreoffice-writer-nogui). `--tool docx` saves the page as a Word file through
LibreOffice, `--tool html` keeps the page itself (the other formats policy staff get: ingest
reads them without a PDF in between). `--tool scan` instead turns the shipped corpus PDFs into
scans (each page a 200 dpi grey picture, no text layer), which ingest reads by OCR; `--tool
miscoded` flows the reports' text over plain pages in a font whose Unicode map lies (it prints
right and extracts as other letters), which ingest finds out and reads by OCR; `--tool
lostletters` in a font whose map lacks æ, ø and å (they extract as no character: "h�ring"),
whose gaps ingest reads back by OCR; `--tool outlined` flows it as shapes (text converted to
outlines), which ingest reads by OCR too. Run `bench_answer.py --docs DIR` over them to see how
much of the answer quality is the renderer's (or the format's).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from html import escape
from pathlib import Path

# seedtext (the seeds' ground truth) lives with the tests that check the corpus against it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from messydocs import miscoded_font_pdf, outlined_text_pdf
from seedtext import SEEDS, Block, SeedDoc, load_seed

REPO = Path(__file__).resolve().parents[1]

STYLE = """
@page { size: A4; margin: 2cm 2.4cm; }
body { font-family: 'DejaVu Serif', serif; font-size: 10.5pt; line-height: 1.35; }
h1 { font-size: 20pt; } h2 { font-size: 15pt; } h3 { font-size: 12.5pt; } h4 { font-size: 11pt; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 9pt; }
td, th { border: 1px solid #888; padding: 2px 5px; vertical-align: top; }
.caption { font-style: italic; font-size: 9pt; }
.notes { font-size: 8.5pt; border-top: 1px solid #888; margin-top: 2em; }
"""


def _text(block: Block) -> str:
    """The block's text with its footnote markers as superscripts."""
    out, at = [], 0
    for note in sorted(block.notes, key=lambda n: n.offset):
        out.append(escape(block.text[at : note.offset]))
        out.append(f"<sup>{escape(note.label)}</sup>")
        at = note.offset
    out.append(escape(block.text[at:]))
    return "".join(out)


def _block_html(block: Block) -> str:
    if block.kind == "heading":
        level = min(block.level + 1, 4)
        number = f"{escape(block.number)} " if block.number else ""
        return f"<h{level}>{number}{_text(block)}</h{level}>"
    if block.kind == "bullet":
        label = "• " if block.label in ("", "•") else f"{escape(block.label)} "
        indent = 1.2 * (block.depth + 1)
        return f'<p style="margin-left:{indent}em">{label}{_text(block)}</p>'
    if block.kind == "table":
        head, *rows = block.rows or ((),)
        cells = "".join(f"<th>{escape(c)}</th>" for c in head)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows
        )
        return f"<table><tr>{cells}</tr>{body}</table>"
    if block.kind == "caption":
        return f'<p class="caption">{_text(block)}</p>'
    return f"<p>{_text(block)}</p>"


def report_html(doc: SeedDoc) -> str:
    """The report as one HTML page: title, body blocks, then its notes."""
    notes = "".join(
        f"<p><sup>{escape(label)}</sup> {escape(text)}</p>" for label, text in doc.footnotes.items()
    )
    body = "\n".join(_block_html(b) for b in doc.blocks)
    return (
        f'<!doctype html><html lang="nb"><head><meta charset="utf-8">'
        f"<title>{escape(doc.title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(doc.title)}</h1><p>{escape(doc.subtitle)}</p>"
        f"<p>{escape(doc.publisher)}, {doc.year}</p>\n{body}\n"
        f'<div class="notes">{notes}</div></body></html>'
    )


def print_pdf(html: Path, pdf: Path) -> None:
    """Chromium's print of the page, with the browser's own header and footer."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("chromium not found: make browser")
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


def _libreoffice(html: Path, target: Path, convert_to: str) -> None:
    """LibreOffice Writer's conversion of the page (`--convert-to` filter), moved to `target`."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise SystemExit("LibreOffice not found: apt-get install libreoffice-writer-nogui")
    subprocess.run(
        [office, "--headless", "--convert-to", convert_to, "--outdir", str(html.parent), str(html)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    shutil.move(html.with_suffix(target.suffix), target)


def export_pdf(html: Path, pdf: Path) -> None:
    """LibreOffice Writer's PDF export of the page."""
    _libreoffice(html, pdf, "pdf")


def save_docx(html: Path, docx: Path) -> None:
    """LibreOffice Writer's Word (.docx) file of the page: headings as heading styles, lists,
    tables, the notes as paragraphs at the end."""
    _libreoffice(html, docx, "docx:MS Word 2007 XML")


def save_html(html: Path, page: Path) -> None:
    """The page itself, as a report published as a web page is saved from the browser."""
    shutil.copyfile(html, page)


# tool → (what it makes of the HTML page, the file's suffix)
TOOLS = {
    "chromium": (print_pdf, ".pdf"),
    "libreoffice": (export_pdf, ".pdf"),
    "docx": (save_docx, ".docx"),
    "html": (save_html, ".html"),
}
SCAN_DPI = 200
WORDS_PER_PAGE = 330  # what fits an A4 page at 12 pt in `miscoded_font_pdf`


def miscoded_pdf(seed: SeedDoc, pdf: Path) -> None:
    """The report's text flowed over plain pages in a font whose Unicode map shifts each letter
    three on: it prints right and extracts as nonsense (ingest checks such a layer by OCR)."""
    miscoded_font_pdf(pdf, _flowed(seed))


def lost_letters_pdf(seed: SeedDoc, pdf: Path) -> None:
    """The report's text flowed over plain pages in a font whose Unicode map lacks æ, ø and å:
    every other letter extracts right, those as no character (ingest reads the gaps by OCR)."""
    miscoded_font_pdf(pdf, _flowed(seed), only="æøåÆØÅ")


def outlined_pdf(seed: SeedDoc, pdf: Path) -> None:
    """The report's text flowed over plain pages as shapes (text converted to outlines): no
    text layer, no image (ingest reads such pages by OCR)."""
    outlined_text_pdf(pdf, _flowed(seed))


def _flowed(seed: SeedDoc) -> list[str]:
    """The report's words, WORDS_PER_PAGE to a page."""
    words = " ".join(block.text for block in seed.blocks).split()
    return [
        " ".join(words[start : start + WORDS_PER_PAGE])
        for start in range(0, len(words), WORDS_PER_PAGE)
    ]


def scan_pdf(source: Path, pdf: Path, dpi: int = SCAN_DPI) -> None:
    """Every page of a PDF as a grey picture of itself, the page's size kept: a scan with no
    text layer, which ingest reads by OCR."""
    import pypdfium2 as pdfium
    from reportlab.pdfgen import canvas

    document = pdfium.PdfDocument(str(source))
    out = canvas.Canvas(str(pdf), invariant=1)
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            png = Path(tmp) / f"{index}.png"
            page.render(scale=dpi / 72).to_pil().convert("L").save(png)
            page.close()
            out.setPageSize((width, height))
            out.drawImage(str(png), 0, 0, width=width, height=height)
            out.showPage()
        out.save()
    document.close()


FLOWED = {"miscoded": miscoded_pdf, "lostletters": lost_letters_pdf, "outlined": outlined_pdf}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    parser.add_argument(
        "--tool", choices=[*sorted(TOOLS), "scan", *sorted(FLOWED)], default="chromium"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.tool == "scan":  # the shipped corpus PDFs, scanned
        for meta in SEEDS.values():
            scan_pdf(REPO / "corpus" / meta.pdf_name, args.out / meta.pdf_name)
            print(args.out / meta.pdf_name)
        return
    if args.tool in FLOWED:  # the seeds' text, flowed over plain pages
        for name, meta in SEEDS.items():
            FLOWED[args.tool](load_seed(args.seeds / name), args.out / meta.pdf_name)
            print(args.out / meta.pdf_name)
        return
    make, suffix = TOOLS[args.tool]
    with tempfile.TemporaryDirectory() as tmp:
        for name, meta in SEEDS.items():
            html = Path(tmp) / meta.pdf_name.replace(".pdf", ".html")
            html.write_text(report_html(load_seed(args.seeds / name)), encoding="utf-8")
            made = args.out / Path(meta.pdf_name).with_suffix(suffix).name
            make(html, made)
            print(made)


if __name__ == "__main__":
    main()
