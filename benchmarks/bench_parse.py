"""PDF parse speed and fidelity per backend on the shipped corpus, side by side.

For each corpus PDF and each backend (pdfium, pdfplumber) it prints pages/s (median of --repeat
runs, whole parse: extraction + layout) and, against the seed's clean body text
(tests/seedtext.clean_body_text): word recall of body text (multiset, lower-cased words of
headings, paragraphs and list items), reading order (share of seed blocks found in sequence),
recall of table cells and footnotes, and words of the running header, footer and page numbers
that leaked into body paragraphs.

    .venv/bin/python benchmarks/bench_parse.py [--repeat 3]

With --real it measures instead every PDF in ../shared/realpdfs and corpus/ against poppler's
`pdftotext` as the reference: word recall and precision (multiset, lower-cased words of all
paragraphs), recall against the reference less its furniture ("rec-nf": repeated top and bottom
lines, page numbers, and lines repeated on 30 % of the pages, which the parser drops on
purpose), "pairs" (share of the parser's adjacent word pairs found on the same reference page:
low where columns are read across or interleaved), pages read plain after a layout failure,
running header/footer lines leaked into body text (lines at the top or bottom of pdftotext's
pages whose text, numbers masked, repeats on 3+ pages), and pages/s; and for OCR, a few
rasterised pages per document (pypdfium2, 200 dpi) read by tesseract: word recall and precision
against the page's own text layer, wall and CPU seconds per page (tesseract included). By
default the rendered pages are parsed as ingest parses a scan (an image-only PDF through
`parse_pdf`); `--ocr-path raw` reads the render with `ocr_image` directly, as earlier sessions
measured. The reference drops Word's letter bullets (a line opening with a lone "o"), which
pdftotext reads as words, and is composed (NFC) as the parser's text is: pdftotext passes on
a letter spelled decomposed ("a" and a combining ring) as it is; powers ("m²") are compared as
digits ("m2"), as pdftotext spells a raised one. Three more columns say how
much of the gap is the reference's: "prec-j" and "rec-j" forgive word-break disagreements (2–4
adjacent words of one side that, joined, spell a word of the other: pdftotext glues table
cells and thin-spaced numbers), and "pairs-l" also accepts pairs of pdftotext's `-layout`
reading (a table read row by row). The output ends with a legend of the columns.

    .venv/bin/python benchmarks/bench_parse.py --real [--ocr-pages 2] [--ocr-path raw]
"""

from __future__ import annotations

import argparse
import itertools
import re
import resource
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# pdftotext spells a raised power as a plain digit ("m2") where the parser keeps it ("m²"): both
# sides are compared with powers as digits
POWERS_AS_DIGITS = str.maketrans({"²": "2", "³": "3"})
SEEDS = REPO.parent / "shared" / "seeds"
sys.path.insert(0, str(REPO / "tests"))  # seedtext: the seeds' ground truth

from seedtext import SEEDS as SEED_META  # noqa: E402
from seedtext import clean_body_text, load_seed  # noqa: E402

from policyminer.parse.furniture import margin_key  # noqa: E402
from policyminer.parse.ocr import ocr_image  # noqa: E402
from policyminer.parse.pdf import BACKENDS, ParseError, parse_pdf  # noqa: E402
from policyminer.parse.textclean import words  # noqa: E402
from policyminer.parse.webpage import parse_html  # noqa: E402
from policyminer.parse.word import parse_docx  # noqa: E402

NORWEGIAN_LETTERS = frozenset("æøå")
from policyminer.records import ParsedDocument  # noqa: E402

