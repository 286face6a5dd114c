"""The clinic catalogue: the bundled data plus any files the user adds, as Clinic records.

A user's file may leave out ids and coordinates: ids are made from name, city
and state, and clinics are placed the way the bundled data is — at the ZIP
centroid when a ZIP is given, else the city centre, else not at all — with the
precision recorded.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from clinicfinder.bundled import data_path
from clinicfinder.errors import DataError, UnknownClinic, brief
from clinicfinder.places.distance import bounding_box
from clinicfinder.places.gazetteer import Gazetteer, default_gazetteer
from clinicfinder.records.models import Clinic

__all__ = ["Catalog", "Clinic", "bundled_catalog", "find_clinic", "load_catalog"]


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


def assign_ids(rows: Sequence[dict[str, str]], taken: set[str] | None = None) -> list[str]:
    assigner = IdAssigner(Counter(base_id(r) for r in rows), set(taken or ()))
    return [assigner(r) for r in rows]


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


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(";") if v.strip())


def _clinic(row: dict[str, str], file: str, line: int) -> Clinic:
    try:
        lat = float(row["lat"]) if row.get("lat") else None
        lon = float(row["lon"]) if row.get("lon") else None
    except ValueError:
        raise DataError(file, line, "lat/lon is not a number") from None
    get = row.get
    return Clinic(
        id=row["id"],
        name=get("name", ""),
        street=get("street", ""),
        city=get("city", ""),
        state=get("state", ""),
        postal_code=get("postal_code", ""),
        country=get("country", ""),  # left empty when the file doesn't say
        phone=get("phone", ""),
        website=get("website", ""),
        routes=_split(get("routes", "")),
        conditions=_split(get("conditions", "")),
        telehealth_states=_split(get("telehealth_states", "")),
        status=get("status", "") or "active",
        lat=lat,
        lon=lon,
        precision=get("precision", "") or "none",
        source_url=get("source_url", ""),
        location_evidence=get("location_evidence", ""),
        notes=get("notes", ""),
        collected=get("collected", ""),
    )


def read_clinics(
    path: Path, *, check: bool = True, taken: dict[str, str] | None = None
) -> list[Clinic]:
    """Clinics from one CSV or JSON file, as a list (see iter_clinics)."""
    return list(iter_clinics(path, check=check, taken=taken))


def iter_clinics(
    path: Path, *, check: bool = True, taken: dict[str, str] | None = None
) -> Iterator[Clinic]:
    """Clinics from one CSV or JSON file; the first bad row raises DataError(file, line).

    Streamed, so a file of any size is read in flat memory: a first pass checks
    every row and notes the ids, a second places the rows and yields them.
    ``check=False`` is for the bundled file, which CI validates in full: one
    pass, only parsed, to keep start-up fast. ``taken`` maps ids already loaded to
    where they came from; a clash is an error, and new ids avoid them.
    """
    from clinicfinder.clinics.files import read_rows

    file = str(path)
    header, rows = read_rows(path)
    if "name" not in header:
        raise DataError(file, 1, "missing column 'name'" + _schema_hint(header))
    if not check:
        for line, row in rows:
            yield _clinic(row, file, line)
        return
    from clinicfinder.clinics.validate import check_row

    gazetteer = default_gazetteer()
    seen: dict[str, int] = {}
    bases: Counter[str] = Counter()
    for line, row in rows:
        errors, _warnings = check_row(row, gazetteer)
        if errors:
            raise DataError(file, line, errors[0])
        clinic_id = row.get("id", "")
        if not clinic_id:
            bases[base_id(row)] += 1
        elif clinic_id in seen:
            first = seen[clinic_id]
            raise DataError(file, line, f"duplicate id {clinic_id!r} (first at line {first})")
        elif taken and clinic_id in taken:
            raise DataError(file, line, f"id {clinic_id!r} is already used by {taken[clinic_id]}")
        else:
            seen[clinic_id] = line
    assign = IdAssigner(bases, set(seen) | set(taken or ()))
    _header, rows = read_rows(path)
    for line, row in rows:
        if not row.get("lat"):
            lat, lon, precision = place(row, gazetteer)
            if lat is not None:
                row.update(lat=str(lat), lon=str(lon), precision=precision)
        if not row.get("id"):
            row["id"] = assign(row)
        yield _clinic(row, file, line)


def _schema_hint(header: list[str]) -> str:
    from clinicfinder.clinics.files import COLUMNS

    known = [h for h in header if h in COLUMNS]
    return "" if known else " (is this a clinic file? see data/README.md for the columns)"


class Catalog:
    """What searches ask of a set of clinics; answered from memory or from an index.

    A plain base class rather than a typing.Protocol: it is created on every run,
    and a Protocol class costs several times as much to create.
    """

    def size(self) -> int:
        raise NotImplementedError

    def placed_count(self) -> int:
        raise NotImplementedError

    def newest_collected(self) -> str:
        raise NotImplementedError

    def near(self, lat: float, lon: float, km: float) -> list[Clinic]:
        """Placed clinics within `km` — possibly a few more; callers measure exactly."""
        raise NotImplementedError

    def unranked_in(self, code: str) -> list[Clinic]:
        """What distance can't rank in a state: its unplaced clinics and its telehealth
        providers (and those elsewhere that list the state) — possibly a few more."""
        raise NotImplementedError

    def get(self, clinic_id: str) -> Clinic | None:
        raise NotImplementedError

    def ids_among(self, ids: Iterable[str]) -> set[str]:
        """Which of these ids this catalogue holds."""
        raise NotImplementedError

    def all(self) -> list[Clinic]:
        raise NotImplementedError


class MemoryCatalog(Catalog):
    """A list of clinics, searched by scanning: for small sets and tests."""

    def __init__(self, clinics: Iterable[Clinic]) -> None:
        self._clinics = list(clinics)

    def size(self) -> int:
        return len(self._clinics)

    def placed_count(self) -> int:
        return sum(1 for c in self._clinics if c.lat is not None)

    def newest_collected(self) -> str:
        return max((c.collected for c in self._clinics if c.collected), default="unknown")

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
        return [
            c
            for c in self._clinics
            if code in c.telehealth_states
            or (c.state == code and (c.lat is None or "at-home" in c.routes))
        ]

    def get(self, clinic_id: str) -> Clinic | None:
        return next((c for c in self._clinics if c.id == clinic_id), None)

    def ids_among(self, ids: Iterable[str]) -> set[str]:
        return set(ids) & {c.id for c in self._clinics}

    def all(self) -> list[Clinic]:
        return list(self._clinics)


class CompositeCatalog(Catalog):
    """Several catalogues searched as one (the bundled data and the user's files)."""

    def __init__(self, parts: Sequence[Catalog]) -> None:
        self._parts = list(parts)

    def size(self) -> int:
        return sum(p.size() for p in self._parts)

    def placed_count(self) -> int:
        return sum(p.placed_count() for p in self._parts)

    def newest_collected(self) -> str:
        dates = [d for p in self._parts if (d := p.newest_collected()) != "unknown"]
        return max(dates, default="unknown")

    def near(self, lat: float, lon: float, km: float) -> list[Clinic]:
        return [c for p in self._parts for c in p.near(lat, lon, km)]

    def unranked_in(self, code: str) -> list[Clinic]:
        return [c for p in self._parts for c in p.unranked_in(code)]

    def get(self, clinic_id: str) -> Clinic | None:
        return next((c for p in self._parts if (c := p.get(clinic_id))), None)

    def ids_among(self, ids: Iterable[str]) -> set[str]:
        wanted = set(ids)
        return {i for p in self._parts for i in p.ids_among(wanted)}

    def all(self) -> list[Clinic]:
        return [c for p in self._parts for c in p.all()]


def as_catalog(clinics: Catalog | Sequence[Clinic]) -> Catalog:
    """A catalogue as it is; a plain list or tuple of clinics, wrapped."""
    return clinics if isinstance(clinics, Catalog) else MemoryCatalog(clinics)


def _indexed(path: Path, *, check: bool) -> Catalog:
    from clinicfinder.clinics.index import open_index

    return open_index(path, lambda: iter_clinics(path, check=check))


def bundled_catalog() -> Catalog:
    """The bundled clinics, through their cached index."""
    return _indexed(data_path("clinics.csv"), check=False)


def data_files_from_env() -> list[Path]:
    """$CLINICFINDER_DATA: clinic files to add, separated like PATH."""
    value = os.environ.get("CLINICFINDER_DATA", "")
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]


