"""NER recipe sweep on a GPU machine: variants chosen on NorNE dev, then the ship build.

Needs only PyTorch, transformers, safetensors and numpy (no spaCy: it decodes with the
tagger's own `policyminer.enrich.iob`, from the tree), and the files `scripts/ner_device_pack.py`
writes (``--data DIR``). The training loop is `scripts/train_ner_e5.py`'s (`ner_training.py`:
AdamW, 6 % warm-up, linear decay, clipping 1.0; dropout 0.1, frozen embeddings, mean of the
last three epochs). Variants change one thing of the recipe (learning rate, epochs, batch,
window, label smoothing); each runs with ``--seeds`` seeds on NorNE train less the untouched
split and is scored on NorNE dev (running text). The untouched split's scores go to a separate
file, to be read only once dev has made the choice.

Stage 1 runs every (variant, seed) side by side, one process each. The variant with the best
mean dev F1 over its seeds is chosen; stage 2 trains it (seed 0) on all of train: its int8
weights (`save_weights`' format, in two halves under 16 MiB) are the ship candidate, beside the
chosen variant's seed-0 hold-out weights. Its seeds' ensemble is scored for the record.
``--distil`` also trains a student on the base variant's seeds' probabilities (it competes
with the chosen variant on dev).

    python3 scripts/ner_device_sweep.py --data .gpu --out $OUT \\
        [--variants base,lr5e-5-ep12] [--seeds 3] [--budget 540]

On one H200, 13 runs side by side took 6 minutes (two side by side: about 15 s per epoch
each); stage 2 about 3 more. Read BENCHMARKS.md ("Session 14") before trusting one seed per
variant: seeds alone moved the untouched F1 by 0.02.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import torch
from safetensors.torch import save_file

# the GPU machine has the tree but no install of policyminer (nor spaCy: only these two modules)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from ner_training import recipe_optimiser, take_step

from policyminer.enrich.iob import TAGS, iob_spans, viterbi
from policyminer.models.precision import int8_rows

LAST_K = 3
BASE = {"lr": 1e-4, "epochs": 8, "batch": 8, "window": 128, "seed": 0, "smooth": 0.0}
VARIANTS = {  # the shipped recipe, and one change at a time
    "base": {},
    "lr5e-5-ep12": {"lr": 5e-5, "epochs": 12},
    "lr2e-4": {"lr": 2e-4},
    "bs32-lr2e-4": {"batch": 32, "lr": 2e-4},
    "w256": {"window": 256},
    "smooth0.1": {"smooth": 0.1},
}


def hold_configs(variants: list[str], seeds: int) -> list[dict]:
    """Stage-1 configs: each variant with each seed, on train less the untouched split."""
    return [
        BASE | VARIANTS[v] | {"name": f"{v}-s{s}", "variant": v, "seed": s, "split": "train_hold"}
        for v in variants
        for s in range(seeds)
    ]


# ----------------------------------------------------------------------------- model


def dequantise(entry: dict) -> torch.Tensor:
    if "f32" in entry:
        return entry["f32"]
    qs = entry["qs"].to(torch.int16)
    nibbles = torch.cat([qs & 0x0F, qs >> 4], dim=1).to(torch.float32) - 8
    return (nibbles * entry["d"].to(torch.float32)[:, None]).reshape(-1)


def build_model(base: dict) -> torch.nn.Module:
    from transformers import BertConfig, BertModel

    config = BertConfig(**base["config"])
    encoder = BertModel(config, add_pooling_layer=False)
    shapes = {k: v.shape for k, v in encoder.state_dict().items()}
    state = {name: dequantise(e).reshape(shapes[name]) for name, e in base["tensors"].items()}
    missing, unexpected = encoder.load_state_dict(state, strict=False)
    assert not unexpected and all("position_ids" in m or "token_type_ids" in m for m in missing)

    class TokenTagger(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            self.dropout = torch.nn.Dropout(0.1)
            self.classifier = torch.nn.Linear(config.hidden_size, len(base["tags"]))

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            return self.classifier(self.dropout(hidden))

    model = TokenTagger()
    model.encoder.embeddings.requires_grad_(False)
    return model


def trained_state(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {
        k: v.detach().float().clone()
        for k, v in model.state_dict().items()
        if not k.startswith("encoder.embeddings.")
    }


def int8_halves(state: dict[str, torch.Tensor]) -> tuple[dict, dict]:
    """`nertagger.save_weights`' format, split so that each half stays under 16 MiB."""
    halves: tuple[dict, dict] = ({}, {})
    for name, tensor in state.items():
        tensor = tensor.float().cpu()
        parts = name.split(".")
        layer = int(parts[3]) if parts[:3] == ["encoder", "encoder", "layer"] else 99
        half = halves[0] if layer < 6 else halves[1]
        if tensor.ndim == 2 and not name.startswith("classifier."):
            half[name + ".q8"], half[name + ".scale"] = int8_rows(tensor)
        else:
            half[name] = tensor.contiguous()
    return halves


