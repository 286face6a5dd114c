"""`data geocode`: street-level coordinates for the rows of a clinic CSV that have a street.

Every answer goes through the same polite client as `--online` (one request a
second, cached), so a run that is interrupted — Ctrl-C, a network failure — is
resumed by running it again: rows already answered come from the cache and are
never asked twice. What was done so far is written to OUT before stopping.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from pathlib import Path

from clinicfinder.errors import ClinicFinderError, DataError, UsageProblem
from clinicfinder.online.nominatim import PUBLIC_BULK_LIMIT, OnlineGeocoder, is_public
from clinicfinder.records.clock import today_iso
from clinicfinder.userdirs import write_output

NEEDED = ("lat", "lon", "precision", "notes")


def query_for(row: dict[str, str]) -> str | None:
    """The address to ask for, or None when the row has no street."""
    street = row.get("street", "").strip()
    if not street:
        return None
    tail = " ".join(p for p in (row.get("state", ""), row.get("postal_code", "")) if p)
    return ", ".join(p for p in (street, row.get("city", "").strip(), tail) if p)


def geocode_file(
    source: Path,
    out: Path,
    geocoder: OnlineGeocoder,
    *,
    progress: Callable[[int, int], None] = lambda done, total: None,
    notify: Callable[[str], None] = lambda message: None,
) -> str:
    """Geocode `source` into `out`; returns a one-line summary for the user.

    `progress(done, total)` is called after each row and `notify` says what the
    user should hear; the command line decides how to show both.
    """
    from clinicfinder.clinics.files import read_rows

    if out.exists() and os.path.samefile(out, source):
        raise UsageProblem("write to a new file with -o, not over the input")
    header, stream = read_rows(source)
    rows = list(stream)  # rewritten whole at the end
    if "name" not in header:
        raise DataError(str(source), 1, "missing column 'name' (is this a clinic CSV?)")
    header += [c for c in NEEDED if c not in header]
    todo = [
        (line, row, query)
        for line, row in rows
        if (query := query_for(row)) and row.get("precision") != "street"
    ]
    uncached = sum(1 for _line, _row, q in todo if not geocoder.cached(q))
    if is_public(geocoder.url) and uncached > PUBLIC_BULK_LIMIT:
        raise UsageProblem(
            f"{uncached} rows need a lookup; the public Nominatim server's policy forbids bulk "
            f"geocoding (this tool sends at most {PUBLIC_BULK_LIMIT} per run to it)",
            hint="self-host Nominatim and set CLINICFINDER_NOMINATIM_URL, or split the file",
        )
    found = missing = 0
    stamp = today_iso()
    host = geocoder.url.split("://", 1)[-1]
    try:
        for done, (_line, row, query) in enumerate(todo, 1):
            place = geocoder.locate(query)
            if place is None or place.precision != "street":
                missing += 1
            elif row.get("state") and place.state and place.state != row["state"]:
                missing += 1  # an answer in another state is a wrong answer
            else:
                row.update(lat=f"{place.lat:.6f}", lon=f"{place.lon:.6f}", precision="street")
                note = f"street coordinates: OpenStreetMap via Nominatim ({host}), {stamp}"
                row["notes"] = "; ".join(n for n in (row.get("notes", ""), note) if n)
                found += 1
            progress(done, len(todo))
    except (KeyboardInterrupt, ClinicFinderError):
        _write(out, header, rows, source)
        notify(
            f"stopped after {found + missing} of {len(todo)} rows; {out} has what was done. "
            "Run the same command again to resume (answers so far are cached)."
        )
        raise
    _write(out, header, rows, source)
    skipped = len(rows) - len(todo)
    return (
        f"wrote {out}: {found} row(s) placed at street level, {missing} without a street-level "
        f"match, {skipped} without a street (left as they were); "
        f"{geocoder.requests} request(s) sent, the rest from the cache"
    )


def _write(
    out: Path, header: list[str], rows: list[tuple[int, dict[str, str]]], source: Path
) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(row for _line, row in rows)
    write_output(out, buffer.getvalue().encode("utf-8"), [source])
