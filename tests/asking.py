"""Ask a question over a short report made for the test (its chapters one page each)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pdfdocs import chapters_pdf

from policyminer.answer.answer import answer_question
from policyminer.answer.citations import Answer
from policyminer.ingest import ingest_paths


def ask_report(
    folder: Path,
    title: str,
    chapters: Sequence[tuple[str, str]],
    question: str,
    min_confidence: float | None = 0.0,
) -> Answer:
    """Ingest a report of these (chapter title, text) into a fresh index in `folder` and answer
    the question over it; by default abstention on confidence is off (the order of the quotes is
    what most tests look at), None keeps the shipped threshold."""
    pdf = chapters_pdf(folder / "report.pdf", title, "Vedtatt 2024", chapters)
    index = folder / "index"
    assert not ingest_paths([pdf], index).failed
    return answer_question(index, question, min_confidence=min_confidence)


def index_note(folder: Path, name: str, text: str) -> Path:
    """Ingest a Markdown note of this text into a fresh index in `folder`; the index."""
    note = folder / name
    note.write_text(text, encoding="utf-8")
    index = folder / "index"
    assert not ingest_paths([note], index).failed
    return index


def ask_note(
    folder: Path, name: str, text: str, question: str, min_confidence: float | None = 0.0
) -> Answer:
    """Ingest a Markdown note of this text into a fresh index in `folder` and answer the
    question over it (abstention on confidence off by default, as for `ask_report`)."""
    return answer_question(index_note(folder, name, text), question, min_confidence=min_confidence)
