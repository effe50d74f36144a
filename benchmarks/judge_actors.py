"""The actor-list judge measured leave-one-document-out over the nine gold actor lists.

    python benchmarks/judge_actors.py [--cache /tmp/actor-judge-cache] [--json]

Each document runs once through the shipped pipeline (parse, NER, mention rules; cached under
--cache, so refits take seconds). Protocol, fixed before any held-out figure was read:
for each document, the judge is fitted on the other eight, its threshold chosen among those eight
only (scripts/train_actor_judge.py's choose_threshold: inner leave-one-document-out, the highest
threshold losing at most 0.5 % of their salient entries and of their initiatives), then applied
to the held-out document and scored with bench_actors.score. Beside it: rules only (no judge),
a fixed threshold of 0.5 held out (secondary), and in-sample (fit and threshold on all nine).
Pooled figures sum counts over the documents.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from actorjudge import FEATURES, Judge, fit_judge  # noqa: E402
from bench_actors import GOLD, GOLD_NSM, PDF, SEED, score  # noqa: E402
from train_actor_judge import (  # noqa: E402
    Candidates,
    Table,
    candidates,
    choose_threshold,
    fit,
    out_of_fold,
    table,
    train,
)

from policyminer.enrich.actors import Actor  # noqa: E402
from policyminer.enrich.labels import INITIATIVE  # noqa: E402

SHARED = REPO.parent / "shared"
GOLDS = REPO / "benchmarks" / "gold"
DOCUMENTS = (
    (SEED, GOLD),
    (PDF, GOLD_NSM),
    (SHARED / "realpdfs" / "nsm_risiko_2020.pdf", GOLDS / "actors-nsm2020.json"),
    (
        SHARED / "realpdfs" / "kdd_dokumentasjon_trafikkdata_ferjer_2023_nynorsk.pdf",
        GOLDS / "actors-kddferjer2023.json",
    ),
    (
        SHARED / "realpdfs" / "oslo_kvalitetsprogram_miljo_energi_hoff_2023.pdf",
        GOLDS / "actors-oslo2023.json",
    ),
    (
        SHARED / "realpdfs" / "oslo_pbe_komplettvurdering_planforslag_hoff_2023_a3.pdf",
        GOLDS / "actors-oslopbe2023.json",
    ),
    (
        SHARED / "realpdfs" / "sogne_omraderegulering_ausviga_reguleringsbestemmelser_2015.pdf",
        GOLDS / "actors-sogne2015.json",
    ),
    (
        SHARED / "realpdfs" / "vianova_kdd_fylkesveg_kriterium_2021.pdf",
        GOLDS / "actors-vianova2021.json",
    ),
    (REPO / "corpus" / "trondheim-veikart-helse.pdf", GOLDS / "actors-trondheim.json"),
)


def token_confidence(found: Candidates, cache: Path) -> dict[int, tuple[list, list, list]]:
    """Per chunk: its tokens' character spans and the tagger's P(not O) for each (cached)."""
    import numpy as np

    from policyminer.enrich.ner import load_pipeline
    from policyminer.enrich.nertagger import make_windows, sentence_starts_of, window_log_probs

    path = cache / f"{found.name}.tokens.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    nlp = load_pipeline()
    tagger = nlp.pipeline[0][1].tagger
    ids = sorted(found.chunk_texts)
    docs = [nlp.make_doc(found.chunk_texts[i]) for i in ids]
    windows, owner = [], []
    for d, doc in enumerate(docs):
        for w in make_windows([t.text for t in doc], sentence_starts_of(doc), tagger.tokenizer):
            windows.append(w)
            owner.append(d)
    scores = window_log_probs(
        tagger.model, windows, tagger.tokenizer.pad_token_id, 16, not tagger.quantized
    )
    entity = [np.zeros(len(doc)) for doc in docs]
    for w, d, lp in zip(windows, owner, scores, strict=True):
        entity[d][w.words] = 1.0 - np.exp(lp[:, 0])  # TAGS[0] is "O"
    out = {
        i: ([t.idx for t in doc], [t.idx + len(t) for t in doc], list(entity[d]))
        for d, (i, doc) in enumerate(zip(ids, docs, strict=True))
    }
    path.write_bytes(pickle.dumps(out))
    return out


def add_ner_confidence(t: Table, found: Candidates, tokens: dict) -> None:
    """Each actor's mean and max tagger confidence over its mentions' tokens (round 4)."""
    by_form: dict[tuple[int, str], list[float]] = {}
    for r in found.rows:
        starts, ends, probs = tokens[r.chunk_id]
        inside = [
            p for a, b, p in zip(starts, ends, probs, strict=True) if a < r.end and b > r.start
        ]
        by_form.setdefault((r.chunk_id, r.text), []).append(
            sum(inside) / len(inside) if inside else 0.0
        )
    for a in t.actors:
        forms = {a.name, *a.aliases}
        confs = [
            c
            for (cid, text), cs in by_form.items()
            if cid in a.chunk_ids and text in forms
            for c in cs
        ]
        a.features["ner_mean"] = sum(confs) / len(confs) if confs else 0.0
        a.features["ner_max"] = max(confs, default=0.0)
        a.features["ner_tagged_share"] = sum(c >= 0.5 for c in confs) / len(confs) if confs else 0.0


def kept(t: Table, judge: Judge) -> list[Actor]:
    return [a for a in t.actors if judge.confidence(a.features) >= judge.threshold]


def fit_relabel(tables: Sequence[Table], l2: float = 1.0) -> Judge:
    """P(an ORG-labelled true entry is a gold initiative), fitted on these documents."""
    rows, truth = [], []
    for t in tables:
        for a, hits in zip(t.actors, t.hits, strict=True):
            if a.label == "ORG" and hits:
                rows.append(a.features)
                truth.append(any(t.gold[i]["label"] == INITIATIVE for i in hits))
    return fit_judge(rows, truth, l2)


def relabelled(actors: Sequence[Actor], head: Judge) -> list[Actor]:
    """Copies of the actors with ORG turned INITIATIVE where the head says so."""
    return [
        replace(a, label=INITIATIVE)
        if a.label == "ORG" and head.confidence(a.features) >= head.threshold
        else a
        for a in actors
    ]


def auc(probs: Sequence[float], truth: Sequence[bool]) -> float | None:
    """Probability that a true entry gets a higher confidence than a false one (ties half)."""
    pos = [p for p, y in zip(probs, truth, strict=True) if y]
    neg = [p for p, y in zip(probs, truth, strict=True) if not y]
    if not pos or not neg:
        return None
    wins = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg)
    return round(wins / (len(pos) * len(neg)), 3)


def signal_counts(tables: Sequence[Table]) -> dict[str, dict[str, str]]:
    """How often general signals hold for false, protected (salient/initiative) and other true."""
    signals = {
        "one mention": lambda a: a.mentions == 1,
        "fragment of a longer name": lambda a: a.features["fragment"] >= 0.5,
        "first word mostly lower case": lambda a: a.features["common_first_word"] >= 0.5,
        "English contexts": lambda a: a.features["english_share"] >= 0.5,
        "table-cell contexts": lambda a: a.features["cell_share"] >= 0.5,
        "no running sentence": lambda a: a.features["running_share"] < 0.5,
    }
    out = {}
    for name, holds in signals.items():
        tally = {"false": [0, 0], "protected": [0, 0], "other true": [0, 0]}
        for t in tables:
            for a, hits in zip(t.actors, t.hits, strict=True):
                kept = any(t.gold[i]["salient"] or t.gold[i]["label"] == INITIATIVE for i in hits)
                kind = "false" if not hits else "protected" if kept else "other true"
                tally[kind][0] += bool(holds(a))
                tally[kind][1] += 1
        out[name] = {k: f"{v[0]} / {v[1]}" for k, v in tally.items()}
    return out


def figures(actors: Sequence[Actor], gold: list[dict]) -> dict:
    """bench_actors.score's headline figures with the counts behind them (for pooling)."""
    s = score(list(actors), gold)
    init = s["per_label"].get("INITIATIVE", {})
    n_init = init.get("n", 0)
    org = s["per_label"].get("ORG", {})
    return {
        "all_n": s["all"]["n"],
        "all_label_right": round((s["all"]["recall_label"] or 0) * s["all"]["n"]),
        "org_n": org.get("n", 0),
        "org_label_right": round((org.get("recall_label") or 0) * org.get("n", 0)),
        "salient_n": s["salient"]["n"],
        "salient_found": round((s["salient"]["recall"] or 0) * s["salient"]["n"]),
        "listed": s["list"]["listed"],
        "true": round((s["list"]["precision"] or 0) * s["list"]["listed"]),
        "initiatives_n": n_init,
        "initiatives_found": round((init.get("recall") or 0) * n_init),
        "initiatives_label_right": round((init.get("recall_label") or 0) * n_init),
        "salient_recall": s["salient"]["recall"],
        "precision": s["list"]["precision"],
        "initiative_recall": init.get("recall"),
    }


