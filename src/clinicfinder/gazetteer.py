"""Offline look-ups in the bundled gazetteer (US ZIP centroids, GeoNames places, states).

The gazetteer is a small SQLite file built at development time by
``scripts/build_gazetteer.py``; opening it costs a few milliseconds, whereas the
packages it is built from take ~0.4 s to load.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import cache

from clinicfinder.bundled import data_path
from clinicfinder.errors import DataError

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


@dataclass(frozen=True, slots=True)
class Town:
    """A named populated place."""

    name: str
    state: str
    lat: float
    lon: float
    population: int
    source: str


@dataclass(frozen=True, slots=True)
class ZipArea:
    """A ZIP code's centroid and the city the Postal Service names for it."""

    zip: str
    city: str
    state: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class State:
    """A state (or DC, or Puerto Rico) with its centre and bounding box."""

    code: str
    name: str
    lat: float
    lon: float
    min_lat: float
    min_lon: float
    max_lat: float
    max_lon: float


class Gazetteer:
    """Read-only queries against the bundled gazetteer database."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path or str(data_path("gazetteer.sqlite"))
        try:
            # Read-only URI: a user's copy of the package is never written to.
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            self._db.execute("SELECT 1 FROM zips LIMIT 1")
        except sqlite3.Error as exc:
            raise DataError(self.path, None, f"cannot read the gazetteer ({exc})") from None

    def zip(self, code: str) -> ZipArea | None:
        row = self._db.execute(
            "SELECT zip, city, state, lat, lon FROM zips WHERE zip = ?", (code,)
        ).fetchone()
        return ZipArea(*row) if row else None

    def towns(self, name: str, state: str | None = None) -> list[Town]:
        """Places whose name folds to the same key, most populous first."""
        sql = "SELECT name, state, lat, lon, population, source FROM places WHERE key = ?"
        args: tuple[str, ...] = (place_key(name),)
        if state:
            sql += " AND state = ?"
            args += (state,)
        rows = self._db.execute(sql + " ORDER BY population DESC, name", args).fetchall()
        return [Town(*r) for r in rows]

    def town_names(self, state: str | None = None) -> list[str]:
        """Every distinct place name (in a state), for 'did you mean' hints."""
        if state:
            rows = self._db.execute("SELECT DISTINCT name FROM places WHERE state = ?", (state,))
        else:
            rows = self._db.execute("SELECT DISTINCT name FROM places WHERE population >= 5000")
        return [r[0] for r in rows]

    def state(self, text: str) -> State | None:
        """A state by its USPS code or its name, in any case."""
        key = place_key(text)
        row = self._db.execute(
            "SELECT code, name, lat, lon, min_lat, min_lon, max_lat, max_lon FROM states "
            "WHERE lower(code) = ? OR key = ?",
            (key, key),
        ).fetchone()
        return State(*row) if row else None

    def states(self) -> list[State]:
        rows = self._db.execute(
            "SELECT code, name, lat, lon, min_lat, min_lon, max_lat, max_lon FROM states "
            "ORDER BY code"
        )
        return [State(*r) for r in rows]

    def state_keys(self) -> dict[str, str]:
        """Folded state names and lower-case codes → USPS code."""
        out: dict[str, str] = {}
        for code, key in self._db.execute("SELECT code, key FROM states"):
            out[code.lower()] = code
            out[key] = code
        return out

    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None


@cache
def default_gazetteer() -> Gazetteer:
    return Gazetteer()
