"""Alias merging: mentions that name the same actor grouped by general evidence."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from policyminer.enrich.names import clean_name, genitive_base, normalise
from policyminer.enrich.ner import INITIATIVE


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


_LONG_FORM_STOP = re.compile(r"[():;,]")
_ABBR = r"[A-ZÆØÅ][A-Za-zÆØÅæøå0-9&-]{1,11}"
_AFTER_ABBR = re.compile(rf"^\s*\(\s*({_ABBR})\s*[),;]")
_AFTER_LONG = re.compile(r"^\s*\(\s*([A-ZÆØÅ][^()\n]{3,80}?)\s*[),;]")
# short forms by shape: two capitals ("NCPC"; "Nkv" has one: it must spell the name) or a
# capital prefix before a hyphen ("K-tjenesten", "H-sekretariatet")
_SHORT_SHAPE = re.compile(r"(?=(?:.*[A-ZÆØÅ]){2})[\w&-]+|[A-ZÆØÅ]{1,4}-[a-zæøå]{3,}")


def short_form_after(name: str, after: str) -> str | None:
    """The short form a tagged name introduces in brackets right after it ("Nasjonal
    kystmyndighet (NKM)", "Kystetterretningen (K-tjenesten)"), or None.

    Right after the name, the brackets are the evidence: a short form of the right shape with
    the name's initial need not spell the name (an English abbreviation of a Norwegian name).
    """
    m = _AFTER_ABBR.match(after)
    if not m:
        return None
    abbr = m.group(1)
    if _abbreviation_fits(abbr, name):
        return abbr
    fits_shape = bool(_SHORT_SHAPE.fullmatch(abbr)) and len(name) > len(abbr) + 3
    return abbr if fits_shape and abbr[0].casefold() == name[:1].casefold() else None


_LEADING_ACRONYM = re.compile(r"([A-ZÆØÅ]{2,6}) (?=[A-ZÆØÅ])")
_ACRONYM_BEFORE = re.compile(r"(?<![\w-])([A-ZÆØÅ]{2,6}) $")


def leading_short_form(name: str) -> tuple[str, str] | None:
    """(short form, name) when a name of two words or more comes right after the acronym that
    spells it, as list items and letterheads write them ("NKM Nasjonal kystmyndighet")."""
    m = _LEADING_ACRONYM.match(name)
    if not m:
        return None
    long = name[m.end() :]
    fits = len(long.split()) >= 2 and _abbreviation_fits(m.group(1), long)
    return (m.group(1), long) if fits else None


def abbreviation_pairs(texts: Iterable[tuple[str, int, int]]) -> list[tuple[str, str]]:
    """(long name, abbreviation) pairs taught by "Long Name (ABBR)", "ABBR (Long Name)",
    "ABBR Long Name" and glossary lines ("ABBR: Long Name").

    `texts` yields (chunk text, mention start, mention end) for mentions to look after.
    """
    pairs: list[tuple[str, str]] = []
    for text, start, end in texts:
        name = clean_name(text[start:end])
        after = text[end : end + 100]
        short = short_form_after(name, after)
        if short:
            pairs.append((name, short))
            continue
        m = _AFTER_LONG.match(after)
        if m and _abbreviation_fits(name, m.group(1)):
            pairs.append((clean_name(m.group(1)), name))
            continue
        # a glossary line whose long form spells the name as abbreviations do (letters inside
        # compounds too): a pair when the long form is itself tagged somewhere. Not a table
        # row: its next cell may name another actor that happens to spell it
        glossed = glossary_entry(text, start, end, cells=False)
        if glossed and _SHORT_SHAPE.fullmatch(name) and _abbreviation_fits(name, glossed):
            pairs.append((glossed, name))
            continue
        lead = _ACRONYM_BEFORE.search(text[max(0, start - 8) : start])
        if lead and leading_short_form(f"{lead.group(1)} {name}"):
            pairs.append((name, lead.group(1)))
    return pairs


_ACRONYM = re.compile(r"[A-ZÆØÅ][A-ZÆØÅa-z0-9&-]{1,9}")


# A glossary line: an abbreviation opening its line or list item (after a bullet, also where
# items run on in one line, or in a table's first cell), then a colon, a dash or the next cell,
# then its long form up to the end of the line or item
_LINE_OPENING = re.compile(r"(?:^|\n|\s[-–•*·])[ \t]*(?:[-–•*·][ \t]*)?$")
_GLOSSED = re.compile(
    r"^[ \t]*(?::|[-–—|])[ \t]*([A-ZÆØÅ][^\n:;()|]{3,80}?)[ \t]*(?:[.;|]|\n|$|(?=\s[-–•*·]\s))"
)
_WORD_STARTS = re.compile(r"(?:^|(?<=[\s-]))(\w)")


def glossary_entry(text: str, start: int, end: int, cells: bool = True) -> str | None:
    """What a glossary line gives after the name at text[start:end] ("- NKM: Nasjonal
    kystmyndighet", "NKM – …", with `cells` also "NKM | …" in a table), or None where the name
    does not open its line or no colon, dash (or cell) follows it."""
    if not _LINE_OPENING.search(text[max(0, start - 80) : start]):
        return None
    m = _GLOSSED.match(text[end : end + 120])
    if not m or (not cells and m.group(0).lstrip(" \t").startswith("|")):
        return None
    return clean_name(m.group(1))


def initials_spell(abbr: str, long: str) -> bool:
    """Whether an abbreviation's capitals are the long form's initials, in order, the first the
    first word's ("NKV", "Nordre Kyst Vannverk"), and the long form is a name, not a sentence."""
    capitals = [ch for ch in abbr if ch.isupper()]
    initials = [ch.upper() for ch in _WORD_STARTS.findall(long)]
    if len(capitals) < 2 or not initials or initials[0] != capitals[0]:
        return False
    if len(initials) > 2 * len(capitals) + 2:
        return False
    rest = iter(initials)
    return all(ch in rest for ch in capitals)


def abbreviation_expansions(
    rows: Sequence[MentionRow], chunk_texts: dict[int, str]
) -> dict[str, str]:
    """Long forms written before an abbreviation in brackets, "Avdeling for vannforvaltning (AVF)",
    or after it on a glossary line, "AVF: Avdeling for vannforvaltning".

    Keyed by the abbreviation's group key; the long form need not be an entity itself.
    """
    found: dict[str, str] = {}
    for r in rows:
        text = chunk_texts.get(r.chunk_id, "")
        if not (_ACRONYM.fullmatch(r.text) and sum(ch.isupper() for ch in r.text) >= 2):
            continue
        glossed = glossary_entry(text, r.start, r.end)
        if glossed and initials_spell(r.text, glossed):
            found.setdefault(group_key(r.label, r.text), glossed)
            continue
        if not (
            text[max(0, r.start - 2) : r.start].endswith("(") and text[r.end : r.end + 1] in ")"
        ):
            continue
        before = text[max(0, r.start - 120) : r.start].rstrip(" (").split("\n")[-1]
        # a long form runs back no further than a bracket, colon or comma: before those stands
        # another item of a list ("Kari Holm (HVN), Per Lia (FJF)") or a label ("Fagmiljø: …")
        before = _LONG_FORM_STOP.split(before)[-1]
        words = before.split()
        for n in range(1, min(len(words), 8) + 1):
            long = clean_name(" ".join(words[-n:]))
            if long[:1].isupper() and _abbreviation_fits(r.text, long):
                found.setdefault(group_key(r.label, r.text), long)
                break
    return found


# Shortest name (characters) whose one-letter variant is taken for a typing slip: shorter
# names one letter apart are as often two names ("Hansen", "Hanssen").
MIN_SLIP_NAME = 8


@dataclass(frozen=True)
class MentionRow:
    """One stored mention as read back from the catalog."""

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


def group_key(label: str, text: str) -> str:
    # people, organisations and places share a namespace (the NER mixes ORG/GPE for
    # "Elvik"); initiatives stay apart ("Datahavnen" ≠ "Datahavnen AS")
    space = "I" if label == INITIATIVE else "E"
    return f"{space}:{normalise(text)}"


def _row_keys(rows: Sequence[MentionRow]) -> list[str]:
    """Each mention's group key. "Nordfold HF" keeps its legal form when the bare name
    ("Nordfold") is hardly ever an organisation in these mentions: the trust is not the county."""
    stripped = [group_key(r.label, r.text) for r in rows]
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
        # some ORG readings of the bare name ("Nordre Dal" for the trust) allow the merge
        place_like = labels and labels["ORG"] <= 0.2 * sum(labels.values())
        keys.append(p if p != k and place_like else k)
    return keys


def merge_mentions(
    rows: Sequence[MentionRow], chunk_texts: dict[int, str]
) -> list[list[MentionRow]]:
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
    # "Long Name (ABBR)" where the long form was not tagged there but is elsewhere
    for abbr_key, long in abbreviation_expansions(rows, chunk_texts).items():
        long_key = abbr_key[:2] + normalise(long)
        if long_key in keys:
            uf.union(abbr_key, long_key)
    known = set(uf.parent)  # includes abbreviations learnt from brackets
    for key in keys:
        base = genitive_base(key)
        # "HVNs" → "HVN"; "Fjordforskningens" → "Fjordforskning"; "Elvik HF's" → "Elvik"
        legal_stripped = f"{key[:2]}{normalise(base[2:])}" if base else None
        for candidate in (base, legal_stripped, key[:-3] if key.endswith(("ens", "ets")) else None):
            if candidate and candidate in known:
                uf.union(key, candidate)
                break
    _merge_short_forms(uf, keys, rows, row_keys)
    labels = _labels_of(rows, row_keys)
    _merge_head_nouns(uf, keys, labels)
    _merge_town_noun(uf, keys, labels)
    _merge_first_word_of_org(uf, keys, labels)
    _merge_person_names(uf, keys, rows, row_keys)
    _merge_across_initiatives(uf, keys, rows, row_keys)
    _merge_spelling_slips(uf, keys, rows, row_keys)
    groups: dict[str, list[MentionRow]] = defaultdict(list)
    for r, key in zip(rows, row_keys, strict=True):
        groups[uf.find(key)].append(r)
    return list(groups.values())


def _labels_of(rows: Sequence[MentionRow], row_keys: Sequence[str]) -> dict[str, Counter[str]]:
    """How often each group key was tagged with each label."""
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for r, key in zip(rows, row_keys, strict=True):
        labels[key][r.label] += 1
    return labels


# the definite endings of Norwegian nouns: "forskningsråd" → "forskningsrådet"
_DEFINITE_ENDINGS = ("et", "en", "a", "n", "t")


def _merge_head_nouns(uf: _UnionFind, keys: set[str], labels: dict[str, Counter[str]]) -> None:
    """ "Havforskningsrådet" = "Norges havforskningsråd": a one-word organisation in the definite
    form is the only longer organisation name whose last word is that noun."""
    orgs = [k for k in keys if k.startswith("E:") and labels[k]["ORG"] * 2 > labels[k].total()]
    by_last: dict[str, set[str]] = defaultdict(set)
    for key in orgs:
        words = key[2:].split()
        if len(words) >= 2:
            by_last[words[-1]].add(key)
    for key in orgs:
        name = key[2:]
        if " " in name or len(name) < 6:
            continue
        stems = {name[: -len(end)] for end in _DEFINITE_ENDINGS if name.endswith(end)}
        longer = {uf.find(k) for stem in stems if len(stem) >= 5 for k in by_last.get(stem, ())}
        if len(longer) == 1:
            uf.union(key, longer.pop())


def _merge_town_noun(uf: _UnionFind, keys: set[str], labels: dict[str, Counter[str]]) -> None:
    """ "Elvik by" = "Elvik": a place followed by the noun for a town is that place (the
    municipality, "Elvik kommune", is an organisation and stays apart)."""

    def place(key: str) -> bool:
        return labels[key]["GPE"] + labels[key]["LOC"] > labels[key].total() / 2

    for key in keys:
        base, _, noun = key.rpartition(" ")
        if noun in ("by", "byen") and base in keys and place(key) and place(base):
            uf.union(key, base)


def _merge_first_word_of_org(
    uf: _UnionFind, keys: set[str], labels: dict[str, Counter[str]]
) -> None:
    """ "Vika" (often tagged as a person) is "Vika Analyse" when it is the first word of exactly
    one organisation name and no person's name ends with it (then it is a surname); a brand is
    its one local branch ("Solvang" = "Solvang Nordvik")."""
    multi = [k for k in keys if k.startswith("E:") and " " in k]
    surnames = {k.rsplit(" ", 1)[1] for k in multi if labels[k]["PER"]}
    for key in keys:
        word = key[2:]
        counts = labels[key]
        if not key.startswith("E:") or " " in word:
            continue
        if (counts["PER"] + counts["ORG"]) * 2 <= counts.total():
            continue  # mostly a place: "Fjordvik" ≠ "Fjordvik kommune"
        if word in surnames:
            continue
        orgs = {
            uf.find(k)
            for k in multi
            if k.startswith(key + " ") and labels[k]["ORG"] * 2 > labels[k].total()
        }
        if len(orgs) == 1:
            uf.union(key, orgs.pop())


def _merge_person_names(
    uf: _UnionFind, keys: set[str], rows: Sequence[MentionRow], row_keys: Sequence[str]
) -> None:
    """ "Hovland" = "Maria Hovland", "Siri K. Bakken" = "Siri Kristine Bakken" and "Kristine
    Bakken" = "Siri Kristine Bakken" when only one person in these mentions fits."""
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
            # "Kari Lunde" = "Eva Kari Lunde": the first name cut off by a cell or line break
            fits = fits or {
                uf.find("E:" + " ".join(w))
                for w in full
                if len(w) > len(words) and w[-len(words) :] == words
            }
        if len(fits) == 1:
            uf.union(key, fits.pop())


def _merge_across_initiatives(
    uf: _UnionFind, keys: set[str], rows: Sequence[MentionRow], row_keys: Sequence[str]
) -> None:
    """The same written name tagged ORG in one place and INITIATIVE in another is one actor,
    unless a legal form marks the organisation ("Datahavnen AS")."""
    legal = {k for r, k in zip(rows, row_keys, strict=True) if normalise(r.text, False) != k[2:]}
    for key in keys:
        other = "E:" + key[2:]
        if key.startswith("I:") and other in keys and other not in legal:
            uf.union(key, other)


def _merge_spelling_slips(
    uf: _UnionFind, keys: set[str], rows: Sequence[MentionRow], row_keys: Sequence[str]
) -> None:
    """Names one typing slip apart ("Helsepersonellkommissjonen", "Storeelva" beside
    "Storelva") are one name, unless one sentence names both: then they are two names that
    happen to be spelt alike, set side by side ("Kristiansand og Kristiansund")."""
    by_length: dict[tuple[str, int], list[str]] = defaultdict(list)
    for key in keys:
        name = key.split(":", 1)[1]
        if len(name) >= MIN_SLIP_NAME and not any(ch.isdigit() for ch in name):
            by_length[key[0], len(name)].append(key)
    sentences: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for row, key in zip(rows, row_keys, strict=True):
        sentences[key].add((row.chunk_id, row.sentence))
    for (space, n), group in by_length.items():
        longer = by_length.get((space, n + 1), [])
        for key in group:
            for other in (*(k for k in group if k > key), *longer):
                if _one_edit(key[2:], other[2:]) and not sentences[key] & sentences[other]:
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
    uf: _UnionFind, keys: set[str], rows: Sequence[MentionRow], row_keys: Sequence[str]
) -> None:
    """ "Handelsforeningen" = "Handelsforeningen i Elvikregionen" when that is the only longer
    name it starts; only for one-word organisation names in the definite form, never places
    ("Storvik" ≠ "Storvik kommune")."""
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
