"""`data geocode`: street-level coordinates for the rows of a clinic CSV that have a street.

Every answer goes through the same polite client as `--online` (one request a
second, cached), so a run that is interrupted — Ctrl-C, a network failure — is
resumed by running it again: rows already answered come from the cache and are
never asked twice. What was done so far is written to OUT before stopping.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from clinicfinder.errors import ClinicFinderError, DataError, UsageProblem
from clinicfinder.online.nominatim import PUBLIC_BULK_LIMIT, OnlineGeocoder, is_public
from clinicfinder.records.clock import today_iso
from clinicfinder.records.vocab import counted
from clinicfinder.userdirs import is_input

NEEDED = ("lat", "lon", "precision", "notes")


def query_for(row: dict[str, str]) -> str | None:
    """The address to ask for, or None when the row has no street."""
    street = row.get("street", "").strip()
    if not street:
        return None
    tail = " ".join(p for p in (row.get("state", ""), row.get("postal_code", "")) if p)
    return ", ".join(p for p in (street, row.get("city", "").strip(), tail) if p)


Save = Callable[[list[str], list[dict[str, str]]], None]


def geocode_file(
    source: Path,
    out: Path,
    geocoder: OnlineGeocoder,
    save: Save,
    *,
    progress: Callable[[int, int], None] = lambda done, total: None,
    notify: Callable[[str], None] = lambda message: None,
) -> str:
    """Geocode `source` into `out`; returns a one-line summary for the user.

    `save(header, rows)` writes the file (the command line owns the destination: whole,
    never over the input); `progress(done, total)` is called after each row and `notify`
    says what the user should hear; the command line decides how to show both.
    """
    from clinicfinder.clinics.files import cooked, read_rows

    if is_input(out, [source]):
        raise UsageProblem("write to a new file with -o, not over the input")
    # Cells are copied as written (a defused '=… stays defused, padding stays); only the
    # columns filled in here change. Queries and checks use the cells as data.
    header, stream = read_rows(source, raw=True)
    rows = list(stream)  # rewritten whole at the end
    if "name" not in header:
        raise DataError(str(source), 1, "missing column 'name' (is this a clinic CSV?)")
    header += [c for c in NEEDED if c not in header]
    todo = [
        (line, row, query)
        for line, row in rows
        if (query := query_for(cooked(row))) and cooked(row).get("precision") != "street"
    ]
    uncached = sum(1 for _line, _row, q in todo if not geocoder.cached(q))
    if is_public(geocoder.url) and uncached > PUBLIC_BULK_LIMIT:
        raise UsageProblem(
            f"{uncached} rows need a lookup; the public Nominatim server's policy forbids bulk "
            f"geocoding (this tool sends at most {PUBLIC_BULK_LIMIT} per run to it)",
            hint="self-host Nominatim and set CLINICFINDER_NOMINATIM_URL, or split the file",
        )
    found = missing = wrong = 0
    stamp = today_iso()
    host = geocoder.url.split("://", 1)[-1]
    try:
        for done, (_line, row, query) in enumerate(todo, 1):
            place = geocoder.locate(query)
            if place is None or place.precision != "street":
                missing += 1
                progress(done, len(todo))
                continue
            note = f"street coordinates: OpenStreetMap via Nominatim ({host}), {stamp}"
            notes = row.get("notes", "")
            placed = {
                **row,
                "lat": f"{place.lat:.6f}",
                "lon": f"{place.lon:.6f}",
                "precision": "street",
                "notes": f"{notes}; {note}" if notes.strip() else note,
            }
            if _wrong_place(cooked(placed), place.state):
                wrong += 1  # in another state, or a row the file checks would then refuse
            else:
                row.update(placed)
                found += 1
            progress(done, len(todo))
    except (KeyboardInterrupt, ClinicFinderError):
        save(header, [row for _line, row in rows])
        notify(
            f"stopped after {found + missing + wrong} of {len(todo)} rows; "
            f"{out} has what was done. Run the same command again to resume "
            "(answers so far are cached)."
        )
        raise
    finally:
        if geocoder.cache.warning:  # a busy or broken cache: the run goes on, unremembered
            notify(geocoder.cache.warning)
    save(header, [row for _line, row in rows])
    skipped = len(rows) - len(todo)
    return (
        f"wrote {out}: {counted(found, 'row')} placed at street level, {missing} without a "
        f"street-level match, {wrong} whose answer was in another state or failed the file checks, "
        f"{skipped} without a street (left as they were); "
        f"{counted(geocoder.requests, 'request')} sent, the rest from the cache"
    )


def _wrong_place(row: dict[str, str], answered_state: str | None) -> bool:
    """Whether an answer can't be this row's place: a state other than the row's (said by
    the server, or the point outside the row's state), or a row that would then fail the
    checks every clinic file passes."""
    from clinicfinder.clinics.validate import check_row
    from clinicfinder.places.gazetteer import default_gazetteer
    from clinicfinder.places.regions import regions

    state = row.get("state", "")
    if state and answered_state and answered_state != state:
        return True
    if state in regions() and not regions()[state].contains(float(row["lat"]), float(row["lon"])):
        return True
    before = {**row, "lat": "", "lon": "", "precision": ""}
    return bool(check_row(row, default_gazetteer())[0]) and not check_row(before)[0]
