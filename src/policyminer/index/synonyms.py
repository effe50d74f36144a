"""Words of one meaning that a question and a document choose differently ("hensikt", "formål").

A purpose is asked and stated in several words ("Hva er hensikten med planen?" — "Formålet med
planen er …", "Målet er å …"). The answer's term overlap reads them all as one term, so that
they weigh as one word. (BM25 is left as it is: in a zoning plan "formål" is the land-use
category of nearly every provision, so a search for "hensikt" that also sought "formål" would
find them all.)
"""

from __future__ import annotations

import re

__all__ = ["PURPOSE", "PURPOSE_WORDS", "is_purpose_word"]

PURPOSE = "formål"
# the words' stems, as a pattern's alternatives (Bokmål and Nynorsk)
PURPOSE_WORDS = "hensikt|formål|føremål|mål|målsetting|målsetjing|siktemål"
_PURPOSE = re.compile(rf"^(?:{PURPOSE_WORDS})(?:en|et|a|ene|ane|er|ar)?$")


def is_purpose_word(word: str) -> bool:
    """Whether a (lower-case) word is one of the words for a purpose, in any inflection."""
    return bool(_PURPOSE.match(word))