# ----------------------------------------------------------------------------- data


def padded(split: dict, order: list[int], pad_id: int, device: str, with_labels: bool):
    width = max(len(split["ids"][i]) for i in order)
    ids = torch.full((len(order), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(order), width), dtype=torch.long)
    labels = torch.full((len(order), width), -100, dtype=torch.long)
    for row, i in enumerate(order):
        n = len(split["ids"][i])
        ids[row, :n] = torch.tensor(split["ids"][i])
        mask[row, :n] = 1
        if with_labels:
            tags = torch.tensor([split["tags"][w] for w in split["words"][i]])
            labels[row, split["first"][i]] = tags
    return ids.to(device), mask.to(device), labels.to(device)


@torch.no_grad()
def word_log_probs(models: list, split: dict, pad_id: int, device: str) -> list[torch.Tensor]:
    """Per-window word log-probs, averaged over models (an ensemble when several)."""
    for m in models:
        m.eval()
    order = sorted(range(len(split["ids"])), key=lambda i: len(split["ids"][i]))
    out: list[torch.Tensor] = [torch.empty(0)] * len(order)
    for b in range(0, len(order), 64):
        chosen = order[b : b + 64]
        ids, mask, _ = padded(split, chosen, pad_id, device, False)
        probs = sum(torch.softmax(m(ids, mask).float(), -1) for m in models) / len(models)
        logp = probs.clamp_min(1e-12).log().cpu()
        for row, i in enumerate(chosen):
            out[i] = logp[row, split["first"][i]]
    for m in models:
        m.train()
    return out


def score(models: list, split: dict, tags: list[str], pad_id: int, device: str) -> dict:
    """Exact-span micro P/R/F1 of the decoded windows against the split's gold tags."""
    gold = set(iob_spans([tags[t] for t in split["tags"]]))
    pred: set = set()
    for i, logp in enumerate(word_log_probs(models, split, pad_id, device)):
        idx = split["words"][i]
        for a, b, label in iob_spans(viterbi(logp.numpy())):
            pred.add((idx[a], idx[b - 1] + 1, label))
    tp = len(gold & pred)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0, 4)}


# ----------------------------------------------------------------------------- training


def teacher_probs(paths: list[str], base: dict, split: dict, pad_id: int, device: str):
    models = []
    for path in paths:
        m = build_model(base).to(device)
        m.load_state_dict(torch.load(path), strict=False)
        models.append(m)
    return [lp.exp() for lp in word_log_probs(models, split, pad_id, device)]


