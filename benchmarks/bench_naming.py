"""Questions that name a document, on data nothing here was chosen on: NorQuAD.

    .venv/bin/python benchmarks/bench_naming.py --work W [--split validation|train]

W is the work folder of `scripts/train_answer_scorer.py` (its evidence bases `index-train`,
`index-validation`: one document per NorQuAD paragraph). A paragraph's first line is its
headline; taken as the document's title, a question that uses a name the headline carries
("Hva sa Warholm …?") names that document, as `ask` reads names in titles
(`policyminer.retrieve.naming`). For the questions that name documents so, the answer is
scored four ways: reading every document (as if no title were known), reading only the named
documents (every time), reading only them when the best passage over all of them is from one of
them (the rule of session 21), and as `ask` answers it (the headlines standing in for the
titles): that rule, or no other document's text using the names (session 22: "… i Nordvika?"
where only the plan for Nordvika writes the name), and the names left out of the sentence
scorer's terms within the named documents. A hit: an answer text of the question in the
first quote (@1) or in one of the first three (@3). Nothing is fitted: the figures show whether
the rules hold on questions and titles of another kind than the dev documents'.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from train_answer_scorer import load_split  # noqa: E402

from policyminer.answer.answer import Answerer  # noqa: E402
from policyminer.answer.citations import Answer  # noqa: E402
from policyminer.retrieve.naming import NamedDocument, documents_named  # noqa: E402
from policyminer.retrieve.search import Filters, Searcher  # noqa: E402


def hit(answer: Answer, answers: list[str], n: int) -> bool:
    quotes = [c.quote.lower() for c in answer.citations[:n]]
    return any(a.lower() in q for a in answers for q in quotes)


def run(work: Path, split: str) -> Counter:
    paragraphs, questions = load_split(split)
    counts: Counter = Counter()
    with Searcher(work / f"index-{split}") as searcher:
        number = {
            d.id: int(Path(d.path).stem.rsplit("-", 1)[-1]) for d in searcher.catalog.documents()
        }
        doc_of = {p: d for d, p in number.items()}
        headlines = {d: paragraphs[p].split("\n", 1)[0] for d, p in number.items()}
        titles = [NamedDocument(d, headline) for d, headline in headlines.items()]
        # the evidence base's titles are its file names: its headlines stand in for them, so
        # that `ask` names documents here as it does in a report collection
        searcher._titles = headlines
        everything = Filters(doc_ids=tuple(headlines))  # a caller's choice: no naming
        answerer = Answerer(searcher, min_confidence=0.0)
        for question, answers, paragraph in questions:
            named = documents_named(question, titles)
            if not named:
                continue
            counts["questions naming documents"] += 1
            counts["gold among the named"] += doc_of.get(paragraph) in named
            every = answerer.answer(question, filters=everything)
            only = answerer.answer(question, filters=Filters(doc_ids=named))
            best = searcher.search(question, k=answerer.passages, mode="hybrid")
            guarded = only if best and best[0].chunk.doc_id in named else every
            shipped = answerer.answer(question)
            counts["best passage from a named document"] += guarded is only
            counts["read the named documents alone (shipped)"] += bool(shipped.named_documents)
            modes = (
                ("every", every),
                ("named only", only),
                ("guarded", guarded),
                ("shipped", shipped),
            )
            for name, answer in modes:
                counts[f"{name} @1"] += hit(answer, answers, 1)
                counts[f"{name} @3"] += hit(answer, answers, 3)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--split", action="append", choices=("validation", "train"))
    args = parser.parse_args()
    for split in args.split or ["validation", "train"]:
        counts = run(args.work, split)
        n = counts["questions naming documents"]
        print(f"NorQuAD {split}: {n} questions name documents by their headlines")
        print(f"  the gold paragraph among those named: {counts['gold among the named']}")
        print(
            f"  best passage from a named document: {counts['best passage from a named document']}"
        )
        alone = counts["read the named documents alone (shipped)"]
        print(f"  read the named documents alone (shipped): {alone}")
        for name in ("every", "named only", "guarded", "shipped"):
            print(f"  {name:11} hit@1 {counts[f'{name} @1']:4d}  hit@3 {counts[f'{name} @3']:4d}")


if __name__ == "__main__":
    main()
