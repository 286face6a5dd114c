"""Ranking clinics by distance from a place, with filters that never hide their effect."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from clinicfinder.clinics.catalog import Catalog, as_catalog
from clinicfinder.errors import UsageProblem, brief
from clinicfinder.places.distance import distance_km
from clinicfinder.places.regions import telehealth_in, unplaced_in
from clinicfinder.records.models import Clinic, Match, Place, Search
from clinicfinder.records.vocab import CONDITIONS, ROUTES

NEAREST_BEYOND = 3  # shown when nothing is inside the radius
HALF_EARTH_KM = 20_038.0  # no two points on Earth are farther apart


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
            f"unknown condition {brief(condition)}", hint="choose from: " + ", ".join(CONDITIONS)
        )
    for route in routes:
        if route not in ROUTES:
            raise UsageProblem(
                f"unknown route {brief(route)}", hint="choose from: " + ", ".join(ROUTES)
            )


def matches(clinic: Clinic, condition: str | None, routes: Sequence[str]) -> bool:
    """What the source says fits the filters (an unstated condition or route never does)."""
    if condition and condition not in clinic.conditions:
        return False
    return not routes or bool(set(routes).intersection(clinic.routes))


def find_clinics(
    origin: Place,
    clinics: Catalog | Sequence[Clinic],
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
    catalog = as_catalog(clinics)
    hidden_closed = unknown_condition = unknown_route = 0

    def wanted(c: Clinic) -> bool:
        return (include_closed or c.status != "closed") and matches(c, condition, routes)

    inside: list[tuple[float, Clinic]] = []
    for clinic in catalog.near(origin.lat, origin.lon, radius_km):
        d = _distance(origin, clinic)
        if d > radius_km:
            continue
        if wanted(clinic):
            inside.append((d, clinic))
        elif clinic.status == "closed" and not include_closed:
            hidden_closed += 1
        elif condition and condition not in clinic.conditions:
            unknown_condition += not clinic.conditions
        else:
            unknown_route += not clinic.routes
    inside.sort(key=_order)
    # Beyond the radius: the nearest few when nothing is inside, else just the next one.
    beyond = _nearest_beyond(
        catalog, origin, radius_km, NEAREST_BEYOND if not inside else 1, wanted
    )
    chosen = inside[:limit] if inside else beyond[: min(limit, NEAREST_BEYOND)]
    ranked = [Match(rank=i, clinic=c, distance_km=d) for i, (d, c) in enumerate(chosen, 1)]
    telehealth: list[Clinic] = []
    unplaced = 0
    if origin.state:
        shown = {m.clinic.id for m in ranked}
        local = [c for c in catalog.unranked_in(origin.state) if c.status != "closed"]
        local = [c for c in local if matches(c, condition, routes)]
        telehealth = [c for c in telehealth_in(origin.state, local) if c.id not in shown]
        unplaced = len(unplaced_in(origin.state, local))
    return Search(
        origin=origin,
        radius_km=radius_km,
        matches=ranked,
        within_radius=bool(inside),
        found=len(inside),
        searched=catalog.placed_count(),
        hidden_closed=hidden_closed,
        unknown_condition=unknown_condition,
        unknown_route=unknown_route,
        next_beyond_km=beyond[0][0] if beyond else None,
        telehealth=telehealth,
        unplaced=unplaced,
    )


def _distance(origin: Place, clinic: Clinic) -> float:
    assert clinic.lat is not None and clinic.lon is not None
    return distance_km(origin.lat, origin.lon, clinic.lat, clinic.lon)


def _order(dc: tuple[float, Clinic]) -> tuple[float, str]:
    return dc[0], dc[1].id


def _nearest_beyond(
    catalog: Catalog,
    origin: Place,
    radius_km: float,
    count: int,
    wanted: Callable[[Clinic], bool],
) -> list[tuple[float, Clinic]]:
    """The `count` nearest wanted clinics outside the radius, searching ever wider boxes.

    A clinic found within distance `reach` is closer than any clinic outside a
    box that holds the whole `reach` circle, so once `count` are found within
    `reach` they are the true nearest.
    """
    reach = radius_km * 1.25  # the next clinic out is usually close: start narrow
    while True:
        found = [
            (d, c)
            for c in catalog.near(origin.lat, origin.lon, reach)
            if radius_km < (d := _distance(origin, c)) <= reach and wanted(c)
        ]
        if len(found) >= count or reach >= HALF_EARTH_KM:
            return sorted(found, key=_order)[:count]
        reach = min(reach * 4, HALF_EARTH_KM)
