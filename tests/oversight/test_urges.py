"""Citizens' urges are counted on the supervisors' overdue dashboard, per department, for the period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from feedback.citizen_actions import case_urge, urge_day
from tests.oversight import drive as d

pytestmark = pytest.mark.django_db


def test_urges_are_counted_on_the_dashboard_by_department(client, departments):
    cgj, zjj = departments
    d.clock_policies()
    now = timezone.now()
    first = d.open_deadline(cgj, "reply", due=now - timedelta(hours=30))
    second = d.open_deadline(cgj, "sign_for", due=now - timedelta(hours=3))
    third = d.open_deadline(zjj, "reply", due=now - timedelta(hours=5))
    later = now + timedelta(days=1)
    while urge_day(later) == urge_day(now):
        later += timedelta(days=1)
    case_urge(submission_id=first.submission_id, now=now)
    case_urge(submission_id=first.submission_id, now=later)  # the next working day: a second urge
    case_urge(submission_id=second.submission_id, now=now)
    case_urge(submission_id=third.submission_id, now=now)

    client.force_login(User.objects.get(username="supervisor"))
    period = {
        "date_from": (timezone.localdate(now) - timedelta(days=10)).isoformat(),
        "date_to": timezone.localdate(later).isoformat(),
    }
    response = client.get(reverse("oversight:dashboard"), period)
    urges = response.context["urges"]
    assert urges["total"] == 4 and urges["cases"] == 3
    assert [(e["department"].code, e["urges"], e["cases"]) for e in urges["departments"]] == [
        ("CGJ", 3, 2),
        ("ZJJ", 1, 1),
    ]
    body = response.content.decode()
    assert 'id="total-urges">4<' in body and "群众催办" in body
    # Filtered to one department, only its urges.
    response = client.get(reverse("oversight:dashboard"), {**period, "department": zjj.pk})
    assert response.context["urges"]["total"] == 1
