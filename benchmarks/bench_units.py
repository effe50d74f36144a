"""How often a question asks for a value in a unit or a quantity, and whether answers give one.

    .venv/bin/python benchmarks/bench_units.py [--norquad DIR] [--qa FILE ...]
        [--scorer-work DIR]

The unit rule of `policyminer ask` (answer.units: a question naming the unit of its value is
answered by a close sentence stating a value in that unit, else it abstains) was scoped on
NorQuAD, where a paragraph's sentences can be told apart: for each split it prints the questions
that ask for a unit, the share whose answer sentence states a value in it (the rule's cost: a
right sentence it would pass over) and the share of the paragraph's other sentences that do (how
much it narrows). For each dev question file it lists the questions that ask for a unit; the
end-to-end effect is measured by bench_answer.py. The quantity rule (answer.units.asks_quantity:
"how many …?" without a unit is answered by a close sentence stating a number the question does
not give, years and dates not counting, else it abstains) is scoped the same way.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from policyminer.answer.units import (
    asked_units,
    asks_quantity,
    counted_noun,
    states_count_of,
    states_new_number,
    states_value_in,
)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
# NorQuAD's paragraphs are news and encyclopedia prose: sentences end at ". " before a capital
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ0-9«])|\n")


def sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def states_any(units: frozenset[str], text: str) -> bool:
    return any(states_value_in(unit, text) for unit in units)


@dataclass(frozen=True)
class Rule:
    """A question rule: which questions it reads, and whether a sentence gives what they ask."""

    name: str
    asks: Callable[[str], bool]
    gives: Callable[[str, str], bool]  # (question, sentence)


RULES = (
    Rule(
        "a value in a unit",
        lambda q: bool(asked_units(q)),
        lambda q, text: states_any(asked_units(q), text),
    ),
    Rule(
        "a quantity without a unit (a number the question does not give)",
        lambda q: asks_quantity(q) and not asked_units(q),
        states_new_number,
    ),
    Rule(
        "a count of a noun (a number right before it: the ordering lift, no abstention)",
        lambda q: counted_noun(q) is not None and not asked_units(q),
        lambda q, text: states_count_of(counted_noun(q) or "", text),
    ),
)


def norquad_split(path: Path, rule: Rule) -> None:
    questions = asking = stated = others = others_stated = 0
    missed: list[str] = []
    for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            spans = sentences(context)
            for qa in paragraph["qas"]:
                questions += 1
                question = qa["question"]
                if not rule.asks(question) or not qa["answers"]:
                    continue
                start = qa["answers"][0]["answer_start"]
                holding = [(b, e) for b, e in spans if b <= start < e]
                if not holding:
                    continue
                asking += 1
                if rule.gives(question, context[slice(*holding[0])]):
                    stated += 1
                else:
                    missed.append(f"{question} → {qa['answers'][0]['text']!r}")
                rest = [context[b:e] for b, e in spans if (b, e) != holding[0] and e - b > 20]
                others += len(rest)
                others_stated += sum(rule.gives(question, s) for s in rest)
    print(
        f"{path.name}: {questions} questions, {asking} ask for {rule.name}; the answer "
        f"sentence gives it for {stated}/{asking}; other sentences of the paragraph "
        f"{others_stated}/{others} ({others_stated / max(others, 1):.3f})"
    )
    for line in missed:
        print(f"  not given: {line}")


def dev_file(path: Path, rule: Rule) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    items = data["questions"] if isinstance(data, dict) else data
    asking = [q for q in items if rule.asks(q["question"])]
    print(f"{path.name}: {len(asking)} of {len(items)} questions ask for {rule.name}")
    for q in asking:
        kind = q.get("kind") or ("answerable" if q.get("answerable", True) else "unanswerable")
        units = ",".join(sorted(asked_units(q["question"]))) or "-"
        print(f"  {q.get('id', '?'):6} {kind:12} {units:10} {q['question'][:80]}")


def end_to_end(path: Path, index: Path) -> None:
    """The quantity rule's cost on answerable questions: each NorQuAD question asking a quantity
    without a unit, answered over its split's evidence base (built by
    scripts/train_answer_scorer.py), abstentions for want of a number and hits in 3 quotes and in
    the first; apart, the questions that count a noun ("Hvor mange elever …?")."""
    from policyminer.answer.answer import Answerer
    from policyminer.answer.citations import normalise
    from policyminer.retrieve.search import Searcher

    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    items = [
        (qa["question"], [a["text"] for a in qa["answers"]])
        for article in data
        for paragraph in article["paragraphs"]
        for qa in paragraph["qas"]
        if qa["answers"] and RULES[1].asks(qa["question"])
    ]
    tally = {"all": [0, 0, 0, 0, 0], "counting": [0, 0, 0, 0, 0]}
    with Searcher(index) as searcher:
        answerer = Answerer(searcher)
        for question, answers in items:
            answer = answerer.answer(question, min_confidence=0.0)
            quotes = [c.quote for c in (answer.citations or answer.leads)][:3]
            found = [
                any(normalise(a).lower() in normalise(q).lower() for a in answers) for q in quotes
            ]
            groups = ["all", "counting"] if counted_noun(question) else ["all"]
            for group in groups:
                row = tally[group]
                row[0] += 1
                if answer.reason == "no_number":
                    row[1] += 1
                    row[2] += any(found)
                else:
                    row[3] += any(found)
                    row[4] += bool(found) and found[0]
    for group, (n, abstained, lost, hits, first) in tally.items():
        print(
            f"{path.name} over {index.name}, {group}: {n} questions ask for a quantity; "
            f"{abstained} abstain for want of a number ({lost} of them with the answer among the "
            f"leads); {hits} answered with the answer in the first 3 quotes, {first} in the first"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--norquad", type=Path, default=SHARED / "data" / "norquad")
    parser.add_argument(
        "--qa",
        type=Path,
        nargs="*",
        default=[SHARED / "eval" / "qa-dev.json", SHARED / "eval" / "qa-dev-realpdfs.json"],
    )
    parser.add_argument(
        "--scorer-work",
        type=Path,
        help="the work folder of scripts/train_answer_scorer.py: answer each split's quantity "
        "questions end to end over its evidence base (index-train, index-validation)",
    )
    args = parser.parse_args()
    for rule in RULES:
        print(f"# {rule.name}")
        for split in ("norquad-train.json", "norquad-validation.json"):
            norquad_split(args.norquad / split, rule)
        for path in args.qa:
            dev_file(path, rule)
        print()
    if args.scorer_work:
        for split in ("train", "validation"):
            index = args.scorer_work / f"index-{split}"
            end_to_end(args.norquad / f"norquad-{split}.json", index)


if __name__ == "__main__":
    main()
