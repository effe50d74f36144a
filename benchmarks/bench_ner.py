"""NER quality on NorNE Bokmål dev and pipeline speed (dev numbers).

Scores the shipped pipeline (models/ner/pipeline) on ../shared/data/norne/norne-nob-dev.conllu
with gold tokenisation: exact spans, all NorNE labels, micro-averaged; then times the full
pipeline (tokenizer, NER, initiatives) on the dev sentences' raw text.

    python benchmarks/bench_ner.py [--json] [--pipeline DIR]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from policyminer.ner import PIPELINE_DIR, evaluate_conllu, load_pipeline
from policyminer.nerdata import read_sentences

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "data" / "norne" / "norne-nob-dev.conllu"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pipeline", type=Path, default=PIPELINE_DIR)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    nlp = load_pipeline(args.pipeline)
    t0 = time.perf_counter()
    result = evaluate_conllu(DEV, nlp)
    eval_s = time.perf_counter() - t0
    texts = []
    for sent in read_sentences(DEV):
        texts.append(
            "".join(w + (" " if sp else "") for w, sp in zip(sent.words, sent.spaces, strict=True))
        )
    words = sum(len(t.split()) for t in texts)
    wall, cpu = time.perf_counter(), time.process_time()
    n_ents = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=64))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    meta = nlp.meta
    out = {
        "file": str(DEV.relative_to(REPO.parent)),
        "pipeline": str(args.pipeline),
        "pipeline_mb": round(sum(f.stat().st_size for f in args.pipeline.rglob("*")) / 2**20, 1),
        "train_minutes": meta.get("train_minutes"),
        **result.as_dict(),
        "eval_s": round(eval_s, 1),
        "speed": {
            "words": words,
            "entities": n_ents,
            "wall_s": round(wall, 2),
            "cpu_s": round(cpu, 2),
            "words_per_s_wall": round(words / wall),
            "words_per_s_cpu": round(words / cpu),
            "entities_per_s_wall": round(n_ents / wall, 1),
        },
    }
    if args.json:
        print(json.dumps(out, indent=1))
        return
    o = out["overall"]
    print(
        f"NorNE dev: P {o['precision']:.3f} R {o['recall']:.3f} F1 {o['f1']:.3f} "
        f"({out['sentences']} sentences)"
    )
    for label, s in out["labels"].items():
        print(
            f"  {label:8} P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} "
            f"n={s['support']}"
        )
    print("speed:", json.dumps(out["speed"]))
    print("pipeline size MB:", out["pipeline_mb"], "train minutes:", out["train_minutes"])


if __name__ == "__main__":
    main()
