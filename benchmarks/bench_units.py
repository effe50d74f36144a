"""How often a question asks for a value in a unit, and whether answer sentences state one.

    .venv/bin/python benchmarks/bench_units.py [--norquad DIR] [--qa FILE ...]

The unit rule of `policyminer ask` (answer.units: a question naming the unit of its value is
answered by a close sentence stating a value in that unit, else it abstains) was scoped on
NorQuAD, where a paragraph's sentences can be told apart: for each split it prints the questions
that ask for a unit, the share whose answer sentence states a value in it (the rule's cost: a
right sentence it would pass over) and the share of the paragraph's other sentences that do (how
much it narrows). For each dev question file it lists the questions that ask for a unit; the
end-to-end effect is measured by bench_answer.py.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from policyminer.answer.units import asked_units, states_value_in

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


def norquad_split(path: Path) -> None:
    questions = asking = stated = others = others_stated = 0
    missed: list[str] = []
    for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            spans = sentences(context)
            for qa in paragraph["qas"]:
                questions += 1
                units = asked_units(qa["question"])
                if not units or not qa["answers"]:
                    continue
                start = qa["answers"][0]["answer_start"]
                holding = [(b, e) for b, e in spans if b <= start < e]
                if not holding:
                    continue
                asking += 1
                if states_any(units, context[slice(*holding[0])]):
                    stated += 1
                else:
                    missed.append(f"{qa['question']} → {qa['answers'][0]['text']!r}")
                rest = [context[b:e] for b, e in spans if (b, e) != holding[0] and e - b > 20]
                others += len(rest)
                others_stated += sum(states_any(units, s) for s in rest)
    print(
        f"{path.name}: {questions} questions, {asking} ask for a value in a unit; the answer "
        f"sentence states one for {stated}/{asking}; other sentences of the paragraph "
        f"{others_stated}/{others} ({others_stated / max(others, 1):.3f})"
    )
    for line in missed:
        print(f"  not stated: {line}")


def dev_file(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    items = data["questions"] if isinstance(data, dict) else data
    asking = [(q, sorted(asked_units(q["question"]))) for q in items]
    asking = [(q, units) for q, units in asking if units]
    print(f"{path.name}: {len(asking)} of {len(items)} questions ask for a value in a unit")
    for q, units in asking:
        kind = q.get("kind") or ("answerable" if q.get("answerable", True) else "unanswerable")
        print(f"  {q.get('id', '?'):6} {kind:12} {','.join(units):10} {q['question'][:80]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--norquad", type=Path, default=SHARED / "data" / "norquad")
    parser.add_argument(
        "--qa",
        type=Path,
        nargs="*",
        default=[SHARED / "eval" / "qa-dev.json", SHARED / "eval" / "qa-dev-realpdfs.json"],
    )
    args = parser.parse_args()
    for split in ("norquad-train.json", "norquad-validation.json"):
        norquad_split(args.norquad / split)
    for path in args.qa:
        dev_file(path)


if __name__ == "__main__":
    main()
