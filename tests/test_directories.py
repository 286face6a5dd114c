"""Issue 20's data promises: the 2023 and 2024 federal directories joined, every listing
dated by the page that states its ketamine service, the audit's fixes kept, and who is
served, in which language, on which line."""

from __future__ import annotations

import csv
import re

import pytest

from clinicfinder.bundled import data_path
from clinicfinder.clinics.gathered import Gathered
from clinicfinder.clinics.merge import is_veterans_affairs, mark_central_lines, merge, tidy_name
from clinicfinder.clinics.validate import check_row
from clinicfinder.records.vocab import REGISTRY_PAYMENTS, VETERANS_ONLY
from clinicfinder.search.coverage import compute
from clinicfinder.search.rank import find_clinics
from tests.conftest import bundled_clinics, make

CARE_CLINIC = "844-782-6963"


def by_id() -> dict[str, object]:
    return {c.id: c for c in bundled_clinics()}


def sources_of(clinic_id: str) -> list[dict[str, str]]:
    with data_path("clinic-sources.csv").open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["id"] == clinic_id]


def test_at_least_a_hundred_placed_listings_rest_on_the_2023_or_2024_directory():
    placed = [
        c
        for c in bundled_clinics()
        if c.lat is not None and c.evidence == "registry" and c.source_date[:4] in ("2023", "2024")
    ]
    assert len(placed) >= 100


def test_every_directory_row_cites_its_sheet_row_and_edition():
    for year in ("2023", "2024"):
        with data_path(f"sources/{year}-samhsa-mh-directory.csv").open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert rows
        for r in rows:
            assert r["evidence"] == "registry" and r["source_date"] == year, r["record"]
            assert re.search(rf"SAMHSA {year} National Directory.*sheet row \d+", r["notes"])
            kit = "WITHOUT service code KIT" not in r["notes"]
            assert (r["routes"] == "iv") == kit, r["record"]


def test_every_va_facility_serves_veterans_only():
    va = [c for c in bundled_clinics() if is_veterans_affairs(c.name, c.site, c.state)]
    assert len(va) >= 25
    assert all(c.eligibility == VETERANS_ONLY for c in va), [c.id for c in va if not c.eligibility]
    assert by_id()["va-ny-harbor-healthcare-system-new-york-ny"].eligibility == VETERANS_ONLY


@pytest.mark.parametrize(
    ("name", "site", "state", "va"),
    [
        ("VA NY Harbor Healthcare System", "", "NY", True),
        ("Philadelphia VAMC", "Behavioral Health Service", "PA", True),
        ("William S Middleton Veterans Hosp", "", "WI", True),
        ("Gainesville VA", "", "FL", True),
        ("Vet Affairs/Edward Hines Jr Hospital", "", "IL", True),
        ("Southeast VA Psych", "", "VA", False),  # VA is Virginia here
        ("Veterans Ketamine Wellness", "", "TX", False),
    ],
)
def test_a_va_facility_is_known_by_its_name(name, site, state, va):
    assert is_veterans_affairs(name, site, state) is va


def test_care_clinics_shared_toll_free_number_is_a_central_line():
    care = [c for c in bundled_clinics() if c.phone == CARE_CLINIC]
    assert len(care) >= 10 and len({c.state for c in care}) >= 5
    assert {c.phone_scope for c in care} == {"central"}


def test_one_number_for_branches_in_two_cities_is_marked_central():
    gathered = Gathered(
        rows=[
            ("f", 1, {"record": "a", "name": "Chain", "city": "Tulsa", "state": "OK",
                      "phone": "918-555-0100", "phone_scope": "site", "source_url": "https://x.org/a"}),
            ("f", 2, {"record": "b", "name": "Chain", "city": "Norman", "state": "OK",
                      "phone": "(918) 555-0100", "source_url": "https://x.org/b"}),
            ("f", 3, {"record": "c", "name": "Solo", "city": "Tulsa", "state": "OK",
                      "phone": "918-555-0199", "phone_scope": "site", "source_url": "https://x.org/c"}),
        ]
    )  # fmt: skip
    merged = merge(gathered)
    mark_central_lines(merged)
    assert [m.row["phone_scope"] for m in merged] == ["central", "central", "site"]


def test_the_audits_twins_are_one_listing_each_with_both_sources():
    ids = set(by_id())
    for gone in ("acadia-hospital-bangor-me", "mclean-hospital-belmont-ma",
                 "ketamine-clinics-los-angeles-los-angeles-ca"):  # fmt: skip
        assert gone not in ids
    for kept, hosts in (
        ("northern-light-acadia-hospital-ect-ketamine-services-bangor-me",
         ("northernlighthealth", "github")),
        ("mclean-hospital-ketamine-service-belmont-ma", ("mcleanhospital", "github")),
        ("ketamine-clinics-of-los-angeles-culver-city-ca", ("ketamineclinics", "github")),
    ):  # fmt: skip
        urls = " ".join(s["url"] for s in sources_of(kept))
        assert all(h in urls for h in hosts), kept
    assert by_id()["mclean-hospital-ketamine-service-belmont-ma"].name == "McLean Hospital"


def test_revivalist_is_not_placed_in_alaska_on_a_kentucky_story():
    revivalist = [c for c in bundled_clinics() if c.name == "Revivalist"]
    assert revivalist and all(c.state != "AK" for c in revivalist)
    assert revivalist[0].state == "KY"


