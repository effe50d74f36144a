"""Norwegian questions over English documents, beside the three other pairings: NorQuAD.

    .venv/bin/python benchmarks/bench_english_documents.py --work W [--show]

The paragraphs of the 60 NorQuAD validation questions that `bench_english.py` asks in English
(`benchmarks/data/norquad-validation-en.tsv`) were translated into English by hand for this
benchmark, with each question's answer as the translation words it
(`benchmarks/data/norquad-validation-paragraphs-en.json`); the questions were also put into
Nynorsk by hand (`norquad-validation-nn.json`), asked as a third language. Two small evidence
bases are built under W (once): those paragraphs as written (Bokmål) and as translated
(English). Each question is asked in each language over both, so a policy analyst's case — a
Norwegian question over an English report — stands beside the same question over the same text
in Norwegian. Reported per pairing: the question's own paragraph among the first 1 / 5
passages (hybrid), answers (an answer text in the first quote, or in one of the first three;
abstention off) and the share abstained at the shipped threshold; and, for questions of other
paragraphs (120 Bokmål validation questions drawn with a fixed seed, the 60 English training
questions of `norquad-train-en.tsv` and the same in Nynorsk, `norquad-train-nn.json`), the share
abstained over each base: not in the
documents. Nothing is fitted on the validation questions.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_english import pairs  # noqa: E402
from train_answer_scorer import build_index, load_split  # noqa: E402

from policyminer.answer.answer import Answerer  # noqa: E402
from policyminer.answer.scorer import read_scorer  # noqa: E402
from policyminer.retrieve.search import Searcher  # noqa: E402

DATA = REPO / "benchmarks" / "data" / "norquad-validation-paragraphs-en.json"
NYNORSK = REPO / "benchmarks" / "data" / "norquad-validation-nn.json"  # the questions in Nynorsk
NYNORSK_TRAIN = REPO / "benchmarks" / "data" / "norquad-train-nn.json"
FAR_NAMES = {"nb": "Bokmål validation", "en": "English training", "nn": "Nynorsk training"}
UNANSWERABLE = 120  # Norwegian questions of other paragraphs, asked over both bases
SEED = 32


def load_translations() -> dict[int, dict]:
    """Paragraph number → {"text_en", "answers_en" (per question, in pairs() order)}."""
    items = json.loads(DATA.read_text(encoding="utf-8"))["paragraphs"]
    return {int(item["paragraph"]): item for item in items}


def bases(work: Path, numbers: Sequence[int], translated: dict[int, dict]) -> dict[str, Path]:
    """The two evidence bases (built once): the paragraphs in Norwegian and in English."""
    paragraphs, _ = load_split("validation")
    return {
        "nb": build_index(work, "validation-nb", [paragraphs[n] for n in numbers]),
        "en": build_index(work, "validation-en", [translated[n]["text_en"] for n in numbers]),
    }


def answered_at(answer, answers: Sequence[str]) -> int | None:
    """Which of the first three quotes holds an answer text (None: none)."""
    quotes = [" ".join(c.quote.lower().split()) for c in answer.citations[:3]]
    wanted = [" ".join(a.lower().split()) for a in answers]
    return next((i for i, q in enumerate(quotes) if any(a in q for a in wanted)), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--show", action="store_true", help="print each question's verdicts")
    parser.add_argument(
        "--nynorsk",
        type=Path,
        default=NYNORSK,
        help="the same questions in Nynorsk (JSON list of {n, question_nn}), asked too",
    )
    parser.add_argument("--scorer", type=Path, help="an answer scorer JSON other than the shipped")
    args = parser.parse_args()
    scorer = read_scorer(args.scorer) if args.scorer else None
    nynorsk = {}
    if args.nynorsk and args.nynorsk.exists():
        rows = json.loads(args.nynorsk.read_text(encoding="utf-8"))
        nynorsk = {int(r["n"]): r["question_nn"] for r in rows}

    translated = load_translations()
    questions = pairs("validation")
    numbers = sorted({number for *_, number in questions})
    where = {n: i for i, n in enumerate(numbers)}
    _, every = load_split("validation")
    others = [q for q, _, number in every if number not in where]
    far = {
        "nb": random.Random(SEED).sample(others, min(UNANSWERABLE, len(others))),
        # the English training questions: their paragraphs are in neither base
        "en": [english for _, english, _, _ in pairs("train")],
    }
    if NYNORSK_TRAIN.exists():  # … and the same training questions in Nynorsk
        rows = json.loads(NYNORSK_TRAIN.read_text(encoding="utf-8"))
        far["nn"] = [r["question_nn"] for r in rows]
    # each paragraph's questions in pairs() order, for their English answer texts
    seen: dict[int, int] = {}
    english_answers = []
    for *_, number in questions:
        english_answers.append(translated[number]["answers_en"][seen.get(number, 0)])
        seen[number] = seen.get(number, 0) + 1

    results: dict[tuple[str, str], dict[str, list]] = {}
    far_abstained: dict[tuple[str, str], float] = {}
    for base, index in bases(args.work, numbers, translated).items():
        with Searcher(index) as searcher:
            doc_of = {
                int(Path(d.path).stem.rsplit("-", 1)[-1]): d.id
                for d in searcher.catalog.documents()
            }
            answerer = Answerer(searcher, min_confidence=0.0, scorer=scorer)
            threshold = answerer.scorer.threshold
            for n, ((norwegian, english, answers, number), answers_en) in enumerate(
                zip(questions, english_answers, strict=True)
            ):
                gold = doc_of[where[number]]
                wanted = answers if base == "nb" else answers_en
                asked = [("nb", norwegian), ("en", english)]
                asked += [("nn", nynorsk[n])] if n in nynorsk else []
                for lang, question in asked:
                    row = results.setdefault((lang, base), {})
                    hits = searcher.search(question, k=5)
                    rank = next((i for i, h in enumerate(hits) if h.chunk.doc_id == gold), None)
                    row.setdefault("rank", []).append(rank)
                    answer = answerer.answer(question)
                    row.setdefault("at", []).append(answered_at(answer, wanted))
                    row.setdefault("abstained", []).append(answer.confidence < threshold)
                    if args.show:
                        print(
                            f"  {lang} over {base}: rank {rank} answer {row['at'][-1]} "
                            f"confidence {answer.confidence:.3f}  {question}"
                        )
            for lang, asked in far.items():
                far_abstained[lang, base] = sum(
                    answerer.answer(q).confidence < threshold for q in asked
                ) / len(asked)

    n = len(questions)
    print(
        f"{n} NorQuAD validation questions over their {len(numbers)} paragraphs, in Norwegian "
        "and in English (questions and paragraphs translated by hand)"
    )
    print(
        f"{'question':>8} {'documents':>9} {'R@1':>6} {'R@5':>6} {'hit@1':>6} {'hit@3':>6} "
        f"{'abstained':>9}"
    )
    for (lang, base), row in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        ranks, at = row["rank"], row["at"]
        print(
            f"{lang:>8} {base:>9} {sum(r == 0 for r in ranks) / n:6.3f} "
            f"{sum(r is not None for r in ranks) / n:6.3f} {sum(a == 0 for a in at) / n:6.3f} "
            f"{sum(a is not None for a in at) / n:6.3f} {sum(row['abstained']) / n:9.3f}"
        )
    for (lang, base), share in far_abstained.items():
        print(
            f"{len(far[lang])} {FAR_NAMES[lang]} questions of other paragraphs over the {base} "
            f"documents (not in them): abstained {share:.3f}"
        )


if __name__ == "__main__":
    main()
