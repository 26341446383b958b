"""Routing a submission: rules, suggester, triage, the decision record, idempotence."""

from __future__ import annotations

import pytest

from casework.models import Assignment
from city.models import Department, District
from feedback.models import CaseEvent, Status, Submission
from routing.models import RoutingDecision, RoutingRule
from routing.services import submission_route
from routing.tasks import route_submission, route_unrouted_sweep

pytestmark = pytest.mark.django_db

PAYLOAD_KEYS = {"source", "rule_id", "rule_name", "suggestions", "confidence", "citizen_office"}


def routing_event(submission):
    return CaseEvent.objects.get(submission=submission, action__in=["route", "send_to_triage"])


def test_catalogue_rule_routes_the_case_and_the_decision_is_recorded(router, make_submission):
    case = make_submission("工地老板欠薪", "我们在南湖区一个工地干了三个月，包工头拖欠工资不给。")
    submission_route(submission_id=case.pk)
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    assert case.lead_department.code == "RSJ"
    decision = RoutingDecision.objects.get(submission=case)
    assert decision.source == "rule" and decision.rule.source == "catalogue:wages-owed"
    payload = routing_event(case).payload
    assert set(payload) == PAYLOAD_KEYS
    assert payload["source"] == "rule" and payload["rule_id"] == decision.rule_id
    assert payload["rule_name"] == decision.rule_name
    assert len(payload["suggestions"]) == 3
    assert all(set(s) == {"department", "score"} and 0 <= s["score"] <= 1 for s in payload["suggestions"])


def test_rule_sets_co_handling_departments_and_priority(router, make_submission):
    rule = RoutingRule.objects.create(
        name="化工厂着火",
        order=1,
        keywords_all="化工厂\n着火",
        lead_department=Department.objects.get(code="YJJ"),
        priority="urgent",
    )
    rule.co_departments.set(Department.objects.filter(code__in=["STHJ", "YJJ"]))
    case = make_submission("化工厂着火了", "北山区化工厂着火，黑烟很大。")
    submission_route(submission_id=case.pk)
    case.refresh_from_db()
    assert case.priority == "urgent" and case.lead_department.code == "YJJ"
    roles = set(Assignment.objects.filter(submission=case).values_list("department__code", "role"))
    assert roles == {("YJJ", "lead"), ("STHJ", "co")}


def test_district_rule_applies_only_in_its_district(router, make_submission):
    RoutingRule.objects.create(
        name="东城井盖",
        order=1,
        keywords_any="井盖",
        district=District.objects.get(code="dongcheng"),
        lead_department=Department.objects.get(code="SWJ"),
    )
    east = make_submission("井盖松动", "路口井盖松动", district=District.objects.get(code="dongcheng"))
    west = make_submission("井盖松动", "路口井盖松动", district=District.objects.get(code="xicheng"))
    submission_route(submission_id=east.pk)
    submission_route(submission_id=west.pk)
    assert RoutingDecision.objects.get(submission=east).rule_name == "东城井盖"
    assert RoutingDecision.objects.get(submission=west).rule_name != "东城井盖"


def test_confident_model_dispatches_with_its_score(router, make_submission):
    case = make_submission(
        "Bus 201 driver skipped our stop", "The bus driver of route 201 did not stop at the bus stop."
    )
    submission_route(submission_id=case.pk)
    decision = RoutingDecision.objects.get(submission=case)
    assert decision.source == "model"
    assert decision.department.code == "JTJ"
    assert decision.confidence == pytest.approx(decision.suggestions[0]["score"], abs=1e-4)
    assert decision.confidence >= router.current_suggester().threshold


def test_unclear_case_goes_to_triage_with_three_suggestions(router, make_submission):
    case = make_submission("你好", "请问一下这个事情找谁？")
    submission_route(submission_id=case.pk)
    case.refresh_from_db()
    assert case.status == Status.TRIAGE and case.lead_department is None
    payload = routing_event(case).payload
    assert payload["source"] == "none" and payload["rule_id"] is None
    assert len(payload["suggestions"]) == 3
    assert payload["confidence"] < router.current_suggester().threshold
    assert RoutingDecision.objects.get(submission=case).department is None


