"""Ranking clinics by distance from a place, with filters that never hide their effect."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from clinicfinder.clinics.catalog import Catalog, as_catalog
from clinicfinder.clinics.telehealth import telehealth_in, unplaced_in
from clinicfinder.errors import UsageProblem, brief
from clinicfinder.places.distance import distance_km, km_to_miles, miles_to_km, shown_distance
from clinicfinder.records.clock import today as clock_today
from clinicfinder.records.models import Clinic, Match, Place, Search, earliest_day
from clinicfinder.records.vocab import (
    AGE_ALIASES,
    AGES,
    CONDITIONS,
    EXACT_PRECISIONS,
    LANGUAGE_ALIASES,
    LANGUAGES,
    NOT_PROVIDING,
    PAYMENT_ALIASES,
    PAYMENTS,
    PLACEMENT,
    ROUTES,
    related_conditions,
)

NEAREST_BEYOND = 3  # shown when nothing is inside the radius
HALF_EARTH_KM = 20_038.0  # no two points on Earth are farther apart
DEFAULT_RADIUS = {"mi": 50.0, "km": 80.0}  # near's radius when none is given or saved
DEFAULT_RADIUS_KM = miles_to_km(DEFAULT_RADIUS["mi"])
_FINEST_FIRST = {p: i for i, p in enumerate(PLACEMENT)}


def check_radius(radius_km: float) -> None:
    """A radius a search can use: `near` and `config set radius` refuse the same ones."""
    if not radius_km > 0 or radius_km != radius_km:
        raise UsageProblem("the radius must be a positive number", hint="e.g. --radius 50")
    if radius_km > HALF_EARTH_KM:  # no two points are farther apart
        raise UsageProblem(
            f"the radius can be at most {HALF_EARTH_KM:,.0f} km "
            f"({km_to_miles(HALF_EARTH_KM):,.0f} mi): half the Earth's circumference"
        )


def check_filters(
    radius_km: float, limit: int, condition: str | None, routes: Sequence[str]
) -> None:
    """Reject impossible searches before any work is done."""
    check_radius(radius_km)
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


# The filters on what a source states besides conditions and routes: the option, its
# vocabulary and aliases, and the Clinic field holding what the source states.
STATED_FILTERS: dict[str, tuple[dict[str, str], dict[str, str], str]] = {
    "payment": (PAYMENTS, PAYMENT_ALIASES, "payment"),
    "language": (LANGUAGES, LANGUAGE_ALIASES, "languages"),
    "age": (AGES, AGE_ALIASES, "ages"),
}


def stated_values(kind: str, given: Sequence[str]) -> tuple[str, ...]:
    """--payment / --language / --age values as the data's slugs, in the order given, each
    once: case, spaces and underscores don't matter, commas separate several, and the words
    people use are understood (STATED_FILTERS' aliases); anything else is a UsageProblem
    that lists the choices."""
    vocab, aliases, _field = STATED_FILTERS[kind]
    found: dict[str, None] = {}
    for text in given:
        for part in text.split(","):
            word = "-".join(part.strip().lower().replace("_", " ").split())
            slug = word if word in vocab else aliases.get(word)
            if slug is None:
                raise UsageProblem(
                    f"unknown {kind} {brief(part.strip())}", hint="choose from: " + ", ".join(vocab)
                )
            found[slug] = None
    return tuple(found)


class Filters(NamedTuple):
    """What the user asked for, beyond the place and the radius."""

    condition: str | None = None
    routes: Sequence[str] = ()
    include_closed: bool = False
    oldest: str | None = None  # --max-age: hide clinics whose newest source predates this
    payments: Sequence[str] = ()  # any of these, as a source states them
    languages: Sequence[str] = ()
    ages: Sequence[str] = ()

    def stated(self) -> tuple[tuple[str, Sequence[str]], ...]:
        """(the filter, its wanted values) for the payment, language and age filters asked."""
        asked = (("payment", self.payments), ("language", self.languages), ("age", self.ages))
        return tuple((kind, wanted) for kind, wanted in asked if wanted)

    def left_out_by(self, clinic: Clinic) -> tuple[str, bool] | None:
        """The first filter the clinic doesn't fit, and whether that is because its sources
        say nothing on it (so the user hears it exists); None when it fits them all."""
        if self.condition and self.condition_match(clinic)[0] is None:
            return "condition", not clinic.conditions
        if self.routes and not set(self.routes).intersection(clinic.routes):
            return "route", not clinic.routes
        for kind, wanted in self.stated():
            states = getattr(clinic, STATED_FILTERS[kind][2])
            if not set(wanted).intersection(states):
                return kind, not states
        return None

    def condition_match(self, clinic: Clinic) -> tuple[str | None, str | None]:
        """("listed" | "related" | None, the related condition the source lists)."""
        if not self.condition:
            return None, None
        if self.condition in clinic.conditions:
            return "listed", None
        related = sorted(related_conditions(self.condition).intersection(clinic.conditions))
        return ("related", related[0]) if related else (None, None)

    def fits(self, clinic: Clinic) -> bool:
        """What the sources say fits the filters (an unstated condition, route, payment,
        language or age never does)."""
        return self.left_out_by(clinic) is None

    def fresh(self, clinic: Clinic) -> bool:
        """Within --max-age: a partial date counts from its earliest day (2023 = 2023-01-01)."""
        if self.oldest is None:
            return True
        dated = clinic.source_date or clinic.collected  # an undated page: the day it was read
        return bool(dated) and earliest_day(dated) >= self.oldest

    def wanted(self, clinic: Clinic) -> bool:
        return (
            (self.include_closed or clinic.status not in NOT_PROVIDING)
            and self.fits(clinic)
            and self.fresh(clinic)
        )


def oldest_allowed(
    max_age: str | None, today: date | None = None, option: str = "--max-age"
) -> str | None:
    """An age (3y / 18m / 6w / 90d) → the oldest day still inside it (YYYY-MM-DD): months and
    years are calendar ones. --max-age (sources) and recheck's --since (checks) read ages
    alike."""
    if max_age is None:
        return None
    found = re.fullmatch(r"\s*(\d{1,4})\s*([ymwd])\s*", max_age.lower())
    if not found or int(found[1]) == 0:
        raise UsageProblem(
            f"{option} {brief(max_age)} is not an age", hint="e.g. 3y, 18m, 6w or 90d"
        )
    n, unit = int(found[1]), found[2]
    day = today or clock_today()
    if unit in "dw":
        return (day - timedelta(days=n * (7 if unit == "w" else 1))).isoformat()
    months = day.year * 12 + day.month - 1 - (n * 12 if unit == "y" else n)
    year, month = divmod(months, 12)
    return date(year, month + 1, min(day.day, 28)).isoformat()


class _Counts:
    """What each filter left out inside the radius: hidden, or whose sources don't say."""

    def __init__(self) -> None:
        self.hidden_closed = self.hidden_old = 0
        self.unknown: dict[str, int] = dict.fromkeys(("condition", "route", *STATED_FILTERS), 0)


def find_clinics(
    origin: Place,
    clinics: Catalog | Sequence[Clinic],
    *,
    radius_km: float = DEFAULT_RADIUS_KM,
    limit: int = 10,
    filters: Filters | None = None,
    units: str = "mi",
) -> Search:
    """Clinics inside the radius, nearest first; else the nearest few beyond it.

    Filters match what the source says: a clinic whose source doesn't list its
    conditions (or routes) is left out by --condition (or --route), and counted,
    so the user hears that it exists; one that lists a condition of the same
    family is kept and marked "related". Telehealth providers serving the
    origin's state, and the state's clinics that can't be placed, come back
    separately: they have no distance to rank by. Distances are equal when they read
    the same in `units` (the ranking follows what the user sees).
    """
    filters = filters or Filters()
    check_filters(radius_km, limit, filters.condition, filters.routes)
    catalog = as_catalog(clinics)
    order = _order_in(units)
    inside, counts = _inside(catalog, origin, radius_km, filters, order)
    # Beyond the radius: the nearest few when nothing is inside, else just the next one.
    beyond = _nearest_beyond(
        catalog, origin, radius_km, NEAREST_BEYOND if not inside else 1, filters.wanted, order
    )
    chosen = inside[:limit] if inside else beyond[: min(limit, NEAREST_BEYOND)]
    ranked = [_match(i, d, c, origin, filters) for i, (d, c) in enumerate(chosen, 1)]
    telehealth, unplaced = _unranked(catalog, origin, filters, {m.clinic.id for m in ranked})
    return Search(
        origin=origin,
        radius_km=radius_km,
        matches=ranked,
        within_radius=bool(inside),
        found=len(inside),
        searched=catalog.placed_count(),
        hidden_closed=counts.hidden_closed,
        unknown_condition=counts.unknown["condition"],
        unknown_route=counts.unknown["route"],
        next_beyond_km=beyond[0][0] if beyond else None,
        telehealth=tuple(telehealth),
        unplaced=unplaced,
        hidden_old=counts.hidden_old,
        in_state=catalog.in_state(origin.state) if origin.state else None,
        reachable=sum(reachable(c) for _, c in inside),
        layers=catalog.layers(),
        payments=tuple(filters.payments),
        languages=tuple(filters.languages),
        ages=tuple(filters.ages),
        unknown_stated=tuple(
            (k, n) for k, n in counts.unknown.items() if k in STATED_FILTERS and n
        ),
    )


def _inside(
    catalog: Catalog, origin: Place, radius_km: float, filters: Filters, order: _Order
) -> tuple[list[tuple[float, Clinic]], _Counts]:
    """The wanted clinics within the radius, ordered; and what each filter left out."""
    counts = _Counts()
    inside: list[tuple[float, Clinic]] = []
    for clinic in catalog.near(origin.lat, origin.lon, radius_km):
        d = _distance(origin, clinic)
        if d > radius_km:
            continue
        if filters.wanted(clinic):
            inside.append((d, clinic))
        elif clinic.status in NOT_PROVIDING and not filters.include_closed:
            counts.hidden_closed += 1
        elif (left_out := filters.left_out_by(clinic)) is not None:
            kind, silent = left_out
            counts.unknown[kind] += silent
        else:
            counts.hidden_old += 1
    inside.sort(key=order)
    return inside, counts


def _match(rank: int, d: float, clinic: Clinic, origin: Place, filters: Filters) -> Match:
    how, via = filters.condition_match(clinic)
    approximate = clinic.precision != "street" or origin.precision not in EXACT_PRECISIONS
    return Match(rank, clinic, d, approximate, how, via)


def _unranked(
    catalog: Catalog, origin: Place, filters: Filters, shown: set[str]
) -> tuple[list[Clinic], int]:
    """Telehealth providers serving the origin's state, and its clinics with no place."""
    if not origin.state:
        return [], 0
    local = [c for c in catalog.unranked_in(origin.state) if filters.wanted(c)]
    telehealth = [c for c in telehealth_in(origin.state, local) if c.id not in shown]
    return telehealth, len(unplaced_in(origin.state, local))


def _distance(origin: Place, clinic: Clinic) -> float:
    assert clinic.lat is not None and clinic.lon is not None
    return distance_km(origin.lat, origin.lon, clinic.lat, clinic.lon)


def reachable(clinic: Clinic) -> bool:
    """A listing one can act on: active (a current source) with a phone or a website."""
    return clinic.status == "active" and bool(clinic.phone or clinic.website)


ORDER_RULE = (
    "At equal distance, listings you can reach come first (active, with a phone or "
    "website), then those with a street address."
)


_Order = Callable[[tuple[float, Clinic]], tuple[float, bool, bool, int, str, str]]


def _order_in(units: str) -> _Order:
    """Nearest first, as the distance is shown in `units` ("0.0 mi" and "0.0 mi" are
    equal, whatever the raw floats); at one shown distance (a city's centre) reachable
    listings first, then any with a phone or website, then street before ZIP before
    city, then by name: an unverified listing with no way to contact it never sits
    above one you can call."""

    def order(dc: tuple[float, Clinic]) -> tuple[float, bool, bool, int, str, str]:
        d, c = dc
        contact = bool(c.phone or c.website)
        return (
            shown_distance(d, units), not reachable(c), not contact,
            _FINEST_FIRST.get(c.precision, 9), c.name.casefold(), c.id,
        )  # fmt: skip

    return order


def _nearest_beyond(
    catalog: Catalog,
    origin: Place,
    radius_km: float,
    count: int,
    wanted: Callable[[Clinic], bool],
    order: _Order,
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
            return sorted(found, key=order)[:count]
        reach = min(reach * 4, HALF_EARTH_KM)
