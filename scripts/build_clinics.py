"""Build the bundled clinic data from the project's own gathered records.

    python scripts/build_clinics.py            # rewrite the three files below in data/
    python scripts/build_clinics.py --check    # write nothing; exit 1 if data/ is out of date
    python scripts/build_clinics.py --out DIR  # write them into DIR instead
                                               # (with --check: compare with DIR's)

Reads data/sources/*.csv (one row per page per clinic; see data/sources/README.md),
applies edits.csv and copy-hosts.csv, joins twins, merges each clinic's pages
(merge.py says how), places it offline at the finest level its pages support (the
ZIP centroid, else the city centre, else nowhere, and says which), and writes:

    data/clinics.csv          one row per clinic, its newest source in the row
    data/clinic-sources.csv   every source of every clinic, with what it supports
    data/clinic-checks.csv    every re-check recorded in edits.csv (`checked` rows), for `show`

Nothing outside this repository is read. It prints what it dropped, what it could
not place, where sources disagree, and the validator's findings; it exits 1 if
the validator finds an error.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from clinicfinder.clinics.checks import CHECK_COLUMNS, parse_reason  # noqa: E402
from clinicfinder.clinics.gathered import read_gathered  # noqa: E402
from clinicfinder.clinics.ids import place  # noqa: E402
from clinicfinder.clinics.merge import (  # noqa: E402
    is_description,
    join_twins,
    mark_central_lines,
    merge,
)
from clinicfinder.clinics.sources import SOURCE_COLUMNS  # noqa: E402
from clinicfinder.clinics.validate import validate_files  # noqa: E402
from clinicfinder.places.gazetteer import Gazetteer  # noqa: E402
from clinicfinder.records.models import CLINIC_COLUMNS  # noqa: E402
from clinicfinder.records.vocab import counted  # noqa: E402

SOURCES = REPO / "data" / "sources"
FIRST = SOURCES / "2026-11-27-first-gathering.csv"  # its record ids are the ones users know


DATA = REPO / "data"
BUILT = ("clinics.csv", "clinic-sources.csv", "clinic-checks.csv")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DATA, help="folder to write into (data/)")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if --out differs from a build"
    )
    args = parser.parse_args(argv)
    if not args.check:
        return build(args.out)
    with tempfile.TemporaryDirectory() as tmp:
        code = build(Path(tmp))
        stale = [n for n in BUILT if (Path(tmp) / n).read_bytes() != _bytes(args.out / n)]
    for name in stale:
        print(f"{args.out / name} is out of date: run python scripts/build_clinics.py")
    return code or (1 if stale else 0)


def build(out: Path) -> int:
    """Build the two files into `out`; 1 if the validator finds an error."""
    gathered = read_gathered(SOURCES)
    with FIRST.open(encoding="utf-8", newline="") as f:
        known = [r["record"] for r in csv.DictReader(f)]
    join_twins(gathered, prefer=known)
    clinics = merge(gathered)
    gaz = Gazetteer(str(REPO / "data" / "gazetteer.sqlite"))
    counts: Counter[str] = Counter()
    unplaced = []
    rows = []
    # A listing needs a name a page states: not none, not a web address or a description.
    nameless = [m.record for m in clinics if not m.row["name"] or is_description(m.row["name"])]
    clinics = [m for m in clinics if m.record not in nameless]
    mark_central_lines(clinics)
    for m in clinics:
        lat, lon, precision = place(m.row, gaz)
        counts[precision] += 1
        if precision == "none" and (m.row["city"] or m.row["street"]):
            unplaced.append(f"  {m.record}: {m.row['city']}, {m.row['state']}")
        others = ";".join(s.url for s in m.sources if s.url != m.row["source_url"])
        rows.append({**m.row, "id": m.record, "lat": lat or "", "lon": lon or "",
                     "precision": precision, "more_sources": others})  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "clinics.csv", CLINIC_COLUMNS, rows)
    _write(
        out / "clinic-sources.csv",
        SOURCE_COLUMNS,
        [
            {"id": m.record, "url": s.url, "date": s.date, "date_basis": s.date_basis,
             "evidence": s.evidence, "supports": ";".join(s.supports), "quote": s.quote}
            for m in clinics
            for s in m.sources
        ],
    )  # fmt: skip
    ids = {m.record for m in clinics}
    checks = sorted(
        (record, day, *parse_reason(reason))
        for record, day, reason in gathered.checks
        if record in ids
    )
    _write(
        out / "clinic-checks.csv",
        CHECK_COLUMNS,
        [dict(zip(CHECK_COLUMNS, check, strict=True)) for check in checks],
    )
    print(f"{len(gathered.rows)} gathered rows → {len(rows)} clinics; placed: {dict(counts)}")
    print(f"dropped {counted(len(gathered.dropped), 'row')} citing copies or removed sources")
    if nameless:
        print("left out, no page states a name:", ", ".join(nameless))
    lost = {m.record for m in clinics}
    for message in [c for m in clinics for c in m.conflicts][:40]:
        print("  disagreement:", message)
    if unplaced:
        print("named a place the gazetteer doesn't know:", *unplaced, sep="\n")
    report = validate_files([out / "clinics.csv"])
    for problem in report.problems:
        print(problem)
    print(
        f"validate: {counted(report.errors, 'error')}, {counted(report.warnings, 'warning')}; "
        f"{len(lost)} ids"
    )
    return 1 if report.errors else 0


def _bytes(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


def _write(path: Path, columns: tuple[str, ...], rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="raise", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    sys.exit(main())