BODY_KINDS = ("body", "heading", "list")
LEGEND = """\
recall, prec: words (multiset, lower-cased) of all paragraphs against pdftotext's, all pages.
rec-nf: recall against pdftotext less its furniture (repeated top/bottom lines, page numbers,
  lines on 30 % of the pages): the running headers, footers and letter-spaced furniture the
  parser drops on purpose, so recall cannot reach 1 where a document has them.
pairs: share of the parser's adjacent word pairs found on the same pdftotext page (plain mode).
prec-j, rec-j: precision, and recall less furniture, page by page, forgiving word-break
  disagreements: 2-4 adjacent words of one side that, joined, spell a word of the other
  (pdftotext glues table cells, thin-spaced numbers and words it sets too close).
pairs-l: as pairs, counting a pair found in either plain or -layout mode (rows of a table read
  across count as well as columns read down).
ocr rec-j: OCR word recall on the sample pages forgiving the same word-break disagreements as
  rec-j (the text layer pdftotext reads glues spreadsheet cells that OCR reads apart).
refs, linked: raised footnote references kept with their paragraphs, and those linked to the
  text of the note they call.
ocr æøå: OCR recall of the sample pages' words that hold æ, ø or å (a model without those letters
  reads such words as look-alikes that a search does not find).
ocr rec-nf: OCR word recall on the sample pages against their text layer less its furniture
  (as rec-nf): a scan's running header, footer and page numbers are dropped as a text layer's.
ocr rec-jnf: both at once, OCR word recall against the text layer less its furniture, forgiving
  its word-break disagreements (each of the two columns leaves the other's gap in)."""
# a line opening with a lone "o": Word's second-level bullet, which pdftotext reads as a word
LETTER_BULLET = re.compile(r"(?m)^([ \t]*)o[ \t]+(?=\S)")
# What the corpus renderer prints in the margins (scripts/render_corpus.py LOOKS)
MARGINS = {
    "000_4835574da3d7928c.txt": ("Veikart for verdiskaping i Trondheim kommune innen helse", ""),
    "003_dd8901a9cd81dfff.txt": (
        "Drammensregionen: helserelatert FoU, innovasjon og næringsutvikling",
        "Menon Economics",
    ),
}


def recall(truth: str, found: str) -> float:
    """Share of the true words (with multiplicity) that the parser recovered."""
    want, got = Counter(words(truth)), Counter(words(found))
    total = sum(want.values())
    return sum(min(n, got[w]) for w, n in want.items()) / total if total else 1.0


def in_order(truth_blocks: list[str], found: str) -> float:
    """Share of the true blocks whose opening words come after the previous block's."""
    position, count = 0, 0
    for block in truth_blocks:
        at = found.find(block[:40], position)
        if at >= 0:
            position, count = at, count + 1
    return count / len(truth_blocks)


def leaked_margin_words(doc: ParsedDocument, seed_name: str) -> int:
    """Words of running headers, footers and page numbers found in body paragraphs."""
    header, footer = MARGINS[seed_name]
    truth = clean_body_text(SEEDS / seed_name, tables=True, footnotes=True)
    leaked = 0
    body = [p for p in doc.paragraphs if p.kind in BODY_KINDS and p.page > 1]
    for phrase in (header, footer):
        if not phrase:
            continue
        extra = sum(p.text.count(phrase) for p in body) - truth.count(phrase)
        leaked += max(0, extra) * len(phrase.split())
    pages: dict[int, list[str]] = {}
    for p in body:
        pages.setdefault(p.page, []).append(p.text)
    for page, texts in pages.items():
        # a page number left in the text is a paragraph of its own or sticks to the first or
        # last paragraph of its page
        first, last = texts[0].split(), texts[-1].split()
        leaked += sum(1 for t in texts if t == str(page))
        leaked += first[0] == str(page) and texts[0] not in truth
        leaked += last[-1] == str(page) and texts[-1] not in truth
    return leaked


# the reports in the other formats ingest reads (render_other_tool.py --tool docx|html):
# one reader each, in place of the two PDF backends
FORMATS = {"docx": parse_docx, "html": parse_html}


