"""Folding names to keys, so "St. Louis", "Saint Louis" and "st louis" compare equal.

Its own module, with no SQLite: topics, clinics and ranking fold names without
opening the gazetteer.
"""

from __future__ import annotations

import re
import unicodedata

# Word-level spellings folded together so "St. Louis", "Saint Louis" and "st louis"
# share one key.
_WORD_FOLDS = {"saint": "st", "fort": "ft", "mount": "mt", "sainte": "ste"}
_DROP = re.compile("['\u2019`.]")  # apostrophes (straight and curly), periods
_SPACE = re.compile("[\\s\\-\u2010\u2013\u2014_/,]+")  # spaces, hyphens, dashes


def place_key(text: str) -> str:
    """Fold a place name to the key the gazetteer is indexed by.

    Case, accents, apostrophes, periods and hyphens don't matter, nor do the
    spellings of Saint/Fort/Mount: ``place_key("Coeur d'Alene") == "coeur dalene"``.
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _DROP.sub("", text)
    words = _SPACE.sub(" ", text).split()
    return " ".join(_WORD_FOLDS.get(w, w) for w in words)
