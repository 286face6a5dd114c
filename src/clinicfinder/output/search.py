"""A search's results: the JSON records and the table people read.

JSON documents are built from the same records the tables show, with the same
field names. Rich is imported only when a table is actually drawn, and every
piece of clinic or user text goes in as plain ``Text`` — never as markup — so a
name like "[bold]x" or an escape sequence is shown literally.
"""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from clinicfinder.output.text import (
    CRISIS_LINES,
    EVIDENCE_STYLE,
    NOT_ADVICE,
    ROUTE_SHORT,
    SCHEMA_VERSION,
    console,
    format_distance,
    host,
    plain,
)
from clinicfinder.places.distance import from_km, km_to_miles
from clinicfinder.records.vocab import CONDITIONS, PRECISION_LABELS

if TYPE_CHECKING:
    from clinicfinder.records.models import Clinic, Match, Search
    from clinicfinder.topics.pages import Topic

FEW = 3  # fewer results than this in range, and we point to the next one out

MATCH_FIELDS = [
    "rank", "id", "name", "distance_km", "distance_mi", "lat", "lon", "precision", "street",
    "city", "state", "postal_code", "phone", "website", "routes", "conditions", "status",
    "source_url", "collected",
]  # fmt: skip


def match_record(match: Match) -> dict[str, Any]:
    c = match.clinic
    return {
        "rank": match.rank,
        "id": c.id,
        "name": c.name,
        "distance_km": round(match.distance_km, 3),
        "distance_mi": round(km_to_miles(match.distance_km), 3),
        "lat": c.lat,
        "lon": c.lon,
        "precision": c.precision,
        "street": c.street,
        "city": c.city,
        "state": c.state,
        "postal_code": c.postal_code,
        "phone": c.phone,
        "website": c.website,
        "routes": list(c.routes),
        "conditions": list(c.conditions),
        "status": c.status,
        "source_url": c.source_url,
        "collected": c.collected,
    }


def telehealth_record(clinic: Clinic) -> dict[str, Any]:
    """A telehealth provider: no distance, but the states it serves and how we know."""
    from clinicfinder.places.regions import served_states

    return {
        "id": clinic.id,
        "name": clinic.name,
        "phone": clinic.phone,
        "website": clinic.website,
        "routes": list(clinic.routes),
        "conditions": list(clinic.conditions),
        "serves": list(served_states(clinic)),
        "serves_basis": "listed by source" if clinic.telehealth_states else "own state",
        "status": clinic.status,
        "source_url": clinic.source_url,
        "collected": clinic.collected,
    }


def condition_record(slug: str, topic: Topic | None) -> dict[str, Any]:
    """The `conditions` entry of a search: the topic page's gist where one exists."""
    return {
        "slug": slug,
        "name": topic.name if topic else CONDITIONS[slug],
        "summary": topic.tagline if topic else None,
        "evidence": topic.evidence if topic else None,
        "crisis_lines": CRISIS_LINES if topic and topic.crisis else None,
    }


def search_record(
    search: Search,
    *,
    condition: str | None,
    routes: list[str],
    topic: Topic | None,
    data_collected: str,
    units: str,
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "origin": asdict(search.origin),
        "radius_km": round(search.radius_km, 3),
        "radius_mi": round(km_to_miles(search.radius_km), 3),
        "within_radius": search.within_radius,
        "found": search.found,
        "filters": {"condition": condition, "routes": routes},
        "results": [match_record(m) for m in search.matches],
        "telehealth": [telehealth_record(c) for c in search.telehealth],
        "unplaced_in_state": search.unplaced,
        "notices": search_notices(search, units),
        "data": {"collected": data_collected, "clinics_searched": search.searched},
    }
    if condition:
        doc["conditions"] = [condition_record(condition, topic)]
    return doc


def search_notices(search: Search, units: str) -> list[str]:
    """What the user should know about the results, as sentences (table footer and JSON).

    How the origin was resolved is the origin's own ``note``.
    """
    from clinicfinder.places.regions import regions

    notes = []
    radius = format_distance(search.radius_km, units)
    if not search.within_radius and search.matches:
        notes.append(f"No clinics within {radius}; showing the nearest beyond it.")
    elif not search.matches:
        notes.append("No clinic in the data matches these filters.")
    elif search.next_beyond_km is not None and search.found < FEW:
        step = 80 if units == "km" else 50
        wider = math.ceil(from_km(search.next_beyond_km, units) / step)
        notes.append(
            f"Only {search.found} within {radius}; the next is "
            f"{format_distance(search.next_beyond_km, units)} away (try --radius {wider * step})."
        )
    if search.unknown_condition:
        notes.append(
            f"{search.unknown_condition} more clinic(s) within {radius} don't say which "
            "conditions they treat, so the condition filter left them out."
        )
    if search.unknown_route:
        notes.append(
            f"{search.unknown_route} more clinic(s) within {radius} don't say which "
            "treatments they offer, so the route filter left them out."
        )
    if search.unplaced and search.origin.state:
        code = search.origin.state
        notes.append(
            f"{search.unplaced} more clinic(s) in {regions()[code].name} have no address we can "
            f"place on a map — clinicfinder regions {code}"
        )
    if search.hidden_closed:
        notes.append(
            f"{search.hidden_closed} clinic(s) within {radius} are reported closed and not "
            "shown (--include-closed lists them)."
        )
    return notes


