"""Regions, telehealth matching and clinics without an address."""

import json

import pytest

from clinicfinder.clinics.telehealth import (
    is_telehealth_only,
    names_no_states,
    served_states,
    telehealth_in,
)
from clinicfinder.errors import UsageProblem
from clinicfinder.places.geocode import locate
from clinicfinder.places.regions import find_region, regions
from clinicfinder.search.coverage import listing, summarize
from clinicfinder.search.rank import find_clinics
from tests.conftest import bundled_clinics, make


def test_every_state_dc_and_the_territories():
    codes = set(regions())
    assert len(codes) == 56 and {"DC", "PR", "GU", "VI", "MP", "AS", "KS", "AK", "HI"} <= codes
    for r in regions().values():
        assert r.contains(r.lat, r.lon) and r.min_lat < r.max_lat


@pytest.mark.parametrize("text", ["KS", "ks", "Kansas", " kansas "])
def test_find_region_by_code_or_name(text):
    assert find_region(text).code == "KS"


def test_unknown_region():
    with pytest.raises(UsageProblem, match="no US state"):
        find_region("Atlantis")


def test_served_states():
    listed = make(routes=("at-home",), telehealth_states=("KS", "MO"), city="", lat=None)
    own = make(routes=("at-home",), state="GA", city="", lat=None)
    unknown = make(routes=("at-home",), state="", city="", lat=None)
    in_person = make(routes=("iv",))
    assert served_states(listed) == ("KS", "MO")
    assert served_states(own) == ("GA",)
    assert served_states(unknown) == () and served_states(in_person) == ()
    assert is_telehealth_only(listed) and not is_telehealth_only(in_person)
    assert telehealth_in("MO", [listed, own, in_person]) == [listed]


def test_counts_add_up():
    """Every listing is counted exactly once: placed, unplaced in its state, or outside both."""
    clinics = bundled_clinics()
    counts = summarize(clinics)
    placed = sum(rc.placed for rc in counts)
    unplaced = sum(rc.unplaced for rc in counts)
    outside = [
        c for c in clinics if c.lat is None and (is_telehealth_only(c) or c.state not in regions())
    ]
    assert placed == sum(1 for c in clinics if c.lat is not None)
    assert placed + unplaced + len(outside) == len(clinics)


def test_a_states_listing_is_sorted_by_city():
    ks = listing(find_region("KS"), bundled_clinics())
    cities = [c.city.lower() for c in ks.placed]
    assert cities == sorted(cities)
    assert any("University of Kansas" in c.name for c in ks.unplaced)


def test_near_lists_telehealth_separately_and_never_ranks_it():
    search = find_clinics(locate("Atlanta, GA"), bundled_clinics(), radius_km=80)
    assert search.telehealth
    assert all("GA" in served_states(c) or names_no_states(c) for c in search.telehealth)
    ranked = {m.clinic.id for m in search.matches}
    assert not ranked & {c.id for c in search.telehealth}
    assert all(m.clinic.lat is not None for m in search.matches)


def test_near_counts_the_states_clinics_without_an_address():
    search = find_clinics(locate("67202"), bundled_clinics(), radius_km=80)
    assert search.origin.state == "KS" and search.unplaced == 1


def test_a_point_knows_its_state():
    assert locate("37.69,-97.34").state == "KS"
    assert locate("0,0").state is None  # the Gulf of Guinea is no state


def test_regions_command(cli, cli_json):
    doc = cli_json("regions")
    assert len(doc["regions"]) == 56
    for r in doc["regions"]:
        assert {"code", "name", "clinics", "telehealth"} <= set(r)
        assert r["clinics"] == r["placed"] + r["unplaced"]
    assert "not absence in reality" in doc["notice"]
    table = cli("regions")
    assert table.exit_code == 0 and "Puerto Rico" in table.stdout


def test_one_region(cli, cli_json):
    doc = cli_json("regions", "kansas")
    assert doc["region"]["code"] == "KS"
    cities = [c["city"] for c in doc["clinics"]]
    assert "Wichita" in cities and cities == sorted(cities)  # listed by city
    assert all(c["state"] == "KS" for c in doc["clinics"])
    assert doc["unplaced"] and not doc["unplaced"][0]["lat"]
    out = cli("regions", "GA").stdout
    assert "Telehealth serving this state" in out and "Anywhere Clinic" in out


def test_near_json_has_telehealth_and_the_unplaced_line(cli_json):
    doc = cli_json("near", "Atlanta, GA")
    assert doc["telehealth"] and all(
        "GA" in t["serves"] or t["serves_basis"] == "not stated" for t in doc["telehealth"]
    )
    assert {"id", "name", "website", "serves", "serves_basis", "source_url"} <= set(
        doc["telehealth"][0]
    )
    assert any("clinicfinder regions GA" in n for n in doc["notices"])


def test_near_table_labels_the_telehealth_section(cli):
    out = cli("near", "Atlanta, GA").stdout
    assert "Also available by telehealth in Georgia" in out


def test_unknown_state_is_a_usage_error(cli):
    result = cli("regions", "Narnia")
    assert result.exit_code == 2 and "no US state" in result.stderr


def test_stats(cli, cli_json):
    stats = cli_json("data", "stats")["stats"]
    assert stats["clinics"] == len(bundled_clinics())
    assert sum(stats["by_state"].values()) == stats["clinics"]
    assert sum(stats["by_precision"].values()) == stats["clinics"]
    assert 0 <= stats["share"]["phone"] <= 1
    assert stats["oldest_collected"] <= stats["newest_collected"]
    assert "not absence in reality" in stats["notice"]
    table = cli("data", "stats").stdout
    assert "not absence in reality" in table and "esketamine" in table


def test_regions_json_is_one_document(cli):
    """The whole of stdout is one JSON object (not records, not a table around it), and its
    counts are the core's, region by region."""
    result = cli("regions", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert isinstance(doc, dict) and isinstance(doc["schema_version"], int)
    expected = {
        rc.region.code: (rc.placed, rc.unplaced, rc.telehealth)
        for rc in summarize(bundled_clinics())
    }
    got = {r["code"]: (r["placed"], r["unplaced"], r["telehealth"]) for r in doc["regions"]}
    assert got == expected
    assert doc["no_state"] == sum(1 for c in bundled_clinics() if not c.state)
