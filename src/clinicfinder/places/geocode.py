"""Turn what a person types ("Wichita, KS", "67202", "37.7,-97.3") into a Place, offline.

No network: everything resolves against the bundled gazetteer. A street address
falls back to its ZIP or city, and the Place says so. One clear misspelling of a
town is corrected, and the Place's note says so.
"""

from __future__ import annotations

import re
import unicodedata

from clinicfinder.errors import LocationNotFound, UsageProblem, brief
from clinicfinder.places.coords import looks_like_coordinates, parse_coordinates
from clinicfinder.places.gazetteer import Gazetteer, Town, default_gazetteer, place_key
from clinicfinder.places.regions import kind_word, region_code, regions
from clinicfinder.records.models import Place

MAX_QUERY_CHARS = 200
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
    return looks_like_coordinates(clean_query(text))


# What people type when they mean where they are, which an offline tool can't know.
HERE_WORDS = frozenset(
    {"me", "here", "near me", "near here", "around me", "around here", "my location",
     "current location", "my current location", "my area", "nearby", "close to me"}
)  # fmt: skip
SAVE_HINT = (
    "clinicfinder works offline and can't tell where you are: give a place, "
    "near 'Wichita, KS', or save yours once: clinicfinder config set location 'Wichita, KS'"
)


def means_here(text: str) -> bool:
    """'me', 'here', 'my location'…: the person's own location, not a place name.
    'ME' in capitals is Maine's code and stays a place."""
    query = clean_query(text)
    return query != "ME" and place_key(query) in HERE_WORDS


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
    if means_here(query):
        raise LocationNotFound(f"{brief(query)} isn't a place name", hint=SAVE_HINT)
    nickname = NICKNAMES.get(place_key(query)) if nicknames else None
    if nickname is not None:
        named = locate(nickname, gazetteer, nicknames=False)
        note = f"{query!r} read as {named.label}"
        if place_key(query) == "la":
            note += "; for Louisiana, type Louisiana"
        return named._replace(query=query, note=note)
    coords = parse_coordinates(query)
    gaz = gazetteer or default_gazetteer()
    if coords:
        return _point(gaz, query, *coords)
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
                    f"'{query}' is read as the {kind_word(state.code)}; for the city, "
                    f"try '{same_name[0].name}, {same_name[0].state}'"
                )
            return Place(
                query,
                state.name,
                state.lat,
                state.lon,
                "state",
                f"offline gazetteer: {kind_word(state.code)} centre (mean of its ZIP centroids)",
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
    city = (rest if state_code else text).rpartition(",")[2].strip()
    close = _close_names(gaz, city, state_code)
    if len(close) == 1 and _clearly(city, close[0]):  # one clear misspelling: search it
        town = gaz.towns(close[0], state_code)[0]
        note = f"{brief(city)} read as {town.name}, {town.state}"
        return _town_place(query, town, _with_choice(note, gaz.towns(close[0]), state_code))
    raise _not_found(query, state_code, city, close)


def _with_choice(note: str, towns: list[Town], state_code: str | None) -> str:
    """A corrected name with no state given may be in several: say which was taken."""
    others = sorted({t.state for t in towns} - {towns[0].state})
    if state_code or not others:
        return note
    return f"{note} (the most populous; also in {', '.join(others[:3])})"


def _choice_note(towns: list[Town], text: str, candidate: str) -> str | None:
    codes = {t.state for t in towns}
    others = sorted(codes - {towns[0].state})
    if others:
        top = towns[0]
        where = (
            "states"
            if not any(kind_word(c) == "territory" for c in codes)
            else ("states and territories")
        )
        return (
            f"{len(others) + 1} {where} have a place called {top.name}; using the most "
            f"populous, in {top.state} — add a state to pick another, e.g. "
            f"'{top.name}, {others[0]}'"
        )
    return _street_note(text, candidate)


CLOSE_ENOUGH = 0.8  # difflib's ratio to suggest a name; 'Albuquerqe' ~ 'Albuquerque' is 0.95
CLEARLY = 0.85  # and to search it unasked ('Atlantis' ~ 'Atlanta' is 0.8: only suggested)


def _clearly(typed: str, name: str) -> bool:
    """A misspelling clear enough to search: five letters or more, and close."""
    import difflib

    ratio = difflib.SequenceMatcher(None, typed.title(), name).ratio()
    return len(place_key(typed)) >= 5 and ratio >= CLEARLY


def _close_names(gaz: Gazetteer, city: str, state_code: str | None) -> list[str]:
    """Place names spelt like `city` (up to three, closest first). Only suggestions for
    a short word (under five letters), where one letter changes the place."""
    import difflib  # only when a name was not found

    close = difflib.get_close_matches(
        city.title(), gaz.town_names(state_code), n=4, cutoff=CLOSE_ENOUGH
    )
    distinct = {place_key(name): name for name in reversed(close)}  # St./Saint: one place
    return sorted(distinct.values(), key=close.index)[:3]


def _not_found(query: str, state_code: str | None, city: str, close: list[str]) -> LocationNotFound:
    if state_code and city:
        message = f"no place called {brief(city)} in {state_code}"
    else:
        message = f"couldn't find a US place called {brief(query)}"
    hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else _FORMAT_HINT
    return LocationNotFound(message, hint=hint)


def coarse_point(place: Place) -> tuple[float, float] | None:
    """The most a registry may be told about where the user is, decided by the place's
    precision and never by who placed it: for a state or territory, its centre; for
    anything finer (a ZIP, a city, an address, exact coordinates, an online answer
    however it was labelled) the centre of the nearest ZIP, a point the gazetteer
    ships, so nothing the user typed or a geocoder returned is passed on. None when no
    ZIP centre is near (the point is outside the US)."""
    region = regions().get(place.state or "")
    if place.precision == "state" and region is not None:
        return round(region.lat, 4), round(region.lon, 4)
    area = default_gazetteer().nearest_zip(place.lat, place.lon)
    return (round(area.lat, 4), round(area.lon, 4)) if area else None
