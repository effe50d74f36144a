"""Mentions at ingest: NER spans repaired into the names they stand for, citations skipped."""

from __future__ import annotations

import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from spacy.language import Language
from spacy.tokens import Doc

from policyminer.enrich.aliases import leading_short_form, short_form_after
from policyminer.enrich.names import clean_name, genitive_base, normalise
from policyminer.enrich.ner import (
    ACTOR_LABELS,
    INITIATIVE,
    LOWER_CASE_HEADS,
    has_initiative_head,
    load_pipeline,
)
from policyminer.enrich.orgtypes import has_org_head, org_type
from policyminer.index.chunking import NOTE_KIND, sentence_spans
from policyminer.index.lexical import SECTION_REF
from policyminer.lang import EN, detect_language
from policyminer.records import Chunk
from policyminer.store.catalog import DerivedWriter
from policyminer.store.enrichment import insert_mentions

PIPE_BATCH = 32


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


# Anaphoric or generic nouns, bare legal forms and concept acronyms (KI, IKT, FoU, BNP) the
# NER sometimes tags; they name no particular actor.
_GENERIC_WORDS = """
    kommunen kommunene fylkeskommunen sykehuset sykehusene helseforetaket helseforetakene
    senteret utvalget bystyret departementet direktoratet staten regionen byen landet klyngen
    nettverket prosjektet programmet satsingen planen strategien reformen universitetet
    høgskolen høyskolen foretaket selskapet kommune fylke stat
    figur tabell kilde kilder note vedlegg kapittel bibliografi litteratur referanser
    sammendrag innledning hentet boks faktaboks forord
    hf rhf as asa sf iks ki ai ikt it fou bnp"""
_GENERIC = set(_GENERIC_WORDS.split())
# Capitalised pronouns and articles that only open a sentence ("Det handler både …").
_OPENER_WORDS = """
    det den denne dette disse de hvordan hva hvor når slik samtidig både også men og i på
    for med vi vår våre gjennom skal kan vil må bør blant ifølge mens etter under over hos fra
    ved mot om uten innen særlig spesielt der her nå da"""
_OPENERS = set(_OPENER_WORDS.split())


# A provision's number opening its heading ("§ 4. 2 Title"): a label, no text for the tagger,
# which reads a capital right after a number as a name's ("§ 4. 2 Annen …" a person)
_PROVISION_LABEL = re.compile(rf"(?m)^{SECTION_REF.pattern}\.?(?=\s+\S)")


def _blank_provision_labels(text: str) -> str:
    """The text with its headings' provision numbers blanked (same length: offsets hold)."""
    return _PROVISION_LABEL.sub(lambda m: " " * len(m.group()), text)


def extract_mentions(chunks: Sequence[Chunk], nlp: Language | None = None) -> list[Mention]:
    """Run the pipeline over chunk texts; skip sentences repeated from the previous chunk."""
    nlp = nlp or load_pipeline()
    texts = [c.text for c in chunks]
    usage = WordUsage(texts)
    spans: list[tuple[int, str, int, int, str]] = []  # chunk, label, start, end, cleaned name
    tagged = (_blank_provision_labels(t) for t in texts)
    for i, doc in enumerate(nlp.pipe(tagged, batch_size=PIPE_BATCH)):
        if _REFERENCE_SECTION.match(chunks[i].section):
            continue
        # chunks overlap by a sentence or two; count each mention once, in its first chunk
        seen_until = chunks[i - 1].char_end - chunks[i].char_start if i else 0
        for label, start, end in _paired(doc.text, _joined_entities(doc), usage.pair_pattern):
            if start < seen_until:
                continue
            # an entity never runs across a paragraph break ("Elvikregionen\n\nDette")
            # nor across a table cell boundary
            raw = _CELL_BREAK.split(texts[i][start:end])[0].rstrip()
            if _in_formula(texts[i], start, start + len(raw)):
                continue
            spans.append((i, label, start, start + len(raw), clean_name(raw)))
    spans.extend(_short_form_spans(chunks, texts, spans))
    spans.extend(_state_body_spans(chunks, texts, spans))
    # what the document names on its own: the pieces a run-together span may be made of
    known: dict[str, Counter[str]] = defaultdict(Counter)
    for _, label, _, _, text in spans:
        known[normalise(text)][label] += 1
    concepts, systems = _concept_abbreviations(texts, spans)
    concepts |= _measure_acronyms(texts, spans) | _stands_for_concepts(texts, spans)
    concepts |= _area_codes(texts, spans) | _quantity_acronyms(texts, spans)
    terms = _quoted_terms(spans, texts)
    mentions: list[Mention] = []
    sentences_of: dict[int, list[tuple[int, int]]] = {}
    for i, label, start, end, name in spans:
        chunk, text = chunks[i], texts[i]
        if normalise(name) in concepts or (label == INITIATIVE and name in terms):
            continue
        if normalise(name) in systems:
            label = INITIATIVE
        if _in_citation(text, start, end, label) and not (
            label != "PER" and _named_outside_citations(name, texts, chunks)
        ):
            continue
        if i not in sentences_of:
            # a table's row, not the table run together; prose by its sentences (a run of
            # inline bullets stays one context, as the organisation-type cues read it)
            sentences_of[i] = sentence_spans(text, bullets=False, items=False) or [(0, len(text))]
        sentences = sentences_of[i]
        sentence = _paragraph_part(
            text, *next(((s, e) for s, e in sentences if s <= start < e), (0, len(text))), start
        )
        english = label != "PER" and _english(sentence, text)
        for part, part_label in _pieces(name, label, known, usage):
            if (english and _english_common_phrase(part)) or _ENGLISH_ONLY_NOUN.fullmatch(part):
                continue
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


# an operator of a formula: "Kostnad = a * (FaktorA2)_ Fylke", "Sum = ABC Kvadratsum (…)"
_OPERATOR = re.compile(r"=|\s\*\s|\*\s?\(|×|∑|Σ|\)_")


def _in_formula(text: str, start: int, end: int) -> bool:
    """True for a variable in a formula: an operator stands within a few characters of the
    name on its line ("(FaktorA2)_ Fylke N", "FaktorA2 = …"); names do not stand in formulas."""
    before = text[max(0, start - 12) : start].rsplit("\n", 1)[-1]
    after = text[end : end + 12].split("\n", 1)[0]
    return bool(_OPERATOR.search(before) or _OPERATOR.search(after))


def _paragraph_part(text: str, s: int, e: int, at: int) -> str:
    """The sentence text[s:e] around offset `at`, cut at paragraph breaks: a table cell or a
    heading run into the next paragraph's sentence is no part of it."""
    before = text.rfind("\n\n", s, at)
    after = text.find("\n\n", at, e)
    return text[before + 2 if before >= 0 else s : after if after >= 0 else e]


Span = tuple[int, str, int, int, str]  # chunk, label, start, end, cleaned name


def _short_form_spans(
    chunks: Sequence[Chunk], texts: Sequence[str], spans: Sequence[Span]
) -> list[Span]:
    """Short forms a name introduces in brackets ("… (K-tjenesten)"), there and wherever the
    document uses them again, as mentions with that name's label: the NER may read a short
    form as a product, or miss it."""
    taught: dict[str, str] = {}
    for i, label, _, end, name in spans:
        if label != "PER":
            short = short_form_after(name, texts[i][end : end + 40])
            if short and short != name:
                taught.setdefault(short, label)
    if not taught:
        return []
    alternatives = "|".join(re.escape(t) for t in sorted(taught, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])({alternatives})s?(?![\w-])")
    return _untagged_matches(chunks, texts, spans, pattern, lambda m: taught[m.group(1)])


