"""The commands, end to end through Typer's runner: output, JSON and every error path."""

import json

import pytest

from clinicfinder.places.distance import distance_km
from tests.conftest import assert_one_line_error


def test_near_wichita_json_matches_the_promise(cli_json):
    doc = cli_json("near", "Wichita, KS")
    origin = doc["origin"]
    assert origin["precision"] == "city" and origin["label"] == "Wichita, Kansas"
    # Within 25 km of Wichita's centre.
    assert distance_km(origin["lat"], origin["lon"], 37.6872, -97.3301) < 25
    results = doc["results"]
    assert results, "the bundled data has clinics near Wichita"
    assert [r["rank"] for r in results] == list(range(1, len(results) + 1))
    assert [r["distance_km"] for r in results] == sorted(r["distance_km"] for r in results)
    for r in results:
        exact = distance_km(origin["lat"], origin["lon"], r["lat"], r["lon"])
        assert abs(r["distance_km"] - exact) <= 0.005 * exact + 0.001
        assert r["source_url"].startswith("http")
        assert r["status"] != "closed"


def test_near_json_has_every_documented_field(cli_json):
    doc = cli_json("near", "Denver, CO", "--radius", "30")
    assert {"query", "label", "lat", "lon", "precision", "source"} <= set(doc["origin"])
    assert "radius_km" in doc and doc["radius_km"] == pytest.approx(30 * 1.609344, abs=0.001)
    fields = {
        "rank", "id", "name", "distance_km", "distance_mi", "lat", "lon", "precision", "street",
        "city", "state", "postal_code", "phone", "website", "routes", "conditions", "status",
        "source_url",
    }  # fmt: skip
    assert doc["results"] and all(fields <= set(r) for r in doc["results"])
    assert "conditions" not in doc  # only with --condition


def test_near_zip_table_names_wichita(cli):
    result = cli("near", "67202")
    assert result.exit_code == 0, result.stderr
    assert "Wichita, Kansas 67202" in result.stdout
    assert "ZIP code centre" in result.stdout
    assert "Not medical advice" in result.stdout and "988" in result.stdout
    assert "\x1b[" not in result.stdout


def test_kilometres(cli_json):
    doc = cli_json("near", "Wichita, KS", "--units", "km", "--radius", "100")
    assert doc["radius_km"] == 100


def test_condition_adds_the_evidence_panel_and_json_block(cli, cli_json):
    doc = cli_json("near", "Denver, CO", "--condition", "Chronic Pain")
    assert doc["filters"]["condition"] == "chronic-pain"
    assert doc["conditions"][0]["slug"] == "chronic-pain"
    assert doc["conditions"][0]["summary"]
    assert all("chronic-pain" in r["conditions"] for r in doc["results"])
    table = cli("near", "Denver, CO", "--condition", "chronic-pain")
    flat = " ".join(table.stdout.split())  # each graded part of the page (review 2)
    assert "evidence: emerging for short-term relief in CRPS; limited for other" in flat


def test_route_filter(cli_json):
    doc = cli_json("near", "Denver, CO", "--route", "esketamine", "--route", "kap")
    assert doc["results"]
    assert all({"esketamine", "kap"} & set(r["routes"]) for r in doc["results"])


def test_nothing_nearby_shows_the_nearest_beyond(cli_json):
    doc = cli_json("near", "Ely, NV", "--radius", "5")
    assert doc["within_radius"] is False
    assert doc["results"] and doc["results"][0]["distance_mi"] > 5
    assert any("nearest beyond" in n for n in doc["notices"])


def test_default_location_from_the_environment(cli):
    result = cli("near", "--json", env={"CLINICFINDER_LOCATION": "67202"})
    assert result.exit_code == 0
    assert json.loads(result.stdout)["origin"]["query"] == "67202"


def test_default_location_from_config(cli, cli_json):
    saved = cli("config", "set", "location", "Wichita, KS")
    assert saved.exit_code == 0, saved.stderr
    assert cli("config", "get", "location").stdout.strip() == "Wichita, KS"
    assert cli_json("near")["origin"]["label"] == "Wichita, Kansas"
    assert cli("config", "unset", "location").exit_code == 0
    assert cli("config", "get", "location").exit_code == 1


