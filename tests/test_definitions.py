"""A question that asks what a term is quotes first the close sentence that defines it."""

from __future__ import annotations

from pathlib import Path

import pytest
from asking import ask_note, ask_report, index_note

from policyminer.answer.answer import answer_question
from policyminer.answer.definitions import defined_term, defines
from policyminer.lang import without_source


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("Hva er strandsoneplanen?", "strandsoneplanen"),
        ("Hva er en kvartalslekeplass?", "kvartalslekeplass"),
        ("Hva menes med blågrønn faktor?", "blågrønn faktor"),
        ("What is a mobility hub?", "mobility hub"),
        ("What does BYA mean?", "BYA"),
        ("Hva er «grønt skifte»?", "grønt skifte"),
        ("Hva betyr BYA?", "BYA"),
        ("Hva betyr ordet strandsone?", "strandsone"),
        ("Hva står FKV for?", "FKV"),
        ("What does PBE stand for?", "PBE"),
        # who says it is not part of the term
        ("Hva er en nærmiljøkontakt ifølge kommunen?", "nærmiljøkontakt"),
        ("Ifølge rapporten, hva er en nærmiljøkontakt?", "nærmiljøkontakt"),
        ("What is a mobility hub, according to the plan?", "mobility hub"),
        # something about the term, not what it is
        ("Hva er navnet på den nye skolen?", None),
        ("Hva er kommunen ansvarlig for?", None),
        ("Hva er målet med den nye planen for havna i Nordvika?", None),
        ("Hvem er ordfører?", None),
        ("Hva betyr dette for kommunen?", None),
        ("Hva står i kapittel 3?", None),
    ],
)
def test_a_question_asks_what_a_term_is(question: str, term: str | None) -> None:
    assert defined_term(question) == term


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Strandsoneplanen er kommunens plan for bruk og vern av sjøkanten.", True),
        ("Strandsoneplanen (vedtatt 2021) er kommunens plan for sjøkanten.", True),
        ("Med strandsoneplanen menes planen for sjøkanten.", True),
        ("Strandsoneplanens mål er en åpen sjøkant.", False),
        ("Kommunen følger opp strandsoneplanen hvert år.", False),
    ],
)
def test_a_sentence_says_what_the_term_is(text: str, said: bool) -> None:
    assert defines("strandsoneplanen", text) is said


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Avkjørsel skal skje fra felles kjørevei (FKV) i hvert felt.", True),
        ("FKV (felles kjørevei) angir veier som tomtene eier sammen.", True),
        ("FKV står for felles kjørevei.", True),
        ("Tabellen gir FKV for hver tomt.", False),
        ("FKV (kote) er gitt i tabell 2.", True),  # "FKV … er": said as any term is
        ("Tomt 4 har FKV (31,5) og mønehøyde (39).", False),
    ],
)
def test_a_sentence_spells_out_an_abbreviation(text: str, said: bool) -> None:
    assert defines("FKV", text) is said


def test_what_an_abbreviation_means_is_quoted_from_the_sentence_that_spells_it_out(
    tmp_path: Path,
) -> None:
    answer = ask_report(
        tmp_path,
        "Reguleringsbestemmelser for Fjordvik",
        [
            (
                "Veier",
                "Tabell 2 gir FKV for hver tomt i feltet. FKV for tomt 4 er satt til 6 meters "
                "bredde og for tomt 5 til 5 meter. Tomtene skal ha avkjørsel fra felles "
                "kjørevei (FKV) som tomtene eier sammen.",
            ),
        ],
        "Hva betyr FKV?",
        min_confidence=None,
    )
    # answered at the shipped threshold: a sentence that spells the term out answers it
    assert not answer.abstained and answer.confidence >= 0.5
    assert "kjørevei (FKV)" in answer.citations[0].quote


def test_what_a_term_is_is_quoted_from_the_sentence_that_defines_it(tmp_path: Path) -> None:
    answer = ask_report(
        tmp_path,
        "Kystsoneplan for Nordvika",
        [
            (
                "Sjøkantportalen",
                "Sjøkantportalen viser strandsonen og planene for strandsonen. Kart fra "
                "Sjøkantportalen brukes i alle nye planer for strandsonen i Nordvika. "
                "Sjøkantportalen er et kartverktøy fra kommunen.",
            ),
        ],
        "Hva er Sjøkantportalen?",
    )
    assert not answer.abstained
    assert "er et kartverktøy" in answer.citations[0].quote


