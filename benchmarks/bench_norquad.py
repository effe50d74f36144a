"""`ask` end to end on every NorQuAD question of a split: over its own paragraphs and over the
other split's, where it is not answered.

    .venv/bin/python benchmarks/bench_norquad.py --work W [--split validation|train] [--source]
        [--scorer FILE] [--reworded FILE]

W is the work folder of `scripts/train_answer_scorer.py` (its evidence bases `index-validation`
and `index-train`: one document per NorQuAD paragraph). Reported: an answer text of the question
in the first quote (hit@1) or in one of the first three (hit@3), abstention off; the share of
questions abstained at the shipped threshold when asked of their own paragraphs (answerable) and
of the other split's (not in the documents). `--source`: only the questions that name who says
it ("… ifølge NRK?"). Nothing is fitted on the validation split's answers; the scorer's
calibration and threshold are fitted on its questions (see `policyminer.answer.scorer`).
`--reworded FILE`: only the questions the TSV rewords (columns split, n, paraphrase; n the
question's place in the split as `load_split` reads it), asked in their rewording.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from train_answer_scorer import load_split, read_reworded, reworded_questions  # noqa: E402

from policyminer.answer.answer import Answerer  # noqa: E402
from policyminer.answer.citations import normalise  # noqa: E402
from policyminer.answer.scorer import AnswerScorer, read_scorer  # noqa: E402
from policyminer.retrieve.search import Searcher  # noqa: E402

OTHER = {"validation": "train", "train": "validation"}
SOURCE = re.compile(r"\b(?:ifølge|i følge)\b", re.IGNORECASE)


def found_in(quotes: list[str], answers: list[str]) -> list[bool]:
    """For each quote, whether it holds one of the answer texts (normalised, any case)."""
    texts = [normalise(a).lower() for a in answers]
    return [any(t in normalise(q).lower() for t in texts) for q in quotes]


def hits(answerer: Answerer, question: str, answers: list[str]) -> tuple[bool, bool, float]:
    """Whether an answer text is in the first quote, in one of the first three; the confidence."""
    answer = answerer.answer(question)
    found = found_in([c.quote for c in answer.citations[:3]], answers)
    return bool(found) and found[0], any(found), answer.confidence


def run(
    work: Path,
    split: str,
    source_only: bool,
    scorer: AnswerScorer | None = None,
    reworded: Path | None = None,
) -> dict[str, float]:
    _, questions = load_split(split)
    if reworded is not None:
        questions = reworded_questions(questions, read_reworded(reworded, split))
    if source_only:
        questions = [q for q in questions if SOURCE.search(q[0])]
    first = three = abstained = far = 0
    with Searcher(work / f"index-{split}") as searcher:
        answerer = Answerer(searcher, min_confidence=0.0, scorer=scorer)
        threshold = answerer.scorer.threshold
        for question, answers, _ in questions:
            one, any3, confidence = hits(answerer, question, answers)
            first, three = first + one, three + any3
            abstained += confidence < threshold
    with Searcher(work / f"index-{OTHER[split]}") as searcher:
        answerer = Answerer(searcher, min_confidence=0.0, scorer=scorer)
        for question, _, _ in questions:
            far += answerer.answer(question).confidence < threshold
    n = max(len(questions), 1)
    return {
        "questions": len(questions),
        "hit@1": first / n,
        "hit@3": three / n,
        "answerable abstained": abstained / n,
        "not in the documents abstained": far / n,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="train_answer_scorer.py's folder")
    parser.add_argument("--split", choices=sorted(OTHER), default="validation")
    parser.add_argument("--source", action="store_true", help="only questions naming a source")
    parser.add_argument("--scorer", type=Path, help="an answer scorer JSON other than the shipped")
    parser.add_argument("--reworded", type=Path, help="ask the questions a TSV rewords, reworded")
    args = parser.parse_args()
    scorer = read_scorer(args.scorer) if args.scorer else None
    figures = run(args.work, args.split, args.source, scorer, args.reworded)
    print(
        f"{args.split}{' (naming a source)' if args.source else ''}"
        f"{' reworded' if args.reworded else ''}: "
        f"{figures['questions']} questions; hit@1 {figures['hit@1']:.3f} "
        f"hit@3 {figures['hit@3']:.3f}; "
        f"answerable abstained {figures['answerable abstained']:.3f}, "
        f"not in the documents abstained {figures['not in the documents abstained']:.3f}"
    )


if __name__ == "__main__":
    main()
