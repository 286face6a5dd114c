"""Write a synthetic clinic file for scale tests: N rows, plainly marked as not real.

    python bench/synthetic.py 100000 -o /tmp/synthetic-100k.csv

Every row sits on a real ZIP centroid from the bundled gazetteer (so searches
find them where people live), but names, websites and ids say "synthetic" and
the URLs are on example.org: nothing here is a clinic, and nothing here may be
mixed into the real data.
"""

from __future__ import annotations

import argparse
import csv
import random
import sqlite3
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from clinicfinder.clinics.files import COLUMNS  # noqa: E402
from clinicfinder.records.vocab import CONDITIONS, ROUTES  # noqa: E402


def generate(rows: int, out: Path, seed: int = 7) -> None:
    rng = random.Random(seed)
    db = sqlite3.connect(REPO / "data" / "gazetteer.sqlite")
    zips = db.execute("SELECT zip, city, state, lat, lon FROM zips ORDER BY zip").fetchall()
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for n in range(rows):
            code, city, state, lat, lon = rng.choice(zips)
            writer.writerow(
                {
                    "id": f"synthetic-{n:06d}",
                    "name": f"Synthetic Clinic {n:06d} (not a real clinic)",
                    "city": city,
                    "state": state,
                    "postal_code": code,
                    "country": "US",
                    "website": f"https://example.org/synthetic/{n}",
                    "routes": ";".join(rng.sample(list(ROUTES), rng.randint(1, 3))),
                    "conditions": ";".join(rng.sample(list(CONDITIONS), rng.randint(0, 4))),
                    "status": "active",
                    "lat": f"{lat:.5f}",
                    "lon": f"{lon:.5f}",
                    "precision": "zip",
                    "source_url": f"https://example.org/synthetic/{n}",
                    "location_evidence": "synthetic test row",
                    "notes": "synthetic row for benchmarks; not a real clinic",
                    "collected": "2026-01-01",
                }
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("-o", "--out", type=Path, required=True)
    args = parser.parse_args()
    generate(args.rows, args.out)
    print(f"wrote {args.rows} synthetic rows to {args.out}")


if __name__ == "__main__":
    main()
