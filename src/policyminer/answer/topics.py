"""Questions that ask what the documents say about a topic ("Hva sier planen om parkering?",
"Kva står det om støy?", "What does the report say about noise?") or what rules they set for it
("Hvilke krav gjelder for ballbinger?"), answered from the sections whose headings name the
topic.

Such a question asks for a part of a document, not for one sentence: every sentence of a
section on parking says something about parking, none answers the question better than the
rest, and the sentence scorer abstains though the document has a whole section on it. So when
the few words the question asks about are all named by a heading in the documents retrieved,
those sections are quoted from their start. Where no heading names the topic, the question is
answered sentence by sentence as any other, the topic's words alone being the terms a sentence
is measured by (the words framing the question name the document asked, not the answer).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from policyminer.index.lexical import MIN_PART, word_stems, words
from policyminer.retrieve.sections import names_section
from policyminer.store.catalog import Catalog

__all__ = ["SECTION_SENTENCES", "TopicSection", "asked_topic", "topic_sections"]

MAX_TOPIC_WORDS = 4  # more content words than this ask something in particular
MAX_HEADING_WORDS = 12  # a longer "heading" is a sentence set large, not a section's name
SECTION_SENTENCES = (3, 2, 2)  # quoted from the first, second and third section found
MAX_SECTIONS = len(SECTION_SENTENCES)

# what a plan or report sets for a topic, asked for by its noun ("Hvilke krav gjelder for X?")
_RULES_NB = (
    r"(?:krav(?:ene)?|regler|reglene|bestemmelser|bestemmelsene|føringer|retningslinjer|vilkår)"
)
_RULES_EN = r"(?:requirements|rules|provisions|guidelines|conditions)"
_ASKS_ABOUT = re.compile(
    r"^\s*(?:"
    # "Hva sier planen om X?", "Hva står det (i planen) om X?", "Kva seier rapporten om X?"
    r"(?:hva|kva)\s+(?:sier|seier|står|skriver|skriv|skrives|sies|er\s+(?:sagt|skrevet|skrive))"
    r"\b.*?\bom"
    # "What does the plan say about X?", "What is said about X?"
    r"|what\s+(?:(?:does|do|did)\b.*?\b(?:say|write|state)|is\s+(?:said|written|stated))"
    r"\s+(?:about|on)"
    # "Hvilke krav gjelder for X?", "Hvilke krav stiller planen til X?", "Hva er kravene til X?"
    rf"|(?:hvilke|kva|hva\s+slags)\s+{_RULES_NB}\s+(?:gjelder|gjeld|stilles|stilt|er\s+det"
    r"|finnes|stiller\b.*?)\s+(?:for|til|ved)"
    rf"|(?:hva|kva)\s+er\s+{_RULES_NB}\s+(?:for|til)"
    # "What are the requirements for X?", "Which rules apply to X?"
    rf"|(?:what|which)\s+(?:are\s+the\s+)?{_RULES_EN}\s+(?:apply\s+to|are\s+there\s+for|for|on)"
    r")\s+(?P<topic>[^?]+?)\s*\??\s*$",
    re.IGNORECASE,
)
# the topic ends where a phrase points to where it is written ("om støy i planen")
_POINTING = re.compile(r"\s+(?:i|ifølge|ifølgje|etter|in|according\s+to)\s+.*$", re.IGNORECASE)
# a topic that opens a clause asks a question of its own ("om hvorfor …", "about how …")
_CLAUSE = re.compile(
    r"^(?:at|det|hva|kva|hvem|kven|hvordan|korleis|hvorfor|kvifor|hvor|kor|når|hvilke\w*"
    r"|kva\w*|that|what|who|how|why|where|when|which|whether)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TopicSection:
    """A section whose heading names the topic asked about."""

    doc_id: str
    heading: str


def asked_topic(question: str) -> str | None:
    """The topic a question asks the documents about ("parkering" in "Hva sier planen om
    parkering?"), or None when it asks something else or something in particular (in a
    numbered section: "Hva sier § 4.6 om parkering?")."""
    m = _ASKS_ABOUT.match(question)
    if m is None or names_section(question):
        return None
    topic = _POINTING.sub("", m.group("topic")).strip(" ,.;:")
    if not topic or _CLAUSE.match(topic):
        return None
    content = words(topic)
    if not content or len(content) > MAX_TOPIC_WORDS:
        return None
    return topic


def topic_sections(catalog: Catalog, hits: Sequence, topic: str) -> list[TopicSection]:
    """The sections (at most MAX_SECTIONS) of the hits' documents whose headings name every
    content word of the topic: headings with the fewest other words first, then those holding
    the best-ranked passages, then the rest in the order of their documents; a section inside
    one already chosen, or holding one, is left out (their texts overlap)."""
    wanted = words(topic)
    if not wanted:
        return []
    docs = list(dict.fromkeys(hit.chunk.doc_id for hit in hits))
    found: list[TopicSection] = []
    for doc_id in docs:
        found += [
            TopicSection(doc_id, p.text)
            for p in catalog.paragraphs(doc_id)
            if p.kind == "heading" and _names_topic(p.text, wanted)
        ]
    # a heading that names the topic and nothing else heads the section about it; one with
    # more words, a narrower matter ("Støytiltak" before "Støy fra industri og havn")
    ranked = sorted(
        found,
        key=lambda s: (_other_words(s.heading, wanted), _best_rank(s, hits), docs.index(s.doc_id)),
    )
    paths = {doc_id: _section_paths(catalog, doc_id) for doc_id in {s.doc_id for s in found}}
    chosen: list[TopicSection] = []
    for section in ranked:
        within = paths[section.doc_id]
        if any(
            _nested(section, other, within) or _nested(other, section, within)
            for other in chosen
            if other.doc_id == section.doc_id
        ):
            continue
        chosen.append(section)
    return chosen[:MAX_SECTIONS]


def _names_topic(heading: str, wanted: Sequence[str]) -> bool:
    """Whether a heading names each of the topic's words (as a word, a stem, or a compound's
    part: "Støytiltak" names "støy", "Nærballbinger" "ballbinger")."""
    named = words(heading)
    if not named or len(named) > MAX_HEADING_WORDS:
        return False
    return all(any(_related(w, h) for h in named) for w in wanted)


def _other_words(heading: str, wanted: Sequence[str]) -> int:
    """How many words of a heading (numbers aside) name something besides the topic."""
    return sum(
        1 for h in words(heading) if not h.isdigit() and not any(_related(w, h) for w in wanted)
    )


def _related(asked: str, written: str) -> bool:
    """Whether a written word names an asked one: the same word or stem, or a compound that
    begins or ends with it."""
    forms_asked, forms_written = _forms(asked), _forms(written)
    if forms_asked & forms_written:
        return True
    return any(
        len(a) >= MIN_PART and len(b) >= MIN_PART and (b.startswith(a) or b.endswith(a))
        for a in forms_asked
        for b in forms_written
    )


@lru_cache(maxsize=4096)
def _forms(word: str) -> frozenset[str]:
    """A word with its Norwegian and English stems."""
    return frozenset((word, *word_stems(word)))


def _best_rank(section: TopicSection, hits: Sequence) -> int:
    """Rank of the best passage inside the section (len(hits) when none is)."""
    for rank, hit in enumerate(hits):
        chunk = hit.chunk
        if chunk.doc_id == section.doc_id and section.heading in (
            *chunk.section_path,
            chunk.section,
        ):
            return rank
    return len(hits)


def _section_paths(catalog: Catalog, doc_id: str) -> set[tuple[str, ...]]:
    """The headings each passage of a document stands under, outermost first, its own last."""
    return {(*chunk.section_path, chunk.section) for chunk in catalog.chunks(doc_id)}


def _nested(inner: TopicSection, outer: TopicSection, paths: set[tuple[str, ...]]) -> bool:
    """Whether a section lies inside another of its document (`paths`: `_section_paths`)."""
    return any(outer.heading in path[:-1] and inner.heading in path for path in paths)
