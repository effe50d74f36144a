"""The answer scorer: a logistic model that turns a candidate sentence's features into P(answers).

Trained on NorQuAD (train split) by `scripts/train_answer_scorer.py` and calibrated on NorQuAD's
validation split, where every question is asked twice: over its own paragraphs (answerable) and
over the training paragraphs, which share nothing with it (a realistic "not in the documents").
Beside NorQuAD's own questions, whose annotators copied their paragraph's words, the same
questions worded as a reader who never saw the paragraph would ask them (written by hand) take
part in both, so that the threshold holds for users who paraphrase.
Nothing of this confidence model is fitted on the project's dev questions. The weights are a
few dozen numbers in `policyminer/data/answer_scorer.json`; the abstention threshold is a
probability, the same for every corpus and language.

The file may hold a second weight vector, the order model, that only decides which candidates
are quoted and in which order: a softmax over each question's candidates, fitted on NorQuAD train
plus the dev documents' answerable questions by `benchmarks/answer_lodo.py fit --objective order`
(leave-one-document-out figures in BENCHMARKS.md). Abstention and confidence never use it.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from policyminer.errors import AnswerError

# The features a candidate sentence is described by, in the order the weights expect.
FEATURES = (
    "dense",  # cosine of the question with the sentence (pooled from its passage's tokens)
    "dense_gap",  # … minus the best such cosine among the candidates (0 for the best)
    "dense_background",  # … minus the question's mean cosine with unrelated passages
    "passage_dense",  # cosine of the question with the sentence's passage
    "lexical",  # IDF-weighted share of the question's terms in the sentence
    "lexical_gap",  # … minus the best such share among the candidates
    "section",  # share of the question's terms in the passage's section headings
    "retrieval",  # the passage's retrieval score relative to the best passage
    "rank",  # 1 / (1 + the passage's retrieval rank)
    "list_enumeration",  # list question × how much the sentence enumerates
    "follows_intro",  # the sentence follows a list intro ("… the following areas:")
    "length",  # log of the sentence's word count
    "number_match",  # the question asks for a quantity or time and the sentence has a number
    # (in digits or words: "fem", "halvparten"; scored with weights fitted on digits only)
)

SCORER_FILE = "answer_scorer.json"


def sigmoid(x: np.ndarray | float) -> np.ndarray | float:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


@dataclass(frozen=True)
class AnswerScorer:
    """Standardised features → logit; the best logit → a calibrated answer confidence."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    calibration: tuple[float, float]  # confidence = sigmoid(a · best logit + b)
    threshold: float  # answer only when the confidence reaches this
    background: np.ndarray  # unit vectors of unrelated passages (for dense_background)
    trained_on: str = ""
    # Term overlap of a typical answering sentence (median over the training positives): the
    # floor for questions in another language than their passages, where overlap is blind.
    cross_language_lexical: float = 0.0
    # The background passages' language, and how much closer a question comes to unrelated
    # passages in its own language than in the other (mean over questions asked in both): the
    # background stands for unrelated passages in the evidence's language only when moved by it.
    background_language: str = "nb"
    language_shift: float = 0.0
    # An optional second model that only orders a question's candidates (which sentences are
    # quoted, in which order). A model fitted to rank within a question leaves its logits'
    # level free, so it cannot say whether a question is answered: abstention and confidence
    # stay with the model above. None: the model above orders too.
    order_mean: np.ndarray | None = None
    order_scale: np.ndarray | None = None
    order_weights: np.ndarray | None = None
    order_bias: float = 0.0

    def logits(self, x: np.ndarray) -> np.ndarray:
        """One logit per row of features (rows in FEATURES order): the confidence model's."""
        if x.size == 0:
            return np.zeros(0, dtype=np.float64)
        return ((x - self.mean) / self.scale) @ self.weights + self.bias

    def order_logits(self, x: np.ndarray) -> np.ndarray:
        """One ordering logit per row of features: the order model's, or the confidence model's."""
        if self.order_weights is None or self.order_mean is None or self.order_scale is None:
            return self.logits(x)
        if x.size == 0:
            return np.zeros(0, dtype=np.float64)
        return ((x - self.order_mean) / self.order_scale) @ self.order_weights + self.order_bias

    def confidence(self, best_logit: float) -> float:
        """Probability that the best sentence answers the question, calibrated."""
        a, b = self.calibration
        return float(sigmoid(a * best_logit + b))

    def background_mean(
        self, query: np.ndarray, asked: str | None = None, evidence: str | None = None
    ) -> float:
        """The question's mean cosine with unrelated passages (its cosine 'floor') in the
        evidence's language: a question asked in `asked` over passages in `evidence`."""
        if not len(self.background):
            return 0.0
        mean = float(np.mean(self.background @ query))
        if evidence is None or evidence == self.background_language:
            return mean
        # unrelated passages in the evidence's language lie closer to a question in that
        # language, and farther from one in the background's
        return mean + (self.language_shift if asked == evidence else -self.language_shift)

    def to_json(self) -> dict[str, object]:
        order: dict[str, object] = {}
        if self.order_weights is not None and self.order_mean is not None:
            assert self.order_scale is not None
            order = {
                "order_mean": self.order_mean.round(6).tolist(),
                "order_scale": self.order_scale.round(6).tolist(),
                "order_weights": self.order_weights.round(6).tolist(),
                "order_bias": round(self.order_bias, 6),
            }
        return {
            "features": list(self.features),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "weights": self.weights.round(6).tolist(),
            "bias": round(self.bias, 6),
            "calibration": [round(v, 6) for v in self.calibration],
            "threshold": round(self.threshold, 4),
            "trained_on": self.trained_on,
            "cross_language_lexical": round(self.cross_language_lexical, 4),
            "background_language": self.background_language,
            "language_shift": round(self.language_shift, 4),
            **order,
            "background_dim": int(self.background.shape[1]) if self.background.ndim == 2 else 0,
            # float16 bytes in base64: a quarter of the size of the numbers as text
            "background_f16": base64.b64encode(self.background.astype("<f2").tobytes()).decode(),
        }