def test_config_refuses_a_place_it_cannot_find(cli, tmp_path):
    assert_one_line_error(cli("config", "set", "location", "Qwertyville"), 4, "Qwertyville")
    assert not (tmp_path / "config" / "config.json").exists()


def test_broken_config_warns_but_the_search_goes_on(cli, tmp_path):
    path = tmp_path / "config" / "config.json"
    path.parent.mkdir()
    path.write_text("{not json", encoding="utf-8")
    result = cli("near", "67202", "--json")
    assert result.exit_code == 0
    assert "warning" in result.stderr and "config.json:1" in result.stderr
    # ...and a write never clobbers the user's broken file.
    assert cli("config", "set", "units", "km").exit_code == 1
    assert path.read_text(encoding="utf-8") == "{not json"


def test_show_gives_provenance(cli, cli_json):
    clinic_id = cli_json("near", "67202")["results"][0]["id"]
    doc = cli_json("show", clinic_id)["clinic"]
    assert doc["id"] == clinic_id and doc["source_url"] and doc["location_evidence"]
    table = cli("show", clinic_id)
    assert table.exit_code == 0 and doc["source_url"] in table.stdout


def test_about_lists_topics(cli):
    result = cli("about")
    assert result.exit_code == 0
    for slug in ("depression", "anxiety", "eating-disorders", "chronic-pain", "recreational-use"):
        assert slug in result.stdout


def test_about_depression_is_substantive(cli):
    result = cli("about", "depression")
    assert result.exit_code == 0
    assert "treatment-resistant" in result.stdout
    assert "988" in result.stdout and "Sources" in result.stdout
    assert len(result.stdout) > 1500


def test_about_json_has_every_field(cli_json):
    topic = cli_json("about", "anxiety")["topic"]
    for key in ("slug", "name", "aliases", "evidence", "regulatory", "summary", "how_used",
                "risks", "careful_with", "sources", "crisis", "reviewed"):  # fmt: skip
        assert key in topic
    assert len(topic["sources"]) >= 2


def test_version(cli):
    from clinicfinder import __version__

    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"clinicfinder {__version__}"


def test_unreadable_bundled_data_is_reported_not_raised(cli, monkeypatch, tmp_path):
    from clinicfinder.clinics import load

    broken = tmp_path / "clinics.csv"
    broken.write_text("id,city\nx,y\n", encoding="utf-8")
    monkeypatch.setattr(load, "data_path", lambda name: broken)
    assert_one_line_error(cli("near", "67202"), 1, "clinics.csv:1", "missing column 'name'")


def test_markup_in_data_is_shown_literally(cli, tmp_path):
    evil = tmp_path / "evil.csv"
    evil.write_text(
        "name,city,state\n"
        '"[bold red]Evil[/] [link=https://x.example]x[/link] \x1b[2J",Wichita,KS\n',
        encoding="utf-8",
    )
    result = cli("near", "67202", "--data", str(evil), env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.stderr
    assert "[bold red]Evil[/]" in result.stdout and "[link=https://x.example]" in result.stdout
    assert "\x1b" not in result.stdout and "\\x1b[2J" in result.stdout


def test_few_results_point_to_a_wider_radius(cli_json):
    # The bundled data has one clinic in Wichita and the next well over 10 mi away.
    doc = cli_json("near", "Wichita, KS", "--radius", "10")
    assert len(doc["results"]) == 1
    assert any("--radius 150 would reach it" in n for n in doc["notices"]), doc["notices"]


def test_ctrl_c_exits_130_quietly(capsys):
    from clinicfinder.cli.boundary import run_guarded

    def interrupted():
        raise KeyboardInterrupt

    assert run_guarded(interrupted) == 130
    assert "Traceback" not in capsys.readouterr().err


def test_an_unexpected_bug_is_one_line_not_a_traceback(capsys):
    from clinicfinder.cli.boundary import run_guarded

    def buggy():
        raise ZeroDivisionError("boom")

    assert run_guarded(buggy) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "ZeroDivisionError" in err[0] and "--debug" in err[0]


@pytest.mark.parametrize("args", [[], ["config"]])
def test_no_command_shows_the_help(cli, args):
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Usage: clinicfinder")
    assert "error" not in result.stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [(["near", "--\x1b[2J"], 2), (["about", "\x1b[31mred"], 2), (["show", "\u202eevil"], 1)],
)
def test_error_messages_never_carry_terminal_escapes(cli, args, code):
    result = cli(*args)
    assert result.exit_code == code
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("clinicfinder: error: ") and "this is a bug" not in line
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr


