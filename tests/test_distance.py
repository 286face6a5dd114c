from geographiclib.geodesic import Geodesic
from hypothesis import given
from hypothesis import strategies as st

from clinicfinder.places.distance import distance_km, km_to_miles, miles_to_km

lat = st.floats(-89.9, 89.9)
lon = st.floats(-180, 180)


def test_known_distance_wichita_to_kansas_city():
    # Geodesic distance Wichita → Kansas City MO is about 282 km.
    d = distance_km(37.69224, -97.33754, 39.09973, -94.57857)
    g = Geodesic.WGS84.Inverse(37.69224, -97.33754, 39.09973, -94.57857)["s12"] / 1000
    assert abs(d - g) / g < 1e-4
    assert 270 < d < 295


@given(lat, lon, lat, lon)
def test_within_a_twentieth_of_a_percent_of_the_geodesic(a1, o1, a2, o2):
    g = Geodesic.WGS84.Inverse(a1, o1, a2, o2)["s12"] / 1000
    d = distance_km(a1, o1, a2, o2)
    assert abs(d - g) <= 0.0005 * g + 0.001


@given(lat, lon, lat, lon)
def test_symmetric_and_non_negative(a1, o1, a2, o2):
    d = distance_km(a1, o1, a2, o2)
    assert d >= 0
    assert abs(d - distance_km(a2, o2, a1, o1)) < 1e-6


def test_same_point_is_zero():
    assert distance_km(37.0, -97.0, 37.0, -97.0) == 0.0


def test_mile_conversions_round_trip():
    assert abs(km_to_miles(miles_to_km(50)) - 50) < 1e-9
    assert abs(miles_to_km(1) - 1.609344) < 1e-12
