"""Actors: mentions extracted at ingest, merged into actors with aliases, types and a graph."""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from policyminer.enrich.labels import INITIATIVE, LABELS
from policyminer.enrich.ner import ACTOR_LABELS, load_pipeline
from policyminer.errors import UsageError
from policyminer.index.chunking import split_sentences
from policyminer.records import Chunk
from policyminer.store.catalog import Catalog, DerivedWriter
from policyminer.store.enrichment import insert_mentions, mention_rows

PIPE_BATCH = 32


# ---------------------------------------------------------------- mentions at ingest


@dataclass(frozen=True)
class Mention:
    """One entity mention in a chunk (offsets into the chunk text)."""

    chunk: int  # index into the chunks handed to the writer
    label: str
    text: str
    start: int
    end: int
    page: int
    section: str
    sentence: str


# Anaphoric or generic nouns, bare legal forms and concept acronyms (KI, IKT, FoU, EPJ) the
# NER sometimes tags; they name no particular actor.
_GENERIC_WORDS = """
    kommunen kommunene fylkeskommunen sykehuset sykehusene helseforetaket helseforetakene
    senteret utvalget bystyret departementet direktoratet staten regionen byen landet klyngen
    nettverket prosjektet programmet satsingen planen strategien reformen universitetet
    høgskolen høyskolen foretaket selskapet kommune fylke stat
    figur tabell kilde kilder note vedlegg kapittel bibliografi litteratur referanser
    sammendrag innledning hentet boks faktaboks forord
    hf rhf as asa sf iks ki ai ikt it fou epj bnp dps amk kad ppt"""
_GENERIC = set(_GENERIC_WORDS.split())
# Capitalised pronouns and articles that only open a sentence ("Det handler både …").
_OPENER_WORDS = """
    det den denne dette disse de hvordan hva hvor når slik samtidig både også men og i på
    for med vi vår våre gjennom skal kan vil må bør blant ifølge mens etter under over hos fra
    ved mot om uten innen særlig spesielt der her nå da"""
_OPENERS = set(_OPENER_WORDS.split())


def extract_mentions(chunks: Sequence[Chunk], nlp: Language | None = None) -> list[Mention]:
    """Run the pipeline over chunk texts; skip sentences repeated from the previous chunk."""
    nlp = nlp or load_pipeline()
    texts = [c.text for c in chunks]
    usage = WordUsage(texts)
    spans: list[tuple[int, str, int, int, str]] = []  # chunk, label, start, end, cleaned name
    for i, doc in enumerate(nlp.pipe(texts, batch_size=PIPE_BATCH)):
        if _REFERENCE_SECTION.match(chunks[i].section):
            continue
        # chunks overlap by a sentence or two; count each mention once, in its first chunk
        seen_until = chunks[i - 1].char_end - chunks[i].char_start if i else 0
        for label, start, end in _joined_entities(doc):
            if start < seen_until:
                continue
            # an entity never runs across a paragraph break ("Drammensregionen\n\nDette")
            # nor across a table cell boundary
            raw = _CELL_BREAK.split(texts[i][start:end])[0].rstrip()
            spans.append((i, label, start, start + len(raw), clean_name(raw)))
    # what the document names on its own: the pieces a run-together span may be made of
    known: dict[str, Counter[str]] = defaultdict(Counter)
    for _, label, _, _, text in spans:
        known[normalise(text)][label] += 1
    concepts = _concept_abbreviations(texts, spans)
    mentions: list[Mention] = []
    sentences_of: dict[int, list[tuple[int, int]]] = {}
    for i, label, start, end, name in spans:
        chunk, text = chunks[i], texts[i]
        if normalise(name) in concepts:
            continue
        if _in_citation(text, start, end, label) and not (
            label != "PER" and _named_outside_citations(name, texts, chunks)
        ):
            continue
        if i not in sentences_of:
            sentences_of[i] = split_sentences(text) or [(0, len(text))]
        sentences = sentences_of[i]
        sentence = next((text[s:e] for s, e in sentences if s <= start < e), text)
        for part, part_label in _pieces(name, label, known, usage):
            at = start + max(0, text[start:end].find(part))
            mentions.append(
                Mention(
                    i,
                    part_label,
                    part,
                    at,
                    min(end, at + len(part)) if part != name else end,
                    chunk.page_at(at),
                    chunk.section,
                    " ".join(sentence.split()),
                )
            )
    return mentions


_CELL_BREAK = re.compile(r"\n\n|\t| \| ")


def _joined_entities(doc: Doc) -> list[tuple[str, int, int]]:
    """Actor entities as (label, start, end), with names the NER cut in two put together:
    "Norlandia Health & Care Group", "HelseCampus Stavanger"."""
    text = doc.text
    out: list[list] = []
    for ent in doc.ents:
        label = ACTOR_LABELS.get(ent.label_)
        if label is None:
            continue
        start, end = ent.start_char, ent.end_char
        if out:
            prev_label, prev_start, prev_end = out[-1]
            gap = text[prev_end:start]
            if gap == " & " or (gap == " " and _joins(prev_label, label)):
                joined = {prev_label, label}
                out[-1] = [
                    "ORG" if "ORG" in joined or INITIATIVE not in joined else INITIATIVE,
                    prev_start,
                    end,
                ]
                continue
        if out and start < out[-1][2]:
            continue  # already taken in by the name before ("… & Care Group")
        # "Kongsberg Defence & Aerospace": the NER stops at the ampersand
        after = _AMPERSAND_NAME.match(text, end)
        if label == "ORG" and after:
            end = after.end()
        out.append([label, start, end])
    return [(label, start, end) for label, start, end in out]


