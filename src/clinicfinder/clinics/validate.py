"""Checking clinic rows against the schema, the vocabularies and the map.

Problems are *errors* (the row can't be trusted: a bad value, a coordinate
outside its state, a duplicate id) or *warnings* (worth a look, e.g. two rows
that share a phone number). Loading a file stops at its first error;
`clinicfinder data validate` reports them all.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from clinicfinder.places.gazetteer import Gazetteer
from clinicfinder.places.names import place_key
from clinicfinder.places.regions import regions
from clinicfinder.records.models import Clinic, phone_digits, split_list
from clinicfinder.records.vocab import (
    AGES,
    CONDITIONS,
    EVIDENCE_KINDS,
    PAYMENTS,
    PHONE_SCOPES,
    PLACEMENT,
    ROUTES,
)
from clinicfinder.records.vocab import STATUSES as STATUS_MEANINGS

STATUSES = tuple(STATUS_MEANINGS)
PRECISIONS = tuple(PLACEMENT)
_ZIP = re.compile(r"^\d{5}$", re.ASCII)
_SLUG = re.compile(r"^[a-z]+(-[a-z]+)*$", re.ASCII)
_SURROGATE = re.compile("[\ud800-\udfff]")
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$", re.ASCII)


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int | None
    severity: str  # error | warning
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity}: {self.message}"


def _url_ok(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and "." in parts.netloc and " " not in url


def _number(value: str, low: float, high: float, what: str, errors: list[str]) -> float | None:
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        errors.append(f"{what} {value!r} is not a number")
        return None
    if not low <= number <= high:  # also rejects nan
        errors.append(f"{what} {value} is outside {low:g}..{high:g}")
        return None
    return number


def check_row(
    row: dict[str, str], gazetteer: Gazetteer | None = None
) -> tuple[list[str], list[str]]:
    """(errors, warnings) for one row; `gazetteer` enables the ZIP checks."""
    errors: list[str] = []
    warnings: list[str] = []
    get = row.get
    broken = next((k for k, v in row.items() if _SURROGATE.search(v)), None)
    if broken is not None:
        errors.append(f"{broken} holds invalid Unicode (a lone surrogate)")
    if not get("name"):
        errors.append("name is empty")
    state = get("state", "")
    if state and state not in regions():
        errors.append(f"unknown state {state!r} (use the two-letter USPS code)")
    for column, vocabulary in (("routes", ROUTES), ("conditions", CONDITIONS)):
        for value in split_list(get(column, "")):
            if value not in vocabulary:
                errors.append(f"unknown {column[:-1]} {value!r} (one of: {', '.join(vocabulary)})")
    for column, vocabulary in (("ages", AGES), ("payment", PAYMENTS)):
        for value in split_list(get(column, "")):
            if value not in vocabulary:
                errors.append(f"unknown {column} value {value!r} (one of: {', '.join(vocabulary)})")
    for value in split_list(get("languages", "")):
        if not _SLUG.match(value):
            errors.append(f"language {value!r} is not a lower-case name (spanish, sign-language)")
    scope = get("phone_scope", "")
    if scope and scope not in PHONE_SCOPES:
        errors.append(f"unknown phone_scope {scope!r} (one of: {', '.join(PHONE_SCOPES)})")
    for code in split_list(get("telehealth_states", "")):
        if code not in regions() and code != "ALL":
            errors.append(f"unknown state {code!r} in telehealth_states")
    status = get("status", "")
    if status and status not in STATUSES:
        errors.append(f"unknown status {status!r} (one of: {', '.join(STATUSES)})")
    for column in ("website", "source_url"):
        if get(column) and not _url_ok(get(column, "")):
            errors.append(f"{column} {get(column)!r} is not a well-formed http(s) URL")
    if get("source_date") and not _DATE.match(get("source_date", "")):
        errors.append(f"source_date {get('source_date')!r} is not 2019, 2019-05 or 2019-05-14")
    if get("evidence") and get("evidence") not in EVIDENCE_KINDS:
        kinds = ", ".join(EVIDENCE_KINDS)
        errors.append(f"unknown evidence {get('evidence')!r} (one of: {kinds})")
    sources = split_list(get("more_sources", ""))
    repeated = next((u for i, u in enumerate(sources) if u in sources[:i]), None)
    if repeated:  # one source twice: HSDS would repeat an attribute's primary key
        warnings.append(f"more_sources lists {repeated!r} twice")
    postal = get("postal_code", "")
    if postal and not _ZIP.match(postal):
        errors.append(f"postal_code {postal!r} is not a 5-digit ZIP code")
    if get("collected"):
        try:
            date.fromisoformat(get("collected", ""))
        except ValueError:
            errors.append(f"collected {get('collected')!r} is not a date (YYYY-MM-DD)")
    lat = _number(get("lat", ""), -90, 90, "lat", errors)
    lon = _number(get("lon", ""), -180, 180, "lon", errors)
    precision = get("precision", "")
    if precision and precision not in PRECISIONS:
        errors.append(f"unknown precision {precision!r} (one of: {', '.join(PRECISIONS)})")
    if bool(get("lat")) != bool(get("lon")):
        errors.append("give both lat and lon, or neither")
    elif get("lat") and precision in ("", "none"):
        errors.append("lat/lon given without a precision (street, zip or city)")
    elif not get("lat") and precision not in ("", "none"):
        errors.append(f"precision {precision!r} but no lat/lon")
    if (
        lat is not None
        and lon is not None
        and state in regions()
        and not regions()[state].contains(lat, lon)
    ):
        errors.append(f"coordinates {lat:g},{lon:g} are outside {regions()[state].name}")
    if gazetteer is not None and _ZIP.match(postal):
        area = gazetteer.zip(postal)
        if area is None:
            warnings.append(f"ZIP {postal} is not in the gazetteer")
        elif state and area.state != state:
            errors.append(f"ZIP {postal} is in {area.state}, not {state}")
        elif get("city") and place_key(area.city) != place_key(get("city", "")):
            warnings.append(f"ZIP {postal} is {area.city}'s, not {get('city')}'s (check both)")
    return errors, warnings


def check_clinic(clinic: Clinic, gazetteer: Gazetteer | None = None) -> list[str]:
    """The errors a clinic record would have as a row of a clinic file (what a fetched
    record must pass before it is written)."""
    row = {
        k: ";".join(v) if isinstance(v, tuple) else "" if v is None else str(v)
        for k, v in clinic._asdict().items()
    }
    return check_row(row, gazetteer)[0]


def duplicate_keys(row: dict[str, str]) -> tuple[str | None, str | None]:
    """(website host + city + state, last 10 phone digits): what two copies of a clinic share."""
    host = urlsplit(row.get("website", "")).netloc.lower().removeprefix("www.")
    site = f"{host}|{place_key(row.get('city', ''))}|{row.get('state', '')}" if host else None
    digits = phone_digits(row.get("phone", ""))
    shared = row.get("phone_scope") == "central"  # one number for several branches, said so
    return site, digits if len(digits) == 10 and not shared else None


def likely_duplicates(
    rows: Iterable[tuple[str, int, tuple[str | None, str | None]]],
) -> list[Problem]:
    """Rows that look like one clinic twice: same website and city, or same phone."""
    by_site: dict[str, list[tuple[str, int]]] = defaultdict(list)
    by_phone: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for file, line, (site, phone) in rows:
        if site:
            by_site[site].append((file, line))
        if phone:
            by_phone[phone].append((file, line))
    groups = [
        (f"same website ({site.split('|')[0]}) and city", "", p) for site, p in by_site.items()
    ]
    groups += [
        (f"same phone ({digits})", " (one clinic twice, or one number for several sites?)", p)
        for digits, p in by_phone.items()
    ]
    problems = []
    for what, why, ((first_file, first_line), *others) in groups:
        for file, line in others:
            message = f"{what} as {first_file}:{first_line}{why}"
            problems.append(Problem(file, line, "warning", message))
    return problems


MAX_SHOWN_PER_FILE = 1000  # problems kept per file; the rest are counted, not listed


@dataclass(frozen=True, slots=True)
class Report:
    files: list[str]
    rows: int
    problems: list[Problem]
    errors: int
    warnings: int
    not_shown: int  # problems beyond MAX_SHOWN_PER_FILE in some file


def validate_files(paths: Iterable[Path]) -> Report:
    """Every problem in every file, in file and line order; never stops at the first.

    Rows are streamed and only what the duplicate checks need is kept, so memory
    stays flat however big the files are.
    """
    from clinicfinder.clinics.files import read_rows, unknown_columns
    from clinicfinder.clinics.gathered import RECORD_COLUMNS, check_record, is_record_file
    from clinicfinder.errors import DataError
    from clinicfinder.places.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()
    problems: list[Problem] = []
    counts = {"error": 0, "warning": 0}
    not_shown = 0
    keys: list[tuple[str, int, tuple[str | None, str | None]]] = []
    first_id: dict[str, str] = {}
    files: list[str] = []
    rows_seen = 0

    def report(problem: Problem, shown_in_file: list[int]) -> None:
        nonlocal not_shown
        counts[problem.severity] += 1
        if shown_in_file[0] < MAX_SHOWN_PER_FILE:
            problems.append(problem)
            shown_in_file[0] += 1
        else:
            not_shown += 1

    for path in paths:
        file = str(path)
        files.append(file)
        shown = [0]
        try:
            header, rows = read_rows(path)
            gathered = is_record_file(header)  # one of data/sources/: a row per page
            if "name" not in header:
                report(Problem(file, 1, "error", "missing column 'name'"), shown)
            known = RECORD_COLUMNS if gathered else ()
            for column in (c for c in unknown_columns(header) if c not in known):
                report(Problem(file, 1, "warning", f"unknown column {column!r} is ignored"), shown)
            for line, row in rows:
                rows_seen += 1
                if gathered and not row.get("name"):
                    row = {**row, "name": "(stated by another page)"}  # a page may add a phone
                errors, warnings = check_row(row, gazetteer)
                if gathered:
                    errors += check_record(row)
                for message in errors:
                    report(Problem(file, line, "error", message), shown)
                for message in warnings:
                    report(Problem(file, line, "warning", message), shown)
                clinic_id = row.get("id", "")
                if clinic_id in first_id:
                    message = f"duplicate id {clinic_id!r} ({first_id[clinic_id]})"
                    report(Problem(file, line, "error", message), shown)
                elif clinic_id:
                    first_id[clinic_id] = f"first at {file}:{line}"
                if not gathered:  # a record's pages repeat its phone by design
                    keys.append((file, line, duplicate_keys(row)))
        except DataError as exc:  # the file itself is broken: say where, go on to the next
            report(Problem(exc.file, exc.line, "error", exc.reason), shown)
    duplicates_shown = [0]
    for problem in likely_duplicates(keys):
        report(problem, duplicates_shown)
    order = {f: i for i, f in enumerate(files)}
    problems.sort(key=lambda p: (order.get(p.file, len(order)), p.line or 0))
    return Report(files, rows_seen, problems, counts["error"], counts["warning"], not_shown)
