"""`data update`: the registry's ketamine facilities kept as a layer in the user's data folder
and searched offline, joined to the bundled listings (issue 20, item 6). Against the loopback
stand-in of FindTreatment.gov (tests/findtreatment_stub.py); nothing reaches the internet."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

AIWC = "advanced-infusion-and-wellness-center-wichita-ks"  # bundled, and in the stand-in
CLOSED_PORT = "http://127.0.0.1:9/locator/exportsAsJson/v2"


def layer_file() -> Path:
    return Path(os.environ["CLINICFINDER_DATA_DIR"]) / "findtreatment.json"


def update(cli, *args):
    result = cli("data", "update", *args)
    assert result.exit_code == 0, result.stderr
    return result


def offline(monkeypatch, registry):
    """Stop the stand-in and point the registry at a closed port: nothing can answer."""
    registry.stop()
    monkeypatch.setenv("CLINICFINDER_FINDTREATMENT_URL", CLOSED_PORT)


def test_an_updated_state_is_searched_offline_once_each(cli, registry, monkeypatch):
    result = update(cli, "--state", "KS")
    assert "FindTreatment.gov: 1 of 1" in result.stderr  # progress, on stderr
    assert str(layer_file()) in result.stderr and "1 already listed" in result.stderr
    (asked,) = registry.requests
    assert asked["limitType"] == "0" and asked["limitValue"] == "35" and asked["sCodes"] == "KIT"
    fetched = json.loads(layer_file().read_text(encoding="utf-8"))["states"]["KS"]
    offline(monkeypatch, registry)

    near = cli("near", "Wichita, KS", "--json")
    assert near.exit_code == 0, near.stderr
    doc = json.loads(near.stdout)
    ids = [r["id"] for r in doc["results"]] + [t["id"] for t in doc["telehealth"]]
    assert len(ids) == len(set(ids))
    names = Counter(r["name"] for r in doc["results"])
    assert names["Stand-in Ketamine Facility A"] == 1
    assert names["Advanced Infusion and Wellness Center"] == 1
    (aiwc,) = [r for r in doc["results"] if r["id"] == AIWC]  # the id users know
    assert aiwc["evidence"] == "registry" and aiwc["source_date"] == fetched
    assert aiwc["phone"] == "(316) 555-0102" and aiwc["more_sources"]  # both sources
    (layer,) = doc["data"]["layers"]
    assert layer["states"] == ["KS"] and layer["fetched"] == fetched and layer["joined"] == 1
    table = cli("near", "Wichita, KS")
    assert f"fetched {fetched} by `data update`" in " ".join(table.stdout.split())
    assert len(registry.requests) == 1


def test_the_offline_search_opens_no_socket(cli, registry, monkeypatch, tmp_path):
    """Proof of no network use: a real process in which every socket connect and name
    look-up raises, with the registry stopped, still lists the updated facility."""
    update(cli, "--state", "KS")
    offline(monkeypatch, registry)
    code = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise SystemExit('network use: ' + repr(a[:2]))\n"
        "socket.socket.connect = socket.socket.connect_ex = refuse\n"
        "socket.getaddrinfo = socket.create_connection = refuse\n"
        "from clinicfinder.cli.app import run\n"
        "run(['near', 'Wichita, KS', '--json'])\n"
        "net = {'requests', 'urllib3', 'geopy'}\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in net)), "
        "file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == ""  # no network library even loaded
    names = [r["name"] for r in json.loads(done.stdout)["results"]]
    assert names.count("Stand-in Ketamine Facility A") == 1


def test_remove_drops_the_layer(cli, registry):
    update(cli, "--state", "KS")
    removed = update(cli, "--remove")
    assert "removed" in removed.stderr and not layer_file().exists()
    near = cli("near", "Wichita, KS", "--json")
    doc = json.loads(near.stdout)
    assert doc["data"]["layers"] == []
    assert all(r["evidence"] != "registry" or r["id"] != AIWC for r in doc["results"])
    assert "Facility A" not in near.stdout
    assert "no fetched registry listings" in update(cli, "--remove").stderr


def test_an_interrupted_update_keeps_what_it_finished_and_resumes(cli, registry):
    registry.down_states = {"41"}  # SAMHSA's id for NE: its query fails
    result = cli("data", "update", "--state", "KS", "--state", "NE")
    assert result.exit_code == 1 and "503" in result.stderr
    assert "stopped after 1 of 2" in result.stderr and "again to resume" in result.stderr
    assert list(json.loads(layer_file().read_text(encoding="utf-8"))["states"]) == ["KS"]
    asked = len(registry.requests)
    registry.down_states = set()
    update(cli, "--state", "KS", "--state", "NE")
    again = registry.requests[asked:]
    assert [r["limitValue"] for r in again] == ["41"]  # KS came from the cache
    assert sorted(json.loads(layer_file().read_text(encoding="utf-8"))["states"]) == ["KS", "NE"]


def test_updating_one_state_keeps_the_others(cli, registry):
    update(cli, "--state", "KS")
    update(cli, "--state", "NE")
    doc = json.loads(layer_file().read_text(encoding="utf-8"))
    assert sorted(doc["states"]) == ["KS", "NE"]
    assert any(c["name"] == "Stand-in Ketamine Facility A" for c in doc["clinics"])
    update(cli, "--remove", "--state", "KS")
    doc = json.loads(layer_file().read_text(encoding="utf-8"))
    assert list(doc["states"]) == ["NE"] and doc["clinics"] == []


def test_every_state_by_default(cli, registry, monkeypatch):
    from clinicfinder.online import findtreatment

    monkeypatch.setattr(findtreatment, "MIN_DELAY_S", 0.0)
    update(cli)
    asked = sorted(int(r["limitValue"]) for r in registry.requests)
    assert asked == sorted(findtreatment.STATE_IDS.values())
    assert len(json.loads(layer_file().read_text(encoding="utf-8"))["states"]) == 51


def test_stats_say_the_layers_date(cli, registry):
    update(cli, "--state", "KS")
    fetched = json.loads(layer_file().read_text(encoding="utf-8"))["states"]["KS"]
    doc = json.loads(cli("data", "stats", "--json").stdout)
    (layer,) = doc["layers"]
    assert layer["fetched"] == fetched and layer["clinics"] == 4 and layer["joined"] == 1
    assert f"fetched {fetched}" in cli("data", "stats").stdout


def test_a_fetched_file_given_with_data_lists_a_bundled_clinic_once(cli, registry, tmp_path):
    ks = tmp_path / "ks.csv"
    assert cli("data", "fetch", "findtreatment", "--state", "KS", "-o", str(ks)).exit_code == 0
    doc = json.loads(cli("near", "Wichita, KS", "--data", str(ks), "--json").stdout)
    names = Counter(r["name"] for r in doc["results"])
    assert names["Advanced Infusion and Wellness Center"] == 1
    assert len({r["id"] for r in doc["results"]}) == len(doc["results"])
    # The same file beside the layer it duplicates: no id clash, each facility once.
    update(cli, "--state", "KS")
    both = cli("near", "Wichita, KS", "--data", str(ks), "--json")
    assert both.exit_code == 0, both.stderr
    names = Counter(r["name"] for r in json.loads(both.stdout)["results"])
    assert names["Stand-in Ketamine Facility A"] == 1
    assert names["Advanced Infusion and Wellness Center"] == 1
    listed = json.loads(cli("regions", "KS", "--data", str(ks), "--json").stdout)["clinics"]
    ids = [c["id"] for c in listed]
    assert len(ids) == len(set(ids)) and ids.count(AIWC) == 1
    assert [c["name"] for c in listed].count("Advanced Infusion and Wellness Center") == 1


def test_show_lists_what_the_registry_states(cli, registry):
    update(cli, "--state", "KS")
    doc = json.loads(cli("show", "findtreatment-advanced-infusion-and-wellness-center-wichita-ks",
                         "--json").stdout)  # fmt: skip
    assert doc["clinic"]["id"] == AIWC
    registry_source, *others = doc["sources"]
    assert registry_source["evidence"] == "registry"
    assert "conditions" not in registry_source["supports"]  # the registry lists none
    assert others and all("findtreatment.gov" not in s["url"] for s in others)


def test_a_damaged_layer_says_what_to_do(cli):
    layer_file().parent.mkdir(parents=True)
    layer_file().write_text('{"layer": "findtreatment", "clinics": [', encoding="utf-8")
    result = cli("near", "Wichita, KS")
    assert result.exit_code == 1 and "data update --remove" in result.stderr
    assert "Traceback" not in result.stderr
    update(cli, "--remove")
    assert not layer_file().exists()
    assert cli("near", "Wichita, KS").exit_code == 0


def test_the_layers_payment_is_searchable_offline(cli, registry, monkeypatch):
    update(cli, "--state", "KS")
    offline(monkeypatch, registry)
    doc = json.loads(cli("near", "Wichita, KS", "--payment", "medicaid", "--json").stdout)
    names = [r["name"] for r in doc["results"]]
    assert "Stand-in Ketamine Facility A" in names  # the registry states Medicaid
    assert "Stand-in Ketamine Facility C" not in names  # it states no payment


def test_the_registrys_ages_and_languages_are_searchable_offline(cli, registry, monkeypatch):
    update(cli, "--state", "KS")
    offline(monkeypatch, registry)

    def names(*filters):
        doc = json.loads(cli("near", "Wichita, KS", *filters, "--json").stdout)
        return [r["name"] for r in doc["results"]], doc["notices"]

    facility = "Stand-in Ketamine Facility A"  # Adults; Seniors; deaf services; Spanish
    assert facility in names("--language", "spanish")[0]
    assert facility in names("--language", "sign-language", "--age", "senior")[0]
    children, notices = names("--age", "child")
    assert facility not in children  # it states its ages, and children aren't among them
    assert any("don't say which ages" in n for n in notices)  # Facility C states none


def test_a_newer_registry_listing_verifies_a_listed_clinic_again():
    """The join: the newer source comes first, and a listing that had lapsed to unverified is
    active again while today's registry listing supports it; closed stays closed."""
    from clinicfinder.clinics.overlay import join
    from tests.conftest import make

    old = make(id="listed", status="unverified", source_date="2022", verified_until="2025-01-01",
               source_url="https://example.org/2022-directory")  # fmt: skip
    fresh = make(id="laid", status="active", source_date="2026-06-01",
                 verified_until="2029-06-01", evidence="registry",
                 source_url="https://example.org/registry-today")  # fmt: skip
    joined = join(old, fresh)
    assert (joined.id, joined.status, joined.verified_until) == ("listed", "active", "2029-06-01")
    assert joined.source_url == fresh.source_url and old.source_url in joined.more_sources
    assert join(old._replace(status="closed"), fresh).status == "closed"
    own_page = old._replace(status="active", verified_until="")
    assert join(own_page, fresh).verified_until == ""  # its own page: never lapses
    older = fresh._replace(source_date="2019", source_url="https://example.org/2019")
    kept = join(old, older)  # an older record adds no verification
    assert kept.status == "unverified" and kept.source_url == old.source_url


