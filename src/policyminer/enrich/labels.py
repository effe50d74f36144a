"""The actor labels and organisation types, kept apart so options are checked without spaCy."""

from __future__ import annotations

INITIATIVE = "INITIATIVE"
LABELS = ("ORG", "PER", "GPE", "LOC", INITIATIVE)
ORG_TYPES = (
    "kommune",
    "fylkeskommune",
    "helseforetak/sykehus",
    "universitet/høgskole",
    "forskningsinstitutt",
    "bedrift",
    "klynge/nettverk",
    "departement/direktorat/etat",
    "internasjonal organisasjon",
    "annet",
)
