"""US states, DC and the territories (data/regions.csv), and what the catalogue holds in each.

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
    """A state, DC or a territory: its centre and the box around its ZIP centroids.

    `kind` is "state", "district" (DC) or "territory" (PR, GU, VI, MP, AS): words
    shown to people call a territory a territory, never a state.
    """

    code: str
    name: str
    lat: float
    lon: float
    min_lat: float
    min_lon: float
    max_lat: float
    max_lon: float
    kind: str = "state"

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
                    v = [float(row[k]) for k in Region._fields[2:8]]
                    out[row["code"]] = Region(
                        row["code"], row["name"], v[0], v[1], v[2], v[3], v[4], v[5], row["kind"]
                    )
                except (KeyError, ValueError, TypeError) as exc:
                    raise DataError(str(path), reader.line_num, f"bad region row ({exc})") from None
    except OSError as exc:
        raise DataError(str(path), None, f"cannot read ({exc.strerror or exc})") from None
    return out


# Other names people give the territories (the names in regions.csv are the official ones).
_ALIASES = {
    "virgin islands": "VI", "us virgin islands": "VI", "usvi": "VI",
    "northern marianas": "MP", "cnmi": "MP",
}  # fmt: skip


@cache
def _keys() -> dict[str, str]:
    out: dict[str, str] = dict(_ALIASES)
    for code, r in regions().items():
        out[code.lower()] = code
        out[place_key(r.name)] = code
    return out


def is_territory(code: str | None) -> bool:
    """Whether a code names a US territory (PR, GU, VI, MP, AS), not a state or DC."""
    region = regions().get(code or "")
    return region is not None and region.kind == "territory"


def kind_word(code: str | None) -> str:
    """'territory' for a territory, 'state' otherwise: how to call a region in a sentence."""
    return "territory" if is_territory(code) else "state"


def region_code(text: str) -> str | None:
    """The USPS code for a state's code or name, in any case and spacing."""
    return _keys().get(place_key(text))


def find_region(text: str) -> Region:
    code = region_code(text)
    if code is None:
        raise UsageProblem(
            f"no US state or territory called {brief(text)}",
            hint="give a two-letter code (KS) or a name (Kansas); DC and the territories "
            "(PR, GU, VI, MP, AS) are included",
        )
    return regions()[code]
