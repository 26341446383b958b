"""Fixtures for the Open311 tests: a client key, a service with attributes, cases in several states."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest
from django.core.cache import cache

ROAD_ATTRIBUTES = [
    {
        "code": "size",
        "datatype": "singlevaluelist",
        "required": True,
        "description": "How big is the damage?",
        "order": 1,
        "values": [{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}],
    },
    {"code": "lanes", "datatype": "number", "required": False, "description": "Lanes blocked", "order": 2},
    {
        "code": "hazards",
        "datatype": "multivaluelist",
        "required": False,
        "description": "Hazards",
        "order": 3,
        "values": [{"key": "water", "name": "Water"}, {"key": "cables", "name": "Cables"}],
    },
]


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()
    yield


@pytest.fixture
def api_key(city) -> str:
    from open311.services import api_key_create

    _key, raw = api_key_create(name="FixMyStreet Qinghe")
    return raw


@pytest.fixture
def road_definition(city):
    from city.models import Category
    from open311.models import ServiceDefinition

    definition, _created = ServiceDefinition.objects.update_or_create(
        category=Category.objects.get(code="transport.road"), defaults={"attributes": ROAD_ATTRIBUTES}
    )
    return definition


def post_request(client, api_key: str, fmt: str = "json", **fields):
    data = {
        "api_key": api_key,
        "service_code": "city.garbage",
        "lat": "30.123456",
        "long": "120.654321",
        "description": "路口垃圾三天没人清运",
        "email": "citizen@example.com",
        "first_name": "Li",
        "last_name": "Lei",
        "phone": "13800000000",
        "may_publish": "true",  # the citizen consents: without it GET requests never shows the case
    }
    data.update(fields)
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(f"/open311/v2/requests.{fmt}", data)


def xml_of(response) -> ElementTree.Element:
    assert response["Content-Type"].startswith("text/xml")
    assert "charset=utf-8" in response["Content-Type"]
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ElementTree.fromstring(response.content)


def json_of(response):
    assert response["Content-Type"].startswith("application/json")
    assert "charset=utf-8" in response["Content-Type"]
    return response.json()


@pytest.fixture
def handled_case(city, api_key, client):
    """A case posted through Open311, routed, signed for and replied to."""
    from feedback.models import Disposition, Reply, Submission
    from feedback.workflow import case_transition
    from routing.services import submission_route

    response = post_request(client, api_key, description="Streetlight garbage pile")
    assert response.status_code == 200, response.content
    case = Submission.objects.get(tracking_number=response.json()[0]["service_request_id"])
    submission_route(submission_id=case.pk)
    from accounts.models import User

    staff = User.objects.get(username="cgj_staff")
    case_transition(submission_id=case.pk, action="sign_for", actor=staff)

    def add_reply(submission):
        Reply.objects.create(
            submission=submission,
            department=submission.lead_department,
            author=staff,
            disposition=Disposition.RESOLVED,
            text="已清运完毕",
        )

    case.refresh_from_db()
    return case, staff, add_reply
