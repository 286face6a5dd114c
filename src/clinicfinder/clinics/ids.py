"""Readable, stable clinic ids, and placing a row offline at the finest level it supports."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from clinicfinder.places.gazetteer import Gazetteer


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub("['\u2019.]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def base_id(row: dict[str, str]) -> str:
    name, city = slug(row.get("name", ""))[:60].rstrip("-"), slug(row.get("city", ""))
    if city and f"-{city}-" in f"-{name}-":  # "Acme Ketamine (Gilbert)" needs no second Gilbert
        city = ""
    parts = (name, city, row.get("state", "").lower())
    return "-".join(p for p in parts if p) or "clinic"


class IdAssigner:
    """Readable unique ids for rows that have none.

    A clash is settled by the street, then the ZIP, then a number — never by row
    order alone where the source offers something better, so ids stay put when
    rows are added or reordered. `counts` says how often each base id occurs.
    """

    def __init__(self, counts: Counter[str], taken: set[str]) -> None:
        self.counts = counts
        self.taken = taken

    def __call__(self, row: dict[str, str]) -> str:
        b = base_id(row)
        candidate = b
        if self.counts[b] > 1 or b in self.taken:
            street = slug(" ".join(row.get("street", "").split()[:3]))
            candidate = f"{b}-{street or row.get('postal_code') or 'site'}"
        unique, n = candidate, 2
        while unique in self.taken:
            unique, n = f"{candidate}-{n}", n + 1
        self.taken.add(unique)
        return unique


def place(row: dict[str, str], gazetteer: Gazetteer) -> tuple[float | None, float | None, str]:
    """(lat, lon, precision) at the finest level the row itself supports, offline."""
    postal, state, city = row.get("postal_code", ""), row.get("state", ""), row.get("city", "")
    if postal:
        area = gazetteer.zip(postal)
        if area and (not state or area.state == state):
            return round(area.lat, 5), round(area.lon, 5), "zip"
    if city:
        towns = gazetteer.towns(city, state or None)
        if towns and (state or len({t.state for t in towns}) == 1):
            return round(towns[0].lat, 5), round(towns[0].lon, 5), "city"
    return None, None, "none"
