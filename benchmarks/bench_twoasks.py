"""Questions that ask two things ("…, og hvem …?"): is the confidence of the whole question the
right one to abstain on, or should the first ask, read alone, count too? A trial, nothing fitted.

    .venv/bin/python benchmarks/bench_twoasks.py --work W [--splits validation train]
    .venv/bin/python benchmarks/bench_twoasks.py --work W --written FILE
    .venv/bin/python benchmarks/bench_twoasks.py --index DIR --qa QA.json

The scorer was calibrated on NorQuAD, whose questions ask one thing; a two-ask question shares
its words and meaning between two answer sentences. Rules compared at the shipped threshold:
`whole` (shipped: the whole question's best sentence), `max` (the whole question's confidence
or the first ask's, whichever is higher), `mean-logit` (their mean in logit space), `agree-max`
(`max` only where the first ask's best sentence is among the whole question's three quotes).

With `--work` (the work folder of `scripts/train_answer_scorer.py`): two questions of one
NorQuAD paragraph joined as policy staff write them ("Hvem grunnla X, og når skjedde det?").
Asked over the split's own evidence base the question is answerable (a hit: a quote among the
first three holds either ask's answer); over the other split's base, whose paragraphs share
nothing with it, it is not (the calibration's own "not in the documents" case). Beside them the
first question alone, the single-ask regime the scorer was calibrated in.

With `--written FILE` (`benchmarks/data/norquad-two-asks.jsonl`): two-ask questions written by
hand over NorQuAD paragraphs (JSON lines: split,
n the paragraph's number, question, answers), asked over their split's evidence base and over
the other split's, as above.

With `--index`/`--qa`: the dev questions that ask twice, each rule's verdict per question.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from policyminer.answer.answer import Answerer
from policyminer.answer.citations import normalise
from policyminer.answer.scorer import AnswerScorer, read_scorer
from policyminer.lang import asks_twice, first_ask, is_list_question
from policyminer.retrieve.search import Searcher

REPO = Path(__file__).resolve().parents[1]
NORQUAD = REPO.parent / "shared" / "data" / "norquad"
OTHER = {"train": "validation", "validation": "train"}
# a second question that opens with a question word can follow "…, og"
_ASK_WORD = re.compile(r"(?:hva|hvem|hvor\w*|hvordan|når|hvilke[nt]?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Pair:
    first: str  # the first question alone
    joined: str  # both asks in one question
    answers: tuple[str, ...]  # either ask's answer texts


@dataclass(frozen=True)
class Read:
    """One two-ask question answered with abstention off, and its first ask's confidence."""

    whole: float  # the whole question's confidence
    first: float  # the first ask's, read over the same passages
    agree: bool  # the first ask's best sentence is among the whole question's three quotes
    ruled: bool  # abstained by a rule (no number, no value in the unit asked, …)
    found: bool  # a quote among the first three holds an answer


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


RULES: dict[str, Callable[[Read], float]] = {
    "whole": lambda r: r.whole,
    "max": lambda r: max(r.whole, r.first),
    "mean-logit": lambda r: 1 / (1 + math.exp(-(_logit(r.whole) + _logit(r.first)) / 2)),
    "agree-max": lambda r: max(r.whole, r.first) if r.agree else r.whole,
}


def pairs(split: str) -> list[Pair]:
    """One two-ask question per paragraph with two questions that can be joined."""
    data = json.loads((NORQUAD / f"norquad-{split}.json").read_text(encoding="utf-8"))["data"]
    by_context: dict[str, list[dict]] = {}  # validation repeats a paragraph per question
    for article in data:
        for paragraph in article["paragraphs"]:
            asked = [qa for qa in paragraph["qas"] if qa["answers"]]
            by_context.setdefault(paragraph["context"].strip(), []).extend(asked)
    out: list[Pair] = []
    for qas in by_context.values():
        seconds = [qa for qa in qas[1:] if _ASK_WORD.match(qa["question"])]
        if not seconds or asks_twice(qas[0]["question"]):
            continue
        first, second = qas[0]["question"].strip(), seconds[0]["question"].strip()
        joined = f"{first.rstrip('?').rstrip()}, og {second[0].lower()}{second[1:]}"
        if asks_twice(joined):
            answers = tuple(a["text"] for qa in (qas[0], seconds[0]) for a in qa["answers"])
            out.append(Pair(first, joined, answers))
    return out


