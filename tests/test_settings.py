"""One `Settings` resolves every key: flag > environment > config file > default; each key's
check is the same for `config set`, the environment and the saved file."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinicfinder import config
from clinicfinder.config import KEYS, Settings, check
from clinicfinder.errors import UsageProblem
from tests.conftest import assert_one_line_error

# A valid value per key, as saved, and another to tell the layers apart.
VALUES = {
    "location": ("Wichita, KS", "Denver, CO"),
    "units": ("km", "mi"),
    "radius": ("100 mi", "30"),
    "online": ("true", "false"),
    "pager": ("off", "less -FRX"),
    "nominatim_url": ("http://127.0.0.1:8080", "http://127.0.0.1:9090"),
    "findtreatment_url": ("http://127.0.0.1:8081/v2", "http://127.0.0.1:9091/v2"),
}


def test_every_key_has_a_value_here_and_an_environment_variable():
    assert set(VALUES) == set(KEYS)
    assert all(k.env == "CLINICFINDER_" + name.upper() for name, k in KEYS.items())


@pytest.mark.parametrize("key", sorted(KEYS))
def test_each_key_is_flag_then_environment_then_config_then_default(key):
    saved, env = VALUES[key]
    alone = Settings({}, {})
    assert alone.get(key) == KEYS[key].default
    from_file = Settings({key: saved}, {})
    assert from_file.get(key) == check(key, saved)
    both = Settings({key: saved}, {KEYS[key].env: env})
    assert both.get(key) == check(key, env)
    assert both.get(key, saved) == check(key, saved)  # the flag wins over both


def test_the_typed_accessors_follow_the_same_order():
    s = Settings({"units": "km", "radius": "30", "online": "true", "pager": "off"}, {})
    assert (s.units(), s.units("mi")) == ("km", "mi")
    assert s.radius() == ("30", "the config file's radius")
    assert s.radius("12.5 km") == ("12.5 km", "the command line")
    assert s.online() is True and s.online(False) is False
    assert s.pager() is None and Settings({}, {}).pager() == "on"
    assert Settings({}, {}).pager(False) is None  # --no-pager
    assert Settings({"pager": "cat"}, {}).pager() is None  # as git: cat pages nothing
    assert Settings({"pager": "more"}, {"CLINICFINDER_PAGER": ""}).pager() is None
    env = Settings({"online": "true", "pager": "off"}, {"CLINICFINDER_ONLINE": "0"})
    assert env.online() is False and Settings({}, {}).radius() is None
    assert Settings({"pager": "less -R"}, {}).pager() == "less -R"
    assert Settings({}, {}).nominatim_url() == config.PUBLIC_NOMINATIM


def test_a_bad_value_says_where_it_came_from():
    with pytest.raises(UsageProblem) as env:
        Settings({}, {"CLINICFINDER_UNITS": "parsecs"}).units()
    assert "$CLINICFINDER_UNITS" in (env.value.hint or "")
    with pytest.raises(UsageProblem) as saved:
        Settings({"online": "maybe"}, {}).online()
    assert "config file" in (saved.value.hint or "")


def test_config_set_radius_and_units_steer_near(cli, cli_json):
    assert cli("config", "set", "radius", "100", "mi").exit_code == 0
    assert cli("config", "get", "radius").stdout.strip() == "100 mi"
    assert cli_json("near", "67202")["radius_mi"] == 100.0
    assert cli("config", "set", "units", "km").exit_code == 0
    doc = cli_json("near", "67202")
    assert doc["radius_mi"] == 100.0  # a radius saved in miles stays 100 mi
    assert cli("config", "set", "radius", "30").exit_code == 0  # no unit: in --units (km)
    assert cli_json("near", "67202")["radius_km"] == 30.0
    assert cli_json("near", "67202", "--radius", "10")["radius_km"] == 10.0  # the flag wins


def test_the_environment_wins_over_the_saved_radius(cli, cli_json, monkeypatch):
    assert cli("config", "set", "radius", "100").exit_code == 0
    monkeypatch.setenv("CLINICFINDER_RADIUS", "20 km")
    assert cli_json("near", "67202")["radius_km"] == 20.0
    monkeypatch.setenv("CLINICFINDER_RADIUS", "everywhere")
    assert_one_line_error(cli("near", "67202"), 2, "CLINICFINDER_RADIUS")


def test_config_set_pager_takes_on_off_or_a_command(cli, monkeypatch):
    monkeypatch.delenv("CLINICFINDER_PAGER")  # the tests' own "cat" would win
    assert cli("config", "set", "pager", "OFF").exit_code == 0
    assert cli("config", "get", "pager").stdout.strip() == "off"
    assert cli("config", "set", "pager", "less", "-FRX").exit_code == 0  # words joined
    assert cli("config", "get", "pager").stdout.strip() == "less -FRX"
    assert Settings.load().pager() == "less -FRX"


def test_config_set_location_takes_words_unquoted(cli):
    saved = cli("config", "set", "location", "Glasgow,", "MT")
    assert saved.exit_code == 0, saved.stderr
    assert "Glasgow" in saved.stderr
    assert cli("config", "get", "location").stdout.strip() == "Glasgow, MT"
    assert json.loads(cli("near", "--json").stdout)["origin"]["state"] == "MT"


@pytest.mark.parametrize(
    ("args", "message"),
    [(["radius", "-5"], "positive number"), (["radius", "far"], "not a distance"),
     (["units", "parsecs"], "units"), (["online", "maybe"], "true or false")],
)  # fmt: skip
def test_config_set_refuses_what_a_search_would_refuse(cli, args, message):
    assert_one_line_error(cli("config", "set", *args), 2, message)


@pytest.mark.parametrize(
    ("word", "online"),
    [("1", True), ("yes", True), ("ON", True), ("0", False), ("no", False), ("off", False)],
)
def test_online_takes_the_usual_spellings_from_anywhere(word, online):
    assert Settings({"online": word}, {}).online() is online
    assert Settings({}, {"CLINICFINDER_ONLINE": word}).online() is online
    assert check("online", word) == ("true" if online else "false")


@given(st.sampled_from(sorted(KEYS)), st.text(max_size=40))
def test_each_check_is_a_usage_error_or_a_value_it_accepts_again(key, text):
    """Whatever is typed: refused as a usage error, or saved in a form that reads back the
    same (what `config set` saves, a later run checks again)."""
    try:
        saved = check(key, text)
    except UsageProblem:
        return
    assert check(key, saved) == saved
    assert saved == " ".join(saved.split())  # one line, no stray whitespace


def test_a_saved_radius_is_refused_where_near_would_refuse_it(cli):
    """One radius check (search.rank.check_radius): `config set radius 40000 km` used to be
    saved, and then every `near` failed on it."""
    too_far = cli("config", "set", "radius", "40000", "km")
    assert too_far.exit_code == 2 and "at most 20,038 km" in too_far.stderr
    assert cli("config", "get", "radius").exit_code == 1  # nothing saved
    assert cli("config", "set", "radius", "12000", "mi").exit_code == 0