def test_an_announced_service_is_never_ranked_as_a_provider(wichita):
    clinics = [
        make(id="open", name="Fixture Open", lat=37.70),
        make(id="soon", name="Fixture Soon", lat=37.71, status="announced"),
    ]
    search = find_clinics(wichita, clinics)
    assert [m.clinic.id for m in search.matches] == ["open"]
    assert search.hidden_closed == 1
    assert {c.id for c in bundled_clinics() if c.status == "announced"} >= {
        "pnw-psychological-wellness-seattle-wa"
    }


def test_pnw_is_not_an_active_provider(cli_json):
    doc = cli_json("near", "Seattle, WA", "--radius", "50", "--limit", "50")
    assert all(r["id"] != "pnw-psychological-wellness-seattle-wa" for r in doc["results"])


def test_a_spravato_claim_resting_on_placeholder_doctors_is_not_a_claim(cli_json):
    doc = cli_json("near", "Columbus, OH", "--route", "esketamine", "--limit", "50")
    assert all("optimum" not in r["id"] for r in doc["results"])


def test_a_listing_is_dated_by_the_page_that_states_its_routes():
    gathered = Gathered(
        rows=[
            ("f", 1, {"record": "x", "name": "Fixture Infusions", "city": "Tulsa", "state": "OK",
                      "routes": "iv", "source_url": "https://news.example.org/2019",
                      "source_date": "2019-05", "source_date_basis": "published",
                      "evidence": "news"}),
            ("f", 2, {"record": "x", "name": "Fixture Infusions", "street": "1 Main St",
                      "source_url": "https://directory.example.org/x", "source_date": "2026",
                      "source_date_basis": "published", "evidence": "directory"}),
        ]
    )  # fmt: skip
    (m,) = merge(gathered)
    assert (m.row["source_url"], m.row["source_date"], m.row["evidence"]) == (
        "https://news.example.org/2019", "2019-05", "news",
    )  # fmt: skip
    assert m.row["verified_until"] == "2022-05-01"  # the address page does not refresh it
    assert len(m.sources) == 2  # but it stays a source


def test_a_dropped_kit_flag_says_why_in_show(cli):
    out = cli("show", "care-clinic-huntsville-al", "--notes").stdout  # a maintainer's note
    assert "unverified" in out
    assert "without service code KIT" in " ".join(out.split())


def test_service_labels_go_to_site():
    assert tidy_name("SSM Health DePaul Hospital - Esketamine Clinic", "Bridgeton", "") == (
        "SSM Health DePaul Hospital", "Esketamine Clinic",
    )  # fmt: skip
    assert tidy_name("Perceptual Medicine - Dr. Jarrett Tosk", "", "") == (
        "Perceptual Medicine - Dr. Jarrett Tosk", "",
    )  # fmt: skip
    assert not [c.id for c in bundled_clinics() if re.search(r" - .*(Spravato|Esketamine)", c.name)]


def test_no_placement_rests_on_a_practices_name_alone():
    for c in bundled_clinics():
        if c.precision == "city":
            assert not re.search(
                r"city (taken|inferred) (only )?from (the )?(practice|clinic) name", c.notes
            ), c.id


def test_registry_payment_codes_follow_the_service_code_reference():
    # The directory's Service Code Reference sheet: SF "Cash or self-payment", SS "Sliding
    # fee scale", MI "Federal military insurance (e.g., TRICARE)".
    assert REGISTRY_PAYMENTS["SF"] == "cash"
    assert REGISTRY_PAYMENTS["SS"] == "sliding-fee"
    assert REGISTRY_PAYMENTS["MI"] == "tricare"
    synergy = by_id()["synergy-wellness-huntsville-al"]
    assert "medicare" in synergy.payment


@pytest.mark.parametrize(
    ("column", "value"),
    [("phone_scope", "main"), ("ages", "toddler"), ("languages", "Spanish"), ("payment", "gold")],
)
def test_the_validator_rejects_values_outside_the_vocabularies(column, value):
    errors, _ = check_row({"name": "Fixture", column: value})
    assert errors and column.rstrip("s") in errors[0]


def test_the_new_fields_pass_the_validator():
    row = {"name": "Fixture", "phone": "1", "phone_scope": "central", "ages": "adult;senior",
           "languages": "spanish;sign-language", "eligibility": "veterans only"}  # fmt: skip
    assert check_row(row)[0] == []


def test_stats_say_who_is_served_which_line_rings_and_how_old_the_sources_are(cli, cli_json):
    stats = cli_json("data", "stats")["stats"]
    assert stats["by_eligibility"]["veterans only"] >= 25
    assert stats["by_phone_scope"]["central"] >= 16
    assert stats["placed_open_with_phone"] <= stats["placed_open"]
    assert sum(sum(y.values()) for y in stats["by_evidence_year"].values()) == stats["clinics"]
    assert stats["old_before"] == "2023-12-07"
    table = cli("data", "stats").stdout
    assert "veterans only" in table and "central" in table
    assert "older than three years (before 2023-12-07)" in table


def test_sources_age_with_the_day_the_stats_are_asked():
    clinics = list(bundled_clinics())
    now, later = compute(clinics, today="2026-12-07"), compute(clinics, today="2030-01-01")
    assert now.old_sources_only < later.old_sources_only


def test_who_is_served_and_the_central_line_are_shown_beside_the_name(cli):
    out = cli("near", "New York, NY", "--limit", "30", env={"COLUMNS": "300"}).stdout
    assert "VA NY Harbor Healthcare System (Manhattan Campus) [veterans only" in out
    doc = cli("near", "New York, NY", "--limit", "30", "--json").stdout
    assert '"eligibility": "veterans only"' in doc
    show = cli("show", "care-clinic-tampa-fl").stdout
    assert "(central line)" in show
