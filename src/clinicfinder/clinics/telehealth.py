"""The telehealth policy: who counts as a telehealth provider, and where each one serves.

Defined once, here, and used by both catalogues (the SQLite index and the list in
memory), by the search, by `regions` and by every output. A telehealth provider
offers treatment at home ("at-home" among its routes) and either has no clinic
of its own (no city) or names the states it serves remotely: a clinic with a
city that names no such states is an in-person clinic, ranked by distance, never
listed as telehealth. A provider serves the states its pages name; one with no
city that names none serves the state it is in; one that names no state at all
*may* serve anywhere — those are said once, together, not one line each.
"""

from __future__ import annotations

from collections.abc import Iterable

from clinicfinder.places.regions import is_territory, regions
from clinicfinder.records.models import Clinic

REMOTE_ROUTE = "at-home"
ALL_STATES = "ALL"  # in telehealth_states: the source says it serves every state


def is_telehealth(clinic: Clinic) -> bool:
    return REMOTE_ROUTE in clinic.routes and (not clinic.city or bool(clinic.telehealth_states))


def is_telehealth_only(clinic: Clinic) -> bool:
    return not clinic.city and is_telehealth(clinic)


def served_states(clinic: Clinic) -> tuple[str, ...]:
    """Where a telehealth provider says it serves; its own state when it names none.
    "Every state" is the states and DC: a territory is served only when a page names it."""
    if not is_telehealth(clinic):
        return ()
    if ALL_STATES in clinic.telehealth_states:
        return tuple(code for code in regions() if not is_territory(code))
    if clinic.telehealth_states:
        return clinic.telehealth_states
    return (clinic.state,) if clinic.state else ()


def names_no_states(clinic: Clinic) -> bool:
    """A telehealth provider whose pages name no state at all: it may serve yours."""
    return is_telehealth(clinic) and not clinic.state and not clinic.telehealth_states


def serves(clinic: Clinic, code: str) -> bool:
    """A telehealth provider that names this state (or every state)."""
    return is_telehealth(clinic) and (
        code in clinic.telehealth_states
        or (ALL_STATES in clinic.telehealth_states and not is_territory(code))
        or (not clinic.telehealth_states and clinic.state == code)
    )


def is_unplaced_in(clinic: Clinic, code: str) -> bool:
    """A clinic of this state with no coordinates (listed by state, not by distance)."""
    return clinic.state == code and clinic.lat is None and not is_telehealth_only(clinic)


def unranked_in(clinic: Clinic, code: str) -> bool:
    """What a catalogue's `unranked_in(code)` returns: this state's unplaced clinics and
    every telehealth provider that serves it or names no state."""
    return is_unplaced_in(clinic, code) or serves(clinic, code) or names_no_states(clinic)


# The index's coarse pre-selection for `unranked_in`: a superset, narrowed by the
# function above, so the policy itself is only ever written in Python.
CANDIDATES_SQL = (
    "c.state = ? OR c.state = '' OR c.rowid IN (SELECT rowid FROM served WHERE state IN (?, ?))"
)


def telehealth_in(code: str, clinics: Iterable[Clinic]) -> list[Clinic]:
    """Providers that name this state, then those that name no state, by name."""
    return sorted(
        (c for c in clinics if serves(c, code) or names_no_states(c)),
        key=lambda c: (names_no_states(c), c.name.lower(), c.id),
    )


def unplaced_in(code: str, clinics: Iterable[Clinic]) -> list[Clinic]:
    return [c for c in clinics if is_unplaced_in(c, code)]
