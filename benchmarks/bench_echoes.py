"""Sentences that only restate an open question, on NorQuAD (nothing fitted): how often the
answer sentence does (the rule's cost), and with `--work` the answers end to end with the rule
on and off, over the questions' own paragraphs and over the same paragraphs with every answer
sentence taken out (near misses: the topic is there, the answer is not; a question whose
answer text a quote still holds, from another article, is left out of that count).

    .venv/bin/python benchmarks/bench_echoes.py [--work W] [--split validation|train]

W is the work folder of `scripts/train_answer_scorer.py` (its evidence base `index-SPLIT`); the
near-miss evidence base `index-near-SPLIT` is built there on first use (a minute or two).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from bench_norquad import found_in  # noqa: E402
from train_answer_scorer import build_index, load_split_spans  # noqa: E402

import policyminer.answer.answer as answer_module  # noqa: E402
from policyminer.answer.answer import Answerer  # noqa: E402
from policyminer.answer.candidates import MIN_WORDS, Terms  # noqa: E402
from policyminer.answer.citations import normalise  # noqa: E402
from policyminer.answer.echoes import asks_open, says_nothing_new  # noqa: E402
from policyminer.index.chunking import split_sentences  # noqa: E402
from policyminer.retrieve.search import Searcher  # noqa: E402

NORQUAD = REPO.parent / "shared" / "data" / "norquad"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """A paragraph's sentences, never across one of its lines."""
    out, offset = [], 0
    for line in text.split("\n"):
        out += [(offset + s, offset + e) for s, e in split_sentences(line) if line[s:e].strip()]
        offset += len(line) + 1
    return out


def sentence_level(split: str) -> None:
    data = json.loads((NORQUAD / f"norquad-{split}.json").read_text(encoding="utf-8"))["data"]
    asked = answer = answer_restating = other = other_restating = 0
    for article in data:
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            terms = Terms([context, *(qa["question"] for qa in paragraph["qas"])])
            for qa in paragraph["qas"]:
                if not qa["answers"] or not asks_open(qa["question"]):
                    continue
                asked += 1
                given, start = terms(qa["question"]), qa["answers"][0]["answer_start"]
                for begin, end in sentence_spans(context):
                    text = context[begin:end]
                    if len(text.split()) < MIN_WORDS:  # no candidate either
                        continue
                    restates = says_nothing_new(given, terms.per_word(text))
                    if begin <= start < end:
                        answer, answer_restating = answer + 1, answer_restating + restates
                    else:
                        other, other_restating = other + 1, other_restating + restates
    print(
        f"{split}: {asked} open questions; the answer sentence restates the question for "
        f"{answer_restating} of {answer}, the paragraphs' other sentences {other_restating} of "
        f"{other}"
    )


def near_miss_index(work: Path, split: str) -> Path:
    """The split's paragraphs less every sentence that holds an answer to a question on their
    article (an answer often stands in more than one sentence, or in a sibling paragraph)."""
    data = json.loads((NORQUAD / f"norquad-{split}.json").read_text(encoding="utf-8"))["data"]
    near = []
    for article in data:
        answers = {
            normalise(a["text"]).lower()
            for paragraph in article["paragraphs"]
            for qa in paragraph["qas"]
            for a in qa["answers"]
            if a["text"].strip()
        }
        for paragraph in article["paragraphs"]:
            text = paragraph["context"]
            kept = [
                text[begin:end]
                for begin, end in sentence_spans(text)
                if not any(a in normalise(text[begin:end]).lower() for a in answers)
            ]
            near.append(" ".join(kept) or "(tom)")
    return build_index(work, f"near-{split}", near)


def end_to_end(work: Path, split: str) -> None:
    _, questions, _ = load_split_spans(split)
    own, near = work / f"index-{split}", near_miss_index(work, split)
    shipped = answer_module.asks_open
    for name, switch in (("off", lambda question: False), ("on", shipped)):
        answer_module.asks_open = switch
        first = three = abstained = missed = near_abstained = 0
        with Searcher(own) as searcher:
            answerer = Answerer(searcher, min_confidence=0.0)
            threshold = answerer.scorer.threshold
            for question, answers, _ in questions:
                made = answerer.answer(question)
                found = found_in([c.quote for c in made.citations[:3]], answers)
                first += bool(found) and found[0]
                three += any(found)
                abstained += made.confidence < threshold
        with Searcher(near) as searcher:
            answerer = Answerer(searcher, min_confidence=0.0)
            for question, answers, _ in questions:
                made = answerer.answer(question)
                if any(found_in([c.quote for c in made.citations[:3]], answers)):
                    continue  # the answer stands in another article too: no near miss
                missed += 1
                near_abstained += made.confidence < threshold
        n = len(questions)
        print(
            f"  the rule {name}: hit@1 {first / n:.3f} hit@3 {three / n:.3f}; answerable "
            f"abstained {abstained / n:.3f}; near misses abstained {near_abstained} of {missed} "
            f"({near_abstained / max(missed, 1):.3f})"
        )
    answer_module.asks_open = shipped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, help="train_answer_scorer.py's work folder")
    parser.add_argument("--split", choices=("validation", "train"))
    args = parser.parse_args()
    for split in (args.split,) if args.split else ("validation", "train"):
        sentence_level(split)
        if args.work:
            end_to_end(args.work, split)


if __name__ == "__main__":
    main()
