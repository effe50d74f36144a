"""Ingest speed end to end, per stage, against the bare cost of embedding the same chunks.

Each run is a fresh process (imports and model loads count, as they do for a user): the
shipped ingest (sentence vectors pooled from the passage pass: no second pass since issue 12),
and optionally the ingest of an earlier commit
(``--before REF``: its ``src/`` is exported with ``git archive`` and run the same way). Then,
in the same run, the bare cost: a fresh process that imports sentence-transformers, loads the
model and encodes exactly the chunks the ingest stored ("passage: " prefix, batches of 32).
Peak RSS is each process's own maximum resident set (``os.wait4``), parse workers apart.

    .venv/bin/python benchmarks/bench_ingest.py [PATH ...] [--before REF] [--work DIR]
        [--runs shipped] [--skip-bare]

PATHs default to corpus/ and ../shared/realpdfs/.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
STAGES = ("load", "parse", "chunk", "embed", "ner", "tag", "write", "index", "sentences")

CHILD_INGEST = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from policyminer.ingest import ingest_paths
kwargs = json.loads(sys.argv[3])
report = ingest_paths([Path(p) for p in json.loads(sys.argv[1])], Path(sys.argv[2]), **kwargs)
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "timings": getattr(report, "timings", {}),
    "cpu_timings": getattr(report, "cpu_timings", {}),
    "pages": sum(r.pages for r in report.results if r.status in ("added", "updated")),
    "chunks": sum(r.chunks for r in report.results if r.status in ("added", "updated")),
    "statuses": [r.status for r in report.results],
}))
"""

CHILD_BARE = """
import json, sys, time
started = time.perf_counter()
from sentence_transformers import SentenceTransformer
imported = time.perf_counter()
model = SentenceTransformer(sys.argv[1], device="cpu", local_files_only=True)
loaded = time.perf_counter()
texts = ["passage: " + t.strip() for t in json.load(open(sys.argv[2]))]
if sys.argv[3] == "bf16":
    import torch
    with torch.autocast("cpu", dtype=torch.bfloat16):
        model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
else:
    model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
done = time.perf_counter()
print(json.dumps({"seconds": done - started, "timings": {
    "import": imported - started, "load": loaded - imported, "encode": done - loaded}}))
"""


