"""Ranking clinics by distance from a place, with filters that never hide their effect."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from clinicfinder.distance import distance_km
from clinicfinder.errors import UsageProblem
from clinicfinder.models import Clinic, Match, Place, Search
from clinicfinder.regions import telehealth_in, unplaced_in
from clinicfinder.vocab import CONDITIONS, ROUTES

NEAREST_BEYOND = 3  # shown when nothing is inside the radius


def check_filters(
    radius_km: float, limit: int, condition: str | None, routes: Sequence[str]
) -> None:
    """Reject impossible searches before any work is done."""
    if not radius_km > 0 or radius_km != radius_km:
        raise UsageProblem("the radius must be a positive number", hint="e.g. --radius 50")
    if radius_km > 20_100:  # half the Earth's circumference
        raise UsageProblem("the radius can be at most 20,000 km (12,500 mi)")
    if limit < 1:
        raise UsageProblem("the limit must be at least 1", hint="e.g. --limit 10")
    if condition is not None and condition not in CONDITIONS:
        raise UsageProblem(
            f"unknown condition {condition!r}", hint="choose from: " + ", ".join(CONDITIONS)
        )
    for route in routes:
        if route not in ROUTES:
            raise UsageProblem(f"unknown route {route!r}", hint="choose from: " + ", ".join(ROUTES))


def matches(clinic: Clinic, condition: str | None, routes: Sequence[str]) -> bool:
    """What the source says fits the filters (an unstated condition or route never does)."""
    if condition and condition not in clinic.conditions:
        return False
    return not routes or bool(set(routes).intersection(clinic.routes))


def find_clinics(
    origin: Place,
    clinics: Iterable[Clinic],
    *,
    radius_km: float = 80.4672,
    limit: int = 10,
    condition: str | None = None,
    routes: Sequence[str] = (),
    include_closed: bool = False,
) -> Search:
    """Clinics inside the radius, nearest first; else the nearest few beyond it.

    Filters match what the source says: a clinic whose source doesn't list its
    conditions (or routes) is left out by --condition (or --route), and counted,
    so the user hears that it exists. Telehealth providers serving the origin's
    state, and the state's clinics that can't be placed, come back separately:
    they have no distance to rank by.
    """
    check_filters(radius_km, limit, condition, routes)
    clinics = list(clinics)
    candidates: list[tuple[float, Clinic]] = []
    searched = hidden_closed = unknown_condition = unknown_route = 0
    for clinic in clinics:
        if clinic.lat is None or clinic.lon is None:
            continue
        searched += 1
        d = distance_km(origin.lat, origin.lon, clinic.lat, clinic.lon)
        in_range = d <= radius_km
        if clinic.status == "closed" and not include_closed:
            hidden_closed += in_range
            continue
        if not matches(clinic, condition, routes):
            if condition and condition not in clinic.conditions:
                unknown_condition += in_range and not clinic.conditions
            else:
                unknown_route += in_range and not clinic.routes
            continue
        candidates.append((d, clinic))
    candidates.sort(key=lambda dc: (dc[0], dc[1].id))
    inside = [dc for dc in candidates if dc[0] <= radius_km]
    within = bool(inside)
    beyond = candidates[len(inside)][0] if len(candidates) > len(inside) else None
    chosen = inside[:limit] if within else candidates[: min(limit, NEAREST_BEYOND)]
    ranked = [Match(rank=i, clinic=c, distance_km=d) for i, (d, c) in enumerate(chosen, 1)]
    telehealth: list[Clinic] = []
    unplaced = 0
    if origin.state:
        shown = {m.clinic.id for m in ranked}
        wanted = [c for c in clinics if c.status != "closed" and matches(c, condition, routes)]
        telehealth = [c for c in telehealth_in(origin.state, wanted) if c.id not in shown]
        unplaced = len(unplaced_in(origin.state, wanted))
    return Search(
        origin=origin,
        radius_km=radius_km,
        matches=ranked,
        within_radius=within,
        searched=searched,
        hidden_closed=hidden_closed,
        unknown_condition=unknown_condition,
        unknown_route=unknown_route,
        next_beyond_km=beyond,
        telehealth=telehealth,
        unplaced=unplaced,
    )