def test_ids_are_unique_across_bundled_layer_and_files(cli, registry, tmp_path):
    from clinicfinder.clinics.load import load_catalog

    ks = tmp_path / "ks.csv"
    assert cli("data", "fetch", "findtreatment", "--state", "KS", "-o", str(ks)).exit_code == 0
    update(cli, "--state", "KS")
    everything = load_catalog([ks]).all()
    ids = [c.id for c in everything]
    assert len(ids) == len(set(ids))
    assert [c.name for c in everything].count("Stand-in Ketamine Facility A") == 1


@settings(max_examples=40)
@given(text=st.one_of(st.text(max_size=200), st.binary(max_size=200).map(repr),
                      st.recursive(st.none() | st.integers() | st.text(max_size=10),
                                   lambda inner: st.lists(inner, max_size=3)
                                   | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                                   max_leaves=8).map(json.dumps)))  # fmt: skip
def test_any_layer_file_searches_or_says_what_to_do(text):
    """Whatever is in the layer file, a search works or fails in one line naming the fix."""
    from typer.testing import CliRunner

    from clinicfinder.cli.app import app

    path = layer_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", errors="replace")
    result = CliRunner().invoke(app, ["near", "Wichita, KS", "--json"], prog_name="clinicfinder")
    assert "Traceback" not in result.stderr
    if result.exit_code != 0:
        assert result.exit_code == 1 and "data update" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_no_output_is_written_over_the_layer(cli, registry):
    update(cli, "--state", "KS")
    before = layer_file().read_bytes()
    result = cli("export", "--format", "json", str(layer_file()))
    assert result.exit_code == 2 and "input" in result.stderr
    assert cli("near", "Wichita, KS", "--map", str(layer_file())).exit_code == 2
    assert layer_file().read_bytes() == before