def _joins(first: str, second: str) -> bool:
    """Two entities side by side make one name when a place qualifies an organisation,
    person or initiative ("Oslo" + "Cancer Cluster") or an initiative ("HelseCampus"
    + "Stavanger"); two places or two people side by side are a list."""
    places = ("GPE", "LOC")
    return (first in places and second not in places) or (first == INITIATIVE and second in places)


_AMPERSAND_NAME = re.compile(r" & [A-ZÆØÅ][\w-]*(?: [A-ZÆØÅ][\w-]*)*")


def _pieces(
    name: str, label: str, known: dict[str, Counter[str]], usage: WordUsage
) -> list[tuple[str, str]]:
    """The names in one entity span, with their labels; [] when it names nothing.

    A span can run over several names when a table row or a signature block lost its cell
    breaks ("Drammen kommune Trude Andresen Drammen", "Anders Debes Vestre Viken"): it is cut
    where no name goes on, and parts the document names on their own elsewhere are kept.
    """
    if label != INITIATIVE:
        name = usage.trim(name)
    # "NetZeroCities-prosjektet" is the project NetZeroCities (a coined name: CamelCase or a
    # digit; "Drammen-satsingen" is no project called Drammen)
    project = _PROJECT_SUFFIX.fullmatch(name)
    if project and re.search(r"[a-zæøå][A-ZÆØÅ]|\d", project.group(1)):
        name = project.group(1)
    if not _plausible(name):
        return []
    parts = [name] if label == INITIATIVE else _cut(name)
    if len(parts) == 1 and label != INITIATIVE:  # "Meld. St. 14 (2020–2021)" is one name
        parts = _peel_known(name, label, known)
    if len(parts) == 1 and label != INITIATIVE:
        parts = _owner_cut(name, known)
    if label != INITIATIVE:
        parts = [cut for part in parts for cut in _lead_cut(part, known, usage)]
    out = []
    for n, part in enumerate(parts):
        part_label = label
        if n or part != name:
            seen = known.get(normalise(part))
            if seen:
                part_label = seen.most_common(1)[0][0]
            elif n:
                continue  # an unknown later piece: a cell we cannot label
            if label != INITIATIVE:
                part = usage.trim(part)
            if not _plausible(part):
                continue
        out.extend(_checked(part, part_label, known, usage))
    return out


_PROJECT_SUFFIX = re.compile(
    r"(\S+)-(?:prosjektet|programmet|satsingen|satsningen|initiativet|nettverket)"
)


def _checked(name: str, label: str, known: dict[str, Counter[str]], usage: WordUsage):
    """Filters and label repairs for one name; yields (name, label) pairs."""
    # "Regjeringen", "Stortinget": state bodies keep their capital even when the
    # document mostly writes them in lower case
    state = bool(_STATE_BODY.search(name.casefold()))
    if not state and usage.common_noun(name, strict=label == INITIATIVE):
        return
    if not state and usage.sentence_case_only(name) and not _heads_longer_name(name, known):
        return
    # NorNE tags "Bergen kommune" as a place (and a weak model "Mayo Clinic" as a
    # person); written with an organisation noun it names the organisation
    if label in ("GPE", "LOC", "PER") and (
        org_type(name) != "annet" or _OTHER_ORG_NOUN.search(name)
    ):
        label = "ORG"
    elif label in ("ORG", "PER", "LOC") and _REGION.fullmatch(name):
        label = "GPE"  # "Drammensregionen", "Oslo-regionen": regions of municipalities
    for part, _, part_label in _split_coordination(name, label):
        yield part, part_label


_STATE_BODY = re.compile(
    r"regjering|storting|departement|direktorat|tilsyn|kommisjon|forskningsråd|\wutvalg(?:et)?s?\b"
)


def _heads_longer_name(word: str, known: dict[str, Counter[str]]) -> bool:
    """ "Næringsforeningen" is a name when the document also writes "Næringsforeningen i …"."""
    key = normalise(word) + " "
    return any(k.startswith(key) for k in known)


def _cut(name: str) -> list[str]:
    """Split a run-together span where one name ends and another starts: at a spaced dash
    ("Care Group - Pål Stenbro"), at a bare number ("Drammen 35 Sykepleie"), at a repeated
    word ("Porsgrunn Porsgrunn") and where a lower-case word inside a name is followed by a
    capitalised one ("Drammen kommune Trude Andresen")."""
    parts: list[str] = []
    for piece in re.split(r"\s+[-–—]\s+|\s+\d[\d\s.,%]*\s+(?=\D)", name):
        words = piece.split()
        current: list[str] = []
        for w in words:
            prev = current[-1] if current else ""
            lower_gap = (
                len(current) >= 2
                and prev[:1].islower()
                and prev not in _LINK_WORDS
                and any(x[:1].isupper() for x in current[:-1])
                and w[:1].isupper()
                and w not in _LEGAL_WORDS
            )
            if current and (lower_gap or w == prev):
                parts.append(" ".join(current))
                current = []
            current.append(w)
        if current:
            parts.append(" ".join(current))
    return [p for p in parts if p] or [name]


