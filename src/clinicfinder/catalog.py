"""The bundled clinic catalogue: loading data/clinics.csv into Clinic records."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from clinicfinder.bundled import data_path
from clinicfinder.errors import DataError, UnknownClinic
from clinicfinder.models import Clinic

COLUMNS = [
    "id",
    "name",
    "street",
    "city",
    "state",
    "postal_code",
    "country",
    "phone",
    "website",
    "routes",
    "conditions",
    "telehealth_states",
    "status",
    "lat",
    "lon",
    "precision",
    "source_url",
    "location_evidence",
    "notes",
    "collected",
]
STATUSES = ("active", "closed", "unverified")
PRECISIONS = ("zip", "city", "none")


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(";") if v.strip())


def _coordinate(value: str, low: float, high: float, file: str, line: int) -> float | None:
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise DataError(file, line, f"{value!r} is not a number") from None
    if not low <= number <= high:
        raise DataError(file, line, f"coordinate {value} is outside {low}..{high}")
    return number


def read_clinics(path: Path) -> list[Clinic]:
    """Parse a clinic CSV in the bundled schema; a bad row raises DataError(file, line)."""
    name = str(path)
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise DataError(name, 1, "missing column(s): " + ", ".join(missing))
            clinics = []
            for row in reader:
                line = reader.line_num
                if None in row.values() or None in row:
                    raise DataError(name, line, "wrong number of fields")
                if row["status"] not in STATUSES:
                    raise DataError(name, line, f"unknown status {row['status']!r}")
                if row["precision"] not in PRECISIONS:
                    raise DataError(name, line, f"unknown precision {row['precision']!r}")
                lat = _coordinate(row["lat"], -90, 90, name, line)
                lon = _coordinate(row["lon"], -180, 180, name, line)
                if (lat is None) != (row["precision"] == "none") or (lat is None) != (lon is None):
                    raise DataError(name, line, "coordinates and precision disagree")
                clinics.append(
                    Clinic(
                        id=row["id"],
                        name=row["name"],
                        street=row["street"],
                        city=row["city"],
                        state=row["state"],
                        postal_code=row["postal_code"],
                        country=row["country"],
                        phone=row["phone"],
                        website=row["website"],
                        routes=_split(row["routes"]),
                        conditions=_split(row["conditions"]),
                        telehealth_states=_split(row["telehealth_states"]),
                        status=row["status"],
                        lat=lat,
                        lon=lon,
                        precision=row["precision"],
                        source_url=row["source_url"],
                        location_evidence=row["location_evidence"],
                        notes=row["notes"],
                        collected=row["collected"],
                    )
                )
    except OSError as exc:
        raise DataError(name, None, f"cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise DataError(name, None, "not UTF-8 text") from None
    except csv.Error as exc:
        raise DataError(name, None, f"malformed CSV ({exc})") from None
    return clinics


@cache
def bundled_clinics() -> tuple[Clinic, ...]:
    return tuple(read_clinics(data_path("clinics.csv")))


def find_clinic(clinic_id: str, clinics: tuple[Clinic, ...] | list[Clinic]) -> Clinic:
    for c in clinics:
        if c.id == clinic_id:
            return c
    raise UnknownClinic(
        f"no clinic with id {clinic_id!r}",
        hint="ids are shown by `clinicfinder near … --json`; they look like name-city-st",
    )


def data_date(clinics: tuple[Clinic, ...] | list[Clinic]) -> str:
    """The newest 'collected' date: how fresh the data is at best."""
    return max((c.collected for c in clinics if c.collected), default="unknown")
