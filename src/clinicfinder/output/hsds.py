"""`export --format hsds`: the clinics as an Open Referral HSDS 3.0 tabular data package.

Open Referral Human Services Data Specification (HSDS) 3.0, © Open Referral, CC BY-SA 4.0 —
https://openreferral.org. The table schemas below are HSDS's own (each field's name, type,
format, required and unique flags; primary and foreign keys; the table descriptions), copied
from its datapackage.json in a compact notation; tests compare them with the reference copy.

Nothing is invented: a row whose required fields we can't fill truthfully is left out and
counted (a service whose status HSDS can't express; an address without street or ZIP).
Pure: builds the files' bytes; `output.export` writes them.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from clinicfinder import __version__
from clinicfinder.output.formats import csv_text
from clinicfinder.output.hsds_schema import TABLES, schema
from clinicfinder.output.text import NOT_ADVICE
from clinicfinder.records.models import Clinic
from clinicfinder.records.vocab import CONDITIONS, EVIDENCE_KINDS, PLACEMENT, ROUTES, STATUSES

CREDIT = (
    "Open Referral Human Services Data Specification (HSDS) 3.0, © Open Referral, "
    "CC BY-SA 4.0 — https://openreferral.org"
)
HSDS_VERSION = "3.0.0"
# Fixed for good: every id is uuid5(NAMESPACE, "<table>:<clinic id>"), so a clinic keeps its
# ids from one export to the next and consumers can update rather than duplicate.
NAMESPACE = uuid.UUID("4ece9253-bae8-51ad-adee-4d6c68b11ad6")
SERVICE_NAME = "Ketamine / esketamine treatment"
# HSDS's status is active | inactive | defunct | temporarily closed. "closed" (a source says it
# closed) is at least inactive; "unverified" (only old or doubtful sources) is none of them,
# so those services are left out rather than claimed active.
SERVICE_STATUS = {"active": "active", "closed": "inactive"}


PROVENANCE = "clinicfinder provenance"
TERMS = {
    "source_url": ("Source page", "The public page the listing's facts were read from (the "
                   "newest of its sources); the value is the page's URL."),
    "source_date": ("Source date", "When that page was published or updated, as precisely as "
                    "it says (2019, 2019-05 or 2019-05-14); for an undated page, the day it "
                    "was read."),
    "source_kind": ("Source kind", "What kind of page the source is: the clinic's own site, "
                    "a hospital, a registry, a press release, news or a directory."),
    "other_source": ("Other source page", "Another public page the listing's facts come "
                     "from; `clinicfinder show ID` says which facts each page supports."),
    "collected": ("Collected", "The day clinicfinder gathered the listing (YYYY-MM-DD); not "
                  "a verification of the service on that day or since."),
}  # fmt: skip
_COORDINATES = {
    "street": "The coordinates are of its street address.",
    "zip": "The coordinates are the centre of its ZIP code, not its address.",
    "city": "The coordinates are the centre of its city, not its address.",
}
# Rows left out, by table: (what the summary line says, what the package's README says).
LEFT_OUT = {
    "service": ("services (status unverified)", "services: the clinic's status is unverified "
                "(only older sources, or sources that leave doubt), and HSDS's status can only "
                "be active, inactive, defunct or temporarily closed"),
    "address": ("addresses (no full street address)", "addresses: no full street address "
                "(HSDS needs street, city, state, ZIP and a two-letter country) or no "
                "coordinates to place it"),
}  # fmt: skip


def _id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


@dataclass
class Package:
    """The rows of every table, and how many rows were left out, by table."""

    rows: dict[str, list[dict[str, Any]]]
    left_out: Counter[str]


def build(clinics: Sequence[Clinic]) -> Package:
    """Every clinic as HSDS rows: one organization each, and what else we can say truly."""
    package = Package({t.name: [] for t in TABLES}, Counter())
    taxonomy = _id("taxonomy", "provenance")
    about = (
        "Where clinicfinder read each listing: the source page, its date and kind, and "
        "the day the listing was collected."
    )
    package.rows["taxonomy"].append({"id": taxonomy, "name": PROVENANCE, "description": about})
    package.rows["taxonomy_term"] += [
        {"id": _id("taxonomy_term", code), "code": code, "name": name,
         "description": description, "taxonomy": PROVENANCE, "language": "en",
         "taxonomy_id": taxonomy}
        for code, (name, description) in TERMS.items()
    ]  # fmt: skip
    for clinic in clinics:
        _add(clinic, package)
    return package


def _add(c: Clinic, package: Package) -> None:
    rows, org = package.rows, _id("organization", c.id)
    unsaid = "not stated by its sources"
    routes = ", ".join(ROUTES.get(r, r) for r in c.routes) or unsaid
    conditions = ", ".join(CONDITIONS.get(x, x) for x in c.conditions) or unsaid
    offer = f"Routes: {routes}. Conditions: {conditions}."
    rows["organization"].append(
        {
            "id": org,
            "name": c.name,
            "description": "Ketamine / esketamine treatment provider, listed by clinicfinder "
            f"from public pages. {offer}",
            "website": c.website or None,
        }
    )
    service = _service(c, package, org, offer)
    location = _location(c, package, org, service)
    _contact_rows(c, package, org, service, location)


def _service(c: Clinic, package: Package, org: str, offer: str) -> str | None:
    """The clinic's service row; None (and counted) where HSDS has no true status for it."""
    rows = package.rows
    service = None
    if c.status in SERVICE_STATUS:
        service = _id("service", c.id)
        more = [f"Telehealth in: {', '.join(c.telehealth_states)}."] if c.telehealth_states else []
        more += [f"Payment: {', '.join(c.payment)}."] if c.payment else []
        more += [f"Eligibility: {c.eligibility}."] if c.eligibility else []
        rows["service"].append(
            {
                "id": service,
                "organization_id": org,
                "name": SERVICE_NAME,
                "description": " ".join([offer, *more]),
                "url": c.website or None,
                "status": SERVICE_STATUS[c.status],
                "alert": f"Closed: {STATUSES['closed']}." if c.status == "closed" else None,
            }
        )
    else:
        package.left_out["service"] += 1
    return service


