"""The project's own gathered records (data/sources/*.csv): one row per page per clinic.

A row holds only what its page states about one clinic, with the page, its date
and a short quote; rows with the same `record` are one clinic (merge.py joins
them). `edits.csv` merges twins, renames, drops sources and records re-checks; `copy-hosts.csv`
names sites that copy others' pages, whose rows never count as a source.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from clinicfinder.errors import DataError
from clinicfinder.records.vocab import EVIDENCE_KINDS

RECORD_COLUMNS = (
    "record", "name", "site", "street", "city", "state", "postal_code", "country", "phone",
    "website", "routes", "conditions", "telehealth_states", "payment", "status", "source_url",
    "source_date", "source_date_basis", "evidence", "quote", "notes", "collected",
    "eligibility", "ages", "languages", "phone_scope",
)  # fmt: skip
DATE_BASES = ("published", "updated", "url", "copyright", "undated")
EDIT_ACTIONS = (
    "set_name", "set_site", "set_status", "merge_into", "drop_source", "drop_record", "checked",
)  # fmt: skip
_DAY = re.compile(r"^\d{4}-\d\d-\d\d$")
EDITS_FILE, COPY_HOSTS_FILE = "edits.csv", "copy-hosts.csv"
_RECORD = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def is_record_file(header: Iterable[str]) -> bool:
    return "record" in header and "source_url" in header


def check_record(row: dict[str, str]) -> list[str]:
    """What a gathered row needs beyond a clinic row's checks: its record and its page."""
    errors = []
    if not _RECORD.match(row.get("record", "")):
        errors.append(f"record {row.get('record', '')!r} is not a slug (a-z, 0-9, hyphens)")
    if not row.get("source_url"):
        errors.append("source_url is empty: every row cites the page it was read from")
    if row.get("evidence", "") not in EVIDENCE_KINDS:
        errors.append(f"evidence {row.get('evidence', '')!r} is not one of {list(EVIDENCE_KINDS)}")
    basis = row.get("source_date_basis", "")
    if basis not in DATE_BASES:
        errors.append(f"source_date_basis {basis!r} is not one of {list(DATE_BASES)}")
    elif (basis == "undated") == bool(row.get("source_date")):
        errors.append("source_date must be given exactly when source_date_basis is not 'undated'")
    return errors


@dataclass
class Gathered:
    """Every gathered row, with where it was read, after the edits are applied."""

    rows: list[tuple[str, int, dict[str, str]]] = field(default_factory=list)
    renames: dict[str, dict[str, str]] = field(default_factory=dict)  # record → field → value
    statuses: dict[str, tuple[str, str]] = field(default_factory=dict)  # record → (status, why)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (source_url, why)
    checks: list[tuple[str, str, str]] = field(default_factory=list)  # (record, day, reason)


def host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def _read(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            for row in reader:
                yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(str(path), None, f"cannot read ({exc})") from None


def read_gathered(folder: Path) -> Gathered:
    """All record files in `folder`, with edits.csv and copy-hosts.csv applied."""
    copy_hosts = {r["host"]: r["reason"] for _, r in _read(folder / COPY_HOSTS_FILE)}
    edits = [(line, r) for line, r in _read(folder / EDITS_FILE)]
    merged_into = {r["record"]: r["value"] for _, r in edits if r["action"] == "merge_into"}
    dropped_urls = {r["value"]: r["reason"] for _, r in edits if r["action"] == "drop_source"}
    dropped_records = {r["record"]: r["reason"] for _, r in edits if r["action"] == "drop_record"}
    gathered = Gathered()
    for line, r in edits:
        if r["action"] not in EDIT_ACTIONS:
            raise DataError(str(folder / EDITS_FILE), line, f"unknown action {r['action']!r}")
        if r["action"] in ("set_name", "set_site"):
            gathered.renames.setdefault(r["record"], {})[r["action"][4:]] = r["value"]
        elif r["action"] == "set_status":
            gathered.statuses[r["record"]] = (r["value"], r["reason"])
        elif r["action"] == "checked":  # `data recheck` confirmed (or not) the listing that day
            if not _DAY.match(r["value"]):
                raise DataError(str(folder / EDITS_FILE), line, "a check's value is YYYY-MM-DD")
            record, seen = r["record"], set()
            while record in merged_into and record not in seen:
                seen.add(record)
                record = merged_into[record]
            gathered.checks.append((record, r["value"], r["reason"]))
    for path in sorted(folder.glob("*.csv")):
        if path.name in (EDITS_FILE, COPY_HOSTS_FILE):
            continue
        for line, row in _read(path):
            url, site = row.get("source_url", ""), host(row.get("source_url", ""))
            copied = next((h for h in copy_hosts if site == h or site.endswith("." + h)), None)
            if copied or url in dropped_urls or row.get("record") in dropped_records:
                why = (
                    copy_hosts[copied]
                    if copied
                    else dropped_urls.get(url) or dropped_records[row.get("record", "")]
                )
                gathered.dropped.append((url, why))
                continue
            record = row.get("record", "")
            seen = set()
            while record in merged_into and record not in seen:  # twins, possibly chained
                seen.add(record)
                record = merged_into[record]
            gathered.rows.append((str(path), line, {**row, "record": record}))
    return gathered
