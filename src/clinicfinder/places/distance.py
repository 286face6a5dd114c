"""Distances on the WGS-84 ellipsoid without importing geopy (~250 ms) at start-up."""

from __future__ import annotations

import re
from math import asin, atan, cos, radians, sin, sqrt, tan

from clinicfinder.errors import UsageProblem

_A_KM = 6378.137  # WGS-84 semi-major axis
_F = 1 / 298.257223563  # WGS-84 flattening
KM_PER_MILE = 1.609344
# Beyond ~160 degrees of arc (17,800 km) Lambert's formula degrades towards the antipode.
_LAMBERT_MAX_SIGMA = 2.8


def _haversine_central_angle(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * asin(min(1.0, sqrt(h)))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Ellipsoidal distance by Lambert's formula: within ~0.01 % of the geodesic.

    Plain haversine can be off by up to 0.5 %; Lambert's correction for the
    flattening costs a few more multiplications and needs no library.
    """
    p1, p2 = radians(lat1), radians(lat2)
    l1, l2 = radians(lon1), radians(lon2)
    # Reduced (parametric) latitudes.
    b1 = atan((1 - _F) * tan(p1))
    b2 = atan((1 - _F) * tan(p2))
    sigma = _haversine_central_angle(b1, l1, b2, l2)
    if sigma == 0.0:
        return 0.0
    if sigma > _LAMBERT_MAX_SIGMA:  # near-antipodal (never within the US): Lambert fails
        # geopy's own geodesic engine (~20 ms to import), needed only here.
        from geographiclib.geodesic import Geodesic

        return float(Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"]) / 1000
    p, q = (b1 + b2) / 2, (b2 - b1) / 2
    x = (sigma - sin(sigma)) * (sin(p) * cos(q)) ** 2 / cos(sigma / 2) ** 2
    y = (sigma + sin(sigma)) * (cos(p) * sin(q)) ** 2 / sin(sigma / 2) ** 2
    return _A_KM * (sigma - _F / 2 * (x + y))


def km_to_miles(km: float) -> float:
    return km / KM_PER_MILE


def miles_to_km(miles: float) -> float:
    return miles * KM_PER_MILE


def to_km(value: float, units: str) -> float:
    """A distance given in `units` (mi or km), in km."""
    return value if units == "km" else miles_to_km(value)


def from_km(km: float, units: str) -> float:
    """A distance in km, in `units` (mi or km)."""
    return km if units == "km" else km_to_miles(km)


def shown_distance(km: float, units: str) -> float:
    """The distance as the user reads it: tenths under 10, whole units from 10 on. Two
    clinics at one shown distance are at equal distance, so ranking ties follow it."""
    value = from_km(km, units)
    return round(value, 1) if round(value, 1) < 10 else float(round(value))


# How people write a unit after a distance, and what it means.
UNIT_WORDS = {
    "mi": "mi", "mile": "mi", "miles": "mi",
    "km": "km", "kms": "km", "kilometer": "km", "kilometers": "km",
    "kilometre": "km", "kilometres": "km",
}  # fmt: skip
_DISTANCE = re.compile(
    r"\s*([+-]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+))\s*([a-z]*)\.?\s*",
    re.IGNORECASE,
)


def parse_distance(text: str, name: str = "the distance") -> tuple[float, str | None]:
    """'100', '100 mi', '160km', '1,000 miles' → (value, 'mi' | 'km' | None when no unit).
    The sign is kept: whether a distance may be negative is the caller's to say."""
    found = _DISTANCE.fullmatch(text)
    unit = UNIT_WORDS.get(found[2].lower()) if found else None
    if not found or (found[2] and unit is None):
        raise UsageProblem(
            f"{name} {text.strip()[:40]!r} is not a distance", hint="e.g. 100, 100 mi or 160 km"
        )
    return float(found[1].replace(",", "")), unit


def bounding_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a box holding every point within `km`.

    Generous on purpose (a degree of latitude is at least 110.5 km), so a box
    query never misses a point that the exact distance would keep.
    """
    dlat = km / 110.5
    min_lat, max_lat = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    widest = max(abs(min_lat), abs(max_lat))
    if widest >= 89.0 or km >= 5000:
        return min_lat, max_lat, -180.0, 180.0
    dlon = km / (111.0 * cos(radians(widest)))
    if lon - dlon < -180 or lon + dlon > 180:  # crosses the antimeridian: take every longitude
        return min_lat, max_lat, -180.0, 180.0
    return min_lat, max_lat, lon - dlon, lon + dlon