# The government and the parliament are named by a common noun in lower case as often as not
# ("regjeringen la fram"); other institutions need their capital.
_LOWER_CASE_BODY = re.compile(r"(?<![\w-])(?:[Rr]egjeringen|[Ss]tortinget)s?(?![\w-])")


def _state_body_spans(
    chunks: Sequence[Chunk], texts: Sequence[str], spans: Sequence[Span]
) -> list[Span]:
    """ "regjeringen", "Stortinget": mentions of the two bodies wherever the NER missed them."""
    return _untagged_matches(chunks, texts, spans, _LOWER_CASE_BODY, lambda m: "ORG")


def _untagged_matches(
    chunks: Sequence[Chunk],
    texts: Sequence[str],
    spans: Sequence[Span],
    pattern: re.Pattern[str],
    label_of: Callable[[re.Match[str]], str],
) -> list[Span]:
    """Matches of `pattern` outside reference sections, chunk overlaps and tagged spans."""
    taken: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for i, _, start, end, _ in spans:
        taken[i].append((start, end))
    out = []
    for i, text in enumerate(texts):
        if _REFERENCE_SECTION.match(chunks[i].section):
            continue
        seen_until = chunks[i - 1].char_end - chunks[i].char_start if i else 0
        for m in pattern.finditer(text):
            start, end = m.span()
            if start >= seen_until and not any(a < end and start < b for a, b in taken[i]):
                out.append((i, label_of(m), start, end, m.group()))
    return out


def _quoted_terms(spans: Sequence[Span], texts: Sequence[str]) -> set[str]:
    """Initiative "names" the document also writes in lower case (a heading's «Smarte havner»
    beside «smarte havner» in the text): terms, not names. Names with a head noun of an
    initiative ("Regional havstrategi for …") are not judged so."""
    joined = "\n".join(texts)
    out: set[str] = set()
    checked: set[str] = set()  # each name is looked up in the text once
    for _, label, _, _, name in spans:
        words = name.split()
        if label != INITIATIVE or len(words) < 2 or name in checked:
            continue
        checked.add(name)
        if not all(w.islower() for w in words[1:]) or has_initiative_head(name):
            continue
        if name[:1].lower() + name[1:] in joined:
            out.add(name)
    return out


_CELL_BREAK = re.compile(r"\n\n|\t| \| ")
# English nouns of these endings are common nouns ("Cycling", "Penetration", "Governance")
_ENGLISH_NOUN_END = re.compile(
    r"[A-Z][a-z]+(?:ing|tion|sion|ment|ness|ity|ance|ence|ship|ure|ism|age|ics|ies)s?"
)


# endings Norwegian words do not have: one such word is an English noun in any text
_ENGLISH_ONLY_NOUN = re.compile(r"[A-Z][a-z]+(?:tion|sion|ness|ity|ship|ency|ancy)s?")


def _english(sentence: str, chunk_text: str) -> bool:
    """True when the mention's sentence is English; a short cell goes by its whole chunk."""
    if len(sentence.split()) >= 4:
        return detect_language(sentence) == EN
    return detect_language(chunk_text) == EN


def _english_common_phrase(name: str) -> bool:
    """An English phrase in sentence case ("Public transport") or one common noun ("Cycling"):
    English names are written in title case ("Lakeside Clinic") or are no common word."""
    words = name.split()
    if len(words) == 1:
        return bool(_ENGLISH_NOUN_END.fullmatch(name))
    rest = [w for w in words[1:] if w not in _LINK_WORDS]
    return bool(rest) and all(w.isalpha() and w.islower() for w in rest)


def _joined_entities(doc: Doc) -> list[tuple[str, int, int]]:
    """Actor entities as (label, start, end), with names the NER cut in two put together:
    "Solvang Health & Care Group", "MedCampus Nordvik"."""
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
            if gap == " " and _continues(text[start:end]):
                # a tagger's B- where I- was meant: no name starts with a lower-case word
                out[-1][2] = end
                continue
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
        # "Nordby Marine & Offshore": the NER stops at the ampersand
        after = _AMPERSAND_NAME.match(text, end)
        if label == "ORG" and after:
            end = after.end()
        # "Fjordbygg KF", "Vika Marine AS": the NER often stops before the legal form, which
        # makes the name an organisation's whatever it was tagged
        legal = _LEGAL_FORM_AFTER.match(text, end)
        if legal:
            label, end = "ORG", legal.end()
        # "Nordre Havnes vei", "Vika stasjon": the NER often stops before the lower-case kind
        # noun that ends the name of a street, square, park or station
        kind = _PLACE_KIND_AFTER.match(text, end)
        if label in ("LOC", "GPE") and kind:
            label, end = "LOC", kind.end()
        if label == "ORG":
            end = _field_after(text, start, end)
        out.append([label, start, end])
    return [(label, start, end) for label, start, end in out]


def _continues(entity: str) -> bool:
    """An entity whose first word is all lower-case letters ("kommune", "van"): the rest of
    the name before it. Coined names that start in lower case have a capital inside ("eHelse")."""
    first = entity.split(" ", 1)[0]
    return first.isalpha() and first.islower()


def _joins(first: str, second: str) -> bool:
    """Two entities side by side make one name when a place qualifies an organisation,
    person or initiative ("Havnes" + "Ocean Cluster") or an initiative ("MedCampus"
    + "Nordvik"); two places or two people side by side are a list."""
    places = ("GPE", "LOC")
    return (first in places and second not in places) or (first == INITIATIVE and second in places)


_AMPERSAND_NAME = re.compile(r" & [A-ZÆØÅ][\w-]*(?: [A-ZÆØÅ][\w-]*)*")
_PLACE_KIND_AFTER = re.compile(
    r" (?:vei|veg|gate|gata|plass|torg|park|allé|alle|terrasse|stasjon|brygge|bru|kai|bakke|"
    r"sti|løkke)(?![\w-])"
)
_LEGAL_FORM_AFTER = re.compile(r" (?:AS|ASA|AB|HF|RHF|KF|IKS|SF)(?![\w-])")
# the kind of body whose official name goes on with "for" and its field ("Senter for …")
_INSTITUTION_HEAD = re.compile(
    r"(?:senter|senteret|institutt|instituttet|kompetansetjeneste|kompetansetjenesten|"
    r"fakultet|fakultetet|direktorat|direktoratet|tilsyn|tilsynet|råd|rådet|avdeling|"
    r"avdelingen|kontor|kontoret|byrå|byrået|nemnd|nemnda|utvalg|utvalget|akademi|"
    r"akademiet|forum|ombud|ombudet|laboratorium|laboratoriet|etat|etaten)",
    re.IGNORECASE,
)
_LOWER_WORD = r"[a-zæøå][a-zæøå-]*"
# one or two lower-case words of a field, "og" and one or two more; the name then ends at
# punctuation, a footnote number, "ved" or the end of the text
_FIELD_END = r"(?=\s*(?:[,.;:()]|\d|$)|\sved\s)"
_FIELD_AFTER_HEAD = re.compile(
    rf" for {_LOWER_WORD}(?: {_LOWER_WORD})?(?: og {_LOWER_WORD}(?: {_LOWER_WORD})?)?{_FIELD_END}"
)
_FIELD_GOES_ON = re.compile(rf"(?: og)? {_LOWER_WORD}(?: {_LOWER_WORD})?{_FIELD_END}")
# a definite plural ("kommunene") or a function word is ordinary text, no field of a name
_NOT_A_FIELD = re.compile(r"(?:\w+ene|som|er|har|var|skal|kan|vil|blir|ble|med|til|av|på|i)")


