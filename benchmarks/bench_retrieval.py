"""Evidence retrieval on real PDFs and English questions (issue 12): recall@5/@10 and NorQuAD.

Three indexes, each built by the ingest pipeline's own steps (`parse_file` → `make_chunks` →
passage embeddings → `Catalog.put_document` → `sync_indexes`; enrichment skipped):

- realpdfs: `../shared/realpdfs/*.pdf`, questions `../shared/eval/qa-dev-realpdfs.json`;
- corpus: `corpus/*.pdf`, questions `../shared/eval/qa-dev.json` (its Norwegian questions also
  in English: bench_search.ENGLISH, gold quotes unchanged);
- NorQuAD validation contexts (one .txt each), gold = any chunk of the question's own context.

A question is an evidence hit at k when one of its gold quotes is inside one of the top k
passages *of the right document*: whitespace-normalised containment, or ≥ 80 % of the quote's
words in order (difflib) — the realpdfs quotes come from pdftotext, which glues and splits words
differently from our parser (in a passage holding a table, ≥ 80 % of the words in any order:
table cells come in another order there). Unanswerable questions are left out. Split by
question language.

`--tune` runs the binding protocol for the fusion weights (dense weight, BM25 trust floor) and,
with `--max-tokens N …`, the chunk size: every choice is made on one question set (with NorQuAD
MRR@10 not worse than 0.005 below the default's) and reported on the other, both directions,
with the in-sample figure beside it.

Parsed documents and passage vectors are cached under --work (keyed by the parser's source and
the passage text), so runs after a chunking change only embed the new passages.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_retrieval.py [--misses] [--tune]
        [--max-tokens 250 450] [--strict]
    PYTHONPATH=src .venv/bin/python benchmarks/bench_retrieval.py --latency
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import pickle
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import ENGLISH, ndcg, norquad_files

from policyminer.index.chunking import MAX_TOKENS, body_text, make_chunks
from policyminer.index.sync import sync_indexes
from policyminer.ingest import parse_file
from policyminer.models.embedders import load_passage_embedder
from policyminer.records import ParsedDocument
from policyminer.retrieve import search as search_module
from policyminer.retrieve.search import Searcher
from policyminer.store.catalog import Catalog

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SRC = REPO / "src" / "policyminer"
SEED_PDF = {  # qa-dev names the seed text a quote comes from; corpus/ holds its PDF
    "000_4835574da3d7928c.txt": "trondheim-veikart-helse.pdf",
    "003_dd8901a9cd81dfff.txt": "drammensregionen-helse-fou.pdf",
}
MOST_WORDS = 0.8


def source_digest(*folders: str) -> str:
    """A digest of the package sources that shape an index (parser, chunker)."""
    h = hashlib.sha256()
    for folder in folders:
        for path in sorted((SRC / folder).rglob("*.py")):
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


class CachedEmbedder:
    """The passage embedder with a text → vector cache on disk."""

    def __init__(self, path: Path):
        self.path = path
        self.vectors: dict[str, np.ndarray] = {}
        if path.exists():
            self.vectors = pickle.loads(path.read_bytes())
        self._embedder = None
        self.embedded = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
        todo = [(k, t) for k, t in zip(keys, texts, strict=True) if k not in self.vectors]
        todo = list(dict(todo).items())
        if todo:
            if self._embedder is None:
                self._embedder = load_passage_embedder()
            for start in range(0, len(todo), 64):
                part = todo[start : start + 64]
                vecs = self._embedder.embed_passages([t for _, t in part])
                self.vectors.update({k: v for (k, _), v in zip(part, vecs, strict=True)})
            self.embedded += len(todo)
            self.path.write_bytes(pickle.dumps(self.vectors))
        return np.vstack([self.vectors[k] for k in keys]).astype(np.float32)

    @property
    def meta(self) -> dict[str, str]:
        embedder = self._embedder or load_passage_embedder()
        return {"embedding_model": embedder.name, "embedding_dim": str(embedder.dim)}


def parsed(path: Path, work: Path) -> ParsedDocument:
    """parse_file, cached per file and parser source."""
    key = hashlib.sha1(f"{path.resolve()}:{path.stat().st_size}".encode()).hexdigest()[:12]
    cache = work / "parsed" / source_digest("parse") / f"{key}.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    doc = parse_file(path)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(doc))
    return doc


def build(
    name: str,
    files: Sequence[Path],
    work: Path,
    embedder: CachedEmbedder,
    max_tokens: int = MAX_TOKENS,
) -> Path:
    """An index of the files under work/NAME-<source digest>-<chunk size>, built once."""
    index_dir = work / f"{name}-{source_digest('parse', 'index')}-{max_tokens}"
    done = index_dir / "done"
    if done.exists():
        return index_dir
    started = time.perf_counter()
    with Catalog(index_dir) as catalog:
        for path in files:
            if catalog.document_by_path(path):
                continue
            doc = parsed(path, work)
            body = body_text(doc.paragraphs)
            chunks = make_chunks(doc.paragraphs, body, max_tokens=max_tokens)
            if not chunks:
                continue
            vectors = embedder.embed([c.text for c in chunks])
            catalog.put_document(doc, body.offsets, chunks, vectors, meta=embedder.meta)
        sync_indexes(catalog)
        counts = catalog.counts()
    done.write_text("ok")
    print(
        f"  built {name} (chunks ≤ {max_tokens} tokens): {counts['documents']} documents, "
        f"{counts['chunks']} chunks in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    return index_dir


# -- evidence matching ----------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def contains(passage: str, quote: str) -> bool:
    """The quote is in the passage: normalised containment, or most of its words in order."""
    if normalise(quote) in normalise(passage):
        return True
    q = _WORD.findall(quote.lower())
    p = _WORD.findall(passage.lower())
    if not q:
        return False
    matcher = difflib.SequenceMatcher(None, q, p, autojunk=False)
    if sum(b.size for b in matcher.get_matching_blocks()) >= MOST_WORDS * len(q):
        return True
    if " | " not in passage:
        return False
    # a table is read row by row here and column by column by pdftotext: words, not order
    have = Counter(p)
    return sum(min(n, have[w]) for w, n in Counter(q).items()) >= MOST_WORDS * len(q)


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    lang: str
    doc: str  # file name of the gold document ("": any, a question across documents)
    evidence: tuple[str, ...]


def realpdf_questions() -> list[Question]:
    data = json.loads((SHARED / "eval" / "qa-dev-realpdfs.json").read_text(encoding="utf-8"))
    return [
        Question(q["id"], q["question"], q["lang"], q["doc"], tuple(q["evidence"]))
        for q in data["questions"]
        if q["kind"] == "answerable"
    ]


def corpus_questions() -> list[Question]:
    """qa-dev's answerable questions, and its Norwegian ones again in English."""
    data = json.loads((SHARED / "eval" / "qa-dev.json").read_text(encoding="utf-8"))
    out = []
    for q in data:
        if q["kind"] == "unanswerable":
            continue
        doc, evidence = SEED_PDF.get(q["doc"], ""), tuple(q["evidence"])
        out.append(Question(q["id"], q["question"], q["lang"], doc, evidence))
        if q["lang"] == "nb" and q["id"] in ENGLISH:
            out.append(Question(q["id"] + "-en", ENGLISH[q["id"]], "en", doc, evidence))
    return out