def _peel_known(name: str, label: str, known: dict[str, Counter[str]]) -> list[str]:
    """Names the document uses on their own, peeled off a span that runs over them:
    "Drammen Kongsberg Lier" → three places; "Anders Debes Vestre Viken" → the person and
    the trust. A span the document itself writes more than once is left whole."""
    words = name.split()
    if len(words) < 3 or any(w in _LINK_WORDS for w in words):
        return [name]
    if sum(known.get(normalise(name), Counter()).values()) > 1:
        return [name]
    found = _known_ranges(words, known)
    if label == "PER" and found and found[-1][1] == len(words) and found[-1][0] > 0:
        head, tail = found[-1][0], len(words) - found[-1][0]
        known_tail = known[normalise(" ".join(words[head:]))]
        if max(head, tail) >= 2 and known_tail.most_common(1)[0][0] != "PER":
            return [" ".join(words[:head]), " ".join(words[head:])]
    # all of it known names, or at least three of them ("Norway Health Tech" is no list
    # even where "Norway" and "Health" are tagged on their own)
    covered = sum(b - a for a, b in found) == len(words)
    two_full_names = all(b - a >= 2 for a, b in found)  # "Erland Skogli Prosjektansvarlig Menon…"
    if len(found) >= 3 or (len(found) == 2 and (covered or two_full_names)):
        return [" ".join(words[a:b]) for a, b in found]
    return [name]


def _lead_cut(name: str, known: dict[str, Counter[str]], usage: WordUsage) -> list[str]:
    """ "Byen Drammen", "Dersom Drammensregionen", "Radiografi Drammen": a word the document
    writes in lower case, before a name it uses on its own, is no part of the name.
    Organisation names ("Sykehuset Telemark", "Helse Bergen") and names written so more than
    once stay whole."""
    first, _, rest = name.partition(" ")
    word = first.rstrip("-") or first
    labels = known.get(normalise(rest))
    # a first name is no common word ("Michael Porter" stays whole)
    if not rest[:1].isupper() or not labels or labels.most_common(1)[0][0] == "PER":
        return [name]
    if sum(known.get(normalise(name), Counter()).values()) > 1 or org_type(name) != "annet":
        return [name]
    return [rest] if usage.common_noun(word) or word.casefold() in _OPENERS else [name]


def _owner_cut(name: str, known: dict[str, Counter[str]]) -> list[str]:
    """ "Helsedirektoratets Innbyggerundersøkelse": an organisation in the genitive owns
    what follows, a report or a survey, which is no actor of its own."""
    first, _, rest = name.partition(" ")
    base = genitive_base(normalise(first))
    if not rest[:1].isupper() or not base or " " in base:
        return [name]
    labels = known.get(base)
    return [first, rest] if labels and labels.most_common(1)[0][0] == "ORG" else [name]


def _known_ranges(words: Sequence[str], known: dict[str, Counter[str]]) -> list[tuple[int, int]]:
    """Word ranges of names known on their own, longest first from the left; a known name
    that is itself a run of known names ("Drammen Kongsberg Lier" seen once more) is
    split too."""
    found: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        for j in range(len(words), i, -1):
            if (i, j) == (0, len(words)) or normalise(" ".join(words[i:j])) not in known:
                continue
            inner = _known_ranges(words[i:j], known) if j - i >= 3 else []
            if len(inner) >= 2:
                found.extend((i + a, i + b) for a, b in inner)
            else:
                found.append((i, j))
            i = j
            break
        else:
            i += 1
    return found


def _concept_abbreviations(texts: Sequence[str], spans: Sequence[tuple]) -> set[str]:
    """Abbreviations the document introduces after a lower-case phrase: "tverrfaglig
    spesialisert rusbehandling (TSB)", "samarbeidsavtale (MOU)". They name concepts, not
    actors, unless a capitalised long form introduces them too."""
    concept, named = set(), set()
    for i, _, start, end, name in spans:
        text = texts[i]
        if not _ACRONYM_ONLY.fullmatch(name):
            continue
        # the brackets hold abbreviations only: "(TSB)", "(FACT/AAT)"
        opened = text.rfind("(", max(0, start - 20), start)
        if opened < 0 or not _ACRONYMS_BEFORE.fullmatch(text[opened + 1 : start]):
            continue
        if not _ACRONYMS_AFTER.match(text, end):
            continue
        before = re.split(r"[.;:!?()\n]", text[max(0, opened - 120) : opened])[-1].split()
        window = before[-(len(name) + 2) :]
        key = normalise(name)
        if window and all(not any(ch.isupper() for ch in w) for w in window):
            concept.add(key)
        else:
            named.add(key)
    return concept - named


_ACRONYM_ONLY = re.compile(r"[A-ZÆØÅ][A-ZÆØÅ0-9]{1,7}")
_ACRONYMS_BEFORE = re.compile(r"(?:\s*[A-ZÆØÅ][A-ZÆØÅ0-9]{1,7}\s*[/,&])*\s*")
_ACRONYMS_AFTER = re.compile(r"(?:\s*[/,&]\s*[A-ZÆØÅ][A-ZÆØÅ0-9]{1,7})*\s*\)")


