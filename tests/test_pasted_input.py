"""Places as people paste and type them (issue 21, item 8): coordinates copied from maps,
the territories, a misspelt town, a radius with its unit, and 'near me'."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinicfinder.cli.argv import UNIT_WORDS, VALUE_OPTIONS, prepare
from clinicfinder.errors import LocationNotFound, UsageProblem
from clinicfinder.places.coords import parse_coordinates
from clinicfinder.places.distance import parse_distance
from clinicfinder.places.gazetteer import default_gazetteer
from clinicfinder.places.geocode import coarse_point, locate
from clinicfinder.places.regions import is_territory, regions
from clinicfinder.records.models import Place

NYC = (40.7128, -74.006)


# ---- coordinates in the forms maps copy


@pytest.mark.parametrize(
    "text",
    [
        "40.7128, -74.0060",  # Google Maps
        "40.7128,-74.0060",
        "40.7128 -74.0060",
        "40.7128° N, 74.0060° W",  # Apple Maps
        "40.7128°N 74.0060°W",
        "40.7128 n, 74.006 w",
        "74.0060° W, 40.7128° N",  # letters decide, not order
        "N 40.7128 W 74.0060",  # GPS units
        "N40.7128 W74.0060",
        "(40.7128, \u221274.0060)",  # Wikipedia's minus sign
        "40.7128, \u201374.0060",  # an en dash
        "+40.7128 -074.0060",
        "40.7128°, -74.0060°",
    ],
)
def test_decimal_coordinates_as_maps_copy_them(text):
    lat, lon = parse_coordinates(text)
    assert (round(lat, 4), round(lon, 4)) == NYC


@pytest.mark.parametrize(
    "text",
    [
        "40°42'46\"N 74°00'22\"W",
        "40°42\u203246\u2033N 74°00\u203222\u2033W",  # primes, as Wikipedia prints them
        "40° 42' 46\" N, 74° 0' 22\" W",
        "40° 42.767' N, 74° 0.367' W",
    ],
)
def test_degrees_minutes_seconds(text):
    lat, lon = parse_coordinates(text)
    assert abs(lat - 40.7128) < 1e-3 and abs(lon + 74.0061) < 1e-3


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("40.7 N, 74 N", "two latitudes"),
        ("74 W 40 E", "two longitudes"),
        ("-40 N, 74 W", "disagree"),
        ("40 61' N, 74 W", "under 60"),
        ("40.5 30' N, 74 W", "fraction"),
        ("95, 10", "latitude 95"),
        ("40, 190", "longitude 190"),
    ],
)
def test_impossible_coordinates_say_what_is_wrong(text, problem):
    with pytest.raises(UsageProblem, match=problem):
        parse_coordinates(text)


@pytest.mark.parametrize("text", ["Wichita, KS", "67202", "67202-1234", "N 5th St", "I 35 W"])
def test_place_names_are_not_coordinates(text):
    assert parse_coordinates(text) is None


LATS = st.floats(-90, 90, allow_nan=False).map(lambda v: round(v, 5))
LONS = st.floats(-180, 180, allow_nan=False).map(lambda v: round(v, 5))


def _hemi(value, pos, neg):
    return f"{abs(value):.5f}°{pos if value >= 0 else neg}"


FORMS = [
    lambda lat, lon: f"{lat:.5f}, {lon:.5f}",
    lambda lat, lon: f"{lat:.5f} {lon:.5f}",
    lambda lat, lon: f"{lat:.5f},{lon:.5f}".replace("-", "\u2212"),
    lambda lat, lon: f"{_hemi(lat, 'N', 'S')} {_hemi(lon, 'E', 'W')}",
    lambda lat, lon: f"{_hemi(lon, 'E', 'W')}, {_hemi(lat, 'N', 'S')}",
    lambda lat, lon: f"({lat:.5f}, {lon:.5f})",
]


@given(LATS, LONS, st.sampled_from(FORMS))
def test_any_point_written_as_maps_write_it_reads_back(lat, lon, form):
    got = parse_coordinates(form(lat, lon))
    assert got is not None
    assert abs(got[0] - lat) < 1e-9 and abs(got[1] - lon) < 1e-9


@given(st.integers(0, 89), st.integers(0, 59), st.integers(0, 59), st.integers(0, 179))
def test_any_dms_reads_back(d, m, s, lon_d):
    lat, lon = parse_coordinates(f"{d}°{m}'{s}\"S {lon_d}°{m}'{s}\"W")
    assert abs(lat + (d + m / 60 + s / 3600)) < 1e-9
    assert abs(lon + (lon_d + m / 60 + s / 3600)) < 1e-9


@given(st.text(max_size=60))
def test_any_text_is_coordinates_none_or_a_usage_problem(text):
    try:
        got = parse_coordinates(text)
    except UsageProblem:
        return
    if got is not None:
        assert -90 <= got[0] <= 90 and -180 <= got[1] <= 180


# ---- the radius, with its unit


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("100", 100, None), ("100 mi", 100, "mi"), ("100mi", 100, "mi"),
        ("160km", 160, "km"), ("160 KM", 160, "km"), ("2.5 kilometres", 2.5, "km"),
        ("1,000 miles", 1000, "mi"), ("30 mi.", 30, "mi"), (".5 km", 0.5, "km"),
    ],
)  # fmt: skip
def test_distances(text, value, unit):
    assert parse_distance(text) == (value, unit)


@pytest.mark.parametrize("text", ["", "abc", "100 furlongs", "1e3", "nan", "inf", "10,00"])
def test_not_distances(text):
    with pytest.raises(UsageProblem, match="not a distance"):
        parse_distance(text)


@given(
    st.floats(0, 1e6, allow_nan=False).map(lambda v: round(v, 3)),
    st.sampled_from(["", " ", "  "]),
    st.sampled_from(["mi", "miles", "MI", "km", "Km", "kilometers", "kilometre", ""]),
)
def test_any_distance_with_any_unit_reads_back(value, space, unit):
    got, got_unit = parse_distance(f"{value}{space}{unit}")
    assert got == value
    assert got_unit == ({"m": "mi", "k": "km"}.get(unit[:1].lower()) if unit else None)


@given(st.text(max_size=30))
def test_any_radius_text_is_a_distance_or_a_usage_problem(text):
    try:
        value, unit = parse_distance(text)
    except UsageProblem:
        return
    assert value == value and unit in (None, "mi", "km")


# ---- the command line as typed


def test_value_options_match_the_near_command():
    """argv.py's list of near's value-taking options is the command's own."""
    import typer.main

    from clinicfinder.cli.app import build_app

    command = typer.main.get_command(build_app("near")).commands["near"]
    taking = {
        name
        for p in command.params
        if p.param_type_name == "option" and not p.is_flag
        for name in (*p.opts, *p.secondary_opts)
    }
    assert taking == VALUE_OPTIONS["near"]


