"""Score a tagger with label consistency within a text added after it (an experiment).

A name written the same way twice in one text is nearly always the same kind of thing, while a
window-by-window tagger may label it ORG once and GPE_ORG or nothing the next time. Two
post-processing variants, applied to each running text (``--context`` sentences):

- ``relabel``: every predicted mention of a name takes the label most of its mentions have
  (ties left as tagged);
- ``propagate``: ``relabel``, and unlabelled occurrences of a predicted name that starts with a
  capital letter (whole tokens, not overlapping another entity) are labelled too.

Choose on NorNE dev; score the untouched split once with the chosen variant.

    python scripts/ner_consistency.py --split dev --pipeline DIR
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from policyminer.enrich.ner import evaluate_sentences, load_pipeline
from policyminer.enrich.nerdata import read_sentences, split_untouched

NORNE = Path(__file__).resolve().parents[2] / "shared" / "data" / "norne"


def majority_labels(doc: Doc) -> dict[tuple[str, ...], str]:
    """Each predicted name's most frequent label; names whose top labels tie are left out."""
    votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for ent in doc.ents:
        votes[tuple(t.text for t in ent)][ent.label_] += 1
    chosen = {}
    for name, counts in votes.items():
        (top, n), *rest = counts.most_common()
        if not rest or rest[0][1] < n:
            chosen[name] = top
    return chosen


def relabel(doc: Doc) -> Doc:
    """Give every mention of a name its majority label."""
    labels = majority_labels(doc)
    doc.ents = [
        Span(doc, e.start, e.end, label=labels.get(tuple(t.text for t in e), e.label_))
        for e in doc.ents
    ]
    return doc


def propagate(doc: Doc) -> Doc:
    """Relabel, then label untagged occurrences of capitalised predicted names."""
    doc = relabel(doc)
    labels = majority_labels(doc)
    taken = {i for e in doc.ents for i in range(e.start, e.end)}
    words = [t.text for t in doc]
    added = []
    for name, label in sorted(labels.items(), key=lambda kv: -len(kv[0])):
        if not name[0][:1].isupper():
            continue
        n = len(name)
        for i in range(len(words) - n + 1):
            span = range(i, i + n)
            if tuple(words[i : i + n]) == name and not taken.intersection(span):
                added.append(Span(doc, i, i + n, label=label))
                taken.update(span)
    doc.ents = sorted([*doc.ents, *added], key=lambda s: s.start)
    return doc


Language.component("ner_relabel")(relabel)
Language.component("ner_propagate")(propagate)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--split", choices=("dev", "untouched"), default="dev")
    ap.add_argument("--pipeline", type=Path, required=True, help="a --hold-out pipeline")
    ap.add_argument("--variants", nargs="+", default=["none", "relabel", "propagate"])
    ap.add_argument("--context", type=int, default=20)
    args = ap.parse_args()
    sentences = (
        split_untouched(list(read_sentences(NORNE / "norne-nob-train.conllu")))[1]
        if args.split == "untouched"
        else list(read_sentences(NORNE / "norne-nob-dev.conllu"))
    )
    for variant in args.variants:
        nlp = load_pipeline(args.pipeline)
        if variant != "none":
            nlp.add_pipe(f"ner_{variant}", last=True)
        result = evaluate_sentences(sentences, nlp, context=args.context).as_dict()
        print(
            json.dumps(
                {
                    "split": args.split,
                    "variant": variant,
                    "context": args.context,
                    "overall": result["overall"],
                    "labels": {k: v["f1"] for k, v in result["labels"].items()},
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
