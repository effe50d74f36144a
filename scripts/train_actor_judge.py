"""Fit the actor-list judge on gold actor lists and write its weights as JSON.

    .venv/bin/python scripts/train_actor_judge.py --gold GOLD.json --pdf DOC [--gold … --pdf …]
        --out judge.json [--cache DIR]

The judge is not shipped (it did not raise held-out precision: BENCHMARKS.md, "Issue 13
(session 7)"); this recipe and benchmarks/judge_actors.py stay so the measurement can be rerun
as gold lists are added.

1. Every document runs through the shipped pipeline (parse, NER, mention rules, list_actors
   without a judge); each actor is a candidate, true when one of its names or aliases matches a
   gold entry (benchmarks/bench_actors.py's matching: normalised names and genitive bases).
2. The threshold is chosen leave-one-document-out on these documents: each document's
   candidates are judged by a fit on the others, and the threshold is the highest that loses at
   most MAX_LOSS of the salient gold entries and of the gold initiatives (pooled), so the judge
   trades precision only for entries it is sure of.
3. The logistic regression (scripts/actorjudge.py, fit_judge) is fitted on all documents and
   written with that threshold.
A gold file holds, under the document's file name, entries with name, aliases, label, salient.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "scripts"))

from actorjudge import FEATURES, Judge, described_actors, fit_judge  # noqa: E402
from bench_actors import keys_of, parse_seed  # noqa: E402

from policyminer.enrich.actors import Actor, mention_writer  # noqa: E402
from policyminer.enrich.aliases import MentionRow  # noqa: E402
from policyminer.enrich.labels import INITIATIVE  # noqa: E402
from policyminer.index.chunking import body_text, make_chunks  # noqa: E402
from policyminer.ingest import parse_file  # noqa: E402
from policyminer.store.catalog import Catalog  # noqa: E402
from policyminer.store.enrichment import mention_rows  # noqa: E402

if TYPE_CHECKING:
    from spacy.language import Language

MAX_LOSS = 0.005  # share of salient entries / initiatives the chosen threshold may lose
GRID = tuple(round(0.05 * i, 2) for i in range(20))  # 0.00 … 0.95


@dataclass
class Candidates:
    """One document's stored mentions and gold list: actors are rebuilt from them in seconds."""

    name: str
    rows: list[MentionRow]
    chunk_texts: dict[int, str]
    titles: dict[str, str]
    gold: list[dict]

    def actors(self) -> list[Actor]:
        return described_actors(self.rows, self.chunk_texts, self.titles)


def candidates(
    pdf: Path, gold_file: Path, cache: Path | None = None, nlp: Language | None = None
) -> Candidates:
    """Run the pipeline on one document (or read its cached mentions) with its gold entries."""
    gold = json.loads(gold_file.read_text(encoding="utf-8"))[pdf.name]
    cached = cache / f"{pdf.name}.pkl" if cache else None
    if cached and cached.exists():
        found = pickle.loads(cached.read_bytes())
        found.gold = gold
        return found
    parsed = parse_seed(pdf) if pdf.suffix == ".txt" else parse_file(pdf)
    body = body_text(parsed.paragraphs)
    chunks = make_chunks(parsed.paragraphs, body)
    with tempfile.TemporaryDirectory() as tmp, Catalog(Path(tmp) / "idx") as catalog:
        catalog.put_document(parsed, body.offsets, chunks, derived=[mention_writer(chunks, nlp)])
        rows = [MentionRow(*r) for r in mention_rows(catalog, ())]
        chunk_texts = {c.id: c.text for c in catalog.chunks(ids=sorted({r.chunk_id for r in rows}))}
        titles = {d.id: d.title for d in catalog.documents()}
    found = Candidates(pdf.name, rows, chunk_texts, titles, gold)
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(pickle.dumps(found))
    return found


def matches(actors: Sequence[Actor], gold: Sequence[dict]) -> list[set[int]]:
    """For each actor, the gold entries it matches (bench_actors.score's matching)."""
    gold_keys = [keys_of([g["name"], *g["aliases"]]) for g in gold]
    return [
        {gi for gi, gk in enumerate(gold_keys) if gk & keys_of([a.name, *a.aliases])}
        for a in actors
    ]


@dataclass
class Table:
    """One document's candidates as the judge sees them: features, truth and gold matches."""

    name: str
    actors: list[Actor]
    hits: list[set[int]]
    gold: list[dict]

    @property
    def truth(self) -> list[bool]:
        return [bool(h) for h in self.hits]


