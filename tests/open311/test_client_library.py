"""Real, unmodified Open311 client libraries from PyPI against the running portal.

civicbot (0.4.0) has a complete GeoReport v2 client: it lists services, reads
a service definition, posts a request (only when told ``confirm="SEND"``),
resolves a token, looks the request up and lists requests. georeport (0.3.1)
reads only (it cannot post), and we use it in both its JSON and XML modes.
Neither is patched: they talk HTTP to pytest-django's live server.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


@pytest.fixture
def endpoint_url(live_server) -> str:
    return f"{live_server.url}/open311/v2/"


def test_civicbot_lists_services_posts_looks_up_and_lists(city, api_key, road_definition, endpoint_url):
    from civicbot.http import HttpTransport, RateLimiter
    from civicbot.open311 import Open311Client
    from civicbot.registry import Endpoint

    endpoint = Endpoint(id="qinghe", name="Qinghe 12345", base_url=endpoint_url, write=True)
    transport = HttpTransport(rate_limiter=RateLimiter(min_interval=0))
    client = Open311Client(endpoint, transport=transport, jurisdiction_id="qinghe.example")

    services = client.list_services()
    assert "transport.road" in {s["service_code"] for s in services}
    definition = client.get_service_definition("transport.road")
    assert [a["code"] for a in definition["attributes"]] == ["size", "lanes", "hazards"]

    posted = client.create_request(
        "transport.road",
        dry_run=False,
        confirm="SEND",
        api_key=api_key,
        validate_remote=True,  # the library checks our live definition before it sends
        lat=30.2741,
        lng=120.1551,
        description="人民路与解放路口路面塌陷",
        # The citizen's consent, as an attribute: the library sends only the spec's fields.
        attributes={"size": "large", "hazards": ["water"], "may_publish": "true"},
        email="citizen@example.com",
        first_name="Wang",
        last_name="Fang",
    )
    (answer,) = posted.response
    request_id = answer["service_request_id"]

    assert client.get_token(answer["token"]) == [{"token": answer["token"], "service_request_id": request_id}]
    found = client.get_request(request_id)
    assert found["service_request_id"] == request_id
    assert found["status"] == "open" and found["service_code"] == "transport.road"
    assert found["lat"] == pytest.approx(30.274), "coarsened to the public precision"
    assert "Wang" not in str(found) and "citizen@example.com" not in str(found)
    listed = client.list_requests(service_code="transport.road", status="open")
    assert [r["service_request_id"] for r in listed] == [request_id]
    assert client.list_requests(service_request_ids=[request_id])[0]["service_request_id"] == request_id


def test_civicbot_refuses_what_our_definition_forbids_before_sending(city, api_key, road_definition, endpoint_url):
    from civicbot.http import HttpTransport, RateLimiter
    from civicbot.open311 import Open311Client, ValidationError
    from civicbot.registry import Endpoint

    endpoint = Endpoint(id="qinghe", name="Qinghe 12345", base_url=endpoint_url, write=True)
    client = Open311Client(endpoint, transport=HttpTransport(rate_limiter=RateLimiter(min_interval=0)))
    with pytest.raises(ValidationError, match="size"):
        client.create_request(
            "transport.road",
            dry_run=False,
            confirm="SEND",
            api_key=api_key,
            validate_remote=True,
            address_string="人民路",
        )


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_georeport_reads_services_definitions_and_requests(city, api_key, road_definition, endpoint_url, output_format):
    from georeport import GeoReport

    from feedback.models import Submission
    from open311.services import api_key_authenticate, service_request_create

    record, _secret = service_request_create(
        api_key=api_key_authenticate(raw_key=api_key),
        service_code="city.garbage",
        address_string="东城区人民路 1 号",
        description="垃圾没有清运",
        may_publish=True,
    )
    number = record.submission.tracking_number
    client = GeoReport(endpoint_url, jurisdiction="qinghe.example", output_format=output_format)

    services = client.get_service_list()
    assert "city.garbage" in {s["service_code"] for s in services}
    definition = client.get_service_definition("transport.road")
    assert definition["service_code"] == "transport.road"

    requests = client.get_service_requests(service_code="city.garbage")
    # xmltodict gives a dict for one element and a list for several: the library passes that on.
    requests = requests if isinstance(requests, list) else [requests]
    assert [r["service_request_id"] for r in requests] == [number]
    one = client.get_service_request(number)
    assert one["service_request_id"] == number and one["status"] == "open"
    assert Submission.objects.get(tracking_number=number).channel == "open311"
