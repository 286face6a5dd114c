"""The offline location parser: every form the README promises, and its errors."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinicfinder.errors import ClinicFinderError, LocationNotFound, UsageProblem
from clinicfinder.places.gazetteer import place_key
from clinicfinder.places.geocode import clean_query, locate


@pytest.mark.parametrize(
    ("text", "label", "precision"),
    [
        ("Wichita, KS", "Wichita, Kansas", "city"),
        ("wichita,ks", "Wichita, Kansas", "city"),
        ("  WICHITA ,   Kansas ", "Wichita, Kansas", "city"),
        ("Wichita KS", "Wichita, Kansas", "city"),
        ("wichita kansas", "Wichita, Kansas", "city"),
        ("St. Louis, MO", "St. Louis, Missouri", "city"),
        ("Saint Louis MO", "St. Louis, Missouri", "city"),
        ("St Louis, Missouri", "St. Louis, Missouri", "city"),
        ("Ft. Worth, TX", "Fort Worth, Texas", "city"),
        ("Fort Worth TX", "Fort Worth, Texas", "city"),
        ("Mt. Vernon, NY", "Mount Vernon, New York", "city"),
        ("Mount Vernon, NY", "Mount Vernon, New York", "city"),
        ("Coeur d'Alene, ID", "Coeur d'Alene, Idaho", "city"),
        ("coeur d\u2019alene idaho", "Coeur d'Alene, Idaho", "city"),
        ("Winston-Salem, NC", "Winston-Salem, North Carolina", "city"),
        ("winston salem nc", "Winston-Salem, North Carolina", "city"),
        ("Washington, DC", "Washington, District of Columbia", "city"),
        ("San Juan, PR", "San Juan, Puerto Rico", "city"),
        ("Kansas", "Kansas", "state"),
        ("ks", "Kansas", "state"),
        ("North Carolina", "North Carolina", "state"),
    ],
)
def test_place_names(text, label, precision):
    place = locate(text)
    assert (place.label, place.precision) == (label, precision)
    assert place.query == clean_query(text)


@pytest.mark.parametrize("text", ["67202", "67202-1234", "672021234"])
def test_zip_and_zip_plus_four(text):
    place = locate(text)
    assert place.precision == "zip"
    assert place.label == "Wichita, Kansas 67202"
    assert abs(place.lat - 37.69) < 0.05 and abs(place.lon + 97.34) < 0.05


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("37.69,-97.34", 37.69, -97.34),
        ("37.69 -97.34", 37.69, -97.34),
        ("-33.9, 151.2", -33.9, 151.2),
    ],
)
def test_coordinates(text, lat, lon):
    place = locate(text)
    assert (place.lat, place.lon, place.precision) == (lat, lon, "point")


@pytest.mark.parametrize(
    ("text", "precision", "note"),
    [
        # A city alone: the most populous one, and the user hears which.
        ("Springfield", "city", "most populous, in MO"),
        ("Wichita", "city", None),
        # Streets can't be placed offline: fall back, and say so.
        ("300 N Main St, Wichita, KS 67202", "zip", "street addresses can't be located offline"),
        ("300 N Main St, Wichita, KS", "city", "searching from the city centre"),
        ("Kansas City, MO 64108", "zip", None),
        ("New York", "state", "try 'New York, NY'"),
    ],
)
def test_how_the_place_was_chosen_is_said(text, precision, note):
    place = locate(text)
    assert place.precision == precision
    if note is None:
        assert place.note is None
    else:
        assert note in place.note


@pytest.mark.parametrize("text", ["00000", "99999"])
def test_nonexistent_zip(text):
    with pytest.raises(LocationNotFound, match="not a US ZIP code"):
        locate(text)


@pytest.mark.parametrize("text", ["91,0", "0,181", "-90.5 10", "45 -200"])
def test_out_of_range_coordinates(text):
    with pytest.raises(UsageProblem, match="out of range"):
        locate(text)


@pytest.mark.parametrize("text", ["", "   ", "\t\n", "\x1b\x07"])
def test_empty(text):
    with pytest.raises(UsageProblem, match="empty"):
        locate(text)


def test_too_long():
    with pytest.raises(UsageProblem, match="too long"):
        locate("Wichita " * 100)


def test_unknown_city_in_a_state_suggests_spellings():
    with pytest.raises(LocationNotFound) as err:
        locate("Portlnd")  # Portland or Cortland? not ours to guess
    assert "Portland" in err.value.hint and "Cortland" in err.value.hint


def test_one_clear_misspelling_is_searched():
    place = locate("Wichta, KS")
    assert (place.label, place.note) == ("Wichita, Kansas", "'Wichta' read as Wichita, KS")


def test_a_city_in_the_wrong_state_is_not_silently_moved():
    with pytest.raises(LocationNotFound, match="in KS"):
        locate("Springfield, KS")


def test_place_outside_the_us():
    with pytest.raises(LocationNotFound, match="US place"):
        locate("Paris, France")


def test_place_key_folds_spellings():
    assert place_key("Saint Louis") == place_key("St. Louis") == "st louis"
    assert place_key("Coeur d'Alene") == place_key("COEUR D\u2019ALENE") == "coeur dalene"
    assert place_key("Winston-Salem") == "winston salem"
    assert place_key("Mount  Vernon") == place_key("Mt. Vernon")


def test_control_and_bidi_characters_are_dropped():
    assert clean_query("Wichita\u202e, KS\x1b[2J") == "Wichita , KS [2J"
    assert locate("Wichita\u202e, KS").label == "Wichita, Kansas"


@given(st.text(max_size=300))
def test_any_text_resolves_or_raises_our_own_error(text):
    try:
        place = locate(text)
    except ClinicFinderError:
        return
    assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180
    assert place.precision in {"point", "zip", "city", "state"}


@given(st.from_regex(r"\A[0-9]{5}(-[0-9]{4})?\Z"))
def test_any_zip_shaped_text_is_a_zip_or_a_clear_not_found(text):
    try:
        assert locate(text).precision == "zip"
    except LocationNotFound as exc:
        assert "not a US ZIP code" in exc.message
