"""Every source of a clinic, for `show`: the bundled data keeps them in clinic-sources.csv
(built from data/sources/ by scripts/build_clinics.py); a user's row has just its own one."""

from __future__ import annotations

import csv
from collections.abc import Sequence

from clinicfinder.bundled import data_path
from clinicfinder.errors import DataError
from clinicfinder.records.models import CLINIC_COLUMNS, Clinic, ClinicSource, split_list

SOURCES_FILE = "clinic-sources.csv"
SOURCE_COLUMNS = ("id", "url", "date", "date_basis", "evidence", "supports", "quote")
_OWN = ("id", "lat", "lon", "precision", "status", "collected", "notes", "source_url")


def sources_of(clinic: Clinic, laid: Sequence[Clinic] = ()) -> list[ClinicSource]:
    """The clinic's sources, newest first: from the bundled list, else from its own row;
    and those of the records joined to it (`laid`: a fetched layer's, a file's), each
    supporting only what its own record states."""
    listed = _bundled(clinic.id)
    joined = [_own(c) for c in laid if c.source_url]
    known = [*joined, *listed]
    if known and clinic.source_url in {s.url for s in known}:
        # Newest first; sorting is stable, so the listed sources keep their order.
        return sorted(known, key=lambda s: s.date, reverse=True) if joined else listed
    if not clinic.source_url:
        return known
    others = [
        ClinicSource(url, "", "", "", (), "")
        for url in clinic.more_sources
        if url not in {s.url for s in known}
    ]
    return [_own(clinic), *known, *others]


def _own(clinic: Clinic) -> ClinicSource:
    """A record's own source, supporting the columns the record states."""
    stated = tuple(
        c for c in CLINIC_COLUMNS if c not in _OWN and getattr(clinic, c) not in ("", (), None)
    )
    return ClinicSource(
        url=clinic.source_url,
        date=clinic.source_date,
        date_basis=clinic.source_date_basis or ("" if clinic.source_date else "undated"),
        evidence=clinic.evidence,
        supports=stated,
        quote=clinic.location_evidence,
    )


def _bundled(clinic_id: str) -> list[ClinicSource]:
    path = data_path(SOURCES_FILE)
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = [r for r in csv.DictReader(f) if r.get("id") == clinic_id]
    except FileNotFoundError:
        return []
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        raise DataError(str(path), None, f"cannot read ({exc})") from None
    return [
        ClinicSource(
            url=r["url"],
            date=r["date"],
            date_basis=r["date_basis"],
            evidence=r["evidence"],
            supports=split_list(r["supports"]),
            quote=r["quote"],
        )
        for r in rows
    ]
