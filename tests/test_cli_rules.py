"""One set of rules for every command: document references, exit codes, defaults, messages."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NOTE_A, NOTE_B, REPO
from typer.testing import CliRunner

from policyminer import Library
from policyminer.cli import app

runner = CliRunner()


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three small notes, two of them with ids that share a prefix, ingested once."""
    folder = tmp_path_factory.mktemp("rules")
    (folder / "helse.md").write_text(NOTE_A, encoding="utf-8")
    (folder / "energi.md").write_text(NOTE_B, encoding="utf-8")
    (folder / "energiplan.md").write_text(NOTE_B.replace("80", "70"), encoding="utf-8")
    index = folder / "index"
    assert Library(index).ingest([folder]).count("added") == 3
    return index


def test_an_unknown_document_exits_2_in_every_command(index: Path) -> None:
    for args in (
        ["show", "nope"],
        ["search", "solceller", "--doc", "nope"],
        ["ask", "Hva koster solceller?", "--doc", "nope"],
        ["actors", "--doc", "nope"],
    ):
        result = runner.invoke(app, [*args, "--index", str(index)])
        assert result.exit_code == 2, (args, result.output)
        assert "nope: no such document" in flat(result.stderr), args


def test_a_prefix_names_one_document_for_reading_but_is_ambiguous_when_shared(
    index: Path,
) -> None:
    shown = runner.invoke(app, ["show", "hel", "--format", "json", "--index", str(index)])
    assert shown.exit_code == 0 and json.loads(shown.stdout)["id"] == "helse"
    # "energ" fits both energi and energiplan: no document is picked for the user
    both = runner.invoke(app, ["show", "energ", "--index", str(index)])
    assert both.exit_code == 2 and "energ: no such document" in flat(both.stderr)


def test_remove_from_a_script_needs_yes_and_an_exact_id(index: Path, tmp_path: Path) -> None:
    copy = tmp_path / "index"
    shutil.copytree(index, copy)
    asked = runner.invoke(app, ["remove", "energi", "--index", str(copy)])
    assert asked.exit_code == 2 and "--yes" in flat(asked.stderr)
    prefix = runner.invoke(app, ["remove", "energip", "--yes", "--index", str(copy)])
    assert prefix.exit_code == 2 and "energip: not removed" in flat(prefix.stderr)
    removed = runner.invoke(app, ["remove", "energi", "--yes", "--index", str(copy)])
    assert removed.exit_code == 0 and "removed energi" in removed.stdout
    assert {d.id for d in Library(copy).documents()} == {"helse", "energiplan"}


def test_ingest_says_which_files_it_skipped_and_exits_2_when_none_was_supported(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name in ("a.dwg", "b.dwg", "c.zip"):
        (folder / name).write_text("x", encoding="utf-8")
    index = tmp_path / "index"
    nothing = runner.invoke(app, ["ingest", str(folder), "--index", str(index), "-q"])
    assert nothing.exit_code == 2
    assert "skipped 3 files: .dwg 2, .zip 1" in flat(nothing.stderr)
    (folder / "note.md").write_text(NOTE_B, encoding="utf-8")
    some = runner.invoke(app, ["ingest", str(folder), "--index", str(index), "-q"])
    assert some.exit_code == 0 and "1 added" in some.stderr
    assert "skipped 3 files: .dwg 2, .zip 1" in flat(some.stderr)


def test_unknown_option_values_fail_before_any_work(index: Path) -> None:
    for args in (
        ["actors", "--format", "xml"],
        ["actors", "--label", "FOO"],
        ["actors", "--type", "foo"],
        ["search", "x", "--mode", "fuzzy"],
        ["show", "helse", "--format", "yaml"],
        ["areas", "--format", "pdf"],
        ["areas", "--area", "Z9"],
    ):
        result = runner.invoke(app, [*args, "--index", str(index)])
        assert result.exit_code == 2, (args, result.output)


def test_area_accepts_the_ids_of_the_taxonomy_given(index: Path, tmp_path: Path) -> None:
    taxonomy = tmp_path / "ours.toml"
    taxonomy.write_text(
        '[[area]]\nid = "E1"\nname = "Energi"\ndescription = "Solceller og klimagassutslipp"\n',
        encoding="utf-8",
    )
    args = ["search", "solceller", "--area", "E1", "--index", str(index), "--json"]
    unknown = runner.invoke(app, args)
    assert unknown.exit_code == 2 and "E1" in flat(unknown.stderr)
    known = runner.invoke(app, [*args, "--taxonomy", str(taxonomy)])
    assert known.exit_code == 0, known.output
    assert json.loads(known.stdout)["query"] == "solceller"


def test_empty_results_name_the_filters(index: Path) -> None:
    result = runner.invoke(app, ["search", "solceller", "--year", "1999", "--index", str(index)])
    assert result.exit_code == 0
    assert "no passages match: solceller (filters: year=1999)" in flat(result.stderr)
    actors = runner.invoke(
        app, ["actors", "--label", "PER", "--doc", "energi", "--index", str(index)]
    )
    if "No actors found" in actors.stdout:
        assert "filters: doc=energi, label=PER" in flat(actors.stdout)


def test_the_default_index_does_not_depend_on_the_working_directory(tmp_path: Path) -> None:
    code = "from policyminer import Library; print(Library().index_dir)"
    env = {k: v for k, v in os.environ.items() if k != "POLICYMINER_INDEX"}
    env["PYTHONPATH"] = str(REPO / "src")
    seen = {
        subprocess.run(
            [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True
        ).stdout.strip()
        for cwd in (REPO, tmp_path)
    }
    assert seen == {str(REPO / "indexes" / "default")}
    env["POLICYMINER_INDEX"] = str(tmp_path / "mine")
    chosen = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert chosen.stdout.strip() == str(tmp_path / "mine")


def test_status_shows_the_index_and_the_no_index_error_says_how_to_point_elsewhere(
    index: Path, tmp_path: Path
) -> None:
    status = json.loads(runner.invoke(app, ["status", "--json", "--index", str(index)]).stdout)
    assert status["index"] == str(index.absolute()) and status["documents"] == 3
    missing = runner.invoke(app, ["docs", "--index", str(tmp_path / "none")])
    message = flat(missing.stderr)
    assert missing.exit_code == 1 and f"{tmp_path / 'none'}: no index here" in message
    assert "--index DIR or POLICYMINER_INDEX" in message


def test_the_readme_python_example_runs(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "helse.md").write_text(NOTE_A, encoding="utf-8")
    (notes / "energi.md").write_text(NOTE_B, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.splitlines()
    assert lines[0] == "2 added"
    assert any("p. 1" in line and "Tiltak" in line for line in lines)
    assert "['energi', 'helse']" in lines
    assert lines[-1].startswith("2 no-such-document: no such document")