def load_catalog(extra: Sequence[Path] = (), *, bundled: bool = True) -> Catalog:
    """The bundled clinics (unless `bundled` is False) and those in each extra file.

    Each file is checked in full the first time it is seen (a bad row raises
    DataError with its line) and indexed; an id may appear only once across all.
    """
    parts: list[tuple[Catalog, str]] = [(bundled_catalog(), "the bundled data")] if bundled else []
    for path in extra:
        part = _indexed(path, check=True)
        for earlier, owner in parts:
            # Ask the bigger catalogue about the smaller one's ids: cheap at any size.
            small, big = sorted((part, earlier), key=lambda c: c.size())
            clash = big.ids_among(c.id for c in small.all())
            if clash:
                first = sorted(clash)[0]
                raise DataError(
                    str(path), _line_of(path, first), f"id {first!r} is already used by {owner}"
                )
        parts.append((part, str(path)))
    catalogs = [c for c, _owner in parts]
    return catalogs[0] if len(catalogs) == 1 else CompositeCatalog(catalogs)


def _line_of(path: Path, clinic_id: str) -> int | None:
    """The line of a row with this id (only on the error path: reads the file again)."""
    from clinicfinder.clinics.files import read_rows

    try:
        _header, rows = read_rows(path)
    except DataError:
        return None
    return next((line for line, row in rows if row.get("id") == clinic_id), None)


def find_clinic(clinic_id: str, catalog: Catalog) -> Clinic:
    clinic = catalog.get(clinic_id)
    if clinic is None:
        raise UnknownClinic(
            f"no clinic with id {brief(clinic_id)}",
            hint="ids are shown by `clinicfinder near … --json`; they look like name-city-st",
        )
    return clinic
