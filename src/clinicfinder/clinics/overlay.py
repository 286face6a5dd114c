"""Live records laid over a catalogue (`near --online` with the registry).

A live record that is the same clinic as one already listed — the same phone,
the same website host, or the same folded name in the same city — joins it:
the listed clinic keeps its facts, takes the ones it lacked (a phone, a street,
street-level coordinates), and lists both sources. The others are added.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from clinicfinder.clinics.catalog import Catalog, MemoryCatalog, newest
from clinicfinder.places.names import place_key
from clinicfinder.records.models import Clinic

SAME_PLACE_KM = 40.0  # a clinic placed at its city's centre can be this far from its door
_FINER = {"street": 0, "zip": 1, "city": 2, "none": 3}


def _keys(c: Clinic) -> set[str]:
    keys = set()
    digits = re.sub(r"\D", "", c.phone)[-10:]
    if len(digits) == 10:
        keys.add("phone:" + digits)
    host = (urlsplit(c.website).hostname or "").removeprefix("www.")
    if host:
        keys.add("web:" + host)
    if c.city:
        keys.add(f"name:{place_key(c.name)}|{place_key(c.city)}|{c.state}")
    return keys


def join(listed: Clinic, live: Clinic) -> Clinic:
    """The listed clinic with what the live record adds, and both sources."""
    finer = _FINER.get(live.precision, 3) < _FINER.get(listed.precision, 3)
    return listed._replace(
        phone=listed.phone or live.phone,
        street=listed.street or live.street,
        postal_code=listed.postal_code or live.postal_code,
        website=listed.website or live.website,
        lat=live.lat if finer else listed.lat,
        lon=live.lon if finer else listed.lon,
        precision=live.precision if finer else listed.precision,
        payment=tuple(dict.fromkeys((*listed.payment, *live.payment))),
        ages=tuple(dict.fromkeys((*listed.ages, *live.ages))),
        languages=tuple(dict.fromkeys((*listed.languages, *live.languages))),
        eligibility=listed.eligibility or live.eligibility,
        phone_scope=listed.phone_scope if listed.phone else live.phone_scope,
        source_url=live.source_url,
        source_date=live.source_date,
        source_date_basis=live.source_date_basis,
        evidence=live.evidence,
        more_sources=tuple(dict.fromkeys((*listed.more_sources, listed.source_url))),
    )


def _twin(record: Clinic, nearby: Iterable[Clinic], taken: dict[str, Clinic]) -> Clinic | None:
    """The listed clinic this live record is, if any: it must share a key (phone, website,
    name and city) and be in the same city, so a chain's branch never joins another branch;
    a match on the name comes first."""
    keys = _keys(record)
    city = place_key(record.city)
    same = [
        c
        for c in nearby
        if c.id not in taken and keys & _keys(c) and (not c.city or place_key(c.city) == city)
    ]
    by_name = [c for c in same if place_key(c.name) == place_key(record.name)]
    found = by_name or same
    return found[0] if found else None


class OverlayCatalog(Catalog):
    """A catalogue with live records joined to the clinics they duplicate, or added."""

    def __init__(self, base: Catalog, live: Sequence[Clinic]) -> None:
        self._base = base
        self._joined: dict[str, Clinic] = {}
        extra: list[Clinic] = []
        for record in live:
            if record.lat is None or record.lon is None:
                continue
            twin = _twin(record, base.near(record.lat, record.lon, SAME_PLACE_KM), self._joined)
            if twin is None:
                extra.append(record)
            else:
                self._joined[twin.id] = join(twin, record)
        self._extra = MemoryCatalog(extra)

    @property
    def joined(self) -> int:
        return len(self._joined)

    @property
    def added(self) -> int:
        return self._extra.size()

    def _swap(self, clinics: Iterable[Clinic]) -> list[Clinic]:
        return [self._joined.get(c.id, c) for c in clinics]

    def size(self) -> int:
        return self._base.size() + self._extra.size()

    def placed_count(self) -> int:
        return self._base.placed_count() + self._extra.placed_count()

    def newest_collected(self) -> str | None:
        return newest((self._base.newest_collected(), self._extra.newest_collected()))

    def near(self, lat: float, lon: float, km: float) -> list[Clinic]:
        return self._swap(self._base.near(lat, lon, km)) + self._extra.near(lat, lon, km)

    def unranked_in(self, code: str) -> list[Clinic]:
        return self._swap(self._base.unranked_in(code))

    def in_state(self, code: str) -> int:
        return self._base.in_state(code) + self._extra.in_state(code)

    def get(self, clinic_id: str) -> Clinic | None:
        found = self._base.get(clinic_id)
        if found is not None:
            return self._joined.get(found.id, found)
        return self._extra.get(clinic_id)

    def ids_among(self, ids: Iterable[str]) -> set[str]:
        wanted = set(ids)
        return self._base.ids_among(wanted) | self._extra.ids_among(wanted)

    def all(self) -> list[Clinic]:
        return self._swap(self._base.all()) + self._extra.all()