def test_show_works_for_a_street_placed_clinic(cli, tmp_path):
    """Bug from the code-health review: `show` crashed on precision "street"."""
    data = tmp_path / "street.csv"
    data.write_text(
        "name,street,city,state,postal_code,lat,lon,precision\n"
        "Street Test Clinic,1 Test St,Wichita,KS,67202,37.6872,-97.3301,street\n",
        encoding="utf-8",
    )
    result = cli("show", "Street Test Clinic", "--data", str(data))
    assert result.exit_code == 0, result.stderr
    assert "placed at its street address" in result.stdout


def test_a_zip_placed_clinic_from_exact_coordinates_is_approximate(cli_json, tmp_path):
    data = tmp_path / "zip.csv"
    data.write_text("name,city,state,postal_code\nZip Clinic,Wichita,KS,67202\n", encoding="utf-8")
    doc = cli_json("near", "37.70,-97.33", "--data", str(data), "--no-bundled")
    (match,) = doc["results"]
    assert match["precision"] == "zip" and match["approximate"] is True


def test_debug_in_one_run_does_not_leak_into_the_next(monkeypatch):
    import os

    from clinicfinder.cli.app import run

    monkeypatch.delenv("CLINICFINDER_DEBUG", raising=False)
    run(["--debug", "about", "ketamine"])
    assert "CLINICFINDER_DEBUG" not in os.environ


def test_a_full_disk_is_one_line_naming_it(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).with_name("clinicfinder")
    done = subprocess.run(
        f'"{script}" near 67202 --json > /dev/full', shell=True, cwd=tmp_path,
        stderr=subprocess.PIPE, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert "No space left on device" in line and "bug" not in line


def test_show_by_name_and_by_a_name_that_several_share(cli):
    one = cli("show", "Advanced", "Infusion", "and", "Wellness", "Center")
    assert one.exit_code == 0 and "advanced-infusion-and-wellness-center-wichita-ks" in one.stdout
    several = cli("show", "Care Clinic")
    assert several.exit_code == 2 and "clinics are called" in several.stderr
    typo = cli("show", "Advanced Infusion and Welness Center")
    assert typo.exit_code == 1 and "did you mean" in typo.stderr


def test_unquoted_places_and_topics(cli_json, cli):
    assert cli_json("near", "Garden", "City", "KS")["origin"]["label"] == "Garden City, Kansas"
    assert cli("about", "eating", "disorders").exit_code == 0


@pytest.mark.parametrize(("nickname", "label"), [("NYC", "New York"), ("Philly", "Philadelphia")])
def test_place_nicknames(cli_json, nickname, label):
    assert cli_json("near", nickname)["origin"]["label"].startswith(label)


def test_coordinates_outside_the_us_say_so(cli):
    result = cli("near", "--json", "--", "-33.87,151.21")
    assert result.exit_code == 0
    assert "outside the US" in json.loads(result.stdout)["origin"]["note"]


def test_a_state_with_no_listing_says_so(cli_json, tmp_path):
    data = tmp_path / "ks.csv"
    data.write_text("name,city,state\nOnly Kansas,Wichita,KS\n", encoding="utf-8")
    doc = cli_json("near", "Denver, CO", "--data", str(data), "--no-bundled")
    assert any("Colorado has no clinic listed" in n for n in doc["notices"])


def test_counts_say_how_many_are_shown(cli_json):
    doc = cli_json("near", "10001", "--limit", "3")
    assert doc["shown"] == 3 and doc["found"] > 3
    assert any(f"Showing 3 of {doc['found']}" in n for n in doc["notices"])


def test_about_completes_topic_names_and_aliases():
    from clinicfinder.cli.options import complete_topics

    assert "spravato" in complete_topics("sp") and "ketamine" in complete_topics("ket")
