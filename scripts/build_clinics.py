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
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from clinicfinder.clinics.ids import assign_ids, place  # noqa: E402
from clinicfinder.clinics.files import COLUMNS  # noqa: E402
from clinicfinder.clinics.validate import check_row  # noqa: E402
from clinicfinder.places.gazetteer import Gazetteer  # noqa: E402

DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "clinics-sourced.csv"


def build(source: Path, out: Path) -> tuple[dict[str, int], list[str]]:
    with source.open(encoding="utf-8", newline="") as f:
        rows = [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]
    gaz = Gazetteer(str(REPO / "data" / "gazetteer.sqlite"))
    problems: list[str] = []
    counts = {"zip": 0, "city": 0, "none": 0}
    out_rows = []
    for line, (row, cid) in enumerate(zip(rows, assign_ids(rows), strict=True), start=2):
        lat, lon, precision = place(row, gaz)
        counts[precision] += 1
        lat_text = "" if lat is None else f"{lat:.5f}"
        lon_text = "" if lon is None else f"{lon:.5f}"
        built = {**row, "id": cid, "lat": lat_text, "lon": lon_text, "precision": precision}
        errors, warnings = check_row(built, gaz)
        if row["city"] and precision != "city" and not row["postal_code"]:
            warnings.append(f"no place {row['city']!r} in {row['state']}; left unplaced")
        problems += [f"{line}: error: {m}" for m in errors]
        problems += [f"{line}: warning: {m}" for m in warnings]
        out_rows.append(built)
    out_rows.sort(key=lambda r: r["id"])
    tmp = out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, extrasaction="raise", lineterminator="\n")
        writer.writeheader()
        writer.writerows(out_rows)
    tmp.replace(out)
    return counts, problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("-o", "--out", type=Path, default=REPO / "data" / "clinics.csv")
    args = parser.parse_args()
    counts, problems = build(args.source, args.out)
    for p in problems:
        print(f"{args.source}:{p}", file=sys.stderr)
    total = sum(counts.values())
    print(
        f"wrote {args.out}: {total} clinics — " + ", ".join(f"{v} {k}" for k, v in counts.items())
    )


if __name__ == "__main__":
    main()
