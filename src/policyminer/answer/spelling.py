"""Bokmål and Nynorsk spellings of one word read as one term ("meiner" and "mener").

A question in Nynorsk over a report in Bokmål (or the other way) shares few exact terms with the
sentence that answers it, though most words differ only by the two standards' regular sound
correspondences: the diphthongs ("ei"/"e", "au"/"ø", "øy"/"ø"), a "j" after k/g/sk
("kyrkje"/"kyrke"), "g" for "i"/"y" after a vowel ("veg"/"vei", "høg"/"høy"), double and
single consonants, and the inflection endings ("-ar"/"-er", "-a"/"-en"). A term's spelling key
undoes them; two terms with one key are one word spelled by either standard. Words the standards
choose differently ("verksemd"/"virksomhet") stay apart.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

__all__ = ["spelling_alternatives", "spelling_key"]

_VOWELS = "aeiouyæøå"
_J_AFTER_STOP = re.compile(rf"(?<=[kg])j(?=[{_VOWELS}]|$)")
_DIPHTHONGS = (("ei", "e"), ("au", "ø"), ("øy", "ø"))
_DOUBLE = re.compile(r"([bdfgklmnprstv])\1")
_G_AFTER_VOWEL = re.compile(rf"(?<=[eø])g(?=[^{_VOWELS}]|$)")
_ENDING = re.compile(r"(?:ane|ene|ar|er|en|et|a|e)$")
MIN_KEYED = 3  # shorter terms keep their spelling


def spelling_key(term: str) -> str:
    """The term with the spelling differences of Bokmål and Nynorsk undone."""
    if len(term) < MIN_KEYED or not term.isalpha():
        return term
    key = _J_AFTER_STOP.sub("", term)
    for written, common in _DIPHTHONGS:
        key = key.replace(written, common)
    key = _DOUBLE.sub(r"\1", key)
    stripped = _ENDING.sub("", key)
    return _G_AFTER_VOWEL.sub("", stripped if len(stripped) >= 2 else key)


def spelling_alternatives(asked: Iterable[str], vocabulary: Iterable[str]) -> dict[str, set[str]]:
    """Each asked term → the vocabulary's terms spelled otherwise with its key (none: left out)."""
    by_key: dict[str, set[str]] = defaultdict(set)
    for term in vocabulary:
        by_key[spelling_key(term)].add(term)
    found = {}
    for term in asked:
        others = by_key.get(spelling_key(term), set()) - {term}
        if others:
            found[term] = others
    return found
