"""US states, DC and Puerto Rico (data/regions.csv), and what the catalogue holds in each.

A clinic with coordinates is *placed*; one without (its source names only a
state, or a city we can't find) is *unplaced*: listed by state, never ranked by
distance. Who serves a state by telehealth is the clinics' business:
`clinics/telehealth.py`.
"""

from __future__ import annotations

import csv
from functools import cache
from typing import NamedTuple

from clinicfinder.bundled import data_path
from clinicfinder.errors import DataError, UsageProblem, brief
from clinicfinder.places.names import place_key

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
