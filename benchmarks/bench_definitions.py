"""Questions that ask what a term is ("Hva er plastinering?"), on NorQuAD (nothing fitted).

    .venv/bin/python benchmarks/bench_definitions.py [--work W]

For each split: how many questions ask only what a term is (`answer.definitions.defined_term`),
how often their answer sentence defines the term ("X er …", `defines`) against the paragraphs'
other sentences (how much the rule narrows), and with `--work` (the work folder of
`scripts/train_answer_scorer.py`: evidence bases `index-train`, `index-validation`) the answers
end to end, with the defining sentence quoted first and without (hits in the first quote and in
three).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench_units import sentences

import policyminer.answer.answer as answer_module
from policyminer.answer.answer import Answerer, normalise
from policyminer.answer.definitions import defined_term, defines
from policyminer.retrieve.search import Searcher

REPO = Path(__file__).resolve().parents[1]
NORQUAD = REPO.parent / "shared" / "data" / "norquad"


def questions(split: str) -> list[tuple[str, list[str], str, int]]:
    """(question, answer texts, paragraph, answer offset) of the questions asking what a term is."""
    data = json.loads((NORQUAD / f"norquad-{split}.json").read_text(encoding="utf-8"))["data"]
    return [
        (
            qa["question"],
            [a["text"] for a in qa["answers"]],
            p["context"],
            qa["answers"][0]["answer_start"],
        )
        for article in data
        for p in article["paragraphs"]
        for qa in p["qas"]
        if qa["answers"] and defined_term(qa["question"])
    ]


def sentence_level(split: str) -> None:
    items = questions(split)
    stated = others = others_stated = 0
    for question, _, context, start in items:
        term = defined_term(question) or ""
        for begin, end in sentences(context):
            if begin <= start < end:
                stated += defines(term, context[begin:end])
            else:
                others += 1
                others_stated += defines(term, context[begin:end])
    print(
        f"{split}: {len(items)} questions ask what a term is; the answer sentence defines it for "
        f"{stated}, the paragraphs' other sentences {others_stated} of {others}"
    )


def end_to_end(split: str, work: Path) -> None:
    items = questions(split)
    with Searcher(work / f"index-{split}") as searcher:
        answerer = Answerer(searcher)
        for name, definitions in (("without", False), ("with", True)):
            if not definitions:  # the rule off: no term is ever asked for
                answer_module.defined_term = lambda question: None
            first = three = 0
            for question, answers, _, _ in items:
                made = answerer.answer(question, min_confidence=0.0)
                quotes = [c.quote for c in (made.citations or made.leads)][:3]
                found = [
                    any(normalise(a).lower() in normalise(q).lower() for a in answers)
                    for q in quotes
                ]
                first += bool(found) and found[0]
                three += any(found)
            answer_module.defined_term = defined_term
            print(
                f"  {split} end to end, {name} the rule: first quote {first}, in 3 quotes {three}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    for split in ("train", "validation"):
        sentence_level(split)
        if args.work:
            end_to_end(split, args.work)


if __name__ == "__main__":
    main()