def measure(pdf: Path, seed_name: str, backend: str, repeat: int) -> dict[str, float]:
    times, cpu_times = [], []
    doc = None
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        doc = FORMATS[backend](pdf) if backend in FORMATS else parse_pdf(pdf, backend=backend)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    assert doc is not None
    seed = SEEDS / seed_name
    body = "\n".join(p.text for p in doc.paragraphs if p.kind in BODY_KINDS)
    cells = "\n".join(p.text for p in doc.paragraphs if p.kind == "table")
    notes = "\n".join(p.text for p in doc.paragraphs if p.kind == "footnote")
    seed_doc = load_seed(seed)
    table_truth = "\n".join(
        " ".join(row) for b in seed_doc.blocks if b.kind == "table" for row in b.rows
    )
    seconds = statistics.median(times)
    cpu = statistics.median(cpu_times)
    return {
        "pages": doc.page_count,
        "seconds": seconds,
        "cpu": cpu,
        "pages_per_s": doc.page_count / seconds,
        "pages_per_cpu_s": doc.page_count / cpu,
        "body_recall": recall(clean_body_text(seed), body),
        "order": in_order(clean_body_text(seed).split("\n\n"), body),
        "table_recall": recall(table_truth, cells),
        "footnote_recall": recall("\n".join(seed_doc.footnotes.values()), notes),
        "leaked": leaked_margin_words(doc, seed_name),
        "paragraphs": len(doc.paragraphs),
    }