@pytest.mark.parametrize(
    ("args", "prepared"),
    [
        (["near", "40.7128,", "-74.0060"], ["near", "--", "40.7128,", "-74.0060"]),
        (["near", "Denver", "--radius", "100", "mi"], ["near", "Denver", "--radius", "100 mi"]),
        (["near", "--radius=160", "km", "Denver"], ["near", "--radius=160 km", "Denver"]),
        (["near", "-n", "-1", "Denver"], ["near", "-n", "-1", "Denver"]),  # a value stays
        (["near", "--", "-33.9,151.2"], ["near", "--", "-33.9,151.2"]),
        (["config", "set", "location", "-33.9,151.2"],
         ["config", "set", "--", "location", "-33.9,151.2"]),
        (["show", "-5"], ["show", "-5"]),  # not a command that takes a place
        (["near", "Denver", "--radius"], ["near", "Denver", "--radius"]),  # click: no value
    ],
)  # fmt: skip
def test_prepare(args, prepared):
    assert prepare(args) == prepared


WORD = st.one_of(
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=8
    ).filter(lambda w: not w.startswith("-") and w.lower().rstrip(".") not in UNIT_WORDS),
    st.floats(-180, 0, allow_nan=False).map(lambda v: f"{v:.4f}"),  # -74.0060
)
OPTION = st.sampled_from([["--json"], ["--limit", "3"], ["-n", "-2"], ["--radius", "5"]])


