"""The bundled listings keep issue 11's promises: dated, kinded, clean, honest status,
built only from the project's own records, and searchable by age and condition family."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clinicfinder.bundled import data_path
from clinicfinder.cli.app import app
from clinicfinder.clinics.gathered import host
from clinicfinder.clinics.load import read_clinics
from clinicfinder.places.gazetteer import place_key
from clinicfinder.records.models import earliest_day
from clinicfinder.records.vocab import EVIDENCE_KINDS
from tests.conftest import TODAY, bundled_clinics

REPO = Path(__file__).resolve().parents[1]


def copy_hosts() -> set[str]:
    with data_path("sources/copy-hosts.csv").open(encoding="utf-8") as f:
        return {r["host"] for r in csv.DictReader(f)}


def test_every_clinic_is_dated_and_says_what_kind_of_page_it_rests_on():
    for c in bundled_clinics():
        assert re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", c.source_date), c.id
        assert c.evidence in EVIDENCE_KINDS, c.id


def test_no_clinic_or_source_cites_a_copy_site():
    bad = copy_hosts()
    with data_path("clinic-sources.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            h = host(row["url"])
            assert not any(h == b or h.endswith("." + b) for b in bad), row
    assert all(host(c.source_url) not in bad for c in bundled_clinics())


def test_no_organisation_is_listed_twice_at_one_location():
    seen: dict[tuple[str, str, str, str], str] = {}
    for c in bundled_clinics():
        if not c.city:
            continue
        key = (place_key(c.name), place_key(c.city), c.state, place_key(c.street)[:12])
        assert key not in seen, f"{c.id} and {seen[key]}"
        seen[key] = c.id


def test_a_name_is_a_name():
    for c in bundled_clinics():
        assert not re.search(r"(https?://|www\.|\.com\b)", c.name, re.I), c.id


@pytest.mark.parametrize("today", [TODAY, "2027-06-01", "2030-01-15"])
def test_active_means_an_own_page_or_a_source_from_the_last_three_years(today, monkeypatch):
    """Counted on the day the command runs, not the day the data was built."""
    monkeypatch.setenv("CLINICFINDER_TODAY", today)
    cutoff = f"{int(today[:4]) - 3}{today[4:]}"
    with data_path("clinic-sources.csv").open(encoding="utf-8") as f:
        sources: dict[str, list[dict[str, str]]] = {}
        for row in csv.DictReader(f):
            sources.setdefault(row["id"], []).append(row)
    statuses: dict[str, int] = {}
    for c in read_clinics(data_path("clinics.csv"), check=False):
        statuses[c.status] = statuses.get(c.status, 0) + 1
        if c.status != "active":
            continue
        pages = sources[c.id]
        own = any(p["evidence"] in ("clinic-site", "hospital") for p in pages)
        recent = any(p["date_basis"] != "seen" and earliest_day(p["date"]) >= cutoff for p in pages)
        assert own or recent, c.id
    assert statuses["active"] and statuses["unverified"]


@pytest.mark.parametrize(
    ("today", "status"),
    [(TODAY, "active"), ("2027-01-16", "active"), ("2027-01-17", "unverified"),
     ("2030-01-15", "unverified")],
)  # fmt: skip
def test_a_listing_resting_on_dated_sources_lapses_to_unverified_when_they_age(today, status):
    """The Menninger Clinic rests on a news story of 2024-01-17: active for three years from
    it, unverified after, on whatever day the command runs (not the day of the build)."""
    shown = CliRunner().invoke(
        app, ["show", "the-menninger-clinic-houston-tx", "--json"],
        env={"CLINICFINDER_TODAY": today},
    )  # fmt: skip
    clinic = json.loads(shown.stdout)["clinic"]
    assert (clinic["status"], clinic["verified_until"]) == (status, "2027-01-17")


def test_every_clinic_has_its_sources_listed_with_what_they_support():
    with data_path("clinic-sources.csv").open(encoding="utf-8") as f:
        ids = {row["id"] for row in csv.DictReader(f) if row["supports"]}
    assert {c.id for c in bundled_clinics()} <= ids


def test_the_build_reproduces_the_bundled_data_from_the_projects_own_records():
    """scripts/build_clinics.py reads only data/sources/ and builds exactly what is shipped
    (--check builds into a temporary folder: the checkout is never written)."""
    script = (REPO / "scripts" / "build_clinics.py").read_text(encoding="utf-8")
    assert "shared" not in script
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_clinics.py"), "--check"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def test_the_build_check_catches_a_stale_file(tmp_path):
    """--check has teeth: a copy of the shipped files passes, the same with one byte
    changed fails (compared in another folder, so data/ is never touched)."""
    build = [sys.executable, str(REPO / "scripts" / "build_clinics.py"), "--check"]
    for name in ("clinics.csv", "clinic-sources.csv", "clinic-checks.csv"):
        (tmp_path / name).write_bytes(data_path(name).read_bytes())
    same = subprocess.run([*build, "--out", str(tmp_path)], capture_output=True, timeout=300)
    assert same.returncode == 0, same.stdout[-2000:]
    stale = tmp_path / "clinic-sources.csv"
    stale.write_bytes(stale.read_bytes().replace(b",", b";", 1))
    changed = subprocess.run([*build, "--out", str(tmp_path)], capture_output=True, timeout=300)
    assert changed.returncode == 1
    assert b"clinic-sources.csv is out of date" in changed.stdout


def test_max_age_keeps_only_recent_sources(cli_json):
    doc = cli_json("near", "Denver, CO", "--max-age", "3y")
    cutoff = f"{int(TODAY[:4]) - 3}{TODAY[4:]}"
    assert doc["results"]
    assert all(earliest_day(r["source_date"]) >= cutoff for r in doc["results"])


def test_a_small_town_far_from_clinics_is_offered_telehealth(cli):
    out = cli("near", "Elko, NV")
    assert out.exit_code == 0
    assert "Also available by telehealth in Nevada" in out.stdout


def test_a_related_condition_is_offered_not_dropped(cli_json):
    doc = cli_json(
        "near", "Garden City, KS", "--condition", "treatment-resistant-depression",
        "--radius", "250",
    )  # fmt: skip
    wichita = [r for r in doc["results"] if r["city"] == "Wichita"]
    assert wichita and wichita[0]["condition_match"] == "related"
    assert wichita[0]["related_via"] == "depression"


@pytest.mark.parametrize("bad", ["0y", "3h", "-1y", "soon", ""])
def test_max_age_rejects_what_is_not_an_age(cli, bad):
    result = cli("near", "Denver, CO", "--max-age", bad)
    assert result.exit_code == 2 and "--max-age" in result.stderr


def test_the_cached_index_keeps_the_stored_status_not_the_day_it_was_built(tmp_path):
    """The index is cached by file content, not by day: it must hold the status the sources
    leave and let each run apply its own day. It used to store the status of the day it was
    built, so a run on 2030 left every later run reading 'unverified'."""
    env = {"CLINICFINDER_CACHE_DIR": str(tmp_path / "cache")}
    wanted = ["show", "the-menninger-clinic-houston-tx", "--json"]
    runner = CliRunner()
    later = runner.invoke(app, wanted, env={**env, "CLINICFINDER_TODAY": "2030-01-15"})
    assert json.loads(later.stdout)["clinic"]["status"] == "unverified"
    again = runner.invoke(app, wanted, env={**env, "CLINICFINDER_TODAY": TODAY})
    assert json.loads(again.stdout)["clinic"]["status"] == "active"
    near = runner.invoke(app, ["near", "Houston, TX", "--json", "--limit", "50"], env={**env})
    menninger = [r for r in json.loads(near.stdout)["results"] if "Menninger" in r["name"]]
    assert menninger and menninger[0]["status"] == "active"
