"""The clinic catalogue: what searches ask of a set of clinics, in memory.

The index (index.py) answers the same questions from a cached SQLite file;
load.py decides which catalogue a command gets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from clinicfinder.places.distance import bounding_box
from clinicfinder.records.clock import today_iso
from clinicfinder.records.models import Clinic, Layer


class Catalog:
    """What searches ask of a set of clinics; answered from memory or from an index.

    A plain base class rather than a typing.Protocol: it is created on every run,
    and a Protocol class costs several times as much to create.
    """

    def size(self) -> int:
        raise NotImplementedError

    def placed_count(self) -> int:
        raise NotImplementedError

    def newest_collected(self) -> str | None:
        """The day the newest listing was gathered; None when no listing says."""
        raise NotImplementedError

    def near(self, lat: float, lon: float, km: float) -> list[Clinic]:
        """Placed clinics within `km` — possibly a few more; callers measure exactly."""
        raise NotImplementedError

    def unranked_in(self, code: str) -> list[Clinic]:
        """What distance can't rank in a state: its unplaced clinics and its telehealth
        providers (and those elsewhere that list the state) — possibly a few more."""
        raise NotImplementedError

    def in_state(self, code: str) -> int:
        """How many clinics (placed or not, any status) this catalogue has in a state."""
        raise NotImplementedError

    def get(self, clinic_id: str) -> Clinic | None:
        raise NotImplementedError

    def ids_among(self, ids: Iterable[str]) -> set[str]:
        """Which of these ids this catalogue holds."""
        raise NotImplementedError

    def all(self) -> list[Clinic]:
        raise NotImplementedError

    def sharing(self, keys: Iterable[str]) -> list[Clinic]:
        """Clinics with any of these join keys (clinics/keys.py): the candidates for being
        the same clinic as a record that has them."""
        raise NotImplementedError

    def layers(self) -> tuple[Layer, ...]:
        """The fetched layers (`data update`) this catalogue searches."""
        return ()

    def origins(self, clinic_id: str) -> tuple[Clinic, ...]:
        """The records laid over this clinic and joined to it (a layer's, a file's), each
        with its own source: `show` lists what each of them states."""
        return ()


class MemoryCatalog(Catalog):
    """A list of clinics, searched by scanning: for small sets and tests."""

    def __init__(self, clinics: Iterable[Clinic]) -> None:
        today = today_iso()  # a status is read as of the day of the run, as the index does
        self._clinics = [c.current(today) for c in clinics]
        self._by_key: dict[str, list[Clinic]] | None = None

    def size(self) -> int:
        return len(self._clinics)

    def placed_count(self) -> int:
        return sum(1 for c in self._clinics if c.lat is not None)

    def newest_collected(self) -> str | None:
        return max((c.collected for c in self._clinics if c.collected), default=None)

    def near(self, lat: float, lon: float, km: float) -> list[Clinic]:
        min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, km)
        return [
            c
            for c in self._clinics
            if c.lat is not None
            and c.lon is not None
            and min_lat <= c.lat <= max_lat
            and min_lon <= c.lon <= max_lon
        ]

    def unranked_in(self, code: str) -> list[Clinic]:
        from clinicfinder.clinics.telehealth import unranked_in

        return [c for c in self._clinics if unranked_in(c, code)]

    def in_state(self, code: str) -> int:
        return sum(1 for c in self._clinics if c.state == code)

    def get(self, clinic_id: str) -> Clinic | None:
        return next((c for c in self._clinics if c.id == clinic_id), None)

    def ids_among(self, ids: Iterable[str]) -> set[str]:
        return set(ids) & {c.id for c in self._clinics}

    def all(self) -> list[Clinic]:
        return list(self._clinics)

    def sharing(self, keys: Iterable[str]) -> list[Clinic]:
        if self._by_key is None:
            from clinicfinder.clinics.keys import join_keys

            self._by_key = {}
            for c in self._clinics:
                for key in join_keys(c):
                    self._by_key.setdefault(key, []).append(c)
        found = {c.id: c for key in keys for c in self._by_key.get(key, ())}
        return list(found.values())


def as_catalog(clinics: Catalog | Sequence[Clinic]) -> Catalog:
    """A catalogue as it is; a plain list or tuple of clinics, wrapped."""
    return clinics if isinstance(clinics, Catalog) else MemoryCatalog(clinics)


def newest(dates: Iterable[str | None]) -> str | None:
    """The latest of some days, leaving out the unknown ones (None when all are)."""
    return max((d for d in dates if d), default=None)
