"""Train the NorNE NER tagger on CPU and package it as models/ner/pipeline (one command).

Steps: fine-tune the local e5-small encoder on NorNE Bokmål train (scripts/train_ner_e5.py,
niced, the dev set only picks the best epoch), then assemble a spaCy pipeline around the
int8 weights: the `nb` tokenizer → `policyminer_e5_ner` → `policyminer_initiatives`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NER_DIR = REPO / "models" / "ner"
BUILD = NER_DIR / "build" / "e5-tagger"
PIPELINE = NER_DIR / "pipeline"


def train(passthrough: list[str]) -> None:
    """Run the fine-tuning script niced, so an interactive machine stays usable."""
    cmd = ["nice", sys.executable, str(REPO / "scripts" / "train_ner_e5.py"), *passthrough]
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=REPO, check=True)


def package(weights_dir: Path, pipeline: Path = PIPELINE) -> None:
    """Write a pipeline directory around the trained weights, replacing the old one whole."""
    import spacy

    from policyminer.enrich.ner import INITIATIVES
    from policyminer.enrich.nertagger import TAGGER

    log = json.loads((weights_dir / "training-log.json").read_text())
    nlp = spacy.blank("nb")
    nlp.add_pipe(TAGGER).from_disk(weights_dir)
    nlp.add_pipe(INITIATIVES)
    scored = [e for e in log["epochs"] if e.get("dev")]
    if "averaged_dev" in log:  # a device sweep's run (scripts/ner_device_sweep.py)
        held_out = log["args"]["split"] == "train_hold"
        performance = {
            "trained_on": "NorNE train" + (" less the untouched split" if held_out else ""),
            "epochs": len(log["epochs"]),
            "averaged_epochs": log["averaged_epochs"],
            "dev_of_average": log["averaged_dev"],
        }
    elif scored:
        best = max(scored, key=lambda e: e["dev"]["f1"])
        performance = {
            "best_epoch": best["epoch"],
            "dev": best["dev"],
            "int8_dev": log.get("int8_dev"),
        }
    else:  # trained on dev too (--with-dev): no dev score means anything, none is recorded
        args = log.get("args", {})
        data = "NorNE train" + (" less the untouched split" if args.get("hold_out") else "")
        performance = {
            "trained_on": data + " + dev",
            "epochs": len(log["epochs"]),
            "averaged_epochs": log.get("averaged_epochs"),
        }
    nlp.meta.update(
        name="policyminer_ner",
        description=(
            "multilingual-e5-small fine-tuned on NorNE Bokmål (int8 weights over the frozen "
            "embeddings of models/e5-small) + rule-based INITIATIVE recogniser"
        ),
        license="MIT (multilingual-e5-small weights: MIT; NorNE annotations: CC0)",
        train_minutes=round(sum(e["minutes"] for e in log["epochs"]), 1),
        performance=performance,
    )
    tmp = pipeline.with_name(pipeline.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    nlp.to_disk(tmp)
    old = pipeline.with_name(pipeline.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if pipeline.exists():
        pipeline.rename(old)
    tmp.rename(pipeline)
    shutil.rmtree(old, ignore_errors=True)
    print("packaged", pipeline, json.dumps(nlp.meta["performance"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--package-only",
        action="store_true",
        help="re-package the weights already in --out",
    )
    parser.add_argument("--out", type=Path, default=BUILD, help="where the weights go")
    parser.add_argument("--pipeline", type=Path, default=PIPELINE, help="pipeline to write")
    # anything else goes to train_ner_e5.py, e.g. --epochs 8 --max-minutes 75
    args, passthrough = parser.parse_known_args()
    if not args.package_only:
        train([*passthrough, "--out", str(args.out)])
    package(args.out, args.pipeline)


if __name__ == "__main__":
    main()
