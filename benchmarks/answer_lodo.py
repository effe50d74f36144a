"""The answer scorer fitted on the policy documents' dev questions, leave-one-document-out.

    .venv/bin/python benchmarks/answer_lodo.py table      # the candidate table (indexes built once)
    .venv/bin/python benchmarks/answer_lodo.py evaluate --norquad WORK/features.npz \
        [--objective pointwise|listwise|both|order --share 10]
    .venv/bin/python benchmarks/answer_lodo.py fit --norquad WORK/features.npz --out FILE

`table`: every dev question of both sets (qa-dev-realpdfs over ../shared/realpdfs, qa-dev with
bench_answer's English versions and extra unanswerables over corpus/), asked as bench_answer asks
them: the real retrieval and `Answerer.candidates`, each candidate's feature row as `ask` computes
it (the cross-language floor included), its label by bench_answer's own gold-quote match and
whether its citation verifies. Kept in --work/table.pkl, so `evaluate` replays `ask` for any
weights without the model: score, list lift, sort, confidence, select, drop unverifiable quotes.

`evaluate`: the recipe (a sentence model on NorQuAD train's candidates plus the training
documents' dev candidates at a weight — per-candidate logistic as shipped, a softmax over each
question's candidates, or both losses; C and the weight chosen by leave-one-document-out inside
the training documents; Platt calibration and the abstention threshold on NorQuAD validation
plus the training documents' out-of-fold best logits) is run for each of the nine documents held
out, and once on all nine (in-sample; `fit` writes that one as a scorer JSON for `ask`).
Questions that belong to no document (unanswerable, or about both corpus reports) are dealt
round-robin to their set's documents, so each is held out once.

`--objective order`: two models — the softmax model (its logits rescaled to the shipped scorer's
within-question spread on NorQuAD train, so the select margins keep their meaning) orders and
selects the quotes; the shipped scorer's best logit decides the confidence and abstention.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

import bench_answer  # noqa: E402

from policyminer.answer.answer import Answerer  # noqa: E402
from policyminer.answer.candidates import Sentence, feature_rows  # noqa: E402
from policyminer.answer.frontmatter import is_authorship_question  # noqa: E402
from policyminer.answer.scorer import FEATURES, shipped_scorer, sigmoid  # noqa: E402
from policyminer.lang import detect_language, is_list_question  # noqa: E402

SHARED = REPO.parent / "shared"
SETS = {
    # name: (index, documents, dev questions)
    "real": (REPO / "indexes" / "bench-real", SHARED / "realpdfs",
             SHARED / "eval" / "qa-dev-realpdfs.json"),
    "corpus": (REPO / "indexes" / "bench-corpus", REPO / "corpus", SHARED / "eval" / "qa-dev.json"),
}  # fmt: skip
C_GRID = (0.01, 1.0)  # 0.01: the shipped scorer's choice on NorQuAD
WEIGHT_GRID = (0.0, 3.0, 10.0, 30.0, 100.0)  # weight of one dev candidate row vs a NorQuAD row


@dataclass
class Question:
    """One dev question as ask sees it, with its candidates described for a replay."""

    id: str
    set: str
    doc: str  # the fold it is held out with
    lang: str
    answerable: bool
    listing: bool
    x: np.ndarray  # feature rows (FEATURES order), as ask computes them
    label: np.ndarray  # the candidate's quote matches a gold quote (bench_answer.matches)
    verifiable: np.ndarray  # the citation check keeps it (on its page or re-cited)
    sentences: list[Sentence] = field(default_factory=list)
    front: tuple[float, list[bool]] | None = None  # the front-matter rule's answer, if it answered


# -- the table --------------------------------------------------------------------------------


def documents_of(name: str, qa: Path) -> dict[str, str | None]:
    """Question id → its document (None for unanswerable and two-document questions)."""
    raw = json.loads(qa.read_text(encoding="utf-8"))
    listed = raw["questions"] if isinstance(raw, dict) else raw
    docs = {q["id"]: (q.get("doc") if q["kind"] != "unanswerable" else None) for q in listed}
    docs = {k: (v if v not in (None, "both") else None) for k, v in docs.items()}
    if name == "corpus":  # bench_answer's English versions go with their original
        docs.update({f"{i}-en": docs[i] for i, _ in bench_answer.ENGLISH})
    return docs


def deal(items: list[bench_answer.Item], docs: dict[str, str | None]) -> dict[str, str]:
    """Each question's fold: its document, or round-robin over the set's documents."""
    names = sorted({d for d in docs.values() if d})
    folds, n = {}, 0
    for item in sorted(items, key=lambda i: i.id):
        doc = docs.get(item.id)
        if doc is None:
            doc, n = names[n % len(names)], n + 1
        folds[item.id] = doc
    return folds


def build_table(work: Path) -> list[Question]:
    from policyminer.retrieve.search import Searcher

    scorer = shipped_scorer()  # its background and cross-language floor: the refit keeps both
    table: list[Question] = []
    for name, (index, pdfs, qa) in SETS.items():
        bench_answer.build_index(index, pdfs)
        items = bench_answer.load_items(qa)
        folds = deal(items, documents_of(name, qa))
        with Searcher(index) as searcher:
            answerer = Answerer(searcher, min_confidence=0.0, scorer=scorer)
            for item in items:
                table.append(question_row(answerer, name, folds[item.id], item))
        print(f"{name}: {len(items)} questions", flush=True)
    (work / "table.pkl").write_bytes(pickle.dumps(table))
    return table


def question_row(answerer: Answerer, name: str, fold: str, item) -> Question:
    """One question's candidates, features, labels and citation check, as `ask` meets them."""
    question = item.question
    lang, listing = detect_language(question), is_list_question(question)
    hits = answerer.searcher.search(question, k=answerer.passages, mode="hybrid")
    front = None
    if is_authorship_question(question):
        made = answerer._from_front_matter(question, lang, hits, 0.0)
        if made is not None:
            front = (made.confidence, [match(c.quote, item) for c in made.citations])
    sentences = answerer.candidates(question, hits, listing)
    cross = answerer._cross_language(question, hits)
    floor = answerer.scorer.cross_language_lexical if cross else 0.0
    x = feature_rows(question, sentences, listing, answerer.background, floor)
    return Question(
        id=item.id,
        set=name,
        doc=fold,
        lang=lang,
        answerable=item.answerable,
        listing=listing,
        x=x,
        label=np.array([match(s.text, item) for s in sentences], dtype=bool),
        verifiable=np.array(
            [answerer.checker.repair(s.citation()) is not None for s in sentences], dtype=bool
        ),
        sentences=sentences,
        front=front,
    )


