"""`policyminer areas calibrate`: thresholds fitted on a user's labelled passages, written back."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from policyminer.cli import app
from policyminer.enrich.areas import AreaError, default_taxonomy_path, load_taxonomy
from policyminer.enrich.calibrate import calibrate, read_labelled

runner = CliRunner()

TAXONOMY = """# my own areas; this comment must survive calibration
id = "kyst"
name = "Kyst og skole"

[[area]]
id = "HAV"
name = "Havbruk"
description = "Oppdrett av laks og annen fisk i merder langs kysten, lakselus og fôr."
keywords = ["oppdrett", "lakselus", "merd"]

[[area]]
id = "SKO"
name = "Skole"
threshold = 0.5
description = "Grunnskole og videregående skole: elever, lærere, undervisning og læring."
keywords = ["elever", "lærere", "undervisning"]
"""

FISH = [
    "Oppdrettsanlegget utvider med fire nye merder for laks i fjorden.",
    "Lakselus er den største utfordringen for fiskeoppdrett langs kysten.",
    "Fôrprisene har steget, og oppdretterne leter etter nye fôrråvarer.",
    "Rømt oppdrettslaks truer villaksen i elvene.",
    "Havbruksnæringen vil ta i bruk lukkede merder for å redusere lusepåslaget.",
    "Kommunen har gitt tillatelse til et nytt settefiskanlegg.",
]
SCHOOL = [
    "Elevene på ungdomstrinnet får mer praktisk undervisning i matematikk.",
    "Lærerne ønsker mindre klasser og mer tid til hver elev.",
    "Den videregående skolen innfører nye valgfag i programmering.",
    "Frafallet i videregående opplæring har gått ned i fylket.",
    "Skolen satser på lesing på alle trinn.",
    "Foreldremøtet handlet om mobbing i skolegården.",
]
OTHER = [
    "Været blir mildt med regn i helgen.",
    "Konserten i parken trakk flere tusen tilhørere.",
]


def _passages_file(path: Path, jsonl: bool = False) -> Path:
    items = (
        [{"text": t, "areas": ["HAV"]} for t in FISH]
        + [{"text": t, "areas": ["sko"]} for t in SCHOOL]
        + [{"text": t, "areas": []} for t in OTHER]
    )
    if jsonl:
        path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), "utf-8")
    else:
        path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture()
def taxonomy_file(tmp_path: Path) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(TAXONOMY, encoding="utf-8")
    return path


def test_calibrate_writes_thresholds_that_tag_the_users_passages(
    taxonomy_file: Path, tmp_path: Path
) -> None:
    labelled = _passages_file(tmp_path / "labelled.jsonl", jsonl=True)
    result = runner.invoke(
        app, ["areas", "calibrate", str(labelled), "--taxonomy", str(taxonomy_file), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["passages"] == 14 and report["written"] == str(taxonomy_file)
    assert [a["passages"] for a in report["areas"]] == [6, 6]
    # the deliberately absurd threshold of SKO (0.5: everything tagged) is replaced
    written = taxonomy_file.read_text(encoding="utf-8")
    assert "# my own areas; this comment must survive calibration" in written
    assert "threshold = 0.5\n" not in written
    tax = load_taxonomy(taxonomy_file)
    assert [round(t, 4) for t in tax.thresholds()] == [a["threshold"] for a in report["areas"]]
    assert report["micro_f1_in_sample"] >= 0.8
    # what the user sees afterwards: a new passage of each kind gets its area, small talk none
    tagged = runner.invoke(
        app,
        [
            "tag",
            "--taxonomy",
            str(taxonomy_file),
            "--json",
            "--text",
            "Laksen i merdene hadde mye lakselus i høst.",
        ],
    )
    assert json.loads(tagged.output)["primary"]["id"] == "HAV"
    assert [t["id"] for t in json.loads(tagged.output)["labels"]] == ["HAV"]


def test_calibrate_to_a_copy_leaves_the_source_unchanged(
    taxonomy_file: Path, tmp_path: Path
) -> None:
    before = taxonomy_file.read_bytes()
    copy = tmp_path / "calibrated.toml"
    tax = load_taxonomy(taxonomy_file)
    result = calibrate(tax, read_labelled(_passages_file(tmp_path / "l.json"), tax), copy)
    assert taxonomy_file.read_bytes() == before
    assert result.written == copy
    assert load_taxonomy(copy).thresholds().tolist() == pytest.approx(
        list(result.calibration.per_area), abs=1e-4
    )


def test_calibrate_never_writes_the_shipped_taxonomy_unasked(tmp_path: Path) -> None:
    shipped = default_taxonomy_path().read_bytes()
    labelled = tmp_path / "l.json"
    labelled.write_text(json.dumps([{"text": "Eldre bor hjemme.", "areas": ["T2"]}]), "utf-8")
    result = runner.invoke(app, ["areas", "calibrate", str(labelled)])
    assert result.exit_code == 2 and "--output FILE" in result.output
    assert default_taxonomy_path().read_bytes() == shipped


def test_yaml_taxonomy_is_calibrated_too(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "id: kyst\nareas:\n"
        "  - id: HAV\n    name: Havbruk\n    description: Oppdrett av laks i merder.\n"
        "  - id: SKO\n    name: Skole\n    description: Elever, lærere og undervisning.\n",
        encoding="utf-8",
    )
    tax = load_taxonomy(path)
    result = calibrate(tax, read_labelled(_passages_file(tmp_path / "l.json"), tax), path)
    assert load_taxonomy(path).thresholds().tolist() == pytest.approx(
        list(result.calibration.per_area), abs=1e-4
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('[{"text": "Laks", "areas": ["XYZ"]}]', "unknown area 'XYZ'"),
        ('[{"areas": ["HAV"]}]', "passage 1 has no 'text'"),
        ('[{"text": "  ", "areas": ["HAV"]}]', "passage 1 has an empty 'text'"),
        ('[{"text": "Laks", "areas": []}]', "no passage is labelled"),
        ('{"text": "Laks"\n', "not JSON or JSON Lines"),
        ("[]", "no labelled passages"),
        ('[{"text": "Laks", "areas": "HAV"}]', "'areas' must be a list"),
    ],
)
def test_bad_labelled_file_gives_one_clear_error(
    taxonomy_file: Path, tmp_path: Path, content: str, reason: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    before = taxonomy_file.read_bytes()
    result = runner.invoke(app, ["areas", "calibrate", str(bad), "--taxonomy", str(taxonomy_file)])
    assert result.exit_code == 2
    line = " ".join(result.output.split())
    assert str(bad) in line and reason in line
    assert taxonomy_file.read_bytes() == before


def test_output_in_another_format_is_refused(taxonomy_file: Path, tmp_path: Path) -> None:
    labelled = _passages_file(tmp_path / "l.json")
    out = tmp_path / "copy.yaml"
    result = runner.invoke(
        app,
        ["areas", "calibrate", str(labelled), "--taxonomy", str(taxonomy_file), "-o", str(out)],
    )
    assert result.exit_code == 2 and "give the output file that suffix" in result.output
    assert not out.exists() and not list(tmp_path.glob(".*calibrating*"))


def test_missing_labelled_file(taxonomy_file: Path, tmp_path: Path) -> None:
    with pytest.raises(AreaError, match="cannot read labelled passages"):
        read_labelled(tmp_path / "nope.json", load_taxonomy(taxonomy_file))


def test_shipped_taxonomy_describes_areas_without_proper_names() -> None:
    # inside a sentence only short acronyms of concepts (KI, IKT) may start with a capital
    for area in load_taxonomy().areas:
        for wording in (area.wording(None), *area.translations):
            for text in (wording.description, *wording.examples, *wording.keywords):
                _assert_no_proper_names(area.id, text, text in wording.keywords)


# English writes adjectives of place with a capital; they name no report
_PLACE_ADJECTIVES = frozenset({"European", "Nordic", "Norwegian"})


def _assert_no_proper_names(area_id: str, text: str, keyword: bool) -> None:
    for sentence in re.split(r"(?<=[.!?:])\s+", text):
        for word in re.findall(r"\b[A-ZÆØÅ][\wæøå-]*", sentence)[0 if keyword else 1 :]:
            if word in _PLACE_ADJECTIVES:
                continue
            assert re.fullmatch(r"[A-ZÆØÅ]{2,4}(?:-[\wæøå]+)?", word), (area_id, word)


def test_few_passages_get_one_shared_threshold_many_get_their_own() -> None:
    from policyminer.enrich.areas import PRIORS, choose_prior

    rng = np.random.default_rng(1)
    # area 0 separates at 0.3, area 1 at 0.7: per-area thresholds are clearly better
    labels = rng.random((80, 2)) < 0.5
    raw = np.where(labels, [0.35, 0.75], [0.25, 0.65]) + rng.normal(0, 0.01, (80, 2))
    assert choose_prior(raw[:6], labels[:6]) == PRIORS[-1]
    assert choose_prior(raw, labels) < PRIORS[-1]
