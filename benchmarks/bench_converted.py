"""Older word-processor files (.doc, .rtf, .odt) read through LibreOffice, beside the .docx.

The two seed reports are written as Word files (a numbered line alone is a heading, blank lines
part paragraphs), LibreOffice saves each as .doc, .rtf and .odt, and every file is read as ingest
reads it. Per format: seconds per file (median of --repeat runs; the conversion is the
difference to .docx), and how much of the .docx reading survives: paragraphs and headings found,
share of the .docx's paragraph texts read identically, word recall (multiset).

    .venv/bin/python benchmarks/bench_converted.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import docx

from policyminer.parse.converted import office_converter, parse_converted
from policyminer.parse.word import parse_docx

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
HEADING = re.compile(r"^\s*(\d+(?:\.\d+)*)\s+(\S.{0,80})$")
WORD = re.compile(r"\w+")


def seed_docx(seed: Path, out: Path) -> Path:
    """The seed text as a Word file: numbered short lines are headings (level by depth)."""
    document = docx.Document()
    block: list[str] = []

    def flush() -> None:
        if block:
            document.add_paragraph(" ".join(" ".join(block).split()))
            block.clear()

    for line in seed.read_text(encoding="utf-8").splitlines():
        heading = HEADING.match(line)
        if heading and len(line.strip()) < 90 and not line.strip().endswith("."):
            flush()
            document.add_heading(line.strip(), min(3, heading.group(1).count(".") + 1))
        elif not line.strip():
            flush()
        else:
            block.append(line.strip())
    flush()
    document.save(str(out))
    return out


def saved_as(source: Path, suffix: str, folder: Path) -> Path:
    subprocess.run(
        [office_converter(), f"-env:UserInstallation={(folder / 'profile').as_uri()}",
         "--headless", "--convert-to", suffix.lstrip("."), "--outdir", str(folder), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return folder / f"{source.stem}{suffix}"


def words(texts: list[str]) -> Counter:
    return Counter(w.lower() for t in texts for w in WORD.findall(t))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if office_converter() is None:
        print("LibreOffice is not installed (make install adds libreoffice-writer-nogui)")
        return 2
    header = f"{'seed':26} {'format':6} {'s/file':>7} {'paras':>6} {'heads':>6} {'same':>6}"
    print(f"{header} {'recall':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for seed in sorted(SEEDS.glob("*.txt")):
            source = seed_docx(seed, folder / f"{seed.stem}.docx")
            files = {".docx": source}
            files |= {
                s: saved_as(source, s, folder / s.lstrip(".")) for s in (".doc", ".rtf", ".odt")
            }
            base = parse_docx(source)
            base_texts = [p.text for p in base.paragraphs]
            base_words = words(base_texts)
            for suffix, path in files.items():
                read = parse_docx if suffix == ".docx" else parse_converted
                seconds = []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    doc = read(path)
                    seconds.append(time.perf_counter() - start)
                texts = [p.text for p in doc.paragraphs]
                same = sum((Counter(texts) & Counter(base_texts)).values()) / len(base_texts)
                found = words(texts)
                recall = sum((found & base_words).values()) / sum(base_words.values())
                heads = sum(1 for p in doc.paragraphs if p.kind == "heading")
                print(
                    f"{seed.stem[:26]:26} {suffix:6} {statistics.median(seconds):7.2f} "
                    f"{len(texts):6d} {heads:6d} {same:6.3f} {recall:7.3f}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
