"""Actor lists: mentions stored at ingest, alias merging, organisation types, exports, graph."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
import spacy
from rulers import ruler_pipeline
from typer.testing import CliRunner

import policyminer.enrich.ner  # noqa: F401  (registers the initiative component)
from policyminer.cli import app
from policyminer.cli.app import console
from policyminer.enrich.actors import list_actors, mention_writer, normalise, org_type
from policyminer.index.chunking import body_text, make_chunks
from policyminer.records import Paragraph, ParsedDocument
from policyminer.store.catalog import Catalog

# A made-up report: every alias case of the issue, in two sections over four pages.
PARAGRAPHS = [
    (
        "Samarbeid",
        1,
        "Vestre Viken HF samarbeider med Trondheim kommune om nye tjenester. "
        "Helseforetaket Vestre Viken har ansvar for sykehusene i regionen.",
    ),
    (
        "Samarbeid",
        2,
        "Norges teknisk-naturvitenskapelige universitet (NTNU) leder forskningen. "
        "NTNU har lang erfaring, og Trondheim kommunes helsetjeneste deltar.",
    ),
    ("Samarbeid", 2, "Helsefellesskapet Vest-Viken møtes hver måned."),
    ("Samarbeid", 3, "Vestre Viken er en viktig partner for HELSEFELLESSKAPET VEST VIKEN."),
    (
        "Steder",
        4,
        "Mange bor i Trondheim. Kari Nordmann leder arbeidet med Fjordløftet, "
        "og Vestre Viken deltar.",
    ),
    ("Steder", 4, "FHI (Folkehelseinstituttet) og Bergen kommune følger med."),
    ("Næring", 4, "Næringsforeningen i Bergen samler bedriftene. Næringsforeningen inviterer."),
    ("Næring", 4, "Pasientene møter først Voksenpsykiatrisk avdeling (VOPA) på sykehuset."),
    ("Pendling", 4, "Mange pendler mellom Asker og Bærum hver dag."),
    ("Tabell", 4, "Sykehjem Legeårsverk 12"),
    (
        "Analyse",
        4,
        "Analysen viser vekst. I analysen inngår tall fra Regjeringen, og "
        "regjeringen vil følge opp.",
    ),
    (
        "Personer",
        4,
        "Michael Porter skrev om klynger, og Porter ble lest av "
        "Helsepersonellkommisjonen. Rapporten fra Helsepersonellkommissjonen kom i fjor. "
        "Kommisjonen siterte også Porter.",
    ),
    (
        "Turveier",
        5,
        "Stien følger Storeelva gjennom planområdet. Brua over Storelva bygges i år.",
    ),
    ("Ruter", 5, "Nye ruter går til Kristiansand og Kristiansund. Kristiansund får mest."),
    # a glossary whose items the text layer ran into one line, and a colon that glosses nothing
    (
        "Forkortelser",
        6,
        "- NKV: Nordre Kyst Vannverk - SKT: Søndre Kyst Transportråd - "
        "HVS: Havnevesenets samarbeidsforum",
    ),
    ("Forkortelser", 6, "Nordre Kyst Vannverk leverer vann. SKT og HVS møtes i mai."),
    ("Forkortelser", 6, "EU: Europakommisjonen foreslår nye regler for havner."),
    ("Aktører", 7, "Nivå | Aktør\nEU | Europarådet\nStat | Havnevesenet"),
    ("Aktører", 7, "Havnevesenet møter Europarådet i juni."),
]
# Known entities the rule-based stand-in for the NER finds (NorNE labels).
PATTERNS = {
    "ORG": [
        "Vestre Viken HF",
        "Vestre Viken",
        "Helseforetaket Vestre Viken",
        "Trondheim kommune",
        "Trondheim kommunes",
        "NTNU",
        "Norges teknisk-naturvitenskapelige universitet",
        "Helsefellesskapet Vest-Viken",
        "HELSEFELLESSKAPET VEST VIKEN",
        "FHI",
        "Folkehelseinstituttet",
        "Bergen kommune",
        "Næringsforeningen i Bergen",
        "Næringsforeningen",
        "VOPA",
        "Helsepersonellkommisjonen",
        "Helsepersonellkommissjonen",
        "Asker og Bærum",
        "Analysen",
        "Regjeringen",
        "NKV",
        "Nordre Kyst Vannverk",
        "SKT",
        "HVS",
        "Havnevesenets samarbeidsforum",
        "Europakommisjonen",
        "Europarådet",
    ],
    "GPE_LOC": ["Trondheim", "Kristiansand", "Kristiansund"],
    "GPE_ORG": ["EU"],
    "LOC": ["Storeelva", "Storelva"],
    "PER": ["Kari Nordmann", "Michael Porter", "Porter", "Legeårsverk"],
}


def put(catalog: Catalog, name: str, paragraphs, nlp=None) -> str:
    paras = [
        Paragraph(page=page, text=text, section=section, section_path=(section,))
        for section, page, text in paragraphs
    ]
    parsed = ParsedDocument(Path(f"/tmp/{name}.md"), name, name.title(), None, 2024, 4, paras, "md")
    body = body_text(paras)
    chunks = make_chunks(paras, body)
    doc_id, _ = catalog.put_document(
        parsed, body.offsets, chunks, derived=[mention_writer(chunks, nlp)]
    )
    return doc_id


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("actors") / "idx"
    with Catalog(path) as catalog:
        put(catalog, "rapport", PARAGRAPHS, ruler_pipeline(PATTERNS))
        put(
            catalog,
            "notat",
            [("Notat", 1, "Trondheim kommune og NTNU inviterer til møte.")],
            ruler_pipeline(PATTERNS),
        )
    return path


@pytest.fixture(scope="module")
def actors(index_dir):
    with Catalog(index_dir) as catalog:
        return {a.name: a for a in list_actors(catalog)}


def find(actors, form: str):
    hits = [a for a in actors.values() if form == a.name or form in a.aliases]
    assert len(hits) == 1, f"{form!r} is in {len(hits)} actors"
    return hits[0]


def test_a_name_in_a_table_is_shown_in_its_row(tmp_path):
    table = (
        "Fylke | Km veg | Tunneler\nRogaland | 1 200 | 14\nAgder | 980 | 9\nVestland | 2 300 | 41"
    )
    with Catalog(tmp_path / "idx") as catalog:
        counties = ruler_pipeline({"GPE": ["Rogaland", "Agder", "Vestland"]})
        text = "Tunnelene i Rogaland og Agder er eldre enn i Vestland."
        put(catalog, "tabell", [("Fylker", 1, table), ("Fylker", 1, text)], counties)
        found = {a.name: a for a in list_actors(catalog)}
    # the table's row, not the whole table read as one sentence
    assert found["Rogaland"].example.context == "Rogaland | 1 200 | 14"


def test_health_trust_written_three_ways_is_one_actor(actors):
    trust = find(actors, "Vestre Viken HF")
    assert {"Vestre Viken", "Helseforetaket Vestre Viken"} <= {trust.name, *trust.aliases}
    assert trust.mentions == 4
    assert trust.type == "helseforetak/sykehus"
    assert trust.label == "ORG"


def test_genitive_merges_but_municipality_and_place_stay_apart(actors):
    kommune = find(actors, "Trondheim kommune")
    assert kommune.name == "Trondheim kommune"
    assert "Trondheim kommunes" in kommune.aliases
    assert kommune.mentions == 3 and len(kommune.documents) == 2
    assert kommune.type == "kommune"
    place = find(actors, "Trondheim")
    assert place is not kommune and place.label == "GPE" and place.type is None


def test_long_name_with_abbreviation_teaches_the_abbreviation(actors):
    ntnu = find(actors, "NTNU")
    assert "Norges teknisk-naturvitenskapelige universitet" in {ntnu.name, *ntnu.aliases}
    assert ntnu.mentions == 4
    assert ntnu.type == "universitet/høgskole"
    fhi = find(actors, "FHI")  # "ABBR (Long Name)" works the other way round
    assert "Folkehelseinstituttet" in {fhi.name, *fhi.aliases}


def test_short_definite_form_joins_its_only_longer_name(actors):
    forening = find(actors, "Næringsforeningen")
    assert "Næringsforeningen i Bergen" in {forening.name, *forening.aliases}
    assert find(actors, "Bergen kommune") is not forening


def test_long_form_before_a_bracketed_abbreviation_becomes_an_alias(actors):
    vopa = find(actors, "VOPA")
    assert "Voksenpsykiatrisk avdeling" in vopa.aliases
    assert vopa.type == "helseforetak/sykehus"


def test_surname_joins_the_only_full_name_and_a_typing_slip_joins_its_name(actors):
    porter = find(actors, "Porter")
    # named as introduced, though the surname alone is the more frequent form
    assert porter.name == "Michael Porter" and porter.mentions == 3
    commission = find(actors, "Helsepersonellkommisjonen")
    assert "Helsepersonellkommissjonen" in {commission.name, *commission.aliases}


def test_a_place_name_one_letter_apart_is_a_slip_unless_one_sentence_names_both(actors):
    river = find(actors, "Storeelva")
    assert "Storelva" in {river.name, *river.aliases} and river.mentions == 2
    # two towns spelt alike, named side by side, stay two towns
    assert find(actors, "Kristiansand") is not find(actors, "Kristiansund")
    assert find(actors, "Kristiansund").mentions == 2


def test_a_glossary_line_teaches_an_abbreviation_its_long_form(actors):
    def forms(actor):
        return {actor.name, *actor.aliases}

    assert "Nordre Kyst Vannverk" in forms(find(actors, "NKV"))  # both tagged: merged
    assert "Søndre Kyst Transportråd" in forms(find(actors, "SKT"))  # spelt by initials
    # letters inside a compound spell it too, when the long form is itself a name found
    assert "Havnevesenets samarbeidsforum" in forms(find(actors, "HVS"))
    # a colon after an abbreviation that the next words do not spell, or a table row whose
    # next cell names another actor spelling it: two actors
    assert find(actors, "EU") is not find(actors, "Europakommisjonen")
    assert find(actors, "EU") is not find(actors, "Europarådet")


def test_coordinated_places_are_two_places(actors):
    assert find(actors, "Asker").label == find(actors, "Bærum").label == "GPE"
    assert not [a for a in actors.values() if "og" in a.name.split()]


def test_capital_that_only_opens_a_sentence_is_no_name(actors):
    assert not [a for a in actors.values() if a.name == "Analysen"]
    assert find(actors, "Regjeringen").type == "departement/direktorat/etat"


def test_one_word_person_seen_once_is_left_out(actors):
    assert not [a for a in actors.values() if a.name == "Legeårsverk"]


def test_case_and_hyphen_variants_merge(actors):
    group = find(actors, "Helsefellesskapet Vest-Viken")
    assert "HELSEFELLESSKAPET VEST VIKEN" in {group.name, *group.aliases}
    assert group.type == "klynge/nettverk"


def test_pages_sections_and_example_citation(actors):
    trust = find(actors, "Vestre Viken HF")
    assert list(trust.pages.values()) == [[1, 3, 4]]
    ex = trust.example
    assert ex is not None and "Vestre Viken HF samarbeider" in ex.context
    assert ex.page == 1 and ex.section == "Samarbeid"
    assert "p. 1" in ex.citation


def test_initiative_and_person_are_listed(actors):
    assert find(actors, "Fjordløftet").label == "INITIATIVE"
    assert find(actors, "Kari Nordmann").label == "PER"


def test_filters_and_order(index_dir):
    with Catalog(index_dir) as catalog:
        everything = list_actors(catalog)
        counts = [a.mentions for a in everything]
        assert counts == sorted(counts, reverse=True)
        orgs = list_actors(catalog, label="ORG")
        assert orgs and all(a.label == "ORG" for a in orgs)
        kommuner = list_actors(catalog, org_type="kommune")
        assert {a.name for a in kommuner} == {"Trondheim kommune", "Bergen kommune"}
        frequent = list_actors(catalog, min_mentions=3)
        assert frequent and all(a.mentions >= 3 for a in frequent)
        notat = catalog.resolve("notat").id
        only = list_actors(catalog, doc_ids=[notat])
        assert {a.name for a in only} == {"Trondheim kommune", "NTNU"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Viken fylkeskommune", "fylkeskommune"),
        ("Lier kommune", "kommune"),
        ("Sykehuset i Vestfold HF", "helseforetak/sykehus"),
        ("Universitetet i Bergen", "universitet/høgskole"),
        ("Høgskulen på Vestlandet", "universitet/høgskole"),
        ("Norsk institutt for vannforskning", "forskningsinstitutt"),
        ("Acme Robotikk AS", "bedrift"),
        ("Oslo Cancer Cluster", "klynge/nettverk"),
        ("Helse- og omsorgsdepartementet", "departement/direktorat/etat"),
        ("Helsedirektoratet", "departement/direktorat/etat"),
        ("OECD", "internasjonal organisasjon"),
        ("Verdens helseorganisasjon", "internasjonal organisasjon"),
        ("Blåkors", "annet"),
    ],
)
def test_org_type_from_name(name, expected):
    assert org_type(name) == expected


def test_org_type_from_context_when_the_name_says_nothing():
    contexts = ["Selskapet Fjordtek leverer sensorer.", "Fjordtek er en bedrift i vekst."]
    assert org_type("Fjordtek", contexts=contexts) == "bedrift"


def test_normalise_ignores_case_dashes_and_legal_form():
    assert normalise("Helse Sør- Øst RHF") == normalise("helse sør–øst")
    assert normalise("Drammen Helsepark AS") == normalise("Drammen helsepark")
    assert normalise("Trondheim kommune") != normalise("Trondheim")


def test_shipped_pipeline_finds_actors_at_ingest(tmp_path):
    text = (
        "Ordfører Kari Hansen i Bergen kommune møtte representanter fra Equinor og "
        "Universitetet i Bergen. Møtet fant sted i Oslo, og Helseplattformen ble diskutert."
    )
    with Catalog(tmp_path / "idx") as catalog:
        put(catalog, "møte", [("Møte", 1, text)])
        found = list_actors(catalog)
    labels = {a.label for a in found}
    assert {"PER", "ORG", "GPE", "INITIATIVE"} <= labels
    assert any(a.name == "Bergen kommune" and a.type == "kommune" for a in found)
    assert any(a.name == "Helseplattformen" and a.label == "INITIATIVE" for a in found)


# ---------------------------------------------------------------- CLI

runner = CliRunner()


def test_cli_json_has_the_contract_fields(index_dir):
    result = runner.invoke(app, ["actors", "--index", str(index_dir), "--format", "json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    assert items and all(
        {"name", "label", "type", "aliases", "mentions", "documents", "pages"} <= set(i)
        for i in items
    )
    assert items[0]["mentions"] >= items[-1]["mentions"]


def test_cli_csv_filters_by_label_and_type(index_dir):
    args = ["actors", "--index", str(index_dir), "--format", "csv", "--type", "kommune"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {r["name"] for r in rows} == {"Trondheim kommune", "Bergen kommune"}
    assert all(r["label"] == "ORG" and r["citation"] for r in rows)
    people = runner.invoke(
        app, ["actors", "--index", str(index_dir), "--format", "csv", "--label", "PER"]
    )
    assert [r["name"] for r in csv.DictReader(io.StringIO(people.output))] == [
        "Michael Porter",
        "Kari Nordmann",
    ]


def test_cli_graphml_is_a_weighted_cooccurrence_network(index_dir, tmp_path):
    out = tmp_path / "actors.graphml"
    args = ["actors", "--index", str(index_dir), "--format", "graphml", "--output", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(out)
    names = {}
    for node, data in graph.nodes(data=True):
        for form in [data["name"], *data["aliases"].split("; ")]:
            names[form] = node
    trust, kommune = names["Vestre Viken HF"], names["Trondheim kommune"]
    # they share the first section's chunk in the report only
    assert graph.edges[trust, kommune]["weight"] == 1
    ntnu = names["NTNU"]
    assert graph.edges[kommune, ntnu]["weight"] == 2  # report chunk and notat chunk
    assert not graph.has_edge(names["Kari Nordmann"], ntnu)
    gexf = runner.invoke(app, ["actors", "--index", str(index_dir), "--format", "gexf"])
    assert gexf.exit_code == 0 and "<gexf" in gexf.output


def test_cli_table_and_bad_input(index_dir, tmp_path):
    table = runner.invoke(app, ["actors", "--index", str(index_dir), "--min-mentions", "3"])
    assert table.exit_code == 0 and "NTNU" in table.output and "Vestre" in table.output
    missing = runner.invoke(app, ["actors", "--index", str(index_dir), "--doc", "nope"])
    assert missing.exit_code == 2 and "nope" in missing.output
    bad = runner.invoke(app, ["actors", "--index", str(index_dir), "--label", "FOO"])
    assert bad.exit_code == 2 and "FOO" in bad.output
    area = runner.invoke(app, ["actors", "--index", str(index_dir), "--area", "NOPE"])
    assert area.exit_code == 2 and "NOPE" in area.output
    empty = runner.invoke(app, ["actors", "--index", str(tmp_path / "none")])
    assert empty.exit_code == 1 and "no index" in " ".join(empty.output.split())


@pytest.mark.parametrize(("width", "last"), [(80, "pages"), (120, "aliases"), (200, "(citation)")])
def test_cli_table_fits_the_terminal(index_dir, monkeypatch, width: int, last: str):
    monkeypatch.setattr(console, "width", width)
    out = runner.invoke(app, ["actors", "--index", str(index_dir)]).output
    lines = out.splitlines()
    assert lines and all(len(line) <= width for line in lines)
    header = next(line for line in lines if "name" in line)
    # a narrow terminal leaves out the example, and narrower still the aliases, rather than
    # cut any column off at the edge
    assert header.strip(" ┃").split()[-1] == last
    assert ("example (citation)" in out) is (last == "(citation)")
    assert "Vestre" in out and "NTNU" in out
    # no name is cut inside a word: every word of each name stands whole on some line
    every = json.loads(
        runner.invoke(app, ["actors", "--index", str(index_dir), "--format", "json"]).output
    )
    words = {w.strip("│┃") for line in lines for w in line.split()}
    assert all(set(a["name"].split()) <= words for a in every)
    # nor a type inside a word: it breaks after a slash ("universitet/", "høgskole") if at all
    pieces = {p for w in words for p in w.replace("/", "/ ").split()}
    types = {p for a in every for p in (a["type"] or "").replace("/", "/ ").split()}
    assert any("/" in t for t in types) and types <= pieces, types - pieces


def test_ingest_stores_mentions_and_the_cli_lists_them(notes, tmp_path):
    from policyminer.ingest import ingest_paths

    index = tmp_path / "idx"
    report = ingest_paths([notes], index)
    assert report.exit_code == 0
    with Catalog(index) as catalog:
        rows = catalog.db.execute("SELECT label, text, page, section FROM mentions").fetchall()
    assert rows and all(r["page"] >= 1 for r in rows)
    assert any(r["text"] == "Trondheim kommune" and r["section"] for r in rows)
    result = runner.invoke(app, ["actors", "--index", str(index), "--format", "json"])
    assert result.exit_code == 0, result.output
    by_name = {a["name"]: a for a in json.loads(result.output)}
    assert by_name["Trondheim kommune"]["type"] == "kommune"
    assert by_name["NTNU"]["label"] == "ORG"


# ---------------------------------------------------------------- precision rules

# A made-up report with the noise real reports give the NER: table rows whose cells the text
# parser ran together, author-year citations, source notes, abbreviations of concepts and
# words capitalised only because they open a sentence.
NOISY = [
    (
        "Innledning",
        1,
        "Drammen kommune og Vestre Viken samarbeider. Asker, Bærum og Lier deltar også. "
        "Vi takker Norlandia Health & Care Group og Oslo Cancer Cluster.",
    ),
    (
        "Innledning",
        1,
        "Helsedirektoratet har ansvaret. Helsedirektoratets Innbyggerundersøkelse viser vekst. "
        "OECDs analyser viser det samme.",
    ),
    ("Metode", 2, "Effektiviseringspotensialet er betydelig. Del av offentlig institusjon."),
    (
        "Metode",
        2,
        "Forskningen er klinisk (Hansen, Heyn, & Berg, 2021). Legetettheten er høy (OECD, "
        "2023a). Produktiviteten må øke (Rambøll og Menon Economics, 2022).",
    ),
    (
        "Metode",
        2,
        "Tilbudet i kommunene omfatter også tverrfaglig spesialisert rusbehandling (TSB) og "
        "studier ved "
        "Universitetet i Sørøst-Norge (USN).",
    ),
    (
        "Vedlegg",
        3,
        "Person Virksomhet Anders Debes Vestre Viken Willy Holdahl Drammen kommune "
        "Trude Andresen Drammen kommune",
    ),
    ("Vedlegg", 3, "Kommune Asker Bærum Lier Innbyggere 100 200 300"),
    ("Figur", 3, "Kilde: SSB. Bearbeidet av Menon Economics."),
    ("Prosjekter", 4, "Kommunen deltar i NetZeroCities-prosjektet."),
    (
        "Partnere",
        4,
        "Vi besøkte Norway, og Health var tema. Vi samarbeider med Norway Health Tech.",
    ),
    (
        "Historie",
        4,
        "Byen Drammen har lange tradisjoner. Mange flytter til Drammen, og byen vokser.",
    ),
]
NOISY_PATTERNS = {
    "ORG": [
        "Drammen kommune",
        "Vestre Viken",
        "Norlandia Health",
        "Cancer Cluster",
        "Helsedirektoratet",
        "Helsedirektoratets",
        "Helsedirektoratets Innbyggerundersøkelse",
        "OECD",
        "OECDs",
        "Effektiviseringspotensialet",
        "Del av offentlig institusjon",
        "Heyn",
        "Rambøll",
        "Menon Economics",
        "TSB",
        "Universitetet i Sørøst-Norge",
        "USN",
        "Drammen kommune Trude Andresen Drammen",
        "Bearbeidet av Menon Economics",
        "Norway Health Tech",
    ],
    "GPE_LOC": [
        *("Asker", "Bærum", "Lier", "Oslo", "Asker Bærum Lier", "Drammen", "Byen Drammen"),
        "Norway",
    ],
    "PER": ["Care Group", "Anders Debes Vestre Viken", "Willy Holdahl", "Health"],
    "INITIATIVE": ["NetZeroCities-prosjektet"],
}


@pytest.fixture(scope="module")
def noisy(tmp_path_factory):
    nlp = spacy.blank("nb")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [{"label": lab, "pattern": p} for lab, ps in NOISY_PATTERNS.items() for p in ps]
    )
    with Catalog(tmp_path_factory.mktemp("noisy") / "idx") as catalog:
        put(catalog, "støy", NOISY, nlp)
        return {a.name: a for a in list_actors(catalog)}


def test_table_row_run_together_gives_its_names_not_one_long_name(noisy):
    for run in ("Trude Andresen Drammen", "Anders Debes Vestre Viken", "Asker Bærum"):
        assert not [a for a in noisy.values() if run in a.name], run
    assert find(noisy, "Drammen kommune").mentions == 2  # in the text and in the row
    assert find(noisy, "Vestre Viken").mentions == 2  # the trust after the informant
    assert find(noisy, "Anders Debes").label == "PER"
    assert find(noisy, "Lier").mentions == 2 and find(noisy, "Asker").label == "GPE"


def test_name_the_ner_cut_in_two_is_put_together(noisy):
    assert find(noisy, "Norlandia Health & Care Group").label == "ORG"
    assert find(noisy, "Oslo Cancer Cluster").type == "klynge/nettverk"
    assert "Care Group" not in noisy and "Cancer Cluster" not in noisy


def test_names_only_in_citations_and_source_notes_are_left_out(noisy):
    for cited in ("Heyn", "Rambøll", "Menon Economics", "Bearbeidet av Menon Economics"):
        assert not [a for a in noisy.values() if cited in (a.name, *a.aliases)], cited
    # a source the text also names outside brackets is an actor
    assert find(noisy, "OECD").mentions >= 2


def test_abbreviation_of_a_lower_case_concept_is_no_actor(noisy):
    assert "TSB" not in noisy
    assert "Universitetet i Sørøst-Norge" in {find(noisy, "USN").name, *find(noisy, "USN").aliases}


def test_sentence_opening_words_and_phrases_are_no_names(noisy):
    assert "Effektiviseringspotensialet" not in noisy
    assert "Del av offentlig institusjon" not in noisy
    # a state body keeps its capital even when it only opens sentences
    assert find(noisy, "Helsedirektoratet").mentions == 2


def test_report_owned_by_an_organisation_counts_for_the_organisation(noisy):
    assert not [a for a in noisy.values() if "Innbyggerundersøkelse" in a.name]


def test_common_word_before_a_name_is_no_part_of_it(noisy):
    assert "Byen Drammen" not in noisy
    assert find(noisy, "Drammen").mentions == 2


def test_project_compound_names_the_project(noisy):
    assert find(noisy, "NetZeroCities").label == "INITIATIVE"


def test_name_made_of_words_tagged_alone_elsewhere_stays_whole(noisy):
    assert find(noisy, "Norway Health Tech").label == "ORG"


def test_cli_top_lists_only_the_most_mentioned(index_dir):
    every = json.loads(
        runner.invoke(app, ["actors", "--index", str(index_dir), "--format", "json"]).output
    )
    args = ["actors", "--index", str(index_dir), "--format", "json", "--top", "2"]
    top = json.loads(runner.invoke(app, args).output)
    assert len(every) > 2 and top == every[:2]
    table = runner.invoke(app, ["actors", "--index", str(index_dir), "-n", "2"])
    assert table.exit_code == 0 and every[0]["name"] in table.output
    assert every[2]["name"] not in table.output and "--top 0" in table.output
