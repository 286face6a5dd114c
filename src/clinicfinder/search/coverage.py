"""What the clinic data covers — per region and overall — and, by implication, what it doesn't."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from clinicfinder.clinics.telehealth import (
    is_telehealth_only,
    names_no_states,
    served_states,
    telehealth_in,
    unplaced_in,
)
from clinicfinder.places.regions import Region, regions
from clinicfinder.records.clock import FRESH_YEARS, today_iso
from clinicfinder.records.models import Clinic, earliest_day
from clinicfinder.records.vocab import NOT_PROVIDING, ROUTES

ABSENCE = (
    "These counts describe our sources, not the country: the US has far more ketamine "
    "providers than this data lists, so a state or route with few or no entries here may "
    "still have many. Absence from the data is not absence in reality."
)


class Stats(NamedTuple):
    clinics: int
    telehealth_only: int
    by_state: dict[str, int]  # "" for rows whose source names no state
    by_route: dict[str, int]  # "" for rows that name no route
    by_precision: dict[str, int]
    by_status: dict[str, int]
    with_phone: int
    with_website: int
    with_street: int
    oldest_collected: str | None
    newest_collected: str | None
    placed_open: int  # placed on the map, and neither closed nor only announced
    with_postal_code: int
    by_evidence: dict[str, int]  # the kind of page each clinic's newest source is
    by_source_year: dict[str, int]  # the year of each clinic's newest source
    placed_open_with_phone: int  # of placed_open: how many give a phone, a street
    placed_open_with_street: int
    by_evidence_year: dict[str, dict[str, int]]  # kind of newest source → its year → count
    by_eligibility: dict[str, int]  # who may be seen; "" = open to all, or not stated
    by_phone_scope: dict[str, int]  # site | central | "" (not stated)
    old_sources_only: int  # listings whose newest source predates old_before
    old_before: str  # FRESH_YEARS before the day the command ran


def compute(clinics: Sequence[Clinic], today: str | None = None) -> Stats:
    """The counts `data stats` shows; `today` (YYYY-MM-DD, default the run's clock) decides
    which sources are older than three years."""
    routes: Counter[str] = Counter()
    for c in clinics:
        routes.update(c.routes or ("",))
    dates = sorted(c.collected for c in clinics if c.collected)
    day = today or today_iso()
    old_before = f"{int(day[:4]) - FRESH_YEARS:04d}{day[4:10]}"
    placed_open = [c for c in clinics if c.lat is not None and c.status not in NOT_PROVIDING]
    by_kind_year: dict[str, Counter[str]] = {}
    for c in clinics:
        by_kind_year.setdefault(c.evidence or "", Counter())[c.source_date[:4]] += 1
    return Stats(
        clinics=len(clinics),
        telehealth_only=sum(is_telehealth_only(c) for c in clinics),
        by_state=dict(sorted(Counter(c.state for c in clinics).items())),
        by_route={r: routes[r] for r in (*ROUTES, "") if routes[r]},
        by_precision=dict(Counter(c.precision for c in clinics).most_common()),
        by_status=dict(Counter(c.status for c in clinics).most_common()),
        with_phone=sum(bool(c.phone) for c in clinics),
        with_website=sum(bool(c.website) for c in clinics),
        with_street=sum(bool(c.street) for c in clinics),
        oldest_collected=dates[0] if dates else None,
        newest_collected=dates[-1] if dates else None,
        placed_open=len(placed_open),
        with_postal_code=sum(bool(c.postal_code) for c in clinics),
        by_evidence=dict(Counter(c.evidence or "" for c in clinics).most_common()),
        by_source_year=dict(sorted(Counter(c.source_date[:4] for c in clinics).items())),
        placed_open_with_phone=sum(bool(c.phone) for c in placed_open),
        placed_open_with_street=sum(bool(c.street) for c in placed_open),
        by_evidence_year={k: dict(sorted(v.items())) for k, v in sorted(by_kind_year.items())},
        by_eligibility=dict(Counter(c.eligibility for c in clinics).most_common()),
        by_phone_scope=dict(Counter(c.phone_scope for c in clinics if c.phone).most_common()),
        old_sources_only=sum(_rests_on_old(c, old_before) for c in clinics),
        old_before=old_before,
    )


def _rests_on_old(clinic: Clinic, before: str) -> bool:
    """Its newest source is older than `before`; an undated page counts from the day it was
    read, so it never does."""
    dated = clinic.source_date or clinic.collected
    return bool(dated) and earliest_day(dated) < before


class RegionCount(NamedTuple):
    region: Region
    placed: int
    unplaced: int
    telehealth: int


def summarize(clinics: Sequence[Clinic]) -> list[RegionCount]:
    """Per region: placed clinics, unplaced clinics, telehealth providers that name it
    (as `regions ST` lists them; those that name no state are counted apart).

    One pass over the clinics (not one per region): `regions` runs on every call.
    """
    placed: Counter[str] = Counter()
    unplaced: Counter[str] = Counter()
    telehealth: Counter[str] = Counter()
    for c in clinics:
        if c.lat is not None:
            placed[c.state] += 1
        elif not is_telehealth_only(c):
            unplaced[c.state] += 1
        telehealth.update(set(served_states(c)))
    return [
        RegionCount(region, placed[code], unplaced[code], telehealth[code])
        for code, region in regions().items()
    ]


class RegionListing(NamedTuple):
    """One state's page: placed clinics by city, the unplaced, and telehealth serving it."""

    region: Region
    placed: list[Clinic]
    unplaced: list[Clinic]
    telehealth: list[Clinic]  # that name this state
    anywhere: list[Clinic]  # telehealth providers whose pages name no state


def no_state_telehealth(clinics: Sequence[Clinic]) -> int:
    return sum(names_no_states(c) for c in clinics)


def listing(region: Region, clinics: Sequence[Clinic]) -> RegionListing:
    code = region.code
    return RegionListing(
        region,
        placed=sorted(
            (c for c in clinics if c.state == code and c.lat is not None),
            key=lambda c: (c.city.lower(), c.name.lower(), c.id),
        ),
        unplaced=sorted(unplaced_in(code, clinics), key=lambda c: (c.name.lower(), c.id)),
        telehealth=[c for c in telehealth_in(code, clinics) if not names_no_states(c)],
        anywhere=[c for c in clinics if names_no_states(c)],
    )
