"""Near misses on NorQuAD, held out: how well the confidence tells an answer from a sentence on
the topic that lacks it, and whether two other readings of the quote would tell them better.

    .venv/bin/python benchmarks/bench_near_misses.py --work W [--split validation]

W is the work folder of `scripts/train_answer_scorer.py` (evidence base `index-SPLIT`); the
near-miss evidence base (`bench_echoes.near_miss_index`: every sentence that holds an answer to
a question of the article taken out) is built there on first use. Printed: near misses and
answerable questions abstained at the shipped threshold and at higher ones; the area under the
ROC curve between the first quotes of questions answered right over their own paragraphs and
the near misses' first quotes, for the confidence, for the question's cosine with the quoted
sentence embedded on its own, and for a logistic model on the two vectors' product and
difference trained on NorQuAD **train** (each answer sentence against up to three sentences of
its paragraph without the answer), alone and added to the confidence's logit. Nothing here is
shipped; it measures what is left.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from bench_echoes import near_miss_index, sentence_spans  # noqa: E402
from bench_norquad import found_in  # noqa: E402
from train_answer_scorer import load_split_spans  # noqa: E402

from policyminer.answer.answer import Answerer  # noqa: E402
from policyminer.answer.candidates import MIN_WORDS  # noqa: E402
from policyminer.retrieve.search import Searcher  # noqa: E402

NORQUAD = REPO.parent / "shared" / "data" / "norquad"
THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6)

Quote = tuple[str, str, float]  # question, first quote, confidence


def first_quotes(work: Path, split: str) -> tuple[list[Quote], list[Quote]]:
    """Right first quotes over the own paragraphs and near misses' first quotes; prints how
    many of each are abstained at the shipped and at higher thresholds."""
    _, questions, _ = load_split_spans(split)
    right, near = [], []
    own_confidence, near_confidence = [], []
    with Searcher(work / f"index-{split}") as searcher:
        answerer = Answerer(searcher, min_confidence=0.0)
        threshold = answerer.scorer.threshold
        for question, answers, _ in questions:
            made = answerer.answer(question)
            own_confidence.append(made.confidence)
            quotes = [c.quote for c in made.citations[:3]]
            if quotes and found_in(quotes, answers)[0]:
                right.append((question, quotes[0], made.confidence))
    with Searcher(near_miss_index(work, split)) as searcher:
        answerer = Answerer(searcher, min_confidence=0.0)
        for question, answers, _ in questions:
            made = answerer.answer(question)
            quotes = [c.quote for c in made.citations[:3]]
            if any(found_in(quotes, answers)):
                continue  # the answer stands in another article: no near miss
            near_confidence.append(made.confidence)
            if quotes:
                near.append((question, quotes[0], made.confidence))
    print(f"{split}: {len(questions)} questions, {len(near_confidence)} near misses")
    for t in (threshold, *THRESHOLDS):
        print(
            f"  threshold {t:.4f}: near misses abstained "
            f"{np.mean(np.array(near_confidence) < t):.3f}, answerable abstained "
            f"{np.mean(np.array(own_confidence) < t):.3f}"
        )
    return right, near


def training_pairs(limit: int = 3, seed: int = 0) -> list[tuple[str, str, int]]:
    """NorQuAD train: (question, sentence, holds the answer) — each answer sentence and up to
    `limit` sentences of its paragraph that lack the answer."""
    rng = random.Random(seed)
    data = json.loads((NORQUAD / "norquad-train.json").read_text(encoding="utf-8"))["data"]
    pairs = []
    for article in data:
        for paragraph in article["paragraphs"]:
            text = paragraph["context"]
            spans = [(b, e) for b, e in sentence_spans(text) if len(text[b:e].split()) >= MIN_WORDS]
            for qa in paragraph["qas"]:
                if not qa["answers"]:
                    continue
                start, answer = qa["answers"][0]["answer_start"], qa["answers"][0]["text"].lower()
                holding = [text[b:e] for b, e in spans if b <= start < e]
                lacking = [text[b:e] for b, e in spans if answer not in text[b:e].lower()]
                if holding:
                    pairs.append((qa["question"], holding[0], 1))
                    pairs += [
                        (qa["question"], s, 0)
                        for s in rng.sample(lacking, min(limit, len(lacking)))
                    ]
    return pairs


def auc(positive: np.ndarray, negative: np.ndarray) -> float:
    """The chance that a positive scores above a negative (ties half)."""
    above = (positive[:, None] > negative[None, :]).mean()
    tied = (positive[:, None] == negative[None, :]).mean()
    return float(above + tied / 2)


def readings(work: Path, split: str, right: list[Quote], near: list[Quote]) -> None:
    from sklearn.linear_model import LogisticRegression

    with Searcher(work / f"index-{split}") as searcher:
        embedder = searcher.query_embedder
        questions: dict[str, np.ndarray] = {}
        sentences: dict[str, np.ndarray] = {}

        def vectors(pairs: list[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray]:
            for q, _ in pairs:
                if q not in questions:
                    questions[q] = np.asarray(searcher.embed_query(q), np.float32).ravel()
            new = sorted({s for _, s in pairs} - sentences.keys())
            for i in range(0, len(new), 32):
                batch = new[i : i + 32]
                sentences.update(zip(batch, embedder.embed_passages(batch), strict=True))
            return (
                np.array([questions[q] for q, _ in pairs]),
                np.array([sentences[s] for _, s in pairs]),
            )

        def interaction(pairs: list[tuple[str, str]]) -> np.ndarray:
            q, s = vectors(pairs)
            return np.hstack([q * s, np.abs(q - s), (q * s).sum(1, keepdims=True)])

        train = training_pairs()
        model = LogisticRegression(C=10.0, max_iter=3000)
        model.fit(interaction([(q, s) for q, s, _ in train]), [y for *_, y in train])
        scores = {}
        for name, quotes in (("right", right), ("near", near)):
            pairs = [(q, s) for q, s, _ in quotes]
            q, s = vectors(pairs)
            confidence = np.clip([c for *_, c in quotes], 1e-6, 1 - 1e-6)
            scores[name] = {
                "confidence": np.log(confidence / (1 - confidence)),
                "alone": (q * s).sum(1),
                "interaction": model.decision_function(interaction(pairs)),
            }
    right_scores, near_scores = scores["right"], scores["near"]
    print(f"  AUC, {len(right)} right first quotes vs {len(near)} near misses':")
    for name in ("confidence", "alone", "interaction"):
        line = f"    {name}: {auc(right_scores[name], near_scores[name]):.3f}"
        if name == "interaction":  # a logit, as the confidence's is
            both = auc(
                right_scores["confidence"] + right_scores[name],
                near_scores["confidence"] + near_scores[name],
            )
            line += f" (with the confidence {both:.3f})"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="train_answer_scorer's folder")
    parser.add_argument("--split", choices=("validation", "train"), default="validation")
    args = parser.parse_args()
    right, near = first_quotes(args.work, args.split)
    readings(args.work, args.split, right, near)


if __name__ == "__main__":
    main()