def train(cfg: dict, base: dict, data: dict, pad_id: int, work: Path, device: str) -> dict:
    torch.manual_seed(cfg["seed"])
    rng = random.Random(cfg["seed"])
    by_split = data[cfg["window"]]
    split = by_split[cfg["split"]]
    tags = base["tags"]
    soft = None
    if cfg.get("teachers"):
        soft = teacher_probs(cfg["teachers"], base, split, pad_id, device)
    model = build_model(base).to(device)
    n = len(split["ids"])
    steps = cfg["epochs"] * math.ceil(n / cfg["batch"])
    params, opt, sched = recipe_optimiser(model, cfg["lr"], steps)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100, label_smoothing=cfg["smooth"])
    kept: list[dict] = []
    log = {"config": cfg, "epochs": []}
    t0 = time.monotonic()
    for epoch in range(1, cfg["epochs"] + 1):
        order = list(range(n))
        rng.shuffle(order)
        total = 0.0
        for b in range(0, n, cfg["batch"]):
            chosen = order[b : b + cfg["batch"]]
            ids, mask, labels = padded(split, chosen, pad_id, device, True)
            logits = model(ids, mask)
            loss = loss_fn(logits.view(-1, len(tags)), labels.view(-1))
            if soft is not None:
                sel = mask.new_zeros(mask.shape, dtype=torch.bool)
                target = []
                for row, i in enumerate(chosen):
                    sel[row, split["first"][i]] = True
                    target.append(soft[i])
                logp = torch.log_softmax(logits[sel], -1)
                kd = -(torch.cat(target).to(device) * logp).sum(-1).mean()
                loss = 0.5 * loss + 0.5 * kd
            total += take_step(loss, params, opt, sched)
        entry = {"epoch": epoch, "loss": round(total / math.ceil(n / cfg["batch"]), 4),
                 "s": round(time.monotonic() - t0)}  # fmt: skip
        if epoch > cfg["epochs"] - LAST_K:
            kept.append(trained_state(model))
        if "dev" in by_split and cfg["split"] != "train_dev":
            entry["dev"] = score([model], by_split["dev"], tags, pad_id, device)
        log["epochs"].append(entry)
        print(cfg["name"], json.dumps(entry), flush=True)
    mean = {k: sum(s[k] for s in kept) / len(kept) for k in kept[0]}
    model.load_state_dict(mean, strict=False)
    log["dev"] = score([model], by_split["dev"], tags, pad_id, device)
    if cfg["split"] == "train_hold":
        log["untouched"] = score([model], by_split["untouched"], tags, pad_id, device)
    torch.save(mean, work / f"{cfg['name']}.pt")
    log["minutes"] = round((time.monotonic() - t0) / 60, 2)
    return log


# ----------------------------------------------------------------------------- driver


