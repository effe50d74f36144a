"""The answer cross-encoder: numpy inference, what it ranks first, and its place in `ask`."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from policyminer.answer.answer import Answerer, answer_question
from policyminer.answer.reranker import WEIGHTS_FILE, CrossEncoder, reranker_dir, shipped_reranker
from policyminer.models.paths import default_model_dir
from policyminer.retrieve.search import Searcher

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

# Invented questions, each with sentences on its topic of which only the first answers it.
ON_TOPIC = [
    (
        "Hvor mange ansatte har Fjordvik kommune?",
        [
            "Fjordvik kommune har i dag rundt 1 250 ansatte fordelt på fire sektorer.",
            "Fjordvik kommune ble opprettet i 1964 ved sammenslåing av tre herreder.",
            "Kommunestyret i Fjordvik kommune har 35 representanter.",
            "Kommunen legger vekt på et godt arbeidsmiljø for alle ansatte.",
        ],
    ),
    (
        "Når skal den nye brua over Sørsundet stå ferdig?",
        [
            "Etter planen skal den nye brua over Sørsundet åpnes for trafikk høsten 2027.",
            "Brua over Sørsundet blir 640 meter lang og får gang- og sykkelvei.",
            "Statens vegvesen har ansvaret for byggingen av brua.",
            "Den gamle ferjeforbindelsen over sundet legges ned når brua er ferdig.",
        ],
    ),
    (
        "Hvorfor ble prosjektet for fjernvarme i Nordby stanset?",
        [
            "Fjernvarmeprosjektet i Nordby ble stanset fordi kostnadene ble dobbelt så høye som"
            " beregnet.",
            "Fjernvarme kan dekke store deler av varmebehovet i tette boligområder.",
            "Nordby har om lag 8 000 innbyggere og et lite sentrum ved sjøen.",
            "Prosjektet for fjernvarme i Nordby ble startet i 2019 med støtte fra Enova.",
        ],
    ),
]

NOTE = """# Vegplan for Fjordvik

## 1 Brua over Sørsundet

Brua over Sørsundet blir 640 meter lang og får gang- og sykkelvei på begge sider.
Statens vegvesen har ansvaret for byggingen av brua, og anlegget startet i 2024.
Etter planen skal den nye brua over Sørsundet åpnes for trafikk høsten 2027.
Den gamle ferjeforbindelsen over sundet legges ned når brua står ferdig.
"""


@pytest.fixture(scope="module")
def encoder() -> CrossEncoder:
    weights = reranker_dir() / WEIGHTS_FILE
    if not weights.is_file() or not (default_model_dir() / "model.safetensors").is_file():
        pytest.skip("models/reranker or models/e5-small not built")
    return CrossEncoder(weights, default_model_dir())


def _training_script():
    """scripts/train_answer_reranker.py as a module (a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location(
        "train_answer_reranker", REPO / "scripts" / "train_answer_reranker.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_numpy_inference_reproduces_the_trained_torch_model(encoder: CrossEncoder) -> None:
    script = _training_script()
    reference = script.Reranker(len(encoder.layers))
    reference.load_packaged(reranker_dir() / WEIGHTS_FILE)
    for question, sentences in ON_TOPIC:
        ours = encoder.score(question, sentences)
        theirs = reference.score(question, sentences)
        assert np.allclose(ours, theirs, atol=0.02), (ours, theirs)


def test_the_sentence_that_answers_outranks_others_on_its_topic(encoder: CrossEncoder) -> None:
    for question, sentences in ON_TOPIC:
        scores = encoder.score(question, sentences)
        assert int(np.argmax(scores)) == 0, (question, scores)


def test_long_sentences_are_cut_to_the_window_and_order_is_kept(encoder: CrossEncoder) -> None:
    question, sentences = ON_TOPIC[0]
    long = sentences[1] + " " + " ".join(["Kommunen har mange oppgaver."] * 80)
    scores = encoder.score(question, [long, *sentences])
    assert scores.shape == (len(sentences) + 1,) and np.isfinite(scores).all()
    assert int(np.argmax(scores)) == 1  # the answering sentence, now second in the input


def test_ask_quotes_the_answering_sentence_first(tmp_path: Path) -> None:
    from policyminer.ingest import ingest_paths

    if shipped_reranker() is None:
        pytest.skip("models/reranker not built")
    note = tmp_path / "vegplan.md"
    note.write_text(NOTE, encoding="utf-8")
    index = tmp_path / "index"
    assert not ingest_paths([note], index).failed
    answer = answer_question(index, "Når skal den nye brua over Sørsundet stå ferdig?")
    assert not answer.abstained
    assert "høsten 2027" in answer.citations[0].quote
    with Searcher(index) as searcher:
        plain = Answerer(searcher, rerank=False)
        assert plain.reranker is None and Answerer(searcher).reranker is not None
