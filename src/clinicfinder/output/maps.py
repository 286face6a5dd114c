"""`near --map FILE.html`: one self-contained page showing the origin and the ranked clinics.

Leaflet is inlined from vendor/ (no CDN), the data is embedded as JSON that
can't close the script tag, and every label is set as text in the browser —
so nothing in a clinic record can inject markup. The page works offline: the US
state outlines shipped in the package (data/us-states.geojson, US Census Bureau,
public domain) are its base layer, and web tiles are laid on top only when the
browser can reach them. The outlines are read only here, when a map is written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

from clinicfinder import __version__
from clinicfinder.bundled import data_path
from clinicfinder.output.results import distance_text
from clinicfinder.output.search import search_notices
from clinicfinder.output.text import (
    NOT_ADVICE,
    ROUTE_SHORT,
    format_distance,
    phone_text,
    precision_label,
)
from clinicfinder.records.models import Search, phone_digits
from clinicfinder.userdirs import write_output

LEAFLET_VERSION = "1.9.4"


def _script_safe(json_text: str) -> str:
    """JSON text made inert inside <script>: no '<', '>' or '&' survive as such (they can
    only occur inside strings, where the escapes mean the same)."""
    return json_text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _script_safe_json(data: Any) -> str:
    return _script_safe(json.dumps(data, ensure_ascii=False))


STRAIGHT_LINE = "Distances are straight-line (as the crow flies), not by road."


_PHONE = re.compile(r"\s*([+\d\s().-]+?)\s*(?:(?:x|ext\.?|extension)\s*(\d{1,6}))?\s*", re.I)


def tel_uri(phone: str) -> str | None:
    """A tap-to-call link for a US number as the data writes it ("(316) 555-0100 x12");
    None when it isn't one, so nothing else is ever put behind a link."""
    found = _PHONE.fullmatch(phone)
    if not found:
        return None
    digits = phone_digits(found[1])
    if not digits:
        return None
    return f"tel:+1{digits}" + (f";ext={found[2]}" if found[2] else "")


def _distance(match: Any, units: str) -> str:
    """ "~3.2 mi straight-line" ("~" where it is to a centre), or "in Denver (city centre)"."""
    text = distance_text(match, units)
    return text if text.startswith("in ") else f"{text} straight-line"


def heading(search: Search, units: str) -> tuple[str, str]:
    """The page's title and subtitle, as the search's own heading: "within 50 mi" only
    when the results are within it."""
    origin = search.origin
    radius = format_distance(search.radius_km, units)
    if search.within_radius:
        reach = f"within {radius}; {len(search.matches)} shown"
    elif search.matches:
        reach = f"none within {radius}; the nearest {len(search.matches)} beyond it"
    else:
        reach = f"none within {radius}"
    precision = precision_label(origin)
    return (
        f"Clinics near {origin.label}",
        f"{precision}; {reach}. {STRAIGHT_LINE} {NOT_ADVICE}",
    )


TOWNS = 40  # place names offered to the map; the page shows those that fit


def unwrap(lons: list[float]) -> float:
    """What to add to the eastern-hemisphere longitudes so the points lie together: -360
    when they straddle the antimeridian (Guam and Honolulu), else 0. The outlines already
    draw the Aleutians west of -180, so everything meets on the American side."""
    return -360.0 if lons and max(lons) - min(lons) > 180 else 0.0


def towns_around(points: list[tuple[float, float]]) -> list[list[Any]]:
    """The largest towns in and around the results' box, as [name, lat, lon] (longitudes
    on the points' own side of the antimeridian): offline, the outlines alone don't say
    where a marker is."""
    from clinicfinder.places.gazetteer import default_gazetteer

    lats, lons = [p[0] for p in points], [p[1] for p in points]
    pad_lat = max(0.3, (max(lats) - min(lats)) * 0.25)
    pad_lon = max(0.4, (max(lons) - min(lons)) * 0.25)
    south, north = min(lats) - pad_lat, max(lats) + pad_lat
    west, east = min(lons) - pad_lon, max(lons) + pad_lon
    gazetteer = default_gazetteer()
    towns = [(t, 0.0) for t in gazetteer.largest_towns(south, west, north, east, TOWNS)]
    if west < -180:  # the box runs past the antimeridian: its far side too
        far = gazetteer.largest_towns(south, west + 360, north, 180, TOWNS)
        towns += [(t, -360.0) for t in far]
    towns.sort(key=lambda pair: -pair[0].population)
    return [[t.name, t.lat, round(t.lon + shift, 5)] for t, shift in towns[:TOWNS]]


def page(search: Search, units: str) -> str:
    origin = search.origin
    title, subtitle = heading(search, units)
    placed = [m for m in search.matches if m.clinic.lat is not None and m.clinic.lon is not None]
    shift = unwrap([origin.lon, *(m.clinic.lon for m in placed if m.clinic.lon is not None)])

    def lon(value: float | None) -> float | None:
        return value + shift if value is not None and value > 0 else value

    data = {
        "title": title,
        "subtitle": subtitle,
        "origin": {
            "lat": origin.lat,
            "lon": lon(origin.lon),
            "label": origin.label,
            "precision": precision_label(origin),
        },
        "clinics": [
            {
                "rank": m.rank,
                "name": m.clinic.name,
                "eligibility": m.clinic.eligibility,
                "lat": m.clinic.lat,
                "lon": lon(m.clinic.lon),
                "distance": _distance(m, units),
                "city": m.clinic.city,
                "state": m.clinic.state,
                "phone": phone_text(m.clinic),  # as shown: "(central line)" where it is one
                "tel": tel_uri(m.clinic.phone),
                "website": m.clinic.website,
                "routes": ", ".join(ROUTE_SHORT.get(r, r) for r in m.clinic.routes),
                "status": m.clinic.status,
            }
            for m in search.matches
        ],
        "notices": search_notices(search, units),
        "towns": towns_around(
            [(origin.lat, lon(origin.lon) or 0.0)]
            + [(m.clinic.lat or 0.0, lon(m.clinic.lon) or 0.0) for m in placed]
        ),
    }
    here = files("clinicfinder.output")
    leaflet = here.joinpath("vendor/leaflet")
    fills = {
        "/*LEAFLET_CSS*/": leaflet.joinpath("leaflet.css").read_text("utf-8"),
        "/*LEAFLET_JS*/": leaflet.joinpath("leaflet.js").read_text("utf-8"),
        "__TITLE__": "clinicfinder map",
        "__VERSION__": __version__,
        "__LEAFLET__": LEAFLET_VERSION,
        "__DATA__": _script_safe_json(data),
        "__OUTLINES__": _script_safe(data_path("us-states.geojson").read_text("utf-8").strip()),
    }
    template = here.joinpath("templates/map.html").read_text(encoding="utf-8")
    # One pass: what is filled in is never scanned again for placeholders.
    pattern = "|".join(re.escape(k) for k in fills)
    return re.sub(pattern, lambda m: fills[m[0]], template)


def write_map(search: Search, units: str, path: Path, inputs: Sequence[Path] = ()) -> None:
    """Write the page to `path` (never over one of the command's `inputs`)."""
    write_output(path, page(search, units).encode("utf-8"), inputs)
