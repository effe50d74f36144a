"""Average the last K epochs' weights of tagger runs (checkpoint averaging), as int8 weights.

Needs runs of `scripts/train_ner_e5.py --keep-epochs` (their epoch-N.safetensors files). With
several `--run`s the last K epochs of each are averaged together (a uniform "model soup": every
run starts from the same e5 weights, so their means stay in one basin).
Writes OUT/weights.safetensors, OUT/tagger.json and the run's log, the layout `scripts/train_ner.py
--package-only --out OUT` turns into a pipeline; choose K on NorNE dev with
`benchmarks/bench_ner.py --split dev`, never on a held-out split.

    python scripts/average_ner_checkpoints.py --run DIR [--run DIR2 ...] --last K --out OUT
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path

import torch
from safetensors.torch import load_file

from policyminer.enrich.nertagger import CONFIG_FILE, WEIGHTS_FILE, build_model, save_weights
from policyminer.models.embedding import default_model_dir


def epoch_files(run: Path) -> list[Path]:
    """The run's per-epoch weights, oldest first."""
    files = list(run.glob("epoch-*.safetensors"))
    return sorted(files, key=lambda p: int(re.search(r"\d+", p.stem).group()))


def averaged(files: list[Path]) -> dict[str, torch.Tensor]:
    """The element-wise mean of the files' tensors."""
    total: dict[str, torch.Tensor] = {}
    for path in files:
        for name, tensor in load_file(str(path)).items():
            total[name] = total.get(name, 0) + tensor.double()
    return {name: (t / len(files)).float() for name, t in total.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--run", type=Path, action="append", required=True, help="a --keep-epochs training output"
    )
    ap.add_argument("--last", type=int, required=True, help="how many final epochs to average")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    files: list[Path] = []
    for run in args.run:
        last = epoch_files(run)[-args.last :]
        if len(last) < args.last:
            ap.error(f"{run}: {len(last)} epoch files, {args.last} asked for")
        files += last
    model = build_model(default_model_dir())
    model.load_state_dict(averaged(files), strict=False)
    args.out.mkdir(parents=True, exist_ok=True)
    save_weights(model, args.out / WEIGHTS_FILE)
    first = args.run[0]
    shutil.copy(first / CONFIG_FILE, args.out / CONFIG_FILE)
    log = json.loads((first / "training-log.json").read_text())
    log["averaged_epochs"] = [str(p) for p in files]
    (args.out / "training-log.json").write_text(json.dumps(log, indent=2))
    print(f"averaged {', '.join(map(str, files))} -> {args.out / WEIGHTS_FILE}")


if __name__ == "__main__":
    main()
