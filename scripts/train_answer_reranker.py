"""Train a cross-encoder that ranks candidate answer sentences, on NorQuAD (issue 12 experiment).

    .venv/bin/python scripts/train_answer_reranker.py [--layers 6] [--max-minutes 40]
        [--out models/reranker/build]

The shipped answer scorer reads a question and a sentence separately (cosines of their vectors,
term overlap); it cannot see whether the sentence says what the question asks. A cross-encoder
reads both together. This recipe fine-tunes the first `--layers` transformer layers of the local
multilingual-e5-small (embeddings frozen, as for the NER tagger) with a linear head over the
mean-pooled output, on NorQuAD train only:

- each question's group is the sentence holding its answer span (positive) and up to
  `--negatives` other sentences of the same paragraph (on the topic, without the answer: the
  near misses that fool the vector scorer) plus one sentence of another paragraph;
- the loss is the softmax cross-entropy of the positive within its group (a ranking loss);
- NorQuAD validation reports hit@1 among all sentences of the question's paragraph, beside the
  same figure for a plain e5 cosine, so the gain of reading both together shows.

Nothing here reads the project's dev questions. The weights go to `--out` (git-ignored):
`reranker.pt` (full precision) and `weights.safetensors` (int8 layers + head), which
`benchmarks/bench_reranker.py --weights` measures on the dev questions. An experiment, not
shipped (BENCHMARKS "Issue 12 (session 6)"); numpy inference and the `ask` integration that
were tried are in commit fd8ece0.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from policyminer.index.chunking import split_sentences  # noqa: E402

NORQUAD = REPO.parent / "shared" / "data" / "norquad"
MODEL = REPO / "models" / "e5-small"
MAX_LEN = 128

Group = tuple[str, list[str]]  # (question, [positive, negatives...])


def paragraph_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a NorQuAD paragraph, never across one of its lines."""
    out, offset = [], 0
    for line in text.split("\n"):
        for s, e in split_sentences(line):
            if line[s:e].strip():
                out.append((offset + s, offset + e))
        offset += len(line) + 1
    return out


def load(name: str) -> list[tuple[str, str, list[tuple[int, int]]]]:
    """(question, paragraph, answer spans) of a NorQuAD split."""
    data = json.loads((NORQUAD / f"norquad-{name}.json").read_text(encoding="utf-8"))
    out = []
    for article in data["data"]:
        for para in article["paragraphs"]:
            for qa in para["qas"]:
                given = [a for a in qa.get("answers", []) if a.get("text", "").strip()]
                if given and not qa.get("is_impossible"):
                    spans = [(a["answer_start"], a["answer_start"] + len(a["text"])) for a in given]
                    out.append((qa["question"], para["context"], spans))
    return out


def split_by_answer(paragraph: str, spans: list[tuple[int, int]]) -> tuple[str | None, list[str]]:
    """The sentence holding the first answer span, and the sentences holding none."""
    positive, negatives = None, []
    for s, e in paragraph_sentences(paragraph):
        text = " ".join(paragraph[s:e].split())
        if any(a < e and b > s for a, b in spans):
            positive = positive or text
        elif len(text.split()) >= 4:
            negatives.append(text)
    return positive, negatives


def groups(items, negatives: int, rng: random.Random, hard: int = 0) -> list[Group]:
    """Each question's positive, `negatives` sentences of its paragraph, and either one random
    sentence of another paragraph or (`hard` > 0) the `hard` sentences of other paragraphs that
    share the most weighted terms with the question (on its words, without its answer)."""
    pool = [(p, n) for _, p, sp in items for n in split_by_answer(p, sp)[1]]
    nearest = _lexical_neighbours([q for q, _, _ in items], pool, hard) if hard else None
    out = []
    for number, (question, paragraph, spans) in enumerate(items):
        positive, others = split_by_answer(paragraph, spans)
        if positive is None or not others:
            continue
        chosen = rng.sample(others, min(negatives, len(others)))
        if nearest is None:
            chosen.append(rng.choice(pool)[1])
        else:
            far = [pool[i][1] for i in nearest[number] if pool[i][0] != paragraph]
            chosen.extend(far[:hard])
        out.append((question, [positive, *chosen]))
    return out


