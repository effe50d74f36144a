"""English questions over Norwegian documents, beside the same questions in Norwegian: NorQuAD.

    .venv/bin/python benchmarks/bench_english.py --work W [--split train|validation] [--show]

W is the work folder of `scripts/train_answer_scorer.py` (its evidence bases `index-validation`
and `index-train`: one document per NorQuAD paragraph). `benchmarks/data/norquad-validation-en.tsv`
holds 60 validation questions (drawn at random, seed 26) translated into English by hand for
this benchmark; `norquad-train-en.tsv` 60 training questions (seed 27) translated the same way,
on which choices for English questions are made, so that the validation figures stay held out.
Each question is asked in both languages; reported: retrieval (the question's own paragraph
among the first 1 / 5 passages, and MRR@10) by the hybrid, dense and lexical rankings, and
answers (an answer text of the question in the first quote, or in one of the first three;
abstention off, and the share abstained at the shipped threshold), and the share abstained when
they are asked of the other split's paragraphs, where they are not answered. Nothing is fitted
on these questions.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from train_answer_scorer import NORQUAD, load_split  # noqa: E402

from policyminer.answer.answer import Answerer  # noqa: E402
from policyminer.answer.scorer import AnswerScorer, read_scorer  # noqa: E402
from policyminer.retrieve.search import Searcher  # noqa: E402

DATA = REPO / "benchmarks" / "data"
MODES = ("hybrid", "dense", "lexical")
SPLITS = ("validation", "train")


def pairs(split: str = "validation") -> list[tuple[str, str, list[str], int]]:
    """(Norwegian question, English question, answer texts, paragraph number)."""
    data = json.loads((NORQUAD / f"norquad-{split}.json").read_text(encoding="utf-8"))
    by_id = {
        str(qa["id"]): qa["question"]
        for article in data["data"]
        for para in article["paragraphs"]
        for qa in para["qas"]
    }
    _, questions = load_split(split)
    found = {question: (answers, number) for question, answers, number in questions}
    out = []
    with (DATA / f"norquad-{split}-en.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            norwegian = by_id[row["id"]]
            answers, number = found[norwegian]
            out.append((norwegian, row["question_en"], answers, number))
    return out


def rank_of(searcher: Searcher, query: str, gold: str, mode: str) -> int | None:
    hits = searcher.search(query, k=10, mode=mode)
    return next((i for i, h in enumerate(hits) if h.chunk.doc_id == gold), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--split", choices=SPLITS, default="validation")
    parser.add_argument("--show", action="store_true", help="print each English question's ranks")
    parser.add_argument("--scorer", type=Path, help="an answer scorer JSON other than the shipped")
    args = parser.parse_args()
    scorer = read_scorer(args.scorer) if args.scorer else None
    report(args.work, pairs(args.split), args.show, args.split, scorer)


def report(
    work: Path,
    questions: list,
    show: bool,
    split: str = "validation",
    scorer: AnswerScorer | None = None,
) -> None:
    other = next(s for s in SPLITS if s != split)
    with Searcher(work / f"index-{split}") as searcher:
        doc_of = {
            int(Path(d.path).stem.rsplit("-", 1)[-1]): d.id for d in searcher.catalog.documents()
        }
        answerer = Answerer(searcher, min_confidence=0.0, scorer=scorer)
        threshold = answerer.scorer.threshold
        table: dict[str, dict[str, list]] = {"nb": {}, "en": {}}
        for norwegian, english, answers, number in questions:
            gold = doc_of[number]
            for lang, question in (("nb", norwegian), ("en", english)):
                row = table[lang]
                for mode in MODES:
                    row.setdefault(mode, []).append(rank_of(searcher, question, gold, mode))
                answer = answerer.answer(question)
                quotes = [c.quote.lower() for c in answer.citations[:3]]
                at = next(
                    (i for i, q in enumerate(quotes) if any(a.lower() in q for a in answers)), None
                )
                row.setdefault("answer", []).append(at)
                row.setdefault("abstained", []).append(answer.confidence < threshold)
            if show:
                ranks = [table["en"][m][-1] for m in MODES]
                print(f"  en ranks {ranks} nb {[table['nb'][m][-1] for m in MODES]}  {english}")
    with Searcher(work / f"index-{other}") as searcher:
        # over the other split's paragraphs, which share nothing with them: not in the documents
        answerer = Answerer(searcher, min_confidence=0.0, scorer=scorer)
        for norwegian, english, _, _ in questions:
            for lang, question in (("nb", norwegian), ("en", english)):
                answer = answerer.answer(question)
                table[lang].setdefault("far", []).append(answer.confidence < threshold)
    n = len(questions)
    print(f"{n} NorQuAD {split} questions, asked in Norwegian and in English (hand-translated)")
    for lang in ("nb", "en"):
        row = table[lang]
        parts = []
        for mode in MODES:
            ranks = row[mode]
            r1 = sum(r == 0 for r in ranks) / n
            r5 = sum(r is not None and r < 5 for r in ranks) / n
            mrr = sum(1 / (r + 1) for r in ranks if r is not None) / n
            parts.append(f"{mode} R@1 {r1:.3f} R@5 {r5:.3f} MRR@10 {mrr:.3f}")
        at = row["answer"]
        hit1 = sum(a == 0 for a in at) / n
        hit3 = sum(a is not None for a in at) / n
        abstained = sum(row["abstained"]) / n
        print(f"{lang}: " + "; ".join(parts))
        print(
            f"{lang}: answer hit@1 {hit1:.3f} hit@3 {hit3:.3f} (abstention off); "
            f"abstained at the shipped threshold {abstained:.3f}; asked of the {other} "
            f"paragraphs (not in them), abstained {sum(row['far']) / n:.3f}"
        )


if __name__ == "__main__":
    main()