# "(Hofstad, 2021)", "Hofstad et al. (2019)", "Kilde: Menon": references, not actors
_CITED_AFTER = re.compile(
    # more authors may come first: "Holmøy, Berg og Heyn (2020)"
    # possessive: a name is never re-split into shorter names (exponential on capitals)
    r"^(?:\s*+,?\s*+(?:og|&|and)?\s*+[A-ZÆØÅ][\w-]++)*?"
    r"(?:\s+et al\.?|,?\s*\(?(?:19|20)\d\d[a-z]?\b|,\s*[A-ZÆØÅ]\.(?:\s?[A-ZÆØÅ]\.)*[\s,&])"
)
# reference lists are citations from top to bottom
_REFERENCE_SECTION = re.compile(
    r"^[\d.\s]*(?:referanser|referanseliste|litteratur|litteraturliste|kilder|kildeliste|"
    r"bibliografi|references|bibliography)\b",
    re.IGNORECASE,
)
_SOURCE_NOTE = re.compile(
    r"(?:(?:Kilde|Kilder|Source|Sources)\s*:[^\n.]*|"
    r"\b(?:[Bb]earbeidet|[Bb]earbejdet|[Uu]tarbeidet|[Tt]ilpasset|[Aa]dapted) a[vf]\s+)$"
)


def _in_citation(text: str, start: int, end: int, label: str) -> bool:
    """True for names inside author-year citations ("(Hofstad, Berg, & Heyn, 2021)",
    "(OECD, 2023a; Menon Economics, 2022)"), authors cited in running text ("Hofstad et
    al. (2019)") and names in source notes ("Kilde: Menon", "Bearbeidet av SSB").

    An organisation cited as a source is still listed when the text names it elsewhere.
    """
    if label == "PER" and _CITED_AFTER.match(text[end : end + 80]):
        return True
    if _citation_group(text, start, end):
        return True
    return label in ("PER", "ORG") and bool(_SOURCE_NOTE.search(text[max(0, start - 120) : start]))


# one reference in a bracketed list: "Hofstad, Berg, & Heyn, 2021", "Munkhaugen, et al., 2025"
_REFERENCE = re.compile(
    r"[A-ZÆØÅ][^()]*?(?:,|\bet al\.?|[\w.])\s+(?:(?:19|20)\d\d[a-z]?|u\.\s?[åd]\.)"
)


def _named_outside_citations(name: str, texts: Sequence[str], chunks: Sequence[Chunk]) -> bool:
    """True when the text names an organisation cited as a source ("(OECD, 2023a)") also
    outside references ("OECDs analyser viser"): then it is an actor, not only a source."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(name)}s?(?![\w-])")
    for text, chunk in zip(texts, chunks, strict=True):
        if _REFERENCE_SECTION.match(chunk.section):
            continue
        for m in pattern.finditer(text):
            if not _in_citation(text, m.start(), m.end(), "ORG"):
                return True
    return False


def _citation_group(text: str, start: int, end: int) -> bool:
    """True when the span sits in brackets that hold only author-year references."""
    opened = text.rfind("(", max(0, start - 300), start)
    closed = text.find(")", end, end + 300)
    if opened < 0 or closed < 0 or ")" in text[opened:start] or "(" in text[end:closed]:
        return False
    refs = [r.strip() for r in text[opened + 1 : closed].split(";")]
    return all(_REFERENCE.fullmatch(r) for r in refs)


_OTHER_ORG_NOUN = re.compile(
    r"(?i)\b(?:\w*skole|\w*forening(?:en)?|\w*forbund(?:et)?|stiftelse(?:n)?|museum|forum)\b"
)
_COORDINATED = re.compile(r"([A-ZÆØÅ][\w-]+) og ([A-ZÆØÅ][\w-]+)")


def _split_coordination(text: str, label: str) -> list[tuple[str, bool, str]]:
    """ "Asker og Bærum" is two places, not one organisation; other names stay whole.

    Returns (name, whether it is a part, label) triples.
    """
    m = _COORDINATED.fullmatch(text)
    if label == INITIATIVE or not m or org_type(text) != "annet":
        return [(text, False, label)]
    return [(part, True, "GPE" if label == "ORG" else label) for part in m.groups()]


_REGION = re.compile(r"[A-ZÆØÅ][\w-]*regionen?s?")
_WORD = re.compile(r"(?<![\w-])\w[\w-]*")
_OPENS = re.compile(r"(?:^|[\n.!?:;•▪●–\t|-])[\s«\"(*]*(?:\d+(?:\.\d+)*[.)]?\s+)?$")


_ENDINGS = ("en", "et", "n", "t", "a", "ene", "er", "e")
_NAME_LINKS = {"i", "for", "på", "og", "av", "til", "ved", "under", "&", "-", "–"}
_LINK_WORDS = _NAME_LINKS | {
    *("og", "of", "and", "the", "in", "on", "at", "to", "by", "de", "la", "du", "von", "van"),
}
_NOTE_PREFIX = re.compile(r"(?:Bearbeidet|Bearbejdet|Utarbeidet|Tilpasset|Adapted) a[vf]\b")
_LEGAL_WORDS = {"AS", "ASA", "SA", "AB", "HF", "RHF", "KF", "IKS", "SF", "BA"}


_PLAIN_WORD = re.compile(r"[A-ZÆØÅ][a-zæøåéü]+(?:-[a-zæøåéü]+)*")


class WordUsage:
    """How a document writes each word: in lower case, or capitalised inside a sentence."""

    def __init__(self, texts: Sequence[str]):
        self.lower: Counter[str] = Counter()
        self.capital_inside: Counter[str] = Counter()
        for text in texts:
            for m in _WORD.finditer(text):
                word = m.group()
                if word[0].islower():
                    self.lower[word] += 1
                elif not _OPENS.search(text[max(0, m.start() - 12) : m.start()]):
                    self.capital_inside[word.casefold()] += 1

    def trim(self, name: str) -> str:
        """Drop what the NER took along: a sentence-opening word ("Gjennom Helsefellesskapet"),
        a phrase that only starts with a capital ("Norsk helsetjeneste kjennetegnes") or a
        trailing number ("Figur 2-10", "Drammen 97"). Returns "" when nothing is left."""
        name = re.sub(r"(?:\s+[\d.,–-]+)+$", "", name)
        words = name.split()
        if len(words) < 2:
            return name
        if words[0].casefold() in _OPENERS:
            # "Den kommunale legevakten": an article opening a phrase, not a name
            return " ".join(words[1:]) if words[1][:1].isupper() else ""
        if any(w[:1].isupper() for w in words[1:]):
            return name  # "Helse Sør-Øst", "Universitetet i Bergen"
        first = words[0].rstrip("-") or words[0]
        if words[1] in _NAME_LINKS:
            # "Del av offentlig institusjon", "Arbeids- og …" are phrases; an organisation
            # noun makes a name ("Helse- og omsorgsdepartementet", "Senter for …")
            if org_type(name) != "annet":
                return name
            # ... unless the document writes that first word capitalised inside a sentence
            # ("blant annet Helse- og omsorgstjenesteloven")
            return "" if self.capital_inside[words[0].casefold()] == 0 else name
        return "" if self.common_noun(first) else name

    def common_noun(self, name: str, strict: bool = False) -> bool:
        """True for a one-word "name" the document writes in lower case more often than
        capitalised inside sentences ("Analyse", "Parallelt"): its capital opens a sentence."""
        if " " in name or not name[:1].isupper() or not name[1:].islower():
            return False
        key = name.casefold()
        # inflected forms count too: "Bakgrunnen" is common if "bakgrunn" is
        forms = {key, *(key[: -len(end)] for end in _ENDINGS if key.endswith(end))}
        forms |= {form + end for form in list(forms) for end in _ENDINGS}
        lower = sum(self.lower[form] for form in forms)
        if strict:  # initiatives are often written in lower case too ("samhandlingsreformen")
            return lower > 0 and self.capital_inside[key] == 0
        return lower > self.capital_inside[key]

    def sentence_case_only(self, name: str) -> bool:
        """True for a one-word "name" the document only ever writes capitalised where a
        sentence, heading or cell starts ("Effektiviseringspotensialet er betydelig."):
        nothing shows that its capital is a name's."""
        if not _PLAIN_WORD.fullmatch(name):
            return False  # "Helsenorge.no", "HelseHub", "EU4Health" look like names anyway
        return self.capital_inside[name.casefold()] == 0


