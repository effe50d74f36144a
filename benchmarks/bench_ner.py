"""NER quality on NorNE Bokmål and pipeline speed (dev numbers), pipelines side by side.

Scores each pipeline (default: the shipped models/ner/pipeline) with gold tokenisation: exact
spans, all NorNE labels, micro-averaged; once sentence by sentence (the usual protocol) and once
with ``--context`` sentences fed together as running text (as at ingest). Then times the full
pipeline (tokenizer, NER, initiatives) on the sentences' raw text, 20 sentences per text.

``--split dev`` (default) scores ../shared/data/norne/norne-nob-dev.conllu, which the recipe
uses to pick the best epoch. ``--split untouched`` scores the block of norne-nob-train that
``train_ner_e5.py --hold-out`` leaves out of training and of every choice
(``nerdata.split_untouched``); only a pipeline trained with ``--hold-out`` may be scored there,
the shipped one has seen those sentences.

    python benchmarks/bench_ner.py [--json] [--pipeline DIR ...] [--context 20] [--int8]
        [--split dev|untouched]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import spacy

from policyminer.enrich.ner import PIPELINE_DIR, evaluate_sentences, load_pipeline
from policyminer.enrich.nerdata import Sentence, read_sentences, split_untouched
from policyminer.enrich.nertagger import TAGGER

REPO = Path(__file__).resolve().parents[1]
NORNE = REPO.parent / "shared" / "data" / "norne"


def split_sentences(split: str) -> list[Sentence]:
    """The annotated sentences of a split: NorNE dev, or the untouched block of train."""
    if split == "untouched":
        return split_untouched(list(read_sentences(NORNE / "norne-nob-train.conllu")))[1]
    return list(read_sentences(NORNE / "norne-nob-dev.conllu"))


def raw_texts(sentences: list[Sentence], per_text: int) -> list[str]:
    """Sentences as raw running text, ``per_text`` sentences to a text."""
    lines = [
        "".join(w + (" " if sp else "") for w, sp in zip(s.words, s.spaces, strict=True))
        for s in sentences
    ]
    return [" ".join(lines[i : i + per_text]) for i in range(0, len(lines), per_text)]


def measure(pipeline: Path, context: int, int8: bool = False, split: str = "dev") -> dict:
    """Quality (per sentence and in context) and speed of one pipeline."""
    t0 = time.perf_counter()
    if int8:
        # the same weights with the tagger's linear layers run in int8
        overrides = {"components": {TAGGER: {"quantize": True}}}
        nlp = spacy.load(pipeline, config=overrides)
    else:
        nlp = load_pipeline(pipeline)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    sentences = split_sentences(split)
    per_sentence = evaluate_sentences(sentences, nlp)
    eval_s = time.perf_counter() - t0
    in_context = evaluate_sentences(sentences, nlp, context=context)
    texts = raw_texts(sentences, context)
    words = sum(len(t.split()) for t in texts)
    wall, cpu = time.perf_counter(), time.process_time()
    n_ents = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=64))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "pipeline": str(pipeline),
        "int8": int8,
        "split": split,
        "components": nlp.pipe_names,
        "pipeline_mb": round(sum(f.stat().st_size for f in pipeline.rglob("*")) / 2**20, 1),
        "train_minutes": nlp.meta.get("train_minutes"),
        "load_s": round(load_s, 1),
        **per_sentence.as_dict(),
        "in_context": {"sentences_per_text": context, **in_context.as_dict()},
        "eval_s": round(eval_s, 1),
        "speed": {
            "words": words,
            "entities": n_ents,
            "wall_s": round(wall, 2),
            "cpu_s": round(cpu, 2),
            "words_per_s_wall": round(words / wall),
            "words_per_s_cpu": round(words / cpu),
            "entities_per_s_wall": round(n_ents / wall, 1),
        },
    }


def report(out: dict) -> None:
    o, c = out["overall"], out["in_context"]["overall"]
    variant = " (tagger's linear layers in int8)" if out["int8"] else ""
    print(f"== {out['pipeline']}{variant} ({' → '.join(out['components'])})")
    print(
        f"NorNE {out['split']}, per sentence: "
        f"P {o['precision']:.3f} R {o['recall']:.3f} F1 {o['f1']:.3f} "
        f"({out['sentences']} sentences)"
    )
    for label, s in out["labels"].items():
        print(
            f"  {label:8} P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} "
            f"n={s['support']}"
        )
    print(
        f"NorNE {out['split']}, {out['in_context']['sentences_per_text']} sentences "
        f"of running text: P {c['precision']:.3f} R {c['recall']:.3f} F1 {c['f1']:.3f}"
    )
    print("speed:", json.dumps(out["speed"]))
    print(
        f"pipeline size MB: {out['pipeline_mb']}, load s: {out['load_s']}, "
        f"train minutes: {out['train_minutes']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pipeline", type=Path, action="append")
    parser.add_argument("--context", type=int, default=20)
    parser.add_argument(
        "--int8", action="store_true", help="also run each e5 tagger with int8 linear layers"
    )
    parser.add_argument("--split", choices=("dev", "untouched"), default="dev")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    for pipeline in args.pipeline or [PIPELINE_DIR]:
        results.append(measure(pipeline, args.context, split=args.split))
        if args.int8 and TAGGER in results[-1]["components"]:
            results.append(measure(pipeline, args.context, int8=True, split=args.split))
    if args.json:
        print(json.dumps(results, indent=1))
        return
    for out in results:
        report(out)


if __name__ == "__main__":
    main()
