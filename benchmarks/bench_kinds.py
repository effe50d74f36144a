"""Questions of a kind whose answer sentence says so, on NorQuAD (nothing fitted): what a term
is ("Hva er plastinering?" → "X er …"), why ("Hvorfor …?" → "fordi …", "for å …") and how long
("Hvor lenge …?" → "i tre år", "til 2026"), and which things a labelled line names ("Hvilke
lokale aktører …?" → "Lokale aktører: …").

    .venv/bin/python benchmarks/bench_kinds.py [--work W]

For each rule and split: how many questions it reads, how often their answer sentence says
what they ask (`answer.definitions.defines`, `answer.causes.states_cause`) against the
paragraphs' other sentences (how much the rule narrows), and with `--work` (the work folder of
`scripts/train_answer_scorer.py`: evidence bases `index-train`, `index-validation`) the answers
end to end with the rule on and off (hits in the first quote and in three).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench_norquad import found_in
from bench_units import sentences

import policyminer.answer.answer as answer_module
from policyminer.answer.answer import Answerer
from policyminer.answer.causes import asks_cause, states_cause
from policyminer.answer.definitions import defined_term, defines
from policyminer.answer.durations import asks_duration, states_duration
from policyminer.answer.labels import asked_things, labels_asked
from policyminer.retrieve.search import Searcher

REPO = Path(__file__).resolve().parents[1]
NORQUAD = REPO.parent / "shared" / "data" / "norquad"


@dataclass(frozen=True)
class Rule:
    name: str
    asks: Callable[[str], bool]
    says: Callable[[str, str], bool]  # (question, sentence)
    switch: str  # the answer module's name for the question test: the rule is off without it
    off: Callable[[str], object]  # that test, answering "no"


RULES = (
    Rule(
        "what a term is",
        lambda q: defined_term(q) is not None,
        lambda q, text: defines(defined_term(q) or "", text),
        "defined_term",
        lambda q: None,
    ),
    Rule("why", asks_cause, lambda q, text: states_cause(text), "asks_cause", lambda q: False),
    Rule(
        "which, by a label",
        lambda q: bool(asked_things(q)),
        labels_asked,
        "asked_things",
        lambda q: [],
    ),
    Rule(
        "how long",
        asks_duration,
        lambda q, text: states_duration(text),
        "asks_duration",
        lambda q: False,
    ),
)


def questions(split: str, rule: Rule) -> list[tuple[str, list[str], str, int]]:
    """(question, answer texts, paragraph, answer offset) of the questions the rule reads."""
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
        if qa["answers"] and rule.asks(qa["question"])
    ]


def sentence_level(split: str, rule: Rule) -> None:
    items = questions(split, rule)
    said = others = others_said = 0
    for question, _, context, start in items:
        for begin, end in sentences(context):
            if begin <= start < end:
                said += rule.says(question, context[begin:end])
            else:
                others += 1
                others_said += rule.says(question, context[begin:end])
    print(
        f"{split}, {rule.name}: {len(items)} questions; the answer sentence says it for {said}, "
        f"the paragraphs' other sentences {others_said} of {others}"
    )


def end_to_end(split: str, rule: Rule, work: Path) -> None:
    items = questions(split, rule)
    shipped = getattr(answer_module, rule.switch)
    with Searcher(work / f"index-{split}") as searcher:
        answerer = Answerer(searcher)
        for name, on in (("off", False), ("on", True)):
            setattr(answer_module, rule.switch, shipped if on else rule.off)
            first = three = says = says_right = 0
            for question, answers, _, _ in items:
                made = answerer.answer(question, min_confidence=0.0)
                quotes = [c.quote for c in (made.citations or made.leads)][:3]
                found = found_in(quotes, answers)
                first += bool(found) and found[0]
                three += any(found)
                if quotes and rule.says(question, quotes[0]):
                    says, says_right = says + 1, says_right + found[0]
            print(
                f"  end to end, the rule {name}: first quote {first}, in 3 quotes {three}; "
                f"the first quote says it for {says}, {says_right} of them right"
            )
    setattr(answer_module, rule.switch, shipped)
    far_miss(split, rule, work)


def far_miss(split: str, rule: Rule, work: Path) -> None:
    """The same questions over the other split's paragraphs, which do not hold their answers:
    how often the first quote still says what the rule looks for (a rule that trusts it would
    answer them)."""
    other = "validation" if split == "train" else "train"
    items = questions(split, rule)
    says = 0
    with Searcher(work / f"index-{other}") as searcher:
        answerer = Answerer(searcher)
        for question, _, _, _ in items:
            made = answerer.answer(question, min_confidence=0.0)
            quotes = [c.quote for c in (made.citations or made.leads)]
            says += bool(quotes) and rule.says(question, quotes[0])
    print(f"  over the {other} paragraphs (far misses): the first quote says it for {says}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path)
    parser.add_argument("--rule", choices=[r.name for r in RULES], help="only this rule")
    args = parser.parse_args()
    for rule in RULES:
        if args.rule and rule.name != args.rule:
            continue
        for split in ("train", "validation"):
            sentence_level(split, rule)
            if args.work:
                end_to_end(split, rule, args.work)


if __name__ == "__main__":
    main()
