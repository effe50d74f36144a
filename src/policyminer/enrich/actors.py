"""Actors: mentions merged into actors with aliases, types and a co-occurrence graph."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from policyminer.enrich.aliases import (
    MentionRow,
    abbreviation_expansions,
    group_key,
    merge_mentions,
)
from policyminer.enrich.names import clean_name, genitive_base, normalise
from policyminer.enrich.ner import INITIATIVE
from policyminer.enrich.orgtypes import ORG_TYPES, org_type, typed
from policyminer.enrich.spans import Mention, extract_mentions, mention_writer
from policyminer.store.catalog import CATALOG_FILE, Catalog

__all__ = [
    "LABELS",
    "ORG_TYPES",
    "Actor",
    "ActorsError",
    "Example",
    "Mention",
    "clean_name",
    "extract_mentions",
    "genitive_base",
    "list_actors",
    "mention_writer",
    "normalise",
    "org_type",
    "query_actors",
]

LABELS = ("ORG", "PER", "GPE", "LOC", INITIATIVE)


@dataclass(frozen=True)
class Example:
    """One mention's sentence with where it is."""

    context: str
    doc_id: str
    title: str
    page: int
    section: str

    @property
    def citation(self) -> str:
        where = f"{self.title or self.doc_id}, p. {self.page}"
        return f"{where}, {self.section}" if self.section else where

    def as_dict(self) -> dict:
        return {
            "context": self.context,
            "doc_id": self.doc_id,
            "title": self.title,
            "page": self.page,
            "section": self.section,
            "citation": self.citation,
        }


@dataclass
class Actor:
    """An organisation, person, place or initiative with its merged aliases and where it occurs."""

    name: str
    label: str
    type: str | None
    aliases: list[str]
    mentions: int
    documents: list[str]
    pages: dict[str, list[int]]
    example: Example | None
    chunk_ids: frozenset[int] = field(default_factory=frozenset, repr=False)
    type_confidence: float | None = None  # 0..1, how sure the organisation type is

    @property
    def key(self) -> str:
        return f"{self.label}:{normalise(self.name)}"

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "type_confidence": self.type_confidence,
            "aliases": self.aliases,
            "mentions": self.mentions,
            "documents": self.documents,
            "pages": self.pages,
            "example": self.example.as_dict() if self.example else None,
        }


def _canonical(rows: Sequence[MentionRow]) -> tuple[str, list[str]]:
    """The most frequent non-genitive written form as name; the other forms as aliases."""
    forms = Counter(r.text for r in rows)
    keys = {normalise(f) for f in forms}

    def rank(form: str) -> tuple:
        base = genitive_base(normalise(form))
        genitive = base is not None and base in keys
        capitalised = form[:1].isupper() or form[:1] in "+0123456789"
        return (not genitive, capitalised, forms[form], len(form))

    ordered = sorted(forms, key=rank, reverse=True)
    return ordered[0], sorted(ordered[1:], key=lambda f: (-forms[f], f))


def _majority_label(rows: Sequence[MentionRow]) -> str:
    """The most frequent label, but ORG when any ORG-tagged form reads as an organisation name."""
    counts = Counter(r.label for r in rows)
    if counts.get("ORG") and any(r.label == "ORG" and org_type(r.text) != "annet" for r in rows):
        return "ORG"
    # a one-word "person" merged into an organisation name is that organisation's short form
    org_forms = {normalise(r.text) for r in rows if r.label == "ORG"}
    people = [r.text for r in rows if r.label == "PER"]
    if (
        org_forms
        and people
        and all(
            " " not in p and any(f.startswith(normalise(p) + " ") for f in org_forms)
            for p in people
        )
    ):
        return "ORG"
    return max(counts, key=lambda lab: (counts[lab], -LABELS.index(lab)))


# ---------------------------------------------------------------- queries


def _load_rows(
    catalog: Catalog, doc_ids: Sequence[str], chunk_ids: frozenset[int] | None
) -> list[MentionRow]:
    sql = "SELECT chunk_id, doc_id, page, section, label, text, start, end, sentence FROM mentions"
    args: list = []
    if doc_ids:
        sql += f" WHERE doc_id IN ({','.join('?' * len(doc_ids))})"
        args.extend(doc_ids)
    rows = [MentionRow(*tuple(r)) for r in catalog.db.execute(sql + " ORDER BY id", args)]
    if chunk_ids is not None:
        rows = [r for r in rows if r.chunk_id in chunk_ids]
    return rows


