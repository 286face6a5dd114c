"""The bundled clinic data keeps its promises; broken clinic files are reported by line."""

import csv
import json
from pathlib import Path

import pytest

from clinicfinder.bundled import data_path
from clinicfinder.clinics.catalog import MemoryCatalog
from clinicfinder.clinics.files import COLUMNS
from clinicfinder.clinics.load import bundled_catalog, load_catalog, read_clinics
from clinicfinder.clinics.lookup import find_clinic
from clinicfinder.errors import DataError, UnknownClinic
from clinicfinder.places.gazetteer import default_gazetteer
from clinicfinder.records.vocab import AGES, CONDITIONS, PAYMENTS, PHONE_SCOPES, ROUTES, STATUSES
from tests.conftest import BASE, bundled_clinics


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
        assert c.status in STATUSES, c.id
        assert set(c.ages) <= set(AGES), c.id
        assert set(c.payment) <= set(PAYMENTS), c.id
        assert c.phone_scope in {"", *PHONE_SCOPES}, c.id
        assert c.phone_scope == "" or c.phone, c.id


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


def test_the_indexed_catalogue_answers_like_the_list(tmp_path):
    """The cached SQLite index and a plain scan agree on every question searches ask."""
    indexed, plain = bundled_catalog(), MemoryCatalog(bundled_clinics())
    assert type(indexed).__name__ == "IndexedCatalog"  # the cache dir is writable here
    assert indexed.placed_count() == plain.placed_count()
    assert indexed.newest_collected() == plain.newest_collected()
    assert indexed.size() == plain.size() == len(bundled_clinics())
    some = [c.id for c in bundled_clinics()[:700:7]] + ["no-such-id"]
    assert indexed.ids_among(some) == plain.ids_among(some) == set(some) - {"no-such-id"}
    assert sorted(c.id for c in indexed.all()) == sorted(c.id for c in plain.all())
    for lat, lon, km in [(37.69, -97.34, 80), (40.7, -74.0, 30), (61.2, -149.9, 500)]:
        assert {c.id for c in indexed.near(lat, lon, km)} == {
            c.id for c in plain.near(lat, lon, km)
        }
    for code in ("KS", "GA", "CA"):
        assert sorted(indexed.unranked_in(code), key=lambda c: c.id) == sorted(
            plain.unranked_in(code), key=lambda c: c.id
        )
    first = bundled_clinics()[0]
    assert indexed.get(first.id) == first
    assert list((tmp_path / "cache").glob("clinics-*.sqlite"))


def test_a_corrupt_index_is_rebuilt(tmp_path):
    bundled_catalog()
    (index,) = (tmp_path / "cache").glob("clinics-*.sqlite")
    index.write_bytes(b"not a database")
    assert bundled_catalog().placed_count() == MemoryCatalog(bundled_clinics()).placed_count()


def test_an_unwritable_cache_still_searches(tmp_path, monkeypatch):
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setenv("CLINICFINDER_CACHE_DIR", str(blocker / "cache"))
    catalog = bundled_catalog()
    assert isinstance(catalog, MemoryCatalog)
    assert catalog.placed_count() > 300


def test_find_clinic():
    first = bundled_clinics()[0]
    assert find_clinic(first.id, bundled_catalog()) == first
    with pytest.raises(UnknownClinic):
        find_clinic("no-such-clinic", bundled_catalog())


def _write(tmp_path: Path, rows: list[dict[str, str]], columns=COLUMNS, name="c.csv") -> Path:
    path = tmp_path / name
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
        ({"lat": "nan"}, "outside"),
        ({"status": "open?"}, "unknown status"),
        ({"precision": "exact"}, "unknown precision"),
        ({"precision": ""}, "without a precision"),
        ({"lat": ""}, "both lat and lon"),
        ({"routes": "iv;teleport"}, "unknown route 'teleport'"),
        ({"conditions": "flu"}, "unknown condition 'flu'"),
        ({"state": "ZZ"}, "unknown state"),
        ({"website": "not a url"}, "well-formed"),
        ({"postal_code": "1234"}, "5-digit"),
        ({"collected": "last week"}, "not a date"),
        ({"name": ""}, "name is empty"),
        ({"lat": "40.7", "lon": "-74.0"}, "outside Arizona"),
    ],
)
def test_bad_rows_are_reported_with_file_and_line(tmp_path, over, message):
    path = _write(tmp_path, [_row(), _row(id="second", **over)])
    with pytest.raises(DataError, match=message) as err:
        read_clinics(path)
    assert err.value.line == 3
    assert str(err.value).startswith(f"{path}:3: ")