def mention_writer(chunks: Sequence[Chunk], nlp: Language | None = None) -> DerivedWriter:
    """A writer that stores the document's PER/ORG/GPE/LOC/INITIATIVE mentions with their chunk.

    `nlp` defaults to the shipped pipeline (loaded once per process).
    """
    mentions = extract_mentions(chunks, nlp)  # before the transaction: NER takes seconds

    def write(db: sqlite3.Connection, doc_id: str, chunk_ids: list[int]) -> None:
        insert_mentions(
            db,
            [
                (
                    chunk_ids[m.chunk],
                    doc_id,
                    m.page,
                    m.section,
                    m.label,
                    m.text,
                    m.start,
                    m.end,
                    m.sentence,
                )
                for m in mentions
            ],
        )

    return write


def clean_name(text: str) -> str:
    """Collapse line breaks and spaces; trim punctuation the NER sometimes takes along."""
    text = " ".join(text.split())
    text = re.sub(r"(\w)- ([A-ZÆØÅ])", r"\1-\2", text)  # "Sør- Øst" split at a line end
    text = text.strip(" ,.;:!?([]«»\"“”'’*&•–")
    if text.endswith(")") and text.count("(") < text.count(")"):
        text = text[:-1].rstrip()  # keep "Meld. St. 9 (2024–2025)" whole
    text = re.sub(r"^\d[\d\s.,:/–-]*\s+(?=[A-ZÆØÅ])", "", text)  # "2023 Videregående", "2-10 …"
    # a preposition or conjunction the NER took along at the end ("Drammensregionen med")
    return re.sub(_TRAILING_WORDS, "", text)


# words a name never ends with: the NER ran on into the sentence ("Direktoratet har blant")
_TRAILING_WORDS = re.compile(
    r"(?:\s+(?:med|og|i|for|på|til|av|som|ved|har|hadde|er|var|der|blant|annet|kan|skal|vil|"
    r"må|også|mellom|om|fra|mot|and|of|the|in))+$"
)


def _plausible(text: str) -> bool:
    """Names have a letter, some length, a capital or digit, and are not generic nouns."""
    if len(text) < 2 or not any(ch.isalpha() for ch in text):
        return False
    if text.casefold() in _GENERIC or text.endswith("-"):
        return False
    words = text.split()
    if len(words) > 1 and words[0].casefold() in _OPENERS and text[len(words[0]) :].islower():
        return False
    if words[0] in _LINK_WORDS or _NOTE_PREFIX.match(text):
        return False  # "of Medicine": the NER started inside a name; "Bearbeidet av SSB"
    return any(ch.isupper() or ch.isdigit() or ch == "+" for ch in text)


# ---------------------------------------------------------------- alias merging


