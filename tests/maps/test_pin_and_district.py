"""The pin: which district it is in (and how often that is right), the citizen's doors, bad coordinates."""

from __future__ import annotations

import json
import random
from decimal import Decimal

import pytest
from django.test import Client

from feedback.models import Submission
from maps import selectors
from maps.demo import city_geojson, demo_places
from maps.models import DistrictBoundary
from maps.services import BoundaryError, boundaries_load

FORM = {
    "kind": "complaint",
    "category": "city.garbage",
    "title": "垃圾几天没人清运",
    "text": "红星路门口的垃圾桶已经满了好几天。",
    "district": "dongcheng",
    "address": "红星路",
    "phone": "13812345678",
    "email": "pin@example.com",
}


def test_every_demo_place_is_located_in_its_own_district(mapped_city):
    for code, places in demo_places().items():
        for name, lat, lng in places:
            assert selectors.district_at(lat, lng).code == code, name


def test_district_inference_accuracy_on_the_demo_city_is_measured_and_perfect(mapped_city):
    """Scattered pins around every demo place (the way demo cases get theirs), inferred vs. the true district.

    The truth is the shapely test on the shipped outlines; the server's answer goes
    through the stored rows, the per-process cache and the bounding boxes.
    """
    from shapely.geometry import Point, shape

    outlines = {
        f["properties"]["code"]: shape(f["geometry"])
        for f in city_geojson()["features"]
        if f["properties"]["kind"] == "district"
    }
    rng = random.Random(19)
    right = total = 0
    for _code, places in demo_places().items():
        for _name, lat, lng in places:
            for _ in range(50):
                p = (rng.gauss(lat, 0.004), rng.gauss(lng, 0.004))
                truth = next((c for c, o in outlines.items() if o.covers(Point(p[1], p[0]))), None)
                found = selectors.district_at(*p)
                right += (found.code if found else None) == truth
                total += 1
    assert total == 1000 and right == total


def test_locate_api_names_the_district_of_a_pin_and_says_when_it_is_outside(mapped_city, client):
    inside = client.get("/api/v1/maps/locate/", {"lat": "30.630", "lng": "119.975"}).json()
    assert inside["district"] == "dongcheng" and inside["inside_city"] is True
    outside = client.get("/api/v1/maps/locate/", {"lat": "31.5", "lng": "119.975"}).json()
    assert outside == {"district": None, "district_name": None, "inside_city": False}


@pytest.mark.parametrize("query", [{"lat": "91", "lng": "120"}, {"lat": "abc", "lng": "120"}, {"lng": "120"}])
def test_locate_api_refuses_malformed_coordinates_with_400(mapped_city, client, query):
    response = client.get("/api/v1/maps/locate/", query)
    assert response.status_code == 400


def test_the_submit_form_with_only_an_address_still_works(mapped_city):
    response = Client().post("/submit/", FORM)
    assert response.status_code == 302
    case = Submission.objects.get()
    assert case.latitude is None and case.address == "红星路"


def test_the_submit_page_shows_the_map_with_the_address_path_kept(mapped_city):
    body = Client().get("/submit/").content.decode()
    assert 'id="submit-map"' in body and "vendor/leaflet/leaflet.js" in body
    assert 'name="address"' in body and 'name="latitude"' in body  # typed alone, no map needed


def test_a_pin_outside_the_city_is_refused_and_nothing_is_stored(mapped_city):
    response = Client().post("/submit/", {**FORM, "latitude": "31.500000", "longitude": "119.975000"})
    assert response.status_code == 400
    assert "城区范围" in response.content.decode() or "outside" in response.content.decode()
    assert not Submission.objects.exists()


def test_open311_post_outside_the_city_is_refused_and_nothing_is_stored(mapped_city, open311_key):
    response = Client().post(
        "/open311/v2/requests.json",
        {"api_key": open311_key, "service_code": "city.garbage", "lat": "31.5", "long": "119.9", "description": "x"},
    )
    assert response.status_code == 400 and "lat" in response.content.decode()
    assert not Submission.objects.exists()


def test_open311_lat_long_round_trip_agrees_with_storage(mapped_city, open311_key):
    response = Client().post(
        "/open311/v2/requests.json",
        {
            "api_key": open311_key,
            "service_code": "city.garbage",
            "lat": "30.630123",
            "long": "119.975456",
            "description": "垃圾满了",
        },
    )
    assert response.status_code == 200, response.content
    case = Submission.objects.get()
    assert (case.latitude, case.longitude) == (Decimal("30.630123"), Decimal("119.975456"))


def test_a_boundary_file_with_an_unknown_district_changes_nothing(mapped_city):
    before = list(DistrictBoundary.objects.values_list("district__code", "geometry"))
    data = city_geojson()
    data["features"][1]["properties"]["code"] = "atlantis"
    with pytest.raises(BoundaryError, match="atlantis"):
        boundaries_load(geojson=data)
    assert list(DistrictBoundary.objects.values_list("district__code", "geometry")) == before


def test_a_boundary_that_crosses_itself_is_refused(mapped_city):
    bow_tie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    data = {"features": [{"properties": {"code": "dongcheng"}, "geometry": bow_tie}]}
    with pytest.raises(BoundaryError, match="crosses"):
        boundaries_load(geojson=data)


def test_city_layers_are_the_outlines_and_roads_for_the_offline_map(mapped_city, client):
    layers = client.get("/api/v1/maps/city/").json()
    kinds = [f["properties"]["kind"] for f in layers["features"]]
    assert kinds.count("district") == 5 and kinds.count("road") >= 5
    assert json.dumps(layers).count("Polygon") >= 5
