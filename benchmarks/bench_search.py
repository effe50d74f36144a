"""Retrieval quality: NorQuAD (lexical vs dense vs hybrid) and evidence recall on qa-dev.

NorQuAD: the validation contexts (deduplicated) are the corpus, each written as a .txt file and
put through the ingest pipeline's parse → chunk → embed → catalog → sync steps (actor and area
enrichment skipped: they do not touch retrieval); a question's gold is any chunk of its own
context. Recall@1/5/10, MRR@10 and nDCG@10 (binary relevance, every chunk of the gold context
relevant) per mode, side by side.

qa-dev: the corpus PDFs (corpus/*.pdf) through the same steps; a question is a hit when one of
its top-5 chunks contains one of its gold quotes (whitespace-normalised); reported on the
answerable questions.

    .venv/bin/python benchmarks/bench_search.py [--contexts N] [--work DIR] [--skip-qa]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import time
from collections.abc import Sequence
from pathlib import Path

from policyminer.index.chunking import body_text, make_chunks
from policyminer.index.sync import embed_in_batches, sync_indexes
from policyminer.ingest import parse_file
from policyminer.models.embedding import load_passage_embedder
from policyminer.retrieve.search import MODES, Searcher
from policyminer.store.catalog import Catalog

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
NORQUAD = SHARED / "data" / "norquad" / "norquad-validation.json"
QA_DEV = SHARED / "eval" / "qa-dev.json"
# (row name, mode, fusion): hybrid with its default score fusion, and with RRF for comparison
RUNS = (
    ("lexical", "lexical", "score"),
    ("dense", "dense", "score"),
    ("hybrid (RRF k=60)", "hybrid", "rrf"),
    ("hybrid (score fusion, default)", "hybrid", "score"),
)


def build(index_dir: Path, files: Sequence[Path]) -> dict[str, float]:
    """Parse, chunk, embed and store files that are not yet in the index; sync the indexes."""
    embedder = load_passage_embedder()
    meta = {"embedding_model": embedder.name, "embedding_dim": str(embedder.dim)}
    chunks_done, embed_s, started = 0, 0.0, time.perf_counter()
    with Catalog(index_dir) as catalog:
        for n, path in enumerate(files, 1):
            if catalog.document_by_path(path):
                continue
            parsed = parse_file(path)
            body = body_text(parsed.paragraphs)
            chunks = make_chunks(parsed.paragraphs, body)
            if not chunks:
                continue
            t = time.perf_counter()
            vectors = embed_in_batches(embedder, [c.text for c in chunks])
            embed_s += time.perf_counter() - t
            catalog.put_document(parsed, body.offsets, chunks, vectors, meta=meta)
            chunks_done += len(chunks)
            if n % 25 == 0:
                print(f"  {n}/{len(files)} files, {chunks_done} chunks embedded", flush=True)
        t = time.perf_counter()
        sync_indexes(catalog)
        sync_s = time.perf_counter() - t
        counts = catalog.counts()
    return {
        "documents": counts["documents"],
        "chunks": counts["chunks"],
        "embedded_now": chunks_done,
        "passages_per_s": chunks_done / embed_s if embed_s else float("nan"),
        "build_s": time.perf_counter() - started,
        "sync_s": sync_s,
    }


def norquad_corpus(limit: int | None) -> tuple[list[str], list[tuple[str, int]]]:
    """Unique contexts (in order of first appearance) and (question, context number) pairs."""
    data = json.loads(NORQUAD.read_text(encoding="utf-8"))["data"]
    contexts: dict[str, int] = {}
    questions = []
    for article in data:
        for paragraph in article["paragraphs"]:
            number = contexts.setdefault(paragraph["context"], len(contexts))
            questions += [(qa["question"], number) for qa in paragraph["qas"]]
    texts = list(contexts)
    if limit:
        texts = texts[:limit]
        questions = [(q, c) for q, c in questions if c < limit]
    return texts, questions


def ndcg(ranked_relevant: list[bool], n_relevant: int, k: int = 10) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, rel in enumerate(ranked_relevant[:k]) if rel)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(n_relevant, k)))
    return dcg / ideal if ideal else 0.0


def norquad_files(work: Path, limit: int | None) -> tuple[list[Path], list[tuple[str, int]]]:
    """NorQuAD validation contexts as one text file each under work/ (kept), and the questions."""
    texts, questions = norquad_corpus(limit)
    folder = work / "norquad-docs"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for number, text in enumerate(texts):
        path = folder / f"ctx-{number:04d}.txt"
        if not path.exists():
            path.write_text(text, encoding="utf-8")
        files.append(path.resolve())
    return files, questions


def eval_norquad(work: Path, limit: int | None) -> None:
    files, questions = norquad_files(work, limit)
    index_dir = work / "norquad-index"
    stats = build(index_dir, files)
    print(
        f"NorQuAD validation: {len(files)} unique contexts → {stats['chunks']} chunks; "
        f"{len(questions)} questions; build {stats['build_s']:.0f} s "
        f"({stats['passages_per_s']:.1f} passages/s embedding), index sync {stats['sync_s']:.2f} s"
    )
    with Searcher(index_dir) as searcher:
        doc_of_file = {Path(d.path).name: d.id for d in searcher.catalog.documents()}
        gold_docs = [doc_of_file[f"ctx-{c:04d}.txt"] for _, c in questions]
        n_chunks = {d.id: d.chunks for d in searcher.catalog.documents()}
        rows = {}
        for name, mode, fusion in RUNS:
            r1 = r5 = r10 = mrr = nd = 0.0
            started = time.perf_counter()
            for (question, _), gold in zip(questions, gold_docs, strict=True):
                hits = searcher.search(question, k=10, mode=mode, fusion=fusion)
                relevant = [h.chunk.doc_id == gold for h in hits]
                rank = relevant.index(True) + 1 if True in relevant else None
                r1 += rank == 1
                r5 += rank is not None and rank <= 5
                r10 += rank is not None
                mrr += 1 / rank if rank else 0
                nd += ndcg(relevant, n_chunks[gold])
            n = len(questions)
            per_query = (time.perf_counter() - started) / n * 1000
            rows[name] = (r1 / n, r5 / n, r10 / n, mrr / n, nd / n, per_query)
    print("| mode | Recall@1 | Recall@5 | Recall@10 | MRR@10 | nDCG@10 | ms/query |")
    print("|---|---|---|---|---|---|---|")
    for name, row in rows.items():
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in row[:5]) + f" | {row[5]:.1f} |")


# qa-dev's Norwegian questions in English (our translation; the gold quotes stay Norwegian): a
# cross-lingual check of the same evidence. q063 is English in qa-dev already.
ENGLISH = {
    "q001": (
        "What did public health services in Norway cost in 2020 according to the Trondheim roadmap?"
    ),
    "q002": "budget health and care services Trondheim municipality 2020",
    "q007": (
        "What is the target in the strategic business plan for the number of technology "
        "companies in the Trondheim region in 2025?"
    ),
    "q015": (
        "How much lower could operating costs in municipal health services be with a "
        "little rationalisation each year for five years?"
    ),
    "q018": (
        "How can the municipality use empty commercial premises to help young people who "
        "have dropped out?"
    ),
    "q019": (
        "What could happen to the municipality's home nursing if patients may choose "
        "their provider themselves?"
    ),
    "q023": (
        "Which companies are listed as local business actors under basic research in the "
        "Trondheim roadmap?"
    ),
    "q024": "Which four drivers are used to evaluate the opportunity areas in the roadmap?",
    "q025": "Which five elements make up the innovation ecosystem as SINTEF defines it?",
    "q031": "How many inhabitants and municipalities does Vestre Viken HF serve?",
    "q038": "How many USN students do placements at Vestre Viken each year?",
    "q039": (
        "What was the value creation of the health industry and of health and care "
        "services in the DAB region in 2023?"
    ),
    "q044": "How many more people must work in patient care in the Drammen area in fifteen years?",
    "q049": "How does the quality of Norwegian health care compare with other countries?",
    "q050": "How much must efficiency in health and care grow each year to avoid a staff shortage?",
    "q056": (
        "Which models for organising a regional health cluster does the Drammen report describe?"
    ),
    "q057": "overview of funding models for regional health initiatives",
    "q060": (
        "Which companies contribute most to value creation in the health industry in the "
        "Drammen, Asker and Bærum region?"
    ),
    "q061": (
        "How many focus or opportunity areas do the Trondheim roadmap and the Drammen "
        "report each propose?"
    ),
}


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def eval_qa(work: Path) -> None:
    pdfs = sorted((REPO / "corpus").glob("*.pdf"))
    if not pdfs:
        print("qa-dev: no corpus/*.pdf; skipped")
        return
    index_dir = work / "corpus-index"
    stats = build(index_dir, [p.resolve() for p in pdfs])
    questions = json.loads(QA_DEV.read_text(encoding="utf-8"))
    answerable = [q for q in questions if q["kind"] != "unanswerable"]
    print(
        f"\nqa-dev (dev set): {len(pdfs)} corpus PDFs → {stats['chunks']} chunks; "
        f"{len(answerable)} answerable questions of {len(questions)}"
    )
    with Searcher(index_dir) as searcher:
        evidence_table(searcher, answerable)
        english = [{**q, "question": ENGLISH.get(q["id"], q["question"])} for q in answerable]
        print(f"\nqa-dev in English ({len(english)} answerable questions, gold quotes Norwegian)")
        evidence_table(searcher, english)


def evidence_table(searcher: Searcher, answerable: list[dict]) -> None:
    """Evidence recall@5 per mode, and the questions each mode misses."""
    print("| mode | evidence recall@5 (any quote) | quotes found in top 5 | recall@10 |")
    print("|---|---|---|---|")
    misses: dict[str, list[str]] = {}
    for name, mode, fusion in RUNS:
        hit5 = hit10 = quotes_found = quotes_total = 0
        for q in answerable:
            hits = searcher.search(q["question"], k=10, mode=mode, fusion=fusion)
            texts = [normalise(h.chunk.text) for h in hits]
            quotes = [normalise(e) for e in q["evidence"]]
            top5 = [any(quote in t for t in texts[:5]) for quote in quotes]
            hit5 += any(top5)
            hit10 += any(quote in t for quote in quotes for t in texts)
            quotes_found += sum(top5)
            quotes_total += len(quotes)
            if not any(top5):
                misses.setdefault(name, []).append(q["id"])
        n = len(answerable)
        print(
            f"| {name} | {hit5 / n:.3f} ({hit5}/{n}) | {quotes_found / quotes_total:.3f} "
            f"({quotes_found}/{quotes_total}) | {hit10 / n:.3f} |"
        )
    for name, *_ in RUNS:
        print(f"misses@5 {name}: {', '.join(misses.get(name, [])) or '-'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contexts", type=int, default=None, help="use the first N contexts")
    parser.add_argument("--work", type=Path, default=Path("/tmp/policyminer-bench-search"))
    parser.add_argument("--skip-qa", action="store_true")
    parser.add_argument("--skip-norquad", action="store_true")
    args = parser.parse_args()
    assert {mode for _, mode, _ in RUNS} == set(MODES)
    if not args.skip_norquad:
        eval_norquad(args.work, args.contexts)
    if not args.skip_qa:
        eval_qa(args.work)


if __name__ == "__main__":
    main()
