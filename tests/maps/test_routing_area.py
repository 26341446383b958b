"""Routing by place: a rule with an area matches only cases whose pin lies inside it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from city.models import Category, Department, District
from feedback.services import submission_create
from routing.models import RoutingRule
from routing.services import submission_route

# 南湖公园 and its shore, roughly (WGS-84, [lng, lat]).
PARK = {
    "type": "Polygon",
    "coordinates": [[[119.99, 30.51], [120.01, 30.51], [120.01, 30.52], [119.99, 30.52], [119.99, 30.51]]],
}


def submit(lat: str | None, lng: str | None):
    data = {
        "kind": "complaint",
        "title": "公园里垃圾桶满了",
        "text": "垃圾桶满了没人清理",
        "category": Category.objects.get(code="city.garbage"),
        "district": District.objects.get(code="nanhu"),
        "latitude": lat,
        "longitude": lng,
    }
    submission, _secret, _created = submission_create(data=data)
    return submission_route(submission_id=submission.pk)


@pytest.fixture
def park_rule(mapped_city):
    return RoutingRule.objects.create(
        name="南湖公园归园林", order=1, area=PARK, lead_department=Department.objects.get(code="ZJJ")
    )


def test_a_case_pinned_inside_the_area_goes_to_the_areas_office(park_rule):
    case = submit("30.515000", "120.000000")
    assert case.lead_department.code == "ZJJ"
    assert case.routing_decisions.get().rule_id == park_rule.pk


def test_a_case_pinned_outside_or_without_a_pin_is_not_matched_by_the_area_rule(park_rule):
    for lat, lng in (("30.535000", "119.985000"), (None, None)):
        case = submit(lat, lng)
        assert case.routing_decisions.get().rule_id != park_rule.pk


def test_an_area_that_crosses_itself_is_refused_by_the_rule_form(mapped_city):
    rule = RoutingRule(name="bad", area={"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]})
    with pytest.raises(ValidationError) as caught:
        rule.clean()
    assert "area" in caught.value.message_dict
