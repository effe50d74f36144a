"""A learned judge for actor-list entries: P(true entry) from general signals of an actor."""

# Measured leave-one-document-out over the gold actor lists (benchmarks/judge_actors.py,
# BENCHMARKS.md "Issue 13 (session 7)") it did not raise held-out list precision, so
# `list_actors` does not apply it and the package does not hold it: the features and the fit
# live here, beside the recipe (scripts/train_actor_judge.py) that the benchmark shares, to be
# rerun as gold lists are added.

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from policyminer.enrich.actors import Actor, actors_from_rows
from policyminer.enrich.aliases import MentionRow
from policyminer.enrich.labels import LABELS
from policyminer.enrich.ner import _STRONG_EN, _STRONG_NB, _WEAK_EN, _WEAK_NB
from policyminer.enrich.orgtypes import has_org_head, org_type
from policyminer.lang import EN, detect_language

# The signals are general properties of an actor (its label, how and where it is written), never
# the words of its name: a model of name strings would memorise the documents it was fitted on.
FEATURES: tuple[str, ...] = (
    *(f"label_{lab}" for lab in LABELS),
    "log_mentions",
    "log_pages",
    "log_forms",
    "name_words",
    "log_chars",
    "capitalised_share",
    "all_caps",
    "has_digit",
    "glued_digits",
    "hyphen_end",
    "first_lower",
    "org_cue",
    "org_head",
    "initiative_head",
    "weak_head",
    "has_expansion",
    "label_agreement",
    "context_words",
    "running_share",
    "cell_share",
    "english_share",
    "sentence_start_share",
    "whole_line_share",
    # signals of the actor among the others of its list and the text around it
    "mention_percentile",
    "fragment",
    "contains_other",
    "common_first_word",
    "common_single_word",
)

_INITIATIVE_HEAD = re.compile(rf"(?:{_STRONG_NB})$|^(?:{_STRONG_EN.casefold()})$")
_WEAK_HEAD = re.compile(rf"(?:{_WEAK_NB})$|^(?:{_WEAK_EN.casefold()})$")
# a letter followed by digits at the end of a word: a footnote marker stuck to a name
_GLUED_DIGITS = re.compile(r"[a-zæøå]\d{1,3}$")
_CELL = re.compile(r"\t| \| |\n")
_LETTERS = re.compile(r"[A-Za-zÆØÅæøåÉéÄäÖöÜü]")


def actor_features(
    name: str,
    label: str,
    aliases: Sequence[str],
    rows: Sequence[MentionRow],
    has_expansion: bool,
) -> dict[str, float]:
    """The judge's inputs for one actor: its label, name shape and the contexts of its mentions."""
    words = name.split()
    letters = _LETTERS.findall(name)
    last = words[-1].casefold() if words else ""
    sentences = [r.sentence or "" for r in rows]
    n = max(len(rows), 1)
    context_words = [len(s.split()) for s in sentences]
    # English is only judged on contexts long enough to hold function words
    long_enough = [s for s in sentences if len(s.split()) >= 4]
    features = {f"label_{lab}": float(label == lab) for lab in LABELS}
    features.update(
        log_mentions=math.log1p(len(rows)),
        log_pages=math.log1p(len({(r.doc_id, r.page) for r in rows})),
        log_forms=math.log1p(len({r.text for r in rows})),
        name_words=float(min(len(words), 10)),
        log_chars=math.log1p(len(name)),
        capitalised_share=sum(w[:1].isupper() for w in words) / max(len(words), 1),
        all_caps=float(len(letters) >= 2 and all(c.isupper() for c in letters)),
        has_digit=float(any(c.isdigit() for c in name)),
        glued_digits=float(bool(_GLUED_DIGITS.search(name))),
        hyphen_end=float(name.rstrip()[-1:] in "-‐\u00ad"),
        first_lower=float(name[:1].islower()),
        org_cue=float(org_type(name, aliases) != "annet"),
        org_head=float(has_org_head(name)),
        initiative_head=float(bool(_INITIATIVE_HEAD.search(last))),
        weak_head=float(bool(_WEAK_HEAD.search(last))),
        has_expansion=float(has_expansion),
        label_agreement=sum(r.label == label for r in rows) / n,
        context_words=sum(math.log1p(c) for c in context_words) / n,
        running_share=sum(c >= 6 for c in context_words) / n,
        cell_share=sum(bool(_CELL.search(s)) for s in sentences) / n,
        english_share=(
            sum(detect_language(s) == EN for s in long_enough) / len(long_enough)
            if long_enough
            else 0.0
        ),
        sentence_start_share=sum(
            s.lstrip().startswith(r.text) for r, s in zip(rows, sentences, strict=True)
        )
        / n,
        whole_line_share=sum(
            s.strip() == r.text.strip() for r, s in zip(rows, sentences, strict=True)
        )
        / n,
    )
    return features