def scorer_path() -> Path:
    return Path(str(resources.files("policyminer") / "data" / SCORER_FILE))


def read_scorer(path: Path) -> AnswerScorer:
    """An answer scorer from its JSON file; a clear error if it does not fit this code."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise AnswerError(f"{path}: cannot read the answer scorer: {err}") from None
    if tuple(raw.get("features", ())) != FEATURES:
        raise AnswerError(f"{path}: answer scorer features do not match this version")
    return AnswerScorer(
        features=FEATURES,
        mean=np.asarray(raw["mean"], dtype=np.float64),
        scale=np.asarray(raw["scale"], dtype=np.float64),
        weights=np.asarray(raw["weights"], dtype=np.float64),
        bias=float(raw["bias"]),
        calibration=(float(raw["calibration"][0]), float(raw["calibration"][1])),
        threshold=float(raw["threshold"]),
        background=_background(raw),
        trained_on=str(raw.get("trained_on", "")),
        cross_language_lexical=float(raw.get("cross_language_lexical", 0.0)),
        background_language=str(raw.get("background_language", "nb")),
        language_shift=float(raw.get("language_shift", 0.0)),
        order_mean=_vector(raw, "order_mean"),
        order_scale=_vector(raw, "order_scale"),
        order_weights=_vector(raw, "order_weights"),
        order_bias=float(raw.get("order_bias", 0.0)),
    )


def _vector(raw: dict, key: str) -> np.ndarray | None:
    """An optional vector of the scorer file (absent in files written before it existed)."""
    if key not in raw:
        return None
    vector = np.asarray(raw[key], dtype=np.float64)
    if vector.shape != (len(FEATURES),):
        raise AnswerError(f"answer scorer: {key} has {vector.size} values, not {len(FEATURES)}")
    return vector


def _background(raw: dict) -> np.ndarray:
    dim = int(raw.get("background_dim", 0))
    if not dim:
        return np.zeros((0, 0), dtype=np.float32)
    flat = np.frombuffer(base64.b64decode(raw["background_f16"]), dtype="<f2")
    return flat.astype(np.float32).reshape(-1, dim)


@lru_cache(maxsize=1)
def shipped_scorer() -> AnswerScorer:
    """The scorer shipped with the package."""
    return read_scorer(scorer_path())


def logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))