def test_online_answers_join_the_layer_too(cli, registry, monkeypatch):
    """With a layer and --online, a facility in both is still listed once."""
    from tests.nominatim_stub import Stub

    update(cli, "--state", "KS")
    geocoder = Stub().start()
    monkeypatch.setenv("CLINICFINDER_NOMINATIM_URL", geocoder.url)
    try:
        result = cli("near", "Wichita, KS", "--online", "--json")
    finally:
        geocoder.stop()
    assert result.exit_code == 0, result.stderr
    results = json.loads(result.stdout)["results"]
    ids = [r["id"] for r in results]
    assert len(ids) == len(set(ids))
    assert [r["name"] for r in results].count("Stand-in Ketamine Facility A") == 1
    assert ids.count(AIWC) == 1


def test_an_interrupted_update_keeps_the_states_it_finished(registry):
    from clinicfinder.clinics.layer import layer_path
    from clinicfinder.online.fetch import update_layer

    def stop_after_first(done, total):
        if done == 1:
            raise KeyboardInterrupt

    said = []
    with pytest.raises(KeyboardInterrupt):
        update_layer(
            ["KS", "NE"], registry.url, False, stop_after_first, said.append, today="2026-01-02"
        )
    doc = json.loads(layer_path().read_text(encoding="utf-8"))
    assert doc["states"] == {"KS": "2026-01-02"}
    assert any("stopped after 1 of 2" in s and "kept" in s for s in said)


def test_documents_with_a_layer_match_their_schemas(cli, registry):
    from tests.test_schemas import validate

    update(cli, "--state", "KS")
    validate("near", json.loads(cli("near", "Wichita, KS", "--json").stdout))
    validate("stats", json.loads(cli("data", "stats", "--json").stdout))


def test_a_layer_is_named_only_where_it_covers_the_search(cli, registry, monkeypatch):
    update(cli, "--state", "KS")
    offline(monkeypatch, registry)
    kansas = " ".join(cli("near", "Wichita, KS").stdout.split())
    assert "FindTreatment.gov (SAMHSA) listings for KS" in kansas
    new_york = " ".join(cli("near", "New York, NY").stdout.split())
    assert "listings for KS" not in new_york and "fetched" not in new_york
    assert json.loads(cli("near", "New York, NY", "--json").stdout)["data"]["layers"]


def test_update_counts_read_as_words(cli, registry):
    said = " ".join(update(cli, "--state", "KS").stderr.split())
    assert "in 1 state from FindTreatment.gov" in said and "1 request sent" in said, said
    assert "(s)" not in said
