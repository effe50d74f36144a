"""Provisions found by their number: every heading of an index that opens with a section sign
and a number ("§ 4. 6 Barnehage") is looked up by the number alone, as a user types it ("§ 4.6")
and as a question ("Hva sier § 4.6?"); a hit is a top-k passage of that section (hybrid search).

    PYTHONPATH=src .venv/bin/python benchmarks/bench_provisions.py --index DIR [--index DIR2 …]

Several indexes side by side (e.g. built before and after a change), one line each.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from policyminer.retrieve.search import Searcher

NUMBER = re.compile(r"^§\s?(\d{1,3}(?:-\d{1,3})?(?:\.\s?\d{1,3})*)\.?\s")
QUERIES = ("§ {}", "Hva sier § {}?")


def provisions(searcher: Searcher) -> list[tuple[str, str]]:
    """(number as a user types it, heading) for every numbered provision of the index."""
    found = []
    for doc in searcher.catalog.documents():
        for p in searcher.catalog.paragraphs(doc.id):
            match = NUMBER.match(p.text) if p.kind == "heading" else None
            if match:
                found.append((re.sub(r"\s", "", match.group(1)), p.text))
    return found


def measure(index: Path, k: int = 3) -> str:
    with Searcher(index) as searcher:
        wanted = provisions(searcher)
        cells = []
        for pattern in QUERIES:
            at1 = atk = 0
            for number, heading in wanted:
                sections = [h.chunk.section for h in searcher.search(pattern.format(number), k=k)]
                at1 += bool(sections) and sections[0] == heading
                atk += heading in sections
            cells.append(f"'{pattern}': hit@1 {at1}/{len(wanted)}, hit@{k} {atk}/{len(wanted)}")
    return f"{index}: {len(wanted)} provisions; " + "; ".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, action="append", required=True)
    args = parser.parse_args()
    for index in args.index:
        print(measure(index))


if __name__ == "__main__":
    main()
