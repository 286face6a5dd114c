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
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from clinicfinder.bundled import data_path
from clinicfinder.clinicfile import COLUMNS, read_rows
from clinicfinder.errors import DataError, UnknownClinic
from clinicfinder.gazetteer import Gazetteer, default_gazetteer
from clinicfinder.models import Clinic

__all__ = ["COLUMNS", "Clinic", "bundled_clinics", "data_date", "find_clinic", "load_catalog"]


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


def assign_ids(rows: Sequence[dict[str, str]], taken: set[str] | None = None) -> list[str]:
    """Readable unique ids for rows that have none; a clash is settled by the street,
    then the ZIP, then a number — never by row order alone where the source offers
    something better, so ids stay put when rows are added or reordered."""
    taken = set(taken or ())
    bases = [base_id(r) for r in rows]
    counts: dict[str, int] = {}
    for b in bases:
        counts[b] = counts.get(b, 0) + 1
    ids: list[str] = []
    for row, b in zip(rows, bases, strict=True):
        candidate = b
        if counts[b] > 1 or b in taken:
            street = slug(" ".join(row.get("street", "").split()[:3]))
            candidate = f"{b}-{street or row.get('postal_code') or 'site'}"
        unique, n = candidate, 2
        while unique in taken:
            unique, n = f"{candidate}-{n}", n + 1
        taken.add(unique)
        ids.append(unique)
    return ids


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
        country=get("country", "") or "US",
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
    """Clinics from one CSV or JSON file; the first bad row raises DataError(file, line).

    ``check=False`` is for the bundled file, which CI validates in full: it is
    only parsed, to keep start-up fast. ``taken`` maps ids already loaded to where
    they came from; a clash is an error, and new ids avoid them.
    """
    file = str(path)
    header, rows = read_rows(path)
    if "name" not in header:
        raise DataError(file, 1, "missing column 'name'" + _schema_hint(header))
    gazetteer = default_gazetteer() if check else None
    seen: dict[str, int] = {}
    for line, row in rows:
        if gazetteer is not None:
            from clinicfinder.validate import check_row

            errors, _warnings = check_row(row, gazetteer)
            if errors:
                raise DataError(file, line, errors[0])
            if not row.get("lat"):
                lat, lon, precision = place(row, gazetteer)
                if lat is not None:
                    row.update(lat=str(lat), lon=str(lon), precision=precision)
        clinic_id = row.get("id", "")
        if clinic_id in seen:
            first = seen[clinic_id]
            raise DataError(file, line, f"duplicate id {clinic_id!r} (first at line {first})")
        if taken and clinic_id in taken:
            raise DataError(file, line, f"id {clinic_id!r} is already used by {taken[clinic_id]}")
        if clinic_id:
            seen[clinic_id] = line
    missing = [row for _line, row in rows if not row.get("id")]
    for row, new_id in zip(missing, assign_ids(missing, set(seen) | set(taken or ())), strict=True):
        row["id"] = new_id
    return [_clinic(row, file, line) for line, row in rows]


def _schema_hint(header: list[str]) -> str:
    known = [h for h in header if h in COLUMNS]
    return "" if known else " (is this a clinic file? see data/README.md for the columns)"


@cache
def bundled_clinics() -> tuple[Clinic, ...]:
    return tuple(read_clinics(data_path("clinics.csv"), check=False))


def data_files_from_env() -> list[Path]:
    """$CLINICFINDER_DATA: clinic files to add, separated like PATH."""
    value = os.environ.get("CLINICFINDER_DATA", "")
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]


def load_catalog(extra: Sequence[Path] = (), *, bundled: bool = True) -> tuple[Clinic, ...]:
    """The bundled clinics (unless `bundled` is False) and those in each extra file.

    An id may appear only once across all of them.
    """
    clinics: list[Clinic] = list(bundled_clinics()) if bundled else []
    taken = dict.fromkeys((c.id for c in clinics), "the bundled data")
    for path in extra:
        added = read_clinics(path, taken=taken)
        taken.update(dict.fromkeys((c.id for c in added), str(path)))
        clinics.extend(added)
    return tuple(clinics)


def find_clinic(clinic_id: str, clinics: Sequence[Clinic]) -> Clinic:
    for c in clinics:
        if c.id == clinic_id:
            return c
    raise UnknownClinic(
        f"no clinic with id {clinic_id!r}",
        hint="ids are shown by `clinicfinder near … --json`; they look like name-city-st",
    )


def data_date(clinics: Sequence[Clinic]) -> str:
    """The newest 'collected' date: how fresh the data is at best."""
    return max((c.collected for c in clinics if c.collected), default="unknown")
