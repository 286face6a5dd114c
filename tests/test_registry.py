"""`near --online` with FindTreatment.gov, and `data fetch findtreatment`, against a loopback
stand-in built from the registry's recorded format (tests/findtreatment_stub.py), through
requests' real client. Nothing here reaches the internet."""

from __future__ import annotations

import csv
import json
import re

import pytest


def near_online(cli, *extra):
    result = cli("near", "Wichita, KS", "--online", "--json", *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def test_registry_facilities_are_ranked_among_the_bundled(cli, registry, geocoder):
    doc, err = near_online(cli)
    live = [r for r in doc["results"] if r["evidence"] == "registry"]
    assert len(live) >= 3 and "FindTreatment.gov" in err
    for r in live:
        assert (r["precision"] == "street" and r["phone"] is not None) or "Facility C" in r["name"]
        assert r["source_url"].startswith("https://findtreatment.gov/")
        assert r["routes"] == ["iv"] and r["source_date"] and r["source_date_basis"] == "fetched"
    names = [r["name"] for r in doc["results"]]
    assert "Stand-in Ketamine Facility A" in names
    assert not any("Counseling Center" in n or "OTP" in n for n in names)  # no ketamine listed
    assert doc["results"] == sorted(doc["results"], key=lambda r: r["distance_km"])
    (asked,) = [r for r in registry.requests if r["limitType"] == "2"]
    assert asked["sCodes"] == "KIT" and asked["ua"].startswith("clinicfinder/")


def test_the_same_clinic_appears_once_with_both_sources(cli, registry, geocoder):
    doc, _ = near_online(cli)
    aiwc = [r for r in doc["results"] if r["name"] == "Advanced Infusion and Wellness Center"]
    assert len(aiwc) == 1
    (one,) = aiwc
    assert one["phone"] == "(316) 555-0102" and one["evidence"] == "registry"
    assert one["more_sources"] and "findtreatment.gov" not in one["more_sources"][0]
    assert one["id"] == "advanced-infusion-and-wellness-center-wichita-ks"  # the id users know


def test_swapped_coordinates_and_placeholder_phones_are_repaired(cli, registry, geocoder):
    doc, _ = near_online(cli, "--radius", "30")
    (c,) = [r for r in doc["results"] if r["name"] == "Stand-in Ketamine Facility C"]
    assert 37 < c["lat"] < 38 and -98 < c["lon"] < -97 and c["phone"] is None


def test_only_the_zip_or_city_centre_is_sent(cli, registry, geocoder):
    """An address searched online is sent to the geocoder, but the registry gets only the
    nearest ZIP centre, never the street-level point."""
    result = cli("near", "300 N Main St, Wichita, KS 67202", "--online", "--json")
    assert result.exit_code == 0, result.stderr
    origin = json.loads(result.stdout)["origin"]
    (asked,) = [r for r in registry.requests if r["limitType"] == "2"]
    sent = tuple(float(v) for v in asked["sAddr"].split(","))
    assert sent != (round(origin["lat"], 4), round(origin["lon"], 4))
    assert set(asked) <= {"path", "ua", "sAddr", "limitType", "limitValue", "sCodes",
                          "pageSize", "page"}  # fmt: skip


def test_answers_are_cached_and_refresh_asks_again(cli, registry, geocoder):
    near_online(cli)
    near_online(cli)
    assert len(registry.requests) == 1
    near_online(cli, "--refresh")
    assert len(registry.requests) == 2


def test_paging_follows_total_pages_within_the_cap(monkeypatch, registry):
    from clinicfinder.online import findtreatment

    monkeypatch.setattr(findtreatment, "NEAR_PAGE_SIZE", 1)
    monkeypatch.setattr(findtreatment, "MIN_DELAY_S", 0.0)
    monkeypatch.setattr(findtreatment, "NEAR_MAX_PAGES", 2)
    found = findtreatment.Registry(registry.url).near(37.69, -97.34, 80)
    assert [r["page"] for r in registry.requests] == ["1", "2"]  # capped, though more exist
    assert len(found) <= 2


@pytest.mark.parametrize(
    ("mode", "cause"),
    [("down", "failing (HTTP 503)"), ("limited", "rate-limiting us (429)"),
     ("garbage", "not JSON"), ("wrong", "unknown format"), ("huge", "larger than")],
)  # fmt: skip
def test_a_failing_registry_leaves_the_bundled_results(cli, registry, geocoder, mode, cause):
    registry.mode = mode
    doc, err = near_online(cli)
    assert doc["results"] and all(r["evidence"] != "registry" for r in doc["results"])
    (line,) = [x for x in err.splitlines() if "FindTreatment.gov" in x]
    assert cause in line and "bundled listings only" in line
    assert "Traceback" not in err and "bug" not in err


def test_a_registry_that_refuses_connections(cli, geocoder):
    doc, err = near_online(cli)  # conftest points the registry at a closed loopback port
    assert doc["results"] and "can't be reached" in err


def test_offline_nothing_is_sent(cli, registry):
    assert cli("near", "Wichita, KS", "--json").exit_code == 0
    assert registry.requests == []


def test_fetch_a_state_writes_a_file_that_validates_and_loads(cli, registry, tmp_path):
    out = tmp_path / "ks.csv"
    result = cli("data", "fetch", "findtreatment", "--state", "KS", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    (asked,) = registry.requests
    assert asked["limitType"] == "0" and asked["limitValue"] == "35" and asked["sCodes"] == "KIT"
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["name"] for r in rows} >= {"Stand-in Ketamine Facility A", "Stand-in Far Facility"}
    assert cli("data", "validate", str(out)).exit_code == 0
    near = cli("near", "Topeka, KS", "--data", str(out), "--no-bundled", "--json")
    assert "Stand-in Far Facility" in near.stdout
    again = cli("data", "fetch", "findtreatment", "--state", "KS", "-o", str(tmp_path / "2.csv"))
    assert again.exit_code == 0 and len(registry.requests) == 1  # resumed from the cache


@pytest.mark.parametrize(
    ("args", "message"),
    [([], "--state"), (["--state", "ZZ"], "no state"), (["--state", "KS", "--all-states"], "or")],
)
def test_fetch_needs_states(cli, args, message):
    result = cli("data", "fetch", "findtreatment", *args)
    assert result.exit_code == 2 and message in result.stderr


def test_fetch_failure_is_one_line(cli, registry, tmp_path):
    registry.mode = "down"
    result = cli("data", "fetch", "findtreatment", "--state", "KS", "-o", str(tmp_path / "x.csv"))
    assert result.exit_code == 1 and "503" in result.stderr and "resume" in result.stderr
    assert not (tmp_path / "x.csv").exists()


def test_a_broken_registry_cache_is_named_as_such(cli, registry, geocoder, tmp_path):
    """Each cache's warning names its own cache: the registry's is not "geocoding"."""
    near_online(cli)
    cache = tmp_path / "cache" / "findtreatment.sqlite"
    assert cache.exists()
    cache.write_bytes(b"this is not a database")
    _doc, err = near_online(cli)
    (line,) = [line for line in err.splitlines() if "moved to" in line]
    assert "the FindTreatment.gov cache was unreadable" in line and "geocoding" not in line


def test_a_registry_that_adds_nothing_new_never_says_unknown(cli, registry, geocoder):
    """The stand-in lists only a facility that is a bundled clinic: the footer still dates
    the sources (it said "sources read up to unknown")."""
    registry.mode = "known"
    result = cli("near", "Wichita, KS", "--online")
    assert result.exit_code == 0, result.stderr
    assert [r for r in registry.requests if r["limitType"] == "2"]  # it was asked
    assert "unknown" not in result.stdout
    assert re.search(r"sources read up to \d{4}-\d\d-\d\d", result.stdout)
    doc, _ = near_online(cli)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", doc["data"]["collected"])
