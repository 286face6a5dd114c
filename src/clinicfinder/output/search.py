"""A search's results: the JSON records and the table people read.

JSON documents are built from the same records the tables show, with the same
field names. Rich is imported only when a table is actually drawn, and every
piece of clinic or user text goes in as plain ``Text`` — never as markup — so a
name like "[bold]x" or an escape sequence is shown literally.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from clinicfinder.output.text import (
    CRISIS_LINES,
    SCHEMA_VERSION,
    format_distance,
)
from clinicfinder.places.distance import from_km, km_to_miles
from clinicfinder.records.vocab import CONDITIONS, counted

if TYPE_CHECKING:
    from clinicfinder.records.models import Clinic, Layer, Match, Search
    from clinicfinder.topics.pages import Topic

FEW = 3  # fewer results than this in range, and we point to the next one out

MATCH_FIELDS = [
    "rank", "id", "name", "site", "distance_km", "distance_mi", "approximate", "within_radius",
    "reachable",
    "lat", "lon", "precision", "street", "city", "state", "postal_code", "phone", "website",
    "routes", "conditions", "condition_match", "related_via", "status", "source_url",
    "source_date", "source_date_basis", "evidence", "more_sources", "payment", "collected",
    "eligibility", "ages", "languages", "phone_scope",
    "verified_until",
]  # fmt: skip


def known(value: Any) -> Any:
    """An unknown value is null in machine output, never an empty string."""
    return None if value == "" else value


def match_record(match: Match, within_radius: bool) -> dict[str, Any]:
    from clinicfinder.search.rank import reachable

    c = match.clinic
    return {
        "rank": match.rank,
        "id": c.id,
        "name": c.name,
        "site": known(c.site),
        "distance_km": round(match.distance_km, 3),
        "distance_mi": round(km_to_miles(match.distance_km), 3),
        "approximate": match.approximate,
        "within_radius": within_radius,
        "reachable": reachable(c),
        "lat": c.lat,
        "lon": c.lon,
        "precision": c.precision,
        "street": known(c.street),
        "city": known(c.city),
        "state": known(c.state),
        "postal_code": known(c.postal_code),
        "phone": known(c.phone),
        "website": known(c.website),
        "routes": list(c.routes),
        "conditions": list(c.conditions),
        "condition_match": match.condition_match,
        "related_via": match.related_via,
        "status": c.status,
        "source_url": known(c.source_url),
        "source_date": known(c.source_date),
        "source_date_basis": known(c.source_date_basis),
        "evidence": known(c.evidence),
        "more_sources": list(c.more_sources),
        "payment": list(c.payment),
        "collected": known(c.collected),
        "eligibility": known(c.eligibility),
        "ages": list(c.ages),
        "languages": list(c.languages),
        "phone_scope": known(c.phone_scope),
        "verified_until": known(c.verified_until),
    }


def telehealth_record(clinic: Clinic) -> dict[str, Any]:
    """A telehealth provider: no distance, but the states it serves and how we know."""
    from clinicfinder.clinics.telehealth import served_states

    return {
        "id": clinic.id,
        "name": clinic.name,
        "eligibility": known(clinic.eligibility),
        "phone": known(clinic.phone),
        "phone_scope": known(clinic.phone_scope),
        "website": known(clinic.website),
        "routes": list(clinic.routes),
        "conditions": list(clinic.conditions),
        "serves": list(served_states(clinic)),
        "serves_basis": serves_basis(clinic),
        "status": clinic.status,
        "source_url": known(clinic.source_url),
        "source_date": known(clinic.source_date),
        "evidence": known(clinic.evidence),
        "collected": known(clinic.collected),
    }


def serves_basis(clinic: Clinic) -> str:
    """How we know where a telehealth provider serves."""
    if clinic.telehealth_states:
        return "listed by source"
    return "own state" if clinic.state else "not stated"


def condition_record(slug: str, topic: Topic | None) -> dict[str, Any]:
    """The `conditions` entry of a search: the topic page's gist where one exists."""
    return {
        "slug": slug,
        "name": topic.name if topic else CONDITIONS[slug],
        "summary": topic.tagline if topic else None,
        "evidence": (topic.evidence or None) if topic else None,
        "evidence_graded": (topic.graded or None) if topic else None,  # "established for…"
        "crisis_lines": CRISIS_LINES if topic and topic.crisis else None,
    }


def search_record(
    search: Search,
    *,
    condition: str | None,
    routes: list[str],
    topic: Topic | None,
    data_collected: str | None,
    units: str,
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "origin": search.origin._asdict(),
        "radius_km": round(search.radius_km, 3),
        "radius_mi": round(km_to_miles(search.radius_km), 3),
        "within_radius": search.within_radius,
        "found": search.found,
        "shown": len(search.matches),
        "filters": {
            "condition": condition,
            "routes": routes,
            "payment": list(search.payments),
            "languages": list(search.languages),
            "ages": list(search.ages),
        },
        "results": [match_record(m, search.within_radius) for m in search.matches],
        "telehealth": [telehealth_record(c) for c in search.telehealth],
        "unplaced_in_state": search.unplaced,
        "notices": search_notices(search, units),
        "data": {
            "collected": data_collected,
            "clinics_searched": search.searched,
            "layers": [layer_record(layer) for layer in search.layers],
        },
    }
    if condition:
        doc["conditions"] = [condition_record(condition, topic)]
    return doc


