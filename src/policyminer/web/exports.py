"""The CLI's output shapes for the web: document JSON, status JSON, actor CSV and GraphML."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

# The labels and organisation types of the actor filters (kept in step with enrich.actors by a
# test: importing that module here would load spaCy when the server starts).
ACTOR_LABELS = ("ORG", "PER", "GPE", "LOC", "INITIATIVE")


def org_types() -> tuple[str, ...]:
    """The organisation types an actor can have."""
    # enrich.actors imports spaCy (seconds): loaded when the actors page is first shown.
    from policyminer.enrich.actors import ORG_TYPES

    return tuple(ORG_TYPES)


def status_dict(report) -> dict[str, object]:
    """`status --json`."""
    return {
        **report.counts,
        "schema_version": report.schema_version,
        "embedding_model": report.embedding_model,
        "stale": [asdict(s) for s in report.stale],
        "indexes": report.indexes,
    }


def actors_csv(actors: Sequence) -> str:
    """The actor list as the CLI's `--format csv`."""
    # enrich.actors imports spaCy (seconds); by now the actors were listed, so it is loaded.
    from policyminer.enrich.actors import actors_csv as to_csv

    return to_csv(actors)


def actors_graphml(actors: Sequence) -> str:
    """The co-occurrence network as the CLI's `--format graphml`."""
    # enrich.actors imports spaCy (seconds); by now the actors were listed, so it is loaded.
    from policyminer.enrich.actors import graph_text

    return graph_text(actors, "graphml")
