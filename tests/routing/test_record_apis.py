"""Routing decisions and escalations over the API: scoped like the pages, bounded queries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.models import User

pytestmark = pytest.mark.django_db


def routed_case(title: str, text: str):
    from feedback.services import submission_create
    from routing.services import submission_route

    submission, _secret, _created = submission_create(data={"kind": "complaint", "title": title, "text": text})
    submission_route(submission_id=submission.pk)
    submission.refresh_from_db()
    return submission


@pytest.fixture
def cases(city):
    garbage = routed_case("垃圾没人清运", "小区门口的垃圾堆了三天没人清运，臭气熏天。")
    smell = routed_case("化工厂排放刺鼻气味", "幸福路化工厂每晚排放刺鼻气味，附近居民无法开窗。")
    assert garbage.lead_department.code == "CGJ" and smell.lead_department.code == "STHJ"
    return garbage, smell


def as_user(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def numbers(response):
    return sorted(row["tracking_number"] for row in response.json()["results"])


def test_staff_read_the_routing_decisions_of_their_own_departments_only(client, cases):
    garbage, smell = cases
    assert numbers(as_user(client, "cgj_staff").get("/api/v1/routing-decisions/")) == [garbage.tracking_number]
    assert numbers(as_user(client, "sthj_staff").get("/api/v1/routing-decisions/")) == [smell.tracking_number]
    assert numbers(as_user(client, "zjj_staff").get("/api/v1/routing-decisions/")) == []


def test_a_decision_says_why(client, cases):
    garbage, _smell = cases
    row = as_user(client, "dispatcher").get("/api/v1/routing-decisions/", {"department": "CGJ"}).json()["results"][0]
    assert row["tracking_number"] == garbage.tracking_number
    assert row["source"] in {"rule", "model", "category"}
    assert row["department"] == "CGJ"
    assert row["rule_name"] or row["suggestions"]


def test_anonymous_callers_get_401(client, cases):
    assert client.get("/api/v1/routing-decisions/").status_code == 401
    assert client.get("/api/v1/escalations/").status_code == 401


def test_escalations_are_scoped_and_filtered_by_level(client, cases, django_assert_max_num_queries):
    from deadlines.escalation import deadlines_sweep
    from deadlines.models import Deadline, Escalation

    garbage, smell = cases
    # The beat's sweep, run when the garbage case reached level 3 (its open deadline, two periods overdue).
    overdue = Deadline.objects.get(submission=garbage, is_open=True)
    deadlines_sweep(now=overdue.due_at + 2 * overdue.escalation_period + timedelta(minutes=1))
    assert Escalation.objects.filter(submission=smell).exists()
    supervisor = as_user(client, "supervisor")
    with django_assert_max_num_queries(6):
        everything = supervisor.get("/api/v1/escalations/").json()
    assert everything["count"] == Escalation.objects.count() > 3
    high = supervisor.get("/api/v1/escalations/", {"min_level": 3}).json()["results"]
    assert (garbage.tracking_number, 3) in {(r["tracking_number"], r["level"]) for r in high}
    assert {r["level"] for r in high} <= {3, 4}
    cgj = as_user(client, "cgj_staff").get("/api/v1/escalations/").json()
    assert {r["tracking_number"] for r in cgj["results"]} == {garbage.tracking_number}
    assert as_user(client, "zjj_staff").get("/api/v1/escalations/").json()["count"] == 0


def test_a_bad_filter_value_is_a_400_in_the_one_error_shape(client, cases):
    response = as_user(client, "supervisor").get("/api/v1/escalations/", {"created_after": "yesterday"})
    assert response.status_code == 400
    assert "created_after" in response.json()["errors"]