def _location(c: Clinic, package: Package, org: str, service: str | None) -> str | None:
    """The clinic's physical location, and its link to the service, where it is placed."""
    rows = package.rows
    location = None
    if c.lat is not None and c.lon is not None:
        location = _id("location", c.id)
        rows["location"].append(
            {
                "id": location,
                "location_type": "physical",
                "organization_id": org,
                "name": f"{c.name} ({c.site})" if c.site else c.name,
                "description": _COORDINATES.get(c.precision, PLACEMENT.get(c.precision, "")),
                "latitude": c.lat,
                "longitude": c.lon,
            }
        )
        if service:
            rows["service_at_location"].append(
                {"id": _id("service_at_location", c.id), "service_id": service,
                 "location_id": location}
            )  # fmt: skip
    return location


def _contact_rows(
    c: Clinic, package: Package, org: str, service: str | None, location: str | None
) -> None:
    """Address, phone, and the provenance attributes."""
    rows = package.rows
    if c.city:
        full = c.street and c.state and c.postal_code and re.fullmatch("[A-Za-z]{2}", c.country)
        if location and full:
            rows["address"].append(
                {"id": _id("address", c.id), "location_id": location, "address_1": c.street,
                 "city": c.city, "state_province": c.state, "postal_code": c.postal_code,
                 "country": c.country.upper(), "address_type": "physical"}
            )  # fmt: skip
        else:
            package.left_out["address"] += 1
    if c.phone:
        rows["phone"].append(
            {"id": _id("phone", c.id), "location_id": location, "service_id": service,
             "organization_id": org, "number": c.phone}
        )  # fmt: skip
    kind = EVIDENCE_KINDS.get(c.evidence, c.evidence)
    facts = {"source_url": c.source_url, "source_date": c.source_date, "source_kind": kind,
             "collected": c.collected}  # fmt: skip
    pairs = [(code, value, code) for code, value in facts.items() if value]
    # A URL listed twice is one source: its attribute's key (and id) must stay unique.
    pairs += [("other_source", url, f"other_source:{url}") for url in dict.fromkeys(c.more_sources)]
    rows["attribute"] += [
        {"id": _id("attribute", c.id, key), "link_id": org,
         "taxonomy_term_id": _id("taxonomy_term", code), "link_entity": "organization",
         "value": value}
        for code, value, key in pairs
    ]  # fmt: skip


