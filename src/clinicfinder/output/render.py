"""Turning core records into what people and scripts read: searches and clinics.

Pages for topics live in render_topics.py; regions, validation and stats in
render_data.py; what they share (the console, escaping, JSON) is here.

JSON documents are built from the same records the tables show, with the same
field names. Rich is imported only when a table or page is actually drawn, and
every piece of clinic or user text goes in as plain ``Text`` — never as markup —
so a name like "[bold]x" or an escape sequence is shown literally.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from clinicfinder.places.distance import KM_PER_MILE, km_to_miles
from clinicfinder.records.vocab import CONDITIONS, PRECISION_LABELS

if TYPE_CHECKING:
    from rich.console import Console

    from clinicfinder.records.models import Clinic, Match, Search
    from clinicfinder.topics.pages import Topic

# Shown on every page, and in `near` when the condition asked for warrants it.
CRISIS_LINES = (
    "If you are thinking about suicide or are in crisis: call or text 988 "
    "(988 Suicide & Crisis Lifeline, US, 24/7), text HOME to 741741 (Crisis Text Line), "
    "or call 911 if you are in immediate danger."
)

SCHEMA_VERSION = 1
FEW = 3  # fewer results than this in range, and we point to the next one out
NOT_ADVICE = (
    "Not medical advice: listings come from public pages and may be out of date — "
    "call the clinic to confirm, and talk with your own clinician."
)
ROUTE_SHORT = {
    "iv": "IV",
    "im": "IM",
    "esketamine": "Spravato",
    "kap": "KAP",
    "oral": "oral",
    "at-home": "at-home",
}
EVIDENCE_STYLE = {
    "established": "bold green",
    "moderate": "green",
    "emerging": "yellow",
    "limited": "red",
}


_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def plain(value: str) -> str:
    """Make text from data or a user inert for a terminal.

    Control and bidi characters become visible escapes, so nothing in a listing
    can move the cursor, clear the screen or reverse a line.
    """
    return _UNSAFE.sub(lambda m: ascii(m[0])[1:-1], value)


# ---------------------------------------------------------------- records (JSON)


def clinic_record(clinic: Clinic) -> dict[str, Any]:
    record = asdict(clinic)
    for key in ("routes", "conditions", "telehealth_states"):
        record[key] = list(record[key])
    return record


# The fields of each kind of record, in order: what --fields may pick, and the CSV header.
MATCH_FIELDS = [
    "rank", "id", "name", "distance_km", "distance_mi", "lat", "lon", "precision", "street",
    "city", "state", "postal_code", "phone", "website", "routes", "conditions", "status",
    "source_url", "collected",
]  # fmt: skip
CLINIC_FIELDS = [
    "id", "name", "street", "city", "state", "postal_code", "country", "phone", "website",
    "routes", "conditions", "telehealth_states", "status", "lat", "lon", "precision",
    "source_url", "location_evidence", "notes", "collected",
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


def print_json(doc: Any) -> None:
    """One JSON document: indented for a person at a terminal, compact for a pipe.

    Compact output also lets Python use its C encoder, several times faster on
    big results (as gh does, scripts get the compact form).
    """
    import json

    indent = 2 if sys.stdout.isatty() else None
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=indent) + "\n")


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


# ---------------------------------------------------------------- shared wording


def format_distance(km: float, units: str) -> str:
    value = km if units == "km" else km_to_miles(km)
    return f"{value:.1f} {units}" if value < 10 else f"{value:.0f} {units}"


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
        wider = math.ceil(search.next_beyond_km / (1 if units == "km" else KM_PER_MILE) / step)
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


# ---------------------------------------------------------------- terminal output


PIPED_WIDTH = 200  # columns for a table written to a file or pipe (unless $COLUMNS says)


def console(stderr: bool = False) -> Console:
    """Rich's console. At a terminal, its width; piped or redirected, no colour (Rich's own
    rule) and 200 columns, so each clinic stays on one line for grep, less or a file."""
    import os

    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    piped = not stream.isatty() and "COLUMNS" not in os.environ
    return Console(
        stderr=stderr, highlight=False, emoji=False, width=PIPED_WIDTH if piped else None
    )


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


def aligned_columns(header: list[str], rows: list[list[str]], right: set[int]) -> Any:
    """A long, narrow listing as plain aligned columns (one Text, bold header).

    Rich's Table measures and wraps every cell: ~15 ms for the 52 regions, more
    than the rest of the command. Short cells that never wrap don't need it.
    """
    from rich.text import Text

    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        parts = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    text = Text()
    text.append(line(header) + "\n", style="bold")
    text.append("\n".join(plain(line(r)) for r in rows))
    return text


def print_records(records: list[dict[str, Any]], fields: list[str]) -> None:
    """The table for --fields: exactly the columns asked for, one row per record."""
    from rich.table import Table
    from rich.text import Text

    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    for field in fields:
        table.add_column(field, overflow="fold")
    for record in records:
        table.add_row(*(Text(plain(_text(record.get(f)))) for f in fields))
    console().print(table)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def host(url: str) -> str:
    return url.split("://", 1)[-1].removeprefix("www.").rstrip("/")


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
