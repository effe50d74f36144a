"""OCR time per page with Tesseract single-threaded (what `policyminer` does unless the user sets
OMP_THREAD_LIMIT) vs with one thread per core (Tesseract's own default), side by side.

Each page of the sample is rasterised (200 dpi, as `bench_parse.py` does) into a one-page scan,
then read by `ocr_pdf_page` in a fresh child process per setting, the settings alternating.

    python benchmarks/bench_ocr_threads.py [--pdf FILE] [--pages 2 36] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PDF = REPO.parent / "shared" / "realpdfs" / "vianova_kdd_fylkesveg_kriterium_2021.pdf"
READ = "from pathlib import Path; import sys; from policyminer.parse.ocr import ocr_pdf_page\n" \
    "for p in sys.argv[1:]: ocr_pdf_page(Path(p), 1)"  # fmt: skip


def scans(pdf: Path, pages: list[int], folder: Path) -> list[Path]:
    """One-page picture PDFs of the given pages (1-based), 200 dpi."""
    document = pdfium.PdfDocument(str(pdf))
    out = []
    for number in pages:
        page = document[number - 1]
        width, height = page.get_size()
        path = folder / f"page{number}.pdf"
        sheet = canvas.Canvas(str(path), pagesize=(width, height), invariant=1)
        picture = page.render(scale=200 / 72).to_pil().convert("L")
        sheet.drawImage(ImageReader(picture), 0, 0, width=width, height=height)
        sheet.showPage()
        sheet.save()
        out.append(path)
    return out


def run(paths: list[Path], threads: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child and its Tesseract runs) for one setting."""
    env = {**os.environ, "OMP_THREAD_LIMIT": threads, "PYTHONPATH": str(REPO / "src")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", READ, *map(str, paths)], env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pdf", type=Path, default=DEFAULT_PDF)
    ap.add_argument("--pages", type=int, nargs="+", default=[2, 36])
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    cores = str(os.cpu_count() or 1)
    with tempfile.TemporaryDirectory() as folder:
        paths = scans(args.pdf, args.pages, Path(folder))
        for round_ in range(1, args.rounds + 1):
            for threads in ("1", cores):
                wall, cpu = run(paths, threads)
                n = len(paths)
                print(
                    f"round {round_} OMP_THREAD_LIMIT={threads:>2}: {wall / n:5.2f} s/page wall, "
                    f"{cpu / n:5.2f} CPU-s/page (child and Tesseract)",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
