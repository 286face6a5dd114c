"""US states, DC and Puerto Rico (data/regions.csv), and what the catalogue holds in each.

A clinic with coordinates is *placed*; one without (its source names only a
state, or a city we can't find) is *unplaced*: listed by state, never ranked by
distance. A provider with no city that offers at-home care is *telehealth-only*.
Telehealth providers serve the states their source lists, or, when it lists
none, the state they are in.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

from clinicfinder.bundled import data_path
from clinicfinder.errors import DataError, UsageProblem, brief
from clinicfinder.places.names import place_key
from clinicfinder.records.models import Clinic

# Coordinates may sit this far (degrees) outside a state's box of ZIP centroids:
# a city centre can lie a little beyond the outermost ZIP centroid.
BOX_MARGIN = 0.3


class Region(NamedTuple):
    """A state (or DC, or Puerto Rico): its centre and the box around its ZIP centroids."""

    code: str
    name: str
    lat: float
    lon: float
    min_lat: float
    min_lon: float
    max_lat: float
    max_lon: float

    def contains(self, lat: float, lon: float) -> bool:
        m = BOX_MARGIN
        return (
            self.min_lat - m <= lat <= self.max_lat + m
            and self.min_lon - m <= lon <= self.max_lon + m
        )


@cache
def regions() -> dict[str, Region]:
    """Every region by USPS code, in code order."""
    path = data_path("regions.csv")
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            out = {}
            for row in reader:
                try:
                    out[row["code"]] = Region(
                        row["code"],
                        row["name"],
                        *(float(row[k]) for k in Region._fields[2:]),
                    )
                except (KeyError, ValueError, TypeError) as exc:
                    raise DataError(str(path), reader.line_num, f"bad region row ({exc})") from None
    except OSError as exc:
        raise DataError(str(path), None, f"cannot read ({exc.strerror or exc})") from None
    return out


@cache
def _keys() -> dict[str, str]:
    out: dict[str, str] = {}
    for code, r in regions().items():
        out[code.lower()] = code
        out[place_key(r.name)] = code
    return out


def region_code(text: str) -> str | None:
    """The USPS code for a state's code or name, in any case and spacing."""
    return _keys().get(place_key(text))


def find_region(text: str) -> Region:
    code = region_code(text)
    if code is None:
        raise UsageProblem(
            f"no US state called {brief(text)}",
            hint="give a two-letter code (KS) or a name (Kansas); DC and PR are included",
        )
    return regions()[code]


def is_telehealth(clinic: Clinic) -> bool:
    return "at-home" in clinic.routes or bool(clinic.telehealth_states)


def is_telehealth_only(clinic: Clinic) -> bool:
    return not clinic.city and is_telehealth(clinic)


ALL_STATES = "ALL"  # in telehealth_states: the source says it serves every state


def served_states(clinic: Clinic) -> tuple[str, ...]:
    """Where a telehealth provider says it serves; its own state when it names none."""
    if ALL_STATES in clinic.telehealth_states:
        return tuple(code for code in regions() if code != "PR")
    if clinic.telehealth_states:
        return clinic.telehealth_states
    return (clinic.state,) if clinic.state and is_telehealth(clinic) else ()


def may_serve_anywhere(clinic: Clinic) -> bool:
    """A telehealth provider whose pages name no state at all: it may serve yours."""
    return is_telehealth(clinic) and not clinic.state and not clinic.telehealth_states


def telehealth_in(code: str, clinics: Iterable[Clinic]) -> list[Clinic]:
    """Telehealth providers serving a state by name; then those that name no state."""
    return sorted(
        (
            c
            for c in clinics
            if is_telehealth(c) and (code in served_states(c) or may_serve_anywhere(c))
        ),
        key=lambda c: (may_serve_anywhere(c), c.name.lower(), c.id),
    )


def unplaced_in(code: str, clinics: Iterable[Clinic]) -> list[Clinic]:
    """Clinics in a state that have no coordinates (and aren't telehealth-only)."""
    return [c for c in clinics if c.state == code and c.lat is None and not is_telehealth_only(c)]
