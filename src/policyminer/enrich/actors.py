"""Actors: mentions merged into actors with aliases, types and a co-occurrence graph."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from policyminer.enrich.aliases import (
    MentionRow,
    abbreviation_expansions,
    group_key,
    merge_mentions,
)
from policyminer.enrich.labels import LABELS, ORG_TYPES
from policyminer.enrich.names import clean_name, genitive_base, normalise
from policyminer.enrich.orgtypes import org_type, typed
from policyminer.enrich.spans import Mention, extract_mentions, mention_writer
from policyminer.errors import UsageError
from policyminer.records import page_mark
from policyminer.store.catalog import Catalog
from policyminer.store.enrichment import mention_rows

__all__ = [
    "LABELS",
    "ORG_TYPES",
    "Actor",
    "ActorsError",
    "Example",
    "Mention",
    "actors_from_rows",
    "clean_name",
    "extract_mentions",
    "genitive_base",
    "list_actors",
    "mention_writer",
    "normalise",
    "org_type",
]


@dataclass(frozen=True)
class Example:
    """One mention's sentence with where it is."""

    context: str
    doc_id: str
    title: str
    page: int
    section: str
    # what `page` counts: "page", "slide" (a deck's) or "part" (a Word file's or a web page's:
    # `page` is then its section's number)
    unit: str = "page"

    @property
    def paged(self) -> bool:
        return self.unit != "part"

    @property
    def citation(self) -> str:
        page = page_mark(self.page, self.unit, self.section)
        return ", ".join(part for part in (self.title or self.doc_id, page, self.section) if part)

    def as_dict(self) -> dict:
        return {
            "context": self.context,
            "doc_id": self.doc_id,
            "title": self.title,
            "page": self.page,
            "section": self.section,
            "citation": self.citation,
            "paged": self.paged,
            "unit": self.unit,
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
    # signals a caller's `describe` hook computed for it (see actors_from_rows); empty otherwise
    features: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

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

    def to_dict(self) -> dict[str, object]:
        """The CLI's JSON shape (same as as_dict)."""
        return self.as_dict()


def _canonical(rows: Sequence[MentionRow], label: str = "") -> tuple[str, list[str]]:
    """The most frequent non-genitive written form as name; the other forms as aliases.

    A person is named in full: a text introduces "Kari Marie Nordmann" once and then says
    "Nordmann", and the list should name the person as introduced.
    """
    forms = Counter(r.text for r in rows)
    keys = {normalise(f) for f in forms}

    def rank(form: str) -> tuple:
        base = genitive_base(normalise(form))
        genitive = base is not None and base in keys
        capitalised = form[:1].isupper() or form[:1] in "+0123456789"
        full = len(form.split()) if label == "PER" else 0
        return (not genitive, capitalised, full, forms[form], len(form))

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
    rows = [MentionRow(*r) for r in mention_rows(catalog, doc_ids)]
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
    documents = catalog.documents()
    titles = {d.id: d.title for d in documents}
    units = {d.id: d.unit for d in documents}
    return actors_from_rows(rows, chunk_texts, titles, units=units)


# (canonical name, label, aliases, the actor's mention rows, whether an abbreviation definition
# expanded it) → named signals, stored on the actor: lets a benchmark describe each actor
Describe = Callable[[str, str, Sequence[str], Sequence[MentionRow], bool], dict[str, float]]


def actors_from_rows(
    rows: Sequence[MentionRow],
    chunk_texts: dict[int, str],
    titles: dict[str, str],
    describe: Describe | None = None,
    units: Mapping[str, str] | None = None,
) -> list[Actor]:
    """Stored mentions merged into actors, most mentioned first (`describe`: signals per actor;
    `units`: each document's page unit, "page" where not given)."""
    units = units or {}
    expansions = abbreviation_expansions(rows, chunk_texts)
    actors = []
    for group in merge_mentions(rows, chunk_texts):
        label = _majority_label(group)
        name, aliases = _canonical(group, label)
        expanded = [
            long
            for long in dict.fromkeys(expansions.get(group_key(r.label, r.text), "") for r in group)
            if long and long != name and long not in aliases
        ]
        aliases += expanded
        pages: dict[str, set[int]] = defaultdict(set)
        for r in group:
            pages[r.doc_id].add(r.page)
        first = group[0]
        example = Example(
            first.sentence,
            first.doc_id,
            titles.get(first.doc_id, ""),
            first.page,
            first.section,
            units.get(first.doc_id, "page"),
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
                features=describe(name, label, aliases, group, bool(expanded)) if describe else {},
            )
        )
    actors.sort(key=lambda a: (-a.mentions, -len(a.documents), a.name.casefold()))
    return [a for a in actors if not _lone_surname(a)]


def _lone_surname(actor: Actor) -> bool:
    """A one-word "person" seen once and never with a first name, outside running text (a
    table cell, a heading, a sentence's first word), is more often a misread capitalised
    word than a person; inside a sentence it is a person known by surname ("… sa Nilsen")."""
    if actor.label != "PER" or actor.mentions != 1:
        return False
    if any(" " in form for form in (actor.name, *actor.aliases)):
        return False
    words = actor.example.context.split() if actor.example else []
    running = len(words) >= 5 and not words[0].startswith(actor.name)
    return not running


def list_actors(
    catalog: Catalog,
    doc_ids: Sequence[str] = (),
    label: str | None = None,
    org_type: str | None = None,
    min_mentions: int = 1,
    chunk_ids: frozenset[int] | None = None,
) -> list[Actor]:
    """Actors in the catalog (optionally some documents or chunks), most mentioned first."""
    actors = _build_actors(catalog, doc_ids, chunk_ids)
    return [
        a
        for a in actors
        if (label is None or a.label == label.upper())
        and (org_type is None or a.type == org_type)
        and a.mentions >= min_mentions
    ]


class ActorsError(UsageError):
    """A user-facing problem with an actors query (no index, unknown document or area)."""
