"""Questions that ask what the documents say about a topic: answered with the section rule off,
with it on, and with it on and the topic alone as the sentence scorer's terms.

    .venv/bin/python benchmarks/bench_topics.py --index realpdfs=/tmp/real --index corpus=/tmp/c
    .venv/bin/python benchmarks/bench_topics.py --questions FILE --index ...   # another set
    .venv/bin/python benchmarks/bench_topics.py --judged

The questions (`benchmarks/data/topic-questions.tsv`, `topic-focus-questions.tsv`) were written
before the runs they were judged in; each names the evidence base it is asked of. For each, the
script prints whether it was answered, the confidence and the first three quotes with their
sections in the three settings: `off` (neither), `rule` (the sections whose headings name the
topic), `on` (that, and where no heading names it, the topic alone as the question's terms).
Whether a first quote is right is judged by reading (the files' headers give the rubric); the
verdicts are in the `-judged.tsv` files beside them, and `--judged` prints their tallies.
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

DATA = REPO / "benchmarks" / "data"
QUESTIONS = DATA / "topic-questions.tsv"
JUDGED = (DATA / "topic-questions-judged.tsv", DATA / "topic-focus-questions-judged.tsv")
SETTINGS = ("off", "rule", "on")
_score = answer_module.Answerer.score


def rows(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    return list(csv.DictReader(lines, delimiter="\t"))


def show(answer, label: str) -> None:
    verdict = "abstained" if answer.abstained else "answered"
    print(f"  {label:4s}: {verdict}, confidence {answer.confidence:.3f}")
    for c in (answer.citations or answer.leads)[:3]:
        print(f"      [p. {c.page} {c.section[:50]}] {c.quote[:140]}")


def _unfocused(self, question, hits, listing, scope=frozenset(), focus=""):
    return _score(self, question, hits, listing, scope, "")


def setting(name: str) -> None:
    """Switch the answer module to one of SETTINGS."""
    answer_module.asked_topic = (lambda question: None) if name == "off" else asked_topic
    answer_module.Answerer.score = _unfocused if name == "rule" else _score


def tally() -> None:
    for path in JUDGED:
        judged = rows(path)
        columns = [c for c in SETTINGS if c in judged[0]]
        print(path.name)
        mentioned = [r for r in judged if r["mentioned"] == "yes"]
        absent = [r for r in judged if r["mentioned"] == "no"]
        unseen = [r for r in mentioned if r.get("seen", "no") == "no"]
        for column in columns:
            right = sum(r[column] == "right" for r in mentioned)
            abstained = sum(r[column] == "abstained" for r in mentioned)
            blind = sum(r[column] == "right" for r in unseen)
            kept_out = sum(r[column] == "abstained" for r in absent)
            print(
                f"  {column:4s}: topics mentioned ({len(mentioned)}): first quote right {right} "
                f"({blind} of the {len(unseen)} over unseen headings), abstained {abstained}; "
                f"topics not mentioned ({len(absent)}): abstained {kept_out}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", action="append", default=[], help="NAME=DIR, once per base")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--judged", action="store_true", help="print the judged tallies and stop")
    args = parser.parse_args()
    if args.judged:
        tally()
        return
    indexes = dict(item.split("=", 1) for item in args.index)
    questions = rows(args.questions)
    fired = 0
    try:
        for name, directory in indexes.items():
            with Searcher(Path(directory)) as searcher:
                answerer = answer_module.Answerer(searcher)
                for q in (q for q in questions if q["documents"] == name):
                    print(f"{q['id']} {q['question']} (topic: {asked_topic(q['question'])})")
                    for label in SETTINGS:
                        setting(label)
                        answer = answerer.answer(q["question"])
                        show(answer, label)
                    fired += answer.confidence == answer_module.TOPIC_CONFIDENCE
    finally:
        setting("on")
    print(f"answered by the section rule: {fired} of {len(questions)}")


if __name__ == "__main__":
    main()