@dataclass
class Candidates:
    """A question's dense and lexical candidate lists, kept to fuse under other weights."""

    question: Question
    dense: list[tuple[int, float]]
    lexical: list[tuple[int, float]]
    confidence: float
    aside: frozenset[int]  # contents and reference chunks, which search leaves out


def gather(searcher: Searcher, questions: Sequence[Question]) -> list[Candidates]:
    """Dense and lexical candidates per question (what hybrid search fuses)."""
    out = []
    for q in questions:
        cand = searcher.candidates(q.text)
        out.append(Candidates(q, cand.dense, cand.lexical, cand.confidence, cand.aside))
    return out


def evidence_hits(
    searcher: Searcher, cands: Sequence[Candidates], params: dict, k: int = 10
) -> dict[str, list[int | None]]:
    """Per question id: the rank (1-based) of the first passage holding evidence, or None."""
    doc_of = {Path(d.path).name: d.id for d in searcher.catalog.documents()}
    ranks: dict[str, list[int | None]] = {}
    for c in cands:
        fused = searcher.fuse(c.dense, c.lexical, c.confidence, **params)
        ranked = [r for r in fused if r[0] not in c.aside][:k]
        chunks = {h.id: h for h in searcher.catalog.chunks(ids=[i for i, _ in ranked])}
        rank = None
        for n, (cid, _) in enumerate(ranked, 1):
            chunk = chunks[cid]
            if c.question.doc and chunk.doc_id != doc_of[c.question.doc]:
                continue
            if any(contains(chunk.text, quote) for quote in c.question.evidence):
                rank = n
                break
        ranks[c.question.id] = [rank]
    return ranks