def match(quote: str, item) -> bool:
    return any(bench_answer.matches(quote, g) for g in item.gold)


# -- replaying ask ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Model:
    """A sentence model and its abstention: logit = standardised x · w + b; abstain below t."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    calibration: tuple[float, float] = (1.0, 0.0)
    threshold: float = 0.0  # on the calibrated confidence

    def logits(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.weights + self.bias

    def confidence(self, logit: float) -> float:
        a, b = self.calibration
        return float(sigmoid(a * logit + b))


@dataclass(frozen=True)
class Outcome:
    id: str
    confidence: float
    best_logit: float  # nan for front-matter answers and questions without candidates
    hits: tuple[bool, ...]  # label of each quoted citation, in order


def replay(model: Model, q: Question) -> Outcome:
    """What `ask` answers with this model, abstention off: its quotes' labels and confidence."""
    if q.front is not None:
        return Outcome(q.id, q.front[0], float("nan"), tuple(q.front[1]))
    if not q.sentences:
        return Outcome(q.id, 0.0, float("nan"), ())
    logits = model.logits(q.x)
    keep = {}
    for n, (s, value) in enumerate(zip(q.sentences, logits, strict=True)):
        s.score = float(value)
        keep[id(s)] = n
    sentences = list(q.sentences)
    if q.listing:
        Answerer._lift_list_items(sentences)
    sentences.sort(key=lambda s: -s.score)
    best = sentences[0].score
    chosen = [keep[id(s)] for s in Answerer.select(sentences, q.listing)]
    hits = tuple(bool(q.label[n]) for n in chosen if q.verifiable[n])
    return Outcome(q.id, model.confidence(best), best, hits)


def replay_pair(order: Model, confidence: Model, q: Question) -> Outcome:
    """What `ask` answers when one model orders and selects, another decides the confidence."""
    ordered = replay(order, q)
    if q.front is not None or not q.sentences:
        return ordered
    best = float(confidence.logits(q.x).max())  # the list lift never exceeds the best logit
    return Outcome(q.id, confidence.confidence(best), best, ordered.hits)


