"""The actor-list judge's features and its recipe, on text and gold lists written for the test."""

from __future__ import annotations

import json
from pathlib import Path

from rulers import ruler_pipeline
from scriptload import load_script

judge_module = load_script("actorjudge")
FEATURES, Judge, list_features = (
    judge_module.FEATURES,
    judge_module.Judge,
    judge_module.list_features,
)


# invented documents: a municipality and a programme named in running sentences, companies, and
# a piece of a company's name that the NER also tagged alone in a table row
TEXTS = {
    "notat-a.txt": (
        "Fjordvik kommune leder arbeidet med kysten, og Fjordvik kommune har satt av midler.\n\n"
        "Havløftprogrammet gir støtte til nye bedrifter i regionen, sier Fjordvik kommune.\n\n"
        "Kystlaget Nordre Skjær AS og Havløftprogrammet samarbeider om opplæring.\n\n"
        "Skjær | Tiltak | 2024\n\n"
        "Tiltak for kysten er mange, og tiltak må prioriteres.\n"
    ),
    "notat-b.txt": (
        "Elvdal kommune har vedtatt planen, og Elvdal kommune følger den opp i år.\n\n"
        "Kystpilotprogrammet skal prøve ut nye løsninger, og Elvdal kommune deltar.\n\n"
        "Bergli Havn AS og Kystpilotprogrammet har en avtale om data.\n\n"
        "Havn | Tiltak | 2025\n\n"
        "Mange tiltak er på plass, men tiltak koster penger.\n"
    ),
}
PATTERNS = {
    "ORG": [
        "Fjordvik kommune",
        "Elvdal kommune",
        "Kystlaget Nordre Skjær AS",
        "Bergli Havn AS",
        "Skjær",
        "Havn",
        "Tiltak",
    ],
    "INITIATIVE": ["Havløftprogrammet", "Kystpilotprogrammet"],
}
GOLD = {
    "notat-a.txt": [
        ("Fjordvik kommune", "ORG", True),
        ("Havløftprogrammet", "INITIATIVE", True),
        ("Kystlaget Nordre Skjær AS", "ORG", False),
    ],
    "notat-b.txt": [
        ("Elvdal kommune", "ORG", True),
        ("Kystpilotprogrammet", "INITIATIVE", True),
        ("Bergli Havn AS", "ORG", False),
    ],
}


def test_list_features_mark_fragments_and_common_nouns() -> None:
    names = [["Kystlaget Nordre Skjær AS"], ["Skjær"], ["Tiltak"], ["Fjordvik kommune"]]
    text = "Tiltak for kysten er mange, og tiltak må prioriteres. Flere tiltak kommer."
    rows = list_features(names, [3, 1, 2, 5], [text])
    assert rows[1]["fragment"] == 1.0  # a piece of the longer name
    assert rows[0]["contains_other"] == 1.0 and rows[0]["fragment"] == 0.0
    assert rows[2]["common_single_word"] == 2 / 3  # written in lower case twice of three times
    assert rows[3]["common_first_word"] == 0.0 and rows[3]["fragment"] == 0.0
    assert rows[3]["mention_percentile"] > rows[1]["mention_percentile"]


def test_recipe_fits_on_invented_gold_lists(tmp_path: Path) -> None:
    recipe = load_script("train_actor_judge")
    nlp = ruler_pipeline(PATTERNS)
    tables = []
    for name, text in TEXTS.items():
        doc = tmp_path / name
        doc.write_text(text, encoding="utf-8")
        gold_file = tmp_path / f"gold-{name}.json"
        entries = [
            {"name": n, "aliases": [], "label": lab, "salient": salient, "type": "annet"}
            for n, lab, salient in GOLD[name]
        ]
        gold_file.write_text(json.dumps({name: entries}), encoding="utf-8")
        tables.append(recipe.table(recipe.candidates(doc, gold_file, tmp_path / "cache", nlp)))
        assert (tmp_path / "cache" / f"{name}.pkl").exists()  # refits read the cache
    # the pieces cut from longer names are candidates the gold lists do not hold
    truth = {a.name: ok for t in tables for a, ok in zip(t.actors, t.truth, strict=True)}
    assert truth["Fjordvik kommune"] and truth["Havløftprogrammet"]
    assert truth["Skjær"] is False and truth["Havn"] is False
    out = tmp_path / "judge.json"
    judge = recipe.write(tables, out, l2=0.1)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURES)
    assert data["trained_on"] == list(TEXTS) and data["threshold"] in recipe.GRID
    again = Judge.from_dict(data)
    actors = {a.name: a for t in tables for a in t.actors}
    # the written judge trusts the named municipality more than the fragments it learnt on
    assert again.confidence(actors["Fjordvik kommune"].features) > again.confidence(
        actors["Skjær"].features
    )
    assert (
        abs(again.confidence(actors["Skjær"].features) - judge.confidence(actors["Skjær"].features))
        < 1e-3
    )
