"""Opportunity areas: the taxonomy loads, passages get the right areas, reports cite evidence."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from pptx import Presentation
from typer.testing import CliRunner

from policyminer.cli import app
from policyminer.enrich.areas import (
    AreaError,
    area_report,
    chunk_ids_for_area,
    display_order,
    load_taxonomy,
    query_embedder,
    retag,
    tag_texts,
    tagger_for,
)
from policyminer.formats import areas_markdown
from policyminer.ingest import ingest_paths
from policyminer.lang import passage_language
from policyminer.store.catalog import Catalog

runner = CliRunner()

HOME_CARE = (
    "Kommunen vil ta i bruk velferdsteknologi som trygghetsalarmer, fallsensorer og "
    "medisindispensere, slik at eldre kan bo trygt lenger hjemme og behovet for "
    "sykehjemsplasser går ned."
)
PUBLIC_HEALTH = (
    "Folkehelsearbeidet skal redusere sosial ulikhet i helse. Fylkeskommunen og kommunene "
    "samarbeider om forebygging og tidlig innsats i skole, arbeidsliv og lokalsamfunn."
)
FOOTBALL = (
    "Laget vant seriefinalen 3-1 etter to mål i andre omgang, og keeperen reddet et "
    "straffespark i det åttiende minutt."
)

# The same passages as an English report would word them (written for these tests).
HOME_CARE_EN = (
    "The municipality will introduce welfare technology such as safety alarms, fall sensors and "
    "medication dispensers, so that older people can live safely at home for longer and fewer "
    "nursing home places are needed."
)
PUBLIC_HEALTH_EN = (
    "Public health work shall reduce social inequalities in health. The county authority and "
    "the municipalities cooperate on prevention and early intervention in schools, working "
    "life and local communities."
)
FOOTBALL_EN = (
    "The team won the league final 3-1 after two goals in the second half, and the goalkeeper "
    "saved a penalty in the eightieth minute."
)

HEALTH_DOC = f"""# Velferd og helse i kommunen

## 1 Hjemmetjenester

{HOME_CARE}

## 2 Folkehelse

{PUBLIC_HEALTH}
"""

SPORT_DOC = f"""# Sesongrapport

## 1 Kamper

{FOOTBALL}
"""

CUSTOM_TAXONOMY = """
id = "sport-og-helse"
name = "Idrett og helse"

[[area]]
id = "S1"
name = "Fotball"
description = "Fotballkamper, mål, seriespill, keepere, straffespark og resultater."
keywords = ["fotball", "seriefinale", "keeper", "straffespark", "mål"]