@given(st.lists(st.one_of(WORD.map(lambda w: [w]), OPTION), max_size=6))
def test_prepare_keeps_every_word_and_option_value(chunks):
    args = ["near", *(t for chunk in chunks for t in chunk)]
    prepared = prepare(args)
    added = prepared.count("--") - args.count("--")
    assert added in (0, 1)
    rest = list(prepared)
    if added:
        rest.remove("--")
    assert sorted(rest) == sorted(args)  # nothing lost, nothing invented
    words = [chunk[0] for chunk in chunks if len(chunk) == 1 and chunk != ["--json"]]
    if added:  # every word after the "--", in the order typed
        assert prepared[prepared.index("--") + 1 :] == words
    else:
        assert prepared == args


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed command in a real process: click parses sys.argv as a shell gives it."""
    script = Path(sys.executable).with_name("clinicfinder")
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True, timeout=60, env=env
    )  # fmt: skip


def test_coordinates_pasted_from_a_map_search_in_a_real_process():
    done = run_cli("near", "40.7128,", "-74.0060", "--limit", "2", "--json")
    assert done.returncode == 0, done.stderr
    origin = json.loads(done.stdout)["origin"]
    assert (origin["lat"], origin["lon"]) == NYC and origin["precision"] == "point"


@pytest.mark.parametrize("radius", [["100", "mi"], ["100mi"], ["161 km"], ["160.934", "km"]])
def test_radius_with_a_unit(cli_json, radius):
    doc = cli_json("near", "Denver, CO", "--radius", *radius)
    assert doc["origin"]["label"] == "Denver, Colorado"
    assert abs(doc["radius_mi"] - 100) < 0.1


def test_a_bare_radius_is_in_the_chosen_units(cli_json):
    doc = cli_json("near", "Denver, CO", "--radius", "100", "--units", "km")
    assert doc["radius_km"] == 100


def test_a_radius_that_is_no_distance_is_one_line(cli):
    result = cli("near", "Denver, CO", "--radius", "far")
    assert result.exit_code == 2 and "not a distance" in result.stderr


# ---- near me, near here


@pytest.mark.parametrize("words", [["me"], ["here"], ["Me"], ["my", "location"]])
def test_near_me_without_a_saved_location_says_how_to_save_one(cli, words):
    result = cli("near", *words)
    assert result.exit_code == 2
    assert "config set location" in result.stderr and "Maine" not in result.stderr
    assert "couldn't find" not in result.stderr


@pytest.mark.parametrize("word", ["me", "here"])
def test_near_me_uses_the_saved_location(cli, cli_json, word):
    assert cli("config", "set", "location", "Wichita, KS").exit_code == 0
    doc = cli_json("near", word)
    assert doc["origin"]["label"] == "Wichita, Kansas"
    assert doc["origin"]["note"] == f"'near {word}': using your saved location, Wichita, KS"


def test_near_me_uses_the_location_from_the_environment(cli):
    result = cli("near", "me", env={"CLINICFINDER_LOCATION": "Denver, CO"})
    assert result.exit_code == 0 and "Clinics near Denver, Colorado" in result.stdout
    assert "Maine" not in result.stdout


def test_me_in_capitals_is_still_maine():
    assert locate("ME").label == "Maine"


def test_here_is_never_looked_up_as_a_town():
    with pytest.raises(LocationNotFound, match="isn't a place name") as err:
        locate("here")
    assert "config set location" in err.value.hint


# ---- the territories


@pytest.mark.parametrize(
    ("text", "label", "code"),
    [
        ("96910", "Hagatna, Guam 96910", "GU"),
        ("Charlotte Amalie, VI", "Charlotte Amalie, U.S. Virgin Islands", "VI"),
        ("Saipan, MP", "Saipan, Northern Mariana Islands", "MP"),
        ("Pago Pago, AS", "Pago Pago, American Samoa", "AS"),
        ("96799", "Pago Pago, American Samoa 96799", "AS"),
        ("00820", "Christiansted, U.S. Virgin Islands 00820", "VI"),
        ("Dededo, Guam", "Dededo, Guam", "GU"),
        ("Guam", "Guam", "GU"),
        ("US Virgin Islands", "U.S. Virgin Islands", "VI"),
    ],
)
def test_territories(text, label, code):
    place = locate(text)
    assert (place.label, place.state) == (label, code)
    assert regions()[code].contains(place.lat, place.lon)


@pytest.mark.parametrize("text", ["96910", "Charlotte Amalie, VI", "Saipan, MP", "Pago Pago, AS"])
def test_near_a_territory_works(cli_json, text):
    doc = cli_json("near", text)
    assert doc["results"], "the nearest beyond the radius are shown"
    assert doc["origin"]["state"] in ("GU", "VI", "MP", "AS")


def test_territories_are_territories():
    assert [c for c in regions() if is_territory(c)] == ["AS", "GU", "MP", "PR", "VI"]
    assert not is_territory("DC") and not is_territory("KS")
    assert "territory centre" in locate("Guam").source
    assert "state" not in locate("Guam").source


def test_a_point_on_guam_is_in_guam_not_outside_the_us():
    place = locate("13.4762, 144.7516")
    assert place.state == "GU" and place.note is None


# ---- one clear misspelling


def test_one_clear_misspelling_is_corrected_and_said(cli_json):
    doc = cli_json("near", "Albuquerqe, NM")
    assert doc["origin"]["label"] == "Albuquerque, New Mexico"
    assert doc["origin"]["note"] == "'Albuquerqe' read as Albuquerque, NM"


def test_a_misspelling_without_a_state_names_the_others():
    place = locate("Denvr")
    assert place.label == "Denver, Colorado"
    assert place.note.startswith("'Denvr' read as Denver, CO (the most populous; also in")


def test_several_close_names_are_offered_not_guessed():
    with pytest.raises(LocationNotFound) as err:
        locate("Portlnd")
    assert "Portland" in err.value.hint and "Cortland" in err.value.hint


def test_short_words_are_suggested_not_corrected():
    with pytest.raises(LocationNotFound) as err:
        locate("Salm, OR")  # four letters: one change may be another town
    assert "Salem" in err.value.hint


# ---- what the registry may be told


def test_the_registry_point_is_decided_by_precision_not_by_the_label():
    street = Place("x", "x", 37.9123, -97.6543, "point", "offline gazetteer: anything")
    assert coarse_point(street) not in (None, (37.9123, -97.6543))  # a label can't open it
    state = Place("Kansas", "Kansas", 1.0, 2.0, "state", "geocoder", state="KS")
    ks = regions()["KS"]
    assert coarse_point(state) == (ks.lat, ks.lon)  # the gazetteer's own centre
    zips = default_gazetteer()
    city = locate("Garden City, KS")
    nearest = zips.nearest_zip(city.lat, city.lon)
    assert coarse_point(city) == (nearest.lat, nearest.lon)  # a ZIP centre the gazetteer ships
    assert coarse_point(locate("67202")) == (zips.zip("67202").lat, zips.zip("67202").lon)
