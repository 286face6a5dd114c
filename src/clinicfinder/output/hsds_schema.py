# SPDX-License-Identifier: CC-BY-SA-4.0
"""HSDS 3.0's table schemas, in a compact notation, and their datapackage.json form.

Licence: this file is adapted material under CC BY-SA 4.0
(https://creativecommons.org/licenses/by-sa/4.0/), not the project's MIT licence.
"Human Services Data Specification: an Open Referral resource (https://openreferral.org/)",
HSDS 3.0, © Open Referral. Changes: copied from HSDS's own datapackage.json (each field's
name, type, format, required and unique flags; primary and foreign keys; the table
descriptions) into a compact notation; tests compare it with the reference copy in
tests/data/hsds/. See data/LICENSES.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


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