def _field_after(text: str, start: int, end: int) -> int:
    """Where an organisation's name ends once the field the tagger cut off is added:
    "Kystsenter" + " for havhelse og fiske", "Senter for kystmedisin" + " og havhelse"."""
    words = text[start:end].split()
    after = _FIELD_AFTER_HEAD.match(text, end) if _INSTITUTION_HEAD.fullmatch(words[-1]) else None
    if after is None and any(
        _INSTITUTION_HEAD.fullmatch(w) and nxt == "for" for w, nxt in pairwise(words)
    ):
        after = _FIELD_GOES_ON.match(text, end)
    if after is None:
        return end
    added = [w for w in after.group().split() if w not in ("for", "og")]
    return end if any(_NOT_A_FIELD.fullmatch(w) for w in added) else after.end()


def _pieces(
    name: str, label: str, known: dict[str, Counter[str]], usage: WordUsage
) -> list[tuple[str, str]]:
    """The names in one entity span, with their labels; [] when it names nothing.

    A span can run over several names when a table row or a signature block lost its cell
    breaks ("Elvik kommune Kari Holm Elvik", "Ola Berge Nordre Dal"): it is cut
    where no name goes on, and parts the document names on their own elsewhere are kept.
    """
    if label != INITIATIVE and _LIST_SEPARATOR.search(name):
        # a span over a list ("HVN), Eva Lunde (Fjordforskning), Per Lia") is its items
        out: list[tuple[str, str]] = []
        for raw in _LIST_SEPARATOR.split(name):
            item = clean_name(raw)
            seen = known.get(normalise(item))
            if item:
                out.extend(
                    _pieces(item, seen.most_common(1)[0][0] if seen else label, known, usage)
                )
        return out
    if label != INITIATIVE:
        name = usage.trim(name)
    # "NKM Nasjonal kystmyndighet": the acronym before the name is its short form (taught to
    # the alias merge by abbreviation_pairs), no part of it
    lead = leading_short_form(name) if label == "ORG" else None
    if lead:
        name = lead[1]
    if label == "PER":
        name = _ROLE_AFTER_NAME.sub("", name)
    # "GreenGrid-prosjektet" is the project GreenGrid (a coined name: CamelCase or a
    # digit; "Elvik-satsingen" is no project called Elvik)
    project = _PROJECT_SUFFIX.fullmatch(name)
    if project and re.search(r"[a-zæøå][A-ZÆØÅ]|\d", project.group(1)):
        name = project.group(1)
    if not _plausible(name, label):
        return []
    parts = (
        [_known_title(_without_owner(name, known), known)] if label == INITIATIVE else _cut(name)
    )
    if len(parts) == 1 and label != INITIATIVE:  # "Meld. St. 7 (2030–2031)" is one name
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
            if not _plausible(part, part_label):
                continue
        out.extend(_checked(part, part_label, known, usage))
    return out


# a signature's role after the name ("Kari Holm Avdelingsdirektør", "Ola Berg Professor")
_ROLE_AFTER_NAME = re.compile(
    r"(?<=\w)(?:\s+(?:[A-ZÆØÅ][a-zæøå]*(?:direktør|leder|sjef|rådgiver|professor|forsker|"
    r"konsulent|ordfører|rådmann|minister|statsråd|sekretær|koordinator|ansvarlig|president)|"
    r"Direktør|Leder|Sjef|Rådgiver|Professor|Forsker|Konsulent|Ordfører|Rådmann|Minister|"
    r"Statsråd|Director|Manager|CEO|CTO|CFO|Chair|President)(?:\s+\S+)*)$"
)
# a bracket closing inside a name, or a comma before a capitalised word, separates list items
_LIST_SEPARATOR = re.compile(r"\s*\)\s*[,;]?\s*|\s*\(\s*|,\s+(?=[A-ZÆØÅ])")
_PROJECT_SUFFIX = re.compile(
    r"(\S+)-(?:prosjektet|programmet|satsingen|satsningen|initiativet|nettverket)"
)


def _checked(name: str, label: str, known: dict[str, Counter[str]], usage: WordUsage):
    """Filters and label repairs for one name; yields (name, label) pairs."""
    # "Regjeringen", "Stortinget": state bodies keep their capital even when the
    # document mostly writes them in lower case
    # laws and white papers are written in lower case as often as not ("havbruksloven")
    state = bool(_STATE_BODY.search(name.casefold())) or (
        label == INITIATIVE and bool(_LAW_HEAD.search(name))
    )
    # "Havvakten", "Tollvesenet": an institution in the definite form, capitalised inside a
    # sentence
    state = state or (label == "ORG" and usage.definite_name(name))
    if not state and usage.common_noun(name, strict=label == INITIATIVE):
        return
    if not state and label != "PER" and usage.common_genitive(name):
        return  # "Fiskerinæringens" opening a title: the genitive of a common noun
    if not state and label in ("ORG", INITIATIVE) and usage.derived_noun(name):
        return  # "Snørydding" as a label inside a sentence, "snørydding" elsewhere
    if label != INITIATIVE and _cell_letters(name, label):
        return  # "Ja B Trinn IV": filter values of a print-out, one letter a cell
    if label != INITIATIVE and usage.common_phrase(name):
        return  # "Gang- og sykkelbru" beside "gang- og sykkelbru"
    if _SHOUTED.fullmatch(name) and usage.prose_lower[name.lower()]:
        return  # "SAMMENDRAG (UTSKRIFT)" beside "sammendrag": a heading or label in capitals
    if label != INITIATIVE and _TECHNICAL_HEAD.fullmatch(name.rsplit(" ", 1)[-1]) and " " in name:
        return  # "Global Fishing Tracking System": a technology, no actor
    if label != INITIATIVE and _NEWSPAPER.search(name):
        return  # newspapers and journals are sources, not actors
    if label != INITIATIVE and _COMMUNITY.fullmatch(name):
        return  # "Fjordbymiljøet": the people working on something in a place, no actor
    place = label in ("GPE", "LOC")
    if not state and usage.sentence_case_only(name, place) and not _heads_longer_name(name, known):
        return
    # NorNE tags "Havnes kommune" as a place (and a weak model "Lakeside Clinic" as a
    # person); written with an organisation noun it names the organisation
    if label in ("GPE", "LOC", "PER") and (
        org_type(name) != "annet" or _OTHER_ORG_NOUN.search(name)
    ):
        label = "ORG"
    elif label in ("ORG", "PER", "LOC") and _REGION.fullmatch(name):
        label = "GPE"  # "Elvikregionen", "Fjord-regionen": regions of municipalities
    bound = name in usage.bound_pairs and label in _PLACES
    parts = [(name, False, label)] if bound else None
    for part, is_part, part_label in parts or _split_coordination(name, label):
        # "Kai- og Tomter": pieces of a form whose cells ran together; a suspended compound's
        # first half is no name, nor is a word the document writes in lower case
        if is_part and (part.endswith("-") or usage.common_noun(part)):
            continue
        yield part, part_label


