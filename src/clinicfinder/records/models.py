"""The records every layer shares: what the core returns and every format renders."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Place:
    """Where the user is searching from, and how sure we are of it."""

    query: str
    label: str
    lat: float
    lon: float
    precision: str  # point | zip | city | state
    source: str  # what placed it: "coordinates", "gazetteer: …"
    note: str | None = None  # said to the user, e.g. which of several cities was picked
    state: str | None = None  # USPS code of the state it lies in, when known


@dataclass(frozen=True, slots=True)
class Clinic:
    """One clinic location, with where each fact came from."""

    id: str
    name: str
    street: str
    city: str
    state: str
    postal_code: str
    country: str
    phone: str
    website: str
    routes: tuple[str, ...]
    conditions: tuple[str, ...]
    telehealth_states: tuple[str, ...]
    status: str  # active | closed | unverified
    lat: float | None
    lon: float | None
    precision: str  # zip | city | none
    source_url: str
    location_evidence: str
    notes: str
    collected: str


@dataclass(frozen=True, slots=True)
class Match:
    """A clinic at a distance from the origin."""

    rank: int
    clinic: Clinic
    distance_km: float


@dataclass(frozen=True, slots=True)
class Search:
    """The outcome of a search: the matches and what the user should know about them."""

    origin: Place
    radius_km: float
    matches: list[Match]
    within_radius: bool  # False when nothing was in range and the nearest beyond are shown
    found: int  # how many matched inside the radius (before --limit)
    searched: int  # clinics with coordinates that the filters were applied to
    hidden_closed: int = 0
    unknown_condition: int = 0  # in range, but the source doesn't say what they treat
    unknown_route: int = 0  # in range, but the source doesn't say which routes
    next_beyond_km: float | None = None  # the nearest match outside the radius, if any
    telehealth: list[Clinic] = field(default_factory=list)  # serving the origin's state
    unplaced: int = 0  # matching clinics in the origin's state that have no coordinates
    notices: list[str] = field(default_factory=list)
