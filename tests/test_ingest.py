"""Ingest is incremental, reports bad input clearly, and never damages what was indexed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pdfdocs import encrypted_pdf, plain_pdf, scanned_pdf, truncated_pdf
from typer.testing import CliRunner

from policyminer.cli import app
from policyminer.index.chunking import sentence_spans
from policyminer.ingest import evidence_status, ingest_paths, remove_documents
from policyminer.store.catalog import Catalog

runner = CliRunner()


def statuses(report) -> dict[str, str]:
    return {r.path.name: r.status for r in report.results}


def test_ingest_is_incremental(notes: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = ingest_paths([notes], index)
    assert statuses(first) == {"energi.md": "added", "helse.md": "added"}
    again = ingest_paths([notes], index)
    assert statuses(again) == {"energi.md": "unchanged", "helse.md": "unchanged"}

    (notes / "energi.md").write_text(
        "# Energi\n\n## 1 Ny tekst\n\nVindkraft er nytt.\n", encoding="utf-8"
    )
    third = ingest_paths([notes], index)
    assert statuses(third) == {"energi.md": "updated", "helse.md": "unchanged"}
    with Catalog(index) as catalog:
        energi = catalog.resolve("energi")
        texts = " ".join(c.text for c in catalog.chunks(energi.id))
        assert "Vindkraft" in texts and "Solceller" not in texts
        counts = catalog.counts()
        assert counts["documents"] == 2 and counts["vectors"] == counts["chunks"]
    # ingest leaves the index ready to answer: every chunk's sentences have their vectors
    with Catalog(index) as catalog:
        assert catalog.count_chunks_without_sentence_vectors() == 0
        chunk = catalog.chunks(catalog.resolve("energi").id)[0]
        stored = catalog.sentence_vectors([chunk.id])[chunk.id]
        assert set(stored) == set(sentence_spans(chunk.text))
    assert evidence_status(index).indexes["ok"]


def test_remove_and_status_report_stale_files(notes: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    ingest_paths([notes], index)
    (notes / "helse.md").write_text(NOTE_CHANGED, encoding="utf-8")
    (notes / "energi.md").unlink()
    stale = {s.id: s.state for s in evidence_status(index).stale}
    assert stale == {"helse": "changed", "energi": "missing"}

    cached_before = _stored_sentences(index)
    removed, missing = remove_documents(["energi", "nonexistent"], index)
    assert (removed, missing) == (["energi"], ["nonexistent"])
    report = evidence_status(index)
    assert report.counts["documents"] == 1
    assert report.indexes["ok"]
    # the removed document's sentence vectors go with it; the others stay
    cached_after = _stored_sentences(index)
    assert 0 < cached_after < cached_before


def _stored_sentences(index: Path) -> int:
    with sqlite3.connect(index / "catalog.sqlite") as db:
        return db.execute("SELECT COUNT(*) FROM sentence_vectors").fetchone()[0]


NOTE_CHANGED = "# Helse\n\n## 1 Endret\n\nEndret innhold.\n"


def test_reindex_gives_an_older_index_its_sentence_vectors(notes: Path, tmp_path: Path) -> None:
    from policyminer.ingest import reindex

    index = tmp_path / "index"
    ingest_paths([notes], index)
    before = _stored_sentences(index)
    with sqlite3.connect(index / "catalog.sqlite") as db:  # as a version before them left it
        db.execute("DELETE FROM sentence_vectors")
    problems = evidence_status(index).indexes["problems"]
    assert any("sentence vectors" in p and "reindex" in p for p in problems)
    report = reindex(index)
    assert report.health.ok and _stored_sentences(index) == before


def test_a_document_ingested_by_a_path_with_dots_is_found_by_that_path(
    notes: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    dotted = notes / ".." / notes.name / "helse.md"
    ingest_paths([dotted], index)
    with Catalog(index) as catalog:
        doc = catalog.resolve(str(dotted))
        assert doc is not None and ".." not in doc.path
        assert catalog.resolve(str(notes / "helse.md")) == doc


def test_moved_and_duplicate_files_are_recognised(notes: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    ingest_paths([notes], index)
    (notes / "helse.md").rename(notes / "helse-2024.md")
    (tmp_path / "kopi.md").write_text(
        (notes / "energi.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    report = ingest_paths([notes, tmp_path / "kopi.md"], index)
    assert statuses(report) == {
        "energi.md": "unchanged",
        "helse-2024.md": "moved",
        "kopi.md": "duplicate",
    }
    with Catalog(index) as catalog:
        assert catalog.resolve("helse").path.endswith("helse-2024.md")
        assert catalog.counts()["documents"] == 2


@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "bad"
    folder.mkdir()
    good = plain_pdf(folder / "god.pdf", [["1 Innledning", "Dette er en god rapport om helse."]])
    (folder / "tom.pdf").write_bytes(b"")
    (folder / "ikke-pdf.pdf").write_text("Dette er bare tekst.\n", encoding="utf-8")
    truncated_pdf(folder / "avkuttet.pdf", good)
    encrypted_pdf(folder / "passord.pdf")
    scanned_pdf(folder / "skannet.pdf")
    (folder / "borte.pdf").symlink_to(folder / "finnes-ikke.pdf")
    return {p.name: p for p in folder.iterdir()}


EXPECTED_REASONS = {
    "tom.pdf": "empty",
    "ikke-pdf.pdf": "not a PDF",
    "avkuttet.pdf": "corrupt",
    "passord.pdf": "password",
    "skannet.pdf": "no text layer (needs OCR)",
    "borte.pdf": "",
}


def test_every_bad_file_gets_one_clear_line_and_the_good_one_goes_in(
    bad_files: dict[str, Path], tmp_path: Path
) -> None:
    index = tmp_path / "index"
    result = runner.invoke(
        app, ["ingest", str(bad_files["god.pdf"].parent), "--index", str(index), "-q", "--no-ocr"]
    )
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == len(EXPECTED_REASONS)
    for name, reason in EXPECTED_REASONS.items():
        line = next(e for e in errors if name in e)
        assert reason.lower() in line.lower()
    with Catalog(index) as catalog:
        assert [d.path for d in catalog.documents()] == [str(bad_files["god.pdf"].resolve())]


def test_skipped_files_say_how_to_add_them_and_office_owner_files_are_passed_over(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "saker"
    folder.mkdir()
    plain_pdf(folder / "notat.pdf", [["Kommunen skal bygge en ny skole i Nordvika innen 2030."]])
    (folder / "brev.wpd").write_bytes(b"\xffWPC" + bytes(500))  # WordPerfect
    # Word's owner file beside an open document: neither read nor counted as skipped
    (folder / "~$notat.docx").write_bytes(b"\x0bKari Nordmann" + bytes(148))
    (folder / "vedlegg.zip").write_bytes(b"PK\x03\x04")
    report = ingest_paths([folder], tmp_path / "index")
    assert report.count("added") == 1 and not report.failed
    summary = report.skipped_summary()
    assert summary.startswith("skipped 2 files: ")
    # LibreOffice reads .doc, .rtf and .odt here (test_converted), not WordPerfect
    assert summary.endswith("(save .wpd files as .docx or PDF to add them)")
    assert ".zip" not in summary.split("(")[1]  # an archive has no such way in


def test_a_broken_replacement_never_damages_the_indexed_version(tmp_path: Path) -> None:
    index = tmp_path / "index"
    report = plain_pdf(
        tmp_path / "rapport.pdf", [["1 Innledning", "Kommunen satser på velferdsteknologi."]]
    )
    ingest_paths([report], index)
    with Catalog(index) as catalog:
        before = catalog.counts()
    truncated_pdf(tmp_path / "halv.pdf", report).replace(
        report
    )  # an interrupted copy over the file
    result = ingest_paths([report], index)
    assert statuses(result) == {"rapport.pdf": "failed"}
    with Catalog(index) as catalog:
        assert catalog.counts() == before
        assert "velferdsteknologi" in catalog.chunks("rapport")[0].text
    assert [s.state for s in evidence_status(index).stale] == ["changed"]


def test_parse_workers_index_the_same_as_inline_parsing(notes: Path, tmp_path: Path) -> None:
    (notes / "ikke-pdf.pdf").write_text("Dette er bare tekst.\n", encoding="utf-8")
    plain_pdf(notes / "rapport.pdf", [["1 Innledning", "Kommunen satser på velferdsteknologi."]])
    inline = ingest_paths([notes], tmp_path / "inline", jobs=0)
    workers = ingest_paths([notes], tmp_path / "workers", jobs=2)
    assert (
        statuses(workers)
        == statuses(inline)
        == {
            "energi.md": "added",
            "helse.md": "added",
            "ikke-pdf.pdf": "failed",
            "rapport.pdf": "added",
        }
    )
    # a parse error raised in a worker reaches the user as the same one-line reason
    assert [r.reason for r in workers.failed] == [r.reason for r in inline.failed]
    assert "not a PDF" in workers.failed[0].reason
    texts = {}
    for name in ("inline", "workers"):
        with Catalog(tmp_path / name) as catalog:
            texts[name] = sorted(c.text for c in catalog.chunks())
    assert texts["inline"] == texts["workers"]
    # the run says where its time went, stage by stage, and how many pages it indexed
    assert workers.pages == inline.pages == 3
    assert {"parse", "chunk", "embed", "ner", "tag", "write", "index"} <= set(workers.timings)
    assert sum(workers.timings.values()) <= workers.seconds
    assert workers.pages_per_second and workers.pages_per_second > 0


def test_ingest_summary_prints_pages_per_second_and_where_the_time_went(
    notes: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    result = runner.invoke(app, ["ingest", str(notes), "--index", str(index), "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    summary = [line for line in result.stderr.splitlines() if line.startswith("time:")]
    assert len(summary) == 1
    assert "2 pages" in summary[0] and "pages/s" in summary[0]
    assert all(stage in summary[0] for stage in ("parse", "embed", "ner", "tag", "write"))
    # nothing indexed, nothing timed: an unchanged run prints no time line
    again = runner.invoke(app, ["ingest", str(notes), "--index", str(index), "-q"])
    assert again.exit_code == 0 and "time:" not in again.stderr


def test_show_and_docs_json_shapes(notes: Path, tmp_path: Path) -> None:
    import json

    index = tmp_path / "index"
    ingest_paths([notes], index)
    docs = json.loads(runner.invoke(app, ["docs", "--json", "--index", str(index)]).stdout)
    assert {d["id"] for d in docs} == {"helse", "energi"}
    assert set(docs[0]) >= {"id", "title", "path", "pages", "chunks", "sha256"}
    shown = json.loads(
        runner.invoke(app, ["show", "helse", "--format", "json", "--index", str(index)]).stdout
    )
    assert shown["id"] == "helse" and shown["pages"][0]["page"] == 1
    texts = [p["text"] for p in shown["pages"][0]["paragraphs"]]
    assert any("digital hjemmeoppfølging av eldre" in t for t in texts)
    status = json.loads(runner.invoke(app, ["status", "--json", "--index", str(index)]).stdout)
    assert status["documents"] == 2 and status["chunks"] >= 2 and status["pages"] == 2
    missing = runner.invoke(app, ["show", "nope", "--index", str(index)])
    assert missing.exit_code == 2 and "nope" in missing.stderr


def _consistent(index: Path) -> None:
    """Every document in the catalog is whole: paragraphs, chunks and a vector per chunk."""
    db = sqlite3.connect(index / "catalog.sqlite")
    for (doc_id,) in db.execute("SELECT id FROM documents"):
        paragraphs = db.execute(
            "SELECT COUNT(*) FROM paragraphs WHERE doc_id=?", (doc_id,)
        ).fetchone()[0]
        chunks = db.execute("SELECT COUNT(*) FROM chunks WHERE doc_id=?", (doc_id,)).fetchone()[0]
        vectors = db.execute(
            "SELECT COUNT(*) FROM vectors v JOIN chunks c ON c.id=v.chunk_id WHERE c.doc_id=?",
            (doc_id,),
        ).fetchone()[0]
        assert paragraphs > 0 and chunks > 0 and vectors == chunks, doc_id
    db.close()


def test_kill_9_midway_leaves_whole_documents_and_the_next_run_completes(tmp_path: Path) -> None:
    # each note takes the ingest about a second: 16 leave room for the kill to land midway
    notes = 16
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(notes):
        body = "\n\n".join(
            f"Avsnitt {j} i notat {i} om helsedata, samhandling og kommunale tjenester."
            for j in range(60)
        )
        (folder / f"notat-{i:02d}.md").write_text(
            f"# Notat {i}\n\n## 1 Innhold\n\n{body}\n", encoding="utf-8"
        )
    index = tmp_path / "index"
    cmd = [sys.executable, "-m", "policyminer", "ingest", str(folder), "--index", str(index), "-q"]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy()
    )
    deadline = time.monotonic() + 180
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if (index / "catalog.sqlite").exists():
                with sqlite3.connect(index / "catalog.sqlite") as db:
                    try:
                        done = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
                    except sqlite3.OperationalError:
                        done = 0
                if done >= 3:
                    break
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    with sqlite3.connect(index / "catalog.sqlite") as db:
        done = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    assert 3 <= done < notes, "the kill did not land midway"
    _consistent(index)

    report = ingest_paths([folder], index)
    assert report.count("unchanged") == done and report.count("added") == notes - done
    _consistent(index)
    assert evidence_status(index).indexes["ok"]


def test_reading_commands_on_a_missing_index_say_so_and_create_nothing(tmp_path: Path) -> None:
    index = tmp_path / "no-such-index"
    for args in (
        ["docs"],
        ["show", "helse"],
        ["remove", "helse"],
        ["status"],
        ["status", "--json"],
    ):
        result = runner.invoke(app, [*args, "--index", str(index)])
        assert result.exit_code == 1, args
        assert f"{index}: no index here" in result.stderr
        assert "policyminer ingest" in result.stderr
    assert not index.exists()
