"""`export`: every format carries the whole dataset; CSV can't run formulas in a spreadsheet;
nothing the user had is written over; the HSDS package validates with frictionless."""

import csv
import io
import json
import shutil
from collections import Counter
from importlib.resources import files
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from clinicfinder.output import hsds
from clinicfinder.output.text import spreadsheet_safe
from tests.conftest import assert_one_line_error, bundled_clinics, make

HYPERLINK = '=HYPERLINK("https://example.org","fixture")'
# Synthetic rows (plainly fixtures) at a real gazetteer place; their names are formulas.
MINE = (
    "id,name,city,state,phone,status,source_url\n"
    f'fixture-formula,"{HYPERLINK.replace(chr(34), chr(34) * 2)}",Wichita,KS,,active,'
    "https://example.org/a\n"
    'fixture-plus,"  +1 fixture",Wichita,KS,316-555-0101,unverified,https://example.org/b\n'
    'fixture-tab,"\t=1 fixture",,KS,,closed,https://example.org/c\n'
)
REFERENCE = Path(__file__).resolve().parents[2] / "shared/reference/hsds/datapackage.json"


@pytest.fixture
def mine(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(MINE, encoding="utf-8")
    return path


def _schema_validator(name):
    schemas = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in files("clinicfinder.output").joinpath("schemas").iterdir()
        if p.name.endswith(".schema.json")
    ]
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)
    return Draft202012Validator({"$ref": f"urn:clinicfinder:schema:{name}"}, registry=registry)


