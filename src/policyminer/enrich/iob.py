"""NorNE's IOB2 tags and their decoding: numpy only, no spaCy.

The tagger (`policyminer.enrich.nertagger`) and the NER recipe's GPU sweep, which runs where
spaCy is not installed, decode with the same code.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

NORNE_LABELS = ("PER", "ORG", "GPE_LOC", "GPE_ORG", "LOC", "PROD", "EVT", "DRV", "MISC")
TAGS = ("O", *(f"{p}-{label}" for label in NORNE_LABELS for p in ("B", "I")))


def _allowed_transitions() -> np.ndarray:
    """allowed[i, j]: tag j may follow tag i in IOB2 (I-X only after B-X or I-X)."""
    n = len(TAGS)
    allowed = np.ones((n, n), dtype=bool)
    for j, tag in enumerate(TAGS):
        if tag.startswith("I-"):
            for i, prev in enumerate(TAGS):
                allowed[i, j] = prev[2:] == tag[2:]
    return allowed


_ALLOWED = _allowed_transitions()
_START_ALLOWED = np.array([not t.startswith("I-") for t in TAGS])
_PENALTY = np.where(_ALLOWED, 0.0, -np.inf)


def viterbi(log_probs: np.ndarray) -> list[str]:
    """The most probable well-formed IOB2 tag sequence for per-word log-probabilities."""
    n_words, n_tags = log_probs.shape
    if n_words == 0:
        return []
    score = np.where(_START_ALLOWED, log_probs[0], -np.inf)
    back = np.zeros((n_words, n_tags), dtype=np.int64)
    for t in range(1, n_words):
        cand = score[:, None] + _PENALTY
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + log_probs[t]
    best = [int(score.argmax())]
    for t in range(n_words - 1, 0, -1):
        best.append(int(back[t, best[-1]]))
    return [TAGS[i] for i in reversed(best)]


def iob_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) spans of a well-formed IOB2 sequence."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if start >= 0 and not (tag.startswith("I-") and tag[2:] == label):
            spans.append((start, i, label))
            start = -1
        if tag.startswith("B-"):
            start, label = i, tag[2:]
    return spans