def run_child(code: str, args: list[str], env: dict[str, str]) -> dict:
    """Run a child Python; its JSON result with wall and CPU seconds and peak RSS (MiB) added."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], env=env, stdout=subprocess.PIPE, cwd=REPO
    )
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode:
        raise SystemExit(f"child failed with exit code {proc.returncode}")
    result = json.loads(out.decode().strip().splitlines()[-1])
    result.update(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss=usage.ru_maxrss / 1024)
    return result


def export_src(ref: str, work: Path) -> Path:
    """``src/`` of a commit, unpacked under ``work`` (git archive: the checkout is untouched)."""
    target = work / f"src-{ref.replace('/', '_')}"
    if not target.exists():
        tar = subprocess.run(
            ["git", "-C", str(REPO), "archive", ref, "src"], check=True, capture_output=True
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
            archive.extractall(target, filter="data")
    return target / "src"


def environment(src: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(src), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    # policyminer sets this on import; the bare run must not burn CPU spinning either
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    env.setdefault("POLICYMINER_MODELS", str(REPO / "models"))
    env.update(extra)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--before", help="git ref whose ingest to run first, for comparison")
    parser.add_argument("--runs", default="shipped", help="or none")
    parser.add_argument("--jobs", type=int, default=None, help="parse workers (default: ingest's)")
    parser.add_argument("--skip-bare", action="store_true")
    parser.add_argument(
        "--bare-bf16", action="store_true", help="also time the bare encode under bf16 autocast"
    )
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    paths = [p.resolve() for p in (args.paths or [REPO / "corpus", SHARED / "realpdfs"])]
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    work.mkdir(parents=True, exist_ok=True)

    runs: list[tuple[str, dict[str, str], dict]] = []
    if args.before:
        runs.append((f"before ({args.before})", environment(export_src(args.before, work)), {}))
    kwargs = {} if args.jobs is None else {"jobs": args.jobs}
    for name in [n for n in args.runs.split(",") if n and n != "none"]:
        runs.append((name, environment(REPO / "src"), kwargs))

    rows = []
    texts_file = work / "chunks.json"
    for name, env, run_kwargs in runs:
        index = work / f"index-{len(rows)}"
        if index.exists():
            raise SystemExit(f"{index} exists: use a fresh --work directory")
        print(f"… {name}", file=sys.stderr, flush=True)
        child_args = [json.dumps([str(p) for p in paths]), str(index), json.dumps(run_kwargs)]
        rows.append((name, run_child(CHILD_INGEST, child_args, env)))
        if not texts_file.exists():
            with sqlite3.connect(index / "catalog.sqlite") as db:
                texts = [t for (t,) in db.execute("SELECT text FROM chunks ORDER BY id")]
            texts_file.write_text(json.dumps(texts, ensure_ascii=False))

    bare = None
    model_dir = str(REPO / "models" / "e5-small")
    if not args.skip_bare:
        print("… bare sentence-transformers embedding", file=sys.stderr, flush=True)
        env = environment(REPO / "src")
        bare = run_child(CHILD_BARE, [model_dir, str(texts_file), "fp32"], env)
    if args.bare_bf16:
        print("… bare sentence-transformers embedding, bf16 autocast", file=sys.stderr, flush=True)
        env = environment(REPO / "src")
        rows.append(
            (
                "bare, bf16 autocast",
                run_child(CHILD_BARE, [model_dir, str(texts_file), "bf16"], env),
            )
        )
    report(rows, bare, paths)


def report(rows: list[tuple[str, dict]], bare: dict | None, paths: list[Path]) -> None:
    """Print Markdown tables: totals with the ratios to the bare cost, then stages (wall, CPU)."""
    load = os.getloadavg()
    print(f"inputs: {', '.join(str(p) for p in paths)}; CPU cores: {os.cpu_count()}; "
          f"load average now {load[0]:.1f}\n")  # fmt: skip
    head = ["run", "pages", "chunks", "wall s", "CPU s", "pages/s (wall)", "× bare (wall)",
            "× bare (CPU)", "peak RSS MiB"]  # fmt: skip
    print("| " + " | ".join(head) + " |\n|" + " --- |" * len(head))
    for name, r in rows:
        wall_x = f"{r['wall'] / bare['wall']:.2f}" if bare else ""
        cpu_x = f"{r['cpu'] / bare['cpu']:.2f}" if bare else ""
        pps = r.get("pages", 0) / r["wall"] if r["wall"] else 0
        cells = [name, str(r.get("pages", "")), str(r.get("chunks", "")), f"{r['wall']:.1f}",
                 f"{r['cpu']:.1f}", f"{pps:.2f}", wall_x, cpu_x, f"{r['rss']:.0f}"]  # fmt: skip
        print("| " + " | ".join(cells) + " |")
    if bare:
        t = bare["timings"]
        print(f"| bare sentence-transformers: import {t['import']:.1f} s + load {t['load']:.1f} s "
              f"+ encode {t['encode']:.1f} s (wall) | | | {bare['wall']:.1f} | {bare['cpu']:.1f} "
              f"| | 1.00 | 1.00 | {bare['rss']:.0f} |")  # fmt: skip
    for key, title in (("timings", "wall"), ("cpu_timings", "CPU")):
        print(f"\nseconds per stage ({title}, main process)\n")
        print("| run | " + " | ".join(STAGES) + " |\n|" + " --- |" * (len(STAGES) + 1))
        for name, r in rows:
            if "statuses" not in r:
                continue  # a bare run has no ingest stages
            stages = r.get(key)
            cells = [f"{stages.get(s, 0):.1f}" if stages else "–" for s in STAGES]
            print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
