"""The records every layer shares: what the core returns and every format renders.

Records are NamedTuples: a NamedTuple class costs a fraction of a frozen dataclass to
create, and every run creates these.

`Clinic`'s fields are the clinic-file columns, the index's columns and the
fields of `show` — one definition, read by all three (see CLINIC_COLUMNS).
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Place(NamedTuple):
    """Where the user is searching from, and how sure we are of it."""

    query: str
    label: str
    lat: float
    lon: float
    precision: str  # point | zip | city | state
    source: str  # what placed it: "coordinates", "gazetteer: …"
    note: str | None = None  # said to the user, e.g. which of several cities was picked
    state: str | None = None  # USPS code of the state it lies in, when known


class Clinic(NamedTuple):
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
    status: str  # active | closed | unverified | announced (vocab.STATUSES)
    lat: float | None
    lon: float | None
    precision: str  # street | zip | city | none (records.vocab.PLACEMENT)
    source_url: str  # the newest source; `show` lists every one (clinics.sources)
    location_evidence: str
    notes: str
    collected: str
    site: str = ""  # which branch or office, when the organisation has several
    source_date: str = ""  # when the newest source was published or updated: 2019, 2019-05, …
    evidence: str = ""  # what kind of page the newest source is (records.vocab.EVIDENCE_KINDS)
    source_date_basis: str = ""  # published | updated | url | copyright | seen (undated page)
    payment: tuple[str, ...] = ()  # payment types a registry lists (vocab.PAYMENTS)
    more_sources: tuple[str, ...] = ()  # the other pages its facts come from
    eligibility: str = ""  # who may be seen, when a source restricts it: "veterans only"
    ages: tuple[str, ...] = ()  # age groups a source says it serves (vocab.AGES)
    languages: tuple[str, ...] = ()  # languages besides English a source states (vocab.LANGUAGES)
    phone_scope: str = ""  # site | central (one number for branches in several cities) | ""
    # The day an `active` status lapses to `unverified` unless a newer source appears: three
    # years after the newest dated source that supports it ("" = never: its own page does).
    # `status` as stored is the status on the day of the sources; `current` applies the day.
    verified_until: str = ""

    def current(self, today: str) -> Clinic:
        """This clinic as of `today` (YYYY-MM-DD): past `verified_until`, `active` reads
        `unverified`."""
        if self.status == "active" and self.verified_until and today >= self.verified_until:
            return self._replace(status="unverified")
        return self


class ClinicSource(NamedTuple):
    """One page a clinic's facts come from, and which of its facts that page supports."""

    url: str
    date: str  # as precisely as the page states: 2019, 2019-05, 2019-05-14; "" undated
    date_basis: str  # published | updated | url | copyright | undated | fetched
    evidence: str  # records.vocab.EVIDENCE_KINDS
    supports: tuple[str, ...]  # the columns this page states: name, city, phone, …
    quote: str  # a few words from the page showing the location


CLINIC_COLUMNS: tuple[str, ...] = Clinic._fields
LIST_COLUMNS: tuple[str, ...] = tuple(
    name
    for name, kind in Clinic.__annotations__.items()
    if getattr(kind, "__forward_arg__", str(kind)).startswith("tuple")
)


def earliest_day(date: str) -> str:
    """A date as precise as its source (2019, 2019-05, 2019-05-14) as the earliest day it
    can mean, so "within three years" never admits a page that may be older."""
    return (date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10]


_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension)\s*\d{1,6}\s*$", re.I)


def phone_digits(phone: str) -> str:
    """The ten digits of a US number, without a leading 1 or an extension ("801-613-9843
    x1" → 8016139843); "" when it isn't one. Joins, twins, fills and links all compare
    phones by this."""
    digits = re.sub(r"\D", "", _EXTENSION.sub("", phone))
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits if len(digits) == 10 else ""


def split_list(value: str) -> tuple[str, ...]:
    """A `;`-joined list cell (routes, conditions, …) as its items, blanks dropped."""
    return tuple(v.strip() for v in value.split(";") if v.strip())


class Layer(NamedTuple):
    """Listings the user fetched (`data update`), kept in their data folder and searched
    offline, joined to the listed clinics."""

    name: str  # who the listings come from: "FindTreatment.gov (SAMHSA)"
    path: str  # where the layer is kept
    fetched: str  # the oldest fetch date of its states: the layer is no older than this
    newest: str  # the newest fetch date of its states
    states: tuple[str, ...]  # the states fetched
    clinics: int  # the facilities it holds
    joined: int = 0  # how many of them are clinics already listed (each shown once)


class Match(NamedTuple):
    """A clinic at a distance from the origin.

    `approximate`: either end is a centre (ZIP, city), not an address or exact
    point, so the distance is only roughly right (shown with "~").
    `condition_match`: "listed" when the source lists the condition asked for,
    "related" when it lists one of the same family; None without --condition.
    """

    rank: int
    clinic: Clinic
    distance_km: float
    approximate: bool = True
    condition_match: str | None = None
    related_via: str | None = None  # the condition the source lists, when related


class Search(NamedTuple):
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
    telehealth: tuple[Clinic, ...] = ()  # serving the origin's state
    unplaced: int = 0  # matching clinics in the origin's state that have no coordinates
    hidden_old: int = 0  # in range, but every source is older than --max-age
    in_state: int | None = None  # clinics listed in the origin's state (None: no state known)
    reachable: int = 0  # of those found within the radius, how many one can act on (rank.reachable)
    layers: tuple[Layer, ...] = ()  # fetched listings searched with the bundled ones
    payments: tuple[str, ...] = ()  # --payment: any of these, as a source states them
    languages: tuple[str, ...] = ()  # --language
    ages: tuple[str, ...] = ()  # --age
    # In range, but the sources don't say: (filter, how many it left out), for the payment,
    # language and age filters that left any out.
    unknown_stated: tuple[tuple[str, int], ...] = ()