def test_a_minimal_user_file_is_placed_and_given_ids(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        "name,city,state,postal_code,source_url\n"
        "Example Zip Practice,Wichita,KS,67202,https://example.org/a\n"
        "Example City Practice,Wichita,KS,,https://example.org/b\n"
        "Example Nowhere Practice,,KS,,https://example.org/c\n",
        encoding="utf-8",
    )
    zip_row, city_row, nowhere = read_clinics(path)
    assert (zip_row.precision, city_row.precision, nowhere.precision) == ("zip", "city", "none")
    assert zip_row.id == "example-zip-practice-wichita-ks"
    assert nowhere.lat is None and nowhere.status == "active"


def test_json_files_report_the_line_of_the_bad_record(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(
        '{"clinics": [\n'
        '  {"name": "Example A", "city": "Wichita", "state": "KS", "routes": ["iv", "kap"]},\n'
        '  {"name": "Example B", "state": "KS",\n'
        '   "routes": ["teleport"]}\n'
        "]}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="unknown route") as err:
        read_clinics(path)
    assert err.value.line == 3
    path.write_text('[{"name": "Example A", "city": "Wichita", "state": "KS", "routes": ["iv"]}]')
    (clinic,) = read_clinics(path)
    assert clinic.routes == ("iv",) and clinic.precision == "city"


def test_ids_must_be_unique_within_and_across_files(tmp_path):
    path = _write(tmp_path, [_row(id="same"), _row(id="same")])
    with pytest.raises(DataError, match="duplicate id 'same' \\(first at line 2\\)"):
        read_clinics(path)
    bundled_id = bundled_clinics()[0].id
    clash = _write(tmp_path, [_row(id=bundled_id)], name="clash.csv")
    with pytest.raises(DataError, match="already used by the bundled data") as err:
        load_catalog([clash])
    assert err.value.line == 2


def test_load_catalog_with_and_without_the_bundled_data(tmp_path):
    own = {"name": "Example Own Practice", "phone": "", "website": ""}  # no bundled clinic
    mine = _write(tmp_path, [_row(id="mine-1", **own)])
    assert load_catalog([mine]).size() == len(bundled_clinics()) + 1
    assert [c.id for c in load_catalog([mine], bundled=False).all()] == ["mine-1"]


def test_a_file_row_that_is_a_bundled_clinic_joins_it(tmp_path):
    """Issue 20: a clinic in a --data file that is already listed appears once, under the
    listed id, with both sources (the newer first)."""
    first = bundled_clinics()[0]
    page = "https://example.org/newer-page"
    mine = _write(tmp_path, [_row(id="mine-1", source_url=page, source_date="2099-01-01")])
    catalog = load_catalog([mine])
    assert catalog.size() == len(bundled_clinics())
    assert catalog.get("mine-1") == catalog.get(first.id)
    joined = [c for c in catalog.all() if c.name == first.name and c.city == first.city]
    assert [c.id for c in joined] == [first.id]
    assert joined[0].source_url == page and first.source_url in joined[0].more_sources


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        (b"", "empty", None),
        (b"   \n\n", "empty", None),
        (b"\x00\x01\x02binary", "binary", None),
        (b"name,city\nCaf\xe9 Clinic,Wichita\n", "not UTF-8", 2),
        (b"id,city\nx,Wichita\n", "missing column 'name'", 1),
        (b"foo,bar\n1,2\n", "is this a clinic file", 1),
        (b"name,city\nA,B,C\n", "more fields", 2),
        (b'name,city\n"unterminated,Wichita\n', "malformed CSV", None),
        (b'[{"name": "A"},', "malformed JSON", 1),
        (b'{"name": "A"}', "expected a JSON array", 1),
        (b'["just text"]', "must be a JSON object", 1),
        (b'[{"name": "A", "lat": true}]', "should be text", 1),
    ],
)
def test_broken_files_say_what_and_where(tmp_path, content, message, line):
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message) as err:
        read_clinics(path)
    if line is not None:
        assert err.value.line == line


