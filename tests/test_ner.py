"""The shipped NorNE pipeline, the INITIATIVE recogniser and `evaluate ner`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner

from policyminer.cli import app
from policyminer.enrich.ner import (
    INITIATIVE,
    PIPELINE_DIR,
    NerError,
    evaluate_conllu,
    find_initiatives,
    load_pipeline,
)
from policyminer.enrich.nerdata import read_sentences, sentence_doc, split_untouched

runner = CliRunner()


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def ents(nlp, text: str) -> set[tuple[str, str]]:
    return {(e.text, e.label_) for e in nlp(text).ents}


def test_pipeline_loads_offline_from_the_repository(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import policyminer.enrich.ner  # noqa: F401  (the initiative factory must be registered)

    nlp = spacy.load(PIPELINE_DIR)
    assert nlp.lang == "nb"
    assert nlp.pipe_names == ["policyminer_e5_ner", "policyminer_initiatives"]
    assert {"PER", "ORG", "GPE_LOC", "LOC"} <= set(nlp.get_pipe("policyminer_e5_ner").labels)


def test_finds_people_organisations_and_places(nlp):
    found = ents(nlp, "Statsminister Jonas Gahr Støre besøkte Bergen sammen med Erna Solberg.")
    assert ("Jonas Gahr Støre", "PER") in found
    assert ("Erna Solberg", "PER") in found
    assert ("Bergen", "GPE_LOC") in found
    found = ents(nlp, "Avtalen mellom Equinor og Statens vegvesen ble signert i Stavanger i går.")
    assert {("Equinor", "ORG"), ("Statens vegvesen", "ORG"), ("Stavanger", "GPE_LOC")} <= found


# Names nobody wrote a rule for: generic cues only.
UNSEEN = [
    ("Kommunen har sluttet seg til Kystreformen i år.", "Kystreformen"),
    ("Fylket deltar i NordHelseHub sammen med næringslivet.", "NordHelseHub"),
    ("Prosjektet +SmartFjord ble avsluttet i 2024.", "+SmartFjord"),
    (
        "Regjeringen følger opp Nasjonal strategi for bioøkonomi 2025–2030 neste år.",
        "Nasjonal strategi for bioøkonomi 2025–2030",
    ),
    ("Sykehuset etablerte Testbed Innlandet i fjor.", "Testbed Innlandet"),
    ("Byen har tatt i bruk Velferdsplattformen for alle sine tjenester.", "Velferdsplattformen"),
    ("Med Nordland Living Lab kan bedrifter teste nye løsninger.", "Nordland Living Lab"),
    (
        "Tiltaket inngår i Handlingsplanen for psykisk helse, som kom i fjor.",
        "Handlingsplanen for psykisk helse",
    ),
    ("Regjeringen la fram Meld. St. 7 (2019–2020) om sykehusene.", "Meld. St. 7 (2019–2020)"),
    ("Kommunen følger opp reformen «Leve hele livet» i år.", "Leve hele livet"),
    ("Etaten startet kampanjen «Tenk sikkert» i mars.", "Tenk sikkert"),
    ("Oppdretterne må følge havbruksloven og plan- og bygningsloven.", "havbruksloven"),
    ("Oppdretterne må følge havbruksloven og plan- og bygningsloven.", "plan- og bygningsloven"),
    ("Alle må kjenne Lov om kystsoneforvaltning før de søker.", "Lov om kystsoneforvaltning"),
    ("Tjenestene følger blant annet Fiske- og fangstloven.", "Fiske- og fangstloven"),
    ("Landene har sluttet seg til Bergenavtalen om kystvern.", "Bergenavtalen"),
    # titles in single quotes, long ones with the head of a plan or strategy
    (
        "Fylket har fått prosjektet med tittelen 'Kystkart for norske havner' i år.",
        "Kystkart for norske havner",
    ),
    # a name after a compound kind noun; a name of several capitalised words; the name ends
    # before a time ("i år"), an adverb ("sammen") or a passive verb
    ("Kommunen deltar i forskningsprosjektet Havlys i år.", "Havlys"),
    ("Erfaringer fra HAV-prosjektet KYSTNETT brukes videre.", "KYSTNETT"),
    ("Fylket leder programmet Grønn Kyst fra 2022.", "Grønn Kyst"),
    ("Kommunen deltar i prosjektet Havlys sammen med NTNU.", "Havlys"),
    # a policy named by its owner in the genitive
    (
        "Planen bygger på NKRs klimamål og Havrådets handlingsplan for kysten.",
        "NKRs klimamål",
    ),
    (
        "Planen bygger på NKRs klimamål og Havrådets handlingsplan for kysten.",
        "Havrådets handlingsplan for kysten",
    ),
    (
        "Fylket følger NKRs taksonomi for grønne investeringer fra i år.",
        "NKRs taksonomi for grønne investeringer",
    ),
    # a noun that introduces a title lets it run long without the head of a plan
    (
        "Fylket leder prosjektet med tittelen 'Kystkart for små og store havner i nord og sør"
        " for grønn omstilling' fra i år.",
        "Kystkart for små og store havner i nord og sør for grønn omstilling",
    ),
    (
        'Fylkestinget vedtok "Et levende Nordfjord – strategi for næringsutvikling og verdiskaping'
        ' i Nordfjord" i fjor.',
        "Et levende Nordfjord – strategi for næringsutvikling og verdiskaping i Nordfjord",
    ),
    (
        "Regjeringen la fram Langtidsplan for havforskning og høyere utdanning i fjor.",
        "Langtidsplan for havforskning og høyere utdanning",
    ),
    (
        "Arbeidet følger Nasjonal strategi for bruk av havdata.",
        "Nasjonal strategi for bruk av havdata",
    ),
    ("Kommunen følger opp kystmeldingen fra regjeringen.", "kystmeldingen"),
    ("Selskapene må rapportere etter NIS9-direktivet fra EU.", "NIS9-direktivet"),
    ("Forskeren deltok i Golden Minds Program i utlandet.", "Golden Minds Program"),
    ("Bedriftene må følge Ocean Data Act fra neste år.", "Ocean Data Act"),
    ("Landene sluttet seg til Arctic Shipping Directive i mars.", "Arctic Shipping Directive"),
    ("Tilsynet viser til Eksportkontrollregelverket i år.", "Eksportkontrollregelverket"),
    ("Alle ansatte må kjenne Beredskapsinstruksen, som er ny.", "Beredskapsinstruksen"),
    ("Tilsynet har gitt ut Veileder for sikring av havner i år.", "Veileder for sikring av havner"),
    ("Følg Retningslinjer for IKT-sikring 2.0 i år.", "Retningslinjer for IKT-sikring 2.0"),
    # guidance titles with "i"/"ved", by an adjective, or by their publisher in the genitive
    (
        "Tilsynet har laget Håndbok i sikring og vurdering av kaianlegg, som kom i vår.",
        "Håndbok i sikring og vurdering av kaianlegg",
    ),
    (
        "Etaten ga ut temaheftet Havfaglige anbefalinger ved kaidrift og anbefaler det.",
        "Havfaglige anbefalinger ved kaidrift",
    ),
    (
        "Rederiene bør følge Havtilsynets grunnprinsipper for sikring av fartøy.",
        "Havtilsynets grunnprinsipper for sikring av fartøy",
    ),
    (
        "Arbeidet bygger på HTs grunnleggende designprinsipper, som kom i fjor.",
        "HTs grunnleggende designprinsipper",
    ),
    # an abbreviation's full stop opens no sentence; a verb ends a title
    (
        "Dette er viktig, jf. Langtidsplan for havforskning og kystutdanning, og flere søker.",
        "Langtidsplan for havforskning og kystutdanning",
    ),
    (
        "Nasjonal strategi for bruk av havdata beskriver havdata som en ressurs.",
        "Nasjonal strategi for bruk av havdata",
    ),
    ("Lov om kystvern forholder seg til risikovurderinger.", "Lov om kystvern"),
    # a name defined as a kind of initiative
    ("Havlys er et forskningsprogram som samler fem havner.", "Havlys"),
]


@pytest.mark.parametrize(("sentence", "name"), UNSEEN)
def test_initiatives_in_unseen_sentences(nlp, sentence, name):
    assert (name, INITIATIVE) in ents(nlp, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Kommunen har en plan for dette, og Drammen har en strategi for vekst.",
        "Planen ble lagt fram i mai.",
        "Trondheim kommunes strategi for helse er vedtatt.",
        "Kommunens strategi for helse er vedtatt, og NKRs mål er høye.",
        "Selskapet SmartCare AS leverer sensorer.",
        "Stortingsmeldingen kom i 2009, og planen ble vedtatt.",
        "Tallene står i fotnote Europa25 og COVID19 i teksten.",
        "Han sa «Helsedata er den nye oljen» på konferansen.",
        "Tilbakemeldingen fra brukerne kom etter feilmeldingen i appen.",
        "Hun sa at loven og forskriften gjelder for alle, også stortingsmeldingen.",
        "Vi fikk en tekstmelding om påmeldingen.",
        "I rapporten «Havrisiko 2030» vurderer tilsynet risikoen.",
        "Publikasjonen heter nå «Analyse av kystscenarioer».",
        "Veileder for nye ansatte er kapittel 3.",
        "«Smarte havner» er havner der «smarte havner» deler data.",
        "Dataene blir til «Big Ocean» hos selskapene.",
        # a publisher's advice is no title, and a passive verb ends a phrase
        "Havtilsynets anbefalinger om tiltak på kaiene kommuniseres gjennom råd.",
        "Dette er et prosjekt om havner, og det er en plan for kaiene.",
        # a bare kind noun with "for" titles nothing without a year; a place needs one too
        "Strategi for kystvern er klar, og Plan for Fjordvik kommer.",
        # a capitalised adjective before a definite head noun describes, it names nothing
        "Viktige tiltak i programmet kommer, og Mulige endringer i planen også.",
    ],
)
def test_no_initiative_in_ordinary_sentences(sentence):
    assert find_initiatives(sentence) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a place inside a plan's title, shown by the year after it; a dash before a subtitle
        (
            "Tiltakene følger Sjøplan for Fjordvik 2020 - Trygg havn, som kom i fjor.",
            "Sjøplan for Fjordvik 2020",
        ),
        ("Se Klimaplan for Elvik mot 2040 – bystyresak 12/20.", "Klimaplan for Elvik mot 2040"),
        # a bare kind noun titles a plan when a period closes the title
        (
            "Tiltaket bygger på Strategi for kystvern i Fjordvik 2020-2030.",
            "Strategi for kystvern i Fjordvik 2020-2030",
        ),
        (
            "Følg Veileder for kaidrift – endringer mai 2021 (Havtilsynet 2021).",
            "Veileder for kaidrift",
        ),
    ],
)
def test_plan_titles_with_a_place_a_period_or_a_subtitle(text, name):
    assert name in {text[c.start : c.end] for c in find_initiatives(text)}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Byggene skal følge passivhusstandarden NS 1234 fullt ut.", "NS 1234"),
        ("Styringssystemet er sertifisert etter ISO/IEC 27001:2022 i år.", "ISO/IEC 27001:2022"),
        ("Prøvingen gjøres etter NS-EN ISO 12345-2 og godkjennes.", "NS-EN ISO 12345-2"),
    ],
)
def test_standards_named_by_their_identifier(text, name):
    assert name in {text[c.start : c.end] for c in find_initiatives(text)}


def test_a_plan_title_does_not_run_on_to_the_next_capital():
    text = "Samarbeidet er et Havprosjekt for kystkommuner finansiert av Forskningsrådet i år."
    names = {text[c.start : c.end] for c in find_initiatives(text)}
    assert not any("finansiert" in name for name in names)


def test_an_everyday_compound_introduces_a_name_and_is_none():
    text = "Dette er beskrevet i Stortingsmeldingen «Trygg kyst», som kom i fjor."
    names = {text[c.start : c.end] for c in find_initiatives(text)}
    assert "Trygg kyst" in names and "Stortingsmeldingen" not in names


def test_a_name_that_only_opens_a_compound_is_no_initiative(nlp):
    found = ents(nlp, "SeaLink-saken viste hvor sårbare havnene er, men SeaLink-prosjektet går.")
    initiatives = {text for text, label in found if label == INITIATIVE}
    assert not any(text.startswith("SeaLink-saken") for text in initiatives)
    assert "SeaLink-prosjektet" in initiatives


def test_a_kind_noun_that_introduces_a_name_is_no_name_itself(nlp):
    found = ents(nlp, "Erfaringer fra HAV-prosjektet KYSTNETT og Havlys-programmet brukes videre.")
    assert ("KYSTNETT", INITIATIVE) in found
    assert ("HAV-prosjektet", INITIATIVE) not in found
    # a compound name with nothing after it stays one
    assert ("Havlys-programmet", INITIATIVE) in found


def test_strong_initiative_cue_wins_over_the_ner_label(nlp):
    doc = nlp(
        "I fjor ble Helseplattformen innført i Midt-Norge, og Samhandlingsreformen kom i 2012."
    )
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels["Helseplattformen"] == INITIATIVE
    assert labels["Samhandlingsreformen"] == INITIATIVE
    assert "Helseplattformen" in {s.text for s in doc.spans["initiatives"]}


# ---------------------------------------------------------------- evaluation

CONLLU = """\
# sent_id = 1
1\tPer\tPer\t_\t_\t_\t_\t_\t_\tname=B-PER
2\tHansen\tHansen\t_\t_\t_\t_\t_\t_\tname=I-PER
3\tbor\tbo\t_\t_\t_\t_\t_\t_\tname=O
4\ti\ti\t_\t_\t_\t_\t_\t_\tname=O
5\tOslo\tOslo\t_\t_\t_\t_\t_\t_\tSpaceAfter=No|name=B-GPE_LOC
6\t.\t$.\t_\t_\t_\t_\t_\t_\tname=O

