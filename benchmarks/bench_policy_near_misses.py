"""Near misses on the policy documents: how often `ask` abstains on a question about a document's
own topic whose asked detail the document does not give, beside its answerable twins.

    .venv/bin/python benchmarks/bench_policy_near_misses.py [--real-index DIR] [--corpus-index DIR]

The questions are `benchmarks/data/qa-nearmiss-{realpdfs,corpus}.json` (158, written blind by
hand, half answerable, half near misses; see their "about"). Each is asked over its evidence base
(the seven genuine PDFs of `../shared/realpdfs/`, the two reports of `corpus/`; built on first
use) with abstention off. Printed: answerable questions answered right (first quote, any of
three; by language, also with abstention), both kinds abstained at the shipped threshold (rules
included) and at higher ones, per language and per question type; the area under the ROC curve
between answerable questions and near misses for the confidence and for how many question words
the first quote leaves out (the lexical reading that separates NorQuAD's near misses, whose
questions copy their paragraph's words). Nothing is fitted here: with the shipped scorer these
are held-out figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from bench_answer import build_index, matches  # noqa: E402
from bench_near_misses import auc  # noqa: E402

from policyminer.answer.answer import Answerer  # noqa: E402
from policyminer.index.lexical import word_stems, words  # noqa: E402
from policyminer.retrieve.search import Searcher  # noqa: E402

DATA = REPO / "benchmarks" / "data"
SETS = (
    ("realpdfs", REPO.parent / "shared" / "realpdfs", REPO / "indexes" / "bench-real"),
    ("corpus", REPO / "corpus", REPO / "indexes" / "bench-corpus"),
)
THRESHOLDS = (0.2, 0.3, 0.4, 0.5)


@dataclass(frozen=True)
class Asked:
    """One question as `ask` answered it with abstention off."""

    id: str
    answerable: bool
    lang: str
    qtype: str
    question: str
    confidence: float
    reason: str
    quotes: list[str]
    right: list[bool]


def ask_all(index: Path, docs: Path, path: Path) -> list[Asked]:
    build_index(index, docs)
    asked = []
    with Searcher(index) as searcher:
        answerer = Answerer(searcher, min_confidence=0.0)
        for q in json.loads(path.read_text(encoding="utf-8"))["questions"]:
            made = answerer.answer(q["question"])
            quotes = [c.quote for c in made.citations[:3]]
            right = [any(matches(t, gold) for gold in q["evidence"]) for t in quotes]
            kind = q["kind"] == "answerable"
            facts = (q["id"], kind, q["lang"], q["qtype"], q["question"])
            asked.append(Asked(*facts, made.confidence, made.reason, quotes, right))
    return asked


def left_out(question: str, quote: str) -> int:
    """How many of the question's content words the quote has in no form (stem or compound)."""
    have = {s for w in words(quote) for s in (w, *word_stems(w))}
    missing = 0
    for w in words(question):
        stems = {w, *word_stems(w)}
        if stems & have or any(len(s) >= 4 and any(s in h for h in have) for s in stems):
            continue
        missing += 1
    return missing


def abstained(rows: list[Asked], threshold: float) -> int:
    return sum(r.confidence < threshold or bool(r.reason) for r in rows)


def report(asked: list[Asked], threshold: float) -> None:
    answerable = [r for r in asked if r.answerable]
    near = [r for r in asked if not r.answerable]
    first = sum(bool(r.right) and r.right[0] for r in answerable)
    print(
        f"answerable {len(answerable)}: first quote right {first}, right in 3 "
        f"{sum(any(r.right) for r in answerable)}; near misses {len(near)}"
    )
    for t in (threshold, *THRESHOLDS):
        print(
            f"  threshold {t:.4f}: near misses abstained {abstained(near, t)} / {len(near)}, "
            f"answerable abstained {abstained(answerable, t)} / {len(answerable)}"
        )
    for lang, label in (("no", "Norwegian"), ("en", "English")):
        asked_in = [r for r in answerable if (r.lang == "en") == (lang == "en")]
        kept = [r for r in asked_in if not (r.confidence < threshold or r.reason)]
        print(
            f"  {label}: evidence in three quotes {sum(any(r.right) for r in asked_in)} / "
            f"{len(asked_in)}, with abstention {sum(any(r.right) for r in kept)} / {len(asked_in)}"
        )
    for key in ("lang", "qtype"):
        groups: dict[str, list[Asked]] = defaultdict(list)
        for r in asked:
            groups[getattr(r, key)].append(r)
        cells = [
            f"{g} {abstained([r for r in rows if not r.answerable], threshold)}/"
            f"{sum(not r.answerable for r in rows)} vs "
            f"{abstained([r for r in rows if r.answerable], threshold)}/"
            f"{sum(r.answerable for r in rows)}"
            for g, rows in sorted(groups.items())
        ]
        print(f"  by {key} (near misses abstained vs answerable abstained): " + "; ".join(cells))
    confidence = auc(
        np.array([r.confidence for r in answerable]), np.array([r.confidence for r in near])
    )
    quoted = [r for r in asked if r.quotes]
    missing = auc(
        np.array([-left_out(r.question, r.quotes[0]) for r in quoted if r.answerable]),
        np.array([-left_out(r.question, r.quotes[0]) for r in quoted if not r.answerable]),
    )
    print(
        f"  AUC answerable vs near misses: confidence {confidence:.3f}; "
        f"question words the first quote leaves out {missing:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real-index", type=Path, default=SETS[0][2])
    parser.add_argument("--corpus-index", type=Path, default=SETS[1][2])
    args = parser.parse_args()
    indexes = {"realpdfs": args.real_index, "corpus": args.corpus_index}
    everything: list[Asked] = []
    threshold = 0.0
    for name, docs, _ in SETS:
        asked = ask_all(indexes[name], docs, DATA / f"qa-nearmiss-{name}.json")
        with Searcher(indexes[name]) as searcher:
            threshold = Answerer(searcher).scorer.threshold
        print(f"== {name}")
        report(asked, threshold)
        everything += asked
    print("== both")
    report(everything, threshold)


if __name__ == "__main__":
    main()
