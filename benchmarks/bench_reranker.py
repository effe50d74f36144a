"""The cross-encoder of scripts/train_answer_reranker.py against the shipped answer scorer.

    .venv/bin/python benchmarks/bench_reranker.py --weights FILE [--index indexes/bench-real
        --docs ../shared/realpdfs --qa ../shared/eval/qa-dev-realpdfs.json]

An experiment of issue 12 (not shipped; BENCHMARKS "Issue 12 (session 6)"). For every dev
question the shipped `Answerer` retrieves and scores its candidate sentences (abstention off);
its best TOP are then ordered three ways: by the scorer alone (what `ask` quotes), by the
cross-encoder alone, and by both (each standardised over the candidates, then averaged).
hit@1 / hit@3 use bench_answer's match (a gold quote or one of its sentence pieces inside the
cited sentence, or the other way round). For abstention it prints the
ROC AUC of each ordering's best score between answerable and unanswerable questions (how well
the best candidate's score tells "not in the documents" apart), not a calibrated decision.
Nothing was fitted on these questions.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

sys.path.insert(0, str(REPO / "scripts"))

import bench_answer as B  # noqa: E402
from train_answer_reranker import Reranker  # noqa: E402

from policyminer.answer.answer import Answerer  # noqa: E402
from policyminer.lang import is_list_question  # noqa: E402
from policyminer.retrieve.search import Searcher  # noqa: E402

TOP = 12  # the scorer's best candidates the cross-encoder reads again


def standardised(x: np.ndarray) -> np.ndarray:
    spread = float(x.std())
    return (x - x.mean()) / spread if spread > 0 else np.zeros_like(x)


def auc(pos: list[float], neg: list[float]) -> float:
    """P(an answerable question's best score > an unanswerable one's); ties count half."""
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--weights", type=Path, required=True, help="weights.safetensors written by the recipe"
    )
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--index", type=Path, default=REPO / "indexes" / "bench-real")
    parser.add_argument("--docs", type=Path, default=REPO.parent / "shared" / "realpdfs")
    parser.add_argument(
        "--qa", type=Path, default=REPO.parent / "shared" / "eval" / "qa-dev-realpdfs.json"
    )
    args = parser.parse_args()

    B.build_index(args.index, args.docs)
    model = Reranker(args.layers)
    model.load_packaged(args.weights)
    items = B.load_items(args.qa)
    orders = ("shipped", "reranker", "both")
    hits = {o: {1: {}, 3: {}} for o in orders}
    best = {o: {True: [], False: []} for o in orders}
    seconds = []
    with Searcher(args.index) as searcher:
        answerer = Answerer(searcher, min_confidence=0.0)
        for item in items:
            found = searcher.search(item.question, k=answerer.passages, mode="hybrid")
            sentences = answerer.score(item.question, found, is_list_question(item.question))
            top = sentences[:TOP]
            if not top:
                continue
            shipped = np.array([s.score for s in top])
            t = time.perf_counter()
            rerank = model.score(item.question, [s.text for s in top])
            seconds.append(time.perf_counter() - t)
            both = standardised(shipped) + standardised(rerank)
            scores = {"shipped": shipped, "reranker": rerank, "both": both}
            for name, value in scores.items():
                order = np.argsort(-value, kind="stable")
                quotes = [top[i].text for i in order]
                best[name][item.answerable].append(float(value.max()))
                if item.answerable:
                    key = "en" if item.source.endswith("-en") else "nb"
                    for k in (1, 3):
                        hit = any(B.matches(q, g) for q in quotes[:k] for g in item.gold)
                        hits[name][k].setdefault(key, []).append(hit)
    print(
        f"{args.qa.name}: {len(items)} questions; cross-encoder of {args.layers} layers over the "
        f"top {TOP} candidates, {np.median(seconds) * 1000:.0f} ms median per question (torch)"
    )
    print(
        "| order | nb hit@1 | nb hit@3 | en hit@1 | en hit@3 | best-score AUC answerable vs not |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name in orders:
        cells = []
        for lang in ("nb", "en"):
            for k in (1, 3):
                got = hits[name][k].get(lang, [])
                cells.append(f"{np.mean(got):.3f} ({sum(got)}/{len(got)})" if got else "—")
        # "both" is standardised within a question: its best score says nothing across questions
        a = "—" if name == "both" else f"{auc(best[name][True], best[name][False]):.3f}"
        print(f"| {name} | {' | '.join(cells)} | {a} |")


if __name__ == "__main__":
    main()
