"""Sections found by their number: every heading of an index that opens with a section number,
a regulation's "§ 7. 3 Skolegård" or a report's "4.3.3 Metode", is looked up by the number
alone, as a user types it ("§ 4.6", "kapittel 4.3.3") and as a question ("Hva sier § 4.6?",
"Hva står i kapittel 4.3.3?"), within its document (`--doc`: two reports both have a 2.1); a
hit is a top-k passage of that section or one that opens with its heading (a heading with no
text of its own, "4.3 Analyse", opens the passage of its first subsection), hybrid
search.
Chapters numbered by one plain number ("2 Metode") are a kind of their own: "kapittel 2" shares
no rare term with them, so search is not expected to find them by it; `ask` reads the headings.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_provisions.py --index DIR [--index DIR2 …]
        [--ask]

`--ask` also asks the question form with `ask` (within the document): answered, and answered
with a first quote from that section or one nested in it ("4.3.1" in "4.3").

Several indexes side by side (e.g. built before and after a change), one line per kind each.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from policyminer.answer.answer import Answerer
from policyminer.retrieve.search import Searcher

KINDS = {
    # kind: (the heading's number, how a user asks for it)
    "provision": (
        re.compile(r"^§\s?(\d{1,3}(?:-\d{1,3})?(?:\.\s?\d{1,3})*)\.?\s"),
        ("§ {}", "Hva sier § {}?"),
    ),
    "numbered section": (
        re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,4})\.?\s+[^\W\d_]"),
        ("kapittel {}", "Hva står i kapittel {}?"),
    ),
    "chapter": (
        re.compile(r"^(\d{1,2})\.?\s+[^\W\d_]"),
        ("kapittel {}", "Hva står i kapittel {}?"),
    ),
}


def numbered(searcher: Searcher, number: re.Pattern) -> list[tuple[str, str, str]]:
    """(document, number as a user types it, heading) for every heading numbered so."""
    found = []
    for doc in searcher.catalog.documents():
        for p in searcher.catalog.paragraphs(doc.id):
            match = number.match(p.text) if p.kind == "heading" else None
            if match:
                found.append((doc.id, re.sub(r"\s", "", match.group(1)), p.text))
    return found


def _of_section(chunk, heading: str) -> bool:
    return chunk.section == heading or chunk.text.startswith(heading)


def measure(index: Path, k: int = 3) -> list[str]:
    lines = []
    with Searcher(index) as searcher:
        for kind, (number, queries) in KINDS.items():
            wanted = numbered(searcher, number)
            cells = []
            for pattern in queries:
                at1 = atk = 0
                for doc_id, value, heading in wanted:
                    only = searcher.make_filters((doc_id,))
                    hits = searcher.search(pattern.format(value), k=k, filters=only)
                    found = [_of_section(h.chunk, heading) for h in hits]
                    at1 += bool(found) and found[0]
                    atk += any(found)
                n = len(wanted)
                cells.append(f"'{pattern}': hit@1 {at1}/{n}, hit@{k} {atk}/{n}")
            lines.append(f"{index}: {len(wanted)} {kind}s; " + "; ".join(cells))
    return lines


def _nested(searcher: Searcher, doc_id: str, heading: str) -> set[str]:
    """The section and those nested in it, as the passages' section paths give them."""
    chunks = searcher.catalog.chunks(doc_id)
    return {heading} | {c.section for c in chunks if heading in c.section_path}


def measure_ask(index: Path) -> list[str]:
    lines = []
    with Searcher(index) as searcher:
        answerer = Answerer(searcher)
        for kind, (number, queries) in KINDS.items():
            wanted = numbered(searcher, number)
            answered = right = 0
            for doc_id, value, heading in wanted:
                only = searcher.make_filters((doc_id,))
                answer = answerer.answer(queries[1].format(value), filters=only)
                answered += not answer.abstained
                right += not answer.abstained and (
                    answer.citations[0].section in _nested(searcher, doc_id, heading)
                )
            n = len(wanted)
            lines.append(
                f"{index}: ask '{queries[1]}' over {n} {kind}s: answered {answered}/{n}, "
                f"first quote from that section {right}/{n}"
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, action="append", required=True)
    parser.add_argument("--ask", action="store_true", help="also answer the question forms")
    args = parser.parse_args()
    for index in args.index:
        print("\n".join(measure(index)))
        if args.ask:
            print("\n".join(measure_ask(index)))


if __name__ == "__main__":
    main()
