"""The fine-tuned e5-small NorNE tagger: windows, decoding, weights and the spaCy component."""

from __future__ import annotations

import shutil

import pytest
import spacy
import torch
from transformers import AutoTokenizer

from policyminer.enrich.ner import PIPELINE_DIR, NerError, load_pipeline
from policyminer.enrich.nertagger import (
    TAGS,
    WEIGHTS_FILE,
    TaggerError,
    build_model,
    iob_spans,
    load_weights,
    make_windows,
    pack,
    save_weights,
    viterbi,
)
from policyminer.models.embedding import default_model_dir


@pytest.fixture(scope="module")
def tokenizer():
    return AutoTokenizer.from_pretrained(str(default_model_dir()))


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def test_sentences_are_packed_in_order_under_the_limit():
    assert pack([10, 20, 30, 50, 5], limit=60) == [(0, 3), (3, 5)]
    # a sentence over the limit gets a window of its own
    assert pack([10, 80, 10], limit=60) == [(0, 1), (1, 2), (2, 3)]
    assert pack([30, 30, 30, 5], limit=60) == [(0, 2), (2, 4)]


def test_windows_cover_every_word_once_and_skip_whitespace(tokenizer):
    sentence = ["Helse", "Sør-Øst", "RHF", "samarbeider", "med", "Oslo", "sykehus", ".", "\n\n"]
    words = sentence * 40
    starts = list(range(0, len(words), len(sentence)))
    windows = make_windows(words, starts, tokenizer, limit=64)
    assert len(windows) > 1
    covered = [i for w in windows for i in w.words]
    assert covered == [i for i, w in enumerate(words) if w.strip()]
    for w in windows:
        assert len(w.input_ids) <= 64
        assert w.input_ids[0] == tokenizer.cls_token_id
        assert w.input_ids[-1] == tokenizer.sep_token_id
        for word, pos in zip(w.words, w.first_subword, strict=True):
            first = tokenizer.encode(words[word], add_special_tokens=False)[0]
            assert w.input_ids[pos] == first


def test_decoding_never_starts_an_entity_inside():
    log_probs = torch.full((3, len(TAGS)), -9.0)
    # the argmax alone would say I-ORG, I-ORG, O: an entity without a beginning
    log_probs[0, TAGS.index("I-ORG")] = -0.1
    log_probs[0, TAGS.index("B-ORG")] = -1.0
    log_probs[1, TAGS.index("I-ORG")] = -0.1
    log_probs[2, TAGS.index("O")] = -0.1
    tags = viterbi(log_probs.numpy())
    assert tags == ["B-ORG", "I-ORG", "O"]
    assert iob_spans(tags) == [(0, 2, "ORG")]
    assert iob_spans(["B-PER", "B-PER", "I-PER", "O", "B-LOC"]) == [
        (0, 1, "PER"),
        (1, 3, "PER"),
        (4, 5, "LOC"),
    ]


def test_int8_weights_round_trip_close_to_the_trained_ones(tmp_path):
    model = build_model(default_model_dir())
    torch.manual_seed(0)
    with torch.no_grad():
        model.classifier.weight.normal_()
    path = tmp_path / WEIGHTS_FILE
    save_weights(model, path)
    # int8 rows: a quarter of the fp32 size of the trained layers
    assert path.stat().st_size < 30 * 2**20
    loaded = build_model(default_model_dir())
    load_weights(loaded, path)
    ids = torch.tensor([[0, 581, 9084, 2]])
    mask = torch.ones_like(ids)
    model.eval()
    loaded.eval()
    with torch.no_grad():
        a, b = model(ids, mask), loaded(ids, mask)
    assert torch.allclose(a, b, atol=0.05 * a.abs().max().item())


def test_weights_for_another_model_are_refused(tmp_path):
    model = build_model(default_model_dir())
    from safetensors.torch import save_file

    save_file({"classifier.weight": torch.zeros(2, 2)}, str(tmp_path / WEIGHTS_FILE))
    with pytest.raises(TaggerError, match="do not match"):
        load_weights(model, tmp_path / WEIGHTS_FILE)


def test_names_late_in_a_long_text_are_found_at_the_right_place(nlp):
    filler = "Dette er en setning om helse og omsorg i kommunene. " * 80
    text = filler + "\n\nErna Solberg besøkte Haukeland universitetssjukehus i Bergen."
    doc = nlp(text)
    found = {(e.text, e.label_) for e in doc.ents}
    assert ("Erna Solberg", "PER") in found
    assert ("Bergen", "GPE_LOC") in found
    erna = next(e for e in doc.ents if e.text == "Erna Solberg")
    assert text[erna.start_char : erna.end_char] == "Erna Solberg"


def test_pipeline_saved_and_loaded_gives_the_same_entities(nlp, tmp_path):
    text = "Statens vegvesen og Equinor møttes i Stavanger med Jonas Gahr Støre."
    nlp.to_disk(tmp_path / "copy")
    copy = spacy.load(tmp_path / "copy")
    assert [(e.text, e.label_) for e in copy(text).ents] == [
        (e.text, e.label_) for e in nlp(text).ents
    ]


def test_missing_base_encoder_is_a_clear_error(tmp_path, monkeypatch):
    pipeline = tmp_path / "pipeline"
    shutil.copytree(PIPELINE_DIR, pipeline)
    monkeypatch.setenv("POLICYMINER_MODELS", str(tmp_path / "no-models"))
    with pytest.raises(NerError, match="models build"):
        load_pipeline(pipeline)


def test_int8_setting_runs_the_same_weights_faster_path():
    nlp = spacy.load(
        PIPELINE_DIR, config={"components": {"policyminer_e5_ner": {"quantize": True}}}
    )
    found = {(e.text, e.label_) for e in nlp("Erna Solberg besøkte Bergen i går.").ents}
    assert {("Erna Solberg", "PER"), ("Bergen", "GPE_LOC")} <= found
