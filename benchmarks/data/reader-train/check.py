"""Check a file of this set: a JSON object per line (a passage and its questions), every evidence
and near sentence verbatim in its passage.

    python3 benchmarks/data/reader-train/check.py FILE.jsonl
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

QTYPES = {"what", "why", "when", "how_many", "who", "yes_no", "compare", "where", "how"}
KINDS = ("answerable", "unanswerable")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def question_problems(q: dict, passage: str) -> list[str]:
    kind, evidence, near = q.get("kind"), q.get("evidence", []), q.get("near", [])
    problems = []
    if kind not in KINDS:
        problems.append(f"kind {kind}")
    if q.get("qtype") not in QTYPES:
        problems.append(f"qtype {q.get('qtype')}")
    if q.get("lang") not in ("nb", "nn", "en"):
        problems.append(f"lang {q.get('lang')}")
    if not q.get("question", "").strip():
        problems.append("empty question")
    if kind == "answerable" and not evidence:
        problems.append(f"answerable without evidence: {q.get('question')}")
    if kind == "unanswerable" and (evidence or not near or not q.get("why")):
        problems.append(f"a near miss needs near and why, no evidence: {q.get('question')}")
    problems += [f"not verbatim: {s[:80]!r}" for s in evidence + near if flat(s) not in passage]
    return problems


def passage_problems(record: dict, seen: set[str]) -> list[str]:
    problems = [f"missing {k}" for k in ("passage_id", "source", "passage", "questions")
                if k not in record]  # fmt: skip
    if record.get("passage_id") in seen:
        problems.append("passage_id seen before")
    seen.add(record.get("passage_id", ""))
    kinds = [q.get("kind") for q in record.get("questions", [])]
    if min(kinds.count(k) for k in KINDS) < 2:
        problems.append("want two answerable questions and two near misses at least")
    passage = flat(record.get("passage", ""))
    for q in record.get("questions", []):
        problems += question_problems(q, passage)
    return problems


def main() -> None:
    seen: set[str] = set()
    counts = dict.fromkeys(KINDS, 0)
    bad = 0
    for number, line in enumerate(Path(sys.argv[1]).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            print(f"line {number}: not JSON: {err}")
            bad += 1
            continue
        for problem in passage_problems(record, seen):
            print(f"line {number}: {problem}")
            bad += 1
        for q in record.get("questions", []):
            counts[q.get("kind")] = counts.get(q.get("kind"), 0) + 1
    print(counts, "passages", len(seen))
    print("ok" if not bad else f"{bad} problems")


if __name__ == "__main__":
    main()