_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "’": "'"})
# Legal-form suffixes do not change who is meant ("Drammen Helsepark AS" = "Drammen Helsepark").
_LEGAL = r"(?:as|asa|sf|kf|iks|hf|rhf|ab|ltd|inc|gmbh|plc|sa|ba)"
# "Helseforetaket Vestre Viken" / "Vestre Viken helseforetak": the health trust is its region.
_HF_WORDS = r"(?:helseforetaket|helseforetak|foretaket)"


def normalise(name: str, strip_forms: bool = True) -> str:
    """The comparison key of a name: case, dashes, hyphen spacing and legal forms ignored."""
    key = unicodedata.normalize("NFKC", name).translate(_DASHES).casefold()
    key = re.sub(r"\s*-\s*", "-", key)  # "Sør- Øst" / "Sør -Øst" → "sør-øst"
    key = key.replace("-", " ")  # "Vest-Viken" = "Vest Viken"
    key = re.sub(r"[^\w+&' ]", " ", key)
    key = " ".join(key.split())
    if not strip_forms:
        return key
    key = re.sub(rf"(?: {_LEGAL})+$", "", key)
    key = re.sub(rf"^{_HF_WORDS} | {_HF_WORDS}$", "", key) if " " in key else key
    return key.strip()


def genitive_base(key: str) -> str | None:
    """The base form of a genitive key ("trondheim kommunes" → "trondheim kommune")."""
    if key.endswith("'s") or key.endswith("' s"):
        return key.rsplit("'", 1)[0].strip()
    if key.endswith("s") and len(key) > 3:
        return key[:-1]
    return None


def _abbreviation_fits(abbr: str, long: str) -> bool:
    """ABBR's letters occur in order in the long name and it starts with the long name's initial."""
    letters = [ch for ch in abbr.casefold() if ch.isalnum()]
    words = long.casefold()
    if len(letters) < 2 or not words or words[0] != letters[0]:
        return False
    pos = 0
    for ch in letters:
        pos = words.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    return len(letters) <= len(long.split()) * 4 and len(long) > len(abbr) + 3


_ABBR = r"[A-ZÆØÅ][A-Za-zÆØÅæøå0-9&-]{1,9}"
_AFTER_ABBR = re.compile(rf"^\s*\(\s*({_ABBR})\s*[),;]")
_AFTER_LONG = re.compile(r"^\s*\(\s*([A-ZÆØÅ][^()\n]{3,80}?)\s*[),;]")


def abbreviation_pairs(texts: Iterable[tuple[str, int, int]]) -> list[tuple[str, str]]:
    """(long name, abbreviation) pairs taught by "Long Name (ABBR)" and "ABBR (Long Name)".

    `texts` yields (chunk text, mention start, mention end) for mentions to look after.
    """
    pairs: list[tuple[str, str]] = []
    for text, start, end in texts:
        name = clean_name(text[start:end])
        after = text[end : end + 100]
        m = _AFTER_ABBR.match(after)
        if m and _abbreviation_fits(m.group(1), name):
            pairs.append((name, m.group(1)))
            continue
        m = _AFTER_LONG.match(after)
        if m and _abbreviation_fits(name, m.group(1)):
            pairs.append((clean_name(m.group(1)), name))
    return pairs


_ACRONYM = re.compile(r"[A-ZÆØÅ][A-ZÆØÅa-z0-9&-]{1,9}")


def abbreviation_expansions(rows: Sequence[_Row], chunk_texts: dict[int, str]) -> dict[str, str]:
    """Long forms written before an abbreviation in brackets, "Voksenpsykiatrisk avdeling (VOPA)".

    Keyed by the abbreviation's group key; the long form need not be an entity itself.
    """
    found: dict[str, str] = {}
    for r in rows:
        text = chunk_texts.get(r.chunk_id, "")
        if not (_ACRONYM.fullmatch(r.text) and sum(ch.isupper() for ch in r.text) >= 2):
            continue
        if not (
            text[max(0, r.start - 2) : r.start].endswith("(") and text[r.end : r.end + 1] in ")"
        ):
            continue
        before = text[max(0, r.start - 120) : r.start].rstrip(" (").split("\n")[-1]
        words = before.split()
        for n in range(1, min(len(words), 8) + 1):
            long = clean_name(" ".join(words[-n:]))
            if long[:1].isupper() and _abbreviation_fits(r.text, long):
                found.setdefault(_group_key(r.label, r.text), long)
                break
    return found


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

    @property
    def key(self) -> str:
        return f"{self.label}:{normalise(self.name)}"

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "aliases": self.aliases,
            "mentions": self.mentions,
            "documents": self.documents,
            "pages": self.pages,
            "example": self.example.as_dict() if self.example else None,
        }

    def to_dict(self) -> dict[str, object]:
        """The CLI's JSON shape (same as as_dict)."""
        return self.as_dict()


@dataclass(frozen=True)
class _Row:
    chunk_id: int
    doc_id: str
    page: int
    section: str
    label: str
    text: str
    start: int
    end: int
    sentence: str


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _group_key(label: str, text: str) -> str:
    # people, organisations and places share a namespace (the NER mixes ORG/GPE for
    # "Drammen"); initiatives stay apart ("Helseplattformen" ≠ "Helseplattformen AS")
    space = "I" if label == INITIATIVE else "E"
    return f"{space}:{normalise(text)}"