def recall_table(cands: Sequence[Candidates], ranks: dict[str, list[int | None]]) -> dict:
    """Recall@5 / @10 per language and overall."""
    out = {}
    for lang in ("nb", "en", "all"):
        sel = [c for c in cands if lang in ("all", c.question.lang)]
        if not sel:
            continue
        r = [ranks[c.question.id][0] for c in sel]
        out[lang] = (
            sum(x is not None and x <= 5 for x in r) / len(r),
            sum(x is not None for x in r) / len(r),
            len(r),
        )
    return out


def norquad(
    work: Path, embedder: CachedEmbedder, limit: int | None, max_tokens: int = MAX_TOKENS
) -> tuple[Path, list]:
    files, questions = norquad_files(work, limit)
    return build("norquad", files, work, embedder, max_tokens), questions


def norquad_scores(searcher: Searcher, cands: list, params: dict) -> tuple[float, float]:
    """nDCG@10 (every chunk of the gold context relevant) and MRR@10 (first gold chunk).

    nDCG's ideal grows with the number of chunks per context, so it compares fusion weights on
    one chunking but not chunk sizes; MRR@10 compares both.
    """
    doc_of_file = {Path(d.path).name: d.id for d in searcher.catalog.documents()}
    n_chunks = {d.id: d.chunks for d in searcher.catalog.documents()}
    nd = rr = 0.0
    for (_, ctx), (dense, lexical, conf) in cands:
        gold = doc_of_file[f"ctx-{ctx:04d}.txt"]
        ranked = searcher.fuse(dense, lexical, conf, **params)[:10]
        doc_ids = {c.id: c.doc_id for c in searcher.catalog.chunks(ids=[i for i, _ in ranked])}
        relevant = [doc_ids[i] == gold for i, _ in ranked]
        nd += ndcg(relevant, n_chunks[gold])
        rr += 1 / (relevant.index(True) + 1) if True in relevant else 0.0
    return nd / len(cands), rr / len(cands)


def fmt(row: tuple[float, float, int]) -> str:
    return f"{row[0]:.3f} / {row[1]:.3f} (n={row[2]})"


@dataclass
class Run:
    """The indexes of one chunk size, with every question's candidates gathered."""

    max_tokens: int
    sets: dict[str, tuple[Searcher, list[Candidates]]]
    norquad: tuple[Searcher, list] | None


def prepare(args: argparse.Namespace, embedder: CachedEmbedder, max_tokens: int) -> Run:
    sets = {
        "realpdfs": (sorted((SHARED / "realpdfs").glob("*.pdf")), realpdf_questions()),
        "corpus": (sorted((REPO / "corpus").glob("*.pdf")), corpus_questions()),
    }
    results = {}
    for name, (files, questions) in sets.items():
        index_dir = build(name, [f.resolve() for f in files], args.work, embedder, max_tokens)
        searcher = Searcher(index_dir)
        results[name] = (searcher, gather(searcher, questions))
    nq = None
    if not args.skip_norquad:
        index_dir, nq_questions = norquad(args.work, embedder, args.contexts, max_tokens)
        nq_searcher = Searcher(index_dir)
        nq_cands = [(q, nq_searcher.candidates(q[0]).as_tuple()) for q in nq_questions]
        nq = (nq_searcher, nq_cands)
    return Run(max_tokens, results, nq)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/policyminer-bench-retrieval"))
    parser.add_argument("--contexts", type=int, default=None, help="first N NorQuAD contexts")
    parser.add_argument("--skip-norquad", action="store_true")
    parser.add_argument("--misses", action="store_true", help="print the missed questions")
    parser.add_argument("--tune", action="store_true", help="choose fusion weights crosswise")
    parser.add_argument(
        "--strict", action="store_true", help="a quote counts only when contained verbatim"
    )
    parser.add_argument(
        "--latency", action="store_true", help="only warm search latency on the corpus index"
    )
    parser.add_argument(
        "--max-tokens",
        type=int,
        nargs="*",
        default=[],
        help="other chunk sizes to build and choose among with --tune",
    )
    args = parser.parse_args()
    if args.strict:
        global MOST_WORDS
        MOST_WORDS = float("inf")
    args.work.mkdir(parents=True, exist_ok=True)
    embedder = CachedEmbedder(args.work / "vectors.pkl")
    if args.latency:
        warm_latency(args.work, embedder)
        return
    default = search_module.default_fusion()
    runs = [prepare(args, embedder, MAX_TOKENS)]
    runs += [prepare(args, embedder, n) for n in args.max_tokens if n != MAX_TOKENS]
    run = runs[0]
    print(f"\ndefault: chunks ≤ {MAX_TOKENS} tokens, fusion {default}")
    print("| set | nb recall@5 / @10 | en recall@5 / @10 | all recall@5 / @10 |")
    print("|---|---|---|---|")
    for name, (searcher, cands) in run.sets.items():
        ranks = evidence_hits(searcher, cands, default)
        table = recall_table(cands, ranks)
        print(f"| {name} | " + " | ".join(fmt(table[x]) for x in ("nb", "en", "all")) + " |")
        if args.misses:
            missed = [f"{q}({r[0] or '-'})" for q, r in ranks.items() if not r[0] or r[0] > 5]
            print(f"  misses@5 {name}: {' '.join(missed)}")
    if run.norquad:
        nd, mrr = norquad_scores(*run.norquad, default)
        print(f"| NorQuAD nDCG@10 / MRR@10 | {nd:.3f} / {mrr:.3f} | | |")
    if args.tune:
        tune(runs, default)