def described_actors(
    rows: Sequence[MentionRow], chunk_texts: Mapping[int, str], titles: Mapping[str, str]
) -> list[Actor]:
    """The actor list built from stored mentions, each actor carrying the judge's inputs."""
    actors = actors_from_rows(rows, dict(chunk_texts), dict(titles), describe=actor_features)
    relative = list_features(
        [[a.name, *a.aliases] for a in actors], [a.mentions for a in actors], chunk_texts.values()
    )
    for actor, extra in zip(actors, relative, strict=True):
        actor.features.update(extra)
    return actors


_TOKEN = re.compile(r"[\w-]+")


def list_features(
    names: Sequence[Sequence[str]], mentions: Sequence[int], texts: Iterable[str]
) -> list[dict[str, float]]:
    """Each actor's features relative to its list (rank, fragment) and the text (lower case)."""
    # A name that is a run of words inside another actor's name is often a fragment cut from
    # it; a first word the text mostly writes in lower case is a common noun, not a name.
    forms = [[" ".join(_TOKEN.findall(f.casefold())) for f in fs] for fs in names]
    pieces: dict[str, set[int]] = {}  # every run of words inside a longer form → its actors
    for i, fs in enumerate(forms):
        for form in fs:
            words = form.split()
            for a in range(len(words)):
                for b in range(a + 1, len(words) + 1):
                    if b - a < len(words):
                        pieces.setdefault(" ".join(words[a:b]), set()).add(i)
    whole = {form: i for i, fs in enumerate(forms) for form in fs}
    lower: dict[str, int] = {}
    written: dict[str, int] = {}
    for text in texts:
        for token in _TOKEN.findall(text):
            key = token.casefold()
            written[key] = written.get(key, 0) + 1
            if token == key:
                lower[key] = lower.get(key, 0) + 1
    ordered = sorted(mentions)
    rows = []
    for i, fs in enumerate(forms):
        first = fs[0].split()[0] if fs and fs[0] else ""
        common = lower.get(first, 0) / written[first] if written.get(first) else 0.0
        contains = any(
            whole.get(" ".join(w[a:b]), i) != i
            for w in (f.split() for f in fs)
            for a in range(len(w))
            for b in range(a + 1, len(w) + 1)
            if b - a < len(w)
        )
        rows.append(
            {
                "mention_percentile": bisect_left(ordered, mentions[i]) / max(len(ordered), 1),
                "fragment": float(any(pieces.get(f, set()) - {i} for f in fs)),
                "contains_other": float(contains),
                "common_first_word": common,
                "common_single_word": common if fs and len(fs[0].split()) == 1 else 0.0,
            }
        )
    return rows


@dataclass(frozen=True)
class Judge:
    """A logistic regression over standardised features, with the threshold that drops entries."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    threshold: float

    def confidence(self, features: Mapping[str, float]) -> float:
        """P(the entry is a true actor-list entry), 0..1."""
        x = np.array([features.get(f, 0.0) for f in self.features], dtype=float)
        z = float(((x - self.mean) / self.scale) @ self.weights + self.bias)
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def as_dict(self) -> dict:
        return {
            "features": list(self.features),
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "weights": [round(float(v), 6) for v in self.weights],
            "bias": round(self.bias, 6),
            "threshold": round(self.threshold, 6),
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Judge:
        return cls(
            tuple(data["features"]),
            np.asarray(data["mean"], dtype=float),
            np.asarray(data["scale"], dtype=float),
            np.asarray(data["weights"], dtype=float),
            float(data["bias"]),
            float(data["threshold"]),
        )


def fit_judge(
    rows: Sequence[Mapping[str, float]],
    truth: Sequence[bool],
    l2: float = 1.0,
    features: Sequence[str] = FEATURES,
) -> Judge:
    """Fit the logistic regression (Newton steps, L2 penalty on the weights); threshold 0.5."""
    x = np.array([[r.get(f, 0.0) for f in features] for r in rows], dtype=float)
    y = np.asarray(truth, dtype=float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0  # a constant feature carries nothing; keep it at weight 0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -30, 30)))
        grad = z.T @ (p - y) + penalty * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return Judge(tuple(features), mean, scale, w[:-1], float(w[-1]), 0.5)
