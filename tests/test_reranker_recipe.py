"""The training groups of scripts/train_answer_reranker.py, on paragraphs written for the test."""

from __future__ import annotations

import random

from scriptload import load_script

FERRY = (
    "Fergesambandet Nordvik–Sørhamn ble åpnet i 1998.\n"
    "Sambandet trafikkeres av to ferjer gjennom hele året. "
    "I 2021 hadde sambandet en årsdøgntrafikk på 1 240 kjøretøy. "
    "Kommunen ønsker en fast vegforbindelse på sikt."
)
BRIDGE = (
    "Brua over Sørsundet blir 640 meter lang. "
    "Trafikken over sundet har økt hvert år siden ferja ble satt inn. "
    "Byggingen starter når finansieringen er på plass."
)
LIBRARY = "Biblioteket i Nordvik har åpent hver dag. Det har 12 000 bøker og en kafé."


def _item(question: str, paragraph: str, answer: str):
    start = paragraph.index(answer)
    return question, paragraph, [(start, start + len(answer))]


def test_the_answer_sentence_is_the_positive_and_the_rest_of_its_paragraph_negatives() -> None:
    recipe = load_script("train_answer_reranker")
    item = _item("Hvor stor var årsdøgntrafikken i 2021?", FERRY, "1 240 kjøretøy")
    positive, negatives = recipe.split_by_answer(item[1], item[2])
    assert positive == "I 2021 hadde sambandet en årsdøgntrafikk på 1 240 kjøretøy."
    assert "Kommunen ønsker en fast vegforbindelse på sikt." in negatives
    assert positive not in negatives


def test_hard_negatives_come_from_other_paragraphs_that_share_the_question_words() -> None:
    recipe = load_script("train_answer_reranker")
    items = [
        _item("Hvor stor var trafikken over sundet med ferja i 2021?", FERRY, "1 240 kjøretøy"),
        _item("Hvor lang blir brua over Sørsundet?", BRIDGE, "640 meter"),
        _item("Hvor mange bøker har biblioteket?", LIBRARY, "12 000 bøker"),
        _item("Når har biblioteket åpent?", LIBRARY, "hver dag"),
    ]
    groups = recipe.groups(items, negatives=1, rng=random.Random(0), hard=1)
    _, sentences = groups[0]
    assert sentences[0].startswith("I 2021 hadde sambandet")
    # the other paragraph's sentence about traffic over the sound, not the library's
    assert sentences[-1] == "Trafikken over sundet har økt hvert år siden ferja ble satt inn."