def _row_keys(rows: Sequence[_Row]) -> list[str]:
    """Each mention's group key. "Vestfold HF" keeps its legal form when the bare name
    ("Vestfold") is hardly ever an organisation in these mentions: the trust is not the county."""
    stripped = [_group_key(r.label, r.text) for r in rows]
    plain = [
        ("I:" if r.label == INITIATIVE else "E:") + normalise(r.text, strip_forms=False)
        for r in rows
    ]
    bare: dict[str, Counter[str]] = defaultdict(Counter)
    for r, p, k in zip(rows, plain, stripped, strict=True):
        if p == k:
            bare[k][r.label] += 1
    keys = []
    for p, k in zip(plain, stripped, strict=True):
        labels = bare.get(k)
        # some ORG readings of the bare name ("Vestre Viken" for the trust) allow the merge
        place_like = labels and labels["ORG"] <= 0.2 * sum(labels.values())
        keys.append(p if p != k and place_like else k)
    return keys


def merge_mentions(rows: Sequence[_Row], chunk_texts: dict[int, str]) -> list[list[_Row]]:
    """Group mentions that name the same actor (normalised form, genitive, abbreviations)."""
    uf = _UnionFind()
    row_keys = _row_keys(rows)
    keys = set(row_keys)
    for key in keys:
        uf.find(key)
    found = ((chunk_texts[r.chunk_id], r.start, r.end) for r in rows if r.chunk_id in chunk_texts)
    for long, abbr in abbreviation_pairs(found):
        for space in ("E", "I"):
            a, b = f"{space}:{normalise(long)}", f"{space}:{normalise(abbr)}"
            if a in keys:
                uf.union(a, b)
    known = set(uf.parent)  # includes abbreviations learnt from brackets
    for key in keys:
        base = genitive_base(key)
        # "USNs" → "USN"; "Telemarksforskningens" → "Telemarksforskning"
        for candidate in (base, key[:-3] if key.endswith(("ens", "ets")) else None):
            if candidate and candidate in known:
                uf.union(key, candidate)
                break
    _merge_short_forms(uf, keys, rows, row_keys)
    _merge_person_names(uf, keys, rows, row_keys)
    _merge_across_initiatives(uf, keys, rows, row_keys)
    _merge_spelling_slips(uf, keys)
    groups: dict[str, list[_Row]] = defaultdict(list)
    for r, key in zip(rows, row_keys, strict=True):
        groups[uf.find(key)].append(r)
    return list(groups.values())


def _merge_person_names(
    uf: _UnionFind, keys: set[str], rows: Sequence[_Row], row_keys: Sequence[str]
) -> None:
    """ "Porter" = "Michael Porter" and "Janne H. Dugstad" = "Janne Herholdt Dugstad" when only
    one person in these mentions fits."""
    people = {k for r, k in zip(rows, row_keys, strict=True) if r.label == "PER"}
    full = [k.split(":", 1)[1].split() for k in people]
    full = [w for w in full if len(w) >= 2]
    for key in people:
        words = key.split(":", 1)[1].split()
        if len(words) == 1:
            fits = {uf.find("E:" + " ".join(w)) for w in full if w[-1] == words[0]}
        else:
            fits = {
                uf.find("E:" + " ".join(w))
                for w in full
                if w != words
                and w[0] == words[0]
                and w[-1] == words[-1]
                and len(w) == len(words)
                and all(a[0] == b[0] for a, b in zip(w[1:-1], words[1:-1], strict=True))
            }
        if len(fits) == 1:
            uf.union(key, fits.pop())


def _merge_across_initiatives(
    uf: _UnionFind, keys: set[str], rows: Sequence[_Row], row_keys: Sequence[str]
) -> None:
    """The same written name tagged ORG in one place and INITIATIVE in another is one actor,
    unless a legal form marks the organisation ("Helseplattformen AS")."""
    legal = {k for r, k in zip(rows, row_keys, strict=True) if normalise(r.text, False) != k[2:]}
    for key in keys:
        other = "E:" + key[2:]
        if key.startswith("I:") and other in keys and other not in legal:
            uf.union(key, other)


def _merge_spelling_slips(uf: _UnionFind, keys: set[str]) -> None:
    """Long names one typing slip apart ("Helsepersonellkommissjonen") are one name."""
    by_length: dict[tuple[str, int], list[str]] = defaultdict(list)
    for key in keys:
        name = key.split(":", 1)[1]
        if len(name) >= 12 and not any(ch.isdigit() for ch in name):
            by_length[key[0], len(name)].append(key)
    for (space, n), group in by_length.items():
        longer = by_length.get((space, n + 1), [])
        for key in group:
            for other in (*(k for k in group if k > key), *longer):
                if _one_edit(key[2:], other[2:]):
                    uf.union(key, other)