[[area]]
id = "H1"
name = "Eldreomsorg"
description = "Omsorg for eldre: hjemmetjenester, sykehjem, velferdsteknologi og trygghet."
keywords = ["eldre", "sykehjem", "velferdsteknologi"]
"""


# -- taxonomy files -------------------------------------------------------------------------------


def test_default_taxonomy_has_the_eleven_areas_of_both_reports() -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.ids == ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "D1", "D2", "D3", "D4"]
    for area in taxonomy.areas:
        assert area.name and len(area.description) > 200 and area.source
        assert area.keywords and area.examples
    assert taxonomy.area("t2").name.startswith("Digitale hjemmetjenester")


def test_default_examples_are_not_dev_set_passages(shared_dir: Path) -> None:
    dev = json.loads((shared_dir / "eval" / "areas-dev.json").read_text(encoding="utf-8"))
    dev_texts = [" ".join(item["text"].split()) for item in dev["structure"] + dev["judged"]]
    for area in load_taxonomy().areas:
        for example in area.examples:
            assert not any(example[:60] in text for text in dev_texts), example


ELDER_CARE_EN = """
[area.en]
name = "Elderly care"
description = "Care for older people: home care services, nursing homes, welfare technology."
keywords = ["older people", "nursing home", "welfare technology"]
"""


def test_default_taxonomy_words_every_area_in_english_and_nynorsk_too() -> None:
    for area in load_taxonomy().areas:
        for lang in ("en", "nn"):
            other = area.wording(lang)
            assert other.lang == lang and other.description != area.description
            assert len(other.description) > 200 and other.keywords and other.examples
        assert area.wording("nb").name == area.wording("no").name == area.name


@pytest.mark.parametrize("lang", ["en", "nn"])
def test_default_translated_examples_are_not_translated_dev_passages(lang: str) -> None:
    translated = Path(__file__).parents[1] / "benchmarks" / "data" / f"areas-dev-{lang}.json"
    passages = json.loads(translated.read_text(encoding="utf-8"))["passages"]
    texts = [" ".join(p["text"].split()) for p in passages]
    for area in load_taxonomy().areas:
        for example in area.wording(lang).examples:
            assert not any(example[:60] in text for text in texts), example


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[[area]\nid = 'X'", "not valid TOML"),
        (
            "[[area]]\nid='A'\nname='A'\ndescription='a'\n[area.de]\nname='A'\n",
            "'de' is no language a translation can be in",
        ),
        (
            "[[area]]\nid='A'\nname='A'\ndescription='a'\n[area.en]\nname='A'\n",
            "its 'en' translation has no 'description'",
        ),
        ("language='sv'\n[[area]]\nid='A'\nname='A'\ndescription='a'\n", "'language' must be"),
        ("name = 'no areas'\n", "no areas"),
        ("[[area]]\nid = 'A'\nname = 'A'\n", "area 1 has no 'description'"),
        (
            "[[area]]\nid='A'\nname='A'\ndescription='a'\n[[area]]\nid='a'\nname='B'\n"
            "description='b'\n",
            "area id 'a' is used twice",
        ),
        ("[[area]]\nid='A'\nname='A'\ndescription='a'\nkeywords='x'\n", "'keywords' must be"),
    ],
)
def test_bad_taxonomy_file_gives_one_clear_error(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AreaError) as err:
        load_taxonomy(path)
    message = str(err.value)
    assert str(path) in message and reason in message and "\n" not in message


def test_missing_taxonomy_file_and_yaml_taxonomy(tmp_path: Path) -> None:
    with pytest.raises(AreaError, match="cannot read taxonomy"):
        load_taxonomy(tmp_path / "nope.toml")
    yaml_file = tmp_path / "mine.yaml"
    yaml_file.write_text(
        "id: mine\nareas:\n  - id: A1\n    name: Eldre\n    description: Omsorg for eldre.\n",
        encoding="utf-8",
    )
    taxonomy = load_taxonomy(yaml_file)
    assert (taxonomy.id, taxonomy.ids) == ("mine", ["A1"])


# -- tagging free text ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def tagged() -> list:
    return tag_texts([HOME_CARE, PUBLIC_HEALTH, FOOTBALL])


def test_passage_about_one_area_gets_it_first_with_evidence(tagged: list) -> None:
    home, health = tagged[0].tags, tagged[1].tags
    assert home and home[0].area_id == "T2"
    assert health and health[0].area_id == "D4"
    assert all(t.tagged and 0.5 <= t.score <= 1.0 for t in home + health)
    assert "trygghetsalarmer" in home[0].evidence
    assert health[0].evidence in PUBLIC_HEALTH
    assert tagged[0].primary == home[0] and tagged[1].primary == health[0]


def test_english_passages_are_tagged_through_the_areas_english_words() -> None:
    home, health, football = tag_texts([HOME_CARE_EN, PUBLIC_HEALTH_EN, FOOTBALL_EN])
    assert [t.area_id for t in home.tags][:1] == ["T2"] and home.tags[0].tagged
    assert "safety alarms" in home.tags[0].evidence
    assert [t.area_id for t in health.tags][:1] == ["D4"]
    assert football.tags == () and not football.primary.tagged


def test_an_area_without_english_words_reads_english_passages_with_its_own(
    tmp_path: Path,
) -> None:
    plain, bilingual = tmp_path / "plain.toml", tmp_path / "bilingual.toml"
    plain.write_text(CUSTOM_TAXONOMY, encoding="utf-8")
    bilingual.write_text(CUSTOM_TAXONOMY + ELDER_CARE_EN, encoding="utf-8")
    embedder = query_embedder(None)
    taxonomies = [load_taxonomy(plain), load_taxonomy(bilingual)]
    texts = [HOME_CARE_EN, HOME_CARE, FOOTBALL_EN]
    vectors = embedder.embed_passages(texts)
    before, after = (tagger_for(t, embedder).raw_scores(texts, vectors) for t in taxonomies)
    elder_care, football = 1, 0
    # the English wording lifts the English passage; the area's own words still serve the
    # Norwegian one, and an area without English words (football) scores as before
    assert after[0, elder_care] > before[0, elder_care] + 0.05
    assert np.array_equal(after[1], before[1])
    assert after[2, football] == before[2, football]
    (tagged,) = tag_texts([HOME_CARE_EN], taxonomies[1])
    assert [t.area_id for t in tagged.tags] == ["H1"]
    assert tag_texts([HOME_CARE_EN], taxonomies[0])[0].tags == ()


ELDER_CARE_NN = """
[area.nn]
name = "Eldreomsorg"
description = "Omsorg for eldre: heimetenester, sjukeheimar, velferdsteknologi og tryggleik."
keywords = ["eldre", "sjukeheim", "heimeteneste", "tryggleik"]
"""
HOME_CARE_NN = (
    "Heimetenesta skal følgje opp heimebuande med tryggleiksalarmar og sensorar, slik at færre "
    "treng plass på sjukeheim."
)


def test_a_nynorsk_passage_is_read_through_the_areas_nynorsk_words(tmp_path: Path) -> None:
    plain, both = tmp_path / "plain.toml", tmp_path / "both.toml"
    plain.write_text(CUSTOM_TAXONOMY, encoding="utf-8")
    both.write_text(CUSTOM_TAXONOMY + ELDER_CARE_NN, encoding="utf-8")
    embedder = query_embedder(None)
    texts = [HOME_CARE_NN, HOME_CARE]
    vectors = embedder.embed_passages(texts)
    before, after = (
        tagger_for(load_taxonomy(t), embedder).raw_scores(texts, vectors) for t in (plain, both)
    )
    elder_care = 1
    assert after[0, elder_care] > before[0, elder_care] + 0.03  # its Nynorsk words match
    assert np.array_equal(after[1], before[1])  # a Bokmål passage keeps the area's own
    (tagged,) = tag_texts([HOME_CARE_NN], load_taxonomy(both))
    assert "sjukeheim" in tagged.primary.evidence


def test_a_taxonomy_written_in_english_reads_norwegian_through_its_nb_tables(
    tmp_path: Path,
) -> None:
    english_first = tmp_path / "english.toml"
    english_first.write_text(
        'language = "en"\n[[area]]\nid = "H1"\nname = "Elderly care"\n'
        'description = "Care for older people: home care services, nursing homes, welfare '
        'technology."\nkeywords = ["older people", "nursing home", "welfare technology"]\n'
        '[area.nb]\nname = "Eldreomsorg"\ndescription = "Omsorg for eldre: hjemmetjenester, '
        'sykehjem, velferdsteknologi og trygghet."\n'
        'keywords = ["eldre", "sykehjem", "velferdsteknologi"]\n',
        encoding="utf-8",
    )
    taxonomy = load_taxonomy(english_first)
    # the web app in Norwegian names the area by its Norwegian table
    assert taxonomy.areas[0].wording("nb").name == "Eldreomsorg"
    assert taxonomy.areas[0].wording("en").name == "Elderly care"
    norwegian, english = tag_texts([HOME_CARE, HOME_CARE_EN], taxonomy)
    assert [t.area_id for t in norwegian.tags] == [t.area_id for t in english.tags] == ["H1"]
    assert "trygghetsalarmer" in norwegian.tags[0].evidence
    assert "safety alarms" in english.tags[0].evidence


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (HOME_CARE, "nb"),
        (HOME_CARE_EN, "en"),
        (
            "Kommunen vil ta i bruk velferdsteknologi, slik at eldre kan bu trygt heime lenger, "
            "og det trengst då ikkje like mange sjukeheimsplassar.",
            "nn",
        ),
        ("Kva tenester gir kommunen til innbyggjarar som ikkje bur i sentrum?", "nn"),
        # a web address's ".no" is no Nynorsk "no" (now)
        ("Kontakt oss på post@kommune.no eller www.kommune.no for mer informasjon.", "nb"),
        ("Nordvika kommune, Fjordvik helseforetak", "nb"),  # no words to tell: the default
    ],
)
def test_a_passage_is_read_as_bokmal_nynorsk_or_english(text: str, lang: str) -> None:
    assert passage_language(text) == lang


def test_evidence_is_a_sentence_not_the_heading_that_names_the_area() -> None:
    # a passage as ingest chunks it: its section heading on a line of its own, naming the area
    body = "Kommunen vil prøve ut nye løsninger for oppfølging av eldre som bor hjemme."
    passage = "4.2 Digitale hjemmetjenester og digital hjemmeoppfølging\n" + body
    taxonomy = load_taxonomy()
    tagger = tagger_for(taxonomy, query_embedder(None))
    assert tagger.evidence(passage, taxonomy.ids.index("T2")) == body
    # a heading is still shown when nothing else in the passage speaks of the area
    heading_only = "Digital hjemmeoppfølging\nMøtet ble avlyst."
    assert tagger.evidence(heading_only, taxonomy.ids.index("T2")).startswith("Digital")


def test_off_topic_passage_gets_no_area_but_names_the_closest(tagged: list) -> None:
    football = tagged[2]
    assert football.tags == ()
    assert not football.primary.tagged and football.primary.score < 0.5


def test_areas_are_shown_by_raw_score_tagged_first() -> None:
    """The first area shown is the best-matching tagged one, even against a lower threshold."""
    # raw scores on one scale; area 1 has a low threshold, so its calibrated score is the
    # highest although area 0 matches better: the display must still put area 0 first
    raw = np.array([[1.00, 0.96, 0.90], [0.80, 0.85, 0.70]])
    thresholds = np.array([0.98, 0.90, 0.95])
    assert display_order(raw, thresholds).tolist() == [[0, 1, 2], [1, 0, 2]]
    # untagged areas come after every tagged one, even with a higher raw score
    assert display_order(np.array([[0.97, 0.91, 0.5]]), thresholds).tolist() == [[1, 0, 2]]


def test_all_areas_list_starts_with_the_primary_area() -> None:
    (result,) = tag_texts([HOME_CARE], all_areas=True)
    assert len(result.tags) == 11 and result.tags[0] == result.primary
    flags = [t.tagged for t in result.tags]
    assert flags == sorted(flags, reverse=True)  # tagged areas first


def test_tag_cli_json_shapes(tmp_path: Path) -> None:
    result = runner.invoke(app, ["tag", "--text", HOME_CARE, "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    labels = shown["labels"]
    assert labels[0]["id"] == "T2"
    assert set(labels[0]) == {"id", "name", "score"}
    assert shown["primary"] == {**labels[0], "tagged": True}

    batch = tmp_path / "passages.txt"
    batch.write_text(f"{PUBLIC_HEALTH}\n\n{FOOTBALL}\n", encoding="utf-8")
    result = runner.invoke(app, ["tag", "--batch", str(batch), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [[x["id"] for x in line["labels"]][:1] for line in lines] == [["D4"], []]

    result = runner.invoke(app, ["tag", "--json"], input=FOOTBALL)
    assert result.exit_code == 0
    shown = json.loads(result.output)
    assert shown["labels"] == [] and shown["primary"]["tagged"] is False

    result = runner.invoke(app, ["tag", "--text", FOOTBALL])
    assert result.exit_code == 0 and "no area" in result.output and "closest:" in result.output


def test_tag_cli_takes_the_passage_as_an_argument() -> None:
    result = runner.invoke(app, ["tag", HOME_CARE, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["primary"]["id"] == "T2"
    result = runner.invoke(app, ["tag", HOME_CARE, "--text", FOOTBALL])
    assert result.exit_code == 2 and "give the passage once" in result.output


def test_tag_cli_rejects_a_bad_taxonomy(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[area]]\nid = 'A'\n", encoding="utf-8")
    result = runner.invoke(app, ["tag", "--text", HOME_CARE, "--taxonomy", str(bad)])
    assert result.exit_code == 2
    assert "bad.toml" in result.output and "has no 'name'" in result.output


# -- an index: ingest tags, reports, re-tagging ---------------------------------------------


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs = tmp_path_factory.mktemp("docs")
    (docs / "helse.md").write_text(HEALTH_DOC, encoding="utf-8")
    (docs / "sport.md").write_text(SPORT_DOC, encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("index")
    report = ingest_paths([docs], index_dir)
    assert not report.failed, report.failed
    return index_dir


def test_ingest_tags_chunks_and_area_filter_finds_them(index: Path) -> None:
    with Catalog(index) as catalog:
        home_care = chunk_ids_for_area(catalog, "T2")
        texts = [c.text for c in catalog.chunks(ids=sorted(home_care))]
        assert texts and all("trygghetsalarmer" in t for t in texts)
        sport = catalog.resolve("sport")
        sport_ids = {c.id for c in catalog.chunks(sport.id)}
        for area in load_taxonomy().ids:
            assert not chunk_ids_for_area(catalog, area) & sport_ids
        with pytest.raises(AreaError, match="unknown area 'Z9'"):
            chunk_ids_for_area(catalog, "Z9")


def test_area_report_cites_passages_per_document(index: Path) -> None:
    report = area_report(index, top=3)
    by_id = {s.area.id: s for s in report.areas}
    assert report.chunks == 3 and report.untagged == 1
    home = by_id["T2"]
    assert [(d.doc_id, d.passages) for d in home.documents] == [("helse", 1)]
    passage = home.top[0]
    assert passage.title == "Velferd og helse i kommunen" and passage.page == 1
    assert passage.section == "1 Hjemmetjenester"
    assert "trygghetsalarmer" in passage.evidence
    assert passage.citation == "Velferd og helse i kommunen, p. 1, § 1 Hjemmetjenester"

    markdown = areas_markdown(report)
    assert "## T2 Digitale hjemmetjenester" in markdown
    assert "Velferd og helse i kommunen, p. 1, § 1 Hjemmetjenester" in markdown
    assert passage.as_dict()["paged"] is True and passage.as_dict()["unit"] == "page"


def test_area_evidence_from_a_slide_deck_cites_the_slide(tmp_path: Path) -> None:
    deck = Presentation()
    slides = [("Velferd", "Kommunen legger fram planen."), ("Hjemmetjenester", HOME_CARE)]
    for title, text in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])  # title and content
        slide.shapes.title.text = title
        slide.placeholders[1].text = text
    deck.save(str(tmp_path / "velferd.pptx"))
    assert not ingest_paths([tmp_path / "velferd.pptx"], tmp_path / "index").failed
    home = {s.area.id: s for s in area_report(tmp_path / "index", top=3).areas}["T2"]
    passage = home.top[0]
    assert passage.citation == "Velferd, slide 2, § Hjemmetjenester"
    assert passage.as_dict()["paged"] is True and passage.as_dict()["unit"] == "slide"


def test_areas_cli_formats(index: Path) -> None:
    result = runner.invoke(
        app, ["areas", "--index", str(index), "--area", "D4", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    (area,) = payload["areas"]
    assert area["id"] == "D4" and area["passages"] == 1
    assert area["top_passages"][0]["section"] == "2 Folkehelse"
    assert "top_actors" in area

    result = runner.invoke(app, ["areas", "--index", str(index), "--format", "markdown"])
    assert result.exit_code == 0 and result.output.startswith("# Opportunity areas")
    assert "**1 passage** in 1 document:" in result.output

    result = runner.invoke(app, ["areas", "--index", str(index), "--area", "D4"])
    assert result.exit_code == 0 and "· 1 passage─" in result.output.replace(" ─", "─")

    result = runner.invoke(app, ["areas", "--index", str(index), "--area", "nope"])
    assert result.exit_code == 2 and "unknown area 'nope'" in result.output


def test_custom_taxonomy_retags_from_stored_vectors(index: Path, tmp_path: Path) -> None:
    custom = tmp_path / "custom.toml"
    custom.write_text(CUSTOM_TAXONOMY, encoding="utf-8")
    with Catalog(index) as catalog:
        ids_before, vectors_before = catalog.vectors()
        result = retag(catalog, load_taxonomy(custom))
        assert result.chunks == 3 and result.skipped == 0
        ids_after, vectors_after = catalog.vectors()
        assert np.array_equal(ids_before, ids_after)
        assert np.array_equal(vectors_before, vectors_after)
        sport = {c.id for c in catalog.chunks(catalog.resolve("sport").id)}
        assert chunk_ids_for_area(catalog, "S1", taxonomy=custom) == sport
        assert chunk_ids_for_area(catalog, "H1", taxonomy=custom).isdisjoint(sport)
        # the default taxonomy's tags are kept beside the custom ones
        assert chunk_ids_for_area(catalog, "T2")

    # A changed taxonomy file re-tags by itself on the next read.
    custom.write_text(CUSTOM_TAXONOMY.replace('"Fotball"', '"Fotball og idrett"'), encoding="utf-8")
    report = area_report(index, area_id="S1", taxonomy=custom)
    assert report.retagged is not None
    assert report.areas[0].area.name == "Fotball og idrett" and report.areas[0].passages == 1
    assert area_report(index, area_id="S1", taxonomy=custom).retagged is None


class CountingEmbedder:
    """The shipped query embedder, counting the texts it is asked to embed."""

    def __init__(self) -> None:
        self.inner = query_embedder(None)
        self.name = self.inner.name
        self.texts = 0

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        self.texts += len(texts)
        return self.inner.embed_queries(texts)


def test_a_taxonomy_is_embedded_once_and_each_index_keeps_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLICYMINER_CACHE_DIR", str(tmp_path / "user-cache"))
    custom = tmp_path / "custom.toml"
    # a description no other test embeds, so nothing of it is cached in this process yet
    custom.write_text(CUSTOM_TAXONOMY.replace("resultater", tmp_path.name), encoding="utf-8")
    taxonomy, embedder = load_taxonomy(custom), CountingEmbedder()
    first = tagger_for(taxonomy, embedder, tmp_path / "one" / "cache")
    assert embedder.texts == sum(len(area.texts()) for area in taxonomy.areas)

    # a second index (a damaged cache file in it) tags at once, with the same vectors
    second_cache = tmp_path / "two" / "cache"
    second_cache.mkdir(parents=True)
    (second_cache / next((tmp_path / "one" / "cache").iterdir()).name).write_bytes(b"torn")
    second = tagger_for(taxonomy, embedder, second_cache)
    assert embedder.texts == sum(len(area.texts()) for area in taxonomy.areas)
    assert np.array_equal(first.vectors.vectors, second.vectors.vectors)
    # each index folder holds its own good copy, and so does the user cache
    for cache in (tmp_path / "one" / "cache", second_cache, tmp_path / "user-cache"):
        [saved] = list(cache.rglob("area-vectors-*.npy"))
        assert np.array_equal(np.load(saved), first.vectors.vectors)
