"""Coordinates as people paste them: from a map app, a web page or a GPS.

Accepted, with or without a comma between the two, in any case:

    40.7128, -74.0060          (Google Maps' "copy", OpenStreetMap)
    40.7128° N, 74.0060° W     (Apple Maps, most web pages)
    40°42'46"N 74°00'22"W      (degrees, minutes, seconds; also with primes)
    40° 42.767' N, 74° 0.367' W
    N 40.7128 W 74.0060        (GPS units: the letter first)
    40.7128, -74.0060 with U+2212 or a dash for the minus (as Wikipedia prints it)

With hemisphere letters the order doesn't matter ("74.0060 W, 40.7128 N"); without
them the first number is the latitude. A text shaped like coordinates but impossible
(latitude 95, 61 minutes, two latitudes) is a UsageProblem that says which part is
wrong; a text not shaped like coordinates at all gives None, so it can be a place name.
"""

from __future__ import annotations

import re
from functools import cache

from clinicfinder.errors import UsageProblem

# Minus signs people paste: ASCII, the Unicode minus (Wikipedia), en and em dashes.
MINUS_SIGNS = "-\u2212\u2013\u2014"
_SIGNS = r"+\-\u2212\u2013\u2014"  # the same, as a character class
_DEGREE = "°\u00ba\u02da"  # degree, masculine ordinal, ring above
_MINUTE = "'\u2032\u2019\u2018"  # apostrophe, prime, curly quotes
_SECOND = '"\u2033\u201d\u201c'  # quote, double prime, curly double quotes
_NUM = r"\d{1,3}(?:\.\d+)?"
_SMALL = r"\d{1,2}(?:\.\d+)?"


def _part(p: str) -> str:
    """The pattern of one coordinate, its groups named with the prefix `p`."""
    return (
        rf"(?P<{p}h1>[NSEW])?\s*"
        rf"(?P<{p}sign>[{_SIGNS}])?\s*"
        rf"(?P<{p}deg>{_NUM})\s*(?:[{_DEGREE}]|deg\b|d\b)?\s*"
        rf"(?:(?P<{p}min>{_SMALL})\s*[{_MINUTE}m]\s*"
        rf"(?:(?P<{p}sec>{_SMALL})\s*(?:''|[{_SECOND}s])\s*)?)?"
        rf"(?({p}h1)|(?P<{p}h2>[NSEW](?![A-Z]))?)"  # a letter before or after, not both
    )


# Between the two: a comma (or ; or /), spaces, or nothing before a letter or sign.
_BETWEEN = rf"\s*(?:[,;/]\s*|\s+|(?<=[NSEW])|(?=[NSEW{_SIGNS}]))"
_TWO_NUMBERS = re.compile(r"\d\D+\d")  # what every pair of coordinates has, checked first


@cache
def _coordinates() -> re.Pattern[str]:
    """Compiled on first need (~2 ms): a place name never pays for it."""
    return re.compile(
        rf"^\s*[(\[]?\s*{_part('a')}{_BETWEEN}{_part('b')}\s*[)\]]?\s*$", re.IGNORECASE
    )


_HINT = "e.g. 40.7128, -74.0060 or 40.7128° N, 74.0060° W"


def looks_like_coordinates(text: str) -> bool:
    """Shaped like coordinates (even impossible ones): never a place name to look up."""
    return bool(_TWO_NUMBERS.search(text) and _coordinates().match(text))


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """(lat, lon) from pasted coordinates; None when the text isn't coordinates at all."""
    found = _TWO_NUMBERS.search(text) and _coordinates().match(text)
    if not found:
        return None
    parts = [_value(found, p) for p in "ab"]
    hemispheres = [h for _, h in parts]
    if hemispheres[0] is None and hemispheres[1] is None:
        (lat, _), (lon, _) = parts
    else:
        axes = [_axis(h) for h in hemispheres]
        if axes[0] is None:
            axes[0] = "lon" if axes[1] == "lat" else "lat"
        if axes[1] is None:
            axes[1] = "lon" if axes[0] == "lat" else "lat"
        if axes[0] == axes[1]:
            word = "latitudes" if axes[0] == "lat" else "longitudes"
            raise UsageProblem(f"these coordinates give two {word}", hint=_HINT)
        values = {axis: value for axis, (value, _) in zip(axes, parts, strict=True)}
        lat, lon = values["lat"], values["lon"]
    if not -90 <= lat <= 90:
        raise UsageProblem(f"latitude {lat:g} is out of range (-90 to 90)", hint=_HINT)
    if not -180 <= lon <= 180:
        raise UsageProblem(f"longitude {lon:g} is out of range (-180 to 180)", hint=_HINT)
    return lat, lon


def _axis(hemisphere: str | None) -> str | None:
    if hemisphere is None:
        return None
    return "lat" if hemisphere in "NS" else "lon"


def _value(found: re.Match[str], p: str) -> tuple[float, str | None]:
    """One number, signed, and its hemisphere letter if it had one."""
    hemisphere = (found[f"{p}h1"] or found[f"{p}h2"] or "").upper() or None
    degrees, minutes, seconds = found[f"{p}deg"], found[f"{p}min"], found[f"{p}sec"]
    if minutes is not None and "." in degrees:
        raise UsageProblem("degrees with a fraction can't also have minutes", hint=_HINT)
    if minutes is not None and seconds is not None and "." in minutes:
        raise UsageProblem("minutes with a fraction can't also have seconds", hint=_HINT)
    for name, value in (("minutes", minutes), ("seconds", seconds)):
        if value is not None and float(value) >= 60:
            raise UsageProblem(f"{name} must be under 60, not {value}", hint=_HINT)
    value = float(degrees) + float(minutes or 0) / 60 + float(seconds or 0) / 3600
    negative = (found[f"{p}sign"] or "+") in MINUS_SIGNS
    if negative and hemisphere in ("N", "E"):
        raise UsageProblem(f"a minus sign and {hemisphere} disagree", hint=_HINT)
    if negative or hemisphere in ("S", "W"):
        value = -value
    return value, hemisphere