def figures(outcomes: list[Outcome], table: list[Question], threshold) -> dict[str, dict]:
    """hit@1, hit@3, hit@3 with abstention and abstention counts, per set and language."""
    by_id = {q.id + q.set: q for q in table}
    groups: dict[str, list[tuple[Question, Outcome, float]]] = {}
    for o, q in zip(outcomes, table, strict=True):
        assert by_id[q.id + q.set] is q and o.id == q.id
        t = threshold(q) if callable(threshold) else threshold
        for key in (f"{q.set} {q.lang}", f"{q.set} all", "all"):
            groups.setdefault(key, []).append((q, o, t))
    out = {}
    for key, rows in sorted(groups.items()):
        ans = [(q, o, t) for q, o, t in rows if q.answerable]
        una = [(q, o, t) for q, o, t in rows if not q.answerable]
        answered = lambda o, t: o.confidence >= t and bool(o.hits)  # noqa: E731
        out[key] = {
            "n": len(ans),
            "hit1": sum(any(o.hits[:1]) for _, o, _ in ans),
            "hit3": sum(any(o.hits[:3]) for _, o, _ in ans),
            "hit3_abst": sum(any(o.hits[:3]) and o.confidence >= t for _, o, t in ans),
            "ans_abst": sum(not answered(o, t) for _, o, t in ans),
            "una": len(una),
            "una_abst": sum(not answered(o, t) for _, o, t in una),
        }
    return out


# -- fitting ----------------------------------------------------------------------------------