def test_a_spreadsheet_bom_is_fine(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfname,city,state\nExample,Wichita,KS\n")
    assert read_clinics(path)[0].name == "Example"


def test_unreadable_files(tmp_path):
    with pytest.raises(DataError, match="cannot read"):
        read_clinics(tmp_path / "absent.csv")


def test_a_changed_file_gets_a_fresh_index_and_the_old_one_goes(tmp_path):
    """Issue 23: every edited version of a --data file used to leave its index forever."""
    path = _write(tmp_path, [_row(id="first")], name="mine.csv")
    assert [c.id for c in load_catalog([path], bundled=False).all()] == ["first"]
    other = _write(tmp_path, [_row(id="other")], name="other.csv")
    assert load_catalog([other], bundled=False).size() == 1
    for n in range(2, 5):
        path = _write(tmp_path, [_row(id=f"v{i}") for i in range(n)], name="mine.csv")
        assert [c.id for c in load_catalog([path], bundled=False).all()][-1] == f"v{n - 1}"
    # the newest index of each file is kept, the older versions' are gone
    assert len(list((tmp_path / "cache").glob("clinics-*.sqlite"))) == 2


def test_the_index_folder_is_bounded(tmp_path, monkeypatch):
    from clinicfinder.clinics import index

    monkeypatch.setattr(index, "MAX_INDEXES", 3)
    for n in range(6):
        load_catalog([_write(tmp_path, [_row(id=f"f{n}")], name=f"f{n}.csv")], bundled=False)
    assert len(list((tmp_path / "cache").glob("clinics-*.sqlite"))) == 3


def test_big_files_remember_their_hash_by_stat(tmp_path):
    from clinicfinder.clinics.index import content_key, file_digest

    big = tmp_path / "big.csv"
    big.write_bytes(b"name\n" + b"Example\n" * 700_000)  # ~5.6 MB
    key = content_key(big)
    assert key == file_digest(big)
    assert (tmp_path / "cache" / "hashes.sqlite").exists()
    assert content_key(big) == key  # remembered
    big.write_bytes(b"name\n" + b"Example\n" * 700_001)
    assert content_key(big) != key  # a new size (and mtime) is a new file


def test_an_unwritable_cache_is_said_once_and_the_search_goes_on(cli, tmp_path, monkeypatch):
    """No silent fall-back: the user hears why this run reads the file into memory."""
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setenv("CLINICFINDER_CACHE_DIR", str(blocker / "cache"))
    result = cli("near", "67202", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["results"]
    (line,) = [line for line in result.stderr.splitlines() if "search index" in line]
    assert "can't write or open the search index" in line and "into memory" in line
    assert str(blocker / "cache") in line


@pytest.mark.parametrize(
    ("phone", "digits"),
    [("801-613-9843 x1", "8016139843"), ("(801) 613-9843 ext. 12", "8016139843"),
     ("+1 801 613 9843", "8016139843"), ("1-801-613-9843", "8016139843"),
     ("613-9843", ""), ("844-782-6963 extension 4", "8447826963")],
)  # fmt: skip
def test_one_phone_reading_for_joins_twins_fills_and_links(phone, digits):
    """An extension is not part of the number: "801-613-9843 x1" and "801-613-9843" are one
    line (the last-ten-digits rule read it as 0161398431 and never joined them)."""
    from clinicfinder.clinics.keys import join_keys
    from clinicfinder.records.models import phone_digits

    assert phone_digits(phone) == digits
    keys = join_keys(BASE._replace(phone=phone, website=""))
    assert (f"phone:{digits}" in keys) == bool(digits)