def read(answerer: Answerer, question: str, answers: tuple[str, ...] = ()) -> Read:
    """The question answered with abstention off, and its first ask read over its passages."""
    made = answerer.answer(question, min_confidence=0.0)
    quotes = [normalise(c.quote).lower() for c in made.citations][:3]
    first = first_ask(question)
    confidence, agree = 0.0, False
    if first is not None:
        hits, _ = answerer.read_passages(question)
        sentences, rows = answerer.measured(first, hits, is_list_question(first))
        if sentences:
            logits = answerer.scorer.logits(rows)
            confidence = answerer.scorer.confidence(float(np.max(logits)))
            best = normalise(sentences[int(np.argmax(logits))].text).lower()
            agree = any(best in q for q in quotes)
    found = any(normalise(a).lower() in q for a in answers for q in quotes)
    return Read(made.confidence, confidence, agree, made.abstained, found)


def abstains(rule: str, r: Read, threshold: float) -> bool:
    return r.ruled or RULES[rule](r) < threshold


def written(path: Path, split: str) -> list[Pair]:
    """The hand-written two-ask questions of one split that ask twice."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [
        Pair(first_ask(r["question"]) or r["question"], r["question"], tuple(r["answers"]))
        for r in rows
        if r["split"] == split and asks_twice(r["question"])
    ]


def measure(
    split: str,
    work: Path,
    limit: int | None,
    hand: Path | None = None,
    scorer: AnswerScorer | None = None,
) -> None:
    items = (written(hand, split) if hand else pairs(split))[:limit]
    print(f"{split}{' (written by hand)' if hand else ''}: {len(items)} two-ask questions")
    for base, answerable in ((split, True), (OTHER[split], False)):
        with Searcher(work / f"index-{base}") as searcher:
            answerer = Answerer(searcher, scorer=scorer)
            threshold = answerer.min_confidence
            reads = [read(answerer, p.joined, p.answers) for p in items]
            singles = [answerer.answer(p.first) for p in items]
        kind = "answerable" if answerable else "not in the documents"
        print(f"  over the {base} paragraphs ({kind}):")
        for rule in RULES:
            abstained = sum(abstains(rule, r, threshold) for r in reads)
            hits = sum(r.found and not abstains(rule, r, threshold) for r in reads)
            extra = f", answered with a hit in 3 quotes {hits}" if answerable else ""
            print(f"    {rule}: abstained {abstained} ({abstained / len(items):.3f}){extra}")
        alone = sum(s.abstained for s in singles)
        print(f"    the first ask alone: abstained {alone} ({alone / len(items):.3f})")


def dev(index: Path, qa: Path) -> None:
    data = json.loads(qa.read_text(encoding="utf-8"))
    items = data if isinstance(data, list) else data["questions"]
    twice = [q for q in items if asks_twice(q["question"])]
    with Searcher(index) as searcher:
        answerer = Answerer(searcher)
        threshold = answerer.min_confidence
        print(f"{len(twice)} of {len(items)} questions ask twice; threshold {threshold}")
        for item in twice:
            r = read(answerer, item["question"])
            verdicts = " ".join(
                f"{rule} {'abstains' if abstains(rule, r, threshold) else 'answers'}"
                for rule in RULES
            )
            print(f"  {item['id']} {item['kind'][:1].upper()} whole {r.whole:.3f} first "
                  f"{r.first:.3f}: {verdicts}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path)
    parser.add_argument("--splits", nargs="+", default=["validation", "train"])
    parser.add_argument("--limit", type=int, help="at most this many questions per split")
    parser.add_argument("--index", type=Path)
    parser.add_argument("--qa", type=Path)
    parser.add_argument("--written", type=Path, help="two-ask questions written by hand (JSONL)")
    parser.add_argument("--scorer", type=Path, help="an answer scorer JSON other than the shipped")
    args = parser.parse_args()
    scorer = read_scorer(args.scorer) if args.scorer else None
    if args.index and args.qa:
        dev(args.index, args.qa)
    for split in args.splits if args.work else ():
        measure(split, args.work, args.limit, args.written, scorer)


if __name__ == "__main__":
    main()
