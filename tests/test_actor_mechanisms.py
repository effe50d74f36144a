"""General mechanisms of the actor list, each on text written for the test (invented names)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rulers import ruler_pipeline

import policyminer.enrich.ner  # noqa: F401  (registers the initiative component)
from policyminer.enrich.actors import list_actors, mention_writer
from policyminer.enrich.orgtypes import typed
from policyminer.index.chunking import body_text, make_chunks
from policyminer.records import Paragraph, ParsedDocument
from policyminer.store.catalog import Catalog

PARAGRAPHS = [
    # a full name with its abbreviation, then the short definite form of its head noun
    "Norges havforskningsråd (NHR) fordeler midler til kystforskning. "
    "Havforskningsrådet lyser ut nye midler i år, og NHR følger opp.",
    "Tildelingen fra Havforskningsrådet kom i mars.",
    # a consultancy the NER reads as a person when its first word stands alone
    "Analysen er laget av Vika Analyse for fylket. Vika anbefaler tre tiltak, "
    "og Vika mener at kommunene må samarbeide.",
    # a surname that is also the first word of no organisation stays a person
    "Forskeren Eva Lunde leder arbeidet, og Lunde har skrevet rapporten.",
    # a list the NER took as one name
    "Ressursgruppen besto av Per Lia (HVN), Kari Holm (Fjordforskning), Ola Berge.",
    # English table text: common-noun phrases are no organisations, a real name is
    "The survey covered Public transport and Cycling in the region. "
    "Penetration of electric cars was measured by the Nordic Mobility Institute.",
    # letter-spaced capitals from a PDF, an abbreviation whose long form is tagged elsewhere
    "Kystvaktens sikkerhetstjeneste (K S T) samarbeider med politiet. K ST rapporterer årlig.",
    "KYSTVAKTENS SIKKERHETSTJENESTE har kontor i Fjordvik. Foredraget handlet om Navigation.",
    # laws and white papers in lower case, one also with a capital
    "Oppdretterne må følge havbruksloven, og kystmeldingen kom i fjor. "
    "Havbruksloven ble endret i 2024.",
    # an official name in sentence case, its first word common in lower case; an abbreviation
    # that spells the English name
    "Nasjonalt kystvernsenter (NCPC) åpnet i fjor. Senteret har et nasjonalt ansvar, og "
    "NCPC varsler nasjonale etater. Nasjonalt kystvernsenter ligger i Fjordvik.",
    # a sentence-case phrase that is no name
    "Nasjonalt arbeid med kystvern er viktig.",
    # a signature with the role after the name
    "Med hilsen Kari Vatne Avdelingsdirektør Kystvernsenteret",
    # a term in quotes in a heading, then in lower case in the text; guidance titles in a list
    "«Smarte havner» og sensorer",
    "Begrepet «smarte havner» brukes om havner med mange sensorer. Senteret har laget råd:",
    "Retningslinjer for IKT-sikring Retningslinjer for fysisk sikring (kommer i 2025) "
    "Retningslinjer for beredskap er under arbeid.",
    # a short form the NER does not tag, defined in brackets and used again
    "I år følger Kystetterretningen (K-tjenesten) fartøyene. Rapporten fra K-tjenesten kom i mai, "
    "og K-tjenestens vurdering er klar.",
    # a technology with an English name and its abbreviation
    "Fartøyene bruker Global Fishing Tracking System (GFTS). GFTS sender posisjoner.",
    # an institution in the definite form, whose noun is also used in lower case
    "Angrepet rammet blant annet Havvakten og havnene. Den svenske havvakten og "
    "havvakten i Danmark var ikke berørt.",
    # the government and parliament in lower case, untagged
    "I fjor la regjeringen fram en plan, og Stortinget vedtok den. Da regjeringens plan kom, "
    "var havnene klare.",
    # a person known by surname, once, in running text; a capitalised cell read as a person
    "Avtalen kom i stand etter at Lindqvist besøkte havnen.",
    "Havner Sensorpunkt 12",
    # a genitive after a legal form, and a typed footnote mark after a place
    "Tallene kommer fra Nordlaks Havbruk AS. Nordlaks Havbruk AS's styre har vedtatt planen "
    "for Skjærvik.⁷",
    # newspapers and journals are sources
    "Saken sto i Fjordavisen og i Nordic Fishing Journal, og Journal of Coastal Studies "
    "omtalte Havlaget.",
    # an acronym for a lower-case system an organisation runs, and one for a concept
    "Havnene melder avvik i vårt meldesystem for havneanlegg (MHA). I tillegg gjelder "
    "felles krav til sikring (FKS).",
    # an owner in the genitive before a programme's name; the programme named alone too
    "Fjordland har mange havner. Forskeren var knyttet til Fjordlands Golden Minds Program "
    "i fem år, og Golden Minds Program rekrutterer fortsatt.",
    # guidance by its publisher, named again with what it covers after "for"
    "Rederiene følger Havtilsynets designprinsipper. Havtilsynets designprinsipper for "
    "kaianlegg gir et felles grunnlag.",
    # an acronym defined in a heading after a question, then at a sentence start
    "Hva er felles havnefunksjoner (FHF)?",
    "Felles havnefunksjoner (FHF) er definert i loven, og FHF omfatter kaiene.",
    # an acronym spelled out in lower case after it; a topic in brackets is no long form
    "Bildene går til KSS (kystens sikringssentral) straks. Blant gruppene er HAVK (havklima) "
    "og TORSK (fiskehelse), og HAVK publiserer mye.",
    # an official name opening its sentence, defined by an acronym
    "Senter for kystteknologi (SKT) ble etablert i 2020, og SKT har ti ansatte.",
    # acronyms in the plural name classes of things; a concept acronym in the genitive
    "Midlene går til SMBer og NGOene i regionen, og IKTs rolle for havnene øker.",
    # a place's "community" is a description, the organisation in it a name
    "Nordvikmiljøet samarbeider tett med Havlaget og Fjordlab-miljøene.",
    # a name defined as a kind of initiative; a common noun so defined is none
    "Havbris er et forskningsprogram for havnene. Fylket deltar i Havbris i år. "
    "Målet er en strategi for alle, og målet nås i 2030.",
    # countries given as examples in brackets after a lower-case phrase
    "Planen bygger på standarder fra andre land (FSN, UKR) og fra Norden.",
]

PATTERNS = {
    "ORG": [
        "Norges havforskningsråd",
        "NHR",
        "Havforskningsrådet",
        "Vika Analyse",
        "Per Lia (HVN), Kari Holm (Fjordforskning), Ola Berge",
        "Public transport",
        "Cycling",
        "Penetration",
        "Nordic Mobility Institute",
        "K S T",
        "K ST",
        "KYSTVAKTENS SIKKERHETSTJENESTE",
        "Navigation",
        "Nasjonalt kystvernsenter",
        "NCPC",
        "Nasjonalt arbeid",
        "Kystetterretningen",
        "Global Fishing Tracking System",
        "GFTS",
        "Havvakten",
        "Nordlaks Havbruk AS",
        "Nordlaks Havbruk AS's",
        "Fjordavisen",
        "Nordic Fishing Journal",
        "Journal of Coastal Studies",
        "Havlaget",
        "MHA",
        "FKS",
        "FHF",
        "KSS",
        "HAVK",
        "TORSK",
        "SKT",
        "Senter for kystteknologi",
        "SMBer",
        "NGOene",
        "Nordvikmiljøet",
        "Fjordlab-miljøene",
        "IKTs",
    ],
    "GPE_ORG": ["FSN", "UKR"],
    "PER": [
        "Vika",
        "Eva Lunde",
        "Lunde",
        "Kari Vatne Avdelingsdirektør",
        "Lindqvist",
        "Sensorpunkt",
    ],
    "GPE_LOC": ["Fjordvik", "Skjærvik.⁷", "Fjordland"],
}


def actors_of(folder: Path, texts: list[str], patterns: dict[str, list[str]]):
    """The actor list of a one-page document of these paragraphs, entities found by patterns."""
    paras = [Paragraph(page=1, text=t, section="Del", section_path=("Del",)) for t in texts]
    parsed = ParsedDocument(folder / "doc.md", "doc", "Doc", None, 2024, 1, paras, "md")
    body = body_text(paras)
    chunks = make_chunks(paras, body)
    with Catalog(folder / "idx") as catalog:
        writer = mention_writer(chunks, ruler_pipeline(patterns))
        catalog.put_document(parsed, body.offsets, chunks, derived=[writer])
        return list_actors(catalog)


@pytest.fixture(scope="module")
def actors(tmp_path_factory):
    return actors_of(tmp_path_factory.mktemp("mech"), PARAGRAPHS, PATTERNS)


def names_of(actors) -> set[str]:
    """Every name and alias the list shows."""
    return {n for a in actors for n in (a.name, *a.aliases)}


def named(actors, form: str):
    hits = [a for a in actors if form == a.name or form in a.aliases]
    assert len(hits) == 1, (form, [(a.name, a.aliases) for a in actors])
    return hits[0]


def test_definite_head_noun_joins_the_only_longer_name(actors):
    council = named(actors, "Norges havforskningsråd")
    assert {"Havforskningsrådet", "NHR"} <= {council.name, *council.aliases}
    assert council.mentions == 5


def test_first_word_read_as_person_is_the_organisation(actors):
    firm = named(actors, "Vika Analyse")
    assert "Vika" in {firm.name, *firm.aliases}
    assert firm.label == "ORG" and firm.mentions == 3


def test_surname_stays_with_its_person(actors):
    person = named(actors, "Eva Lunde")
    assert person.label == "PER" and "Lunde" in person.aliases


def test_a_list_in_one_span_gives_its_items(actors):
    names = {a.name for a in actors} | {x for a in actors for x in a.aliases}
    assert not any("," in n or "(" in n or ")" in n for n in names)
    assert {"Per Lia", "Kari Holm"} <= names


def test_english_common_noun_phrases_are_no_organisations(actors):
    names = {a.name for a in actors}
    assert not names & {"Public transport", "Cycling", "Penetration"}
    assert named(actors, "Nordic Mobility Institute").label == "ORG"


def test_letter_spaced_abbreviation_and_capitals_join_their_actor(actors):
    service = named(actors, "KST")
    forms = {service.name, *service.aliases}
    assert {"KYSTVAKTENS SIKKERHETSTJENESTE", "Kystvaktens sikkerhetstjeneste"} <= forms
    assert service.mentions == 3


def test_one_english_noun_is_no_organisation(actors):
    assert "Navigation" not in {a.name for a in actors}


def test_lower_case_law_and_white_paper_are_initiatives(actors):
    law = named(actors, "Havbruksloven")
    assert law.label == "INITIATIVE" and "havbruksloven" in law.aliases and law.mentions == 2
    assert named(actors, "kystmeldingen").label == "INITIATIVE"


def test_official_name_in_sentence_case_is_kept_and_joins_its_abbreviation(actors):
    centre = named(actors, "Nasjonalt kystvernsenter")
    assert "NCPC" in {centre.name, *centre.aliases} and centre.mentions == 4
    assert "Nasjonalt arbeid" not in {a.name for a in actors}


def test_role_after_a_signature_name_is_no_part_of_it(actors):
    assert named(actors, "Kari Vatne").label == "PER"


def test_quoted_term_written_in_lower_case_is_no_initiative(actors):
    names = {n.casefold() for a in actors for n in (a.name, *a.aliases)}
    assert "smarte havner" not in names


def test_guidance_titles_in_a_run_together_list_are_initiatives(actors):
    for title in (
        "Retningslinjer for IKT-sikring",
        "Retningslinjer for fysisk sikring",
        "Retningslinjer for beredskap",
    ):
        assert named(actors, title).label == "INITIATIVE"


def test_short_form_defined_in_brackets_is_found_wherever_it_is_used(actors):
    service = named(actors, "Kystetterretningen")
    assert {"K-tjenesten", "K-tjenestens"} <= {service.name, *service.aliases}
    assert service.mentions == 4


def test_technology_named_in_english_is_no_actor(actors):
    names = names_of(actors)
    assert not names & {"GFTS", "Global Fishing Tracking System"}


def test_institution_in_the_definite_form_capitalised_inside_a_sentence(actors):
    assert named(actors, "Havvakten").label == "ORG"


def test_government_and_parliament_in_lower_case_are_organisations(actors):
    government = named(actors, "regjeringen")
    assert government.label == "ORG" and government.mentions == 2
    assert named(actors, "Stortinget").label == "ORG"


def test_surname_seen_once_counts_in_running_text_only(actors):
    assert named(actors, "Lindqvist").label == "PER"
    assert "Sensorpunkt" not in {a.name for a in actors}


def test_genitive_after_a_legal_form_and_a_typed_footnote_mark(actors):
    firm = named(actors, "Nordlaks Havbruk AS")
    assert firm.mentions == 2
    assert named(actors, "Skjærvik").label == "GPE"


def test_newspapers_and_journals_are_no_actors(actors):
    names = {a.name for a in actors}
    assert not names & {"Fjordavisen", "Nordic Fishing Journal", "Journal of Coastal Studies"}
    assert named(actors, "Havlaget").label == "ORG"


def test_acronym_of_a_lower_case_system_is_an_initiative_of_a_concept_no_actor(actors):
    assert named(actors, "MHA").label == "INITIATIVE"
    assert "FKS" not in {a.name for a in actors}


def test_an_owner_in_the_genitive_is_no_part_of_an_initiative_name(actors):
    programme = named(actors, "Golden Minds Program")
    assert programme.label == "INITIATIVE" and programme.mentions == 2
    assert not any(a.name.startswith("Fjordlands") for a in actors)


def test_guidance_named_by_its_publisher_keeps_the_owner_and_one_name(actors):
    guide = named(actors, "Havtilsynets designprinsipper")
    assert guide.label == "INITIATIVE" and guide.mentions == 2


def test_acronyms_spelled_out_as_common_nouns_are_no_actors(actors):
    names = names_of(actors)
    assert not names & {"FHF", "KSS"}
    # a topic in brackets is no long form, and a name opening its sentence stays a name
    assert named(actors, "HAVK").label == "ORG"
    assert named(actors, "SKT").label == "ORG"
    # countries listed in brackets as examples are no abbreviations of the phrase before
    assert named(actors, "FSN").label == "GPE" and named(actors, "UKR").label == "GPE"


def test_acronyms_in_the_plural_and_concepts_in_the_genitive_are_no_actors(actors):
    names = names_of(actors)
    assert not names & {"SMBer", "NGOene", "IKTs"}


def test_a_community_in_a_place_is_no_organisation(actors):
    names = names_of(actors)
    assert not names & {"Nordvikmiljøet", "Fjordlab-miljøene"}
    assert named(actors, "Havlaget").mentions == 2


def test_a_name_defined_as_a_programme_is_an_initiative(actors):
    assert named(actors, "Havbris").label == "INITIATIVE"
    assert "Målet" not in {a.name for a in actors}


def test_names_only_in_a_notes_section_are_left_out(tmp_path):
    paras = [
        Paragraph(page=page, text=text, section=section, section_path=(section,))
        for page, section, text in (
            (1, "Funn", "Havtilsynet fører tilsyn med anleggene."),
            (9, "Fotnoter", "3 Rapport fra Kystlaget 2019, s. 4."),
            (9, "Sluttnoter", "4 Havtilsynet, årsrapport."),
        )
    ]
    parsed = ParsedDocument(Path("/tmp/notes.md"), "notes", "Notes", None, 2024, 9, paras, "md")
    body = body_text(paras)
    chunks = make_chunks(paras, body)
    pipeline = ruler_pipeline({"ORG": ["Havtilsynet", "Kystlaget"]})
    with Catalog(tmp_path / "idx") as catalog:
        writer = mention_writer(chunks, pipeline)
        catalog.put_document(parsed, body.offsets, chunks, derived=[writer])
        found = {a.name: a.mentions for a in list_actors(catalog)}
    assert found == {"Havtilsynet": 1}


@pytest.mark.parametrize(
    ("name", "aliases", "contexts", "expected"),
    [
        ("Fjordvik kommune", (), (), ("kommune", 0.9)),
        ("Vestfjord fylkeskommune", (), (), ("fylkeskommune", 0.9)),
        ("Kystdirektoratet", (), (), ("departement/direktorat/etat", 0.9)),
        ("Havtilsynet", (), (), ("departement/direktorat/etat", 0.9)),
        ("KST", ("Nasjonal kystmyndighet",), (), ("departement/direktorat/etat", 0.8)),
        ("Nordvik Marine AS", (), (), ("bedrift", 0.9)),
        ("Fjordbygg KF", (), (), ("kommune", 0.9)),
        ("Vestkyst Renovasjon IKS", (), (), ("kommune", 0.9)),
        ("Sykehuset Fjordheim HF", (), (), ("helseforetak/sykehus", 0.9)),
        ("HVN", ("Høgskolen i Vestnes",), (), ("universitet/høgskole", 0.8)),
        ("Havklyngen", (), (), ("klynge/nettverk", 0.9)),
        ("NTUH", (), ("Studentene ved NTUH", "Professor ved NTUH"), ("universitet/høgskole", 0.6)),
        ("Lyngmo", (), ("Lyngmo kom på besøk",), ("annet", 0.3)),
    ],
)
def test_organisation_type_from_general_cues_with_confidence(name, aliases, contexts, expected):
    assert typed(name, aliases, contexts) == expected


# Batch C (issue 13, session 5): heading numbers with a letter, forms whose cells ran
# together, and legal forms the NER leaves out of a name
BATCH_C = [
    "2.4b Styrke samarbeidet om kaiene",
    "Areal: Kai- og Tomter i felt B hører til planen.",
    "Planen omfatter tomter ved havna, og tomter ved kaia selges.",
    "Forslagsstiller er Fjordbygg KF på vegne av byen. Fjordbygg har ansvaret for driften.",
    "Bussen kjører langs Nordre Havnes vei, og Nordre Havnes vei stenges i mai.",
    "Rapporten er skrevet av Eva Kari Lunde i år.",
    "Spørsmål om tallene går til Kari Lunde.",
    "Valget bygger på KVB og TLA vurderinger, og det skal gjøres KVB-beregninger. Målet er "
    "lav QFP i anlegget. HKN anbefaler tiltakene, og HKN vurderinger følger.",
]


@pytest.fixture(scope="module")
def batch_c(tmp_path_factory):
    patterns = {
        "PER": ["Styrke", "Eva Kari Lunde", "Kari Lunde"],
        "GPE_LOC": ["Kai- og Tomter", "Nordre Havnes"],
        "ORG": ["Fjordbygg", "KF", "KVB", "TLA", "QFP", "HKN"],
    }
    return actors_of(tmp_path_factory.mktemp("batchc"), BATCH_C, patterns)


def test_a_verb_opening_a_lettered_heading_is_no_name(batch_c):
    assert "Styrke" not in names_of(batch_c)


def test_run_together_form_cells_give_no_fragment_or_common_word(batch_c):
    names = names_of(batch_c)
    assert not names & {"Kai-", "Tomter", "Kai- og Tomter"}


def test_legal_form_after_a_name_joins_it_and_a_municipal_enterprise_is_municipal(batch_c):
    enterprise = named(batch_c, "Fjordbygg KF")
    assert enterprise.label == "ORG" and enterprise.type == "kommune"
    assert enterprise.mentions == 2  # the bare name later in the text is the same actor
    assert "KF" not in names_of(batch_c)


def test_lower_case_kind_noun_ends_a_street_name(batch_c):
    street = named(batch_c, "Nordre Havnes vei")
    assert street.label == "LOC" and street.mentions == 2
    assert "Nordre Havnes" not in names_of(batch_c)


def test_a_person_without_the_first_name_is_the_full_name(batch_c):
    person = named(batch_c, "Eva Kari Lunde")
    assert person.label == "PER" and "Kari Lunde" in person.aliases and person.mentions == 2


def test_acronyms_only_used_for_a_method_or_a_measure_are_no_organisations(batch_c):
    names = names_of(batch_c)
    assert not names & {"KVB", "TLA", "QFP"}
    assert named(batch_c, "HKN").label == "ORG"  # the subject of a sentence once


# batch D: mechanisms chosen on a report made mostly of tables and print-outs
BATCH_D = [
    # a region named by two places joined by "og", never written apart; two towns that are
    "Fylket Nordvik og Sørdal har lange veger. Elvik og Fjellby ligger ved kysten.",
    "Nordvik og Sørdal | 120 | 45\nElvik og Fjellby | 80 | 12",
    "Elvik har flest tunneler.",
    # two companies always named together are two
    "Kontraktene gikk til Brubygg og Vegmester. Brubygg og Vegmester har drift i fylket.",
    # variables of a formula, CamelCase or tagged as a name; a CamelCase brand in a sentence
    "Kostnad = Konstantledd + vekt * (FaktorA2)_ Fylke N",
    "FaktorA2 = hentes fra tabellen. Avviket = QRS Kvadratsum (Faktisk verdi).",
    "Fylket deltar i VegLab, som tester nye dekker.",
    # headings of a print-out in capitals, words the text uses in lower case; an acronym
    # whose letters are also a web address
    "SAMMENDRAG (UTSKRIFT)",
    "Tabellen viser et sammendrag av hver utskrift. HAVFORSK har kontor i Fjordvik, "
    "se havforsk.no eller skriv til post@havforsk.no.",
    # guides named by a series identifier, the second one only by its identifier; roads
    "Driften følger Håndbok N123 og N124, også på E18 og E39.",
    # acronyms said to stand for a common-noun phrase, and one for an organisation
    "I utskriften brukes «QK», som står for ventetiden, og «MK» som står for «Middel av "
    "målinger» "
    "er QK delt på antall. MK øker med antall. NHM står for Nasjonal havmyndighet, og NHM "
    "fører tilsyn.",
    # a common noun phrase opening a caption, written in lower case in the text; an agency
    "Tabell 3 Kostnader for Gang- og sykkelbru. Hver gang- og sykkelbru har en pris. "
    "Kystverket Sør har kontor i Havnes.",
    # filter codes of a print-out read as names; a person with an initial
    "Brukergruppe B Trinn IV Sonebredde 7 Sum 12",
    "Sonekode F Trinn",
    "Analysen er gjort av Erik W Jacobsen.",
    # a source cell with its date glued on by a slash
    "Veglengde | Vegetaten/31.12.2030",
    "Tallene kommer fra Vegetaten.",
]


@pytest.fixture(scope="module")
def batch_d(tmp_path_factory):
    patterns = {
        "GPE_LOC": ["Nordvik", "Sørdal", "Elvik og Fjellby", "Elvik", "Fjellby"],
        "ORG": [
            "Brubygg",
            "Vegmester",
            "FaktorA2",
            "QRS Kvadratsum",
            "UTSKRIFT",
            "HAVFORSK",
            "QK",
            "MK",
            "NHM",
            "Gang- og sykkelbru",
            "Kystverket Sør",
            "B Trinn IV",
            "F Trinn",
            "Vegetaten/31.12.2030",
            "Vegetaten",
        ],
        "PER": ["Erik W Jacobsen"],
    }
    return actors_of(tmp_path_factory.mktemp("batchd"), BATCH_D, patterns)


def test_two_places_only_ever_written_as_a_pair_are_one_name(batch_d):
    region = named(batch_d, "Nordvik og Sørdal")
    assert region.label == "GPE" and region.mentions == 2
    names = names_of(batch_d)
    assert not names & {"Nordvik", "Sørdal", "Elvik og Fjellby"}
    assert named(batch_d, "Elvik").mentions == 3 and named(batch_d, "Fjellby").mentions == 2
    assert named(batch_d, "Brubygg").label == named(batch_d, "Vegmester").label == "ORG"


def test_formula_variables_are_no_names(batch_d):
    names = names_of(batch_d)
    assert not names & {"FaktorA2", "QRS Kvadratsum", "QRS"}
    assert named(batch_d, "VegLab").label == "INITIATIVE"  # CamelCase brand, no lower-case twin


def test_ordinary_words_in_capitals_are_no_acronyms(batch_d):
    names = names_of(batch_d)
    assert "UTSKRIFT" not in names
    assert named(batch_d, "HAVFORSK").label == "ORG"  # its lower-case twin is only an address


def test_guides_named_by_a_series_identifier_are_initiatives(batch_d):
    assert named(batch_d, "Håndbok N123").label == "INITIATIVE"
    assert named(batch_d, "N124").label == "INITIATIVE"
    assert not {"E18", "E39"} & names_of(batch_d)


def test_acronyms_standing_for_a_common_noun_phrase_are_no_organisations(batch_d):
    assert not {"QK", "MK"} & names_of(batch_d)
    assert named(batch_d, "NHM").label == "ORG"


def test_a_phrase_also_written_in_lower_case_is_no_name(batch_d):
    assert "Gang- og sykkelbru" not in names_of(batch_d)
    assert named(batch_d, "Kystverket Sør").label == "ORG"


def test_filter_codes_of_single_letters_are_no_names(batch_d):
    assert not {"B Trinn IV", "F Trinn"} & names_of(batch_d)
    assert named(batch_d, "Erik W Jacobsen").label == "PER"


def test_a_date_glued_on_by_a_slash_is_no_part_of_the_name(batch_d):
    assert named(batch_d, "Vegetaten").mentions >= 2
    assert "Vegetaten/31.12.2030" not in names_of(batch_d)


def test_places_side_by_side_in_a_header_row_are_a_list(tmp_path):
    texts = [
        "Radetiketter Elvik Fjellby Totalsum 12 14",
        "Radetiketter Elvik Fjellby Totalsum 15 16",
        "Elvik ligger ved kysten, og Fjellby ligger i dalen. Elvik Havn har ny kai.",
    ]
    patterns = {"GPE_LOC": ["Elvik", "Fjellby"], "ORG": ["Elvik Fjellby Totalsum", "Elvik Havn"]}
    actors = actors_of(tmp_path, texts, patterns)
    names = names_of(actors)
    assert "Elvik Fjellby Totalsum" not in names
    assert named(actors, "Elvik").mentions == 3 and named(actors, "Fjellby").mentions == 3
    assert named(actors, "Elvik Havn").label == "ORG"  # one place in a name is no list


def test_an_acronym_compared_with_a_number_is_a_quantity(tmp_path):
    texts = [
        "Veglengde med QDT > 1500 (km) | 12",
        "QDT øker på vegene i sør. HVT gir ut tallene, og HVT > fylket i omfang.",
    ]
    actors = actors_of(tmp_path, texts, {"ORG": ["QDT", "HVT"]})
    assert "QDT" not in names_of(actors)
    assert named(actors, "HVT").label == "ORG"  # compared, but with no number


# batch E: general mechanisms chosen on four blind documents (invented text)


def test_area_codes_of_a_plan_are_no_names(tmp_path):
    texts = [
        "Arealformål:\n o Rekkehus – FB100 – FB104\n o Samleveg - SKX100 – SKX123\n"
        " o Gangveg - SGX\n o Grøft og skråning - SVX\n o Leikeplass – LKX",
        "Før FB102 kan bygges ut, skal SKX være opparbeidet. Innenfor FB100-FB103 gjelder "
        "plankrav, og o_SKX102 er offentlig. Gangvegen SGX går til FB104.",
        "Fjordvik kommune og Vegetaten har ansvar for SKX. Avtalen med NHM gjelder NHM2.",
    ]
    patterns = {
        "ORG": ["SKX", "SGX", "SVX", "SKX102", "Vegetaten", "NHM", "Fjordvik kommune"],
        "GPE_LOC": ["FB102", "FB100-FB103", "FB104"],
    }
    actors = actors_of(tmp_path, texts, patterns)
    names = names_of(actors)
    assert not names & {"SKX", "SGX", "SVX", "SKX102", "FB102", "FB100-FB103", "FB104"}
    assert {"Vegetaten", "NHM", "Fjordvik kommune"} <= names  # numbered once: no code family


def test_a_code_the_text_calls_a_field_is_no_name_and_a_road_of_its_letter_stays(tmp_path):
    texts = [
        "Avkjørselen fra felt QB2 er fjernet, og Feltet QB4 får ny adkomst fra E39.",
        "Overvann fra tak i delfelt o_RX7 føres til Elvetaten sitt nett. Område E2 er grønt.",
        "QB7 får samme krav som QB2. E39 og Elvetaten er berørt.",
    ]
    patterns = {
        "ORG": ["QB2", "QB7", "Elvetaten", "o_RX7"],
        "GPE_LOC": ["QB4", "E39", "E2"],
    }
    names = names_of(actors_of(tmp_path, texts, patterns))
    assert not names & {"QB2", "QB4", "QB7", "o_RX7", "E2"}
    assert {"E39", "Elvetaten"} <= names  # "område E2" makes no family of the letter E


def test_a_zoning_plan_named_by_kind_and_place_is_an_initiative(tmp_path):
    texts = [
        "OMRÅDEREGULERING FOR FJORDVIK",
        "Planen avløser Detaljregulering for Elvik nord. I forslag til områderegulering for "
        "Sørdal er det satt av plass til en skole.",
        "Ved utarbeidelse av detaljregulering for AB102 skal landskapet vurderes.",
    ]
    actors = actors_of(tmp_path, texts, {"GPE_LOC": ["Elvik", "Sørdal"]})
    assert named(actors, "OMRÅDEREGULERING FOR FJORDVIK").label == "INITIATIVE"
    assert named(actors, "Detaljregulering for Elvik nord").label == "INITIATIVE"
    names = {n.casefold() for a in actors for n in (a.name, *a.aliases)}
    assert not any("sørdal" in n and n != "sørdal" for n in names)  # described, not named
    assert not any("ab102" in n for n in names)


def test_a_guideline_named_by_its_code_after_a_reference_is_an_initiative(tmp_path):
    texts = [
        "Kaisone – indre sone iht. T-9999, KX210",
        "Bestemmelsen viser til vedlegg 3 i T-9999/21. Kontoret har nummer A-1234 på døra.",
    ]
    actors = actors_of(tmp_path, texts, {"GPE_LOC": ["Fjordvik"]})
    assert named(actors, "T-9999").label == "INITIATIVE"
    names = names_of(actors)
    assert "T-9999/21" in names and "A-1234" not in names  # no reference cue before it


def test_a_regulation_cited_by_its_lower_case_title_is_an_initiative(tmp_path):
    texts = [
        "Kaiene er sperret i henhold til forskrift om sikring av fartøy ved kai i "
        "Fjordvik. Kaiavgift jf. forskrift om havnevakt. Kommunen vurderer en forskrift om "
        "gebyrer for neste år og sender den på høring.",
    ]
    actors = actors_of(tmp_path, texts, {"GPE_LOC": ["Fjordvik"]})
    assert named(actors, "forskrift om havnevakt").label == "INITIATIVE"
    names = names_of(actors)
    assert "forskrift om sikring av fartøy ved kai i" not in names
    assert not any("gebyrer" in n for n in names)  # no reference cue: a regulation described


def test_an_acronym_set_to_a_number_or_after_a_unit_is_a_measure(tmp_path):
    texts = [
        "Tomtene kan bebygges med BYX = 40 %. Garasjen kan være inntil 50 m2 BYX.",
        "Tabell | 40 % BYX | Enebolig",
        "HVT gir ut tallene, og HVT har 40 % av markedet.",
    ]
    actors = actors_of(tmp_path, texts, {"PER": ["BYX"], "ORG": ["HVT"]})
    assert "BYX" not in names_of(actors)
    assert named(actors, "HVT").label == "ORG"  # a number after a body is no value of it


# a tagger that opens a second entity on the lower-case word of a name ("Elvik" + "kommune")


def test_a_lower_case_word_tagged_apart_continues_the_name_before_it(tmp_path):
    texts = [
        "Elvik kommune har laget en plan. Elvik kommune eier også havna.",
        "Planen gjelder hele Elvik, og kommune og fylke samarbeider om den.",
    ]
    # the ruler tags "kommune" on its own, as a tagger does when it emits B- where I- was meant
    actors = actors_of(tmp_path, texts, {"GPE_ORG": ["Elvik", "kommune"]})
    municipality = named(actors, "Elvik kommune")
    assert municipality.label == "ORG" and municipality.mentions == 2
    assert named(actors, "Elvik").label == "GPE"
    assert "kommune" not in {n.casefold() for a in actors for n in (a.name, *a.aliases)}


def test_a_unit_noun_inside_an_organisation_name_does_not_cut_it(tmp_path):
    texts = [
        "Fagmiljø: Fjordforsk Digital avdeling Havrom, Fjordforsk Digital avdeling Kystdrift.",
        "Arbeidet ledes av Fjordforsk Digital avdeling Havrom i samarbeid med kommunen.",
    ]
    patterns = {
        "ORG": ["Fjordforsk Digital avdeling Havrom", "Fjordforsk Digital avdeling Kystdrift"]
    }
    actors = actors_of(tmp_path, texts, patterns)
    names = names_of(actors)
    assert named(actors, "Fjordforsk Digital avdeling Havrom").mentions == 2
    assert "Fjordforsk Digital avdeling Kystdrift" in names
    assert not names & {"Havrom", "Kystdrift", "Fjordforsk Digital avdeling"}


def test_a_list_of_people_with_their_institutions_gives_no_long_form(tmp_path):
    texts = [
        "Fagmiljø HVN/FJF: Kari Holm (HVN), Per Lia (FJF), Eva Lunde (HVN), Ola Berge (FJF)",
        "Havforskningsverket (HVN) og Fjordforsk (FJF) leder arbeidet. HVN har kontor i Elvik.",
    ]
    patterns = {
        "ORG": ["HVN", "FJF", "Havforskningsverket", "Fjordforsk"],
        "PER": ["Kari Holm", "Per Lia", "Eva Lunde", "Ola Berge"],
    }
    actors = actors_of(tmp_path, texts, patterns)
    for short in ("HVN", "FJF"):
        # a long form never runs over brackets, a colon or a list of names
        assert not [a for a in named(actors, short).aliases if any(c in a for c in "():,")]
    assert named(actors, "Per Lia").label == "PER"


def test_capitals_in_a_run_of_labels_and_numbers_are_no_names(tmp_path):
    texts = [
        "Sum av Areal Feltverdier Rekkeoversikt 1 Nordby 1200 Sørby 300 Totalt 1500",
        "Sum av Areal Feltverdier Rekkeoversikt 2 Nordby 1100 Sørby 310 Totalt 1410",
        "Kartleggingen er gjort av Fjordlab, og Fjordlab har levert tallene til kommunene.",
        "Partnerne er Fjordlab, Havbygg og Kystnett.",
    ]
    patterns = {
        "ORG": ["Feltverdier", "Rekkeoversikt", "Fjordlab", "Havbygg", "Kystnett"],
        "GPE_LOC": ["Nordby", "Sørby"],
    }
    actors = actors_of(tmp_path, texts, patterns)
    names = names_of(actors)
    # a print-out's labels are capitalised where a name would be, but nothing around them is
    # running text
    assert not names & {"Feltverdier", "Rekkeoversikt"}
    # names in running text stay, a list of names joined by commas included
    assert named(actors, "Fjordlab").mentions == 3
    assert {"Havbygg", "Kystnett"} <= names
    # tables list places: a place keeps its capital in a run of labels
    assert named(actors, "Nordby").label == named(actors, "Sørby").label == "GPE"


def test_a_verb_opening_an_item_is_no_definite_name(tmp_path):
    texts = [
        "Kommunen skal bidra til vekst og hjelpe nye bedrifter å bidra til omstilling.",
        "Nye arenaer Bidra til at flere bedrifter deltar i utviklingen.",
        "Angrepet rammet blant annet Havvakten og havnene, og havvakten i Danmark svarte.",
    ]
    actors = actors_of(tmp_path, texts, {"ORG": ["Bidra", "Havvakten"]})
    names = names_of(actors)
    # written after the infinitive marker elsewhere: a verb, though it ends like a definite noun
    assert "Bidra" not in names
    assert named(actors, "Havvakten").label == "ORG"


def test_a_compound_common_noun_with_a_generic_head_is_no_name(tmp_path):
    texts = [
        "Kommunen vil bygge et Fjordsenter og starte et Kystprosjekt sammen med Havlaben.",
        "Havsenteret i Elvik leder arbeidet, og Havsenteret har egne forskere.",
    ]
    patterns = {"ORG": ["Fjordsenter", "Havsenteret", "Havlaben"], "INITIATIVE": ["Kystprosjekt"]}
    actors = actors_of(tmp_path, texts, patterns)
    names = names_of(actors)
    # indefinite singular of a compound with a generic head: a kind of thing
    assert not names & {"Fjordsenter", "Kystprosjekt"}
    # the definite form names one particular centre
    assert named(actors, "Havsenteret").mentions == 2


def test_the_genitive_of_a_common_noun_is_no_name(tmp_path):
    texts = [
        "Rapporten «Fiskerinæringens framtid» viser at fiskerinæringen vokser.",
        "Fiskerinæringen i nord og fiskerinæringen i sør samarbeider.",
        "Angrepet rammet Havvakten, og Havvaktens rapport kom i mai. Havvakten svarte raskt.",
    ]
    actors = actors_of(tmp_path, texts, {"ORG": ["Fiskerinæringens", "Havvaktens", "Havvakten"]})
    names = names_of(actors)
    assert "Fiskerinæringens" not in names
    # an institution's genitive stays with it
    assert named(actors, "Havvakten").mentions == 3


def test_a_derived_noun_used_as_a_label_is_no_name(tmp_path):
    texts = [
        "Kostnadene er delt i Snørydding og Strøsanding, og hver Snørydding har sin pris.",
        "Tabellen viser at snørydding koster mest, mens strøsanding er billigst.",
        "Arbeidet ble gjort av Fjordrydding, et firma i Elvik, og Fjordrydding fikk betalt.",
    ]
    patterns = {"ORG": ["Snørydding", "Strøsanding", "Fjordrydding"]}
    actors = actors_of(tmp_path, texts, patterns)
    names = names_of(actors)
    # written in lower case too: a common noun, however often it opens a label
    assert not names & {"Snørydding", "Strøsanding"}
    # a company with such an ending, never written in lower case, stays
    assert named(actors, "Fjordrydding").mentions == 2


def test_a_word_ending_in_a_is_no_definite_name_without_its_stem(tmp_path):
    texts = [
        "Vi samler Sensordata fra havna, og sensordata brukes i planleggingen.",
        "Alle sensordata lagres, og sensordata deles med forskerne.",
        "I Elvik styrer Fjordhavna trafikken, og Fjordhavna eier kaiene.",
    ]
    actors = actors_of(tmp_path, texts, {"ORG": ["Sensordata", "Fjordhavna"]})
    names = names_of(actors)
    # written in lower case more often, and never without its -a: a plain noun
    assert "Sensordata" not in names
    assert named(actors, "Fjordhavna").mentions == 2


def test_a_two_letter_name_is_listed_by_its_base_form_not_its_genitive(tmp_path):
    texts = [
        "KVs mål og KVs planer styrer arbeidet, og KVs råd møtes i mai.",
        "Kommunen samarbeider med KV om klima.",
    ]
    actors = actors_of(tmp_path, texts, {"ORG": ["KVs", "KV"]})
    un = named(actors, "KV")
    # the genitive is the more frequent form, but the list names the organisation
    assert un.name == "KV" and "KVs" in un.aliases and un.mentions == 4


def test_a_title_introduced_as_one_keeps_the_organisation_named_inside_it(tmp_path):
    texts = [
        "Fylket leder et prosjekt med tittelen 'Kystkart for små havner og Grønn Havn' i år.",
        "Prosjektet bygger på tidligere arbeid i fylket.",
    ]
    actors = actors_of(tmp_path, texts, {"ORG": ["Grønn Havn"]})
    names = names_of(actors)
    assert "Kystkart for små havner og Grønn Havn" in names
    # the name inside the title is no actor of its own
    assert "Grønn Havn" not in names


def test_an_institution_keeps_the_field_the_tagger_cut_off(tmp_path):
    texts = [
        "Arbeidet ledes av Elvik senter for kystmedisin og havhelse ved Nordby sykehus.",
        "Partnere er Nasjonal kompetansetjeneste for Havbruk og fiskehelse, Fjordlaben og"
        " Senter for marin innovasjon.",
        "Rådet for kysten samarbeider med kommunene.",
        "Styret i Havsenteret for kommunene ble valgt i mai.",
    ]
    patterns = {
        "ORG": [
            "Elvik senter",
            "Nasjonal kompetansetjeneste for Havbruk",
            "Fjordlaben",
            "Senter for marin",
            "Rådet",
            "Havsenteret",
        ]
    }
    names = names_of(actors_of(tmp_path, texts, patterns))
    assert "Elvik senter for kystmedisin og havhelse" in names
    assert "Nasjonal kompetansetjeneste for Havbruk og fiskehelse" in names
    assert "Senter for marin innovasjon" in names
    # a field ends before a verb, and a definite plural is ordinary text
    assert "Havsenteret" in names and "Havsenteret for kommunene" not in names


def test_an_acronym_set_before_the_name_it_spells_is_its_short_form(tmp_path):
    texts = [
        "Deltakere: NKM Nasjonal kystmyndighet, Elvik kommune og Fjordlaben.",
        "Rapporten ble skrevet av NKM i samarbeid med Elvik kommune.",
        "Prosjektet ledes av HVN Elvik Havn.",
    ]
    patterns = {"ORG": ["NKM Nasjonal kystmyndighet", "NKM", "Elvik kommune", "HVN Elvik Havn"]}
    actors = actors_of(tmp_path, texts, patterns)
    agency = named(actors, "Nasjonal kystmyndighet")
    assert "NKM" in {agency.name, *agency.aliases} and agency.mentions == 2
    assert "NKM Nasjonal kystmyndighet" not in names_of(actors)
    # letters that do not spell the name stay part of it
    assert "HVN Elvik Havn" in names_of(actors)


def test_a_place_with_the_noun_for_town_is_that_place(tmp_path):
    texts = [
        "Elvik by vokser, og Elvik har fått ny havn.",
        "Elvik kommune eier havna i Elvik.",
    ]
    patterns = {"GPE": ["Elvik by", "Elvik"], "ORG": ["Elvik kommune"]}
    actors = actors_of(tmp_path, texts, patterns)
    town = named(actors, "Elvik")
    assert "Elvik by" in town.aliases and town.mentions == 3
    # the municipality is an organisation of its own
    assert named(actors, "Elvik kommune") is not town


@pytest.mark.parametrize(
    ("name", "contexts", "expected"),
    [
        # the noun a list stands under types each of its names, though most mentions say nothing
        (
            "Havbris",
            [
                "Viktige næringsaktører: Fjordtek, Havbris, Nordlys.",
                "Havbris deltok på møtet i fjor.",
                "Vi traff Havbris og Kystlaget.",
            ],
            ("bedrift", 0.6),
        ),
        (
            "Nordlys",
            [
                "Noen små bedrifter, som Fjordtek, Havbris og Nordlys, vokser raskt.",
                "Nordlys åpnet nytt kontor.",
                "Avtalen med Nordlys ble signert.",
            ],
            ("bedrift", 0.6),
        ),
        # an apposition right after the name
        (
            "Skyvik",
            [
                "Plattformen bygger på Skyvik, leverandør til flere sykehus.",
                "Skyvik ble valgt i 2021.",
                "Data fra Skyvik lagres lokalt.",
            ],
            ("bedrift", 0.6),
        ),
        # the compound noun in front of the name outweighs other cue words in the sentence
        (
            "Fjordtek",
            ["Professorene ved universitetet samarbeider med teknologiselskapet Fjordtek."],
            ("bedrift", 0.6),
        ),
        # the noun of another clause governs nothing, and a name inside a longer word is none
        (
            "Nord",
            [
                "Nordlys er et selskap, mens Nord arrangerer kurs.",
                "Nord arrangerer kurs.",
                "Kursene til Nord er gratis.",
            ],
            ("annet", 0.3),
        ),
        # with no noun beside any mention, a compound cue in half the sentences still counts, a
        # capitalised one (another organisation's name) does not
        (
            "Fjordtek",
            ["Fjordtek og Havbris er blant oppstartsbedriftene i regionen.", "Fjordtek vokser."],
            ("bedrift", 0.3),
        ),
        (
            "Havbris",
            ["Partnerne er Handelshøgskolen Vest og Havbris.", "Havbris vokser."],
            ("annet", 0.3),
        ),
        # cues beside two mentions of three agree: confidence falls with the share
        (
            "Kystnett",
            [
                "Selskapet Kystnett leverer data.",
                "Kystnett er et firma i Nordvik.",
                "Kystnett, et nettverk for kystkommuner, møtes i mai.",
            ],
            ("bedrift", 0.4),
        ),
    ],
)
def test_organisation_type_from_the_noun_beside_a_mention(name, contexts, expected):
    assert typed(name, (), contexts) == expected


def test_a_name_in_a_list_of_companies_is_listed_as_a_company(tmp_path):
    texts = [
        "Viktige næringsaktører: Fjordtek, Havbris.",
        "Fjordtek og Havbris deltok i piloten sammen med kommunen.",
        "Resultatene fra Fjordtek ble presentert i juni.",
    ]
    found = actors_of(tmp_path, texts, {"ORG": ["Fjordtek", "Havbris"]})
    types = {a.name: (a.type, a.type_confidence) for a in found}
    assert types == {"Fjordtek": ("bedrift", 0.6), "Havbris": ("bedrift", 0.6)}


def test_the_tagger_reads_a_provision_heading_without_its_number() -> None:
    from policyminer.enrich.spans import _blank_provision_labels

    # a capital right after a number reads as a name's to the tagger; the heading's own words
    # start the line as they would without the number, and every offset stays where it was
    text = "§ 2. 3 Annen bebyggelse, AB1\nJf. § 2.3 gjelder også\n§12-5 Øvrig areal"
    blanked = _blank_provision_labels(text)
    assert blanked == "       Annen bebyggelse, AB1\nJf. § 2.3 gjelder også\n      Øvrig areal"
    assert len(blanked) == len(text)