def table(found: Candidates) -> Table:
    actors = found.actors()
    return Table(found.name, actors, matches(actors, found.gold), found.gold)


def counts(t: Table, keep: Sequence[bool]) -> dict[str, int]:
    """Salient and initiative gold entries still found, and true/listed entries, when keeping."""
    found: set[int] = set()
    for k, h in zip(keep, t.hits, strict=True):
        if k:
            found |= h
    salient = [i for i, g in enumerate(t.gold) if g["salient"]]
    initiatives = [i for i, g in enumerate(t.gold) if g["label"] == INITIATIVE]
    return {
        "salient": len(salient),
        "salient_found": sum(i in found for i in salient),
        "initiatives": len(initiatives),
        "initiatives_found": sum(i in found for i in initiatives),
        "listed": sum(keep),
        "true": sum(k and bool(h) for k, h in zip(keep, t.hits, strict=True)),
    }


def pooled(parts: Sequence[dict[str, int]]) -> dict[str, int]:
    return {k: sum(p[k] for p in parts) for k in parts[0]}


def fit(tables: Sequence[Table], l2: float = 1.0, features: Sequence[str] = FEATURES) -> Judge:
    """The judge fitted on these documents' candidates (threshold 0.5 until one is chosen)."""
    rows = [a.features for t in tables for a in t.actors]
    truth = [y for t in tables for y in t.truth]
    return fit_judge(rows, truth, l2, features)


def out_of_fold(
    tables: Sequence[Table], l2: float = 1.0, features: Sequence[str] = FEATURES
) -> list[list[float]]:
    """Each document's confidences from a judge fitted on the other documents."""
    probs = []
    for i, t in enumerate(tables):
        judge = fit([o for j, o in enumerate(tables) if j != i], l2, features)
        probs.append([judge.confidence(a.features) for a in t.actors])
    return probs


def choose_threshold(
    tables: Sequence[Table], l2: float = 1.0, features: Sequence[str] = FEATURES
) -> float:
    """The highest threshold losing at most MAX_LOSS of salient entries and initiatives (OOF)."""
    probs = out_of_fold(tables, l2, features)
    base = pooled([counts(t, [True] * len(t.actors)) for t in tables])
    best = 0.0
    for threshold in GRID:
        got = pooled(
            [counts(t, [p >= threshold for p in ps]) for t, ps in zip(tables, probs, strict=True)]
        )
        lost_salient = (base["salient_found"] - got["salient_found"]) / max(base["salient"], 1)
        lost_init = (base["initiatives_found"] - got["initiatives_found"]) / max(
            base["initiatives"], 1
        )
        if lost_salient <= MAX_LOSS and lost_init <= MAX_LOSS:
            best = threshold
    return best


def train(tables: Sequence[Table], l2: float = 1.0, features: Sequence[str] = FEATURES) -> Judge:
    """Fit on all documents with the threshold chosen leave-one-document-out among them."""
    judge = fit(tables, l2, features)
    threshold = choose_threshold(tables, l2, features) if len(tables) > 1 else judge.threshold
    return Judge(judge.features, judge.mean, judge.scale, judge.weights, judge.bias, threshold)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold", type=Path, action="append", required=True)
    parser.add_argument("--pdf", type=Path, action="append", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--cache", type=Path, help="keep each document's mentions here")
    parser.add_argument("--l2", type=float, default=1.0)
    args = parser.parse_args(argv)
    if len(args.gold) != len(args.pdf):
        parser.error("give one --pdf for each --gold")
    tables = [table(candidates(p, g, args.cache)) for g, p in zip(args.gold, args.pdf, strict=True)]
    judge = write(tables, args.out, args.l2)
    print(
        f"{args.out}: threshold {judge.threshold}, {sum(len(t.actors) for t in tables)} candidates"
    )


def write(tables: Sequence[Table], out: Path, l2: float = 1.0) -> Judge:
    """Train on the documents' candidates and write the judge with what it was trained on."""
    judge = train(tables, l2)
    data = {
        **judge.as_dict(),
        "trained_on": [t.name for t in tables],
        "candidates": sum(len(t.actors) for t in tables),
        "true_share": round(
            sum(sum(t.truth) for t in tables) / max(sum(len(t.actors) for t in tables), 1), 3
        ),
    }
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return judge


if __name__ == "__main__":
    main()
