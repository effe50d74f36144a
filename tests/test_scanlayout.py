"""Headings of pages read by OCR, told by how tall their lines are and by section numbers."""

from __future__ import annotations

from policyminer.parse.ocr import Placement
from policyminer.parse.scanlayout import scan_headings

BODY = 0.012  # the running text's line height, a share of the page's height
RUNNING = "Kommunen vil bygge ut digitale tjenester for innbyggerne i hele regionen."


def _page(*paragraphs: tuple[str, float]) -> list[tuple[str, Placement]]:
    """Paragraphs top to bottom, each with its line height in multiples of the running text's."""
    placed = []
    for i, (text, times) in enumerate(paragraphs):
        top = 0.1 + 0.05 * i
        placed.append((text, Placement(top, top + 0.03, times * BODY)))
    return placed


def test_tall_short_lines_and_numbered_sections_are_headings() -> None:
    page = _page(
        ("Innledning", 1.8),
        (RUNNING, 1.0),
        (RUNNING, 1.0),
        ("2.1 Bakgrunn", 1.0),  # bold at the running text's size: its number tells
        (RUNNING, 1.0),
        ("Mål for arbeidet", 1.3),
        (RUNNING, 1.0),
    )
    assert scan_headings({1: page}) == {(1, 0): 1, (1, 3): 2, (1, 5): 2}


def test_stamps_sentences_and_list_items_are_no_headings() -> None:
    page = _page(
        (RUNNING, 1.0),
        ("UTKAST - IKKE FOR DISTRIBUSJON", 9.0),  # a stamp set across the lines
        (RUNNING, 1.0),
        ("Tiltakene gjelder fra 2025.", 1.5),  # a sentence, however large
        ("Tiltakene er disse", 1.0),
        ("2 Nye busslommer", 1.0),  # a list's item: no point in its number, no sentence before
    )
    assert scan_headings({1: page}) == {}