def test_inactive_department_is_never_suggested(router, make_submission):
    Department.objects.filter(code="JTJ").update(is_active=False)
    case = make_submission(
        "Bus 201 driver skipped our stop", "The bus driver of route 201 did not stop at the bus stop."
    )
    submission_route(submission_id=case.pk)
    payload = routing_event(case).payload
    assert "JTJ" not in {s["department"] for s in payload["suggestions"]}


def test_routing_task_twice_routes_once(router, make_submission):
    case = make_submission("小区停水", "西城区某小区从早上开始停水，没有通知。")
    assert route_submission(case.pk) is True
    assert route_submission(case.pk) is False
    assert RoutingDecision.objects.filter(submission=case).count() == 1
    assert CaseEvent.objects.filter(submission=case, action="route").count() == 1
    assert Assignment.objects.filter(submission=case).count() == 1


def test_sweep_routes_what_a_lost_message_left(router, make_submission):
    case = make_submission("小区停水", "西城区某小区从早上开始停水，没有通知。")
    assert route_unrouted_sweep(older_than_seconds=0) == 1
    assert Submission.objects.get(pk=case.pk).status == Status.ASSIGNED


def test_rule_edits_reach_the_matcher_without_restart(router, make_submission):
    router.current_rules()
    RoutingRule.objects.create(
        name="新规则", order=1, keywords_any="独角兽", lead_department=Department.objects.get(code="YLJ")
    )
    case = make_submission("独角兽", "公园里有一只独角兽")
    submission_route(submission_id=case.pk)
    assert RoutingDecision.objects.get(submission=case).rule_name == "新规则"


def test_seed_demo_writes_the_catalogue_rules_once(city):
    from city.catalogue import RULES
    from demo.city import seed_demo

    seed_demo()
    assert RoutingRule.objects.filter(source__startswith="catalogue:").count() == len(RULES)


def test_rule_on_a_parent_category_catches_cases_in_its_subtree(router, make_submission):
    from city.models import Category

    RoutingRule.objects.create(
        name="住房类转应急",
        order=1,
        category=Category.objects.get(code="housing"),
        lead_department=Department.objects.get(code="YJJ"),
    )
    inside = make_submission("物业不管", "物业不管楼道", category=Category.objects.get(code="housing.property"))
    outside = make_submission("物业不管", "物业不管楼道", category=Category.objects.get(code="city.garbage"))
    submission_route(submission_id=inside.pk)
    submission_route(submission_id=outside.pk)
    assert RoutingDecision.objects.get(submission=inside).rule_name == "住房类转应急"
    assert RoutingDecision.objects.get(submission=outside).rule_name == ""


def test_unsure_model_that_agrees_with_the_category_default_routes_by_category(router, make_submission, monkeypatch):
    import dataclasses

    from city.models import Category

    unsure = dataclasses.replace(router.current_suggester(), threshold=1.01)  # never confident
    monkeypatch.setattr(router, "current_suggester", lambda **kw: unsure)
    agrees = make_submission("电梯坏了", "小区电梯坏了一周", category=Category.objects.get(code="housing.property"))
    disagrees = make_submission("电梯坏了", "小区电梯坏了一周", category=Category.objects.get(code="greening.parks"))
    submission_route(submission_id=agrees.pk)
    submission_route(submission_id=disagrees.pk)
    assert RoutingDecision.objects.get(submission=agrees).source == "category"
    assert Submission.objects.get(pk=agrees.pk).lead_department.code == "ZJJ"
    assert RoutingDecision.objects.get(submission=disagrees).source == "none"
    assert Submission.objects.get(pk=disagrees.pk).status == Status.TRIAGE
