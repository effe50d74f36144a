"""Questions that ask what the documents say about a topic, answered with the section rule off
and on.

    .venv/bin/python benchmarks/bench_topics.py --index realpdfs=/tmp/real --index corpus=/tmp/c

The questions (`benchmarks/data/topic-questions.tsv`) were written before any run; each names
the evidence base it is asked of. For each, the script prints whether it was answered, the
confidence and the first three quotes with their sections, with the rule off and on, and which
questions the rule answered. Whether a first quote is right is judged by reading (the file's
header gives the rubric); the verdicts are in `benchmarks/data/topic-questions-judged.tsv`, and
`--judged` prints the tally from it.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from policyminer.answer import answer as answer_module  # noqa: E402
from policyminer.answer.topics import asked_topic  # noqa: E402
from policyminer.retrieve.search import Searcher  # noqa: E402

QUESTIONS = REPO / "benchmarks" / "data" / "topic-questions.tsv"
JUDGED = REPO / "benchmarks" / "data" / "topic-questions-judged.tsv"


def rows(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    return list(csv.DictReader(lines, delimiter="\t"))


def show(answer, label: str) -> None:
    verdict = "abstained" if answer.abstained else "answered"
    print(f"  {label}: {verdict}, confidence {answer.confidence:.3f}")
    for c in (answer.citations or answer.leads)[:3]:
        print(f"      [p. {c.page} {c.section[:50]}] {c.quote[:140]}")


def tally() -> None:
    judged = rows(JUDGED)
    for name, group in (("about (q)", "q"), ("rules for (r)", "r")):
        chosen = [r for r in judged if r["id"].startswith(group)]
        print(f"{name}:")
        for column in ("off", "on"):
            right = sum(r[column] == "right" for r in chosen)
            abstained = sum(r[column] == "abstained" for r in chosen)
            print(f"  rule {column}: first quote right {right} of {len(chosen)}", end="")
            print(f", abstained {abstained}")
        held_out = [r for r in chosen if r["seen"] == "no"]
        off, on = (sum(r[c] == "right" for r in held_out) for c in ("off", "on"))
        print(f"  of the {len(held_out)} asked before their documents' headings were read:", end="")
        print(f" {off} -> {on}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", action="append", default=[], help="NAME=DIR, once per base")
    parser.add_argument("--judged", action="store_true", help="print the judged tally and stop")
    args = parser.parse_args()
    if args.judged:
        tally()
        return
    indexes = dict(item.split("=", 1) for item in args.index)
    questions = rows(QUESTIONS)
    fired = 0
    for name, directory in indexes.items():
        with Searcher(Path(directory)) as searcher:
            answerer = answer_module.Answerer(searcher)
            for q in (q for q in questions if q["documents"] == name):
                print(f"{q['id']} {q['question']} (topic: {asked_topic(q['question'])})")
                answer_module.asked_topic = lambda question: None
                show(answerer.answer(q["question"]), "off")
                answer_module.asked_topic = asked_topic
                answer = answerer.answer(q["question"])
                show(answer, "on ")
                fired += answer.confidence == answer_module.TOPIC_CONFIDENCE
    print(f"answered by the section rule: {fired} of {len(questions)}")


if __name__ == "__main__":
    main()
