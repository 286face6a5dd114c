"""Build data/us-states.geojson, the state outlines `near --map` draws offline.

Run at development time only, from a GeoJSON copy of the US Census Bureau's
cartographic boundary file of the states at 1:20,000,000:

    python scripts/build_outlines.py cb_2018_us_state_20m.geojson

Source: "cb_2018_us_state_20m" (the 50 states, DC and Puerto Rico), US Census Bureau,
https://www2.census.gov/geo/tiger/GENZ2018/shp/cb_2018_us_state_20m.zip — a work of
the US government, in the public domain. The copy read here is that shapefile converted to
GeoJSON, unchanged, in the public repository Adoucett/demos
(https://github.com/Adoucett/demos/blob/d931b2810f90d9623cd4f8ad5213bcb984653c98/cb_2018_us_state_20m.geojson,
SHA-256 below); its properties are the Census file's own (STATEFP, STUSPS, NAME…).

Changes made here, all recorded in the output's "changes" member and in data/README.md:
1. Simplified with Douglas-Peucker at TOLERANCE degrees, topology kept: every ring is cut
   into arcs where borders meet, and an arc two states share is simplified once, so
   neighbours still meet exactly (no slivers or overlaps).
2. Coordinates rounded to PRECISION decimals (about 100 m); islands smaller than
   MIN_ISLAND square degrees dropped.
3. Alaska's Aleutian islands west of 180° given longitudes below -180, so they draw beside
   Alaska instead of at the far edge of the world.
4. Properties reduced to the USPS code and the name.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE_SHA256 = "a207dd82399defcecec58dd7df22d26045c218089ca368fec3676d6fcd3f556d"
TOLERANCE = 0.02  # degrees: ~2 km, under a pixel at the zoom a state fills the screen
PRECISION = 3
MIN_ISLAND = 0.0005  # square degrees: ~5 km², a speck at any zoom the map opens at

Point = tuple[float, float]


def _rings(geometry: dict) -> list[list[list[Point]]]:
    """Polygons as lists of rings (outer first), whatever the geometry type."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return [[[(p[0], p[1]) for p in ring] for ring in polygon] for polygon in polygons]


def _junctions(rings: list[list[Point]]) -> set[Point]:
    """Points where borders meet or part: a point with neighbours that differ by ring."""
    seen: dict[Point, set[frozenset[Point]]] = {}
    for ring in rings:
        body = ring[:-1]  # closed: the last point repeats the first
        for i, point in enumerate(body):
            pair = frozenset((body[i - 1], body[(i + 1) % len(body)]))
            seen.setdefault(point, set()).add(pair)
    return {point for point, pairs in seen.items() if len(pairs) > 1}


def _douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """Keep the ends; keep any point further than `tolerance` from the chord, recursively."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = (dx * dx + dy * dy) ** 0.5
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                distance = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            else:
                distance = abs(dy * px - dx * py + bx * ay - by * ax) / length
            if distance > worst:
                worst, index = distance, i
        if worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


class Simplifier:
    """Simplifies arcs once each, so a border two states share comes out the same."""

    def __init__(self, junctions: set[Point], tolerance: float) -> None:
        self.junctions = junctions
        self.tolerance = tolerance
        self.done: dict[tuple[Point, ...], list[Point]] = {}

    def arc(self, points: list[Point]) -> list[Point]:
        key, backwards = tuple(points), tuple(reversed(points))
        if backwards < key:  # one direction stands for both
            return list(reversed(self.arc(list(backwards))))
        if key not in self.done:
            self.done[key] = _douglas_peucker(points, self.tolerance)
        return self.done[key]

    def ring(self, ring: list[Point]) -> list[Point]:
        body = ring[:-1]
        cuts = [i for i, p in enumerate(body) if p in self.junctions]
        if not cuts:  # an island: anchor at its first point and the point furthest from it
            far = max(range(len(body)), key=lambda i: _dist2(body[0], body[i]))
            half = self.arc([*body[: far + 1]]) + self.arc([*body[far:], body[0]])[1:]
            return half
        start = cuts[0]
        rotated = body[start:] + body[:start] + [body[start]]
        cut_at = [i - start if i >= start else i - start + len(body) for i in cuts] + [len(body)]
        out: list[Point] = [rotated[0]]
        for a, b in itertools.pairwise(cut_at):
            out += self.arc(rotated[a : b + 1])[1:]
        return out


def _dist2(a: Point, b: Point) -> float:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def _area(ring: list[Point]) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring))) / 2


def _round(ring: list[Point]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, PRECISION), round(y, PRECISION)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def build(source: Path, out: Path) -> dict[str, int]:
    raw = source.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SOURCE_SHA256:
        raise SystemExit(f"{source}: SHA-256 {digest}, expected {SOURCE_SHA256}")
    features = json.loads(raw)["features"]
    every_ring = [ring for f in features for poly in _rings(f["geometry"]) for ring in poly]
    simplifier = Simplifier(_junctions(every_ring), TOLERANCE)
    kept, points_in, points_out = [], 0, 0
    for feature in sorted(features, key=lambda f: f["properties"]["STUSPS"]):
        code = feature["properties"]["STUSPS"]
        polygons = []
        for polygon in _rings(feature["geometry"]):
            if _area(polygon[0]) < MIN_ISLAND:
                continue
            rings = []
            for ring in polygon:
                points_in += len(ring)
                simple = _round(simplifier.ring(ring))
                if len(simple) >= 4 and (not rings or _area(simple) >= MIN_ISLAND):
                    rings.append(simple)
            if rings:
                polygons.append(rings)
        if code == "AK":  # west of the antimeridian: keep beside the rest of Alaska
            for polygon in polygons:
                for ring in polygon:
                    for point in ring:
                        if point[0] > 0:
                            point[0] = round(point[0] - 360, PRECISION)
        points_out += sum(len(r) for p in polygons for r in p)
        kept.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": feature["properties"]["NAME"]},
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
        )
    document = {
        "type": "FeatureCollection",
        "source": "US Census Bureau, cartographic boundary file cb_2018_us_state_20m "
        "(public domain), https://www2.census.gov/geo/tiger/GENZ2018/shp/cb_2018_us_state_20m.zip",
        "changes": f"simplified (Douglas-Peucker, {TOLERANCE} degrees, shared borders kept "
        f"together), rounded to {PRECISION} decimals, islands under {MIN_ISLAND} square "
        "degrees dropped, Aleutians west of 180 degrees shifted by -360, properties reduced "
        "to code and name; by scripts/build_outlines.py",
        "features": kept,
    }
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(out)
    return {"states": len(kept), "points in": points_in, "points out": points_out}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="cb_2018_us_state_20m as GeoJSON")
    parser.add_argument("-o", "--out", type=Path, default=REPO / "data" / "us-states.geojson")
    args = parser.parse_args()
    counts = build(args.source, args.out)
    size = args.out.stat().st_size / 1e3
    print(f"wrote {args.out} ({size:.0f} kB): " + ", ".join(f"{v} {k}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
