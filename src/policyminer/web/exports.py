"""The CLI's output shapes for the web: actor CSV and GraphML, the area report in Markdown."""

from __future__ import annotations

from collections.abc import Sequence

from policyminer import formats as render
from policyminer.enrich.labels import LABELS, ORG_TYPES

ACTOR_LABELS = tuple(LABELS)  # the choices of the actor filters
ACTOR_TYPES = tuple(ORG_TYPES)


def actors_csv(actors: Sequence) -> str:
    """The actor list as the CLI's `--format csv`."""
    return render.actors_csv(actors)


def actors_graphml(actors: Sequence) -> str:
    """The co-occurrence network as the CLI's `--format graphml`."""
    return render.graph_text(actors, "graphml")


def areas_markdown(report) -> str:
    """The area report as the CLI's `areas --format markdown`."""
    return render.areas_markdown(report)
