"""Answer quality, abstention calibration, citation verifiability and latency of `policyminer ask`.

    .venv/bin/python benchmarks/bench_answer.py [--index DIR] [--no-latency]

Builds (once) an index of corpus/*.pdf under indexes/bench-answer, then on
../shared/eval/qa-dev.json plus the extra questions below:
- hit@1 / hit@3: share of answerable questions whose first 1 / 3 citations include a gold quote
  (whitespace-normalised containment either way, of the quote or of one of its sentence pieces
  of 4+ words), with and without abstention;
- abstention: the support score of every question is recorded with abstention off; a threshold is
  chosen to maximise balanced accuracy (answerable → answer, unanswerable → abstain), both on all
  questions and leave-one-out cross-validated; abstention precision/recall at the shipped threshold;
- verifiability: every citation and lead of every question, plus questions generated from catalog
  sentences, checked independently against the catalog text of the cited page;
- latency: warm (one process, many questions) and cold (a new `python -m policyminer ask`).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
QA_DEV = SHARED / "eval" / "qa-dev.json"
DEFAULT_INDEX = REPO / "indexes" / "bench-answer"
DOCUMENT_SUFFIXES = (".pdf", ".docx", ".html")

# English versions of qa-dev questions (written for this benchmark; gold = that item's quotes),
# because qa-dev has a single English question and the corpus is Norwegian.
ENGLISH = [
    ("q001", "How much did the public health service in Norway cost in 2020?"),
    ("q038", "How many USN students do their practical training at Vestre Viken each year?"),
    ("q031", "How many inhabitants and municipalities does Vestre Viken HF serve?"),
    ("q025", "Which five elements make up the innovation ecosystem as SINTEF defines it?"),
    (
        "q056",
        "Which models for organising a regional health cluster does the Drammen report describe?",
    ),
    ("q039", "What was the value creation of the health industry in the DAB region in 2023?"),
]
# Questions the two reports do not answer (checked by searching the seed texts for their key terms),
# written for this benchmark: in-domain ones that sound answerable and plainly off-topic ones.
UNANSWERABLE = [
    "Hva er ventetiden for en hofteoperasjon ved St. Olavs hospital?",
    "Hvem er ordfører i Drammen?",
    "Hvor mange elbiler ble solgt i Norge i 2023?",
    "Hvilket år ble NTNU grunnlagt?",
    "Hvor mange turister besøker Trondheim hvert år?",
    "Hva er hovedstaden i Frankrike?",
    "Hvor mange barnehageplasser har Trondheim kommune?",
    "Hvor høy er arbeidsledigheten i Trondheim?",
    "Hva kostet byggingen av Operaen i Oslo?",
    "Hvor mange kilometer sykkelvei har Trondheim?",
    "What is the waiting time for a hip replacement in Drammen?",
    "Who is the mayor of Trondheim?",
    "Who won the football World Cup in 2018?",
    "How much does a kindergarten place cost in Drammen?",
    "What is the unemployment rate in Trondheim?",
    "How many electric cars were sold in Norway in 2023?",
    "What is the boiling point of water at sea level?",
    "When was NTNU founded?",
]


@dataclass
class Item:
    id: str
    question: str
    answerable: bool
    gold: list[str]
    source: str  # qa-dev | qa-dev-en | extra-unanswerable | generated


@dataclass
class Row:
    item: Item
    confidence: float
    lang: str
    quotes: list[str]
    seconds: float
    passages: list[str] = field(default_factory=list)  # retrieval's top passages, best first
    in_catalog: bool = True  # a gold quote is in the catalog text at all (parsing kept it)
    cpu: float = 0.0  # CPU seconds of the answer (this process, all threads): robust to a busy box
    checked: int = 0
    verified: int = 0
    dropped: int = 0
    failures: list[str] = field(default_factory=list)
    reason: str = ""  # why the answer abstained ("" when it answered)
    noted: int = 0  # citations and leads that call a footnote
    notes: int = 0  # notes they call
    notes_verified: int = 0  # … whose text stands on the page the note is cited to
    leads: list[str] = field(default_factory=list)  # at the shipped threshold, when it abstains
    named: bool = False  # the question named documents by their titles (`ask` read only those)
    gold_in_named: bool = False  # … and a gold quote stands in one of them


def norm(text: str) -> str:
    return " ".join(text.split())


def gold_pieces(gold: str) -> list[str]:
    """A gold quote and its sentence pieces of 4+ words.

    qa-dev quotes are lines of the seed text, so one may end in the next sentence ("… og
    hjemmetjenster. En innføring av fritt"); a citation of either sentence should count.
    """
    from policyminer.index.chunking import split_sentences

    pieces = [norm(gold[s:e]) for s, e in split_sentences(gold)]
    return [norm(gold)] + [p for p in pieces if len(p.split()) >= 4]


def _letters(text: str) -> str:
    """Lower-case words only: pdftotext evidence and catalog text differ in hyphens and spaces."""
    return " ".join(re.findall(r"\w+", text.lower()))


def _glued(letters: str) -> str:
    """Letters and digits without spaces: pdftotext glues a table cell's words ("Xog Y")."""
    return letters.replace(" ", "")


def matches(quote: str, gold: str, glued: bool = True) -> bool:
    """Whether a quote holds a gold quote (or a 4+ word piece of one), or lies inside it.

    glued: compare without spaces, so pdftotext's glued words in the gold count (the strict
    comparison, word for word, is what this benchmark reported before session 13).
    """
    q = _letters(quote)
    if not q:
        return False
    long_enough = len(q.split()) >= 4
    for g in map(_letters, gold_pieces(gold)):
        if g and (g in q or (long_enough and q in g)):
            return True
        if glued and g and (_glued(g) in _glued(q) or (long_enough and _glued(q) in _glued(g))):
            return True
    return False


def hit_at(row: Row, k: int, glued: bool = True) -> bool:
    return any(matches(q, g, glued) for q in row.quotes[:k] for g in row.item.gold)


def load_items(path: Path = QA_DEV) -> list[Item]:
    """qa-dev (with the English versions and extra unanswerables below) or another dev file."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(raw, dict):  # qa-dev-realpdfs: {"about", "questions"}, kind/lang per question
        return [
            Item(
                q["id"],
                q["question"],
                q["kind"] != "unanswerable",
                q["evidence"],
                "qa-dev-en" if q.get("lang") == "en" else "qa-dev",
            )
            for q in raw["questions"]
        ]
    qa = raw
    by_id = {q["id"]: q for q in qa}
    items = [
        Item(q["id"], q["question"], q["kind"] != "unanswerable", q["evidence"], "qa-dev")
        for q in qa
    ]
    items += [Item(f"{i}-en", text, True, by_id[i]["evidence"], "qa-dev-en") for i, text in ENGLISH]
    items += [
        Item(f"u{n:02d}", text, False, [], "extra-unanswerable")
        for n, text in enumerate(UNANSWERABLE, 1)
    ]
    return items


def mark_old_index(index_dir: Path) -> int:
    """Give an index built before page kinds its toc/references chunks; returns how many.

    Runs parse.pagekinds over the stored paragraphs; a chunk whose text paragraphs all turn out
    to be contents or reference entries gets that kind (chunks that mix stay body, as a fresh
    ingest would have cut them apart).
    """
    from policyminer.parse.pagekinds import mark_page_kinds
    from policyminer.records import Paragraph
    from policyminer.store.catalog import Catalog

    marked = 0
    with Catalog(index_dir) as catalog:
        for doc in catalog.documents():
            stored = catalog.paragraphs(doc.id)
            paras = [Paragraph(p.page, p.text, p.section, (p.section,), p.kind) for p in stored]
            kinds = [
                (p.char_start, p.char_end, k.kind)
                for p, k in zip(stored, mark_page_kinds(paras), strict=True)
            ]
            with catalog.transaction() as db:
                for chunk in catalog.chunks(doc.id):
                    inside = {
                        k
                        for a, b, k in kinds
                        if a >= chunk.char_start and b <= chunk.char_end and k != "heading"
                    }
                    if len(inside) == 1 and inside <= {"toc", "references"}:
                        db.execute("UPDATE chunks SET kind=? WHERE id=?", (inside.pop(), chunk.id))
                        marked += 1
    return marked


def build_index(index_dir: Path, docs: Path = REPO / "corpus") -> None:
    from policyminer.ingest import ingest_paths
    from policyminer.store.catalog import CATALOG_FILE, Catalog

    if (index_dir / CATALOG_FILE).exists():
        with Catalog(index_dir) as catalog:
            if catalog.counts()["chunks"]:
                return
    # PDFs, or the same reports in another format ingest reads (render_other_tool.py)
    files = sorted(p for p in docs.iterdir() if p.suffix.lower() in DOCUMENT_SUFFIXES)
    if not files:
        sys.exit(f"no documents ({', '.join(DOCUMENT_SUFFIXES)}) in {docs}")
    t = time.perf_counter()
    report = ingest_paths(files, index_dir)
    print(f"indexed {len(files)} documents in {time.perf_counter() - t:.0f} s; "
          f"failed: {report.failed}")  # fmt: skip


class PageText:
    """The catalog's text per (document, page), for an independent citation check."""

    def __init__(self, catalog):
        self.catalog = catalog
        self.cache: dict[str, dict[int, str]] = {}

    def __call__(self, doc_id: str, page: int) -> str:
        if doc_id not in self.cache:
            pages: dict[int, list[str]] = {}
            for p in self.catalog.paragraphs(doc_id):
                pages.setdefault(p.page, []).append(p.text)
            self.cache[doc_id] = {k: norm(" ".join(v)) for k, v in pages.items()}
        return self.cache[doc_id].get(page, "")


def check(row: Row, answer, page_text: PageText) -> None:
    for c in [*answer.citations, *answer.leads]:
        row.checked += 1
        if norm(c.quote) and norm(c.quote) in page_text(c.doc_id, c.page):
            row.verified += 1
        else:
            row.failures.append(f"{c.doc_id} p.{c.page}: {c.quote[:80]}")
        row.noted += bool(c.footnotes)
        for note in c.footnotes:
            row.notes += 1
            row.notes_verified += bool(note.note) and norm(note.note) in page_text(
                c.doc_id, note.note_page
            )


def generated_items(catalog, n: int = 60) -> list[Item]:
    """Questions made from catalog sentences: the first content words of every m-th chunk."""
    from policyminer.answer.candidates import passage_sentences

    chunks = catalog.chunks()
    step = max(1, len(chunks) // n)
    items = []
    for chunk in chunks[::step][:n]:
        spans = [s for s in passage_sentences(chunk) if len(chunk.text[s[0] : s[1]].split()) >= 8]
        if not spans:
            continue
        s, e = spans[len(spans) // 2]
        words = chunk.text[s:e].split()[:10]
        items.append(Item(f"g{chunk.id}", " ".join(words) + "?", True, [], "generated"))
    return items


def run(answerer, items: list[Item], page_text: PageText) -> list[Row]:
    doc_letters: dict[str, list[str]] = {}
    for c in answerer.searcher.catalog.chunks():
        doc_letters.setdefault(c.doc_id, []).append(_letters(c.text))
    catalog_letters = "\n".join(t for texts in doc_letters.values() for t in texts)
    catalog_glued = _glued(catalog_letters)
    rows = []
    for item in items:
        t, cpu = time.perf_counter(), time.process_time()
        answer = answerer.answer(item.question)
        seconds = time.perf_counter() - t
        cpu = time.process_time() - cpu
        quotes = [c.quote for c in answer.citations]
        row = Row(item, answer.confidence, answer.lang, quotes, seconds, dropped=answer.dropped)
        row.reason = answer.reason
        row.cpu = cpu
        if answer.abstained:
            row.leads = [c.quote for c in answer.leads]
        elif answer.confidence < answerer.scorer.threshold:
            # the shipped threshold abstains here: what the user is shown instead
            shown = answerer.answer(item.question, min_confidence=answerer.scorer.threshold)
            row.leads = [c.quote for c in shown.leads]
        row.named = bool(answer.named_documents)
        if row.named and item.gold:
            named = "\n".join(t for d in answer.named_documents for t in doc_letters.get(d, []))
            row.gold_in_named = any(
                _letters(p) in named or _glued(_letters(p)) in _glued(named)
                for g in item.gold
                for p in gold_pieces(g)
            )
        if item.gold:
            hits = answerer.searcher.search(item.question, k=10, mode="hybrid")
            row.passages = [h.chunk.text for h in hits]
            row.in_catalog = any(
                _letters(p) in catalog_letters or _glued(_letters(p)) in catalog_glued
                for g in item.gold
                for p in gold_pieces(g)
            )
        check(row, answer, page_text)
        rows.append(row)
    return rows


def balanced_accuracy(rows: list[Row], threshold: float) -> float:
    pos = [r for r in rows if r.item.answerable]
    neg = [r for r in rows if not r.item.answerable]
    tpr = sum(r.confidence >= threshold for r in pos) / max(1, len(pos))
    tnr = sum(r.confidence < threshold for r in neg) / max(1, len(neg))
    return (tpr + tnr) / 2


def best_threshold(rows: list[Row]) -> float:
    """The threshold with the best balanced accuracy; ties go to the middle of the best range."""
    values = sorted({r.confidence for r in rows})
    candidates = [(a + b) / 2 for a, b in pairwise(values)] or values
    scores = [balanced_accuracy(rows, t) for t in candidates]
    best = [t for t, sc in zip(candidates, scores, strict=True) if sc == max(scores)]
    return best[len(best) // 2]


def thresholds_by_language(rows: list[Row]) -> dict[str, float]:
    return {
        lang: best_threshold([r for r in rows if r.lang == lang])
        for lang in sorted({r.lang for r in rows})
    }


def abstention(rows: list[Row], decide) -> dict[str, float]:
    abstained = [r for r in rows if decide(r)]
    unanswerable = [r for r in rows if not r.item.answerable]
    correct = sum(not r.item.answerable for r in abstained)
    return {
        "precision": correct / len(abstained) if abstained else math.nan,
        "recall": correct / len(unanswerable) if unanswerable else math.nan,
        "abstained": len(abstained),
        "unanswerable": len(unanswerable),
        "answerable_abstained": sum(r.item.answerable for r in abstained),
    }


def leave_one_out(rows: list[Row]) -> dict[str, object]:
    """Each question decided by thresholds calibrated (per language) on all the others."""
    chosen = {}
    for i, row in enumerate(rows):
        chosen[row.item.id] = thresholds_by_language(rows[:i] + rows[i + 1 :])[row.lang]
    result: dict[str, object] = abstention(rows, lambda r: r.confidence < chosen[r.item.id])
    for lang in sorted({r.lang for r in rows}):
        values = [chosen[r.item.id] for r in rows if r.lang == lang]
        result[f"range_{lang}"] = (min(values), max(values))
    return result


def quality(rows: list[Row], thresholds: dict[str, float], glued: bool = True) -> dict[str, float]:
    answerable = [r for r in rows if r.item.answerable]
    kept = lambda r: r.confidence >= thresholds.get(r.lang, -math.inf)  # noqa: E731
    n = max(1, len(answerable))
    return {
        "n": len(answerable),
        "hit@1": sum(hit_at(r, 1, glued) for r in answerable) / n,
        "hit@3": sum(hit_at(r, 3, glued) for r in answerable) / n,
        "hit@1_with_abstention": sum(hit_at(r, 1, glued) and kept(r) for r in answerable) / n,
        "hit@3_with_abstention": sum(hit_at(r, 3, glued) and kept(r) for r in answerable) / n,
    }


def evidence_recall(rows: list[Row], k: int, parsed_only: bool = False) -> float:
    """Share of answerable questions with a gold quote inside one of retrieval's top-k passages.

    parsed_only: only questions whose gold quote the parser kept (found in some chunk).
    """
    answerable = [r for r in rows if r.item.answerable and (r.in_catalog or not parsed_only)]
    found = sum(any(matches(p, g) for p in r.passages[:k] for g in r.item.gold) for r in answerable)
    return found / max(1, len(answerable))


def cold_latency(index_dir: Path, questions: list[str]) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds (user + system) of a new `ask` process per question."""
    times, cpus = [], []
    for question in questions:
        t = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "policyminer",
                "ask",
                question,
                "--json",
                "--index",
                str(index_dir),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if done.returncode != 0:
            print("cold run failed:", done.stderr.strip()[-300:])
    return times, cpus


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def reworded(items: list[Item], path: Path) -> list[Item]:
    """The items a file rewords, each asked in its new wording (gold and kind unchanged); the
    file is a list of {id, question} or {"about", "questions": that list}."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    rows = raw["questions"] if isinstance(raw, dict) else raw
    wording = {r["id"]: r["question"] for r in rows}
    return [replace(item, question=wording[item.id]) for item in items if item.id in wording]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, default=DEFAULT_INDEX)
    parser.add_argument("--qa", type=Path, default=QA_DEV, help="dev questions (JSON)")
    parser.add_argument("--docs", type=Path, default=REPO / "corpus", help="PDFs to index")
    parser.add_argument("--scorer", type=Path, help="an answer scorer JSON other than the shipped")
    parser.add_argument("--no-latency", action="store_true", help="skip the cold-start runs")
    parser.add_argument(
        "--mark-pages", action="store_true", help="mark toc/reference chunks of an older index"
    )
    parser.add_argument(
        "--quick", action="store_true", help="only the dev questions (no generated, no re-run)"
    )
    parser.add_argument(
        "--reworded",
        type=Path,
        help="the questions reworded (JSON list of {id, question}, e.g. in Nynorsk): only those"
        " are asked, each with its item's gold",
    )
    args = parser.parse_args()

    from policyminer.answer import answer as answer_module
    from policyminer.retrieve.search import Searcher

    build_index(args.index, args.docs)
    if args.mark_pages:
        print(f"contents/reference chunks marked in the old index: {mark_old_index(args.index)}")
    # the scorer before issue 12 (dense cosine, per-language thresholds) still runs through here
    legacy = hasattr(answer_module, "ABSTAIN_THRESHOLDS")
    if legacy and not args.quick:  # --quick: sentences embedded on demand, as a fresh index does
        t = time.perf_counter()
        prepared = answer_module.prepare_sentences(args.index)
        print(f"prepare_sentences: {prepared} new sentences in {time.perf_counter() - t:.1f} s")
    if legacy:
        shipped_thresholds = answer_module.ABSTAIN_THRESHOLDS
        record, shipped_args = {"threshold": -math.inf}, {}
    else:
        from policyminer.answer.scorer import shipped_scorer

        shipped_thresholds = dict.fromkeys(("nb", "nn", "en"), shipped_scorer().threshold)
        record, shipped_args = {"min_confidence": 0.0}, {}
        if args.scorer:
            from policyminer.answer.scorer import read_scorer

            other = read_scorer(args.scorer)
            record["scorer"] = shipped_args["scorer"] = other
            shipped_thresholds = dict.fromkeys(("nb", "nn", "en"), other.threshold)
    items = load_items(args.qa)
    if args.reworded:
        items = reworded(items, args.reworded)
    with Searcher(args.index) as searcher:
        answerer = answer_module.Answerer(searcher, **record)  # record every score, decide later
        page_text = PageText(searcher.catalog)
        answerer.answer("oppvarming")  # load the model outside the timings
        rows = run(answerer, items, page_text)
        generated, extra, shipped = [], [], None
        if not args.quick:
            generated = run(answerer, generated_items(searcher.catalog), page_text)
            # the shipped threshold, for leads and abstained answers, is checked too
            shipped = answer_module.Answerer(searcher, **shipped_args)
            extra = run(shipped, [r.item for r in rows], page_text)
            shipped.close()
        answerer.close()

    recited = answerer.recited + (shipped.recited if shipped else 0)
    report(rows, generated, extra, shipped_thresholds, recited)
    if not args.no_latency:
        fresh = [
            "Hva sier rapporten om velferdsteknologi i hjemmetjenesten?",
            "Which role does the university hospital play in innovation?",
            "Hvordan kan kommunen bruke anskaffelser til innovasjon?",
        ]
        times, cpus = cold_latency(args.index, fresh)
        print(f"\ncold `python -m policyminer ask` (new process), {len(fresh)} questions:")
        print(f"  wall mean {statistics.mean(times):.2f} s  max {max(times):.2f} s")
        print(f"  CPU  mean {statistics.mean(cpus):.2f} s  max {max(cpus):.2f} s")


def report(
    rows: list[Row],
    generated: list[Row],
    extra: list[Row],
    shipped: dict[str, float],
    recited: int = 0,
) -> None:
    calib = [r for r in rows if r.item.source != "generated"]
    qa = [r for r in calib if r.item.source == "qa-dev"]
    english = [r for r in calib if r.item.source == "qa-dev-en"]
    print(
        f"questions: {len(qa)} qa-dev ({sum(not r.item.answerable for r in qa)} unanswerable), "
        f"{len(english)} English versions, "
        f"{sum(r.item.source == 'extra-unanswerable' for r in calib)} extra unanswerable, "
        f"{len(generated)} generated"
    )
    print("\nconfidence per question (abstention off):")
    for r in sorted(calib, key=lambda r: (r.lang, r.confidence)):
        mark = "A" if r.item.answerable else "U"
        # "hit1": the first quote holds the gold; "hit": one of the first three
        hit = "hit" if hit_at(r, 3) else ("   " if not r.item.answerable else "MISS")
        hit += "1" if hit_at(r, 1) else ""
        # "*": the strict (word for word) matcher says otherwise
        hit += "*" if r.item.answerable and hit_at(r, 3) != hit_at(r, 3, glued=False) else " "
        # a rule's abstention (a unit no quote states, a maker nobody names) holds at any bar
        rule = f" [{r.reason}]" if r.reason and r.reason != "low_confidence" else ""
        print(
            f"  {r.lang} {r.confidence:6.3f} {mark} {hit:6} {r.item.id:10} "
            f"{r.item.question[:64]}{rule}"
        )
    print(f"\nshipped thresholds: {shipped}")
    shown = [r for r in calib if r.item.answerable and r.leads]
    in_leads = sum(any(matches(q, g, True) for q in r.leads for g in r.item.gold) for r in shown)
    print(
        f"answerable questions abstained at the shipped threshold or by a rule: {len(shown)}; "
        f"the evidence among the closest passages shown instead for {in_leads}"
    )
    named = [r for r in calib if r.named]
    named_gold = [r for r in named if r.item.answerable and r.in_catalog]
    print(
        f"questions naming documents (answered from those alone): {len(named)} of {len(calib)}; "
        f"a gold quote in a named document for {sum(r.gold_in_named for r in named_gold)} of "
        f"{len(named_gold)} answerable ones whose gold quote the catalog holds"
    )
    for name, subset in (("qa-dev", qa), ("qa-dev English versions", english)):
        q = quality(subset, shipped)
        print(f"\n{name}: answerable n={q['n']}")
        parsed = sum(r.in_catalog for r in subset if r.item.answerable)
        print(
            f"  evidence recall of retrieval: @5 {evidence_recall(subset, 5):.3f}  "
            f"@10 {evidence_recall(subset, 10):.3f}; on the {parsed} whose gold quote is in the "
            f"catalog: @5 {evidence_recall(subset, 5, True):.3f}  "
            f"@10 {evidence_recall(subset, 10, True):.3f}"
        )
        q_parsed = quality([r for r in subset if r.in_catalog], shipped)
        print(
            f"  gold quote in the catalog: hit@1 {q_parsed['hit@1']:.3f}  "
            f"hit@3 {q_parsed['hit@3']:.3f} (abstention off), hit@3 "
            f"{q_parsed['hit@3_with_abstention']:.3f} (abstention on)"
        )
        print(f"  hit@1 {q['hit@1']:.3f}  hit@3 {q['hit@3']:.3f}  (abstention off)")
        print(
            f"  hit@1 {q['hit@1_with_abstention']:.3f}  hit@3 {q['hit@3_with_abstention']:.3f}  "
            f"(abstention at the shipped thresholds; an abstention counts as a miss)"
        )
        strict = quality(subset, shipped, glued=False)
        print(
            f"  strict matcher (pdftotext's words as it splits them; before session 13): "
            f"hit@1 {strict['hit@1']:.3f}  hit@3 {strict['hit@3']:.3f}  (abstention off); "
            f"{strict['hit@1_with_abstention']:.3f} / {strict['hit@3_with_abstention']:.3f} "
            f"(abstention on)"
        )
    decide = lambda r: r.confidence < shipped.get(r.lang, math.inf)  # noqa: E731
    for name, subset in (("qa-dev only", qa), ("qa-dev + English + extra unanswerable", calib)):
        a = abstention(subset, decide)
        print(
            f"\nabstention at the shipped thresholds, {name}: precision {a['precision']:.3f} "
            f"recall {a['recall']:.3f} (abstained {a['abstained']}, of which answerable "
            f"{a['answerable_abstained']}; unanswerable {a['unanswerable']})"
        )
    print(
        f"\nthresholds maximising balanced accuracy on all {len(calib)}: "
        f"{ {k: round(v, 4) for k, v in thresholds_by_language(calib).items()} }"
    )
    loo = leave_one_out(calib)
    ranges = {
        k[6:]: tuple(round(x, 4) for x in v) for k, v in loo.items() if k.startswith("range_")
    }
    print(
        f"leave-one-out: precision {loo['precision']:.3f} recall {loo['recall']:.3f} "
        f"(abstained {loo['abstained']}, of which answerable {loo['answerable_abstained']}); "
        f"thresholds chosen {ranges}"
    )
    everything = rows + generated + extra
    checked = sum(r.checked for r in everything)
    verified = sum(r.verified for r in everything)
    print(
        f"\ncitation verifiability: {verified}/{checked} = {verified / max(1, checked):.4f} "
        f"(citations and leads of {len(everything)} answers); dropped or re-cited by the "
        f"answer module's own check: {sum(r.dropped for r in everything)} dropped, "
        f"{recited} re-cited to another page"
    )
    for r in everything:
        for f in r.failures:
            print("  UNVERIFIED", r.item.id, f)
    notes = sum(r.notes for r in everything)
    print(
        f"footnotes: {sum(r.noted for r in everything)} of {checked} citations and leads call "
        f"{notes} notes; {sum(r.notes_verified for r in everything)} of them linked to a note "
        f"whose text stands on the page it is cited to"
    )
    for name, subset in (("first pass", rows + generated), ("same questions again", extra)):
        warm = [r.seconds for r in subset]
        cpu = [r.cpu for r in subset]
        if warm:
            print(
                f"warm latency (one process), {name}, {len(warm)} questions: "
                f"p50 {pct(warm, 0.5) * 1000:.0f} ms, p95 {pct(warm, 0.95) * 1000:.0f} ms; "
                f"CPU time p50 {pct(cpu, 0.5) * 1000:.0f} ms, p95 {pct(cpu, 0.95) * 1000:.0f} ms"
            )


if __name__ == "__main__":
    main()
