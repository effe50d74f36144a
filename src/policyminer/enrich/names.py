"""Name keys: the cleaned written form of a mention and the key names are compared on."""

from __future__ import annotations

import re
import unicodedata


def clean_name(text: str) -> str:
    """Collapse line breaks and spaces; trim punctuation the NER sometimes takes along."""
    text = " ".join(text.translate(_INVISIBLE).split())
    text = re.sub(r"(\w)- ([A-ZÆØÅ])", r"\1-\2", text)  # "Midt- Vest" split at a line end
    if _SPACED_CAPITALS.fullmatch(text):
        text = text.replace(" ", "")  # letter-spaced capitals: "K S T", "NC PC" → "KST", "NCPC"
    # a footnote reference typed as superscript digits after the name ("Elvik.⁷")
    text = text.rstrip("¹²³⁴⁵⁶⁷⁸⁹⁰")
    text = text.strip(" ,.;:!?([]«»\"“”'’*&•–")
    if text.endswith(")") and text.count("(") < text.count(")"):
        text = text[:-1].rstrip()  # keep "Meld. St. 7 (2030–2031)" whole
    text = re.sub(r"^\d[\d\s.,:/–-]*\s+(?=[A-ZÆØÅ])", "", text)  # "2023 Videregående", "2-10 …"
    # a date or period glued on by a slash, as in a table's source column ("Vegetaten/31.12.2030")
    text = re.sub(r"(?<=[^\W\d])/\d{1,4}(?:[.-]\d{1,4}){0,2}$", "", text)
    # a preposition or conjunction the NER took along at the end ("Elvikregionen med")
    return re.sub(_TRAILING_WORDS, "", text)


_INVISIBLE = str.maketrans(
    {"\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None}
)
# capitals split by single spaces where at least one piece is a lone letter ("GP S", "N S M")
_SPACED_CAPITALS = re.compile(
    r"(?=(?:\S+ )*[A-ZÆØÅ](?: |s?$))(?:[A-ZÆØÅ]{1,4} ){1,5}[A-ZÆØÅ]{1,4}s?"
)
# words a name never ends with: the NER ran on into the sentence ("Direktoratet har blant")
_TRAILING_WORDS = re.compile(
    r"(?:\s+(?:med|og|i|for|på|til|av|som|ved|har|hadde|er|var|der|blant|annet|kan|skal|vil|"
    r"må|også|mellom|om|fra|mot|and|of|the|in))+$"
)


_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "’": "'"})
# Legal-form suffixes do not change who is meant ("Elvik Næringspark AS" = "Elvik Næringspark").
_LEGAL = r"(?:as|asa|sf|kf|iks|hf|rhf|ab|ltd|inc|gmbh|plc|sa|ba)"
# "Helseforetaket Nordre Dal" / "Nordre Dal helseforetak": the health trust is its region.
_HF_WORDS = r"(?:helseforetaket|helseforetak|foretaket)"


def normalise(name: str, strip_forms: bool = True) -> str:
    """The comparison key of a name: case, dashes, hyphen spacing and legal forms ignored."""
    key = unicodedata.normalize("NFKC", name).translate(_INVISIBLE).translate(_DASHES).casefold()
    key = re.sub(r"\s*-\s*", "-", key)  # "Midt- Vest" / "Midt -Vest" → "midt-vest"
    key = key.replace("-", " ")  # "Nord-Dal" = "Nord Dal"
    key = re.sub(r"[^\w+&' ]", " ", key)
    key = " ".join(key.split())
    if not strip_forms:
        return key
    key = re.sub(rf"(?: {_LEGAL})+$", "", key)
    key = re.sub(rf"^{_HF_WORDS} | {_HF_WORDS}$", "", key) if " " in key else key
    return key.strip()


def genitive_base(key: str) -> str | None:
    """The base form of a genitive key ("fjellby kommunes" → "fjellby kommune")."""
    if key.endswith("'s") or key.endswith("' s"):
        return key.rsplit("'", 1)[0].strip()
    # two letters and an s ("KVs") is the shortest genitive; callers check the base is a name
    if key.endswith("s") and len(key) > 2:
        return key[:-1]
    return None