def _rows(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _count(fmt, out):
    if fmt == "json":
        return len(json.loads(out.read_text(encoding="utf-8"))["clinics"])
    if fmt == "geojson":
        return len(json.loads(out.read_text(encoding="utf-8"))["features"])
    if fmt == "csv":
        return len(_rows(out))
    return len(_rows(out / "organizations.csv"))


@pytest.mark.parametrize("fmt", ["json", "csv", "geojson", "hsds"])
def test_each_format_writes_the_whole_dataset(cli, tmp_path, mine, fmt):
    out = tmp_path / f"out.{fmt}"
    result = cli("export", "--format", fmt, str(out), "--data", str(mine))
    assert result.exit_code == 0, result.stderr
    total = len(bundled_clinics()) + 3
    assert _count(fmt, out) == total
    assert result.stdout == ""
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith(f"clinicfinder: wrote {total} clinics to {out}")


def test_only_the_data_files_with_no_bundled(cli, tmp_path, mine):
    out = tmp_path / "mine.json"
    result = cli("export", "-f", "json", str(out), "--data", str(mine), "--no-bundled")
    assert result.exit_code == 0, result.stderr
    assert _count("json", out) == 3


def test_json_and_geojson_carry_the_same_records_as_every_other_output(cli, tmp_path, mine):
    cli("export", "--format", "json", str(tmp_path / "a.json"), "--data", str(mine))
    cli("export", "--format", "geojson", str(tmp_path / "a.geojson"), "--data", str(mine))
    doc = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    geo = json.loads((tmp_path / "a.geojson").read_text(encoding="utf-8"))
    assert doc["schema_version"] == 2
    clinic = _schema_validator("defs#/$defs/clinic")
    for record in doc["clinics"][:50] + doc["clinics"][-3:]:
        clinic.validate(record)
    _schema_validator("geojson").validate(geo)
    assert [f["properties"] for f in geo["features"]] == doc["clinics"]
    for feature in geo["features"]:
        props = feature["properties"]
        if props["lat"] is None:
            assert feature["geometry"] is None
        else:
            assert feature["geometry"]["coordinates"] == [props["lon"], props["lat"]]


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1 316 555 0101", "'+1 316 555 0101"),
        ("-2", "-2"),  # a plain number is not a formula
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\rx", "'\rx"),
        ("  +1", "'  +1"),
        (" \t =1", "' \t =1"),
        ("Wichita", "Wichita"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_spreadsheet_safe(cell, safe):
    assert spreadsheet_safe(cell) == safe


def test_csv_formula_cells_are_neutralised_and_raw_keeps_them(cli, tmp_path, mine):
    safe, raw = tmp_path / "safe.csv", tmp_path / "raw.csv"
    assert cli("export", "-f", "csv", str(safe), "--data", str(mine)).exit_code == 0
    assert cli("export", "-f", "csv", str(raw), "--data", str(mine), "--raw").exit_code == 0
    names = {r["id"]: r["name"] for r in _rows(safe)}
    assert names["fixture-formula"] == "'" + HYPERLINK
    assert names["fixture-plus"] == "'+1 fixture"  # the loader strips the spaces
    assert names["fixture-tab"] == "'=1 fixture"
    raw_rows = {r["id"]: r for r in _rows(raw)}
    assert raw_rows["fixture-formula"]["name"] == HYPERLINK
    assert raw_rows["fixture-plus"]["phone"] == "316-555-0101"
    every_cell = [c for r in _rows(safe) for c in r.values()]
    assert not [c for c in every_cell if c.lstrip()[:1] in ("=", "+", "@")]
    numbers = [r for r in _rows(safe) if r["lon"]]
    assert all(float(r["lon"]) < 0 for r in numbers)  # numbers stay numbers


def test_raw_is_only_for_csv(cli, tmp_path):
    result = cli("export", "-f", "json", str(tmp_path / "a.json"), "--raw")
    assert_one_line_error(result, 2, "--raw")


def test_format_is_required(cli, tmp_path):
    result = cli("export", str(tmp_path / "a.json"))
    assert_one_line_error(result, 2, "--format")


def test_an_existing_folder_with_files_needs_force(cli, tmp_path):
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    refused = cli("export", "--format", "hsds", str(folder))
    assert_one_line_error(refused, 2, "folder with files in it", "--force")
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    forced = cli("export", "--format", "hsds", str(folder), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (folder / "datapackage.json").is_file()


def test_an_empty_folder_is_fine_and_a_file_is_not_a_folder(cli, tmp_path, mine):
    (tmp_path / "empty").mkdir()
    assert cli("export", "--format", "hsds", str(tmp_path / "empty")).exit_code == 0
    result = cli("export", "--format", "hsds", str(mine), "--data", str(mine))
    assert_one_line_error(result, 2, "is a file")
    assert mine.read_text(encoding="utf-8") == MINE


@pytest.mark.parametrize("fmt", ["json", "csv", "geojson"])
def test_the_data_file_is_never_the_output(cli, mine, fmt):
    result = cli("export", "--format", fmt, str(mine), "--data", str(mine))
    assert_one_line_error(result, 2, "also an input")
    assert mine.read_text(encoding="utf-8") == MINE


def test_a_data_file_inside_the_package_folder_is_never_written_over(cli, tmp_path):
    folder = tmp_path / "pkg"
    folder.mkdir()
    inside = folder / "organizations.csv"
    inside.write_text(MINE, encoding="utf-8")
    result = cli("export", "-f", "hsds", str(folder), "--data", str(inside), "--force")
    assert_one_line_error(result, 2, "also an input")
    assert sorted(p.name for p in folder.iterdir()) == ["organizations.csv"]  # nothing written
    assert inside.read_text(encoding="utf-8") == MINE


def test_hsds_ids_are_the_same_in_every_export(cli, tmp_path):
    for name in ("one", "two"):
        assert cli("export", "-f", "hsds", str(tmp_path / name)).exit_code == 0
    for table in hsds.TABLES:
        first = (tmp_path / "one" / table.path).read_bytes()
        assert first == (tmp_path / "two" / table.path).read_bytes(), table.path


def test_hsds_keeps_only_what_it_can_say_truly():
    clinics = [
        make(
            id="a",
            street="1 Example St",
            postal_code="67202",
            phone="316-555-0101",
            more_sources=("https://example.org/older",),
        ),
        make(id="u", status="unverified"),
        make(id="c", status="closed"),
        make(id="n", lat=None, lon=None, precision="none", city=""),
    ]
    package = hsds.build(clinics)
    rows = package.rows
    assert len(rows["organization"]) == 4
    assert [s["status"] for s in rows["service"]] == ["active", "inactive", "active"]
    assert len(rows["service_at_location"]) == 2  # n has no coordinates, so no location
    assert package.left_out == Counter({"service": 1, "address": 2})  # u and c: no street
    assert len(rows["location"]) == 3 and len(rows["address"]) == 1
    sources = {"https://example.org/fixture", "https://example.org/older"}
    assert sources <= {a["value"] for a in rows["attribute"]}
    assert len({r["id"] for table in rows.values() for r in table}) == sum(map(len, rows.values()))


def test_hsds_validates_with_frictionless(cli, tmp_path, mine):
    frictionless = pytest.importorskip("frictionless")
    folder = tmp_path / "pkg"
    result = cli("export", "--format", "hsds", str(folder), "--data", str(mine))
    assert result.exit_code == 0, result.stderr
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])

    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert "CC BY-SA 4.0" in package["credit"] and "Open Referral" in package["credit"]
    assert "© Open Referral" in (folder / "README.md").read_text(encoding="utf-8")
    tables = {r["name"]: _rows(folder / r["path"]) for r in package["resources"]}
    for resource in package["resources"]:
        required = [f["name"] for f in resource["schema"]["fields"] if f["constraints"]["required"]]
        for row in tables[resource["name"]]:
            assert all(row[name].strip() for name in required), (resource["name"], row)
    ids = {name: {r["id"] for r in rows} for name, rows in tables.items()}
    for location in tables["location"]:  # every location is placed: a real lat/lon
        assert -90 <= float(location["latitude"]) <= 90
        assert -180 <= float(location["longitude"]) <= 180
    for phone in tables["phone"]:
        assert phone["organization_id"] in ids["organization"]
        assert phone["location_id"] in ids["location"] | {""}
        assert phone["service_id"] in ids["service"] | {""}
    sources = {r["value"] for r in tables["attribute"]}
    assert {"https://example.org/a", "https://example.org/b"} <= sources
    assert len(tables["organization"]) == len(bundled_clinics()) + 3
    assert "services (status unverified)" in result.stderr  # counted, not claimed active


def test_frictionless_would_catch_a_broken_foreign_key(cli, tmp_path):
    """The check above means something: a phone pointing at no organization fails it."""
    frictionless = pytest.importorskip("frictionless")
    folder = tmp_path / "pkg"
    assert cli("export", "--format", "hsds", str(folder)).exit_code == 0
    broken = tmp_path / "broken"
    shutil.copytree(folder, broken)
    phones = _rows(broken / "phones.csv")
    phones[0]["organization_id"] = "00000000-0000-4000-8000-000000000000"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(phones[0]))
    writer.writeheader()
    writer.writerows(phones)
    (broken / "phones.csv").write_text(buffer.getvalue(), encoding="utf-8", newline="")
    report = frictionless.validate(str(broken / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {e.type for task in report.tasks for e in task.errors}


@pytest.mark.skipif(not REFERENCE.is_file(), reason="the HSDS reference copy isn't here")
def test_hsds_tables_are_the_reference_schemas():
    """Our compact copies say exactly what HSDS 3.0's datapackage.json says."""
    reference = {
        r["name"]: r for r in json.loads(REFERENCE.read_text(encoding="utf-8"))["resources"]
    }
    for table in hsds.TABLES:
        theirs = reference[table.name]
        ours = hsds.schema(table)
        assert table.path == theirs["path"] and table.description == theirs["description"]
        keep = ("name", "type", "format", "constraints")
        assert ours["fields"] == [
            {k: f[k] for k in keep if k in f} for f in theirs["schema"]["fields"]
        ], table.name
        assert ours["primaryKey"] == theirs["schema"]["primaryKey"]
        assert ours.get("foreignKeys", []) == theirs["schema"].get("foreignKeys", [])
    for table in hsds.TABLES:  # every table a foreign key points at is in the package
        for _field, resource in table.foreign_keys:
            assert resource in {t.name for t in hsds.TABLES}