_UNSTATED = {
    "payment": "which payment they take",
    "language": "which languages they offer",
    "age": "which ages they serve",
}


def filters_said(search: Search) -> str | None:
    """The payment, language and age filters asked, as the heading says them."""
    from clinicfinder.records.vocab import AGES, LANGUAGES, PAYMENTS

    said = [
        " or ".join(vocab[v].split(" (")[0] for v in values)
        for values, vocab in (
            (search.payments, PAYMENTS), (search.languages, LANGUAGES), (search.ages, AGES)
        )
        if values
    ]  # fmt: skip
    return ("Only clinics whose sources state: " + "; ".join(said) + ".") if said else None


def layer_record(layer: Layer) -> dict[str, Any]:
    """A fetched layer (`data update`): whose listings, for which states, fetched when."""
    return {**layer._asdict(), "states": list(layer.states)}


def layers_sentence(layers: tuple[Layer, ...]) -> str | None:
    """What fetched listings a search or count includes, and how old they are."""
    said = []
    for layer in layers:
        states = layer.states
        where = ", ".join(states) if len(states) <= 3 else f"{len(states)} states"
        when = layer.newest
        if layer.fetched != layer.newest:
            when = f"{layer.fetched} to {layer.newest}"
        said.append(
            f"{counted(layer.clinics, layer.name + ' listing')} for {where}, fetched {when} by "
            f"`data update` ({layer.joined} of them already listed, each shown once)"
        )
    return ("Includes " + "; ".join(said) + ".") if said else None


def search_notices(search: Search, units: str) -> list[str]:
    """What the user should know about the results, as sentences (table footer and JSON).

    How the origin was resolved is the origin's own ``note``.
    """
    from clinicfinder.places.regions import regions

    notes = [*_range_notes(search, units)]
    radius = format_distance(search.radius_km, units)
    if search.unknown_condition:
        notes.append(
            f"{more(search.unknown_condition)} within {radius} "
            f"{_do(search.unknown_condition)}n't say which conditions "
            f"{_they(search.unknown_condition)} "
            f"{'treats' if search.unknown_condition == 1 else 'treat'}, so the condition "
            f"filter left {_them(search.unknown_condition)} out."
        )
    if search.unknown_route:
        notes.append(
            f"{more(search.unknown_route)} within {radius} {_do(search.unknown_route)}n't say "
            f"which treatments {_they(search.unknown_route)} "
            f"{'offers' if search.unknown_route == 1 else 'offer'}, so the route filter left "
            f"{_them(search.unknown_route)} out."
        )
    for kind, n in search.unknown_stated:
        notes.append(
            f"{more(n)} within {radius} {_do(n)}n't say {_UNSTATED[kind]}, so the "
            f"{kind} filter left {_them(n)} out."
        )
    if search.hidden_old:
        n = search.hidden_old
        notes.append(
            f"{more(n)} within {radius} {'rests' if n == 1 else 'rest'} only on sources older "
            "than --max-age (or undated), so " + ("it is" if n == 1 else "they are") + " not shown."
        )
    if search.unplaced and search.origin.state:
        code, n = search.origin.state, search.unplaced
        notes.append(
            f"{more(n)} in {regions()[code].name} {'has' if n == 1 else 'have'} no address we "
            f"can place on a map — clinicfinder regions {code}"
        )
    if search.hidden_closed:
        n = search.hidden_closed
        notes.append(
            f"{counted(n, 'clinic')} within {radius} {'is' if n == 1 else 'are'} reported closed "
            "(or only announced) and not shown (--include-closed lists "
            + ("it" if n == 1 else "them")
            + ")."
        )
    return notes


def more(n: int) -> str:
    return f"{n} more clinic" + ("" if n == 1 else "s")


def _do(n: int) -> str:
    return "does" if n == 1 else "do"


def _they(n: int) -> str:
    return "it" if n == 1 else "they"


def _them(n: int) -> str:
    return "it" if n == 1 else "them"


def _range_notes(search: Search, units: str) -> list[str]:
    """How many were found and shown, and what lies beyond the radius."""
    from clinicfinder.places.regions import regions

    notes = []
    radius = format_distance(search.radius_km, units)
    code = search.origin.state
    if code and search.in_state == 0:
        nearest = search.matches[0].clinic if search.matches else None
        where = (
            f"; the nearest is {nearest.name} in {nearest.city}, {nearest.state}"
            if (nearest and nearest.city)
            else ""
        )
        notes.append(f"{regions()[code].name} has no clinic listed in the data{where}.")
    if not search.within_radius and search.matches:
        far = format_distance(search.matches[0].distance_km, units)
        notes.append(f"No clinics within {radius}; showing the nearest beyond it ({far} away).")
    elif not search.matches:
        notes.append("No clinic in the data matches these filters.")
    elif len(search.matches) < search.found:
        notes.append(
            f"Showing {len(search.matches)} of {search.found} within {radius} — "
            f"--limit {search.found} for all."
        )
    elif search.next_beyond_km is not None and search.found < FEW:
        step = 80 if units == "km" else 50
        wider = math.ceil(from_km(search.next_beyond_km, units) / step) * step
        notes.append(
            f"Only {search.found} within {radius}; the next is "
            f"{format_distance(search.next_beyond_km, units)} away "
            f"(--radius {wider} would reach it)."
        )
    return notes
