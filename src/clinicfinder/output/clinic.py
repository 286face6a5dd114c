"""One clinic in full (`show`), and how a text resolved to a place (`geocode`)."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from clinicfinder.output.text import NOT_ADVICE, ROUTE_SHORT, SCHEMA_VERSION, console, plain
from clinicfinder.records.vocab import CONDITIONS, PRECISION_LABELS

if TYPE_CHECKING:
    from clinicfinder.records.models import Clinic


def clinic_record(clinic: Clinic) -> dict[str, Any]:
    record = asdict(clinic)
    for key in ("routes", "conditions", "telehealth_states"):
        record[key] = list(record[key])
    return record


# The fields of each kind of record, in order: what --fields may pick, and the CSV header.
CLINIC_FIELDS = [
    "id", "name", "street", "city", "state", "postal_code", "country", "phone", "website",
    "routes", "conditions", "telehealth_states", "status", "lat", "lon", "precision",
    "source_url", "location_evidence", "notes", "collected",
]  # fmt: skip


def geocode_record(text: str, results: dict[str, Any]) -> dict[str, Any]:
    """`geocode --json`: each way of resolving the text, as a place or an error."""
    doc: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "query": text}
    for way, result in results.items():
        if isinstance(result, Exception):
            doc[way] = {"error": getattr(result, "message", str(result))}
        else:
            doc[way] = asdict(result)
    return doc


def print_geocode(results: dict[str, Any]) -> None:
    from rich.text import Text

    out = console()
    for way, result in results.items():
        out.print(Text(way, style="bold"))
        if isinstance(result, Exception):
            out.print(Text("  " + plain(getattr(result, "message", str(result))), style="yellow"))
            continue
        out.print(Text(f"  {plain(result.label)}"))
        out.print(
            Text(
                f"  {result.lat:.5f}, {result.lon:.5f} — {PRECISION_LABELS[result.precision]}"
                f" — {plain(result.source)}",
                style="dim",
            )
        )
        if result.note:
            out.print(Text(f"  {plain(result.note)}", style="yellow"))


def print_clinic(clinic: Clinic) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    title = Text(plain(clinic.name), style="bold")
    if clinic.status != "active":
        title.append(f"  ({clinic.status})", style="bold red")
    out.print(title)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    address = ", ".join(
        p for p in (clinic.street, clinic.city, f"{clinic.state} {clinic.postal_code}".strip()) if p
    )
    located = {
        "zip": "placed at its ZIP code centre",
        "city": "placed at its city centre",
        "none": "no location on file",
    }[clinic.precision]
    rows = [
        ("id", clinic.id),
        ("address", address),
        ("location", located),
        ("phone", clinic.phone),
        ("website", clinic.website),
        ("routes", ", ".join(ROUTE_SHORT.get(r, r) for r in clinic.routes)),
        ("conditions", ", ".join(CONDITIONS.get(c, c) for c in clinic.conditions)),
        ("telehealth in", ", ".join(clinic.telehealth_states)),
        ("status", clinic.status),
        ("source", clinic.source_url),
        ("source says", f"“{clinic.location_evidence}”" if clinic.location_evidence else ""),
        ("notes", clinic.notes),
        ("collected", clinic.collected),
    ]
    for label, value in rows:
        grid.add_row(label, Text(plain(value) or "—"))
    out.print(grid)
    out.print(
        Text(
            "Collected from the source above on that date; it is not a verification of the "
            "clinic today. " + NOT_ADVICE,
            style="dim",
        )
    )
