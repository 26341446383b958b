"""GET discovery, services and services/{service_code}, in JSON and XML."""

from __future__ import annotations

import pytest

from tests.open311.conftest import json_of, xml_of

SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]


def test_discovery_lists_this_endpoint_in_both_formats(city, client):
    data = json_of(client.get("/open311/v2/discovery.json"))
    assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
    (endpoint,) = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert endpoint["formats"] == ["text/xml", "application/json"]

    root = xml_of(client.get("/open311/v2/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == ["text/xml", "application/json"]


def test_services_are_the_leaf_categories_with_spec_fields_and_types(city, road_definition, client):
    services = json_of(client.get("/open311/v2/services.json"))
    codes = [s["service_code"] for s in services]
    assert "city.garbage" in codes and "other" in codes
    assert "city" not in codes, "a category with children is a group, not a service"
    for service in services:
        assert list(service) == SERVICE_FIELDS
        assert isinstance(service["service_code"], str)
        assert isinstance(service["metadata"], bool)
        assert service["type"] == "realtime"
        assert isinstance(service["keywords"], str)
    by_code = {s["service_code"]: s for s in services}
    assert by_code["transport.road"]["metadata"] is True
    assert by_code["city.garbage"]["metadata"] is False
    assert by_code["city.garbage"]["service_name"] == "垃圾清运"
    assert by_code["city.garbage"]["group"] == "市容环境"
    assert by_code["other"]["group"] == "其他"


def test_services_follow_the_accept_language(city, client):
    services = json_of(client.get("/open311/v2/services.json", HTTP_ACCEPT_LANGUAGE="en"))
    by_code = {s["service_code"]: s for s in services}
    assert by_code["city.garbage"]["service_name"] == "Garbage and litter"


def test_services_xml_has_one_service_element_per_service(city, road_definition, client):
    root = xml_of(client.get("/open311/v2/services.xml"))
    assert root.tag == "services"
    services = root.findall("service")
    assert len(services) == len(json_of(client.get("/open311/v2/services.json")))
    road = next(s for s in services if s.findtext("service_code") == "transport.road")
    assert [child.tag for child in road] == SERVICE_FIELDS
    assert road.findtext("metadata") == "true"


def test_services_list_takes_a_constant_number_of_queries(city, road_definition, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get("/open311/v2/services.json").status_code == 200


def test_service_definition_lists_attributes_with_spec_types(city, road_definition, client):
    data = json_of(client.get("/open311/v2/services/transport.road.json"))
    assert data["service_code"] == "transport.road"
    size, lanes, hazards = data["attributes"]
    assert size == {
        "variable": True,
        "code": "size",
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": "",
        "order": 1,
        "description": "How big is the damage?",
        "values": [{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}],
    }
    assert lanes["values"] == [] and lanes["required"] is False and lanes["order"] == 2
    assert hazards["datatype"] == "multivaluelist"


def test_service_definition_in_xml(city, road_definition, client):
    root = xml_of(client.get("/open311/v2/services/transport.road.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "transport.road"
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes] == ["size", "lanes", "hazards"]
    assert [v.findtext("key") for v in attributes[0].findall("values/value")] == ["small", "large"]
    assert attributes[0].findtext("required") == "true"


def test_service_without_definition_has_no_attributes(city, client):
    data = json_of(client.get("/open311/v2/services/city.garbage.json"))
    assert data == {"service_code": "city.garbage", "attributes": []}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_code_is_404_in_the_spec_error_shape(city, client, fmt):
    response = client.get(f"/open311/v2/services/no.such.{fmt}")
    assert response.status_code == 404
    if fmt == "json":
        (error,) = json_of(response)
        assert error["code"] == 404 and "no.such" in error["description"]
    else:
        root = xml_of(response)
        assert root.tag == "errors"
        assert root.findtext("error/code") == "404"
        assert "no.such" in root.findtext("error/description")


@pytest.mark.parametrize("path", ["services", "services/city.garbage", "discovery"])
def test_unknown_jurisdiction_is_404_and_ours_or_empty_is_accepted(city, client, path):
    assert client.get(f"/open311/v2/{path}.json", {"jurisdiction_id": "elsewhere.example"}).status_code == 404
    assert client.get(f"/open311/v2/{path}.json", {"jurisdiction_id": "qinghe.example"}).status_code == 200
    assert client.get(f"/open311/v2/{path}.json", {"jurisdiction_id": ""}).status_code == 200


def test_inactive_category_is_not_a_service(city, client):
    from city.models import Category

    Category.objects.filter(code="city.ads").update(is_active=False)
    codes = [s["service_code"] for s in client.get("/open311/v2/services.json").json()]
    assert "city.ads" not in codes
    assert client.get("/open311/v2/services/city.ads.json").status_code == 404


def test_unknown_format_is_not_served(city, client):
    assert client.get("/open311/v2/services.html").status_code == 404


def test_demo_city_has_a_service_with_attributes(city, client):
    data = client.get("/open311/v2/services/transport.road.json").json()
    assert [a["code"] for a in data["attributes"]] == ["size", "lanes_blocked"]
