"""Export formats: actors as CSV, GraphML and GEXF; the area report as Markdown.

The library returns records; the CLI and the web app turn them into files with these, so both
write the same shapes.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

    from policyminer.enrich.actors import Actor
    from policyminer.enrich.areas import AreaReport

CSV_FIELDS = (
    "name",
    "label",
    "type",
    "mentions",
    "documents",
    "pages",
    "aliases",
    "example",
    "citation",
)


def pages_text(actor: Actor) -> str:
    """Pages as "p. 3, 5" for one document, "doc: 3, 5; doc2: 1" for several."""
    if len(actor.pages) == 1:
        return ", ".join(map(str, next(iter(actor.pages.values()))))
    return "; ".join(f"{d}: {', '.join(map(str, p))}" for d, p in actor.pages.items())


def actors_csv(actors: Sequence[Actor]) -> str:
    """The actor list as CSV, one row per actor."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for a in actors:
        writer.writerow(
            [
                a.name,
                a.label,
                a.type or "",
                a.mentions,
                "; ".join(a.documents),
                pages_text(a),
                "; ".join(a.aliases),
                a.example.context if a.example else "",
                a.example.citation if a.example else "",
            ]
        )
    return out.getvalue()


def cooccurrence_graph(actors: Sequence[Actor]) -> nx.Graph:
    """Actors as nodes, joined when they appear in the same chunk; weight = shared chunks."""
    # networkx costs ~0.15 s at start-up; only the graph exports need it.
    import networkx as nx

    graph = nx.Graph()
    by_chunk: dict[int, list[str]] = defaultdict(list)
    for actor in actors:
        node = actor.key
        graph.add_node(
            node,
            name=actor.name,
            label=actor.label,
            type=actor.type or "",
            aliases="; ".join(actor.aliases),
            mentions=actor.mentions,
            documents=len(actor.documents),
        )
        for cid in actor.chunk_ids:
            by_chunk[cid].append(node)
    for nodes in by_chunk.values():
        for i, a in enumerate(nodes):
            for b in nodes[i + 1 :]:
                if a != b:
                    weight = graph.edges[a, b]["weight"] + 1 if graph.has_edge(a, b) else 1
                    graph.add_edge(a, b, weight=weight)
    return graph


def graph_text(actors: Sequence[Actor], fmt: str) -> str:
    """The co-occurrence network as GraphML or GEXF text."""
    # networkx costs ~0.15 s at start-up; only the graph exports need it.
    import networkx as nx

    graph = cooccurrence_graph(actors)
    buf = io.BytesIO()
    if fmt == "gexf":
        nx.write_gexf(graph, buf)
    else:
        nx.write_graphml(graph, buf)
    return buf.getvalue().decode("utf-8")


def counted(n: int, noun: str) -> str:
    """ "1 passage", "3 passages": a count with its noun (English plural in -s)."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def areas_markdown(report: AreaReport) -> str:
    """The area report as Markdown an analyst can paste into a memo."""
    lines = [f"# Opportunity areas: {report.taxonomy_name}", ""]
    lines.append(
        f"{counted(report.chunks, 'passage')} in the index; {report.chunks - report.untagged} "
        f"tagged with at least one area, {report.untagged} with none."
    )
    lines.append("")
    empty = [s.area for s in report.areas if not s.passages]
    for summary in report.areas:
        if not summary.passages:
            continue
        area = summary.area
        lines += [f"## {area.id} {area.name}", ""]
        if area.source:
            lines += [f"*Source: {area.source}*", ""]
        lines += [area.description, ""]
        documents = counted(len(summary.documents), "document")
        lines += [f"**{counted(summary.passages, 'passage')}** in {documents}:", ""]
        lines += ["| Document | Passages |", "| --- | ---: |"]
        lines += [f"| {_md(d.title)} | {d.passages} |" for d in summary.documents]
        lines += ["", "**Strongest evidence:**", ""]
        for n, p in enumerate(summary.top, start=1):
            lines.append(f"{n}. «{_md(p.evidence)}» — {_md(p.citation)} (score {p.score:.2f})")
        lines.append("")
        if summary.actors:
            names = ", ".join(f"{_md(a['name'])} ({a.get('mentions', 0)})" for a in summary.actors)
            lines += [f"**Actors:** {names}", ""]
    if empty:
        names = "; ".join(f"{a.id} {a.name}" for a in empty)
        lines += [f"No passages tagged for: {names}.", ""]
    return "\n".join(lines).rstrip() + "\n"


def _md(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")
