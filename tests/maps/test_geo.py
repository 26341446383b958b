"""portal.geo: GCJ-02 against published reference values, and the checks on drawn areas."""

import pytest

from portal.geo import ShapeError, area_from_geojson, contains, gcj02_to_wgs84, prepared, wgs84_to_gcj02

# googollee/eviltransform's test points: (WGS-84 lat, lng) -> (GCJ-02 lat, lng).
REFERENCE = [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),  # Shanghai
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),  # Shenzhen
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),  # Beijing
]


@pytest.mark.parametrize(("wgs", "gcj"), REFERENCE)
def test_wgs84_to_gcj02_matches_the_reference_values(wgs, gcj):
    lat, lng = wgs84_to_gcj02(*wgs)
    assert lat == pytest.approx(gcj[0], abs=1e-9) and lng == pytest.approx(gcj[1], abs=1e-9)


@pytest.mark.parametrize(("wgs", "gcj"), REFERENCE)
def test_gcj02_to_wgs84_returns_the_stored_point_within_a_centimetre(wgs, gcj):
    lat, lng = gcj02_to_wgs84(*gcj)
    assert lat == pytest.approx(wgs[0], abs=1e-7) and lng == pytest.approx(wgs[1], abs=1e-7)


def test_gcj02_inverse_agrees_with_gcoord_reference():
    # hujiulong/gcoord: GCJ02 -> WGS84 of [123, 45] is [122.99395597, 44.99804071] (5 decimals).
    lat, lng = gcj02_to_wgs84(45, 123)
    assert (round(lat, 5), round(lng, 5)) == (44.99804, 122.99396)


def test_points_outside_china_are_not_shifted():
    assert wgs84_to_gcj02(51.5, -0.12) == (51.5, -0.12)


SQUARE = {"type": "Polygon", "coordinates": [[[120, 30], [120.1, 30], [120.1, 30.1], [120, 30.1], [120, 30]]]}


def test_a_point_inside_a_drawn_area_is_contained_and_one_outside_is_not():
    area = prepared(area_from_geojson(SQUARE))
    assert contains(area, 30.05, 120.05) and not contains(area, 30.2, 120.05)


@pytest.mark.parametrize(
    ("geometry", "says"),
    [
        ({"type": "Point", "coordinates": [120, 30]}, "Polygon"),
        ({"type": "Polygon", "coordinates": [[[1, 2]]]}, "cannot be read"),
        ({"type": "Polygon", "coordinates": [[[200, 30], [201, 30], [201, 31], [200, 30]]]}, "outside"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}, "crosses itself"),
        ("not json at all", "Polygon"),
    ],
)
def test_a_broken_area_is_refused_with_a_reason(geometry, says):
    with pytest.raises(ShapeError, match=says):
        area_from_geojson(geometry)