def fit_logistic(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, c: float, start: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """L2 logistic regression with sample weights (sklearn's objective), by Newton steps.

    Minimises C · Σ wᵢ log-loss + ½‖β‖² (intercept free); 13 features, so each step is one
    13×13 solve, fast enough for the hundreds of fits the nested leave-one-out needs.
    """
    n, d = x.shape
    a = np.hstack([x, np.ones((n, 1))])
    beta = np.zeros(d + 1) if start is None else start.copy()
    ridge = np.eye(d + 1) / c
    ridge[d, d] = 0.0
    for _ in range(50):
        p = sigmoid(a @ beta)
        grad = a.T @ (w * (p - y)) + ridge @ beta
        hess = (a * (w * p * (1 - p))[:, None]).T @ a + ridge
        step = np.linalg.solve(hess + 1e-9 * np.eye(d + 1), grad)
        beta -= step
        if np.abs(step).max() < 1e-7:
            break
    return beta[:d], float(beta[d])


def fit_listwise(
    x: np.ndarray,
    t: np.ndarray,
    starts: np.ndarray,
    gw: np.ndarray,
    c: float,
    start: np.ndarray | None = None,
) -> np.ndarray:
    """A conditional logit: per question, softmax over its candidates, fitted to its positives.

    Rows grouped by question (`starts`: each group's first row; `gw`: each group's weight;
    `t`: the share of the group's probability its row should get, 1 / positives on positives).
    Minimises C · Σ_g w_g cross-entropy + ½‖β‖², by Newton steps. It orders the candidates of
    one question and nothing else: the level of the logits is left to the calibration.
    """
    n, d = x.shape
    sizes = np.diff(np.append(starts, n))
    row_w = np.repeat(gw, sizes)

    def state(beta: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ beta
        s = s - np.repeat(np.maximum.reduceat(s, starts), sizes)
        e = np.exp(s)
        total = np.add.reduceat(e, starts)
        p = e / np.repeat(total, sizes)
        log_p = s - np.repeat(np.log(total), sizes)
        return c * float(-(row_w * t) @ log_p) + 0.5 * float(beta @ beta), p

    beta = np.zeros(d) if start is None else start.copy()
    loss, p = state(beta)
    for _ in range(100):
        grad = c * (x.T @ (row_w * (p - t))) + beta
        mu = np.add.reduceat(x * p[:, None], starts)  # each group's expected features
        second = (x * (row_w * p)[:, None]).T @ x - (mu * gw[:, None]).T @ mu
        step = np.linalg.solve(c * second + np.eye(d), grad)
        size = 1.0
        while True:  # halve the Newton step until the loss falls (Newton alone can overshoot)
            trial, (new_loss, new_p) = beta - size * step, state(beta - size * step)
            if new_loss <= loss or size < 1e-4:
                break
            size /= 2
        beta, loss, p = trial, new_loss, new_p
        if np.abs(size * step).max() < 1e-7:
            break
    return beta


def fit_both(
    point: tuple[np.ndarray, np.ndarray, np.ndarray],
    lists: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    c: float,
    share: float,
    start: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    """One weight vector fitted to both objectives: the per-candidate logistic loss (which sets
    the logit's level, so that the best logit can decide abstention) plus `share` × the
    per-question softmax loss (which orders each question's candidates).

    point: (x, y, row weights); lists: (x, targets, group starts, group weights), as in
    fit_logistic and fit_listwise. Newton steps, halved until the loss falls.
    """
    px, py, pw = point
    lx, lt, starts, gw = lists
    d = px.shape[1]
    pa = np.hstack([px, np.ones((len(px), 1))])
    sizes = np.diff(np.append(starts, len(lx)))
    row_w = np.repeat(gw, sizes)
    ridge = np.eye(d + 1)
    ridge[d, d] = 0.0

    def state(beta: np.ndarray):
        z = pa @ beta
        loss = float(pw @ (np.logaddexp(0, z) - py * z))
        q = sigmoid(z)
        grad = pa.T @ (pw * (q - py))
        hess = (pa * (pw * q * (1 - q))[:, None]).T @ pa
        s = lx @ beta[:d]
        s = s - np.repeat(np.maximum.reduceat(s, starts), sizes)
        e = np.exp(s)
        total = np.add.reduceat(e, starts)
        p = e / np.repeat(total, sizes)
        loss += share * float(-(row_w * lt) @ (s - np.repeat(np.log(total), sizes)))
        grad[:d] += share * (lx.T @ (row_w * (p - lt)))
        mu = np.add.reduceat(lx * p[:, None], starts)
        hess[:d, :d] += share * ((lx * (row_w * p)[:, None]).T @ lx - (mu * gw[:, None]).T @ mu)
        reg = 0.5 * float(beta[:d] @ beta[:d])
        return c * loss + reg, c * grad + ridge @ beta, c * hess + ridge

    beta = np.zeros(d + 1) if start is None else start.copy()
    loss, grad, hess = state(beta)
    for _ in range(100):
        step = np.linalg.solve(hess + 1e-9 * np.eye(d + 1), grad)
        size = 1.0
        while True:
            trial = beta - size * step
            new = state(trial)
            if new[0] <= loss or size < 1e-4:
                break
            size /= 2
        beta, (loss, grad, hess) = trial, new
        if np.abs(size * step).max() < 1e-7:
            break
    return beta[:d], float(beta[d])


def groups(x: np.ndarray, y: np.ndarray, q: np.ndarray, keep: np.ndarray):
    """Rows of the questions with a positive, with their targets and group starts."""
    has = np.isin(q, np.unique(q[y > 0])) & keep
    x, y, q = x[has], y[has], q[has]
    starts = np.flatnonzero(np.r_[True, q[1:] != q[:-1]])
    sizes = np.diff(np.append(starts, len(q)))
    positives = np.repeat(np.add.reduceat(y, starts), sizes)
    return x, y / positives, starts


class Data:
    """NorQuAD's candidate sets (train_answer_scorer.py's features.npz) and the dev table."""

    def __init__(
        self, norquad: Path, table: list[Question], objective: str = "pointwise", share: float = 0
    ):
        # "order": the listwise model, its logits rescaled to the shipped scorer's spread
        self.rescale = objective == "order"
        self.objective = "listwise" if self.rescale else objective
        self.share = share  # the softmax loss's share in "both"
        flat = np.load(norquad)
        sets: dict[str, dict[str, np.ndarray]] = {}
        for key in flat.files:
            name, part = key.rsplit(".", 1)
            sets.setdefault(name, {})[part] = flat[key]
        self.sets = sets
        x = np.vstack([sets["train_own"]["x"], sets["train_other"]["x"]])
        self.mean, self.scale = x.mean(0), x.std(0)
        self.scale[self.scale == 0] = 1.0
        self.nq_x = (x - self.mean) / self.scale
        self.nq_y = np.concatenate([sets["train_own"]["y"], sets["train_other"]["y"]]).astype(float)
        self.table = table
        self.docs = sorted({q.doc for q in table})
        self.cache: dict[tuple, Model] = {}
        own = sets["train_own"]
        self.nq_groups = groups(
            (own["x"] - self.mean) / self.scale, own["y"].astype(float), own["q"],
            np.ones(len(own["y"]), dtype=bool),
        )  # fmt: skip

    def dev_rows(self, docs: frozenset[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        chosen = [q for q in self.table if q.doc in docs and len(q.x)]
        if not chosen:
            return np.zeros((0, len(FEATURES))), np.zeros(0), np.zeros(0, dtype=np.int64)
        x = np.vstack([q.x for q in chosen])
        y = np.concatenate([q.label & q.answerable for q in chosen]).astype(float)
        owner = np.concatenate([np.full(len(q.x), n) for n, q in enumerate(chosen)])
        return (x - self.mean) / self.scale, y, owner

    def listwise_model(self, docs: frozenset[str], c: float, weight: float) -> Model:
        """The conditional logit on NorQuAD train's answerable questions plus these documents'."""
        gx, gt, gs = self.nq_groups
        gw = np.ones(len(gs))
        if weight:
            dx, dy, owner = self.dev_rows(docs)
            if len(dy):
                ex, et, es = groups(dx, dy, owner, np.ones(len(dy), dtype=bool))
                gs = np.concatenate([gs, es + len(gx)])
                gx, gt = np.vstack([gx, ex]), np.concatenate([gt, et])
                gw = np.concatenate([gw, np.full(len(es), weight)])
        base = None if weight == 0 else self.sentence_model(docs, c, 0.0)
        # a start only (the loss is convex): the rescaled weights serve as well as the raw ones
        coef = fit_listwise(gx, gt, gs, gw, c, None if base is None else base.weights)
        model = Model(self.mean, self.scale, coef, 0.0)
        return Model(self.mean, self.scale, coef * self.factor(model), 0.0)

    def factor(self, model: Model) -> float:
        """What the model's logits are multiplied by: 1, or for "order" the shipped scorer's
        within-question spread over the model's, on NorQuAD train's candidates (so that the
        select margins, in logit units, keep about the shipped scorer's meaning)."""
        if not self.rescale:
            return 1.0
        own = self.sets["train_own"]
        return spread(shipped_model(), own["x"], own["q"]) / spread(model, own["x"], own["q"])

    def both_model(self, docs: frozenset[str], c: float, weight: float) -> Model:
        """Both losses on NorQuAD train plus these documents' candidates and questions."""
        gx, gt, gs = self.nq_groups
        gw = np.ones(len(gs))
        dx, dy, owner = self.dev_rows(docs)
        if weight and len(dy):
            ex, et, es = groups(dx, dy, owner, np.ones(len(dy), dtype=bool))
            gs = np.concatenate([gs, es + len(gx)])
            gx, gt = np.vstack([gx, ex]), np.concatenate([gt, et])
            gw = np.concatenate([gw, np.full(len(es), weight)])
        point = (
            np.vstack([self.nq_x, dx]),
            np.concatenate([self.nq_y, dy]),
            np.concatenate([np.ones(len(self.nq_y)), np.full(len(dy), weight)]),
        )
        base = None if weight == 0 else self.sentence_model(docs, c, 0.0)
        start = None if base is None else np.append(base.weights, base.bias)
        coef, bias = fit_both(point, (gx, gt, gs, gw), c, self.share, start)
        return Model(self.mean, self.scale, coef, bias)

    def sentence_model(self, docs: frozenset[str], c: float, weight: float) -> Model:
        """The sentence model on NorQuAD train plus these documents' candidates at `weight`."""
        key = (frozenset() if weight == 0 else docs, c, weight)
        if key not in self.cache and self.objective == "listwise":
            self.cache[key] = self.listwise_model(key[0], c, weight)
        if key not in self.cache and self.objective == "both":
            self.cache[key] = self.both_model(key[0], c, weight)
        if key not in self.cache:
            dx, dy, _ = self.dev_rows(key[0])
            x = np.vstack([self.nq_x, dx])
            y = np.concatenate([self.nq_y, dy])
            w = np.concatenate([np.ones(len(self.nq_y)), np.full(len(dy), weight)])
            # started from the NorQuAD-only fit: fewer Newton steps
            base = None if weight == 0 else self.sentence_model(docs, c, 0.0)
            start = None if base is None else np.append(base.weights, base.bias)
            coef, bias = fit_logistic(x, y, w, c, start)
            self.cache[key] = Model(self.mean, self.scale, coef, bias)
        return self.cache[key]

    def norquad_best(self, model: Model, name: str) -> tuple[np.ndarray, np.ndarray]:
        d = self.sets[name]
        logits = model.logits(d["x"])
        order = np.lexsort((-logits, d["q"]))  # per question, best first
        first = np.ones(len(order), dtype=bool)
        first[1:] = d["q"][order][1:] != d["q"][order][:-1]
        return logits[order][first], d["y"][order][first]


def spread(model: Model, x: np.ndarray, q: np.ndarray) -> float:
    """Mean over questions of the standard deviation of a question's candidate logits."""
    logits = model.logits(x)
    _, owner = np.unique(q, return_inverse=True)
    n = np.bincount(owner)
    mean = np.bincount(owner, logits) / n
    square = np.bincount(owner, logits**2) / n
    return float(np.sqrt(np.maximum(square - mean**2, 0.0)).mean())


def recipe(data: Data, docs: frozenset[str], verbose: bool = False) -> tuple[Model, dict]:
    """The whole fit on NorQuAD + `docs`: C and weight by leave-one-document-out inside `docs`,
    then the sentence model on all of `docs`, Platt calibration and the threshold."""
    inside = [q for q in data.table if q.doc in docs]
    choice, oof_best = None, {}
    for c in C_GRID:
        for weight in WEIGHT_GRID:
            outcomes = {}
            for held in sorted(docs):
                model = data.sentence_model(docs - {held}, c, weight)
                for q in inside:
                    if q.doc == held:
                        outcomes[q.id + q.set] = replay(model, q)
            ans = [outcomes[q.id + q.set] for q in inside if q.answerable]
            score = sum(any(o.hits[:1]) + any(o.hits[:3]) for o in ans)
            if verbose:
                print(f"    C={c} weight={weight}: inner hit@1+hit@3 {score}/{2 * len(ans)}")
            if choice is None or score > choice[0]:
                choice, oof_best = (score, c, weight), outcomes
    assert choice is not None
    _, c, weight = choice
    model = data.sentence_model(docs, c, weight)
    # calibration: NorQuAD validation (own: answerable; other: not in the documents) and the
    # training documents' out-of-fold best logits (front-matter answers do not use the scorer)
    own, own_right = data.norquad_best(model, "val_own")
    far, _ = data.norquad_best(model, "val_other")
    dev = [
        (q, oof_best[q.id + q.set])
        for q in inside
        if not np.isnan(oof_best[q.id + q.set].best_logit)
    ]
    dev_ans = np.array([o.best_logit for q, o in dev if q.answerable])
    dev_right = np.array([bool(o.hits[:1]) and o.hits[0] for q, o in dev if q.answerable])
    dev_una = np.array([o.best_logit for q, o in dev if not q.answerable])
    values = np.concatenate([own, far, dev_ans, dev_una])
    target = np.concatenate([own_right, np.zeros(len(far)), dev_right, np.zeros(len(dev_una))])
    # the dev questions weigh as much as NorQuAD validation, together
    nq, nd = len(own) + len(far), len(dev_ans) + len(dev_una)
    w = np.concatenate([np.full(nq, 1.0), np.full(nd, nq / max(nd, 1))])
    (a,), b = fit_logistic(values.reshape(-1, 1), target.astype(float), w, 100.0)
    conf = lambda v: sigmoid(a * v + b)  # noqa: E731
    threshold = balanced([conf(own), conf(dev_ans)], [conf(far), conf(dev_una)])
    chosen = Model(model.mean, model.scale, model.weights, model.bias, (a, b), threshold)
    return chosen, {"C": c, "weight": weight, "threshold": threshold, "calibration": (a, b)}


def balanced(answerable: list[np.ndarray], misses: list[np.ndarray]) -> float:
    """The confidence maximising the mean of each group's answered / abstained rate."""
    values = np.unique(np.concatenate([*answerable, *misses]))
    best, at = -1.0, 0.5
    for t in values:
        score = np.mean([(g >= t).mean() for g in answerable if len(g)]
                        + [(g < t).mean() for g in misses if len(g)])  # fmt: skip
        if score > best:
            best, at = score, float(t)
    return at


def shipped_model() -> Model:
    s = shipped_scorer()
    return Model(s.mean, s.scale, s.weights, s.bias, s.calibration, s.threshold)


def held_out(
    data: Data,
    replay_one: Callable[[Model, Question], Outcome],
    keys: tuple[str, ...] | None = None,
) -> tuple[dict[str, Outcome], dict[str, dict], dict[str, float]]:
    """Each document's questions replayed with the recipe fitted without that document: outcome
    and threshold by question, the recipe's choices by document (only `keys` of them if given)."""
    held: dict[str, Outcome] = {}
    thresholds: dict[str, float] = {}
    chosen = {}
    for doc in data.docs:
        model, report = recipe(data, frozenset(data.docs) - {doc})
        if keys is not None:
            report = {k: report[k] for k in keys}
        chosen[doc] = report
        print(f"held out {doc}: {report}", flush=True)
        for q in data.table:
            if q.doc == doc:
                held[q.id + q.set] = replay_one(model, q)
                thresholds[q.id + q.set] = model.threshold
    return held, chosen, thresholds


def evaluate(data: Data, out: Path) -> dict:
    table = data.table
    shipped = shipped_model()
    before = [replay(shipped, q) for q in table]
    results = {"shipped": figures(before, table, shipped.threshold)}
    held, chosen, thresholds = held_out(data, replay)
    after = [held[q.id + q.set] for q in table]
    results["lodo"] = figures(after, table, lambda q: thresholds[q.id + q.set])
    results["flips"] = flips(table, before, after, shipped.threshold, thresholds)
    model, report = recipe(data, frozenset(data.docs), verbose=True)
    print(f"all nine: {report}")
    results["in_sample"] = figures([replay(model, q) for q in table], table, model.threshold)
    results["choices"] = {"lodo": chosen, "all": report}
    results["all_weights"] = dict(zip(FEATURES, np.round(model.weights, 3).tolist(), strict=True))
    out.write_text(json.dumps(results, indent=1, default=float))
    return results


def evaluate_order(data: Data, out: Path) -> dict:
    """The listwise order model held out per document, the shipped scorer's abstention kept."""
    table = data.table
    shipped = shipped_model()
    before = [replay(shipped, q) for q in table]
    results = {"shipped": figures(before, table, shipped.threshold)}
    held, chosen, _ = held_out(
        data, lambda model, q: replay_pair(model, shipped, q), keys=("C", "weight")
    )
    after = [held[q.id + q.set] for q in table]
    results["lodo"] = figures(after, table, shipped.threshold)
    same = {q.id + q.set: shipped.threshold for q in table}
    results["flips"] = flips(table, before, after, shipped.threshold, same)
    # abstentions that differ from the shipped ones (only when no chosen quote verifies)
    results["abstention_changed"] = [
        f"{q.set}:{q.id}"
        for q, b, a in zip(table, before, after, strict=True)
        if (b.confidence >= shipped.threshold and bool(b.hits))
        != (a.confidence >= shipped.threshold and bool(a.hits))
    ]
    model, report = recipe(data, frozenset(data.docs), verbose=True)
    print(f"all nine: C {report['C']}, weight {report['weight']}")
    inside = [replay_pair(model, shipped, q) for q in table]
    results["in_sample"] = figures(inside, table, shipped.threshold)
    results["choices"] = {"lodo": chosen, "all": {k: report[k] for k in ("C", "weight")}}
    results["all_weights"] = dict(zip(FEATURES, np.round(model.weights, 3).tolist(), strict=True))
    out.write_text(json.dumps(results, indent=1, default=float))
    return results


def write_scorer(data: Data, out: Path, objective: str) -> None:
    """The recipe on NorQuAD + all nine documents, written as an answer scorer JSON for `ask`."""
    from dataclasses import replace

    from policyminer.answer.scorer import AnswerScorer

    model, report = recipe(data, frozenset(data.docs))
    shipped = shipped_scorer()  # the table's features were measured with its background
    if objective == "order":  # the shipped scorer kept as it is, the order model added
        own = data.sets["train_own"]
        scorer = replace(
            shipped,
            order_mean=model.mean,
            order_scale=model.scale,
            order_weights=model.weights,
            order_bias=0.0,
            trained_on=shipped.trained_on.split(" | ")[0] + " | order model: softmax over each "
            f"question's candidates on NorQuAD train + the 9 dev documents' answerable questions "
            f"(C {report['C']}, dev weight {report['weight']}, by leave-one-document-out), "
            "logits rescaled to the confidence model's spread on NorQuAD train; recipe: "
            "benchmarks/answer_lodo.py table, then fit --objective order",
        )
        spreads = spread(model, own["x"], own["q"]), spread(shipped_model(), own["x"], own["q"])
        out.write_text(json.dumps(scorer.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {out}: C {report['C']}, weight {report['weight']}; spreads {spreads}")
        return
    scorer = replace(
        shipped,
        mean=model.mean,
        scale=model.scale,
        weights=model.weights,
        bias=model.bias,
        calibration=(float(model.calibration[0]), float(model.calibration[1])),
        threshold=model.threshold,
        trained_on=f"NorQuAD train + the 9 dev documents ({objective}; C {report['C']}, "
        f"dev weight {report['weight']}); calibration and threshold on NorQuAD validation + "
        "the documents' out-of-fold logits",
    )
    assert isinstance(scorer, AnswerScorer)
    out.write_text(json.dumps(scorer.to_json(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}: {report}")


def flips(table, before, after, threshold: float, thresholds: dict) -> dict[str, list[str]]:
    """Answerable questions won and lost (held out vs shipped), per measure: is a change noise?"""
    out: dict[str, list[str]] = {}
    for q, b, a in zip(table, before, after, strict=True):
        if not q.answerable:
            continue
        t = thresholds[q.id + q.set]
        for name, was, now in (
            ("hit@1", any(b.hits[:1]), any(a.hits[:1])),
            ("hit@3", any(b.hits[:3]), any(a.hits[:3])),
            ("hit@3 with abstention", any(b.hits[:3]) and b.confidence >= threshold,
             any(a.hits[:3]) and a.confidence >= t),
        ):  # fmt: skip
            if was != now:
                out.setdefault(f"{name} {'won' if now else 'lost'}", []).append(f"{q.set}:{q.id}")
    return out


def show(results: dict) -> None:
    keys = ["real nb", "real en", "real all", "corpus nb", "corpus en", "corpus all", "all"]
    head = ("set", "hit@1", "hit@3", "h3+abst", "ans abst", "una abst")
    print(f"{'':10} {head[0]:10} " + " ".join(f"{h:>7}" for h in head[1:]))
    for name in ("shipped", "lodo", "in_sample"):
        for key in keys:
            f = results[name].get(key)
            if not f:
                continue
            print(
                f"{name:10} {key:10} {f['hit1']:3}/{f['n']:<3} {f['hit3']:3}/{f['n']:<3} "
                f"{f['hit3_abst']:3}/{f['n']:<3} {f['ans_abst']:4}/{f['n']:<4} "
                f"{f['una_abst']:4}/{f['una']:<4}"
            )
    for name, ids in sorted(results.get("flips", {}).items()):
        print(f"held out vs shipped, {name}: {len(ids)} ({', '.join(ids)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=("table", "evaluate", "fit"))
    parser.add_argument("--out", type=Path, help="fit: the scorer JSON to write")
    parser.add_argument("--work", type=Path, default=REPO / "indexes" / "answer-lodo")
    parser.add_argument("--norquad", type=Path, help="train_answer_scorer.py's features.npz")
    parser.add_argument(
        "--objective",
        choices=("pointwise", "listwise", "both", "order"),
        default="pointwise",
        help="the sentence model: a logistic model per candidate (as shipped), or a softmax "
        "over each question's candidates, or both losses on one weight vector; order: the "
        "softmax model orders (rescaled), the shipped scorer decides abstention",
    )
    parser.add_argument("--share", type=float, default=1.0, help="the softmax loss's share (both)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.step == "table":
        table = build_table(args.work)
        shipped = shipped_model()
        show({"shipped": figures([replay(shipped, q) for q in table], table, shipped.threshold),
              "lodo": {}, "in_sample": {}})  # fmt: skip
        return
    table = pickle.loads((args.work / "table.pkl").read_bytes())
    data = Data(args.norquad, table, args.objective, args.share)
    if args.step == "fit":
        write_scorer(data, args.out, args.objective)
        return
    name = args.objective + (f"-{args.share:g}" if args.objective == "both" else "")
    run = evaluate_order if args.objective == "order" else evaluate
    results = run(data, args.work / f"results-{name}.json")
    show(results)
    if "abstention_changed" in results:
        print(f"abstention changed against shipped: {results['abstention_changed']}")


if __name__ == "__main__":
    # run as the module, so the pickled table names its classes `answer_lodo.…`, not `__main__.…`
    import answer_lodo

    answer_lodo.main()
