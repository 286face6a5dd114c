"""Loading clinics: the bundled data plus any files the user adds, as a Catalog.

A user's file may leave out ids and coordinates: ids are made from name, city
and state, and clinics are placed the way the bundled data is — at the ZIP
centroid when a ZIP is given, else the city centre, else not at all — with the
precision recorded.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from clinicfinder.bundled import data_path
from clinicfinder.clinics.catalog import Catalog
from clinicfinder.clinics.ids import IdAssigner, base_id, place
from clinicfinder.errors import DataError
from clinicfinder.places.gazetteer import default_gazetteer
from clinicfinder.records.clock import today_iso
from clinicfinder.records.models import CLINIC_COLUMNS, LIST_COLUMNS, Clinic, split_list


def _clinic(row: dict[str, str], file: str, line: int) -> Clinic:
    """A checked row as a Clinic: every column of the schema, lists split, blanks defaulted."""
    try:
        lat = float(row["lat"]) if row.get("lat") else None
        lon = float(row["lon"]) if row.get("lon") else None
    except ValueError:
        raise DataError(file, line, "lat/lon is not a number") from None
    values: dict[str, Any] = {c: row.get(c, "") for c in CLINIC_COLUMNS}
    values.update({c: split_list(row.get(c, "")) for c in LIST_COLUMNS})
    values.update(
        lat=lat,
        lon=lon,
        status=row.get("status") or "active",
        precision=row.get("precision") or "none",
    )
    return Clinic(**values)  # the status as stored: the index keeps it so (index._clinic)


def read_clinics(path: Path, *, check: bool = True) -> list[Clinic]:
    """Clinics from one CSV or JSON file, as a list, each as of today (see iter_clinics,
    which yields them as stored, for the index)."""
    today = today_iso()
    return [c.current(today) for c in iter_clinics(path, check=check)]


def iter_clinics(path: Path, *, check: bool = True) -> Iterator[Clinic]:
    """Clinics from one CSV or JSON file; the first bad row raises DataError(file, line).

    Streamed, so a file of any size is read in flat memory: a first pass checks
    every row and notes the ids, a second places the rows and yields them.
    ``check=False`` is for the bundled file, which CI validates in full: one
    pass, only parsed, to keep start-up fast. Clashes with other files' ids are
    found by load_catalog, which asks the catalogues themselves.
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
        else:
            seen[clinic_id] = line
    assign = IdAssigner(bases, set(seen))
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
    known = [h for h in header if h in CLINIC_COLUMNS]
    return "" if known else " (is this a clinic file? see data/README.md for the columns)"


Notify = Callable[[str], None]


def _indexed(path: Path, *, check: bool, notify: Notify | None = None) -> Catalog:
    from clinicfinder.clinics.files import require_regular
    from clinicfinder.clinics.index import open_index

    require_regular(path)  # before hashing: /dev/zero would be hashed forever
    return open_index(path, lambda: iter_clinics(path, check=check), notify)


def bundled_catalog(notify: Notify | None = None) -> Catalog:
    """The bundled clinics, through their cached index (`notify` hears if it can't be
    written)."""
    return _indexed(data_path("clinics.csv"), check=False, notify=notify)


def data_files_from_env() -> list[Path]:
    """$CLINICFINDER_DATA: clinic files to add, separated like PATH."""
    value = os.environ.get("CLINICFINDER_DATA", "")
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]


def listed_catalog(bundled: Catalog | None = None, notify: Notify | None = None) -> Catalog:
    """The bundled clinics, with the registry layer `data update` keeps joined to them
    (`notify` hears if the bundled clinics' index can't be written)."""
    from clinicfinder.clinics.layer import layer_path

    bundled = bundled or bundled_catalog(notify)
    path = layer_path()
    return _with_layer(bundled, path) if path.exists() else bundled


def _with_layer(base: Catalog, path: Path) -> Catalog:
    from clinicfinder.clinics.layer import REDO, describe
    from clinicfinder.clinics.overlay import JoinedCatalog

    layer = describe(path)
    try:
        part = _indexed(path, check=True)
    except DataError as exc:
        raise DataError(exc.file, exc.line, exc.reason, hint=REDO) from None
    return JoinedCatalog(base, part, layer._replace(clinics=part.size()))


def input_files(given: Sequence[Path] | None) -> list[Path]:
    """A command's clinic files: $CLINICFINDER_DATA, then --data, each file once."""
    from clinicfinder.userdirs import unique_files

    return unique_files([*data_files_from_env(), *(given or [])])


def load_catalog(
    extra: Sequence[Path] = (), *, bundled: bool = True, notify: Notify | None = None
) -> Catalog:
    """The bundled clinics and the registry layer (unless `bundled` is False), and those in
    each extra file, each laid over what came before it (clinics/overlay.py): a row that is
    a clinic already listed joins it, so it appears once.

    Each file is checked in full the first time it is seen (a bad row raises
    DataError with its line) and indexed; an id may appear only once across the bundled
    data and the files (the layer's ids may recur in a file: that row joins its clinic).
    """
    from clinicfinder.clinics.overlay import JoinedCatalog

    parts: list[tuple[Catalog, str]] = []
    if bundled:
        parts.append((bundled_catalog(notify), "the bundled data"))
    for path in extra:
        part = _indexed(path, check=True, notify=notify)
        for earlier, owner in parts:
            # Ask the bigger catalogue about the smaller one's ids: cheap at any size.
            small, big = sorted((part, earlier), key=lambda c: c.size())
            clash = big.ids_among(c.id for c in small.all())
            if clash:
                first = sorted(clash)[0]
                raise DataError(
                    str(path),
                    _line_of(path, first),
                    f"id {first!r} is already used by {owner}",
                    hint="give this row an id of its own, or leave out a clinic listed already",
                )
        parts.append((part, str(path)))
    if not parts:
        raise DataError("--data", None, "no clinic file given")
    catalog = listed_catalog(parts[0][0]) if bundled else parts[0][0]
    for part, _owner in parts[1:]:
        catalog = JoinedCatalog(catalog, part)
    return catalog


def _line_of(path: Path, clinic_id: str) -> int | None:
    """The line of a row with this id (only on the error path: reads the file again)."""
    from clinicfinder.clinics.files import read_rows

    try:
        _header, rows = read_rows(path)
    except DataError:
        return None
    rows_seen = list(rows)
    stated = next((line for line, row in rows_seen if row.get("id") == clinic_id), None)
    if stated is not None:
        return stated
    # An id made from the row's name, city and state (the row gave none).
    return next(
        (line for line, row in rows_seen if not row.get("id") and base_id(row) == clinic_id),
        None,
    )
