"""Convert NorNE CoNLL-U files (../shared/data/norne) to spaCy DocBin files for training."""

from __future__ import annotations

import argparse
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from policyminer.nerdata import read_docs

REPO = Path(__file__).resolve().parents[1]
NORNE = REPO.parent / "shared" / "data" / "norne"
BUILD = REPO / "models" / "ner" / "build"


def convert(src: Path, dest: Path) -> int:
    """Write the Docs of one CoNLL-U file to a DocBin; returns the number of sentences."""
    nlp = spacy.blank("nb")
    docs = read_docs(src, nlp.vocab)
    dest.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=False).to_disk(dest)
    return len(docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--norne", type=Path, default=NORNE)
    parser.add_argument("--out", type=Path, default=BUILD)
    args = parser.parse_args()
    for split in ("train", "dev"):
        n = convert(args.norne / f"norne-nob-{split}.conllu", args.out / f"{split}.spacy")
        print(f"{split}: {n} sentences -> {args.out / f'{split}.spacy'}")


if __name__ == "__main__":
    main()
