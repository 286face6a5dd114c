"""Turn what a person types ("Wichita, KS", "67202", "37.7,-97.3") into a Place, offline.

No network: everything resolves against the bundled gazetteer. A street address
falls back to its ZIP or city, and the Place says so.
"""

from __future__ import annotations

import re
import unicodedata

from clinicfinder.errors import LocationNotFound, UsageProblem, brief
from clinicfinder.places.gazetteer import Gazetteer, Town, default_gazetteer, place_key
from clinicfinder.places.regions import region_code, regions
from clinicfinder.records.models import Place

MAX_QUERY_CHARS = 200
_NUMBER = r"[+-]?\d{1,3}(?:\.\d+)?"
_COORDS = re.compile(rf"^({_NUMBER})\s*(?:,\s*|\s+)({_NUMBER})$")
_ZIP = re.compile(r"^(\d{5})(?:-?\d{4})?$")
_TRAILING_ZIP = re.compile(r"(?:^|[\s,])(\d{5})(?:-\d{4})?$")
_FORMAT_HINT = "try a ZIP code (67202), 'City, ST' (Wichita, KS) or coordinates (37.69,-97.34)"


def clean_query(text: str) -> str:
    """Collapse whitespace and drop control/format characters (RTL overrides, escapes);
    any script's digits (full-width, Arabic-Indic…) read as the ASCII digits of a ZIP."""
    kept = (
        " " if unicodedata.category(c)[0] in "CZ" else str(unicodedata.decimal(c, c)) for c in text
    )
    return " ".join("".join(kept).split())


def checked_query(text: str) -> str:
    """The query as cleaned, checked the same way whether it stays here or goes online."""
    query = clean_query(text)
    if not query:
        raise UsageProblem("the location is empty", hint=_FORMAT_HINT)
    if len(query) > MAX_QUERY_CHARS:
        raise UsageProblem(
            f"the location is too long ({len(query)} characters; at most {MAX_QUERY_CHARS})",
            hint=_FORMAT_HINT,
        )
    return query


def is_coordinates(text: str) -> bool:
    return bool(_COORDS.match(clean_query(text)))


# What people call a city, as the gazetteer names it. "LA" alone means Los Angeles here
# (as a state code after a city it is still Louisiana: "Baton Rouge, LA").
NICKNAMES = {
    "nyc": "New York, NY", "new york city": "New York, NY", "the big apple": "New York, NY",
    "dc": "Washington, DC", "philly": "Philadelphia, PA",
    "sf": "San Francisco, CA", "san fran": "San Francisco, CA", "la": "Los Angeles, CA",
    "vegas": "Las Vegas, NV", "nola": "New Orleans, LA", "chi town": "Chicago, IL",
    "slc": "Salt Lake City, UT", "okc": "Oklahoma City, OK", "abq": "Albuquerque, NM",
    "atl": "Atlanta, GA", "h town": "Houston, TX", "the twin cities": "Minneapolis, MN",
}  # fmt: skip


def locate(text: str, gazetteer: Gazetteer | None = None, *, nicknames: bool = True) -> Place:
    """Resolve a location typed by a person; raise LocationNotFound or UsageProblem."""
    query = checked_query(text)
    nickname = NICKNAMES.get(place_key(query)) if nicknames else None
    if nickname is not None:
        named = locate(nickname, gazetteer, nicknames=False)
        note = f"{query!r} read as {named.label}"
        if place_key(query) == "la":
            note += "; for Louisiana, type Louisiana"
        return named._replace(query=query, note=note)
    coords = _COORDS.match(query)
    gaz = gazetteer or default_gazetteer()
    if coords:
        return _point(gaz, query, float(coords[1]), float(coords[2]))
    zip_only = _ZIP.match(query)
    if zip_only:
        place = _zip_place(gaz, query, zip_only[1], street=False)
        if place is None:
            raise LocationNotFound(f"{zip_only[1]} is not a US ZIP code", hint=_FORMAT_HINT)
        return place
    trailing = _TRAILING_ZIP.search(query)
    if trailing:
        before = query[: trailing.start()]
        has_street = bool(re.search(r"\d", before)) or before.count(",") >= 2
        place = _zip_place(gaz, query, trailing[1], street=has_street)
        if place:
            return place
        query_wo_zip = query[: trailing.start()].strip(" ,")
    else:
        query_wo_zip = query
    return _named_place(gaz, query, query_wo_zip)


OUTSIDE_US = (
    "these coordinates are outside the US and its territories; clinicfinder lists US clinics "
    "only, so the nearest shown may be very far"
)


def _point(gaz: Gazetteer, query: str, lat: float, lon: float) -> Place:
    if not -90 <= lat <= 90:
        raise UsageProblem(f"latitude {lat:g} is out of range (-90 to 90)", hint=_FORMAT_HINT)
    if not -180 <= lon <= 180:
        raise UsageProblem(f"longitude {lon:g} is out of range (-180 to 180)", hint=_FORMAT_HINT)
    nearest = gaz.nearest_zip(lat, lon)  # which state, for telehealth and unplaced clinics
    region = regions().get(nearest.state) if nearest else None
    inside = region is not None and region.contains(lat, lon)
    return Place(
        query, f"{lat:.4f}, {lon:.4f}", lat, lon, "point", "coordinates as given",
        note=None if inside else OUTSIDE_US,
        state=region.code if inside and region else None,
    )  # fmt: skip


