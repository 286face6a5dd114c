"""The benchmark's synthetic data is plainly fake, on real places, and valid."""

import csv
import sys
from pathlib import Path

from clinicfinder.clinics.validate import validate_files

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from synthetic import generate


def test_synthetic_rows_are_marked_and_valid(tmp_path):
    path = tmp_path / "synthetic.csv"
    generate(300, path)
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 300
    assert all("not a real clinic" in r["name"] for r in rows)
    assert all(r["website"].startswith("https://example.org/") for r in rows)
    report = validate_files([path])
    assert report.errors == 0, [str(p) for p in report.problems][:5]
