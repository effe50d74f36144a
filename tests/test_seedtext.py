"""The seed cleaner: the structured text the corpus PDFs are rendered from and measured against."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from seedtext import SEEDS, SeedDoc, clean_body_text, load_seed, seed_for_pdf

TRONDHEIM = "000_4835574da3d7928c.txt"
DRAMMEN = "003_dd8901a9cd81dfff.txt"


@pytest.fixture(scope="module")
def trondheim_path(shared_dir: Path) -> Path:
    return shared_dir / "seeds" / TRONDHEIM


@pytest.fixture(scope="module")
def drammen_path(shared_dir: Path) -> Path:
    return shared_dir / "seeds" / DRAMMEN


@pytest.fixture(scope="module")
def trondheim(trondheim_path: Path) -> SeedDoc:
    return load_seed(trondheim_path)


@pytest.fixture(scope="module")
def drammen(drammen_path: Path) -> SeedDoc:
    return load_seed(drammen_path)


def _texts(doc: SeedDoc) -> list[str]:
    return [b.text for b in doc.blocks if b.kind != "table"]


def _subsections(doc: SeedDoc, parent: str) -> list[str]:
    pattern = re.compile(rf"^{re.escape(parent)}\.\d+$")
    return [b.number for b in doc.headings() if pattern.match(b.number)]


def test_metadata_comes_from_the_seed_registry(trondheim: SeedDoc, drammen: SeedDoc) -> None:
    assert trondheim.publisher == "SINTEF" and trondheim.year == 2021
    assert drammen.publisher == "Menon Economics" and drammen.year == 2026
    assert drammen.title.startswith("Hvordan kan Drammensregionen")


def test_hard_wraps_are_joined_into_paragraphs(trondheim: SeedDoc, trondheim_path: Path) -> None:
    raw = trondheim_path.read_text(encoding="utf-8")
    sentence = "I samarbeidsavtalen mellom Trondheim kommune og SINTEF for perioden 2019-2021"
    assert sentence not in raw  # the seed wraps it after "Trondheim"
    body = clean_body_text(trondheim_path)
    assert sentence in body
    assert all("\n" not in text for text in _texts(trondheim))
    # the first chapter is four paragraphs, not dozens of lines
    chapter_one = trondheim.chapters()[0]
    assert [b.kind for b in chapter_one].count("paragraph") == 4


def test_inline_page_numbers_are_removed(trondheim: SeedDoc, trondheim_path: Path) -> None:
    body = clean_body_text(trondheim_path)
    # the seed has the page number "8" (twice) and a footnote between "offentlig" and "sektor"
    assert "krever involvering av offentlig sektor og en tverrfaglig metodisk tilnærming" in body
    assert not [t for t in _texts(trondheim) if re.fullmatch(r"\s*\d{1,3}\s*", t)]


def test_end_of_line_hyphenation_joined_real_hyphens_kept(trondheim_path: Path) -> None:
    body = clean_body_text(trondheim_path)
    assert "Etablere et helsedatafellesskap som" in body  # "helsedata-" / "fellesskap"
    assert "andre folkehelseintervensjoner drevet av teknologi" in body
    assert "Framtidens helse- og omsorgsarbeidere" in body  # "helse-" / "og omsorgs..."
    assert "offentlig garanterte helse-, omsorgs- og sosiale tjenester" in body
    assert "lokalt ressurs- og kompetansesenter" in body
    assert "resten av helse-Norge" in body  # a capital after the hyphen: a real compound


def test_footnote_markers_become_notes(trondheim: SeedDoc) -> None:
    notes = trondheim.footnotes
    assert len(notes) >= 70 and list(notes)[:3] == ["1", "2", "3"]
    marked = [n.label for b in trondheim.blocks for n in b.notes]
    assert sorted(marked, key=int) == sorted(notes, key=int)  # every note has exactly one marker
    block = next(b for b in trondheim.blocks if "EØS regelverket" in b.text)
    note = next(n for n in block.notes if n.label == "4")
    assert block.text[: note.offset].endswith("EØS regelverket")
    assert notes["4"].startswith("https://www.regjeringen.no/")
    body = " ".join(_texts(trondheim))
    assert "Perspektivmelding 2021 er som et ekko" in body  # not "20216"
    assert "regelverket4" not in body and "rapporter7 8" not in body
    assert "wp-1content" not in notes["1"]  # the marker the extraction pushed into the URL


def test_footnote_text_is_kept_out_of_the_body(trondheim_path: Path) -> None:
    body = clean_body_text(trondheim_path)
    assert "https://www.nho.no/siteassets" not in body
    assert "https://www.nho.no/siteassets" in clean_body_text(trondheim_path, footnotes=True)


def test_trondheim_opportunity_areas(trondheim: SeedDoc) -> None:
    assert _subsections(trondheim, "4.3") == [f"4.3.{i}" for i in range(1, 8)]
    titles = {b.number: b.text for b in trondheim.headings()}
    assert titles["4.3.2"] == "Digitale hjemmetjenester"
    assert titles["4.3.5"] == "Grunnforskning"
    chapters = [b.number for b in trondheim.headings() if b.level == 1]
    assert chapters == [str(i) for i in range(1, 8)]


def test_drammen_thematic_areas(drammen: SeedDoc) -> None:
    assert _subsections(drammen, "6") == ["6.1", "6.2", "6.3", "6.4"]
    titles = {b.number: b.text for b in drammen.headings()}
    assert titles["6.3"].startswith("Brakerøya Living Lab")
    # the seed's own contents list (with another layout's page numbers) is not body text
    assert not any(b.text == "Innholdsfortegnelse" for b in drammen.blocks)
    assert sum(1 for b in drammen.headings() if b.number == "6.1") == 1


def test_drammen_tables_parsed_into_rows(drammen: SeedDoc) -> None:
    tables = [b for b in drammen.blocks if b.kind == "table"]
    assert len(tables) >= 7
    key = next(t for t in tables if t.rows[0][1:3] == ("Drammen", "Kongsberg"))
    population = next(r for r in key.rows if r[0] == "Befolkning")
    assert population[1] == "104 487" and population[-1] == "2024"
    assert all(len(r) == len(key.rows[0]) for r in key.rows)
    # Tabell 1-1 is split over two pages in the seed (header repeated): one table here
    models = [t for t in tables if t.rows[0][:2] == ("Modell", "Kjennetegn")]
    assert len(models) == 1
    last = models[0].rows[-1]
    assert last[0].startswith("Stiftelses-") and "Langsiktig og nøytral struktur" in last[1]


def test_drammen_markers_and_markdown_cleaned(drammen: SeedDoc) -> None:
    body = " ".join(_texts(drammen))
    paragraphs = " ".join(b.text for b in drammen.blocks if b.kind == "paragraph")
    assert "m²" in paragraphs  # a real superscript stays
    assert not re.search(r"(?<=[^\sm])[⁰¹²³⁴⁵⁶⁷⁸⁹]", paragraphs)
    assert "](#)" not in body and "**" not in body
    block = next(b for b in drammen.blocks if "innen helse og velferd. Dette" in b.text)
    assert [n.label for n in block.notes] == ["8", "9"]  # "velferd.⁸⁹" is two notes
    assert drammen.footnotes["9"] == "Forskergrupper og sentre innen helse og velferd"


def test_page_split_paragraph_rejoined(drammen: SeedDoc) -> None:
    block = next(b for b in drammen.blocks if "omstilling, og kan tvert om" in b.text)
    assert block.kind == "paragraph"
    assert not block.text.startswith("omstilling")


def test_clean_body_text_options(drammen_path: Path) -> None:
    body = clean_body_text(drammen_path)
    with_tables = clean_body_text(drammen_path, tables=True)
    assert "Marte R. Syvertsen" not in body and "Marte R. Syvertsen" in with_tables
    assert "6.2 Samhandlingsløsninger for eldre og kronikere" in body


def test_printed_list_labels_are_body_text(trondheim_path: Path) -> None:
    body = clean_body_text(trondheim_path)
    assert "a. Bærekraftig verdiskaping og næringsutvikling: dette har vi valgt" in body
    assert "• " not in body  # bullet glyphs are decoration, not words


def test_unknown_seed_is_refused(tmp_path: Path) -> None:
    stray = tmp_path / "notes.txt"
    stray.write_text("1 Innledning\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"notes\.txt"):
        load_seed(stray)
    assert set(SEEDS) == {TRONDHEIM, DRAMMEN}
    assert seed_for_pdf("corpus/drammensregionen-helse-fou.pdf") == DRAMMEN
    with pytest.raises(ValueError, match=r"other\.pdf"):
        seed_for_pdf("other.pdf")