def warm_latency(work: Path, embedder: CachedEmbedder, rounds: int = 3) -> None:
    """p50 of Searcher.search over qa-dev's questions, in one warm process, per mode.

    Uses only Searcher.search, so the same command measures an older checkout of the package
    (PYTHONPATH=OLD/src) on the index its own chunker builds.
    """
    files = [f.resolve() for f in sorted((REPO / "corpus").glob("*.pdf"))]
    index_dir = build("corpus", files, work, embedder)
    questions = [q["question"] for q in json.loads((SHARED / "eval" / "qa-dev.json").read_text())]
    with Searcher(index_dir) as searcher:
        for q in questions:
            searcher.search(q)
        for mode in ("hybrid", "dense", "lexical"):
            samples = []
            for _ in range(rounds):
                for q in questions:
                    started = time.perf_counter()
                    searcher.search(q, mode=mode)
                    samples.append(time.perf_counter() - started)
            p50 = float(np.percentile(np.array(samples) * 1000, 50))
            print(f"warm {mode}: p50 {p50:.1f} ms over {len(samples)} searches ({index_dir.name})")


def tune(runs: list[Run], default: dict) -> None:
    """Choose chunk size and fusion weights on one question set, report on the other (both
    directions), NorQuAD nDCG@10 kept within 0.005 of the default's."""
    scores: dict[str, dict] = {}
    for run in runs:
        for params in search_module.fusion_grid():
            key = json.dumps({"max_tokens": run.max_tokens, **params}, sort_keys=True)
            row: dict = {}
            for name, (searcher, cands) in run.sets.items():
                row[name] = recall_table(cands, evidence_hits(searcher, cands, params))
            nan = (float("nan"), float("nan"))
            row["norquad"] = norquad_scores(*run.norquad, params) if run.norquad else nan
            scores[key] = row
    print("\ngrid (recall@5 / @10; NorQuAD nDCG@10 / MRR@10):")
    print("| choice | realpdfs nb | realpdfs en | corpus nb | corpus en | NorQuAD |")
    print("|---|---|---|---|---|---|")
    for key, r in scores.items():
        cells = [
            f"{r[name][lang][0]:.3f} / {r[name][lang][1]:.3f}"
            for name in ("realpdfs", "corpus")
            for lang in ("nb", "en")
        ]
        nq = r["norquad"]
        print(f"| {key} | " + " | ".join(cells) + f" | {nq[0]:.3f} / {nq[1]:.3f} |")
    default_key = json.dumps({"max_tokens": MAX_TOKENS, **default}, sort_keys=True)
    floor = scores[default_key]["norquad"][1] - 0.005
    print("\nchosen on one set (NorQuAD MRR@10 ≥ default − 0.005; ties: the default):")
    print("| chosen on | choice | in-sample recall@5 / @10 | other set | NorQuAD |")
    print("|---|---|---|---|---|")
    for pick, other in (("realpdfs", "corpus"), ("corpus", "realpdfs")):
        allowed = [k for k, r in scores.items() if not r["norquad"][1] < floor]
        best = max(allowed, key=lambda k: scores[k][pick]["all"][0] + scores[k][pick]["all"][1])
        r = scores[best]
        cell = "; ".join(
            f"{lang} {r[pick][lang][0]:.3f}/{r[pick][lang][1]:.3f}" for lang in ("nb", "en")
        )
        other_cell = "; ".join(
            f"{lang} {r[other][lang][0]:.3f}/{r[other][lang][1]:.3f}" for lang in ("nb", "en")
        )
        nq = r["norquad"]
        print(f"| {pick} | {best} | {cell} | {other}: {other_cell} | {nq[0]:.3f} / {nq[1]:.3f} |")


if __name__ == "__main__":
    main()
