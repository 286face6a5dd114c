"""Joining gathered rows into clinics: one clinic per record (and per location), every fact
from the best page that states it, every page kept as a source, an honest status.

Facts come from the clinic's own site first, then hospital, registry, press
release, news and directory pages, newest first within each kind. A listing is
dated (source_url, source_date, evidence) by the newest page that states its
ketamine service, its routes; pages that only confirm the address stay sources. A clinic is
`active` only when its own site (or a hospital's page for its own service), or a
source from the last three years, supports it; `closed` when a source says so;
otherwise `unverified`. "The last three years" are counted on the day a command
runs, not the day of the build: a clinic resting on dated sources only carries
`verified_until`, the day its `active` lapses (records.models.Clinic.current).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from clinicfinder.clinics.gathered import Gathered
from clinicfinder.places.names import place_key
from clinicfinder.records.clock import fresh_until
from clinicfinder.records.models import (
    LIST_COLUMNS,
    ClinicSource,
    earliest_day,
    phone_digits,
    split_list,
)
from clinicfinder.records.vocab import VETERANS_ONLY

KIND_ORDER = ("clinic-site", "hospital", "registry", "press-release", "news", "directory")
OWN_PAGES = ("clinic-site", "hospital")
FACTS = (
    "name", "site", "street", "city", "state", "postal_code", "country", "phone", "website",
    "routes", "conditions", "telehealth_states", "payment", "eligibility", "ages", "languages",
)  # fmt: skip
_DOUBT = re.compile(r"\bunverified\b", re.I)


@dataclass
class Merged:
    """One clinic: its row (the clinic-file columns, unplaced) and its sources, newest first."""

    record: str
    row: dict[str, str]
    sources: list[ClinicSource]
    conflicts: list[str]


def _date(row: dict[str, str]) -> tuple[str, str]:
    """(date, basis): an undated page counts from the day it was read ("seen")."""
    if row.get("source_date"):
        return row["source_date"], row.get("source_date_basis", "")
    return row.get("collected", ""), "seen"


def _priority(row: dict[str, str]) -> tuple[int, str]:
    kind = row.get("evidence", "")
    rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
    return rank, _inverted(_date(row)[0])


def _inverted(date: str) -> str:
    """Sorts newest first."""
    return "".join(chr(0x7F - ord(ch)) for ch in date)


def join_twins(gathered: Gathered, prefer: Sequence[str] = ()) -> None:
    """Records that are one organisation at one location become one, keeping a preferred
    (older) record id: the same folded name, or the same phone, in the same city and
    state — unless both give a street and the streets differ (two offices)."""
    preferred = set(prefer)
    by_record: dict[str, list[dict[str, str]]] = defaultdict(list)
    for _, _, row in gathered.rows:
        by_record[row["record"]].append(row)
    seen: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)  # key → (rec, street)
    alias: dict[str, str] = {}
    for record in sorted(by_record, key=lambda k: (k not in preferred, k)):
        rows = by_record[record]
        city = next((place_key(r["city"]) for r in rows if r.get("city")), "")
        state = next((r["state"] for r in rows if r.get("state")), "")
        if not city:
            continue  # no location: nothing to be "at one location" with
        street = next((_street_key(r["street"]) for r in rows if r.get("street")), "")
        keys = {("name", place_key(r["name"]), city, state) for r in rows if r.get("name")}
        keys |= {("phone", d, city, state) for r in rows if len(d := _digits(r)) == 10}
        owner = next(
            (
                other
                for k in keys
                for other, other_street in seen[k]
                if not (street and other_street and street != other_street)
            ),
            None,
        )
        if owner:
            alias[record] = owner
        for k in keys:
            seen[k].append((owner or record, street))
    for i, (file, line, row) in enumerate(gathered.rows):
        if row["record"] in alias:
            gathered.rows[i] = (file, line, {**row, "record": alias[row["record"]]})


def mark_central_lines(clinics: Sequence[Merged]) -> None:
    """A number given for branches in different cities is a central line, whatever each
    page says (a registry lists a chain's toll-free number on every branch)."""
    places: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for m in clinics:
        if len(d := _digits(m.row)) == 10:
            places[d].add((place_key(m.row["city"]), m.row["state"]))
    for m in clinics:
        if len(places.get(_digits(m.row), ())) > 1:
            m.row["phone_scope"] = "central"


def _street_key(street: str) -> str:
    """The house number and first word: '126 East Burke St' and '126 E. Burke' agree."""
    words = place_key(street).split()
    return " ".join(words[:2])


def _digits(row: dict[str, str]) -> str:
    return phone_digits(row.get("phone", ""))


def merge(gathered: Gathered) -> list[Merged]:
    """Every record as one clinic, in record order."""
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for _, _, row in gathered.rows:
        groups[row["record"]].append(row)
    return [_merge(record, rows, gathered) for record, rows in sorted(groups.items())]


def _merge(record: str, rows: list[dict[str, str]], gathered: Gathered) -> Merged:
    ordered = sorted(rows, key=_priority)
    out: dict[str, str] = {}
    conflicts: list[str] = []
    for column in FACTS:
        if column in LIST_COLUMNS:
            items: dict[str, None] = {}
            for r in ordered:
                items.update(dict.fromkeys(split_list(r.get(column, ""))))
            out[column] = ";".join(items)
            continue
        stated = [r[column] for r in ordered if r.get(column)]
        out[column] = stated[0] if stated else ""
        if column in ("phone", "city", "street") and len({place_key(v) for v in stated}) > 1:
            conflicts.append(f"{record}: sources disagree on {column}: {sorted(set(stated))}")
    phoned = next((r for r in ordered if r.get("phone") == out["phone"]), {})
    out["phone_scope"] = phoned.get("phone_scope", "") if out["phone"] else ""
    out.update(gathered.renames.get(record, {}))
    if not out["eligibility"] and is_veterans_affairs(out["name"], out["site"], out["state"]):
        out["eligibility"] = VETERANS_ONLY
    out["name"], out["site"] = tidy_name(out["name"], out["city"], out["site"])
    newest = max(service_rows(rows), key=lambda r: _date(r)[0])
    date, basis = _date(newest)
    located = next((r for r in ordered if r.get("city") or r.get("street")), ordered[0])
    notes = list(dict.fromkeys(r["notes"] for r in ordered if r.get("notes")))
    if record in gathered.statuses:  # say why: `show` prints the notes
        status, why = gathered.statuses[record]
        notes.insert(0, f"Status {status}: {why}")
    status, verified_until = _status(record, rows, gathered)
    out.update(
        status=status,
        verified_until=verified_until,
        source_url=newest["source_url"],
        source_date=date,
        source_date_basis=basis,
        evidence=newest.get("evidence", ""),
        location_evidence=located.get("quote", ""),
        notes=" | ".join(notes)[:1500],
        collected=max(r.get("collected", "") for r in rows),
    )
    sources = [
        ClinicSource(
            url=r["source_url"],
            date=_date(r)[0],
            date_basis=_date(r)[1],
            evidence=r.get("evidence", ""),
            supports=tuple(c for c in FACTS if r.get(c)),
            quote=r.get("quote", ""),
        )
        for r in sorted(rows, key=lambda r: _inverted(_date(r)[0]))
    ]
    return Merged(record, out, _unique(sources), conflicts)


_WEB = re.compile(r"(https?://|www\.|\b[\w-]+\.(com|net|org|co|health|us)\b)", re.I)
_TAIL = re.compile(
    r"^(?P<name>.+?)\s*(\((?P<paren>[^()]+)\)|\s[-\u2013\u2014]\s(?P<dash>[^-\u2013\u2014]+))$"
)


_SERVICE = re.compile(
    r"\b(ketamine|esketamine|spravato|infusions?|nasal spray|interventional psychiatry)\b", re.I
)


def tidy_name(name: str, city: str, site: str) -> tuple[str, str]:
    """A clinic's name without the branch, web address or service label the source tacked on.

    "Klarisana (Austin)" in Austin is Klarisana, site Austin; "Beck Therapy Group -
    West Los Angeles" in Los Angeles is Beck Therapy Group, site West Los Angeles;
    "Corridor Ketamine (corridorketamine.com)" is Corridor Ketamine; "SSM Health DePaul
    Hospital - Esketamine Clinic" is SSM Health DePaul Hospital, site Esketamine Clinic.
    """
    found = _TAIL.match(name)
    if not found:
        return name, site
    tail = (found["paren"] or found["dash"] or "").strip()
    if found["paren"] and _WEB.search(tail) and not _WEB.search(found["name"]):
        return found["name"], site
    if city and place_key(city) in place_key(tail) and not _WEB.search(found["name"]):
        return found["name"], site or tail
    if _SERVICE.search(tail) and found["dash"]:
        return found["name"], f"{tail}, {site}" if site else tail
    return name, site


_VA_ALONE = re.compile(r"\bVA\b")
_VETERANS = re.compile(
    r"\bVAMC\b|\bVet(eran)?s?\W{0,2}\s+(Affairs|Administration|Hosp|Health)", re.I
)


def is_veterans_affairs(name: str, site: str, state: str) -> bool:
    """A Veterans Affairs facility by its name: "VAMC", "Veterans Hospital", "VA Medical
    Center"; a bare "VA" counts outside Virginia ("Gainesville VA" in Florida), not in it
    ("Southeast VA Psych" is a Virginia practice)."""
    text = f"{name} {site}"
    if _VETERANS.search(text):
        return True
    if re.search(r"\bVA\s+(Medical|Health|Healthcare|Hospital|CBOC)\b", text):
        return True
    return bool(_VA_ALONE.search(text)) and state != "VA"


def is_description(name: str) -> bool:
    """A web address or a description standing where a name should be."""
    return bool(_WEB.search(name))


def _unique(sources: list[ClinicSource]) -> list[ClinicSource]:
    """One entry per page: a page read twice (a date found later) supports the union."""
    by_url: dict[str, ClinicSource] = {}
    for s in sources:
        if s.url in by_url:
            old = by_url[s.url]
            supports = tuple(dict.fromkeys((*old.supports, *s.supports)))
            dated = old if old.date_basis != "seen" else s
            by_url[s.url] = ClinicSource(
                s.url, dated.date, dated.date_basis, old.evidence or s.evidence, supports,
                old.quote or s.quote,
            )  # fmt: skip
        else:
            by_url[s.url] = s
    return list(by_url.values())


def service_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The pages that state the ketamine service (a route), which date a listing: a page that
    only confirms the name or address does not. Without any, every page counts."""
    return [r for r in rows if r.get("routes")] or rows


def _status(record: str, rows: list[dict[str, str]], gathered: Gathered) -> tuple[str, str]:
    """(status as the sources leave it, the day an `active` lapses: "" for never).

    Nothing here depends on the day of the build: the three years are counted when a
    command runs (Clinic.current)."""
    if any(r.get("status") == "closed" for r in rows):
        return "closed", ""
    if record in gathered.statuses:
        return gathered.statuses[record][0], ""
    trusted = [
        r for r in rows if r.get("status") != "unverified" and not _DOUBT.search(r.get("notes", ""))
    ]
    if any(r.get("evidence") in OWN_PAGES for r in trusted):
        return "active", ""
    claims = [r for r in service_rows(rows) if r in trusted]  # the pages that state routes
    dated = [earliest_day(r["source_date"]) for r in claims if r.get("source_date")]
    if not dated:
        return "unverified", ""
    return "active", fresh_until(max(dated))
