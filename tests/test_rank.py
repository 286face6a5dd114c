"""Ranking and filters on a small synthetic dataset around Wichita, KS."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinicfinder.errors import UsageProblem
from clinicfinder.places.distance import distance_km
from clinicfinder.records.models import Place
from clinicfinder.records.vocab import CONDITIONS, ROUTES
from clinicfinder.search.rank import Filters, find_clinics


def ids(search):
    return [m.clinic.id for m in search.matches]


def test_nearest_first_within_radius(wichita, fixture_clinics):
    search = find_clinics(wichita, fixture_clinics, radius_km=50)
    assert ids(search) == ["a-iv-dep", "b-spravato", "d-unknown"]
    assert [m.rank for m in search.matches] == [1, 2, 3]
    distances = [m.distance_km for m in search.matches]
    assert distances == sorted(distances)
    assert search.within_radius


def test_distances_are_from_the_origin(wichita, fixture_clinics):
    """Checked against geographiclib's geodesic, not the function under test."""
    from geographiclib.geodesic import Geodesic

    for m in find_clinics(wichita, fixture_clinics, radius_km=500).matches:
        c = m.clinic
        oracle = Geodesic.WGS84.Inverse(wichita.lat, wichita.lon, c.lat, c.lon)["s12"] / 1000
        assert m.distance_km == pytest.approx(oracle, rel=1e-4)


def test_radius_bounds_the_results(wichita, fixture_clinics):
    assert ids(find_clinics(wichita, fixture_clinics, radius_km=5)) == ["a-iv-dep"]
    assert "e-far" in ids(find_clinics(wichita, fixture_clinics, radius_km=200))


def test_limit(wichita, fixture_clinics):
    assert ids(find_clinics(wichita, fixture_clinics, radius_km=500, limit=2)) == [
        "a-iv-dep",
        "b-spravato",
    ]


def test_unplaced_clinics_are_not_ranked_or_counted(wichita, fixture_clinics):
    search = find_clinics(
        wichita, fixture_clinics, radius_km=20_000, filters=Filters(include_closed=True)
    )
    assert "f-unplaced" not in ids(search)
    assert search.searched == 5


def test_closed_clinics_are_hidden_and_counted(wichita, fixture_clinics):
    search = find_clinics(wichita, fixture_clinics, radius_km=50)
    assert "c-closed" not in ids(search)
    assert search.hidden_closed == 1


def test_closed_clinics_on_request_keep_their_status(wichita, fixture_clinics):
    search = find_clinics(
        wichita, fixture_clinics, radius_km=50, filters=Filters(include_closed=True)
    )
    closed = [m.clinic for m in search.matches if m.clinic.id == "c-closed"]
    assert closed and closed[0].status == "closed"


def test_condition_filter_counts_clinics_that_do_not_say(wichita, fixture_clinics):
    search = find_clinics(
        wichita, fixture_clinics, radius_km=50, filters=Filters(condition="depression")
    )
    assert ids(search) == ["a-iv-dep", "b-spravato"]
    assert search.unknown_condition == 1  # d-unknown lists no conditions


def test_a_condition_of_the_same_family_is_offered_and_marked(wichita, fixture_clinics):
    """TRD asked for: a clinic listing only depression is kept, marked related, not dropped."""
    search = find_clinics(
        wichita, fixture_clinics, radius_km=50, filters=Filters(condition="depression")
    )
    how = {m.clinic.id: (m.condition_match, m.related_via) for m in search.matches}
    assert how == {
        "a-iv-dep": ("listed", None),
        "b-spravato": ("related", "treatment-resistant-depression"),
    }
    trd = find_clinics(
        wichita,
        fixture_clinics,
        radius_km=50,
        filters=Filters(condition="treatment-resistant-depression"),
    )
    assert {m.clinic.id: m.condition_match for m in trd.matches} == {
        "a-iv-dep": "related",
        "b-spravato": "listed",
    }
    assert (
        find_clinics(
            wichita, fixture_clinics, radius_km=50, filters=Filters(condition="ptsd")
        ).matches
        == []
    )


def test_distances_to_a_centre_are_approximate_and_to_a_street_exact(fixture_clinics):
    point = Place("37.70,-97.34", "37.70, -97.34", 37.70, -97.34, "point", "coordinates")
    at_zip = fixture_clinics[0]._replace(precision="zip")
    at_street = fixture_clinics[0]._replace(id="s", precision="street")
    search = find_clinics(point, [at_zip, at_street], radius_km=50)
    assert {m.clinic.id: m.approximate for m in search.matches} == {"a-iv-dep": True, "s": False}
    city = Place("Wichita", "Wichita, Kansas", 37.69, -97.34, "city", "gazetteer")
    assert all(m.approximate for m in find_clinics(city, [at_street], radius_km=50).matches)


def test_at_one_distance_a_street_address_comes_before_a_city_centre(fixture_clinics):
    base = fixture_clinics[0]
    centre = base._replace(id="z-centre", name="Aardvark", precision="city")
    street = base._replace(id="y-street", name="Zebra", precision="street")
    search = find_clinics(
        Place("x", "x", base.lat, base.lon, "city", "t"), [centre, street], radius_km=5
    )
    assert ids(search) == ["y-street", "z-centre"]


