"""The dashboard's combined queries give the figures the separate counts gave, in fewer queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from casework.models import ReturnReason, ReturnRecord
from casework.returns import case_return, return_accept
from deadlines.models import Deadline
from feedback.citizen_actions import case_urge, urge_day
from feedback.models import CaseEvent
from feedback.workflow import Action
from oversight.kpis import local_midnight
from oversight.selectors import near_window
from tests.oversight import drive as d

pytestmark = pytest.mark.django_db


def _return(case, reason: ReturnReason, when, to) -> None:
    """The lead department sends the case back for ``reason``; the dispatcher sends it on to ``to``."""
    case.refresh_from_db()
    case_return(
        submission_id=case.pk, actor=d.staff(case.lead_department), reason_id=reason.pk, text="请核实", now=when
    )
    return_accept(submission_id=case.pk, actor=d.dispatcher(), department_id=to.pk, reason="转相关单位", now=when)


@pytest.fixture
def busy_day(departments):
    """Overdue and near deadlines, returns for two reasons, urges and an extension, all through the services."""
    cgj, zjj = departments
    d.clock_policies()
    now = timezone.now()
    overdue = [d.open_deadline(cgj, "reply", due=now - timedelta(hours=10 + i)) for i in range(3)]
    overdue.append(d.open_deadline(zjj, "sign_for", due=now - timedelta(hours=1)))
    d.open_deadline(zjj, "reply", due=now + timedelta(hours=5))  # near
    first, second = ReturnReason.objects.filter(is_active=True).order_by("pk")[:2]
    bounced = d.case(cgj, created=now - timedelta(hours=6))
    _return(bounced, first, now - timedelta(hours=5), zjj)
    _return(bounced, second, now - timedelta(hours=4), cgj)  # twice: as far as departments may go
    _return(d.case(cgj, created=now - timedelta(hours=6)), second, now - timedelta(hours=3), zjj)
    _return(d.case(zjj, created=now - timedelta(hours=6)), first, now - timedelta(hours=2), cgj)
    for deadline in overdue[:2] + overdue[3:]:
        case_urge(submission_id=deadline.submission_id, now=now)
    later = now + timedelta(days=1)
    while urge_day(later) == urge_day(now):
        later += timedelta(days=1)
    case_urge(submission_id=overdue[0].submission_id, now=later)  # the next working day: a second urge
    d.extension(overdue[1].submission, now - timedelta(hours=1))
    d.sweep(now)
    return {
        "date_from": (timezone.localdate(now) - timedelta(days=10)).isoformat(),
        "date_to": later.date().isoformat(),
    }


def test_dashboard_figures_equal_the_separate_counts_and_take_fewer_queries(
    client, busy_day, django_assert_max_num_queries
):
    client.force_login(User.objects.get(username="supervisor"))
    # Measured: 17; 22 before the returns (by department, by reason, the reasons' names), the urges (by
    # department, cases in all, the departments' names) and the department names were read once each.
    with django_assert_max_num_queries(17):
        response = client.get(reverse("oversight:dashboard"), busy_day)
    context = response.context
    start, end = local_midnight(context["period_start"]), local_midnight(context["period_end"] + timedelta(days=1))

    # Returns: one count per department, and per department and reason, as the two separate queries gave them.
    returned = ReturnRecord.objects.filter(requested_at__gte=start, requested_at__lt=end)
    per_department = dict(returned.values_list("department__code").annotate(n=Count("id")))
    assert per_department == {"CGJ": 2, "ZJJ": 2}
    shown = {e["department"].code: e for e in context["bucks"]["departments"]}
    assert {code: e["returns"] for code, e in shown.items() if e["returns"]} == per_department
    for code, entry in shown.items():
        rows = returned.filter(department__code=code).values("reason").annotate(n=Count("id")).order_by("-n", "reason")
        names = {r.pk: r.name for r in ReturnReason.objects.all()}
        assert entry["reasons"] == [(names[r["reason"]], r["n"]) for r in rows][:3]
    assert [e["reasons"] for e in shown.values() if len(e["reasons"]) == 2], "a department with two reasons"

    # Urges: the total, the distinct cases (a separate COUNT DISTINCT before) and each department's.
    urges = CaseEvent.objects.filter(action=Action.URGE, created_at__gte=start, created_at__lt=end)
    assert context["urges"]["total"] == urges.count() == 4
    assert context["urges"]["cases"] == urges.values("submission").distinct().count() == 3
    assert {(e["department"].code, e["urges"], e["cases"]) for e in context["urges"]["departments"]} == {
        (row["submission__lead_department__code"], row["n"], row["cases"])
        for row in urges.values("submission__lead_department__code").annotate(
            n=Count("id"), cases=Count("submission", distinct=True)
        )
    }

    # Overdue and near: each department's counts as plain counts of its open, running deadlines.
    now = context["now"]
    for entry in context["summary"]:
        running = Deadline.objects.filter(is_open=True, paused_at__isnull=True, department=entry["department"])
        assert entry["overdue"] == running.filter(due_at__lt=now).count()
        assert entry["near"] == running.filter(due_at__gte=now, due_at__lt=now + near_window()).count()
    running = Deadline.objects.filter(is_open=True, paused_at__isnull=True)
    assert context["totals"] == {
        "overdue": running.filter(due_at__lt=now).count(),
        "near": running.filter(due_at__gte=now, due_at__lt=now + near_window()).count(),
    }
    assert context["totals"]["overdue"] >= 4 and context["totals"]["near"] >= 1