def _cell_letters(name: str, label: str) -> bool:
    """True for a span with a bare capital letter for a word: a code in a table or filter
    ("B Trinn IV", "F Lagre fil"). A person's initial stands inside the name ("Erik W Berg")."""
    words = name.split()
    letters = [i for i, w in enumerate(words) if len(w) == 1 and w.isupper()]
    if len(words) < 2 or not letters:
        return False
    return label != "PER" or any(i in (0, len(words) - 1) for i in letters)


# a word of five capitals or more: an acronym, or an ordinary word shouted in a print-out
_SHOUTED = re.compile(r"[A-ZÆØÅ]{5,}")
# one word headed by "miljø" (community, milieu): a description of people in a place or field
_COMMUNITY = re.compile(r"[A-ZÆØÅ][\w]*-?miljø(?:et|ene|er)?")
_LAW_HEAD = re.compile(rf"(?:{LOWER_CASE_HEADS})$")
_STATE_BODY = re.compile(
    r"regjering|storting|departement|direktorat|tilsyn|kommisjon|forskningsråd|\wutvalg(?:et)?s?\b"
)


def _heads_longer_name(word: str, known: dict[str, Counter[str]]) -> bool:
    """ "Handelsforeningen" is a name when the document also writes "Handelsforeningen i …"."""
    key = normalise(word) + " "
    return any(k.startswith(key) for k in known)


def _cut(name: str) -> list[str]:
    """Split a run-together span where one name ends and another starts: at a spaced dash
    ("Care Group - Eva Lunde"), at a bare number ("Elvik 35 Sykepleie"), at a repeated
    word ("Havnes Havnes") and where a lower-case word inside a name is followed by a
    capitalised one ("Elvik kommune Kari Holm")."""
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
                and not _UNIT_NOUN.fullmatch(prev)
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
    "Elvik Fjellby Bakke" → three places; "Ola Berge Nordre Dal" → the person and
    the trust. A span the document itself writes more than once is left whole, unless
    two of its words are places the document names on their own ("Elvik Fjellby Sum")."""
    words = name.split()
    if any(w in _LINK_WORDS for w in words):
        return [name]
    places = _places_side_by_side(words, known) if label != "PER" else []
    if places:
        return places
    if len(words) < 3 or sum(known.get(normalise(name), Counter()).values()) > 1:
        return [name]
    found = _known_ranges(words, known)
    if label == "PER" and found and found[-1][1] == len(words) and found[-1][0] > 0:
        head, tail = found[-1][0], len(words) - found[-1][0]
        known_tail = known[normalise(" ".join(words[head:]))]
        if max(head, tail) >= 2 and known_tail.most_common(1)[0][0] != "PER":
            return [" ".join(words[:head]), " ".join(words[head:])]
    # all of it known names, or at least three of them ("Nordic Marine Tech" is no list
    # even where "Nordic" and "Marine" are tagged on their own)
    covered = sum(b - a for a, b in found) == len(words)
    two_full_names = all(b - a >= 2 for a, b in found)  # "Per Lia Prosjektleder Vika…"
    if len(found) >= 3 or (len(found) == 2 and (covered or two_full_names)):
        return [" ".join(words[a:b]) for a, b in found]
    return [name]


def _places_side_by_side(words: Sequence[str], known: dict[str, Counter[str]]) -> list[str]:
    """The places in a run of cells: two or more words the document names on their own as
    places, side by side in one span, are a list of places whatever else the span holds
    (a column of a table read along its header row). A place name starts with a capital: a
    lower-case word the tagger once took for a place ("kommune") names none."""
    found = _known_ranges(words, known)
    places = [
        " ".join(words[a:b])
        for a, b in found
        if words[a][:1].isupper()
        and known[normalise(" ".join(words[a:b]))].most_common(1)[0][0] in _PLACES
    ]
    return places if len(places) >= 2 else []


def _lead_cut(name: str, known: dict[str, Counter[str]], usage: WordUsage) -> list[str]:
    """ "Byen Elvik", "Dersom Elvikregionen", "Radiografi Elvik": a word the document
    writes in lower case, before a name it uses on its own, is no part of the name.
    Organisation names ("Sykehuset Fjordheim", "Helse Havnes") and names written so more than
    once stay whole."""
    first, _, rest = name.partition(" ")
    word = first.rstrip("-") or first
    labels = known.get(normalise(rest))
    # a first name is no common word ("Maria Hovland" stays whole)
    if not rest[:1].isupper() or not labels or labels.most_common(1)[0][0] == "PER":
        return [name]
    if sum(known.get(normalise(name), Counter()).values()) > 1 or org_type(name) != "annet":
        return [name]
    return [rest] if usage.common_noun(word) or word.casefold() in _OPENERS else [name]


_TITLE_LINK = re.compile(r"\s(?:for|om|i|ved|til)\s")


def _known_title(name: str, known: dict[str, Counter[str]]) -> str:
    """ "Havtilsynets designprinsipper for kaianlegg": an initiative the document also names
    without the words after "for" is that initiative; the rest only says what it covers."""
    for m in _TITLE_LINK.finditer(name):
        head = name[: m.start()]
        labels = known.get(normalise(head))
        if len(head.split()) >= 2 and labels and labels.most_common(1)[0][0] == INITIATIVE:
            return head
    return name


def _without_owner(name: str, known: dict[str, Counter[str]]) -> str:
    """ "Fjordlands Havlys Program": a place or organisation in the genitive before a
    capitalised initiative name says whose it is and is no part of the name. (A lower-case
    title keeps its owner: "Havtilsynets retningslinjer for sikring".)"""
    first, _, rest = name.partition(" ")
    base = genitive_base(normalise(first))
    if not rest[:1].isupper() or not base or first[:1].islower():
        return name
    labels = known.get(base)
    owner = labels and labels.most_common(1)[0][0] in ("GPE", "ORG", "LOC")
    return rest if owner else name


def _owner_cut(name: str, known: dict[str, Counter[str]]) -> list[str]:
    """ "Havdirektoratets Brukerundersøkelse": an organisation in the genitive owns
    what follows, a report or a survey, which is no actor of its own."""
    first, _, rest = name.partition(" ")
    base = genitive_base(normalise(first))
    if not rest[:1].isupper() or not base or " " in base:
        return [name]
    labels = known.get(base)
    return [first, rest] if labels and labels.most_common(1)[0][0] == "ORG" else [name]


def _known_ranges(words: Sequence[str], known: dict[str, Counter[str]]) -> list[tuple[int, int]]:
    """Word ranges of names known on their own, longest first from the left; a known name
    that is itself a run of known names ("Elvik Fjellby Bakke" seen once more) is
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


