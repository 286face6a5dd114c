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

import csv
import io
import json
import re
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from clinicfinder import __version__
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


@dataclass(frozen=True, slots=True)
class Table:
    """One HSDS resource. `fields`: space-separated `name[=type][~format][*][!]`
    (type defaults to string; `*` required, `!` unique), in HSDS's column order."""

    name: str
    path: str
    description: str
    fields: str
    foreign_keys: tuple[tuple[str, str], ...] = ()  # (field, resource): resource.id


# The tables we fill, then programs and contacts, left empty: services and phones have
# foreign keys into them, so the package must carry them for those keys to resolve.
TABLES: tuple[Table, ...] = (
    Table("organization", "organizations.csv",
          "The details about each organization delivering services. Each service should be "
          "linked to the organization responsible for its delivery. One organization may "
          "deliver many services.",
          "id~uuid*! name* alternate_name description* email~email website~uri tax_status "
          "tax_id year_incorporated=number legal_status logo uri~uri parent_organization_id~uuid"),
    Table("service", "services.csv",
          "The details of the services provided by organizations to a range of different groups.",
          "id~uuid*! organization_id~uuid* program_id~uuid name* alternate_name description "
          "url~uri email~email status* interpretation_services application_process "
          "fees_description wait_time fees accreditations eligibility_description "
          "minimum_age=number maximum_age=number assured_date=date assurer_email~email "
          "licenses alert last_modified=datetime",
          (("organization_id", "organization"), ("program_id", "program"))),
    Table("location", "locations.csv",
          "The locations where organizations operate. Locations may be virtual, and one "
          "organization may have many locations.",
          "id~uuid*! location_type* url~uri organization_id~uuid name alternate_name "
          "description transportation latitude=number longitude=number external_identifier "
          "external_identifier_type",
          (("organization_id", "organization"),)),
    Table("service_at_location", "service_at_location.csv",
          "A link between a service and a specific location.",
          "id~uuid*! service_id~uuid* location_id~uuid* description",
          (("service_id", "service"), ("location_id", "location"))),
    Table("address", "addresses.csv", "The addresses of locations where organizations operate.",
          "id~uuid*! location_id~uuid attention address_1* address_2 city* region "
          "state_province* postal_code* country* address_type*",
          (("location_id", "location"),)),
    Table("phone", "phones.csv",
          "The details of the telephone numbers used to contact organizations, services, and "
          "locations.",
          "id~uuid*! location_id~uuid service_id~uuid organization_id~uuid contact_id~uuid "
          "service_at_location_id~uuid number* extension=number type description",
          (("contact_id", "contact"), ("location_id", "location"),
           ("organization_id", "organization"), ("service_id", "service"),
           ("service_at_location_id", "service_at_location"))),
    Table("attribute", "attributes.csv",
          "A link between a service and one or more classifications that describe the nature "
          "of the service provided.",
          "id~uuid*! link_id~uuid* taxonomy_term_id~uuid* link_type link_entity* value",
          (("taxonomy_term_id", "taxonomy_term"),)),
    Table("taxonomy_term", "taxonomy_terms.csv",
          "Each service can be categorized according to one or more taxonomy terms. The "
          "taxonomy_term object contains a list of taxonomy terms, their names, and, for "
          "hierarchical taxonomies, their structure.",
          "id~uuid*! code! name* description* parent_id~uuid taxonomy language "
          "taxonomy_id~uuid term_uri~uri",
          (("taxonomy_id", "taxonomy"),)),
    Table("taxonomy", "taxonomies.csv", "The taxonomies from which taxonomy terms are taken.",
          "id~uuid*! name* description* uri~uri version"),
    Table("program", "programs.csv", "The details of collections of related services.",
          "id~uuid*! organization_id~uuid*! name* alternate_name description*",
          (("organization_id", "organization"),)),
    Table("contact", "contacts.csv",
          "The details of the named contacts for services and organizations.",
          "id~uuid*! organization_id~uuid service_id~uuid service_at_location_id~uuid "
          "location_id~uuid name title department email~email",
          (("location_id", "location"), ("organization_id", "organization"),
           ("service_id", "service"), ("service_at_location_id", "service_at_location"))),
)  # fmt: skip
ENUMS = {
    ("service", "status"): ["active", "inactive", "defunct", "temporarily closed"],
    ("location", "location_type"): ["physical", "postal", "virtual"],
    ("address", "address_type"): ["physical", "postal", "virtual"],
}
_TOKEN = re.compile(r"(\w+)(?:=(\w+))?(?:~(\w+))?(\*)?(!)?")

# Where each clinic's facts come from, kept as attributes of its organization.
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


def schema(table: Table) -> dict[str, Any]:
    """The table's Table Schema, as HSDS's datapackage.json gives it."""
    fields = []
    for token in table.fields.split():
        found = _TOKEN.fullmatch(token)
        if found is None:
            raise ValueError(f"bad field spec {token!r} in {table.name}")
        name, kind, fmt, required, unique = found.groups()
        field: dict[str, Any] = {"name": name, "type": kind or "string"}
        if fmt:
            field["format"] = fmt
        constraints: dict[str, Any] = {"required": bool(required), "unique": bool(unique)}
        if (table.name, name) in ENUMS:
            constraints["enum"] = ENUMS[table.name, name]
        field["constraints"] = constraints
        fields.append(field)
    described: dict[str, Any] = {"fields": fields, "primaryKey": "id"}
    if table.foreign_keys:
        described["foreignKeys"] = [
            {"fields": name, "reference": {"resource": resource, "fields": "id"}}
            for name, resource in table.foreign_keys
        ]
    return described


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
    service = None
    if c.status in SERVICE_STATUS:
        service = _id("service", c.id)
        more = [f"Telehealth in: {', '.join(c.telehealth_states)}."] if c.telehealth_states else []
        more += [f"Payment: {', '.join(c.payment)}."] if c.payment else []
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
    pairs += [("other_source", url, f"other_source:{url}") for url in c.more_sources]
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
        buffer = io.StringIO()
        writer = csv.writer(buffer)  # RFC 4180 (CRLF), as HSDS's example CSVs
        writer.writerow(header)
        for row in package.rows[table.name]:
            writer.writerow(["" if row.get(h) is None else row[h] for h in header])
        out[table.path] = buffer.getvalue().encode("utf-8")
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