def _zip_place(gaz: Gazetteer, query: str, code: str, *, street: bool) -> Place | None:
    area = gaz.zip(code)
    if area is None:
        return None
    state_name = regions()[area.state].name
    note = None
    if street:
        note = (
            f"street addresses can't be located offline; searching from the centre of "
            f"ZIP {code} instead"
        )
    return Place(
        query,
        f"{area.city}, {state_name} {code}",
        area.lat,
        area.lon,
        "zip",
        "offline gazetteer: ZIP centroid (zipcodes package)",
        note,
        area.state,
    )


def _split_state(text: str) -> tuple[str | None, str]:
    """Peel a trailing state (code or name, 1-3 words) off the text → (code, rest)."""
    head, _, last = text.rpartition(",")
    words = last.split()
    for k in (3, 2, 1):
        code = region_code(" ".join(words[-k:])) if len(words) >= k else None
        if code:
            rest = " ".join(words[:-k])
            return code, ", ".join(p for p in (head.strip(" ,"), rest) if p)
    return None, text


def _candidates(text: str) -> list[str]:
    """The city part of 'street, city' or 'street city': last comma part, then its word tails."""
    last = text.rpartition(",")[2].strip()
    words = last.split()
    return [" ".join(words[i:]) for i in range(len(words))]


def _town_place(query: str, town: Town, note: str | None) -> Place:
    label = f"{town.name}, {regions()[town.state].name}"
    source = (
        "offline gazetteer: GeoNames place (CC BY 4.0)"
        if town.source == "geonames"
        else "offline gazetteer: mean of the city's ZIP centroids"
    )
    return Place(query, label, town.lat, town.lon, "city", source, note, town.state)


def _street_note(text: str, city: str) -> str | None:
    """If the text held more than the town (a street, say), tell the user it was dropped."""
    if place_key(text.rpartition(",")[2]) != place_key(city) or "," in text:
        return "street addresses can't be located offline; searching from the city centre instead"
    return None


def _named_place(gaz: Gazetteer, query: str, text: str) -> Place:
    state_code, rest = _split_state(text)
    if state_code:
        state = regions()[state_code]
        if not rest:
            note = None
            same_name = gaz.towns(state.name)
            if same_name and (
                same_name[0].population >= 100_000 or same_name[0].state == state.code
            ):
                note = (
                    f"'{query}' is read as the state; for the city, "
                    f"try '{same_name[0].name}, {same_name[0].state}'"
                )
            return Place(
                query,
                state.name,
                state.lat,
                state.lon,
                "state",
                "offline gazetteer: state centre (mean of its ZIP centroids)",
                note,
                state.code,
            )
        for candidate in _candidates(rest):
            towns = gaz.towns(candidate, state_code)
            if towns:
                return _town_place(query, towns[0], _street_note(rest, candidate))
    # No state: the text names a town somewhere. With a state that had no such town,
    # only the text as a whole may still be a town ("... Del Rey", where "De" is not Delaware).
    candidates = _candidates(text)
    for candidate in candidates[:1] if state_code else candidates:
        towns = gaz.towns(candidate)
        if towns:
            return _town_place(query, towns[0], _choice_note(towns, text, candidate))
    raise _not_found(gaz, query, state_code, rest if state_code else text)


def _choice_note(towns: list[Town], text: str, candidate: str) -> str | None:
    others = sorted({t.state for t in towns} - {towns[0].state})
    if others:
        top = towns[0]
        return (
            f"{len(others) + 1} states have a place called {top.name}; using the most "
            f"populous, in {top.state} — add a state to pick another, e.g. "
            f"'{top.name}, {others[0]}'"
        )
    return _street_note(text, candidate)


def _not_found(gaz: Gazetteer, query: str, state_code: str | None, text: str) -> LocationNotFound:
    import difflib  # only on the error path

    city = text.rpartition(",")[2].strip()
    names = gaz.town_names(state_code)
    close = difflib.get_close_matches(city.title(), names, n=3, cutoff=0.8)
    if state_code and city:
        message = f"no place called {brief(city)} in {state_code}"
    else:
        message = f"couldn't find a US place called {brief(query)}"
    hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else _FORMAT_HINT
    return LocationNotFound(message, hint=hint)


def coarse_point(place: Place) -> tuple[float, float] | None:
    """The most a registry may be told about where the user is: the gazetteer's own ZIP or
    city centre for an offline place; for anything else (an address, exact coordinates, any
    answer from an online geocoder, however it was labelled) the centre of the nearest ZIP.
    None when no ZIP centre is near (the point is outside the US)."""
    if place.precision in ("zip", "city", "state") and place.source.startswith("offline gazetteer"):
        return round(place.lat, 4), round(place.lon, 4)
    area = default_gazetteer().nearest_zip(place.lat, place.lon)
    return (round(area.lat, 4), round(area.lon, 4)) if area else None
