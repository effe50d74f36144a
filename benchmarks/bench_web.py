"""Web app numbers: warm ask latency over HTTP, cited-page render time, server memory.

Starts `policyminer serve` on an existing index in a subprocess (as a user would), asks the
questions below over /api/ask, opens every cited page as /page/{doc}/{page}.png?quote=, and reads
the server's resident memory from /proc.

    .venv/bin/python benchmarks/bench_web.py --index indexes/default [--repeat 3]

With --locate PDF..., it measures instead how often a sentence of the parsed text is found (and
so highlighted) on its page: sentences of >= 8 words from each PDF's paragraphs, as the parser
gave them, looked for on their page (or the next, for paragraphs joined across a page break).

    .venv/bin/python benchmarks/bench_web.py --locate corpus/*.pdf ../shared/realpdfs/*.pdf
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pypdfium2 as pdfium

from policyminer.parse.pdf import parse_pdf
from policyminer.web.pages import Glyphs, find_rects

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "Hvilke tematiske satsingsområder foreslås for Drammensregionen?",
    "Hva er digital hjemmeoppfølging?",
    "Hvilke aktører samarbeider om helseinnovasjon?",
    "Which hospital trust serves the Drammen region?",
    "Hva koster tiltakene?",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[float, bytes, dict[str, str]]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as reply:
        body = reply.read()
        headers = dict(reply.headers)
    return time.perf_counter() - started, body, headers


def rss_mib(pid: int) -> tuple[float, float]:
    """Resident and peak resident memory of a process, in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def locate_rate(pdf: Path, sample: int = 60) -> tuple[int, int, float]:
    """(sentences found on their page, sentences tried, seconds per page located)."""
    parsed = parse_pdf(pdf)
    sentences = [
        (para.page, s)
        for para in parsed.paragraphs
        if para.kind in ("body", "list")
        for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ0-9])", para.text)
        if len(s.split()) >= 8
    ]
    random.Random(14).shuffle(sentences)
    found, seconds, looked = 0, 0.0, 0
    document = pdfium.PdfDocument(str(pdf))
    glyphs: dict[int, tuple[Glyphs, float]] = {}
    for page, sentence in sentences[:sample]:
        for number in (page, page + 1):
            if number > len(document):
                continue
            started = time.perf_counter()
            if number not in glyphs:
                pdf_page = document[number - 1]
                left, _, right, _ = pdf_page.get_cropbox()
                glyphs[number] = (Glyphs.of(pdf_page.get_textpage()), right - left)
            rects = find_rects(*glyphs[number], sentence, "")
            seconds += time.perf_counter() - started
            looked += 1
            if rects:
                found += 1
                break
    document.close()
    return found, min(sample, len(sentences)), seconds / max(looked, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=REPO / "indexes" / "default")
    parser.add_argument("--repeat", type=int, default=3, help="warm rounds over the questions")
    parser.add_argument("--locate", type=Path, nargs="+", help="measure quote location instead")
    args = parser.parse_args()
    if args.locate:
        total_found = total = 0
        for pdf in args.locate:
            found, tried, per_page = locate_rate(pdf)
            total_found, total = total_found + found, total + tried
            print(
                f"{pdf.name}: {found}/{tried} sentences located "
                f"({found / max(tried, 1):.2f}); {per_page * 1000:.0f} ms per page tried"
            )
        print(f"all: {total_found}/{total} ({total_found / max(total, 1):.3f})")
        return
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    command = [sys.executable, "-m", "policyminer", "serve", "--index", str(args.index)]
    started = time.perf_counter()
    server = subprocess.Popen([*command, "--port", str(port)], env=env)
    try:
        while True:
            try:
                get(base + "/static/style.css")
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("server exited") from None
                time.sleep(0.2)
        print(f"server answering after {time.perf_counter() - started:.2f} s")
        print(f"RSS idle: {rss_mib(server.pid)[0]:.0f} MiB")
        ask = base + "/api/ask?q="
        first, body, _ = get(ask + urllib.parse.quote(QUESTIONS[0]))
        print(f"first ask (models load unless the warm-up finished): {first:.2f} s")
        warm: list[float] = []
        citations: list[dict] = []
        for _ in range(args.repeat):
            for question in QUESTIONS:
                seconds, body, _ = get(ask + urllib.parse.quote(question))
                warm.append(seconds)
                citations += json.loads(body)["citations"]
        print(
            f"warm ask over HTTP: median {statistics.median(warm):.3f} s, "
            f"max {max(warm):.3f} s ({len(warm)} asks)"
        )
        seen: set[tuple] = set()
        cold_pages, cached_pages, located = [], [], 0
        for c in citations:
            key = (c["doc_id"], c["page"], c["quote"])
            if key in seen:
                continue
            seen.add(key)
            url = (
                f"{base}/page/{urllib.parse.quote(c['doc_id'])}/{c['page']}.png?"
                + urllib.parse.urlencode({"quote": c["quote"]})
            )
            seconds, _, headers = get(url)
            cold_pages.append(seconds)
            located += int(headers.get("x-highlight-boxes", "0") != "0")
            cached_pages.append(get(url)[0])
        if cold_pages:
            print(
                f"cited page PNG (render + locate + highlight): median "
                f"{statistics.median(cold_pages):.3f} s, max {max(cold_pages):.3f} s; "
                f"cached {statistics.median(cached_pages) * 1000:.1f} ms; "
                f"quote highlighted on {located}/{len(cold_pages)} cited pages"
            )
        rss, peak = rss_mib(server.pid)
        print(f"RSS after asking: {rss:.0f} MiB (peak {peak:.0f} MiB)")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
