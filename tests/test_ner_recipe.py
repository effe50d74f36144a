"""The NER recipe runs end to end: fine-tune a few steps on NorNE, package, load, tag."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policyminer.enrich.ner import load_pipeline

REPO = Path(__file__).resolve().parents[1]
NORNE = REPO.parent / "shared" / "data" / "norne" / "norne-nob-train.conllu"


def run_recipe(tmp_path: Path, *extra: str) -> tuple[Path, Path]:
    """The recipe for two steps of one epoch; the weights and the pipeline it wrote."""
    weights, pipeline = tmp_path / "weights", tmp_path / "pipeline"
    run = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "train_ner.py"),
            *("--out", str(weights), "--pipeline", str(pipeline)),
            *("--epochs", "1", "--limit", "16", "--threads", "1", *extra),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return weights, pipeline


@pytest.mark.skipif(not NORNE.exists(), reason="../shared/data/norne is not present")
def test_recipe_trains_packages_and_the_pipeline_loads(tmp_path):
    weights, pipeline = run_recipe(tmp_path)
    log = json.loads((weights / "training-log.json").read_text())
    assert [e["epoch"] for e in log["epochs"]] == [1]
    assert set(log["int8_dev"]) == {"precision", "recall", "f1"}
    meta = json.loads((pipeline / "meta.json").read_text())
    assert meta["pipeline"] == ["policyminer_e5_ner", "policyminer_initiatives"]
    # two steps of training tag little, but the packaged pipeline loads and runs whole
    doc = load_pipeline(pipeline)("Kommunen samarbeider med Vestre Viken HF om Helseplattformen.")
    assert ("Helseplattformen", "INITIATIVE") in {(e.text, e.label_) for e in doc.ents}
    assert not (tmp_path / "pipeline.tmp").exists() and not (tmp_path / "pipeline.old").exists()


@pytest.mark.skipif(not NORNE.exists(), reason="../shared/data/norne is not present")
def test_recipe_trains_on_train_and_dev_once_dev_has_chosen(tmp_path):
    weights, pipeline = run_recipe(tmp_path, "--hold-out", "--with-dev")
    log = json.loads((weights / "training-log.json").read_text())
    # dev is training data here: no epoch is scored on it or picked by it
    assert [e["dev"] for e in log["epochs"]] == [None]
    meta = json.loads((pipeline / "meta.json").read_text())
    assert meta["performance"]["trained_on"] == "NorNE train less the untouched split + dev"
    doc = load_pipeline(pipeline)("Kommunen samarbeider med Vestre Viken HF om Helseplattformen.")
    assert ("Helseplattformen", "INITIATIVE") in {(e.text, e.label_) for e in doc.ents}
