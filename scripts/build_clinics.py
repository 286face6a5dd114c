"""Build data/clinics.csv from the sourced clinic records.

    python scripts/build_clinics.py [SOURCE_CSV]

SOURCE_CSV defaults to ../shared/data/clinics-sourced.csv beside the checkout.
Every source row is kept. Each clinic gets a stable, readable id and is placed
at the finest level its source supports — offline we cannot geocode a street, so:
the ZIP centroid when the source gives a ZIP, else the city (from the bundled
gazetteer), else no coordinates. The precision (zip / city / none) is stored so
nobody mistakes a city centre for a front door.

Re-run it whenever the source grows; it prints what it could not place.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from clinicfinder.catalog import COLUMNS  # noqa: E402
from clinicfinder.gazetteer import Gazetteer  # noqa: E402

DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "clinics-sourced.csv"


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub("['\u2019.]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def base_id(row: dict[str, str]) -> str:
    name, city = slug(row["name"])[:60].rstrip("-"), slug(row["city"])
    if city and f"-{city}-" in f"-{name}-":  # "Acme Ketamine (Gilbert)" needs no second Gilbert
        city = ""
    return "-".join(p for p in (name, city, row["state"].lower()) if p) or "clinic"


def assign_ids(rows: list[dict[str, str]]) -> list[str]:
    """Readable ids, unique; a clash is settled by the street, then the ZIP, then a number.

    Never by row order alone where the source offers something better, so ids
    stay put when rows are added or reordered.
    """
    bases = [base_id(r) for r in rows]
    counts: dict[str, int] = {}
    for b in bases:
        counts[b] = counts.get(b, 0) + 1
    ids: list[str] = []
    taken: set[str] = set()
    for row, b in zip(rows, bases, strict=True):
        candidate = b
        if counts[b] > 1:
            street = slug(" ".join(row["street"].split()[:3]))
            candidate = f"{b}-{street or row['postal_code'] or 'site'}"
        n = 2
        unique = candidate
        while unique in taken:
            unique = f"{candidate}-{n}"
            n += 1
        taken.add(unique)
        ids.append(unique)
    return ids


def place(row: dict[str, str], gaz: Gazetteer, warn: list[str], line: int) -> tuple[str, str, str]:
    """(lat, lon, precision) as text, at the finest level the row's source supports."""
    if row["postal_code"]:
        z = gaz.zip(row["postal_code"])
        if z and z.state == row["state"]:
            return f"{z.lat:.5f}", f"{z.lon:.5f}", "zip"
        warn.append(
            f"{line}: ZIP {row['postal_code']} is "
            + (f"in {z.state}, not {row['state']}" if z else "not in the gazetteer")
            + "; placed by city instead"
        )
    if row["city"]:
        towns = gaz.towns(row["city"], row["state"])
        if towns:
            t = towns[0]
            return f"{t.lat:.5f}", f"{t.lon:.5f}", "city"
        warn.append(f"{line}: no place {row['city']!r} in {row['state']}; left unplaced")
    return "", "", "none"


def build(source: Path, out: Path) -> tuple[dict[str, int], list[str]]:
    with source.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    gaz = Gazetteer(str(REPO / "data" / "gazetteer.sqlite"))
    warnings: list[str] = []
    ids = assign_ids(rows)
    counts = {"zip": 0, "city": 0, "none": 0}
    out_rows = []
    for line, (row, cid) in enumerate(zip(rows, ids, strict=True), start=2):
        row = {k: (v or "").strip() for k, v in row.items()}
        lat, lon, precision = place(row, gaz, warnings, line)
        counts[precision] += 1
        out_rows.append({**row, "id": cid, "lat": lat, "lon": lon, "precision": precision})
    out_rows.sort(key=lambda r: r["id"])
    tmp = out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, extrasaction="raise", lineterminator="\n")
        writer.writeheader()
        writer.writerows(out_rows)
    tmp.replace(out)
    return counts, warnings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("-o", "--out", type=Path, default=REPO / "data" / "clinics.csv")
    args = parser.parse_args()
    counts, warnings = build(args.source, args.out)
    for w in warnings:
        print(f"{args.source}:{w}", file=sys.stderr)
    total = sum(counts.values())
    print(
        f"wrote {args.out}: {total} clinics — " + ", ".join(f"{v} {k}" for k, v in counts.items())
    )


if __name__ == "__main__":
    main()
