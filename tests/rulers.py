"""A real spaCy pipeline whose entities are known in advance, plus our initiative rules."""

from __future__ import annotations

import spacy

import policyminer.enrich.ner  # noqa: F401  (registers the initiative component)


def ruler_pipeline(patterns: dict[str, list[str]]) -> spacy.language.Language:
    """Entities from `patterns` (label → phrases), then the shipped initiative recogniser."""
    nlp = spacy.blank("nb")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": lab, "pattern": p} for lab, ps in patterns.items() for p in ps])
    nlp.add_pipe("policyminer_initiatives")
    return nlp