def pdftotext_pages(pdf: Path, layout: bool = False) -> list[str]:
    """The reference text of each page, as poppler's pdftotext reads it (its `-layout` mode,
    which keeps a table's rows on one line, when asked)."""
    import subprocess

    mode = ["-layout"] if layout else []
    done = subprocess.run(
        ["pdftotext", *mode, "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    # pdftotext passes on letters the PDF spells decomposed ("a" + combining ring for "å");
    # the parser composes them (NFC), and `words` would cut the decomposed ones in two
    pages = unicodedata.normalize("NFC", done.stdout).translate(POWERS_AS_DIGITS).split("\f")
    pages = pages[:-1] if pages and not pages[-1].strip() else pages
    return [LETTER_BULLET.sub("", page) for page in pages]


def precision(truth: str, found: str) -> float:
    """Share of the parser's words (with multiplicity) that the reference has."""
    return recall(found, truth)


def furniture_lines(pages: list[str]) -> set[str]:
    """Margin lines of the reference that repeat (numbers masked) on 3+ pages, 2+ words long."""
    seen: dict[str, set[int]] = {}
    texts: dict[str, set[str]] = {}
    for number, page in enumerate(pages):
        lines = [" ".join(ln.split()) for ln in page.splitlines() if ln.strip()]
        for line in lines[:2] + lines[-2:]:
            if len(line.split()) < 2:
                continue
            key = margin_key(line)
            seen.setdefault(key, set()).add(number)
            texts.setdefault(key, set()).add(line)
    return {t for key, found in seen.items() if len(found) >= 3 for t in texts[key]}


def without_furniture(pages: list[str]) -> list[str]:
    """The reference pages less their furniture: top and bottom two lines that repeat (numbers
    masked, spacing ignored) on 3+ pages, lone page numbers there, and lines of 2+ words that
    repeat on 30 % of the pages wherever pdftotext put them (it reads a footer mid-page)."""
    edges: dict[str, set[int]] = {}
    anywhere: dict[str, set[int]] = {}
    for number, page in enumerate(pages):
        lines = [ln for ln in page.splitlines() if ln.strip()]
        for line in lines[:2] + lines[-2:]:
            edges.setdefault(margin_key(line), set()).add(number)
        for line in lines:
            if len(line.split()) >= 2:
                anywhere.setdefault(margin_key(line), set()).add(number)
    common = max(3, 0.3 * len(pages))
    repeated = {key for key, found in edges.items() if len(found) >= 3}
    everywhere = {key for key, found in anywhere.items() if len(found) >= common}
    kept = []
    for page in pages:
        lines = [ln for ln in page.splitlines() if ln.strip()]
        edge = set(range(min(2, len(lines)))) | set(range(max(0, len(lines) - 2), len(lines)))
        kept.append(
            "\n".join(
                line
                for i, line in enumerate(lines)
                if (key := margin_key(line)) not in everywhere
                and (i not in edge or (key not in repeated and key != "#"))
            )
        )
    return kept


def pair_precision(
    reference: list[str], doc: ParsedDocument, also: list[str] | None = None
) -> float:
    """Share of the parser's adjacent word pairs that the reference page has too: text read
    across columns, or lines of two columns interleaved, make pairs no reader would see. With
    `also` (pdftotext's layout-mode pages) a pair found in either reading counts: plain mode
    reads a table column by column, layout mode row by row, and a reader may do either."""
    found: dict[int, list[str]] = {}
    for para in doc.paragraphs:
        found.setdefault(para.page, []).append(para.text)
    hits = total = 0
    for number, texts in found.items():
        truth = words(reference[number - 1]) if number <= len(reference) else []
        want = Counter(itertools.pairwise(truth))
        if also is not None and number <= len(also):
            want |= Counter(itertools.pairwise(words(also[number - 1])))
        got: Counter = Counter()
        for text in texts:
            parts = words(text)
            got.update(itertools.pairwise(parts))
        hits += sum((got & want).values())
        total += sum(got.values())
    return hits / total if total else 1.0


def joined_matches(found: list[str], truth: list[str]) -> tuple[int, int]:
    """(parser words matched, reference words matched) on one page, where a word also matches
    when 2–4 adjacent words of the other side, joined (hyphens dropped), spell it: pdftotext
    glues words the page shows apart (words set close, "Nord og Sør" → "nordog sør"; table
    cells "12,5" and "3,75" → "12,53,75"; thin-spaced "12 345" → "12345") and the parser
    keeps them apart, and the other way round."""
    got, want = Counter(found), Counter(truth)
    extra, missing = got - want, want - got
    matched_found = matched_truth = sum((got & want).values())
    split = _join_runs(found, extra, missing)  # the parser split what the reference glued
    glued = _join_runs(truth, missing, extra)  # the reference split what the parser glued
    return matched_found + split[0] + glued[1], matched_truth + split[1] + glued[0]


def _join_runs(sequence: list[str], spare: Counter, wanted: Counter) -> tuple[int, int]:
    """Runs of 2–4 adjacent words of `sequence` still in `spare` whose joined spelling is a word
    still in `wanted`; both counters are used up. (words of the runs, words matched)."""
    by_key: dict[str, list[str]] = {}
    for word in wanted:
        by_key.setdefault(word.replace("-", ""), []).append(word)
    parts_used = matched = i = 0
    while i < len(sequence):
        for k in (4, 3, 2):
            parts = sequence[i : i + k]
            need = Counter(parts)
            if len(parts) < k or any(spare[w] < n for w, n in need.items()):
                continue
            joined = "".join(w.replace("-", "") for w in parts)
            target = next((w for w in by_key.get(joined, []) if wanted[w] > 0), None)
            if target is None:
                continue
            spare.subtract(need)
            wanted[target] -= 1
            parts_used, matched, i = parts_used + k, matched + 1, i + k
            break
        else:
            i += 1
    return parts_used, matched


def joined_scores(
    reference: list[str], bare: list[str], doc: ParsedDocument
) -> tuple[float, float]:
    """(precision, recall less furniture) against pdftotext, page by page, with word-break
    disagreements forgiven (see `joined_matches`)."""
    found: dict[int, list[str]] = {}
    for para in doc.paragraphs:
        found.setdefault(para.page, []).extend(words(para.text))
    hits = total = caught = wanted = 0
    for number in range(1, max(len(reference), doc.page_count) + 1):
        got = found.get(number, [])
        truth = words(reference[number - 1]) if number <= len(reference) else []
        truth_bare = words(bare[number - 1]) if number <= len(bare) else []
        hits += joined_matches(got, truth)[0]
        caught += joined_matches(got, truth_bare)[1]
        total, wanted = total + len(got), wanted + len(truth_bare)
    return hits / total if total else 1.0, caught / wanted if wanted else 1.0


def _sample_pages(reference: list[str], count: int) -> list[int]:
    """Indexes of `count` text-rich pages (80+ words), evenly spread."""
    rich = [i for i, text in enumerate(reference) if len(words(text)) >= 80]
    return rich[:: max(1, len(rich) // count)][:count] if count else []


def _cpu() -> float:
    """CPU seconds of this process and its finished children (tesseract runs as a child)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def ocr_sample(
    pdf: Path,
    reference: list[str],
    count: int,
    path: str = "ingest",
    bare: list[str] | None = None,
) -> dict:
    """OCR on rasterised text-rich pages (pypdfium2, 200 dpi): word recall and precision against
    the page's own text layer, wall and CPU seconds per page (tesseract included).

    path "ingest" makes the rendered pages an image-only PDF and parses it as ingest does (OCR
    at ingest's resolution, its clean-up and its paragraphs); "raw" reads the 200 dpi render with
    `ocr_image` directly, the measure of the earlier sessions."""
    import pypdfium2 as pdfium

    chosen = _sample_pages(reference, count)
    if not chosen:
        return {"recall": float("nan"), "precision": float("nan"), "s": float("nan"),
                "cpu": float("nan"), "pages": 0, "recall_j": float("nan"),
                "letters": float("nan"), "lettered": (0, 0),
                "recall_nf": float("nan"), "recall_jnf": float("nan")}  # fmt: skip
    document = pdfium.PdfDocument(str(pdf))
    images = []
    try:
        for index in chosen:
            page = document[index]
            image = page.render(scale=200 / 72).to_pil().convert("L")
            image.info["dpi"] = (200, 200)
            images.append((image, page.get_size()))
            page.close()
    finally:
        document.close()
    start, cpu = time.perf_counter(), _cpu()
    if path == "raw":
        found = [" ".join(ocr_image(image)) for image, _ in images]
    else:
        found = _ocr_as_ingest(images)
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    truth = [reference[i] for i in chosen]
    weights = [len(words(t)) for t in truth]
    got = [len(words(f)) for f in found]
    # the text layer's own word-break errors (glued table cells) forgiven, as for prec-j/rec-j
    joined = sum(joined_matches(words(f), words(t))[1] for t, f in zip(truth, found, strict=True))
    lettered = [Counter(w for w in words(t) if NORWEGIAN_LETTERS & set(w)) for t in truth]
    kept = sum(
        sum((want & Counter(words(f))).values()) for want, f in zip(lettered, found, strict=True)
    )
    total = sum(sum(want.values()) for want in lettered)
    # against the page less its running header, footer and page number, which a scan's
    # layout drops as a text layer's does
    plain = [(bare or reference)[i] for i in chosen]
    plain_weights = [len(words(t)) for t in plain]
    joined_plain = sum(
        joined_matches(words(f), words(t))[1] for t, f in zip(plain, found, strict=True)
    )
    return {
        "recall_jnf": joined_plain / max(1, sum(plain_weights)),
        "recall_nf": sum(
            recall(t, f) * n for t, f, n in zip(plain, found, plain_weights, strict=True)
        )
        / max(1, sum(plain_weights)),
        "letters": kept / max(1, total),
        "lettered": (kept, total),
        "recall_j": joined / max(1, sum(weights)),
        "recall": sum(recall(t, f) * n for t, f, n in zip(truth, found, weights, strict=True))
        / sum(weights),
        "precision": sum(precision(t, f) * n for t, f, n in zip(truth, found, got, strict=True))
        / max(1, sum(got)),
        "s": seconds / len(chosen),
        "cpu": cpu / len(chosen),
        "pages": len(chosen),
    }


def _ocr_as_ingest(images: list) -> list[str]:
    """Each page image as one page of an image-only PDF of the page's size, parsed as ingest
    parses a scan: the text of each page."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    with tempfile.TemporaryDirectory() as folder:
        scan = Path(folder) / "scan.pdf"
        pdf = canvas.Canvas(str(scan), invariant=1)
        for image, (width, height) in images:
            pdf.setPageSize((width, height))
            pdf.drawImage(ImageReader(image), 0, 0, width=width, height=height)
            pdf.showPage()
        pdf.save()
        try:
            doc = parse_pdf(scan)
        except ParseError:  # OCR read nothing on any page: the pages count as read empty
            return ["" for _ in images]
    texts: dict[int, list[str]] = {}
    for para in doc.paragraphs:
        texts.setdefault(para.page, []).append(para.text)
    return [" ".join(texts.get(n, [])) for n in range(1, len(images) + 1)]


def spelled_as_reference(doc: ParsedDocument) -> ParsedDocument:
    """The parsed document with its powers spelled as pdftotext spells them, for comparing."""
    paragraphs = [replace(p, text=p.text.translate(POWERS_AS_DIGITS)) for p in doc.paragraphs]
    return replace(doc, paragraphs=paragraphs)


def real_pdfs(
    ocr_pages: int, verbose: bool = False, ocr_path: str = "ingest", folder: Path | None = None
) -> int:
    """Every real and corpus PDF (or those of `folder`) against pdftotext; OCR on rasterised
    sample pages."""
    if folder is not None:
        pdfs = sorted(folder.glob("*.pdf"))
    else:
        pdfs = sorted((REPO.parent / "shared" / "realpdfs").glob("*.pdf"))
        pdfs += sorted((REPO / "corpus").glob("*.pdf"))
    print(
        f"{'document':58} {'pages':>5} {'pages/s':>7} {'recall':>6} {'prec':>6} {'rec-nf':>6} "
        f"{'pairs':>6} {'plain':>5} {'ocr':>4} {'leaks':>5} {'ocr rec':>7} {'ocr prc':>7} "
        f"{'ocr s/p':>7} {'ocr cpu/p':>9} {'prec-j':>6} {'rec-j':>6} {'pairs-l':>7} "
        f"{'ocr rec-j':>9} {'refs':>5} {'linked':>6} {'ocr æøå':>7} {'ocr rec-nf':>10} "
        f"{'ocr rec-jnf':>11}"
    )
    lettered = [0, 0]
    all_pages, all_seconds, all_cpu = 0, 0.0, 0.0
    for pdf in pdfs:
        reference = pdftotext_pages(pdf)
        layout = pdftotext_pages(pdf, layout=True)
        start, cpu_start = time.perf_counter(), time.process_time()
        doc = parse_pdf(pdf)
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        doc = spelled_as_reference(doc)
        all_pages, all_seconds = all_pages + doc.page_count, all_seconds + seconds
        all_cpu += cpu
        found = "\n".join(p.text for p in doc.paragraphs)
        truth = "\n".join(reference)
        bare = "\n".join(without_furniture(reference))
        plain = sum(1 for v in doc.page_layouts.values() if v == "plain")
        ocr = sum(1 for v in doc.page_layouts.values() if v == "ocr")
        body = [" ".join(p.text.split()) for p in doc.paragraphs if p.kind in BODY_KINDS]
        leaked = [line for line in furniture_lines(reference) if any(line in t for t in body)]
        leaks = len(leaked)
        if verbose:
            for line in leaked:
                print(f"    leaked: {line}")
        o = ocr_sample(pdf, reference, ocr_pages, ocr_path, without_furniture(reference))
        prec_j, rec_j = joined_scores(reference, without_furniture(reference), doc)
        print(
            f"{pdf.name[:58]:58} {doc.page_count:5d} {doc.page_count / seconds:7.1f} "
            f"{recall(truth, found):6.3f} {precision(truth, found):6.3f} "
            f"{recall(bare, found):6.3f} {pair_precision(reference, doc):6.3f} {plain:5d} "
            f"{ocr:4d} {leaks:5d} {o['recall']:7.3f} {o['precision']:7.3f} {o['s']:7.2f} "
            f"{o['cpu']:9.2f} {prec_j:6.3f} {rec_j:6.3f} "
            f"{pair_precision(reference, doc, layout):7.3f} {o['recall_j']:9.3f} "
            f"{sum(len(p.notes) for p in doc.paragraphs):5d} "
            f"{sum(bool(n.note) for p in doc.paragraphs for n in p.notes):6d} "
            f"{o['letters']:7.3f} {o['recall_nf']:10.3f} {o['recall_jnf']:11.3f}"
        )
        lettered = [a + b for a, b in zip(lettered, o["lettered"], strict=True)]
    print(
        f"overall: {all_pages / all_seconds:.1f} pages/s wall, {all_pages / all_cpu:.1f} "
        "pages/cpu-s (pdfium, OCR of image-only pages included)"
    )
    if ocr_pages:
        print(f"OCR sample pages: {lettered[0]} of {lettered[1]} words with æ, ø or å read right")
    print(LEGEND)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--real", action="store_true", help="real PDFs against pdftotext")
    parser.add_argument("--ocr-pages", type=int, default=2, help="OCR sample pages per PDF")
    parser.add_argument("--verbose", action="store_true", help="print the leaked lines")
    parser.add_argument(
        "--ocr-path",
        choices=("ingest", "raw"),
        default="ingest",
        help="OCR sample pages as ingest reads a scan (default) or the 200 dpi render directly",
    )
    parser.add_argument(
        "--pdfs",
        type=Path,
        help="the corpus reports as another tool renders them (benchmarks/render_other_tool.py),"
        " in place of corpus/ (PDFs, or Word files or web pages); with --real, the PDFs of this"
        " folder",
    )
    args = parser.parse_args()
    if args.real:
        return real_pdfs(args.ocr_pages, args.verbose, args.ocr_path, args.pdfs)
    print(
        f"{'document':32} {'backend':10} {'pages':>5} {'wall s':>6} {'pages/s':>7} "
        f"{'cpu s':>6} {'pages/cpu-s':>11} {'body rec':>8} {'order':>6} {'tables':>7} "
        f"{'notes':>7} {'leaked':>6}"
    )
    totals: dict[str, list[float]] = {}
    for seed_name, meta in SEED_META.items():
        pdf = (args.pdfs or REPO / "corpus") / meta.pdf_name
        other = [pdf.with_suffix(f".{f}") for f in FORMATS if pdf.with_suffix(f".{f}").exists()]
        pdf = pdf if pdf.exists() or not other else other[0]
        for backend in BACKENDS if pdf.suffix == ".pdf" else (pdf.suffix[1:],):
            totals.setdefault(backend, [0, 0, 0])
            m = measure(pdf, seed_name, backend, args.repeat)
            totals[backend][0] += m["pages"]
            totals[backend][1] += m["seconds"]
            totals[backend][2] += m["cpu"]
            print(
                f"{pdf.name:32} {backend:10} {m['pages']:5d} {m['seconds']:6.2f} "
                f"{m['pages_per_s']:7.1f} {m['cpu']:6.2f} {m['pages_per_cpu_s']:11.1f} "
                f"{m['body_recall']:8.4f} {m['order']:6.4f} {m['table_recall']:7.4f} "
                f"{m['footnote_recall']:7.4f} {m['leaked']:6d}"
            )
    for backend, (pages, seconds, cpu) in totals.items():
        print(
            f"overall {backend}: {pages / seconds:.1f} pages/s wall, {pages / cpu:.1f} pages/cpu-s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