def pool(rows: Sequence[dict]) -> dict:
    keys = (
        "salient_n",
        "salient_found",
        "listed",
        "true",
        "initiatives_n",
        "initiatives_found",
        "initiatives_label_right",
        "all_n",
        "all_label_right",
        "org_n",
        "org_label_right",
    )
    total = {k: sum(r[k] for r in rows) for k in keys}
    return {
        **total,
        "label_right_recall": round(total["all_label_right"] / total["all_n"], 3),
        "org_label_right_recall": round(total["org_label_right"] / total["org_n"], 3),
        "initiative_label_right_recall": round(
            total["initiatives_label_right"] / total["initiatives_n"], 3
        ),
        "salient_recall": round(total["salient_found"] / total["salient_n"], 3),
        "precision": round(total["true"] / total["listed"], 3),
        "initiative_recall": round(total["initiatives_found"] / total["initiatives_n"], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/actor-judge-cache"))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument(
        "--ner-confidence",
        action="store_true",
        help="round 4: add the tagger's confidence over each actor's mentions (reruns the tagger)",
    )
    args = parser.parse_args()
    found = [candidates(pdf, gold, args.cache) for pdf, gold in DOCUMENTS]
    features = FEATURES
    tables = [table(f) for f in found]
    if args.ner_confidence:
        for t, f in zip(tables, found, strict=True):
            add_ner_confidence(t, f, token_confidence(f, args.cache))
        features = (*FEATURES, "ner_mean", "ner_max", "ner_tagged_share")
    everything = train(tables, args.l2, features)
    results = {
        "rules": [],
        "held_out": [],
        "held_out_05": [],
        "in_sample": [],
        "relabel_held_out": [],
        "relabel_in_sample": [],
        "thresholds": [],
    }
    relabel_all = fit_relabel(tables, args.l2)
    for i, t in enumerate(tables):
        others = [o for j, o in enumerate(tables) if j != i]
        judge = fit(others, args.l2, features)
        threshold = choose_threshold(others, args.l2, features)
        chosen = Judge(
            judge.features, judge.mean, judge.scale, judge.weights, judge.bias, threshold
        )
        results["thresholds"].append(threshold)
        results["rules"].append({"document": t.name, **figures(t.actors, t.gold)})
        results["held_out"].append({"document": t.name, **figures(kept(t, chosen), t.gold)})
        results["held_out_05"].append({"document": t.name, **figures(kept(t, judge), t.gold)})
        results["in_sample"].append({"document": t.name, **figures(kept(t, everything), t.gold)})
        head = fit_relabel(others, args.l2)
        results["relabel_held_out"].append(
            {"document": t.name, **figures(relabelled(t.actors, head), t.gold)}
        )
        results["relabel_in_sample"].append(
            {"document": t.name, **figures(relabelled(t.actors, relabel_all), t.gold)}
        )
    summary = {k: pool(v) for k, v in results.items() if k != "thresholds"}
    probs = out_of_fold(tables, args.l2, features)
    aucs = {t.name: auc(p, t.truth) for t, p in zip(tables, probs, strict=True)}
    aucs["pooled"] = auc([x for p in probs for x in p], [y for t in tables for y in t.truth])
    out = {
        "in_sample_threshold": everything.threshold,
        "held_out_thresholds": results["thresholds"],
        "pooled": summary,
        "out_of_fold_auc": aucs,
        "signals": signal_counts(tables),
        "documents": {k: v for k, v in results.items() if k != "thresholds"},
        "weights": dict(
            zip(everything.features, [round(float(w), 3) for w in everything.weights], strict=True)
        ),
    }
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return
    print(f"thresholds held out {results['thresholds']}, in-sample {everything.threshold}")
    head = f"{'':44}{'sal.rec':>8}{'prec':>7}{'init.rec':>9}{'listed':>7}"
    for i, t in enumerate(tables):
        print(f"\n== {t.name}\n{head}")
        for k in ("rules", "held_out", "held_out_05", "in_sample"):
            r = results[k][i]
            print(
                f"{k:44}{_f(r['salient_recall']):>8}{_f(r['precision']):>7}"
                f"{_f(r['initiative_recall']):>9}{r['listed']:>7}"
            )
    print(f"\n== pooled\n{head}")
    for k in ("rules", "held_out", "held_out_05", "in_sample"):
        r = summary[k]
        print(
            f"{k:44}{_f(r['salient_recall']):>8}{_f(r['precision']):>7}"
            f"{_f(r['initiative_recall']):>9}{r['listed']:>7}"
        )
    print(f"\nout-of-fold AUC of P(true): {aucs}")
    for name, row in out["signals"].items():
        print(f"{name:30} " + ", ".join(f"{k} {v}" for k, v in row.items()))
    print("\n== relabel head (label-right recall: all / ORG / INITIATIVE)")
    for i, t in enumerate(tables):
        row = [results[k][i] for k in ("rules", "relabel_held_out", "relabel_in_sample")]
        print(f"{t.name[:40]:44}" + "  ".join(_label_right(r) for r in row))
    row = [summary[k] for k in ("rules", "relabel_held_out", "relabel_in_sample")]
    print(f"{'pooled: rules | held out | in-sample':44}" + "  ".join(_label_right(r) for r in row))


def _label_right(r: dict) -> str:
    parts = [("all_label_right", "all_n"), ("org_label_right", "org_n")]
    parts.append(("initiatives_label_right", "initiatives_n"))
    return "/".join(f"{r[k] / r[n]:.3f}" if r[n] else "-" for k, n in parts)


def _f(v: float | None) -> str:
    return "-" if v is None else f"{v:.3f}"


if __name__ == "__main__":
    main()
