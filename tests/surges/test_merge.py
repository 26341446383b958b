"""Merging an alert's cases into one incident, and linking same-incident cases."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework.models import Assignment, AssignmentRole
from city.models import Department
from feedback.models import CaseEvent, Status
from portal.errors import NotFound, PermissionDenied, TransitionNotAllowed
from surges.handling import incident_link, surge_alert_merge
from surges.incidents import propose_same_incident
from surges.models import AlertStatus, Incident, SubmissionIncident, SurgeAlert
from surges.selectors import incident_of_submission
from surges.services import surge_scan
from tests.surges.conftest import NOW, make_case

pytestmark = pytest.mark.django_db


def test_merge_links_every_case_and_dispatches_those_in_triage(alert, surge_cases, people):
    swj = Department.objects.get(code="SWJ")
    replied = surge_cases["incident"][0]
    Submission = type(replied)
    Submission.objects.filter(pk=replied.pk).update(status=Status.IN_PROGRESS, lead_department=swj)

    incident, dispatched = surge_alert_merge(
        alert_id=alert.pk, lead_department_id=swj.pk, actor=people["alice"], title="翠湖苑停水"
    )

    assert dispatched == 5  # the sixth was already in progress
    assert incident.lead_department == swj
    assert SubmissionIncident.objects.filter(incident=incident).count() == 6
    for case in Submission.objects.filter(incident_link__incident=incident):
        assert case.lead_department == swj
        assert case.status in (Status.ASSIGNED, Status.IN_PROGRESS)
    assert Assignment.objects.filter(department=swj, role=AssignmentRole.LEAD).count() == 5
    events = CaseEvent.objects.filter(action="dispatch", actor=people["alice"])
    assert events.count() == 5
    assert all(e.payload == {"incident": incident.pk} for e in events)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.MERGED and alert.incident == incident


def test_merging_twice_is_refused_and_changes_nothing(alert, people):
    swj = Department.objects.get(code="SWJ")
    surge_alert_merge(alert_id=alert.pk, lead_department_id=swj.pk, actor=people["alice"])

    with pytest.raises(TransitionNotAllowed):
        surge_alert_merge(alert_id=alert.pk, lead_department_id=swj.pk, actor=people["alice"])
    assert Incident.objects.count() == 1


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_only_supervisors_may_merge(alert, people, who):
    swj = Department.objects.get(code="SWJ")

    with pytest.raises(PermissionDenied):
        surge_alert_merge(alert_id=alert.pk, lead_department_id=swj.pk, actor=people[who])
    assert not Incident.objects.exists()
    assert not CaseEvent.objects.filter(action="dispatch").exists()


def test_merge_needs_an_active_department(alert, people):
    swj = Department.objects.get(code="SWJ")
    Department.objects.filter(pk=swj.pk).update(is_active=False)

    with pytest.raises(NotFound):
        surge_alert_merge(alert_id=alert.pk, lead_department_id=swj.pk, actor=people["alice"])
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_same_incident_is_proposed_and_unrelated_cases_are_not(surge_cases):
    first, *others = surge_cases["incident"]

    proposed = propose_same_incident(first)

    proposed_ids = {c.submission.pk for c in proposed}
    assert proposed_ids <= {case.pk for case in others}
    assert len(proposed_ids) >= 4
    assert all(0 < c.score <= 1 for c in proposed)
    assert any("翠湖苑" in word for c in proposed for word in c.shared)
    assert [c.raw for c in proposed] == sorted((c.raw for c in proposed), reverse=True)


def test_closed_and_other_district_cases_are_not_proposed(surge_cases):
    from city.models import District

    first = surge_cases["incident"][0]
    closed = make_case("翠湖苑小区停水了，没法做饭", at=NOW, district=first.district, status=Status.CLOSED)
    elsewhere = make_case("翠湖苑小区停水了，没法做饭", at=NOW, district=District.objects.get(code="gaoxin"))

    proposed_ids = {c.submission.pk for c in propose_same_incident(first)}

    assert closed.pk not in proposed_ids and elsewhere.pk not in proposed_ids


def test_dispatcher_links_cases_to_the_department_of_the_first(surge_cases, people):
    zjj = Department.objects.get(code="ZJJ")
    first, second, third = surge_cases["incident"][:3]
    type(first).objects.filter(pk=first.pk).update(status=Status.ASSIGNED, lead_department=zjj)

    incident, dispatched = incident_link(submission_ids=[first.pk, second.pk, third.pk], actor=people["bob"])

    assert dispatched == 2
    assert incident.lead_department == zjj
    assert incident_of_submission(third.pk) == incident
    third.refresh_from_db()
    assert third.lead_department == zjj and third.status == Status.ASSIGNED


def test_staff_cannot_link_and_closed_cases_are_refused(surge_cases, people):
    first, second = surge_cases["incident"][:2]
    with pytest.raises(PermissionDenied):
        incident_link(submission_ids=[first.pk, second.pk], actor=people["charlie"])
    type(first).objects.filter(pk=second.pk).update(status=Status.CLOSED)
    with pytest.raises(TransitionNotAllowed):
        incident_link(submission_ids=[first.pk, second.pk], actor=people["bob"])
    assert not Incident.objects.exists()


def test_linking_a_single_case_is_refused(surge_cases, people):
    with pytest.raises(TransitionNotAllowed):
        incident_link(submission_ids=[surge_cases["incident"][0].pk], actor=people["bob"])


def test_scan_after_merge_keeps_the_merged_alert(alert, surge_cases, people, django_capture_on_commit_callbacks):
    swj = Department.objects.get(code="SWJ")
    surge_alert_merge(alert_id=alert.pk, lead_department_id=swj.pk, actor=people["alice"])

    with django_capture_on_commit_callbacks(execute=True):
        result = surge_scan(now=NOW + timedelta(minutes=10))

    assert result.created == []
    assert SurgeAlert.objects.count() == 1


def test_late_report_of_a_merged_alert_joins_its_incident(
    alert, surge_cases, people, django_capture_on_commit_callbacks
):
    swj = Department.objects.get(code="SWJ")
    incident, _ = surge_alert_merge(alert_id=alert.pk, lead_department_id=swj.pk, actor=people["alice"])
    late = make_case(
        "翠湖苑小区还是停水，已经第二天了，请赶紧恢复供水。",
        at=NOW + timedelta(minutes=5),
        district=surge_cases["district"],
    )

    with django_capture_on_commit_callbacks(execute=True):
        surge_scan(now=NOW + timedelta(minutes=10))

    assert incident_of_submission(late.pk) == incident
    assert SubmissionIncident.objects.filter(incident=incident).count() == 7