def test_max_age_hides_clinics_whose_newest_source_is_older(wichita, fixture_clinics):
    fresh = fixture_clinics[0]._replace(id="fresh", source_date="2025-03")
    year_only = fixture_clinics[0]._replace(id="year", source_date="2023")  # = 2023-01-01
    undated = fixture_clinics[0]._replace(id="undated", source_date="", collected="2019-05-01")
    search = find_clinics(
        wichita, [fresh, year_only, undated], radius_km=50, filters=Filters(oldest="2023-12-01")
    )
    assert ids(search) == ["fresh"] and search.hidden_old == 2


def test_route_filter_is_any_of(wichita, fixture_clinics):
    search = find_clinics(
        wichita, fixture_clinics, radius_km=500, filters=Filters(routes=["esketamine", "kap"])
    )
    assert ids(search) == ["b-spravato", "e-far"]
    assert search.unknown_route == 1


def test_nothing_in_radius_shows_the_nearest_beyond(fixture_clinics):
    denver = Place("Denver", "Denver, Colorado", 39.74, -104.99, "city", "test")
    search = find_clinics(denver, fixture_clinics, radius_km=50)
    assert not search.within_radius
    assert len(search.matches) == 3
    assert search.matches[0].distance_km > 50


def test_no_match_at_all_is_an_empty_result(wichita, fixture_clinics):
    search = find_clinics(
        wichita, fixture_clinics, radius_km=50, filters=Filters(condition="migraine")
    )
    assert search.matches == [] and not search.within_radius


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"radius_km": -1}, "radius"),
        ({"radius_km": 0}, "radius"),
        ({"radius_km": float("nan")}, "radius"),
        ({"radius_km": 1e9}, "at most"),
        ({"limit": 0}, "limit"),
        ({"filters": Filters(condition="flu")}, "unknown condition"),
        ({"filters": Filters(routes=["iv", "teleport"])}, "unknown route"),
    ],
)
def test_impossible_searches_are_usage_errors(wichita, fixture_clinics, kwargs, message):
    with pytest.raises(UsageProblem, match=message):
        find_clinics(wichita, fixture_clinics, **kwargs)


@given(
    condition=st.sampled_from([None, *CONDITIONS]),
    routes=st.lists(st.sampled_from(list(ROUTES)), max_size=3),
    radius=st.floats(1, 2000),
)
def test_filters_only_ever_shrink_the_results(wichita, fixture_clinics, condition, routes, radius):
    everything = set(ids(find_clinics(wichita, fixture_clinics, radius_km=radius, limit=99)))
    filtered = find_clinics(
        wichita,
        fixture_clinics,
        radius_km=radius,
        limit=99,
        filters=Filters(condition=condition, routes=routes),
    )
    if filtered.within_radius:
        assert set(ids(filtered)) <= everything
    for m in filtered.matches:
        assert (
            condition is None
            or (m.condition_match == "listed" and condition in m.clinic.conditions)
            or (m.condition_match == "related" and m.related_via in m.clinic.conditions)
        )
        assert not routes or set(routes) & set(m.clinic.routes)
        assert m.clinic.status != "closed"


def test_the_nearest_clinic_outside_the_radius_is_reported(wichita, fixture_clinics):
    search = find_clinics(wichita, fixture_clinics, radius_km=50)
    far = next(c for c in fixture_clinics if c.id == "e-far")
    assert search.next_beyond_km == pytest.approx(
        distance_km(wichita.lat, wichita.lon, far.lat, far.lon)
    )
    assert find_clinics(wichita, fixture_clinics, radius_km=5000).next_beyond_km is None


def test_at_one_shown_distance_a_reachable_listing_beats_an_unverified_one(fixture_clinics):
    """A few metres apart reads as "0.0 mi" for both: the raw floats don't decide."""
    base = fixture_clinics[0]
    origin = Place("x", "x", base.lat, base.lon, "city", "t")
    silent = base._replace(
        id="a-silent", name="Aardvark", status="unverified", phone="", website="", precision="city"
    )
    callable_ = base._replace(id="z-call", name="Zebra", lon=base.lon + 0.00007, precision="zip")
    for units in ("mi", "km"):
        search = find_clinics(origin, [silent, callable_], radius_km=5, units=units)
        assert ids(search) == ["z-call", "a-silent"], units
    far = callable_._replace(lon=base.lon + 0.01)  # ~0.6 mi: farther as shown, so after
    assert ids(find_clinics(origin, [silent, far], radius_km=5)) == ["a-silent", "z-call"]


@pytest.mark.parametrize("place", ["St. George, UT", "Cedar City, UT"])
def test_saint_george_regional_ranks_above_the_unverified_desert_sands(cli_json, place):
    names = [r["name"] for r in cli_json("near", place, "--json")["results"]]
    regional = names.index("Saint George Regional Medical Center")
    assert regional < names.index("Desert Sands Ketamine Treatment Center")