def run_all(cfgs: list[dict], args: argparse.Namespace, deadline: float) -> list[dict]:
    """Train configs side by side, one process each; their logs as they finish."""
    procs = []
    for cfg in cfgs:
        spec = args.work / f"{cfg['name']}.json"
        spec.write_text(json.dumps(cfg))
        cmd = [sys.executable, __file__, "--data", str(args.data), "--out", str(args.out),
               "--work", str(args.work), "--one", str(spec), "--limit", str(args.limit),
               "--epochs", str(args.epochs)]  # fmt: skip
        procs.append((cfg, subprocess.Popen(cmd)))
    logs = []
    for cfg, proc in procs:
        try:
            proc.wait(timeout=max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
        result = args.work / f"{cfg['name']}.log.json"
        if result.exists():
            logs.append(json.loads(result.read_text()))
    return logs


def record(logs: list[dict], out: Path) -> None:
    """Dev figures to sweep.jsonl; untouched figures apart, to untouched.jsonl."""
    with (out / "sweep.jsonl").open("a") as f, (out / "untouched.jsonl").open("a") as g:
        for log in logs:
            f.write(json.dumps({k: v for k, v in log.items() if k != "untouched"}) + "\n")
            if "untouched" in log:
                g.write(json.dumps({"name": log["config"]["name"], "untouched": log["untouched"],
                                    "dev": log["dev"]}) + "\n")  # fmt: skip


def write_weights(path: Path, out: Path, stem: str) -> None:
    a, b = int8_halves(torch.load(path))
    save_file(a, str(out / f"{stem}-a.safetensors"))
    save_file(b, str(out / f"{stem}-b.safetensors"))


def record_ensemble(name: str, paths: list[str], args: argparse.Namespace, device: str) -> None:
    """A seed ensemble's scores, for the record: it multiplies the tagger's time."""
    base = torch.load(args.data / "base.pt")
    packed = torch.load(args.data / "data.pt")
    models = []
    for path in paths:
        m = build_model(base).to(device)
        m.load_state_dict(torch.load(path), strict=False)
        models.append(m)
    split, tags, pad_id = packed["data"][128], base["tags"], packed["pad_id"]
    dev = score(models, split["dev"], tags, pad_id, device)
    ens = {"name": name, "dev": dev}
    untouched = score(models, split["untouched"], tags, pad_id, device)
    with (args.out / "untouched.jsonl").open("a") as g:
        g.write(json.dumps(ens | {"untouched": untouched}) + "\n")
    with (args.out / "sweep.jsonl").open("a") as f:
        f.write(json.dumps(ens) + "\n")


def by_variant(logs: list[dict]) -> dict[str, dict]:
    """Each variant's seeds and their dev F1 (mean, min, max): what the choice reads."""
    groups: dict[str, list[dict]] = {}
    for log in logs:
        groups.setdefault(log["config"].get("variant", log["config"]["name"]), []).append(log)
    summary = {}
    for variant, runs in groups.items():
        f1 = [r["dev"]["f1"] for r in runs]
        summary[variant] = {"variant": variant, "runs": [r["config"]["name"] for r in runs],
                            "dev_mean": round(sum(f1) / len(f1), 4), "dev_min": min(f1),
                            "dev_max": max(f1)}  # fmt: skip
    return summary


def record_variants(logs: list[dict], out: Path) -> None:
    """Per-variant means: dev to sweep.jsonl, the untouched split's apart."""
    dev = by_variant(logs)
    untouched = by_variant([g | {"dev": g["untouched"]} for g in logs if "untouched" in g])
    with (out / "sweep.jsonl").open("a") as f, (out / "untouched.jsonl").open("a") as g:
        for variant, summary in dev.items():
            f.write(json.dumps(summary) + "\n")
            if variant in untouched:
                g.write(json.dumps({"variant": variant, "untouched": untouched[variant]}) + "\n")


def join(prefix: Path, log_file: Path, weights_dir: Path) -> None:
    """Rejoin a run's two weight halves into a weights folder `train_ner.py` packages."""
    from safetensors.torch import load_file

    from policyminer.enrich.nertagger import WINDOW  # here only: nertagger needs spaCy

    state = {**load_file(f"{prefix}-a.safetensors"), **load_file(f"{prefix}-b.safetensors")}
    weights_dir.mkdir(parents=True, exist_ok=True)
    save_file(state, str(weights_dir / "weights.safetensors"))
    log = json.loads(log_file.read_text())
    (weights_dir / "tagger.json").write_text(json.dumps({"tags": list(TAGS), "window": WINDOW}))
    prev, epochs = 0, []
    for e in log["epochs"]:
        minutes = round((e["s"] - prev) / 60, 2)
        epochs.append({"epoch": e["epoch"], "loss": e["loss"], "minutes": minutes,
                       "epoch_dev": e.get("dev")})  # fmt: skip
        prev = e["s"]
    summary = {"args": log["config"] | {"script": "scripts/ner_device_sweep.py"},
               "epochs": epochs, "averaged_epochs": LAST_K, "averaged_dev": log["dev"]}  # fmt: skip
    (weights_dir / "training-log.json").write_text(json.dumps(summary, indent=2))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--work", type=Path, default=Path("/tmp/ner-sweep"))
    ap.add_argument("--budget", type=float, default=480, help="seconds for the whole sweep")
    ap.add_argument("--one", type=Path, help="(internal) train the one config in this file")
    ap.add_argument(
        "--join",
        nargs=3,
        type=Path,
        metavar=("PREFIX", "LOG", "DIR"),
        help="rejoin PREFIX-a/-b.safetensors with the run's LOG into a weights DIR, then stop",
    )
    ap.add_argument(
        "--variants", default=",".join(VARIANTS), help=f"comma-separated, of {','.join(VARIANTS)}"
    )
    ap.add_argument("--seeds", type=int, default=1, help="seeds per variant (0, 1, …)")
    ap.add_argument(
        "--distil", action="store_true", help="also distil a student from the base variant's seeds"
    )
    ap.add_argument("--stage2", type=float, default=240, help="seconds kept for stage 2")
    ap.add_argument("--limit", type=int, default=0, help="windows per split (smoke tests)")
    ap.add_argument("--epochs", type=int, default=0, help="override every config's (smoke tests)")
    args = ap.parse_args()
    if args.join:
        join(*args.join)
        return
    device = "cuda" if torch.cuda.is_available() else "cpu"
    args.work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.one:
        torch.set_num_threads(1)
        torch.backends.cuda.matmul.allow_tf32 = True
        cfg = json.loads(args.one.read_text())
        cfg["epochs"] = args.epochs or cfg["epochs"]
        base = torch.load(args.data / "base.pt")
        packed = torch.load(args.data / "data.pt")
        data = packed["data"]
        if args.limit:
            for by_split in data.values():
                for s in by_split.values():
                    for key in ("ids", "first", "words"):
                        s[key] = s[key][: args.limit]
        log = train(cfg, base, data, packed["pad_id"], args.work, device)
        (args.work / f"{cfg['name']}.log.json").write_text(json.dumps(log))
        return
    start = time.monotonic()
    deadline = start + args.budget
    stage1 = hold_configs(args.variants.split(","), args.seeds)
    teachers = [BASE | {"name": f"all-s{s}", "seed": s, "split": "train_all"}
                for s in range(args.seeds)] if args.distil else []  # fmt: skip
    logs = run_all(stage1 + teachers, args, deadline - args.stage2)
    hold = [g for g in logs if g["config"]["split"] == "train_hold"]
    record(logs, args.out)
    record_variants(hold, args.out)
    print(f"stage 1 done in {time.monotonic() - start:.0f} s", flush=True)
    if not hold:
        print("no hold-out config finished in time", flush=True)
        return
    best = max(by_variant(hold).values(), key=lambda v: v["dev_mean"])
    seed0 = next(g for g in hold if g["config"]["name"] == best["runs"][0])
    stage2 = [seed0["config"] | {"name": "chosen-all", "split": "train_all"}]
    hold_teachers = [str(args.work / f"base-s{s}.pt") for s in range(args.seeds)]
    all_teachers = [str(args.work / f"all-s{s}.pt") for s in range(args.seeds)]
    if args.distil and all(Path(p).exists() for p in hold_teachers + all_teachers):
        stage2 += [
            BASE | {"name": "distil-hold", "split": "train_hold", "teachers": hold_teachers},
            BASE | {"name": "distil-all", "split": "train_all", "teachers": all_teachers},
        ]
    logs2 = run_all(stage2, args, deadline)
    record(logs2, args.out)
    paths = [str(args.work / f"{name}.pt") for name in best["runs"]]
    if len(paths) > 1:
        record_ensemble(f"ensemble-{best['variant']}-{len(paths)}", paths, args, device)
    choice = {"chosen": best["variant"], "dev_mean": best["dev_mean"], "hold": best["runs"][0],
              "ship": "chosen-all"}  # fmt: skip
    distilled = [g for g in logs2 if g["config"]["name"] == "distil-hold"]
    if distilled and distilled[0]["dev"]["f1"] > best["dev_mean"]:
        choice = {"chosen": "distil", "dev_mean": distilled[0]["dev"]["f1"],
                  "hold": "distil-hold", "ship": "distil-all"}  # fmt: skip
    with (args.out / "sweep.jsonl").open("a") as f:
        f.write(json.dumps({"choice": choice}) + "\n")
    print("choice:", json.dumps(choice), flush=True)
    for stem in ("hold", "ship"):
        path = args.work / f"{choice[stem]}.pt"
        if path.exists():
            write_weights(path, args.out, stem)
    print(f"sweep done in {time.monotonic() - start:.0f} s", flush=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