def _concept_abbreviations(
    texts: Sequence[str], spans: Sequence[tuple]
) -> tuple[set[str], set[str]]:
    """Abbreviations the document introduces after a lower-case phrase: "tverrfaglig
    vannbåren varme (VBV)", "samarbeidsavtale (MOU)". They name concepts, not
    actors, unless a capitalised long form introduces them too.

    Also returns the abbreviations whose lower-case long form is a system, platform or
    programme ("vårt meldesystem for havneanlegg (MHA)"): initiatives named by the acronym.
    """
    concept, named, systems = set(), set(), set()
    for i, start, end, name in _acronym_sites(texts, spans):
        text = texts[i]
        key = normalise(name)
        expansion = _LOWER_EXPANSION.match(text, end)
        if expansion and " " in expansion.group(1) and _spells(name, expansion.group(1)):
            # "KSS (kystens sikringssentral)": spelled out as a common noun
            words = expansion.group(1).split()
            (systems if _SYSTEM_HEAD.search(words[-1]) else concept).add(key)
            continue
        # the brackets hold abbreviations only: "(VBV)", "(ABC/DEF)"
        opened = text.rfind("(", max(0, start - 20), start)
        if opened < 0 or not _ACRONYMS_BEFORE.fullmatch(text[opened + 1 : start]):
            continue
        after = _ACRONYMS_AFTER.match(text, end)
        if not after:
            continue
        if "," in text[opened:start] + after.group():
            continue  # "andre land (ABC, DEF)": examples of the phrase, not its short form
        before = re.split(r"[.;:!?()\n]", text[max(0, opened - 120) : opened])[-1].split()
        window = before[-(len(name) + 2) :]
        capitals = [k for k, w in enumerate(window) if any(ch.isupper() for ch in w)]
        lower = bool(window) and not capitals
        if capitals == [0] and _opens_sentence(window, before):
            # "Felles krav til sikring (FKS) er …": a capital that only opens the sentence
            # says neither name nor concept, unless the long form (the words that spell
            # the acronym) comes after it: "Hva er felles krav til sikring (FKS)?"
            tail = _spelled_tail(name, before)
            if not tail or len(tail) >= len(window):
                continue
            lower, window = True, tail
        if lower and any(_SYSTEM_HEAD.search(w) for w in window):
            systems.add(key)
        elif lower or (window and _TECHNICAL_HEAD.fullmatch(window[-1])):
            concept.add(key)
        else:
            named.add(key)
    return concept - named - systems, systems - named


# an acronym that qualifies a verbal noun ("ABC og XYZ vurderinger", "ABC beregningen") or
# is a quantity with a degree ("lav ABC", "høyere XYZ") names a method or a measure
_ATTRIBUTIVE_AFTER = re.compile(
    r"(?:\s+(?:og|eller)\s+[A-ZÆØÅ]{2,6})?\s+[a-zæøå]{3,}ing(?:er|en|ene)?(?![\w-])"
)
# a comparison with a number: "ABC > 1500", "XYZ <= 2,5"
_COMPARED_AFTER = re.compile(r"\s*(?:[<>≤≥]=?|=<|=>)\s*\d")
_DEGREE_BEFORE = re.compile(
    r"(?<![\w-])(?:lav|høy|lavere|høyere|lavest|høyest|lavt|høyt|økt|redusert)\s+$"
)


