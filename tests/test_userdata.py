"""`data validate` and loading a user's own clinic files with --data / CLINICFINDER_DATA."""

import json
import os
import re

import pytest

from clinicfinder.bundled import data_path
from clinicfinder.clinics.validate import validate_files

# Synthetic rows (plainly named as examples) at real gazetteer places.
GOOD = (
    "name,city,state,postal_code,website,phone,routes,source_url\n"
    "Example Practice One,Wichita,KS,67202,https://one.example.org,316-555-0101,iv,https://one.example.org/about\n"
)


def write(tmp_path, text, name="mine.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_bundled_data_has_no_errors():
    report = validate_files([data_path("clinics.csv")])
    assert report.rows >= 400
    assert report.errors == 0, [str(p) for p in report.problems if p.severity == "error"]


def test_validate_command_on_the_bundled_data(cli):
    result = cli("data", "validate")
    assert result.exit_code == 0
    assert result.stderr.startswith("OK: ")
    for line in result.stdout.splitlines():
        assert re.match(r"^.+:\d+: warning: ", line), line


BAD = (
    "id,name,city,state,postal_code,website,phone,routes,conditions,lat,lon,precision,"
    "source_url,extra\n"
    "dup,Example A,Wichita,KS,67202,https://a.example.org,316-555-0100,iv,,,,,https://a.example.org,x\n"
    "dup,Example B,Wichita,KS,,https://b.example.org,,teleport,,,,,https://b.example.org,x\n"
    "c,Example C,Wichita,KS,,not-a-url,,,,40.7,-74.0,city,https://c.example.org,x\n"
    "d,Example D,Wichita,KS,10001,https://d.example.org,,,flu,,,,https://d.example.org,x\n"
    "e,Example E,Wichita,KS,,https://a.example.org,316 555 0100,,,,,,https://e.example.org,x\n"
)


def test_every_problem_is_reported_with_its_line(tmp_path):
    report = validate_files([write(tmp_path, BAD)])
    messages = [str(p) for p in report.problems]
    assert any(":1: warning: unknown column 'extra'" in m for m in messages)
    assert any(":3: error: duplicate id 'dup'" in m for m in messages)
    assert any(":3: error: unknown route 'teleport'" in m for m in messages)
    assert any(":4: error: website 'not-a-url'" in m for m in messages)
    assert any(":4: error: coordinates 40.7,-74 are outside Kansas" in m for m in messages)
    assert any(":5: error: ZIP 10001 is in NY, not KS" in m for m in messages)
    assert any(":5: error: unknown condition 'flu'" in m for m in messages)
    assert any(":6: warning: same website (a.example.org) and city" in m for m in messages)
    assert any(":6: warning: same phone (3165550100)" in m for m in messages)
    assert report.errors >= 6


def test_validate_exits_1_on_errors_and_0_on_warnings_only(cli, tmp_path):
    bad = cli("data", "validate", str(write(tmp_path, BAD)))
    assert bad.exit_code == 1 and bad.stderr.startswith("FAILED")
    twice = GOOD + GOOD.splitlines()[1].replace("One,", "Uno,") + "\n"
    warn = cli("data", "validate", str(write(tmp_path, twice, "warn.csv")))
    assert warn.exit_code == 0 and "warning: same website" in warn.stdout


def test_validate_json(cli, tmp_path):
    result = cli("data", "validate", str(write(tmp_path, BAD)), "--json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 1
    assert doc["errors"] >= 6 and doc["rows"] == 5
    assert {"file", "line", "severity", "message"} == set(doc["problems"][0])


def test_validate_several_files_and_a_broken_one(cli, tmp_path):
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"\xff\xfe garbage")
    result = cli("data", "validate", str(write(tmp_path, GOOD)), str(broken))
    assert result.exit_code == 1
    assert f"{broken}:1: error: not UTF-8" in result.stdout


def test_near_with_a_user_file_alongside_the_bundled_data(cli_json, tmp_path):
    path = write(tmp_path, GOOD)
    doc = cli_json("near", "67202", "--data", str(path))
    names = [r["name"] for r in doc["results"]]
    assert "Example Practice One" in names
    assert len(names) >= 2  # the bundled Wichita clinic too
    mine = next(r for r in doc["results"] if r["name"] == "Example Practice One")
    assert mine["precision"] == "zip" and mine["id"] == "example-practice-one-wichita-ks"


def test_near_with_only_the_user_file(cli_json, tmp_path):
    doc = cli_json("near", "67202", "--data", str(write(tmp_path, GOOD)), "--no-bundled")
    assert [r["name"] for r in doc["results"]] == ["Example Practice One"]
    assert doc["data"]["clinics_searched"] == 1


def test_user_files_from_the_environment(cli, tmp_path):
    a = write(tmp_path, GOOD, "a.csv")
    # Another practice: its own name, site and phone (one sharing a phone in the same city
    # would be the same clinic, listed once).
    other = GOOD.replace("One", "Two").replace("one.", "two.").replace("0101", "0102")
    b = write(tmp_path, other, "b.csv")
    env = {"CLINICFINDER_DATA": os.pathsep.join([str(a), str(b)])}
    result = cli("near", "67202", "--json", "--no-bundled", env=env)
    assert result.exit_code == 0, result.stderr
    assert {r["name"] for r in json.loads(result.stdout)["results"]} == {
        "Example Practice One",
        "Example Practice Two",
    }


def test_show_finds_a_user_clinic(cli_json, tmp_path):
    doc = cli_json("show", "example-practice-one-wichita-ks", "--data", str(write(tmp_path, GOOD)))
    assert doc["clinic"]["website"] == "https://one.example.org"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (GOOD.replace(",iv,", ",teleport,"), "mine.csv:2: unknown route 'teleport'"),
        ("name,city\n", None),  # header only: no clinics, not an error
        ("", "mine.csv: the file is empty"),
    ],
)
def test_bad_user_files_are_one_line_with_file_and_line(cli, tmp_path, content, fragment):
    path = write(tmp_path, content)
    result = cli("near", "67202", "--data", str(path))
    if fragment is None:
        assert result.exit_code == 0
        return
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0] and "Traceback" not in result.stderr


def test_no_bundled_needs_a_file(cli):
    result = cli("near", "67202", "--no-bundled")
    assert result.exit_code == 2 and "--data" in result.stderr


def test_a_user_id_may_not_shadow_a_bundled_one(cli, tmp_path):
    path = write(
        tmp_path,
        "id,name,city,state\nadvanced-infusion-and-wellness-center-wichita-ks,X,Wichita,KS\n",
    )
    result = cli("near", "67202", "--data", str(path))
    assert result.exit_code == 1 and "already used by the bundled data" in result.stderr


def test_a_row_that_repeats_a_bundled_clinic_is_named_by_its_line(cli, tmp_path):
    data = tmp_path / "dup.csv"
    data.write_text(
        "name,city,state\nAdvanced Infusion and Wellness Center,Wichita,KS\n", encoding="utf-8"
    )
    result = cli("near", "Wichita, KS", "--data", str(data))
    assert result.exit_code == 1
    assert f"{data}:2:" in result.stderr and "an id of its own" in result.stderr