def test_the_verb_that_asks_what_a_term_means_is_no_word_to_look_for(tmp_path: Path) -> None:
    # "Hva betyr NKS?": sentences that say "betyr" in passing do not answer it
    answer = ask_report(
        tmp_path,
        "Strategi for Nordbukta",
        [
            (
                "Prioriteringer",
                "Det betyr at arbeidet må prioriteres hardere. Dette betyr også mer arbeid for "
                "alle enhetene i kommunen.",
            ),
            ("Kontor", "NKS har kontor i sentrum og holder åpent hver dag."),
            ("Økonomi", "NKS får et tilskudd fra kommunen hvert år."),
            (
                "Samarbeid",
                "Kommunen samarbeider med regionens næringsklyngesenter (NKS) om nye tiltak.",
            ),
        ],
        "Hva betyr NKS?",
    )
    assert "næringsklyngesenter (NKS)" in answer.citations[0].quote
    assert all("NKS" in c.quote for c in answer.citations)


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Hva er en nærmiljøkontakt ifølge barnevernstjenesten?", "Hva er en nærmiljøkontakt?"),
        ("According to the plan, what is a mobility hub?", "what is a mobility hub?"),
        (
            "Hvor mange prosjekter er det ifølge veikartet for Nordvika?",
            "Hvor mange prosjekter er det?",
        ),
        # a source before the ask leaves the question as it is: what follows is the ask
        ("Hva er ifølge kommunen den største utfordringen?", None),
        # Nynorsk
        ("Kva er ein nærmiljøkontakt ifølgje barnevernstenesta?", "Kva er ein nærmiljøkontakt?"),
        ("Kor mange prosjekt er det i følgje vegkartet?", "Kor mange prosjekt er det?"),
    ],
)
def test_a_source_the_question_names_is_told_from_what_it_asks(
    question: str, asked: str | None
) -> None:
    assert without_source(question) == (asked or question)


def test_a_term_asked_by_who_defines_it_is_quoted_from_the_definition(tmp_path: Path) -> None:
    # the source's name is in many sentences, none of which says what the term is
    answer = ask_note(
        tmp_path,
        "tiltaksplan.md",
        "# Tiltaksplan for trygg oppvekst i Nordbukta\n\n"
        "Barnevernstjenesten anbefaler at skolene i Nordbukta samarbeider tettere med "
        "fritidsklubbene. Barnevernstjenesten vil i 2025 styrke arbeidet med tidlig innsats i "
        "alle barnehager. Barnevernstjenesten understreker at foreldre må involveres i arbeidet "
        "fra første dag.\n\n"
        "En nærmiljøkontakt er en voksen fra bydelen som følger opp ungdom som står i fare for å "
        "falle utenfor skole og arbeid. Hver nærmiljøkontakt følger opp inntil ti ungdommer. "
        "Ordningen med nærmiljøkontakter ble prøvd ut i to bydeler i 2023.\n",
        "Hva er en nærmiljøkontakt ifølge barnevernstjenesten?",
    )
    assert not answer.abstained
    assert answer.citations[0].quote.startswith("En nærmiljøkontakt er en voksen")


def test_naming_who_says_it_does_not_make_the_answer_less_sure(tmp_path: Path) -> None:
    # the answering sentence does not name its source: the source's name is no term it lacks
    text = (
        "# Tiltaksplan for trygg oppvekst i Nordbukta\n\n"
        "Barnevernstjenesten anbefaler at skolene i Nordbukta samarbeider tettere med "
        "fritidsklubbene. Barnevernstjenesten vil i 2025 styrke arbeidet med tidlig innsats i "
        "alle barnehager.\n\n"
        "Hver nærmiljøkontakt følger opp inntil ti ungdommer. Ordningen med nærmiljøkontakter "
        "ble prøvd ut i to bydeler i 2023.\n"
    )
    index = index_note(tmp_path, "plan.md", text)
    plain = answer_question(index, "Når ble nærmiljøkontakter prøvd ut?", min_confidence=0.0)
    sourced = answer_question(
        index, "Når ble nærmiljøkontakter prøvd ut ifølge barnevernstjenesten?", min_confidence=0.0
    )
    assert sourced.citations[0].quote == plain.citations[0].quote
    assert sourced.confidence >= plain.confidence - 0.1