def _build_actors(
    catalog: Catalog, doc_ids: Sequence[str] = (), chunk_ids: frozenset[int] | None = None
) -> list[Actor]:
    rows = _load_rows(catalog, doc_ids, chunk_ids)
    if not rows:
        return []
    wanted = sorted({r.chunk_id for r in rows})
    chunk_texts = {c.id: c.text for c in catalog.chunks(ids=wanted)}
    titles = {d.id: d.title for d in catalog.documents()}
    expansions = abbreviation_expansions(rows, chunk_texts)
    actors = []
    for group in merge_mentions(rows, chunk_texts):
        label = _majority_label(group)
        name, aliases = _canonical(group)
        aliases += [
            long
            for long in dict.fromkeys(expansions.get(group_key(r.label, r.text), "") for r in group)
            if long and long != name and long not in aliases
        ]
        pages: dict[str, set[int]] = defaultdict(set)
        for r in group:
            pages[r.doc_id].add(r.page)
        first = group[0]
        example = Example(
            first.sentence, first.doc_id, titles.get(first.doc_id, ""), first.page, first.section
        )
        otype, confidence = (
            typed(name, aliases, [r.sentence for r in group]) if label == "ORG" else (None, None)
        )
        actors.append(
            Actor(
                name,
                label,
                otype,
                aliases,
                len(group),
                sorted(pages),
                {d: sorted(p) for d, p in sorted(pages.items())},
                example,
                frozenset(r.chunk_id for r in group),
                confidence,
            )
        )
    actors.sort(key=lambda a: (-a.mentions, -len(a.documents), a.name.casefold()))
    return actors


def _lone_surname(actor: Actor) -> bool:
    """A one-word "person" seen once and never with a first name is more often a misread
    capitalised word (a table cell, a heading) than a person."""
    return (
        actor.label == "PER"
        and actor.mentions == 1
        and all(" " not in form for form in (actor.name, *actor.aliases))
    )


def list_actors(
    catalog: Catalog,
    doc_ids: Sequence[str] = (),
    label: str | None = None,
    org_type: str | None = None,
    min_mentions: int = 1,
    chunk_ids: frozenset[int] | None = None,
) -> list[Actor]:
    """Actors in the catalog (optionally some documents or chunks), most mentioned first."""
    actors = [a for a in _build_actors(catalog, doc_ids, chunk_ids) if not _lone_surname(a)]
    return [
        a
        for a in actors
        if (label is None or a.label == label.upper())
        and (org_type is None or a.type == org_type)
        and a.mentions >= min_mentions
    ]


def cooccurrence_graph(actors: Sequence[Actor]) -> nx.Graph:
    """Actors as nodes, joined when they appear in the same chunk; weight = shared chunks."""
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


# ---------------------------------------------------------------- what the CLI asks for


class ActorsError(Exception):
    """A user-facing problem with an actors query (no index, unknown document or area)."""


FORMATS = ("table", "csv", "json", "graphml", "gexf")


def query_actors(
    index_dir: Path,
    docs: Sequence[str] = (),
    label: str | None = None,
    org_type: str | None = None,
    min_mentions: int = 1,
    area: str | None = None,
) -> list[Actor]:
    """Resolve document references and an area id, then list the matching actors."""
    if label and label.upper() not in LABELS:
        raise ActorsError(f"unknown label {label!r} (choose from {', '.join(LABELS)})")
    if org_type and org_type not in ORG_TYPES:
        raise ActorsError(f"unknown type {org_type!r} (choose from {', '.join(ORG_TYPES)})")
    if not (Path(index_dir) / CATALOG_FILE).exists():
        raise ActorsError(f"{index_dir}: no index here (run `policyminer ingest` first)")
    with Catalog(index_dir) as catalog:
        doc_ids = []
        for ref in docs:
            doc = catalog.resolve(ref)
            if doc is None:
                raise ActorsError(f"{ref}: no such document in {index_dir}")
            doc_ids.append(doc.id)
        chunk_ids = None
        if area:
            from policyminer.enrich.areas import AreaError, chunk_ids_for_area

            try:
                chunk_ids = chunk_ids_for_area(catalog, area)
            except AreaError as exc:
                raise ActorsError(str(exc)) from exc
        return list_actors(catalog, doc_ids, label, org_type, min_mentions, chunk_ids)


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


def graph_text(actors: Sequence[Actor], fmt: str) -> str:
    """The co-occurrence network as GraphML or GEXF text."""
    graph = cooccurrence_graph(actors)
    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, buf)
    elif fmt == "gexf":
        nx.write_gexf(graph, buf)
    else:
        raise ActorsError(f"unknown graph format {fmt!r} (graphml or gexf)")
    return buf.getvalue().decode("utf-8")
