"""Train the NorNE NER pipeline on CPU and package it as models/ner/pipeline (one command).

Steps: convert NorNE CoNLL-U to DocBin (models/ner/build/), run `spacy train` with
models/ner/config.cfg under a wall-clock budget (the dev set only picks the best checkpoint),
then package model-best plus the INITIATIVE recogniser into models/ner/pipeline.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NER_DIR = REPO / "models" / "ner"
BUILD = NER_DIR / "build"
PIPELINE = NER_DIR / "pipeline"


def convert() -> None:
    """Build the DocBin files from ../shared/data/norne."""
    subprocess.run([sys.executable, str(REPO / "scripts" / "norne_to_spacy.py")], check=True)


def train(threads: int, max_minutes: float, overrides: list[str]) -> Path:
    """Run spacy train niced with a thread cap; stop it when the time budget is spent."""
    out = BUILD / "training"
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    cmd = [
        "nice",
        sys.executable,
        "-m",
        "spacy",
        "train",
        str(NER_DIR / "config.cfg"),
        "--output",
        str(out),
        *overrides,
    ]
    print("$", " ".join(cmd), flush=True)
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env)
    try:
        proc.wait(timeout=max_minutes * 60)
    except subprocess.TimeoutExpired:
        # the best dev checkpoint is already on disk; the budget, not max_steps, ended training
        print(f"time budget of {max_minutes} min spent; using the best checkpoint so far")
        proc.terminate()
        proc.wait()
    else:
        if proc.returncode != 0:
            raise SystemExit(f"spacy train failed with exit code {proc.returncode}")
    minutes = (time.monotonic() - started) / 60
    (BUILD / "train_minutes.txt").write_text(f"{minutes:.1f}\n")
    return out / "model-best"


def package(model_dir: Path) -> None:
    """Copy the trained pipeline to models/ner/pipeline with the INITIATIVE recogniser added."""
    import spacy

    import policyminer.ner  # noqa: F401  (registers the initiative factory)

    nlp = spacy.load(model_dir)
    if "policyminer_initiatives" not in nlp.pipe_names:
        nlp.add_pipe("policyminer_initiatives", after="ner")
    nlp.meta["name"] = "policyminer_ner"
    nlp.meta["description"] = "CNN NER (NorNE Bokmål) + rule-based INITIATIVE recogniser"
    minutes = BUILD / "train_minutes.txt"
    if minutes.exists():
        nlp.meta["train_minutes"] = float(minutes.read_text())
    tmp = PIPELINE.with_name("pipeline.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    nlp.to_disk(tmp)
    shutil.rmtree(PIPELINE, ignore_errors=True)
    tmp.rename(PIPELINE)
    perf = nlp.meta.get("performance", {})
    scores = {k: perf.get(k) for k in ("ents_p", "ents_r", "ents_f")}
    print("packaged", PIPELINE, json.dumps(scores))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-minutes", type=float, default=35.0)
    parser.add_argument(
        "--package-only",
        action="store_true",
        help="re-package the existing models/ner/build/training/model-best",
    )
    # anything else is passed to spacy train as config overrides, e.g. --training.seed 1
    args, overrides = parser.parse_known_args()
    if args.package_only:
        package(BUILD / "training" / "model-best")
        return
    convert()
    package(train(args.threads, args.max_minutes, overrides))


if __name__ == "__main__":
    main()
