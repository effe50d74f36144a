"""Score a tagger with tag-transition scores added to its Viterbi decoder (an experiment).

The decoder normally only forbids ill-formed IOB2 transitions. Here it also adds
lambda * log P(tag_j | tag_i), bigram frequencies of NorNE train less the untouched blocks
(add-one smoothed), and scores NorNE dev or the untouched split per sentence and as running
text for each lambda. Choose lambda on dev; score the untouched split once. Session 10 chose
0.3 on dev (+0.004) and it lost on the untouched split, so the shipped decoder has none.

    python scripts/ner_transitions.py --split dev --pipeline DIR --weights 0 0.15 0.3 0.5 1
"""

from __future__ import annotations

import argparse
import json
import time
from itertools import pairwise
from pathlib import Path

import numpy as np

from policyminer.enrich import iob
from policyminer.enrich.ner import evaluate_sentences, load_pipeline
from policyminer.enrich.nerdata import read_sentences, repair_iob, split_untouched

NORNE = Path(__file__).resolve().parents[2] / "shared" / "data" / "norne"


def transition_log_probs() -> np.ndarray:
    """log P(tag_j | tag_i) over NorNE train less the untouched blocks, add-one smoothed."""
    index = {tag: i for i, tag in enumerate(iob.TAGS)}
    counts = np.ones((len(index), len(index)))
    trainable, _ = split_untouched(list(read_sentences(NORNE / "norne-nob-train.conllu")))
    for sentence in trainable:
        tags = repair_iob(sentence.tags)
        for a, b in pairwise(tags):
            counts[index[a], index[b]] += 1
    return np.log(counts / counts.sum(axis=1, keepdims=True))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--split", choices=("dev", "untouched"), default="dev")
    ap.add_argument("--pipeline", type=Path, required=True, help="a --hold-out pipeline")
    ap.add_argument("--weights", type=float, nargs="+", default=[0.0, 0.3])
    args = ap.parse_args()
    train = read_sentences(NORNE / "norne-nob-train.conllu")
    sentences = (
        split_untouched(list(train))[1]
        if args.split == "untouched"
        else list(read_sentences(NORNE / "norne-nob-dev.conllu"))
    )
    log_probs = transition_log_probs()
    nlp = load_pipeline(args.pipeline)
    for weight in args.weights:
        # the decoder reads this module-level matrix on every call: an experiment's override
        iob._PENALTY = np.where(iob._ALLOWED, weight * log_probs, -np.inf)
        start = time.perf_counter()
        running = evaluate_sentences(sentences, nlp, context=20).as_dict()["overall"]
        per_sentence = evaluate_sentences(sentences, nlp).as_dict()["overall"]
        print(
            json.dumps(
                {
                    "split": args.split,
                    "lambda": weight,
                    "running_text": running,
                    "per_sentence": per_sentence,
                    "seconds": round(time.perf_counter() - start),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