def counts(package: Package) -> dict[str, int]:
    """Rows written per table file (every table, empty ones too)."""
    return {t.path: len(package.rows[t.name]) for t in TABLES}


def files(package: Package) -> dict[str, bytes]:
    """The package's files by name: the CSV tables, datapackage.json and README.md."""
    out: dict[str, bytes] = {}
    for table in TABLES:
        header = [f["name"] for f in schema(table)["fields"]]
        # RFC 4180 (CRLF), as HSDS's example CSVs; data for machines, so cells as they are
        text = csv_text(package.rows[table.name], header, raw=True, crlf=True)
        out[table.path] = text.encode("utf-8")
    described = json.dumps(descriptor(), ensure_ascii=False, indent=2)
    out["datapackage.json"] = (described + "\n").encode("utf-8")
    out["README.md"] = readme(package).encode("utf-8")
    return out


def descriptor() -> dict[str, Any]:
    """datapackage.json: HSDS's resources (pointing at our CSVs), with credit and provenance."""
    return {
        "profile": "tabular-data-package",
        "name": "clinicfinder-hsds",
        "title": "Ketamine and esketamine clinics listed by clinicfinder, as HSDS 3.0",
        "description": "Every clinic clinicfinder lists, in Open Referral's Human Services Data "
        "Specification 3.0. Each clinic's newest source page is kept in attributes.csv (term "
        "source_url, linked to its organization). " + NOT_ADVICE,
        "credit": CREDIT,
        "hsds_version": HSDS_VERSION,
        "sources": [
            {"title": CREDIT, "path": "https://openreferral.org"},
            {
                "title": f"clinicfinder {__version__}: gathered from public pages; each "
                "clinic's newest source is in attributes.csv (source_url)"
            },
        ],
        "resources": [
            {
                "name": t.name,
                "path": t.path,
                "description": t.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": schema(t),
            }
            for t in TABLES
        ],
    }


def readme(package: Package) -> str:
    """The package's README: credit, what each table holds, what was left out and why."""
    rows = "\n".join(f"| `{name}` | {n} |" for name, n in counts(package).items())
    left = "\n".join(f"- {package.left_out[k]} {LEFT_OUT[k][1]}." for k in LEFT_OUT)
    return f"""# Ketamine and esketamine clinics, as an HSDS 3.0 data package

Written by `clinicfinder export --format hsds` (clinicfinder {__version__}).

{CREDIT}. The table schemas in `datapackage.json` are HSDS's, under that licence.

| table | rows |
|---|---|
{rows}

One organization per clinic; one service ("{SERVICE_NAME}", its routes and conditions in the
description, `url` = the clinic's website) where its status is known; one physical location
per clinic with coordinates, linked to the service in `service_at_location.csv`; an address
where the listing has a full street address; a phone where it has one. `programs.csv` and
`contacts.csv` are empty: they are here so that every foreign key in the package resolves.
Ids are UUIDs derived from clinicfinder's clinic ids, the same in every export.

## Left out, because nothing here is invented

{left}

## Where the facts come from

Each organization has attributes (`attributes.csv`, taxonomy "{PROVENANCE}"): `source_url`,
the public page its facts were read from (the newest of its sources; `clinicfinder show ID`
lists them all), with `source_date`, `source_kind` and `collected`, and one `other_source`
per further page. A location's coordinates
may be the centre of its ZIP code or city: its description says which. `collected` is when
the listing was gathered, not a verification of the clinic today.

{NOT_ADVICE}
"""
