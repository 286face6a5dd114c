"""Offline look-ups in the bundled gazetteer (US ZIP centroids and GeoNames places).

Look-up rows are NamedTuples rather than dataclasses: they are built straight
from SQL rows, and a NamedTuple class costs a fifth of a frozen dataclass to
create at start-up.

The gazetteer is a small SQLite file built at development time by
``scripts/build_gazetteer.py``; opening it costs a few milliseconds, whereas the
packages it is built from take ~0.4 s to load.
"""

from __future__ import annotations

import math
import sqlite3
from functools import cache
from pathlib import Path
from typing import NamedTuple

from clinicfinder.bundled import data_path
from clinicfinder.errors import DataError
from clinicfinder.places.names import place_key


class Town(NamedTuple):
    """A named populated place."""

    name: str
    state: str
    lat: float
    lon: float
    population: int
    source: str


class ZipArea(NamedTuple):
    """A ZIP code's centroid and the city the Postal Service names for it."""

    zip: str
    city: str
    state: str
    lat: float
    lon: float


class Gazetteer:
    """Read-only queries against the bundled gazetteer database."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path or str(data_path("gazetteer.sqlite"))
        try:
            # Read-only URI: a user's copy of the package is never written to.
            uri = Path(self.path).resolve().as_uri()
            self._db = sqlite3.connect(f"{uri}?mode=ro", uri=True)
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

    def largest_towns(
        self, south: float, west: float, north: float, east: float, limit: int
    ) -> list[Town]:
        """The most populous GeoNames places in a box: names to read a map by."""
        rows = self._db.execute(
            "SELECT name, state, lat, lon, population, source FROM places "
            "WHERE source = 'geonames' AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? "
            "ORDER BY population DESC, name LIMIT ?",
            (south, north, west, east, limit),
        ).fetchall()
        return [Town(*r) for r in rows]

    def nearest_zip(self, lat: float, lon: float, window: float = 0.5) -> ZipArea | None:
        """The ZIP whose centroid is nearest a point (within `window` degrees), if any."""
        rows = self._db.execute(
            "SELECT zip, city, state, lat, lon FROM zips "
            "WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
            (lat - window, lat + window, lon - window, lon + window),
        ).fetchall()
        if not rows:
            return None
        best = min(rows, key=lambda r: (r[3] - lat) ** 2 + ((r[4] - lon) * _cos_deg(lat)) ** 2)
        return ZipArea(*best)


def _cos_deg(degrees: float) -> float:
    return math.cos(math.radians(degrees))


@cache
def default_gazetteer() -> Gazetteer:
    return Gazetteer()