def print_search(
    search: Search, *, units: str, topic: Topic | None, condition: str | None, data_collected: str
) -> None:
    from rich.table import Table
    from rich.text import Text

    from clinicfinder.places.regions import regions

    out = console()
    origin = search.origin
    out.print(
        Text.assemble(
            ("Clinics near ", "bold"),
            (plain(origin.label), "bold cyan"),
            f" — {PRECISION_LABELS[origin.precision]}",
            f", within {format_distance(search.radius_km, units)}",
        )
    )
    if origin.note:
        out.print(Text(plain(origin.note[0].upper() + origin.note[1:] + "."), style="yellow"))
    if condition:
        out.print(condition_panel(condition, topic))
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("#", justify="right", style="dim")
    table.add_column("Clinic", overflow="fold")
    table.add_column("Distance", justify="right", no_wrap=True)
    table.add_column("City", overflow="fold")
    table.add_column("Routes", overflow="fold")
    table.add_column("Phone", no_wrap=True)
    table.add_column("Website", overflow="fold")
    approximate = origin.precision != "point"
    for m in search.matches:
        c = m.clinic
        name = Text(plain(c.name))
        if c.status != "active":
            name.append(f" ({c.status})", style="bold red" if c.status == "closed" else "yellow")
        near = "~" if approximate or c.precision != "zip" else ""
        table.add_row(
            str(m.rank),
            name,
            near + format_distance(m.distance_km, units),
            Text(plain(f"{c.city}, {c.state}")),
            Text(", ".join(ROUTE_SHORT.get(r, r) for r in c.routes) or "—"),
            Text(plain(c.phone) or "—"),
            Text(plain(host(c.website)) or "—"),
        )
    if search.matches:
        out.print()
        out.print(table)
        out.print()
    if search.telehealth and origin.state:
        out.print(
            Text(f"Also available by telehealth in {regions()[origin.state].name}:", style="bold")
        )
        out.print(telehealth_table(search.telehealth))
        out.print()
    for note in search_notices(search, units):
        out.print(Text(plain(note), style="yellow"))
    out.print(
        Text(
            f"Searched {search.searched} placed clinics (data collected up to {data_collected}). "
            "~ marks distances to a ZIP or city centre, not a street address. "
            "Absence from this list is not absence in reality. "
            "`clinicfinder show ID` gives a clinic's source.",
            style="dim",
        )
    )
    if topic is not None and topic.crisis:
        out.print(Text(CRISIS_LINES, style="bold"))
        out.print(Text(NOT_ADVICE, style="dim"))
    else:
        out.print(Text(NOT_ADVICE + " In crisis, call or text 988.", style="dim"))


def telehealth_table(providers: list[Clinic]) -> Any:
    from rich.table import Table
    from rich.text import Text

    from clinicfinder.places.regions import served_states

    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("Provider", overflow="fold")
    table.add_column("Routes", overflow="fold")
    table.add_column("Serves", overflow="fold")
    table.add_column("Website", overflow="fold")
    for c in providers:
        serves = ", ".join(served_states(c))
        if not c.telehealth_states:
            serves += " (where it is based)"
        name = Text(plain(c.name))
        if c.status != "active":
            name.append(f" ({c.status})", style="yellow")
        table.add_row(
            name,
            Text(", ".join(ROUTE_SHORT.get(r, r) for r in c.routes) or "—"),
            Text(serves),
            Text(plain(host(c.website)) or "—"),
        )
    return table


def condition_panel(condition: str, topic: Topic | None) -> Any:
    from rich.panel import Panel
    from rich.text import Text

    if topic is None:
        body = Text(f"{CONDITIONS[condition]}: no evidence summary yet.")
    else:
        body = Text.assemble(
            (topic.name, "bold"),
            " — evidence: ",
            (topic.evidence, EVIDENCE_STYLE[topic.evidence]),
            f"\n{topic.tagline}",
            f"\nMore: clinicfinder about {topic.slug}",
        )
    return Panel(body, expand=False, border_style="dim")