# sent_id = 2
1\tStatoil\tStatoil\t_\t_\t_\t_\t_\t_\tname=B-ORG
2\tkjøpte\tkjøpe\t_\t_\t_\t_\t_\t_\tname=O
3\tHydro\tHydro\t_\t_\t_\t_\t_\t_\tname=B-ORG
4\ti\ti\t_\t_\t_\t_\t_\t_\tname=O
5\tfjor\tfjor\t_\t_\t_\t_\t_\t_\tSpaceAfter=No|name=O
6\t.\t$.\t_\t_\t_\t_\t_\t_\tname=O

# sent_id = 3
1\tMøtet\tmøte\t_\t_\t_\t_\t_\t_\tname=O
2\tvar\tvære\t_\t_\t_\t_\t_\t_\tname=O
3\ti\ti\t_\t_\t_\t_\t_\t_\tname=O
4\tBergen\tBergen\t_\t_\t_\t_\t_\t_\tSpaceAfter=No|name=B-GPE_LOC
5\t.\t$.\t_\t_\t_\t_\t_\t_\tname=O
"""


@pytest.fixture
def conllu(tmp_path) -> Path:
    path = tmp_path / "small.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    return path


def known_predictions() -> spacy.language.Language:
    """A real spaCy pipeline whose predictions we know: 3 right, 3 wrong, 2 missed."""
    nlp = spacy.blank("nb")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PER", "pattern": [{"ORTH": "Per"}, {"ORTH": "Hansen"}]},
            {"label": "GPE_LOC", "pattern": "Oslo"},
            {"label": "ORG", "pattern": "Statoil"},
            {"label": "PROD", "pattern": "Hydro"},  # wrong label: FP PROD + FN ORG
            {"label": "ORG", "pattern": "Bergen"},  # wrong label: FP ORG + FN GPE_LOC
            {"label": "MISC", "pattern": "fjor"},  # spurious: FP MISC
        ]
    )
    return nlp


def test_reader_keeps_tokens_spaces_and_entities(conllu):
    vocab = spacy.blank("nb").vocab
    docs = [sentence_doc(vocab, s) for s in read_sentences(conllu)]
    assert [d.text for d in docs] == [
        "Per Hansen bor i Oslo.",
        "Statoil kjøpte Hydro i fjor.",
        "Møtet var i Bergen.",
    ]
    assert [(e.text, e.label_) for e in docs[0].ents] == [
        ("Per Hansen", "PER"),
        ("Oslo", "GPE_LOC"),
    ]


def test_evaluation_counts_exact_spans_per_label(conllu):
    result = evaluate_conllu(conllu, known_predictions())
    overall = result.overall
    assert (overall.tp, overall.fp, overall.fn) == (3, 3, 2)
    assert overall.precision == pytest.approx(0.5)
    assert overall.recall == pytest.approx(0.6)
    assert overall.f1 == pytest.approx(6 / 11)
    labels = result.labels
    assert labels["PER"].f1 == pytest.approx(1.0)
    assert (labels["GPE_LOC"].precision, labels["GPE_LOC"].recall) == (1.0, 0.5)
    assert labels["ORG"].f1 == pytest.approx(0.5)
    assert labels["PROD"].precision == 0.0 and labels["MISC"].recall == 0.0


@pytest.mark.parametrize("context", [2, 3, 10])
def test_evaluation_in_running_text_maps_entities_back_to_their_sentences(conllu, context):
    overall = evaluate_conllu(conllu, known_predictions(), context=context).overall
    assert (overall.tp, overall.fp, overall.fn) == (3, 3, 2)


def test_evaluate_ner_cli_json_shape(conllu):
    result = runner.invoke(app, ["evaluate", "ner", str(conllu), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data["overall"]) >= {"precision", "recall", "f1"}
    for scores in data["labels"].values():
        assert set(scores) >= {"precision", "recall", "f1"}
        p, r, f = scores["precision"], scores["recall"], scores["f1"]
        assert f == pytest.approx(2 * p * r / (p + r) if p + r else 0.0, abs=2e-4)
    assert set(data["labels"]) <= {
        "PER",
        "ORG",
        "GPE_LOC",
        "GPE_ORG",
        "LOC",
        "PROD",
        "EVT",
        "DRV",
        "MISC",
    }
    table = runner.invoke(app, ["evaluate", "ner", str(conllu)])
    assert table.exit_code == 0 and "overall" in table.output


def test_evaluate_ner_rejects_a_broken_file(tmp_path):
    bad = tmp_path / "bad.conllu"
    bad.write_text("1\tOslo\tOslo\tname=B-GPE_LOC\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "ner", str(bad)])
    assert result.exit_code == 2
    assert "bad.conllu:1" in result.output and "columns" in result.output
    with pytest.raises(NerError, match="no annotated sentences"):
        empty = tmp_path / "empty.conllu"
        empty.write_text("# nothing\n", encoding="utf-8")
        evaluate_conllu(empty, known_predictions())
    missing = runner.invoke(app, ["evaluate", "ner", str(tmp_path / "nope.conllu")])
    assert missing.exit_code == 2 and "nope.conllu" in missing.output


def test_untouched_split_keeps_whole_blocks_out_and_loses_no_sentence(tmp_path):
    # 2 500 one-word sentences numbered in file order, as NorNE's train file keeps documents
    lines = []
    for i in range(2500):
        lines += [f"# sent_id = {i}", f"1\tord{i}\tord\t_\t_\t_\t_\t_\t_\tname=O", ""]
    path = tmp_path / "train.conllu"
    path.write_text("\n".join(lines), encoding="utf-8")

    kept, held = split_untouched(list(read_sentences(path)))

    held_ids = [int(s.words[0][3:]) for s in held]
    kept_ids = {int(s.words[0][3:]) for s in kept}
    assert held_ids == list(range(900, 1000)) + list(range(1900, 2000))
    assert kept_ids.isdisjoint(held_ids) and len(kept_ids) + len(held_ids) == 2500
    # the same file always gives the same split, so a model trained without it can be scored
    again = split_untouched(list(read_sentences(path)))[1]
    assert [s.words for s in again] == [s.words for s in held]
