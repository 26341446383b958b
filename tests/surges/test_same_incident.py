"""Same-incident proposals and surge alerts come from one model: the scan's place × topic groups."""

from __future__ import annotations

import pytest

from surges.incidents import incident_mates, propose_same_incident, same_incident_for_text
from surges.models import SurgeAlert
from surges.services import surge_scan
from tests.surges.conftest import NOW

pytestmark = pytest.mark.django_db


def test_a_case_of_an_alert_is_proposed_exactly_the_alerts_other_cases(surge_cases):
    surge_scan(now=NOW)
    alert = SurgeAlert.objects.get()
    first, *others = surge_cases["incident"]

    assert incident_mates(first) == sorted(case.pk for case in others)
    proposed = {c.submission.pk for c in propose_same_incident(first)}
    assert proposed == set(alert.members.exclude(submission=first).values_list("submission_id", flat=True))


def test_a_new_report_of_the_incident_is_matched_to_the_alerts_cases_before_it_is_submitted(surge_cases):
    surge_scan(now=NOW)
    alert = SurgeAlert.objects.get()

    found = same_incident_for_text(
        text="翠湖苑小区还是停水，什么时候来水？", district_id=surge_cases["district"].pk, now=NOW
    )

    assert set(found) == set(alert.members.values_list("submission_id", flat=True))


def test_an_unrelated_report_or_another_district_matches_nothing(surge_cases):
    from city.models import District

    surge_scan(now=NOW)
    other = District.objects.exclude(pk=surge_cases["district"].pk).first()

    assert same_incident_for_text(text="人民公园的长椅坏了", district_id=surge_cases["district"].pk, now=NOW) == []
    assert same_incident_for_text(text="翠湖苑小区还是停水，什么时候来水？", district_id=other.pk, now=NOW) == []


def test_before_any_scan_the_answer_is_empty_not_an_error(surge_cases):
    assert same_incident_for_text(text="翠湖苑停水", district_id=surge_cases["district"].pk, now=NOW) == []
    assert incident_mates(surge_cases["incident"][0]) is None  # proposals then replay the days around the case