def _lexical_neighbours(
    questions: list[str], pool: list[tuple[str, str]], k: int
) -> list[list[int]]:
    """For each question, the pool sentences with the highest TF-IDF cosine (a few spare)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(sublinear_tf=True, min_df=2)
    sentences = vectoriser.fit_transform([text for _, text in pool])
    asked = vectoriser.transform(questions)
    out = []
    for row in range(asked.shape[0]):
        scores = (sentences @ asked[row].T).toarray().ravel()
        out.append(np.argsort(-scores)[: k + 8].tolist())
    return out


class Reranker:
    """e5's first layers + a linear head over the mean-pooled output: one logit per pair."""

    def __init__(self, layers: int, path: Path = MODEL):
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(path))
        self.encoder = AutoModel.from_pretrained(
            str(path), num_hidden_layers=layers, add_pooling_layer=False
        )
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, 1)
        for p in self.encoder.embeddings.parameters():
            p.requires_grad = False

    def parameters(self):
        yield from (p for p in self.encoder.parameters() if p.requires_grad)
        yield from self.head.parameters()

    def logits(self, questions: list[str], sentences: list[str]):
        batch = self.tokenizer(
            [f"query: {q}" for q in questions],
            [f"passage: {s}" for s in sentences],
            padding=True,
            truncation="only_second",
            max_length=MAX_LEN,
            return_tensors="pt",
        )
        hidden = self.encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.head(pooled).squeeze(-1)

    def score(self, question: str, sentences: list[str], batch: int = 32) -> np.ndarray:
        out = []
        with self.torch.inference_mode():
            for i in range(0, len(sentences), batch):
                part = sentences[i : i + batch]
                out.append(self.logits([question] * len(part), part).numpy())
        return np.concatenate(out) if out else np.zeros(0)

    def save(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        state = {k: v for k, v in self.encoder.state_dict().items() if "embeddings" not in k}
        state.update({f"head.{k}": v for k, v in self.head.state_dict().items()})
        self.torch.save(state, out / "reranker.pt")

    def package(self, path: Path) -> None:
        """The fine-tuned layers as int8 with one scale per row, and the head, for numpy."""
        from safetensors.torch import save_file

        torch, out = self.torch, {}
        state = {k: v for k, v in self.encoder.state_dict().items() if "embeddings" not in k}
        for name, tensor in state.items():
            tensor = tensor.detach().float()
            if tensor.ndim == 2:
                scale = tensor.abs().amax(dim=1).clamp(min=1e-12) / 127.0
                out[name + ".q8"] = torch.round(tensor / scale[:, None]).to(torch.int8).contiguous()
                out[name + ".scale"] = scale.contiguous()
            else:
                out[name] = tensor.contiguous()
        for name, tensor in self.head.state_dict().items():
            out[f"head.{name}"] = tensor.detach().float().contiguous()
        path.parent.mkdir(parents=True, exist_ok=True)
        save_file(out, str(path))

    def load_packaged(self, path: Path) -> None:
        """Weights written by `package` (int8 rows times their scales)."""
        from safetensors.torch import load_file

        raw = load_file(str(path))
        state = {
            name[: -len(".q8")]: tensor.float() * raw[name[: -len(".q8")] + ".scale"][:, None]
            for name, tensor in raw.items()
            if name.endswith(".q8")
        }
        state.update({k: v for k, v in raw.items() if not k.endswith((".q8", ".scale"))})
        self.head.load_state_dict({k[5:]: v for k, v in state.items() if k.startswith("head.")})
        rest = {k: v for k, v in state.items() if not k.startswith("head.")}
        self.encoder.load_state_dict(rest, strict=False)
        self.encoder.eval()

    def load(self, out: Path) -> None:
        state = self.torch.load(out / "reranker.pt")
        head = {k[5:]: v for k, v in state.items() if k.startswith("head.")}
        self.head.load_state_dict(head)
        rest = {k: v for k, v in state.items() if not k.startswith("head.")}
        self.encoder.load_state_dict(rest, strict=False)
        self.encoder.eval()


def train(model: Reranker, data: list[Group], args) -> list[dict]:
    torch = model.torch
    params = list(model.parameters())
    optim = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    steps = args.epochs * math.ceil(len(data) / args.batch)
    warm = max(1, int(0.06 * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda i: min((i + 1) / warm, max(0.0, (steps - i) / max(1, steps - warm)))
    )
    rng, log, start, step = random.Random(args.seed), [], time.monotonic(), 0
    model.encoder.train()
    for epoch in range(args.epochs):
        rng.shuffle(data)
        total = 0.0
        for i in range(0, len(data), args.batch):
            part = data[i : i + args.batch]
            qs = [q for q, sents in part for _ in sents]
            ss = [s for _, sents in part for s in sents]
            logits = model.logits(qs, ss)
            loss, at = 0.0, 0
            for _, sents in part:
                group = logits[at : at + len(sents)]
                loss = loss + torch.nn.functional.cross_entropy(
                    group.unsqueeze(0), torch.zeros(1, dtype=torch.long)
                )
                at += len(sents)
            loss = loss / len(part)
            optim.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optim.step()
            sched.step()
            total += float(loss.detach())
            step += 1
            if step % 50 == 0:
                minutes = (time.monotonic() - start) / 60
                print(
                    f"epoch {epoch + 1} step {step}/{steps} "
                    f"loss {total / (i // args.batch + 1):.4f} "
                    f"{minutes:.1f} min",
                    flush=True,
                )
            if (time.monotonic() - start) / 60 > args.max_minutes:
                print("time budget reached", flush=True)
                log.append({"epoch": epoch + 1, "stopped_at_step": step})
                model.encoder.eval()
                return log
        log.append(
            {"epoch": epoch + 1, "loss": round(total / math.ceil(len(data) / args.batch), 4)}
        )
    model.encoder.eval()
    return log


def validate(model: Reranker, items, limit: int) -> dict[str, float]:
    """hit@1 among all sentences of the question's paragraph: reranker vs plain e5 cosine."""
    from policyminer.models.embedders import load_passage_embedder

    embedder = load_passage_embedder()
    hits, cos_hits, n = 0, 0, 0
    for question, paragraph, spans in items[:limit]:
        sents = [
            (" ".join(paragraph[s:e].split()), any(a < e and b > s for a, b in spans))
            for s, e in paragraph_sentences(paragraph)
        ]
        sents = [(t, y) for t, y in sents if t]
        if not any(y for _, y in sents) or len(sents) < 2:
            continue
        texts = [t for t, _ in sents]
        scores = model.score(question, texts)
        q = np.asarray(embedder.embed_queries([question]))[0]
        cos = np.asarray(embedder.embed_passages(texts)) @ q
        n += 1
        hits += sents[int(np.argmax(scores))][1]
        cos_hits += sents[int(np.argmax(cos))][1]
    return {
        "questions": n,
        "reranker_hit@1": round(hits / n, 4),
        "e5_cosine_hit@1": round(cos_hits / n, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--negatives", type=int, default=4)
    parser.add_argument(
        "--hard", type=int, default=0, help="negatives from other paragraphs, nearest by terms"
    )
    parser.add_argument("--init", type=Path, help="start from the reranker.pt in this directory")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=4, help="questions per step")
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=0, help="train questions (0 = all)")
    parser.add_argument("--max-minutes", type=float, default=40.0)
    parser.add_argument("--validate", type=int, default=300, help="validation questions scored")
    parser.add_argument("--out", type=Path, default=REPO / "models" / "reranker" / "build")
    args = parser.parse_args()

    import torch

    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    train_items = load("train")
    data = groups(train_items, args.negatives, rng, args.hard)
    if args.limit:
        data = data[: args.limit]
    print(f"{len(data)} training groups, {sum(len(s) for _, s in data)} pairs", flush=True)
    model = Reranker(args.layers)
    if args.init:
        model.load(args.init)
    t = time.monotonic()
    log = train(model, data, args)
    minutes = (time.monotonic() - t) / 60
    model.save(args.out)
    model.package(args.out / "weights.safetensors")
    val = load("validation")
    random.Random(1).shuffle(val)
    result = validate(model, val, args.validate)
    report = {
        "args": {k: str(v) for k, v in vars(args).items()},
        "log": log,
        "train_minutes": round(minutes, 1),
        "validation": result,
    }
    (args.out / "training-log.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(report["validation"]), flush=True)


if __name__ == "__main__":
    main()