def _measure_acronyms(texts: Sequence[str], spans: Sequence[tuple]) -> set[str]:
    """Acronyms tagged ORG that the document only uses for a method or a measure: every
    time it writes one on its own (not as part of a compound), it qualifies a verbal noun
    or takes a degree; or it is compared with a number somewhere. An organisation is the
    subject or object somewhere."""
    acronyms = {n for _, label, _, _, n in spans if label == "ORG" and _ACRONYM_ONLY.fullmatch(n)}
    found = set()
    for acronym in acronyms:
        uses = [
            (text, m)
            for text in texts
            for m in re.finditer(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", text)
        ]
        if uses and all(
            _ATTRIBUTIVE_AFTER.match(text, m.end())
            or _DEGREE_BEFORE.search(text[max(0, m.start() - 12) : m.start()])
            for text, m in uses
        ):
            found.add(normalise(acronym))
        elif any(_COMPARED_AFTER.match(text, m.end()) for text, m in uses):
            found.add(normalise(acronym))  # "ABC >= 1500": a quantity; no body is compared
    return found


# a range of area or field codes: "AB100 – AB109", "AB102-AB104", "AB100-101", "AB2 til AB5"
_CODE_RANGE = re.compile(
    r"(?<![\w-])([A-ZÆØÅ]{1,4})(\d{1,4})\s*(?:[–-]|til)\s*(?:\1)?(\d{1,4})(?![\w-])"
)
# a legend line: a land-use or field kind in words, a dash, its code ("Gangveg – SGV")
_LEGEND_LINE = re.compile(r"(?m)[a-zæøå]\s*[–-]\s+([A-ZÆØÅ]{2,4})(?:\d{1,4})?\s*$")
# a code the text calls a field or an area of a plan: "felt AB2", "i delfeltet o_XY3"
_NAMED_AREA = re.compile(
    r"(?<![\w-])(?i:delfelt|byggefelt|felt|område)(?:et|ene)?\s+"
    r"((?:[a-z]_)?[A-ZÆØÅ]{1,4}\d{1,4})(?![\w-])"
)
_CODE = re.compile(r"(?:[a-z]_)?([A-ZÆØÅ]{1,4})(?:\d{1,4}(?:_\d+)?)?(?:\s*[–-]\s*(?:\1)?\d{1,4})?")


def _area_codes(texts: Sequence[str], spans: Sequence[tuple]) -> set[str]:
    """Codes that label areas or fields of a plan or table ("AB104", "o_SKX12", "AB102-AB109",
    the bare prefix "SKX"): a prefix the document numbers in a rising range, or that a legend
    of three lines or more gives after a kind in words, or a code the text calls a field or an
    area ("felt AB2"). Such codes name no actor."""
    families = set()
    for text in texts:
        for m in _CODE_RANGE.finditer(text):
            if int(m.group(3)) > int(m.group(2)):
                families.add(m.group(1))
    legend = {m.group(1) for text in texts for m in _LEGEND_LINE.finditer(text)}
    if len(legend) >= 3:
        families |= legend
    named = {m.group(1) for text in texts for m in _NAMED_AREA.finditer(text)}
    # a one-letter prefix stays a code of its own: "felt E2" says nothing of a road "E39"
    families |= {p for c in named if len(p := _CODE.fullmatch(c).group(1)) > 1}
    found = {normalise(c) for c in named}
    for *_, name in spans:
        m = _CODE.fullmatch(name)
        if m and m.group(1) in families and (len(m.group(1)) > 1 or name != m.group(1)):
            found.add(normalise(name))
    return found


# a quantity with its value: "ABC = 40 %" after, "40 % ABC", "96 m2 ABC" before
_SET_TO_NUMBER = re.compile(r"\s*=\s*\d")
_NUMBER_UNIT_BEFORE = re.compile(r"\d\s*(?:%|m2|m²|prosent)\s*$")


def _quantity_acronyms(texts: Sequence[str], spans: Sequence[tuple]) -> set[str]:
    """Acronyms of any label that the document sets equal to a number or writes after a number
    with its unit ("ABC = 40 %", "40 % ABC"): a measure such as a utilisation ratio."""
    acronyms = {n for *_, n in spans if _ACRONYM_ONLY.fullmatch(n)}
    found = set()
    for acronym in acronyms:
        for text in texts:
            for m in re.finditer(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", text):
                if _SET_TO_NUMBER.match(text, m.end()) or _NUMBER_UNIT_BEFORE.search(
                    text[max(0, m.start() - 16) : m.start()]
                ):
                    found.add(normalise(acronym))
    return found


def _stands_for_concepts(texts: Sequence[str], spans: Sequence[tuple]) -> set[str]:
    """Acronyms the text says stand for a common-noun phrase ("«ABC» står for «middel av
    målinger»", "XYZ står for midlere ventetid"): a term, not an organisation. A
    phrase with an organisation noun names one ("står for Nasjonal havmyndighet")."""
    acronyms = {n for _, label, _, _, n in spans if label != "PER" and _ACRONYM_ONLY.fullmatch(n)}
    found = set()
    for acronym in acronyms:
        pattern = re.compile(
            rf"(?<![\w-]){re.escape(acronym)}»?,?(?:\s+[a-zæøå]+){{0,2}}\s+står\s+for\s+«?"
            r"([^«»\n.,;:()]{3,60})"
        )
        phrases = [m.group(1).strip() for text in texts for m in pattern.finditer(text)]
        if phrases and all(_common_phrase(p) for p in phrases):
            found.add(normalise(acronym))
    return found


def _common_phrase(phrase: str) -> bool:
    """A phrase of common nouns: every word after the first in lower case, no organisation
    noun ("Middel av målinger", "midlere ventetid")."""
    words = phrase.split()
    return all(w[:1].islower() for w in words[1:]) and org_type(phrase) == "annet"


def _opens_sentence(window: Sequence[str], before: Sequence[str]) -> bool:
    """True when the window starts its sentence with a word capitalised as sentences are
    ("Felles", not "NHRs")."""
    return len(before) == len(window) and sum(ch.isupper() for ch in window[0]) == 1


def _acronym_sites(texts: Sequence[str], spans: Sequence[tuple]) -> list[tuple]:
    """Every place an acronym the NER tagged somewhere is defined in brackets, tagged there
    or not: a heading's "Hva er … (ABC)?" defines it as well as the text does."""
    names = {span[4] for span in spans if _ACRONYM_ONLY.fullmatch(span[4])}
    if not names:
        return []
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"(?<=\()(?:{alternatives})(?=\))|(?<![\w-])(?:{alternatives})(?= \()")
    sites = {(i, start, end, name) for i, _, start, end, name in spans if name in names}
    for i, text in enumerate(texts):
        sites.update((i, m.start(), m.end(), m.group()) for m in pattern.finditer(text))
    return sorted(sites)


def _spelled_tail(acronym: str, words: Sequence[str]) -> list[str]:
    """The shortest run of words at the end that spells the acronym (its long form); []
    when none does."""
    for n in range(1, min(len(words), 12) + 1):
        if _spells(acronym, " ".join(words[-n:])):
            return list(words[-n:])
    return []


def _spells(acronym: str, phrase: str) -> bool:
    """True when the acronym's letters occur in order in the phrase, the first one opening
    it: "KSS" in "kystens sikringssentral", not "HAVK" in "fiskehelse"."""
    letters = acronym.casefold()
    if not phrase.casefold().startswith(letters[0]):
        return False
    rest = iter(phrase.casefold())
    return all(ch in rest for ch in letters)


# an acronym followed by its long form in lower case: "KSS (kystens sikringssentral)"; one
# word in brackets is a topic ("HAVK (havklima)"), not the words the letters come from
_LOWER_EXPANSION = re.compile(r"\s*\(([a-zæøå][a-zæøå-]*(?:\s+[a-zæøå][a-zæøå-]*){0,7})\)")
# heads of a service, platform or programme an organisation runs and names by an acronym
_SYSTEM_HEAD = re.compile(
    r"(?:system|systemet|plattform|plattformen|portal|portalen|register|registeret|"
    r"database|databasen|program|programmet|prosjekt|prosjektet|ordning|ordningen)$"
)


# newspapers and journals by their head word ("Nordic Fishing Journal", "Fjordavisen",
# "Journal of Coastal Studies")
_NEWSPAPER = re.compile(
    r"\s(?:Times|Post|Journal|Tribune|Herald|Gazette|Magazine|Quarterly|Review|Bulletin|"
    r"Tidende|Dagblad|Avis)$|\S(?:posten|avisen|avis|bladet|tidende|dagblad)$|\bJournal of\s"
)
# English names of technical things, not of actors: "Global Fishing Tracking System (GFTS)"
_TECHNICAL_HEAD = re.compile(
    r"Systems?|Kits?|Protocols?|Software|Interfaces?|Devices?|Toolkits?|Algorithms?|Formats?"
)
_ACRONYM_ONLY = re.compile(r"[A-ZÆØÅ][A-ZÆØÅ0-9]{1,7}")
_ACRONYMS_BEFORE = re.compile(r"(?:\s*[A-ZÆØÅ][A-ZÆØÅ0-9]{1,7}\s*[/,&])*\s*")
_ACRONYMS_AFTER = re.compile(r"(?:\s*[/,&]\s*[A-ZÆØÅ][A-ZÆØÅ0-9]{1,7})*\s*\)")


# "(Nilsen, 2021)", "Nilsen et al. (2019)", "Kilde: Vika": references, not actors
_CITED_AFTER = re.compile(
    # more authors may come first: "Aasen, Dahl og Moe (2020)"
    # possessive: a name is never re-split into shorter names (exponential on capitals)
    r"^(?:\s*+,?\s*+(?:og|&|and)?\s*+[A-ZÆØÅ][\w-]++)*?"
    r"(?:\s+et al\.?|,?\s*\(?(?:19|20)\d\d[a-z]?\b|,\s*[A-ZÆØÅ]\.(?:\s?[A-ZÆØÅ]\.)*[\s,&])"
)
# reference lists are citations from top to bottom
_REFERENCE_SECTION = re.compile(
    r"^[\d.\s]*(?:referanser|referanseliste|litteratur|litteraturliste|kilder|kildeliste|"
    r"bibliografi|references|bibliography|fotnoter|sluttnoter|noter|footnotes|endnotes|notes)\b",
    re.IGNORECASE,
)
_SOURCE_NOTE = re.compile(
    r"(?:(?:Kilde|Kilder|Source|Sources)\s*:[^\n.]*|"
    r"\b(?:[Bb]earbeidet|[Bb]earbejdet|[Uu]tarbeidet|[Tt]ilpasset|[Aa]dapted) a[vf]\s+)$"
)


def _in_citation(text: str, start: int, end: int, label: str) -> bool:
    """True for names inside author-year citations ("(Nilsen, Dahl, & Moe, 2021)",
    "(OECD, 2023a; Vika Analyse, 2022)"), authors cited in running text ("Nilsen et
    al. (2019)") and names in source notes ("Kilde: Vika", "Bearbeidet av SSB").

    An organisation cited as a source is still listed when the text names it elsewhere.
    """
    if label == "PER" and _CITED_AFTER.match(text[end : end + 80]):
        return True
    if _citation_group(text, start, end):
        return True
    return label in ("PER", "ORG") and bool(_SOURCE_NOTE.search(text[max(0, start - 120) : start]))


# one reference in a bracketed list: "Nilsen, Dahl, & Moe, 2021", "Strand, et al., 2025"
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
    """ "Nordby og Sørby" is two places, not one organisation; other names stay whole.

    Returns (name, whether it is a part, label) triples.
    """
    m = _COORDINATED.fullmatch(text)
    if label == INITIATIVE or not m or org_type(text) != "annet":
        return [(text, False, label)]
    return [(part, True, "GPE" if label == "ORG" else label) for part in m.groups()]


_REGION = re.compile(r"[A-ZÆØÅ][\w-]*regionen?s?")
_WORD = re.compile(r"(?<![\w-])\w[\w-]*")
# a sentence, list item, cell or numbered heading starts here; a heading number may carry a
# letter for a sub-item ("3.2b Styrke samarbeidet")
_OPENS = re.compile(r"(?:^|[\n.!?:;•▪●–\t|-])[\s«\"(*]*(?:\d+(?:\.\d+)*[a-z]?[.)]?\s+)?$")


# where a sentence, line or cell ends: a full stop only before a space or the end, so that
# decimals ("14.5") stay inside
_SEGMENT_END = re.compile(r"[\n!?;:•▪●\t|]|\.(?=\s|$)")


def _segments(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, running) for each sentence, line or cell of a text. Running text has
    lower-case words or list commas for at least two in five of its words; a run of labels,
    codes and numbers (a print-out or a table flattened into a line) has not, and every word
    in it may be capitalised without being a name."""
    out = []
    start = 0
    for m in [*_SEGMENT_END.finditer(text), None]:
        end = m.start() if m else len(text)
        words = _WORD.findall(text, start, end)
        if words:
            linking = sum(w[0].islower() for w in words) + text.count(", ", start, end)
            out.append((start, end, 5 * linking >= 2 * len(words)))
        start = m.end() if m else end
    return out


_ENDINGS = ("en", "et", "n", "t", "a", "ene", "er", "e")
_DEFINITE_ENDS = ("et", "en", "a")
_NAME_LINKS = {"i", "for", "på", "og", "av", "til", "ved", "under", "&", "-", "–"}
_LINK_WORDS = _NAME_LINKS | {
    *("og", "of", "and", "the", "in", "on", "at", "to", "by", "de", "la", "du", "von", "van"),
}
_NOTE_PREFIX = re.compile(r"(?:Bearbeidet|Bearbejdet|Utarbeidet|Tilpasset|Adapted) a[vf]\b")
_LEGAL_WORDS = {"AS", "ASA", "SA", "AB", "HF", "RHF", "KF", "IKS", "SF", "BA"}
# a unit of an organisation, named after it ("… avdeling Havrom", "… seksjon Drift"): the
# capitalised word that follows names the unit, it starts no new name
_UNIT_NOUN = re.compile(r"\w*(?:avdeling|avd\.?|seksjon|enhet|divisjon|klinikk|kontor)")


_ADDRESS = re.compile(r"\S+@\S+|\S*(?:://|www\.)\S*|\S+\.(?:no|com|org|net|eu|se|dk)\b\S*")
_PROSE_LOWER = re.compile(r"(?<![\w-])[a-zæøå][a-zæøå]+(?![\w-])")
# endings of nouns made from verbs and adjectives (rydding, hendelse, frihet, stasjon), after
# a consonant
_DERIVED_NOUN_END = re.compile(r"[^aeiouyæøå](?:ing|else|het|sjon)$")
_AFTER_INFINITIVE_MARKER = re.compile(r"(?<![\w-])å ([a-zæøå]+)(?![\w-])")
_PLAIN_WORD = re.compile(r"[A-ZÆØÅ][a-zæøåéü]+(?:-[a-zæøåéü]+)*")
# two capitalised words joined by "og", found overlapping ("A og B og C" holds two pairs)
_PAIR = re.compile(r"(?<![\w-])(?=([A-ZÆØÅ][a-zæøåéü]+) og ([A-ZÆØÅ][a-zæøåéü]+)(?![\w-]))")


def bound_pairs(texts: Sequence[str], lower: Counter[str]) -> set[str]:
    """ "Nordvik og Sørdal" written at least twice, and neither word ever apart from such a
    pair nor in lower case: the pair is one name (a county or a region named by two places),
    not two places in a list. Places the document also names alone stay two."""
    pairs: Counter[str] = Counter()
    first: Counter[str] = Counter()  # occurrences of a word followed by "og" and a capital
    second: Counter[str] = Counter()  # ... preceded by a capital and "og"
    for text in texts:
        for m in _PAIR.finditer(text):
            pairs[f"{m.group(1)} og {m.group(2)}"] += 1
            first[m.group(1)] += 1
            second[m.group(2)] += 1
    out = set()
    for pair, n in pairs.items():
        a, _, b = pair.split(" ")
        if n < 2 or a == b or lower[a.lower()] or lower[b.lower()]:
            continue
        total_a = sum(len(re.findall(rf"(?<![\w-]){a}(?![\w-])", t)) for t in texts)
        total_b = sum(len(re.findall(rf"(?<![\w-]){b}(?![\w-])", t)) for t in texts)
        if total_a == first[a] and total_b == second[b]:
            out.add(pair)
    return out


_PLACES = ("GPE", "LOC")


def _paired(
    text: str, ents: list[tuple[str, int, int]], pattern: re.Pattern[str] | None
) -> list[tuple[str, int, int]]:
    """Places over a bound pair ("Nordvik" and "Sørdal" of "Nordvik og Sørdal") become one
    place; what an entity held beyond the pair stays an entity of its own."""
    if pattern is None:
        return ents
    out = list(ents)
    for m in pattern.finditer(text):
        a, b = m.span()
        hit = [e for e in out if e[1] < b and a < e[2]]
        if not hit or any(e[0] not in _PLACES for e in hit):
            continue  # two organisations always named together are still two
        out = [e for e in out if e not in hit]
        out.append((hit[0][0], a, b))
        for e_label, start, end in hit:
            if start < a and text[start:a].strip():
                out.append((e_label, start, start + len(text[start:a].rstrip())))
            if end > b and text[b:end].strip():
                out.append((e_label, b + len(text[b:end]) - len(text[b:end].lstrip()), end))
    return sorted(out, key=lambda e: e[1])


class WordUsage:
    """How a document writes each word: in lower case, or capitalised inside a sentence."""

    def __init__(self, texts: Sequence[str]):
        self.lower: Counter[str] = Counter()
        self.capital_inside: Counter[str] = Counter()
        self.capital_in_labels: Counter[str] = Counter()  # inside a run of labels or a cell
        for text in texts:
            for start, end, running in _segments(text):
                for m in _WORD.finditer(text, start, end):
                    word = m.group()
                    if word[0].islower():
                        self.lower[word] += 1
                    elif not _OPENS.search(text[max(0, m.start() - 12) : m.start()]):
                        seen = self.capital_inside if running else self.capital_in_labels
                        seen[word.casefold()] += 1
        # lower-case words of the prose, not of web or mail addresses ("post@fjordlab.no")
        self.prose_lower: Counter[str] = Counter(
            m.group() for text in texts for m in _PROSE_LOWER.finditer(_ADDRESS.sub(" ", text))
        )
        self.joined = "\n".join(texts)
        # words written after the infinitive marker are verbs ("å bidra"), whatever they end in
        self.verbs = {m.group(1) for m in _AFTER_INFINITIVE_MARKER.finditer(self.joined)}
        self.bound_pairs = bound_pairs(texts, self.lower)
        alternatives = "|".join(
            re.escape(p) for p in sorted(self.bound_pairs, key=len, reverse=True)
        )
        self.pair_pattern = (
            re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])") if alternatives else None
        )

    def trim(self, name: str) -> str:
        """Drop what the NER took along: a sentence-opening word ("Gjennom Kystfellesskapet"),
        a phrase that only starts with a capital ("Norsk fiskeri kjennetegnes") or a
        trailing number ("Figur 2-10", "Elvik 97"). Returns "" when nothing is left."""
        name = re.sub(r"(?:\s+[\d.,–-]+)+$", "", name)
        words = name.split()
        if len(words) < 2:
            return name
        if words[0].casefold() in _OPENERS:
            # "Den kommunale renovasjonen": an article opening a phrase, not a name
            return " ".join(words[1:]) if words[1][:1].isupper() else ""
        if any(w[:1].isupper() for w in words[1:]):
            return name  # "Helse Midt-Vest", "Universitetet i Havnes"
        first = words[0].rstrip("-") or words[0]
        if words[1] in _NAME_LINKS:
            # "Del av offentlig institusjon", "Arbeids- og …" are phrases; an organisation
            # noun makes a name ("Nærings- og fiskeridepartementet", "Senter for …")
            if org_type(name) != "annet":
                return name
            # ... unless the document writes that first word capitalised inside a sentence
            # ("blant annet Plan- og bygningsloven")
            return "" if self.capital_inside[words[0].casefold()] == 0 else name
        # "Nasjonalt kompetansesenter": official names are written in sentence case; an
        # organisation noun as the compound head makes the phrase a name
        return "" if self.common_noun(first) and not has_org_head(name) else name

    def common_phrase(self, name: str) -> bool:
        """True for a phrase in sentence case ("Gang- og sykkelbru") that the document also
        writes all in lower case: a common noun phrase opening a heading or a cell. A phrase
        with an organisation noun is a name however it is written."""
        words = name.split()
        if len(words) < 2 or not words[0][:1].isupper() or org_type(name) != "annet":
            return False
        if not all(w[:1].islower() for w in words[1:]):
            return False
        lower = re.escape(name[:1].lower() + name[1:])
        return bool(re.search(rf"(?<![\w-]){lower}(?![\w-])", self.joined))

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
        if strict:  # initiatives are often written in lower case too ("havbruksreformen")
            return lower > 0 and self.capital_inside[key] == 0
        return lower > self.capital_inside[key]

    def derived_noun(self, name: str) -> bool:
        """True for one word with the ending of a noun made from a verb or adjective (-ing,
        -else, -het, -sjon) that the document also writes in lower case: a common noun used
        as a label, however often it is capitalised inside a sentence."""
        if not _PLAIN_WORD.fullmatch(name) or "-" in name or len(name) < 6:
            return False
        key = name.casefold()
        if not _DERIVED_NOUN_END.search(key):
            return False
        forms = {key} | {key + end for end in _ENDINGS}
        return sum(self.lower[form] for form in forms) > 0

    def common_genitive(self, name: str) -> bool:
        """True for one word in the genitive whose base the document uses as a common noun
        ("Fiskerinæringens" beside "fiskerinæringen"); a base capitalised inside a sentence
        as an institution ("Havvaktens") is a name's."""
        if not name.endswith("s") or len(name) < 4:
            return False
        base = name[:-1]
        return self.common_noun(base) and not self.definite_name(base)

    def definite_name(self, name: str) -> bool:
        """True for one word in the definite form ("Havvakten") that the document writes
        capitalised inside a sentence: Norwegian capitalises a common noun there only as
        a name, however often the noun is used in lower case ("den svenske havvakten")."""
        if not _PLAIN_WORD.fullmatch(name) or "-" in name or not name.endswith(_DEFINITE_ENDS):
            return False
        if name.casefold() in self.verbs:
            return False  # "Bidra til …" opening an item: a verb, not a noun's definite form
        if name.endswith("a") and not self._has_stem(name.casefold()[:-1]):
            return False  # "Sensordata": -a is no ending unless the word is seen without it
        return self.capital_inside[name.casefold()] > 0

    def _has_stem(self, stem: str) -> bool:
        """True when the document writes the stem of a feminine noun in lower case ("havn",
        "havner" beside "havna")."""
        return any(self.lower[stem + end] for end in ("", "e", "er", "ene"))

    def sentence_case_only(self, name: str, place: bool = False) -> bool:
        """True for a one-word "name" the document only ever writes capitalised where a
        sentence, heading or cell starts ("Gevinstpotensialet er betydelig."), or in a run of
        labels where any word may be capitalised: nothing shows that its capital is a name's.
        A place keeps its capital in a run of labels too: tables list places."""
        if not _PLAIN_WORD.fullmatch(name):
            return False  # "Minside.no", "MedHub", "EU4Seas" look like names anyway
        key = name.casefold()
        return self.capital_inside[key] + (self.capital_in_labels[key] if place else 0) == 0


def mention_writer(chunks: Sequence[Chunk], nlp: Language | None = None) -> DerivedWriter:
    """A writer that stores the document's PER/ORG/GPE/LOC/INITIATIVE mentions with their chunk.

    `nlp` defaults to the shipped pipeline (loaded once per process).
    """
    # a footnote's prose is searched, but the names in it are the sources a report cites, not
    # its actors: notes stay out of the actor lists
    kept = [i for i, chunk in enumerate(chunks) if chunk.kind != NOTE_KIND]
    mentions = extract_mentions([chunks[i] for i in kept], nlp)  # before the transaction

    def write(db: sqlite3.Connection, doc_id: str, chunk_ids: list[int]) -> None:
        insert_mentions(
            db,
            [
                (
                    chunk_ids[kept[m.chunk]],
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


# an acronym with a plural ending names a class of things, not one actor
_ACRONYM_PLURAL = re.compile(r"[A-ZÆØÅ]{2,}(?:er|ene|ar|ane)")


def _generic_genitive(text: str) -> bool:
    """ "IKTs rolle": a short generic word or concept acronym in the genitive."""
    return len(text) <= 6 and text.endswith("s") and text[:-1].casefold() in _GENERIC


# one word ending in a generic head noun in the indefinite singular: a compound common noun
# (names of this kind take the definite form, "Havsenteret", or a second word)
_GENERIC_COMPOUND = re.compile(
    r"[A-ZÆØÅa-zæøå][a-zæøå]{2,}(?:senter|kommune|prosjekt|program|plan|strategi|satsing|"
    r"satsning|partnerskap|initiativ|reform|plattform|nettverk|klynge|tjeneste)"
)


def _plausible(text: str, label: str = "") -> bool:
    """Names have a letter, some length, a capital or digit, and are not generic nouns.

    Initiatives may be all lower case: laws and white papers go by "havbruksloven".
    """
    if len(text) < 2 or not any(ch.isalpha() for ch in text):
        return False
    if text.casefold() in _GENERIC or text.endswith("-"):
        return False
    if text in _LEGAL_WORDS:
        return False  # a legal form on its own ("KF") is what is left of a cut name
    if _ACRONYM_PLURAL.fullmatch(text):
        return False  # "NGOer", "SMBene": a kind of thing in the plural
    if _generic_genitive(text):
        return False
    if label in ("ORG", INITIATIVE) and _GENERIC_COMPOUND.fullmatch(text):
        return False  # "Kystprosjekt", "Fjordsenter": a kind of thing, no particular one
    words = text.split()
    if len(words) > 1 and words[0].casefold() in _OPENERS and text[len(words[0]) :].islower():
        return False
    if words[0] in _LINK_WORDS or _NOTE_PREFIX.match(text):
        return False  # "of Technology": the NER started inside a name; "Bearbeidet av SSB"
    if label == INITIATIVE or _LOWER_CASE_BODY.fullmatch(text):
        return True
    return any(ch.isupper() or ch.isdigit() or ch == "+" for ch in text)
