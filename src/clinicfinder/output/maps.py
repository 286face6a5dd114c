"""`near --map FILE.html`: one self-contained page showing the origin and the ranked clinics.

Leaflet is inlined from vendor/ (no CDN), the data is embedded as JSON that
can't close the script tag, and every label is set as text in the browser —
so the page works offline (markers and a list, without tiles) and nothing in a
clinic record can inject markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

from clinicfinder import __version__
from clinicfinder.output.results import distance_text
from clinicfinder.output.search import search_notices
from clinicfinder.output.text import NOT_ADVICE, ROUTE_SHORT, format_distance, phone_text
from clinicfinder.records.models import Search
from clinicfinder.records.vocab import PRECISION_LABELS
from clinicfinder.userdirs import write_output

LEAFLET_VERSION = "1.9.4"


def _script_safe_json(data: Any) -> str:
    """JSON that is inert inside <script>: no '<', '>' or '&' survive as such."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page(search: Search, units: str) -> str:
    origin = search.origin
    data = {
        "title": f"Clinics near {origin.label}",
        "subtitle": (
            f"{PRECISION_LABELS[origin.precision]}; within "
            f"{format_distance(search.radius_km, units)}; {len(search.matches)} shown. "
            + NOT_ADVICE
        ),
        "origin": {
            "lat": origin.lat,
            "lon": origin.lon,
            "label": origin.label,
            "precision": PRECISION_LABELS[origin.precision],
        },
        "clinics": [
            {
                "rank": m.rank,
                "name": m.clinic.name,
                "eligibility": m.clinic.eligibility,
                "lat": m.clinic.lat,
                "lon": m.clinic.lon,
                "distance": distance_text(m, units),  # "~" where it is to a centre
                "city": m.clinic.city,
                "state": m.clinic.state,
                "phone": phone_text(m.clinic),
                "website": m.clinic.website,
                "routes": ", ".join(ROUTE_SHORT.get(r, r) for r in m.clinic.routes),
                "status": m.clinic.status,
            }
            for m in search.matches
        ],
        "notices": search_notices(search, units),
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
    }
    template = here.joinpath("templates/map.html").read_text(encoding="utf-8")
    # One pass: what is filled in is never scanned again for placeholders.
    pattern = "|".join(re.escape(k) for k in fills)
    return re.sub(pattern, lambda m: fills[m[0]], template)


def write_map(search: Search, units: str, path: Path, inputs: Sequence[Path] = ()) -> None:
    """Write the page to `path` (never over one of the command's `inputs`)."""
    write_output(path, page(search, units).encode("utf-8"), inputs)
