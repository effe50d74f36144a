"""Nynorsk and Bokmål questions over the same Bokmål paragraphs: NorQuAD *training* questions.

    .venv/bin/python benchmarks/bench_nynorsk.py --work W [--show]

The 60 training questions that `bench_english.py` asks in English were also put into Nynorsk by
hand (`benchmarks/data/norquad-train-nn.json`). Here each is asked in Bokmål (as written) and in
Nynorsk over an evidence base of their own paragraphs (built once under W), with 120 other
training questions (seed 33) and the 60 Nynorsk *validation* questions as "not in the
documents". Choices for Nynorsk questions are made on this set; `bench_english_documents.py`
reports the validation questions, which nothing was chosen on. Reported per language: an answer
text in the first quote (hit@1) or in one of the first three (hit@3), abstention off, and the
share abstained at the shipped threshold.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_english import pairs  # noqa: E402
from bench_english_documents import answered_at  # noqa: E402
from train_answer_scorer import build_index, load_split  # noqa: E402

from policyminer.answer.answer import Answerer  # noqa: E402
from policyminer.retrieve.search import Searcher  # noqa: E402

DATA = REPO / "benchmarks" / "data"
OTHERS = 120
SEED = 33


def nynorsk(split: str) -> dict[int, str]:
    rows = json.loads((DATA / f"norquad-{split}-nn.json").read_text(encoding="utf-8"))
    return {int(r["n"]): r["question_nn"] for r in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--show", action="store_true", help="print each question's verdict")
    args = parser.parse_args()

    questions = pairs("train")
    in_nynorsk = nynorsk("train")
    numbers = sorted({number for *_, number in questions})
    paragraphs, every = load_split("train")
    index = build_index(args.work, "train-nb", [paragraphs[n] for n in numbers])
    own = set(numbers)
    others = [q for q, _, number in every if number not in own]
    far = {
        "nb": random.Random(SEED).sample(others, OTHERS),
        "nn": list(nynorsk("validation").values()),
    }
    verdicts: dict[str, list[tuple[int | None, bool]]] = {"nb": [], "nn": []}
    with Searcher(index) as searcher:
        answerer = Answerer(searcher, min_confidence=0.0)
        threshold = answerer.scorer.threshold
        for n, (bokmal, _, answers, _) in enumerate(questions):
            for lang, question in (("nb", bokmal), ("nn", in_nynorsk[n])):
                answer = answerer.answer(question)
                at = answered_at(answer, answers)
                verdicts[lang].append((at, answer.confidence < threshold))
                if args.show:
                    sure = answer.confidence
                    print(f"  {lang} {n:2d} answer {at} confidence {sure:.3f}  {question}")
        far_abstained = {
            lang: sum(answerer.answer(q).confidence < threshold for q in asked) / len(asked)
            for lang, asked in far.items()
        }
    print(f"{len(questions)} NorQuAD training questions over their own paragraphs (Bokmål)")
    print(f"{'question':>8} {'hit@1':>6} {'hit@3':>6} {'abstained':>9}")
    for lang, rows in verdicts.items():
        k = len(rows)
        hit1 = sum(at == 0 for at, _ in rows) / k
        hit3 = sum(at is not None for at, _ in rows) / k
        print(f"{lang:>8} {hit1:6.3f} {hit3:6.3f} {sum(a for _, a in rows) / k:9.3f}")
    print(
        f"not in the documents, abstained: {len(far['nb'])} other Bokmål training questions "
        f"{far_abstained['nb']:.3f}; {len(far['nn'])} Nynorsk validation questions "
        f"{far_abstained['nn']:.3f}"
    )


if __name__ == "__main__":
    main()
