"""The bundled clinic data keeps its promises; broken clinic files are reported by line."""

import csv
from pathlib import Path

import pytest

from clinicfinder.bundled import data_path
from clinicfinder.catalog import COLUMNS, bundled_clinics, data_date, find_clinic, read_clinics
from clinicfinder.errors import DataError, UnknownClinic
from clinicfinder.gazetteer import default_gazetteer
from clinicfinder.vocab import CONDITIONS, ROUTES


def test_every_clinic_cites_a_source():
    clinics = bundled_clinics()
    assert len(clinics) >= 400
    for c in clinics:
        assert c.source_url.startswith(("http://", "https://")), c.id
        assert c.collected


def test_ids_are_unique_and_readable():
    ids = [c.id for c in bundled_clinics()]
    assert len(ids) == len(set(ids))
    for i in ids:
        assert i == i.lower() and " " not in i and i.strip("-") == i


def test_vocabularies():
    for c in bundled_clinics():
        assert set(c.routes) <= set(ROUTES), c.id
        assert set(c.conditions) <= set(CONDITIONS), c.id
        assert c.status in {"active", "closed", "unverified"}


def test_no_coordinate_finer_than_the_source_supports():
    """ZIP precision sits on that ZIP's centroid; city precision on that city; else none."""
    gaz = default_gazetteer()
    for c in bundled_clinics():
        if c.precision == "zip":
            z = gaz.zip(c.postal_code)
            assert z and (round(z.lat, 5), round(z.lon, 5)) == (c.lat, c.lon), c.id
        elif c.precision == "city":
            assert c.city, c.id
            t = gaz.towns(c.city, c.state)[0]
            assert (round(t.lat, 5), round(t.lon, 5)) == (c.lat, c.lon), c.id
        else:
            assert c.lat is None and c.lon is None, c.id


def test_rows_without_a_city_are_kept_unplaced():
    unplaced = [c for c in bundled_clinics() if not c.city]
    assert unplaced and all(c.precision == "none" for c in unplaced)


def test_data_date_is_the_newest_collected():
    assert data_date(bundled_clinics()) == max(c.collected for c in bundled_clinics())


def test_find_clinic():
    first = bundled_clinics()[0]
    assert find_clinic(first.id, bundled_clinics()) is first
    with pytest.raises(UnknownClinic):
        find_clinic("no-such-clinic", bundled_clinics())


def _write(tmp_path: Path, rows: list[dict[str, str]], columns=COLUMNS) -> Path:
    path = tmp_path / "clinics.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def _row(**over: str) -> dict[str, str]:
    with data_path("clinics.csv").open(encoding="utf-8", newline="") as f:
        return {**next(csv.DictReader(f)), **over}


def test_reads_a_well_formed_file(tmp_path):
    assert len(read_clinics(_write(tmp_path, [_row(), _row(id="other")]))) == 2


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"lat": "north"}, "not a number"),
        ({"lat": "123"}, "outside"),
        ({"status": "open?"}, "unknown status"),
        ({"precision": "street"}, "unknown precision"),
        ({"lat": "", "lon": ""}, "disagree"),
    ],
)
def test_bad_rows_are_reported_with_file_and_line(tmp_path, over, message):
    path = _write(tmp_path, [_row(), _row(**over)])
    with pytest.raises(DataError, match=message) as err:
        read_clinics(path)
    assert err.value.line == 3
    assert str(err.value).startswith(f"{path}:3: ")


def test_missing_columns(tmp_path):
    path = _write(tmp_path, [_row()], columns=[c for c in COLUMNS if c != "source_url"])
    with pytest.raises(DataError, match="missing column"):
        read_clinics(path)


def test_unreadable_files(tmp_path):
    with pytest.raises(DataError, match="cannot read"):
        read_clinics(tmp_path / "absent.csv")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DataError, match="UTF-8"):
        read_clinics(binary)