def _one_edit(a: str, b: str) -> bool:
    """True if b is a with one character inserted, deleted or replaced."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    return a[i + 1 :] == b[i + 1 :] if len(a) == len(b) else a[i:] == b[i + 1 :]


_DEFINITE = re.compile(r"\w{5,}(?:et|en|a|ene)$")


def _merge_short_forms(
    uf: _UnionFind, keys: set[str], rows: Sequence[_Row], row_keys: Sequence[str]
) -> None:
    """ "Næringsforeningen" = "Næringsforeningen i Drammensregionen" when that is the only longer
    name it starts; only for one-word organisation names in the definite form, never places
    ("Trondheim" ≠ "Trondheim kommune")."""
    labels: dict[str, set[str]] = defaultdict(set)
    for r, key in zip(rows, row_keys, strict=True):
        labels[key].add(r.label)
    for key in keys:
        space, name = key.split(":", 1)
        if space != "E" or " " in name or labels[key] != {"ORG"} or not _DEFINITE.fullmatch(name):
            continue
        longer = {uf.find(k) for k in keys if k.startswith(key + " ") and labels[k] == {"ORG"}}
        if len(longer) == 1:
            uf.union(key, longer.pop())


def _canonical(rows: Sequence[_Row]) -> tuple[str, list[str]]:
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


def _majority_label(rows: Sequence[_Row]) -> str:
    """The most frequent label, but ORG when any ORG-tagged form reads as an organisation name."""
    counts = Counter(r.label for r in rows)
    if counts.get("ORG") and any(r.label == "ORG" and org_type(r.text) != "annet" for r in rows):
        return "ORG"
    return max(counts, key=lambda lab: (counts[lab], -LABELS.index(lab)))


# ---------------------------------------------------------------- organisation types

_TYPE_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("fylkeskommune", re.compile(r"fylkeskommune")),
    (
        "internasjonal organisasjon",
        re.compile(
            r"^(?:eu|fn|un|oecd|who|nato|unesco|unicef|wto|imf|eøs|efta|esa|iea)$|"
            r"\b(?:world|united nations|european|europeiske|international|verdens|nordisk "
            r"ministerråd|nordic council)\b"
        ),
    ),
    ("kommune", re.compile(r"(?<!fylkes)kommune\b|\bbydel|interkommunal")),
    (
        "departement/direktorat/etat",
        re.compile(
            r"departement|direktorat|tilsyn|\betat|regjering|storting|forskningsråd|utvalg|"
            r"kommisjon|^statens |verket$|registr|\bnav\b|\bombud|byrå\b|\bsf$|rådet$"
        ),
    ),
    (
        "helseforetak/sykehus",
        re.compile(
            r"\b(?:hf|rhf)$|sykehus|sjukehus|sjukestugu|helseforetak|^helse |^klinikk for|"
            r"\bhospital|\bclinic|legevakt|avdeling"
        ),
    ),
    (
        "universitet/høgskole",
        re.compile(
            r"universitet(?!ssykehus)|university|høgskole|høgskule|høyskole|\bcollege|fagskole|"
            r"handelshøyskole|^ui[a-zø]$|\bfakultet"
        ),
    ),
    ("forskningsinstitutt", re.compile(r"forskning|institutt|\bresearch|\blaborator")),
    (
        "klynge/nettverk",
        re.compile(
            r"klynge|cluster|nettverk|network|\bvalley\b|fellesskap|samarbeid|allianse|alliance"
        ),
    ),
    (
        "bedrift",
        re.compile(
            r"\b(?:as|asa|ab|ltd|inc|gmbh|plc|group|gruppen|konsern|holding|invest|eiendom"
            r"\w*|consulting|economics|pharma|capital)\b|sparebank(?!stiftelse)|"
            # private clinics carry a brand: "Nimo Klinikken", "Heiaklinikken", "Klinikk Haukeland"
            r"klinikken\b|^klinikk \w"
        ),
    ),
    # associations, foundations, schools and museums fall through to "annet"
]
_CONTEXT_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "bedrift",
        re.compile(
            r"\b(?:selskap\w*|bedrift\w*|firma\w*|leverandør\w*|konsern\w*|"
            r"aksjeselskap\w*|oppstartsselskap\w*|startup\w*)\b"
        ),
    ),
    ("forskningsinstitutt", re.compile(r"\bforskningsinstitutt\w*")),
    ("klynge/nettverk", re.compile(r"\b(?:klynge\w*|nettverk\w*)\b")),
]


def org_type(name: str, aliases: Sequence[str] = (), contexts: Sequence[str] = ()) -> str:
    """Organisation type from the name and its aliases, else from words around its mentions."""
    for form in (name, *aliases):
        lowered = " ".join(form.casefold().split())
        for org, pattern in _TYPE_RULES:
            if pattern.search(lowered):
                return org
    votes: Counter[str] = Counter()
    for context in contexts:
        lowered = context.casefold()
        for org, pattern in _CONTEXT_RULES:
            if pattern.search(lowered):
                votes[org] += 1
    if votes:
        org, n = votes.most_common(1)[0]
        if n * 2 >= len(contexts):
            return org
    return "annet"


# ---------------------------------------------------------------- queries


def _load_rows(
    catalog: Catalog, doc_ids: Sequence[str], chunk_ids: frozenset[int] | None
) -> list[_Row]:
    rows = [_Row(*r) for r in mention_rows(catalog, doc_ids)]
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
            for long in dict.fromkeys(
                expansions.get(_group_key(r.label, r.text), "") for r in group
            )
            if long and long != name and long not in aliases
        ]
        pages: dict[str, set[int]] = defaultdict(set)
        for r in group:
            pages[r.doc_id].add(r.page)
        first = group[0]
        example = Example(
            first.sentence, first.doc_id, titles.get(first.doc_id, ""), first.page, first.section
        )
        otype = org_type(name, aliases, [r.sentence for r in group]) if label == "ORG" else None
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


# ---------------------------------------------------------------- what the CLI asks for


class ActorsError(UsageError):
    """A user-facing problem with an actors query (no index, unknown document or area)."""
